/* An in-memory replica of monitored OVSDB tables, fed by the reply to
 * "monitor" (the initial contents) and by "update" notifications, both in
 * RFC 7047 <table-updates> form (section 4.1.6):
 *
 *   {"<table>": {"<row uuid>": {"old": <row>, "new": <row>}, ...}, ...}
 *
 * "new" alone inserts the row; "old" alone deletes it; both modify it, and
 * the columns present in "new" are merged over the row as held (a server
 * that sends every monitored column and one that sends only the changed
 * ones are both handled).  A "new" for a row that is not held inserts it.
 *
 * Rows are found by UUID in O(1) and iterated per table.  Callers may
 * register natural-key indexes over one or more columns (multimaps: rows
 * with equal keys are all kept).  Column values are kept as the jansson
 * values the server sent (see datum.h to read them); ["uuid", ...] values
 * are shared between rows to keep rows small.
 *
 * Change tracking: replica_seqno() grows with every change; per table,
 * when tracking is on, the rows inserted, modified or deleted since the
 * owner last called replica_table_forget_changes() are listed in the order
 * they changed; deleted rows stay readable in that list until then. */
#ifndef L2GW_OVSDB_REPLICA_H
#define L2GW_OVSDB_REPLICA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct schema;
struct replica;
struct replica_table;
struct replica_row;
struct replica_index;

/* Hard limits. */
#define REPLICA_MAX_TABLES 256
#define REPLICA_MAX_COLUMNS 1024      /* per table */
#define REPLICA_MAX_INDEX_COLUMNS 8

enum replica_change {
    REPLICA_UNCHANGED, /* not in the change list */
    REPLICA_INSERTED,  /* inserted (and maybe modified) since last looked */
    REPLICA_MODIFIED,
    REPLICA_DELETED,   /* a tombstone: no longer in the table */
};

/* Creates an empty replica.  Caller frees with replica_destroy(). */
struct replica *replica_create(void);
void replica_destroy(struct replica *replica);

/* Restricts updates to the tables and columns of 'schema' (borrowed; it
 * must outlive the replica or be replaced first).  Updates for other
 * tables or columns are ignored (logged once).  NULL accepts anything. */
void replica_set_schema(struct replica *replica, const struct schema *schema);

/* The table called 'name', created empty if needed (NULL if out of memory,
 * over REPLICA_MAX_TABLES, or not in the schema). */
struct replica_table *replica_add_table(struct replica *replica,
                                        const char *name);

/* The table called 'name', or NULL if the replica has none. */
struct replica_table *replica_table(const struct replica *replica,
                                    const char *name);

size_t replica_n_tables(const struct replica *replica);
struct replica_table *replica_table_at(const struct replica *replica,
                                       size_t i);

/* Registers an index over 'n' columns of 'table' (created if needed) and
 * indexes the rows already held.  Returns 0 and the index in '*indexp'
 * (owned by the replica), or a negative errno. */
int replica_add_index(struct replica *replica, const char *table,
                      const char *const *columns, size_t n,
                      struct replica_index **indexp);

/* Finds the rows whose indexed columns equal 'values' (one per indexed
 * column, compared with datum_equal(); NULL = empty).  Stores up to 'max'
 * rows in 'rows' and returns how many rows match (may exceed 'max'). */
size_t replica_index_find(const struct replica_index *index,
                          const json_t *const *values,
                          const struct replica_row **rows, size_t max);

/* Applies a <table-updates> object (borrowed).  Returns 0, or -EPROTO if
 * 'updates' is malformed (rows before the fault stay applied; the caller
 * should resynchronise, e.g. reconnect).  Values that are not OVSDB values
 * are skipped with a rate-limited warning. */
int replica_apply(struct replica *replica, const json_t *updates);

/* Empties every table (keeping tables, columns, indexes and tracking
 * settings), forgets all changes, and bumps the generation.  Used before
 * the initial contents of a new connection are applied. */
void replica_clear(struct replica *replica);

/* Grows with every applied change (and every clear). */
uint64_t replica_seqno(const struct replica *replica);

/* Grows with every replica_clear(). */
uint64_t replica_generation(const struct replica *replica);

/* Total number of rows held, tombstones excluded. */
size_t replica_n_rows(const struct replica *replica);

/* ---- Tables ---- */

const char *replica_table_name(const struct replica_table *table);
size_t replica_table_count(const struct replica_table *table);
uint64_t replica_table_seqno(const struct replica_table *table);

/* The row with 'uuid' (any case), or NULL.  O(1). */
const struct replica_row *replica_table_find(const struct replica_table *t,
                                             const char *uuid);

/* Shortcut: the row 'uuid' of table 'table', or NULL. */
const struct replica_row *replica_find(const struct replica *replica,
                                       const char *table, const char *uuid);

/* Iteration in no particular order.  The table must not change while a
 * loop runs. */
const struct replica_row *replica_table_first(const struct replica_table *t);
const struct replica_row *replica_table_next(const struct replica_table *t,
                                             const struct replica_row *row);

/* Column numbers of a table (stable for the replica's life); -1 if the
 * table has no such column. */
int replica_table_column(const struct replica_table *table, const char *name);

/* Turns change tracking of 'table' on or off (off forgets changes). */
void replica_table_track(struct replica_table *table, bool on);

/* The rows changed since the last replica_table_forget_changes(), in
 * change order.  Deleted rows appear as tombstones. */
const struct replica_row *replica_table_changed_first(
    const struct replica_table *table);
const struct replica_row *replica_table_changed_next(
    const struct replica_row *row);

/* Empties the change list, freeing tombstones. */
void replica_table_forget_changes(struct replica_table *table);

/* ---- Rows ---- */

const char *replica_row_uuid(const struct replica_row *row);
const struct replica_table *replica_row_table(const struct replica_row *row);

/* The value of 'column' (borrowed, valid while the row keeps it), or NULL
 * if the row has none. */
const json_t *replica_row_get(const struct replica_row *row,
                              const char *column);
const json_t *replica_row_get_at(const struct replica_row *row, int column);

/* Change state and the replica_seqno() of the row's last change. */
enum replica_change replica_row_change(const struct replica_row *row);
uint64_t replica_row_seqno(const struct replica_row *row);

#endif
