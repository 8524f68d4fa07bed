/* Integration test of src/vtep against a real ovsdb-server serving
 * hardware_vtep: the reconcile loop (reconcile → transact → wait for the
 * reply and for the replica to show it → again, until nothing is left)
 * drives a switch created with vtep-ctl, and vtep-ctl / ovsdb-client
 * check what the switch really holds: Logical_Switches, remote MACs,
 * bindings; changes of the desired state (MACs removed and moved, a
 * binding re-pointed, an LS deleted); drift repaired (rows removed and
 * added by hand); adoption; a foreign binding; 10,000 MACs.
 *
 * ovsdb-server runs as a child of this test (not --detach) with
 * PR_SET_PDEATHSIG, so it dies with the test even on a crash; the group
 * teardown and an atexit handler stop it otherwise.  L2GW_KEEP_TMP=1
 * keeps the temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/loop.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"
#include "ovsdb/session.h"
#include "ovsdb/txn.h"
#include "vtep/desired.h"
#include "vtep/names.h"
#include "vtep/reconcile.h"

#define VTEP_SCHEMA "/usr/share/openvswitch/vtep.ovsschema"
#define OWNER "it-deploy"
#define MAX_OWNED 64
#define WAIT_MS 20000

static char dir[PATH_MAX];
static char sock[PATH_MAX + 16];
static pid_t server_pid;
static struct session *sess;
static struct vtep_desired desired;
static struct vtep_options opts;
static char *owned[MAX_OWNED];
static size_t n_owned;

/* ---- Shell helpers ---- */

static int
sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* The standard output of a shell command (static buffer; fails the test
 * when the command fails). */
static const char *
capture(const char *fmt, ...)
{
    static char out[1 << 22]; /* 10,000 MACs listed fit */
    char cmd[8192];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    if (pclose(p) != 0) {
        fail_msg("command failed: %s\n%s", cmd, out);
    }
    return out;
}

#define VTEP_CTL "vtep-ctl --timeout=10 --db=unix:%s "
#define vctl(FMT, ...) capture(VTEP_CTL FMT " 2>&1", sock, ##__VA_ARGS__)

/* ---- ovsdb-server ---- */

static void
exec_server(void)
{
    char db[PATH_MAX + 64], a[3][PATH_MAX + 96];

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    snprintf(db, sizeof db, "%s/ovsdb-server.out", dir);
    if (!freopen(db, "a", stderr) || !freopen(db, "a", stdout)) {
        _exit(126);
    }
    snprintf(db, sizeof db, "%s/vtep.db", dir);
    snprintf(a[0], sizeof a[0], "--remote=punix:%s", sock);
    snprintf(a[1], sizeof a[1], "--unixctl=%s/ovsdb-server.ctl", dir);
    snprintf(a[2], sizeof a[2], "--log-file=%s/ovsdb-server.log", dir);
    execlp("ovsdb-server", "ovsdb-server", db, a[0], a[1], a[2],
           "--no-chdir", (char *)NULL);
    _exit(127);
}

