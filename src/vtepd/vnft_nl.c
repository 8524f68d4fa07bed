/* The WAN source allow-list in the kernel, through libnftnl (see vnft.h).
 * Every change is one nfnetlink batch, so the kernel applies it as one
 * transaction: a rebuild never leaves a moment without the rule. */
#include "vtepd/vnft.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtepd/nl.h"

#define LOG_MODULE "nft"
#include "lib/log.h"

/* nftables' datatype number of ipv4_addr (the set's key type). */
#define VNFT_TYPE_IPV4_ADDR 7
/* Free room ensured before each message: none we build is larger. */
#define VNFT_MSG_ROOM 16384
/* Elements per NEWSETELEM/DELSETELEM message. */
#define VNFT_ELEMS_PER_MSG 256
/* The set's id within a rebuild batch (the rule refers to it). */
#define VNFT_SET_ID 1
/* A dump request (a header and a few names). */
#define VNFT_REQ_BUF 1024
/* Addresses logged one by one at info level per change. */
#define VNFT_LOG_ADDRS 8
/* Most chains read back from the table (more: the layout is wrong). */
#define VNFT_MAX_CHAINS (VNFT_MAX_DEVS + 16)

struct vnft {
    struct nl *nl;
    char prefix[VNFT_NAME_MAX];
    char table[VNFT_NAME_MAX];
    uint32_t wan_ip; /* network byte order */
    uint16_t port;
    bool built; /* the table was (re)built by us and not found changed */
};

/* A batch being built: whole messages, back to back. */
struct batch {
    char *p;
    size_t len, cap;
    int err; /* the first failure while building */
};

int vnft_open(int netns_fd, const char *prefix, uint32_t wan_ip, uint16_t port,
              struct vnft **out)
{
    struct vnft *v = calloc(1, sizeof *v);
    if (!v) {
        return -ENOMEM;
    }
    int rc = nl_open_proto(netns_fd, NETLINK_NETFILTER, 0, &v->nl);
    if (rc) {
        free(v);
        return rc;
    }
    snprintf(v->prefix, sizeof v->prefix, "%s", prefix);
    vnft_table_name(prefix, v->table);
    v->wan_ip = wan_ip;
    v->port = port;
    *out = v;
    return 0;
}

void vnft_close(struct vnft *v)
{
    if (v) {
        nl_close(v->nl);
        free(v);
    }
}

/* ---- Building batches ---- */

/* Where the next message goes (VNFT_MSG_ROOM bytes free), or NULL after
 * a failure. */
static char *msg_buf(struct batch *b)
{
    if (b->err) {
        return NULL;
    }
    if (b->cap - b->len < VNFT_MSG_ROOM) {
        size_t cap = b->cap ? b->cap * 2 : 4 * VNFT_MSG_ROOM;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->err = -ENOMEM;
            return NULL;
        }
        memset(p + b->len, 0, cap - b->len);
        b->p = p;
        b->cap = cap;
    }
    return b->p + b->len;
}

