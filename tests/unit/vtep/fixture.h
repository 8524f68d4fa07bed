/* Test fixture of the vtep unit tests: a replica built from
 * <table-updates>, a desired state, options, a reconcile run, assertions on
 * the exact operations, and a small executor that applies a produced
 * transaction to the replica the way ovsdb-server would (named UUIDs,
 * mutate on maps, the locator index, referential integrity of
 * Logical_Switch deletions, garbage collection of unreferenced locators
 * and locator sets), failing the test on anything the server would
 * reject or silently drop.
 *
 * JSON in tests is written with single quotes ('x') that the fixture turns
 * into double quotes. */
#ifndef L2GW_TEST_VTEP_FIXTURE_H
#define L2GW_TEST_VTEP_FIXTURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "vtep/desired.h"
#include "vtep/reconcile.h"

struct replica;

#define FX_OWNER "deploy-1"
#define FX_MAX_OWNED 16

/* Well-formed UUIDs for rows: U(01) ... */
#define U(N) "00000000-0000-4000-8000-0000000000" #N

struct fx {
    struct replica *r;
    struct vtep_desired d;
    struct vtep_options o;
    const char *owned[FX_MAX_OWNED];
    size_t n_owned;
    char *owned_copies[FX_MAX_OWNED]; /* names recorded by fx_record() */
    struct vtep_result res;
    unsigned next_uuid; /* for rows inserted by fx_exec() */
};

/* Opts: database hardware_vtep, owner FX_OWNER, adopt, owner_mark and
 * replication_mode on, default max_ops. */
void fx_init(struct fx *f);
void fx_destroy(struct fx *f);

/* Parses single-quoted JSON (fails the test if invalid).  New ref. */
json_t *fx_json(const char *sq);

/* Applies single-quoted <table-updates>. */
void fx_apply(struct fx *f, const char *sq);

/* Row helpers (insert or replace a row). */
void fx_ls(struct fx *f, const char *uuid, const char *name, long long key,
           const char *mark);
void fx_loc(struct fx *f, const char *uuid, const char *ip, long long key);
void fx_ucast(struct fx *f, const char *uuid, const char *ls,
              const char *mac, const char *ip, const char *loc);
void fx_local(struct fx *f, const char *uuid, const char *ls,
              const char *mac, const char *loc);
void fx_set(struct fx *f, const char *uuid, const char *loc1,
            const char *loc2);
void fx_mcast(struct fx *f, const char *uuid, const char *ls,
              const char *mac, const char *set);
/* A switch 'ps' with ports 'p1' (uuid u1) and optional 'p2' (u2); the
 * ports' vlan_bindings are empty. */
void fx_switch(struct fx *f, const char *ps_uuid, const char *ps,
               const char *u1, const char *p1, const char *u2,
               const char *p2);
/* Sets port 'uuid's vlan_bindings to single-quoted map 'map_sq'. */
void fx_bindings(struct fx *f, const char *uuid, const char *map_sq);
void fx_delete(struct fx *f, const char *table, const char *uuid);

/* Desired-state helpers. */
struct vtep_ls *fx_want_ls(struct fx *f, const char *name, long long key);
void fx_want_mac(struct vtep_ls *ls, const char *mac, const char *ip,
                 const char *loc_ip, long long loc_key, const char *owner,
                 long long rank);
void fx_want_flood(struct vtep_ls *ls, const char *ip, long long key);
void fx_want_binding(struct vtep_ls *ls, const char *ps, const char *port,
                     int vlan, const char *conn);

void fx_own(struct fx *f, const char *name);

/* Runs vtep_reconcile() into f->res (freeing the previous result);
 * asserts it returns 0.  Runs it a second time and asserts that the
 * result is the same (the function is pure). */
void fx_run(struct fx *f);

/* The operations of f->res.txn (without the database name) as a new
 * array; [] when there is no txn. */
json_t *fx_ops(const struct fx *f);

/* Asserts that the operations equal single-quoted array 'sq' (printing
 * both on mismatch). */
void fx_assert_ops(const struct fx *f, const char *sq);

/* Asserts that the txn is well formed: every named-uuid is defined by an
 * earlier insert of the same txn, and every uuid-name is used exactly
 * once as a name. */
void fx_check_refs(const struct fx *f);

/* Applies f->res.txn to the replica as ovsdb-server would (see the file
 * comment), failing the test on a violation. */
void fx_exec(struct fx *f);

/* Does what the manager does with a result: adds res.record to the owned
 * list and drops res.forget from it. */
void fx_record(struct fx *f);

/* Runs, records and executes until a run produces no operations (at most
 * 'max_passes'); returns the number of passes that sent something. */
int fx_converge(struct fx *f, int max_passes);

/* Counting and finding rows. */
size_t fx_count(const struct fx *f, const char *table);
/* Rows of 'table' whose 'column' equals single-quoted 'value_sq'. */
size_t fx_count_where(const struct fx *f, const char *table,
                      const char *column, const char *value_sq);

/* The problem reasons joined with "\n" (static buffer). */
const char *fx_problems(const struct fx *f);

#endif
