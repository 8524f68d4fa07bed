/* manager/: the switch manager of l2gwd.  It connects to the VTEP switch
 * databases, plans the desired hardware_vtep content from the store
 * (core/plan), reconciles every database to it (vtep/reconcile) and brings
 * back what the switches report (registry, learned MACs, connection
 * status, overlay export).  Contracts: spec/switch.md.
 *
 * Files: manager.c (this module: databases by ovsdb_identifier, change
 * events, passive listener, the run/wait of everything), hosts.c
 * ([ovsdb] ovsdb_hosts), db.c (one database: session, state, connection
 * changes), track.c (the replica's change tracking), pass.c (one reconcile
 * pass), reply.c (its transaction's reply), verdict.c (what a database
 * says about each connection), registry.c (switches, ports and LS mirror
 * in the store), learned.c (learned MACs), status.c (connection status),
 * fdb.c (overlay export), ctl.c (control socket and its client), dump.c
 * ("ctl dump"), sql.c (statement helpers), priv.h (shared private state).
 *
 * The manager never polls the store: core's change events (lib/event.h)
 * mark (database, network) pairs dirty, and the replicas' change tracking
 * marks LSs dirty; only those are planned and reconciled.  A full pass runs
 * on (re)connect and on "ctl resync". */
#ifndef L2GW_MANAGER_MANAGER_H
#define L2GW_MANAGER_MANAGER_H

struct cluster;
struct config;
struct core;
struct manager;

/* Creates the manager over 'core' with 'cfg' (both borrowed; they must
 * outlive it): parses [ovsdb] ovsdb_hosts (an error there fails, naming
 * the entry), starts the passive listener when enable_manager is set,
 * subscribes to change events and opens the control socket.  Sessions
 * connect on the first manager_run().  With 'cluster' (borrowed; NULL for
 * a single node) only the databases the cluster gives this node are
 * served: a session opens when the node gets a database's lease and
 * closes when it loses it (cluster/cluster.h).  Caller frees with
 * manager_destroy().  Returns 0 or a negative errno (logged). */
int manager_create(struct core *core, const struct config *cfg,
                   struct cluster *cluster, struct manager **out);

/* Closes every session, the listener and the control socket.  Accepts
 * NULL. */
void manager_destroy(struct manager *m);

/* Loop integration (lib/loop.h). */
void manager_run(struct manager *m);
void manager_wait(struct manager *m);

/* The client side of "l2gwd --config-file F ctl <command> [arg]": sends
 * the command (argv[0..argc-1], e.g. {"status"}, {"dump", "sw1db"}) to the
 * control socket of a running daemon and prints the answer to stdout.
 * Returns the exit status (0 ok, 1 error reported, 2 usage).  Defined in
 * ctl.c. */
int manager_ctl_client(const struct config *cfg, int argc, char **argv);

#endif
