/* The dataplane over netlink (see dp.h). */
#include "vtepd/dp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vtepd/dp_priv.h"
#include "vtepd/kstate.h"
#include "vtepd/netns.h"
#include "vtepd/nl.h"
#include "vtepd/nlmsg.h"
#include "vtepd/recon.h"
#include "vtepd/vconf.h"
#include "vtepd/vnft.h"
#include "vtepd/want.h"

#define LOG_MODULE "dp"
#include "lib/log.h"

static int open_wan(struct dp *dp)
{
    bool created;
    int fd = netns_open(dp->cfg->wan_netns, true, &created);
    if (fd < 0) {
        log_err("WAN namespace %s: %s", dp->cfg->wan_netns, strerror(-fd));
        return fd;
    }
    dp->wan_fd = fd;
    int rc = nl_open(fd, 0, &dp->nl[WANT_NS_WAN]);
    if (!rc && created) {
        struct nlmsg_linkset s = {.master = -1, .up = 1};
        nl_talk(
            dp->nl[WANT_NS_WAN],
            nlmsg_link_set(dp->buf, nl_next_seq(dp->nl[WANT_NS_WAN]), 1, &s));
    }
    return rc;
}

/* The allow-list's netfilter socket in the WAN namespace.  Required with
 * wan_allow_list; without, it only serves to remove a table a previous
 * run left, so failing to open it is no error. */
static int open_nft(struct dp *dp)
{
    const struct vconf *c = dp->cfg;
    int rc =
        vnft_open(dp->wan_fd, c->prefix, c->wan_ip, NLMSG_VXLAN_PORT, &dp->nft);
    if (rc) {
        dp->nft = NULL;
        if (c->wan_allow_list) {
            log_err("WAN allow-list: %s", strerror(-rc));
            return rc;
        }
        log_dbg("WAN allow-list: %s", strerror(-rc));
    }
    return 0;
}

int dp_create(const struct vconf *cfg, struct dp **out)
{
    struct dp *dp = calloc(1, sizeof *dp);
    if (!dp) {
        return -ENOMEM;
    }
    dp->cfg = cfg;
    dp->wan_fd = -1;
    dp->resync = true;
    int rc = nl_open(-1, 0, &dp->nl[WANT_NS_MAIN]);
    rc = rc ? rc : nl_open(-1, RTMGRP_NEIGH | RTMGRP_LINK, &dp->monitor);
    if (!rc && cfg->wan_ip) {
        rc = open_wan(dp);
        rc = rc ? rc : open_nft(dp);
    }
    if (rc) {
        log_err("netlink: %s", strerror(-rc));
        dp_destroy(dp);
        return rc;
    }
    *out = dp;
    return 0;
}

void dp_destroy(struct dp *dp)
{
    if (!dp) {
        return;
    }
    nl_close(dp->nl[0]);
    nl_close(dp->nl[1]);
    nl_close(dp->monitor);
    vnft_close(dp->nft);
    if (dp->wan_fd >= 0) {
        close(dp->wan_fd);
    }
    want_clear(&dp->want);
    klinks_clear(&dp->links[0]);
    klinks_clear(&dp->links[1]);
    free(dp->learned);
    free(dp->sides);
    free(dp->progs);
    free(dp->faults);
    free(dp);
}

/* ---- Dumps ---- */

static int on_link(const struct nlmsghdr *nlh, void *aux)
{
    struct klink l;
    if (nlh->nlmsg_type == RTM_NEWLINK && !kstate_parse_link(nlh, &l)) {
        return klinks_add(aux, &l);
    }
    return 0;
}

static int dump_links(struct dp *dp, enum want_ns ns)
{
    struct klinks *k = &dp->links[ns];
    k->n = 0;
    if (!dp->nl[ns]) {
        return 0;
    }
    struct nl *nl = dp->nl[ns];
    return nl_dump(nl, nlmsg_link_dump(dp->buf, nl_next_seq(nl)), on_link, k);
}

static int on_neigh(const struct nlmsghdr *nlh, void *aux)
{
    struct neighs *ns = aux;
    struct kneigh e;
    if (nlh->nlmsg_type != RTM_NEWNEIGH || kstate_parse_neigh(nlh, &e)) {
        return 0;
    }
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 64;
        struct kneigh *v = realloc(ns->v, cap * sizeof *v);
        if (!v) {
            return -ENOMEM;
        }
        ns->v = v;
        ns->cap = cap;
    }
    ns->v[ns->n++] = e;
    return 0;
}