static void msg_end(struct batch *b, const struct nlmsghdr *nlh)
{
    b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *msg_hdr(struct vnft *v, struct batch *b, uint16_t type,
                                uint16_t flags)
{
    char *buf = msg_buf(b);
    return buf ? nftnl_nlmsg_build_hdr(buf, type, NFPROTO_NETDEV, flags,
                                       nl_next_seq(v->nl))
               : NULL;
}

static void batch_begin(struct vnft *v, struct batch *b)
{
    char *buf = msg_buf(b);
    if (buf) {
        msg_end(b, nftnl_batch_begin(buf, nl_next_seq(v->nl)));
    }
}

/* Ends the batch and sends it.  0 or a negative errno. */
static int batch_send(struct vnft *v, struct batch *b)
{
    char *buf = msg_buf(b);
    if (buf) {
        msg_end(b, nftnl_batch_end(buf, nl_next_seq(v->nl)));
    }
    int rc = b->err ? b->err : nl_send_batch(v->nl, b->p, b->len);
    free(b->p);
    memset(b, 0, sizeof *b);
    return rc;
}

/* NEWTABLE (created if missing) or DELTABLE. */
static void put_table(struct vnft *v, struct batch *b, uint16_t type)
{
    struct nftnl_table *t = nftnl_table_alloc();
    struct nlmsghdr *nlh =
        t ? msg_hdr(v, b, type, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0)
          : NULL;
    if (nlh) {
        nftnl_table_set_str(t, NFTNL_TABLE_NAME, v->table);
        nftnl_table_nlmsg_build_payload(nlh, t);
        msg_end(b, nlh);
    } else if (!b->err) {
        b->err = -ENOMEM;
    }
    nftnl_table_free(t);
}

/* A set object naming our set (no elements). */
static struct nftnl_set *our_set(const struct vnft *v)
{
    struct nftnl_set *s = nftnl_set_alloc();
    if (s) {
        nftnl_set_set_str(s, NFTNL_SET_TABLE, v->table);
        nftnl_set_set_str(s, NFTNL_SET_NAME, VNFT_SET_NAME);
        nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_NETDEV);
    }
    return s;
}

static void put_set(struct vnft *v, struct batch *b)
{
    struct nftnl_set *s = our_set(v);
    struct nlmsghdr *nlh =
        s ? msg_hdr(v, b, NFT_MSG_NEWSET, NLM_F_CREATE) : NULL;
    if (nlh) {
        nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, VNFT_TYPE_IPV4_ADDR);
        nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, sizeof(uint32_t));
        nftnl_set_set_u32(s, NFTNL_SET_ID, VNFT_SET_ID);
        nftnl_set_nlmsg_build_payload(nlh, s);
        msg_end(b, nlh);
    } else if (!b->err) {
        b->err = -ENOMEM;
    }
    if (s) {
        nftnl_set_free(s);
    }
}

/* NEWSETELEM or DELSETELEM messages for the 'n' addresses of 'ips'. */
static void put_elems(struct vnft *v, struct batch *b, uint16_t type,
                      const uint32_t *ips, size_t n)
{
    for (size_t i = 0; i < n && !b->err; i += VNFT_ELEMS_PER_MSG) {
        struct nftnl_set *s = our_set(v);
        size_t end = i + VNFT_ELEMS_PER_MSG < n ? i + VNFT_ELEMS_PER_MSG : n;
        for (size_t j = i; s && j < end; j++) {
            struct nftnl_set_elem *e = nftnl_set_elem_alloc();
            if (!e) {
                b->err = -ENOMEM;
                break;
            }
            nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &ips[j], sizeof ips[j]);
            nftnl_set_elem_add(s, e);
        }
        struct nlmsghdr *nlh =
            s ? msg_hdr(v, b, type,
                        type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0)
              : NULL;
        if (nlh) {
            nftnl_set_elems_nlmsg_build_payload(nlh, s);
            msg_end(b, nlh);
        } else if (!b->err) {
            b->err = -ENOMEM;
        }
        if (s) {
            nftnl_set_free(s);
        }
    }
}

static void put_chain(struct vnft *v, struct batch *b, const char *dev)
{
    char name[VNFT_NAME_MAX];
    struct nftnl_chain *c = nftnl_chain_alloc();
    struct nlmsghdr *nlh =
        c ? msg_hdr(v, b, NFT_MSG_NEWCHAIN, NLM_F_CREATE) : NULL;
    if (nlh) {
        vnft_chain_name(dev, name);
        nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, v->table);
        nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
        nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
        nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_NETDEV_INGRESS);
        nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
        nftnl_chain_set_str(c, NFTNL_CHAIN_DEV, dev);
        nftnl_chain_nlmsg_build_payload(nlh, c);
        msg_end(b, nlh);
    } else if (!b->err) {
        b->err = -ENOMEM;
    }
    if (c) {
        nftnl_chain_free(c);
    }
}

