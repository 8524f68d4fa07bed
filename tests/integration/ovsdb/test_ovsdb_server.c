/* Integration test of src/ovsdb against a real ovsdb-server serving
 * hardware_vtep: sessions over unix, tcp and ssl; get_schema and monitor;
 * transactions and their per-operation errors; echo both ways; server
 * restart and reconnection; TLS with a wrong CA; passive sessions that
 * the server opens to our listener (Global.managers, tcp and ssl).
 *
 * ovsdb-server runs as a child of this test (not --detach) with
 * PR_SET_PDEATHSIG, so it dies with the test even on a crash; the group
 * teardown and an atexit handler also stop it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/loop.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"
#include "ovsdb/session.h"
#include "ovsdb/stream.h"
#include "ovsdb/txn.h"
#include "testutil.h"

#define VTEP_SCHEMA "/usr/share/openvswitch/vtep.ovsschema"

static char dir[PATH_MAX];
static char sock[PATH_MAX + 16];
static int tcp_port, ssl_port;
static pid_t server_pid;

/* ---- ovsdb-server ---- */

static void
path(char *out, const char *name)
{
    snprintf(out, PATH_MAX + 64, "%s/%s", dir, name);
}

static void
exec_server(void)
{
    char db[PATH_MAX + 64], a[8][PATH_MAX + 96];

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    path(db, "ovsdb-server.out");
    if (!freopen(db, "a", stderr) || !freopen(db, "a", stdout)) {
        _exit(126);
    }
    setenv("OVS_RUNDIR", dir, 1);
    setenv("OVS_LOGDIR", dir, 1);
    setenv("OVS_DBDIR", dir, 1);
    path(db, "vtep.db");
    snprintf(a[0], sizeof a[0], "--remote=punix:%s", sock);
    snprintf(a[1], sizeof a[1], "--remote=ptcp:%d:127.0.0.1", tcp_port);
    snprintf(a[2], sizeof a[2], "--remote=pssl:%d:127.0.0.1", ssl_port);
    snprintf(a[3], sizeof a[3], "--private-key=%s/server.key", dir);
    snprintf(a[4], sizeof a[4], "--certificate=%s/server.pem", dir);
    snprintf(a[5], sizeof a[5], "--ca-cert=%s/ca.pem", dir);
    snprintf(a[6], sizeof a[6], "--unixctl=%s/ovsdb-server.ctl", dir);
    snprintf(a[7], sizeof a[7], "--log-file=%s/ovsdb-server.log", dir);
    execlp("ovsdb-server", "ovsdb-server", db, a[0], a[1], a[2], a[3], a[4],
           a[5], a[6], a[7], "--remote=db:hardware_vtep,Global,managers",
           "--no-chdir", (char *)NULL);
    _exit(127);
}

static void
stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        for (int i = 0; i < 200 && waitpid(server_pid, NULL, WNOHANG) == 0;
             i++) {
            usleep(10000);
        }
        kill(server_pid, SIGKILL);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
}

static int
start_server(void)
{
    unlink(sock);
    server_pid = fork();
    if (server_pid == 0) {
        exec_server();
    }
    for (int i = 0; i < 500; i++) { /* up to 5 s for the socket */
        if (access(sock, F_OK) == 0) {
            return 0;
        }
        if (waitpid(server_pid, NULL, WNOHANG) == server_pid) {
            server_pid = 0;
            return -1;
        }
        usleep(10000);
    }
    return -1;
}

static int
setup(void **state)
{
    (void)state;
    if (tu_mkdtemp(dir, "l2gw-ovsdb-it") || tu_make_pki(dir)) {
        return -1;
    }
    snprintf(sock, sizeof sock, "%s/db.sock", dir);
    tcp_port = tu_free_port();
    ssl_port = tu_free_port();
    atexit(stop_server);
    if (tu_sh("ovsdb-tool create '%s/vtep.db' %s", dir, VTEP_SCHEMA)) {
        return -1;
    }
    return start_server();
}

static int
teardown(void **state)
{
    (void)state;
    stop_server();
    if (!getenv("L2GW_KEEP_TMP")) {
        tu_rmrf(dir);
    }
    return 0;
}

/* ---- Sessions ---- */

static const char *const ls_cols[] = {"name", "description", "tunnel_key",
                                      "replication_mode", "other_config",
                                      "no_such_column", NULL};
static const struct session_table vtep_tables[] = {
    {"Global", NULL},
    {"Physical_Switch", NULL},
    {"Physical_Port", NULL},
    {"Logical_Switch", ls_cols},
    {"Physical_Locator", NULL},
    {"Physical_Locator_Set", NULL},
    {"Ucast_Macs_Local", NULL},
    {"Ucast_Macs_Remote", NULL},
    {"Mcast_Macs_Local", NULL},
    {"Mcast_Macs_Remote", NULL},
    {"No_Such_Table", NULL},
};

