/* Unit tests of src/vtep/canon.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vtep/canon.h"

static void
test_mac(void **state)
{
    char out[VTEP_MAC_LEN];

    (void)state;
    assert_int_equal(canon_mac("AA:bb:0C:dD:ee:FF", out), 0);
    assert_string_equal(out, "aa:bb:0c:dd:ee:ff");
    assert_int_equal(canon_mac("aa-bb-cc-dd-ee-01", out), 0);
    assert_string_equal(out, "aa:bb:cc:dd:ee:01");
    static const char *const bad[] = {
        "", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "aa:bb-cc:dd:ee:ff",
        "aa:bb:cc:dd:ee:fg", "a:bb:cc:dd:ee:fff", "aabb.ccdd.eeff",
        "unknown-dst", " aa:bb:cc:dd:ee:f",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(canon_mac(bad[i], out), -EINVAL);
        assert_string_equal(out, "");
    }
    assert_int_equal(canon_mac(NULL, out), -EINVAL);
    assert_true(canon_mac_equal("AA:BB:CC:DD:EE:FF", "aa-bb-cc-dd-ee-ff"));
    assert_false(canon_mac_equal("aa:bb:cc:dd:ee:fe", "aa:bb:cc:dd:ee:ff"));
    assert_true(canon_mac_equal("junk", "junk"));
    assert_false(canon_mac_equal("junk", NULL));
}

static void
test_ip(void **state)
{
    char out[VTEP_IP_LEN];

    (void)state;
    assert_int_equal(canon_ip("10.0.0.1", out), 0);
    assert_string_equal(out, "10.0.0.1");
    assert_int_equal(canon_ip("2001:DB8:0:0::1", out), 0);
    assert_string_equal(out, "2001:db8::1");
    assert_int_equal(canon_ip("::FFFF:10.0.0.1", out), 0);
    assert_string_equal(out, "::ffff:10.0.0.1");
    static const char *const bad[] = {"", "10.0.0", "10.0.0.256",
                                      "10.0.0.1/24", "host", "1::2::3",
                                      " 10.0.0.1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(canon_ip(bad[i], out), -EINVAL);
        assert_string_equal(out, "");
    }
    assert_int_equal(canon_ip_or_empty("", out), 0);
    assert_string_equal(out, "");
    assert_int_equal(canon_ip_or_empty("::1", out), 0);
    assert_true(canon_ip_equal("2001:db8::1", "2001:DB8:0::1"));
    assert_true(canon_ip_equal("", ""));
    assert_false(canon_ip_equal("", "10.0.0.1"));
    assert_false(canon_ip_equal("10.0.0.1", "10.0.0.2"));
}

static void
test_locator_order(void **state)
{
    struct vtep_locator a = {"10.0.0.1", VTEP_NO_KEY};
    struct vtep_locator b = {"10.0.0.1", 5};
    struct vtep_locator c = {"10.0.0.2", VTEP_NO_KEY};

    (void)state;
    assert_true(canon_locator_cmp(&a, &b) < 0);
    assert_true(canon_locator_cmp(&b, &c) < 0);
    assert_true(canon_locator_cmp(&c, &a) > 0);
    assert_int_equal(canon_locator_cmp(&b, &b), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_locator_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
