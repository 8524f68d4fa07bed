/* Unit tests of core/switchcheck.c: api.md connection create steps 5-6
 * over registry rows inserted by SQL. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "core/switchcheck.h"
#include "lib/config.h"
#include "lib/log.h"
#include "store/store.h"

#define NET1 "11111111-1111-4111-8111-111111111111"
#define NET2 "22222222-2222-4222-8222-222222222222"
#define T "'2026-01-01T00:00:00Z'"

struct fx {
    struct store *st;
    struct config cfg;
    struct core *core;
    struct core_err err;
};

static void
sql(struct fx *f, const char *text)
{
    if (store_exec(f->st, text)) {
        fail_msg("SQL failed: %s", text);
    }
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    log_set_level(LOG_LEVEL_ERR);
    assert_int_equal(store_open("sqlite://:memory:", &f->st), 0);
    assert_int_equal(store_migrate(f->st, NULL), 0);
    config_init(&f->cfg);
    assert_int_equal(core_create(f->st, &f->cfg, &f->core), 0);
    /* Two networks; switch sw1 (disconnected) on db1 with ports p1, p2;
     * gateway g1: sw1/p1 untagged-by-interface; gateway g2 the same port. */
    sql(f, "INSERT INTO networks (id, project_id, name, vni, created_at, "
           "updated_at) VALUES ('" NET1 "', 'p', 'n1', 5000, " T ", " T "),"
           "('" NET2 "', 'p', 'n2', 5001, " T ", " T ");"
           "INSERT INTO switches (id, name, ovsdb_identifier, connected, "
           "created_at, updated_at) VALUES ('s1', 'sw1', 'db1', 0, " T ", " T
           ");"
           "INSERT INTO switch_ports (switch_id, name) VALUES ('s1', 'p1'), "
           "('s1', 'p2');"
           "INSERT INTO gateways (id, project_id, created_at, updated_at) "
           "VALUES ('g1', 'p', " T ", " T "), ('g2', 'p', " T ", " T ");"
           "INSERT INTO gateway_devices (id, gateway_id, position, "
           "device_name) VALUES ('d1', 'g1', 0, 'sw1'), ('d2', 'g2', 0, "
           "'sw1');"
           "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('d1', 0, 'p1', 0), ('d2', 0, 'p1', 0)");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    core_destroy(f->core);
    config_destroy(&f->cfg);
    store_close(f->st);
    free(f);
    return 0;
}

static int
check(struct fx *f, const char *gw, const char *net, long long vlan)
{
    memset(&f->err, 0, sizeof f->err);
    return switchcheck_connection(f->core, gw, net, vlan >= 0 ? &vlan : NULL,
                                  NULL, &f->err);
}

static void
expect(struct fx *f, int rc, enum core_error code, const char *msg_part)
{
    assert_int_not_equal(rc, 0);
    assert_int_equal(f->err.code, code);
    if (msg_part && !strstr(f->err.msg, msg_part)) {
        fail_msg("message '%s' lacks '%s'", f->err.msg, msg_part);
    }
}

static void
test_known_switch_and_ports(void **state)
{
    struct fx *f = *state;

    assert_int_equal(check(f, "g1", NET1, 100), 0); /* disconnected: ok */
    sql(f, "UPDATE gateway_devices SET device_name = 'nosw' WHERE id = 'd1'");
    expect(f, check(f, "g1", NET1, 100), CE_DEVICE_NOT_FOUND,
           "L2 Gateway Device nosw could not be found.");
    sql(f, "UPDATE gateway_devices SET device_name = 'db1/sw1' WHERE id = "
           "'d1'");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    sql(f, "UPDATE gateway_interfaces SET name = 'p9' WHERE device_id = 'd1'");
    expect(f, check(f, "g1", NET1, 100), CE_INTERFACE_NOT_FOUND,
           "L2 Gateway interface 'p9' not found.");
}

static void
test_ambiguous(void **state)
{
    struct fx *f = *state;

    sql(f, "INSERT INTO switches (id, name, ovsdb_identifier, created_at, "
           "updated_at) VALUES ('s2', 'sw1', 'db2', " T ", " T ");"
           "INSERT INTO switch_ports (switch_id, name) VALUES ('s2', 'p1')");
    expect(f, check(f, "g1", NET1, 100), CE_DEVICE_AMBIGUOUS, "sw1");
    sql(f, "UPDATE gateway_devices SET device_name = 'db2/sw1' WHERE id = "
           "'d1'");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
}

