/* The desired state of one switch database; see desired.h. */
#include "vtep/desired.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vtep/canon.h"

/* Makes room for one more element in the array '*items' of 'size'-byte
 * elements holding '*n' of '*cap'.  Returns 0 or -ENOMEM. */
static int
grow(void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) {
        return 0;
    }
    size_t new_cap = *cap ? *cap * 2 : 4;
    void *p = realloc(*items, new_cap * size);
    if (!p) {
        return -ENOMEM;
    }
    *items = p;
    *cap = new_cap;
    return 0;
}

#define GROW(ARR, N, CAP) grow((void **)&(ARR), (N), &(CAP), sizeof *(ARR))

void
vtep_desired_init(struct vtep_desired *d)
{
    memset(d, 0, sizeof *d);
}

static void
ls_destroy(struct vtep_ls *ls)
{
    free(ls->name);
    free(ls->description);
    for (size_t i = 0; i < ls->n_macs; i++) {
        free(ls->macs[i].owner);
    }
    free(ls->macs);
    free(ls->flood);
    for (size_t i = 0; i < ls->n_bindings; i++) {
        free(ls->bindings[i].ps);
        free(ls->bindings[i].port);
        free(ls->bindings[i].conn);
    }
    free(ls->bindings);
    for (size_t i = 0; i < ls->n_conns; i++) {
        free(ls->conns[i]);
    }
    free(ls->conns);
}

void
vtep_desired_destroy(struct vtep_desired *d)
{
    if (!d) {
        return;
    }
    for (size_t i = 0; i < d->n_ls; i++) {
        ls_destroy(&d->ls[i]);
    }
    free(d->ls);
    memset(d, 0, sizeof *d);
}

struct vtep_ls *
vtep_desired_find(const struct vtep_desired *d, const char *name)
{
    for (size_t i = 0; name && i < d->n_ls; i++) {
        if (!strcmp(d->ls[i].name, name)) {
            return &d->ls[i];
        }
    }
    return NULL;
}

struct vtep_ls *
vtep_desired_ls(struct vtep_desired *d, const char *name,
                const char *description, long long key)
{
    struct vtep_ls *ls = vtep_desired_find(d, name);

    if (ls || !name) {
        return ls;
    }
    if (GROW(d->ls, d->n_ls, d->cap_ls)) {
        return NULL;
    }
    ls = &d->ls[d->n_ls];
    memset(ls, 0, sizeof *ls);
    ls->name = strdup(name);
    ls->description = strdup(description ? description : "");
    ls->key = key;
    if (!ls->name || !ls->description) {
        ls_destroy(ls);
        return NULL;
    }
    d->n_ls++;
    return ls;
}

/* Copies 'in' into 'out' with its IP in canonical form; -EINVAL if the
 * IP does not parse or the key is out of range. */
static int
canon_locator(const struct vtep_locator *in, struct vtep_locator *out)
{
    if (!in || canon_ip(in->ip, out->ip) ||
        (in->key != VTEP_NO_KEY && (in->key < 0 || in->key > VTEP_MAX_KEY))) {
        return -EINVAL;
    }
    out->key = in->key;
    return 0;
}

int
vtep_ls_add_mac(struct vtep_ls *ls, const char *mac, const char *ip,
                const struct vtep_locator *loc, const char *owner,
                long long rank)
{
    struct vtep_mac m;

    memset(&m, 0, sizeof m);
    if (canon_mac(mac, m.mac) || canon_ip_or_empty(ip ? ip : "", m.ip) ||
        canon_locator(loc, &m.loc)) {
        return -EINVAL;
    }
    if (GROW(ls->macs, ls->n_macs, ls->cap_macs)) {
        return -ENOMEM;
    }
    if (!(m.owner = strdup(owner ? owner : ""))) {
        return -ENOMEM;
    }
    m.rank = rank;
    ls->macs[ls->n_macs++] = m;
    return 0;
}

