/* Unit tests of vtep_reconcile(): Ucast_Macs_Remote as a multimap,
 * locators (reuse, one insert per transaction), the unknown-dst row and
 * its locator set, MAC conflicts, truncation, scale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "vtep/names.h"

#define LS1 U(01)
#define L1 U(20)
#define L2 U(21)
#define L3 U(22)
#define M1 U(31)
#define M2 U(32)
#define M3 U(33)
#define M4 U(34)
#define M5 U(35)
#define M6 U(36)
#define S1 U(41)
#define S2 U(42)
#define MC1 U(51)
#define MC2 U(52)
#define MC3 U(53)

#define MAC1 "aa:bb:cc:dd:ee:01"
#define MAC2 "aa:bb:cc:dd:ee:02"
#define MAC3 "aa:bb:cc:dd:ee:03"

/* A fixture with an LS of ours ("net-a", 5000, LS1) desired. */
static struct vtep_ls *
setup(struct fx *f)
{
    fx_init(f);
    fx_ls(f, LS1, "net-a", 5000, FX_OWNER);
    fx_own(f, "net-a");
    return fx_want_ls(f, "net-a", 5000);
}

/* An existing locator is reused even when its IP is spelled differently;
 * a new one is inserted once (named) and referenced by name afterwards; a
 * locator with another tunnel_key is a different locator. */
static void
test_locator_reuse_and_single_insert(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "2001:DB8:0::1", VTEP_NO_KEY);
    fx_loc(&f, L2, "192.0.2.7", 9);
    fx_want_mac(ls, MAC1, "", "2001:db8::1", VTEP_NO_KEY, "p1", 1);
    fx_want_mac(ls, MAC2, "", "192.0.2.7", VTEP_NO_KEY, "p2", 2);
    fx_want_mac(ls, MAC3, "", "192.0.2.7", VTEP_NO_KEY, "p3", 3);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Physical_Locator','uuid-name':'l2gw_loc0',"
        " 'row':{'encapsulation_type':'vxlan_over_ipv4',"
        "  'dst_ip':'192.0.2.7'}},"
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{'MAC':'" MAC2 "',"
        " 'ipaddr':'','locator':['named-uuid','l2gw_loc0'],"
        " 'logical_switch':['uuid','" LS1 "']}},"
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{'MAC':'" MAC1 "',"
        " 'ipaddr':'','locator':['uuid','" L1 "'],"
        " 'logical_switch':['uuid','" LS1 "']}},"
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{'MAC':'" MAC3 "',"
        " 'ipaddr':'','locator':['named-uuid','l2gw_loc0'],"
        " 'logical_switch':['uuid','" LS1 "']}}]");
    fx_exec(&f);
    /* L1 and the new one; L2 (key 9) was unreferenced, so collected. */
    assert_int_equal(fx_count(&f, VTEP_T_LOCATOR), 2);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* A hand-written upper-case MAC that is otherwise right stays. */
static void
test_upper_case_mac_no_churn(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_ucast(&f, M1, LS1, "AA:BB:CC:DD:EE:01", "10.0.0.1", L1);
    fx_want_mac(ls, MAC1, "10.0.0.1", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_run(&f);
    fx_assert_ops(&f, "[]");
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* Duplicates, wrong rows, strays and garbage in our LS are repaired to
 * exactly one right row per MAC. */
static void
test_duplicates_repaired(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_loc(&f, L2, "192.0.2.2", VTEP_NO_KEY);
    fx_ucast(&f, M1, LS1, MAC1, "10.0.0.1", L1);         /* right */
    fx_ucast(&f, M2, LS1, MAC1, "", L2);                 /* duplicate */
    fx_ucast(&f, M3, LS1, "AA:BB:CC:DD:EE:02", "10.9.9.9", L1); /* wrong */
    fx_ucast(&f, M4, LS1, MAC2, "", L1);                 /* wrong too */
    fx_ucast(&f, M5, LS1, "aa:bb:cc:dd:ee:99", "", L1);  /* stray */
    fx_ucast(&f, M6, LS1, "zz", "", L1);                 /* garbage */
    fx_want_mac(ls, MAC1, "10.0.0.1", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_want_mac(ls, MAC2, "", "192.0.2.2", VTEP_NO_KEY, "p", 2);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'update','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M3 "']]],"
        " 'row':{'locator':['uuid','" L2 "'],'ipaddr':''}},"
        "{'op':'delete','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M6 "']]]},"
        "{'op':'delete','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M2 "']]]},"
        "{'op':'delete','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M4 "']]]},"
        "{'op':'delete','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M5 "']]]}]");
    assert_false(f.res.ls_converged[0]);
    fx_exec(&f);
    assert_int_equal(fx_count(&f, VTEP_T_UCAST_REMOTE), 2);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* Only the column that differs is updated; a moved MAC follows its host. */
static void
test_minimal_updates(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_loc(&f, L2, "192.0.2.2", VTEP_NO_KEY);
    fx_ucast(&f, M1, LS1, MAC1, "10.0.0.9", L1);
    fx_ucast(&f, M2, LS1, MAC2, "10.0.0.2", L1);
    fx_want_mac(ls, MAC1, "10.0.0.1", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_want_mac(ls, MAC2, "10.0.0.2", "192.0.2.2", VTEP_NO_KEY, "p", 2);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'update','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M1 "']]],"
        " 'row':{'ipaddr':'10.0.0.1'}},"
        "{'op':'update','table':'Ucast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" M2 "']]],"
        " 'row':{'locator':['uuid','" L2 "']}}]");
    fx_destroy(&f);
}

