/* Unit tests of the value texts (src/cli/pyfmt.c).  The expected texts
 * were produced by the OpenStack client's own code on the same data:
 * Python's repr() and str(), osc_lib's format_dict() and
 * format_list_of_dicts(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/pyfmt.h"

static json_t *parse(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    assert_non_null(v);
    return v;
}

static const char *const gw_json =
    "{\"id\": \"g1\", \"name\": \"gw1\", \"tenant_id\": \"admin\","
    " \"project_id\": \"admin\", \"devices\": ["
    "{\"id\": \"d1\", \"device_name\": \"sw1\", \"interfaces\": "
    "[{\"name\": \"p1\", \"segmentation_id\": [\"100\", \"200\"]}]},"
    "{\"id\": \"d2\", \"device_name\": \"sw2\", \"interfaces\": "
    "[{\"name\": \"it's\", \"segmentation_id\": []}]}]}";

static const char *const dev1 =
    "device_name='sw1', id='d1', interfaces='[{'name': 'p1', "
    "'segmentation_id': ['100', '200']}]'";
static const char *const dev2 =
    "device_name='sw2', id='d2', interfaces='[{'name': \"it's\", "
    "'segmentation_id': []}]'";

static void assert_repr(const char *json, const char *want)
{
    json_t *v = parse(json);
    char *got = pyfmt_repr(v);

    assert_string_equal(got, want);
    free(got);
    json_decref(v);
}

static void test_pyrepr(void **state)
{
    (void)state;
    assert_repr("\"it's\"", "\"it's\"");
    assert_repr("\"a'b\\\"\"", "'a\\'b\"'");
    assert_repr("\"tab\\tnl\\n\\u0001\"", "'tab\\tnl\\n\\x01'");
    assert_repr("[true, false, null, 5]", "[True, False, None, 5]");
    assert_repr("{\"name\": \"p1\", \"segmentation_id\": [\"100\"]}",
                "{'name': 'p1', 'segmentation_id': ['100']}");
    assert_repr("1e16", "1e+16");
    assert_repr("100000.0", "100000.0");
    assert_repr("0.0001", "0.0001");
    assert_repr("0.00001", "1e-05");
    assert_repr("1.5", "1.5");
    assert_repr("123456789012345678.0", "1.2345678901234568e+17");
    assert_repr("0.30000000000000004", "0.30000000000000004");
    assert_repr("-2.5e-7", "-2.5e-07");
}

static void assert_cell(const json_t *v, const char *want)
{
    char *got = pyfmt_cell(v);

    assert_string_equal(got, want);
    free(got);
}

static void test_cells(void **state)
{
    json_t *gw = parse(gw_json), *v;
    char want[512];

    (void)state;
    snprintf(want, sizeof want, "%s\n%s", dev1, dev2);
    assert_cell(json_object_get(gw, "devices"), want);
    assert_cell(NULL, "");
    v = parse("[null, true, \"a\", 2]");
    assert_cell(v, "None, True, a, 2");
    json_decref(v);
    v = parse("{\"d\": true, \"c\": [1, \"2\"], \"a\": \"s\", "
              "\"b\": {\"x\": 1, \"a\": null}}");
    assert_cell(v, "a='s', b.a=, b.x='1', c='[1, '2']', d='True'");
    json_decref(v);
    v = parse("\"a\\r\\nb\\rc\"");
    assert_cell(v, "a\nb c");
    json_decref(v);
    v = parse("[]");
    assert_cell(v, "");
    json_decref(v);
    json_decref(gw);
}

static void test_machine(void **state)
{
    json_t *v = parse("[{\"a\": true}, null, 1.5]");
    char *t = pyfmt_machine(v);

    (void)state;
    assert_string_equal(t, "[{'a': True}, None, 1.5]");
    free(t);
    json_decref(v);
    v = parse("\"plain 'text'\"");
    t = pyfmt_machine(v);
    assert_string_equal(t, "plain 'text'");
    free(t);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pyrepr),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_machine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
