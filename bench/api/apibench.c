/* apibench: measures l2gwd's L2 gateway API over one keep-alive HTTP/1.1
 * connection.
 *
 * Phases, run in order against a running daemon (run.sh starts one):
 *   create  POST   /v2.0/l2-gateways        N times, one after the other
 *   list    GET    /v2.0/l2-gateways        --list-repeat times
 *   show    GET    /v2.0/l2-gateways/<id>   --show-repeat times, rotating
 *                                           over the created ids
 *   delete  DELETE /v2.0/l2-gateways/<id>   once per created id
 * For each phase it prints the count, the total time, the throughput and
 * the latency distribution (p50, p90, p99, max).  With --pid it reads the
 * server's resident set (VmRSS of /proc/PID/status) idle before the run,
 * after each phase, and its peak (VmHWM) at the end.
 *
 * The HTTP client is small on purpose: one blocking socket with
 * TCP_NODELAY, each request written with one send(), each response read by
 * its status line, Content-Length or chunked body.  A request's latency
 * runs from just before its send() (or its connect(), when the server closed
 * the previous connection) to the last byte of its body.  Building
 * requests and checking answers with jansson happen outside that window,
 * and a phase's total time is the sum of its latencies, so the throughput
 * is the one the server sustains for a sequential client.
 *
 * Every answer is checked (status code, ids, list length); any mismatch is
 * an error, reported on stderr, and makes the exit status 1. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_URL "http://127.0.0.1:9696"
#define DEFAULT_COUNT 1000
#define DEFAULT_LIST_REPEAT 50
#define DEFAULT_SHOW_REPEAT 2000
#define MAX_COUNT 1000000           /* gateways per run */
#define MAX_REPEAT 10000000         /* repetitions of list/show */
#define HOST_MAX 256                /* host[:port] of --url */
#define PREFIX_MAX 256              /* path prefix of --url */
#define ID_MAX 64                   /* longest gateway id accepted */
#define MAX_HEAD_BYTES 65536        /* status line + headers of one answer */
#define MAX_BODY_BYTES (256L << 20) /* body of one answer */
#define RECV_CHUNK 65536            /* least free room before each recv() */
#define IO_TIMEOUT_S 30             /* send/recv timeout on the socket */
#define ERRORS_SHOWN 5              /* error answers printed per phase */
#define GATEWAYS_PATH "/v2.0/l2-gateways"

/* Figures the issue asks for, stated for N = 1000 on a 2-core machine. */
#define TARGET_LIST_P50_MS 5.0
#define TARGET_SHOW_P50_MS 0.2
#define TARGET_CREATE_PER_S 2000.0
#define TARGET_IDLE_RSS_KB (20L * 1024)

/* ---- growable byte buffer ---- */

struct buf {
    char *data;
    size_t len, cap;
};

/* Makes room for 'more' bytes after 'b->len' (plus a NUL).  Returns 0 or
 * -ENOMEM; 'b->data' may move. */
static int buf_reserve(struct buf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Appends 'n' bytes and keeps the buffer NUL-terminated. */
static int buf_append(struct buf *b, const void *p, size_t n)
{
    int err = buf_reserve(b, n);
    if (err)
        return err;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Appends printf-formatted text. */
__attribute__((format(printf, 2, 3))) static int
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n))
        return -ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

