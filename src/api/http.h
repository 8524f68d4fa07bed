/* HTTP/1.1 server over libmicrohttpd, driven from the process's poll loop
 * (lib/loop.h): http_server_run() does whatever work is possible now and
 * http_server_wait() registers MHD's epoll fd and its timeout.
 *
 * The server reads a whole request (body accumulated up to a per-request
 * limit, the rest read and discarded), hands it to one handler, and sends
 * what the handler answers.  Connections stay open between requests
 * (keep-alive) unless the client asks otherwise. */
#ifndef L2GW_API_HTTP_H
#define L2GW_API_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct MHD_Connection;
struct http_server;

/* A request as the handler sees it.  Everything is borrowed for the
 * duration of the handler call. */
struct http_request {
    const char *method;    /* "GET", "POST", ... */
    const char *path;      /* URL path, percent-decoded, without the query */
    const json_t *query;   /* object: name → array of strings (all values of
                            * repeated keys, in order) */
    const char *body;      /* NUL-terminated; "" when none or too large */
    size_t body_len;
    bool body_too_large;   /* the body exceeded the limit (and was dropped) */
    /* Where headers come from: the connection, or (tests, fuzzing) an
     * object name → string looked up case-insensitively. */
    struct MHD_Connection *conn;
    const json_t *headers;
};

/* Value of request header 'name' (case-insensitive), or NULL.  Borrowed. */
const char *http_request_header(const struct http_request *req,
                                const char *name);

/* What the handler answers.  'body' is malloc'ed and taken by the server
 * (NULL: no body, e.g. 204).  Content-Type is application/json whenever
 * there is a body. */
struct http_response {
    int status;
    char *body;
    size_t body_len;
};

/* Handles one request; must fill 'resp' (status at least). */
typedef void http_handler(void *aux, const struct http_request *req,
                          struct http_response *resp);

/* Returns the largest body accepted for a request to 'method' 'path'
 * (asked before the body is read). */
typedef long long http_body_limit(void *aux, const char *method,
                                  const char *path);

struct http_server_options {
    const char *host;           /* numeric IPv4/IPv6 address or a name */
    int port;                   /* 0: any free port (see http_server_port()) */
    http_handler *handler;
    http_body_limit *body_limit;
    void *aux;                  /* passed to 'handler' and 'body_limit' */
};

/* Starts listening.  Returns 0 or a negative errno (logged, e.g. the address
 * is in use).  Caller frees with http_server_destroy(). */
int http_server_create(const struct http_server_options *opts,
                       struct http_server **out);

/* Stops listening and closes every connection.  NULL is fine. */
void http_server_destroy(struct http_server *srv);

/* The port the server listens on (the real one when 0 was asked). */
int http_server_port(const struct http_server *srv);

/* Loop integration (lib/loop.h). */
void http_server_run(struct http_server *srv);
void http_server_wait(struct http_server *srv);

/* Builds the query object of a raw query string "a=1&b=x%20y&a=2" ('+' is
 * a space) for callers without a connection (tests, fuzzing).  Returns a
 * new object (caller frees with json_decref()) or NULL when out of memory. */
json_t *http_parse_query(const char *qs);

#endif
