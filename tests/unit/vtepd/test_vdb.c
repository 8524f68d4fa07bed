/* Unit tests of vtepd/vdb: the model read from a replica, and the
 * transaction that makes the switch's own rows right.  The session never
 * connects; the replica is filled with <table-updates> directly. */
#include "vtepd/vdb.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "ovsdb/txn.h"
#include "vtepd/vconf.h"
#include "vtepd/vdb_priv.h"

#define U_LS "11111111-1111-4111-8111-111111111111"
#define U_PS "22222222-2222-4222-8222-222222222222"
#define U_PORT "33333333-3333-4333-8333-333333333333"
#define U_L1 "44444444-4444-4444-8444-444444444441"
#define U_L2 "44444444-4444-4444-8444-444444444442"
#define U_OWN "44444444-4444-4444-8444-444444444443"
#define U_SET "55555555-5555-4555-8555-555555555555"
#define U_G "66666666-6666-4666-8666-666666666666"

struct fx {
    struct vconf cfg;
    struct vdb *vdb;
};

static int setup(void **state)
{
    static struct fx f;
    char err[VCONF_ERR_LEN];
    vconf_init(&f.cfg);
    assert_int_equal(vconf_parse_string(&f.cfg, "t",
                                        "[vtepd]\n"
                                        "db = unix:/nonexistent/db.sock\n"
                                        "switch_name = gw1\n"
                                        "tunnel_ip = 10.0.0.1\n"
                                        "ports = bm0\n",
                                        err),
                     0);
    assert_int_equal(vconf_finish(&f.cfg, err), 0);
    assert_int_equal(vdb_create(&f.cfg, &f.vdb), 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    vdb_destroy(f->vdb);
    vconf_destroy(&f->cfg);
    return 0;
}

static void apply(struct fx *f, const char *updates)
{
    json_error_t e;
    json_t *u = json_loads(updates, 0, &e);
    if (!u) {
        fail_msg("bad fixture JSON: %s", e.text);
    }
    assert_int_equal(replica_apply(session_replica(f->vdb->session), u), 0);
    json_decref(u);
}

/* The switch as registered, with a binding, a compute and a WAN locator,
 * two remote MACs and a flood set. */
static const char *const wishes =
    "{\"Global\": {\"" U_G "\": {\"new\": {\"switches\": [\"uuid\", \"" U_PS
    "\"]}}},"
    " \"Physical_Switch\": {\"" U_PS "\": {\"new\": {\"name\": \"gw1\","
    "   \"description\": \"l2gw-vtepd software VTEP\","
    "   \"tunnel_ips\": \"10.0.0.1\","
    "   \"other_config\": [\"map\", [[\"l2gw-per-locator-key\", \"true\"]]],"
    "   \"ports\": [\"uuid\", \"" U_PORT "\"]}}},"
    " \"Physical_Port\": {\"" U_PORT "\": {\"new\": {\"name\": \"bm0\","
    "   \"port_fault_status\": [\"set\", []],"
    "   \"vlan_bindings\": [\"map\", [[0, [\"uuid\", \"" U_LS "\"]]]]}}},"
    " \"Logical_Switch\": {\"" U_LS "\": {\"new\": {\"name\": \"net1\","
    "   \"tunnel_key\": 5000, \"replication_mode\": \"service_node\"}}},"
    " \"Physical_Locator\": {"
    "   \"" U_L1 "\": {\"new\": {\"dst_ip\": \"10.0.0.2\","
    "       \"encapsulation_type\": \"vxlan_over_ipv4\","
    "       \"tunnel_key\": [\"set\", []]}},"
    "   \"" U_L2 "\": {\"new\": {\"dst_ip\": \"198.18.0.2\","
    "       \"encapsulation_type\": \"vxlan_over_ipv4\", \"tunnel_key\": "
    "456}}},"
    " \"Physical_Locator_Set\": {\"" U_SET "\": {\"new\": {\"locators\":"
    "   [\"set\", [[\"uuid\", \"" U_L1 "\"], [\"uuid\", \"" U_L2 "\"]]]}}},"
    " \"Ucast_Macs_Remote\": {"
    "   \"77777777-7777-4777-8777-777777777771\": {\"new\": {"
    "     \"MAC\": \"02:00:00:00:00:10\", \"ipaddr\": \"192.168.1.10\","
    "     \"logical_switch\": [\"uuid\", \"" U_LS "\"],"
    "     \"locator\": [\"uuid\", \"" U_L1 "\"]}},"
    "   \"77777777-7777-4777-8777-777777777772\": {\"new\": {"
    "     \"MAC\": \"02:00:00:00:00:30\", \"ipaddr\": \"\","
    "     \"logical_switch\": [\"uuid\", \"" U_LS "\"],"
    "     \"locator\": [\"uuid\", \"" U_L2 "\"]}},"
    "   \"77777777-7777-4777-8777-777777777773\": {\"new\": {"
    "     \"MAC\": \"not-a-mac\","
    "     \"logical_switch\": [\"uuid\", \"" U_LS "\"],"
    "     \"locator\": [\"uuid\", \"" U_L2 "\"]}}},"
    " \"Mcast_Macs_Remote\": {\"88888888-8888-4888-8888-888888888888\":"
    "   {\"new\": {\"MAC\": \"unknown-dst\","
    "     \"logical_switch\": [\"uuid\", \"" U_LS "\"],"
    "     \"locator_set\": [\"uuid\", \"" U_SET "\"]}}}}";

static void test_model(void **state)
{
    struct fx *f = *state;
    struct model m;
    apply(f, wishes);
    model_init(&m);
    assert_int_equal(vdb_model(f->vdb, &m), 0);
    assert_int_equal(m.n_ls, 1);
    assert_string_equal(m.ls[0].name, "net1");
    assert_true(m.ls[0].has_key);
    assert_int_equal(m.ls[0].key, 5000);
    assert_true(m.ls[0].service_node);
    assert_int_equal(m.n_bindings, 1);
    assert_string_equal(m.bindings[0].port, "bm0");
    assert_int_equal(m.bindings[0].vlan, 0);
    assert_int_equal(m.n_macs, 2); /* the malformed MAC is skipped */
    for (size_t i = 0; i < 2; i++) {
        bool wan = m.macs[i].mac[5] == 0x30;
        assert_int_equal(m.macs[i].loc.has_key, wan);
        assert_int_equal(m.macs[i].loc.key, wan ? 456 : 0);
        assert_int_equal(m.macs[i].ip, wan ? 0 : inet_addr("192.168.1.10"));
    }
    assert_int_equal(m.n_floods, 2);
    model_clear(&m);
}

/* The operation names of a transaction, joined by spaces. */
static void ops_of(const struct txn *txn, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < txn_n_ops(txn); i++) {
        strncat(out, txn_op_name(txn, i), size - strlen(out) - 1);
        strncat(out, ":", size - strlen(out) - 1);
        strncat(out, txn_op_table(txn, i) ? txn_op_table(txn, i) : "",
                size - strlen(out) - 1);
        strncat(out, " ", size - strlen(out) - 1);
    }
}

