/* One reconcile pass of a switch database (pass.h); the reply to its
 * transaction is handled in reply.c, the verdicts in verdict.c. */
#include "manager/pass.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/plan.h"
#include "lib/config.h"
#include "lib/loop.h"
#include "manager/db.h"
#include "manager/priv.h"
#include "manager/registry.h"
#include "manager/reply.h"
#include "manager/sql.h"
#include "manager/status.h"
#include "manager/verdict.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"
#include "ovsdb/session.h"
#include "ovsdb/txn.h"
#include "store/store.h"
#include "vtep/names.h"
#include "vtep/reconcile.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

/* ---- planning into the cache ---- */

static int
cmp_ls_name(const void *a, const void *b)
{
    return strcmp(((const struct vtep_ls *) a)->name,
                  ((const struct vtep_ls *) b)->name);
}

/* Replaces the LSs of networks 'nets' in the cache by those of 'partial'
 * (moved out of it). */
static int
cache_merge(struct mdb *d, struct vtep_desired *partial, const json_t *nets)
{
    struct vtep_desired *c = &d->desired, trash;
    size_t n = 0;
    struct vtep_ls *v = malloc((c->n_ls + partial->n_ls + 1) * sizeof *v);

    vtep_desired_init(&trash);
    trash.ls = malloc((c->n_ls + 1) * sizeof *trash.ls);
    if (!v || !trash.ls) {
        free(v);
        free(trash.ls);
        return -ENOMEM;
    }
    for (size_t i = 0; i < c->n_ls; i++) {
        if (mset_has(nets, c->ls[i].name)) {
            trash.ls[trash.n_ls++] = c->ls[i];
        } else {
            v[n++] = c->ls[i];
        }
    }
    for (size_t i = 0; i < partial->n_ls; i++) {
        v[n++] = partial->ls[i];
    }
    free(c->ls);
    c->ls = v;
    c->n_ls = c->cap_ls = n;
    free(partial->ls);
    vtep_desired_init(partial);
    trash.cap_ls = trash.n_ls;
    vtep_desired_destroy(&trash);
    qsort(c->ls, c->n_ls, sizeof *c->ls, cmp_ls_name);
    return 0;
}

