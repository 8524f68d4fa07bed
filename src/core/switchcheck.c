/* Switch-side checks of connections and gateways (switchcheck.h). */
#include "core/switchcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/db.h"
#include "core/valid.h"
#include "lib/jsonutil.h"
#include "store/store.h"
#include "vtep/names.h"

#define LOG_MODULE "switchcheck"
#include "lib/log.h"

/* A device resolved to a switch of the registry. */
struct sw {
    char id[VALID_ID_LEN];
    char db[VALID_ID_LEN];
    char name[VALID_ID_LEN];
    char faults[512];
};

/* The faults of JSON array text 'text' that refuse a connection, joined
 * with ", " into 'out' ("" when none). */
static void
refusing_faults(const char *text, char *out, size_t size)
{
    json_t *v = text ? ju_parse(text, strlen(text), NULL) : NULL;
    size_t i, len = 0;
    json_t *e;

    out[0] = '\0';
    json_array_foreach(v, i, e) {
        const char *s = json_string_value(e);
        if (!s || !*s || !strcmp(s, "UP")
            || !strcmp(s, VTEP_FAULT_NO_SOURCE_NODE) || len + 3 >= size) {
            continue;
        }
        len += (size_t) snprintf(out + len, size - len, "%s%s",
                                 len ? ", " : "", s);
        len = len < size ? len : size - 1;
    }
    json_decref(v);
}

static void
copy(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
}

/* Resolves device name 'dev'; exactly one switch, a qualified name
 * winning over a plain one. */
static int
resolve_device(struct core *c, const char *dev, struct sw *sw,
               struct core_err *err)
{
    struct store_stmt *s;
    int n = 0, qualified = 0;
    int rc = db_prepare(core_store(c), &s,
                        "SELECT id, ovsdb_identifier, name, "
                        "switch_fault_status FROM switches WHERE name = ? OR "
                        "ovsdb_identifier || '/' || name = ? ORDER BY "
                        "ovsdb_identifier",
                        "ss", dev, dev);

    while (!rc && (rc = store_step(s)) == 1) {
        bool q = strcmp(store_col_text(s, 2), dev) != 0;
        rc = 0;
        if (q || !qualified) {
            copy(sw->id, sizeof sw->id, store_col_text(s, 0));
            copy(sw->db, sizeof sw->db, store_col_text(s, 1));
            copy(sw->name, sizeof sw->name, store_col_text(s, 2));
            refusing_faults(store_col_text(s, 3), sw->faults,
                            sizeof sw->faults);
        }
        qualified += q;
        n++;
    }
    if (rc < 0) {
        return rc;
    }
    if (!n) {
        core_fail(err, CE_DEVICE_NOT_FOUND,
                  "L2 Gateway Device %s could not be found.", dev);
        return -ENOENT;
    }
    if (n > 1 && !qualified) {
        return core_fail(err, CE_DEVICE_AMBIGUOUS,
                         "L2 Gateway Device %s is ambiguous: %d switch "
                         "databases report a switch of that name; name it "
                         "as <ovsdb_identifier>/%s",
                         dev, n, dev);
    }
    return 0;
}

/* ---- VLANs ---- */

/* The VLANs interface 'ifc' of device 'device_id' binds for a connection
 * whose own VLAN is 'vlan' (NULL: none), as a JSON array of integers. */
static json_t *
vlans_of(struct store *st, const char *device_id, const char *ifc,
         bool has_vlans, const long long *vlan)
{
    json_t *out = json_array();
    struct store_stmt *s;

    if (vlan || !has_vlans) {
        json_array_append_new(out, json_integer(vlan ? *vlan : 0));
        return out;
    }
    int rc = db_prepare(st, &s,
                        "SELECT vlan FROM interface_vlans WHERE device_id = "
                        "? AND interface = ? ORDER BY position",
                        "ss", device_id, ifc);
    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(out, json_integer(store_col_int(s, 0)));
        rc = 0;
    }
    return out;
}

