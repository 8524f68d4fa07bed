/* Unit tests of vtepd/vnft: the pure parts of the WAN source allow-list
 * (names, which locators and links, the element diff, the layout check). */
#include "vtepd/vnft.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "vtepd/kstate.h"

static void test_names(void **state)
{
    char name[VNFT_NAME_MAX];
    vnft_table_name("lv", name);
    assert_string_equal(name, "lv-wan");
    vnft_table_name("abcd", name);
    assert_string_equal(name, "abcd-wan");
    vnft_chain_name("eth0", name);
    assert_string_equal(name, "in-eth0");
    vnft_chain_name("fifteen-chars-x", name); /* IFNAMSIZ - 1 */
    assert_string_equal(name, "in-fifteen-chars-x");
}

static void test_sort_unique(void **state)
{
    uint32_t v[] = {5, 1, 5, 3, 1, 1};
    assert_int_equal(vnft_sort_unique(v, 6), 3);
    assert_int_equal(v[0], 1);
    assert_int_equal(v[1], 3);
    assert_int_equal(v[2], 5);
    assert_int_equal(vnft_sort_unique(v, 0), 0);
    uint32_t one = 7;
    assert_int_equal(vnft_sort_unique(&one, 1), 1);
    assert_int_equal(one, 7);
}

static void test_diff(void **state)
{
    const uint32_t want[] = {1, 3, 5, 7};
    const uint32_t have[] = {2, 3, 7, 9, 11};
    uint32_t add[4], del[5];
    size_t n_add, n_del;
    vnft_diff(want, 4, have, 5, add, &n_add, del, &n_del);
    assert_int_equal(n_add, 2);
    assert_int_equal(add[0], 1);
    assert_int_equal(add[1], 5);
    assert_int_equal(n_del, 3);
    assert_int_equal(del[0], 2);
    assert_int_equal(del[1], 9);
    assert_int_equal(del[2], 11);
    /* Equal lists: nothing to do. */
    vnft_diff(want, 4, want, 4, add, &n_add, del, &n_del);
    assert_int_equal(n_add + n_del, 0);
    /* From empty, to empty. */
    vnft_diff(want, 4, NULL, 0, add, &n_add, del, &n_del);
    assert_int_equal(n_add, 4);
    assert_int_equal(n_del, 0);
    assert_memory_equal(add, want, sizeof want);
    vnft_diff(NULL, 0, have, 5, add, &n_add, del, &n_del);
    assert_int_equal(n_add, 0);
    assert_int_equal(n_del, 5);
    assert_memory_equal(del, have, sizeof have);
}

static bool has(const uint32_t *v, size_t n, const char *ip)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ip4(ip)) {
            return true;
        }
    }
    return false;
}

/* The allowed addresses are the WAN locators in use: keyed locators of
 * remote MACs and flood sets of instantiated switches, never a compute
 * node, an own address, a switch without a key, or a WAN key another
 * switch took first. */
static void test_addrs(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    model_init(&m);
    size_t ls = fx_ls(&m, "net1", 5000);
    fx_bind(&m, "eth1", 0, ls);
    fx_mac(&m, ls, "02:00:00:00:00:10", NULL, "10.0.0.2", 0); /* cloud */
    fx_mac(&m, ls, "02:00:00:00:00:30", NULL, "198.18.0.2", 5000);
    fx_mac(&m, ls, "02:00:00:00:00:31", NULL, "198.18.0.2", 5000); /* twice */
    fx_mac(&m, ls, "02:00:00:00:00:32", NULL, "198.18.0.1", 5000); /* own */
    fx_flood(&m, ls, "198.18.1.2", 789);
    fx_flood(&m, ls, "198.18.0.2", 5000);
    fx_flood(&m, ls, "10.0.0.3", 0);
    size_t nokey = fx_ls(&m, "nokey", 0);
    fx_flood(&m, nokey, "198.18.9.9", 900);
    /* Another switch wanting WAN key 789, which net1 already has. */
    size_t other = fx_ls(&m, "net2", 6000);
    fx_bind(&m, "eth2", 0, other);
    fx_flood(&m, other, "198.18.2.2", 789);
    fx_flood(&m, other, "198.18.3.3", 333);
    assert_int_equal(want_compute(&w, &m, &c), 0);

    uint32_t *v = NULL;
    size_t n = 0;
    assert_int_equal(vnft_addrs(&w, &v, &n), 0);
    assert_int_equal(n, 3);
    assert_true(has(v, n, "198.18.0.2"));
    assert_true(has(v, n, "198.18.1.2"));
    assert_true(has(v, n, "198.18.3.3"));
    assert_false(has(v, n, "198.18.2.2")); /* key 789 belongs to net1 */
    assert_false(has(v, n, "198.18.9.9"));
    assert_false(has(v, n, "10.0.0.2"));
    assert_false(has(v, n, "198.18.0.1"));
    for (size_t i = 1; i < n; i++) {
        assert_true(v[i - 1] < v[i]);
    }
    free(v);
    want_clear(&w);

    /* Nothing instantiated: nothing allowed. */
    model_clear(&m);
    model_init(&m);
    assert_int_equal(want_compute(&w, &m, &c), 0);
    assert_int_equal(vnft_addrs(&w, &v, &n), 0);
    assert_int_equal(n, 0);
    free(v);
    want_clear(&w);
    model_clear(&m);
}

