/* The store: backend dispatch, the statement cache, the statement API.
 *
 * Which file owns what (src/store):
 *   store.h         the contract other directories code against
 *   store_impl.h    internals shared by the files below: the backend
 *                   vtable, the scratch buffer
 *   store.c         URL → backend dispatch, the store handle, the statement
 *                   cache (keyed by SQL text, bounded, least recently used
 *                   evicted first), transactions, store_exec, store_run,
 *                   store_timestamp
 *   store_list.c    the generic list engine: store_list, store_get (keyset
 *                   paging, filters, NULL ordering rule)
 *   store_sqlite.c  the SQLite backend (WAL, pragmas, error mapping)
 *   migrate.c       versioned migrations; migrate.h
 *   schema_v1.sql   migration 1, embedded at build time by sql2c.py
 *   store_pg.c      the PostgreSQL backend (libpq; built when HAVE_LIBPQ)
 *
 * Statement handles: store_prepare() returns a cached handle and marks it
 * busy; it stays busy until store_step() reports done or an error, or until
 * store_reset().  Only handles that are not busy are evicted, so a handle is
 * valid while busy and until the next store_prepare() (or a function that
 * prepares: store_run, store_list, store_get, store_migrate) after that. */
#include "store/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "l2gw-config.h"

#define LOG_MODULE "store"
#include "lib/log.h"
#include "store/migrate.h"
#include "store/store_impl.h"

/* Hard limits. */
enum {
    STORE_STMT_CACHE_MAX = 512, /* cached statements per store */
    STORE_STMT_BUCKETS = 1024,  /* hash buckets, a power of two */
    STORE_SCHEME_MAX = 32,      /* length of a URL scheme */
};

struct store_stmt {
    struct store *st;
    void *b;   /* the backend's statement */
    char *sql; /* the cache key, owned */
    uint32_t hash;
    struct store_stmt *hnext;       /* hash bucket chain */
    struct store_stmt *prev, *next; /* LRU list, most recent first */
    bool busy;
    long long changes;
};

struct store {
    const struct store_backend *be;
    void *db;
    bool in_txn;
    size_t n_stmts;
    struct store_stmt *lru_head, *lru_tail;
    struct store_stmt *buckets[STORE_STMT_BUCKETS];
    struct store_buf scratch;
};

/* URL schemes.  A NULL backend names a known but unsupported database. */
struct store_scheme {
    const char *scheme;
    const struct store_backend *be;
};

#ifdef HAVE_LIBPQ
#define STORE_PG_BACKEND (&store_pg_backend)
#else
#define STORE_PG_BACKEND NULL
#endif

static const struct store_scheme schemes[] = {
    {"sqlite", &store_sqlite_backend},
    {"postgresql", STORE_PG_BACKEND},
    {"postgres", STORE_PG_BACKEND},
};

/* Finds the backend of 'url' ("scheme://target"; an SQLAlchemy driver
 * suffix as in "sqlite+pysqlite://" is ignored).  '*target' points into
 * 'url'.  The URL itself is never logged: it may hold a password. */
static int parse_url(const char *url, const struct store_backend **be,
                     const char **target)
{
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep || sep == url) {
        log_err("malformed database connection URL (expected "
                "scheme://...)");
        return -EINVAL;
    }
    size_t len = strcspn(url, "+:");
    if (len >= STORE_SCHEME_MAX) {
        log_err("malformed database connection URL (scheme too long)");
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        const struct store_scheme *s = &schemes[i];
        if (strlen(s->scheme) != len || strncasecmp(url, s->scheme, len))
            continue;
        if (!s->be) {
            log_err("database '%s://': this build has no PostgreSQL "
                    "support (built without libpq; use sqlite://)",
                    s->scheme);
            return -EPROTONOSUPPORT;
        }
        *be = s->be;
        *target = sep + 3;
        return 0;
    }
    log_err("database '%.*s://' is not supported (use sqlite:// or "
            "postgresql://)",
            (int)len, url);
    return -EPROTONOSUPPORT;
}

/* Caller frees '*out' with store_close(). */
int store_open(const char *url, struct store **out)
{
    const struct store_backend *be = NULL;
    const char *target = NULL;

    *out = NULL;
    int err = parse_url(url, &be, &target);
    if (err)
        return err;
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return -ENOMEM;
    st->be = be;
    err = be->open(target, &st->db);
    if (err) {
        free(st);
        return err;
    }
    *out = st;
    return 0;
}

