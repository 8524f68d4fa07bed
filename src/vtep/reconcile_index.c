/* Reading the replica for vtep_reconcile(): Logical_Switches, locators,
 * switches and ports, and the rows of each Logical_Switch.  Malformed rows
 * are skipped (and logged once).  See reconcile_priv.h. */
#include "vtep/reconcile_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "vtep/canon.h"
#include "vtep/names.h"

static const json_t *
col(const struct replica_row *row, const char *name)
{
    return replica_row_get(row, name);
}

/* Reads an optional integer column (a set of 0 or 1 integer) into '*key'
 * (VTEP_NO_KEY when empty).  False if it holds anything else. */
static bool
read_opt_key(const json_t *v, long long *key)
{
    *key = VTEP_NO_KEY;
    if (!v || datum_count(v) == 0) {
        return v == NULL || datum_is_set(v);
    }
    return datum_get_integer(v, key);
}

/* ---- Logical_Switch ---- */

static bool
is_owned(const struct vrc_ctx *c, const char *name, const char *mark)
{
    const struct vtep_options *o = c->opts;

    if (vrc_map_get(&c->owned, name)) {
        return true;
    }
    return o->owner_mark && o->owner_id && *o->owner_id && mark &&
           !strcmp(mark, o->owner_id);
}

/* Reads one Logical_Switch row; NULL if it is malformed (or no memory). */
static struct vrc_ls *
read_ls(struct vrc_ctx *c, const struct replica_row *row)
{
    const char *uuid = replica_row_uuid(row);
    const char *name = datum_get_string(col(row, VTEP_C_NAME));
    const json_t *desc = col(row, VTEP_C_DESCRIPTION);
    long long key;

    if (!name) {
        vrc_garbage(c, VTEP_T_LS, uuid, "name is not a string; ignored");
        return NULL;
    }
    if (!read_opt_key(col(row, VTEP_C_TUNNEL_KEY), &key)) {
        vrc_garbage(c, VTEP_T_LS, uuid,
                    "tunnel_key is not an integer; read as none");
    }
    struct vrc_ls *ls = vrc_alloc(&c->arena, sizeof *ls);
    if (!ls) {
        c->err = -ENOMEM;
        return NULL;
    }
    ls->row = row;
    ls->uuid = uuid;
    ls->name = name;
    ls->key = key;
    ls->description = desc ? datum_get_string(desc) : "";
    ls->repl = datum_get_string(col(row, VTEP_C_REPLICATION_MODE));
    ls->mark = datum_map_get_str(col(row, VTEP_C_OTHER_CONFIG),
                                 VTEP_OWNER_KEY);
    ls->owned = is_owned(c, name, ls->mark);
    ls->in_scope = !c->opts->scope || vrc_map_get(&c->scope, name);
    ls->desired = -1;
    return ls;
}

static int
cmp_ls(const void *a_, const void *b_)
{
    const struct vrc_ls *a = *(struct vrc_ls *const *)a_;
    const struct vrc_ls *b = *(struct vrc_ls *const *)b_;
    int r = strcmp(a->name, b->name);

    return r ? r : strcmp(a->uuid, b->uuid);
}

/* Adds 'ls' to the maps by uuid, name and key. */
static void
map_ls(struct vrc_ctx *c, struct vrc_ls *ls)
{
    char *key = NULL;

    if (ls->key != VTEP_NO_KEY &&
        !(key = vrc_printf(&c->arena, "%lld", ls->key))) {
        c->err = -ENOMEM;
        return;
    }
    if (vrc_map_put(&c->arena, &c->ls_by_uuid, ls->uuid, ls) ||
        vrc_map_put(&c->arena, &c->ls_by_name, ls->name, ls) ||
        (key && vrc_map_put(&c->arena, &c->ls_by_key, key, ls))) {
        c->err = -ENOMEM;
    }
}

void
vrc_index_ls(struct vrc_ctx *c)
{
    const struct replica_table *t = replica_table(c->replica, VTEP_T_LS);
    size_t n = t ? replica_table_count(t) : 0;

    c->ls = vrc_alloc(&c->arena, (n + 1) * sizeof *c->ls);
    if (!c->ls) {
        c->err = -ENOMEM;
        return;
    }
    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !c->err; row = replica_table_next(t, row)) {
        struct vrc_ls *ls = read_ls(c, row);
        if (ls) {
            c->ls[c->n_ls++] = ls;
            map_ls(c, ls);
        }
    }
    vrc_sort(c->ls, c->n_ls, sizeof *c->ls, cmp_ls);
}

