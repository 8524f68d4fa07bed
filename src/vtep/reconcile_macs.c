/* Remote MAC rows of vtep_reconcile(): Ucast_Macs_Remote diffed as a
 * multimap on canonical (MAC, LS), the unknown-dst Mcast_Macs_Remote row
 * with its Physical_Locator_Set, and locator references.  See
 * reconcile_priv.h. */
#include "vtep/reconcile_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "vtep/canon.h"
#include "vtep/names.h"

/* ---- References ---- */

bool
vrc_loc_is_new(const struct vrc_loc *loc)
{
    return !loc->uuid && !loc->named;
}

/* Plans the insert of 'loc' in 'phase' (current group) under a new
 * uuid-name. */
static void
insert_locator(struct vrc_ctx *c, struct vrc_loc *loc, enum vrc_phase phase)
{
    const char *name = vrc_printf(&c->arena, "l2gw_loc%zu", c->n_loc_names++);
    json_t *row = json_pack("{s:s,s:s}", VTEP_C_ENCAP, VTEP_ENCAP_VXLAN,
                            VTEP_C_DST_IP, loc->ip);

    if (row && loc->key != VTEP_NO_KEY &&
        json_object_set_new(row, VTEP_C_TUNNEL_KEY, json_integer(loc->key))) {
        json_decref(row);
        row = NULL;
    }
    if (!name) {
        json_decref(row);
        row = NULL;
    }
    if (vrc_op(c, phase, OP_INSERT, VTEP_T_LOCATOR, NULL, row, name)) {
        loc->named = name;
    }
}

json_t *
vrc_loc_ref(struct vrc_ctx *c, struct vrc_loc *loc, enum vrc_phase phase)
{
    if (vrc_loc_is_new(loc)) {
        insert_locator(c, loc, phase);
    }
    if (loc->uuid) {
        return datum_uuid(loc->uuid);
    }
    return loc->named ? datum_named_uuid(loc->named) : NULL;
}

json_t *
vrc_dls_ref(const struct vrc_dls *d)
{
    return d->have ? datum_uuid(d->have->uuid) : datum_named_uuid(d->named);
}

/* ---- Ucast_Macs_Remote ---- */

/* An existing row of the LS with the value of its MAC. */
struct ucast_entry {
    uint64_t mac;
    const struct replica_row *row;
};

static int
cmp_entry(const void *a_, const void *b_)
{
    const struct ucast_entry *a = a_, *b = b_;

    if (a->mac != b->mac) {
        return a->mac < b->mac ? -1 : 1;
    }
    return strcmp(replica_row_uuid(a->row), replica_row_uuid(b->row));
}

/* The value of a canonical desired MAC. */
static uint64_t
mac_value(const struct vtep_mac *m)
{
    uint64_t v = 0;

    canon_mac_value(m->mac, &v);
    return v;
}

static int
cmp_mac_ptr(const void *a, const void *b)
{
    return vtep_mac_cmp(*(const struct vtep_mac *const *)a,
                        *(const struct vtep_mac *const *)b);
}

/* Reports the claims of 'm' that lose against 'winner'. */
static void
report_loser(struct vrc_ctx *c, const struct vtep_ls *ls,
             const struct vtep_mac *winner, const struct vtep_mac *m,
             const struct vtep_mac *prev)
{
    if (!strcmp(m->owner, winner->owner) ||
        (prev != winner && !strcmp(m->owner, prev->owner))) {
        return; /* the same claim twice */
    }
    vrc_problem(c, ls->name, NULL,
                "MAC %s is claimed by %s and by %s; %s keeps it", m->mac,
                winner->owner, m->owner, winner->owner);
}

/* The winning claim of every desired MAC, sorted by MAC, into '*out'
 * (malloc'd); returns how many. */
static size_t
pick_winners(struct vrc_ctx *c, const struct vtep_ls *ls,
             const struct vtep_mac ***out)
{
    const struct vtep_mac **all = malloc((ls->n_macs + 1) * sizeof *all);
    size_t n = 0;

    *out = all;
    if (!all) {
        c->err = -ENOMEM;
        return 0;
    }
    for (size_t i = 0; i < ls->n_macs; i++) {
        all[i] = &ls->macs[i];
    }
    vrc_sort(all, ls->n_macs, sizeof *all, cmp_mac_ptr);
    for (size_t i = 0; i < ls->n_macs; i++) {
        if (n && !strcmp(all[n - 1]->mac, all[i]->mac)) {
            report_loser(c, ls, all[n - 1], all[i], all[i - 1]);
        } else {
            all[n++] = all[i];
        }
    }
    return n;
}

