/* The operations that make this switch's own rows right (see vdb.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "ovsdb/txn.h"
#include "vtepd/vconf.h"
#include "vtepd/vdb.h"
#include "vtepd/vdb_priv.h"

#define LOG_MODULE "vdb"
#include "lib/log.h"

#define PER_LOCATOR_KEY "l2gw-per-locator-key"
#define DESCRIPTION "l2gw-vtepd software VTEP"
#define ENCAP "vxlan_over_ipv4"

struct sync {
    struct vdb *vdb;
    struct txn *txn;
    int n;               /* operations added */
    const char *own_loc; /* uuid of our locator row, or NULL */
    bool own_loc_named;  /* inserted in this transaction as "ownloc" */
    char tunnel_ip[INET_ADDRSTRLEN];
};

static struct replica_table *table(const struct sync *s, const char *name)
{
    return replica_table(session_replica(s->vdb->session), name);
}

#define FOR_ROWS(S, NAME, R, T)                                                \
    for (struct replica_table *T = table(S, NAME); T; T = NULL)                \
        for (const struct replica_row *R = replica_table_first(T); R;          \
             R = replica_table_next(T, R))

static int count(struct sync *s, int rc)
{
    if (rc >= 0) {
        s->n++;
        return 0;
    }
    return rc;
}

static json_t *uuid_set1(json_t *atom)
{
    json_t *set = datum_set_new();
    if (set && datum_set_add(set, atom)) {
        json_decref(set);
        return NULL;
    }
    return set;
}

static json_t *ps_other_config(const json_t *old)
{
    json_t *map = datum_map_new();
    const json_t *k, *v;
    for (size_t i = 0; map && datum_map_at(old, i, &k, &v); i++) {
        const char *ks = json_string_value(k);
        if (!ks || strcmp(ks, PER_LOCATOR_KEY)) {
            datum_map_add(map, json_deep_copy(k), json_deep_copy(v));
        }
    }
    if (map) {
        datum_map_add_str(map, PER_LOCATOR_KEY, "true");
    }
    return map;
}

/* First start: Physical_Switch with its ports, referenced from Global
 * (inserted too if there is none). */
static int insert_switch(struct sync *s)
{
    const struct vconf *c = s->vdb->cfg;
    json_t *ports = datum_set_new();
    int rc = 0;
    for (int i = 0; i < c->n_ports && !rc; i++) {
        char name[16];
        snprintf(name, sizeof name, "port%d", i);
        rc = count(s, txn_insert(s->txn, "Physical_Port",
                                 json_pack("{ss}", "name", c->ports[i]), name));
        datum_set_add(ports, datum_named_uuid(name));
    }
    const char *ips[] = {s->tunnel_ip};
    json_t *row =
        json_pack("{ss ss so so so}", "name", c->switch_name, "description",
                  DESCRIPTION, "tunnel_ips", datum_set_of_strings(ips, 1),
                  "other_config", ps_other_config(NULL), "ports", ports);
    rc = rc ? rc : count(s, txn_insert(s->txn, "Physical_Switch", row, "ps"));
    struct replica_table *g = table(s, "Global");
    const struct replica_row *global = g ? replica_table_first(g) : NULL;
    json_t *sw = uuid_set1(datum_named_uuid("ps"));
    if (rc) {
        json_decref(sw);
    } else if (global) {
        rc = count(
            s, txn_mutate(
                   s->txn, "Global", txn_where_uuid(replica_row_uuid(global)),
                   json_pack("[o]", txn_mutation("switches", "insert", sw))));
    } else {
        rc = count(s, txn_insert(s->txn, "Global",
                                 json_pack("{so}", "switches", sw), NULL));
    }
    log_info("registering switch %s with %d ports", c->switch_name, c->n_ports);
    return rc;
}

/* Name, tunnel_ips, description, other_config, Global.switches. */
static int fix_switch(struct sync *s, const struct replica_row *ps)
{
    const char *ips[] = {s->tunnel_ip};
    json_t *want_ips = datum_set_of_strings(ips, 1);
    const json_t *oc = replica_row_get(ps, "other_config");
    const char *desc = datum_get_string(replica_row_get(ps, "description"));
    const char *flag = datum_map_get_str(oc, PER_LOCATOR_KEY);
    int rc = 0;
    if (!datum_equal(want_ips, replica_row_get(ps, "tunnel_ips")) || !desc ||
        strcmp(desc, DESCRIPTION) || !flag || strcmp(flag, "true")) {
        json_t *row =
            json_pack("{sO ss so}", "tunnel_ips", want_ips, "description",
                      DESCRIPTION, "other_config", ps_other_config(oc));
        rc = count(s, txn_update(s->txn, "Physical_Switch",
                                 txn_where_uuid(replica_row_uuid(ps)), row));
    }
    json_decref(want_ips);
    json_t *me = datum_uuid(replica_row_uuid(ps));
    FOR_ROWS(s, "Global", g, t)
    {
        if (!rc && !datum_set_contains(replica_row_get(g, "switches"), me)) {
            rc = count(
                s, txn_mutate(
                       s->txn, "Global", txn_where_uuid(replica_row_uuid(g)),
                       json_pack("[o]",
                                 txn_mutation("switches", "insert",
                                              uuid_set1(json_incref(me))))));
        }
    }
    json_decref(me);
    return rc;
}

