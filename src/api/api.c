/* The API: routes a request to the root documents or to a resource, runs
 * the generic flow of resource.h (auth, policy, method, body, hooks) and
 * renders the answer as JSON, serialised once. */
#include "api/api.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "api"
#include "api/auth.h"
#include "api/error.h"
#include "api/http.h"
#include "api/jsonout.h"
#include "api/neutron.h"
#include "api/resource.h"
#include "api/resources.h"
#include "core/core.h"
#include "lib/config.h"
#include "lib/jsonutil.h"
#include "lib/log.h"

#define API_VERSION "v2.0"
#define API_MAX_SEGMENTS 4          /* "/v2.0/<path>/<id>" at most */
#define API_MAX_ID 255              /* bytes of an id in a URL */
#define API_DEFAULT_MAX_BODY (1024 * 1024)
#define API_MAX_WHERE 1024            /* bytes of a list hook's condition */

#ifdef API_HAVE_RES_FDB
/* res_fdb.c: /v2.0/l2-fdb-entries (to be declared in resources.h too). */
extern const struct api_resource api_res_fdb;
#endif

/* The resources l2gwd serves; meson defines API_HAVE_RES_<X> for each
 * res_<x>.c present in the tree. */
static const struct api_resource *const default_resources[] = {
#ifdef API_HAVE_RES_GATEWAY
    &api_res_gateway,
#endif
#ifdef API_HAVE_RES_CONNECTION
    &api_res_connection,
#endif
#ifdef API_HAVE_RES_NETWORK
    &api_res_network,
#endif
#ifdef API_HAVE_RES_PORT
    &api_res_port,
#endif
#ifdef API_HAVE_RES_HOST
    &api_res_host,
#endif
#ifdef API_HAVE_RES_SWITCH
    &api_res_switch,
#endif
#ifdef API_HAVE_RES_LEARNED_MAC
    &api_res_learned_mac,
#endif
#ifdef API_HAVE_RES_REMOTE_GATEWAY
    &api_res_remote_gateway,
#endif
#ifdef API_HAVE_RES_REMOTE_CONNECTION
    &api_res_remote_connection,
#endif
#ifdef API_HAVE_RES_REMOTE_MAC
    &api_res_remote_mac,
#endif
#ifdef API_HAVE_RES_FDB
    &api_res_fdb,
#endif
    NULL,
};

/* An extension alias served when the resource at 'path' is. */
struct extension {
    const char *alias;
    const char *name;
    const char *description;
    const char *updated;
    const char *path;
};

static const struct extension extensions[] = {
    {"l2-gateway", "L2 Gateway",
     "Connects Neutron networks with external networks at layer 2.",
     "2015-01-01T00:00:00-00:00", "l2-gateways"},
    {"l2-gateway-connection", "L2 Gateway connection",
     "Connects Neutron networks with external networks at layer 2.",
     "2014-01-01T00:00:00-00:00", "l2-gateway-connections"},
    {"provider", "Provider Network",
     "Expose mapping of virtual networks to physical networks",
     "2012-09-07T10:00:00-00:00", "networks"},
    {"binding", "Port Binding",
     "Expose port bindings of a virtual port to external application",
     "2014-02-03T10:00:00-00:00", "ports"},
    {"l2-switches", "L2 Switches",
     "Registry of the VTEP switches l2gwd manages and of the MACs they "
     "learned.",
     "2026-01-01T00:00:00-00:00", "l2-switches"},
    /* networking-l2gw's border gateway extensions (border.md). */
    {"l2-remote-gateway", "L2 Remote Gateway",
     "Remote border gateways: the far ends of WAN tunnels.",
     "2015-12-31T00:00:00-00:00", "l2-remote-gateways"},
    {"l2-remote-gateway-connection", "L2 Remote Gateway Connection",
     "Connects a network, through a local gateway, to a remote gateway "
     "with a WAN segmentation id.",
     "2015-12-31T00:00:00-00:00", "l2-remote-gateway-connections"},
    {"l2-remote-mac", "L2 Remote MAC",
     "Hosts reachable through a remote gateway connection.",
     "2015-12-31T00:00:00-00:00", "l2-remote-macs"},
};

struct api {
    struct core *core;
    const struct config *cfg;
    const struct api_resource *const *resources;
    size_t n_resources;
    struct auth *auth;
    struct http_server *http;
};

