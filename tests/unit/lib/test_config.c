/* Unit tests of lib/config: defaults, every option type, errors, merging
 * of several files, networking-l2gw options, VNI ranges. */
#include "lib/config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/log.h"

static char logpath[64];
static struct config cfg;
static char err[512];

static int setup(void **state)
{
    strcpy(logpath, "/tmp/l2gw-test-config-log-XXXXXX");
    int fd = mkstemp(logpath);
    if (fd < 0) {
        return -1;
    }
    close(fd);
    log_set_level(LOG_LEVEL_INFO);
    config_init(&cfg);
    err[0] = '\0';
    return log_set_file(logpath);
}

static int teardown(void **state)
{
    config_destroy(&cfg);
    log_set_file(NULL);
    unlink(logpath);
    return 0;
}

/* The log so far; caller frees. */
static char *read_log(void)
{
    FILE *f = fopen(logpath, "r");
    char *buf = calloc(1, 1 << 16);
    size_t n = f ? fread(buf, 1, (1 << 16) - 1, f) : 0;

    buf[n] = '\0';
    if (f) {
        fclose(f);
    }
    return buf;
}

static int load(const char *text)
{
    err[0] = '\0';
    return config_load_string(&cfg, "l2gw.ini", text, err, sizeof err);
}

/* Loads 'text', expecting -EINVAL and exactly 'msg' as the error. */
static void expect_error(const char *text, const char *msg)
{
    assert_int_equal(load(text), -EINVAL);
    assert_string_equal(err, msg);
    char *log = read_log();
    assert_non_null(strstr(log, "|config|ERR|"));
    assert_non_null(strstr(log, msg));
    free(log);
}

static void test_defaults(void **state)
{
    char sock[256];

    assert_string_equal(cfg.bind_host, "127.0.0.1");
    assert_int_equal(cfg.bind_port, 9696);
    assert_int_equal(cfg.auth_strategy, CONFIG_AUTH_NOAUTH);
    assert_null(cfg.auth_token_file);
    assert_int_equal(cfg.api_max_body_bytes, 1048576);
    assert_null(cfg.log_file);
    assert_false(cfg.debug);
    assert_string_equal(cfg.state_path, "/var/lib/l2gw");
    assert_null(cfg.control_socket);
    assert_string_equal(cfg.db_connection, "sqlite:///var/lib/l2gw/l2gw.db");
    assert_null(cfg.ovsdb_hosts);
    assert_false(cfg.enable_manager);
    assert_int_equal(cfg.manager_table_listening_port, 6632);
    assert_int_equal(cfg.socket_timeout, 30);
    assert_int_equal(cfg.probe_interval, 5);
    assert_null(cfg.l2_gw_agent_priv_key_base_path);
    assert_null(cfg.l2_gw_agent_cert_base_path);
    assert_null(cfg.l2_gw_agent_ca_cert_base_path);
    assert_null(cfg.listener_private_key);
    assert_null(cfg.listener_certificate);
    assert_null(cfg.listener_ca_cert);
    assert_false(cfg.durable_commit);
    assert_string_equal(cfg.replication_mode, "source_node");
    assert_null(cfg.service_node_ips);
    assert_true(cfg.adopt_existing_logical_switches);
    assert_null(cfg.per_locator_key_switches);
    assert_int_equal(cfg.max_message_bytes, 268435456);
    assert_int_equal(cfg.max_learned_macs, 300000);
    assert_string_equal(cfg.vni_ranges, "1:16777215");
    assert_int_equal(cfg.quota_l2_gateway_connection, -1);

    assert_int_equal(config_control_socket(&cfg, sock, sizeof sock), 0);
    assert_string_equal(sock, "/var/lib/l2gw/l2gwd.ctl");
}