static void
stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        for (int i = 0; i < 200 && !waitpid(server_pid, NULL, WNOHANG); i++) {
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
    server_pid = fork();
    if (server_pid == 0) {
        exec_server();
    }
    for (int i = 0; i < 500; i++) {
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

/* ---- Session ---- */

static const struct session_table tables[] = {
    {VTEP_T_GLOBAL, NULL},       {VTEP_T_PS, NULL},
    {VTEP_T_PORT, NULL},         {VTEP_T_LS, NULL},
    {VTEP_T_LOCATOR, NULL},      {VTEP_T_LOCATOR_SET, NULL},
    {VTEP_T_UCAST_LOCAL, NULL},  {VTEP_T_UCAST_REMOTE, NULL},
    {VTEP_T_MCAST_LOCAL, NULL},  {VTEP_T_MCAST_REMOTE, NULL},
};

/* Runs the session until 'cond' holds or 'ms' pass. */
static bool
run_until(bool (*cond)(void *), void *aux, long long ms)
{
    long long deadline = loop_now() + ms;

    for (;;) {
        session_run(sess);
        if (cond(aux)) {
            return true;
        }
        if (loop_now() >= deadline) {
            return false;
        }
        session_wait(sess);
        loop_timer_wait_until(deadline);
        loop_block();
    }
}

static bool
is_active(void *aux)
{
    (void)aux;
    return session_is_active(sess);
}

static int
setup(void **state)
{
    struct session_options o;
    char remote[PATH_MAX + 32], err[SESSION_ERR_LEN];
    const char *tmp = getenv("TMPDIR");

    (void)state;
    snprintf(dir, sizeof dir, "%s/l2gw-vtep-it-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        return -1;
    }
    snprintf(sock, sizeof sock, "%s/db.sock", dir);
    atexit(stop_server);
    if (sh("ovsdb-tool create '%s/vtep.db' %s", dir, VTEP_SCHEMA) ||
        start_server() ||
        sh(VTEP_CTL "add-ps sw1 && " VTEP_CTL "add-port sw1 p1 && " VTEP_CTL
                    "add-port sw1 p2",
           sock, sock, sock)) {
        return -1;
    }
    session_options_init(&o);
    o.name = "sw1-db";
    o.database = VTEP_DATABASE;
    o.schema_major = 1;
    o.tables = tables;
    o.n_tables = sizeof tables / sizeof *tables;
    snprintf(remote, sizeof remote, "unix:%s", sock);
    if (session_create(remote, &o, &sess, err) ||
        !run_until(is_active, NULL, WAIT_MS)) {
        return -1;
    }
    const struct schema *sc = session_schema(sess);
    opts.database = VTEP_DATABASE;
    opts.name = "sw1-db";
    opts.owner_id = OWNER;
    opts.adopt = true;
    opts.owner_mark = schema_has_column(sc, VTEP_T_LS, VTEP_C_OTHER_CONFIG);
    opts.has_replication_mode = schema_has_column(sc, VTEP_T_LS,
                                                  VTEP_C_REPLICATION_MODE);
    vtep_desired_init(&desired);
    return opts.owner_mark && opts.has_replication_mode ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    session_destroy(sess);
    stop_server();
    vtep_desired_destroy(&desired);
    for (size_t i = 0; i < n_owned; i++) {
        free(owned[i]);
    }
    if (!getenv("L2GW_KEEP_TMP") && !strncmp(dir, "/tmp/", 5)) {
        sh("rm -rf '%s'", dir);
    }
    return 0;
}

/* ---- The reconcile loop (what the switch manager does) ---- */

/* Where the time of the reconcile loop goes (milliseconds). */
static struct {
    double reconcile, reply, catchup;
} spent;

static double
now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

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

static bool
reply_done(void *aux)
{
    return ((struct reply *)aux)->done;
}

/* Records res->record and drops res->forget from the owned list. */
static void
record(const struct vtep_result *res)
{
    for (size_t i = 0; i < res->n_record; i++) {
        bool known = false;
        for (size_t k = 0; k < n_owned && !known; k++) {
            known = !strcmp(owned[k], res->record[i]);
        }
        if (!known) {
            assert_true(n_owned < MAX_OWNED);
            owned[n_owned++] = strdup(res->record[i]);
        }
    }
}

static void
forget(const struct vtep_result *res)
{
    for (size_t i = 0; i < res->n_forget; i++) {
        for (size_t k = 0; k < n_owned; k++) {
            if (!strcmp(owned[k], res->forget[i])) {
                free(owned[k]);
                owned[k--] = owned[--n_owned];
            }
        }
    }
}

struct catchup {
    json_t *ops;            /* the txn's operations (params minus db) */
    struct txn_result *res; /* its reply */
};

static bool
rows_with_ls(const char *table, const json_t *ls)
{
    const struct replica_table *t = replica_table(session_replica(sess),
                                                  table);

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        if (datum_equal(replica_row_get(row, VTEP_C_LOGICAL_SWITCH), ls)) {
            return true;
        }
    }
    return false;
}

/* True once the replica shows every insert and delete of the txn. */
static bool
caught_up(void *aux)
{
    struct catchup *c = aux;
    struct replica *r = session_replica(sess);

    for (size_t i = 0; i < json_array_size(c->ops); i++) {
        json_t *op = json_array_get(c->ops, i);
        const char *kind = json_string_value(json_object_get(op, "op"));
        const char *table = json_string_value(json_object_get(op, "table"));
        json_t *cond = json_array_get(json_object_get(op, "where"), 0);
        const char *col = json_string_value(json_array_get(cond, 0));
        if (!strcmp(kind, "insert") &&
            !replica_find(r, table, txn_result_insert_uuid(c->res, i))) {
            return false;
        }
        if (!strcmp(kind, "delete") && !strcmp(col, "_uuid") &&
            replica_find(r, table,
                         datum_get_uuid(json_array_get(cond, 2)))) {
            return false;
        }
        if (!strcmp(kind, "delete") && strcmp(col, "_uuid") &&
            rows_with_ls(table, json_array_get(cond, 2))) {
            return false;
        }
    }
    return true;
}

/* Sends res->txn, checks that it succeeded, and waits for the replica. */
static void
send_and_wait(const struct vtep_result *res)
{
    struct reply rep = {0};
    struct txn_result *tr;

    double t0 = now_ms();
    assert_int_equal(session_transact(sess, txn_params(res->txn), reply_cb,
                                      &rep, NULL), 0);
    assert_true(run_until(reply_done, &rep, WAIT_MS));
    double t1 = now_ms();
    txn_result_parse(res->txn, rep.result, rep.error, &tr);
    if (!txn_result_ok(tr)) {
        fail_msg("transaction failed at op %lld: %s: %s",
                 txn_result_failed_op(tr), txn_result_error(tr),
                 txn_result_details(tr));
    }
    json_t *params = txn_params(res->txn);
    json_array_remove(params, 0);
    struct catchup c = {params, tr};
    assert_true(run_until(caught_up, &c, WAIT_MS));
    spent.reply += t1 - t0;
    spent.catchup += now_ms() - t1;
    json_decref(params);
    txn_result_destroy(tr);
    json_decref(rep.result);
    json_decref(rep.error);
}

/* Waits until the replica holds every change committed before now (e.g.
 * by vtep-ctl): ovsdb-server sends the monitor updates of earlier commits
 * before it answers a later request, and the session handles messages in
 * order, so once an empty transaction is answered the replica is current. */
static void
barrier(void)
{
    struct reply rep = {0};

    assert_int_equal(session_transact(sess, json_pack("[s]", VTEP_DATABASE),
                                      reply_cb, &rep, NULL), 0);
    assert_true(run_until(reply_done, &rep, WAIT_MS));
    assert_null(rep.error);
    json_decref(rep.result);
}

/* Reconciles until a pass has nothing to send; the last result goes to
 * '*last' (caller destroys).  Returns the number of transactions sent. */
static int
converge(struct vtep_result *last)
{
    barrier();
    for (int pass = 0; pass < 50; pass++) {
        struct vtep_result res;
        double t0 = now_ms();
        assert_int_equal(vtep_reconcile(&desired, session_replica(sess),
                                        (const char *const *)owned, n_owned,
                                        &opts, &res), 0);
        spent.reconcile += now_ms() - t0;
        record(&res);
        if (!res.n_ops) {
            forget(&res);
            *last = res;
            return pass;
        }
        send_and_wait(&res);
        forget(&res);
        vtep_result_destroy(&res);
    }
    fail_msg("no convergence after 50 transactions");
    return -1;
}

/* converge() that expects convergence of every LS without problems. */
static int
converge_clean(void)
{
    struct vtep_result res;
    int n = converge(&res);

    for (size_t i = 0; i < res.n_problems; i++) {
        print_error("problem: %s\n", res.problems[i].reason);
    }
    assert_int_equal(res.n_problems, 0);
    for (size_t i = 0; i < res.n_ls; i++) {
        assert_true(res.ls_converged[i]);
    }
    vtep_result_destroy(&res);
    return n;
}

/* ---- Desired-state helpers ---- */

static struct vtep_ls *
want_ls(const char *name, const char *descr, long long key)
{
    struct vtep_ls *ls = vtep_desired_ls(&desired, name, descr, key);

    assert_non_null(ls);
    return ls;
}

static void
want_mac(struct vtep_ls *ls, const char *mac, const char *ip,
         const char *host)
{
    struct vtep_locator l = {.key = VTEP_NO_KEY};

    snprintf(l.ip, sizeof l.ip, "%s", host);
    assert_int_equal(vtep_ls_add_mac(ls, mac, ip, &l, "port", 1), 0);
}

static void
want_flood(struct vtep_ls *ls, const char *host)
{
    struct vtep_locator l = {.key = VTEP_NO_KEY};

    snprintf(l.ip, sizeof l.ip, "%s", host);
    assert_int_equal(vtep_ls_add_flood(ls, &l), 0);
}

/* Replaces the desired state by a fresh one. */
static void
reset_desired(void)
{
    vtep_desired_destroy(&desired);
    vtep_desired_init(&desired);
}

static size_t
count_lines(const char *text, const char *needle)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, needle)); p++) {
        n++;
    }
    return n;
}