enum route_kind {
    ROUTE_NONE,        /* 404 */
    ROUTE_ROOT,        /* / */
    ROUTE_VERSION,     /* /v2.0 */
    ROUTE_EXTENSIONS,  /* /v2.0/extensions */
    ROUTE_EXTENSION,   /* /v2.0/extensions/<alias> */
    ROUTE_COLLECTION,  /* /v2.0/<path> */
    ROUTE_MEMBER,      /* /v2.0/<path>/<id> */
    ROUTE_SUBROUTE,    /* /v2.0/<path>/<id>/<segment> (resource.h) */
};

struct route {
    enum route_kind kind;
    const struct api_resource *res;
    const struct api_subroute *sub;  /* ROUTE_SUBROUTE */
    char id[API_MAX_ID + 1];      /* member id or extension alias */
};

/* One request on its way through the flow. */
struct request {
    struct api *api;
    const struct http_request *http;
    struct http_response *resp;
    struct route route;
    struct api_caller caller;
    struct api_ctx ctx;
    struct core_err err;
};

/* ---- routing ---- */

static const struct api_resource *
find_resource(const struct api *api, const char *path, size_t len)
{
    for (size_t i = 0; i < api->n_resources; i++) {
        const char *p = api->resources[i]->path;
        if (strlen(p) == len && !memcmp(p, path, len)) {
            return api->resources[i];
        }
    }
    return NULL;
}

/* Splits 'path' (after its leading '/') into at most API_MAX_SEGMENTS
 * segments; a trailing '/' is allowed; ".json" is dropped from the last
 * segment.  Returns the number of segments, or -1 for a malformed path
 * (empty segment, too many, too long). */
static int
split_path(const char *path, const char *seg[], size_t len[])
{
    int n = 0;
    const char *p = path + 1;

    while (*p) {
        size_t l = strcspn(p, "/");
        if (!l || n == API_MAX_SEGMENTS || l > API_MAX_ID) {
            return -1;
        }
        seg[n] = p;
        len[n++] = l;
        p += l;
        p += *p == '/';
    }
    if (n && len[n - 1] > 5 && !memcmp(seg[n - 1] + len[n - 1] - 5, ".json",
                                       5)) {
        len[n - 1] -= 5;
    }
    return n;
}

static bool
seg_is(const char *seg, size_t len, const char *s)
{
    return strlen(s) == len && !memcmp(seg, s, len);
}

static const struct api_subroute *
find_subroute(const struct api_resource *res, const char *seg, size_t len)
{
    for (size_t i = 0; res && i < res->n_subroutes; i++) {
        if (seg_is(seg, len, res->subroutes[i].segment)) {
            return &res->subroutes[i];
        }
    }
    return NULL;
}

static void
route_path(const struct api *api, const char *path, struct route *r)
{
    const char *seg[API_MAX_SEGMENTS];
    size_t len[API_MAX_SEGMENTS];
    int n = path[0] == '/' ? split_path(path, seg, len) : -1;

    memset(r, 0, sizeof *r);
    if (n == 0) {
        r->kind = ROUTE_ROOT;
        return;
    }
    if (n < 0 || !seg_is(seg[0], len[0], API_VERSION)) {
        return;
    }
    if (n == 1) {
        r->kind = ROUTE_VERSION;
    } else if (seg_is(seg[1], len[1], "extensions")) {
        r->kind = n == 2 ? ROUTE_EXTENSIONS
                         : n == 3 ? ROUTE_EXTENSION : ROUTE_NONE;
    } else if ((r->res = find_resource(api, seg[1], len[1]))) {
        r->sub = n == 4 ? find_subroute(r->res, seg[3], len[3]) : NULL;
        r->kind = n == 2   ? ROUTE_COLLECTION
                  : n == 3 ? ROUTE_MEMBER
                  : r->sub ? ROUTE_SUBROUTE
                           : ROUTE_NONE;
    }
    if (n >= 3 && r->kind != ROUTE_NONE) {
        memcpy(r->id, seg[2], len[2]);
        r->id[len[2]] = '\0';
    }
}

/* ---- responses ---- */

/* Sets 'resp' to 'status' with 'body' serialised (takes ownership of
 * 'body'; NULL: no body). */
