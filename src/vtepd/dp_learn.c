/* MACs learned on physical-side ports: from FDB dumps and notifications
 * (see dp.h). */
#include "vtepd/dp_priv.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lib/loop.h"
#include "vtepd/nl.h"

#define LOG_MODULE "dp"
#include "lib/log.h"

static const struct dp_kv *side_of(const struct dp *dp, int port, int bridge)
{
    for (size_t i = 0; i < dp->n_sides; i++) {
        if (dp->sides[i].port == port && dp->sides[i].bridge == bridge) {
            return &dp->sides[i];
        }
    }
    return NULL;
}

static void add_side(struct dp *dp, const char *port, const char *bridge,
                     const char *uuid)
{
    const struct klinks *k = &dp->links[WANT_NS_MAIN];
    const struct klink *p = klinks_by_name(k, port);
    const struct klink *b = klinks_by_name(k, bridge);
    struct dp_kv *v = realloc(dp->sides, (dp->n_sides + 1) * sizeof *v);
    if (!p || !b || !v) {
        dp->sides = v ? v : dp->sides;
        return;
    }
    dp->sides = v;
    v[dp->n_sides].port = p->ifindex;
    v[dp->n_sides].bridge = b->ifindex;
    snprintf(v[dp->n_sides].ls_uuid, sizeof v->ls_uuid, "%s", uuid);
    dp->n_sides++;
}

void dp_build_sides(struct dp *dp, const struct model *m)
{
    dp->n_sides = 0;
    for (size_t i = 0; i < dp->want.n_links; i++) {
        const struct want_link *l = &dp->want.links[i];
        if (l->physical_side && l->ns == WANT_NS_MAIN) {
            add_side(dp, l->name, l->master, m->ls[l->ls].uuid);
        }
    }
    for (size_t i = 0; i < dp->want.n_phys; i++) {
        const struct want_phys *ph = &dp->want.phys[i];
        if (ph->master[0]) {
            add_side(dp, ph->name, ph->master, m->ls[ph->master_ls].uuid);
        }
    }
}

static bool is_learned(const struct kneigh *e)
{
    return e->family == AF_BRIDGE && e->has_mac && !(e->flags & NTF_SELF) &&
           (e->state & (NUD_REACHABLE | NUD_STALE)) && !(e->mac[0] & 1);
}

static ssize_t find_learned(const struct dp *dp, const uint8_t *mac, int bridge)
{
    for (size_t i = 0; i < dp->n_learned; i++) {
        if (dp->learned[i].bridge == bridge &&
            !memcmp(dp->learned[i].mac, mac, 6)) {
            return (ssize_t)i;
        }
    }
    return -1;
}

static void forget(struct dp *dp, const uint8_t *mac, int bridge)
{
    ssize_t i = find_learned(dp, mac, bridge);
    if (i >= 0) {
        dp->learned[i] = dp->learned[--dp->n_learned];
        dp->learned_seqno++;
    }
}

static void learn(struct dp *dp, const struct kneigh *e,
                  const struct dp_kv *side)
{
    static struct log_rl rl = LOG_RL_INIT(1, 60000);
    if (find_learned(dp, e->mac, e->master) >= 0) {
        return;
    }
    if (dp->n_learned >= DP_MAX_LEARNED) {
        log_warn_rl(&rl, "over %d learned MACs; ignoring more", DP_MAX_LEARNED);
        return;
    }
    struct dp_mac *v = realloc(dp->learned, (dp->n_learned + 1) * sizeof *v);
    if (!v) {
        return;
    }
    dp->learned = v;
    memset(&v[dp->n_learned], 0, sizeof *v);
    memcpy(v[dp->n_learned].mac, e->mac, 6);
    v[dp->n_learned].bridge = e->master;
    memcpy(v[dp->n_learned].ls_uuid, side->ls_uuid, sizeof v->ls_uuid);
    dp->n_learned++;
    dp->learned_seqno++;
}

