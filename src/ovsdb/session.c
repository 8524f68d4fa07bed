/* l2gw's RFC 7047 client library (src/ovsdb/).  Which file owns what:
 *
 *   stream.c   non-blocking tcp/ssl/unix streams and ptcp/pssl/punix
 *              listeners, buffered output
 *   streamaddr.c  stream names ("tcp:IP:PORT", "ptcp:PORT:IP", ...) to
 *              socket addresses
 *   tlsctx.c   OpenSSL contexts: TLS >= 1.2, key/cert/CA files, peer
 *              verification
 *   jsonrpc.c  framing of back-to-back JSON values (string-aware scanner
 *              plus jansson), JSON-RPC 1.0 messages, buffered connections
 *   session.c  this file: reconnecting (or passive) session with one
 *              server: handshake (get_schema, monitor), echo probes and
 *              timeouts, request/reply matching, feeding the replica
 *   schema.c   parsed database schemas and value checks
 *   datum.c    OVSDB values in JSON form: build, read, compare, hash
 *   replica.c  in-memory replica of monitored tables, indexes, tracking
 *   txn.c      "transact" builder and reply parser
 *   hmap.c     intrusive hash map used by the replica
 *
 * Nothing here knows about VTEPs: callers name the database, the tables
 * and the columns. */
#include "ovsdb/session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/loop.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"

#define LOG_MODULE "ovsdb"
#include "lib/log.h"

/* The monitor id of the replica's monitor. */
#define SESSION_MONITOR_ID "l2gw"

enum req_kind { REQ_USER, REQ_GET_SCHEMA, REQ_MONITOR, REQ_ECHO };

struct pending {
    struct pending *next;
    long long id;
    enum req_kind kind;
    session_reply_cb *cb;
    void *aux;
    bool done; /* polling requests: reply arrived */
    json_t *result, *error;
};

struct mon_table {
    char *table;
    char **columns; /* NULL-terminated, or NULL for all */
};

struct session {
    char *name, *remote, *database;
    int schema_major;
    struct mon_table *tables;
    size_t n_tables;
    char *ssl_key, *ssl_cert, *ssl_ca;
    long long probe_ms, timeout_ms, backoff_min, backoff_max;
    size_t max_message;
    bool passive;

    enum session_state state;
    long long state_entered;
    long long backoff_ms, backoff_until;
    struct jsonrpc *rpc;
    unsigned long long last_rx_bytes;
    long long last_rx_at;
    bool probe_sent;
    unsigned int seed;

    long long next_id;
    struct pending *pending;
    size_t n_user_pending;

    struct replica *replica;
    struct schema *schema;
    unsigned long conn_seqno;
    struct session_stats stats;
    char logged_error[SESSION_ERR_LEN]; /* last error logged at warn */
    char logged_schema[SESSION_ERR_LEN]; /* schema whose gaps were logged */
};

