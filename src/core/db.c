/* Statement helpers, request transactions and IN lists for core/. */
#include "core/db.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "lib/eventwire.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "core"
#include "lib/log.h"

/* Binds the parameters described by 'types' from 'ap'. */
static int
bind_va(struct store_stmt *s, const char *types, va_list ap)
{
    int rc = 0;

    for (int i = 0; types[i] && !rc; i++) {
        switch (types[i]) {
        case 's':
            rc = store_bind_text(s, i + 1, va_arg(ap, const char *));
            break;
        case 'i':
            rc = store_bind_int(s, i + 1, va_arg(ap, long long));
            break;
        case 'j': {
            const long long *p = va_arg(ap, const long long *);
            rc = p ? store_bind_int(s, i + 1, *p) : store_bind_null(s, i + 1);
            break;
        }
        default:
            rc = -EINVAL;
        }
    }
    return rc;
}

int
db_prepare_va(struct store *st, struct store_stmt **out, const char *sql,
              const char *types, va_list ap)
{
    int rc = store_prepare(st, sql, out);
    if (rc) {
        return db_fail(rc, sql);
    }
    rc = bind_va(*out, types, ap);
    if (rc) {
        store_reset(*out);
        return db_fail(rc, sql);
    }
    return 0;
}

int
db_prepare(struct store *st, struct store_stmt **out, const char *sql,
           const char *types, ...)
{
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, out, sql, types, ap);
    va_end(ap);
    return rc;
}

int
db_run(struct store *st, const char *sql, const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (rc) {
        return rc;
    }
    while ((rc = store_step(s)) == 1) {
        continue;
    }
    if (rc < 0) {
        return rc == -EEXIST ? rc : db_fail(rc, sql);
    }
    return (int) store_changes(s);
}

int
db_exists(struct store *st, const char *sql, const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (rc) {
        return rc;
    }
    rc = store_step(s);
    if (rc == 1) {
        store_reset(s);
    }
    return rc < 0 ? db_fail(rc, sql) : rc;
}

int
db_int(struct store *st, long long *out, const char *sql, const char *types,
       ...)
{
    struct store_stmt *s;
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (rc) {
        return rc;
    }
    rc = store_step(s);
    if (rc == 1) {
        *out = store_col_is_null(s, 0) ? 0 : store_col_int(s, 0);
        store_reset(s);
    }
    return rc < 0 ? db_fail(rc, sql) : rc;
}

int
db_text(struct store *st, char *out, size_t size, const char *sql,
        const char *types, ...)
{
    struct store_stmt *s;
    va_list ap;

    va_start(ap, types);
    int rc = db_prepare_va(st, &s, sql, types, ap);
    va_end(ap);
    if (rc) {
        return rc;
    }
    rc = store_step(s);
    if (rc == 1) {
        const char *v = store_col_text(s, 0);
        snprintf(out, size, "%s", v ? v : "");
        store_reset(s);
    }
    return rc < 0 ? db_fail(rc, sql) : rc;
}

/* ---- transactions ---- */

struct queued_event {
    enum event_kind kind;
    char id[UUID_STRLEN + 1];
    char network_id[UUID_STRLEN + 1];
    bool has_id, has_network;
};

struct db_txn {
    struct queued_event *v;
    size_t n, cap;
};

int
db_txn_event(struct db_txn *t, enum event_kind kind, const char *id,
             const char *network_id)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4;
        struct queued_event *v = realloc(t->v, cap * sizeof *v);
        if (!v) {
            return -ENOMEM;
        }
        t->v = v;
        t->cap = cap;
    }
    struct queued_event *e = &t->v[t->n++];
    e->kind = kind;
    e->has_id = id != NULL;
    e->has_network = network_id != NULL;
    snprintf(e->id, sizeof e->id, "%s", id ? id : "");
    snprintf(e->network_id, sizeof e->network_id, "%s",
             network_id ? network_id : "");
    return 0;
}

static void
publish_all(const struct db_txn *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct queued_event *q = &t->v[i];
        struct event ev = {
            .kind = q->kind,
            .id = q->has_id ? q->id : NULL,
            .network_id = q->has_network ? q->network_id : NULL,
        };
        event_publish(&ev);
    }
}

/* On a shared store (several nodes, cluster/), tells the other nodes
 * what the transaction changed: bumps the change counter and queues a
 * NOTIFY, both inside the transaction, so other nodes hear of exactly the
 * transactions that commit (eventwire.h). */