int
vtep_ls_add_flood(struct vtep_ls *ls, const struct vtep_locator *loc)
{
    struct vtep_locator l;

    if (canon_locator(loc, &l)) {
        return -EINVAL;
    }
    /* Newest first: callers usually add one host's locator repeatedly. */
    for (size_t i = ls->n_flood; i-- > 0;) {
        if (!canon_locator_cmp(&ls->flood[i], &l)) {
            return 0;
        }
    }
    if (GROW(ls->flood, ls->n_flood, ls->cap_flood)) {
        return -ENOMEM;
    }
    ls->flood[ls->n_flood++] = l;
    return 0;
}

int
vtep_ls_add_binding(struct vtep_ls *ls, const char *ps, const char *port,
                    int vlan, const char *conn)
{
    struct vtep_binding b;

    if (!ps || !port || vlan < 0 || vlan > VTEP_MAX_VLAN) {
        return -EINVAL;
    }
    if (GROW(ls->bindings, ls->n_bindings, ls->cap_bindings)) {
        return -ENOMEM;
    }
    b.ps = strdup(ps);
    b.port = strdup(port);
    b.conn = strdup(conn ? conn : "");
    b.vlan = vlan;
    if (!b.ps || !b.port || !b.conn) {
        free(b.ps);
        free(b.port);
        free(b.conn);
        return -ENOMEM;
    }
    ls->bindings[ls->n_bindings++] = b;
    return 0;
}

int
vtep_ls_add_conn(struct vtep_ls *ls, const char *conn)
{
    if (!conn) {
        return -EINVAL;
    }
    for (size_t i = 0; i < ls->n_conns; i++) {
        if (!strcmp(ls->conns[i], conn)) {
            return 0;
        }
    }
    if (GROW(ls->conns, ls->n_conns, ls->cap_conns)) {
        return -ENOMEM;
    }
    if (!(ls->conns[ls->n_conns] = strdup(conn))) {
        return -ENOMEM;
    }
    ls->n_conns++;
    return 0;
}

/* ---- Sorting ---- */

static int
cmp_ls(const void *a_, const void *b_)
{
    const struct vtep_ls *a = a_, *b = b_;

    return strcmp(a->name, b->name);
}

int
vtep_mac_cmp(const struct vtep_mac *a, const struct vtep_mac *b)
{
    int c = strcmp(a->mac, b->mac);

    if (c) {
        return c;
    }
    if (a->rank != b->rank) {
        return a->rank < b->rank ? -1 : 1;
    }
    return strcmp(a->owner, b->owner);
}

static int
cmp_mac(const void *a, const void *b)
{
    return vtep_mac_cmp(a, b);
}

static int
cmp_loc(const void *a, const void *b)
{
    return canon_locator_cmp(a, b);
}

static int
cmp_binding(const void *a_, const void *b_)
{
    const struct vtep_binding *a = a_, *b = b_;
    int c = strcmp(a->ps, b->ps);

    if (!c) {
        c = strcmp(a->port, b->port);
    }
    if (!c) {
        c = a->vlan - b->vlan;
    }
    return c ? c : strcmp(a->conn, b->conn);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort() that accepts an empty (NULL) array. */
static void
sort(void *items, size_t n, size_t size, int (*cmp)(const void *,
                                                     const void *))
{
    if (n > 1) {
        qsort(items, n, size, cmp);
    }
}

void
vtep_desired_sort(struct vtep_desired *d)
{
    sort(d->ls, d->n_ls, sizeof *d->ls, cmp_ls);
    for (size_t i = 0; i < d->n_ls; i++) {
        struct vtep_ls *ls = &d->ls[i];
        sort(ls->macs, ls->n_macs, sizeof *ls->macs, cmp_mac);
        sort(ls->flood, ls->n_flood, sizeof *ls->flood, cmp_loc);
        sort(ls->bindings, ls->n_bindings, sizeof *ls->bindings,
             cmp_binding);
        sort(ls->conns, ls->n_conns, sizeof *ls->conns, cmp_str);
    }
}