static bool
has_vlan(const json_t *vlans, long long v)
{
    size_t i;
    json_t *e;

    json_array_foreach(vlans, i, e) {
        if (json_integer_value(e) == v) {
            return true;
        }
    }
    return false;
}

/* The other connections (another network) binding VLAN 'v' on port 'ifc'
 * of switch 'sw': the first one's id into 'other', or "". */
static int
bound_by_us(struct store *st, const struct sw *sw, const char *ifc, long long v,
            const char *network, const char *self, char *other, size_t size)
{
    char qname[2 * VALID_ID_LEN + 2];
    struct store_stmt *s;
    json_t *rows = json_array();

    snprintf(qname, sizeof qname, "%.255s/%.255s", sw->db, sw->name);
    other[0] = '\0';
    int rc = db_prepare(st, &s,
                        "SELECT c.id, c.segmentation_id, i.has_vlans, d.id "
                        "FROM connections c JOIN gateway_devices d ON "
                        "d.gateway_id = c.gateway_id JOIN gateway_interfaces "
                        "i ON i.device_id = d.id AND i.name = ? WHERE "
                        "(d.device_name = ? OR d.device_name = ?) AND "
                        "c.network_id <> ? AND c.id <> ?",
                        "sssss", ifc, sw->name, qname, network,
                        self ? self : "");
    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(
            rows, json_pack("{s:s, s:o, s:b, s:s}", "id", store_col_text(s, 0),
                            "seg", store_col_is_null(s, 1)
                                       ? json_null()
                                       : json_integer(store_col_int(s, 1)),
                            "has", (int) store_col_int(s, 2), "dev",
                            store_col_text(s, 3)));
        rc = 0;
    }
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        long long seg = json_integer_value(json_object_get(r, "seg"));
        bool has_seg = json_is_integer(json_object_get(r, "seg"));
        json_t *vl = vlans_of(st, ju_str(r, "dev"), ifc,
                              json_is_true(json_object_get(r, "has")),
                              has_seg ? &seg : NULL);
        if (!other[0] && has_vlan(vl, v)) {
            copy(other, size, ju_str(r, "id"));
        }
        json_decref(vl);
    }
    json_decref(rows);
    return rc < 0 ? rc : 0;
}

/* ---- ports ---- */

struct port_req {
    const struct sw *sw;
    const char *device_id, *network, *self;
    const long long *vlan;
};

/* 1 if Logical_Switch 'ls' of database 'db' is ours (recorded, or marked
 * with our deployment id): our bindings are judged by the connections,
 * not by what the switch still holds.  0 if not, or a negative errno. */
static int
ours(struct core *c, const char *db, const char *ls)
{
    return db_exists(core_store(c),
                     "SELECT 1 FROM owned_logical_switches WHERE "
                     "ovsdb_identifier = ? AND name = ? UNION ALL SELECT 1 "
                     "FROM switch_logical_switches WHERE ovsdb_identifier = "
                     "? AND name = ? AND owner = ?",
                     "sssss", db, ls, db, ls, core_deployment_id(c));
}

/* Checks one interface: a port of the switch, no fault, no VLAN bound
 * elsewhere. */
