/* A REST resource under /v2.0, described by a table (as Neutron's
 * RESOURCE_ATTRIBUTE_MAP) plus hooks into core.
 *
 * The framework (api.c, neutron.c) does everything generic, in this order:
 * route → auth → policy (admin_only: 403 AdminRequired before any lookup)
 * → method allowed (405) → body: size (413), JSON (400), envelope (400),
 * bulk forms, unknown attributes (400 "Unrecognized attribute(s) 'a, b'"),
 * 'id' in POST, read-only attributes in PUT, required attributes on POST,
 * declared simple types, tenant_id/project_id (default: caller's project;
 * both and different → 400) → the hook.  For GET it parses fields, filters,
 * sort_key/sort_dir, limit/marker/page_reverse, runs the list through
 * core_list() (or the 'list' hook), calls 'decorate', applies 'fields', and
 * adds <collection>_links.
 *
 * Hooks receive the member object with only declared attributes present
 * (defaults are NOT filled in by the framework: hooks apply api.md's
 * defaults) and return the object to render, shaped as api.md shows it
 * (all attributes). */
#ifndef L2GW_API_RESOURCE_H
#define L2GW_API_RESOURCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "store/store.h"

enum api_type {
    API_T_ANY,      /* checked by the hook */
    API_T_STRING,   /* JSON string (null rejected unless API_A_NULL) */
    API_T_UUID,     /* JSON string holding a UUID (normalised to lower case) */
    API_T_INT,      /* JSON integer or a numeric string → JSON integer */
    API_T_BOOL,     /* JSON boolean or "true"/"false" any case → JSON boolean */
};

#define API_A_POST     0x01u  /* may be given in POST */
#define API_A_PUT      0x02u  /* may be given in PUT */
#define API_A_REQUIRED 0x04u  /* must be given in POST */
#define API_A_NULL     0x08u  /* JSON null accepted */
#define API_A_HIDDEN   0x10u  /* accepted on input, never rendered */

struct api_attr {
    const char *name;          /* as in api.md, e.g. "provider:segmentation_id" */
    unsigned flags;
    enum api_type type;
    /* Plain column: filterable and sortable.  NULL for computed/nested
     * attributes (filters on them are ignored, sort_key on them is 400). */
    const char *column;
    enum store_type col_type;
};

/* Identity of the caller, filled by the auth layer. */
struct api_caller {
    char project_id[128];
    bool is_admin;
};

struct api_ctx {
    struct core *core;
    const struct api_caller *caller;
};

/* An action under a member: POST /v2.0/<path>/<id>/<segment> (e.g. the
 * border spec's /l2-remote-gateway-connections/<id>/remote-macs).  The
 * framework routes it like the member (auth, the parent's admin policy),
 * allows POST only (405), enforces the body size (413) and parses the body
 * as a non-empty JSON object (400); the hook checks everything else.  On
 * success '*out' is the whole response body (caller frees), answered 201. */
struct api_subroute {
    const char *segment;       /* URL segment after the id: "remote-macs" */
    long long max_body_bytes;  /* 0: [DEFAULT] api_max_body_bytes */
    int (*post)(struct api_ctx *ctx, const char *parent_id, json_t *body,
                json_t **out, struct core_err *err);
};

struct api_resource {
    const char *path;          /* URL segment: "l2-gateways" */
    const char *member;        /* body key: "l2_gateway" */
    const char *collection;    /* body key: "l2_gateways" */
    const char *table;         /* FROM clause for generic list/show */
    const struct api_attr *attrs;
    size_t n_attrs;
    bool admin_only;
    bool has_project;          /* carries tenant_id/project_id */
    bool allow_bulk;           /* POST {"<collection>": [...]} */
    long long max_body_bytes;  /* 0: [DEFAULT] api_max_body_bytes */
    size_t max_bulk;           /* members of one bulk create; 0: NEUTRON_MAX_BULK */
    /* Error for an unknown id on show/update/delete, with a printf format
     * taking the id, e.g. "L2 Gateway %s could not be found". */
    enum core_error not_found;
    const char *not_found_fmt;

    /* Hooks; NULL create/update/remove → 405 for that method.  'attrs' is
     * owned by the framework.  Return 0 with '*out' set (caller frees), or a
     * negative errno with 'err' filled for domain errors. */
    int (*create)(struct api_ctx *ctx, json_t *attrs, json_t **out,
                  struct core_err *err);
    /* Bulk create, all or nothing: 'items' is an array of member objects,
     * each checked like 'attrs' above.  '*out' is the array of results. */
    int (*create_bulk)(struct api_ctx *ctx, json_t *items, json_t **out,
                       struct core_err *err);
    int (*update)(struct api_ctx *ctx, const char *id, json_t *attrs,
                  json_t **out, struct core_err *err);
    /* 'query' holds the URL's query parameters: an object of name → array
     * of strings (e.g. DELETE /v2.0/l2-switches/<id>?cleanup=true). */
    int (*remove)(struct api_ctx *ctx, const char *id, const json_t *query,
                  struct core_err *err);
    /* Optional: adds computed/nested attributes to each row of 'rows' (a
     * JSON array of objects from the generic list/show), renames or
     * converts values for display.  Called before 'fields' is applied. */
    int (*decorate)(struct api_ctx *ctx, json_t *rows, struct core_err *err);
    /* Optional: replaces the generic show (e.g. a resource that is not a
     * plain table).  Return -ENOENT for not found (framework renders it). */
    int (*show)(struct api_ctx *ctx, const char *id, json_t **out,
                struct core_err *err);
    /* Optional: called before a list runs ('query' as for 'remove').  May
     * write an extra SQL condition without parameters into 'where' ('size'
     * bytes; left "" for none), which is ANDed with the filters, and add
     * top-level keys of the list response to the object 'extra' (e.g.
     * "revision").  Errors as for the other hooks. */
    int (*list_hook)(struct api_ctx *ctx, const json_t *query, char *where,
                     size_t size, json_t *extra, struct core_err *err);
    /* Optional actions under a member (see struct api_subroute). */
    const struct api_subroute *subroutes;
    size_t n_subroutes;
};

#endif
