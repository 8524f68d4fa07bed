/* "ctl dump" of a switch database (dump.h). */
#include "manager/dump.h"

#include "manager/db.h"
#include "manager/priv.h"
#include "manager/track.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"
#include "ovsdb/session.h"
#include "vtep/names.h"

static json_t *
locator_json(const struct vtep_locator *l)
{
    return l->key == VTEP_NO_KEY
               ? json_pack("{s:s}", "dst_ip", l->ip)
               : json_pack("{s:s, s:I}", "dst_ip", l->ip, "tunnel_key",
                           (json_int_t) l->key);
}

static json_t *
ls_json(const struct vtep_ls *ls)
{
    json_t *macs = json_array(), *flood = json_array(), *b = json_array();
    json_t *conns = json_array();

    for (size_t i = 0; i < ls->n_macs; i++) {
        const struct vtep_mac *m = &ls->macs[i];
        json_array_append_new(macs, json_pack("{s:s, s:s, s:o, s:s}", "MAC",
                                              m->mac, "ipaddr", m->ip,
                                              "locator", locator_json(&m->loc),
                                              "owner", m->owner));
    }
    for (size_t i = 0; i < ls->n_flood; i++) {
        json_array_append_new(flood, locator_json(&ls->flood[i]));
    }
    for (size_t i = 0; i < ls->n_bindings; i++) {
        const struct vtep_binding *x = &ls->bindings[i];
        json_array_append_new(b, json_pack("{s:s, s:s, s:i, s:s}", "switch",
                                           x->ps, "port", x->port, "vlan",
                                           x->vlan, "connection", x->conn));
    }
    for (size_t i = 0; i < ls->n_conns; i++) {
        json_array_append_new(conns, json_string(ls->conns[i]));
    }
    return json_pack("{s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o}", "name",
                     ls->name, "description", ls->description, "tunnel_key",
                     (json_int_t) ls->key, "replication_mode",
                     ls->service_node ? VTEP_REPL_SERVICE_NODE
                                      : VTEP_REPL_SOURCE_NODE,
                     "ucast_macs_remote", macs, "unknown_dst", flood,
                     "bindings", b, "connections", conns);
}

/* Every column of 'row' as an object (the schema names the columns). */
static json_t *
row_json(const struct mdb *d, const char *table, const struct replica_row *row)
{
    const struct schema *sc = session_schema(d->session);
    const struct schema_table *st = sc ? schema_table(sc, table) : NULL;
    json_t *o = json_pack("{s:s}", "_uuid", replica_row_uuid(row));

    for (size_t i = 0; st && i < schema_table_n_columns(st); i++) {
        const char *col = schema_table_column_at(st, i)->name;
        const json_t *v = replica_row_get(row, col);
        if (v) {
            json_object_set_new(o, col, json_deep_copy(v));
        }
    }
    return o;
}

/* Rows of 'table' in an LS of ours ('col' names the LS; NULL: the row is
 * the LS). */
static json_t *
owned_rows_json(const struct mdb *d, const char *table, const char *col)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), table);
    json_t *a = json_array();

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        const char *ls = col ? track_ls_of(d, row, col)
                             : datum_get_string(replica_row_get(row, VTEP_C_NAME));
        if (mset_has(d->owned, ls)) {
            json_array_append_new(a, row_json(d, table, row));
        }
    }
    return a;
}

json_t *
dump_database(const struct mdb *d)
{
    json_t *desired = json_array();
    json_t *owned = json_object();

    for (size_t i = 0; i < d->desired.n_ls; i++) {
        json_array_append_new(desired, ls_json(&d->desired.ls[i]));
    }
    if (d->connected && d->session) {
        json_object_set_new(owned, VTEP_T_LS,
                            owned_rows_json(d, VTEP_T_LS, NULL));
        json_object_set_new(owned, VTEP_T_UCAST_REMOTE,
                            owned_rows_json(d, VTEP_T_UCAST_REMOTE,
                                            VTEP_C_LOGICAL_SWITCH));
        json_object_set_new(owned, VTEP_T_MCAST_REMOTE,
                            owned_rows_json(d, VTEP_T_MCAST_REMOTE,
                                            VTEP_C_LOGICAL_SWITCH));
    }
    return json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "database", d->name,
                     "connected", d->connected, "desired", desired,
                     "owned_records", json_deep_copy(d->owned), "replica",
                     owned, "plan_problems", json_deep_copy(d->plan_problems));
}
