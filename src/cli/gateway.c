/* L2 gateways: l2-gateway-{create,list,show,update,delete} and
 * gateway {create,list,show,update,delete}. */
#include "cli/commands.h"

#include <stdlib.h>

#include "cli/device.h"
#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"tenant_id", "Tenant", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"devices", "Devices", OUT_LIST},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

const struct res_type gateway_type = {
    "/v2.0/l2-gateways",
    "l2_gateway",
    "l2_gateways",
    "L2 Gateway",
    true,
    columns,
    NULL,
};

#define DEVICE_HELP                                                            \
    "a device and its interfaces: "                                            \
    "name=<dev>,interface_names=<if>[|<vlan>[#<vlan>...]][;<if2>...] "         \
    "(repeatable)"

static const struct args_opt create_opts[] = {
    {"--device", NULL, ARGS_VALUE, "SPEC", DEVICE_HELP},
    {0},
};

static const struct args_opt update_opts[] = {
    {"--name", NULL, ARGS_VALUE, "NAME", "new name"},
    {"--device", NULL, ARGS_VALUE, "SPEC",
     DEVICE_HELP "; replaces the interfaces of that device"},
    {0},
};

/* The devices of the --device options as a new JSON array in *out, or
 * a usage error (exit status returned). */
static int parse_devices(struct cli *c, const struct args *a, json_t **out)
{
    size_t n = args_count(a, "--device");
    json_t *devices = json_array();

    for (size_t i = 0; i < n; i++) {
        const char *spec = args_nth(a, "--device", i);
        char err[512];
        json_t *dev = device_parse(spec, err, sizeof err);

        if (!dev) {
            json_decref(devices);
            return cli_usage_error(c, "invalid --device '%s': %s", spec, err);
        }
        json_array_append_new(devices, dev);
    }
    *out = devices;
    return CLI_EXIT_OK;
}

static int gw_create(struct cli *c, const struct args *a)
{
    json_t *inner, *devices;
    int rc;

    if (!args_has(a, "--device"))
        return cli_usage_error(c, "at least one --device is required");
    rc = parse_devices(c, a, &devices);
    if (rc != CLI_EXIT_OK)
        return rc;
    inner = json_object();
    if (*a->pos[0]) /* as the OpenStack client: an empty name is omitted */
        json_object_set_new(inner, "name", json_string(a->pos[0]));
    json_object_set_new(inner, "devices", devices);
    res_set_project(inner, a);
    return res_cmd_create(c, &gateway_type, inner);
}

static int gw_update(struct cli *c, const struct args *a)
{
    json_t *inner, *devices = NULL;
    char *id;
    int rc;

    if (args_has(a, "--device")) {
        rc = parse_devices(c, a, &devices);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    if (resolve_or_print(c, &gateway_type, a->pos[0], &id) < 0) {
        json_decref(devices);
        return CLI_EXIT_FAIL;
    }
    inner = json_object();
    if (args_get(a, "--name"))
        json_object_set_new(inner, "name", json_string(args_get(a, "--name")));
    if (devices)
        json_object_set_new(inner, "devices", devices);
    rc = res_cmd_update(c, &gateway_type, id, inner);
    free(id);
    return rc;
}

static int gw_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &gateway_type, a, "");
}

static int gw_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &gateway_type, a);
}

static int gw_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &gateway_type, a, "");
}

const struct cli_cmd gateway_cmds[] = {
    {"l2-gateway-create", "gateway", "create",
     "<NAME> --device name=<dev>,interface_names=<spec> [--device ...] "
     "[--tenant-id T]",
     "Create an L2 gateway from devices (switches) and their interfaces.", 1, 1,
     create_opts, res_project_opts, gw_create},
    {"l2-gateway-list", "gateway", "list",
     "[-F FIELD] [--project P] [--sort-key K] [--sort-dir asc|desc]",
     "List L2 gateways.", 0, 0, NULL, res_list_opts, gw_list},
    {"l2-gateway-show", "gateway", "show", "<GATEWAY>",
     "Show an L2 gateway (name or id).", 1, 1, NULL, NULL, gw_show},
    {"l2-gateway-update", "gateway", "update",
     "<GATEWAY> [--name NAME] [--device SPEC ...]",
     "Rename an L2 gateway or replace the interfaces of its devices.", 1, 1,
     update_opts, NULL, gw_update},
    {"l2-gateway-delete", "gateway", "delete", "<GATEWAY> [<GATEWAY> ...]",
     "Delete L2 gateways (names or ids).", 1, CLI_ANY, NULL, NULL, gw_delete},
    {0},
};
