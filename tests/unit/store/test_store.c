/* Unit tests of store.c and the backends: URLs, pragmas, statements, the
 * statement cache, error mapping, transactions, concurrent writers,
 * durability across close/reopen.  Tests named "sqlite/..." and "pg/..."
 * are the same test on each backend (store_test.h); PostgreSQL-only cases
 * are in test_store_pg.c. */
#include "store_test.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static void test_open_memory_forms(void **state)
{
    (void)state;
    const char *urls[] = {"sqlite://:memory:", "sqlite:///:memory:",
                          "SQLite://:memory:", "sqlite+pysqlite://:memory:"};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        struct store *st = NULL;
        assert_int_equal(store_open(urls[i], &st), 0);
        assert_non_null(st);
        assert_int_equal(query_int(st, "SELECT 40 + 2"), 42);
        store_close(st);
    }
    store_close(NULL);
}

static void test_open_bad_urls(void **state)
{
    (void)state;
    struct store *st = (struct store *)&st;
#ifndef HAVE_LIBPQ
    assert_int_equal(store_open("postgresql://u:secret@db/l2gw", &st),
                     -EPROTONOSUPPORT);
    assert_null(st);
    assert_int_equal(store_open("postgres://db/l2gw", &st), -EPROTONOSUPPORT);
#endif
    assert_int_equal(store_open("mysql+pymysql://u:p@h/db", &st),
                     -EPROTONOSUPPORT);
    assert_int_equal(store_open("/var/lib/l2gw.db", &st), -EINVAL);
    assert_int_equal(store_open("://x", &st), -EINVAL);
    assert_int_equal(store_open("sqlite://", &st), -EINVAL);
    assert_int_equal(store_open(NULL, &st), -EINVAL);
    assert_null(st);
}

