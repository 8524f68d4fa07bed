/* Unit tests of lib/event. */
#include "lib/event.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* What the callbacks saw, in order. */
static char seen[256];

static void record(const struct event *ev, void *aux)
{
    char item[64];
    snprintf(item, sizeof item, "%s:%s:%s:%s;", (const char *)aux,
             event_kind_name(ev->kind), ev->id ? ev->id : "-",
             ev->network_id ? ev->network_id : "-");
    strncat(seen, item, sizeof seen - strlen(seen) - 1);
}

static int reset(void **state)
{
    seen[0] = '\0';
    return 0;
}

static void test_order_and_payload(void **state)
{
    assert_int_equal(event_subscribe(record, "A"), 0);
    assert_int_equal(event_subscribe(record, "B"), 0);
    event_publish(&(struct event){EVENT_NETWORK, "n1", "n1", false});
    event_publish(&(struct event){EVENT_ALL, NULL, NULL, false});
    assert_string_equal(seen, "A:network:n1:n1;B:network:n1:n1;"
                              "A:all:-:-;B:all:-:-;");
    event_unsubscribe(record, "A");
    event_unsubscribe(record, "B");
}

static void test_unsubscribe(void **state)
{
    event_subscribe(record, "A");
    event_subscribe(record, "B");
    event_subscribe(record, "A"); /* twice: both go */
    event_unsubscribe(record, "A");
    event_publish(&(struct event){EVENT_PORT, "p", "n", false});
    assert_string_equal(seen, "B:port:p:n;");
    event_unsubscribe(record, "B");
    seen[0] = '\0';
    event_publish(&(struct event){EVENT_PORT, "p", "n", false});
    assert_string_equal(seen, "");
}

static void drop_b(const struct event *ev, void *aux)
{
    record(ev, aux);
    event_unsubscribe(record, "B");
}

static void test_unsubscribe_during_publish(void **state)
{
    event_subscribe(drop_b, "X");
    event_subscribe(record, "B");
    event_subscribe(record, "C");
    event_publish(&(struct event){EVENT_HOST, "h", NULL, false});
    assert_string_equal(seen, "X:host:h:-;C:host:h:-;");
    event_unsubscribe(drop_b, "X");
    event_unsubscribe(record, "C");
}

static void add_d(const struct event *ev, void *aux)
{
    record(ev, aux);
    event_subscribe(record, "D");
}

static void test_subscribe_during_publish(void **state)
{
    event_subscribe(add_d, "Y");
    event_publish(&(struct event){EVENT_SWITCH, "s", NULL, false});
    assert_string_equal(seen, "Y:switch:s:-;");
    event_unsubscribe(add_d, "Y");
    seen[0] = '\0';
    event_publish(&(struct event){EVENT_GATEWAY, "g", NULL, false});
    assert_string_equal(seen, "D:gateway:g:-;");
    event_unsubscribe(record, "D");
}

static void test_kind_names(void **state)
{
    assert_string_equal(event_kind_name(EVENT_CONNECTION), "connection");
    assert_string_equal(event_kind_name(EVENT_REMOTE), "remote");
    assert_string_equal(event_kind_name((enum event_kind)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_order_and_payload, reset),
        cmocka_unit_test_setup(test_unsubscribe, reset),
        cmocka_unit_test_setup(test_unsubscribe_during_publish, reset),
        cmocka_unit_test_setup(test_subscribe_during_publish, reset),
        cmocka_unit_test_setup(test_kind_names, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
