/* Phases 1-3 of switchbench (see switchbench.c): connection create, port
 * bind, 10,000 MACs from nothing. */
#include "switchbench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb_proc.h"
#include "sb_watch.h"

/* Longest wait for one timed event. */
#define SB_EVENT_TIMEOUT_S 30.0
/* Longest wait for the big network's MACs. */
#define SB_BULK_TIMEOUT_S 120.0
/* Segmentation ids (VLANs on the switch ports). */
#define SEG_SMALL 100
#define SEG_BIG 200
/* VNIs. */
#define VNI_BASE 1000
#define VNI_BIG 2000
/* Ports of the second network of phase 1 (networking-l2gw's 630 ms). */
#define PHASE1_BIG_PORTS 100
/* Steps of the arrival of the big network's MACs that are recorded. */
#define SB_MAX_PROGRESS 64

static double ms_between(long long a, long long b)
{
    return (double)(b - a) / 1e6;
}

/* Prints "name: n=N p50 p90 max" and returns p50 (sorts 'v'). */
static double report(const char *name, double *v, size_t n)
{
    double p50 = sb_pct(v, n, 50), p90 = sb_pct(v, n, 90);

    sb_say("  %-52s n=%-5zu p50 %8.2f ms  p90 %8.2f ms  max %8.2f ms", name, n,
           p50, p90, n ? v[n - 1] : NAN);
    return p50;
}

/* The "id" of the member 'member' of an answer. */
static const char *answer_id(const json_t *body, const char *member)
{
    return json_string_value(
        json_object_get(json_object_get(body, member), "id"));
}

/* Creates gateway 'name' with 'devices' (taken) and stores its id. */
static int gateway(struct bench *b, const char *name, json_t *devices,
                   char id[SB_ID_LEN])
{
    return sb_create(b, "l2-gateways", "l2_gateway",
                     json_pack("{s:s,s:o}", "name", name, "devices", devices),
                     id);
}

/* A device with one interface, as a new object (caller owns it). */
static json_t *device(const char *sw, const char *port)
{
    return json_pack("{s:s,s:[{s:s}]}", "device_name", sw, "interfaces", "name",
                     port);
}

/* ---- phase 1 ---- */

struct cycle_figures {
    double *from_answer, *from_send, *api, *del;
    size_t n;
};

/* One create/delete cycle of a connection of 'gw' on 'e'. */
static int one_cycle(struct bench *b, const char *gw, struct sb_expect *e,
                     struct cycle_figures *f)
{
    struct sb_timing t;
    char path[128];
    int rc = sb_timed(b, "POST", "/v2.0/l2-gateway-connections",
                      json_pack("{s:o}", "l2_gateway_connection",
                                sb_conn_attrs(gw, e->net_id, e->vlan)),
                      sb_programmed, e, SB_EVENT_TIMEOUT_S, &t);
    const char *id = answer_id(t.body, "l2_gateway_connection");

    if (rc || t.status != 201 || !id) {
        fprintf(stderr, "switchbench: connection create: %s (HTTP %d)\n",
                rc ? strerror(-rc) : "no id", t.status);
        json_decref(t.body);
        return -1;
    }
    f->from_answer[f->n] = ms_between(t.answered, t.cond);
    f->from_send[f->n] = ms_between(t.sent, t.cond);
    f->api[f->n] = ms_between(t.sent, t.answered);
    snprintf(path, sizeof path, "/v2.0/l2-gateway-connections/%s", id);
    json_decref(t.body);
    rc = sb_timed(b, "DELETE", path, NULL, sb_unprogrammed, e,
                  SB_EVENT_TIMEOUT_S, &t);
    json_decref(t.body);
    if (rc || t.status != 204) {
        fprintf(stderr, "switchbench: connection delete: %s (HTTP %d)\n",
                rc ? strerror(-rc) : "wrong status", t.status);
        return -1;
    }
    f->del[f->n++] = ms_between(t.sent, t.cond);
    return 0;
}