static void
respond_json(struct http_response *resp, int status, json_t *body)
{
    resp->status = status;
    resp->body = NULL;
    resp->body_len = 0;
    if (body) {
        resp->body = jsonout_dump(body, &resp->body_len);
        json_decref(body);
        if (!resp->body) {
            log_err("cannot serialise a response");
            resp->status = 500;
        }
    }
}

static void
respond_error_type(struct http_response *resp, int status, const char *type,
                   const char *msg)
{
    respond_json(resp, status, api_error_body(type, msg));
}

/* Answers the domain error 'code' with 'msg' (NULL or "": the table's). */
static void
respond_error(struct http_response *resp, enum core_error code,
              const char *msg)
{
    respond_error_type(resp, api_error_status(code), api_error_type(code),
                       msg && *msg ? msg : api_error_default_message(code));
}

static void
respond_fmt(struct http_response *resp, enum core_error code,
            const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
respond_fmt(struct http_response *resp, enum core_error code,
            const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    respond_error(resp, code, msg);
}

static void
respond_not_found(struct request *rq, const char *id)
{
    const struct api_resource *res = rq->route.res;
    enum core_error code = res->not_found ? res->not_found : CE_NOT_FOUND;
    char msg[512];

    if (res->not_found_fmt) {
        snprintf(msg, sizeof msg, res->not_found_fmt, id);
    } else {
        snprintf(msg, sizeof msg, "The resource could not be found.");
    }
    respond_error(rq->resp, code, msg);
}

/* Answers a failed hook or core call: its domain error, a not-found of
 * 'id' for -ENOENT, anything else 500 (logged). */
static void
respond_failure(struct request *rq, int rc, const char *id)
{
    if (rq->err.code != CE_NONE) {
        respond_error(rq->resp, rq->err.code, rq->err.msg);
    } else if (rc == -ENOENT && id) {
        respond_not_found(rq, id);
    } else {
        static struct log_rl rl = LOG_RL_INIT(20, 60 * 1000);
        log_err_rl(&rl, "%s %s failed: %s", rq->http->method, rq->http->path,
                   rc == -ENOENT ? "not found" : strerror(rc < 0 ? -rc : EIO));
        respond_error(rq->resp, CE_INTERNAL, NULL);
    }
}

/* ---- root documents ---- */

/* Writes "http://<host>" for links: the Host header, else the address the
 * API listens on. */
static void
host_url(const struct request *rq, char *buf, size_t size)
{
    const char *host = http_request_header(rq->http, "Host");
    const struct config *cfg = rq->api->cfg;

    if (host && *host) {
        snprintf(buf, size, "http://%s", host);
    } else if (cfg->bind_host && strchr(cfg->bind_host, ':')) {
        snprintf(buf, size, "http://[%s]:%d", cfg->bind_host,
                 api_port(rq->api));
    } else {
        snprintf(buf, size, "http://%s:%d",
                 cfg->bind_host ? cfg->bind_host : "127.0.0.1",
                 api_port(rq->api));
    }
}

static json_t *
self_link(const char *href)
{
    return json_pack("[{s:s, s:s}]", "href", href, "rel", "self");
}

static void
serve_root(struct request *rq)
{
    char base[512], href[600];

    host_url(rq, base, sizeof base);
    snprintf(href, sizeof href, "%s/" API_VERSION "/", base);
    respond_json(rq->resp, 200,
                 json_pack("{s:[{s:s, s:s, s:o}]}", "versions", "id",
                           API_VERSION, "status", "CURRENT", "links",
                           self_link(href)));
}

static void
serve_version(struct request *rq)
{
    char base[512], href[600];
    json_t *list = json_array();

    host_url(rq, base, sizeof base);
    for (size_t i = 0; list && i < rq->api->n_resources; i++) {
        const struct api_resource *res = rq->api->resources[i];
        snprintf(href, sizeof href, "%s/" API_VERSION "/%s", base, res->path);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "name",
                                              res->member, "collection",
                                              res->path, "links",
                                              self_link(href)));
    }
    respond_json(rq->resp, 200, json_pack("{s:o}", "resources", list));
}

static bool
extension_served(const struct api *api, const struct extension *ext)
{
    return find_resource(api, ext->path, strlen(ext->path)) != NULL;
}

