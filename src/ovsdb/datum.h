/* OVSDB values in their JSON wire form (RFC 7047 section 5.1).
 *
 * An <atom> is a JSON string, integer, real or boolean, ["uuid", "<uuid>"]
 * or ["named-uuid", "<id>"].  A <set> is ["set", [atom, ...]], or a lone
 * atom standing for a set of one element.  A <map> is
 * ["map", [[key, value], ...]].  These helpers build such values, read them
 * whatever shorthand the server used, and compare them the way OVSDB does:
 * sets and maps without regard to order, an atom equal to the set holding
 * only that atom, and the empty set equal to the empty map.
 *
 * Values are plain jansson values; nothing here keeps state. */
#ifndef L2GW_OVSDB_DATUM_H
#define L2GW_OVSDB_DATUM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Building.  Each returns a new reference (caller json_decref()s), or
 * NULL when out of memory or, where noted, on invalid input. ---- */

/* ["uuid", uuid]; NULL if 'uuid' is not in 8-4-4-4-12 hex form. */
json_t *datum_uuid(const char *uuid);

/* ["named-uuid", name]; NULL if 'name' is not an <id> ([a-zA-Z_][a-zA-Z0-9_]*). */
json_t *datum_named_uuid(const char *name);

/* ["set", []] and ["map", []]. */
json_t *datum_set_new(void);
json_t *datum_map_new(void);

/* Appends 'atom' to a set made by datum_set_new().  Takes ownership of
 * 'atom' (also on failure).  Returns 0 or -EINVAL/-ENOMEM. */
int datum_set_add(json_t *set, json_t *atom);

/* Appends the pair to a map made by datum_map_new().  Takes ownership of
 * 'key' and 'value' (also on failure).  Returns 0 or -EINVAL/-ENOMEM. */
int datum_map_add(json_t *map, json_t *key, json_t *value);

/* Convenience: adds string 'key' => string 'value'. */
int datum_map_add_str(json_t *map, const char *key, const char *value);

/* A set of 'n' strings. */
json_t *datum_set_of_strings(const char *const *strs, size_t n);

/* ---- Reading.  Returned pointers are borrowed from the argument. ---- */

/* True if 'v' is a syntactically valid atom, set or map. */
bool datum_is_valid(const json_t *v);
bool datum_is_atom(const json_t *v);
bool datum_is_set(const json_t *v); /* ["set", ...] or an atom */
bool datum_is_map(const json_t *v);

/* The UUID string of ["uuid", u] (or of a set holding exactly that), else
 * NULL.  Likewise for ["named-uuid", n]. */
const char *datum_get_uuid(const json_t *v);
const char *datum_get_named_uuid(const json_t *v);

/* The string of a string atom or of a set holding exactly one string, else
 * NULL.  An empty set (an optional column left empty) gives NULL. */
const char *datum_get_string(const json_t *v);

/* The integer of an integer atom or of a set holding exactly one integer;
 * false otherwise. */
bool datum_get_integer(const json_t *v, long long *out);

/* The boolean of a boolean atom or of a set holding exactly one. */
bool datum_get_boolean(const json_t *v, bool *out);

/* Number of elements of a set, or pairs of a map; 1 for an atom; 0 for an
 * invalid value. */
size_t datum_count(const json_t *v);

/* The i-th element of a set (an atom is its own element 0), else NULL. */
const json_t *datum_set_at(const json_t *v, size_t i);

/* The i-th pair of a map; false if out of range or not a map. */
bool datum_map_at(const json_t *v, size_t i, const json_t **key,
                  const json_t **value);

/* The value that map 'v' gives to 'key' (compared as atoms), or NULL. */
const json_t *datum_map_get(const json_t *v, const json_t *key);

/* The string value of string key 'key' in map 'v', or NULL. */
const char *datum_map_get_str(const json_t *v, const char *key);

/* True if set 'v' holds an element equal to 'atom'. */
bool datum_set_contains(const json_t *v, const json_t *atom);

/* ---- Comparing. ---- */

/* A total order on atoms: by type (integer, real, boolean, string, uuid,
 * named-uuid), then by value; UUIDs compare without regard to case.
 * Invalid atoms sort last, equal to each other. */
int datum_atom_compare(const json_t *a, const json_t *b);

/* True if 'a' and 'b' are the same OVSDB value (see the header comment).
 * NULL is treated as the empty set. */
bool datum_equal(const json_t *a, const json_t *b);

/* A hash consistent with datum_equal(): equal values hash equally. */
uint32_t datum_hash(const json_t *v, uint32_t basis);

#endif
