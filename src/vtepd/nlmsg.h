/* Netlink request builders for l2gw-vtepd: links (bridge, vxlan, veth),
 * bridge-port flags, FDB and neighbour entries, tc clsact + cls_bpf.
 *
 * Every builder writes one request into the caller's buffer 'buf' of
 * NLMSG_BUF_SIZE bytes (aligned for struct nlmsghdr) and returns it; the
 * sequence number is 'seq'.  Nothing here does I/O, so the bytes can be
 * checked by unit tests.  Addresses are IPv4 in network byte order. */
#ifndef L2GW_VTEPD_NLMSG_H
#define L2GW_VTEPD_NLMSG_H

#include <stdbool.h>
#include <stdint.h>

struct nlmsghdr;

/* Large enough for any request built here (MNL_SOCKET_BUFFER_SIZE). */
#define NLMSG_BUF_SIZE 8192

/* The VXLAN UDP port (IANA). */
#define NLMSG_VXLAN_PORT 4789

/* Priority and handle of vtepd's cls_bpf filters. */
#define NLMSG_TC_PRIO 0x4c32 /* "L2" */
#define NLMSG_TC_HANDLE 1

enum nlmsg_kind { NLMSG_BRIDGE, NLMSG_VXLAN, NLMSG_VETH };

struct nlmsg_link {
    const char *name;
    enum nlmsg_kind kind;
    int mtu;           /* 0: kernel default */
    uint32_t vni;      /* vxlan */
    uint32_t local;    /* vxlan source address */
    int ageing_s;      /* bridge ageing time; vxlan FDB ageing */
    const char *peer;  /* veth peer name */
    int peer_netns_fd; /* veth peer namespace; < 0: same namespace */
};

/* RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL.  Bridges are created with
 * STP off and multicast snooping off; VXLAN devices with learning off on
 * port NLMSG_VXLAN_PORT.  The kernel ignores IFLA_IFALIAS and the IPv6
 * address generation mode on creation: set them with nlmsg_link_set(). */
struct nlmsghdr *nlmsg_link_new(void *buf, uint32_t seq,
                                const struct nlmsg_link *l);

struct nlmsg_linkset {
    int master;        /* < 0: unchanged; 0: no master; else ifindex */
    int up;            /* < 0: unchanged; 0: down; 1: up */
    int mtu;           /* 0: unchanged */
    const char *alias; /* NULL: unchanged */
    bool addrgen_none; /* turn IPv6 address generation off */
};

/* RTM_NEWLINK (no create) changing an existing link 'ifindex'. */
struct nlmsghdr *nlmsg_link_set(void *buf, uint32_t seq, int ifindex,
                                const struct nlmsg_linkset *s);

/* Bridge-port flags of a link enslaved to a bridge; hairpin is always
 * turned off. */
struct nlmsg_brport {
    bool isolated;
    bool neigh_suppress;
    bool learning;
};
struct nlmsghdr *nlmsg_brport_set(void *buf, uint32_t seq, int ifindex,
                                  const struct nlmsg_brport *p);

struct nlmsghdr *nlmsg_link_del(void *buf, uint32_t seq, int ifindex);
struct nlmsghdr *nlmsg_link_dump(void *buf, uint32_t seq);

/* A bridge-family FDB entry.  'master' = false: a 'self' entry of a VXLAN
 * device ('dst' the remote VTEP; the all-zero MAC with NLM_F_APPEND for
 * head-end replication, permanent).  'master' = true: a 'static sticky'
 * entry of the bridge that 'ifindex' is a port of. */
struct nlmsg_fdb {
    int ifindex;
    uint8_t mac[6];
    uint32_t dst; /* 0: none */
    bool master;
};
struct nlmsghdr *nlmsg_fdb_add(void *buf, uint32_t seq,
                               const struct nlmsg_fdb *f);
struct nlmsghdr *nlmsg_fdb_del(void *buf, uint32_t seq,
                               const struct nlmsg_fdb *f);

/* Dump of bridge-family FDB entries; 'master' > 0 restricts the dump to
 * the ports of that bridge (and the bridge itself). */
struct nlmsghdr *nlmsg_fdb_dump(void *buf, uint32_t seq, int master);

/* A permanent IPv4 neighbour ('mac' NULL for a delete). */
struct nlmsghdr *nlmsg_neigh_add(void *buf, uint32_t seq, int ifindex,
                                 uint32_t ip, const uint8_t mac[6]);
struct nlmsghdr *nlmsg_neigh_del(void *buf, uint32_t seq, int ifindex,
                                 uint32_t ip);
struct nlmsghdr *nlmsg_neigh_dump(void *buf, uint32_t seq);

/* tc: the clsact qdisc; a direct-action cls_bpf filter with program 'fd'
 * on the ingress hook (priority NLMSG_TC_PRIO, created or replaced); its
 * removal. */
struct nlmsghdr *nlmsg_clsact_add(void *buf, uint32_t seq, int ifindex);
struct nlmsghdr *nlmsg_bpf_filter_add(void *buf, uint32_t seq, int ifindex,
                                      int fd, const char *name);
struct nlmsghdr *nlmsg_bpf_filter_del(void *buf, uint32_t seq, int ifindex);

#endif
