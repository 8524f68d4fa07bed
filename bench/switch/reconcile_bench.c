/* reconcile_bench: how long vtep_reconcile() (src/vtep) takes.
 *
 * Scenarios, each on a replica built in memory (no server):
 *   1. MACS remote MACs in one Logical_Switch onto an empty switch: the
 *      first transaction (default max_ops) and everything in one
 *      (max_ops = unlimited), with the size of the transaction's JSON;
 *   2. a replica of LSS × MACS rows that already matches the desired
 *      state (LSS Logical_Switches with MACS MACs each on HOSTS hosts,
 *      a flood set and a binding each): the idle diff (no operations);
 *   3. the same with 1% of the MACs moved to another host;
 *   4. an incremental pass (scope: one LS) over that replica.
 *
 * Usage: reconcile_bench [MACS [LSS [HOSTS [RUNS]]]]
 *        defaults 10000 10 100 10.  Prints one figure per line; times are
 *        the median (and minimum) of RUNS runs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/txn.h"
#include "vtep/desired.h"
#include "vtep/names.h"
#include "vtep/reconcile.h"

#define OWNER "bench"
#define MAX_RUNS 1000

static int n_macs = 10000, n_lss = 10, n_hosts = 100, n_runs = 10;

static double
now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void
die(const char *what)
{
    fprintf(stderr, "reconcile_bench: %s\n", what);
    exit(1);
}

/* A deterministic UUID of row 'n' of kind 'kind'. */
static void
make_uuid(char out[37], unsigned kind, unsigned long n)
{
    snprintf(out, 37, "%08x-0000-4000-8000-%012lx", kind & 0xffffffffu,
             n & 0xffffffffffffUL);
}

static void
mac_of(char out[18], int ls, int i)
{
    snprintf(out, 18, "02:%02x:00:%02x:%02x:%02x", ls & 0xff, (i >> 16) & 0xff,
             (i >> 8) & 0xff, i & 0xff);
}

static void
host_of(char out[VTEP_IP_LEN], int h)
{
    snprintf(out, VTEP_IP_LEN, "10.%d.%d.%d", 100 + h / 65536,
             (h / 256) % 256, h % 256);
}

/* ---- The desired state ---- */

static void
build_desired(struct vtep_desired *d, int lss, int moved_every)
{
    vtep_desired_init(d);
    for (int l = 0; l < lss; l++) {
        char name[32], ps_port[16];
        snprintf(name, sizeof name, "net-%04d", l);
        struct vtep_ls *ls = vtep_desired_ls(d, name, name, 1000 + l);
        if (!ls) {
            die("out of memory");
        }
        for (int i = 0; i < n_macs; i++) {
            char mac[18];
            struct vtep_locator loc = {.key = VTEP_NO_KEY};
            int h = i % n_hosts;
            if (moved_every && i % moved_every == 0) {
                h = (h + 1) % n_hosts;
            }
            mac_of(mac, l, i);
            host_of(loc.ip, h);
            if (vtep_ls_add_mac(ls, mac, "", &loc, "port", i) ||
                vtep_ls_add_flood(ls, &loc)) {
                die("cannot build the desired state");
            }
        }
        snprintf(ps_port, sizeof ps_port, "p%d", l);
        vtep_ls_add_binding(ls, "sw1", ps_port, 10, "conn");
    }
    vtep_desired_sort(d);
}

/* ---- The replica ---- */

static void
put(json_t *tables, const char *table, const char *uuid, json_t *row)
{
    json_t *t = json_object_get(tables, table);

    if (!t) {
        t = json_object();
        json_object_set_new(tables, table, t);
    }
    json_object_set_new(t, uuid, json_pack("{s:o}", "new", row));
}

