/* Hosts (hypervisors): a unique name that ports name in "binding:host_id",
 * and the IPv4 tunnel endpoint of their VXLAN traffic.  Objects cross this
 * boundary as {"id", "name", "tunnel_ip" (null when unset), "tenant_id",
 * "project_id"}. */
#ifndef L2GW_CORE_HOST_H
#define L2GW_CORE_HOST_H

#include <jansson.h>

#include "core/error.h"

struct core;

/* Creates a host: "name" (required, unique: 409), "tunnel_ip" (IPv4 only:
 * 400 InvalidInput otherwise).  Caller frees '*out'. */
int host_create(struct core *c, const json_t *attrs, json_t **out,
                struct core_err *err);

/* Updates the tunnel IP of host 'id' (null clears it).  Caller frees
 * '*out'. */
int host_update(struct core *c, const char *id, const json_t *attrs,
                json_t **out, struct core_err *err);

/* Deletes host 'id'.  Ports bound to its name stay bound (and are not
 * programmed until a host of that name has a tunnel IP again). */
int host_delete(struct core *c, const char *id, struct core_err *err);

/* The host 'id' rendered (caller frees), or -ENOENT with 'err' filled. */
int host_get(struct core *c, const char *id, json_t **out,
             struct core_err *err);

/* Completes tenant_id/project_id of every row.  Returns 0. */
int host_render(struct core *c, json_t *rows, struct core_err *err);

#endif
