/* Reconcile: the operations that turn the kernel state as dumped into the
 * wanted state (pure computation; dp.c executes them in order).
 *
 * Ownership: only links whose name starts with "<prefix>-" are ever
 * deleted; a prefixed link whose kind, key or local address differs from
 * the wanted one, or whose alias names another purpose, is deleted and
 * created anew.  Physical ports are only moved in or out of the bridges.
 * FDB entries are compared on the VXLAN devices ('self' entries) and on
 * the bridges (static entries); learned entries are left alone. */
#ifndef L2GW_VTEPD_RECON_H
#define L2GW_VTEPD_RECON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/kstate.h"
#include "vtepd/nlmsg.h"
#include "vtepd/want.h"

enum recon_type {
    RECON_DEL_LINK,   /* ifindex, name */
    RECON_NEW_LINK,   /* want link 'idx' */
    RECON_SET_LINK,   /* ifindex, set */
    RECON_SET_BRPORT, /* ifindex, brport */
    RECON_FDB_DEL,    /* fdb */
    RECON_FDB_ADD,    /* fdb */
    RECON_NEIGH_DEL,  /* ifindex, ip */
    RECON_NEIGH_ADD,  /* ifindex, ip, mac */
};

struct recon_op {
    enum recon_type type;
    enum want_ns ns;
    int ifindex;
    char name[MODEL_IFNAMSIZ];
    size_t idx;
    struct nlmsg_linkset set;
    struct nlmsg_brport brport;
    struct nlmsg_fdb fdb;
    uint32_t ip;
    uint8_t mac[6];
};

struct recon_ops {
    struct recon_op *v;
    size_t n, cap;
};

/* Every recon_*() below appends to 'ops' (which may already hold
 * operations) and returns 0 or -ENOMEM; the caller frees the array with
 * recon_ops_clear().  Inputs are borrowed. */
void recon_ops_clear(struct recon_ops *ops);

/* Phase 1, per namespace: delete prefixed links that are not wanted or
 * not as wanted, create the missing ones (the peer end of a veth comes
 * with it). */
int recon_links(const struct want *w, enum want_ns ns, const struct klinks *k,
                const char *prefix, struct recon_ops *ops);

/* Phase 2, after phase 1 ran and the links were dumped again: alias,
 * MTU, master, bridge-port flags and the up state of every wanted link,
 * and the master of every configured physical port ('phys_exists' says
 * whether a port is there).  A port leaves a bridge of ours that it
 * should not be in. */
int recon_fix(const struct want *w, enum want_ns ns, const struct klinks *k,
              const char *prefix, struct recon_ops *ops);

/* Phase 3: FDB entries of namespace 'ns'.  'fdb' are the AF_BRIDGE
 * entries dumped there; 'k' its links. */
int recon_fdb(const struct want *w, enum want_ns ns, const struct klinks *k,
              const struct kneigh *fdb, size_t n_fdb, const char *prefix,
              struct recon_ops *ops);

/* Phase 4: permanent IPv4 neighbours on the bridges (main namespace). */
int recon_neigh(const struct want *w, const struct klinks *k,
                const struct kneigh *nb, size_t n_nb, const char *prefix,
                struct recon_ops *ops);

/* True if 'name' is a kernel object name of ours. */
bool recon_is_ours(const char *name, const char *prefix);

#endif
