/* Reconcile of kernel state (see recon.h). */
#include "vtepd/recon.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"bridge", "vxlan", "veth"};

void recon_ops_clear(struct recon_ops *ops)
{
    free(ops->v);
    memset(ops, 0, sizeof *ops);
}

static struct recon_op *add_op(struct recon_ops *ops, enum recon_type type,
                               enum want_ns ns)
{
    if (ops->n == ops->cap) {
        size_t cap = ops->cap ? ops->cap * 2 : 32;
        struct recon_op *v = realloc(ops->v, cap * sizeof *v);
        if (!v) {
            return NULL;
        }
        ops->v = v;
        ops->cap = cap;
    }
    struct recon_op *op = &ops->v[ops->n++];
    memset(op, 0, sizeof *op);
    op->type = type;
    op->ns = ns;
    op->set.master = op->set.up = -1;
    return op;
}

bool recon_is_ours(const char *name, const char *prefix)
{
    size_t len = strlen(prefix);
    return !strncmp(name, prefix, len) && name[len] == '-';
}

/* True if the existing link 'k' can serve as wanted link 'l'. */
static bool link_matches(const struct klink *k, const struct want_link *l)
{
    if (strcmp(k->kind, kind_names[l->kind])) {
        return false;
    }
    if (l->kind == NLMSG_VXLAN && (k->vni != l->vni || k->local != l->local)) {
        return false;
    }
    return !k->alias[0] || !strcmp(k->alias, l->alias);
}

int recon_links(const struct want *w, enum want_ns ns, const struct klinks *k,
                const char *prefix, struct recon_ops *ops)
{
    bool *gone = calloc(w->n_links + 1, sizeof *gone);
    if (!gone) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < k->n; i++) {
        const struct klink *kl = &k->v[i];
        if (!recon_is_ours(kl->name, prefix)) {
            continue;
        }
        const struct want_link *l = want_link_by_name(w, ns, kl->name);
        if (l && link_matches(kl, l)) {
            continue;
        }
        struct recon_op *op = add_op(ops, RECON_DEL_LINK, ns);
        if (!op) {
            free(gone);
            return -ENOMEM;
        }
        op->ifindex = kl->ifindex;
        memcpy(op->name, kl->name, sizeof op->name);
        if (l) {
            gone[l - w->links] = true;
        }
    }
    for (size_t i = 0; i < w->n_links; i++) {
        const struct want_link *l = &w->links[i];
        if (l->ns != ns || l->by_peer ||
            (klinks_by_name(k, l->name) && !gone[i])) {
            continue;
        }
        struct recon_op *op = add_op(ops, RECON_NEW_LINK, ns);
        if (!op) {
            free(gone);
            return -ENOMEM;
        }
        op->idx = i;
        memcpy(op->name, l->name, sizeof op->name);
    }
    free(gone);
    return 0;
}

static int index_of(const struct klinks *k, const char *name)
{
    const struct klink *l = name[0] ? klinks_by_name(k, name) : NULL;
    return l ? l->ifindex : 0;
}

static bool brport_differs(const struct klink *k, const struct nlmsg_brport *p)
{
    return !k->is_brport || k->isolated != p->isolated ||
           k->neigh_suppress != p->neigh_suppress ||
           k->learning != p->learning || k->hairpin;
}

/* Link settings of 'k' towards: alias, mtu, master 'master' (ifindex, 0
 * none, < 0 leave), up, and bridge-port flags 'port' (NULL: none). */
static int fix_one(const struct klink *k, enum want_ns ns, const char *alias,
                   int mtu, int master, const struct nlmsg_brport *port,
                   struct recon_ops *ops)
{
    struct nlmsg_linkset s = {.master = -1, .up = -1};
    bool change = false;
    if (alias && strcmp(k->alias, alias)) {
        s.alias = alias;
        s.addrgen_none = change = true;
    }
    if (mtu > 0 && k->mtu != mtu) {
        s.mtu = mtu;
        change = true;
    }
    if (master >= 0 && k->master != master) {
        s.master = master;
        change = true;
    }
    /* The kernel applies "up" before the address generation mode: a new
     * link goes up in an operation of its own, after the first. */
    bool up_apart = !k->up && s.addrgen_none;
    if (!k->up && !up_apart) {
        s.up = 1;
        change = true;
    }
    struct recon_op *op = change ? add_op(ops, RECON_SET_LINK, ns) : NULL;
    if (change && !op) {
        return -ENOMEM;
    }
    if (op) {
        op->ifindex = k->ifindex;
        memcpy(op->name, k->name, sizeof op->name);
        op->set = s;
    }
    if (up_apart && !(op = add_op(ops, RECON_SET_LINK, ns))) {
        return -ENOMEM;
    }
    if (up_apart) {
        op->ifindex = k->ifindex;
        memcpy(op->name, k->name, sizeof op->name);
        op->set.up = 1;
    }
    if (port && master > 0 &&
        (k->master != master || brport_differs(k, port))) {
        op = add_op(ops, RECON_SET_BRPORT, ns);
        if (!op) {
            return -ENOMEM;
        }
        op->ifindex = k->ifindex;
        memcpy(op->name, k->name, sizeof op->name);
        op->brport = *port;
    }
    return 0;
}

