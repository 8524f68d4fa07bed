/* In-memory replica of monitored tables; see replica.h. */
#include "ovsdb/replica.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/uuid.h"
#include "ovsdb/datum.h"
#include "ovsdb/hmap.h"
#include "ovsdb/schema.h"

#define LOG_MODULE "replica"
#include "lib/log.h"

struct replica_row {
    struct hmap_node node; /* in table->rows */
    struct replica_table *table;
    struct replica_row *chg_prev, *chg_next; /* change list */
    uint64_t seqno;
    json_t **cols; /* n_cols values, NULL where the row has none */
    uint16_t n_cols;
    uint8_t change; /* enum replica_change */
    char uuid[UUID_STRLEN + 1];
};

struct index_entry {
    struct hmap_node node;
    struct replica_row *row;
};

struct replica_index {
    struct replica_table *table;
    size_t n;
    int cols[REPLICA_MAX_INDEX_COLUMNS];
    struct hmap map; /* index_entry by key hash */
    struct replica_index *next;
};

struct replica_table {
    char *name;
    struct replica *replica;
    const struct schema_table *schema; /* NULL without a schema */
    char **columns;
    size_t n_columns;
    struct hmap rows; /* replica_row by UUID hash */
    struct replica_index *indexes;
    bool track;
    struct replica_row *chg_head, *chg_tail;
    uint64_t seqno;
};

/* A shared ["uuid", u] value. */
struct intern_entry {
    struct hmap_node node;
    json_t *value;
};

struct replica {
    json_t *uuid_tag; /* the string "uuid", shared by interned values */
    struct replica_table **tables;
    size_t n_tables;
    const struct schema *schema;
    struct hmap interned;
    uint64_t seqno;
    uint64_t generation;
    size_t n_rows;
};

static struct log_rl bad_value_rl = LOG_RL_INIT(5, 60000);
static struct log_rl bad_update_rl = LOG_RL_INIT(5, 60000);

struct replica *
replica_create(void)
{
    struct replica *r = calloc(1, sizeof *r);

    if (r && !(r->uuid_tag = json_string("uuid"))) {
        free(r);
        return NULL;
    }
    if (r) {
        hmap_init(&r->interned);
    }
    return r;
}

/* ---- Interned UUID values ---- */

/* The UUID string if 'v' has the shape ["uuid", <36 characters>], else
 * NULL.  Only the shape is checked: values were validated when they
 * entered the replica (datum_is_valid()), and this runs for every
 * reference stored or released. */
static const char *
uuid_atom(const json_t *v)
{
    const json_t *tag, *u;

    if (!json_is_array(v) || json_array_size(v) != 2) {
        return NULL;
    }
    tag = json_array_get(v, 0);
    u = json_array_get(v, 1);
    if (!json_is_string(tag) || json_string_length(tag) != 4 ||
        memcmp(json_string_value(tag), "uuid", 4) || !json_is_string(u) ||
        json_string_length(u) != UUID_STRLEN) {
        return NULL;
    }
    return json_string_value(u);
}