static int
check_port(struct core *c, const struct port_req *p, const char *ifc,
           bool has_vlans, struct core_err *err)
{
    struct store *st = core_store(c);
    char faults_text[1024], binds_text[8192], faults[512], other[VALID_ID_LEN];
    char vlan_key[24];

    int rc = db_text(st, faults_text, sizeof faults_text,
                     "SELECT port_fault_status FROM switch_ports WHERE "
                     "switch_id = ? AND name = ?",
                     "ss", p->sw->id, ifc);
    if (rc <= 0) {
        if (!rc) {
            core_fail(err, CE_INTERFACE_NOT_FOUND,
                      "L2 Gateway interface '%s' not found.", ifc);
        }
        return rc < 0 ? rc : -ENOENT;
    }
    refusing_faults(faults_text, faults, sizeof faults);
    if (faults[0]) {
        return core_fail(err, CE_PORT_FAULT,
                         "Physical Port '%s' in Physical switch '%s' "
                         "port_fault_status is '%s'",
                         ifc, p->sw->name, faults);
    }
    db_text(st, binds_text, sizeof binds_text,
            "SELECT vlan_bindings FROM switch_ports WHERE switch_id = ? AND "
            "name = ?",
            "ss", p->sw->id, ifc);
    json_t *binds = ju_parse(binds_text, strlen(binds_text), NULL);
    json_t *vlans = vlans_of(st, p->device_id, ifc, has_vlans, p->vlan);
    size_t i;
    json_t *v;
    rc = 0;
    json_array_foreach(vlans, i, v) {
        long long vl = json_integer_value(v);
        snprintf(vlan_key, sizeof vlan_key, "%lld", vl);
        const char *ls = ju_str(binds, vlan_key);
        int mine = !rc && ls && strcmp(ls, p->network)
                       ? ours(c, p->sw->db, ls)
                       : 1;
        rc = mine < 0 ? mine : rc;
        if (!mine) {
            rc = core_fail(err, CE_DUPLICATE_SEGID,
                           "Duplicate segmentation ID %lld for the interface "
                           "name=%s of switch %s: the switch binds it to "
                           "logical switch %s",
                           vl, ifc, p->sw->name, ls);
        }
        if (!rc) {
            rc = bound_by_us(st, p->sw, ifc, vl, p->network, p->self, other,
                             sizeof other);
        }
        if (!rc && other[0]) {
            rc = core_fail(err, CE_DUPLICATE_SEGID,
                           "Duplicate segmentation ID %lld for the interface "
                           "name=%s of switch %s: connection %s binds it",
                           vl, ifc, p->sw->name, other);
        }
    }
    json_decref(binds);
    json_decref(vlans);
    return rc;
}

/* Checks every interface of device 'p->device_id'. */
static int
check_ports(struct core *c, const struct port_req *p, struct core_err *err)
{
    struct store_stmt *s;
    json_t *ifcs = json_array();
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, has_vlans FROM gateway_interfaces "
                        "WHERE device_id = ? ORDER BY position",
                        "s", p->device_id);

    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(ifcs, json_pack("[s,b]", store_col_text(s, 0),
                                              (int) store_col_int(s, 1)));
        rc = 0;
    }
    size_t i;
    json_t *e;
    json_array_foreach(ifcs, i, e) {
        if (!rc) {
            rc = check_port(c, p, json_string_value(json_array_get(e, 0)),
                            json_is_true(json_array_get(e, 1)), err);
        }
    }
    json_decref(ifcs);
    return rc;
}

/* ---- VNI ---- */

/* No foreign Logical_Switch carries the network's VNI on database 'db'. */
static int
check_vni(struct core *c, const char *db, const char *network, long long vni,
          struct core_err *err)
{
    struct store *st = core_store(c);
    struct store_stmt *s;
    char foreign[VALID_ID_LEN] = "";

    int rc = db_prepare(st, &s,
                        "SELECT l.name, l.owner, (SELECT COUNT(*) FROM "
                        "owned_logical_switches o WHERE o.ovsdb_identifier = "
                        "l.ovsdb_identifier AND o.name = l.name) FROM "
                        "switch_logical_switches l WHERE l.ovsdb_identifier "
                        "= ? AND l.tunnel_key = ?",
                        "si", db, vni);
    while (!rc && (rc = store_step(s)) == 1) {
        const char *name = store_col_text(s, 0), *owner = store_col_text(s, 1);
        /* An LS named after the network itself is a matter of ownership
         * (adopted, or the connection goes ERROR), not of the VNI. */
        bool ours = !strcmp(owner, core_deployment_id(c))
                    || store_col_int(s, 2) > 0 || !strcmp(name, network);
        if (!ours && !foreign[0]) {
            copy(foreign, sizeof foreign, name);
        }
        rc = 0;
    }
    if (rc < 0) {
        return rc;
    }
    if (foreign[0]) {
        return core_fail(err, CE_VNI_IN_USE,
                         "VNI %lld is already used by Logical_Switch %s on "
                         "switch database %s",
                         vni, foreign, db);
    }
    return 0;
}

