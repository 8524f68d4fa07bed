/* Unit tests of core/plan.c: store rows inserted by SQL → the desired
 * hardware_vtep state of a switch database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "core/plan.h"
#include "lib/config.h"
#include "lib/log.h"
#include "store/store.h"
#include "vtep/desired.h"

#define NET1 "11111111-1111-4111-8111-111111111111"
#define NET2 "22222222-2222-4222-8222-222222222222"
#define GW1 "aaaaaaaa-0000-4000-8000-000000000001"
#define GW2 "aaaaaaaa-0000-4000-8000-000000000002"
#define DEV1 "dddddddd-0000-4000-8000-000000000001"
#define DEV2 "dddddddd-0000-4000-8000-000000000002"
#define CONN1 "cccccccc-0000-4000-8000-000000000001"
#define CONN2 "cccccccc-0000-4000-8000-000000000002"
#define T "'2026-01-01T00:00:00Z'"

struct fx {
    struct store *st;
    struct config cfg;
    struct core *core;
    struct vtep_desired d;
    struct plan_problems p;
};

static void
sql(struct fx *f, const char *text)
{
    if (store_exec(f->st, text)) {
        fail_msg("SQL failed: %s", text);
    }
}

/* The common inventory: two networks, hosts, switch sw1 on db1 with
 * ports p1 and p2 and its own tunnel IP 192.0.2.100. */
static void
seed(struct fx *f)
{
    sql(f, "INSERT INTO networks (id, project_id, name, vni, created_at, "
           "updated_at) VALUES ('" NET1 "', 'p', 'net1', 5000, " T ", " T "),"
           "('" NET2 "', 'p', 'net2', 5001, " T ", " T ")");
    sql(f, "INSERT INTO hosts (id, project_id, name, tunnel_ip, created_at, "
           "updated_at) VALUES ('h1', 'p', 'compute-1', '192.0.2.11', " T
           ", " T "), ('h2', 'p', 'compute-2', '192.0.2.12', " T ", " T "),"
           "('h3', 'p', 'compute-3', NULL, " T ", " T "),"
           "('h4', 'p', 'self', '192.0.2.100', " T ", " T ")");
    sql(f, "INSERT INTO switches (id, name, ovsdb_identifier, tunnel_ips, "
           "created_at, updated_at) VALUES ('s1', 'sw1', 'db1', "
           "'[\"192.0.2.100\"]', " T ", " T ")");
    sql(f, "INSERT INTO switch_ports (switch_id, name) VALUES ('s1', 'p1'), "
           "('s1', 'p2')");
}

/* Gateway 'gw' with device 'dev' named 'name' and interfaces. */
static void
gateway(struct fx *f, const char *gw, const char *dev, const char *name)
{
    char buf[1024];

    snprintf(buf, sizeof buf,
             "INSERT INTO gateways (id, project_id, name, created_at, "
             "updated_at) VALUES ('%s', 'p', 'g', " T ", " T ");"
             "INSERT INTO gateway_devices (id, gateway_id, position, "
             "device_name) VALUES ('%s', '%s', 0, '%s')",
             gw, dev, gw, name);
    sql(f, buf);
}

static void
connect_net(struct fx *f, const char *conn, const char *gw, const char *net,
            const char *seg)
{
    char buf[1024];

    snprintf(buf, sizeof buf,
             "INSERT INTO connections (id, project_id, gateway_id, "
             "network_id, segmentation_id, created_at, updated_at) VALUES "
             "('%s', 'p', '%s', '%s', %s, " T ", " T ")",
             conn, gw, net, seg);
    sql(f, buf);
}

static void
port(struct fx *f, const char *id, const char *net, const char *mac,
     const char *host, const char *created)
{
    char buf[1024];

    snprintf(buf, sizeof buf,
             "INSERT INTO ports (id, project_id, network_id, mac_address, "
             "host, created_at, updated_at) VALUES ('%s', 'p', '%s', '%s', "
             "'%s', '%s', '%s')",
             id, net, mac, host, created, created);
    sql(f, buf);
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
    vtep_desired_init(&f->d);
    seed(f);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    vtep_desired_destroy(&f->d);
    plan_problems_destroy(&f->p);
    core_destroy(f->core);
    config_destroy(&f->cfg);
    store_close(f->st);
    free(f);
    return 0;
}

