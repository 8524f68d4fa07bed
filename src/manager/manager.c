/* The switch manager (manager.h): databases by ovsdb_identifier, change
 * events, the passive listener, and the run/wait of everything. */
#include "manager/manager.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster.h"
#include "core/core.h"
#include "core/plan.h"
#include "lib/config.h"
#include "lib/event.h"
#include "lib/loop.h"
#include "manager/ctl.h"
#include "manager/db.h"
#include "manager/hosts.h"
#include "manager/priv.h"
#include "manager/registry.h"
#include "manager/sql.h"
#include "manager/status.h"
#include "ovsdb/stream.h"
#include "store/store.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

/* Most events queued between two runs; beyond it a full resync is
 * cheaper than the queue. */
#define MANAGER_MAX_EVENTS 65536

struct mdb *
manager_find_db(const struct manager *m, const char *name)
{
    for (size_t i = 0; name && i < m->n_dbs; i++) {
        if (!strcmp(m->dbs[i]->name, name) && !m->dbs[i]->dead) {
            return m->dbs[i];
        }
    }
    return NULL;
}

void
manager_status_dirty(struct manager *m, const char *conn)
{
    mset_add(m->status_dirty, conn);
}

void
manager_status_all(struct manager *m)
{
    m->status_all = true;
}

static int
add_db(struct manager *m, struct mdb *d)
{
    if (m->n_dbs == m->cap_dbs) {
        size_t cap = m->cap_dbs ? 2 * m->cap_dbs : 8;
        struct mdb **v = realloc(m->dbs, cap * sizeof *v);
        if (!v) {
            mdb_destroy(d);
            return -ENOMEM;
        }
        m->dbs = v;
        m->cap_dbs = cap;
    }
    m->dbs[m->n_dbs++] = d;
    return 0;
}

/* Removes entry 'i' (destroyed). */
static void
remove_db(struct manager *m, size_t i)
{
    struct mdb *d = m->dbs[i];

    if (d->connected) {
        registry_sync_disconnected(d);
    }
    manager_status_all(m);
    mdb_destroy(d);
    memmove(&m->dbs[i], &m->dbs[i + 1], (m->n_dbs - i - 1) * sizeof *m->dbs);
    m->n_dbs--;
}

/* ---- change events ---- */

static void
free_event(struct mgr_event *e)
{
    free(e->id);
    free(e->network_id);
}

/* Records the event; the work happens in manager_run() (subscribers do no
 * I/O). */
static void
on_event(const struct event *ev, void *aux)
{
    struct manager *m = aux;

    if (m->n_events >= MANAGER_MAX_EVENTS) {
        struct mgr_event all = {EVENT_ALL, NULL, NULL, false};
        for (size_t i = 0; i < m->n_events; i++) {
            free_event(&m->events[i]);
        }
        m->events[0] = all;
        m->n_events = 1;
        return;
    }
    if (m->n_events == m->cap_events) {
        size_t cap = m->cap_events ? 2 * m->cap_events : 16;
        struct mgr_event *v = realloc(m->events, cap * sizeof *v);
        if (!v) {
            log_err("out of memory queueing a change event");
            return;
        }
        m->events = v;
        m->cap_events = cap;
    }
    struct mgr_event *e = &m->events[m->n_events++];
    e->kind = ev->kind;
    e->id = ev->id ? strdup(ev->id) : NULL;
    e->network_id = ev->network_id ? strdup(ev->network_id) : NULL;
    e->from_peer = ev->from_peer;
}

/* Marks network 'net' dirty on every database that serves it now or has
 * its LS (and for the overlay export when 'fdb': the switches serving it
 * may have changed). */
static void
mark_network(struct manager *m, const char *net, bool fdb)
{
    char **dbs = NULL;
    int n = net ? plan_databases_of_network(m->core, net, &dbs) : 0;

    for (int i = 0; i < n; i++) {
        struct mdb *d = manager_find_db(m, dbs[i]);
        if (d) {
            mdb_mark_network(d, net);
        }
    }
    plan_strings_free(dbs, n > 0 ? (size_t) n : 0);
    for (size_t i = 0; net && i < m->n_dbs; i++) {
        if (mdb_has_network(m->dbs[i], net)) {
            mdb_mark_network(m->dbs[i], net);
        }
    }
    if (fdb) {
        fdb_mark(&m->fdb, net);
    }
}

