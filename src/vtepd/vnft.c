/* The WAN source allow-list, pure parts (see vnft.h). */
#include "vtepd/vnft.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2gw-config.h"
#include "vtepd/kstate.h"
#include "vtepd/recon.h"
#include "vtepd/want.h"

/* The loopback's index in every network namespace. */
#define LOOPBACK_IFINDEX 1

void vnft_table_name(const char *prefix, char *out)
{
    snprintf(out, VNFT_NAME_MAX, "%s-wan", prefix);
}

void vnft_chain_name(const char *dev, char *out)
{
    snprintf(out, VNFT_NAME_MAX, "%s%s", VNFT_CHAIN_PREFIX, dev);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t vnft_sort_unique(uint32_t *v, size_t n)
{
    if (n < 2) {
        return n;
    }
    qsort(v, n, sizeof *v, cmp_u32);
    size_t k = 1;
    for (size_t i = 1; i < n; i++) {
        if (v[i] != v[k - 1]) {
            v[k++] = v[i];
        }
    }
    return k;
}

int vnft_addrs(const struct want *w, uint32_t **out, size_t *n)
{
    uint32_t *v = malloc((w->n_fdb ? w->n_fdb : 1) * sizeof *v);
    if (!v) {
        return -ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < w->n_fdb; i++) {
        if (w->fdb[i].ns == WANT_NS_WAN && w->fdb[i].dst) {
            v[k++] = w->fdb[i].dst;
        }
    }
    *n = vnft_sort_unique(v, k);
    *out = v;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

size_t vnft_devs(const struct klinks *links, const char *prefix,
                 char (*out)[MODEL_IFNAMSIZ], size_t max)
{
    size_t n = 0, total = 0;
    for (size_t i = 0; i < links->n; i++) {
        const struct klink *k = &links->v[i];
        if (k->ifindex == LOOPBACK_IFINDEX || recon_is_ours(k->name, prefix)) {
            continue;
        }
        total++;
        if (n < max) {
            snprintf(out[n++], MODEL_IFNAMSIZ, "%s", k->name);
        }
    }
    qsort(out, n, sizeof *out, cmp_name);
    return total;
}

void vnft_diff(const uint32_t *want, size_t n_want, const uint32_t *have,
               size_t n_have, uint32_t *add, size_t *n_add, uint32_t *del,
               size_t *n_del)
{
    size_t i = 0, j = 0;
    *n_add = *n_del = 0;
    while (i < n_want || j < n_have) {
        if (j == n_have || (i < n_want && want[i] < have[j])) {
            add[(*n_add)++] = want[i++];
        } else if (i == n_want || have[j] < want[i]) {
            del[(*n_del)++] = have[j++];
        } else {
            i++;
            j++;
        }
    }
}

bool vnft_layout_ok(const char (*devs)[MODEL_IFNAMSIZ], size_t n_devs,
                    const struct vnft_chain *have, size_t n_have)
{
    if (n_have != n_devs) {
        return false;
    }
    for (size_t i = 0; i < n_devs; i++) {
        char name[VNFT_NAME_MAX];
        size_t found = 0;
        vnft_chain_name(devs[i], name);
        for (size_t j = 0; j < n_have; j++) {
            const struct vnft_chain *c = &have[j];
            if (!strcmp(c->name, name) && !strcmp(c->dev, devs[i]) &&
                c->ingress && c->n_rules == 1) {
                found++;
            }
        }
        if (found != 1) {
            return false;
        }
    }
    return true;
}

#ifndef HAVE_LIBNFTNL
/* Built without libnftnl: there is no allow-list (vconf refuses the
 * option), and nothing to remove. */
int vnft_open(int netns_fd, const char *prefix, uint32_t wan_ip, uint16_t port,
              struct vnft **out)
{
    *out = NULL;
    return -EOPNOTSUPP;
}

void vnft_close(struct vnft *v)
{
}

int vnft_apply(struct vnft *v, const struct want *w, const struct klinks *links)
{
    return -EOPNOTSUPP;
}

int vnft_remove(struct vnft *v)
{
    return 0;
}
#endif
