/* The generic list engine: store_list() and store_get() (store.h).
 *
 * A list query becomes
 *   SELECT cols FROM table
 *   WHERE filters AND (where) AND keyset
 *   ORDER BY k1 dir1, ..., kn dirn, id dir
 *   LIMIT n+1
 * The keyset condition selects the rows after the marker in the order of
 * the sort keys (the id column is appended unless a sort key already is the
 * id): (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... with '<' for descending
 * keys, where v1..vn are the marker row's own values, read first.
 * page_reverse flips every direction; the rows are reversed before return.
 * One extra row is fetched to tell whether more rows follow.
 *
 * NULL rule: NULL sorts below every value, in both directions (ascending:
 * NULLs first; descending: NULLs last), as SQLite does by default; other
 * backends get explicit NULLS FIRST/LAST.  The keyset condition follows the
 * same rule (a NULL marker value is matched with IS NULL / IS NOT NULL).
 *
 * The marker row is looked up by id under the query's 'where' (so a row the
 * caller may not see is an unknown marker) but not its filters.
 * Identifiers (table, columns, where) come from trusted tables in code;
 * every value is a bound parameter. */
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LOG_MODULE "store"
#include "lib/log.h"
#include "store/store_impl.h"

/* Hard limits. */
enum {
    STORE_LIST_MAX_SORTS = 16,     /* sort keys of one query */
    STORE_LIST_MAX_PARAMS = 10000, /* bound values of one query */
    STORE_LIST_STACK_PARAMS = 64,  /* bound values kept without malloc */
};

/* A value to bind.  Text is borrowed (from the query or the marker). */
struct param {
    enum store_kind kind;
    long long i;
    const char *t;
};

struct list_ctx {
    struct store *st;
    const struct store_list_query *q;
    struct store_buf *sql;
    size_t n_keys;
    const char *key[STORE_LIST_MAX_SORTS + 1];
    bool desc[STORE_LIST_MAX_SORTS + 1];
    struct param mark[STORE_LIST_MAX_SORTS + 1]; /* text owned */
    bool has_mark;
    struct param *params;
    size_t n_params, max_params;
    struct param stack_params[STORE_LIST_STACK_PARAMS];
};

static void add_param(struct list_ctx *c, struct param p)
{
    /* max_params was counted in advance (alloc_params). */
    if (c->n_params < c->max_params)
        c->params[c->n_params++] = p;
}

static int bind_params(struct store_stmt *s, const struct param *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int idx = (int)i + 1, err;
        if (p[i].kind == STORE_KIND_INT)
            err = store_bind_int(s, idx, p[i].i);
        else
            err = store_bind_text(s, idx, p[i].t);
        if (err)
            return err;
    }
    return 0;
}

/* Converts a filter value: INT takes an optional sign and decimal digits
 * (the whole string), BOOL takes true/false/1/0 in any case.  Returns false
 * if 'v' does not convert (the value then matches nothing). */
static bool convert_value(enum store_type type, const char *v, struct param *p)
{
    if (type == STORE_TEXT) {
        *p = (struct param){.kind = STORE_KIND_TEXT, .t = v};
        return true;
    }
    p->kind = STORE_KIND_INT;
    if (type == STORE_BOOL) {
        if (!strcasecmp(v, "true") || !strcmp(v, "1"))
            p->i = 1;
        else if (!strcasecmp(v, "false") || !strcmp(v, "0"))
            p->i = 0;
        else
            return false;
        return true;
    }
    const char *d = (*v == '-' || *v == '+') ? v + 1 : v;
    if (*d < '0' || *d > '9')
        return false;
    char *end;
    errno = 0;
    p->i = strtoll(v, &end, 10);
    return !*end && errno != ERANGE;
}

/* "column IN (?, ...)" of the values that convert, or "1 = 0" if none. */
static void add_filter(struct list_ctx *c, const struct store_filter *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_values; i++) {
        struct param p;
        if (!f->values[i] || !convert_value(f->type, f->values[i], &p))
            continue;
        if (!n)
            store_buf_addf(c->sql, "%s IN (?", f->column);
        else
            store_buf_add(c->sql, ", ?");
        add_param(c, p);
        n++;
    }
    store_buf_add(c->sql, n ? ")" : "1 = 0");
}

