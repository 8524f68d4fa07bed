/* /v2.0/hosts: hypervisors and their tunnel IPs, hooks into core/host. */
#include "api/resources.h"

#include "core/host.h"

static int
host_create_hook(struct api_ctx *ctx, json_t *attrs, json_t **out,
                 struct core_err *err)
{
    return host_create(ctx->core, attrs, out, err);
}

static int
host_update_hook(struct api_ctx *ctx, const char *id, json_t *attrs,
                 json_t **out, struct core_err *err)
{
    return host_update(ctx->core, id, attrs, out, err);
}

static int
host_remove_hook(struct api_ctx *ctx, const char *id, const json_t *query,
                 struct core_err *err)
{
    return host_delete(ctx->core, id, err);
}

static int
host_decorate_hook(struct api_ctx *ctx, json_t *rows, struct core_err *err)
{
    return host_render(ctx->core, rows, err);
}

static const struct api_attr host_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    /* Ports name their host: the name is fixed once created. */
    {"name", API_A_POST | API_A_REQUIRED, API_T_STRING, "name", STORE_TEXT},
    /* IPv4 or null; anything else is InvalidInput from core. */
    {"tunnel_ip", API_A_POST | API_A_PUT | API_A_NULL, API_T_ANY,
     "tunnel_ip", STORE_TEXT},
};

/* Admin only, as every resource of l2gwd (see res_network.c). */
const struct api_resource api_res_host = {
    .path = "hosts",
    .member = "host",
    .collection = "hosts",
    .table = "hosts",
    .attrs = host_attrs,
    .n_attrs = sizeof host_attrs / sizeof *host_attrs,
    .admin_only = true,
    .has_project = true,
    .allow_bulk = false,
    .not_found = CE_HOST_NOT_FOUND,
    .not_found_fmt = "Host %s could not be found.",
    .create = host_create_hook,
    .update = host_update_hook,
    .remove = host_remove_hook,
    .decorate = host_decorate_hook,
};
