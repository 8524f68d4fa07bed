/* Verdicts of connections on a switch database after a pass (verdict.h). */
#include "manager/verdict.h"

#include <stdio.h>
#include <string.h>

#include "manager/db.h"
#include "manager/priv.h"
#include "manager/status.h"
#include "manager/track.h"
#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/session.h"
#include "vtep/names.h"
#include "vtep/reconcile.h"

#define LOG_MODULE "manager"
#include "lib/log.h"

/* Local/remote MAC conflicts named in a reason. */
#define VERDICT_MAX_CONFLICTS 3

/* Appends "; text" (or "text") to 'buf'. */
static void
add_reason(char *buf, size_t size, const char *text)
{
    size_t len = strlen(buf);

    if (!text || !*text || strstr(buf, text) || len + 3 >= size) {
        return;
    }
    snprintf(buf + len, size - len, "%s%s", len ? "; " : "", text);
}

/* The faults that switch 'ps' and its port 'port' report (not "UP", and
 * not unsupported_source_node_replication, which plan handles). */
static void
fault_reasons(const struct mdb *d, const char *ps, const char *port,
              char *buf, size_t size)
{
    const struct replica *r = session_replica(d->session);
    const struct replica_table *t = replica_table(r, VTEP_T_PS);
    char text[512];

    for (const struct replica_row *row = t ? replica_table_first(t) : NULL;
         row; row = replica_table_next(t, row)) {
        const char *name = datum_get_string(replica_row_get(row, VTEP_C_NAME));
        if (!name || strcmp(name, ps)) {
            continue;
        }
        const json_t *f = replica_row_get(row, VTEP_C_SWITCH_FAULT);
        for (size_t i = 0; i < datum_count(f); i++) {
            const char *s = json_string_value(datum_set_at(f, i));
            if (s && *s && strcmp(s, "UP")
                && strcmp(s, VTEP_FAULT_NO_SOURCE_NODE)) {
                snprintf(text, sizeof text, "switch %s reports fault %s", ps,
                         s);
                add_reason(buf, size, text);
            }
        }
        const json_t *ports = replica_row_get(row, VTEP_C_PORTS);
        for (size_t i = 0; i < datum_count(ports); i++) {
            const struct replica_row *p = replica_find(
                r, VTEP_T_PORT, datum_get_uuid(datum_set_at(ports, i)));
            const char *pn = p ? datum_get_string(replica_row_get(p, VTEP_C_NAME))
                               : NULL;
            if (!pn || strcmp(pn, port)) {
                continue;
            }
            const json_t *pf = replica_row_get(p, VTEP_C_PORT_FAULT);
            for (size_t j = 0; j < datum_count(pf); j++) {
                const char *s = json_string_value(datum_set_at(pf, j));
                if (s && *s && strcmp(s, "UP")) {
                    snprintf(text, sizeof text,
                             "port %s of switch %s reports fault %s", port,
                             ps, s);
                    add_reason(buf, size, text);
                }
            }
        }
    }
}

/* Why connection 'conn' of LS 'ls' is in error here ("" if it is not). */
static void
conn_reasons(const struct mdb *d, const struct vtep_ls *ls, const char *conn,
             const struct vtep_result *res, bool converged, char *buf,
             size_t size)
{
    char text[MDB_ERR_LEN + 128];

    buf[0] = '\0';
    for (size_t i = 0; i < res->n_problems; i++) {
        const struct vtep_problem *p = &res->problems[i];
        if (p->ls && !strcmp(p->ls, ls->name)
            && (!p->conn || !strcmp(p->conn, conn))) {
            add_reason(buf, size, p->reason);
        }
    }
    add_reason(buf, size, json_string_value(json_object_get(
                              json_object_get(d->plan_problems, conn),
                              "reason")));
    for (size_t i = 0; i < ls->n_bindings; i++) {
        if (!strcmp(ls->bindings[i].conn, conn)) {
            fault_reasons(d, ls->bindings[i].ps, ls->bindings[i].port, buf,
                          size);
        }
    }
    const json_t *q = json_object_get(d->quarantine, ls->name);
    int fails = (int) json_integer_value(json_object_get(q, "fails"));
    if (!converged && fails >= MDB_FAIL_LIMIT) {
        snprintf(text, sizeof text,
                 "switch database %s rejected %d transactions for this "
                 "network: %s",
                 d->name, fails,
                 json_string_value(json_object_get(q, "error")));
        add_reason(buf, size, text);
    }
    if (!converged && d->failures >= MDB_FAIL_LIMIT) {
        snprintf(text, sizeof text,
                 "switch database %s rejected %d transactions: %s", d->name,
                 d->failures, d->last_error);
        add_reason(buf, size, text);
    }
    if (!converged && d->stuck[0]) {
        add_reason(buf, size, d->stuck);
    }
}

/* The desired remote MACs of 'ls' that the switch also learned locally,
 * as a reason ("" when none); each is logged once. */
static void
local_conflicts(struct mdb *d, const struct vtep_ls *ls, char *buf,
                size_t size)
{
    size_t n = 0, len = 0;
    char key[320];

    buf[0] = '\0';
    for (size_t i = 0; i < ls->n_macs; i++) {
        const struct vtep_mac *m = &ls->macs[i];
        if (!track_local_mac(d, ls->name, m->mac)) {
            continue;
        }
        snprintf(key, sizeof key, "%s|%s", ls->name, m->mac);
        if (!mset_has(d->conflicts_logged, key)) {
            mset_add(d->conflicts_logged, key);
            log_warn("switch database %s: MAC %s of %s is also learned on a "
                     "physical port in network %s; the remote row stays",
                     d->name, m->mac, m->owner, ls->name);
        }
        if (n++ < VERDICT_MAX_CONFLICTS && len + 100 < size) {
            len += (size_t) snprintf(buf + len, size - len,
                                     "%sMAC %s of %s is also learned on a "
                                     "physical port of the switch",
                                     len ? "; " : "", m->mac, m->owner);
        }
    }
    if (n > VERDICT_MAX_CONFLICTS && len + 40 < size) {
        snprintf(buf + len, size - len, " (and %zu more)",
                 n - VERDICT_MAX_CONFLICTS);
    }
}

/* Sets the verdicts of the connections of the LSs of 'view'. */
void
verdict_set(struct mdb *d, const struct vtep_desired *view,
             const json_t *scope, const struct vtep_result *res)
{
    json_t *keep = json_object();
    char reason[STATUS_REASON_MAX], conflicts[STATUS_REASON_MAX / 2];

    for (size_t i = 0; i < view->n_ls; i++) {
        const struct vtep_ls *ls = &view->ls[i];
        bool conv = i < res->n_ls && res->ls_converged[i];
        local_conflicts(d, ls, conflicts, sizeof conflicts);
        for (size_t j = 0; j < ls->n_conns; j++) {
            conn_reasons(d, ls, ls->conns[j], res, conv, reason,
                         sizeof reason);
            add_reason(reason, sizeof reason, conflicts);
            status_set_verdict(d, ls->conns[j], ls->name,
                               reason[0] ? "error" : conv ? "ok" : "pending",
                               reason);
            mset_add(keep, ls->conns[j]);
        }
    }
    status_drop_verdicts(d, scope, keep);
    json_decref(keep);
}

