/* Private to reconcile*.c: the working state of one vtep_reconcile() call.
 *
 * Files: reconcile.c (entry point, Logical_Switch ownership and columns,
 * removals, convergence, the result), reconcile_index.c (reading the
 * replica: Logical_Switches, locators, ports, rows per Logical_Switch),
 * reconcile_macs.c (Ucast_Macs_Remote, Mcast_Macs_Remote and locator
 * references), reconcile_bindings.c (Physical_Port.vlan_bindings),
 * reconcile_util.c (arena, string maps, planned operations, problems,
 * garbage logging, emitting the transaction).
 *
 * Everything allocated while planning lives in the arena and dies with the
 * call; strings read from the replica are borrowed from it (the replica
 * does not change during the call).  Only the result is malloc'd. */
#ifndef L2GW_VTEP_RECONCILE_PRIV_H
#define L2GW_VTEP_RECONCILE_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ovsdb/hmap.h"
#include "vtep/desired.h"
#include "vtep/reconcile.h"

struct replica_row;

/* ---- Arena ---- */

struct vrc_chunk;

struct vrc_arena {
    struct vrc_chunk *head;
};

/* Zeroed memory valid until vrc_arena_destroy(); NULL when out of memory
 * (the caller then sets ctx->err). */
void *vrc_alloc(struct vrc_arena *a, size_t size);
char *vrc_strdup(struct vrc_arena *a, const char *s);
char *vrc_printf(struct vrc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vrc_arena_destroy(struct vrc_arena *a);

/* ---- String-keyed (multi)maps; entries live in the arena, keys are
 * borrowed and must outlive the map. ---- */

struct vrc_entry {
    struct hmap_node node;
    const char *key;
    void *value;
};

struct vrc_map {
    struct hmap h;
};

void vrc_map_init(struct vrc_map *m);
void vrc_map_destroy(struct vrc_map *m);
/* Adds key → value (duplicates kept).  0 or -ENOMEM. */
int vrc_map_put(struct vrc_arena *a, struct vrc_map *m, const char *key,
                void *value);
/* The first entry with 'key' / the next one with the same key, or NULL. */
struct vrc_entry *vrc_map_find(const struct vrc_map *m, const char *key);
struct vrc_entry *vrc_map_next(const struct vrc_entry *e);
/* The value of the first entry with 'key', or NULL. */
void *vrc_map_get(const struct vrc_map *m, const char *key);

/* ---- Growable arrays of pointers (malloc'd; freed by the owner) ---- */

struct vrc_vec {
    const void **items;
    size_t n, cap;
};

int vrc_vec_push(struct vrc_vec *v, const void *item);
void vrc_vec_free(struct vrc_vec *v);

/* ---- Reading values ---- */

#define VRC_UUID_BUF 37 /* a UUID and its NUL */

/* The UUID that reference 'v' names (["uuid", u], or a set holding only
 * that), in lower case: 'u' itself, or a lower-case copy in 'buf'.  Not
 * validated beyond its length (map lookups simply miss).  NULL if 'v' is
 * no reference.  Cheaper than datum_get_uuid() on the hot paths. */
const char *vrc_uuid(const json_t *v, char buf[VRC_UUID_BUF]);

/* 'uuid' in lower case, as vrc_uuid() does; NULL if not 36 characters. */
const char *vrc_lower_uuid(const char *uuid, char buf[VRC_UUID_BUF]);

/* Column numbers of a remote MAC table (-1 where it has none). */
struct vrc_cols {
    int mac, ls, locator, locator_set, ipaddr;
};

/* ---- The replica as read for this call ---- */

/* A Logical_Switch row. */
struct vrc_ls {
    const struct replica_row *row;
    const char *uuid;        /* lower case */
    const char *name;
    const char *description; /* NULL if not a string */
    long long key;           /* VTEP_NO_KEY if none or garbage */
    const char *repl;        /* replication_mode or NULL */
    const char *mark;        /* other_config:l2gw-owner or NULL */
    bool owned;              /* ours (store record, mark, or adopted now) */
    bool in_scope;           /* this pass may change or remove it */
    int desired;             /* index in the desired state, or -1 */
    bool removing;           /* owned, in scope, no longer desired */
    struct vrc_vec ucast;    /* its Ucast_Macs_Remote rows (ours only) */
    struct vrc_vec mcast;    /* its Mcast_Macs_Remote rows (ours only) */
    size_t n_refs;           /* local MAC rows and vlan_bindings naming it */
};

/* A distinct locator (canonical IP, key): the existing row to reuse, or
 * the uuid-name under which this transaction inserts it. */
struct vrc_loc {
    struct hmap_node node; /* in ctx->locs */
    char ip[VTEP_IP_LEN];
    long long key;
    const char *uuid;  /* best existing row, or NULL */
    bool uuid_exact;   /* that row's dst_ip is spelled canonically */
    const char *named; /* uuid-name once inserted in this transaction */
    uint64_t stamp;    /* scratch for set comparisons */
};

/* A Physical_Port of some Physical_Switch. */
struct vrc_port {
    const struct replica_row *row;
    const char *uuid;
    const char *ps;
    const char *name;
    json_t *add_del;   /* pairs to delete before 'add_ins' (re-points) */
    json_t *add_ins;   /* pairs to insert */
    json_t *del;       /* pairs of ours to delete (no longer desired) */
    bool managed;      /* l2gw may remove bindings to its LSs here */
};

/* What this call does with desired LS i. */
enum vrc_dls_state {
    DLS_BLOCKED, /* not ours, or waiting: nothing is written for it */
    DLS_ACTIVE,  /* the row exists and is ours */
    DLS_INSERT,  /* inserted by this transaction */
};

struct vrc_dls {
    const struct vtep_ls *want;
    struct vrc_ls *have;   /* the existing row, or NULL */
    enum vrc_dls_state state;
    const char *named;     /* uuid-name of the insert */
    bool converged;
};

/* ---- Planned operations ---- */

enum vrc_phase {
    PH_LS,        /* Logical_Switch inserts and updates */
    PH_LOC_MACS,  /* new locators with their first MAC rows */
    PH_MACS,      /* remaining Ucast_Macs_Remote inserts and updates */
    PH_MCAST,     /* locator sets and Mcast_Macs_Remote */
    PH_BINDINGS,  /* vlan_bindings inserts and re-points */
    PH_DELETE,    /* deletions of rows and bindings */
    PH_LS_DELETE, /* Logical_Switch deletions */
    PH_N
};

enum vrc_kind { OP_INSERT, OP_UPDATE, OP_MUTATE, OP_DELETE };

struct vrc_op {
    enum vrc_kind kind;
    const char *table;
    json_t *where;         /* NULL for inserts */
    json_t *arg;           /* row or mutations; NULL for deletes */
    const char *uuid_name; /* inserts only, or NULL */
    size_t group;          /* ops of one group stay in one transaction */
    const char *record;    /* LS name to record when this op is sent */
    const char *forget;    /* LS name to forget when this op is sent */
};

struct vrc_ops {
    struct vrc_op *ops;
    size_t n, cap;
};

/* A direct-mapped cache from interned reference values (the replica
 * shares one ["uuid", u] value between all rows naming the same row) to
 * what they resolve to, so that hot loops skip hashing UUID strings. */
#define VRC_REF_CACHE 1024 /* entries, a power of 2 */

struct vrc_ref_cache {
    const json_t *key[VRC_REF_CACHE];
    void *value[VRC_REF_CACHE];
};

/* ---- The context ---- */

struct vrc_ctx {
    const struct vtep_desired *desired;
    const struct replica *replica;
    const struct vtep_options *opts;
    struct vtep_result *res;
    const char *dbname;    /* for logs */
    int err;               /* first error (-ENOMEM); planning stops */
    struct vrc_arena arena;

    struct vrc_map owned;  /* names recorded as ours → "" */
    struct vrc_map scope;  /* names in scope (empty: everything) */
    struct vrc_map ls_by_uuid, ls_by_name, ls_by_key; /* → vrc_ls */
    struct vrc_ls **ls;    /* every LS row, sorted by (name, uuid) */
    size_t n_ls;
    struct vrc_map claimed; /* VNI (decimal) → vrc_dls claiming it */

    struct hmap locs;           /* vrc_loc by (ip, key) */
    struct vrc_map loc_by_uuid; /* locator row uuid → vrc_loc */
    uint64_t stamp;

    struct vrc_map port_by_uuid; /* → vrc_port */
    struct vrc_map port_by_name; /* "ps\nport" → vrc_port */
    struct vrc_port **ports;     /* sorted by (ps, name) */
    size_t n_ports;
    struct vrc_map want_bind;    /* "port-uuid|vlan" → vrc_dls */

    struct vrc_ref_cache *ls_refs;  /* reference → vrc_ls (or NULL) */
    struct vrc_ref_cache *loc_refs; /* reference → vrc_loc (or NULL) */
    struct vrc_cols ucast;       /* columns of Ucast_Macs_Remote */
    struct vrc_cols mcast;       /* columns of Mcast_Macs_Remote */

    struct vrc_dls *dls;         /* one per desired LS */
    struct vrc_ops phase[PH_N];
    size_t group;                /* current group id */
    size_t n_loc_names, n_set_names;
};

/* ---- reconcile_util.c ---- */

/* Starts a new group of operations (they will be sent together). */
void vrc_group(struct vrc_ctx *c);

/* Plans an operation in 'phase' within the current group; takes 'where'
 * and 'arg' (also on failure).  Returns the op (to set record/forget) or
 * NULL (ctx->err is set). */
struct vrc_op *vrc_op(struct vrc_ctx *c, enum vrc_phase phase,
                      enum vrc_kind kind, const char *table, json_t *where,
                      json_t *arg, const char *uuid_name);

/* Plans "delete 'table' where _uuid == uuid" in PH_DELETE (own group). */
void vrc_delete_row(struct vrc_ctx *c, const char *table, const char *uuid);

/* [["_uuid", "==", ["uuid", uuid]]] / [[column, "==", ["uuid", uuid]]]. */
json_t *vrc_where_uuid(const char *uuid);
json_t *vrc_where_ref(const char *column, const char *uuid);

/* Reports a problem ('conn' may be NULL).  Strings are copied. */
void vrc_problem(struct vrc_ctx *c, const char *ls, const char *conn,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Logs, once per row and rate limited, that row 'uuid' of 'table' is
 * malformed ('why') and is skipped. */
void vrc_garbage(const struct vrc_ctx *c, const char *table,
                 const char *uuid, const char *why);

/* Adds a copy of 'name' to a result list (deduplicated). */
void vrc_list_add(struct vrc_ctx *c, char ***list, size_t *n,
                  const char *name);

/* Builds res->txn from the planned operations, at most the op budget, in
 * phase order, never splitting a group; fills n_ops, truncated, and the
 * record/forget names of the operations sent. */
void vrc_emit(struct vrc_ctx *c);

/* Frees the planned operations (those not handed to the txn). */
void vrc_ops_free(struct vrc_ctx *c);

/* Sorts an array of pointers (NULL when empty is fine). */
void vrc_sort(void *items, size_t n, size_t size,
              int (*cmp)(const void *, const void *));

/* ---- reconcile_index.c ---- */

/* Reads Logical_Switch rows into ctx (ls maps, sorted list). */
void vrc_index_ls(struct vrc_ctx *c);

/* The LS row with 'uuid' (any case) / 'name' (lowest uuid), or NULL. */
struct vrc_ls *vrc_ls_by_uuid(const struct vrc_ctx *c, const char *uuid);
struct vrc_ls *vrc_ls_by_name(const struct vrc_ctx *c, const char *name);

/* Reads Physical_Locator rows. */
void vrc_index_locators(struct vrc_ctx *c);

/* The vrc_loc for (ip, key) (created, without a row, if new); NULL only
 * when out of memory.  'ip' must be canonical. */
struct vrc_loc *vrc_loc_get(struct vrc_ctx *c, const struct vtep_locator *l);

/* The vrc_loc that locator row 'uuid' stands for, or NULL (unknown row or
 * garbage). */
struct vrc_loc *vrc_loc_of_row(const struct vrc_ctx *c, const char *uuid);

/* The LS / locator that reference value 'ref' names, or NULL; cached by
 * the value's address. */
struct vrc_ls *vrc_ls_of_ref(struct vrc_ctx *c, const json_t *ref);
struct vrc_loc *vrc_loc_of_ref(struct vrc_ctx *c, const json_t *ref);

/* Reads Physical_Switch and Physical_Port rows. */
void vrc_index_ports(struct vrc_ctx *c);
struct vrc_port *vrc_port_find(const struct vrc_ctx *c, const char *ps,
                               const char *port);
struct vrc_port *vrc_port_by_uuid(const struct vrc_ctx *c, const char *uuid);

/* Collects the remote MAC rows of our LSs (desired and active, or being
 * removed), and counts local MAC rows naming LSs being removed. */
void vrc_index_rows(struct vrc_ctx *c);

/* ---- reconcile_macs.c ---- */

/* The value naming locator 'l' in this transaction: ["uuid", u] of an
 * existing row, else ["named-uuid", n]; the first time a locator is named,
 * its insert is planned in 'phase' within the current group.  New
 * reference, or NULL (ctx->err set). */
json_t *vrc_loc_ref(struct vrc_ctx *c, struct vrc_loc *loc,
                    enum vrc_phase phase);

/* True if naming 'loc' needs an insert in this transaction. */
bool vrc_loc_is_new(const struct vrc_loc *loc);

/* The value naming desired LS 'd' (["uuid", u] or ["named-uuid", n]). */
json_t *vrc_dls_ref(const struct vrc_dls *d);

void vrc_plan_ucast(struct vrc_ctx *c, struct vrc_dls *d);
void vrc_plan_mcast(struct vrc_ctx *c, struct vrc_dls *d);

/* ---- reconcile_bindings.c ---- */

/* Plans vlan_bindings for every desired LS, removes our undesired
 * bindings on managed ports (vtep_options.managed), and counts binding
 * references per LS (on every port). */
void vrc_plan_bindings(struct vrc_ctx *c);

#endif
