/* Hosts: name and IPv4 tunnel endpoint. */
#include "core/host.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "host"
#include "lib/log.h"

struct host_req {
    const char *id;    /* normalised */
    const char *given; /* as given (messages) */
    const char *name;
    const char *project;
    bool has_ip;       /* "tunnel_ip" given (maybe null) */
    char ip[VALID_IP_LEN];
    json_t *out;
};

/* "tunnel_ip": null, or an IPv4 address (the only VTEP encapsulation is
 * vxlan_over_ipv4). */
static int
parse_tunnel_ip(const json_t *attrs, struct host_req *r, struct core_err *err)
{
    const json_t *v = json_object_get(attrs, "tunnel_ip");
    char text[64];

    r->has_ip = v != NULL;
    r->ip[0] = '\0';
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!json_is_string(v) || valid_ip(json_string_value(v), AF_INET, r->ip)) {
        valid_value_text(v, text, sizeof text);
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: tunnel_ip '%s' is not "
                         "an IPv4 address.",
                         text);
    }
    return 0;
}

static const char *
ip_or_null(const struct host_req *r)
{
    return r->ip[0] ? r->ip : NULL;
}

static int
host_exists(struct core_err *err, const char *name)
{
    return core_fail(err, CE_CONFLICT, "Host %s already exists.", name);
}

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct host_req *r = aux;
    struct store *st = core_store(c);
    char id[UUID_STRLEN + 1], now[32];

    int rc = db_exists(st, "SELECT 1 FROM hosts WHERE name = ?", "s", r->name);
    if (rc) {
        return rc < 0 ? rc : host_exists(err, r->name);
    }
    uuid_generate(id);
    store_timestamp(now);
    rc = db_run(st,
                "INSERT INTO hosts (id, project_id, name, tunnel_ip, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                "ssssss", id, r->project, r->name, ip_or_null(r), now, now);
    if (rc < 0) {
        return rc == -EEXIST ? host_exists(err, r->name) : rc;
    }
    rc = host_get(c, id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_HOST, id, NULL);
}

int
host_create(struct core *c, const json_t *attrs, json_t **out,
            struct core_err *err)
{
    struct host_req r = {.project = valid_project(attrs)};

    if (valid_string(attrs, "name", VALID_NAME_MAX, "", &r.name, err)
        || parse_tunnel_ip(attrs, &r, err)) {
        return -EINVAL;
    }
    if (!*r.name) {
        return valid_fail(err, "name", "a host needs a non-empty name");
    }
    int rc = db_txn(c, create_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

static int
host_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_HOST_NOT_FOUND, "Host %s could not be found.", id);
    return -ENOENT;
}

static int
update_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct host_req *r = aux;
    char now[32];

    store_timestamp(now);
    int rc = r->has_ip
                 ? db_run(core_store(c),
                          "UPDATE hosts SET tunnel_ip = ?, updated_at = ? "
                          "WHERE id = ?",
                          "sss", ip_or_null(r), now, r->id)
                 : db_exists(core_store(c), "SELECT 1 FROM hosts WHERE id = ?",
                             "s", r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : host_not_found(err, r->given);
    }
    rc = host_get(c, r->id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_HOST, r->id, NULL);
}

int
host_update(struct core *c, const char *id, const json_t *attrs, json_t **out,
            struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct host_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    if (parse_tunnel_ip(attrs, &r, err)) {
        return -EINVAL;
    }
    int rc = db_txn(c, update_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct host_req *r = aux;

    int rc = db_run(core_store(c), "DELETE FROM hosts WHERE id = ?", "s",
                    r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : host_not_found(err, r->given);
    }
    return db_txn_event(t, EVENT_HOST, r->id, NULL);
}

int
host_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct host_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}

int
host_get(struct core *c, const char *id, json_t **out, struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, tunnel_ip, project_id FROM hosts "
                        "WHERE id = ?",
                        "s", nid);
    if (rc || (rc = store_step(s)) <= 0) {
        return rc < 0 ? rc : host_not_found(err, id);
    }
    *out = json_pack("{s:s, s:s, s:s?}", "id", nid, "name",
                     store_col_text(s, 0), "tunnel_ip", store_col_text(s, 1));
    valid_set_project(*out, store_col_text(s, 2));
    store_reset(s);
    return 0;
}

int
host_render(struct core *c, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        valid_fill_project(row);
    }
    return 0;
}
