/* Ports (inventory: VM addresses and where they are bound):
 * port {create,list,show,update,delete}, options as "openstack port". */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>

#include "cli/buf.h"
#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"mac_address", "MAC Address", OUT_LIST},
    {"fixed_ips", "Fixed IP Addresses", OUT_LIST},
    {"status", "Status", OUT_LIST},
    {"network_id", "Network ID", 0},
    {"binding:host_id", "Host", 0},
    {0},
};

static const struct out_column show_columns[] = {
    {"tenant_id", "tenant_id", OUT_HIDDEN},
    {0},
};

const struct res_type port_type = {
    "/v2.0/ports", "port", "ports", "Port", true, columns, show_columns,
};

#define FIXED_IP_HELP "ip-address=<ip> (repeatable)"
#define ALLOWED_HELP "ip-address=<ip>[,mac-address=<mac>] (repeatable)"

static const struct args_opt create_opts[] = {
    {"--network", NULL, ARGS_VALUE, "NETWORK", "network (name or id)"},
    {"--mac-address", NULL, ARGS_VALUE, "MAC", "MAC (default: generated)"},
    {"--host", NULL, ARGS_VALUE, "HOST", "host the port is bound to"},
    {"--fixed-ip", NULL, ARGS_VALUE, "ip-address=<ip>", FIXED_IP_HELP},
    {"--allowed-address", NULL, ARGS_VALUE, "ip-address=<ip>", ALLOWED_HELP},
    {"--device-owner", NULL, ARGS_VALUE, "OWNER", "device owner"},
    {"--device-id", NULL, ARGS_VALUE, "ID", "device id"},
    {"--description", NULL, ARGS_VALUE, "TEXT", "description"},
    {"--tenant-id", "--project", ARGS_VALUE, "PROJECT",
     "owner project of the new port (admin only)"},
    {0},
};

static const struct args_opt update_opts[] = {
    {"--name", NULL, ARGS_VALUE, "NAME", "new name"},
    {"--host", NULL, ARGS_VALUE, "HOST", "bind to this host (a migration)"},
    {"--fixed-ip", NULL, ARGS_VALUE, "ip-address=<ip>",
     "add a fixed IP (repeatable)"},
    {"--no-fixed-ip", NULL, ARGS_FLAG, NULL, "remove every fixed IP first"},
    {"--allowed-address", NULL, ARGS_VALUE, "ip-address=<ip>",
     "add an allowed address pair (repeatable)"},
    {"--no-allowed-address", NULL, ARGS_FLAG, NULL,
     "remove every allowed address pair first"},
    {"--device-owner", NULL, ARGS_VALUE, "OWNER", "device owner"},
    {"--device-id", NULL, ARGS_VALUE, "ID", "device id"},
    {"--description", NULL, ARGS_VALUE, "TEXT", "description"},
    {0},
};

static const struct args_opt list_opts[] = {
    {"--network", NULL, ARGS_VALUE, "NETWORK", "only ports of this network"},
    {"--host", NULL, ARGS_VALUE, "HOST", "only ports bound to this host"},
    {"--mac-address", NULL, ARGS_VALUE, "MAC", "only ports with this MAC"},
    {0},
};

/* Maps a key of --fixed-ip/--allowed-address to its attribute. */
static const char *addr_key(const char *k, size_t n, bool with_mac)
{
    if ((n == 10 &&
         (!strncmp(k, "ip-address", n) || !strncmp(k, "ip_address", n))))
        return "ip_address";
    if (with_mac && n == 11 &&
        (!strncmp(k, "mac-address", n) || !strncmp(k, "mac_address", n)))
        return "mac_address";
    return NULL;
}

/* Parses "ip-address=X[,mac-address=Y]" (a bare "X" is the IP) into a
 * new object (caller json_decref()s), or NULL with a usage error printed
 * (*rc set). */
static json_t *parse_addr(struct cli *c, const char *opt, const char *spec,
                          bool with_mac, int *rc)
{
    json_t *o = json_object();
    const char *p = spec;

    if (!strchr(spec, '=')) {
        json_object_set_new(o, "ip_address", json_string(spec));
        return o;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        const char *key = eq ? addr_key(p, (size_t)(eq - p), with_mac) : NULL;
        if (!key) {
            *rc = cli_usage_error(c, "invalid %s '%s' at '%.*s' (expected %s)",
                                  opt, spec, (int)n, p,
                                  with_mac ? ALLOWED_HELP : FIXED_IP_HELP);
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, key,
                            json_stringn(eq + 1, n - (size_t)(eq - p) - 1));
        p += n + (p[n] == ',');
    }
    return o;
}

/* Appends the objects of every 'opt' of 'a' to 'list'; an exit status. */
static int add_addrs(struct cli *c, const struct args *a, const char *opt,
                     bool with_mac, json_t *list)
{
    int rc = CLI_EXIT_OK;

    for (size_t i = 0; i < args_count(a, opt); i++) {
        json_t *o = parse_addr(c, opt, args_nth(a, opt, i), with_mac, &rc);
        if (!o)
            return rc;
        json_array_append_new(list, o);
    }
    return CLI_EXIT_OK;
}

static void set_str(json_t *inner, const struct args *a, const char *opt,
                    const char *key)
{
    if (args_get(a, opt))
        json_object_set_new(inner, key, json_string(args_get(a, opt)));
}

static void set_common(json_t *inner, const struct args *a)
{
    set_str(inner, a, "--host", "binding:host_id");
    set_str(inner, a, "--device-owner", "device_owner");
    set_str(inner, a, "--device-id", "device_id");
    set_str(inner, a, "--description", "description");
}

