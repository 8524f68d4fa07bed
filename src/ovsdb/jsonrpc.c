/* JSON-RPC framing, messages and connections; see jsonrpc.h. */
#include "ovsdb/jsonrpc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/loop.h"
#include "ovsdb/stream.h"

#define LOG_MODULE "jsonrpc"
#include "lib/log.h"

/* Read chunk size of a connection. */
#define JSONRPC_RX_CHUNK ((size_t)64 << 10)

/* A framer keeps at most this much buffer capacity between messages. */
#define FRAMER_KEEP_CAP ((size_t)1 << 20)

struct jsonrpc_framer {
    size_t max_bytes;
    int max_depth;

    char *buf; /* bytes of the value being scanned */
    size_t len, cap;

    bool in_value;  /* inside a top-level value */
    bool in_string; /* inside a string */
    bool escape;    /* after a backslash inside a string */
    bool complete;  /* a value ended; waiting for take() */
    int depth;

    int error; /* final error, or 0 */
    char errmsg[JSONRPC_ERR_LEN];
};

static int __attribute__((format(printf, 3, 4)))
framer_fail(struct jsonrpc_framer *f, int error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(f->errmsg, sizeof f->errmsg, fmt, ap);
    va_end(ap);
    f->error = error;
    return error;
}

struct jsonrpc_framer *
jsonrpc_framer_create(size_t max_bytes, int max_depth)
{
    struct jsonrpc_framer *f = calloc(1, sizeof *f);

    if (f) {
        f->max_bytes = max_bytes ? max_bytes : JSONRPC_DEFAULT_MAX_MESSAGE;
        f->max_depth = max_depth > 0 ? max_depth : JSONRPC_MAX_DEPTH;
    }
    return f;
}

void
jsonrpc_framer_destroy(struct jsonrpc_framer *f)
{
    if (f) {
        free(f->buf);
        free(f);
    }
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends 'n' bytes of the current value, enforcing the size cap. */
static int
framer_append(struct jsonrpc_framer *f, const char *p, size_t n)
{
    if (n > f->max_bytes - f->len) {
        return framer_fail(f, -EMSGSIZE,
                           "message exceeds the cap of %zu bytes",
                           f->max_bytes);
    }
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        while (cap < f->len + n) {
            cap *= 2;
        }
        char *b = realloc(f->buf, cap);
        if (!b) {
            return framer_fail(f, -ENOMEM, "out of memory for a message");
        }
        f->buf = b;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, p, n);
    f->len += n;
    return 0;
}

/* Skips whitespace between values and checks the first byte of a value.
 * Returns the index of the value's first byte, 'n' if none, or an error. */
static int
framer_start(struct jsonrpc_framer *f, const char *p, size_t n, size_t *i)
{
    while (*i < n && is_space(p[*i])) {
        (*i)++;
    }
    if (*i == n) {
        return 0;
    }
    if (p[*i] != '{' && p[*i] != '[') {
        unsigned char c = (unsigned char)p[*i];
        return framer_fail(f, -EPROTO,
                           "garbage between messages (byte 0x%02x)", c);
    }
    f->in_value = true;
    return 0;
}

/* Scans bytes of a value from p[*i]; stops after the closing bracket of
 * the top-level value (setting 'complete') or at 'n'. */
static int
framer_scan(struct jsonrpc_framer *f, const char *p, size_t n, size_t *i)
{
    for (; *i < n; (*i)++) {
        char c = p[*i];
        if (f->in_string) {
            if (f->escape) {
                f->escape = false;
            } else if (c == '\\') {
                f->escape = true;
            } else if (c == '"') {
                f->in_string = false;
            }
        } else if (c == '"') {
            f->in_string = true;
        } else if (c == '{' || c == '[') {
            if (++f->depth > f->max_depth) {
                return framer_fail(f, -EPROTO,
                                   "message nested deeper than %d levels",
                                   f->max_depth);
            }
        } else if ((c == '}' || c == ']') && --f->depth == 0) {
            (*i)++;
            f->complete = true;
            return 0;
        }
    }
    return 0;
}

int
jsonrpc_framer_feed(struct jsonrpc_framer *f, const char *buf, size_t n,
                    size_t *used)
{
    size_t i = 0;
    int r = f->error;

    *used = 0;
    if (r || f->complete) {
        return r ? r : 1;
    }
    if (!f->in_value && (r = framer_start(f, buf, n, &i))) {
        return r;
    }
    size_t start = i;
    if (f->in_value && (r = framer_scan(f, buf, n, &i)) == 0) {
        r = framer_append(f, buf + start, i - start);
    }
    *used = i;
    return r ? r : f->complete;
}