/* All AF_BRIDGE entries (fdb) or all IPv4 neighbours of namespace 'ns'. */
static int dump_neighs(struct dp *dp, enum want_ns ns, bool fdb,
                       struct neighs *out)
{
    struct nl *nl = dp->nl[ns];
    memset(out, 0, sizeof *out);
    if (!nl) {
        return 0;
    }
    uint32_t seq = nl_next_seq(nl);
    struct nlmsghdr *nlh =
        fdb ? nlmsg_fdb_dump(dp->buf, seq, 0) : nlmsg_neigh_dump(dp->buf, seq);
    return nl_dump(nl, nlh, on_neigh, out);
}

/* ---- Executing reconcile operations ---- */

static struct nlmsghdr *build_new_link(struct dp *dp, const struct recon_op *op,
                                       uint32_t seq)
{
    const struct want_link *l = &dp->want.links[op->idx];
    struct nlmsg_link m = {
        .name = l->name,
        .kind = l->kind,
        .mtu = l->mtu,
        .vni = l->vni,
        .local = l->local,
        .ageing_s = dp->cfg->ageing_time,
        .peer = l->peer,
        .peer_netns_fd = -1,
    };
    if (l->kind == NLMSG_VETH && l->peer_ns != l->ns) {
        m.peer_netns_fd = dp->wan_fd;
    }
    return nlmsg_link_new(dp->buf, seq, &m);
}

static struct nlmsghdr *build_op(struct dp *dp, const struct recon_op *op,
                                 uint32_t seq)
{
    switch (op->type) {
    case RECON_DEL_LINK:
        return nlmsg_link_del(dp->buf, seq, op->ifindex);
    case RECON_NEW_LINK:
        return build_new_link(dp, op, seq);
    case RECON_SET_LINK:
        return nlmsg_link_set(dp->buf, seq, op->ifindex, &op->set);
    case RECON_SET_BRPORT:
        return nlmsg_brport_set(dp->buf, seq, op->ifindex, &op->brport);
    case RECON_FDB_DEL:
        return nlmsg_fdb_del(dp->buf, seq, &op->fdb);
    case RECON_FDB_ADD:
        return nlmsg_fdb_add(dp->buf, seq, &op->fdb);
    case RECON_NEIGH_DEL:
        return nlmsg_neigh_del(dp->buf, seq, op->ifindex, op->ip);
    case RECON_NEIGH_ADD:
        return nlmsg_neigh_add(dp->buf, seq, op->ifindex, op->ip, op->mac);
    }
    return NULL;
}

static const char *op_name(enum recon_type t)
{
    static const char *const names[] = {
        "delete link", "create link", "set link",         "set bridge port",
        "delete fdb",  "add fdb",     "delete neighbour", "add neighbour"};
    return names[t];
}

static void describe(const struct recon_op *op, char *out, size_t size)
{
    char mac[18], ip[INET_ADDRSTRLEN] = "";
    const uint8_t *m = op->type >= RECON_NEIGH_DEL ? op->mac : op->fdb.mac;
    uint32_t a = op->type >= RECON_NEIGH_DEL ? op->ip : op->fdb.dst;
    model_format_mac(m, mac);
    inet_ntop(AF_INET, &a, ip, sizeof ip);
    if (op->type >= RECON_FDB_DEL) {
        snprintf(out, size, "ifindex %d %s %s", op->ifindex, mac, ip);
    } else {
        snprintf(out, size, "%s", op->name);
    }
}

/* Runs 'op'; errors that mean "already so" count as success. */
static int exec_op(struct dp *dp, const struct recon_op *op)
{
    static struct log_rl rl = LOG_RL_INIT(20, 10000);
    struct nl *nl = dp->nl[op->ns];
    if (!nl) {
        return 0;
    }
    int rc = nl_talk(nl, build_op(dp, op, nl_next_seq(nl)));
    if ((rc == -ENODEV && op->type == RECON_DEL_LINK) ||
        (rc == -ENOENT && op->type != RECON_NEW_LINK)) {
        rc = 0;
    }
    char what[64];
    describe(op, what, sizeof what);
    if (rc) {
        log_warn_rl(&rl, "%s %s: %s", op_name(op->type), what, strerror(-rc));
    } else {
        log_dbg("%s %s", op_name(op->type), what);
    }
    return rc;
}

