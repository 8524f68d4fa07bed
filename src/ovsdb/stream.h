/* Non-blocking byte streams and passive listeners, driven in run/wait
 * style from the process's poll loop (lib/loop.h).
 *
 * Active names:  tcp:IP:PORT, tcp:[IPv6]:PORT, ssl:IP:PORT, ssl:[IPv6]:PORT,
 *                unix:PATH
 * Passive names: ptcp:PORT[:IP], pssl:PORT[:IP], punix:PATH
 *                (IP defaults to 0.0.0.0; PORT 0 picks a free port)
 *
 * Addresses are numeric (no DNS lookups, which would block the loop).
 * ssl streams use OpenSSL with TLS 1.2 or later and always verify the peer
 * certificate against the CA file; they need a private key, a certificate
 * and a CA certificate file, and a missing or unreadable file is an error
 * naming that file.  There is never a fall back to plaintext.  A passive
 * ssl listener requires a client certificate signed by its CA.  Host names
 * in certificates are not checked (switches are addressed by IP).
 *
 * Output is buffered: stream_send() queues everything it is given and
 * writes what the socket takes; stream_run() writes more later. */
#ifndef L2GW_OVSDB_STREAM_H
#define L2GW_OVSDB_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Size of the error text buffers passed to stream_open()/stream_listen(). */
#define STREAM_ERR_LEN 256

/* Longest stream name accepted (a unix socket path is shorter anyway). */
#define STREAM_NAME_MAX 512

/* Files for ssl and pssl.  Paths are only borrowed during the call. */
struct stream_ssl_files {
    const char *private_key;
    const char *certificate;
    const char *ca_cert;
};

struct stream;
struct stream_listener;

/* True if 'name' has an active (tcp:, ssl:, unix:) or passive (ptcp:,
 * pssl:, punix:) prefix.  Syntax is checked by open/listen. */
bool stream_is_active_name(const char *name);
bool stream_is_passive_name(const char *name);

/* Starts connecting to 'name'.  'ssl' is needed for ssl: names and
 * ignored otherwise.  On success stores a new stream in '*streamp' (caller
 * closes it with stream_close()) and returns 0; the connection completes
 * later (see stream_connect()).  On failure returns a negative errno, sets
 * '*streamp' to NULL and writes the reason into 'err' (STREAM_ERR_LEN
 * bytes) if it is not NULL. */
int stream_open(const char *name, const struct stream_ssl_files *ssl,
                struct stream **streamp, char *err);

/* Makes progress on the connection (TCP connect, TLS handshake).  Returns
 * 0 once connected, -EAGAIN while in progress, or another negative errno
 * when it failed (see stream_error()). */
int stream_connect(struct stream *stream);

/* Reads up to 'n' bytes.  Returns the number read (> 0), 0 at end of
 * stream, -EAGAIN if nothing is available now, or another negative errno. */
ssize_t stream_recv(struct stream *stream, void *buf, size_t n);

/* Queues 'n' bytes (copied) and writes what the socket accepts now.
 * Returns 0, or a negative errno if the stream has failed (nothing is
 * queued then).  Sending while still connecting is allowed: the bytes go
 * out once connected. */
int stream_send(struct stream *stream, const void *buf, size_t n);

/* Bytes queued but not yet written. */
size_t stream_backlog(const struct stream *stream);

/* Writes queued bytes.  Errors are kept for the next call of
 * stream_connect(), stream_recv() or stream_send(). */
void stream_run(struct stream *stream);

/* Registers with the loop what stream_run() / stream_connect() wait for:
 * connect progress and room for queued output. */
void stream_wait(struct stream *stream);

/* Registers with the loop that the caller wants to read. */
void stream_recv_wait(struct stream *stream);

/* Closes the socket and frees everything.  Accepts NULL. */
void stream_close(struct stream *stream);

/* The name given to stream_open(), or for an accepted stream the peer as
 * "tcp:IP:PORT", "ssl:IP:PORT" or "unix:PATH". */
const char *stream_name(const struct stream *stream);

/* The peer's address without the scheme ("10.0.0.1:6640", "[::1]:6640",
 * the socket path); for logs and, in passive mode, as an identifier. */
const char *stream_peer(const struct stream *stream);

/* The peer's IP address alone ("10.0.0.1", "::1"), or "" for unix. */
const char *stream_peer_ip(const struct stream *stream);

/* Text of the last failure ("" if none), e.g. "certificate verify failed". */
const char *stream_error(const struct stream *stream);

/* Starts listening on passive 'name' ('ssl' needed for pssl:).  Same
 * contract as stream_open(); caller frees with stream_listener_close(). */
int stream_listen(const char *name, const struct stream_ssl_files *ssl,
                  struct stream_listener **listenerp, char *err);

/* Accepts one connection.  Returns 0 with a new stream in '*streamp'
 * (caller closes it; for pssl its TLS handshake completes through
 * stream_connect()), -EAGAIN if none is waiting, or another negative
 * errno. */
int stream_accept(struct stream_listener *listener, struct stream **streamp);

void stream_listener_wait(struct stream_listener *listener);

/* The bound TCP port (useful after ptcp:0), or 0 for punix. */
int stream_listener_port(const struct stream_listener *listener);

const char *stream_listener_name(const struct stream_listener *listener);

/* Closes the socket (removing the punix socket file).  Accepts NULL. */
void stream_listener_close(struct stream_listener *listener);

#endif
