/* Statement helpers of the switch manager over core/db.h (the same typed
 * parameters; these add defaults and log-and-rollback transactions).
 * Parameters are described by 'types', one character
 * each: 's' const char * (NULL binds NULL), 'i' long long, 'j' const long
 * long * (NULL binds NULL).  Failures are logged with 'sql'. */
#ifndef L2GW_MANAGER_SQL_H
#define L2GW_MANAGER_SQL_H

#include <stddef.h>

struct store;
struct store_stmt;

/* Prepares 'sql' and binds the parameters; the caller steps '*out' to the
 * end or calls store_reset().  Returns 0 or a negative errno. */
int msql_prepare(struct store *st, struct store_stmt **out, const char *sql,
                 const char *types, ...);

/* Runs a statement without result rows.  Returns the rows changed or a
 * negative errno. */
int msql_run(struct store *st, const char *sql, const char *types, ...);

/* First column of the first row as an integer ('*out' = 'dflt' when there
 * is no row or it is NULL).  Returns 1 (row), 0 (none) or a negative
 * errno. */
int msql_int(struct store *st, long long *out, long long dflt,
             const char *sql, const char *types, ...);

/* First column of the first row copied into 'out' ("" when none).  Returns
 * 1, 0 or a negative errno. */
int msql_text(struct store *st, char *out, size_t size, const char *sql,
              const char *types, ...);

/* store_begin() that logs; and store_commit() that rolls back and logs on
 * failure.  Both return 0 or a negative errno. */
int msql_begin(struct store *st, const char *what);
int msql_commit(struct store *st, const char *what);

#endif