static int
notify_nodes(struct store *st, const struct db_txn *t)
{
    struct event ev[EVENTWIRE_MAX_EVENTS + 1];
    size_t n = t->n > EVENTWIRE_MAX_EVENTS ? EVENTWIRE_MAX_EVENTS + 1 : t->n;
    char payload[EVENTWIRE_PAYLOAD_MAX];
    long long v = 0;

    if (!t->n || !store_is_shared(st)) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        ev[i] = (struct event){t->v[i].kind,
                               t->v[i].has_id ? t->v[i].id : NULL,
                               t->v[i].has_network ? t->v[i].network_id : NULL,
                               false};
    }
    int rc = db_run(st, "UPDATE change_counter SET seq = seq + 1 WHERE id = 1",
                    "");
    rc = rc < 0 ? rc : db_int(st, &v, "SELECT seq FROM change_counter "
                                      "WHERE id = 1", "");
    if (rc < 0) {
        return rc;
    }
    rc = eventwire_encode(payload, sizeof payload, (unsigned long long)v,
                          event_origin(), ev, n);
    if (rc) {
        log_err("cannot tell other nodes of a change: node id '%s' cannot "
                "travel", event_origin());
        return 0; /* they resync when they see the counter move */
    }
    rc = db_exists(st, "SELECT pg_notify('l2gw_changes', ?)", "s", payload);
    return rc < 0 ? rc : 0;
}

int
db_txn(struct core *c, db_txn_fn *fn, void *aux, struct core_err *err)
{
    struct store *st = core_store(c);
    struct db_txn t = {NULL, 0, 0};

    int rc = store_begin(st);
    if (rc) {
        return db_fail(rc, "begin");
    }
    rc = fn(c, &t, aux, err);
    if (!rc && (rc = notify_nodes(st, &t))) {
        db_fail(rc, "notify");
    }
    if (!rc) {
        rc = store_commit(st);
        if (rc) {
            db_fail(rc, "commit");
        }
    }
    if (rc) {
        store_rollback(st);
    } else {
        publish_all(&t);
    }
    free(t.v);
    return rc;
}

/* ---- IN lists ---- */

size_t
db_in_size(size_t n)
{
    return n <= 1 ? 1 : n <= 8 ? 8 : n <= 64 ? 64 : DB_IN_MAX;
}

void
db_in_marks(char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf[2 * i] = '?';
        buf[2 * i + 1] = ',';
    }
    buf[n ? 2 * n - 1 : 0] = '\0';
}

int
db_in_bind(struct store_stmt *s, int first, const char *const *ids, size_t n,
           size_t padded)
{
    for (size_t i = 0; i < padded; i++) {
        int rc = store_bind_text(s, first + (int) i, ids[i < n ? i : n - 1]);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* Runs the query of 'sql_fmt' for ids[0..n-1]. */
static int
rows_chunk(struct store *st, const char *sql_fmt, const char *const *ids,
           size_t n, json_t *index, db_row_fn *fn, void *aux)
{
    char marks[2 * DB_IN_MAX + 1], sql[2 * DB_IN_MAX + 1024];
    struct store_stmt *s;
    size_t padded = db_in_size(n);

    db_in_marks(marks, padded);
    snprintf(sql, sizeof sql, sql_fmt, marks);
    int rc = db_prepare(st, &s, sql, "");
    if (rc) {
        return rc;
    }
    rc = db_in_bind(s, 1, ids, n, padded);
    char last[64] = "";
    json_t *row = NULL;
    while (!rc && (rc = store_step(s)) == 1) {
        /* Rows of one id usually come together: look up once per run. */
        const char *id = store_col_text(s, 0);
        if (!id) {
            rc = 0;
            continue;
        }
        if (strcmp(id, last)) {
            size_t len = strnlen(id, sizeof last - 1);
            row = json_object_get(index, id);
            memcpy(last, id, len);
            last[len] = '\0';
        }
        if (row) {
            fn(s, row, aux);
        }
        rc = 0;
    }
    if (rc < 0) {
        store_reset(s);
        return db_fail(rc, sql);
    }
    return 0;
}

int
db_rows_in(struct store *st, json_t *rows, const char *sql_fmt,
           db_row_fn *fn, void *aux)
{
    const char *ids[DB_IN_MAX];
    size_t n = 0, i;
    json_t *row;
    int rc = 0;

    json_t *index = json_object();
    if (!index) {
        return -ENOMEM;
    }
    json_array_foreach(rows, i, row) {
        const char *id = json_string_value(json_object_get(row, "id"));
        if (!id || json_object_get(index, id)) {
            continue;
        }
        json_object_set(index, id, row);
        ids[n++] = id;
        if (n == DB_IN_MAX) {
            rc = rc ? rc : rows_chunk(st, sql_fmt, ids, n, index, fn, aux);
            n = 0;
        }
    }
    if (n && !rc) {
        rc = rows_chunk(st, sql_fmt, ids, n, index, fn, aux);
    }
    json_decref(index);
    return rc;
}

int
db_fail(int rc, const char *what)
{
    if (rc >= 0) {
        rc = -EIO;
    }
    log_err("store failure (%s) in: %s", strerror(-rc), what);
    return rc;
}
