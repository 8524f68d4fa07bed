/* L2 gateways: a name and a list of devices (switch names), each with
 * interfaces (port names) that optionally carry VLANs.
 *
 * Objects cross this boundary shaped as api.md shows them:
 *   {"id", "name", "devices": [{"id", "device_name", "interfaces":
 *     [{"name", "segmentation_id": ["100", ...]}]}], "tenant_id",
 *    "project_id"}
 * VLANs are rendered as strings in the order given, [] when none. */
#ifndef L2GW_CORE_GATEWAY_H
#define L2GW_CORE_GATEWAY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"

struct core;

/* Hard limits of one gateway. */
#define GATEWAY_MAX_DEVICES 256
#define GATEWAY_MAX_INTERFACES 1024 /* per device */
#define GATEWAY_MAX_VLANS 4095      /* per interface */

/* Creates a gateway from 'attrs' ("name", "devices", "project_id" or
 * "tenant_id"; other keys ignored).  Validates "devices" as api.md says
 * (400 HTTPBadRequest / InvalidInput, 409 L2GatewaySegmentationRequired).
 * On success '*out' is the new gateway; caller frees it. */
int gateway_create(struct core *c, const json_t *attrs, json_t **out,
                   struct core_err *err);

/* Updates gateway 'id': "name" replaces the name when given; each device of
 * "devices" must already belong to the gateway and gets its interfaces
 * replaced.  On success '*out' is the updated gateway; caller frees it. */
int gateway_update(struct core *c, const char *id, const json_t *attrs,
                   json_t **out, struct core_err *err);

/* Deletes gateway 'id' (404 if unknown, 409 while connections use it). */
int gateway_delete(struct core *c, const char *id, struct core_err *err);

/* The gateway 'id' fully rendered (caller frees '*out'), or -ENOENT with
 * 'err' filled (L2GatewayNotFound). */
int gateway_get(struct core *c, const char *id, json_t **out,
                struct core_err *err);

/* Adds "devices" (and tenant_id/project_id when one of them is missing) to
 * every gateway object of 'rows' (each has "id").  Reads the devices of a
 * page in a few queries.  Returns 0 or a negative errno. */
int gateway_render(struct core *c, json_t *rows, struct core_err *err);

/* Parses one VLAN given as a JSON integer or a numeric string, 0..4094.
 * 400 InvalidInput otherwise, with api.md's messages. */
int gateway_parse_vlan(const json_t *v, long long *out, struct core_err *err);

/* 1 if any interface of gateway 'id' was given VLANs, 0 if none, or a
 * negative errno.  Runs inside the caller's transaction. */
int gateway_has_vlans(struct core *c, const char *id);

#endif