static void add_link(struct klinks *ks, int ifindex, const char *name)
{
    struct klink k;
    memset(&k, 0, sizeof k);
    k.ifindex = ifindex;
    snprintf(k.name, sizeof k.name, "%s", name);
    assert_int_equal(klinks_add(ks, &k), 0);
}

static void test_devs(void **state)
{
    struct klinks ks = {0};
    char devs[2][MODEL_IFNAMSIZ];
    add_link(&ks, 1, "lo");
    add_link(&ks, 7, "wan1");
    add_link(&ks, 3, "lv-x5000"); /* ours */
    add_link(&ks, 4, "lv-p5000");
    add_link(&ks, 5, "lvx0"); /* not ours: no dash after the prefix */
    add_link(&ks, 2, "wan0");
    add_link(&ks, 6, "lv2-kx"); /* another prefix */
    assert_int_equal(vnft_devs(&ks, "lv", devs, 2), 4);
    /* The first two in link order, sorted. */
    assert_string_equal(devs[0], "lvx0");
    assert_string_equal(devs[1], "wan1");
    char all[8][MODEL_IFNAMSIZ];
    assert_int_equal(vnft_devs(&ks, "lv", all, 8), 4);
    assert_string_equal(all[0], "lv2-kx");
    assert_string_equal(all[1], "lvx0");
    assert_string_equal(all[2], "wan0");
    assert_string_equal(all[3], "wan1");
    klinks_clear(&ks);
    assert_int_equal(vnft_devs(&ks, "lv", all, 8), 0);
}

static struct vnft_chain chain(const char *name, const char *dev, bool ingress,
                               size_t n_rules)
{
    struct vnft_chain c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.dev, sizeof c.dev, "%s", dev);
    c.ingress = ingress;
    c.n_rules = n_rules;
    return c;
}

static void test_layout(void **state)
{
    const char devs[2][MODEL_IFNAMSIZ] = {"wan0", "wan1"};
    struct vnft_chain good[2] = {chain("in-wan1", "wan1", true, 1),
                                 chain("in-wan0", "wan0", true, 1)};
    assert_true(vnft_layout_ok(devs, 2, good, 2));
    assert_true(vnft_layout_ok(devs, 0, good, 0));  /* no link, no chain */
    assert_false(vnft_layout_ok(devs, 2, good, 1)); /* a chain missing */
    assert_false(vnft_layout_ok(devs, 1, good, 2)); /* a chain too many */

    struct vnft_chain c[2];
    memcpy(c, good, sizeof c);
    c[0].n_rules = 0; /* flushed by hand */
    assert_false(vnft_layout_ok(devs, 2, c, 2));
    c[0].n_rules = 2;
    assert_false(vnft_layout_ok(devs, 2, c, 2));
    memcpy(c, good, sizeof c);
    c[1].ingress = false; /* a regular chain with the name */
    assert_false(vnft_layout_ok(devs, 2, c, 2));
    memcpy(c, good, sizeof c);
    snprintf(c[1].dev, sizeof c[1].dev, "wan1"); /* wrong device */
    assert_false(vnft_layout_ok(devs, 2, c, 2));
    c[0] = chain("in-wan0", "wan0", true, 1); /* the same chain twice */
    c[1] = c[0];
    assert_false(vnft_layout_ok(devs, 2, c, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names), cmocka_unit_test(test_sort_unique),
        cmocka_unit_test(test_diff),  cmocka_unit_test(test_addrs),
        cmocka_unit_test(test_devs),  cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
