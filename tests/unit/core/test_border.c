/* Unit tests of core/border*: remote gateways, remote gateway connections
 * (order of checks, per-locator key support, the key rule per switch
 * database), remote MACs (validation, uniqueness in the network, bulk all
 * or nothing), the in-use checks of connection/network/gateway deletes,
 * and the events published after each commit.  Switches are registered by
 * writing the switches table as the switch manager does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/border.h"
#include "core/connection.h"
#include "core/gateway.h"
#include "core/network.h"
#include "core/port.h"
#include "fixture.h"
#include "lib/jsonutil.h"
#include "store/store.h"

#define ID_LEN (UUID_STRLEN + 1)
#define NO_SUCH "0b5b5d9e-0000-4000-8000-00000000beef"

/* ---- helpers ---- */

/* Registers switch 'name' of database 'db' with 'other_config' (JSON
 * object text), as the switch manager would. */
static void
sw(struct fx *f, const char *db, const char *name, const char *other_config)
{
    char id[ID_LEN];
    const char *params[] = {id, name, db, other_config};

    uuid_generate(id);
    assert_int_equal(store_run(f->st,
                               "INSERT INTO switches (id, name, "
                               "ovsdb_identifier, other_config, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?, 'x', 'x')",
                               params, 4),
                     1);
}

static const char *const YES = "{\"l2gw-per-locator-key\": \"true\"}";

/* A gateway with one untagged device 'dev'. */
static void
gateway(struct fx *f, const char *dev, char id[ID_LEN])
{
    char devices[256];

    snprintf(devices, sizeof devices,
             "[{\"device_name\": \"%s\", \"interfaces\": [{\"name\": "
             "\"p1\"}]}]",
             dev);
    fx_gateway(f, devices, id);
}

/* Connects 'gw' to 'net' with connection VLAN 'vlan' (< 0: none given,
 * untagged). */
static void
connect_vlan(struct fx *f, const char *gw, const char *net, int vlan)
{
    json_t *attrs = json_pack("{s:s, s:s}", "l2_gateway_id", gw,
                              "network_id", net);
    json_t *out = NULL;

    if (vlan >= 0) {
        json_object_set_new(attrs, "segmentation_id", json_integer(vlan));
    }
    fx_expect_ok(f, connection_create(f->core, attrs, &out, &f->err));
    json_decref(out);
    json_decref(attrs);
}

static void
connect(struct fx *f, const char *gw, const char *net)
{
    connect_vlan(f, gw, net, -1);
}

/* Forgets every switch named 'name' and its ports behind core's back (a
 * connection needs its devices registered when it is made; a record may
 * still vanish later), leaving their gateways' devices unregistered. */
static void
unregister(struct fx *f, const char *name)
{
    const char *params[] = {name};

    assert_true(store_run(f->st,
                          "DELETE FROM switch_ports WHERE switch_id IN "
                          "(SELECT id FROM switches WHERE name = ?)",
                          params, 1) >= 0);
    assert_true(store_run(f->st, "DELETE FROM switches WHERE name = ?",
                          params, 1) > 0);
}

/* A local side on device 'dev': gateway, network with 'vni', connection. */
static void
local(struct fx *f, const char *dev, long long vni, char gw[ID_LEN],
      char net[ID_LEN])
{
    gateway(f, dev, gw);
    fx_network(f, vni, net);
    connect(f, gw, net);
}

