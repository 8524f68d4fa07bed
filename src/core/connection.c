/* L2 gateway connections: create (api.md's steps, in order), delete,
 * rendering, and the checks a gateway update re-runs. */
#include "core/connection.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/border.h"
#include "core/core.h"
#include "core/db.h"
#include "core/gateway.h"
#include "core/switchcheck.h"
#include "core/valid.h"
#include "lib/config.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "connection"
#include "lib/log.h"

#define SEG_ID "segmentation_id"

/* A create request as it moves through the steps. */
struct conn_req {
    const json_t *attrs;
    const char *gw_given;         /* l2_gateway_id as given ("" if absent) */
    const char *net_given;        /* network_id as given */
    char gw[VALID_ID_LEN];        /* normalised ids */
    char net[VALID_ID_LEN];
    const json_t *seg;            /* segmentation_id, NULL when unset */
    long long vlan;               /* parsed 'seg' */
    char project[VALID_ID_LEN];   /* the gateway's project */
    char id[UUID_STRLEN + 1];
    json_t *out;
};

/* A value of the reference's mapping dict as Python prints it. */
static void
py_repr(const json_t *v, char *buf, size_t size)
{
    if (!v || json_is_null(v)) {
        snprintf(buf, size, "%s", v ? "None" : "''");
    } else if (json_is_string(v)) {
        snprintf(buf, size, "'%s'", json_string_value(v));
    } else {
        char *s = ju_dump(v);
        snprintf(buf, size, "%s", s ? s : "");
        free(s);
    }
}

/* Step 1: the network exists. */
static int
step_network(struct store *st, struct conn_req *r, struct core_err *err)
{
    int rc = db_exists(st, "SELECT 1 FROM networks WHERE id = ?", "s", r->net);
    if (rc <= 0) {
        return rc < 0 ? rc
                      : core_fail(err, CE_NETWORK_NOT_FOUND,
                                  "Network %s could not be found.",
                                  r->net_given);
    }
    return 0;
}

/* Step 2: the gateway exists; its project becomes the connection's. */
static int
step_gateway(struct store *st, struct conn_req *r, struct core_err *err)
{
    int rc = db_text(st, r->project, sizeof r->project,
                     "SELECT project_id FROM gateways WHERE id = ?", "s",
                     r->gw);
    if (rc <= 0) {
        return rc < 0 ? rc
                      : core_fail(err, CE_GATEWAY_NOT_FOUND,
                                  "L2 Gateway %s could not be found",
                                  r->gw_given);
    }
    return 0;
}

/* Step 3: VLANs come from the gateway's interfaces or from the request,
 * not both; neither means untagged. */
static int
check_vlan_source(bool gw_has_vlans, bool conn_has_vlan, struct core_err *err)
{
    if (gw_has_vlans && conn_has_vlan) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: default "
                         "segmentation_id should not be provided when "
                         "segmentation_id is assigned during l2gateway "
                         "creation.");
    }
    return 0;
}

static int
step_vlan_source(struct core *c, struct conn_req *r, struct core_err *err)
{
    int has = gateway_has_vlans(c, r->gw);
    if (has < 0) {
        return has;
    }
    if (check_vlan_source(has, r->seg != NULL, err)) {
        return -EINVAL;
    }
    return r->seg ? gateway_parse_vlan(r->seg, &r->vlan, err) : 0;
}

/* Step 4: one connection per (gateway, network). */
static int
step_unique(struct store *st, struct conn_req *r, struct core_err *err)
{
    char net[VALID_ID_LEN + 8], gw[VALID_ID_LEN + 8], seg[128];

    int rc = db_exists(st,
                       "SELECT 1 FROM connections WHERE gateway_id = ? AND "
                       "network_id = ?",
                       "ss", r->gw, r->net);
    if (rc <= 0) {
        return rc;
    }
    py_repr(json_object_get(r->attrs, "network_id"), net, sizeof net);
    py_repr(json_object_get(r->attrs, "l2_gateway_id"), gw, sizeof gw);
    py_repr(json_object_get(r->attrs, SEG_ID), seg, sizeof seg);
    return core_fail(err, CE_CONNECTION_EXISTS,
                     "The specified mapping '{'network_id': %s, "
                     "'l2_gateway_id': %s, 'segmentation_id': %s}' exists on "
                     "network gateway '%s'.",
                     net, gw, seg, r->gw_given);
}

