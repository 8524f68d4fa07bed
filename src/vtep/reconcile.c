/* vtep_reconcile(): desired state + replica → the next transaction.
 * This file holds the entry point, Logical_Switch ownership, adoption and
 * columns, the removal of LSs that are no longer desired, convergence and
 * the result; see reconcile_priv.h for the other files. */
#include "vtep/reconcile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/txn.h"
#include "vtep/names.h"
#include "vtep/reconcile_priv.h"

#define LOG_MODULE "vtep"
#include "lib/log.h"

/* ---- Tunnel keys ---- */

/* Returns the row, other than 'self', that blocks giving key 'key' to a
 * desired LS: a foreign or desired one (lowest name) first, else '*ours'
 * is set to one of ours that is on its way out. */
static struct vrc_ls *
key_user(const struct vrc_ctx *c, long long key, const struct vrc_ls *self,
         struct vrc_ls **ours)
{
    char k[24];
    struct vrc_ls *best = NULL;

    *ours = NULL;
    snprintf(k, sizeof k, "%lld", key);
    for (struct vrc_entry *e = vrc_map_find(&c->ls_by_key, k); e;
         e = vrc_map_next(e)) {
        struct vrc_ls *ls = e->value;
        if (ls == self) {
            continue;
        }
        if (ls->owned && ls->desired < 0) {
            *ours = ls;
        } else if (!best || strcmp(ls->name, best->name) < 0) {
            best = ls;
        }
    }
    return best;
}

/* True if desired LS 'd' may carry its key (reports the problem, or notes
 * the wait, otherwise); claims the key for 'd'.  'self' is its row. */
static bool
key_free(struct vrc_ctx *c, struct vrc_dls *d, const struct vrc_ls *self)
{
    const struct vtep_ls *w = d->want;
    struct vrc_ls *ours;
    char *k;

    if (w->key == VTEP_NO_KEY) {
        return true;
    }
    if (!(k = vrc_printf(&c->arena, "%lld", w->key))) {
        c->err = -ENOMEM;
        return false;
    }
    struct vrc_dls *prev = vrc_map_get(&c->claimed, k);
    struct vrc_ls *user = key_user(c, w->key, self, &ours);
    const char *by = prev ? prev->want->name : user ? user->name : NULL;
    if (by) {
        vrc_problem(c, w->name, NULL, "VNI %lld is used by Logical_Switch %s",
                    w->key, by);
        return false;
    }
    if (ours) {
        c->res->waiting = true; /* its removal is under way */
        return false;
    }
    if (vrc_map_put(&c->arena, &c->claimed, k, d)) {
        c->err = -ENOMEM;
    }
    return true;
}

/* ---- Ownership ---- */

/* True if existing row 'have' of desired LS 'd' is ours, adopting it when
 * allowed; otherwise reports why it is left alone. */
static bool
own_existing(struct vrc_ctx *c, struct vrc_dls *d, struct vrc_ls *have)
{
    const struct vtep_ls *w = d->want;
    struct vtep_result *r = c->res;

    if (have->owned) {
        if (!vrc_map_get(&c->owned, have->name)) {
            vrc_list_add(c, &r->record, &r->n_record, have->name);
        }
        return true;
    }
    if (have->mark && *have->mark) {
        vrc_problem(c, w->name, NULL, "Logical_Switch %s is owned by "
                    "another deployment (" VTEP_OWNER_KEY "=%s)", have->name,
                    have->mark);
    } else if (have->key != w->key && have->key == VTEP_NO_KEY) {
        vrc_problem(c, w->name, NULL, "Logical_Switch %s has no tunnel_key, "
                    "not %lld", have->name, w->key);
    } else if (have->key != w->key) {
        vrc_problem(c, w->name, NULL, "Logical_Switch %s has tunnel_key "
                    "%lld, not %lld", have->name, have->key, w->key);
    } else if (!c->opts->adopt) {
        vrc_problem(c, w->name, NULL, "Logical_Switch %s exists and is not "
                    "ours (adopt_existing_logical_switches is off)",
                    have->name);
    } else {
        log_info("%s: adopting Logical_Switch %s (tunnel_key %lld)",
                 c->dbname, have->name, have->key);
        have->owned = true;
        vrc_list_add(c, &r->record, &r->n_record, have->name);
        return true;
    }
    return false;
}