/* ---- The rule ---- */

static int add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
    if (!e) {
        return -ENOMEM;
    }
    nftnl_rule_add_expr(r, e);
    return 0;
}

/* Loads meta key 'key' into register 1. */
static struct nftnl_expr *meta(uint32_t key)
{
    struct nftnl_expr *e = nftnl_expr_alloc("meta");
    if (e) {
        nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
        nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
    }
    return e;
}

/* Loads 'len' bytes at 'offset' of header 'base' into register 1. */
static struct nftnl_expr *payload(uint32_t base, uint32_t offset, uint32_t len)
{
    struct nftnl_expr *e = nftnl_expr_alloc("payload");
    if (e) {
        nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
        nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
        nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
        nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
    }
    return e;
}

/* Register 1 equals the 'len' bytes of 'data', or the rule stops. */
static struct nftnl_expr *cmp_eq(const void *data, uint32_t len)
{
    struct nftnl_expr *e = nftnl_expr_alloc("cmp");
    if (e) {
        nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
        nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
        nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
    }
    return e;
}

/* Register 1 is NOT in our set, or the rule stops. */
static struct nftnl_expr *not_in_set(void)
{
    struct nftnl_expr *e = nftnl_expr_alloc("lookup");
    if (e) {
        nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
        nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, VNFT_SET_NAME);
        nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, VNFT_SET_ID);
        nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
    }
    return e;
}

static struct nftnl_expr *drop(void)
{
    struct nftnl_expr *e = nftnl_expr_alloc("immediate");
    if (e) {
        nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
        nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
    }
    return e;
}

/* meta protocol ip meta l4proto udp ip daddr WAN_IP udp dport PORT
 * ip saddr != @allowed counter drop.  The ethertype comes first: the
 * netdev family sees every frame, and the kernel sets the network and
 * transport offsets only for IPv4 (the l4proto match also keeps
 * non-first fragments, which have no UDP header, out). */
static int build_rule(const struct vnft *v, struct nftnl_rule *r)
{
    uint16_t ethertype = htons(ETH_P_IP), port = htons(v->port);
    uint8_t l4 = IPPROTO_UDP;
    int rc = add_expr(r, meta(NFT_META_PROTOCOL));
    rc = rc ? rc : add_expr(r, cmp_eq(&ethertype, sizeof ethertype));
    rc = rc ? rc : add_expr(r, meta(NFT_META_L4PROTO));
    rc = rc ? rc : add_expr(r, cmp_eq(&l4, sizeof l4));
    rc = rc ? rc
            : add_expr(r, payload(NFT_PAYLOAD_NETWORK_HEADER,
                                  offsetof(struct iphdr, daddr), 4));
    rc = rc ? rc : add_expr(r, cmp_eq(&v->wan_ip, sizeof v->wan_ip));
    rc = rc ? rc
            : add_expr(r, payload(NFT_PAYLOAD_TRANSPORT_HEADER,
                                  offsetof(struct udphdr, dest), 2));
    rc = rc ? rc : add_expr(r, cmp_eq(&port, sizeof port));
    rc = rc ? rc
            : add_expr(r, payload(NFT_PAYLOAD_NETWORK_HEADER,
                                  offsetof(struct iphdr, saddr), 4));
    rc = rc ? rc : add_expr(r, not_in_set());
    rc = rc ? rc : add_expr(r, nftnl_expr_alloc("counter"));
    return rc ? rc : add_expr(r, drop());
}

