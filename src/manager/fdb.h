/* The overlay export (/v2.0/l2-fdb-entries, spec/switch.md "Overlay
 * export"): per network, a flood entry 00:00:00:00:00:00 for every tunnel
 * IP of a switch serving it, and the MACs its switches learned.  Kept in
 * table fdb_entries with a revision counter (meta 'fdb_revision'): every
 * added, changed or removed entry takes the next revision; removed entries
 * stay as tombstones (deleted = 1) for ?changes_since, and tombstones older
 * than FDB_KEEP_REVISIONS revisions are pruned (meta
 * 'fdb_pruned_revision'; older changes_since → 410).
 *
 * The manager marks networks whose export may have changed; fdb_flush()
 * recomputes them from the store and writes the difference. */
#ifndef L2GW_MANAGER_FDB_H
#define L2GW_MANAGER_FDB_H

#include <jansson.h>
#include <stdbool.h>

struct store;

/* Tombstones kept, in revisions. */
#define FDB_KEEP_REVISIONS 100000

#define FDB_FLOOD_MAC "00:00:00:00:00:00"

struct fdb {
    json_t *dirty;      /* network ids to recompute */
    bool all;           /* recompute every network */
};

void fdb_init(struct fdb *f);
void fdb_destroy(struct fdb *f);

void fdb_mark(struct fdb *f, const char *network);
void fdb_mark_all(struct fdb *f);

/* Recomputes the marked networks and writes the changes in one store
 * transaction.  Returns 0 or a negative errno (the marks are kept). */
int fdb_flush(struct fdb *f, struct store *st);

/* The current revision (0 before any change). */
long long fdb_revision(struct store *st);

#endif
