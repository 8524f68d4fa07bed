/* Unit tests of core/gateway: devices validation (every reason of api.md,
 * in order), VLAN parsing, rendering, update rules, delete, events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/connection.h"
#include "core/gateway.h"
#include "fixture.h"
#include "lib/jsonutil.h"
#include "store/store.h"

#define DEV_REASON(R) "Invalid input for devices. Reason: " R "."

/* Creates a gateway with 'devices' (JSON text) and returns the result. */
static int
create(struct fx *f, const char *devices, json_t **out)
{
    json_t *attrs = json_pack("{s:s, s:o, s:s}", "name", "gw1", "devices",
                              fx_json(devices), "project_id", "p1");
    *out = NULL;
    int rc = gateway_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
expect_create_err(struct fx *f, const char *devices, enum core_error code,
                  const char *msg)
{
    json_t *out;

    fx_expect_err(f, create(f, devices, &out), code, msg);
    assert_null(out);
    assert_int_equal(fx_count(f, "gateways"), 0);
    assert_int_equal(fx_count(f, "gateway_devices"), 0);
    assert_int_equal(fx_count(f, "gateway_interfaces"), 0);
    assert_int_equal(fx_count(f, "interface_vlans"), 0);
    assert_int_equal(f->n_events, 0);
}

/* Asserts 'v' serialises (sorted keys) to 'expected' JSON text. */
static void
assert_json(const json_t *v, const char *expected)
{
    json_t *e = fx_json(expected);
    char *a = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
    char *b = json_dumps(e, JSON_SORT_KEYS | JSON_COMPACT);

    if (!json_equal(v, e)) {
        fail_msg("JSON differs:\n got      %s\n expected %s", a, b);
    }
    free(a);
    free(b);
    json_decref(e);
}

/* Replaces the device ids of a rendered gateway by "D" for comparisons. */
static void
mask_device_ids(json_t *gw)
{
    size_t i;
    json_t *d;

    json_array_foreach(json_object_get(gw, "devices"), i, d) {
        assert_true(uuid_is_valid(json_string_value(json_object_get(d, "id"))));
        json_object_set_new(d, "id", json_string("D"));
    }
}

static void
test_create_renders(void **state)
{
    struct fx *f = *state;
    json_t *out;

    fx_expect_ok(f, create(f,
                           "[{\"device_name\": \"sw1\", \"interfaces\": "
                           "[{\"name\": \"p1\", \"segmentation_id\": "
                           "[\"100\", 200, \"0\"]}, {\"name\": \"p2\", "
                           "\"segmentation_id\": [5]}]}, {\"device_name\": "
                           "\"sw2\", \"extra\": 1, \"interfaces\": "
                           "[{\"name\": \"p9\", \"other\": true}]}]",
                           &out));
    const char *id = json_string_value(json_object_get(out, "id"));
    assert_true(uuid_is_valid(id));
    json_t *copy = json_deep_copy(out);
    json_object_del(copy, "id");
    mask_device_ids(copy);
    assert_json(copy,
                "{\"name\": \"gw1\", \"tenant_id\": \"p1\", \"project_id\": "
                "\"p1\", \"devices\": [{\"id\": \"D\", \"device_name\": "
                "\"sw1\", \"interfaces\": [{\"name\": \"p1\", "
                "\"segmentation_id\": [\"100\", \"200\", \"0\"]}, {\"name\": "
                "\"p2\", \"segmentation_id\": [\"5\"]}]}, {\"id\": \"D\", "
                "\"device_name\": \"sw2\", \"interfaces\": [{\"name\": "
                "\"p9\", \"segmentation_id\": []}]}]}");
    json_decref(copy);

    /* Event after the commit. */
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_GATEWAY);
    assert_string_equal(f->events[0].id, id);
    assert_true(f->events[0].committed);

    /* Show renders the same object from the store. */
    json_t *shown = NULL;
    fx_expect_ok(f, gateway_get(f->core, id, &shown, &f->err));
    assert_true(json_equal(shown, out));
    json_decref(shown);
    json_decref(out);
}

