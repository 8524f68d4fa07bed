/* l2gw: the command-line client of l2gwd.
 *
 * Which file owns what in src/cli:
 *   main.c      global options, the dispatch table, help and version
 *   cli.c       usage and error messages; cli.h the command table types
 *   args.c      option/argument parsing (options anywhere on the line)
 *   http.c      libcurl transport (one easy handle, JSON, token, TLS)
 *   output.c    table/json/value/yaml/csv output as the OpenStack client
 *   device.c    the --device syntax
 *   resolve.c   names or ids
 *   res.c       generic create/list/show/update/delete
 *   buf.c       growable strings
 *   gateway.c connection.c remote_*.c network.c port.c host.c switch.c
 *   learned_mac.c fdb.c: one file per resource group (commands.h) */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>

#include "cli/http.h"
#include "l2gw-config.h"
#include "lib/log.h"

#define DEFAULT_URL "http://127.0.0.1:9696"
#define DEFAULT_TIMEOUT_S 60L

static const struct args_opt global_opts[] = {
    {"--url", "--os-url", ARGS_VALUE, "URL",
     "API endpoint (env L2GW_URL, OS_URL; default " DEFAULT_URL ")"},
    {"--token", "--os-token", ARGS_VALUE, "TOKEN",
     "authentication token (env L2GW_TOKEN, OS_TOKEN)"},
    {"-f", "--format", ARGS_VALUE, "FORMAT",
     "output format: table (default), json, value, yaml, csv"},
    {"-c", "--column", ARGS_VALUE, "COLUMN",
     "show only this column (its title; repeatable)"},
    {"--cacert", "--os-cacert", ARGS_VALUE, "FILE",
     "CA bundle to verify the API's TLS certificate"},
    {"--insecure", NULL, ARGS_FLAG, NULL,
     "do not verify the API's TLS certificate"},
    {"--timeout", NULL, ARGS_VALUE, "SECONDS",
     "give up on a request after SECONDS (default 60)"},
    {"--debug", NULL, ARGS_FLAG, NULL, "trace requests and replies on stderr"},
    {"--help", "-h", ARGS_FLAG, NULL, "show help and exit"},
    {"--version", NULL, ARGS_FLAG, NULL, "show the version and exit"},
    {0},
};

static const struct args_opt *const global_sets[] = {global_opts, NULL};

static const struct cli_cmd *const tables[] = {
    gateway_cmds,
    connection_cmds,
    remote_gateway_cmds,
    remote_connection_cmds,
    remote_mac_cmds,
    network_cmds,
    port_cmds,
    host_cmds,
    switch_cmds,
    learned_mac_cmds,
    fdb_cmds,
    NULL,
};

/* ---- finding the command ---- */

static const struct cli_cmd *find_named(const char *name)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct cli_cmd *c = tables[t]; c->run; c++)
            if (c->name && !strcmp(c->name, name))
                return c;
    return NULL;
}

static bool is_group(const char *g)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct cli_cmd *c = tables[t]; c->run; c++)
            if (c->group && !strcmp(c->group, g))
                return true;
    return false;
}

static const struct cli_cmd *find_verb(const char *group, const char *verb)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct cli_cmd *c = tables[t]; c->run; c++)
            if (c->group && !strcmp(c->group, group) && !strcmp(c->verb, verb))
                return c;
    return NULL;
}

/* True if option word 'w' is a global option that takes the next word
 * as its value ("--url U", "-f json"; not "--url=U" nor "-fjson"). */
static bool takes_next(const char *w)
{
    char name[64];
    bool lng = w[1] == '-';
    const char *eq = lng ? strchr(w, '=') : NULL;
    size_t len = lng ? (eq ? (size_t)(eq - w) : strlen(w)) : 2;
    const struct args_opt *o;

    if (len >= sizeof name || (!lng && w[2]) || eq)
        return false;
    snprintf(name, sizeof name, "%.*s", (int)len, w);
    o = args_find_opt(global_sets, name);
    return o && o->kind == ARGS_VALUE;
}

/* Index of the next word of argv at or after 'i' that is not an option
 * or a global option's value, or argc.  Stops at "--". */
static int next_word(int argc, char **argv, int i)
{
    for (; i < argc; i++) {
        const char *w = argv[i];
        if (!strcmp(w, "--"))
            return argc;
        if (w[0] != '-' || !w[1])
            return i;
        if (takes_next(w))
            i++;
    }
    return argc;
}

/* ---- help ---- */

