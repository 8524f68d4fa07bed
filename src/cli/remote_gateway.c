/* Remote (border) gateways of other clouds:
 * l2-remote-gateway-{create,update,list,show,delete} and remote-gateway
 * {create,update,list,show,delete}. */
#include "cli/commands.h"

#include <stdlib.h>

#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"ipaddr", "IP Address", OUT_LIST},
    {"tenant_id", "Tenant", 0},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

const struct res_type remote_gateway_type = {
    "/v2.0/l2-remote-gateways",
    "l2_remote_gateway",
    "l2_remote_gateways",
    "L2 Remote Gateway",
    true,
    columns,
    NULL,
};

static const struct args_opt update_opts[] = {
    {"--name", NULL, ARGS_VALUE, "NAME", "new name"},
    {"--ipaddr", NULL, ARGS_VALUE, "IP",
     "new WAN tunnel IPv4 address of the remote gateway"},
    {0},
};

static int rgw_create(struct cli *c, const struct args *a)
{
    json_t *inner =
        json_pack("{s:s, s:s}", "name", a->pos[0], "ipaddr", a->pos[1]);

    res_set_project(inner, a);
    return res_cmd_create(c, &remote_gateway_type, inner);
}

static int rgw_update(struct cli *c, const struct args *a)
{
    json_t *inner;
    char *id;
    int rc;

    if (resolve_or_print(c, &remote_gateway_type, a->pos[0], &id) < 0)
        return CLI_EXIT_FAIL;
    inner = json_object();
    if (args_get(a, "--name"))
        json_object_set_new(inner, "name", json_string(args_get(a, "--name")));
    if (args_get(a, "--ipaddr"))
        json_object_set_new(inner, "ipaddr",
                            json_string(args_get(a, "--ipaddr")));
    rc = res_cmd_update(c, &remote_gateway_type, id, inner);
    free(id);
    return rc;
}

static int rgw_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &remote_gateway_type, a, "");
}

static int rgw_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &remote_gateway_type, a);
}

static int rgw_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &remote_gateway_type, a, "");
}

const struct cli_cmd remote_gateway_cmds[] = {
    {"l2-remote-gateway-create", "remote-gateway", "create",
     "<NAME> <IP-ADDRESS>",
     "Register the border gateway of another cloud (its WAN IPv4 address).", 2,
     2, NULL, res_project_opts, rgw_create},
    {"l2-remote-gateway-update", "remote-gateway", "update",
     "<REMOTE-GATEWAY> [--name NAME] [--ipaddr IP]",
     "Rename a remote gateway or change its address.", 1, 1, update_opts, NULL,
     rgw_update},
    {"l2-remote-gateway-list", "remote-gateway", "list",
     "[-F FIELD] [--sort-key K]", "List remote gateways.", 0, 0, NULL,
     res_list_opts, rgw_list},
    {"l2-remote-gateway-show", "remote-gateway", "show", "<REMOTE-GATEWAY>",
     "Show a remote gateway (name or id).", 1, 1, NULL, NULL, rgw_show},
    {"l2-remote-gateway-delete", "remote-gateway", "delete",
     "<REMOTE-GATEWAY> [<REMOTE-GATEWAY> ...]",
     "Delete remote gateways (names or ids).", 1, CLI_ANY, NULL, NULL,
     rgw_delete},
    {0},
};