static bool master_is_ours(const struct klinks *k, int master,
                           const char *prefix)
{
    const struct klink *m = master ? klinks_by_index(k, master) : NULL;
    return m && recon_is_ours(m->name, prefix);
}

int recon_fix(const struct want *w, enum want_ns ns, const struct klinks *k,
              const char *prefix, struct recon_ops *ops)
{
    static const struct nlmsg_brport phys_port = {.learning = true};
    int rc = 0;
    for (size_t i = 0; !rc && i < w->n_links; i++) {
        const struct want_link *l = &w->links[i];
        const struct klink *kl = klinks_by_name(k, l->name);
        if (l->ns != ns || !kl) {
            continue;
        }
        int master = l->master[0] ? index_of(k, l->master) : 0;
        if (l->master[0] && !master) {
            master = -1; /* its bridge is missing: next pass */
        }
        rc = fix_one(kl, ns, l->alias, l->mtu, master,
                     l->master[0] ? &l->port : NULL, ops);
    }
    for (size_t i = 0; !rc && ns == WANT_NS_MAIN && i < w->n_phys; i++) {
        const struct want_phys *ph = &w->phys[i];
        const struct klink *kl = klinks_by_name(k, ph->name);
        if (!kl) {
            continue;
        }
        int master = index_of(k, ph->master);
        if (!ph->master[0] && !master_is_ours(k, kl->master, prefix)) {
            master = -1; /* not ours to take out of its bridge */
        }
        rc = fix_one(kl, ns, NULL, 0, master, &phys_port, ops);
    }
    return rc;
}

static bool is_self_entry(const struct kneigh *e, const struct klinks *k,
                          const char *prefix, const struct klink **dev)
{
    const struct klink *l = klinks_by_index(k, e->ifindex);
    if (!l || !(e->flags & NTF_SELF) || strcmp(l->kind, "vxlan") ||
        !recon_is_ours(l->name, prefix) || !e->has_mac) {
        return false;
    }
    *dev = l;
    return true;
}

/* A static (not local, not learned) entry of one of our bridges. */
static bool is_static_entry(const struct kneigh *e, const struct klinks *k,
                            const char *prefix, const struct klink **port)
{
    const struct klink *br = e->master ? klinks_by_index(k, e->master) : NULL;
    const struct klink *l = klinks_by_index(k, e->ifindex);
    if (!br || !l || l == br || (e->flags & NTF_SELF) || !e->has_mac ||
        !recon_is_ours(br->name, prefix) || !(e->state & NUD_NOARP) ||
        (e->state & NUD_PERMANENT)) {
        return false;
    }
    *port = l;
    return true;
}

static bool fdb_equal(const struct want_fdb *f, const char *dev,
                      const uint8_t *mac, uint32_t dst, bool master)
{
    return f->master == master && !strcmp(f->dev, dev) &&
           !memcmp(f->mac, mac, 6) && (master || f->dst == dst);
}

/* The wanted entry matching dumped entry 'e' on device 'dev', or NULL
 * (binary search: want.fdb is sorted by want_fdb_cmp). */
static const struct want_fdb *find_fdb(const struct want *w, enum want_ns ns,
                                       const char *dev, const struct kneigh *e,
                                       bool master)
{
    struct want_fdb key;
    memset(&key, 0, sizeof key);
    key.ns = ns;
    key.master = master;
    key.dst = master ? 0 : e->dst;
    snprintf(key.dev, sizeof key.dev, "%s", dev);
    memcpy(key.mac, e->mac, 6);
    const struct want_fdb *f =
        w->n_fdb ? bsearch(&key, w->fdb, w->n_fdb, sizeof *w->fdb,
                           want_fdb_cmp)
                 : NULL;
    return f && fdb_equal(f, dev, e->mac, e->dst, master) ? f : NULL;
}

static int fdb_op(struct recon_ops *ops, enum recon_type t, enum want_ns ns,
                  int ifindex, const uint8_t *mac, uint32_t dst, bool master)
{
    struct recon_op *op = add_op(ops, t, ns);
    if (!op) {
        return -ENOMEM;
    }
    op->ifindex = ifindex;
    op->fdb.ifindex = ifindex;
    memcpy(op->fdb.mac, mac, 6);
    op->fdb.dst = dst;
    op->fdb.master = master;
    return 0;
}