static void put_rule(struct vnft *v, struct batch *b, const char *dev)
{
    char name[VNFT_NAME_MAX];
    struct nftnl_rule *r = nftnl_rule_alloc();
    int rc = r ? 0 : -ENOMEM;
    if (!rc) {
        vnft_chain_name(dev, name);
        nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_NETDEV);
        nftnl_rule_set_str(r, NFTNL_RULE_TABLE, v->table);
        nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, name);
        rc = build_rule(v, r);
    }
    struct nlmsghdr *nlh =
        rc ? NULL : msg_hdr(v, b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
    if (nlh) {
        nftnl_rule_nlmsg_build_payload(nlh, r);
        msg_end(b, nlh);
    } else if (!b->err) {
        b->err = rc ? rc : -ENOMEM;
    }
    if (r) {
        nftnl_rule_free(r);
    }
}

/* ---- Reading the table back ---- */

/* Dump callbacks record failures here and return 0: stopping early
 * would leave the rest of the dump on the socket. */
struct chains {
    const struct vnft *v;
    struct vnft_chain c[VNFT_MAX_CHAINS];
    size_t n;
    bool overflow;
    int err;
};

/* The one device of chain 'c' (single-device chains report it both ways,
 * depending on the kernel), or NULL. */
static const char *chain_dev(const struct nftnl_chain *c)
{
    if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEV)) {
        return nftnl_chain_get_str(c, NFTNL_CHAIN_DEV);
    }
    const char *const *devs =
        nftnl_chain_is_set(c, NFTNL_CHAIN_DEVICES)
            ? nftnl_chain_get_array(c, NFTNL_CHAIN_DEVICES)
            : NULL;
    return devs && devs[0] && !devs[1] ? devs[0] : NULL;
}

static int on_chain(const struct nlmsghdr *nlh, void *aux)
{
    struct chains *cs = aux;
    struct nftnl_chain *c = nftnl_chain_alloc();
    if (!c) {
        cs->err = -ENOMEM;
        return 0;
    }
    const char *table = NULL;
    if (!nftnl_chain_nlmsg_parse(nlh, c)) {
        table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
    }
    if (table && !strcmp(table, cs->v->table)) {
        if (cs->n == VNFT_MAX_CHAINS) {
            cs->overflow = true;
        } else {
            struct vnft_chain *x = &cs->c[cs->n++];
            const char *dev = chain_dev(c);
            memset(x, 0, sizeof *x);
            const char *name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
            snprintf(x->name, sizeof x->name, "%s", name ? name : "");
            snprintf(x->dev, sizeof x->dev, "%s", dev ? dev : "");
            x->ingress = nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM) &&
                         nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) ==
                             NF_NETDEV_INGRESS;
        }
    }
    nftnl_chain_free(c);
    return 0;
}

static int on_rule(const struct nlmsghdr *nlh, void *aux)
{
    struct chains *cs = aux;
    struct nftnl_rule *r = nftnl_rule_alloc();
    if (!r) {
        cs->err = -ENOMEM;
        return 0;
    }
    const char *table = NULL, *chain = NULL;
    if (!nftnl_rule_nlmsg_parse(nlh, r)) {
        table = nftnl_rule_get_str(r, NFTNL_RULE_TABLE);
        chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
    }
    if (table && chain && !strcmp(table, cs->v->table)) {
        for (size_t i = 0; i < cs->n; i++) {
            if (!strcmp(cs->c[i].name, chain)) {
                cs->c[i].n_rules++;
            }
        }
    }
    nftnl_rule_free(r);
    return 0;
}

/* The chains of our table and how many rules each has. */
static int read_chains(struct vnft *v, struct chains *cs)
{
    char buf[VNFT_REQ_BUF] __attribute__((aligned(8))) = {0};
    cs->v = v;
    cs->n = 0;
    cs->overflow = false;
    cs->err = 0;
    struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(
        buf, NFT_MSG_GETCHAIN, NFPROTO_NETDEV, NLM_F_DUMP, nl_next_seq(v->nl));
    int rc = nl_dump(v->nl, nlh, on_chain, cs);
    struct nftnl_rule *r = rc ? NULL : nftnl_rule_alloc();
    if (!rc && !r) {
        return -ENOMEM;
    }
    if (r) {
        nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_NETDEV,
                                    NLM_F_DUMP, nl_next_seq(v->nl));
        nftnl_rule_set_str(r, NFTNL_RULE_TABLE, v->table);
        nftnl_rule_nlmsg_build_payload(nlh, r);
        nftnl_rule_free(r);
        rc = nl_dump(v->nl, nlh, on_rule, cs);
    }
    return rc ? rc : cs->err;
}