static void buf_free(struct buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---- HTTP/1.1 client over one keep-alive connection ---- */

struct conn {
    struct addrinfo *addr;   /* resolved server address (owned) */
    char hostport[HOST_MAX]; /* value of the Host header */
    char prefix[PREFIX_MAX]; /* path of --url, without a trailing '/' */
    int fd;                  /* -1 while not connected */
    struct buf in;           /* received bytes; unread ones from 'pos' */
    size_t pos;
    struct buf req;         /* the request being sent */
    struct buf body;        /* body of the last answer */
    unsigned long connects; /* TCP connections opened */
};

struct resp {
    int status;
    bool close;       /* the server will close: reconnect before next */
    const char *body; /* NUL-terminated; valid until the next request */
    size_t len;
};

/* Splits "http://host[:port][/prefix]" into 'c'.  Returns 0 or -EINVAL. */
static int conn_parse_url(struct conn *c, const char *url, char *host,
                          size_t hostlen, char *port, size_t portlen)
{
    if (strncmp(url, "http://", 7))
        return -EINVAL;
    const char *hp = url + 7, *slash = strchr(hp, '/');
    size_t hplen = slash ? (size_t)(slash - hp) : strlen(hp);
    if (!hplen || hplen >= sizeof c->hostport || hplen >= hostlen ||
        (slash && strlen(slash) >= sizeof c->prefix))
        return -EINVAL;
    snprintf(c->hostport, sizeof c->hostport, "%.*s", (int)hplen, hp);
    snprintf(c->prefix, sizeof c->prefix, "%s", slash ? slash : "");
    size_t plen = strlen(c->prefix);
    while (plen && c->prefix[plen - 1] == '/')
        c->prefix[--plen] = '\0';
    const char *close_br =
        c->hostport[0] == '[' ? strchr(c->hostport, ']') : NULL;
    const char *colon = strrchr(close_br ? close_br : c->hostport, ':');
    const char *h = c->hostport + (close_br ? 1 : 0);
    size_t h_len = close_br ? (size_t)(close_br - h)
                   : colon  ? (size_t)(colon - h)
                            : strlen(h);
    snprintf(host, hostlen, "%.*s", (int)h_len, h);
    snprintf(port, portlen, "%s", colon ? colon + 1 : "80");
    return *host && *port ? 0 : -EINVAL;
}

/* Parses 'url' and resolves its host.  Returns 0 or a negative errno after
 * printing why.  Caller frees with conn_destroy(). */
static int conn_init(struct conn *c, const char *url)
{
    char host[HOST_MAX], port[16];
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (conn_parse_url(c, url, host, sizeof host, port, sizeof port)) {
        fprintf(stderr, "apibench: bad --url '%s' (want http://host:port)\n",
                url);
        return -EINVAL;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
    int rc = getaddrinfo(host, port, &hints, &c->addr);
    if (rc) {
        fprintf(stderr, "apibench: %s:%s: %s\n", host, port, gai_strerror(rc));
        return -EHOSTUNREACH;
    }
    return 0;
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->in.len = c->pos = 0;
}

/* Frees what conn_init() allocated; accepts a zeroed or closed conn. */
static void conn_destroy(struct conn *c)
{
    conn_close(c);
    if (c->addr)
        freeaddrinfo(c->addr);
    c->addr = NULL;
    buf_free(&c->in);
    buf_free(&c->req);
    buf_free(&c->body);
}

/* Sets TCP_NODELAY and the send/receive timeouts on 'fd'. */
static int set_socket_options(int fd)
{
    int one = 1;
    struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv))
        return -errno;
    return 0;
}

/* Opens the TCP connection if it is not open.  Returns 0 or -errno. */
static int conn_connect(struct conn *c)
{
    if (c->fd >= 0)
        return 0;
    int err = -ECONNREFUSED;
    for (struct addrinfo *ai = c->addr; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd < 0) {
            err = -errno;
            continue;
        }
        if (!connect(fd, ai->ai_addr, ai->ai_addrlen)) {
            err = set_socket_options(fd);
            if (!err) {
                c->fd = fd;
                c->connects++;
                return 0;
            }
        } else {
            err = -errno;
        }
        close(fd);
    }
    return err;
}

/* Writes all of 'c->req'.  Returns 0 or -errno. */
static int conn_send(struct conn *c)
{
    size_t off = 0;
    while (off < c->req.len) {
        ssize_t n =
            send(c->fd, c->req.data + off, c->req.len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN ? -ETIMEDOUT : -errno;
        off += (size_t)n;
    }
    return 0;
}

/* Receives more bytes into 'c->in' (dropping the bytes already read when
 * that makes room).  Returns 0, -ECONNRESET at end of stream, or -errno. */
static int conn_fill(struct conn *c)
{
    if (c->pos && c->pos == c->in.len) {
        c->in.len = c->pos = 0;
    } else if (c->pos > c->in.cap / 2) {
        memmove(c->in.data, c->in.data + c->pos, c->in.len - c->pos);
        c->in.len -= c->pos;
        c->pos = 0;
    }
    if (buf_reserve(&c->in, RECV_CHUNK))
        return -ENOMEM;
    for (;;) {
        ssize_t n =
            recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1, 0);
        if (n > 0) {
            c->in.len += (size_t)n;
            return 0;
        }
        if (n == 0)
            return -ECONNRESET;
        if (errno != EINTR)
            return errno == EAGAIN ? -ETIMEDOUT : -errno;
    }
}

/* Waits until at least 'n' unread bytes are buffered. */
static int conn_need(struct conn *c, size_t n)
{
    while (c->in.len - c->pos < n) {
        int err = conn_fill(c);
        if (err)
            return err;
    }
    return 0;
}

