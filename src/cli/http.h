/* The client's HTTP transport: one libcurl easy handle reused for every
 * request of a run (one TCP/TLS connection kept alive), JSON bodies in
 * and out, X-Auth-Token, timeouts and TLS options.  Every request and
 * reply is logged at debug level ("REQ: GET <url>", "RESP: <status>"). */
#ifndef L2GW_CLI_HTTP_H
#define L2GW_CLI_HTTP_H

#include <jansson.h>
#include <stdbool.h>

/* Hard limits. */
#define HTTP_MAX_REPLY_BYTES (256L * 1024 * 1024)
#define HTTP_CONNECT_TIMEOUT_S 10L

struct http;

struct http_opts {
    const char *url;    /* base URL, e.g. "http://127.0.0.1:9696" */
    const char *token;  /* X-Auth-Token, or NULL */
    const char *cacert; /* CA bundle file, or NULL for the system's */
    bool insecure;      /* skip TLS certificate verification */
    long timeout_s;     /* whole-request timeout; 0 = none */
};

struct http_reply {
    long status;  /* HTTP status */
    json_t *body; /* parsed JSON body, or NULL (empty or not JSON) */
    char *raw;    /* the body as received, NUL-terminated */
};

/* Creates a client for 'o' (strings are copied).  Returns NULL with a
 * message in 'err' when libcurl cannot start.  Caller frees with
 * http_destroy(). */
struct http *http_create(const struct http_opts *o, char *err, size_t errlen);

/* Frees 'h'; NULL is accepted. */
void http_destroy(struct http *h);

/* The base URL without a trailing '/' or "/v2.0".  Borrowed. */
const char *http_base_url(const struct http *h);

/* Sends 'method' to base URL + 'path' ("/v2.0/l2-gateways?x=1") with the
 * JSON 'body' (borrowed, may be NULL).  Returns 0 once any HTTP reply
 * arrived (r filled; caller frees it with http_reply_clear()), or -EIO
 * when no reply came (connection refused, timeout, TLS failure), with a
 * message naming the URL in http_error(). */
int http_request(struct http *h, const char *method, const char *path,
                 const json_t *body, struct http_reply *r);

/* The message of the last failed http_request().  Borrowed. */
const char *http_error(const struct http *h);

/* Percent-encodes 's' for a URL path segment or query value.  Caller
 * frees. */
char *http_escape(const char *s);

/* Frees what 'r' holds; 'r' may be reused. */
void http_reply_clear(struct http_reply *r);

#endif
