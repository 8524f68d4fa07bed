/* Unit tests of api/jsonout.c: the response serialiser writes what
 * json_dumps(JSON_COMPACT) writes, and what reads back equal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api/jsonout.h"

/* Serialises the JSON text 'in' and compares with 'expected'. */
static void
expect_dump(const char *in, const char *expected)
{
    json_error_t e;
    json_t *v = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    size_t len;

    if (!v) {
        fail_msg("bad test input %s: %s", in, e.text);
    }
    char *s = jsonout_dump(v, &len);
    assert_non_null(s);
    assert_int_equal(len, strlen(expected));
    assert_memory_equal(s, expected, len);
    assert_int_equal(s[len], '\0');
    free(s);
    json_decref(v);
}

static void
test_scalars(void **state)
{
    expect_dump("1", "1");
    expect_dump("-9223372036854775808", "-9223372036854775808");
    expect_dump("true", "true");
    expect_dump("false", "false");
    expect_dump("null", "null");
    expect_dump("1.5", "1.5");
    expect_dump("2.0", "2.0");
    expect_dump("0.1", "0.1");
    expect_dump("1e300", "1e+300");
    expect_dump("\"\"", "\"\"");
}

static void
test_strings(void **state)
{
    expect_dump("\"a\\\"b\\\\c/d\"", "\"a\\\"b\\\\c/d\"");
    expect_dump("\"\\n\\r\\t\\b\\f\\u0001\\u001f \\u007f\"",
                "\"\\n\\r\\t\\b\\f\\u0001\\u001f \x7f\"");
    expect_dump("\"\\u00e9\\u4e2d\\ud83d\\ude00\"",
                "\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"");
    expect_dump("\"a\\u0000b\"", "\"a\\u0000b\"");
}

static void
test_containers(void **state)
{
    expect_dump("[]", "[]");
    expect_dump("{}", "{}");
    expect_dump("{\"b\": 1, \"a\": [1, {\"c\": null}], \"k\\\"\": \"v\"}",
                "{\"b\":1,\"a\":[1,{\"c\":null}],\"k\\\"\":\"v\"}");
}

/* The same bytes as jansson for a large list, as a response would be. */
static void
test_same_as_jansson(void **state)
{
    json_t *rows = json_array();
    for (int i = 0; i < 500; i++) {
        json_array_append_new(rows, json_pack("{s:s, s:i, s:b, s:[s, n]}",
                                              "name", "gw \"x\"\n", "n", i,
                                              "up", i % 2, "l", "é", "x"));
    }
    json_t *doc = json_pack("{s:o}", "things", rows);
    size_t len;
    char *mine = jsonout_dump(doc, &len);
    char *theirs = json_dumps(doc, JSON_COMPACT);
    assert_string_equal(mine, theirs);
    free(mine);
    free(theirs);
    json_decref(doc);
}

static void
test_depth_limit(void **state)
{
    json_t *v = json_array();
    json_t *inner = v;
    for (int i = 0; i < JSONOUT_MAX_DEPTH + 5; i++) {
        json_t *a = json_array();
        json_array_append_new(inner, a);
        inner = a;
    }
    size_t len;
    assert_null(jsonout_dump(v, &len));
    json_decref(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_same_as_jansson),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