/* ---- Logical_Switch columns ---- */

static const char *
repl_mode(const struct vtep_ls *w)
{
    return w->service_node ? VTEP_REPL_SERVICE_NODE : VTEP_REPL_SOURCE_NODE;
}

static bool
wants_mark(const struct vtep_options *o)
{
    return o->owner_mark && o->owner_id && *o->owner_id;
}

/* Plans the update of the columns of 'd's row that differ. */
static void
update_columns(struct vrc_ctx *c, struct vrc_dls *d, bool set_key)
{
    const struct vtep_ls *w = d->want;
    const struct vrc_ls *h = d->have;
    json_t *row = json_object();

    if (!h->description || strcmp(h->description, w->description)) {
        json_object_set_new(row, VTEP_C_DESCRIPTION,
                            json_string(w->description));
    }
    if (set_key) {
        json_object_set_new(row, VTEP_C_TUNNEL_KEY, json_integer(w->key));
    }
    if (c->opts->has_replication_mode &&
        (!h->repl || strcmp(h->repl, repl_mode(w)))) {
        json_object_set_new(row, VTEP_C_REPLICATION_MODE,
                            json_string(repl_mode(w)));
    }
    if (row && !json_object_size(row)) {
        json_decref(row);
        return;
    }
    d->converged = false;
    vrc_group(c);
    vrc_op(c, PH_LS, OP_UPDATE, VTEP_T_LS, vrc_where_uuid(h->uuid), row, NULL);
}

/* Plans other_config:l2gw-owner = our id on 'd's row (keeping its other
 * keys). */
static void
update_mark(struct vrc_ctx *c, struct vrc_dls *d)
{
    const struct vrc_ls *h = d->have;
    const char *id = c->opts->owner_id;
    json_t *muts = json_array();

    if (h->mark) {
        json_array_append_new(muts, json_pack("[s,s,[s,[s]]]",
                                              VTEP_C_OTHER_CONFIG, "delete",
                                              "set", VTEP_OWNER_KEY));
    }
    json_array_append_new(muts, json_pack("[s,s,[s,[[s,s]]]]",
                                          VTEP_C_OTHER_CONFIG, "insert", "map",
                                          VTEP_OWNER_KEY, id));
    d->converged = false;
    vrc_group(c);
    vrc_op(c, PH_LS, OP_MUTATE, VTEP_T_LS, vrc_where_uuid(h->uuid), muts,
           NULL);
}

static void
update_ls(struct vrc_ctx *c, struct vrc_dls *d)
{
    const struct vrc_ls *h = d->have;
    bool key_ok = h->key == d->want->key;
    bool may_key = key_free(c, d, h);

    update_columns(c, d, !key_ok && may_key);
    if (!key_ok) {
        d->converged = false;
    }
    if (wants_mark(c->opts) &&
        (!h->mark || strcmp(h->mark, c->opts->owner_id))) {
        update_mark(c, d);
    }
}

/* Plans the insert of desired LS 'd' (number 'i'). */
static void
insert_ls(struct vrc_ctx *c, struct vrc_dls *d, size_t i)
{
    const struct vtep_ls *w = d->want;
    const struct vtep_options *o = c->opts;
    json_t *row = json_pack("{s:s,s:s}", VTEP_C_NAME, w->name,
                            VTEP_C_DESCRIPTION, w->description);

    if (w->key != VTEP_NO_KEY) {
        json_object_set_new(row, VTEP_C_TUNNEL_KEY, json_integer(w->key));
    }
    if (o->has_replication_mode) {
        json_object_set_new(row, VTEP_C_REPLICATION_MODE,
                            json_string(repl_mode(w)));
    }
    if (wants_mark(o)) {
        json_object_set_new(row, VTEP_C_OTHER_CONFIG,
                            json_pack("[s,[[s,s]]]", "map", VTEP_OWNER_KEY,
                                      o->owner_id));
    }
    d->named = vrc_printf(&c->arena, "l2gw_ls%zu", i);
    d->state = DLS_INSERT;
    vrc_group(c);
    struct vrc_op *op = vrc_op(c, PH_LS, OP_INSERT, VTEP_T_LS, NULL, row,
                               d->named);
    if (op) {
        op->record = w->name;
    }
}

