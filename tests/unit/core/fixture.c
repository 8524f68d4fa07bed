/* The shared fixture of the core unit tests. */
#include "fixture.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/gateway.h"
#include "core/network.h"
#include "lib/log.h"
#include "store/store.h"

static void
record(const struct event *ev, void *aux)
{
    struct fx *f = aux;

    if (f->n_events >= FX_MAX_EVENTS) {
        return;
    }
    struct fx_event *e = &f->events[f->n_events++];
    e->kind = ev->kind;
    snprintf(e->id, sizeof e->id, "%s", ev->id ? ev->id : "");
    snprintf(e->network_id, sizeof e->network_id, "%s",
             ev->network_id ? ev->network_id : "");
    /* Inside a transaction store_begin() fails (no nesting). */
    e->committed = store_begin(f->st) == 0;
    if (e->committed) {
        store_rollback(f->st);
    }
}

int
fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    log_set_level(LOG_LEVEL_WARN);
    assert_int_equal(store_open("sqlite://:memory:", &f->st), 0);
    assert_int_equal(store_migrate(f->st, NULL), 0);
    config_init(&f->cfg);
    assert_int_equal(core_create(f->st, &f->cfg, &f->core), 0);
    assert_int_equal(event_subscribe(record, f), 0);
    *state = f;
    return 0;
}

int
fx_teardown(void **state)
{
    struct fx *f = *state;

    event_unsubscribe(record, f);
    core_destroy(f->core);
    config_destroy(&f->cfg);
    store_close(f->st);
    free(f);
    return 0;
}

json_t *
fx_json(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &e);

    if (!v) {
        fail_msg("bad test JSON '%s': %s", text, e.text);
    }
    return v;
}

void
fx_expect_err(struct fx *f, int rc, enum core_error code, const char *msg)
{
    if (rc >= 0 || f->err.code != code || strcmp(f->err.msg, msg)) {
        fail_msg("expected rc < 0, code %d, '%s'; got rc %d, code %d, '%s'",
                 code, msg, rc, f->err.code, f->err.msg);
    }
    f->err.code = CE_NONE;
    f->err.msg[0] = '\0';
}

void
fx_expect_ok(struct fx *f, int rc)
{
    if (rc) {
        fail_msg("expected success; got rc %d, code %d, '%s'", rc,
                 f->err.code, f->err.msg);
    }
}

long long
fx_count(struct fx *f, const char *table)
{
    char sql[128];
    struct store_stmt *s;

    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    assert_int_equal(store_prepare(f->st, sql, &s), 0);
    assert_int_equal(store_step(s), 1);
    long long n = store_col_int(s, 0);
    store_reset(s);
    return n;
}

void
fx_clear_events(struct fx *f)
{
    f->n_events = 0;
}

