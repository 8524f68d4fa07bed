/* Unit tests of vtepd/nlmsg: requests checked byte by byte against
 * layouts written out by hand from the kernel's uapi structs. */
#include "vtepd/nlmsg.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* The numbers the expected bytes below rely on. */
_Static_assert(RTM_NEWLINK == 16 && RTM_DELLINK == 17, "link types");
_Static_assert(RTM_NEWNEIGH == 28 && RTM_DELNEIGH == 29, "neigh types");
_Static_assert(RTM_NEWTFILTER == 44, "filter type");
_Static_assert(NDA_DST == 1 && NDA_LLADDR == 2, "neigh attrs");
_Static_assert(IFLA_LINKINFO == 18 && IFLA_INFO_SLAVE_KIND == 4 &&
                   IFLA_INFO_SLAVE_DATA == 5,
               "linkinfo attrs");
_Static_assert(IFLA_BRPORT_MODE == 4 && IFLA_BRPORT_LEARNING == 8 &&
                   IFLA_BRPORT_NEIGH_SUPPRESS == 32 &&
                   IFLA_BRPORT_ISOLATED == 33,
               "brport attrs");
_Static_assert(TCA_KIND == 1 && TCA_OPTIONS == 2 && TCA_BPF_FD == 6 &&
                   TCA_BPF_NAME == 7 && TCA_BPF_FLAGS == 8,
               "tc attrs");

static char buf[NLMSG_BUF_SIZE] __attribute__((aligned(8)));

static void assert_bytes(const struct nlmsghdr *nlh, const uint8_t *want,
                         size_t len)
{
    const uint8_t *got = (const uint8_t *)nlh;
    assert_int_equal(nlh->nlmsg_len, len);
    for (size_t i = 0; i < len; i++) {
        if (got[i] != want[i]) {
            fail_msg("byte %zu: got 0x%02x, want 0x%02x", i, got[i], want[i]);
        }
    }
}

static void test_link_del(void **state)
{
    static const uint8_t want[] = {
        0x20, 0, 0, 0, 0x11, 0, 0x05, 0, 7, 0, 0, 0, 0, 0, 0, 0, /* nlmsghdr */
        0,    0, 0, 0, 5,    0, 0,    0, 0, 0, 0, 0, 0, 0, 0, 0, /* ifinfomsg */
    };
    assert_bytes(nlmsg_link_del(buf, 7, 5), want, sizeof want);
}

static void test_fdb_flood_entry(void **state)
{
    /* bridge fdb append 00:00:00:00:00:00 dev #9 dst 10.99.0.2 self
     * permanent */
    static const uint8_t want[] = {
        0x30, 0, 0, 0, 0x1c, 0,  0x05, 0x0c, 1, 0, 0,    0, 0,    0,
        0,    0, 7, 0, 0,    0,  9,    0,    0, 0, 0x80, 0, 0x02, 0, /* ndmsg */
        10,   0, 2, 0, 0,    0,  0,    0,    0, 0, 0,    0, /* NDA_LLADDR */
        8,    0, 1, 0, 10,   99, 0,    2,                   /* NDA_DST */
    };
    struct nlmsg_fdb f = {.ifindex = 9};
    inet_pton(AF_INET, "10.99.0.2", &f.dst);
    assert_bytes(nlmsg_fdb_add(buf, 1, &f), want, sizeof want);
}

static void test_fdb_static_sticky(void **state)
{
    /* bridge fdb replace 02:00:00:00:00:10 dev #4 master static sticky */
    static const uint8_t want[] = {
        0x28, 0, 0, 0, 0x1c, 0, 0x05, 0x05, 2, 0,    0,    0, 0,    0,
        0,    0, 7, 0, 0,    0, 4,    0,    0, 0,    0x40, 0, 0x44, 0,
        10,   0, 2, 0, 2,    0, 0,    0,    0, 0x10, 0,    0,
    };
    struct nlmsg_fdb f = {
        .ifindex = 4, .master = true, .mac = {2, 0, 0, 0, 0, 0x10}};
    assert_bytes(nlmsg_fdb_add(buf, 2, &f), want, sizeof want);
}

static void test_fdb_del_unicast(void **state)
{
    static const uint8_t want[] = {
        0x30, 0, 0, 0, 0x1d, 0,    0x05, 0, 3,    0, 0,    0, 0,   0, 0, 0,
        7,    0, 0, 0, 9,    0,    0,    0, 0x80, 0, 0x02, 0, 10,  0, 2, 0,
        2,    0, 0, 0, 0,    0x10, 0,    0, 8,    0, 1,    0, 192, 0, 2, 1,
    };
    struct nlmsg_fdb f = {.ifindex = 9, .mac = {2, 0, 0, 0, 0, 0x10}};
    inet_pton(AF_INET, "192.0.2.1", &f.dst);
    assert_bytes(nlmsg_fdb_del(buf, 3, &f), want, sizeof want);
}

