/* Switches l2gwd knows (the registry): switch {list,show,forget}. */
#include "cli/commands.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"ovsdb_identifier", "OVSDB Identifier", OUT_LIST},
    {"connected", "Connected", OUT_LIST},
    {"tunnel_ips", "Tunnel IPs", OUT_LIST},
    {"switch_fault_status", "Fault Status", OUT_LIST},
    {"ports", "Ports", 0},
    {"last_sync_at", "Last Sync At", 0},
    {0},
};

const struct res_type switch_type = {
    "/v2.0/l2-switches",
    "l2_switch",
    "l2_switches",
    "L2 Switch",
    true,
    columns,
    NULL,
};

static const struct args_opt forget_opts[] = {
    {"--cleanup", NULL, ARGS_FLAG, NULL,
     "first remove l2gwd's rows from the switch (when connected)"},
    {0},
};

static int sw_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &switch_type, a, "");
}

static int sw_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &switch_type, a);
}

static int sw_forget(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &switch_type, a,
                          args_has(a, "--cleanup") ? "cleanup=true" : "");
}

const struct cli_cmd switch_cmds[] = {
    {NULL, "switch", "list", "[-F FIELD] [--sort-key K]",
     "List the switches l2gwd knows.", 0, 0, NULL, res_list_opts, sw_list},
    {NULL, "switch", "show", "<SWITCH>", "Show a switch (name or id).", 1, 1,
     NULL, NULL, sw_show},
    {NULL, "switch", "forget", "<SWITCH> [<SWITCH> ...] [--cleanup]",
     "Forget switches (refused while connections use them).", 1, CLI_ANY,
     forget_opts, NULL, sw_forget},
    {0},
};