struct vrc_ls *
vrc_ls_by_uuid(const struct vrc_ctx *c, const char *uuid)
{
    char buf[VRC_UUID_BUF];

    uuid = vrc_lower_uuid(uuid, buf);
    return uuid ? vrc_map_get(&c->ls_by_uuid, uuid) : NULL;
}

struct vrc_ls *
vrc_ls_by_name(const struct vrc_ctx *c, const char *name)
{
    struct vrc_ls *best = NULL;

    for (struct vrc_entry *e = vrc_map_find(&c->ls_by_name, name); e;
         e = vrc_map_next(e)) {
        struct vrc_ls *ls = e->value;
        if (!best || strcmp(ls->uuid, best->uuid) < 0) {
            best = ls;
        }
    }
    return best;
}

/* ---- Reference caches ---- */

#define NO_VALUE ((void *)&no_value) /* a cached "resolves to nothing" */
static const char no_value;

static size_t
ref_slot(const json_t *ref)
{
    return ((uintptr_t)ref >> 4) & (VRC_REF_CACHE - 1);
}

/* The cached value of 'ref' (NO_VALUE: cached miss), or NULL. */
static void *
ref_cached(const struct vrc_ref_cache *rc, const json_t *ref)
{
    size_t i = ref_slot(ref);

    return rc && rc->key[i] == ref ? rc->value[i] : NULL;
}

static void
ref_store(struct vrc_ref_cache *rc, const json_t *ref, void *value)
{
    if (rc) {
        rc->key[ref_slot(ref)] = ref;
        rc->value[ref_slot(ref)] = value ? value : NO_VALUE;
    }
}

struct vrc_ls *
vrc_ls_of_ref(struct vrc_ctx *c, const json_t *ref)
{
    char buf[VRC_UUID_BUF];
    void *v = ref ? ref_cached(c->ls_refs, ref) : NULL;

    if (!v && ref) {
        v = vrc_ls_by_uuid(c, vrc_uuid(ref, buf));
        ref_store(c->ls_refs, ref, v);
    }
    return v == NO_VALUE ? NULL : v;
}

struct vrc_loc *
vrc_loc_of_ref(struct vrc_ctx *c, const json_t *ref)
{
    char buf[VRC_UUID_BUF];
    void *v = ref ? ref_cached(c->loc_refs, ref) : NULL;

    if (!v && ref) {
        v = vrc_loc_of_row(c, vrc_uuid(ref, buf));
        ref_store(c->loc_refs, ref, v);
    }
    return v == NO_VALUE ? NULL : v;
}

/* ---- Physical_Locator ---- */

static uint32_t
loc_hash(const char *ip, long long key)
{
    return hmap_hash_string(ip, (uint32_t)key ^ (uint32_t)(key >> 32));
}

struct vrc_loc *
vrc_loc_get(struct vrc_ctx *c, const struct vtep_locator *l)
{
    uint32_t hash = loc_hash(l->ip, l->key);

    for (struct hmap_node *n = hmap_first_with_hash(&c->locs, hash); n;
         n = hmap_next_with_hash(n)) {
        struct vrc_loc *loc = HMAP_CONTAINER(n, struct vrc_loc, node);
        if (loc->key == l->key && !strcmp(loc->ip, l->ip)) {
            return loc;
        }
    }
    struct vrc_loc *loc = vrc_alloc(&c->arena, sizeof *loc);
    if (!loc) {
        c->err = -ENOMEM;
        return NULL;
    }
    memcpy(loc->ip, l->ip, sizeof loc->ip);
    loc->key = l->key;
    hmap_insert(&c->locs, &loc->node, hash);
    return loc;
}

struct vrc_loc *
vrc_loc_of_row(const struct vrc_ctx *c, const char *uuid)
{
    char buf[VRC_UUID_BUF];

    uuid = vrc_lower_uuid(uuid, buf);
    return uuid ? vrc_map_get(&c->loc_by_uuid, uuid) : NULL;
}

/* Reads locator 'row' into 'l'; false (logged) if malformed. */
static bool
read_locator(const struct vrc_ctx *c, const struct replica_row *row,
             struct vtep_locator *l, bool *exact)
{
    const char *uuid = replica_row_uuid(row);
    const char *encap = datum_get_string(col(row, VTEP_C_ENCAP));
    const char *ip = datum_get_string(col(row, VTEP_C_DST_IP));