/* ---- Tests ---- */

static void
test_initial(void **state)
{
    (void)state;
    struct vtep_ls *a = want_ls("net-a", "Network A", 5000);
    want_mac(a, "02:00:00:00:00:01", "10.0.0.1", "192.0.2.1");
    want_mac(a, "02:00:00:00:00:02", "10.0.0.2", "192.0.2.1");
    want_mac(a, "02:00:00:00:00:03", "", "192.0.2.2");
    want_flood(a, "192.0.2.1");
    want_flood(a, "192.0.2.2");
    assert_int_equal(vtep_ls_add_binding(a, "sw1", "p1", 10, "conn-1"), 0);
    assert_int_equal(converge_clean(), 1);

    assert_string_equal(vctl("list-ls"), "net-a\n");
    assert_string_equal(vctl("list-remote-macs net-a"),
                        "ucast-mac-remote\n"
                        "  02:00:00:00:00:01 -> vxlan_over_ipv4/192.0.2.1\n"
                        "  02:00:00:00:00:02 -> vxlan_over_ipv4/192.0.2.1\n"
                        "  02:00:00:00:00:03 -> vxlan_over_ipv4/192.0.2.2\n"
                        "\n"
                        "mcast-mac-remote\n"
                        "  unknown-dst -> vxlan_over_ipv4/192.0.2.1\n"
                        "  unknown-dst -> vxlan_over_ipv4/192.0.2.2\n\n");
    assert_string_equal(vctl("list-bindings sw1 p1"), "0010 net-a\n");
    assert_string_equal(vctl("get Logical_Switch net-a tunnel_key "
                             "replication_mode description "
                             "other_config:l2gw-owner"),
                        "5000\nsource_node\n\"Network A\"\n" OWNER "\n");
    assert_int_equal(n_owned, 1);
    assert_string_equal(owned[0], "net-a");
    const char *locs = capture("ovsdb-client dump unix:%s hardware_vtep "
                               "Physical_Locator dst_ip", sock);
    assert_int_equal(count_lines(locs, "\"192.0.2."), 2);
}

