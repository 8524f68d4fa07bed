/* Reconciliation of one switch database: given the desired state (built
 * from the store), the replica of the database (ovsdb/replica.h, as the
 * switch holds it now) and what l2gw owns there, compute the next
 * transaction that moves the switch towards the desired state, following
 * spec/switch.md:
 *
 * - Ownership: an LS is ours if the store records it ('owned') or, when
 *   the schema has the column, its other_config:l2gw-owner is our
 *   deployment id (then it is also listed in res.record).  An existing LS
 *   with the desired name, tunnel_key = VNI and no owner mark is adopted
 *   when 'adopt' is set: listed in res.record and marked.  Another key or
 *   another owner mark → a problem for every connection of that LS; it is
 *   never touched.  Only our LSs, their remote MAC rows and bindings are
 *   ever written.  An LS to insert is listed in res.record, and inserted
 *   with name, description, tunnel_key, replication_mode and
 *   other_config {"l2gw-owner": id} (columns the schema has).  Any other
 *   LS (foreign, or another desired one) already carrying the VNI → the
 *   problem "VNI <V> is used by Logical_Switch <name>" and no insert; an
 *   LS of ours being removed that carries it → the insert waits.
 * - Locators are resolved by (vxlan_over_ipv4, canonical dst_ip,
 *   tunnel_key), reusing an existing row (canonically spelled first, then
 *   lowest UUID), else inserted with a uuid-name ("l2gw_locN") in the same
 *   transaction and group as their first referencing row, once per
 *   transaction.  Never updated, never deleted (OVSDB collects them).
 * - Ucast_Macs_Remote rows of our desired LSs are diffed as a multimap on
 *   canonical (MAC, LS): per desired MAC, a row equal in canonical MAC,
 *   ipaddr and locator is kept (so a hand-written upper-case MAC stays),
 *   else the lowest-UUID row of that MAC is updated (only the columns that
 *   differ), else a row is inserted; every other row is deleted (by
 *   UUID), also rows whose MAC does not parse.  A MAC desired twice in an
 *   LS: the claim of lower rank wins, the other is a problem naming both
 *   owners.
 * - Mcast_Macs_Remote: one "unknown-dst" row per desired LS whose locator
 *   set holds exactly the flood locators; otherwise a new
 *   Physical_Locator_Set ("l2gw_setN") is inserted and the lowest-UUID
 *   unknown-dst row re-pointed (or a row inserted), in one group.  Every
 *   other Mcast_Macs_Remote row of the LS is deleted, and all of them when
 *   the flood set is empty (an empty set is invalid).
 * - Bindings (Physical_Switch by name → ports → Physical_Port by name):
 *   per port one mutate of vlan_bindings: "delete" of ["map", [[vlan,
 *   old LS]]] pairs (re-points from our LSs) then "insert" of ["map",
 *   [[vlan, LS]]] pairs (by named-uuid when the LS is inserted in the same
 *   transaction).  A (port, VLAN) bound to a foreign LS → problem "VLAN
 *   <v> of port <p> on <ps> is bound to Logical_Switch <name>" for that
 *   binding's connection; a missing switch or port → "Physical_Port <p> of
 *   switch <ps> not found".  Our bindings that are not desired are removed
 *   with a mutate "delete" of their pairs in the deletion phase, on the
 *   ports l2gw manages only (opts->managed); bindings to our LSs on other
 *   ports are foreign and never touched.
 * - An LS of ours that is no longer desired (and in scope): its bindings
 *   and its remote rows ("delete where logical_switch == LS") go first;
 *   the LS row is deleted (and listed in res.forget) only in a pass where
 *   the replica shows nothing referencing it (remote and local MAC rows,
 *   vlan_bindings of any switch, foreign ones included); meanwhile
 *   res.waiting is set.  An owned
 *   name that is not on the switch and not desired goes to res.forget.
 * - Operations come in the order: LS inserts/updates; new locators with
 *   their first MACs; remaining MACs; locator sets and Mcast_Macs_Remote;
 *   bindings; deletions; LS deletions; then ["commit", true] when
 *   'durable'.  Operations form groups that are never split (a new
 *   locator with its first user, a set with its locators and row); every
 *   named-uuid refers back to an earlier insert of the same group or an
 *   earlier group.  At most 'max_ops' operations are emitted, a prefix cut
 *   at a group boundary (res.truncated; a single group larger than the cap
 *   is sent alone); later passes do the rest.
 * - Malformed rows written by others (values of the wrong type, MACs or
 *   IPs that do not parse) are skipped and logged once per row (rate
 *   limited); the database is named by opts->name.
 *
 * The function is pure: the same inputs give the same transaction, and a
 * replica that already matches gives none.  The replica may lag behind the
 * switch (an LS created by someone else a moment ago may not be in it
 * yet): the server then rejects the transaction (e.g. the name index) and
 * the next pass, after the replica caught up, computes the right one.
 * After a transaction, do not run again until the replica shows its
 * inserted and deleted rows (spec/switch.md, Transactions). */