/* One MAC claimed twice in one LS: the lower rank wins, the loser is a
 * problem naming both owners. */
static void
test_mac_conflict(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_loc(&f, L2, "192.0.2.2", VTEP_NO_KEY);
    fx_want_mac(ls, MAC1, "", "192.0.2.2", VTEP_NO_KEY, "port new", 9);
    fx_want_mac(ls, MAC1, "", "192.0.2.1", VTEP_NO_KEY, "port old", 3);
    fx_want_mac(ls, MAC1, "", "192.0.2.1", VTEP_NO_KEY, "port old", 3);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{'MAC':'" MAC1 "',"
        " 'ipaddr':'','locator':['uuid','" L1 "'],"
        " 'logical_switch':['uuid','" LS1 "']}}]");
    assert_string_equal(fx_problems(&f),
                        "MAC " MAC1 " is claimed by port old and by port new; "
                        "port old keeps it");
    assert_string_equal(f.res.problems[0].ls, "net-a");
    assert_null(f.res.problems[0].conn);
    fx_exec(&f);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]); /* the winner is there */
    assert_int_equal(f.res.n_problems, 1);
    fx_destroy(&f);
}

/* The flood set changed: a new set is inserted and the row re-pointed;
 * duplicate unknown-dst rows and other Mcast rows of our LS go. */
static void
test_flood_set_changed(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_loc(&f, L2, "192.0.2.2", VTEP_NO_KEY);
    fx_set(&f, S1, L1, NULL);
    fx_mcast(&f, MC1, LS1, "unknown-dst", S1);
    fx_mcast(&f, MC2, LS1, "unknown-dst", S1);
    fx_mcast(&f, MC3, LS1, "01:00:5e:00:00:01", S1);
    fx_want_flood(ls, "192.0.2.2", VTEP_NO_KEY);
    fx_want_flood(ls, "192.0.2.1", VTEP_NO_KEY);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Physical_Locator_Set','uuid-name':'l2gw_set0',"
        " 'row':{'locators':['set',[['uuid','" L1 "'],['uuid','" L2 "']]]}},"
        "{'op':'update','table':'Mcast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" MC1 "']]],"
        " 'row':{'locator_set':['named-uuid','l2gw_set0']}},"
        "{'op':'delete','table':'Mcast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" MC2 "']]]},"
        "{'op':'delete','table':'Mcast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" MC3 "']]]}]");
    fx_exec(&f);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    assert_int_equal(fx_count(&f, VTEP_T_LOCATOR_SET), 1); /* S1 collected */
    fx_destroy(&f);
}

