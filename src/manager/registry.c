/* The switch registry in the store, kept from the replicas (registry.h). */
#include "manager/registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/event.h"
#include "lib/loop.h"
#include "lib/uuid.h"
#include "manager/db.h"
#include "manager/priv.h"
#include "manager/sql.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "store/store.h"
#include "vtep/names.h"

#define LOG_MODULE "registry"
#include "lib/log.h"

/* ---- OVSDB values as JSON text ---- */

/* A set of strings as JSON array text.  Caller frees. */
static char *
set_text(const json_t *set)
{
    json_t *a = json_array();

    for (size_t i = 0; i < datum_count(set); i++) {
        const json_t *e = datum_set_at(set, i);
        if (json_is_string(e)) {
            json_array_append_new(a, json_string(json_string_value(e)));
        }
    }
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

/* A map of strings as JSON object text.  Caller frees. */
static char *
map_text(const json_t *map)
{
    json_t *o = json_object();
    const json_t *k, *v;

    for (size_t i = 0; datum_map_at(map, i, &k, &v); i++) {
        if (json_is_string(k) && json_is_string(v)) {
            json_object_set_new(o, json_string_value(k),
                                json_string(json_string_value(v)));
        }
    }
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

/* vlan_bindings (VLAN → LS uuid) as {"<vlan>": "<LS name>"} text. */
static char *
bindings_text(const struct mdb *d, const json_t *map)
{
    json_t *o = json_object();
    const json_t *k, *v;
    char vlan[24];

    for (size_t i = 0; datum_map_at(map, i, &k, &v); i++) {
        const char *uuid = datum_get_uuid(v);
        const char *name =
            uuid ? json_string_value(json_object_get(d->ls_names, uuid))
                 : NULL;
        if (!json_is_integer(k) || !uuid) {
            continue;
        }
        snprintf(vlan, sizeof vlan, "%lld", (long long) json_integer_value(k));
        json_object_set_new(o, vlan, json_string(name ? name : uuid));
    }
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static const char *
str_col(const struct replica_row *row, const char *col)
{
    const char *s = datum_get_string(replica_row_get(row, col));
    return s ? s : "";
}

/* ---- switches and ports ---- */

/* Keeps switch id → (database, name) for forget events. */
static int
remember(struct mdb *d, const char *id, const char *name)
{
    json_object_set_new(d->m->switch_names, id,
                        json_pack("[s,s]", d->name, name));
    return 0;
}

/* The id of switch 'name' of the database, made (and inserted) if new. */
static int
switch_id(struct mdb *d, const char *name, const char *now, char id[64])
{
    char fresh[UUID_STRLEN + 1];
    int rc = msql_text(d->m->st, id, 64,
                       "SELECT id FROM switches WHERE ovsdb_identifier = ? "
                       "AND name = ?",
                       "ss", d->name, name);
    if (rc) {
        return rc < 0 ? rc : remember(d, id, name);
    }
    uuid_generate(fresh);
    snprintf(id, 64, "%s", fresh);
    rc = msql_run(d->m->st,
                  "INSERT INTO switches (id, name, ovsdb_identifier, "
                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                  "sssss", id, name, d->name, now, now);
    if (rc >= 0) {
        log_info("new switch %s/%s", d->name, name);
    }
    return rc < 0 ? rc : remember(d, id, name);
}

static int
write_ports(struct mdb *d, const char *id, const struct replica_row *ps)
{
    const struct replica *r = session_replica(d->session);
    const json_t *ports = replica_row_get(ps, VTEP_C_PORTS);
    int rc = msql_run(d->m->st, "DELETE FROM switch_ports WHERE switch_id = ?",
                      "s", id);

    for (size_t i = 0; rc >= 0 && i < datum_count(ports); i++) {
        const struct replica_row *p = replica_find(
            r, VTEP_T_PORT, datum_get_uuid(datum_set_at(ports, i)));
        if (!p || !*str_col(p, VTEP_C_NAME)) {
            continue;
        }
        char *faults = set_text(replica_row_get(p, VTEP_C_PORT_FAULT));
        char *binds = bindings_text(d, replica_row_get(p, VTEP_C_VLAN_BINDINGS));
        rc = msql_run(d->m->st,
                      "INSERT INTO switch_ports (switch_id, name, "
                      "port_fault_status, vlan_bindings) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING",
                      "ssss", id, str_col(p, VTEP_C_NAME),
                      faults ? faults : "[]", binds ? binds : "{}");
        free(faults);
        free(binds);
    }
    return rc < 0 ? rc : 0;
}

static int
write_switch(struct mdb *d, const struct replica_row *ps, const char *now)
{
    char id[64];
    const char *name = str_col(ps, VTEP_C_NAME);

    if (!*name || mset_has(d->forgotten, name)) {
        return 0;
    }
    int rc = switch_id(d, name, now, id);
    if (rc) {
        return rc;
    }
    char *tips = set_text(replica_row_get(ps, VTEP_C_TUNNEL_IPS));
    char *faults = set_text(replica_row_get(ps, VTEP_C_SWITCH_FAULT));
    char *other = map_text(replica_row_get(ps, VTEP_C_OTHER_CONFIG));
    rc = msql_run(d->m->st,
                  "UPDATE switches SET ps_uuid = ?, description = ?, "
                  "connected = 1, tunnel_ips = ?, switch_fault_status = ?, "
                  "other_config = ?, forget_requested = 0, updated_at = ? "
                  "WHERE id = ?",
                  "sssssss", replica_row_uuid(ps),
                  str_col(ps, VTEP_C_DESCRIPTION), tips ? tips : "[]",
                  faults ? faults : "[]", other ? other : "{}", now, id);
    free(tips);
    free(faults);
    free(other);
    return rc < 0 ? rc : write_ports(d, id, ps);
}

/* Switches of the database that the replica no longer has read
 * connected = 0. */
static int
mark_missing(struct mdb *d, const char *now)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_PS);
    json_t *present = json_object();
    struct store_stmt *s;
    json_t *gone = json_array();

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        mset_add(present, str_col(row, VTEP_C_NAME));
    }
    int rc = msql_prepare(d->m->st, &s,
                          "SELECT name FROM switches WHERE ovsdb_identifier "
                          "= ? AND connected = 1",
                          "s", d->name);
    while (!rc && (rc = store_step(s)) == 1) {
        if (!mset_has(present, store_col_text(s, 0))) {
            json_array_append_new(gone, json_string(store_col_text(s, 0)));
        }
        rc = 0;
    }
    size_t i;
    json_t *v;
    json_array_foreach(gone, i, v) {
        if (rc >= 0) {
            rc = msql_run(d->m->st,
                          "UPDATE switches SET connected = 0, updated_at = ? "
                          "WHERE ovsdb_identifier = ? AND name = ?",
                          "sss", now, d->name, json_string_value(v));
        }
    }
    json_decref(present);
    json_decref(gone);
    return rc < 0 ? rc : 0;
}

