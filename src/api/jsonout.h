/* Fast compact serialisation of JSON values for responses.  jansson's
 * json_dumps() checks every object and array for cycles by formatting its
 * address into a hash table, which made it the largest cost of a big list
 * response; values built by l2gwd have no cycles, so this writer does not
 * look for them (a depth limit stops a runaway). */
#ifndef L2GW_API_JSONOUT_H
#define L2GW_API_JSONOUT_H

#include <jansson.h>
#include <stddef.h>

#define JSONOUT_MAX_DEPTH 2048

/* Returns 'v' serialised compactly (keys in insertion order, like
 * json_dumps(v, JSON_COMPACT)) in a new NUL-terminated string and its
 * length in '*len'.  NULL when out of memory or deeper than
 * JSONOUT_MAX_DEPTH.  Caller frees with free(). */
char *jsonout_dump(const json_t *v, size_t *len);

#endif