/* The Physical_Port row of our switch called 'name', or NULL. */
static const struct replica_row *
port_row(const struct sync *s, const struct replica_row *ps, const char *name)
{
    const json_t *ports = replica_row_get(ps, "ports");
    for (size_t i = 0; i < datum_count(ports); i++) {
        const struct replica_row *p =
            vdb_find(s->vdb, "Physical_Port", datum_set_at(ports, i));
        const char *n = p ? datum_get_string(replica_row_get(p, "name")) : NULL;
        if (n && !strcmp(n, name)) {
            return p;
        }
    }
    return NULL;
}

static int fix_ports(struct sync *s, const struct replica_row *ps)
{
    const struct vconf *c = s->vdb->cfg;
    int rc = 0;
    for (int i = 0; i < c->n_ports && !rc; i++) {
        char name[16];
        if (port_row(s, ps, c->ports[i])) {
            continue;
        }
        snprintf(name, sizeof name, "port%d", i);
        rc = count(s, txn_insert(s->txn, "Physical_Port",
                                 json_pack("{ss}", "name", c->ports[i]), name));
        rc = rc ? rc
                : count(s,
                        txn_mutate(
                            s->txn, "Physical_Switch",
                            txn_where_uuid(replica_row_uuid(ps)),
                            json_pack("[o]",
                                      txn_mutation(
                                          "ports", "insert",
                                          uuid_set1(datum_named_uuid(name))))));
    }
    return rc;
}

/* port_fault_status of every port of our switch. */
static int fix_faults(struct sync *s, const struct replica_row *ps)
{
    const json_t *ports = replica_row_get(ps, "ports");
    int rc = 0;
    for (size_t i = 0; i < datum_count(ports) && !rc; i++) {
        const struct replica_row *p =
            vdb_find(s->vdb, "Physical_Port", datum_set_at(ports, i));
        const char *name =
            p ? datum_get_string(replica_row_get(p, "name")) : NULL;
        json_t *want = datum_set_new();
        for (size_t j = 0; name && j < s->vdb->n_faults; j++) {
            if (!strcmp(s->vdb->faults[j].port, name)) {
                datum_set_add(want, json_string(s->vdb->faults[j].reason));
            }
        }
        if (name &&
            !datum_equal(want, replica_row_get(p, "port_fault_status"))) {
            log_info("port %s: faults %zu", name, datum_count(want));
            rc = count(
                s, txn_update(s->txn, "Physical_Port",
                              txn_where_uuid(replica_row_uuid(p)),
                              json_pack("{sO}", "port_fault_status", want)));
        }
        json_decref(want);
    }
    return rc;
}

/* ---- Local MACs ---- */

static void find_own_locator(struct sync *s)
{
    FOR_ROWS(s, "Physical_Locator", r, t)
    {
        const char *ip = datum_get_string(replica_row_get(r, "dst_ip"));
        long long key;
        if (ip && !strcmp(ip, s->tunnel_ip) &&
            !datum_get_integer(replica_row_get(r, "tunnel_key"), &key)) {
            s->own_loc = replica_row_uuid(r);
            return;
        }
    }
}

/* A reference to our locator, inserting it on first use. */
static json_t *own_locator(struct sync *s)
{
    if (s->own_loc) {
        return datum_uuid(s->own_loc);
    }
    if (!s->own_loc_named) {
        json_t *row = json_pack("{ss ss}", "dst_ip", s->tunnel_ip,
                                "encapsulation_type", ENCAP);
        if (count(s, txn_insert(s->txn, "Physical_Locator", row, "ownloc"))) {
            return NULL;
        }
        s->own_loc_named = true;
    }
    return datum_named_uuid("ownloc");
}

static bool row_is_own_locator(const struct sync *s, const json_t *loc)
{
    const char *u = datum_get_uuid(loc);
    return u && s->own_loc && !strcasecmp(u, s->own_loc);
}

static bool ls_exists(const struct sync *s, const char *uuid)
{
    return replica_find(session_replica(s->vdb->session), "Logical_Switch",
                        uuid) != NULL;
}

static bool mac_wanted(const struct vdb *vdb, const char *mac, const char *ls)
{
    for (size_t i = 0; i < vdb->n_macs; i++) {
        if (!strcasecmp(vdb->macs[i].mac, mac) &&
            !strcasecmp(vdb->macs[i].ls, ls)) {
            return true;
        }
    }
    return false;
}

