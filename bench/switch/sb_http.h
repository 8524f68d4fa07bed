/* sb_http: the smallest HTTP/1.1 client switchbench needs to drive
 * l2gwd's REST API.  One kept-alive TCP connection to 127.0.0.1:PORT,
 * requests strictly one after the other, JSON bodies, answers framed by
 * Content-Length (what l2gwd sends; a chunked answer is reported as an
 * error, not decoded).
 *
 * A request can be driven two ways:
 *   - http_call(): sends and waits (setup work);
 *   - http_start() then http_poll() whenever the socket is readable
 *     (http_fd()), so that the caller can watch switch databases from the
 *     same poll loop while the answer is on its way (timed work).
 * If the server closes the connection (or says "Connection: close"), the
 * next request opens a new one. */
#ifndef SB_HTTP_H
#define SB_HTTP_H

#include <jansson.h>

struct http;

/* Largest answer accepted (a list of 10,000 ports is a few MB). */
#define HTTP_MAX_ANSWER ((size_t)64 << 20)
/* Longest wait of http_call() for an answer. */
#define HTTP_TIMEOUT_MS 60000

/* Creates a client of 127.0.0.1:'port' (connects on the first request).
 * Caller frees with http_destroy(). */
struct http *http_create(int port);
void http_destroy(struct http *h);

/* Sends 'method' 'path' with 'body' (borrowed; NULL: no body).  Returns 0
 * or a negative errno.  The previous answer must be complete. */
int http_start(struct http *h, const char *method, const char *path,
               const json_t *body);

/* The socket to poll for POLLIN while an answer is awaited, or -1. */
int http_fd(const struct http *h);

/* Reads what has arrived without blocking.  Returns 1 once the answer is
 * complete, 0 while it is not, or a negative errno (connection lost,
 * malformed or oversized answer). */
int http_poll(struct http *h);

/* The complete answer: its status and its body parsed as JSON (new
 * reference, caller decrefs; NULL for an empty or non-JSON body). */
int http_status(const struct http *h);
json_t *http_body(const struct http *h);

/* http_start() and wait for the answer.  Stores its status in '*status'
 * and its JSON body in '*body' (if 'body' is not NULL; caller decrefs).
 * Returns 0 or a negative errno (-ETIMEDOUT after HTTP_TIMEOUT_MS). */
int http_call(struct http *h, const char *method, const char *path,
              const json_t *req, int *status, json_t **body);

#endif
