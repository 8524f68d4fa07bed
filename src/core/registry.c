/* Read-only renderings of the switch registry. */
#include "core/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "store/store.h"

#define LOG_MODULE "registry"
#include "lib/log.h"

/* The text columns of table switches that hold JSON. */
static const char *const json_columns[] = {"tunnel_ips", "switch_fault_status",
                                           "other_config"};

json_t *
registry_json_column(const char *text)
{
    static struct log_rl rl = LOG_RL_INIT(5, 60000);

    if (!text) {
        return json_null();
    }
    json_t *v = ju_parse(text, strlen(text), NULL);
    if (!v) {
        log_warn_rl(&rl, "switch record holds invalid JSON: %.80s", text);
        v = json_string(text);
    }
    return v;
}

static void
render_port(struct store_stmt *s, json_t *row, void *aux)
{
    json_t *port = json_pack(
        "{s:s, s:o, s:o}", "name", store_col_text(s, 1), "port_fault_status",
        registry_json_column(store_col_text(s, 2)), "vlan_bindings",
        registry_json_column(store_col_text(s, 3)));
    json_array_append_new(json_object_get(row, "ports"), port);
}

int
registry_render_switches(struct core *c, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        for (size_t k = 0; k < sizeof json_columns / sizeof *json_columns;
             k++) {
            json_t *v = json_object_get(row, json_columns[k]);
            if (json_is_string(v)) {
                json_object_set_new(row, json_columns[k],
                                    registry_json_column(
                                        json_string_value(v)));
            }
        }
        json_object_set_new(row, "ports", json_array());
    }
    return db_rows_in(core_store(c), rows,
                      "SELECT switch_id, name, port_fault_status, "
                      "vlan_bindings FROM switch_ports WHERE switch_id IN "
                      "(%s) ORDER BY switch_id, name",
                      render_port, NULL);
}

/* ---- forget ---- */

struct forget {
    const char *id;    /* normalised */
    const char *given; /* as given (messages) */
    bool cleanup;
};

/* 1 if a connection uses a gateway device naming switch 'name' of database
 * 'db' (plainly or as "<db>/<name>"), 0 if none, or a negative errno. */
static int
switch_in_use(struct store *st, const char *db, const char *name)
{
    char qualified[2 * VALID_NAME_MAX + 2];

    snprintf(qualified, sizeof qualified, "%s/%s", db, name);
    return db_exists(st,
                     "SELECT 1 FROM gateway_devices d JOIN connections c ON "
                     "c.gateway_id = d.gateway_id WHERE d.device_name IN "
                     "(?, ?)",
                     "ss", name, qualified);
}

static int
forget_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct forget *r = aux;
    struct store *st = core_store(c);
    struct store_stmt *s;
    char db[VALID_NAME_MAX + 1], name[VALID_NAME_MAX + 1];

    int rc = db_prepare(st, &s,
                        "SELECT ovsdb_identifier, name, connected FROM "
                        "switches WHERE id = ?",
                        "s", r->id);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc
                      : core_fail(err, CE_SWITCH_NOT_FOUND,
                                  "L2 switch %s could not be found.",
                                  r->given);
    }
    snprintf(db, sizeof db, "%s", store_col_text(s, 0));
    snprintf(name, sizeof name, "%s", store_col_text(s, 1));
    bool connected = store_col_int(s, 2) != 0;
    store_reset(s);
    if ((rc = switch_in_use(st, db, name))) {
        return rc < 0 ? rc
                      : core_fail(err, CE_SWITCH_IN_USE,
                                  "L2 switch %s is in use by one or more l2 "
                                  "gateway connections.",
                                  name);
    }
    if (r->cleanup && connected) {
        /* The manager removes our rows, then forgets the switch. */
        rc = db_run(st, "UPDATE switches SET forget_requested = 1 WHERE id = ?",
                    "s", r->id);
        return rc < 0 ? rc : db_txn_event(t, EVENT_SWITCH, r->id, NULL);
    }
    if ((rc = db_run(st, "DELETE FROM switch_ports WHERE switch_id = ?", "s",
                     r->id)) < 0
        || (rc = db_run(st,
                        "DELETE FROM learned_macs WHERE ovsdb_identifier = ? "
                        "AND switch = ?",
                        "ss", db, name)) < 0
        || (rc = db_run(st, "DELETE FROM switches WHERE id = ?", "s",
                        r->id)) < 0) {
        return rc;
    }
    log_info("switch %s of %s forgotten", name, db);
    return db_txn_event(t, EVENT_SWITCH, r->id, NULL);
}

int
registry_forget_switch(struct core *c, const char *id, bool cleanup,
                       struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct forget r = {nid, id, cleanup};

    valid_id(id, nid);
    return db_txn(c, forget_txn, &r, err);
}
