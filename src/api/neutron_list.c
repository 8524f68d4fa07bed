/* Neutron list conventions (see neutron.h): the store query of a list
 * request (columns, filters, sort, paging) and what goes into a list or
 * show response (tenant_id, hidden attributes, fields, paging links).
 * Messages are those of neutron/api/api_common.py. */
#include "api/neutron.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "lib/jsonutil.h"

#define REPR_MAX 256   /* characters of a value quoted in a message */

/* Query keys that are list controls, never filters. */
static const char *const control_keys[] = {
    "fields", "limit", "marker", "sort_key", "sort_dir", "page_reverse",
};

static bool
is_control_key(const char *key)
{
    for (size_t i = 0; i < sizeof control_keys / sizeof *control_keys; i++) {
        if (!strcmp(key, control_keys[i])) {
            return true;
        }
    }
    return false;
}

/* ---- list queries ---- */

/* The selected columns: id first, every attribute with a column, and the
 * project (rendered as both tenant_id and project_id). */
static int
build_cols(const struct api_resource *res, struct neutron_list *l)
{
    const struct api_attr *id = neutron_find_attr(res, "id");
    size_t n = 0;

    l->cols = calloc(res->n_attrs + 2, sizeof *l->cols);
    if (!l->cols) {
        return -ENOMEM;
    }
    l->cols[n++] = id && id->column
                       ? (struct store_col){id->column, "id", id->col_type}
                       : (struct store_col){"id", "id", STORE_TEXT};
    for (size_t i = 0; i < res->n_attrs; i++) {
        const struct api_attr *a = &res->attrs[i];
        if (a->column && strcmp(a->name, "id")
            && !neutron_is_project_key(res, a->name)) {
            l->cols[n++] = (struct store_col){a->column, a->name, a->col_type};
        }
    }
    if (res->has_project) {
        l->cols[n++] = (struct store_col){neutron_project_column(res),
                                          "project_id", STORE_TEXT};
    }
    l->q.cols = l->cols;
    l->q.n_cols = n;
    return 0;
}

/* The column (and its type) a filter or sort on 'name' uses, or NULL. */
static const char *
attr_column(const struct api_resource *res, const char *name,
            enum store_type *type)
{
    if (neutron_is_project_key(res, name)) {
        *type = STORE_TEXT;
        return neutron_project_column(res);
    }
    const struct api_attr *a = neutron_find_attr(res, name);
    if (!a && !strcmp(name, "id")) {
        *type = STORE_TEXT;
        return "id";
    }
    if (!a || !a->column) {
        return NULL;
    }
    *type = a->col_type;
    return a->column;
}

/* Counts the filter values of 'query' to size the arrays. */
static size_t
count_values(const json_t *query, size_t *n_keys)
{
    const char *key;
    json_t *v;
    size_t n = 0;

    *n_keys = 0;
    json_object_foreach((json_t *)query, key, v) {
        n += json_array_size(v);
        (*n_keys)++;
    }
    return n;
}

/* Appends the filter on 'column' with the string values of 'list'. */
static void
add_filter(struct neutron_list *l, const char *column, enum store_type type,
           const json_t *list, size_t *n_values)
{
    struct store_filter *f = &l->filters[l->q.n_filters++];
    size_t i;
    json_t *v;

    f->column = column;
    f->type = type;
    f->values = &l->values[*n_values];
    f->n_values = 0;
    json_array_foreach((json_t *)list, i, v) {
        if (json_is_string(v)) {
            l->values[(*n_values)++] = json_string_value(v);
            f->n_values++;
        }
    }
}

/* Filters: attr=value for attributes with a column (repeated: OR);
 * unknown keys are ignored.  A non-admin sees its own project only. */
static int
build_filters(const struct api_resource *res, const json_t *query,
              const struct api_caller *caller, struct neutron_list *l,
              struct core_err *err)
{
    size_t n_keys, n_values = 0;
    size_t total = count_values(query, &n_keys);
    const char *key;
    json_t *list;

