/* libmicrohttpd in external-epoll mode, driven by lib/loop.
 *
 * MHD calls the access handler several times per request: first with the
 * headers (we allocate the per-request state and return), then once per
 * piece of body, then once with no data: only then do we answer.  Answering
 * on a later call keeps the connection alive; an answer on the first call
 * would make MHD close it. */
#include "api/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define LOG_MODULE "http"
#include "lib/log.h"
#include "lib/loop.h"

/* Hard limits. */
#define HTTP_CONNECTION_TIMEOUT_S 120  /* idle keep-alive connections */
#define HTTP_CONNECTION_LIMIT 1000     /* simultaneous connections */
#define HTTP_CONNECTION_MEMORY (64 * 1024) /* per-connection header pool */
#define HTTP_BODY_INITIAL 4096         /* first body allocation */

struct http_server {
    struct MHD_Daemon *mhd;
    int epoll_fd;
    int port;
    http_handler *handler;
    http_body_limit *body_limit;
    void *aux;
};

/* Per-request state, from the first handler call to completion. */
struct request_state {
    char *body;          /* NUL-terminated when not NULL */
    size_t len;
    size_t cap;
    long long limit;
    bool too_large;
};

const char *
http_request_header(const struct http_request *req, const char *name)
{
    if (req->conn) {
        return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)req->headers, key, value) {
        if (!strcasecmp(key, name)) {
            return json_string_value(value);
        }
    }
    return NULL;
}

/* Appends 'value' (NULL: "") to the array under 'key' in 'query'.  Returns
 * 0, -EILSEQ when 'key' or 'value' is not UTF-8 (nothing added), or
 * -ENOMEM. */
static int
query_add(json_t *query, const char *key, const char *value)
{
    json_t *v = json_string(value ? value : "");
    if (!v) {
        return -EILSEQ;
    }
    json_t *list = json_object_get(query, key);
    if (!list) {
        list = json_array();
        /* json_object_set_new() frees 'list' when it fails. */
        if (!list || json_object_set_new(query, key, list)) {
            json_decref(v);
            return list ? -EILSEQ : -ENOMEM;
        }
    }
    return json_array_append_new(list, v) ? -ENOMEM : 0;
}

static enum MHD_Result
collect_argument(void *cls, enum MHD_ValueKind kind, const char *key,
                 const char *value)
{
    /* Keys or values that are not UTF-8 cannot be JSON strings: such a
     * parameter is dropped (json_string() fails), the others are kept. */
    query_add(cls, key, value);
    return MHD_YES;
}

/* Takes bytes of body: appends them while under the limit, else drops the
 * buffer and remembers that the body was too large. */
static void
take_body(struct request_state *st, const char *data, size_t n)
{
    if (st->too_large) {
        return;
    }
    if ((long long)(st->len + n) > st->limit) {
        st->too_large = true;
        free(st->body);
        st->body = NULL;
        st->len = st->cap = 0;
        return;
    }
    if (st->len + n + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : HTTP_BODY_INITIAL;
        while (cap < st->len + n + 1) {
            cap *= 2;
        }
        char *p = realloc(st->body, cap);
        if (!p) {
            /* Out of memory: answer as for a body too large. */
            st->too_large = true;
            free(st->body);
            st->body = NULL;
            st->len = st->cap = 0;
            return;
        }
        st->body = p;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    st->body[st->len] = '\0';
}

/* Queues 'resp' on 'conn'.  Takes ownership of resp->body. */
static enum MHD_Result
send_response(struct MHD_Connection *conn, struct http_response *resp)
{
    struct MHD_Response *r;

    if (resp->body) {
        r = MHD_create_response_from_buffer(resp->body_len, resp->body,
                                            MHD_RESPMEM_MUST_FREE);
        if (!r) {
            free(resp->body);
            return MHD_NO;
        }
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json");
    } else {
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!r) {
            return MHD_NO;
        }
    }
    enum MHD_Result ret = MHD_queue_response(conn, resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Builds the request from 'st' and runs the handler. */
static enum MHD_Result
dispatch(struct http_server *srv, struct MHD_Connection *conn,
         const char *url, const char *method, struct request_state *st)
{
    json_t *query = json_object();
    if (!query) {
        return MHD_NO;
    }
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_argument,
                              query);
    struct http_request req = {
        .method = method,
        .path = url,
        .query = query,
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .body_too_large = st->too_large,
        .conn = conn,
    };
    struct http_response resp = {.status = 500};
    srv->handler(srv->aux, &req, &resp);
    json_decref(query);
    return send_response(conn, &resp);
}

/* True if the client announces a body over 'limit' and waits for
 * "100 Continue" before sending it: then it can be refused without reading
 * it.  (Any other body over the limit is read and dropped, so that the
 * connection stays usable.) */
static bool
refuse_early(struct MHD_Connection *conn, long long limit)
{
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_EXPECT);
    const char *length = MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

    if (!expect || strcasecmp(expect, "100-continue") || !length) {
        return false;
    }
    errno = 0;
    char *end;
    unsigned long long n = strtoull(length, &end, 10);
    return end != length && (errno == ERANGE || n > (unsigned long long)limit);
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url,
          const char *method, const char *version, const char *upload_data,
          size_t *upload_data_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct request_state *st = *con_cls;

    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st) {
            return MHD_NO;
        }
        st->limit = srv->body_limit(srv->aux, method, url);
        *con_cls = st;
        if (refuse_early(conn, st->limit)) {
            /* Answering now makes MHD close the connection after the
             * answer, which is right: the client waits for "100 Continue"
             * and will not send the body. */
            st->too_large = true;
            return dispatch(srv, conn, url, method, st);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        take_body(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(srv, conn, url, method, st);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct request_state *st = *con_cls;

    if (st) {
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    static struct log_rl rl = LOG_RL_INIT(10, 60 * 1000);
    char line[512];

    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') {
        line[n - 1] = '\0';
    }
    log_warn_rl(&rl, "libmicrohttpd: %s", line);
}

/* Resolves 'host':'port' into 'ss'.  Returns 0 or a negative errno. */
static int
resolve(const char *host, int port, struct sockaddr_storage *ss,
        socklen_t *len)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE};
    struct addrinfo *res;
    char service[16];

    snprintf(service, sizeof service, "%d", port);
    int rc = getaddrinfo(host && *host ? host : NULL, service, &hints, &res);
    if (rc) {
        log_err("cannot resolve API address %s: %s", host, gai_strerror(rc));
        return -EADDRNOTAVAIL;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

/* The MHD flags for listening on 'ss'. */
static unsigned int
daemon_flags(const struct sockaddr_storage *ss)
{
    unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        /* "::" serves IPv4 as well, as operators expect of a wildcard. */
        flags |= IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr) ? MHD_USE_DUAL_STACK
                                                         : MHD_USE_IPv6;
    }
    return flags;
}

