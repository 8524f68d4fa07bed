/* Stream names to socket addresses; see streamaddr.h. */
#include "ovsdb/streamaddr.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

static int __attribute__((format(printf, 3, 4)))
set_err(char *err, int error, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, STREAM_ERR_LEN, fmt, ap);
        va_end(ap);
    }
    return error;
}

static bool
has_prefix(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

static int
parse_port(const char *s, bool allow_zero, int *port)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < (allow_zero ? 0 : 1) || v > 65535) {
        return -EINVAL;
    }
    *port = (int)v;
    return 0;
}

/* Fills 'a' from numeric 'ip' (no brackets) and 'port'. */
static int
fill_inet(struct streamaddr *a, const char *ip, int port)
{
    struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;

    memset(&a->ss, 0, sizeof a->ss);
    if (inet_pton(AF_INET, ip, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        a->len = sizeof *in4;
        snprintf(a->peer, sizeof a->peer, "%s:%d", ip, port);
    } else if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        a->len = sizeof *in6;
        snprintf(a->peer, sizeof a->peer, "[%s]:%d", ip, port);
    } else {
        return -EINVAL;
    }
    snprintf(a->ip, sizeof a->ip, "%s", ip);
    return 0;
}

/* Splits "IP:PORT" or "[IP6]:PORT" into 'ip' and 'port'. */
static int
split_host_port(char *s, char **ip, char **port)
{
    char *colon;

    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close || close[1] != ':') {
            return -EINVAL;
        }
        *close = '\0';
        *ip = s + 1;
        *port = close + 2;
        return 0;
    }
    colon = strchr(s, ':');
    if (!colon || strchr(colon + 1, ':')) {
        return -EINVAL; /* no port, or an IPv6 address without brackets */
    }
    *colon = '\0';
    *ip = s;
    *port = colon + 1;
    return 0;
}

static int
parse_unix(const char *path, struct streamaddr *a, char *err)
{
    struct sockaddr_un *un = (struct sockaddr_un *)&a->ss;

    if (!*path || strlen(path) >= sizeof un->sun_path) {
        return set_err(err, -EINVAL, "unix socket path '%s' is empty or "
                       "longer than %zu bytes", path,
                       sizeof un->sun_path - 1);
    }
    memset(&a->ss, 0, sizeof a->ss);
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, path, strlen(path) + 1);
    a->len = sizeof *un;
    a->kind = STREAMADDR_UNIX;
    snprintf(a->peer, sizeof a->peer, "%s", path);
    a->ip[0] = '\0';
    return 0;
}

int
streamaddr_parse_active(const char *name, struct streamaddr *a, char *err)
{
    char buf[STREAM_NAME_MAX];
    char *ip, *port_s;
    int port;

    if (has_prefix(name, "unix:")) {
        return parse_unix(name + 5, a, err);
    }
    a->kind = has_prefix(name, "ssl:") ? STREAMADDR_SSL : STREAMADDR_TCP;
    if (!has_prefix(name, "tcp:") && !has_prefix(name, "ssl:")) {
        return set_err(err, -EINVAL, "'%s': unknown stream type (expected "
                       "tcp:, ssl: or unix:)", name);
    }
    snprintf(buf, sizeof buf, "%s", name + 4);
    if (split_host_port(buf, &ip, &port_s) || parse_port(port_s, false, &port)
        || fill_inet(a, ip, port)) {
        return set_err(err, -EINVAL, "'%s': expected %.3s:IP:PORT or "
                       "%.3s:[IPv6]:PORT with a numeric address", name, name,
                       name);
    }
    return 0;
}

int
streamaddr_parse_passive(const char *name, struct streamaddr *a, char *err)
{
    char buf[STREAM_NAME_MAX];
    int port;

    if (has_prefix(name, "punix:")) {
        return parse_unix(name + 6, a, err);
    }
    if (!has_prefix(name, "ptcp:") && !has_prefix(name, "pssl:")) {
        return set_err(err, -EINVAL, "'%s': unknown listener type (expected "
                       "ptcp:, pssl: or punix:)", name);
    }
    a->kind = has_prefix(name, "pssl:") ? STREAMADDR_SSL : STREAMADDR_TCP;
    snprintf(buf, sizeof buf, "%s", name + 5);
    char *ip = strchr(buf, ':');
    if (ip) {
        *ip++ = '\0';
        size_t n = strlen(ip);
        if (n > 1 && ip[0] == '[' && ip[n - 1] == ']') {
            ip[n - 1] = '\0';
            ip++;
        }
    }
    if (parse_port(buf, true, &port) || fill_inet(a, ip ? ip : "0.0.0.0",
                                                  port)) {
        return set_err(err, -EINVAL, "'%s': expected %.4s:PORT[:IP] with a "
                       "numeric address", name, name);
    }
    return 0;
}

void
streamaddr_from_sockaddr(const struct sockaddr_storage *ss,
                         struct streamaddr *a)
{
    char ip[INET6_ADDRSTRLEN] = "";

    a->ip[0] = '\0';
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof ip);
        snprintf(a->peer, sizeof a->peer, "%s:%d", ip, ntohs(in4->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
        snprintf(a->peer, sizeof a->peer, "[%s]:%d", ip,
                 ntohs(in6->sin6_port));
    }
    snprintf(a->ip, sizeof a->ip, "%s", ip);
}
