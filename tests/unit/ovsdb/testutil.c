/* Test helpers; see testutil.h. */
#include "testutil.h"

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/loop.h"

int
tu_mkdtemp(char *out, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(out, PATH_MAX, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
             prefix);
    return mkdtemp(out) ? 0 : -1;
}

void
tu_rmrf(const char *dir)
{
    if (dir && *dir && strstr(dir, "/tmp") == dir) {
        tu_sh("rm -rf '%s'", dir);
    }
}

int
tu_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Makes key NAME.key and certificate NAME.pem signed by CA 'ca' in 'dir'. */
static int
make_leaf(const char *dir, const char *name, const char *ca)
{
    return tu_sh("cd '%s' && openssl req -newkey ec -pkeyopt "
                 "ec_paramgen_curve:prime256v1 -nodes -keyout %s.key -out "
                 "%s.csr -subj /CN=%s >/dev/null 2>&1 && openssl x509 -req "
                 "-in %s.csr -CA %s.pem -CAkey %s.key -CAcreateserial -out "
                 "%s.pem -days 2 >/dev/null 2>&1",
                 dir, name, name, name, name, ca, ca, name);
}

static int
make_ca(const char *dir, const char *name)
{
    return tu_sh("cd '%s' && openssl req -x509 -newkey ec -pkeyopt "
                 "ec_paramgen_curve:prime256v1 -nodes -keyout %s.key -out "
                 "%s.pem -days 2 -subj /CN=%s >/dev/null 2>&1",
                 dir, name, name, name);
}

int
tu_make_pki(const char *dir)
{
    if (make_ca(dir, "ca") || make_ca(dir, "other-ca") ||
        make_leaf(dir, "server", "ca") || make_leaf(dir, "client", "ca")) {
        return -1;
    }
    return 0;
}

bool
tu_loop_until(bool (*step)(void *aux), void *aux, long long timeout_ms)
{
    long long deadline = loop_now() + timeout_ms;

    for (;;) {
        if (step(aux)) {
            return true;
        }
        if (loop_now() >= deadline) {
            return false;
        }
        loop_timer_wait_until(deadline);
        loop_block();
    }
}

int
tu_free_port(void)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port = -1;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && !bind(fd, (struct sockaddr *)&sin, sizeof sin) &&
        !getsockname(fd, (struct sockaddr *)&sin, &len)) {
        port = ntohs(sin.sin_port);
    }
    if (fd >= 0) {
        close(fd);
    }
    return port;
}
