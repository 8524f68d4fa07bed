/* plan: store intent → the desired hardware_vtep content of one switch
 * database (plan.h).  Pure SQL reads; nothing is written.
 *
 * A pass has two phases: (1) every (connection, device) pair whose device
 * names a switch of the database gives its LS, connection and bindings;
 * (2) every LS planned gets the MACs and the flood set of its network. */
#include "core/plan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/border.h"
#include "core/core.h"
#include "core/db.h"
#include "lib/config.h"
#include "lib/jsonutil.h"
#include "store/store.h"
#include "vtep/desired.h"
#include "vtep/names.h"

#define LOG_MODULE "plan"
#include "lib/log.h"

/* Most service node IPs taken from [ovsdb] service_node_ips. */
#define PLAN_MAX_SERVICE_NODES 64
/* Room for a port id (a UUID) with its NUL. */
#define PLAN_ID_LEN 64

/* A device name matches a switch by its name or "<db>/<name>". */
#define MATCH_SWITCH                                                       \
    "(s.name = d.device_name OR s.ovsdb_identifier || '/' || s.name = "    \
    "d.device_name)"

struct plan_ctx {
    struct core *c;
    struct store *st;
    const char *db;
    struct vtep_desired *out;
    struct plan_problems *problems;
    json_t *own_ips;    /* set: tunnel IPs of this database's switches */
    json_t *no_source;  /* set: switches reporting unsupported_source_node_replication */
    struct vtep_locator service[PLAN_MAX_SERVICE_NODES];
    size_t n_service;
    bool all_service;   /* [ovsdb] replication_mode = service_node */
};

/* One (connection, device) pair of phase 1. */
struct plan_row {
    char *conn, *net, *net_name, *device_id, *device, *ps;
    long long vni, seg;
    bool has_seg, ambiguous;
};

void
plan_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i]);
    }
    free(v);
}

void
plan_problems_destroy(struct plan_problems *p)
{
    for (size_t i = 0; p && i < p->n; i++) {
        free(p->items[i].conn);
        free(p->items[i].network);
        free(p->items[i].reason);
    }
    if (p) {
        free(p->items);
        memset(p, 0, sizeof *p);
    }
}

/* Records a problem of connection 'conn' (deduplicated). */
static void __attribute__((format(printf, 4, 5)))
add_problem(struct plan_ctx *x, const char *conn, const char *net,
            const char *fmt, ...)
{
    struct plan_problems *p = x->problems;
    char reason[512];
    va_list ap;

    if (!p) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < p->n; i++) {
        if (!strcmp(p->items[i].conn, conn)
            && !strcmp(p->items[i].reason, reason)) {
            return;
        }
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4;
        struct plan_problem *v = realloc(p->items, cap * sizeof *v);
        if (!v) {
            return;
        }
        p->items = v;
        p->cap = cap;
    }
    struct plan_problem *pp = &p->items[p->n];
    pp->conn = strdup(conn);
    pp->network = strdup(net ? net : "");
    pp->reason = strdup(reason);
    if (pp->conn && pp->network && pp->reason) {
        p->n++;
    } else {
        free(pp->conn);
        free(pp->network);
        free(pp->reason);
    }
}

/* ---- the database's switches ---- */

/* Adds the strings of JSON array text 'text' to set 'set'. */
static void
add_json_strings(json_t *set, const char *text)
{
    json_t *v = text ? ju_parse(text, strlen(text), NULL) : NULL;
    size_t i;
    json_t *e;

    json_array_foreach(v, i, e) {
        if (json_is_string(e)) {
            json_object_set_new(set, json_string_value(e), json_true());
        }
    }
    json_decref(v);
}

/* Loads the own tunnel IPs and the switches that cannot replicate. */
static int
load_switches(struct plan_ctx *x)
{
    struct store_stmt *s;
    int rc = db_prepare(x->st, &s,
                        "SELECT name, tunnel_ips, switch_fault_status FROM "
                        "switches WHERE ovsdb_identifier = ?",
                        "s", x->db);

    while (!rc && (rc = store_step(s)) == 1) {
        json_t *faults = json_object();
        add_json_strings(x->own_ips, store_col_text(s, 1));
        add_json_strings(faults, store_col_text(s, 2));
        if (json_object_get(faults, VTEP_FAULT_NO_SOURCE_NODE)) {
            json_object_set_new(x->no_source, store_col_text(s, 0),
                                json_true());
        }
        json_decref(faults);
        rc = 0;
    }
    return rc < 0 ? db_fail(rc, "plan switches") : 0;
}

