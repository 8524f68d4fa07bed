/* api/: the REST API of l2gwd (Neutron v2.0 conventions, spec/api.md).
 *
 * Files: api.c (this module: router, generic resource dispatch, the root,
 * version and extension documents), http.c (libmicrohttpd driven by our
 * loop), neutron.c (request bodies: envelopes, attribute checks),
 * neutron_list.c (fields, filters, sort, paging links), auth.c (who
 * calls), error.c (domain error → HTTP status and NeutronError type),
 * jsonout.c (response serialisation), res_*.c (one resource each, see
 * resources.h). */
#ifndef L2GW_API_API_H
#define L2GW_API_API_H

#include <stddef.h>

struct api_resource;
struct config;
struct core;
struct http_request;
struct http_response;

struct api;

/* Creates the API over 'core' with every resource of resources.h.  Borrows
 * 'core' and 'cfg' (they must outlive it).  Fails (logged) when the
 * configured auth strategy cannot be used.  Does not listen yet (see
 * api_listen()).  Caller frees with api_destroy(). */
int api_create(struct core *core, const struct config *cfg, struct api **out);

/* Checks what of 'cfg' the API needs before anything is started (the auth
 * strategy and its token file).  Returns 0 or a negative errno (logged). */
int api_check_config(const struct config *cfg);

/* The same as api_create() with the resources of 'resources' ('n' of
 * them; borrowed, must outlive the API), for tests. */
int api_create_with(struct core *core, const struct config *cfg,
                    const struct api_resource *const *resources, size_t n,
                    struct api **out);

/* Stops listening and frees 'api'.  NULL is fine. */
void api_destroy(struct api *api);

/* Starts the HTTP server on [DEFAULT] bind_host:bind_port.  Returns 0 or a
 * negative errno (logged). */
int api_listen(struct api *api);

/* The port the API listens on (the real one when bind_port is 0), or 0
 * before api_listen(). */
int api_port(const struct api *api);

/* Loop integration (lib/loop.h); nothing to do before api_listen(). */
void api_run(struct api *api);
void api_wait(struct api *api);

/* Handles one request (what the HTTP server calls; tests may call it
 * directly).  Fills 'resp'; resp->body is malloc'ed, the caller's. */
void api_handle(struct api *api, const struct http_request *req,
                struct http_response *resp);

/* The largest body accepted for 'method' 'path': the resource's
 * max_body_bytes, else [DEFAULT] api_max_body_bytes. */
long long api_body_limit(struct api *api, const char *method,
                         const char *path);

#endif
