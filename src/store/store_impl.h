/* Internals of src/store shared by store.c, store_list.c, migrate.c and the
 * backends.  Nothing outside src/store includes this header.
 *
 * A backend implements 'struct store_backend' over its own connection and
 * statement handles (opaque 'void *' here).  store.c owns everything that is
 * the same for every backend: URL dispatch, the statement cache, the
 * transaction flag and the public statement API. */
#ifndef L2GW_STORE_IMPL_H
#define L2GW_STORE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

struct store;
struct store_stmt;

/* Column value kinds as a backend reports them. */
enum store_kind { STORE_KIND_NULL, STORE_KIND_INT, STORE_KIND_TEXT };

/* SQL dialects: migrations and the list engine pick dialect variants. */
enum store_dialect { STORE_DIALECT_SQLITE, STORE_DIALECT_PG };

/* Every function returns 0 (or 1 for a row) or a negative errno mapped as
 * store.h says; backends log the errors store.h calls "logged".  'db' is the
 * backend's connection, 'stmt' one of its prepared statements. */
struct store_backend {
    const char *name; /* "sqlite" */
    enum store_dialect dialect;
    /* True if NULL sorts below every value in both directions by default
     * (SQLite).  Otherwise the list engine writes NULLS FIRST/LAST. */
    bool nulls_sort_low;

    /* 'target' is the URL without "scheme://".  Caller frees '*db' with
     * close(). */
    int (*open)(const char *target, void **db);
    void (*close)(void *db);
    int (*exec)(void *db, const char *sql);

    /* 'sql' is one statement with '?' placeholders (PostgreSQL rewrites
     * them to $n and binds untyped values so the server infers the types).
     * Caller frees '*stmt' with finalize(). */
    int (*prepare)(void *db, const char *sql, void **stmt);
    void (*finalize)(void *stmt);
    /* Text is copied by the backend. */
    int (*bind_text)(void *stmt, int idx, const char *v);
    int (*bind_int)(void *stmt, int idx, long long v);
    int (*bind_null)(void *stmt, int idx);
    /* 1: a row; 0: done; < 0: error.  Does not reset. */
    int (*step)(void *stmt);
    /* Resets the statement and clears its bindings. */
    void (*reset)(void *stmt);
    enum store_kind (*col_kind)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    long long (*col_int)(void *stmt, int col);
    /* Rows changed by 'stmt', valid right after step() returned 0. */
    long long (*changes)(void *db, void *stmt);

    int (*begin)(void *db);
    int (*commit)(void *db);
    void (*rollback)(void *db);
};

extern const struct store_backend store_sqlite_backend;
extern const struct store_backend store_pg_backend; /* when HAVE_LIBPQ */

/* PostgreSQL helpers that need no server (store_pg_sql.c, built with the
 * backend).  store_pg_rewrite(): 'sql' with its '?' placeholders rewritten
 * to $1, $2 ... in '*out' (caller frees it), the number of parameters in
 * '*n_params'; -EINVAL for a bad "?NNN" (logged).  store_pg_errno(): the
 * errno of a SQLSTATE (NULL: -EIO); '*constraint' tells whether it is a
 * constraint failure (an expected outcome).  store_pg_state_lost(): whether
 * a SQLSTATE says the connection is gone.  store_pg_state_is(): whether
 * 'state' starts with 'prefix' (a class such as "23" or a full code). */
int store_pg_rewrite(const char *sql, char **out, int *n_params);
int store_pg_errno(const char *state, bool *constraint);
bool store_pg_state_lost(const char *state);
bool store_pg_state_is(const char *state, const char *prefix);

enum store_dialect store_dialect(const struct store *st);
bool store_nulls_sort_low(const struct store *st);

/* A growable string owned by the store and reused between calls (so that
 * building SQL does not allocate once it has grown).  'failed' is set when
 * an allocation failed; the content is then unusable. */
struct store_buf {
    char *s;
    size_t len;
    size_t cap;
    bool failed;
};

/* The store's scratch buffer, emptied.  Valid until the next call of
 * store_scratch(); the store frees it. */
struct store_buf *store_scratch(struct store *st);
void store_buf_add(struct store_buf *b, const char *s);
void store_buf_addf(struct store_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Value kind of column 'col' of the current row of 's'. */
enum store_kind store_col_kind(struct store_stmt *s, int col);

#endif
