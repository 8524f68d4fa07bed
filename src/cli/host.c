/* Hosts (inventory: compute nodes and their tunnel IPs):
 * host {create,list,show,update,delete}. */
#include "cli/commands.h"

#include <stdlib.h>

#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"tunnel_ip", "Tunnel IP", OUT_LIST},
    {"tenant_id", "Tenant", 0},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

const struct res_type host_type = {
    "/v2.0/hosts", "host", "hosts", "Host", true, columns, NULL,
};

static const struct args_opt create_opts[] = {
    {"--tunnel-ip", NULL, ARGS_VALUE, "IP",
     "the host's VXLAN tunnel endpoint (IPv4)"},
    {0},
};

static const struct args_opt update_opts[] = {
    {"--name", NULL, ARGS_VALUE, "NAME", "new name"},
    {"--tunnel-ip", NULL, ARGS_VALUE, "IP", "new tunnel endpoint (IPv4)"},
    {0},
};

static int host_create(struct cli *c, const struct args *a)
{
    json_t *inner = json_pack("{s:s}", "name", a->pos[0]);

    if (args_get(a, "--tunnel-ip"))
        json_object_set_new(inner, "tunnel_ip",
                            json_string(args_get(a, "--tunnel-ip")));
    return res_cmd_create(c, &host_type, inner);
}

static int host_update(struct cli *c, const struct args *a)
{
    json_t *inner;
    char *id;
    int rc;

    if (resolve_or_print(c, &host_type, a->pos[0], &id) < 0)
        return CLI_EXIT_FAIL;
    inner = json_object();
    if (args_get(a, "--name"))
        json_object_set_new(inner, "name", json_string(args_get(a, "--name")));
    if (args_get(a, "--tunnel-ip"))
        json_object_set_new(inner, "tunnel_ip",
                            json_string(args_get(a, "--tunnel-ip")));
    rc = res_cmd_update(c, &host_type, id, inner);
    free(id);
    return rc;
}

static int host_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &host_type, a, "");
}

static int host_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &host_type, a);
}

static int host_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &host_type, a, "");
}

const struct cli_cmd host_cmds[] = {
    {NULL, "host", "create", "<NAME> --tunnel-ip IP",
     "Register a compute host and its tunnel IP.", 1, 1, create_opts, NULL,
     host_create},
    {NULL, "host", "list", "[-F FIELD] [--sort-key K]", "List hosts.", 0, 0,
     NULL, res_list_opts, host_list},
    {NULL, "host", "show", "<HOST>", "Show a host (name or id).", 1, 1, NULL,
     NULL, host_show},
    {NULL, "host", "update", "<HOST> [--name NAME] [--tunnel-ip IP]",
     "Rename a host or change its tunnel IP.", 1, 1, update_opts, NULL,
     host_update},
    {NULL, "host", "delete", "<HOST> [<HOST> ...]",
     "Delete hosts (names or ids).", 1, CLI_ANY, NULL, NULL, host_delete},
    {0},
};