static void
plan(struct fx *f, const char *db)
{
    vtep_desired_destroy(&f->d);
    vtep_desired_init(&f->d);
    plan_problems_destroy(&f->p);
    assert_int_equal(plan_database(f->core, db, NULL, 0, &f->d, &f->p), 0);
}

static const struct vtep_mac *
find_mac(const struct vtep_ls *ls, const char *mac)
{
    for (size_t i = 0; i < ls->n_macs; i++) {
        if (!strcmp(ls->macs[i].mac, mac)) {
            return &ls->macs[i];
        }
    }
    return NULL;
}

/* ---- tests ---- */

static void
test_vlan_from_connection(void **state)
{
    struct fx *f = *state;

    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 0), ('" DEV1 "', 1, "
           "'p2', 0)");
    connect_net(f, CONN1, GW1, NET1, "100");
    plan(f, "db1");
    assert_int_equal(f->d.n_ls, 1);
    const struct vtep_ls *ls = &f->d.ls[0];
    assert_string_equal(ls->name, NET1);
    assert_string_equal(ls->description, "net1");
    assert_int_equal(ls->key, 5000);
    assert_false(ls->service_node);
    assert_int_equal(ls->n_bindings, 2);
    assert_string_equal(ls->bindings[0].ps, "sw1");
    assert_string_equal(ls->bindings[0].port, "p1");
    assert_int_equal(ls->bindings[0].vlan, 100);
    assert_string_equal(ls->bindings[0].conn, CONN1);
    assert_string_equal(ls->bindings[1].port, "p2");
    assert_int_equal(ls->bindings[1].vlan, 100);
    assert_int_equal(ls->n_conns, 1);
    assert_string_equal(ls->conns[0], CONN1);
    assert_int_equal(f->p.n, 0);
    /* Nothing for another database. */
    plan(f, "db2");
    assert_int_equal(f->d.n_ls, 0);
}

static void
test_vlan_from_interfaces_and_untagged(void **state)
{
    struct fx *f = *state;

    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 1);"
           "INSERT INTO interface_vlans (device_id, interface, position, "
           "vlan) VALUES ('" DEV1 "', 'p1', 0, 20), ('" DEV1 "', 'p1', 1, "
           "10)");
    gateway(f, GW2, DEV2, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV2 "', 0, 'p2', 0)");
    connect_net(f, CONN1, GW1, NET1, "NULL");
    connect_net(f, CONN2, GW2, NET2, "NULL");
    plan(f, "db1");
    assert_int_equal(f->d.n_ls, 2);
    const struct vtep_ls *a = vtep_desired_find(&f->d, NET1);
    const struct vtep_ls *b = vtep_desired_find(&f->d, NET2);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->n_bindings, 2); /* sorted by VLAN */
    assert_int_equal(a->bindings[0].vlan, 10);
    assert_int_equal(a->bindings[1].vlan, 20);
    assert_int_equal(b->n_bindings, 1);
    assert_string_equal(b->bindings[0].port, "p2");
    assert_int_equal(b->bindings[0].vlan, 0);
    assert_string_equal(b->bindings[0].conn, CONN2);
}

