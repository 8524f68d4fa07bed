/* /v2.0/l2-fdb-entries: the overlay export (spec/switch.md "Overlay
 * export"), read-only, admin only.  The manager keeps table fdb_entries;
 * this resource lists it with the generic list engine (paging, filters
 * network_id, mac, vtep_ip, source ...), adds the current "revision" to
 * the list response, and with ?changes_since=<revision> lists only the
 * entries changed since then, removed ones included ("deleted": true), or
 * 410 when that revision is older than the kept tombstones.
 *
 * Needs the framework's list hook (resource.h 'list_hook': the extra SQL
 * condition and extra top-level keys of a list response). */
#include "api/resources.h"

#include <stdio.h>

#include "core/fdbread.h"

static int
fdb_list_hook(struct api_ctx *ctx, const json_t *query, char *where,
              size_t size, json_t *extra, struct core_err *err)
{
    char cond[FDBREAD_WHERE_LEN];
    long long revision = 0;

    int rc = fdbread_where(ctx->core, query, cond, &revision, err);
    if (rc) {
        return rc;
    }
    snprintf(where, size, "%s", cond);
    json_object_set_new(extra, "revision", json_integer(revision));
    return 0;
}

static const struct api_attr fdb_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"network_id", 0, API_T_STRING, "network_id", STORE_TEXT},
    {"vni", 0, API_T_INT, "vni", STORE_INT},
    {"mac", 0, API_T_STRING, "mac", STORE_TEXT},
    {"ip_address", 0, API_T_STRING, "ip_address", STORE_TEXT},
    {"vtep_ip", 0, API_T_STRING, "vtep_ip", STORE_TEXT},
    {"source", 0, API_T_STRING, "source", STORE_TEXT},
    {"revision", 0, API_T_INT, "revision", STORE_INT},
    {"deleted", 0, API_T_BOOL, "deleted", STORE_BOOL},
};

/* Admin only, as every resource of l2gwd (see res_network.c). */
const struct api_resource api_res_fdb = {
    .path = "l2-fdb-entries",
    .member = "l2_fdb_entry",
    .collection = "l2_fdb_entries",
    .table = "fdb_entries",
    .attrs = fdb_attrs,
    .n_attrs = sizeof fdb_attrs / sizeof *fdb_attrs,
    .admin_only = true,
    .has_project = false,
    .allow_bulk = false,
    .not_found = CE_NOT_FOUND,
    .not_found_fmt = "L2 fdb entry %s could not be found.",
    .list_hook = fdb_list_hook,
};
