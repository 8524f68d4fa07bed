/* Plain-data model of the database's wishes (see model.h). */
#include "vtepd/model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void model_init(struct model *m)
{
    memset(m, 0, sizeof *m);
}

void model_clear(struct model *m)
{
    free(m->ls);
    free(m->bindings);
    free(m->macs);
    free(m->floods);
    model_init(m);
}

/* Appends 'x' ('size' bytes) to the array '*v' of '*n' elements. */
static int push(void **v, size_t *n, size_t *cap, size_t size, const void *x)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        void *nv = realloc(*v, c * size);
        if (!nv) {
            return -ENOMEM;
        }
        *v = nv;
        *cap = c;
    }
    memcpy((char *)*v + *n * size, x, size);
    (*n)++;
    return 0;
}

int model_add_ls(struct model *m, const struct model_ls *x)
{
    return push((void **)&m->ls, &m->n_ls, &m->cap_ls, sizeof *x, x);
}

int model_add_binding(struct model *m, const struct model_binding *x)
{
    return push((void **)&m->bindings, &m->n_bindings, &m->cap_bindings,
                sizeof *x, x);
}

int model_add_mac(struct model *m, const struct model_mac *x)
{
    return push((void **)&m->macs, &m->n_macs, &m->cap_macs, sizeof *x, x);
}

int model_add_flood(struct model *m, const struct model_flood *x)
{
    return push((void **)&m->floods, &m->n_floods, &m->cap_floods, sizeof *x,
                x);
}

int model_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char tail;
    if (!s || strlen(s) != 17 ||
        sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &tail) != 6) {
        return -EINVAL;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = (uint8_t)b[i];
    }
    return 0;
}

void model_format_mac(const uint8_t mac[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
             mac[3], mac[4], mac[5]);
}
