/* One switch database: session, dirty sets, passes, the transaction in
 * flight (db.h).  The pass itself is in pass.c (and reply.c, verdict.c),
 * the replica's change tracking in track.c, "ctl dump" in dump.c; this
 * file holds the life of the entry and its connection changes. */
#include "manager/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "lib/config.h"
#include "lib/loop.h"
#include "manager/hosts.h"
#include "manager/learned.h"
#include "manager/pass.h"
#include "manager/priv.h"
#include "manager/registry.h"
#include "manager/sql.h"
#include "manager/status.h"
#include "manager/track.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"
#include "ovsdb/session.h"
#include "ovsdb/stream.h"
#include "ovsdb/txn.h"
#include "store/store.h"
#include "vtep/names.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

/* Monitored tables (every column the server has). */
static const struct session_table monitored[] = {
    {VTEP_T_GLOBAL, NULL},       {VTEP_T_PS, NULL},
    {VTEP_T_PORT, NULL},         {VTEP_T_LS, NULL},
    {VTEP_T_LOCATOR, NULL},      {VTEP_T_LOCATOR_SET, NULL},
    {VTEP_T_UCAST_LOCAL, NULL},  {VTEP_T_UCAST_REMOTE, NULL},
    {VTEP_T_MCAST_LOCAL, NULL},  {VTEP_T_MCAST_REMOTE, NULL},
};

/* ---- life ---- */

static void
session_opts(const struct manager *m, const char *name,
             const struct hosts_entry *e, struct session_options *o)
{
    const struct config *cfg = m->cfg;

    session_options_init(o);
    o->name = name;
    o->database = VTEP_DATABASE;
    o->schema_major = 1;
    o->tables = monitored;
    o->n_tables = sizeof monitored / sizeof *monitored;
    if (e) {
        o->ssl.private_key = e->ssl_key;
        o->ssl.certificate = e->ssl_cert;
        o->ssl.ca_cert = e->ssl_ca;
    }
    o->probe_interval_ms = cfg->probe_interval > 0
                               ? (long long) cfg->probe_interval * 1000
                               : -1;
    o->socket_timeout_ms = cfg->socket_timeout > 0
                               ? (long long) cfg->socket_timeout * 1000
                               : 0;
    o->max_message_bytes = cfg->max_message_bytes > 0
                               ? (size_t) cfg->max_message_bytes
                               : 0;
}

/* Loads the LS names the store records as ours on this database. */
static int
load_owned(struct mdb *d)
{
    struct store_stmt *s;
    int rc = msql_prepare(d->m->st, &s,
                          "SELECT name FROM owned_logical_switches WHERE "
                          "ovsdb_identifier = ?",
                          "s", d->name);

    while (!rc && (rc = store_step(s)) == 1) {
        mset_add(d->owned, store_col_text(s, 0));
        rc = 0;
    }
    return rc;
}

static struct mdb *
mdb_new(struct manager *m, const char *name, const char *remote)
{
    struct mdb *d = calloc(1, sizeof *d);

    if (!d) {
        return NULL;
    }
    d->m = m;
    d->name = strdup(name);
    d->remote = strdup(remote);
    vtep_desired_init(&d->desired);
    d->plan_problems = json_object();
    d->dirty_plan = json_object();
    d->dirty_ls = json_object();
    d->waiting = json_object();
    d->owned = json_object();
    d->quarantine = json_object();
    d->local_by_uuid = json_object();
    d->local_keys = json_object();
    d->conflicts_logged = json_object();
    d->ls_names = json_object();
    d->bound_ports = json_object();
    d->verdicts = json_object();
    d->learned_queue = json_object();
    d->forgotten = json_object();
    d->last_latency_ms = -1;
    if (!d->name || !d->remote || !d->plan_problems || !d->dirty_plan
        || !d->dirty_ls || !d->waiting || !d->owned || !d->ls_names
        || !d->quarantine || !d->local_by_uuid || !d->local_keys
        || !d->conflicts_logged || !d->bound_ports
        || !d->verdicts || !d->learned_queue || !d->forgotten
        || load_owned(d)) {
        mdb_destroy(d);
        return NULL;
    }
    return d;
}

