/* The WAN source allow-list: an nftables table in the WAN namespace that
 * drops VXLAN packets to wan_ip whose IPv4 source is not a WAN locator of
 * the database (option wan_allow_list).
 *
 *   table netdev <prefix>-wan {
 *       set allowed { type ipv4_addr; elements = { <WAN locators> } }
 *       chain in-<dev> {        one per underlay link of the namespace
 *           type filter hook ingress device <dev> priority 0;
 *           meta protocol ip meta l4proto udp ip daddr <wan_ip>
 *               udp dport 4789 ip saddr != @allowed counter drop
 *       }
 *   }
 *
 * The underlay links are every link of the WAN namespace except the
 * loopback and our own (<prefix>-...): VXLAN packets for wan_ip may come
 * in through any of them (the namespace may route, as in the tests), and
 * matching 'ip daddr wan_ip' leaves traffic that merely crosses the
 * namespace alone.  The allowed addresses are the locators of the WAN
 * flood and MAC entries that want.c computed, i.e. the locators with a
 * tunnel_key that remote rows of instantiated switches use.
 *
 * vnft.c holds the pure parts (names, the address diff, the layout check);
 * vnft_nl.c talks to the kernel through libnftnl (built only when libnftnl
 * is found; otherwise vnft_open() fails with -EOPNOTSUPP). */
#ifndef L2GW_VTEPD_VNFT_H
#define L2GW_VTEPD_VNFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/model.h"

struct klinks;
struct want;

/* Hard limits. */
#define VNFT_MAX_ADDRS 4096 /* allowed locators (more are left out) */
#define VNFT_MAX_DEVS 64    /* hooked links (more are left out) */
#define VNFT_NAME_MAX 32    /* table, set and chain names with the NUL */

#define VNFT_SET_NAME "allowed"
#define VNFT_CHAIN_PREFIX "in-"

/* A chain of our table as the kernel reports it. */
struct vnft_chain {
    char name[VNFT_NAME_MAX];
    char dev[MODEL_IFNAMSIZ]; /* "" for a chain without a device */
    bool ingress;             /* a base chain on the netdev ingress hook */
    size_t n_rules;
};

/* "<prefix>-wan" into 'out' (VNFT_NAME_MAX bytes). */
void vnft_table_name(const char *prefix, char *out);
/* "in-<dev>" into 'out' (VNFT_NAME_MAX bytes). */
void vnft_chain_name(const char *dev, char *out);

/* The WAN locators of wanted state 'w' (the destinations of its WAN FDB
 * entries), sorted by value, each once, in network byte order: '*out'
 * (caller frees) and '*n'.  0 or -ENOMEM. */
int vnft_addrs(const struct want *w, uint32_t **out, size_t *n);

/* The links of the WAN namespace 'links' that get an ingress chain: every
 * link but the loopback (ifindex 1) and ours (named "<prefix>-..."); the
 * first 'max' of them in the order of 'links' go to 'out', sorted by
 * name.  Returns how many there are in all. */
size_t vnft_devs(const struct klinks *links, const char *prefix,
                 char (*out)[MODEL_IFNAMSIZ], size_t max);

/* The difference between two sorted, duplicate-free address lists:
 * 'add' gets what 'want' has and 'have' lacks, 'del' the reverse (each
 * sized for its source list).  Sets '*n_add' and '*n_del'. */
void vnft_diff(const uint32_t *want, size_t n_want, const uint32_t *have,
               size_t n_have, uint32_t *add, size_t *n_add, uint32_t *del,
               size_t *n_del);

/* Sorts 'v' by value and removes duplicates; returns the new count. */
size_t vnft_sort_unique(uint32_t *v, size_t n);

/* True if the chains 'have' of the table are exactly one ingress chain
 * "in-<dev>" on 'dev' with one rule, for each of the 'n_devs' names of
 * 'devs', and nothing else. */
bool vnft_layout_ok(const char (*devs)[MODEL_IFNAMSIZ], size_t n_devs,
                    const struct vnft_chain *have, size_t n_have);

/* ---- The kernel side (vnft_nl.c) ---- */

struct vnft;

/* Opens a NETLINK_NETFILTER socket in namespace 'netns_fd' for the table
 * of 'prefix'; the rule matches destination 'wan_ip' (network byte order)
 * and UDP port 'port'.  Caller frees with vnft_close().  0, a negative
 * errno, or -EOPNOTSUPP when built without libnftnl. */
int vnft_open(int netns_fd, const char *prefix, uint32_t wan_ip, uint16_t port,
              struct vnft **out);
void vnft_close(struct vnft *v);

/* Brings the table in line with wanted state 'w' (borrowed) and the links
 * 'links' of the WAN namespace (borrowed).  The first call, and any call
 * that finds the table's layout changed, rebuilds the whole table in one
 * transaction; otherwise only the set's elements that differ are added
 * and removed, in one transaction.  0 or a negative errno (the next call
 * rebuilds). */
int vnft_apply(struct vnft *v, const struct want *w,
               const struct klinks *links);

/* Deletes the table if it exists.  0 or a negative errno. */
int vnft_remove(struct vnft *v);

#endif
