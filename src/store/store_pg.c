/* The PostgreSQL backend of the store (store_impl.h), over libpq.  The
 * parts that need no server (the '?' rewrite, the SQLSTATE table) are in
 * store_pg_sql.c.
 *
 * Connection: the URL goes to libpq as it is ("postgresql://user:pw@host:
 * port/db", "postgres://...", "?host=/socket/dir" for a unix socket, any
 * other libpq URI parameter).  Defaults that the URL may override:
 * connect_timeout 10 s, client_encoding UTF8, fallback_application_name
 * l2gwd.  Each session then sets lock_timeout (5 s, as SQLite's busy
 * timeout), standard_conforming_strings and, on 9.6 and newer,
 * idle_in_transaction_session_timeout (2 s): a process that stops inside a
 * transaction (SIGSTOP, a paused VM) would otherwise hold the write lock
 * for as long as its TCP connection lives and stall every other node; the
 * server ends such a session instead, and its next call fails with
 * -ENOTCONN.  l2gwd never waits for anything else inside a transaction,
 * so a live process is not caught by it.  The URL is never logged.  The
 * database should use the C collation (LC_COLLATE 'C'): text then sorts by
 * bytes as in SQLite; another collation is accepted with a warning.
 *
 * Statements: '?' placeholders become $1, $2 ... ('?' inside quoted strings,
 * quoted identifiers, dollar quotes and comments stays; SQLite's "?NNN"
 * becomes "$NNN").  Each cached statement is prepared once per session
 * (PQprepare, names unique per connection) with untyped parameters, so the
 * server infers their types from the context; a parameter it cannot infer
 * (as in "? IS NULL") is made text and the statement prepared again.
 * Values travel as text.  When an integer does not fit the type the server
 * inferred (an INTEGER column compared with 10^10), the statement is
 * prepared again with that parameter as bigint, so the comparison matches
 * nothing instead of failing, as with SQLite.  A step fetches every row of
 * the result at once (no single-row mode: the store lets a statement be
 * stepped while others run).  Read back, int2/int4/int8/oid and integral
 * numerics are INT; booleans are INT 1/0 (text "1"/"0", as SQLite gives
 * them); everything else is TEXT.
 *
 * Transactions: store_begin() runs BEGIN (READ COMMITTED) and takes a
 * transaction-level advisory lock (one key per database schema).  Writers
 * are thus serialised as SQLite's BEGIN IMMEDIATE serialises them: a
 * check-then-write transaction sees no concurrent writer, and each
 * statement sees what was committed before it.  The lock is waited for up
 * to lock_timeout, then -EAGAIN.  Statements outside a transaction take no
 * lock (each is atomic alone).  Inside a transaction each statement runs
 * under a savepoint, sent in the same round trip (a libpq pipeline), so a
 * failed statement leaves the transaction usable as store.h promises
 * (PostgreSQL alone would abort the whole transaction).  store_exec()
 * outside a transaction runs its statements as one implicit transaction:
 * all or nothing.  Migrations take the same lock (they use store_begin), so
 * concurrent "l2gwd db upgrade" runs one after the other.
 *
 * Errors (SQLSTATE → errno): 23505 unique, 23P01 exclusion → -EEXIST; 23503
 * foreign key → -EBUSY; 23514 check, 23502 not null, other class 23 →
 * -EINVAL (debug level only); class 42 (syntax, unknown table or column),
 * class 22 (bad value), 26000, 0A000 → -EINVAL; 40001 serialization
 * failure, 40P01 deadlock, 55P03 lock not available → -EAGAIN (the
 * statement or the begin did nothing; running it again may succeed); the
 * connection lost (class 08, 57P01..57P03, or a broken connection) →
 * -ENOTCONN; anything else → -EIO.  All but the constraints are logged
 * with the server's message and the SQL.
 *
 * Connection loss: the call that finds the connection broken fails with
 * -ENOTCONN.  Outside a transaction the next call reconnects (PQreset), and
 * cached statements are prepared again on the new session when next used;
 * after a failed attempt, calls fail at once with -ENOTCONN for 1 s
 * (doubling up to 10 s) before the next attempt, so that a server that is
 * down does not stall each call for the connect timeout.
 * Inside a transaction the transaction is lost: every call fails with
 * -ENOTCONN until store_rollback() (or the failed store_commit()); a commit
 * whose answer was lost reports -ENOTCONN although the server may have
 * committed. */