/* A row that already has the desired set is kept (whatever its rank among
 * duplicates); the others are deleted. */
static void
test_flood_matching_row_kept(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_loc(&f, L2, "192.0.2.2", VTEP_NO_KEY);
    fx_set(&f, S1, L1, NULL);
    fx_set(&f, S2, L2, L1);
    fx_mcast(&f, MC1, LS1, "unknown-dst", S1);
    fx_mcast(&f, MC2, LS1, "UNKNOWN-DST", S2);
    fx_want_flood(ls, "192.0.2.1", VTEP_NO_KEY);
    fx_want_flood(ls, "192.0.2.2", VTEP_NO_KEY);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'delete','table':'Mcast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" MC1 "']]]}]");
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* No flood locators: no set is ever inserted (an empty set is invalid) and
 * an existing unknown-dst row is deleted. */
static void
test_no_empty_locator_set(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    struct vtep_ls *ls = fx_want_ls(&f, "net-b", 6000);
    fx_want_mac(ls, MAC1, "", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_run(&f);
    json_t *ops = fx_ops(&f);
    assert_int_equal(json_array_size(ops), 3); /* LS, locator, MAC */
    for (size_t i = 0; i < json_array_size(ops); i++) {
        const char *t = json_string_value(
            json_object_get(json_array_get(ops, i), "table"));
        assert_string_not_equal(t, VTEP_T_LOCATOR_SET);
        assert_string_not_equal(t, VTEP_T_MCAST_REMOTE);
    }
    json_decref(ops);
    fx_destroy(&f);

    ls = setup(&f);
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_set(&f, S1, L1, NULL);
    fx_mcast(&f, MC1, LS1, "unknown-dst", S1);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'delete','table':'Mcast_Macs_Remote',"
        " 'where':[['_uuid','==',['uuid','" MC1 "']]]}]");
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* A WAN locator (with tunnel_key) that only floods is inserted with the
 * set, in the set's group. */
static void
test_flood_wan_locator(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_want_flood(ls, "192.0.2.1", VTEP_NO_KEY);
    fx_want_flood(ls, "203.0.113.5", 77);
    fx_want_mac(ls, MAC1, "", "203.0.113.5", 77, "remote mac 1", 1);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Physical_Locator','uuid-name':'l2gw_loc0',"
        " 'row':{'encapsulation_type':'vxlan_over_ipv4',"
        "  'dst_ip':'203.0.113.5','tunnel_key':77}},"
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{'MAC':'" MAC1 "',"
        " 'ipaddr':'','locator':['named-uuid','l2gw_loc0'],"
        " 'logical_switch':['uuid','" LS1 "']}},"
        "{'op':'insert','table':'Physical_Locator_Set','uuid-name':'l2gw_set0',"
        " 'row':{'locators':['set',[['uuid','" L1 "'],"
        "  ['named-uuid','l2gw_loc0']]]}},"
        "{'op':'insert','table':'Mcast_Macs_Remote','row':{"
        " 'MAC':'unknown-dst','locator_set':['named-uuid','l2gw_set0'],"
        " 'logical_switch':['uuid','" LS1 "']}}]");
    fx_exec(&f);
    fx_destroy(&f);

    /* Without the MAC, the locator goes in with the set. */
    ls = setup(&f);
    fx_want_flood(ls, "203.0.113.5", 77);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Physical_Locator','uuid-name':'l2gw_loc0',"
        " 'row':{'encapsulation_type':'vxlan_over_ipv4',"
        "  'dst_ip':'203.0.113.5','tunnel_key':77}},"
        "{'op':'insert','table':'Physical_Locator_Set','uuid-name':'l2gw_set0',"
        " 'row':{'locators':['set',[['named-uuid','l2gw_loc0']]]}},"
        "{'op':'insert','table':'Mcast_Macs_Remote','row':{"
        " 'MAC':'unknown-dst','locator_set':['named-uuid','l2gw_set0'],"
        " 'logical_switch':['uuid','" LS1 "']}}]");
    fx_exec(&f);
    fx_destroy(&f);
}

