/* The kernel objects a model asks for (pure computation, no I/O).
 *
 * Port layout, per instantiated Logical_Switch with key V (names shown
 * for prefix "lv"; K is a WAN key):
 *
 *   main namespace                             WAN namespace
 *   lv-bV  bridge (silent, no addresses)
 *    ├─ lv-vV   VXLAN key V, local tunnel_ip   (compute nodes; one port)
 *    ├─ eth1    physical port, VLAN 0 binding
 *    ├─ lv-rNvM veth; peer lv-qNvM carries     (port N, VLAN M; cls_bpf
 *    │          VLAN M of port N                pops/pushes the tag)
 *    └─ lv-wK   veth ISOLATED ─────────────── lv-pK ─┐ lv-kK bridge
 *                                              lv-xK ─┘ (VXLAN key K,
 *                                                        local wan_ip)
 *
 * Forwarding follows from the bridge's two rules (a frame never leaves by
 * the port it came in by; an isolated port never sends to another
 * isolated port):
 *  - compute → compute: all compute nodes sit behind the one port lv-vV,
 *    so the bridge never relays between them (split horizon of the local
 *    group); lv-vV itself is not isolated;
 *  - compute → physical ports and WAN: lv-vV is not isolated, so it
 *    reaches every port, WAN ports included;
 *  - WAN → physical ports and compute: lv-wK is isolated, the others are
 *    not;
 *  - WAN → WAN: every lv-wK is isolated, so no WAN group relays to
 *    another; within one group all peers of key K sit behind lv-xK, which
 *    never sends a frame back out (full mesh, no loops);
 *  - physical ports are not isolated and reach everything.
 * Head-end replication lives in the VXLAN devices' all-zero FDB entries;
 * known remote MACs get a 'self' entry on their VXLAN device and a static
 * sticky entry on the bridge port towards it. */
#ifndef L2GW_VTEPD_WANT_H
#define L2GW_VTEPD_WANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/model.h"
#include "vtepd/nlmsg.h"

#define WANT_ALIAS_MAX 256
#define WANT_ALIAS_TAG "l2gw-vtepd"
#define WANT_MAX_VLANS_PER_PORT 256

enum want_ns { WANT_NS_MAIN, WANT_NS_WAN };

struct want_link {
    char name[MODEL_IFNAMSIZ];
    enum want_ns ns;
    enum nlmsg_kind kind;
    char alias[WANT_ALIAS_MAX];
    uint32_t vni, local;
    int mtu;
    char peer[MODEL_IFNAMSIZ]; /* veth */
    enum want_ns peer_ns;
    char master[MODEL_IFNAMSIZ]; /* "" none (same namespace) */
    struct nlmsg_brport port;    /* if master */
    bool physical_side;          /* MACs learned here become local rows */
    bool by_peer;                /* the peer end of a veth listed before */
    size_t ls;                   /* model index */
};

struct want_fdb {
    enum want_ns ns;
    char dev[MODEL_IFNAMSIZ];
    uint8_t mac[6];
    uint32_t dst;  /* 0 for 'master' entries */
    bool master; /* static sticky bridge entry on port 'dev' */
};

/* The order of want.fdb (sorted, no duplicates): ns, master, dev, mac,
 * dst.  A qsort()/bsearch() comparator. */
int want_fdb_cmp(const void *a, const void *b);

struct want_neigh {
    char dev[MODEL_IFNAMSIZ];
    uint32_t ip;
    uint8_t mac[6];
};

/* want.neigh is sorted by (dev, ip) (then MAC); this compares (dev, ip). */
int want_neigh_cmp(const void *a, const void *b);

struct want_vlan {
    uint16_t vlan;
    char veth[MODEL_IFNAMSIZ]; /* the end outside the bridge */
};

/* A configured physical port: where it goes and which VLANs it carries. */
struct want_phys {
    char name[MODEL_IFNAMSIZ];
    char master[MODEL_IFNAMSIZ]; /* VLAN 0 binding's bridge, or "" */
    size_t master_ls;
    struct want_vlan vlans[WANT_MAX_VLANS_PER_PORT];
    size_t n_vlans;
};

/* A binding that cannot be realised. */
struct want_fault {
    char port[MODEL_IFNAMSIZ];
    char reason[64];
};

/* The LS instantiated, with its bridge. */
struct want_ls {
    size_t ls;
    char bridge[MODEL_IFNAMSIZ];
};

struct want_cfg {
    const char *prefix;
    uint32_t tunnel_ip, wan_ip;
    int mtu, ageing_time;
    bool arp_suppression;
    const char (*ports)[MODEL_IFNAMSIZ];
    size_t n_ports;
};

struct want {
    struct want_link *links;
    size_t n_links, cap_links;
    struct want_fdb *fdb;
    size_t n_fdb, cap_fdb;
    struct want_neigh *neigh;
    size_t n_neigh, cap_neigh;
    struct want_phys *phys; /* one per configured port */
    size_t n_phys;
    struct want_fault *faults;
    size_t n_faults, cap_faults;
    struct want_ls *ls;
    size_t n_ls, cap_ls;
};

/* Computes 'w' (emptied first) from model 'm' and 'cfg'.  Links come in
 * creation order (bridges before their ports).  0 or -ENOMEM.  Free with
 * want_clear(). */
int want_compute(struct want *w, const struct model *m,
                 const struct want_cfg *cfg);
void want_clear(struct want *w);

const struct want_link *want_link_by_name(const struct want *w, enum want_ns ns,
                                          const char *name);

/* True if the model instantiates Logical_Switch 'ls': it has a key and a
 * binding, a remote MAC or a flood member. */
bool want_ls_active(const struct model *m, size_t ls);

#endif
