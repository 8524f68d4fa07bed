/* libFuzzer target: arbitrary JSON applied as monitor <table-updates> to
 * a replica restricted to the hardware_vtep schema, with natural-key
 * indexes and change tracking (src/ovsdb/replica.c, datum.c).  The input
 * is applied twice over a small initial state, then every row is read
 * back through the indexes and the change lists. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ovsdb/datum.h"
#include "ovsdb/replica.h"
#include "ovsdb/schema.h"

#define VTEP_SCHEMA "/usr/share/openvswitch/vtep.ovsschema"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct schema *vtep;
static json_t *initial;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[SCHEMA_ERR_LEN];

    (void)argc;
    (void)argv;
    if (schema_load_file(VTEP_SCHEMA, &vtep, err)) {
        abort();
    }
    initial = json_loads(
        "{\"Logical_Switch\":{\"11111111-1111-4111-8111-111111111111\":"
        "{\"new\":{\"name\":\"n1\",\"tunnel_key\":1}}},"
        "\"Physical_Locator\":{\"22222222-2222-4222-8222-222222222222\":"
        "{\"new\":{\"encapsulation_type\":\"vxlan_over_ipv4\","
        "\"dst_ip\":\"10.0.0.1\",\"tunnel_key\":[\"set\",[]]}}}}",
        0, NULL);
    return initial ? 0 : -1;
}

/* Reads every row of every table, as an owner would. */
static void
walk(struct replica *r, struct replica_index *by_key)
{
    for (size_t i = 0; i < replica_n_tables(r); i++) {
        struct replica_table *t = replica_table_at(r, i);
        for (const struct replica_row *row = replica_table_first(t); row;
             row = replica_table_next(t, row)) {
            const json_t *key[3] = {replica_row_get(row, "encapsulation_type"),
                                    replica_row_get(row, "dst_ip"),
                                    replica_row_get(row, "tunnel_key")};
            const struct replica_row *found[4];
            replica_index_find(by_key, key, found, 4);
            datum_get_uuid(replica_row_get(row, "locator"));
            datum_hash(replica_row_get(row, "name"), 0);
        }
        for (const struct replica_row *row = replica_table_changed_first(t);
             row; row = replica_table_changed_next(row)) {
            replica_row_get(row, "name");
        }
        replica_table_forget_changes(t);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *update = json_loadb((const char *)data, size, JSON_DECODE_ANY,
                                NULL);
    const char *pl_cols[] = {"encapsulation_type", "dst_ip", "tunnel_key"};
    const char *name[] = {"name"};
    struct replica_index *by_key, *by_name;

    if (!update) {
        return 0;
    }
    struct replica *r = replica_create();
    replica_set_schema(r, vtep);
    replica_add_index(r, "Physical_Locator", pl_cols, 3, &by_key);
    replica_add_index(r, "Logical_Switch", name, 1, &by_name);
    replica_table_track(replica_add_table(r, "Logical_Switch"), true);
    replica_table_track(replica_add_table(r, "Ucast_Macs_Remote"), true);
    replica_apply(r, initial);
    replica_apply(r, update);
    replica_apply(r, update);
    walk(r, by_key);
    replica_clear(r);
    replica_apply(r, update);
    walk(r, by_key);
    replica_destroy(r);
    json_decref(update);
    return 0;
}
