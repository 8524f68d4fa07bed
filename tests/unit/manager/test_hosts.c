/* Unit tests of manager/hosts.c: [ovsdb] ovsdb_hosts parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/config.h"
#include "lib/log.h"
#include "manager/hosts.h"

static void
expect_ok(const char *text, const struct config *cfg, struct hosts *h)
{
    char err[HOSTS_ERR_LEN];
    int rc = hosts_parse(text, cfg, h, err);
    if (rc) {
        fail_msg("'%s' failed: %s", text, err);
    }
}

static void
expect_err(const char *text, const struct config *cfg, const char *needle)
{
    char err[HOSTS_ERR_LEN];
    struct hosts h;

    assert_int_equal(hosts_parse(text, cfg, &h, err), -EINVAL);
    assert_int_equal(h.n, 0);
    if (!strstr(err, needle)) {
        fail_msg("error for '%s' is '%s', lacks '%s'", text, err, needle);
    }
}

static void
test_forms(void **state)
{
    struct hosts h;

    (void) state;
    expect_ok("ovsdb1:10.225.0.27:6632, sw2:tcp:192.0.2.1:6640,"
              "sw3:unix:/run/db.sock, sw4:[2001:DB8::1]:6640,"
              "sw5:tcp:[::1]:1",
              NULL, &h);
    assert_int_equal(h.n, 5);
    assert_string_equal(h.v[0].name, "ovsdb1");
    assert_string_equal(h.v[0].remote, "tcp:10.225.0.27:6632");
    assert_string_equal(h.v[1].remote, "tcp:192.0.2.1:6640");
    assert_string_equal(h.v[2].remote, "unix:/run/db.sock");
    assert_string_equal(h.v[3].name, "sw4");
    assert_string_equal(h.v[3].remote, "tcp:[2001:db8::1]:6640");
    assert_string_equal(h.v[4].remote, "tcp:[::1]:1");
    assert_null(h.v[0].ssl_key);
    hosts_destroy(&h);
}

static void
test_empty(void **state)
{
    struct hosts h;

    (void) state;
    expect_ok(NULL, NULL, &h);
    assert_int_equal(h.n, 0);
    expect_ok(" , \n ,", NULL, &h);
    assert_int_equal(h.n, 0);
    hosts_destroy(&h);
}

static void
test_ssl(void **state)
{
    struct config cfg;
    struct hosts h;
    char err[HOSTS_ERR_LEN];

    (void) state;
    config_init(&cfg);
    expect_err("sw1:ssl:10.0.0.1:6640", &cfg, "l2_gw_agent_priv_key_base_path");
    cfg.l2_gw_agent_priv_key_base_path = strdup("/etc/keys/");
    cfg.l2_gw_agent_cert_base_path = strdup("/etc/certs");
    expect_err("sw1:ssl:10.0.0.1:6640", &cfg, "l2_gw_agent_ca_cert_base_path");
    cfg.l2_gw_agent_ca_cert_base_path = strdup("/etc/ca");
    expect_ok("sw1:ssl:10.0.0.1:6640", &cfg, &h);
    assert_string_equal(h.v[0].remote, "ssl:10.0.0.1:6640");
    assert_string_equal(h.v[0].ssl_key, "/etc/keys/sw1.key");
    assert_string_equal(h.v[0].ssl_cert, "/etc/certs/sw1.cert");
    assert_string_equal(h.v[0].ssl_ca, "/etc/ca/sw1.ca_cert");
    /* The files do not exist: a clear error naming the entry and file. */
    assert_int_not_equal(hosts_check_files(&h.v[0], err), 0);
    assert_non_null(strstr(err, "'sw1'"));
    assert_non_null(strstr(err, "/etc/keys/sw1.key"));
    hosts_destroy(&h);
    config_destroy(&cfg);
}

static void
test_errors(void **state)
{
    (void) state;
    expect_err("sw1", NULL, "entry 'sw1'");
    expect_err(":10.0.0.1:6640", NULL, "expected name:IP:PORT");
    expect_err("sw1:10.0.0.1", NULL, "entry 'sw1:10.0.0.1'");
    expect_err("sw1:10.0.0.1:0", NULL, "not a port");
    expect_err("sw1:10.0.0.1:65536", NULL, "not a port");
    expect_err("sw1:10.0.0.1:66x", NULL, "not a port");
    expect_err("sw1:10.0.0.300:6640", NULL, "not an IPv4 address");
    expect_err("sw1:2001:db8::1:6640", NULL, "brackets");
    expect_err("sw1:[2001:db8::1:6640", NULL, "bracketed");
    expect_err("sw1:[10.0.0.1]:6640", NULL, "not an IPv6 address");
    expect_err("sw1:unix:", NULL, "empty unix socket path");
    expect_err("a/b:10.0.0.1:6640", NULL, "may not hold '/'");
    expect_err("sw1:10.0.0.1:6640, sw1:10.0.0.2:6640", NULL,
               "the name 'sw1' is used twice");
    expect_err("ok:10.0.0.1:6640, bad:1.2.3:4", NULL, "entry 'bad:1.2.3:4'");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_ssl),
        cmocka_unit_test(test_errors),
    };

    log_set_level(LOG_LEVEL_ERR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
