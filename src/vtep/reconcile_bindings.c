/* Physical_Port.vlan_bindings for vtep_reconcile().
 *
 * A binding is added with mutate "insert" of the pair [vlan, LS]; ours
 * that are no longer desired are removed with mutate "delete" of the pair
 * [vlan, LS] (a map argument deletes a pair only while its key still maps
 * to that value, so a binding re-pointed by someone else meanwhile is left
 * alone).  "insert" of a key that maps elsewhere changes nothing, so a
 * re-point from one of our LSs is the delete and the insert in one mutate
 * operation.  A (port, VLAN) bound to a foreign LS is a problem and is
 * never touched.  Bindings to our LSs are removed only on the ports l2gw
 * manages (opts->managed, and the ports of desired bindings); elsewhere
 * they are someone else's, and merely counted as references.  One mutate
 * per port and purpose.  See reconcile_priv.h. */
#include "vtep/reconcile_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "vtep/names.h"

/* Room for "<uuid>|<vlan>". */
#define BIND_KEY_LEN 64

static void
bind_key(char buf[BIND_KEY_LEN], const struct vrc_port *p, long long vlan)
{
    snprintf(buf, BIND_KEY_LEN, "%s|%lld", p->uuid, vlan);
}

/* Appends the pair [vlan, ref] (taking 'ref') to '*pairs'. */
static void
add_pair(struct vrc_ctx *c, json_t **pairs, long long vlan, json_t *ref)
{
    if (!*pairs) {
        *pairs = json_array();
    }
    json_t *pair = ref ? json_pack("[I,o]", (json_int_t)vlan, ref) : NULL;
    if (json_array_append_new(*pairs, pair)) { /* frees 'pair' on failure */
        c->err = -ENOMEM;
    }
}

/* The UUID of the LS that 'port' binds 'vlan' to (maybe in 'buf'), or
 * NULL. */
static const char *
bound_to(const struct vrc_port *port, int vlan, char buf[VRC_UUID_BUF])
{
    json_t *key = json_integer(vlan);
    const json_t *v = datum_map_get(
        replica_row_get(port->row, VTEP_C_VLAN_BINDINGS), key);

    json_decref(key);
    return v ? vrc_uuid(v, buf) : NULL;
}

/* Plans desired binding 'b' of 'd' on 'port'. */
static void
want_binding(struct vrc_ctx *c, struct vrc_dls *d, struct vrc_port *port,
             const struct vtep_binding *b)
{
    char buf[VRC_UUID_BUF];
    const char *cur = bound_to(port, b->vlan, buf);
    struct vrc_ls *other = cur ? vrc_ls_by_uuid(c, cur) : NULL;

    if (cur && d->have && !strcasecmp(cur, d->have->uuid)) {
        return; /* already there */
    }
    if (cur && !(other && other->owned)) {
        vrc_problem(c, d->want->name, b->conn,
                    "VLAN %d of port %s on %s is bound to Logical_Switch %s",
                    b->vlan, b->port, b->ps, other ? other->name : cur);
        return;
    }
    d->converged = false;
    if (other) {
        add_pair(c, &port->add_del, b->vlan, datum_uuid(other->uuid));
    }
    add_pair(c, &port->add_ins, b->vlan, vrc_dls_ref(d));
}

static int
cmp_binding_ptr(const void *a_, const void *b_)
{
    const struct vtep_binding *a = *(const struct vtep_binding *const *)a_;
    const struct vtep_binding *b = *(const struct vtep_binding *const *)b_;
    int r = strcmp(a->ps, b->ps);

    if (!r) {
        r = strcmp(a->port, b->port);
    }
    if (!r) {
        r = (a->vlan > b->vlan) - (a->vlan < b->vlan);
    }
    return r ? r : strcmp(a->conn, b->conn);
}

/* Claims (port, vlan) for 'd'; false (with a problem when another LS
 * claimed it first) if it was claimed already. */
static bool
claim(struct vrc_ctx *c, struct vrc_dls *d, struct vrc_port *port,
      const struct vtep_binding *b)
{
    char key[BIND_KEY_LEN];

    bind_key(key, port, b->vlan);
    struct vrc_dls *prev = vrc_map_get(&c->want_bind, key);
    if (prev) {
        if (prev != d) {
            vrc_problem(c, d->want->name, b->conn,
                        "VLAN %d of port %s on %s is wanted by "
                        "Logical_Switch %s too", b->vlan, b->port, b->ps,
                        prev->want->name);
        }
        return false;
    }
    char *k = vrc_strdup(&c->arena, key);
    if (!k || vrc_map_put(&c->arena, &c->want_bind, k, d)) {
        c->err = -ENOMEM;
        return false;
    }
    return true;
}