static void
vtep_options(struct session_options *o, const char *name)
{
    session_options_init(o);
    o->name = name;
    o->database = "hardware_vtep";
    o->schema_major = 1;
    o->tables = vtep_tables;
    o->n_tables = sizeof vtep_tables / sizeof *vtep_tables;
}

static struct session *
open_session(const char *remote, const char *name,
             const struct stream_ssl_files *ssl, long long probe_ms)
{
    struct session_options o;
    struct session *s;
    char err[SESSION_ERR_LEN];

    vtep_options(&o, name);
    if (ssl) {
        o.ssl = *ssl;
    }
    o.probe_interval_ms = probe_ms;
    o.socket_timeout_ms = probe_ms > 0 ? probe_ms * 4 : 0;
    if (session_create(remote, &o, &s, err)) {
        fail_msg("session_create %s: %s", remote, err);
    }
    return s;
}

/* Sessions driven by the loop helpers below. */
static struct session *drive[4];
static size_t n_drive;
static bool (*drive_cond)(void);

static bool
drive_step(void *aux)
{
    (void)aux;
    for (size_t i = 0; i < n_drive; i++) {
        session_run(drive[i]);
    }
    if (drive_cond()) {
        return true;
    }
    for (size_t i = 0; i < n_drive; i++) {
        session_wait(drive[i]);
    }
    return false;
}

static bool
run_until(bool (*cond)(void), long long ms)
{
    drive_cond = cond;
    return tu_loop_until(drive_step, NULL, ms);
}

static bool
all_active(void)
{
    for (size_t i = 0; i < n_drive; i++) {
        if (!session_is_active(drive[i])) {
            return false;
        }
    }
    return true;
}

static bool
none_active(void)
{
    for (size_t i = 0; i < n_drive; i++) {
        if (session_is_active(drive[i])) {
            return false;
        }
    }
    return true;
}

static bool
never(void)
{
    return false;
}

static void
set_drive(struct session *a, struct session *b)
{
    n_drive = 0;
    drive[n_drive++] = a;
    if (b) {
        drive[n_drive++] = b;
    }
}

/* ---- Replies ---- */

struct reply {
    bool done;
    json_t *result, *error;
};

static void
reply_cb(void *aux, long long id, const json_t *result, const json_t *error)
{
    struct reply *r = aux;

    (void)id;
    r->done = true;
    r->result = result ? json_deep_copy(result) : NULL;
    r->error = error ? json_deep_copy(error) : NULL;
}

static struct reply *waiting_reply;
static bool
reply_done(void)
{
    return waiting_reply->done;
}

/* Sends 'txn' on 's' and returns the parsed result (caller frees). */
static struct txn_result *
transact(struct session *s, const struct txn *txn)
{
    struct reply r = {0};
    struct txn_result *res;

    assert_int_equal(session_transact(s, txn_params(txn), reply_cb, &r, NULL),
                     0);
    waiting_reply = &r;
    assert_true(run_until(reply_done, 10000));
    txn_result_parse(txn, r.result, r.error, &res);
    json_decref(r.result);
    json_decref(r.error);
    return res;
}

/* ---- Tests ---- */

static struct session *unix_s, *tcp_s;
static struct replica_index *tcp_ls_by_name;
static char ls_uuid[64], pl_uuid[64];

static void
test_handshake(void **state)
{
    (void)state;
    char remote[PATH_MAX + 32];
    const char *name_col[] = {"name"};

    snprintf(remote, sizeof remote, "unix:%s", sock);
    unix_s = open_session(remote, "sw-unix", NULL, 0);
    snprintf(remote, sizeof remote, "tcp:127.0.0.1:%d", tcp_port);
    tcp_s = open_session(remote, "sw-tcp", NULL, 0);
    assert_int_equal(replica_add_index(session_replica(tcp_s),
                                       "Logical_Switch", name_col, 1,
                                       &tcp_ls_by_name), 0);
    set_drive(unix_s, tcp_s);
    assert_true(run_until(all_active, 5000));

    const struct schema *sc = session_schema(tcp_s);
    int maj, min, patch;
    schema_version_numbers(sc, &maj, &min, &patch);
    assert_string_equal(schema_name(sc), "hardware_vtep");
    assert_int_equal(maj, 1);
    assert_true(schema_has_column(sc, "Physical_Locator", "tunnel_key"));
    struct replica *r = session_replica(tcp_s);
    struct replica_table *ls = replica_table(r, "Logical_Switch");
    assert_non_null(ls);
    assert_int_equal(replica_table_column(ls, "no_such_column"), -1);
    assert_int_equal(replica_n_rows(r), 0); /* a fresh database */
    assert_string_equal(session_peer(unix_s), sock);
    assert_non_null(strstr(session_peer(tcp_s), "127.0.0.1:"));
}

