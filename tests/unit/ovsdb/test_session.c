/* Unit tests of src/ovsdb/session.c against a scripted fake server that
 * runs in the same poll loop: handshake, column degradation, updates,
 * echo both ways, probe timeout and reconnection, schema mismatches,
 * request callbacks and polling, lost connections, passive sessions. */
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

#include "lib/loop.h"
#include "ovsdb/datum.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"
#include "ovsdb/session.h"
#include "ovsdb/stream.h"
#include "testutil.h"

#define ROW1 "11111111-1111-4111-8111-111111111111"

static const char *good_schema =
    "{\"name\":\"testdb\",\"version\":\"1.2.3\",\"tables\":{\"T\":{"
    "\"columns\":{\"name\":{\"type\":\"string\"},\"n\":{\"type\":\"integer\"},"
    "\"extra\":{\"type\":\"string\"}}}}}";

/* The fake server. */
struct fake {
    struct stream_listener *l;
    struct jsonrpc *conn;
    int accepts;
    const char *schema;  /* answer to get_schema */
    bool answer_echo;    /* answer the session's echo requests */
    int echoes_seen;     /* echo requests from the session */
    json_t *monitor;     /* params of the last monitor request */
    json_t *last_call;   /* params of the last other request */
    json_t *echo_result; /* reply to our own echo */
};

static void
fake_send(struct fake *f, struct jsonrpc_msg *m)
{
    assert_non_null(f->conn);
    assert_int_equal(jsonrpc_send(f->conn, m), 0);
}

static void
fake_handle(struct fake *f, struct jsonrpc_msg *m)
{
    if (m->type == JSONRPC_REPLY) {
        json_decref(f->echo_result);
        f->echo_result = json_incref(m->result);
    } else if (!strcmp(m->method, "get_schema")) {
        fake_send(f, jsonrpc_create_reply(json_loads(f->schema, 0, NULL),
                                          m->id));
    } else if (!strcmp(m->method, "monitor")) {
        json_decref(f->monitor);
        f->monitor = json_incref(m->params);
        fake_send(f, jsonrpc_create_reply(
                         json_pack("{s:{s:{s:{s:s,s:i}}}}", "T", ROW1, "new",
                                   "name", "first", "n", 1),
                         m->id));
    } else if (!strcmp(m->method, "echo")) {
        f->echoes_seen++;
        if (f->answer_echo) {
            fake_send(f, jsonrpc_create_reply(json_incref(m->params), m->id));
        }
    } else {
        json_decref(f->last_call);
        f->last_call = json_incref(m->params);
        fake_send(f, jsonrpc_create_reply(json_pack("[{s:i}]", "count", 1),
                                          m->id));
    }
}

static void
fake_run(struct fake *f)
{
    struct stream *s;
    struct jsonrpc_msg *m;

    if (f->l && stream_accept(f->l, &s) == 0) {
        jsonrpc_close(f->conn);
        f->conn = jsonrpc_open(s, 0);
        f->accepts++;
    }
    while (f->conn) {
        jsonrpc_run(f->conn);
        int r = jsonrpc_recv(f->conn, &m);
        if (r == -EAGAIN) {
            break;
        }
        if (r) {
            jsonrpc_close(f->conn);
            f->conn = NULL;
            break;
        }
        fake_handle(f, m);
        jsonrpc_msg_destroy(m);
    }
}

static void
fake_wait(struct fake *f)
{
    if (f->l) {
        stream_listener_wait(f->l);
    }
    if (f->conn) {
        jsonrpc_wait(f->conn);
        jsonrpc_recv_wait(f->conn);
    }
}

static void
fake_drop(struct fake *f)
{
    jsonrpc_close(f->conn);
    f->conn = NULL;
}

static void
fake_destroy(struct fake *f)
{
    fake_drop(f);
    stream_listener_close(f->l);
    json_decref(f->monitor);
    json_decref(f->last_call);
    json_decref(f->echo_result);
}

/* One test's world: a fake server and a session. */
struct world {
    struct fake fake;
    struct session *s;
    bool (*cond)(struct world *);
};

