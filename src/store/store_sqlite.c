/* The SQLite backend of the store (store_impl.h).
 *
 * Durability: the database runs in WAL mode with synchronous=NORMAL.  A
 * committed transaction survives a crash or kill -9 of the process; a power
 * loss or an operating system crash may lose the last transactions
 * committed before it (never corrupts the database).
 *
 * Connection settings: foreign_keys=ON, busy_timeout 5000 ms, extended
 * result codes.  Transactions start with BEGIN IMMEDIATE (the write lock
 * at once, so a transaction never fails half way for want of the lock).
 *
 * Error mapping (store.h): UNIQUE/PRIMARY KEY → -EEXIST, FOREIGN KEY →
 * -EBUSY, CHECK/NOT NULL → -EINVAL (these are expected outcomes and only
 * logged at debug level), SQL errors (SQLITE_ERROR, bad bind index) →
 * -EINVAL, anything else → -EIO; everything but the constraints is logged
 * with SQLite's message and the SQL. */
#include "store/store_impl.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define LOG_MODULE "store"
#include "lib/log.h"

/* Hard limits. */
enum {
    SQLITE_BUSY_TIMEOUT_MS = 5000,
    SQLITE_LOG_SQL_MAX = 300, /* SQL characters in a log line */
    SQLITE_DIR_MODE = 0750,   /* mode of directories we create */
};

struct sqlite_db {
    sqlite3 *db;
    sqlite3_stmt *begin, *commit, *rollback;
};

/* Maps the last error of 'db' (from running 'sql') to store.h's errno. */
static int map_error(sqlite3 *db, const char *sql)
{
    int code = sqlite3_extended_errcode(db);
    int err = -EIO;

    switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
        err = -EEXIST;
        break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        err = -EBUSY;
        break;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        err = -EINVAL;
        break;
    default:
        log_err("sqlite: %s (code %d) in: %.*s", sqlite3_errmsg(db), code,
                SQLITE_LOG_SQL_MAX, sql ? sql : "?");
        return code == SQLITE_ERROR || code == SQLITE_RANGE ? -EINVAL : -EIO;
    }
    log_dbg("sqlite: %s in: %.*s", sqlite3_errmsg(db), SQLITE_LOG_SQL_MAX,
            sql ? sql : "?");
    return err;
}

/* Creates every missing directory above the file 'path' (like mkdir -p of
 * its dirname). */
static int make_parent_dirs(const char *path)
{
    char buf[PATH_MAX];
    size_t len = strlen(path);

    if (len >= sizeof buf)
        return -ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        if (mkdir(buf, SQLITE_DIR_MODE) && errno != EEXIST) {
            int err = -errno;
            log_err("sqlite: cannot create directory %s: %s", buf,
                    strerror(errno));
            return err;
        }
        *p = '/';
    }
    return 0;
}

/* Runs a statement of one row and one text column; copies at most 'n'-1
 * bytes of the value into 'out'. */
static int query_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return map_error(db, sql);
    int rc = sqlite3_step(s);
    int err = 0;
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        snprintf(out, n, "%s", t ? t : "");
    } else if (rc != SQLITE_DONE) {
        err = map_error(db, sql);
    }
    sqlite3_finalize(s);
    return err;
}

/* Runs every statement of 'sql' in turn (rows are ignored); an error is
 * logged with the statement that failed. */
static int sqlite_exec(void *vdb, const char *sql)
{
    struct sqlite_db *d = vdb;
    const char *next = sql;

    while (*next) {
        sqlite3_stmt *s = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(d->db, next, -1, &s, &tail) != SQLITE_OK)
            return map_error(d->db, next);
        int rc = SQLITE_DONE;
        while (s && (rc = sqlite3_step(s)) == SQLITE_ROW)
            continue;
        int err = rc == SQLITE_DONE ? 0 : map_error(d->db, sqlite3_sql(s));
        sqlite3_finalize(s);
        if (err)
            return err;
        next = tail;
    }
    return 0;
}

/* The busy timeout first (switching to WAL may wait for other
 * connections), then WAL, then the settings of the file comment. */
static int configure(struct sqlite_db *d, const char *path, bool memory)
{
    char mode[16] = "";
    sqlite3_busy_timeout(d->db, SQLITE_BUSY_TIMEOUT_MS);
    int err = query_text(d->db, "PRAGMA journal_mode=WAL", mode, sizeof mode);
    if (err)
        return err;
    if (!memory && strcasecmp(mode, "wal")) {
        log_err("sqlite: %s: cannot use WAL mode (journal mode is '%s')", path,
                mode);
        return -EIO;
    }
    return sqlite_exec(d, "PRAGMA foreign_keys=ON; "
                          "PRAGMA synchronous=NORMAL;");
}

