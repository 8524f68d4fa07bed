/* Parsing of kernel links and neighbours (see kstate.h). */
#include "vtepd/kstate.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct attrs {
    const struct nlattr *tb[64];
    int max;
};

static int collect(const struct nlattr *a, void *data)
{
    struct attrs *at = data;
    int type = mnl_attr_get_type(a);
    if (type <= at->max && type < 64) {
        at->tb[type] = a;
    }
    return MNL_CB_OK;
}

static void nested(const struct nlattr *a, struct attrs *at, int max)
{
    memset(at, 0, sizeof *at);
    at->max = max;
    if (a) {
        mnl_attr_parse_nested(a, collect, at);
    }
}

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
    if (a) {
        size_t len =
            strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
        len = len < size ? len : size - 1;
        memcpy(dst, mnl_attr_get_payload(a), len);
        dst[len] = '\0';
    }
}

static uint32_t get_u32(const struct nlattr *a)
{
    return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static bool get_flag8(const struct nlattr *a)
{
    return a && mnl_attr_get_payload_len(a) >= 1 && mnl_attr_get_u8(a);
}

static void parse_brport(const struct nlattr *data, struct klink *l)
{
    struct attrs at;
    nested(data, &at, IFLA_BRPORT_MAX < 63 ? IFLA_BRPORT_MAX : 63);
    l->is_brport = true;
    l->isolated = get_flag8(at.tb[IFLA_BRPORT_ISOLATED]);
    l->neigh_suppress = get_flag8(at.tb[IFLA_BRPORT_NEIGH_SUPPRESS]);
    l->learning = get_flag8(at.tb[IFLA_BRPORT_LEARNING]);
    l->hairpin = get_flag8(at.tb[IFLA_BRPORT_MODE]);
}

static void parse_linkinfo(const struct nlattr *info, struct klink *l)
{
    struct attrs at, data;
    nested(info, &at, IFLA_INFO_MAX);
    copy_str(l->kind, sizeof l->kind, at.tb[IFLA_INFO_KIND]);
    if (!strcmp(l->kind, "vxlan")) {
        nested(at.tb[IFLA_INFO_DATA], &data,
               IFLA_VXLAN_MAX < 63 ? IFLA_VXLAN_MAX : 63);
        l->vni = get_u32(data.tb[IFLA_VXLAN_ID]);
        if (data.tb[IFLA_VXLAN_LOCAL]) {
            memcpy(&l->local, mnl_attr_get_payload(data.tb[IFLA_VXLAN_LOCAL]),
                   4);
        }
    }
    char skind[KSTATE_KIND_MAX] = "";
    copy_str(skind, sizeof skind, at.tb[IFLA_INFO_SLAVE_KIND]);
    if (!strcmp(skind, "bridge") && at.tb[IFLA_INFO_SLAVE_DATA]) {
        parse_brport(at.tb[IFLA_INFO_SLAVE_DATA], l);
    }
}

int kstate_parse_link(const struct nlmsghdr *nlh, struct klink *out)
{
    if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) {
        return -EINVAL;
    }
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    struct attrs at = {.max = IFLA_MAX < 63 ? IFLA_MAX : 63};
    memset(out, 0, sizeof *out);
    mnl_attr_parse(nlh, sizeof *ifi, collect, &at);
    out->ifindex = ifi->ifi_index;
    out->up = ifi->ifi_flags & IFF_UP;
    copy_str(out->name, sizeof out->name, at.tb[IFLA_IFNAME]);
    copy_str(out->alias, sizeof out->alias, at.tb[IFLA_IFALIAS]);
    out->master = (int)get_u32(at.tb[IFLA_MASTER]);
    out->mtu = (int)get_u32(at.tb[IFLA_MTU]);
    if (at.tb[IFLA_LINKINFO]) {
        parse_linkinfo(at.tb[IFLA_LINKINFO], out);
    }
    return out->name[0] ? 0 : -EINVAL;
}

int kstate_parse_neigh(const struct nlmsghdr *nlh, struct kneigh *out)
{
    if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ndmsg))) {
        return -EINVAL;
    }
    const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
    if (ndm->ndm_family != AF_BRIDGE && ndm->ndm_family != AF_INET) {
        return -EAFNOSUPPORT;
    }
    struct attrs at = {.max = NDA_MAX < 63 ? NDA_MAX : 63};
    memset(out, 0, sizeof *out);
    mnl_attr_parse(nlh, sizeof *ndm, collect, &at);
    out->family = ndm->ndm_family;
    out->ifindex = ndm->ndm_ifindex;
    out->state = ndm->ndm_state;
    out->flags = ndm->ndm_flags;
    out->master = (int)get_u32(at.tb[NDA_MASTER]);
    out->has_vlan = at.tb[NDA_VLAN] != NULL;
    const struct nlattr *ll = at.tb[NDA_LLADDR];
    if (ll && mnl_attr_get_payload_len(ll) == 6) {
        memcpy(out->mac, mnl_attr_get_payload(ll), 6);
        out->has_mac = true;
    }
    const struct nlattr *dst = at.tb[NDA_DST];
    if (dst && mnl_attr_get_payload_len(dst) == 4) {
        memcpy(&out->dst, mnl_attr_get_payload(dst), 4);
    }
    return 0;
}

int klinks_add(struct klinks *ls, const struct klink *l)
{
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 16;
        struct klink *v = realloc(ls->v, cap * sizeof *v);
        if (!v) {
            return -ENOMEM;
        }
        ls->v = v;
        ls->cap = cap;
    }
    ls->v[ls->n++] = *l;
    return 0;
}

const struct klink *klinks_by_name(const struct klinks *ls, const char *name)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (!strcmp(ls->v[i].name, name)) {
            return &ls->v[i];
        }
    }
    return NULL;
}

const struct klink *klinks_by_index(const struct klinks *ls, int ifindex)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (ls->v[i].ifindex == ifindex) {
            return &ls->v[i];
        }
    }
    return NULL;
}

void klinks_clear(struct klinks *ls)
{
    free(ls->v);
    ls->v = NULL;
    ls->n = ls->cap = 0;
}
