/* Phase 4 of switchbench (see switchbench.c): a switch holding 100,000
 * of our rows; its ovsdb-server restarted, then l2gwd restarted, each
 * without and with rows edited behind l2gwd's back; until converged, with
 * zero stale rows; memory per replica row. */
#include "switchbench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "sb_http.h"
#include "sb_proc.h"
#include "sb_watch.h"

#define T_UCAST "Ucast_Macs_Remote"
/* MAC prefix (network number) of the rows planted behind l2gwd's back. */
#define NET_JUNK 0xee
/* Longest waits. */
#define SB_BULK_TIMEOUT_S 180.0
#define SB_CONVERGE_TIMEOUT_S 120.0
/* Phase 4: period of reading l2gwd's log, and of "ctl status" before the
 * log shows the connections ACTIVE. */
#define SB_LOG_POLL_MS 5
#define SB_CTL_SLOW_MS 500
/* How long the ACTIVE lines may lag behind "ctl status" saying idle. */
#define SB_ACTIVE_GRACE_MS 2000

static double ms_between(long long a, long long b)
{
    return (double)(b - a) / 1e6;
}

/* ---- l2gwd's own view: "ctl status" ---- */

struct ctl_state {
    bool connected;
    size_t desired, owned, pending;
    char phase[16];
    unsigned long reconnects;
    int failures;
};

/* Parses the status line of database 'db'.  0 or -1. */
static int ctl_state(const struct daemon *d, const char *db,
                     struct ctl_state *s)
{
    char *ans = NULL, yes[8] = "", *line;
    size_t n = strlen(db);
    int rc = -1;

    memset(s, 0, sizeof *s);
    if (daemon_ctl(d, "status", &ans) || !ans) {
        free(ans);
        return -1;
    }
    for (line = ans; line && *line; line = strchr(line, '\n')) {
        line += *line == '\n';
        if (!strncmp(line, db, n) && line[n] == ' ' &&
            sscanf(line + n,
                   " connected=%7s remote=%*s desired_rows=%zu "
                   "owned_rows=%zu pending=%zu phase=%15s reconnects=%lu "
                   "failures=%d",
                   yes, &s->desired, &s->owned, &s->pending, s->phase,
                   &s->reconnects, &s->failures) == 7) {
            s->connected = !strcmp(yes, "yes");
            rc = 0;
            break;
        }
    }
    free(ans);
    return rc;
}

static bool ctl_converged(const struct ctl_state *s,
                          unsigned long min_reconnects)
{
    return s->connected && !s->pending && !strcmp(s->phase, "idle") &&
           s->reconnects >= min_reconnects;
}

/* ---- rows edited behind l2gwd's back ---- */

struct edits {
    int k;
    char (*uuid)[SB_ID_LEN]; /* victims: deleted rows */
    char (*mac)[18];
    char (*ls)[SB_ID_LEN];
    char junk_ls[SB_ID_LEN]; /* where the k junk rows go */
    char locator[SB_ID_LEN];
    size_t expected_rows; /* Ucast_Macs_Remote rows on sw1, converged */
};

static bool is_big_ls(struct bench *b, const char *ls)
{
    for (int j = 0; j < b->big_made; j++) {
        const char *u = watch_ls_uuid(b->w[0], b->big_net[j]);
        if (u && ls && !strcmp(u, ls)) {
            return true;
        }
    }
    return false;
}

static void take_victim(struct edits *v, int i, const struct replica_row *row)
{
    snprintf(v->uuid[i], SB_ID_LEN, "%s", replica_row_uuid(row));
    snprintf(v->mac[i], 18, "%s",
             datum_get_string(replica_row_get(row, "MAC")));
    snprintf(v->ls[i], SB_ID_LEN, "%s",
             datum_get_uuid(replica_row_get(row, "logical_switch")));
    snprintf(v->locator, SB_ID_LEN, "%s",
             datum_get_uuid(replica_row_get(row, "locator")));
}

