/* JSON-RPC 1.0 over a stream, as RFC 7047 uses it.
 *
 * Framing: messages are JSON values sent back to back with no delimiter.
 * A string-aware incremental scanner (jsonrpc_framer) finds where each
 * top-level value ends -- it tracks strings and escapes, so braces inside
 * strings do not count -- and the complete value is then parsed with
 * jansson.  A value larger than the message cap (default 256 MiB) or
 * nested deeper than JSONRPC_MAX_DEPTH, or anything at top level that is
 * not an object or array, is an error that ends the connection.
 *
 * Messages: request {"method", "params", "id"}, notification (id null),
 * reply {"result", "error": null, "id"} and error reply (error non-null).
 *
 * Connection (struct jsonrpc): owns a stream; jsonrpc_send() queues whole
 * messages, jsonrpc_recv() returns whole messages. */
#ifndef L2GW_OVSDB_JSONRPC_H
#define L2GW_OVSDB_JSONRPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct stream;

/* Default and floor of the per-message size cap ([ovsdb] max_message_bytes). */
#define JSONRPC_DEFAULT_MAX_MESSAGE ((size_t)256 << 20)
#define JSONRPC_MIN_MAX_MESSAGE ((size_t)4096)

/* Deepest nesting of arrays and objects accepted in one message. */
#define JSONRPC_MAX_DEPTH 128

/* Bytes read from the stream per jsonrpc_recv() call before it yields to
 * the loop (the rest is read on the next call). */
#define JSONRPC_RECV_BUDGET ((size_t)1 << 20)

/* Size of error text buffers. */
#define JSONRPC_ERR_LEN 256

/* ---- Framing ---- */

struct jsonrpc_framer;

/* Creates a scanner with a per-value size cap of 'max_bytes' and a nesting
 * cap of 'max_depth'.  Caller frees with jsonrpc_framer_destroy(). */
struct jsonrpc_framer *jsonrpc_framer_create(size_t max_bytes, int max_depth);
void jsonrpc_framer_destroy(struct jsonrpc_framer *framer);

/* Scans up to 'n' bytes of 'buf' and stores in '*used' how many it
 * consumed.  Returns 1 when a top-level value ended at buf[*used - 1] (take
 * it with jsonrpc_framer_take() before feeding more), 0 when all 'n' bytes
 * were consumed without completing a value, or a negative errno on error:
 * -EMSGSIZE (value too large) or -EPROTO (garbage, nesting too deep).  An
 * error is final: later calls return it again.  See jsonrpc_framer_error(). */
int jsonrpc_framer_feed(struct jsonrpc_framer *framer, const char *buf,
                        size_t n, size_t *used);

/* Parses the value completed by the last feed.  Returns 0 and a new value
 * in '*valuep' (caller json_decref()s), or -EPROTO if it is not valid JSON
 * (final, like feed errors). */
int jsonrpc_framer_take(struct jsonrpc_framer *framer, json_t **valuep);

/* True if no partial value is buffered. */
bool jsonrpc_framer_idle(const struct jsonrpc_framer *framer);

/* Text of the error, or "". */
const char *jsonrpc_framer_error(const struct jsonrpc_framer *framer);

/* ---- Messages ---- */

enum jsonrpc_msg_type {
    JSONRPC_REQUEST,
    JSONRPC_NOTIFY,
    JSONRPC_REPLY,
    JSONRPC_ERROR,
};

struct jsonrpc_msg {
    enum jsonrpc_msg_type type;
    char *method;   /* request and notify */
    json_t *params; /* request and notify: an array */
    json_t *result; /* reply */
    json_t *error;  /* error */
    json_t *id;     /* request, reply, error; NULL for notify */
};

/* Constructors: each takes ownership of its json_t arguments (also on
 * failure) except 'id' of the replies, which is copied.  They return a new
 * message (caller frees with jsonrpc_msg_destroy()) or NULL when out of
 * memory.  A NULL 'params' means []. */
struct jsonrpc_msg *jsonrpc_create_request(const char *method, json_t *params,
                                           json_t *id);
struct jsonrpc_msg *jsonrpc_create_notify(const char *method, json_t *params);
struct jsonrpc_msg *jsonrpc_create_reply(json_t *result, const json_t *id);
struct jsonrpc_msg *jsonrpc_create_error(json_t *error, const json_t *id);

void jsonrpc_msg_destroy(struct jsonrpc_msg *msg);

/* Classifies and validates JSON value 'json' (borrowed).  Returns 0 and a
 * new message in '*msgp' (caller frees), or -EPROTO with a reason in 'err'
 * (JSONRPC_ERR_LEN bytes) if not NULL. */
int jsonrpc_msg_from_json(json_t *json, struct jsonrpc_msg **msgp, char *err);

/* The wire form of 'msg'.  Caller json_decref()s. */
json_t *jsonrpc_msg_to_json(const struct jsonrpc_msg *msg);

const char *jsonrpc_msg_type_name(enum jsonrpc_msg_type type);

/* ---- Connection ---- */

struct jsonrpc;

/* Wraps 'stream', which must be connected or connecting; takes ownership
 * of it.  'max_message_bytes' 0 means the default.  Caller frees with
 * jsonrpc_close(). */
struct jsonrpc *jsonrpc_open(struct stream *stream, size_t max_message_bytes);

/* Closes the stream and frees everything.  Accepts NULL. */
void jsonrpc_close(struct jsonrpc *rpc);

/* Writes queued output. */
void jsonrpc_run(struct jsonrpc *rpc);

/* Wakes the loop when queued output can progress. */
void jsonrpc_wait(struct jsonrpc *rpc);

/* Queues 'msg' (takes ownership).  Returns 0, or a negative errno if the
 * connection has failed or the backlog already exceeds twice the message
 * cap (-ENOBUFS). */
int jsonrpc_send(struct jsonrpc *rpc, struct jsonrpc_msg *msg);

/* Receives one message.  Returns 0 with a new message in '*msgp' (caller
 * frees), -EAGAIN when none is complete yet, or another negative errno
 * when the connection failed or ended (-EPIPE for end of stream); failure
 * is final, see jsonrpc_error().  Framing and protocol errors are logged
 * once, naming the peer. */
int jsonrpc_recv(struct jsonrpc *rpc, struct jsonrpc_msg **msgp);

/* Wakes the loop when jsonrpc_recv() may make progress. */
void jsonrpc_recv_wait(struct jsonrpc *rpc);

/* Bytes queued for sending. */
size_t jsonrpc_backlog(const struct jsonrpc *rpc);

/* 0 while healthy, else the final negative errno. */
int jsonrpc_status(const struct jsonrpc *rpc);

/* Text of the failure, or "". */
const char *jsonrpc_error(const struct jsonrpc *rpc);

/* The stream's name (see stream_name()) and the stream itself. */
const char *jsonrpc_name(const struct jsonrpc *rpc);
struct stream *jsonrpc_stream(const struct jsonrpc *rpc);

/* Bytes received so far (any input counts as a sign of life). */
unsigned long long jsonrpc_rx_bytes(const struct jsonrpc *rpc);

#endif
