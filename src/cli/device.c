/* The --device parser: see device.h for the syntax and its rules. */
#include "cli/device.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/args.h"

/* A piece of the spec: 'len' bytes at spec offset 'off'. */
struct span {
    size_t off;
    size_t len;
    bool set;
};

struct parse {
    const char *spec;
    char *err;
    size_t errlen;
};

static int fail(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct parse *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Records a finished key=value in 'name' or 'ifs'. */
static int store_key(struct parse *p, struct span key, struct span val,
                     struct span *name, struct span *ifs)
{
    const char *k = p->spec + key.off;

    if (key.len == 4 && !strncmp(k, "name", 4)) {
        *name = val;
    } else if (key.len == 15 && !strncmp(k, "interface_names", 15)) {
        *ifs = val;
    } else {
        return fail(p,
                    "unknown key '%.*s' at column %zu (expected 'name' or "
                    "'interface_names')",
                    (int)key.len, k, key.off + 1);
    }
    return 0;
}

/* Splits the spec into its keys as neutronclient's str2dict does: a
 * piece without '=' continues the previous value. */
static int split_keys(struct parse *p, struct span *name, struct span *ifs)
{
    const char *s = p->spec;
    struct span key = {0}, val = {0};
    size_t off = 0, n = strlen(s);

    for (;;) {
        const char *comma = memchr(s + off, ',', n - off);
        size_t end = comma ? (size_t)(comma - s) : n;
        const char *eq = memchr(s + off, '=', end - off);

        if (eq) {
            if (key.set && store_key(p, key, val, name, ifs) < 0)
                return -1;
            key = (struct span){off, (size_t)(eq - s) - off, true};
            val = (struct span){(size_t)(eq - s) + 1, 0, true};
            val.len = end - val.off;
        } else if (!key.set) {
            return fail(p,
                        "missing value for key '%.*s' at column %zu "
                        "(expected name=<device>,interface_names=<list>)",
                        (int)(end - off), s + off, off + 1);
        } else {
            val.len = end - val.off;
        }
        if (!comma)
            break;
        off = end + 1;
    }
    return store_key(p, key, val, name, ifs);
}

/* Appends VLAN 'v' (checked: digits, 0..DEVICE_VLAN_MAX) to 'list'. */
static int add_vlan(struct parse *p, struct span ifname, struct span v,
                    json_t *list)
{
    const char *s = p->spec + v.off;
    unsigned long n = 0;

    if (v.len == 0)
        return fail(p, "interface '%.*s': empty VLAN at column %zu",
                    (int)ifname.len, p->spec + ifname.off, v.off + 1);
    for (size_t i = 0; i < v.len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return fail(p,
                        "interface '%.*s': VLAN '%.*s' at column %zu is not "
                        "a number",
                        (int)ifname.len, p->spec + ifname.off, (int)v.len, s,
                        v.off + 1);
        if (n <= DEVICE_VLAN_MAX)
            n = n * 10 + (unsigned long)(s[i] - '0');
    }
    if (n > DEVICE_VLAN_MAX)
        return fail(p,
                    "interface '%.*s': VLAN %.*s at column %zu is out of "
                    "range 0..%d",
                    (int)ifname.len, p->spec + ifname.off, (int)v.len, s,
                    v.off + 1, DEVICE_VLAN_MAX);
    json_array_append_new(list, json_stringn(s, v.len));
    return 0;
}

/* Parses the VLAN list "<vlan>[#<vlan>...]" at 'vl' of interface
 * 'ifname' into a new JSON array stored in *out (caller json_decref()s). */
static int parse_vlans(struct parse *p, struct span ifname, struct span vl,
                       json_t **out)
{
    json_t *list = json_array();
    size_t off = vl.off, end = vl.off + vl.len;

    for (;;) {
        const char *hash = memchr(p->spec + off, '#', end - off);
        size_t stop = hash ? (size_t)(hash - p->spec) : end;

        if (add_vlan(p, ifname, (struct span){off, stop - off, true}, list)) {
            json_decref(list);
            return -1;
        }
        if (!hash)
            break;
        off = stop + 1;
    }
    *out = list;
    return 0;
}

/* Parses one interface "<name>[|<vlans>]" at 'it' into a new object
 * (caller json_decref()s), or NULL with the message in p->err. */
static json_t *parse_interface(struct parse *p, struct span it, size_t index)
{
    const char *s = p->spec + it.off;
    const char *bar = memchr(s, '|', it.len);
    struct span name = {it.off, bar ? (size_t)(bar - s) : it.len, true};
    json_t *iface, *vlans = NULL;

    if (name.len == 0) {
        fail(p, "interface %zu has an empty name at column %zu", index,
             it.off + 1);
        return NULL;
    }
    if (bar) {
        size_t voff = (size_t)(bar - p->spec) + 1;
        struct span vl = {voff, it.off + it.len - voff, true};
        const char *bar2 = memchr(p->spec + voff, '|', vl.len);

        if (bar2) {
            fail(p, "interface '%.*s' has a second '|' at column %zu",
                 (int)name.len, s, (size_t)(bar2 - p->spec) + 1);
            return NULL;
        }
        if (parse_vlans(p, name, vl, &vlans) < 0)
            return NULL;
    }
    iface = json_object();
    json_object_set_new(iface, "name", json_stringn(s, name.len));
    if (vlans)
        json_object_set_new(iface, "segmentation_id", vlans);
    return iface;
}

/* Parses "<if>[|...][;<if2>...]" at 'ifs' into a new JSON array
 * (caller json_decref()s), or NULL with the message in p->err. */
static json_t *parse_interfaces(struct parse *p, struct span ifs)
{
    json_t *list = json_array();
    size_t off = ifs.off, end = ifs.off + ifs.len, index = 1;

    for (;; index++) {
        const char *semi = memchr(p->spec + off, ';', end - off);
        size_t stop = semi ? (size_t)(semi - p->spec) : end;
        json_t *iface =
            parse_interface(p, (struct span){off, stop - off, true}, index);

        if (!iface) {
            json_decref(list);
            return NULL;
        }
        json_array_append_new(list, iface);
        if (!semi)
            break;
        off = stop + 1;
    }
    return list;
}

static bool check_utf8(struct parse *p)
{
    long bad = args_utf8_error(p->spec);

    if (bad >= 0) {
        fail(p, "invalid UTF-8 at column %ld", bad + 1);
        return false;
    }
    return true;
}

static bool check_spec(struct parse *p)
{
    size_t n = strnlen(p->spec, DEVICE_SPEC_MAX_LEN + 1);

    if (n == 0) {
        fail(p, "empty device (expected "
                "name=<device>,interface_names=<list>)");
        return false;
    }
    if (n > DEVICE_SPEC_MAX_LEN) {
        fail(p, "device longer than %d characters", DEVICE_SPEC_MAX_LEN);
        return false;
    }
    return check_utf8(p);
}

json_t *device_parse(const char *spec, char *err, size_t errlen)
{
    struct parse p = {spec, err, errlen};
    struct span name = {0}, ifs = {0};
    json_t *dev, *interfaces;

    if (!check_spec(&p) || split_keys(&p, &name, &ifs) < 0)
        return NULL;
    if (!name.set) {
        fail(&p, "missing name=<device>");
        return NULL;
    }
    if (name.len == 0) {
        fail(&p, "empty device name at column %zu", name.off + 1);
        return NULL;
    }
    if (!ifs.set) {
        fail(&p, "missing interface_names=<list> for device '%.*s'",
             (int)name.len, spec + name.off);
        return NULL;
    }
    interfaces = parse_interfaces(&p, ifs);
    if (!interfaces)
        return NULL;
    dev = json_object();
    json_object_set_new(dev, "device_name",
                        json_stringn(spec + name.off, name.len));
    json_object_set_new(dev, "interfaces", interfaces);
    return dev;
}
