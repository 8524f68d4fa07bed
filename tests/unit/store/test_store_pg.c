/* Unit tests of the PostgreSQL backend (store_pg.c) beyond the tests that
 * run on both backends: URL errors and password hygiene, the '?' rewrite,
 * value kinds, SQLSTATE mapping, connection loss (inside and outside a
 * transaction, and a real server restart), the write lock's timeout.
 *
 * Needs L2GW_TEST_PG (store_test.h); the restart case also needs
 * L2GW_TEST_PG_DIR (the directory of tests/pg/pgtmp.sh start) and
 * L2GW_PGTMP (the script; meson sets it).  Cases without what they need
 * are SKIPPED.  Run alone (meson: is_parallel false): a restart breaks the
 * other tests' connections. */
#include "store_test.h"

#include <errno.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>

#include "lib/log.h"
#ifdef HAVE_LIBPQ
#include "store/store_impl.h" /* store_pg_rewrite(), store_pg_errno() */
#endif

/* ---- without a server ---- */

/* Runs store_open(url) with the log going to a file; checks the error and
 * that 'secret' appears nowhere in the log. */
static void open_fails(const char *url, int expect, const char *secret)
{
    char dir[PATH_MAX], path[PATH_MAX + 16], text[4096] = "";
    struct store *st = (struct store *)&st;

    tmpdir_make(dir);
    snprintf(path, sizeof path, "%s/log", dir);
    assert_int_equal(log_set_file(path), 0);
    int r = store_open(url, &st);
    log_set_file(NULL);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    tmpdir_remove(dir);
    assert_int_equal(r, expect);
    assert_null(st);
    assert_true(n > 0); /* the failure was logged */
    if (strstr(text, secret))
        fail_msg("the log shows the password: %s", text);
}

static void test_open_errors(void **state)
{
    (void)state;
#ifdef HAVE_LIBPQ
    open_fails("postgresql://u:s3cret@127.0.0.1:1/l2gw", -ECONNREFUSED,
               "s3cret");
    open_fails("postgres://u:s3cret@127.0.0.1:1/l2gw", -ECONNREFUSED, "s3cret");
    open_fails("postgresql+psycopg2://u:s3cret@127.0.0.1:1/l2gw", -ECONNREFUSED,
               "s3cret");
    open_fails("postgresql://u:s3cret@127.0.0.1:1/l2gw?bogus=1", -EINVAL,
               "s3cret");
    open_fails("postgresql://u:s3%zzcret@127.0.0.1:1/l2gw", -EINVAL, "s3");
    open_fails("postgresql://u:s3cret@127.0.0.1:notaport/l2gw", -EINVAL,
               "s3cret");
    open_fails("postgresql://u:s3cret@[::1/l2gw", -EINVAL, "s3cret");
    open_fails("postgresql://u:s3cret@h/l2gw?x", -EINVAL, "s3cret");
#else
    skip();
#endif
}

#ifdef HAVE_LIBPQ
/* store_pg_rewrite() of 'sql' gives 'want' with 'n' parameters. */
static void rewrites(const char *sql, const char *want, int n)
{
    char *out = NULL;
    int n_params = -1;
    assert_int_equal(store_pg_rewrite(sql, &out, &n_params), 0);
    assert_string_equal(out, want);
    assert_int_equal(n_params, n);
    free(out);
}
#endif

/* The rewrite alone (the server tests below run such SQL for real). */
static void test_rewrite(void **state)
{
    (void)state;
#ifdef HAVE_LIBPQ
    char *out = NULL;
    int n = 0;

    rewrites("SELECT 1", "SELECT 1", 0);
    rewrites("", "", 0);
    rewrites("a = ? AND b IN (?,?)", "a = $1 AND b IN ($2,$3)", 3);
    rewrites("'?' || '''?' || ? || \"?\"\"?\" || ?",
             "'?' || '''?' || $1 || \"?\"\"?\" || $2", 2);
    rewrites("E'\\'?' || e'\\\\' || ? || x'01'",
             "E'\\'?' || e'\\\\' || $1 || x'01'", 1);
    rewrites("'\\' || ? || '?'", "'\\' || $1 || '?'", 1);
    rewrites("-- ?\n? /* ? /* ? */ ? */ ?", "-- ?\n$1 /* ? /* ? */ ? */ $2", 2);
    rewrites("$$?$$ || $a_1$ ? $$ ? $a_1$ || ? || $1",
             "$$?$$ || $a_1$ ? $$ ? $a_1$ || $1 || $1", 1);
    rewrites("a$b ? ", "a$b $1 ", 1);
    rewrites("?3, ?, ?1, ?", "$3, $4, $1, $5", 5);
    rewrites("'unterminated ?", "'unterminated ?", 0);
    rewrites("/* unterminated ?", "/* unterminated ?", 0);
    rewrites("?65535", "$65535", 65535);
    assert_int_equal(store_pg_rewrite("?0", &out, &n), -EINVAL);
    assert_int_equal(store_pg_rewrite("?65536", &out, &n), -EINVAL);
#else
    skip();
#endif
}

