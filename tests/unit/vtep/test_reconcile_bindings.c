/* Unit tests of vtep_reconcile(): Physical_Port.vlan_bindings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fixture.h"
#include "ovsdb/replica.h"
#include "vtep/names.h"

#define LS1 U(01)
#define LS2 U(02)
#define LS3 U(03)
#define PS1 U(10)
#define P1 U(11)
#define P2 U(12)
#define PS2 U(13)
#define P3 U(14)

/* Two switches (sw1: p1, p2; sw2: p3), LS1 "net-a" (5000) and LS2 "net-b"
 * (6000) ours, LS3 "theirs" (7000) foreign; net-a desired. */
static struct vtep_ls *
setup(struct fx *f)
{
    fx_init(f);
    fx_switch(f, PS1, "sw1", P1, "p1", P2, "p2");
    fx_switch(f, PS2, "sw2", P3, "p3", NULL, NULL);
    fx_ls(f, LS1, "net-a", 5000, FX_OWNER);
    fx_ls(f, LS2, "net-b", 6000, FX_OWNER);
    fx_ls(f, LS3, "theirs", 7000, NULL);
    fx_own(f, "net-a");
    fx_own(f, "net-b");
    fx_want_ls(f, "net-b", 6000);
    return fx_want_ls(f, "net-a", 5000);
}

static void
test_binding_added(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_want_binding(ls, "sw1", "p1", 0, "conn-1");
    fx_want_binding(ls, "sw1", "p1", 100, "conn-2");
    fx_want_binding(ls, "sw2", "p3", 100, "conn-2");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','insert',['map',"
        "   [[0,['uuid','" LS1 "']],[100,['uuid','" LS1 "']]]]]]},"
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P3 "']]],"
        " 'mutations':[['vlan_bindings','insert',['map',"
        "   [[100,['uuid','" LS1 "']]]]]]}]");
    assert_false(f.res.ls_converged[1]);
    assert_true(f.res.ls_converged[0]); /* net-b wants nothing more */
    fx_exec(&f);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[1]);
    fx_destroy(&f);
}

/* A (port, VLAN) bound to another LS of ours is re-pointed: delete of the
 * old pair and insert of the new one in one operation. */
static void
test_binding_repointed(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_bindings(&f, P1, "['map',[[10,['uuid','" LS2 "']]]]");
    fx_want_binding(ls, "sw1", "p1", 10, "conn-1");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':["
        "  ['vlan_bindings','delete',['map',[[10,['uuid','" LS2 "']]]]],"
        "  ['vlan_bindings','insert',['map',[[10,['uuid','" LS1 "']]]]]]}]");
    fx_exec(&f);
    assert_int_equal(fx_count_where(&f, VTEP_T_PORT, "vlan_bindings",
                                    "['map',[[10,['uuid','" LS1 "']]]]"), 1);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    fx_destroy(&f);
}

/* A foreign binding on a (port, VLAN) we need is a problem of that
 * binding's connection and is never touched. */
static void
test_binding_foreign(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_bindings(&f, P1, "['map',[[10,['uuid','" LS3 "']]]]");
    fx_want_binding(ls, "sw1", "p1", 10, "conn-1");
    fx_run(&f);
    fx_assert_ops(&f, "[]");
    assert_string_equal(fx_problems(&f), "VLAN 10 of port p1 on sw1 is bound "
                                         "to Logical_Switch theirs");
    assert_string_equal(f.res.problems[0].ls, "net-a");
    assert_string_equal(f.res.problems[0].conn, "conn-1");
    /* The LS holds everything it can: converged apart from the problem. */
    assert_true(f.res.ls_converged[1]);
    fx_destroy(&f);
}

static void
test_binding_port_missing(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_want_binding(ls, "sw1", "p9", 1, "conn-1");
    fx_want_binding(ls, "sw9", "p1", 2, "conn-2");
    fx_want_binding(ls, "sw1", "p2", 3, "conn-3");
    fx_run(&f);
    assert_string_equal(fx_problems(&f),
                        "Physical_Port p9 of switch sw1 not found\n"
                        "Physical_Port p1 of switch sw9 not found");
    assert_string_equal(f.res.problems[0].conn, "conn-1");
    assert_string_equal(f.res.problems[1].conn, "conn-2");
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P2 "']]],"
        " 'mutations':[['vlan_bindings','insert',['map',"
        "   [[3,['uuid','" LS1 "']]]]]]}]");
    fx_destroy(&f);
}

/* Our bindings that are not desired go (in the deletion phase); foreign
 * ones stay. */
static void
test_binding_removed(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_bindings(&f, P1, "['map',[[10,['uuid','" LS1 "']],"
                        "[11,['uuid','" LS3 "']],[12,['uuid','" LS2 "']]]]");
    fx_want_binding(ls, "sw1", "p1", 13, "conn-1");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','insert',['map',"
        "   [[13,['uuid','" LS1 "']]]]]]},"
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','delete',['map',"
        "   [[10,['uuid','" LS1 "']],[12,['uuid','" LS2 "']]]]]]}]");
    fx_exec(&f);
    assert_int_equal(fx_count_where(&f, VTEP_T_PORT, "vlan_bindings",
                                    "['map',[[11,['uuid','" LS3 "']],"
                                    "[13,['uuid','" LS1 "']]]]"), 1);
    fx_destroy(&f);
}

