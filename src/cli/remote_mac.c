/* Hosts behind a remote gateway: l2-remote-mac-{create,list,show,delete}
 * and remote-mac {create,list,show,delete}.  Create takes
 * "<MAC>[;<IP>] <CONN>", "<MAC> <IP> <CONN>", or "--from-file F <CONN>"
 * (one MAC[;IP] a line, sent as one bulk request). */
#include "cli/commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/resolve.h"

/* The server's bulk limit (border.md): at most this many MACs a request. */
#define REMOTE_MAC_MAX_BULK 10000
/* Longest line of a --from-file file. */
#define REMOTE_MAC_MAX_LINE 1024

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"mac", "MAC", OUT_LIST},
    {"ipaddr", "IP Address", OUT_LIST},
    {"rgw_connection", "Remote Gateway Connection", OUT_LIST},
    {"tenant_id", "Tenant", 0},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

const struct res_type remote_mac_type = {
    "/v2.0/l2-remote-macs",
    "l2_remote_mac",
    "l2_remote_macs",
    "L2 Remote MAC",
    false,
    columns,
    NULL,
};

static const struct args_opt create_opts[] = {
    {"--from-file", NULL, ARGS_VALUE, "FILE",
     "create the MACs of FILE (one MAC[;IP] a line) in one request"},
    {0},
};

static const struct args_opt list_opts[] = {
    {"--remote-connection", NULL, ARGS_VALUE, "ID",
     "only MACs of this remote gateway connection"},
    {0},
};

/* A new {"mac", "ipaddr"?, "rgw_connection"} from "MAC[;IP]" (or the
 * separate 'ip' when not NULL).  Caller json_decref()s. */
static json_t *mac_object(const char *spec, const char *ip, const char *conn)
{
    const char *semi = ip ? NULL : strchr(spec, ';');
    json_t *o = json_object();

    json_object_set_new(o, "mac",
                        semi ? json_stringn(spec, (size_t)(semi - spec))
                             : json_string(spec));
    if (semi && semi[1])
        json_object_set_new(o, "ipaddr", json_string(semi + 1));
    else if (ip)
        json_object_set_new(o, "ipaddr", json_string(ip));
    json_object_set_new(o, "rgw_connection", json_string(conn));
    return o;
}

/* Trims 'line' in place and turns "MAC IP" into "MAC;IP".  Returns the
 * trimmed text ("" for a blank or comment line). */
static char *normalize_line(char *line)
{
    char *end, *sp;

    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '#')
        *line = '\0';
    end = line + strlen(line);
    while (end > line && strchr(" \t\r\n", end[-1]))
        *--end = '\0';
    sp = strpbrk(line, " \t");
    if (sp && !strchr(line, ';')) {
        *sp = ';';
        while (sp[1] == ' ' || sp[1] == '\t')
            memmove(sp + 1, sp + 2, strlen(sp + 1));
    }
    return line;
}

/* Reads the MACs of 'path' into array 'macs'; an exit status. */
static int read_file(struct cli *c, const char *path, const char *conn,
                     json_t *macs)
{
    char line[REMOTE_MAC_MAX_LINE + 2];
    FILE *f = fopen(path, "r");
    int rc = CLI_EXIT_OK;

    if (!f)
        return cli_fail("Cannot open %s: %s", path, strerror(errno));
    for (size_t n = 1; rc == CLI_EXIT_OK && fgets(line, sizeof line, f); n++) {
        bool too_long =
            strlen(line) == sizeof line - 1 && line[sizeof line - 2] != '\n';
        char *l = normalize_line(line);
        if (too_long)
            rc = cli_usage_error(c, "%s:%zu: line longer than %d characters",
                                 path, n, REMOTE_MAC_MAX_LINE);
        else if (*l == ';' || strchr(l, ' ') || strchr(l, '\t'))
            rc = cli_usage_error(c, "%s:%zu: expected MAC[;IP], not '%s'", path,
                                 n, l);
        else if (*l && json_array_size(macs) >= REMOTE_MAC_MAX_BULK)
            rc = cli_usage_error(c,
                                 "%s: more than %d MACs (the limit of one "
                                 "request)",
                                 path, REMOTE_MAC_MAX_BULK);
        else if (*l)
            json_array_append_new(macs, mac_object(l, NULL, conn));
    }
    fclose(f);
    if (rc == CLI_EXIT_OK && json_array_size(macs) == 0)
        rc = cli_usage_error(c, "%s holds no MAC", path);
    return rc;
}

static int create_bulk(struct cli *c, const struct args *a, const char *conn)
{
    json_t *macs = json_array(), *req, *body = NULL;
    int rc = read_file(c, args_get(a, "--from-file"), conn, macs);

    if (rc != CLI_EXIT_OK) {
        json_decref(macs);
        return rc;
    }
    req = json_pack("{s:o}", remote_mac_type.plural, macs);
    if (res_expect(c, "POST", remote_mac_type.path, req, &body) < 0)
        rc = CLI_EXIT_FAIL;
    else
        rc = res_print_list(c, &remote_mac_type,
                            json_object_get(body, remote_mac_type.plural), NULL,
                            0);
    json_decref(req);
    json_decref(body);
    return rc;
}

static int rmac_create(struct cli *c, const struct args *a)
{
    bool bulk = args_has(a, "--from-file");
    const char *conn_arg = a->pos[a->n_pos - 1];
    char *conn;
    int rc;

    if (bulk && a->n_pos != 1)
        return cli_usage_error(c, "with --from-file, give only the remote "
                                  "gateway connection");
    if (!bulk && a->n_pos < 2)
        return cli_usage_error(c, "expected <MAC>[;<IP>] <CONNECTION> or "
                                  "<MAC> <IP> <CONNECTION>");
    if (resolve_or_print(c, &remote_connection_type, conn_arg, &conn) < 0)
        return CLI_EXIT_FAIL;
    if (bulk)
        rc = create_bulk(c, a, conn);
    else
        rc = res_cmd_create(
            c, &remote_mac_type,
            mac_object(a->pos[0], a->n_pos == 3 ? a->pos[1] : NULL, conn));
    free(conn);
    return rc;
}

static int rmac_list(struct cli *c, const struct args *a)
{
    struct buf q = BUF_INIT;
    int rc;

    if (args_get(a, "--remote-connection"))
        res_query_add(&q, "rgw_connection", args_get(a, "--remote-connection"));
    rc = res_cmd_list(c, &remote_mac_type, a, q.data ? q.data : "");
    buf_free(&q);
    return rc;
}

static int rmac_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &remote_mac_type, a);
}

static int rmac_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &remote_mac_type, a, "");
}

const struct cli_cmd remote_mac_cmds[] = {
    {"l2-remote-mac-create", "remote-mac", "create",
     "<MAC>[;<IP>] <REMOTE-CONNECTION> | <MAC> <IP> <REMOTE-CONNECTION> | "
     "--from-file FILE <REMOTE-CONNECTION>",
     "Declare hosts behind a remote gateway (quote the ';' in a shell).", 1, 3,
     create_opts, NULL, rmac_create},
    {"l2-remote-mac-list", "remote-mac", "list",
     "[--remote-connection ID] [-F FIELD]", "List remote MACs.", 0, 0,
     list_opts, res_list_opts, rmac_list},
    {"l2-remote-mac-show", "remote-mac", "show", "<ID>", "Show a remote MAC.",
     1, 1, NULL, NULL, rmac_show},
    {"l2-remote-mac-delete", "remote-mac", "delete", "<ID> [<ID> ...]",
     "Delete remote MACs.", 1, CLI_ANY, NULL, NULL, rmac_delete},
    {0},
};
