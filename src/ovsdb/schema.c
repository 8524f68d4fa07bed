/* OVSDB schema parsing and queries; see schema.h. */
#include "ovsdb/schema.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonutil.h"
#include "ovsdb/datum.h"

struct schema_table {
    char *name;
    struct schema_column *columns;
    size_t n_columns;
    bool is_root;
    long long max_rows;
    char ***indexes;    /* each a NULL-terminated array of column names */
    size_t *index_lens; /* columns in each index */
    size_t n_indexes;
};

struct schema {
    char *name;
    char *version;
    struct schema_table *tables;
    size_t n_tables;
};

static const char *const atomic_names[] = {
    [SCHEMA_VOID] = "void",       [SCHEMA_INTEGER] = "integer",
    [SCHEMA_REAL] = "real",       [SCHEMA_BOOLEAN] = "boolean",
    [SCHEMA_STRING] = "string",   [SCHEMA_UUID] = "uuid",
};

const char *
schema_atomic_name(enum schema_atomic type)
{
    return type <= SCHEMA_UUID ? atomic_names[type] : "?";
}

/* Writes a message into 'err' (if not NULL) and returns -EINVAL. */
static int __attribute__((format(printf, 2, 3)))
fail(char *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, SCHEMA_ERR_LEN, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

static int
parse_atomic(const json_t *j, enum schema_atomic *out)
{
    const char *s = json_string_value(j);

    for (int t = SCHEMA_INTEGER; s && t <= SCHEMA_UUID; t++) {
        if (!strcmp(s, atomic_names[t])) {
            *out = (enum schema_atomic)t;
            return 0;
        }
    }
    return -EINVAL;
}

/* Reads optional integer member 'key' of 'j' into '*out'. */
static int
parse_int_member(const json_t *j, const char *key, long long *out)
{
    const json_t *v = json_object_get(j, key);

    if (v && !json_is_integer(v)) {
        return -EINVAL;
    }
    if (v) {
        *out = json_integer_value(v);
    }
    return 0;
}

/* <base-type>: an atomic type name or an object with "type", "enum",
 * "refTable", "refType", "minInteger", "maxInteger" (other constraints
 * are accepted and ignored). */
static int
parse_base(const json_t *j, struct schema_base *base)
{
    memset(base, 0, sizeof *base);
    base->min_integer = LLONG_MIN;
    base->max_integer = LLONG_MAX;
    if (json_is_string(j)) {
        return parse_atomic(j, &base->type);
    }
    if (!json_is_object(j) ||
        parse_atomic(json_object_get(j, "type"), &base->type)) {
        return -EINVAL;
    }
    const json_t *ref = json_object_get(j, "refTable");
    const json_t *ref_type = json_object_get(j, "refType");
    const json_t *en = json_object_get(j, "enum");
    if (ref && (!json_is_string(ref) || base->type != SCHEMA_UUID)) {
        return -EINVAL;
    }
    if (ref_type && !json_is_string(ref_type)) {
        return -EINVAL;
    }
    if ((en && !datum_is_set(en)) ||
        parse_int_member(j, "minInteger", &base->min_integer) ||
        parse_int_member(j, "maxInteger", &base->max_integer)) {
        return -EINVAL;
    }
    base->ref_table = ref ? strdup(json_string_value(ref)) : NULL;
    base->ref_weak = ref_type && !strcmp(json_string_value(ref_type), "weak");
    base->enum_value = en ? json_deep_copy(en) : NULL;
    return 0;
}

static void
base_destroy(struct schema_base *base)
{
    free(base->ref_table);
    json_decref(base->enum_value);
}

static int
parse_bound(const json_t *j, unsigned int dflt, bool allow_unlimited,
            unsigned int *out)
{
    if (!j) {
        *out = dflt;
    } else if (allow_unlimited && json_is_string(j) &&
               !strcmp(json_string_value(j), "unlimited")) {
        *out = SCHEMA_UNLIMITED;
    } else if (json_is_integer(j) && json_integer_value(j) >= 0 &&
               json_integer_value(j) < (json_int_t)SCHEMA_UNLIMITED) {
        *out = (unsigned int)json_integer_value(j);
    } else {
        return -EINVAL;
    }
    return 0;
}

/* <type>: an atomic type or {"key", "value", "min", "max"}. */
static int
parse_type(const json_t *j, struct schema_type *type)
{
    memset(type, 0, sizeof *type);
    type->min = type->max = 1;
    if (json_is_string(j)) {
        return parse_base(j, &type->key);
    }
    if (!json_is_object(j)) {
        return -EINVAL;
    }
    const json_t *value = json_object_get(j, "value");
    if (parse_base(json_object_get(j, "key"), &type->key) ||
        (value && parse_base(value, &type->value)) ||
        parse_bound(json_object_get(j, "min"), 1, false, &type->min) ||
        parse_bound(json_object_get(j, "max"), 1, true, &type->max) ||
        type->min > 1 || type->max < 1 || type->min > type->max) {
        return -EINVAL;
    }
    return 0;
}

static int
parse_column(const char *name, const json_t *j, struct schema_column *col,
             char *err)
{
    const json_t *eph = json_object_get(j, "ephemeral");
    const json_t *mut = json_object_get(j, "mutable");

    col->name = strdup(name);
    if (!json_is_object(j) || parse_type(json_object_get(j, "type"),
                                         &col->type)) {
        return fail(err, "column %s: bad type", name);
    }
    if ((eph && !json_is_boolean(eph)) || (mut && !json_is_boolean(mut))) {
        return fail(err, "column %s: bad ephemeral or mutable", name);
    }
    col->ephemeral = eph && json_is_true(eph);
    col->is_mutable = !mut || json_is_true(mut);
    return col->name ? 0 : -ENOMEM;
}

static int
parse_columns(const json_t *j, struct schema_table *t, char *err)
{
    const char *name;
    const json_t *c;

    if (!json_is_object(j) || json_object_size(j) == 0 ||
        json_object_size(j) > SCHEMA_MAX_COLUMNS) {
        return fail(err, "table %s: bad or missing columns", t->name);
    }
    t->columns = calloc(json_object_size(j), sizeof *t->columns);
    if (!t->columns) {
        return -ENOMEM;
    }
    json_object_foreach ((json_t *)j, name, c) {
        int r = parse_column(name, c, &t->columns[t->n_columns++], err);
        if (r) {
            return r;
        }
    }
    return 0;
}

/* One <column-set> of "indexes": a non-empty array of column names. */
static int
parse_index(const json_t *j, struct schema_table *t, char *err)
{
    size_t n = json_array_size(j);
    char **cols = calloc(n + 1, sizeof *cols);

    if (!cols) {
        return -ENOMEM;
    }
    t->indexes[t->n_indexes] = cols;
    t->index_lens[t->n_indexes++] = n;
    if (!json_is_array(j) || n == 0) {
        return fail(err, "table %s: bad index", t->name);
    }
    for (size_t i = 0; i < n; i++) {
        const char *c = json_string_value(json_array_get(j, i));
        if (!c || !schema_column(t, c)) {
            return fail(err, "table %s: index names unknown column", t->name);
        }
        if (!(cols[i] = strdup(c))) {
            return -ENOMEM;
        }
    }
    return 0;
}

static int
parse_indexes(const json_t *j, struct schema_table *t, char *err)
{
    size_t n = json_array_size(j);

    if (!j) {
        return 0;
    }
    if (!json_is_array(j)) {
        return fail(err, "table %s: bad indexes", t->name);
    }
    t->indexes = calloc(n ? n : 1, sizeof *t->indexes);
    t->index_lens = calloc(n ? n : 1, sizeof *t->index_lens);
    if (!t->indexes || !t->index_lens) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        int r = parse_index(json_array_get(j, i), t, err);
        if (r) {
            return r;
        }
    }
    return 0;
}

