/* l2gw-vtepd configuration: the [vtepd] options and their parsers. */
#include "vtepd/vconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "l2gw-config.h"

/* Largest configuration file read. */
#define VCONF_FILE_MAX (1024 * 1024)

struct parse {
    struct vconf *c;
    const char *file;
    char *err;
    bool failed;
};

void vconf_init(struct vconf *c)
{
    memset(c, 0, sizeof *c);
    c->db = strdup("unix:/run/l2gw-vtepd/db.sock");
    c->mtu = 1500;
    c->ageing_time = 300;
    c->arp_suppression = true;
    snprintf(c->prefix, sizeof c->prefix, "lv");
}

void vconf_destroy(struct vconf *c)
{
    if (c) {
        free(c->db);
        free(c->log_file);
        c->db = c->log_file = NULL;
    }
}

static int parse_int(const char *v, long min, long max, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) {
        return -EINVAL;
    }
    *out = (int)n;
    return 0;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(v, yes[i]) || !strcasecmp(v, no[i])) {
            *out = !strcasecmp(v, yes[i]);
            return 0;
        }
    }
    return -EINVAL;
}

static int parse_ipv4(const char *v, uint32_t *out)
{
    struct in_addr a;
    if (inet_pton(AF_INET, v, &a) != 1 || !a.s_addr) {
        return -EINVAL;
    }
    *out = a.s_addr;
    return 0;
}

static bool ifname_ok(const char *s, size_t len)
{
    if (!len || len >= VCONF_IFNAMSIZ) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '/' || s[i] == ':' || s[i] <= ' ' || s[i] == ',') {
            return false;
        }
    }
    return true;
}

/* Comma or blank separated interface names. */
static int parse_ports(struct vconf *c, const char *v)
{
    c->n_ports = 0;
    while (*v) {
        size_t skip = strspn(v, ", \t\n");
        v += skip;
        size_t len = strcspn(v, ", \t\n");
        if (!len) {
            break;
        }
        if (!ifname_ok(v, len) || c->n_ports >= VCONF_MAX_PORTS) {
            return -EINVAL;
        }
        memcpy(c->ports[c->n_ports], v, len);
        c->ports[c->n_ports][len] = '\0';
        for (int i = 0; i < c->n_ports; i++) {
            if (!strcmp(c->ports[i], c->ports[c->n_ports])) {
                return -EINVAL;
            }
        }
        c->n_ports++;
        v += len;
    }
    return 0;
}

static int copy_name(char *dst, size_t size, const char *v, bool strict)
{
    size_t len = strlen(v);
    if (!len || len >= size) {
        return -EINVAL;
    }
    for (size_t i = 0; strict && i < len; i++) {
        if (!(v[i] >= 'a' && v[i] <= 'z') && !(v[i] >= '0' && v[i] <= '9')) {
            return -EINVAL;
        }
    }
    memcpy(dst, v, len + 1);
    return 0;
}

static int replace_str(char **field, const char *v)
{
    char *s = strdup(v);
    if (!s) {
        return -ENOMEM;
    }
    free(*field);
    *field = s;
    return 0;
}

/* Sets option 'name' to 'v'.  Returns 0, -ENOENT for an unknown option,
 * -EINVAL for a bad value. */
static int set_option(struct vconf *c, const char *name, const char *v)
{
    if (!strcmp(name, "db")) {
        return *v ? replace_str(&c->db, v) : -EINVAL;
    } else if (!strcmp(name, "switch_name")) {
        return copy_name(c->switch_name, sizeof c->switch_name, v, false);
    } else if (!strcmp(name, "tunnel_ip")) {
        return parse_ipv4(v, &c->tunnel_ip);
    } else if (!strcmp(name, "wan_ip")) {
        return *v ? parse_ipv4(v, &c->wan_ip) : (c->wan_ip = 0, 0);
    } else if (!strcmp(name, "ports")) {
        return parse_ports(c, v);
    } else if (!strcmp(name, "mtu")) {
        return parse_int(v, 576, 65000, &c->mtu);
    } else if (!strcmp(name, "ageing_time")) {
        return parse_int(v, 10, 1000000, &c->ageing_time);
    } else if (!strcmp(name, "arp_suppression")) {
        return parse_bool(v, &c->arp_suppression);
    } else if (!strcmp(name, "prefix")) {
        return copy_name(c->prefix, sizeof c->prefix, v, true);
    } else if (!strcmp(name, "wan_netns")) {
        return copy_name(c->wan_netns, sizeof c->wan_netns, v, false);
    } else if (!strcmp(name, "wan_allow_list")) {
        return parse_bool(v, &c->wan_allow_list);
    } else if (!strcmp(name, "log_file")) {
        return *v ? replace_str(&c->log_file, v) : 0;
    } else if (!strcmp(name, "debug")) {
        return parse_bool(v, &c->debug);
    }
    return -ENOENT;
}

