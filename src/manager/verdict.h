/* What a switch database says about each connection it serves, after a
 * reconcile pass (status.h combines the databases):
 *   "error"   with the reasons: reconcile problems of its LS or of its own
 *             bindings, plan problems, faults of its switches and ports
 *             (not "UP"; unsupported_source_node_replication is plan's),
 *             repeated transaction failures, a transaction the switch did
 *             not apply (the last two only while its rows differ);
 *   "ok"      its LS holds every desired row;
 *   "pending" otherwise. */
#ifndef L2GW_MANAGER_VERDICT_H
#define L2GW_MANAGER_VERDICT_H

#include <jansson.h>

struct mdb;
struct vtep_desired;
struct vtep_result;

/* Sets the verdicts of the connections of the LSs of 'view' from 'res',
 * and drops those of connections no longer served by an LS of 'scope'
 * (NULL: a full pass, every LS). */
void verdict_set(struct mdb *d, const struct vtep_desired *view,
                 const json_t *scope, const struct vtep_result *res);

#endif
