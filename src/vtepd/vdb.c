/* The OVSDB side of l2gw-vtepd (see vdb.h).  This file: the session, the
 * model of the wishes, and the transaction loop; vdb_sync.c: the
 * operations that make the switch's own rows right. */
#include "vtepd/vdb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/loop.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "ovsdb/txn.h"
#include "vtepd/vconf.h"
#include "vtepd/vdb_priv.h"
#include "vtepd/want.h"

#define LOG_MODULE "vdb"
#include "lib/log.h"

static const struct session_table tables[] = {
    {"Global", NULL},
    {"Physical_Switch", NULL},
    {"Physical_Port", NULL},
    {"Logical_Switch", NULL},
    {"Physical_Locator", NULL},
    {"Physical_Locator_Set", NULL},
    {"Ucast_Macs_Remote", NULL},
    {"Mcast_Macs_Remote", NULL},
    {"Ucast_Macs_Local", NULL},
    {"Mcast_Macs_Local", NULL},
};

int vdb_create(const struct vconf *cfg, struct vdb **out)
{
    struct session_options o;
    char err[SESSION_ERR_LEN] = "";
    struct vdb *vdb = calloc(1, sizeof *vdb);
    if (!vdb) {
        return -ENOMEM;
    }
    vdb->cfg = cfg;
    session_options_init(&o);
    o.name = cfg->switch_name;
    o.database = "hardware_vtep";
    o.schema_major = 1;
    o.tables = tables;
    o.n_tables = sizeof tables / sizeof tables[0];
    int rc = session_create(cfg->db, &o, &vdb->session, err);
    if (rc) {
        log_err("database %s: %s", cfg->db, err);
        free(vdb);
        return rc;
    }
    *out = vdb;
    return 0;
}

static void clear_published(struct vdb *vdb)
{
    free(vdb->macs);
    free(vdb->faults);
    free(vdb->active);
    vdb->macs = NULL;
    vdb->faults = NULL;
    vdb->active = NULL;
    vdb->n_macs = vdb->n_faults = vdb->n_active = 0;
}

void vdb_destroy(struct vdb *vdb)
{
    if (vdb) {
        session_destroy(vdb->session);
        txn_destroy(vdb->txn);
        clear_published(vdb);
        free(vdb);
    }
}

bool vdb_ready(const struct vdb *vdb)
{
    return session_is_active(vdb->session) && vdb_ps_row(vdb);
}

/* The tables the model is made of (our own Ucast/Mcast_Macs_Local rows
 * are not: writing them must not cause a kernel pass). */
static const char *const model_tables[] = {
    "Physical_Switch",   "Physical_Port",        "Logical_Switch",
    "Physical_Locator",  "Physical_Locator_Set", "Ucast_Macs_Remote",
    "Mcast_Macs_Remote",
};

uint64_t vdb_seqno(const struct vdb *vdb)
{
    const struct replica *r = session_replica(vdb->session);
    uint64_t seq = session_conn_seqno(vdb->session) + replica_generation(r);
    for (size_t i = 0; i < sizeof model_tables / sizeof *model_tables; i++) {
        const struct replica_table *t = replica_table(r, model_tables[i]);
        seq += t ? replica_table_seqno(t) : 0;
    }
    return seq;
}

bool vdb_idle(const struct vdb *vdb)
{
    return !vdb->txn && !vdb->dirty;
}

const struct replica_row *vdb_ps_row(const struct vdb *vdb)
{
    struct replica_table *t =
        replica_table(session_replica(vdb->session), "Physical_Switch");
    for (const struct replica_row *r = t ? replica_table_first(t) : NULL; r;
         r = replica_table_next(t, r)) {
        const char *name = datum_get_string(replica_row_get(r, "name"));
        if (name && !strcmp(name, vdb->cfg->switch_name)) {
            return r;
        }
    }
    return NULL;
}

const struct replica_row *vdb_find(const struct vdb *vdb, const char *table,
                                   const json_t *uuid_atom)
{
    const char *u = datum_get_uuid(uuid_atom);
    return u ? replica_find(session_replica(vdb->session), table, u) : NULL;
}

/* ---- The model ---- */

static long ls_index(const json_t *map, const json_t *uuid_atom)
{
    const char *u = datum_get_uuid(uuid_atom);
    json_t *v = u ? json_object_get(map, u) : NULL;
    return v ? (long)json_integer_value(v) : -1;
}