static int on_value(void *aux, const char *section, const char *name,
                    const char *value)
{
    struct parse *p = aux;
    if (strcmp(section, "vtepd")) {
        return 1;
    }
    int rc = set_option(p->c, name, value);
    if (rc) {
        snprintf(p->err, VCONF_ERR_LEN, "%s: [vtepd] %s: %s '%.64s'", p->file,
                 name, rc == -ENOENT ? "unknown option" : "invalid value",
                 rc == -ENOENT ? "" : value);
        p->failed = true;
        return 0;
    }
    return 1;
}

int vconf_parse_string(struct vconf *c, const char *file, const char *text,
                       char *err)
{
    struct parse p = {.c = c, .file = file, .err = err};
    int line = ini_parse_string(text, on_value, &p);
    if (line || p.failed) {
        if (!p.failed) {
            snprintf(err, VCONF_ERR_LEN, "%s: syntax error", file);
        }
        /* Prefix the line number: "file:LINE: ...". */
        char tmp[VCONF_ERR_LEN];
        size_t fl = strlen(file);
        snprintf(tmp, sizeof tmp, "%s:%d%s", file, line > 0 ? line : 0,
                 err + (strncmp(err, file, fl) ? 0 : fl));
        snprintf(err, VCONF_ERR_LEN, "%s", tmp);
        return -EINVAL;
    }
    return 0;
}

int vconf_load(struct vconf *c, const char *path, char *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        snprintf(err, VCONF_ERR_LEN, "%s: %s", path, strerror(e));
        return -e;
    }
    char *buf = malloc(VCONF_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, VCONF_FILE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n > VCONF_FILE_MAX) {
        snprintf(err, VCONF_ERR_LEN, "%s: %s", path,
                 buf ? "file too large" : "out of memory");
        free(buf);
        return buf ? -EFBIG : -ENOMEM;
    }
    buf[n] = '\0';
    int rc = vconf_parse_string(c, path, buf, err);
    free(buf);
    return rc;
}

int vconf_finish(struct vconf *c, char *err)
{
    if (!c->switch_name[0]) {
        snprintf(err, VCONF_ERR_LEN, "[vtepd] switch_name is required");
        return -EINVAL;
    }
    if (!c->tunnel_ip) {
        snprintf(err, VCONF_ERR_LEN, "[vtepd] tunnel_ip is required");
        return -EINVAL;
    }
    if (c->wan_ip && c->wan_ip == c->tunnel_ip) {
        snprintf(err, VCONF_ERR_LEN,
                 "[vtepd] wan_ip must differ from tunnel_ip");
        return -EINVAL;
    }
    if (c->wan_allow_list && !c->wan_ip) {
        snprintf(err, VCONF_ERR_LEN, "[vtepd] wan_allow_list needs wan_ip");
        return -EINVAL;
    }
#ifndef HAVE_LIBNFTNL
    if (c->wan_allow_list) {
        snprintf(err, VCONF_ERR_LEN,
                 "[vtepd] wan_allow_list: l2gw-vtepd was built without "
                 "libnftnl");
        return -EINVAL;
    }
#endif
    if (!c->wan_netns[0]) {
        snprintf(c->wan_netns, sizeof c->wan_netns, "%s-wan", c->prefix);
    }
    return 0;
}
