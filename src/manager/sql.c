/* Statement helpers of the switch manager (sql.h). */
#include "manager/sql.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "store/store.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

int
msql_prepare(struct store *st, struct store_stmt **out, const char *sql,
             const char *types, ...)
{
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, out, sql, types, ap);
    va_end(ap);
    return rc;
}

int
msql_run(struct store *st, const char *sql, const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    while (!rc && (rc = store_step(s)) == 1) {
        rc = 0;
    }
    return rc < 0 ? db_fail(rc, sql) : (int) store_changes(s);
}

int
msql_int(struct store *st, long long *out, long long dflt, const char *sql,
         const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    *out = dflt;
    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (!rc && (rc = store_step(s)) == 1) {
        *out = store_col_is_null(s, 0) ? dflt : store_col_int(s, 0);
        store_reset(s);
    }
    return rc < 0 ? db_fail(rc, sql) : rc;
}

int
msql_text(struct store *st, char *out, size_t size, const char *sql,
          const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    out[0] = '\0';
    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (!rc && (rc = store_step(s)) == 1) {
        const char *v = store_col_text(s, 0);
        snprintf(out, size, "%s", v ? v : "");
        store_reset(s);
    }
    return rc < 0 ? db_fail(rc, sql) : rc;
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
