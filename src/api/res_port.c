/* /v2.0/ports: the overlay inventory's ports (a Neutron-compatible subset),
 * hooks into core/port. */
#include "api/resources.h"

#include "core/port.h"

static int
port_create_hook(struct api_ctx *ctx, json_t *attrs, json_t **out,
                 struct core_err *err)
{
    return port_create(ctx->core, attrs, out, err);
}

static int
port_update_hook(struct api_ctx *ctx, const char *id, json_t *attrs,
                 json_t **out, struct core_err *err)
{
    return port_update(ctx->core, id, attrs, out, err);
}

static int
port_remove_hook(struct api_ctx *ctx, const char *id, const json_t *query,
                 struct core_err *err)
{
    return port_delete(ctx->core, id, err);
}

static int
port_decorate_hook(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return port_render(ctx->core, rows, err);
}

#define RW (API_A_POST | API_A_PUT)

static const struct api_attr port_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", RW, API_T_STRING, "name", STORE_TEXT},
    /* A string, not a UUID: an unknown network of any shape is a 404. */
    {"network_id", API_A_POST | API_A_REQUIRED, API_T_STRING, "network_id",
     STORE_TEXT},
    {"mac_address", RW | API_A_NULL, API_T_ANY, "mac_address", STORE_TEXT},
    {"fixed_ips", RW | API_A_NULL, API_T_ANY, NULL, STORE_TEXT},
    {"allowed_address_pairs", RW | API_A_NULL, API_T_ANY, NULL, STORE_TEXT},
    {"binding:host_id", RW | API_A_NULL, API_T_STRING, "host", STORE_TEXT},
    {"device_owner", RW, API_T_STRING, "device_owner", STORE_TEXT},
    {"device_id", RW, API_T_STRING, "device_id", STORE_TEXT},
    {"admin_state_up", RW, API_T_BOOL, "admin_state_up", STORE_BOOL},
    {"status", 0, API_T_STRING, "status", STORE_TEXT},
};

/* Admin only, as every resource of l2gwd (see res_network.c). */
const struct api_resource api_res_port = {
    .path = "ports",
    .member = "port",
    .collection = "ports",
    .table = "ports",
    .attrs = port_attrs,
    .n_attrs = sizeof port_attrs / sizeof *port_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_PORT_NOT_FOUND,
    .not_found_fmt = "Port %s could not be found.",
    .create = port_create_hook,
    .update = port_update_hook,
    .remove = port_remove_hook,
    .decorate = port_decorate_hook,
};
