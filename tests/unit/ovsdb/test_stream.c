/* Unit tests of src/ovsdb/stream.c and the connection part of jsonrpc.c:
 * names, tcp/unix/ssl loopback pairs, TLS failures, framing over a real
 * socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/loop.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/stream.h"
#include "testutil.h"

static char dir[PATH_MAX];

static int
setup(void **state)
{
    (void)state;
    if (tu_mkdtemp(dir, "l2gw-stream") || tu_make_pki(dir)) {
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    tu_rmrf(dir);
    return 0;
}

static void
expect_open_error(const char *name, const struct stream_ssl_files *ssl,
                  const char *needle)
{
    struct stream *s = (struct stream *)1;
    char err[STREAM_ERR_LEN] = "";

    assert_true(stream_open(name, ssl, &s, err) < 0);
    assert_null(s);
    if (!strstr(err, needle)) {
        fail_msg("error for %s is '%s', expected to contain '%s'", name, err,
                 needle);
    }
}

static void
test_names(void **state)
{
    (void)state;
    char key[PATH_MAX + 16];

    assert_true(stream_is_active_name("tcp:1.2.3.4:5"));
    assert_true(stream_is_passive_name("punix:/x"));
    assert_false(stream_is_active_name("ptcp:5"));
    expect_open_error("foo:1.2.3.4:5", NULL, "unknown stream type");
    expect_open_error("tcp:1.2.3.4", NULL, "expected tcp:IP:PORT");
    expect_open_error("tcp:1.2.3.4:0", NULL, "expected tcp:IP:PORT");
    expect_open_error("tcp:1.2.3.4:70000", NULL, "expected tcp:IP:PORT");
    expect_open_error("tcp:::1:6640", NULL, "[IPv6]");
    expect_open_error("tcp:switch.example:6640", NULL, "numeric");
    expect_open_error("unix:", NULL, "empty");
    expect_open_error("ssl:127.0.0.1:6640", NULL, "needs a private key");
    snprintf(key, sizeof key, "%s/missing.key", dir);
    char cert[PATH_MAX + 16], ca[PATH_MAX + 16];
    snprintf(cert, sizeof cert, "%s/client.pem", dir);
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    struct stream_ssl_files f = {key, cert, ca};
    expect_open_error("ssl:127.0.0.1:6640", &f,
                      "cannot read private key file");
    expect_open_error("ssl:127.0.0.1:6640", &f, "missing.key");
    f.private_key = cert; /* a certificate is not a key */
    expect_open_error("ssl:127.0.0.1:6640", &f, "private key file");
    char other[PATH_MAX + 16];
    snprintf(other, sizeof other, "%s/server.key", dir);
    f.private_key = other; /* a key that does not match */
    expect_open_error("ssl:127.0.0.1:6640", &f, "mismatch");

    struct stream_listener *l;
    char err[STREAM_ERR_LEN];
    assert_int_equal(stream_listen("ptcp:x", NULL, &l, err), -EINVAL);
    assert_int_equal(stream_listen("pssl:0:127.0.0.1", NULL, &l, err),
                     -EINVAL);
    assert_non_null(strstr(err, "private key"));
}

/* A connected pair of streams made through a listener. */
struct pair {
    struct stream_listener *l;
    struct stream *c, *s;
    int c_status, s_status;
    bool client_only; /* done once accepted, whatever the server's state */
};

static bool
pair_step(void *aux)
{
    struct pair *p = aux;

    if (!p->s) {
        int r = stream_accept(p->l, &p->s);
        assert_true(r == 0 || r == -EAGAIN);
    }
    p->c_status = stream_connect(p->c);
    if (p->s) {
        p->s_status = stream_connect(p->s);
    }
    bool done = p->s && p->c_status != -EAGAIN &&
                (p->client_only || p->s_status != -EAGAIN);
    if (!done) {
        stream_listener_wait(p->l);
        stream_wait(p->c);
        if (p->s) {
            stream_wait(p->s);
        }
    }
    return done;
}

static void
make_pair2(struct pair *p, const char *listen, const char *connect_fmt,
           const struct stream_ssl_files *lssl,
           const struct stream_ssl_files *cssl, bool client_only)
{
    char err[STREAM_ERR_LEN], name[PATH_MAX + 32];

    memset(p, 0, sizeof *p);
    p->client_only = client_only;
    if (stream_listen(listen, lssl, &p->l, err)) {
        fail_msg("listen %s: %s", listen, err);
    }
    snprintf(name, sizeof name, connect_fmt, stream_listener_port(p->l));
    if (stream_open(name, cssl, &p->c, err)) {
        fail_msg("open %s: %s", name, err);
    }
    assert_true(tu_loop_until(pair_step, p, 5000));
}

