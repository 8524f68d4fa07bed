/* "l2gwd ctl dump <db>": the desired state of a switch database and the
 * replica rows l2gw owns there, as JSON. */
#ifndef L2GW_MANAGER_DUMP_H
#define L2GW_MANAGER_DUMP_H

#include <jansson.h>

struct mdb;

/* {"database", "connected", "desired": [LS...], "owned_records",
 *  "replica": {table: [rows]}, "plan_problems"}.  Caller frees. */
json_t *dump_database(const struct mdb *d);

#endif
