/* Versioned schema migrations of the store (used by store.c).
 *
 * Migration N turns a database of version N-1 into version N, in its own
 * transaction, and records N in the table schema_version(version INTEGER
 * NOT NULL), which holds one row (no row or no table: version 0).  The SQL
 * of a migration is portable (SQLite and PostgreSQL); a migration may carry
 * a PostgreSQL variant for statements that need one.  Migration 1 is
 * schema_v1.sql, embedded at build time. */
#ifndef L2GW_STORE_MIGRATE_H
#define L2GW_STORE_MIGRATE_H

struct store;

/* Applies every missing migration in order.  A database newer than this
 * build is refused with -EPROTO (logged) and left untouched.  Sets
 * '*version' (if not NULL) to the resulting version. */
int migrate_run(struct store *st, int *version);

/* The database's version (0 if it has none).  Writes nothing. */
int migrate_version(struct store *st, int *version);

/* The latest version this build knows. */
int migrate_latest(void);

#endif