static void
make_pair(struct pair *p, const char *listen, const char *connect_fmt,
          const struct stream_ssl_files *lssl,
          const struct stream_ssl_files *cssl)
{
    make_pair2(p, listen, connect_fmt, lssl, cssl, false);
}

static void
free_pair(struct pair *p)
{
    stream_close(p->c);
    stream_close(p->s);
    stream_listener_close(p->l);
}

/* Reads exactly 'n' bytes from 's' within a few seconds. */
static void
read_exact(struct stream *s, char *buf, size_t n)
{
    long long deadline = loop_now() + 5000;
    size_t got = 0;

    while (got < n) {
        ssize_t r = stream_recv(s, buf + got, n - got);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        assert_int_equal(r, -EAGAIN);
        assert_true(loop_now() < deadline);
        stream_recv_wait(s);
        loop_timer_wait_until(deadline);
        loop_block();
    }
}

/* Sends 'n' bytes each way and checks them, then EOF after close. */
static void
exchange(struct pair *p, size_t n)
{
    char *out = malloc(n), *in = malloc(n);

    for (size_t i = 0; i < n; i++) {
        out[i] = (char)(i * 7 + 3);
    }
    assert_int_equal(stream_send(p->c, out, n), 0);
    /* Both directions at once: the writer may block on a full socket. */
    size_t got = 0;
    long long deadline = loop_now() + 10000;
    while (got < n) {
        stream_run(p->c);
        ssize_t r = stream_recv(p->s, in + got, n - got);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        assert_int_equal(r, -EAGAIN);
        assert_true(loop_now() < deadline);
        stream_wait(p->c);
        stream_recv_wait(p->s);
        loop_block();
    }
    assert_memory_equal(in, out, n);
    assert_int_equal(stream_send(p->s, "pong", 4), 0);
    read_exact(p->c, in, 4);
    assert_memory_equal(in, "pong", 4);
    assert_int_equal(stream_backlog(p->c), 0);
    stream_close(p->s);
    p->s = NULL;
    for (;;) { /* end of stream */
        ssize_t r = stream_recv(p->c, in, 1);
        if (r == 0) {
            break;
        }
        assert_int_equal(r, -EAGAIN);
        stream_recv_wait(p->c);
        loop_block();
    }
    free(in);
    free(out);
}

static void
test_tcp(void **state)
{
    (void)state;
    struct pair p;

    make_pair(&p, "ptcp:0:127.0.0.1", "tcp:127.0.0.1:%d", NULL, NULL);
    assert_int_equal(p.c_status, 0);
    assert_int_equal(p.s_status, 0);
    assert_true(stream_listener_port(p.l) > 0);
    assert_string_equal(stream_peer_ip(p.s), "127.0.0.1");
    assert_non_null(strstr(stream_name(p.s), "tcp:127.0.0.1:"));
    exchange(&p, 3 << 20);
    free_pair(&p);
}

static void
test_tcp6(void **state)
{
    (void)state;
    struct pair p;

    if (access("/proc/net/if_inet6", R_OK)) {
        skip();
    }
    make_pair(&p, "ptcp:0:[::1]", "tcp:[::1]:%d", NULL, NULL);
    assert_int_equal(p.c_status, 0);
    assert_string_equal(stream_peer_ip(p.s), "::1");
    exchange(&p, 1000);
    free_pair(&p);
}

static void
test_unix(void **state)
{
    (void)state;
    struct pair p;
    char l[PATH_MAX + 16], c[PATH_MAX + 16];

    snprintf(l, sizeof l, "punix:%s/sock", dir);
    snprintf(c, sizeof c, "unix:%s/sock%%.0d", dir);
    make_pair(&p, l, c, NULL, NULL);
    assert_int_equal(p.c_status, 0);
    assert_int_equal(stream_listener_port(p.l), 0);
    exchange(&p, 100000);
    free_pair(&p);
    snprintf(l, sizeof l, "%s/sock", dir);
    assert_int_not_equal(access(l, F_OK), 0); /* removed on close */
}

static void
files(struct stream_ssl_files *f, char buf[3][PATH_MAX + 32],
      const char *who, const char *ca)
{
    snprintf(buf[0], PATH_MAX + 32, "%s/%s.key", dir, who);
    snprintf(buf[1], PATH_MAX + 32, "%s/%s.pem", dir, who);
    snprintf(buf[2], PATH_MAX + 32, "%s/%s.pem", dir, ca);
    f->private_key = buf[0];
    f->certificate = buf[1];
    f->ca_cert = buf[2];
}

