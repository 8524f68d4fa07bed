/* Connection status (connections.status / status_reason, and the same
 * columns of remote_gateway_connections, whose verdicts plan gives under
 * the remote connection's id in its network's LS), from what every
 * database serving a connection says about it (its verdicts, see db.h):
 *   ERROR   any database reports a problem for it (reason: all of them);
 *   PENDING a serving switch is disconnected or unknown to the manager, or
 *           its rows have not converged yet (and it was never ACTIVE);
 *   ACTIVE  every serving database holds its rows.
 * Once ACTIVE, later unrelated transactions do not flip it back to
 * PENDING.  A device that names no known switch, or an ambiguous one, is
 * an ERROR.  Writes are batched (one store transaction per flush). */
#ifndef L2GW_MANAGER_STATUS_H
#define L2GW_MANAGER_STATUS_H

#include <jansson.h>

struct manager;
struct mdb;

#define STATUS_ACTIVE "ACTIVE"
#define STATUS_PENDING "PENDING"
#define STATUS_ERROR "ERROR"

/* Longest status_reason written. */
#define STATUS_REASON_MAX 1024

/* Recomputes and writes the status of the connections marked dirty. */
void status_flush(struct manager *m);

/* Sets the verdict of connection 'conn' on database 'd' ('state' one of
 * "ok", "pending", "error"; 'reason' for errors); marks the connection
 * dirty when the verdict changed. */
void status_set_verdict(struct mdb *d, const char *conn, const char *ls,
                        const char *state, const char *reason);

/* Drops the verdicts of 'd' whose LS is in 'scope' (NULL: all) and whose
 * connection is not in 'keep'; marks them dirty. */
void status_drop_verdicts(struct mdb *d, const json_t *scope,
                          const json_t *keep);

#endif
