/* switchbench: the switch-side benchmark of l2gwd against real
 * ovsdb-servers on loopback (spec/switch.md, "Performance targets").
 *
 * It starts two hardware_vtep databases ("sw1": switch sw1 with ports
 * p1..p4; "sw2": switch sw2 with port p1) and one l2gwd connected to both,
 * watches both databases with its own OVSDB monitor (sb_watch: update
 * notifications tell *when* rows appear, nothing is polled), drives l2gwd's
 * REST API (sb_http), and prints each figure of the targets table with
 * its target and PASS/MISS:
 *
 *   1. connection create -> LS, binding, 10 remote MACs and the flood row
 *      on the switch (create/delete cycles; also with 100 ports);
 *   2. port create with binding -> its Ucast_Macs_Remote on the switch
 *      (one serving switch, then two);
 *   3. 10,000 remote MACs onto one switch from nothing (connection create
 *      on a network that already has 10,000 ports);
 *   4. a switch holding 100,000 of our rows: ovsdb-server restarted (its
 *      database file kept), then l2gwd restarted; each without and with
 *      rows edited behind l2gwd's back; until converged, zero stale rows;
 *      memory per replica row;
 *   5. 100 switch databases idle: l2gwd's CPU and memory.
 *
 * Usage: switchbench --l2gwd PATH [options]   (switchbench --help)
 * Files: switchbench.c (this: options, the lab, the run), sb_util.c
 * (output, figures, REST helpers), sb_wait.c (the wait loop, expected
 * switch contents, verification), sb_phases.c (phases 1-3), sb_restart.c
 * (phase 4), sb_idle.c (phase 5), sb_lab.c (ovsdb-servers and l2gwd),
 * sb_watch.c (OVSDB monitor), sb_http.c (HTTP client), sb_proc.c
 * (processes, /proc). */
#include "switchbench.h"

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "sb_http.h"
#include "sb_proc.h"
#include "sb_watch.h"

/* Longest wait for the switches to appear in l2gwd's registry. */
#define SB_REGISTRY_TIMEOUT_S 20.0

static const char *const phase_names[] = {
    "",          "connection create", "port bind", "10,000 MACs",
    "reconnect", "idle databases",
};

/* ---- setup ---- */

static void on_signal(int sig)
{
    (void)sig;
    proc_kill_all();
    _exit(130);
}

static void usage(void)
{
    printf("usage: switchbench --l2gwd PATH [options]\n"
           "  --tmpdir DIR      work directory (default: a new /tmp/swb.*)\n"
           "  --phases LIST     phases to run, e.g. 1,2,3 (default 1-5)\n"
           "  --cycles N        phase 1 create/delete cycles (50)\n"
           "  --ports N         phase 2 ports per variant (200)\n"
           "  --macs N          phase 3: ports of the big network (10000)\n"
           "  --big N           phase 4: big networks, rows = N x macs (10)\n"
           "  --churn N         phase 4: rows edited behind l2gwd (1000)\n"
           "  --switches N      phase 5 databases (100)\n"
           "  --idle-seconds N  phase 5 CPU window (10)\n"
           "  --hosts N         hypervisors (10)\n"
           "  --keep            keep the work directory\n");
}

static unsigned parse_phases(const char *s)
{
    unsigned m = 0;

    for (const char *p = s; *p; p++) {
        if (*p >= '1' && *p <= '5') {
            m |= 1u << (*p - '0');
        }
    }
    return m;
}

static int int_arg(const char *s, int min, int max)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*end || v < min || v > max) {
        fprintf(stderr, "switchbench: %s: expected %d..%d\n", s, min, max);
        exit(2);
    }
    return (int)v;
}

