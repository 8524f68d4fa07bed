/* /v2.0/l2-remote-macs: the resource table and its hooks into core/border
 * (spec/border.md).  No update (delete and create): PUT is 405.  Bulk
 * create {"l2_remote_macs": [...]} takes up to BORDER_MAX_BULK_MACS
 * members in one transaction, all or nothing, in bodies up to 8 MiB. */
#include "api/resources.h"

#include "core/border.h"

static int
rmac_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
            struct core_err *err)
{
    return border_mac_create(ctx->core, attrs, out, err);
}

static int
rmac_create_bulk(struct api_ctx *ctx, json_t *items, json_t **out,
                 struct core_err *err)
{
    return border_mac_create_bulk(ctx->core, items, out, err);
}

static int
rmac_remove(struct api_ctx *ctx, const char *id, const json_t *query,
            struct core_err *err)
{
    return border_mac_delete(ctx->core, id, err);
}

static int
rmac_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return border_render(ctx->core, rows, err);
}

static const struct api_attr rmac_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    /* Unicast MAC, IPv4: checked by core (400). */
    {"mac", API_A_POST | API_A_REQUIRED, API_T_STRING, "mac", STORE_TEXT},
    {"ipaddr", API_A_POST | API_A_NULL, API_T_STRING, "ipaddr", STORE_TEXT},
    {"rgw_connection", API_A_POST | API_A_REQUIRED, API_T_STRING,
     "rgw_connection_id", STORE_TEXT},
};

/* Admin only, as every L2 gateway operation. */
const struct api_resource api_res_remote_mac = {
    .path = "l2-remote-macs",
    .member = "l2_remote_mac",
    .collection = "l2_remote_macs",
    .table = "remote_macs",
    .attrs = rmac_attrs,
    .n_attrs = sizeof rmac_attrs / sizeof *rmac_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = true,
    .max_body_bytes = BORDER_MACS_MAX_BODY,
    .max_bulk = BORDER_MAX_BULK_MACS,
    .not_found = CE_REMOTE_MAC_NOT_FOUND,
    .not_found_fmt = "The remote MAC %s not found",
    .create = rmac_create,
    .create_bulk = rmac_create_bulk,
    .remove = rmac_remove,
    .decorate = rmac_decorate,
};