static int
rgw_create(struct fx *f, const char *name, const char *ip, json_t **out)
{
    json_t *attrs = json_pack("{s:s, s:s}", "project_id", "p1", "ipaddr", ip);

    if (name) {
        json_object_set_new(attrs, "name", json_string(name));
    }
    *out = NULL;
    int rc = border_rgw_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
rgw(struct fx *f, const char *name, const char *ip, char id[ID_LEN])
{
    json_t *out;

    fx_expect_ok(f, rgw_create(f, name, ip, &out));
    snprintf(id, ID_LEN, "%s", ju_str(out, "id"));
    json_decref(out);
}

/* Creates a remote connection; 'extra' is JSON object text merged in (or
 * NULL). */
static int
rconn_create(struct fx *f, const char *gw, const char *net, const char *r,
             const char *extra, json_t **out)
{
    json_t *attrs = extra ? fx_json(extra) : json_object();

    json_object_set_new(attrs, "gateway", json_string(gw));
    json_object_set_new(attrs, "network", json_string(net));
    json_object_set_new(attrs, "remote_gateway", json_string(r));
    json_object_set_new(attrs, "project_id", json_string("p1"));
    *out = NULL;
    int rc = border_rconn_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
rconn(struct fx *f, const char *gw, const char *net, const char *r,
      const char *extra, char id[ID_LEN])
{
    json_t *out;

    fx_expect_ok(f, rconn_create(f, gw, net, r, extra, &out));
    snprintf(id, ID_LEN, "%s", ju_str(out, "id"));
    json_decref(out);
}

static int
rconn_update(struct fx *f, const char *id, const char *attrs, json_t **out)
{
    json_t *a = fx_json(attrs);

    *out = NULL;
    int rc = border_rconn_update(f->core, id, a, out, &f->err);
    json_decref(a);
    return rc;
}

/* A border setup: switch "swb" (db "db1") advertising the extension, a
 * gateway on it connected to a network of VNI 'vni', a remote gateway. */
struct setup {
    char gw[ID_LEN], net[ID_LEN], rgw[ID_LEN];
};

static void
setup(struct fx *f, long long vni, struct setup *s)
{
    sw(f, "db1", "swb", YES);
    local(f, "swb", vni, s->gw, s->net);
    rgw(f, "far", "198.51.100.7", s->rgw);
    fx_clear_events(f);
}

static int
mac_create(struct fx *f, const char *conn, const char *mac, const char *ip,
           json_t **out)
{
    json_t *attrs = json_pack("{s:s, s:s, s:s}", "mac", mac, "rgw_connection",
                              conn, "project_id", "p1");

    if (ip) {
        json_object_set_new(attrs, "ipaddr", json_string(ip));
    }
    *out = NULL;
    int rc = border_mac_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
expect_event(struct fx *f, int i, const char *id, const char *net)
{
    assert_true(i < f->n_events);
    assert_int_equal(f->events[i].kind, EVENT_REMOTE);
    if (id) {
        assert_string_equal(f->events[i].id, id);
    }
    assert_string_equal(f->events[i].network_id, net ? net : "");
    assert_true(f->events[i].committed);
}

/* ---- remote gateways ---- */

static void
test_rgw_create(void **state)
{
    struct fx *f = *state;
    json_t *out, *shown = NULL;

    fx_expect_ok(f, rgw_create(f, "far", "198.51.100.7", &out));
    assert_true(uuid_is_valid(ju_str(out, "id")));
    assert_string_equal(ju_str(out, "name"), "far");
    assert_string_equal(ju_str(out, "ipaddr"), "198.51.100.7");
    assert_string_equal(ju_str(out, "tenant_id"), "p1");
    assert_string_equal(ju_str(out, "project_id"), "p1");
    expect_event(f, 0, ju_str(out, "id"), NULL);
    fx_expect_ok(f, border_rgw_get(f->core, ju_str(out, "id"), &shown,
                                   &f->err));
    assert_true(json_equal(shown, out));
    json_decref(shown);
    json_decref(out);

    fx_expect_ok(f, rgw_create(f, NULL, "192.0.2.1", &out));
    assert_string_equal(ju_str(out, "name"), "");
    json_decref(out);
}

static void
test_rgw_ipv4_only(void **state)
{
    struct fx *f = *state;
    json_t *out;

    fx_expect_err(f, rgw_create(f, "x", "2001:db8::7", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: ipaddr '2001:db8::7' is not "
                  "an IPv4 address (tunnel endpoints are IPv4).");
    fx_expect_err(f, rgw_create(f, "x", "not-an-ip", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: ipaddr 'not-an-ip' is not an "
                  "IPv4 address (tunnel endpoints are IPv4).");
    fx_expect_err(f, rgw_create(f, "x", "", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: ipaddr '' is not an IPv4 "
                  "address (tunnel endpoints are IPv4).");
    json_t *attrs = fx_json("{\"name\": \"x\"}");
    fx_expect_err(f, border_rgw_create(f->core, attrs, &out, &f->err),
                  CE_BAD_REQUEST,
                  "Failed to parse request. Required attribute 'ipaddr' not "
                  "specified");
    json_decref(attrs);
    assert_int_equal(fx_count(f, "remote_gateways"), 0);
}

static void
test_rgw_update(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char rc1[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, rc1);
    fx_clear_events(f);
    /* A new name only: no switch changes, no event. */
    json_t *a = fx_json("{\"name\": \"renamed\"}");
    fx_expect_ok(f, border_rgw_update(f->core, s.rgw, a, &out, &f->err));
    json_decref(a);
    assert_string_equal(ju_str(out, "name"), "renamed");
    assert_string_equal(ju_str(out, "ipaddr"), "198.51.100.7");
    json_decref(out);
    assert_int_equal(f->n_events, 0);
    /* A new address re-points every switch: one event per network. */
    a = fx_json("{\"ipaddr\": \"198.51.100.8\"}");
    fx_expect_ok(f, border_rgw_update(f->core, s.rgw, a, &out, &f->err));
    json_decref(a);
    assert_string_equal(ju_str(out, "name"), "renamed");
    assert_string_equal(ju_str(out, "ipaddr"), "198.51.100.8");
    json_decref(out);
    assert_int_equal(f->n_events, 1);
    expect_event(f, 0, s.rgw, s.net);

    a = fx_json("{\"ipaddr\": \"::1\"}");
    fx_expect_err(f, border_rgw_update(f->core, s.rgw, a, &out, &f->err),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: ipaddr '::1' is not an IPv4 "
                  "address (tunnel endpoints are IPv4).");
    fx_expect_err(f, border_rgw_update(f->core, NO_SUCH, a, &out, &f->err),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: ipaddr '::1' is not an IPv4 "
                  "address (tunnel endpoints are IPv4).");
    json_decref(a);
    a = fx_json("{\"name\": \"y\"}");
    fx_expect_err(f, border_rgw_update(f->core, NO_SUCH, a, &out, &f->err),
                  CE_REMOTE_GATEWAY_NOT_FOUND,
                  "The remote gateway " NO_SUCH " not found");
    json_decref(a);
}

/* The in-use message names the first remote connection. */
static void
test_rgw_delete_in_use(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], msg[256];

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    snprintf(msg, sizeof msg,
             "The remote gateway %s is in use by remote gateway connection %s",
             s.rgw, id);
    fx_expect_err(f, border_rgw_delete(f->core, s.rgw, &f->err),
                  CE_REMOTE_GATEWAY_IN_USE, msg);
    fx_expect_ok(f, border_rconn_delete(f->core, id, &f->err));
    fx_clear_events(f);
    fx_expect_ok(f, border_rgw_delete(f->core, s.rgw, &f->err));
    expect_event(f, 0, s.rgw, NULL);
    assert_int_equal(fx_count(f, "remote_gateways"), 0);
    snprintf(msg, sizeof msg, "The remote gateway %s not found", s.rgw);
    fx_expect_err(f, border_rgw_delete(f->core, s.rgw, &f->err),
                  CE_REMOTE_GATEWAY_NOT_FOUND, msg);
}

/* ---- remote connections: create ---- */

static void
test_rconn_create_defaults(void **state)
{
    struct fx *f = *state;
    struct setup s;
    json_t *out, *shown = NULL;

    setup(f, 123, &s);
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, s.rgw, NULL, &out));
    const char *id = ju_str(out, "id");
    assert_true(uuid_is_valid(id));
    assert_string_equal(ju_str(out, "gateway"), s.gw);
    assert_string_equal(ju_str(out, "network"), s.net);
    assert_string_equal(ju_str(out, "remote_gateway"), s.rgw);
    /* The network's VNI, flooding on, pending. */
    assert_int_equal(json_integer_value(json_object_get(out, "seg_id")), 123);
    assert_true(json_is_true(json_object_get(out, "flood")));
    assert_string_equal(ju_str(out, "status"), "PENDING");
    assert_string_equal(ju_str(out, "status_reason"), "");
    assert_string_equal(ju_str(out, "project_id"), "p1");
    assert_int_equal(f->n_events, 1);
    expect_event(f, 0, id, s.net);
    fx_expect_ok(f, border_rconn_get(f->core, id, &shown, &f->err));
    assert_true(json_equal(shown, out));
    json_decref(shown);
    json_decref(out);
}

static void
test_rconn_create_by_name_and_forms(void **state)
{
    struct fx *f = *state;
    struct setup s;
    json_t *out;

    setup(f, 123, &s);
    /* fx_gateway names every gateway "gw", fx_network every network "net". */
    fx_expect_ok(f, rconn_create(f, "gw", "net", "far",
                                 "{\"seg_id\": \"456\", \"flood\": \"False\"}",
                                 &out));
    assert_string_equal(ju_str(out, "gateway"), s.gw);
    assert_string_equal(ju_str(out, "network"), s.net);
    assert_string_equal(ju_str(out, "remote_gateway"), s.rgw);
    assert_int_equal(json_integer_value(json_object_get(out, "seg_id")), 456);
    assert_true(json_is_false(json_object_get(out, "flood")));
    json_decref(out);

    /* null means the default, as the reference client sends None. */
    char r2[ID_LEN];
    rgw(f, "far2", "198.51.100.9", r2);
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, r2,
                                 "{\"seg_id\": null, \"flood\": null}", &out));
    assert_int_equal(json_integer_value(json_object_get(out, "seg_id")), 123);
    assert_true(json_is_true(json_object_get(out, "flood")));
    json_decref(out);
}

static void
test_rconn_input(void **state)
{
    struct fx *f = *state;
    struct setup s;
    json_t *out;

    setup(f, 123, &s);
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw, "{\"seg_id\": 0}",
                                  &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: seg_id 0 is out of range (1 "
                  "through 16777215).");
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw,
                                  "{\"seg_id\": 16777216}", &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: seg_id 16777216 is out of "
                  "range (1 through 16777215).");
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw,
                                  "{\"seg_id\": \"abc\"}", &out),
                  CE_BAD_REQUEST,
                  "Invalid input for seg_id. Reason: 'abc' is not an "
                  "integer.");
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw,
                                  "{\"flood\": \"maybe\"}", &out),
                  CE_BAD_REQUEST,
                  "Invalid input for flood. Reason: 'maybe' is not a valid "
                  "boolean value.");
    /* Input is checked before anything is looked up. */
    fx_expect_err(f, rconn_create(f, NO_SUCH, s.net, s.rgw,
                                  "{\"flood\": 3}", &out),
                  CE_BAD_REQUEST,
                  "Invalid input for flood. Reason: '3' is not a valid "
                  "boolean value.");
    assert_int_equal(fx_count(f, "remote_gateway_connections"), 0);
}

