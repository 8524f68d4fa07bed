/* Unit tests of vtepd/recon: the kernel operations computed from a wanted
 * state and a kernel state as netlink would report it. */
#include "vtepd/recon.h"

#include <linux/neighbour.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "fixture.h"

struct fx {
    struct model m;
    struct want w;
    struct klinks k;
    struct recon_ops ops;
};

/* A switch "net1" (key 5000) bound on eth1, one compute node 10.0.0.2
 * with one MAC. */
static int setup(void **state)
{
    static struct fx f;
    struct want_cfg c = fx_cfg();
    memset(&f, 0, sizeof f);
    model_init(&f.m);
    size_t ls = fx_ls(&f.m, "net1", 5000);
    fx_bind(&f.m, "eth1", 0, ls);
    fx_mac(&f.m, ls, "02:00:00:00:00:10", "192.168.1.10", "10.0.0.2", 0);
    fx_flood(&f.m, ls, "10.0.0.2", 0);
    assert_int_equal(want_compute(&f.w, &f.m, &c), 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    want_clear(&f->w);
    model_clear(&f->m);
    klinks_clear(&f->k);
    recon_ops_clear(&f->ops);
    return 0;
}

static void klink(struct fx *f, int ifindex, const char *name, const char *kind,
                  const char *alias, int master)
{
    struct klink l;
    memset(&l, 0, sizeof l);
    l.ifindex = ifindex;
    snprintf(l.name, sizeof l.name, "%s", name);
    snprintf(l.kind, sizeof l.kind, "%s", kind);
    snprintf(l.alias, sizeof l.alias, "%s", alias ? alias : "");
    l.master = master;
    l.up = true;
    klinks_add(&f->k, &l);
}

/* The kernel as vtepd leaves it for the fixture: everything in place. */
static void kernel_done(struct fx *f)
{
    const struct want_link *br = want_link_by_name(&f->w, 0, "lv-b5000");
    const struct want_link *vx = want_link_by_name(&f->w, 0, "lv-v5000");
    klink(f, 1, "lo", "", NULL, 0);
    klink(f, 2, "eth1", "veth", NULL, 10);
    klink(f, 10, "lv-b5000", "bridge", br->alias, 0);
    klink(f, 11, "lv-v5000", "vxlan", vx->alias, 10);
    struct klink *k = &f->k.v[3];
    k->vni = 5000;
    k->local = ip4("10.0.0.1");
    k->mtu = 1500;
    k->is_brport = k->learning = k->neigh_suppress = true;
    f->k.v[1].is_brport = f->k.v[1].learning = true;
}

static size_t n_type(const struct recon_ops *ops, enum recon_type t)
{
    size_t n = 0;
    for (size_t i = 0; i < ops->n; i++) {
        n += ops->v[i].type == t;
    }
    return n;
}

static void test_empty_kernel_creates(void **state)
{
    struct fx *f = *state;
    klink(f, 2, "eth1", "veth", NULL, 0);
    assert_int_equal(recon_links(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(f->ops.n, 2);
    assert_int_equal(f->ops.v[0].type, RECON_NEW_LINK);
    assert_string_equal(f->ops.v[0].name, "lv-b5000"); /* bridge first */
    assert_string_equal(f->ops.v[1].name, "lv-v5000");
}

static void test_in_place_is_quiet(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    assert_int_equal(recon_links(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(recon_fix(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(f->ops.n, 0);
}

static void test_leftovers_and_mismatch(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    f->k.v[3].vni = 6000; /* lv-v5000, wrong key */
    klink(f, 20, "lv-b999", "bridge", "l2gw-vtepd ls=old", 0);
    klink(f, 21, "lvx-b1", "bridge", NULL, 0); /* not our prefix */
    klink(f, 22, "eth7", "bridge", NULL, 0);
    assert_int_equal(recon_links(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(n_type(&f->ops, RECON_DEL_LINK), 2);
    assert_int_equal(n_type(&f->ops, RECON_NEW_LINK), 1);
    assert_int_equal(f->ops.v[0].ifindex, 11);
    assert_int_equal(f->ops.v[1].ifindex, 20);
    assert_string_equal(f->ops.v[2].name, "lv-v5000");
}

static void test_alias_of_another_purpose(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    snprintf(f->k.v[2].alias, KSTATE_ALIAS_MAX, "l2gw-vtepd ls=other");
    assert_int_equal(recon_links(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(n_type(&f->ops, RECON_DEL_LINK), 1);
    assert_int_equal(n_type(&f->ops, RECON_NEW_LINK), 1);
}

static void test_fix_new_link(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    struct klink *vx = &f->k.v[3];
    vx->alias[0] = '\0';
    vx->up = false;
    vx->master = 0;
    vx->is_brport = false;
    assert_int_equal(recon_fix(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(f->ops.n, 3);
    const struct recon_op *s = &f->ops.v[0];
    assert_int_equal(s->type, RECON_SET_LINK);
    assert_non_null(s->set.alias);
    assert_true(s->set.addrgen_none);
    assert_int_equal(s->set.master, 10);
    assert_int_equal(s->set.up, -1); /* up comes apart, after */
    assert_int_equal(f->ops.v[1].set.up, 1);
    assert_int_equal(f->ops.v[2].type, RECON_SET_BRPORT);
    assert_true(f->ops.v[2].brport.neigh_suppress);
    assert_false(f->ops.v[2].brport.isolated);
}

static void test_fix_ports(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    f->k.v[1].master = 0;                  /* eth1 should be in lv-b5000 */
    klink(f, 3, "eth2", "veth", NULL, 10); /* eth2 in our bridge, unbound */
    klink(f, 30, "br-other", "bridge", NULL, 0);
    f->k.v[4].is_brport = true;
    assert_int_equal(recon_fix(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(n_type(&f->ops, RECON_SET_LINK), 2);
    assert_int_equal(f->ops.v[0].ifindex, 2);
    assert_int_equal(f->ops.v[0].set.master, 10);
    size_t i = f->ops.v[1].type == RECON_SET_LINK ? 1 : 2;
    assert_int_equal(f->ops.v[i].ifindex, 3);
    assert_int_equal(f->ops.v[i].set.master, 0);
    recon_ops_clear(&f->ops);
    /* A port in somebody else's bridge is left there. */
    f->k.v[4].master = 30;
    f->k.v[1].master = 10;
    assert_int_equal(recon_fix(&f->w, WANT_NS_MAIN, &f->k, "lv", &f->ops), 0);
    assert_int_equal(f->ops.n, 0);
}

static struct kneigh entry(int ifindex, int master, const char *mac,
                           const char *dst, uint16_t state, uint8_t flags)
{
    struct kneigh e = {.family = AF_BRIDGE,
                       .ifindex = ifindex,
                       .master = master,
                       .state = state,
                       .flags = flags,
                       .has_mac = true};
    model_parse_mac(mac, e.mac);
    e.dst = dst ? ip4(dst) : 0;
    return e;
}

static void test_fdb(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    struct kneigh fdb[] = {
        /* wanted and present: the MAC's self entry */
        entry(11, 0, "02:00:00:00:00:10", "10.0.0.2", NUD_PERMANENT, NTF_SELF),
        /* stale flood member */
        entry(11, 0, "00:00:00:00:00:00", "10.0.0.9", NUD_PERMANENT, NTF_SELF),
        /* the static entry exists but is not sticky: re-added */
        entry(11, 10, "02:00:00:00:00:10", NULL, NUD_NOARP, 0),
        /* learned on the physical port, local address: left alone */
        entry(2, 10, "02:00:00:00:00:20", NULL, NUD_REACHABLE, 0),
        entry(11, 10, "42:00:00:00:00:01", NULL, NUD_PERMANENT, 0),
        /* an old static entry of ours */
        entry(2, 10, "02:00:00:00:00:77", NULL, NUD_NOARP, NTF_STICKY),
        /* somebody else's VXLAN device */
        entry(99, 0, "00:00:00:00:00:00", "10.9.9.9", NUD_PERMANENT, NTF_SELF),
    };
    assert_int_equal(
        recon_fdb(&f->w, WANT_NS_MAIN, &f->k, fdb, 7, "lv", &f->ops), 0);
    assert_int_equal(n_type(&f->ops, RECON_FDB_DEL), 2);
    assert_int_equal(n_type(&f->ops, RECON_FDB_ADD), 2);
    assert_int_equal(f->ops.v[0].fdb.dst, ip4("10.0.0.9"));
    assert_false(f->ops.v[0].fdb.master);
    assert_true(f->ops.v[1].fdb.master);
    assert_int_equal(f->ops.v[1].fdb.mac[5], 0x77);
    /* Adds, in want.fdb's order (want_fdb_cmp: self entries before bridge
     * entries): the flood entry, then the sticky static entry. */
    assert_int_equal(f->ops.v[2].fdb.dst, ip4("10.0.0.2"));
    assert_int_equal(f->ops.v[2].fdb.mac[0], 0);
    assert_false(f->ops.v[2].fdb.master);
    assert_true(f->ops.v[3].fdb.master);
    assert_int_equal(f->ops.v[3].fdb.ifindex, 11);
}

static void test_neigh(void **state)
{
    struct fx *f = *state;
    kernel_done(f);
    struct kneigh nb[] = {
        {.family = AF_INET,
         .ifindex = 10,
         .dst = ip4("192.168.1.99"),
         .state = NUD_PERMANENT,
         .has_mac = true},
        {.family = AF_INET,
         .ifindex = 2,
         .dst = ip4("192.168.1.98"),
         .state = NUD_PERMANENT,
         .has_mac = true}, /* not our bridge */
    };
    assert_int_equal(recon_neigh(&f->w, &f->k, nb, 2, "lv", &f->ops), 0);
    assert_int_equal(f->ops.n, 2);
    assert_int_equal(f->ops.v[0].type, RECON_NEIGH_DEL);
    assert_int_equal(f->ops.v[0].ip, ip4("192.168.1.99"));
    assert_int_equal(f->ops.v[1].type, RECON_NEIGH_ADD);
    assert_int_equal(f->ops.v[1].ip, ip4("192.168.1.10"));
    assert_int_equal(f->ops.v[1].mac[5], 0x10);
}

static void test_is_ours(void **state)
{
    assert_true(recon_is_ours("lv-b1", "lv"));
    assert_false(recon_is_ours("lvb1", "lv"));
    assert_false(recon_is_ours("lvx-b1", "lv"));
    assert_false(recon_is_ours("eth0", "lv"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_empty_kernel_creates),
        T(test_in_place_is_quiet),
        T(test_leftovers_and_mismatch),
        T(test_alias_of_another_purpose),
        T(test_fix_new_link),
        T(test_fix_ports),
        T(test_fdb),
        T(test_neigh),
        cmocka_unit_test(test_is_ours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