/* Hash of a UUID string of UUID_STRLEN characters, ignoring case. */
static uint32_t
uuid_hash(const char *uuid)
{
    char lower[UUID_STRLEN];

    for (size_t i = 0; i < UUID_STRLEN; i++) {
        char c = uuid[i];
        lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    return hmap_hash_finish(hmap_hash_bytes(lower, UUID_STRLEN, 0));
}

static struct intern_entry *
intern_find(const struct replica *r, const char *uuid, uint32_t hash)
{
    for (struct hmap_node *n = hmap_first_with_hash(&r->interned, hash); n;
         n = hmap_next_with_hash(n)) {
        struct intern_entry *e = HMAP_CONTAINER(n, struct intern_entry, node);
        if (!strcasecmp(uuid_atom(e->value), uuid)) {
            return e;
        }
    }
    return NULL;
}

/* A copy of ["uuid", u] value 'v' that shares the "uuid" string and the
 * UUID string with others (saves two strings per distinct value). */
static json_t *
compact_uuid(struct replica *r, json_t *v)
{
    json_t *c = json_array();

    if (!c || json_array_append(c, r->uuid_tag) ||
        json_array_append(c, json_array_get(v, 1))) {
        json_decref(c);
        return json_incref(v);
    }
    return c;
}

/* Returns a new reference to a value equal to 'v': the shared one for
 * ["uuid", u] atoms, else 'v' itself. */
static json_t *
intern(struct replica *r, json_t *v)
{
    const char *u = uuid_atom(v);

    if (!u) {
        return json_incref(v);
    }
    uint32_t hash = uuid_hash(u);
    struct intern_entry *e = intern_find(r, u, hash);
    if (e) {
        return json_incref(e->value);
    }
    e = malloc(sizeof *e);
    if (!e) {
        return json_incref(v);
    }
    e->value = compact_uuid(r, v);
    hmap_insert(&r->interned, &e->node, hash);
    return json_incref(e->value);
}

/* Drops a row's reference to 'v', and the shared copy when the row was
 * its last user. */
static void
release(struct replica *r, json_t *v)
{
    const char *u = v ? uuid_atom(v) : NULL;

    if (u && v->refcount == 2) {
        struct intern_entry *e = intern_find(r, u, uuid_hash(u));
        if (e && e->value == v) {
            hmap_remove(&r->interned, &e->node);
            json_decref(e->value);
            free(e);
        }
    }
    json_decref(v);
}

/* Drops the table's reference to shared values that no row uses any more
 * (all of them if 'all'; other holders keep theirs). */
static void
intern_sweep(struct replica *r, bool all)
{
    struct hmap_node *n = hmap_first(&r->interned);

    while (n) {
        struct hmap_node *next = hmap_next(&r->interned, n);
        struct intern_entry *e = HMAP_CONTAINER(n, struct intern_entry, node);
        if (all || e->value->refcount == 1) {
            hmap_remove(&r->interned, n);
            json_decref(e->value);
            free(e);
        }
        n = next;
    }
}

/* ---- Tables and columns ---- */

struct replica_table *
replica_table(const struct replica *r, const char *name)
{
    for (size_t i = 0; name && i < r->n_tables; i++) {
        if (!strcmp(r->tables[i]->name, name)) {
            return r->tables[i];
        }
    }
    return NULL;
}

struct replica_table *
replica_add_table(struct replica *r, const char *name)
{
    struct replica_table *t = replica_table(r, name);
    const struct schema_table *st = schema_table(r->schema, name);

    if (t || !name || r->n_tables >= REPLICA_MAX_TABLES ||
        (r->schema && !st)) {
        return t;
    }
    struct replica_table **tables = realloc(
        r->tables, (r->n_tables + 1) * sizeof *tables);
    if (!tables) {
        return NULL;
    }
    r->tables = tables;
    t = calloc(1, sizeof *t);
    if (!t || !(t->name = strdup(name))) {
        free(t);
        return NULL;
    }
    t->replica = r;
    t->schema = st;
    hmap_init(&t->rows);
    r->tables[r->n_tables++] = t;
    return t;
}

size_t
replica_n_tables(const struct replica *r)
{
    return r->n_tables;
}

struct replica_table *
replica_table_at(const struct replica *r, size_t i)
{
    return i < r->n_tables ? r->tables[i] : NULL;
}

int
replica_table_column(const struct replica_table *t, const char *name)
{
    for (size_t i = 0; name && i < t->n_columns; i++) {
        if (!strcmp(t->columns[i], name)) {
            return (int)i;
        }
    }
    return -1;
}

/* The number of column 'name', added if the table may have it; -1 if
 * not (unknown to the schema, over the limit, out of memory). */
static int
table_column(struct replica_table *t, const char *name)
{
    int i = replica_table_column(t, name);

    if (i >= 0) {
        return i;
    }
    if ((t->schema && !schema_column(t->schema, name)) ||
        t->n_columns >= REPLICA_MAX_COLUMNS) {
        return -1;
    }
    char **cols = realloc(t->columns, (t->n_columns + 1) * sizeof *cols);
    if (!cols) {
        return -1;
    }
    t->columns = cols;
    if (!(cols[t->n_columns] = strdup(name))) {
        return -1;
    }
    return (int)t->n_columns++;
}

void
replica_set_schema(struct replica *r, const struct schema *schema)
{
    r->schema = schema;
    for (size_t i = 0; i < r->n_tables; i++) {
        r->tables[i]->schema = schema_table(schema, r->tables[i]->name);
    }
}

/* ---- Rows ---- */

static void
row_free(struct replica *r, struct replica_row *row)
{
    for (size_t i = 0; i < row->n_cols; i++) {
        release(r, row->cols[i]);
    }
    free(row->cols);
    free(row);
}

/* Stores value 'v' (borrowed) as column 'col' of 'row'. */
static int
row_set(struct replica *r, struct replica_row *row, int col, json_t *v)
{
    if ((size_t)col >= row->n_cols) {
        size_t n = row->table->n_columns;
        json_t **cols = realloc(row->cols, n * sizeof *cols);
        if (!cols) {
            return -ENOMEM;
        }
        memset(cols + row->n_cols, 0, (n - row->n_cols) * sizeof *cols);
        row->cols = cols;
        row->n_cols = (uint16_t)n;
    }
    json_t *old = row->cols[col];
    row->cols[col] = intern(r, v);
    release(r, old);
    return 0;
}

/* Merges the columns of 'new' (a <row> object) into 'row'. */
static void
row_merge(struct replica *r, struct replica_row *row, json_t *new)
{
    struct replica_table *t = row->table;
    const char *name;
    json_t *v;

    json_object_foreach (new, name, v) {
        int col = table_column(t, name);
        if (col < 0) {
            log_dbg("%s: ignoring column %s", t->name, name);
        } else if (!datum_is_valid(v)) {
            log_warn_rl(&bad_value_rl, "%s row %s: column %s holds no OVSDB "
                        "value; ignored", t->name, row->uuid, name);
        } else if (row_set(r, row, col, v)) {
            log_warn_rl(&bad_value_rl, "%s row %s: out of memory", t->name,
                        row->uuid);
        }
    }
}

const char *
replica_row_uuid(const struct replica_row *row)
{
    return row->uuid;
}

const struct replica_table *
replica_row_table(const struct replica_row *row)
{
    return row->table;
}

const json_t *
replica_row_get_at(const struct replica_row *row, int column)
{
    return column >= 0 && (size_t)column < row->n_cols ? row->cols[column]
                                                       : NULL;
}

const json_t *
replica_row_get(const struct replica_row *row, const char *column)
{
    return replica_row_get_at(row, replica_table_column(row->table, column));
}

enum replica_change
replica_row_change(const struct replica_row *row)
{
    return (enum replica_change)row->change;
}

uint64_t
replica_row_seqno(const struct replica_row *row)
{
    return row->seqno;
}

/* ---- Indexes ---- */

static uint32_t
index_hash(const struct replica_index *idx, const json_t *const *values)
{
    uint32_t h = 0;

    for (size_t i = 0; i < idx->n; i++) {
        h = datum_hash(values[i], h);
    }
    return h;
}

/* The key values of 'row' for 'idx', into 'values'. */
static void
index_key(const struct replica_index *idx, const struct replica_row *row,
          const json_t **values)
{
    for (size_t i = 0; i < idx->n; i++) {
        values[i] = replica_row_get_at(row, idx->cols[i]);
    }
}

static bool
index_match(const struct replica_index *idx, const struct replica_row *row,
            const json_t *const *values)
{
    for (size_t i = 0; i < idx->n; i++) {
        if (!datum_equal(replica_row_get_at(row, idx->cols[i]), values[i])) {
            return false;
        }
    }
    return true;
}

static void
index_add_row(struct replica_index *idx, struct replica_row *row)
{
    const json_t *key[REPLICA_MAX_INDEX_COLUMNS];
    struct index_entry *e = malloc(sizeof *e);

    if (!e) {
        log_err("%s: out of memory indexing row %s", idx->table->name,
                row->uuid);
        return;
    }
    index_key(idx, row, key);
    e->row = row;
    hmap_insert(&idx->map, &e->node, index_hash(idx, key));
}

static void
index_remove_row(struct replica_index *idx, struct replica_row *row)
{
    const json_t *key[REPLICA_MAX_INDEX_COLUMNS];

    index_key(idx, row, key);
    for (struct hmap_node *n = hmap_first_with_hash(&idx->map,
                                                    index_hash(idx, key));
         n; n = hmap_next_with_hash(n)) {
        struct index_entry *e = HMAP_CONTAINER(n, struct index_entry, node);
        if (e->row == row) {
            hmap_remove(&idx->map, n);
            free(e);
            return;
        }
    }
}

static void
index_clear(struct replica_index *idx)
{
    struct hmap_node *n = hmap_first(&idx->map);

    while (n) {
        struct hmap_node *next = hmap_next(&idx->map, n);
        free(HMAP_CONTAINER(n, struct index_entry, node));
        n = next;
    }
    hmap_clear(&idx->map);
}

/* True if 'new' (a <row>) touches a column of 'idx'. */
static bool
index_touched(const struct replica_index *idx, const json_t *new)
{
    for (size_t i = 0; i < idx->n; i++) {
        if (json_object_get(new, idx->table->columns[idx->cols[i]])) {
            return true;
        }
    }
    return false;
}

int
replica_add_index(struct replica *r, const char *table,
                  const char *const *columns, size_t n,
                  struct replica_index **indexp)
{
    struct replica_table *t = replica_add_table(r, table);
    struct replica_index *idx;

    *indexp = NULL;
    if (!t || n == 0 || n > REPLICA_MAX_INDEX_COLUMNS) {
        return t ? -EINVAL : -ENOENT;
    }
    if (!(idx = calloc(1, sizeof *idx))) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if ((idx->cols[i] = table_column(t, columns[i])) < 0) {
            free(idx);
            return -ENOENT;
        }
    }
    idx->n = n;
    idx->table = t;
    hmap_init(&idx->map);
    for (struct hmap_node *node = hmap_first(&t->rows); node;
         node = hmap_next(&t->rows, node)) {
        index_add_row(idx, HMAP_CONTAINER(node, struct replica_row, node));
    }
    idx->next = t->indexes;
    t->indexes = idx;
    *indexp = idx;
    return 0;
}

