/* Unit tests of lib/eventwire: the NOTIFY payload of change events. */
#include "lib/eventwire.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static char buf[EVENTWIRE_PAYLOAD_MAX];
static struct eventwire_batch b;

static void test_round_trip(void **state)
{
    struct event ev[] = {
        {EVENT_CONNECTION, "c1-uuid", "n1-uuid", false},
        {EVENT_PORT, NULL, "n2", false},
        {EVENT_SWITCH, "s1", NULL, false},
    };

    assert_int_equal(eventwire_encode(buf, sizeof buf, 42, "node-a", ev, 3), 0);
    assert_string_equal(buf, "l2gw1 42 node-a connection:c1-uuid:n1-uuid "
                             "port:-:n2 switch:s1:-");
    assert_int_equal(eventwire_decode(buf, &b), 0);
    assert_int_equal(b.seq, 42);
    assert_string_equal(b.origin, "node-a");
    assert_int_equal(b.n, 3);
    assert_int_equal(b.ev[0].kind, EVENT_CONNECTION);
    assert_string_equal(b.ev[0].id, "c1-uuid");
    assert_string_equal(b.ev[0].network_id, "n1-uuid");
    assert_null(b.ev[1].id);
    assert_string_equal(b.ev[1].network_id, "n2");
    assert_int_equal(b.ev[2].kind, EVENT_SWITCH);
    assert_null(b.ev[2].network_id);
}

/* Too many events, or a string that cannot travel: one "all" event. */
static void test_falls_back_to_all(void **state)
{
    struct event ev[EVENTWIRE_MAX_EVENTS + 1];

    for (size_t i = 0; i <= EVENTWIRE_MAX_EVENTS; i++) {
        ev[i] = (struct event){EVENT_NETWORK, "n", "n", false};
    }
    assert_int_equal(eventwire_encode(buf, sizeof buf, 7, "x", ev,
                                      EVENTWIRE_MAX_EVENTS + 1), 0);
    assert_string_equal(buf, "l2gw1 7 x all:-:-");
    ev[0].id = "has space";
    assert_int_equal(eventwire_encode(buf, sizeof buf, 8, "x", ev, 1), 0);
    assert_string_equal(buf, "l2gw1 8 x all:-:-");
    ev[0].id = "-";
    assert_int_equal(eventwire_encode(buf, sizeof buf, 9, "x", ev, 1), 0);
    assert_string_equal(buf, "l2gw1 9 x all:-:-");
    /* The longest batch fits PostgreSQL's 8000-byte payload. */
    char id[EVENTWIRE_ID_MAX + 1];
    memset(id, 'a', EVENTWIRE_ID_MAX);
    id[EVENTWIRE_ID_MAX] = '\0';
    char origin[EVENTWIRE_ORIGIN_MAX + 1];
    memset(origin, 'o', EVENTWIRE_ORIGIN_MAX);
    origin[EVENTWIRE_ORIGIN_MAX] = '\0';
    for (size_t i = 0; i < EVENTWIRE_MAX_EVENTS; i++) {
        ev[i] = (struct event){EVENT_CONNECTION, id, id, false};
    }
    assert_int_equal(eventwire_encode(buf, sizeof buf, 18446744073709551615ULL,
                                      origin, ev, EVENTWIRE_MAX_EVENTS), 0);
    assert_true(strlen(buf) < 8000);
    assert_int_equal(eventwire_decode(buf, &b), 0);
    assert_int_equal(b.n, EVENTWIRE_MAX_EVENTS);
}

static void test_bad_origin(void **state)
{
    struct event ev = {EVENT_ALL, NULL, NULL, false};
    assert_int_equal(eventwire_encode(buf, sizeof buf, 1, "", &ev, 1), -EINVAL);
    assert_int_equal(eventwire_encode(buf, sizeof buf, 1, "a b", &ev, 1),
                     -EINVAL);
}

static void test_rejects(void **state)
{
    static const char *const bad[] = {
        "",
        "l2gw1",
        "l2gw1 1 n",                 /* no event */
        "l2gw2 1 n all:-:-",         /* other version */
        "l2gw1 0 n all:-:-",         /* seq 0 */
        "l2gw1 01 n all:-:-",        /* not canonical */
        "l2gw1 -1 n all:-:-",
        "l2gw1 1x n all:-:-",
        "l2gw1 99999999999999999999 n all:-:-", /* overflows */
        "l2gw1 1 n  all:-:-",        /* two spaces */
        " l2gw1 1 n all:-:-",
        "l2gw1 1 n all:-:- ",
        "l2gw1 1 n bogus:-:-",
        "l2gw1 1 n all:-",
        "l2gw1 1 n all:-:-:-",
        "l2gw1 1 n network:a$b:-",
        "l2gw1 1 n/x network:a:-",
        "l2gw1 1 n network::-",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (eventwire_decode(bad[i], &b) != -EINVAL) {
            fail_msg("accepted '%s'", bad[i]);
        }
    }
    assert_int_equal(eventwire_decode(NULL, &b), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_falls_back_to_all),
        cmocka_unit_test(test_bad_origin),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
