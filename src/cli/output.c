/* Output formats of the l2gw client: see output.h.  Value texts are in
 * pyfmt.c, the table layout in table.c, YAML in yaml.c; this file chooses
 * the columns and writes the five formats. */
#include "cli/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/buf.h"
#include "cli/pyfmt.h"
#include "cli/table.h"
#include "cli/yaml.h"

int out_parse_format(const char *s, enum out_format *f)
{
    static const char *const names[] = {"table", "json", "value", "yaml",
                                        "csv"};
    static const enum out_format vals[] = {OUT_TABLE, OUT_JSON, OUT_VALUE,
                                           OUT_YAML, OUT_CSV};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!strcmp(s, names[i])) {
            *f = vals[i];
            return 0;
        }
    }
    return -EINVAL;
}

/* ---- column selection ---- */

/* A chosen column: attribute key and title (borrowed). */
struct col {
    const char *key;
    const char *title;
};

static const struct out_column *find_col(const struct out_column *cols,
                                         const char *key)
{
    for (; cols && cols->key; cols++)
        if (!strcmp(cols->key, key))
            return cols;
    return NULL;
}

static bool selected(const struct out_opts *o, const struct col *c)
{
    for (size_t i = 0; i < o->n_select; i++)
        if (!strcmp(o->select[i], c->title) || !strcmp(o->select[i], c->key))
            return true;
    return false;
}

/* Keeps the columns of 'c' chosen by -c (all without -c).  Returns the
 * new count; 0 with a message in 'err' when -c chose none. */
static size_t apply_select(const struct out_opts *o, struct col *c, size_t n,
                           char *err, size_t errlen)
{
    size_t kept = 0;
    struct buf m = BUF_INIT;

    if (o->n_select == 0)
        return n;
    for (size_t i = 0; i < n; i++)
        if (selected(o, &c[i]))
            c[kept++] = c[i];
    if (kept)
        return kept;
    buf_add(&m, "No recognized column names in [");
    for (size_t i = 0; i < o->n_select; i++)
        buf_addf(&m, "%s'%s'", i ? ", " : "", o->select[i]);
    buf_add(&m, "]. Recognized columns are (");
    for (size_t i = 0; i < n; i++)
        buf_addf(&m, "%s'%s'", i ? ", " : "", c[i].title);
    buf_add(&m, ").");
    snprintf(err, errlen, "%s", m.data);
    buf_free(&m);
    return 0;
}

static bool is_empty(const json_t *v)
{
    return !v || json_is_null(v) ||
           (json_is_string(v) && json_string_length(v) == 0) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

static int cmp_title(const void *a, const void *b)
{
    return strcmp(((const struct col *)a)->title,
                  ((const struct col *)b)->title);
}

/* The rows of a show of 'obj', sorted by title; -c decides later whether
 * hidden ones count.  Caller frees. */
static struct col *show_columns(const struct out_opts *o,
                                const struct out_column *cols,
                                const json_t *obj, size_t *n)
{
    struct col *c = calloc(json_object_size(obj) + 1, sizeof *c);
    const char *key;
    json_t *v;

    *n = 0;
    json_object_foreach ((json_t *)obj, key, v) {
        const struct out_column *oc = find_col(cols, key);
        struct col one = {key, oc ? oc->title : key};
        bool explicit = o->n_select && selected(o, &one);

        if (oc && (oc->flags & OUT_HIDDEN) && !explicit)
            continue;
        if (oc && (oc->flags & OUT_NONEMPTY) && is_empty(v) && !explicit)
            continue;
        c[(*n)++] = one;
    }
    qsort(c, *n, sizeof *c, cmp_title);
    return c;
}

static bool has_col(const struct col *c, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].key, key))
            return true;
    return false;
}

static bool any_has(const json_t *rows, const char *key)
{
    size_t i;
    json_t *row;

    json_array_foreach (rows, i, row)
        if (json_object_get(row, key))
            return true;
    return false;
}

/* The columns of a list: -F fields, or the OUT_LIST columns; with -c,
 * the other columns of 'cols' may be chosen too.  Caller frees. */
static struct col *list_columns(const struct out_opts *o,
                                const struct out_column *cols,
                                const json_t *rows, const char *const *fields,
                                size_t n_fields, size_t *n)
{
    size_t max = n_fields, k = 0;
    struct col *c;

    for (const struct out_column *oc = cols; oc && oc->key; oc++)
        max++;
    c = calloc(max + 1, sizeof *c);
    for (size_t i = 0; i < n_fields; i++) {
        const struct out_column *oc = find_col(cols, fields[i]);
        c[k++] = (struct col){fields[i], oc ? oc->title : fields[i]};
    }
    for (const struct out_column *oc = cols; !n_fields && oc && oc->key; oc++)
        if ((oc->flags & OUT_LIST) &&
            (!(oc->flags & OUT_IF_ANY) || any_has(rows, oc->key)))
            c[k++] = (struct col){oc->key, oc->title};
    for (const struct out_column *oc = cols; o->n_select && oc && oc->key; oc++)
        if (!has_col(c, k, oc->key))
            c[k++] = (struct col){oc->key, oc->title};
    *n = k;
    return c;
}

/* ---- formats ---- */

/* A copy of 'obj' holding only the attributes of 'c' (all when c is
 * NULL).  Caller json_decref()s. */
static json_t *project(const json_t *obj, const struct col *c, size_t n)
{
    json_t *out = json_object();
    const char *key;
    json_t *v;

    json_object_foreach ((json_t *)obj, key, v) {
        for (size_t i = 0; i < n; i++) {
            if (!strcmp(c[i].key, key)) {
                json_object_set(out, key, v);
                break;
            }
        }
    }
    return out;
}

