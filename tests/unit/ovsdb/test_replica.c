/* Unit tests of src/ovsdb/replica.c: applying <table-updates>, indexes,
 * change tracking, clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"

#define LS1 "11111111-1111-4111-8111-111111111111"
#define LS2 "22222222-2222-4222-8222-222222222222"
#define PL1 "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1"
#define PL2 "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa2"
#define PL3 "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa3"
#define M1 "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb1"
#define M2 "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb2"

static const char *initial =
    "{\"Logical_Switch\":{"
    "  \"" LS1 "\":{\"new\":{\"name\":\"net1\",\"tunnel_key\":5001,"
    "     \"description\":\"first\"}},"
    "  \"" LS2 "\":{\"new\":{\"name\":\"net2\",\"tunnel_key\":[\"set\",[]],"
    "     \"description\":\"\"}}},"
    " \"Physical_Locator\":{"
    "  \"" PL1 "\":{\"new\":{\"encapsulation_type\":\"vxlan_over_ipv4\","
    "     \"dst_ip\":\"10.0.0.1\",\"tunnel_key\":[\"set\",[]]}},"
    "  \"" PL2 "\":{\"new\":{\"encapsulation_type\":\"vxlan_over_ipv4\","
    "     \"dst_ip\":\"10.0.0.1\",\"tunnel_key\":[\"set\",[]]}},"
    "  \"" PL3 "\":{\"new\":{\"encapsulation_type\":\"vxlan_over_ipv4\","
    "     \"dst_ip\":\"10.0.0.1\",\"tunnel_key\":77}}},"
    " \"Ucast_Macs_Remote\":{"
    "  \"" M1 "\":{\"new\":{\"MAC\":\"aa:bb:cc:dd:ee:01\",\"ipaddr\":\"\","
    "     \"logical_switch\":[\"uuid\",\"" LS1 "\"],"
    "     \"locator\":[\"uuid\",\"" PL1 "\"]}},"
    "  \"" M2 "\":{\"new\":{\"MAC\":\"aa:bb:cc:dd:ee:02\",\"ipaddr\":\"\","
    "     \"logical_switch\":[\"uuid\",\"" LS1 "\"],"
    "     \"locator\":[\"uuid\",\"" PL1 "\"]}}}}";

static int
apply(struct replica *r, const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);

    if (!j) {
        fail_msg("bad test JSON: %s", err.text);
    }
    int rc = replica_apply(r, j);
    json_decref(j);
    return rc;
}

static const char *
str(const struct replica_row *row, const char *col)
{
    return datum_get_string(replica_row_get(row, col));
}

static void
test_initial_and_updates(void **state)
{
    (void)state;
    struct replica *r = replica_create();

    assert_int_equal(apply(r, initial), 0);
    assert_int_equal(replica_n_rows(r), 7);
    struct replica_table *ls = replica_table(r, "Logical_Switch");
    assert_int_equal(replica_table_count(ls), 2);
    const struct replica_row *row = replica_table_find(ls, LS1);
    assert_non_null(row);
    assert_string_equal(replica_row_uuid(row), LS1);
    assert_string_equal(str(row, "name"), "net1");
    long long key;
    assert_true(datum_get_integer(replica_row_get(row, "tunnel_key"), &key));
    assert_int_equal(key, 5001);
    /* Lookup ignores case. */
    assert_ptr_equal(replica_find(r, "Logical_Switch",
                                  "11111111-1111-4111-8111-111111111111"),
                     row);
    assert_null(replica_find(r, "Logical_Switch", "nonsense"));

    /* Modify with a partial "new": other columns stay. */
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" LS1 "\":{"
                              "\"old\":{\"description\":\"first\"},"
                              "\"new\":{\"description\":\"changed\"}}}}"),
                     0);
    row = replica_table_find(ls, LS1);
    assert_string_equal(str(row, "description"), "changed");
    assert_string_equal(str(row, "name"), "net1");
    assert_true(datum_get_integer(replica_row_get(row, "tunnel_key"), &key));

    /* RFC 7047 style modify: "new" with every column. */
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" LS2 "\":{"
                              "\"old\":{\"tunnel_key\":[\"set\",[]]},"
                              "\"new\":{\"name\":\"net2\",\"description\":\"\","
                              "\"tunnel_key\":6000}}}}"), 0);
    assert_true(datum_get_integer(
        replica_row_get(replica_table_find(ls, LS2), "tunnel_key"), &key));
    assert_int_equal(key, 6000);

    /* Delete ("old" only), insert ("new" only). */
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" LS2 "\":{"
                              "\"old\":{\"name\":\"net2\"}}}}"), 0);
    assert_null(replica_table_find(ls, LS2));
    assert_int_equal(replica_table_count(ls), 1);
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" LS2 "\":{"
                              "\"new\":{\"name\":\"again\"}}}}"), 0);
    assert_string_equal(str(replica_table_find(ls, LS2), "name"), "again");
    assert_null(replica_row_get(replica_table_find(ls, LS2), "tunnel_key"));
    /* Deleting an unknown row is harmless. */
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" M1 "\":{"
                              "\"old\":{}}}}"), 0);
    assert_int_equal(replica_n_rows(r), 7);

    /* Shared uuid values. */
    struct replica_table *mr = replica_table(r, "Ucast_Macs_Remote");
    assert_ptr_equal(replica_row_get(replica_table_find(mr, M1), "locator"),
                     replica_row_get(replica_table_find(mr, M2), "locator"));

    /* Iteration sees every row once. */
    size_t n = 0;
    for (const struct replica_row *it = replica_table_first(mr); it;
         it = replica_table_next(mr, it)) {
        n++;
    }
    assert_int_equal(n, 2);
    replica_destroy(r);
}

