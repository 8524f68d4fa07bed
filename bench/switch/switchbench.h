/* switchbench: shared state of the switch-side benchmark of l2gwd.
 *
 * switchbench.c owns the run (options, the lab); sb_util.c the output,
 * figures and REST helpers; sb_wait.c the wait loop, the expected switch
 * contents and their verification; sb_phases.c phases 1-3 (connection
 * create, port bind, 10,000 MACs); sb_restart.c phase 4 (restarts with
 * 100,000 rows); sb_idle.c phase 5 (100 idle databases). */
#ifndef SWITCHBENCH_H
#define SWITCHBENCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "sb_lab.h"

struct http;
struct watch;

/* Hard limits. */
#define SB_MAX_FIGURES 64
#define SB_MAX_EXPECT 256   /* logical switches tracked on sw1/sw2 */
#define SB_MAX_BIG 200      /* big networks of phase 4 */
#define SB_MAX_MACS 65535   /* ports per network (MAC/IP numbering) */
#define SB_MAX_SWITCHES 400 /* databases of phase 5 */
#define SB_ID_LEN 37

/* Network numbers (they pick VNIs and MAC prefixes). */
enum {
    NET_CYCLE = 1,    /* phase 1 */
    NET_PORT = 2,     /* phase 2, one switch */
    NET_PORT2 = 3,    /* phase 2, two switches */
    NET_IDLE = 4,     /* phase 5 */
    NET_CYCLE100 = 5, /* phase 1, 100 ports */
    NET_BIG = 16,     /* phases 3-4: NET_BIG + j */
};

struct sb_opts {
    int cycles;      /* phase 1 create/delete cycles */
    int ports;       /* phase 2 ports per variant */
    int macs;        /* phase 3: ports of one big network */
    int big;         /* phase 4: big networks (rows = big * macs) */
    int churn;       /* phase 4: rows edited behind l2gwd's back */
    int switches;    /* phase 5 databases */
    int idle_s;      /* phase 5 CPU window */
    int hosts;       /* hypervisors (tunnel IPs) */
    unsigned phases; /* bit i: phase i runs */
    const char *l2gwd;
    const char *tmpdir;
    bool keep;
};

/* What one LS on sw1 (and maybe sw2) must hold once converged. */
struct sb_expect {
    char net_id[SB_ID_LEN];
    int net; /* network number: MACs are mac_of(net, 0..n-1) */
    int n_macs;
    const char *port1; /* binding on sw1 (VLAN 'vlan'), NULL: none */
    const char *port2; /* binding on sw2, NULL: not served by sw2 */
    int vlan;
    char conn_id[SB_ID_LEN];
};

struct sb_figure {
    char name[96];
    double value;
    const char *unit;
    double target; /* < 0: informational */
    bool at_most;  /* PASS when value <= target (else >=) */
    char target_text[48];
    char reference[96]; /* networking-l2gw's figure, or "" */
};

struct bench {
    struct sb_opts o;
    char root[LAB_PATH];
    struct server sw[2]; /* databases "sw1", "sw2" */
    struct daemon d;
    struct http *api;
    struct watch *w[2];
    bool have_watch2; /* sw2 joins the wait loop */
    char gw_cycle[SB_ID_LEN], gw_port[SB_ID_LEN], gw_2sw[SB_ID_LEN];
    char gw_big[SB_ID_LEN];
    char big_net[SB_MAX_BIG][SB_ID_LEN];
    bool big_connected[SB_MAX_BIG];
    int big_made; /* big networks created so far */
    struct sb_expect expect[SB_MAX_EXPECT];
    size_t n_expect;
    long rss_start_kb; /* l2gwd idle with empty switches */
    struct sb_figure fig[SB_MAX_FIGURES];
    size_t n_fig;
    bool failed; /* something did not complete */
};

/* ---- sb_util.c, sb_wait.c ---- */

/* MAC and IP of port 'i' of network 'net'. */
void sb_mac(char out[18], int net, int i);
void sb_ip(char out[16], int net, int i);

/* Blocking REST calls.  sb_create() POSTs {"<member>": attrs} (attrs
 * taken) to /v2.0/<collection>, expects 201 and copies the new id into
 * 'id' (may be NULL); sb_delete() expects 204: both return 0 or -1
 * (logged).  sb_get() expects 200 and returns the body (caller decrefs)
 * or NULL (logged). */