static void list_commands(FILE *fp, const char *group)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct cli_cmd *c = tables[t]; c->run; c++)
            if (!group || (c->group && !strcmp(c->group, group)))
                fprintf(fp, "  %-40s %s\n",
                        group || !c->name ? c->verb : c->name, c->summary);
}

static void global_usage(FILE *fp)
{
    fputs("usage: l2gw [global options] <command> [arguments]\n"
          "       l2gw [global options] <group> <verb> [arguments]\n",
          fp);
}

/* One line per group: "gateway create|list|show|update|delete". */
static void list_groups(FILE *fp)
{
    for (size_t t = 0; tables[t]; t++) {
        fprintf(fp, "  %-18s ", tables[t][0].group);
        for (const struct cli_cmd *c = tables[t]; c->run; c++)
            fprintf(fp, "%s%s", c == tables[t] ? "" : "|", c->verb);
        fputc('\n', fp);
    }
}

static void global_help(FILE *fp)
{
    global_usage(fp);
    fputs("\nThe command-line client of l2gwd (the L2 Gateway API).\n"
          "\nNeutron-style commands:\n",
          fp);
    for (size_t t = 0; tables[t]; t++)
        for (const struct cli_cmd *c = tables[t]; c->run; c++)
            if (c->name && strlen(c->name) < 38)
                fprintf(fp, "  %-37s %s\n", c->name, c->summary);
            else if (c->name)
                fprintf(fp, "  %s\n  %-37s %s\n", c->name, "", c->summary);
    fputs("\nGrouped commands (the same, plus the inventory and what the "
          "switches report):\n",
          fp);
    list_groups(fp);
    cli_print_options(fp, "Global options (anywhere on the line)", global_opts);
    fputs("\n'l2gw <command> --help' or 'l2gw <group> --help' tells more.\n",
          fp);
}

static int global_usage_error(const char *fmt, const char *arg)
{
    global_usage(stderr);
    fputs("l2gw: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'l2gw --help' for more information.\n", stderr);
    return CLI_EXIT_USAGE;
}

static bool wants(int argc, char **argv, const char *a, const char *b)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], a) || (b && !strcmp(argv[i], b)))
            return true;
    return false;
}

/* ---- running ---- */

static const char *env2(const char *a, const char *b)
{
    const char *v = getenv(a);

    if (v && *v)
        return v;
    v = getenv(b);
    return v && *v ? v : NULL;
}

/* Sets up the output options and the HTTP client of 'c'; an exit
 * status. */
static int setup(struct cli *c, const struct args *a, const char **select)
{
    const char *fmt = args_get(a, "-f"), *to = args_get(a, "--timeout");
    struct http_opts ho = {0};
    char err[256];

    if (fmt && out_parse_format(fmt, &c->out.format) < 0)
        return cli_usage_error(c,
                               "invalid -f '%s' (choose from table, json, "
                               "value, yaml, csv)",
                               fmt);
    c->out.n_select = args_count(a, "-c");
    for (size_t i = 0; i < c->out.n_select; i++)
        select[i] = args_nth(a, "-c", i);
    c->out.select = select;
    if (to && (!args_is_number(to) || strchr(to, '.')))
        return cli_usage_error(c, "invalid --timeout '%s'", to);
    ho.url = args_get(a, "--url");
    ho.url = ho.url ? ho.url : env2("L2GW_URL", "OS_URL");
    ho.url = ho.url ? ho.url : DEFAULT_URL;
    ho.token = args_get(a, "--token");
    ho.token = ho.token ? ho.token : env2("L2GW_TOKEN", "OS_TOKEN");
    ho.cacert = args_get(a, "--cacert");
    ho.insecure = args_has(a, "--insecure");
    ho.timeout_s = to ? atol(to) : DEFAULT_TIMEOUT_S;
    log_set_level(args_has(a, "--debug") ? LOG_LEVEL_DBG : LOG_LEVEL_WARN);
    c->http = http_create(&ho, err, sizeof err);
    return c->http ? CLI_EXIT_OK : cli_fail("%s", err);
}

static int check_positionals(const struct cli *c, const struct args *a)
{
    const struct cli_cmd *cmd = c->cmd;

    if (a->n_pos < cmd->min_pos)
        return cli_usage_error(c, "missing arguments (expected %s)",
                               cmd->synopsis);
    if (cmd->max_pos != CLI_ANY && a->n_pos > cmd->max_pos)
        return cli_usage_error(c, "unrecognized argument '%s'",
                               a->pos[cmd->max_pos]);
    return CLI_EXIT_OK;
}