static int
parse_table(const char *name, const json_t *j, struct schema_table *t,
            char *err)
{
    if (!(t->name = strdup(name))) {
        return -ENOMEM;
    }
    t->max_rows = -1;
    if (!json_is_object(j)) {
        return fail(err, "table %s: not an object", name);
    }
    const json_t *root = json_object_get(j, "isRoot");
    const json_t *max = json_object_get(j, "maxRows");
    if ((root && !json_is_boolean(root)) ||
        (max && (!json_is_integer(max) || json_integer_value(max) < 1))) {
        return fail(err, "table %s: bad isRoot or maxRows", name);
    }
    t->is_root = root && json_is_true(root);
    t->max_rows = max ? json_integer_value(max) : -1;
    int r = parse_columns(json_object_get(j, "columns"), t, err);
    return r ? r : parse_indexes(json_object_get(j, "indexes"), t, err);
}

static int
parse_tables(const json_t *j, struct schema *s, char *err)
{
    const char *name;
    const json_t *t;

    if (!json_is_object(j) || json_object_size(j) > SCHEMA_MAX_TABLES) {
        return fail(err, "schema %s: bad or missing tables", s->name);
    }
    s->tables = calloc(json_object_size(j) + 1, sizeof *s->tables);
    if (!s->tables) {
        return -ENOMEM;
    }
    json_object_foreach ((json_t *)j, name, t) {
        int r = parse_table(name, t, &s->tables[s->n_tables++], err);
        if (r) {
            return r;
        }
    }
    return 0;
}

