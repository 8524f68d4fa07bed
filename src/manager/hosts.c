/* [ovsdb] ovsdb_hosts parsing (hosts.h). */
#include "manager/hosts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/config.h"

#define FORMS "expected name:IP:PORT, name:tcp:IP:PORT, name:ssl:IP:PORT or " \
              "name:unix:/PATH (IPv6 in brackets)"

/* Writes "ovsdb_hosts entry '<entry>': <reason>" into 'err'; returns
 * -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
entry_fail(char *err, const char *entry, const char *fmt, ...)
{
    char reason[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(err, HOSTS_ERR_LEN, "ovsdb_hosts entry '%.200s': %s", entry,
             reason);
    return -EINVAL;
}

int
hosts_valid_name(const char *name)
{
    size_t n = strlen(name);

    if (!n || n >= HOSTS_NAME_MAX) {
        return 0;
    }
    return strcspn(name, ":/, \t\r\n") == n;
}

/* Parses a decimal port 1..65535. */
static bool
parse_port(const char *s, int *port)
{
    long v = 0;

    if (!*s || strlen(s) > 5) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
        v = v * 10 + (*p - '0');
    }
    *port = (int) v;
    return v >= 1 && v <= 65535;
}

/* Parses "IP:PORT" or "[IPv6]:PORT" of 'entry' into the canonical
 * "IP:PORT" / "[IPv6]:PORT" form in 'out'. */
static int
parse_addr(const char *entry, const char *addr, char *out, size_t size,
           char *err)
{
    char ip[64], canon[INET6_ADDRSTRLEN];
    unsigned char bin[16];
    const char *port_s;
    int port;
    bool v6 = addr[0] == '[';

    if (v6) {
        const char *end = strchr(addr, ']');
        if (!end || end[1] != ':' || (size_t)(end - addr - 1) >= sizeof ip) {
            return entry_fail(err, entry, "bad bracketed IPv6 address; %s",
                              FORMS);
        }
        memcpy(ip, addr + 1, (size_t)(end - addr - 1));
        ip[end - addr - 1] = '\0';
        port_s = end + 2;
    } else {
        const char *colon = strrchr(addr, ':');
        if (!colon || (size_t)(colon - addr) >= sizeof ip) {
            return entry_fail(err, entry, "missing port; %s", FORMS);
        }
        memcpy(ip, addr, (size_t)(colon - addr));
        ip[colon - addr] = '\0';
        port_s = colon + 1;
        if (strchr(ip, ':')) {
            return entry_fail(err, entry,
                              "IPv6 addresses must be written in brackets "
                              "(name:[2001:db8::1]:6640)");
        }
    }
    if (inet_pton(v6 ? AF_INET6 : AF_INET, ip, bin) != 1) {
        return entry_fail(err, entry, "'%s' is not an IPv%d address", ip,
                          v6 ? 6 : 4);
    }
    if (!parse_port(port_s, &port)) {
        return entry_fail(err, entry, "'%s' is not a port (1..65535)",
                          port_s);
    }
    inet_ntop(v6 ? AF_INET6 : AF_INET, bin, canon, sizeof canon);
    snprintf(out, size, v6 ? "[%s]:%d" : "%s:%d", canon, port);
    return 0;
}

/* "<base>/<name><ext>", or NULL (and 'err') when 'base' is unset. */
static char *
ssl_file(const char *entry, const char *option, const char *base,
         const char *name, const char *ext, char *err, int *rc)
{
    char *path = NULL;

    if (!base || !*base) {
        *rc = entry_fail(err, entry, "ssl needs [ovsdb] %s", option);
        return NULL;
    }
    size_t len = strlen(base);
    const char *sep = len && base[len - 1] == '/' ? "" : "/";
    if (asprintf(&path, "%s%s%s%s", base, sep, name, ext) < 0) {
        *rc = -ENOMEM;
        return NULL;
    }
    return path;
}

static int
fill_ssl(const char *entry, const struct config *cfg, struct hosts_entry *e,
         char *err)
{
    int rc = 0;

    if (!cfg) {
        return entry_fail(err, entry, "ssl is not available here");
    }
    e->ssl_key = ssl_file(entry, "l2_gw_agent_priv_key_base_path",
                          cfg->l2_gw_agent_priv_key_base_path, e->name,
                          ".key", err, &rc);
    if (!rc) {
        e->ssl_cert = ssl_file(entry, "l2_gw_agent_cert_base_path",
                               cfg->l2_gw_agent_cert_base_path, e->name,
                               ".cert", err, &rc);
    }
    if (!rc) {
        e->ssl_ca = ssl_file(entry, "l2_gw_agent_ca_cert_base_path",
                             cfg->l2_gw_agent_ca_cert_base_path, e->name,
                             ".ca_cert", err, &rc);
    }
    return rc;
}

