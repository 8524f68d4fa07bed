/* Unit tests of vtep_reconcile(): Logical_Switch insert, columns,
 * ownership, adoption, conflicts, staged removal, idempotence, scope,
 * durable commit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "ovsdb/replica.h"
#include "vtep/names.h"

#define LS1 U(01)
#define LS2 U(02)
#define PS1 U(10)
#define P1 U(11)
#define P2 U(12)
#define L1 U(20)
#define L2 U(21)
#define M1 U(30)
#define M2 U(31)
#define SET1 U(40)
#define MC1 U(50)
#define LOCAL1 U(60)

#define OWNER_MAP "['map',[['l2gw-owner','" FX_OWNER "']]]"

/* Everything from nothing: the exact operations, in order. */
static void
test_insert_everything(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", NULL, NULL);
    struct vtep_ls *ls = fx_want_ls(&f, "net-a", 5000);
    fx_want_mac(ls, "AA:BB:CC:DD:EE:02", "", "192.0.2.1", VTEP_NO_KEY,
                "port b", 2);
    fx_want_mac(ls, "aa:bb:cc:dd:ee:01", "10.1.0.1", "192.0.2.1", VTEP_NO_KEY,
                "port a", 1);
    fx_want_flood(ls, "192.0.2.1", VTEP_NO_KEY);
    fx_want_binding(ls, "sw1", "p1", 100, "conn-1");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Logical_Switch','uuid-name':'l2gw_ls0',"
        " 'row':{'name':'net-a','description':'','tunnel_key':5000,"
        "  'replication_mode':'source_node','other_config':" OWNER_MAP "}},"
        "{'op':'insert','table':'Physical_Locator','uuid-name':'l2gw_loc0',"
        " 'row':{'encapsulation_type':'vxlan_over_ipv4',"
        "  'dst_ip':'192.0.2.1'}},"
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{"
        " 'MAC':'aa:bb:cc:dd:ee:01','ipaddr':'10.1.0.1',"
        " 'locator':['named-uuid','l2gw_loc0'],"
        " 'logical_switch':['named-uuid','l2gw_ls0']}},"
        "{'op':'insert','table':'Ucast_Macs_Remote','row':{"
        " 'MAC':'aa:bb:cc:dd:ee:02','ipaddr':'',"
        " 'locator':['named-uuid','l2gw_loc0'],"
        " 'logical_switch':['named-uuid','l2gw_ls0']}},"
        "{'op':'insert','table':'Physical_Locator_Set','uuid-name':'l2gw_set0',"
        " 'row':{'locators':['set',[['named-uuid','l2gw_loc0']]]}},"
        "{'op':'insert','table':'Mcast_Macs_Remote','row':{"
        " 'MAC':'unknown-dst','locator_set':['named-uuid','l2gw_set0'],"
        " 'logical_switch':['named-uuid','l2gw_ls0']}},"
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','insert',"
        "   ['map',[[100,['named-uuid','l2gw_ls0']]]]]]}]");
    assert_int_equal(f.res.n_record, 1);
    assert_string_equal(f.res.record[0], "net-a");
    assert_int_equal(f.res.n_problems, 0);
    assert_false(f.res.ls_converged[0]);
    assert_false(f.res.truncated);

    /* Applied, the next pass has nothing to do and reports convergence. */
    fx_record(&f);
    fx_exec(&f);
    fx_run(&f);
    assert_null(f.res.txn);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    assert_int_equal(fx_count(&f, VTEP_T_UCAST_REMOTE), 2);
    assert_int_equal(fx_count(&f, VTEP_T_LOCATOR), 1);
    fx_destroy(&f);
}

