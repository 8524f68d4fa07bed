/* Compact JSON writer over jansson values (see jsonout.h). */
#include "api/jsonout.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONOUT_INITIAL 4096

struct jbuf {
    char *p;
    size_t len;
    size_t cap;
    bool failed;
};

/* Makes room for 'n' more bytes (and a NUL); false when out of memory. */
static bool
jb_reserve(struct jbuf *b, size_t n)
{
    if (b->failed) {
        return false;
    }
    if (b->len + n + 1 <= b->cap) {
        return true;
    }
    size_t cap = b->cap ? b->cap : JSONOUT_INITIAL;
    while (cap < b->len + n + 1) {
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

static void
jb_put(struct jbuf *b, const char *s, size_t n)
{
    if (jb_reserve(b, n)) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    }
}

static void
jb_char(struct jbuf *b, char c)
{
    if (jb_reserve(b, 1)) {
        b->p[b->len++] = c;
    }
}

/* The escape of byte 'c' that JSON requires, into 'out'; its length. */
static size_t
escape_char(unsigned char c, char out[7])
{
    static const char hex[] = "0123456789abcdef";

    switch (c) {
    case '"': memcpy(out, "\\\"", 2); return 2;
    case '\\': memcpy(out, "\\\\", 2); return 2;
    case '\b': memcpy(out, "\\b", 2); return 2;
    case '\f': memcpy(out, "\\f", 2); return 2;
    case '\n': memcpy(out, "\\n", 2); return 2;
    case '\r': memcpy(out, "\\r", 2); return 2;
    case '\t': memcpy(out, "\\t", 2); return 2;
    default:
        memcpy(out, "\\u00", 4);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
}

/* Writes 'n' bytes of UTF-8 text 's' as a JSON string: runs of bytes that
 * need no escape are copied at once. */
static void
put_string(struct jbuf *b, const char *s, size_t n)
{
    char esc[7];
    size_t i = 0;

    jb_char(b, '"');
    while (i < n) {
        size_t run = i;
        while (run < n && (unsigned char)s[run] >= 0x20 && s[run] != '"'
               && s[run] != '\\') {
            run++;
        }
        jb_put(b, s + i, run - i);
        if (run < n) {
            jb_put(b, esc, escape_char((unsigned char)s[run], esc));
            run++;
        }
        i = run;
    }
    jb_char(b, '"');
}

static void
put_integer(struct jbuf *b, json_int_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, v);

    jb_put(b, tmp, (size_t)n);
}

/* The shortest form that reads back as 'd', with ".0" when it would look
 * like an integer (as Python and jansson write reals). */
static void
put_real(struct jbuf *b, double d)
{
    char tmp[40];
    int n = 0;

    if (!isfinite(d)) {
        jb_put(b, "null", 4);   /* JSON has no NaN or infinity */
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d) {
            break;
        }
    }
    jb_put(b, tmp, (size_t)n);
    if (!strpbrk(tmp, ".e")) {
        jb_put(b, ".0", 2);
    }
}

static bool put_value(struct jbuf *b, const json_t *v, int depth);

static bool
put_array(struct jbuf *b, const json_t *v, int depth)
{
    size_t n = json_array_size(v);

    jb_char(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) {
            jb_char(b, ',');
        }
        if (!put_value(b, json_array_get(v, i), depth + 1)) {
            return false;
        }
    }
    jb_char(b, ']');
    return true;
}

static bool
put_object(struct jbuf *b, const json_t *v, int depth)
{
    bool first = true;

    jb_char(b, '{');
    for (void *it = json_object_iter((json_t *)v); it;
         it = json_object_iter_next((json_t *)v, it)) {
        if (!first) {
            jb_char(b, ',');
        }
        first = false;
        put_string(b, json_object_iter_key(it), json_object_iter_key_len(it));
        jb_char(b, ':');
        if (!put_value(b, json_object_iter_value(it), depth + 1)) {
            return false;
        }
    }
    jb_char(b, '}');
    return true;
}

static bool
put_value(struct jbuf *b, const json_t *v, int depth)
{
    if (depth > JSONOUT_MAX_DEPTH || !v) {
        return false;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return put_object(b, v, depth);
    case JSON_ARRAY:
        return put_array(b, v, depth);
    case JSON_STRING:
        put_string(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        put_integer(b, json_integer_value(v));
        break;
    case JSON_REAL:
        put_real(b, json_real_value(v));
        break;
    case JSON_TRUE:
        jb_put(b, "true", 4);
        break;
    case JSON_FALSE:
        jb_put(b, "false", 5);
        break;
    case JSON_NULL:
        jb_put(b, "null", 4);
        break;
    }
    return true;
}

char *
jsonout_dump(const json_t *v, size_t *len)
{
    struct jbuf b = {NULL, 0, 0, false};

    if (!put_value(&b, v, 0) || !jb_reserve(&b, 0)) {
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    *len = b.len;
    return b.p;
}
