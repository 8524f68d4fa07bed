/* Overlay networks (standalone Neutron subset): VXLAN only, one VNI each.
 * Objects cross this boundary shaped as Neutron renders networks:
 *   {"id", "name", "description", "admin_state_up", "status" ("ACTIVE"),
 *    "shared" (false), "subnets" ([]), "mtu", "provider:network_type"
 *    ("vxlan"), "provider:segmentation_id" (the VNI), "tenant_id",
 *    "project_id"} */
#ifndef L2GW_CORE_NETWORK_H
#define L2GW_CORE_NETWORK_H

#include <jansson.h>

#include "core/error.h"

struct core;

/* VNI limits (24 bits; 0 is not a usable VNI). */
#define NETWORK_VNI_MIN 1
#define NETWORK_VNI_MAX 16777215
/* MTU limits accepted on create/update, and the default. */
#define NETWORK_MTU_MIN 68
#define NETWORK_MTU_MAX 9000
#define NETWORK_MTU_DEFAULT 1450

/* Creates a network.  "provider:segmentation_id" (a number or a numeric
 * string) picks the VNI; without it the lowest free VNI of [l2gw]
 * vni_ranges is allocated.  Caller frees '*out'. */
int network_create(struct core *c, const json_t *attrs, json_t **out,
                   struct core_err *err);

/* Updates name, description, admin_state_up, mtu (provider attributes are
 * read-only).  Caller frees '*out'. */
int network_update(struct core *c, const char *id, const json_t *attrs,
                   json_t **out, struct core_err *err);

/* Deletes network 'id': 409 NetworkInUse while ports exist; otherwise its
 * connections go with it (one EVENT_CONNECTION each, then EVENT_NETWORK). */
int network_delete(struct core *c, const char *id, struct core_err *err);

/* The network 'id' rendered (caller frees), or -ENOENT with 'err' filled. */
int network_get(struct core *c, const char *id, json_t **out,
                struct core_err *err);

/* Adds the constant attributes (status, shared, subnets) and completes
 * tenant_id/project_id of every row.  Returns 0. */
int network_render(struct core *c, json_t *rows, struct core_err *err);

#endif