static bool
rows_arrived(void)
{
    const struct replica *r = session_replica(tcp_s);
    const struct replica_row *mac = NULL;
    const struct replica_table *t = replica_table(r, "Ucast_Macs_Remote");

    if (!replica_find(r, "Logical_Switch", ls_uuid) ||
        !replica_find(r, "Physical_Locator", pl_uuid) || !t) {
        return false;
    }
    for (mac = replica_table_first(t); mac; mac = replica_table_next(t, mac)) {
        const char *loc = datum_get_uuid(replica_row_get(mac, "locator"));
        if (loc && !strcmp(loc, pl_uuid)) {
            return true;
        }
    }
    return false;
}

static void
test_transact(void **state)
{
    (void)state;
    struct txn *t = txn_create("hardware_vtep");

    txn_insert(t, "Logical_Switch",
               json_pack("{s:s,s:i,s:s}", "name", "net-a", "tunnel_key", 5001,
                         "replication_mode", "source_node"), "ls0");
    txn_insert(t, "Physical_Locator",
               json_pack("{s:s,s:s}", "encapsulation_type", "vxlan_over_ipv4",
                         "dst_ip", "192.0.2.10"), "pl0");
    txn_insert(t, "Ucast_Macs_Remote",
               json_pack("{s:s,s:s,s:o,s:o}", "MAC", "aa:bb:cc:00:00:01",
                         "ipaddr", "10.0.0.5", "logical_switch",
                         datum_named_uuid("ls0"), "locator",
                         datum_named_uuid("pl0")), NULL);
    txn_comment(t, "l2gw ovsdb integration test");
    txn_commit(t, false);
    struct txn_result *res = transact(unix_s, t);
    if (!txn_result_ok(res)) {
        fail_msg("transaction failed at %lld: %s (%s)",
                 txn_result_failed_op(res), txn_result_error(res),
                 txn_result_details(res));
    }
    snprintf(ls_uuid, sizeof ls_uuid, "%s",
             txn_result_uuid_for_name(res, "ls0"));
    snprintf(pl_uuid, sizeof pl_uuid, "%s", txn_result_insert_uuid(res, 1));
    assert_non_null(txn_result_insert_uuid(res, 2));
    txn_result_destroy(res);
    txn_destroy(t);

    /* The rows reach the other session's replica by monitor updates. */
    assert_true(run_until(rows_arrived, 5000));
    json_t *name = json_string("net-a");
    const struct replica_row *rows[2];
    assert_int_equal(replica_index_find(tcp_ls_by_name,
                                        (const json_t *const *)&name, rows, 2),
                     1);
    assert_string_equal(replica_row_uuid(rows[0]), ls_uuid);
    json_decref(name);
    /* And the server really holds them. */
    assert_int_equal(tu_sh("ovsdb-client dump unix:%s hardware_vtep "
                           "Logical_Switch | grep -q net-a", sock), 0);
    assert_int_equal(tu_sh("ovsdb-client dump unix:%s hardware_vtep "
                           "Ucast_Macs_Remote | grep -q aa:bb:cc:00:00:01",
                           sock), 0);
}