/* A replica built by hand to match the desired state: no operations. */
static void
test_hand_built_match_no_ops(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", NULL, NULL);
    fx_ls(&f, LS1, "net-a", 5000, FX_OWNER);
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_loc(&f, L2, "203.0.113.9", 77);
    fx_ucast(&f, M1, LS1, "aa:bb:cc:dd:ee:01", "10.1.0.1", L1);
    fx_ucast(&f, M2, LS1, "aa:bb:cc:dd:ee:02", "", L2);
    fx_set(&f, SET1, L1, L2);
    fx_mcast(&f, MC1, LS1, "unknown-dst", SET1);
    fx_bindings(&f, P1, "['map',[[100,['uuid','" LS1 "']]]]");
    struct vtep_ls *ls = fx_want_ls(&f, "net-a", 5000);
    fx_want_mac(ls, "aa:bb:cc:dd:ee:01", "10.1.0.1", "192.0.2.1", VTEP_NO_KEY,
                "p", 1);
    fx_want_mac(ls, "aa:bb:cc:dd:ee:02", NULL, "203.0.113.9", 77, "r", 2);
    fx_want_flood(ls, "203.0.113.9", 77);
    fx_want_flood(ls, "192.0.2.1", VTEP_NO_KEY);
    fx_want_binding(ls, "sw1", "p1", 100, "conn-1");
    fx_run(&f);
    fx_assert_ops(&f, "[]");
    assert_null(f.res.txn);
    assert_true(f.res.ls_converged[0]);
    assert_int_equal(f.res.n_problems, 0);
    /* Owned by its mark, not in the store yet: recorded. */
    assert_int_equal(f.res.n_record, 1);
    fx_own(&f, "net-a");
    fx_run(&f);
    assert_int_equal(f.res.n_record, 0);
    assert_int_equal(f.res.n_ops, 0);
    fx_destroy(&f);
}

/* The same inputs give the same transaction. */
static void
test_deterministic(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", P2, "p2");
    fx_ls(&f, LS2, "old", 7, FX_OWNER);
    fx_ucast(&f, M1, LS2, "aa:bb:cc:dd:ee:01", "", L1);
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "net-%d", i);
        struct vtep_ls *ls = fx_want_ls(&f, name, 100 + i);
        for (int m = 0; m < 20; m++) {
            char mac[18], ip[16];
            snprintf(mac, sizeof mac, "02:00:00:00:%02x:%02x", i, m);
            snprintf(ip, sizeof ip, "192.0.2.%d", m % 5 + 1);
            fx_want_mac(ls, mac, "", ip, VTEP_NO_KEY, "p", m);
            fx_want_flood(ls, ip, VTEP_NO_KEY);
        }
        fx_want_binding(ls, "sw1", i ? "p2" : "p1", 10 + i, "c");
    }
    fx_run(&f);
    json_t *a = fx_ops(&f);
    fx_run(&f);
    json_t *b = fx_ops(&f);
    assert_true(json_equal(a, b));
    char *sa = json_dumps(a, JSON_PRESERVE_ORDER);
    char *sb = json_dumps(b, JSON_PRESERVE_ORDER);
    assert_string_equal(sa, sb);
    free(sa);
    free(sb);
    json_decref(a);
    json_decref(b);
    fx_check_refs(&f);
    fx_destroy(&f);
}

/* An unmarked LS with the network's name and VNI is adopted: recorded,
 * marked with a mutate that keeps its other keys, and its columns set. */
static void
test_adoption(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_ls(&f, LS1, "net-a", 5000, NULL);
    fx_apply(&f, "{'Logical_Switch':{'" LS1 "':{'new':{"
                 "'description':'old name','replication_mode':['set',[]],"
                 "'other_config':['map',[['vendor','x']]]}}}}");
    struct vtep_ls *ls = vtep_desired_ls(&f.d, "net-a", "Net A", 5000);
    assert_non_null(ls);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'update','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]],"
        " 'row':{'description':'Net A','replication_mode':'source_node'}},"
        "{'op':'mutate','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]],"
        " 'mutations':[['other_config','insert'," OWNER_MAP "]]}]");
    assert_int_equal(f.res.n_record, 1);
    assert_string_equal(f.res.record[0], "net-a");
    assert_int_equal(f.res.n_problems, 0);
    assert_false(f.res.ls_converged[0]);
    fx_record(&f);
    fx_exec(&f);
    assert_int_equal(fx_count_where(&f, VTEP_T_LS, "other_config",
                                    "['map',[['vendor','x'],['l2gw-owner','"
                                    FX_OWNER "']]]"), 1);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* Without adoption, or with another key, the LS is left alone. */
