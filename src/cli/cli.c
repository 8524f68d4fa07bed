/* Usage, help and error messages of the l2gw client: see cli.h. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>

void cli_print_usage(FILE *fp, const struct cli_cmd *cmd, const char *label)
{
    fprintf(fp, "usage: l2gw %s [options]%s%s\n", label,
            cmd->synopsis && *cmd->synopsis ? " " : "",
            cmd->synopsis ? cmd->synopsis : "");
}

int cli_usage_error(const struct cli *c, const char *fmt, ...)
{
    va_list ap;

    cli_print_usage(stderr, c->cmd, c->label);
    fprintf(stderr, "l2gw %s: error: ", c->label);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'l2gw %s --help' for more information.\n", c->label);
    return CLI_EXIT_USAGE;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_FAIL;
}

static void print_opt(FILE *fp, const struct args_opt *o)
{
    char head[128];
    const char *mv = o->metavar ? o->metavar : "VALUE";

    if (o->kind == ARGS_FLAG)
        snprintf(head, sizeof head, "%s%s%s", o->name, o->alias ? ", " : "",
                 o->alias ? o->alias : "");
    else if (o->kind == ARGS_VALUE)
        snprintf(head, sizeof head, "%s %s%s%s", o->name, mv,
                 o->alias ? ", " : "", o->alias ? o->alias : "");
    else
        snprintf(head, sizeof head, "%s [%s]%s%s", o->name, mv,
                 o->alias ? ", " : "", o->alias ? o->alias : "");
    if (strlen(head) < 30)
        fprintf(fp, "  %-30s %s\n", head, o->help ? o->help : "");
    else
        fprintf(fp, "  %s\n  %-30s %s\n", head, "", o->help ? o->help : "");
}

void cli_print_options(FILE *fp, const char *title, const struct args_opt *o)
{
    if (!o || !o->name)
        return;
    fprintf(fp, "\n%s:\n", title);
    for (; o->name; o++)
        print_opt(fp, o);
}

void cli_print_help(FILE *fp, const struct cli_cmd *cmd, const char *label,
                    const struct args_opt *const *global)
{
    cli_print_usage(fp, cmd, label);
    fprintf(fp, "\n%s\n", cmd->summary);
    if (cmd->name && cmd->group)
        fprintf(fp, "(also: l2gw %s / l2gw %s %s)\n", cmd->name, cmd->group,
                cmd->verb);
    cli_print_options(fp, "command options", cmd->opts);
    cli_print_options(fp, "common options", cmd->extra);
    for (size_t i = 0; global && global[i]; i++)
        cli_print_options(fp, "global options", global[i]);
}