static void
test_rconn_not_found(void **state)
{
    struct fx *f = *state;
    struct setup s;
    json_t *out;

    setup(f, 123, &s);
    fx_expect_err(f, rconn_create(f, NO_SUCH, s.net, s.rgw, NULL, &out),
                  CE_GATEWAY_NOT_FOUND,
                  "L2 Gateway " NO_SUCH " could not be found");
    fx_expect_err(f, rconn_create(f, "nameless", s.net, s.rgw, NULL, &out),
                  CE_GATEWAY_NOT_FOUND, "L2 Gateway nameless could not be found");
    fx_expect_err(f, rconn_create(f, s.gw, NO_SUCH, s.rgw, NULL, &out),
                  CE_NETWORK_NOT_FOUND,
                  "Network " NO_SUCH " could not be found.");
    fx_expect_err(f, rconn_create(f, s.gw, s.net, NO_SUCH, NULL, &out),
                  CE_REMOTE_GATEWAY_NOT_FOUND,
                  "The remote gateway " NO_SUCH " not found");
    fx_expect_err(f, rconn_create(f, s.gw, s.net, "", NULL, &out),
                  CE_REMOTE_GATEWAY_NOT_FOUND, "The remote gateway  not found");
    /* Gateways, then networks, then remote gateways. */
    fx_expect_err(f, rconn_create(f, NO_SUCH, NO_SUCH, NO_SUCH, NULL, &out),
                  CE_GATEWAY_NOT_FOUND,
                  "L2 Gateway " NO_SUCH " could not be found");
    fx_expect_err(f, rconn_create(f, s.gw, NO_SUCH, NO_SUCH, NULL, &out),
                  CE_NETWORK_NOT_FOUND,
                  "Network " NO_SUCH " could not be found.");
}