static json_t *
extension_json(const struct extension *ext)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:[]}", "name", ext->name,
                     "alias", ext->alias, "description", ext->description,
                     "updated", ext->updated, "links");
}

static void
serve_extensions(struct request *rq)
{
    json_t *list = json_array();

    for (size_t i = 0; list && i < sizeof extensions / sizeof *extensions;
         i++) {
        if (extension_served(rq->api, &extensions[i])) {
            json_array_append_new(list, extension_json(&extensions[i]));
        }
    }
    respond_json(rq->resp, 200, json_pack("{s:o}", "extensions", list));
}

static void
serve_extension(struct request *rq)
{
    for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
        const struct extension *ext = &extensions[i];
        if (!strcmp(ext->alias, rq->route.id)
            && extension_served(rq->api, ext)) {
            respond_json(rq->resp, 200, json_pack("{s:o}", "extension",
                                                  extension_json(ext)));
            return;
        }
    }
    respond_fmt(rq->resp, CE_EXTENSION_NOT_FOUND,
                "Extension with alias %s does not exist", rq->route.id);
}

/* ---- resources ---- */

/* Renders every row of array 'rows' and applies 'fields'. */
static void
render_rows(const struct api_resource *res, json_t *rows,
            const json_t *fields)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        neutron_render_row(res, row);
        neutron_apply_fields(row, fields);
    }
}

/* Runs the decorate hook (if any) over 'rows'. */
static int
decorate(struct request *rq, json_t *rows)
{
    const struct api_resource *res = rq->route.res;

    return res->decorate ? res->decorate(&rq->ctx, rows, &rq->err) : 0;
}

/* "http://host/path" of this request, for paging links. */
static void
request_url(const struct request *rq, char *buf, size_t size)
{
    char base[512];

    host_url(rq, base, sizeof base);
    snprintf(buf, size, "%s%s", base, rq->http->path);
}

/* Answers {"<collection>": rows, "<collection>_links": [...]} and the
 * keys of 'extra' (NULL: none; borrowed). */
static void
respond_list(struct request *rq, const struct neutron_list *l, json_t *rows,
             bool more, json_t *extra)
{
    const struct api_resource *res = rq->route.res;
    char url[2048], key[256];

    request_url(rq, url, sizeof url);
    json_t *links = neutron_links(l, rq->http->query, url, rows, more);
    render_rows(res, rows, l->fields);
    json_t *body = json_object();
    json_object_set_new(body, res->collection, rows);
    if (links) {
        snprintf(key, sizeof key, "%s_links", res->collection);
        json_object_set_new(body, key, links);
    }
    if (extra) {
        json_object_update(body, extra);
    }
    respond_json(rq->resp, 200, body);
}

/* Runs the list hook of the resource, if any: its condition goes into
 * 'l' ('where' holds it) and its keys into the new object '*extra'. */
static int
list_hook(struct request *rq, struct neutron_list *l, char *where,
          size_t size, json_t **extra)
{
    const struct api_resource *res = rq->route.res;

    *extra = NULL;
    where[0] = '\0';
    if (!res->list_hook) {
        return 0;
    }
    *extra = json_object();
    if (!*extra) {
        return -ENOMEM;
    }
    int rc = res->list_hook(&rq->ctx, rq->http->query, where, size, *extra,
                            &rq->err);
    if (!rc && where[0]) {
        l->q.where = where;
    }
    return rc;
}

static void
do_list(struct request *rq)
{
    const struct api_resource *res = rq->route.res;
    char where[API_MAX_WHERE];
    struct neutron_list l;
    json_t *rows = NULL, *extra = NULL;
    bool more = false;

    int rc = neutron_list_parse(res, rq->http->query, &rq->caller, &l,
                                &rq->err);
    if (!rc) {
        rc = list_hook(rq, &l, where, sizeof where, &extra);
    }
    if (!rc) {
        rc = core_list(rq->api->core, &l.q, &rows, &more, &rq->err);
    }
    if (!rc) {
        rc = decorate(rq, rows);
    }
    if (rc) {
        json_decref(rows);
        /* An unknown marker is the resource's not-found, as in Neutron. */
        respond_failure(rq, rc, l.marker);
    } else {
        respond_list(rq, &l, rows, more, extra);
    }
    json_decref(extra);
    neutron_list_destroy(&l);
}