/* The addresses of a create into 'inner'; an exit status. */
static int create_addrs(struct cli *c, const struct args *a, json_t *inner)
{
    json_t *fixed = json_array(), *pairs = json_array();
    int rc = add_addrs(c, a, "--fixed-ip", false, fixed);

    if (rc == CLI_EXIT_OK)
        rc = add_addrs(c, a, "--allowed-address", true, pairs);
    if (rc == CLI_EXIT_OK && json_array_size(fixed))
        json_object_set(inner, "fixed_ips", fixed);
    if (rc == CLI_EXIT_OK && json_array_size(pairs))
        json_object_set(inner, "allowed_address_pairs", pairs);
    json_decref(fixed);
    json_decref(pairs);
    return rc;
}

static int port_create(struct cli *c, const struct args *a)
{
    json_t *inner;
    char *net;
    int rc;

    if (!args_get(a, "--network"))
        return cli_usage_error(c, "--network is required");
    inner = json_pack("{s:s}", "name", a->pos[0]);
    rc = create_addrs(c, a, inner);
    if (rc != CLI_EXIT_OK) {
        json_decref(inner);
        return rc;
    }
    if (resolve_or_print(c, &network_type, args_get(a, "--network"), &net)) {
        json_decref(inner);
        return CLI_EXIT_FAIL;
    }
    json_object_set_new(inner, "network_id", json_string(net));
    free(net);
    set_str(inner, a, "--mac-address", "mac_address");
    set_common(inner, a);
    res_set_project(inner, a);
    return res_cmd_create(c, &port_type, inner);
}

/* The new value of list attribute 'key' of port 'cur': emptied with
 * 'clear_opt', then extended with the 'add_opt' options.  Stored in
 * 'inner' when either option was given; an exit status. */
static int update_list(struct cli *c, const struct args *a, const json_t *cur,
                       const char *key, const char *add_opt,
                       const char *clear_opt, json_t *inner)
{
    json_t *list;
    int rc;

    if (!args_has(a, add_opt) && !args_has(a, clear_opt))
        return CLI_EXIT_OK;
    list = args_has(a, clear_opt) ? json_array()
                                  : json_deep_copy(json_object_get(cur, key));
    if (!json_is_array(list)) {
        json_decref(list);
        list = json_array();
    }
    rc = add_addrs(c, a, add_opt, !strcmp(key, "allowed_address_pairs"), list);
    if (rc == CLI_EXIT_OK)
        json_object_set(inner, key, list);
    json_decref(list);
    return rc;
}

static int port_update(struct cli *c, const struct args *a)
{
    json_t *inner = json_object(), *cur = NULL;
    char *id = NULL;
    int rc = CLI_EXIT_FAIL;

    if (resolve_or_print(c, &port_type, a->pos[0], &id) < 0 ||
        res_get(c, &port_type, id, &cur) < 0)
        goto out;
    rc = update_list(c, a, cur, "fixed_ips", "--fixed-ip", "--no-fixed-ip",
                     inner);
    if (rc == CLI_EXIT_OK)
        rc = update_list(c, a, cur, "allowed_address_pairs",
                         "--allowed-address", "--no-allowed-address", inner);
    if (rc != CLI_EXIT_OK)
        goto out;
    set_str(inner, a, "--name", "name");
    set_common(inner, a);
    rc = res_cmd_update(c, &port_type, id, inner);
    inner = NULL;
out:
    json_decref(inner);
    json_decref(cur);
    free(id);
    return rc;
}

static int port_list(struct cli *c, const struct args *a)
{
    struct buf q = BUF_INIT;
    const char *net = args_get(a, "--network");
    char *id = NULL;
    int rc;

    if (net && resolve_or_print(c, &network_type, net, &id) < 0)
        return CLI_EXIT_FAIL;
    if (id)
        res_query_add(&q, "network_id", id);
    if (args_get(a, "--host"))
        res_query_add(&q, "binding:host_id", args_get(a, "--host"));
    if (args_get(a, "--mac-address"))
        res_query_add(&q, "mac_address", args_get(a, "--mac-address"));
    rc = res_cmd_list(c, &port_type, a, q.data ? q.data : "");
    buf_free(&q);
    free(id);
    return rc;
}

static int port_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &port_type, a);
}

static int port_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &port_type, a, "");
}

const struct cli_cmd port_cmds[] = {
    {NULL, "port", "create",
     "<NAME> --network NETWORK [--mac-address MAC] [--host HOST] "
     "[--fixed-ip ip-address=IP] [--allowed-address "
     "ip-address=IP[,mac-address=MAC]]",
     "Create a port.", 1, 1, create_opts, NULL, port_create},
    {NULL, "port", "list",
     "[--network NETWORK] [--host HOST] [--mac-address MAC] [-F FIELD]",
     "List ports.", 0, 0, list_opts, res_list_opts, port_list},
    {NULL, "port", "show", "<PORT>", "Show a port (name or id).", 1, 1, NULL,
     NULL, port_show},
    {NULL, "port", "update",
     "<PORT> [--name NAME] [--host HOST] [--fixed-ip ...] [--no-fixed-ip] "
     "[--allowed-address ...] [--no-allowed-address]",
     "Update a port.", 1, 1, update_opts, NULL, port_update},
    {NULL, "port", "delete", "<PORT> [<PORT> ...]",
     "Delete ports (names or ids).", 1, CLI_ANY, NULL, NULL, port_delete},
    {0},
};
