/* The whole HTTP path of the API: a server on port 0 (driven by the loop in
 * a thread), a plain socket client, and a fake resource over the 'hosts'
 * table of a real SQLite store.  Covers keep-alive, 404, 405, 413, bad
 * bodies, CRUD with the generic list/show, paging links, policy and
 * project scoping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/resource.h"
#include "core/core.h"
#include "lib/config.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/uuid.h"
#include "store/store.h"

/* ---- the fake resource: "gateways" stored in the hosts table ---- */

static const struct api_attr gw_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", API_A_POST | API_A_PUT | API_A_REQUIRED, API_T_STRING, "name",
     STORE_TEXT},
    {"tunnel_ip", API_A_POST | API_A_NULL, API_T_STRING, "tunnel_ip",
     STORE_TEXT},
    {"extra", API_A_POST, API_T_ANY, NULL, STORE_TEXT},
};

static json_t *
row_json(const char *id, const char *name, const char *ip,
         const char *project)
{
    return json_pack("{s:s, s:s, s:s?, s:s}", "id", id, "name", name,
                     "tunnel_ip", ip, "project_id", project);
}

static int
gw_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
          struct core_err *err)
{
    char id[UUID_STRLEN + 1];
    const char *name = json_string_value(json_object_get(attrs, "name"));
    const char *ip = json_string_value(json_object_get(attrs, "tunnel_ip"));
    const char *project = json_string_value(json_object_get(attrs,
                                                            "project_id"));

    if (!strcmp(name, "boom")) {
        return -EIO;
    }
    uuid_generate(id);
    const char *params[] = {id, project, name, ip};
    int rc = store_run(core_store(ctx->core),
                       "INSERT INTO hosts (id, project_id, name, tunnel_ip, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'x')",
                       params, 4);
    if (rc == -EEXIST) {
        return core_fail(err, CE_CONFLICT, "Name %s is taken", name);
    }
    if (rc < 0) {
        return rc;
    }
    *out = row_json(id, name, ip, project);
    return 0;
}

static int
gw_create_bulk(struct api_ctx *ctx, json_t *items, json_t **out,
               struct core_err *err)
{
    size_t i;
    json_t *item, *one;

    *out = json_array();
    json_array_foreach(items, i, item) {
        int rc = gw_create(ctx, item, &one, err);
        if (rc) {
            json_decref(*out);
            *out = NULL;
            return rc;
        }
        json_array_append_new(*out, one);
    }
    return 0;
}

static int
gw_update(struct api_ctx *ctx, const char *id, json_t *attrs, json_t **out,
          struct core_err *err)
{
    const char *name = json_string_value(json_object_get(attrs, "name"));
    const char *params[] = {name, id};
    int rc = store_run(core_store(ctx->core),
                       "UPDATE hosts SET name = coalesce(?, name) WHERE id = ?",
                       params, 2);
    if (rc <= 0) {
        return rc ? rc : -ENOENT;
    }
    *out = row_json(id, name ? name : "", NULL, "admin");
    return 0;
}

static int
gw_remove(struct api_ctx *ctx, const char *id, const json_t *query,
          struct core_err *err)
{
    const char *params[] = {id};
    int rc = store_run(core_store(ctx->core), "DELETE FROM hosts WHERE id = ?",
                       params, 1);
    return rc < 0 ? rc : rc ? 0 : -ENOENT;
}

/* Adds "devices": [] to every row, as a real decorate hook would. */
static int
gw_decorate(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        json_object_set_new(row, "devices", json_array());
    }
    return 0;
}

/* Hides gateways named "hidden" and adds "revision": 7 to lists;
 * ?gone=1 fails with 410. */
static int
gw_list_hook(struct api_ctx *ctx, const json_t *query, char *where,
             size_t size, json_t *extra, struct core_err *err)
{
    if (json_object_get(query, "gone")) {
        return core_fail(err, CE_GONE, "Revision too old");
    }
    snprintf(where, size, "name <> 'hidden'");
    json_object_set_new(extra, "revision", json_integer(7));
    return 0;
}