/* Finds the next CRLF-terminated line, at most 'max' bytes long.  Sets
 * '*len' to its length without the CRLF and returns its offset in
 * 'c->in', or a negative errno. */
static long conn_line(struct conn *c, size_t max, size_t *len)
{
    size_t scanned = 0;
    for (;;) {
        char *start = c->in.data + c->pos;
        size_t avail = c->in.len - c->pos;
        char *crlf = avail > 1
                         ? memmem(start + scanned, avail - scanned, "\r\n", 2)
                         : NULL;
        if (crlf) {
            *len = (size_t)(crlf - start);
            return (long)c->pos;
        }
        if (avail > max)
            return -EMSGSIZE;
        scanned = avail ? avail - 1 : 0;
        int err = conn_fill(c);
        if (err)
            return err;
    }
}

/* Reads the header block after the status line, noting the framing. */
static int read_headers(struct conn *c, long long *clen, bool *chunked,
                        bool *close_conn)
{
    for (;;) {
        size_t len;
        long off = conn_line(c, MAX_HEAD_BYTES, &len);
        if (off < 0)
            return (int)off;
        char *line = c->in.data + off;
        c->pos += len + 2;
        if (!len)
            return 0;
        line[len] = '\0';
        char *colon = strchr(line, ':');
        if (!colon)
            return -EPROTO;
        *colon = '\0';
        const char *v = colon + 1 + strspn(colon + 1, " \t");
        if (!strcasecmp(line, "Content-Length"))
            *clen = strtoll(v, NULL, 10);
        else if (!strcasecmp(line, "Transfer-Encoding"))
            *chunked = strcasestr(v, "chunked") != NULL;
        else if (!strcasecmp(line, "Connection"))
            *close_conn = strcasestr(v, "close") != NULL ||
                          (*close_conn && !strcasestr(v, "keep-alive"));
    }
}

/* Moves 'n' buffered-or-arriving bytes into 'c->body'. */
static int read_exact(struct conn *c, size_t n)
{
    if (n > (size_t)MAX_BODY_BYTES || c->body.len + n > (size_t)MAX_BODY_BYTES)
        return -EMSGSIZE;
    int err = conn_need(c, n);
    if (err)
        return err;
    err = buf_append(&c->body, c->in.data + c->pos, n);
    c->pos += n;
    return err;
}

/* Reads a chunked body into 'c->body' (trailers are skipped). */
static int read_chunked(struct conn *c)
{
    for (;;) {
        size_t len;
        long off = conn_line(c, MAX_HEAD_BYTES, &len);
        if (off < 0)
            return (int)off;
        char *end;
        unsigned long long size = strtoull(c->in.data + off, &end, 16);
        if (end == c->in.data + off)
            return -EPROTO;
        c->pos += len + 2;
        if (!size)
            break;
        int err = read_exact(c, (size_t)size);
        if (!err)
            err = conn_need(c, 2);
        if (err)
            return err;
        c->pos += 2;
    }
    for (;;) { /* trailers, up to the empty line */
        size_t len;
        long off = conn_line(c, MAX_HEAD_BYTES, &len);
        if (off < 0)
            return (int)off;
        c->pos += len + 2;
        if (!len)
            return 0;
    }
}

/* Reads a body delimited by the end of the stream. */
static int read_to_eof(struct conn *c)
{
    for (;;) {
        int err = read_exact(c, c->in.len - c->pos);
        if (err)
            return err;
        err = conn_fill(c);
        if (err == -ECONNRESET)
            return 0;
        if (err)
            return err;
    }
}

/* Reads one answer's status line and headers into 'r'; 1xx answers are
 * skipped.  Sets '*clen' and '*chunked' for the body that follows. */
static int read_head(struct conn *c, struct resp *r, long long *clen,
                     bool *chunked)
{
    for (;;) {
        size_t len;
        long off = conn_line(c, MAX_HEAD_BYTES, &len);
        if (off < 0)
            return (int)off;
        int major, minor;
        c->in.data[off + (long)len] = '\0';
        if (sscanf(c->in.data + off, "HTTP/%d.%d %d", &major, &minor,
                   &r->status) != 3)
            return -EPROTO;
        c->pos += len + 2;
        *clen = -1;
        *chunked = false;
        r->close = major < 1 || (major == 1 && minor == 0);
        int err = read_headers(c, clen, chunked, &r->close);
        if (err || r->status >= 200)
            return err;
    }
}