int
jsonrpc_framer_take(struct jsonrpc_framer *f, json_t **valuep)
{
    json_error_t jerr;

    *valuep = NULL;
    if (f->error || !f->complete) {
        return f->error ? f->error : -EAGAIN;
    }
    *valuep = json_loadb(f->buf, f->len, 0, &jerr);
    f->complete = f->in_value = false;
    f->depth = 0;
    f->len = 0;
    if (f->cap > FRAMER_KEEP_CAP) {
        free(f->buf);
        f->buf = NULL;
        f->cap = 0;
    }
    if (!*valuep) {
        return framer_fail(f, -EPROTO, "invalid JSON at byte %d: %s",
                           jerr.position, jerr.text);
    }
    return 0;
}

bool
jsonrpc_framer_idle(const struct jsonrpc_framer *f)
{
    return !f->in_value;
}

const char *
jsonrpc_framer_error(const struct jsonrpc_framer *f)
{
    return f->errmsg;
}

/* ---- Messages ---- */

static struct jsonrpc_msg *
msg_new(enum jsonrpc_msg_type type, const char *method)
{
    struct jsonrpc_msg *m = calloc(1, sizeof *m);

    if (m) {
        m->type = type;
        if (method && !(m->method = strdup(method))) {
            free(m);
            return NULL;
        }
    }
    return m;
}

struct jsonrpc_msg *
jsonrpc_create_request(const char *method, json_t *params, json_t *id)
{
    struct jsonrpc_msg *m = msg_new(JSONRPC_REQUEST, method);

    if (!params) {
        params = json_array();
    }
    if (!m || !params || !id) {
        json_decref(params);
        json_decref(id);
        jsonrpc_msg_destroy(m);
        return NULL;
    }
    m->params = params;
    m->id = id;
    return m;
}

struct jsonrpc_msg *
jsonrpc_create_notify(const char *method, json_t *params)
{
    struct jsonrpc_msg *m = msg_new(JSONRPC_NOTIFY, method);

    if (!params) {
        params = json_array();
    }
    if (!m || !params) {
        json_decref(params);
        jsonrpc_msg_destroy(m);
        return NULL;
    }
    m->params = params;
    return m;
}

/* A reply or error reply carrying 'payload' (taken) for request 'id'. */
static struct jsonrpc_msg *
create_response(enum jsonrpc_msg_type type, json_t *payload, const json_t *id)
{
    struct jsonrpc_msg *m = msg_new(type, NULL);
    json_t *idc = id ? json_deep_copy(id) : json_null();

    if (!m || !payload || !idc) {
        json_decref(payload);
        json_decref(idc);
        jsonrpc_msg_destroy(m);
        return NULL;
    }
    if (type == JSONRPC_REPLY) {
        m->result = payload;
    } else {
        m->error = payload;
    }
    m->id = idc;
    return m;
}

struct jsonrpc_msg *
jsonrpc_create_reply(json_t *result, const json_t *id)
{
    return create_response(JSONRPC_REPLY, result, id);
}

struct jsonrpc_msg *
jsonrpc_create_error(json_t *error, const json_t *id)
{
    return create_response(JSONRPC_ERROR, error, id);
}

void
jsonrpc_msg_destroy(struct jsonrpc_msg *m)
{
    if (m) {
        free(m->method);
        json_decref(m->params);
        json_decref(m->result);
        json_decref(m->error);
        json_decref(m->id);
        free(m);
    }
}

const char *
jsonrpc_msg_type_name(enum jsonrpc_msg_type type)
{
    switch (type) {
    case JSONRPC_REQUEST:
        return "request";
    case JSONRPC_NOTIFY:
        return "notification";
    case JSONRPC_REPLY:
        return "reply";
    case JSONRPC_ERROR:
        return "error";
    }
    return "?";
}

static int
msg_fail(char *err, const char *why)
{
    if (err) {
        snprintf(err, JSONRPC_ERR_LEN, "%s", why);
    }
    return -EPROTO;
}

/* Fills a request or notification from 'json'. */
static int
msg_from_call(json_t *json, struct jsonrpc_msg **msgp, char *err)
{
    json_t *method = json_object_get(json, "method");
    json_t *params = json_object_get(json, "params");
    json_t *id = json_object_get(json, "id");

    if (!json_is_string(method) || !json_is_array(params)) {
        return msg_fail(err, "request without string method and array "
                             "params");
    }
    if (json_object_get(json, "result") || json_object_get(json, "error")) {
        return msg_fail(err, "request with result or error member");
    }
    bool notify = !id || json_is_null(id);
    struct jsonrpc_msg *m = notify
        ? jsonrpc_create_notify(json_string_value(method), json_incref(params))
        : jsonrpc_create_request(json_string_value(method),
                                 json_incref(params), json_incref(id));
    if (!m) {
        return -ENOMEM;
    }
    *msgp = m;
    return 0;
}