/* Replaces the plan problems of networks 'nets' (NULL: all). */
static void
take_problems(struct mdb *d, const json_t *nets, const struct plan_problems *p)
{
    const char *conn;
    json_t *v, *tmp;

    json_object_foreach_safe(d->plan_problems, tmp, conn, v) {
        const char *net = json_string_value(json_object_get(v, "network"));
        if (!nets || mset_has(nets, net)) {
            json_object_del(d->plan_problems, conn);
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        json_t *old = json_object_get(d->plan_problems, p->items[i].conn);
        const char *prev = json_string_value(json_object_get(old, "reason"));
        char *reason = NULL;
        if (asprintf(&reason, "%s%s%s", prev ? prev : "", prev ? "; " : "",
                     p->items[i].reason) < 0) {
            continue;
        }
        json_object_set_new(d->plan_problems, p->items[i].conn,
                            json_pack("{s:s, s:s}", "network",
                                      p->items[i].network, "reason", reason));
        free(reason);
    }
}

/* Plans again what is marked: everything, or the dirty networks. */
static int
replan(struct mdb *d)
{
    struct vtep_desired fresh;
    struct plan_problems probs = {NULL, 0, 0};
    int rc;

    vtep_desired_init(&fresh);
    if (d->replan_all) {
        rc = plan_database(d->m->core, d->name, NULL, 0, &fresh, &probs);
        if (!rc) {
            vtep_desired_destroy(&d->desired);
            d->desired = fresh;
            vtep_desired_init(&fresh);
            take_problems(d, NULL, &probs);
        }
    } else {
        size_t n = json_object_size(d->dirty_plan), i = 0;
        const char **nets = calloc(n + 1, sizeof *nets);
        const char *k;
        json_t *v;
        json_object_foreach(d->dirty_plan, k, v) {
            nets[i++] = k;
        }
        rc = nets ? plan_database(d->m->core, d->name, nets, n, &fresh, &probs)
                  : -ENOMEM;
        rc = rc ? rc : cache_merge(d, &fresh, d->dirty_plan);
        if (!rc) {
            take_problems(d, d->dirty_plan, &probs);
        }
        free(nets);
    }
    vtep_desired_destroy(&fresh);
    plan_problems_destroy(&probs);
    return rc;
}

/* ---- the scope of a pass ---- */

/* The scoped view of the cache: shallow copies of the LSs named in
 * 'scope', sorted by name.  Free only view->ls. */
static int
build_view(const struct mdb *d, const json_t *scope, struct vtep_desired *view)
{
    const char *name;
    json_t *v;

    vtep_desired_init(view);
    view->ls = malloc((json_object_size(scope) + 1) * sizeof *view->ls);
    if (!view->ls) {
        return -ENOMEM;
    }
    json_object_foreach((json_t *) scope, name, v) {
        struct vtep_ls key = {.name = (char *) name};
        const struct vtep_ls *ls = bsearch(&key, d->desired.ls, d->desired.n_ls,
                                           sizeof key, cmp_ls_name);
        if (ls) {
            view->ls[view->n_ls++] = *ls;
        }
    }
    qsort(view->ls, view->n_ls, sizeof *view->ls, cmp_ls_name);
    return 0;
}

/* The keys of 'set' as a borrowed array (free the array only). */
static const char **
set_keys(const json_t *set, size_t *n)
{
    const char **keys = calloc(json_object_size(set) + 1, sizeof *keys);
    const char *k;
    json_t *v;

    *n = 0;
    json_object_foreach((json_t *) set, k, v) {
        if (keys) {
            keys[(*n)++] = k;
        }
    }
    return keys;
}

/* ---- ownership records ---- */

static bool
replica_has_ls(const struct mdb *d, const char *name)
{
    const char *uuid;
    json_t *v;

    json_object_foreach(d->ls_names, uuid, v) {
        if (!strcmp(json_string_value(v), name)) {
            return true;
        }
    }
    return false;
}

/* Records res->record as ours, in one committed store transaction, before
 * anything is sent. */
static int
record_owned(struct mdb *d, const struct vtep_result *res)
{
    struct store *st = d->m->st;
    char now[32];

    if (!res->n_record) {
        return 0;
    }
    store_timestamp(now);
    int rc = msql_begin(st, "record ownership");
    for (size_t i = 0; !rc && i < res->n_record; i++) {
        const struct vtep_ls *ls = vtep_desired_find(&d->desired,
                                                     res->record[i]);
        long long key = ls ? ls->key : 0;
        rc = msql_run(st,
                      "INSERT INTO owned_logical_switches (ovsdb_identifier, "
                      "name, vni, adopted, created_at) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING",
                      "ssiis", d->name, res->record[i], key,
                      (long long) replica_has_ls(d, res->record[i]), now);
        rc = rc < 0 ? rc : 0;
    }
    if (rc) {
        store_rollback(st);
        return rc;
    }
    rc = msql_commit(st, "record ownership");
    for (size_t i = 0; !rc && i < res->n_record; i++) {
        mset_add(d->owned, res->record[i]);
    }
    return rc;
}

void
pass_forget_owned(struct mdb *d, char **names, size_t n)
{
    struct store *st = d->m->st;

    if (!n || msql_begin(st, "forget ownership")) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        msql_run(st,
                 "DELETE FROM owned_logical_switches WHERE ovsdb_identifier "
                 "= ? AND name = ?",
                 "ss", d->name, names[i]);
        json_object_del(d->owned, names[i]);
        log_info("switch database %s: Logical_Switch %s is no longer ours",
                 d->name, names[i]);
    }
    msql_commit(st, "forget ownership");
}

/* ---- sending ---- */

static struct vtep_options
options(const struct mdb *d, const char *const *scope, size_t n_scope)
{
    const struct config *cfg = d->m->cfg;
    const struct schema *sc = session_schema(d->session);
    struct vtep_options o = {
        .database = VTEP_DATABASE,
        .name = d->name,
        .owner_id = core_deployment_id(d->m->core),
        .adopt = cfg->adopt_existing_logical_switches,
        .durable = cfg->durable_commit,
        .owner_mark = sc && schema_has_column(sc, VTEP_T_LS, VTEP_C_OTHER_CONFIG),
        .has_replication_mode =
            sc && schema_has_column(sc, VTEP_T_LS, VTEP_C_REPLICATION_MODE),
        .max_ops = 0,
        .scope = scope,
        .n_scope = n_scope,
    };
    return o;
}

/* Adds [ps, port] under "<ps>\n<port>" to 'set'.  0 or -ENOMEM. */
static int
port_add(json_t *set, const char *ps, const char *port)
{
    char *key = NULL;

    if (asprintf(&key, "%s\n%s", ps, port) < 0) {
        return -ENOMEM;
    }
    int rc = json_object_set_new(set, key, json_pack("[s,s]", ps, port));
    free(key);
    return rc ? -ENOMEM : 0;
}

/* Adds to 'set' the ports of every gateway device that names a switch of
 * database 'd' (by name or "<ovsdb_identifier>/<name>").  0 or a negative
 * errno. */