int
schema_parse(const json_t *json, struct schema **out, char *err)
{
    struct schema *s = calloc(1, sizeof *s);
    const char *name = ju_str(json, "name");
    const json_t *version = json_object_get(json, "version");
    int r;

    *out = NULL;
    if (!s) {
        return -ENOMEM;
    }
    if (!json_is_object(json) || !name) {
        r = fail(err, "schema has no name");
    } else if (version && !json_is_string(version)) {
        r = fail(err, "schema %s: bad version", name);
    } else if (!(s->name = strdup(name)) ||
               !(s->version = strdup(version ? json_string_value(version)
                                             : ""))) {
        r = -ENOMEM;
    } else {
        r = parse_tables(json_object_get(json, "tables"), s, err);
    }
    if (r) {
        schema_destroy(s);
        return r;
    }
    *out = s;
    return 0;
}

int
schema_load_file(const char *path, struct schema **out, char *err)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);

    *out = NULL;
    if (!j) {
        return fail(err, "%s:%d: %s", path, jerr.line, jerr.text);
    }
    int r = schema_parse(j, out, err);
    json_decref(j);
    return r;
}

static void
table_destroy(struct schema_table *t)
{
    for (size_t i = 0; i < t->n_columns; i++) {
        free(t->columns[i].name);
        base_destroy(&t->columns[i].type.key);
        base_destroy(&t->columns[i].type.value);
    }
    for (size_t i = 0; i < t->n_indexes; i++) {
        for (char **c = t->indexes[i]; *c; c++) {
            free(*c);
        }
        free(t->indexes[i]);
    }
    free(t->indexes);
    free(t->index_lens);
    free(t->columns);
    free(t->name);
}

void
schema_destroy(struct schema *schema)
{
    if (!schema) {
        return;
    }
    for (size_t i = 0; i < schema->n_tables; i++) {
        table_destroy(&schema->tables[i]);
    }
    free(schema->tables);
    free(schema->name);
    free(schema->version);
    free(schema);
}

const char *
schema_name(const struct schema *schema)
{
    return schema->name;
}

const char *
schema_version(const struct schema *schema)
{
    return schema->version;
}

void
schema_version_numbers(const struct schema *schema, int *major, int *minor,
                       int *patch)
{
    int v[3] = {0, 0, 0};

    sscanf(schema->version, "%d.%d.%d", &v[0], &v[1], &v[2]);
    *major = v[0];
    *minor = v[1];
    *patch = v[2];
}

size_t
schema_n_tables(const struct schema *schema)
{
    return schema->n_tables;
}

const struct schema_table *
schema_table_at(const struct schema *schema, size_t i)
{
    return i < schema->n_tables ? &schema->tables[i] : NULL;
}

const struct schema_table *
schema_table(const struct schema *schema, const char *name)
{
    for (size_t i = 0; schema && name && i < schema->n_tables; i++) {
        if (!strcmp(schema->tables[i].name, name)) {
            return &schema->tables[i];
        }
    }
    return NULL;
}

const char *
schema_table_name(const struct schema_table *table)
{
    return table->name;
}

bool
schema_table_is_root(const struct schema_table *table)
{
    return table->is_root;
}

long long
schema_table_max_rows(const struct schema_table *table)
{
    return table->max_rows;
}

size_t
schema_table_n_columns(const struct schema_table *table)
{
    return table->n_columns;
}

