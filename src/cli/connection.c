/* L2 gateway connections: l2-gateway-connection-{create,list,show,delete}
 * and connection {create,list,show,delete}; create can --wait for the
 * switches to be programmed. */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/resolve.h"
#include "lib/jsonutil.h"

/* --wait without a value waits this long. */
#define CONNECTION_WAIT_DEFAULT_S 60.0
/* Polling interval: starts small (a switch on loopback is done in
 * milliseconds), doubles up to the maximum. */
#define CONNECTION_POLL_MIN_MS 50
#define CONNECTION_POLL_MAX_MS 1000

static const struct out_column columns[] = {
    {"id", "ID", OUT_LIST},
    {"tenant_id", "Tenant", OUT_LIST},
    {"l2_gateway_id", "L2 GateWay ID", OUT_LIST},
    {"network_id", "Network ID", OUT_LIST},
    {"segmentation_id", "Segmentation ID", OUT_LIST},
    {"status", "Status", 0},
    {"status_reason", "Status Reason", OUT_NONEMPTY},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

const struct res_type connection_type = {
    "/v2.0/l2-gateway-connections",
    "l2_gateway_connection",
    "l2_gateway_connections",
    "L2 Gateway Connection",
    false,
    columns,
    NULL,
};

static const struct args_opt create_opts[] = {
    {"--default-segmentation-id", NULL, ARGS_VALUE, "N",
     "VLAN for the interfaces created without one (default: untagged)"},
    {"--wait", NULL, ARGS_OPTVALUE, "SECONDS",
     "wait until the connection is ACTIVE (exit 1 on ERROR or after "
     "SECONDS, default 60)"},
    {0},
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static const char *status_of(const json_t *obj)
{
    return ju_str(obj, "status");
}

/* Polls connection *obj (replaced by each fresh copy) until its status
 * is ACTIVE or ERROR or 'timeout' seconds passed.  Returns 0 when
 * ACTIVE, else an exit status after printing why. */
static int wait_active(struct cli *c, json_t **obj, double timeout)
{
    const char *id = ju_str(*obj, "id");
    double deadline = now_s() + timeout;
    long pause = CONNECTION_POLL_MIN_MS;
    char *idc = strdup(id ? id : "");

    while (status_of(*obj) && strcmp(status_of(*obj), "ACTIVE") &&
           strcmp(status_of(*obj), "ERROR") && now_s() < deadline) {
        json_t *fresh;
        sleep_ms(pause);
        pause = pause * 2 > CONNECTION_POLL_MAX_MS ? CONNECTION_POLL_MAX_MS
                                                   : pause * 2;
        if (res_get(c, &connection_type, idc, &fresh) < 0) {
            free(idc);
            return CLI_EXIT_FAIL;
        }
        json_decref(*obj);
        *obj = fresh;
    }
    int rc = CLI_EXIT_OK;
    const char *st = status_of(*obj);
    const char *why = ju_str(*obj, "status_reason");
    if (!st)
        rc = cli_fail("The server does not report the status of connection "
                      "%s; cannot wait for it.",
                      idc);
    else if (!strcmp(st, "ERROR"))
        rc = cli_fail("L2 gateway connection %s is in ERROR%s%s", idc,
                      why && *why ? ": " : "", why && *why ? why : "");
    else if (strcmp(st, "ACTIVE"))
        rc = cli_fail("Timed out after %g seconds waiting for L2 gateway "
                      "connection %s to become ACTIVE (status %s%s%s)",
                      timeout, idc, st, why && *why ? ": " : "",
                      why && *why ? why : "");
    free(idc);
    return rc;
}

/* The --wait value in seconds: -1 without --wait, or a usage error
 * (CLI_EXIT_USAGE returned through *rc). */
static double wait_seconds(struct cli *c, const struct args *a, int *rc)
{
    const char *v = args_get(a, "--wait");

    *rc = CLI_EXIT_OK;
    if (!args_has(a, "--wait"))
        return -1;
    if (!v)
        return CONNECTION_WAIT_DEFAULT_S;
    if (!args_is_number(v) || strtod(v, NULL) <= 0) {
        *rc = cli_usage_error(c, "--wait expects a number of seconds, not '%s'",
                              v);
        return -1;
    }
    return strtod(v, NULL);
}

/* Resolves the gateway and the network into a new request object
 * (caller json_decref()s), or NULL after printing why not. */
static json_t *create_body(struct cli *c, const struct args *a)
{
    char *gw = NULL, *net = NULL;
    json_t *inner = NULL;
    const char *seg = args_get(a, "--default-segmentation-id");

    if (resolve_or_print(c, &gateway_type, a->pos[0], &gw) == 0 &&
        resolve_or_print(c, &network_type, a->pos[1], &net) == 0) {
        inner = json_pack("{s:s, s:s}", "l2_gateway_id", gw, "network_id", net);
        if (seg) /* a string, as the OpenStack client sends it */
            json_object_set_new(inner, "segmentation_id", json_string(seg));
    }
    free(gw);
    free(net);
    return inner;
}

static int conn_create(struct cli *c, const struct args *a)
{
    int rc;
    double wait = wait_seconds(c, a, &rc);
    json_t *inner, *obj;

    if (rc != CLI_EXIT_OK)
        return rc;
    inner = create_body(c, a);
    if (!inner)
        return CLI_EXIT_FAIL;
    if (res_create(c, &connection_type, inner, &obj) < 0)
        return CLI_EXIT_FAIL;
    rc = wait >= 0 ? wait_active(c, &obj, wait) : CLI_EXIT_OK;
    int prc = res_print_one(c, &connection_type, obj);
    json_decref(obj);
    return rc != CLI_EXIT_OK ? rc : prc;
}

static int conn_list(struct cli *c, const struct args *a)
{
    return res_cmd_list(c, &connection_type, a, "");
}

static int conn_show(struct cli *c, const struct args *a)
{
    return res_cmd_show(c, &connection_type, a);
}

static int conn_delete(struct cli *c, const struct args *a)
{
    return res_cmd_delete(c, &connection_type, a, "");
}

const struct cli_cmd connection_cmds[] = {
    {"l2-gateway-connection-create", "connection", "create",
     "<GATEWAY-NAME/UUID> <NETWORK-NAME/UUID> [--default-segmentation-id N] "
     "[--wait [SECONDS]]",
     "Connect an L2 gateway to a network.", 2, 2, create_opts, NULL,
     conn_create},
    {"l2-gateway-connection-list", "connection", "list",
     "[-F FIELD] [--project P] [--sort-key K] [--sort-dir asc|desc]",
     "List L2 gateway connections.", 0, 0, NULL, res_list_opts, conn_list},
    {"l2-gateway-connection-show", "connection", "show", "<CONNECTION-ID>",
     "Show an L2 gateway connection.", 1, 1, NULL, NULL, conn_show},
    {"l2-gateway-connection-delete", "connection", "delete",
     "<CONNECTION-ID> [<CONNECTION-ID> ...]", "Delete L2 gateway connections.",
     1, CLI_ANY, NULL, NULL, conn_delete},
    {0},
};
