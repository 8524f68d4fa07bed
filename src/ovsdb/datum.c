/* OVSDB values in JSON form: building, reading, comparing; see datum.h. */
#include "ovsdb/datum.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/uuid.h"
#include "ovsdb/hmap.h"

/* Atoms sort by this rank first. */
enum atom_kind { AK_INTEGER, AK_REAL, AK_BOOLEAN, AK_STRING, AK_UUID,
                 AK_NAMED_UUID, AK_INVALID };

/* Sets and maps this small are sorted on the stack when compared. */
#define DATUM_STACK_ELEMS 16

static bool
is_id(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_')) {
        return false;
    }
    for (s++; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '_') {
            return false;
        }
    }
    return true;
}

/* If 'v' is a two-element array whose first element is the string 'tag',
 * returns the second element, else NULL. */
static const json_t *
tagged(const json_t *v, const char *tag)
{
    if (!json_is_array(v) || json_array_size(v) != 2) {
        return NULL;
    }
    const char *t = json_string_value(json_array_get(v, 0));
    if (!t || strcmp(t, tag)) {
        return NULL;
    }
    return json_array_get(v, 1);
}

static enum atom_kind
atom_kind(const json_t *v)
{
    const json_t *x;

    if (!v) {
        return AK_INVALID;
    }
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        return AK_INTEGER;
    case JSON_REAL:
        return AK_REAL;
    case JSON_TRUE:
    case JSON_FALSE:
        return AK_BOOLEAN;
    case JSON_STRING:
        return AK_STRING;
    case JSON_ARRAY:
        if ((x = tagged(v, "uuid")) && uuid_is_valid(json_string_value(x))) {
            return AK_UUID;
        }
        if ((x = tagged(v, "named-uuid")) && is_id(json_string_value(x))) {
            return AK_NAMED_UUID;
        }
        return AK_INVALID;
    default:
        return AK_INVALID;
    }
}

json_t *
datum_uuid(const char *uuid)
{
    if (!uuid_is_valid(uuid)) {
        return NULL;
    }
    return json_pack("[ss]", "uuid", uuid);
}

json_t *
datum_named_uuid(const char *name)
{
    if (!is_id(name)) {
        return NULL;
    }
    return json_pack("[ss]", "named-uuid", name);
}

json_t *
datum_set_new(void)
{
    return json_pack("[s[]]", "set");
}

json_t *
datum_map_new(void)
{
    return json_pack("[s[]]", "map");
}

int
datum_set_add(json_t *set, json_t *atom)
{
    json_t *elems = (json_t *)tagged(set, "set");

    if (!atom || !json_is_array(elems) || atom_kind(atom) == AK_INVALID) {
        json_decref(atom);
        return atom ? -EINVAL : -ENOMEM;
    }
    return json_array_append_new(elems, atom) ? -ENOMEM : 0;
}

int
datum_map_add(json_t *map, json_t *key, json_t *value)
{
    json_t *pairs = (json_t *)tagged(map, "map");

    if (!key || !value || !json_is_array(pairs) ||
        atom_kind(key) == AK_INVALID || atom_kind(value) == AK_INVALID) {
        int err = key && value ? -EINVAL : -ENOMEM;
        json_decref(key);
        json_decref(value);
        return err;
    }
    json_t *pair = json_array();
    if (!pair || json_array_append_new(pair, key) ||
        json_array_append_new(pair, value)) {
        json_decref(pair);
        return -ENOMEM;
    }
    return json_array_append_new(pairs, pair) ? -ENOMEM : 0;
}

int
datum_map_add_str(json_t *map, const char *key, const char *value)
{
    if (!key || !value) {
        return -EINVAL;
    }
    return datum_map_add(map, json_string(key), json_string(value));
}

json_t *
datum_set_of_strings(const char *const *strs, size_t n)
{
    json_t *set = datum_set_new();

    for (size_t i = 0; set && i < n; i++) {
        if (!strs[i] || datum_set_add(set, json_string(strs[i]))) {
            json_decref(set);
            return NULL;
        }
    }
    return set;
}

bool
datum_is_atom(const json_t *v)
{
    return v && atom_kind(v) != AK_INVALID;
}

/* True if 'pairs' is an array of [atom, atom] arrays. */
static bool
pairs_valid(const json_t *pairs)
{
    size_t i;
    const json_t *p;

    if (!json_is_array(pairs)) {
        return false;
    }
    json_array_foreach (pairs, i, p) {
        if (!json_is_array(p) || json_array_size(p) != 2 ||
            !datum_is_atom(json_array_get(p, 0)) ||
            !datum_is_atom(json_array_get(p, 1))) {
            return false;
        }
    }
    return true;
}

bool
datum_is_set(const json_t *v)
{
    const json_t *elems = tagged(v, "set");
    size_t i;
    const json_t *e;

    if (!elems) {
        return datum_is_atom(v);
    }
    if (!json_is_array(elems)) {
        return false;
    }
    json_array_foreach (elems, i, e) {
        if (!datum_is_atom(e)) {
            return false;
        }
    }
    return true;
}

bool
datum_is_map(const json_t *v)
{
    return pairs_valid(tagged(v, "map"));
}

