/* TLS contexts for streams; see tlsctx.h. */
#include "ovsdb/tlsctx.h"

#include <errno.h>
#include <openssl/err.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

void
tlsctx_error_text(char *buf, size_t len)
{
    unsigned long e, last = 0;

    while ((e = ERR_get_error()) != 0) {
        last = e;
    }
    if (last) {
        const char *reason = ERR_reason_error_string(last);
        snprintf(buf, len, "%s", reason ? reason : "TLS error");
    } else {
        snprintf(buf, len, "TLS error");
    }
}

/* Writes to a peer that closed would raise SIGPIPE through OpenSSL's
 * socket BIO; a daemon wants EPIPE instead.  Only a default disposition
 * is changed. */
static void
ignore_sigpipe(void)
{
    struct sigaction sa;

    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
        signal(SIGPIPE, SIG_IGN);
    }
}

static int
check_file(const char *what, const char *path, char *err)
{
    if (!path || !*path) {
        return set_err(err, -EINVAL, "ssl needs a %s file and none is "
                       "configured", what);
    }
    if (access(path, R_OK)) {
        int e = errno;
        return set_err(err, -e, "cannot read %s file %s: %s", what, path,
                       strerror(e));
    }
    return 0;
}

/* Loads key, certificate and CA into 'ctx'. */
static int
ssl_ctx_load(SSL_CTX *ctx, const struct stream_ssl_files *f, bool server,
             char *err)
{
    char why[STREAM_ERR_LEN];

    if (SSL_CTX_use_certificate_chain_file(ctx, f->certificate) != 1) {
        tlsctx_error_text(why, sizeof why);
        return set_err(err, -EINVAL, "certificate file %s: %s",
                       f->certificate, why);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, f->private_key, SSL_FILETYPE_PEM)
        != 1) {
        tlsctx_error_text(why, sizeof why);
        return set_err(err, -EINVAL, "private key file %s: %s",
                       f->private_key, why);
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        return set_err(err, -EINVAL, "private key file %s does not match "
                       "certificate file %s", f->private_key, f->certificate);
    }
    if (SSL_CTX_load_verify_locations(ctx, f->ca_cert, NULL) != 1) {
        tlsctx_error_text(why, sizeof why);
        return set_err(err, -EINVAL, "CA certificate file %s: %s",
                       f->ca_cert, why);
    }
    if (server) {
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(f->ca_cert);
        if (names) {
            SSL_CTX_set_client_CA_list(ctx, names);
        }
        ERR_clear_error();
    }
    return 0;
}

int
tlsctx_create(const struct stream_ssl_files *f, bool server, SSL_CTX **out,
              char *err)
{
    static const struct stream_ssl_files none;
    int r;

    *out = NULL;
    f = f ? f : &none;
    if ((r = check_file("private key", f->private_key, err)) ||
        (r = check_file("certificate", f->certificate, err)) ||
        (r = check_file("CA certificate", f->ca_cert, err))) {
        return r;
    }
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method()
                                      : TLS_client_method());
    if (!ctx) {
        return set_err(err, -ENOMEM, "cannot create a TLS context");
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
                                 SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
    if ((r = ssl_ctx_load(ctx, f, server, err))) {
        SSL_CTX_free(ctx);
        return r;
    }
    ignore_sigpipe();
    *out = ctx;
    return 0;
}
