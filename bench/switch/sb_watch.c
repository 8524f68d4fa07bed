/* sb_watch: a monitoring client of one switch database (see sb_watch.h). */
#include "sb_watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/loop.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"

#define T_LS "Logical_Switch"
#define T_PORT "Physical_Port"
#define T_UCAST "Ucast_Macs_Remote"
#define T_MCAST "Mcast_Macs_Remote"

/* Reconnect at once after a server restart (the default waits 1 s). */
#define WATCH_BACKOFF_MS 20

/* Every column of the tables l2gwd writes (and of the switch's own). */
static const struct session_table watched[] = {
    {"Global", NULL},
    {"Physical_Switch", NULL},
    {T_PORT, NULL},
    {T_LS, NULL},
    {"Physical_Locator", NULL},
    {"Physical_Locator_Set", NULL},
    {T_UCAST, NULL},
    {T_MCAST, NULL},
};

struct watch {
    char *name;
    struct session *session;
    struct replica_index *ls_by_name;   /* Logical_Switch (name) */
    struct replica_index *port_by_name; /* Physical_Port (name) */
    struct replica_index *ucast_by_ls;  /* Ucast_Macs_Remote (LS) */
    struct replica_index *ucast_by_mac; /* Ucast_Macs_Remote (MAC, LS) */
    struct replica_index *mcast_by_ls;  /* Mcast_Macs_Remote (LS) */
};

static int add_indexes(struct watch *w)
{
    struct replica *r = session_replica(w->session);
    static const char *const name[] = {"name"};
    static const char *const ls[] = {"logical_switch"};
    static const char *const mac_ls[] = {"MAC", "logical_switch"};

    return replica_add_index(r, T_LS, name, 1, &w->ls_by_name) ||
           replica_add_index(r, T_PORT, name, 1, &w->port_by_name) ||
           replica_add_index(r, T_UCAST, ls, 1, &w->ucast_by_ls) ||
           replica_add_index(r, T_UCAST, mac_ls, 2, &w->ucast_by_mac) ||
           replica_add_index(r, T_MCAST, ls, 1, &w->mcast_by_ls);
}

struct watch *watch_create(const char *name, const char *remote)
{
    struct watch *w = calloc(1, sizeof *w);
    struct session_options o;
    char err[SESSION_ERR_LEN] = "";

    if (!w || !(w->name = strdup(name))) {
        free(w);
        return NULL;
    }
    session_options_init(&o);
    o.name = name;
    o.database = "hardware_vtep";
    o.schema_major = 1;
    o.tables = watched;
    o.n_tables = sizeof watched / sizeof *watched;
    o.probe_interval_ms = -1;
    o.backoff_min_ms = WATCH_BACKOFF_MS;
    o.backoff_max_ms = WATCH_BACKOFF_MS;
    if (session_create(remote, &o, &w->session, err) || add_indexes(w)) {
        fprintf(stderr, "switchbench: cannot watch %s (%s): %s\n", name, remote,
                err[0] ? err : "cannot index the replica");
        watch_destroy(w);
        return NULL;
    }
    return w;
}

void watch_destroy(struct watch *w)
{
    if (w) {
        session_destroy(w->session);
        free(w->name);
        free(w);
    }
}

void watch_run(struct watch *w)
{
    session_run(w->session);
}

void watch_wait(struct watch *w)
{
    session_wait(w->session);
}

bool watch_active(const struct watch *w)
{
    return session_is_active(w->session);
}

uint64_t watch_seqno(const struct watch *w)
{
    return replica_seqno(session_replica(w->session));
}

const char *watch_name(const struct watch *w)
{
    return w->name;
}

const struct replica *watch_replica(const struct watch *w)
{
    return session_replica(w->session);
}

/* Rows of 'index' whose single key is 'key' (taken); stores the first in
 * '*first' when not NULL. */
static size_t find1(const struct replica_index *index, json_t *key,
                    const struct replica_row **first)
{
    const json_t *values[1] = {key};
    const struct replica_row *row = NULL;
    size_t n = key ? replica_index_find(index, values, &row, 1) : 0;

    json_decref(key);
    if (first) {
        *first = n ? row : NULL;
    }
    return n;
}