static void write_json(FILE *fp, const json_t *v)
{
    json_dumpf(v, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', fp);
}

static void csv_field(FILE *fp, const json_t *v)
{
    char *t = v && !json_is_null(v) ? pyfmt_machine(v) : strdup("");

    if (v && (json_is_number(v) || json_is_boolean(v))) {
        fputs(t, fp);
    } else {
        fputc('"', fp);
        for (const char *p = t; *p; p++) {
            if (*p == '"')
                fputc('"', fp);
            fputc(*p, fp);
        }
        fputc('"', fp);
    }
    free(t);
}

static void csv_titles(FILE *fp, const struct col *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_string(c[i].title);
        fputs(i ? "," : "", fp);
        csv_field(fp, t);
        json_decref(t);
    }
    fputc('\n', fp);
}

static void csv_row(FILE *fp, const json_t *obj, const struct col *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputs(i ? "," : "", fp);
        csv_field(fp, json_object_get(obj, c[i].key));
    }
    fputc('\n', fp);
}

static void value_row(FILE *fp, const json_t *obj, const struct col *c,
                      size_t n, const char *sep)
{
    for (size_t i = 0; i < n; i++) {
        char *t = pyfmt_machine(json_object_get(obj, c[i].key));
        fprintf(fp, "%s%s", i ? sep : "", t);
        free(t);
    }
    fputc('\n', fp);
}

static void show_table(FILE *fp, const json_t *obj, const struct col *c,
                       size_t n)
{
    const char *titles[2] = {"Field", "Value"};
    const bool right[2] = {false, false};
    char **cells = calloc(2 * n + 1, sizeof *cells);

    for (size_t i = 0; i < n; i++) {
        cells[2 * i] = strdup(c[i].title);
        cells[2 * i + 1] = pyfmt_cell(json_object_get(obj, c[i].key));
    }
    table_write(fp, titles, right, 2, (const char *const *)cells, n);
    for (size_t i = 0; i < 2 * n; i++)
        free(cells[i]);
    free(cells);
}

int out_show(FILE *fp, const struct out_opts *o, const struct out_column *cols,
             const json_t *obj, char *err, size_t errlen)
{
    size_t n;
    struct col *c = show_columns(o, cols, obj, &n);
    json_t *p;

    if (o->n_select && !(n = apply_select(o, c, n, err, errlen))) {
        free(c);
        return -EINVAL;
    }
    switch (o->format) {
    case OUT_TABLE:
        show_table(fp, obj, c, n);
        break;
    case OUT_VALUE:
        value_row(fp, obj, c, n, "\n");
        break;
    case OUT_CSV:
        csv_titles(fp, c, n);
        csv_row(fp, obj, c, n);
        break;
    case OUT_JSON:
    case OUT_YAML:
        p = o->n_select ? project(obj, c, n) : json_incref((json_t *)obj);
        if (o->format == OUT_JSON)
            write_json(fp, p);
        else
            yaml_write(fp, p);
        json_decref(p);
        break;
    }
    free(c);
    return 0;
}

/* The alignment of a list column: right when the first row holds a
 * number there (as cliff decides from the first row's Python types). */
static bool right_aligned(const json_t *rows, const char *key)
{
    const json_t *v = json_object_get(json_array_get(rows, 0), key);

    return v && json_is_number(v);
}

static void list_table(FILE *fp, const json_t *rows, const struct col *c,
                       size_t n)
{
    size_t nrows = json_array_size(rows);
    const char **titles = calloc(n + 1, sizeof *titles);
    bool *right = calloc(n + 1, sizeof *right);
    char **cells = calloc(nrows * n + 1, sizeof *cells);

    for (size_t i = 0; i < n; i++) {
        titles[i] = c[i].title;
        right[i] = right_aligned(rows, c[i].key);
    }
    for (size_t r = 0; r < nrows; r++)
        for (size_t i = 0; i < n; i++)
            cells[r * n + i] =
                pyfmt_cell(json_object_get(json_array_get(rows, r), c[i].key));
    table_write(fp, titles, right, n, (const char *const *)cells, nrows);
    for (size_t i = 0; i < nrows * n; i++)
        free(cells[i]);
    free(cells);
    free(right);
    free(titles);
}

static void list_projected(FILE *fp, const struct out_opts *o,
                           const json_t *rows, const struct col *c, size_t n)
{
    json_t *arr = json_array(), *row;
    size_t i;

    json_array_foreach (rows, i, row)
        json_array_append_new(arr, o->n_select ? project(row, c, n)
                                               : json_incref(row));
    if (o->format == OUT_JSON)
        write_json(fp, arr);
    else
        yaml_write(fp, arr);
    json_decref(arr);
}

int out_list(FILE *fp, const struct out_opts *o, const struct out_column *cols,
             const json_t *rows, const char *const *fields, size_t n_fields,
             char *err, size_t errlen)
{
    size_t n, i;
    struct col *c = list_columns(o, cols, rows, fields, n_fields, &n);
    json_t *row;

    if (o->n_select && !(n = apply_select(o, c, n, err, errlen))) {
        free(c);
        return -EINVAL;
    }
    switch (o->format) {
    case OUT_TABLE:
        list_table(fp, rows, c, n);
        break;
    case OUT_VALUE:
        json_array_foreach (rows, i, row)
            value_row(fp, row, c, n, " ");
        break;
    case OUT_CSV:
        csv_titles(fp, c, n);
        json_array_foreach (rows, i, row)
            csv_row(fp, row, c, n);
        break;
    case OUT_JSON:
    case OUT_YAML:
        list_projected(fp, o, rows, c, n);
        break;
    }
    free(c);
    return 0;
}
