/* OVSDB database schemas (RFC 7047 section 3.2): parsed from the reply to
 * "get_schema" so that callers can ask what a server really has ("does
 * table T have column C?", "is this column a map?") and build values of
 * the right shape.
 *
 * The column and type structs are plain read-only data; the schema and its
 * tables are opaque and reached through the accessors below. */
#ifndef L2GW_OVSDB_SCHEMA_H
#define L2GW_OVSDB_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Hard limits on what a schema may declare. */
#define SCHEMA_MAX_TABLES 1024
#define SCHEMA_MAX_COLUMNS 1024 /* per table */

/* Error text buffer size for schema_parse(). */
#define SCHEMA_ERR_LEN 256

/* "unlimited" as a type's max. */
#define SCHEMA_UNLIMITED ((unsigned int)-1)

enum schema_atomic {
    SCHEMA_VOID, /* no value type: the column is not a map */
    SCHEMA_INTEGER,
    SCHEMA_REAL,
    SCHEMA_BOOLEAN,
    SCHEMA_STRING,
    SCHEMA_UUID,
};

struct schema_base {
    enum schema_atomic type;
    char *ref_table;    /* for SCHEMA_UUID: the referenced table, or NULL */
    bool ref_weak;      /* refType "weak" */
    json_t *enum_value; /* the allowed values (an OVSDB set), or NULL */
    long long min_integer, max_integer; /* for SCHEMA_INTEGER; else unused */
};

struct schema_type {
    struct schema_base key;
    struct schema_base value; /* value.type == SCHEMA_VOID unless a map */
    unsigned int min;         /* 0 or 1 */
    unsigned int max;         /* >= 1, or SCHEMA_UNLIMITED */
};

struct schema_column {
    char *name;
    struct schema_type type;
    bool ephemeral;
    bool is_mutable;
};

struct schema;
struct schema_table;

/* Parses a <database-schema>.  On success stores a new schema in '*out'
 * (caller frees with schema_destroy()) and returns 0; otherwise returns
 * -EINVAL (or -ENOMEM) and, if 'err' is not NULL, writes a message into
 * 'err' (SCHEMA_ERR_LEN bytes).  'json' is only borrowed. */
int schema_parse(const json_t *json, struct schema **out, char *err);

/* Reads and parses a schema file (e.g. vtep.ovsschema); same contract. */
int schema_load_file(const char *path, struct schema **out, char *err);

void schema_destroy(struct schema *schema);

const char *schema_name(const struct schema *schema);
const char *schema_version(const struct schema *schema); /* "1.7.0" or "" */

/* The version's numbers; a missing version reads as 0.0.0. */
void schema_version_numbers(const struct schema *schema, int *major,
                            int *minor, int *patch);

size_t schema_n_tables(const struct schema *schema);
const struct schema_table *schema_table_at(const struct schema *schema,
                                           size_t i);

/* The table called 'name', or NULL. */
const struct schema_table *schema_table(const struct schema *schema,
                                        const char *name);

const char *schema_table_name(const struct schema_table *table);
bool schema_table_is_root(const struct schema_table *table);
long long schema_table_max_rows(const struct schema_table *table); /* -1: none */

size_t schema_table_n_columns(const struct schema_table *table);
const struct schema_column *schema_table_column_at(
    const struct schema_table *table, size_t i);

/* The column called 'name' of 'table' (which may be NULL), or NULL. */
const struct schema_column *schema_column(const struct schema_table *table,
                                          const char *name);

/* True if 'schema' has table 'table' with column 'column'. */
bool schema_has_column(const struct schema *schema, const char *table,
                       const char *column);

/* The indexes of 'table': each a list of column names. */
size_t schema_table_n_indexes(const struct schema_table *table);
size_t schema_table_index(const struct schema_table *table, size_t i,
                          const char *const **columns);

/* Shapes of a type. */
bool schema_type_is_map(const struct schema_type *type);
bool schema_type_is_scalar(const struct schema_type *type); /* min=max=1 */
bool schema_type_is_optional(const struct schema_type *type); /* 0..1 */

/* The value of an empty column of 'type' (["set", []] or ["map", []]),
 * suitable for update and insert.  Caller json_decref()s. */
json_t *schema_type_empty(const struct schema_type *type);

/* Checks 'value' against 'type': atoms of the right types (and in the
 * enum, when there is one), a number of elements within [min, max], no
 * duplicate keys, integers within minInteger..maxInteger (other range
 * constraints are not checked).  Named UUIDs are accepted where UUIDs are.  Returns 0 or
 * -EINVAL. */
int schema_check_value(const struct schema_type *type, const json_t *value);

/* "integer", "real", ... for messages. */
const char *schema_atomic_name(enum schema_atomic type);

#endif
