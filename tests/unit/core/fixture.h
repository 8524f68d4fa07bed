/* Shared fixture of the core unit tests: an in-memory, migrated store, a
 * default configuration, a core over them, and a recorder of the events
 * core publishes. */
#ifndef L2GW_TEST_CORE_FIXTURE_H
#define L2GW_TEST_CORE_FIXTURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "lib/config.h"
#include "lib/event.h"
#include "lib/uuid.h"

#define FX_MAX_EVENTS 64

struct fx_event {
    enum event_kind kind;
    char id[UUID_STRLEN + 1];
    char network_id[UUID_STRLEN + 1];
    bool committed; /* the store was outside any transaction */
};

struct fx {
    struct store *st;
    struct config cfg;
    struct core *core;
    struct core_err err;
    struct fx_event events[FX_MAX_EVENTS];
    int n_events;
};

/* cmocka setup/teardown: '*state' becomes a struct fx. */
int fx_setup(void **state);
int fx_teardown(void **state);

/* Parses JSON text (test input); aborts the test on a syntax error.
 * Caller frees. */
json_t *fx_json(const char *text);

/* Asserts that 'rc' is negative and 'f->err' holds 'code' and exactly
 * 'msg'; then clears 'f->err'. */
void fx_expect_err(struct fx *f, int rc, enum core_error code,
                   const char *msg);

/* Asserts that 'rc' is 0 (printing f->err otherwise). */
void fx_expect_ok(struct fx *f, int rc);

/* Counts rows of 'table' (a table name from the schema). */
long long fx_count(struct fx *f, const char *table);

/* Forgets the recorded events. */
void fx_clear_events(struct fx *f);

/* Creates a network with VNI 'vni' (0: allocated) and writes its id into
 * 'id'. */
void fx_network(struct fx *f, long long vni, char id[UUID_STRLEN + 1]);

/* Registers switch 'name' of database "lab" (connected) with 'ports', as
 * the switch manager would after seeing it; adds the ports if it exists. */
void fx_switch(struct fx *f, const char *name, const char *const *ports,
               size_t n_ports);

/* The id of the registered switch 'name': 0, or -ENOENT. */
int fx_switch_id(struct fx *f, const char *name, char id[UUID_STRLEN + 1]);

/* Creates a gateway from the JSON text of its "devices" (registering its
 * switches and ports first: a device name a registered switch answers to,
 * plainly or as "<db>/<name>", gets its ports added to that switch; an
 * unknown one is registered in the database it names, else in "lab") and
 * writes its id into 'id'. */
void fx_gateway(struct fx *f, const char *devices, char id[UUID_STRLEN + 1]);

#endif