/* Path "l2-gateways" so that the l2-gateway extension is served. */
static const struct api_resource fake_gateway = {
    .path = "l2-gateways",
    .member = "l2_gateway",
    .collection = "l2_gateways",
    .table = "hosts",
    .attrs = gw_attrs,
    .n_attrs = sizeof gw_attrs / sizeof *gw_attrs,
    .has_project = true,
    .allow_bulk = true,
    .max_body_bytes = 2048,
    .not_found = CE_GATEWAY_NOT_FOUND,
    .not_found_fmt = "L2 Gateway %s could not be found",
    .create = gw_create,
    .create_bulk = gw_create_bulk,
    .update = gw_update,
    .remove = gw_remove,
    .decorate = gw_decorate,
    .list_hook = gw_list_hook,
};

/* The same table, admin only, read only. */
static const struct api_resource fake_secret = {
    .path = "secrets",
    .member = "secret",
    .collection = "secrets",
    .table = "hosts",
    .attrs = gw_attrs,
    .n_attrs = sizeof gw_attrs / sizeof *gw_attrs,
    .admin_only = true,
    .has_project = true,
    .not_found = CE_HOST_NOT_FOUND,
    .not_found_fmt = "Secret %s could not be found",
    .create = gw_create,
};

static const struct api_resource *const fake_resources[] = {
    &fake_gateway, &fake_secret,
};

/* ---- the server, in a thread ---- */

static struct config cfg;
static struct store *st;
static struct core *core;
static struct api *api;
static pthread_t server_thread;
static atomic_bool server_stop;
static int port;

static void *
server_main(void *arg)
{
    while (!atomic_load(&server_stop)) {
        api_run(api);
        api_wait(api);
        loop_timer_wait(20);
        loop_block();
    }
    return NULL;
}

static int
setup(void **state)
{
    int version;

    log_set_level(LOG_LEVEL_ERR);
    config_init(&cfg);
    free(cfg.bind_host);
    cfg.bind_host = strdup("127.0.0.1");
    cfg.bind_port = 0;
    assert_int_equal(store_open("sqlite://:memory:", &st), 0);
    assert_int_equal(store_migrate(st, &version), 0);
    assert_int_equal(core_create(st, &cfg, &core), 0);
    assert_int_equal(api_create_with(core, &cfg, fake_resources, 2, &api), 0);
    assert_int_equal(api_listen(api), 0);
    port = api_port(api);
    assert_true(port > 0);
    atomic_store(&server_stop, false);
    assert_int_equal(pthread_create(&server_thread, NULL, server_main, NULL),
                     0);
    return 0;
}

static int
teardown(void **state)
{
    atomic_store(&server_stop, true);
    pthread_join(server_thread, NULL);
    api_destroy(api);
    core_destroy(core);
    store_close(st);
    config_destroy(&cfg);
    return 0;
}

/* ---- the client ---- */

struct reply {
    int status;
    char head[8192];
    char *body;        /* NUL-terminated */
    size_t len;
    json_t *json;      /* parsed body, or NULL */
};

static void
reply_free(struct reply *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

static int
connect_api(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port)};
    struct timeval tv = {5, 0};

    assert_true(fd >= 0);
    inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    return fd;
}

static void
send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        assert_true(n > 0);
        data += n;
        len -= (size_t)n;
    }
}