/* The SQLSTATE table alone. */
static void test_errno_table(void **state)
{
    (void)state;
#ifdef HAVE_LIBPQ
    bool c;
    assert_int_equal(store_pg_errno("23505", &c), -EEXIST);
    assert_true(c);
    assert_int_equal(store_pg_errno("23503", &c), -EBUSY);
    assert_true(c);
    assert_int_equal(store_pg_errno("23514", &c), -EINVAL);
    assert_true(c);
    assert_int_equal(store_pg_errno("23502", &c), -EINVAL);
    assert_int_equal(store_pg_errno("40P01", &c), -EAGAIN);
    assert_false(c);
    assert_int_equal(store_pg_errno("42703", &c), -EINVAL);
    assert_int_equal(store_pg_errno("XX000", &c), -EIO);
    assert_int_equal(store_pg_errno(NULL, &c), -EIO);
    assert_false(c);
    assert_true(store_pg_state_lost("08006"));
    assert_true(store_pg_state_lost("57P01"));
    assert_false(store_pg_state_lost("57014")); /* query_canceled */
    assert_false(store_pg_state_lost(NULL));
#else
    skip();
#endif
}

/* ---- with a server ---- */

/* The first column of the only row of 's' (bound already) as text. */
static void expect_text(struct store_stmt *s, const char *want)
{
    assert_int_equal(store_step(s), 1);
    assert_string_equal(store_col_text(s, 0), want);
    assert_int_equal(store_step(s), 0);
}

static void test_placeholders(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    struct store_stmt *s;

    /* '?' in strings, identifiers, comments and dollar quotes stays. */
    assert_int_equal(store_prepare(st,
                                   "SELECT '?''?' || ? || \"?x\" FROM "
                                   "(SELECT ? AS \"?x\") q -- ?\n",
                                   &s),
                     0);
    assert_int_equal(store_bind_text(s, 1, "a"), 0);
    assert_int_equal(store_bind_text(s, 2, "b"), 0);
    assert_int_equal(store_bind_text(s, 3, "c"), -EINVAL);
    expect_text(s, "?'?ab");
    assert_int_equal(store_prepare(st,
                                   "SELECT /* ? /* nested ? */ ? */ E'\\'?' "
                                   "|| $$?$$ || $t$ ? $t$ || ?",
                                   &s),
                     0);
    assert_int_equal(store_bind_text(s, 1, "x"), 0);
    assert_int_equal(store_bind_text(s, 2, "y"), -EINVAL);
    expect_text(s, "'?? ? x");
    /* A bad number. */
    assert_int_equal(store_prepare(st, "SELECT ?0", &s), -EINVAL);
    /* SQLite's numbered form, and '?' after it. */
    assert_int_equal(store_prepare(st, "SELECT ?2 || ?1 || ?", &s), 0);
    assert_int_equal(store_bind_text(s, 1, "a"), 0);
    assert_int_equal(store_bind_text(s, 2, "b"), 0);
    assert_int_equal(store_bind_text(s, 3, "c"), 0);
    expect_text(s, "bac");
    /* Identifiers with '?'. */
    assert_int_equal(store_exec(st, "CREATE TABLE \"q?\" (\"c?\" TEXT)"), 0);
    const char *p[] = {"v?"};
    assert_int_equal(store_run(st, "INSERT INTO \"q?\" VALUES (?)", p, 1), 1);
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM \"q?\" WHERE \"c?\" "
                                   "= 'v?'"),
                     1);
    /* Parameters the server cannot type alone. */
    assert_int_equal(store_prepare(st, "SELECT ? IS NULL, ? IS NULL", &s), 0);
    assert_int_equal(store_bind_int(s, 1, 3), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 0);
    assert_int_equal(store_col_int(s, 1), 1);
    store_reset(s);
    assert_int_equal(store_prepare(st,
                                   "SELECT CASE WHEN ? THEN ? ELSE ? END "
                                   "FROM (VALUES (1), (2), (3)) v(x) LIMIT ?",
                                   &s),
                     0);
    assert_int_equal(store_bind_int(s, 1, 1), 0);
    assert_int_equal(store_bind_int(s, 2, 7), 0);
    assert_int_equal(store_bind_int(s, 4, 2), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_step(s), 1);
        assert_int_equal(store_col_int(s, 0), 7);
    }
    assert_int_equal(store_step(s), 0);
    assert_int_equal(store_prepare(st, "SELECT ? + 1", &s), 0);
    assert_int_equal(store_bind_int(s, 1, 1LL << 40), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), (1LL << 40) + 1);
    store_reset(s);
    store_close(st);
}

