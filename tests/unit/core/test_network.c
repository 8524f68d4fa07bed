/* Unit tests of core/network: rendering, VNI forms, ranges and allocation,
 * update, delete (in use, cascade of connections), events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/connection.h"
#include "core/db.h"
#include "core/network.h"
#include "core/port.h"
#include "fixture.h"
#include "lib/jsonutil.h"

static int
create(struct fx *f, const char *attrs_text, json_t **out)
{
    json_t *attrs = fx_json(attrs_text);
    *out = NULL;
    int rc = network_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static long long
vni_of(const json_t *net)
{
    return json_integer_value(json_object_get(net, "provider:segmentation_id"));
}

static void
set_ranges(struct fx *f, const char *ranges)
{
    free(f->cfg.vni_ranges);
    f->cfg.vni_ranges = strdup(ranges);
}

static void
test_create_renders(void **state)
{
    struct fx *f = *state;
    json_t *out;

    fx_expect_ok(f, create(f,
                           "{\"name\": \"net1\", \"provider:network_type\": "
                           "\"vxlan\", \"provider:segmentation_id\": \"1000\", "
                           "\"project_id\": \"p1\"}",
                           &out));
    const char *id = ju_str(out, "id");
    assert_true(uuid_is_valid(id));
    json_t *copy = json_deep_copy(out);
    json_object_del(copy, "id");
    json_t *expected = fx_json(
        "{\"name\": \"net1\", \"description\": \"\", \"admin_state_up\": true, "
        "\"status\": \"ACTIVE\", \"shared\": false, \"subnets\": [], "
        "\"mtu\": 1450, \"provider:network_type\": \"vxlan\", "
        "\"provider:segmentation_id\": 1000, \"tenant_id\": \"p1\", "
        "\"project_id\": \"p1\"}");
    assert_true(json_equal(copy, expected));
    json_decref(copy);
    json_decref(expected);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_NETWORK);
    assert_string_equal(f->events[0].id, id);
    assert_string_equal(f->events[0].network_id, id);
    assert_true(f->events[0].committed);
    json_decref(out);
}

static void
test_vni_rules(void **state)
{
    struct fx *f = *state;
    json_t *out;

    fx_expect_ok(f, create(f, "{\"provider:segmentation_id\": 16777215}", &out));
    assert_int_equal(vni_of(out), 16777215);
    json_decref(out);
    fx_expect_err(f, create(f, "{\"provider:segmentation_id\": \"16777215\"}",
                            &out),
                  CE_VNI_TAKEN,
                  "Unable to create the network. The tunnel ID 16777215 is "
                  "in use.");
    fx_expect_err(f, create(f, "{\"provider:segmentation_id\": 0}", &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: provider:segmentation_id 0 "
                  "is out of range (1 through 16777215).");
    fx_expect_err(f, create(f, "{\"provider:segmentation_id\": 16777216}",
                            &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: provider:segmentation_id "
                  "16777216 is out of range (1 through 16777215).");
    fx_expect_err(f, create(f, "{\"provider:segmentation_id\": \"abc\"}", &out),
                  CE_BAD_REQUEST,
                  "Invalid input for provider:segmentation_id. Reason: 'abc' "
                  "is not an integer.");
    fx_expect_err(f, create(f, "{\"provider:segmentation_id\": 1.5}", &out),
                  CE_BAD_REQUEST,
                  "Invalid input for provider:segmentation_id. Reason: '1.5' "
                  "is not an integer.");
    fx_expect_err(f, create(f, "{\"provider:network_type\": \"vlan\"}", &out),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: network_type value 'vlan' "
                  "not supported.");
    fx_expect_err(f, create(f, "{\"shared\": true}", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: shared networks are not "
                  "supported.");
    fx_expect_err(f, create(f, "{\"mtu\": 20}", &out), CE_BAD_REQUEST,
                  "Invalid input for mtu. Reason: '20' is not in range 68 "
                  "through 9000.");
    assert_int_equal(fx_count(f, "networks"), 1);
    fx_expect_ok(f, create(f, "{\"shared\": false, \"mtu\": 9000, "
                              "\"admin_state_up\": false, "
                              "\"provider:network_type\": null}",
                           &out));
    assert_int_equal(json_integer_value(json_object_get(out, "mtu")), 9000);
    assert_true(json_is_false(json_object_get(out, "admin_state_up")));
    json_decref(out);
}

static void
test_allocation(void **state)
{
    struct fx *f = *state;
    json_t *out, *mid = NULL;
    long long got[3];

    set_ranges(f, "300:301,100:101");
    /* A VNI given outside the ranges is fine and not allocated again. */
    fx_expect_ok(f, create(f, "{\"provider:segmentation_id\": 100}", &out));
    json_decref(out);
    for (int i = 0; i < 3; i++) {
        fx_expect_ok(f, create(f, "{}", &out));
        got[i] = vni_of(out);
        if (i == 1) {
            mid = out;
        } else {
            json_decref(out);
        }
    }
    assert_int_equal(got[0], 101);
    assert_int_equal(got[1], 300);
    assert_int_equal(got[2], 301);
    fx_expect_err(f, create(f, "{}", &out), CE_NO_VNI_AVAILABLE,
                  "Unable to create the network. No tenant network is "
                  "available for allocation.");
    /* A freed VNI is the lowest free one again. */
    fx_expect_ok(f, network_delete(f->core, ju_str(mid, "id"), &f->err));
    json_decref(mid);
    fx_expect_ok(f, create(f, "{}", &out));
    assert_int_equal(vni_of(out), 300);
    json_decref(out);

    /* Gaps inside a range. */
    set_ranges(f, "1000:1010");
    for (long long v = 1000; v <= 1003; v++) {
        char text[64];
        snprintf(text, sizeof text, "{\"provider:segmentation_id\": %lld}",
                 v == 1002 ? 1005 : v);
        fx_expect_ok(f, create(f, text, &out));
        json_decref(out);
    }
    fx_expect_ok(f, create(f, "{}", &out));
    assert_int_equal(vni_of(out), 1002);
    json_decref(out);
    fx_expect_ok(f, create(f, "{}", &out));
    assert_int_equal(vni_of(out), 1004);
    json_decref(out);
    fx_expect_ok(f, create(f, "{}", &out));
    assert_int_equal(vni_of(out), 1006);
    json_decref(out);
}

