/* Overlay networks (inventory): network {create,list,show,update,delete}.
 * List columns as the OpenStack client's, show rows under their
 * attribute names (as "openstack network show"). */
#include "cli/commands.h"

#include <stdlib.h>

#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"provider:network_type", "Network Type", OUT_LIST},
    {"provider:segmentation_id", "Segmentation ID", OUT_LIST},
    {"mtu", "MTU", 0},
    {"status", "Status", OUT_LIST},
    {"tenant_id", "Project", 0},
    {0},
};

static const struct out_column show_columns[] = {
    {"tenant_id", "tenant_id", OUT_HIDDEN},
    {0},
};

const struct res_type network_type = {
    "/v2.0/networks", "network",    "networks", "Network", true,
    columns,          show_columns,
};

static const struct args_opt create_opts[] = {
    {"--provider-segment", "--provider-segmentation-id", ARGS_VALUE, "VNI",
     "the VXLAN VNI (default: allocated)"},
    {"--provider-network-type", NULL, ARGS_VALUE, "TYPE",
     "network type (only vxlan)"},
    {"--mtu", NULL, ARGS_VALUE, "MTU", "MTU of the network"},
    {"--description", NULL, ARGS_VALUE, "TEXT", "description"},
    {"--tenant-id", "--project", ARGS_VALUE, "PROJECT",
     "owner project of the new network (admin only)"},
    {0},
};

static const struct args_opt update_opts[] = {
    {"--name", NULL, ARGS_VALUE, "NAME", "new name"},
    {"--mtu", NULL, ARGS_VALUE, "MTU", "MTU of the network"},
    {"--description", NULL, ARGS_VALUE, "TEXT", "description"},
    {0},
};

static void set_common(json_t *inner, const struct args *a)
{
    if (args_get(a, "--mtu"))
        json_object_set_new(inner, "mtu", res_number(args_get(a, "--mtu")));
    if (args_get(a, "--description"))
        json_object_set_new(inner, "description",
                            json_string(args_get(a, "--description")));
}

static int net_create(struct cli *c, const struct args *a)
{
    json_t *inner = json_pack("{s:s}", "name", a->pos[0]);
    const char *type = args_get(a, "--provider-network-type");
    const char *vni = args_get(a, "--provider-segment");

    if (type)
        json_object_set_new(inner, "provider:network_type", json_string(type));
    if (vni)
        json_object_set_new(inner, "provider:segmentation_id", res_number(vni));
    set_common(inner, a);
    res_set_project(inner, a);
    return res_cmd_create(c, &network_type, inner);
}

static int net_update(struct cli *c, const struct args *a)
{
    json_t *inner;
    char *id;
    int rc;

    if (resolve_or_print(c, &network_type, a->pos[0], &id) < 0)
        return CLI_EXIT_FAIL;
    inner = json_object();
    if (args_get(a, "--name"))
        json_object_set_new(inner, "name", json_string(args_get(a, "--name")));
    set_common(inner, a);
    rc = res_cmd_update(c, &network_type, id, inner);
    free(id);
    return rc;
}

static int net_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &network_type, a, "");
}

static int net_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &network_type, a);
}

static int net_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &network_type, a, "");
}

const struct cli_cmd network_cmds[] = {
    {NULL, "network", "create",
     "<NAME> [--provider-segment VNI] [--mtu MTU] [--description TEXT]",
     "Create a VXLAN network.", 1, 1, create_opts, NULL, net_create},
    {NULL, "network", "list", "[-F FIELD] [--project P] [--sort-key K]",
     "List networks.", 0, 0, NULL, res_list_opts, net_list},
    {NULL, "network", "show", "<NETWORK>", "Show a network (name or id).", 1, 1,
     NULL, NULL, net_show},
    {NULL, "network", "update", "<NETWORK> [--name NAME] [--mtu MTU]",
     "Update a network.", 1, 1, update_opts, NULL, net_update},
    {NULL, "network", "delete", "<NETWORK> [<NETWORK> ...]",
     "Delete networks (names or ids).", 1, CLI_ANY, NULL, NULL, net_delete},
    {0},
};
