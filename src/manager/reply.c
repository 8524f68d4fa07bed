/* The reply to a switch database's transaction (reply.h). */
#include "manager/reply.h"

#include <stdio.h>
#include <string.h>

#include "lib/loop.h"
#include "manager/db.h"
#include "manager/pass.h"
#include "manager/priv.h"
#include "manager/registry.h"
#include "manager/track.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "ovsdb/txn.h"
#include "vtep/names.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

/* The UUID that a "where" [["_uuid", "==", ["uuid", U]]] names, or NULL. */
static const char *
where_uuid(const json_t *op)
{
    const json_t *w = json_array_get(json_object_get(op, "where"), 0);
    const char *col = json_string_value(json_array_get(w, 0));

    if (!col || strcmp(col, "_uuid")) {
        return NULL;
    }
    return datum_get_uuid(json_array_get(w, 2));
}

/* What the replica must show before the next diff: inserted rows present
 * (locators and sets excepted: the server may collect them), deleted rows
 * absent. */
static json_t *
expectations(const struct mdb *d, const struct txn_result *tr)
{
    json_t *exp = json_array();
    size_t n = txn_n_ops(d->txn);

    for (size_t i = 0; exp && i < n; i++) {
        const char *op = txn_op_name(d->txn, i);
        const char *table = txn_op_table(d->txn, i);
        const char *uuid = NULL;
        bool present = false;
        if (!op || !table || !strcmp(table, VTEP_T_LOCATOR)
            || !strcmp(table, VTEP_T_LOCATOR_SET)) {
            continue;
        }
        if (!strcmp(op, "insert")) {
            uuid = txn_result_insert_uuid(tr, i);
            present = true;
        } else if (!strcmp(op, "delete")) {
            uuid = where_uuid(json_array_get(d->txn_params, i + 1));
        }
        if (uuid) {
            json_array_append_new(exp, json_pack("[s,s,b]", table, uuid,
                                                 present));
        }
    }
    return exp;
}

/* The LSs of the succeeded transaction's scope leave the quarantine. */
static void
unquarantine(struct mdb *d)
{
    const char *name;
    json_t *q, *tmp;

    json_object_foreach_safe(d->quarantine, tmp, name, q) {
        if (!d->txn_scope || json_is_null(d->txn_scope)
            || json_object_get(d->txn_scope, name)) {
            log_info("switch database %s: Logical_Switch %s accepted again",
                     d->name, name);
            json_object_del(d->quarantine, name);
        }
    }
}

static void
on_success(struct mdb *d, const struct txn_result *tr)
{
    json_t *exp = expectations(d, tr);

    unquarantine(d);
    pass_forget_owned(d, d->forget_after, d->n_forget_after);
    if (d->failures) {
        log_info("switch database %s: transactions succeed again", d->name);
    }
    d->failures = 0;
    d->figures_stale = true;
    d->stuck[0] = '\0';
    json_decref(d->last_ok_params);
    d->last_ok_params = json_incref(d->txn_params);
    mdb_remark(d, d->txn_scope);
    mdb_drop_txn(d);
    d->expect = exp;
    d->phase = MDB_SETTLING;
}

/* Fills the last-error fields from the failed operation 'i'. */
static void
note_failure(struct mdb *d, const struct txn_result *tr, long long i)
{
    const json_t *op = i >= 0 ? json_array_get(d->txn_params, (size_t) i + 1)
                              : NULL;
    const json_t *row = json_object_get(op, "row");
    const char *what = where_uuid(op);

    if (!what) {
        what = datum_get_string(json_object_get(row, VTEP_C_NAME));
    }
    if (!what) {
        what = datum_get_string(json_object_get(row, VTEP_C_MAC));
    }
    snprintf(d->last_error_op, sizeof d->last_error_op, "%s",
             i >= 0 && txn_op_name(d->txn, (size_t) i)
                 ? txn_op_name(d->txn, (size_t) i)
                 : "commit");
    snprintf(d->last_error_table, sizeof d->last_error_table, "%s",
             i >= 0 && txn_op_table(d->txn, (size_t) i)
                 ? txn_op_table(d->txn, (size_t) i)
                 : "");
    snprintf(d->last_error_row, sizeof d->last_error_row, "%s",
             what ? what : "");
    snprintf(d->last_error, sizeof d->last_error,
             "operation %lld (%s%s%s%s%s) failed: %s%s%s", i,
             d->last_error_op, d->last_error_table[0] ? " " : "",
             d->last_error_table, d->last_error_row[0] ? " " : "",
             d->last_error_row, txn_result_error(tr),
             txn_result_details(tr)[0] ? ": " : "", txn_result_details(tr));
}

/* The LS name of the row a uuid or named-uuid value 'v' of the
 * transaction refers to, or NULL. */