/* Parses [ovsdb] service_node_ips and replication_mode. */
static void
load_service_nodes(struct plan_ctx *x)
{
    const struct config *cfg = core_config(x->c);
    char *copy, *save = NULL;
    unsigned char bin[4];

    if (!cfg) {
        return;
    }
    x->all_service = cfg->replication_mode
                     && !strcmp(cfg->replication_mode, VTEP_REPL_SERVICE_NODE);
    copy = strdup(cfg->service_node_ips ? cfg->service_node_ips : "");
    for (char *t = copy ? strtok_r(copy, ", \t\n", &save) : NULL; t;
         t = strtok_r(NULL, ", \t\n", &save)) {
        if (inet_pton(AF_INET, t, bin) != 1) {
            static struct log_rl rl = LOG_RL_INIT(1, 600000);
            log_warn_rl(&rl, "[ovsdb] service_node_ips: '%s' is not an IPv4 "
                        "address; ignored", t);
            continue;
        }
        if (x->n_service < PLAN_MAX_SERVICE_NODES) {
            struct vtep_locator *l = &x->service[x->n_service++];
            inet_ntop(AF_INET, bin, l->ip, sizeof l->ip);
            l->key = VTEP_NO_KEY;
        }
    }
    free(copy);
}

/* ---- phase 1: connections and devices ---- */

static void
row_free(struct plan_row *r)
{
    free(r->conn);
    free(r->net);
    free(r->net_name);
    free(r->device_id);
    free(r->device);
    free(r->ps);
}

static char *
col_dup(struct store_stmt *s, int col)
{
    const char *v = store_col_text(s, col);
    return strdup(v ? v : "");
}

/* Appends the current result row of 's' to '*rows'. */
static int
take_row(struct store_stmt *s, struct plan_row **rows, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        struct plan_row *v = realloc(*rows, nc * sizeof *v);
        if (!v) {
            return -ENOMEM;
        }
        *rows = v;
        *cap = nc;
    }
    struct plan_row *r = &(*rows)[(*n)++];
    memset(r, 0, sizeof *r);
    r->conn = col_dup(s, 0);
    r->net = col_dup(s, 1);
    r->has_seg = !store_col_is_null(s, 2);
    r->seg = r->has_seg ? store_col_int(s, 2) : 0;
    r->net_name = col_dup(s, 3);
    r->vni = store_col_int(s, 4);
    r->device_id = col_dup(s, 5);
    r->device = col_dup(s, 6);
    r->ps = col_dup(s, 7);
    /* An unqualified name that several databases report. */
    r->ambiguous = !strcmp(r->device, r->ps) && store_col_int(s, 8) > 1;
    return r->conn && r->net && r->net_name && r->device_id && r->device
                   && r->ps
               ? 0
               : -ENOMEM;
}

#define ROWS_SQL                                                            \
    "SELECT c.id, c.network_id, c.segmentation_id, n.name, n.vni, d.id, "   \
    "d.device_name, s.name, (SELECT COUNT(*) FROM switches s2 WHERE "       \
    "s2.name = d.device_name) FROM connections c JOIN networks n ON n.id = " \
    "c.network_id JOIN gateway_devices d ON d.gateway_id = c.gateway_id "   \
    "JOIN switches s ON s.ovsdb_identifier = ? AND " MATCH_SWITCH

/* Reads the (connection, device) pairs of the database, for one network
 * ('net' not NULL) or all. */