int
mdb_create(struct manager *m, const struct hosts_entry *e, struct mdb **out)
{
    struct session_options o;
    char err[SESSION_ERR_LEN] = "";
    struct mdb *d = mdb_new(m, e->name, e->remote);

    if (!d) {
        return -ENOMEM;
    }
    session_opts(m, e->name, e, &o);
    int rc = session_create(e->remote, &o, &d->session, err);
    if (rc) {
        log_err("switch database %s (%s): %s", e->name, e->remote, err);
        mdb_destroy(d);
        return rc;
    }
    track_init(d);
    *out = d;
    return 0;
}

int
mdb_create_passive(struct manager *m, struct stream *stream, struct mdb **out)
{
    struct session_options o;
    char err[SESSION_ERR_LEN] = "", name[STREAM_NAME_MAX];
    const char *ip = stream_peer_ip(stream);

    snprintf(name, sizeof name, "%s", *ip ? ip : stream_peer(stream));
    struct mdb *d = mdb_new(m, name, stream_peer(stream));
    if (!d) {
        stream_close(stream);
        return -ENOMEM;
    }
    d->passive = true;
    session_opts(m, d->name, NULL, &o);
    int rc = session_create_passive(stream, &o, &d->session, err);
    if (rc) {
        log_err("passive session from %s: %s", name, err);
        mdb_destroy(d);
        return rc;
    }
    track_init(d);
    *out = d;
    return 0;
}

void
mdb_drop_txn(struct mdb *d)
{
    txn_destroy(d->txn);
    d->txn = NULL;
    json_decref(d->txn_params);
    d->txn_params = NULL;
    json_decref(d->txn_scope);
    d->txn_scope = NULL;
    json_decref(d->expect);
    d->expect = NULL;
    for (size_t i = 0; i < d->n_forget_after; i++) {
        free(d->forget_after[i]);
    }
    free(d->forget_after);
    d->forget_after = NULL;
    d->n_forget_after = 0;
    d->pending_ops = 0;
    d->phase = MDB_IDLE;
}

void
mdb_destroy(struct mdb *d)
{
    if (!d) {
        return;
    }
    d->dead = true; /* callbacks from session_destroy() do nothing */
    session_destroy(d->session);
    mdb_drop_txn(d);
    json_decref(d->last_ok_params);
    vtep_desired_destroy(&d->desired);
    json_t *objs[] = {d->plan_problems, d->dirty_plan, d->dirty_ls,
                      d->waiting,       d->owned,      d->ls_names,
                      d->verdicts,      d->learned_queue, d->forgotten,
                      d->quarantine,    d->local_by_uuid, d->local_keys,
                      d->conflicts_logged, d->bound_ports};
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) {
        json_decref(objs[i]);
    }
    free(d->name);
    free(d->remote);
    free(d);
}

/* ---- marks ---- */

void
mdb_remark(struct mdb *d, const json_t *scope)
{
    if (!scope || json_is_null(scope)) {
        d->recon_all = true;
    } else {
        json_object_update(d->dirty_ls, (json_t *) scope);
    }
}

bool
mdb_has_network(const struct mdb *d, const char *network)
{
    return mset_has(d->owned, network)
           || vtep_desired_find(&d->desired, network) != NULL;
}

void
mdb_mark_network(struct mdb *d, const char *network)
{
    mset_add(d->dirty_plan, network);
}

void
mdb_mark_all(struct mdb *d)
{
    d->replan_all = true;
    d->recon_all = true;
}

/* ---- connection changes ---- */

static int
cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* "name=uuid;..." of the database's switches in sorted order ("" when it
 * has none).  Caller frees. */
static char *
switch_signature(const struct mdb *d)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_PS);
    size_t n = 0, cap = t ? replica_table_count(t) : 0;
    char **keys = calloc(cap + 1, sizeof *keys);
    char *sig = NULL;
    size_t len = 0;

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         keys && row && n < cap; row = replica_table_next(t, row)) {
        const char *name = datum_get_string(replica_row_get(row, VTEP_C_NAME));
        if (asprintf(&keys[n], "%s=%s", name ? name : "",
                     replica_row_uuid(row)) >= 0) {
            n++;
        }
    }
    qsort(keys, n, sizeof *keys, cmp_str_ptr);
    FILE *f = open_memstream(&sig, &len);
    for (size_t i = 0; i < n; i++) {
        if (f) {
            fprintf(f, "%s;", keys[i]);
        }
        free(keys[i]);
    }
    if (f) {
        fclose(f);
    }
    free(keys);
    return sig;
}

