/* Unit tests of core/host: IPv4-only tunnel IPs, unique names, update,
 * delete, events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/host.h"
#include "fixture.h"
#include "lib/jsonutil.h"

static int
create(struct fx *f, const char *attrs_text, json_t **out)
{
    json_t *attrs = fx_json(attrs_text);
    *out = NULL;
    int rc = host_create(f->core, attrs, out, &f->err);
    json_decref(attrs);
    return rc;
}

static void
test_create(void **state)
{
    struct fx *f = *state;
    json_t *out;

    fx_expect_ok(f, create(f,
                           "{\"name\": \"compute-1\", \"tunnel_ip\": "
                           "\"192.0.2.11\", \"project_id\": \"p\"}",
                           &out));
    const char *id = ju_str(out, "id");
    assert_true(uuid_is_valid(id));
    json_t *expected = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "name",
                                 "compute-1", "tunnel_ip", "192.0.2.11",
                                 "tenant_id", "p", "project_id", "p");
    assert_true(json_equal(out, expected));
    json_decref(expected);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_HOST);
    assert_string_equal(f->events[0].id, id);
    assert_true(f->events[0].committed);
    json_decref(out);

    fx_expect_err(f, create(f, "{\"name\": \"compute-1\"}", &out), CE_CONFLICT,
                  "Host compute-1 already exists.");
    fx_expect_ok(f, create(f, "{\"name\": \"compute-2\"}", &out));
    assert_true(json_is_null(json_object_get(out, "tunnel_ip")));
    json_decref(out);
    fx_expect_err(f, create(f, "{\"name\": \"\"}", &out), CE_BAD_REQUEST,
                  "Invalid input for name. Reason: a host needs a non-empty "
                  "name.");
    assert_int_equal(fx_count(f, "hosts"), 2);
}

static void
test_tunnel_ip_ipv4_only(void **state)
{
    static const char *const bad[] = {"\"2001:db8::1\"", "\"192.0.2\"",
                                      "\"192.0.2.256\"", "\"host\"", "5",
                                      "\"::ffff:192.0.2.1\""};
    struct fx *f = *state;
    char attrs[128], msg[256];
    json_t *out;

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *v = fx_json(bad[i]);
        snprintf(attrs, sizeof attrs, "{\"name\": \"h\", \"tunnel_ip\": %s}",
                 bad[i]);
        snprintf(msg, sizeof msg,
                 "Invalid input for operation: tunnel_ip '%s' is not an IPv4 "
                 "address.",
                 json_is_string(v) ? json_string_value(v) : bad[i]);
        json_decref(v);
        fx_expect_err(f, create(f, attrs, &out), CE_INVALID_INPUT, msg);
    }
    assert_int_equal(fx_count(f, "hosts"), 0);
}

static void
test_update_delete(void **state)
{
    struct fx *f = *state;
    json_t *out, *attrs;
    char id[64], msg[128];

    fx_expect_ok(f, create(f, "{\"name\": \"c1\", \"tunnel_ip\": \"10.0.0.1\"}",
                           &out));
    snprintf(id, sizeof id, "%s", ju_str(out, "id"));
    json_decref(out);
    fx_clear_events(f);

    attrs = fx_json("{\"tunnel_ip\": \"10.0.0.2\"}");
    fx_expect_ok(f, host_update(f->core, id, attrs, &out, &f->err));
    json_decref(attrs);
    assert_string_equal(ju_str(out, "tunnel_ip"), "10.0.0.2");
    assert_string_equal(ju_str(out, "name"), "c1");
    json_decref(out);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_HOST);
    assert_string_equal(f->events[0].id, id);
    assert_true(f->events[0].committed);

    attrs = fx_json("{\"tunnel_ip\": \"fe80::1\"}");
    fx_expect_err(f, host_update(f->core, id, attrs, &out, &f->err),
                  CE_INVALID_INPUT,
                  "Invalid input for operation: tunnel_ip 'fe80::1' is not an "
                  "IPv4 address.");
    json_decref(attrs);
    attrs = fx_json("{\"tunnel_ip\": null}");
    fx_expect_ok(f, host_update(f->core, id, attrs, &out, &f->err));
    assert_true(json_is_null(json_object_get(out, "tunnel_ip")));
    json_decref(out);
    fx_expect_err(f, host_update(f->core, "nope", attrs, &out, &f->err),
                  CE_HOST_NOT_FOUND, "Host nope could not be found.");
    json_decref(attrs);

    fx_clear_events(f);
    fx_expect_ok(f, host_delete(f->core, id, &f->err));
    assert_int_equal(fx_count(f, "hosts"), 0);
    assert_int_equal(f->n_events, 1);
    assert_int_equal(f->events[0].kind, EVENT_HOST);
    snprintf(msg, sizeof msg, "Host %s could not be found.", id);
    fx_expect_err(f, host_delete(f->core, id, &f->err), CE_HOST_NOT_FOUND,
                  msg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(NAME) cmocka_unit_test_setup_teardown(NAME, fx_setup, fx_teardown)
        T(test_create),
        T(test_tunnel_ip_ipv4_only),
        T(test_update_delete),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