/* Decides what happens to desired LS 'i' and plans its row. */
static void
plan_ls(struct vrc_ctx *c, size_t i)
{
    struct vrc_dls *d = &c->dls[i];
    struct vrc_ls *have = vrc_ls_by_name(c, d->want->name);

    d->converged = true;
    if (vtep_desired_find(c->desired, d->want->name) != d->want) {
        return; /* a second LS of the same name: ignored */
    }
    if (have) {
        if (own_existing(c, d, have)) {
            d->have = have;
            d->state = DLS_ACTIVE;
            update_ls(c, d);
        }
    } else if (key_free(c, d, NULL)) {
        insert_ls(c, d, i);
    }
}

/* ---- Removal ---- */

/* Marks the LSs that are ours, in scope and no longer desired, and lists
 * the owned names that are not on the switch any more. */
static void
mark_removals(struct vrc_ctx *c, const char *const *owned, size_t n_owned)
{
    for (size_t i = 0; i < c->n_ls; i++) {
        struct vrc_ls *ls = c->ls[i];
        ls->removing = ls->owned && ls->in_scope && ls->desired < 0;
    }
    for (size_t i = 0; i < n_owned; i++) {
        const char *name = owned[i];
        if (name && !vrc_ls_by_name(c, name) &&
            !vtep_desired_find(c->desired, name) &&
            (!c->opts->scope || vrc_map_get(&c->scope, name))) {
            vrc_list_add(c, &c->res->forget, &c->res->n_forget, name);
        }
    }
}

/* Plans the removal of 'ls': its remote rows now (its bindings go in
 * vrc_plan_bindings()), the row itself once nothing references it. */
static void
remove_ls(struct vrc_ctx *c, struct vrc_ls *ls)
{
    if (ls->ucast.n) {
        vrc_group(c);
        vrc_op(c, PH_DELETE, OP_DELETE, VTEP_T_UCAST_REMOTE,
               vrc_where_ref(VTEP_C_LOGICAL_SWITCH, ls->uuid), NULL, NULL);
    }
    if (ls->mcast.n) {
        vrc_group(c);
        vrc_op(c, PH_DELETE, OP_DELETE, VTEP_T_MCAST_REMOTE,
               vrc_where_ref(VTEP_C_LOGICAL_SWITCH, ls->uuid), NULL, NULL);
    }
    if (ls->ucast.n || ls->mcast.n || ls->n_refs) {
        c->res->waiting = true;
        return;
    }
    log_info("%s: deleting Logical_Switch %s", c->dbname, ls->name);
    vrc_group(c);
    struct vrc_op *op = vrc_op(c, PH_LS_DELETE, OP_DELETE, VTEP_T_LS,
                               vrc_where_uuid(ls->uuid), NULL, NULL);
    if (op) {
        op->forget = ls->name;
    }
}

/* ---- The call ---- */

static int
ctx_init(struct vrc_ctx *c, const struct vtep_desired *desired,
         const struct replica *replica, const struct vtep_options *opts,
         struct vtep_result *res)
{
    memset(c, 0, sizeof *c);
    c->desired = desired;
    c->replica = replica;
    c->opts = opts;
    c->res = res;
    c->dbname = opts->name ? opts->name
                : opts->database ? opts->database : VTEP_DATABASE;
    struct vrc_map *maps[] = {&c->owned, &c->scope, &c->ls_by_uuid,
                              &c->ls_by_name, &c->ls_by_key, &c->claimed,
                              &c->loc_by_uuid, &c->port_by_uuid,
                              &c->port_by_name, &c->want_bind};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
        vrc_map_init(maps[i]);
    }
    hmap_init(&c->locs);
    c->ls_refs = vrc_alloc(&c->arena, sizeof *c->ls_refs);
    c->loc_refs = vrc_alloc(&c->arena, sizeof *c->loc_refs);
    c->dls = vrc_alloc(&c->arena, (desired->n_ls + 1) * sizeof *c->dls);
    res->ls_converged = calloc(desired->n_ls + 1, sizeof *res->ls_converged);
    res->n_ls = desired->n_ls;
    if (!c->dls || !res->ls_converged || !c->ls_refs || !c->loc_refs) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < desired->n_ls; i++) {
        c->dls[i].want = &desired->ls[i];
    }
    return 0;
}

