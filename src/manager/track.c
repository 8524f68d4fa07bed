/* Change tracking of a switch database's replica (track.h). */
#include "manager/track.h"

#include <stdio.h>
#include <string.h>

#include "manager/db.h"
#include "manager/learned.h"
#include "manager/priv.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "vtep/canon.h"
#include "vtep/names.h"

/* Tables whose changes the manager follows. */
static const char *const tracked[] = {
    VTEP_T_PS,           VTEP_T_PORT,         VTEP_T_LS,
    VTEP_T_UCAST_LOCAL,  VTEP_T_MCAST_LOCAL,  VTEP_T_UCAST_REMOTE,
    VTEP_T_MCAST_REMOTE,
};
#define N_TRACKED (sizeof tracked / sizeof *tracked)

/* Turns tracking on for the followed tables. */
void
track_init(struct mdb *d)
{
    struct replica *r = session_replica(d->session);

    for (size_t i = 0; i < N_TRACKED; i++) {
        struct replica_table *t = replica_add_table(r, tracked[i]);
        if (t) {
            replica_table_track(t, true);
        }
    }
}

/* Marks LS 'name' for reconciliation if it concerns us. */
static void
mark_ls(struct mdb *d, const char *name)
{
    if (name && mdb_has_network(d, name)) {
        mset_add(d->dirty_ls, name);
    }
}

/* The LS name a row's column 'col' (a UUID) refers to, or NULL. */
const char *
track_ls_of(const struct mdb *d, const struct replica_row *row,
            const char *col)
{
    const char *uuid = datum_get_uuid(replica_row_get(row, col));
    return uuid ? json_string_value(json_object_get(d->ls_names, uuid))
                : NULL;
}

/* ---- change tracking ---- */

/* Marks the desired LSs whose tunnel key is 'key'. */
static void
mark_key(struct mdb *d, long long key)
{
    for (size_t i = 0; i < d->desired.n_ls; i++) {
        if (d->desired.ls[i].key == key) {
            mset_add(d->dirty_ls, d->desired.ls[i].name);
        }
    }
}

static void
ls_changed(struct mdb *d, const struct replica_row *row)
{
    const char *uuid = replica_row_uuid(row);
    const char *name = datum_get_string(replica_row_get(row, VTEP_C_NAME));
    const char *old = json_string_value(json_object_get(d->ls_names, uuid));
    long long key;

    mark_ls(d, old);
    mark_ls(d, name);
    if (datum_get_integer(replica_row_get(row, VTEP_C_TUNNEL_KEY), &key)) {
        mark_key(d, key);
    }
    if (old && name && strcmp(old, name)) {
        d->learned_full = true;
    }
    if (replica_row_change(row) == REPLICA_DELETED || !name) {
        json_object_del(d->ls_names, uuid);
    } else {
        json_object_set_new(d->ls_names, uuid, json_string(name));
    }
    d->ls_mirror_dirty = true;
    d->registry_dirty = true; /* bindings are rendered with LS names */
}

/* A Physical_Port changed: its bound LSs and the desired LSs bound on a
 * port of that name need a look. */
static void
port_changed(struct mdb *d, const struct replica_row *row)
{
    const json_t *b = replica_row_get(row, VTEP_C_VLAN_BINDINGS);
    const char *port = datum_get_string(replica_row_get(row, VTEP_C_NAME));
    const json_t *k, *v;

    for (size_t i = 0; datum_map_at(b, i, &k, &v); i++) {
        const char *uuid = datum_get_uuid(v);
        mark_ls(d, uuid ? json_string_value(json_object_get(d->ls_names, uuid))
                        : NULL);
    }
    for (size_t i = 0; port && i < d->desired.n_ls; i++) {
        const struct vtep_ls *ls = &d->desired.ls[i];
        for (size_t j = 0; j < ls->n_bindings; j++) {
            if (!strcmp(ls->bindings[j].port, port)) {
                mset_add(d->dirty_ls, ls->name);
                break;
            }
        }
    }
    d->registry_dirty = true;
}

/* ---- the index of local MACs (conflicts with remote ones) ---- */

static void
local_count(struct mdb *d, const char *key, int delta)
{
    long long n = json_integer_value(json_object_get(d->local_keys, key));

    if (n + delta > 0) {
        json_object_set_new(d->local_keys, key, json_integer(n + delta));
    } else {
        json_object_del(d->local_keys, key);
    }
}