static void stmt_free(struct store *st, struct store_stmt *s)
{
    st->be->finalize(s->b);
    free(s->sql);
    free(s);
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_rollback(st);
    struct store_stmt *s = st->lru_head;
    while (s) {
        struct store_stmt *next = s->next;
        stmt_free(st, s);
        s = next;
    }
    st->be->close(st->db);
    free(st->scratch.s);
    free(st);
}

enum store_dialect store_dialect(const struct store *st)
{
    return st->be->dialect;
}

bool store_nulls_sort_low(const struct store *st)
{
    return st->be->nulls_sort_low;
}

/* ---- statement cache ---- */

/* FNV-1a over the SQL text. */
static uint32_t hash_sql(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct store_stmt **bucket(struct store *st, uint32_t hash)
{
    return &st->buckets[hash & (STORE_STMT_BUCKETS - 1)];
}

static void lru_unlink(struct store *st, struct store_stmt *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        st->lru_head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    else
        st->lru_tail = s->prev;
    s->prev = s->next = NULL;
}

static void lru_push(struct store *st, struct store_stmt *s)
{
    s->prev = NULL;
    s->next = st->lru_head;
    if (st->lru_head)
        st->lru_head->prev = s;
    st->lru_head = s;
    if (!st->lru_tail)
        st->lru_tail = s;
}

static struct store_stmt *cache_find(struct store *st, const char *sql,
                                     uint32_t hash)
{
    for (struct store_stmt *s = *bucket(st, hash); s; s = s->hnext)
        if (s->hash == hash && !strcmp(s->sql, sql))
            return s;
    return NULL;
}

/* Drops the least recently used statement that is not busy, if any. */
static void cache_evict(struct store *st)
{
    struct store_stmt *s = st->lru_tail;
    while (s && s->busy)
        s = s->prev;
    if (!s)
        return;
    struct store_stmt **pp = bucket(st, s->hash);
    while (*pp != s)
        pp = &(*pp)->hnext;
    *pp = s->hnext;
    lru_unlink(st, s);
    st->n_stmts--;
    stmt_free(st, s);
}

static int cache_add(struct store *st, const char *sql, uint32_t hash,
                     struct store_stmt **out)
{
    if (st->n_stmts >= STORE_STMT_CACHE_MAX)
        cache_evict(st);
    struct store_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->sql = strdup(sql);
    int err = s->sql ? st->be->prepare(st->db, sql, &s->b) : -ENOMEM;
    if (err) {
        free(s->sql);
        free(s);
        return err;
    }
    s->st = st;
    s->hash = hash;
    s->hnext = *bucket(st, hash);
    *bucket(st, hash) = s;
    lru_push(st, s);
    st->n_stmts++;
    *out = s;
    return 0;
}

/* The statement belongs to the store's cache (see the file comment). */
int store_prepare(struct store *st, const char *sql, struct store_stmt **out)
{
    static struct log_rl rl = LOG_RL_INIT(5, 60000);
    uint32_t hash = hash_sql(sql);
    struct store_stmt *s = cache_find(st, sql, hash);

    if (!s) {
        int err = cache_add(st, sql, hash, &s);
        if (err)
            return err;
    } else {
        if (s->busy) {
            log_warn_rl(&rl,
                        "statement prepared again before it was done "
                        "or reset (missing store_reset?): %.200s",
                        sql);
            st->be->reset(s->b);
        }
        if (st->lru_head != s) {
            lru_unlink(st, s);
            lru_push(st, s);
        }
    }
    s->busy = true;
    s->changes = 0;
    *out = s;
    return 0;
}

/* ---- statements ---- */

int store_bind_text(struct store_stmt *s, int idx, const char *v)
{
    if (!v)
        return s->st->be->bind_null(s->b, idx);
    return s->st->be->bind_text(s->b, idx, v);
}

int store_bind_int(struct store_stmt *s, int idx, long long v)
{
    return s->st->be->bind_int(s->b, idx, v);
}

int store_bind_null(struct store_stmt *s, int idx)
{
    return s->st->be->bind_null(s->b, idx);
}

int store_step(struct store_stmt *s)
{
    const struct store_backend *be = s->st->be;

    s->busy = true;
    int r = be->step(s->b);
    if (r > 0)
        return 1;
    if (r == 0)
        s->changes = be->changes(s->st->db, s->b);
    be->reset(s->b);
    s->busy = false;
    return r;
}

void store_reset(struct store_stmt *s)
{
    if (!s)
        return;
    s->st->be->reset(s->b);
    s->busy = false;
}

/* Borrowed until the next step/reset of 's'. */
const char *store_col_text(struct store_stmt *s, int col)
{
    return s->st->be->col_text(s->b, col);
}

long long store_col_int(struct store_stmt *s, int col)
{
    return s->st->be->col_int(s->b, col);
}

bool store_col_is_null(struct store_stmt *s, int col)
{
    return s->st->be->col_kind(s->b, col) == STORE_KIND_NULL;
}

enum store_kind store_col_kind(struct store_stmt *s, int col)
{
    return s->st->be->col_kind(s->b, col);
}

long long store_changes(struct store_stmt *s)
{
    return s->changes;
}

int store_run(struct store *st, const char *sql, const char *const *params,
              int n)
{
    struct store_stmt *s;
    int r = store_prepare(st, sql, &s);
    if (r)
        return r;
    for (int i = 0; i < n; i++) {
        r = store_bind_text(s, i + 1, params[i]);
        if (r) {
            store_reset(s);
            return r;
        }
    }
    while ((r = store_step(s)) > 0)
        continue;
    if (r < 0)
        return r;
    return s->changes > INT32_MAX ? INT32_MAX : (int)s->changes;
}

int store_meta_int(struct store *st, const char *key, long long *out)
{
    struct store_stmt *s;
    int r = store_prepare(st, "SELECT value FROM meta WHERE key = ?", &s);
    if (r)
        return r;
    if ((r = store_bind_text(s, 1, key)) || (r = store_step(s)) <= 0) {
        store_reset(s);
        return r;
    }
    const char *text = store_col_text(s, 0);
    char *end;
    errno = 0;
    long long v = text && *text ? strtoll(text, &end, 10) : 0;
    bool ok = text && *text && !*end && !errno;
    store_reset(s);
    if (ok)
        *out = v;
    return ok ? 1 : 0;
}

int store_meta_set_int(struct store *st, const char *key, long long v)
{
    char text[32];
    const char *params[] = {key, text};

    snprintf(text, sizeof text, "%lld", v);
    int r = store_run(st,
                      "INSERT INTO meta (key, value) VALUES (?, ?) ON "
                      "CONFLICT (key) DO UPDATE SET value = excluded.value",
                      params, 2);
    return r < 0 ? r : 0;
}

bool store_is_shared(const struct store *st)
{
#ifdef HAVE_LIBPQ
    return st && st->be == &store_pg_backend;
#else
    (void)st;
    return false;
#endif
}

int store_exec(struct store *st, const char *sql)
{
    return st->be->exec(st->db, sql);
}

/* ---- transactions ---- */

int store_begin(struct store *st)
{
    if (st->in_txn)
        return -EBUSY;
    int err = st->be->begin(st->db);
    if (!err)
        st->in_txn = true;
    return err;
}

/* A failed commit rolls the transaction back. */
int store_commit(struct store *st)
{
    if (!st->in_txn) {
        log_err("commit without a transaction");
        return -EINVAL;
    }
    int err = st->be->commit(st->db);
    if (err)
        st->be->rollback(st->db);
    st->in_txn = false;
    return err;
}

void store_rollback(struct store *st)
{
    if (!st->in_txn)
        return;
    st->be->rollback(st->db);
    st->in_txn = false;
}

/* ---- migrations (migrate.c) ---- */

int store_migrate(struct store *st, int *version)
{
    return migrate_run(st, version);
}

int store_version(struct store *st, int *version)
{
    return migrate_version(st, version);
}

int store_latest_version(void)
{
    return migrate_latest();
}

/* ---- helpers ---- */

void store_timestamp(char out[32])
{
    struct tm tm;
    time_t now = time(NULL);

    if (!gmtime_r(&now, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

struct store_buf *store_scratch(struct store *st)
{
    struct store_buf *b = &st->scratch;
    b->len = 0;
    b->failed = false;
    if (b->s)
        b->s[0] = '\0';
    return b;
}

static bool buf_reserve(struct store_buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap * 2 : 512;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

void store_buf_add(struct store_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (!buf_reserve(b, n))
        return;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

void store_buf_addf(struct store_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n)) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
