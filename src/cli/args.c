/* Command-line argument parsing: see args.h. */
#include "cli/args.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

bool args_is_number(const char *s)
{
    bool dot = false;

    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s == '.' && !dot)
            dot = true;
        else if (!isdigit((unsigned char)*s))
            return false;
    }
    return true;
}

/* Length of the UTF-8 sequence at 's' (as strict as jansson: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    if (s[0] == 0xe0)
        lo = 0xa0;
    else if (s[0] == 0xed)
        hi = 0x9f;
    else if (s[0] == 0xf0)
        lo = 0x90;
    else if (s[0] == 0xf4)
        hi = 0x8f;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

long args_utf8_error(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    for (size_t i = 0; u[i];) {
        size_t n = utf8_len(u + i);
        if (!n)
            return (long)i;
        i += n;
    }
    return -1;
}

static bool opt_matches(const struct args_opt *o, const char *name, size_t len)
{
    if (strlen(o->name) == len && !strncmp(o->name, name, len))
        return true;
    return o->alias && strlen(o->alias) == len && !strncmp(o->alias, name, len);
}

static const struct args_opt *find_opt_n(const struct args_opt *const *sets,
                                         const char *name, size_t len)
{
    for (size_t s = 0; sets[s]; s++)
        for (const struct args_opt *o = sets[s]; o->name; o++)
            if (opt_matches(o, name, len))
                return o;
    return NULL;
}

const struct args_opt *args_find_opt(const struct args_opt *const *sets,
                                     const char *name)
{
    return find_opt_n(sets, name, strlen(name));
}

/* A word that starts an option: "-x..." or "--x...", but not "-", "--"
 * alone, or a negative number such as "-1". */
static bool looks_like_option(const char *w)
{
    if (w[0] != '-' || !w[1])
        return false;
    if (w[1] != '-' && (isdigit((unsigned char)w[1]) || w[1] == '.'))
        return false;
    return true;
}

static int add_item(struct args *a, const struct args_opt *o, const char *v,
                    char *err, size_t errlen)
{
    if (a->n_items >= ARGS_MAX_OPTIONS) {
        snprintf(err, errlen, "too many options (at most %d)",
                 ARGS_MAX_OPTIONS);
        return -EINVAL;
    }
    a->items[a->n_items].opt = o;
    a->items[a->n_items].value = v;
    a->n_items++;
    return 0;
}

/* Splits option word 'w' into the option and an inline value ("--x=v",
 * "-fjson"); *inline_v is NULL when there is none. */
static const struct args_opt *split_option(const struct args_opt *const *sets,
                                           const char *w, const char **inline_v)
{
    size_t len;

    *inline_v = NULL;
    if (w[1] == '-') {
        const char *eq = strchr(w, '=');
        len = eq ? (size_t)(eq - w) : strlen(w);
        if (eq)
            *inline_v = eq + 1;
    } else {
        len = 2;
        if (w[2])
            *inline_v = w + 2;
    }
    return find_opt_n(sets, w, len);
}

/* Handles the option word argv[*i]; may consume the next word. */
static int parse_option(struct args *a, int argc, char **argv, int *i,
                        const struct args_opt *const *sets, char *err,
                        size_t errlen)
{
    const char *w = argv[*i], *v;
    const struct args_opt *o = split_option(sets, w, &v);

    if (!o) {
        snprintf(err, errlen, "unrecognized option '%s'", w);
        return -EINVAL;
    }
    if (o->kind == ARGS_FLAG && v) {
        snprintf(err, errlen, "option '%s' takes no value", o->name);
        return -EINVAL;
    }
    if (o->kind == ARGS_VALUE && !v) {
        if (*i + 1 >= argc) {
            snprintf(err, errlen, "option '%s' expects one argument%s%s",
                     o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
            return -EINVAL;
        }
        v = argv[++*i];
    }
    if (o->kind == ARGS_OPTVALUE && !v && *i + 1 < argc &&
        args_is_number(argv[*i + 1]))
        v = argv[++*i];
    return add_item(a, o, v, err, errlen);
}

int args_parse(struct args *a, int argc, char **argv,
               const struct args_opt *const *sets, char *err, size_t errlen)
{
    bool only_pos = false;

    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *w = argv[i];

        if (!only_pos && !strcmp(w, "--")) {
            only_pos = true;
        } else if (!only_pos && looks_like_option(w)) {
            int rc = parse_option(a, argc, argv, &i, sets, err, errlen);
            if (rc < 0)
                return rc;
        } else if (a->n_pos >= ARGS_MAX_POSITIONAL) {
            snprintf(err, errlen, "too many arguments (at most %d)",
                     ARGS_MAX_POSITIONAL);
            return -EINVAL;
        } else {
            a->pos[a->n_pos++] = w;
        }
    }
    return 0;
}

bool args_has(const struct args *a, const char *name)
{
    return args_count(a, name) > 0;
}

size_t args_count(const struct args *a, const char *name)
{
    size_t n = 0;

    for (size_t i = 0; i < a->n_items; i++)
        if (!strcmp(a->items[i].opt->name, name))
            n++;
    return n;
}

const char *args_nth(const struct args *a, const char *name, size_t nth)
{
    for (size_t i = 0; i < a->n_items; i++)
        if (!strcmp(a->items[i].opt->name, name) && nth-- == 0)
            return a->items[i].value;
    return NULL;
}

const char *args_get(const struct args *a, const char *name)
{
    const char *v = NULL;

    for (size_t i = 0; i < a->n_items; i++)
        if (!strcmp(a->items[i].opt->name, name))
            v = a->items[i].value;
    return v;
}