/* Picks 'k' rows of the big LSs of sw1, spread over them. */
static int pick_edits(struct bench *b, int k, struct edits *v)
{
    const struct replica_table *t =
        replica_table(watch_replica(b->w[0]), T_UCAST);
    size_t rows = t ? replica_table_count(t) : 0, big = 0, seen = 0;
    int i = 0;

    memset(v, 0, sizeof *v);
    v->k = k;
    v->expected_rows = rows;
    v->uuid = calloc((size_t)k + 1, sizeof *v->uuid);
    v->mac = calloc((size_t)k + 1, sizeof *v->mac);
    v->ls = calloc((size_t)k + 1, sizeof *v->ls);
    for (int j = 0; j < b->big_made; j++) {
        big += watch_count_in_ls(b->w[0], T_UCAST,
                                 watch_ls_uuid(b->w[0], b->big_net[j]));
    }
    if (!v->uuid || !v->mac || !v->ls || (size_t)k > big / 2) {
        fprintf(stderr,
                "switchbench: cannot edit %d of the %zu rows of the "
                "big networks\n",
                k, big);
        return -1;
    }
    size_t stride = k ? big / (size_t)k : 1;
    snprintf(v->junk_ls, sizeof v->junk_ls, "%s",
             watch_ls_uuid(b->w[0], b->big_net[0]));
    for (const struct replica_row *row = replica_table_first(t); row && i < k;
         row = replica_table_next(t, row)) {
        const char *ls = datum_get_uuid(replica_row_get(row, "logical_switch"));
        if (is_big_ls(b, ls) && seen++ % stride == 0) {
            take_victim(v, i++, row);
        }
    }
    return i == k ? 0 : -1;
}

static void free_edits(struct edits *v)
{
    free(v->uuid);
    free(v->mac);
    free(v->ls);
}

/* The operations: delete the victims, insert k junk rows in our LS.
 * Returns a new array (caller owns it). */
static json_t *edit_ops(const struct edits *v)
{
    json_t *ops = json_array();
    char mac[18];

    for (int i = 0; i < v->k; i++) {
        json_array_append_new(ops,
                              json_pack("{s:s,s:s,s:[[s,s,o]]}", "op", "delete",
                                        "table", T_UCAST, "where", "_uuid",
                                        "==", datum_uuid(v->uuid[i])));
        sb_mac(mac, NET_JUNK, i);
        json_array_append_new(ops, json_pack("{s:s,s:s,s:{s:s,s:o,s:o}}", "op",
                                             "insert", "table", T_UCAST, "row",
                                             "MAC", mac, "logical_switch",
                                             datum_uuid(v->junk_ls), "locator",
                                             datum_uuid(v->locator)));
    }
    return ops;
}

/* sw1 holds exactly what it should, as far as the edits go: every victim
 * back, no junk row, the expected number of rows. */
static bool switch_ok(struct bench *b, void *aux)
{
    const struct edits *v = aux;
    char mac[18];

    if (watch_table_count(b->w[0], T_UCAST) != v->expected_rows) {
        return false;
    }
    for (int i = 0; i < v->k; i++) {
        sb_mac(mac, NET_JUNK, i);
        if (watch_mac_rows(b->w[0], v->mac[i], v->ls[i]) != 1 ||
            watch_mac_rows(b->w[0], mac, v->junk_ls)) {
            return false;
        }
    }
    return true;
}

/* The edits are visible (l2gwd stopped, server up). */
static bool edits_seen(struct bench *b, void *aux)
{
    const struct edits *v = aux;
    char mac[18];

    sb_mac(mac, NET_JUNK, v->k - 1);
    return v->k == 0 ||
           (watch_mac_rows(b->w[0], v->mac[v->k - 1], v->ls[v->k - 1]) == 0 &&
            watch_mac_rows(b->w[0], mac, v->junk_ls) == 1);
}

static bool never(struct bench *b, void *aux)
{
    (void)b;
    (void)aux;
    return false;
}

/* ---- convergence ---- */

struct conv {
    long long t_switch, t_ctl; /* monotonic ns; 0: not yet */
    long long active_wall;     /* last "ACTIVE" log line, wall ms, or -1 */
    struct ctl_state st;
    int polls;
};

/* The latest "connection <id>: ACTIVE" line after 'offset' of every
 * connection on sw1, as wall ms, or -1 if one is missing. */
static long long last_active(struct bench *b, long offset)
{
    long long last = -1;
    char needle[96];

    for (size_t i = 0; i < b->n_expect; i++) {
        snprintf(needle, sizeof needle, "connection %s: ACTIVE",
                 b->expect[i].conn_id);
        long long t = daemon_log_find(&b->d, offset, needle);
        if (t < 0) {
            return -1;
        }
        last = t > last ? t : last;
    }
    return last;
}

