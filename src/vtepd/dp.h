/* The dataplane: applies the wanted kernel state over netlink and learns
 * the MACs that appear on physical ports.
 *
 * dp_apply() runs one full reconcile pass (links in both namespaces,
 * physical ports, FDB and neighbour entries, VLAN programs).  Between
 * passes dp_run() reads FDB notifications and keeps the set of MACs
 * learned on physical-side ports; a pass rebuilds that set from a dump. */
#ifndef L2GW_VTEPD_DP_H
#define L2GW_VTEPD_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/model.h"

struct dp;
struct vconf;
struct want;

/* Most MACs kept as learned (more are ignored, with a warning). */
#define DP_MAX_LEARNED 65536

struct dp_mac {
    uint8_t mac[6];
    char ls_uuid[MODEL_UUID_LEN + 1];
    int bridge; /* ifindex */
};

/* A port fault: 'port' cannot realise its bindings. */
struct dp_fault {
    char port[MODEL_IFNAMSIZ];
    char reason[64];
};

/* Opens the netlink sockets (the WAN namespace's too when 'cfg' has a
 * wan_ip; the namespace is created if missing).  'cfg' is borrowed and
 * must outlive the dp.  Caller frees with dp_destroy(). */
int dp_create(const struct vconf *cfg, struct dp **out);
void dp_destroy(struct dp *dp);

/* One reconcile pass towards model 'm' (borrowed for the call).  Returns
 * 0, or a negative errno if some operation failed (the pass went on; the
 * next one retries). */
int dp_apply(struct dp *dp, const struct model *m);

/* Reads pending FDB notifications. */
void dp_run(struct dp *dp);
void dp_wait(struct dp *dp);

/* True if notifications were lost, so a pass should run now. */
bool dp_needs_pass(const struct dp *dp);

/* True if the kernel changed under us since the last pass (a link
 * appeared, went away or changed state, or an entry that is not a learned
 * MAC was deleted, e.g. by a link going down): a pass should run soon (the
 * caller rate-limits it: our own passes cause such notifications too). */
bool dp_kernel_changed(const struct dp *dp);

/* The learned MACs (valid until the next dp_run()/dp_apply()) and a
 * number that grows whenever they change. */
const struct dp_mac *dp_learned(const struct dp *dp, size_t *n);
uint64_t dp_learned_seqno(const struct dp *dp);

/* The port faults of the last pass. */
const struct dp_fault *dp_faults(const struct dp *dp, size_t *n);

/* Removes every kernel object of ours (links in both namespaces, the WAN
 * allow-list table) and our VLAN filters on the configured ports.  0 or a
 * negative errno. */
int dp_cleanup(struct dp *dp);

#endif
