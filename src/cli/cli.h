/* The l2gw client's command table types, run context and messages.
 *
 * Every resource group (gateway.c, connection.c, ...) exports an array of
 * struct cli_cmd (see commands.h); main.c dispatches on it.  A command's
 * run() returns the process exit status: CLI_EXIT_OK, CLI_EXIT_FAIL (the
 * server refused, a name did not resolve, the server is unreachable) or
 * CLI_EXIT_USAGE (the command line is wrong; usage went to stderr). */
#ifndef L2GW_CLI_CLI_H
#define L2GW_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "cli/args.h"
#include "cli/output.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

/* No upper limit on positional arguments. */
#define CLI_ANY ((size_t)-1)

struct cli;
struct http;

struct cli_cmd {
    const char *name;  /* neutron-style name ("l2-gateway-create"), or NULL */
    const char *group; /* grouped form: group and verb ("gateway", */
    const char *verb;  /* "create"), or NULL */
    const char *synopsis; /* arguments, e.g. "<NAME> --device <SPEC>..." */
    const char *summary;  /* one line */
    size_t min_pos;       /* positional arguments, at least */
    size_t max_pos;       /* at most, or CLI_ANY */
    const struct args_opt *opts;  /* the command's options, or NULL */
    const struct args_opt *extra; /* shared options (list, project), or NULL */
    int (*run)(struct cli *c, const struct args *a);
};

struct cli {
    const struct cli_cmd *cmd; /* the command being run */
    const char *label;         /* how it was called: "gateway create" */
    struct http *http;
    struct out_opts out;
    FILE *fp; /* where results go (stdout) */
};

/* Prints the command's usage line and "error: <message>" on stderr;
 * returns CLI_EXIT_USAGE. */
int cli_usage_error(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "<message>" on stderr; returns CLI_EXIT_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes the usage line of 'cmd' called as 'label' to 'fp'. */
void cli_print_usage(FILE *fp, const struct cli_cmd *cmd, const char *label);

/* Writes "<title>:" and one line per option of 'o' (a zeroed entry ends
 * it) to 'fp'; nothing when 'o' is NULL or empty. */
void cli_print_options(FILE *fp, const char *title, const struct args_opt *o);

/* Writes the full help of 'cmd' (usage, summary, options of 'cmd' and the
 * NULL-terminated option sets 'global') to 'fp'. */
void cli_print_help(FILE *fp, const struct cli_cmd *cmd, const char *label,
                    const struct args_opt *const *global);

#endif
