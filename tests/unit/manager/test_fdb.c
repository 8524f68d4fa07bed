/* Unit tests of manager/fdb.c: the overlay export, its revisions,
 * tombstones and pruning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/log.h"
#include "manager/fdb.h"
#include "store/store.h"

#define NET "11111111-1111-4111-8111-111111111111"
#define T "'2026-01-01T00:00:00Z'"

struct fx {
    struct store *st;
    struct fdb f;
};

static void
sql(struct fx *x, const char *text)
{
    if (store_exec(x->st, text)) {
        fail_msg("SQL failed: %s", text);
    }
}

static long long
count(struct fx *x, const char *query)
{
    struct store_stmt *s;
    long long v = -1;

    assert_int_equal(store_prepare(x->st, query, &s), 0);
    if (store_step(s) == 1) {
        v = store_col_int(s, 0);
        store_reset(s);
    }
    return v;
}

static int
setup(void **state)
{
    struct fx *x = calloc(1, sizeof *x);

    log_set_level(LOG_LEVEL_ERR);
    assert_int_equal(store_open("sqlite://:memory:", &x->st), 0);
    assert_int_equal(store_migrate(x->st, NULL), 0);
    fdb_init(&x->f);
    sql(x, "INSERT INTO networks (id, project_id, name, vni, created_at, "
           "updated_at) VALUES ('" NET "', 'p', 'net1', 5000, " T ", " T ");"
           "INSERT INTO gateways (id, project_id, created_at, updated_at) "
           "VALUES ('g', 'p', " T ", " T ");"
           "INSERT INTO gateway_devices (id, gateway_id, position, "
           "device_name) VALUES ('d', 'g', 0, 'sw1');"
           "INSERT INTO connections (id, project_id, gateway_id, network_id, "
           "created_at, updated_at) VALUES ('c', 'p', 'g', '" NET "', " T
           ", " T ");"
           "INSERT INTO switches (id, name, ovsdb_identifier, tunnel_ips, "
           "created_at, updated_at) VALUES ('s1', 'sw1', 'db1', "
           "'[\"192.0.2.100\", \"192.0.2.101\"]', " T ", " T ")");
    *state = x;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *x = *state;

    fdb_destroy(&x->f);
    store_close(x->st);
    free(x);
    return 0;
}

static void
flush(struct fx *x)
{
    assert_int_equal(fdb_flush(&x->f, x->st), 0);
}

static void
test_flood_and_learned(void **state)
{
    struct fx *x = *state;

    assert_int_equal(fdb_revision(x->st), 0);
    flush(x); /* nothing marked: nothing done */
    assert_int_equal(fdb_revision(x->st), 0);
    fdb_mark(&x->f, NET);
    flush(x);
    assert_int_equal(fdb_revision(x->st), 2);
    assert_int_equal(count(x, "SELECT COUNT(*) FROM fdb_entries WHERE mac = "
                              "'00:00:00:00:00:00' AND deleted = 0 AND vni = "
                              "5000 AND source = 'db1/sw1'"),
                     2);
    sql(x, "INSERT INTO learned_macs (id, ovsdb_identifier, switch, mac, "
           "ip_address, network_id, logical_switch, tunnel_ip, created_at) "
           "VALUES ('l1', 'db1', 'sw1', '00:11:22:33:44:55', '10.0.0.9', '" NET
           "', '" NET "', '192.0.2.100', " T ")");
    fdb_mark(&x->f, NET);
    flush(x);
    assert_int_equal(fdb_revision(x->st), 3);
    assert_int_equal(count(x, "SELECT revision FROM fdb_entries WHERE mac = "
                              "'00:11:22:33:44:55' AND ip_address = "
                              "'10.0.0.9' AND vtep_ip = '192.0.2.100'"),
                     3);
    /* Marked again with nothing changed: no new revision. */
    fdb_mark_all(&x->f);
    flush(x);
    assert_int_equal(fdb_revision(x->st), 3);
}

static void
test_tombstones(void **state)
{
    struct fx *x = *state;

    fdb_mark(&x->f, NET);
    flush(x);
    /* The switch's second tunnel IP goes away. */
    sql(x, "UPDATE switches SET tunnel_ips = '[\"192.0.2.100\"]'");
    fdb_mark(&x->f, NET);
    flush(x);
    assert_int_equal(fdb_revision(x->st), 3);
    assert_int_equal(count(x, "SELECT revision FROM fdb_entries WHERE "
                              "vtep_ip = '192.0.2.101' AND deleted = 1"),
                     3);
    /* The connection goes: every entry becomes a tombstone. */
    sql(x, "DELETE FROM connections");
    fdb_mark(&x->f, NET);
    flush(x);
    assert_int_equal(fdb_revision(x->st), 4);
    assert_int_equal(count(x, "SELECT COUNT(*) FROM fdb_entries WHERE "
                              "deleted = 0"),
                     0);
    assert_int_equal(count(x, "SELECT COUNT(*) FROM fdb_entries WHERE "
                              "deleted = 1"),
                     2);
}

static void
test_prune(void **state)
{
    struct fx *x = *state;

    fdb_mark(&x->f, NET);
    flush(x);
    sql(x, "DELETE FROM connections");
    fdb_mark(&x->f, NET);
    flush(x); /* tombstones at revisions 3 and 4 */
    assert_int_equal(count(x, "SELECT COUNT(*) FROM fdb_entries"), 2);
    /* Far later: the next change prunes the old tombstones. */
    sql(x, "UPDATE meta SET value = '200000' WHERE key = 'fdb_revision'");
    sql(x, "INSERT INTO connections (id, project_id, gateway_id, network_id, "
           "created_at, updated_at) VALUES ('c2', 'p', 'g', '" NET "', " T
           ", " T ")");
    fdb_mark(&x->f, NET);
    flush(x);
    assert_int_equal(fdb_revision(x->st), 200002);
    assert_int_equal(count(x, "SELECT COUNT(*) FROM fdb_entries WHERE "
                              "deleted = 1"),
                     0);
    assert_int_equal(count(x, "SELECT CAST(value AS INTEGER) FROM meta "
                              "WHERE key = 'fdb_pruned_revision'"),
                     200002 - FDB_KEEP_REVISIONS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_flood_and_learned, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tombstones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
