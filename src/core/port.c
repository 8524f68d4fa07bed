/* Overlay ports: input parsing, MAC claims, create/update/delete, and
 * page-wide rendering of their lists. */
#include "core/port.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "port"
#include "lib/log.h"

#define HOST_ATTR "binding:host_id"
#define PAIRS "allowed_address_pairs"

/* Validated input; NULL / false for what was not given. */
struct port_req {
    const char *id;      /* normalised (update, delete) */
    const char *given;   /* as given (messages) */
    char net[VALID_ID_LEN];
    const char *net_given;
    const char *project;
    const char *name, *device_owner, *device_id, *host;
    long long admin_state_up, *admin_p;
    bool has_mac;
    char mac[VALID_MAC_LEN];
    json_t *fixed_ips; /* array of canonical IP strings */
    json_t *pairs;     /* array of {"ip_address", "mac_address" or null} */
    json_t *out;
};

/* ---- parsing ---- */

static int
parse_fixed_ip(const json_t *e, json_t *ips, struct core_err *err)
{
    char text[64], ip[VALID_IP_LEN];
    const char *s = ju_str(e, "ip_address");
    size_t i;
    json_t *v;

    if (!json_is_object(e) || !s) {
        valid_value_text(e, text, sizeof text);
        return valid_fail(err, "fixed_ips",
                          "Invalid data format for fixed IP: '%s'", text);
    }
    if (valid_ip(s, AF_UNSPEC, ip)) {
        return valid_fail(err, "fixed_ips", "'%s' is not a valid IP address",
                          s);
    }
    json_array_foreach(ips, i, v) {
        if (!strcmp(json_string_value(v), ip)) {
            return valid_fail(err, "fixed_ips", "Duplicate IP address '%s'",
                              s);
        }
    }
    return json_array_append_new(ips, json_string(ip)) ? -ENOMEM : 0;
}

/* "fixed_ips": null or a list of {"ip_address": ...} (other keys ignored;
 * there is no IPAM, so the address is required). */
static int
parse_fixed_ips(const json_t *v, json_t **out, struct core_err *err)
{
    char text[64];
    size_t i;
    json_t *e;

    if (v && !json_is_null(v) && !json_is_array(v)) {
        valid_value_text(v, text, sizeof text);
        return valid_fail(err, "fixed_ips",
                          "Invalid data format for fixed IP: '%s'", text);
    }
    if (json_array_size(v) > PORT_MAX_FIXED_IPS) {
        return valid_fail(err, "fixed_ips",
                          "Exceeded maximum amount of fixed ips per port (%d)",
                          PORT_MAX_FIXED_IPS);
    }
    *out = json_array();
    json_array_foreach(v, i, e) {
        if (parse_fixed_ip(e, *out, err)) {
            return -EINVAL;
        }
    }
    return 0;
}

static int
parse_pair(const json_t *e, json_t *pairs, struct core_err *err)
{
    char text[64], ip[VALID_IP_LEN + 4], mac[VALID_MAC_LEN];
    const json_t *m = json_object_get(e, "mac_address");

    if (!json_is_object(e)) {
        valid_value_text(e, text, sizeof text);
        return valid_fail(err, PAIRS, "'%s' is not a valid dict", text);
    }
    const char *s = ju_str(e, "ip_address");
    if (!s) {
        return valid_fail(err, PAIRS,
                          "AllowedAddressPair must contain ip_address");
    }
    if (valid_ip_or_cidr(s, ip)) {
        return valid_fail(err, PAIRS, "'%s' is not a valid IP address", s);
    }
    if (m && !json_is_null(m)
        && (!json_is_string(m) || valid_mac(json_string_value(m), mac))) {
        valid_value_text(m, text, sizeof text);
        return valid_fail(err, PAIRS, "'%s' is not a valid MAC address", text);
    }
    json_t *pair = json_pack("{s:s, s:s?}", "ip_address", ip, "mac_address",
                             m && !json_is_null(m) ? mac : NULL);
    return json_array_append_new(pairs, pair) ? -ENOMEM : 0;
}

