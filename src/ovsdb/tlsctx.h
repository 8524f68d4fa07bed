/* OpenSSL contexts for ssl and pssl streams: TLS 1.2 or later, our key and
 * certificate, peer certificates verified against the CA file (required
 * from clients too, on the server side).  Used by stream.c only. */
#ifndef L2GW_OVSDB_TLSCTX_H
#define L2GW_OVSDB_TLSCTX_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>

#include "ovsdb/stream.h"

/* Creates a client (or, if 'server', a server) context from the files in
 * 'f'.  Every file must be configured and readable; a missing,
 * unreadable or malformed file, or a key that does not match the
 * certificate, is an error naming the file.  Returns 0 and the context in
 * '*ctxp' (caller frees with SSL_CTX_free()), or a negative errno with
 * the reason in 'err' (STREAM_ERR_LEN bytes) if not NULL.  Also makes the
 * process ignore SIGPIPE if it has the default disposition (OpenSSL
 * writes to sockets without MSG_NOSIGNAL). */
int tlsctx_create(const struct stream_ssl_files *f, bool server,
                  SSL_CTX **ctxp, char *err);

/* Empties OpenSSL's error queue of this thread into 'buf' (the reason of
 * the last error, or "TLS error"). */
void tlsctx_error_text(char *buf, size_t len);

#endif