/* "ctl status" may say idle a moment before the status lines are
 * written: waits up to SB_ACTIVE_GRACE_MS more for them. */
static void
await_active(struct bench *b, long offset, struct conv *c)
{
    long long until = proc_mono_ns() + SB_ACTIVE_GRACE_MS * 1000000LL;
    struct sb_timing t;

    while (c->active_wall <= 0 && proc_mono_ns() < until) {
        sb_drive(b, never, NULL, SB_LOG_POLL_MS / 1000.0, &t);
        c->active_wall = last_active(b, offset);
    }
}

/* With edits, runs the watchers until sw1 holds what it should.  Then
 * waits until l2gwd has logged every connection on sw1 ACTIVE (reading
 * its log file every SB_LOG_POLL_MS, which costs l2gwd nothing) and asks
 * "ctl status" until l2gwd says it is connected (with at least
 * 'min_reconnects'), has nothing pending and is idle.  "ctl status" is
 * asked only every SB_CTL_SLOW_MS before the ACTIVE lines are there: it
 * counts the owned rows by scanning the replica, which would slow down
 * the very rebuild being timed.  Without edits the switch is not checked
 * (it never differed). */
static int converge(struct bench *b, struct edits *v,
                    unsigned long min_reconnects, long offset, struct conv *c)
{
    long long deadline =
        proc_mono_ns() + (long long)(SB_CONVERGE_TIMEOUT_S * 1e9);
    long long next_ctl = proc_mono_ns() + SB_CTL_SLOW_MS * 1000000LL;
    struct sb_timing t;

    memset(c, 0, sizeof *c);
    if (v->k) {
        if (sb_drive(b, switch_ok, v, SB_CONVERGE_TIMEOUT_S, &t)) {
            fprintf(stderr, "switchbench: sw1 not as desired after %.0f s\n",
                    SB_CONVERGE_TIMEOUT_S);
            return -ETIMEDOUT;
        }
        c->t_switch = t.cond;
    }
    while (proc_mono_ns() < deadline) {
        if (c->active_wall <= 0) {
            c->active_wall = last_active(b, offset);
        }
        if (c->active_wall > 0 || proc_mono_ns() >= next_ctl) {
            next_ctl = proc_mono_ns() + SB_CTL_SLOW_MS * 1000000LL;
            c->polls++;
            if (!ctl_state(&b->d, "sw1", &c->st) &&
                ctl_converged(&c->st, min_reconnects)) {
                c->t_ctl = proc_mono_ns();
                await_active(b, offset, c);
                return 0;
            }
        }
        sb_drive(b, never, NULL, SB_LOG_POLL_MS / 1000.0, &t);
    }
    fprintf(stderr, "switchbench: l2gwd not idle after %.0f s\n",
            SB_CONVERGE_TIMEOUT_S);
    return -ETIMEDOUT;
}

/* Prints the outcome of one restart and checks the rows.  'up_mono' and
 * 'up_wall' (ns): when the restarted side was up again. */
static int restart_report(struct bench *b, const char *what, struct edits *v,
                          struct conv *c, long long up_mono, long long up_wall,
                          long offset)
{
    long long loaded = daemon_log_find(&b->d, offset, "sw1: connected to");
    long long conn =
        daemon_log_find(&b->d, offset, "switch database sw1: connected");
    long long active = c->active_wall;
    long long done = c->t_switch > c->t_ctl ? c->t_switch : c->t_ctl;
    long long active_mono =
        active > 0 ? up_mono + (active * 1000000LL - up_wall) : 0;
    done = active_mono > done ? active_mono : done;
    char sw[48] = "";
    double up_ms = up_wall / 1e6;
    char name[96];

    if (v->k) {
        snprintf(sw, sizeof sw, "sw1 as desired +%.1f ms, ",
                 ms_between(up_mono, c->t_switch));
    }
    sb_say("  %s, %d rows edited: l2gwd's replica loaded (log) +%.0f ms, "
           "full pass started (log) +%.0f ms, %slast connection ACTIVE (log) "
           "%s%.0f ms, l2gwd idle (ctl) +%.1f ms; owned_rows=%zu "
           "desired_rows=%zu",
           what, v->k, loaded > 0 ? loaded - up_ms : NAN,
           conn > 0 ? conn - up_ms : NAN, sw,
           active > 0 ? "+" : "(not logged) ",
           active > 0 ? active - up_ms : NAN, ms_between(up_mono, c->t_ctl),
           c->st.owned, c->st.desired);
    sb_say("  (window on CLOCK_MONOTONIC: %.6f,%.6f)", up_mono / 1e9,
           done / 1e9);
    size_t bad = sb_verify(b, true);
    snprintf(name, sizeof name, "%s, %zu rows, %d edited -> converged", what,
             c->st.owned, v->k);
    sb_figure(b, name, ms_between(up_mono, done), "ms", 3000, true, "");
    snprintf(name, sizeof name, "%s, %d edited: stale/missing rows", what,
             v->k);
    sb_figure(b, name, (double)bad, "rows", 0, true, "");
    return bad ? -1 : 0;
}