size_t
replica_index_find(const struct replica_index *idx,
                   const json_t *const *values,
                   const struct replica_row **rows, size_t max)
{
    size_t count = 0;

    for (struct hmap_node *n = hmap_first_with_hash(&idx->map,
                                                    index_hash(idx, values));
         n; n = hmap_next_with_hash(n)) {
        struct index_entry *e = HMAP_CONTAINER(n, struct index_entry, node);
        if (index_match(idx, e->row, values)) {
            if (count < max) {
                rows[count] = e->row;
            }
            count++;
        }
    }
    return count;
}

/* ---- Change tracking ---- */

static void
chg_append(struct replica_table *t, struct replica_row *row)
{
    row->chg_next = NULL;
    row->chg_prev = t->chg_tail;
    if (t->chg_tail) {
        t->chg_tail->chg_next = row;
    } else {
        t->chg_head = row;
    }
    t->chg_tail = row;
}

static void
chg_unlink(struct replica_table *t, struct replica_row *row)
{
    if (row->chg_prev) {
        row->chg_prev->chg_next = row->chg_next;
    } else {
        t->chg_head = row->chg_next;
    }
    if (row->chg_next) {
        row->chg_next->chg_prev = row->chg_prev;
    } else {
        t->chg_tail = row->chg_prev;
    }
    row->chg_prev = row->chg_next = NULL;
}