static void
test_order_kept(void **state)
{
    struct fx *f = *state;
    const char *devs =
        "[{\"device_name\": \"zeta\", \"interfaces\": [{\"name\": \"z\", "
        "\"segmentation_id\": [9, 3, 7]}, {\"name\": \"a\", "
        "\"segmentation_id\": [1]}]}, {\"device_name\": \"alpha\", "
        "\"interfaces\": [{\"name\": \"y\"}, {\"name\": \"b\"}]}, "
        "{\"device_name\": \"mid\", \"interfaces\": [{\"name\": \"m\"}]}]";
    char id[UUID_STRLEN + 1];
    json_t *shown;

    fx_gateway(f, devs, id);
    fx_expect_ok(f, gateway_get(f->core, id, &shown, &f->err));
    mask_device_ids(shown);
    assert_json(json_object_get(shown, "devices"),
                "[{\"id\": \"D\", \"device_name\": \"zeta\", \"interfaces\": "
                "[{\"name\": \"z\", \"segmentation_id\": [\"9\", \"3\", "
                "\"7\"]}, {\"name\": \"a\", \"segmentation_id\": [\"1\"]}]}, "
                "{\"id\": \"D\", \"device_name\": \"alpha\", \"interfaces\": "
                "[{\"name\": \"y\", \"segmentation_id\": []}, {\"name\": \"b\", "
                "\"segmentation_id\": []}]}, {\"id\": \"D\", \"device_name\": "
                "\"mid\", \"interfaces\": [{\"name\": \"m\", "
                "\"segmentation_id\": []}]}]");
    json_decref(shown);
}

static void
test_render_list_rows(void **state)
{
    struct fx *f = *state;
    char ids[70][UUID_STRLEN + 1];

    /* More than one IN chunk (DB_IN_MAX = 64). */
    for (int i = 0; i < 70; i++) {
        char devs[128];
        snprintf(devs, sizeof devs,
                 "[{\"device_name\": \"sw%d\", \"interfaces\": [{\"name\": "
                 "\"p\", \"segmentation_id\": [%d]}]}]",
                 i, i);
        fx_gateway(f, devs, ids[i]);
    }
    json_t *rows = json_array();
    for (int i = 69; i >= 0; i--) {
        json_array_append_new(rows, json_pack("{s:s, s:s}", "id", ids[i],
                                              "project_id", "p1"));
    }
    fx_expect_ok(f, gateway_render(f->core, rows, &f->err));
    for (int i = 0; i < 70; i++) {
        json_t *row = json_array_get(rows, (size_t) (69 - i));
        char name[16], vlan[16];
        snprintf(name, sizeof name, "sw%d", i);
        snprintf(vlan, sizeof vlan, "%d", i);
        json_t *dev = json_array_get(json_object_get(row, "devices"), 0);
        assert_int_equal(json_array_size(json_object_get(row, "devices")), 1);
        assert_string_equal(ju_str(dev, "device_name"), name);
        json_t *ifc = json_array_get(json_object_get(dev, "interfaces"), 0);
        assert_string_equal(
            json_string_value(
                json_array_get(json_object_get(ifc, "segmentation_id"), 0)),
            vlan);
        assert_string_equal(ju_str(row, "tenant_id"), "p1");
    }
    json_decref(rows);
}

