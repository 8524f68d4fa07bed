/* L2 gateways: validation of devices, create/update/delete, rendering. */
#include "core/gateway.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/connection.h"
#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "store/store.h"

#define LOG_MODULE "gateway"
#include "lib/log.h"

#define SEG_ID "segmentation_id"

/* ---- validation of "devices" ---- */

int
gateway_parse_vlan(const json_t *v, long long *out, struct core_err *err)
{
    if (!ju_as_int(v, out)) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: Segmentation id must "
                         "be a valid integer.");
    }
    if (*out < 0 || *out > 4094) {
        return core_fail(err, CE_INVALID_INPUT,
                         "Invalid input for operation: Segmentation id is "
                         "out of range.");
    }
    return 0;
}

static int
check_vlans(const json_t *seg, struct core_err *err)
{
    size_t i;
    json_t *v;
    long long vlan;

    if (valid_truthy(seg) && !json_is_array(seg)) {
        return valid_fail(err, "devices",
                          "segmentation_id type should be of list type ");
    }
    if (!valid_truthy(seg)) {
        return valid_fail(err, "devices",
                          "segmentation_id_list should not be empty");
    }
    if (json_array_size(seg) > GATEWAY_MAX_VLANS) {
        return valid_fail(err, "devices",
                          "more than %d segmentation ids on one interface",
                          GATEWAY_MAX_VLANS);
    }
    json_array_foreach(seg, i, v) {
        if (gateway_parse_vlan(v, &vlan, err)) {
            return -EINVAL;
        }
    }
    return 0;
}

/* A name inside "devices": present, a string without NUL, not too long. */
static int
check_name(const json_t *name, const char *what, const char *empty_reason,
           struct core_err *err)
{
    if (!valid_truthy(name)) {
        return valid_fail(err, "devices", "%s", empty_reason);
    }
    if (!json_is_string(name)
        || strlen(json_string_value(name)) != json_string_length(name)) {
        return valid_fail(err, "devices", "%s format is not a type string",
                          what);
    }
    if (json_string_length(name) > VALID_NAME_MAX) {
        return valid_fail(err, "devices", "%s exceeds maximum length of %d",
                          what, VALID_NAME_MAX);
    }
    return 0;
}

/* Checks one interface object; 'seen' collects the names of its device. */
static int
check_interface(const json_t *ifc, json_t *seen, struct core_err *err)
{
    if (!json_is_object(ifc)) {
        return valid_fail(err, "devices",
                          "interfaces format is not a type dict");
    }
    const json_t *name = json_object_get(ifc, "name");
    if (check_name(name, "interface name",
                   "Cannot create a gateway with an empty interface name",
                   err)) {
        return -EINVAL;
    }
    const char *s = json_string_value(name);
    if (json_object_get(seen, s)) {
        return valid_fail(err, "devices", "duplicate interface name %s", s);
    }
    json_object_set_new(seen, s, json_true());
    const json_t *seg = json_object_get(ifc, SEG_ID);
    return seg ? check_vlans(seg, err) : 0;
}

static int
check_interfaces(const json_t *ifcs, struct core_err *err)
{
    size_t i;
    json_t *ifc;

    if (!valid_truthy(ifcs)) {
        return valid_fail(err, "devices",
                          "Cannot create a gateway with an empty interfaces");
    }
    if (!json_is_array(ifcs)) {
        return valid_fail(err, "devices",
                          "interfaces format is not a type list of dicts");
    }
    if (json_array_size(ifcs) > GATEWAY_MAX_INTERFACES) {
        return valid_fail(err, "devices",
                          "more than %d interfaces on one device",
                          GATEWAY_MAX_INTERFACES);
    }
    json_t *seen = json_object();
    int rc = seen ? 0 : -ENOMEM;
    json_array_foreach(ifcs, i, ifc) {
        if (!rc) {
            rc = check_interface(ifc, seen, err);
        }
    }
    json_decref(seen);
    return rc;
}

/* Checks one device object; 'seen' collects the device names. */
static int
check_device(const json_t *dev, json_t *seen, struct core_err *err)
{
    if (!json_is_object(dev)) {
        return valid_fail(err, "devices",
                          "devices format is not a type list of dicts");
    }
    const json_t *name = json_object_get(dev, "device_name");
    if (check_name(name, "device_name",
                   "Cannot create a gateway with an empty device_name",
                   err)) {
        return -EINVAL;
    }
    const char *s = json_string_value(name);
    if (json_object_get(seen, s)) {
        return valid_fail(err, "devices", "duplicate device_name %s", s);
    }
    json_object_set_new(seen, s, json_true());
    return check_interfaces(json_object_get(dev, "interfaces"), err);
}

