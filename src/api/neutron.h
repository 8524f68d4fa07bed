/* Neutron v2.0 conventions over a resource table (api/resource.h):
 * validation of request bodies (envelopes, bulk, attributes, simple types,
 * tenant_id/project_id), list queries (fields, filters, sort, paging) and
 * what goes into responses (tenant_id, hidden attributes, fields, paging
 * links).  Knows no HTTP and no store I/O: api.c glues it to both.
 * neutron.c holds the request bodies and the attribute table helpers,
 * neutron_list.c the list queries and the responses.
 *
 * Every function that fails with a domain error fills 'err' with the exact
 * message Neutron gives and returns a negative errno (-EINVAL, or -ENOMEM
 * without 'err'). */
#ifndef L2GW_API_NEUTRON_H
#define L2GW_API_NEUTRON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/resource.h"
#include "store/store.h"

enum neutron_op { NEUTRON_CREATE, NEUTRON_UPDATE };

/* Limits. */
#define NEUTRON_MAX_BULK 1000       /* members in one bulk create */
#define NEUTRON_MAX_SORTS 16        /* sort_key/sort_dir pairs */
#define NEUTRON_MAX_FILTER_VALUES 10000 /* values over all filters */

/* Validates the body of a POST ('op' CREATE) or PUT ('op' UPDATE) to 'res'
 * for 'caller' (see resource.h for the checks and their order).  On success
 * '*out' is a new member object holding only declared attributes, with
 * simple types converted, and for a resource with a project both
 * "tenant_id" and "project_id" (the caller's project when none was given);
 * for a bulk create ('*bulk' true) it is an array of such objects.  Caller
 * frees '*out' with json_decref(). */
int neutron_parse_body(const struct api_resource *res, enum neutron_op op,
                       const char *body, size_t len,
                       const struct api_caller *caller, json_t **out,
                       bool *bulk, struct core_err *err);

/* Validates one member object 'member' (borrowed) like neutron_parse_body()
 * does each member.  '*out' as above.  Caller frees it. */
int neutron_check_member(const struct api_resource *res, enum neutron_op op,
                         const json_t *member, const struct api_caller *caller,
                         json_t **out, struct core_err *err);

/* A parsed list request: the store query and what rendering needs.  Points
 * into the resource table and into the query object it was parsed from
 * (both must outlive it). */
struct neutron_list {
    struct store_list_query q;
    struct store_col *cols;
    struct store_filter *filters;
    const char **values;          /* storage of every filter value */
    struct store_sort sorts[NEUTRON_MAX_SORTS];
    const json_t *fields;         /* the "fields" array, or NULL */
    long long limit;              /* 0: no paging */
    const char *marker;           /* NULL: none */
    bool page_reverse;
};

/* Parses 'query' (object: name → array of strings; NULL: none) into 'l'
 * for listing 'res' as 'caller' (a non-admin sees only its project's
 * rows).  Returns 0, or a negative errno with 'err' filled for bad sort or
 * limit parameters.  Free 'l' with neutron_list_destroy() in both cases. */
int neutron_list_parse(const struct api_resource *res, const json_t *query,
                       const struct api_caller *caller, struct neutron_list *l,
                       struct core_err *err);
void neutron_list_destroy(struct neutron_list *l);

/* Puts a row into its rendered form in place: "tenant_id" = "project_id"
 * for a resource with a project, hidden attributes removed. */
void neutron_render_row(const struct api_resource *res, json_t *row);

/* Keeps in object 'row' only the keys named in 'fields' (array of strings;
 * empty names ignored; NULL or no name: everything is kept). */
void neutron_apply_fields(json_t *row, const json_t *fields);

/* True if 'fields' names at least one field. */
bool neutron_has_fields(const json_t *fields);

/* Builds the "<collection>_links" array of a page: "next" when 'more' rows
 * exist beyond the page (forward paging) or a marker was given (backward);
 * "previous" likewise the other way round.  Hrefs are
 * 'base' (scheme://host/path) + '?' + the other query parameters, the new
 * marker (id of the last/first row of 'rows'), and page_reverse=True for
 * "previous".  Returns a new array, or NULL when there is no link (no
 * limit) or out of memory.  Caller frees. */
json_t *neutron_links(const struct neutron_list *l, const json_t *query,
                      const char *base, const json_t *rows, bool more);

/* The attribute 'name' of 'res', or NULL.  Borrowed from the table. */
const struct api_attr *neutron_find_attr(const struct api_resource *res,
                                         const char *name);

/* True if 'name' is "tenant_id" or "project_id" and 'res' has a project
 * (these two are handled by the framework, whatever the table says). */
bool neutron_is_project_key(const struct api_resource *res, const char *name);

/* The column holding the project of 'res': the column of its "project_id"
 * attribute if it declares one, else "project_id". */
const char *neutron_project_column(const struct api_resource *res);

/* Writes a short rendering of 'v' as Python's "%s" shows it ('abc' →
 * abc, true → True, null → None, [1, "a"] → [1, 'a']) into 'buf'
 * (truncated). */
void neutron_repr(const json_t *v, char *buf, size_t size);

#endif
