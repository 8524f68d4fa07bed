/* Unit tests of src/ovsdb/schema.c, on the real hardware_vtep schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ovsdb/schema.h"

#define VTEP_SCHEMA "/usr/share/openvswitch/vtep.ovsschema"

static struct schema *vtep;

static int
setup(void **state)
{
    char err[SCHEMA_ERR_LEN];

    (void)state;
    return schema_load_file(VTEP_SCHEMA, &vtep, err);
}

static int
teardown(void **state)
{
    (void)state;
    schema_destroy(vtep);
    return 0;
}

static void
test_basics(void **state)
{
    (void)state;
    int maj, min, patch;

    assert_string_equal(schema_name(vtep), "hardware_vtep");
    schema_version_numbers(vtep, &maj, &min, &patch);
    assert_int_equal(maj, 1);
    assert_true(min >= 3);
    assert_true(schema_n_tables(vtep) >= 10);
    assert_true(schema_has_column(vtep, "Logical_Switch", "tunnel_key"));
    assert_true(schema_has_column(vtep, "Ucast_Macs_Remote", "MAC"));
    assert_false(schema_has_column(vtep, "Logical_Switch", "nope"));
    assert_false(schema_has_column(vtep, "Nope", "name"));
    assert_null(schema_table(vtep, "Nope"));

    const struct schema_table *g = schema_table(vtep, "Global");
    assert_true(schema_table_is_root(g));
    assert_int_equal(schema_table_max_rows(g), 1);
    assert_string_equal(schema_table_name(g), "Global");
    assert_int_equal(schema_table_n_columns(g), 3);
    size_t seen = 0;
    for (size_t i = 0; i < schema_n_tables(vtep); i++) {
        seen += schema_table_at(vtep, i) == g;
    }
    assert_int_equal(seen, 1);
}

static void
test_types(void **state)
{
    (void)state;
    const struct schema_table *ls = schema_table(vtep, "Logical_Switch");
    const struct schema_column *c = schema_column(ls, "tunnel_key");
    assert_non_null(c);
    assert_int_equal(c->type.key.type, SCHEMA_INTEGER);
    assert_true(schema_type_is_optional(&c->type));
    assert_false(schema_type_is_map(&c->type));

    c = schema_column(ls, "name");
    assert_true(schema_type_is_scalar(&c->type));
    assert_int_equal(c->type.key.type, SCHEMA_STRING);

    c = schema_column(ls, "other_config");
    assert_true(schema_type_is_map(&c->type));
    assert_int_equal(c->type.max, SCHEMA_UNLIMITED);

    c = schema_column(ls, "replication_mode");
    assert_non_null(c->type.key.enum_value);

    const struct schema_table *pp = schema_table(vtep, "Physical_Port");
    c = schema_column(pp, "vlan_bindings");
    assert_true(schema_type_is_map(&c->type));
    assert_int_equal(c->type.key.type, SCHEMA_INTEGER);
    assert_int_equal(c->type.key.max_integer, 4095);
    assert_int_equal(c->type.value.type, SCHEMA_UUID);
    assert_string_equal(c->type.value.ref_table, "Logical_Switch");

    const struct schema_table *pl = schema_table(vtep, "Physical_Locator");
    c = schema_column(pl, "dst_ip");
    assert_false(c->is_mutable);
    assert_int_equal(schema_table_n_indexes(pl), 1);
    const char *const *cols;
    assert_int_equal(schema_table_index(pl, 0, &cols), 3);
    assert_string_equal(cols[0], "encapsulation_type");
    assert_string_equal(cols[2], "tunnel_key");

    const struct schema_table *ps = schema_table(vtep, "Physical_Switch");
    assert_true(schema_column(ps, "switch_fault_status")->ephemeral);

    json_t *e = schema_type_empty(&schema_column(ls, "other_config")->type);
    char *s = json_dumps(e, JSON_COMPACT);
    assert_string_equal(s, "[\"map\",[]]");
    free(s);
    json_decref(e);
}

static int
check(const char *table, const char *column, const char *text)
{
    const struct schema_column *c = schema_column(schema_table(vtep, table),
                                                  column);
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    assert_non_null(c);
    assert_non_null(v);
    int r = schema_check_value(&c->type, v);
    json_decref(v);
    return r;
}

static void
test_check_value(void **state)
{
    (void)state;
    assert_int_equal(check("Logical_Switch", "name", "\"net\""), 0);
    assert_int_equal(check("Logical_Switch", "name", "5"), -EINVAL);
    assert_int_equal(check("Logical_Switch", "name", "[\"set\",[]]"), -EINVAL);
    assert_int_equal(check("Logical_Switch", "tunnel_key", "[\"set\",[]]"), 0);
    assert_int_equal(check("Logical_Switch", "tunnel_key", "5001"), 0);
    assert_int_equal(check("Logical_Switch", "tunnel_key",
                           "[\"set\",[1,2]]"), -EINVAL);
    assert_int_equal(check("Logical_Switch", "replication_mode",
                           "\"source_node\""), 0);
    assert_int_equal(check("Logical_Switch", "replication_mode",
                           "\"flood\""), -EINVAL);
    assert_int_equal(check("Physical_Port", "vlan_bindings",
                           "[\"map\",[[100,[\"named-uuid\",\"ls\"]]]]"), 0);
    assert_int_equal(check("Physical_Port", "vlan_bindings",
                           "[\"map\",[[5000,[\"named-uuid\",\"ls\"]]]]"),
                     -EINVAL);
    assert_int_equal(check("Physical_Port", "vlan_bindings",
                           "[\"map\",[[1,[\"named-uuid\",\"a\"]],"
                           "[1,[\"named-uuid\",\"b\"]]]]"), -EINVAL);
    assert_int_equal(check("Physical_Switch", "tunnel_ips",
                           "[\"set\",[\"1.1.1.1\",\"1.1.1.1\"]]"), -EINVAL);
    assert_int_equal(check("Physical_Switch", "tunnel_ips",
                           "[\"set\",[\"1.1.1.1\",\"2.2.2.2\"]]"), 0);
}

static void
test_malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "{}",
        "{\"name\":\"x\"}",
        "{\"name\":\"x\",\"tables\":{\"T\":{}}}",
        "{\"name\":\"x\",\"tables\":{\"T\":{\"columns\":{\"c\":{\"type\":"
        "\"blob\"}}}}}",
        "{\"name\":\"x\",\"tables\":{\"T\":{\"columns\":{\"c\":{\"type\":"
        "{\"key\":\"string\",\"min\":2}}}}}}",
        "{\"name\":\"x\",\"tables\":{\"T\":{\"columns\":{\"c\":{\"type\":"
        "\"string\"}},\"indexes\":[[\"d\"]]}}}",
        "{\"name\":\"x\",\"version\":1,\"tables\":{}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *j = json_loads(bad[i], 0, NULL);
        struct schema *s = (struct schema *)1;
        char err[SCHEMA_ERR_LEN] = "";
        assert_non_null(j);
        assert_int_equal(schema_parse(j, &s, err), -EINVAL);
        assert_null(s);
        assert_true(strlen(err) > 0);
        json_decref(j);
    }
    char err[SCHEMA_ERR_LEN];
    struct schema *s;
    assert_int_equal(schema_load_file("/nonexistent.ovsschema", &s, err),
                     -EINVAL);
    assert_non_null(strstr(err, "/nonexistent.ovsschema"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basics),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_check_value),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