/* Reads one complete answer into 'r'.  'head_only' for HEAD requests. */
static int read_response(struct conn *c, struct resp *r, bool head_only)
{
    long long clen = -1;
    bool chunked = false;
    int err = read_head(c, r, &clen, &chunked);
    if (err)
        return err;
    c->body.len = 0;
    if (buf_reserve(&c->body, 0))
        return -ENOMEM;
    if (head_only || r->status == 204 || r->status == 304)
        err = 0;
    else if (chunked)
        err = read_chunked(c);
    else if (clen >= 0)
        err = read_exact(c, (size_t)clen);
    else {
        r->close = true;
        err = read_to_eof(c);
    }
    c->body.data[c->body.len] = '\0';
    r->body = c->body.data;
    r->len = c->body.len;
    return err;
}

/* Builds the request into 'c->req'; 'body' may be NULL. */
static int build_request(struct conn *c, const char *method, const char *path,
                         const char *body)
{
    size_t blen = body ? strlen(body) : 0;
    c->req.len = 0;
    int err = buf_printf(&c->req,
                         "%s %s%s HTTP/1.1\r\nHost: %s\r\n"
                         "Accept: application/json\r\n",
                         method, c->prefix, path, c->hostport);
    if (!err && body)
        err = buf_printf(&c->req,
                         "Content-Type: application/json\r\n"
                         "Content-Length: %zu\r\n",
                         blen);
    if (!err)
        err = buf_append(&c->req, "\r\n", 2);
    if (!err && blen)
        err = buf_append(&c->req, body, blen);
    return err;
}

/* Sends one request and reads its answer into 'r' ('r->body' is borrowed
 * from 'c', valid until the next request).  '*elapsed' receives the time
 * from the send (or the connect, when the server had closed the connection)
 * to the last byte read, in ms.  Returns 0 or -errno for a
 * transport failure (the connection is then closed). */
static int http_request(struct conn *c, const char *method, const char *path,
                        const char *body, struct resp *r, double *elapsed)
{
    struct timespec t0, t1;
    int err = build_request(c, method, path, body);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!err)
        err = conn_connect(c);
    if (!err)
        err = conn_send(c);
    if (!err)
        err = read_response(c, r, !strcmp(method, "HEAD"));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *elapsed = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    if (err || r->close)
        conn_close(c);
    return err;
}

/* ---- statistics ---- */

enum phase_id { PH_CREATE, PH_LIST, PH_SHOW, PH_DELETE, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"create", "list", "show",
                                                  "delete"};

struct phase {
    double *ms; /* latency of each request */
    size_t n, cap;
    unsigned long errors;
    /* Filled by phase_finish(). */
    double total_s, per_s, p50, p90, p99, max;
};

static int phase_add(struct phase *p, double ms)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        double *v = realloc(p->ms, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        p->ms = v;
        p->cap = cap;
    }
    p->ms[p->n++] = ms;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of the sorted samples. */
static double percentile(const double *sorted, size_t n, double pct)
{
    if (!n)
        return 0;
    size_t rank = (size_t)ceil(pct / 100.0 * (double)n);
    return sorted[rank ? rank - 1 : 0];
}

static void phase_finish(struct phase *p)
{
    double sum = 0;
    for (size_t i = 0; i < p->n; i++)
        sum += p->ms[i];
    qsort(p->ms, p->n, sizeof *p->ms, cmp_double);
    p->total_s = sum / 1e3;
    p->per_s = sum > 0 ? (double)p->n / p->total_s : 0;
    p->p50 = percentile(p->ms, p->n, 50);
    p->p90 = percentile(p->ms, p->n, 90);
    p->p99 = percentile(p->ms, p->n, 99);
    p->max = p->n ? p->ms[p->n - 1] : 0;
}

/* ---- the benchmark ---- */

struct options {
    const char *url;
    long count, list_repeat, show_repeat;
    long pid; /* 0: no RSS figures */
    bool json;
    bool keep;           /* skip the delete phase, leave the gateways */
    const char *samples; /* file for every latency, or NULL */
};

enum rss_point {
    RSS_IDLE_BEFORE,
    RSS_AFTER_CREATE,
    RSS_AFTER_LIST,
    RSS_AFTER_SHOW,
    RSS_IDLE_AFTER,
    RSS_PEAK,
    RSS_POINTS
};
static const char *const rss_names[RSS_POINTS] = {"idle_before", "after_create",
                                                  "after_list",  "after_show",
                                                  "idle_after",  "peak"};

