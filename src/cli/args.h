/* Command-line argument parsing for the l2gw client.
 *
 * Options and positional arguments may come in any order, as with
 * argparse: "--name value", "--name=value", "-f json", "-fjson"; "--"
 * ends the options.  An option of kind ARGS_OPTVALUE ("--wait [SECONDS]")
 * takes the next word only when it looks like a number, or "=value".
 * The parser keeps pointers into argv (borrowed for argv's lifetime). */
#ifndef L2GW_CLI_ARGS_H
#define L2GW_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* Hard limits of one command line. */
#define ARGS_MAX_POSITIONAL 256
#define ARGS_MAX_OPTIONS 1024

enum args_kind {
    ARGS_FLAG,     /* no value */
    ARGS_VALUE,    /* one value, required */
    ARGS_OPTVALUE, /* a numeric value, optional */
};

/* One option.  'name' is the canonical spelling used for lookups
 * ("--device", "-f"); 'alias' another accepted spelling or NULL. */
struct args_opt {
    const char *name;
    const char *alias;
    enum args_kind kind;
    const char *metavar;
    const char *help;
};

struct args_item {
    const struct args_opt *opt;
    const char *value; /* NULL for flags and for an absent optional value */
};

struct args {
    const char *pos[ARGS_MAX_POSITIONAL];
    size_t n_pos;
    struct args_item items[ARGS_MAX_OPTIONS];
    size_t n_items;
};

/* Parses argv[0..argc-1] (no program name) against the options of every
 * NULL-terminated set in 'sets' (each set ends with a zeroed entry).
 * Returns 0, or -EINVAL with a message in 'err' (unknown option, missing
 * value, too many arguments).  'a' borrows strings from argv. */
int args_parse(struct args *a, int argc, char **argv,
               const struct args_opt *const *sets, char *err, size_t errlen);

/* Finds the option named 'name' (canonical name or alias) in 'sets';
 * NULL if none. */
const struct args_opt *args_find_opt(const struct args_opt *const *sets,
                                     const char *name);

/* True if the option whose canonical name is 'name' was given. */
bool args_has(const struct args *a, const char *name);

/* Number of times option 'name' was given. */
size_t args_count(const struct args *a, const char *name);

/* The value of the i-th occurrence of 'name', or NULL (flag, absent
 * optional value, or fewer occurrences).  Borrowed from argv. */
const char *args_nth(const struct args *a, const char *name, size_t i);

/* The value of the last occurrence of 'name', or NULL. */
const char *args_get(const struct args *a, const char *name);

/* The offset of the first byte of 's' that is not valid UTF-8 (as strict
 * as jansson: no overlong forms, no surrogates, nothing above U+10FFFF),
 * or -1 when all of it is.  JSON strings can carry only valid UTF-8. */
long args_utf8_error(const char *s);

/* True if 's' is a plausible numeric value: digits with at most one '.'. */
bool args_is_number(const char *s);

#endif