static void test_open_creates_dirs(void **state)
{
    (void)state;
    char dir[PATH_MAX], url[PATH_MAX + 64], path[PATH_MAX + 32];
    struct store *st;
    struct stat sb;

    tmpdir_make(dir);
    snprintf(path, sizeof path, "%s/a/b/c/l2gw.db", dir);
    snprintf(url, sizeof url, "sqlite://%s", path);
    assert_int_equal(path[0], '/'); /* so the URL is sqlite:///... */
    assert_int_equal(store_open(url, &st), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    store_close(st);
    tmpdir_remove(dir);
}

static void test_open_relative(void **state)
{
    (void)state;
    char dir[PATH_MAX], cwd[PATH_MAX], path[PATH_MAX + 32];
    struct store *st;
    struct stat sb;

    tmpdir_make(dir);
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(store_open("sqlite://rel/dir/x.db", &st), 0);
    assert_int_equal(chdir(cwd), 0);
    snprintf(path, sizeof path, "%s/rel/dir/x.db", dir);
    assert_int_equal(stat(path, &sb), 0);
    store_close(st);
    tmpdir_remove(dir);
}

static void test_open_not_a_database(void **state)
{
    (void)state;
    char dir[PATH_MAX], path[PATH_MAX + 32], url[PATH_MAX + 64];
    struct store *st = NULL;

    tmpdir_make(dir);
    snprintf(path, sizeof path, "%s/junk.db", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not an sqlite database\n", f);
    fclose(f);
    snprintf(url, sizeof url, "sqlite://%s", path);
    assert_true(store_open(url, &st) < 0);
    assert_null(st);
    tmpdir_remove(dir);
}

/* A file database runs in WAL mode with the documented settings. */
static void test_pragmas(void **state)
{
    (void)state;
    char dir[PATH_MAX], url[PATH_MAX + 64], mode[32];
    struct store *st;

    tmpdir_make(dir);
    snprintf(url, sizeof url, "sqlite://%s/l2gw.db", dir);
    assert_int_equal(store_open(url, &st), 0);
    query_text(st, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(query_int(st, "PRAGMA busy_timeout"), 5000);
    store_close(st);
    tmpdir_remove(dir);
}

static void test_prepare_bind_step(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    struct store_stmt *s;

    assert_int_equal(store_exec(st, "CREATE TABLE t (id TEXT PRIMARY KEY, "
                                    "n BIGINT, s TEXT)"),
                     0);
    assert_int_equal(
        store_prepare(st, "INSERT INTO t (id, n, s) VALUES (?, ?, ?)", &s), 0);
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "r%d", i);
        assert_int_equal(store_bind_text(s, 1, id), 0);
        assert_int_equal(store_bind_int(s, 2, 10000000000LL + i), 0);
        if (i == 2)
            assert_int_equal(store_bind_null(s, 3), 0);
        else
            assert_int_equal(store_bind_text(s, 3, i ? "b" : NULL), 0);
        assert_int_equal(store_step(s), 0);
        assert_int_equal(store_changes(s), 1);
    }
    assert_int_equal(
        store_prepare(st, "SELECT id, n, s FROM t ORDER BY id", &s), 0);
    assert_int_equal(store_step(s), 1);
    assert_string_equal(store_col_text(s, 0), "r0");
    assert_int_equal(store_col_int(s, 1), 10000000000LL);
    assert_true(store_col_is_null(s, 2));
    assert_null(store_col_text(s, 2));
    assert_int_equal(store_step(s), 1);
    assert_string_equal(store_col_text(s, 2), "b");
    assert_false(store_col_is_null(s, 2));
    assert_string_equal(store_col_text(s, 1), "10000000001");
    assert_int_equal(store_step(s), 1);
    assert_true(store_col_is_null(s, 2));
    assert_int_equal(store_step(s), 0);
    assert_int_equal(store_changes(s), 0);

    /* Bindings are cleared when a statement is done. */
    assert_int_equal(store_prepare(st, "SELECT ? IS NULL", &s), 0);
    assert_int_equal(store_bind_int(s, 1, 5), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 0);
    assert_int_equal(store_step(s), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 1);
    store_reset(s);
    store_close(st);
}

static void test_store_run(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    const char *p[] = {"a", NULL};

    assert_int_equal(store_exec(st, "CREATE TABLE t (k TEXT, v TEXT); "
                                    "CREATE TABLE u (k TEXT)"),
                     0);
    assert_int_equal(store_run(st, "INSERT INTO t VALUES (?, ?)", p, 2), 1);
    p[0] = "b";
    assert_int_equal(store_run(st, "INSERT INTO t VALUES (?, ?)", p, 2), 1);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t WHERE v IS NULL"),
                     2);
    assert_int_equal(store_run(st, "UPDATE t SET v = 'x'", NULL, 0), 2);
    assert_int_equal(store_run(st, "SELECT * FROM t", NULL, 0), 0);
    assert_int_equal(store_run(st, "DELETE FROM t WHERE k = ?", p, 1), 1);
    assert_int_equal(store_run(st, "DELETE FROM t WHERE k = ?", p, 1), 0);
    /* Too many parameters for the statement. */
    assert_int_equal(store_run(st, "DELETE FROM t WHERE k = ?", p, 2), -EINVAL);
    store_close(st);
}

/* Integers in meta: absent, set, replaced, negative, and rows that do not
 * hold a whole integer (left untouched). */
static void test_meta_int(void **state)
{
    struct store *st = tdb_open(tdb_get(state), true);
    long long v = 7;

    assert_int_equal(store_meta_int(st, "n", &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(store_meta_set_int(st, "n", 42), 0);
    assert_int_equal(store_meta_int(st, "n", &v), 1);
    assert_int_equal(v, 42);
    assert_int_equal(store_meta_set_int(st, "n", -9000000000LL), 0);
    assert_int_equal(store_meta_int(st, "n", &v), 1);
    assert_true(v == -9000000000LL);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM meta WHERE key = 'n'"), 1);
    const char *bad[] = {"12x", "", "x", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p[] = {bad[i]};
        assert_int_equal(store_run(st, "UPDATE meta SET value = ? WHERE key = 'n'",
                                   p, 1), 1);
        v = 7;
        assert_int_equal(store_meta_int(st, "n", &v), 0);
        assert_int_equal(v, 7);
    }
    store_close(st);
}

static void test_prepare_errors(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    struct store_stmt *s = NULL, *s2 = NULL;

    assert_int_equal(store_prepare(st, "SELEC nothing", &s), -EINVAL);
    assert_int_equal(store_prepare(st, "SELECT * FROM missing", &s), -EINVAL);
    assert_int_equal(store_prepare(st, "SELECT 1; SELECT 2", &s), -EINVAL);
    assert_int_equal(store_prepare(st, "SELECT 1;", &s), 0);
    assert_int_equal(store_prepare(st, "SELECT 1;", &s2), 0);
    assert_ptr_equal(s, s2); /* cached by SQL text */
    store_reset(s);
    assert_int_equal(store_exec(st, "CREATE TABLE oops ("), -EINVAL);
    store_close(st);
}

/* More distinct statements than the cache holds; a statement in the middle
 * of its rows survives the evictions. */
static void test_cache_eviction(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, false);
    struct store_stmt *busy;
    char sql[64];

    assert_int_equal(store_prepare(st,
                                   "WITH RECURSIVE c(x) AS (SELECT 1 "
                                   "UNION ALL SELECT x + 1 FROM c "
                                   "WHERE x < 3) SELECT x FROM c",
                                   &busy),
                     0);
    assert_int_equal(store_step(busy), 1);
    assert_int_equal(store_col_int(busy, 0), 1);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 1500; i++) {
            snprintf(sql, sizeof sql, "SELECT %d", i);
            assert_int_equal(query_int(st, sql), i);
        }
    }
    assert_int_equal(store_step(busy), 1);
    assert_int_equal(store_col_int(busy, 0), 2);
    assert_int_equal(store_step(busy), 1);
    assert_int_equal(store_col_int(busy, 0), 3);
    assert_int_equal(store_step(busy), 0);
    /* PostgreSQL: evicted statements are dropped on the server too (the
     * cache holds 512). */
    if (tdb_is_pg(t))
        assert_true(query_int(st, "SELECT COUNT(*) FROM "
                                  "pg_prepared_statements") <= 513);
    store_close(st);
}

