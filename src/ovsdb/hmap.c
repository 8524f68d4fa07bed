/* Intrusive chained hash map; see hmap.h. */
#include "ovsdb/hmap.h"

#include <stdlib.h>
#include <string.h>

void
hmap_init(struct hmap *map)
{
    map->buckets = &map->one;
    map->one = NULL;
    map->mask = 0;
    map->n = 0;
}

void
hmap_destroy(struct hmap *map)
{
    if (map && map->buckets != &map->one) {
        free(map->buckets);
    }
    if (map) {
        hmap_init(map);
    }
}

void
hmap_clear(struct hmap *map)
{
    hmap_destroy(map);
}

/* Moves every node into a bucket array of 'n_buckets' (a power of 2). */
static void
hmap_resize(struct hmap *map, size_t n_buckets)
{
    struct hmap_node **b = calloc(n_buckets, sizeof *b);

    if (!b) {
        return; /* keep the old array: correct, only slower */
    }
    for (size_t i = 0; i <= map->mask; i++) {
        struct hmap_node *node = map->buckets[i];
        while (node) {
            struct hmap_node *next = node->next;
            size_t j = node->hash & (n_buckets - 1);
            node->next = b[j];
            b[j] = node;
            node = next;
        }
    }
    if (map->buckets != &map->one) {
        free(map->buckets);
    }
    map->buckets = b;
    map->mask = n_buckets - 1;
}

void
hmap_insert(struct hmap *map, struct hmap_node *node, uint32_t hash)
{
    size_t i = hash & map->mask;

    node->hash = hash;
    node->next = map->buckets[i];
    map->buckets[i] = node;
    map->n++;
    if (map->n > (map->mask + 1) * 2) {
        hmap_resize(map, (map->mask + 1) * 4);
    }
}

void
hmap_remove(struct hmap *map, struct hmap_node *node)
{
    struct hmap_node **p = &map->buckets[node->hash & map->mask];

    while (*p != node) {
        p = &(*p)->next;
    }
    *p = node->next;
    map->n--;
}

struct hmap_node *
hmap_first_with_hash(const struct hmap *map, uint32_t hash)
{
    struct hmap_node *node = map->buckets[hash & map->mask];

    while (node && node->hash != hash) {
        node = node->next;
    }
    return node;
}

struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    uint32_t hash = node->hash;

    node = node->next;
    while (node && node->hash != hash) {
        node = node->next;
    }
    return (struct hmap_node *)node;
}

/* The first node in a bucket at index 'start' or later. */
static struct hmap_node *
first_from(const struct hmap *map, size_t start)
{
    for (size_t i = start; i <= map->mask; i++) {
        if (map->buckets[i]) {
            return map->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_first(const struct hmap *map)
{
    return first_from(map, 0);
}

struct hmap_node *
hmap_next(const struct hmap *map, const struct hmap_node *node)
{
    if (node->next) {
        return node->next;
    }
    return first_from(map, (node->hash & map->mask) + 1);
}

uint32_t
hmap_hash_bytes(const void *p, size_t n, uint32_t basis)
{
    const unsigned char *s = p;
    uint32_t h = 2166136261u ^ basis;

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    return h;
}

uint32_t
hmap_hash_string(const char *s, uint32_t basis)
{
    return hmap_hash_finish(hmap_hash_bytes(s, strlen(s), basis));
}

uint32_t
hmap_hash_finish(uint32_t h)
{
    /* MurmurHash3's fmix32: spreads FNV's weak low bits over the word. */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}
