/* VNI allocation with per-range hints (vni.h). */
#include "core/vni.h"

#include <errno.h>
#include <stdio.h>

#include "core/core.h"
#include "core/db.h"
#include "core/error.h"
#include "lib/config.h"
#include "store/store.h"

#define LOG_MODULE "network"
#include "lib/log.h"

#define DEFAULT_VNI_RANGES "1:16777215"
#define HINT_PREFIX "vni_hint:"

enum { HINTS_MAX = 64 }; /* hint rows lowered one by one; more: all dropped */

static void
hint_key(char *key, size_t size, long long a, long long b)
{
    snprintf(key, size, HINT_PREFIX "%lld-%lld", a, b);
}

/* The hint of [a, b] in '*out': a when there is none or it is out of
 * [a, b + 1]. */
static int
hint_get(struct store *st, long long a, long long b, long long *out)
{
    char key[64];
    long long h = a;

    hint_key(key, sizeof key, a, b);
    int rc = store_meta_int(st, key, &h);
    *out = h > a && h <= b + 1 ? h : a;
    return rc < 0 ? db_fail(rc, "vni hint") : 0;
}

static int
hint_set(struct store *st, const char *key, long long h)
{
    int rc = store_meta_set_int(st, key, h);
    return rc ? db_fail(rc, "vni hint") : 0;
}

/* The lowest free VNI of [a, b] (0: none), searched from the hint, which
 * is moved to it. */
static long long
lowest_free(struct store *st, long long a, long long b, int *rc)
{
    long long from, v = 0;
    char key[64];

    if ((*rc = hint_get(st, a, b, &from)) || from > b) {
        return 0;
    }
    *rc = db_exists(st, "SELECT 1 FROM networks WHERE vni = ?", "i", from);
    if (*rc == 0) {
        v = from;
    } else if (*rc > 0) {
        /* the first taken VNI >= from whose successor is free */
        *rc = db_int(st, &v,
                     "SELECT n.vni + 1 FROM networks n WHERE n.vni >= ? AND "
                     "n.vni < ? AND NOT EXISTS (SELECT 1 FROM networks m "
                     "WHERE m.vni = n.vni + 1) ORDER BY n.vni LIMIT 1",
                     "ii", from, b);
    }
    if (*rc < 0) {
        return 0;
    }
    hint_key(key, sizeof key, a, b);
    *rc = hint_set(st, key, v ? v : b + 1);
    return *rc ? 0 : v;
}

int
vni_alloc(struct core *c, long long *out, struct core_err *err)
{
    const struct config *cfg = core_config(c);
    const char *text = cfg && cfg->vni_ranges ? cfg->vni_ranges
                                              : DEFAULT_VNI_RANGES;
    long long ranges[CONFIG_VNI_RANGES_MAX][2], best = 0;
    int rc = 0;

    int n = config_parse_vni_ranges(text, ranges, CONFIG_VNI_RANGES_MAX);
    if (n < 0) {
        log_err("cannot parse [l2gw] vni_ranges '%s'", text);
        return n;
    }
    for (int i = 0; i < n && !rc; i++) {
        long long v = lowest_free(core_store(c), ranges[i][0], ranges[i][1],
                                  &rc);
        if (v && (!best || v < best)) {
            best = v;
        }
    }
    if (rc) {
        return rc;
    }
    if (!best) {
        return core_fail(err, CE_NO_VNI_AVAILABLE,
                         "Unable to create the network. No tenant network "
                         "is available for allocation.");
    }
    *out = best;
    return 0;
}

/* Collects the hints [a, b] -> h with a <= vni < h into 'keys'; returns
 * their number, HINTS_MAX + 1 when there are too many, or a store error. */
static int
hints_above(struct store *st, long long vni, char (*keys)[64])
{
    struct store_stmt *s;
    int n = 0;

    int rc = db_prepare(st, &s, "SELECT key, value FROM meta WHERE key LIKE ?",
                        "s", HINT_PREFIX "%");
    if (rc) {
        return rc;
    }
    while ((rc = store_step(s)) == 1) {
        long long a, b, h;
        const char *k = store_col_text(s, 0), *v = store_col_text(s, 1);
        if (!k || !v || sscanf(k, HINT_PREFIX "%lld-%lld", &a, &b) != 2
            || sscanf(v, "%lld", &h) != 1 || vni < a || vni >= h) {
            continue;
        }
        if (n == HINTS_MAX) {
            store_reset(s);
            return HINTS_MAX + 1;
        }
        snprintf(keys[n++], 64, "%s", k);
    }
    return rc < 0 ? rc : n;
}

int
vni_freed(struct core *c, long long vni)
{
    struct store *st = core_store(c);
    char keys[HINTS_MAX][64];

    int n = hints_above(st, vni, keys);
    if (n > HINTS_MAX) {
        n = db_run(st, "DELETE FROM meta WHERE key LIKE ?", "s",
                   HINT_PREFIX "%");
        return n < 0 ? n : 0;
    }
    for (int i = 0; i < n; i++) {
        int rc = hint_set(st, keys[i], vni);
        if (rc) {
            return rc;
        }
    }
    return n < 0 ? n : 0;
}