bool
datum_is_valid(const json_t *v)
{
    return datum_is_set(v) || datum_is_map(v);
}

/* The elements of set-like 'v': a "set" array's members, or 'v' itself for
 * an atom.  Returns the count; '*arr' is the JSON array or NULL for an
 * atom.  Invalid values (and maps) give 0. */
static size_t
set_elems(const json_t *v, const json_t **arr)
{
    const json_t *elems = tagged(v, "set");

    *arr = NULL;
    if (elems) {
        *arr = json_is_array(elems) ? elems : NULL;
        return *arr ? json_array_size(elems) : 0;
    }
    return datum_is_atom(v) ? 1 : 0;
}

size_t
datum_count(const json_t *v)
{
    const json_t *arr;
    const json_t *pairs = tagged(v, "map");

    if (pairs) {
        return json_is_array(pairs) ? json_array_size(pairs) : 0;
    }
    return set_elems(v, &arr);
}

const json_t *
datum_set_at(const json_t *v, size_t i)
{
    const json_t *arr;
    size_t n = set_elems(v, &arr);

    if (i >= n) {
        return NULL;
    }
    return arr ? json_array_get(arr, i) : v;
}

bool
datum_map_at(const json_t *v, size_t i, const json_t **key,
             const json_t **value)
{
    const json_t *pairs = tagged(v, "map");
    const json_t *p = json_is_array(pairs) ? json_array_get(pairs, i) : NULL;

    if (!json_is_array(p) || json_array_size(p) != 2) {
        return false;
    }
    *key = json_array_get(p, 0);
    *value = json_array_get(p, 1);
    return true;
}

const json_t *
datum_map_get(const json_t *v, const json_t *key)
{
    const json_t *k, *val;

    for (size_t i = 0; datum_map_at(v, i, &k, &val); i++) {
        if (!datum_atom_compare(k, key)) {
            return val;
        }
    }
    return NULL;
}

const char *
datum_map_get_str(const json_t *v, const char *key)
{
    const json_t *k, *val;

    for (size_t i = 0; key && datum_map_at(v, i, &k, &val); i++) {
        const char *s = json_string_value(k);
        if (s && !strcmp(s, key)) {
            return json_string_value(val);
        }
    }
    return NULL;
}

bool
datum_set_contains(const json_t *v, const json_t *atom)
{
    const json_t *e;

    for (size_t i = 0; (e = datum_set_at(v, i)); i++) {
        if (!datum_atom_compare(e, atom)) {
            return true;
        }
    }
    return false;
}

/* The single element of a set of one (or the atom itself), else NULL. */
static const json_t *
single(const json_t *v)
{
    return datum_count(v) == 1 && !tagged(v, "map") ? datum_set_at(v, 0)
                                                    : NULL;
}

const char *
datum_get_uuid(const json_t *v)
{
    const json_t *a = single(v);

    return atom_kind(a) == AK_UUID ? json_string_value(json_array_get(a, 1))
                                   : NULL;
}

const char *
datum_get_named_uuid(const json_t *v)
{
    const json_t *a = single(v);

    return atom_kind(a) == AK_NAMED_UUID
               ? json_string_value(json_array_get(a, 1))
               : NULL;
}

const char *
datum_get_string(const json_t *v)
{
    return json_string_value(single(v));
}

bool
datum_get_integer(const json_t *v, long long *out)
{
    const json_t *a = single(v);

    if (!json_is_integer(a)) {
        return false;
    }
    *out = json_integer_value(a);
    return true;
}

bool
datum_get_boolean(const json_t *v, bool *out)
{
    const json_t *a = single(v);

    if (!json_is_boolean(a)) {
        return false;
    }
    *out = json_is_true(a);
    return true;
}

/* ---- Comparison ---- */

static int
cmp_num(double a, double b)
{
    return a < b ? -1 : a > b;
}

int
datum_atom_compare(const json_t *a, const json_t *b)
{
    enum atom_kind ka = atom_kind(a), kb = atom_kind(b);

    if (ka != kb) {
        return ka < kb ? -1 : 1;
    }
    switch (ka) {
    case AK_INTEGER: {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return x < y ? -1 : x > y;
    }
    case AK_REAL:
        return cmp_num(json_real_value(a), json_real_value(b));
    case AK_BOOLEAN:
        return (int)json_is_true(a) - (int)json_is_true(b);
    case AK_STRING:
        return strcmp(json_string_value(a), json_string_value(b));
    case AK_UUID:
        return strcasecmp(json_string_value(json_array_get(a, 1)),
                          json_string_value(json_array_get(b, 1)));
    case AK_NAMED_UUID:
        return strcmp(json_string_value(json_array_get(a, 1)),
                      json_string_value(json_array_get(b, 1)));
    default:
        return 0;
    }
}

static int
qsort_atoms(const void *a, const void *b)
{
    return datum_atom_compare(*(const json_t *const *)a,
                              *(const json_t *const *)b);
}