static void
test_rconn_ambiguous_name(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char r2[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    rgw(f, "far", "198.51.100.9", r2);
    fx_expect_err(f, rconn_create(f, s.gw, s.net, "far", NULL, &out),
                  CE_CONFLICT,
                  "Multiple remote gateways are named 'far': give the id");
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, r2, NULL, &out));
    json_decref(out);
}

static void
test_rconn_needs_local_connection(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char net2[ID_LEN], msg[256];
    json_t *out;

    setup(f, 123, &s);
    fx_network(f, 124, net2);
    snprintf(msg, sizeof msg,
             "Invalid input for operation: Network %s is not connected to "
             "L2 gateway %s.",
             net2, s.gw);
    fx_expect_err(f, rconn_create(f, s.gw, net2, s.rgw, NULL, &out),
                  CE_INVALID_INPUT, msg);
}

static void
test_rconn_exists(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], msg[512];
    json_t *out;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    snprintf(msg, sizeof msg,
             "Remote gateway connection %s already connects network %s of "
             "L2 gateway %s to remote gateway %s",
             id, s.net, s.gw, s.rgw);
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw,
                                  "{\"seg_id\": 999}", &out),
                  CE_REMOTE_CONNECTION_EXISTS, msg);
    assert_int_equal(fx_count(f, "remote_gateway_connections"), 1);
}

/* ---- per-locator key support ---- */

static const char *const UNKNOWN_FMT =
    "Switch %s does not support per-locator tunnel keys: no switch of that "
    "name is registered (it never connected to l2gwd), so it cannot "
    "advertise other_config:l2gw-per-locator-key=true; list it in [ovsdb] "
    "per_locator_key_switches if it does";
static const char *const SILENT_FMT =
    "Switch %s does not support per-locator tunnel keys: it does not "
    "advertise other_config:l2gw-per-locator-key=true; list it in [ovsdb] "
    "per_locator_key_switches if it does";

static void
test_support_unregistered(void **state)
{
    struct fx *f = *state;
    char gw[ID_LEN], net[ID_LEN], r[ID_LEN], msg[512];
    json_t *out;

    /* Registered while the connection is made, forgotten since. */
    local(f, "ghost", 123, gw, net);
    unregister(f, "ghost");
    rgw(f, "far", "198.51.100.7", r);
    snprintf(msg, sizeof msg, UNKNOWN_FMT, "ghost");
    fx_expect_err(f, rconn_create(f, gw, net, r, NULL, &out),
                  CE_REMOTE_UNSUPPORTED, msg);
    /* The operator vouches for it. */
    f->cfg.per_locator_key_switches = strdup("other, ghost ");
    fx_expect_ok(f, rconn_create(f, gw, net, r, NULL, &out));
    json_decref(out);
}

static void
test_support_registered(void **state)
{
    struct fx *f = *state;
    char gw[ID_LEN], net[ID_LEN], r[ID_LEN], msg[512];
    json_t *out;

    sw(f, "db1", "plain", "{}");
    sw(f, "db2", "plain", "{\"l2gw-per-locator-key\": \"false\"}");
    local(f, "db1/plain", 123, gw, net);
    rgw(f, "far", "198.51.100.7", r);
    snprintf(msg, sizeof msg, SILENT_FMT, "db1/plain");
    fx_expect_err(f, rconn_create(f, gw, net, r, NULL, &out),
                  CE_REMOTE_UNSUPPORTED, msg);
    /* A plain name that two databases answer to: every switch must
     * advertise; the first that does not is named. */
    char gw2[ID_LEN], net2[ID_LEN];
    sw(f, "db3", "both", YES);
    local(f, "both", 200, gw2, net2);
    /* db4's switch appears after the connection was made (while two
     * databases answer to the plain name, a connection is refused as
     * ambiguous). */
    sw(f, "db4", "both", "{\"other\": \"x\"}");
    snprintf(msg, sizeof msg, SILENT_FMT, "db4/both");
    fx_expect_err(f, rconn_create(f, gw2, net2, r, NULL, &out),
                  CE_REMOTE_UNSUPPORTED, msg);
    /* Listed by its qualified name. */
    f->cfg.per_locator_key_switches = strdup("db4/both,db1/plain");
    fx_expect_ok(f, rconn_create(f, gw2, net2, r, NULL, &out));
    json_decref(out);
    fx_expect_ok(f, rconn_create(f, gw, net, r, NULL, &out));
    json_decref(out);
}

static void
test_support_every_device(void **state)
{
    struct fx *f = *state;
    char gw[ID_LEN], net[ID_LEN], r[ID_LEN], msg[512];
    json_t *out;

    sw(f, "db1", "good", YES);
    sw(f, "db1", "bad", "{}");
    fx_gateway(f,
               "[{\"device_name\": \"good\", \"interfaces\": [{\"name\": "
               "\"p1\"}]}, {\"device_name\": \"bad\", \"interfaces\": "
               "[{\"name\": \"p1\"}]}]",
               gw);
    fx_network(f, 123, net);
    connect(f, gw, net);
    rgw(f, "far", "198.51.100.7", r);
    snprintf(msg, sizeof msg, SILENT_FMT, "db1/bad");
    fx_expect_err(f, rconn_create(f, gw, net, r, NULL, &out),
                  CE_REMOTE_UNSUPPORTED, msg);
}

/* ---- the key rule ---- */

static void
test_key_own_vni(void **state)
{
    struct fx *f = *state;
    struct setup s;
    json_t *out;

    setup(f, 123, &s);
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, s.rgw, "{\"seg_id\": 123}",
                                 &out));
    json_decref(out);
}

