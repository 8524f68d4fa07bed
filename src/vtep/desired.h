/* vtep/: the hardware_vtep model of l2gw.  Plain data and pure functions:
 * it knows no store, no HTTP and no domain rules.
 *
 * Files: desired.{c,h} (the desired content of one switch database, built
 * by core/plan), names.h (schema table/column names), canon.{c,h}
 * (canonical MAC and IP forms), reconcile.{c,h} (desired + replica →
 * the next transaction, problems, convergence; its parts are
 * reconcile_index.c, reconcile_macs.c, reconcile_bindings.c and
 * reconcile_util.c, sharing the private reconcile_priv.h). */
#ifndef L2GW_VTEP_DESIRED_H
#define L2GW_VTEP_DESIRED_H

#include <stdbool.h>
#include <stddef.h>

#define VTEP_MAC_LEN 18   /* "aa:bb:cc:dd:ee:ff" + NUL */
#define VTEP_IP_LEN 46    /* INET6_ADDRSTRLEN */
#define VTEP_NO_KEY (-1LL)
#define VTEP_MAX_KEY 16777215LL /* a VXLAN VNI has 24 bits */
#define VTEP_MAX_VLAN 4095

/* Build the desired state only with the functions below: they store MACs
 * and IPs in canonical form (canon.h), which vtep_reconcile() relies on. */

/* A Physical_Locator: (vxlan_over_ipv4, dst_ip, tunnel_key). */
struct vtep_locator {
    char ip[VTEP_IP_LEN];   /* canonical (inet_ntop) */
    long long key;          /* VTEP_NO_KEY: no tunnel_key */
};

/* A desired Ucast_Macs_Remote row.  'owner' names who wants it, for
 * conflict reports ("port <id>", "address pair of port <id>",
 * "remote MAC <id>"); 'rank' orders claims (lower = older = wins). */
struct vtep_mac {
    char mac[VTEP_MAC_LEN]; /* canonical lower case */
    char ip[VTEP_IP_LEN];   /* "" when none */
    struct vtep_locator loc;
    char *owner;
    long long rank;
};

/* A desired entry of Physical_Port.vlan_bindings: on switch 'ps', port
 * 'port', VLAN 'vlan' → this Logical_Switch.  'conn' is the connection
 * (id) that wants it, for status. */
struct vtep_binding {
    char *ps;
    char *port;
    int vlan;
    char *conn;
};

/* A desired Logical_Switch and everything l2gw wants in it. */
struct vtep_ls {
    char *name;             /* the network's UUID */
    char *description;      /* the network's name */
    long long key;          /* the VNI */
    bool service_node;      /* replication_mode service_node, else
                               source_node */
    struct vtep_mac *macs;
    size_t n_macs, cap_macs;
    struct vtep_locator *flood;   /* the unknown-dst locator set */
    size_t n_flood, cap_flood;
    struct vtep_binding *bindings;
    size_t n_bindings, cap_bindings;
    char **conns;           /* connections served by this LS (ids) */
    size_t n_conns, cap_conns;
};

/* The desired content of one switch database: its Logical_Switches. */
struct vtep_desired {
    struct vtep_ls *ls;
    size_t n_ls, cap_ls;
};

/* Initialises an empty desired state; free with vtep_desired_destroy(). */
void vtep_desired_init(struct vtep_desired *d);
void vtep_desired_destroy(struct vtep_desired *d);

/* Returns the LS called 'name', adding it (with 'description', 'key') if
 * missing; NULL when out of memory.  Strings are copied. */
struct vtep_ls *vtep_desired_ls(struct vtep_desired *d, const char *name,
                                const char *description, long long key);
struct vtep_ls *vtep_desired_find(const struct vtep_desired *d,
                                  const char *name);

/* Adds a MAC / a flood locator (deduplicated) / a binding / a connection
 * id (deduplicated) to 'ls'.  Strings are copied; MACs and IPs are stored
 * in canonical form ('ip' of a MAC may be NULL or "": none).  0 or -ENOMEM
 * (-EINVAL for a MAC or IP that does not parse, a key outside
 * 0..VTEP_MAX_KEY other than VTEP_NO_KEY, a VLAN outside 0..VTEP_MAX_VLAN).
 * The same MAC may be added twice (by two owners): vtep_reconcile() keeps
 * the claim of lower rank and reports the other. */
int vtep_ls_add_mac(struct vtep_ls *ls, const char *mac, const char *ip,
                    const struct vtep_locator *loc, const char *owner,
                    long long rank);
int vtep_ls_add_flood(struct vtep_ls *ls, const struct vtep_locator *loc);
int vtep_ls_add_binding(struct vtep_ls *ls, const char *ps, const char *port,
                        int vlan, const char *conn);
int vtep_ls_add_conn(struct vtep_ls *ls, const char *conn);

/* Order of MACs: by MAC, then rank, then owner. */
int vtep_mac_cmp(const struct vtep_mac *a, const struct vtep_mac *b);

/* Sorts everything into a canonical order (LS by name, MACs by MAC,
 * locators by (ip, key), bindings by (ps, port, vlan)) so that two equal
 * states compare equal and diffs are deterministic. */
void vtep_desired_sort(struct vtep_desired *d);

#endif