/* Two desired LSs on one (port, VLAN): the first keeps it. */
static void
test_binding_wanted_twice(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_want_binding(ls, "sw1", "p1", 10, "conn-1");
    fx_want_binding(&f.d.ls[0], "sw1", "p1", 10, "conn-2"); /* net-b */
    fx_run(&f);
    assert_string_equal(fx_problems(&f), "VLAN 10 of port p1 on sw1 is "
                                         "wanted by Logical_Switch net-b too");
    assert_string_equal(f.res.problems[0].ls, "net-a");
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','insert',['map',"
        "   [[10,['uuid','" LS2 "']]]]]]}]");
    fx_destroy(&f);
}

/* Drift: a binding removed by hand comes back on the next pass. */
static void
test_binding_drift_repaired(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_want_binding(ls, "sw2", "p3", 7, "conn-1");
    assert_int_equal(fx_converge(&f, 5), 1);
    fx_bindings(&f, P3, "['map',[]]");
    fx_run(&f);
    assert_false(f.res.ls_converged[1]);
    assert_int_equal(f.res.n_ops, 1);
    assert_int_equal(fx_converge(&f, 5), 1);
    assert_int_equal(fx_count_where(&f, VTEP_T_PORT, "vlan_bindings",
                                    "['map',[[7,['uuid','" LS1 "']]]]"), 1);
    fx_destroy(&f);
}

/* Only the ports l2gw manages (opts.managed, plus those of desired
 * bindings) lose bindings to our LSs; a binding on another port is
 * someone else's: kept, and the LS it names (ours, no longer desired) is
 * deleted only once that binding is gone. */
static void
test_binding_unmanaged_kept(void **state)
{
    static const struct vtep_port_ref managed[] = {{"sw1", "p1"}};
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", P2, "p2");
    fx_switch(&f, PS2, "sw2", P3, "p3", NULL, NULL);
    fx_ls(&f, LS1, "net-a", 5000, FX_OWNER);
    fx_ls(&f, LS2, "net-b", 6000, FX_OWNER);
    fx_own(&f, "net-a");
    fx_own(&f, "net-b");
    /* net-b is no longer desired; sw1/p2 is managed through net-a. */
    fx_want_binding(fx_want_ls(&f, "net-a", 5000), "sw1", "p2", 5, "conn-1");
    f.o.managed = managed;
    f.o.n_managed = 1;
    fx_bindings(&f, P1, "['map',[[20,['uuid','" LS2 "']],"
                        "[30,['uuid','" LS1 "']]]]");
    fx_bindings(&f, P2, "['map',[[21,['uuid','" LS2 "']]]]");
    fx_bindings(&f, P3, "['map',[[22,['uuid','" LS2 "']],"
                        "[23,['uuid','" LS1 "']]]]");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P2 "']]],"
        " 'mutations':[['vlan_bindings','insert',['map',"
        "   [[5,['uuid','" LS1 "']]]]]]},"
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','delete',['map',"
        "   [[20,['uuid','" LS2 "']],[30,['uuid','" LS1 "']]]]]]},"
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P2 "']]],"
        " 'mutations':[['vlan_bindings','delete',['map',"
        "   [[21,['uuid','" LS2 "']]]]]]}]");
    assert_true(f.res.waiting);
    assert_int_equal(f.res.n_forget, 0);
    fx_exec(&f);
    /* Nothing more to do while sw2/p3 still binds net-b: it waits. */
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.waiting);
    assert_int_equal(fx_count_where(&f, VTEP_T_PORT, "vlan_bindings",
                                    "['map',[[22,['uuid','" LS2 "']],"
                                    "[23,['uuid','" LS1 "']]]]"), 1);
    assert_int_equal(fx_count_where(&f, VTEP_T_LS, "name", "'net-b'"), 1);
    /* Its owner unbinds it: now net-b goes; net-a's binding there stays. */
    fx_bindings(&f, P3, "['map',[[23,['uuid','" LS1 "']]]]");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'delete','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS2 "']]]}]");
    assert_false(f.res.waiting);
    fx_exec(&f);
    assert_int_equal(fx_count_where(&f, VTEP_T_LS, "name", "'net-b'"), 0);
    assert_int_equal(fx_count_where(&f, VTEP_T_PORT, "vlan_bindings",
                                    "['map',[[23,['uuid','" LS1 "']]]]"), 1);
    fx_destroy(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binding_added),
        cmocka_unit_test(test_binding_repointed),
        cmocka_unit_test(test_binding_foreign),
        cmocka_unit_test(test_binding_port_missing),
        cmocka_unit_test(test_binding_removed),
        cmocka_unit_test(test_binding_wanted_twice),
        cmocka_unit_test(test_binding_drift_repaired),
        cmocka_unit_test(test_binding_unmanaged_kept),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