static void
test_txn_errors(void **state)
{
    (void)state;
    size_t rows_before = replica_n_rows(session_replica(tcp_s));

    /* Two identical locators, each referenced: the index is violated at
     * commit, reported as one result more than there are operations. */
    struct txn *t = txn_create("hardware_vtep");
    for (int i = 0; i < 2; i++) {
        char name[8], mac[32];
        snprintf(name, sizeof name, "pl%d", i);
        snprintf(mac, sizeof mac, "aa:bb:cc:00:01:0%d", i);
        txn_insert(t, "Physical_Locator",
                   json_pack("{s:s,s:s}", "encapsulation_type",
                             "vxlan_over_ipv4", "dst_ip", "192.0.2.20"),
                   name);
        txn_insert(t, "Ucast_Macs_Remote",
                   json_pack("{s:s,s:o,s:o}", "MAC", mac, "logical_switch",
                             datum_uuid(ls_uuid), "locator",
                             datum_named_uuid(name)), NULL);
    }
    struct txn_result *res = transact(unix_s, t);
    assert_false(txn_result_ok(res));
    assert_int_equal(txn_result_failed_op(res), (long long)txn_n_ops(t));
    assert_string_equal(txn_result_error(res), "constraint violation");
    assert_non_null(strstr(txn_result_details(res), "Physical_Locator"));
    txn_result_destroy(res);
    txn_destroy(t);

    /* A failing operation in the middle: its index, error and details;
     * the insert before it is rolled back. */
    t = txn_create("hardware_vtep");
    txn_insert(t, "Logical_Switch", json_pack("{s:s}", "name", "net-b"),
               NULL);
    txn_wait(t, "Logical_Switch",
             json_pack("[o]", txn_cond("name", "==", json_string("net-a"))),
             json_pack("[s]", "name"), "==", json_array(), 0);
    txn_commit(t, false);
    res = transact(unix_s, t);
    assert_false(txn_result_ok(res));
    assert_int_equal(txn_result_failed_op(res), 1);
    assert_string_equal(txn_result_error(res), "timed out");
    assert_null(txn_result_op(res, 2));
    txn_result_destroy(res);
    txn_destroy(t);

    /* An operation on a table the schema lacks. */
    t = txn_create("hardware_vtep");
    txn_insert(t, "No_Such_Table", json_object(), NULL);
    res = transact(unix_s, t);
    assert_false(txn_result_ok(res));
    assert_int_equal(txn_result_failed_op(res), 0);
    fprintf(stderr, "unknown table -> op %lld: %s (%s)\n",
                      txn_result_failed_op(res), txn_result_error(res),
                      txn_result_details(res));
    txn_result_destroy(res);
    txn_destroy(t);

    /* Nothing changed. */
    assert_false(run_until(never, 300));
    assert_int_equal(replica_n_rows(session_replica(tcp_s)), rows_before);
    assert_int_not_equal(tu_sh("ovsdb-client dump unix:%s hardware_vtep "
                               "Logical_Switch | grep -q net-b", sock), 0);
}

static void
test_echo(void **state)
{
    (void)state;
    char remote[PATH_MAX + 32];

    /* Our probes: every 200 ms of silence, answered by the server. */
    snprintf(remote, sizeof remote, "unix:%s", sock);
    struct session *probe = open_session(remote, "sw-probe", NULL, 200);
    set_drive(probe, NULL);
    assert_true(run_until(all_active, 5000));
    assert_false(run_until(none_active, 1500));
    assert_true(session_stats(probe)->probes_sent >= 3);
    assert_int_equal(session_stats(probe)->disconnects, 0);
    session_destroy(probe);

    /* The server's probes (every 5 s on tcp): answered, so the server
     * keeps the session.  Our own probes are off here. */
    snprintf(remote, sizeof remote, "tcp:127.0.0.1:%d", tcp_port);
    struct session_options o;
    char err[SESSION_ERR_LEN];
    vtep_options(&o, "sw-quiet");
    o.probe_interval_ms = -1;
    o.socket_timeout_ms = 60000;
    assert_int_equal(session_create(remote, &o, &probe, err), 0);
    set_drive(probe, NULL);
    assert_true(run_until(all_active, 5000));
    assert_false(run_until(none_active, 6500));
    assert_true(session_stats(probe)->echoes_answered >= 1);
    assert_int_equal(session_stats(probe)->probes_sent, 0);
    session_destroy(probe);
}

static bool
net_c_seen(void)
{
    json_t *name = json_string("net-c");
    const struct replica_row *row;
    size_t n = replica_index_find(tcp_ls_by_name,
                                  (const json_t *const *)&name, &row, 1);

    json_decref(name);
    return n == 1 && replica_find(session_replica(unix_s), "Logical_Switch",
                                  replica_row_uuid(row));
}

static void
test_restart(void **state)
{
    (void)state;
    unsigned long seq_u = session_conn_seqno(unix_s);
    unsigned long seq_t = session_conn_seqno(tcp_s);

    set_drive(unix_s, tcp_s);
    stop_server();
    assert_true(run_until(none_active, 5000));
    assert_int_equal(start_server(), 0);
    long long t0 = loop_now();
    assert_true(run_until(all_active, 10000));
    fprintf(stderr, "reconnected %lld ms after the restart\n",
            loop_now() - t0);
    assert_int_equal(session_conn_seqno(unix_s), seq_u + 1);
    assert_int_equal(session_conn_seqno(tcp_s), seq_t + 1);
    assert_true(session_stats(tcp_s)->reconnects >= 1);
    /* The replica was rebuilt from the new initial contents. */
    assert_non_null(replica_find(session_replica(tcp_s), "Logical_Switch",
                                 ls_uuid));
    assert_true(rows_arrived());
    /* And the new monitor delivers updates. */
    assert_int_equal(tu_sh("vtep-ctl --db=unix:%s add-ls net-c", sock), 0);
    assert_true(run_until(net_c_seen, 5000));
}

