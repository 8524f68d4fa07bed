/* An intrusive chained hash map (in the style of OVS's hmap), used by the
 * replica for rows by UUID and for the natural-key indexes.
 *
 * The caller embeds a 'struct hmap_node' in its own struct, computes the
 * hash itself, and compares keys itself while walking the nodes that share
 * a hash.  The map never allocates nodes; it only owns its bucket array. */
#ifndef L2GW_OVSDB_HMAP_H
#define L2GW_OVSDB_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_node {
    struct hmap_node *next; /* next node in the same bucket */
    uint32_t hash;
};

/* An hmap must not be copied or moved once initialised: an empty map
 * points at its own 'one' bucket. */
struct hmap {
    struct hmap_node **buckets;
    struct hmap_node *one; /* the single bucket of a small map */
    size_t mask;           /* number of buckets - 1 (a power of 2 - 1) */
    size_t n;              /* number of nodes */
};

/* Gives the struct that embeds 'NODE' as member 'MEMBER' of 'TYPE'. */
#define HMAP_CONTAINER(NODE, TYPE, MEMBER)                                  \
    ((TYPE *)(void *)((char *)(NODE)-offsetof(TYPE, MEMBER)))

void hmap_init(struct hmap *map);

/* Frees the bucket array; the nodes belong to the caller and are not
 * touched.  Accepts a map that was only initialised. */
void hmap_destroy(struct hmap *map);

/* Forgets every node (the caller frees them) and shrinks the map back to a
 * single bucket. */
void hmap_clear(struct hmap *map);

/* Adds 'node' with 'hash'.  Grows the bucket array when the map gets full;
 * if that allocation fails the map keeps working, only with longer
 * chains. */
void hmap_insert(struct hmap *map, struct hmap_node *node, uint32_t hash);

/* Removes 'node', which must be in 'map'. */
void hmap_remove(struct hmap *map, struct hmap_node *node);

static inline size_t
hmap_count(const struct hmap *map)
{
    return map->n;
}

/* The first node with 'hash' (or NULL); continue with hmap_next_with_hash(). */
struct hmap_node *hmap_first_with_hash(const struct hmap *map, uint32_t hash);
struct hmap_node *hmap_next_with_hash(const struct hmap_node *node);

/* Iteration over every node in an unspecified order.  Removing the current
 * node is allowed once its successor has been fetched. */
struct hmap_node *hmap_first(const struct hmap *map);
struct hmap_node *hmap_next(const struct hmap *map,
                            const struct hmap_node *node);

/* Hash helpers: FNV-1a with a final avalanche.  'basis' chains hashes. */
uint32_t hmap_hash_bytes(const void *p, size_t n, uint32_t basis);
uint32_t hmap_hash_string(const char *s, uint32_t basis);
uint32_t hmap_hash_finish(uint32_t h);

#endif
