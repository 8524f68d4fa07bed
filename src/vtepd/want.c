/* From the database's model to the wanted kernel objects (see want.h). */
#include "vtepd/want.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VLAN_MAX 4095

static int push(void **v, size_t *n, size_t *cap, size_t size, const void *x)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        void *nv = realloc(*v, c * size);
        if (!nv) {
            return -ENOMEM;
        }
        *v = nv;
        *cap = c;
    }
    memcpy((char *)*v + *n * size, x, size);
    (*n)++;
    return 0;
}

void want_clear(struct want *w)
{
    free(w->links);
    free(w->fdb);
    free(w->neigh);
    free(w->phys);
    free(w->faults);
    free(w->ls);
    memset(w, 0, sizeof *w);
}

bool want_ls_active(const struct model *m, size_t ls)
{
    if (!m->ls[ls].has_key) {
        return false;
    }
    for (size_t i = 0; i < m->n_bindings; i++) {
        if (m->bindings[i].ls == ls) {
            return true;
        }
    }
    for (size_t i = 0; i < m->n_macs; i++) {
        if (m->macs[i].ls == ls) {
            return true;
        }
    }
    for (size_t i = 0; i < m->n_floods; i++) {
        if (m->floods[i].ls == ls) {
            return true;
        }
    }
    return false;
}

const struct want_link *want_link_by_name(const struct want *w, enum want_ns ns,
                                          const char *name)
{
    for (size_t i = 0; i < w->n_links; i++) {
        if (w->links[i].ns == ns && !strcmp(w->links[i].name, name)) {
            return &w->links[i];
        }
    }
    return NULL;
}

/* Context of one computation. */
struct ctx {
    struct want *w;
    const struct model *m;
    const struct want_cfg *cfg;
    uint32_t *wan_keys; /* WAN keys already given to a switch */
    size_t n_wan_keys, cap_wan_keys;
};

/* Formats an interface name (names never exceed 15 characters with the
 * limits of vconf.h; longer results are cut). */
static void __attribute__((format(printf, 2, 3)))
ifname_fmt(char *out, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    memcpy(out, tmp, MODEL_IFNAMSIZ - 1);
    out[MODEL_IFNAMSIZ - 1] = '\0';
}

static bool own_address(const struct ctx *c, uint32_t ip)
{
    return !ip || ip == c->cfg->tunnel_ip || ip == c->cfg->wan_ip;
}

static void link_name(const struct ctx *c, char *out, char role, uint32_t n)
{
    ifname_fmt(out, "%s-%c%u", c->cfg->prefix, role, n);
}

static void link_alias(const struct ctx *c, struct want_link *l,
                       const char *role, const char *extra)
{
    const struct model_ls *ls = &c->m->ls[l->ls];
    snprintf(l->alias, sizeof l->alias, "%s ls=%s key=%u role=%s%s",
             WANT_ALIAS_TAG, ls->name, ls->key, role, extra ? extra : "");
}

static int add_link(struct ctx *c, const struct want_link *l)
{
    return push((void **)&c->w->links, &c->w->n_links, &c->w->cap_links,
                sizeof *l, l);
}

/* Queues an FDB entry; duplicates are dropped once everything is queued
 * (sort_fdb), so that queueing stays O(1) with many remote MACs. */
static int add_fdb(struct ctx *c, enum want_ns ns, const char *dev,
                   const uint8_t *mac, uint32_t dst, bool master)
{
    struct want_fdb f;
    memset(&f, 0, sizeof f);
    f.ns = ns;
    f.dst = master ? 0 : dst;
    f.master = master;
    snprintf(f.dev, sizeof f.dev, "%s", dev);
    if (mac) {
        memcpy(f.mac, mac, 6);
    }
    return push((void **)&c->w->fdb, &c->w->n_fdb, &c->w->cap_fdb, sizeof f,
                &f);
}

int want_fdb_cmp(const void *a_, const void *b_)
{
    const struct want_fdb *a = a_, *b = b_;
    int r;
    if (a->ns != b->ns) {
        return a->ns < b->ns ? -1 : 1;
    }
    if (a->master != b->master) {
        return a->master ? 1 : -1;
    }
    if ((r = strcmp(a->dev, b->dev)) || (r = memcmp(a->mac, b->mac, 6))) {
        return r;
    }
    return a->dst == b->dst ? 0 : a->dst < b->dst ? -1 : 1;
}

int want_neigh_cmp(const void *a_, const void *b_)
{
    const struct want_neigh *a = a_, *b = b_;
    int r = strcmp(a->dev, b->dev);
    if (r || a->ip == b->ip) {
        return r;
    }
    return a->ip < b->ip ? -1 : 1;
}