static void
test_changes(void **state)
{
    (void)state;
    reset_desired();
    /* MAC 2 removed, MAC 3 moved to a new host, a new LS takes p1/10. */
    struct vtep_ls *a = want_ls("net-a", "Network A", 5000);
    want_mac(a, "02:00:00:00:00:01", "10.0.0.1", "192.0.2.1");
    want_mac(a, "02:00:00:00:00:03", "", "192.0.2.3");
    want_flood(a, "192.0.2.1");
    want_flood(a, "192.0.2.3");
    assert_int_equal(vtep_ls_add_binding(a, "sw1", "p2", 0, "conn-1"), 0);
    struct vtep_ls *b = want_ls("net-b", "Network B", 6000);
    assert_int_equal(vtep_ls_add_binding(b, "sw1", "p1", 10, "conn-2"), 0);
    converge_clean();

    assert_string_equal(vctl("list-ls"), "net-a\nnet-b\n");
    assert_string_equal(vctl("list-remote-macs net-a"),
                        "ucast-mac-remote\n"
                        "  02:00:00:00:00:01 -> vxlan_over_ipv4/192.0.2.1\n"
                        "  02:00:00:00:00:03 -> vxlan_over_ipv4/192.0.2.3\n"
                        "\n"
                        "mcast-mac-remote\n"
                        "  unknown-dst -> vxlan_over_ipv4/192.0.2.1\n"
                        "  unknown-dst -> vxlan_over_ipv4/192.0.2.3\n\n");
    assert_string_equal(vctl("list-bindings sw1 p1"), "0010 net-b\n");
    assert_string_equal(vctl("list-bindings sw1 p2"), "0000 net-a\n");
    /* 192.0.2.2 is unreferenced now: the server collected it. */
    const char *locs = capture("ovsdb-client dump unix:%s hardware_vtep "
                               "Physical_Locator dst_ip", sock);
    assert_int_equal(count_lines(locs, "\"192.0.2.2\""), 0);
    assert_int_equal(count_lines(locs, "\"192.0.2."), 2);
}

