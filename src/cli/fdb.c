/* The overlay export: fdb {list,show} (flood entries and MACs per
 * network for overlay agents).  A list reply's revision is printed on
 * stderr ("Revision: N") so that stdout stays the table; give it back
 * with --changes-since to get only what changed. */
#include "cli/commands.h"

#include <stdlib.h>

#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST | OUT_IF_ANY},
    {"network_id", "Network ID", OUT_LIST},
    {"vni", "VNI", OUT_LIST},
    {"mac", "MAC", OUT_LIST},
    {"ip_address", "IP Address", OUT_LIST},
    {"vtep_ip", "VTEP IP", OUT_LIST},
    {"source", "Source", OUT_LIST},
    {"deleted", "Deleted", OUT_LIST | OUT_IF_ANY},
    {0},
};

const struct res_type fdb_type = {
    "/v2.0/l2-fdb-entries",
    "l2_fdb_entry",
    "l2_fdb_entries",
    "FDB Entry",
    false,
    columns,
    NULL,
};

static const struct args_opt list_opts[] = {
    {"--network", NULL, ARGS_VALUE, "NETWORK",
     "only entries of this network (name or id)"},
    {"--changes-since", NULL, ARGS_VALUE, "REVISION",
     "only the changes (with deletions) since this revision"},
    {0},
};

static void print_revision(const json_t *meta)
{
    const json_t *rev = json_object_get(meta, "revision");

    if (json_is_integer(rev))
        fprintf(stderr, "Revision: %" JSON_INTEGER_FORMAT "\n",
                json_integer_value(rev));
    else if (json_is_string(rev))
        fprintf(stderr, "Revision: %s\n", json_string_value(rev));
}

static int fdb_list(struct cli *c, const struct args *a)
{
    struct buf q = BUF_INIT;
    const char *net = args_get(a, "--network"), *fields[ARGS_MAX_OPTIONS];
    char *id = NULL;
    json_t *rows, *meta;
    int rc = CLI_EXIT_FAIL;

    if (net && resolve_or_print(c, &network_type, net, &id) < 0)
        return CLI_EXIT_FAIL;
    if (id)
        res_query_add(&q, "network_id", id);
    if (args_get(a, "--changes-since"))
        res_query_add(&q, "changes_since", args_get(a, "--changes-since"));
    if (res_list_rows(c, &fdb_type, a, q.data ? q.data : "", &rows, &meta) ==
        0) {
        rc = res_print_list(c, &fdb_type, rows, fields, res_fields(a, fields));
        print_revision(meta);
        json_decref(rows);
        json_decref(meta);
    }
    buf_free(&q);
    free(id);
    return rc;
}

static int fdb_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &fdb_type, a);
}

const struct cli_cmd fdb_cmds[] = {
    {NULL, "fdb", "list",
     "[--network NETWORK] [--changes-since REVISION] [-F FIELD]",
     "List the forwarding entries exported to overlay agents.", 0, 0, list_opts,
     res_list_opts, fdb_list},
    {NULL, "fdb", "show", "<ID>", "Show one forwarding entry.", 1, 1, NULL,
     NULL, fdb_show},
    {0},
};