static void
test_key_other_vni_same_db(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char gw2[ID_LEN], net2[ID_LEN], msg[512];
    json_t *out;

    setup(f, 123, &s);
    /* Another gateway on another switch of the same database carries a
     * network with VNI 456. */
    sw(f, "db1", "swc", YES);
    local(f, "swc", 456, gw2, net2);
    snprintf(msg, sizeof msg,
             "Segmentation id 456 is already in use on switch database db1: "
             "it is the VNI of network %s",
             net2);
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw, "{\"seg_id\": 456}",
                                  &out),
                  CE_REMOTE_SEGID_IN_USE, msg);
    /* And the reverse: that network's own WAN key may be its VNI. */
    fx_expect_ok(f, rconn_create(f, gw2, net2, s.rgw, NULL, &out));
    json_decref(out);
}

static void
test_key_other_db_is_free(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char gw2[ID_LEN], net2[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    sw(f, "db2", "swd", YES);
    local(f, "swd", 456, gw2, net2);
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, s.rgw, "{\"seg_id\": 456}",
                                 &out));
    json_decref(out);
}

static void
test_key_other_wan_key(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char net2[ID_LEN], msg[512];
    json_t *out;

    setup(f, 123, &s);
    fx_network(f, 124, net2);
    /* On VLAN 5 of the port: VLAN 0 there is s.net's. */
    connect_vlan(f, s.gw, net2, 5);
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, s.rgw, "{\"seg_id\": 777}",
                                 &out));
    json_decref(out);
    snprintf(msg, sizeof msg,
             "Segmentation id 777 is already in use on switch database db1: "
             "it is the WAN key of network %s",
             s.net);
    fx_expect_err(f, rconn_create(f, s.gw, net2, s.rgw, "{\"seg_id\": 777}",
                                  &out),
                  CE_REMOTE_SEGID_IN_USE, msg);
    /* The same network may use the same key towards another gateway. */
    char r2[ID_LEN];
    rgw(f, "far2", "198.51.100.9", r2);
    fx_expect_ok(f, rconn_create(f, s.gw, s.net, r2, "{\"seg_id\": 777}",
                                 &out));
    json_decref(out);
    /* A local connection may not bring VNI 777 to that database either. */
    snprintf(msg, sizeof msg,
             "Segmentation id 777 is already in use on switch database db1: "
             "it is the WAN key of network %s",
             s.net);
    fx_expect_err(f, border_check_local_vni(f->core, s.gw, net2, 777,
                                            &f->err),
                  CE_REMOTE_SEGID_IN_USE, msg);
    fx_expect_ok(f, border_check_local_vni(f->core, s.gw, s.net, 777,
                                           &f->err));
    fx_expect_ok(f, border_check_local_vni(f->core, s.gw, net2, 778,
                                           &f->err));
}

static void
test_key_reported_logical_switch(void **state)
{
    struct fx *f = *state;
    struct setup s;
    json_t *out;
    const char *params[] = {"db1", "u1", "foreign"};

    setup(f, 123, &s);
    assert_int_equal(store_run(f->st,
                               "INSERT INTO switch_logical_switches "
                               "(ovsdb_identifier, uuid, name, tunnel_key) "
                               "VALUES (?, ?, ?, 5000)",
                               params, 3),
                     1);
    fx_expect_err(f, rconn_create(f, s.gw, s.net, s.rgw, "{\"seg_id\": 5000}",
                                  &out),
                  CE_REMOTE_SEGID_IN_USE,
                  "Segmentation id 5000 is already in use on switch database "
                  "db1: it is the key of Logical_Switch foreign");
}

/* Unregistered devices (listed by the operator) stand for a database of
 * their own, shared by every gateway naming them. */
static void
test_key_unregistered_device(void **state)
{
    struct fx *f = *state;
    char gw1[ID_LEN], net1[ID_LEN], gw2[ID_LEN], net2[ID_LEN], r[ID_LEN];
    char gw3[ID_LEN], net3[ID_LEN], msg[512];
    json_t *out;

    f->cfg.per_locator_key_switches = strdup("edge,edge2");
    local(f, "edge", 100, gw1, net1);
    /* Same port of "edge": its own VLAN (VLAN 0 there is net1's). */
    gateway(f, "edge", gw2);
    fx_network(f, 200, net2);
    connect_vlan(f, gw2, net2, 5);
    local(f, "edge2", 300, gw3, net3);
    /* Registered while connected, forgotten since: unregistered now. */
    unregister(f, "edge");
    unregister(f, "edge2");
    rgw(f, "far", "198.51.100.7", r);
    fx_expect_ok(f, rconn_create(f, gw1, net1, r, "{\"seg_id\": 9}", &out));
    json_decref(out);
    snprintf(msg, sizeof msg,
             "Segmentation id 9 is already in use on switch edge: it is the "
             "WAN key of network %s",
             net1);
    fx_expect_err(f, rconn_create(f, gw2, net2, r, "{\"seg_id\": 9}", &out),
                  CE_REMOTE_SEGID_IN_USE, msg);
    snprintf(msg, sizeof msg,
             "Segmentation id 100 is already in use on switch edge: it is "
             "the VNI of network %s",
             net1);
    fx_expect_err(f, rconn_create(f, gw2, net2, r, "{\"seg_id\": 100}", &out),
                  CE_REMOTE_SEGID_IN_USE, msg);
    fx_expect_ok(f, rconn_create(f, gw3, net3, r, "{\"seg_id\": 9}", &out));
    json_decref(out);
}

/* ---- remote connections: update, delete ---- */

