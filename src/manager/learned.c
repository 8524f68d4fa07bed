/* Learned MACs from Ucast_Macs_Local (learned.h). */
#include "manager/learned.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/config.h"
#include "manager/db.h"
#include "manager/priv.h"
#include "manager/sql.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "store/store.h"
#include "vtep/canon.h"
#include "vtep/names.h"

#define LOG_MODULE "learned"
#include "lib/log.h"

/* One learned MAC as it goes into the store. */
struct lmac {
    char mac[VTEP_MAC_LEN];
    const char *ip;
    const char *ls;
    const char *tunnel;
};

/* Reads row 'row'; false for a row that is not usable (logged once). */
static bool
read_row(const struct mdb *d, const struct replica_row *row, struct lmac *m)
{
    static struct log_rl rl = LOG_RL_INIT(5, 60000);
    const struct replica *r = session_replica(d->session);
    const char *mac = datum_get_string(replica_row_get(row, VTEP_C_MAC));
    const char *ls = datum_get_uuid(replica_row_get(row, VTEP_C_LOGICAL_SWITCH));
    const char *loc = datum_get_uuid(replica_row_get(row, VTEP_C_LOCATOR));
    const struct replica_row *lr = loc ? replica_find(r, VTEP_T_LOCATOR, loc)
                                       : NULL;

    if (canon_mac(mac, m->mac)) {
        log_warn_rl(&rl, "switch database %s: Ucast_Macs_Local %s has a bad "
                    "MAC '%s'; skipped", d->name, replica_row_uuid(row),
                    mac ? mac : "");
        return false;
    }
    m->ip = datum_get_string(replica_row_get(row, VTEP_C_IPADDR));
    m->ip = m->ip ? m->ip : "";
    m->ls = ls ? json_string_value(json_object_get(d->ls_names, ls)) : NULL;
    m->ls = m->ls ? m->ls : "";
    m->tunnel = lr ? datum_get_string(replica_row_get(lr, VTEP_C_DST_IP)) : NULL;
    m->tunnel = m->tunnel ? m->tunnel : "";
    return true;
}

/* The switch that owns tunnel IP 'tunnel' (its tunnel_ips hold it), or
 * the database's only switch, else "". */
static const char *
switch_of(const struct mdb *d, const char *tunnel)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_PS);
    const struct replica_row *only = NULL;
    json_t *ip = json_string(tunnel);

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !only; row = replica_table_next(t, row)) {
        if (ip && datum_set_contains(replica_row_get(row, VTEP_C_TUNNEL_IPS),
                                     ip)) {
            only = row;
        }
    }
    if (!only && t && replica_table_count(t) == 1) {
        only = replica_table_first(t);
    }
    json_decref(ip);
    const char *name = only ? datum_get_string(replica_row_get(only, VTEP_C_NAME))
                            : NULL;
    return name ? name : "";
}

static void
warn_cap(struct mdb *d)
{
    static struct log_rl rl = LOG_RL_INIT(1, 60000);

    d->learned_capped = true;
    log_warn_rl(&rl, "switch database %s: more than %lld learned MACs "
                "([ovsdb] max_learned_macs); the rest are not recorded",
                d->name, d->m->cfg->max_learned_macs);
}

/* INSERT of one learned MAC; returns rows inserted or a negative errno. */
static int
insert(struct mdb *d, const char *id, const struct lmac *m, const char *now)
{
    return msql_run(d->m->st,
                    "INSERT INTO learned_macs (id, ovsdb_identifier, switch, "
                    "mac, ip_address, network_id, logical_switch, tunnel_ip, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON "
                    "CONFLICT DO NOTHING",
                    "sssssssss", id, d->name, switch_of(d, m->tunnel), m->mac, m->ip,
                    m->ls, m->ls, m->tunnel, now);
}