void
fx_network(struct fx *f, long long vni, char id[UUID_STRLEN + 1])
{
    json_t *attrs = vni ? json_pack("{s:s, s:I}", "name", "net",
                                    "provider:segmentation_id",
                                    (json_int_t) vni)
                        : json_pack("{s:s}", "name", "net");
    json_t *out = NULL;

    fx_expect_ok(f, network_create(f->core, attrs, &out, &f->err));
    snprintf(id, UUID_STRLEN + 1, "%s",
             json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(attrs);
}

void
fx_switch(struct fx *f, const char *name, const char *const *ports,
          size_t n_ports)
{
    char id[UUID_STRLEN + 1], now[32];
    const char *params[5] = {id, name, "lab", now, now};

    if (fx_switch_id(f, name, id) == 0) {
        params[0] = id;
    } else {
        uuid_generate(id);
        store_timestamp(now);
        assert_int_equal(
            store_run(f->st,
                      "INSERT INTO switches (id, name, ovsdb_identifier, "
                      "connected, created_at, updated_at) "
                      "VALUES (?, ?, ?, 1, ?, ?)",
                      params, 5),
            1);
    }
    for (size_t i = 0; i < n_ports; i++) {
        const char *pp[2] = {id, ports[i]};
        assert_true(store_run(f->st,
                              "INSERT INTO switch_ports (switch_id, name) "
                              "VALUES (?, ?) ON CONFLICT DO NOTHING",
                              pp, 2) >= 0);
    }
}

int
fx_switch_id(struct fx *f, const char *name, char id[UUID_STRLEN + 1])
{
    struct store_stmt *s;
    int rc = store_prepare(f->st, "SELECT id FROM switches WHERE name = ?", &s);

    assert_int_equal(rc, 0);
    store_bind_text(s, 1, name);
    rc = store_step(s);
    if (rc == 1) {
        snprintf(id, UUID_STRLEN + 1, "%s", store_col_text(s, 0));
        store_reset(s);
        return 0;
    }
    return -ENOENT;
}

/* Adds port 'port' to every switch that device name 'dev' resolves to
 * (its plain name, or "<ovsdb_identifier>/<name>"), registering the switch
 * first if none does: in the database the name qualifies, else in "lab". */
static void
register_device(struct fx *f, const char *dev, const char *port)
{
    const char *sql = "SELECT id FROM switches WHERE name = ? OR "
                      "ovsdb_identifier || '/' || name = ?";
    struct store_stmt *s;
    json_t *ids = json_array();

    assert_int_equal(store_prepare(f->st, sql, &s), 0);
    store_bind_text(s, 1, dev);
    store_bind_text(s, 2, dev);
    while (store_step(s) == 1) {
        json_array_append_new(ids, json_string(store_col_text(s, 0)));
    }
    store_reset(s);
    if (!json_array_size(ids)) {
        char id[UUID_STRLEN + 1], now[32], db[128];
        const char *slash = strchr(dev, '/');
        snprintf(db, sizeof db, "%.*s", slash ? (int) (slash - dev) : 3,
                 slash ? dev : "lab");
        const char *params[5] = {id, slash ? slash + 1 : dev, db, now, now};
        uuid_generate(id);
        store_timestamp(now);
        assert_int_equal(
            store_run(f->st,
                      "INSERT INTO switches (id, name, ovsdb_identifier, "
                      "connected, created_at, updated_at) "
                      "VALUES (?, ?, ?, 1, ?, ?)",
                      params, 5),
            1);
        json_array_append_new(ids, json_string(id));
    }
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        const char *pp[2] = {json_string_value(id), port};
        assert_true(port == NULL
                    || store_run(f->st,
                                 "INSERT INTO switch_ports (switch_id, name) "
                                 "VALUES (?, ?) ON CONFLICT DO NOTHING",
                                 pp, 2) >= 0);
    }
    json_decref(ids);
}

/* Registers the switches and ports named by 'devices' (a JSON array of
 * request devices), as the switch manager would on seeing them; a device
 * a registered switch already answers to gets its ports added there. */
static void
register_devices(struct fx *f, const json_t *devices)
{
    size_t i, j;
    json_t *dev, *ifc;

    json_array_foreach(devices, i, dev) {
        const char *name = json_string_value(json_object_get(dev, "device_name"));
        json_t *ifcs = json_object_get(dev, "interfaces");
        if (!name || !json_is_array(ifcs)) {
            continue;
        }
        register_device(f, name, NULL);
        json_array_foreach(ifcs, j, ifc) {
            const char *port = json_string_value(json_object_get(ifc, "name"));
            if (port) {
                register_device(f, name, port);
            }
        }
    }
}

void
fx_gateway(struct fx *f, const char *devices, char id[UUID_STRLEN + 1])
{
    json_t *attrs = json_pack("{s:s, s:o, s:s}", "name", "gw", "devices",
                              fx_json(devices), "project_id", "p1");
    json_t *out = NULL;

    register_devices(f, json_object_get(attrs, "devices"));
    fx_expect_ok(f, gateway_create(f->core, attrs, &out, &f->err));
    snprintf(id, UUID_STRLEN + 1, "%s",
             json_string_value(json_object_get(out, "id")));
    json_decref(out);
    json_decref(attrs);
}
