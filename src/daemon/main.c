/* l2gwd's command line:
 *   l2gwd [--config-file FILE]... [--debug] [db upgrade|version]
 * Several --config-file options are merged in order (as Neutron's); without
 * any, DEFAULT_CONFIG is read. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/l2gwd.h"
#include "l2gw-config.h"
#include "lib/config.h"
#include "lib/log.h"
#include "manager/manager.h"

#define DEFAULT_CONFIG "/etc/l2gw/l2gw.ini"
#define MAX_CONFIG_FILES 32

struct options {
    const char *files[MAX_CONFIG_FILES];
    int n_files;
    bool debug;
    const char *db_command;     /* "upgrade", "version" or NULL */
    int ctl_argc;               /* "ctl" and its arguments */
    char **ctl_argv;
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: l2gwd [--config-file FILE]... [--debug] "
            "[db upgrade|version]\n"
            "\n"
            "The L2 gateway daemon: REST API, store and switch manager.\n"
            "\n"
            "  --config-file FILE  read FILE (repeatable; later files\n"
            "                      override earlier ones; default\n"
            "                      " DEFAULT_CONFIG ")\n"
            "  --debug             log at debug level\n"
            "  --version           print the version and exit\n"
            "  --help              print this help and exit\n"
            "  db upgrade          apply missing schema migrations and exit\n"
            "  db version          print the schema version and exit\n"
            "  ctl status | dump DB | resync DB|all | forget SWITCH\n"
            "                      ask the running daemon (control socket)\n");
}

/* Parses argv into 'o'.  Returns -1 to go on, else an exit status. */
static int
parse_args(int argc, char *argv[], struct options *o)
{
    static const struct option longopts[] = {
        {"config-file", required_argument, NULL, 'c'},
        {"debug", no_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (o->n_files == MAX_CONFIG_FILES) {
                fprintf(stderr, "l2gwd: too many --config-file options\n");
                return 2;
            }
            o->files[o->n_files++] = optarg;
            break;
        case 'd':
            o->debug = true;
            break;
        case 'V':
            printf("l2gwd %s\n", L2GW_VERSION);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    int rest = argc - optind;
    if (rest == 2 && !strcmp(argv[optind], "db")
        && (!strcmp(argv[optind + 1], "upgrade")
            || !strcmp(argv[optind + 1], "version"))) {
        o->db_command = argv[optind + 1];
    } else if (rest >= 2 && !strcmp(argv[optind], "ctl")) {
        o->ctl_argc = rest - 1;
        o->ctl_argv = argv + optind + 1;
    } else if (rest) {
        fprintf(stderr, "l2gwd: unknown command '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    return -1;
}

/* Loads every configuration file into 'cfg'.  Returns 0 or -1 (said). */
static int
load_config(const struct options *o, struct config *cfg)
{
    char err[512];

    config_init(cfg);
    for (int i = 0; i < (o->n_files ? o->n_files : 1); i++) {
        const char *path = o->n_files ? o->files[i] : DEFAULT_CONFIG;
        /* config_load_file() has logged why (to stderr: logging is not
         * set up yet). */
        if (config_load_file(cfg, path, err, sizeof err)) {
            return -1;
        }
    }
    return 0;
}

/* Level and destination of log lines.  Returns 0 or -1 (said). */
static int
setup_logging(const struct config *cfg, bool debug)
{
    log_set_level(debug || cfg->debug ? LOG_LEVEL_DBG : LOG_LEVEL_INFO);
    if (cfg->log_file && *cfg->log_file && log_set_file(cfg->log_file)) {
        fprintf(stderr, "l2gwd: cannot open log file %s\n", cfg->log_file);
        return -1;
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    struct options o = {.n_files = 0};
    struct config cfg;

    int status = parse_args(argc, argv, &o);
    if (status >= 0) {
        return status;
    }
    if (load_config(&o, &cfg) || setup_logging(&cfg, o.debug)) {
        config_destroy(&cfg);
        return 1;
    }
    if (o.ctl_argc) {
        status = manager_ctl_client(&cfg, o.ctl_argc, o.ctl_argv);
    } else {
        status = o.db_command ? l2gwd_db(&cfg, o.db_command) : l2gwd_run(&cfg);
    }
    config_destroy(&cfg);
    return status;
}
