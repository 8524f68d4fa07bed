/* Unit tests of src/ovsdb/txn.c: request JSON and reply parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/txn.h"

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"

static json_t *
j(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    assert_non_null(v);
    return v;
}

/* A transaction using every operation. */
static struct txn *
sample(void)
{
    struct txn *t = txn_create("hardware_vtep");

    assert_int_equal(txn_insert(t, "Logical_Switch",
                                json_pack("{s:s,s:i}", "name", "net",
                                          "tunnel_key", 5001),
                                "ls0"), 0);
    assert_int_equal(txn_insert(t, "Physical_Locator",
                                json_pack("{s:s,s:s}", "encapsulation_type",
                                          "vxlan_over_ipv4", "dst_ip",
                                          "10.0.0.1"), "pl0"), 1);
    assert_int_equal(txn_update(t, "Logical_Switch", txn_where_uuid(U1),
                                json_pack("{s:s}", "description", "d")), 2);
    json_t *bind = datum_map_new();
    datum_map_add(bind, json_integer(100), datum_named_uuid("ls0"));
    assert_int_equal(txn_mutate(t, "Physical_Port",
                                json_pack("[o]", txn_cond("name", "==",
                                                          json_string("p1"))),
                                json_pack("[o]", txn_mutation("vlan_bindings",
                                                              "insert", bind))),
                     3);
    assert_int_equal(txn_delete(t, "Ucast_Macs_Remote", txn_where_uuid(U2)),
                     4);
    assert_int_equal(txn_wait(t, "Logical_Switch",
                              json_pack("[o]", txn_cond("name", "==",
                                                        json_string("net"))),
                              json_pack("[s]", "name"), "==",
                              json_array(), 0), 5);
    assert_int_equal(txn_comment(t, "l2gw: test"), 6);
    assert_int_equal(txn_commit(t, false), 7);
    return t;
}

static void
test_build(void **state)
{
    (void)state;
    struct txn *t = sample();
    json_t *p = txn_params(t);
    json_t *expect = j(
        "[\"hardware_vtep\","
        "{\"op\":\"insert\",\"table\":\"Logical_Switch\",\"row\":{\"name\":"
        "\"net\",\"tunnel_key\":5001},\"uuid-name\":\"ls0\"},"
        "{\"op\":\"insert\",\"table\":\"Physical_Locator\",\"row\":{"
        "\"encapsulation_type\":\"vxlan_over_ipv4\",\"dst_ip\":\"10.0.0.1\"},"
        "\"uuid-name\":\"pl0\"},"
        "{\"op\":\"update\",\"table\":\"Logical_Switch\",\"where\":[[\"_uuid\","
        "\"==\",[\"uuid\",\"" U1 "\"]]],\"row\":{\"description\":\"d\"}},"
        "{\"op\":\"mutate\",\"table\":\"Physical_Port\",\"where\":[[\"name\","
        "\"==\",\"p1\"]],\"mutations\":[[\"vlan_bindings\",\"insert\",[\"map\","
        "[[100,[\"named-uuid\",\"ls0\"]]]]]]},"
        "{\"op\":\"delete\",\"table\":\"Ucast_Macs_Remote\",\"where\":[["
        "\"_uuid\",\"==\",[\"uuid\",\"" U2 "\"]]]},"
        "{\"op\":\"wait\",\"table\":\"Logical_Switch\",\"where\":[[\"name\","
        "\"==\",\"net\"]],\"columns\":[\"name\"],\"until\":\"==\",\"rows\":[],"
        "\"timeout\":0},"
        "{\"op\":\"comment\",\"comment\":\"l2gw: test\"},"
        "{\"op\":\"commit\",\"durable\":false}]");
    assert_true(json_equal(p, expect));
    json_decref(p);
    json_decref(expect);
    assert_int_equal(txn_n_ops(t), 8);
    assert_string_equal(txn_op_name(t, 3), "mutate");
    assert_string_equal(txn_op_table(t, 3), "Physical_Port");
    assert_string_equal(txn_op_uuid_name(t, 1), "pl0");
    assert_null(txn_op_uuid_name(t, 2));
    assert_null(txn_op_table(t, 6));
    txn_destroy(t);
}

static void
test_bad_arguments(void **state)
{
    (void)state;
    struct txn *t = txn_create("db");

    assert_int_equal(txn_insert(t, "T", json_object(), "x"), 0);
    assert_int_equal(txn_insert(t, "T", json_object(), "x"), -EEXIST);
    assert_int_equal(txn_insert(t, "T", json_object(), "1x"), -EINVAL);
    assert_int_equal(txn_insert(t, "T", json_array(), NULL), -EINVAL);
    assert_int_equal(txn_update(t, "T", NULL, json_array()), -EINVAL);
    assert_int_equal(txn_mutate(t, "T", NULL, json_object()), -EINVAL);
    assert_int_equal(txn_wait(t, "T", NULL, json_array(), "<", json_array(),
                              -1), -EINVAL);
    assert_null(txn_cond("c", "=~", json_string("x")));
    assert_null(txn_mutation("c", "append", json_string("x")));
    assert_null(txn_where_uuid("zzz"));
    assert_int_equal(txn_add_op(t, json_pack("{s:s}", "x", "y")), -EINVAL);
    assert_int_equal(txn_add_op(t, json_pack("{s:s}", "op", "abort")), 1);
    assert_int_equal(txn_delete(t, "T", NULL), 2); /* NULL where = [] */
    json_t *p = txn_params(t);
    json_t *del = json_array_get(p, 3);
    assert_true(json_is_array(json_object_get(del, "where")));
    json_decref(p);
    txn_destroy(t);
}

