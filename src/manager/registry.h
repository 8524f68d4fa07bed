/* The switch registry kept in the store (tables switches, switch_ports and
 * switch_logical_switches) from the replicas of the switch databases:
 * every Physical_Switch with its ports, faults and bindings (rendered with
 * LS names), the database's figures, and a mirror of its Logical_Switch
 * rows.  A switch stays known (connected = 0) after its database goes
 * away, until it is forgotten.  Writes are batched: one store transaction
 * per database and flush.  Exported names start with registry_sync_ (core
 * has registry_ for reads). */
#ifndef L2GW_MANAGER_REGISTRY_H
#define L2GW_MANAGER_REGISTRY_H

struct mdb;

/* The database just (re)connected: rewrites its switches, ports and LS
 * mirror from the replica (in one transaction). */
void registry_sync_connected(struct mdb *d);

/* The database went away: its switches read connected = 0. */
void registry_sync_disconnected(struct mdb *d);

/* Writes what changed since the last flush (d->registry_dirty: switches
 * and ports; d->ls_mirror_dirty: the LS mirror). */
void registry_sync_flush(struct mdb *d);

/* The full pass asked for by a forget with cleanup has converged: drops
 * the records of the database's switches marked forget_requested (they
 * are not reported again until the database reconnects). */
void registry_sync_forget_done(struct mdb *d);

/* Updates the per-database figures of its switch rows (owned rows,
 * pending operations, latency, last error, reconnects). */
void registry_sync_figures(struct mdb *d);

#endif