static int
gateway_ports(const struct mdb *d, json_t *set)
{
    struct store_stmt *s;
    int rc = msql_prepare(d->m->st, &s,
                          "SELECT DISTINCT sw.name, i.name FROM "
                          "gateway_devices g JOIN gateway_interfaces i ON "
                          "i.device_id = g.id JOIN switches sw ON "
                          "sw.ovsdb_identifier = ? AND (sw.name = "
                          "g.device_name OR sw.ovsdb_identifier || '/' || "
                          "sw.name = g.device_name)",
                          "s", d->name);

    while (!rc && (rc = store_step(s)) == 1) {
        rc = port_add(set, store_col_text(s, 0), store_col_text(s, 1));
        if (rc) {
            store_reset(s);
        }
    }
    return rc < 0 ? rc : 0;
}

/* The ports l2gw manages on database 'd' (vtep_options.managed): those of
 * its gateways now, and those of every binding desired since 'd' was
 * created (d->bound_ports), so that a port a gateway update or delete
 * dropped still loses our bindings.  A restart forgets the latter: a
 * binding left then on a port no gateway names any more is kept as
 * foreign.  '*set' receives the [switch, port] pairs '*refs' points into
 * (caller frees both, also on error; '*refs' is not NULL on success).
 * Returns 0 or a negative errno. */
static int
managed_ports(struct mdb *d, json_t **set, struct vtep_port_ref **refs,
              size_t *n)
{
    int rc = 0;

    *set = json_object();
    *refs = NULL;
    *n = 0;
    for (size_t i = 0; i < d->desired.n_ls && !rc; i++) {
        const struct vtep_ls *ls = &d->desired.ls[i];
        for (size_t j = 0; j < ls->n_bindings && !rc; j++) {
            rc = port_add(d->bound_ports, ls->bindings[j].ps,
                          ls->bindings[j].port);
        }
    }
    rc = rc ? rc : gateway_ports(d, *set);
    if (rc || json_object_update(*set, d->bound_ports)) {
        return rc ? rc : -ENOMEM;
    }
    *refs = calloc(json_object_size(*set) + 1, sizeof **refs);
    if (!*refs) {
        return -ENOMEM;
    }
    const char *key;
    json_t *pair;
    json_object_foreach(*set, key, pair) {
        (*refs)[*n].ps = json_string_value(json_array_get(pair, 0));
        (*refs)[(*n)++].port = json_string_value(json_array_get(pair, 1));
    }
    return 0;
}

/* A short text of operation 'i' for logs: "insert Ucast_Macs_Remote". */
static void
op_text(const struct txn *t, long long i, char *buf, size_t size)
{
    const char *op = i >= 0 ? txn_op_name(t, (size_t) i) : NULL;
    const char *table = i >= 0 ? txn_op_table(t, (size_t) i) : NULL;

    snprintf(buf, size, "%s%s%s", op ? op : "commit", table ? " " : "",
             table ? table : "");
}

/* Sends the transaction of 'res' (taken), unless it equals 'last_ok', the
 * transaction that just succeeded (borrowed; NULL: none): then the switch
 * did not apply it, which is reported instead. */
static void
send_txn(struct mdb *d, struct vtep_result *res, json_t *scope,
         const json_t *last_ok)
{
    json_t *params = txn_params(res->txn);
    char what[128];

    if (!params) {
        return;
    }
    if (last_ok && json_equal(params, last_ok)) {
        if (!d->stuck[0]) {
            op_text(res->txn, 0, what, sizeof what);
            snprintf(d->stuck, sizeof d->stuck,
                     "switch database %s accepted a transaction (%zu "
                     "operations, first: %s) but did not apply it",
                     d->name, res->n_ops, what);
            log_warn("%s; not sending it again until the switch changes",
                     d->stuck);
        }
        json_decref(params);
        return;
    }
    int rc = session_transact(d->session, json_incref(params), reply_cb, d,
                              NULL);
    if (rc) {
        log_warn("switch database %s: cannot send a transaction: %s",
                 d->name, strerror(-rc));
        json_decref(params);
        mdb_mark_all(d);
        return;
    }
    d->txn = res->txn;
    res->txn = NULL;
    d->txn_params = params;
    d->txn_scope = scope ? json_incref(scope) : json_null();
    d->forget_after = res->forget;
    d->n_forget_after = res->n_forget;
    res->forget = NULL;
    res->n_forget = 0;
    d->pending_ops = res->n_ops;
    d->sent_at = loop_now();
    d->seqno_at_send = replica_seqno(session_replica(d->session));
    d->phase = MDB_IN_FLIGHT;
    d->txns++;
}