/* Applies the edits to sw1's database while its server is stopped: runs
 * it on a private socket that l2gwd does not know, transacts, stops it. */
static int edit_offline(struct bench *b, const struct edits *v)
{
    char remote[LAB_PATH + 8];
    struct watch *w;
    int rc = -1;

    if (server_start_private(&b->sw[0], remote)) {
        return -1;
    }
    if ((w = watch_create("sw1 (private)", remote)) &&
        !watch_wait_active(w, SB_CONVERGE_TIMEOUT_S)) {
        rc = watch_transact(w, edit_ops(v), SB_CONVERGE_TIMEOUT_S);
    }
    watch_destroy(w);
    if (server_stop(&b->sw[0])) {
        rc = -1;
    }
    return rc;
}

/* ovsdb-server of sw1 stopped and started again on the same file; with
 * k > 0, k of our rows deleted and k junk rows inserted meanwhile. */
static int restart_server(struct bench *b, int k)
{
    struct edits v;
    struct ctl_state before;
    struct conv c;
    int rc = -1;

    if (pick_edits(b, k, &v) || ctl_state(&b->d, "sw1", &before)) {
        free_edits(&v);
        return -1;
    }
    long offset = daemon_log_size(&b->d);
    if (!server_stop(&b->sw[0]) && (!k || !edit_offline(b, &v)) &&
        !server_start(&b->sw[0])) {
        long long up_mono = proc_mono_ns(), up_wall = proc_wall_ns();
        struct sb_cpu cpu;
        sb_cpu_start(b, &cpu);
        if (!converge(b, &v, before.reconnects + 1, offset, &c)) {
            sb_cpu_say(b, &cpu);
            rc = restart_report(b, "ovsdb-server restart", &v, &c, up_mono,
                                up_wall, offset);
        }
    }
    free_edits(&v);
    return rc;
}

/* l2gwd stopped and started again; with k > 0, the rows edited on the
 * switch while it was down.  Measures the memory per replica row of the
 * fresh daemon when 'memory'. */
static int restart_daemon(struct bench *b, int k, bool memory)
{
    struct edits v;
    struct conv c;
    struct sb_timing t;
    int rc = -1;

    if (pick_edits(b, k, &v) || daemon_stop(&b->d)) {
        free_edits(&v);
        return -1;
    }
    if (k && (watch_transact(b->w[0], edit_ops(&v), 30) ||
              sb_drive(b, edits_seen, &v, 30, &t))) {
        free_edits(&v);
        return -1;
    }
    long offset = daemon_log_size(&b->d);
    long long up_mono = proc_mono_ns(), up_wall = proc_wall_ns();
    if (!daemon_start(&b->d)) {
        http_destroy(b->api);
        b->api = http_create(b->d.port);
        sb_say("  l2gwd restarted: API listening after %.1f ms",
               ms_between(up_mono, proc_mono_ns()));
        struct sb_cpu cpu;
        sb_cpu_start(b, &cpu);
        if (!converge(b, &v, 0, offset, &c)) {
            sb_cpu_say(b, &cpu);
            rc = restart_report(b, "l2gwd restart", &v, &c, up_mono, up_wall,
                                offset);
        }
    }
    if (!rc && memory) {
        long rss = proc_rss_kb(b->d.pid);
        size_t rows = replica_n_rows(watch_replica(b->w[0])) +
                      replica_n_rows(watch_replica(b->w[1]));
        double per = (rss - b->rss_start_kb) * 1024.0 / (double)rows;
        sb_say("  fresh l2gwd converged: RSS %.1f MB (%.1f MB at the start "
               "with empty switches); switch rows it replicates: %zu -> %.0f "
               "bytes per row (replica + desired state + store cache)",
               rss / 1024.0, b->rss_start_kb / 1024.0, rows, per);
        sb_figure(b, "l2gwd RSS growth per replica row", per, "bytes",
                  1024, true, "");
    }
    free_edits(&v);
    return rc;
}

