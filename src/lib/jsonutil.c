/* Small helpers over jansson. */
#include "lib/jsonutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ju_str(const json_t *obj, const char *key)
{
    if (!json_is_object(obj)) {
        return NULL;
    }
    /* json_object_get() takes a const object; jansson's API is not const
     * correct, so cast the qualifier away for the lookup only. */
    return json_string_value(json_object_get((json_t *)obj, key));
}

char *ju_dump(const json_t *v)
{
    if (!v) {
        return NULL;
    }
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

json_t *ju_parse(const char *buf, size_t len, json_error_t *err)
{
    json_error_t local;

    /* Any value is accepted at top level; duplicate keys keep the last one
     * (as Python's json does); "\u0000" in strings is rejected. */
    return json_loadb(buf, len, JSON_DECODE_ANY, err ? err : &local);
}

const char *ju_type_name(const json_t *v)
{
    if (!v) {
        return "missing";
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

/* Parses an optional sign and decimal digits, nothing else. */
static bool parse_decimal(const char *s, long long *out)
{
    const char *p = s;

    if (*p == '+' || *p == '-') {
        p++;
    }
    if (!isdigit((unsigned char)*p)) {
        return false;
    }
    for (const char *q = p; *q; q++) {
        if (!isdigit((unsigned char)*q)) {
            return false;
        }
    }
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE) {
        return false;
    }
    *out = v;
    return true;
}

bool ju_as_int(const json_t *v, long long *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        /* A string holding a NUL is not a number. */
        const char *s = json_string_value(v);
        return strlen(s) == json_string_length(v) && parse_decimal(s, out);
    }
    return false;
}

bool ju_as_bool(const json_t *v, bool *out)
{
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (s && !strcasecmp(s, "true")) {
        *out = true;
        return true;
    }
    if (s && !strcasecmp(s, "false")) {
        *out = false;
        return true;
    }
    return false;
}
