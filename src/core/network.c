/* Overlay networks: VNI parsing, create/update/delete (allocation: vni.c). */
#include "core/network.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/border.h"
#include "core/connection.h"
#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "core/vni.h"
#include "lib/config.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "network"
#include "lib/log.h"

#define PROVIDER_TYPE "provider:network_type"
#define PROVIDER_VNI "provider:segmentation_id"

/* Validated create/update input; absent optional values are NULL. */
struct net_req {
    const char *id;     /* normalised (update) */
    const char *given;  /* as given (messages) */
    const char *name;
    const char *description;
    const char *project;
    long long admin_state_up, *admin_p;
    long long mtu, *mtu_p;
    long long vni;
    bool has_vni;
    json_t *out;
};

static int
parse_vni(const json_t *v, long long *out, struct core_err *err)
{
    char text[64];

    if (!ju_as_int(v, out)) {
        valid_value_text(v, text, sizeof text);
        return valid_fail(err, PROVIDER_VNI, "'%s' is not an integer", text);
    }
    if (*out < NETWORK_VNI_MIN || *out > NETWORK_VNI_MAX) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: %s %lld is out of "
                         "range (%d through %d).",
                         PROVIDER_VNI, *out, NETWORK_VNI_MIN,
                         NETWORK_VNI_MAX);
    }
    return 0;
}

static int
parse_provider(const json_t *attrs, struct net_req *r, struct core_err *err)
{
    const json_t *type = json_object_get(attrs, PROVIDER_TYPE);
    const json_t *vni = json_object_get(attrs, PROVIDER_VNI);
    char text[64];

    if (type && !json_is_null(type)
        && !(json_is_string(type) && !strcmp(json_string_value(type),
                                             "vxlan"))) {
        valid_value_text(type, text, sizeof text);
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: network_type value "
                         "'%s' not supported.",
                         text);
    }
    r->has_vni = vni && !json_is_null(vni);
    return r->has_vni ? parse_vni(vni, &r->vni, err) : 0;
}

/* The attributes create and update share. */
static int
parse_common(const json_t *attrs, struct net_req *r, const char *name_def,
             struct core_err *err)
{
    const json_t *mtu = json_object_get(attrs, "mtu");
    bool b;

    if (valid_string(attrs, "name", VALID_NAME_MAX, name_def, &r->name, err)
        || valid_string(attrs, "description", VALID_NAME_MAX, name_def,
                        &r->description, err)) {
        return -EINVAL;
    }
    if (valid_bool(attrs, "shared", false, &b, err)) {
        return -EINVAL;
    }
    if (b) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: shared networks are "
                         "not supported.");
    }
    if (json_object_get(attrs, "admin_state_up")) {
        if (valid_bool(attrs, "admin_state_up", true, &b, err)) {
            return -EINVAL;
        }
        r->admin_state_up = b;
        r->admin_p = &r->admin_state_up;
    }
    if (mtu && !json_is_null(mtu)) {
        if (!ju_as_int(mtu, &r->mtu) || r->mtu < NETWORK_MTU_MIN
            || r->mtu > NETWORK_MTU_MAX) {
            char text[64];
            valid_value_text(mtu, text, sizeof text);
            return valid_fail(err, "mtu", "'%s' is not in range %d through %d",
                              text, NETWORK_MTU_MIN, NETWORK_MTU_MAX);
        }
        r->mtu_p = &r->mtu;
    }
    return 0;
}

/* ---- create ---- */

static int
vni_taken(struct core_err *err, long long vni)
{
    return core_fail(err, CE_VNI_TAKEN,
                     "Unable to create the network. The tunnel ID %lld is in "
                     "use.",
                     vni);
}

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct net_req *r = aux;
    struct store *st = core_store(c);
    char id[UUID_STRLEN + 1], now[32];
    long long admin = r->admin_p ? *r->admin_p : 1;
    long long mtu = r->mtu_p ? *r->mtu_p : NETWORK_MTU_DEFAULT;

    int rc = r->has_vni ? db_exists(st, "SELECT 1 FROM networks WHERE vni = ?",
                                    "i", r->vni)
                        : vni_alloc(c, &r->vni, err);
    if (rc) {
        return rc < 0 ? rc : vni_taken(err, r->vni);
    }
    uuid_generate(id);
    store_timestamp(now);
    rc = db_run(st,
                "INSERT INTO networks (id, project_id, name, description, "
                "admin_state_up, mtu, network_type, vni, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'vxlan', ?, ?, ?)",
                "ssssiiiss", id, r->project, r->name, r->description, admin,
                mtu, r->vni, now, now);
    if (rc < 0) {
        return rc == -EEXIST ? vni_taken(err, r->vni) : rc;
    }
    rc = network_get(c, id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_NETWORK, id, id);
}