#ifndef L2GW_VTEP_RECONCILE_H
#define L2GW_VTEP_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

struct replica;
struct txn;
struct vtep_desired;

#define VTEP_DEFAULT_MAX_OPS 4000

/* A port by name: Physical_Port 'port' of Physical_Switch 'ps'. */
struct vtep_port_ref {
    const char *ps;
    const char *port;
};

struct vtep_options {
    const char *database;      /* "hardware_vtep" */
    const char *name;          /* for logs: the ovsdb_identifier (NULL:
                                  'database') */
    const char *owner_id;      /* this deployment's id (owner mark) */
    bool adopt;                /* [ovsdb] adopt_existing_logical_switches */
    bool durable;              /* [ovsdb] durable_commit: the txn ends
                                  with ["commit", true] */
    bool owner_mark;           /* the schema has Logical_Switch.other_config */
    bool has_replication_mode; /* the schema has
                                  Logical_Switch.replication_mode */
    size_t max_ops;            /* 0: VTEP_DEFAULT_MAX_OPS (the commit
                                  included) */
    /* Incremental pass: when 'scope' is not NULL, the desired state holds
     * only the LSs named in 'scope' (n_scope names, borrowed) that are
     * still wanted, and owned LSs outside 'scope' are left alone (neither
     * changed nor removed, nor their bindings).  NULL: a full pass, where
     * every owned LS that is not desired is removed. */
    const char *const *scope;
    size_t n_scope;
    /* The ports l2gw manages on this database (n_managed refs, borrowed):
     * the interfaces of every gateway device on it.  Bindings to our LSs
     * are removed only on managed ports (the ports of desired bindings are
     * always managed); a binding on any other port is someone else's: it
     * is never touched, and an LS of ours it names is not deleted while it
     * lasts (res.waiting).  NULL: every port is managed; a non-NULL
     * pointer with n_managed = 0: only the ports of desired bindings. */
    const struct vtep_port_ref *managed;
    size_t n_managed;
};

/* A reason why some desired rows cannot be realised.  'ls' is the LS
 * (network UUID) concerned, 'conn' the connection id when the problem is
 * one binding's (NULL: every connection of the LS). */
struct vtep_problem {
    char *ls;
    char *conn;
    char *reason;   /* e.g. "Logical_Switch <name> has tunnel_key 7, not
                       5000" */
};

struct vtep_result {
    struct txn *txn;           /* NULL when there is nothing to send */
    /* LS names to record as owned in the store BEFORE sending 'txn'. */
    char **record;
    size_t n_record;
    /* LS names whose ownership record can be dropped once 'txn' succeeds
     * (deleted by it), or now (no longer on the switch). */
    char **forget;
    size_t n_forget;
    struct vtep_problem *problems;
    size_t n_problems;
    /* Per desired LS (same order as the desired state): true when the
     * replica already holds every desired row of it (LS, MACs, flood set,
     * all bindings that have no problem). */
    bool *ls_converged;
    size_t n_ls;
    size_t n_ops;              /* operations in 'txn' (0 when none) */
    bool truncated;            /* more work remains after 'txn' */
    /* Work that waits for the switch: an LS deletion waiting for rows that
     * still reference it (e.g. its Ucast_Macs_Local), or an insert waiting
     * for an LS of ours being removed to release its tunnel_key.  Run
     * again after the next update of the replica. */
    bool waiting;
};

/* Computes the next step for one database.  'owned' lists the LS names the
 * store records as ours (borrowed).  Fills '*res' (free with
 * vtep_result_destroy(); '*res' is cleared first and is empty on error).
 * The caller sends res->txn (which stays owned by 'res'; take it by setting
 * res->txn = NULL) after recording res->record.  Returns 0, -ENOMEM, or
 * -EINVAL when the txn builder refused an operation (a bug; logged). */
int vtep_reconcile(const struct vtep_desired *desired,
                   const struct replica *replica,
                   const char *const *owned, size_t n_owned,
                   const struct vtep_options *opts, struct vtep_result *res);

/* Frees everything 'res' holds (accepts a result that is all zero). */
void vtep_result_destroy(struct vtep_result *res);

#endif
