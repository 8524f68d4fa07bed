/* switchbench's wait loop and what the switches must hold (see
 * switchbench.h). */
#include "switchbench.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "lib/loop.h"
#include "sb_http.h"
#include "sb_proc.h"
#include "sb_watch.h"

#define T_UCAST "Ucast_Macs_Remote"
#define T_MCAST "Mcast_Macs_Remote"
/* Differences printed by sb_verify(). */
#define SB_VERIFY_SHOWN 5

/* ---- the wait loop ---- */

static size_t n_watch(const struct bench *b)
{
    return b->have_watch2 ? 2 : 1;
}

static bool all_active(const struct bench *b)
{
    for (size_t i = 0; i < n_watch(b); i++) {
        if (!watch_active(b->w[i])) {
            return false;
        }
    }
    return true;
}

/* True if a watcher's copy changed since 'seen' (updated). */
static bool changed(const struct bench *b, uint64_t seen[2])
{
    bool any = false;

    for (size_t i = 0; i < n_watch(b); i++) {
        uint64_t s = watch_seqno(b->w[i]);
        any |= s != seen[i];
        seen[i] = s;
    }
    return any;
}

static void block(struct bench *b, bool busy, long long deadline)
{
    long long left_ms = (deadline - proc_mono_ns()) / 1000000 + 1;

    for (size_t i = 0; i < n_watch(b); i++) {
        watch_wait(b->w[i]);
    }
    if (busy) {
        loop_fd_wait(http_fd(b->api), POLLIN);
    }
    loop_timer_wait(left_ms > 0 ? left_ms : 0);
    loop_block();
}

int sb_drive(struct bench *b, sb_cond *cond, void *aux, double timeout_s,
             struct sb_timing *t)
{
    long long deadline = proc_mono_ns() + (long long)(timeout_s * 1e9);
    uint64_t seen[2] = {UINT64_MAX, UINT64_MAX};
    bool busy = http_fd(b->api) >= 0;

    t->cond = 0;
    for (;;) {
        for (size_t i = 0; i < n_watch(b); i++) {
            watch_run(b->w[i]);
        }
        if (busy) {
            int rc = http_poll(b->api);
            if (rc < 0) {
                return rc;
            }
            if (rc == 1) {
                t->answered = proc_mono_ns();
                t->status = http_status(b->api);
                t->body = http_body(b->api);
                busy = false;
            }
        }
        if (!t->cond && changed(b, seen) && all_active(b) && cond(b, aux)) {
            t->cond = proc_mono_ns();
        }
        if (t->cond && !busy) {
            return 0;
        }
        if (proc_mono_ns() >= deadline) {
            return -ETIMEDOUT;
        }
        block(b, busy, deadline);
    }
}

int sb_timed(struct bench *b, const char *method, const char *path,
             json_t *body, sb_cond *cond, void *aux, double timeout_s,
             struct sb_timing *t)
{
    int rc;

    memset(t, 0, sizeof *t);
    t->sent = proc_mono_ns();
    rc = http_start(b->api, method, path, body);
    json_decref(body);
    if (rc) {
        return rc;
    }
    return sb_drive(b, cond, aux, timeout_s, t);
}

/* ---- expectations ---- */

static bool ls_ok(const struct watch *w, const struct sb_expect *e,
                  const char *port)
{
    const char *ls = watch_ls_uuid(w, e->net_id);
    const char *bound;

    if (!ls) {
        return false;
    }
    bound = port ? watch_binding(w, port, e->vlan) : ls;
    return bound && !strcmp(bound, ls) &&
           watch_count_in_ls(w, T_UCAST, ls) == (size_t)e->n_macs &&
           watch_count_in_ls(w, T_MCAST, ls) == (e->n_macs > 0);
}

bool sb_programmed(struct bench *b, void *aux)
{
    const struct sb_expect *e = aux;

    return ls_ok(b->w[0], e, e->port1) &&
           (!e->port2 || !b->have_watch2 || ls_ok(b->w[1], e, e->port2));
}