static void session_fail(struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void
session_options_init(struct session_options *o)
{
    memset(o, 0, sizeof *o);
    o->schema_major = -1;
}

const char *
session_state_name(enum session_state state)
{
    static const char *const names[] = {"BACKOFF", "CONNECTING", "HANDSHAKE",
                                        "ACTIVE", "DEAD"};

    return state <= SESSION_DEAD ? names[state] : "?";
}

static long long
dflt(long long v, long long d)
{
    return v ? v : d;
}

static char *
strdup_or_null(const char *s, bool *oom)
{
    char *c = s ? strdup(s) : NULL;

    if (s && !c) {
        *oom = true;
    }
    return c;
}

/* Copies one monitored table spec. */
static bool
copy_table(struct mon_table *dst, const struct session_table *src)
{
    size_t n = 0;
    bool oom = false;

    dst->table = strdup_or_null(src->table, &oom);
    if (!src->columns) {
        return !oom && dst->table;
    }
    while (src->columns[n]) {
        n++;
    }
    dst->columns = calloc(n + 1, sizeof *dst->columns);
    for (size_t i = 0; dst->columns && i < n; i++) {
        dst->columns[i] = strdup_or_null(src->columns[i], &oom);
    }
    return !oom && dst->table && dst->columns;
}

/* Copies the options into 's'; false when out of memory. */
static bool
copy_options(struct session *s, const struct session_options *o)
{
    bool oom = false;

    s->database = strdup_or_null(o->database, &oom);
    s->ssl_key = strdup_or_null(o->ssl.private_key, &oom);
    s->ssl_cert = strdup_or_null(o->ssl.certificate, &oom);
    s->ssl_ca = strdup_or_null(o->ssl.ca_cert, &oom);
    s->schema_major = o->schema_major;
    s->probe_ms = dflt(o->probe_interval_ms, SESSION_DEFAULT_PROBE_MS);
    s->timeout_ms = dflt(o->socket_timeout_ms, SESSION_DEFAULT_TIMEOUT_MS);
    s->backoff_min = dflt(o->backoff_min_ms, SESSION_DEFAULT_BACKOFF_MIN_MS);
    s->backoff_max = dflt(o->backoff_max_ms, SESSION_DEFAULT_BACKOFF_MAX_MS);
    if (s->backoff_max < s->backoff_min) {
        s->backoff_max = s->backoff_min;
    }
    s->max_message = o->max_message_bytes;
    s->tables = calloc(o->n_tables + 1, sizeof *s->tables);
    if (!s->tables) {
        return false;
    }
    for (size_t i = 0; i < o->n_tables; i++, s->n_tables++) {
        if (!copy_table(&s->tables[i], &o->tables[i])) {
            s->n_tables++;
            return false;
        }
    }
    return !oom;
}

/* Common part of session creation. */
static int
session_new(const char *remote, const struct session_options *o,
            struct session **sp, char *err)
{
    struct session *s = calloc(1, sizeof *s);
    const char *name = o->name ? o->name : remote;

    *sp = NULL;
    if (!o->database || !*o->database) {
        free(s);
        if (err) {
            snprintf(err, SESSION_ERR_LEN, "no database name");
        }
        return -EINVAL;
    }
    if (!s || !(s->remote = strdup(remote)) || !(s->name = strdup(name)) ||
        !copy_options(s, o) || !(s->replica = replica_create())) {
        session_destroy(s);
        return -ENOMEM;
    }
    for (size_t i = 0; i < s->n_tables; i++) {
        replica_add_table(s->replica, s->tables[i].table);
    }
    s->seed = (unsigned int)(loop_now() ^ (long long)getpid() ^
                             (long long)(uintptr_t)s);
    s->next_id = 1;
    s->state_entered = loop_now();
    *sp = s;
    return 0;
}

int
session_create(const char *remote, const struct session_options *o,
               struct session **sp, char *err)
{
    if (!remote || !stream_is_active_name(remote)) {
        if (err) {
            snprintf(err, SESSION_ERR_LEN, "'%s': not an active remote "
                     "(tcp:, ssl:, unix:)", remote ? remote : "");
        }
        *sp = NULL;
        return -EINVAL;
    }
    int r = session_new(remote, o, sp, err);
    if (!r) {
        (*sp)->state = SESSION_BACKOFF;
        (*sp)->backoff_until = loop_now(); /* connect on the first run */
    }
    return r;
}

int
session_create_passive(struct stream *stream, const struct session_options *o,
                       struct session **sp, char *err)
{
    int r = session_new(stream_name(stream), o, sp, err);

    if (r) {
        stream_close(stream);
        return r;
    }
    struct session *s = *sp;
    s->passive = true;
    s->rpc = jsonrpc_open(stream, s->max_message);
    if (!s->rpc) {
        session_destroy(s);
        *sp = NULL;
        return -ENOMEM;
    }
    s->stats.attempts = 1;
    s->state = SESSION_CONNECTING;
    s->state_entered = loop_now();
    return 0;
}

static void
free_pending(struct pending *p)
{
    json_decref(p->result);
    json_decref(p->error);
    free(p);
}

/* Ends every request in flight: callbacks hear "connection lost", polled
 * requests keep that error for session_take_reply(). */
static void
fail_pending(struct session *s)
{
    struct pending **pp = &s->pending;
    json_t *lost = json_string("connection lost");

    while (*pp) {
        struct pending *p = *pp;
        if (p->kind == REQ_USER && !p->cb) {
            if (!p->done) {
                p->done = true;
                p->error = json_incref(lost);
            }
            pp = &p->next;
            continue;
        }
        *pp = p->next;
        if (p->kind == REQ_USER) {
            s->n_user_pending--;
            p->cb(p->aux, p->id, NULL, lost);
        }
        free_pending(p);
    }
    json_decref(lost);
}

void
session_destroy(struct session *s)
{
    if (!s) {
        return;
    }
    jsonrpc_close(s->rpc);
    s->rpc = NULL;
    s->state = SESSION_DEAD;
    fail_pending(s);
    while (s->pending) {
        struct pending *p = s->pending;
        s->pending = p->next;
        free_pending(p);
    }
    replica_destroy(s->replica);
    schema_destroy(s->schema);
    for (size_t i = 0; i < s->n_tables; i++) {
        for (char **c = s->tables[i].columns; c && *c; c++) {
            free(*c);
        }
        free(s->tables[i].columns);
        free(s->tables[i].table);
    }
    free(s->tables);
    free(s->ssl_key);
    free(s->ssl_cert);
    free(s->ssl_ca);
    free(s->database);
    free(s->name);
    free(s->remote);
    free(s);
}

static void
set_state(struct session *s, enum session_state state)
{
    if (s->state != state) {
        log_dbg("%s: %s -> %s", s->name, session_state_name(s->state),
                session_state_name(state));
        s->state = state;
        s->state_entered = loop_now();
    }
}

/* The next backoff delay: doubled from the last one (reset after ACTIVE),
 * capped, then randomly shortened by up to a quarter (never under the
 * minimum) so that many sessions do not retry in lockstep. */
static long long
next_backoff(struct session *s, bool was_active)
{
    long long d = was_active || !s->backoff_ms ? s->backoff_min
                                               : s->backoff_ms * 2;

    if (d > s->backoff_max) {
        d = s->backoff_max;
    }
    s->backoff_ms = d;
    long long jitter = d / 4 ? rand_r(&s->seed) % (d / 4 + 1) : 0;
    return d - jitter < s->backoff_min ? s->backoff_min : d - jitter;
}

/* Records and logs error 'msg': at warn level when it differs from the
 * last one logged, else at debug level (a switch that stays down is not
 * reported every few seconds). */
static void
note_error(struct session *s, const char *msg)
{
    snprintf(s->stats.last_error, sizeof s->stats.last_error, "%s", msg);
    s->stats.last_error_at = loop_wall_now();
    if (strcmp(s->logged_error, msg)) {
        log_warn("%s: %s", s->name, msg);
        snprintf(s->logged_error, sizeof s->logged_error, "%s", msg);
    } else {
        log_dbg("%s: %s", s->name, msg);
    }
}

/* Ends the connection after a failure described by 'fmt'. */
static void
session_fail(struct session *s, const char *fmt, ...)
{
    char msg[SESSION_ERR_LEN];
    va_list ap;
    bool was_active = s->state == SESSION_ACTIVE;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    note_error(s, msg);
    jsonrpc_close(s->rpc);
    s->rpc = NULL;
    if (was_active) {
        s->stats.disconnects++;
        s->stats.active_since = 0;
    }
    if (s->passive) {
        set_state(s, SESSION_DEAD);
    } else {
        long long delay = next_backoff(s, was_active);
        set_state(s, SESSION_BACKOFF);
        s->backoff_until = loop_now() + delay;
        log_dbg("%s: retrying in %lld ms", s->name, delay);
    }
    fail_pending(s);
}

/* Sends a request of 'kind'; returns 0 or a negative errno. */
static int
send_request(struct session *s, enum req_kind kind, const char *method,
             json_t *params, session_reply_cb *cb, void *aux, long long *idp)
{
    struct pending *p = calloc(1, sizeof *p);
    long long id = s->next_id++;
    struct jsonrpc_msg *m = jsonrpc_create_request(method, params,
                                                   json_integer(id));

    if (!p || !m) {
        free(p);
        jsonrpc_msg_destroy(m);
        return -ENOMEM;
    }
    int r = jsonrpc_send(s->rpc, m);
    if (r) {
        free(p);
        return r;
    }
    *p = (struct pending){.next = s->pending, .id = id, .kind = kind,
                          .cb = cb, .aux = aux};
    s->pending = p;
    if (idp) {
        *idp = id;
    }
    return 0;
}

/* ---- Connecting and handshake ---- */

static void
start_connect(struct session *s)
{
    struct stream_ssl_files ssl = {s->ssl_key, s->ssl_cert, s->ssl_ca};
    char err[STREAM_ERR_LEN];
    struct stream *stream;

    s->stats.attempts++;
    if (s->stats.attempts > 1) {
        s->stats.reconnects++;
    }
    set_state(s, SESSION_CONNECTING);
    if (stream_open(s->remote, &ssl, &stream, err)) {
        session_fail(s, "%s", err);
        return;
    }
    s->rpc = jsonrpc_open(stream, s->max_message);
    if (!s->rpc) {
        session_fail(s, "out of memory");
    }
}

static void
start_handshake(struct session *s)
{
    set_state(s, SESSION_HANDSHAKE);
    s->last_rx_at = loop_now();
    s->last_rx_bytes = jsonrpc_rx_bytes(s->rpc);
    s->probe_sent = false;
    int r = send_request(s, REQ_GET_SCHEMA, "get_schema",
                         json_pack("[s]", s->database), NULL, NULL, NULL);
    if (r) {
        session_fail(s, "cannot send get_schema: %s", strerror(-r));
    }
}

/* Logs that the server's schema lacks a table or column: at info level
 * the first time a schema version is seen, at debug level on reconnects. */
static void
log_gap(struct session *s, const char *what, const char *table,
        const char *column)
{
    char key[SESSION_ERR_LEN];
    bool first;

    snprintf(key, sizeof key, "%s %s", schema_name(s->schema),
             schema_version(s->schema));
    first = strcmp(key, s->logged_schema) != 0;
    if (first) {
        log_info("%s: schema %s has no %s %s%s%s; not monitored", s->name,
                 key, what, table, column ? "." : "", column ? column : "");
    } else {
        log_dbg("%s: schema %s has no %s %s%s%s", s->name, key, what, table,
                column ? "." : "", column ? column : "");
    }
}

/* The columns of 'spec' that table 'st' has, as a JSON array; logs the
 * missing ones. */
static json_t *
monitor_columns(struct session *s, const struct mon_table *spec,
                const struct schema_table *st)
{
    json_t *cols = json_array();

    for (char **c = spec->columns; cols && *c; c++) {
        if (schema_column(st, *c)) {
            json_array_append_new(cols, json_string(*c));
        } else {
            log_gap(s, "column", spec->table, *c);
        }
    }
    return cols;
}

/* The <monitor-requests> object for the tables the server has. */
static json_t *
monitor_requests(struct session *s)
{
    json_t *reqs = json_object();

    for (size_t i = 0; reqs && i < s->n_tables; i++) {
        const struct mon_table *spec = &s->tables[i];
        const struct schema_table *st = schema_table(s->schema, spec->table);
        if (!st) {
            log_gap(s, "table", spec->table, NULL);
            continue;
        }
        json_t *req = json_object();
        if (req && spec->columns) {
            json_object_set_new(req, "columns",
                                monitor_columns(s, spec, st));
        }
        json_object_set_new(reqs, spec->table, req ? req : json_null());
    }
    return reqs;
}

/* Checks the schema's name and major version; true if acceptable. */
static bool
schema_acceptable(struct session *s, const struct schema *schema)
{
    int major, minor, patch;

    schema_version_numbers(schema, &major, &minor, &patch);
    if (strcmp(schema_name(schema), s->database)) {
        session_fail(s, "server's database %s has schema %s, expected %s",
                     s->database, schema_name(schema), s->database);
        return false;
    }
    if (s->schema_major >= 0 && major != s->schema_major) {
        session_fail(s, "schema %s version %s is not %d.x; will retry",
                     schema_name(schema), schema_version(schema),
                     s->schema_major);
        return false;
    }
    return true;
}

static void
handle_schema_reply(struct session *s, const struct jsonrpc_msg *m)
{
    char err[SCHEMA_ERR_LEN];
    struct schema *schema;

    if (m->type == JSONRPC_ERROR) {
        char *e = json_dumps(m->error, JSON_COMPACT | JSON_ENCODE_ANY);
        session_fail(s, "get_schema %s failed: %s", s->database,
                     e ? e : "error");
        free(e);
        return;
    }
    if (schema_parse(m->result, &schema, err)) {
        session_fail(s, "unusable schema for %s: %s", s->database, err);
        return;
    }
    if (!schema_acceptable(s, schema)) {
        schema_destroy(schema);
        return;
    }
    replica_set_schema(s->replica, schema);
    schema_destroy(s->schema);
    s->schema = schema;
    json_t *params = json_pack("[s,s,o]", s->database, SESSION_MONITOR_ID,
                               monitor_requests(s));
    snprintf(s->logged_schema, sizeof s->logged_schema, "%s %s",
             schema_name(schema), schema_version(schema));
    int r = send_request(s, REQ_MONITOR, "monitor", params, NULL, NULL,
                         NULL);
    if (r) {
        session_fail(s, "cannot send monitor: %s", strerror(-r));
    }
}

static void
handle_monitor_reply(struct session *s, const struct jsonrpc_msg *m)
{
    if (m->type == JSONRPC_ERROR) {
        char *e = json_dumps(m->error, JSON_COMPACT | JSON_ENCODE_ANY);
        session_fail(s, "monitor of %s failed: %s", s->database,
                     e ? e : "error");
        free(e);
        return;
    }
    replica_clear(s->replica);
    if (replica_apply(s->replica, m->result)) {
        session_fail(s, "malformed monitor reply");
        return;
    }
    set_state(s, SESSION_ACTIVE);
    s->backoff_ms = 0;
    s->conn_seqno++;
    s->stats.connects++;
    s->stats.active_since = loop_now();
    s->logged_error[0] = '\0';
    log_info("%s: connected to %s (%s %s), %zu rows", s->name,
             jsonrpc_name(s->rpc), schema_name(s->schema),
             schema_version(s->schema), replica_n_rows(s->replica));
}

/* ---- Messages ---- */

static void
send_reply(struct session *s, struct jsonrpc_msg *reply)
{
    int r = reply ? jsonrpc_send(s->rpc, reply) : -ENOMEM;

    if (r) {
        session_fail(s, "cannot send reply: %s", strerror(-r));
    }
}

static void
handle_request(struct session *s, const struct jsonrpc_msg *m)
{
    if (!strcmp(m->method, "echo")) {
        s->stats.echoes_answered++;
        send_reply(s, jsonrpc_create_reply(json_incref(m->params), m->id));
    } else {
        log_dbg("%s: unknown request %s from the server", s->name,
                m->method);
        send_reply(s, jsonrpc_create_error(json_string("unknown method"),
                                           m->id));
    }
}

static void
handle_notify(struct session *s, const struct jsonrpc_msg *m)
{
    json_t *id = json_array_get(m->params, 0);
    json_t *updates = json_array_get(m->params, 1);

    if (strcmp(m->method, "update")) {
        log_dbg("%s: ignoring notification %s", s->name, m->method);
        return;
    }
    if (!json_is_string(id) ||
        strcmp(json_string_value(id), SESSION_MONITOR_ID)) {
        log_dbg("%s: update for an unknown monitor", s->name);
        return;
    }
    if (s->state != SESSION_ACTIVE) {
        log_warn("%s: update before the monitor reply; ignored", s->name);
        return;
    }
    if (replica_apply(s->replica, updates)) {
        session_fail(s, "malformed update notification; resynchronising");
    }
}

/* Finds and unlinks the pending request with 'id' (a JSON integer). */
static struct pending *
take_pending(struct session *s, const json_t *id)
{
    if (!json_is_integer(id)) {
        return NULL;
    }
    for (struct pending **pp = &s->pending; *pp; pp = &(*pp)->next) {
        struct pending *p = *pp;
        if (p->id == json_integer_value(id) && !p->done) {
            *pp = p->next;
            return p;
        }
    }
    return NULL;
}

static void
handle_reply(struct session *s, struct jsonrpc_msg *m)
{
    struct pending *p = take_pending(s, m->id);

    if (!p) {
        log_dbg("%s: reply to an unknown request", s->name);
        return;
    }
    switch (p->kind) {
    case REQ_GET_SCHEMA:
        handle_schema_reply(s, m);
        break;
    case REQ_MONITOR:
        handle_monitor_reply(s, m);
        break;
    case REQ_ECHO:
        break;
    case REQ_USER:
        if (p->cb) {
            s->n_user_pending--;
            p->cb(p->aux, p->id, m->result, m->error);
            break;
        }
        p->done = true; /* kept for session_take_reply() */
        p->result = json_incref(m->result);
        p->error = json_incref(m->error);
        p->next = s->pending;
        s->pending = p;
        return;
    }
    free_pending(p);
}

static void
handle_msg(struct session *s, struct jsonrpc_msg *m)
{
    switch (m->type) {
    case JSONRPC_REQUEST:
        handle_request(s, m);
        break;
    case JSONRPC_NOTIFY:
        handle_notify(s, m);
        break;
    case JSONRPC_REPLY:
    case JSONRPC_ERROR:
        handle_reply(s, m);
        break;
    }
}

/* ---- Running ---- */

/* Tracks input and sends probes; false if the session timed out. */
static bool
check_liveness(struct session *s)
{
    long long now = loop_now();
    unsigned long long rx = jsonrpc_rx_bytes(s->rpc);

    if (rx != s->last_rx_bytes) {
        s->last_rx_bytes = rx;
        s->last_rx_at = now;
        s->probe_sent = false;
    }
    long long idle = now - s->last_rx_at;
    if (idle >= s->timeout_ms) {
        session_fail(s, "no input from %s for %lld ms; disconnecting",
                     jsonrpc_name(s->rpc), idle);
        return false;
    }
    if (s->probe_ms > 0 && idle >= s->probe_ms && !s->probe_sent) {
        s->probe_sent = true;
        s->stats.probes_sent++;
        int r = send_request(s, REQ_ECHO, "echo", json_array(), NULL, NULL,
                             NULL);
        if (r) {
            session_fail(s, "cannot send echo: %s", strerror(-r));
            return false;
        }
    }
    return true;
}

static void
run_connected(struct session *s)
{
    jsonrpc_run(s->rpc);
    for (int i = 0; i < SESSION_MSGS_PER_RUN && s->rpc; i++) {
        struct jsonrpc_msg *m;
        int r = jsonrpc_recv(s->rpc, &m);
        if (r == -EAGAIN) {
            break;
        }
        if (r && strcmp(s->name, jsonrpc_name(s->rpc))) {
            session_fail(s, "%s: %s", jsonrpc_name(s->rpc),
                         jsonrpc_error(s->rpc));
            return;
        } else if (r) {
            session_fail(s, "%s", jsonrpc_error(s->rpc));
            return;
        }
        handle_msg(s, m);
        jsonrpc_msg_destroy(m);
    }
    if (s->rpc && check_liveness(s)) {
        jsonrpc_run(s->rpc);
    }
}

static void
run_connecting(struct session *s)
{
    int r = stream_connect(jsonrpc_stream(s->rpc));

    if (r == 0) {
        start_handshake(s);
    } else if (r != -EAGAIN) {
        session_fail(s, "%s", stream_error(jsonrpc_stream(s->rpc)));
    } else if (loop_now() - s->state_entered >= s->timeout_ms) {
        session_fail(s, "connecting to %s timed out", s->remote);
    }
}

void
session_run(struct session *s)
{
    if (s->state == SESSION_BACKOFF && loop_now() >= s->backoff_until) {
        start_connect(s);
    }
    if (s->state == SESSION_CONNECTING && s->rpc) {
        run_connecting(s);
    }
    if ((s->state == SESSION_HANDSHAKE || s->state == SESSION_ACTIVE) &&
        s->rpc) {
        run_connected(s);
    }
}

void
session_wait(struct session *s)
{
    switch (s->state) {
    case SESSION_BACKOFF:
        loop_timer_wait_until(s->backoff_until);
        break;
    case SESSION_CONNECTING:
        stream_wait(jsonrpc_stream(s->rpc));
        loop_timer_wait_until(s->state_entered + s->timeout_ms);
        break;
    case SESSION_HANDSHAKE:
    case SESSION_ACTIVE:
        jsonrpc_wait(s->rpc);
        jsonrpc_recv_wait(s->rpc);
        loop_timer_wait_until(s->last_rx_at + s->timeout_ms);
        if (s->probe_ms > 0 && !s->probe_sent) {
            loop_timer_wait_until(s->last_rx_at + s->probe_ms);
        }
        break;
    case SESSION_DEAD:
        break;
    }
}

/* ---- Requests of the owner ---- */

int
session_request(struct session *s, const char *method, json_t *params,
                session_reply_cb *cb, void *aux, long long *idp)
{
    if (s->state != SESSION_ACTIVE || !method) {
        json_decref(params);
        return s->state != SESSION_ACTIVE ? -ENOTCONN : -EINVAL;
    }
    if (s->n_user_pending >= SESSION_MAX_PENDING) {
        json_decref(params);
        return -EBUSY;
    }
    int r = send_request(s, REQ_USER, method, params, cb, aux, idp);
    if (!r) {
        s->n_user_pending++;
    } else if (jsonrpc_status(s->rpc)) {
        session_fail(s, "%s", jsonrpc_error(s->rpc));
    }
    return r;
}

int
session_transact(struct session *s, json_t *params, session_reply_cb *cb,
                 void *aux, long long *idp)
{
    return session_request(s, "transact", params, cb, aux, idp);
}

int
session_take_reply(struct session *s, long long id, json_t **result,
                   json_t **error)
{
    *result = *error = NULL;
    for (struct pending **pp = &s->pending; *pp; pp = &(*pp)->next) {
        struct pending *p = *pp;
        if (p->id != id || p->kind != REQ_USER || p->cb) {
            continue;
        }
        if (!p->done) {
            return -EAGAIN;
        }
        *pp = p->next;
        *result = p->result;
        *error = json_is_null(p->error) ? NULL : p->error;
        if (!*error) {
            json_decref(p->error);
        }
        s->n_user_pending--;
        free(p);
        return 0;
    }
    return -ENOENT;
}

size_t
session_n_pending(const struct session *s)
{
    return s->n_user_pending;
}

size_t
session_backlog(const struct session *s)
{
    return s->rpc ? jsonrpc_backlog(s->rpc) : 0;
}

void
session_force_reconnect(struct session *s, const char *why)
{
    if (s->state != SESSION_BACKOFF && s->state != SESSION_DEAD) {
        session_fail(s, "%s", why ? why : "reconnect requested");
    }
}

enum session_state
session_state(const struct session *s)
{
    return s->state;
}

bool
session_is_active(const struct session *s)
{
    return s->state == SESSION_ACTIVE;
}

unsigned long
session_conn_seqno(const struct session *s)
{
    return s->conn_seqno;
}

struct replica *
session_replica(const struct session *s)
{
    return s->replica;
}

const struct schema *
session_schema(const struct session *s)
{
    return s->schema;
}

const char *
session_name(const struct session *s)
{
    return s->name;
}

const char *
session_remote(const struct session *s)
{
    return s->remote;
}

const char *
session_peer(const struct session *s)
{
    return s->rpc ? stream_peer(jsonrpc_stream(s->rpc)) : "";
}

const struct session_stats *
session_stats(const struct session *s)
{
    return &s->stats;
}
