/* /v2.0/networks: the overlay inventory's networks (a Neutron-compatible
 * subset), hooks into core/network. */
#include "api/resources.h"

#include "core/network.h"

static int
net_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
           struct core_err *err)
{
    return network_create(ctx->core, attrs, out, err);
}

static int
net_update(struct api_ctx *ctx, const char *id, json_t *attrs, json_t **out,
           struct core_err *err)
{
    return network_update(ctx->core, id, attrs, out, err);
}

static int
net_remove(struct api_ctx *ctx, const char *id, const json_t *query,
           struct core_err *err)
{
    return network_delete(ctx->core, id, err);
}

static int
net_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return network_render(ctx->core, rows, err);
}

#define RW (API_A_POST | API_A_PUT)

static const struct api_attr net_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", RW, API_T_STRING, "name", STORE_TEXT},
    {"description", RW, API_T_STRING, "description", STORE_TEXT},
    {"admin_state_up", RW, API_T_BOOL, "admin_state_up", STORE_BOOL},
    {"status", 0, API_T_STRING, NULL, STORE_TEXT},
    /* Accepted so that clients may send false; true is refused by core. */
    {"shared", RW, API_T_BOOL, NULL, STORE_BOOL},
    {"subnets", 0, API_T_ANY, NULL, STORE_TEXT},
    {"mtu", RW, API_T_INT, "mtu", STORE_INT},
    /* Read-only after create (changing a VNI is delete and re-create). */
    {"provider:network_type", API_A_POST | API_A_NULL, API_T_ANY,
     "network_type", STORE_TEXT},
    /* A number or a numeric string (the OpenStack client sends "1000"). */
    {"provider:segmentation_id", API_A_POST | API_A_NULL, API_T_ANY, "vni",
     STORE_INT},
};

/* Inventory is admin only too: api.md makes every L2 gateway operation
 * admin only and says nothing of the inventory; l2gwd keeps one policy. */
const struct api_resource api_res_network = {
    .path = "networks",
    .member = "network",
    .collection = "networks",
    .table = "networks",
    .attrs = net_attrs,
    .n_attrs = sizeof net_attrs / sizeof *net_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_NETWORK_NOT_FOUND,
    .not_found_fmt = "Network %s could not be found.",
    .create = net_create,
    .update = net_update,
    .remove = net_remove,
    .decorate = net_decorate,
};
