/* The parts of the PostgreSQL backend that need no server (store_impl.h):
 * the '?' placeholder rewrite and the SQLSTATE → errno table.  store_pg.c
 * says what the mapping means for callers.
 *
 * Placeholders: '?' takes the number after the largest one so far and
 * "?NNN" the number NNN (as in SQLite); both become "$N".  Text where a '?'
 * is no placeholder is copied unchanged: quoted strings ('it''s', with
 * backslash escapes in E'...'), quoted identifiers ("a?"), dollar quotes
 * ($$...$$, $tag$...$tag$), line comments (-- ...) and nested block
 * comments.  PostgreSQL's jsonb operators '?', '?|' and '?&' cannot be
 * written in store SQL (they would be taken for placeholders). */
#include "store/store_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "store"
#include "lib/log.h"

/* Hard limits. */
enum {
    PG_MAX_PARAMS = 65535, /* parameters of one statement (the protocol's) */
    PG_LOG_SQL_MAX = 300,  /* SQL characters in a log line */
};

/* ---- SQLSTATE ---- */

bool store_pg_state_is(const char *state, const char *prefix)
{
    return state && !strncmp(state, prefix, strlen(prefix));
}

/* SQLSTATE prefixes (a full code or a class) and their errno; the first
 * match wins. */
static const struct {
    const char *state;
    int err;
} state_errors[] = {
    {"23505", -EEXIST}, /* unique_violation */
    {"23P01", -EEXIST}, /* exclusion_violation */
    {"23503", -EBUSY},  /* foreign_key_violation */
    {"23", -EINVAL},    /* check, not null, other integrity violations */
    {"40001", -EAGAIN}, /* serialization_failure */
    {"40P01", -EAGAIN}, /* deadlock_detected */
    {"55P03", -EAGAIN}, /* lock_not_available (lock_timeout) */
    {"42", -EINVAL},    /* syntax error, unknown table or column ... */
    {"22", -EINVAL},    /* data exception: a bad value */
    {"26000", -EINVAL}, /* invalid_sql_statement_name */
    {"0A000", -EINVAL}, /* feature_not_supported */
};

int store_pg_errno(const char *state, bool *constraint)
{
    *constraint = store_pg_state_is(state, "23");
    for (size_t i = 0; i < sizeof state_errors / sizeof state_errors[0]; i++)
        if (store_pg_state_is(state, state_errors[i].state))
            return state_errors[i].err;
    return -EIO;
}

bool store_pg_state_lost(const char *s)
{
    return store_pg_state_is(s, "08") || store_pg_state_is(s, "57P01") ||
           store_pg_state_is(s, "57P02") || store_pg_state_is(s, "57P03");
}

/* ---- placeholders ---- */

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80;
}

/* The length of the dollar-quote tag ("$tag$" or "$$") opening at 'p', 0
 * if none ("$1" and "a$b" open none). */
static size_t dollar_tag(const char *sql, const char *p)
{
    size_t n = 1;
    if (*p != '$' || (p > sql && ident_char(p[-1])) ||
        isdigit((unsigned char)p[1]))
        return 0;
    while (p[n] != '$' && p[n] &&
           (isalnum((unsigned char)p[n]) || p[n] == '_' ||
            (unsigned char)p[n] >= 0x80))
        n++;
    return p[n] == '$' ? n + 1 : 0;
}

/* Length of the quoted string (with "E'" backslash escapes) or identifier
 * opening at 'p'; unterminated: the rest of the text. */
static size_t quoted_len(const char *sql, const char *p)
{
    char quote = *p;
    bool escapes = quote == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                   (p - 1 == sql || !ident_char(p[-2]));
    const char *q = p + 1;
    for (; *q; q++) {
        if (escapes && *q == '\\' && q[1]) {
            q++;
        } else if (*q == quote) {
            if (q[1] != quote)
                return (size_t)(q + 1 - p);
            q++;
        }
    }
    return (size_t)(q - p);
}

/* Length of the (nested) block comment opening at 'p'. */
static size_t comment_len(const char *p)
{
    const char *q = p + 2;
    int depth = 1;
    while (*q && depth) {
        if (q[0] == '/' && q[1] == '*') {
            depth++;
            q += 2;
        } else if (q[0] == '*' && q[1] == '/') {
            depth--;
            q += 2;
        } else {
            q++;
        }
    }
    return (size_t)(q - p);
}

/* Length of the text at 'p' that may hold no placeholder (a quoted string
 * or identifier, a dollar quote, a comment); 0 if 'p' opens none. */
static size_t skip_len(const char *sql, const char *p)
{
    size_t tag;
    if (*p == '\'' || *p == '"')
        return quoted_len(sql, p);
    if (p[0] == '-' && p[1] == '-')
        return strcspn(p, "\n");
    if (p[0] == '/' && p[1] == '*')
        return comment_len(p);
    if ((tag = dollar_tag(sql, p))) {
        const char *end = p + tag;
        while ((end = strchr(end, '$')) && strncmp(end, p, tag))
            end++;
        return end ? (size_t)(end + tag - p) : strlen(p);
    }
    return 0;
}

/* Caller frees '*out'. */
int store_pg_rewrite(const char *sql, char **out, int *n_params)
{
    size_t marks = 0, len = strlen(sql);
    for (const char *p = sql; (p = strchr(p, '?')); p++)
        marks++;
    char *buf = malloc(len + marks * 6 + 1), *o = buf;
    long max = 0;
    if (!buf)
        return -ENOMEM;
    for (const char *p = sql; *p;) {
        size_t skip = skip_len(sql, p);
        if (skip || *p != '?') {
            skip = skip ? skip : 1;
            memcpy(o, p, skip);
            o += skip;
            p += skip;
            continue;
        }
        char *end;
        long idx =
            isdigit((unsigned char)p[1]) ? strtol(p + 1, &end, 10) : max + 1;
        p = isdigit((unsigned char)p[1]) ? end : p + 1;
        if (idx < 1 || idx > PG_MAX_PARAMS) {
            log_err("postgresql: bad parameter number in: %.*s", PG_LOG_SQL_MAX,
                    sql);
            free(buf);
            return -EINVAL;
        }
        max = idx > max ? idx : max;
        o += sprintf(o, "$%ld", idx);
    }
    *o = '\0';
    *out = buf;
    *n_params = (int)max;
    return 0;
}