static void
test_no_adoption(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    f.o.adopt = false;
    fx_ls(&f, LS1, "net-a", 5000, NULL);
    fx_ls(&f, LS2, "net-b", 42, NULL);
    struct vtep_ls *a = fx_want_ls(&f, "net-a", 5000);
    struct vtep_ls *b = fx_want_ls(&f, "net-b", 43);
    fx_want_mac(a, "aa:bb:cc:dd:ee:01", "", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_want_mac(b, "aa:bb:cc:dd:ee:01", "", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_run(&f);
    fx_assert_ops(&f, "[]");
    assert_int_equal(f.res.n_record, 0);
    assert_string_equal(fx_problems(&f),
                        "Logical_Switch net-a exists and is not ours "
                        "(adopt_existing_logical_switches is off)\n"
                        "Logical_Switch net-b has tunnel_key 42, not 43");
    assert_null(f.res.problems[0].conn);
    assert_string_equal(f.res.problems[1].ls, "net-b");
    assert_false(f.res.ls_converged[0]);
    assert_false(f.res.ls_converged[1]);
    /* Adoption on: net-a is adopted, net-b (wrong key) still is not. */
    f.o.adopt = true;
    fx_run(&f);
    assert_int_equal(f.res.n_record, 1);
    assert_string_equal(f.res.record[0], "net-a");
    assert_string_equal(fx_problems(&f),
                        "Logical_Switch net-b has tunnel_key 42, not 43");
    fx_destroy(&f);
}

/* An LS marked by another deployment is never touched, not even its MAC
 * rows. */
static void
test_foreign_owner_mark(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", NULL, NULL);
    fx_ls(&f, LS1, "net-a", 5000, "someone-else");
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_ucast(&f, M1, LS1, "aa:bb:cc:dd:ee:99", "", L1);
    struct vtep_ls *ls = fx_want_ls(&f, "net-a", 5000);
    fx_want_mac(ls, "aa:bb:cc:dd:ee:01", "", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_want_binding(ls, "sw1", "p1", 5, "conn-1");
    fx_run(&f);
    fx_assert_ops(&f, "[]");
    assert_string_equal(fx_problems(&f),
                        "Logical_Switch net-a is owned by another deployment "
                        "(l2gw-owner=someone-else)");
    assert_false(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* A foreign LS already carrying the VNI blocks the insert. */
static void
test_foreign_key_conflict(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_ls(&f, LS1, "theirs", 5000, NULL);
    fx_want_ls(&f, "net-a", 5000);
    fx_want_ls(&f, "net-b", 6000);
    fx_want_ls(&f, "net-c", 6000);
    fx_run(&f);
    assert_string_equal(fx_problems(&f),
                        "VNI 5000 is used by Logical_Switch theirs\n"
                        "VNI 6000 is used by Logical_Switch net-b");
    assert_string_equal(f.res.problems[0].ls, "net-a");
    assert_string_equal(f.res.problems[1].ls, "net-c");
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Logical_Switch','uuid-name':'l2gw_ls1',"
        " 'row':{'name':'net-b','description':'','tunnel_key':6000,"
        "  'replication_mode':'source_node','other_config':" OWNER_MAP "}}]");
    assert_int_equal(f.res.n_record, 1);
    assert_string_equal(f.res.record[0], "net-b");
    fx_destroy(&f);
}

/* Owned LS with drifted columns: description, key, replication mode
 * (service node) are updated; a missing owner mark is re-added. */
static void
test_owned_columns_repaired(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_ls(&f, LS1, "net-a", 4999, "stale-mark");
    fx_own(&f, "net-a");
    struct vtep_ls *ls = vtep_desired_ls(&f.d, "net-a", "A", 5000);
    ls->service_node = true;
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'update','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]],"
        " 'row':{'description':'A','tunnel_key':5000,"
        "  'replication_mode':'service_node'}},"
        "{'op':'mutate','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]],"
        " 'mutations':[['other_config','delete',['set',['l2gw-owner']]],"
        "  ['other_config','insert'," OWNER_MAP "]]}]");
    assert_int_equal(f.res.n_record, 0);
    fx_exec(&f);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* Schemas without replication_mode or other_config: neither is written;
 * ownership then comes from the store only. */
static void
test_old_schema_columns(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    f.o.owner_mark = false;
    f.o.has_replication_mode = false;
    fx_want_ls(&f, "net-a", 5000);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Logical_Switch','uuid-name':'l2gw_ls0',"
        " 'row':{'name':'net-a','description':'','tunnel_key':5000}}]");
    fx_record(&f);
    fx_exec(&f);
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.ls_converged[0]);
    /* Not recorded: an unmarked LS is not ours, and it is left alone. */
    vtep_desired_destroy(&f.d);
    vtep_desired_init(&f.d);
    f.n_owned = 0;
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    fx_destroy(&f);
}

/* Removing an owned LS: remote rows and bindings first; the LS waits while
 * a Ucast_Macs_Local row references it, then is deleted and forgotten. */
static void
test_ls_removal_staged(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", P2, "p2");
    fx_ls(&f, LS1, "net-a", 5000, NULL);
    fx_ls(&f, LS2, "theirs", 6000, NULL);
    fx_own(&f, "net-a");
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_ucast(&f, M1, LS1, "aa:bb:cc:dd:ee:01", "", L1);
    fx_ucast(&f, M2, LS1, "aa:bb:cc:dd:ee:02", "", L1);
    fx_set(&f, SET1, L1, NULL);
    fx_mcast(&f, MC1, LS1, "unknown-dst", SET1);
    fx_local(&f, LOCAL1, LS1, "aa:bb:cc:dd:ee:77", L1);
    fx_bindings(&f, P1, "['map',[[10,['uuid','" LS1 "']],"
                        "[11,['uuid','" LS2 "']]]]");
    fx_bindings(&f, P2, "['map',[[0,['uuid','" LS1 "']]]]");
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P1 "']]],"
        " 'mutations':[['vlan_bindings','delete',"
        "   ['map',[[10,['uuid','" LS1 "']]]]]]},"
        "{'op':'mutate','table':'Physical_Port',"
        " 'where':[['_uuid','==',['uuid','" P2 "']]],"
        " 'mutations':[['vlan_bindings','delete',"
        "   ['map',[[0,['uuid','" LS1 "']]]]]]},"
        "{'op':'delete','table':'Ucast_Macs_Remote',"
        " 'where':[['logical_switch','==',['uuid','" LS1 "']]]},"
        "{'op':'delete','table':'Mcast_Macs_Remote',"
        " 'where':[['logical_switch','==',['uuid','" LS1 "']]]}]");
    assert_true(f.res.waiting);
    assert_int_equal(f.res.n_forget, 0);
    fx_exec(&f);
    /* The local MAC still references it: nothing to send, waiting. */
    fx_run(&f);
    assert_int_equal(f.res.n_ops, 0);
    assert_true(f.res.waiting);
    /* The switch drops its local MAC: the LS goes, and is forgotten. */
    fx_delete(&f, VTEP_T_UCAST_LOCAL, LOCAL1);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'delete','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]]}]");
    assert_int_equal(f.res.n_forget, 1);
    assert_string_equal(f.res.forget[0], "net-a");
    assert_false(f.res.waiting);
    fx_exec(&f);
    assert_int_equal(fx_count(&f, VTEP_T_LS), 1); /* theirs stays */
    assert_int_equal(fx_count_where(&f, VTEP_T_PORT, "vlan_bindings",
                                    "['map',[[11,['uuid','" LS2 "']]]]"), 1);
    fx_destroy(&f);
}

/* An owned name that is not on the switch at all is forgotten at once;
 * a marked LS of ours that nobody records is removed too. */
static void
test_forget_and_marked_removal(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_own(&f, "gone");
    fx_ls(&f, LS1, "marked", 7, FX_OWNER);
    fx_ls(&f, LS2, "unmarked", 8, NULL);
    fx_run(&f);
    assert_int_equal(f.res.n_forget, 2);
    assert_string_equal(f.res.forget[0], "gone");
    assert_string_equal(f.res.forget[1], "marked");
    fx_assert_ops(&f, "["
        "{'op':'delete','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]]}]");
    fx_destroy(&f);
}

/* A pending removal of ours holding the VNI delays the new LS. */
static void
test_key_released_by_removal(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_ls(&f, LS1, "old-net", 5000, FX_OWNER);
    fx_loc(&f, L1, "192.0.2.1", VTEP_NO_KEY);
    fx_local(&f, LOCAL1, LS1, "aa:bb:cc:dd:ee:77", L1);
    fx_want_ls(&f, "new-net", 5000);
    fx_run(&f);
    fx_assert_ops(&f, "[]");
    assert_true(f.res.waiting);
    assert_int_equal(f.res.n_problems, 0);
    assert_false(f.res.ls_converged[0]);
    fx_delete(&f, VTEP_T_UCAST_LOCAL, LOCAL1);
    assert_int_equal(fx_converge(&f, 5), 2);
    assert_int_equal(fx_count_where(&f, VTEP_T_LS, "name", "'new-net'"), 1);
    assert_int_equal(fx_count(&f, VTEP_T_LS), 1);
    assert_true(f.res.ls_converged[0]);
    fx_destroy(&f);
}

/* Incremental pass: owned LSs outside the scope are left alone. */
static void
test_scope(void **state)
{
    static const char *const scope[] = {"net-a", "net-gone"};
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_switch(&f, PS1, "sw1", P1, "p1", NULL, NULL);
    fx_ls(&f, LS1, "net-gone", 1, FX_OWNER);
    fx_ls(&f, LS2, "net-other", 2, FX_OWNER);
    fx_bindings(&f, P1, "['map',[[2,['uuid','" LS2 "']]]]");
    fx_want_ls(&f, "net-a", 3);
    f.o.scope = scope;
    f.o.n_scope = 2;
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Logical_Switch','uuid-name':'l2gw_ls0',"
        " 'row':{'name':'net-a','description':'','tunnel_key':3,"
        "  'replication_mode':'source_node','other_config':" OWNER_MAP "}},"
        "{'op':'delete','table':'Logical_Switch',"
        " 'where':[['_uuid','==',['uuid','" LS1 "']]]}]");
    /* A full pass removes net-other as well. */
    f.o.scope = NULL;
    f.o.n_scope = 0;
    fx_run(&f);
    assert_int_equal(fx_count_where(&f, VTEP_T_LS, "name", "'net-other'"), 1);
    json_t *ops = fx_ops(&f);
    /* insert net-a, unbind net-other, delete net-gone; net-other itself
     * waits for its binding to go. */
    assert_int_equal(json_array_size(ops), 3);
    assert_true(f.res.waiting);
    json_decref(ops);
    fx_destroy(&f);
}