/* Steps 5 and 6: every device a known, unambiguous switch with the
 * interfaces as its ports, no fault, no (port, VLAN) bound elsewhere, no
 * foreign Logical_Switch with the VNI (core/switchcheck.c). */
static int
step_switches(struct core *c, struct conn_req *r, struct core_err *err)
{
    return switchcheck_connection(c, r->gw, r->net, r->seg ? &r->vlan : NULL,
                                  NULL, err);
}

/* [QUOTAS] quota_l2_gateway_connection per project (-1: unlimited). */
static int
step_quota(struct core *c, struct conn_req *r, struct core_err *err)
{
    const struct config *cfg = core_config(c);
    long long limit = cfg ? cfg->quota_l2_gateway_connection : -1, n = 0;

    if (limit < 0) {
        return 0;
    }
    int rc = db_int(core_store(c), &n,
                    "SELECT COUNT(*) FROM connections WHERE project_id = ?",
                    "s", r->project);
    if (rc < 0) {
        return rc;
    }
    if (n >= limit) {
        return core_fail(err, CE_OVER_QUOTA,
                         "Quota exceeded for resources: "
                         "['l2_gateway_connection'].");
    }
    return 0;
}

/* Step 7: the network is VXLAN with a VNI, and that VNI is not another
 * network's WAN key on the gateway's switch databases (border.md). */
static int
step_vxlan(struct core *c, struct conn_req *r, struct core_err *err)
{
    struct store *st = core_store(c);
    long long vni = 0;

    int rc = db_int(st, &vni,
                    "SELECT vni FROM networks WHERE id = ? AND "
                    "network_type = 'vxlan'",
                    "s", r->net);
    if (rc < 0) {
        return rc;
    }
    if (!rc || vni <= 0) {
        return core_fail(err, CE_VXLAN_SEGID_NOT_FOUND,
                         "vxlan segmentation id not found for the network "
                         "'%s'",
                         r->net_given);
    }
    return border_check_local_vni(c, r->gw, r->net, vni, err);
}

static int
insert_connection(struct store *st, struct conn_req *r)
{
    char now[32], seg[24] = "";

    uuid_generate(r->id);
    store_timestamp(now);
    int rc = db_run(st,
                    "INSERT INTO connections (id, project_id, gateway_id, "
                    "network_id, segmentation_id, status, status_reason, "
                    "created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, 'PENDING', '', ?, ?)",
                    "ssssjss", r->id, r->project, r->gw, r->net,
                    r->seg ? &r->vlan : NULL, now, now);
    if (rc < 0) {
        return db_fail(rc, "insert connection");
    }
    if (r->seg) {
        snprintf(seg, sizeof seg, "%lld", r->vlan);
    }
    r->out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", r->id,
                       "l2_gateway_id", r->gw, "network_id", r->net, SEG_ID,
                       seg, "status", "PENDING", "status_reason", "");
    valid_set_project(r->out, r->project);
    return 0;
}

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct conn_req *r = aux;
    struct store *st = core_store(c);
    int rc;

    if ((rc = step_network(st, r, err)) || (rc = step_gateway(st, r, err))
        || (rc = step_vlan_source(c, r, err)) || (rc = step_unique(st, r, err))
        || (rc = step_switches(c, r, err)) || (rc = step_quota(c, r, err))
        || (rc = step_vxlan(c, r, err)) || (rc = insert_connection(st, r))) {
        return rc;
    }
    return db_txn_event(t, EVENT_CONNECTION, r->id, r->net);
}

int
connection_create(struct core *c, const json_t *attrs, json_t **out,
                  struct core_err *err)
{
    struct conn_req r = {.attrs = attrs};