/* Fills a reply or error reply from 'json'. */
static int
msg_from_response(json_t *json, struct jsonrpc_msg **msgp, char *err)
{
    json_t *result = json_object_get(json, "result");
    json_t *error = json_object_get(json, "error");
    json_t *id = json_object_get(json, "id");
    struct jsonrpc_msg *m;

    if (!id) {
        return msg_fail(err, "reply without id");
    }
    if (error && !json_is_null(error)) {
        m = jsonrpc_create_error(json_incref(error), id);
    } else if (result) {
        m = jsonrpc_create_reply(json_incref(result), id);
    } else {
        return msg_fail(err, "reply with neither result nor error");
    }
    if (!m) {
        return -ENOMEM;
    }
    *msgp = m;
    return 0;
}

int
jsonrpc_msg_from_json(json_t *json, struct jsonrpc_msg **msgp, char *err)
{
    *msgp = NULL;
    if (!json_is_object(json)) {
        return msg_fail(err, "message is not a JSON object");
    }
    if (json_object_get(json, "method")) {
        return msg_from_call(json, msgp, err);
    }
    if (json_object_get(json, "result") || json_object_get(json, "error")) {
        return msg_from_response(json, msgp, err);
    }
    return msg_fail(err, "message is neither a request nor a reply");
}

json_t *
jsonrpc_msg_to_json(const struct jsonrpc_msg *m)
{
    switch (m->type) {
    case JSONRPC_REQUEST:
        return json_pack("{s:s,s:O,s:O}", "method", m->method, "params",
                         m->params, "id", m->id);
    case JSONRPC_NOTIFY:
        return json_pack("{s:s,s:O,s:n}", "method", m->method, "params",
                         m->params, "id");
    case JSONRPC_REPLY:
        return json_pack("{s:O,s:n,s:O}", "result", m->result, "error", "id",
                         m->id);
    case JSONRPC_ERROR:
        return json_pack("{s:n,s:O,s:O}", "result", "error", m->error, "id",
                         m->id);
    }
    return NULL;
}

/* ---- Connection ---- */

struct jsonrpc {
    struct stream *stream;
    struct jsonrpc_framer *framer;
    size_t max_message;

    char *rx;               /* JSONRPC_RX_CHUNK bytes read, not yet scanned */
    size_t rx_head, rx_len; /* unscanned bytes are rx[rx_head..rx_len) */
    unsigned long long rx_bytes;

    int status;
    char errmsg[JSONRPC_ERR_LEN];
};

struct jsonrpc *
jsonrpc_open(struct stream *stream, size_t max_message_bytes)
{
    struct jsonrpc *rpc = calloc(1, sizeof *rpc);

    if (max_message_bytes == 0) {
        max_message_bytes = JSONRPC_DEFAULT_MAX_MESSAGE;
    }
    if (max_message_bytes < JSONRPC_MIN_MAX_MESSAGE) {
        max_message_bytes = JSONRPC_MIN_MAX_MESSAGE;
    }
    if (rpc) {
        rpc->framer = jsonrpc_framer_create(max_message_bytes,
                                            JSONRPC_MAX_DEPTH);
        rpc->rx = malloc(JSONRPC_RX_CHUNK);
    }
    if (!rpc || !rpc->framer || !rpc->rx) {
        if (rpc) {
            jsonrpc_framer_destroy(rpc->framer);
            free(rpc->rx);
            free(rpc);
        }
        stream_close(stream);
        return NULL;
    }
    rpc->stream = stream;
    rpc->max_message = max_message_bytes;
    return rpc;
}

void
jsonrpc_close(struct jsonrpc *rpc)
{
    if (rpc) {
        stream_close(rpc->stream);
        jsonrpc_framer_destroy(rpc->framer);
        free(rpc->rx);
        free(rpc);
    }
}

/* Records the final error 'status' with a message; logs it at warn level
 * when 'loud' (protocol violations), at info otherwise (disconnects). */
static int __attribute__((format(printf, 4, 5)))
rpc_fail(struct jsonrpc *rpc, int status, bool loud, const char *fmt, ...)
{
    va_list ap;

    if (rpc->status) {
        return rpc->status;
    }
    va_start(ap, fmt);
    vsnprintf(rpc->errmsg, sizeof rpc->errmsg, fmt, ap);
    va_end(ap);
    rpc->status = status;
    if (loud) {
        log_warn("%s: %s; dropping the connection", stream_name(rpc->stream),
                 rpc->errmsg);
    } else {
        log_dbg("%s: %s", stream_name(rpc->stream), rpc->errmsg);
    }
    return status;
}

