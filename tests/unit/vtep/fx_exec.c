/* fx_exec(): applies a produced transaction to the test replica the way
 * ovsdb-server would, and fails the test on what the server would reject
 * (dangling references, the Physical_Locator and Logical_Switch indexes,
 * deleting a referenced Logical_Switch) or silently drop (a locator or set
 * inserted and left unreferenced).  See fixture.h. */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "vtep/names.h"

struct exec {
    struct fx *f;
    json_t *names;    /* uuid-name → uuid */
    json_t *inserted; /* uuid → table */
};

/* A deep copy of 'v' with named UUIDs replaced by real ones. */
static json_t *
resolve(const struct exec *x, const json_t *v)
{
    const char *n = datum_get_named_uuid(v);

    if (n && json_is_array(v) && json_array_size(v) == 2 &&
        json_is_string(json_array_get(v, 0))) {
        const char *u = json_string_value(json_object_get(x->names, n));
        if (!u) {
            fail_msg("unknown named-uuid %s", n);
        }
        return datum_uuid(u);
    }
    json_t *copy = json_deep_copy(v);
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_array_set_new(copy, i, resolve(x, json_array_get(v, i)));
        }
    } else if (json_is_object(v)) {
        const char *k;
        json_t *e;
        json_object_foreach ((json_t *)v, k, e) {
            json_object_set_new(copy, k, resolve(x, e));
        }
    }
    return copy;
}

static void
put(struct exec *x, const char *table, const char *uuid, json_t *row)
{
    json_t *u = json_pack("{s:{s:{s:o}}}", table, uuid, "new", row);

    assert_int_equal(replica_apply(x->f->r, u), 0);
    json_decref(u);
}

static void
del(struct exec *x, const char *table, const char *uuid)
{
    json_t *u = json_pack("{s:{s:{s:{}}}}", table, uuid, "old");

    assert_int_equal(replica_apply(x->f->r, u), 0);
    json_decref(u);
}

static bool
cond_true(const struct replica_row *row, const json_t *cond)
{
    const char *c = json_string_value(json_array_get(cond, 0));
    const char *fn = json_string_value(json_array_get(cond, 1));
    const json_t *v = json_array_get(cond, 2);

    assert_string_equal(fn, "==");
    if (!strcmp(c, "_uuid")) {
        return !strcasecmp(replica_row_uuid(row), datum_get_uuid(v));
    }
    return datum_equal(replica_row_get(row, c), v);
}

/* The UUIDs of the rows of 'table' matching 'where' (a new array). */
static json_t *
match(const struct exec *x, const char *table, const json_t *where)
{
    const struct replica_table *t = replica_table(x->f->r, table);
    json_t *out = json_array();

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        bool ok = true;
        for (size_t i = 0; i < json_array_size(where) && ok; i++) {
            ok = cond_true(row, json_array_get(where, i));
        }
        if (ok) {
            json_array_append_new(out, json_string(replica_row_uuid(row)));
        }
    }
    return out;
}

/* Fails unless every reference in 'v' (column 'col' of a row) names an
 * existing row of the referenced table. */
static void
check_refs(const struct exec *x, const char *col, const json_t *v)
{
    static const char *const refs[][2] = {
        {VTEP_C_LOGICAL_SWITCH, VTEP_T_LS},
        {VTEP_C_LOCATOR, VTEP_T_LOCATOR},
        {VTEP_C_LOCATOR_SET, VTEP_T_LOCATOR_SET},
        {VTEP_C_LOCATORS, VTEP_T_LOCATOR},
    };
    const json_t *e;

    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
        if (strcmp(col, refs[i][0])) {
            continue;
        }
        if (datum_count(v) == 0) {
            fail_msg("column %s is empty (min 1)", col);
        }
        for (size_t k = 0; (e = datum_set_at(v, k)); k++) {
            const char *u = datum_get_uuid(e);
            if (!u || !replica_find(x->f->r, refs[i][1], u)) {
                fail_msg("%s refers to a missing %s row", col, refs[i][1]);
            }
        }
    }
}

static void
check_row_refs(const struct exec *x, const json_t *row)
{
    const char *k;
    json_t *v;

    json_object_foreach ((json_t *)row, k, v) {
        check_refs(x, k, v);
    }
}