static int
read_rows(struct plan_ctx *x, const char *net, struct plan_row **rows,
          size_t *n, size_t *cap)
{
    struct store_stmt *s;
    int rc = net ? db_prepare(x->st, &s,
                              ROWS_SQL " WHERE c.network_id = ? ORDER BY "
                                       "c.created_at, c.id, d.position",
                              "ss", x->db, net)
                 : db_prepare(x->st, &s,
                              ROWS_SQL " ORDER BY c.network_id, c.created_at, "
                                       "c.id, d.position",
                              "s", x->db);

    while (!rc && (rc = store_step(s)) == 1) {
        rc = take_row(s, rows, n, cap);
        if (rc) {
            store_reset(s);
        }
    }
    return rc < 0 ? db_fail(rc, "plan connections") : 0;
}

/* Adds the bindings of device row 'r' to 'ls'. */
static int
plan_bindings(struct plan_ctx *x, const struct plan_row *r, struct vtep_ls *ls)
{
    struct store_stmt *s;
    int rc = db_prepare(x->st, &s,
                        "SELECT i.name, i.has_vlans, v.vlan FROM "
                        "gateway_interfaces i LEFT JOIN interface_vlans v ON "
                        "v.device_id = i.device_id AND v.interface = i.name "
                        "WHERE i.device_id = ? ORDER BY i.position, "
                        "v.position",
                        "s", r->device_id);

    while (!rc && (rc = store_step(s)) == 1) {
        const char *port = store_col_text(s, 0);
        long long vlan = 0;
        if (r->has_seg) {
            vlan = r->seg;
        } else if (store_col_int(s, 1) && !store_col_is_null(s, 2)) {
            vlan = store_col_int(s, 2);
        }
        rc = vtep_ls_add_binding(ls, r->ps, port, (int) vlan, r->conn);
        if (rc == -EINVAL) {
            add_problem(x, r->conn, r->net, "VLAN %lld of interface %s is "
                        "out of range", vlan, port);
            rc = 0;
        }
        if (rc) {
            store_reset(s);
        }
    }
    return rc < 0 ? db_fail(rc, "plan bindings") : 0;
}

/* Phase 1 for one pair: its LS, connection, bindings and replication. */
static int
plan_row(struct plan_ctx *x, const struct plan_row *r)
{
    if (r->ambiguous) {
        add_problem(x, r->conn, r->net,
                    "L2 gateway device '%s' is ambiguous: several switch "
                    "databases report a switch of that name; name it as "
                    "<ovsdb_identifier>/%s",
                    r->device, r->device);
        return 0;
    }
    struct vtep_ls *ls = vtep_desired_ls(x->out, r->net, r->net_name, r->vni);
    if (!ls || vtep_ls_add_conn(ls, r->conn)) {
        return -ENOMEM;
    }
    bool no_source = json_object_get(x->no_source, r->ps) != NULL;
    if ((no_source || x->all_service) && x->n_service) {
        ls->service_node = true;
    } else if (no_source) {
        add_problem(x, r->conn, r->net,
                    "switch %s reports %s and [ovsdb] service_node_ips is "
                    "not set",
                    r->ps, VTEP_FAULT_NO_SOURCE_NODE);
    }
    return plan_bindings(x, r, ls);
}

/* ---- phase 2: MACs and flood sets ---- */

/* A locator for host tunnel IP 'ip', or NULL (own tunnel IP, or bad). */
static bool
host_locator(struct plan_ctx *x, const char *ip, struct vtep_locator *loc)
{
    if (!ip || !*ip || json_object_get(x->own_ips, ip)) {
        return false;
    }
    snprintf(loc->ip, sizeof loc->ip, "%s", ip);
    loc->key = VTEP_NO_KEY;
    return true;
}

/* Adds 'loc' to the flood set of 'ls' once ('seen' dedups in O(1)). */
static int
add_flood(struct vtep_ls *ls, json_t *seen, const struct vtep_locator *loc)
{
    if (json_object_get(seen, loc->ip)) {
        return 0;
    }
    json_object_set_new(seen, loc->ip, json_true());
    return vtep_ls_add_flood(ls, loc);
}

#define PORTS_SQL                                                          \
    "SELECT p.id, p.mac_address, h.tunnel_ip, (SELECT f.ip_address FROM "  \
    "port_fixed_ips f WHERE f.port_id = p.id AND f.ip_address NOT LIKE "   \
    "'%:%' ORDER BY f.position LIMIT 1) FROM ports p JOIN hosts h ON "     \
    "h.name = p.host WHERE p.network_id = ? AND p.host <> '' AND "         \
    "h.tunnel_ip IS NOT NULL AND h.tunnel_ip <> '' ORDER BY p.created_at, " \
    "p.id"

