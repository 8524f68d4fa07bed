/* Non-blocking tcp/unix/ssl streams and listeners; see stream.h. */
#include "ovsdb/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/loop.h"
#include "ovsdb/streamaddr.h"
#include "ovsdb/tlsctx.h"

/* Output buffer capacity kept after the backlog drains. */
#define STREAM_KEEP_CAP ((size_t)1 << 20)

/* listen(2) backlog of passive streams. */
#define STREAM_LISTEN_BACKLOG 64

enum stream_state { SS_CONNECTING, SS_HANDSHAKE, SS_CONNECTED, SS_FAILED };

struct stream {
    char *name;
    char *peer;
    char peer_ip[INET6_ADDRSTRLEN];
    enum streamaddr_kind kind;
    enum stream_state state;
    int fd;
    int error;
    char errmsg[STREAM_ERR_LEN];

    SSL_CTX *ctx; /* a reference of our own */
    SSL *ssl;
    short hs_want; /* events the TLS handshake waits for */
    short rx_want; /* events a read waits for (TLS may need to write) */
    short tx_want; /* events a write waits for (TLS may need to read) */

    char *out; /* queued output is out[out_head..out_len) */
    size_t out_head, out_len, out_cap;
};

struct stream_listener {
    char *name;
    enum streamaddr_kind kind;
    int fd;
    int port;
    char *unix_path;
    SSL_CTX *ctx;
};

static int __attribute__((format(printf, 3, 4)))
set_err(char *err, int error, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, STREAM_ERR_LEN, fmt, ap);
        va_end(ap);
    }
    return error;
}

/* Marks 'stream' failed with 'error' and a message; returns 'error'. */
static int __attribute__((format(printf, 3, 4)))
stream_fail(struct stream *s, int error, const char *fmt, ...)
{
    va_list ap;

    if (s->state == SS_FAILED) {
        return s->error;
    }
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    s->state = SS_FAILED;
    s->error = error;
    return error;
}

/* ---- Streams ---- */

static bool
has_prefix(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

bool
stream_is_active_name(const char *name)
{
    return has_prefix(name, "tcp:") || has_prefix(name, "ssl:") ||
           has_prefix(name, "unix:");
}

bool
stream_is_passive_name(const char *name)
{
    return has_prefix(name, "ptcp:") || has_prefix(name, "pssl:") ||
           has_prefix(name, "punix:");
}


static struct stream *
stream_new(const char *name, const char *peer, const char *ip,
           enum streamaddr_kind kind, int fd)
{
    struct stream *s = calloc(1, sizeof *s);

    if (!s || !(s->name = strdup(name)) || !(s->peer = strdup(peer))) {
        if (s) {
            free(s->name);
            free(s);
        }
        return NULL;
    }
    snprintf(s->peer_ip, sizeof s->peer_ip, "%s", ip);
    s->kind = kind;
    s->fd = fd;
    s->rx_want = POLLIN;
    s->tx_want = POLLOUT;
    return s;
}

/* Attaches a TLS session from 's->ctx' to the connected socket of 's'. */
static int
stream_start_tls(struct stream *s, bool server)
{
    s->ssl = SSL_new(s->ctx);
    if (!s->ssl || SSL_set_fd(s->ssl, s->fd) != 1) {
        return stream_fail(s, -ENOMEM, "cannot create a TLS session");
    }
    if (server) {
        SSL_set_accept_state(s->ssl);
    } else {
        SSL_set_connect_state(s->ssl);
    }
    s->hs_want = POLLOUT;
    s->state = SS_HANDSHAKE;
    return 0;
}

/* Creates the socket and starts connect(2). */
static int
start_connect(const struct streamaddr *a, int *fdp, bool *done, char *err)
{
    int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
                                         SOCK_CLOEXEC, 0);
    int one = 1;

    if (fd < 0) {
        int e = errno;
        return set_err(err, -e, "socket: %s", strerror(e));
    }
    if (a->kind != STREAMADDR_UNIX) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    *done = connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0;
    if (!*done && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return set_err(err, -e, "connect to %s: %s", a->peer, strerror(e));
    }
    *fdp = fd;
    return 0;
}

int
stream_open(const char *name, const struct stream_ssl_files *ssl,
            struct stream **streamp, char *err)
{
    struct streamaddr a;
    SSL_CTX *ctx = NULL;
    bool done = false;
    int fd = -1, r;