/* "k = v" under the NULL rule. */
static void add_key_eq(struct list_ctx *c, size_t k)
{
    if (c->mark[k].kind == STORE_KIND_NULL) {
        store_buf_addf(c->sql, "%s IS NULL", c->key[k]);
        return;
    }
    store_buf_addf(c->sql, "%s = ?", c->key[k]);
    add_param(c, c->mark[k]);
}

/* "k comes after v" in the key's direction under the NULL rule. */
static void add_key_after(struct list_ctx *c, size_t k)
{
    bool null = c->mark[k].kind == STORE_KIND_NULL;
    if (!c->desc[k]) {
        store_buf_addf(c->sql, null ? "%s IS NOT NULL" : "%s > ?", c->key[k]);
    } else if (null) {
        store_buf_add(c->sql, "1 = 0");
        return;
    } else {
        store_buf_addf(c->sql, "(%s < ? OR %s IS NULL)", c->key[k], c->key[k]);
    }
    if (!null)
        add_param(c, c->mark[k]);
}

/* (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... */
static void add_keyset(struct list_ctx *c)
{
    store_buf_add(c->sql, "(");
    for (size_t i = 0; i < c->n_keys; i++) {
        store_buf_add(c->sql, i ? " OR (" : "(");
        for (size_t j = 0; j < i; j++) {
            add_key_eq(c, j);
            store_buf_add(c->sql, " AND ");
        }
        add_key_after(c, i);
        store_buf_add(c->sql, ")");
    }
    store_buf_add(c->sql, ")");
}

static void add_select(struct list_ctx *c, const struct store_list_query *q)
{
    store_buf_add(c->sql, "SELECT ");
    for (size_t i = 0; i < q->n_cols; i++) {
        store_buf_add(c->sql, i ? ", " : "");
        store_buf_add(c->sql, q->cols[i].column);
    }
    store_buf_addf(c->sql, " FROM %s", q->table);
}

static void add_order(struct list_ctx *c)
{
    bool explicit_nulls = !store_nulls_sort_low(c->st);
    store_buf_add(c->sql, " ORDER BY ");
    for (size_t i = 0; i < c->n_keys; i++) {
        store_buf_addf(c->sql, "%s%s %s", i ? ", " : "", c->key[i],
                       c->desc[i] ? "DESC" : "ASC");
        if (explicit_nulls)
            store_buf_add(c->sql, c->desc[i] ? " NULLS LAST" : " NULLS FIRST");
    }
}

/* Builds the main query into c->sql and its values into c->params. */
static void build_list_sql(struct list_ctx *c)
{
    const struct store_list_query *q = c->q;
    const char *glue = " WHERE ";

    add_select(c, q);
    for (size_t i = 0; i < q->n_filters; i++, glue = " AND ") {
        store_buf_add(c->sql, glue);
        add_filter(c, &q->filters[i]);
    }
    if (q->where && *q->where) {
        store_buf_addf(c->sql, "%s(%s)", glue, q->where);
        glue = " AND ";
    }
    if (c->has_mark) {
        store_buf_add(c->sql, glue);
        add_keyset(c);
    }
    add_order(c);
    if (q->limit > 0) {
        store_buf_add(c->sql, " LIMIT ?");
        long long n = q->limit < LLONG_MAX ? q->limit + 1 : q->limit;
        add_param(c, (struct param){.kind = STORE_KIND_INT, .i = n});
    }
}

/* Sort keys: the query's sorts, then the id unless it is already one. */
static int setup_keys(struct list_ctx *c)
{
    const struct store_list_query *q = c->q;
    const char *id = q->cols[0].column;
    bool has_id = false;

    if (q->n_sorts > STORE_LIST_MAX_SORTS) {
        log_err("list of %s: %zu sort keys (at most %d)", q->table, q->n_sorts,
                STORE_LIST_MAX_SORTS);
        return -EINVAL;
    }
    for (size_t i = 0; i < q->n_sorts; i++) {
        c->key[i] = q->sorts[i].column;
        c->desc[i] = q->sorts[i].desc != q->page_reverse;
        has_id |= !strcmp(q->sorts[i].column, id);
    }
    c->n_keys = q->n_sorts;
    if (!has_id) {
        c->key[c->n_keys] = id;
        c->desc[c->n_keys++] = q->page_reverse;
    }
    return 0;
}

