/* Phase 5 of switchbench (see switchbench.c): 100 switch databases
 * (one ovsdb-server each) served by a second l2gwd, one connection each;
 * l2gwd's CPU, wakeups and memory while idle. */
#include "switchbench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb_http.h"
#include "sb_proc.h"

/* Longest wait for the databases and connections. */
#define SB_IDLE_SETUP_TIMEOUT_S 120.0
/* Settling before the idle CPU window starts. */
#define SB_IDLE_SETTLE_S 2
/* Poll period of the API while phase 5 waits for its connections. */
#define SB_IDLE_POLL_US 200000

/* Counts the connections whose status is ACTIVE. */
static int count_active(struct bench *b)
{
    json_t *doc = sb_get(b, "/v2.0/l2-gateway-connections");
    json_t *c;
    size_t i;
    int n = 0;

    json_array_foreach (json_object_get(doc, "l2_gateway_connections"), i, c) {
        const char *st = json_string_value(json_object_get(c, "status"));
        n += st && !strcmp(st, "ACTIVE");
    }
    json_decref(doc);
    return doc ? n : -1;
}

static int count_connected(struct bench *b)
{
    json_t *doc = sb_get(b, "/v2.0/l2-switches");
    json_t *s;
    size_t i;
    int n = 0;

    json_array_foreach (json_object_get(doc, "l2_switches"), i, s) {
        n += json_is_true(json_object_get(s, "connected"));
    }
    json_decref(doc);
    return doc ? n : -1;
}

/* Polls 'count' until it reaches 'want'. */
static int wait_count(struct bench *b, int (*count)(struct bench *), int want,
                      const char *what)
{
    long long deadline =
        proc_mono_ns() + (long long)(SB_IDLE_SETUP_TIMEOUT_S * 1e9);
    int n = 0;

    while (proc_mono_ns() < deadline) {
        if ((n = count(b)) >= want) {
            return 0;
        }
        usleep(SB_IDLE_POLL_US);
    }
    fprintf(stderr, "switchbench: only %d of %d %s\n", n, want, what);
    return -ETIMEDOUT;
}

/* Starts the databases of phase 5 (each: switch psNNN with port p1). */
static int start_idle_servers(struct bench *b, struct server *sv, int n,
                              char *hosts, size_t size)
{
    size_t len = 0;

    for (int i = 0; i < n; i++) {
        char name[16], ps[16], ip[32];
        snprintf(name, sizeof name, "i%03d", i);
        snprintf(ps, sizeof ps, "ps%03d", i);
        snprintf(ip, sizeof ip, "192.0.3.%d", i % 250 + 1);
        if (server_create(&sv[i], b->root, name) || server_start(&sv[i]) ||
            server_add_switch(&sv[i], ps, ip, 1)) {
            return -1;
        }
        len += (size_t)snprintf(hosts + len, size - len, "%s%s:%s",
                                i ? ", " : "", name, sv[i].remote);
        if (len >= size) {
            return -1;
        }
    }
    return 0;
}

/* One network of 10 ports, one gateway and one connection per switch. */
static int idle_intent(struct bench *b, int n)
{
    char net[SB_ID_LEN], gw[SB_ID_LEN], name[32], ps[16], ip[32];

    for (int i = 1; i <= b->o.hosts; i++) {
        snprintf(name, sizeof name, "host-%d", i);
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        if (sb_create(b, "hosts", "host",
                      json_pack("{s:s,s:s}", "name", name, "tunnel_ip", ip),
                      NULL)) {
            return -1;
        }
    }
    if (sb_network(b, NET_IDLE, 3000, net) ||
        sb_ports(b, net, NET_IDLE, 0, 10, false)) {
        return -1;
    }
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "sb-gw-idle-%d", i);
        snprintf(ps, sizeof ps, "ps%03d", i);
        if (sb_create(b, "l2-gateways", "l2_gateway",
                      json_pack("{s:s,s:[{s:s,s:[{s:s}]}]}", "name", name,
                                "devices", "device_name", ps, "interfaces",
                                "name", "p1"),
                      gw) ||
            sb_create(b, "l2-gateway-connections", "l2_gateway_connection",
                      sb_conn_attrs(gw, net, 100), NULL)) {
            return -1;
        }
    }
    return 0;
}