    *streamp = NULL;
    if (!name || strlen(name) >= STREAM_NAME_MAX) {
        return set_err(err, -EINVAL, "stream name missing or too long");
    }
    if ((r = streamaddr_parse_active(name, &a, err)) ||
        (a.kind == STREAMADDR_SSL && (r = tlsctx_create(ssl, false, &ctx, err))) ||
        (r = start_connect(&a, &fd, &done, err))) {
        SSL_CTX_free(ctx);
        return r;
    }
    struct stream *s = stream_new(name, a.peer, a.ip, a.kind, fd);
    if (!s) {
        close(fd);
        SSL_CTX_free(ctx);
        return set_err(err, -ENOMEM, "out of memory");
    }
    s->ctx = ctx;
    s->state = done ? SS_CONNECTED : SS_CONNECTING;
    if (done && ctx) {
        stream_start_tls(s, false);
    }
    *streamp = s;
    return 0;
}

/* Checks whether a non-blocking connect(2) finished. */
static int
finish_connect(struct stream *s)
{
    struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};
    int soerr = 0;
    socklen_t len = sizeof soerr;

    if (poll(&pfd, 1, 0) == 0) {
        return -EAGAIN;
    }
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) {
        soerr = errno;
    }
    if (soerr) {
        return stream_fail(s, -soerr, "connect to %s: %s", s->peer,
                           strerror(soerr));
    }
    s->state = SS_CONNECTED;
    return s->ctx ? stream_start_tls(s, false) : 0;
}

/* Describes a failed handshake: the verification result if that failed. */
static int
handshake_failed(struct stream *s)
{
    char why[STREAM_ERR_LEN];
    long v = SSL_get_verify_result(s->ssl);

    tlsctx_error_text(why, sizeof why);
    if (v != X509_V_OK) {
        return stream_fail(s, -EPROTO, "TLS handshake with %s failed: peer "
                           "certificate not trusted (%s)", s->peer,
                           X509_verify_cert_error_string(v));
    }
    return stream_fail(s, -EPROTO, "TLS handshake with %s failed: %s",
                       s->peer, why);
}

static int
do_handshake(struct stream *s)
{
    ERR_clear_error();
    int r = SSL_do_handshake(s->ssl);

    if (r == 1) {
        s->state = SS_CONNECTED;
        return 0;
    }
    switch (SSL_get_error(s->ssl, r)) {
    case SSL_ERROR_WANT_READ:
        s->hs_want = POLLIN;
        return -EAGAIN;
    case SSL_ERROR_WANT_WRITE:
        s->hs_want = POLLOUT;
        return -EAGAIN;
    case SSL_ERROR_SYSCALL:
        if (errno && ERR_peek_error() == 0) {
            int e = errno;
            return stream_fail(s, -e, "TLS handshake with %s: %s", s->peer,
                               strerror(e));
        }
        if (ERR_peek_error() == 0) {
            return stream_fail(s, -EPIPE, "TLS handshake with %s: connection "
                               "closed by peer", s->peer);
        }
        return handshake_failed(s);
    default:
        return handshake_failed(s);
    }
}

int
stream_connect(struct stream *s)
{
    int r;

    switch (s->state) {
    case SS_CONNECTING:
        if ((r = finish_connect(s)) || s->state != SS_HANDSHAKE) {
            return r;
        }
        /* fall through */
    case SS_HANDSHAKE:
        return do_handshake(s);
    case SS_CONNECTED:
        return 0;
    case SS_FAILED:
        return s->error;
    }
    return -EINVAL;
}

/* TLS read; see stream_recv(). */
static ssize_t
ssl_recv(struct stream *s, void *buf, size_t n)
{
    char why[STREAM_ERR_LEN];
    int len = n > INT32_MAX ? INT32_MAX : (int)n;

    ERR_clear_error();
    int r = SSL_read(s->ssl, buf, len);
    if (r > 0) {
        s->rx_want = POLLIN;
        return r;
    }
    switch (SSL_get_error(s->ssl, r)) {
    case SSL_ERROR_WANT_READ:
        s->rx_want = POLLIN;
        return -EAGAIN;
    case SSL_ERROR_WANT_WRITE:
        s->rx_want = POLLOUT;
        return -EAGAIN;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0) {
            int e = errno ? errno : EPIPE;
            return e == EPIPE || e == ECONNRESET
                       ? 0 : stream_fail(s, -e, "%s", strerror(e));
        }
        /* fall through */
    default:
        tlsctx_error_text(why, sizeof why);
        return stream_fail(s, -EPROTO, "TLS read: %s", why);
    }
}

ssize_t
stream_recv(struct stream *s, void *buf, size_t n)
{
    int r = stream_connect(s);

    if (r) {
        return r;
    }
    if (s->ssl) {
        return ssl_recv(s, buf, n);
    }
    ssize_t got = recv(s->fd, buf, n, 0);
    if (got >= 0) {
        return got;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return -EAGAIN;
    }
    if (errno == ECONNRESET) {
        return 0;
    }
    int e = errno;
    return stream_fail(s, -e, "receive: %s", strerror(e));
}