struct bench {
    struct options opt;
    struct conn conn;
    char (*ids)[ID_MAX]; /* created gateway ids */
    size_t nids;
    size_t preexisting; /* gateways the server held before the run */
    size_t list_bytes;  /* body size of the last full list */
    struct phase ph[PH_COUNT];
    long rss_kb[RSS_POINTS]; /* -1: not measured */
    bool failed;             /* a transport failure stopped the run */
    bool leftovers;          /* the final list had the wrong count */
};

/* Reads "VmRSS:" (or another 'key') of /proc/PID/status in kB; -1 when it
 * cannot be read. */
static long read_proc_kb(long pid, const char *key)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, klen) && line[klen] == ':') {
            kb = strtol(line + klen + 1, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

static void sample_rss(struct bench *b, enum rss_point at)
{
    if (!b->opt.pid)
        return;
    b->rss_kb[at] = read_proc_kb(b->opt.pid, "VmRSS");
    b->rss_kb[RSS_PEAK] = read_proc_kb(b->opt.pid, "VmHWM");
}

/* Prints an unexpected answer (the first few of each phase). */
static void report_error(struct bench *b, enum phase_id ph, const char *what,
                         const struct resp *r)
{
    if (++b->ph[ph].errors > ERRORS_SHOWN)
        return;
    fprintf(stderr, "apibench: %s: %s: HTTP %d: %.300s\n", phase_names[ph],
            what, r->status, r->body);
}

/* Runs one request of phase 'ph' and records its latency.  Returns 0 with
 * the answer in 'r', or a transport error (after printing it). */
static int timed(struct bench *b, enum phase_id ph, const char *method,
                 const char *path, const char *body, struct resp *r)
{
    double ms;
    int err = http_request(&b->conn, method, path, body, r, &ms);
    if (err) {
        fprintf(stderr, "apibench: %s %s%s: %s\n", method, b->conn.prefix, path,
                strerror(-err));
        b->failed = true;
        return err;
    }
    return phase_add(&b->ph[ph], ms);
}

/* Parses 'r->body' as JSON; NULL if it is not.  Caller decrefs. */
static json_t *parse_body(const struct resp *r)
{
    return json_loadb(r->body, r->len, 0, NULL);
}

/* Counts the gateways of a list answer; -1 if it is not one. */
static long count_gateways(const struct resp *r)
{
    json_t *root = parse_body(r);
    json_t *list = json_object_get(root, "l2_gateways");
    long n = json_is_array(list) ? (long)json_array_size(list) : -1;
    json_decref(root);
    return n;
}

/* Body of the i-th create: one device with one VLAN-tagged interface. */
static void create_body(char *out, size_t len, long i)
{
    snprintf(out, len,
             "{\"l2_gateway\": {\"name\": \"bench-gw-%ld\", \"devices\": "
             "[{\"device_name\": \"bench-sw%ld\", \"interfaces\": "
             "[{\"name\": \"p%ld\", \"segmentation_id\": [%ld]}]}]}}",
             i, i % 16, i % 48, 1 + i % 4094);
}

/* Keeps the id of a 201 answer to a create. */
static void keep_id(struct bench *b, const struct resp *r)
{
    json_t *root = parse_body(r);
    const char *id = json_string_value(
        json_object_get(json_object_get(root, "l2_gateway"), "id"));
    if (id && strlen(id) < ID_MAX)
        snprintf(b->ids[b->nids++], ID_MAX, "%s", id);
    else
        report_error(b, PH_CREATE, "answer without a usable id", r);
    json_decref(root);
}

static int run_create(struct bench *b)
{
    char body[512];
    for (long i = 0; i < b->opt.count; i++) {
        struct resp r;
        create_body(body, sizeof body, i);
        if (timed(b, PH_CREATE, "POST", GATEWAYS_PATH, body, &r))
            return -1;
        if (r.status == 201)
            keep_id(b, &r);
        else
            report_error(b, PH_CREATE, "expected 201", &r);
    }
    return 0;
}

/* Lists all gateways once, untimed; returns their number or -1. */
static long list_untimed(struct bench *b)
{
    struct resp r;
    double ms;
    int err = http_request(&b->conn, "GET", GATEWAYS_PATH, NULL, &r, &ms);
    if (err) {
        fprintf(stderr, "apibench: GET %s%s: %s\n", b->conn.prefix,
                GATEWAYS_PATH, strerror(-err));
        return -1;
    }
    long n = r.status == 200 ? count_gateways(&r) : -1;
    if (n < 0)
        fprintf(stderr, "apibench: list: HTTP %d: %.300s\n", r.status, r.body);
    return n;
}

static int run_list(struct bench *b)
{
    long want = (long)(b->preexisting + b->nids);
    for (long i = 0; i < b->opt.list_repeat; i++) {
        struct resp r;
        if (timed(b, PH_LIST, "GET", GATEWAYS_PATH, NULL, &r))
            return -1;
        long got = r.status == 200 ? count_gateways(&r) : -1;
        b->list_bytes = r.len;
        if (got != want) {
            char what[96];
            snprintf(what, sizeof what,
                     "expected 200 with %ld gateways, "
                     "got %ld",
                     want, got);
            report_error(b, PH_LIST, what, &r);
        }
    }
    return 0;
}

/* Checks that a show answer names gateway 'id'. */
static bool shows_id(const struct resp *r, const char *id)
{
    json_t *root = parse_body(r);
    const char *got = json_string_value(
        json_object_get(json_object_get(root, "l2_gateway"), "id"));
    bool ok = got && !strcmp(got, id);
    json_decref(root);
    return ok;
}

static int run_show(struct bench *b)
{
    char path[sizeof GATEWAYS_PATH + ID_MAX + 1];
    for (long i = 0; b->nids && i < b->opt.show_repeat; i++) {
        const char *id = b->ids[(size_t)i % b->nids];
        struct resp r;
        snprintf(path, sizeof path, "%s/%s", GATEWAYS_PATH, id);
        if (timed(b, PH_SHOW, "GET", path, NULL, &r))
            return -1;
        if (r.status != 200 || !shows_id(&r, id))
            report_error(b, PH_SHOW, "expected 200 with the gateway", &r);
    }
    return 0;
}

static int run_delete(struct bench *b)
{
    char path[sizeof GATEWAYS_PATH + ID_MAX + 1];
    for (size_t i = 0; i < b->nids; i++) {
        struct resp r;
        snprintf(path, sizeof path, "%s/%s", GATEWAYS_PATH, b->ids[i]);
        if (timed(b, PH_DELETE, "DELETE", path, NULL, &r))
            return -1;
        if (r.status != 204)
            report_error(b, PH_DELETE, "expected 204", &r);
    }
    return 0;
}

/* Runs the phases in order; stops at the first transport failure.
 * Returns -1 if the server could not even be listed (nothing measured). */
static int run_phases(struct bench *b)
{
    sample_rss(b, RSS_IDLE_BEFORE);
    long pre = list_untimed(b);
    if (pre < 0) {
        b->failed = true;
        return -1;
    }
    b->preexisting = (size_t)pre;
    if (!run_create(b)) {
        sample_rss(b, RSS_AFTER_CREATE);
        if (!run_list(b)) {
            sample_rss(b, RSS_AFTER_LIST);
            if (!run_show(b)) {
                sample_rss(b, RSS_AFTER_SHOW);
                if (!b->opt.keep)
                    run_delete(b);
            }
        }
    }
    long want = pre + (b->opt.keep ? (long)b->nids : 0);
    long post = b->failed ? -1 : list_untimed(b);
    if (!b->failed && post != want) {
        fprintf(stderr,
                "apibench: %ld gateways left after the run, "
                "expected %ld\n",
                post, want);
        b->leftovers = true;
    }
    sample_rss(b, RSS_IDLE_AFTER);
    return 0;
}

/* ---- reporting ---- */

struct target {
    const char *what;
    const char *unit;
    double value; /* NAN: not measured */
    double limit;
    bool at_most; /* value <= limit passes; else value >= limit */
};

static int fill_targets(const struct bench *b, struct target *t)
{
    double rss = b->rss_kb[RSS_IDLE_BEFORE] >= 0
                     ? (double)b->rss_kb[RSS_IDLE_BEFORE] / 1024.0
                     : NAN;
    const struct phase *ph = b->ph;
    t[0] =
        (struct target){"list p50", "ms", ph[PH_LIST].n ? ph[PH_LIST].p50 : NAN,
                        TARGET_LIST_P50_MS, true};
    t[1] =
        (struct target){"show p50", "ms", ph[PH_SHOW].n ? ph[PH_SHOW].p50 : NAN,
                        TARGET_SHOW_P50_MS, true};
    t[2] = (struct target){"create throughput", "/s",
                           ph[PH_CREATE].n ? ph[PH_CREATE].per_s : NAN,
                           TARGET_CREATE_PER_S, false};
    t[3] = (struct target){"idle RSS", "MB", rss,
                           (double)TARGET_IDLE_RSS_KB / 1024.0, true};
    return 4;
}

static const char *target_verdict(const struct target *t)
{
    if (isnan(t->value))
        return "n/a";
    bool ok = t->at_most ? t->value <= t->limit : t->value >= t->limit;
    return ok ? "PASS" : "MISS";
}

static void print_text(const struct bench *b)
{
    printf("l2gwd API benchmark: %s, %ld gateways (%zu before), "
           "%lu TCP connection(s)\n",
           b->opt.url, b->opt.count, b->preexisting, b->conn.connects);
    printf("%-7s %7s %9s %10s %8s %8s %8s %8s %6s\n", "phase", "count",
           "total_s", "ops/s", "p50_ms", "p90_ms", "p99_ms", "max_ms",
           "errors");
    for (int i = 0; i < PH_COUNT; i++) {
        const struct phase *p = &b->ph[i];
        printf("%-7s %7zu %9.3f %10.1f %8.3f %8.3f %8.3f %8.3f %6lu\n",
               phase_names[i], p->n, p->total_s, p->per_s, p->p50, p->p90,
               p->p99, p->max, p->errors);
    }
    printf("list body: %zu bytes\n", b->list_bytes);
    if (b->failed)
        printf("INCOMPLETE: the run stopped at a transport error "
               "(see stderr)\n");
    if (b->conn.connects > 1)
        printf("warning: the server closed the keep-alive connection %lu "
               "times; reconnects are inside the latencies\n",
               b->conn.connects - 1);
    if (b->opt.pid) {
        printf("server RSS (pid %ld), MB:", b->opt.pid);
        for (int i = 0; i < RSS_POINTS; i++)
            if (b->rss_kb[i] >= 0)
                printf(" %s %.1f", rss_names[i], (double)b->rss_kb[i] / 1024.0);
            else
                printf(" %s n/a", rss_names[i]);
        printf("\n");
    }
}

static void print_targets(const struct bench *b)
{
    struct target t[8];
    int n = fill_targets(b, t);
    printf("targets (stated for 1000 gateways):\n");
    for (int i = 0; i < n; i++)
        printf("  %-18s %s %8.3f %-2s  measured %10.3f  %s\n", t[i].what,
               t[i].at_most ? "<=" : ">=", t[i].limit, t[i].unit, t[i].value,
               target_verdict(&t[i]));
}

/* A JSON number, or null for NAN. */
static json_t *json_num(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *phase_json(const struct phase *p)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "count",
                     (json_int_t)p->n, "total_s", json_num(p->total_s),
                     "ops_per_s", json_num(p->per_s), "p50_ms",
                     json_num(p->p50), "p90_ms", json_num(p->p90), "p99_ms",
                     json_num(p->p99), "max_ms", json_num(p->max), "errors",
                     (json_int_t)p->errors);
}

static json_t *targets_json(const struct bench *b)
{
    struct target t[8];
    int n = fill_targets(b, t);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:s, s:s, s:s, s:f, s:o, s:s}", "name", t[i].what,
                      "unit", t[i].unit, "compare",
                      t[i].at_most ? "<=" : ">=", "limit", t[i].limit, "value",
                      json_num(t[i].value), "verdict", target_verdict(&t[i])));
    return arr;
}