/* The server's indexes that l2gw can violate. */
static void
check_indexes(const struct exec *x, const char *table, const json_t *row)
{
    if (!strcmp(table, VTEP_T_LOCATOR)) {
        json_t *key = json_object_get(row, VTEP_C_TUNNEL_KEY);
        json_t *where = json_pack(
            "[[s,s,O],[s,s,O],[s,s,o]]", VTEP_C_ENCAP, "==",
            json_object_get(row, VTEP_C_ENCAP), VTEP_C_DST_IP, "==",
            json_object_get(row, VTEP_C_DST_IP), VTEP_C_TUNNEL_KEY, "==",
            key ? json_incref(key) : datum_set_new());
        json_t *m = match(x, table, where);
        if (json_array_size(m) > 1) {
            fail_msg("Physical_Locator index violated");
        }
        json_decref(m);
        json_decref(where);
    } else if (!strcmp(table, VTEP_T_LS)) {
        json_t *where = json_pack("[[s,s,O]]", VTEP_C_NAME, "==",
                                  json_object_get(row, VTEP_C_NAME));
        json_t *m = match(x, table, where);
        if (json_array_size(m) > 1) {
            fail_msg("Logical_Switch name index violated");
        }
        json_decref(m);
        json_decref(where);
    }
}

static void
exec_insert(struct exec *x, const char *table, const json_t *op)
{
    char uuid[40];
    const char *name = json_string_value(json_object_get(op, "uuid-name"));
    json_t *row = resolve(x, json_object_get(op, "row"));

    snprintf(uuid, sizeof uuid, "eeeeeeee-0000-4000-8000-%012x",
             ++x->f->next_uuid);
    if (name) {
        assert_null(json_object_get(x->names, name));
        json_object_set_new(x->names, name, json_string(uuid));
    }
    check_row_refs(x, row);
    json_object_set_new(x->inserted, uuid, json_string(table));
    put(x, table, uuid, json_incref(row));
    check_indexes(x, table, row);
    json_decref(row);
}

/* The map 'cur' after mutation [col, mutator, arg] (a new value). */
static json_t *
mutate_map(const json_t *cur, const char *mutator, const json_t *arg)
{
    json_t *out = datum_map_new();
    const json_t *k, *v, *ak, *av;
    bool is_map = datum_is_map(arg);

    for (size_t i = 0; datum_map_at(cur, i, &k, &v); i++) {
        bool drop = false;
        if (!strcmp(mutator, "delete") && is_map) {
            const json_t *want = datum_map_get(arg, k);
            drop = want && datum_equal(want, v);
        } else if (!strcmp(mutator, "delete")) {
            drop = datum_set_contains(arg, k);
        }
        if (!drop) {
            datum_map_add(out, json_incref((json_t *)k),
                          json_incref((json_t *)v));
        }
    }
    for (size_t i = 0; !strcmp(mutator, "insert") &&
                       datum_map_at(arg, i, &ak, &av); i++) {
        if (!datum_map_get(out, ak)) {
            datum_map_add(out, json_incref((json_t *)ak),
                          json_incref((json_t *)av));
        }
    }
    return out;
}

static void
exec_mutate(struct exec *x, const char *table, const char *uuid,
            const json_t *muts)
{
    const struct replica_row *row = replica_find(x->f->r, table, uuid);
    json_t *cols = json_object();

    for (size_t i = 0; i < json_array_size(muts); i++) {
        const json_t *m = json_array_get(muts, i);
        const char *col = json_string_value(json_array_get(m, 0));
        const char *mutator = json_string_value(json_array_get(m, 1));
        json_t *arg = resolve(x, json_array_get(m, 2));
        const json_t *cur = json_object_get(cols, col);
        if (!cur) {
            cur = replica_row_get(row, col);
        }
        json_t *next = mutate_map(cur, mutator, arg);
        if (!strcmp(col, VTEP_C_VLAN_BINDINGS)) {
            const json_t *k, *v;
            for (size_t p = 0; datum_map_at(next, p, &k, &v); p++) {
                check_refs(x, VTEP_C_LOGICAL_SWITCH, v);
            }
        }
        json_object_set_new(cols, col, next);
        json_decref(arg);
    }
    put(x, table, uuid, cols);
}

/* Fails if Logical_Switch 'uuid' is still referenced. */
static void
check_ls_unreferenced(const struct exec *x, const char *uuid)
{
    static const char *const tables[] = {VTEP_T_UCAST_LOCAL,
                                         VTEP_T_UCAST_REMOTE,
                                         VTEP_T_MCAST_LOCAL,
                                         VTEP_T_MCAST_REMOTE};
    json_t *ref = datum_uuid(uuid);
    const struct replica_table *t = replica_table(x->f->r, VTEP_T_PORT);

    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        json_t *where = json_pack("[[s,s,O]]", VTEP_C_LOGICAL_SWITCH, "==",
                                  ref);
        json_t *m = match(x, tables[i], where);
        if (json_array_size(m)) {
            fail_msg("deleting Logical_Switch %s still referenced by %s",
                     uuid, tables[i]);
        }
        json_decref(m);
        json_decref(where);
    }
    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        const json_t *k, *v;
        const json_t *map = replica_row_get(row, VTEP_C_VLAN_BINDINGS);
        for (size_t p = 0; datum_map_at(map, p, &k, &v); p++) {
            if (datum_equal(v, ref)) {
                fail_msg("deleting Logical_Switch %s still bound", uuid);
            }
        }
    }
    json_decref(ref);
}

