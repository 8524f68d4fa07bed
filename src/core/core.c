/* core/: domain rules of l2gw.
 *
 * Files: core.c (the handle, the deployment id, generic list/show),
 * error.c (core_fail), db.c (private statement, transaction and IN-list
 * helpers), gateway.c (l2 gateways and their devices), connection.c
 * (gateway ↔ network connections), network.c, port.c, host.c (the overlay
 * inventory), registry.c (read-only switch registry and learned MACs).
 *
 * Every write is one store transaction (db_txn()); the events it produces
 * are published only after the commit. */
#include "core/core.h"

#include <errno.h>
#include <stdlib.h>

#include "core/db.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "core"
#include "lib/log.h"

struct core {
    struct store *st;
    const struct config *cfg;
    char deployment_id[UUID_STRLEN + 1];
};

/* Reads the deployment id from meta, or makes and stores it on first use. */
static int
load_deployment_id(struct core *c, struct db_txn *t, void *aux,
                   struct core_err *err)
{
    int rc = db_text(c->st, c->deployment_id, sizeof c->deployment_id,
                     "SELECT value FROM meta WHERE key = 'deployment_id'", "");
    if (rc) {
        return rc < 0 ? rc : 0;
    }
    uuid_generate(c->deployment_id);
    rc = db_run(c->st,
                "INSERT INTO meta (key, value) VALUES ('deployment_id', ?)",
                "s", c->deployment_id);
    if (rc < 0) {
        return db_fail(rc, "insert deployment id");
    }
    log_info("new deployment id %s", c->deployment_id);
    return 0;
}

int
core_create(struct store *st, const struct config *cfg, struct core **out)
{
    struct core *c = calloc(1, sizeof *c);
    struct core_err err = {CE_NONE, ""};

    if (!c) {
        return -ENOMEM;
    }
    c->st = st;
    c->cfg = cfg;
    int rc = db_txn(c, load_deployment_id, NULL, &err);
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void
core_destroy(struct core *c)
{
    free(c);
}

struct store *
core_store(const struct core *c)
{
    return c->st;
}

const struct config *
core_config(const struct core *c)
{
    return c->cfg;
}

const char *
core_deployment_id(const struct core *c)
{
    return c->deployment_id;
}

int
core_list(struct core *c, const struct store_list_query *q, json_t **rows,
          bool *more, struct core_err *err)
{
    int rc = store_list(c->st, q, rows, more);
    if (rc && rc != -ENOENT) {
        return db_fail(rc, q->table);
    }
    return rc;
}

int
core_show(struct core *c, const struct store_list_query *q, const char *id,
          json_t **row, struct core_err *err)
{
    int rc = store_get(c->st, q, id, row);
    if (rc && rc != -ENOENT) {
        return db_fail(rc, q->table);
    }
    return rc;
}