/* ---- the pass ---- */

/* Takes the dirty marks: the scope of this pass (NULL: a full pass). */
static json_t *
take_scope(struct mdb *d, bool *full)
{
    json_t *scope = NULL;

    *full = d->recon_all || d->replan_all;
    if (!*full) {
        scope = json_object();
        json_object_update(scope, d->dirty_ls);
        json_object_update(scope, d->dirty_plan);
    }
    d->replan_all = d->recon_all = false;
    json_object_clear(d->dirty_ls);
    json_object_clear(d->dirty_plan);
    return scope;
}

/* Reconciles 'view' and acts on the result. */
static void
reconcile(struct mdb *d, const struct vtep_desired *view, json_t *scope)
{
    struct vtep_result res;
    size_t n_scope = 0, n_owned = 0;
    const char **sc = scope ? set_keys(scope, &n_scope) : NULL;
    const char **owned = set_keys(d->owned, &n_owned);
    struct vtep_options o = options(d, sc, n_scope);
    json_t *managed_set;
    struct vtep_port_ref *managed;

    memset(&res, 0, sizeof res);
    int rc = managed_ports(d, &managed_set, &managed, &o.n_managed);
    o.managed = managed;
    if (!rc) {
        rc = vtep_reconcile(view, session_replica(d->session), owned,
                            n_owned, &o, &res);
    }
    free(sc);
    free(owned);
    free(managed);
    json_decref(managed_set);
    if (rc || record_owned(d, &res)) {
        log_err("switch database %s: reconcile failed: %s", d->name,
                strerror(rc ? -rc : EIO));
        vtep_result_destroy(&res);
        mdb_remark(d, scope);
        d->phase = MDB_BACKOFF;
        d->retry_at = loop_now() + MDB_BACKOFF_MIN_MS;
        return;
    }
    verdict_set(d, view, scope, &res);
    /* Only the first pass after a success compares with its transaction. */
    json_t *last_ok = d->last_ok_params;
    d->last_ok_params = NULL;
    if (res.waiting) {
        if (scope) {
            json_object_update(d->waiting, scope);
        } else {
            d->waiting_all = true;
        }
    }
    if (res.txn) {
        send_txn(d, &res, scope, last_ok);
    } else {
        pass_forget_owned(d, res.forget, res.n_forget);
        if (!res.waiting) {
            d->last_sync_wall = loop_wall_now();
        }
        if (!scope || d->figures_stale) {
            d->owned_rows = mdb_owned_rows(d);
            d->figures_stale = false;
            registry_sync_figures(d);
        }
        if (!scope && !res.waiting && d->forget_cleanup) {
            registry_sync_forget_done(d);
        }
    }
    json_decref(last_ok);
    vtep_result_destroy(&res);
}

/* Leaves the quarantined LSs whose retry time has not come out of the
 * pass (a full pass becomes a pass over every other LS). */
static json_t *
apply_quarantine(struct mdb *d, json_t *scope)
{
    json_t *blocked = json_object();
    const char *name;
    json_t *q, *v;

    json_object_foreach(d->quarantine, name, q) {
        if (!json_is_true(json_object_get(q, "released"))) {
            mset_add(blocked, name);
        }
    }
    if (json_object_size(blocked) && !scope) {
        scope = json_object();
        for (size_t i = 0; i < d->desired.n_ls; i++) {
            mset_add(scope, d->desired.ls[i].name);
        }
        json_object_update(scope, d->owned);
        json_object_foreach(d->ls_names, name, v) {
            mset_add(scope, json_string_value(v));
        }
    }
    json_object_foreach(blocked, name, v) {
        json_object_del(scope, name);
    }
    json_decref(blocked);
    return scope;
}

void
pass_run(struct mdb *d)
{
    struct vtep_desired view;
    bool full;

    if ((d->replan_all || json_object_size(d->dirty_plan)) && replan(d)) {
        log_err("switch database %s: planning failed; retrying", d->name);
        d->phase = MDB_BACKOFF;
        d->retry_at = loop_now() + MDB_BACKOFF_MIN_MS;
        return;
    }
    json_t *scope = apply_quarantine(d, take_scope(d, &full));
    full = !scope;
    if (full) {
        reconcile(d, &d->desired, NULL);
    } else if (!build_view(d, scope, &view)) {
        reconcile(d, &view, scope);
        free(view.ls);
    } else {
        mdb_remark(d, scope);
        d->phase = MDB_BACKOFF;
        d->retry_at = loop_now() + MDB_BACKOFF_MIN_MS;
    }
    json_decref(scope);
}