/* One FDB entry seen in a dump or a notification. */
static void observe(struct dp *dp, const struct kneigh *e, bool deleted)
{
    if (e->family != AF_BRIDGE || !e->has_mac || !e->master) {
        return;
    }
    const struct dp_kv *side = side_of(dp, e->ifindex, e->master);
    if (!deleted && side && is_learned(e)) {
        learn(dp, e, side);
    } else if (deleted || !side || !(e->state & NUD_PERMANENT)) {
        forget(dp, e->mac, e->master);
    }
}

static int on_notification(const struct nlmsghdr *nlh, void *aux)
{
    struct dp *dp = aux;
    struct kneigh e;
    if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK) {
        dp->kernel_changed = true;
    } else if ((nlh->nlmsg_type == RTM_NEWNEIGH ||
                nlh->nlmsg_type == RTM_DELNEIGH) &&
               !kstate_parse_neigh(nlh, &e)) {
        bool deleted = nlh->nlmsg_type == RTM_DELNEIGH;
        if (deleted && !is_learned(&e)) {
            dp->kernel_changed = true; /* maybe one of ours */
        }
        observe(dp, &e, deleted);
    }
    return 0;
}

void dp_run(struct dp *dp)
{
    if (nl_drain(dp->monitor, on_notification, dp) == -ENOBUFS) {
        log_warn("FDB notifications lost; resynchronising");
        dp->resync = true;
    }
}

void dp_wait(struct dp *dp)
{
    loop_fd_wait(nl_fd(dp->monitor), POLLIN);
}

bool dp_needs_pass(const struct dp *dp)
{
    return dp->resync;
}

bool dp_kernel_changed(const struct dp *dp)
{
    return dp->kernel_changed;
}

const struct dp_mac *dp_learned(const struct dp *dp, size_t *n)
{
    *n = dp->n_learned;
    return dp->learned;
}

uint64_t dp_learned_seqno(const struct dp *dp)
{
    return dp->learned_seqno;
}

static int mac_cmp(const void *a, const void *b)
{
    const struct dp_mac *x = a, *y = b;
    if (x->bridge != y->bridge) {
        return x->bridge < y->bridge ? -1 : 1;
    }
    return memcmp(x->mac, y->mac, 6);
}

/* Sorts 'v' and drops duplicates; returns the new count. */
static size_t sort_unique(struct dp_mac *v, size_t n)
{
    size_t k = 0;
    if (!n) {
        return 0;
    }
    qsort(v, n, sizeof *v, mac_cmp);
    for (size_t i = 0; i < n; i++) {
        if (!k || mac_cmp(&v[k - 1], &v[i])) {
            v[k++] = v[i];
        }
    }
    return k;
}

/* Rebuilds the learned set from a dump of the main namespace: O(n log n)
 * in the number of entries. */
void dp_relearn(struct dp *dp, const struct neighs *fdb)
{
    struct dp_mac *v = calloc(fdb->n + 1, sizeof *v);
    size_t n = 0;
    if (!v) {
        return;
    }
    for (size_t i = 0; i < fdb->n && n < DP_MAX_LEARNED; i++) {
        const struct kneigh *e = &fdb->v[i];
        const struct dp_kv *side = side_of(dp, e->ifindex, e->master);
        if (side && is_learned(e)) {
            memcpy(v[n].mac, e->mac, 6);
            v[n].bridge = e->master;
            memcpy(v[n].ls_uuid, side->ls_uuid, sizeof v->ls_uuid);
            n++;
        }
    }
    n = sort_unique(v, n);
    dp->n_learned = sort_unique(dp->learned, dp->n_learned);
    if (n != dp->n_learned || (n && memcmp(v, dp->learned, n * sizeof *v))) {
        dp->learned_seqno++;
    }
    free(dp->learned);
    dp->learned = v;
    dp->n_learned = n;
}