static void test_design_sample(void **state)
{
    const char *text = "[DEFAULT]\n"
                       "bind_host = 0.0.0.0        # API address\n"
                       "bind_port = 9797\n"
                       "auth_strategy = keystone\n"
                       "api_max_body_bytes = 2048\n"
                       "debug = True\n"
                       "log_file = /var/log/l2gw.log\n"
                       "state_path = /srv/l2gw\n"
                       "\n"
                       "[database]\n"
                       "connection = postgresql://user:pw@host/db\n"
                       "\n"
                       "[ovsdb]\n"
                       "ovsdb_hosts = ovsdb1:10.225.0.27:6632\n"
                       "enable_manager = False\n"
                       "manager_table_listening_port = 6640\n"
                       "socket_timeout = 31\n"
                       "probe_interval = 0\n"
                       "l2_gw_agent_priv_key_base_path = /keys\n"
                       "l2_gw_agent_cert_base_path = /certs\n"
                       "l2_gw_agent_ca_cert_base_path = /ca\n"
                       "listener_private_key = /l/key.pem\n"
                       "listener_certificate = /l/cert.pem\n"
                       "listener_ca_cert = /l/ca.pem\n"
                       "durable_commit = yes\n"
                       "replication_mode = service_node\n"
                       "service_node_ips = 10.0.0.1,10.0.0.2\n"
                       "adopt_existing_logical_switches = off\n"
                       "per_locator_key_switches = border1\n"
                       "max_message_bytes = 1048576\n"
                       "max_learned_macs = 1000\n"
                       "\n"
                       "[l2gw]\n"
                       "vni_ranges = 100:200, 300:400\n"
                       "\n"
                       "[QUOTAS]\n"
                       "quota_l2_gateway_connection = 10\n";
    char sock[256];

    assert_int_equal(load(text), 0);
    assert_string_equal(cfg.bind_host, "0.0.0.0");
    assert_int_equal(cfg.bind_port, 9797);
    assert_int_equal(cfg.auth_strategy, CONFIG_AUTH_KEYSTONE);
    assert_int_equal(cfg.api_max_body_bytes, 2048);
    assert_true(cfg.debug);
    assert_string_equal(cfg.log_file, "/var/log/l2gw.log");
    assert_string_equal(cfg.state_path, "/srv/l2gw");
    assert_string_equal(cfg.db_connection, "postgresql://user:pw@host/db");
    assert_string_equal(cfg.ovsdb_hosts, "ovsdb1:10.225.0.27:6632");
    assert_false(cfg.enable_manager);
    assert_int_equal(cfg.manager_table_listening_port, 6640);
    assert_int_equal(cfg.socket_timeout, 31);
    assert_int_equal(cfg.probe_interval, 0);
    assert_string_equal(cfg.l2_gw_agent_priv_key_base_path, "/keys");
    assert_string_equal(cfg.l2_gw_agent_cert_base_path, "/certs");
    assert_string_equal(cfg.l2_gw_agent_ca_cert_base_path, "/ca");
    assert_string_equal(cfg.listener_private_key, "/l/key.pem");
    assert_string_equal(cfg.listener_certificate, "/l/cert.pem");
    assert_string_equal(cfg.listener_ca_cert, "/l/ca.pem");
    assert_true(cfg.durable_commit);
    assert_string_equal(cfg.replication_mode, "service_node");
    assert_string_equal(cfg.service_node_ips, "10.0.0.1,10.0.0.2");
    assert_false(cfg.adopt_existing_logical_switches);
    assert_string_equal(cfg.per_locator_key_switches, "border1");
    assert_int_equal(cfg.max_message_bytes, 1048576);
    assert_int_equal(cfg.max_learned_macs, 1000);
    assert_string_equal(cfg.vni_ranges, "100:200, 300:400");
    assert_int_equal(cfg.quota_l2_gateway_connection, 10);
    assert_int_equal(config_control_socket(&cfg, sock, sizeof sock), 0);
    assert_string_equal(sock, "/srv/l2gw/l2gwd.ctl");
    assert_int_equal(load("[DEFAULT]\ncontrol_socket = /run/x.ctl\n"), 0);
    assert_int_equal(config_control_socket(&cfg, sock, sizeof sock), 0);
    assert_string_equal(sock, "/run/x.ctl");
    assert_int_equal(config_control_socket(&cfg, sock, 5), -ENAMETOOLONG);
}

static void test_bool_spellings(void **state)
{
    const char *yes[] = {"true", "TRUE", "True", "yes", "Yes", "on", "ON", "1"};
    const char *no[] = {"false", "FALSE", "no", "NO", "off", "Off", "0"};
    char text[128];

    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        snprintf(text, sizeof text, "[DEFAULT]\ndebug = %s\n", yes[i]);
        assert_int_equal(load(text), 0);
        assert_true(cfg.debug);
        snprintf(text, sizeof text, "[DEFAULT]\ndebug = %s\n",
                 no[i % (sizeof no / sizeof no[0])]);
        assert_int_equal(load(text), 0);
        assert_false(cfg.debug);
    }
}