/* Ports' own MACs; fills 'ranks' (port id → rank). */
static int
plan_port_macs(struct plan_ctx *x, struct vtep_ls *ls, json_t *ranks,
               json_t *seen)
{
    struct store_stmt *s;
    char owner[64 + PLAN_ID_LEN];
    long long rank = 0;
    int rc = db_prepare(x->st, &s, PORTS_SQL, "s", ls->name);

    while (!rc && (rc = store_step(s)) == 1) {
        struct vtep_locator loc;
        const char *id = store_col_text(s, 0);
        rc = 0; /* a port whose host has no usable locator adds nothing */
        json_object_set_new(ranks, id, json_integer(rank));
        if (host_locator(x, store_col_text(s, 2), &loc)) {
            snprintf(owner, sizeof owner, "port %s", id);
            rc = vtep_ls_add_mac(ls, store_col_text(s, 1),
                                 store_col_text(s, 3), &loc, owner, rank);
            rc = rc == -EINVAL ? 0 : rc;
            rc = rc ? rc : add_flood(ls, seen, &loc);
            rc = rc == -EINVAL ? 0 : rc;
        }
        rank++;
        if (rc) {
            store_reset(s);
        }
    }
    return rc < 0 ? db_fail(rc, "plan ports") : 0;
}

/* True if 'ip' is a plain IPv4 address (not a CIDR, not IPv6). */
static bool
plain_ipv4(const char *ip)
{
    unsigned char bin[4];
    return ip && inet_pton(AF_INET, ip, bin) == 1;
}

#define PAIRS_SQL                                                          \
    "SELECT p.id, a.mac_address, a.ip_address, h.tunnel_ip FROM "          \
    "port_address_pairs a JOIN ports p ON p.id = a.port_id JOIN hosts h "  \
    "ON h.name = p.host WHERE p.network_id = ? AND p.host <> '' AND "      \
    "h.tunnel_ip IS NOT NULL AND h.tunnel_ip <> '' AND a.mac_address <> "  \
    "p.mac_address ORDER BY p.created_at, p.id, a.mac_address, a.position"

/* One address-pair MAC of a port, gathered over its pairs. */
struct pair_acc {
    char port[PLAN_ID_LEN];
    char mac[VTEP_MAC_LEN + 8];
    char ip[VTEP_IP_LEN];
    char tunnel[VTEP_IP_LEN];
    bool open;
};

static int
flush_pair(struct plan_ctx *x, struct vtep_ls *ls, struct pair_acc *a,
           json_t *ranks, json_t *seen)
{
    struct vtep_locator loc;
    char owner[64 + PLAN_ID_LEN];

    if (!a->open || !host_locator(x, a->tunnel, &loc)) {
        a->open = false;
        return 0;
    }
    a->open = false;
    snprintf(owner, sizeof owner, "address pair of port %s", a->port);
    long long rank = json_integer_value(json_object_get(ranks, a->port));
    int rc = vtep_ls_add_mac(ls, a->mac, a->ip, &loc, owner, rank);
    if (!rc) {
        rc = add_flood(ls, seen, &loc);
    }
    return rc == -EINVAL ? 0 : rc;
}

/* Allowed address pairs with their own MAC: one row per (port, MAC), the
 * first plain IPv4 address of that MAC's pairs. */
