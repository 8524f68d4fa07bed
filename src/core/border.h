/* Border gateways (spec/border.md): remote gateways, remote gateway
 * connections and remote MACs, and the checks other modules run against
 * them.
 *
 * Files: border.c (remote gateways, id-or-name lookups, the in-use checks
 * of connection and network deletes), border_key.c (the switch-side rules:
 * per-locator key support and key uniqueness per switch database),
 * border_conn.c (remote gateway connections), border_mac.c (remote MACs).
 *
 * Objects cross this boundary shaped as the API shows them:
 *   remote gateway:  {"id", "name", "ipaddr", "tenant_id", "project_id"}
 *   remote connection: {"id", "gateway", "network", "remote_gateway" (ids),
 *     "seg_id" (integer), "flood" (boolean), "status", "status_reason",
 *     "tenant_id", "project_id"}
 *   remote MAC: {"id", "mac", "ipaddr" ("" when none), "rgw_connection",
 *     "tenant_id", "project_id"}
 * Every write is one transaction and publishes EVENT_REMOTE events (with
 * the network concerned) after the commit. */
#ifndef L2GW_CORE_BORDER_H
#define L2GW_CORE_BORDER_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"

struct core;

/* WAN keys: 24-bit VXLAN VNIs, 0 excluded. */
#define BORDER_KEY_MIN 1
#define BORDER_KEY_MAX 16777215
/* Remote MACs in one bulk create (one request, one transaction), and the
 * largest request body of the routes that create them. */
#define BORDER_MAX_BULK_MACS 10000
#define BORDER_MACS_MAX_BODY (8LL * 1024 * 1024)
/* The Physical_Switch other_config key (value "true") by which a switch
 * says it honours Physical_Locator.tunnel_key next to the
 * Logical_Switch's key. */
#define BORDER_PER_LOCATOR_KEY "l2gw-per-locator-key"

/* ---- remote gateways (border.c) ---- */

/* Creates a remote gateway from "name" (default "") and "ipaddr" (IPv4,
 * else 400 InvalidInput), "project_id"/"tenant_id".  Caller frees '*out'. */
int border_rgw_create(struct core *c, const json_t *attrs, json_t **out,
                      struct core_err *err);

/* Updates "name" and/or "ipaddr" of remote gateway 'id' (404
 * L2RemoteGatewayNotFound).  A changed ipaddr publishes EVENT_REMOTE for
 * every network connected through it.  Caller frees '*out'. */
int border_rgw_update(struct core *c, const char *id, const json_t *attrs,
                      json_t **out, struct core_err *err);

/* Deletes remote gateway 'id' (404; 409 L2RemoteGatewayInUse while a
 * remote gateway connection uses it). */
int border_rgw_delete(struct core *c, const char *id, struct core_err *err);

/* The remote gateway 'id' rendered (caller frees), or -ENOENT with 'err'
 * filled. */
int border_rgw_get(struct core *c, const char *id, json_t **out,
                   struct core_err *err);

/* Completes tenant_id/project_id of rows of any border resource (the
 * generic list gives only the column).  Returns 0. */
int border_render(struct core *c, json_t *rows, struct core_err *err);

/* ---- remote gateway connections (border_conn.c) ---- */

/* Creates a remote gateway connection from "gateway", "network",
 * "remote_gateway" (each an id or a name), optional "seg_id" (1..16777215,
 * a number or a numeric string; null or absent: the network's VNI) and
 * "flood" (boolean or "True"/"False"; null or absent: true).  Checks, in
 * this order: seg_id and flood (400), the gateway, network and remote
 * gateway exist (404 each), the network is connected to the gateway (400
 * InvalidInput), (gateway, network, remote gateway) is new (409
 * L2RemoteGatewayConnectionExists), every device of the gateway supports
 * per-locator keys (409 L2RemoteGatewayUnsupported), the key is free on
 * every switch database of the gateway (409
 * L2RemoteGatewaySegmentationIdInUse).  Starts PENDING.  Caller frees
 * '*out'. */
int border_rconn_create(struct core *c, const json_t *attrs, json_t **out,
                        struct core_err *err);

/* Updates "seg_id" and/or "flood" of remote connection 'id' (null: back to
 * the default), re-checking the key rule; a change sets the status back to
 * PENDING.  Caller frees '*out'. */
int border_rconn_update(struct core *c, const char *id, const json_t *attrs,
                        json_t **out, struct core_err *err);

/* Deletes remote connection 'id' and its remote MACs (404
 * L2RemoteGatewayConnectionNotFound if unknown). */
int border_rconn_delete(struct core *c, const char *id, struct core_err *err);

/* The remote connection 'id' rendered (caller frees), or -ENOENT with
 * 'err' filled. */
int border_rconn_get(struct core *c, const char *id, json_t **out,
                     struct core_err *err);

/* ---- remote MACs (border_mac.c) ---- */

/* Creates one remote MAC from "mac" (unicast; stored lower case), optional
 * "ipaddr" (IPv4; null or "" for none) and "rgw_connection" (404 if
 * unknown).  A MAC already used in the connection's network (remote MAC,
 * port or address pair) → 409 L2RemoteMacExists.  Caller frees '*out'. */
int border_mac_create(struct core *c, const json_t *attrs, json_t **out,
                      struct core_err *err);

/* Creates every remote MAC of the array 'items' (each as above, at most
 * BORDER_MAX_BULK_MACS) in one transaction, all or nothing.  '*out' is the
 * array of created MACs in input order; caller frees it. */
int border_mac_create_bulk(struct core *c, const json_t *items, json_t **out,
                           struct core_err *err);

/* Deletes remote MAC 'id' (404 L2RemoteMacNotFound if unknown). */
int border_mac_delete(struct core *c, const char *id, struct core_err *err);

/* ---- checks for other modules ---- */

/* Inside a transaction deleting local connection 'connection_id': 409
 * (L2RemoteGatewayConnectionExists) while a remote gateway connection of
 * the same gateway and network exists.  Returns 0, -EINVAL with 'err'
 * filled, or another negative errno. */
int border_check_connection_delete(struct core *c, const char *connection_id,
                                   struct core_err *err);

/* Inside a transaction deleting network 'network_id' (named 'given' in
 * messages): 409 NetworkInUse while a remote gateway connection uses it. */
int border_check_network_delete(struct core *c, const char *network_id,
                                const char *given, struct core_err *err);

/* True if [ovsdb] per_locator_key_switches lists 'name' (an entry of the
 * comma list; spaces around entries ignored). */
bool border_listed(struct core *c, const char *name);

/* True if the JSON object text 'other_config' of a switch advertises
 * other_config:l2gw-per-locator-key = "true". */
bool border_advertises(const char *other_config);

/* For a local connection of gateway 'gateway_id' to network 'network_id'
 * with VNI 'vni' (the Logical_Switch key it would bring to the gateway's
 * switch databases): 409 L2RemoteGatewaySegmentationIdInUse when 'vni' is
 * another network's WAN key on one of those databases.  Runs inside the
 * caller's transaction. */
int border_check_local_vni(struct core *c, const char *gateway_id,
                           const char *network_id, long long vni,
                           struct core_err *err);

#endif