/* max_ops cuts at group boundaries: a locator never leaves without its
 * first MAC, no named-uuid dangles, and later passes finish the work. */
static void
test_truncation(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    f.o.max_ops = 10;
    struct vtep_ls *ls = fx_want_ls(&f, "net-t", 77);
    for (int i = 0; i < 30; i++) {
        char mac[18], ip[16];
        snprintf(mac, sizeof mac, "02:00:00:00:00:%02x", i);
        snprintf(ip, sizeof ip, "198.51.100.%d", i + 1);
        fx_want_mac(ls, mac, "", ip, VTEP_NO_KEY, "p", i);
        fx_want_flood(ls, ip, VTEP_NO_KEY);
    }
    fx_run(&f);
    assert_true(f.res.truncated);
    assert_int_equal(f.res.n_ops, 9); /* LS + 4 × (locator, MAC) */
    fx_check_refs(&f);
    assert_int_equal(f.res.n_record, 1);
    int passes = fx_converge(&f, 20);
    /* 26 (locator, MAC) groups left: 5 per pass for five passes, then the
     * last one with the set group. */
    assert_int_equal(passes, 7);
    assert_false(f.res.truncated);
    assert_int_equal(fx_count(&f, VTEP_T_UCAST_REMOTE), 30);
    assert_int_equal(fx_count(&f, VTEP_T_LOCATOR), 30);
    assert_int_equal(fx_count(&f, VTEP_T_MCAST_REMOTE), 1);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* A group larger than max_ops is sent alone rather than never. */
static void
test_oversized_group(void **state)
{
    struct fx f;
    struct vtep_ls *ls = setup(&f);

    (void)state;
    f.o.max_ops = 3;
    for (int i = 0; i < 5; i++) {
        char ip[16];
        snprintf(ip, sizeof ip, "198.51.100.%d", i + 1);
        fx_want_flood(ls, ip, VTEP_NO_KEY);
    }
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 7); /* 5 locators, set, Mcast row */
    assert_false(f.res.truncated);
    fx_exec(&f);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    fx_destroy(&f);
}

/* 10,000 MACs on 100 hosts converge in a few transactions. */
static void
test_ten_thousand_macs(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    struct vtep_ls *ls = fx_want_ls(&f, "net-big", 4242);
    for (int i = 0; i < 10000; i++) {
        char mac[18], ip[16];
        snprintf(mac, sizeof mac, "02:00:00:%02x:%02x:%02x", i >> 16,
                 (i >> 8) & 0xff, i & 0xff);
        snprintf(ip, sizeof ip, "10.0.%d.%d", i % 100 / 50, i % 100 + 1);
        fx_want_mac(ls, mac, "", ip, VTEP_NO_KEY, "p", i);
        fx_want_flood(ls, ip, VTEP_NO_KEY);
    }
    assert_int_equal(fx_converge(&f, 10), 3);
    assert_int_equal(fx_count(&f, VTEP_T_UCAST_REMOTE), 10000);
    assert_int_equal(fx_count(&f, VTEP_T_LOCATOR), 100);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locator_reuse_and_single_insert),
        cmocka_unit_test(test_upper_case_mac_no_churn),
        cmocka_unit_test(test_duplicates_repaired),
        cmocka_unit_test(test_minimal_updates),
        cmocka_unit_test(test_mac_conflict),
        cmocka_unit_test(test_flood_set_changed),
        cmocka_unit_test(test_flood_matching_row_kept),
        cmocka_unit_test(test_no_empty_locator_set),
        cmocka_unit_test(test_flood_wan_locator),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_oversized_group),
        cmocka_unit_test(test_ten_thousand_macs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