static void
test_faults(void **state)
{
    struct fx *f = *state;

    sql(f, "UPDATE switches SET switch_fault_status = '[\"UP\", "
           "\"unsupported_source_node_replication\"]'");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    sql(f, "UPDATE switches SET switch_fault_status = "
           "'[\"mac_table_exhaustion\"]'");
    expect(f, check(f, "g1", NET1, 100), CE_SWITCH_FAULT,
           "Physical Switch 'sw1' switch_fault_status is "
           "'mac_table_exhaustion'");
    sql(f, "UPDATE switches SET switch_fault_status = '[]';"
           "UPDATE switch_ports SET port_fault_status = "
           "'[\"invalid_vlan_map\"]' WHERE name = 'p1'");
    expect(f, check(f, "g1", NET1, 100), CE_PORT_FAULT,
           "Physical Port 'p1' in Physical switch 'sw1' port_fault_status "
           "is 'invalid_vlan_map'");
}

static void
test_duplicate_segmentation(void **state)
{
    struct fx *f = *state;

    /* Found on the switch, bound to another LS; to our own network: ok. */
    sql(f, "UPDATE switch_ports SET vlan_bindings = '{\"100\": \"foreign\", "
           "\"200\": \"" NET1 "\"}' WHERE name = 'p1'");
    expect(f, check(f, "g1", NET1, 100), CE_DUPLICATE_SEGID, "foreign");
    assert_int_equal(check(f, "g1", NET1, 200), 0);
    /* A binding to an LS of ours that is going away is no conflict: ours
     * are judged by the connections. */
    sql(f, "INSERT INTO owned_logical_switches (ovsdb_identifier, name, vni, "
           "created_at) VALUES ('db1', 'foreign', 9, " T ")");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    sql(f, "DELETE FROM owned_logical_switches");
    /* Bound by another of our connections (g2 → NET2 on sw1/p1 VLAN 300). */
    sql(f, "INSERT INTO connections (id, project_id, gateway_id, network_id, "
           "segmentation_id, created_at, updated_at) VALUES ('c2', 'p', "
           "'g2', '" NET2 "', 300, " T ", " T ")");
    expect(f, check(f, "g1", NET1, 300), CE_DUPLICATE_SEGID, "c2");
    assert_int_equal(check(f, "g1", NET1, 301), 0);
    /* The connection itself is not a conflict (gateway update). */
    memset(&f->err, 0, sizeof f->err);
    long long v = 300;
    assert_int_equal(switchcheck_connection(f->core, "g2", NET2, &v, "c2",
                                            &f->err),
                     0);
    /* Interface VLANs count as well: g2's interface lists VLAN 0. */
    sql(f, "UPDATE connections SET segmentation_id = NULL");
    expect(f, check(f, "g1", NET1, 0), CE_DUPLICATE_SEGID, "c2");
    assert_int_equal(switchcheck_gateway(f->core, "g2", &f->err), 0);
}

static void
test_vni_in_use(void **state)
{
    struct fx *f = *state;

    sql(f, "INSERT INTO switch_logical_switches (ovsdb_identifier, uuid, "
           "name, tunnel_key, owner) VALUES ('db1', 'u1', '" NET1 "', 5000, "
           "'')");
    /* Named after the network: adoption or ownership, not a VNI clash. */
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    f->cfg.adopt_existing_logical_switches = false;
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    sql(f, "UPDATE switch_logical_switches SET owner = 'someone-else'");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    sql(f, "UPDATE switch_logical_switches SET name = 'other', owner = "
           "'someone-else'");
    expect(f, check(f, "g1", NET1, 100), CE_VNI_IN_USE,
           "VNI 5000 is already used by Logical_Switch other on switch "
           "database db1");
    /* Ours (recorded) is no conflict; nor one marked with our id. */
    sql(f, "INSERT INTO owned_logical_switches (ovsdb_identifier, name, vni, "
           "created_at) VALUES ('db1', 'other', 5000, " T ")");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    sql(f, "DELETE FROM owned_logical_switches");
    char buf[256];
    snprintf(buf, sizeof buf,
             "UPDATE switch_logical_switches SET owner = '%s'",
             core_deployment_id(f->core));
    sql(f, buf);
    assert_int_equal(check(f, "g1", NET1, 100), 0);
    /* Another database's LS does not matter. */
    sql(f, "UPDATE switch_logical_switches SET owner = 'x', ovsdb_identifier "
           "= 'db9'");
    assert_int_equal(check(f, "g1", NET1, 100), 0);
}

static void
test_resolve(void **state)
{
    struct fx *f = *state;
    char id[64];

    assert_int_equal(switchcheck_resolve(f->core, "s1", id, &f->err), 0);
    assert_string_equal(id, "s1");
    assert_int_equal(switchcheck_resolve(f->core, "sw1", id, &f->err), 0);
    assert_string_equal(id, "s1");
    assert_int_equal(switchcheck_resolve(f->core, "db1/sw1", id, &f->err), 0);
    assert_string_equal(id, "s1");
    assert_int_equal(switchcheck_resolve(f->core, "sw9", id, &f->err),
                     -ENOENT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_known_switch_and_ports, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ambiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_segmentation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_vni_in_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