int
network_create(struct core *c, const json_t *attrs, json_t **out,
               struct core_err *err)
{
    struct net_req r = {.project = valid_project(attrs)};

    if (parse_common(attrs, &r, "", err) || parse_provider(attrs, &r, err)) {
        return -EINVAL;
    }
    int rc = db_txn(c, create_txn, &r, err);
    if (rc) {
        json_decref(r.out);
        return rc;
    }
    *out = r.out;
    return 0;
}

/* ---- update ---- */

static int
network_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_NETWORK_NOT_FOUND, "Network %s could not be found.", id);
    return -ENOENT;
}

static int
update_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct net_req *r = aux;
    char now[32];

    store_timestamp(now);
    int rc = db_run(core_store(c),
                    "UPDATE networks SET name = COALESCE(?, name), "
                    "description = COALESCE(?, description), "
                    "admin_state_up = COALESCE(?, admin_state_up), "
                    "mtu = COALESCE(?, mtu), updated_at = ? WHERE id = ?",
                    "ssjjss", r->name, r->description, r->admin_p, r->mtu_p,
                    now, r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : network_not_found(err, r->given);
    }
    rc = network_get(c, r->id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_NETWORK, r->id, r->id);
}

int
network_update(struct core *c, const char *id, const json_t *attrs,
               json_t **out, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct net_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    if (parse_common(attrs, &r, NULL, err)) {
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

/* ---- delete ---- */

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct net_req *r = aux;
    struct store *st = core_store(c);

    long long vni = 0;
    int rc = db_int(st, &vni, "SELECT vni FROM networks WHERE id = ?", "s",
                    r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : network_not_found(err, r->given);
    }
    rc = db_exists(st, "SELECT 1 FROM ports WHERE network_id = ?", "s", r->id);
    if (rc) {
        return rc < 0 ? rc
                      : core_fail(err, CE_NETWORK_IN_USE,
                                  "Unable to complete operation on network "
                                  "%s. There are one or more ports still in "
                                  "use on the network.",
                                  r->given);
    }
    if ((rc = border_check_network_delete(c, r->id, r->given, err))) {
        return rc;
    }
    rc = connection_delete_for_network(c, t, r->id);
    if (!rc) {
        rc = db_run(st, "DELETE FROM network_macs WHERE network_id = ?", "s",
                    r->id);
    }
    if (rc >= 0) {
        rc = db_run(st, "DELETE FROM networks WHERE id = ?", "s", r->id);
    }
    if (rc >= 0) {
        rc = vni_freed(c, vni);
    }
    return rc < 0 ? rc : db_txn_event(t, EVENT_NETWORK, r->id, r->id);
}

int
network_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct net_req r = {.id = nid, .given = id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}

/* ---- reading ---- */

int
network_get(struct core *c, const char *id, json_t **out, struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, description, admin_state_up, mtu, "
                        "network_type, vni, project_id FROM networks "
                        "WHERE id = ?",
                        "s", nid);
    if (rc) {
        return rc;
    }
    rc = store_step(s);
    if (rc <= 0) {
        return rc < 0 ? rc : network_not_found(err, id);
    }
    json_t *net = json_pack(
        "{s:s, s:s, s:s, s:b, s:I, s:s, s:I}", "id", nid, "name",
        store_col_text(s, 0), "description", store_col_text(s, 1),
        "admin_state_up", (int) store_col_int(s, 2), "mtu",
        (json_int_t) store_col_int(s, 3), PROVIDER_TYPE, store_col_text(s, 4),
        PROVIDER_VNI, (json_int_t) store_col_int(s, 5));
    valid_set_project(net, store_col_text(s, 6));
    store_reset(s);
    json_t *rows = json_pack("[O]", net);
    network_render(c, rows, err);
    json_decref(rows);
    *out = net;
    return 0;
}

int
network_render(struct core *c, json_t *rows, struct core_err *err)
{
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        json_object_set_new(row, "status", json_string("ACTIVE"));
        json_object_set_new(row, "shared", json_false());
        json_object_set_new(row, "subnets", json_array());
        valid_fill_project(row);
    }
    return 0;
}