static int prepare_txn(struct sqlite_db *d)
{
    static const char *const sql[] = {"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
    sqlite3_stmt **out[] = {&d->begin, &d->commit, &d->rollback};

    for (size_t i = 0; i < 3; i++)
        if (sqlite3_prepare_v3(d->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               out[i], NULL) != SQLITE_OK)
            return map_error(d->db, sql[i]);
    return 0;
}

static void sqlite_close(void *vdb)
{
    struct sqlite_db *d = vdb;
    if (!d)
        return;
    sqlite3_finalize(d->begin);
    sqlite3_finalize(d->commit);
    sqlite3_finalize(d->rollback);
    if (sqlite3_close(d->db) != SQLITE_OK)
        log_err("sqlite: close: %s", sqlite3_errmsg(d->db));
    free(d);
}

static int open_file(const char *path, sqlite3 **db)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    int rc = sqlite3_open_v2(path, db, flags, NULL);
    if (rc == SQLITE_OK)
        return 0;
    int sys = *db ? sqlite3_system_errno(*db) : 0;
    log_err("sqlite: cannot open %s: %s%s%s", path,
            *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc), sys ? ": " : "",
            sys ? strerror(sys) : "");
    sqlite3_close(*db);
    *db = NULL;
    return sys ? -sys : -EIO;
}

/* 'target': "/abs/path", "relative/path", ":memory:" or "/:memory:".
 * Caller frees '*out' with sqlite_close(). */
static int sqlite_open(const char *target, void **out)
{
    bool memory = !strcmp(target, ":memory:") || !strcmp(target, "/:memory:");
    const char *path = memory ? ":memory:" : target;

    if (!*path) {
        log_err("sqlite: database URL without a path (sqlite:///path/file.db)");
        return -EINVAL;
    }
    int err = memory ? 0 : make_parent_dirs(path);
    struct sqlite_db *d = err ? NULL : calloc(1, sizeof *d);
    if (!d)
        return err ? err : -ENOMEM;
    err = open_file(path, &d->db);
    if (!err)
        err = configure(d, path, memory);
    if (!err)
        err = prepare_txn(d);
    if (err) {
        sqlite_close(d);
        return err;
    }
    log_dbg("sqlite: opened %s", path);
    *out = d;
    return 0;
}

/* Only the first statement of 'sql' may hold anything but blanks. */
static int sqlite_prepare(void *vdb, const char *sql, void **out)
{
    struct sqlite_db *d = vdb;
    sqlite3_stmt *s = NULL;
    const char *tail = NULL;

    if (sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           &tail) != SQLITE_OK)
        return map_error(d->db, sql);
    if (!s || (tail && tail[strspn(tail, " \t\r\n;")])) {
        log_err("sqlite: prepare wants exactly one statement: %.*s",
                SQLITE_LOG_SQL_MAX, sql);
        sqlite3_finalize(s);
        return -EINVAL;
    }
    *out = s;
    return 0;
}

static void sqlite_finalize(void *s)
{
    sqlite3_finalize(s);
}

static int bind_result(sqlite3_stmt *s, int rc)
{
    if (rc == SQLITE_OK)
        return 0;
    return map_error(sqlite3_db_handle(s), sqlite3_sql(s));
}

static int sqlite_bind_text(void *s, int idx, const char *v)
{
    return bind_result(s, sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT));
}

static int sqlite_bind_int(void *s, int idx, long long v)
{
    return bind_result(s, sqlite3_bind_int64(s, idx, v));
}

static int sqlite_bind_null(void *s, int idx)
{
    return bind_result(s, sqlite3_bind_null(s, idx));
}

static int sqlite_step(void *s)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return map_error(sqlite3_db_handle(s), sqlite3_sql(s));
}

static void sqlite_reset(void *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static enum store_kind sqlite_col_kind(void *s, int col)
{
    switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL:
        return STORE_KIND_NULL;
    case SQLITE_INTEGER:
        return STORE_KIND_INT;
    default:
        return STORE_KIND_TEXT;
    }
}

static const char *sqlite_col_text(void *s, int col)
{
    return (const char *)sqlite3_column_text(s, col);
}

static long long sqlite_col_int(void *s, int col)
{
    return sqlite3_column_int64(s, col);
}

static long long sqlite_changes(void *vdb, void *s)
{
    struct sqlite_db *d = vdb;
    return sqlite3_stmt_readonly(s) ? 0 : sqlite3_changes64(d->db);
}

/* Steps one of the transaction statements. */
static int run_txn(struct sqlite_db *d, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    int err = rc == SQLITE_DONE ? 0 : map_error(d->db, sqlite3_sql(s));
    sqlite3_reset(s);
    return err;
}

static int sqlite_begin(void *vdb)
{
    struct sqlite_db *d = vdb;
    return run_txn(d, d->begin);
}

static int sqlite_commit(void *vdb)
{
    struct sqlite_db *d = vdb;
    return run_txn(d, d->commit);
}

/* SQLite may already have rolled back (after some errors); that is fine. */
static void sqlite_rollback(void *vdb)
{
    struct sqlite_db *d = vdb;
    if (!sqlite3_get_autocommit(d->db))
        run_txn(d, d->rollback);
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .dialect = STORE_DIALECT_SQLITE,
    .nulls_sort_low = true,
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .prepare = sqlite_prepare,
    .finalize = sqlite_finalize,
    .bind_text = sqlite_bind_text,
    .bind_int = sqlite_bind_int,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .reset = sqlite_reset,
    .col_kind = sqlite_col_kind,
    .col_text = sqlite_col_text,
    .col_int = sqlite_col_int,
    .changes = sqlite_changes,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
};