static void test_brport(void **state)
{
    static const uint8_t want[] = {
        0x54, 0, 0,  0,    0x10, 0,   0x05, 0,   2,   0,    0, 0, 0,
        0,    0, 0,  0,    0,    0,   0,    3,   0,   0,    0, 0, 0,
        0,    0, 0,  0,    0,    0,   52,   0,   18,  0x80,       /* LINKINFO */
        11,   0, 4,  0,    'b',  'r', 'i',  'd', 'g', 'e',  0, 0, /* SLAVE_KIND
                                                                   */
        36,   0, 5,  0x80,                     /* SLAVE_DATA */
        5,    0, 4,  0,    0,    0,   0,    0, /* MODE 0 */
        5,    0, 8,  0,    1,    0,   0,    0, /* LEARNING */
        5,    0, 32, 0,    0,    0,   0,    0, /* NEIGH_SUPP. */
        5,    0, 33, 0,    1,    0,   0,    0, /* ISOLATED */
    };
    struct nlmsg_brport p = {.isolated = true, .learning = true};
    assert_bytes(nlmsg_brport_set(buf, 2, 3, &p), want, sizeof want);
}

static void test_link_set(void **state)
{
    /* master 12, up, mtu 1450, no alias */
    static const uint8_t want[] = {
        0x30, 0, 0,  0, 0x10, 0,    0x05, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
        0,    0, 0,  6, 0,    0,    0,    1, 0, 0, 0, 1, 0, 0, 0, /* flags/change
                                                                     UP */
        8,    0, 10, 0, 12,   0,    0,    0, /* IFLA_MASTER */
        8,    0, 4,  0, 0xaa, 0x05, 0,    0, /* IFLA_MTU */
    };
    struct nlmsg_linkset s = {.master = 12, .up = 1, .mtu = 1450};
    assert_bytes(nlmsg_link_set(buf, 4, 6, &s), want, sizeof want);
}

static void test_bpf_filter(void **state)
{
    static const uint8_t want[] = {
        0x48, 0,    0,    0,    0x2c, 0,   0x05, 0x05, 5, 0, 0, 0, 0,
        0,    0,    0,    0,    0,    0,   0,    8,    0, 0, 0, /* tcmsg family,
                                                                   ifindex 8 */
        1,    0,    0,    0,                                    /* handle 1 */
        0xf2, 0xff, 0xff, 0xff, /* parent ffff:fff2 (clsact ingress) */
        0,    3,    0x32, 0x4c, /* info: prio 0x4c32, ETH_P_ALL */
        8,    0,    1,    0,    'b',  'p', 'f',  0, /* TCA_KIND */
        28,   0,    2,    0x80,                     /* TCA_OPTIONS */
        8,    0,    6,    0,    42,   0,   0,    0, /* FD 42 */
        7,    0,    7,    0,    'v',  'l', 0,    0, /* NAME "vl" */
        8,    0,    8,    0,    1,    0,   0,    0, /* FLAGS direct */
    };
    assert_bytes(nlmsg_bpf_filter_add(buf, 5, 8, 42, "vl"), want, sizeof want);
}

static void test_vxlan_create_has_key(void **state)
{
    struct nlmsg_link l = {.name = "lv-v5000",
                           .kind = NLMSG_VXLAN,
                           .vni = 5000,
                           .mtu = 1500,
                           .peer_netns_fd = -1};
    inet_pton(AF_INET, "10.99.0.1", &l.local);
    struct nlmsghdr *nlh = nlmsg_link_new(buf, 9, &l);
    const uint8_t *b = (const uint8_t *)nlh;
    assert_int_equal(nlh->nlmsg_flags,
                     NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    /* The name right after ifinfomsg: len 13, IFLA_IFNAME (3). */
    static const uint8_t name[] = {13,  0,   3,   0,   'l', 'v', '-',
                                   'v', '5', '0', '0', '0', 0};
    assert_memory_equal(b + 32, name, sizeof name);
    /* IFLA_VXLAN_ID 5000 and IFLA_VXLAN_LEARNING 0 appear in the data. */
    static const uint8_t id[] = {8, 0, IFLA_VXLAN_ID, 0, 0x88, 0x13, 0, 0};
    static const uint8_t learn[] = {5, 0, IFLA_VXLAN_LEARNING, 0, 0};
    assert_non_null(memmem(b, nlh->nlmsg_len, id, sizeof id));
    assert_non_null(memmem(b, nlh->nlmsg_len, learn, sizeof learn));
    static const uint8_t kind[] = {
        10, 0, IFLA_INFO_KIND, 0, 'v', 'x', 'l', 'a', 'n', 0};
    assert_non_null(memmem(b, nlh->nlmsg_len, kind, sizeof kind));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_del),
        cmocka_unit_test(test_fdb_flood_entry),
        cmocka_unit_test(test_fdb_static_sticky),
        cmocka_unit_test(test_fdb_del_unicast),
        cmocka_unit_test(test_brport),
        cmocka_unit_test(test_link_set),
        cmocka_unit_test(test_bpf_filter),
        cmocka_unit_test(test_vxlan_create_has_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
