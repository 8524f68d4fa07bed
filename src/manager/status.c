/* Connection status from the databases' verdicts (status.h). */
#include "manager/status.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "manager/db.h"
#include "manager/priv.h"
#include "manager/sql.h"
#include "store/store.h"

#define LOG_MODULE "status"
#include "lib/log.h"

void
status_set_verdict(struct mdb *d, const char *conn, const char *ls,
                   const char *state, const char *reason)
{
    json_t *old = json_object_get(d->verdicts, conn);
    const char *os = json_string_value(json_object_get(old, "state"));
    const char *orsn = json_string_value(json_object_get(old, "reason"));

    if (os && !strcmp(os, state) && orsn && !strcmp(orsn, reason)) {
        return;
    }
    json_object_set_new(d->verdicts, conn,
                        json_pack("{s:s, s:s, s:s}", "ls", ls, "state", state,
                                  "reason", reason));
    manager_status_dirty(d->m, conn);
}

void
status_drop_verdicts(struct mdb *d, const json_t *scope, const json_t *keep)
{
    const char *conn;
    json_t *v, *tmp;

    json_object_foreach_safe(d->verdicts, tmp, conn, v) {
        const char *ls = json_string_value(json_object_get(v, "ls"));
        if ((!scope || mset_has(scope, ls)) && !mset_has(keep, conn)) {
            manager_status_dirty(d->m, conn);
            json_object_del(d->verdicts, conn);
        }
    }
}

/* What the evaluation of one connection finds. */
struct eval {
    char reason[STATUS_REASON_MAX];
    bool error, disconnected, pending;
};

static void
add_reason(struct eval *e, const char *text)
{
    size_t len = strlen(e->reason);

    e->error = true;
    if (!text || !*text || strstr(e->reason, text)
        || len + 3 >= sizeof e->reason) {
        return;
    }
    snprintf(e->reason + len, sizeof e->reason - len, "%s%s",
             len ? "; " : "", text);
}

static void
eval_state(const char *state, const char *reason, struct eval *e)
{
    if (!state || !strcmp(state, "pending")) {
        e->pending = true;
    } else if (!strcmp(state, "error")) {
        add_reason(e, reason);
    }
}

static void write_verdict(struct manager *m, const char *conn,
                          const struct mdb *d, const char *state,
                          const char *reason);

/* Several nodes: what database 'db', served by another node, says about
 * 'conn' (its verdict row, and whether that node has it connected). */
static void
eval_remote_db(struct manager *m, const char *conn, const char *db,
               struct eval *e)
{
    char state[16] = "", reason[STATUS_REASON_MAX] = "";
    long long up = 0;

    if (msql_int(m->st, &up, 0,
                 "SELECT COUNT(*) FROM switches WHERE ovsdb_identifier = ? "
                 "AND connected = 1",
                 "s", db) < 0
        || !up) {
        e->disconnected = true;
        return;
    }
    int rc = msql_text(m->st, state, sizeof state,
                       "SELECT state FROM connection_verdicts WHERE "
                       "connection_id = ? AND ovsdb_identifier = ?",
                       "ss", conn, db);
    if (rc > 0) {
        msql_text(m->st, reason, sizeof reason,
                  "SELECT reason FROM connection_verdicts WHERE "
                  "connection_id = ? AND ovsdb_identifier = ?",
                  "ss", conn, db);
    }
    eval_state(rc > 0 ? state : NULL, reason, e);
}

/* What database 'db' says about connection 'conn'. */
static void
eval_db(struct manager *m, const char *conn, const char *db, struct eval *e)
{
    struct mdb *d = manager_find_db(m, db);

    if (!d && m->cluster) {
        eval_remote_db(m, conn, db, e);
        return;
    }
    if (!d || !d->connected) {
        e->disconnected = true;
        return;
    }
    json_t *v = json_object_get(d->verdicts, conn);
    const char *state = json_string_value(json_object_get(v, "state"));
    const char *reason = json_string_value(json_object_get(v, "reason"));
    if (m->cluster) {
        write_verdict(m, conn, d, state, reason);
    }
    eval_state(state, reason, e);
}

/* Several nodes: records what local database 'd' says about 'conn' (NULL
 * state: nothing yet), for the other nodes' eval_remote_db(). */
static void
write_verdict(struct manager *m, const char *conn, const struct mdb *d,
              const char *state, const char *reason)
{
    int rc;

    if (!state) {
        rc = msql_run(m->st,
                      "DELETE FROM connection_verdicts WHERE connection_id = "
                      "? AND ovsdb_identifier = ?",
                      "ss", conn, d->name);
    } else {
        rc = msql_run(m->st,
                      "INSERT INTO connection_verdicts (connection_id, "
                      "ovsdb_identifier, state, reason) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (connection_id, ovsdb_identifier) DO "
                      "UPDATE SET state = excluded.state, reason = "
                      "excluded.reason",
                      "ssss", conn, d->name, state, reason ? reason : "");
    }
    if (rc < 0) {
        log_warn("cannot record the verdict of %s on %s", conn, d->name);
    }
}

