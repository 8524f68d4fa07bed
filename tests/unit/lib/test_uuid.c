/* Unit tests of lib/uuid. */
#include "lib/uuid.h"

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void test_generate_form(void **state)
{
    for (int i = 0; i < 1000; i++) {
        char u[UUID_STRLEN + 1];
        memset(u, 'Z', sizeof u);
        uuid_generate(u);
        assert_int_equal(strlen(u), UUID_STRLEN);
        assert_true(uuid_is_valid(u));
        assert_int_equal(u[14], '4');           /* version 4 */
        assert_non_null(strchr("89ab", u[19])); /* RFC 4122 variant */
        for (int j = 0; j < UUID_STRLEN; j++) {
            assert_false(isupper((unsigned char)u[j]));
        }
    }
}

static void test_generate_distinct(void **state)
{
    char a[UUID_STRLEN + 1], b[UUID_STRLEN + 1];

    uuid_generate(a);
    uuid_generate(b);
    assert_string_not_equal(a, b);
}

static void test_is_valid(void **state)
{
    assert_true(uuid_is_valid("8f1e2c3a-0b4d-4e5f-9a6b-7c8d9e0f1a2b"));
    assert_true(uuid_is_valid("8F1E2C3A-0B4D-4E5F-9A6B-7C8D9E0F1A2B"));
    /* Any version is a UUID for validation purposes. */
    assert_true(uuid_is_valid("00000000-0000-0000-0000-000000000000"));
    assert_false(uuid_is_valid(NULL));
    assert_false(uuid_is_valid(""));
    assert_false(uuid_is_valid("8f1e2c3a-0b4d-4e5f-9a6b-7c8d9e0f1a2"));
    assert_false(uuid_is_valid("8f1e2c3a-0b4d-4e5f-9a6b-7c8d9e0f1a2bc"));
    assert_false(uuid_is_valid("8f1e2c3a0b4d-4e5f-9a6b-7c8d9e0f1a2b-"));
    assert_false(uuid_is_valid("8f1e2c3g-0b4d-4e5f-9a6b-7c8d9e0f1a2b"));
    assert_false(uuid_is_valid("{8f1e2c3a-0b4d-4e5f-9a6b-7c8d9e0f1a2b}"));
    assert_false(uuid_is_valid("8f1e2c3a 0b4d-4e5f-9a6b-7c8d9e0f1a2b"));
}

static void test_normalize(void **state)
{
    char out[UUID_STRLEN + 1];

    assert_int_equal(
        uuid_normalize("8F1E2C3A-0B4D-4E5F-9A6B-7C8D9E0F1A2B", out), 0);
    assert_string_equal(out, "8f1e2c3a-0b4d-4e5f-9a6b-7c8d9e0f1a2b");
    assert_int_equal(uuid_normalize("not-a-uuid", out), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_form),
        cmocka_unit_test(test_generate_distinct),
        cmocka_unit_test(test_is_valid),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
