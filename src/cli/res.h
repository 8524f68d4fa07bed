/* Generic operations on the API's Neutron-style resources, shared by the
 * command files: requests with error reporting, create/show/list/update/
 * delete as commands, and the shared list options.
 *
 * Functions named res_cmd_* return a process exit status (cli.h); the
 * others return 0 or a negative errno after printing their message on
 * stderr. */
#ifndef L2GW_CLI_RES_H
#define L2GW_CLI_RES_H

#include <jansson.h>
#include <stdbool.h>

#include "cli/buf.h"
#include "cli/cli.h"
#include "cli/http.h"

/* Pages followed by one list command, at most. */
#define RES_MAX_PAGES 100000

struct res_type {
    const char *path;     /* collection path, "/v2.0/l2-gateways" */
    const char *singular; /* body envelope, "l2_gateway" */
    const char *plural;   /* list envelope, "l2_gateways" */
    const char *label;    /* for messages, "L2 Gateway" */
    bool named;           /* has a 'name' attribute that names resolve on */
    const struct out_column *columns;      /* titles of list and show */
    const struct out_column *show_columns; /* of show, when they differ */
};

/* The list options: -F/--field, --project, --sort-key, --sort-dir,
 * --limit (page size). */
extern const struct args_opt res_list_opts[];

/* --tenant-id (alias --project): the owner of a created resource. */
extern const struct args_opt res_project_opts[];

/* Sends a request.  Returns 0 when a reply came (r filled, any status;
 * caller clears it), or -EIO after printing why none came. */
int res_call(struct cli *c, const char *method, const char *path,
             const json_t *body, struct http_reply *r);

/* The message of a failed reply: the NeutronError message, else a short
 * text with the status and body.  Caller frees. */
char *res_error_message(const struct http_reply *r);

/* Sends a request and expects a 2xx status.  Returns 0 with the reply
 * body in *out (caller json_decref()s; out may be NULL), or a negative
 * errno after printing the server's message. */
int res_expect(struct cli *c, const char *method, const char *path,
               const json_t *body, json_t **out);

/* The path of one resource, "/v2.0/l2-gateways/<id>" (id escaped).
 * Caller frees. */
char *res_item_path(const struct res_type *t, const char *id);

/* GETs the resource 'id' into *obj (the unwrapped object; caller frees). */
int res_get(struct cli *c, const struct res_type *t, const char *id,
            json_t **obj);

/* POSTs {"<singular>": inner} (takes ownership of 'inner') and stores the
 * created object in *obj (caller frees). */
int res_create(struct cli *c, const struct res_type *t, json_t *inner,
               json_t **obj);

/* Prints one resource as the -f/-c options say; returns an exit status. */
int res_print_one(struct cli *c, const struct res_type *t, const json_t *obj);

/* Prints resources; fields (may be NULL) are the -F attributes. */
int res_print_list(struct cli *c, const struct res_type *t, const json_t *rows,
                   const char *const *fields, size_t n_fields);

/* Creates and prints; takes ownership of 'inner'. */
int res_cmd_create(struct cli *c, const struct res_type *t, json_t *inner);

/* Resolves a[0] (name or id), GETs and prints it. */
int res_cmd_show(struct cli *c, const struct res_type *t, const struct args *a);

/* Fetches the list with the res_list_opts of 'a' plus the filters in
 * 'query' (a query string without '?', "" for none), following every
 * "next" link.  Returns 0 with the resources in *rows and, if 'meta' is
 * not NULL, the first reply without its list in *meta (both: caller
 * frees), or a negative errno after printing why. */
int res_list_rows(struct cli *c, const struct res_type *t, const struct args *a,
                  const char *query, json_t **rows, json_t **meta);

/* The -F attributes of 'a' into 'fields' (room for ARGS_MAX_OPTIONS);
 * returns their number. */
size_t res_fields(const struct args *a, const char **fields);

/* Lists with the res_list_opts of 'a' plus the filters in 'query' (a
 * query string without '?', "" for none), following every "next" link. */
int res_cmd_list(struct cli *c, const struct res_type *t, const struct args *a,
                 const char *query);

/* PUTs {"<singular>": inner} to resource 'id' and prints the result;
 * takes ownership of 'inner'. */
int res_cmd_update(struct cli *c, const struct res_type *t, const char *id,
                   json_t *inner);

/* Deletes every positional argument of 'a' (names or ids); 'query' is
 * appended to each DELETE ("" for none).  Prints "Failed to delete N of M
 * <label>." and returns CLI_EXIT_FAIL if any failed. */
int res_cmd_delete(struct cli *c, const struct res_type *t,
                   const struct args *a, const char *query);

/* A JSON integer when 's' is decimal digits (with an optional '-') that
 * fit, else the string 's' (the server then names the bad value).
 * Caller frees. */
json_t *res_number(const char *s);

/* Appends "key=<escaped value>" to query string 'q' (with '&' when not
 * empty). */
void res_query_add(struct buf *q, const char *key, const char *value);

/* Sets "tenant_id" in 'inner' from --tenant-id/--project, if given. */
void res_set_project(json_t *inner, const struct args *a);

#endif