static void
test_rconn_update(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], gw2[ID_LEN], net2[ID_LEN], msg[512];
    json_t *out;

    setup(f, 123, &s);
    sw(f, "db1", "swc", YES);
    local(f, "swc", 456, gw2, net2);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    assert_int_equal(store_run(f->st,
                               "UPDATE remote_gateway_connections SET status "
                               "= 'ACTIVE'",
                               NULL, 0),
                     1);
    fx_clear_events(f);
    /* Nothing changes: no event, status kept. */
    fx_expect_ok(f, rconn_update(f, id, "{\"seg_id\": 123, \"flood\": true}",
                                 &out));
    assert_string_equal(ju_str(out, "status"), "ACTIVE");
    json_decref(out);
    assert_int_equal(f->n_events, 0);
    fx_expect_ok(f, rconn_update(f, id, "{\"flood\": \"False\"}", &out));
    assert_true(json_is_false(json_object_get(out, "flood")));
    assert_int_equal(json_integer_value(json_object_get(out, "seg_id")), 123);
    assert_string_equal(ju_str(out, "status"), "PENDING");
    json_decref(out);
    expect_event(f, 0, id, s.net);
    fx_expect_ok(f, rconn_update(f, id, "{\"seg_id\": \"4242\"}", &out));
    assert_int_equal(json_integer_value(json_object_get(out, "seg_id")), 4242);
    assert_true(json_is_false(json_object_get(out, "flood")));
    json_decref(out);
    snprintf(msg, sizeof msg,
             "Segmentation id 456 is already in use on switch database db1: "
             "it is the VNI of network %s",
             net2);
    fx_expect_err(f, rconn_update(f, id, "{\"seg_id\": 456}", &out),
                  CE_REMOTE_SEGID_IN_USE, msg);
    fx_expect_err(f, rconn_update(f, id, "{\"seg_id\": -1}", &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: seg_id -1 is out of range (1 "
                  "through 16777215).");
    /* null: back to the defaults. */
    fx_expect_ok(f, rconn_update(f, id, "{\"seg_id\": null, \"flood\": null}",
                                 &out));
    assert_int_equal(json_integer_value(json_object_get(out, "seg_id")), 123);
    assert_true(json_is_true(json_object_get(out, "flood")));
    json_decref(out);
    fx_expect_err(f, rconn_update(f, NO_SUCH, "{}", &out),
                  CE_REMOTE_CONNECTION_NOT_FOUND,
                  "The remote gateway connection " NO_SUCH " not found");
}

static void
test_rconn_delete(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    fx_expect_ok(f, mac_create(f, id, "02:00:00:00:00:01", NULL, &out));
    json_decref(out);
    fx_expect_ok(f, mac_create(f, id, "02:00:00:00:00:02", "10.0.0.2", &out));
    json_decref(out);
    assert_int_equal(fx_count(f, "network_macs"), 2);
    fx_clear_events(f);
    fx_expect_ok(f, border_rconn_delete(f->core, id, &f->err));
    expect_event(f, 0, id, s.net);
    assert_int_equal(fx_count(f, "remote_gateway_connections"), 0);
    assert_int_equal(fx_count(f, "remote_macs"), 0);
    assert_int_equal(fx_count(f, "network_macs"), 0);
    char msg[256];
    snprintf(msg, sizeof msg, "The remote gateway connection %s not found",
             id);
    fx_expect_err(f, border_rconn_delete(f->core, id, &f->err),
                  CE_REMOTE_CONNECTION_NOT_FOUND, msg);
}

static void
test_rconn_delete_not_found_message(void **state)
{
    struct fx *f = *state;

    fx_expect_err(f, border_rconn_delete(f->core, "x", &f->err),
                  CE_REMOTE_CONNECTION_NOT_FOUND,
                  "The remote gateway connection x not found");
}

/* ---- what depends on a remote connection ---- */

static void
test_dependents_refuse_delete(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], conn[ID_LEN], msg[512];
    struct store_stmt *st;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    assert_int_equal(store_prepare(f->st, "SELECT id FROM connections", &st),
                     0);
    assert_int_equal(store_step(st), 1);
    snprintf(conn, sizeof conn, "%s", store_col_text(st, 0));
    store_reset(st);

    snprintf(msg, sizeof msg,
             "The connection %s is used by remote gateway connection %s: "
             "delete the remote gateway connections of this gateway and "
             "network first",
             conn, id);
    fx_expect_err(f, connection_delete(f->core, conn, &f->err),
                  CE_REMOTE_CONNECTION_EXISTS, msg);
    snprintf(msg, sizeof msg,
             "Unable to complete operation on network %s. There are one or "
             "more remote gateway connections still in use on the network.",
             s.net);
    fx_expect_err(f, network_delete(f->core, s.net, &f->err),
                  CE_NETWORK_IN_USE, msg);
    snprintf(msg, sizeof msg,
             "L2 Gateway '%s' still has active mappings with one or more "
             "neutron networks.",
             s.gw);
    fx_expect_err(f, gateway_delete(f->core, s.gw, &f->err),
                  CE_GATEWAY_IN_USE, msg);
    assert_int_equal(fx_count(f, "connections"), 1);
    assert_int_equal(fx_count(f, "networks"), 1);

    fx_expect_ok(f, border_rconn_delete(f->core, id, &f->err));
    fx_expect_ok(f, connection_delete(f->core, conn, &f->err));
    fx_expect_ok(f, network_delete(f->core, s.net, &f->err));
    fx_expect_ok(f, gateway_delete(f->core, s.gw, &f->err));
}

/* ---- remote MACs ---- */

