/* Unit tests of vtepd/want: from a model to the wanted kernel objects. */
#include "vtepd/want.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static const struct want_link *link_of(const struct want *w, enum want_ns ns,
                                       const char *name)
{
    const struct want_link *l = want_link_by_name(w, ns, name);
    if (!l) {
        fail_msg("no link %s", name);
    }
    return l;
}

static size_t count_fdb(const struct want *w, enum want_ns ns, const char *dev,
                        const char *dst, bool master)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n_fdb; i++) {
        const struct want_fdb *f = &w->fdb[i];
        if (f->ns == ns && !strcmp(f->dev, dev) && f->master == master &&
            (!dst || f->dst == ip4(dst))) {
            n++;
        }
    }
    return n;
}

static void test_not_instantiated(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    model_init(&m);
    fx_ls(&m, "keyed-but-empty", 100);
    size_t nokey = fx_ls(&m, "no-key", 0);
    fx_bind(&m, "eth1", 0, nokey);
    assert_int_equal(want_compute(&w, &m, &c), 0);
    assert_int_equal(w.n_links, 0);
    assert_int_equal(w.n_faults, 0);
    assert_int_equal(w.n_phys, 2);
    assert_string_equal(w.phys[0].master, "");
    want_clear(&w);
    model_clear(&m);
}

/* One switch with a port, two compute nodes, two WAN peers (K = V and
 * K = 789) and remote MACs. */
static void build_border(struct model *m)
{
    size_t ls = fx_ls(m, "net1", 5000);
    fx_bind(m, "eth1", 0, ls);
    fx_mac(m, ls, "02:00:00:00:00:10", "192.168.1.10", "10.0.0.2", 0);
    fx_mac(m, ls, "02:00:00:00:00:30", "192.168.1.30", "198.18.0.2", 5000);
    fx_mac(m, ls, "02:00:00:00:00:99", NULL, "10.0.0.1", 0); /* own */
    fx_flood(m, ls, "10.0.0.3", 0);
    fx_flood(m, ls, "10.0.0.2", 0);
    fx_flood(m, ls, "10.0.0.1", 0); /* own address: never */
    fx_flood(m, ls, "198.18.0.2", 5000);
    fx_flood(m, ls, "198.18.1.2", 789);
}

static void test_border_layout(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    model_init(&m);
    build_border(&m);
    assert_int_equal(want_compute(&w, &m, &c), 0);
    /* Bridge first, then its cloud-side port. */
    assert_string_equal(w.links[0].name, "lv-b5000");
    assert_int_equal(w.links[0].kind, NLMSG_BRIDGE);
    const struct want_link *vx = link_of(&w, WANT_NS_MAIN, "lv-v5000");
    assert_int_equal(vx->vni, 5000);
    assert_int_equal(vx->local, ip4("10.0.0.1"));
    assert_string_equal(vx->master, "lv-b5000");
    assert_false(vx->port.isolated);
    assert_true(vx->port.neigh_suppress);
    assert_non_null(strstr(vx->alias, "ls=net1 key=5000 role=vxlan"));
    /* WAN: K = V lives in the WAN namespace. */
    const struct want_link *wx = link_of(&w, WANT_NS_WAN, "lv-x5000");
    assert_int_equal(wx->vni, 5000);
    assert_int_equal(wx->local, ip4("198.18.0.1"));
    assert_string_equal(wx->master, "lv-k5000");
    const struct want_link *wp = link_of(&w, WANT_NS_MAIN, "lv-w789");
    assert_true(wp->port.isolated);
    assert_string_equal(wp->master, "lv-b5000");
    assert_string_equal(wp->peer, "lv-p789");
    assert_int_equal(wp->peer_ns, WANT_NS_WAN);
    assert_true(link_of(&w, WANT_NS_WAN, "lv-p789")->by_peer);
    assert_null(want_link_by_name(&w, WANT_NS_MAIN, "lv-x789"));
    assert_string_equal(w.phys[0].master, "lv-b5000");
    want_clear(&w);
    model_clear(&m);
}

