/* The daemon's life: open the store, migrate, create the core and the API,
 * then run the main loop until a signal asks to stop. */
#include "daemon/l2gwd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define LOG_MODULE "l2gwd"
#include "api/api.h"
#include "cluster/cluster.h"
#include "core/core.h"
#include "lib/config.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "manager/manager.h"
#include "store/store.h"

/* What runs in the main loop.  The switch manager joins it here. */
struct daemon {
    struct store *store;
    struct core *core;
    struct cluster *cluster; /* several nodes (PostgreSQL), else NULL */
    struct api *api;
    struct manager *manager;
    int signal_fd;
    sigset_t old_mask;
    bool stop;
};

/* Opens the store named by [database] connection.  Returns 0 or a negative
 * errno (logged). */
static int
open_store(const struct config *cfg, struct store **st)
{
    const char *url = cfg->db_connection;

    if (!url || !*url) {
        log_err("[database] connection is not set");
        return -EINVAL;
    }
    int rc = store_open(url, st);
    if (rc) {
        /* Not the URL: it may hold a password. */
        log_err("cannot open the [database] connection: %s", strerror(-rc));
    }
    return rc;
}

int
l2gwd_db(const struct config *cfg, const char *command)
{
    struct store *st;
    int version = 0;
    int rc = open_store(cfg, &st);

    if (rc) {
        return 1;
    }
    if (!strcmp(command, "upgrade")) {
        rc = store_migrate(st, &version);
        if (!rc) {
            printf("upgraded to version %d\n", version);
        }
    } else {
        rc = store_version(st, &version);
        if (!rc) {
            printf("%d\n", version);
        }
    }
    if (rc) {
        log_err("db %s failed: %s", command, strerror(-rc));
    }
    store_close(st);
    return rc ? 1 : 0;
}

/* Blocks SIGINT, SIGTERM and SIGHUP and delivers them through a signalfd
 * that the loop waits on; SIGPIPE is ignored (peers that go away are
 * errors on the socket, not a reason to die). */
static int
setup_signals(struct daemon *d)
{
    sigset_t mask;

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &mask, &d->old_mask)) {
        return -errno;
    }
    /* A signal whose disposition is "ignore" is discarded, not queued for
     * the signalfd: a shell starts background jobs with SIGINT ignored. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    d->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (d->signal_fd < 0) {
        int err = errno;
        sigprocmask(SIG_SETMASK, &d->old_mask, NULL);
        log_err("signalfd: %s", strerror(err));
        return -err;
    }
    return 0;
}

/* Reads the pending signals and acts on them. */
static void
handle_signals(struct daemon *d)
{
    struct signalfd_siginfo si;

    while (read(d->signal_fd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            log_info("SIGHUP: reopening the log file");
            log_reopen();
        } else {
            log_info("%s: shutting down", strsignal((int)si.ssi_signo));
            d->stop = true;
        }
    }
}

/* Prints where the API listens (tests read this line). */
static void
announce(const struct config *cfg, int port)
{
    const char *host = cfg->bind_host && *cfg->bind_host ? cfg->bind_host
                                                         : "127.0.0.1";
    bool v6 = strchr(host, ':') != NULL;

    fprintf(stderr, "l2gwd: API listening on http://%s%s%s:%d\n",
            v6 ? "[" : "", host, v6 ? "]" : "", port);
    fflush(stderr);
    log_info("API listening on %s port %d", host, port);
}

/* Store, core and API, in that order.  Returns 0 or a negative errno. */
static int
start(struct daemon *d, const struct config *cfg)
{
    int version;
    /* Refuse a configuration the API cannot serve before touching the
     * database. */
    int rc = api_check_config(cfg);

    if (!rc) {
        rc = open_store(cfg, &d->store);
    }
    if (!rc && (rc = store_migrate(d->store, &version))) {
        log_err("database migration failed: %s", strerror(-rc));
    }
    if (!rc && (rc = core_create(d->store, cfg, &d->core))) {
        log_err("cannot start the core: %s", strerror(-rc));
    }
    if (!rc && (rc = cluster_create(cfg, d->store, &d->cluster))) {
        log_err("cannot join the cluster: %s", strerror(-rc));
    }
    if (!rc && (rc = manager_create(d->core, cfg, d->cluster, &d->manager))) {
        log_err("cannot start the switch manager: %s", strerror(-rc));
    }
    if (!rc && (rc = api_create(d->core, cfg, &d->api))) {
        log_err("cannot start the API: %s", strerror(-rc));
    }
    if (!rc && !(rc = api_listen(d->api))) {
        announce(cfg, api_port(d->api));
    }
    return rc;
}

static void
stop(struct daemon *d)
{
    api_destroy(d->api);
    /* The sessions close before the leases are freed. */
    manager_destroy(d->manager);
    cluster_destroy(d->cluster);
    core_destroy(d->core);
    store_close(d->store);
    if (d->signal_fd >= 0) {
        close(d->signal_fd);
        sigprocmask(SIG_SETMASK, &d->old_mask, NULL);
    }
}

static void
main_loop(struct daemon *d)
{
    while (!d->stop) {
        api_run(d->api);
        cluster_run(d->cluster);
        manager_run(d->manager);
        handle_signals(d);
        if (d->stop) {
            break;
        }
        api_wait(d->api);
        cluster_wait(d->cluster);
        manager_wait(d->manager);
        loop_fd_wait(d->signal_fd, POLLIN);
        loop_block();
    }
}

int
l2gwd_run(const struct config *cfg)
{
    struct daemon d = {.signal_fd = -1};

    int rc = setup_signals(&d);
    if (!rc) {
        rc = start(&d, cfg);
    }
    if (!rc) {
        main_loop(&d);
        log_info("stopped");
    }
    stop(&d);
    return rc ? 1 : 0;
}
