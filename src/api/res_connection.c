/* /v2.0/l2-gateway-connections: the resource table and its hooks into
 * core/connection.  No attribute is updatable: the framework answers a PUT
 * naming any attribute with "Cannot update read-only attribute <name>"; the
 * update hook only sees an empty member object and refuses it. */
#include "api/resources.h"

#include "core/connection.h"

static int
conn_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
            struct core_err *err)
{
    /* The connection belongs to the gateway's project: core sets it. */
    return connection_create(ctx->core, attrs, out, err);
}

static int
conn_update(struct api_ctx *ctx, const char *id, json_t *attrs, json_t **out,
            struct core_err *err)
{
    json_t *conn = NULL;

    int rc = connection_get(ctx->core, id, &conn, err);
    json_decref(conn);
    if (rc) {
        return rc;
    }
    return core_fail(err, CE_BAD_REQUEST,
                     "Invalid input for l2_gateway_connection. Reason: a "
                     "connection has no updatable attribute.");
}

static int
conn_remove(struct api_ctx *ctx, const char *id, const json_t *query,
            struct core_err *err)
{
    return connection_delete(ctx->core, id, err);
}

static int
conn_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return connection_render(ctx->core, rows, err);
}

static const struct api_attr conn_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    /* Strings, not UUIDs: an unknown id of any shape is a 404 (steps 1-2). */
    {"l2_gateway_id", API_A_POST, API_T_STRING, "gateway_id", STORE_TEXT},
    {"network_id", API_A_POST | API_A_REQUIRED, API_T_STRING, "network_id",
     STORE_TEXT},
    /* A number or a numeric string; checked by core (InvalidInput). */
    {"segmentation_id", API_A_POST | API_A_NULL, API_T_ANY,
     "segmentation_id", STORE_INT},
    {"status", 0, API_T_STRING, "status", STORE_TEXT},
    {"status_reason", 0, API_T_STRING, "status_reason", STORE_TEXT},
};

/* Every L2 gateway operation is admin only (api.md). */
const struct api_resource api_res_connection = {
    .path = "l2-gateway-connections",
    .member = "l2_gateway_connection",
    .collection = "l2_gateway_connections",
    .table = "connections",
    .attrs = conn_attrs,
    .n_attrs = sizeof conn_attrs / sizeof *conn_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_CONNECTION_NOT_FOUND,
    .not_found_fmt = "The connection %s not found on the l2 gateway",
    .create = conn_create,
    .update = conn_update,
    .remove = conn_remove,
    .decorate = conn_decorate,
};