struct addrs {
    uint32_t *v;
    size_t n, cap;
    int err;
};

static int on_elem(struct nftnl_set_elem *e, void *aux)
{
    struct addrs *a = aux;
    uint32_t len = 0;
    const void *key = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);
    if (!key || len != sizeof(uint32_t)) {
        return 0;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint32_t *nv = realloc(a->v, cap * sizeof *nv);
        if (!nv) {
            a->err = -ENOMEM;
            return -1; /* stops this message's elements only */
        }
        a->v = nv;
        a->cap = cap;
    }
    memcpy(&a->v[a->n++], key, sizeof(uint32_t));
    return 0;
}

static int on_elems(const struct nlmsghdr *nlh, void *aux)
{
    struct addrs *a = aux;
    struct nftnl_set *s = nftnl_set_alloc();
    if (!s) {
        a->err = -ENOMEM;
        return 0;
    }
    if (nftnl_set_elems_nlmsg_parse(nlh, s) >= 0) {
        nftnl_set_elem_foreach(s, on_elem, a);
    }
    nftnl_set_free(s);
    return 0;
}

/* The addresses in our set, sorted ('a->v' is the caller's to free). */
static int read_elems(struct vnft *v, struct addrs *a)
{
    char buf[VNFT_REQ_BUF] __attribute__((aligned(8))) = {0};
    struct nftnl_set *s = our_set(v);
    memset(a, 0, sizeof *a);
    if (!s) {
        return -ENOMEM;
    }
    struct nlmsghdr *nlh =
        nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, NFPROTO_NETDEV,
                              NLM_F_DUMP, nl_next_seq(v->nl));
    nftnl_set_elems_nlmsg_build_payload(nlh, s);
    nftnl_set_free(s);
    int rc = nl_dump(v->nl, nlh, on_elems, a);
    a->n = vnft_sort_unique(a->v, a->n);
    return rc ? rc : a->err;
}

/* ---- Reconciling ---- */

/* Logs a change of the set: each address at info level up to
 * VNFT_LOG_ADDRS of them, the rest at debug level. */
static void log_addrs(const char *what, const uint32_t *ips, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char s[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &ips[i], s, sizeof s);
        if (i < VNFT_LOG_ADDRS) {
            log_info("WAN allow-list: %s %s", what, s);
        } else {
            log_dbg("WAN allow-list: %s %s", what, s);
        }
    }
    if (n > VNFT_LOG_ADDRS) {
        log_info("WAN allow-list: %s %zu more", what, n - VNFT_LOG_ADDRS);
    }
}

/* The whole table in one transaction: created (if missing), deleted with
 * all it holds, and made again. */
static int rebuild(struct vnft *v, const char (*devs)[MODEL_IFNAMSIZ],
                   size_t n_devs, const uint32_t *ips, size_t n_ips)
{
    struct batch b = {0};
    batch_begin(v, &b);
    put_table(v, &b, NFT_MSG_NEWTABLE);
    put_table(v, &b, NFT_MSG_DELTABLE);
    put_table(v, &b, NFT_MSG_NEWTABLE);
    put_set(v, &b);
    put_elems(v, &b, NFT_MSG_NEWSETELEM, ips, n_ips);
    for (size_t i = 0; i < n_devs; i++) {
        put_chain(v, &b, devs[i]);
        put_rule(v, &b, devs[i]);
    }
    int rc = batch_send(v, &b);
    if (!rc) {
        log_info("WAN allow-list: table netdev %s built, %zu locators "
                 "allowed, %zu links hooked",
                 v->table, n_ips, n_devs);
        log_addrs("allow", ips, n_ips);
    }
    return rc;
}

