/* Private to src/manager: the manager's state shared by its files.  Nothing
 * outside src/manager includes this header.
 *
 * String sets and maps are jansson objects (key → json_true() or a value):
 * hashed, and enough for the sizes here (LS names, connection ids). */
#ifndef L2GW_MANAGER_PRIV_H
#define L2GW_MANAGER_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "manager/fdb.h"
#include "manager/hosts.h"

struct cluster;
struct config;
struct core;
struct ctl;
struct mdb;
struct store;
struct stream_listener;

/* One queued change event (lib/event.h), handled in manager_run(). */
struct mgr_event {
    int kind;
    char *id;
    char *network_id;
    bool from_peer;
};

struct manager {
    struct core *core;
    struct store *st;
    const struct config *cfg;

    struct cluster *cluster;    /* several nodes: which dbs are ours
                                 * (NULL: all of them) */
    struct hosts hosts;         /* [ovsdb] ovsdb_hosts */

    struct mdb **dbs;           /* one per switch database served now */
    size_t n_dbs, cap_dbs;

    struct stream_listener *listener; /* passive mode (enable_manager) */

    struct mgr_event *events;   /* queued by the event callback */
    size_t n_events, cap_events;

    json_t *switch_names;       /* switch id → [ovsdb_identifier, name] */
    json_t *status_dirty;       /* connection ids whose status to recompute */
    bool status_all;            /* recompute every connection's status */

    struct fdb fdb;             /* the overlay export */
    struct ctl *ctl;            /* control socket */
};

/* Adds 'key' to set 'set' (no-op for NULL). */
static inline void
mset_add(json_t *set, const char *key)
{
    if (set && key) {
        json_object_set_new(set, key, json_true());
    }
}

static inline bool
mset_has(const json_t *set, const char *key)
{
    return set && key && json_object_get(set, key) != NULL;
}

/* The database entry called 'name', or NULL. */
struct mdb *manager_find_db(const struct manager *m, const char *name);

/* Marks connection 'conn' (or every connection) for a status update. */
void manager_status_dirty(struct manager *m, const char *conn);
void manager_status_all(struct manager *m);

#endif