/* ---- phase 4 ---- */

/* When sw1's Ucast_Macs_Remote count first reached each quarter of the
 * way from 'from' to 'to'. */
struct quarters {
    size_t from, to;
    long long t[4];
};

static bool all_programmed(struct bench *b, void *aux)
{
    struct quarters *q = aux;
    size_t rows = watch_table_count(b->w[0], T_UCAST);

    for (int i = 0; i < 4; i++) {
        if (!q->t[i] && rows >= q->from + (q->to - q->from) * (i + 1) / 4) {
            q->t[i] = proc_mono_ns();
        }
    }
    for (size_t i = 0; i < b->n_expect; i++) {
        if (!sb_programmed(b, &b->expect[i])) {
            return false;
        }
    }
    return true;
}

/* Creates and connects every big network. */
static int fill(struct bench *b)
{
    long long t0 = proc_mono_ns();
    int before = b->big_made, j;
    struct sb_timing t;

    for (j = 0; j < b->o.big; j++) {
        if (sb_big_network(b, j)) {
            return -1;
        }
    }
    if (b->big_made > before) {
        double s = (double)(proc_mono_ns() - t0) / 1e9;
        sb_say("  (setup: %d ports on %d networks created in %.1f s, %.0f/s)",
               (b->big_made - before) * b->o.macs, b->big_made - before, s,
               (b->big_made - before) * b->o.macs / s);
    }
    long rss0 = proc_rss_kb(b->d.pid);
    long long t1 = proc_mono_ns();
    struct sb_cpu cpu;
    sb_cpu_start(b, &cpu);
    int added = 0;
    for (j = 0; j < b->o.big; j++) {
        if (!b->big_connected[j]) {
            struct sb_expect *e = sb_big_expect(b, j);
            if (!e || sb_big_connect(b, e, j, NULL, NULL, NULL)) {
                return -1;
            }
            added++;
        }
    }
    struct quarters q = {watch_table_count(b->w[0], T_UCAST),
                         watch_table_count(b->w[0], T_UCAST) +
                             (size_t)added * (size_t)b->o.macs,
                         {0}};
    if (added && sb_drive(b, all_programmed, &q, SB_BULK_TIMEOUT_S, &t)) {
        fprintf(stderr, "switchbench: the big networks were not "
                        "programmed\n");
        return -1;
    }
    if (added) {
        long rss1 = proc_rss_kb(b->d.pid);
        char name[96];
        sb_say("  %d connections of %d ports each: all %d MACs on sw1 after "
               "%.0f ms (25/50/75%% after %.0f/%.0f/%.0f ms); l2gwd RSS %.1f "
               "-> %.1f MB",
               added, b->o.macs, added * b->o.macs, ms_between(t1, t.cond),
               ms_between(t1, q.t[0]), ms_between(t1, q.t[1]),
               ms_between(t1, q.t[2]), rss0 / 1024.0, rss1 / 1024.0);
        sb_cpu_say(b, &cpu);
        sb_say("  (window on CLOCK_MONOTONIC: %.6f,%.6f)", t1 / 1e9,
               t.cond / 1e9);
        snprintf(name, sizeof name, "%d remote MACs (%d LS) from nothing",
                 added * b->o.macs, added);
        sb_figure(b, name, ms_between(t1, t.cond), "ms", -1, true, "");
    }
    return 0;
}

int sb_phase_reconnect(struct bench *b)
{
    struct ctl_state s;

    if (fill(b) || sb_verify(b, true)) {
        return -1;
    }
    if (!ctl_state(&b->d, "sw1", &s)) {
        sb_say("  sw1 holds %zu Ucast_Macs_Remote rows; l2gwd: owned_rows=%zu "
               "desired_rows=%zu",
               watch_table_count(b->w[0], T_UCAST), s.owned, s.desired);
    }
    int k = b->o.churn;
    if (restart_server(b, 0) || (k && restart_server(b, k)) ||
        restart_daemon(b, 0, true) || (k && restart_daemon(b, k, false))) {
        return -1;
    }
    return 0;
}