static int fix_ucast_local(struct sync *s)
{
    json_t *have = json_object(); /* "mac ls" of the rows kept */
    int rc = have ? 0 : -ENOMEM;
    FOR_ROWS(s, "Ucast_Macs_Local", r, t)
    {
        const char *mac = datum_get_string(replica_row_get(r, "MAC"));
        const char *ls = datum_get_uuid(replica_row_get(r, "logical_switch"));
        char key[80];
        snprintf(key, sizeof key, "%s %s", mac ? mac : "", ls ? ls : "");
        bool keep = mac && ls && mac_wanted(s->vdb, mac, ls) &&
                    row_is_own_locator(s, replica_row_get(r, "locator")) &&
                    !json_object_get(have, key);
        if (keep) {
            json_object_set_new(have, key, json_true());
        } else if (!rc && s->n < VDB_MAX_OPS) {
            rc = count(s, txn_delete(s->txn, "Ucast_Macs_Local",
                                     txn_where_uuid(replica_row_uuid(r))));
        }
    }
    for (size_t i = 0; !rc && i < s->vdb->n_macs && s->n < VDB_MAX_OPS; i++) {
        const struct vdb_mac *m = &s->vdb->macs[i];
        char key[80];
        snprintf(key, sizeof key, "%s %s", m->mac, m->ls);
        if (json_object_get(have, key) || !ls_exists(s, m->ls)) {
            continue;
        }
        json_t *loc = own_locator(s);
        json_t *row = json_pack("{ss so so}", "MAC", m->mac, "logical_switch",
                                datum_uuid(m->ls), "locator", loc);
        rc = count(s, txn_insert(s->txn, "Ucast_Macs_Local", row, NULL));
        json_object_set_new(have, key, json_true());
    }
    json_decref(have);
    return rc;
}

static bool ls_active(const struct vdb *vdb, const char *ls)
{
    for (size_t i = 0; i < vdb->n_active; i++) {
        if (!strcasecmp(vdb->active[i], ls)) {
            return true;
        }
    }
    return false;
}

/* True if Mcast_Macs_Local row 'r' is "unknown-dst" → {our locator}. */
static bool mcast_row_ok(const struct sync *s, const struct replica_row *r)
{
    const char *mac = datum_get_string(replica_row_get(r, "MAC"));
    const struct replica_row *set = vdb_find(s->vdb, "Physical_Locator_Set",
                                             replica_row_get(r, "locator_set"));
    const json_t *locs = set ? replica_row_get(set, "locators") : NULL;
    return mac && !strcmp(mac, "unknown-dst") && datum_count(locs) == 1 &&
           row_is_own_locator(s, datum_set_at(locs, 0));
}

static int fix_mcast_local(struct sync *s)
{
    json_t *have = json_object();
    int rc = have ? 0 : -ENOMEM;
    FOR_ROWS(s, "Mcast_Macs_Local", r, t)
    {
        const char *ls = datum_get_uuid(replica_row_get(r, "logical_switch"));
        if (ls && ls_active(s->vdb, ls) && mcast_row_ok(s, r) &&
            !json_object_get(have, ls)) {
            json_object_set_new(have, ls, json_true());
        } else if (!rc) {
            rc = count(s, txn_delete(s->txn, "Mcast_Macs_Local",
                                     txn_where_uuid(replica_row_uuid(r))));
        }
    }
    for (size_t i = 0; !rc && i < s->vdb->n_active; i++) {
        const char *ls = s->vdb->active[i];
        char name[48];
        if (json_object_get(have, ls) || !ls_exists(s, ls)) {
            continue;
        }
        snprintf(name, sizeof name, "set%zu", i);
        json_t *loc = own_locator(s);
        rc = count(s, txn_insert(s->txn, "Physical_Locator_Set",
                                 json_pack("{so}", "locators", uuid_set1(loc)),
                                 name));
        json_t *row =
            json_pack("{ss so so}", "MAC", "unknown-dst", "logical_switch",
                      datum_uuid(ls), "locator_set", datum_named_uuid(name));
        rc = rc ? rc
                : count(s, txn_insert(s->txn, "Mcast_Macs_Local", row, NULL));
    }
    json_decref(have);
    return rc;
}

int vdb_sync_build(struct vdb *vdb, struct txn *txn)
{
    struct sync s = {.vdb = vdb, .txn = txn};
    const struct replica_row *ps = vdb_ps_row(vdb);
    inet_ntop(AF_INET, &vdb->cfg->tunnel_ip, s.tunnel_ip, sizeof s.tunnel_ip);
    if (!ps) {
        int rc = insert_switch(&s);
        return rc ? rc : s.n;
    }
    find_own_locator(&s);
    int rc = fix_switch(&s, ps);
    rc = rc ? rc : fix_ports(&s, ps);
    rc = rc ? rc : fix_faults(&s, ps);
    rc = rc ? rc : fix_ucast_local(&s);
    rc = rc ? rc : fix_mcast_local(&s);
    return rc ? rc : s.n;
}
