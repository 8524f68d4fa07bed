/* Unit tests of src/ovsdb/datum.c: building, reading, comparing values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ovsdb/datum.h"

#define U1 "6f2b1c2e-0d3a-4b5c-9d8e-7f6a5b4c3d2e"
#define U2 "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

static json_t *
j(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &err);

    if (!v) {
        fail_msg("bad test JSON %s: %s", text, err.text);
    }
    return v;
}

/* datum_equal() on two JSON texts. */
static bool
eq(const char *a, const char *b)
{
    json_t *x = j(a), *y = j(b);
    bool r = datum_equal(x, y);

    if (r) {
        assert_int_equal(datum_hash(x, 7), datum_hash(y, 7));
    }
    json_decref(x);
    json_decref(y);
    return r;
}

static void
test_build(void **state)
{
    (void)state;
    json_t *u = datum_uuid(U1);
    char *s = json_dumps(u, JSON_COMPACT);
    assert_string_equal(s, "[\"uuid\",\"" U1 "\"]");
    free(s);
    json_decref(u);
    assert_null(datum_uuid("not-a-uuid"));
    assert_null(datum_named_uuid("1bad"));

    json_t *set = datum_set_new();
    assert_int_equal(datum_set_add(set, json_string("a")), 0);
    assert_int_equal(datum_set_add(set, datum_uuid(U1)), 0);
    assert_int_equal(datum_set_add(set, json_array()), -EINVAL);
    s = json_dumps(set, JSON_COMPACT);
    assert_string_equal(s, "[\"set\",[\"a\",[\"uuid\",\"" U1 "\"]]]");
    free(s);
    json_decref(set);

    json_t *map = datum_map_new();
    assert_int_equal(datum_map_add_str(map, "k", "v"), 0);
    assert_int_equal(datum_map_add(map, json_integer(1), json_true()), 0);
    assert_int_equal(datum_map_add(map, json_object(), json_true()), -EINVAL);
    s = json_dumps(map, JSON_COMPACT);
    assert_string_equal(s, "[\"map\",[[\"k\",\"v\"],[1,true]]]");
    free(s);
    json_decref(map);

    const char *strs[] = {"x", "y"};
    json_t *ss = datum_set_of_strings(strs, 2);
    json_t *expect = j("[\"set\",[\"y\",\"x\"]]");
    assert_true(datum_equal(ss, expect));
    json_decref(expect);
    assert_int_equal(datum_count(ss), 2);
    json_decref(ss);
}

static void
test_read(void **state)
{
    (void)state;
    json_t *v = j("[\"uuid\",\"" U1 "\"]");
    assert_string_equal(datum_get_uuid(v), U1);
    assert_null(datum_get_string(v));
    assert_true(datum_is_atom(v));
    json_decref(v);

    v = j("[\"set\",[[\"uuid\",\"" U2 "\"]]]");
    assert_string_equal(datum_get_uuid(v), U2);
    json_decref(v);

    v = j("[\"set\",[]]");
    assert_null(datum_get_string(v));
    assert_int_equal(datum_count(v), 0);
    assert_true(datum_is_set(v));
    json_decref(v);

    v = j("\"plain\"");
    assert_string_equal(datum_get_string(v), "plain");
    assert_int_equal(datum_count(v), 1);
    assert_ptr_equal(datum_set_at(v, 0), v);
    assert_null(datum_set_at(v, 1));
    json_decref(v);

    v = j("[\"set\",[5]]");
    long long n = 0;
    assert_true(datum_get_integer(v, &n));
    assert_int_equal(n, 5);
    json_decref(v);

    v = j("[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]");
    assert_true(datum_is_map(v));
    assert_false(datum_is_set(v));
    assert_string_equal(datum_map_get_str(v, "b"), "2");
    assert_null(datum_map_get_str(v, "c"));
    json_t *k = json_string("a");
    assert_string_equal(json_string_value(datum_map_get(v, k)), "1");
    json_decref(k);
    assert_int_equal(datum_count(v), 2);
    json_decref(v);

    v = j("[\"named-uuid\",\"ls_1\"]");
    assert_string_equal(datum_get_named_uuid(v), "ls_1");
    json_decref(v);

    /* Garbage is not a value. */
    const char *bad[] = {"[\"uuid\",\"xyz\"]", "[\"set\",[[1]]]",
                         "[\"map\",[[1]]]", "{}", "null", "[1,2]",
                         "[\"set\",[{}]]", "[\"map\",\"x\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = j(bad[i]);
        assert_false(datum_is_valid(v));
        json_decref(v);
    }
}