/* 'cycles' create/delete cycles of a connection on a network of 'ports'
 * ports; returns the p50 from the API's answer to programmed, or NAN. */
static double cycles(struct bench *b, int net, int ports, int n_cycles,
                     const char *label)
{
    struct sb_expect e = {
        .net = net, .n_macs = ports, .port1 = "p1", .vlan = SEG_SMALL};
    struct cycle_figures f = {0};
    double p50 = NAN;
    char name[96];

    if (sb_network(b, net, VNI_BASE + net, e.net_id) ||
        sb_ports(b, e.net_id, net, 0, ports, false)) {
        return NAN;
    }
    f.from_answer = calloc((size_t)n_cycles, sizeof(double));
    f.from_send = calloc((size_t)n_cycles, sizeof(double));
    f.api = calloc((size_t)n_cycles, sizeof(double));
    f.del = calloc((size_t)n_cycles, sizeof(double));
    for (int c = 0; f.del && c < n_cycles; c++) {
        if (one_cycle(b, b->gw_cycle, &e, &f)) {
            break;
        }
    }
    if (f.n == (size_t)n_cycles) {
        snprintf(name, sizeof name, "%s: 201 -> programmed", label);
        p50 = report(name, f.from_answer, f.n);
        snprintf(name, sizeof name, "%s: POST sent -> programmed", label);
        report(name, f.from_send, f.n);
        report("  of which the API's answer (POST -> 201)", f.api, f.n);
        report("connection DELETE sent -> LS and binding gone", f.del, f.n);
    }
    free(f.from_answer);
    free(f.from_send);
    free(f.api);
    free(f.del);
    return p50;
}

int sb_phase_connection(struct bench *b)
{
    double p10, p100;

    if (!b->gw_cycle[0] &&
        gateway(b, "sb-gw-cycle", json_pack("[o]", device("sw1", "p1")),
                b->gw_cycle)) {
        return -1;
    }
    sb_say("  programmed = LS + binding p1/%d + every remote MAC + the "
           "unknown-dst row, seen by a monitor of sw1",
           SEG_SMALL);
    p10 = cycles(b, NET_CYCLE, 10, b->o.cycles, "10 ports");
    if (isnan(p10)) {
        return -1;
    }
    sb_figure(b, "connection create -> LS, binding, 10 MACs (p50)", p10, "ms",
              20, true, "257 ms");
    int n100 = b->o.cycles < 20 ? b->o.cycles : 20;
    p100 = cycles(b, NET_CYCLE100, PHASE1_BIG_PORTS, n100, "100 ports");
    if (isnan(p100)) {
        return -1;
    }
    sb_figure(b, "connection create, network of 100 ports (p50)", p100, "ms",
              -1, true, "630 ms");
    return 0;
}

/* ---- phase 2 ---- */

struct mac_cond {
    const char *ls[2]; /* LS uuid on sw1, on sw2 (NULL: not served) */
    char mac[18];
};

static bool mac_visible(struct bench *b, void *aux)
{
    const struct mac_cond *m = aux;

    return watch_mac_rows(b->w[0], m->mac, m->ls[0]) >= 1 &&
           (!m->ls[1] || watch_mac_rows(b->w[1], m->mac, m->ls[1]) >= 1);
}

/* Connects 'gw' to a new network 'net' and waits until programmed. */
static struct sb_expect *connect_empty(struct bench *b, const char *gw, int net,
                                       const char *port1, const char *port2)
{
    char id[SB_ID_LEN];
    struct sb_timing t;

    if (sb_network(b, net, VNI_BASE + net, id)) {
        return NULL;
    }
    struct sb_expect *e = sb_expect_add(b, id, net, 0, port1, port2, SEG_SMALL);
    if (!e ||
        sb_create(b, "l2-gateway-connections", "l2_gateway_connection",
                  sb_conn_attrs(gw, id, SEG_SMALL), e->conn_id) ||
        sb_drive(b, sb_programmed, e, SB_EVENT_TIMEOUT_S, &t)) {
        fprintf(stderr,
                "switchbench: connection of network %d not "
                "programmed\n",
                net);
        return NULL;
    }
    return e;
}

