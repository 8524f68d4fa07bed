/* Unit tests of vtepd/vconf. */
#include "vtepd/vconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "l2gw-config.h"

static void test_defaults_and_values(void **state)
{
    struct vconf c;
    char err[VCONF_ERR_LEN];
    vconf_init(&c);
    assert_int_equal(vconf_parse_string(&c, "t.ini",
                                        "[DEFAULT]\nother = 1\n"
                                        "[vtepd]\n"
                                        "db = unix:/tmp/x.sock\n"
                                        "switch_name = gw1\n"
                                        "tunnel_ip = 10.0.0.1\n"
                                        "wan_ip = 198.18.0.1\n"
                                        "ports = eth1, eth2 ,eth3\n"
                                        "mtu = 1450\n",
                                        err),
                     0);
    assert_int_equal(vconf_finish(&c, err), 0);
    assert_string_equal(c.db, "unix:/tmp/x.sock");
    assert_string_equal(c.switch_name, "gw1");
    assert_int_equal(c.tunnel_ip, inet_addr("10.0.0.1"));
    assert_int_equal(c.wan_ip, inet_addr("198.18.0.1"));
    assert_int_equal(c.n_ports, 3);
    assert_string_equal(c.ports[2], "eth3");
    assert_int_equal(c.mtu, 1450);
    assert_int_equal(c.ageing_time, 300);
    assert_true(c.arp_suppression);
    assert_string_equal(c.prefix, "lv");
    assert_string_equal(c.wan_netns, "lv-wan");
    vconf_destroy(&c);
}

static void expect_bad(const char *text, const char *fragment)
{
    struct vconf c;
    char err[VCONF_ERR_LEN] = "";
    vconf_init(&c);
    assert_int_equal(vconf_parse_string(&c, "t.ini", text, err), -EINVAL);
    if (!strstr(err, fragment)) {
        fail_msg("error '%s' lacks '%s'", err, fragment);
    }
    vconf_destroy(&c);
}

static void test_bad_values(void **state)
{
    expect_bad("[vtepd]\ntunnel_ip = 300.1.1.1\n",
               "t.ini:2: [vtepd] tunnel_ip");
    expect_bad("[vtepd]\nmtu = 10\n", "mtu: invalid value '10'");
    expect_bad("[vtepd]\nprefix = TOOLONG\n", "prefix");
    expect_bad("[vtepd]\nprefix = A\n", "prefix");
    expect_bad("[vtepd]\nports = eth0, eth0\n", "ports");
    expect_bad("[vtepd]\nports = averyveryverylongname\n", "ports");
    expect_bad("[vtepd]\nbogus = 1\n", "unknown option");
    expect_bad("[vtepd]\narp_suppression = maybe\n", "arp_suppression");
}

static void test_finish(void **state)
{
    struct vconf c;
    char err[VCONF_ERR_LEN];
    vconf_init(&c);
    assert_int_equal(vconf_finish(&c, err), -EINVAL); /* no switch_name */
    assert_int_equal(vconf_parse_string(&c, "t",
                                        "[vtepd]\nswitch_name=s\n"
                                        "tunnel_ip=1.2.3.4\nwan_ip=1.2.3.4\n"
                                        "prefix=ab\nwan_netns=w\n",
                                        err),
                     0);
    assert_int_equal(vconf_finish(&c, err), -EINVAL); /* wan = tunnel */
    assert_non_null(strstr(err, "wan_ip"));
    assert_int_equal(vconf_parse_string(&c, "t", "[vtepd]\nwan_ip=\n", err), 0);
    assert_int_equal(vconf_finish(&c, err), 0);
    assert_string_equal(c.wan_netns, "w");
    vconf_destroy(&c);
}

static void test_wan_allow_list(void **state)
{
    struct vconf c;
    char err[VCONF_ERR_LEN];
    vconf_init(&c);
    assert_false(c.wan_allow_list); /* off by default */
    assert_int_equal(vconf_parse_string(&c, "t",
                                        "[vtepd]\nswitch_name=s\n"
                                        "tunnel_ip=1.2.3.4\n"
                                        "wan_allow_list = yes\n",
                                        err),
                     0);
    assert_true(c.wan_allow_list);
    assert_int_equal(vconf_finish(&c, err), -EINVAL);
    assert_non_null(strstr(err, "wan_allow_list needs wan_ip"));
    assert_int_equal(
        vconf_parse_string(&c, "t", "[vtepd]\nwan_ip=5.6.7.8\n", err), 0);
#ifdef HAVE_LIBNFTNL
    assert_int_equal(vconf_finish(&c, err), 0);
#else
    assert_int_equal(vconf_finish(&c, err), -EINVAL);
    assert_non_null(strstr(err, "libnftnl"));
#endif
    assert_int_equal(
        vconf_parse_string(&c, "t", "[vtepd]\nwan_allow_list=off\n", err), 0);
    assert_false(c.wan_allow_list);
    assert_int_equal(vconf_finish(&c, err), 0);
    vconf_destroy(&c);
    expect_bad("[vtepd]\nwan_allow_list = maybe\n", "wan_allow_list");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_finish),
        cmocka_unit_test(test_wan_allow_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