/* The UUID printed by a vtep-ctl query (a new string). */
static char *
query_uuid(const char *what)
{
    char *u = strdup(vctl("--bare --columns=_uuid find %s", what));

    u[strcspn(u, "\n")] = '\0';
    assert_int_equal(strlen(u), 36);
    return u;
}

static void
test_drift_repaired(void **state)
{
    (void)state;
    vctl("del-ucast-remote net-a 02:00:00:00:00:01");
    vctl("add-ucast-remote net-a 02:00:00:00:00:99 192.0.2.1");
    vctl("add-ucast-remote net-a 02:00:00:00:00:03 192.0.2.1");
    vctl("unbind-ls sw1 p1 10");
    /* Our mark overwritten and the description changed by hand. */
    vctl("set Logical_Switch net-b other_config:l2gw-owner=stale "
         "other_config:vendor=x description=changed");
    assert_int_equal(converge_clean(), 1);
    assert_string_equal(vctl("get Logical_Switch net-b other_config "
                             "description"),
                        "{l2gw-owner=" OWNER ", vendor=x}\n\"Network B\"\n");
    assert_string_equal(vctl("list-remote-macs net-a"),
                        "ucast-mac-remote\n"
                        "  02:00:00:00:00:01 -> vxlan_over_ipv4/192.0.2.1\n"
                        "  02:00:00:00:00:03 -> vxlan_over_ipv4/192.0.2.3\n"
                        "\n"
                        "mcast-mac-remote\n"
                        "  unknown-dst -> vxlan_over_ipv4/192.0.2.1\n"
                        "  unknown-dst -> vxlan_over_ipv4/192.0.2.3\n\n");
    assert_string_equal(vctl("list-bindings sw1 p1"), "0010 net-b\n");

    /* Duplicates of a desired row written by hand (one equal, one with a
     * wrong ipaddr): exactly one row remains, and nothing churns after. */
    char *ls = query_uuid("Logical_Switch name=net-a");
    char *loc = query_uuid("Physical_Locator dst_ip=192.0.2.1");
    for (int i = 0; i < 2; i++) {
        vctl("create Ucast_Macs_Remote 'MAC=\"02:00:00:00:00:01\"' "
             "logical_switch=%s locator=%s 'ipaddr=\"%s\"'", ls, loc,
             i ? "10.9.9.9" : "10.0.0.1");
    }
    assert_int_equal(count_lines(vctl("list-remote-macs net-a"),
                                 "02:00:00:00:00:01"), 3);
    assert_int_equal(converge_clean(), 1);
    assert_int_equal(count_lines(vctl("list-remote-macs net-a"),
                                 "02:00:00:00:00:01"), 1);
    assert_string_equal(vctl("--bare --columns=ipaddr find Ucast_Macs_Remote "
                             "'MAC=\"02:00:00:00:00:01\"'"), "10.0.0.1\n");
    assert_int_equal(converge_clean(), 0);
    free(ls);
    free(loc);
}

static void
test_upper_case_kept(void **state)
{
    (void)state;
    struct vtep_ls *a = vtep_desired_find(&desired, "net-a");
    want_mac(a, "0a:bb:cc:dd:ee:0f", "", "192.0.2.3");
    assert_int_equal(converge_clean(), 1);
    /* Rewritten by hand in upper case, otherwise right: kept as is. */
    vctl("del-ucast-remote net-a 0a:bb:cc:dd:ee:0f");
    vctl("add-ucast-remote net-a 0A:BB:CC:DD:EE:0F 192.0.2.3");
    assert_int_equal(converge_clean(), 0);
    assert_int_equal(count_lines(vctl("list-remote-macs net-a"),
                                 "0A:BB:CC:DD:EE:0F -> "
                                 "vxlan_over_ipv4/192.0.2.3"), 1);
    assert_int_equal(count_lines(vctl("list-remote-macs net-a"),
                                 "0a:bb:cc:dd:ee:0f"), 0);
}

