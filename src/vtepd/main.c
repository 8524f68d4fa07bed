/* l2gw-vtepd: a hardware_vtep switch on the Linux kernel's bridge and
 * VXLAN devices.
 *
 * Files: main.c (command line, signals, the main loop), vconf.c
 * (configuration), vdb.c + vdb_sync.c (the OVSDB side: session, model of
 * the wishes; the switch's own rows), model.c (the wishes as plain data),
 * want.c (the wanted kernel objects and the port layout), recon.c (diff
 * against the kernel), dp.c (executes it over netlink), dp_learn.c
 * (learned MACs), dp_vlan.c (VLAN programs of the ports), nlmsg.c / nl.c /
 * kstate.c (netlink messages, sockets, parsing), vbpf.c (the cls_bpf
 * programs), netns.c (the WAN namespace), vnft.c + vnft_nl.c (the WAN
 * source allow-list, nftables). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "l2gw-config.h"
#include "lib/loop.h"
#include "vtepd/dp.h"
#include "vtepd/model.h"
#include "vtepd/vconf.h"
#include "vtepd/vdb.h"

#define LOG_MODULE "vtepd"
#include "lib/log.h"

/* A full reconcile pass runs at least this often (ms), repairing what
 * someone changed in the kernel behind our back. */
#define PASS_INTERVAL_MS 10000
/* After the kernel changed under us, a pass this long after the last one
 * at the soonest (our own passes change the kernel too). */
#define KERNEL_PASS_MIN_MS 200
#define MAX_CONFIG_FILES 8

struct opts {
    const char *files[MAX_CONFIG_FILES];
    int n_files;
    bool cleanup_on_stop;
    bool cleanup_now;
    bool debug;
    const char *log_file;
};

static void usage(void)
{
    printf("usage: l2gw-vtepd --config-file FILE [options]\n"
           "  --config-file FILE  INI file with a [vtepd] section "
           "(repeatable)\n"
           "  --cleanup           on stop, remove every kernel object made\n"
           "  --cleanup-now       remove them now and exit\n"
           "  --log-file FILE     log there instead of stderr\n"
           "  --debug             log at debug level\n"
           "  --version           print the version\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"config-file", required_argument, NULL, 'c'},
        {"cleanup", no_argument, NULL, 'C'},
        {"cleanup-now", no_argument, NULL, 'N'},
        {"log-file", required_argument, NULL, 'l'},
        {"debug", no_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "c:h", longs, NULL)) != -1) {
        switch (ch) {
        case 'c':
            if (o->n_files == MAX_CONFIG_FILES) {
                fprintf(stderr, "too many --config-file options\n");
                return 2;
            }
            o->files[o->n_files++] = optarg;
            break;
        case 'C':
            o->cleanup_on_stop = true;
            break;
        case 'N':
            o->cleanup_now = true;
            break;
        case 'l':
            o->log_file = optarg;
            break;
        case 'd':
            o->debug = true;
            break;
        case 'V':
            printf("l2gw-vtepd %s\n", L2GW_VERSION);
            return 1;
        case 'h':
            usage();
            return 1;
        default:
            usage();
            return 2;
        }
    }
    if (optind < argc || !o->n_files) {
        usage();
        return 2;
    }
    return 0;
}

static int load_config(const struct opts *o, struct vconf *c)
{
    char err[VCONF_ERR_LEN];
    vconf_init(c);
    for (int i = 0; i < o->n_files; i++) {
        if (vconf_load(c, o->files[i], err)) {
            fprintf(stderr, "l2gw-vtepd: %s\n", err);
            return -EINVAL;
        }
    }
    if (vconf_finish(c, err)) {
        fprintf(stderr, "l2gw-vtepd: %s\n", err);
        return -EINVAL;
    }
    if (o->debug || c->debug) {
        log_set_level(LOG_LEVEL_DBG);
    }
    const char *lf = o->log_file ? o->log_file : c->log_file;
    if (lf && log_set_file(lf)) {
        fprintf(stderr, "l2gw-vtepd: cannot open log file %s\n", lf);
        return -EINVAL;
    }
    return 0;
}

