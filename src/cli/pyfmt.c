/* Values as the OpenStack client prints them: see pyfmt.h. */
#include "cli/pyfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/buf.h"

static void py_string(struct buf *b, const char *s, size_t n)
{
    char q = (memchr(s, '\'', n) && !memchr(s, '"', n)) ? '"' : '\'';

    buf_addc(b, q);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == (unsigned char)q)
            buf_addf(b, "\\%c", c);
        else if (c == '\n')
            buf_add(b, "\\n");
        else if (c == '\r')
            buf_add(b, "\\r");
        else if (c == '\t')
            buf_add(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            buf_addf(b, "\\x%02x", c);
        else
            buf_addc(b, (char)c);
    }
    buf_addc(b, q);
}

/* Python's repr() of a float: the shortest digits that read back, fixed
 * notation for exponents -4..15 (with ".0" when integral), else
 * scientific with a two-digit exponent at least. */
static void py_float(struct buf *b, double d)
{
    char tmp[64], *e;
    int prec, exp10;

    if (isnan(d) || isinf(d)) {
        buf_add(b, isnan(d) ? "nan" : (d < 0 ? "-inf" : "inf"));
        return;
    }
    for (prec = 0; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    e = strchr(tmp, 'e');
    exp10 = atoi(e + 1);
    if (exp10 < -4 || exp10 >= 16) {
        *e = '\0';
        buf_addf(b, "%se%c%02d", tmp, exp10 < 0 ? '-' : '+', abs(exp10));
        return;
    }
    int decimals = prec - exp10 > 0 ? prec - exp10 : 0;
    snprintf(tmp, sizeof tmp, "%.*f", decimals, d);
    buf_add(b, tmp);
    if (!strchr(tmp, '.'))
        buf_add(b, ".0");
}

/* str() of a scalar as Python prints it; strings unquoted. */
static void py_str_scalar(struct buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        buf_addn(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        py_float(b, json_real_value(v));
        break;
    case JSON_TRUE:
        buf_add(b, "True");
        break;
    case JSON_FALSE:
        buf_add(b, "False");
        break;
    default:
        buf_add(b, "None");
        break;
    }
}

static void py_repr(struct buf *b, const json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;
    bool first = true;

    if (json_is_string(v)) {
        py_string(b, json_string_value(v), json_string_length(v));
    } else if (json_is_array(v)) {
        buf_addc(b, '[');
        json_array_foreach (v, i, item) {
            buf_add(b, i ? ", " : "");
            py_repr(b, item);
        }
        buf_addc(b, ']');
    } else if (json_is_object(v)) {
        buf_addc(b, '{');
        json_object_foreach ((json_t *)v, key, item) {
            buf_add(b, first ? "" : ", ");
            py_string(b, key, strlen(key));
            buf_add(b, ": ");
            py_repr(b, item);
            first = false;
        }
        buf_addc(b, '}');
    } else {
        py_str_scalar(b, v);
    }
}

/* str() of any value: strings unquoted, the rest as repr(). */
static void py_str(struct buf *b, const json_t *v)
{
    if (json_is_array(v) || json_is_object(v))
        py_repr(b, v);
    else
        py_str_scalar(b, v);
}

char *pyfmt_repr(const json_t *v)
{
    struct buf b = BUF_INIT;

    py_repr(&b, v);
    return buf_steal(&b);
}

/* ---- cells ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted keys of 'obj' (borrowed strings).  Caller frees the array. */
static const char **sorted_keys(const json_t *obj, size_t *n)
{
    const char **keys = calloc(json_object_size(obj) + 1, sizeof *keys);
    const char *key;
    json_t *v;

    *n = 0;
    json_object_foreach ((json_t *)obj, key, v)
        keys[(*n)++] = key;
    qsort(keys, *n, sizeof *keys, cmp_str);
    return keys;
}

/* osc_lib's format_dict(): "k1='v1', k2='v2'" with sorted keys, nested
 * objects flattened as "outer.inner='v'", null as "k=". */
static void format_dict(struct buf *b, const json_t *obj, const char *prefix)
{
    size_t n, start = b->len;
    const char **keys = sorted_keys(obj, &n);

    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_object_get(obj, keys[i]);
        struct buf k = BUF_INIT;

        if (prefix)
            buf_addf(&k, "%s.%s", prefix, keys[i]);
        else
            buf_add(&k, keys[i]);
        if (json_is_object(v)) {
            format_dict(b, v, k.data);
            buf_add(b, ", ");
        } else if (json_is_null(v)) {
            buf_addf(b, "%s=, ", k.data);
        } else {
            buf_addf(b, "%s='", k.data);
            py_str(b, v);
            buf_add(b, "', ");
        }
        buf_free(&k);
    }
    /* Python's output[:-2]: drop the last ", " (or what is there). */
    size_t added = b->len - start;
    b->len -= added < 2 ? added : 2;
    if (b->data)
        b->data[b->len] = '\0';
    free(keys);
}

static bool all_objects(const json_t *arr)
{
    size_t i;
    json_t *v;

    json_array_foreach (arr, i, v)
        if (!json_is_object(v))
            return false;
    return true;
}

static bool all_scalars(const json_t *arr)
{
    size_t i;
    json_t *v;

    json_array_foreach (arr, i, v)
        if (json_is_array(v) || json_is_object(v))
            return false;
    return true;
}

static void cell_array(struct buf *b, const json_t *arr)
{
    size_t i;
    json_t *v;

    if (all_objects(arr)) {
        json_array_foreach (arr, i, v) {
            buf_add(b, i ? "\n" : "");
            format_dict(b, v, NULL);
        }
    } else if (all_scalars(arr)) {
        json_array_foreach (arr, i, v) {
            buf_add(b, i ? ", " : "");
            py_str_scalar(b, v);
        }
    } else {
        py_repr(b, arr);
    }
}

/* A string as prettytable receives it from cliff: "\r\n" -> "\n",
 * lone "\r" -> " ". */
static void cell_string(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            continue;
        buf_addc(b, s[i] == '\r' ? ' ' : s[i]);
    }
}

char *pyfmt_cell(const json_t *v)
{
    struct buf b = BUF_INIT;

    if (!v)
        ;
    else if (json_is_string(v))
        cell_string(&b, json_string_value(v), json_string_length(v));
    else if (json_is_array(v))
        cell_array(&b, v);
    else if (json_is_object(v))
        format_dict(&b, v, NULL);
    else
        py_str_scalar(&b, v);
    return buf_steal(&b);
}

char *pyfmt_machine(const json_t *v)
{
    struct buf b = BUF_INIT;

    if (v)
        py_str(&b, v);
    return buf_steal(&b);
}
