/* The switch manager's records as the API shows them: the switch registry
 * (/v2.0/l2-switches) and learned MACs (/v2.0/l2-learned-macs).  The
 * manager writes these tables; the API reads them and may forget a
 * switch. */
#ifndef L2GW_CORE_REGISTRY_H
#define L2GW_CORE_REGISTRY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"

struct core;

/* Completes switch rows from the generic list (columns of table switches):
 * JSON-array/object text columns ("tunnel_ips", "switch_fault_status",
 * "other_config") become JSON values, and "ports" is added as
 * [{"name", "port_fault_status", "vlan_bindings"}] from switch_ports (a page
 * in a few queries).  Returns 0 or a negative errno. */
int registry_render_switches(struct core *c, json_t *rows,
                             struct core_err *err);

/* Forgets switch 'id': its record, its ports and the MACs learned on it
 * (EVENT_SWITCH after the commit).  404 L2SwitchNotFound if unknown, 409
 * L2SwitchInUse while a connection uses a gateway device naming it.
 * With 'cleanup' on a connected switch, the switch is only marked
 * (switches.forget_requested) and EVENT_SWITCH published: the switch
 * manager removes l2gwd's rows from it, then forgets it. */
int registry_forget_switch(struct core *c, const char *id, bool cleanup,
                           struct core_err *err);

/* Parses a JSON text column value into JSON; text that does not parse is
 * kept as a string (and logged once).  Caller frees the result. */
json_t *registry_json_column(const char *text);

#endif
