/* Unit tests of core/connection: create steps in api.md's order, their
 * exact messages, quota, rendering, delete, events after commit. */
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

static const char *const PLAIN =
    "[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p1\"}]}]";
static const char *const TAGGED =
    "[{\"device_name\": \"sw1\", \"interfaces\": [{\"name\": \"p1\", "
    "\"segmentation_id\": [10]}]}]";

/* Creates a connection from (gateway, network, segmentation_id JSON text or
 * NULL for absent). */
static int
create(struct fx *f, const char *gw, const char *net, const char *seg,
       json_t **out)
{
    json_t *attrs = json_object();

    if (gw) {
        json_object_set_new(attrs, "l2_gateway_id", json_string(gw));
    }
    json_object_set_new(attrs, "network_id", json_string(net));
    json_object_set_new(attrs, "project_id", json_string("other"));
    if (seg) {
        json_object_set_new(attrs, "segmentation_id", fx_json(seg));
    }
    *out = NULL;
    int rc = connection_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
test_create_untagged(void **state)
{
    struct fx *f = *state;
    char gw[UUID_STRLEN + 1], net[UUID_STRLEN + 1];
    json_t *out;

    fx_gateway(f, PLAIN, gw);
    fx_network(f, 5000, net);
    fx_clear_events(f);
    fx_expect_ok(f, create(f, gw, net, NULL, &out));
    const char *id = ju_str(out, "id");
    assert_true(uuid_is_valid(id));
    assert_string_equal(ju_str(out, "l2_gateway_id"), gw);
    assert_string_equal(ju_str(out, "network_id"), net);
    assert_string_equal(ju_str(out, "segmentation_id"), "");
    assert_string_equal(ju_str(out, "status"), "PENDING");
    assert_string_equal(ju_str(out, "status_reason"), "");
    /* The gateway's project, whatever the request said. */
    assert_string_equal(ju_str(out, "tenant_id"), "p1");
    assert_string_equal(ju_str(out, "project_id"), "p1");
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_CONNECTION);
    assert_string_equal(f->events[0].id, id);
    assert_string_equal(f->events[0].network_id, net);
    assert_true(f->events[0].committed);

    json_t *shown = NULL;
    fx_expect_ok(f, connection_get(f->core, id, &shown, &f->err));
    assert_true(json_equal(shown, out));
    json_decref(shown);
    json_decref(out);
}

static void
test_create_segmentation_id_forms(void **state)
{
    static const struct {
        const char *given, *rendered;
    } cases[] = {{"\"100\"", "100"}, {"200", "200"}, {"0", "0"},
                 {"\"0\"", "0"},     {"null", ""},   {"\"\"", ""}};
    struct fx *f = *state;
    char gw[UUID_STRLEN + 1], net[UUID_STRLEN + 1], devices[128];
    json_t *out;

    /* Each case on its own port: several give VLAN 0, and one (port,
     * VLAN) binds one network only (step 6). */
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(devices, sizeof devices,
                 "[{\"device_name\": \"sw1\", \"interfaces\": "
                 "[{\"name\": \"case%zu\"}]}]",
                 i);
        fx_gateway(f, devices, gw);
        fx_network(f, 0, net);
        fx_expect_ok(f, create(f, gw, net, cases[i].given, &out));
        assert_string_equal(ju_str(out, "segmentation_id"), cases[i].rendered);
        json_decref(out);
    }
    /* A gateway with VLANs and no segmentation_id in the request. */
    fx_gateway(f, TAGGED, gw);
    fx_expect_ok(f, create(f, gw, net, NULL, &out));
    assert_string_equal(ju_str(out, "segmentation_id"), "");
    json_decref(out);
}

