/* Output of the l2gw client, shaped like the OpenStack client (cliff):
 *
 *  table  prettytable layout: +---+ borders, a title row, multi-line cells;
 *         a list is one row per resource, a show is a Field/Value table
 *         whose rows are sorted by title; integers are right-aligned
 *  value  values only: a list row per line, values separated by one space;
 *         a show prints one value per line
 *  csv    a title row, then rows; strings quoted, numbers not
 *  json   the resource object(s) as the API returned them (an array for a
 *         list), restricted to the selected columns' attributes with -c
 *  yaml   the same data as json, in block style
 *
 * Cells are rendered as the OpenStack client renders them: a list of
 * objects one object per line as "key='value', ..." with sorted keys (so a
 * device reads "device_name='sw1', id='…', interfaces='[…]'"), a list of
 * scalars joined with ", ", booleans True/False, null None, nested values
 * in Python notation.  -c selects columns by title (or attribute name);
 * columns keep their natural order. */
#ifndef L2GW_CLI_OUTPUT_H
#define L2GW_CLI_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

enum out_format { OUT_TABLE, OUT_JSON, OUT_VALUE, OUT_YAML, OUT_CSV };

/* Column flags. */
#define OUT_LIST 0x1     /* a column of the default list */
#define OUT_HIDDEN 0x2   /* not a row of show unless selected with -c */
#define OUT_NONEMPTY 0x4 /* a row of show only when its value is not empty */
#define OUT_IF_ANY 0x8   /* a list column only when some row has it */

/* One attribute of a resource and its title.  Arrays of columns end with
 * a zeroed entry. */
struct out_column {
    const char *key;
    const char *title;
    unsigned flags;
};

struct out_opts {
    enum out_format format;
    const char *const *select; /* -c titles, borrowed */
    size_t n_select;
};

/* Parses "table", "json", "value", "yaml" or "csv"; -EINVAL otherwise. */
int out_parse_format(const char *s, enum out_format *f);

/* Writes one resource 'obj' to 'fp'.  Rows: every attribute of 'obj'
 * under its title from 'cols' (its key if 'cols' has none), without
 * OUT_HIDDEN and empty OUT_NONEMPTY ones, sorted by title.  Returns 0, or
 * -EINVAL with a message in 'err' when -c selects no column. */
int out_show(FILE *fp, const struct out_opts *o, const struct out_column *cols,
             const json_t *obj, char *err, size_t errlen);

/* Writes the resources of array 'rows' to 'fp'.  Columns: 'fields' (the
 * attributes asked for with -F, titled from 'cols') when n_fields > 0,
 * else the OUT_LIST columns of 'cols'; -c may also pick any other column
 * of 'cols'.  Returns 0, or -EINVAL with a message in 'err' when -c
 * selects no column. */
int out_list(FILE *fp, const struct out_opts *o, const struct out_column *cols,
             const json_t *rows, const char *const *fields, size_t n_fields,
             char *err, size_t errlen);

#endif