/* The rows of 'd' in canonical MAC order into '*out' (malloc'd); rows
 * whose MAC does not parse are deleted.  Returns how many. */
static size_t
existing_rows(struct vrc_ctx *c, const struct vrc_dls *d,
              struct ucast_entry **out)
{
    const struct vrc_vec *rows = d->have ? &d->have->ucast : NULL;
    size_t n_rows = rows ? rows->n : 0, n = 0;
    struct ucast_entry *e = malloc((n_rows + 1) * sizeof *e);

    *out = e;
    if (!e) {
        c->err = -ENOMEM;
        return 0;
    }
    for (size_t i = 0; i < n_rows; i++) {
        const struct replica_row *row = rows->items[i];
        const json_t *v = replica_row_get_at(row, c->ucast.mac);
        const char *mac = json_is_string(v) ? json_string_value(v)
                                            : datum_get_string(v);
        if (canon_mac_value(mac, &e[n].mac)) {
            vrc_garbage(c, VTEP_T_UCAST_REMOTE, replica_row_uuid(row),
                        "MAC is not a MAC address; deleting it from our "
                        "Logical_Switch");
            vrc_delete_row(c, VTEP_T_UCAST_REMOTE, replica_row_uuid(row));
            continue;
        }
        e[n++].row = row;
    }
    vrc_sort(e, n, sizeof *e, cmp_entry);
    return n;
}

static bool
ipaddr_equal(const struct vrc_ctx *c, const struct replica_row *row,
             const char *want)
{
    const json_t *v = replica_row_get_at(row, c->ucast.ipaddr);
    const char *ip = v ? json_string_value(v) : "";

    if (!ip) {
        ip = datum_get_string(v); /* a set of one string, unusual */
    }
    if (ip && !strcmp(ip, want)) {
        return true;
    }
    return ip && canon_ip_equal(ip, want);
}

static bool
locator_equal(struct vrc_ctx *c, const struct replica_row *row,
              const struct vrc_loc *loc)
{
    const json_t *ref = replica_row_get_at(row, c->ucast.locator);

    return ref && vrc_loc_of_ref(c, ref) == loc;
}

/* Sets column 'key' of 'obj' to 'value' (taken); a NULL 'obj' or 'value'
 * (out of memory) sets ctx->err. */
static void
set_col(struct vrc_ctx *c, json_t *obj, const char *key, json_t *value)
{
    if (!obj) {
        json_decref(value);
        c->err = -ENOMEM;
    } else if (json_object_set_new(obj, key, value)) { /* frees 'value' */
        c->err = -ENOMEM;
    }
}

/* Plans the insert of 'w' into 'd', or, with 'row', the update of that
 * row's ipaddr and locator to those of 'w'. */
static void
write_mac(struct vrc_ctx *c, struct vrc_dls *d, const struct vtep_mac *w,
          struct vrc_loc *loc, const struct replica_row *row)
{
    bool need_loc = !row || !locator_equal(c, row, loc);
    enum vrc_phase ph = need_loc && vrc_loc_is_new(loc) ? PH_LOC_MACS
                                                        : PH_MACS;
    json_t *cols = json_object();

    d->converged = false;
    vrc_group(c);
    if (need_loc) {
        set_col(c, cols, VTEP_C_LOCATOR, vrc_loc_ref(c, loc, ph));
    }
    if (!row || !ipaddr_equal(c, row, w->ip)) {
        set_col(c, cols, VTEP_C_IPADDR, json_string(w->ip));
    }
    if (!row) {
        set_col(c, cols, VTEP_C_MAC, json_string(w->mac));
        set_col(c, cols, VTEP_C_LOGICAL_SWITCH, vrc_dls_ref(d));
        vrc_op(c, ph, OP_INSERT, VTEP_T_UCAST_REMOTE, NULL, cols, NULL);
    } else {
        vrc_op(c, ph, OP_UPDATE, VTEP_T_UCAST_REMOTE,
               vrc_where_uuid(replica_row_uuid(row)), cols, NULL);
    }
}

