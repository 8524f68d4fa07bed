/* The store: the only source of truth for intent (gateways, connections,
 * inventory) and the switch manager's records (registry, learned MACs,
 * owned logical switches).
 *
 * Files: store.c (this interface, backend dispatch, the generic list engine),
 * store_sqlite.c (SQLite backend, WAL), store_pg.c and store_pg_sql.c
 * (PostgreSQL, libpq), migrate.c (versioned schema migrations, shared by
 * both backends).
 *
 * SQL given to the store is portable: '?' placeholders (the PostgreSQL
 * backend rewrites them to $n), TEXT/INTEGER/BIGINT columns, booleans as
 * INTEGER 0/1.  The store is used from one thread.
 *
 * Errors: 0 or a negative errno.  -ENOENT: no such row; -EEXIST: a unique
 * constraint failed; -EBUSY: a foreign key constraint failed; -EINVAL: a
 * CHECK or NOT NULL constraint failed, or bad SQL (logged); -EIO: anything
 * else (logged); -EAGAIN: a lock timeout, serialization failure or
 * deadlock (PostgreSQL); -ENOTCONN: the connection to the server was lost
 * (PostgreSQL; the store reconnects on a later call outside a
 * transaction).  Constraint failures are normal outcomes: not logged
 * (debug level only).
 *
 * Writers are serialised on both backends: SQLite's BEGIN IMMEDIATE, and on
 * PostgreSQL a transaction-level advisory lock taken by store_begin()
 * (waited for up to 5 s, then -EAGAIN), so check-then-write rules of core
 * hold on either.
 *
 * Durability (SQLite): WAL mode, synchronous=NORMAL.  A committed
 * transaction survives a crash or kill -9 of the process; a power loss may
 * lose the last commits before it, never the database's consistency. */
#ifndef L2GW_STORE_H
#define L2GW_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct store;
struct store_stmt;

/* Opens the database named by 'url': "sqlite:///abs/path.db",
 * "sqlite://relative.db" (relative to the working directory),
 * "sqlite://:memory:" (also "sqlite:///:memory:") or "postgresql://...".
 * The scheme is case-insensitive; an SQLAlchemy driver suffix
 * ("sqlite+pysqlite://") is ignored.  Creates the SQLite file (and its
 * directories) if missing.  Applies no migration.  Errors: -EINVAL for a
 * malformed URL, -EPROTONOSUPPORT for a database this build does not
 * support (PostgreSQL in a build without libpq, MySQL), the open error otherwise (logged; the
 * URL itself is never logged, it may hold a password).  '*out' is NULL on
 * error.  Caller frees with store_close(). */
int store_open(const char *url, struct store **out);

/* Closes 'st' (NULL is fine); an open transaction is rolled back. */
void store_close(struct store *st);

/* Applies every missing migration, in order, each in its own transaction.
 * Returns 0 (and the resulting version in '*version' if not NULL).  A
 * database newer than this build is refused with -EPROTO (logged, nothing
 * changed); inside a transaction: -EBUSY. */
int store_migrate(struct store *st, int *version);

/* Current schema version (0 for an empty database).  Writes nothing. */
int store_version(struct store *st, int *version);

/* The latest version this build knows. */
int store_latest_version(void);

/* Transactions.  store_begin() takes the write lock at once (SQLite BEGIN
 * IMMEDIATE; another writer is waited for up to 5 s, then -EIO).  Nesting
 * is not supported: -EBUSY.  A failed commit rolls back; commit without a
 * transaction: -EINVAL.  Rollback without a transaction does nothing.  A
 * failed statement does not end the transaction: the caller decides. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Runs SQL without parameters (several statements allowed, rows ignored);
 * stops at the first statement that fails. */
int store_exec(struct store *st, const char *sql);

/* Prepared statements, cached by SQL text: the store owns them; callers
 * bind, step until done, and call store_reset() when they stop early.  A
 * statement must not be prepared again while it is being stepped (if it is,
 * it is reset, and a warning logged).  'sql' holds one statement.  A handle
 * stays valid until it is done or reset and then another statement is
 * prepared (the cache is bounded and may drop it): prepare again rather than
 * keeping handles. */
int store_prepare(struct store *st, const char *sql, struct store_stmt **out);
int store_bind_text(struct store_stmt *s, int idx, const char *v); /* idx from 1; NULL binds NULL */
int store_bind_int(struct store_stmt *s, int idx, long long v);
int store_bind_null(struct store_stmt *s, int idx);
/* Returns 1 when a row is available, 0 when done (the statement is then
 * reset, bindings cleared), or a negative errno (statement reset). */