static int
parse_pairs(const json_t *v, json_t **out, struct core_err *err)
{
    size_t i;
    json_t *e;

    if (v && !json_is_null(v) && !json_is_array(v)) {
        return valid_fail(err, PAIRS, "Allowed address pairs must be a list");
    }
    if (json_array_size(v) > PORT_MAX_ADDRESS_PAIRS) {
        return valid_fail(err, PAIRS,
                          "Exceeded maximum amount of allowed address pairs "
                          "(%d)",
                          PORT_MAX_ADDRESS_PAIRS);
    }
    *out = json_array();
    json_array_foreach(v, i, e) {
        if (parse_pair(e, *out, err)) {
            return -EINVAL;
        }
    }
    return 0;
}

static int
parse_strings(const json_t *attrs, struct port_req *r, const char *def,
              struct core_err *err)
{
    if (valid_string(attrs, "name", VALID_NAME_MAX, def, &r->name, err)
        || valid_string(attrs, "device_owner", VALID_NAME_MAX, def,
                        &r->device_owner, err)
        || valid_string(attrs, "device_id", VALID_NAME_MAX, def,
                        &r->device_id, err)) {
        return -EINVAL;
    }
    /* null unbinds: "" even on update. */
    const json_t *host = json_object_get(attrs, HOST_ATTR);
    return valid_string(attrs, HOST_ATTR, VALID_NAME_MAX,
                        host && json_is_null(host) ? "" : def, &r->host, err);
}

/* Everything but network_id, for create ('def' = "") and update (NULL). */
static int
parse_port(const json_t *attrs, struct port_req *r, const char *def,
           struct core_err *err)
{
    const json_t *mac = json_object_get(attrs, "mac_address");
    const json_t *v;
    char text[64];
    bool b;

    if (parse_strings(attrs, r, def, err)) {
        return -EINVAL;
    }
    if (json_object_get(attrs, "admin_state_up")) {
        if (valid_bool(attrs, "admin_state_up", true, &b, err)) {
            return -EINVAL;
        }
        r->admin_state_up = b;
        r->admin_p = &r->admin_state_up;
    }
    if (mac && !json_is_null(mac)) {
        if (!json_is_string(mac) || valid_mac(json_string_value(mac), r->mac)) {
            valid_value_text(mac, text, sizeof text);
            return valid_fail(err, "mac_address",
                              "'%s' is not a valid MAC address", text);
        }
        r->has_mac = true;
    }
    if ((v = json_object_get(attrs, "fixed_ips"))
        && parse_fixed_ips(v, &r->fixed_ips, err)) {
        return -EINVAL;
    }
    if ((v = json_object_get(attrs, PAIRS)) && parse_pairs(v, &r->pairs, err)) {
        return -EINVAL;
    }
    return 0;
}

/* ---- MAC claims ---- */

/* Claims 'mac' in network 'net' for port 'port_id' ('kind' "port" or
 * "pair").  Already claimed by the same port: nothing to do. */
static int
claim_mac(struct store *st, const char *net, const char *mac,
          const char *kind, const char *port_id, struct core_err *err)
{
    char owner[VALID_ID_LEN];

    int rc = db_text(st, owner, sizeof owner,
                     "SELECT owner_id FROM network_macs WHERE network_id = ? "
                     "AND mac = ?",
                     "ss", net, mac);
    if (rc) {
        if (rc < 0 || !strcmp(owner, port_id)) {
            return rc < 0 ? rc : 0;
        }
        return core_fail(err, CE_MAC_IN_USE,
                         "Unable to complete operation for network %s. The "
                         "mac address %s is in use.",
                         net, mac);
    }
    rc = db_run(st,
                "INSERT INTO network_macs (network_id, mac, owner_kind, "
                "owner_id) VALUES (?, ?, ?, ?)",
                "ssss", net, mac, kind, port_id);
    return rc < 0 ? db_fail(rc, "claim mac") : 0;
}

static int
release_macs(struct store *st, const char *port_id)
{
    int rc = db_run(st,
                    "DELETE FROM network_macs WHERE owner_id = ? AND "
                    "owner_kind IN ('port', 'pair')",
                    "s", port_id);
    return rc < 0 ? rc : 0;
}

/* A random fa:16:3e MAC not used in 'net'. */
static int
generate_mac(struct store *st, const char *net, char mac[VALID_MAC_LEN],
             struct core_err *err)
{
    unsigned char b[3];

