/* Canonical forms of the values l2gw compares on a switch: MAC addresses
 * as lower-case "aa:bb:cc:dd:ee:ff", IP addresses as inet_ntop() prints
 * them ("10.0.0.1", "2001:db8::1").  Vendor switches and hand edits may
 * write other spellings ("AA:BB:..", "2001:DB8::1"); everything is compared
 * in canonical form. */
#ifndef L2GW_VTEP_CANON_H
#define L2GW_VTEP_CANON_H

#include <stdbool.h>
#include <stdint.h>

#include "vtep/desired.h"

/* Writes the canonical form of MAC 'in' (six groups of two hex digits
 * separated by ':' or '-', any case) into 'out'.  Returns 0, or -EINVAL
 * (then 'out' is the empty string).  'in' may be NULL (-EINVAL). */
int canon_mac(const char *in, char out[VTEP_MAC_LEN]);

/* The 48-bit value of MAC 'in' (same syntax as canon_mac()) in '*out';
 * ordering values orders canonical strings alike.  0 or -EINVAL. */
int canon_mac_value(const char *in, uint64_t *out);

/* Writes the canonical form of IPv4 or IPv6 address 'in' into 'out'.
 * Returns 0, or -EINVAL (then 'out' is the empty string). */
int canon_ip(const char *in, char out[VTEP_IP_LEN]);

/* Like canon_ip(), but "" (no address) is accepted and stays "". */
int canon_ip_or_empty(const char *in, char out[VTEP_IP_LEN]);

/* True if 'a' and 'b' are the same MAC / the same IP address (or, for IPs,
 * both empty).  Unparseable values are equal only to the identical
 * string. */
bool canon_mac_equal(const char *a, const char *b);
bool canon_ip_equal(const char *a, const char *b);

/* Order and equality of locators: by canonical IP string, then key (no
 * key first). */
int canon_locator_cmp(const struct vtep_locator *a,
                      const struct vtep_locator *b);

#endif
