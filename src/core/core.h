/* core/: domain rules of l2gw.  It validates intent, commits it to the
 * store, and publishes change events (lib/event.h) after each commit.
 *
 * Files: core.c (the handle, shared helpers, generic list/show), error.c,
 * gateway.c, connection.c, network.c, port.c, host.c, switch.c (registry
 * reads and forget), plan.c (later: store intent → vtep desired state).
 *
 * Resources cross this boundary as JSON objects shaped as the API shows them
 * (attribute names of api.md), already stripped of unknown attributes and
 * type-checked by the API layer for the simple types it declares.  Core
 * checks everything else (lists, ranges, references, uniqueness, conflicts)
 * and returns the created/updated object in the same shape. */
#ifndef L2GW_CORE_H
#define L2GW_CORE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/error.h"

struct config;
struct store;
struct store_list_query;

struct core;

/* Creates the domain layer over an open, migrated store.  Borrows 'st' and
 * 'cfg' (they must outlive the core).  Makes the deployment id on first use.
 * Caller frees with core_destroy(). */
int core_create(struct store *st, const struct config *cfg, struct core **out);
void core_destroy(struct core *c);

struct store *core_store(const struct core *c);
const struct config *core_config(const struct core *c);
/* This deployment's id (the owner mark on switches).  Borrowed. */
const char *core_deployment_id(const struct core *c);

/* Generic list / show over a store query (api builds the query from its
 * resource table).  Caller frees '*rows' / '*row'. */
int core_list(struct core *c, const struct store_list_query *q, json_t **rows,
              bool *more, struct core_err *err);
/* -ENOENT (err not filled: the caller knows the resource's NotFound). */
int core_show(struct core *c, const struct store_list_query *q, const char *id,
              json_t **row, struct core_err *err);

#endif