static int model_switches(const struct vdb *vdb, struct model *m, json_t *map)
{
    struct replica_table *t =
        replica_table(session_replica(vdb->session), "Logical_Switch");
    for (const struct replica_row *r = t ? replica_table_first(t) : NULL; r;
         r = replica_table_next(t, r)) {
        struct model_ls ls;
        long long key;
        memset(&ls, 0, sizeof ls);
        snprintf(ls.uuid, sizeof ls.uuid, "%s", replica_row_uuid(r));
        const char *name = datum_get_string(replica_row_get(r, "name"));
        snprintf(ls.name, sizeof ls.name, "%s", name ? name : "");
        if (datum_get_integer(replica_row_get(r, "tunnel_key"), &key) &&
            key > 0 && key <= 16777215) {
            ls.has_key = true;
            ls.key = (uint32_t)key;
        }
        const char *mode =
            datum_get_string(replica_row_get(r, "replication_mode"));
        ls.service_node = mode && !strcmp(mode, "service_node");
        if (json_object_set_new(map, ls.uuid, json_integer((long)m->n_ls)) ||
            model_add_ls(m, &ls)) {
            return -ENOMEM;
        }
    }
    return 0;
}

static int model_bindings(const struct vdb *vdb, struct model *m,
                          const json_t *map)
{
    const struct replica_row *ps = vdb_ps_row(vdb);
    const json_t *ports = ps ? replica_row_get(ps, "ports") : NULL;
    for (size_t i = 0; i < datum_count(ports); i++) {
        const struct replica_row *p =
            vdb_find(vdb, "Physical_Port", datum_set_at(ports, i));
        const char *name =
            p ? datum_get_string(replica_row_get(p, "name")) : NULL;
        const json_t *vb = p ? replica_row_get(p, "vlan_bindings") : NULL;
        const json_t *k, *v;
        for (size_t j = 0; name && datum_map_at(vb, j, &k, &v); j++) {
            struct model_binding b;
            long ls = ls_index(map, v);
            memset(&b, 0, sizeof b);
            snprintf(b.port, sizeof b.port, "%s", name);
            if (ls < 0 || !json_is_integer(k)) {
                continue;
            }
            b.vlan = json_integer_value(k);
            b.ls = (size_t)ls;
            if (model_add_binding(m, &b)) {
                return -ENOMEM;
            }
        }
    }
    return 0;
}

/* Reads locator 'atom' into 'loc'; false if it is not usable. */
static bool read_locator(const struct vdb *vdb, const json_t *atom,
                         struct model_loc *loc)
{
    const struct replica_row *r = vdb_find(vdb, "Physical_Locator", atom);
    const char *ip = r ? datum_get_string(replica_row_get(r, "dst_ip")) : NULL;
    struct in_addr a;
    long long key;
    if (!ip || inet_pton(AF_INET, ip, &a) != 1) {
        return false;
    }
    memset(loc, 0, sizeof *loc);
    loc->ip = a.s_addr;
    if (datum_get_integer(replica_row_get(r, "tunnel_key"), &key) && key > 0 &&
        key <= 16777215) {
        loc->has_key = true;
        loc->key = (uint32_t)key;
    }
    return true;
}

static int model_remote_macs(const struct vdb *vdb, struct model *m,
                             const json_t *map)
{
    struct replica_table *t =
        replica_table(session_replica(vdb->session), "Ucast_Macs_Remote");
    for (const struct replica_row *r = t ? replica_table_first(t) : NULL; r;
         r = replica_table_next(t, r)) {
        struct model_mac mm;
        struct in_addr a;
        memset(&mm, 0, sizeof mm);
        long ls = ls_index(map, replica_row_get(r, "logical_switch"));
        const char *ip = datum_get_string(replica_row_get(r, "ipaddr"));
        if (ls < 0 ||
            model_parse_mac(datum_get_string(replica_row_get(r, "MAC")),
                            mm.mac) ||
            !read_locator(vdb, replica_row_get(r, "locator"), &mm.loc)) {
            continue;
        }
        if (ip && inet_pton(AF_INET, ip, &a) == 1) {
            mm.ip = a.s_addr;
        }
        mm.ls = (size_t)ls;
        if (model_add_mac(m, &mm)) {
            return -ENOMEM;
        }
    }
    return 0;
}

static int model_floods(const struct vdb *vdb, struct model *m,
                        const json_t *map)
{
    struct replica_table *t =
        replica_table(session_replica(vdb->session), "Mcast_Macs_Remote");
    for (const struct replica_row *r = t ? replica_table_first(t) : NULL; r;
         r = replica_table_next(t, r)) {
        const char *mac = datum_get_string(replica_row_get(r, "MAC"));
        long ls = ls_index(map, replica_row_get(r, "logical_switch"));
        const struct replica_row *set = vdb_find(
            vdb, "Physical_Locator_Set", replica_row_get(r, "locator_set"));
        if (!mac || strcmp(mac, "unknown-dst") || ls < 0 || !set) {
            continue;
        }
        const json_t *locs = replica_row_get(set, "locators");
        for (size_t i = 0; i < datum_count(locs); i++) {
            struct model_flood f = {.ls = (size_t)ls};
            if (read_locator(vdb, datum_set_at(locs, i), &f.loc) &&
                model_add_flood(m, &f)) {
                return -ENOMEM;
            }
        }
    }
    return 0;
}