const struct schema_column *
schema_table_column_at(const struct schema_table *table, size_t i)
{
    return i < table->n_columns ? &table->columns[i] : NULL;
}

const struct schema_column *
schema_column(const struct schema_table *table, const char *name)
{
    for (size_t i = 0; table && name && i < table->n_columns; i++) {
        if (!strcmp(table->columns[i].name, name)) {
            return &table->columns[i];
        }
    }
    return NULL;
}

bool
schema_has_column(const struct schema *schema, const char *table,
                  const char *column)
{
    return schema_column(schema_table(schema, table), column) != NULL;
}

size_t
schema_table_n_indexes(const struct schema_table *table)
{
    return table->n_indexes;
}

size_t
schema_table_index(const struct schema_table *table, size_t i,
                   const char *const **columns)
{
    if (i >= table->n_indexes) {
        *columns = NULL;
        return 0;
    }
    *columns = (const char *const *)table->indexes[i];
    return table->index_lens[i];
}

bool
schema_type_is_map(const struct schema_type *type)
{
    return type->value.type != SCHEMA_VOID;
}

bool
schema_type_is_scalar(const struct schema_type *type)
{
    return type->min == 1 && type->max == 1;
}

bool
schema_type_is_optional(const struct schema_type *type)
{
    return type->min == 0 && type->max == 1;
}

json_t *
schema_type_empty(const struct schema_type *type)
{
    return schema_type_is_map(type) ? datum_map_new() : datum_set_new();
}

/* Checks one atom against a base type. */
static int
check_atom(const struct schema_base *base, const json_t *atom)
{
    bool ok;

    switch (base->type) {
    case SCHEMA_INTEGER:
        ok = json_is_integer(atom) &&
             json_integer_value(atom) >= base->min_integer &&
             json_integer_value(atom) <= base->max_integer;
        break;
    case SCHEMA_REAL:
        ok = json_is_number(atom);
        break;
    case SCHEMA_BOOLEAN:
        ok = json_is_boolean(atom);
        break;
    case SCHEMA_STRING:
        ok = json_is_string(atom);
        break;
    case SCHEMA_UUID:
        ok = datum_get_uuid(atom) || datum_get_named_uuid(atom);
        break;
    default:
        ok = false;
    }
    if (ok && base->enum_value && !datum_set_contains(base->enum_value, atom)) {
        ok = false;
    }
    return ok ? 0 : -EINVAL;
}

static int
cmp_atoms(const void *a, const void *b)
{
    return datum_atom_compare(*(const json_t *const *)a,
                              *(const json_t *const *)b);
}

/* Checks the 'n' keys (or set elements) in 'keys' for duplicates. */
static int
check_unique(const json_t **keys, size_t n)
{
    qsort(keys, n, sizeof *keys, cmp_atoms);
    for (size_t i = 1; i < n; i++) {
        if (!datum_atom_compare(keys[i - 1], keys[i])) {
            return -EINVAL;
        }
    }
    return 0;
}

/* Collects and checks the elements (or pairs) of 'value'. */
static int
check_elements(const struct schema_type *type, const json_t *value,
               const json_t **keys, size_t n)
{
    bool map = schema_type_is_map(type);

    for (size_t i = 0; i < n; i++) {
        const json_t *k, *v = NULL;
        if (map) {
            datum_map_at(value, i, &k, &v);
        } else {
            k = datum_set_at(value, i);
        }
        if (check_atom(&type->key, k) ||
            (map && check_atom(&type->value, v))) {
            return -EINVAL;
        }
        keys[i] = k;
    }
    return check_unique(keys, n);
}

int
schema_check_value(const struct schema_type *type, const json_t *value)
{
    bool map = schema_type_is_map(type);
    size_t n = datum_count(value);

    if (!value || (map ? !datum_is_map(value) && n : !datum_is_set(value))) {
        return -EINVAL;
    }
    if (n < type->min || (type->max != SCHEMA_UNLIMITED && n > type->max)) {
        return -EINVAL;
    }
    if (n == 0) {
        return 0;
    }
    const json_t **keys = malloc(n * sizeof *keys);
    if (!keys) {
        return -ENOMEM;
    }
    int r = check_elements(type, value, keys, n);
    free(keys);
    return r;
}