static int
plan_pair_macs(struct plan_ctx *x, struct vtep_ls *ls, json_t *ranks,
               json_t *seen)
{
    struct store_stmt *s;
    struct pair_acc a = {.open = false};
    int rc = db_prepare(x->st, &s, PAIRS_SQL, "s", ls->name);

    while (!rc && (rc = store_step(s)) == 1) {
        const char *port = store_col_text(s, 0), *mac = store_col_text(s, 1);
        const char *ip = store_col_text(s, 2);
        rc = 0;
        if (!a.open || strcmp(a.port, port) || strcmp(a.mac, mac)) {
            rc = flush_pair(x, ls, &a, ranks, seen);
            snprintf(a.port, sizeof a.port, "%s", port);
            snprintf(a.mac, sizeof a.mac, "%s", mac);
            snprintf(a.tunnel, sizeof a.tunnel, "%s", store_col_text(s, 3));
            a.ip[0] = '\0';
            a.open = true;
        }
        if (!a.ip[0] && plain_ipv4(ip)) {
            snprintf(a.ip, sizeof a.ip, "%s", ip);
        }
        if (rc) {
            store_reset(s);
        }
    }
    if (rc < 0) {
        return db_fail(rc, "plan address pairs");
    }
    return flush_pair(x, ls, &a, ranks, seen);
}

/* ---- phase 3: border rows (spec/border.md) ---- */

/* Remote MACs rank after every port claim of their network. */
#define PLAN_REMOTE_RANK (1LL << 40)
/* Room for a switch name in a reason. */
#define PLAN_SW_LEN 256

/* True if switch 'ps' of this database (named by device 'dev', with JSON
 * object text 'other_config') honours a per-locator tunnel key: it
 * advertises BORDER_PER_LOCATOR_KEY = "true", or [ovsdb]
 * per_locator_key_switches lists it (plain or qualified) or its device. */
static bool
per_key_switch(struct plan_ctx *x, const char *ps, const char *dev,
               const char *other_config)
{
    char qname[2 * PLAN_SW_LEN];

    snprintf(qname, sizeof qname, "%s/%s", x->db, ps);
    return border_listed(x->c, ps) || border_listed(x->c, qname)
           || border_listed(x->c, dev) || border_advertises(other_config);
}

/* One remote connection of an LS, gathered over its switches. */
struct rconn_acc {
    char id[PLAN_ID_LEN];
    struct vtep_locator wan;
    bool flood, open;
    char refused[PLAN_SW_LEN];  /* a switch without the extension */
};

/* Its remote MACs → Ucast_Macs_Remote rows on the WAN locator. */
static int
plan_remote_macs(struct plan_ctx *x, struct vtep_ls *ls,
                 const struct rconn_acc *a, long long *rank)
{
    struct store_stmt *s;
    char owner[64 + PLAN_ID_LEN];
    int rc = db_prepare(x->st, &s,
                        "SELECT id, mac, ipaddr FROM remote_macs WHERE "
                        "rgw_connection_id = ? ORDER BY mac",
                        "s", a->id);

    while (!rc && (rc = store_step(s)) == 1) {
        snprintf(owner, sizeof owner, "remote MAC %s", store_col_text(s, 0));
        rc = vtep_ls_add_mac(ls, store_col_text(s, 1), store_col_text(s, 2),
                             &a->wan, owner, PLAN_REMOTE_RANK + (*rank)++);
        rc = rc == -EINVAL ? 0 : rc;
        if (rc) {
            store_reset(s);
        }
    }
    return rc < 0 ? db_fail(rc, "plan remote MACs") : 0;
}

/* Plans one gathered remote connection: refused (a plan problem), or its
 * WAN locator (in the flood set when it floods) and its MACs.  Either way
 * it is served by 'ls' (for its status). */
static int
flush_rconn(struct plan_ctx *x, struct vtep_ls *ls, struct rconn_acc *a,
            json_t *seen, long long *rank)
{
    char key[VTEP_IP_LEN + 32];
    int rc;

    if (!a->open) {
        return 0;
    }
    a->open = false;
    if ((rc = vtep_ls_add_conn(ls, a->id))) {
        return rc;
    }
    if (a->refused[0]) {
        add_problem(x, a->id, ls->name,
                    "switch %s does not support per-locator tunnel keys "
                    "(other_config:%s=true, or [ovsdb] "
                    "per_locator_key_switches)",
                    a->refused, BORDER_PER_LOCATOR_KEY);
        return 0;
    }
    snprintf(key, sizeof key, "%s#%lld", a->wan.ip, a->wan.key);
    if (a->flood && !json_object_get(seen, key)) {
        json_object_set_new(seen, key, json_true());
        rc = vtep_ls_add_flood(ls, &a->wan);
    }
    if (rc == -EINVAL) {
        add_problem(x, a->id, ls->name, "bad WAN locator %s key %lld",
                    a->wan.ip, a->wan.key);
        return 0;
    }
    return rc ? rc : plan_remote_macs(x, ls, a, rank);
}

