/* Private helpers of core/ over store.h: statements with typed parameters,
 * one transaction per request with the events it produces published after
 * the commit, and padded IN lists for page-wide queries.  Used by src/core
 * and, for its statements, by src/manager (manager/sql.c). */
#ifndef L2GW_CORE_DB_H
#define L2GW_CORE_DB_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

#include "core/error.h"
#include "lib/event.h"

struct core;
struct store;
struct store_stmt;

/* Parameters are described by 'types', one character each:
 *   's'  const char *  (NULL binds SQL NULL)
 *   'i'  long long
 *   'j'  const long long *  (NULL binds SQL NULL)
 * Prepares 'sql' (from the store's cache) and binds the parameters.  The
 * caller steps '*out' until done, or calls store_reset() when it stops
 * early.  Returns 0 or a negative errno (logged). */
int db_prepare(struct store *st, struct store_stmt **out, const char *sql,
               const char *types, ...);

/* db_prepare() with the parameters in 'ap'. */
int db_prepare_va(struct store *st, struct store_stmt **out, const char *sql,
                  const char *types, va_list ap);

/* Runs a statement that returns no rows.  Returns the number of rows
 * changed, or a negative errno (logged, except -EEXIST: a unique
 * constraint, which callers turn into a domain error). */
int db_run(struct store *st, const char *sql, const char *types, ...);

/* Runs a query and returns 1 if it yields at least one row, 0 if none, or a
 * negative errno. */
int db_exists(struct store *st, const char *sql, const char *types, ...);

/* Runs a query and stores the integer in the first column of its first row
 * into '*out'.  Returns 1 when there was a row (0 and '*out' untouched when
 * none, '*out' = 0 for SQL NULL), or a negative errno. */
int db_int(struct store *st, long long *out, const char *sql,
           const char *types, ...);

/* Runs a query and copies the text of the first column of its first row
 * into 'out' (truncated to 'size').  Returns 1 when there was a row, 0 when
 * none, or a negative errno. */
int db_text(struct store *st, char *out, size_t size, const char *sql,
            const char *types, ...);

/* ---- transactions ---- */

struct db_txn;

/* The work of one transaction.  Returns 0 to commit, or a negative errno
 * (with 'err' filled for a domain error) to roll back. */
typedef int db_txn_fn(struct core *c, struct db_txn *t, void *aux,
                      struct core_err *err);

/* Runs 'fn' between store_begin() and store_commit(); any failure (of 'fn'
 * or of the commit) rolls everything back, so a failed request leaves
 * nothing behind.  After a successful commit, publishes the events 'fn'
 * queued with db_txn_event(), in order.  Returns 0 or a negative errno;
 * store failures are logged and leave 'err' as CE_NONE (internal). */
int db_txn(struct core *c, db_txn_fn *fn, void *aux, struct core_err *err);

/* Queues an event to publish after the commit.  'id' and 'network_id' are
 * copied (either may be NULL).  Returns 0 or -ENOMEM. */
int db_txn_event(struct db_txn *t, enum event_kind kind, const char *id,
                 const char *network_id);

/* ---- IN lists ---- */

/* Page-wide queries ask for up to DB_IN_MAX ids at a time.  The number of
 * placeholders is padded to a few fixed sizes (repeating the last id) so
 * that the statement cache holds few distinct texts. */
#define DB_IN_MAX 512

/* The padded size for 'n' ids (1 <= n <= DB_IN_MAX). */
size_t db_in_size(size_t n);

/* Writes "?,?,...?" with 'n' placeholders into 'buf' (room for
 * 2 * DB_IN_MAX characters). */
void db_in_marks(char *buf, size_t n);

/* Binds ids[0..n-1] to placeholders first..first+padded-1, repeating the
 * last id to fill the padding.  Returns 0 or a negative errno. */
int db_in_bind(struct store_stmt *s, int first, const char *const *ids,
               size_t n, size_t padded);

/* Called for each result row of db_rows_in() with the object of 'rows'
 * whose "id" equals the row's first column, and the caller's 'aux'. */
typedef void db_row_fn(struct store_stmt *s, json_t *row, void *aux);

/* Page-wide reads: runs 'sql_fmt' (whose one "%s" becomes the placeholders
 * of an IN list; column 0 of the result must be the id) over the "id"s of
 * the objects of 'rows', DB_IN_MAX ids at a time, calling 'fn' for every
 * result row.  Returns 0 or a negative errno. */
int db_rows_in(struct store *st, json_t *rows, const char *sql_fmt,
               db_row_fn *fn, void *aux);

/* Common failure for an unexpected store error: logs 'what' and 'rc' and
 * returns 'rc' (or -EIO when rc is not negative) with 'err' left as
 * CE_NONE, which the API answers with 500. */
int db_fail(int rc, const char *what);

#endif