static bool
world_step(void *aux)
{
    struct world *w = aux;

    session_run(w->s);
    fake_run(&w->fake);
    if (w->cond(w)) {
        return true;
    }
    session_wait(w->s);
    fake_wait(&w->fake);
    return false;
}

static bool
until(struct world *w, bool (*cond)(struct world *), long long ms)
{
    w->cond = cond;
    return tu_loop_until(world_step, w, ms);
}

static bool
is_active(struct world *w)
{
    return session_is_active(w->s);
}

static bool
not_active(struct world *w)
{
    return !session_is_active(w->s);
}

static bool
never(struct world *w)
{
    (void)w;
    return false;
}

static const char *const t_cols[] = {"name", "n", "missing", NULL};
static const struct session_table tables[] = {
    {"T", t_cols},
    {"U", NULL}, /* not in the schema */
};

static void
world_init(struct world *w, const char *schema, long long probe,
           long long timeout)
{
    char err[SESSION_ERR_LEN], remote[64];
    struct session_options o;

    memset(w, 0, sizeof *w);
    w->fake.schema = schema;
    w->fake.answer_echo = true;
    assert_int_equal(stream_listen("ptcp:0:127.0.0.1", NULL, &w->fake.l, err),
                     0);
    snprintf(remote, sizeof remote, "tcp:127.0.0.1:%d",
             stream_listener_port(w->fake.l));
    session_options_init(&o);
    o.name = "sw1";
    o.database = "testdb";
    o.schema_major = 1;
    o.tables = tables;
    o.n_tables = 2;
    o.probe_interval_ms = probe;
    o.socket_timeout_ms = timeout;
    o.backoff_min_ms = 100;
    o.backoff_max_ms = 200;
    assert_int_equal(session_create(remote, &o, &w->s, err), 0);
}

static void
world_destroy(struct world *w)
{
    session_destroy(w->s);
    fake_destroy(&w->fake);
}

struct cb_log {
    int calls;
    long long id;
    char result[256];
    char error[256];
};

static void
record_cb(void *aux, long long id, const json_t *result, const json_t *error)
{
    struct cb_log *log = aux;
    char *r = result ? json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY)
                     : NULL;
    char *e = error ? json_dumps(error, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

    log->calls++;
    log->id = id;
    snprintf(log->result, sizeof log->result, "%s", r ? r : "");
    snprintf(log->error, sizeof log->error, "%s", e ? e : "");
    free(r);
    free(e);
}

static struct cb_log *cb_target;
static bool
cb_called(struct world *w)
{
    (void)w;
    return cb_target->calls > 0;
}

static bool
name_is_second(struct world *w)
{
    const struct replica_row *row = replica_find(session_replica(w->s), "T",
                                                 ROW1);
    const char *n = row ? datum_get_string(replica_row_get(row, "name"))
                        : NULL;
    return n && !strcmp(n, "second");
}

static bool
echo_answered(struct world *w)
{
    return w->fake.echo_result != NULL;
}

