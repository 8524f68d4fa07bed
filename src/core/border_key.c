/* The switch-side rules of remote gateway connections (border.md "Tunnel
 * keys: an extension, gated"):
 *
 * - Support: every device of the local gateway must be a switch that
 *   honours a per-locator tunnel key.  A device named in [ovsdb]
 *   per_locator_key_switches is trusted as the operator says.  Otherwise
 *   the device must resolve (by switch name, or "<ovsdb_identifier>/<name>")
 *   to registered switches that all advertise other_config
 *   "l2gw-per-locator-key" = "true".  A device no registered switch
 *   answers to cannot advertise anything: it is refused too (the message
 *   says it is unknown), so that border rows are never planned for a VTEP
 *   that would send the cloud-local VNI across the WAN.
 *
 * - Keys: on one switch database a key identifies one network.  What l2gw
 *   knows of a database: the gateways whose devices resolve to switches
 *   of it (the switches table), the networks connected to those gateways
 *   (their VNIs are Logical_Switch keys there), the WAN keys of remote
 *   connections through those gateways, and the Logical_Switch rows the
 *   switch reported (switch_logical_switches).  A device that no
 *   registered switch answers to stands for a database of its own,
 *   identified by the device name ("#<name>"), so two gateways naming the
 *   same unregistered device share it. */
#include "core/border.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/border_priv.h"
#include "core/core.h"
#include "core/db.h"
#include "lib/config.h"
#include "lib/jsonutil.h"
#include "store/store.h"

#define LOG_MODULE "border"
#include "lib/log.h"

/* ---- support ---- */

/* True if 'name' is an entry of the comma list 'list' (spaces around
 * entries ignored). */
static bool
in_list(const char *list, const char *name)
{
    size_t len = strlen(name);

    for (const char *p = list; p && *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t')) {
            m--;
        }
        if (m && m == len && !memcmp(p, name, len)) {
            return true;
        }
        p += n;
    }
    return false;
}

bool
border_listed(struct core *c, const char *name)
{
    const struct config *cfg = core_config(c);

    return cfg && in_list(cfg->per_locator_key_switches, name);
}

bool
border_advertises(const char *other_config)
{
    json_t *o = other_config ? ju_parse(other_config, strlen(other_config),
                                        NULL)
                             : NULL;
    const char *v = ju_str(o, BORDER_PER_LOCATOR_KEY);
    bool yes = v && !strcasecmp(v, "true");

    json_decref(o);
    return yes;
}

static int
unsupported(struct core_err *err, const char *sw, const char *why)
{
    return core_fail(err, CE_REMOTE_UNSUPPORTED,
                     "Switch %s does not support per-locator tunnel keys: %s "
                     "other_config:%s=true; list it in [ovsdb] "
                     "per_locator_key_switches if it does",
                     sw, why, BORDER_PER_LOCATOR_KEY);
}

/* Checks device 'dev': listed, or every switch it resolves to advertises
 * the extension (and at least one does). */
static int
check_device(struct core *c, const char *dev, struct core_err *err)
{
    struct store_stmt *s;
    char refused[2 * VALID_ID_LEN] = "";
    int n = 0;

    if (border_listed(c, dev)) {
        return 0;
    }
    int rc = db_prepare(core_store(c), &s,
                        "SELECT name, ovsdb_identifier, other_config FROM "
                        "switches WHERE name = ? OR ovsdb_identifier || '/' "
                        "|| name = ? ORDER BY ovsdb_identifier",
                        "ss", dev, dev);
    while (!rc && (rc = store_step(s)) == 1) {
        char qname[2 * VALID_ID_LEN];
        snprintf(qname, sizeof qname, "%.255s/%.255s", store_col_text(s, 1),
                 store_col_text(s, 0));
        bool ok = border_listed(c, store_col_text(s, 0)) || border_listed(c, qname)
                  || border_advertises(store_col_text(s, 2));
        if (!ok && !refused[0]) {
            snprintf(refused, sizeof refused, "%s", qname);
        }
        n++;
        rc = 0;
    }
    if (rc < 0) {
        return rc;
    }
    if (!n) {
        return unsupported(err, dev,
                           "no switch of that name is registered (it never "
                           "connected to l2gwd), so it cannot advertise");
    }
    return refused[0] ? unsupported(err, refused, "it does not advertise")
                      : 0;
}

int
border_key_check_support(struct core *c, const char *gateway_id,
                         struct core_err *err)
{
    struct store_stmt *s;
    json_t *devs = json_array();
    size_t i;
    json_t *d;

