/* The even spread of switch databases over live nodes (lease.h). */
#include "cluster/lease.h"

#include <string.h>

/* This node's share of 'n' databases among 'n_live' nodes. */
static size_t share_of(const char *me, const char *const *live,
                       size_t n_live, size_t n)
{
    size_t rank = 0;

    if (!n_live) {
        return n;
    }
    while (rank < n_live && strcmp(live[rank], me)) {
        rank++;
    }
    if (rank == n_live) { /* not live: take nothing new */
        return 0;
    }
    return n / n_live + (rank < n % n_live ? 1 : 0);
}

static bool is_mine(const char *me, const struct lease_row *r)
{
    return r->node && !r->expired && !strcmp(r->node, me);
}

size_t lease_decide(const char *me, const char *const *live, size_t n_live,
                    const struct lease_row *rows, size_t n,
                    enum lease_action *out)
{
    size_t share = share_of(me, live, n_live, n), held = 0;

    for (size_t i = 0; i < n; i++) {
        out[i] = LEASE_NONE;
        if (is_mine(me, &rows[i]) && rows[i].servable) {
            out[i] = LEASE_KEEP;
            held++;
        } else if (is_mine(me, &rows[i])) {
            out[i] = LEASE_RELEASE; /* no longer in our configuration */
        }
    }
    /* Above the share: release the last ones by name. */
    for (size_t i = n; i-- > 0 && held > share;) {
        if (out[i] == LEASE_KEEP) {
            out[i] = LEASE_RELEASE;
            held--;
        }
    }
    /* Below it: claim free ones, first by name. */
    for (size_t i = 0; i < n && held < share; i++) {
        if (out[i] == LEASE_NONE && rows[i].servable
            && (!rows[i].node || rows[i].expired)) {
            out[i] = LEASE_CLAIM;
            held++;
        }
    }
    return share;
}