/* Marks every network of 'nets' ('n' of them, or a negative errno). */
static void
mark_networks(struct manager *m, char **nets, int n, bool fdb)
{
    for (int i = 0; i < n; i++) {
        mark_network(m, nets[i], fdb);
    }
    plan_strings_free(nets, n > 0 ? (size_t) n : 0);
}

static void
mark_everything(struct manager *m)
{
    for (size_t i = 0; i < m->n_dbs; i++) {
        mdb_mark_all(m->dbs[i]);
    }
    manager_status_all(m);
    fdb_mark_all(&m->fdb);
}

/* A switch was forgotten (EVENT_SWITCH with its id): with cleanup asked
 * for (its record is still there, marked) its database runs a full pass
 * first and registry.c drops the record after it; otherwise a connected
 * database stops reporting it until it reconnects. */
static void
switch_forgotten(struct manager *m, const char *id)
{
    json_t *e = id ? json_object_get(m->switch_names, id) : NULL;
    const char *db = json_string_value(json_array_get(e, 0));
    const char *name = json_string_value(json_array_get(e, 1));
    long long cleanup = 0;

    if (!db || !name) {
        return;
    }
    struct mdb *d = manager_find_db(m, db);
    int rc = msql_int(m->st, &cleanup, 0,
                      "SELECT forget_requested FROM switches WHERE id = ?",
                      "s", id);
    if (rc > 0 && cleanup && d) {
        d->forget_cleanup = true;
        mdb_mark_all(d);
    } else if (!rc) {
        if (d && d->connected) {
            mset_add(d->forgotten, name);
        }
        log_info("switch %s/%s forgotten", db, name);
        json_object_del(m->switch_names, id);
    }
    manager_status_all(m);
}

/* Loads the ids of the switches the store knows. */
static int
load_switch_names(struct manager *m)
{
    struct store_stmt *s;
    int rc = msql_prepare(m->st, &s,
                          "SELECT id, ovsdb_identifier, name FROM switches",
                          "");

    while (!rc && (rc = store_step(s)) == 1) {
        json_object_set_new(m->switch_names, store_col_text(s, 0),
                            json_pack("[s,s]", store_col_text(s, 1),
                                      store_col_text(s, 2)));
        rc = 0;
    }
    return rc;
}

static void
handle_event(struct manager *m, const struct mgr_event *e)
{
    char **v = NULL;
    int n;
    /* The overlay export is in the shared store: the node that committed
     * the change updates it, the others need not write it again. */
    bool fdb = !e->from_peer;

    switch (e->kind) {
    case EVENT_CONNECTION:
        if (!e->from_peer) { /* a serving node's verdict covers peers' */
            manager_status_dirty(m, e->id);
        }
        mark_network(m, e->network_id, fdb);
        break;
    case EVENT_NETWORK:
        mark_network(m, e->network_id ? e->network_id : e->id, fdb);
        break;
    case EVENT_PORT:
        mark_network(m, e->network_id, false);
        break;
    case EVENT_GATEWAY:
        n = e->id ? plan_networks_of_gateway(m->core, e->id, &v) : 0;
        mark_networks(m, v, n, fdb);
        break;
    case EVENT_HOST:
        n = e->id ? plan_networks_of_host(m->core, e->id, &v) : 0;
        mark_networks(m, v, n, false);
        break;
    case EVENT_SWITCH:
        switch_forgotten(m, e->id);
        break;
    case EVENT_REMOTE:
        if (e->network_id) {
            mark_network(m, e->network_id, fdb);
        } else {
            mark_everything(m);
        }
        break;
    default:
        mark_everything(m);
        break;
    }
}

