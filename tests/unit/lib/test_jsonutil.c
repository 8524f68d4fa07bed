/* Unit tests of lib/jsonutil. */
#include "lib/jsonutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_str(void **state)
{
    json_t *o = json_pack("{s:s, s:i}", "name", "gw1", "n", 3);

    assert_string_equal(ju_str(o, "name"), "gw1");
    assert_null(ju_str(o, "n"));
    assert_null(ju_str(o, "missing"));
    assert_null(ju_str(NULL, "name"));
    json_t *arr = json_array();
    assert_null(ju_str(arr, "name"));
    json_decref(arr);
    json_decref(o);
}

static void test_dump_compact_in_order(void **state)
{
    json_t *o = json_object();
    json_object_set_new(o, "z", json_integer(1));
    json_object_set_new(o, "a", json_pack("[s,b]", "x", 1));
    json_object_set_new(o, "m", json_null());
    char *s = ju_dump(o);
    assert_string_equal(s, "{\"z\":1,\"a\":[\"x\",true],\"m\":null}");
    free(s);
    json_decref(o);

    json_t *str = json_string("bare");
    s = ju_dump(str);
    assert_string_equal(s, "\"bare\"");
    free(s);
    json_decref(str);
    assert_null(ju_dump(NULL));
}

static void test_parse(void **state)
{
    json_error_t err;
    const char *text = "{\"a\": 1, \"a\": 2} trailing-ignored-by-len";
    json_t *v = ju_parse(text, 16, &err);

    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 2);
    json_decref(v);

    v = ju_parse("42", 2, NULL);
    assert_non_null(v);
    assert_int_equal(json_integer_value(v), 42);
    json_decref(v);

    assert_null(ju_parse("{\"a\":", 5, &err));
    assert_true(strlen(err.text) > 0);
    assert_null(ju_parse("{} x", 4, NULL));
    assert_null(ju_parse("\"a\\u0000b\"", 10, NULL));
}

static void test_type_name(void **state)
{
    json_t *vals[] = {json_object(),   json_array(),   json_string("s"),
                      json_integer(1), json_real(1.5), json_true(),
                      json_false(),    json_null()};
    const char *names[] = {"object", "array",   "string",  "integer",
                           "number", "boolean", "boolean", "null"};

    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        assert_string_equal(ju_type_name(vals[i]), names[i]);
        json_decref(vals[i]);
    }
    assert_string_equal(ju_type_name(NULL), "missing");
}

static void check_int(json_t *v, bool ok, long long want)
{
    long long got = -777;

    assert_int_equal(ju_as_int(v, &got), ok);
    if (ok) {
        assert_int_equal(got, want);
    }
    json_decref(v);
}

static void test_as_int(void **state)
{
    check_int(json_integer(-5), true, -5);
    check_int(json_string("12"), true, 12);
    check_int(json_string("-3"), true, -3);
    check_int(json_string("+4"), true, 4);
    check_int(json_string("9223372036854775807"), true, 9223372036854775807LL);
    check_int(json_string("9223372036854775808"), false, 0);
    check_int(json_string(""), false, 0);
    check_int(json_string("-"), false, 0);
    check_int(json_string("1.5"), false, 0);
    check_int(json_string("12a"), false, 0);
    check_int(json_string(" 1"), false, 0);
    check_int(json_string("0x10"), false, 0);
    check_int(json_stringn("1\0"
                           "2",
                           3),
              false, 0);
    check_int(json_real(1.0), false, 0);
    check_int(json_true(), false, 0);
    check_int(json_null(), false, 0);
    long long x;
    assert_false(ju_as_int(NULL, &x));
}

static void check_bool(json_t *v, bool ok, bool want)
{
    bool got = !want;

    assert_int_equal(ju_as_bool(v, &got), ok);
    if (ok) {
        assert_int_equal(got, want);
    }
    json_decref(v);
}

static void test_as_bool(void **state)
{
    check_bool(json_true(), true, true);
    check_bool(json_false(), true, false);
    check_bool(json_string("true"), true, true);
    check_bool(json_string("True"), true, true);
    check_bool(json_string("FALSE"), true, false);
    check_bool(json_string("yes"), false, false);
    check_bool(json_string("1"), false, false);
    check_bool(json_integer(1), false, false);
    check_bool(json_null(), false, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str),
        cmocka_unit_test(test_dump_compact_in_order),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_type_name),
        cmocka_unit_test(test_as_int),
        cmocka_unit_test(test_as_bool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
