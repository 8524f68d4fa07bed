/* Overlay ports (standalone Neutron subset): where a MAC lives (network and
 * host).  Objects cross this boundary shaped as Neutron renders ports:
 *   {"id", "name", "network_id", "mac_address", "fixed_ips":
 *    [{"ip_address"}], "allowed_address_pairs": [{"ip_address",
 *    "mac_address"}], "binding:host_id", "device_owner", "device_id",
 *    "admin_state_up", "status", "tenant_id", "project_id"}
 *
 * Every MAC a port brings into its network (its own, and address-pair MACs
 * that differ from it) is claimed in network_macs; a MAC claimed by anyone
 * else in the network is 409 MacAddressInUse. */
#ifndef L2GW_CORE_PORT_H
#define L2GW_CORE_PORT_H

#include <jansson.h>

#include "core/error.h"

struct core;

/* Hard limits of one port. */
#define PORT_MAX_FIXED_IPS 16
#define PORT_MAX_ADDRESS_PAIRS 64
/* Attempts at a random fa:16:3e MAC that is free in the network. */
#define PORT_MAC_RETRIES 16

/* Creates a port on "network_id" (404 NetworkNotFound if unknown).  A
 * missing "mac_address" is generated with the fa:16:3e prefix; an address
 * pair without "mac_address" takes the port's.  Caller frees '*out'. */
int port_create(struct core *c, const json_t *attrs, json_t **out,
                struct core_err *err);

/* Updates port 'id'; lists given replace the stored ones.  A changed
 * "binding:host_id" is a migration (EVENT_PORT).  Caller frees '*out'. */
int port_update(struct core *c, const char *id, const json_t *attrs,
                json_t **out, struct core_err *err);

/* Deletes port 'id' and releases its MACs. */
int port_delete(struct core *c, const char *id, struct core_err *err);

/* The port 'id' rendered (caller frees), or -ENOENT with 'err' filled. */
int port_get(struct core *c, const char *id, json_t **out,
             struct core_err *err);

/* Adds "fixed_ips" and "allowed_address_pairs" (and completes
 * tenant_id/project_id) to every row; a page in a few queries. */
int port_render(struct core *c, json_t *rows, struct core_err *err);

#endif