bool sb_unprogrammed(struct bench *b, void *aux)
{
    const struct sb_expect *e = aux;

    return !watch_ls_uuid(b->w[0], e->net_id) &&
           (!e->port1 || !watch_binding(b->w[0], e->port1, e->vlan));
}

struct sb_expect *sb_expect_add(struct bench *b, const char *net_id, int net,
                                int n_macs, const char *port1,
                                const char *port2, int vlan)
{
    if (b->n_expect >= SB_MAX_EXPECT) {
        return NULL;
    }
    struct sb_expect *e = &b->expect[b->n_expect++];
    memset(e, 0, sizeof *e);
    snprintf(e->net_id, sizeof e->net_id, "%s", net_id);
    e->net = net;
    e->n_macs = n_macs;
    e->port1 = port1;
    e->port2 = port2;
    e->vlan = vlan;
    return e;
}

struct diff {
    size_t missing, duplicate, stale, wrong_ls, shown;
};

static void note(struct diff *d, bool say, const char *fmt, const char *a,
                 const char *c)
{
    if (say && d->shown++ < SB_VERIFY_SHOWN) {
        printf("  verify: ");
        printf(fmt, a, c);
        putchar('\n');
    }
}

/* Checks one expected LS on watcher 'w' (port: its binding there). */
static size_t verify_ls(const struct watch *w, const struct sb_expect *e,
                        const char *port, struct diff *d, bool say)
{
    const char *ls = watch_ls_uuid(w, e->net_id);
    size_t matched = 0;
    char mac[18];

    if (!ls || !port || !watch_binding(w, port, e->vlan) ||
        strcmp(watch_binding(w, port, e->vlan), ls) ||
        watch_count_in_ls(w, T_MCAST, ls) != (e->n_macs > 0)) {
        d->wrong_ls++;
        note(d, say, "%s: LS %s, its binding or flood row is wrong",
             watch_name(w), e->net_id);
        if (!ls) {
            d->missing += (size_t)e->n_macs;
            return 0;
        }
    }
    for (int i = 0; i < e->n_macs; i++) {
        sb_mac(mac, e->net, i);
        size_t n = watch_mac_rows(w, mac, ls);
        if (n == 0) {
            d->missing++;
            note(d, say, "%s: MAC %s missing", watch_name(w), mac);
        } else if (n > 1) {
            d->duplicate += n - 1;
            note(d, say, "%s: MAC %s duplicated", watch_name(w), mac);
        }
        matched += n ? 1 : 0;
    }
    return matched;
}

static size_t verify_watch(struct bench *b, size_t which, bool say,
                           struct diff *d)
{
    const struct watch *w = b->w[which];
    size_t matched = 0, n_ls = 0;

    for (size_t i = 0; i < b->n_expect; i++) {
        const struct sb_expect *e = &b->expect[i];
        const char *port = which ? e->port2 : e->port1;
        if (which && !port) {
            continue;
        }
        n_ls++;
        matched += verify_ls(w, e, port, d, say);
    }
    size_t rows = watch_table_count(w, T_UCAST);
    if (rows > matched + d->duplicate) {
        d->stale += rows - matched - d->duplicate;
        note(d, say, "%s: %s rows not desired", watch_name(w), "stale");
    }
    if (watch_table_count(w, "Logical_Switch") != n_ls) {
        d->wrong_ls++;
        note(d, say, "%s: %s", watch_name(w),
             "unexpected number of Logical_Switch rows");
    }
    return d->missing + d->duplicate + d->stale + d->wrong_ls;
}

size_t sb_verify(struct bench *b, bool say)
{
    struct diff d0 = {0}, d1 = {0};
    size_t bad = verify_watch(b, 0, say, &d0);

    if (b->have_watch2) {
        bad += verify_watch(b, 1, say, &d1);
    }
    if (say) {
        sb_say("  verify: missing %zu, duplicate %zu, stale %zu, wrong "
               "LS/binding/flood %zu",
               d0.missing + d1.missing, d0.duplicate + d1.duplicate,
               d0.stale + d1.stale, d0.wrong_ls + d1.wrong_ls);
    }
    return bad;
}
