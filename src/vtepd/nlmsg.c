/* Netlink request builders (see nlmsg.h). */
#include "vtepd/nlmsg.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#ifndef ETH_P_ALL
#define ETH_P_ALL 0x0003
#endif

static struct nlmsghdr *put_header(void *buf, uint32_t seq, uint16_t type,
                                   uint16_t flags)
{
    memset(buf, 0, NLMSG_BUF_SIZE);
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = seq;
    return nlh;
}

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int family,
                                    int ifindex)
{
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
    ifi->ifi_family = (unsigned char)family;
    ifi->ifi_index = ifindex;
    return ifi;
}

/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE: none } } */
static void put_addrgen_none(struct nlmsghdr *nlh)
{
    struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
    struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);
    mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
    mnl_attr_nest_end(nlh, in6);
    mnl_attr_nest_end(nlh, spec);
}

static void put_bridge_data(struct nlmsghdr *nlh, const struct nlmsg_link *l)
{
    mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, 0);
    mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
    if (l->ageing_s > 0) {
        /* In centiseconds. */
        mnl_attr_put_u32(nlh, IFLA_BR_AGEING_TIME, (uint32_t)l->ageing_s * 100);
    }
}

static void put_vxlan_data(struct nlmsghdr *nlh, const struct nlmsg_link *l)
{
    mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, l->vni);
    mnl_attr_put_u32(nlh, IFLA_VXLAN_LOCAL, l->local);
    mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
    mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(NLMSG_VXLAN_PORT));
    if (l->ageing_s > 0) {
        mnl_attr_put_u32(nlh, IFLA_VXLAN_AGEING, (uint32_t)l->ageing_s);
    }
}

static void put_veth_data(struct nlmsghdr *nlh, const struct nlmsg_link *l)
{
    struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    put_ifinfo(nlh, AF_UNSPEC, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, l->peer);
    if (l->peer_netns_fd >= 0) {
        mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)l->peer_netns_fd);
    }
    if (l->mtu > 0) {
        mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)l->mtu);
    }
    mnl_attr_nest_end(nlh, peer);
}

struct nlmsghdr *nlmsg_link_new(void *buf, uint32_t seq,
                                const struct nlmsg_link *l)
{
    static const char *const kinds[] = {"bridge", "vxlan", "veth"};
    struct nlmsghdr *nlh = put_header(buf, seq, RTM_NEWLINK,
                                      NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, AF_UNSPEC, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, l->name);
    if (l->mtu > 0) {
        mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)l->mtu);
    }
    struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kinds[l->kind]);
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    if (l->kind == NLMSG_BRIDGE) {
        put_bridge_data(nlh, l);
    } else if (l->kind == NLMSG_VXLAN) {
        put_vxlan_data(nlh, l);
    } else {
        put_veth_data(nlh, l);
    }
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, info);
    return nlh;
}

struct nlmsghdr *nlmsg_link_set(void *buf, uint32_t seq, int ifindex,
                                const struct nlmsg_linkset *s)
{
    struct nlmsghdr *nlh = put_header(buf, seq, RTM_NEWLINK, NLM_F_ACK);
    struct ifinfomsg *ifi = put_ifinfo(nlh, AF_UNSPEC, ifindex);
    if (s->up >= 0) {
        ifi->ifi_change = IFF_UP;
        ifi->ifi_flags = s->up ? IFF_UP : 0;
    }
    if (s->master >= 0) {
        mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)s->master);
    }
    if (s->mtu > 0) {
        mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)s->mtu);
    }
    if (s->alias) {
        mnl_attr_put_strz(nlh, IFLA_IFALIAS, s->alias);
    }
    if (s->addrgen_none) {
        put_addrgen_none(nlh);
    }
    return nlh;
}

struct nlmsghdr *nlmsg_brport_set(void *buf, uint32_t seq, int ifindex,
                                  const struct nlmsg_brport *p)
{
    struct nlmsghdr *nlh = put_header(buf, seq, RTM_NEWLINK, NLM_F_ACK);
    put_ifinfo(nlh, AF_UNSPEC, ifindex);
    struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bridge");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, 0); /* hairpin off */
    mnl_attr_put_u8(nlh, IFLA_BRPORT_LEARNING, p->learning);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_NEIGH_SUPPRESS, p->neigh_suppress);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_ISOLATED, p->isolated);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, info);
    return nlh;
}

struct nlmsghdr *nlmsg_link_del(void *buf, uint32_t seq, int ifindex)
{
    struct nlmsghdr *nlh = put_header(buf, seq, RTM_DELLINK, NLM_F_ACK);
    put_ifinfo(nlh, AF_UNSPEC, ifindex);
    return nlh;
}

struct nlmsghdr *nlmsg_link_dump(void *buf, uint32_t seq)
{
    struct nlmsghdr *nlh = put_header(buf, seq, RTM_GETLINK, NLM_F_DUMP);
    put_ifinfo(nlh, AF_UNSPEC, 0);
    return nlh;
}

