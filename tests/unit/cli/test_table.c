/* Unit tests of the table layout (src/cli/table.c); the expected texts
 * are prettytable's (cliff's table formatter) for the same cells. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/table.h"

static char *render(const char *const *titles, const bool *right, size_t ncols,
                    const char *const *cells, size_t nrows)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    assert_non_null(fp);
    table_write(fp, titles, right, ncols, cells, nrows);
    fclose(fp);
    return text;
}

static void test_left_right_and_multiline(void **state)
{
    const char *titles[] = {"ID", "Tenant", "Name", "Devices"};
    const bool right[] = {false, false, false, false};
    static const char devices[] = "device_name='sw1', id='x', interfaces='[]'\n"
                                  "second line longer than the first one'";
    const char *cells[] = {"abc",    "admin", "gw1", devices,
                           "abcdef", "ad",    "g",   ""};
    char *got = render(titles, right, 4, cells, 2);

    (void)state;
    assert_string_equal(got, "+--------+--------+------+-----------------------"
                             "---------------------+\n"
                             "| ID     | Tenant | Name | Devices               "
                             "                     |\n"
                             "+--------+--------+------+-----------------------"
                             "---------------------+\n"
                             "| abc    | admin  | gw1  | device_name='sw1', "
                             "id='x', interfaces='[]' |\n"
                             "|        |        |      | second line longer "
                             "than the first one'     |\n"
                             "| abcdef | ad     | g    |                       "
                             "                     |\n"
                             "+--------+--------+------+-----------------------"
                             "---------------------+\n");
    free(got);
}

static void test_right_aligned_numbers_and_utf8(void **state)
{
    const char *titles[] = {"A", "Seg"};
    const bool right[] = {false, true};
    const char *cells[] = {"x", "5", "caf\xc3\xa9s", "5000"};
    char *got = render(titles, right, 2, cells, 2);

    (void)state;
    /* Width counts characters, not bytes. */
    assert_string_equal(got, "+-------+------+\n"
                             "| A     |  Seg |\n"
                             "+-------+------+\n"
                             "| x     |    5 |\n"
                             "| caf\xc3\xa9s | 5000 |\n"
                             "+-------+------+\n");
    free(got);
}

static void test_empty(void **state)
{
    const char *titles[] = {"A"};
    const bool right[] = {false};
    char *got = render(titles, right, 1, NULL, 0);

    (void)state;
    assert_string_equal(got, "\n");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_left_right_and_multiline),
        cmocka_unit_test(test_right_aligned_numbers_and_utf8),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