static const char *
ls_named(const struct mdb *d, const json_t *v)
{
    const char *uuid = datum_get_uuid(v), *named = datum_get_named_uuid(v);
    size_t i;
    json_t *op;

    if (uuid) {
        return json_string_value(json_object_get(d->ls_names, uuid));
    }
    json_array_foreach(d->txn_params, i, op) {
        const char *un = json_string_value(json_object_get(op, "uuid-name"));
        if (named && un && !strcmp(un, named)) {
            return datum_get_string(
                json_object_get(json_object_get(op, "row"), VTEP_C_NAME));
        }
    }
    return NULL;
}

/* The Logical_Switch that failed operation 'i' concerns, or NULL when it
 * cannot be told (a locator, a binding mutation, the commit). */
static const char *
failed_ls(const struct mdb *d, long long i)
{
    const json_t *op = i >= 0 ? json_array_get(d->txn_params, (size_t) i + 1)
                              : NULL;
    const char *table = json_string_value(json_object_get(op, "table"));
    const json_t *row = json_object_get(op, "row");
    const char *uuid = where_uuid(op);

    if (!table) {
        return NULL;
    }
    if (!strcmp(table, VTEP_T_LS)) {
        const char *name = datum_get_string(json_object_get(row, VTEP_C_NAME));
        return name ? name
                    : uuid ? json_string_value(json_object_get(d->ls_names, uuid))
                           : NULL;
    }
    if (strcmp(table, VTEP_T_UCAST_REMOTE) && strcmp(table, VTEP_T_MCAST_REMOTE)) {
        return NULL;
    }
    if (row) {
        return ls_named(d, json_object_get(row, VTEP_C_LOGICAL_SWITCH));
    }
    const struct replica_row *r =
        uuid ? replica_find(session_replica(d->session), table, uuid) : NULL;
    return r ? track_ls_of(d, r, VTEP_C_LOGICAL_SWITCH) : NULL;
}

/* The delay before attempt 'fails' + 1. */
static long long
backoff_ms(int fails)
{
    long long ms = MDB_BACKOFF_MIN_MS;

    for (int k = 1; k < fails && ms < MDB_BACKOFF_MAX_MS; k++) {
        ms *= 2;
    }
    return ms > MDB_BACKOFF_MAX_MS ? MDB_BACKOFF_MAX_MS : ms;
}

/* Puts LS 'name' aside: the other LSs go on at once, it is retried after a
 * backoff of its own.  Returns its failure count. */
static int
quarantine(struct mdb *d, const char *name, long long *delay)
{
    json_t *q = json_object_get(d->quarantine, name);
    int fails = (int) json_integer_value(json_object_get(q, "fails")) + 1;

    *delay = backoff_ms(fails);
    json_object_set_new(d->quarantine, name,
                        json_pack("{s:i, s:I, s:s, s:b}", "fails", fails,
                                  "retry_at",
                                  (json_int_t)(loop_now() + *delay), "error",
                                  d->last_error, "released", 0));
    return fails;
}

static void
on_failure(struct mdb *d, const struct txn_result *tr)
{
    long long i = txn_result_failed_op(tr), delay;
    const char *ls;
    char name[256] = "";
    int fails;

    note_failure(d, tr, i);
    d->txn_failures++;
    if ((ls = failed_ls(d, i))) {
        snprintf(name, sizeof name, "%s", ls);
        fails = quarantine(d, name, &delay);
    } else {
        fails = ++d->failures;
        delay = backoff_ms(fails);
    }
    log_warn("switch database %s: transaction of %zu operations failed at %s; "
             "retrying %s%s in %lld ms%s",
             d->name, txn_n_ops(d->txn), d->last_error,
             name[0] ? "Logical_Switch " : "everything", name, delay,
             fails == MDB_FAIL_LIMIT ? "; its connections go ERROR" : "");
    json_decref(d->last_ok_params);
    d->last_ok_params = NULL;
    mdb_remark(d, d->txn_scope);
    mdb_drop_txn(d);
    d->phase = name[0] ? MDB_IDLE : MDB_BACKOFF;
    d->retry_at = loop_now() + delay;
}

void
reply_cb(void *aux, long long id, const json_t *result, const json_t *error)
{
    struct mdb *d = aux;
    struct txn_result *tr = NULL;

    if (d->dead || d->phase != MDB_IN_FLIGHT || !d->txn) {
        return;
    }
    d->reply_at = loop_now();
    d->last_latency_ms = d->reply_at - d->sent_at;
    if (json_is_string(error)
        && !strcmp(json_string_value(error), "connection lost")) {
        mdb_drop_txn(d);
        return; /* the reconnect runs a full pass */
    }
    txn_result_parse(d->txn, result, error, &tr);
    if (tr && txn_result_ok(tr)) {
        on_success(d, tr);
    } else if (tr) {
        on_failure(d, tr);
    } else {
        mdb_drop_txn(d);
        mdb_mark_all(d);
    }
    txn_result_destroy(tr);
    registry_sync_figures(d);
}