/* Compares map pairs ([k, v] arrays) by key, then by value. */
static int
qsort_pairs(const void *a, const void *b)
{
    const json_t *pa = *(const json_t *const *)a;
    const json_t *pb = *(const json_t *const *)b;
    int c = datum_atom_compare(json_array_get(pa, 0), json_array_get(pb, 0));

    return c ? c
             : datum_atom_compare(json_array_get(pa, 1), json_array_get(pb, 1));
}

/* Sorts the 'n' members of arrays 'a' and 'b' (elements or pairs, by
 * 'cmp') and reports whether they are equal member by member under
 * 'cmp'.  'n' is the size of both.  Out of memory reports "different". */
static bool
sorted_equal(const json_t *a, const json_t *b, size_t n,
             int (*cmp)(const void *, const void *))
{
    const json_t *sa_buf[DATUM_STACK_ELEMS], *sb_buf[DATUM_STACK_ELEMS];
    const json_t **sa = sa_buf, **sb = sb_buf;
    bool eq = true;

    if (n > DATUM_STACK_ELEMS) {
        sa = malloc(n * sizeof *sa);
        sb = malloc(n * sizeof *sb);
        eq = sa && sb;
    }
    for (size_t i = 0; eq && i < n; i++) {
        sa[i] = json_array_get(a, i);
        sb[i] = json_array_get(b, i);
    }
    if (eq) {
        qsort(sa, n, sizeof *sa, cmp);
        qsort(sb, n, sizeof *sb, cmp);
    }
    for (size_t i = 0; eq && i < n; i++) {
        eq = !cmp(&sa[i], &sb[i]);
    }
    if (sa != sa_buf) {
        free(sa);
        free(sb);
    }
    return eq;
}

/* True if the members of arrays 'a' and 'b' are equal in the same order. */
static bool
same_order_equal(const json_t *a, const json_t *b, size_t n,
                 int (*cmp)(const void *, const void *))
{
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
        if (cmp(&x, &y)) {
            return false;
        }
    }
    return true;
}

static bool
maps_equal(const json_t *a, const json_t *b)
{
    const json_t *pa = tagged(a, "map"), *pb = tagged(b, "map");
    size_t n = json_array_size(pa);

    if (n != json_array_size(pb)) {
        return false;
    }
    return same_order_equal(pa, pb, n, qsort_pairs) ||
           sorted_equal(pa, pb, n, qsort_pairs);
}

static bool
sets_equal(const json_t *a, const json_t *b)
{
    const json_t *arr_a, *arr_b;
    size_t n = set_elems(a, &arr_a);

    if (n != set_elems(b, &arr_b)) {
        return false;
    }
    if (!arr_a || !arr_b) { /* at least one is a lone atom: n <= 1 */
        return n == 0 || !datum_atom_compare(datum_set_at(a, 0),
                                             datum_set_at(b, 0));
    }
    return same_order_equal(arr_a, arr_b, n, qsort_atoms) ||
           sorted_equal(arr_a, arr_b, n, qsort_atoms);
}

bool
datum_equal(const json_t *a, const json_t *b)
{
    size_t na = a ? datum_count(a) : 0, nb = b ? datum_count(b) : 0;

    if (na != nb) {
        return false;
    }
    if (na == 0) {
        return true; /* empty set, empty map, NULL */
    }
    bool ma = datum_is_map(a), mb = datum_is_map(b);
    if (ma != mb) {
        return false;
    }
    return ma ? maps_equal(a, b) : sets_equal(a, b);
}

static uint32_t
atom_hash(const json_t *v)
{
    enum atom_kind k = atom_kind(v);
    uint32_t h = hmap_hash_bytes(&k, sizeof k, 0);
    char buf[UUID_STRLEN + 1];

    switch (k) {
    case AK_INTEGER: {
        json_int_t x = json_integer_value(v);
        return hmap_hash_bytes(&x, sizeof x, h);
    }
    case AK_REAL: {
        double d = json_real_value(v);
        d = d == 0 ? 0 : d; /* -0.0 == 0.0 */
        return hmap_hash_bytes(&d, sizeof d, h);
    }
    case AK_BOOLEAN:
        return h + json_is_true(v);
    case AK_STRING:
        return hmap_hash_bytes(json_string_value(v), json_string_length(v), h);
    case AK_UUID:
        uuid_normalize(json_string_value(json_array_get(v, 1)), buf);
        return hmap_hash_bytes(buf, UUID_STRLEN, h);
    case AK_NAMED_UUID:
        return hmap_hash_string(json_string_value(json_array_get(v, 1)), h);
    default:
        return h;
    }
}

uint32_t
datum_hash(const json_t *v, uint32_t basis)
{
    uint32_t sum = 0;
    const json_t *k, *val, *e;

    /* Order-insensitive: a sum of element (or pair) hashes. */
    if (v && datum_is_map(v)) {
        for (size_t i = 0; datum_map_at(v, i, &k, &val); i++) {
            sum += hmap_hash_finish(atom_hash(k) * 31 + atom_hash(val));
        }
    } else {
        for (size_t i = 0; v && (e = datum_set_at(v, i)); i++) {
            sum += hmap_hash_finish(atom_hash(e));
        }
    }
    return hmap_hash_finish(sum ^ basis);
}