/* Indexes Ucast_Macs_Local row 'row' (or drops it: a tombstone) under
 * "<LS name>|<canonical MAC>". */
static void
local_changed(struct mdb *d, const struct replica_row *row)
{
    const char *uuid = replica_row_uuid(row);
    const char *old = json_string_value(json_object_get(d->local_by_uuid, uuid));
    const char *ls = track_ls_of(d, row, VTEP_C_LOGICAL_SWITCH);
    char mac[VTEP_MAC_LEN], key[320];

    if (old) {
        local_count(d, old, -1);
        json_object_del(d->local_by_uuid, uuid);
    }
    if (replica_row_change(row) == REPLICA_DELETED || !ls
        || canon_mac(datum_get_string(replica_row_get(row, VTEP_C_MAC)),
                     mac)) {
        return;
    }
    snprintf(key, sizeof key, "%s|%s", ls, mac);
    json_object_set_new(d->local_by_uuid, uuid, json_string(key));
    local_count(d, key, 1);
}

bool
track_local_mac(const struct mdb *d, const char *ls, const char *mac)
{
    char key[320];

    snprintf(key, sizeof key, "%s|%s", ls, mac);
    return json_object_get(d->local_keys, key) != NULL;
}

static void
row_changed(struct mdb *d, const char *table, const struct replica_row *row)
{
    if (!strcmp(table, VTEP_T_LS)) {
        ls_changed(d, row);
    } else if (!strcmp(table, VTEP_T_PORT)) {
        port_changed(d, row);
    } else if (!strcmp(table, VTEP_T_PS)) {
        d->registry_dirty = true;
        d->replan_all = true; /* tunnel IPs, faults, ports */
        fdb_mark_all(&d->m->fdb);
    } else if (!strcmp(table, VTEP_T_UCAST_LOCAL)) {
        local_changed(d, row);
        learned_change(d, row);
        mark_ls(d, track_ls_of(d, row, VTEP_C_LOGICAL_SWITCH));
    } else {
        /* Remote MACs (drift, our own writes), local multicast rows. */
        mark_ls(d, track_ls_of(d, row, VTEP_C_LOGICAL_SWITCH));
    }
}

/* Handles the rows changed since the last look.  Logical_Switch goes
 * first so that the other tables find new LS names. */
void
track_changes(struct mdb *d)
{
    struct replica *r = session_replica(d->session);

    if (replica_seqno(r) == d->seen_seqno) {
        return;
    }
    d->seen_seqno = replica_seqno(r);
    static const char *const order[] = {
        VTEP_T_LS,          VTEP_T_PS,          VTEP_T_PORT,
        VTEP_T_UCAST_LOCAL, VTEP_T_MCAST_LOCAL, VTEP_T_UCAST_REMOTE,
        VTEP_T_MCAST_REMOTE,
    };
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        struct replica_table *t = replica_table(r, order[i]);
        for (const struct replica_row *row =
                 t ? replica_table_changed_first(t) : NULL;
             row; row = replica_table_changed_next(row)) {
            row_changed(d, order[i], row);
        }
        if (t) {
            replica_table_forget_changes(t);
        }
    }
    /* Work that waited for the switch may go on now. */
    json_object_update(d->dirty_ls, d->waiting);
    json_object_clear(d->waiting);
    if (d->waiting_all) {
        d->recon_all = true;
        d->waiting_all = false;
    }
}

/* Forgets every tracked change (the replica was just rebuilt). */
static void
forget_changes(struct mdb *d)
{
    struct replica *r = session_replica(d->session);

    for (size_t i = 0; i < N_TRACKED; i++) {
        struct replica_table *t = replica_table(r, tracked[i]);
        if (t) {
            replica_table_forget_changes(t);
        }
    }
    d->seen_seqno = replica_seqno(r);
}

static void
rebuild_ls_names(struct mdb *d)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_LS);

    json_object_clear(d->ls_names);
    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        const char *name = datum_get_string(replica_row_get(row, VTEP_C_NAME));
        if (name) {
            json_object_set_new(d->ls_names, replica_row_uuid(row),
                                json_string(name));
        }
    }
}


void
track_reset(struct mdb *d)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_UCAST_LOCAL);

    forget_changes(d);
    rebuild_ls_names(d);
    json_object_clear(d->local_by_uuid);
    json_object_clear(d->local_keys);
    json_object_clear(d->conflicts_logged);
    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        local_changed(d, row);
    }
}