/* The VNI of an allocation (create with no VNI); its id in 'id'. */
static long long
alloc_one(struct fx *f, char id[UUID_STRLEN + 1])
{
    json_t *out;

    fx_expect_ok(f, create(f, "{}", &out));
    long long v = vni_of(out);
    snprintf(id, UUID_STRLEN + 1, "%s", ju_str(out, "id"));
    json_decref(out);
    return v;
}

/* The stored hint of 'key' (vni.h), -1 when there is none. */
static long long
hint_of(struct fx *f, const char *key)
{
    char text[32];
    int rc = db_text(f->st, text, sizeof text,
                     "SELECT value FROM meta WHERE key = ?", "s", key);
    assert_true(rc >= 0);
    return rc == 1 ? atoll(text) : -1;
}

static void
set_hint(struct fx *f, const char *key, const char *value)
{
    assert_true(db_run(f->st, "INSERT INTO meta (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = "
                              "excluded.value",
                       "ss", key, value) >= 0);
}

/* The hints (vni.h) keep allocation exact: after deletes (lowered),
 * explicit VNIs at the hint, a full range, and hints that are missing,
 * unreadable or out of range. */
static void
test_allocation_hints(void **state)
{
    struct fx *f = *state;
    char ids[61][UUID_STRLEN + 1], id[UUID_STRLEN + 1];
    json_t *out;

    set_ranges(f, "1:60,500:501");
    for (int v = 1; v <= 50; v++) {
        assert_int_equal(alloc_one(f, ids[v]), v);
    }
    assert_int_equal(hint_of(f, "vni_hint:1-60"), 50);
    assert_int_equal(hint_of(f, "vni_hint:500-501"), 500);
    fx_expect_ok(f, network_delete(f->core, ids[20], &f->err));
    fx_expect_ok(f, network_delete(f->core, ids[7], &f->err));
    assert_int_equal(hint_of(f, "vni_hint:1-60"), 7);
    assert_int_equal(alloc_one(f, ids[7]), 7);
    assert_int_equal(alloc_one(f, ids[20]), 20);
    assert_int_equal(alloc_one(f, id), 51);
    /* a VNI given explicitly at the hint is skipped */
    fx_expect_ok(f, create(f, "{\"provider:segmentation_id\": 52}", &out));
    json_decref(out);
    assert_int_equal(alloc_one(f, id), 53);
    /* unreadable or impossible hints fall back to a full search */
    fx_expect_ok(f, network_delete(f->core, ids[3], &f->err));
    set_hint(f, "vni_hint:1-60", "junk");
    assert_int_equal(alloc_one(f, ids[3]), 3);
    fx_expect_ok(f, network_delete(f->core, ids[4], &f->err));
    set_hint(f, "vni_hint:1-60", "99");
    assert_int_equal(alloc_one(f, ids[4]), 4);
    /* fill the range: then the other one, then none */
    for (int v = 54; v <= 60; v++) {
        assert_int_equal(alloc_one(f, id), v);
    }
    assert_int_equal(alloc_one(f, id), 500);
    assert_int_equal(alloc_one(f, id), 501);
    fx_expect_err(f, create(f, "{}", &out), CE_NO_VNI_AVAILABLE,
                  "Unable to create the network. No tenant network is "
                  "available for allocation.");
    assert_int_equal(hint_of(f, "vni_hint:1-60"), 61);
    /* (the failed create was rolled back with the hint it moved) */
    assert_int_equal(hint_of(f, "vni_hint:500-501"), 501);
    /* a delete lowers the hint of its range only */
    fx_expect_ok(f, network_delete(f->core, ids[33], &f->err));
    assert_int_equal(hint_of(f, "vni_hint:1-60"), 33);
    assert_int_equal(hint_of(f, "vni_hint:500-501"), 501);
    assert_int_equal(alloc_one(f, ids[33]), 33);
    /* more hints above a freed VNI than vni.c lowers one by one: every
     * hint is dropped, and allocation stays exact */
    for (int i = 0; i < 70; i++) {
        char key[64];
        snprintf(key, sizeof key, "vni_hint:1-%d", 100 + i);
        set_hint(f, key, "40");
    }
    fx_expect_ok(f, network_delete(f->core, ids[12], &f->err));
    assert_int_equal(hint_of(f, "vni_hint:1-60"), -1);
    assert_int_equal(hint_of(f, "vni_hint:1-100"), -1);
    assert_int_equal(hint_of(f, "vni_hint:500-501"), -1);
    assert_int_equal(alloc_one(f, id), 12);
}

