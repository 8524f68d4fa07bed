/* Named network namespaces (see netns.h). */
#include "vtepd/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MODULE "netns"
#include "lib/log.h"

/* Makes namespace file 'path': a new namespace bind-mounted on it.  The
 * caller's namespace is restored. */
static int create(const char *path)
{
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0) {
        return -errno;
    }
    mkdir(NETNS_RUN_DIR, 0755);
    int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    int rc = fd < 0 ? -errno : 0;
    if (fd >= 0) {
        close(fd);
    }
    if (!rc && unshare(CLONE_NEWNET)) {
        rc = -errno;
    } else if (!rc) {
        if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL)) {
            rc = -errno;
        }
        if (setns(self, CLONE_NEWNET)) {
            log_err("cannot return to the original namespace: %s",
                    strerror(errno));
            abort();
        }
    }
    if (rc && rc != -EEXIST) {
        unlink(path);
    }
    close(self);
    return rc;
}

int netns_open(const char *name, bool create_it, bool *created)
{
    char path[256];
    if (!name[0] || strchr(name, '/')) {
        return -EINVAL;
    }
    snprintf(path, sizeof path, "%s/%s", NETNS_RUN_DIR, name);
    *created = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create_it) {
        int rc = create(path);
        if (rc) {
            return rc;
        }
        *created = true;
        log_info("created network namespace %s (it has no WAN address yet)",
                 name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    return fd < 0 ? -errno : fd;
}