static void
test_macs_and_flood(void **state)
{
    struct fx *f = *state;

    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 0)");
    connect_net(f, CONN1, GW1, NET1, "7");
    port(f, "port-a", NET1, "fa:16:3e:00:00:0a", "compute-1",
         "2026-01-01T00:00:01Z");
    port(f, "port-b", NET1, "fa:16:3e:00:00:0b", "compute-2",
         "2026-01-01T00:00:02Z");
    port(f, "port-c", NET1, "fa:16:3e:00:00:0c", "compute-3", /* no IP */
         "2026-01-01T00:00:03Z");
    port(f, "port-d", NET1, "fa:16:3e:00:00:0d", "self", /* own IP */
         "2026-01-01T00:00:04Z");
    port(f, "port-e", NET1, "fa:16:3e:00:00:0e", "", /* unbound */
         "2026-01-01T00:00:05Z");
    port(f, "port-f", NET2, "fa:16:3e:00:00:0f", "compute-1", /* other net */
         "2026-01-01T00:00:06Z");
    sql(f, "INSERT INTO port_fixed_ips (port_id, position, ip_address) "
           "VALUES ('port-a', 0, '2001:db8::5'), ('port-a', 1, '10.0.0.5'),"
           "('port-a', 2, '10.0.0.6')");
    /* Pairs of port-b: its own MAC (ignored), a CIDR then a plain IP for
     * one MAC, only a CIDR for another. */
    sql(f, "INSERT INTO port_address_pairs (port_id, position, ip_address, "
           "mac_address) VALUES ('port-b', 0, '10.0.0.9', "
           "'fa:16:3e:00:00:0b'), ('port-b', 1, '10.0.1.0/24', "
           "'fa:16:3e:00:01:01'), ('port-b', 2, '10.0.1.7', "
           "'fa:16:3e:00:01:01'), ('port-b', 3, '10.0.2.0/24', "
           "'fa:16:3e:00:02:02')");
    plan(f, "db1");
    assert_int_equal(f->d.n_ls, 1);
    const struct vtep_ls *ls = &f->d.ls[0];
    assert_int_equal(ls->n_macs, 4);
    const struct vtep_mac *m = find_mac(ls, "fa:16:3e:00:00:0a");
    assert_non_null(m);
    assert_string_equal(m->ip, "10.0.0.5"); /* first IPv4 */
    assert_string_equal(m->loc.ip, "192.0.2.11");
    assert_true(m->loc.key == VTEP_NO_KEY);
    m = find_mac(ls, "fa:16:3e:00:00:0b");
    assert_non_null(m);
    assert_string_equal(m->ip, "");
    assert_string_equal(m->loc.ip, "192.0.2.12");
    m = find_mac(ls, "fa:16:3e:00:01:01");
    assert_non_null(m);
    assert_string_equal(m->ip, "10.0.1.7"); /* never the CIDR */
    assert_string_equal(m->loc.ip, "192.0.2.12");
    assert_non_null(strstr(m->owner, "port-b"));
    m = find_mac(ls, "fa:16:3e:00:02:02");
    assert_non_null(m);
    assert_string_equal(m->ip, "");
    /* Unplanned: host without tunnel IP, own tunnel IP, unbound. */
    assert_null(find_mac(ls, "fa:16:3e:00:00:0c"));
    assert_null(find_mac(ls, "fa:16:3e:00:00:0d"));
    assert_null(find_mac(ls, "fa:16:3e:00:00:0e"));
    assert_null(find_mac(ls, "fa:16:3e:00:00:0f"));
    /* Flood: the hosts' tunnel IPs, never the switch's own. */
    assert_int_equal(ls->n_flood, 2);
    assert_string_equal(ls->flood[0].ip, "192.0.2.11");
    assert_string_equal(ls->flood[1].ip, "192.0.2.12");
    /* Older ports rank first. */
    assert_true(find_mac(ls, "fa:16:3e:00:00:0a")->rank
                < find_mac(ls, "fa:16:3e:00:00:0b")->rank);
}

static void
test_host_gets_tunnel_ip(void **state)
{
    struct fx *f = *state;

    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 0)");
    connect_net(f, CONN1, GW1, NET1, "7");
    port(f, "port-c", NET1, "fa:16:3e:00:00:0c", "compute-3", "2026-01-01T00:00:00Z");
    plan(f, "db1");
    assert_int_equal(f->d.ls[0].n_macs, 0);
    assert_int_equal(f->d.ls[0].n_flood, 0);
    sql(f, "UPDATE hosts SET tunnel_ip = '192.0.2.13' WHERE name = "
           "'compute-3'");
    plan(f, "db1");
    assert_int_equal(f->d.ls[0].n_macs, 1);
    assert_int_equal(f->d.ls[0].n_flood, 1);
    assert_string_equal(f->d.ls[0].flood[0].ip, "192.0.2.13");
}

