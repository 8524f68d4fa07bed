/* Who is calling: [DEFAULT] auth_strategy.
 *
 *   noauth   the caller is who the headers say: X-Project-Id (or
 *            X-Tenant-Id), default "admin"; X-Roles, a comma list, default
 *            "admin".
 *   token    X-Auth-Token must be a token of auth_token_file, whose lines
 *            are "TOKEN PROJECT ROLE[,ROLE...]" ('#' starts a comment); the
 *            file is read again whenever its modification time changes.
 *   keystone not implemented: auth_create() refuses it.
 *
 * A caller is admin when one of its roles is "admin" (any case). */
#ifndef L2GW_API_AUTH_H
#define L2GW_API_AUTH_H

#include "api/resource.h"

struct config;
struct core_err;
struct http_request;

struct auth;

/* Creates the authenticator for 'cfg' (borrowed; must outlive it).  For
 * "token" the file is loaded now and must be readable.  Returns 0 or a
 * negative errno after logging why (-ENOTSUP for keystone).  Caller frees
 * with auth_destroy(). */
int auth_create(const struct config *cfg, struct auth **out);
void auth_destroy(struct auth *a);

/* Fills 'caller' from the headers of 'req'.  Returns 0, or -EACCES with
 * 'err' set (401 "Authentication required", or 400 for an unusable
 * project header). */
int auth_identify(struct auth *a, const struct http_request *req,
                  struct api_caller *caller, struct core_err *err);

/* True if the comma list 'roles' holds "admin" (any case, spaces around
 * names ignored). */
bool auth_roles_admin(const char *roles);

#endif