/* Counts the values the main query binds (an upper bound) and makes room. */
static int alloc_params(struct list_ctx *c)
{
    const struct store_list_query *q = c->q;
    size_t n = 1 + (c->has_mark ? c->n_keys * (c->n_keys + 1) / 2 : 0);
    for (size_t i = 0; i < q->n_filters; i++)
        n += q->filters[i].n_values;
    if (n > STORE_LIST_MAX_PARAMS) {
        log_err("list of %s: %zu values to bind (at most %d)", q->table, n,
                STORE_LIST_MAX_PARAMS);
        return -EINVAL;
    }
    c->params = c->stack_params;
    if (n > STORE_LIST_STACK_PARAMS) {
        c->params = calloc(n, sizeof *c->params);
        if (!c->params)
            return -ENOMEM;
    }
    c->max_params = n;
    return 0;
}

static void ctx_free(struct list_ctx *c)
{
    for (size_t i = 0; i < c->n_keys; i++)
        if (c->mark[i].kind == STORE_KIND_TEXT)
            free((char *)c->mark[i].t);
    if (c->params != c->stack_params)
        free(c->params);
}

/* Prepares c->sql (which must not have failed) and binds 'n' values. */
static int prepare_bound(struct list_ctx *c, const struct param *p, size_t n,
                         struct store_stmt **s)
{
    if (c->sql->failed)
        return -ENOMEM;
    int err = store_prepare(c->st, c->sql->s, s);
    if (!err && (err = bind_params(*s, p, n)))
        store_reset(*s);
    return err;
}

/* Copies the current row's key values into c->mark. */
static int copy_mark(struct list_ctx *c, struct store_stmt *s)
{
    for (size_t i = 0; i < c->n_keys; i++) {
        struct param *m = &c->mark[i];
        m->kind = store_col_kind(s, (int)i);
        if (m->kind == STORE_KIND_INT) {
            m->i = store_col_int(s, (int)i);
        } else if (m->kind == STORE_KIND_TEXT) {
            m->t = strdup(store_col_text(s, (int)i));
            if (!m->t) {
                m->kind = STORE_KIND_NULL;
                return -ENOMEM;
            }
        }
    }
    return 0;
}

/* Reads the marker row's sort key values.  -ENOENT: no such row. */
static int read_marker(struct list_ctx *c)
{
    const struct store_list_query *q = c->q;
    struct store_stmt *s;

    c->sql = store_scratch(c->st);
    store_buf_add(c->sql, "SELECT ");
    for (size_t i = 0; i < c->n_keys; i++)
        store_buf_addf(c->sql, "%s%s", i ? ", " : "", c->key[i]);
    store_buf_addf(c->sql, " FROM %s WHERE %s = ?", q->table,
                   q->cols[0].column);
    if (q->where && *q->where)
        store_buf_addf(c->sql, " AND (%s)", q->where);
    struct param id = {.kind = STORE_KIND_TEXT, .t = q->marker};
    int r = prepare_bound(c, &id, 1, &s);
    if (r)
        return r;
    r = store_step(s);
    if (r <= 0)
        return r ? r : -ENOENT;
    r = copy_mark(c, s);
    store_reset(s);
    return r;
}

/* A new JSON value for column 'col' of the current row, or NULL. */
static json_t *col_json(struct store_stmt *s, int col, enum store_type type)
{
    bool null = store_col_is_null(s, col);
    if (type == STORE_BOOL)
        return json_boolean(!null && store_col_int(s, col) != 0);
    if (null)
        return json_null();
    if (type == STORE_INT)
        return json_integer(store_col_int(s, col));
    return json_string(store_col_text(s, col));
}