    for (int i = 0; i < PORT_MAC_RETRIES; i++) {
        if (getrandom(b, sizeof b, 0) != sizeof b) {
            return -EIO;
        }
        snprintf(mac, VALID_MAC_LEN, "fa:16:3e:%02x:%02x:%02x", b[0], b[1],
                 b[2]);
        int rc = db_exists(st,
                           "SELECT 1 FROM network_macs WHERE network_id = ? "
                           "AND mac = ?",
                           "ss", net, mac);
        if (rc <= 0) {
            return rc;
        }
    }
    return core_fail(err, CE_UNAVAILABLE,
                     "Unable to generate unique mac on network %s.", net);
}

/* ---- lists ---- */

static int
write_fixed_ips(struct store *st, const char *port_id, const json_t *ips)
{
    size_t i;
    json_t *v;

    int rc = db_run(st, "DELETE FROM port_fixed_ips WHERE port_id = ?", "s",
                    port_id);
    json_array_foreach(ips, i, v) {
        if (rc >= 0) {
            rc = db_run(st,
                        "INSERT INTO port_fixed_ips (port_id, position, "
                        "ip_address) VALUES (?, ?, ?)",
                        "sis", port_id, (long long) i, json_string_value(v));
        }
    }
    return rc < 0 ? rc : 0;
}

/* Fills missing pair MACs with 'port_mac' and rejects duplicates. */
static int
resolve_pairs(json_t *pairs, const char *port_mac, struct core_err *err)
{
    size_t i, j;
    json_t *p, *q;

    json_array_foreach(pairs, i, p) {
        if (!ju_str(p, "mac_address")) {
            json_object_set_new(p, "mac_address", json_string(port_mac));
        }
        for (j = 0; j < i && (q = json_array_get(pairs, j)); j++) {
            if (json_equal(p, q)) {
                return valid_fail(err, PAIRS,
                                  "Request contains duplicate address pair: "
                                  "mac_address %s ip_address %s",
                                  ju_str(p, "mac_address"),
                                  ju_str(p, "ip_address"));
            }
        }
    }
    return 0;
}

static int
write_pairs(struct store *st, const char *port_id, const json_t *pairs)
{
    size_t i;
    json_t *p;

    int rc = db_run(st, "DELETE FROM port_address_pairs WHERE port_id = ?",
                    "s", port_id);
    json_array_foreach(pairs, i, p) {
        if (rc >= 0) {
            rc = db_run(st,
                        "INSERT INTO port_address_pairs (port_id, position, "
                        "ip_address, mac_address) VALUES (?, ?, ?, ?)",
                        "siss", port_id, (long long) i,
                        ju_str(p, "ip_address"), ju_str(p, "mac_address"));
        }
    }
    return rc < 0 ? rc : 0;
}

/* Claims the port's MAC, then each pair MAC that differs from it. */
static int
claim_all(struct store *st, const char *net, const char *port_id,
          const char *mac, const json_t *pairs, struct core_err *err)
{
    size_t i;
    json_t *p;

    int rc = claim_mac(st, net, mac, "port", port_id, err);
    json_array_foreach(pairs, i, p) {
        const char *pm = ju_str(p, "mac_address");
        if (!rc && strcmp(pm, mac)) {
            rc = claim_mac(st, net, pm, "pair", port_id, err);
        }
    }
    return rc;
}

/* The stored pairs of 'port_id' (as {"ip_address", "mac_address"}). */
static int
read_pairs(struct store *st, const char *port_id, json_t **out)
{
    struct store_stmt *s;

    int rc = db_prepare(st, &s,
                        "SELECT ip_address, mac_address FROM "
                        "port_address_pairs WHERE port_id = ? ORDER BY "
                        "position",
                        "s", port_id);
    *out = json_array();
    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(*out, json_pack("{s:s, s:s}", "ip_address",
                                              store_col_text(s, 0),
                                              "mac_address",
                                              store_col_text(s, 1)));
        rc = 0;
    }
    return rc < 0 ? rc : 0;
}

static const char *
port_status(const char *host, long long admin)
{
    return host && *host && admin ? "ACTIVE" : "DOWN";
}