static struct txn_result *
parse(const struct txn *t, const char *result, const char *error, int rc)
{
    json_t *r = result ? j(result) : NULL, *e = error ? j(error) : NULL;
    struct txn_result *res;

    assert_int_equal(txn_result_parse(t, r, e, &res), rc);
    assert_non_null(res);
    json_decref(r);
    json_decref(e);
    return res;
}

static void
test_reply_ok(void **state)
{
    (void)state;
    struct txn *t = sample();
    struct txn_result *res = parse(
        t,
        "[{\"uuid\":[\"uuid\",\"" U1 "\"]},{\"uuid\":[\"uuid\",\"" U2 "\"]},"
        "{\"count\":1},{\"count\":2},{\"count\":0},{},{},{}]",
        "null", 0);

    assert_true(txn_result_ok(res));
    assert_string_equal(txn_result_insert_uuid(res, 0), U1);
    assert_string_equal(txn_result_uuid_for_name(res, "pl0"), U2);
    assert_null(txn_result_uuid_for_name(res, "zz"));
    assert_null(txn_result_insert_uuid(res, 2));
    assert_int_equal(txn_result_count(res, 2), 1);
    assert_int_equal(txn_result_count(res, 3), 2);
    assert_int_equal(txn_result_count(res, 0), -1);
    assert_int_equal(txn_result_count(res, 99), -1);
    assert_string_equal(txn_result_error(res), "");
    txn_result_destroy(res);
    txn_destroy(t);
}

static void
test_reply_errors(void **state)
{
    (void)state;
    struct txn *t = sample();

    /* Operation 3 failed; later operations were not executed. */
    struct txn_result *res = parse(
        t,
        "[{\"uuid\":[\"uuid\",\"" U1 "\"]},{\"uuid\":[\"uuid\",\"" U2 "\"]},"
        "{\"count\":1},{\"error\":\"constraint violation\",\"details\":"
        "\"no row\"},null,null,null,null]",
        NULL, 0);
    assert_false(txn_result_ok(res));
    assert_int_equal(txn_result_failed_op(res), 3);
    assert_string_equal(txn_result_error(res), "constraint violation");
    assert_string_equal(txn_result_details(res), "no row");
    assert_null(txn_result_op(res, 4));
    txn_result_destroy(res);

    /* Every operation succeeded but the commit failed: an extra element. */
    res = parse(
        t,
        "[{\"uuid\":[\"uuid\",\"" U1 "\"]},{\"uuid\":[\"uuid\",\"" U2 "\"]},"
        "{\"count\":1},{\"count\":1},{\"count\":0},{},{},{},"
        "{\"error\":\"referential integrity violation\",\"details\":\"x\"}]",
        NULL, 0);
    assert_false(txn_result_ok(res));
    assert_int_equal(txn_result_failed_op(res), 8);
    assert_int_equal(txn_result_failed_op(res), (long long)txn_n_ops(t));
    assert_string_equal(txn_result_error(res),
                        "referential integrity violation");
    txn_result_destroy(res);

    /* Error without details; fewer results than operations. */
    res = parse(t, "[{},{\"error\":\"timed out\"}]", NULL, 0);
    assert_int_equal(txn_result_failed_op(res), 1);
    assert_string_equal(txn_result_details(res), "");
    txn_result_destroy(res);
    res = parse(t, "[{},{}]", NULL, 0);
    assert_false(txn_result_ok(res));
    assert_int_equal(txn_result_failed_op(res), 2);
    txn_result_destroy(res);

    /* JSON-RPC error and malformed replies. */
    res = parse(t, NULL, "\"unknown database\"", 0);
    assert_int_equal(txn_result_failed_op(res), -1);
    assert_string_equal(txn_result_error(res), "unknown database");
    txn_result_destroy(res);
    res = parse(t, NULL, "{\"error\":\"x\",\"details\":\"y\"}", 0);
    assert_string_equal(txn_result_details(res), "y");
    txn_result_destroy(res);
    res = parse(t, "{}", NULL, -EPROTO);
    assert_false(txn_result_ok(res));
    txn_result_destroy(res);
    res = parse(t, "[5]", NULL, -EPROTO);
    assert_false(txn_result_ok(res));
    txn_result_destroy(res);
    txn_destroy(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_reply_ok),
        cmocka_unit_test(test_reply_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