static void
test_devices_reasons(void **state)
{
    static const struct {
        const char *devices;
        enum core_error code;
        const char *msg;
    } cases[] = {
        {"null", CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty device list")},
        {"[]", CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty device list")},
        {"\"sw1\"", CE_BAD_REQUEST,
         DEV_REASON("devices format is not a type list of dicts")},
        {"{\"device_name\": \"sw1\"}", CE_BAD_REQUEST,
         DEV_REASON("devices format is not a type list of dicts")},
        {"5", CE_BAD_REQUEST,
         DEV_REASON("devices format is not a type list of dicts")},
        {"[\"sw1\"]", CE_BAD_REQUEST,
         DEV_REASON("devices format is not a type list of dicts")},
        {"[{\"interfaces\": [{\"name\": \"p\"}]}]", CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty device_name")},
        {"[{\"device_name\": \"\", \"interfaces\": [{\"name\": \"p\"}]}]",
         CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty device_name")},
        {"[{\"device_name\": \"sw1\"}]", CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty interfaces")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": []}]", CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty interfaces")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": \"p1\"}]",
         CE_BAD_REQUEST,
         DEV_REASON("interfaces format is not a type list of dicts")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [\"p1\"]}]",
         CE_BAD_REQUEST, DEV_REASON("interfaces format is not a type dict")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"\"}]}]",
         CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty interface name")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{}]}]", CE_BAD_REQUEST,
         DEV_REASON("Cannot create a gateway with an empty interface name")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p\", "
         "\"segmentation_id\": \"100\"}]}]",
         CE_BAD_REQUEST,
         DEV_REASON("segmentation_id type should be of list type ")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p\", "
         "\"segmentation_id\": []}]}]",
         CE_BAD_REQUEST, DEV_REASON("segmentation_id_list should not be empty")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p\", "
         "\"segmentation_id\": null}]}]",
         CE_BAD_REQUEST, DEV_REASON("segmentation_id_list should not be empty")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p\"}]}, "
         "{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p\"}]}]",
         CE_BAD_REQUEST, DEV_REASON("duplicate device_name sw1")},
        {"[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p\"}, "
         "{\"name\": \"p\"}]}]",
         CE_BAD_REQUEST, DEV_REASON("duplicate interface name p")},
    };
    struct fx *f = *state;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        expect_create_err(f, cases[i].devices, cases[i].code, cases[i].msg);
    }
}

static void
test_vlan_values(void **state)
{
    static const char *const bad_int[] = {"\"abc\"", "1.5", "true", "null",
                                          "\"\"", "[1]", "\"10a\""};
    static const char *const out_of_range[] = {"4095", "\"4095\"", "-1",
                                               "\"-1\"", "100000"};
    struct fx *f = *state;
    char devs[256];
    json_t *out;

    for (size_t i = 0; i < sizeof bad_int / sizeof *bad_int; i++) {
        snprintf(devs, sizeof devs,
                 "[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": "
                 "\"p\", \"segmentation_id\": [100, %s]}]}]",
                 bad_int[i]);
        expect_create_err(f, devs, CE_INVALID_INPUT,
                          "Invalid input for operation: Segmentation id must "
                          "be a valid integer.");
    }
    for (size_t i = 0; i < sizeof out_of_range / sizeof *out_of_range; i++) {
        snprintf(devs, sizeof devs,
                 "[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": "
                 "\"p\", \"segmentation_id\": [%s]}]}]",
                 out_of_range[i]);
        expect_create_err(f, devs, CE_INVALID_INPUT,
                          "Invalid input for operation: Segmentation id is "
                          "out of range.");
    }
    fx_expect_ok(f, create(f,
                           "[{\"device_name\": \"sw1\", \"interfaces\": "
                           "[{\"name\": \"p\", \"segmentation_id\": "
                           "[\"4094\", 0, \"007\"]}]}]",
                           &out));
    json_t *vlans = json_object_get(
        json_array_get(json_object_get(json_array_get(json_object_get(out,
                                                                      "devices"),
                                                      0),
                                       "interfaces"),
                       0),
        "segmentation_id");
    assert_json(vlans, "[\"4094\", \"0\", \"7\"]");
    json_decref(out);
}

static void
test_consistency(void **state)
{
    struct fx *f = *state;
    json_t *out;
    const char *msg = "L2 gateway segmentation id must be consistent for all "
                      "the interfaces";

    expect_create_err(f,
                      "[{\"device_name\": \"sw1\", \"interfaces\": "
                      "[{\"name\": \"p1\", \"segmentation_id\": [1]}, "
                      "{\"name\": \"p2\"}]}]",
                      CE_SEGMENTATION_REQUIRED, msg);
    expect_create_err(f,
                      "[{\"device_name\": \"sw1\", \"interfaces\": "
                      "[{\"name\": \"p1\"}, {\"name\": \"p2\", "
                      "\"segmentation_id\": [1]}]}]",
                      CE_SEGMENTATION_REQUIRED, msg);
    /* Every 400 comes before the 409, whatever the device order. */
    expect_create_err(f,
                      "[{\"device_name\": \"sw1\", \"interfaces\": "
                      "[{\"name\": \"p1\"}, {\"name\": \"p2\", "
                      "\"segmentation_id\": [1]}]}, {\"device_name\": "
                      "\"sw2\", \"interfaces\": [{\"name\": \"p1\", "
                      "\"segmentation_id\": [\"x\"]}]}]",
                      CE_INVALID_INPUT,
                      "Invalid input for operation: Segmentation id must be "
                      "a valid integer.");
    /* Devices may differ from each other. */
    fx_expect_ok(f, create(f,
                           "[{\"device_name\": \"sw1\", \"interfaces\": "
                           "[{\"name\": \"p1\", \"segmentation_id\": [1]}]}, "
                           "{\"device_name\": \"sw2\", \"interfaces\": "
                           "[{\"name\": \"p1\"}]}]",
                           &out));
    json_decref(out);
}

static void
test_limits(void **state)
{
    struct fx *f = *state;
    json_t *devs = json_array();
    json_t *out = NULL;

    for (int i = 0; i <= GATEWAY_MAX_DEVICES; i++) {
        char name[16];
        snprintf(name, sizeof name, "sw%d", i);
        json_array_append_new(devs, json_pack("{s:s, s:[{s:s}]}",
                                              "device_name", name,
                                              "interfaces", "name", "p"));
    }
    json_t *attrs = json_pack("{s:o}", "devices", devs);
    fx_expect_err(f, gateway_create(f->core, attrs, &out, &f->err),
                  CE_BAD_REQUEST, DEV_REASON("more than 256 devices"));
    json_decref(attrs);
    attrs = json_pack("{s:s, s:[]}", "name", "", "devices");
    json_t *long_name = json_string(
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    json_object_set_new(attrs, "name", long_name);
    fx_expect_err(f, gateway_create(f->core, attrs, &out, &f->err),
                  CE_BAD_REQUEST,
                  "Invalid input for name. Reason: string exceeds maximum "
                  "length of 255.");
    json_decref(attrs);
}

/* ---- update ---- */

static int
update(struct fx *f, const char *id, const char *attrs_text, json_t **out)
{
    json_t *attrs = fx_json(attrs_text);
    *out = NULL;
    int rc = gateway_update(f->core, id, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static const char *const TWO_DEVICES =
    "[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p1\", "
    "\"segmentation_id\": [10]}]}, {\"device_name\": \"sw2\", "
    "\"interfaces\": [{\"name\": \"q1\"}]}]";

static void
test_update_name(void **state)
{
    struct fx *f = *state;
    char id[UUID_STRLEN + 1];
    json_t *out;

    fx_gateway(f, TWO_DEVICES, id);
    fx_clear_events(f);
    /* Empty body keeps the name (Deviation: the reference nulls it). */
    fx_expect_ok(f, update(f, id, "{}", &out));
    assert_string_equal(ju_str(out, "name"), "gw");
    json_decref(out);
    fx_expect_ok(f, update(f, id, "{\"name\": \"renamed\"}", &out));
    assert_string_equal(ju_str(out, "name"), "renamed");
    assert_int_equal(json_array_size(json_object_get(out, "devices")), 2);
    json_decref(out);
    assert_int_equal(f->n_events, 2);
    assert_int_equal(f->events[1].kind, EVENT_GATEWAY);
    assert_string_equal(f->events[1].id, id);
    assert_true(f->events[1].committed);
}

static void
test_update_devices(void **state)
{
    struct fx *f = *state;
    char id[UUID_STRLEN + 1];
    json_t *out, *before;

    fx_gateway(f, TWO_DEVICES, id);
    fx_expect_ok(f, gateway_get(f->core, id, &before, &f->err));
    fx_expect_ok(f, update(f, id,
                           "{\"devices\": [{\"device_name\": \"sw1\", "
                           "\"interfaces\": [{\"name\": \"p7\", "
                           "\"segmentation_id\": [\"7\", 8]}, {\"name\": "
                           "\"p8\", \"segmentation_id\": [9]}]}]}",
                           &out));
    json_t *devs = json_object_get(out, "devices");
    json_t *sw1 = json_array_get(devs, 0);
    /* The device keeps its id; its interfaces are replaced. */
    assert_string_equal(
        ju_str(sw1, "id"),
        ju_str(json_array_get(json_object_get(before, "devices"), 0), "id"));
    assert_json(json_object_get(sw1, "interfaces"),
                "[{\"name\": \"p7\", \"segmentation_id\": [\"7\", \"8\"]}, "
                "{\"name\": \"p8\", \"segmentation_id\": [\"9\"]}]");
    /* The device not listed is untouched. */
    assert_true(json_equal(json_array_get(devs, 1),
                           json_array_get(json_object_get(before, "devices"),
                                          1)));
    assert_int_equal(fx_count(f, "interface_vlans"), 3);
    json_decref(out);
    json_decref(before);
}

static void
test_update_errors(void **state)
{
    struct fx *f = *state;
    char id[UUID_STRLEN + 1], msg[128];
    json_t *out, *before, *after;

    fx_gateway(f, TWO_DEVICES, id);
    fx_expect_ok(f, gateway_get(f->core, id, &before, &f->err));
    fx_clear_events(f);

    fx_expect_err(f, update(f, id,
                            "{\"devices\": [{\"device_name\": \"sw9\", "
                            "\"interfaces\": [{\"name\": \"p\"}]}]}",
                            &out),
                  CE_DEVICE_NOT_FOUND,
                  "L2 Gateway Device sw9 could not be found.");
    fx_expect_err(f, update(f, id,
                            "{\"devices\": [{\"device_name\": \"sw1\", "
                            "\"interfaces\": [{\"name\": \"p\"}]}]}",
                            &out),
                  CE_SEGID_EXISTS,
                  "The segmentation id is already specified in existing "
                  "gateway interfaces.");
    fx_expect_err(f, update(f, id,
                            "{\"devices\": [{\"device_name\": \"sw2\", "
                            "\"interfaces\": [{\"name\": \"q\", "
                            "\"segmentation_id\": [5]}]}]}",
                            &out),
                  CE_SEGID_NOT_EXISTS,
                  "The segmentation id is not specified in existing gateway "
                  "interfaces.");
    /* A later failure undoes the earlier devices and the name. */
    fx_expect_err(f, update(f, id,
                            "{\"name\": \"x\", \"devices\": [{\"device_name\": "
                            "\"sw2\", \"interfaces\": [{\"name\": \"q5\"}]}, "
                            "{\"device_name\": \"sw3\", \"interfaces\": "
                            "[{\"name\": \"p\"}]}]}",
                            &out),
                  CE_DEVICE_NOT_FOUND,
                  "L2 Gateway Device sw3 could not be found.");
    /* Devices are validated as on create, before existence. */
    fx_expect_err(f, update(f, id, "{\"devices\": []}", &out),
                  CE_BAD_REQUEST,
                  DEV_REASON("Cannot create a gateway with an empty device "
                             "list"));
    fx_expect_err(f, update(f, "nope", "{\"devices\": 3}", &out),
                  CE_BAD_REQUEST,
                  DEV_REASON("devices format is not a type list of dicts"));
    fx_expect_err(f, update(f, "nope", "{\"name\": \"a\"}", &out),
                  CE_GATEWAY_NOT_FOUND, "L2 Gateway nope could not be found");
    snprintf(msg, sizeof msg, "L2 Gateway %s could not be found",
             "11111111-2222-3333-4444-555555555555");
    fx_expect_err(f, update(f, "11111111-2222-3333-4444-555555555555", "{}",
                            &out),
                  CE_GATEWAY_NOT_FOUND, msg);
    fx_expect_ok(f, gateway_get(f->core, id, &after, &f->err));
    assert_true(json_equal(before, after));
    assert_int_equal(f->n_events, 0);
    json_decref(before);
    json_decref(after);
}

static void
test_update_connected_checks(void **state)
{
    struct fx *f = *state;
    char id[UUID_STRLEN + 1], net[UUID_STRLEN + 1];
    json_t *out;

    fx_gateway(f, TWO_DEVICES, id);
    fx_network(f, 1000, net);
    /* A connection with its own VLAN on a gateway with VLANs can only
     * exist if written behind core's back; the update re-checks it. */
    assert_int_equal(store_exec(f->st, "INSERT INTO connections (id, "
                                       "project_id, gateway_id, network_id, "
                                       "segmentation_id, created_at, "
                                       "updated_at) SELECT "
                                       "'c1', 'p1', id, (SELECT id FROM "
                                       "networks), 5, 'x', 'x' FROM gateways"),
                     0);
    fx_expect_err(f, update(f, id, "{\"name\": \"n\"}", &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: default segmentation_id "
                  "should not be provided when segmentation_id is assigned "
                  "during l2gateway creation.");
}

/* ---- delete ---- */

static void
test_delete(void **state)
{
    struct fx *f = *state;
    char id[UUID_STRLEN + 1], net[UUID_STRLEN + 1], msg[160];
    json_t *conn = NULL;

    fx_gateway(f, TWO_DEVICES, id);
    fx_network(f, 0, net);
    json_t *attrs = json_pack("{s:s, s:s}", "l2_gateway_id", id, "network_id",
                              net);
    fx_expect_ok(f, connection_create(f->core, attrs, &conn, &f->err));
    json_decref(attrs);
    fx_clear_events(f);

    snprintf(msg, sizeof msg,
             "L2 Gateway '%s' still has active mappings with one or more "
             "neutron networks.",
             id);
    fx_expect_err(f, gateway_delete(f->core, id, &f->err), CE_GATEWAY_IN_USE,
                  msg);
    fx_expect_ok(f, connection_delete(f->core, ju_str(conn, "id"), &f->err));
    json_decref(conn);
    fx_clear_events(f);
    fx_expect_ok(f, gateway_delete(f->core, id, &f->err));
    assert_int_equal(fx_count(f, "gateways"), 0);
    assert_int_equal(fx_count(f, "gateway_devices"), 0);
    assert_int_equal(fx_count(f, "gateway_interfaces"), 0);
    assert_int_equal(fx_count(f, "interface_vlans"), 0);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_GATEWAY);
    assert_true(f->events[0].committed);
    snprintf(msg, sizeof msg, "L2 Gateway %s could not be found", id);
    fx_expect_err(f, gateway_delete(f->core, id, &f->err),
                  CE_GATEWAY_NOT_FOUND, msg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, fx_setup, fx_teardown)
        T(test_create_renders),
        T(test_order_kept),
        T(test_render_list_rows),
        T(test_devices_reasons),
        T(test_vlan_values),
        T(test_consistency),
        T(test_limits),
        T(test_update_name),
        T(test_update_devices),
        T(test_update_errors),
        T(test_update_connected_checks),
        T(test_delete),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
