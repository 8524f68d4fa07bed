/* Helpers shared by the store unit tests: temporary directories and small
 * query shortcuts.  Header-only (static inline) so that each test is one
 * executable. */
#ifndef L2GW_TEST_STORE_TEST_H
#define L2GW_TEST_STORE_TEST_H

#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"

/* A new empty directory under $TMPDIR (or /tmp) in 'dir'. */
static inline void tmpdir_make(char dir[PATH_MAX])
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, PATH_MAX, "%s/l2gw-store-test.XXXXXX",
             base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static inline int rm_one(const char *path, const struct stat *sb, int type,
                         struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

/* Removes 'dir' and everything under it. */
static inline void tmpdir_remove(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Opens an in-memory store (migrated if 'migrate'). */
static inline struct store *open_memory(bool migrate)
{
    struct store *st = NULL;
    assert_int_equal(store_open("sqlite://:memory:", &st), 0);
    assert_non_null(st);
    if (migrate)
        assert_int_equal(store_migrate(st, NULL), 0);
    return st;
}

/* The first column of the first row of 'sql' as an integer (-1 if no
 * row). */
static inline long long query_int(struct store *st, const char *sql)
{
    struct store_stmt *s;
    long long v = -1;
    assert_int_equal(store_prepare(st, sql, &s), 0);
    int r = store_step(s);
    assert_true(r >= 0);
    if (r > 0) {
        v = store_col_int(s, 0);
        store_reset(s);
    }
    return v;
}

/* The first column of the first row of 'sql', copied into 'out'. */
static inline void query_text(struct store *st, const char *sql, char *out,
                              size_t n)
{
    struct store_stmt *s;
    assert_int_equal(store_prepare(st, sql, &s), 0);
    assert_int_equal(store_step(s), 1);
    const char *t = store_col_text(s, 0);
    snprintf(out, n, "%s", t ? t : "(null)");
    store_reset(s);
}

#endif
