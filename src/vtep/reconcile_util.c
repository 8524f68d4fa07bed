/* Helpers of vtep_reconcile(): arena, maps, planned operations, problems,
 * garbage logging, and emitting the transaction.  See reconcile_priv.h. */
#include "vtep/reconcile_priv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/datum.h"
#include "ovsdb/txn.h"
#include "vtep/names.h"

#define LOG_MODULE "vtep"
#include "lib/log.h"

/* ---- Arena ---- */

#define ARENA_CHUNK 65536
#define ARENA_ALIGN 16

struct vrc_chunk {
    struct vrc_chunk *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

void *
vrc_alloc(struct vrc_arena *a, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct vrc_chunk *ch = a->head;
    if (!ch || ch->size - ch->used < size) {
        size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        ch = malloc(sizeof *ch + cap);
        if (!ch) {
            return NULL;
        }
        ch->size = cap;
        ch->used = 0;
        ch->next = a->head;
        a->head = ch;
    }
    void *p = ch->data + ch->used;
    ch->used += size;
    memset(p, 0, size);
    return p;
}

char *
vrc_strdup(struct vrc_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = vrc_alloc(a, n);

    if (p) {
        memcpy(p, s, n);
    }
    return p;
}

char *
vrc_printf(struct vrc_arena *a, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? vrc_alloc(a, (size_t)n + 1) : NULL;
    if (p) {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

void
vrc_arena_destroy(struct vrc_arena *a)
{
    while (a->head) {
        struct vrc_chunk *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

/* ---- Maps ---- */

void
vrc_map_init(struct vrc_map *m)
{
    hmap_init(&m->h);
}

void
vrc_map_destroy(struct vrc_map *m)
{
    hmap_destroy(&m->h);
}

int
vrc_map_put(struct vrc_arena *a, struct vrc_map *m, const char *key,
            void *value)
{
    struct vrc_entry *e = vrc_alloc(a, sizeof *e);

    if (!e) {
        return -ENOMEM;
    }
    e->key = key;
    e->value = value;
    hmap_insert(&m->h, &e->node, hmap_hash_string(key, 0));
    return 0;
}

static struct vrc_entry *
match(struct hmap_node *n, const char *key)
{
    for (; n; n = hmap_next_with_hash(n)) {
        struct vrc_entry *e = HMAP_CONTAINER(n, struct vrc_entry, node);
        if (!strcmp(e->key, key)) {
            return e;
        }
    }
    return NULL;
}

struct vrc_entry *
vrc_map_find(const struct vrc_map *m, const char *key)
{
    return match(hmap_first_with_hash(&m->h, hmap_hash_string(key, 0)), key);
}

struct vrc_entry *
vrc_map_next(const struct vrc_entry *e)
{
    return match(hmap_next_with_hash(&e->node), e->key);
}

void *
vrc_map_get(const struct vrc_map *m, const char *key)
{
    struct vrc_entry *e = vrc_map_find(m, key);

    return e ? e->value : NULL;
}

/* ---- Vectors ---- */

int
vrc_vec_push(struct vrc_vec *v, const void *item)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        const void **items = realloc(v->items, cap * sizeof *items);
        if (!items) {
            return -ENOMEM;
        }
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = item;
    return 0;
}

void
vrc_vec_free(struct vrc_vec *v)
{
    free(v->items);
    memset(v, 0, sizeof *v);
}

void
vrc_sort(void *items, size_t n, size_t size,
         int (*cmp)(const void *, const void *))
{
    if (n > 1) {
        qsort(items, n, size, cmp);
    }
}

/* ---- Reading values ---- */

const char *
vrc_lower_uuid(const char *s, char buf[VRC_UUID_BUF])
{
    if (!s || strnlen(s, VRC_UUID_BUF) != VRC_UUID_BUF - 1) {
        return NULL;
    }
    for (size_t i = 0; i < VRC_UUID_BUF - 1; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z') {
            for (size_t k = 0; k < VRC_UUID_BUF; k++) {
                buf[k] = (char)tolower((unsigned char)s[k]);
            }
            return buf;
        }
    }
    return s;
}

/* The string of ["uuid", s], else NULL. */
static const char *
uuid_atom(const json_t *v)
{
    const char *tag;

    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !(tag = json_string_value(json_array_get(v, 0))) ||
        strcmp(tag, "uuid")) {
        return NULL;
    }
    return json_string_value(json_array_get(v, 1));
}

const char *
vrc_uuid(const json_t *v, char buf[VRC_UUID_BUF])
{
    const char *s = uuid_atom(v);
    const char *tag;

    if (!s && json_is_array(v) && json_array_size(v) == 2 &&
        (tag = json_string_value(json_array_get(v, 0))) &&
        !strcmp(tag, "set")) {
        const json_t *elems = json_array_get(v, 1);
        if (json_is_array(elems) && json_array_size(elems) == 1) {
            s = uuid_atom(json_array_get(elems, 0));
        }
    }
    return vrc_lower_uuid(s, buf);
}

/* ---- Planned operations ---- */

void
vrc_group(struct vrc_ctx *c)
{
    c->group++;
}

struct vrc_op *
vrc_op(struct vrc_ctx *c, enum vrc_phase phase, enum vrc_kind kind,
       const char *table, json_t *where, json_t *arg, const char *uuid_name)
{
    struct vrc_ops *ops = &c->phase[phase];

    if (c->err || (kind != OP_INSERT && !where) ||
        (kind != OP_DELETE && !arg)) {
        goto fail;
    }
    if (ops->n == ops->cap) {
        size_t cap = ops->cap ? ops->cap * 2 : 64;
        struct vrc_op *p = realloc(ops->ops, cap * sizeof *p);
        if (!p) {
            goto fail;
        }
        ops->ops = p;
        ops->cap = cap;
    }
    struct vrc_op *op = &ops->ops[ops->n++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->table = table;
    op->where = where;
    op->arg = arg;
    op->uuid_name = uuid_name;
    op->group = c->group;
    return op;

fail:
    json_decref(where);
    json_decref(arg);
    if (!c->err) {
        c->err = -ENOMEM;
    }
    return NULL;
}

json_t *
vrc_where_ref(const char *column, const char *uuid)
{
    json_t *u = datum_uuid(uuid);

    return u ? json_pack("[[s,s,o]]", column, "==", u) : NULL;
}

json_t *
vrc_where_uuid(const char *uuid)
{
    return vrc_where_ref(VTEP_C_UUID, uuid);
}

void
vrc_delete_row(struct vrc_ctx *c, const char *table, const char *uuid)
{
    vrc_group(c);
    vrc_op(c, PH_DELETE, OP_DELETE, table, vrc_where_uuid(uuid), NULL, NULL);
}

void
vrc_ops_free(struct vrc_ctx *c)
{
    for (int p = 0; p < PH_N; p++) {
        struct vrc_ops *ops = &c->phase[p];
        for (size_t i = 0; i < ops->n; i++) {
            json_decref(ops->ops[i].where);
            json_decref(ops->ops[i].arg);
        }
        free(ops->ops);
        memset(ops, 0, sizeof *ops);
    }
}

/* ---- Problems and lists ---- */

void
vrc_problem(struct vrc_ctx *c, const char *ls, const char *conn,
            const char *fmt, ...)
{
    struct vtep_result *r = c->res;
    char *reason = NULL;
    va_list ap;

    va_start(ap, fmt);
    int n = vasprintf(&reason, fmt, ap);
    va_end(ap);
    struct vtep_problem *p = n < 0 ? NULL
                                   : realloc(r->problems, (r->n_problems + 1) *
                                                              sizeof *p);
    if (!p) {
        free(n < 0 ? NULL : reason);
        c->err = -ENOMEM;
        return;
    }
    r->problems = p;
    p = &p[r->n_problems];
    p->reason = reason;
    p->ls = strdup(ls ? ls : "");
    p->conn = conn && *conn ? strdup(conn) : NULL;
    r->n_problems++;
    if (!p->ls || (conn && *conn && !p->conn)) {
        c->err = -ENOMEM;
    }
    log_dbg("%s: %s: %s", c->dbname, ls ? ls : "", reason);
}

void
vrc_list_add(struct vrc_ctx *c, char ***list, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++) {
        if (!strcmp((*list)[i], name)) {
            return;
        }
    }
    char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l || !(l[*n] = strdup(name))) {
        if (l) {
            *list = l;
        }
        c->err = -ENOMEM;
        return;
    }
    *list = l;
    (*n)++;
}

/* ---- Garbage logging: once per (table, row), rate limited ---- */

#define GARBAGE_SLOTS 4096 /* rows remembered; forgotten all at once */

static uint64_t garbage_seen[GARBAGE_SLOTS];
static size_t garbage_n;
static struct log_rl garbage_rl = LOG_RL_INIT(10, 60000);

/* True the first time (table, uuid) is seen (until the memory fills). */
static bool
garbage_first(const char *table, const char *uuid)
{
    uint32_t h1 = hmap_hash_string(uuid, hmap_hash_string(table, 0));
    uint32_t h2 = hmap_hash_string(table, hmap_hash_string(uuid, 1));
    uint64_t key = ((uint64_t)h1 << 32 | h2) | 1; /* never 0 (empty) */

    if (garbage_n >= GARBAGE_SLOTS / 2) {
        memset(garbage_seen, 0, sizeof garbage_seen);
        garbage_n = 0;
    }
    for (size_t i = h1 % GARBAGE_SLOTS;; i = (i + 1) % GARBAGE_SLOTS) {
        if (garbage_seen[i] == key) {
            return false;
        }
        if (!garbage_seen[i]) {
            garbage_seen[i] = key;
            garbage_n++;
            return true;
        }
    }
}

void
vrc_garbage(const struct vrc_ctx *c, const char *table, const char *uuid,
            const char *why)
{
    if (garbage_first(table, uuid)) {
        log_warn_rl(&garbage_rl, "%s: malformed %s row %s: %s",
                    c->dbname, table, uuid, why);
    }
}

/* ---- Emitting ---- */

static int
emit_op(struct txn *txn, struct vrc_op *op)
{
    json_t *where = op->where, *arg = op->arg;

    op->where = op->arg = NULL; /* taken by the txn functions */
    switch (op->kind) {
    case OP_INSERT:
        json_decref(where);
        return txn_insert(txn, op->table, arg, op->uuid_name);
    case OP_UPDATE:
        return txn_update(txn, op->table, where, arg);
    case OP_MUTATE:
        return txn_mutate(txn, op->table, where, arg);
    case OP_DELETE:
        json_decref(arg);
        return txn_delete(txn, op->table, where);
    }
    return -EINVAL;
}

/* Number of ops from 'i' on that belong to the group of op 'i'. */
static size_t
group_len(const struct vrc_ops *ops, size_t i)
{
    size_t j = i + 1;

    while (j < ops->n && ops->ops[j].group == ops->ops[i].group) {
        j++;
    }
    return j - i;
}

static size_t
op_budget(const struct vtep_options *o)
{
    size_t max = o->max_ops ? o->max_ops : VTEP_DEFAULT_MAX_OPS;

    if (o->durable) {
        max = max > 1 ? max - 1 : 1;
    }
    return max;
}

/* Sends group [i, i + n) of 'ops' into the txn. */
static void
emit_group(struct vrc_ctx *c, struct vrc_ops *ops, size_t i, size_t n)
{
    struct vtep_result *r = c->res;

    for (size_t k = i; k < i + n && !c->err; k++) {
        struct vrc_op *op = &ops->ops[k];
        int rc = emit_op(r->txn, op);
        if (rc < 0) {
            log_err("%s: cannot add an operation on %s: %s", c->dbname,
                    op->table, strerror(-rc));
            c->err = rc == -ENOMEM ? -ENOMEM : -EINVAL;
        } else if (op->record) {
            vrc_list_add(c, &r->record, &r->n_record, op->record);
        } else if (op->forget) {
            vrc_list_add(c, &r->forget, &r->n_forget, op->forget);
        }
    }
}

void
vrc_emit(struct vrc_ctx *c)
{
    struct vtep_result *r = c->res;
    size_t budget = op_budget(c->opts), used = 0;

    for (int p = 0; p < PH_N && !c->err && !r->truncated; p++) {
        struct vrc_ops *ops = &c->phase[p];
        for (size_t i = 0; i < ops->n && !c->err;) {
            size_t n = group_len(ops, i);
            if (used && used + n > budget) {
                r->truncated = true;
                break;
            }
            if (!r->txn && !(r->txn = txn_create(c->opts->database
                                                     ? c->opts->database
                                                     : VTEP_DATABASE))) {
                c->err = -ENOMEM;
                break;
            }
            emit_group(c, ops, i, n);
            used += n;
            i += n;
        }
    }
    if (r->txn && c->opts->durable && !c->err &&
        txn_commit(r->txn, true) < 0) {
        c->err = -ENOMEM;
    }
    r->n_ops = r->txn ? txn_n_ops(r->txn) : 0;
}