/* Reads one response from 'fd' into 'r'. */
static void
read_reply(int fd, struct reply *r)
{
    size_t have = 0;
    char *end = NULL;

    memset(r, 0, sizeof *r);
    while (!end) {
        assert_true(have < sizeof r->head - 1);
        ssize_t n = read(fd, r->head + have, 1);
        assert_true(n == 1);
        have++;
        r->head[have] = '\0';
        end = strstr(r->head, "\r\n\r\n");
    }
    assert_int_equal(sscanf(r->head, "HTTP/1.1 %d", &r->status), 1);
    const char *cl = strcasestr(r->head, "\r\nContent-Length:");
    r->len = cl ? strtoul(cl + 17, NULL, 10) : 0;
    r->body = calloc(1, r->len + 1);
    for (size_t got = 0; got < r->len;) {
        ssize_t n = read(fd, r->body + got, r->len - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    r->json = r->len ? json_loads(r->body, 0, NULL) : NULL;
}

/* Sends one request on 'fd' and reads the reply. */
static void
exchange(int fd, const char *method, const char *path, const char *headers,
         const char *body, struct reply *r)
{
    size_t blen = body ? strlen(body) : 0;
    char *req;
    int n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: test:1\r\n%s"
                     "Content-Length: %zu\r\n\r\n", method, path,
                     headers ? headers : "", blen);
    assert_true(n > 0);
    send_all(fd, req, (size_t)n);
    free(req);
    if (blen) {
        send_all(fd, body, blen);
    }
    read_reply(fd, r);
}

/* One request on a new connection. */
static void
request(const char *method, const char *path, const char *headers,
        const char *body, struct reply *r)
{
    int fd = connect_api();
    exchange(fd, method, path, headers, body, r);
    close(fd);
}

/* Asserts a NeutronError reply. */
static void
assert_error(const struct reply *r, int status, const char *type,
             const char *msg)
{
    json_t *e = json_object_get(r->json, "NeutronError");

    if (r->status != status) {
        fail_msg("expected %d, got %d: %s", status, r->status, r->body);
    }
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(e, "type")), type);
    if (msg) {
        assert_string_equal(json_string_value(json_object_get(e, "message")),
                            msg);
    }
    assert_string_equal(json_string_value(json_object_get(e, "detail")), "");
    assert_non_null(strcasestr(r->head, "Content-Type: application/json"));
}

static const char *
jstr(const json_t *v, const char *path1, const char *path2)
{
    json_t *o = json_object_get(v, path1);
    return json_string_value(path2 ? json_object_get(o, path2) : o);
}

/* Creates a gateway named 'name' as the default caller; returns its id
 * (caller frees). */
static char *
create(const char *name)
{
    struct reply r;
    char body[256];

    snprintf(body, sizeof body, "{\"l2_gateway\": {\"name\": \"%s\"}}", name);
    request("POST", "/v2.0/l2-gateways", NULL, body, &r);
    if (r.status != 201) {
        fail_msg("create %s: %d %s", name, r.status, r.body);
    }
    char *id = strdup(jstr(r.json, "l2_gateway", "id"));
    reply_free(&r);
    return id;
}

