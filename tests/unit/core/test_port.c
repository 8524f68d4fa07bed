/* Unit tests of core/port: MAC generation, validation and uniqueness per
 * network (ports, address pairs), fixed IPs, pairs, update (migration),
 * delete, rollback, events. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/port.h"
#include "fixture.h"
#include "lib/jsonutil.h"

/* Creates a port on 'net' with extra attributes (JSON object text). */
static int
create(struct fx *f, const char *net, const char *extra, json_t **out)
{
    json_t *attrs = fx_json(extra ? extra : "{}");

    json_object_set_new(attrs, "network_id", json_string(net));
    *out = NULL;
    int rc = port_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static int
update(struct fx *f, const char *id, const char *attrs_text, json_t **out)
{
    json_t *attrs = fx_json(attrs_text);
    *out = NULL;
    int rc = port_update(f->core, id, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
mac_in_use(char *buf, size_t size, const char *net, const char *mac)
{
    snprintf(buf, size,
             "Unable to complete operation for network %s. The mac address "
             "%s is in use.",
             net, mac);
}

static void
test_create_generated_mac(void **state)
{
    struct fx *f = *state;
    char net[UUID_STRLEN + 1];
    json_t *out;

    fx_network(f, 0, net);
    fx_clear_events(f);
    fx_expect_ok(f, create(f, net, "{\"name\": \"p1\", \"project_id\": \"p\"}",
                           &out));
    const char *mac = ju_str(out, "mac_address");
    assert_int_equal(strlen(mac), 17);
    assert_memory_equal(mac, "fa:16:3e:", 9);
    for (int i = 9; i < 17; i++) {
        assert_true(i % 3 == 2 ? mac[i] == ':'
                               : isxdigit((unsigned char) mac[i])
                                     && !isupper((unsigned char) mac[i]));
    }
    json_t *copy = json_deep_copy(out);
    json_object_del(copy, "id");
    json_object_del(copy, "mac_address");
    json_t *expected = json_pack(
        "{s:s, s:s, s:[], s:[], s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "name",
        "p1", "network_id", net, "fixed_ips", "allowed_address_pairs",
        "binding:host_id", "", "device_owner", "", "device_id", "",
        "admin_state_up", 1, "status", "DOWN", "tenant_id", "p", "project_id",
        "p");
    assert_true(json_equal(copy, expected));
    json_decref(copy);
    json_decref(expected);
    assert_int_equal(fx_count(f, "network_macs"), 1);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_PORT);
    assert_string_equal(f->events[0].id, ju_str(out, "id"));
    assert_string_equal(f->events[0].network_id, net);
    assert_true(f->events[0].committed);
    json_decref(out);
}

static void
test_mac_rules(void **state)
{
    static const char *const bad[] = {"zz", "fa:16:3e:00:00", "01:00:5e:00:00:01",
                                      "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
                                      "fa:16:3e:00:00:0g", "fa:16-3e:00:00:01"};
    struct fx *f = *state;
    char n1[UUID_STRLEN + 1], n2[UUID_STRLEN + 1], msg[256], attrs[128];
    json_t *out;

    fx_network(f, 0, n1);
    fx_network(f, 0, n2);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(attrs, sizeof attrs, "{\"mac_address\": \"%s\"}", bad[i]);
        snprintf(msg, sizeof msg,
                 "Invalid input for mac_address. Reason: '%s' is not a valid "
                 "MAC address.",
                 bad[i]);
        fx_expect_err(f, create(f, n1, attrs, &out), CE_BAD_REQUEST, msg);
    }
    fx_expect_ok(f, create(f, n1, "{\"mac_address\": \"FA-16-3E-AA-BB-CC\"}",
                           &out));
    assert_string_equal(ju_str(out, "mac_address"), "fa:16:3e:aa:bb:cc");
    json_decref(out);
    mac_in_use(msg, sizeof msg, n1, "fa:16:3e:aa:bb:cc");
    fx_expect_err(f, create(f, n1, "{\"mac_address\": \"fa:16:3e:AA:bb:cc\"}",
                            &out),
                  CE_MAC_IN_USE, msg);
    /* Another network may use it. */
    fx_expect_ok(f, create(f, n2, "{\"mac_address\": \"fa:16:3e:aa:bb:cc\"}",
                           &out));
    json_decref(out);
    assert_int_equal(fx_count(f, "ports"), 2);
}

static void
test_pairs_and_ips(void **state)
{
    struct fx *f = *state;
    char net[UUID_STRLEN + 1], msg[256];
    json_t *out, *other;

    fx_network(f, 0, net);
    fx_expect_ok(f, create(f, net,
                           "{\"mac_address\": \"02:00:00:00:00:01\", "
                           "\"fixed_ips\": [{\"ip_address\": \"10.0.0.5\", "
                           "\"subnet_id\": \"x\"}, {\"ip_address\": "
                           "\"2001:DB8::0001\"}], \"allowed_address_pairs\": "
                           "[{\"ip_address\": \"10.0.0.0/24\"}, "
                           "{\"ip_address\": \"10.0.1.1\", \"mac_address\": "
                           "\"02:00:00:00:00:02\"}]}",
                           &out));
    json_t *expected = fx_json(
        "{\"fixed_ips\": [{\"ip_address\": \"10.0.0.5\"}, {\"ip_address\": "
        "\"2001:db8::1\"}], \"allowed_address_pairs\": [{\"ip_address\": "
        "\"10.0.0.0/24\", \"mac_address\": \"02:00:00:00:00:01\"}, "
        "{\"ip_address\": \"10.0.1.1\", \"mac_address\": "
        "\"02:00:00:00:00:02\"}]}");
    assert_true(json_equal(json_object_get(out, "fixed_ips"),
                           json_object_get(expected, "fixed_ips")));
    assert_true(json_equal(json_object_get(out, "allowed_address_pairs"),
                           json_object_get(expected,
                                           "allowed_address_pairs")));
    json_decref(expected);
    /* The port's MAC and the differing pair MAC are both claimed. */
    assert_int_equal(fx_count(f, "network_macs"), 2);

    mac_in_use(msg, sizeof msg, net, "02:00:00:00:00:02");
    fx_expect_err(f, create(f, net, "{\"mac_address\": \"02:00:00:00:00:02\"}",
                            &other),
                  CE_MAC_IN_USE, msg);
    /* A pair MAC that is another port's MAC; nothing is left behind. */
    mac_in_use(msg, sizeof msg, net, "02:00:00:00:00:01");
    fx_expect_err(f, create(f, net,
                            "{\"allowed_address_pairs\": [{\"ip_address\": "
                            "\"1.1.1.1\", \"mac_address\": "
                            "\"02:00:00:00:00:01\"}]}",
                            &other),
                  CE_MAC_IN_USE, msg);
    assert_int_equal(fx_count(f, "ports"), 1);
    assert_int_equal(fx_count(f, "network_macs"), 2);
    assert_int_equal(fx_count(f, "port_address_pairs"), 2);

    fx_expect_err(f, create(f, net, "{\"fixed_ips\": [{\"ip_address\": "
                                    "\"1.2.3\"}]}",
                            &other),
                  CE_BAD_REQUEST,
                  "Invalid input for fixed_ips. Reason: '1.2.3' is not a "
                  "valid IP address.");
    fx_expect_err(f, create(f, net, "{\"fixed_ips\": [{\"ip_address\": "
                                    "\"1.2.3.4\"}, {\"ip_address\": "
                                    "\"1.2.3.4\"}]}",
                            &other),
                  CE_BAD_REQUEST,
                  "Invalid input for fixed_ips. Reason: Duplicate IP address "
                  "'1.2.3.4'.");
    fx_expect_err(f, create(f, net, "{\"allowed_address_pairs\": "
                                    "[{\"mac_address\": "
                                    "\"02:00:00:00:00:09\"}]}",
                            &other),
                  CE_BAD_REQUEST,
                  "Invalid input for allowed_address_pairs. Reason: "
                  "AllowedAddressPair must contain ip_address.");
    fx_expect_err(f, create(f, net, "{\"allowed_address_pairs\": "
                                    "[{\"ip_address\": \"10.0.0.0/33\"}]}",
                            &other),
                  CE_BAD_REQUEST,
                  "Invalid input for allowed_address_pairs. Reason: "
                  "'10.0.0.0/33' is not a valid IP address.");
    fx_expect_err(f, create(f, net, "{\"allowed_address_pairs\": "
                                    "[{\"ip_address\": \"1.1.1.1\"}, "
                                    "{\"ip_address\": \"1.1.1.1\"}], "
                                    "\"mac_address\": \"02:00:00:00:00:07\"}",
                            &other),
                  CE_BAD_REQUEST,
                  "Invalid input for allowed_address_pairs. Reason: Request "
                  "contains duplicate address pair: mac_address "
                  "02:00:00:00:00:07 ip_address 1.1.1.1.");
    fx_expect_err(f, create(f, net, "{\"allowed_address_pairs\": \"x\"}",
                            &other),
                  CE_BAD_REQUEST,
                  "Invalid input for allowed_address_pairs. Reason: Allowed "
                  "address pairs must be a list.");
    fx_expect_err(f, create(f, "nope", NULL, &other), CE_NETWORK_NOT_FOUND,
                  "Network nope could not be found.");
    assert_int_equal(fx_count(f, "ports"), 1);
    json_decref(out);
}

static void
test_update_migration_and_mac(void **state)
{
    struct fx *f = *state;
    char net[UUID_STRLEN + 1], id[64];
    json_t *out, *other;

    fx_network(f, 0, net);
    fx_expect_ok(f, create(f, net,
                           "{\"mac_address\": \"02:00:00:00:00:01\", "
                           "\"allowed_address_pairs\": [{\"ip_address\": "
                           "\"9.9.9.9\"}]}",
                           &out));
    snprintf(id, sizeof id, "%s", ju_str(out, "id"));
    json_decref(out);
    fx_clear_events(f);

    fx_expect_ok(f, update(f, id, "{\"binding:host_id\": \"compute-1\"}", &out));
    assert_string_equal(ju_str(out, "binding:host_id"), "compute-1");
    assert_string_equal(ju_str(out, "status"), "ACTIVE");
    json_decref(out);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_PORT);
    assert_string_equal(f->events[0].id, id);
    assert_string_equal(f->events[0].network_id, net);
    assert_true(f->events[0].committed);

    /* New MAC: the old one is released, the stored pair keeps its MAC
     * (now different from the port's, so claimed as a pair MAC). */
    fx_expect_ok(f, update(f, id, "{\"mac_address\": \"02:00:00:00:00:05\", "
                                  "\"name\": \"n\"}",
                           &out));
    assert_string_equal(ju_str(out, "mac_address"), "02:00:00:00:00:05");
    assert_string_equal(ju_str(out, "binding:host_id"), "compute-1");
    assert_string_equal(
        ju_str(json_array_get(json_object_get(out, "allowed_address_pairs"), 0),
               "mac_address"),
        "02:00:00:00:00:01");
    json_decref(out);
    assert_int_equal(fx_count(f, "network_macs"), 2);
    fx_expect_ok(f, update(f, id, "{\"allowed_address_pairs\": [], "
                                  "\"fixed_ips\": [{\"ip_address\": "
                                  "\"10.1.1.1\"}], \"binding:host_id\": null, "
                                  "\"admin_state_up\": false}",
                           &out));
    assert_string_equal(ju_str(out, "binding:host_id"), "");
    assert_string_equal(ju_str(out, "status"), "DOWN");
    assert_int_equal(json_array_size(json_object_get(out, "fixed_ips")), 1);
    json_decref(out);
    assert_int_equal(fx_count(f, "network_macs"), 1);
    /* The released MAC is free for another port. */
    fx_expect_ok(f, create(f, net, "{\"mac_address\": \"02:00:00:00:00:01\"}",
                           &other));
    char msg[256];
    mac_in_use(msg, sizeof msg, net, "02:00:00:00:00:01");
    fx_expect_err(f, update(f, id, "{\"mac_address\": \"02:00:00:00:00:01\"}",
                            &out),
                  CE_MAC_IN_USE, msg);
    fx_expect_err(f, update(f, "nope", "{}", &out), CE_PORT_NOT_FOUND,
                  "Port nope could not be found.");

    fx_clear_events(f);
    fx_expect_ok(f, port_delete(f->core, ju_str(other, "id"), &f->err));
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_PORT);
    assert_string_equal(f->events[0].network_id, net);
    fx_expect_ok(f, port_delete(f->core, id, &f->err));
    assert_int_equal(fx_count(f, "ports"), 0);
    assert_int_equal(fx_count(f, "network_macs"), 0);
    assert_int_equal(fx_count(f, "port_fixed_ips"), 0);
    assert_int_equal(fx_count(f, "port_address_pairs"), 0);
    snprintf(msg, sizeof msg, "Port %s could not be found.", id);
    fx_expect_err(f, port_delete(f->core, id, &f->err), CE_PORT_NOT_FOUND,
                  msg);
    json_decref(other);
}

