/* The overlay export (fdb.h). */
#include "manager/fdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/jsonutil.h"
#include "lib/uuid.h"
#include "manager/sql.h"
#include "store/store.h"

#define LOG_MODULE "fdb"
#include "lib/log.h"

void
fdb_init(struct fdb *f)
{
    f->dirty = json_object();
    f->all = false;
}

void
fdb_destroy(struct fdb *f)
{
    json_decref(f->dirty);
    f->dirty = NULL;
}

void
fdb_mark(struct fdb *f, const char *network)
{
    if (f->dirty && network && *network) {
        json_object_set_new(f->dirty, network, json_true());
    }
}

void
fdb_mark_all(struct fdb *f)
{
    f->all = true;
}

static long long
meta_int(struct store *st, const char *key)
{
    long long v = 0;

    int rc = store_meta_int(st, key, &v);
    if (rc < 0) {
        log_err("cannot read meta %s: %s", key, strerror(-rc));
    }
    return rc == 1 ? v : 0;
}

static int
meta_set(struct store *st, const char *key, long long v)
{
    int rc = store_meta_set_int(st, key, v);
    if (rc) {
        log_err("cannot write meta %s: %s", key, strerror(-rc));
    }
    return rc;
}

long long
fdb_revision(struct store *st)
{
    return meta_int(st, "fdb_revision");
}

/* ---- one network ---- */

/* The entries a network should have: "<mac>|<vtep_ip>" → {ip, source}. */
static int
add_flood(struct store *st, const char *net, json_t *want)
{
    struct store_stmt *s;
    char key[128], source[512];
    int rc = msql_prepare(
        st, &s,
        "SELECT DISTINCT s.ovsdb_identifier, s.name, s.tunnel_ips FROM "
        "connections c JOIN gateway_devices d ON d.gateway_id = c.gateway_id "
        "JOIN switches s ON (s.name = d.device_name OR s.ovsdb_identifier || "
        "'/' || s.name = d.device_name) WHERE c.network_id = ?",
        "s", net);

    while (!rc && (rc = store_step(s)) == 1) {
        const char *text = store_col_text(s, 2);
        json_t *ips = text ? ju_parse(text, strlen(text), NULL) : NULL;
        size_t i;
        json_t *ip;
        snprintf(source, sizeof source, "%s/%s", store_col_text(s, 0),
                 store_col_text(s, 1));
        json_array_foreach(ips, i, ip) {
            if (!json_is_string(ip)) {
                continue;
            }
            snprintf(key, sizeof key, "%s|%s", FDB_FLOOD_MAC,
                     json_string_value(ip));
            if (!json_object_get(want, key)) {
                json_object_set_new(want, key,
                                    json_pack("{s:s, s:s, s:s, s:s}", "mac",
                                              FDB_FLOOD_MAC, "vtep_ip",
                                              json_string_value(ip), "ip", "",
                                              "source", source));
            }
        }
        json_decref(ips);
        rc = 0;
    }
    return rc;
}

static int
add_learned(struct store *st, const char *net, json_t *want)
{
    struct store_stmt *s;
    char key[128], source[512];
    int rc = msql_prepare(st, &s,
                          "SELECT mac, ip_address, tunnel_ip, "
                          "ovsdb_identifier, switch FROM learned_macs WHERE "
                          "network_id = ? AND tunnel_ip <> ''",
                          "s", net);

    while (!rc && (rc = store_step(s)) == 1) {
        snprintf(key, sizeof key, "%s|%s", store_col_text(s, 0),
                 store_col_text(s, 2));
        snprintf(source, sizeof source, "%s/%s", store_col_text(s, 3),
                 store_col_text(s, 4));
        json_object_set_new(want, key,
                            json_pack("{s:s, s:s, s:s, s:s}", "mac",
                                      store_col_text(s, 0), "vtep_ip",
                                      store_col_text(s, 2), "ip",
                                      store_col_text(s, 1), "source",
                                      source));
        rc = 0;
    }
    return rc;
}

/* Remote MACs (spec/border.md): each behind every cloud-side tunnel IP of
 * the switches of its remote connection's local gateway, source "remote". */
static int
add_remote(struct store *st, const char *net, json_t *want)
{
    struct store_stmt *s;
    char key[128];
    int rc = msql_prepare(
        st, &s,
        "SELECT DISTINCT m.mac, m.ipaddr, s.tunnel_ips FROM remote_macs m "
        "JOIN remote_gateway_connections r ON r.id = m.rgw_connection_id "
        "JOIN gateway_devices d ON d.gateway_id = r.gateway_id JOIN switches "
        "s ON (s.name = d.device_name OR s.ovsdb_identifier || '/' || s.name "
        "= d.device_name) WHERE m.network_id = ?",
        "s", net);

    while (!rc && (rc = store_step(s)) == 1) {
        const char *text = store_col_text(s, 2), *mac = store_col_text(s, 0);
        json_t *ips = text ? ju_parse(text, strlen(text), NULL) : NULL;
        size_t i;
        json_t *ip;
        json_array_foreach(ips, i, ip) {
            if (json_is_string(ip)) {
                snprintf(key, sizeof key, "%s|%s", mac, json_string_value(ip));
                json_object_set_new(
                    want, key,
                    json_pack("{s:s, s:s, s:s, s:s}", "mac", mac, "vtep_ip",
                              json_string_value(ip), "ip",
                              store_col_text(s, 1), "source", "remote"));
            }
        }
        json_decref(ips);
        rc = 0;
    }
    return rc;
}