static int
write_switches(struct mdb *d, const char *now)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_PS);
    int rc = 0;

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !rc; row = replica_table_next(t, row)) {
        rc = write_switch(d, row, now);
    }
    return rc ? rc : mark_missing(d, now);
}

/* ---- the Logical_Switch mirror ---- */

static int
write_ls_mirror(struct mdb *d)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_LS);
    int rc = msql_run(d->m->st,
                      "DELETE FROM switch_logical_switches WHERE "
                      "ovsdb_identifier = ?",
                      "s", d->name);

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && rc >= 0; row = replica_table_next(t, row)) {
        long long key;
        bool has_key =
            datum_get_integer(replica_row_get(row, VTEP_C_TUNNEL_KEY), &key);
        const char *owner = datum_map_get_str(
            replica_row_get(row, VTEP_C_OTHER_CONFIG), VTEP_OWNER_KEY);
        rc = msql_run(d->m->st,
                      "INSERT INTO switch_logical_switches (ovsdb_identifier, "
                      "uuid, name, tunnel_key, owner) VALUES (?, ?, ?, ?, ?)",
                      "sssjs", d->name, replica_row_uuid(row),
                      str_col(row, VTEP_C_NAME), has_key ? &key : NULL,
                      owner ? owner : "");
    }
    return rc < 0 ? rc : 0;
}

/* ---- figures ---- */