/* The current row of 's' as a new JSON object (attr → value), or NULL. */
static json_t *row_json(struct store_stmt *s, const struct store_list_query *q)
{
    json_t *row = json_object();
    for (size_t i = 0; row && i < q->n_cols; i++) {
        const struct store_col *col = &q->cols[i];
        json_t *v = col_json(s, (int)i, col->type);
        if (!v) {
            log_err("%s.%s: value is not valid UTF-8 or out of memory",
                    q->table, col->column);
            json_decref(row);
            return NULL;
        }
        json_object_set_new_nocheck(row, col->attr, v);
    }
    return row;
}

/* Steps 's' to the end, appending up to 'limit' rows (<= 0: all) to
 * 'rows'; '*more' tells whether another row came after them. */
static int fetch_rows(struct store_stmt *s, const struct store_list_query *q,
                      json_t *rows, bool *more)
{
    int r;
    *more = false;
    while ((r = store_step(s)) > 0) {
        if (q->limit > 0 && (long long)json_array_size(rows) >= q->limit) {
            *more = true;
            store_reset(s);
            return 0;
        }
        json_t *row = row_json(s, q);
        if (!row || json_array_append_new(rows, row)) {
            store_reset(s);
            return -ENOMEM;
        }
    }
    return r;
}

/* Replaces '*rows' by its reverse. */
static int reverse_rows(json_t **rows)
{
    size_t n = json_array_size(*rows);
    json_t *rev = json_array();
    for (size_t i = n; rev && i > 0; i--) {
        if (json_array_append(rev, json_array_get(*rows, i - 1))) {
            json_decref(rev);
            rev = NULL;
        }
    }
    if (!rev)
        return -ENOMEM;
    json_decref(*rows);
    *rows = rev;
    return 0;
}

static int check_query(const struct store_list_query *q)
{
    if (!q || !q->table || !q->cols || q->n_cols < 1) {
        log_err("list query without a table or an id column");
        return -EINVAL;
    }
    return 0;
}

static int run_list(struct list_ctx *c, json_t **rows, bool *more)
{
    struct store_stmt *s;
    int err = setup_keys(c);
    if (!err && c->q->marker) {
        c->has_mark = true;
        err = read_marker(c);
    }
    if (!err)
        err = alloc_params(c);
    if (err)
        return err;
    c->sql = store_scratch(c->st);
    build_list_sql(c);
    err = prepare_bound(c, c->params, c->n_params, &s);
    if (err)
        return err;
    *rows = json_array();
    if (!*rows) {
        store_reset(s);
        return -ENOMEM;
    }
    err = fetch_rows(s, c->q, *rows, more);
    if (!err && c->q->page_reverse)
        err = reverse_rows(rows);
    return err;
}

/* Caller frees '*rows' with json_decref(). */
int store_list(struct store *st, const struct store_list_query *q,
               json_t **rows, bool *more)
{
    struct list_ctx c = {.st = st, .q = q};
    bool more_dummy;

    *rows = NULL;
    int err = check_query(q);
    if (!err)
        err = run_list(&c, rows, more ? more : &more_dummy);
    ctx_free(&c);
    if (err) {
        json_decref(*rows);
        *rows = NULL;
    }
    return err;
}

/* Only 'table', 'cols' and 'where' of 'q' are used.  Caller frees '*row'
 * with json_decref(). */
int store_get(struct store *st, const struct store_list_query *q,
              const char *id, json_t **row)
{
    struct list_ctx c = {.st = st, .q = q};
    struct param p = {.kind = STORE_KIND_TEXT, .t = id};
    struct store_stmt *s;

    *row = NULL;
    int r = check_query(q);
    if (r)
        return r;
    c.sql = store_scratch(st);
    add_select(&c, q);
    store_buf_addf(c.sql, " WHERE %s = ?", q->cols[0].column);
    if (q->where && *q->where)
        store_buf_addf(c.sql, " AND (%s)", q->where);
    r = prepare_bound(&c, &p, 1, &s);
    if (!r && (r = store_step(s)) == 0)
        r = -ENOENT;
    if (r <= 0)
        return r;
    *row = row_json(s, q);
    store_reset(s);
    return *row ? 0 : -ENOMEM;
}