/* Adds and removes the set's elements that differ from 'ips'.  -ESTALE
 * if the table's layout is not ours any more, else 0 or a negative
 * errno. */
static int update(struct vnft *v, const char (*devs)[MODEL_IFNAMSIZ],
                  size_t n_devs, const uint32_t *ips, size_t n_ips)
{
    struct chains *cs = malloc(sizeof *cs);
    int rc = cs ? read_chains(v, cs) : -ENOMEM;
    if (!rc && (cs->overflow || !vnft_layout_ok(devs, n_devs, cs->c, cs->n))) {
        rc = -ESTALE;
    }
    free(cs);
    struct addrs have = {0};
    rc = rc ? rc : read_elems(v, &have);
    if (rc) {
        free(have.v);
        return rc == -ENOENT ? -ESTALE : rc;
    }
    uint32_t *add = malloc((n_ips + 1) * sizeof *add);
    uint32_t *del = malloc((have.n + 1) * sizeof *del);
    size_t n_add = 0, n_del = 0;
    rc = add && del ? 0 : -ENOMEM;
    if (!rc) {
        vnft_diff(ips, n_ips, have.v, have.n, add, &n_add, del, &n_del);
    }
    if (!rc && (n_add || n_del)) {
        struct batch b = {0};
        batch_begin(v, &b);
        put_elems(v, &b, NFT_MSG_DELSETELEM, del, n_del);
        put_elems(v, &b, NFT_MSG_NEWSETELEM, add, n_add);
        rc = batch_send(v, &b);
        if (!rc) {
            log_addrs("allow", add, n_add);
            log_addrs("no longer allow", del, n_del);
        }
    }
    free(add);
    free(del);
    free(have.v);
    return rc;
}

int vnft_apply(struct vnft *v, const struct want *w, const struct klinks *links)
{
    static struct log_rl rl = LOG_RL_INIT(2, 60000);
    char devs[VNFT_MAX_DEVS][MODEL_IFNAMSIZ];
    uint32_t *ips;
    size_t n_ips;
    int rc = vnft_addrs(w, &ips, &n_ips);
    if (rc) {
        return rc;
    }
    size_t n_devs = vnft_devs(links, v->prefix, devs, VNFT_MAX_DEVS);
    if (n_ips > VNFT_MAX_ADDRS || n_devs > VNFT_MAX_DEVS) {
        log_warn_rl(&rl,
                    "WAN allow-list: %zu locators, %zu links; only "
                    "the first %d and %d are used",
                    n_ips, n_devs, VNFT_MAX_ADDRS, VNFT_MAX_DEVS);
        n_ips = n_ips > VNFT_MAX_ADDRS ? VNFT_MAX_ADDRS : n_ips;
        n_devs = n_devs > VNFT_MAX_DEVS ? VNFT_MAX_DEVS : n_devs;
    }
    /* Any failure of an update (the layout changed, an element vanished
     * under us) is repaired at once by a rebuild. */
    rc = v->built ? update(v, devs, n_devs, ips, n_ips) : -ESTALE;
    if (rc) {
        rc = rebuild(v, devs, n_devs, ips, n_ips);
    }
    v->built = !rc;
    free(ips);
    return rc;
}

int vnft_remove(struct vnft *v)
{
    struct batch b = {0};
    batch_begin(v, &b);
    put_table(v, &b, NFT_MSG_DELTABLE);
    int rc = batch_send(v, &b);
    v->built = false;
    if (!rc) {
        log_info("WAN allow-list: table netdev %s removed", v->table);
    }
    return rc == -ENOENT ? 0 : rc;
}