static void
want_bindings(struct vrc_ctx *c, struct vrc_dls *d)
{
    const struct vtep_ls *ls = d->want;
    const struct vtep_binding **b = malloc((ls->n_bindings + 1) * sizeof *b);

    if (!b) {
        c->err = -ENOMEM;
        return;
    }
    for (size_t i = 0; i < ls->n_bindings; i++) {
        b[i] = &ls->bindings[i];
    }
    vrc_sort(b, ls->n_bindings, sizeof *b, cmp_binding_ptr);
    for (size_t i = 0; i < ls->n_bindings && !c->err; i++) {
        struct vrc_port *port = vrc_port_find(c, b[i]->ps, b[i]->port);
        if (!port) {
            vrc_problem(c, ls->name, b[i]->conn,
                        "Physical_Port %s of switch %s not found",
                        b[i]->port, b[i]->ps);
        } else if (claim(c, d, port, b[i])) {
            want_binding(c, d, port, b[i]);
        }
    }
    free(b);
}

/* Counts the references of every binding of 'port' and plans the removal
 * of ours that nobody wants. */
static void
scan_port(struct vrc_ctx *c, struct vrc_port *port)
{
    const json_t *map = replica_row_get(port->row, VTEP_C_VLAN_BINDINGS);
    const json_t *k, *v;
    char key[BIND_KEY_LEN];

    for (size_t i = 0; datum_map_at(map, i, &k, &v) && !c->err; i++) {
        char buf[VRC_UUID_BUF];
        const char *u = vrc_uuid(v, buf);
        struct vrc_ls *ls = u ? vrc_ls_by_uuid(c, u) : NULL;
        if (!json_is_integer(k) || !u) {
            vrc_garbage(c, VTEP_T_PORT, port->uuid,
                        "vlan_bindings holds a malformed pair; ignored");
            continue;
        }
        if (!ls) {
            continue;
        }
        ls->n_refs++;
        bind_key(key, port, json_integer_value(k));
        if (port->managed && ls->owned && ls->in_scope &&
            !vrc_map_get(&c->want_bind, key)) {
            add_pair(c, &port->del, json_integer_value(k),
                     datum_uuid(ls->uuid));
        }
    }
}

/* [["vlan_bindings", mutator, ["map", pairs]]] appended to 'muts'
 * (taking 'pairs'). */
static void
add_mutation(struct vrc_ctx *c, json_t *muts, const char *mutator,
             json_t *pairs)
{
    json_t *m = json_pack("[s,s,[s,o]]", VTEP_C_VLAN_BINDINGS, mutator,
                          "map", pairs);

    if (json_array_append_new(muts, m)) { /* frees 'm' on failure */
        c->err = -ENOMEM;
    }
}

/* Plans the mutate operations of 'port'; hands its pair lists over. */
static void
plan_port(struct vrc_ctx *c, struct vrc_port *port)
{
    if (port->add_del || port->add_ins) {
        json_t *muts = json_array();
        if (port->add_del) {
            add_mutation(c, muts, "delete", port->add_del);
        }
        if (port->add_ins) {
            add_mutation(c, muts, "insert", port->add_ins);
        }
        vrc_group(c);
        vrc_op(c, PH_BINDINGS, OP_MUTATE, VTEP_T_PORT,
               vrc_where_uuid(port->uuid), muts, NULL);
    }
    if (port->del) {
        json_t *muts = json_array();
        add_mutation(c, muts, "delete", port->del);
        vrc_group(c);
        vrc_op(c, PH_DELETE, OP_MUTATE, VTEP_T_PORT,
               vrc_where_uuid(port->uuid), muts, NULL);
    }
    port->add_del = port->add_ins = port->del = NULL;
}

/* Marks the ports l2gw manages: those of opts->managed (every port when
 * it is NULL) and those of every desired binding. */
static void
mark_managed(struct vrc_ctx *c)
{
    const struct vtep_options *o = c->opts;
    struct vrc_port *p;

    for (size_t i = 0; i < c->n_ports; i++) {
        c->ports[i]->managed = !o->managed;
    }
    for (size_t i = 0; o->managed && i < o->n_managed; i++) {
        p = vrc_port_find(c, o->managed[i].ps, o->managed[i].port);
        if (p) {
            p->managed = true;
        }
    }
    for (size_t i = 0; i < c->desired->n_ls; i++) {
        const struct vtep_ls *ls = &c->desired->ls[i];
        for (size_t j = 0; j < ls->n_bindings; j++) {
            p = vrc_port_find(c, ls->bindings[j].ps, ls->bindings[j].port);
            if (p) {
                p->managed = true;
            }
        }
    }
}

void
vrc_plan_bindings(struct vrc_ctx *c)
{
    mark_managed(c);
    for (size_t i = 0; i < c->desired->n_ls && !c->err; i++) {
        struct vrc_dls *d = &c->dls[i];
        if (d->state != DLS_BLOCKED) {
            want_bindings(c, d);
        }
    }
    for (size_t i = 0; i < c->n_ports && !c->err; i++) {
        scan_port(c, c->ports[i]);
    }
    for (size_t i = 0; i < c->n_ports; i++) {
        plan_port(c, c->ports[i]);
    }
}