static void
test_indexes(void **state)
{
    (void)state;
    struct replica *r = replica_create();
    const char *cols[] = {"encapsulation_type", "dst_ip", "tunnel_key"};
    const char *name[] = {"name"};
    struct replica_index *pl_idx, *ls_idx;
    const struct replica_row *rows[4];

    assert_int_equal(replica_add_index(r, "Logical_Switch", name, 1,
                                       &ls_idx), 0);
    assert_int_equal(apply(r, initial), 0);
    /* Index added after rows exist indexes them. */
    assert_int_equal(replica_add_index(r, "Physical_Locator", cols, 3,
                                       &pl_idx), 0);

    json_t *key[3] = {json_string("vxlan_over_ipv4"), json_string("10.0.0.1"),
                      NULL};
    /* Duplicates: two locators with an empty tunnel_key (NULL = empty). */
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 2);
    assert_true(rows[0] != rows[1]);
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 1), 2); /* count beyond max */
    key[2] = json_pack("[s[i]]", "set", 77); /* set of one == atom */
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 1);
    assert_string_equal(replica_row_uuid(rows[0]), PL3);
    json_decref(key[2]);
    key[2] = NULL;

    /* Modify moves the row in the index; delete removes it. */
    assert_int_equal(apply(r, "{\"Physical_Locator\":{\"" PL2 "\":{"
                              "\"new\":{\"dst_ip\":\"10.0.0.2\"}}}}"), 0);
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 1);
    assert_string_equal(replica_row_uuid(rows[0]), PL1);
    assert_int_equal(apply(r, "{\"Physical_Locator\":{\"" PL1 "\":{"
                              "\"old\":{}}}}"), 0);
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 0);
    json_decref(key[1]);
    key[1] = json_string("10.0.0.2");
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 1);
    assert_string_equal(replica_row_uuid(rows[0]), PL2);

    json_t *nm = json_string("net2");
    assert_int_equal(replica_index_find(ls_idx, (const json_t *const *)&nm,
                                        rows, 4), 1);
    assert_string_equal(replica_row_uuid(rows[0]), LS2);
    json_decref(nm);

    /* Clear empties indexes too, and a new initial refills them. */
    replica_clear(r);
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 0);
    assert_int_equal(apply(r, initial), 0);
    json_decref(key[1]);
    key[1] = json_string("10.0.0.1");
    assert_int_equal(replica_index_find(pl_idx, (const json_t *const *)key,
                                        rows, 4), 2);
    json_decref(key[0]);
    json_decref(key[1]);
    replica_destroy(r);
}