/* Reads the member 'id' as the generic show does (the show hook, or the
 * store through the resource table), without decoration.  Returns 0 with
 * '*row' set (caller frees), -ENOENT, or another negative errno with
 * rq->err possibly filled.  A non-admin sees only rows of its project. */
static int
fetch(struct request *rq, const char *id, json_t **row)
{
    const struct api_resource *res = rq->route.res;
    int rc;

    *row = NULL;
    if (res->show) {
        rc = res->show(&rq->ctx, id, row, &rq->err);
    } else {
        struct neutron_list l;
        rc = neutron_list_parse(res, NULL, &rq->caller, &l, &rq->err);
        if (!rc) {
            rc = core_show(rq->api->core, &l.q, id, row, &rq->err);
        }
        neutron_list_destroy(&l);
    }
    if (!rc && res->has_project && !rq->caller.is_admin) {
        const char *project = json_string_value(
            json_object_get(*row, "project_id"));
        if (!project || strcmp(project, rq->caller.project_id)) {
            json_decref(*row);
            *row = NULL;
            rc = -ENOENT;
        }
    }
    return rc;
}

static void
do_show(struct request *rq)
{
    const struct api_resource *res = rq->route.res;
    const char *id = rq->route.id;
    json_t *row, *rows = NULL;

    int rc = fetch(rq, id, &row);
    if (!rc) {
        rows = json_pack("[o]", row);
        rc = rows ? decorate(rq, rows) : -ENOMEM;
    }
    if (rc) {
        json_decref(rows);
        respond_failure(rq, rc, id);
        return;
    }
    render_rows(res, rows, json_object_get(rq->http->query, "fields"));
    respond_json(rq->resp, 200, json_pack("{s:O}", res->member,
                                          json_array_get(rows, 0)));
    json_decref(rows);
}

/* Before a non-admin changes a member of a resource with a project: it must
 * exist and be the caller's (404 otherwise, as Neutron hides others'
 * resources).  Returns 0, or a negative errno after answering. */
static int
check_owner(struct request *rq)
{
    json_t *row;
    int rc;

    if (!rq->route.res->has_project || rq->caller.is_admin) {
        return 0;
    }
    rc = fetch(rq, rq->route.id, &row);
    json_decref(row);
    if (rc) {
        respond_failure(rq, rc, rq->route.id);
    }
    return rc;
}

/* Answers {"<member>": out} or, for a bulk create, {"<collection>": out}.
 * Takes ownership of 'out'. */
static void
respond_member(struct request *rq, int status, json_t *out, bool bulk)
{
    const struct api_resource *res = rq->route.res;

    if (bulk) {
        render_rows(res, out, NULL);
    } else {
        neutron_render_row(res, out);
    }
    respond_json(rq->resp, status, json_pack("{s:o}", bulk ? res->collection
                                                           : res->member,
                                             out));
}

static void
do_create(struct request *rq)
{
    const struct api_resource *res = rq->route.res;
    const struct http_request *h = rq->http;
    json_t *attrs = NULL, *out = NULL;
    bool bulk;

    int rc = neutron_parse_body(res, NEUTRON_CREATE, h->body, h->body_len,
                                &rq->caller, &attrs, &bulk, &rq->err);
    if (!rc) {
        rc = bulk ? res->create_bulk(&rq->ctx, attrs, &out, &rq->err)
                  : res->create(&rq->ctx, attrs, &out, &rq->err);
    }
    json_decref(attrs);
    if (!rc && !out) {
        rc = -EIO;      /* a hook that answers nothing */
    }
    if (rc) {
        json_decref(out);
        respond_failure(rq, rc, NULL);
        return;
    }
    respond_member(rq, 201, out, bulk);
}

static void
do_update(struct request *rq)
{
    const struct api_resource *res = rq->route.res;
    const struct http_request *h = rq->http;
    json_t *attrs = NULL, *out = NULL;
    bool bulk;

    int rc = neutron_parse_body(res, NEUTRON_UPDATE, h->body, h->body_len,
                                &rq->caller, &attrs, &bulk, &rq->err);
    if (rc) {
        respond_failure(rq, rc, NULL);
        return;
    }
    if (check_owner(rq)) {
        json_decref(attrs);
        return;
    }
    rc = res->update(&rq->ctx, rq->route.id, attrs, &out, &rq->err);
    json_decref(attrs);
    if (!rc && !out) {
        rc = -EIO;
    }
    if (rc) {
        json_decref(out);
        respond_failure(rq, rc, rq->route.id);
        return;
    }
    respond_member(rq, 200, out, false);
}