static int exec_ops(struct dp *dp, const struct recon_ops *ops,
                    enum recon_type only)
{
    int rc = 0;
    for (size_t i = 0; i < ops->n; i++) {
        if (ops->v[i].type == only) {
            int r = exec_op(dp, &ops->v[i]);
            rc = rc ? rc : r;
        }
    }
    return rc;
}

/* ---- Faults ---- */

void dp_add_fault(struct dp *dp, const char *port, const char *reason)
{
    for (size_t i = 0; i < dp->n_faults; i++) {
        if (!strcmp(dp->faults[i].port, port) &&
            !strcmp(dp->faults[i].reason, reason)) {
            return;
        }
    }
    struct dp_fault *v = realloc(dp->faults, (dp->n_faults + 1) * sizeof *v);
    if (v) {
        dp->faults = v;
        snprintf(v[dp->n_faults].port, MODEL_IFNAMSIZ, "%s", port);
        snprintf(v[dp->n_faults].reason, sizeof v->reason, "%s", reason);
        dp->n_faults++;
    }
}

const struct dp_fault *dp_faults(const struct dp *dp, size_t *n)
{
    *n = dp->n_faults;
    return dp->faults;
}

/* ---- The pass ---- */

static void want_cfg_of(const struct vconf *c, struct want_cfg *wc)
{
    memset(wc, 0, sizeof *wc);
    wc->prefix = c->prefix;
    wc->tunnel_ip = c->tunnel_ip;
    wc->wan_ip = c->wan_ip;
    wc->mtu = c->mtu;
    wc->ageing_time = c->ageing_time;
    wc->arp_suppression = c->arp_suppression;
    wc->ports = (const char(*)[MODEL_IFNAMSIZ])c->ports;
    wc->n_ports = (size_t)c->n_ports;
}

static int phase_links(struct dp *dp)
{
    struct recon_ops ops = {0};
    int rc = dump_links(dp, WANT_NS_MAIN);
    rc = rc ? rc : dump_links(dp, WANT_NS_WAN);
    for (int ns = 0; !rc && ns < 2; ns++) {
        if (dp->nl[ns]) {
            rc = recon_links(&dp->want, ns, &dp->links[ns], dp->cfg->prefix,
                             &ops);
        }
    }
    if (!rc) {
        int r1 = exec_ops(dp, &ops, RECON_DEL_LINK);
        int r2 = exec_ops(dp, &ops, RECON_NEW_LINK);
        rc = r1 ? r1 : r2;
    }
    recon_ops_clear(&ops);
    return rc;
}

static int phase_fix(struct dp *dp)
{
    struct recon_ops ops = {0};
    int rc = dump_links(dp, WANT_NS_MAIN);
    rc = rc ? rc : dump_links(dp, WANT_NS_WAN);
    for (int ns = 0; !rc && ns < 2; ns++) {
        if (dp->nl[ns]) {
            rc =
                recon_fix(&dp->want, ns, &dp->links[ns], dp->cfg->prefix, &ops);
        }
    }
    if (!rc) {
        int r1 = exec_ops(dp, &ops, RECON_SET_LINK);
        int r2 = exec_ops(dp, &ops, RECON_SET_BRPORT);
        rc = r1 ? r1 : r2;
    }
    recon_ops_clear(&ops);
    return rc;
}

static int phase_fdb(struct dp *dp, enum want_ns ns)
{
    struct recon_ops ops = {0};
    struct neighs fdb;
    int rc = dump_neighs(dp, ns, true, &fdb);
    rc = rc ? rc
            : recon_fdb(&dp->want, ns, &dp->links[ns], fdb.v, fdb.n,
                        dp->cfg->prefix, &ops);
    if (!rc) {
        int r1 = exec_ops(dp, &ops, RECON_FDB_DEL);
        int r2 = exec_ops(dp, &ops, RECON_FDB_ADD);
        rc = r1 ? r1 : r2;
    }
    if (!rc && ns == WANT_NS_MAIN) {
        dp_relearn(dp, &fdb);
    }
    free(fdb.v);
    recon_ops_clear(&ops);
    return rc;
}