static int
replace_rows(struct mdb *d, const char *now)
{
    const struct replica_table *t =
        replica_table(session_replica(d->session), VTEP_T_UCAST_LOCAL);
    long long cap = d->m->cfg->max_learned_macs;
    int rc = msql_run(d->m->st,
                      "DELETE FROM learned_macs WHERE ovsdb_identifier = ?",
                      "s", d->name);

    d->n_learned = 0;
    d->learned_capped = false;
    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && rc >= 0; row = replica_table_next(t, row)) {
        struct lmac m;
        if (cap >= 0 && (long long) d->n_learned >= cap) {
            warn_cap(d);
            break;
        }
        if (read_row(d, row, &m)) {
            rc = insert(d, replica_row_uuid(row), &m, now);
            d->n_learned += rc > 0 ? (size_t) rc : 0;
        }
    }
    return rc < 0 ? rc : 0;
}

void
learned_replace(struct mdb *d)
{
    char now[32];

    d->learned_full = false;
    json_object_clear(d->learned_queue);
    store_timestamp(now);
    if (msql_begin(d->m->st, "learned MACs")) {
        return;
    }
    if (replace_rows(d, now)) {
        store_rollback(d->m->st);
        log_err("switch database %s: cannot write its learned MACs", d->name);
        return;
    }
    msql_commit(d->m->st, "learned MACs");
    fdb_mark_all(&d->m->fdb);
}

void
learned_change(struct mdb *d, const struct replica_row *row)
{
    struct lmac m;
    json_t *v;

    if (replica_row_change(row) == REPLICA_DELETED) {
        v = json_null();
    } else if (read_row(d, row, &m)) {
        v = json_pack("{s:s, s:s, s:s, s:s, s:b}", "mac", m.mac, "ip", m.ip,
                      "ls", m.ls, "tunnel", m.tunnel, "new",
                      replica_row_change(row) == REPLICA_INSERTED);
    } else {
        return;
    }
    /* A tombstone keeps its values readable: remember the old network. */
    if (json_is_null(v) && read_row(d, row, &m)) {
        fdb_mark(&d->m->fdb, m.ls);
    }
    json_object_set_new(d->learned_queue, replica_row_uuid(row), v);
}

/* Writes one queued change. */
static int
apply(struct mdb *d, const char *id, const json_t *v, const char *now)
{
    long long cap = d->m->cfg->max_learned_macs;
    int rc;

    if (json_is_null(v)) {
        rc = msql_run(d->m->st, "DELETE FROM learned_macs WHERE id = ?", "s",
                      id);
        d->n_learned -= rc > 0 && d->n_learned ? 1 : 0;
        return rc < 0 ? rc : 0;
    }
    struct lmac m = {.ip = json_string_value(json_object_get(v, "ip")),
                     .ls = json_string_value(json_object_get(v, "ls")),
                     .tunnel = json_string_value(json_object_get(v, "tunnel"))};
    snprintf(m.mac, sizeof m.mac, "%s",
             json_string_value(json_object_get(v, "mac")));
    fdb_mark(&d->m->fdb, m.ls);
    rc = msql_run(d->m->st,
                  "UPDATE learned_macs SET mac = ?, ip_address = ?, "
                  "network_id = ?, logical_switch = ?, tunnel_ip = ? WHERE "
                  "id = ?",
                  "ssssss", m.mac, m.ip, m.ls, m.ls, m.tunnel, id);
    if (rc != 0) {
        return rc < 0 ? rc : 0;
    }
    if (cap >= 0 && (long long) d->n_learned >= cap) {
        warn_cap(d);
        return 0;
    }
    rc = insert(d, id, &m, now);
    d->n_learned += rc > 0 ? (size_t) rc : 0;
    return rc < 0 ? rc : 0;
}

void
learned_flush(struct mdb *d)
{
    const char *id;
    json_t *v;
    char now[32];
    int rc = 0;

    if (d->learned_full) {
        learned_replace(d);
        return;
    }
    if (!json_object_size(d->learned_queue)) {
        return;
    }
    store_timestamp(now);
    if (msql_begin(d->m->st, "learned MACs")) {
        return;
    }
    json_object_foreach(d->learned_queue, id, v) {
        if (!rc) {
            rc = apply(d, id, v, now);
        }
    }
    json_object_clear(d->learned_queue);
    if (rc) {
        store_rollback(d->m->st);
        d->learned_full = true; /* rewrite everything next time */
        return;
    }
    msql_commit(d->m->st, "learned MACs");
}