static void
do_delete(struct request *rq)
{
    const struct api_resource *res = rq->route.res;

    if (check_owner(rq)) {
        return;
    }
    int rc = res->remove(&rq->ctx, rq->route.id, rq->http->query, &rq->err);
    if (rc) {
        respond_failure(rq, rc, rq->route.id);
        return;
    }
    respond_json(rq->resp, 204, NULL);
}

/* POST /v2.0/<path>/<id>/<segment>: the body as a JSON object, then the
 * subroute's hook, which answers the whole body. */
static void
do_subroute(struct request *rq)
{
    const struct http_request *h = rq->http;
    json_t *doc = h->body_len ? ju_parse(h->body, h->body_len, NULL) : NULL;
    json_t *out = NULL;
    int rc;

    if (!h->body_len || (json_is_object(doc) && !json_object_size(doc))) {
        rc = core_fail(&rq->err, CE_BAD_REQUEST, "Resource body required");
    } else if (!json_is_object(doc)) {
        rc = core_fail(&rq->err, CE_BAD_REQUEST, "Body contains invalid data");
    } else {
        rc = rq->route.sub->post(&rq->ctx, rq->route.id, doc, &out, &rq->err);
    }
    json_decref(doc);
    if (!rc && !out) {
        rc = -EIO;
    }
    if (rc) {
        json_decref(out);
        respond_failure(rq, rc, NULL);
        return;
    }
    respond_json(rq->resp, 201, out);
}

/* ---- dispatch ---- */

enum method { M_GET, M_POST, M_PUT, M_DELETE, M_OTHER };

static enum method
parse_method(const char *m)
{
    return !strcmp(m, "GET")      ? M_GET
           : !strcmp(m, "POST")   ? M_POST
           : !strcmp(m, "PUT")    ? M_PUT
           : !strcmp(m, "DELETE") ? M_DELETE
                                  : M_OTHER;
}

static void
respond_method_not_allowed(struct request *rq)
{
    respond_fmt(rq->resp, CE_METHOD_NOT_ALLOWED,
                "The method %s is not allowed for this resource.",
                rq->http->method);
}

/* The operation 'm' asks of the route, or NULL when the resource has no
 * hook for it (405). */
typedef void operation(struct request *rq);

static operation *
pick_operation(const struct request *rq, enum method m)
{
    const struct api_resource *res = rq->route.res;

    if (rq->route.kind == ROUTE_SUBROUTE) {
        return m == M_POST ? do_subroute : NULL;
    }
    if (rq->route.kind == ROUTE_COLLECTION) {
        return m == M_GET                   ? do_list
               : m == M_POST && res->create ? do_create
                                            : NULL;
    }
    return m == M_GET                     ? do_show
           : m == M_PUT && res->update    ? do_update
           : m == M_DELETE && res->remove ? do_delete
                                          : NULL;
}

static const char *
policy_action(enum method m)
{
    static const char *const names[] = {
        [M_GET] = "GET", [M_POST] = "CREATE", [M_PUT] = "UPDATE",
        [M_DELETE] = "DELETE", [M_OTHER] = "GET",
    };
    return names[m];
}

/* The resource flow after authentication: policy, method, body size, the
 * operation. */
static void
serve_resource(struct request *rq)
{
    const struct api_resource *res = rq->route.res;
    enum method m = parse_method(rq->http->method);

    if (m == M_OTHER) {
        respond_method_not_allowed(rq);
        return;
    }
    if (res->admin_only && !rq->caller.is_admin) {
        respond_fmt(rq->resp, CE_ADMIN_REQUIRED,
                    "User does not have admin privileges: Cannot %s "
                    "resource for non admin tenant.", policy_action(m));
        return;
    }
    operation *op = pick_operation(rq, m);
    if (!op) {
        respond_method_not_allowed(rq);
    } else if (rq->http->body_too_large) {
        respond_fmt(rq->resp, CE_TOO_LARGE,
                    "Request body is larger than %lld bytes",
                    api_body_limit(rq->api, rq->http->method, rq->http->path));
    } else {
        op(rq);
    }
}