static void test_bad_values(void **state)
{
    expect_error("[DEFAULT]\n# comment\n\nbind_port = abc\n",
                 "l2gw.ini:4: [DEFAULT] bind_port: invalid integer 'abc' "
                 "(expected 0..65535)");
    expect_error("[DEFAULT]\nbind_port = 65536\n",
                 "l2gw.ini:2: [DEFAULT] bind_port: invalid integer '65536' "
                 "(expected 0..65535)");
    expect_error("[DEFAULT]\nbind_port = -1\n",
                 "l2gw.ini:2: [DEFAULT] bind_port: invalid integer '-1' "
                 "(expected 0..65535)");
    expect_error("[DEFAULT]\nbind_port = 12x\n",
                 "l2gw.ini:2: [DEFAULT] bind_port: invalid integer '12x' "
                 "(expected 0..65535)");
    expect_error("[ovsdb]\nmanager_table_listening_port = 0\n",
                 "l2gw.ini:2: [ovsdb] manager_table_listening_port: invalid "
                 "integer '0' (expected 1..65535)");
    expect_error("[ovsdb]\nmax_learned_macs = 99999999999999999999\n",
                 "l2gw.ini:2: [ovsdb] max_learned_macs: invalid integer "
                 "'99999999999999999999' (expected 1..100000000)");
    expect_error("[QUOTAS]\nquota_l2_gateway_connection = -2\n",
                 "l2gw.ini:2: [QUOTAS] quota_l2_gateway_connection: invalid "
                 "integer '-2' (expected an integer >= -1)");
    expect_error("[ovsdb]\nenable_manager = maybe\n",
                 "l2gw.ini:2: [ovsdb] enable_manager: invalid boolean "
                 "'maybe' (expected true/false, yes/no, on/off, 1/0)");
    expect_error("[DEFAULT]\nauth_strategy = Keystone\n",
                 "l2gw.ini:2: [DEFAULT] auth_strategy: invalid value "
                 "'Keystone' (expected noauth|token|keystone)");
    expect_error("[ovsdb]\nreplication_mode = flood\n",
                 "l2gw.ini:2: [ovsdb] replication_mode: invalid value "
                 "'flood' (expected source_node|service_node)");
    expect_error("[l2gw]\nvni_ranges = 0:10\n",
                 "l2gw.ini:2: [l2gw] vni_ranges: invalid VNI ranges '0:10' "
                 "(expected a:b[,c:d...] with 1 <= a <= b <= 16777215)");
}

static void test_bad_value_in_file(void **state)
{
    char path[] = "/tmp/l2gw-test-config-XXXXXX";
    int fd = mkstemp(path);
    const char *text = "[DEFAULT]\nbind_port = 80\n\n[ovsdb]\n"
                       "socket_timeout = soon\n";
    char want[256];

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -EINVAL);
    snprintf(want, sizeof want,
             "%s:5: [ovsdb] socket_timeout: invalid integer 'soon' "
             "(expected 1..86400)",
             path);
    assert_string_equal(err, want);
    assert_int_equal(cfg.bind_port, 80); /* lines before the error applied */
    unlink(path);
}

static void test_missing_file(void **state)
{
    assert_int_equal(
        config_load_file(&cfg, "/nonexistent/l2gw.ini", err, sizeof err),
        -ENOENT);
    assert_non_null(strstr(err, "/nonexistent/l2gw.ini"));
    /* errbuf is optional. */
    assert_int_equal(config_load_file(&cfg, "/nonexistent/l2gw.ini", NULL, 0),
                     -ENOENT);
}

static void test_syntax_errors(void **state)
{
    expect_error("[DEFAULT]\nbind_port = 1\njunk line\n",
                 "l2gw.ini:3: syntax error (expected '[section]' or "
                 "'option = value')");
    expect_error("[DEFAULT\nbind_port = 1\n",
                 "l2gw.ini:1: syntax error (expected '[section]' or "
                 "'option = value')");
    expect_error("bind_port = 1\n",
                 "l2gw.ini:1: option 'bind_port' outside of any section");
}

static void test_long_lines(void **state)
{
    size_t n = 60000;
    char *text = malloc(n + 64);
    int off = sprintf(text, "[ovsdb]\novsdb_hosts = ");
    memset(text + off, 'h', n);
    strcpy(text + off + n, "\nsocket_timeout = x\n");

    /* A long value is kept whole, and line numbers stay right. */
    assert_int_equal(load(text), -EINVAL);
    assert_int_equal(strlen(cfg.ovsdb_hosts), n);
    assert_non_null(strstr(err, "l2gw.ini:3: [ovsdb] socket_timeout"));
    free(text);

    text = malloc(70000 + 64);
    off = sprintf(text, "[ovsdb]\novsdb_hosts = ");
    memset(text + off, 'h', 70000);
    strcpy(text + off + 70000, "\n");
    assert_int_equal(load(text), -EINVAL);
    assert_string_equal(err, "l2gw.ini:2: line too long (over 65535 bytes)");
    free(text);
}

