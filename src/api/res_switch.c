/* /v2.0/l2-switches: the switch registry the manager keeps; GET, and
 * DELETE to forget a switch (?cleanup=true to remove l2gwd's rows from it
 * first). */
#include "api/resources.h"

#include <string.h>
#include <strings.h>

#include "core/registry.h"

/* True if the query has cleanup=true (or 1, any case). */
static bool
want_cleanup(const json_t *query)
{
    const json_t *values = json_object_get(query, "cleanup");
    size_t i;
    json_t *v;

    json_array_foreach(values, i, v) {
        const char *s = json_string_value(v);
        if (s && (!strcasecmp(s, "true") || !strcmp(s, "1"))) {
            return true;
        }
    }
    return false;
}

static int
switch_remove(struct api_ctx *ctx, const char *id, const json_t *query,
              struct core_err *err)
{
    return registry_forget_switch(ctx->core, id, want_cleanup(query), err);
}

static int
switch_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return registry_render_switches(ctx->core, rows, err);
}

static const struct api_attr switch_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", 0, API_T_STRING, "name", STORE_TEXT},
    {"ovsdb_identifier", 0, API_T_STRING, "ovsdb_identifier", STORE_TEXT},
    {"description", 0, API_T_STRING, "description", STORE_TEXT},
    {"connected", 0, API_T_BOOL, "connected", STORE_BOOL},
    /* JSON text columns, rendered as JSON by the decorate hook. */
    {"tunnel_ips", 0, API_T_ANY, "tunnel_ips", STORE_TEXT},
    {"switch_fault_status", 0, API_T_ANY, "switch_fault_status", STORE_TEXT},
    {"ports", 0, API_T_ANY, NULL, STORE_TEXT},
    {"last_sync_at", 0, API_T_STRING, "last_sync_at", STORE_TEXT},
    {"reconnects", 0, API_T_INT, "reconnects", STORE_INT},
    {"last_error", 0, API_T_STRING, "last_error", STORE_TEXT},
    /* Observability figures the manager keeps (schema version 2). */
    {"owned_logical_switches", 0, API_T_INT, "owned_logical_switches",
     STORE_INT},
    {"owned_rows", 0, API_T_INT, "owned_rows", STORE_INT},
    {"pending_operations", 0, API_T_INT, "pending_operations", STORE_INT},
    {"last_txn_latency_ms", 0, API_T_INT, "last_txn_latency_ms", STORE_INT},
    {"last_error_operation", 0, API_T_STRING, "last_error_operation",
     STORE_TEXT},
    {"last_error_table", 0, API_T_STRING, "last_error_table", STORE_TEXT},
    {"last_error_row", 0, API_T_STRING, "last_error_row", STORE_TEXT},
    {"forget_requested", 0, API_T_BOOL, "forget_requested", STORE_BOOL},
};

/* Admin only, as every resource of l2gwd (see res_network.c). */
const struct api_resource api_res_switch = {
    .path = "l2-switches",
    .member = "l2_switch",
    .collection = "l2_switches",
    .table = "switches",
    .attrs = switch_attrs,
    .n_attrs = sizeof switch_attrs / sizeof *switch_attrs,
    .admin_only = true,
    .has_project = false,
    .allow_bulk = false,
    .not_found = CE_SWITCH_NOT_FOUND,
    .not_found_fmt = "L2 switch %s could not be found.",
    .remove = switch_remove,
    .decorate = switch_decorate,
};