static void
exec_op(struct exec *x, const json_t *op)
{
    const char *kind = json_string_value(json_object_get(op, "op"));
    const char *table = json_string_value(json_object_get(op, "table"));

    if (!strcmp(kind, "commit")) {
        return;
    }
    if (!strcmp(kind, "insert")) {
        exec_insert(x, table, op);
        return;
    }
    json_t *where = resolve(x, json_object_get(op, "where"));
    json_t *rows = match(x, table, where);
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const char *uuid = json_string_value(json_array_get(rows, i));
        if (!strcmp(kind, "update")) {
            json_t *row = resolve(x, json_object_get(op, "row"));
            check_row_refs(x, row);
            put(x, table, uuid, row);
        } else if (!strcmp(kind, "mutate")) {
            exec_mutate(x, table, uuid, json_object_get(op, "mutations"));
        } else if (!strcmp(kind, "delete")) {
            if (!strcmp(table, VTEP_T_LS)) {
                check_ls_unreferenced(x, uuid);
            }
            del(x, table, uuid);
        } else {
            fail_msg("unexpected operation %s", kind);
        }
    }
    json_decref(rows);
    json_decref(where);
}

/* True if some row of 'table' refers to 'uuid' in 'col'. */
static bool
referenced(const struct fx *f, const char *table, const char *col,
           const char *uuid)
{
    const struct replica_table *t = replica_table(f->r, table);
    json_t *ref = datum_uuid(uuid);
    bool found = false;

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row && !found; row = replica_table_next(t, row)) {
        found = datum_set_contains(replica_row_get(row, col), ref);
    }
    json_decref(ref);
    return found;
}

/* Deletes unreferenced rows of 'table' (a non-root table) as the server's
 * garbage collection does; fails if one was inserted by this txn. */
static void
collect_garbage(struct exec *x, const char *table,
                const char *const (*users)[2], size_t n_users)
{
    const struct replica_table *t = replica_table(x->f->r, table);
    json_t *dead = json_array();

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        bool used = false;
        for (size_t i = 0; i < n_users && !used; i++) {
            used = referenced(x->f, users[i][0], users[i][1],
                              replica_row_uuid(row));
        }
        if (!used) {
            if (json_object_get(x->inserted, replica_row_uuid(row))) {
                fail_msg("%s row inserted by the txn is unreferenced at "
                         "commit (the server would drop it)", table);
            }
            json_array_append_new(dead, json_string(replica_row_uuid(row)));
        }
    }
    for (size_t i = 0; i < json_array_size(dead); i++) {
        del(x, table, json_string_value(json_array_get(dead, i)));
    }
    json_decref(dead);
}

void
fx_exec(struct fx *f)
{
    static const char *const set_users[][2] = {
        {VTEP_T_MCAST_REMOTE, VTEP_C_LOCATOR_SET},
        {VTEP_T_MCAST_LOCAL, VTEP_C_LOCATOR_SET},
    };
    static const char *const loc_users[][2] = {
        {VTEP_T_UCAST_REMOTE, VTEP_C_LOCATOR},
        {VTEP_T_UCAST_LOCAL, VTEP_C_LOCATOR},
        {VTEP_T_LOCATOR_SET, VTEP_C_LOCATORS},
    };
    struct exec x = {f, json_object(), json_object()};
    json_t *ops = fx_ops(f);

    fx_check_refs(f);
    for (size_t i = 0; i < json_array_size(ops); i++) {
        exec_op(&x, json_array_get(ops, i));
    }
    collect_garbage(&x, VTEP_T_LOCATOR_SET, set_users, 2);
    collect_garbage(&x, VTEP_T_LOCATOR, loc_users, 3);
    json_decref(ops);
    json_decref(x.names);
    json_decref(x.inserted);
}

int
fx_converge(struct fx *f, int max_passes)
{
    for (int pass = 0; pass < max_passes; pass++) {
        fx_run(f);
        if (!f->res.n_ops) {
            fx_record(f);
            return pass;
        }
        fx_record(f);
        fx_exec(f);
    }
    fail_msg("no convergence after %d passes", max_passes);
    return -1;
}