static void
process_events(struct manager *m)
{
    /* Handling may publish nothing, but take the queue first anyway. */
    struct mgr_event *events = m->events;
    size_t n = m->n_events;

    m->events = NULL;
    m->n_events = m->cap_events = 0;
    for (size_t i = 0; i < n; i++) {
        log_dbg("event %s %s (network %s)", event_kind_name(events[i].kind),
                events[i].id ? events[i].id : "-",
                events[i].network_id ? events[i].network_id : "-");
        handle_event(m, &events[i]);
        free_event(&events[i]);
    }
    free(events);
}

/* ---- passive mode ---- */

static int
start_listener(struct manager *m)
{
    const struct config *cfg = m->cfg;
    struct stream_ssl_files ssl = {cfg->listener_private_key,
                                   cfg->listener_certificate,
                                   cfg->listener_ca_cert};
    bool tls = cfg->listener_private_key && *cfg->listener_private_key;
    char name[64], err[STREAM_ERR_LEN] = "";

    snprintf(name, sizeof name, "%s:%d", tls ? "pssl" : "ptcp",
             cfg->manager_table_listening_port);
    int rc = stream_listen(name, &ssl, &m->listener, err);
    if (rc) {
        log_err("cannot listen for switches on %s: %s", name, err);
        return rc;
    }
    log_info("listening for switches on %s (port %d)", name,
             stream_listener_port(m->listener));
    return 0;
}

/* Accepts the switches that connect to us; the peer's address is the
 * database's ovsdb_identifier.  A new session from a known peer replaces
 * the old one (its connection is presumably dead). */
static void
accept_switches(struct manager *m)
{
    struct stream *s;

    while (stream_accept(m->listener, &s) == 0) {
        const char *ip = stream_peer_ip(s);
        const char *name = *ip ? ip : stream_peer(s);
        for (size_t i = 0; i < m->n_dbs; i++) {
            if (!strcmp(m->dbs[i]->name, name) && m->dbs[i]->passive) {
                log_info("switch database %s connects again; replacing its "
                         "old session", name);
                remove_db(m, i);
                break;
            }
        }
        struct mdb *old = manager_find_db(m, name), *d;
        if (old) {
            log_warn("refusing a session from %s: an ovsdb_hosts entry "
                     "already has that name", name);
            stream_close(s);
            continue;
        }
        int rc = cluster_claim(m->cluster, name);
        if (rc) {
            log_warn("refusing a session from %s: %s", name,
                     rc == -EBUSY ? "another node serves that database"
                                  : "the cluster cannot be asked");
            stream_close(s);
            continue;
        }
        if (!mdb_create_passive(m, s, &d)) {
            add_db(m, d);
        }
    }
}

/* ---- life ---- */

/* Opens the session of entry 'e'. */
static int
open_db(struct manager *m, const struct hosts_entry *e)
{
    struct mdb *d;
    int rc = mdb_create(m, e, &d);

    return rc ? rc : add_db(m, d);
}

/* Parses ovsdb_hosts; a single node opens every session now, a cluster
 * node declares the databases and opens those it is given (follow_leases). */
static int
create_dbs(struct manager *m)
{
    char err[HOSTS_ERR_LEN];
    int rc = hosts_parse(m->cfg->ovsdb_hosts, m->cfg, &m->hosts, err);

    if (rc) {
        log_err("[ovsdb] %s", err);
        return rc;
    }
    for (size_t i = 0; i < m->hosts.n && !rc; i++) {
        if (hosts_check_files(&m->hosts.v[i], err)) {
            log_err("[ovsdb] %s", err);
        }
        rc = m->cluster ? cluster_declare(m->cluster, m->hosts.v[i].name)
                        : open_db(m, &m->hosts.v[i]);
    }
    return rc;
}

/* Several nodes: opens the sessions of the databases this node holds the
 * lease of, and closes the others (before the lease is given up, or once
 * it could not be renewed). */
