/* Remote MACs: hosts behind a remote gateway, created one by one or in
 * bulk (one transaction, all or nothing), each claimed in network_macs so
 * that a MAC is used once per network. */
#include "core/border.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* One parsed MAC of a create request. */
struct rmac {
    char mac[VALID_MAC_LEN];
    char ipaddr[VALID_IP_LEN];
    char conn[VALID_ID_LEN];      /* normalised */
    const char *conn_given;       /* borrowed from the request */
    const char *project;          /* borrowed from the request */
};

/* ---- input ---- */

/* Reads "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff" (any case) into 'b'. */
static bool
mac_bytes(const char *s, unsigned char b[6])
{
    if (strlen(s) != 17 || (s[2] != ':' && s[2] != '-')) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        if (!isxdigit((unsigned char) p[0]) || !isxdigit((unsigned char) p[1])
            || (i < 5 && p[2] != s[2])) {
            return false;
        }
        char hex[3] = {p[0], p[1], '\0'};
        b[i] = (unsigned char) strtoul(hex, NULL, 16);
    }
    return true;
}

/* "mac": a unicast MAC, written lower case into 'out'. */
static int
parse_mac(const json_t *v, char out[VALID_MAC_LEN], struct core_err *err)
{
    unsigned char b[6];
    char text[64];

    valid_value_text(v, text, sizeof text);
    if (!json_is_string(v) || !mac_bytes(json_string_value(v), b)
        || !(b[0] | b[1] | b[2] | b[3] | b[4] | b[5])) {
        return valid_fail(err, "mac", "'%s' is not a valid MAC address",
                          text);
    }
    if (b[0] & 1) {
        return valid_fail(err, "mac",
                          "'%s' is not a unicast MAC address (multicast and "
                          "broadcast addresses cannot be remote hosts)",
                          text);
    }
    snprintf(out, VALID_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
             b[2], b[3], b[4], b[5]);
    return 0;
}

static int
parse_one(const json_t *attrs, struct rmac *m, struct core_err *err)
{
    if (!json_is_object(attrs)) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Object 'l2_remote_mac' contains invalid data");
    }
    const json_t *conn = json_object_get(attrs, "rgw_connection");
    if (!json_object_get(attrs, "mac")) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Failed to parse request. Required attribute 'mac' "
                         "not specified");
    }
    if (parse_mac(json_object_get(attrs, "mac"), m->mac, err)
        || border_parse_ipv4(attrs, "ipaddr", m->ipaddr, err)) {
        return -EINVAL;
    }
    if (!json_is_string(conn)) {
        char text[64];
        valid_value_text(conn, text, sizeof text);
        return conn ? valid_fail(err, "rgw_connection",
                                 "'%s' is not a valid string", text)
                    : core_fail(err, CE_BAD_REQUEST,
                                "Failed to parse request. Required attribute "
                                "'rgw_connection' not specified");
    }
    m->conn_given = json_string_value(conn);
    valid_id(m->conn_given, m->conn);
    m->project = valid_project(attrs);
    return 0;
}

/* ---- create ---- */

struct mac_batch {
    struct rmac *macs;
    size_t n;
    char conn[VALID_ID_LEN];      /* the connection looked up last */
    char net[VALID_ID_LEN];       /* its network */
    json_t *events;               /* connection id → network id */
    json_t *out;
};

/* Looks up the network of m->conn (cached for runs of the same one). */
static int
connection_network(struct store *st, struct mac_batch *b,
                   const struct rmac *m, struct core_err *err)
{
    if (b->conn[0] && !strcmp(b->conn, m->conn)) {
        return 0;
    }
    int rc = db_text(st, b->net, sizeof b->net,
                     "SELECT network_id FROM remote_gateway_connections "
                     "WHERE id = ?",
                     "s", m->conn);
    if (rc <= 0) {
        b->conn[0] = '\0';
        return rc < 0 ? rc : border_rconn_not_found(err, m->conn_given);
    }
    snprintf(b->conn, sizeof b->conn, "%s", m->conn);
    json_object_set_new(b->events, b->conn, json_string(b->net));
    return 0;
}

/* 409 for 'mac' already claimed in network 'net'. */
static int
mac_exists(struct store *st, const char *net, const char *mac,
           struct core_err *err)
{
    char kind[16] = "", owner[VALID_ID_LEN] = "";
    struct store_stmt *s;

    int rc = db_prepare(st, &s,
                        "SELECT owner_kind, owner_id FROM network_macs WHERE "
                        "network_id = ? AND mac = ?",
                        "ss", net, mac);
    if (!rc && (rc = store_step(s)) == 1) {
        snprintf(kind, sizeof kind, "%s", store_col_text(s, 0));
        snprintf(owner, sizeof owner, "%s", store_col_text(s, 1));
        store_reset(s);
    }
    if (rc < 0) {
        return rc;
    }
    return core_fail(err, CE_REMOTE_MAC_EXISTS,
                     "The MAC address %s is already used in network %s by %s "
                     "%s",
                     mac, net,
                     !strcmp(kind, "remote") ? "remote MAC"
                     : !strcmp(kind, "pair") ? "an address pair of port"
                                             : "port",
                     owner);
}