/* Writes queued bytes once: returns bytes written, -EAGAIN, or an error. */
static ssize_t
write_some(struct stream *s)
{
    const char *p = s->out + s->out_head;
    size_t n = s->out_len - s->out_head;

    if (!s->ssl) {
        ssize_t w = send(s->fd, p, n, MSG_NOSIGNAL);
        if (w >= 0) {
            return w;
        }
        int e = errno;
        return e == EAGAIN || e == EWOULDBLOCK || e == EINTR
                   ? -EAGAIN : stream_fail(s, -e, "send: %s", strerror(e));
    }
    ERR_clear_error();
    int w = SSL_write(s->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
    if (w > 0) {
        return w;
    }
    int code = SSL_get_error(s->ssl, w);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
        s->tx_want = code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        return -EAGAIN;
    }
    char why[STREAM_ERR_LEN];
    tlsctx_error_text(why, sizeof why);
    return stream_fail(s, -EPIPE, "TLS write: %s", why);
}

/* Writes as much queued output as the socket takes. */
static void
flush_output(struct stream *s)
{
    s->tx_want = POLLOUT;
    while (s->out_head < s->out_len) {
        ssize_t w = write_some(s);
        if (w < 0) {
            return;
        }
        s->out_head += (size_t)w;
    }
    s->out_head = s->out_len = 0;
    if (s->out_cap > STREAM_KEEP_CAP) {
        free(s->out);
        s->out = NULL;
        s->out_cap = 0;
    }
}

/* Makes room for 'n' more queued bytes. */
static int
reserve_output(struct stream *s, size_t n)
{
    if (s->out_head && s->out_head >= s->out_len / 2) {
        memmove(s->out, s->out + s->out_head, s->out_len - s->out_head);
        s->out_len -= s->out_head;
        s->out_head = 0;
    }
    if (s->out_len + n <= s->out_cap) {
        return 0;
    }
    size_t cap = s->out_cap ? s->out_cap : 4096;
    while (cap < s->out_len + n) {
        cap *= 2;
    }
    char *p = realloc(s->out, cap);
    if (!p) {
        return -ENOMEM;
    }
    s->out = p;
    s->out_cap = cap;
    return 0;
}

int
stream_send(struct stream *s, const void *buf, size_t n)
{
    if (s->state == SS_FAILED) {
        return s->error;
    }
    if (reserve_output(s, n)) {
        return -ENOMEM;
    }
    memcpy(s->out + s->out_len, buf, n);
    s->out_len += n;
    stream_run(s);
    return s->state == SS_FAILED ? s->error : 0;
}

size_t
stream_backlog(const struct stream *s)
{
    return s->out_len - s->out_head;
}

void
stream_run(struct stream *s)
{
    if (s->state != SS_CONNECTED) {
        int r = stream_connect(s);
        if (r) {
            return;
        }
    }
    if (s->out_head < s->out_len) {
        flush_output(s);
    }
}

void
stream_wait(struct stream *s)
{
    switch (s->state) {
    case SS_CONNECTING:
        loop_fd_wait(s->fd, POLLOUT);
        break;
    case SS_HANDSHAKE:
        loop_fd_wait(s->fd, s->hs_want);
        break;
    case SS_CONNECTED:
        if (s->out_head < s->out_len) {
            loop_fd_wait(s->fd, s->tx_want);
        }
        break;
    case SS_FAILED:
        break;
    }
}

void
stream_recv_wait(struct stream *s)
{
    if (s->state == SS_FAILED) {
        loop_immediate_wake();
    } else if (s->state != SS_CONNECTED) {
        stream_wait(s);
    } else if (s->ssl && SSL_pending(s->ssl) > 0) {
        loop_immediate_wake();
    } else {
        loop_fd_wait(s->fd, s->rx_want);
    }
}

void
stream_close(struct stream *s)
{
    if (!s) {
        return;
    }
    if (s->ssl) {
        if (s->state == SS_CONNECTED) {
            SSL_shutdown(s->ssl); /* best effort, non-blocking */
        }
        SSL_free(s->ssl);
    }
    SSL_CTX_free(s->ctx);
    ERR_clear_error();
    if (s->fd >= 0) {
        close(s->fd);
    }
    free(s->out);
    free(s->peer);
    free(s->name);
    free(s);
}

const char *
stream_name(const struct stream *s)
{
    return s->name;
}

const char *
stream_peer(const struct stream *s)
{
    return s->peer;
}