static void
test_handshake(void **state)
{
    (void)state;
    struct world w;

    world_init(&w, good_schema, 5000, 30000);
    assert_int_equal(session_state(w.s), SESSION_BACKOFF);
    assert_true(until(&w, is_active, 5000));
    assert_int_equal(session_conn_seqno(w.s), 1);
    assert_string_equal(schema_name(session_schema(w.s)), "testdb");

    /* Monitor of T limited to the columns the schema has; no U. */
    json_t *expect = json_loads(
        "[\"testdb\",\"l2gw\",{\"T\":{\"columns\":[\"name\",\"n\"]}}]", 0,
        NULL);
    assert_true(json_equal(w.fake.monitor, expect));
    json_decref(expect);

    struct replica *r = session_replica(w.s);
    const struct replica_row *row = replica_find(r, "T", ROW1);
    assert_non_null(row);
    assert_string_equal(datum_get_string(replica_row_get(row, "name")),
                        "first");
    assert_non_null(replica_table(r, "U")); /* registered, stays empty */

    /* An update notification changes the replica. */
    fake_send(&w.fake, jsonrpc_create_notify(
                           "update", json_pack("[s,{s:{s:{s:{s:s}}}}]", "l2gw",
                                               "T", ROW1, "new", "name",
                                               "second")));
    assert_true(until(&w, name_is_second, 5000));

    /* The server's echo is answered with its params. */
    fake_send(&w.fake, jsonrpc_create_request("echo", json_pack("[s]", "hi"),
                                              json_string("e1")));
    assert_true(until(&w, echo_answered, 5000));
    assert_string_equal(json_string_value(json_array_get(w.fake.echo_result,
                                                         0)), "hi");

    /* A request with a callback. */
    struct cb_log log = {0};
    long long id;
    cb_target = &log;
    assert_int_equal(session_transact(w.s, json_pack("[s]", "testdb"),
                                      record_cb, &log, &id), 0);
    assert_int_equal(session_n_pending(w.s), 1);
    assert_true(until(&w, cb_called, 5000));
    assert_int_equal(log.id, id);
    assert_string_equal(log.result, "[{\"count\":1}]");
    assert_string_equal(log.error, "");
    assert_int_equal(session_n_pending(w.s), 0);

    /* A polled request. */
    json_t *res, *err;
    assert_int_equal(session_request(w.s, "transact",
                                     json_pack("[s]", "testdb"), NULL, NULL,
                                     &id), 0);
    assert_int_equal(session_take_reply(w.s, id, &res, &err), -EAGAIN);
    assert_int_equal(session_take_reply(w.s, id + 100, &res, &err), -ENOENT);
    long long deadline = loop_now() + 5000;
    int rc;
    while ((rc = session_take_reply(w.s, id, &res, &err)) == -EAGAIN &&
           loop_now() < deadline) {
        w.cond = never;
        world_step(&w);
        loop_timer_wait(100);
        loop_block();
    }
    assert_int_equal(rc, 0);
    assert_null(err);
    assert_int_equal(json_array_size(res), 1);
    json_decref(res);
    world_destroy(&w);
}

static void
test_probe_timeout_reconnect(void **state)
{
    (void)state;
    struct world w;

    world_init(&w, good_schema, 100, 500);
    assert_true(until(&w, is_active, 5000));
    /* Echo answered: the session stays up well past the timeout. */
    assert_false(until(&w, not_active, 1200));
    assert_true(w.fake.echoes_seen >= 2);

    /* Echo ignored: the session probes, then drops after the timeout. */
    w.fake.answer_echo = false;
    int seen = w.fake.echoes_seen;
    long long t0 = loop_now();
    assert_true(until(&w, not_active, 3000));
    long long took = loop_now() - t0;
    assert_true(took >= 300 && took < 2000); /* timeout 500 ms */
    assert_true(w.fake.echoes_seen > seen);
    assert_non_null(strstr(session_stats(w.s)->last_error, "no input"));

    /* And reconnects by itself within the backoff. */
    w.fake.answer_echo = true;
    assert_true(until(&w, is_active, 3000));
    assert_int_equal(w.fake.accepts, 2);
    assert_int_equal(session_conn_seqno(w.s), 2);
    const struct session_stats *st = session_stats(w.s);
    assert_int_equal(st->connects, 2);
    assert_int_equal(st->disconnects, 1);
    assert_int_equal(st->reconnects, 1);
    world_destroy(&w);
}

static void
test_schema_mismatch(void **state)
{
    (void)state;
    struct world w;

    world_init(&w, "{\"name\":\"otherdb\",\"version\":\"1.0.0\",\"tables\":"
                   "{\"T\":{\"columns\":{\"a\":{\"type\":\"string\"}}}}}",
               5000, 30000);
    assert_false(until(&w, is_active, 700));
    assert_non_null(strstr(session_stats(w.s)->last_error, "expected testdb"));
    assert_true(w.fake.accepts >= 2); /* retried */
    world_destroy(&w);

    world_init(&w, "{\"name\":\"testdb\",\"version\":\"2.0.0\",\"tables\":"
                   "{\"T\":{\"columns\":{\"a\":{\"type\":\"string\"}}}}}",
               5000, 30000);
    assert_false(until(&w, is_active, 500));
    assert_non_null(strstr(session_stats(w.s)->last_error, "not 1.x"));
    world_destroy(&w);
}