/* The part after "name:" of 'entry' → the remote of 'e'. */
static int
parse_remote(const char *entry, const char *rest, const struct config *cfg,
             struct hosts_entry *e, char *err)
{
    char addr[128];
    const char *proto = "tcp";
    int rc;

    if (!strncmp(rest, "unix:", 5)) {
        if (!rest[5]) {
            return entry_fail(err, entry, "empty unix socket path");
        }
        return asprintf(&e->remote, "%s", rest) < 0 ? -ENOMEM : 0;
    }
    if (!strncmp(rest, "tcp:", 4) || !strncmp(rest, "ssl:", 4)) {
        proto = !strncmp(rest, "ssl:", 4) ? "ssl" : "tcp";
        rest += 4;
    }
    if ((rc = parse_addr(entry, rest, addr, sizeof addr, err))) {
        return rc;
    }
    if (asprintf(&e->remote, "%s:%s", proto, addr) < 0) {
        return -ENOMEM;
    }
    return strcmp(proto, "ssl") ? 0 : fill_ssl(entry, cfg, e, err);
}

static void
entry_destroy(struct hosts_entry *e)
{
    free(e->name);
    free(e->remote);
    free(e->ssl_key);
    free(e->ssl_cert);
    free(e->ssl_ca);
    memset(e, 0, sizeof *e);
}

/* Parses one trimmed, non-empty entry into 'e'. */
static int
parse_entry(const char *entry, const struct config *cfg,
            struct hosts_entry *e, char *err)
{
    const char *colon = strchr(entry, ':');

    if (!colon || colon == entry) {
        return entry_fail(err, entry, "%s", FORMS);
    }
    e->name = strndup(entry, (size_t)(colon - entry));
    if (!e->name) {
        return -ENOMEM;
    }
    if (!hosts_valid_name(e->name)) {
        return entry_fail(err, entry,
                          "the name may not hold '/' or blanks and must be "
                          "shorter than %d bytes",
                          HOSTS_NAME_MAX);
    }
    return parse_remote(entry, colon + 1, cfg, e, err);
}

static int
check_unique(const struct hosts *h, const char *entry, char *err)
{
    const char *name = h->v[h->n - 1].name;

    for (size_t i = 0; i + 1 < h->n; i++) {
        if (!strcmp(h->v[i].name, name)) {
            return entry_fail(err, entry, "the name '%s' is used twice",
                              name);
        }
    }
    return 0;
}

/* Appends the entry 'entry' (trimmed, non-empty) to 'h'. */
static int
add_entry(struct hosts *h, const char *entry, const struct config *cfg,
          char *err)
{
    if (h->n == HOSTS_MAX) {
        return entry_fail(err, entry, "more than %d entries", HOSTS_MAX);
    }
    struct hosts_entry *v = realloc(h->v, (h->n + 1) * sizeof *v);
    if (!v) {
        return -ENOMEM;
    }
    h->v = v;
    memset(&h->v[h->n], 0, sizeof *h->v);
    h->n++;
    int rc = parse_entry(entry, cfg, &h->v[h->n - 1], err);
    return rc ? rc : check_unique(h, entry, err);
}

int
hosts_parse(const char *text, const struct config *cfg, struct hosts *out,
            char *err)
{
    char *copy = strdup(text ? text : ""), *save = NULL;
    int rc = copy ? 0 : -ENOMEM;

    out->v = NULL;
    out->n = 0;
    err[0] = '\0';
    for (char *tok = copy ? strtok_r(copy, ",\n", &save) : NULL;
         tok && !rc; tok = strtok_r(NULL, ",\n", &save)) {
        tok += strspn(tok, " \t\r");
        size_t len = strlen(tok);
        while (len && strchr(" \t\r", tok[len - 1])) {
            tok[--len] = '\0';
        }
        if (len) {
            rc = add_entry(out, tok, cfg, err);
        }
    }
    free(copy);
    if (rc) {
        if (rc == -ENOMEM && !err[0]) {
            snprintf(err, HOSTS_ERR_LEN, "ovsdb_hosts: out of memory");
        }
        hosts_destroy(out);
    }
    return rc;
}

void
hosts_destroy(struct hosts *h)
{
    for (size_t i = 0; h && i < h->n; i++) {
        entry_destroy(&h->v[i]);
    }
    if (h) {
        free(h->v);
        h->v = NULL;
        h->n = 0;
    }
}

int
hosts_check_files(const struct hosts_entry *e, char *err)
{
    const char *files[] = {e->ssl_key, e->ssl_cert, e->ssl_ca};

    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        if (files[i] && access(files[i], R_OK)) {
            int rc = -errno;
            snprintf(err, HOSTS_ERR_LEN,
                     "ovsdb_hosts entry '%.128s': cannot read %.300s: %.40s", e->name,
                     files[i], strerror(-rc));
            return rc;
        }
    }
    return 0;
}