static void
test_mac_create(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    fx_clear_events(f);
    fx_expect_ok(f, mac_create(f, id, "02:AB:cd:00:00:01", "10.0.0.1", &out));
    assert_true(uuid_is_valid(ju_str(out, "id")));
    assert_string_equal(ju_str(out, "mac"), "02:ab:cd:00:00:01");
    assert_string_equal(ju_str(out, "ipaddr"), "10.0.0.1");
    assert_string_equal(ju_str(out, "rgw_connection"), id);
    assert_string_equal(ju_str(out, "tenant_id"), "p1");
    expect_event(f, 0, id, s.net);
    json_decref(out);
    fx_expect_ok(f, mac_create(f, id, "02-ab-cd-00-00-02", "", &out));
    assert_string_equal(ju_str(out, "mac"), "02:ab:cd:00:00:02");
    assert_string_equal(ju_str(out, "ipaddr"), "");
    json_decref(out);
    fx_expect_ok(f, mac_create(f, id, "02:ab:cd:00:00:03", NULL, &out));
    assert_string_equal(ju_str(out, "ipaddr"), "");
    json_decref(out);
    assert_int_equal(fx_count(f, "remote_macs"), 3);
    assert_int_equal(fx_count(f, "network_macs"), 3);
}

static void
test_mac_input(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    fx_expect_err(f, mac_create(f, id, "ff:ff:ff:ff:ff:ff", NULL, &out),
                  CE_BAD_REQUEST,
                  "Invalid input for mac. Reason: 'ff:ff:ff:ff:ff:ff' is not "
                  "a unicast MAC address (multicast and broadcast addresses "
                  "cannot be remote hosts).");
    fx_expect_err(f, mac_create(f, id, "01:00:5e:00:00:01", NULL, &out),
                  CE_BAD_REQUEST,
                  "Invalid input for mac. Reason: '01:00:5e:00:00:01' is not "
                  "a unicast MAC address (multicast and broadcast addresses "
                  "cannot be remote hosts).");
    fx_expect_err(f, mac_create(f, id, "00:00:00:00:00:00", NULL, &out),
                  CE_BAD_REQUEST,
                  "Invalid input for mac. Reason: '00:00:00:00:00:00' is not "
                  "a valid MAC address.");
    fx_expect_err(f, mac_create(f, id, "02:00:00:00:00", NULL, &out),
                  CE_BAD_REQUEST,
                  "Invalid input for mac. Reason: '02:00:00:00:00' is not a "
                  "valid MAC address.");
    fx_expect_err(f, mac_create(f, id, "02:00:00-00:00:01", NULL, &out),
                  CE_BAD_REQUEST,
                  "Invalid input for mac. Reason: '02:00:00-00:00:01' is not "
                  "a valid MAC address.");
    fx_expect_err(f, mac_create(f, id, "02:00:00:00:00:01", "2001:db8::1",
                                &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: ipaddr '2001:db8::1' is not "
                  "an IPv4 address (tunnel endpoints are IPv4).");
    fx_expect_err(f, mac_create(f, NO_SUCH, "02:00:00:00:00:01", NULL, &out),
                  CE_REMOTE_CONNECTION_NOT_FOUND,
                  "The remote gateway connection " NO_SUCH " not found");
    assert_int_equal(fx_count(f, "remote_macs"), 0);
    assert_int_equal(fx_count(f, "network_macs"), 0);
}

/* A MAC is used once per network: by a remote MAC, a port or an address
 * pair; and a port cannot take a remote MAC's address. */
static void
test_mac_unique_in_network(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], r2[ID_LEN], id2[ID_LEN], msg[512];
    json_t *out, *port = NULL;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    rgw(f, "far2", "198.51.100.9", r2);
    rconn(f, s.gw, s.net, r2, NULL, id2);
    fx_expect_ok(f, mac_create(f, id, "02:00:00:00:00:01", NULL, &out));
    snprintf(msg, sizeof msg,
             "The MAC address 02:00:00:00:00:01 is already used in network "
             "%s by remote MAC %s",
             s.net, ju_str(out, "id"));
    json_decref(out);
    fx_expect_err(f, mac_create(f, id2, "02:00:00:00:00:01", NULL, &out),
                  CE_REMOTE_MAC_EXISTS, msg);

    json_t *attrs = json_pack(
        "{s:s, s:s, s:[{s:s, s:s}]}", "network_id", s.net, "mac_address",
        "fa:16:3e:00:00:01", "allowed_address_pairs", "ip_address",
        "10.0.0.9", "mac_address", "fa:16:3e:00:00:02");
    fx_expect_ok(f, port_create(f->core, attrs, &port, &f->err));
    json_decref(attrs);
    snprintf(msg, sizeof msg,
             "The MAC address fa:16:3e:00:00:01 is already used in network "
             "%s by port %s",
             s.net, ju_str(port, "id"));
    fx_expect_err(f, mac_create(f, id, "FA:16:3E:00:00:01", NULL, &out),
                  CE_REMOTE_MAC_EXISTS, msg);
    snprintf(msg, sizeof msg,
             "The MAC address fa:16:3e:00:00:02 is already used in network "
             "%s by an address pair of port %s",
             s.net, ju_str(port, "id"));
    fx_expect_err(f, mac_create(f, id, "fa:16:3e:00:00:02", NULL, &out),
                  CE_REMOTE_MAC_EXISTS, msg);
    json_decref(port);

    attrs = json_pack("{s:s, s:s}", "network_id", s.net, "mac_address",
                      "02:00:00:00:00:01");
    assert_true(port_create(f->core, attrs, &port, &f->err) < 0);
    assert_int_equal(f->err.code, CE_MAC_IN_USE);
    json_decref(attrs);

    /* Another network may use the same MAC. */
    char gw2[ID_LEN], net2[ID_LEN], id3[ID_LEN];
    sw(f, "db2", "swd", YES);
    local(f, "swd", 500, gw2, net2);
    rconn(f, gw2, net2, s.rgw, NULL, id3);
    fx_expect_ok(f, mac_create(f, id3, "02:00:00:00:00:01", NULL, &out));
    json_decref(out);
}

