/* Versioned schema migrations (migrate.h).
 *
 * To add migration N: write schema_vN.sql (portable SQL; add it to the
 * sql2c inputs in meson.build), append {N, "what it does", schema_vN_sql,
 * NULL or a PostgreSQL variant} to 'migrations'.  Never edit a released
 * migration: databases in the field already ran it. */
#include "store/migrate.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define LOG_MODULE "store"
#include "lib/log.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "migrations_sql.h" /* generated from the .sql files */

struct migration {
    int version;
    const char *name;
    const char *sql;    /* portable SQL */
    const char *sql_pg; /* PostgreSQL variant, or NULL to run 'sql' */
};

/* In order: migrations[i].version == i + 1. */
static const struct migration migrations[] = {
    {1, "initial schema", schema_v1_sql, NULL},
    {2, "switch manager records", schema_v2_sql, NULL},
    {3, "border gateways", schema_v3_sql, NULL},
    {4, "several nodes: leases, change counter, verdicts", schema_v4_sql, NULL},
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int migrate_latest(void)
{
    return N_MIGRATIONS;
}

/* SQL that returns a row if the table schema_version exists. */
static const char *version_table_sql(struct store *st)
{
    if (store_dialect(st) == STORE_DIALECT_PG)
        return "SELECT 1 FROM information_schema.tables "
               "WHERE table_schema = current_schema() "
               "AND table_name = 'schema_version'";
    return "SELECT 1 FROM sqlite_master "
           "WHERE type = 'table' AND name = 'schema_version'";
}

/* Steps 's' to the end; '*value' gets the first column of the first row
 * (0 for no row or NULL). */
static int single_int(struct store *st, const char *sql, long long *value)
{
    struct store_stmt *s;
    int r = store_prepare(st, sql, &s);
    *value = 0;
    if (r)
        return r;
    if ((r = store_step(s)) > 0) {
        *value = store_col_int(s, 0);
        store_reset(s);
        r = 0;
    }
    return r;
}

/* Reads the version from an existing schema_version table. */
static int read_version(struct store *st, int *version)
{
    long long v;
    int err = single_int(st, "SELECT MAX(version) FROM schema_version", &v);
    if (err)
        return err;
    if (v < 0 || v > 1000000) {
        log_err("database schema_version holds an invalid version %lld", v);
        return -EPROTO;
    }
    *version = (int)v;
    return 0;
}

int migrate_version(struct store *st, int *version)
{
    long long exists;
    *version = 0;
    int err = single_int(st, version_table_sql(st), &exists);
    if (err || !exists)
        return err;
    return read_version(st, version);
}

static int write_version(struct store *st, int version)
{
    char v[16];
    const char *params[] = {v};
    snprintf(v, sizeof v, "%d", version);
    int r = store_run(st, "DELETE FROM schema_version", NULL, 0);
    if (r >= 0)
        r = store_run(st, "INSERT INTO schema_version (version) VALUES (?)",
                      params, 1);
    return r < 0 ? r : 0;
}

/* Inside the transaction: makes sure schema_version exists, locks it
 * (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the write lock),
 * reads the version and refuses one newer than this build. */
static int lock_version(struct store *st, int *version)
{
    int err = store_exec(st, "CREATE TABLE IF NOT EXISTS schema_version "
                             "(version INTEGER NOT NULL)");
    if (!err && store_dialect(st) == STORE_DIALECT_PG)
        err = store_exec(st, "LOCK TABLE schema_version IN EXCLUSIVE MODE");
    if (!err)
        err = read_version(st, version);
    if (!err && *version > N_MIGRATIONS) {
        log_err("database schema version %d is newer than this build of "
                "l2gw knows (%d): refusing to use it; run a newer l2gw",
                *version, N_MIGRATIONS);
        err = -EPROTO;
    }
    return err;
}

/* One transaction: applies the migration after '*version', if any, and
 * updates '*version'.  '*done' is set when nothing was left to apply. */
static int migrate_one(struct store *st, int *version, bool *done)
{
    int err = store_begin(st);
    if (err)
        return err;
    err = lock_version(st, version);
    if (err) {
        store_rollback(st);
        return err;
    }
    *done = *version == N_MIGRATIONS;
    if (*done)
        return store_commit(st);
    const struct migration *m = &migrations[*version];
    const char *sql = m->sql;
    if (m->sql_pg && store_dialect(st) == STORE_DIALECT_PG)
        sql = m->sql_pg;
    err = store_exec(st, sql);
    if (!err)
        err = write_version(st, m->version);
    if (err) {
        store_rollback(st);
        log_err("database migration %d (%s) failed: %s", m->version, m->name,
                strerror(-err));
        return err;
    }
    err = store_commit(st);
    if (!err) {
        *version = m->version;
        log_info("database schema migrated to version %d (%s)", m->version,
                 m->name);
    }
    return err;
}

int migrate_run(struct store *st, int *version)
{
    int v = 0, err;
    bool done = false;

    while (!done)
        if ((err = migrate_one(st, &v, &done)))
            return err;
    if (version)
        *version = v;
    return 0;
}