static void
test_ssl(void **state)
{
    (void)state;
    char sb[3][PATH_MAX + 32], cb[3][PATH_MAX + 32];
    struct stream_ssl_files sf, cf;
    struct pair p;

    files(&sf, sb, "server", "ca");
    files(&cf, cb, "client", "ca");
    make_pair(&p, "pssl:0:127.0.0.1", "ssl:127.0.0.1:%d", &sf, &cf);
    assert_int_equal(p.c_status, 0);
    assert_int_equal(p.s_status, 0);
    assert_non_null(strstr(stream_name(p.s), "ssl:127.0.0.1:"));
    exchange(&p, 2 << 20);
    free_pair(&p);

    /* The client does not trust the server's CA. */
    files(&cf, cb, "client", "other-ca");
    make_pair(&p, "pssl:0:127.0.0.1", "ssl:127.0.0.1:%d", &sf, &cf);
    assert_true(p.c_status < 0);
    assert_non_null(strstr(stream_error(p.c), "not trusted"));
    free_pair(&p);

    /* The server does not trust the client's certificate. */
    files(&sf, sb, "server", "other-ca");
    files(&cf, cb, "client", "ca");
    make_pair(&p, "pssl:0:127.0.0.1", "ssl:127.0.0.1:%d", &sf, &cf);
    assert_true(p.s_status < 0);
    assert_non_null(strstr(stream_error(p.s), "TLS handshake"));
    free_pair(&p);

    /* A plaintext client on a TLS listener fails, never falls back. */
    files(&sf, sb, "server", "ca");
    make_pair2(&p, "pssl:0:127.0.0.1", "tcp:127.0.0.1:%d", &sf, NULL, true);
    assert_int_equal(p.c_status, 0);
    assert_int_equal(stream_send(p.c, "{\"id\":1}\n\n\n\n\n\n", 14), 0);
    while ((p.s_status = stream_connect(p.s)) == -EAGAIN) {
        stream_wait(p.s);
        loop_block();
    }
    assert_true(p.s_status < 0);
    free_pair(&p);
}

/* jsonrpc over a unix pair: ordering, a large message, the size cap. */
static void
test_jsonrpc_conn(void **state)
{
    (void)state;
    struct pair p;
    char l[PATH_MAX + 16], c[PATH_MAX + 16];

    snprintf(l, sizeof l, "punix:%s/rpc", dir);
    snprintf(c, sizeof c, "unix:%s/rpc%%.0d", dir);
    make_pair(&p, l, c, NULL, NULL);
    struct jsonrpc *a = jsonrpc_open(p.c, 0);
    struct jsonrpc *b = jsonrpc_open(p.s, 8192);
    p.c = p.s = NULL;

    for (int i = 0; i < 100; i++) {
        assert_int_equal(jsonrpc_send(a, jsonrpc_create_request(
                             "echo", json_pack("[i]", i), json_integer(i))),
                         0);
    }
    for (int i = 0; i < 100; i++) {
        struct jsonrpc_msg *m;
        int r;
        while ((r = jsonrpc_recv(b, &m)) == -EAGAIN) {
            jsonrpc_run(a);
            jsonrpc_wait(a);
            jsonrpc_recv_wait(b);
            loop_block();
        }
        assert_int_equal(r, 0);
        assert_int_equal(m->type, JSONRPC_REQUEST);
        assert_int_equal(json_integer_value(m->id), i);
        jsonrpc_msg_destroy(m);
    }
    /* Over b's cap of 8192 bytes: b drops the connection. */
    char big[10000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(jsonrpc_send(a, jsonrpc_create_notify(
                         "n", json_pack("[s]", big))), 0);
    struct jsonrpc_msg *m;
    int r;
    while ((r = jsonrpc_recv(b, &m)) == -EAGAIN) {
        jsonrpc_run(a);
        jsonrpc_wait(a);
        jsonrpc_recv_wait(b);
        loop_block();
    }
    assert_int_equal(r, -EMSGSIZE);
    assert_non_null(strstr(jsonrpc_error(b), "cap of 8192"));
    assert_int_equal(jsonrpc_status(b), -EMSGSIZE);
    jsonrpc_close(b);
    /* a sees the end of the stream. */
    while ((r = jsonrpc_recv(a, &m)) == -EAGAIN) {
        jsonrpc_recv_wait(a);
        loop_block();
    }
    assert_int_equal(r, -EPIPE);
    jsonrpc_close(a);
    free_pair(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_tcp),
        cmocka_unit_test(test_tcp6),
        cmocka_unit_test(test_unix),
        cmocka_unit_test(test_ssl),
        cmocka_unit_test(test_jsonrpc_conn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
