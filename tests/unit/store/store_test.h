/* Helpers shared by the store unit tests: the backends every test runs
 * against, temporary directories and small query shortcuts.  Header-only
 * (static inline) so that each test is one executable.
 *
 * Backends: each test runs twice, "sqlite/<test>" on a fresh SQLite file in
 * a temporary directory and "pg/<test>" on a fresh schema of the PostgreSQL
 * database named by the environment variable L2GW_TEST_PG (a URL, e.g. the
 * one tests/pg/pgtmp.sh start prints).  Without L2GW_TEST_PG, or in a build
 * without libpq, the PostgreSQL cases are SKIPPED (cmocka says so for each
 * one), never passed.  The schema is made the connection's search_path
 * through the URL's "options" parameter (so L2GW_TEST_PG must not carry
 * "options" itself), and dropped after the test. */
#ifndef L2GW_TEST_STORE_TEST_H
#define L2GW_TEST_STORE_TEST_H

#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "l2gw-config.h"
#include "store/store.h"

/* A new empty directory under $TMPDIR (or /tmp) in 'dir'. */
static inline void tmpdir_make(char dir[PATH_MAX])
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, PATH_MAX, "%s/l2gw-store-test.XXXXXX",
             base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static inline int rm_one(const char *path, const struct stat *sb, int type,
                         struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

/* Removes 'dir' and everything under it. */
static inline void tmpdir_remove(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- backends ---- */

enum tdb_kind { TDB_SQLITE, TDB_PG };

/* The database of one test case. */
struct tdb {
    enum tdb_kind kind;
    bool skip;                 /* PostgreSQL without L2GW_TEST_PG */
    char url[PATH_MAX + 1024]; /* this test's fresh, empty database */
    char dir[PATH_MAX];        /* SQLite: its temporary directory */
    char schema[64];           /* PostgreSQL: its schema */
};

static struct tdb tdb_sqlite __attribute__((unused)) = {.kind = TDB_SQLITE};
static struct tdb tdb_pg __attribute__((unused)) = {.kind = TDB_PG};

/* The URL of the PostgreSQL test database, or NULL. */
static inline const char *tdb_pg_base(void)
{
#ifdef HAVE_LIBPQ
    const char *url = getenv("L2GW_TEST_PG");
    return url && *url ? url : NULL;
#else
    return NULL;
#endif
}

/* Runs 'sql' on the PostgreSQL test database itself (not a test schema). */
static inline void tdb_pg_admin(const char *sql)
{
    struct store *st = NULL;
    assert_int_equal(store_open(tdb_pg_base(), &st), 0);
    assert_int_equal(store_exec(st, sql), 0);
    store_close(st);
}

static inline void tdb_setup_pg(struct tdb *t)
{
    static unsigned counter;
    const char *base = tdb_pg_base();
    char sql[128];

    t->skip = !base;
    if (t->skip)
        return;
    snprintf(t->schema, sizeof t->schema, "l2gw_test_%ld_%u", (long)getpid(),
             ++counter);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", t->schema);
    tdb_pg_admin(sql);
    snprintf(t->url, sizeof t->url, "%s%coptions=-c%%20search_path%%3D%s", base,
             strchr(base, '?') ? '&' : '?', t->schema);
}

/* cmocka setup: a fresh database for the test ('*state' is the backend). */
static inline int tdb_setup(void **state)
{
    struct tdb *t = *state;

    t->skip = false;
    if (t->kind == TDB_PG) {
        tdb_setup_pg(t);
        return 0;
    }
    tmpdir_make(t->dir);
    snprintf(t->url, sizeof t->url, "sqlite://%s/test.db", t->dir);
    return 0;
}

static inline int tdb_teardown(void **state)
{
    struct tdb *t = *state;
    char sql[128];

    if (t->skip)
        return 0;
    if (t->kind == TDB_PG) {
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", t->schema);
        tdb_pg_admin(sql);
    } else {
        tmpdir_remove(t->dir);
    }
    return 0;
}

/* First line of every test that runs on both backends: the test's
 * database, or a skip (with a hint, once) when it is not available. */
static inline struct tdb *tdb_get(void **state)
{
    static bool told;
    struct tdb *t = *state;

    if (t->skip) {
        if (!told)
            print_message("PostgreSQL cases are SKIPPED: set L2GW_TEST_PG "
                          "to a database URL (tests/pg/pgtmp.sh start DIR "
                          "prints one)%s\n",
#ifdef HAVE_LIBPQ
                          ""
#else
                          "; this build has no libpq"
#endif
            );
        told = true;
        skip();
    }
    return t;
}

static inline bool tdb_is_pg(const struct tdb *t)
{
    return t->kind == TDB_PG;
}

/* One test on both backends, named "sqlite/NAME" and "pg/NAME". */
#define TDB_TESTS(f)                                                           \
    {"sqlite/" #f, f, tdb_setup, tdb_teardown, &tdb_sqlite},                   \
    {                                                                          \
        "pg/" #f, f, tdb_setup, tdb_teardown, &tdb_pg                          \
    }
/* One test on one backend only. */
#define TDB_SQLITE_TEST(f)                                                     \
    {                                                                          \
        "sqlite/" #f, f, tdb_setup, tdb_teardown, &tdb_sqlite                  \
    }
#define TDB_PG_TEST(f)                                                         \
    {                                                                          \
        "pg/" #f, f, tdb_setup, tdb_teardown, &tdb_pg                          \
    }

/* Opens the test's database (migrated if 'migrate'). */
static inline struct store *tdb_open(const struct tdb *t, bool migrate)
{
    struct store *st = NULL;
    assert_int_equal(store_open(t->url, &st), 0);
    assert_non_null(st);
    if (migrate)
        assert_int_equal(store_migrate(st, NULL), 0);
    return st;
}

/* Opens an in-memory SQLite store (migrated if 'migrate'). */
static inline struct store *open_memory(bool migrate)
{
    struct store *st = NULL;
    assert_int_equal(store_open("sqlite://:memory:", &st), 0);
    assert_non_null(st);
    if (migrate)
        assert_int_equal(store_migrate(st, NULL), 0);
    return st;
}

/* ---- queries ---- */

/* The first column of the first row of 'sql' as an integer (-1 if no
 * row). */
static inline long long query_int(struct store *st, const char *sql)
{
    struct store_stmt *s;
    long long v = -1;
    assert_int_equal(store_prepare(st, sql, &s), 0);
    int r = store_step(s);
    assert_true(r >= 0);
    if (r > 0) {
        v = store_col_int(s, 0);
        store_reset(s);
    }
    return v;
}

/* The first column of the first row of 'sql', copied into 'out'. */
static inline void query_text(struct store *st, const char *sql, char *out,
                              size_t n)
{
    struct store_stmt *s;
    assert_int_equal(store_prepare(st, sql, &s), 0);
    assert_int_equal(store_step(s), 1);
    const char *t = store_col_text(s, 0);
    snprintf(out, n, "%s", t ? t : "(null)");
    store_reset(s);
}

/* The number of tables of the test's database (its schema on
 * PostgreSQL). */
static inline long long count_tables(const struct tdb *t, struct store *st)
{
    if (tdb_is_pg(t))
        return query_int(st, "SELECT COUNT(*) FROM information_schema.tables "
                             "WHERE table_schema = current_schema()");
    return query_int(st, "SELECT COUNT(*) FROM sqlite_master "
                         "WHERE type = 'table'");
}

/* Whether table 'name' exists in the test's database. */
static inline bool table_exists(const struct tdb *t, struct store *st,
                                const char *name)
{
    char sql[256];
    if (tdb_is_pg(t))
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM information_schema.tables WHERE "
                 "table_schema = current_schema() AND table_name = '%s'",
                 name);
    else
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                 "AND name = '%s'",
                 name);
    return query_int(st, sql) > 0;
}

#endif
