/* /v2.0/l2-remote-gateway-connections: the resource table and its hooks
 * into core/border (spec/border.md), and the border spec's own form of
 * remote MAC creation under a connection:
 *   POST /v2.0/l2-remote-gateway-connections/<id>/remote-macs
 *   {"remote-mac": {"mac": ..., "ip": ...}} or {"remote-macs": [...]}
 * answered 201 like /v2.0/l2-remote-macs ({"l2_remote_mac": {...}} or
 * {"l2_remote_macs": [...]}). */
#include "api/resources.h"

#include <errno.h>
#include <string.h>

#include "core/border.h"

static int
rconn_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
             struct core_err *err)
{
    return border_rconn_create(ctx->core, attrs, out, err);
}

static int
rconn_update(struct api_ctx *ctx, const char *id, json_t *attrs, json_t **out,
             struct core_err *err)
{
    return border_rconn_update(ctx->core, id, attrs, out, err);
}

static int
rconn_remove(struct api_ctx *ctx, const char *id, const json_t *query,
             struct core_err *err)
{
    return border_rconn_delete(ctx->core, id, err);
}

static int
rconn_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return border_render(ctx->core, rows, err);
}

/* ---- the spec's remote-macs form ---- */

/* Converts one {"mac", "ip"} item (also "ipaddr") into a member of
 * /v2.0/l2-remote-macs for connection 'conn'.  Returns a new object, or
 * NULL with 'err' filled. */
static json_t *
spec_item(const struct api_ctx *ctx, const json_t *item, const char *conn,
          struct core_err *err)
{
    const char *key;
    json_t *v;

    if (!json_is_object(item)) {
        core_fail(err, CE_BAD_REQUEST,
                  "Object 'remote-mac' contains invalid data");
        return NULL;
    }
    json_object_foreach((json_t *) item, key, v) {
        if (strcmp(key, "mac") && strcmp(key, "ip") && strcmp(key, "ipaddr")) {
            core_fail(err, CE_BAD_REQUEST, "Unrecognized attribute(s) '%s'",
                      key);
            return NULL;
        }
    }
    json_t *ip = json_object_get(item, "ip");
    json_t *ipaddr = json_object_get(item, "ipaddr");
    if (ip && ipaddr && !json_equal(ip, ipaddr)) {
        core_fail(err, CE_BAD_REQUEST,
                  "'ip' and 'ipaddr' do not match: give one of them");
        return NULL;
    }
    json_t *m = json_pack("{s:s, s:s, s:s}", "rgw_connection", conn,
                          "tenant_id", ctx->caller->project_id, "project_id",
                          ctx->caller->project_id);
    if (json_object_get(item, "mac")) {
        json_object_set(m, "mac", json_object_get(item, "mac"));
    }
    if (ip || ipaddr) {
        json_object_set(m, "ipaddr", ip ? ip : ipaddr);
    }
    return m;
}

/* Checks the shape of "remote-macs" (a non-empty list, at most
 * BORDER_MAX_BULK_MACS) or "remote-mac"; 0 or -EINVAL with 'err' filled. */
static int
spec_shape(const json_t *list, const json_t *one, struct core_err *err)
{
    if (!list && !one) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Unable to find 'remote-mac' or 'remote-macs' in "
                         "request body");
    }
    if (list && (!json_is_array(list) || !json_array_size(list))) {
        return core_fail(err, CE_BAD_REQUEST,
                         json_is_array(list) ? "Resources required"
                                             : "Body contains invalid data");
    }
    if (list && json_array_size(list) > BORDER_MAX_BULK_MACS) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Bulk request holds more than %d resources",
                         BORDER_MAX_BULK_MACS);
    }
    return 0;
}

/* The members for /v2.0/l2-remote-macs made of the body's items: [item]
 * for "remote-mac", one per element of "remote-macs".  Returns a new
 * array, or NULL with 'err' filled. */
static json_t *
spec_items(const struct api_ctx *ctx, const json_t *body, const char *conn,
           struct core_err *err)
{
    const json_t *list = json_object_get(body, "remote-macs");
    const json_t *one = json_object_get(body, "remote-mac");

    if (spec_shape(list, one, err)) {
        return NULL;
    }
    json_t *items = json_array();
    size_t n = list ? json_array_size(list) : 1;
    for (size_t i = 0; items && i < n; i++) {
        json_t *m = spec_item(ctx, list ? json_array_get(list, i) : one, conn,
                              err);
        if (!m || json_array_append_new(items, m)) {
            json_decref(items);
            items = NULL;
        }
    }
    return items;
}

static int
rconn_post_macs(struct api_ctx *ctx, const char *parent_id, json_t *body,
                json_t **out, struct core_err *err)
{
    bool bulk = json_object_get(body, "remote-macs") != NULL;
    json_t *items = spec_items(ctx, body, parent_id, err);
    json_t *created = NULL;

    if (!items) {
        return -EINVAL;
    }
    int rc = border_mac_create_bulk(ctx->core, items, &created, err);
    json_decref(items);
    if (rc) {
        return rc;
    }
    *out = bulk ? json_pack("{s:o}", "l2_remote_macs", created)
                : json_pack("{s:O}", "l2_remote_mac",
                            json_array_get(created, 0));
    if (!bulk) {
        json_decref(created);
    }
    return *out ? 0 : -ENOMEM;
}

static const struct api_subroute rconn_subroutes[] = {
    {"remote-macs", BORDER_MACS_MAX_BODY, rconn_post_macs},
};

/* ---- the resource ---- */

static const struct api_attr rconn_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    /* Ids or names: strings (core resolves them, 404 by type). */
    {"gateway", API_A_POST | API_A_REQUIRED, API_T_STRING, "gateway_id",
     STORE_TEXT},
    {"network", API_A_POST | API_A_REQUIRED, API_T_STRING, "network_id",
     STORE_TEXT},
    {"remote_gateway", API_A_POST | API_A_REQUIRED, API_T_STRING,
     "remote_gateway_id", STORE_TEXT},
    /* null: the default (the network's VNI; flood true), as the reference
     * client sends None for options not given.  Ranges: core. */
    {"seg_id", API_A_POST | API_A_PUT | API_A_NULL, API_T_INT, "seg_id",
     STORE_INT},
    {"flood", API_A_POST | API_A_PUT | API_A_NULL, API_T_BOOL, "flood",
     STORE_BOOL},
    {"status", 0, API_T_STRING, "status", STORE_TEXT},
    {"status_reason", 0, API_T_STRING, "status_reason", STORE_TEXT},
};

/* Admin only, as every L2 gateway operation. */
const struct api_resource api_res_remote_connection = {
    .path = "l2-remote-gateway-connections",
    .member = "l2_remote_gateway_connection",
    .collection = "l2_remote_gateway_connections",
    .table = "remote_gateway_connections",
    .attrs = rconn_attrs,
    .n_attrs = sizeof rconn_attrs / sizeof *rconn_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_REMOTE_CONNECTION_NOT_FOUND,
    .not_found_fmt = "The remote gateway connection %s not found",
    .create = rconn_create,
    .update = rconn_update,
    .remove = rconn_remove,
    .decorate = rconn_decorate,
    .subroutes = rconn_subroutes,
    .n_subroutes = sizeof rconn_subroutes / sizeof *rconn_subroutes,
};
