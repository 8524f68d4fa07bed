/* Test fixture of the vtep unit tests; see fixture.h. */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/txn.h"
#include "vtep/names.h"

json_t *
fx_json(const char *sq)
{
    char *s = strdup(sq);
    json_error_t err;

    assert_non_null(s);
    for (char *p = s; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    json_t *j = json_loads(s, JSON_DECODE_ANY, &err);
    if (!j) {
        fail_msg("bad test JSON (%s): %s", err.text, s);
    }
    free(s);
    return j;
}

void
fx_init(struct fx *f)
{
    memset(f, 0, sizeof *f);
    f->r = replica_create();
    assert_non_null(f->r);
    vtep_desired_init(&f->d);
    f->o.database = VTEP_DATABASE;
    f->o.name = "test-db";
    f->o.owner_id = FX_OWNER;
    f->o.adopt = true;
    f->o.owner_mark = true;
    f->o.has_replication_mode = true;
}

void
fx_destroy(struct fx *f)
{
    vtep_result_destroy(&f->res);
    vtep_desired_destroy(&f->d);
    replica_destroy(f->r);
    for (size_t i = 0; i < FX_MAX_OWNED; i++) {
        free(f->owned_copies[i]);
    }
}

static void
apply_json(struct fx *f, json_t *j)
{
    assert_int_equal(replica_apply(f->r, j), 0);
    json_decref(j);
}

void
fx_apply(struct fx *f, const char *sq)
{
    apply_json(f, fx_json(sq));
}

/* Applies {table: {uuid: {"new": row}}} (taking 'row'). */
static void
put_row(struct fx *f, const char *table, const char *uuid, json_t *row)
{
    assert_non_null(row);
    apply_json(f, json_pack("{s:{s:{s:o}}}", table, uuid, "new", row));
}

void
fx_ls(struct fx *f, const char *uuid, const char *name, long long key,
      const char *mark)
{
    json_t *oc = datum_map_new();

    if (mark) {
        datum_map_add_str(oc, VTEP_OWNER_KEY, mark);
    }
    put_row(f, VTEP_T_LS, uuid,
            json_pack("{s:s,s:s,s:o,s:s,s:o}", "name", name, "description",
                      "", "tunnel_key",
                      key == VTEP_NO_KEY ? datum_set_new() : json_integer(key),
                      "replication_mode", "source_node", "other_config", oc));
}

void
fx_loc(struct fx *f, const char *uuid, const char *ip, long long key)
{
    put_row(f, VTEP_T_LOCATOR, uuid,
            json_pack("{s:s,s:s,s:o}", "encapsulation_type", "vxlan_over_ipv4",
                      "dst_ip", ip, "tunnel_key",
                      key == VTEP_NO_KEY ? datum_set_new()
                                         : json_integer(key)));
}

void
fx_ucast(struct fx *f, const char *uuid, const char *ls, const char *mac,
         const char *ip, const char *loc)
{
    put_row(f, VTEP_T_UCAST_REMOTE, uuid,
            json_pack("{s:s,s:o,s:o,s:s}", "MAC", mac, "logical_switch",
                      datum_uuid(ls), "locator", datum_uuid(loc), "ipaddr",
                      ip));
}

void
fx_local(struct fx *f, const char *uuid, const char *ls, const char *mac,
         const char *loc)
{
    put_row(f, VTEP_T_UCAST_LOCAL, uuid,
            json_pack("{s:s,s:o,s:o,s:s}", "MAC", mac, "logical_switch",
                      datum_uuid(ls), "locator", datum_uuid(loc), "ipaddr",
                      ""));
}

void
fx_set(struct fx *f, const char *uuid, const char *loc1, const char *loc2)
{
    json_t *set = datum_set_new();

    datum_set_add(set, datum_uuid(loc1));
    if (loc2) {
        datum_set_add(set, datum_uuid(loc2));
    }
    put_row(f, VTEP_T_LOCATOR_SET, uuid, json_pack("{s:o}", "locators", set));
}

void
fx_mcast(struct fx *f, const char *uuid, const char *ls, const char *mac,
         const char *set)
{
    put_row(f, VTEP_T_MCAST_REMOTE, uuid,
            json_pack("{s:s,s:o,s:o,s:s}", "MAC", mac, "logical_switch",
                      datum_uuid(ls), "locator_set", datum_uuid(set),
                      "ipaddr", ""));
}

void
fx_switch(struct fx *f, const char *ps_uuid, const char *ps, const char *u1,
          const char *p1, const char *u2, const char *p2)
{
    json_t *ports = datum_set_new();

    datum_set_add(ports, datum_uuid(u1));
    put_row(f, VTEP_T_PORT, u1, json_pack("{s:s,s:o}", "name", p1,
                                          "vlan_bindings", datum_map_new()));
    if (u2) {
        datum_set_add(ports, datum_uuid(u2));
        put_row(f, VTEP_T_PORT, u2,
                json_pack("{s:s,s:o}", "name", p2, "vlan_bindings",
                          datum_map_new()));
    }
    put_row(f, VTEP_T_PS, ps_uuid, json_pack("{s:s,s:o}", "name", ps,
                                             "ports", ports));
}

void
fx_bindings(struct fx *f, const char *uuid, const char *map_sq)
{
    put_row(f, VTEP_T_PORT, uuid,
            json_pack("{s:o}", "vlan_bindings", fx_json(map_sq)));
}

void
fx_delete(struct fx *f, const char *table, const char *uuid)
{
    apply_json(f, json_pack("{s:{s:{s:{}}}}", table, uuid, "old"));
}

/* ---- Desired state ---- */

struct vtep_ls *
fx_want_ls(struct fx *f, const char *name, long long key)
{
    struct vtep_ls *ls = vtep_desired_ls(&f->d, name, "", key);

    assert_non_null(ls);
    return ls;
}

void
fx_want_mac(struct vtep_ls *ls, const char *mac, const char *ip,
            const char *loc_ip, long long loc_key, const char *owner,
            long long rank)
{
    struct vtep_locator l = {.key = loc_key};

    snprintf(l.ip, sizeof l.ip, "%s", loc_ip);
    assert_int_equal(vtep_ls_add_mac(ls, mac, ip, &l, owner, rank), 0);
}

void
fx_want_flood(struct vtep_ls *ls, const char *ip, long long key)
{
    struct vtep_locator l = {.key = key};

    snprintf(l.ip, sizeof l.ip, "%s", ip);
    assert_int_equal(vtep_ls_add_flood(ls, &l), 0);
}

void
fx_want_binding(struct vtep_ls *ls, const char *ps, const char *port,
                int vlan, const char *conn)
{
    assert_int_equal(vtep_ls_add_binding(ls, ps, port, vlan, conn), 0);
}

void
fx_own(struct fx *f, const char *name)
{
    assert_true(f->n_owned < FX_MAX_OWNED);
    f->owned[f->n_owned++] = name;
}

static bool
is_owned(const struct fx *f, const char *name, size_t *at)
{
    for (size_t i = 0; i < f->n_owned; i++) {
        if (!strcmp(f->owned[i], name)) {
            *at = i;
            return true;
        }
    }
    return false;
}

void
fx_record(struct fx *f)
{
    size_t at;

    for (size_t i = 0; i < f->res.n_record; i++) {
        if (!is_owned(f, f->res.record[i], &at)) {
            size_t slot = 0;
            while (slot < FX_MAX_OWNED && f->owned_copies[slot]) {
                slot++;
            }
            assert_true(slot < FX_MAX_OWNED);
            f->owned_copies[slot] = strdup(f->res.record[i]);
            fx_own(f, f->owned_copies[slot]);
        }
    }
    for (size_t i = 0; i < f->res.n_forget; i++) {
        if (is_owned(f, f->res.forget[i], &at)) {
            f->owned[at] = f->owned[--f->n_owned];
        }
    }
}

/* ---- Running and asserting ---- */

/* Asserts that two results are the same. */
static void
same_result(const struct vtep_result *a, const struct vtep_result *b)
{
    json_t *pa = a->txn ? txn_params(a->txn) : json_null();
    json_t *pb = b->txn ? txn_params(b->txn) : json_null();

    assert_true(json_equal(pa, pb));
    json_decref(pa);
    json_decref(pb);
    assert_int_equal(a->n_record, b->n_record);
    assert_int_equal(a->n_forget, b->n_forget);
    assert_int_equal(a->n_problems, b->n_problems);
    for (size_t i = 0; i < a->n_problems; i++) {
        assert_string_equal(a->problems[i].reason, b->problems[i].reason);
    }
    assert_int_equal(a->n_ls, b->n_ls);
    for (size_t i = 0; i < a->n_ls; i++) {
        assert_int_equal(a->ls_converged[i], b->ls_converged[i]);
    }
    assert_int_equal(a->truncated, b->truncated);
    assert_int_equal(a->waiting, b->waiting);
}

void
fx_run(struct fx *f)
{
    struct vtep_result again;

    vtep_result_destroy(&f->res);
    assert_int_equal(vtep_reconcile(&f->d, f->r, f->owned, f->n_owned, &f->o,
                                    &f->res),
                     0);
    assert_int_equal(vtep_reconcile(&f->d, f->r, f->owned, f->n_owned, &f->o,
                                    &again),
                     0);
    same_result(&f->res, &again);
    vtep_result_destroy(&again);
    fx_check_refs(f);
    assert_int_equal(f->res.n_ls, f->d.n_ls);
    assert_int_equal(f->res.n_ops, f->res.txn ? txn_n_ops(f->res.txn) : 0);
    if (f->res.txn) {
        assert_true(f->res.n_ops > 0);
    }
}

json_t *
fx_ops(const struct fx *f)
{
    if (!f->res.txn) {
        return json_array();
    }
    json_t *p = txn_params(f->res.txn);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_array_get(p, 0)),
                        VTEP_DATABASE);
    json_array_remove(p, 0);
    return p;
}

