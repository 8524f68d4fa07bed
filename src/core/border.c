/* Border gateways: remote gateways, lookups by id or name, and the checks
 * that connection and network deletes run (border.h). */
#include "core/border.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/border_priv.h"
#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "border"
#include "lib/log.h"

/* ---- shared helpers ---- */

int
border_rgw_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_REMOTE_GATEWAY_NOT_FOUND,
              "The remote gateway %s not found", id);
    return -ENOENT;
}

int
border_rconn_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_REMOTE_CONNECTION_NOT_FOUND,
              "The remote gateway connection %s not found", id);
    return -ENOENT;
}

/* The lookups of one border_ref. */
struct ref_sql {
    const char *by_id;
    const char *by_name;
    const char *what;     /* for the ambiguity message */
};

static const struct ref_sql ref_sqls[] = {
    [BORDER_REF_GATEWAY] = {"SELECT id FROM gateways WHERE id = ?",
                            "SELECT id FROM gateways WHERE name = ? LIMIT 2",
                            "L2 gateways"},
    [BORDER_REF_NETWORK] = {"SELECT id FROM networks WHERE id = ?",
                            "SELECT id FROM networks WHERE name = ? LIMIT 2",
                            "networks"},
    [BORDER_REF_REMOTE_GATEWAY] = {
        "SELECT id FROM remote_gateways WHERE id = ?",
        "SELECT id FROM remote_gateways WHERE name = ? LIMIT 2",
        "remote gateways"},
};

static int
ref_not_found(enum border_ref ref, const char *given, struct core_err *err)
{
    switch (ref) {
    case BORDER_REF_GATEWAY:
        core_fail(err, CE_GATEWAY_NOT_FOUND,
                  "L2 Gateway %s could not be found", given);
        return -ENOENT;
    case BORDER_REF_NETWORK:
        core_fail(err, CE_NETWORK_NOT_FOUND, "Network %s could not be found.",
                  given);
        return -ENOENT;
    default:
        return border_rgw_not_found(err, given);
    }
}

int
border_resolve(struct core *c, enum border_ref ref, const char *given,
               char id[VALID_ID_LEN], struct core_err *err)
{
    const struct ref_sql *q = &ref_sqls[ref];
    struct store_stmt *s;
    char nid[VALID_ID_LEN];
    int n = 0;

    valid_id(given, nid);
    int rc = nid[0] ? db_text(core_store(c), id, VALID_ID_LEN, q->by_id, "s",
                              nid)
                    : 0;
    if (rc) {
        return rc < 0 ? rc : 0;
    }
    rc = nid[0] ? db_prepare(core_store(c), &s, q->by_name, "s", given) : 0;
    while (nid[0] && !rc && (rc = store_step(s)) == 1) {
        snprintf(id, VALID_ID_LEN, "%s", store_col_text(s, 0));
        n++;
        rc = 0;
    }
    if (rc < 0) {
        return rc;
    }
    if (n > 1) {
        return core_fail(err, CE_CONFLICT,
                         "Multiple %s are named '%s': give the id", q->what,
                         given);
    }
    return n ? 0 : ref_not_found(ref, given ? given : "", err);
}

int
border_parse_ipv4(const json_t *attrs, const char *name,
                  char out[VALID_IP_LEN], struct core_err *err)
{
    const json_t *v = json_object_get(attrs, name);
    char text[64];

    out[0] = '\0';
    if (!v || json_is_null(v)
        || (json_is_string(v) && !json_string_length(v))) {
        return 0;
    }
    if (!json_is_string(v)
        || strlen(json_string_value(v)) != json_string_length(v)
        || valid_ip(json_string_value(v), AF_INET, out)) {
        valid_value_text(v, text, sizeof text);
        out[0] = '\0';
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: %s '%s' is not an "
                         "IPv4 address (tunnel endpoints are IPv4).",
                         name, text);
    }
    return 0;
}

int
border_render(struct core *c, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        valid_fill_project(row);
    }
    return 0;
}

/* ---- remote gateways ---- */

struct rgw_req {
    const char *id;     /* normalised (update, delete) */
    const char *given;  /* as given (messages) */
    const char *name;   /* NULL: keep (update) */
    const char *project;
    char ipaddr[VALID_IP_LEN];
    bool has_ipaddr;
    json_t *out;
};

/* "ipaddr": required on create (the framework checks presence), an IPv4
 * address whenever given. */
static int
parse_rgw(const json_t *attrs, struct rgw_req *r, const char *name_def,
          struct core_err *err)
{
    if (valid_string(attrs, "name", VALID_NAME_MAX, name_def, &r->name, err)
        || border_parse_ipv4(attrs, "ipaddr", r->ipaddr, err)) {
        return -EINVAL;
    }
    r->has_ipaddr = r->ipaddr[0] != '\0';
    if (!r->has_ipaddr && json_object_get(attrs, "ipaddr")) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: ipaddr '' is not an "
                         "IPv4 address (tunnel endpoints are IPv4).");
    }
    return 0;
}

static int
rgw_create_txn(struct core *c, struct db_txn *t, void *aux,
               struct core_err *err)
{
    struct rgw_req *r = aux;
    char id[UUID_STRLEN + 1], now[32];

    uuid_generate(id);
    store_timestamp(now);
    int rc = db_run(core_store(c),
                    "INSERT INTO remote_gateways (id, project_id, name, "
                    "ipaddr, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
                    "?)",
                    "ssssss", id, r->project, r->name, r->ipaddr, now, now);
    if (rc < 0) {
        return db_fail(rc, "insert remote gateway");
    }
    rc = border_rgw_get(c, id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_REMOTE, id, NULL);
}