int store_step(struct store_stmt *s);
void store_reset(struct store_stmt *s);
/* Column access for the current row, columns from 0.  Text is borrowed
 * until the next step/reset; NULL for SQL NULL. */
const char *store_col_text(struct store_stmt *s, int col);
long long store_col_int(struct store_stmt *s, int col);
bool store_col_is_null(struct store_stmt *s, int col);
/* Rows changed by the last INSERT/UPDATE/DELETE step of 's'. */
long long store_changes(struct store_stmt *s);

/* Convenience: prepare 'sql', bind the 'n' text parameters (NULL = SQL
 * NULL; an INTEGER column converts numeric text), step to completion.
 * Returns the number of rows changed (0 for a SELECT), or a negative
 * errno. */
int store_run(struct store *st, const char *sql, const char *const *params, int n);

/* The meta table (key → text value) holding integers: counters, revisions,
 * hints.  store_meta_int() puts the value of 'key' in '*out' and returns 1;
 * 0 when the row is absent or does not hold a whole decimal integer
 * ('*out' untouched); or a negative errno.  store_meta_set_int() inserts or
 * replaces the row: 0 or a negative errno. */
int store_meta_int(struct store *st, const char *key, long long *out);
int store_meta_set_int(struct store *st, const char *key, long long v);

/* True when the database may be shared by several l2gwd nodes
 * (PostgreSQL), which then coordinate through it (cluster/): change
 * notifications (pg_notify) and switch leases.  False for SQLite. */
bool store_is_shared(const struct store *st);

/* ---- generic list engine (Neutron list semantics) ---- */

enum store_type { STORE_TEXT, STORE_INT, STORE_BOOL };

/* One selected column and the JSON attribute name it is returned under.
 * STORE_TEXT → string (null for NULL), STORE_INT → integer (null for NULL),
 * STORE_BOOL → true/false. */
struct store_col {
    const char *column;
    const char *attr;
    enum store_type type;
};

/* 'column' IN (values...): values are text, converted by 'type' (an INT or
 * BOOL value that does not parse matches nothing).  INT: an optional sign
 * and decimal digits, nothing else, in range of long long; BOOL: true,
 * false, 1, 0 in any case.  No value (or none that converts): no row. */
struct store_filter {
    const char *column;
    enum store_type type;
    const char *const *values;
    size_t n_values;
};

struct store_sort {
    const char *column;
    bool desc;
};

struct store_list_query {
    const char *table;               /* or a view / join "a JOIN b ON ..." */
    const struct store_col *cols;    /* cols[0] must be the row id */
    size_t n_cols;
    const struct store_filter *filters;
    size_t n_filters;
    const char *where;               /* optional extra SQL condition, no params */
    const struct store_sort *sorts;  /* the id column is appended as tiebreak */
    size_t n_sorts;
    long long limit;                 /* <= 0: no limit */
    const char *marker;              /* id of the last row of the previous page */
    bool page_reverse;               /* page backwards from 'marker' */
};

/* Runs 'q'.  '*rows' receives a new JSON array of objects (attr → value) in
 * the requested order (also when page_reverse).  '*more' (may be NULL) is
 * true when rows exist beyond the page in the paging direction.  An unknown
 * marker is -ENOENT; the marker is looked up by id under 'where' (a row
 * 'where' hides is unknown) but not under the filters.  At most 16 sort
 * keys (-EINVAL).  Keyset paging: the page holds the rows after the marker
 * in the sort order (sort keys, then the id), compared with the marker
 * row's own values.
 * NULL rule: NULL sorts below every value (ascending: NULLs first;
 * descending: NULLs last), for every backend.  A BOOL column that is NULL
 * reads false.  Filters, 'where' and the keyset are ANDed.
 * Caller frees '*rows' with json_decref(); NULL on error. */
int store_list(struct store *st, const struct store_list_query *q,
               json_t **rows, bool *more);

/* The row with 'id' (cols[0] = id) as one JSON object, or -ENOENT.  Uses
 * only 'table', 'cols' and 'where' of 'q' (filters, sorts and paging are
 * ignored).  Caller frees '*row' with json_decref(); NULL on error. */
int store_get(struct store *st, const struct store_list_query *q,
              const char *id, json_t **row);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (Neutron's format). */
void store_timestamp(char out[32]);

#endif