/* A statement left in the middle of its rows is reset when prepared
 * again (logged), so it starts over. */
static void test_reprepare_resets(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    struct store_stmt *s;
    const char *sql = "SELECT 1 UNION ALL SELECT 2";

    assert_int_equal(store_prepare(st, sql, &s), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_prepare(st, sql, &s), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 1);
    store_reset(s);
    store_close(st);
}

static void insert_network(struct store *st, const char *id, const char *vni,
                           int expect)
{
    const char *p[] = {id, vni};
    int r = store_run(st,
                      "INSERT INTO networks (id, project_id, vni, created_at, "
                      "updated_at) VALUES (?, 'p', ?, 't', 't')",
                      p, 2);
    assert_int_equal(r, expect);
}

static void insert_port(struct store *st, const char *id, const char *net,
                        const char *mac, int expect)
{
    const char *p[] = {id, net, mac};
    int r = store_run(st,
                      "INSERT INTO ports (id, project_id, network_id, "
                      "mac_address, created_at, updated_at) "
                      "VALUES (?, 'p', ?, ?, 't', 't')",
                      p, 3);
    assert_int_equal(r, expect);
}

static void test_error_mapping(void **state)
{
    struct store *st = tdb_open(tdb_get(state), true);

    insert_network(st, "n1", "100", 1);
    insert_network(st, "n1", "101", -EEXIST); /* primary key */
    insert_network(st, "n2", "100", -EEXIST); /* UNIQUE vni */
    insert_network(st, "n3", "0", -EINVAL);   /* CHECK */
    insert_network(st, "n4", "16777216", -EINVAL);
    insert_network(st, NULL, "102", -EINVAL); /* NOT NULL (TEXT PK) */
    insert_port(st, "p1", "n1", "aa:bb:cc:dd:ee:01", 1);
    insert_port(st, "p2", "nope", "aa:bb:cc:dd:ee:02", -EBUSY); /* FK */
    insert_port(st, "p3", "n1", "aa:bb:cc:dd:ee:01", -EEXIST);  /* UNIQUE */
    insert_port(st, "p4", "n1", NULL, -EINVAL);                 /* NOT NULL */
    const char *id[] = {"n1"};
    /* Still referenced by a port. */
    assert_int_equal(store_run(st, "DELETE FROM networks WHERE id = ?", id, 1),
                     -EBUSY);
    assert_int_equal(store_run(st, "DELETE FROM ports", NULL, 0), 1);
    assert_int_equal(store_run(st, "DELETE FROM networks WHERE id = ?", id, 1),
                     1);
    /* The same mapping through store_exec. */
    assert_int_equal(store_exec(st, "INSERT INTO meta VALUES ('k', 'v'); "
                                    "INSERT INTO meta VALUES ('k', 'w')"),
                     -EEXIST);
    store_close(st);
}