#define RCONN_SQL                                                           \
    "SELECT r.id, r.seg_id, r.flood, g.ipaddr, s.name, s.other_config, "    \
    "d.device_name FROM remote_gateway_connections r JOIN remote_gateways " \
    "g ON g.id = r.remote_gateway_id JOIN gateway_devices d ON "            \
    "d.gateway_id = r.gateway_id JOIN switches s ON s.ovsdb_identifier = ? " \
    "AND " MATCH_SWITCH " WHERE r.network_id = ? ORDER BY r.created_at, "   \
    "r.id, d.position"

/* Takes one row of RCONN_SQL into 'a' (flushing the previous one). */
static int
take_rconn(struct plan_ctx *x, struct vtep_ls *ls, struct store_stmt *s,
           struct rconn_acc *a, json_t *seen, long long *rank)
{
    const char *id = store_col_text(s, 0), *ps = store_col_text(s, 4);
    int rc = 0;

    if (!a->open || strcmp(a->id, id)) {
        rc = flush_rconn(x, ls, a, seen, rank);
        memset(a, 0, sizeof *a);
        snprintf(a->id, sizeof a->id, "%s", id);
        snprintf(a->wan.ip, sizeof a->wan.ip, "%s", store_col_text(s, 3));
        a->wan.key = store_col_int(s, 1);
        a->flood = store_col_int(s, 2) != 0;
        a->open = true;
    }
    if (!a->refused[0]
        && !per_key_switch(x, ps, store_col_text(s, 6),
                           store_col_text(s, 5))) {
        snprintf(a->refused, sizeof a->refused, "%s", ps);
    }
    return rc;
}

/* Phase 3 for one LS: the remote connections of its network served by
 * this database.  WAN locators always carry their key. */
static int
plan_remote(struct plan_ctx *x, struct vtep_ls *ls)
{
    struct store_stmt *s;
    struct rconn_acc a = {.open = false};
    json_t *seen = json_object();
    long long rank = 0;
    int rc = seen ? db_prepare(x->st, &s, RCONN_SQL, "ss", x->db, ls->name)
                  : -ENOMEM;

    while (!rc && (rc = store_step(s)) == 1) {
        rc = take_rconn(x, ls, s, &a, seen, &rank);
        if (rc) {
            store_reset(s);
        }
    }
    if (rc < 0 && rc != -ENOMEM) {
        rc = db_fail(rc, "plan remote connections");
    }
    rc = rc ? rc : flush_rconn(x, ls, &a, seen, &rank);
    json_decref(seen);
    return rc;
}

/* Phase 2 for one LS. */
static int
plan_network(struct plan_ctx *x, struct vtep_ls *ls)
{
    json_t *ranks = json_object(), *seen = json_object();
    int rc = ranks && seen ? 0 : -ENOMEM;

    rc = rc ? rc : plan_port_macs(x, ls, ranks, seen);
    rc = rc ? rc : plan_pair_macs(x, ls, ranks, seen);
    if (!rc && ls->service_node) {
        ls->n_flood = 0;
        for (size_t i = 0; i < x->n_service && !rc; i++) {
            rc = vtep_ls_add_flood(ls, &x->service[i]);
        }
    }
    rc = rc ? rc : plan_remote(x, ls);
    json_decref(ranks);
    json_decref(seen);
    return rc;
}

/* ---- plan_database ---- */

static int
plan_rows(struct plan_ctx *x, const char *const *networks, size_t n_networks)
{
    struct plan_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (!networks) {
        rc = read_rows(x, NULL, &rows, &n, &cap);
    }
    for (size_t i = 0; networks && i < n_networks && !rc; i++) {
        rc = read_rows(x, networks[i], &rows, &n, &cap);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        rc = plan_row(x, &rows[i]);
    }
    for (size_t i = 0; i < n; i++) {
        row_free(&rows[i]);
    }
    free(rows);
    return rc;
}