    int rc = db_prepare(core_store(c), &s,
                        "SELECT device_name FROM gateway_devices WHERE "
                        "gateway_id = ? ORDER BY position",
                        "s", gateway_id);
    while (!rc && (rc = store_step(s)) == 1) {
        json_array_append_new(devs, json_string(store_col_text(s, 0)));
        rc = 0;
    }
    json_array_foreach(devs, i, d) {
        if (!rc) {
            rc = check_device(c, json_string_value(d), err);
        }
    }
    json_decref(devs);
    return rc;
}

/* ---- keys ---- */

/* The switch databases of each gateway device: the ovsdb_identifier of
 * every registered switch the device resolves to, else "#<device name>".
 * Then 'mine': those of the gateway bound to the first parameter. */
#define DEV_DB_CTE                                                          \
    "WITH dev_db AS (SELECT d.gateway_id AS gateway_id, "                  \
    "COALESCE(s.ovsdb_identifier, '#' || d.device_name) AS db "             \
    "FROM gateway_devices d LEFT JOIN switches s ON s.name = "              \
    "d.device_name OR s.ovsdb_identifier || '/' || s.name = "               \
    "d.device_name), mine AS (SELECT DISTINCT db FROM dev_db WHERE "        \
    "gateway_id = ?) "

/* The three ways a key can be taken on a database; each query binds
 * (gateway, key, network) and returns (what, db) of the first conflict. */
static const char *const conflict_sqls[] = {
    /* another network's WAN key */
    DEV_DB_CTE
    "SELECT r.network_id, m.db FROM remote_gateway_connections r JOIN "
    "dev_db x ON x.gateway_id = r.gateway_id JOIN mine m ON m.db = x.db "
    "WHERE r.seg_id = ? AND r.network_id <> ? ORDER BY r.network_id, m.db "
    "LIMIT 1",
    /* another network's VNI (the key of its Logical_Switch there) */
    DEV_DB_CTE
    "SELECT n.id, m.db FROM networks n JOIN connections l ON l.network_id = "
    "n.id JOIN dev_db x ON x.gateway_id = l.gateway_id JOIN mine m ON m.db "
    "= x.db WHERE n.vni = ? AND n.id <> ? ORDER BY n.id, m.db LIMIT 1",
    /* a Logical_Switch the switch reports for another network */
    DEV_DB_CTE
    "SELECT l.name, m.db FROM switch_logical_switches l JOIN mine m ON "
    "m.db = l.ovsdb_identifier WHERE l.tunnel_key = ? AND l.name <> ? "
    "ORDER BY l.name, m.db LIMIT 1",
};

static const char *const conflict_what[] = {
    "the WAN key of network",
    "the VNI of network",
    "the key of Logical_Switch",
};

static int
key_in_use(struct core_err *err, long long key, const char *db,
           const char *what, const char *owner)
{
    bool pseudo = db[0] == '#';

    return core_fail(err, CE_REMOTE_SEGID_IN_USE,
                     "Segmentation id %lld is already in use on %s %s: it is "
                     "%s %s",
                     key, pseudo ? "switch" : "switch database",
                     pseudo ? db + 1 : db, what, owner);
}

/* Runs conflict query 'i'; 409 on its first row. */
static int
check_conflict(struct core *c, size_t i, const char *gateway_id,
               const char *network_id, long long key, struct core_err *err)
{
    struct store_stmt *s;

    int rc = db_prepare(core_store(c), &s, conflict_sqls[i], "sis",
                        gateway_id, key, network_id);
    if (!rc && (rc = store_step(s)) == 1) {
        char owner[VALID_ID_LEN], db[2 * VALID_ID_LEN];
        snprintf(owner, sizeof owner, "%s", store_col_text(s, 0));
        snprintf(db, sizeof db, "%s", store_col_text(s, 1));
        store_reset(s);
        return key_in_use(err, key, db, conflict_what[i], owner);
    }
    return rc < 0 ? rc : 0;
}

int
border_key_check(struct core *c, const char *gateway_id,
                 const char *network_id, long long key, struct core_err *err)
{
    int rc = 0;

    for (size_t i = 0;
         !rc && i < sizeof conflict_sqls / sizeof *conflict_sqls; i++) {
        rc = check_conflict(c, i, gateway_id, network_id, key, err);
    }
    return rc;
}

int
border_check_local_vni(struct core *c, const char *gateway_id,
                       const char *network_id, long long vni,
                       struct core_err *err)
{
    return check_conflict(c, 0, gateway_id, network_id, vni, err);
}