/* True (and logged) if another connected entry reaches the same database
 * as 'd': same Physical_Switch names and UUIDs. */
static bool
is_duplicate(struct mdb *d)
{
    char *sig = switch_signature(d);
    bool dup = false;

    for (size_t i = 0; sig && *sig && !dup && i < d->m->n_dbs; i++) {
        struct mdb *o = d->m->dbs[i];
        if (o == d || !o->connected || o->refused || o->dead) {
            continue;
        }
        char *osig = switch_signature(o);
        if (osig && !strcmp(sig, osig)) {
            log_warn("refusing the session of switch database %s (%s): it "
                     "reaches the same database as %s (%s): same "
                     "Physical_Switch names and UUIDs",
                     d->name, session_peer(d->session), o->name,
                     session_peer(o->session));
            dup = true;
        }
        free(osig);
    }
    free(sig);
    return dup;
}

static void
refuse(struct mdb *d)
{
    session_destroy(d->session);
    d->session = NULL;
    d->refused = true;
    d->connected = false;
    if (d->passive) {
        d->dead = true;
    }
}

static void
on_disconnect(struct mdb *d)
{
    d->connected = false;
    mdb_drop_txn(d);
    json_object_clear(d->verdicts);
    registry_sync_disconnected(d);
    manager_status_all(d->m);
    log_info("switch database %s: disconnected", d->name);
}

static void
on_connect(struct mdb *d)
{
    if (d->connected) {
        on_disconnect(d);
    }
    if (d->conn_seqno) {
        d->reconnects++;
    }
    d->conn_seqno = session_conn_seqno(d->session);
    if (is_duplicate(d)) {
        refuse(d);
        return;
    }
    d->connected = true;
    mdb_drop_txn(d);
    d->failures = 0;
    json_object_clear(d->quarantine);
    d->stuck[0] = '\0';
    json_decref(d->last_ok_params);
    d->last_ok_params = NULL;
    track_reset(d);
    json_object_clear(d->forgotten);
    json_object_clear(d->learned_queue);
    registry_sync_connected(d);
    learned_replace(d);
    mdb_mark_all(d);
    manager_status_all(d->m);
    fdb_mark_all(&d->m->fdb);
    log_info("switch database %s: connected (%s); full pass", d->name,
             session_peer(d->session));
}

/* ---- settling after a reply ---- */

/* True once the replica shows what the last reply inserted and deleted,
 * or after MDB_SETTLE_MAX_MS. */
static bool
settled(struct mdb *d)
{
    const struct replica *r = session_replica(d->session);
    long long waited = loop_now() - d->reply_at;
    size_t i;
    json_t *e;

    if (waited >= MDB_SETTLE_MAX_MS) {
        log_dbg("switch database %s: reply's rows not seen after %lld ms; "
                "going on", d->name, waited);
        return true;
    }
    if (!json_array_size(d->expect)) {
        return replica_seqno(r) != d->seqno_at_send
               || waited >= MDB_SETTLE_QUIET_MS;
    }
    json_array_foreach(d->expect, i, e) {
        const char *table = json_string_value(json_array_get(e, 0));
        const char *uuid = json_string_value(json_array_get(e, 1));
        bool present = json_is_true(json_array_get(e, 2));
        if ((replica_find(r, table, uuid) != NULL) != present) {
            return false;
        }
    }
    return true;
}

static void
settle(struct mdb *d)
{
    if (d->phase == MDB_SETTLING && settled(d)) {
        json_decref(d->expect);
        d->expect = NULL;
        d->phase = MDB_IDLE;
    }
    if (d->phase == MDB_BACKOFF && loop_now() >= d->retry_at) {
        d->phase = MDB_IDLE;
    }
}

/* ---- run / wait ---- */