static void
test_ambiguous_device(void **state)
{
    struct fx *f = *state;

    sql(f, "INSERT INTO switches (id, name, ovsdb_identifier, created_at, "
           "updated_at) VALUES ('s2', 'sw1', 'db2', " T ", " T ")");
    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 0)");
    connect_net(f, CONN1, GW1, NET1, "7");
    plan(f, "db1");
    assert_int_equal(f->d.n_ls, 0);
    assert_int_equal(f->p.n, 1);
    assert_string_equal(f->p.items[0].conn, CONN1);
    assert_string_equal(f->p.items[0].network, NET1);
    assert_non_null(strstr(f->p.items[0].reason, "ambiguous"));
    plan(f, "db2");
    assert_int_equal(f->d.n_ls, 0);
    /* The qualified name resolves to exactly one database. */
    sql(f, "UPDATE gateway_devices SET device_name = 'db2/sw1'");
    plan(f, "db1");
    assert_int_equal(f->d.n_ls, 0);
    plan(f, "db2");
    assert_int_equal(f->d.n_ls, 1);
    assert_string_equal(f->d.ls[0].bindings[0].ps, "sw1");
    assert_int_equal(f->p.n, 0);
}

static void
test_incremental_and_lookups(void **state)
{
    struct fx *f = *state;
    const char *only[] = {NET2};
    char **dbs = NULL;

    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 0)");
    connect_net(f, CONN1, GW1, NET1, "7");
    connect_net(f, CONN2, GW1, NET2, "8");
    vtep_desired_destroy(&f->d);
    vtep_desired_init(&f->d);
    assert_int_equal(plan_database(f->core, "db1", only, 1, &f->d, NULL), 0);
    assert_int_equal(f->d.n_ls, 1);
    assert_string_equal(f->d.ls[0].name, NET2);
    int n = plan_databases_of_network(f->core, NET1, &dbs);
    assert_int_equal(n, 1);
    assert_string_equal(dbs[0], "db1");
    plan_strings_free(dbs, (size_t) n);
    n = plan_networks_of_gateway(f->core, GW1, &dbs);
    assert_int_equal(n, 2);
    plan_strings_free(dbs, (size_t) n);
    port(f, "port-a", NET1, "fa:16:3e:00:00:0a", "compute-1", "2026-01-01T00:00:00Z");
    n = plan_networks_of_host(f->core, "h1", &dbs);
    assert_int_equal(n, 1);
    assert_string_equal(dbs[0], NET1);
    plan_strings_free(dbs, (size_t) n);
    /* A deleted host: the networks of ports bound to vanished hosts. */
    sql(f, "DELETE FROM hosts WHERE id = 'h1'");
    n = plan_networks_of_host(f->core, "h1", &dbs);
    assert_int_equal(n, 1);
    assert_string_equal(dbs[0], NET1);
    plan_strings_free(dbs, (size_t) n);
}

static void
test_service_node(void **state)
{
    struct fx *f = *state;

    sql(f, "UPDATE switches SET switch_fault_status = "
           "'[\"unsupported_source_node_replication\"]'");
    gateway(f, GW1, DEV1, "sw1");
    sql(f, "INSERT INTO gateway_interfaces (device_id, position, name, "
           "has_vlans) VALUES ('" DEV1 "', 0, 'p1', 0)");
    connect_net(f, CONN1, GW1, NET1, "7");
    port(f, "port-a", NET1, "fa:16:3e:00:00:0a", "compute-1", "2026-01-01T00:00:00Z");
    plan(f, "db1");
    assert_int_equal(f->p.n, 1);
    assert_non_null(strstr(f->p.items[0].reason, "service_node_ips"));
    assert_false(f->d.ls[0].service_node);
    f->cfg.service_node_ips = strdup("198.51.100.1, 198.51.100.2");
    plan(f, "db1");
    assert_int_equal(f->p.n, 0);
    assert_true(f->d.ls[0].service_node);
    assert_int_equal(f->d.ls[0].n_flood, 2);
    assert_string_equal(f->d.ls[0].flood[0].ip, "198.51.100.1");
    assert_int_equal(f->d.ls[0].n_macs, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vlan_from_connection, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_vlan_from_interfaces_and_untagged,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_macs_and_flood, setup, teardown),
        cmocka_unit_test_setup_teardown(test_host_gets_tunnel_ip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ambiguous_device, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_incremental_and_lookups, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_service_node, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
