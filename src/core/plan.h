/* plan: store intent → the desired hardware_vtep content of one switch
 * database (vtep/desired.h), following spec/switch.md "Desired state":
 *
 * For every connection C = (gateway G, network N with VNI V) and every
 * device D of G whose switch (Physical_Switch name, or the qualified
 * "<ovsdb_identifier>/<name>") is registered in database 'db':
 *   - LS name = N's id, description = N's name, key = V;
 *   - bindings: for each interface of D, the VLANs of C's segmentation_id
 *     if set, else the interface's own list, else 0 (untagged);
 *   - MACs: every port of N bound (binding:host_id) to a host with a tunnel
 *     IP: port MAC + first IPv4 fixed IP → that host's locator; plus each
 *     allowed address pair whose MAC differs from the port's (its first
 *     plain IPv4 address, never a CIDR);
 *   - flood set: the distinct tunnel IPs of those hosts, never one of the
 *     switch's own tunnel_ips (those are skipped everywhere);
 *   - replication: service_node with [ovsdb] service_node_ips when a
 *     switch of G on 'db' reports unsupported_source_node_replication and
 *     service nodes are configured.
 * A device name that resolves to switches in several databases is not
 * planned anywhere (the connection is reported in 'problems').  Compute
 * locators carry no tunnel_key (VTEP_NO_KEY).  MAC claims are ranked by
 * the age of their port (older first).
 *
 * Border rows (spec/border.md): every remote gateway connection RC of N
 * through G (key K, flood F, remote gateway R) is served by N's LS (its id
 * joins ls->conns, for its status); when every switch of G on 'db'
 * advertises other_config:l2gw-per-locator-key=true or is listed in
 * [ovsdb] per_locator_key_switches, the LS gets the WAN locator (R's
 * ipaddr, key K), RC's remote MACs on it (ranked after every port), and
 * the WAN locator in the flood set when F (also under service_node
 * replication).  Otherwise RC is reported in 'problems' and nothing of it
 * is planned. */
#ifndef L2GW_CORE_PLAN_H
#define L2GW_CORE_PLAN_H

#include <stddef.h>

struct core;
struct vtep_desired;

struct plan_problem {
    char *conn;     /* connection id */
    char *network;  /* the connection's network id */
    char *reason;
};

struct plan_problems {
    struct plan_problem *items;
    size_t n, cap;
};

/* Builds the desired state of database 'db' into 'out' (initialised by the
 * caller with vtep_desired_init()).  When 'networks' is not NULL only the
 * LSs of those 'n_networks' network ids are planned (incremental pass).
 * Problems found while planning go to 'problems' (may be NULL).  Returns 0
 * or a negative errno (store failure). */
int plan_database(struct core *c, const char *db, const char *const *networks,
                  size_t n_networks, struct vtep_desired *out,
                  struct plan_problems *problems);

void plan_problems_destroy(struct plan_problems *p);

/* The databases that serve network 'network_id' (whose switches hold a
 * device of a gateway connected to it).  '*dbs' is a new array of new
 * strings (free each and the array); returns the count or a negative errno. */
int plan_databases_of_network(struct core *c, const char *network_id,
                              char ***dbs);

/* Lookups for change events, each returning a new array of new strings
 * (free with plan_strings_free()) and the count, or a negative errno:
 *   - the networks connected to gateway 'gateway_id';
 *   - the databases holding a switch named by a device of 'gateway_id';
 *   - the networks with a port bound to host 'host_id' (or, when that host
 *     no longer exists, with a port bound to a host name that no longer
 *     exists: the host was deleted);
 *   - every database that holds a known switch. */
int plan_networks_of_gateway(struct core *c, const char *gateway_id,
                             char ***nets);
int plan_databases_of_gateway(struct core *c, const char *gateway_id,
                              char ***dbs);
int plan_networks_of_host(struct core *c, const char *host_id, char ***nets);
int plan_all_databases(struct core *c, char ***dbs);

void plan_strings_free(char **v, size_t n);

/* The switch names a device name stands for: "<db>/<name>" qualified, or a
 * plain name.  Splits 'device' into '*db' (NULL when unqualified, else a
 * new string) and '*name' (a new string).  Returns 0 or -ENOMEM. */
int plan_split_device(const char *device, char **db, char **name);

#endif
