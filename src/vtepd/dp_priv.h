/* Internals of the dataplane shared by dp.c (passes, netlink execution,
 * faults), dp_vlan.c (VLAN programs) and dp_learn.c (learned MACs). */
#ifndef L2GW_VTEPD_DP_PRIV_H
#define L2GW_VTEPD_DP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/dp.h"
#include "vtepd/kstate.h"
#include "vtepd/nlmsg.h"
#include "vtepd/want.h"

struct nl;
struct vconf;
struct vnft;

/* Longest text kept to recognise a VLAN program already attached. */
#define DP_SIG_MAX 1024

struct dp_prog { /* a cls_bpf program we attached */
    char dev[MODEL_IFNAMSIZ];
    char sig[DP_SIG_MAX];
};

struct dp_kv { /* a physical-side port and the LS of its bridge */
    int port, bridge;
    char ls_uuid[MODEL_UUID_LEN + 1];
};

struct dp {
    const struct vconf *cfg;
    struct nl *nl[2];   /* per want_ns */
    struct nl *monitor; /* FDB notifications, main namespace */
    int wan_fd;         /* WAN namespace, or -1 */
    struct vnft *nft;   /* WAN allow-list, or NULL */
    bool nft_checked;   /* allow-list off: a leftover table was removed */
    struct want want;
    struct klinks links[2];
    struct dp_mac *learned;
    size_t n_learned;
    uint64_t learned_seqno;
    struct dp_kv *sides; /* physical-side ports of the last pass */
    size_t n_sides;
    struct dp_prog *progs;
    size_t n_progs;
    struct dp_fault *faults;
    size_t n_faults;
    bool resync;
    bool kernel_changed; /* see dp_kernel_changed() */
    char buf[NLMSG_BUF_SIZE] __attribute__((aligned(8)));
};

/* AF_BRIDGE or AF_INET entries of one dump. */
struct neighs {
    struct kneigh *v;
    size_t n, cap;
};

/* Records a port fault for the current pass (dp.c). */
void dp_add_fault(struct dp *dp, const char *port, const char *reason);

/* Attaches, replaces or removes the VLAN programs of every configured
 * port; 'first' also removes filters a previous run may have left
 * (dp_vlan.c). */
void dp_phase_vlans(struct dp *dp, bool first);

/* Removes our filter from link 'k' if we attached one ('force': in any
 * case). */
void dp_drop_prog(struct dp *dp, const struct klink *k, bool force);

/* The physical-side ports of the wanted state and their switches, from
 * the links just dumped (dp_learn.c). */
void dp_build_sides(struct dp *dp, const struct model *m);

/* Rebuilds the learned set from an FDB dump of the main namespace. */
void dp_relearn(struct dp *dp, const struct neighs *fdb);

#endif
