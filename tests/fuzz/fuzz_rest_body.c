/* libFuzzer target: arbitrary bytes as the body of a POST and of a PUT,
 * through the API's validation (api/neutron.c) against a resource table
 * holding every attribute kind; the same bytes as a query string of a list
 * request; and, when they are JSON, through the response serialiser, whose
 * output must read back equal.  Must not crash, leak or read out of
 * bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "api/jsonout.h"
#include "api/neutron.h"

static const struct api_attr attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", API_A_POST | API_A_PUT, API_T_STRING, "name", STORE_TEXT},
    {"size", API_A_POST | API_A_PUT, API_T_INT, "size", STORE_INT},
    {"up", API_A_POST | API_A_PUT, API_T_BOOL, "up", STORE_BOOL},
    {"network_id", API_A_POST | API_A_REQUIRED, API_T_UUID, "network_id",
     STORE_TEXT},
    {"devices", API_A_POST | API_A_PUT, API_T_ANY, NULL, STORE_TEXT},
    {"status", 0, API_T_STRING, "status", STORE_TEXT},
    {"secret", API_A_POST | API_A_HIDDEN, API_T_STRING, "secret", STORE_TEXT},
    {"note", API_A_POST | API_A_PUT | API_A_NULL, API_T_STRING, NULL,
     STORE_TEXT},
};

static int
no_bulk(struct api_ctx *ctx, json_t *items, json_t **out,
        struct core_err *err)
{
    return -1;
}

static const struct api_resource res = {
    .path = "things",
    .member = "thing",
    .collection = "things",
    .table = "things",
    .attrs = attrs,
    .n_attrs = sizeof attrs / sizeof *attrs,
    .has_project = true,
    .allow_bulk = true,
    .create_bulk = no_bulk,
};

static void
check_body(const uint8_t *data, size_t size, enum neutron_op op,
           const struct api_caller *caller)
{
    struct core_err err = {CE_NONE, ""};
    json_t *out = NULL;
    bool bulk;

    if (!neutron_parse_body(&res, op, (const char *)data, size, caller, &out,
                            &bulk, &err)) {
        neutron_render_row(&res, bulk ? json_array_get(out, 0) : out);
    } else if (out || err.code == CE_NONE) {
        abort();   /* a failure must say why and return nothing */
    }
    json_decref(out);
}

static void
check_query(const uint8_t *data, size_t size,
            const struct api_caller *caller)
{
    char *qs = malloc(size + 1);
    struct core_err err = {CE_NONE, ""};
    struct neutron_list l;

    if (!qs) {
        return;
    }
    memcpy(qs, data, size);
    qs[size] = '\0';
    json_t *query = http_parse_query(qs);
    if (query) {
        neutron_list_parse(&res, query, caller, &l, &err);
        json_t *rows = json_pack("[{s:s}]", "id", "x");
        json_t *links = neutron_links(&l, query, "http://h/v2.0/things", rows,
                                      true);
        neutron_apply_fields(json_array_get(rows, 0), l.fields);
        json_decref(links);
        json_decref(rows);
        neutron_list_destroy(&l);
        json_decref(query);
    }
    free(qs);
}

static void
check_serialiser(const uint8_t *data, size_t size)
{
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    size_t len;

    if (!v) {
        return;
    }
    char *s = jsonout_dump(v, &len);
    json_t *back = s ? json_loadb(s, len, JSON_DECODE_ANY, NULL) : NULL;
    if (s && !json_equal(v, back)) {
        abort();
    }
    json_decref(back);
    free(s);
    json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct api_caller admin = {"admin", true};
    static const struct api_caller member = {"p1", false};

    check_body(data, size, NEUTRON_CREATE, &admin);
    check_body(data, size, NEUTRON_UPDATE, &member);
    check_query(data, size, size % 2 ? &admin : &member);
    check_serialiser(data, size);
    return 0;
}
