/* Learned MACs (table learned_macs) from each database's Ucast_Macs_Local
 * rows: replaced per database on every (re)connect, then kept from the
 * replica's change tracking, written in batches (one store transaction per
 * flush), capped per database at [ovsdb] max_learned_macs with a
 * rate-limited warning.  The row id is the OVSDB row's UUID. */
#ifndef L2GW_MANAGER_LEARNED_H
#define L2GW_MANAGER_LEARNED_H

struct mdb;
struct replica_row;

/* Rewrites the learned MACs of the database from its replica. */
void learned_replace(struct mdb *d);

/* Queues the change of Ucast_Macs_Local row 'row' (inserted, modified or
 * a tombstone). */
void learned_change(struct mdb *d, const struct replica_row *row);

/* Writes the queued changes; the networks concerned are marked for the
 * overlay export. */
void learned_flush(struct mdb *d);

#endif
