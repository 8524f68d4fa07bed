/* The reply to the transaction a pass sent (pass.h):
 *   - success: ownership of deleted LSs is dropped, the database waits
 *     (MDB_SETTLING) until its replica shows the rows the reply inserted
 *     and deleted, and the pass's scope is looked at again;
 *   - failure: logged with the database, the failing operation (index, op,
 *     table, row) and the server's error, kept for the registry, and
 *     retried after an exponential backoff (MDB_BACKOFF); after
 *     MDB_FAIL_LIMIT failures in a row the connections concerned go ERROR
 *     until a transaction succeeds;
 *   - connection lost: dropped (the reconnect runs a full pass). */
#ifndef L2GW_MANAGER_REPLY_H
#define L2GW_MANAGER_REPLY_H

#include <jansson.h>

/* session_reply_cb for "transact" (aux: the struct mdb). */
void reply_cb(void *aux, long long id, const json_t *result,
              const json_t *error);

#endif
