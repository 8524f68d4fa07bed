/* Input checks shared by core/ modules. */
#include "core/valid.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/jsonutil.h"

bool
valid_truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v)) {
        return false;
    }
    if (json_is_integer(v)) {
        return json_integer_value(v) != 0;
    }
    if (json_is_real(v)) {
        return json_real_value(v) != 0.0;
    }
    if (json_is_string(v)) {
        return json_string_length(v) > 0;
    }
    if (json_is_array(v)) {
        return json_array_size(v) > 0;
    }
    if (json_is_object(v)) {
        return json_object_size(v) > 0;
    }
    return true;
}

int
valid_fail(struct core_err *err, const char *attr, const char *fmt, ...)
{
    char reason[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return core_fail(err, CE_BAD_REQUEST, "Invalid input for %s. Reason: %s.",
                     attr, reason);
}

void
valid_value_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v)) {
        snprintf(buf, size, "%s", json_string_value(v));
        return;
    }
    char *s = ju_dump(v);
    snprintf(buf, size, "%s", s ? s : "?");
    free(s);
}

int
valid_string(const json_t *attrs, const char *name, size_t max,
             const char *def, const char **out, struct core_err *err)
{
    const json_t *v = json_object_get(attrs, name);
    char text[64];

    if (!v || json_is_null(v)) {
        *out = def;
        return 0;
    }
    if (!json_is_string(v)
        || strlen(json_string_value(v)) != json_string_length(v)) {
        valid_value_text(v, text, sizeof text);
        return valid_fail(err, name, "'%s' is not a valid string", text);
    }
    if (json_string_length(v) > max) {
        return valid_fail(err, name, "string exceeds maximum length of %zu",
                          max);
    }
    *out = json_string_value(v);
    return 0;
}

int
valid_bool(const json_t *attrs, const char *name, bool def, bool *out,
           struct core_err *err)
{
    const json_t *v = json_object_get(attrs, name);
    char text[64];

    if (!v) {
        *out = def;
        return 0;
    }
    if (!ju_as_bool(v, out)) {
        valid_value_text(v, text, sizeof text);
        return valid_fail(err, name, "'%s' is not a valid boolean value",
                          text);
    }
    return 0;
}

void
valid_id(const char *s, char out[VALID_ID_LEN])
{
    if (!s || strlen(s) >= VALID_ID_LEN) {
        out[0] = '\0';
    } else if (uuid_normalize(s, out) < 0) {
        snprintf(out, VALID_ID_LEN, "%s", s);
    }
}

const char *
valid_project(const json_t *attrs)
{
    const char *p = ju_str(attrs, "project_id");

    if (!p) {
        p = ju_str(attrs, "tenant_id");
    }
    return p ? p : "";
}

void
valid_set_project(json_t *obj, const char *project)
{
    json_object_set_new(obj, "tenant_id", json_string(project));
    json_object_set_new(obj, "project_id", json_string(project));
}

void
valid_fill_project(json_t *row)
{
    json_t *p = json_object_get(row, "project_id");
    json_t *t = json_object_get(row, "tenant_id");

    /* Strings are immutable: both keys may share one. */
    if (p && !t) {
        json_object_set(row, "tenant_id", p);
    } else if (t && !p) {
        json_object_set(row, "project_id", t);
    }
}

int
valid_ip(const char *s, int af, char out[VALID_IP_LEN])
{
    unsigned char addr[16];

    if (af != AF_INET6 && inet_pton(AF_INET, s, addr) == 1) {
        inet_ntop(AF_INET, addr, out, VALID_IP_LEN);
        return 0;
    }
    if (af != AF_INET && inet_pton(AF_INET6, s, addr) == 1) {
        inet_ntop(AF_INET6, addr, out, VALID_IP_LEN);
        return 0;
    }
    return -EINVAL;
}

int
valid_ip_or_cidr(const char *s, char out[VALID_IP_LEN + 4])
{
    char addr[VALID_IP_LEN + 4], canon[VALID_IP_LEN];
    const char *slash = strchr(s, '/');

    if (!slash) {
        return valid_ip(s, AF_UNSPEC, out);
    }
    size_t alen = (size_t) (slash - s);
    if (alen >= sizeof addr) {
        return -EINVAL;
    }
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    if (valid_ip(addr, AF_UNSPEC, canon)) {
        return -EINVAL;
    }
    int max = strchr(canon, ':') ? 128 : 32;
    const char *p = slash + 1;
    if (!*p || strlen(p) > 3 || strspn(p, "0123456789") != strlen(p)) {
        return -EINVAL;
    }
    int len = atoi(p);
    if (len > max) {
        return -EINVAL;
    }
    snprintf(out, VALID_IP_LEN + 4, "%s/%u", canon, (unsigned char) len);
    return 0;
}

int
valid_mac(const char *s, char out[VALID_MAC_LEN])
{
    unsigned char b[6];

    if (strlen(s) != 17) {
        return -EINVAL;
    }
    char sep = s[2];
    if (sep != ':' && sep != '-') {
        return -EINVAL;
    }
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        if (!isxdigit((unsigned char) p[0]) || !isxdigit((unsigned char) p[1])
            || (i < 5 && p[2] != sep)) {
            return -EINVAL;
        }
        char hex[3] = {p[0], p[1], '\0'};
        b[i] = (unsigned char) strtoul(hex, NULL, 16);
    }
    bool zero = !(b[0] | b[1] | b[2] | b[3] | b[4] | b[5]);
    if (zero || (b[0] & 1)) {
        return -EINVAL;
    }
    snprintf(out, VALID_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1],
             b[2], b[3], b[4], b[5]);
    return 0;
}