int sb_create(struct bench *b, const char *collection, const char *member,
              json_t *attrs, char id[SB_ID_LEN]);
int sb_delete(struct bench *b, const char *collection, const char *id);
json_t *sb_get(struct bench *b, const char *path);

/* Creates network 'net' (VNI from its number) and 'n' ports bound to the
 * hosts in turn; stores its id.  Prints the creation rate if 'say'. */
int sb_network(struct bench *b, int net, int vni, char id[SB_ID_LEN]);
int sb_ports(struct bench *b, const char *net_id, int net, int from, int n,
             bool say);
/* JSON attributes of port 'i' of network 'net', and of a connection
 * (new objects, caller owns them). */
json_t *sb_port_attrs(const struct bench *b, const char *net_id, int net,
                      int i);
json_t *sb_conn_attrs(const char *gw, const char *net_id, int seg);

/* A condition over the watchers' view. */
typedef bool sb_cond(struct bench *b, void *aux);

/* Times of one driven request (monotonic ns). */
struct sb_timing {
    long long sent, answered, cond;
    int status;
    json_t *body; /* the answer (caller decrefs) */
};

/* Runs the watchers (and the HTTP answer in flight, if any) until 'cond'
 * holds and the answer is complete.  Returns 0 with the times in 't' (and
 * the answer's body in t->body, caller decrefs), or -ETIMEDOUT / a
 * negative errno.  'cond' is evaluated whenever a watcher's copy changed,
 * only while every watcher is connected; t->cond is the first time it
 * held (CLOCK_MONOTONIC, just after the update that made it hold). */
int sb_drive(struct bench *b, sb_cond *cond, void *aux, double timeout_s,
             struct sb_timing *t);

/* Sends a request ('body' taken; NULL: none), then sb_drive(); the
 * answer's body is left in t->body (caller decrefs). */
int sb_timed(struct bench *b, const char *method, const char *path,
             json_t *body, sb_cond *cond, void *aux, double timeout_s,
             struct sb_timing *t);

/* The programmed state of 'e' on sw1 (and sw2 if e->port2). */
bool sb_programmed(struct bench *b, void *e);
/* The LS of 'e' gone from sw1 (and its binding). */
bool sb_unprogrammed(struct bench *b, void *e);

/* Records an expected LS; returns it (NULL if full). */
struct sb_expect *sb_expect_add(struct bench *b, const char *net_id, int net,
                                int n_macs, const char *port1,
                                const char *port2, int vlan);

/* Counts rows of sw1 that differ from the expectations: missing,
 * duplicated and stale Ucast_Macs_Remote rows, wrong LS/flood/binding
 * rows.  Prints what differs (at most a few lines) when 'say'. */
size_t sb_verify(struct bench *b, bool say);

/* Figures. */
void sb_figure(struct bench *b, const char *name, double value,
               const char *unit, double target, bool at_most,
               const char *reference);
/* Nearest-rank percentile 'p' (0..100) of 'v' (sorted in place). */
double sb_pct(double *v, size_t n, double p);
void sb_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* CPU time (ns) of l2gwd, of sw1's ovsdb-server and of switchbench at a
 * start; sb_cpu_say() prints what each used since. */
struct sb_cpu {
    long long l2gwd, server, self, wall;
};
void sb_cpu_start(const struct bench *b, struct sb_cpu *c);
void sb_cpu_say(const struct bench *b, const struct sb_cpu *c);
void sb_loadavg(char out[64]);
/* Prints every figure with its target, verdict and reference. */
void sb_summary(const struct bench *b);

/* ---- sb_phases.c ---- */
int sb_phase_connection(struct bench *b);
int sb_phase_port(struct bench *b);
int sb_phase_macs(struct bench *b);

/* ---- sb_restart.c, sb_idle.c ---- */
int sb_phase_reconnect(struct bench *b);
int sb_phase_idle(struct bench *b);

/* sb_big_network() creates big network j (M ports) unless done.
 * sb_big_expect() records what its LS must hold (NULL if full).
 * sb_big_connect() connects it: with 't' NULL, POSTs and returns; else
 * waits until 'cond' (NULL: sb_programmed() of 'e') and fills 't'.
 * Shared by phases 3 and 4. */
int sb_big_network(struct bench *b, int j);
struct sb_expect *sb_big_expect(struct bench *b, int j);
int sb_big_connect(struct bench *b, struct sb_expect *e, int j,
                   struct sb_timing *t, sb_cond *cond, void *aux);

#endif
