/* Unit tests of core/registry and of core.c's generic list/show and
 * deployment id. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/connection.h"
#include "core/registry.h"
#include "fixture.h"
#include "lib/jsonutil.h"
#include "store/store.h"

static const struct store_col switch_cols[] = {
    {"id", "id", STORE_TEXT},
    {"name", "name", STORE_TEXT},
    {"connected", "connected", STORE_BOOL},
    {"tunnel_ips", "tunnel_ips", STORE_TEXT},
    {"switch_fault_status", "switch_fault_status", STORE_TEXT},
};

static void
test_switch_rendering(void **state)
{
    struct fx *f = *state;
    struct store_list_query q = {
        .table = "switches",
        .cols = switch_cols,
        .n_cols = sizeof switch_cols / sizeof *switch_cols,
    };
    json_t *rows = NULL;
    bool more = true;

    assert_int_equal(
        store_exec(f->st,
                   "INSERT INTO switches (id, name, ovsdb_identifier, "
                   "connected, tunnel_ips, switch_fault_status, created_at, "
                   "updated_at) VALUES ('s1', 'sw1', 'db1', 1, "
                   "'[\"192.0.2.1\"]', '[]', 'a', 'a'), ('s2', 'sw2', 'db1', 0, "
                   "'not json', '[\"mac_table_exhaustion\"]', 'b', 'b');"
                   "INSERT INTO switch_ports (switch_id, name, "
                   "port_fault_status, vlan_bindings) VALUES "
                   "('s1', 'p2', '[]', '{\"100\": \"net\"}'), "
                   "('s1', 'p1', '[\"invalid_vlan_map\"]', '{}')"),
        0);
    fx_expect_ok(f, core_list(f->core, &q, &rows, &more, &f->err));
    assert_false(more);
    fx_expect_ok(f, registry_render_switches(f->core, rows, &f->err));
    json_t *expected = fx_json(
        "[{\"id\": \"s1\", \"name\": \"sw1\", \"connected\": true, "
        "\"tunnel_ips\": [\"192.0.2.1\"], \"switch_fault_status\": [], "
        "\"ports\": [{\"name\": \"p1\", \"port_fault_status\": "
        "[\"invalid_vlan_map\"], \"vlan_bindings\": {}}, {\"name\": \"p2\", "
        "\"port_fault_status\": [], \"vlan_bindings\": {\"100\": \"net\"}}]}, "
        "{\"id\": \"s2\", \"name\": \"sw2\", \"connected\": false, "
        "\"tunnel_ips\": \"not json\", \"switch_fault_status\": "
        "[\"mac_table_exhaustion\"], \"ports\": []}]");
    if (!json_equal(rows, expected)) {
        char *s = json_dumps(rows, JSON_COMPACT);
        fail_msg("got %s", s);
        free(s);
    }
    json_decref(expected);
    json_decref(rows);

    json_t *row = NULL;
    fx_expect_ok(f, core_show(f->core, &q, "s2", &row, &f->err));
    assert_string_equal(ju_str(row, "name"), "sw2");
    json_decref(row);
    assert_int_equal(core_show(f->core, &q, "s9", &row, &f->err), -ENOENT);
}

static void
test_forget_switch(void **state)
{
    struct fx *f = *state;
    char gw[UUID_STRLEN + 1], net[UUID_STRLEN + 1];
    json_t *conn;

    assert_int_equal(
        store_exec(f->st,
                   "INSERT INTO switches (id, name, ovsdb_identifier, "
                   "connected, created_at, updated_at) VALUES "
                   "('11111111-1111-1111-1111-111111111111', 'sw1', 'db1', 0, "
                   "'a', 'a'), ('22222222-2222-2222-2222-222222222222', 'sw2', "
                   "'db2', 1, 'a', 'a');"
                   "INSERT INTO switch_ports (switch_id, name) VALUES "
                   "('11111111-1111-1111-1111-111111111111', 'p1');"
                   "INSERT INTO learned_macs (id, ovsdb_identifier, switch, "
                   "mac, created_at) VALUES ('m1', 'db1', 'sw1', "
                   "'02:00:00:00:00:01', 'a'), ('m2', 'db2', 'sw2', "
                   "'02:00:00:00:00:02', 'a')"),
        0);
    /* In use through the qualified device name. */
    fx_gateway(f,
               "[{\"device_name\": \"db1/sw1\", \"interfaces\": "
               "[{\"name\": \"p1\"}]}]",
               gw);
    fx_network(f, 0, net);
    json_t *attrs = json_pack("{s:s, s:s}", "l2_gateway_id", gw, "network_id",
                              net);
    fx_expect_ok(f, connection_create(f->core, attrs, &conn, &f->err));
    json_decref(attrs);
    fx_expect_err(f,
                  registry_forget_switch(
                      f->core, "11111111-1111-1111-1111-111111111111", false,
                      &f->err),
                  CE_SWITCH_IN_USE,
                  "L2 switch sw1 is in use by one or more l2 gateway "
                  "connections.");
    fx_expect_ok(f, connection_delete(f->core, ju_str(conn, "id"), &f->err));
    json_decref(conn);
    fx_clear_events(f);
    fx_expect_ok(f, registry_forget_switch(
                        f->core, "11111111-1111-1111-1111-111111111111", true,
                        &f->err));
    assert_int_equal(fx_count(f, "switches"), 1);
    assert_int_equal(fx_count(f, "switch_ports"), 0);
    assert_int_equal(fx_count(f, "learned_macs"), 1);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_SWITCH);
    assert_string_equal(f->events[0].id,
                        "11111111-1111-1111-1111-111111111111");
    assert_true(f->events[0].committed);
    fx_expect_err(f,
                  registry_forget_switch(
                      f->core, "11111111-1111-1111-1111-111111111111", false,
                      &f->err),
                  CE_SWITCH_NOT_FOUND,
                  "L2 switch 11111111-1111-1111-1111-111111111111 could not "
                  "be found.");
    /* A connected switch with cleanup: marked for the manager. */
    fx_clear_events(f);
    fx_expect_ok(f, registry_forget_switch(
                        f->core, "22222222-2222-2222-2222-222222222222", true,
                        &f->err));
    assert_int_equal(fx_count(f, "switches"), 1);
    struct store_stmt *s;
    assert_int_equal(store_prepare(f->st,
                                   "SELECT forget_requested FROM switches",
                                   &s),
                     0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 1);
    store_reset(s);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_SWITCH);
    fx_expect_ok(f, registry_forget_switch(
                        f->core, "22222222-2222-2222-2222-222222222222", false,
                        &f->err));
    assert_int_equal(fx_count(f, "switches"), 0);
    assert_int_equal(fx_count(f, "learned_macs"), 0);
}

static void
test_deployment_id_kept(void **state)
{
    struct fx *f = *state;
    struct core *again = NULL;
    const char *id = core_deployment_id(f->core);

    assert_true(uuid_is_valid(id));
    assert_int_equal(core_create(f->st, &f->cfg, &again), 0);
    assert_string_equal(core_deployment_id(again), id);
    assert_ptr_equal(core_store(again), f->st);
    assert_ptr_equal(core_config(again), &f->cfg);
    core_destroy(again);
    assert_int_equal(fx_count(f, "meta"), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, fx_setup, fx_teardown)
        T(test_switch_rendering),
        T(test_forget_switch),
        T(test_deployment_id_kept),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