static void test_long_value_in_message_is_cut(void **state)
{
    char text[1024];
    int off = sprintf(text, "[DEFAULT]\nbind_port = ");
    memset(text + off, '9', 500);
    strcpy(text + off + 500, "\n");

    assert_int_equal(load(text), -EINVAL);
    assert_true(strlen(err) < 300);
    assert_non_null(strstr(err, "99...' (expected 0..65535)"));
}

static void test_unknown_warns_and_goes_on(void **state)
{
    const char *text = "[DEFAULT]\nbogus_option = 1\nbind_port = 1234\n"
                       "[nosuchsection]\nfoo = bar\n"
                       "[default]\nbind_port = 5\n";

    assert_int_equal(load(text), 0);
    assert_int_equal(cfg.bind_port, 1234); /* [default] != [DEFAULT] */
    char *log = read_log();
    assert_non_null(strstr(log, "|config|WARN|l2gw.ini:2: [DEFAULT] "
                                "bogus_option: unknown option, ignored\n"));
    assert_non_null(strstr(log, "|config|WARN|l2gw.ini:5: [nosuchsection] "
                                "foo: unknown section, ignored\n"));
    assert_non_null(strstr(log, "[default] bind_port: unknown section"));
    free(log);
}

/* The options of networking-l2gw's l2gw_plugin.ini and
 * l2gateway_agent.ini, and Neutron's, load without warnings. */
static void test_networking_l2gw_options(void **state)
{
    const char *plugin_ini =
        "[DEFAULT]\n"
        "default_interface_name = \"FortyGigE1/0/1\"\n"
        "default_device_name = \"Switch1\"\n"
        "quota_l2_gateway = 10\n"
        "periodic_monitoring_interval = 5\n"
        "l2gw_callback_class = networking_l2gw.services.l2gateway.ovsdb."
        "data.L2GatewayOVSDBCallbacks\n"
        "api_extensions_path = /usr/lib/python3/dist-packages/"
        "networking_l2gw/extensions\n"
        "core_plugin = ml2\n"
        "service_plugins = router,networking_l2gw.services.l2gateway."
        "plugin.L2GatewayPlugin\n"
        "debug = False\n"
        "log_file = /var/log/neutron/l2gw.log\n"
        "[service_providers]\n"
        "service_provider=L2GW:l2gw:networking_l2gw.services.l2gateway."
        "service_drivers.rpc_l2gw.L2gwRpcDriver:default\n"
        "[database]\n"
        "connection = sqlite:////tmp/x.db\n";
    const char *agent_ini =
        "[DEFAULT]\n"
        "debug = False\n"
        "[ovsdb]\n"
        "ovsdb_hosts = 'ovsdb1:16.95.16.1:6632,ovsdb2:16.95.16.2:6632'\n"
        "enable_manager = False\n"
        "manager_table_listening_port = 6632\n"
        "l2_gw_agent_priv_key_base_path = '/home/someuser/keys'\n"
        "periodic_interval = 20\n"
        "max_connection_retries = 10\n"
        "socket_timeout = 30\n";

    log_set_level(LOG_LEVEL_DBG);
    assert_int_equal(load(plugin_ini), 0);
    assert_int_equal(load(agent_ini), 0);
    log_set_level(LOG_LEVEL_INFO);
    assert_string_equal(cfg.log_file, "/var/log/neutron/l2gw.log");
    assert_string_equal(cfg.db_connection, "sqlite:////tmp/x.db");
    /* Quotes removed as oslo.config does. */
    assert_string_equal(cfg.ovsdb_hosts,
                        "ovsdb1:16.95.16.1:6632,ovsdb2:16.95.16.2:6632");
    assert_string_equal(cfg.l2_gw_agent_priv_key_base_path,
                        "/home/someuser/keys");
    char *log = read_log();
    assert_null(strstr(log, "|WARN|"));
    assert_non_null(strstr(log, "|DBG|l2gw.ini:4: [DEFAULT] quota_l2_gateway: "
                                "not used by l2gw, ignored"));
    assert_non_null(strstr(log, "[service_providers] service_provider: "
                                "not used by l2gw"));
    assert_non_null(strstr(log, "[ovsdb] max_connection_retries: not used"));
    free(log);
}