/* durable_commit appends ["commit", true]. */
static void
test_durable_commit(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    f.o.durable = true;
    f.o.owner_mark = false;
    f.o.has_replication_mode = false;
    fx_want_ls(&f, "net-a", 1);
    fx_run(&f);
    fx_assert_ops(&f, "["
        "{'op':'insert','table':'Logical_Switch','uuid-name':'l2gw_ls0',"
        " 'row':{'name':'net-a','description':'','tunnel_key':1}},"
        "{'op':'commit','durable':true}]");
    assert_int_equal(f.res.n_ops, 2);
    fx_destroy(&f);
}

/* Malformed rows written by others are skipped, not fatal. */
static void
test_garbage_tolerated(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    fx_apply(&f, "{'Logical_Switch':{"
                 " '" LS2 "':{'new':{'name':17,'tunnel_key':'x'}}},"
                 "'Physical_Locator':{"
                 " '" L2 "':{'new':{'encapsulation_type':'vxlan_over_ipv4',"
                 "   'dst_ip':'not-an-ip'}}},"
                 "'Physical_Switch':{'" PS1 "':{'new':{'name':['set',[]],"
                 "   'ports':['uuid','" P1 "']}}},"
                 "'Ucast_Macs_Remote':{"
                 " '" M2 "':{'new':{'MAC':5,'logical_switch':'nope'}}}}");
    fx_ls(&f, LS1, "net-a", 5000, FX_OWNER);
    fx_apply(&f, "{'Logical_Switch':{'" LS1 "':{'new':{"
                 "'tunnel_key':'5000'}}}}");
    struct vtep_ls *ls = fx_want_ls(&f, "net-a", 5000);
    fx_want_mac(ls, "aa:bb:cc:dd:ee:01", "", "192.0.2.1", VTEP_NO_KEY, "p", 1);
    fx_run(&f);
    fx_check_refs(&f);
    json_t *ops = fx_ops(&f);
    /* The key (a string) is rewritten; the bad locator is not reused. */
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(ops, 0), "op")), "update");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(ops, 0), "row"),
                         "tunnel_key")), 5000);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(ops, 1), "table")),
                        "Physical_Locator");
    json_decref(ops);
    fx_destroy(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_everything),
        cmocka_unit_test(test_hand_built_match_no_ops),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_adoption),
        cmocka_unit_test(test_no_adoption),
        cmocka_unit_test(test_foreign_owner_mark),
        cmocka_unit_test(test_foreign_key_conflict),
        cmocka_unit_test(test_owned_columns_repaired),
        cmocka_unit_test(test_old_schema_columns),
        cmocka_unit_test(test_ls_removal_staged),
        cmocka_unit_test(test_forget_and_marked_removal),
        cmocka_unit_test(test_key_released_by_removal),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_durable_commit),
        cmocka_unit_test(test_garbage_tolerated),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