/* "YYYY-MM-DDTHH:MM:SSZ" of wall-clock milliseconds 'ms'. */
static void
iso_time(long long ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
write_figures(struct mdb *d)
{
    char sync[32];
    long long owned_ls = (long long) json_object_size(d->owned);
    long long owned_rows = (long long) d->owned_rows;
    long long pending = (long long) mdb_pending_changes(d);
    long long reconnects = (long long) d->reconnects;

    if (d->last_sync_wall) {
        iso_time(d->last_sync_wall, sync);
    }
    int rc = msql_run(
        d->m->st,
        "UPDATE switches SET owned_logical_switches = ?, owned_rows = ?, "
        "pending_operations = ?, last_txn_latency_ms = ?, reconnects = ?, "
        "last_error = ?, last_error_operation = ?, last_error_table = ?, "
        "last_error_row = ?, last_sync_at = COALESCE(?, last_sync_at) "
        "WHERE ovsdb_identifier = ?",
        "iiijissssss", owned_ls, owned_rows, pending,
        d->last_latency_ms >= 0 ? &d->last_latency_ms : NULL, reconnects,
        d->last_error, d->last_error_op, d->last_error_table,
        d->last_error_row, d->last_sync_wall ? sync : NULL, d->name);
    return rc < 0 ? rc : 0;
}

/* ---- entry points ---- */

/* Runs 'what' parts in one store transaction. */
static void
write_all(struct mdb *d, bool switches, bool mirror, const char *what)
{
    struct store *st = d->m->st;
    char now[32];

    store_timestamp(now);
    if (msql_begin(st, what)) {
        return;
    }
    int rc = switches ? write_switches(d, now) : 0;
    rc = rc ? rc : mirror ? write_ls_mirror(d) : 0;
    rc = rc ? rc : write_figures(d);
    if (rc) {
        store_rollback(st);
        log_err("switch database %s: cannot write the registry: %s",
                d->name, strerror(-rc));
        return;
    }
    msql_commit(st, what);
}

void
registry_sync_connected(struct mdb *d)
{
    d->registry_dirty = d->ls_mirror_dirty = false;
    write_all(d, true, true, "registry");
}

void
registry_sync_disconnected(struct mdb *d)
{
    char now[32];

    store_timestamp(now);
    if (!d->m->cluster) {
        msql_run(d->m->st,
                 "UPDATE switches SET connected = 0, pending_operations = 0, "
                 "updated_at = ? WHERE ovsdb_identifier = ?",
                 "ss", now, d->name);
        return;
    }
    /* Several nodes: only while the lease is still ours (a node that wakes
     * up after its lease ran out must not overwrite the new owner's
     * records; the new owner's claim reset them already). */
    msql_run(d->m->st,
             "UPDATE switches SET connected = 0, pending_operations = 0, "
             "updated_at = ? WHERE ovsdb_identifier = ? AND EXISTS (SELECT 1 "
             "FROM switch_leases l WHERE l.ovsdb_identifier = ? AND "
             "l.node_id = ?)",
             "ssss", now, d->name, d->name, event_origin());
}

void
registry_sync_flush(struct mdb *d)
{
    if (!d->registry_dirty && !d->ls_mirror_dirty) {
        return;
    }
    bool sw = d->registry_dirty, mirror = d->ls_mirror_dirty;
    d->registry_dirty = d->ls_mirror_dirty = false;
    write_all(d, sw, mirror, "registry");
}

void
registry_sync_forget_done(struct mdb *d)
{
    struct store *st = d->m->st;
    struct store_stmt *s;
    json_t *gone = json_array();
    size_t i;
    json_t *v;

    d->forget_cleanup = false;
    int rc = msql_prepare(st, &s,
                          "SELECT id, name FROM switches WHERE "
                          "ovsdb_identifier = ? AND forget_requested = 1",
                          "s", d->name);
    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(gone, json_pack("[s,s]", store_col_text(s, 0),
                                              store_col_text(s, 1)));
        rc = 0;
    }
    if (rc || msql_begin(st, "forget switches")) {
        json_decref(gone);
        return;
    }
    json_array_foreach(gone, i, v) {
        const char *id = json_string_value(json_array_get(v, 0));
        const char *name = json_string_value(json_array_get(v, 1));
        msql_run(st, "DELETE FROM switch_ports WHERE switch_id = ?", "s", id);
        msql_run(st,
                 "DELETE FROM learned_macs WHERE ovsdb_identifier = ? AND "
                 "switch = ?",
                 "ss", d->name, name);
        msql_run(st, "DELETE FROM switches WHERE id = ?", "s", id);
        mset_add(d->forgotten, name);
        json_object_del(d->m->switch_names, id);
        log_info("switch %s/%s forgotten after cleanup", d->name, name);
    }
    msql_commit(st, "forget switches");
    json_decref(gone);
    manager_status_all(d->m);
}

void
registry_sync_figures(struct mdb *d)
{
    if (write_figures(d)) {
        log_err("switch database %s: cannot write its figures", d->name);
    }
}
