/* Unit tests of migrate.c: versions, idempotence, refusal of a newer
 * database, one transaction per migration, concurrent upgrades.  Each test
 * runs on SQLite and on PostgreSQL (store_test.h). */
#include "store_test.h"

#include <errno.h>
#include <sys/wait.h>

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
    /* schema_v4.sql */
    "cluster_nodes",
    "switch_leases",
    "change_counter",
    "connection_verdicts",
};

/* The number of schema_v<N>.sql files. */
#define N_SCHEMA_FILES 4

static void test_latest(void **state)
{
    (void)state;
    assert_int_equal(store_latest_version(), N_SCHEMA_FILES);
}

static void test_fresh_database(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, false);
    int v = -1;
    char sql[128];

    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(count_tables(t, st), 0); /* store_version wrote nothing */
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    v = -1;
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    for (size_t i = 0; i < sizeof schema_tables / sizeof schema_tables[0];
         i++) {
        /* Empty, but for the one row of the change counter. */
        long long want = !strcmp(schema_tables[i], "change_counter");
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", schema_tables[i]);
        assert_int_equal(query_int(st, sql), want);
    }
    /* The schema's tables and schema_version, nothing else. */
    assert_int_equal(
        count_tables(t, st),
        (long long)(sizeof schema_tables / sizeof schema_tables[0]) + 1);
    store_close(st);
}

/* Every table has a primary key, and every primary key column is NOT NULL
 * (SQLite would accept NULL in a TEXT PRIMARY KEY that does not say so;
 * PostgreSQL would not). */
static void test_primary_keys_not_null(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, true);
    char sql[400];

    for (size_t i = 0; i < sizeof schema_tables / sizeof schema_tables[0];
         i++) {
        if (tdb_is_pg(t)) {
            snprintf(
                sql, sizeof sql,
                "SELECT COUNT(*) FROM information_schema.table_constraints "
                "WHERE table_schema = current_schema() AND table_name = "
                "'%s' AND constraint_type = 'PRIMARY KEY'",
                schema_tables[i]);
            assert_int_equal(query_int(st, sql), 1);
            continue;
        }
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
    struct store *st = tdb_open(tdb_get(state), true);
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
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, true);
    char sql[96];
    int v = -1;
    int newer = store_latest_version() + 1;

    snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d", newer);
    assert_int_equal(store_exec(st, sql), 0);
    long long tables = count_tables(t, st);
    assert_int_equal(store_migrate(st, &v), -EPROTO);
    assert_int_equal(v, -1); /* untouched on error */
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, newer);
    assert_int_equal(count_tables(t, st), tables);
    /* No transaction was left open. */
    assert_int_equal(store_begin(st), 0);
    store_rollback(st);
    store_close(st);
}

static void test_migrate_in_transaction(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);

    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_migrate(st, NULL), -EBUSY);
    store_rollback(st);
    assert_int_equal(store_migrate(st, NULL), 0);
    store_close(st);
}

/* A migration that fails leaves nothing of itself behind. */
static void test_failed_migration_rolls_back(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, false);
    int v = -1;

    /* A stray table that migration 1 also creates. */
    assert_int_equal(store_exec(st, "CREATE TABLE switches (x INTEGER)"), 0);
    assert_true(store_migrate(st, NULL) < 0);
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, 0);
    assert_false(table_exists(t, st, "networks"));
    assert_false(table_exists(t, st, "schema_version") &&
                 query_int(st, "SELECT COUNT(*) FROM schema_version") != 0);
    assert_int_equal(store_exec(st, "DROP TABLE switches"), 0);
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    store_close(st);
}

/* A database migrated once stays migrated. */
static void test_reopen(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st;
    int v = -1;

    assert_int_equal(store_open(t->url, &st), 0);
    assert_int_equal(store_migrate(st, NULL), 0);
    store_close(st);
    assert_int_equal(store_open(t->url, &st), 0);
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    assert_int_equal(store_migrate(st, &v), 0);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), 1);
    store_close(st);
}

enum { N_MIGRATORS = 4 };

/* Several processes upgrade one empty database at once ("l2gwd db upgrade"
 * twice): each succeeds, the schema is made once. */
static void test_concurrent_migrations(void **state)
{
    const struct tdb *t = tdb_get(state);
    pid_t pids[N_MIGRATORS];
    int status, v = -1;

    /* The SQLite file exists (in WAL mode) before the race: opening a new
     * file from several processes at once is another matter. */
    if (!tdb_is_pg(t))
        store_close(tdb_open(t, false));
    for (int i = 0; i < N_MIGRATORS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            struct store *st = NULL;
            int ok = store_open(t->url, &st) == 0 &&
                     store_migrate(st, &v) == 0 && v == store_latest_version();
            store_close(st);
            _exit(ok ? 0 : 1);
        }
    }
    for (int i = 0; i < N_MIGRATORS; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    struct store *st = tdb_open(t, false);
    assert_int_equal(store_version(st, &v), 0);
    assert_int_equal(v, store_latest_version());
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM schema_version"), 1);
    assert_int_equal(
        count_tables(t, st),
        (long long)(sizeof schema_tables / sizeof schema_tables[0]) + 1);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latest),
        TDB_TESTS(test_fresh_database),
        TDB_TESTS(test_primary_keys_not_null),
        TDB_TESTS(test_idempotent),
        TDB_TESTS(test_newer_refused),
        TDB_TESTS(test_migrate_in_transaction),
        TDB_TESTS(test_failed_migration_rolls_back),
        TDB_TESTS(test_reopen),
        TDB_TESTS(test_concurrent_migrations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
