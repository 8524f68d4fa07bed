/* Block-style YAML of JSON values: see yaml.h. */
#include "cli/yaml.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/pyfmt.h"

static void yaml_value(FILE *fp, const json_t *v, int indent, bool in_seq);

static bool yaml_plain_ok(const char *s)
{
    static const char *const reserved[] = {"true", "false", "yes",  "no",
                                           "on",   "off",   "null", "~"};

    if (*s >= '0' && *s <= '9') {
        /* Could read as a number, a date or a base-60 integer: plain
         * only with a character none of those has (a UUID's hex). */
        if (strspn(s, "0123456789._:+-eExXbBoOtTzZ") == strlen(s))
            return false;
    } else if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
                 *s == '_')) {
        return false;
    }
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_./:@-",
                    *p))
            return false;
    if (s[strlen(s) - 1] == ':')
        return false;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (!strcasecmp(s, reserved[i]))
            return false;
    return true;
}

static void yaml_string(FILE *fp, const char *s)
{
    bool printable = true;

    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            printable = false;
    if (yaml_plain_ok(s)) {
        fputs(s, fp);
    } else if (printable) {
        fputc('\'', fp);
        for (const char *p = s; *p; p++) {
            if (*p == '\'')
                fputc('\'', fp);
            fputc(*p, fp);
        }
        fputc('\'', fp);
    } else {
        json_t *j = json_string(s);
        json_dumpf(j, fp, JSON_ENCODE_ANY);
        json_decref(j);
    }
}

static void yaml_scalar(FILE *fp, const json_t *v)
{
    if (json_is_string(v)) {
        yaml_string(fp, json_string_value(v));
    } else if (json_is_null(v)) {
        fputs("null", fp);
    } else if (json_is_boolean(v)) {
        fputs(json_is_true(v) ? "true" : "false", fp);
    } else {
        char *t = pyfmt_machine(v);
        fputs(t, fp);
        free(t);
    }
}

static bool yaml_collection(const json_t *v)
{
    return (json_is_array(v) && json_array_size(v)) ||
           (json_is_object(v) && json_object_size(v));
}

/* Writes 'v' whose first line continues the current line; 'indent' is
 * the indentation of its nested lines. */
static void yaml_value(FILE *fp, const json_t *v, int indent, bool in_seq)
{
    const char *key;
    json_t *item;
    size_t i;
    bool first = true;

    if (json_is_array(v) && json_array_size(v)) {
        json_array_foreach (v, i, item) {
            if (!first || !in_seq)
                fprintf(fp, "\n%*s", indent, "");
            fputs("- ", fp);
            yaml_value(fp, item, indent + 2, true);
            first = false;
        }
    } else if (json_is_object(v) && json_object_size(v)) {
        json_object_foreach ((json_t *)v, key, item) {
            if (!first || !in_seq)
                fprintf(fp, "\n%*s", indent, "");
            yaml_string(fp, key);
            fputc(':', fp);
            if (!yaml_collection(item))
                fputc(' ', fp);
            yaml_value(fp, item, json_is_array(item) ? indent : indent + 2,
                       false);
            first = false;
        }
    } else if (json_is_array(v)) {
        fputs("[]", fp);
    } else if (json_is_object(v)) {
        fputs("{}", fp);
    } else {
        yaml_scalar(fp, v);
    }
}

void yaml_write(FILE *fp, const json_t *v)
{
    yaml_value(fp, v, 0, true);
    fputc('\n', fp);
}

/* One field as Python's csv writer with QUOTE_NONNUMERIC writes it:
 * numbers and booleans bare, None and missing as "", the rest quoted. */
