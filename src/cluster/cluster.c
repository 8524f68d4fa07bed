/* Leases and change notifications between l2gwd nodes (cluster.h), over a
 * libpq connection of this module's own. */
#include "cluster/cluster.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/lease.h"
#include "lib/config.h"
#include "lib/event.h"
#include "lib/eventwire.h"
#include "lib/loop.h"
#include "store/store.h"

#define LOG_MODULE "cluster"
#include "lib/log.h"

/* The advisory lock key that serialises lease changes ("l2gwlease"); the
 * store's writer lock has its own key. */
#define CLUSTER_LOCK_KEY "7434309574526546533"
#define CHANNEL "l2gw_changes"
#define RETRY_MIN_MS 500
#define RETRY_MAX_MS 5000
#define NODE_GC_MS (3600LL * 1000) /* dead node rows kept this long */

struct cluster {
    char *url;
    char node_id[EVENTWIRE_ORIGIN_MAX + 1];
    char description[256];
    long long lease_ms, heartbeat_ms, margin_ms;

    PGconn *conn;
    bool ever_connected;
    long long retry_at;
    long long backoff_ms;
    long long next_tick;

    json_t *declared;   /* dbs of our configuration (set) */
    json_t *inserted;   /* declared dbs known to have a lease row */
    json_t *owned;      /* dbs we hold */
    json_t *releasing;  /* dbs we stopped serving; freed at the next tick */
    json_t *pinned;     /* dbs whose switch connected to us (passive) */
    long long valid_until; /* loop_now() until which 'owned' holds */
    size_t live_nodes, share;

    unsigned long long last_seq;    /* last change seen (notified or read) */
    unsigned long long counter_prev; /* counter read at the previous tick */
    unsigned long ticks;            /* successful heartbeats */
};

/* ---- small helpers ---- */