/* Diffs desired MAC 'w' against the rows e[0..n) that carry its MAC: keeps
 * one (an equal row, else the first, updated), deletes the others, or
 * inserts a row when there is none. */
static void
diff_mac(struct vrc_ctx *c, struct vrc_dls *d, const struct vtep_mac *w,
         const struct ucast_entry *e, size_t n)
{
    struct vrc_loc *loc = vrc_loc_get(c, &w->loc);
    size_t keep = 0;
    bool equal = false;

    if (!loc) {
        return;
    }
    for (size_t i = 0; i < n && !equal; i++) {
        if (locator_equal(c, e[i].row, loc) &&
            ipaddr_equal(c, e[i].row, w->ip)) {
            keep = i;
            equal = true;
        }
    }
    if (!equal) {
        write_mac(c, d, w, loc, n ? e[0].row : NULL);
    }
    for (size_t i = 0; i < n; i++) {
        if (i != keep) {
            vrc_delete_row(c, VTEP_T_UCAST_REMOTE, replica_row_uuid(e[i].row));
        }
    }
}

void
vrc_plan_ucast(struct vrc_ctx *c, struct vrc_dls *d)
{
    const struct vtep_mac **w;
    struct ucast_entry *e;
    size_t n_w = pick_winners(c, d->want, &w);
    size_t n_e = existing_rows(c, d, &e);
    size_t i = 0, j = 0;

    while ((i < n_w || j < n_e) && !c->err) {
        uint64_t want = i < n_w ? mac_value(w[i]) : 0;
        int r = i == n_w   ? 1
                : j == n_e ? -1
                           : (want > e[j].mac) - (want < e[j].mac);
        if (r > 0) { /* a MAC that is not desired */
            vrc_delete_row(c, VTEP_T_UCAST_REMOTE,
                           replica_row_uuid(e[j++].row));
            continue;
        }
        size_t k = j;
        while (r == 0 && k < n_e && e[k].mac == want) {
            k++;
        }
        diff_mac(c, d, w[i++], &e[j], k - j);
        j = k;
    }
    free(w);
    free(e);
}

/* ---- Mcast_Macs_Remote unknown-dst ---- */

static int
cmp_row_uuid(const void *a, const void *b)
{
    return strcmp(replica_row_uuid(*(const struct replica_row *const *)a),
                  replica_row_uuid(*(const struct replica_row *const *)b));
}

static int
cmp_loc_ptr(const void *a_, const void *b_)
{
    const struct vrc_loc *a = *(struct vrc_loc *const *)a_;
    const struct vrc_loc *b = *(struct vrc_loc *const *)b_;
    int r = strcmp(a->ip, b->ip);

    return r ? r : (a->key > b->key) - (a->key < b->key);
}

/* The distinct locators of the desired flood set, sorted, into '*out'
 * (malloc'd); returns how many. */
static size_t
flood_locs(struct vrc_ctx *c, const struct vtep_ls *ls, struct vrc_loc ***out)
{
    struct vrc_loc **locs = malloc((ls->n_flood + 1) * sizeof *locs);
    size_t n = 0;

    *out = locs;
    if (!locs) {
        c->err = -ENOMEM;
        return 0;
    }
    uint64_t s = ++c->stamp;
    for (size_t i = 0; i < ls->n_flood; i++) {
        struct vrc_loc *loc = vrc_loc_get(c, &ls->flood[i]);
        if (loc && loc->stamp != s) {
            loc->stamp = s;
            locs[n++] = loc;
        }
    }
    vrc_sort(locs, n, sizeof *locs, cmp_loc_ptr);
    return n;
}

/* True if the locator set of Mcast row 'row' holds exactly locs[0..n). */
static bool
set_matches(struct vrc_ctx *c, const struct replica_row *row,
            struct vrc_loc **locs, size_t n)
{
    char buf[VRC_UUID_BUF];
    const char *su = vrc_uuid(replica_row_get_at(row, c->mcast.locator_set),
                              buf);
    const struct replica_row *set = su ? replica_find(c->replica,
                                                      VTEP_T_LOCATOR_SET, su)
                                       : NULL;
    const json_t *members = set ? replica_row_get(set, VTEP_C_LOCATORS) : NULL;
    uint64_t want = ++c->stamp, seen = ++c->stamp;
    size_t found = 0;
    const json_t *m;

