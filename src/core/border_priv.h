/* Private helpers shared by the border_*.c files of core/ (border.h).
 * Nothing outside src/core/border*.c includes this header. */
#ifndef L2GW_CORE_BORDER_PRIV_H
#define L2GW_CORE_BORDER_PRIV_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"
#include "core/valid.h"

struct core;

/* What border_resolve() looks up. */
enum border_ref {
    BORDER_REF_GATEWAY,        /* gateways: 404 L2GatewayNotFound */
    BORDER_REF_NETWORK,        /* networks: 404 NetworkNotFound */
    BORDER_REF_REMOTE_GATEWAY, /* remote_gateways: 404 L2RemoteGatewayNotFound */
};

/* Resolves 'given' (an id, or else a name) to the id of a 'ref' row, into
 * 'id'.  Not found → -ENOENT with the type's 404; a name several rows carry
 * → -EINVAL with 409 HTTPConflict (use the id).  Runs inside the caller's
 * transaction. */
int border_resolve(struct core *c, enum border_ref ref, const char *given,
                   char id[VALID_ID_LEN], struct core_err *err);

/* Fills 'err' with the NotFound of a remote gateway / remote connection
 * 'id' and returns -ENOENT. */
int border_rgw_not_found(struct core_err *err, const char *id);
int border_rconn_not_found(struct core_err *err, const char *id);

/* Reads optional IPv4 attribute 'name' of 'attrs' into 'out' ("" when
 * absent, null or "").  Anything but an IPv4 address → 400 InvalidInput. */
int border_parse_ipv4(const json_t *attrs, const char *name,
                      char out[VALID_IP_LEN], struct core_err *err);

/* border_key.c: every device of gateway 'gateway_id' supports per-locator
 * tunnel keys (advertised by its registered switch, or listed in [ovsdb]
 * per_locator_key_switches); else 409 L2RemoteGatewayUnsupported naming
 * the first device that does not. */
int border_key_check_support(struct core *c, const char *gateway_id,
                             struct core_err *err);

/* border_key.c: WAN key 'key' of network 'network_id' through gateway
 * 'gateway_id' is free on every switch database of the gateway: not another
 * network's VNI there (a network connected to a gateway with a device on
 * that database), not another network's WAN key there, not the key of a
 * Logical_Switch the switch reports for another network.  Else 409
 * L2RemoteGatewaySegmentationIdInUse. */
int border_key_check(struct core *c, const char *gateway_id,
                     const char *network_id, long long key,
                     struct core_err *err);

#endif
