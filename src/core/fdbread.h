/* Reading the overlay export (/v2.0/l2-fdb-entries, spec/switch.md
 * "Overlay export"), which the switch manager writes into table
 * fdb_entries (manager/fdb.h): the current revision, and the list
 * condition for ?changes_since=<revision>. */
#ifndef L2GW_CORE_FDBREAD_H
#define L2GW_CORE_FDBREAD_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

struct core;

/* Room for the condition fdbread_where() writes. */
#define FDBREAD_WHERE_LEN 64

/* The current revision of the export (0 before any entry). */
long long fdbread_revision(struct core *c);

/* From the list's query parameters 'query' (object: name → array of
 * strings; may be NULL): without changes_since, the current entries
 * ("deleted = 0"); with changes_since=R, every entry changed after R,
 * removed ones included ("revision > R").  Writes the SQL condition into
 * 'where' (FDBREAD_WHERE_LEN bytes) and the current revision into
 * '*revision'.  A changes_since that is not an integer ≥ 0 is 400
 * InvalidInput; one older than the pruned tombstones is 410 HTTPGone.
 * Returns 0 or -EINVAL with 'err' filled. */
int fdbread_where(struct core *c, const json_t *query, char *where,
                  long long *revision, struct core_err *err);

#endif
