/* Reading the overlay export (fdbread.h). */
#include "core/fdbread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/db.h"
#include "lib/jsonutil.h"
#include "store/store.h"

static long long
meta_int(struct core *c, const char *key)
{
    long long v = 0;

    int rc = store_meta_int(core_store(c), key, &v);
    return rc == 1 ? v : 0;
}

long long
fdbread_revision(struct core *c)
{
    return meta_int(c, "fdb_revision");
}

int
fdbread_where(struct core *c, const json_t *query, char *where,
              long long *revision, struct core_err *err)
{
    const json_t *v = json_array_get(json_object_get(query, "changes_since"),
                                     0);
    long long since;

    *revision = fdbread_revision(c);
    if (!v) {
        snprintf(where, FDBREAD_WHERE_LEN, "deleted = 0");
        return 0;
    }
    if (!ju_as_int(v, &since) || since < 0) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: changes_since must be "
                         "a revision (an integer >= 0).");
    }
    long long pruned = meta_int(c, "fdb_pruned_revision");
    if (since < pruned) {
        return core_fail(err, CE_GONE,
                         "Changes since revision %lld are no longer "
                         "available (the oldest is %lld); list the entries "
                         "again.",
                         since, pruned);
    }
    snprintf(where, FDBREAD_WHERE_LEN, "revision > %lld", since);
    return 0;
}
