/* Private input checks shared by the modules of core/: strings, ids, IP
 * and MAC addresses, project attributes.  Messages follow Neutron's
 * "Invalid input for <attr>. Reason: <reason>." form (HTTPBadRequest).
 * Nothing outside src/core includes this header. */
#ifndef L2GW_CORE_VALID_H
#define L2GW_CORE_VALID_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "lib/uuid.h"

/* Neutron's limits for names, descriptions and other short strings. */
#define VALID_NAME_MAX 255
/* Room for a canonical IP address ("inet_ntop" form) with its NUL. */
#define VALID_IP_LEN 46
/* Room for a canonical MAC "aa:bb:cc:dd:ee:ff" with its NUL. */
#define VALID_MAC_LEN 18
/* Room for an id as given in a URL or a body (UUIDs and more). */
#define VALID_ID_LEN 256

/* Python truthiness of a JSON value, as the reference's checks use it:
 * missing, null, false, 0, "", [] and {} are false. */
bool valid_truthy(const json_t *v);

/* Writes 'v' as short text for a message: a string's content, else its
 * compact JSON. */
void valid_value_text(const json_t *v, char *buf, size_t size);

/* Reads the optional string attribute 'name' of 'attrs' into '*out'
 * (borrowed from 'attrs'; 'def' when absent or null).  Longer than 'max'
 * bytes or not a string → 400.  Returns 0 or -EINVAL with 'err' filled. */
int valid_string(const json_t *attrs, const char *name, size_t max,
                 const char *def, const char **out, struct core_err *err);

/* Reads the optional boolean attribute 'name' ('def' when absent). */
int valid_bool(const json_t *attrs, const char *name, bool def, bool *out,
               struct core_err *err);

/* Copies an id to look up into 'out': a UUID in lower case, anything else
 * as given (it then matches nothing).  NULL or too long → "". */
void valid_id(const char *s, char out[VALID_ID_LEN]);

/* The project of a new resource: 'project_id', else 'tenant_id', else "".
 * Borrowed from 'attrs'. */
const char *valid_project(const json_t *attrs);

/* Sets "tenant_id" and "project_id" of 'obj' to 'project'. */
void valid_set_project(json_t *obj, const char *project);

/* Makes "tenant_id" and "project_id" of a rendered row both present when
 * one of them is (the generic list may give only the column). */
void valid_fill_project(json_t *row);

/* Parses an IPv4 ('af' AF_INET), IPv6 (AF_INET6) or either (AF_UNSPEC)
 * address into its canonical text.  Returns 0, or -EINVAL if 's' is not
 * such an address. */
int valid_ip(const char *s, int af, char out[VALID_IP_LEN]);

/* Parses an IP address or a CIDR "addr/len" (canonical "addr/len" out). */
int valid_ip_or_cidr(const char *s, char out[VALID_IP_LEN + 4]);

/* Parses a unicast MAC address written "aa:bb:cc:dd:ee:ff" or
 * "aa-bb-cc-dd-ee-ff" (any case) into lower-case colon form.  The all-zero
 * and multicast/broadcast addresses are rejected.  Returns 0 or -EINVAL. */
int valid_mac(const char *s, char out[VALID_MAC_LEN]);

/* Fills 'err' with "Invalid input for <attr>. Reason: <reason>."
 * (CE_BAD_REQUEST) and returns -EINVAL. */
int valid_fail(struct core_err *err, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
