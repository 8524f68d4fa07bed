/* Unit tests of the --device parser (src/cli/device.c): the bodies must
 * be those of the OpenStack client (networking-l2gw's OSC plugin), and
 * every refused spec must say what is wrong and where. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/device.h"

/* Parses 'spec' and compares the result with the JSON text 'want'. */
static void expect_body(const char *spec, const char *want)
{
    char err[512] = "";
    json_t *got = device_parse(spec, err, sizeof err);
    json_t *exp = json_loads(want, 0, NULL);

    assert_non_null(exp);
    if (!got)
        fail_msg("'%s' refused: %s", spec, err);
    if (!json_equal(got, exp)) {
        char *g = json_dumps(got, JSON_SORT_KEYS);
        fail_msg("'%s' gave %s, want %s", spec, g, want);
    }
    json_decref(got);
    json_decref(exp);
}

/* Parses 'spec', expects a refusal whose message holds 'part'. */
static void expect_error(const char *spec, const char *part)
{
    char err[512] = "";
    json_t *got = device_parse(spec, err, sizeof err);

    if (got) {
        char *g = json_dumps(got, 0);
        fail_msg("'%s' accepted as %s", spec, g);
    }
    if (!strstr(err, part))
        fail_msg("'%s': message '%s' lacks '%s'", spec, err, part);
}

static void test_seed_readme(void **state)
{
    (void)state;
    /* The shell removed the quotes of name="myphyswitch",... */
    expect_body("name=myphyswitch,interface_names=ens5",
                "{\"device_name\": \"myphyswitch\","
                " \"interfaces\": [{\"name\": \"ens5\"}]}");
}

static void test_interfaces_and_vlans(void **state)
{
    (void)state;
    expect_body("name=sw1,interface_names=p1|100#200;p2|300",
                "{\"device_name\": \"sw1\", \"interfaces\": ["
                "{\"name\": \"p1\", \"segmentation_id\": [\"100\", \"200\"]},"
                "{\"name\": \"p2\", \"segmentation_id\": [\"300\"]}]}");
    expect_body("name=sw1,interface_names=p1;p2|5",
                "{\"device_name\": \"sw1\", \"interfaces\": ["
                "{\"name\": \"p1\"},"
                "{\"name\": \"p2\", \"segmentation_id\": [\"5\"]}]}");
    /* VLANs stay as typed, 0 and 4094 are the bounds. */
    expect_body("name=s,interface_names=p|0#4094#007",
                "{\"device_name\": \"s\", \"interfaces\": [{\"name\": \"p\","
                " \"segmentation_id\": [\"0\", \"4094\", \"007\"]}]}");
}

static void test_str2dict_rules(void **state)
{
    (void)state;
    /* Key order does not matter. */
    expect_body("interface_names=p1,name=sw",
                "{\"device_name\": \"sw\", \"interfaces\": [{\"name\": "
                "\"p1\"}]}");
    /* A piece without '=' continues the previous value. */
    expect_body("name=sw,1,interface_names=a,b",
                "{\"device_name\": \"sw,1\", \"interfaces\": [{\"name\": "
                "\"a,b\"}]}");
    /* Key and value split at the first '='. */
    expect_body("name=a=b,interface_names=p",
                "{\"device_name\": \"a=b\", \"interfaces\": [{\"name\": "
                "\"p\"}]}");
    /* A repeated key keeps its last value. */
    expect_body("name=a,name=b,interface_names=p",
                "{\"device_name\": \"b\", \"interfaces\": [{\"name\": "
                "\"p\"}]}");
    /* Nothing is trimmed. */
    expect_body("name= sw ,interface_names= p",
                "{\"device_name\": \" sw \", \"interfaces\": [{\"name\": "
                "\" p\"}]}");
}

static void test_key_errors(void **state)
{
    (void)state;
    expect_error("", "empty device");
    expect_error("sw1", "missing value for key 'sw1' at column 1");
    expect_error(",name=a,interface_names=p",
                 "missing value for key '' at column 1");
    expect_error("name=sw1", "missing interface_names=");
    expect_error("interface_names=p1", "missing name=");
    expect_error("name=,interface_names=p1", "empty device name at column 6");
    expect_error("nam=sw1,interface_names=p1", "unknown key 'nam' at column 1");
    expect_error("name=sw1,interface_name=p1",
                 "unknown key 'interface_name' at column 10");
}

static void test_interface_errors(void **state)
{
    (void)state;
    expect_error("name=sw1,interface_names=",
                 "interface 1 has an empty name at column 26");
    expect_error("name=sw1,interface_names=p1;",
                 "interface 2 has an empty name at column 29");
    expect_error("name=sw1,interface_names=p1;;p3",
                 "interface 2 has an empty name at column 29");
    expect_error("name=sw1,interface_names=|100",
                 "interface 1 has an empty name at column 26");
    expect_error("name=sw1,interface_names=p1|1|2",
                 "interface 'p1' has a second '|' at column 30");
}

static void test_vlan_errors(void **state)
{
    (void)state;
    expect_error("name=sw1,interface_names=p1|",
                 "interface 'p1': empty VLAN at column 29");
    expect_error("name=sw1,interface_names=p1|1#",
                 "interface 'p1': empty VLAN at column 31");
    expect_error("name=sw1,interface_names=p1|#1", "empty VLAN at column 29");
    expect_error("name=sw1,interface_names=p1|x1",
                 "VLAN 'x1' at column 29 is not a number");
    expect_error("name=sw1,interface_names=p1|-1", "'-1' at column 29 is not");
    expect_error("name=sw1,interface_names=p1|1 ", "'1 ' at column 29 is not");
    expect_error("name=sw1,interface_names=p1|4095",
                 "VLAN 4095 at column 29 is out of range 0..4094");
    expect_error("name=sw1,interface_names=p2;p1|10#99999999999999999999999",
                 "interface 'p1': VLAN 99999999999999999999999 at column 35 "
                 "is out of range");
}

static void test_utf8(void **state)
{
    (void)state;
    expect_body("name=sw\xc3\xa9,interface_names=p\xe2\x82\xac",
                "{\"device_name\": \"sw\\u00e9\", \"interfaces\": "
                "[{\"name\": \"p\\u20ac\"}]}");
    expect_error("name=s\xff,interface_names=p", "invalid UTF-8 at column 7");
    expect_error("name=s,interface_names=p\xc0\xaf", /* overlong '/' */
                 "invalid UTF-8 at column 25");
    expect_error("name=s,interface_names=p\xed\xa0\x80", /* surrogate */
                 "invalid UTF-8 at column 25");
}

static void test_too_long(void **state)
{
    size_t n = DEVICE_SPEC_MAX_LEN + 10;
    char *spec = malloc(n + 1);

    (void)state;
    memset(spec, 'a', n);
    memcpy(spec, "name=", 5);
    spec[n] = '\0';
    expect_error(spec, "longer than");
    free(spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_readme),
        cmocka_unit_test(test_interfaces_and_vlans),
        cmocka_unit_test(test_str2dict_rules),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_interface_errors),
        cmocka_unit_test(test_vlan_errors),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