/* Writes every latency as "phase index ms" lines, in request order (so
 * before phase_finish() sorts them).  Returns 0 or -1 after printing why. */
static int write_samples(const struct bench *b, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "apibench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (int i = 0; i < PH_COUNT; i++)
        for (size_t j = 0; j < b->ph[i].n; j++)
            fprintf(f, "%s %zu %.6f\n", phase_names[i], j, b->ph[i].ms[j]);
    if (fclose(f)) {
        fprintf(stderr, "apibench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void print_json(const struct bench *b)
{
    json_t *phases = json_object(), *rss = json_object();
    for (int i = 0; i < PH_COUNT; i++)
        json_object_set_new(phases, phase_names[i], phase_json(&b->ph[i]));
    for (int i = 0; i < RSS_POINTS; i++)
        json_object_set_new(rss, rss_names[i],
                            b->rss_kb[i] >= 0 ? json_integer(b->rss_kb[i])
                                              : json_null());
    json_t *root =
        json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:b}",
                  "url", b->opt.url, "gateways", (json_int_t)b->opt.count,
                  "preexisting", (json_int_t)b->preexisting, "list_repeat",
                  (json_int_t)b->opt.list_repeat, "show_repeat",
                  (json_int_t)b->opt.show_repeat, "connections",
                  (json_int_t)b->conn.connects, "list_body_bytes",
                  (json_int_t)b->list_bytes, "phases", phases, "rss_kb", rss,
                  "targets", targets_json(b), "complete", !b->failed);
    json_dumpf(root, stdout,
               JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    printf("\n");
    json_decref(root);
}

/* ---- command line ---- */

static void usage(FILE *f)
{
    static const char *const text =
        "usage: apibench [--url http://HOST:PORT] [-n N] [--list-repeat N]\n"
        "                [--show-repeat N] [--pid PID] [--keep] [--json]\n"
        "                [--samples FILE]\n"
        "Creates N gateways one after the other, lists them, shows them\n"
        "(rotating over the ids), deletes them; prints throughput and\n"
        "latency per operation.\n"
        "  --url URL          server (default %s)\n"
        "  -n, --count N      gateways to create (default %d)\n"
        "  --list-repeat N    lists to time (default %d)\n"
        "  --show-repeat N    shows to time (default %d)\n"
        "  --pid PID          read the server's VmRSS/VmHWM from /proc\n"
        "  --keep             skip the deletes (the gateways stay)\n"
        "  --json             one JSON object instead of the table\n"
        "  --samples FILE     every latency as 'phase index ms' lines\n";
    fprintf(f, text, DEFAULT_URL, DEFAULT_COUNT, DEFAULT_LIST_REPEAT,
            DEFAULT_SHOW_REPEAT);
}

/* Parses a decimal in [min, max]; false otherwise. */
static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Returns 0, 1 for --help, or -1 on a usage error (after printing it). */
static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"url", required_argument, NULL, 'u'},
        {"count", required_argument, NULL, 'n'},
        {"list-repeat", required_argument, NULL, 'l'},
        {"show-repeat", required_argument, NULL, 's'},
        {"pid", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},
        {"keep", no_argument, NULL, 'k'},
        {"samples", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    *o = (struct options){.url = DEFAULT_URL,
                          .count = DEFAULT_COUNT,
                          .list_repeat = DEFAULT_LIST_REPEAT,
                          .show_repeat = DEFAULT_SHOW_REPEAT};
    int ch;
    bool ok = true;
    while (ok && (ch = getopt_long(argc, argv, "u:n:l:s:p:jkS:h", longopts,
                                   NULL)) != -1) {
        switch (ch) {
        case 'u':
            o->url = optarg;
            break;
        case 'n':
            ok = parse_long(optarg, 0, MAX_COUNT, &o->count);
            break;
        case 'l':
            ok = parse_long(optarg, 0, MAX_REPEAT, &o->list_repeat);
            break;
        case 's':
            ok = parse_long(optarg, 0, MAX_REPEAT, &o->show_repeat);
            break;
        case 'p':
            ok = parse_long(optarg, 1, 1L << 30, &o->pid);
            break;
        case 'j':
            o->json = true;
            break;
        case 'k':
            o->keep = true;
            break;
        case 'S':
            o->samples = optarg;
            break;
        case 'h':
            usage(stdout);
            return 1;
        default:
            ok = false;
            break;
        }
    }
    if (ok && optind == argc)
        return 0;
    usage(stderr);
    return -1;
}

static void bench_destroy(struct bench *b)
{
    conn_destroy(&b->conn);
    free(b->ids);
    for (int i = 0; i < PH_COUNT; i++)
        free(b->ph[i].ms);
}

int main(int argc, char **argv)
{
    static struct bench b;
    int rc = parse_options(argc, argv, &b.opt);
    if (rc)
        return rc > 0 ? 0 : 2;
    for (int i = 0; i < RSS_POINTS; i++)
        b.rss_kb[i] = -1;
    b.ids = calloc((size_t)b.opt.count + 1, sizeof *b.ids);
    if (!b.ids || conn_init(&b.conn, b.opt.url)) {
        bench_destroy(&b);
        return 1;
    }
    if (run_phases(&b)) {
        bench_destroy(&b);
        return 1;
    }
    if (b.opt.samples && write_samples(&b, b.opt.samples))
        b.failed = true;
    for (int i = 0; i < PH_COUNT; i++)
        phase_finish(&b.ph[i]);
    if (b.opt.json) {
        print_json(&b);
    } else {
        print_text(&b);
        print_targets(&b);
    }
    unsigned long errors = 0;
    for (int i = 0; i < PH_COUNT; i++)
        errors += b.ph[i].errors;
    bench_destroy(&b);
    return b.failed || b.leftovers || errors ? 1 : 0;
}