/* The switch with one port per LS; with 'full', bindings too. */
static void
add_switch(json_t *tables, int lss, bool full)
{
    char ps[37], port[37], ls[37];
    json_t *ports = datum_set_new();

    make_uuid(ps, 1, 0);
    for (int l = 0; l < lss; l++) {
        char name[16];
        json_t *b = datum_map_new();
        make_uuid(port, 2, (unsigned long)l);
        make_uuid(ls, 3, (unsigned long)l);
        snprintf(name, sizeof name, "p%d", l);
        if (full) {
            datum_map_add(b, json_integer(10), datum_uuid(ls));
        }
        put(tables, VTEP_T_PORT, port,
            json_pack("{s:s,s:o}", "name", name, "vlan_bindings", b));
        datum_set_add(ports, datum_uuid(port));
    }
    put(tables, VTEP_T_PS, ps, json_pack("{s:s,s:o}", "name", "sw1", "ports",
                                         ports));
}

static void
add_locators(json_t *tables, json_t *set)
{
    char loc[37], ip[VTEP_IP_LEN];

    for (int h = 0; h < n_hosts; h++) {
        make_uuid(loc, 4, (unsigned long)h);
        host_of(ip, h);
        put(tables, VTEP_T_LOCATOR, loc,
            json_pack("{s:s,s:s,s:[s,[]]}", "encapsulation_type",
                      VTEP_ENCAP_VXLAN, "dst_ip", ip, "tunnel_key", "set"));
        datum_set_add(set, datum_uuid(loc));
    }
}

/* One LS of ours with every MAC, its unknown-dst row and set. */
static void
add_ls(json_t *tables, int l, const char *set_uuid)
{
    char ls[37], row[37], loc[37], mac[18], name[32];

    make_uuid(ls, 3, (unsigned long)l);
    snprintf(name, sizeof name, "net-%04d", l);
    put(tables, VTEP_T_LS, ls,
        json_pack("{s:s,s:s,s:i,s:s,s:[s,[[s,s]]]}", "name", name,
                  "description", name, "tunnel_key", 1000 + l,
                  "replication_mode", "source_node", "other_config", "map",
                  VTEP_OWNER_KEY, OWNER));
    for (int i = 0; i < n_macs; i++) {
        make_uuid(row, 5, (unsigned long)l * (unsigned long)n_macs + i);
        make_uuid(loc, 4, (unsigned long)(i % n_hosts));
        mac_of(mac, l, i);
        put(tables, VTEP_T_UCAST_REMOTE, row,
            json_pack("{s:s,s:[s,s],s:[s,s],s:s}", "MAC", mac,
                      "logical_switch", "uuid", ls, "locator", "uuid", loc,
                      "ipaddr", ""));
    }
    make_uuid(row, 6, (unsigned long)l);
    put(tables, VTEP_T_MCAST_REMOTE, row,
        json_pack("{s:s,s:[s,s],s:[s,s],s:s}", "MAC", VTEP_UNKNOWN_DST,
                  "logical_switch", "uuid", ls, "locator_set", "uuid",
                  set_uuid, "ipaddr", ""));
}

/* A replica holding 'lss' LSs of ours that match build_desired(). */
static struct replica *
build_replica(int lss, bool full)
{
    struct replica *r = replica_create();
    json_t *tables = json_object(), *set = datum_set_new();
    char set_uuid[37];

    if (!r || !tables || !set) {
        die("out of memory");
    }
    add_switch(tables, lss, full);
    if (full) {
        add_locators(tables, set);
        make_uuid(set_uuid, 7, 0);
        put(tables, VTEP_T_LOCATOR_SET, set_uuid,
            json_pack("{s:O}", "locators", set));
        for (int l = 0; l < lss; l++) {
            add_ls(tables, l, set_uuid);
        }
    }
    double t0 = now_ms();
    if (replica_apply(r, tables)) {
        die("replica_apply failed");
    }
    if (full) {
        printf("replica built: %zu rows in %.1f ms (replica_apply)\n",
               replica_n_rows(r), now_ms() - t0);
    }
    json_decref(set);
    json_decref(tables);
    return r;
}

/* ---- Timing ---- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Runs vtep_reconcile() n_runs times; prints the median and minimum, the
 * operations and (optionally) the JSON size of the transaction. */
