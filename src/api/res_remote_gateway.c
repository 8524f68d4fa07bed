/* /v2.0/l2-remote-gateways: the resource table and its hooks into
 * core/border (spec/border.md). */
#include "api/resources.h"

#include "core/border.h"

static int
rgw_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
           struct core_err *err)
{
    return border_rgw_create(ctx->core, attrs, out, err);
}

static int
rgw_update(struct api_ctx *ctx, const char *id, json_t *attrs, json_t **out,
           struct core_err *err)
{
    return border_rgw_update(ctx->core, id, attrs, out, err);
}

static int
rgw_remove(struct api_ctx *ctx, const char *id, const json_t *query,
           struct core_err *err)
{
    return border_rgw_delete(ctx->core, id, err);
}

static int
rgw_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return border_render(ctx->core, rows, err);
}

static const struct api_attr rgw_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", API_A_POST | API_A_PUT, API_T_STRING, "name", STORE_TEXT},
    /* IPv4 only: checked by core (400 InvalidInput). */
    {"ipaddr", API_A_POST | API_A_PUT | API_A_REQUIRED, API_T_STRING,
     "ipaddr", STORE_TEXT},
};

/* Admin only, as every L2 gateway operation. */
const struct api_resource api_res_remote_gateway = {
    .path = "l2-remote-gateways",
    .member = "l2_remote_gateway",
    .collection = "l2_remote_gateways",
    .table = "remote_gateways",
    .attrs = rgw_attrs,
    .n_attrs = sizeof rgw_attrs / sizeof *rgw_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_REMOTE_GATEWAY_NOT_FOUND,
    .not_found_fmt = "The remote gateway %s not found",
    .create = rgw_create,
    .update = rgw_update,
    .remove = rgw_remove,
    .decorate = rgw_decorate,
};