/* Records that 'row' changed ('c': inserted or modified). */
static void
note_change(struct replica_table *t, struct replica_row *row,
            enum replica_change c)
{
    row->seqno = t->replica->seqno;
    t->seqno = t->replica->seqno;
    if (t->track && row->change == REPLICA_UNCHANGED) {
        row->change = (uint8_t)c;
        chg_append(t, row);
    }
}

void
replica_table_track(struct replica_table *t, bool on)
{
    if (!on) {
        replica_table_forget_changes(t);
    }
    t->track = on;
}

const struct replica_row *
replica_table_changed_first(const struct replica_table *t)
{
    return t->chg_head;
}

const struct replica_row *
replica_table_changed_next(const struct replica_row *row)
{
    return row->chg_next;
}

void
replica_table_forget_changes(struct replica_table *t)
{
    struct replica_row *row = t->chg_head;

    while (row) {
        struct replica_row *next = row->chg_next;
        row->chg_prev = row->chg_next = NULL;
        if (row->change == REPLICA_DELETED) {
            row_free(t->replica, row);
        } else {
            row->change = REPLICA_UNCHANGED;
        }
        row = next;
    }
    t->chg_head = t->chg_tail = NULL;
}

/* ---- Applying updates ---- */

static struct replica_row *
table_find(const struct replica_table *t, const char *uuid, uint32_t hash)
{
    for (struct hmap_node *n = hmap_first_with_hash(&t->rows, hash); n;
         n = hmap_next_with_hash(n)) {
        struct replica_row *row = HMAP_CONTAINER(n, struct replica_row, node);
        if (!strcmp(row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

static void
row_insert(struct replica_table *t, const char *uuid, uint32_t hash,
           json_t *new)
{
    struct replica_row *row = calloc(1, sizeof *row);

    if (!row) {
        log_err("%s: out of memory inserting row %s", t->name, uuid);
        return;
    }
    memcpy(row->uuid, uuid, sizeof row->uuid);
    row->table = t;
    row_merge(t->replica, row, new);
    hmap_insert(&t->rows, &row->node, hash);
    for (struct replica_index *idx = t->indexes; idx; idx = idx->next) {
        index_add_row(idx, row);
    }
    t->replica->n_rows++;
    note_change(t, row, REPLICA_INSERTED);
}

static void
row_modify(struct replica_table *t, struct replica_row *row, json_t *new)
{
    for (struct replica_index *idx = t->indexes; idx; idx = idx->next) {
        if (index_touched(idx, new)) {
            index_remove_row(idx, row);
        }
    }
    row_merge(t->replica, row, new);
    for (struct replica_index *idx = t->indexes; idx; idx = idx->next) {
        if (index_touched(idx, new)) {
            index_add_row(idx, row);
        }
    }
    note_change(t, row, REPLICA_MODIFIED);
}

static void
row_delete(struct replica_table *t, struct replica_row *row)
{
    for (struct replica_index *idx = t->indexes; idx; idx = idx->next) {
        index_remove_row(idx, row);
    }
    hmap_remove(&t->rows, &row->node);
    t->replica->n_rows--;
    row->seqno = t->seqno = t->replica->seqno;
    if (t->track && row->change != REPLICA_INSERTED) {
        if (row->change == REPLICA_UNCHANGED) {
            chg_append(t, row);
        }
        row->change = REPLICA_DELETED; /* a tombstone until forgotten */
        return;
    }
    if (row->change != REPLICA_UNCHANGED) {
        chg_unlink(t, row); /* inserted and deleted unseen: no trace */
    }
    row_free(t->replica, row);
}

static int
bad_update(const char *table, const char *uuid, const char *why)
{
    log_warn_rl(&bad_update_rl, "malformed update for %s row %s: %s",
                table, uuid ? uuid : "?", why);
    return -EPROTO;
}

/* Applies one <row-update> for row 'uuid_in' of 't'. */
static int
apply_row(struct replica_table *t, const char *uuid_in, json_t *ru)
{
    char uuid[UUID_STRLEN + 1];
    json_t *old = json_object_get(ru, "old");
    json_t *new = json_object_get(ru, "new");

    if (uuid_normalize(uuid_in, uuid)) {
        return bad_update(t->name, NULL, "row name is not a UUID");
    }
    if (!json_is_object(ru) || (old && !json_is_object(old)) ||
        (new && !json_is_object(new)) || (!old && !new)) {
        return bad_update(t->name, uuid, "expected {\"old\": row, \"new\": "
                                         "row}");
    }
    uint32_t hash = uuid_hash(uuid);
    struct replica_row *row = table_find(t, uuid, hash);
    if (new && !row) {
        row_insert(t, uuid, hash, new);
    } else if (new) {
        row_modify(t, row, new);
    } else if (row) {
        row_delete(t, row);
    }
    return 0;
}

static int
apply_table(struct replica *r, const char *name, json_t *tu)
{
    struct replica_table *t = replica_add_table(r, name);
    const char *uuid;
    json_t *ru;

    if (!json_is_object(tu)) {
        return bad_update(name, NULL, "table update is not an object");
    }
    if (!t) {
        log_dbg("ignoring update for unknown table %s", name);
        return 0;
    }
    json_object_foreach (tu, uuid, ru) {
        int err = apply_row(t, uuid, ru);
        if (err) {
            return err;
        }
    }
    return 0;
}

int
replica_apply(struct replica *r, const json_t *updates)
{
    const char *name;
    json_t *tu;

    if (!json_is_object(updates)) {
        return bad_update("?", NULL, "table-updates is not an object");
    }
    r->seqno++;
    json_object_foreach ((json_t *)updates, name, tu) {
        int err = apply_table(r, name, tu);
        if (err) {
            return err;
        }
    }
    return 0;
}

/* Frees every row of 't' (tombstones too) and empties its indexes. */
static void
table_clear(struct replica_table *t)
{
    replica_table_forget_changes(t); /* frees tombstones, unlinks the rest */
    struct hmap_node *n = hmap_first(&t->rows);
    while (n) {
        struct hmap_node *next = hmap_next(&t->rows, n);
        row_free(t->replica, HMAP_CONTAINER(n, struct replica_row, node));
        n = next;
    }
    hmap_clear(&t->rows);
    for (struct replica_index *idx = t->indexes; idx; idx = idx->next) {
        index_clear(idx);
    }
}

void
replica_clear(struct replica *r)
{
    for (size_t i = 0; i < r->n_tables; i++) {
        table_clear(r->tables[i]);
        r->tables[i]->seqno = r->seqno + 1;
    }
    intern_sweep(r, false);
    r->n_rows = 0;
    r->seqno++;
    r->generation++;
}

void
replica_destroy(struct replica *r)
{
    if (!r) {
        return;
    }
    replica_clear(r);
    for (size_t i = 0; i < r->n_tables; i++) {
        struct replica_table *t = r->tables[i];
        while (t->indexes) {
            struct replica_index *next = t->indexes->next;
            hmap_destroy(&t->indexes->map);
            free(t->indexes);
            t->indexes = next;
        }
        for (size_t c = 0; c < t->n_columns; c++) {
            free(t->columns[c]);
        }
        hmap_destroy(&t->rows);
        free(t->columns);
        free(t->name);
        free(t);
    }
    intern_sweep(r, true);
    hmap_destroy(&r->interned);
    json_decref(r->uuid_tag);
    free(r->tables);
    free(r);
}

uint64_t
replica_seqno(const struct replica *r)
{
    return r->seqno;
}

uint64_t
replica_generation(const struct replica *r)
{
    return r->generation;
}

size_t
replica_n_rows(const struct replica *r)
{
    return r->n_rows;
}

const char *
replica_table_name(const struct replica_table *t)
{
    return t->name;
}

size_t
replica_table_count(const struct replica_table *t)
{
    return hmap_count(&t->rows);
}

uint64_t
replica_table_seqno(const struct replica_table *t)
{
    return t->seqno;
}

const struct replica_row *
replica_table_find(const struct replica_table *t, const char *uuid)
{
    char lower[UUID_STRLEN + 1];

    if (!t || uuid_normalize(uuid, lower)) {
        return NULL;
    }
    return table_find(t, lower, uuid_hash(lower));
}

const struct replica_row *
replica_find(const struct replica *r, const char *table, const char *uuid)
{
    return replica_table_find(replica_table(r, table), uuid);
}

const struct replica_row *
replica_table_first(const struct replica_table *t)
{
    struct hmap_node *n = hmap_first(&t->rows);

    return n ? HMAP_CONTAINER(n, struct replica_row, node) : NULL;
}

const struct replica_row *
replica_table_next(const struct replica_table *t,
                   const struct replica_row *row)
{
    struct hmap_node *n = hmap_next(&t->rows, &row->node);

    return n ? HMAP_CONTAINER(n, struct replica_row, node) : NULL;
}
