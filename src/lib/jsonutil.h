/* Small helpers over jansson used across modules. */
#ifndef L2GW_JSONUTIL_H
#define L2GW_JSONUTIL_H

#include <jansson.h>
#include <stdbool.h>

/* Returns the string value of 'key' in 'obj', or NULL if absent or not a
 * string.  Borrowed: valid while 'obj' lives. */
const char *ju_str(const json_t *obj, const char *key);

/* Serialises 'v' compactly (keys in insertion order).  Caller frees. */
char *ju_dump(const json_t *v);

/* Parses 'len' bytes holding any JSON value (not only an object or array);
 * duplicate keys keep the last value.  Returns NULL on error (message in
 * 'err' if not NULL).  Caller frees with json_decref(). */
json_t *ju_parse(const char *buf, size_t len, json_error_t *err);

/* A JSON value's type name for messages: "object", "array", "string",
 * "integer", "number" (a real), "boolean", "null"; "missing" for NULL. */
const char *ju_type_name(const json_t *v);

/* Interprets 'v' as an integer given either as a JSON integer or as a
 * string of decimal digits (optional sign); true on success.  Booleans,
 * reals and anything else are rejected. */
bool ju_as_int(const json_t *v, long long *out);

/* Interprets 'v' as a boolean: JSON true/false or the strings "true"/"false"
 * in any case ("True", "FALSE").  True on success. */
bool ju_as_bool(const json_t *v, bool *out);

#endif