/* l2gwd's CPU share (% of one CPU) over 'seconds' of idleness, and its
 * wakeups per second in '*wakeups'. */
static double idle_cpu(pid_t pid, int seconds, double *wakeups)
{
    long long c0 = proc_cpu_ns(pid), t0 = proc_mono_ns();
    long w0 = proc_wakeups(pid);

    sleep((unsigned)seconds);
    long long c1 = proc_cpu_ns(pid), t1 = proc_mono_ns();
    long w1 = proc_wakeups(pid);
    *wakeups = (double)(w1 - w0) * 1e9 / (double)(t1 - t0);
    if (c0 < 0 || c1 < 0) {
        return NAN;
    }
    return 100.0 * (double)(c1 - c0) / (double)(t1 - t0);
}

static int idle_measure(struct bench *b, struct daemon *d, int n)
{
    long rss0 = proc_rss_kb(d->pid);

    if (idle_intent(b, n) || wait_count(b, count_active, n,
                                        "connections "
                                        "ACTIVE")) {
        return -1;
    }
    sleep(SB_IDLE_SETTLE_S);
    long long w0 = proc_mono_ns();
    double wakeups;
    double cpu = idle_cpu(d->pid, b->o.idle_s, &wakeups);
    long rss = proc_rss_kb(d->pid), hwm = proc_hwm_kb(d->pid);
    sb_say("  %d databases, %d connections ACTIVE, idle %d s: l2gwd CPU "
           "%.3f %% of one CPU, %.1f wakeups/s; RSS %.1f MB (%.1f MB with "
           "the databases connected and nothing configured; peak %.1f MB)",
           n, n, b->o.idle_s, cpu, wakeups, rss / 1024.0, rss0 / 1024.0,
           hwm / 1024.0);
    sb_say("  (window on CLOCK_MONOTONIC: %.6f,%.6f)", w0 / 1e9,
           proc_mono_ns() / 1e9);
    char name[96];
    snprintf(name, sizeof name, "%d switch databases idle: l2gwd CPU", n);
    sb_figure(b, name, cpu, "%", 1, true, "");
    snprintf(name, sizeof name, "%d switch databases idle: l2gwd RSS", n);
    sb_figure(b, name, rss / 1024.0, "MB", -1, true, "");
    return 0;
}

int sb_phase_idle(struct bench *b)
{
    int n = b->o.switches, rc = -1;
    size_t size = (size_t)n * (LAB_PATH + 32);
    struct server *sv = calloc((size_t)n, sizeof *sv);
    char *hosts = malloc(size);
    struct daemon d;
    struct http *main_api = b->api;

    if (!sv || !hosts) {
        goto out;
    }
    long long t0 = proc_mono_ns();
    if (start_idle_servers(b, sv, n, hosts, size) ||
        daemon_setup(&d, b->o.l2gwd, b->root, "l2gwd-idle", hosts) ||
        daemon_start(&d)) {
        goto out;
    }
    b->api = http_create(d.port);
    if (b->api && !wait_count(b, count_connected, n, "switches connected")) {
        sb_say("  (setup: %d ovsdb-servers and a second l2gwd, all switches "
               "connected after %.1f s)",
               n, (double)(proc_mono_ns() - t0) / 1e9);
        rc = idle_measure(b, &d, n);
    }
    http_destroy(b->api);
    if (daemon_stop(&d)) {
        rc = -1;
    }
    daemon_log_problems(&d, 0, 10);
out:
    b->api = main_api;
    for (int i = 0; sv && i < n; i++) {
        server_stop(&sv[i]);
    }
    free(sv);
    free(hosts);
    return rc;
}