    if (total > NEUTRON_MAX_FILTER_VALUES) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Too many query parameters (more than %d)",
                         NEUTRON_MAX_FILTER_VALUES);
    }
    l->filters = calloc(n_keys + 1, sizeof *l->filters);
    l->values = calloc(total + 1, sizeof *l->values);
    if (!l->filters || !l->values) {
        return -ENOMEM;
    }
    json_object_foreach((json_t *)query, key, list) {
        enum store_type type;
        const char *column = attr_column(res, key, &type);
        if (column && !is_control_key(key) && json_array_size(list)) {
            add_filter(l, column, type, list, &n_values);
        }
    }
    if (res->has_project && !caller->is_admin) {
        struct store_filter *f = &l->filters[l->q.n_filters++];
        l->values[n_values] = caller->project_id;
        *f = (struct store_filter){neutron_project_column(res), STORE_TEXT,
                                   &l->values[n_values], 1};
    }
    l->q.filters = l->filters;
    return 0;
}

/* Collects the non-empty strings of query[name] into a new array. */
static json_t *
nonempty_args(const json_t *query, const char *name)
{
    json_t *out = json_array();
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(query, name), i, v) {
        const char *s = json_string_value(v);
        if (out && s && *s) {
            json_array_append(out, v);
        }
    }
    return out;
}

/* Fails with 'fmt' formatted with the Python list repr of 'bad'. */
static int
fail_list(struct core_err *err, const char *fmt, const json_t *bad)
{
    char repr[REPR_MAX];

    neutron_repr(bad, repr, sizeof repr);
    return core_fail(err, CE_BAD_REQUEST, fmt, repr);
}

/* Checks sort_key/sort_dir pairs as Neutron's get_sorts() does and fills
 * l->sorts.  'keys'/'dirs' hold the non-empty values. */
static int
check_sorts(const struct api_resource *res, const json_t *keys,
            const json_t *dirs, struct neutron_list *l, struct core_err *err)
{
    json_t *bad_keys = json_array(), *bad_dirs = json_array();
    size_t n = json_array_size(keys);
    int rc = 0;

    if (!bad_keys || !bad_dirs) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        enum store_type type;
        json_t *k = json_array_get(keys, i), *d = json_array_get(dirs, i);
        const char *dir = json_string_value(d);
        const char *column = attr_column(res, json_string_value(k), &type);
        if (!column) {
            json_array_append(bad_keys, k);
        }
        if (strcmp(dir, "asc") && strcmp(dir, "desc")) {
            json_array_append(bad_dirs, d);
        }
        if (i < NEUTRON_MAX_SORTS) {
            l->sorts[i] = (struct store_sort){column, !strcmp(dir, "desc")};
        }
    }
    if (json_array_size(bad_keys)) {
        rc = fail_list(err, "%s is invalid attribute for sort_keys", bad_keys);
    } else if (json_array_size(bad_dirs)) {
        rc = fail_list(err, "%s is invalid value for sort_dirs, valid value "
                       "is 'asc' and 'desc'", bad_dirs);
    } else if (n > NEUTRON_MAX_SORTS) {
        rc = core_fail(err, CE_BAD_REQUEST, "More than %d sort_keys",
                       NEUTRON_MAX_SORTS);
    }
out:
    json_decref(bad_keys);
    json_decref(bad_dirs);
    return rc;
}

static int
build_sorts(const struct api_resource *res, const json_t *query,
            struct neutron_list *l, struct core_err *err)
{
    json_t *keys = nonempty_args(query, "sort_key");
    json_t *dirs = nonempty_args(query, "sort_dir");
    int rc;

    if (!keys || !dirs) {
        rc = -ENOMEM;
    } else if (json_array_size(keys) != json_array_size(dirs)) {
        rc = core_fail(err, CE_BAD_REQUEST,
                       "The number of sort_keys and sort_dirs must be same");
    } else {
        rc = check_sorts(res, keys, dirs, l, err);
        if (!rc) {
            l->q.sorts = l->sorts;
            l->q.n_sorts = json_array_size(keys);
        }
    }
    json_decref(keys);
    json_decref(dirs);
    return rc;
}