/* Creates the ports one by one, each timed until visible. */
static int bind_ports(struct bench *b, struct sb_expect *e, const char *label)
{
    int n = b->o.ports;
    double *ans = calloc((size_t)n, sizeof(double));
    double *snd = calloc((size_t)n, sizeof(double));
    struct mac_cond m = {{watch_ls_uuid(b->w[0], e->net_id), NULL}, ""};
    char ls1[SB_ID_LEN] = "", ls2[SB_ID_LEN] = "", name[96];
    long long t0 = proc_mono_ns();
    struct sb_timing t;
    int done = 0;

    snprintf(ls1, sizeof ls1, "%s", m.ls[0] ? m.ls[0] : "");
    m.ls[0] = ls1;
    if (e->port2) {
        snprintf(ls2, sizeof ls2, "%s", watch_ls_uuid(b->w[1], e->net_id));
        m.ls[1] = ls2;
    }
    for (; ans && snd && done < n; done++) {
        sb_mac(m.mac, e->net, done);
        int rc = sb_timed(b, "POST", "/v2.0/ports",
                          json_pack("{s:o}", "port",
                                    sb_port_attrs(b, e->net_id, e->net, done)),
                          mac_visible, &m, SB_EVENT_TIMEOUT_S, &t);
        json_decref(t.body);
        if (rc || t.status != 201) {
            fprintf(stderr, "switchbench: port %s: %s (HTTP %d)\n", m.mac,
                    rc ? strerror(-rc) : "not created", t.status);
            break;
        }
        ans[done] = ms_between(t.answered, t.cond);
        snd[done] = ms_between(t.sent, t.cond);
        e->n_macs = done + 1;
    }
    double wall = (double)(proc_mono_ns() - t0) / 1e9, p50 = NAN;
    if (done == n) {
        snprintf(name, sizeof name, "%s: 201 -> MAC visible", label);
        p50 = report(name, ans, (size_t)n);
        snprintf(name, sizeof name, "%s: POST sent -> MAC visible", label);
        report(name, snd, (size_t)n);
        sb_say("  %d ports one by one (create, wait until on the switch): "
               "%.1f s, %.0f ports/s",
               n, wall, n / wall);
        snprintf(name, sizeof name, "port bound -> MAC on %s (p50)", label);
        sb_figure(b, name, p50, "ms", 10, true, "");
        snprintf(name, sizeof name, "ports added one by one, %s", label);
        sb_figure(b, name, n / wall, "ports/s", -1, false, "3 ports/s");
    }
    free(ans);
    free(snd);
    return done == n ? 0 : -1;
}

int sb_phase_port(struct bench *b)
{
    struct sb_expect *e;

    if (gateway(b, "sb-gw-port", json_pack("[o]", device("sw1", "p2")),
                b->gw_port) ||
        gateway(b, "sb-gw-2sw",
                json_pack("[o,o]", device("sw1", "p4"), device("sw2", "p1")),
                b->gw_2sw)) {
        return -1;
    }
    if (!(e = connect_empty(b, b->gw_port, NET_PORT, "p2", NULL)) ||
        bind_ports(b, e, "1 switch")) {
        return -1;
    }
    b->have_watch2 = true;
    if (!(e = connect_empty(b, b->gw_2sw, NET_PORT2, "p4", "p1")) ||
        bind_ports(b, e, "2 switches")) {
        return -1;
    }
    return sb_verify(b, true) ? -1 : 0;
}

/* ---- phase 3 ---- */

int sb_big_network(struct bench *b, int j)
{
    if (j < b->big_made) {
        return 0;
    }
    if (!b->gw_big[0] &&
        gateway(b, "sb-gw-big", json_pack("[o]", device("sw1", "p3")),
                b->gw_big)) {
        return -1;
    }
    if (sb_network(b, NET_BIG + j, VNI_BIG + j, b->big_net[j]) ||
        sb_ports(b, b->big_net[j], NET_BIG + j, 0, b->o.macs, j == 0)) {
        return -1;
    }
    b->big_made = j + 1;
    return 0;
}