const char *
stream_peer_ip(const struct stream *s)
{
    return s->peer_ip;
}

const char *
stream_error(const struct stream *s)
{
    return s->errmsg;
}

/* ---- Listeners ---- */

/* Removes a stale socket file at 'path' (only if it is a socket). */
static void
remove_stale_socket(const char *path)
{
    struct stat st;

    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(path);
    }
}

/* Creates, binds and listens on a socket for 'a'; returns the fd. */
static int
bind_listen(const struct streamaddr *a, const char *name, int *fdp,
            char *err)
{
    int one = 1;
    int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
                                         SOCK_CLOEXEC, 0);

    if (fd < 0) {
        int e = errno;
        return set_err(err, -e, "%s: socket: %s", name, strerror(e));
    }
    if (a->kind == STREAMADDR_UNIX) {
        remove_stale_socket(a->peer);
    } else {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0 ||
        listen(fd, STREAM_LISTEN_BACKLOG) < 0) {
        int e = errno;
        close(fd);
        return set_err(err, -e, "%s: cannot listen: %s", name, strerror(e));
    }
    *fdp = fd;
    return 0;
}

/* The bound TCP port of listening socket 'fd'. */
static int
bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        return 0;
    }
    if (ss.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    }
    if (ss.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return 0;
}

int
stream_listen(const char *name, const struct stream_ssl_files *ssl,
              struct stream_listener **listenerp, char *err)
{
    struct streamaddr a;
    SSL_CTX *ctx = NULL;
    int fd = -1, r;

    *listenerp = NULL;
    if (!name || strlen(name) >= STREAM_NAME_MAX) {
        return set_err(err, -EINVAL, "listener name missing or too long");
    }
    if ((r = streamaddr_parse_passive(name, &a, err)) ||
        (a.kind == STREAMADDR_SSL && (r = tlsctx_create(ssl, true, &ctx, err))) ||
        (r = bind_listen(&a, name, &fd, err))) {
        SSL_CTX_free(ctx);
        return r;
    }
    struct stream_listener *l = calloc(1, sizeof *l);
    if (!l || !(l->name = strdup(name)) ||
        (a.kind == STREAMADDR_UNIX && !(l->unix_path = strdup(a.peer)))) {
        if (l) {
            free(l->name);
            free(l);
        }
        close(fd);
        SSL_CTX_free(ctx);
        return set_err(err, -ENOMEM, "out of memory");
    }
    l->kind = a.kind;
    l->fd = fd;
    l->ctx = ctx;
    l->port = a.kind == STREAMADDR_UNIX ? 0 : bound_port(fd);
    *listenerp = l;
    return 0;
}

/* Formats the peer of an accepted socket into 'a'. */
static void
describe_peer(const struct stream_listener *l, int fd, struct streamaddr *a)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    a->ip[0] = '\0';
    snprintf(a->peer, sizeof a->peer, "%s", l->unix_path ? l->unix_path : "?");
    if (l->kind != STREAMADDR_UNIX &&
        getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
        streamaddr_from_sockaddr(&ss, a);
    }
}

int
stream_accept(struct stream_listener *l, struct stream **streamp)
{
    static const char *const scheme[] = {"tcp", "ssl", "unix"};
    struct streamaddr a;
    char name[STREAM_NAME_MAX + 8];
    int one = 1;

    *streamp = NULL;
    int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return e == EAGAIN || e == EWOULDBLOCK || e == EINTR ? -EAGAIN : -e;
    }
    if (l->kind != STREAMADDR_UNIX) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    describe_peer(l, fd, &a);
    snprintf(name, sizeof name, "%s:%s", scheme[l->kind], a.peer);
    struct stream *s = stream_new(name, a.peer, a.ip, l->kind, fd);
    if (!s) {
        close(fd);
        return -ENOMEM;
    }
    s->state = SS_CONNECTED;
    if (l->ctx) {
        SSL_CTX_up_ref(l->ctx);
        s->ctx = l->ctx;
        stream_start_tls(s, true);
    }
    *streamp = s;
    return 0;
}

void
stream_listener_wait(struct stream_listener *l)
{
    loop_fd_wait(l->fd, POLLIN);
}

int
stream_listener_port(const struct stream_listener *l)
{
    return l->port;
}

const char *
stream_listener_name(const struct stream_listener *l)
{
    return l->name;
}

void
stream_listener_close(struct stream_listener *l)
{
    if (!l) {
        return;
    }
    close(l->fd);
    if (l->unix_path) {
        unlink(l->unix_path);
        free(l->unix_path);
    }
    SSL_CTX_free(l->ctx);
    free(l->name);
    free(l);
}