/* The last value of query[name] (as webob's GET.get()), or NULL. */
static const char *
last_arg(const json_t *query, const char *name)
{
    const json_t *list = json_object_get(query, name);
    size_t n = json_array_size(list);

    return n ? json_string_value(json_array_get(list, n - 1)) : NULL;
}

/* Parses 's' as Python's int() does for a limit: optional blanks around an
 * optional sign and decimal digits.  Values beyond long long saturate. */
static bool
parse_limit(const char *s, long long *out)
{
    bool neg = false, digits = false;
    long long v = 0;

    while (isspace((unsigned char)*s)) {
        s++;
    }
    if (*s == '+' || *s == '-') {
        neg = *s++ == '-';
    }
    for (; isdigit((unsigned char)*s); s++) {
        digits = true;
        v = v > (LLONG_MAX - 9) / 10 ? LLONG_MAX : v * 10 + (*s - '0');
    }
    while (isspace((unsigned char)*s)) {
        s++;
    }
    if (!digits || *s) {
        return false;
    }
    *out = neg ? -v : v;
    return true;
}

static int
build_paging(const json_t *query, struct neutron_list *l, struct core_err *err)
{
    const char *limit = last_arg(query, "limit");
    const char *marker = last_arg(query, "marker");
    const char *reverse = last_arg(query, "page_reverse");
    long long n = 0;

    if (limit && (!parse_limit(limit, &n) || n < 0)) {
        return core_fail(err, CE_BAD_REQUEST,
                         "Bad limit request: Limit must be an integer 0 or "
                         "greater and not '%.*s'.", REPR_MAX, limit);
    }
    l->limit = n;
    if (n > 0) {
        l->marker = marker && *marker ? marker : NULL;
        l->page_reverse = reverse && !strcasecmp(reverse, "true");
    }
    l->q.limit = l->limit;
    l->q.marker = l->marker;
    l->q.page_reverse = l->page_reverse;
    return 0;
}

int
neutron_list_parse(const struct api_resource *res, const json_t *query,
                   const struct api_caller *caller, struct neutron_list *l,
                   struct core_err *err)
{
    memset(l, 0, sizeof *l);
    l->q.table = res->table;
    int rc = build_cols(res, l);
    if (!rc) {
        rc = build_filters(res, query, caller, l, err);
    }
    if (!rc) {
        rc = build_sorts(res, query, l, err);
    }
    if (!rc) {
        rc = build_paging(query, l, err);
    }
    l->fields = json_object_get(query, "fields");
    return rc;
}

void
neutron_list_destroy(struct neutron_list *l)
{
    if (l) {
        free(l->cols);
        free(l->filters);
        free(l->values);
        l->cols = NULL;
        l->filters = NULL;
        l->values = NULL;
    }
}

/* ---- responses ---- */

void
neutron_render_row(const struct api_resource *res, json_t *row)
{
    if (!json_is_object(row)) {
        return;
    }
    if (res->has_project) {
        json_t *p = json_object_get(row, "project_id");
        if (p) {
            json_object_set(row, "tenant_id", p);
        }
    }
    for (size_t i = 0; i < res->n_attrs; i++) {
        if (res->attrs[i].flags & API_A_HIDDEN) {
            json_object_del(row, res->attrs[i].name);
        }
    }
}

bool
neutron_has_fields(const json_t *fields)
{
    size_t i;
    json_t *v;

    json_array_foreach((json_t *)fields, i, v) {
        const char *s = json_string_value(v);
        if (s && *s) {
            return true;
        }
    }
    return false;
}

/* True if 'name' is one of the strings of 'fields'. */
static bool
field_wanted(const json_t *fields, const char *name)
{
    size_t i;
    json_t *v;

    json_array_foreach((json_t *)fields, i, v) {
        const char *s = json_string_value(v);
        if (s && !strcmp(s, name)) {
            return true;
        }
    }
    return false;
}

