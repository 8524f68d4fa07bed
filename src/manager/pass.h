/* One reconcile pass of a switch database (db.h): plans what is marked
 * (core/plan) into the cached desired state, reconciles the marked LSs
 * (vtep/reconcile; all of them after a (re)connect), records ownership in
 * the store before sending, sets the verdicts of the connections involved
 * and sends at most one transaction.  The reply moves the database to
 * SETTLING (success: the scope is looked at again once the replica shows
 * the reply's rows) or BACKOFF (failure, logged with the database, the
 * failing operation and the server's error).  A transaction equal to the
 * last successful one means the switch did not apply it: it is reported
 * (the connections concerned go ERROR) and not sent again until something
 * changes. */
#ifndef L2GW_MANAGER_PASS_H
#define L2GW_MANAGER_PASS_H

#include <stddef.h>

struct mdb;

/* Runs one pass; the database must be connected and MDB_IDLE. */
void pass_run(struct mdb *d);

/* Drops the store's ownership records of LSs 'names' ('n' of them) on
 * the database, in one store transaction. */
void pass_forget_owned(struct mdb *d, char **names, size_t n);

#endif
