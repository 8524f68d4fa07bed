/* WAN connections of a local gateway's network to a remote gateway:
 * l2-remote-gateway-connection-{create,update,list,show,delete} and
 * remote-connection {create,update,list,show,delete}. */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/resolve.h"

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"gateway", "Gateway", OUT_LIST},
    {"network", "Network", OUT_LIST},
    {"remote_gateway", "Remote Gateway", OUT_LIST},
    {"seg_id", "Seg ID", OUT_LIST},
    {"flood", "Flood", OUT_LIST},
    {"status", "Status", OUT_LIST},
    {"status_reason", "Status Reason", OUT_NONEMPTY},
    {"tenant_id", "Tenant", 0},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

const struct res_type remote_connection_type = {
    "/v2.0/l2-remote-gateway-connections",
    "l2_remote_gateway_connection",
    "l2_remote_gateway_connections",
    "L2 Remote Gateway Connection",
    false,
    columns,
    NULL,
};

static const struct args_opt opts[] = {
    {"--seg-id", NULL, ARGS_VALUE, "K",
     "WAN VNI agreed with the remote cloud (default: the network's VNI)"},
    {"--flood", NULL, ARGS_VALUE, "True|False",
     "send broadcast and unknown unicast to the remote gateway "
     "(default True)"},
    {0},
};

/* Sets seg_id and flood from the options; an exit status. */
static int set_options(struct cli *c, const struct args *a, json_t *inner)
{
    const char *seg = args_get(a, "--seg-id"), *flood = args_get(a, "--flood");

    if (seg)
        json_object_set_new(inner, "seg_id", res_number(seg));
    if (!flood)
        return CLI_EXIT_OK;
    if (!strcasecmp(flood, "true") || !strcmp(flood, "1") ||
        !strcasecmp(flood, "yes"))
        json_object_set_new(inner, "flood", json_true());
    else if (!strcasecmp(flood, "false") || !strcmp(flood, "0") ||
             !strcasecmp(flood, "no"))
        json_object_set_new(inner, "flood", json_false());
    else
        return cli_usage_error(c, "--flood expects True or False, not '%s'",
                               flood);
    return CLI_EXIT_OK;
}

static int rc_create(struct cli *c, const struct args *a)
{
    char *gw = NULL, *net = NULL, *rgw = NULL;
    json_t *inner = json_object();
    int rc = set_options(c, a, inner);

    if (rc != CLI_EXIT_OK) {
        json_decref(inner);
        return rc;
    }
    if (resolve_or_print(c, &gateway_type, a->pos[0], &gw) < 0 ||
        resolve_or_print(c, &network_type, a->pos[1], &net) < 0 ||
        resolve_or_print(c, &remote_gateway_type, a->pos[2], &rgw) < 0) {
        json_decref(inner);
        rc = CLI_EXIT_FAIL;
    } else {
        json_object_set_new(inner, "gateway", json_string(gw));
        json_object_set_new(inner, "network", json_string(net));
        json_object_set_new(inner, "remote_gateway", json_string(rgw));
        rc = res_cmd_create(c, &remote_connection_type, inner);
    }
    free(gw);
    free(net);
    free(rgw);
    return rc;
}

static int rc_update(struct cli *c, const struct args *a)
{
    json_t *inner = json_object();
    char *id;
    int rc = set_options(c, a, inner);

    if (rc != CLI_EXIT_OK) {
        json_decref(inner);
        return rc;
    }
    if (resolve_or_print(c, &remote_connection_type, a->pos[0], &id) < 0) {
        json_decref(inner);
        return CLI_EXIT_FAIL;
    }
    rc = res_cmd_update(c, &remote_connection_type, id, inner);
    free(id);
    return rc;
}

static int rc_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &remote_connection_type, a, "");
}

static int rc_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &remote_connection_type, a);
}

static int rc_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &remote_connection_type, a, "");
}

const struct cli_cmd remote_connection_cmds[] = {
    {"l2-remote-gateway-connection-create", "remote-connection", "create",
     "<GATEWAY> <NETWORK> <REMOTE-GATEWAY> [--seg-id K] "
     "[--flood True|False]",
     "Join a connected network to a remote gateway over the WAN.", 3, 3, opts,
     NULL, rc_create},
    {"l2-remote-gateway-connection-update", "remote-connection", "update",
     "<REMOTE-CONNECTION> [--seg-id K] [--flood True|False]",
     "Change the WAN VNI or flooding of a remote gateway connection.", 1, 1,
     opts, NULL, rc_update},
    {"l2-remote-gateway-connection-list", "remote-connection", "list",
     "[-F FIELD] [--sort-key K]", "List remote gateway connections.", 0, 0,
     NULL, res_list_opts, rc_list},
    {"l2-remote-gateway-connection-show", "remote-connection", "show",
     "<REMOTE-CONNECTION>", "Show a remote gateway connection.", 1, 1, NULL,
     NULL, rc_show},
    {"l2-remote-gateway-connection-delete", "remote-connection", "delete",
     "<REMOTE-CONNECTION> [<REMOTE-CONNECTION> ...]",
     "Delete remote gateway connections.", 1, CLI_ANY, NULL, NULL, rc_delete},
    {0},
};