void
neutron_apply_fields(json_t *row, const json_t *fields)
{
    const char *key;
    json_t *v;
    void *tmp;

    if (!json_is_object(row) || !neutron_has_fields(fields)) {
        return;
    }
    json_object_foreach_safe(row, tmp, key, v) {
        if (!field_wanted(fields, key)) {
            json_object_del(row, key);
        }
    }
}

/* An href being written into a buffer sized for it in advance. */
struct href {
    char *p;
    size_t len;
    size_t cap;
};

static void
href_put(struct href *h, const char *s, size_t n)
{
    if (h->len + n < h->cap) {
        memcpy(h->p + h->len, s, n);
        h->len += n;
        h->p[h->len] = '\0';
    }
}

/* Appends 's' encoded as Python's quote_plus() does (at most 3 bytes per
 * byte of 's'). */
static void
href_quote_plus(struct href *h, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("_.-~", *p)) {
            href_put(h, (const char *)p, 1);
        } else if (*p == ' ') {
            href_put(h, "+", 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            href_put(h, esc, 3);
        }
    }
}

/* Appends "&key=value" ('?' before the first parameter). */
static void
href_param(struct href *h, const char *key, const char *value)
{
    href_put(h, h->p[h->len - 1] == '?' ? "" : "&", h->p[h->len - 1] != '?');
    href_quote_plus(h, key);
    href_put(h, "=", 1);
    href_quote_plus(h, value);
}

/* The bytes an href for 'query', 'base' and marker 'id' can take. */
static size_t
href_size(const json_t *query, const char *base, const char *id)
{
    size_t size = strlen(base) + 3 * (id ? strlen(id) : 0) + 64;
    const char *key;
    json_t *list;

    json_object_foreach((json_t *)query, key, list) {
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v) {
            size += 3 * (strlen(key) + json_string_length(v)) + 2;
        }
    }
    return size;
}

/* Builds one link: every query parameter but marker and page_reverse, then
 * marker=<id of 'row'> (when there is a row), then page_reverse=True for
 * "previous".  Returns a new object or NULL. */
static json_t *
make_link(const json_t *query, const char *base, const json_t *row,
          bool previous)
{
    const char *id = ju_str(row, "id");
    struct href h = {NULL, 0, href_size(query, base, id)};
    const char *key;
    json_t *list;

    h.p = malloc(h.cap);
    if (!h.p) {
        return NULL;
    }
    h.p[0] = '\0';
    href_put(&h, base, strlen(base));
    href_put(&h, "?", 1);
    json_object_foreach((json_t *)query, key, list) {
        size_t i;
        json_t *v;
        if (strcmp(key, "marker") && strcmp(key, "page_reverse")) {
            json_array_foreach(list, i, v) {
                href_param(&h, key, json_string_value(v));
            }
        }
    }
    if (id) {
        href_param(&h, "marker", id);
    }
    if (previous) {
        href_param(&h, "page_reverse", "True");
    }
    json_t *link = json_pack("{s:s, s:s}", "rel",
                             previous ? "previous" : "next", "href", h.p);
    free(h.p);
    return link;
}

json_t *
neutron_links(const struct neutron_list *l, const json_t *query,
              const char *base, const json_t *rows, bool more)
{
    size_t n = json_array_size(rows);
    bool next, previous;

    if (l->limit <= 0) {
        return NULL;
    }
    if (!l->page_reverse) {
        next = more;
        previous = l->marker != NULL;
    } else {
        next = l->marker != NULL;
        previous = more;
    }
    if (!next && !previous) {
        return NULL;
    }
    json_t *links = json_array();
    if (links && next) {
        json_array_append_new(links, make_link(query, base,
                                               n ? json_array_get(rows, n - 1)
                                                 : NULL, false));
    }
    if (links && previous) {
        json_array_append_new(links, make_link(query, base,
                                               json_array_get(rows, 0), true));
    }
    return links;
}