/* ---- create ---- */

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct port_req *r = aux;
    struct store *st = core_store(c);
    char id[UUID_STRLEN + 1], now[32];
    long long admin = r->admin_p ? *r->admin_p : 1;

    int rc = db_exists(st, "SELECT 1 FROM networks WHERE id = ?", "s", r->net);
    if (rc <= 0) {
        return rc < 0 ? rc
                      : core_fail(err, CE_NETWORK_NOT_FOUND,
                                  "Network %s could not be found.",
                                  r->net_given);
    }
    if (!r->has_mac && (rc = generate_mac(st, r->net, r->mac, err))) {
        return rc;
    }
    uuid_generate(id);
    if ((rc = resolve_pairs(r->pairs, r->mac, err))
        || (rc = claim_all(st, r->net, id, r->mac, r->pairs, err))) {
        return rc;
    }
    store_timestamp(now);
    rc = db_run(st,
                "INSERT INTO ports (id, project_id, name, network_id, "
                "mac_address, host, device_owner, device_id, admin_state_up, "
                "status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "ssssssssisss", id, r->project, r->name, r->net, r->mac,
                r->host, r->device_owner, r->device_id, admin,
                port_status(r->host, admin), now, now);
    if (rc < 0 || (rc = write_fixed_ips(st, id, r->fixed_ips))
        || (rc = write_pairs(st, id, r->pairs))
        || (rc = port_get(c, id, &r->out, err))) {
        return rc < 0 ? rc : -EIO;
    }
    return db_txn_event(t, EVENT_PORT, id, r->net);
}

static void
port_req_destroy(struct port_req *r)
{
    json_decref(r->fixed_ips);
    json_decref(r->pairs);
}

int
port_create(struct core *c, const json_t *attrs, json_t **out,
            struct core_err *err)
{
    struct port_req r = {.project = valid_project(attrs)};

    r.net_given = ju_str(attrs, "network_id");
    r.net_given = r.net_given ? r.net_given : "";
    valid_id(r.net_given, r.net);
    int rc = parse_port(attrs, &r, "", err);
    if (!rc) {
        r.pairs = r.pairs ? r.pairs : json_array();
        rc = db_txn(c, create_txn, &r, err);
    }
    port_req_destroy(&r);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* ---- update ---- */

static int
port_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_PORT_NOT_FOUND, "Port %s could not be found.", id);
    return -ENOENT;
}

/* Re-claims the MACs of the port after a change of its MAC or pairs. */
static int
reclaim(struct store *st, struct port_req *r, struct core_err *err)
{
    json_t *stored = NULL;

    int rc = release_macs(st, r->id);
    if (!rc && !r->pairs) {
        rc = read_pairs(st, r->id, &stored);
    }
    if (!rc && r->pairs) {
        rc = resolve_pairs(r->pairs, r->mac, err);
    }
    if (!rc) {
        rc = claim_all(st, r->net, r->id, r->mac,
                       r->pairs ? r->pairs : stored, err);
    }
    json_decref(stored);
    if (!rc && r->pairs) {
        rc = write_pairs(st, r->id, r->pairs);
    }
    return rc;
}

/* Loads the stored network, MAC, host and admin state of port r->id and
 * merges them under what the request leaves out. */
static int
load_current(struct store *st, struct port_req *r, char *host, size_t size,
             struct core_err *err)
{
    struct store_stmt *s;

    int rc = db_prepare(st, &s,
                        "SELECT network_id, mac_address, host, "
                        "admin_state_up FROM ports WHERE id = ?",
                        "s", r->id);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : port_not_found(err, r->given);
    }
    snprintf(r->net, sizeof r->net, "%s", store_col_text(s, 0));
    if (!r->has_mac) {
        snprintf(r->mac, sizeof r->mac, "%s", store_col_text(s, 1));
    }
    snprintf(host, size, "%s", r->host ? r->host : store_col_text(s, 2));
    if (!r->admin_p) {
        r->admin_state_up = store_col_int(s, 3);
    }
    store_reset(s);
    return 0;
}