int vdb_model(const struct vdb *vdb, struct model *m)
{
    json_t *map = json_object();
    model_clear(m);
    int rc = map ? model_switches(vdb, m, map) : -ENOMEM;
    rc = rc ? rc : model_bindings(vdb, m, map);
    rc = rc ? rc : model_remote_macs(vdb, m, map);
    rc = rc ? rc : model_floods(vdb, m, map);
    json_decref(map);
    return rc;
}

/* ---- Publishing and the transaction loop ---- */

int vdb_publish(struct vdb *vdb, const struct dp_mac *macs, size_t n_macs,
                const struct dp_fault *faults, size_t n_faults,
                const struct model *m)
{
    clear_published(vdb);
    vdb->macs = calloc(n_macs + 1, sizeof *vdb->macs);
    vdb->faults = calloc(n_faults + 1, sizeof *vdb->faults);
    vdb->active = calloc(m->n_ls + 1, sizeof *vdb->active);
    if (!vdb->macs || !vdb->faults || !vdb->active) {
        clear_published(vdb);
        return -ENOMEM;
    }
    for (size_t i = 0; i < n_macs; i++) {
        model_format_mac(macs[i].mac, vdb->macs[i].mac);
        memcpy(vdb->macs[i].ls, macs[i].ls_uuid, sizeof vdb->macs[i].ls);
    }
    vdb->n_macs = n_macs;
    if (n_faults) {
        memcpy(vdb->faults, faults, n_faults * sizeof *faults);
    }
    vdb->n_faults = n_faults;
    for (size_t i = 0; i < m->n_ls; i++) {
        if (want_ls_active(m, i)) {
            memcpy(vdb->active[vdb->n_active++], m->ls[i].uuid,
                   MODEL_UUID_LEN + 1);
        }
    }
    vdb->dirty = true;
    return 0;
}

/* Time to wait for the updates of our own transaction (ms). */
#define VDB_ECHO_WAIT_MS 2000

static void on_reply(void *aux, long long id, const json_t *result,
                     const json_t *error)
{
    struct vdb *vdb = aux;
    struct txn_result *res = NULL;
    txn_result_parse(vdb->txn, result, error, &res);
    if (!res || !txn_result_ok(res)) {
        log_warn("transaction failed: %s %s",
                 res ? txn_result_error(res) : "no reply",
                 res ? txn_result_details(res) : "");
        vdb->hold_until = loop_now() + VDB_RETRY_MS;
    } else {
        /* Wait for our own changes to come back through the monitor. */
        vdb->hold_until = loop_now() + VDB_ECHO_WAIT_MS;
    }
    txn_result_destroy(res);
    txn_destroy(vdb->txn);
    vdb->txn = NULL;
    vdb->dirty = true;
}

static bool may_compute(const struct vdb *vdb)
{
    uint64_t seq = replica_seqno(session_replica(vdb->session));
    if (vdb->txn || !session_is_active(vdb->session)) {
        return false;
    }
    if (loop_now() < vdb->hold_until && seq == vdb->sent_seqno) {
        return false;
    }
    return vdb->dirty || seq != vdb->built_seqno;
}

static void send_sync(struct vdb *vdb)
{
    struct txn *txn = txn_create("hardware_vtep");
    int n = txn ? vdb_sync_build(vdb, txn) : -ENOMEM;
    vdb->built_seqno = replica_seqno(session_replica(vdb->session));
    vdb->dirty = false;
    if (n <= 0) {
        if (n < 0) {
            log_warn("cannot build a transaction: %s", strerror(-n));
        }
        txn_destroy(txn);
        return;
    }
    txn_comment(txn, "l2gw-vtepd");
    vdb->txn = txn;
    vdb->sent_seqno = vdb->built_seqno;
    int rc =
        session_transact(vdb->session, txn_params(txn), on_reply, vdb, NULL);
    if (rc) {
        log_warn("cannot send a transaction: %s", strerror(-rc));
        txn_destroy(txn);
        vdb->txn = NULL;
        vdb->dirty = true;
        vdb->hold_until = loop_now() + VDB_RETRY_MS;
    }
}

void vdb_run(struct vdb *vdb)
{
    session_run(vdb->session);
    if (!session_is_active(vdb->session) && vdb->txn) {
        txn_destroy(vdb->txn); /* its callback ran with "connection lost" */
        vdb->txn = NULL;
    }
    if (may_compute(vdb)) {
        send_sync(vdb);
    }
}

void vdb_wait(struct vdb *vdb)
{
    session_wait(vdb->session);
    if (!vdb->txn && vdb->dirty && vdb->hold_until) {
        loop_timer_wait_until(vdb->hold_until);
    }
}