static void
ssl_files(struct stream_ssl_files *f, char b[3][PATH_MAX + 32],
          const char *who, const char *ca)
{
    snprintf(b[0], PATH_MAX + 32, "%s/%s.key", dir, who);
    snprintf(b[1], PATH_MAX + 32, "%s/%s.pem", dir, who);
    snprintf(b[2], PATH_MAX + 32, "%s/%s.pem", dir, ca);
    f->private_key = b[0];
    f->certificate = b[1];
    f->ca_cert = b[2];
}

static void
test_ssl(void **state)
{
    (void)state;
    char remote[64], b[3][PATH_MAX + 32];
    struct stream_ssl_files f;

    snprintf(remote, sizeof remote, "ssl:127.0.0.1:%d", ssl_port);
    ssl_files(&f, b, "client", "ca");
    struct session *s = open_session(remote, "sw-ssl", &f, 0);
    set_drive(s, NULL);
    assert_true(run_until(all_active, 5000));
    assert_non_null(replica_find(session_replica(s), "Logical_Switch",
                                 ls_uuid));
    session_destroy(s);

    /* A CA that did not sign the server's certificate: refused. */
    ssl_files(&f, b, "client", "other-ca");
    s = open_session(remote, "sw-ssl-wrong-ca", &f, 0);
    set_drive(s, NULL);
    assert_false(run_until(all_active, 2500));
    assert_non_null(strstr(session_stats(s)->last_error, "not trusted"));
    session_destroy(s);

    /* A missing file: named in the error, no connection attempted. */
    ssl_files(&f, b, "nobody", "ca");
    s = open_session(remote, "sw-ssl-nokey", &f, 0);
    set_drive(s, NULL);
    assert_false(run_until(all_active, 500));
    assert_non_null(strstr(session_stats(s)->last_error, "nobody.key"));
    session_destroy(s);
}

/* Accepts one stream on 'l' within a few seconds. */
static struct stream *
accept_one(struct stream_listener *l)
{
    struct stream *s = NULL;
    long long deadline = loop_now() + 5000;

    while (stream_accept(l, &s) == -EAGAIN) {
        assert_true(loop_now() < deadline);
        stream_listener_wait(l);
        loop_timer_wait_until(deadline);
        loop_block();
    }
    assert_non_null(s);
    return s;
}

static void
passive_case(const char *listen, const char *scheme,
             const struct stream_ssl_files *ssl)
{
    struct stream_listener *l;
    struct session_options o;
    struct session *s;
    char err[STREAM_ERR_LEN];

    assert_int_equal(stream_listen(listen, ssl, &l, err), 0);
    assert_int_equal(tu_sh("vtep-ctl --db=unix:%s set-manager %s:127.0.0.1:%d",
                           sock, scheme, stream_listener_port(l)), 0);
    struct stream *st = accept_one(l);
    vtep_options(&o, NULL);
    assert_int_equal(session_create_passive(st, &o, &s, err), 0);
    set_drive(s, NULL);
    assert_true(run_until(all_active, 5000));
    assert_non_null(replica_find(session_replica(s), "Logical_Switch",
                                 ls_uuid));
    assert_string_equal(stream_peer_ip(st), "127.0.0.1");
    /* The server drops its manager connection: the session is gone. */
    assert_int_equal(tu_sh("vtep-ctl --db=unix:%s del-manager", sock), 0);
    assert_true(run_until(none_active, 5000));
    assert_int_equal(session_state(s), SESSION_DEAD);
    session_destroy(s);
    stream_listener_close(l);
}

static void
test_passive(void **state)
{
    (void)state;
    char b[3][PATH_MAX + 32];
    struct stream_ssl_files f;

    passive_case("ptcp:0:127.0.0.1", "tcp", NULL);
    ssl_files(&f, b, "client", "ca");
    passive_case("pssl:0:127.0.0.1", "ssl", &f);
}

static void
test_cleanup(void **state)
{
    (void)state;
    session_destroy(unix_s);
    session_destroy(tcp_s);
    unix_s = tcp_s = NULL;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_transact),
        cmocka_unit_test(test_txn_errors),
        cmocka_unit_test(test_echo),
        cmocka_unit_test(test_restart),
        cmocka_unit_test(test_ssl),
        cmocka_unit_test(test_passive),
        cmocka_unit_test(test_cleanup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