/* What a backend reports: integers, booleans as 1/0, integral numerics as
 * INT, NULL, text. */
static void test_value_kinds(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    struct store_stmt *s;

    assert_int_equal(store_prepare(st,
                                   "SELECT 1 = 1, 1 = 2, 7::smallint, "
                                   "SUM(x), 1.5, NULL, 'txt', "
                                   "9000000000::bigint FROM (VALUES "
                                   "(9000000000::bigint), (1)) v(x)",
                                   &s),
                     0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 1);
    assert_string_equal(store_col_text(s, 0), "1");
    assert_int_equal(store_col_int(s, 1), 0);
    assert_string_equal(store_col_text(s, 1), "0");
    assert_int_equal(store_col_int(s, 2), 7);
    assert_int_equal(store_col_int(s, 3), 9000000001LL); /* numeric */
    assert_false(store_col_is_null(s, 4));
    assert_string_equal(store_col_text(s, 4), "1.5");
    assert_true(store_col_is_null(s, 5));
    assert_null(store_col_text(s, 5));
    assert_string_equal(store_col_text(s, 6), "txt");
    assert_int_equal(store_col_int(s, 7), 9000000000LL);
    assert_true(store_col_is_null(s, 8)); /* no such column */
    assert_int_equal(store_step(s), 0);
    store_close(st);
}

static const struct {
    const char *state;
    int err;
} sqlstates[] = {
    {"23505", -EEXIST}, {"23P01", -EEXIST}, {"23503", -EBUSY},
    {"23514", -EINVAL}, {"23502", -EINVAL}, {"40001", -EAGAIN},
    {"40P01", -EAGAIN}, {"55P03", -EAGAIN}, {"42601", -EINVAL},
    {"22012", -EINVAL}, {"53100", -EIO},    {"XX000", -EIO},
    {"P0001", -EIO},
};

/* Every SQLSTATE of the table, raised by the server, through store_exec()
 * and through a prepared statement, outside and inside a transaction
 * (which goes on). */
static void test_sqlstate_mapping(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    char sql[160];

    assert_int_equal(store_exec(st, "CREATE FUNCTION fail(code text) RETURNS "
                                    "int LANGUAGE plpgsql AS $$ BEGIN RAISE "
                                    "EXCEPTION 'failing on purpose' USING "
                                    "ERRCODE = code; END $$; "
                                    "CREATE TABLE t (x INTEGER)"),
                     0);
    for (int in_txn = 0; in_txn < 2; in_txn++) {
        if (in_txn)
            assert_int_equal(store_begin(st), 0);
        assert_int_equal(store_run(st, "INSERT INTO t VALUES (1)", NULL, 0), 1);
        for (size_t i = 0; i < sizeof sqlstates / sizeof sqlstates[0]; i++) {
            const char *p[] = {sqlstates[i].state};
            snprintf(sql, sizeof sql, "SELECT fail('%s')", sqlstates[i].state);
            if (store_exec(st, sql) != sqlstates[i].err ||
                store_run(st, "SELECT fail(?)", p, 1) != sqlstates[i].err)
                fail_msg("SQLSTATE %s is not mapped to %d", sqlstates[i].state,
                         sqlstates[i].err);
        }
        if (in_txn)
            assert_int_equal(store_commit(st), 0);
    }
    assert_int_equal(query_int(st, "SELECT COUNT(*) FROM t"), 2);
    store_close(st);
}