/* The current entries: key → {id, ip, source, vni}. */
static int
read_current(struct store *st, const char *net, json_t *have)
{
    struct store_stmt *s;
    char key[128];
    int rc = msql_prepare(st, &s,
                          "SELECT id, mac, vtep_ip, ip_address, source, vni "
                          "FROM fdb_entries WHERE network_id = ? AND "
                          "deleted = 0",
                          "s", net);

    while (!rc && (rc = store_step(s)) == 1) {
        snprintf(key, sizeof key, "%s|%s", store_col_text(s, 1),
                 store_col_text(s, 2));
        json_object_set_new(have, key,
                            json_pack("{s:s, s:s, s:s, s:I}", "id",
                                      store_col_text(s, 0), "ip",
                                      store_col_text(s, 3), "source",
                                      store_col_text(s, 4), "vni",
                                      (json_int_t) store_col_int(s, 5)));
        rc = 0;
    }
    return rc;
}

static int
insert_entry(struct store *st, const char *net, long long vni,
             const json_t *w, long long rev, const char *now)
{
    char id[UUID_STRLEN + 1];

    uuid_generate(id);
    return msql_run(st,
                    "INSERT INTO fdb_entries (id, network_id, vni, mac, "
                    "ip_address, vtep_ip, source, revision, deleted, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                    "0, ?, ?)",
                    "ssissssiss", id, net, vni, ju_str(w, "mac"),
                    ju_str(w, "ip"), ju_str(w, "vtep_ip"), ju_str(w, "source"),
                    rev, now, now);
}

/* Writes the difference between 'want' and 'have'. */
static int
write_diff(struct store *st, const char *net, long long vni, json_t *want,
           json_t *have, long long *rev, const char *now)
{
    const char *key;
    json_t *v;
    int rc = 0;

    json_object_foreach(have, key, v) {
        json_t *w = json_object_get(want, key);
        if (rc >= 0 && !w) {
            rc = msql_run(st,
                          "UPDATE fdb_entries SET deleted = 1, revision = ?, "
                          "updated_at = ? WHERE id = ?",
                          "iss", ++*rev, now, ju_str(v, "id"));
        } else if (rc >= 0
                   && (strcmp(ju_str(w, "ip"), ju_str(v, "ip"))
                       || strcmp(ju_str(w, "source"), ju_str(v, "source"))
                       || json_integer_value(json_object_get(v, "vni"))
                              != vni)) {
            rc = msql_run(st,
                          "UPDATE fdb_entries SET ip_address = ?, source = ?, "
                          "vni = ?, revision = ?, updated_at = ? WHERE id = ?",
                          "ssiiss", ju_str(w, "ip"), ju_str(w, "source"), vni,
                          ++*rev, now, ju_str(v, "id"));
        }
    }
    json_object_foreach(want, key, v) {
        if (rc >= 0 && !json_object_get(have, key)) {
            rc = insert_entry(st, net, vni, v, ++*rev, now);
        }
    }
    return rc < 0 ? rc : 0;
}

static int
flush_network(struct store *st, const char *net, long long *rev,
              const char *now)
{
    long long vni = 0;
    json_t *want = json_object(), *have = json_object();
    int rc = msql_int(st, &vni, 0, "SELECT vni FROM networks WHERE id = ?",
                      "s", net);

    /* A deleted network keeps nothing. */
    if (rc > 0) {
        rc = add_flood(st, net, want);
        rc = rc ? rc : add_learned(st, net, want);
        rc = rc ? rc : add_remote(st, net, want);
    }
    rc = rc < 0 ? rc : read_current(st, net, have);
    rc = rc ? rc : write_diff(st, net, vni, want, have, rev, now);
    json_decref(want);
    json_decref(have);
    return rc;
}

/* Every network that has or may need entries. */
static int
mark_every(struct fdb *f, struct store *st)
{
    static const char *const sqls[] = {
        "SELECT DISTINCT network_id FROM connections",
        "SELECT DISTINCT network_id FROM fdb_entries WHERE deleted = 0",
    };
    int rc = 0;

    for (size_t i = 0; i < 2 && !rc; i++) {
        struct store_stmt *s;
        rc = msql_prepare(st, &s, sqls[i], "");
        while (!rc && (rc = store_step(s)) == 1) {
            fdb_mark(f, store_col_text(s, 0));
            rc = 0;
        }
    }
    return rc;
}

/* Drops tombstones older than FDB_KEEP_REVISIONS. */
static int
prune(struct store *st, long long rev)
{
    long long floor = rev - FDB_KEEP_REVISIONS;

    if (floor <= meta_int(st, "fdb_pruned_revision")) {
        return 0;
    }
    int rc = msql_run(st,
                      "DELETE FROM fdb_entries WHERE deleted = 1 AND "
                      "revision <= ?",
                      "i", floor);
    return rc < 0 ? rc : meta_set(st, "fdb_pruned_revision", floor);
}

int
fdb_flush(struct fdb *f, struct store *st)
{
    char now[32];
    const char *net;
    json_t *v;
    int rc;

    if (!f->all && !json_object_size(f->dirty)) {
        return 0;
    }
    if ((rc = msql_begin(st, "fdb export"))) {
        return rc;
    }
    if (f->all) {
        rc = mark_every(f, st);
    }
    long long rev = fdb_revision(st), start = rev;
    store_timestamp(now);
    json_object_foreach(f->dirty, net, v) {
        rc = rc ? rc : flush_network(st, net, &rev, now);
    }
    if (!rc && rev != start) {
        rc = meta_set(st, "fdb_revision", rev);
        rc = rc ? rc : prune(st, rev);
    }
    if (rc) {
        store_rollback(st);
        log_err("cannot update the overlay export: %s", strerror(-rc));
        return rc;
    }
    rc = msql_commit(st, "fdb export");
    if (!rc) {
        f->all = false;
        json_object_clear(f->dirty);
    }
    return rc;
}