int
plan_database(struct core *c, const char *db, const char *const *networks,
              size_t n_networks, struct vtep_desired *out,
              struct plan_problems *problems)
{
    struct plan_ctx x = {
        .c = c, .st = core_store(c), .db = db, .out = out,
        .problems = problems, .own_ips = json_object(),
        .no_source = json_object(),
    };
    int rc = x.own_ips && x.no_source ? 0 : -ENOMEM;

    load_service_nodes(&x);
    rc = rc ? rc : load_switches(&x);
    rc = rc ? rc : plan_rows(&x, networks, n_networks);
    for (size_t i = 0; i < out->n_ls && !rc; i++) {
        rc = plan_network(&x, &out->ls[i]);
    }
    if (!rc) {
        vtep_desired_sort(out);
    }
    json_decref(x.own_ips);
    json_decref(x.no_source);
    return rc;
}

/* ---- lookups ---- */

/* Runs 'sql' with one text parameter and collects column 0 of every row
 * into a new array of new strings. */
static int
collect(struct core *c, const char *sql, const char *param, char ***out)
{
    struct store_stmt *s;
    char **v = NULL;
    size_t n = 0, cap = 0;
    int rc = param ? db_prepare(core_store(c), &s, sql, "s", param)
                   : db_prepare(core_store(c), &s, sql, "");

    while (!rc && (rc = store_step(s)) == 1) {
        char *str = col_dup(s, 0);
        char **nv = n == cap ? realloc(v, (cap = cap ? 2 * cap : 8) * sizeof *v)
                             : v;
        if (!str || !nv) {
            free(str);
            store_reset(s);
            rc = -ENOMEM;
            break;
        }
        v = nv;
        v[n++] = str;
        rc = 0;
    }
    if (rc < 0) {
        plan_strings_free(v, n);
        return rc == -ENOMEM ? rc : db_fail(rc, sql);
    }
    *out = v;
    return (int) n;
}

int
plan_databases_of_network(struct core *c, const char *network_id,
                          char ***dbs)
{
    return collect(c,
                   "SELECT DISTINCT s.ovsdb_identifier FROM connections c "
                   "JOIN gateway_devices d ON d.gateway_id = c.gateway_id "
                   "JOIN switches s ON " MATCH_SWITCH
                   " WHERE c.network_id = ?",
                   network_id, dbs);
}

int
plan_networks_of_gateway(struct core *c, const char *gateway_id, char ***nets)
{
    return collect(c,
                   "SELECT DISTINCT network_id FROM connections WHERE "
                   "gateway_id = ?",
                   gateway_id, nets);
}

int
plan_databases_of_gateway(struct core *c, const char *gateway_id, char ***dbs)
{
    return collect(c,
                   "SELECT DISTINCT s.ovsdb_identifier FROM gateway_devices d "
                   "JOIN switches s ON " MATCH_SWITCH
                   " WHERE d.gateway_id = ?",
                   gateway_id, dbs);
}

int
plan_networks_of_host(struct core *c, const char *host_id, char ***nets)
{
    int rc = db_exists(core_store(c), "SELECT 1 FROM hosts WHERE id = ?", "s",
                       host_id);
    if (rc < 0) {
        return rc;
    }
    if (rc) {
        return collect(c,
                       "SELECT DISTINCT p.network_id FROM ports p JOIN hosts "
                       "h ON h.name = p.host WHERE h.id = ?",
                       host_id, nets);
    }
    return collect(c,
                   "SELECT DISTINCT network_id FROM ports WHERE host <> '' "
                   "AND host NOT IN (SELECT name FROM hosts)",
                   NULL, nets);
}

int
plan_all_databases(struct core *c, char ***dbs)
{
    return collect(c, "SELECT DISTINCT ovsdb_identifier FROM switches", NULL,
                   dbs);
}

int
plan_split_device(const char *device, char **db, char **name)
{
    const char *slash = strchr(device, '/');

    *db = slash ? strndup(device, (size_t)(slash - device)) : NULL;
    *name = strdup(slash ? slash + 1 : device);
    if (!*name || (slash && !*db)) {
        free(*db);
        free(*name);
        *db = *name = NULL;
        return -ENOMEM;
    }
    return 0;
}