static void
test_foreign_binding_and_adoption(void **state)
{
    (void)state;
    vctl("add-ls theirs -- set Logical_Switch theirs tunnel_key=9000");
    vctl("bind-ls sw1 p2 20 theirs");
    vctl("add-ls legacy -- set Logical_Switch legacy tunnel_key=7000");
    struct vtep_ls *b = vtep_desired_find(&desired, "net-b");
    assert_int_equal(vtep_ls_add_binding(b, "sw1", "p2", 20, "conn-9"), 0);
    want_ls("legacy", "Legacy", 7000);

    struct vtep_result res;
    converge(&res);
    assert_int_equal(res.n_problems, 1);
    assert_string_equal(res.problems[0].reason,
                        "VLAN 20 of port p2 on sw1 is bound to "
                        "Logical_Switch theirs");
    assert_string_equal(res.problems[0].conn, "conn-9");
    vtep_result_destroy(&res);
    assert_string_equal(vctl("list-bindings sw1 p2"),
                        "0000 net-a\n0020 theirs\n");
    /* Adopted: recorded and marked. */
    assert_string_equal(vctl("get Logical_Switch legacy "
                             "other_config:l2gw-owner description"),
                        OWNER "\nLegacy\n");
    bool found = false;
    for (size_t i = 0; i < n_owned; i++) {
        found |= !strcmp(owned[i], "legacy");
    }
    assert_true(found);
}

static void
test_ls_deleted(void **state)
{
    (void)state;
    reset_desired();
    struct vtep_ls *b = want_ls("net-b", "Network B", 6000);
    assert_int_equal(vtep_ls_add_binding(b, "sw1", "p1", 10, "conn-2"), 0);
    /* net-a and legacy go: rows and bindings first, then the LSs. */
    assert_int_equal(converge_clean(), 2);
    assert_string_equal(vctl("list-ls"), "net-b\ntheirs\n");
    assert_string_equal(vctl("list-bindings sw1 p2"), "0020 theirs\n");
    assert_string_equal(vctl("list-remote-macs net-b"),
                        "ucast-mac-remote\n\nmcast-mac-remote\n\n");
    assert_int_equal(n_owned, 1);
    assert_string_equal(owned[0], "net-b");
}

static void
test_ten_thousand_macs(void **state)
{
    (void)state;
    struct vtep_ls *big = want_ls("net-big", "Big", 8000);
    for (int i = 0; i < 10000; i++) {
        char mac[18], host[16];
        snprintf(mac, sizeof mac, "02:10:00:00:%02x:%02x", i >> 8, i & 0xff);
        snprintf(host, sizeof host, "198.51.100.%d", i % 50 + 1);
        want_mac(big, mac, "", host);
        want_flood(big, host);
    }
    memset(&spent, 0, sizeof spent);
    double t0 = now_ms();
    int n = converge_clean();
    double ms = now_ms() - t0;
    print_message("10000 MACs converged in %.1f ms over %d transactions "
                  "(reconcile %.1f ms, server reply %.1f ms, replica "
                  "catch-up %.1f ms)\n", ms, n, spent.reconcile, spent.reply,
                  spent.catchup);
    assert_int_equal(count_lines(vctl("list-remote-macs net-big"),
                                 "  02:10:"), 10000);
    memset(&spent, 0, sizeof spent);
    assert_int_equal(converge_clean(), 0);
    print_message("idle pass over %zu rows: reconcile %.1f ms\n",
                  replica_n_rows(session_replica(sess)), spent.reconcile);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_drift_repaired),
        cmocka_unit_test(test_upper_case_kept),
        cmocka_unit_test(test_foreign_binding_and_adoption),
        cmocka_unit_test(test_ls_deleted),
        cmocka_unit_test(test_ten_thousand_macs),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
