/* Unit tests of src/vtep/desired.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vtep/desired.h"

static struct vtep_locator
loc(const char *ip, long long key)
{
    struct vtep_locator l = {.key = key};

    strncpy(l.ip, ip, sizeof l.ip - 1);
    return l;
}

static void
test_ls_find_or_add(void **state)
{
    struct vtep_desired d;

    (void)state;
    vtep_desired_init(&d);
    struct vtep_ls *a = vtep_desired_ls(&d, "net-a", "A", 5);
    assert_non_null(a);
    assert_string_equal(a->description, "A");
    assert_int_equal(a->key, 5);
    assert_ptr_equal(vtep_desired_ls(&d, "net-a", "other", 6), a);
    assert_int_equal(d.n_ls, 1);
    struct vtep_ls *b = vtep_desired_ls(&d, "net-b", NULL, 6);
    assert_string_equal(b->description, "");
    assert_ptr_equal(vtep_desired_find(&d, "net-b"), b);
    assert_null(vtep_desired_find(&d, "net-c"));
    assert_null(vtep_desired_ls(&d, NULL, "x", 1));
    vtep_desired_destroy(&d);
    vtep_desired_destroy(&d); /* twice is fine */
}

static void
test_canonical_storage(void **state)
{
    struct vtep_desired d;
    struct vtep_locator l = loc("2001:DB8::0:1", VTEP_NO_KEY);

    (void)state;
    vtep_desired_init(&d);
    struct vtep_ls *ls = vtep_desired_ls(&d, "n", "", 1);
    assert_int_equal(vtep_ls_add_mac(ls, "AA:BB:CC:DD:EE:FF", "10.0.0.1", &l,
                                     "port x", 4), 0);
    assert_string_equal(ls->macs[0].mac, "aa:bb:cc:dd:ee:ff");
    assert_string_equal(ls->macs[0].loc.ip, "2001:db8::1");
    assert_string_equal(ls->macs[0].owner, "port x");
    assert_int_equal(ls->macs[0].rank, 4);
    assert_int_equal(vtep_ls_add_mac(ls, "aa:bb:cc:dd:ee:01", NULL, &l, NULL,
                                     0), 0);
    assert_string_equal(ls->macs[1].ip, "");
    assert_string_equal(ls->macs[1].owner, "");
    /* Invalid values. */
    struct vtep_locator bad = loc("nope", VTEP_NO_KEY);
    struct vtep_locator bad_key = loc("10.0.0.1", VTEP_MAX_KEY + 1);
    assert_int_equal(vtep_ls_add_mac(ls, "zz", "", &l, "o", 0), -EINVAL);
    assert_int_equal(vtep_ls_add_mac(ls, "aa:bb:cc:dd:ee:ff", "10.0.0.0/8",
                                     &l, "o", 0), -EINVAL);
    assert_int_equal(vtep_ls_add_mac(ls, "aa:bb:cc:dd:ee:ff", "", &bad, "o",
                                     0), -EINVAL);
    assert_int_equal(vtep_ls_add_mac(ls, "aa:bb:cc:dd:ee:ff", "", &bad_key,
                                     "o", 0), -EINVAL);
    assert_int_equal(vtep_ls_add_flood(ls, &bad), -EINVAL);
    assert_int_equal(vtep_ls_add_binding(ls, "ps", "p", 4096, "c"), -EINVAL);
    assert_int_equal(vtep_ls_add_binding(ls, "ps", "p", -1, "c"), -EINVAL);
    assert_int_equal(ls->n_macs, 2);
    vtep_desired_destroy(&d);
}

static void
test_dedup_and_sort(void **state)
{
    struct vtep_desired d;
    struct vtep_locator l1 = loc("10.0.0.2", VTEP_NO_KEY);
    struct vtep_locator l2 = loc("10.0.0.1", 7);
    struct vtep_locator l3 = loc("10.0.0.1", VTEP_NO_KEY);

    (void)state;
    vtep_desired_init(&d);
    vtep_desired_ls(&d, "z", "", 2);
    struct vtep_ls *ls = vtep_desired_ls(&d, "a", "", 1);
    assert_int_equal(vtep_ls_add_flood(ls, &l1), 0);
    assert_int_equal(vtep_ls_add_flood(ls, &l2), 0);
    assert_int_equal(vtep_ls_add_flood(ls, &l1), 0);
    assert_int_equal(vtep_ls_add_flood(ls, &l3), 0);
    assert_int_equal(ls->n_flood, 3);
    assert_int_equal(vtep_ls_add_conn(ls, "c2"), 0);
    assert_int_equal(vtep_ls_add_conn(ls, "c1"), 0);
    assert_int_equal(vtep_ls_add_conn(ls, "c2"), 0);
    assert_int_equal(ls->n_conns, 2);
    assert_int_equal(vtep_ls_add_binding(ls, "sw2", "p1", 5, "c1"), 0);
    assert_int_equal(vtep_ls_add_binding(ls, "sw1", "p2", 5, "c1"), 0);
    assert_int_equal(vtep_ls_add_binding(ls, "sw1", "p2", 0, "c2"), 0);
    assert_int_equal(vtep_ls_add_mac(ls, "00:00:00:00:00:02", "", &l1, "b", 2),
                     0);
    assert_int_equal(vtep_ls_add_mac(ls, "00:00:00:00:00:01", "", &l1, "x", 9),
                     0);
    assert_int_equal(vtep_ls_add_mac(ls, "00:00:00:00:00:01", "", &l1, "y", 1),
                     0);
    vtep_desired_sort(&d);
    assert_string_equal(d.ls[0].name, "a");
    assert_string_equal(d.ls[1].name, "z");
    ls = &d.ls[0];
    assert_string_equal(ls->flood[0].ip, "10.0.0.1");
    assert_int_equal(ls->flood[0].key, VTEP_NO_KEY);
    assert_int_equal(ls->flood[1].key, 7);
    assert_string_equal(ls->flood[2].ip, "10.0.0.2");
    assert_string_equal(ls->conns[0], "c1");
    assert_string_equal(ls->bindings[0].ps, "sw1");
    assert_int_equal(ls->bindings[0].vlan, 0);
    assert_int_equal(ls->bindings[1].vlan, 5);
    assert_string_equal(ls->bindings[2].ps, "sw2");
    assert_string_equal(ls->macs[0].owner, "y");
    assert_string_equal(ls->macs[1].owner, "x");
    assert_string_equal(ls->macs[2].mac, "00:00:00:00:00:02");
    vtep_desired_destroy(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_find_or_add),
        cmocka_unit_test(test_canonical_storage),
        cmocka_unit_test(test_dedup_and_sort),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
