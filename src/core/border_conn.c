/* Remote gateway connections: create (border.h's order of checks),
 * update of seg_id and flood, delete with their remote MACs. */
#include "core/border.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/border_priv.h"
#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "border"
#include "lib/log.h"

/* A create or update request as it moves through the checks. */
struct rconn_req {
    const json_t *attrs;
    const char *id;                 /* normalised (update, delete) */
    const char *given;              /* as given (messages) */
    char gw[VALID_ID_LEN];
    char net[VALID_ID_LEN];
    char rgw[VALID_ID_LEN];
    const char *project;
    long long seg_id;
    bool has_seg_id;                /* given and not null */
    bool set_seg_id, set_flood;     /* present in an update */
    bool flood;
    json_t *out;
};

/* ---- input ---- */

/* "seg_id": absent or null → default; else an integer (a number or a
 * numeric string) in 1..16777215. */
static int
parse_seg_id(struct rconn_req *r, struct core_err *err)
{
    const json_t *v = json_object_get(r->attrs, "seg_id");
    char text[64];

    r->set_seg_id = v != NULL;
    r->has_seg_id = v && !json_is_null(v);
    if (!r->has_seg_id) {
        return 0;
    }
    if (!ju_as_int(v, &r->seg_id)) {
        valid_value_text(v, text, sizeof text);
        return valid_fail(err, "seg_id", "'%s' is not an integer", text);
    }
    if (r->seg_id < BORDER_KEY_MIN || r->seg_id > BORDER_KEY_MAX) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: seg_id %lld is out of "
                         "range (%d through %d).",
                         r->seg_id, BORDER_KEY_MIN, BORDER_KEY_MAX);
    }
    return 0;
}

/* "flood": absent or null → true; else a boolean or "True"/"False". */
static int
parse_flood(struct rconn_req *r, struct core_err *err)
{
    const json_t *v = json_object_get(r->attrs, "flood");
    char text[64];

    r->set_flood = v != NULL;
    r->flood = true;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!ju_as_bool(v, &r->flood)) {
        valid_value_text(v, text, sizeof text);
        return valid_fail(err, "flood", "'%s' is not a valid boolean value",
                          text);
    }
    return 0;
}

/* ---- create ---- */

static int
resolve_refs(struct core *c, struct rconn_req *r, struct core_err *err)
{
    int rc;

    if ((rc = border_resolve(c, BORDER_REF_GATEWAY,
                             ju_str(r->attrs, "gateway"), r->gw, err))
        || (rc = border_resolve(c, BORDER_REF_NETWORK,
                                ju_str(r->attrs, "network"), r->net, err))
        || (rc = border_resolve(c, BORDER_REF_REMOTE_GATEWAY,
                                ju_str(r->attrs, "remote_gateway"), r->rgw,
                                err))) {
        return rc;
    }
    return 0;
}

/* The network is connected to the gateway (a local connection exists). */
static int
check_local(struct store *st, const struct rconn_req *r, struct core_err *err)
{
    int rc = db_exists(st,
                       "SELECT 1 FROM connections WHERE gateway_id = ? AND "
                       "network_id = ?",
                       "ss", r->gw, r->net);
    if (rc) {
        return rc < 0 ? rc : 0;
    }
    return core_fail(err, CE_INVALID_INPUT,
                     "Invalid input for operation: Network %s is not "
                     "connected to L2 gateway %s.",
                     r->net, r->gw);
}

static int
check_unique(struct store *st, const struct rconn_req *r, struct core_err *err)
{
    char other[VALID_ID_LEN];

    int rc = db_text(st, other, sizeof other,
                     "SELECT id FROM remote_gateway_connections WHERE "
                     "gateway_id = ? AND network_id = ? AND "
                     "remote_gateway_id = ?",
                     "sss", r->gw, r->net, r->rgw);
    if (rc <= 0) {
        return rc;
    }
    return core_fail(err, CE_REMOTE_CONNECTION_EXISTS,
                     "Remote gateway connection %s already connects network "
                     "%s of L2 gateway %s to remote gateway %s",
                     other, r->net, r->gw, r->rgw);
}

/* Without seg_id the WAN key is the network's VNI. */
static int
default_key(struct store *st, struct rconn_req *r)
{
    if (r->has_seg_id) {
        return 0;
    }
    int rc = db_int(st, &r->seg_id, "SELECT vni FROM networks WHERE id = ?",
                    "s", r->net);
    return rc < 0 ? rc : rc ? 0 : -ENOENT;
}

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct rconn_req *r = aux;
    struct store *st = core_store(c);
    char id[UUID_STRLEN + 1], now[32];
    int rc;

    if ((rc = resolve_refs(c, r, err)) || (rc = check_local(st, r, err))
        || (rc = check_unique(st, r, err))
        || (rc = border_key_check_support(c, r->gw, err))
        || (rc = default_key(st, r))
        || (rc = border_key_check(c, r->gw, r->net, r->seg_id, err))) {
        return rc;
    }
    uuid_generate(id);
    store_timestamp(now);
    rc = db_run(st,
                "INSERT INTO remote_gateway_connections (id, project_id, "
                "gateway_id, network_id, remote_gateway_id, seg_id, flood, "
                "status, status_reason, created_at, updated_at) VALUES (?, "
                "?, ?, ?, ?, ?, ?, 'PENDING', '', ?, ?)",
                "sssssiiss", id, r->project, r->gw, r->net, r->rgw,
                r->seg_id, (long long) r->flood, now, now);
    if (rc < 0) {
        return db_fail(rc, "insert remote gateway connection");
    }
    rc = border_rconn_get(c, id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_REMOTE, id, r->net);
}