/* Every word must be UTF-8: names and values go into JSON. */
static int check_utf8(const struct cli *c, int n, char **words)
{
    for (int i = 0; i < n; i++) {
        long bad = args_utf8_error(words[i]);
        if (bad >= 0)
            return cli_usage_error(c, "'%s' is not valid UTF-8 (byte %ld)",
                                   words[i], bad + 1);
    }
    return CLI_EXIT_OK;
}

/* Parses the words of argv but the command's own (at 'skip1' and
 * 'skip2') and runs the command; an exit status. */
static int run(const struct cli_cmd *cmd, const char *label, int argc,
               char **argv, int skip1, int skip2)
{
    static struct args a;
    static const char *select[ARGS_MAX_OPTIONS];
    const struct args_opt *sets[4] = {global_opts, NULL, NULL, NULL};
    const struct args_opt *const *setp = sets;
    char **words = calloc((size_t)argc + 1, sizeof *words), err[512];
    int n = 0, rc, ns = 1;
    struct cli c = {cmd, label, NULL, {OUT_TABLE, NULL, 0}, stdout};

    if (cmd->opts)
        sets[ns++] = cmd->opts;
    if (cmd->extra)
        sets[ns++] = cmd->extra;
    for (int i = 1; i < argc; i++)
        if (i != skip1 && i != skip2)
            words[n++] = argv[i];
    rc = check_utf8(&c, n, words);
    if (rc == CLI_EXIT_OK)
        rc = args_parse(&a, n, words, setp, err, sizeof err) < 0
                 ? cli_usage_error(&c, "%s", err)
                 : check_positionals(&c, &a);
    if (rc == CLI_EXIT_OK && args_has(&a, "--version")) {
        printf("l2gw %s\n", L2GW_VERSION);
        free(words);
        return CLI_EXIT_OK;
    }
    if (rc == CLI_EXIT_OK)
        rc = setup(&c, &a, select);
    if (rc == CLI_EXIT_OK)
        rc = cmd->run(&c, &a);
    http_destroy(c.http);
    free(words);
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = cli_fail("Cannot write the output");
    return rc;
}

/* Handles a group word at argv[g]: finds its verb; an exit status. */
static int run_group(int argc, char **argv, int g, bool help)
{
    int v = next_word(argc, argv, g + 1);
    const struct cli_cmd *cmd = v < argc ? find_verb(argv[g], argv[v]) : NULL;
    char label[128];

    if (!cmd && help) {
        printf("usage: l2gw %s <verb> [arguments]\n\nVerbs:\n", argv[g]);
        list_commands(stdout, argv[g]);
        return CLI_EXIT_OK;
    }
    if (!cmd) {
        fprintf(stderr, "usage: l2gw %s <verb> [arguments]\nVerbs:\n", argv[g]);
        list_commands(stderr, argv[g]);
        fprintf(stderr, "l2gw %s: error: %s '%s'\n", argv[g],
                v < argc ? "unknown verb" : "missing verb",
                v < argc ? argv[v] : "");
        return CLI_EXIT_USAGE;
    }
    snprintf(label, sizeof label, "%s %s", argv[g], argv[v]);
    if (help) {
        cli_print_help(stdout, cmd, label, global_sets);
        return CLI_EXIT_OK;
    }
    return run(cmd, label, argc, argv, g, v);
}

int main(int argc, char **argv)
{
    bool help = wants(argc, argv, "--help", "-h");
    int w = next_word(argc, argv, 1);
    const struct cli_cmd *cmd;

    if (w < argc && !strcmp(argv[w], "help")) {
        help = true;
        w = next_word(argc, argv, w + 1);
    }
    if (w >= argc) {
        if (help) {
            global_help(stdout);
            return CLI_EXIT_OK;
        }
        if (wants(argc, argv, "--version", NULL)) {
            printf("l2gw %s\n", L2GW_VERSION);
            return CLI_EXIT_OK;
        }
        return global_usage_error("missing command%s", "");
    }
    if (is_group(argv[w]))
        return run_group(argc, argv, w, help);
    cmd = find_named(argv[w]);
    if (!cmd)
        return global_usage_error("unknown command '%s'", argv[w]);
    if (help) {
        cli_print_help(stdout, cmd, argv[w], global_sets);
        return CLI_EXIT_OK;
    }
    return run(cmd, argv[w], argc, argv, w, -1);
}
