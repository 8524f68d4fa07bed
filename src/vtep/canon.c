/* Canonical MAC and IP forms; see canon.h. */
#include "vtep/canon.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#define MAC_OCTETS 6
#define MAC_TEXT_LEN 17 /* "aa:bb:cc:dd:ee:ff" */

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
canon_mac_value(const char *in, uint64_t *out)
{
    uint64_t v = 0;

    if (!in || strnlen(in, MAC_TEXT_LEN + 1) != MAC_TEXT_LEN ||
        (in[2] != ':' && in[2] != '-')) {
        return -EINVAL;
    }
    for (int i = 0; i < MAC_OCTETS; i++) {
        int hi = hex_value(in[3 * i]), lo = hex_value(in[3 * i + 1]);
        if (hi < 0 || lo < 0 ||
            (i < MAC_OCTETS - 1 && in[3 * i + 2] != in[2])) {
            return -EINVAL;
        }
        v = v << 8 | (uint64_t)(hi << 4 | lo);
    }
    *out = v;
    return 0;
}

int
canon_mac(const char *in, char out[VTEP_MAC_LEN])
{
    uint64_t v;

    out[0] = '\0';
    if (canon_mac_value(in, &v)) {
        return -EINVAL;
    }
    snprintf(out, VTEP_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
             (unsigned)(v >> 40) & 0xff, (unsigned)(v >> 32) & 0xff,
             (unsigned)(v >> 24) & 0xff, (unsigned)(v >> 16) & 0xff,
             (unsigned)(v >> 8) & 0xff, (unsigned)v & 0xff);
    return 0;
}

int
canon_ip(const char *in, char out[VTEP_IP_LEN])
{
    unsigned char buf[sizeof(struct in6_addr)];

    out[0] = '\0';
    if (!in || !*in || strlen(in) >= VTEP_IP_LEN) {
        return -EINVAL;
    }
    if (inet_pton(AF_INET, in, buf) == 1) {
        return inet_ntop(AF_INET, buf, out, VTEP_IP_LEN) ? 0 : -EINVAL;
    }
    if (inet_pton(AF_INET6, in, buf) == 1) {
        return inet_ntop(AF_INET6, buf, out, VTEP_IP_LEN) ? 0 : -EINVAL;
    }
    return -EINVAL;
}

int
canon_ip_or_empty(const char *in, char out[VTEP_IP_LEN])
{
    if (in && !*in) {
        out[0] = '\0';
        return 0;
    }
    return canon_ip(in, out);
}

bool
canon_mac_equal(const char *a, const char *b)
{
    char ca[VTEP_MAC_LEN], cb[VTEP_MAC_LEN];

    if (!a || !b) {
        return a == b;
    }
    if (canon_mac(a, ca) || canon_mac(b, cb)) {
        return !strcmp(a, b);
    }
    return !strcmp(ca, cb);
}

bool
canon_ip_equal(const char *a, const char *b)
{
    char ca[VTEP_IP_LEN], cb[VTEP_IP_LEN];

    if (!a || !b) {
        return a == b;
    }
    if (canon_ip_or_empty(a, ca) || canon_ip_or_empty(b, cb)) {
        return !strcmp(a, b);
    }
    return !strcmp(ca, cb);
}

int
canon_locator_cmp(const struct vtep_locator *a, const struct vtep_locator *b)
{
    int c = strcmp(a->ip, b->ip);

    if (c) {
        return c;
    }
    return a->key < b->key ? -1 : a->key > b->key;
}