#include "store/store_impl.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "store"
#include "lib/log.h"

/* Hard limits and settings. */
enum {
    PG_LOG_SQL_MAX = 300,       /* SQL characters in a log line */
    PG_LOG_MSG_MAX = 400,       /* server message characters in a log line */
    PG_MIN_SERVER = 90500,      /* 9.5: INSERT ... ON CONFLICT */
    PG_IDLE_SERVER = 90600,     /* 9.6: idle_in_transaction_session_timeout */
    PG_LOCK_TIMEOUT_MS = 5000,  /* waiting for a lock (the write lock) */
    PG_TXN_IDLE_MS = 2000,      /* a session idle this long in a transaction
                                   is ended by the server */
    PG_LOCK_CLASS = 0x6c326777, /* "l2gw": first half of the lock key */
    PG_NAME_MAX = 32,           /* statement name */
    PG_RETRY_MIN_MS = 1000,     /* reconnect: wait after a first failure */
    PG_RETRY_MAX_MS = 10000,    /* reconnect: longest wait (doubling) */
};

/* Type OIDs (fixed in PostgreSQL's catalog). */
enum {
    PG_OID_BOOL = 16,
    PG_OID_INT8 = 20,
    PG_OID_INT2 = 21,
    PG_OID_INT4 = 23,
    PG_OID_TEXT = 25,
    PG_OID_OID = 26,
    PG_OID_NUMERIC = 1700,
};

static const char SAVEPOINT_SQL[] = "SAVEPOINT l2gw_stmt";
static const char RELEASE_SQL[] = "RELEASE SAVEPOINT l2gw_stmt";
static const char UNDO_SQL[] = "ROLLBACK TO SAVEPOINT l2gw_stmt; "
                               "RELEASE SAVEPOINT l2gw_stmt";

struct pg_db {
    PGconn *conn;
    unsigned long gen;     /* session number, bumped on each reconnect */
    unsigned long n_names; /* statement names handed out */
    int lock_key;          /* second half of the lock key (the schema) */
    bool in_txn;           /* between begin and commit/rollback */
    bool ready;            /* the session's settings are made */
    long long retry_at;    /* no reconnect before (monotonic ms) */
    int retry_wait;        /* ms to wait after the next failure */
};

struct pg_stmt {
    struct pg_db *d;
    char *sql; /* with $n placeholders, owned */
    int n_params;
    Oid *types;    /* per parameter: 0 lets the server infer it */
    char **values; /* bound text, owned; NULL is SQL NULL */
    char name[PG_NAME_MAX];
    unsigned long gen; /* session the statement is prepared in; 0: none */
    PGresult *res;     /* the rows of the current execution */
    int row, n_rows, n_cols;
    bool executed;
};

/* ---- messages and errors ---- */

/* Copies 'msg' into 'buf' on one line (newlines and tabs become spaces,
 * trailing blanks dropped). */
static const char *one_line(const char *msg, char *buf, size_t n)
{
    size_t len = 0;
    for (; msg && *msg && len + 1 < n; msg++)
        buf[len++] = (*msg == '\n' || *msg == '\t') ? ' ' : *msg;
    while (len && buf[len - 1] == ' ')
        len--;
    buf[len] = '\0';
    return buf;
}

/* Maps the failed result 'r' (NULL: libpq failed) of running 'sql' to an
 * errno, and logs it as the file comment says. */