int
border_rgw_create(struct core *c, const json_t *attrs, json_t **out,
                  struct core_err *err)
{
    struct rgw_req r = {.project = valid_project(attrs)};

    if (parse_rgw(attrs, &r, "", err)) {
        return -EINVAL;
    }
    if (!r.has_ipaddr) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Failed to parse request. Required attribute "
                         "'ipaddr' not specified");
    }
    int rc = db_txn(c, rgw_create_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* Queues one EVENT_REMOTE per network that remote gateway 'rgw' serves. */
static int
queue_rgw_networks(struct core *c, struct db_txn *t, const char *rgw)
{
    struct store_stmt *s;
    int rc = db_prepare(core_store(c), &s,
                        "SELECT DISTINCT network_id FROM "
                        "remote_gateway_connections WHERE remote_gateway_id "
                        "= ?",
                        "s", rgw);

    while (!rc && (rc = store_step(s)) == 1) {
        rc = db_txn_event(t, EVENT_REMOTE, rgw, store_col_text(s, 0));
        if (rc) {
            store_reset(s);
        }
    }
    return rc < 0 ? rc : 0;
}

static int
rgw_update_txn(struct core *c, struct db_txn *t, void *aux,
               struct core_err *err)
{
    struct rgw_req *r = aux;
    struct store *st = core_store(c);
    char old[VALID_IP_LEN], now[32];

    int rc = db_text(st, old, sizeof old,
                     "SELECT ipaddr FROM remote_gateways WHERE id = ?", "s",
                     r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : border_rgw_not_found(err, r->given);
    }
    store_timestamp(now);
    rc = db_run(st,
                "UPDATE remote_gateways SET name = COALESCE(?, name), "
                "ipaddr = COALESCE(?, ipaddr), updated_at = ? WHERE id = ?",
                "ssss", r->name, r->has_ipaddr ? r->ipaddr : NULL, now, r->id);
    if (rc < 0) {
        return rc;
    }
    if (r->has_ipaddr && strcmp(old, r->ipaddr)) {
        log_info("remote gateway %s moves from %s to %s", r->id, old,
                 r->ipaddr);
        if ((rc = queue_rgw_networks(c, t, r->id))) {
            return rc;
        }
    }
    return border_rgw_get(c, r->id, &r->out, err);
}

int
border_rgw_update(struct core *c, const char *id, const json_t *attrs,
                  json_t **out, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct rgw_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    if (parse_rgw(attrs, &r, NULL, err)) {
        return -EINVAL;
    }
    int rc = db_txn(c, rgw_update_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

static int
rgw_delete_txn(struct core *c, struct db_txn *t, void *aux,
               struct core_err *err)
{
    struct rgw_req *r = aux;
    struct store *st = core_store(c);
    char user[VALID_ID_LEN];

    int rc = db_exists(st, "SELECT 1 FROM remote_gateways WHERE id = ?", "s",
                       r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : border_rgw_not_found(err, r->given);
    }
    rc = db_text(st, user, sizeof user,
                 "SELECT id FROM remote_gateway_connections WHERE "
                 "remote_gateway_id = ? ORDER BY created_at, id LIMIT 1",
                 "s", r->id);
    if (rc) {
        return rc < 0 ? rc
                      : core_fail(err, CE_REMOTE_GATEWAY_IN_USE,
                                  "The remote gateway %s is in use by remote "
                                  "gateway connection %s",
                                  r->given, user);
    }
    rc = db_run(st, "DELETE FROM remote_gateways WHERE id = ?", "s", r->id);
    return rc < 0 ? rc : db_txn_event(t, EVENT_REMOTE, r->id, NULL);
}

int
border_rgw_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct rgw_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    return db_txn(c, rgw_delete_txn, &r, err);
}

int
border_rgw_get(struct core *c, const char *id, json_t **out,
               struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, ipaddr, project_id FROM "
                        "remote_gateways WHERE id = ?",
                        "s", nid);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : border_rgw_not_found(err, id);
    }
    json_t *o = json_pack("{s:s, s:s, s:s}", "id", nid, "name",
                          store_col_text(s, 0), "ipaddr",
                          store_col_text(s, 1));
    valid_set_project(o, store_col_text(s, 2));
    store_reset(s);
    *out = o;
    return o ? 0 : -ENOMEM;
}

/* ---- checks for other modules ---- */

int
border_check_connection_delete(struct core *c, const char *connection_id,
                               struct core_err *err)
{
    char rc_id[VALID_ID_LEN];

    int rc = db_text(core_store(c), rc_id, sizeof rc_id,
                     "SELECT r.id FROM remote_gateway_connections r JOIN "
                     "connections l ON l.gateway_id = r.gateway_id AND "
                     "l.network_id = r.network_id WHERE l.id = ? ORDER BY "
                     "r.created_at, r.id LIMIT 1",
                     "s", connection_id);
    if (rc <= 0) {
        return rc;
    }
    return core_fail(err, CE_REMOTE_CONNECTION_EXISTS,
                     "The connection %s is used by remote gateway connection "
                     "%s: delete the remote gateway connections of this "
                     "gateway and network first",
                     connection_id, rc_id);
}

int
border_check_network_delete(struct core *c, const char *network_id,
                            const char *given, struct core_err *err)
{
    int rc = db_exists(core_store(c),
                       "SELECT 1 FROM remote_gateway_connections WHERE "
                       "network_id = ?",
                       "s", network_id);
    if (rc <= 0) {
        return rc;
    }
    return core_fail(err, CE_NETWORK_IN_USE,
                     "Unable to complete operation on network %s. There are "
                     "one or more remote gateway connections still in use "
                     "on the network.",
                     given);
}
