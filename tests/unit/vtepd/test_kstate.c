/* Unit tests of vtepd/kstate: parsing of link and FDB messages as the
 * kernel sends them (built here with libmnl). */
#include "vtepd/kstate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static char buf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *vxlan_port_msg(void)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(buf, 0, sizeof buf));
    nlh->nlmsg_type = RTM_NEWLINK;
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
    ifi->ifi_index = 7;
    ifi->ifi_flags = IFF_UP;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, "lv-v5000");
    mnl_attr_put_u32(nlh, IFLA_MTU, 1450);
    mnl_attr_put_u32(nlh, IFLA_MASTER, 6);
    mnl_attr_put_strz(nlh, IFLA_IFALIAS, "l2gw-vtepd ls=a key=5000");
    struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
    struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, 5000);
    mnl_attr_put_u32(nlh, IFLA_VXLAN_LOCAL, htonl(0x0a630001));
    mnl_attr_nest_end(nlh, d);
    mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bridge");
    struct nlattr *s = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_ISOLATED, 1);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_NEIGH_SUPPRESS, 0);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_LEARNING, 1);
    mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, 0);
    mnl_attr_nest_end(nlh, s);
    mnl_attr_nest_end(nlh, li);
    return nlh;
}

static void test_link(void **state)
{
    struct klink l;
    assert_int_equal(kstate_parse_link(vxlan_port_msg(), &l), 0);
    assert_int_equal(l.ifindex, 7);
    assert_string_equal(l.name, "lv-v5000");
    assert_string_equal(l.kind, "vxlan");
    assert_string_equal(l.alias, "l2gw-vtepd ls=a key=5000");
    assert_int_equal(l.mtu, 1450);
    assert_int_equal(l.master, 6);
    assert_true(l.up);
    assert_int_equal(l.vni, 5000);
    assert_int_equal(l.local, htonl(0x0a630001));
    assert_true(l.is_brport);
    assert_true(l.isolated);
    assert_false(l.neigh_suppress);
    assert_true(l.learning);
    assert_false(l.hairpin);
}

static void test_link_truncated(void **state)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(buf, 0, sizeof buf));
    struct klink l;
    nlh->nlmsg_type = RTM_NEWLINK;
    assert_int_equal(kstate_parse_link(nlh, &l), -EINVAL);
    /* A link without a name is refused too. */
    mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
    assert_int_equal(kstate_parse_link(nlh, &l), -EINVAL);
}

static void test_fdb(void **state)
{
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 0x20};
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(memset(buf, 0, sizeof buf));
    nlh->nlmsg_type = RTM_NEWNEIGH;
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = AF_BRIDGE;
    ndm->ndm_ifindex = 3;
    ndm->ndm_state = NUD_REACHABLE;
    mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
    mnl_attr_put_u32(nlh, NDA_MASTER, 6);
    struct kneigh e;
    assert_int_equal(kstate_parse_neigh(nlh, &e), 0);
    assert_int_equal(e.family, AF_BRIDGE);
    assert_int_equal(e.ifindex, 3);
    assert_int_equal(e.master, 6);
    assert_true(e.has_mac);
    assert_memory_equal(e.mac, mac, 6);
    assert_int_equal(e.state, NUD_REACHABLE);
    assert_int_equal(e.dst, 0);
    ndm->ndm_family = AF_INET6;
    assert_int_equal(kstate_parse_neigh(nlh, &e), -EAFNOSUPPORT);
}

static void test_klinks(void **state)
{
    struct klinks ls = {0};
    struct klink a = {.ifindex = 1, .name = "a"},
                 b = {.ifindex = 2, .name = "b"};
    for (int i = 0; i < 40; i++) {
        a.ifindex = 100 + i;
        assert_int_equal(klinks_add(&ls, i ? &a : &b), 0);
    }
    assert_int_equal(ls.n, 40);
    assert_int_equal(klinks_by_name(&ls, "b")->ifindex, 2);
    assert_string_equal(klinks_by_index(&ls, 139)->name, "a");
    assert_null(klinks_by_index(&ls, 99));
    klinks_clear(&ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link),
        cmocka_unit_test(test_link_truncated),
        cmocka_unit_test(test_fdb),
        cmocka_unit_test(test_klinks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