/* Deletes every gateway through the API. */
static void
delete_all(void)
{
    struct reply r;
    size_t i;
    json_t *row;
    char path[128];

    request("GET", "/v2.0/l2-gateways?fields=id", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_array_foreach(json_object_get(r.json, "l2_gateways"), i, row) {
        struct reply d;
        snprintf(path, sizeof path, "/v2.0/l2-gateways/%s", jstr(row, "id",
                                                                 NULL));
        request("DELETE", path, NULL, NULL, &d);
        assert_int_equal(d.status, 204);
        reply_free(&d);
    }
    reply_free(&r);
}

/* ---- tests ---- */

static void
test_root_documents(void **state)
{
    struct reply r;

    request("GET", "/", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *v = json_array_get(json_object_get(r.json, "versions"), 0);
    assert_string_equal(jstr(v, "id", NULL), "v2.0");
    assert_string_equal(jstr(v, "status", NULL), "CURRENT");
    json_t *link = json_array_get(json_object_get(v, "links"), 0);
    assert_string_equal(jstr(link, "href", NULL), "http://test:1/v2.0/");
    assert_string_equal(jstr(link, "rel", NULL), "self");
    reply_free(&r);

    const char *paths[] = {"/v2.0", "/v2.0/", "/v2.0.json"};
    for (size_t i = 0; i < 3; i++) {
        request("GET", paths[i], NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        json_t *res = json_array_get(json_object_get(r.json, "resources"), 0);
        assert_string_equal(jstr(res, "name", NULL), "l2_gateway");
        assert_string_equal(jstr(res, "collection", NULL), "l2-gateways");
        link = json_array_get(json_object_get(res, "links"), 0);
        assert_string_equal(jstr(link, "href", NULL),
                            "http://test:1/v2.0/l2-gateways");
        reply_free(&r);
    }

    request("GET", "/v2.0/extensions", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *exts = json_object_get(r.json, "extensions");
    assert_int_equal(json_array_size(exts), 1);   /* only what is served */
    assert_string_equal(jstr(json_array_get(exts, 0), "alias", NULL),
                        "l2-gateway");
    assert_string_equal(jstr(json_array_get(exts, 0), "name", NULL),
                        "L2 Gateway");
    reply_free(&r);

    request("GET", "/v2.0/extensions/l2-gateway.json", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "extension", "updated"),
                        "2015-01-01T00:00:00-00:00");
    reply_free(&r);

    request("GET", "/v2.0/extensions/provider", NULL, NULL, &r);
    assert_error(&r, 404, "HTTPNotFound",
                 "Extension with alias provider does not exist");
    reply_free(&r);

    request("POST", "/", NULL, "{}", &r);
    assert_error(&r, 405, "HTTPMethodNotAllowed", NULL);
    reply_free(&r);
}

static void
test_keep_alive(void **state)
{
    struct reply r;
    int fd = connect_api();

    for (int i = 0; i < 5; i++) {
        exchange(fd, "GET", "/v2.0/l2-gateways", NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_null(strcasestr(r.head, "Connection: close"));
        reply_free(&r);
    }
    /* An error answer keeps the connection too. */
    exchange(fd, "GET", "/v2.0/nothing", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    reply_free(&r);
    exchange(fd, "POST", "/v2.0/l2-gateways", NULL, "{bad", &r);
    assert_int_equal(r.status, 400);
    reply_free(&r);
    exchange(fd, "GET", "/", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    reply_free(&r);
    close(fd);
}

static void
test_not_found_and_method(void **state)
{
    struct reply r;
    const char *missing[] = {"/nope", "/v2.0/nope", "/v2.0/l2-gateways/a/b",
                             "/v2.0//l2-gateways", "/v3/l2-gateways",
                             "/v2.0/l2-gateways//"};

    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        request("GET", missing[i], NULL, NULL, &r);
        assert_error(&r, 404, "HTTPNotFound",
                     "The resource could not be found.");
        reply_free(&r);
    }
    const char *wrong[][2] = {{"PATCH", "/v2.0/l2-gateways"},
                              {"PUT", "/v2.0/l2-gateways"},
                              {"DELETE", "/v2.0/l2-gateways"},
                              {"POST", "/v2.0/l2-gateways/x"},
                              {"PUT", "/v2.0/secrets/x"},
                              {"POST", "/v2.0/extensions"}};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        request(wrong[i][0], wrong[i][1], NULL, NULL, &r);
        assert_error(&r, 405, "HTTPMethodNotAllowed", NULL);
        reply_free(&r);
    }
    /* A clean 404 for a name where an id is expected (client lookups). */
    request("GET", "/v2.0/l2-gateways/gw1", NULL, NULL, &r);
    assert_error(&r, 404, "L2GatewayNotFound",
                 "L2 Gateway gw1 could not be found");
    reply_free(&r);
}

static void
test_bad_bodies(void **state)
{
    struct reply r;

    request("POST", "/v2.0/l2-gateways", NULL, "{\"l2_gateway\": {", &r);
    assert_error(&r, 400, "HTTPBadRequest", "Body contains invalid data");
    reply_free(&r);
    request("POST", "/v2.0/l2-gateways", NULL, NULL, &r);
    assert_error(&r, 400, "HTTPBadRequest", "Resource body required");
    reply_free(&r);
    request("POST", "/v2.0/l2-gateways", NULL, "{\"gw\": {}}", &r);
    assert_error(&r, 400, "HTTPBadRequest",
                 "Unable to find 'l2_gateway' in request body");
    reply_free(&r);
    request("POST", "/v2.0/l2-gateways", NULL,
            "{\"l2_gateway\": {\"name\": \"a\", \"foo\": 1}}", &r);
    assert_error(&r, 400, "HTTPBadRequest", "Unrecognized attribute(s) 'foo'");
    reply_free(&r);
    request("PUT", "/v2.0/l2-gateways/x", NULL,
            "{\"l2_gateway\": {\"tunnel_ip\": \"1.2.3.4\"}}", &r);
    assert_error(&r, 400, "HTTPBadRequest",
                 "Cannot update read-only attribute tunnel_ip");
    reply_free(&r);
    /* NUL bytes and invalid UTF-8 are bad JSON, not a crash. */
    int fd = connect_api();
    const char req[] = "POST /v2.0/l2-gateways HTTP/1.1\r\nHost: x\r\n"
                       "Content-Length: 8\r\n\r\n{\"a\0\xff\"}\n";
    send_all(fd, req, sizeof req - 1);
    read_reply(fd, &r);
    assert_error(&r, 400, "HTTPBadRequest", "Body contains invalid data");
    reply_free(&r);
    close(fd);
}

static void
test_too_large(void **state)
{
    struct reply r;
    size_t n = 100000;
    char *body = malloc(n + 1);
    int fd = connect_api();

    memset(body, ' ', n);
    body[n] = '\0';
    memcpy(body, "{\"l2_gateway\": {\"name\": \"big\"}}", 31);
    exchange(fd, "POST", "/v2.0/l2-gateways", NULL, body, &r);
    assert_error(&r, 413, "HTTPRequestEntityTooLarge", NULL);
    reply_free(&r);
    /* The body was read and dropped: the connection goes on. */
    exchange(fd, "GET", "/v2.0/l2-gateways?name=big", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "l2_gateways")),
                     0);
    reply_free(&r);
    /* Just under the resource's limit (2048) is fine. */
    body[2000] = '\0';
    exchange(fd, "POST", "/v2.0/l2-gateways", NULL, body, &r);
    assert_int_equal(r.status, 201);
    reply_free(&r);
    close(fd);
    free(body);

    /* A client that waits for "100 Continue" is refused at once. */
    fd = connect_api();
    const char req[] = "POST /v2.0/l2-gateways HTTP/1.1\r\nHost: x\r\n"
                       "Expect: 100-continue\r\n"
                       "Content-Length: 10000000000\r\n\r\n";
    send_all(fd, req, sizeof req - 1);
    read_reply(fd, &r);
    assert_error(&r, 413, "HTTPRequestEntityTooLarge", NULL);
    reply_free(&r);
    close(fd);
    /* Under the limit, it gets "100 Continue" and sends its body. */
    fd = connect_api();
    const char req2[] = "POST /v2.0/l2-gateways HTTP/1.1\r\nHost: x\r\n"
                        "Expect: 100-continue\r\n"
                        "Content-Length: 29\r\n\r\n";
    send_all(fd, req2, sizeof req2 - 1);
    read_reply(fd, &r);
    assert_int_equal(r.status, 100);
    reply_free(&r);
    send_all(fd, "{\"l2_gateway\": {\"name\": \"e\"}}", 29);
    read_reply(fd, &r);
    assert_int_equal(r.status, 201);
    reply_free(&r);
    close(fd);
    delete_all();
}

static void
test_crud(void **state)
{
    struct reply r;
    char path[128];

    request("POST", "/v2.0/l2-gateways", NULL,
            "{\"l2_gateway\": {\"name\": \"gw1\", \"extra\": {\"x\": 1}}}",
            &r);
    assert_int_equal(r.status, 201);
    char *id = strdup(jstr(r.json, "l2_gateway", "id"));
    assert_true(uuid_is_valid(id));
    assert_string_equal(jstr(r.json, "l2_gateway", "tenant_id"), "admin");
    assert_string_equal(jstr(r.json, "l2_gateway", "project_id"), "admin");
    reply_free(&r);

    snprintf(path, sizeof path, "/v2.0/l2-gateways/%s", id);
    request("GET", path, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "l2_gateway", "name"), "gw1");
    assert_string_equal(jstr(r.json, "l2_gateway", "tenant_id"), "admin");
    assert_true(json_is_array(json_object_get(
        json_object_get(r.json, "l2_gateway"), "devices")));
    reply_free(&r);

    snprintf(path, sizeof path, "/v2.0/l2-gateways/%s.json?fields=name", id);
    request("GET", path, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_object_size(json_object_get(r.json, "l2_gateway")),
                     1);
    reply_free(&r);

    snprintf(path, sizeof path, "/v2.0/l2-gateways/%s", id);
    request("PUT", path, NULL, "{\"l2_gateway\": {\"name\": \"gw2\"}}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "l2_gateway", "name"), "gw2");
    reply_free(&r);

    request("GET", "/v2.0/l2-gateways.json?fields=name&fields=tenant_id",
            NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *rows = json_object_get(r.json, "l2_gateways");
    assert_int_equal(json_array_size(rows), 1);
    assert_int_equal(json_object_size(json_array_get(rows, 0)), 2);
    assert_string_equal(jstr(json_array_get(rows, 0), "name", NULL), "gw2");
    assert_null(json_object_get(r.json, "l2_gateways_links"));
    reply_free(&r);

    request("DELETE", path, NULL, NULL, &r);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    reply_free(&r);

    char msg[128];
    snprintf(msg, sizeof msg, "L2 Gateway %s could not be found", id);
    const char *methods[] = {"GET", "DELETE", "PUT"};
    for (size_t i = 0; i < 3; i++) {
        request(methods[i], path, NULL,
                i == 2 ? "{\"l2_gateway\": {\"name\": \"x\"}}" : NULL, &r);
        assert_error(&r, 404, "L2GatewayNotFound", msg);
        reply_free(&r);
    }
    free(id);
}

/* GETs 'path' and returns the names of the rows, comma separated, and the
 * links in '*links' (new reference or NULL). */
static char *
list_names(const char *path, json_t **links)
{
    struct reply r;
    static char names[512];
    size_t i;
    json_t *row;

    request("GET", path, NULL, NULL, &r);
    if (r.status != 200) {
        fail_msg("GET %s: %d %s", path, r.status, r.body);
    }
    names[0] = '\0';
    json_array_foreach(json_object_get(r.json, "l2_gateways"), i, row) {
        strcat(names, i ? "," : "");
        strcat(names, jstr(row, "name", NULL));
    }
    if (links) {
        *links = json_incref(json_object_get(r.json, "l2_gateways_links"));
    }
    reply_free(&r);
    return names;
}

/* The path and query of the link 'rel' in 'links', or NULL. */
static const char *
link_path(const json_t *links, const char *rel)
{
    size_t i;
    json_t *l;

    json_array_foreach((json_t *)links, i, l) {
        if (!strcmp(jstr(l, "rel", NULL), rel)) {
            const char *href = jstr(l, "href", NULL);
            assert_memory_equal(href, "http://test:1/", 14);
            return href + 13;
        }
    }
    return NULL;
}

static void
test_list(void **state)
{
    const char *names[] = {"c", "a", "e", "b", "d"};
    json_t *links;

    for (size_t i = 0; i < 5; i++) {
        free(create(names[i]));
    }
    assert_string_equal(list_names("/v2.0/l2-gateways?sort_key=name&"
                                   "sort_dir=asc", NULL), "a,b,c,d,e");
    assert_string_equal(list_names("/v2.0/l2-gateways?sort_key=name&"
                                   "sort_dir=desc&name=a&name=d&foo=1", NULL),
                        "d,a");
    assert_string_equal(list_names("/v2.0/l2-gateways?name=b&tenant_id=admin",
                                   NULL), "b");
    assert_string_equal(list_names("/v2.0/l2-gateways?project_id=other",
                                   NULL), "");

    /* Pages of two, forwards, following the links. */
    assert_string_equal(list_names("/v2.0/l2-gateways?sort_key=name&"
                                   "sort_dir=asc&limit=2", &links), "a,b");
    assert_null(link_path(links, "previous"));
    char next[512];
    strcpy(next, link_path(links, "next"));
    json_decref(links);
    assert_string_equal(list_names(next, &links), "c,d");
    assert_non_null(link_path(links, "previous"));
    strcpy(next, link_path(links, "next"));
    json_decref(links);
    assert_string_equal(list_names(next, &links), "e");
    assert_null(link_path(links, "next"));
    char prev[512];
    strcpy(prev, link_path(links, "previous"));
    json_decref(links);
    /* And back. */
    assert_string_equal(list_names(prev, &links), "c,d");
    json_decref(links);

    /* Errors. */
    struct reply r;
    request("GET", "/v2.0/l2-gateways?limit=x", NULL, NULL, &r);
    assert_error(&r, 400, "HTTPBadRequest",
                 "Bad limit request: Limit must be an integer 0 or greater "
                 "and not 'x'.");
    reply_free(&r);
    request("GET", "/v2.0/l2-gateways?sort_key=extra&sort_dir=asc", NULL,
            NULL, &r);
    assert_error(&r, 400, "HTTPBadRequest",
                 "['extra'] is invalid attribute for sort_keys");
    reply_free(&r);
    request("GET", "/v2.0/l2-gateways?limit=1&marker=nope", NULL, NULL, &r);
    assert_error(&r, 404, "L2GatewayNotFound",
                 "L2 Gateway nope could not be found");
    reply_free(&r);
    delete_all();
}

static void
test_list_hook(void **state)
{
    struct reply r;

    free(create("hidden"));
    free(create("shown"));
    request("GET", "/v2.0/l2-gateways?limit=5", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *rows = json_object_get(r.json, "l2_gateways");
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(jstr(json_array_get(rows, 0), "name", NULL), "shown");
    assert_int_equal(json_integer_value(json_object_get(r.json, "revision")),
                     7);
    reply_free(&r);
    request("GET", "/v2.0/l2-gateways?gone=1", NULL, NULL, &r);
    assert_error(&r, 410, "HTTPGone", "Revision too old");
    reply_free(&r);
    /* Not on the secrets resource (no hook), nor on show. */
    request("GET", "/v2.0/secrets", NULL, NULL, &r);
    assert_int_equal(json_array_size(json_object_get(r.json, "secrets")), 2);
    assert_null(json_object_get(r.json, "revision"));
    reply_free(&r);
    request("GET", "/v2.0/secrets?fields=id&name=hidden", NULL, NULL, &r);
    char path[128];
    snprintf(path, sizeof path, "/v2.0/l2-gateways/%s",
             jstr(json_array_get(json_object_get(r.json, "secrets"), 0), "id",
                  NULL));
    reply_free(&r);
    request("GET", path, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    reply_free(&r);
    request("DELETE", path, NULL, NULL, &r);
    assert_int_equal(r.status, 204);
    reply_free(&r);
    delete_all();
}

static void
test_query_decoding(void **state)
{
    free(create("a b"));
    free(create("a+b"));
    assert_string_equal(list_names("/v2.0/l2-gateways?name=a%20b", NULL),
                        "a b");
    assert_string_equal(list_names("/v2.0/l2-gateways?name=a%2Bb", NULL),
                        "a+b");
    assert_string_equal(list_names("/v2.0/l2-gateways?name=a+b", NULL),
                        "a b");
    delete_all();
}

static void
test_bulk(void **state)
{
    struct reply r;

    request("POST", "/v2.0/l2-gateways", NULL,
            "{\"l2_gateways\": [{\"l2_gateway\": {\"name\": \"b1\"}}, "
            "{\"name\": \"b2\"}]}", &r);
    assert_int_equal(r.status, 201);
    json_t *list = json_object_get(r.json, "l2_gateways");
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(jstr(json_array_get(list, 1), "name", NULL), "b2");
    assert_string_equal(jstr(json_array_get(list, 1), "tenant_id", NULL),
                        "admin");
    reply_free(&r);
    delete_all();
}

static void
test_hook_errors(void **state)
{
    struct reply r;

    free(create("dup"));
    request("POST", "/v2.0/l2-gateways", NULL,
            "{\"l2_gateway\": {\"name\": \"dup\"}}", &r);
    assert_error(&r, 409, "HTTPConflict", "Name dup is taken");
    reply_free(&r);
    request("POST", "/v2.0/l2-gateways", NULL,
            "{\"l2_gateway\": {\"name\": \"boom\"}}", &r);
    assert_error(&r, 500, "HTTPInternalServerError",
                 "Request Failed: internal server error while processing "
                 "your request.");
    reply_free(&r);
    delete_all();
}

static void
test_policy(void **state)
{
    struct reply r;
    const char *member = "X-Project-Id: p1\r\nX-Roles: member\r\n";

    request("GET", "/v2.0/secrets/missing", member, NULL, &r);
    assert_error(&r, 403, "AdminRequired",
                 "User does not have admin privileges: Cannot GET resource "
                 "for non admin tenant.");
    reply_free(&r);
    request("POST", "/v2.0/secrets", member, "{\"secret\": {}}", &r);
    assert_error(&r, 403, "AdminRequired",
                 "User does not have admin privileges: Cannot CREATE "
                 "resource for non admin tenant.");
    reply_free(&r);
    request("DELETE", "/v2.0/secrets/x", member, NULL, &r);
    assert_error(&r, 403, "AdminRequired", NULL);
    reply_free(&r);
    /* An admin of another project is fine. */
    request("GET", "/v2.0/secrets/missing",
            "X-Project-Id: p1\r\nX-Roles: admin\r\n", NULL, &r);
    assert_error(&r, 404, "HostNotFound", "Secret missing could not be found");
    reply_free(&r);
}

static void
test_project_scoping(void **state)
{
    struct reply r;
    const char *p1 = "X-Project-Id: p1\r\nX-Roles: member\r\n";
    const char *p2 = "X-Project-Id: p2\r\nX-Roles: member\r\n";
    char path[128];

    request("POST", "/v2.0/l2-gateways", p1,
            "{\"l2_gateway\": {\"name\": \"mine\"}}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(jstr(r.json, "l2_gateway", "tenant_id"), "p1");
    snprintf(path, sizeof path, "/v2.0/l2-gateways/%s",
             jstr(r.json, "l2_gateway", "id"));
    reply_free(&r);

    request("POST", "/v2.0/l2-gateways", p1,
            "{\"l2_gateway\": {\"name\": \"theirs\", \"tenant_id\": "
            "\"p2\"}}", &r);
    assert_error(&r, 400, "HTTPBadRequest", NULL);
    reply_free(&r);

    request("GET", "/v2.0/l2-gateways", p2, NULL, &r);
    assert_int_equal(json_array_size(json_object_get(r.json, "l2_gateways")),
                     0);
    reply_free(&r);
    request("GET", "/v2.0/l2-gateways", p1, NULL, &r);
    assert_int_equal(json_array_size(json_object_get(r.json, "l2_gateways")),
                     1);
    reply_free(&r);
    request("GET", path, p2, NULL, &r);
    assert_error(&r, 404, "L2GatewayNotFound", NULL);
    reply_free(&r);
    request("DELETE", path, p2, NULL, &r);
    assert_error(&r, 404, "L2GatewayNotFound", NULL);
    reply_free(&r);
    request("GET", path, p1, NULL, &r);
    assert_int_equal(r.status, 200);
    reply_free(&r);
    request("DELETE", path, p1, NULL, &r);
    assert_int_equal(r.status, 204);
    reply_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_documents),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_not_found_and_method),
        cmocka_unit_test(test_bad_bodies),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_crud),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_list_hook),
        cmocka_unit_test(test_query_decoding),
        cmocka_unit_test(test_bulk),
        cmocka_unit_test(test_hook_errors),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_project_scoping),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
