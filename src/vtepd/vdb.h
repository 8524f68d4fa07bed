/* The OVSDB side of l2gw-vtepd: one session to the switch's own
 * hardware_vtep database.
 *
 * It keeps the rows this switch owns in line with reality: the Global row
 * (created if missing), its Physical_Switch (name, tunnel_ips,
 * description, other_config:l2gw-per-locator-key=true) in
 * Global.switches, one Physical_Port per configured port in
 * Physical_Switch.ports, the ports' port_fault_status, Ucast_Macs_Local
 * (the MACs learned on physical ports, locator = own tunnel_ip) and one
 * Mcast_Macs_Local "unknown-dst" per instantiated Logical_Switch.  At most
 * one transaction is in flight; each is computed from the replica when it
 * is sent, so a reconnect or a hand edit is just another difference.
 *
 * It reads the controller's wishes (Logical_Switch, bindings, locators,
 * remote MACs) into a struct model. */
#ifndef L2GW_VTEPD_VDB_H
#define L2GW_VTEPD_VDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/dp.h"
#include "vtepd/model.h"

struct vdb;
struct vconf;

/* Operations per transaction (the rest follows in the next ones). */
#define VDB_MAX_OPS 2000
/* Delay before retrying a failed transaction (ms). */
#define VDB_RETRY_MS 1000

/* Starts a session to cfg->db ('cfg' borrowed, must outlive the vdb).
 * Caller frees with vdb_destroy(). */
int vdb_create(const struct vconf *cfg, struct vdb **out);
void vdb_destroy(struct vdb *vdb);

void vdb_run(struct vdb *vdb);
void vdb_wait(struct vdb *vdb);

/* True while the session is active and holds our Physical_Switch. */
bool vdb_ready(const struct vdb *vdb);

/* Changes whenever a table the model reads changes (and on every
 * reconnect). */
uint64_t vdb_seqno(const struct vdb *vdb);

/* Fills 'm' (emptied first) with the wishes of the database.  0 or
 * -ENOMEM. */
int vdb_model(const struct vdb *vdb, struct model *m);

/* What the switch reports: the learned MACs, the port faults, and the
 * model (for the switches it instantiates); all copied. */
int vdb_publish(struct vdb *vdb, const struct dp_mac *macs, size_t n_macs,
                const struct dp_fault *faults, size_t n_faults,
                const struct model *m);

/* True when no transaction is in flight or pending (for tests/--once). */
bool vdb_idle(const struct vdb *vdb);

#endif