/* Orders the neighbour entries for find_neigh(): by (dev, ip), then MAC,
 * so that of two MACs claiming one IP the lower one wins, whatever the
 * order of the rows. */
static int neigh_order(const void *a, const void *b)
{
    int r = want_neigh_cmp(a, b);
    return r ? r
             : memcmp(((const struct want_neigh *)a)->mac,
                      ((const struct want_neigh *)b)->mac, 6);
}

/* Sorts the FDB entries (want_fdb_cmp) and drops duplicates. */
static void sort_fdb(struct want *w)
{
    size_t k = 0;
    if (!w->n_fdb) {
        return;
    }
    qsort(w->fdb, w->n_fdb, sizeof *w->fdb, want_fdb_cmp);
    for (size_t i = 1; i < w->n_fdb; i++) {
        if (want_fdb_cmp(&w->fdb[k], &w->fdb[i])) {
            w->fdb[++k] = w->fdb[i];
        }
    }
    w->n_fdb = k + 1;
}

static int add_fault(struct ctx *c, const char *port, const char *reason)
{
    struct want_fault f;
    snprintf(f.port, sizeof f.port, "%s", port);
    snprintf(f.reason, sizeof f.reason, "%s", reason);
    for (size_t i = 0; i < c->w->n_faults; i++) {
        if (!strcmp(c->w->faults[i].port, port) &&
            !strcmp(c->w->faults[i].reason, reason)) {
            return 0;
        }
    }
    return push((void **)&c->w->faults, &c->w->n_faults, &c->w->cap_faults,
                sizeof f, &f);
}

static void base_link(const struct ctx *c, struct want_link *l, size_t ls,
                      char role, uint32_t n)
{
    memset(l, 0, sizeof *l);
    l->ls = ls;
    link_name(c, l->name, role, n);
}

static void port_of(const struct ctx *c, struct want_link *l,
                    const char *bridge, bool isolated, bool tunnel,
                    bool learning)
{
    snprintf(l->master, sizeof l->master, "%s", bridge);
    l->port.isolated = isolated;
    l->port.neigh_suppress = tunnel && c->cfg->arp_suppression;
    l->port.learning = learning;
}

/* The bridge and cloud-side VXLAN device of switch 'ls'. */
static int add_switch(struct ctx *c, size_t ls, char *bridge)
{
    uint32_t key = c->m->ls[ls].key;
    struct want_link br, vx;
    base_link(c, &br, ls, 'b', key);
    br.kind = NLMSG_BRIDGE;
    link_alias(c, &br, "bridge", NULL);
    base_link(c, &vx, ls, 'v', key);
    vx.kind = NLMSG_VXLAN;
    vx.vni = key;
    vx.local = c->cfg->tunnel_ip;
    vx.mtu = c->cfg->mtu;
    link_alias(c, &vx, "vxlan", NULL);
    port_of(c, &vx, br.name, false, true, true);
    memcpy(bridge, br.name, MODEL_IFNAMSIZ);
    struct want_ls wl = {.ls = ls};
    memcpy(wl.bridge, br.name, sizeof wl.bridge);
    int rc = add_link(c, &br);
    rc = rc ? rc : add_link(c, &vx);
    return rc ? rc
              : push((void **)&c->w->ls, &c->w->n_ls, &c->w->cap_ls, sizeof wl,
                     &wl);
}

static bool wan_key_taken(struct ctx *c, uint32_t key)
{
    for (size_t i = 0; i < c->n_wan_keys; i++) {
        if (c->wan_keys[i] == key) {
            return true;
        }
    }
    return false;
}

/* The WAN objects of key 'key' for switch 'ls' (bridge 'bridge'). */
static int add_wan(struct ctx *c, size_t ls, const char *bridge, uint32_t key)
{
    struct want_link wb, wx, w, p;
    char extra[32];
    snprintf(extra, sizeof extra, " wan=%u", key);
    base_link(c, &wb, ls, 'k', key);
    wb.ns = WANT_NS_WAN;
    wb.kind = NLMSG_BRIDGE;
    link_alias(c, &wb, "wan-bridge", extra);
    base_link(c, &wx, ls, 'x', key);
    wx.ns = WANT_NS_WAN;
    wx.kind = NLMSG_VXLAN;
    wx.vni = key;
    wx.local = c->cfg->wan_ip;
    wx.mtu = c->cfg->mtu;
    link_alias(c, &wx, "wan-vxlan", extra);
    port_of(c, &wx, wb.name, false, false, false);
    base_link(c, &w, ls, 'w', key);
    w.kind = NLMSG_VETH;
    w.mtu = c->cfg->mtu;
    link_name(c, w.peer, 'p', key);
    w.peer_ns = WANT_NS_WAN;
    link_alias(c, &w, "wan-port", extra);
    port_of(c, &w, bridge, true, true, true);
    base_link(c, &p, ls, 'p', key);
    p.ns = WANT_NS_WAN;
    p.kind = NLMSG_VETH;
    p.mtu = c->cfg->mtu;
    p.by_peer = true;
    memcpy(p.peer, w.name, sizeof p.peer);
    link_alias(c, &p, "wan-peer", extra);
    port_of(c, &p, wb.name, false, false, false);
    int rc = add_link(c, &wb);
    rc = rc ? rc : add_link(c, &wx);
    rc = rc ? rc : add_link(c, &w);
    rc = rc ? rc : add_link(c, &p);
    return rc ? rc
              : push((void **)&c->wan_keys, &c->n_wan_keys, &c->cap_wan_keys,
                     sizeof key, &key);
}

