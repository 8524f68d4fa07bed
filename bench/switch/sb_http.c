/* sb_http: a minimal kept-alive HTTP/1.1 client (see sb_http.h). */
#include "sb_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Least free room in the input buffer before each recv(). */
#define RECV_ROOM 65536
/* Longest header block accepted. */
#define MAX_HEADER 16384

struct http {
    int port;
    int fd;           /* -1: not connected */
    bool busy;        /* a request awaits its answer */
    bool close_after; /* the server will close after this answer */
    char *in;         /* what was read of the answer */
    size_t len, cap;
    size_t head_len; /* bytes of status line + headers, 0 until known */
    size_t body_len; /* Content-Length */
    int status;
};

struct http *http_create(int port)
{
    struct http *h = calloc(1, sizeof *h);

    if (h) {
        h->port = port;
        h->fd = -1;
    }
    return h;
}

static void disconnect(struct http *h)
{
    if (h->fd >= 0) {
        close(h->fd);
        h->fd = -1;
    }
}

void http_destroy(struct http *h)
{
    if (h) {
        disconnect(h);
        free(h->in);
        free(h);
    }
}

static int connect_to(struct http *h)
{
    struct sockaddr_in sin = {.sin_family = AF_INET,
                              .sin_port = htons((uint16_t)h->port)};
    int one = 1;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (h->fd < 0) {
        return -errno;
    }
    setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(h->fd, (struct sockaddr *)&sin, sizeof sin)) {
        int err = -errno;
        disconnect(h);
        return err;
    }
    return 0;
}

/* Writes all of 'buf' (the socket is blocking for writes). */
static int send_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return w < 0 ? -errno : -EIO;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The request as one buffer (so that it leaves in one send()).  Caller
 * frees. */
static char *format_request(const char *method, const char *path,
                            const json_t *body, size_t *lenp)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    char *req = NULL;
    int n;

    if (body && !text) {
        return NULL;
    }
    n = asprintf(&req,
                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Accept: application/json\r\n%sContent-Length: %zu\r\n"
                 "\r\n%s",
                 method, path, body ? "Content-Type: application/json\r\n" : "",
                 text ? strlen(text) : 0, text ? text : "");
    free(text);
    if (n < 0) {
        return NULL;
    }
    *lenp = (size_t)n;
    return req;
}

int http_start(struct http *h, const char *method, const char *path,
               const json_t *body)
{
    size_t n;
    char *req;
    int rc;

    if (h->busy) {
        return -EBUSY;
    }
    if (h->close_after) {
        disconnect(h);
        h->close_after = false;
    }
    if (h->fd < 0 && (rc = connect_to(h))) {
        return rc;
    }
    if (!(req = format_request(method, path, body, &n))) {
        return -ENOMEM;
    }
    rc = send_all(h->fd, req, n);
    free(req);
    if (rc) {
        disconnect(h);
        return rc;
    }
    h->len = h->head_len = h->body_len = 0;
    h->status = 0;
    h->busy = true;
    return 0;
}

int http_fd(const struct http *h)
{
    return h->busy ? h->fd : -1;
}

/* The value of header 'name' in the header block, copied into 'out'. */
static bool header(const char *head, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);

    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p, "\r\n")) {
        p += 2;
        if (!strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1, *end = strstr(v, "\r\n");
            v += strspn(v, " \t");
            size_t n = end ? (size_t)(end - v) : strlen(v);
            n = n < size - 1 ? n : size - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

/* Parses the status line and headers once they are all in.  Returns 0
 * (done or not yet) or -EPROTO. */
static int parse_head(struct http *h)
{
    char *end = h->len ? strstr(h->in, "\r\n\r\n") : NULL;
    char value[64];

    if (!end) {
        return h->len > MAX_HEADER ? -EPROTO : 0;
    }
    *end = '\0'; /* restored below: the body starts after it */
    if (sscanf(h->in, "HTTP/1.%*d %d", &h->status) != 1) {
        return -EPROTO;
    }
    if (header(h->in, "Transfer-Encoding", value, sizeof value) &&
        strcasestr(value, "chunked")) {
        fprintf(stderr, "switchbench: chunked HTTP answers are not "
                        "supported\n");
        return -EPROTO;
    }
    h->body_len = header(h->in, "Content-Length", value, sizeof value)
                      ? strtoul(value, NULL, 10)
                      : 0;
    h->close_after = header(h->in, "Connection", value, sizeof value) &&
                     !strcasecmp(value, "close");
    *end = '\r';
    h->head_len = (size_t)(end - h->in) + 4;
    return h->body_len > HTTP_MAX_ANSWER ? -EFBIG : 0;
}

static int grow(struct http *h)
{
    if (h->cap - h->len >= RECV_ROOM + 1) {
        return 0;
    }
    size_t cap = h->cap ? h->cap * 2 : RECV_ROOM * 2;
    char *in = realloc(h->in, cap);
    if (!in) {
        return -ENOMEM;
    }
    h->in = in;
    h->cap = cap;
    return 0;
}

int http_poll(struct http *h)
{
    int rc;

    if (!h->busy) {
        return h->status ? 1 : -EINVAL;
    }
    for (;;) {
        if ((rc = grow(h))) {
            return rc;
        }
        ssize_t r =
            recv(h->fd, h->in + h->len, h->cap - h->len - 1, MSG_DONTWAIT);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        }
        if (r <= 0) {
            disconnect(h);
            h->busy = false;
            return r < 0 ? -errno : -ECONNRESET;
        }
        h->len += (size_t)r;
        h->in[h->len] = '\0';
        if (!h->head_len && (rc = parse_head(h))) {
            disconnect(h);
            h->busy = false;
            return rc;
        }
        if (h->head_len && h->len >= h->head_len + h->body_len) {
            h->busy = false;
            return 1;
        }
    }
}

int http_status(const struct http *h)
{
    return h->status;
}

json_t *http_body(const struct http *h)
{
    if (!h->head_len || !h->body_len) {
        return NULL;
    }
    return json_loadb(h->in + h->head_len, h->body_len, 0, NULL);
}

static long long mono_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int http_call(struct http *h, const char *method, const char *path,
              const json_t *req, int *status, json_t **body)
{
    long long deadline = mono_ms() + HTTP_TIMEOUT_MS;
    int rc = http_start(h, method, path, req);

    while (!rc) {
        struct pollfd p = {.fd = h->fd, .events = POLLIN};
        long long left = deadline - mono_ms();
        if (left <= 0) {
            disconnect(h);
            h->busy = false;
            return -ETIMEDOUT;
        }
        if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
            return -errno;
        }
        rc = http_poll(h);
        if (rc == 1) {
            *status = h->status;
            if (body) {
                *body = http_body(h);
            }
            return 0;
        }
    }
    return rc;
}