/* Claims and inserts one MAC; appends it to b->out. */
static int
insert_mac(struct store *st, struct mac_batch *b, const struct rmac *m,
           const char *now, struct core_err *err)
{
    char id[UUID_STRLEN + 1];

    uuid_generate(id);
    int rc = db_run(st,
                    "INSERT INTO network_macs (network_id, mac, owner_kind, "
                    "owner_id) VALUES (?, ?, 'remote', ?)",
                    "sss", b->net, m->mac, id);
    if (rc == -EEXIST) {
        return mac_exists(st, b->net, m->mac, err);
    }
    if (rc >= 0) {
        rc = db_run(st,
                    "INSERT INTO remote_macs (id, project_id, "
                    "rgw_connection_id, network_id, mac, ipaddr, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "sssssss", id, m->project, m->conn, b->net, m->mac,
                    m->ipaddr, now);
    }
    if (rc < 0) {
        return db_fail(rc, "insert remote mac");
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "mac", m->mac,
                          "ipaddr", m->ipaddr, "rgw_connection", m->conn);
    valid_set_project(o, m->project);
    return json_array_append_new(b->out, o) ? -ENOMEM : 0;
}

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct mac_batch *b = aux;
    struct store *st = core_store(c);
    char now[32];
    const char *conn;
    json_t *net;

    store_timestamp(now);
    for (size_t i = 0; i < b->n; i++) {
        int rc = connection_network(st, b, &b->macs[i], err);
        if (rc || (rc = insert_mac(st, b, &b->macs[i], now, err))) {
            return rc;
        }
    }
    json_object_foreach(b->events, conn, net) {
        int rc = db_txn_event(t, EVENT_REMOTE, conn, json_string_value(net));
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* Parses every item, then creates them all in one transaction. */
static int
create_batch(struct core *c, const json_t *items, json_t **out,
             struct core_err *err)
{
    struct mac_batch b = {.n = json_array_size(items)};
    int rc = 0;

    b.macs = calloc(b.n ? b.n : 1, sizeof *b.macs);
    b.events = json_object();
    b.out = json_array();
    if (!b.macs || !b.events || !b.out) {
        rc = -ENOMEM;
    }
    for (size_t i = 0; !rc && i < b.n; i++) {
        rc = parse_one(json_array_get(items, i), &b.macs[i], err);
    }
    if (!rc) {
        rc = db_txn(c, create_txn, &b, err);
    }
    free(b.macs);
    json_decref(b.events);
    if (rc) {
        json_decref(b.out);
        return rc;
    }
    *out = b.out;
    return 0;
}

int
border_mac_create(struct core *c, const json_t *attrs, json_t **out,
                  struct core_err *err)
{
    json_t *items = json_pack("[O]", attrs);
    json_t *created = NULL;

    int rc = items ? create_batch(c, items, &created, err) : -ENOMEM;
    json_decref(items);
    if (!rc) {
        *out = json_incref(json_array_get(created, 0));
        json_decref(created);
    }
    return rc;
}

int
border_mac_create_bulk(struct core *c, const json_t *items, json_t **out,
                       struct core_err *err)
{
    if (!json_is_array(items) || !json_array_size(items)) {
        return core_fail(err, CE_BAD_REQUEST, json_is_array(items)
                                                  ? "Resources required"
                                                  : "Body contains invalid "
                                                    "data");
    }
    if (json_array_size(items) > BORDER_MAX_BULK_MACS) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Bulk request holds more than %d resources",
                         BORDER_MAX_BULK_MACS);
    }
    return create_batch(c, items, out, err);
}

/* ---- delete ---- */

struct mac_delete {
    const char *id;
    const char *given;
};

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct mac_delete *r = aux;
    struct store *st = core_store(c);
    struct store_stmt *s;
    char conn[VALID_ID_LEN], net[VALID_ID_LEN], mac[VALID_MAC_LEN];

    int rc = db_prepare(st, &s,
                        "SELECT rgw_connection_id, network_id, mac FROM "
                        "remote_macs WHERE id = ?",
                        "s", r->id);
    if (rc || (rc = store_step(s)) <= 0) {
        if (!rc) {
            core_fail(err, CE_REMOTE_MAC_NOT_FOUND,
                      "The remote MAC %s not found", r->given);
        }
        return rc < 0 ? rc : -ENOENT;
    }
    snprintf(conn, sizeof conn, "%s", store_col_text(s, 0));
    snprintf(net, sizeof net, "%s", store_col_text(s, 1));
    snprintf(mac, sizeof mac, "%s", store_col_text(s, 2));
    store_reset(s);
    rc = db_run(st, "DELETE FROM remote_macs WHERE id = ?", "s", r->id);
    if (rc >= 0) {
        rc = db_run(st,
                    "DELETE FROM network_macs WHERE network_id = ? AND mac = "
                    "? AND owner_id = ?",
                    "sss", net, mac, r->id);
    }
    return rc < 0 ? rc : db_txn_event(t, EVENT_REMOTE, conn, net);
}

int
border_mac_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct mac_delete r = {nid, id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}