    if (!encap || strcmp(encap, VTEP_ENCAP_VXLAN)) {
        vrc_garbage(c, VTEP_T_LOCATOR, uuid, "encapsulation_type is not "
                    VTEP_ENCAP_VXLAN "; not used");
        return false;
    }
    if (canon_ip(ip, l->ip)) {
        vrc_garbage(c, VTEP_T_LOCATOR, uuid,
                    "dst_ip is not an IP address; not used");
        return false;
    }
    if (!read_opt_key(col(row, VTEP_C_TUNNEL_KEY), &l->key)) {
        vrc_garbage(c, VTEP_T_LOCATOR, uuid,
                    "tunnel_key is not an integer; not used");
        return false;
    }
    *exact = !strcmp(ip, l->ip);
    return true;
}

/* The row to reuse for a locator: canonically spelled first, then the
 * lowest UUID. */
static void
consider_locator(struct vrc_loc *loc, const char *uuid, bool exact)
{
    if (!loc->uuid || (exact && !loc->uuid_exact) ||
        (exact == loc->uuid_exact && strcmp(uuid, loc->uuid) < 0)) {
        loc->uuid = uuid;
        loc->uuid_exact = exact;
    }
}

void
vrc_index_locators(struct vrc_ctx *c)
{
    const struct replica_table *t = replica_table(c->replica, VTEP_T_LOCATOR);

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !c->err; row = replica_table_next(t, row)) {
        struct vtep_locator l;
        bool exact;
        if (!read_locator(c, row, &l, &exact)) {
            continue;
        }
        struct vrc_loc *loc = vrc_loc_get(c, &l);
        if (!loc || vrc_map_put(&c->arena, &c->loc_by_uuid,
                                replica_row_uuid(row), loc)) {
            c->err = -ENOMEM;
            return;
        }
        consider_locator(loc, replica_row_uuid(row), exact);
    }
}

/* ---- Physical_Switch and Physical_Port ---- */

static int
cmp_port(const void *a_, const void *b_)
{
    const struct vrc_port *a = *(struct vrc_port *const *)a_;
    const struct vrc_port *b = *(struct vrc_port *const *)b_;
    int r = strcmp(a->ps, b->ps);

    if (!r) {
        r = strcmp(a->name, b->name);
    }
    return r ? r : strcmp(a->uuid, b->uuid);
}

/* Adds port 'uuid' of switch 'ps' (if it is a well-formed row not seen
 * yet) to the maps and to 'list'. */
static void
add_port(struct vrc_ctx *c, const char *ps, const char *uuid,
         struct vrc_vec *list)
{
    const struct replica_row *row = replica_find(c->replica, VTEP_T_PORT,
                                                 uuid);
    const char *name = row ? datum_get_string(col(row, VTEP_C_NAME)) : NULL;

    if (!row || vrc_port_by_uuid(c, uuid)) {
        return; /* not replicated yet, or listed by two switches */
    }
    if (!name) {
        vrc_garbage(c, VTEP_T_PORT, uuid, "name is not a string; ignored");
        return;
    }
    struct vrc_port *p = vrc_alloc(&c->arena, sizeof *p);
    char *key = vrc_printf(&c->arena, "%s\n%s", ps, name);
    if (!p || !key ||
        vrc_map_put(&c->arena, &c->port_by_uuid, replica_row_uuid(row), p) ||
        vrc_map_put(&c->arena, &c->port_by_name, key, p) ||
        vrc_vec_push(list, p)) {
        c->err = -ENOMEM;
        return;
    }
    p->row = row;
    p->uuid = replica_row_uuid(row);
    p->ps = ps;
    p->name = name;
}

static void
index_switch(struct vrc_ctx *c, const struct replica_row *row,
             struct vrc_vec *list)
{
    const char *ps = datum_get_string(col(row, VTEP_C_NAME));
    const json_t *ports = col(row, VTEP_C_PORTS);
    const json_t *e;

    if (!ps) {
        vrc_garbage(c, VTEP_T_PS, replica_row_uuid(row),
                    "name is not a string; its ports are ignored");
        return;
    }
    for (size_t i = 0; (e = datum_set_at(ports, i)) && !c->err; i++) {
        char buf[VRC_UUID_BUF];
        const char *uuid = vrc_uuid(e, buf);
        if (uuid) {
            add_port(c, ps, uuid, list);
        }
    }
}

void
vrc_index_ports(struct vrc_ctx *c)
{
    const struct replica_table *t = replica_table(c->replica, VTEP_T_PS);
    struct vrc_vec list = {0};

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !c->err; row = replica_table_next(t, row)) {
        index_switch(c, row, &list);
    }
    c->ports = vrc_alloc(&c->arena, (list.n + 1) * sizeof *c->ports);
    if (!c->ports) {
        c->err = -ENOMEM;
    } else {
        for (size_t i = 0; i < list.n; i++) {
            c->ports[i] = (struct vrc_port *)list.items[i];
        }
        c->n_ports = list.n;
        vrc_sort(c->ports, c->n_ports, sizeof *c->ports, cmp_port);
    }
    vrc_vec_free(&list);
}