static void
test_lost_and_malformed(void **state)
{
    (void)state;
    struct world w;
    struct cb_log log = {0};
    json_t *res, *err;
    long long id_cb, id_poll;

    world_init(&w, good_schema, 5000, 30000);
    assert_true(until(&w, is_active, 5000));
    assert_int_equal(session_request(w.s, "slow", NULL, record_cb, &log,
                                     &id_cb), 0);
    assert_int_equal(session_request(w.s, "slow", NULL, NULL, NULL,
                                     &id_poll), 0);
    /* Drop before the fake reads the requests. */
    session_run(w.s);
    fake_drop(&w.fake);
    cb_target = &log;
    assert_true(until(&w, cb_called, 5000));
    assert_string_equal(log.error, "\"connection lost\"");
    assert_int_equal(session_take_reply(w.s, id_poll, &res, &err), 0);
    assert_null(res);
    assert_string_equal(json_string_value(err), "connection lost");
    json_decref(err);
    assert_int_equal(session_request(w.s, "x", NULL, NULL, NULL, NULL),
                     session_is_active(w.s) ? 0 : -ENOTCONN);

    /* A malformed update makes the session resynchronise. */
    assert_true(until(&w, is_active, 5000));
    fake_send(&w.fake, jsonrpc_create_notify(
                           "update", json_pack("[s,[i]]", "l2gw", 1)));
    assert_true(until(&w, not_active, 5000));
    assert_non_null(strstr(session_stats(w.s)->last_error, "malformed"));
    assert_true(until(&w, is_active, 5000));
    assert_int_equal(session_conn_seqno(w.s), 3);
    world_destroy(&w);
}

/* Passive: the "server" connects to our listener. */
static void
test_passive(void **state)
{
    (void)state;
    struct world w;
    struct stream_listener *ours;
    struct stream *client, *accepted = NULL;
    char err[STREAM_ERR_LEN], name[64];
    struct session_options o;

    memset(&w, 0, sizeof w);
    w.fake.schema = good_schema;
    w.fake.answer_echo = true;
    assert_int_equal(stream_listen("ptcp:0:127.0.0.1", NULL, &ours, err), 0);
    snprintf(name, sizeof name, "tcp:127.0.0.1:%d",
             stream_listener_port(ours));
    assert_int_equal(stream_open(name, NULL, &client, err), 0);
    w.fake.conn = jsonrpc_open(client, 0);
    long long deadline = loop_now() + 5000;
    while (stream_accept(ours, &accepted) == -EAGAIN) {
        assert_true(loop_now() < deadline);
        stream_listener_wait(ours);
        loop_block();
    }
    session_options_init(&o);
    o.database = "testdb";
    o.tables = tables;
    o.n_tables = 1;
    assert_int_equal(session_create_passive(accepted, &o, &w.s, err), 0);
    assert_non_null(strstr(session_name(w.s), "tcp:127.0.0.1:"));
    assert_true(until(&w, is_active, 5000));
    assert_non_null(replica_find(session_replica(w.s), "T", ROW1));
    assert_non_null(strstr(session_peer(w.s), "127.0.0.1:"));

    fake_drop(&w.fake);
    assert_true(until(&w, not_active, 5000));
    assert_int_equal(session_state(w.s), SESSION_DEAD);
    assert_false(until(&w, is_active, 300)); /* no reconnection */
    world_destroy(&w);
    stream_listener_close(ours);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_probe_timeout_reconnect),
        cmocka_unit_test(test_schema_mismatch),
        cmocka_unit_test(test_lost_and_malformed),
        cmocka_unit_test(test_passive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