/* Within one device, either every interface has segmentation_id or none. */
static int
check_consistent(const json_t *dev, struct core_err *err)
{
    const json_t *ifcs = json_object_get(dev, "interfaces");
    bool first = json_object_get(json_array_get(ifcs, 0), SEG_ID) != NULL;
    size_t i;
    json_t *ifc;

    json_array_foreach(ifcs, i, ifc) {
        if ((json_object_get(ifc, SEG_ID) != NULL) != first) {
            return core_fail(err, CE_SEGMENTATION_REQUIRED,
                             "L2 gateway segmentation id must be consistent "
                             "for all the interfaces");
        }
    }
    return 0;
}

/* The whole "devices" value: first every 400 in the order of the input,
 * then the 409 consistency rule (as the reference orders them). */
static int
check_devices(const json_t *devices, struct core_err *err)
{
    size_t i;
    json_t *dev;

    if (!devices || json_is_null(devices)
        || (json_is_array(devices) && !json_array_size(devices))) {
        return valid_fail(err, "devices",
                          "Cannot create a gateway with an empty device list");
    }
    if (!json_is_array(devices)) {
        return valid_fail(err, "devices",
                          "devices format is not a type list of dicts");
    }
    if (json_array_size(devices) > GATEWAY_MAX_DEVICES) {
        return valid_fail(err, "devices", "more than %d devices",
                          GATEWAY_MAX_DEVICES);
    }
    json_t *seen = json_object();
    int rc = seen ? 0 : -ENOMEM;
    json_array_foreach(devices, i, dev) {
        if (!rc) {
            rc = check_device(dev, seen, err);
        }
    }
    json_decref(seen);
    json_array_foreach(devices, i, dev) {
        if (!rc) {
            rc = check_consistent(dev, err);
        }
    }
    return rc;
}

/* ---- writing devices ---- */

/* Inserts interface number 'pos' of device 'dev_id' and its VLANs (already
 * validated).  Appends its rendering to 'out' when not NULL. */
static int
insert_interface(struct store *st, const char *dev_id, int pos,
                 const json_t *ifc, json_t *out)
{
    const char *name = ju_str(ifc, "name");
    const json_t *seg = json_object_get(ifc, SEG_ID);
    json_t *vlans = json_array();
    size_t i;
    json_t *v;
    long long vlan;
    char text[24];

    int rc = db_run(st,
                    "INSERT INTO gateway_interfaces (device_id, position, "
                    "name, has_vlans) VALUES (?, ?, ?, ?)",
                    "sisi", dev_id, (long long) pos, name, seg ? 1LL : 0LL);
    json_array_foreach(seg, i, v) {
        if (rc >= 0 && ju_as_int(v, &vlan)) {
            rc = db_run(st,
                        "INSERT INTO interface_vlans (device_id, interface, "
                        "position, vlan) VALUES (?, ?, ?, ?)",
                        "ssii", dev_id, name, (long long) i, vlan);
            snprintf(text, sizeof text, "%lld", vlan);
            json_array_append_new(vlans, json_string(text));
        }
    }
    if (out) {
        json_array_append_new(out, json_pack("{s:s, s:o}", "name", name,
                                             SEG_ID, vlans));
    } else {
        json_decref(vlans);
    }
    return rc < 0 ? db_fail(rc, "insert interface") : 0;
}

static int
insert_interfaces(struct store *st, const char *dev_id, const json_t *ifcs,
                  json_t *out)
{
    size_t i;
    json_t *ifc;

    json_array_foreach(ifcs, i, ifc) {
        int rc = insert_interface(st, dev_id, (int) i, ifc, out);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* Inserts device number 'pos' of gateway 'gw_id'; appends its rendering to
 * 'out'. */
static int
insert_device(struct store *st, const char *gw_id, int pos, const json_t *dev,
              json_t *out)
{
    char dev_id[UUID_STRLEN + 1];
    const char *name = ju_str(dev, "device_name");

    uuid_generate(dev_id);
    int rc = db_run(st,
                    "INSERT INTO gateway_devices (id, gateway_id, position, "
                    "device_name) VALUES (?, ?, ?, ?)",
                    "ssis", dev_id, gw_id, (long long) pos, name);
    if (rc < 0) {
        return db_fail(rc, "insert device");
    }
    json_t *ifcs = json_array();
    json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "id", dev_id,
                                         "device_name", name, "interfaces",
                                         ifcs));
    return insert_interfaces(st, dev_id, json_object_get(dev, "interfaces"),
                             ifcs);
}