static int map_result(struct pg_db *d, const PGresult *r, const char *sql)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[PG_LOG_MSG_MAX];
    bool constraint;

    one_line(msg ? msg : PQerrorMessage(d->conn), line, sizeof line);
    if (PQstatus(d->conn) != CONNECTION_OK || store_pg_state_lost(state)) {
        static struct log_rl rl = LOG_RL_INIT(5, 60000);
        log_err_rl(&rl, "postgresql: connection lost: %s", line);
        return -ENOTCONN;
    }
    int err = store_pg_errno(state, &constraint);
    if (constraint)
        log_dbg("postgresql: %s (SQLSTATE %s) in: %.*s", line, state,
                PG_LOG_SQL_MAX, sql);
    else
        log_err("postgresql: %s (SQLSTATE %s) in: %.*s", line,
                state ? state : "none", PG_LOG_SQL_MAX, sql);
    return err;
}

static bool result_ok(const PGresult *r)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
           st == PGRES_EMPTY_QUERY;
}

/* Runs 'sql' (no parameters, rows ignored). */
static int simple(struct pg_db *d, const char *sql)
{
    PGresult *r = PQexec(d->conn, sql);
    int err = result_ok(r) ? 0 : map_result(d, r, sql);
    PQclear(r);
    return err;
}

/* ---- sessions ---- */

static void on_notice(void *arg, const char *msg)
{
    char line[PG_LOG_MSG_MAX];
    (void)arg;
    log_dbg("postgresql: %s", one_line(msg, line, sizeof line));
}