#define DEVICES_SQL(table)                                                  \
    "SELECT d.device_name, s.ovsdb_identifier, s.name, (SELECT COUNT(*) "   \
    "FROM switches s2 WHERE s2.name = d.device_name) FROM " table " c "     \
    "JOIN gateway_devices d ON d.gateway_id = c.gateway_id LEFT JOIN "      \
    "switches s ON (s.name = d.device_name OR s.ovsdb_identifier || '/' || " \
    "s.name = d.device_name) WHERE c.id = ? ORDER BY d.position"

/* The two kinds of connection with a status: local connections, and
 * remote gateway connections (spec/border.md), which are served by the
 * devices of their local gateway like the local connection they extend. */
struct status_kind {
    const char *what;        /* for the log */
    const char *get_status;  /* SELECT status ... WHERE id = ? */
    const char *get_reason;
    const char *devices;     /* DEVICES_SQL */
    const char *update;      /* UPDATE ... status, status_reason, id */
};

static const struct status_kind kinds[] = {
    {"connection", "SELECT status FROM connections WHERE id = ?",
     "SELECT status_reason FROM connections WHERE id = ?",
     DEVICES_SQL("connections"),
     "UPDATE connections SET status = ?, status_reason = ? WHERE id = ?"},
    {"remote gateway connection",
     "SELECT status FROM remote_gateway_connections WHERE id = ?",
     "SELECT status_reason FROM remote_gateway_connections WHERE id = ?",
     DEVICES_SQL("remote_gateway_connections"),
     "UPDATE remote_gateway_connections SET status = ?, status_reason = ? "
     "WHERE id = ?"},
};

static int
evaluate(struct manager *m, const struct status_kind *k, const char *conn,
         struct eval *e)
{
    struct store_stmt *s;
    char text[512];
    int rc = msql_prepare(m->st, &s, k->devices, "s", conn);

    while (!rc && (rc = store_step(s)) == 1) {
        const char *dev = store_col_text(s, 0), *db = store_col_text(s, 1);
        const char *ps = store_col_text(s, 2);
        rc = 0;
        if (!db) {
            snprintf(text, sizeof text,
                     "L2 gateway device '%s' is not a known switch", dev);
            add_reason(e, text);
        } else if (!strcmp(dev, ps) && store_col_int(s, 3) > 1) {
            snprintf(text, sizeof text,
                     "L2 gateway device '%s' is ambiguous: several switch "
                     "databases report a switch of that name; name it as "
                     "<ovsdb_identifier>/%s",
                     dev, dev);
            add_reason(e, text);
        } else {
            eval_db(m, conn, db, e);
        }
    }
    return rc;
}

/* Recomputes and, when it changed, writes the status of 'conn' (a
 * connection or a remote gateway connection). */
static int
update_one(struct manager *m, const char *conn)
{
    struct eval e = {.reason = ""};
    char cur[32], cur_reason[STATUS_REASON_MAX];
    const struct status_kind *k = &kinds[0];
    int rc = msql_text(m->st, cur, sizeof cur, k->get_status, "s", conn);

    if (!rc) {
        k = &kinds[1];
        rc = msql_text(m->st, cur, sizeof cur, k->get_status, "s", conn);
    }
    if (rc <= 0) { /* deleted meanwhile */
        if (!rc && m->cluster) {
            rc = msql_run(m->st, "DELETE FROM connection_verdicts WHERE "
                                 "connection_id = ?", "s", conn);
        }
        return rc < 0 ? rc : 0;
    }

    msql_text(m->st, cur_reason, sizeof cur_reason, k->get_reason, "s", conn);
    if ((rc = evaluate(m, k, conn, &e))) {
        return rc;
    }
    const char *status = STATUS_ACTIVE;
    if (e.error) {
        status = STATUS_ERROR;
    } else if (e.disconnected || (e.pending && strcmp(cur, STATUS_ACTIVE))) {
        status = STATUS_PENDING;
    }
    const char *reason = e.error ? e.reason : "";
    if (!strcmp(status, cur) && !strcmp(reason, cur_reason)) {
        return 0;
    }
    log_info("%s %s: %s%s%s", k->what, conn, status, *reason ? ": " : "",
             reason);
    rc = msql_run(m->st, k->update, "sss", status, reason, conn);
    return rc < 0 ? rc : 0;
}

/* Adds every connection id to the dirty set. */
static void
mark_every(struct manager *m)
{
    struct store_stmt *s;
    int rc = msql_prepare(m->st, &s,
                          "SELECT id FROM connections UNION ALL SELECT id "
                          "FROM remote_gateway_connections",
                          "");

    while (!rc && (rc = store_step(s)) == 1) {
        mset_add(m->status_dirty, store_col_text(s, 0));
        rc = 0;
    }
}

void
status_flush(struct manager *m)
{
    const char *conn;
    json_t *v;
    int rc = 0;

    if (m->status_all) {
        m->status_all = false;
        mark_every(m);
    }
    if (!json_object_size(m->status_dirty)
        || msql_begin(m->st, "connection status")) {
        return;
    }
    json_object_foreach(m->status_dirty, conn, v) {
        if (!rc) {
            rc = update_one(m, conn);
        }
    }
    if (rc) {
        store_rollback(m->st);
        log_err("cannot write connection status; retrying later");
        return;
    }
    if (!msql_commit(m->st, "connection status")) {
        json_object_clear(m->status_dirty);
    }
}