static void test_first_start(void **state)
{
    struct fx *f = *state;
    struct txn *txn = txn_create("hardware_vtep");
    char ops[512];
    assert_int_equal(vdb_sync_build(f->vdb, txn), 3);
    ops_of(txn, ops, sizeof ops);
    assert_string_equal(ops, "insert:Physical_Port insert:Physical_Switch "
                             "insert:Global ");
    json_t *p = txn_params(txn);
    char *s = json_dumps(p, JSON_COMPACT);
    assert_non_null(strstr(s, "\"l2gw-per-locator-key\",\"true\""));
    assert_true(strstr(s, "\"tunnel_ips\":\"10.0.0.1\"") ||
                strstr(s, "\"tunnel_ips\":[\"set\",[\"10.0.0.1\"]]"));
    free(s);
    json_decref(p);
    txn_destroy(txn);
}

static void test_converged_then_learned(void **state)
{
    struct fx *f = *state;
    struct model m;
    char ops[512];
    apply(f, wishes);
    model_init(&m);
    assert_int_equal(vdb_model(f->vdb, &m), 0);
    /* Nothing learned, no fault, but the switch is served: only its
     * Mcast_Macs_Local (with our locator, inserted on first use). */
    assert_int_equal(vdb_publish(f->vdb, NULL, 0, NULL, 0, &m), 0);
    struct txn *txn = txn_create("hardware_vtep");
    assert_int_equal(vdb_sync_build(f->vdb, txn), 3);
    ops_of(txn, ops, sizeof ops);
    assert_string_equal(ops, "insert:Physical_Locator "
                             "insert:Physical_Locator_Set "
                             "insert:Mcast_Macs_Local ");
    txn_destroy(txn);
    /* Our locator exists: a learned MAC and a fault. */
    apply(f, "{\"Physical_Locator\": {\"" U_OWN "\": {\"new\": {"
             "\"dst_ip\": \"10.0.0.1\", \"encapsulation_type\":"
             " \"vxlan_over_ipv4\", \"tunnel_key\": [\"set\", []]}}}}");
    struct dp_mac mac = {.mac = {2, 0, 0, 0, 0, 0x20}, .ls_uuid = U_LS};
    struct dp_fault fault = {.port = "bm0", .reason = "invalid_vlan_map"};
    assert_int_equal(vdb_publish(f->vdb, &mac, 1, &fault, 1, &m), 0);
    txn = txn_create("hardware_vtep");
    assert_int_equal(vdb_sync_build(f->vdb, txn), 4);
    ops_of(txn, ops, sizeof ops);
    assert_string_equal(ops, "update:Physical_Port insert:Ucast_Macs_Local "
                             "insert:Physical_Locator_Set "
                             "insert:Mcast_Macs_Local ");
    json_t *p = txn_params(txn);
    char *s = json_dumps(p, JSON_COMPACT);
    assert_non_null(strstr(s, "\"MAC\":\"02:00:00:00:00:20\""));
    assert_non_null(strstr(s, U_OWN));
    assert_non_null(strstr(s, "invalid_vlan_map"));
    free(s);
    json_decref(p);
    txn_destroy(txn);
    model_clear(&m);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_model),
        T(test_first_start),
        T(test_converged_then_learned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