static void
test_step_order(void **state)
{
    struct fx *f = *state;
    char gw[UUID_STRLEN + 1], tagged[UUID_STRLEN + 1], net[UUID_STRLEN + 1];
    char msg[512];
    json_t *out, *first;
    const char *unknown = "11111111-2222-3333-4444-555555555555";

    fx_gateway(f, PLAIN, gw);
    fx_gateway(f, TAGGED, tagged);
    fx_network(f, 0, net);
    fx_clear_events(f);

    /* 1: network before gateway. */
    fx_expect_err(f, create(f, unknown, "net-x", NULL, &out),
                  CE_NETWORK_NOT_FOUND, "Network net-x could not be found.");
    /* 2: gateway. */
    snprintf(msg, sizeof msg, "L2 Gateway %s could not be found", unknown);
    fx_expect_err(f, create(f, unknown, net, "\"5\"", &out),
                  CE_GATEWAY_NOT_FOUND, msg);
    fx_expect_err(f, create(f, NULL, net, NULL, &out), CE_GATEWAY_NOT_FOUND,
                  "L2 Gateway  could not be found");
    /* 3: VLAN source and range. */
    fx_expect_err(f, create(f, tagged, net, "\"5\"", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: default segmentation_id "
                  "should not be provided when segmentation_id is assigned "
                  "during l2gateway creation.");
    fx_expect_err(f, create(f, gw, net, "4095", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: Segmentation id is out of "
                  "range.");
    fx_expect_err(f, create(f, gw, net, "\"abc\"", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: Segmentation id must be a "
                  "valid integer.");
    /* 4: one connection per (gateway, network); step 3 still first. */
    fx_expect_ok(f, create(f, gw, net, "\"7\"", &first));
    fx_expect_err(f, create(f, gw, net, "-3", &out), CE_INVALID_INPUT,
                  "Invalid input for operation: Segmentation id is out of "
                  "range.");
    snprintf(msg, sizeof msg,
             "The specified mapping '{'network_id': '%s', 'l2_gateway_id': "
             "'%s', 'segmentation_id': ''}' exists on network gateway '%s'.",
             net, gw, gw);
    fx_expect_err(f, create(f, gw, net, NULL, &out), CE_CONNECTION_EXISTS,
                  msg);
    snprintf(msg, sizeof msg,
             "The specified mapping '{'network_id': '%s', 'l2_gateway_id': "
             "'%s', 'segmentation_id': 8}' exists on network gateway '%s'.",
             net, gw, gw);
    fx_expect_err(f, create(f, gw, net, "8", &out), CE_CONNECTION_EXISTS,
                  msg);
    assert_int_equal(fx_count(f, "connections"), 1);
    assert_int_equal(f->n_events, 1);
    json_decref(first);
}

static void
test_quota(void **state)
{
    struct fx *f = *state;
    char gw[UUID_STRLEN + 1], n1[UUID_STRLEN + 1], n2[UUID_STRLEN + 1];
    json_t *out;
    const char *msg = "Quota exceeded for resources: ['l2_gateway_connection'].";

    fx_gateway(f, PLAIN, gw);
    fx_network(f, 0, n1);
    fx_network(f, 0, n2);
    f->cfg.quota_l2_gateway_connection = 0;
    fx_expect_err(f, create(f, gw, n1, NULL, &out), CE_OVER_QUOTA, msg);
    f->cfg.quota_l2_gateway_connection = 1;
    fx_expect_ok(f, create(f, gw, n1, NULL, &out));
    json_decref(out);
    /* n2 on its own VLAN of the port, so that only the quota refuses it
     * (untagged, step 6 would: n1 binds VLAN 0 there). */
    fx_expect_err(f, create(f, gw, n2, "5", &out), CE_OVER_QUOTA, msg);
    /* Step 4 comes before the quota. */
    char exists[512];
    snprintf(exists, sizeof exists,
             "The specified mapping '{'network_id': '%s', 'l2_gateway_id': "
             "'%s', 'segmentation_id': ''}' exists on network gateway '%s'.",
             n1, gw, gw);
    fx_expect_err(f, create(f, gw, n1, NULL, &out), CE_CONNECTION_EXISTS,
                  exists);
    f->cfg.quota_l2_gateway_connection = -1;
    fx_expect_ok(f, create(f, gw, n2, "5", &out));
    json_decref(out);
}

static void
test_delete(void **state)
{
    struct fx *f = *state;
    char gw[UUID_STRLEN + 1], net[UUID_STRLEN + 1], msg[160], id[64];
    json_t *out;

    fx_gateway(f, PLAIN, gw);
    fx_network(f, 0, net);
    fx_expect_ok(f, create(f, gw, net, NULL, &out));
    snprintf(id, sizeof id, "%s", ju_str(out, "id"));
    json_decref(out);
    fx_clear_events(f);
    fx_expect_ok(f, connection_delete(f->core, id, &f->err));
    assert_int_equal(fx_count(f, "connections"), 0);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_CONNECTION);
    assert_string_equal(f->events[0].id, id);
    assert_string_equal(f->events[0].network_id, net);
    assert_true(f->events[0].committed);
    snprintf(msg, sizeof msg, "The connection %s not found on the l2 gateway",
             id);
    fx_expect_err(f, connection_delete(f->core, id, &f->err),
                  CE_CONNECTION_NOT_FOUND, msg);
    fx_expect_err(f, connection_get(f->core, id, &out, &f->err),
                  CE_CONNECTION_NOT_FOUND, msg);
}

static void
test_render(void **state)
{
    struct fx *f = *state;
    json_t *rows = fx_json("[{\"id\": \"a\", \"segmentation_id\": 100, "
                           "\"project_id\": \"p\"}, {\"id\": \"b\", "
                           "\"segmentation_id\": null, \"tenant_id\": \"q\"}, "
                           "{\"id\": \"c\"}]");

    fx_expect_ok(f, connection_render(f->core, rows, &f->err));
    json_t *expected = fx_json(
        "[{\"id\": \"a\", \"segmentation_id\": \"100\", \"project_id\": \"p\", "
        "\"tenant_id\": \"p\"}, {\"id\": \"b\", \"segmentation_id\": \"\", "
        "\"tenant_id\": \"q\", \"project_id\": \"q\"}, {\"id\": \"c\"}]");
    assert_true(json_equal(rows, expected));
    json_decref(rows);
    json_decref(expected);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, fx_setup, fx_teardown)
        T(test_create_untagged),
        T(test_create_segmentation_id_forms),
        T(test_step_order),
        T(test_quota),
        T(test_delete),
        T(test_render),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