struct sb_expect *sb_big_expect(struct bench *b, int j)
{
    return sb_expect_add(b, b->big_net[j], NET_BIG + j, b->o.macs, "p3", NULL,
                         SEG_BIG + j);
}

int sb_big_connect(struct bench *b, struct sb_expect *e, int j,
                   struct sb_timing *t, sb_cond *cond, void *aux)
{
    json_t *attrs = sb_conn_attrs(b->gw_big, b->big_net[j], SEG_BIG + j);

    b->big_connected[j] = true;
    if (!t) {
        return sb_create(b, "l2-gateway-connections", "l2_gateway_connection",
                         attrs, e->conn_id);
    }
    int rc = sb_timed(b, "POST", "/v2.0/l2-gateway-connections",
                      json_pack("{s:o}", "l2_gateway_connection", attrs),
                      cond ? cond : sb_programmed, cond ? aux : e,
                      SB_BULK_TIMEOUT_S, t);
    const char *id = answer_id(t->body, "l2_gateway_connection");
    snprintf(e->conn_id, sizeof e->conn_id, "%s", id ? id : "");
    json_decref(t->body);
    t->body = NULL;
    return rc || t->status != 201 ? -1 : 0;
}

/* How the MACs arrived: (time, rows in the LS) at each change. */
struct progress {
    struct sb_expect *e;
    long long t[SB_MAX_PROGRESS];
    size_t rows[SB_MAX_PROGRESS];
    size_t n;
};

static bool programmed_progress(struct bench *b, void *aux)
{
    struct progress *p = aux;
    const char *ls = watch_ls_uuid(b->w[0], p->e->net_id);
    size_t rows = ls ? watch_count_in_ls(b->w[0], "Ucast_Macs_Remote", ls) : 0;

    if (p->n < SB_MAX_PROGRESS && (!p->n || p->rows[p->n - 1] != rows)) {
        p->t[p->n] = proc_mono_ns();
        p->rows[p->n++] = rows;
    }
    return sb_programmed(b, p->e);
}

static void print_progress(const struct progress *p, long long t0)
{
    char line[1024];
    size_t len = 0;

    for (size_t i = 0; i < p->n && len < sizeof line - 32; i++) {
        len += (size_t)snprintf(line + len, sizeof line - len, " %zu@%.0f",
                                p->rows[i], ms_between(t0, p->t[i]));
    }
    sb_say("  MACs in the LS as seen by the monitor (rows@ms after the "
           "201):%s",
           line);
}

int sb_phase_macs(struct bench *b)
{
    struct sb_timing t;
    struct sb_cpu c0;
    char name[96];

    if (sb_big_network(b, 0)) {
        return -1;
    }
    static struct progress p;
    if (!(p.e = sb_big_expect(b, 0))) {
        return -1;
    }
    sb_cpu_start(b, &c0);
    if (sb_big_connect(b, p.e, 0, &t, programmed_progress, &p)) {
        fprintf(stderr, "switchbench: the big network was not programmed\n");
        return -1;
    }
    print_progress(&p, t.answered);
    sb_say("  (window on CLOCK_MONOTONIC, for perf --clockid monotonic "
           "--time: %.6f,%.6f)",
           t.answered / 1e9, t.cond / 1e9);
    sb_cpu_say(b, &c0);
    double from_answer = ms_between(t.answered, t.cond);
    sb_say("  connection create on a network of %d ports: POST -> 201 "
           "%.1f ms, 201 -> all %d MACs + LS + binding + flood row on sw1 "
           "%.1f ms (POST -> all: %.1f ms)",
           b->o.macs, ms_between(t.sent, t.answered), b->o.macs, from_answer,
           ms_between(t.sent, t.cond));
    snprintf(name, sizeof name, "%d remote MACs onto one switch from nothing",
             b->o.macs);
    sb_figure(b, name, from_answer, "ms", 1000, true, "");
    return sb_verify(b, true) ? -1 : 0;
}
