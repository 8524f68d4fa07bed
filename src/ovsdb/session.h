/* A session with one OVSDB server: connection, handshake, liveness,
 * request/reply matching, and the replica of the monitored tables.
 *
 * Active sessions connect to a remote ("tcp:IP:PORT", "ssl:...",
 * "unix:PATH") and reconnect by themselves:
 *
 *   BACKOFF --(delay over)--> CONNECTING --(connected)--> HANDSHAKE
 *      ^                                                      |
 *      +-------- any failure, timeout or mismatch ------------+--> ACTIVE
 *
 * The delay grows exponentially with jitter from backoff_min to
 * backoff_max and is reset once a session reaches ACTIVE.  The handshake
 * is "get_schema" of the configured database (its name and major version
 * must match; a mismatch is logged and retried later) and then "monitor"
 * of the configured tables and columns, limited to those the server's
 * schema has (missing ones are logged once and left out).  The monitor
 * reply replaces the replica's contents; later "update" notifications
 * change it.  The session answers the server's "echo" requests, sends its
 * own "echo" after probe_interval without input, and drops the connection
 * after socket_timeout without input.
 *
 * Passive sessions wrap a stream accepted by a listener (a switch that
 * connects to its manager): same handshake, no reconnection; once the
 * connection drops the session is DEAD and the owner destroys it.
 *
 * Everything happens in session_run(), which the owner calls from its loop
 * together with session_wait(); reply callbacks run from session_run(). */
#ifndef L2GW_OVSDB_SESSION_H
#define L2GW_OVSDB_SESSION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ovsdb/stream.h"

struct replica;
struct schema;
struct session;

/* Defaults (milliseconds). */
#define SESSION_DEFAULT_PROBE_MS 5000
#define SESSION_DEFAULT_TIMEOUT_MS 30000
#define SESSION_DEFAULT_BACKOFF_MIN_MS 1000
#define SESSION_DEFAULT_BACKOFF_MAX_MS 30000

/* Requests of the owner in flight at once on one session. */
#define SESSION_MAX_PENDING 1024

/* Messages handled per session_run() before yielding to the loop. */
#define SESSION_MSGS_PER_RUN 64

/* Length of the last-error text. */
#define SESSION_ERR_LEN 256

enum session_state {
    SESSION_BACKOFF,    /* waiting before the next attempt */
    SESSION_CONNECTING, /* TCP connect / TLS handshake */
    SESSION_HANDSHAKE,  /* get_schema and monitor */
    SESSION_ACTIVE,     /* replica complete, requests allowed */
    SESSION_DEAD,       /* passive session whose connection ended */
};

/* What to monitor in one table: 'columns' is a NULL-terminated list, or
 * NULL for every column of the server's schema. */
struct session_table {
    const char *table;
    const char *const *columns;
};

/* Options; strings and arrays are copied by session_create*(). */
struct session_options {
    const char *name;     /* for logs (ovsdb_identifier); default: remote */
    const char *database; /* e.g. "hardware_vtep" */
    int schema_major;     /* required major version; < 0: any */
    const struct session_table *tables;
    size_t n_tables;
    struct stream_ssl_files ssl; /* for ssl: remotes */
    long long probe_interval_ms; /* 0: default; < 0: never probe */
    long long socket_timeout_ms; /* 0: default */
    long long backoff_min_ms;    /* 0: default */
    long long backoff_max_ms;    /* 0: default */
    size_t max_message_bytes;    /* 0: default (256 MiB) */
};

struct session_stats {
    unsigned long attempts;    /* connection attempts started */
    unsigned long connects;    /* times ACTIVE was reached */
    unsigned long reconnects;  /* attempts after the first */
    unsigned long disconnects; /* connections lost after ACTIVE */
    unsigned long probes_sent; /* our echo requests */
    unsigned long echoes_answered; /* the server's echo requests */
    long long active_since;    /* loop_now() of reaching ACTIVE, or 0 */
    long long last_error_at;   /* loop_wall_now() of the last error, or 0 */
    char last_error[SESSION_ERR_LEN];
};

/* Called with the reply to a request: 'error' is NULL on success,
 * otherwise the JSON-RPC error (or the string "connection lost" when the
 * connection ended first; 'result' is then NULL).  Both are borrowed for
 * the duration of the call. */
typedef void session_reply_cb(void *aux, long long id, const json_t *result,
                              const json_t *error);

/* Sets every field of 'opts' to its default. */
void session_options_init(struct session_options *opts);

/* Creates an active session to 'remote'.  Returns 0 and the session in
 * '*sessionp' (caller frees with session_destroy()), or a negative errno
 * for a malformed remote or options (reason in 'err', SESSION_ERR_LEN
 * bytes, if not NULL).  Connecting starts on the first session_run(). */
int session_create(const char *remote, const struct session_options *opts,
                   struct session **sessionp, char *err);

/* Creates a passive session on accepted 'stream' (taken, also on
 * failure).  Same contract. */
int session_create_passive(struct stream *stream,
                           const struct session_options *opts,
                           struct session **sessionp, char *err);

/* Closes the connection; pending callbacks are called with "connection
 * lost".  Accepts NULL. */
void session_destroy(struct session *session);

void session_run(struct session *session);
void session_wait(struct session *session);

enum session_state session_state(const struct session *session);
const char *session_state_name(enum session_state state);
bool session_is_active(const struct session *session);

/* Grows every time the session reaches ACTIVE (a new full replica). */
unsigned long session_conn_seqno(const struct session *session);

/* The replica (owned by the session; register indexes and tracking on it
 * before the first run) and the server's schema (NULL before the first
 * handshake; kept across disconnects and replaced during each handshake,
 * so a pointer to it is valid only until session_conn_seqno() changes or
 * the session leaves ACTIVE). */
struct replica *session_replica(const struct session *session);
const struct schema *session_schema(const struct session *session);

const char *session_name(const struct session *session);
const char *session_remote(const struct session *session);

/* The connected peer ("IP:PORT", "[IP6]:PORT", path), or "" if none. */
const char *session_peer(const struct session *session);

const struct session_stats *session_stats(const struct session *session);

/* Sends request 'method' with 'params' (taken; NULL means []).  Only when
 * ACTIVE (-ENOTCONN otherwise).  If 'cb' is NULL the reply is kept for
 * session_take_reply().  Stores the request id in '*idp' if not NULL.
 * Returns 0 or a negative errno (-EBUSY over SESSION_MAX_PENDING). */
int session_request(struct session *session, const char *method,
                    json_t *params, session_reply_cb *cb, void *aux,
                    long long *idp);

/* session_request() of "transact" (params from txn_params()). */
int session_transact(struct session *session, json_t *params,
                     session_reply_cb *cb, void *aux, long long *idp);

/* Polling for a request sent without callback: returns 0 and hands over
 * the reply ('*result' and '*error', new references or NULL; '*error' is
 * the string "connection lost" if the connection ended), -EAGAIN while
 * it is pending, -ENOENT for an unknown id. */
int session_take_reply(struct session *session, long long id,
                       json_t **result, json_t **error);

/* Number of requests of the owner awaiting replies. */
size_t session_n_pending(const struct session *session);

/* Bytes queued for sending (back-pressure for large transactions). */
size_t session_backlog(const struct session *session);

/* Drops the connection now; an active session goes to BACKOFF and
 * reconnects after the delay, a passive one becomes DEAD. */
void session_force_reconnect(struct session *session, const char *why);

#endif