static struct nlmsghdr *put_fdb(void *buf, uint32_t seq, uint16_t type,
                                uint16_t flags, const struct nlmsg_fdb *f)
{
    struct nlmsghdr *nlh = put_header(buf, seq, type, NLM_F_ACK | flags);
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = AF_BRIDGE;
    ndm->ndm_ifindex = f->ifindex;
    if (f->master) {
        ndm->ndm_state = NUD_NOARP;
        ndm->ndm_flags = NTF_MASTER | NTF_STICKY;
    } else {
        ndm->ndm_state = NUD_PERMANENT;
        ndm->ndm_flags = NTF_SELF;
    }
    mnl_attr_put(nlh, NDA_LLADDR, 6, f->mac);
    if (f->dst) {
        mnl_attr_put(nlh, NDA_DST, 4, &f->dst);
    }
    return nlh;
}

static bool mac_is_zero(const uint8_t mac[6])
{
    return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

struct nlmsghdr *nlmsg_fdb_add(void *buf, uint32_t seq,
                               const struct nlmsg_fdb *f)
{
    uint16_t flags = NLM_F_CREATE;
    flags |= (!f->master && mac_is_zero(f->mac)) ? NLM_F_APPEND : NLM_F_REPLACE;
    return put_fdb(buf, seq, RTM_NEWNEIGH, flags, f);
}

struct nlmsghdr *nlmsg_fdb_del(void *buf, uint32_t seq,
                               const struct nlmsg_fdb *f)
{
    return put_fdb(buf, seq, RTM_DELNEIGH, 0, f);
}

struct nlmsghdr *nlmsg_fdb_dump(void *buf, uint32_t seq, int master)
{
    struct nlmsghdr *nlh = put_header(buf, seq, RTM_GETNEIGH, NLM_F_DUMP);
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = AF_BRIDGE;
    if (master > 0) {
        mnl_attr_put_u32(nlh, NDA_MASTER, (uint32_t)master);
    }
    return nlh;
}

static struct nlmsghdr *put_neigh(void *buf, uint32_t seq, uint16_t type,
                                  uint16_t flags, int ifindex, uint32_t ip)
{
    struct nlmsghdr *nlh = put_header(buf, seq, type, flags);
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = AF_INET;
    ndm->ndm_ifindex = ifindex;
    ndm->ndm_state = NUD_PERMANENT;
    if (type != RTM_GETNEIGH) {
        mnl_attr_put(nlh, NDA_DST, 4, &ip);
    }
    return nlh;
}

struct nlmsghdr *nlmsg_neigh_add(void *buf, uint32_t seq, int ifindex,
                                 uint32_t ip, const uint8_t mac[6])
{
    struct nlmsghdr *nlh =
        put_neigh(buf, seq, RTM_NEWNEIGH,
                  NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, ifindex, ip);
    mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
    return nlh;
}

struct nlmsghdr *nlmsg_neigh_del(void *buf, uint32_t seq, int ifindex,
                                 uint32_t ip)
{
    return put_neigh(buf, seq, RTM_DELNEIGH, NLM_F_ACK, ifindex, ip);
}

struct nlmsghdr *nlmsg_neigh_dump(void *buf, uint32_t seq)
{
    struct nlmsghdr *nlh = put_neigh(buf, seq, RTM_GETNEIGH, NLM_F_DUMP, 0, 0);
    ((struct ndmsg *)mnl_nlmsg_get_payload(nlh))->ndm_state = 0;
    return nlh;
}

static struct nlmsghdr *put_tc(void *buf, uint32_t seq, uint16_t type,
                               uint16_t flags, int ifindex, uint32_t parent,
                               uint32_t handle, uint32_t info)
{
    struct nlmsghdr *nlh = put_header(buf, seq, type, NLM_F_ACK | flags);
    struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);
    tcm->tcm_family = AF_UNSPEC;
    tcm->tcm_ifindex = ifindex;
    tcm->tcm_parent = parent;
    tcm->tcm_handle = handle;
    tcm->tcm_info = info;
    return nlh;
}

struct nlmsghdr *nlmsg_clsact_add(void *buf, uint32_t seq, int ifindex)
{
    struct nlmsghdr *nlh =
        put_tc(buf, seq, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex,
               TC_H_CLSACT, TC_H_MAKE(TC_H_CLSACT, 0), 0);
    mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
    return nlh;
}

static uint32_t filter_info(void)
{
    return TC_H_MAKE((uint32_t)NLMSG_TC_PRIO << 16, htons(ETH_P_ALL));
}

struct nlmsghdr *nlmsg_bpf_filter_add(void *buf, uint32_t seq, int ifindex,
                                      int fd, const char *name)
{
    struct nlmsghdr *nlh =
        put_tc(buf, seq, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_REPLACE, ifindex,
               TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), NLMSG_TC_HANDLE,
               filter_info());
    mnl_attr_put_strz(nlh, TCA_KIND, "bpf");
    struct nlattr *opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
    mnl_attr_put_u32(nlh, TCA_BPF_FD, (uint32_t)fd);
    mnl_attr_put_strz(nlh, TCA_BPF_NAME, name);
    mnl_attr_put_u32(nlh, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
    mnl_attr_nest_end(nlh, opts);
    return nlh;
}

struct nlmsghdr *nlmsg_bpf_filter_del(void *buf, uint32_t seq, int ifindex)
{
    struct nlmsghdr *nlh = put_tc(buf, seq, RTM_DELTFILTER, 0, ifindex,
                                  TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
                                  NLMSG_TC_HANDLE, filter_info());
    mnl_attr_put_strz(nlh, TCA_KIND, "bpf");
    return nlh;
}