static void test_transactions(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, true);

    assert_int_equal(store_begin(st), 0);
    assert_int_equal(store_begin(st), -EBUSY);
    insert_network(st, "n1", "1", 1);
    insert_network(st, "n2", "2", 1);
    store_rollback(st);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 0);
    store_rollback(st); /* no transaction: nothing happens */

    assert_int_equal(store_begin(st), 0);
    insert_network(st, "n1", "1", 1);
    assert_int_equal(store_commit(st), 0);
    assert_int_equal(store_commit(st), -EINVAL);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 1);

    /* A failed statement does not end the transaction; rollback undoes
     * what came before it. */
    assert_int_equal(store_begin(st), 0);
    insert_network(st, "n2", "2", 1);
    insert_network(st, "n3", "1", -EEXIST);
    store_rollback(st);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 1);

    /* ... and the transaction goes on: reads, writes and the commit see
     * everything but the failed statement. */
    struct store_stmt *s;
    assert_int_equal(store_begin(st), 0);
    insert_network(st, "n2", "2", 1);
    insert_network(st, "n3", "1", -EEXIST);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 2);
    assert_int_equal(store_prepare(st, "SELECT nope FROM networks", &s),
                     -EINVAL);
    assert_int_equal(store_exec(st, "INSERT INTO meta VALUES ('k', 'v'); "
                                    "INSERT INTO meta VALUES ('k', 'w')"),
                     -EEXIST);
    insert_network(st, "n3", "3", 1);
    assert_int_equal(store_commit(st), 0);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 3);
    /* store_exec() stops at the failed statement: SQLite keeps the ones
     * before it, PostgreSQL runs the text all or nothing (store_pg.c). */
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM meta"),
                     tdb_is_pg(t) ? 0 : 1);
    store_close(st);
}

/* An integer beyond the column's type compares as unequal, as in SQLite
 * (PostgreSQL would infer a 4-byte parameter for an INTEGER column). */