static int signal_fd(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Returns true when asked to stop. */
static bool read_signals(int fd)
{
    struct signalfd_siginfo si;
    bool stop = false;
    while (read(fd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            log_reopen();
        } else {
            log_info("signal %u: stopping", si.ssi_signo);
            stop = true;
        }
    }
    return stop;
}

struct daemon {
    struct vdb *vdb;
    struct dp *dp;
    struct model model;
    uint64_t applied_seqno;
    uint64_t published_learned;
    long long next_pass;
    long long last_pass;
    bool applied_once;
};

/* When the next pass is due: the periodic one, or sooner after the kernel
 * changed under us. */
static long long pass_due(const struct daemon *d)
{
    long long kernel = d->last_pass + KERNEL_PASS_MIN_MS;
    return dp_kernel_changed(d->dp) && kernel < d->next_pass ? kernel
                                                             : d->next_pass;
}

static void pass(struct daemon *d)
{
    int rc = vdb_model(d->vdb, &d->model);
    if (!rc) {
        rc = dp_apply(d->dp, &d->model);
        if (rc) {
            log_dbg("reconcile pass: %s", strerror(-rc));
        }
    }
    if (!d->applied_once) {
        log_info("kernel reconciled with the database");
        d->applied_once = true;
    }
    d->applied_seqno = vdb_seqno(d->vdb);
    d->last_pass = loop_now();
    d->next_pass = loop_now() + PASS_INTERVAL_MS;
    d->published_learned = dp_learned_seqno(d->dp) - 1; /* publish now */
}

static void step(struct daemon *d)
{
    vdb_run(d->vdb);
    dp_run(d->dp);
    if (!vdb_ready(d->vdb)) {
        return;
    }
    if (vdb_seqno(d->vdb) != d->applied_seqno || dp_needs_pass(d->dp) ||
        loop_now() >= pass_due(d)) {
        pass(d);
    }
    if (dp_learned_seqno(d->dp) != d->published_learned) {
        size_t n_macs, n_faults;
        const struct dp_mac *macs = dp_learned(d->dp, &n_macs);
        const struct dp_fault *faults = dp_faults(d->dp, &n_faults);
        if (!vdb_publish(d->vdb, macs, n_macs, faults, n_faults, &d->model)) {
            d->published_learned = dp_learned_seqno(d->dp);
        }
        vdb_run(d->vdb);
    }
}

static void main_loop(struct daemon *d, int sfd)
{
    d->next_pass = loop_now();
    for (;;) {
        step(d);
        if (read_signals(sfd)) {
            return;
        }
        vdb_wait(d->vdb);
        dp_wait(d->dp);
        loop_fd_wait(sfd, POLLIN);
        if (vdb_ready(d->vdb)) {
            loop_timer_wait_until(pass_due(d));
        }
        loop_block();
    }
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    struct vconf cfg;
    struct daemon d = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        return rc == 1 ? 0 : 2;
    }
    if (load_config(&o, &cfg)) {
        vconf_destroy(&cfg);
        return 1;
    }
    model_init(&d.model);
    int sfd = signal_fd();
    rc = dp_create(&cfg, &d.dp);
    if (!rc && o.cleanup_now) {
        rc = dp_cleanup(d.dp);
    } else if (!rc && !(rc = vdb_create(&cfg, &d.vdb))) {
        log_info("switch %s started (database %s)", cfg.switch_name, cfg.db);
        main_loop(&d, sfd);
        if (o.cleanup_on_stop) {
            dp_cleanup(d.dp);
        }
    }
    vdb_destroy(d.vdb);
    dp_destroy(d.dp);
    model_clear(&d.model);
    vconf_destroy(&cfg);
    if (sfd >= 0) {
        close(sfd);
    }
    return rc ? 1 : 0;
}