static void
follow_leases(struct manager *m)
{
    for (size_t i = m->n_dbs; i-- > 0;) {
        struct mdb *d = m->dbs[i];
        if (!cluster_owns(m->cluster, d->name)) {
            log_info("switch database %s: no longer served by this node",
                     d->name);
            if (d->passive) {
                cluster_release(m->cluster, d->name);
            }
            remove_db(m, i);
        }
    }
    for (size_t i = 0; i < m->hosts.n; i++) {
        const struct hosts_entry *e = &m->hosts.v[i];
        if (cluster_owns(m->cluster, e->name) && !manager_find_db(m, e->name)
            && open_db(m, e)) {
            log_err("switch database %s: cannot open its session", e->name);
        }
    }
}

int
manager_create(struct core *core, const struct config *cfg,
               struct cluster *cluster, struct manager **out)
{
    struct manager *m = calloc(1, sizeof *m);

    if (!m) {
        return -ENOMEM;
    }
    m->core = core;
    m->st = core_store(core);
    m->cfg = cfg;
    m->cluster = cluster;
    m->status_dirty = json_object();
    m->switch_names = json_object();
    m->status_all = true;
    fdb_init(&m->fdb);
    int rc = m->status_dirty && m->switch_names && m->fdb.dirty ? 0 : -ENOMEM;
    rc = rc ? rc : load_switch_names(m);
    /* Nothing is connected yet, whatever the last run left behind (with
     * several nodes, the others' switches are theirs: the lease claim
     * resets a database's records instead). */
    if (!rc && !cluster && msql_run(m->st, "UPDATE switches SET connected = 0, "
                               "pending_operations = 0 WHERE connected = 1",
                        "") < 0) {
        rc = -EIO;
    }
    rc = rc ? rc : create_dbs(m);
    if (!rc && cfg->enable_manager) {
        rc = start_listener(m);
    }
    rc = rc ? rc : event_subscribe(on_event, m);
    if (rc) {
        manager_destroy(m);
        return rc;
    }
    if (ctl_create(m, &m->ctl)) {
        log_warn("running without a control socket");
    }
    log_info("switch manager: %zu switch database%s configured%s%s",
             m->hosts.n, m->hosts.n == 1 ? "" : "s",
             cluster ? " (served as the cluster's leases allow)" : "",
             cfg->enable_manager ? ", passive mode on" : "");
    *out = m;
    return 0;
}

void
manager_destroy(struct manager *m)
{
    if (!m) {
        return;
    }
    event_unsubscribe(on_event, m);
    ctl_destroy(m->ctl);
    for (size_t i = 0; i < m->n_dbs; i++) {
        if (m->dbs[i]->connected) {
            registry_sync_disconnected(m->dbs[i]);
        }
        mdb_destroy(m->dbs[i]);
    }
    free(m->dbs);
    hosts_destroy(&m->hosts);
    stream_listener_close(m->listener);
    for (size_t i = 0; i < m->n_events; i++) {
        free_event(&m->events[i]);
    }
    free(m->events);
    json_decref(m->status_dirty);
    json_decref(m->switch_names);
    fdb_destroy(&m->fdb);
    free(m);
}

void
manager_run(struct manager *m)
{
    process_events(m);
    if (m->cluster) {
        follow_leases(m);
    }
    if (m->listener) {
        accept_switches(m);
    }
    for (size_t i = 0; i < m->n_dbs; i++) {
        mdb_run(m->dbs[i]);
    }
    for (size_t i = m->n_dbs; i-- > 0;) {
        if (m->dbs[i]->dead && m->dbs[i]->passive) {
            cluster_release(m->cluster, m->dbs[i]->name);
            remove_db(m, i);
        }
    }
    status_flush(m);
    fdb_flush(&m->fdb, m->st);
    ctl_run(m->ctl);
}

void
manager_wait(struct manager *m)
{
    if (m->n_events) {
        loop_immediate_wake();
    }
    if (m->listener) {
        stream_listener_wait(m->listener);
    }
    for (size_t i = 0; i < m->n_dbs; i++) {
        mdb_wait(m->dbs[i]);
    }
    ctl_wait(m->ctl);
}