static void
ctx_destroy(struct vrc_ctx *c)
{
    struct vrc_map *maps[] = {&c->owned, &c->scope, &c->ls_by_uuid,
                              &c->ls_by_name, &c->ls_by_key, &c->claimed,
                              &c->loc_by_uuid, &c->port_by_uuid,
                              &c->port_by_name, &c->want_bind};

    vrc_ops_free(c);
    for (size_t i = 0; i < c->n_ls; i++) {
        vrc_vec_free(&c->ls[i]->ucast);
        vrc_vec_free(&c->ls[i]->mcast);
    }
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
        vrc_map_destroy(maps[i]);
    }
    hmap_destroy(&c->locs);
    vrc_arena_destroy(&c->arena);
}

/* Fills the owned and scope name sets. */
static void
load_names(struct vrc_ctx *c, const char *const *owned, size_t n_owned)
{
    for (size_t i = 0; i < n_owned && !c->err; i++) {
        if (owned[i] && vrc_map_put(&c->arena, &c->owned, owned[i], "")) {
            c->err = -ENOMEM;
        }
    }
    for (size_t i = 0; c->opts->scope && i < c->opts->n_scope && !c->err;
         i++) {
        const char *s = c->opts->scope[i];
        if (s && vrc_map_put(&c->arena, &c->scope, s, "")) {
            c->err = -ENOMEM;
        }
    }
}

/* Links each desired LS to its row (before any decision, so that a
 * decision can tell desired rows from others). */
static void
link_desired(struct vrc_ctx *c)
{
    for (size_t i = 0; i < c->desired->n_ls; i++) {
        struct vrc_ls *have = vrc_ls_by_name(c, c->desired->ls[i].name);
        if (have && have->desired < 0) {
            have->desired = (int)i;
            have->in_scope = true;
        }
    }
}

static void
plan(struct vrc_ctx *c, const char *const *owned, size_t n_owned)
{
    size_t n = c->desired->n_ls;

    load_names(c, owned, n_owned);
    vrc_index_ls(c);
    vrc_index_locators(c);
    vrc_index_ports(c);
    link_desired(c);
    for (size_t i = 0; i < n && !c->err; i++) {
        plan_ls(c, i);
    }
    mark_removals(c, owned, n_owned);
    vrc_index_rows(c);
    for (size_t i = 0; i < n && !c->err; i++) {
        if (c->dls[i].state != DLS_BLOCKED) {
            vrc_plan_ucast(c, &c->dls[i]);
        }
    }
    for (size_t i = 0; i < n && !c->err; i++) {
        if (c->dls[i].state != DLS_BLOCKED) {
            vrc_plan_mcast(c, &c->dls[i]);
        }
    }
    vrc_plan_bindings(c);
    for (size_t i = 0; i < c->n_ls && !c->err; i++) {
        if (c->ls[i]->removing) {
            remove_ls(c, c->ls[i]);
        }
    }
}

int
vtep_reconcile(const struct vtep_desired *desired,
               const struct replica *replica, const char *const *owned,
               size_t n_owned, const struct vtep_options *opts,
               struct vtep_result *res)
{
    struct vrc_ctx c;

    memset(res, 0, sizeof *res);
    c.err = ctx_init(&c, desired, replica, opts, res);
    if (!c.err) {
        plan(&c, owned, n_owned);
    }
    for (size_t i = 0; i < desired->n_ls && !c.err; i++) {
        res->ls_converged[i] = c.dls[i].state != DLS_BLOCKED &&
                               c.dls[i].converged;
    }
    if (!c.err) {
        vrc_emit(&c);
    }
    int err = c.err;
    ctx_destroy(&c);
    if (err) {
        log_err("%s: cannot compute the next transaction: %s", c.dbname,
                strerror(-err));
        vtep_result_destroy(res);
    }
    return err;
}

static void
free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i]);
    }
    free(list);
}

void
vtep_result_destroy(struct vtep_result *res)
{
    if (!res) {
        return;
    }
    txn_destroy(res->txn);
    free_list(res->record, res->n_record);
    free_list(res->forget, res->n_forget);
    for (size_t i = 0; i < res->n_problems; i++) {
        free(res->problems[i].ls);
        free(res->problems[i].conn);
        free(res->problems[i].reason);
    }
    free(res->problems);
    free(res->ls_converged);
    memset(res, 0, sizeof *res);
}
