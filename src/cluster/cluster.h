/* cluster/: several l2gwd nodes sharing one PostgreSQL database.
 *
 * Every node serves the whole API; the switch databases (ovsdb_identifier)
 * are divided among the live nodes by leases in the database
 * (switch_leases, schema v4), so that each is served by exactly one node:
 *   - every heartbeat_interval a node renews, in one transaction under a
 *     cluster-wide advisory lock, its row in cluster_nodes and its leases
 *     (expiry = the server's clock + takeover_timeout - heartbeat_interval),
 *     and claims or releases leases to even out the spread (lease.h);
 *   - a node stops serving a database it releases BEFORE the lease is freed
 *     (it is freed at the next heartbeat), and stops serving every database
 *     once its last successful renewal is older than the lease (minus a
 *     margin): a node that loses the database stops writing to switches
 *     before anyone else may take them;
 *   - the leases of a node that died expire, and the others claim them at
 *     their next heartbeat: a switch is served again within
 *     takeover_timeout; a node that stops cleanly frees its leases at once.
 * Change events (lib/event.h) travel between nodes as NOTIFY l2gw_changes,
 * sent by core inside each write transaction (lib/eventwire.h) with the
 * store's change counter.  This module LISTENs, publishes the other nodes'
 * events locally, and publishes EVENT_ALL (a full resync) whenever one may
 * have been missed: a gap in the counter, the counter moving without a
 * notification, or its own connection lost.
 *
 * A process stopped inside a transaction (SIGSTOP, a paused VM) would hold
 * the store's write lock or the cluster lock and stall every other node;
 * the server ends such a session after idle_in_transaction_session_timeout
 * (the store's 2 s, lease / 2 here), which frees the lock.
 *
 * The module uses its own libpq connection (not the store's), so that a
 * renewal never waits for the write lock.  With a store that is not
 * shared (SQLite) there is no cluster: cluster_create() gives NULL and the
 * node serves every switch. */
#ifndef L2GW_CLUSTER_CLUSTER_H
#define L2GW_CLUSTER_CLUSTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct cluster;
struct config;
struct store;

/* Creates this node's membership when 'st' is shared; '*out' = NULL (and
 * 0) when it is not.  Reads [cluster] node_id (default "<hostname>-<hash
 * of state_path>": a node restarted after a crash takes its own unexpired
 * leases back at once; two nodes must not share an id),
 * takeover_timeout and heartbeat_interval from 'cfg' (borrowed), and sets
 * the node id as the origin of events (event_set_origin()).  Connects at
 * the first cluster_run().  Caller frees with cluster_destroy().  Returns 0
 * or a negative errno (logged: a bad node id, timeouts that do not fit). */
int cluster_create(const struct config *cfg, struct store *st,
                   struct cluster **out);

/* Frees this node's leases and its node row (when the database answers),
 * so the other nodes take its switches at their next heartbeat; the caller
 * has stopped serving them.  Accepts NULL. */
void cluster_destroy(struct cluster *c);

/* Loop integration (lib/loop.h): heartbeats, notifications. */
void cluster_run(struct cluster *c);
void cluster_wait(struct cluster *c);

/* Adds 'db' to the databases this node can serve (its configuration).
 * Returns 0 or -ENOMEM. */
int cluster_declare(struct cluster *c, const char *db);

/* True if this node may serve (write to) 'db' now.  Always true with
 * 'c' NULL. */
bool cluster_owns(const struct cluster *c, const char *db);

/* For a switch that connected to this node (passive mode): declares 'db'
 * and takes its lease now if it is free, expired or ours.  Returns 0 when
 * this node may serve it, -EBUSY when another live node holds it, or
 * another negative errno when the database cannot be asked. */
int cluster_claim(struct cluster *c, const char *db);

/* The switch of passive database 'db' went away: stop serving it (its lease
 * is freed at the next heartbeat).  No-op for a database that was not
 * claimed with cluster_claim(). */
void cluster_release(struct cluster *c, const char *db);

/* A description for "l2gwd ctl status": {"node_id", "live_nodes",
 * "share", "owned": [db...], "releasing": [...], "connected", "valid_ms"}.
 * Caller owns the reference. */
json_t *cluster_describe(const struct cluster *c);

#endif