/* Ends the server session of 'st' from another connection. */
static void kill_session(const struct tdb *t, struct store *st)
{
    struct store *other = tdb_open(t, false);
    struct store_stmt *s;
    long long pid = query_int(st, "SELECT pg_backend_pid()");

    assert_int_equal(store_prepare(other, "SELECT pg_terminate_backend(?)", &s),
                     0);
    assert_int_equal(store_bind_int(s, 1, pid), 0);
    assert_int_equal(store_step(s), 1);
    assert_int_equal(store_col_int(s, 0), 1);
    store_reset(s);
    store_close(other);
    usleep(100 * 1000); /* let the session end */
}

static const char count_sql[] = "SELECT COUNT(*) FROM networks";

static void insert_net(struct store *st, const char *id, int expect)
{
    const char *p[] = {id};
    assert_int_equal(store_run(st,
                               "INSERT INTO networks (id, project_id, vni, "
                               "created_at, updated_at) VALUES (?, 'p', "
                               "(SELECT COUNT(*) + 1 FROM networks), 't', "
                               "'t')",
                               p, 1),
                     expect);
}

/* Outside a transaction: the call that meets the broken connection fails
 * with -ENOTCONN; the next one reconnects, and cached statements work. */
static void test_connection_lost(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, true);

    insert_net(st, "n1", 1);
    assert_int_equal(query_int(st, count_sql), 1);
    kill_session(t, st);
    struct store_stmt *s;
    assert_int_equal(store_prepare(st, count_sql, &s), 0); /* cached */
    assert_int_equal(store_step(s), -ENOTCONN);
    assert_int_equal(query_int(st, count_sql), 1);
    insert_net(st, "n2", 1);
    assert_int_equal(query_int(st, count_sql), 2);
    /* Reconnected sessions take the write lock as before. */
    assert_int_equal(store_begin(st), 0);
    insert_net(st, "n3", 1);
    assert_int_equal(store_commit(st), 0);
    store_close(st);
}

/* Inside a transaction: the transaction is lost; every call fails until
 * the rollback, then the store reconnects. */
static void test_connection_lost_in_txn(void **state)
{
    const struct tdb *t = tdb_get(state);
    struct store *st = tdb_open(t, true);
    struct store_stmt *s;

    assert_int_equal(query_int(st, count_sql), 0); /* cached */
    assert_int_equal(store_begin(st), 0);
    insert_net(st, "n1", 1);
    kill_session(t, st);
    insert_net(st, "n2", -ENOTCONN);
    assert_int_equal(store_prepare(st, count_sql, &s), 0);
    assert_int_equal(store_step(s), -ENOTCONN);
    assert_int_equal(store_exec(st, "SELECT 1"), -ENOTCONN);
    assert_int_equal(store_commit(st), -ENOTCONN);
    assert_int_equal(query_int(st, count_sql), 0);
    assert_int_equal(store_begin(st), 0);
    insert_net(st, "n3", 1);
    kill_session(t, st);
    assert_int_equal(store_commit(st), -ENOTCONN);
    store_rollback(st);
    assert_int_equal(query_int(st, count_sql), 0);
    store_close(st);
}

/* A real restart of the server (tests/pg/pgtmp.sh restart). */
static void test_server_restart(void **state)
{
    const struct tdb *t = tdb_get(state);
    const char *dir = getenv("L2GW_TEST_PG_DIR");
    const char *script = getenv("L2GW_PGTMP");
    char cmd[2 * PATH_MAX];

    if (!dir || !*dir || !script || !*script) {
        print_message("pg/test_server_restart needs L2GW_TEST_PG_DIR and "
                      "L2GW_PGTMP\n");
        skip();
    }
    struct store *st = tdb_open(t, true);
    insert_net(st, "n1", 1);
    assert_int_equal(query_int(st, count_sql), 1);
    snprintf(cmd, sizeof cmd, "'%s' restart '%s'", script, dir);
    assert_int_equal(system(cmd), 0);
    struct store_stmt *s;
    assert_int_equal(store_prepare(st, count_sql, &s), 0);
    assert_int_equal(store_step(s), -ENOTCONN);
    assert_int_equal(query_int(st, count_sql), 1);
    insert_net(st, "n2", 1);
    store_close(st);
}