/* Reads back the epoll fd and the bound port of a started daemon. */
static int
daemon_info(struct http_server *srv)
{
    const union MHD_DaemonInfo *info;

    info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_EPOLL_FD);
    if (!info) {
        log_err("libmicrohttpd gives no epoll fd");
        return -EIO;
    }
    srv->epoll_fd = info->epoll_fd;
    info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
    if (!info) {
        log_err("libmicrohttpd gives no bound port");
        return -EIO;
    }
    srv->port = info->port;
    return 0;
}

int
http_server_create(const struct http_server_options *opts,
                   struct http_server **out)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int rc = resolve(opts->host, opts->port, &ss, &sslen);
    if (rc) {
        return rc;
    }
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        return -ENOMEM;
    }
    srv->handler = opts->handler;
    srv->body_limit = opts->body_limit;
    srv->aux = opts->aux;
    srv->mhd = MHD_start_daemon(
        daemon_flags(&ss), (uint16_t)opts->port, NULL, NULL, on_access, srv,
        /* The logger first, so that MHD logs nothing on its own. */
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
        MHD_OPTION_END);
    if (!srv->mhd) {
        rc = errno ? -errno : -EIO;
        log_err("cannot listen on %s port %d: %s", opts->host, opts->port,
                strerror(-rc));
        free(srv);
        return rc;
    }
    rc = daemon_info(srv);
    if (rc) {
        http_server_destroy(srv);
        return rc;
    }
    *out = srv;
    return 0;
}

void
http_server_destroy(struct http_server *srv)
{
    if (srv) {
        MHD_stop_daemon(srv->mhd);
        free(srv);
    }
}

int
http_server_port(const struct http_server *srv)
{
    return srv->port;
}

void
http_server_run(struct http_server *srv)
{
    MHD_run(srv->mhd);
}

void
http_server_wait(struct http_server *srv)
{
    MHD_UNSIGNED_LONG_LONG timeout;

    loop_fd_wait(srv->epoll_fd, POLLIN);
    if (MHD_get_timeout(srv->mhd, &timeout) == MHD_YES) {
        loop_timer_wait(timeout > (MHD_UNSIGNED_LONG_LONG)LLONG_MAX
                            ? LLONG_MAX : (long long)timeout);
    }
}

/* Value of hex digit 'c', or -1. */
static int
hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes 'n' bytes of 's' ('+' → space, %XX) into a new string.  Caller
 * frees. */
static char *
form_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t j = 0;

    if (!out) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '+') {
            out[j++] = ' ';
        } else if (s[i] == '%' && i + 2 < n
                   && (hi = hex_value(s[i + 1])) >= 0
                   && (lo = hex_value(s[i + 2])) >= 0) {
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

/* Adds one "key[=value]" piece of 'len' bytes to 'query'. */
static int
parse_piece(json_t *query, const char *p, size_t len)
{
    const char *eq = memchr(p, '=', len);
    size_t klen = eq ? (size_t)(eq - p) : len;
    char *key = form_decode(p, klen);
    char *value = eq ? form_decode(eq + 1, len - klen - 1) : NULL;
    int rc = -ENOMEM;

    if (key && (value || !eq)) {
        rc = query_add(query, key, value);
        /* A piece that is not UTF-8 is dropped, as on MHD's path. */
        if (rc == -EILSEQ) {
            rc = 0;
        }
    }
    free(key);
    free(value);
    return rc;
}

json_t *
http_parse_query(const char *qs)
{
    json_t *query = json_object();

    while (query && qs && *qs) {
        size_t len = strcspn(qs, "&");
        if (len && parse_piece(query, qs, len)) {
            json_decref(query);
            return NULL;
        }
        qs += len + (qs[len] == '&');
    }
    return query;
}