int
border_rconn_create(struct core *c, const json_t *attrs, json_t **out,
                    struct core_err *err)
{
    struct rconn_req r = {.attrs = attrs, .project = valid_project(attrs)};

    if (parse_seg_id(&r, err) || parse_flood(&r, err)) {
        return -EINVAL;
    }
    int rc = db_txn(c, create_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* ---- update ---- */

/* Reads gateway, network, key and flood of the stored connection. */
static int
load(struct store *st, struct rconn_req *r, long long *key, bool *flood,
     struct core_err *err)
{
    struct store_stmt *s;

    int rc = db_prepare(st, &s,
                        "SELECT gateway_id, network_id, seg_id, flood FROM "
                        "remote_gateway_connections WHERE id = ?",
                        "s", r->id);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : border_rconn_not_found(err, r->given);
    }
    snprintf(r->gw, sizeof r->gw, "%s", store_col_text(s, 0));
    snprintf(r->net, sizeof r->net, "%s", store_col_text(s, 1));
    *key = store_col_int(s, 2);
    *flood = store_col_int(s, 3) != 0;
    store_reset(s);
    return 0;
}

static int
update_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct rconn_req *r = aux;
    struct store *st = core_store(c);
    long long key;
    bool flood;
    char now[32];

    int rc = load(st, r, &key, &flood, err);
    if (rc || (r->set_seg_id && (rc = default_key(st, r)))) {
        return rc;
    }
    r->seg_id = r->set_seg_id ? r->seg_id : key;
    r->flood = r->set_flood ? r->flood : flood;
    if (r->seg_id != key
        && (rc = border_key_check(c, r->gw, r->net, r->seg_id, err))) {
        return rc;
    }
    if (r->seg_id != key || r->flood != flood) {
        store_timestamp(now);
        rc = db_run(st,
                    "UPDATE remote_gateway_connections SET seg_id = ?, flood "
                    "= ?, status = 'PENDING', status_reason = '', updated_at "
                    "= ? WHERE id = ?",
                    "iiss", r->seg_id, (long long) r->flood, now, r->id);
        rc = rc < 0 ? rc : db_txn_event(t, EVENT_REMOTE, r->id, r->net);
    }
    return rc ? rc : border_rconn_get(c, r->id, &r->out, err);
}

int
border_rconn_update(struct core *c, const char *id, const json_t *attrs,
                    json_t **out, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct rconn_req r = {.attrs = attrs, .id = nid, .given = id};

    valid_id(id, nid);
    if (parse_seg_id(&r, err) || parse_flood(&r, err)) {
        return -EINVAL;
    }
    int rc = db_txn(c, update_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* ---- delete ---- */

/* Deletes the remote MACs of connection 'id' in network 'net', then their
 * claims (the remote_macs rows point at the claims). */
static int
delete_macs(struct store *st, const char *id, const char *net)
{
    int rc = db_run(st, "DELETE FROM remote_macs WHERE rgw_connection_id = ?",
                    "s", id);
    if (rc >= 0) {
        rc = db_run(st,
                    "DELETE FROM network_macs WHERE network_id = ? AND "
                    "owner_kind = 'remote' AND NOT EXISTS (SELECT 1 FROM "
                    "remote_macs m WHERE m.id = network_macs.owner_id)",
                    "s", net);
    }
    return rc < 0 ? rc : 0;
}

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct rconn_req *r = aux;
    struct store *st = core_store(c);
    long long key;
    bool flood;

    int rc = load(st, r, &key, &flood, err);
    if (rc || (rc = delete_macs(st, r->id, r->net))) {
        return rc;
    }
    rc = db_run(st, "DELETE FROM remote_gateway_connections WHERE id = ?", "s",
                r->id);
    return rc < 0 ? rc : db_txn_event(t, EVENT_REMOTE, r->id, r->net);
}

int
border_rconn_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct rconn_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}

/* ---- reading ---- */

int
border_rconn_get(struct core *c, const char *id, json_t **out,
                 struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT gateway_id, network_id, remote_gateway_id, "
                        "seg_id, flood, status, status_reason, project_id "
                        "FROM remote_gateway_connections WHERE id = ?",
                        "s", nid);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : border_rconn_not_found(err, id);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:s}", "id",
                          nid, "gateway", store_col_text(s, 0), "network",
                          store_col_text(s, 1), "remote_gateway",
                          store_col_text(s, 2), "seg_id",
                          (json_int_t) store_col_int(s, 3), "flood",
                          store_col_int(s, 4) != 0, "status",
                          store_col_text(s, 5), "status_reason",
                          store_col_text(s, 6));
    valid_set_project(o, store_col_text(s, 7));
    store_reset(s);
    *out = o;
    return o ? 0 : -ENOMEM;
}
