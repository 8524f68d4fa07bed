/* Which switch databases this node should serve: the pure part of the
 * lease protocol (cluster.h), so that it can be tested without a server.
 *
 * Every node runs lease_decide() over the same view (the lease table and
 * the live nodes, read under the cluster lock), so the databases spread
 * evenly: with D databases and N live nodes sorted by id, the node of rank
 * r should hold D / N databases, plus one when r < D % N.  A node above
 * its share releases its surplus (the last by name); a node below it
 * claims free databases (no owner, or an owner whose lease expired) that
 * it can serve, first by name.  Since the shares add up to D, every
 * database ends up served once every node has run. */
#ifndef L2GW_CLUSTER_LEASE_H
#define L2GW_CLUSTER_LEASE_H

#include <stdbool.h>
#include <stddef.h>

/* One row of the lease table as this node sees it. */
struct lease_row {
    const char *db;     /* ovsdb_identifier */
    const char *node;   /* owner, or NULL */
    bool expired;       /* the owner's lease ran out (or no owner) */
    bool servable;      /* this node has the database in its configuration */
};

enum lease_action {
    LEASE_NONE,     /* not ours, leave it */
    LEASE_KEEP,     /* ours: renew it */
    LEASE_CLAIM,    /* free: take it */
    LEASE_RELEASE,  /* ours, above our share: stop serving, then free it */
};

/* Decides an action for each of the 'n' rows ('rows' sorted by db) for
 * node 'me', given the ids of the 'n_live' live nodes ('live', sorted,
 * containing 'me').  Writes 'n' actions into 'out'.  Returns this node's
 * share. */
size_t lease_decide(const char *me, const char *const *live, size_t n_live,
                    const struct lease_row *rows, size_t n,
                    enum lease_action *out);

#endif
