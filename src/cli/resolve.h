/* Names or ids wherever the client expects an id.
 *
 * As the OpenStack clients do: GET <collection>/<arg> first (a 404 means
 * "not an id"), then <collection>?name=<arg>.  No match is an error, and
 * so is more than one (the message lists the matches' ids).  Resources
 * without names resolve by id only. */
#ifndef L2GW_CLI_RESOLVE_H
#define L2GW_CLI_RESOLVE_H

#include "cli/cli.h"
#include "cli/res.h"

/* Finds the id of the resource of type 't' that 'arg' names or
 * identifies.  Returns 0 with *id set (caller frees), or a negative errno
 * with the message in *msg (caller frees): -ENOENT none, -EEXIST several,
 * -EIO no reply, -EPROTO the server refused. */
int resolve_id(struct cli *c, const struct res_type *t, const char *arg,
               char **id, char **msg);

/* resolve_id() that prints the message; returns 0 or the negative errno. */
int resolve_or_print(struct cli *c, const struct res_type *t, const char *arg,
                     char **id);

#endif