const char *watch_ls_uuid(const struct watch *w, const char *ls_name)
{
    const struct replica_row *row;

    if (find1(w->ls_by_name, json_string(ls_name), &row) != 1) {
        return NULL;
    }
    return replica_row_uuid(row);
}

size_t watch_count_in_ls(const struct watch *w, const char *table,
                         const char *ls_uuid)
{
    const struct replica_index *index =
        !strcmp(table, T_UCAST) ? w->ucast_by_ls : w->mcast_by_ls;

    return ls_uuid ? find1(index, datum_uuid(ls_uuid), NULL) : 0;
}

size_t watch_mac_rows(const struct watch *w, const char *mac,
                      const char *ls_uuid)
{
    json_t *m = json_string(mac), *ls = ls_uuid ? datum_uuid(ls_uuid) : NULL;
    const json_t *values[2] = {m, ls};
    size_t n =
        m && ls ? replica_index_find(w->ucast_by_mac, values, NULL, 0) : 0;

    json_decref(m);
    json_decref(ls);
    return n;
}

const char *watch_binding(const struct watch *w, const char *port,
                          long long vlan)
{
    const struct replica_row *row;
    json_t *key;
    const char *ls = NULL;

    if (!find1(w->port_by_name, json_string(port), &row)) {
        return NULL;
    }
    key = json_integer(vlan);
    ls = datum_get_uuid(
        datum_map_get(replica_row_get(row, "vlan_bindings"), key));
    json_decref(key);
    return ls;
}

size_t watch_table_count(const struct watch *w, const char *table)
{
    const struct replica_table *t = replica_table(watch_replica(w), table);

    return t ? replica_table_count(t) : 0;
}

static double mono_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs this watcher until 'done(w, id)' or the deadline. */
static int run_until(struct watch *w, bool (*done)(struct watch *, long long),
                     long long id, double timeout_s)
{
    double deadline = mono_s() + timeout_s;

    for (;;) {
        watch_run(w);
        if (done(w, id)) {
            return 0;
        }
        if (mono_s() >= deadline) {
            return -ETIMEDOUT;
        }
        watch_wait(w);
        loop_timer_wait((long long)((deadline - mono_s()) * 1000) + 1);
        loop_block();
    }
}

static bool is_active(struct watch *w, long long id)
{
    (void)id;
    return watch_active(w);
}

int watch_wait_active(struct watch *w, double timeout_s)
{
    return run_until(w, is_active, 0, timeout_s);
}

/* Checks a transaction's result: every operation without "error". */
static int check_result(struct watch *w, const json_t *result,
                        const json_t *error)
{
    size_t i;
    json_t *op;

    if ((error && !json_is_null(error)) || !json_is_array(result)) {
        char *e = json_dumps(error, JSON_COMPACT | JSON_ENCODE_ANY);
        fprintf(stderr, "switchbench: transaction on %s failed: %s\n", w->name,
                e ? e : "no result");
        free(e);
        return -EIO;
    }
    json_array_foreach (result, i, op) {
        if (json_object_get(op, "error")) {
            char *e = json_dumps(op, JSON_COMPACT);
            fprintf(stderr, "switchbench: operation %zu on %s failed: %s\n", i,
                    w->name, e ? e : "?");
            free(e);
            return -EIO;
        }
    }
    return 0;
}

int watch_transact(struct watch *w, json_t *ops, double timeout_s)
{
    json_t *params = json_pack("[s]", "hardware_vtep"), *result, *error;
    long long id;
    int rc;

    if (!params || json_array_extend(params, ops)) {
        json_decref(params);
        json_decref(ops);
        return -ENOMEM;
    }
    json_decref(ops);
    if ((rc = session_transact(w->session, params, NULL, NULL, &id))) {
        return rc;
    }
    double deadline = mono_s() + timeout_s;
    while ((rc = session_take_reply(w->session, id, &result, &error)) ==
           -EAGAIN) {
        if (mono_s() >= deadline) {
            return -ETIMEDOUT;
        }
        watch_wait(w);
        loop_timer_wait(10);
        loop_block();
        watch_run(w);
    }
    if (rc) {
        return rc;
    }
    rc = check_result(w, result, error);
    json_decref(result);
    json_decref(error);
    return rc;
}
