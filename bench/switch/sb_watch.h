/* sb_watch: switchbench's own view of a switch database.  An OVSDB
 * session (src/ovsdb) monitors the hardware_vtep tables l2gwd writes, so
 * that the benchmark learns *when* rows appear or vanish from the update
 * notifications the server pushes, without polling.  Natural-key indexes
 * answer the questions the phases ask in O(matching rows):
 *
 *   - the UUID of the Logical_Switch called NAME;
 *   - how many Ucast_Macs_Remote / Mcast_Macs_Remote rows an LS has;
 *   - how many Ucast_Macs_Remote rows (MAC, LS) has (0, 1, or duplicates);
 *   - which LS a (Physical_Port, VLAN) binding points at.
 *
 * The watcher also sends the benchmark's own transactions (switch setup,
 * and the "edits behind l2gwd's back" of the reconnect phase). */
#ifndef SB_WATCH_H
#define SB_WATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct watch;
struct replica;

/* Creates a watcher of the database at 'remote' ("unix:PATH"), named
 * 'name' in messages; it connects on the first watch_run().  Caller frees
 * with watch_destroy().  Returns NULL on failure (reason on stderr). */
struct watch *watch_create(const char *name, const char *remote);
void watch_destroy(struct watch *w);

/* Loop integration (lib/loop.h). */
void watch_run(struct watch *w);
void watch_wait(struct watch *w);

/* True once the initial monitor reply is in (and while connected). */
bool watch_active(const struct watch *w);

/* Changes whenever the watcher's copy changes (or is rebuilt). */
uint64_t watch_seqno(const struct watch *w);

const char *watch_name(const struct watch *w);
const struct replica *watch_replica(const struct watch *w);

/* The _uuid of the Logical_Switch named 'ls_name' (borrowed until the next
 * watch_run()), or NULL if there is none (or several). */
const char *watch_ls_uuid(const struct watch *w, const char *ls_name);

/* Rows of 'table' (Ucast_Macs_Remote or Mcast_Macs_Remote) whose
 * logical_switch is 'ls_uuid'. */
size_t watch_count_in_ls(const struct watch *w, const char *table,
                         const char *ls_uuid);

/* Ucast_Macs_Remote rows with MAC 'mac' (lower case) in LS 'ls_uuid'. */
size_t watch_mac_rows(const struct watch *w, const char *mac,
                      const char *ls_uuid);

/* The UUID of the LS that Physical_Port 'port' binds VLAN 'vlan' to, or
 * NULL (no such port or binding). */
const char *watch_binding(const struct watch *w, const char *port,
                          long long vlan);

/* Rows held in 'table'. */
size_t watch_table_count(const struct watch *w, const char *table);

/* Sends a transaction of 'ops' (taken: a JSON array of operations) and
 * waits for its reply, running only this watcher.  Returns 0 if every
 * operation succeeded, else a negative errno (the error on stderr). */
int watch_transact(struct watch *w, json_t *ops, double timeout_s);

/* Runs this watcher until it is active.  Returns 0 or -ETIMEDOUT. */
int watch_wait_active(struct watch *w, double timeout_s);

#endif