static int phase_neigh(struct dp *dp)
{
    struct recon_ops ops = {0};
    struct neighs nb;
    int rc = dump_neighs(dp, WANT_NS_MAIN, false, &nb);
    rc = rc ? rc
            : recon_neigh(&dp->want, &dp->links[WANT_NS_MAIN], nb.v, nb.n,
                          dp->cfg->prefix, &ops);
    if (!rc) {
        int r1 = exec_ops(dp, &ops, RECON_NEIGH_DEL);
        int r2 = exec_ops(dp, &ops, RECON_NEIGH_ADD);
        rc = r1 ? r1 : r2;
    }
    free(nb.v);
    recon_ops_clear(&ops);
    return rc;
}

/* The WAN allow-list follows the WAN locators when enabled (against a
 * fresh dump of the WAN links: a failed dump must not unhook a link);
 * otherwise a table a previous run left is removed (tried once). */
static int phase_nft(struct dp *dp)
{
    static struct log_rl rl = LOG_RL_INIT(5, 60000);
    int rc = 0;
    if (!dp->nft) {
        return 0;
    }
    if (dp->cfg->wan_allow_list) {
        rc = dump_links(dp, WANT_NS_WAN);
        rc = rc ? rc : vnft_apply(dp->nft, &dp->want, &dp->links[WANT_NS_WAN]);
        if (rc) {
            log_warn_rl(&rl, "WAN allow-list: %s", strerror(-rc));
        }
    } else if (!dp->nft_checked) {
        dp->nft_checked = true;
        int r = vnft_remove(dp->nft);
        if (r) {
            log_dbg("WAN allow-list: removing the table: %s", strerror(-r));
        }
    }
    return rc;
}

int dp_apply(struct dp *dp, const struct model *m)
{
    struct want_cfg wc;
    bool first = dp->n_progs == 0 && dp->resync;
    want_cfg_of(dp->cfg, &wc);
    int rc = want_compute(&dp->want, m, &wc);
    if (rc) {
        return rc;
    }
    dp->resync = false;
    dp->kernel_changed = false;
    dp->n_faults = 0;
    for (size_t i = 0; i < dp->want.n_faults; i++) {
        dp_add_fault(dp, dp->want.faults[i].port, dp->want.faults[i].reason);
    }
    int r[6];
    r[0] = phase_links(dp);
    r[1] = phase_fix(dp);
    dp_build_sides(dp, m);
    r[2] = phase_fdb(dp, WANT_NS_MAIN);
    r[3] = dp->nl[WANT_NS_WAN] ? phase_fdb(dp, WANT_NS_WAN) : 0;
    r[4] = phase_neigh(dp);
    dp_phase_vlans(dp, first);
    r[5] = phase_nft(dp);
    for (int i = 0; i < 6 && !rc; i++) {
        rc = r[i];
    }
    return rc;
}

/* Deletes every link of ours in namespace 'ns'. */
static int cleanup_ns(struct dp *dp, enum want_ns ns)
{
    int rc = dump_links(dp, ns);
    for (size_t i = 0; !rc && i < dp->links[ns].n; i++) {
        const struct klink *k = &dp->links[ns].v[i];
        if (recon_is_ours(k->name, dp->cfg->prefix)) {
            struct recon_op op = {
                .type = RECON_DEL_LINK, .ns = ns, .ifindex = k->ifindex};
            memcpy(op.name, k->name, sizeof op.name);
            exec_op(dp, &op);
        }
    }
    return rc;
}

int dp_cleanup(struct dp *dp)
{
    int rc = cleanup_ns(dp, WANT_NS_MAIN);
    if (dp->nl[WANT_NS_WAN]) {
        int r = cleanup_ns(dp, WANT_NS_WAN);
        rc = rc ? rc : r;
    }
    for (int i = 0; i < dp->cfg->n_ports; i++) {
        const struct klink *k =
            klinks_by_name(&dp->links[WANT_NS_MAIN], dp->cfg->ports[i]);
        if (k) {
            dp_drop_prog(dp, k, true);
        }
    }
    if (dp->nft) {
        int r = vnft_remove(dp->nft);
        rc = rc ? rc : r;
    }
    log_info("removed the kernel objects of prefix %s", dp->cfg->prefix);
    return rc;
}