static bool res_ok(const PGresult *r)
{
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Runs 'sql' with 'n' text parameters; returns the result when it
 * succeeded (caller PQclear()s it), else NULL after logging. */
static PGresult *q(struct cluster *c, const char *sql, int n,
                   const char *const *params)
{
    PGresult *r = PQexecParams(c->conn, sql, n, NULL, params, NULL, NULL, 0);

    if (!res_ok(r)) {
        log_warn("node %s: %s", c->node_id,
                 r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* q() for statements whose rows do not matter; returns 0 or -EIO. */
static int q0(struct cluster *c, const char *sql, int n,
              const char *const *params)
{
    PGresult *r = q(c, sql, n, params);
    PQclear(r);
    return r ? 0 : -EIO;
}

static long long col_ll(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : atoll(PQgetvalue(r, row, col));
}

/* ---- connection ---- */

static void disconnect(struct cluster *c, const char *why)
{
    if (c->conn) {
        log_warn("node %s: lost the cluster connection (%s)%s", c->node_id,
                 why,
                 json_object_size(c->owned)
                     ? "; its switches stay served until the leases run out"
                     : "");
        PQfinish(c->conn);
        c->conn = NULL;
    }
    /* Doubling, but never beyond a heartbeat: the switches wait for it. */
    long long max = c->heartbeat_ms < RETRY_MAX_MS ? c->heartbeat_ms
                                                   : RETRY_MAX_MS;
    c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : RETRY_MIN_MS;
    if (c->backoff_ms > max) {
        c->backoff_ms = max;
    }
    c->retry_at = loop_now() + c->backoff_ms;
}

/* Publishes a full resync: some change may not have reached this node. */
static void resync(const char *why)
{
    struct event ev = {EVENT_ALL, NULL, NULL, false};

    log_info("full resync: %s", why);
    event_publish(&ev);
}

static int read_counter(struct cluster *c, unsigned long long *out)
{
    PGresult *r = q(c, "SELECT seq FROM change_counter WHERE id = 1", 0, NULL);

    if (!r || PQntuples(r) != 1) {
        PQclear(r);
        return -EIO;
    }
    *out = (unsigned long long)col_ll(r, 0, 0);
    PQclear(r);
    return 0;
}

/* Connects, LISTENs, and takes the change counter as the baseline; after a
 * reconnect, notifications may have been missed: full resync. */
static int connect_db(struct cluster *c)
{
    const char *keys[] = {"dbname", "connect_timeout",
                          "fallback_application_name", NULL};
    const char *vals[] = {c->url, "3", "l2gwd-cluster", NULL};
    char st_to[64], lock_to[64], idle_to[80];
    unsigned long long seq;

    c->conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c->conn) != CONNECTION_OK) {
        disconnect(c, "cannot connect");
        return -ENOTCONN;
    }
    snprintf(st_to, sizeof st_to, "SET statement_timeout = %lld",
             c->lease_ms / 2);
    snprintf(lock_to, sizeof lock_to, "SET lock_timeout = %lld",
             c->lease_ms / 2);
    /* a node stopped inside a heartbeat would hold the cluster lock */
    snprintf(idle_to, sizeof idle_to,
             PQserverVersion(c->conn) >= 90600
                 ? "SET idle_in_transaction_session_timeout = %lld"
                 : "SELECT %lld",
             c->lease_ms / 2);
    if (q0(c, st_to, 0, NULL) || q0(c, lock_to, 0, NULL)
        || q0(c, idle_to, 0, NULL)
        || q0(c, "LISTEN " CHANNEL, 0, NULL)
        || read_counter(c, &seq)) {
        disconnect(c, "session setup failed");
        return -ENOTCONN;
    }
    PQsetnonblocking(c->conn, 0);
    if (c->ever_connected) {
        resync("the cluster connection was re-established");
    }
    log_info("node %s: cluster connection up", c->node_id);
    c->ever_connected = true;
    c->last_seq = c->counter_prev = seq;
    c->backoff_ms = 0;
    return 0;
}

/* ---- notifications ---- */

static void handle_payload(struct cluster *c, const char *payload)
{
    struct eventwire_batch *b = malloc(sizeof *b);

    if (!b || eventwire_decode(payload, b)) {
        log_warn("node %s: unreadable change notification; resync",
                 c->node_id);
        free(b);
        resync("unreadable notification");
        return;
    }
    if (b->seq <= c->last_seq) {
        free(b); /* already covered (before our baseline) */
        return;
    }
    if (b->seq != c->last_seq + 1) {
        char why[96];
        snprintf(why, sizeof why, "change %llu follows %llu", b->seq,
                 c->last_seq);
        resync(why);
    }
    c->last_seq = b->seq;
    if (strcmp(b->origin, c->node_id)) {
        for (size_t i = 0; i < b->n; i++) {
            b->ev[i].from_peer = true;
            event_publish(&b->ev[i]);
        }
    }
    free(b);
}

static void read_notifications(struct cluster *c)
{
    PGnotify *n;

    if (!c->conn) {
        return;
    }
    if (!PQconsumeInput(c->conn)) {
        disconnect(c, PQerrorMessage(c->conn));
        return;
    }
    while ((n = PQnotifies(c->conn))) {
        handle_payload(c, n->extra);
        PQfreemem(n);
    }
}

/* The counter read at the previous tick must have been notified by now. */
static void check_counter(struct cluster *c, unsigned long long now_seq)
{
    if (c->last_seq < c->counter_prev) {
        char why[96];
        snprintf(why, sizeof why, "no notification for changes up to %llu",
                 c->counter_prev);
        resync(why);
        c->last_seq = c->counter_prev;
    }
    c->counter_prev = now_seq;
}

/* ---- the heartbeat ---- */

/* What one heartbeat reads and decides. */
struct tick {
    long long now;              /* server ms */
    PGresult *live, *leases;
    struct lease_row *rows;
    enum lease_action *act;
    size_t n;
};

static int tick_write_self(struct cluster *c, struct tick *t)
{
    char now[32], exp[32];
    const char *const p[] = {c->node_id, c->description, now, exp};

    snprintf(now, sizeof now, "%lld", t->now);
    snprintf(exp, sizeof exp, "%lld", t->now + c->lease_ms);
    return q0(c,
              "INSERT INTO cluster_nodes (node_id, description, started_ms, "
              "renewed_ms, expires_ms) VALUES ($1, $2, $3, $3, $4) ON "
              "CONFLICT (node_id) DO UPDATE SET description = $2, "
              "renewed_ms = $3, expires_ms = $4",
              4, p);
}

/* Lease rows for newly declared dbs; frees the leases released at the
 * previous tick. */
static int tick_rows(struct cluster *c)
{
    const char *db;
    json_t *v;

    json_object_foreach(c->declared, db, v) {
        const char *const p[] = {db};
        if (json_object_get(c->inserted, db)) {
            continue;
        }
        if (q0(c, "INSERT INTO switch_leases (ovsdb_identifier) VALUES ($1) "
                  "ON CONFLICT (ovsdb_identifier) DO NOTHING",
               1, p)) {
            return -EIO;
        }
        json_object_set_new(c->inserted, db, json_true());
    }
    json_object_foreach(c->releasing, db, v) {
        const char *const p[] = {db, c->node_id};
        if (q0(c, "UPDATE switch_leases SET node_id = NULL, expires_ms = 0 "
                  "WHERE ovsdb_identifier = $1 AND node_id = $2",
               2, p)) {
            return -EIO;
        }
        log_info("node %s: released switch database %s", c->node_id, db);
    }
    return 0;
}

static int tick_read(struct cluster *c, struct tick *t)
{
    char now[32];
    const char *const p[] = {now};

    snprintf(now, sizeof now, "%lld", t->now);
    t->live = q(c, "SELECT node_id FROM cluster_nodes WHERE expires_ms > $1 "
                   "ORDER BY node_id",
                1, p);
    t->leases = q(c, "SELECT ovsdb_identifier, node_id, expires_ms FROM "
                     "switch_leases ORDER BY ovsdb_identifier",
                  0, NULL);
    if (!t->live || !t->leases) {
        return -EIO;
    }
    t->n = (size_t)PQntuples(t->leases);
    t->rows = calloc(t->n + 1, sizeof *t->rows);
    t->act = calloc(t->n + 1, sizeof *t->act);
    if (!t->rows || !t->act) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < t->n; i++) {
        struct lease_row *r = &t->rows[i];
        r->db = PQgetvalue(t->leases, (int)i, 0);
        r->node = PQgetisnull(t->leases, (int)i, 1)
                      ? NULL
                      : PQgetvalue(t->leases, (int)i, 1);
        r->expired = !r->node || col_ll(t->leases, (int)i, 2) <= t->now;
        r->servable = json_object_get(c->declared, r->db) != NULL;
    }
    return 0;
}

/* Renews lease 'db' (ours) until 'exp'. */
static int renew(struct cluster *c, const char *db, const char *exp)
{
    const char *const p[] = {db, c->node_id, exp};
    return q0(c, "UPDATE switch_leases SET expires_ms = $3 WHERE "
                 "ovsdb_identifier = $1 AND node_id = $2",
              3, p);
}

/* Takes lease 'db' if it is free, expired or ours. */
static int claim(struct cluster *c, const char *db, const char *now,
                 const char *exp)
{
    const char *const p[] = {db, c->node_id, now, exp};
    const char *const p1[] = {db};
    PGresult *r = q(c, "UPDATE switch_leases SET node_id = $2, "
                       "expires_ms = $4, acquired_ms = $3, generation = "
                       "generation + 1 WHERE ovsdb_identifier = $1 AND "
                       "(node_id IS NULL OR expires_ms <= $3 OR node_id = $2)",
                    4, p);
    bool taken = r && !strcmp(PQcmdTuples(r), "1");

    PQclear(r);
    if (!r) {
        return -EIO;
    }
    /* The previous owner may have died claiming it connected. */
    return !taken ? 0 : q0(c, "UPDATE switches SET connected = 0 WHERE "
                              "ovsdb_identifier = $1",
                           1, p1);
}

/* The balanced rows (not pinned) go to lease_decide(); a pinned row (a
 * switch connected to us, passive mode) is kept while it is ours. */
static int decide(struct cluster *c, struct tick *t)
{
    size_t n_live = (size_t)PQntuples(t->live), nb = 0;
    const char **live = calloc(n_live + 1, sizeof *live);
    struct lease_row *rows = calloc(t->n + 1, sizeof *rows);
    enum lease_action *act = calloc(t->n + 1, sizeof *act);
    int rc = live && rows && act ? 0 : -ENOMEM;

    for (size_t i = 0; i < n_live && !rc; i++) {
        live[i] = PQgetvalue(t->live, (int)i, 0);
    }
    for (size_t i = 0; i < t->n && !rc; i++) {
        if (!json_object_get(c->pinned, t->rows[i].db)) {
            rows[nb++] = t->rows[i];
        }
    }
    if (!rc) {
        c->share = lease_decide(c->node_id, live, n_live, rows, nb, act);
        c->live_nodes = n_live;
    }
    for (size_t i = 0, j = 0; i < t->n && !rc; i++) {
        const struct lease_row *r = &t->rows[i];
        if (!json_object_get(c->pinned, r->db)) {
            t->act[i] = act[j++];
            /* The first heartbeat only announces this node, so that nodes
             * started together see each other before claiming (no claim
             * of everything followed by a hand-over). */
            if (!c->ticks && t->act[i] == LEASE_CLAIM) {
                t->act[i] = LEASE_NONE;
                c->next_tick = loop_now() + c->heartbeat_ms / 2;
            }
        } else {
            bool mine = r->node && !r->expired && !strcmp(r->node, c->node_id);
            t->act[i] = mine ? LEASE_KEEP : LEASE_NONE;
        }
    }
    free(live);
    free(rows);
    free(act);
    return rc;
}

/* Decides and writes: renew ours, claim free ones. */
static int tick_decide(struct cluster *c, struct tick *t)
{
    char now[32], exp[32];
    int rc = decide(c, t);

    snprintf(now, sizeof now, "%lld", t->now);
    snprintf(exp, sizeof exp, "%lld", t->now + c->lease_ms);
    for (size_t i = 0; i < t->n && !rc; i++) {
        if (t->act[i] == LEASE_KEEP || t->act[i] == LEASE_RELEASE) {
            rc = renew(c, t->rows[i].db, exp);
        } else if (t->act[i] == LEASE_CLAIM) {
            rc = claim(c, t->rows[i].db, now, exp);
        }
    }
    return rc;
}

/* After the commit: the new owned set, and what to free next time. */
static void tick_apply(struct cluster *c, const struct tick *t, long long t0)
{
    json_object_clear(c->releasing);
    json_object_clear(c->owned);
    for (size_t i = 0; i < t->n; i++) {
        const char *db = t->rows[i].db;
        if (t->act[i] == LEASE_KEEP || t->act[i] == LEASE_CLAIM) {
            json_object_set_new(c->owned, db, json_true());
        } else if (t->act[i] == LEASE_RELEASE) {
            json_object_set_new(c->releasing, db, json_true());
            log_info("node %s: stops serving switch database %s (share %zu "
                     "of %zu databases over %zu nodes)",
                     c->node_id, db, c->share, t->n, c->live_nodes);
        }
        if (t->act[i] == LEASE_CLAIM) {
            log_info("node %s: serves switch database %s%s%s", c->node_id,
                     db, t->rows[i].node ? ", taken over from " : "",
                     t->rows[i].node ? t->rows[i].node : "");
        }
    }
    c->valid_until = t0 + c->lease_ms - c->margin_ms;
    c->ticks++;
}

static void tick_free(struct tick *t)
{
    PQclear(t->live);
    PQclear(t->leases);
    free(t->rows);
    free(t->act);
}

static int tick_now(struct cluster *c, struct tick *t)
{
    PGresult *r = q(c, "SELECT pg_advisory_xact_lock(" CLUSTER_LOCK_KEY "), "
                       "(extract(epoch from clock_timestamp()) * 1000)"
                       "::bigint",
                    0, NULL);

    if (!r) {
        return -EIO;
    }
    t->now = col_ll(r, 0, 1);
    PQclear(r);
    return 0;
}

/* One heartbeat: a single transaction under the cluster lock. */
static void tick(struct cluster *c)
{
    long long t0 = loop_now();
    struct tick t = {0};
    unsigned long long seq = 0;
    int rc = q0(c, "BEGIN", 0, NULL);

    rc = rc ? rc : tick_now(c, &t);
    rc = rc ? rc : tick_write_self(c, &t);
    rc = rc ? rc : tick_rows(c);
    rc = rc ? rc : tick_read(c, &t);
    rc = rc ? rc : tick_decide(c, &t);
    if (!rc) {
        char gc[32];
        const char *const p[] = {gc};
        snprintf(gc, sizeof gc, "%lld", t.now - NODE_GC_MS);
        rc = q0(c, "DELETE FROM cluster_nodes WHERE expires_ms < $1", 1, p);
    }
    rc = rc ? rc : read_counter(c, &seq);
    rc = rc ? rc : q0(c, "COMMIT", 0, NULL);
    if (!rc) {
        tick_apply(c, &t, t0);
    } else if (c->conn && PQstatus(c->conn) == CONNECTION_OK) {
        PQclear(PQexec(c->conn, "ROLLBACK"));
    }
    tick_free(&t);
    if (c->conn && PQstatus(c->conn) != CONNECTION_OK) {
        disconnect(c, "connection broken");
        return;
    }
    if (!rc) {
        check_counter(c, seq);
    }
}

/* ---- life ---- */

static int make_node_id(const struct config *cfg, char *out, size_t size)
{
    char host[128] = "node";

    if (cfg->cluster_node_id && *cfg->cluster_node_id) {
        snprintf(out, size, "%s", cfg->cluster_node_id);
    } else {
        gethostname(host, sizeof host - 1);
        host[sizeof host - 1] = '\0';
        for (char *p = host; *p; p++) {
            if (!eventwire_token_ok((char[]){*p, '\0'}, 1)) {
                *p = '-';
            }
        }
        /* One node per state_path (its control socket lives there): a
         * node restarted after a crash is the same node, and takes its
         * unexpired leases back at once. */
        uint32_t h = 2166136261u;
        for (const char *p = cfg->state_path ? cfg->state_path : ""; *p; p++) {
            h = (h ^ (uint8_t)*p) * 16777619u;
        }
        snprintf(out, size, "%.48s-%08x", host, h);
    }
    if (!eventwire_token_ok(out, EVENTWIRE_ORIGIN_MAX)) {
        log_err("[cluster] node_id '%s': use 1 to %d characters of "
                "A-Z a-z 0-9 . _ -",
                out, EVENTWIRE_ORIGIN_MAX);
        return -EINVAL;
    }
    return 0;
}

int cluster_create(const struct config *cfg, struct store *st,
                   struct cluster **out)
{
    long long takeover = cfg->cluster_takeover_timeout * 1000LL;
    long long hb = cfg->cluster_heartbeat_interval * 1000LL;

    *out = NULL;
    if (!store_is_shared(st)) {
        return 0;
    }
    if (takeover < 3 * hb) {
        log_err("[cluster] takeover_timeout (%d s) must be at least three "
                "heartbeat_interval (%d s)",
                cfg->cluster_takeover_timeout, cfg->cluster_heartbeat_interval);
        return -EINVAL;
    }
    struct cluster *c = calloc(1, sizeof *c);
    if (!c) {
        return -ENOMEM;
    }
    int rc = make_node_id(cfg, c->node_id, sizeof c->node_id);
    c->url = strdup(cfg->db_connection);
    c->declared = json_object();
    c->inserted = json_object();
    c->owned = json_object();
    c->releasing = json_object();
    c->pinned = json_object();
    if (!rc && (!c->url || !c->declared || !c->inserted || !c->owned
                || !c->releasing || !c->pinned)) {
        rc = -ENOMEM;
    }
    if (rc) {
        cluster_destroy(c);
        return rc;
    }
    c->heartbeat_ms = hb;
    c->lease_ms = takeover - hb;
    c->margin_ms = hb / 2;
    snprintf(c->description, sizeof c->description, "api %s:%d",
             cfg->bind_host ? cfg->bind_host : "", cfg->bind_port);
    event_set_origin(c->node_id);
    log_info("node %s: cluster mode (lease %lld ms, heartbeat %lld ms)",
             c->node_id, c->lease_ms, c->heartbeat_ms);
    *out = c;
    return 0;
}

void cluster_destroy(struct cluster *c)
{
    if (!c) {
        return;
    }
    if (c->conn && PQstatus(c->conn) == CONNECTION_OK) {
        const char *const p[] = {c->node_id};
        q0(c, "UPDATE switch_leases SET node_id = NULL, expires_ms = 0 WHERE "
              "node_id = $1",
           1, p);
        q0(c, "DELETE FROM cluster_nodes WHERE node_id = $1", 1, p);
        log_info("node %s: left the cluster; leases freed", c->node_id);
    }
    PQfinish(c->conn);
    json_decref(c->declared);
    json_decref(c->inserted);
    json_decref(c->owned);
    json_decref(c->releasing);
    json_decref(c->pinned);
    free(c->url);
    free(c);
}

/* When the leases ran out without a renewal: stop serving (logged). */
static void check_validity(struct cluster *c)
{
    if (json_object_size(c->owned) && loop_now() >= c->valid_until) {
        log_err("node %s: cannot renew the leases; stopped serving %zu "
                "switch database%s",
                c->node_id, json_object_size(c->owned),
                json_object_size(c->owned) == 1 ? "" : "s");
        /* The next successful heartbeat finds out what is still ours. */
        json_object_clear(c->owned);
    }
}

void cluster_run(struct cluster *c)
{
    if (!c) {
        return;
    }
    long long now = loop_now();
    if (!c->conn && now >= c->retry_at) {
        connect_db(c);
    }
    read_notifications(c);
    if (c->conn && now >= c->next_tick) {
        c->next_tick = now + c->heartbeat_ms;
        tick(c);
        read_notifications(c);
    }
    check_validity(c);
}

void cluster_wait(struct cluster *c)
{
    if (!c) {
        return;
    }
    if (c->conn) {
        loop_fd_wait(PQsocket(c->conn), POLLIN);
        loop_timer_wait_until(c->next_tick);
    } else {
        loop_timer_wait_until(c->retry_at);
    }
    if (json_object_size(c->owned) && loop_now() < c->valid_until) {
        loop_timer_wait_until(c->valid_until);
    }
}

int cluster_declare(struct cluster *c, const char *db)
{
    if (!c || json_object_get(c->declared, db)) {
        return 0;
    }
    if (json_object_set_new(c->declared, db, json_true())) {
        return -ENOMEM;
    }
    c->next_tick = 0; /* register it at once */
    return 0;
}

bool cluster_owns(const struct cluster *c, const char *db)
{
    if (!c) {
        return true;
    }
    return db && json_object_get(c->owned, db)
           && loop_now() < c->valid_until;
}

int cluster_claim(struct cluster *c, const char *db)
{
    if (!c) {
        return 0;
    }
    int rc = cluster_declare(c, db);
    if (rc || json_object_set_new(c->pinned, db, json_true())) {
        return rc ? rc : -ENOMEM;
    }
    if (!c->conn) {
        return -ENOTCONN;
    }
    if (!cluster_owns(c, db)) {
        /* The heartbeat inserts the row and keeps a pinned row that is
         * ours; take it first if it is free or expired. */
        const char *const p[] = {db};
        char now[32], exp[32];
        PGresult *r = q(c, "INSERT INTO switch_leases (ovsdb_identifier) "
                           "VALUES ($1) ON CONFLICT (ovsdb_identifier) DO "
                           "NOTHING",
                        1, p);
        PQclear(r);
        r = q(c, "SELECT (extract(epoch from clock_timestamp()) * 1000)"
                 "::bigint",
              0, NULL);
        long long t = r ? col_ll(r, 0, 0) : 0;
        PQclear(r);
        snprintf(now, sizeof now, "%lld", t);
        snprintf(exp, sizeof exp, "%lld", t + c->lease_ms);
        if (t) {
            claim(c, db, now, exp);
        }
        tick(c);
    }
    if (cluster_owns(c, db)) {
        return 0;
    }
    json_object_del(c->pinned, db);
    return -EBUSY;
}

void cluster_release(struct cluster *c, const char *db)
{
    if (c && json_object_get(c->pinned, db)) {
        json_object_del(c->pinned, db);
        json_object_del(c->declared, db);
        json_object_del(c->inserted, db);
        if (json_object_get(c->owned, db)) {
            json_object_del(c->owned, db);
            json_object_set_new(c->releasing, db, json_true());
        }
    }
}

json_t *cluster_describe(const struct cluster *c)
{
    json_t *owned = json_array(), *rel = json_array();
    const char *db;
    json_t *v;
    long long left = c->valid_until - loop_now();

    json_object_foreach(c->owned, db, v) {
        json_array_append_new(owned, json_string(db));
    }
    json_object_foreach(c->releasing, db, v) {
        json_array_append_new(rel, json_string(db));
    }
    return json_pack("{s:s, s:I, s:I, s:o, s:o, s:b, s:I}", "node_id",
                     c->node_id, "live_nodes", (json_int_t)c->live_nodes,
                     "share", (json_int_t)c->share, "owned", owned,
                     "releasing", rel, "connected", c->conn != NULL,
                     "valid_ms", (json_int_t)(left > 0 ? left : 0));
}