static void parse_options(struct sb_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {
        {"l2gwd", 1, 0, 'L'},    {"tmpdir", 1, 0, 'T'},
        {"phases", 1, 0, 'P'},   {"cycles", 1, 0, 'c'},
        {"ports", 1, 0, 'p'},    {"macs", 1, 0, 'm'},
        {"big", 1, 0, 'b'},      {"churn", 1, 0, 'k'},
        {"switches", 1, 0, 's'}, {"idle-seconds", 1, 0, 'i'},
        {"hosts", 1, 0, 'H'},    {"keep", 0, 0, 'K'},
        {"help", 0, 0, 'h'},     {0, 0, 0, 0},
    };
    int c;

    *o = (struct sb_opts){.cycles = 50,
                          .ports = 200,
                          .macs = 10000,
                          .big = 10,
                          .churn = 1000,
                          .switches = 100,
                          .idle_s = 10,
                          .hosts = 10,
                          .phases = 0x3e};
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'L':
            o->l2gwd = optarg;
            break;
        case 'T':
            o->tmpdir = optarg;
            break;
        case 'P':
            o->phases = parse_phases(optarg);
            break;
        case 'c':
            o->cycles = int_arg(optarg, 1, 100000);
            break;
        case 'p':
            o->ports = int_arg(optarg, 1, SB_MAX_MACS);
            break;
        case 'm':
            o->macs = int_arg(optarg, 1, SB_MAX_MACS);
            break;
        case 'b':
            o->big = int_arg(optarg, 1, SB_MAX_BIG);
            break;
        case 'k':
            o->churn = int_arg(optarg, 0, 1000000);
            break;
        case 's':
            o->switches = int_arg(optarg, 1, SB_MAX_SWITCHES);
            break;
        case 'i':
            o->idle_s = int_arg(optarg, 1, 3600);
            break;
        case 'H':
            o->hosts = int_arg(optarg, 1, 250);
            break;
        case 'K':
            o->keep = true;
            break;
        case 'h':
            usage();
            exit(0);
        default:
            usage();
            exit(2);
        }
    }
    if (!o->l2gwd || optind != argc) {
        usage();
        exit(2);
    }
}

/* Waits until l2gwd's registry shows switches sw1 and sw2 connected. */
static int wait_registry(struct bench *b)
{
    long long deadline =
        proc_mono_ns() + (long long)(SB_REGISTRY_TIMEOUT_S * 1e9);

    while (proc_mono_ns() < deadline) {
        json_t *doc = sb_get(b, "/v2.0/l2-switches");
        json_t *sw;
        size_t i, up = 0;
        json_array_foreach (json_object_get(doc, "l2_switches"), i, sw) {
            up += json_is_true(json_object_get(sw, "connected"));
        }
        json_decref(doc);
        if (up >= 2) {
            return 0;
        }
        usleep(20000);
    }
    fprintf(stderr, "switchbench: l2gwd did not report sw1 and sw2 "
                    "connected\n");
    return -ETIMEDOUT;
}

static int start_lab(struct bench *b)
{
    char hosts[2 * LAB_PATH + 64];

    if (server_create(&b->sw[0], b->root, "sw1") ||
        server_create(&b->sw[1], b->root, "sw2") || server_start(&b->sw[0]) ||
        server_start(&b->sw[1]) ||
        server_add_switch(&b->sw[0], "sw1", "192.0.2.100", 4) ||
        server_add_switch(&b->sw[1], "sw2", "192.0.2.101", 1)) {
        return -1;
    }
    snprintf(hosts, sizeof hosts, "sw1:%s, sw2:%s", b->sw[0].remote,
             b->sw[1].remote);
    if (daemon_setup(&b->d, b->o.l2gwd, b->root, "l2gwd", hosts) ||
        daemon_start(&b->d)) {
        return -1;
    }
    b->api = http_create(b->d.port);
    b->w[0] = watch_create("sw1", b->sw[0].remote);
    b->w[1] = watch_create("sw2", b->sw[1].remote);
    if (!b->api || !b->w[0] || !b->w[1] || watch_wait_active(b->w[0], 10) ||
        watch_wait_active(b->w[1], 10) || wait_registry(b)) {
        return -1;
    }
    for (int i = 1; i <= b->o.hosts; i++) {
        char name[32], ip[32];
        snprintf(name, sizeof name, "host-%d", i);
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        if (sb_create(b, "hosts", "host",
                      json_pack("{s:s,s:s}", "name", name, "tunnel_ip", ip),
                      NULL)) {
            return -1;
        }
    }
    usleep(500000);
    b->rss_start_kb = proc_rss_kb(b->d.pid);
    sb_say("l2gwd pid %ld, API port %d, idle RSS %.1f MB (switches "
           "connected, %d hosts)",
           (long)b->d.pid, b->d.port, b->rss_start_kb / 1024.0, b->o.hosts);
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(path) && errno != ENOENT ? -1 : 0;
}

