/* MACs the switches learned on their physical ports:
 * learned-mac {list,show}. */
#include "cli/commands.h"

#include <stdlib.h>

#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"mac", "MAC", OUT_LIST},
    {"ip_address", "IP Address", OUT_LIST},
    {"network_id", "Network ID", OUT_LIST},
    {"switch", "Switch", OUT_LIST},
    {"tunnel_ip", "Tunnel IP", OUT_LIST},
    {0},
};

const struct res_type learned_mac_type = {
    "/v2.0/l2-learned-macs",
    "l2_learned_mac",
    "l2_learned_macs",
    "Learned MAC",
    false,
    columns,
    NULL,
};

static const struct args_opt list_opts[] = {
    {"--network", NULL, ARGS_VALUE, "NETWORK",
     "only MACs of this network (name or id)"},
    {"--switch", NULL, ARGS_VALUE, "SWITCH", "only MACs of this switch"},
    {"--mac", NULL, ARGS_VALUE, "MAC", "only this MAC"},
    {0},
};

static int lm_list(struct cli *c, const struct args *a)
{
    struct buf q = BUF_INIT;
    const char *net = args_get(a, "--network");
    char *id = NULL;
    int rc;

    if (net && resolve_or_print(c, &network_type, net, &id) < 0)
        return CLI_EXIT_FAIL;
    if (id)
        res_query_add(&q, "network_id", id);
    if (args_get(a, "--switch"))
        res_query_add(&q, "switch", args_get(a, "--switch"));
    if (args_get(a, "--mac"))
        res_query_add(&q, "mac", args_get(a, "--mac"));
    rc = res_cmd_list(c, &learned_mac_type, a, q.data ? q.data : "");
    buf_free(&q);
    free(id);
    return rc;
}

static int lm_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &learned_mac_type, a);
}

const struct cli_cmd learned_mac_cmds[] = {
    {NULL, "learned-mac", "list",
     "[--network NETWORK] [--switch SWITCH] [--mac MAC] [-F FIELD]",
     "List the MACs switches learned on their ports.", 0, 0, list_opts,
     res_list_opts, lm_list},
    {NULL, "learned-mac", "show", "<ID>", "Show a learned MAC.", 1, 1, NULL,
     NULL, lm_show},
    {0},
};