static void test_big_integers(void **state)
{
    struct store *st = tdb_open(tdb_get(state), true);
    struct store_stmt *s;
    const char *big[] = {"10000000000"};
    const struct store_col cols[] = {{"id", "id", STORE_TEXT}};
    const struct store_filter f = {"vni", STORE_INT, big, 1};
    const struct store_list_query q = {.table = "networks",
                                       .cols = cols,
                                       .n_cols = 1,
                                       .filters = &f,
                                       .n_filters = 1};
    json_t *rows;

    insert_network(st, "n1", "5", 1);
    for (int in_txn = 0; in_txn < 2; in_txn++) {
        if (in_txn)
            assert_int_equal(store_begin(st), 0);
        const char *sql = "SELECT COUNT(*) FROM networks WHERE vni = ?";
        assert_int_equal(store_prepare(st, sql, &s), 0);
        assert_int_equal(store_bind_int(s, 1, 10000000000LL), 0);
        assert_int_equal(store_step(s), 1);
        assert_int_equal(store_col_int(s, 0), 0);
        assert_int_equal(store_step(s), 0);
        assert_int_equal(store_prepare(st, sql, &s), 0);
        assert_int_equal(store_bind_int(s, 1, 5), 0);
        assert_int_equal(store_step(s), 1);
        assert_int_equal(store_col_int(s, 0), 1);
        store_reset(s);
        assert_int_equal(
            store_run(st, "DELETE FROM networks WHERE vni = ?", big, 1), 0);
        assert_int_equal(store_list(st, &q, &rows, NULL), 0);
        assert_int_equal(json_array_size(rows), 0);
        json_decref(rows);
        if (in_txn)
            assert_int_equal(store_commit(st), 0);
    }
    store_close(st);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Another process's transaction: begins, inserts network "child", tells
 * 'fd', holds its transaction for 'hold_ms', commits.  Exits 0 if all
 * went well. */
static void child_writer(const char *url, int fd, int hold_ms)
{
    struct store *st = NULL;
    const char *p[] = {"child"};
    int ok = store_open(url, &st) == 0 && store_begin(st) == 0 &&
             store_run(st,
                       "INSERT INTO networks (id, project_id, vni, "
                       "created_at, updated_at) VALUES (?, 'p', 99, 't', 't')",
                       p, 1) == 1;
    ok = write(fd, ok ? "1" : "0", 1) == 1 && ok;
    usleep((useconds_t)hold_ms * 1000);
    ok = ok && store_commit(st) == 0;
    store_close(st);
    _exit(ok ? 0 : 1);
}

/* Writers are serialised: store_begin() waits for another connection's
 * transaction, then sees what it committed. */
static void test_writers_serialised(void **state)
{
    const struct tdb *t = tdb_get(state);
    int fds[2], status;
    char c = 0;

    store_close(tdb_open(t, true));
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_writer(t->url, fds[1], 400);
    assert_int_equal(read(fds[0], &c, 1), 1);
    assert_int_equal(c, '1');
    struct store *st = tdb_open(t, false);
    long long start = now_ms();
    assert_int_equal(store_begin(st), 0);
    assert_true(now_ms() - start >= 200);
    assert_int_equal(query_int(st, "SELECT vni FROM networks WHERE id = "
                                   "'child'"),
                     99);
    insert_network(st, "parent", "100", 1);
    assert_int_equal(store_commit(st), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 2);
    store_close(st);
    close(fds[0]);
    close(fds[1]);
}

static void test_survives_reopen(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st;
    int version = 0;

    assert_int_equal(store_open(t->url, &st), 0);
    assert_int_equal(store_migrate(st, &version), 0);
    assert_int_equal(version, store_latest_version());
    assert_int_equal(store_begin(st), 0);
    insert_network(st, "n1", "7", 1);
    assert_int_equal(store_commit(st), 0);
    assert_int_equal(store_begin(st), 0);
    insert_network(st, "n2", "8", 1);
    store_rollback(st);
    store_close(st);

    assert_int_equal(store_open(t->url, &st), 0);
    version = -1;
    assert_int_equal(store_version(st, &version), 0);
    assert_int_equal(version, store_latest_version());
    assert_int_equal(query_int(st, "SELECT vni FROM networks WHERE id = 'n1'"),
                     7);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM networks"), 1);
    store_close(st);
}

/* A file database in a directory that does not exist yet. */
static void test_file_in_new_dir(void **state)
{
    (void)state;
    char dir[PATH_MAX], url[PATH_MAX + 64];
    struct store *st;

    tmpdir_make(dir);
    snprintf(url, sizeof url, "sqlite://%s/data/l2gw.db", dir);
    assert_int_equal(store_open(url, &st), 0);
    assert_int_equal(store_migrate(st, NULL), 0);
    store_close(st);
    tmpdir_remove(dir);
}

/* Two connections to one database: readers see only committed data
 * (SQLite: WAL). */
static void test_two_connections(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *a, *b;

    assert_int_equal(store_open(t->url, &a), 0);
    assert_int_equal(store_migrate(a, NULL), 0);
    assert_int_equal(store_open(t->url, &b), 0);
    assert_int_equal(store_begin(a), 0);
    insert_network(a, "n1", "7", 1);
    assert_int_equal(query_int(b, "SELECT COUNT(*) FROM networks"), 0);
    assert_int_equal(store_commit(a), 0);
    assert_int_equal(query_int(b, "SELECT COUNT(*) FROM networks"), 1);
    store_close(a);
    store_close(b);
}

static void test_timestamp(void **state)
{
    (void)state;
    char ts[32];
    int y, mo, d, h, mi, s;
    char z = 0;

    store_timestamp(ts);
    assert_int_equal(strlen(ts), 20);
    assert_int_equal(
        sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z),
        7);
    assert_int_equal(z, 'Z');
    assert_true(y >= 2024 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TDB_SQLITE_TEST(test_open_memory_forms),
        TDB_SQLITE_TEST(test_open_bad_urls),
        TDB_SQLITE_TEST(test_open_creates_dirs),
        TDB_SQLITE_TEST(test_open_relative),
        TDB_SQLITE_TEST(test_open_not_a_database),
        TDB_SQLITE_TEST(test_pragmas),
        TDB_SQLITE_TEST(test_file_in_new_dir),
        TDB_TESTS(test_prepare_bind_step),
        TDB_TESTS(test_store_run),
        TDB_TESTS(test_meta_int),
        TDB_TESTS(test_prepare_errors),
        TDB_TESTS(test_cache_eviction),
        TDB_TESTS(test_reprepare_resets),
        TDB_TESTS(test_error_mapping),
        TDB_TESTS(test_transactions),
        TDB_TESTS(test_big_integers),
        TDB_TESTS(test_writers_serialised),
        TDB_TESTS(test_survives_reopen),
        TDB_TESTS(test_two_connections),
        cmocka_unit_test(test_timestamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