void
fx_assert_ops(const struct fx *f, const char *sq)
{
    json_t *want = fx_json(sq), *got = fx_ops(f);

    if (!json_equal(want, got)) {
        char *w = json_dumps(want, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        char *g = json_dumps(got, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        print_error("expected operations:\n%s\ngot:\n%s\n", w, g);
        free(w);
        free(g);
        fail_msg("operations differ");
    }
    json_decref(want);
    json_decref(got);
}

/* Calls 'fn' on every ["named-uuid", n] inside 'v'. */
static void
walk_named(const json_t *v, void (*fn)(const char *name, void *aux),
           void *aux)
{
    size_t i;
    const char *k;
    json_t *x;

    if (json_is_array(v)) {
        const char *n = datum_get_named_uuid(v);
        if (n && json_array_size(v) == 2 &&
            json_is_string(json_array_get(v, 0))) {
            fn(n, aux);
            return;
        }
        json_array_foreach (v, i, x) {
            walk_named(x, fn, aux);
        }
    } else if (json_is_object(v)) {
        json_object_foreach ((json_t *)v, k, x) {
            walk_named(x, fn, aux);
        }
    }
}

static void
must_be_defined(const char *name, void *aux)
{
    json_t *defined = aux;

    if (!json_object_get(defined, name)) {
        fail_msg("named-uuid %s used before (or without) its insert", name);
    }
    json_object_set_new(defined, name, json_integer(
        json_integer_value(json_object_get(defined, name)) + 1));
}

void
fx_check_refs(const struct fx *f)
{
    json_t *ops = fx_ops(f), *defined = json_object(), *op;
    size_t i;
    const char *k;
    json_t *v;

    json_array_foreach (ops, i, op) {
        walk_named(json_object_get(op, "row"), must_be_defined, defined);
        walk_named(json_object_get(op, "where"), must_be_defined, defined);
        walk_named(json_object_get(op, "mutations"), must_be_defined,
                   defined);
        const char *name = json_string_value(json_object_get(op, "uuid-name"));
        if (name) {
            assert_null(json_object_get(defined, name));
            json_object_set_new(defined, name, json_integer(0));
        }
    }
    /* A locator or set inserted but never referenced would vanish. */
    json_object_foreach (defined, k, v) {
        if (strncmp(k, "l2gw_ls", 7) && json_integer_value(v) == 0) {
            fail_msg("uuid-name %s is inserted but never referenced", k);
        }
    }
    json_decref(defined);
    json_decref(ops);
}

/* ---- Counting ---- */

size_t
fx_count(const struct fx *f, const char *table)
{
    const struct replica_table *t = replica_table(f->r, table);

    return t ? replica_table_count(t) : 0;
}

size_t
fx_count_where(const struct fx *f, const char *table, const char *column,
               const char *value_sq)
{
    const struct replica_table *t = replica_table(f->r, table);
    json_t *v = fx_json(value_sq);
    size_t n = 0;

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        n += datum_equal(replica_row_get(row, column), v);
    }
    json_decref(v);
    return n;
}

const char *
fx_problems(const struct fx *f)
{
    static char buf[8192];
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < f->res.n_problems && len < sizeof buf; i++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
                                i ? "\n" : "", f->res.problems[i].reason);
    }
    return buf;
}