/* ---- entry points ---- */

int
switchcheck_connection(struct core *c, const char *gateway_id,
                       const char *network_id, const long long *vlan,
                       const char *self, struct core_err *err)
{
    struct store *st = core_store(c);
    struct store_stmt *s;
    json_t *devs = json_array();
    long long vni = 0;

    int rc = db_prepare(st, &s,
                        "SELECT id, device_name FROM gateway_devices WHERE "
                        "gateway_id = ? ORDER BY position",
                        "s", gateway_id);
    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(devs, json_pack("[s,s]", store_col_text(s, 0),
                                              store_col_text(s, 1)));
        rc = 0;
    }
    if (!rc) {
        rc = db_int(st, &vni, "SELECT vni FROM networks WHERE id = ?", "s",
                    network_id);
        rc = rc < 0 ? rc : 0;
    }
    size_t i;
    json_t *d;
    json_array_foreach(devs, i, d) {
        struct sw sw;
        const char *dev = json_string_value(json_array_get(d, 1));
        struct port_req p = {&sw, json_string_value(json_array_get(d, 0)),
                             network_id, self, vlan};
        if (rc || (rc = resolve_device(c, dev, &sw, err))) {
            break;
        }
        if (sw.faults[0]) {
            rc = core_fail(err, CE_SWITCH_FAULT,
                           "Physical Switch '%s' switch_fault_status is '%s'",
                           dev, sw.faults);
            break;
        }
        rc = check_ports(c, &p, err);
        rc = rc || vni <= 0 ? rc : check_vni(c, sw.db, network_id, vni, err);
    }
    json_decref(devs);
    return rc;
}

int
switchcheck_gateway(struct core *c, const char *gateway_id,
                    struct core_err *err)
{
    struct store_stmt *s;
    json_t *conns = json_array();
    int rc = db_prepare(core_store(c), &s,
                        "SELECT id, network_id, segmentation_id FROM "
                        "connections WHERE gateway_id = ? ORDER BY "
                        "created_at, id",
                        "s", gateway_id);

    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(
            conns, json_pack("[s,s,o]", store_col_text(s, 0),
                             store_col_text(s, 1),
                             store_col_is_null(s, 2)
                                 ? json_null()
                                 : json_integer(store_col_int(s, 2))));
        rc = 0;
    }
    size_t i;
    json_t *e;
    json_array_foreach(conns, i, e) {
        long long v = json_integer_value(json_array_get(e, 2));
        bool has = json_is_integer(json_array_get(e, 2));
        if (!rc) {
            rc = switchcheck_connection(c, gateway_id,
                                        json_string_value(json_array_get(e, 1)),
                                        has ? &v : NULL,
                                        json_string_value(json_array_get(e, 0)),
                                        err);
        }
    }
    json_decref(conns);
    return rc;
}

int
switchcheck_resolve(struct core *c, const char *name, char *id,
                    struct core_err *err)
{
    char nid[VALID_ID_LEN];
    struct sw sw;

    valid_id(name, nid);
    int rc = db_text(core_store(c), id, UUID_STRLEN + 1,
                     "SELECT id FROM switches WHERE id = ?", "s", nid);
    if (rc) {
        return rc < 0 ? rc : 0;
    }
    if ((rc = resolve_device(c, name, &sw, err))) {
        return rc;
    }
    snprintf(id, UUID_STRLEN + 1, "%.36s", sw.id);
    return 0;
}
