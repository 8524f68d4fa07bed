/* Unit tests of the client's argument parser (src/cli/args.c): options
 * anywhere, "--opt=value", short options glued to their value, the
 * optional numeric value of --wait, "--" and the errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/args.h"

static const struct args_opt global[] = {
    {"--url", "--os-url", ARGS_VALUE, "URL", NULL},
    {"-f", "--format", ARGS_VALUE, "FORMAT", NULL},
    {"-c", "--column", ARGS_VALUE, "COLUMN", NULL},
    {"--insecure", NULL, ARGS_FLAG, NULL, NULL},
    {0},
};

static const struct args_opt cmd[] = {
    {"--device", NULL, ARGS_VALUE, "SPEC", NULL},
    {"--wait", NULL, ARGS_OPTVALUE, "SECONDS", NULL},
    {0},
};

static const struct args_opt *const sets[] = {global, cmd, NULL};

static struct args a;

static int parse(char **argv, int argc, char *err)
{
    return args_parse(&a, argc, argv, sets, err, 256);
}

static void test_anywhere(void **state)
{
    char *argv[] = {"--device",   "name=s,interface_names=p",
                    "gw1",        "-f",
                    "json",       "--url=http://x:1",
                    "--insecure", "-cID",
                    "--column",   "Name"};
    char err[256];

    (void)state;
    assert_int_equal(parse(argv, 10, err), 0);
    assert_int_equal(a.n_pos, 1);
    assert_string_equal(a.pos[0], "gw1");
    assert_string_equal(args_get(&a, "--device"), "name=s,interface_names=p");
    assert_string_equal(args_get(&a, "-f"), "json");
    assert_string_equal(args_get(&a, "--url"), "http://x:1");
    assert_true(args_has(&a, "--insecure"));
    assert_int_equal(args_count(&a, "-c"), 2);
    assert_string_equal(args_nth(&a, "-c", 0), "ID");
    assert_string_equal(args_nth(&a, "-c", 1), "Name");
    assert_null(args_nth(&a, "-c", 2));
}

static void test_alias_and_repeat(void **state)
{
    char *argv[] = {"--os-url", "u1", "--url", "u2", "--format=yaml"};
    char err[256];

    (void)state;
    assert_int_equal(parse(argv, 5, err), 0);
    assert_string_equal(args_get(&a, "--url"), "u2");
    assert_string_equal(args_nth(&a, "--url", 0), "u1");
    assert_string_equal(args_get(&a, "-f"), "yaml");
}

static void test_optional_value(void **state)
{
    char *a1[] = {"gw", "net", "--wait"};
    char *a2[] = {"--wait", "30", "gw", "net"};
    char *a3[] = {"--wait", "gw", "net"};
    char *a4[] = {"--wait=2.5", "gw"};
    char err[256];

    (void)state;
    assert_int_equal(parse(a1, 3, err), 0);
    assert_true(args_has(&a, "--wait"));
    assert_null(args_get(&a, "--wait"));
    assert_int_equal(a.n_pos, 2);
    assert_int_equal(parse(a2, 4, err), 0);
    assert_string_equal(args_get(&a, "--wait"), "30");
    assert_int_equal(a.n_pos, 2);
    assert_int_equal(parse(a3, 3, err), 0);
    assert_null(args_get(&a, "--wait"));
    assert_int_equal(a.n_pos, 2);
    assert_int_equal(parse(a4, 2, err), 0);
    assert_string_equal(args_get(&a, "--wait"), "2.5");
}

static void test_double_dash_and_dash(void **state)
{
    char *argv[] = {"-", "--", "--device", "-f"};
    char err[256];

    (void)state;
    assert_int_equal(parse(argv, 4, err), 0);
    assert_int_equal(a.n_pos, 3);
    assert_string_equal(a.pos[1], "--device");
    assert_false(args_has(&a, "--device"));
}

static void test_errors(void **state)
{
    char *unknown[] = {"gw", "--bogus"};
    char *missing[] = {"gw", "--device"};
    char *flagval[] = {"--insecure=yes"};
    char err[256];

    (void)state;
    assert_int_equal(parse(unknown, 2, err), -EINVAL);
    assert_non_null(strstr(err, "unrecognized option '--bogus'"));
    assert_int_equal(parse(missing, 2, err), -EINVAL);
    assert_non_null(strstr(err, "'--device' expects one argument"));
    assert_int_equal(parse(flagval, 1, err), -EINVAL);
    assert_non_null(strstr(err, "takes no value"));
}

static void test_is_number(void **state)
{
    (void)state;
    assert_true(args_is_number("30"));
    assert_true(args_is_number("0.5"));
    assert_false(args_is_number(""));
    assert_false(args_is_number("1.2.3"));
    assert_false(args_is_number("gw1"));
    assert_false(args_is_number("-1"));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_int_equal(args_utf8_error("plain"), -1);
    assert_int_equal(
        args_utf8_error("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), -1);
    assert_int_equal(args_utf8_error("ab\xff"), 2);
    assert_int_equal(args_utf8_error("a\xc3"), 1);            /* cut short */
    assert_int_equal(args_utf8_error("\xc0\xaf"), 0);         /* overlong */
    assert_int_equal(args_utf8_error("x\xed\xa0\x80"), 1);    /* surrogate */
    assert_int_equal(args_utf8_error("\xf4\x90\x80\x80"), 0); /* > U+10FFFF */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anywhere),
        cmocka_unit_test(test_alias_and_repeat),
        cmocka_unit_test(test_optional_value),
        cmocka_unit_test(test_double_dash_and_dash),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_is_number),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