struct vrc_port *
vrc_port_find(const struct vrc_ctx *c, const char *ps, const char *port)
{
    char *key = NULL;

    if (asprintf(&key, "%s\n%s", ps, port) < 0) {
        return NULL;
    }
    struct vrc_port *p = vrc_map_get(&c->port_by_name, key);
    free(key);
    return p;
}

struct vrc_port *
vrc_port_by_uuid(const struct vrc_ctx *c, const char *uuid)
{
    char buf[VRC_UUID_BUF];

    uuid = vrc_lower_uuid(uuid, buf);
    return uuid ? vrc_map_get(&c->port_by_uuid, uuid) : NULL;
}

/* ---- Rows per Logical_Switch ---- */

/* True if the remote rows of 'ls' matter to this call. */
static bool
wants_rows(const struct vrc_ctx *c, const struct vrc_ls *ls)
{
    if (!ls->owned) {
        return false;
    }
    return ls->removing ||
           (ls->desired >= 0 && c->dls[ls->desired].state == DLS_ACTIVE);
}

/* The LS a MAC row belongs to ('ls_col': its column), or NULL (logged
 * when malformed). */
static struct vrc_ls *
row_ls(struct vrc_ctx *c, const char *table, const struct replica_row *row,
       int ls_col)
{
    const json_t *ref = replica_row_get_at(row, ls_col);
    struct vrc_ls *ls = vrc_ls_of_ref(c, ref);
    char buf[VRC_UUID_BUF];

    if (!ls && !vrc_uuid(ref, buf)) {
        vrc_garbage(c, table, replica_row_uuid(row),
                    "logical_switch is not a UUID; ignored");
    }
    return ls;
}

/* Where collect() puts a row. */
enum row_use {
    USE_UCAST, /* into ls->ucast when wants_rows() */
    USE_MCAST, /* into ls->mcast when wants_rows() */
    USE_COUNT, /* counted in ls->n_refs when ls->removing */
};

static void
use_row(struct vrc_ctx *c, struct vrc_ls *ls, const struct replica_row *row,
        enum row_use use)
{
    if (use == USE_COUNT) {
        ls->n_refs += ls->removing;
    } else if (wants_rows(c, ls) &&
               vrc_vec_push(use == USE_UCAST ? &ls->ucast : &ls->mcast,
                            row)) {
        c->err = -ENOMEM;
    }
}

/* Scans every row of 'table'. */
static void
collect(struct vrc_ctx *c, const char *table, enum row_use use)
{
    const struct replica_table *t = replica_table(c->replica, table);
    int ls_col = t ? replica_table_column(t, VTEP_C_LOGICAL_SWITCH) : -1;

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !c->err; row = replica_table_next(t, row)) {
        struct vrc_ls *ls = row_ls(c, table, row, ls_col);
        if (ls) {
            use_row(c, ls, row, use);
        }
    }
}

/* Column numbers of remote MAC table 'name'. */
static void
table_cols(const struct vrc_ctx *c, const char *name, struct vrc_cols *cols)
{
    const struct replica_table *t = replica_table(c->replica, name);

    cols->mac = t ? replica_table_column(t, VTEP_C_MAC) : -1;
    cols->ls = t ? replica_table_column(t, VTEP_C_LOGICAL_SWITCH) : -1;
    cols->locator = t ? replica_table_column(t, VTEP_C_LOCATOR) : -1;
    cols->locator_set = t ? replica_table_column(t, VTEP_C_LOCATOR_SET) : -1;
    cols->ipaddr = t ? replica_table_column(t, VTEP_C_IPADDR) : -1;
}

void
vrc_index_rows(struct vrc_ctx *c)
{
    bool removing = false;

    table_cols(c, VTEP_T_UCAST_REMOTE, &c->ucast);
    table_cols(c, VTEP_T_MCAST_REMOTE, &c->mcast);
    for (size_t i = 0; i < c->n_ls; i++) {
        removing |= c->ls[i]->removing;
    }
    collect(c, VTEP_T_UCAST_REMOTE, USE_UCAST);
    collect(c, VTEP_T_MCAST_REMOTE, USE_MCAST);
    if (removing) {
        collect(c, VTEP_T_UCAST_LOCAL, USE_COUNT);
        collect(c, VTEP_T_MCAST_LOCAL, USE_COUNT);
    }
}
