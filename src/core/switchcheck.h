/* Switch-side checks of core, over the registry the switch manager keeps
 * (tables switches, switch_ports, switch_logical_switches,
 * owned_logical_switches):
 *
 * - api.md connection create steps 5 and 6 (and the same checks when a
 *   gateway with connections is updated): every device a known switch
 *   (404 L2GatewayDeviceNotFound) named unambiguously (409
 *   L2GatewayDeviceAmbiguous), every interface a port of it (404
 *   L2GatewayInterfaceNotFound), no switch or port fault (409
 *   L2GatewayPhysicalSwitchFaultStatus / PortFaultStatus;
 *   unsupported_source_node_replication is not refused here: it selects
 *   service-node replication, see switch.md), no (port, VLAN) already bound
 *   to another logical switch by us or found on the switch (409
 *   L2GatewayDuplicateSegmentationID), and no foreign Logical_Switch with
 *   the network's VNI on the database (409 L2GatewayVniInUse).  A known
 *   but disconnected switch is accepted (checked against what it reported
 *   last).
 * - resolving a switch name for "l2gwd ctl forget" (which then calls
 *   registry_forget_switch(), core/registry.h).
 *
 * Device names are switch names or "<ovsdb_identifier>/<name>". */
#ifndef L2GW_CORE_SWITCHCHECK_H
#define L2GW_CORE_SWITCHCHECK_H

#include <stdbool.h>

#include "core/error.h"

struct core;

/* Steps 5 and 6 for connecting gateway 'gateway_id' to 'network_id' with
 * the connection's VLAN 'vlan' (NULL when the connection gives none).
 * Bindings of connection 'self' (NULL at create) are not conflicts.  Runs
 * inside the caller's store transaction.  Returns 0, -ENOENT / -EINVAL
 * with 'err' filled, or another negative errno. */
int switchcheck_connection(struct core *c, const char *gateway_id,
                           const char *network_id, const long long *vlan,
                           const char *self, struct core_err *err);

/* The same checks for every connection of gateway 'gateway_id' (after its
 * interfaces changed, inside the update's transaction). */
int switchcheck_gateway(struct core *c, const char *gateway_id,
                        struct core_err *err);

/* Resolves 'name' (an id, "<db>/<name>" or an unambiguous switch name) to
 * a switch id in 'id' (UUID_STRLEN + 1 bytes).  -ENOENT with 'err' filled
 * when unknown, -EINVAL when ambiguous. */
int switchcheck_resolve(struct core *c, const char *name, char *id,
                        struct core_err *err);

#endif