/* Collects the change list of 't' as "X:uuid-prefix" tokens. */
static void
changes(const struct replica_table *t, char *out, size_t len)
{
    static const char code[] = "UIMD";

    out[0] = '\0';
    for (const struct replica_row *row = replica_table_changed_first(t); row;
         row = replica_table_changed_next(row)) {
        char tok[16];
        snprintf(tok, sizeof tok, "%c%.1s ", code[replica_row_change(row)],
                 replica_row_uuid(row));
        strncat(out, tok, len - strlen(out) - 1);
    }
}

static void
test_tracking(void **state)
{
    (void)state;
    struct replica *r = replica_create();
    struct replica_table *ls = replica_add_table(r, "Logical_Switch");
    char buf[128];

    replica_table_track(ls, true);
    uint64_t s0 = replica_seqno(r);
    assert_int_equal(apply(r, initial), 0);
    assert_true(replica_seqno(r) > s0);
    changes(ls, buf, sizeof buf);
    assert_true(!strcmp(buf, "I1 I2 ") || !strcmp(buf, "I2 I1 "));
    replica_table_forget_changes(ls);
    changes(ls, buf, sizeof buf);
    assert_string_equal(buf, "");

    uint64_t ts = replica_table_seqno(ls);
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" LS1 "\":{"
                              "\"new\":{\"description\":\"x\"}}}}"), 0);
    assert_true(replica_table_seqno(ls) > ts);
    assert_int_equal(replica_row_seqno(replica_table_find(ls, LS1)),
                     replica_seqno(r));
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" LS2 "\":{"
                              "\"old\":{}}}}"), 0);
    changes(ls, buf, sizeof buf);
    assert_string_equal(buf, "M1 D2 ");
    /* The tombstone is still readable. */
    const struct replica_row *t = replica_table_changed_next(
        replica_table_changed_first(ls));
    assert_string_equal(str(t, "name"), "net2");
    assert_null(replica_table_find(ls, LS2));

    /* Inserted and deleted before anyone looked: no trace. */
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" M1 "\":{"
                              "\"new\":{\"name\":\"tmp\"}}}}"), 0);
    changes(ls, buf, sizeof buf);
    assert_string_equal(buf, "M1 D2 Ib ");
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" M1 "\":{"
                              "\"old\":{}}}}"), 0);
    changes(ls, buf, sizeof buf);
    assert_string_equal(buf, "M1 D2 ");
    /* Modify after insert stays "inserted". */
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" M2 "\":{"
                              "\"new\":{\"name\":\"n\"}}}}"), 0);
    assert_int_equal(apply(r, "{\"Logical_Switch\":{\"" M2 "\":{"
                              "\"new\":{\"name\":\"m\"}}}}"), 0);
    changes(ls, buf, sizeof buf);
    assert_string_equal(buf, "M1 D2 Ib ");
    replica_table_forget_changes(ls);
    assert_int_equal(replica_row_change(replica_table_find(ls, M2)),
                     REPLICA_UNCHANGED);

    /* Untracked tables keep no list. */
    struct replica_table *pl = replica_table(r, "Physical_Locator");
    assert_null(replica_table_changed_first(pl));

    uint64_t gen = replica_generation(r);
    replica_clear(r);
    assert_int_equal(replica_generation(r), gen + 1);
    assert_int_equal(replica_n_rows(r), 0);
    assert_int_equal(replica_table_count(ls), 0);
    replica_destroy(r);
}

