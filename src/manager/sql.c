/* Statement helpers of the switch manager (sql.h). */
#include "manager/sql.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

static int
bind_va(struct store_stmt *s, const char *types, va_list ap)
{
    int rc = 0;

    for (int i = 0; types[i] && !rc; i++) {
        if (types[i] == 's') {
            rc = store_bind_text(s, i + 1, va_arg(ap, const char *));
        } else if (types[i] == 'i') {
            rc = store_bind_int(s, i + 1, va_arg(ap, long long));
        } else if (types[i] == 'j') {
            const long long *p = va_arg(ap, const long long *);
            rc = p ? store_bind_int(s, i + 1, *p) : store_bind_null(s, i + 1);
        } else {
            rc = -EINVAL;
        }
    }
    return rc;
}

static int
fail(int rc, const char *sql)
{
    log_err("store failure (%s) in: %.200s", strerror(-rc), sql);
    return rc;
}

static int
prepare_va(struct store *st, struct store_stmt **out, const char *sql,
           const char *types, va_list ap)
{
    int rc = store_prepare(st, sql, out);
    if (rc) {
        return fail(rc, sql);
    }
    rc = bind_va(*out, types, ap);
    if (rc) {
        store_reset(*out);
        return fail(rc, sql);
    }
    return 0;
}

int
msql_prepare(struct store *st, struct store_stmt **out, const char *sql,
             const char *types, ...)
{
    va_list ap;

    va_start(ap, types);
    int rc = prepare_va(st, out, sql, types, ap);
    va_end(ap);
    return rc;
}

int
msql_run(struct store *st, const char *sql, const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    va_start(ap, types);
    int rc = prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    while (!rc && (rc = store_step(s)) == 1) {
        rc = 0;
    }
    return rc < 0 ? fail(rc, sql) : (int) store_changes(s);
}

int
msql_int(struct store *st, long long *out, long long dflt, const char *sql,
         const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    *out = dflt;
    va_start(ap, types);
    int rc = prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (!rc && (rc = store_step(s)) == 1) {
        *out = store_col_is_null(s, 0) ? dflt : store_col_int(s, 0);
        store_reset(s);
    }
    return rc < 0 ? fail(rc, sql) : rc;
}

int
msql_text(struct store *st, char *out, size_t size, const char *sql,
          const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    out[0] = '\0';
    va_start(ap, types);
    int rc = prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (!rc && (rc = store_step(s)) == 1) {
        const char *v = store_col_text(s, 0);
        snprintf(out, size, "%s", v ? v : "");
        store_reset(s);
    }
    return rc < 0 ? fail(rc, sql) : rc;
}

int
msql_begin(struct store *st, const char *what)
{
    int rc = store_begin(st);
    if (rc) {
        log_err("cannot begin a store transaction (%s): %s", what,
                strerror(-rc));
    }
    return rc;
}

int
msql_commit(struct store *st, const char *what)
{
    int rc = store_commit(st);
    if (rc) {
        log_err("store commit failed (%s): %s", what, strerror(-rc));
        store_rollback(st);
    }
    return rc;
}
