/* Transaction builder and reply parser; see txn.h. */
#include "ovsdb/txn.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonutil.h"
#include "ovsdb/datum.h"

struct txn {
    char *db;
    json_t *ops;  /* array of operation objects */
    char **names; /* uuid-name per operation, or NULL */
    size_t cap;   /* capacity of 'names' */
};

struct txn_result {
    json_t *result; /* our reference to the reply's result */
    size_t n_ops;
    char **names; /* copy of the txn's uuid-names, n_ops entries */
    bool ok;
    long long failed;
    char *error;
    char *details;
};

static const char *const functions[] = {"==", "!=", "<", "<=", ">", ">=",
                                        "includes", "excludes", NULL};
static const char *const mutators[] = {"+=", "-=", "*=", "/=", "%=",
                                       "insert", "delete", NULL};

static bool
in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++) {
        if (!strcmp(s, *list)) {
            return true;
        }
    }
    return false;
}

static bool
is_id(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_')) {
        return false;
    }
    while (*++s) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

struct txn *
txn_create(const char *database)
{
    struct txn *t = calloc(1, sizeof *t);

    if (!t || !database || !(t->db = strdup(database)) ||
        !(t->ops = json_array())) {
        txn_destroy(t);
        return NULL;
    }
    return t;
}

void
txn_destroy(struct txn *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < json_array_size(t->ops); i++) {
        free(t->names[i]);
    }
    free(t->names);
    json_decref(t->ops);
    free(t->db);
    free(t);
}

size_t
txn_n_ops(const struct txn *t)
{
    return json_array_size(t->ops);
}

/* Appends 'op' (taken) with uuid-name 'name' (copied, may be NULL). */
static int
append_op(struct txn *t, json_t *op, const char *name)
{
    size_t n = json_array_size(t->ops);
    char *copy = NULL;

    if (!op || (name && !(copy = strdup(name)))) {
        json_decref(op);
        return -ENOMEM;
    }
    if (n >= TXN_MAX_OPS) {
        json_decref(op);
        free(copy);
        return -E2BIG;
    }
    if (n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **names = realloc(t->names, cap * sizeof *names);
        if (!names) {
            json_decref(op);
            free(copy);
            return -ENOMEM;
        }
        t->names = names;
        t->cap = cap;
    }
    if (json_array_append_new(t->ops, op)) {
        free(copy);
        return -ENOMEM;
    }
    t->names[n] = copy;
    return (int)n;
}

int
txn_add_op(struct txn *t, json_t *op)
{
    if (!json_is_object(op) || !ju_str(op, "op")) {
        json_decref(op);
        return -EINVAL;
    }
    return append_op(t, op, NULL);
}

const char *
txn_op_uuid_name(const struct txn *t, size_t i)
{
    return i < txn_n_ops(t) ? t->names[i] : NULL;
}

static bool
name_used(const struct txn *t, const char *name)
{
    for (size_t i = 0; i < txn_n_ops(t); i++) {
        if (t->names[i] && !strcmp(t->names[i], name)) {
            return true;
        }
    }
    return false;
}

int
txn_insert(struct txn *t, const char *table, json_t *row,
           const char *uuid_name)
{
    if (!table || !json_is_object(row) || (uuid_name && !is_id(uuid_name))) {
        json_decref(row);
        return -EINVAL;
    }
    if (uuid_name && name_used(t, uuid_name)) {
        json_decref(row);
        return -EEXIST;
    }
    json_t *op = json_pack("{s:s,s:s,s:o}", "op", "insert", "table", table,
                           "row", row);
    if (op && uuid_name &&
        json_object_set_new(op, "uuid-name", json_string(uuid_name))) {
        json_decref(op);
        op = NULL;
    }
    return append_op(t, op, uuid_name);
}

/* Builds {"op": op, "table": table, "where": where} (taking 'where'). */
static json_t *
where_op(const char *op, const char *table, json_t *where)
{
    if (!where) {
        where = json_array();
    }
    if (!table || !json_is_array(where)) {
        json_decref(where);
        return NULL;
    }
    return json_pack("{s:s,s:s,s:o}", "op", op, "table", table, "where",
                     where);
}

