/* One switch database (its ovsdb_identifier): the session, the cached
 * desired state, dirty sets, the one transaction in flight, and what the
 * status of its connections is on this database (spec/switch.md).
 *
 * Life of a pass (mdb_run()):
 *   1. session_run(); a new connection (conn_seqno) → full pass: the
 *      registry, learned MACs and LS mirror are rewritten, everything is
 *      planned again and reconciled without scope;
 *   2. the replica's change lists mark LSs dirty (drift, our own writes,
 *      local MACs, ports) and feed the registry and learned MACs;
 *   3. after a transaction's reply, nothing is diffed until the replica
 *      shows the reply's inserted and deleted rows (or SETTLE_MAX_MS);
 *   4. a pass plans the dirty networks (core/plan), merges them into the
 *      cached desired state, reconciles the dirty LSs (vtep/reconcile,
 *      scoped), records ownership in the store BEFORE sending, and sends
 *      at most one transaction.
 * Exported names start with mdb_ (core/db.h owns db_). */
#ifndef L2GW_MANAGER_DB_H
#define L2GW_MANAGER_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtep/desired.h"

struct manager;
struct session;
struct stream;
struct txn;
struct hosts_entry;

/* Tunables (milliseconds unless said). */
#define MDB_SETTLE_MAX_MS 1000    /* longest wait for a reply's rows */
#define MDB_SETTLE_QUIET_MS 200   /* ... when the reply inserted/deleted nothing */
#define MDB_BACKOFF_MIN_MS 500    /* after a failed transaction */
#define MDB_BACKOFF_MAX_MS 30000
#define MDB_FAIL_LIMIT 3          /* failures before connections go ERROR */
#define MDB_ERR_LEN 512

enum mdb_phase {
    MDB_IDLE,       /* may diff and send */
    MDB_IN_FLIGHT,  /* a transaction awaits its reply */
    MDB_SETTLING,   /* reply received; waiting for its rows in the replica */
    MDB_BACKOFF,    /* a transaction failed; retry at 'retry_at' */
};

struct mdb {
    struct manager *m;
    char *name;                 /* ovsdb_identifier */
    char *remote;               /* "tcp:..." or the passive peer */
    bool passive;
    bool refused;               /* duplicate database: session closed */
    bool dead;                  /* passive session ended: to be removed */
    struct session *session;

    /* Connection tracking. */
    unsigned long conn_seqno;   /* last connection handled */
    bool connected;
    uint64_t seen_seqno;        /* replica seqno whose changes were handled */
    unsigned long reconnects;

    /* Desired state and dirtiness. */
    struct vtep_desired desired; /* cache: every LS wanted here, sorted */
    json_t *plan_problems;      /* conn → {"network", "reason"} */
    json_t *dirty_plan;         /* network ids to plan again */
    json_t *dirty_ls;           /* LS names to reconcile */
    bool replan_all;            /* plan everything again */
    bool recon_all;             /* reconcile without scope */
    json_t *waiting;            /* LS names to retry after the next update */
    bool waiting_all;
    json_t *owned;              /* LS names the store records as ours */
    json_t *quarantine;         /* LS name → {"fails", "retry_at", "error",
                                 * "released"}: its transactions failed */
    json_t *local_by_uuid;      /* Ucast_Macs_Local uuid → "<LS name>|<mac>" */
    json_t *local_keys;         /* "<LS name>|<mac>" → count */
    json_t *conflicts_logged;   /* "<LS name>|<mac>" already logged */
    json_t *ls_names;           /* replica LS uuid → name */
    json_t *bound_ports;        /* "<switch>\n<port>" → [switch, port]:
                                 * ports of desired bindings since this
                                 * entry was created, managed even once
                                 * no gateway names them (pass.c) */

    /* The transaction in flight. */
    enum mdb_phase phase;
    struct txn *txn;
    json_t *txn_params;
    json_t *txn_scope;          /* LS names of its pass (null: full) */
    char **forget_after;        /* ownership to drop once it succeeds */
    size_t n_forget_after;
    long long sent_at, reply_at, retry_at;
    uint64_t seqno_at_send;
    json_t *expect;             /* [[table, uuid, present], ...] */
    json_t *last_ok_params;     /* params of the last successful one */

    /* Errors and figures. */
    int failures;               /* consecutive failed transactions */
    char last_error[MDB_ERR_LEN];
    char last_error_op[64], last_error_table[64], last_error_row[128];
    char stuck[MDB_ERR_LEN];    /* "succeeded but not applied" report */
    long long last_latency_ms;  /* -1: none yet */
    size_t pending_ops;         /* operations in flight */
    size_t owned_rows;          /* rows of ours, counted at convergence */
    bool figures_stale;         /* a transaction succeeded since counted */
    size_t txns, txn_failures;
    long long last_sync_wall;   /* loop_wall_now() of the last convergence */

    /* Status of connections on this database. */
    json_t *verdicts;           /* conn → {"ls", "state", "reason"} */

    /* Registry, learned MACs. */
    bool registry_dirty, ls_mirror_dirty, learned_full;
    json_t *learned_queue;      /* row uuid → row JSON or null (deleted) */
    size_t n_learned;
    bool learned_capped;
    json_t *forgotten;          /* switch names forgotten while connected */
    bool forget_cleanup;        /* a forget with cleanup waits for a full pass */
};

/* Creates the entry of an active session to 'e' (copied), or of a passive
 * session over accepted 'stream' (taken, also on failure), named by the
 * peer's address (its IP; the socket path for unix).  Caller frees with
 * mdb_destroy().  Returns 0 or a negative errno (logged). */
int mdb_create(struct manager *m, const struct hosts_entry *e,
               struct mdb **out);
int mdb_create_passive(struct manager *m, struct stream *stream,
                       struct mdb **out);
void mdb_destroy(struct mdb *d);

void mdb_run(struct mdb *d);
void mdb_wait(struct mdb *d);

/* Drops the transaction in flight (its reply will not be used) and goes
 * back to MDB_IDLE. */
void mdb_drop_txn(struct mdb *d);

/* Dirty marks from change events. */
void mdb_mark_network(struct mdb *d, const char *network);
void mdb_mark_all(struct mdb *d);

/* True if the cache or the ownership records hold LS 'network'. */
bool mdb_has_network(const struct mdb *d, const char *network);

/* Counts for ctl and the registry: rows desired (LS, MACs, flood rows,
 * bindings) and rows of ours the replica holds. */
size_t mdb_desired_rows(const struct mdb *d);
size_t mdb_owned_rows(const struct mdb *d);
size_t mdb_pending_changes(const struct mdb *d);

/* Marks 'scope' (a set of LS names; NULL or JSON null: everything) for
 * another reconcile pass. */
void mdb_remark(struct mdb *d, const json_t *scope);

#endif