static void test_border_fdb(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    model_init(&m);
    build_border(&m);
    assert_int_equal(want_compute(&w, &m, &c), 0);
    /* Head-end replication: two compute nodes, never our own address. */
    assert_int_equal(count_fdb(&w, WANT_NS_MAIN, "lv-v5000", "10.0.0.2", 0), 2);
    assert_int_equal(count_fdb(&w, WANT_NS_MAIN, "lv-v5000", "10.0.0.3", 0), 1);
    assert_int_equal(count_fdb(&w, WANT_NS_MAIN, "lv-v5000", "10.0.0.1", 0), 0);
    /* One WAN group per key, each on its own device. */
    assert_int_equal(count_fdb(&w, WANT_NS_WAN, "lv-x5000", "198.18.0.2", 0),
                     2);
    assert_int_equal(count_fdb(&w, WANT_NS_WAN, "lv-x789", "198.18.1.2", 0), 1);
    /* Static sticky entries on the bridge ports towards the MACs. */
    assert_int_equal(count_fdb(&w, WANT_NS_MAIN, "lv-v5000", NULL, 1), 1);
    assert_int_equal(count_fdb(&w, WANT_NS_MAIN, "lv-w5000", NULL, 1), 1);
    /* ARP suppression: both MACs with an IP. */
    assert_int_equal(w.n_neigh, 2);
    assert_string_equal(w.neigh[0].dev, "lv-b5000");
    want_clear(&w);
    model_clear(&m);
}

static void test_service_node(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    model_init(&m);
    build_border(&m);
    m.ls[0].service_node = true;
    assert_int_equal(want_compute(&w, &m, &c), 0);
    /* Only the lowest compute address replicates; WAN groups unchanged. */
    size_t zero = 0;
    for (size_t i = 0; i < w.n_fdb; i++) {
        static const uint8_t z[6];
        if (!strcmp(w.fdb[i].dev, "lv-v5000") && !memcmp(w.fdb[i].mac, z, 6)) {
            zero++;
            assert_int_equal(w.fdb[i].dst, ip4("10.0.0.2"));
        }
    }
    assert_int_equal(zero, 1);
    assert_int_equal(count_fdb(&w, WANT_NS_WAN, "lv-x789", "198.18.1.2", 0), 1);
    want_clear(&w);
    model_clear(&m);
}

static void test_no_wan_ip(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    c.wan_ip = 0;
    model_init(&m);
    build_border(&m);
    assert_int_equal(want_compute(&w, &m, &c), 0);
    for (size_t i = 0; i < w.n_links; i++) {
        assert_int_equal(w.links[i].ns, WANT_NS_MAIN);
    }
    assert_int_equal(count_fdb(&w, WANT_NS_MAIN, "lv-w5000", NULL, 1), 0);
    want_clear(&w);
    model_clear(&m);
}

static void test_bindings(void **state)
{
    struct model m;
    struct want w = {0};
    struct want_cfg c = fx_cfg();
    model_init(&m);
    size_t a = fx_ls(&m, "a", 10);
    size_t b = fx_ls(&m, "b", 20);
    size_t dup = fx_ls(&m, "dup-key", 10);
    fx_bind(&m, "eth2", 100, a);
    fx_bind(&m, "eth2", 0, b);
    fx_bind(&m, "eth9", 0, a);    /* no such port here */
    fx_bind(&m, "eth1", 5000, b); /* no such VLAN */
    fx_bind(&m, "eth1", 0, dup);  /* its key is another switch's */
    assert_int_equal(want_compute(&w, &m, &c), 0);
    assert_non_null(want_link_by_name(&w, WANT_NS_MAIN, "lv-b10"));
    const struct want_link *q = link_of(&w, WANT_NS_MAIN, "lv-q1v100");
    const struct want_link *r = link_of(&w, WANT_NS_MAIN, "lv-r1v100");
    assert_string_equal(q->master, "");
    assert_string_equal(q->peer, "lv-r1v100");
    assert_string_equal(r->master, "lv-b10");
    assert_true(r->by_peer && r->physical_side);
    assert_string_equal(w.phys[1].master, "lv-b20");
    assert_int_equal(w.phys[1].n_vlans, 1);
    assert_string_equal(w.phys[1].vlans[0].veth, "lv-q1v100");
    assert_string_equal(w.phys[0].master, "");
    assert_int_equal(w.n_faults, 2);
    assert_string_equal(w.faults[0].port, "eth9");
    assert_string_equal(w.faults[1].port, "eth1");
    assert_string_equal(w.faults[1].reason, "invalid_vlan_map");
    assert_int_equal(w.n_ls, 2);
    want_clear(&w);
    model_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_instantiated),
        cmocka_unit_test(test_border_layout),
        cmocka_unit_test(test_border_fdb),
        cmocka_unit_test(test_service_node),
        cmocka_unit_test(test_no_wan_ip),
        cmocka_unit_test(test_bindings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
