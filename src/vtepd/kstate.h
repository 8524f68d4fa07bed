/* Kernel state as netlink reports it: links and neighbour/FDB entries
 * parsed from RTM_NEWLINK / RTM_NEWNEIGH messages into plain structs. */
#ifndef L2GW_VTEPD_KSTATE_H
#define L2GW_VTEPD_KSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

#define KSTATE_IFNAMSIZ 16
#define KSTATE_ALIAS_MAX 256 /* IFALIASZ */
#define KSTATE_KIND_MAX 16

struct klink {
    int ifindex;
    char name[KSTATE_IFNAMSIZ];
    char kind[KSTATE_KIND_MAX]; /* "bridge", "vxlan", "veth", "" */
    char alias[KSTATE_ALIAS_MAX];
    int master; /* 0: none */
    int mtu;
    bool up;
    uint32_t vni, local; /* vxlan */
    bool is_brport;      /* slave data of a bridge port present */
    bool isolated, neigh_suppress, learning, hairpin;
};

struct kneigh {
    int family; /* AF_BRIDGE or AF_INET */
    int ifindex;
    int master; /* NDA_MASTER, 0 if none */
    uint8_t mac[6];
    bool has_mac;
    uint32_t dst; /* AF_BRIDGE: NDA_DST of a vxlan entry; AF_INET: the IP */
    uint16_t state;
    uint8_t flags;
    bool has_vlan;
};

/* Parses an RTM_NEWLINK/RTM_DELLINK message.  Returns 0 or -EINVAL. */
int kstate_parse_link(const struct nlmsghdr *nlh, struct klink *out);

/* Parses an RTM_NEWNEIGH/RTM_DELNEIGH message (AF_BRIDGE or AF_INET).
 * Returns 0, -EINVAL, or -EAFNOSUPPORT for other families. */
int kstate_parse_neigh(const struct nlmsghdr *nlh, struct kneigh *out);

/* A growable array of links (zero-initialised; freed with
 * klinks_clear()).  Pointers into it are valid until the next add. */
struct klinks {
    struct klink *v;
    size_t n, cap;
};
/* Appends a copy of 'l'.  0 or -ENOMEM. */
int klinks_add(struct klinks *ls, const struct klink *l);
const struct klink *klinks_by_name(const struct klinks *ls, const char *name);
const struct klink *klinks_by_index(const struct klinks *ls, int ifindex);
void klinks_clear(struct klinks *ls);

#endif
