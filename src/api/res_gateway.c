/* /v2.0/l2-gateways: the resource table and its hooks into core/gateway. */
#include "api/resources.h"

#include "core/gateway.h"

/* Defaults tenant_id/project_id to the caller's project when neither was
 * given (the framework normally did it already). */
static int
gw_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
          struct core_err *err)
{
    return gateway_create(ctx->core, attrs, out, err);
}

static int
gw_update(struct api_ctx *ctx, const char *id, json_t *attrs, json_t **out,
          struct core_err *err)
{
    return gateway_update(ctx->core, id, attrs, out, err);
}

static int
gw_remove(struct api_ctx *ctx, const char *id, const json_t *query,
          struct core_err *err)
{
    return gateway_delete(ctx->core, id, err);
}

static int
gw_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return gateway_render(ctx->core, rows, err);
}

static const struct api_attr gw_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", API_A_POST | API_A_PUT, API_T_STRING, "name", STORE_TEXT},
    /* Null and every malformed shape are answered by core with api.md's
     * reasons, so the framework checks nothing but presence. */
    {"devices", API_A_POST | API_A_PUT | API_A_REQUIRED | API_A_NULL,
     API_T_ANY, NULL, STORE_TEXT},
};

/* Every L2 gateway operation is admin only (api.md). */
const struct api_resource api_res_gateway = {
    .path = "l2-gateways",
    .member = "l2_gateway",
    .collection = "l2_gateways",
    .table = "gateways",
    .attrs = gw_attrs,
    .n_attrs = sizeof gw_attrs / sizeof *gw_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_GATEWAY_NOT_FOUND,
    .not_found_fmt = "L2 Gateway %s could not be found",
    .create = gw_create,
    .update = gw_update,
    .remove = gw_remove,
    .decorate = gw_decorate,
};