static void stop_lab(struct bench *b)
{
    if (b->d.pid) {
        if (daemon_stop(&b->d)) {
            b->failed = true;
        }
        sb_say("\nl2gwd's warnings and errors (the restarts of phase 4 cause "
               "'connection closed' and 'connect to' warnings):");
        fflush(stdout);
        daemon_log_problems(&b->d, 0, 10);
    }
    watch_destroy(b->w[0]);
    watch_destroy(b->w[1]);
    b->w[0] = b->w[1] = NULL;
    server_stop(&b->sw[0]);
    server_stop(&b->sw[1]);
}

static int make_root(struct bench *b)
{
    if (b->o.tmpdir) {
        size_t n = strlen(b->o.tmpdir);
        if (n >= sizeof b->root) {
            fprintf(stderr, "switchbench: --tmpdir too long\n");
            return -1;
        }
        memcpy(b->root, b->o.tmpdir, n + 1);
        return 0;
    }
    snprintf(b->root, sizeof b->root, "/tmp/swb.XXXXXX");
    if (!mkdtemp(b->root)) {
        perror("switchbench: mkdtemp");
        return -1;
    }
    return 0;
}

static void run_phases(struct bench *b)
{
    static int (*const run[])(struct bench *) = {
        NULL,          sb_phase_connection, sb_phase_port,
        sb_phase_macs, sb_phase_reconnect,  sb_phase_idle,
    };
    char load[64];

    for (int i = 1; i <= 5; i++) {
        if (!(b->o.phases & (1u << i))) {
            continue;
        }
        sb_loadavg(load);
        sb_say("\n== phase %d: %s (load average %s) ==", i, phase_names[i],
               load);
        long long t0 = proc_mono_ns();
        if (run[i](b)) {
            sb_say("phase %d did NOT complete", i);
            b->failed = true;
        }
        sb_say("(phase %d took %.1f s)", i,
               (double)(proc_mono_ns() - t0) / 1e9);
    }
}

int main(int argc, char **argv)
{
    static struct bench bench;
    struct bench *b = &bench;
    char pids[LAB_PATH + 8], load[64];

    parse_options(&b->o, argc, argv);
    log_set_level(LOG_LEVEL_ERR); /* the watchers see restarts on purpose */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    if (make_root(b)) {
        return 1;
    }
    snprintf(pids, sizeof pids, "%s/pids", b->root);
    proc_set_pidfile(pids);
    sb_loadavg(load);
    sb_say("switchbench: l2gwd %s, work directory %s, load average %s, "
           "%ld CPUs",
           b->o.l2gwd, b->root, load, sysconf(_SC_NPROCESSORS_ONLN));
    if (start_lab(b)) {
        sb_say("switchbench: the lab did not start");
        b->failed = true;
    } else {
        run_phases(b);
    }
    stop_lab(b);
    sb_summary(b);
    proc_kill_all();
    if (!b->o.keep && !b->o.tmpdir) {
        nftw(b->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    sb_say("%s", b->failed ? "INCOMPLETE: see the messages above" : "complete");
    return b->failed ? 1 : 0;
}