    r.gw_given = ju_str(attrs, "l2_gateway_id");
    r.net_given = ju_str(attrs, "network_id");
    r.gw_given = r.gw_given ? r.gw_given : "";
    r.net_given = r.net_given ? r.net_given : "";
    valid_id(r.gw_given, r.gw);
    valid_id(r.net_given, r.net);
    r.seg = json_object_get(attrs, SEG_ID);
    if (!valid_truthy(r.seg) && !json_is_integer(r.seg)) {
        r.seg = NULL; /* null or "": not given (an explicit 0 is given) */
    }
    int rc = db_txn(c, create_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* ---- reading ---- */

static int
connection_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_CONNECTION_NOT_FOUND,
              "The connection %s not found on the l2 gateway", id);
    return -ENOENT;
}

int
connection_get(struct core *c, const char *id, json_t **out,
               struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT gateway_id, network_id, segmentation_id, "
                        "status, status_reason, project_id FROM connections "
                        "WHERE id = ?",
                        "s", nid);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : connection_not_found(err, id);
    }
    json_t *conn = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "id", nid,
                             "l2_gateway_id", store_col_text(s, 0),
                             "network_id", store_col_text(s, 1), SEG_ID,
                             store_col_is_null(s, 2)
                                 ? json_null()
                                 : json_integer(store_col_int(s, 2)),
                             "status", store_col_text(s, 3), "status_reason",
                             store_col_text(s, 4));
    valid_set_project(conn, store_col_text(s, 5));
    store_reset(s);
    json_t *rows = json_pack("[O]", conn);
    connection_render(c, rows, err);
    json_decref(rows);
    *out = conn;
    return 0;
}

/* ---- delete ---- */

struct conn_delete {
    const char *id;
    const char *given;
};

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct conn_delete *r = aux;
    struct store *st = core_store(c);
    char net[VALID_ID_LEN];

    int rc = db_text(st, net, sizeof net,
                     "SELECT network_id FROM connections WHERE id = ?", "s",
                     r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : connection_not_found(err, r->given);
    }
    if ((rc = border_check_connection_delete(c, r->id, err))) {
        return rc;
    }
    rc = db_run(st, "DELETE FROM connections WHERE id = ?", "s", r->id);
    if (rc < 0) {
        return rc;
    }
    return db_txn_event(t, EVENT_CONNECTION, r->id, net);
}

int
connection_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct conn_delete r = {nid, id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}

int
connection_delete_for_network(struct core *c, struct db_txn *t,
                              const char *network_id)
{
    struct store *st = core_store(c);
    struct store_stmt *s;

    int rc = db_prepare(st, &s,
                        "SELECT id FROM connections WHERE network_id = ?",
                        "s", network_id);
    while (!rc && (rc = store_step(s)) == 1) {
        rc = db_txn_event(t, EVENT_CONNECTION, store_col_text(s, 0),
                          network_id);
        if (rc) {
            store_reset(s);
        }
    }
    if (rc < 0) {
        return rc;
    }
    rc = db_run(st, "DELETE FROM connections WHERE network_id = ?", "s",
                network_id);
    return rc < 0 ? rc : 0;
}

/* ---- checks on gateway update ---- */

int
connection_check_gateway(struct core *c, const char *gateway_id,
                         struct core_err *err)
{
    struct store *st = core_store(c);

    int with_vlan = db_exists(st,
                              "SELECT 1 FROM connections WHERE gateway_id = ? "
                              "AND segmentation_id IS NOT NULL",
                              "s", gateway_id);
    if (with_vlan < 0) {
        return with_vlan;
    }
    if (with_vlan) {
        int has = gateway_has_vlans(c, gateway_id);
        if (has < 0) {
            return has;
        }
        if (check_vlan_source(has, true, err)) {
            return -EINVAL;
        }
    }
    return switchcheck_gateway(c, gateway_id, err);
}

/* ---- rendering ---- */

int
connection_render(struct core *c, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;
    char text[24];

    json_array_foreach(rows, i, row) {
        json_t *seg = json_object_get(row, SEG_ID);
        if (json_is_integer(seg)) {
            snprintf(text, sizeof text, "%lld",
                     (long long) json_integer_value(seg));
            json_object_set_new(row, SEG_ID, json_string(text));
        } else if (seg && !json_is_string(seg)) {
            json_object_set_new(row, SEG_ID, json_string(""));
        }
        valid_fill_project(row);
    }
    return 0;
}