static void
test_update(void **state)
{
    struct fx *f = *state;
    char id[UUID_STRLEN + 1];
    json_t *out, *attrs;

    fx_network(f, 42, id);
    fx_clear_events(f);
    attrs = fx_json("{\"name\": \"renamed\", \"mtu\": 1400}");
    fx_expect_ok(f, network_update(f->core, id, attrs, &out, &f->err));
    json_decref(attrs);
    assert_string_equal(ju_str(out, "name"), "renamed");
    assert_string_equal(ju_str(out, "description"), "");
    assert_int_equal(json_integer_value(json_object_get(out, "mtu")), 1400);
    assert_int_equal(vni_of(out), 42);
    json_decref(out);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_NETWORK);
    assert_true(f->events[0].committed);
    attrs = fx_json("{}");
    fx_expect_ok(f, network_update(f->core, id, attrs, &out, &f->err));
    assert_string_equal(ju_str(out, "name"), "renamed");
    json_decref(out);
    fx_expect_err(f, network_update(f->core, "nope", attrs, &out, &f->err),
                  CE_NETWORK_NOT_FOUND, "Network nope could not be found.");
    json_decref(attrs);
}

static void
test_delete(void **state)
{
    struct fx *f = *state;
    char net[UUID_STRLEN + 1], gw1[UUID_STRLEN + 1], gw2[UUID_STRLEN + 1];
    char msg[200];
    json_t *out, *port;
    const char *plain = "[{\"device_name\": \"sw1\", \"interfaces\": "
                        "[{\"name\": \"p1\"}]}]";

    fx_network(f, 0, net);
    fx_gateway(f, plain, gw1);
    fx_gateway(f, plain, gw2);
    const char *gws[] = {gw1, gw2};
    char conn_ids[2][64];
    for (int i = 0; i < 2; i++) {
        json_t *attrs = json_pack("{s:s, s:s}", "l2_gateway_id", gws[i],
                                  "network_id", net);
        fx_expect_ok(f, connection_create(f->core, attrs, &out, &f->err));
        snprintf(conn_ids[i], sizeof conn_ids[i], "%s", ju_str(out, "id"));
        json_decref(out);
        json_decref(attrs);
    }
    json_t *attrs = json_pack("{s:s}", "network_id", net);
    fx_expect_ok(f, port_create(f->core, attrs, &port, &f->err));
    json_decref(attrs);
    fx_clear_events(f);

    snprintf(msg, sizeof msg,
             "Unable to complete operation on network %s. There are one or "
             "more ports still in use on the network.",
             net);
    fx_expect_err(f, network_delete(f->core, net, &f->err), CE_NETWORK_IN_USE,
                  msg);
    assert_int_equal(fx_count(f, "connections"), 2);
    fx_expect_ok(f, port_delete(f->core, ju_str(port, "id"), &f->err));
    json_decref(port);
    fx_clear_events(f);

    fx_expect_ok(f, network_delete(f->core, net, &f->err));
    assert_int_equal(fx_count(f, "networks"), 0);
    assert_int_equal(fx_count(f, "connections"), 0);
    assert_int_equal(fx_count(f, "gateways"), 2);
    assert_int_equal(f->n_events, 3);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(f->events[i].kind, EVENT_CONNECTION);
        assert_string_equal(f->events[i].network_id, net);
        assert_true(!strcmp(f->events[i].id, conn_ids[0])
                    || !strcmp(f->events[i].id, conn_ids[1]));
        assert_true(f->events[i].committed);
    }
    assert_int_equal(f->events[2].kind, EVENT_NETWORK);
    assert_string_equal(f->events[2].id, net);
    assert_true(f->events[2].committed);
    snprintf(msg, sizeof msg, "Network %s could not be found.", net);
    fx_expect_err(f, network_delete(f->core, net, &f->err),
                  CE_NETWORK_NOT_FOUND, msg);
    fx_expect_err(f, network_get(f->core, net, &out, &f->err),
                  CE_NETWORK_NOT_FOUND, msg);
}

static void
test_render(void **state)
{
    struct fx *f = *state;
    json_t *rows = fx_json("[{\"id\": \"a\", \"project_id\": \"p\"}]");

    fx_expect_ok(f, network_render(f->core, rows, &f->err));
    json_t *expected = fx_json(
        "[{\"id\": \"a\", \"project_id\": \"p\", \"tenant_id\": \"p\", "
        "\"status\": \"ACTIVE\", \"shared\": false, \"subnets\": []}]");
    assert_true(json_equal(rows, expected));
    json_decref(rows);
    json_decref(expected);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, fx_setup, fx_teardown)
        T(test_create_renders),
        T(test_vni_rules),
        T(test_allocation),
        T(test_allocation_hints),
        T(test_update),
        T(test_delete),
        T(test_render),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