/* Adds member 'key' = 'value' (taken) to 'op' and appends it. */
static int
append_with(struct txn *t, json_t *op, const char *key, json_t *value)
{
    if (!op || !value || json_object_set_new(op, key, value)) {
        json_decref(op);
        return -EINVAL;
    }
    return append_op(t, op, NULL);
}

int
txn_update(struct txn *t, const char *table, json_t *where, json_t *row)
{
    if (!json_is_object(row)) {
        json_decref(where);
        json_decref(row);
        return -EINVAL;
    }
    return append_with(t, where_op("update", table, where), "row", row);
}

int
txn_mutate(struct txn *t, const char *table, json_t *where,
           json_t *mutations)
{
    if (!json_is_array(mutations)) {
        json_decref(where);
        json_decref(mutations);
        return -EINVAL;
    }
    return append_with(t, where_op("mutate", table, where), "mutations",
                       mutations);
}

int
txn_delete(struct txn *t, const char *table, json_t *where)
{
    json_t *op = where_op("delete", table, where);

    return op ? append_op(t, op, NULL) : -EINVAL;
}

int
txn_select(struct txn *t, const char *table, json_t *where, json_t *columns)
{
    json_t *op = where_op("select", table, where);

    if (!columns) {
        return op ? append_op(t, op, NULL) : -EINVAL;
    }
    if (!json_is_array(columns)) {
        json_decref(op);
        json_decref(columns);
        return -EINVAL;
    }
    return append_with(t, op, "columns", columns);
}

int
txn_wait(struct txn *t, const char *table, json_t *where, json_t *columns,
         const char *until, json_t *rows, long long timeout_ms)
{
    json_t *op = where_op("wait", table, where);

    if (!op || !json_is_array(columns) || !json_is_array(rows) ||
        !until || (strcmp(until, "==") && strcmp(until, "!="))) {
        json_decref(op);
        json_decref(columns);
        json_decref(rows);
        return -EINVAL;
    }
    if (json_object_set_new(op, "columns", columns) ||
        json_object_set_new(op, "until", json_string(until)) ||
        (timeout_ms >= 0 &&
         json_object_set_new(op, "timeout", json_integer(timeout_ms)))) {
        json_decref(op);
        json_decref(rows);
        return -ENOMEM;
    }
    return append_with(t, op, "rows", rows);
}

int
txn_comment(struct txn *t, const char *comment)
{
    if (!comment) {
        return -EINVAL;
    }
    return append_op(t, json_pack("{s:s,s:s}", "op", "comment", "comment",
                                  comment), NULL);
}

int
txn_commit(struct txn *t, bool durable)
{
    return append_op(t, json_pack("{s:s,s:b}", "op", "commit", "durable",
                                  durable), NULL);
}

const char *
txn_op_name(const struct txn *t, size_t i)
{
    return ju_str(json_array_get(t->ops, i), "op");
}

const char *
txn_op_table(const struct txn *t, size_t i)
{
    return ju_str(json_array_get(t->ops, i), "table");
}

json_t *
txn_params(const struct txn *t)
{
    json_t *p = json_array();

    if (!p || json_array_append_new(p, json_string(t->db)) ||
        json_array_extend(p, t->ops)) {
        json_decref(p);
        return NULL;
    }
    return p;
}

json_t *
txn_cond(const char *column, const char *function, json_t *value)
{
    if (!column || !in_list(function, functions) || !value) {
        json_decref(value);
        return NULL;
    }
    return json_pack("[s,s,o]", column, function, value);
}

json_t *
txn_where_uuid(const char *uuid)
{
    json_t *u = datum_uuid(uuid);
    json_t *c = u ? txn_cond("_uuid", "==", u) : NULL;

    return c ? json_pack("[o]", c) : NULL;
}

json_t *
txn_mutation(const char *column, const char *mutator, json_t *value)
{
    if (!column || !in_list(mutator, mutators) || !value) {
        json_decref(value);
        return NULL;
    }
    return json_pack("[s,s,o]", column, mutator, value);
}

/* ---- Replies ---- */

/* Records the failure of operation 'idx' described by 'err_obj'. */
static int
set_failure(struct txn_result *res, long long idx, const char *error,
            const char *details)
{
    res->ok = false;
    res->failed = idx;
    free(res->error);
    free(res->details);
    res->error = strdup(error ? error : "unknown error");
    res->details = strdup(details ? details : "");
    return res->error && res->details ? 0 : -ENOMEM;
}

