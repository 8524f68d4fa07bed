/* Internals shared by vdb.c and vdb_sync.c. */
#ifndef L2GW_VTEPD_VDB_PRIV_H
#define L2GW_VTEPD_VDB_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtepd/dp.h"
#include "vtepd/model.h"

struct replica_row;
struct session;
struct txn;
struct vconf;

struct vdb_mac {
    char mac[18];
    char ls[MODEL_UUID_LEN + 1];
};

struct vdb {
    const struct vconf *cfg;
    struct session *session;
    struct txn *txn;      /* in flight, or NULL */
    uint64_t sent_seqno;  /* replica seqno when it was sent */
    uint64_t built_seqno; /* replica seqno of the last computation */
    long long hold_until; /* no new computation before (loop_now) */
    bool dirty;           /* published state changed */
    struct vdb_mac *macs;
    size_t n_macs;
    struct dp_fault *faults;
    size_t n_faults;
    char (*active)[MODEL_UUID_LEN + 1]; /* instantiated Logical_Switches */
    size_t n_active;
};

/* Our Physical_Switch row, or NULL. */
const struct replica_row *vdb_ps_row(const struct vdb *vdb);

/* The row of 'table' that uuid atom 'uuid_atom' names, or NULL. */
const struct replica_row *vdb_find(const struct vdb *vdb, const char *table,
                                   const json_t *uuid_atom);

/* Adds to 'txn' the operations that make our own rows right (at most
 * VDB_MAX_OPS).  Returns the number added or a negative errno. */
int vdb_sync_build(struct vdb *vdb, struct txn *txn);

#endif