static int
update_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct port_req *r = aux;
    struct store *st = core_store(c);
    char host[VALID_NAME_MAX + 1], now[32];

    int rc = load_current(st, r, host, sizeof host, err);
    if (rc || ((r->has_mac || r->pairs) && (rc = reclaim(st, r, err)))) {
        return rc;
    }
    store_timestamp(now);
    rc = db_run(st,
                "UPDATE ports SET name = COALESCE(?, name), mac_address = ?, "
                "host = ?, device_owner = COALESCE(?, device_owner), "
                "device_id = COALESCE(?, device_id), admin_state_up = ?, "
                "status = ?, updated_at = ? WHERE id = ?",
                "sssssisss", r->name, r->mac, host, r->device_owner,
                r->device_id, r->admin_state_up,
                port_status(host, r->admin_state_up), now, r->id);
    if (rc < 0
        || (r->fixed_ips && (rc = write_fixed_ips(st, r->id, r->fixed_ips)))
        || (rc = port_get(c, r->id, &r->out, err))) {
        return rc < 0 ? rc : -EIO;
    }
    return db_txn_event(t, EVENT_PORT, r->id, r->net);
}

int
port_update(struct core *c, const char *id, const json_t *attrs,
            json_t **out, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct port_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    int rc = parse_port(attrs, &r, NULL, err);
    if (!rc) {
        rc = db_txn(c, update_txn, &r, err);
    }
    port_req_destroy(&r);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* ---- delete ---- */

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    static const char *const sqls[] = {
        "DELETE FROM port_fixed_ips WHERE port_id = ?",
        "DELETE FROM port_address_pairs WHERE port_id = ?",
        "DELETE FROM ports WHERE id = ?",
    };
    struct port_req *r = aux;
    struct store *st = core_store(c);

    int rc = db_text(st, r->net, sizeof r->net,
                     "SELECT network_id FROM ports WHERE id = ?", "s", r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : port_not_found(err, r->given);
    }
    rc = release_macs(st, r->id);
    for (size_t i = 0; !rc && i < sizeof sqls / sizeof *sqls; i++) {
        rc = db_run(st, sqls[i], "s", r->id);
        rc = rc < 0 ? rc : 0;
    }
    return rc ? rc : db_txn_event(t, EVENT_PORT, r->id, r->net);
}

int
port_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct port_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}

/* ---- reading ---- */

int
port_get(struct core *c, const char *id, json_t **out, struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, network_id, mac_address, host, "
                        "device_owner, device_id, admin_state_up, status, "
                        "project_id FROM ports WHERE id = ?",
                        "s", nid);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : port_not_found(err, id);
    }
    json_t *port = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", nid, "name",
        store_col_text(s, 0), "network_id", store_col_text(s, 1),
        "mac_address", store_col_text(s, 2), HOST_ATTR, store_col_text(s, 3),
        "device_owner", store_col_text(s, 4), "device_id",
        store_col_text(s, 5), "admin_state_up", (int) store_col_int(s, 6),
        "status", store_col_text(s, 7));
    valid_set_project(port, store_col_text(s, 8));
    store_reset(s);
    json_t *rows = json_pack("[O]", port);
    rc = port_render(c, rows, err);
    json_decref(rows);
    if (rc) {
        json_decref(port);
        return rc;
    }
    *out = port;
    return 0;
}

static void
render_ip(struct store_stmt *s, json_t *row, void *aux)
{
    json_array_append_new(json_object_get(row, "fixed_ips"),
                          json_pack("{s:s}", "ip_address",
                                    store_col_text(s, 1)));
}

static void
render_pair(struct store_stmt *s, json_t *row, void *aux)
{
    json_array_append_new(json_object_get(row, PAIRS),
                          json_pack("{s:s, s:s}", "ip_address",
                                    store_col_text(s, 1), "mac_address",
                                    store_col_text(s, 2)));
}

int
port_render(struct core *c, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        valid_fill_project(row);
        json_object_set_new(row, "fixed_ips", json_array());
        json_object_set_new(row, PAIRS, json_array());
    }
    int rc = db_rows_in(core_store(c), rows,
                        "SELECT port_id, ip_address FROM port_fixed_ips "
                        "WHERE port_id IN (%s) ORDER BY port_id, position",
                        render_ip, NULL);
    if (!rc) {
        rc = db_rows_in(core_store(c), rows,
                        "SELECT port_id, ip_address, mac_address FROM "
                        "port_address_pairs WHERE port_id IN (%s) "
                        "ORDER BY port_id, position",
                        render_pair, NULL);
    }
    return rc;
}