    for (size_t i = 0; i < n; i++) {
        locs[i]->stamp = want;
    }
    for (size_t i = 0; (m = datum_set_at(members, i)); i++) {
        struct vrc_loc *loc = vrc_loc_of_ref(c, m);
        if (!loc || (loc->stamp != want && loc->stamp != seen)) {
            return false;
        }
        found += loc->stamp == want;
        loc->stamp = seen;
    }
    return found == n;
}

/* The row {"locators": ["set", [refs of locs[0..n)]]} of a new set. */
static json_t *
set_row(struct vrc_ctx *c, struct vrc_loc **locs, size_t n)
{
    json_t *set = datum_set_new();
    json_t *row = json_object();

    for (size_t i = 0; i < n && set; i++) {
        if (datum_set_add(set, vrc_loc_ref(c, locs[i], PH_MCAST))) {
            json_decref(set);
            set = NULL;
        }
    }
    set_col(c, row, VTEP_C_LOCATORS, set);
    return row;
}

/* Plans a new locator set for locs[0..n) and points 'row' (or a new
 * unknown-dst row when NULL) at it, in one group. */
static void
write_mcast(struct vrc_ctx *c, struct vrc_dls *d, struct vrc_loc **locs,
            size_t n, const struct replica_row *row)
{
    const char *name = vrc_printf(&c->arena, "l2gw_set%zu", c->n_set_names++);
    json_t *cols = json_object();

    d->converged = false;
    vrc_group(c);
    vrc_op(c, PH_MCAST, OP_INSERT, VTEP_T_LOCATOR_SET, NULL,
           name ? set_row(c, locs, n) : NULL, name);
    set_col(c, cols, VTEP_C_LOCATOR_SET, name ? datum_named_uuid(name) : NULL);
    if (row) {
        vrc_op(c, PH_MCAST, OP_UPDATE, VTEP_T_MCAST_REMOTE,
               vrc_where_uuid(replica_row_uuid(row)), cols, NULL);
        return;
    }
    set_col(c, cols, VTEP_C_MAC, json_string(VTEP_UNKNOWN_DST));
    set_col(c, cols, VTEP_C_LOGICAL_SWITCH, vrc_dls_ref(d));
    vrc_op(c, PH_MCAST, OP_INSERT, VTEP_T_MCAST_REMOTE, NULL, cols, NULL);
}

static bool
is_unknown_dst(const struct vrc_ctx *c, const struct replica_row *row)
{
    const char *mac = datum_get_string(replica_row_get_at(row, c->mcast.mac));

    return mac && !strcasecmp(mac, VTEP_UNKNOWN_DST);
}

void
vrc_plan_mcast(struct vrc_ctx *c, struct vrc_dls *d)
{
    const struct vrc_vec *v = d->have ? &d->have->mcast : NULL;
    size_t n_rows = v ? v->n : 0, keep = SIZE_MAX, first = SIZE_MAX;
    const struct replica_row **rows = malloc((n_rows + 1) * sizeof *rows);
    struct vrc_loc **locs;
    size_t n = flood_locs(c, d->want, &locs);

    if (!rows || c->err) {
        c->err = -ENOMEM;
        goto out;
    }
    if (n_rows) {
        memcpy(rows, v->items, n_rows * sizeof *rows);
    }
    vrc_sort(rows, n_rows, sizeof *rows, cmp_row_uuid);
    for (size_t i = 0; i < n_rows && n; i++) {
        if (is_unknown_dst(c, rows[i])) {
            first = first == SIZE_MAX ? i : first;
            if (keep == SIZE_MAX && set_matches(c, rows[i], locs, n)) {
                keep = i;
            }
        }
    }
    if (n && keep == SIZE_MAX) {
        write_mcast(c, d, locs, n, first == SIZE_MAX ? NULL : rows[first]);
        keep = first;
    }
    for (size_t i = 0; i < n_rows; i++) {
        if (i != keep) {
            vrc_delete_row(c, VTEP_T_MCAST_REMOTE, replica_row_uuid(rows[i]));
        }
    }
out:
    free(rows);
    free(locs);
}