/* ---- create ---- */

struct gw_create {
    const char *name;
    const char *project;
    const json_t *devices;
    json_t *out;
};

static int
create_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct gw_create *r = aux;
    struct store *st = core_store(c);
    char id[UUID_STRLEN + 1], now[32];
    size_t i;
    json_t *dev;

    uuid_generate(id);
    store_timestamp(now);
    int rc = db_run(st,
                    "INSERT INTO gateways (id, project_id, name, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?)",
                    "sssss", id, r->project, r->name, now, now);
    if (rc < 0) {
        return db_fail(rc, "insert gateway");
    }
    json_t *devs = json_array();
    r->out = json_pack("{s:s, s:s, s:o}", "id", id, "name", r->name,
                       "devices", devs);
    valid_set_project(r->out, r->project);
    json_array_foreach(r->devices, i, dev) {
        rc = insert_device(st, id, (int) i, dev, devs);
        if (rc) {
            return rc;
        }
    }
    return db_txn_event(t, EVENT_GATEWAY, id, NULL);
}

int
gateway_create(struct core *c, const json_t *attrs, json_t **out,
               struct core_err *err)
{
    struct gw_create r = {NULL, valid_project(attrs), NULL, NULL};

    if (valid_string(attrs, "name", VALID_NAME_MAX, "", &r.name, err)) {
        return -EINVAL;
    }
    r.devices = json_object_get(attrs, "devices");
    if (check_devices(r.devices, err)) {
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
gateway_not_found(struct core_err *err, const char *id)
{
    core_fail(err, CE_GATEWAY_NOT_FOUND, "L2 Gateway %s could not be found",
              id);
    return -ENOENT;
}

/* Replaces the interfaces of the listed device 'dev' of gateway 'gw_id'
 * after checking it belongs there and keeps its VLAN mode. */
static int
update_device(struct store *st, const char *gw_id, const json_t *dev,
              struct core_err *err)
{
    const char *name = ju_str(dev, "device_name");
    const json_t *ifcs = json_object_get(dev, "interfaces");
    char dev_id[UUID_STRLEN + 1];
    long long stored = 0;

    int rc = db_text(st, dev_id, sizeof dev_id,
                     "SELECT id FROM gateway_devices WHERE gateway_id = ? "
                     "AND device_name = ?",
                     "ss", gw_id, name);
    if (rc <= 0) {
        return rc < 0 ? rc
                      : core_fail(err, CE_DEVICE_NOT_FOUND,
                                  "L2 Gateway Device %s could not be found.",
                                  name);
    }
    rc = db_int(st, &stored,
                "SELECT has_vlans FROM gateway_interfaces WHERE device_id = ? "
                "ORDER BY position LIMIT 1",
                "s", dev_id);
    if (rc < 0) {
        return rc;
    }
    bool given = json_object_get(json_array_get(ifcs, 0), SEG_ID) != NULL;
    if (stored && !given) {
        return core_fail(err, CE_SEGID_EXISTS,
                         "The segmentation id is already specified in "
                         "existing gateway interfaces.");
    }
    if (!stored && given) {
        return core_fail(err, CE_SEGID_NOT_EXISTS,
                         "The segmentation id is not specified in existing "
                         "gateway interfaces.");
    }
    rc = db_run(st, "DELETE FROM interface_vlans WHERE device_id = ?", "s",
                dev_id);
    if (rc >= 0) {
        rc = db_run(st, "DELETE FROM gateway_interfaces WHERE device_id = ?",
                    "s", dev_id);
    }
    return rc < 0 ? rc : insert_interfaces(st, dev_id, ifcs, NULL);
}

struct gw_update {
    const char *id;    /* normalised */
    const char *given; /* as in the URL, for messages */
    const char *name;  /* NULL: keep */
    const json_t *devices;
    json_t *out;
};

static int
update_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    struct gw_update *r = aux;
    struct store *st = core_store(c);
    char now[32];
    size_t i;
    json_t *dev;

    int rc = db_exists(st, "SELECT 1 FROM gateways WHERE id = ?", "s", r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : gateway_not_found(err, r->given);
    }
    json_array_foreach(r->devices, i, dev) {
        rc = update_device(st, r->id, dev, err);
        if (rc) {
            return rc;
        }
    }
    store_timestamp(now);
    rc = db_run(st,
                "UPDATE gateways SET name = COALESCE(?, name), updated_at = ? "
                "WHERE id = ?",
                "sss", r->name, now, r->id);
    if (rc < 0) {
        return rc;
    }
    rc = connection_check_gateway(c, r->id, err);
    if (rc) {
        return rc;
    }
    rc = gateway_get(c, r->id, &r->out, err);
    return rc ? rc : db_txn_event(t, EVENT_GATEWAY, r->id, NULL);
}

int
gateway_update(struct core *c, const char *id, const json_t *attrs,
               json_t **out, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct gw_update r = {nid, id, NULL, NULL, NULL};

    valid_id(id, nid);
    if (valid_string(attrs, "name", VALID_NAME_MAX, NULL, &r.name, err)) {
        return -EINVAL;
    }
    r.devices = json_object_get(attrs, "devices");
    if (r.devices && check_devices(r.devices, err)) {
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

struct gw_delete {
    const char *id;
    const char *given;
};

static int
delete_txn(struct core *c, struct db_txn *t, void *aux, struct core_err *err)
{
    static const char *const sqls[] = {
        "DELETE FROM interface_vlans WHERE device_id IN "
        "(SELECT id FROM gateway_devices WHERE gateway_id = ?)",
        "DELETE FROM gateway_interfaces WHERE device_id IN "
        "(SELECT id FROM gateway_devices WHERE gateway_id = ?)",
        "DELETE FROM gateway_devices WHERE gateway_id = ?",
        "DELETE FROM gateways WHERE id = ?",
    };
    struct gw_delete *r = aux;
    struct store *st = core_store(c);

    int rc = db_exists(st, "SELECT 1 FROM gateways WHERE id = ?", "s", r->id);
    if (rc <= 0) {
        return rc < 0 ? rc : gateway_not_found(err, r->given);
    }
    rc = db_exists(st, "SELECT 1 FROM connections WHERE gateway_id = ?", "s",
                   r->id);
    if (rc) {
        return rc < 0 ? rc
                      : core_fail(err, CE_GATEWAY_IN_USE,
                                  "L2 Gateway '%s' still has active mappings "
                                  "with one or more neutron networks.",
                                  r->given);
    }
    for (size_t i = 0; i < sizeof sqls / sizeof *sqls; i++) {
        rc = db_run(st, sqls[i], "s", r->id);
        if (rc < 0) {
            return rc;
        }
    }
    return db_txn_event(t, EVENT_GATEWAY, r->id, NULL);
}

int
gateway_delete(struct core *c, const char *id, struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct gw_delete r = {nid, id};

    valid_id(id, nid);
    return db_txn(c, delete_txn, &r, err);
}

/* ---- reading ---- */

int
gateway_has_vlans(struct core *c, const char *id)
{
    return db_exists(core_store(c),
                     "SELECT 1 FROM gateway_devices d JOIN gateway_interfaces "
                     "i ON i.device_id = d.id WHERE d.gateway_id = ? AND "
                     "i.has_vlans = 1",
                     "s", id);
}

int
gateway_get(struct core *c, const char *id, json_t **out, struct core_err *err)
{
    struct store_stmt *s;
    char nid[VALID_ID_LEN];

    valid_id(id, nid);
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, project_id FROM gateways WHERE id = ?",
                        "s", nid);
    if (rc) {
        return rc;
    }
    rc = store_step(s);
    if (rc <= 0) {
        return rc < 0 ? rc : gateway_not_found(err, id);
    }
    json_t *gw = json_pack("{s:s, s:s}", "id", nid, "name",
                           store_col_text(s, 0));
    valid_set_project(gw, store_col_text(s, 1));
    store_reset(s);
    json_t *rows = json_pack("[O]", gw);
    rc = gateway_render(c, rows, err);
    json_decref(rows);
    if (rc) {
        json_decref(gw);
        return rc;
    }
    *out = gw;
    return 0;
}

/* Where render_row() is in the result.  Rows come grouped by gateway,
 * then device (by name: the order of an index, so no sort is needed), then
 * interface and VLAN by position; devices are put in position order here,
 * with the positions of the current gateway's devices in 'pos'. */
struct render_ctx {
    json_t *gw;
    json_t *devs, *ifcs, *vlans; /* borrowed from 'gw' */
    char dev_id[UUID_STRLEN + 1];
    char ifname[VALID_NAME_MAX + 1];
    long long pos[GATEWAY_MAX_DEVICES];
    size_t n_pos;
};

/* Copies 's' into 'dst' (of 'size' bytes), truncating. */
static void
copy_text(char *dst, size_t size, const char *s)
{
    size_t n = strnlen(s, size - 1);

    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* A VLAN as a JSON string (hot path: no printf). */
static json_t *
vlan_string(long long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long) v
                                 : (unsigned long long) v;

    do {
        *--p = (char) ('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    return json_stringn_nocheck(p, (size_t) (buf + sizeof buf - p));
}

/* A new object {key: value} (takes 'value'). */
static json_t *
pair(const char *key, json_t *value)
{
    json_t *o = json_object();
    json_object_set_new_nocheck(o, key, value);
    return o;
}

/* Inserts 'dev' (at 'position' of its gateway) into x->devs in position
 * order. */
static void
place_device(struct render_ctx *x, json_t *dev, long long position)
{
    size_t k = x->n_pos;

    while (k > 0 && x->pos[k - 1] > position) {
        k--;
    }
    if (x->n_pos < GATEWAY_MAX_DEVICES) {
        memmove(&x->pos[k + 1], &x->pos[k], (x->n_pos - k) * sizeof *x->pos);
        x->pos[k] = position;
        x->n_pos++;
    }
    json_array_insert_new(x->devs, k, dev);
}

/* Adds the row of 's' (gateway_id, device id, device_name, device
 * position, interface name, vlan) to the gateway object 'gw'. */
static void
render_row(struct store_stmt *s, json_t *gw, void *aux)
{
    struct render_ctx *x = aux;
    const char *dev_id = store_col_text(s, 1);
    const char *ifname = store_col_text(s, 4);

    if (x->gw != gw) {
        x->gw = gw;
        x->devs = json_object_get(gw, "devices");
        x->dev_id[0] = '\0';
        x->n_pos = 0;
    }
    if (strcmp(x->dev_id, dev_id)) {
        json_t *dev = pair("id", json_string(dev_id));
        json_object_set_new_nocheck(dev, "device_name",
                                    json_string(store_col_text(s, 2)));
        x->ifcs = json_array();
        json_object_set_new_nocheck(dev, "interfaces", x->ifcs);
        place_device(x, dev, store_col_int(s, 3));
        copy_text(x->dev_id, sizeof x->dev_id, dev_id);
        x->ifname[0] = '\0';
    }
    if (!ifname) {
        return;
    }
    if (!x->ifname[0] || strcmp(x->ifname, ifname)) {
        json_t *ifc = pair("name", json_string(ifname));
        x->vlans = json_array();
        json_object_set_new_nocheck(ifc, SEG_ID, x->vlans);
        json_array_append_new(x->ifcs, ifc);
        copy_text(x->ifname, sizeof x->ifname, ifname);
    }
    if (!store_col_is_null(s, 5)) {
        json_array_append_new(x->vlans, vlan_string(store_col_int(s, 5)));
    }
}

int
gateway_render(struct core *c, json_t *rows, struct core_err *err)
{
    struct render_ctx x = {.gw = NULL};
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        valid_fill_project(row);
        json_object_set_new(row, "devices", json_array());
    }
    return db_rows_in(core_store(c), rows,
                      "SELECT d.gateway_id, d.id, d.device_name, "
                      "d.position, i.name, v.vlan FROM gateway_devices d "
                      "LEFT JOIN gateway_interfaces i ON i.device_id = d.id "
                      "LEFT JOIN interface_vlans v ON v.device_id = "
                      "i.device_id AND v.interface = i.name "
                      "WHERE d.gateway_id IN (%s) "
                      "ORDER BY d.gateway_id, d.device_name, i.position, "
                      "v.position",
                      render_row, &x);
}