/* Documents that answer GET only. */
static void
serve_document(struct request *rq, operation *op)
{
    if (parse_method(rq->http->method) != M_GET) {
        respond_method_not_allowed(rq);
    } else {
        op(rq);
    }
}

static void
route_request(struct request *rq)
{
    switch (rq->route.kind) {
    case ROUTE_VERSION:
        serve_document(rq, serve_version);
        break;
    case ROUTE_EXTENSIONS:
        serve_document(rq, serve_extensions);
        break;
    case ROUTE_EXTENSION:
        serve_document(rq, serve_extension);
        break;
    case ROUTE_COLLECTION:
    case ROUTE_MEMBER:
    case ROUTE_SUBROUTE:
        serve_resource(rq);
        break;
    default:
        respond_error(rq->resp, CE_NOT_FOUND, NULL);
        break;
    }
}

void
api_handle(struct api *api, const struct http_request *req,
           struct http_response *resp)
{
    struct request rq = {.api = api, .http = req, .resp = resp};

    rq.ctx = (struct api_ctx){api->core, &rq.caller};
    route_path(api, req->path, &rq.route);
    if (rq.route.kind == ROUTE_ROOT) {
        serve_document(&rq, serve_root);
    } else if (rq.route.kind == ROUTE_NONE) {
        respond_error(resp, CE_NOT_FOUND, NULL);
    } else if (auth_identify(api->auth, req, &rq.caller, &rq.err)) {
        respond_error(resp, rq.err.code, rq.err.msg);
    } else {
        route_request(&rq);
    }
    log_dbg("%s %s -> %d", req->method, req->path, resp->status);
}

long long
api_body_limit(struct api *api, const char *method, const char *path)
{
    struct route r;
    long long limit = api->cfg->api_max_body_bytes;

    route_path(api, path, &r);
    if (r.sub && r.sub->max_body_bytes > 0) {
        return r.sub->max_body_bytes;
    }
    if (!r.sub && r.res && r.res->max_body_bytes > 0) {
        return r.res->max_body_bytes;
    }
    return limit > 0 ? limit : API_DEFAULT_MAX_BODY;
}

/* ---- life cycle ---- */

int
api_create_with(struct core *core, const struct config *cfg,
                const struct api_resource *const *resources, size_t n,
                struct api **out)
{
    struct api *api = calloc(1, sizeof *api);

    if (!api) {
        return -ENOMEM;
    }
    api->core = core;
    api->cfg = cfg;
    api->resources = resources;
    api->n_resources = n;
    int rc = auth_create(cfg, &api->auth);
    if (rc) {
        free(api);
        return rc;
    }
    *out = api;
    return 0;
}

int
api_check_config(const struct config *cfg)
{
    struct auth *a;
    int rc = auth_create(cfg, &a);

    auth_destroy(rc ? NULL : a);
    return rc;
}

int
api_create(struct core *core, const struct config *cfg, struct api **out)
{
    size_t n = sizeof default_resources / sizeof *default_resources - 1;

    return api_create_with(core, cfg, default_resources, n, out);
}

void
api_destroy(struct api *api)
{
    if (api) {
        http_server_destroy(api->http);
        auth_destroy(api->auth);
        free(api);
    }
}

static void
http_handle(void *aux, const struct http_request *req,
            struct http_response *resp)
{
    api_handle(aux, req, resp);
}

static long long
http_limit(void *aux, const char *method, const char *path)
{
    return api_body_limit(aux, method, path);
}

int
api_listen(struct api *api)
{
    struct http_server_options opts = {
        .host = api->cfg->bind_host,
        .port = api->cfg->bind_port,
        .handler = http_handle,
        .body_limit = http_limit,
        .aux = api,
    };
    return api->http ? -EALREADY : http_server_create(&opts, &api->http);
}

int
api_port(const struct api *api)
{
    return api->http ? http_server_port(api->http) : 0;
}

void
api_run(struct api *api)
{
    if (api->http) {
        http_server_run(api->http);
    }
}

void
api_wait(struct api *api)
{
    if (api->http) {
        http_server_wait(api->http);
    }
}
