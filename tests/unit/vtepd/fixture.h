/* Helpers shared by the vtepd unit tests: small models and configs. */
#ifndef L2GW_TEST_VTEPD_FIXTURE_H
#define L2GW_TEST_VTEPD_FIXTURE_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "vtepd/model.h"
#include "vtepd/want.h"

static inline uint32_t ip4(const char *s)
{
    return inet_addr(s);
}

static const char fx_ports[2][MODEL_IFNAMSIZ] = {"eth1", "eth2"};

/* prefix lv, tunnel_ip 10.0.0.1, wan_ip 198.18.0.1, ports eth1 eth2. */
static inline struct want_cfg fx_cfg(void)
{
    struct want_cfg c = {
        .prefix = "lv",
        .tunnel_ip = ip4("10.0.0.1"),
        .wan_ip = ip4("198.18.0.1"),
        .mtu = 1500,
        .ageing_time = 300,
        .arp_suppression = true,
        .ports = fx_ports,
        .n_ports = 2,
    };
    return c;
}

static inline size_t fx_ls(struct model *m, const char *name, long key)
{
    struct model_ls ls;
    memset(&ls, 0, sizeof ls);
    snprintf(ls.uuid, sizeof ls.uuid, "00000000-0000-4000-8000-%012zx",
             m->n_ls + 1);
    snprintf(ls.name, sizeof ls.name, "%s", name);
    ls.has_key = key > 0;
    ls.key = key > 0 ? (uint32_t)key : 0;
    model_add_ls(m, &ls);
    return m->n_ls - 1;
}

static inline struct model_loc fx_loc(const char *ip, long key)
{
    struct model_loc l = {
        .ip = ip4(ip), .has_key = key > 0, .key = key > 0 ? (uint32_t)key : 0};
    return l;
}

static inline void fx_flood(struct model *m, size_t ls, const char *ip,
                            long key)
{
    struct model_flood f = {.ls = ls, .loc = fx_loc(ip, key)};
    model_add_flood(m, &f);
}

static inline void fx_mac(struct model *m, size_t ls, const char *mac,
                          const char *ip, const char *loc, long key)
{
    struct model_mac mm;
    memset(&mm, 0, sizeof mm);
    model_parse_mac(mac, mm.mac);
    mm.ip = ip ? ip4(ip) : 0;
    mm.ls = ls;
    mm.loc = fx_loc(loc, key);
    model_add_mac(m, &mm);
}

static inline void fx_bind(struct model *m, const char *port, long long vlan,
                           size_t ls)
{
    struct model_binding b;
    memset(&b, 0, sizeof b);
    snprintf(b.port, sizeof b.port, "%s", port);
    b.vlan = vlan;
    b.ls = ls;
    model_add_binding(m, &b);
}

#endif