/* Holds the write lock (a transaction) until 'in' is readable (at most
 * 30 s, should the parent fail); tells 'out' once it holds it.  'forever':
 * the session is exempted from idle_in_transaction_session_timeout (a
 * holder that is busy, not stopped); otherwise the server ends it after
 * the store's 2 s, and the call after the wait must fail with -ENOTCONN. */
static void child_holder(const char *url, int in, int out, bool forever)
{
    struct store *st = NULL;
    struct pollfd pfd = {.fd = in, .events = POLLIN};
    int ok = store_open(url, &st) == 0 && store_begin(st) == 0;
    if (ok && forever)
        ok = store_exec(st, "SET idle_in_transaction_session_timeout = 0") == 0;
    ok = write(out, ok ? "1" : "0", 1) == 1 && ok;
    ok = poll(&pfd, 1, 30000) == 1 && ok;
    if (!forever)
        ok = ok && store_exec(st, "SELECT 1") == -ENOTCONN;
    store_rollback(st);
    store_close(st);
    _exit(ok ? 0 : 1);
}

/* Forks a holder of the write lock (child_holder); returns its pid once it
 * holds it; 'to' = the pipe that releases it. */
static pid_t start_holder(const char *url, bool forever, int to[2])
{
    int from[2];
    char c = 0;

    assert_int_equal(pipe(to), 0);
    assert_int_equal(pipe(from), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_holder(url, to[0], from[1], forever);
    assert_int_equal(read(from[0], &c, 1), 1);
    assert_int_equal(c, '1');
    close(from[0]);
    close(from[1]);
    return pid;
}

static void stop_holder(pid_t pid, int to[2])
{
    int status;

    assert_int_equal(write(to[1], "x", 1), 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(to[0]);
    close(to[1]);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A writer waits for the lock up to 5 s, then -EAGAIN; readers never
 * wait. */
static void test_lock_timeout(void **state)
{
    const struct tdb *t = tdb_get(state);
    int to[2];

    store_close(tdb_open(t, true));
    pid_t pid = start_holder(t->url, true, to);
    struct store *st = tdb_open(t, false);
    assert_int_equal(query_int(st, count_sql), 0);
    long long start = now_ms();
    assert_int_equal(store_begin(st), -EAGAIN);
    long long waited = now_ms() - start;
    assert_true(waited >= 4500 && waited < 15000);
    assert_int_equal(query_int(st, count_sql), 0);
    stop_holder(pid, to);
    assert_int_equal(store_begin(st), 0);
    store_rollback(st);
    store_close(st);
}

/* A holder stopped inside its transaction (idle in it) loses its session
 * after 2 s, which frees the lock: the writer gets it then, not after its
 * own 5 s lock timeout; the holder's next call fails with -ENOTCONN. */
static void test_idle_holder_ended(void **state)
{
    const struct tdb *t = tdb_get(state);
    int to[2];

    store_close(tdb_open(t, true));
    pid_t pid = start_holder(t->url, false, to);
    struct store *st = tdb_open(t, false);
    long long start = now_ms();
    assert_int_equal(store_begin(st), 0);
    long long waited = now_ms() - start;
    assert_true(waited >= 1000 && waited < 4500);
    store_rollback(st);
    stop_holder(pid, to);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_rewrite),
        cmocka_unit_test(test_errno_table),
        TDB_PG_TEST(test_placeholders),
        TDB_PG_TEST(test_value_kinds),
        TDB_PG_TEST(test_sqlstate_mapping),
        TDB_PG_TEST(test_connection_lost),
        TDB_PG_TEST(test_connection_lost_in_txn),
        TDB_PG_TEST(test_server_restart),
        TDB_PG_TEST(test_lock_timeout),
        TDB_PG_TEST(test_idle_holder_ended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