/* Quarantined LSs whose retry time has come are looked at again. */
static void
release_quarantine(struct mdb *d)
{
    long long now = loop_now();
    const char *name;
    json_t *q;

    json_object_foreach(d->quarantine, name, q) {
        if (!json_is_true(json_object_get(q, "released"))
            && json_integer_value(json_object_get(q, "retry_at")) <= now) {
            json_object_set_new(q, "released", json_true());
            mset_add(d->dirty_ls, name);
        }
    }
}

/* The earliest retry time of the quarantined LSs not released yet, or 0. */
static long long
next_release(const struct mdb *d)
{
    long long next = 0;
    const char *name;
    json_t *q;

    json_object_foreach(d->quarantine, name, q) {
        long long at = json_integer_value(json_object_get(q, "retry_at"));
        if (!json_is_true(json_object_get(q, "released"))
            && (!next || at < next)) {
            next = at;
        }
    }
    return next;
}

static bool
has_work(const struct mdb *d)
{
    return d->replan_all || d->recon_all || json_object_size(d->dirty_plan)
           || json_object_size(d->dirty_ls);
}

/* Follows the session's state: connected, reconnected, gone. */
static void
follow_session(struct mdb *d)
{
    enum session_state st = session_state(d->session);

    if (st == SESSION_ACTIVE
        && session_conn_seqno(d->session) != d->conn_seqno) {
        on_connect(d);
    } else if (st != SESSION_ACTIVE && d->connected) {
        on_disconnect(d);
    }
    if (st == SESSION_DEAD && d->session) {
        d->dead = true;
    }
}

void
mdb_run(struct mdb *d)
{
    if (d->refused || d->dead) {
        return;
    }
    session_run(d->session);
    follow_session(d);
    if (!d->connected) {
        return;
    }
    track_changes(d);
    /* The registry first: plans read switch faults and tunnel IPs from it. */
    registry_sync_flush(d);
    settle(d);
    release_quarantine(d);
    if (d->phase == MDB_IDLE && has_work(d)) {
        pass_run(d);
    }
    learned_flush(d);
}

void
mdb_wait(struct mdb *d)
{
    if (d->refused || d->dead || !d->session) {
        return;
    }
    session_wait(d->session);
    if (!d->connected) {
        return;
    }
    if (d->phase == MDB_SETTLING) {
        long long quiet = json_array_size(d->expect) ? MDB_SETTLE_MAX_MS
                                                     : MDB_SETTLE_QUIET_MS;
        loop_timer_wait_until(d->reply_at + quiet);
    } else if (d->phase == MDB_BACKOFF) {
        loop_timer_wait_until(d->retry_at);
    } else if (d->phase == MDB_IDLE && has_work(d)) {
        loop_immediate_wake();
    }
    if (next_release(d)) {
        loop_timer_wait_until(next_release(d));
    }
}

/* ---- figures ---- */

size_t
mdb_desired_rows(const struct mdb *d)
{
    size_t n = 0;

    for (size_t i = 0; i < d->desired.n_ls; i++) {
        const struct vtep_ls *ls = &d->desired.ls[i];
        n += 1 + ls->n_macs + ls->n_bindings + (ls->n_flood ? 1 : 0);
    }
    return n;
}

/* Counts the rows of 'table' whose logical_switch is an LS of ours. */
static size_t
count_owned_in(const struct mdb *d, const struct replica *r, const char *table)
{
    const struct replica_table *t = replica_table(r, table);
    size_t n = 0;

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        n += mset_has(d->owned, track_ls_of(d, row, VTEP_C_LOGICAL_SWITCH));
    }
    return n;
}

size_t
mdb_owned_rows(const struct mdb *d)
{
    if (!d->connected || !d->session) {
        return 0;
    }
    const struct replica *r = session_replica(d->session);
    size_t n = 0;
    const char *uuid;
    json_t *name;

    json_object_foreach(d->ls_names, uuid, name) {
        n += mset_has(d->owned, json_string_value(name));
    }
    return n + count_owned_in(d, r, VTEP_T_UCAST_REMOTE)
           + count_owned_in(d, r, VTEP_T_MCAST_REMOTE);
}

size_t
mdb_pending_changes(const struct mdb *d)
{
    return json_object_size(d->dirty_plan) + json_object_size(d->dirty_ls)
           + (d->replan_all || d->recon_all ? 1 : 0) + d->pending_ops;
}