static void
test_render_rows(void **state)
{
    struct fx *f = *state;
    char net[UUID_STRLEN + 1];
    json_t *a, *b;

    fx_network(f, 0, net);
    fx_expect_ok(f, create(f, net, "{\"fixed_ips\": [{\"ip_address\": "
                                   "\"10.0.0.1\"}]}",
                           &a));
    fx_expect_ok(f, create(f, net, "{\"allowed_address_pairs\": "
                                   "[{\"ip_address\": \"10.0.0.9\"}]}",
                           &b));
    json_t *rows = json_pack("[{s:s, s:s}, {s:s}]", "id", ju_str(b, "id"),
                             "tenant_id", "t", "id", ju_str(a, "id"));
    fx_expect_ok(f, port_render(f->core, rows, &f->err));
    json_t *rb = json_array_get(rows, 0), *ra = json_array_get(rows, 1);
    assert_true(json_equal(json_object_get(ra, "fixed_ips"),
                           json_object_get(a, "fixed_ips")));
    assert_int_equal(json_array_size(json_object_get(ra,
                                                     "allowed_address_pairs")),
                     0);
    assert_true(json_equal(json_object_get(rb, "allowed_address_pairs"),
                           json_object_get(b, "allowed_address_pairs")));
    assert_string_equal(ju_str(rb, "project_id"), "t");
    json_decref(rows);
    json_decref(a);
    json_decref(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, fx_setup, fx_teardown)
        T(test_create_generated_mac),
        T(test_mac_rules),
        T(test_pairs_and_ips),
        T(test_update_migration_and_mac),
        T(test_render_rows),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