/* Looks for the first element carrying "error". */
static int
scan_results(struct txn_result *res)
{
    size_t n = json_array_size(res->result);

    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(res->result, i);
        if (json_is_null(e)) {
            continue; /* not executed after an earlier failure */
        }
        if (!json_is_object(e)) {
            set_failure(res, -1, "malformed reply",
                        "result element is not an object");
            return -EPROTO;
        }
        json_t *err = json_object_get(e, "error");
        if (err && !json_is_null(err)) {
            const char *text = json_string_value(err);
            return set_failure(res, (long long)i,
                               text ? text : "malformed error",
                               ju_str(e, "details"));
        }
    }
    if (n < res->n_ops) {
        return set_failure(res, (long long)n, "not executed",
                           "the reply holds fewer results than operations");
    }
    return 0;
}

/* Describes a JSON-RPC level error (any JSON) in 'res'. */
static int
rpc_failure(struct txn_result *res, const json_t *rpc_error)
{
    char *text = json_is_string(rpc_error)
                     ? strdup(json_string_value(rpc_error))
                     : ju_dump(rpc_error);
    int r = set_failure(res, -1, text ? text : "JSON-RPC error",
                        ju_str(rpc_error, "details"));

    free(text);
    return r;
}

int
txn_result_parse(const struct txn *t, const json_t *result,
                 const json_t *rpc_error, struct txn_result **out)
{
    struct txn_result *res = calloc(1, sizeof *res);
    size_t n_ops = txn_n_ops(t);

    *out = NULL;
    if (!res || !(res->names = calloc(n_ops + 1, sizeof *res->names))) {
        free(res);
        return -ENOMEM;
    }
    res->n_ops = n_ops;
    res->ok = true;
    res->failed = -1;
    *out = res;
    for (size_t i = 0; i < n_ops; i++) {
        if (t->names[i] && !(res->names[i] = strdup(t->names[i]))) {
            return -ENOMEM;
        }
    }
    if (rpc_error && !json_is_null(rpc_error)) {
        return rpc_failure(res, rpc_error);
    }
    if (!json_is_array(result)) {
        set_failure(res, -1, "malformed reply", "result is not an array");
        return -EPROTO;
    }
    res->result = json_incref((json_t *)result);
    return scan_results(res);
}

void
txn_result_destroy(struct txn_result *res)
{
    if (!res) {
        return;
    }
    for (size_t i = 0; i < res->n_ops; i++) {
        free(res->names[i]);
    }
    free(res->names);
    json_decref(res->result);
    free(res->error);
    free(res->details);
    free(res);
}

bool
txn_result_ok(const struct txn_result *res)
{
    return res->ok;
}

long long
txn_result_failed_op(const struct txn_result *res)
{
    return res->failed;
}

const char *
txn_result_error(const struct txn_result *res)
{
    return res->error ? res->error : "";
}

const char *
txn_result_details(const struct txn_result *res)
{
    return res->details ? res->details : "";
}

const json_t *
txn_result_op(const struct txn_result *res, size_t op)
{
    json_t *e = op < res->n_ops ? json_array_get(res->result, op) : NULL;

    return json_is_object(e) ? e : NULL;
}

const char *
txn_result_insert_uuid(const struct txn_result *res, size_t op)
{
    const json_t *e = txn_result_op(res, op);

    return e ? datum_get_uuid(json_object_get(e, "uuid")) : NULL;
}

const char *
txn_result_uuid_for_name(const struct txn_result *res, const char *name)
{
    for (size_t i = 0; name && i < res->n_ops; i++) {
        if (res->names[i] && !strcmp(res->names[i], name)) {
            return txn_result_insert_uuid(res, i);
        }
    }
    return NULL;
}

long long
txn_result_count(const struct txn_result *res, size_t op)
{
    const json_t *e = txn_result_op(res, op);
    const json_t *c = e ? json_object_get(e, "count") : NULL;

    return json_is_integer(c) ? json_integer_value(c) : -1;
}

const json_t *
txn_result_rows(const struct txn_result *res, size_t op)
{
    const json_t *e = txn_result_op(res, op);
    const json_t *rows = e ? json_object_get(e, "rows") : NULL;

    return json_is_array(rows) ? rows : NULL;
}
