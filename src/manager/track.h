/* Change tracking of a switch database's replica: the rows changed since
 * the last look mark LSs dirty (drift, our own writes, local MACs, ports
 * whose bindings or presence changed), feed the registry (switches,
 * ports, LS mirror) and the learned MACs, and keep the map of LS UUIDs to
 * names.  Work that waited for the switch is marked again on any change. */
#ifndef L2GW_MANAGER_TRACK_H
#define L2GW_MANAGER_TRACK_H

#include <stdbool.h>

struct mdb;
struct replica_row;

/* Turns tracking on for the followed tables (before the first run). */
void track_init(struct mdb *d);

/* Handles the rows changed since the last call. */
void track_changes(struct mdb *d);

/* After a (re)connect: forgets the changes (the replica was rebuilt) and
 * rebuilds the LS name map. */
void track_reset(struct mdb *d);

/* True if the switch learned MAC 'mac' (canonical) in LS 'ls'. */
bool track_local_mac(const struct mdb *d, const char *ls, const char *mac);

/* The LS name that column 'col' (a UUID) of 'row' refers to, or NULL. */
const char *track_ls_of(const struct mdb *d, const struct replica_row *row,
                        const char *col);

#endif