static void
test_schema_and_malformed(void **state)
{
    (void)state;
    struct schema *vtep;
    char err[SCHEMA_ERR_LEN];
    struct replica *r = replica_create();

    assert_int_equal(schema_load_file("/usr/share/openvswitch/vtep.ovsschema",
                                      &vtep, err), 0);
    replica_set_schema(r, vtep);
    assert_int_equal(apply(r, "{\"Bogus\":{\"" LS1 "\":{\"new\":{}}},"
                              "\"Logical_Switch\":{\"" LS1 "\":{\"new\":"
                              "{\"name\":\"a\",\"bogus\":1,"
                              "\"description\":{\"not\":\"a value\"}}}}}"),
                     0);
    assert_null(replica_table(r, "Bogus"));
    const struct replica_row *row = replica_find(r, "Logical_Switch", LS1);
    assert_string_equal(str(row, "name"), "a");
    assert_null(replica_row_get(row, "bogus"));
    assert_null(replica_row_get(row, "description"));

    const char *bad[] = {
        "[]", "{\"Logical_Switch\":[]}",
        "{\"Logical_Switch\":{\"not-a-uuid\":{\"new\":{}}}}",
        "{\"Logical_Switch\":{\"" LS1 "\":{}}}",
        "{\"Logical_Switch\":{\"" LS1 "\":{\"new\":[]}}}",
        "{\"Logical_Switch\":{\"" LS1 "\":{\"old\":1}}}",
        "{\"Logical_Switch\":{\"" LS1 "\":5}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(apply(r, bad[i]), -EPROTO);
    }
    replica_destroy(r);
    schema_destroy(vtep);
}

/* Enough rows to make the hash maps grow several times. */
static void
test_many_rows(void **state)
{
    (void)state;
    enum { N = 5000 };
    struct replica *r = replica_create();
    const char *cols[] = {"dst_ip"};
    struct replica_index *idx;
    char uuid[40];

    assert_int_equal(replica_add_index(r, "Physical_Locator", cols, 1, &idx),
                     0);
    json_t *tu = json_object();
    for (int i = 0; i < N; i++) {
        snprintf(uuid, sizeof uuid, "%08x-0000-4000-8000-000000000000", i);
        json_object_set_new(tu, uuid, json_pack("{s:{s:s,s:s}}", "new",
                                                "encapsulation_type",
                                                "vxlan_over_ipv4", "dst_ip",
                                                i % 2 ? "odd" : "even"));
    }
    json_t *up = json_pack("{s:o}", "Physical_Locator", tu);
    assert_int_equal(replica_apply(r, up), 0);
    json_decref(up);
    struct replica_table *t = replica_table(r, "Physical_Locator");
    assert_int_equal(replica_table_count(t), N);
    for (int i = 0; i < N; i++) {
        snprintf(uuid, sizeof uuid, "%08X-0000-4000-8000-000000000000", i);
        assert_non_null(replica_table_find(t, uuid));
    }
    /* Delete the odd ones. */
    tu = json_object();
    for (int i = 1; i < N; i += 2) {
        snprintf(uuid, sizeof uuid, "%08x-0000-4000-8000-000000000000", i);
        json_object_set_new(tu, uuid, json_pack("{s:{}}", "old"));
    }
    up = json_pack("{s:o}", "Physical_Locator", tu);
    assert_int_equal(replica_apply(r, up), 0);
    json_decref(up);
    size_t n = 0;
    for (const struct replica_row *row = replica_table_first(t); row;
         row = replica_table_next(t, row)) {
        long long v = strtoll(replica_row_uuid(row), NULL, 16);
        assert_int_equal(v % 2, 0);
        n++;
    }
    assert_int_equal(n, N / 2);
    json_t *even = json_string("even"), *odd = json_string("odd");
    const struct replica_row *rows[1];
    assert_int_equal(replica_index_find(idx, (const json_t *const *)&even,
                                        rows, 1), N / 2);
    assert_int_equal(replica_index_find(idx, (const json_t *const *)&odd,
                                        rows, 1), 0);
    json_decref(even);
    json_decref(odd);
    replica_destroy(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial_and_updates),
        cmocka_unit_test(test_indexes),
        cmocka_unit_test(test_tracking),
        cmocka_unit_test(test_schema_and_malformed),
        cmocka_unit_test(test_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