static void test_files_override_in_order(void **state)
{
    char a[] = "/tmp/l2gw-test-config-a-XXXXXX";
    char b[] = "/tmp/l2gw-test-config-b-XXXXXX";
    const char *ta = "[DEFAULT]\nbind_host = 10.0.0.1\nbind_port = 1000\n"
                     "[ovsdb]\novsdb_hosts = s1:1.1.1.1:6632\n";
    const char *tb = "[DEFAULT]\nbind_port = 2000\n"
                     "[ovsdb]\novsdb_hosts = s2:2.2.2.2:6632\n";
    int fa = mkstemp(a), fb = mkstemp(b);

    assert_int_equal(write(fa, ta, strlen(ta)), (int)strlen(ta));
    assert_int_equal(write(fb, tb, strlen(tb)), (int)strlen(tb));
    close(fa);
    close(fb);
    assert_int_equal(config_load_file(&cfg, a, err, sizeof err), 0);
    assert_int_equal(config_load_file(&cfg, b, err, sizeof err), 0);
    assert_string_equal(cfg.bind_host, "10.0.0.1"); /* only in a */
    assert_int_equal(cfg.bind_port, 2000);
    assert_string_equal(cfg.ovsdb_hosts, "s2:2.2.2.2:6632");
    unlink(a);
    unlink(b);
}

static void test_duplicates_and_continuations(void **state)
{
    const char *text = "[DEFAULT]\nbind_port = 1\nbind_port = 2\n"
                       "[ovsdb]\n"
                       "ovsdb_hosts = a:1.1.1.1:6632,\n"
                       "  b:2.2.2.2:6632\n"
                       "[DEFAULT]\nbind_port = 3 ; comment\n";

    assert_int_equal(load(text), 0);
    assert_int_equal(cfg.bind_port, 3);
    assert_string_equal(cfg.ovsdb_hosts, "a:1.1.1.1:6632,\nb:2.2.2.2:6632");
}

static void test_empty_value_means_default(void **state)
{
    assert_int_equal(load("[DEFAULT]\nbind_port = 1\nbind_host = h\n"
                          "auth_token_file = /t\n"),
                     0);
    assert_int_equal(load("[DEFAULT]\nbind_port =\nbind_host =\n"
                          "auth_token_file =\n"),
                     0);
    assert_int_equal(cfg.bind_port, 9696);
    assert_string_equal(cfg.bind_host, "127.0.0.1");
    assert_null(cfg.auth_token_file);
}

static void test_vni_ranges(void **state)
{
    long long r[4][2];

    assert_int_equal(config_parse_vni_ranges("1:16777215", r, 4), 1);
    assert_int_equal(r[0][0], 1);
    assert_int_equal(r[0][1], 16777215);
    assert_int_equal(config_parse_vni_ranges(" 5:5 , 10:20,30:40", r, 4), 3);
    assert_int_equal(r[0][0], 5);
    assert_int_equal(r[0][1], 5);
    assert_int_equal(r[1][0], 10);
    assert_int_equal(r[2][1], 40);
    assert_int_equal(config_parse_vni_ranges("1:2,3:4,5:6", r, 2), -E2BIG);
    assert_int_equal(config_parse_vni_ranges("1:2,3:4", NULL, 2), 2);

    const char *bad[] = {"",        "0:5",  "1:16777216", "5:4",
                         "5",       "1:2,", ",1:2",       "a:b",
                         "1:2:3",   "-1:2", "+1:2",       "1 2:3",
                         "1:2;3:4", ":5",   "5:",         NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(config_parse_vni_ranges(bad[i], r, 4), -EINVAL);
    }
    assert_int_equal(config_parse_vni_ranges(NULL, r, 4), -EINVAL);
}

static void test_destroy_twice_and_reinit(void **state)
{
    assert_int_equal(load("[DEFAULT]\nbind_host = x\n"), 0);
    config_destroy(&cfg);
    assert_null(cfg.bind_host);
    config_destroy(&cfg);
    config_destroy(NULL);
    config_init(&cfg);
    assert_string_equal(cfg.bind_host, "127.0.0.1");
}

int main(void)
{
#define T(F) cmocka_unit_test_setup_teardown(F, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_defaults),
        T(test_design_sample),
        T(test_bool_spellings),
        T(test_bad_values),
        T(test_bad_value_in_file),
        T(test_missing_file),
        T(test_syntax_errors),
        T(test_long_lines),
        T(test_long_value_in_message_is_cut),
        T(test_unknown_warns_and_goes_on),
        T(test_networking_l2gw_options),
        T(test_files_override_in_order),
        T(test_duplicates_and_continuations),
        T(test_empty_value_means_default),
        T(test_vni_ranges),
        T(test_destroy_twice_and_reinit),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