static void
measure(const char *what, const struct vtep_desired *d,
        const struct replica *r, const char *const *owned, size_t n_owned,
        const struct vtep_options *o, bool size)
{
    static double t[MAX_RUNS];
    struct vtep_result res = {0};

    for (int i = 0; i < n_runs; i++) {
        vtep_result_destroy(&res);
        double t0 = now_ms();
        if (vtep_reconcile(d, r, owned, n_owned, o, &res)) {
            die("vtep_reconcile failed");
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)n_runs, sizeof *t, cmp_double);
    printf("%s: %.2f ms median, %.2f ms min; %zu ops%s", what, t[n_runs / 2],
           t[0], res.n_ops, res.truncated ? " (truncated)" : "");
    if (size && res.txn) {
        json_t *p = txn_params(res.txn);
        char *s = json_dumps(p, JSON_COMPACT);
        printf("; %zu bytes of JSON", s ? strlen(s) : 0);
        free(s);
        json_decref(p);
    }
    printf("\n");
    vtep_result_destroy(&res);
}

static void
default_options(struct vtep_options *o)
{
    memset(o, 0, sizeof *o);
    o->database = VTEP_DATABASE;
    o->name = "bench";
    o->owner_id = OWNER;
    o->adopt = true;
    o->owner_mark = true;
    o->has_replication_mode = true;
}

static void
from_nothing(void)
{
    struct vtep_desired d;
    struct vtep_options o;
    struct replica *r = build_replica(1, false);
    char what[128];

    default_options(&o);
    build_desired(&d, 1, 0);
    snprintf(what, sizeof what, "%d MACs from nothing, first txn "
             "(max_ops %d)", n_macs, VTEP_DEFAULT_MAX_OPS);
    measure(what, &d, r, NULL, 0, &o, true);
    o.max_ops = TXN_MAX_OPS;
    snprintf(what, sizeof what, "%d MACs from nothing, one txn", n_macs);
    measure(what, &d, r, NULL, 0, &o, true);
    vtep_desired_destroy(&d);
    replica_destroy(r);
}

static void
large_replica(void)
{
    struct vtep_desired d, moved, one;
    struct vtep_options o;
    struct replica *r = build_replica(n_lss, true);
    char what[160];

    default_options(&o);
    build_desired(&d, n_lss, 0);
    snprintf(what, sizeof what, "idle diff, %zu-row replica (%d LS x %d MACs)",
             replica_n_rows(r), n_lss, n_macs);
    measure(what, &d, r, NULL, 0, &o, false);

    build_desired(&moved, n_lss, 100);
    snprintf(what, sizeof what, "1%% of MACs moved, %zu-row replica",
             replica_n_rows(r));
    o.max_ops = TXN_MAX_OPS;
    measure(what, &moved, r, NULL, 0, &o, false);

    const char *scope[] = {"net-0000"};
    build_desired(&one, 1, 100);
    o.scope = scope;
    o.n_scope = 1;
    snprintf(what, sizeof what, "incremental pass (1 LS of %d), 1%% moved",
             n_lss);
    measure(what, &one, r, NULL, 0, &o, false);

    vtep_desired_destroy(&d);
    vtep_desired_destroy(&moved);
    vtep_desired_destroy(&one);
    replica_destroy(r);
}

static int
arg(int argc, char **argv, int i, int def, int max)
{
    if (argc <= i) {
        return def;
    }
    int v = atoi(argv[i]);
    if (v < 1 || v > max) {
        die("usage: reconcile_bench [MACS [LSS [HOSTS [RUNS]]]]");
    }
    return v;
}

int
main(int argc, char **argv)
{
    n_macs = arg(argc, argv, 1, n_macs, 1 << 24);
    n_lss = arg(argc, argv, 2, n_lss, 255);
    n_hosts = arg(argc, argv, 3, n_hosts, 1 << 20);
    n_runs = arg(argc, argv, 4, n_runs, MAX_RUNS);
    log_set_level(LOG_LEVEL_WARN);
    printf("reconcile_bench: %d MACs per LS, %d LSs, %d hosts, %d runs\n",
           n_macs, n_lss, n_hosts, n_runs);
    from_nothing();
    large_replica();
    return 0;
}