/* Deletes dumped entries nobody wants; marks in 'have' the wanted ones
 * present. */
static int fdb_extra(const struct want *w, enum want_ns ns,
                     const struct klinks *k, const struct kneigh *fdb, size_t n,
                     const char *prefix, bool *have, struct recon_ops *ops)
{
    for (size_t i = 0; i < n; i++) {
        const struct klink *l;
        bool master;
        if (is_self_entry(&fdb[i], k, prefix, &l)) {
            master = false;
        } else if (is_static_entry(&fdb[i], k, prefix, &l)) {
            master = true;
        } else {
            continue;
        }
        const struct want_fdb *f = find_fdb(w, ns, l->name, &fdb[i], master);
        if (f && (!master || (fdb[i].flags & NTF_STICKY))) {
            have[f - w->fdb] = true;
            continue;
        }
        if (!f && fdb_op(ops, RECON_FDB_DEL, ns, l->ifindex, fdb[i].mac,
                         fdb[i].dst, master)) {
            return -ENOMEM;
        }
    }
    return 0;
}

int recon_fdb(const struct want *w, enum want_ns ns, const struct klinks *k,
              const struct kneigh *fdb, size_t n_fdb, const char *prefix,
              struct recon_ops *ops)
{
    bool *have = calloc(w->n_fdb + 1, sizeof *have);
    if (!have) {
        return -ENOMEM;
    }
    int rc = fdb_extra(w, ns, k, fdb, n_fdb, prefix, have, ops);
    for (size_t i = 0; !rc && i < w->n_fdb; i++) {
        const struct want_fdb *f = &w->fdb[i];
        const struct klink *l = klinks_by_name(k, f->dev);
        if (f->ns != ns || have[i] || !l) {
            continue;
        }
        rc = fdb_op(ops, RECON_FDB_ADD, ns, l->ifindex, f->mac, f->dst,
                    f->master);
    }
    free(have);
    return rc;
}

/* The first wanted neighbour entry for ('dev', 'ip'), or NULL (binary
 * search: want.neigh is sorted, see want_neigh_cmp). */
static const struct want_neigh *find_neigh(const struct want *w,
                                           const char *dev, uint32_t ip)
{
    struct want_neigh key;
    memset(&key, 0, sizeof key);
    snprintf(key.dev, sizeof key.dev, "%s", dev);
    key.ip = ip;
    const struct want_neigh *n =
        w->n_neigh ? bsearch(&key, w->neigh, w->n_neigh, sizeof *w->neigh,
                             want_neigh_cmp)
                   : NULL;
    while (n && n > w->neigh && !want_neigh_cmp(n - 1, &key)) {
        n--;
    }
    return n;
}

static int neigh_op(struct recon_ops *ops, enum recon_type t, int ifindex,
                    uint32_t ip, const uint8_t *mac)
{
    struct recon_op *op = add_op(ops, t, WANT_NS_MAIN);
    if (!op) {
        return -ENOMEM;
    }
    op->ifindex = ifindex;
    op->ip = ip;
    if (mac) {
        memcpy(op->mac, mac, 6);
    }
    return 0;
}

int recon_neigh(const struct want *w, const struct klinks *k,
                const struct kneigh *nb, size_t n_nb, const char *prefix,
                struct recon_ops *ops)
{
    bool *have = calloc(w->n_neigh + 1, sizeof *have);
    int rc = have ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < n_nb; i++) {
        const struct klink *l = klinks_by_index(k, nb[i].ifindex);
        if (nb[i].family != AF_INET || !l || strcmp(l->kind, "bridge") ||
            !recon_is_ours(l->name, prefix) || !(nb[i].state & NUD_PERMANENT)) {
            continue;
        }
        const struct want_neigh *n = find_neigh(w, l->name, nb[i].dst);
        if (n && nb[i].has_mac && !memcmp(n->mac, nb[i].mac, 6)) {
            have[n - w->neigh] = true;
        } else if (!n) {
            rc = neigh_op(ops, RECON_NEIGH_DEL, l->ifindex, nb[i].dst, NULL);
        }
    }
    for (size_t i = 0; !rc && i < w->n_neigh; i++) {
        const struct klink *l = klinks_by_name(k, w->neigh[i].dev);
        if (!have[i] && l) {
            rc = neigh_op(ops, RECON_NEIGH_ADD, l->ifindex, w->neigh[i].ip,
                          w->neigh[i].mac);
        }
    }
    free(have);
    return rc;
}
