/* core/vni: allocation of network VNIs from [l2gw] vni_ranges.
 *
 * The lowest free VNI of the configured ranges is chosen.  To keep that
 * cheap as networks accumulate, each range [A, B] has a hint in the meta
 * table, key "vni_hint:A-B", value H, with the invariant: every VNI of
 * [A, H) is taken.  The allocation searches from H (an index walk that
 * stops at the first gap) and moves H up; a network delete lowers every
 * hint above the freed VNI.  Both happen inside the caller's write
 * transaction, so the hints stay exact with several nodes.  A missing or
 * unreadable hint is A (a full search, once). */
#ifndef L2GW_CORE_VNI_H
#define L2GW_CORE_VNI_H

struct core;
struct core_err;

/* Inside a write transaction: *out = the lowest free VNI.  Returns 0,
 * -EINVAL with 'err' set (NoNetworkAvailable) when every range is full,
 * a negative errno when vni_ranges cannot be parsed, or a store error. */
int vni_alloc(struct core *c, long long *out, struct core_err *err);

/* Inside a write transaction that deletes the network of 'vni': lowers the
 * hints that 'vni' falls under.  Returns 0 or a store error. */
int vni_freed(struct core *c, long long vni);

#endif
