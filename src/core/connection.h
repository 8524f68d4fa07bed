/* L2 gateway connections: (gateway, network) pairs that the switch manager
 * programs.  Objects cross this boundary shaped as api.md shows them:
 *   {"id", "l2_gateway_id", "network_id", "segmentation_id" (a string,
 *    "" when unset), "tenant_id", "project_id", "status", "status_reason"}
 */
#ifndef L2GW_CORE_CONNECTION_H
#define L2GW_CORE_CONNECTION_H

#include <jansson.h>

#include "core/error.h"

struct core;
struct db_txn;

/* Creates a connection from 'attrs' ("l2_gateway_id", "network_id",
 * optional "segmentation_id" as a number or a numeric string), checking
 * api.md's create steps in order.  The connection belongs to the gateway's
 * project and starts PENDING.  Caller frees '*out'. */
int connection_create(struct core *c, const json_t *attrs, json_t **out,
                      struct core_err *err);

/* Deletes connection 'id' (404 L2GatewayConnectionNotFound if unknown). */
int connection_delete(struct core *c, const char *id, struct core_err *err);

/* The connection 'id' rendered (caller frees), or -ENOENT with 'err'
 * filled (L2GatewayConnectionNotFound). */
int connection_get(struct core *c, const char *id, json_t **out,
                   struct core_err *err);

/* Converts "segmentation_id" of every row to api.md's string form and
 * completes tenant_id/project_id.  Returns 0. */
int connection_render(struct core *c, json_t *rows, struct core_err *err);

/* Inside a transaction that changed gateway 'gateway_id': checks that every
 * connection of the gateway is still valid as a create would check it
 * (today the VLAN-source rule).  Returns 0, or -EINVAL with 'err' filled. */
int connection_check_gateway(struct core *c, const char *gateway_id,
                             struct core_err *err);

/* Inside transaction 't': deletes every connection of 'network_id' and
 * queues an EVENT_CONNECTION for each.  Returns 0 or a negative errno. */
int connection_delete_for_network(struct core *c, struct db_txn *t,
                                  const char *network_id);

#endif