void
jsonrpc_run(struct jsonrpc *rpc)
{
    if (!rpc->status) {
        stream_run(rpc->stream);
    }
}

void
jsonrpc_wait(struct jsonrpc *rpc)
{
    if (!rpc->status) {
        stream_wait(rpc->stream);
    }
}

int
jsonrpc_send(struct jsonrpc *rpc, struct jsonrpc_msg *msg)
{
    json_t *j = msg ? jsonrpc_msg_to_json(msg) : NULL;
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    int r = rpc->status;

    json_decref(j);
    jsonrpc_msg_destroy(msg);
    if (!r && !text) {
        r = -ENOMEM;
    } else if (!r && stream_backlog(rpc->stream) > 2 * rpc->max_message) {
        r = -ENOBUFS;
    } else if (!r && (r = stream_send(rpc->stream, text, strlen(text)))) {
        rpc_fail(rpc, r, false, "send failed: %s", stream_error(rpc->stream));
    }
    free(text);
    return r;
}

/* Turns the value completed in the framer into a message. */
static int
rpc_take(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    json_t *j;
    char err[JSONRPC_ERR_LEN];
    int r = jsonrpc_framer_take(rpc->framer, &j);

    if (r) {
        return rpc_fail(rpc, r, true, "%s",
                        jsonrpc_framer_error(rpc->framer));
    }
    r = jsonrpc_msg_from_json(j, msgp, err);
    json_decref(j);
    if (r) {
        return rpc_fail(rpc, r, true, "bad JSON-RPC message: %s", err);
    }
    return 0;
}

/* Scans buffered bytes; returns 1 if a value is complete, 0 if the
 * buffer is used up, or an error. */
static int
rpc_scan(struct jsonrpc *rpc)
{
    size_t used;
    int r = jsonrpc_framer_feed(rpc->framer, rpc->rx + rpc->rx_head,
                                rpc->rx_len - rpc->rx_head, &used);

    rpc->rx_head += used;
    if (r < 0) {
        return rpc_fail(rpc, r, true, "%s",
                        jsonrpc_framer_error(rpc->framer));
    }
    return r;
}

/* Reads one chunk.  Returns bytes read, or -EAGAIN or a final error. */
static ssize_t
rpc_read(struct jsonrpc *rpc)
{
    ssize_t n = stream_recv(rpc->stream, rpc->rx, JSONRPC_RX_CHUNK);

    if (n > 0) {
        rpc->rx_head = 0;
        rpc->rx_len = (size_t)n;
        rpc->rx_bytes += (unsigned long long)n;
        return n;
    }
    if (n == 0) {
        return rpc_fail(rpc, -EPIPE, false, "connection closed by peer");
    }
    if (n != -EAGAIN) {
        return rpc_fail(rpc, (int)n, false, "receive failed: %s",
                        stream_error(rpc->stream));
    }
    return n;
}

int
jsonrpc_recv(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    size_t budget = JSONRPC_RECV_BUDGET;

    *msgp = NULL;
    while (!rpc->status) {
        if (rpc->rx_head < rpc->rx_len) {
            int r = rpc_scan(rpc);
            if (r) {
                return r < 0 ? r : rpc_take(rpc, msgp);
            }
        }
        if (budget < JSONRPC_RX_CHUNK) {
            return -EAGAIN; /* let the loop breathe; more on the next call */
        }
        ssize_t n = rpc_read(rpc);
        if (n < 0) {
            return (int)n;
        }
        budget -= JSONRPC_RX_CHUNK;
    }
    return rpc->status;
}

void
jsonrpc_recv_wait(struct jsonrpc *rpc)
{
    if (rpc->status || rpc->rx_head < rpc->rx_len) {
        loop_immediate_wake();
    } else {
        stream_recv_wait(rpc->stream);
    }
}

size_t
jsonrpc_backlog(const struct jsonrpc *rpc)
{
    return stream_backlog(rpc->stream);
}

int
jsonrpc_status(const struct jsonrpc *rpc)
{
    return rpc->status;
}

const char *
jsonrpc_error(const struct jsonrpc *rpc)
{
    return rpc->errmsg;
}

const char *
jsonrpc_name(const struct jsonrpc *rpc)
{
    return stream_name(rpc->stream);
}

struct stream *
jsonrpc_stream(const struct jsonrpc *rpc)
{
    return rpc->stream;
}

unsigned long long
jsonrpc_rx_bytes(const struct jsonrpc *rpc)
{
    return rpc->rx_bytes;
}