static json_t *
bulk_items(const char *conn, int n, int dup_at)
{
    json_t *items = json_array();
    char mac[18];

    for (int i = 0; i < n; i++) {
        int k = i == dup_at ? 0 : i;
        snprintf(mac, sizeof mac, "02:00:%02x:%02x:%02x:01", (k >> 16) & 255,
                 (k >> 8) & 255, k & 255);
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s}", "mac", mac,
                                        "rgw_connection", conn, "project_id",
                                        "p1"));
    }
    return items;
}

static void
test_mac_bulk(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], id2[ID_LEN], r2[ID_LEN];
    json_t *out = NULL;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    rgw(f, "far2", "198.51.100.9", r2);
    rconn(f, s.gw, s.net, r2, NULL, id2);
    fx_clear_events(f);

    /* All or nothing: the duplicate at the end undoes the rest. */
    json_t *items = bulk_items(id, 100, 99);
    char prefix[256];
    snprintf(prefix, sizeof prefix,
             "The MAC address 02:00:00:00:00:01 is already used in network "
             "%s by remote MAC ",
             s.net);
    assert_true(border_mac_create_bulk(f->core, items, &out, &f->err) < 0);
    assert_int_equal(f->err.code, CE_REMOTE_MAC_EXISTS);
    assert_memory_equal(f->err.msg, prefix, strlen(prefix));
    f->err.code = CE_NONE;
    json_decref(items);
    assert_int_equal(fx_count(f, "remote_macs"), 0);
    assert_int_equal(fx_count(f, "network_macs"), 0);
    assert_int_equal(f->n_events, 0);

    items = bulk_items(id, BORDER_MAX_BULK_MACS + 1, -1);
    fx_expect_err(f, border_mac_create_bulk(f->core, items, &out, &f->err),
                  CE_BAD_REQUEST,
                  "Bulk request holds more than 10000 resources");
    json_decref(items);
    items = json_array();
    fx_expect_err(f, border_mac_create_bulk(f->core, items, &out, &f->err),
                  CE_BAD_REQUEST, "Resources required");
    json_decref(items);

    /* The largest bulk, over two connections: one event each. */
    items = bulk_items(id, BORDER_MAX_BULK_MACS, -1);
    json_object_set_new(json_array_get(items, 5000), "rgw_connection",
                        json_string(id2));
    fx_expect_ok(f, border_mac_create_bulk(f->core, items, &out, &f->err));
    json_decref(items);
    assert_int_equal(json_array_size(out), BORDER_MAX_BULK_MACS);
    assert_string_equal(ju_str(json_array_get(out, 1), "mac"),
                        "02:00:00:00:01:01");
    assert_string_equal(ju_str(json_array_get(out, 5000), "rgw_connection"),
                        id2);
    json_decref(out);
    assert_int_equal(fx_count(f, "remote_macs"), BORDER_MAX_BULK_MACS);
    assert_int_equal(fx_count(f, "network_macs"), BORDER_MAX_BULK_MACS);
    assert_int_equal(f->n_events, 2);
    expect_event(f, 0, id, s.net);
    expect_event(f, 1, id2, s.net);
}

static void
test_mac_delete(void **state)
{
    struct fx *f = *state;
    struct setup s;
    char id[ID_LEN], mac[ID_LEN];
    json_t *out;

    setup(f, 123, &s);
    rconn(f, s.gw, s.net, s.rgw, NULL, id);
    fx_expect_ok(f, mac_create(f, id, "02:00:00:00:00:01", NULL, &out));
    snprintf(mac, sizeof mac, "%s", ju_str(out, "id"));
    json_decref(out);
    fx_clear_events(f);
    fx_expect_ok(f, border_mac_delete(f->core, mac, &f->err));
    expect_event(f, 0, id, s.net);
    assert_int_equal(fx_count(f, "remote_macs"), 0);
    assert_int_equal(fx_count(f, "network_macs"), 0);
    char msg[256];
    snprintf(msg, sizeof msg, "The remote MAC %s not found", mac);
    fx_expect_err(f, border_mac_delete(f->core, mac, &f->err),
                  CE_REMOTE_MAC_NOT_FOUND, msg);
    fx_expect_err(f, border_mac_delete(f->core, "zz", &f->err),
                  CE_REMOTE_MAC_NOT_FOUND, "The remote MAC zz not found");
    /* The MAC is free again. */
    fx_expect_ok(f, mac_create(f, id, "02:00:00:00:00:01", NULL, &out));
    json_decref(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rgw_create, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rgw_ipv4_only, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rgw_update, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rgw_delete_in_use, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_create_defaults, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_create_by_name_and_forms,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_input, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_not_found, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_ambiguous_name, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_needs_local_connection,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_exists, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_support_unregistered, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_support_registered, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_support_every_device, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_key_own_vni, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_key_other_vni_same_db, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_key_other_db_is_free, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_key_other_wan_key, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_key_reported_logical_switch,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_key_unregistered_device,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_update, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_delete, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_rconn_delete_not_found_message,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_dependents_refuse_delete,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mac_create, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_mac_input, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_mac_unique_in_network, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_mac_bulk, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mac_delete, fx_setup,
                                        fx_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