static void
test_equal(void **state)
{
    (void)state;
    /* Sets ignore order; an atom equals the set of that atom. */
    assert_true(eq("[\"set\",[1,2,3]]", "[\"set\",[3,1,2]]"));
    assert_true(eq("\"a\"", "[\"set\",[\"a\"]]"));
    assert_false(eq("\"a\"", "[\"set\",[\"a\",\"b\"]]"));
    assert_false(eq("[\"set\",[1,2]]", "[\"set\",[1,3]]"));
    assert_true(eq("[\"set\",[]]", "[\"map\",[]]"));
    assert_false(eq("[\"set\",[]]", "\"\""));
    /* Maps ignore pair order, compare values. */
    assert_true(eq("[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]",
                   "[\"map\",[[\"b\",\"2\"],[\"a\",\"1\"]]]"));
    assert_false(eq("[\"map\",[[\"a\",\"1\"]]]", "[\"map\",[[\"a\",\"2\"]]]"));
    assert_false(eq("[\"map\",[[\"a\",\"1\"]]]", "[\"set\",[\"a\"]]"));
    /* UUIDs compare without regard to case; types do not mix. */
    assert_true(eq("[\"uuid\",\"6F2B1C2E-0D3A-4B5C-9D8E-7F6A5B4C3D2E\"]",
                   "[\"uuid\",\"" U1 "\"]"));
    assert_false(eq("1", "1.0"));
    assert_false(eq("1", "\"1\""));
    assert_false(eq("true", "false"));
    /* Large sets sort on the heap. */
    char a[2048] = "[\"set\",[", b[2048] = "[\"set\",[";
    for (int i = 0; i < 40; i++) {
        char x[16];
        snprintf(x, sizeof x, "%s%d", i ? "," : "", i);
        strcat(a, x);
        snprintf(x, sizeof x, "%s%d", i ? "," : "", 39 - i);
        strcat(b, x);
    }
    strcat(a, "]]");
    strcat(b, "]]");
    assert_true(eq(a, b));
    json_t *x = j(a);
    assert_true(datum_equal(x, x));
    json_decref(x);
}

static void
test_null_is_empty(void **state)
{
    (void)state;
    json_t *e = j("[\"set\",[]]");
    json_t *one = j("\"x\"");
    assert_true(datum_equal(NULL, e));
    assert_false(datum_equal(NULL, one));
    assert_int_equal(datum_hash(NULL, 3), datum_hash(e, 3));
    json_decref(e);
    json_decref(one);
}

static void
test_atom_order(void **state)
{
    (void)state;
    json_t *a = j("1"), *b = j("2"), *s = j("\"a\""), *u = datum_uuid(U1);
    assert_true(datum_atom_compare(a, b) < 0);
    assert_true(datum_atom_compare(b, a) > 0);
    assert_true(datum_atom_compare(a, s) < 0); /* integer before string */
    assert_true(datum_atom_compare(s, u) < 0); /* string before uuid */
    assert_int_equal(datum_atom_compare(u, u), 0);
    json_decref(a);
    json_decref(b);
    json_decref(s);
    json_decref(u);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_null_is_empty),
        cmocka_unit_test(test_atom_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