/* FNV-1a of 's'. */
static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Settings of a new session, and the lock key of its schema. */
static int session_setup(struct pg_db *d)
{
    char sql[256], idle[80];

    snprintf(idle, sizeof idle,
             "SET idle_in_transaction_session_timeout = %d;", PG_TXN_IDLE_MS);
    PQsetNoticeProcessor(d->conn, on_notice, NULL);
    if (PQserverVersion(d->conn) < PG_MIN_SERVER) {
        log_err("postgresql: server version %d is too old (9.5 or newer "
                "is needed)",
                PQserverVersion(d->conn));
        return -EPROTONOSUPPORT;
    }
    snprintf(sql, sizeof sql,
             "SET lock_timeout = %d; SET standard_conforming_strings = on; "
             "%s SELECT current_schema()",
             PG_LOCK_TIMEOUT_MS,
             PQserverVersion(d->conn) >= PG_IDLE_SERVER ? idle : "");
    PGresult *r = PQexec(d->conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        int err = map_result(d, r, sql);
        PQclear(r);
        return err;
    }
    d->lock_key = (int)hash_text(PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

/* Warns when text does not sort by bytes (see the file comment). */
static void check_collation(struct pg_db *d)
{
    static const char *const bytewise[] = {"C", "POSIX", "C.UTF-8", "C.utf8"};
    PGresult *r = PQexec(d->conn, "SELECT datcollate FROM pg_database "
                                  "WHERE datname = current_database()");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        const char *coll = PQgetvalue(r, 0, 0);
        bool ok = false;
        for (size_t i = 0; i < sizeof bytewise / sizeof bytewise[0]; i++)
            ok |= !strcmp(coll, bytewise[i]);
        if (!ok)
            log_warn("postgresql: the database's collation is '%s': lists "
                     "sort names differently from SQLite (create the "
                     "database with LC_COLLATE 'C' for byte order)",
                     coll);
    }
    PQclear(r);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Outside a transaction, reconnects a broken connection.  -ENOTCONN if it
 * is broken inside a transaction or cannot be mended.  After a failed
 * attempt, calls fail at once for a while (1 s, doubling up to 10 s), so
 * that a server that is down does not stall every call for the connect
 * timeout. */
static int ensure_session(struct pg_db *d)
{
    static struct log_rl rl = LOG_RL_INIT(5, 60000);
    char line[PG_LOG_MSG_MAX];

    if (PQstatus(d->conn) == CONNECTION_OK) {
        if (!d->ready)
            d->ready = !session_setup(d);
        return d->ready ? 0 : -EIO;
    }
    if (d->in_txn || now_ms() < d->retry_at)
        return -ENOTCONN;
    PQreset(d->conn);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        log_err_rl(&rl, "postgresql: cannot reconnect (next try in %d ms): %s",
                   d->retry_wait,
                   one_line(PQerrorMessage(d->conn), line, sizeof line));
        d->retry_at = now_ms() + d->retry_wait;
        d->retry_wait = d->retry_wait * 2 > PG_RETRY_MAX_MS ? PG_RETRY_MAX_MS
                                                            : d->retry_wait * 2;
        return -ENOTCONN;
    }
    d->gen++;
    d->retry_wait = PG_RETRY_MIN_MS;
    d->ready = !session_setup(d);
    if (d->ready)
        log_warn("postgresql: reconnected to the database server");
    return d->ready ? 0 : -ENOTCONN;
}

static void pg_close(void *vdb)
{
    struct pg_db *d = vdb;
    if (!d)
        return;
    PQfinish(d->conn);
    free(d);
}

/* Checks that libpq can parse 'url'.  Its complaint is logged only up to
 * its first quote: libpq quotes the part of the URL it refuses, and that
 * may be the password. */
static int check_url(const char *url)
{
    char *msg = NULL, line[PG_LOG_MSG_MAX];
    PQconninfoOption *opts = PQconninfoParse(url, &msg);

    if (opts) {
        PQconninfoFree(opts);
        return 0;
    }
    one_line(msg ? msg : "out of memory", line, sizeof line);
    line[strcspn(line, "\"")] = '\0';
    log_err("postgresql: malformed connection URL: %s", line);
    PQfreemem(msg);
    return msg ? -EINVAL : -ENOMEM;
}

/* Logs why libpq could not connect (its messages name the host and port,
 * never the password). */
static int connect_failed(PGconn *conn)
{
    char line[PG_LOG_MSG_MAX];

    if (!conn)
        return -ENOMEM;
    one_line(PQerrorMessage(conn), line, sizeof line);
    if (!strncmp(line, "invalid", 7)) { /* a value such as the port */
        log_err("postgresql: malformed connection URL: %s", line);
        return -EINVAL;
    }
    log_err("postgresql: cannot connect: %s", line);
    return -ECONNREFUSED;
}

/* 'target' is the URL after "scheme://".  Caller frees '*out' with
 * pg_close(). */
static int pg_open(const char *target, void **out)
{
    static const char prefix[] = "postgresql://";
    size_t n = sizeof prefix + strlen(target);
    char *url = malloc(n);
    struct pg_db *d = calloc(1, sizeof *d);

    if (!url || !d) {
        free(url);
        free(d);
        return -ENOMEM;
    }
    snprintf(url, n, "%s%s", prefix, target);
    const char *const keys[] = {"connect_timeout", "client_encoding",
                                "fallback_application_name", "dbname", NULL};
    const char *const vals[] = {"10", "UTF8", "l2gwd", url, NULL};
    int err = check_url(url);
    if (!err) {
        d->conn = PQconnectdbParams(keys, vals, 1);
        err = PQstatus(d->conn) == CONNECTION_OK ? 0 : connect_failed(d->conn);
    }
    explicit_bzero(url, n); /* it may hold a password */
    free(url);
    if (!err)
        err = session_setup(d);
    if (err) {
        pg_close(d);
        return err;
    }
    check_collation(d);
    d->ready = true;
    d->gen = 1;
    d->retry_wait = PG_RETRY_MIN_MS;
    *out = d;
    return 0;
}

/* ---- transactions ---- */

/* Rolls back whatever transaction the session holds. */
static void rollback_now(struct pg_db *d)
{
    if (PQstatus(d->conn) == CONNECTION_OK &&
        PQtransactionStatus(d->conn) != PQTRANS_IDLE)
        simple(d, "ROLLBACK");
    d->in_txn = false;
}

static int pg_begin(void *vdb)
{
    struct pg_db *d = vdb;
    char sql[128];

    int err = ensure_session(d);
    if (err)
        return err;
    snprintf(sql, sizeof sql,
             "BEGIN ISOLATION LEVEL READ COMMITTED; "
             "SELECT pg_advisory_xact_lock(%d, %d)",
             PG_LOCK_CLASS, d->lock_key);
    err = simple(d, sql);
    if (err)
        rollback_now(d);
    else
        d->in_txn = true;
    return err;
}

/* A COMMIT of a transaction that had failed answers "ROLLBACK". */
static int pg_commit(void *vdb)
{
    struct pg_db *d = vdb;

    if (PQstatus(d->conn) != CONNECTION_OK)
        return -ENOTCONN;
    PGresult *r = PQexec(d->conn, "COMMIT");
    int err = result_ok(r) ? 0 : map_result(d, r, "COMMIT");
    if (!err && strcmp(PQcmdStatus(r), "COMMIT")) {
        log_err("postgresql: the transaction had failed and was rolled back");
        err = -EIO;
    }
    PQclear(r);
    if (!err)
        d->in_txn = false;
    return err;
}

static void pg_rollback(void *vdb)
{
    rollback_now(vdb);
}

/* Inside a transaction: opens the savepoint that guards one command. */
static int guard_begin(struct pg_db *d)
{
    return d->in_txn ? simple(d, SAVEPOINT_SQL) : 0;
}

/* Closes the guard: keeps the command's work, or undoes it so that the
 * transaction goes on. */
static void guard_end(struct pg_db *d, bool ok)
{
    if (!d->in_txn || PQstatus(d->conn) != CONNECTION_OK)
        return;
    if (ok && PQtransactionStatus(d->conn) == PQTRANS_INTRANS)
        simple(d, RELEASE_SQL);
    else
        simple(d, UNDO_SQL);
}

/* Runs every statement of 'sql'; inside a transaction under a savepoint. */
static int pg_exec(void *vdb, const char *sql)
{
    struct pg_db *d = vdb;
    int err = ensure_session(d);
    if (err || (err = guard_begin(d)))
        return err;
    err = simple(d, sql);
    guard_end(d, !err);
    return err;
}

/* ---- statements ---- */

/* Reads the results of a pipeline up to its sync point.  Returns the first
 * error, else the result of the command 'keep' (from 0), else NULL. */
static PGresult *pipeline_results(PGconn *conn, int keep)
{
    PGresult *kept = NULL, *r;
    int cmd = 0, nulls = 0;

    while (PQstatus(conn) == CONNECTION_OK && nulls < 2) {
        if (!(r = PQgetResult(conn))) {
            cmd++;
            nulls++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        bool error = st == PGRES_FATAL_ERROR || st == PGRES_PIPELINE_ABORTED;
        if (error && (!kept || result_ok(kept))) {
            PQclear(kept);
            kept = r;
        } else if (!kept && cmd == keep) {
            kept = r;
        } else {
            PQclear(r);
        }
    }
    if (!kept && PQstatus(conn) != CONNECTION_OK)
        kept = PQgetResult(conn);
    return kept;
}

/* Sends the command of 's' (prepare it, or execute it with its values). */
static int send_cmd(struct pg_stmt *s, bool prepare)
{
    PGconn *c = s->d->conn;
    if (prepare)
        return PQsendPrepare(c, s->name, s->sql, s->n_params, s->types);
    return PQsendQueryPrepared(c, s->name, s->n_params,
                               (const char *const *)s->values, NULL, NULL, 0);
}

/* Inside a transaction: savepoint, the command, release, in one round
 * trip; a failed command is undone back to the savepoint. */
static PGresult *run_guarded(struct pg_stmt *s, bool prepare)
{
    PGconn *c = s->d->conn;
    PGresult *r = NULL;

    if (!PQenterPipelineMode(c))
        return NULL;
    if (PQsendQueryParams(c, SAVEPOINT_SQL, 0, NULL, NULL, NULL, NULL, 0) &&
        send_cmd(s, prepare) &&
        PQsendQueryParams(c, RELEASE_SQL, 0, NULL, NULL, NULL, NULL, 0) &&
        PQpipelineSync(c))
        r = pipeline_results(c, 1);
    PQexitPipelineMode(c);
    if (!result_ok(r) && PQstatus(c) == CONNECTION_OK &&
        PQtransactionStatus(c) == PQTRANS_INERROR)
        simple(s->d, UNDO_SQL);
    return r;
}

/* Prepares or executes 's'.  Returns its result (NULL: libpq failed). */
static PGresult *run(struct pg_stmt *s, bool prepare)
{
    PGconn *c = s->d->conn;
    if (s->d->in_txn)
        return run_guarded(s, prepare);
    if (prepare)
        return PQprepare(c, s->name, s->sql, s->n_params, s->types);
    return PQexecPrepared(c, s->name, s->n_params,
                          (const char *const *)s->values, NULL, NULL, 0);
}

/* The parameter a "could not determine data type of parameter $N" error
 * names, or 0. */
static int indeterminate_param(const PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    const char *dollar = msg ? strrchr(msg, '$') : NULL;
    if (!store_pg_state_is(state, "42P18") || !dollar)
        return 0;
    return atoi(dollar + 1);
}

static void new_name(struct pg_stmt *s)
{
    snprintf(s->name, sizeof s->name, "l2gw_%lu", ++s->d->n_names);
}

/* Prepares 's' on the current session (see the file comment). */
static int server_prepare(struct pg_stmt *s)
{
    for (int tries = 0;; tries++) {
        PGresult *r = run(s, true);
        if (result_ok(r)) {
            PQclear(r);
            s->gen = s->d->gen;
            return 0;
        }
        int idx = r && tries < s->n_params ? indeterminate_param(r) : 0;
        if (idx < 1 || idx > s->n_params || s->types[idx - 1]) {
            int err = map_result(s->d, r, s->sql);
            PQclear(r);
            return err;
        }
        PQclear(r);
        s->types[idx - 1] = PG_OID_TEXT;
    }
}

/* Drops the server's statement of 's' (when the session has it). */
static void deallocate(struct pg_stmt *s)
{
    struct pg_db *d = s->d;
    char sql[PG_NAME_MAX + 16];

    if (s->gen != d->gen || PQstatus(d->conn) != CONNECTION_OK ||
        PQtransactionStatus(d->conn) == PQTRANS_INERROR)
        return;
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    simple(d, sql);
    s->gen = 0;
}

/* After "value out of range": gives bigint to every untyped parameter
 * bound to an integer outside int4.  True if one changed. */
static bool widen(struct pg_stmt *s)
{
    bool changed = false;
    for (int i = 0; i < s->n_params; i++) {
        const char *v = s->values[i];
        char *end;
        if (!v || s->types[i])
            continue;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (end != v && !*end && errno != ERANGE &&
            (n > INT32_MAX || n < INT32_MIN)) {
            s->types[i] = PG_OID_INT8;
            changed = true;
        }
    }
    return changed;
}

/* Executes 's' with its values; the rows wait in s->res. */
static int execute(struct pg_stmt *s)
{
    struct pg_db *d = s->d;
    int err = ensure_session(d);
    if (!err && s->gen != d->gen)
        err = server_prepare(s);
    if (err)
        return err;
    PGresult *r = run(s, false);
    if (!result_ok(r) && r &&
        store_pg_state_is(PQresultErrorField(r, PG_DIAG_SQLSTATE), "22003") &&
        widen(s)) {
        PQclear(r);
        deallocate(s);
        new_name(s);
        if ((err = server_prepare(s)))
            return err;
        r = run(s, false);
    }
    if (!result_ok(r)) {
        err = map_result(d, r, s->sql);
        PQclear(r);
        return err;
    }
    s->res = r;
    s->n_rows = PQntuples(r);
    s->n_cols = PQnfields(r);
    s->row = -1;
    s->executed = true;
    return 0;
}

static void pg_reset(void *vs)
{
    struct pg_stmt *s = vs;
    PQclear(s->res);
    s->res = NULL;
    s->executed = false;
    for (int i = 0; s->values && i < s->n_params; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
}

static void pg_finalize(void *vs)
{
    struct pg_stmt *s = vs;
    if (!s)
        return;
    pg_reset(s);
    deallocate(s);
    free(s->sql);
    free(s->types);
    free(s->values);
    free(s);
}

/* Caller frees '*out' with pg_finalize(). */
static int pg_prepare(void *vdb, const char *sql, void **out)
{
    struct pg_db *d = vdb;
    struct pg_stmt *s = calloc(1, sizeof *s);

    if (!s)
        return -ENOMEM;
    s->d = d;
    int err = store_pg_rewrite(sql, &s->sql, &s->n_params);
    if (!err) {
        s->types = calloc((size_t)s->n_params + 1, sizeof *s->types);
        s->values = calloc((size_t)s->n_params + 1, sizeof *s->values);
        err = s->types && s->values ? ensure_session(d) : -ENOMEM;
    }
    if (!err) {
        new_name(s);
        err = server_prepare(s);
    }
    if (err) {
        pg_finalize(s);
        return err;
    }
    *out = s;
    return 0;
}

/* Sets value 'idx' (from 1) to a copy of 'v' (NULL: SQL NULL). */
static int bind(struct pg_stmt *s, int idx, const char *v)
{
    char *copy = NULL;
    if (idx < 1 || idx > s->n_params) {
        log_err("postgresql: parameter %d out of range (the statement has "
                "%d) in: %.*s",
                idx, s->n_params, PG_LOG_SQL_MAX, s->sql);
        return -EINVAL;
    }
    if (v && !(copy = strdup(v)))
        return -ENOMEM;
    free(s->values[idx - 1]);
    s->values[idx - 1] = copy;
    return 0;
}

static int pg_bind_text(void *s, int idx, const char *v)
{
    return bind(s, idx, v);
}

static int pg_bind_int(void *s, int idx, long long v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", v);
    return bind(s, idx, text);
}

static int pg_bind_null(void *s, int idx)
{
    return bind(s, idx, NULL);
}

static int pg_step(void *vs)
{
    struct pg_stmt *s = vs;
    if (!s->executed) {
        int err = execute(s);
        if (err)
            return err;
    }
    if (s->row < s->n_rows)
        s->row++;
    return s->row < s->n_rows ? 1 : 0;
}

/* True if column 'col' of the current row exists and is not NULL. */
static bool has_value(struct pg_stmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->n_rows && col >= 0 &&
           col < s->n_cols && !PQgetisnull(s->res, s->row, col);
}

static bool integral(const char *v)
{
    v += *v == '-';
    return *v && strspn(v, "0123456789") == strlen(v);
}

static enum store_kind pg_col_kind(void *vs, int col)
{
    struct pg_stmt *s = vs;
    if (!has_value(s, col))
        return STORE_KIND_NULL;
    switch (PQftype(s->res, col)) {
    case PG_OID_BOOL:
    case PG_OID_INT2:
    case PG_OID_INT4:
    case PG_OID_INT8:
    case PG_OID_OID:
        return STORE_KIND_INT;
    case PG_OID_NUMERIC:
        return integral(PQgetvalue(s->res, s->row, col)) ? STORE_KIND_INT
                                                         : STORE_KIND_TEXT;
    default:
        return STORE_KIND_TEXT;
    }
}

/* Borrowed until the next step or reset. */
static const char *pg_col_text(void *vs, int col)
{
    struct pg_stmt *s = vs;
    if (!has_value(s, col))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == PG_OID_BOOL)
        return *v == 't' ? "1" : "0";
    return v;
}

static long long pg_col_int(void *vs, int col)
{
    const char *v = pg_col_text(vs, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* Rows changed: INSERT, UPDATE, DELETE and MERGE report a count; others
 * (a SELECT reports its rows) change nothing. */
static long long pg_changes(void *vdb, void *vs)
{
    static const char *const writes[] = {"INSERT ", "UPDATE ", "DELETE ",
                                         "MERGE "};
    struct pg_stmt *s = vs;
    (void)vdb;
    if (!s->res)
        return 0;
    const char *status = PQcmdStatus(s->res);
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
        if (!strncmp(status, writes[i], strlen(writes[i])))
            return strtoll(PQcmdTuples(s->res), NULL, 10);
    return 0;
}

const struct store_backend store_pg_backend = {
    .name = "postgresql",
    .dialect = STORE_DIALECT_PG,
    .nulls_sort_low = false,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .col_kind = pg_col_kind,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .changes = pg_changes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
};