/* Every WAN key that switch 'ls' uses (from its remote MACs and flood
 * set), each once; keys another switch took first are skipped. */
static int add_wans(struct ctx *c, size_t ls, const char *bridge)
{
    const struct model *m = c->m;
    size_t n = m->n_macs + m->n_floods;
    for (size_t i = 0; i < n && c->cfg->wan_ip; i++) {
        const struct model_loc *loc =
            i < m->n_macs ? &m->macs[i].loc : &m->floods[i - m->n_macs].loc;
        size_t owner =
            i < m->n_macs ? m->macs[i].ls : m->floods[i - m->n_macs].ls;
        if (owner != ls || !loc->has_key || own_address(c, loc->ip) ||
            wan_key_taken(c, loc->key)) {
            continue;
        }
        int rc = add_wan(c, ls, bridge, loc->key);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* The VXLAN device and bridge port towards locator 'loc' of switch 'ls',
 * or false if none (own address, or a WAN key without its device). */
static bool tunnel_of(const struct ctx *c, size_t ls,
                      const struct model_loc *loc, enum want_ns *ns, char *dev,
                      char *port)
{
    if (own_address(c, loc->ip)) {
        return false;
    }
    char name[MODEL_IFNAMSIZ];
    link_name(c, name, loc->has_key ? 'w' : 'v',
              loc->has_key ? loc->key : c->m->ls[ls].key);
    const struct want_link *l = want_link_by_name(c->w, WANT_NS_MAIN, name);
    if (!l || l->ls != ls) {
        return false;
    }
    memcpy(port, name, MODEL_IFNAMSIZ);
    *ns = loc->has_key ? WANT_NS_WAN : WANT_NS_MAIN;
    link_name(c, dev, loc->has_key ? 'x' : 'v',
              loc->has_key ? loc->key : c->m->ls[ls].key);
    return true;
}

static int add_macs(struct ctx *c, size_t ls, const char *bridge)
{
    for (size_t i = 0; i < c->m->n_macs; i++) {
        const struct model_mac *mm = &c->m->macs[i];
        enum want_ns ns;
        char dev[MODEL_IFNAMSIZ], port[MODEL_IFNAMSIZ];
        if (mm->ls != ls || !tunnel_of(c, ls, &mm->loc, &ns, dev, port)) {
            continue;
        }
        int rc = add_fdb(c, ns, dev, mm->mac, mm->loc.ip, false);
        rc = rc ? rc : add_fdb(c, WANT_NS_MAIN, port, mm->mac, 0, true);
        if (!rc && mm->ip && c->cfg->arp_suppression) {
            struct want_neigh n = {.ip = mm->ip};
            memcpy(n.dev, bridge, sizeof n.dev);
            memcpy(n.mac, mm->mac, 6);
            rc = push((void **)&c->w->neigh, &c->w->n_neigh, &c->w->cap_neigh,
                      sizeof n, &n);
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* The flood set: every member of a WAN group; of the local group every
 * member, or with replication_mode service_node only the lowest address
 * (the service node replicates for the group). */
static int add_floods(struct ctx *c, size_t ls)
{
    bool service = c->m->ls[ls].service_node;
    uint32_t lowest = 0;
    for (size_t i = 0; service && i < c->m->n_floods; i++) {
        const struct model_flood *f = &c->m->floods[i];
        uint32_t ip = ntohl(f->loc.ip);
        if (f->ls == ls && !f->loc.has_key && !own_address(c, f->loc.ip) &&
            (!lowest || ip < lowest)) {
            lowest = ip;
        }
    }
    for (size_t i = 0; i < c->m->n_floods; i++) {
        const struct model_flood *f = &c->m->floods[i];
        enum want_ns ns;
        char dev[MODEL_IFNAMSIZ], port[MODEL_IFNAMSIZ];
        if (f->ls != ls || !tunnel_of(c, ls, &f->loc, &ns, dev, port) ||
            (service && !f->loc.has_key && ntohl(f->loc.ip) != lowest)) {
            continue;
        }
        int rc = add_fdb(c, ns, dev, NULL, f->loc.ip, false);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int add_vlan_link(struct ctx *c, size_t pi, uint16_t vlan, size_t ls,
                         const char *bridge)
{
    struct want_link q, r;
    char extra[64];
    snprintf(extra, sizeof extra, " port=%s vlan=%u", c->cfg->ports[pi], vlan);
    memset(&q, 0, sizeof q);
    q.ls = ls;
    ifname_fmt(q.name, "%s-q%zuv%u", c->cfg->prefix, pi, vlan);
    ifname_fmt(q.peer, "%s-r%zuv%u", c->cfg->prefix, pi, vlan);
    q.kind = NLMSG_VETH;
    link_alias(c, &q, "vlan", extra);
    r = q;
    memcpy(r.name, q.peer, sizeof r.name);
    memcpy(r.peer, q.name, sizeof r.peer);
    r.by_peer = true;
    r.physical_side = true;
    link_alias(c, &r, "vlan-port", extra);
    port_of(c, &r, bridge, false, false, true);
    int rc = add_link(c, &q);
    return rc ? rc : add_link(c, &r);
}

static const struct want_ls *ls_bridge(const struct want *w, size_t ls)
{
    for (size_t i = 0; i < w->n_ls; i++) {
        if (w->ls[i].ls == ls) {
            return &w->ls[i];
        }
    }
    return NULL;
}

/* One binding of configured port 'pi'. */
static int add_binding(struct ctx *c, size_t pi, const struct model_binding *b)
{
    struct want_phys *ph = &c->w->phys[pi];
    const struct want_ls *wl = ls_bridge(c->w, b->ls);
    if (!wl) {
        return 0; /* no key yet, or a key another switch has */
    }
    if (b->vlan < 0 || b->vlan > VLAN_MAX) {
        return add_fault(c, ph->name, "invalid_vlan_map");
    }
    if (b->vlan == 0) {
        memcpy(ph->master, wl->bridge, sizeof ph->master);
        ph->master_ls = b->ls;
        return 0;
    }
    if (ph->n_vlans == WANT_MAX_VLANS_PER_PORT) {
        return add_fault(c, ph->name, "invalid_vlan_map");
    }
    struct want_vlan *v = &ph->vlans[ph->n_vlans++];
    v->vlan = (uint16_t)b->vlan;
    ifname_fmt(v->veth, "%s-q%zuv%u", c->cfg->prefix, pi, v->vlan);
    return add_vlan_link(c, pi, v->vlan, b->ls, wl->bridge);
}

static int add_bindings(struct ctx *c)
{
    c->w->phys =
        calloc(c->cfg->n_ports ? c->cfg->n_ports : 1, sizeof *c->w->phys);
    if (!c->w->phys) {
        return -ENOMEM;
    }
    c->w->n_phys = c->cfg->n_ports;
    for (size_t pi = 0; pi < c->cfg->n_ports; pi++) {
        memcpy(c->w->phys[pi].name, c->cfg->ports[pi], MODEL_IFNAMSIZ);
    }
    for (size_t i = 0; i < c->m->n_bindings; i++) {
        const struct model_binding *b = &c->m->bindings[i];
        size_t pi = 0;
        while (pi < c->cfg->n_ports && strcmp(c->cfg->ports[pi], b->port)) {
            pi++;
        }
        int rc = pi == c->cfg->n_ports
                     ? add_fault(c, b->port, "invalid_vlan_map")
                     : add_binding(c, pi, b);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static bool key_taken(const struct want *w, const struct model *m, uint32_t key)
{
    for (size_t i = 0; i < w->n_ls; i++) {
        if (m->ls[w->ls[i].ls].key == key) {
            return true;
        }
    }
    return false;
}

int want_compute(struct want *w, const struct model *m,
                 const struct want_cfg *cfg)
{
    struct ctx c = {.w = w, .m = m, .cfg = cfg};
    int rc = 0;
    want_clear(w);
    for (size_t i = 0; !rc && i < m->n_ls; i++) {
        char bridge[MODEL_IFNAMSIZ];
        if (!want_ls_active(m, i) || key_taken(w, m, m->ls[i].key)) {
            continue;
        }
        rc = add_switch(&c, i, bridge);
        rc = rc ? rc : add_wans(&c, i, bridge);
        rc = rc ? rc : add_macs(&c, i, bridge);
        rc = rc ? rc : add_floods(&c, i);
    }
    rc = rc ? rc : add_bindings(&c);
    free(c.wan_keys);
    if (!rc) {
        sort_fdb(w);
        if (w->n_neigh) {
            qsort(w->neigh, w->n_neigh, sizeof *w->neigh, neigh_order);
        }
    }
    return rc;
}
