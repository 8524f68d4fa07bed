/* Unit tests of migrate.c: versions, idempotence, refusal of a newer
 * database, one transaction per migration. */
#include "store_test.h"

#include <errno.h>

/* Every table of the schema files, in migration order. */
static const char *const schema_tables[] = {
    "meta",
    "networks",
    "hosts",
    "ports",
    "port_fixed_ips",
    "port_address_pairs",
    "network_macs",
    "gateways",
    "gateway_devices",
    "gateway_interfaces",
    "interface_vlans",
    "connections",
    "switches",
    "switch_ports",
    "learned_macs",
    "owned_logical_switches",
    /* schema_v2.sql */
    "switch_logical_switches",
    "fdb_entries",
    /* schema_v3.sql */
    "remote_gateways",
    "remote_gateway_connections",
    "remote_macs",
};

/* The number of schema_v<N>.sql files. */
#define N_SCHEMA_FILES 3

static long long count_tables(struct store *st)
{
    return query_int(st, "SELECT COUNT(*) FROM sqlite_master "
                         "WHERE type = 'table'");
}

static void test_latest(void **state)
{
    (void)state;
    assert_int_equal(store_latest_version(), N_SCHEMA_FILES);
}

static void test_fresh_database(void **state)
{
    (void)state;
    struct store *st = open_memory(false);
    int v = -1;
    char sql[128];

    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(count_tables(st), 0); /* store_version wrote nothing */
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    v = -1;
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    for (size_t i = 0; i < sizeof schema_tables / sizeof schema_tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", schema_tables[i]);
        assert_int_equal(query_int(st, sql), 0);
    }
    /* The schema's tables and schema_version, nothing else. */
    assert_int_equal(count_tables(st),
                     (long long)(sizeof schema_tables / sizeof schema_tables[0]) + 1);
    store_close(st);
}

/* Every primary key column is NOT NULL (SQLite would accept NULL in a
 * TEXT PRIMARY KEY that does not say so; PostgreSQL would not). */
static void test_primary_keys_not_null(void **state)
{
    (void)state;
    struct store *st = open_memory(true);
    char sql[160];

    for (size_t i = 0; i < sizeof schema_tables / sizeof schema_tables[0]; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM pragma_table_info('%s') WHERE pk > 0",
                 schema_tables[i]);
        assert_true(query_int(st, sql) > 0);
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM pragma_table_info('%s') "
                 "WHERE pk > 0 AND \"notnull\" = 0",
                 schema_tables[i]);
        if (query_int(st, sql) != 0)
            fail_msg("table %s: a primary key column may be NULL",
                     schema_tables[i]);
    }
    store_close(st);
}

static void test_idempotent(void **state)
{
    (void)state;
    struct store *st = open_memory(true);
    int v = -1;

    assert_int_equal(
        store_run(st, "INSERT INTO meta VALUES ('k', 'v')", NULL, 0), 1);
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    assert_int_equal(store_migrate(st, NULL), 0);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), 1);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM meta"), 1);
    store_close(st);
}

static void test_newer_refused(void **state)
{
    (void)state;
    struct store *st = open_memory(true);
    char sql[96];
    int v = -1;
    int newer = store_latest_version() + 1;

    snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d", newer);
    assert_int_equal(store_exec(st, sql), 0);
    long long tables = count_tables(st);
    assert_int_equal(store_migrate(st, &v), -EPROTO);
    assert_int_equal(v, -1); /* untouched on error */
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, newer);
    assert_int_equal(count_tables(st), tables);
    /* No transaction was left open. */
    assert_int_equal(store_begin(st), 0);
    store_rollback(st);
    store_close(st);
}

static void test_migrate_in_transaction(void **state)
{
    (void)state;
    struct store *st = open_memory(false);

    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_migrate(st, NULL), -EBUSY);
    store_rollback(st);
    assert_int_equal(store_migrate(st, NULL), 0);
    store_close(st);
}

/* A migration that fails leaves nothing of itself behind. */
static void test_failed_migration_rolls_back(void **state)
{
    (void)state;
    struct store *st = open_memory(false);
    int v = -1;

    /* A stray table that migration 1 also creates. */
    assert_int_equal(store_exec(st, "CREATE TABLE switches (x INTEGER)"), 0);
    assert_true(store_migrate(st, NULL) < 0);
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM sqlite_master WHERE "
                                   "name = 'networks'"),
                     0);
    assert_int_equal(store_exec(st, "DROP TABLE switches"), 0);
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    store_close(st);
}

/* A file database migrated once stays migrated. */
static void test_file_reopen(void **state)
{
    (void)state;
    char dir[PATH_MAX], url[PATH_MAX + 64];
    struct store *st;
    int v = -1;

    tmpdir_make(dir);
    snprintf(url, sizeof url, "sqlite://%s/l2gw.db", dir);
    assert_int_equal(store_open(url, &st), 0);
    assert_int_equal(store_migrate(st, NULL), 0);
    store_close(st);
    assert_int_equal(store_open(url, &st), 0);
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), 1);
    store_close(st);
    tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latest),
        cmocka_unit_test(test_fresh_database),
        cmocka_unit_test(test_primary_keys_not_null),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_newer_refused),
        cmocka_unit_test(test_migrate_in_transaction),
        cmocka_unit_test(test_failed_migration_rolls_back),
        cmocka_unit_test(test_file_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
