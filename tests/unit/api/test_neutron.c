/* Unit tests of api/neutron.c: request bodies, list queries, rendering and
 * paging links, against a small fake resource. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "api/neutron.h"

#define UUID1 "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
#define UUID1_UPPER "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9"

static const struct api_attr thing_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"name", API_A_POST | API_A_PUT, API_T_STRING, "name", STORE_TEXT},
    {"size", API_A_POST | API_A_PUT, API_T_INT, "size", STORE_INT},
    {"enabled", API_A_POST | API_A_PUT, API_T_BOOL, "enabled", STORE_BOOL},
    {"network_id", API_A_POST | API_A_REQUIRED, API_T_UUID, "network_id",
     STORE_TEXT},
    {"devices", API_A_POST | API_A_PUT, API_T_ANY, NULL, STORE_TEXT},
    {"status", 0, API_T_STRING, "status", STORE_TEXT},
    {"secret", API_A_POST | API_A_HIDDEN, API_T_STRING, "secret", STORE_TEXT},
    {"note", API_A_POST | API_A_PUT | API_A_NULL, API_T_STRING, NULL,
     STORE_TEXT},
};

static int
fake_create(struct api_ctx *ctx, json_t *attrs, json_t **out,
            struct core_err *err)
{
    return -ENOSYS;
}

static int
fake_bulk(struct api_ctx *ctx, json_t *items, json_t **out,
          struct core_err *err)
{
    return -ENOSYS;
}

static const struct api_resource thing = {
    .path = "things",
    .member = "thing",
    .collection = "things",
    .table = "things",
    .attrs = thing_attrs,
    .n_attrs = sizeof thing_attrs / sizeof *thing_attrs,
    .has_project = true,
    .allow_bulk = true,
    .not_found = CE_NOT_FOUND,
    .not_found_fmt = "Thing %s could not be found",
    .create = fake_create,
    .create_bulk = fake_bulk,
};

static const struct api_caller admin = {"admin", true};
static const struct api_caller alice = {"alice", false};

/* Parses 'body' for 'op' as 'caller'; returns the result (or NULL) and
 * leaves the error in 'err'. */
static json_t *
parse(enum neutron_op op, const char *body, const struct api_caller *caller,
      struct core_err *err)
{
    json_t *out = NULL;
    bool bulk;

    memset(err, 0, sizeof *err);
    int rc = neutron_parse_body(&thing, op, body, strlen(body), caller, &out,
                                &bulk, err);
    if (rc) {
        assert_null(out);
        assert_int_equal(rc, -EINVAL);
        assert_int_not_equal(err->code, CE_NONE);
    }
    return out;
}

/* Asserts that 'body' fails for 'op' with 'code' and 'msg'. */
static void
expect_error(enum neutron_op op, const char *body, enum core_error code,
             const char *msg)
{
    struct core_err err;
    json_t *out = parse(op, body, &admin, &err);

    if (out) {
        char *s = json_dumps(out, 0);
        fail_msg("%s: accepted as %s", body, s);
    }
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, msg);
}

static void
test_body_envelope(void **state)
{
    expect_error(NEUTRON_CREATE, "", CE_BAD_REQUEST, "Resource body required");
    expect_error(NEUTRON_CREATE, "{}", CE_BAD_REQUEST,
                 "Resource body required");
    expect_error(NEUTRON_CREATE, "{\"thing\": ", CE_BAD_REQUEST,
                 "Body contains invalid data");
    expect_error(NEUTRON_CREATE, "[1]", CE_BAD_REQUEST,
                 "Body contains invalid data");
    expect_error(NEUTRON_CREATE, "\"x\"", CE_BAD_REQUEST,
                 "Body contains invalid data");
    expect_error(NEUTRON_CREATE, "{\"other\": {}}", CE_BAD_REQUEST,
                 "Unable to find 'thing' in request body");
    expect_error(NEUTRON_CREATE, "{\"thing\": null}", CE_BAD_REQUEST,
                 "Unable to find 'thing' in request body");
    expect_error(NEUTRON_UPDATE, "{\"thing\": 5}", CE_BAD_REQUEST,
                 "Object 'thing' contains invalid data");
}

static void
test_body_attributes(void **state)
{
    expect_error(NEUTRON_CREATE,
                 "{\"thing\": {\"foo\": 1, \"bar\": 2, \"network_id\": \""
                 UUID1 "\"}}",
                 CE_BAD_REQUEST, "Unrecognized attribute(s) 'bar, foo'");
    expect_error(NEUTRON_CREATE, "{\"thing\": {\"zz\": 1}}", CE_BAD_REQUEST,
                 "Unrecognized attribute(s) 'zz'");
    expect_error(NEUTRON_CREATE,
                 "{\"thing\": {\"id\": \"" UUID1 "\", \"network_id\": \""
                 UUID1 "\"}}",
                 CE_BAD_REQUEST, "Attribute 'id' not allowed in POST");
    expect_error(NEUTRON_CREATE,
                 "{\"thing\": {\"status\": \"UP\", \"network_id\": \"" UUID1
                 "\"}}",
                 CE_BAD_REQUEST, "Attribute 'status' not allowed in POST");
    expect_error(NEUTRON_CREATE, "{\"thing\": {\"name\": \"a\"}}",
                 CE_BAD_REQUEST,
                 "Failed to parse request. Required attribute 'network_id' "
                 "not specified");
    expect_error(NEUTRON_UPDATE,
                 "{\"thing\": {\"network_id\": \"" UUID1 "\"}}",
                 CE_BAD_REQUEST,
                 "Cannot update read-only attribute network_id");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"id\": \"" UUID1 "\"}}",
                 CE_BAD_REQUEST, "Cannot update read-only attribute id");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"tenant_id\": \"x\"}}",
                 CE_BAD_REQUEST, "Cannot update read-only attribute tenant_id");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"project_id\": \"x\"}}",
                 CE_BAD_REQUEST,
                 "Cannot update read-only attribute project_id");
}

static void
test_body_types(void **state)
{
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"name\": 5}}", CE_BAD_REQUEST,
                 "Invalid input for name. Reason: '5' is not a valid "
                 "string.");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"name\": null}}",
                 CE_BAD_REQUEST,
                 "Invalid input for name. Reason: 'None' is not a valid "
                 "string.");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"name\": [1, \"a\"]}}",
                 CE_BAD_REQUEST,
                 "Invalid input for name. Reason: '[1, 'a']' is not a valid "
                 "string.");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"size\": \"abc\"}}",
                 CE_BAD_REQUEST,
                 "Invalid input for size. Reason: 'abc' is not an integer.");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"size\": 1.5}}",
                 CE_BAD_REQUEST,
                 "Invalid input for size. Reason: '1.5' is not an integer.");
    expect_error(NEUTRON_UPDATE, "{\"thing\": {\"enabled\": \"yes\"}}",
                 CE_BAD_REQUEST,
                 "Invalid input for enabled. Reason: 'yes' is not a valid "
                 "boolean value.");
    expect_error(NEUTRON_CREATE, "{\"thing\": {\"network_id\": \"nope\"}}",
                 CE_BAD_REQUEST,
                 "Invalid input for network_id. Reason: 'nope' is not a "
                 "valid UUID.");

    struct core_err err;
    json_t *out = parse(NEUTRON_UPDATE,
                        "{\"thing\": {\"size\": \"12\", \"enabled\": \"TRUE\","
                        " \"note\": null, \"devices\": [{\"x\": 1}]}}",
                        &admin, &err);
    assert_non_null(out);
    assert_int_equal(json_integer_value(json_object_get(out, "size")), 12);
    assert_true(json_is_true(json_object_get(out, "enabled")));
    assert_true(json_is_null(json_object_get(out, "note")));
    assert_true(json_is_array(json_object_get(out, "devices")));
    /* No project on update. */
    assert_null(json_object_get(out, "tenant_id"));
    json_decref(out);

    out = parse(NEUTRON_UPDATE, "{\"thing\": {\"enabled\": 0}}", &admin,
                &err);
    assert_true(json_is_false(json_object_get(out, "enabled")));
    json_decref(out);
}

static void
test_body_uuid_normalised(void **state)
{
    struct core_err err;
    json_t *out = parse(NEUTRON_CREATE,
                        "{\"thing\": {\"network_id\": \"" UUID1_UPPER "\"}}",
                        &admin, &err);
    assert_non_null(out);
    assert_string_equal(json_string_value(json_object_get(out, "network_id")),
                        UUID1);
    json_decref(out);
}

static void
test_body_project(void **state)
{
    struct core_err err;
    json_t *out;

    expect_error(NEUTRON_CREATE,
                 "{\"thing\": {\"tenant_id\": \"a\", \"project_id\": \"b\", "
                 "\"network_id\": \"" UUID1 "\"}}",
                 CE_BAD_REQUEST, "'project_id' and 'tenant_id' do not match");

    /* None given: the caller's project, under both names. */
    out = parse(NEUTRON_CREATE, "{\"thing\": {\"network_id\": \"" UUID1
                "\"}}", &alice, &err);
    assert_non_null(out);
    assert_string_equal(json_string_value(json_object_get(out, "tenant_id")),
                        "alice");
    assert_string_equal(json_string_value(json_object_get(out, "project_id")),
                        "alice");
    json_decref(out);

    /* One given: both carry it. */
    out = parse(NEUTRON_CREATE, "{\"thing\": {\"tenant_id\": \"p1\", "
                "\"network_id\": \"" UUID1 "\"}}", &admin, &err);
    assert_string_equal(json_string_value(json_object_get(out, "project_id")),
                        "p1");
    assert_string_equal(json_string_value(json_object_get(out, "tenant_id")),
                        "p1");
    json_decref(out);

    /* Both, equal. */
    out = parse(NEUTRON_CREATE, "{\"thing\": {\"tenant_id\": \"p1\", "
                "\"project_id\": \"p1\", \"network_id\": \"" UUID1 "\"}}",
                &admin, &err);
    assert_non_null(out);
    json_decref(out);

    /* Another project than one's own needs admin. */
    out = parse(NEUTRON_CREATE, "{\"thing\": {\"project_id\": \"bob\", "
                "\"network_id\": \"" UUID1 "\"}}", &alice, &err);
    assert_null(out);
    assert_string_equal(err.msg,
                        "Specifying 'project_id' or 'tenant_id' other than the "
                        "authenticated project in request requires admin or "
                        "advsvc privileges");
    out = parse(NEUTRON_CREATE, "{\"thing\": {\"project_id\": \"alice\", "
                "\"network_id\": \"" UUID1 "\"}}", &alice, &err);
    assert_non_null(out);
    json_decref(out);

    expect_error(NEUTRON_CREATE, "{\"thing\": {\"project_id\": 7, "
                 "\"network_id\": \"" UUID1 "\"}}", CE_BAD_REQUEST,
                 "Invalid input for project_id. Reason: '7' is not a valid "
                 "string.");
}

static void
test_body_bulk(void **state)
{
    struct core_err err;
    json_t *out = NULL;
    bool bulk = false;
    const char *body = "{\"things\": [{\"thing\": {\"network_id\": \"" UUID1
                       "\"}}, {\"network_id\": \"" UUID1 "\", \"name\": "
                       "\"b\"}]}";

    int rc = neutron_parse_body(&thing, NEUTRON_CREATE, body, strlen(body),
                                &admin, &out, &bulk, &err);
    assert_int_equal(rc, 0);
    assert_true(bulk);
    assert_int_equal(json_array_size(out), 2);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(out, 1), "name")),
        "b");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(out, 0), "tenant_id")),
                        "admin");
    json_decref(out);

    expect_error(NEUTRON_CREATE, "{\"things\": []}", CE_BAD_REQUEST,
                 "Resources required");
    expect_error(NEUTRON_CREATE, "{\"things\": {\"a\": 1}}", CE_BAD_REQUEST,
                 "Body contains invalid data");
    expect_error(NEUTRON_CREATE, "{\"things\": [5]}", CE_BAD_REQUEST,
                 "Object 'thing' contains invalid data");
    expect_error(NEUTRON_UPDATE, "{\"things\": [{}]}", CE_BAD_REQUEST,
                 "Bulk operation not supported");
    expect_error(NEUTRON_CREATE,
                 "{\"things\": [{\"network_id\": \"" UUID1 "\"}, "
                 "{\"name\": \"x\"}]}",
                 CE_BAD_REQUEST,
                 "Failed to parse request. Required attribute 'network_id' "
                 "not specified");
}

static void
test_repr(void **state)
{
    char buf[128];
    json_t *v = json_loads("[1, \"a\", true, false, null, {\"k\": 1.5}, "
                           "\"it's\", 2.0]", 0, NULL);

    neutron_repr(v, buf, sizeof buf);
    assert_string_equal(buf,
                        "[1, 'a', True, False, None, {'k': 1.5}, \"it's\", "
                        "2.0]");
    json_decref(v);
    neutron_repr(NULL, buf, sizeof buf);
    assert_string_equal(buf, "None");
    v = json_string("0123456789");
    neutron_repr(v, buf, 5);
    assert_string_equal(buf, "0123");
    json_decref(v);
}

/* ---- queries ---- */

static void
test_query_repeated_keys(void **state)
{
    json_t *q = http_parse_query("a=1&b=x%20y&a=2&c&d=p+q&&e=%zz");
    char *s = json_dumps(q, JSON_COMPACT);

    assert_string_equal(s, "{\"a\":[\"1\",\"2\"],\"b\":[\"x y\"],\"c\":[\"\"],"
                           "\"d\":[\"p q\"],\"e\":[\"%zz\"]}");
    free(s);
    json_decref(q);
    q = http_parse_query("");
    assert_int_equal(json_object_size(q), 0);
    json_decref(q);
}

/* Parses 'qs' for 'caller' into 'l'; returns the result of
 * neutron_list_parse() and keeps the query object in '*query'. */
static int
list_parse(const char *qs, const struct api_caller *caller,
           struct neutron_list *l, json_t **query, struct core_err *err)
{
    *query = http_parse_query(qs);
    memset(err, 0, sizeof *err);
    return neutron_list_parse(&thing, *query, caller, l, err);
}

static const struct store_filter *
find_filter(const struct neutron_list *l, const char *column)
{
    for (size_t i = 0; i < l->q.n_filters; i++) {
        if (!strcmp(l->q.filters[i].column, column)) {
            return &l->q.filters[i];
        }
    }
    return NULL;
}

static void
test_list_columns_and_filters(void **state)
{
    struct neutron_list l;
    struct core_err err;
    json_t *q;

    assert_int_equal(list_parse("name=a&name=b&fields=id&fields=name&foo=bar"
                                "&devices=x&tenant_id=t1&limit=0&marker=m"
                                "&sort_key=name&sort_dir=asc&page_reverse=x",
                                &admin, &l, &q, &err), 0);
    /* id first; every attribute with a column; the project last. */
    assert_string_equal(l.q.cols[0].attr, "id");
    assert_string_equal(l.q.cols[l.q.n_cols - 1].attr, "project_id");
    for (size_t i = 0; i < l.q.n_cols; i++) {
        assert_string_not_equal(l.q.cols[i].attr, "devices");
        assert_string_not_equal(l.q.cols[i].attr, "note");
    }
    assert_int_equal(l.q.n_cols, 8);
    assert_string_equal(l.q.table, "things");
    /* name (2 values, OR) and tenant_id → project_id; nothing else. */
    assert_int_equal(l.q.n_filters, 2);
    const struct store_filter *f = find_filter(&l, "name");
    assert_non_null(f);
    assert_int_equal(f->n_values, 2);
    assert_string_equal(f->values[0], "a");
    assert_string_equal(f->values[1], "b");
    f = find_filter(&l, "project_id");
    assert_non_null(f);
    assert_string_equal(f->values[0], "t1");
    assert_true(neutron_has_fields(l.fields));
    assert_int_equal(l.q.n_sorts, 1);
    assert_string_equal(l.q.sorts[0].column, "name");
    assert_false(l.q.sorts[0].desc);
    /* No limit: no paging at all. */
    assert_int_equal(l.q.limit, 0);
    assert_null(l.q.marker);
    neutron_list_destroy(&l);
    json_decref(q);
}

static void
test_list_non_admin_sees_own_project(void **state)
{
    struct neutron_list l;
    struct core_err err;
    json_t *q;

    assert_int_equal(list_parse("", &alice, &l, &q, &err), 0);
    const struct store_filter *f = find_filter(&l, "project_id");
    assert_non_null(f);
    assert_int_equal(f->n_values, 1);
    assert_string_equal(f->values[0], "alice");
    neutron_list_destroy(&l);
    json_decref(q);

    assert_int_equal(list_parse("", &admin, &l, &q, &err), 0);
    assert_int_equal(l.q.n_filters, 0);
    neutron_list_destroy(&l);
    json_decref(q);
}

static void
expect_list_error(const char *qs, const char *msg)
{
    struct neutron_list l;
    struct core_err err;
    json_t *q;

    assert_int_equal(list_parse(qs, &admin, &l, &q, &err), -EINVAL);
    assert_int_equal(err.code, CE_BAD_REQUEST);
    assert_string_equal(err.msg, msg);
    neutron_list_destroy(&l);
    json_decref(q);
}

static void
test_list_sort_errors(void **state)
{
    expect_list_error("sort_key=name",
                      "The number of sort_keys and sort_dirs must be same");
    expect_list_error("sort_key=name&sort_dir=asc&sort_dir=desc",
                      "The number of sort_keys and sort_dirs must be same");
    expect_list_error("sort_key=foo&sort_dir=asc",
                      "['foo'] is invalid attribute for sort_keys");
    expect_list_error("sort_key=foo&sort_dir=asc&sort_key=devices"
                      "&sort_dir=asc",
                      "['foo', 'devices'] is invalid attribute for sort_keys");
    expect_list_error("sort_key=name&sort_dir=up",
                      "['up'] is invalid value for sort_dirs, valid value is "
                      "'asc' and 'desc'");
    expect_list_error("sort_key=name&sort_dir=ASC",
                      "['ASC'] is invalid value for sort_dirs, valid value is "
                      "'asc' and 'desc'");

    /* Empty values are ignored, tenant_id sorts the project column. */
    struct neutron_list l;
    struct core_err err;
    json_t *q;
    assert_int_equal(list_parse("sort_key=&sort_key=tenant_id&sort_dir=desc"
                                "&sort_key=id&sort_dir=asc",
                                &admin, &l, &q, &err), 0);
    assert_int_equal(l.q.n_sorts, 2);
    assert_string_equal(l.q.sorts[0].column, "project_id");
    assert_true(l.q.sorts[0].desc);
    assert_string_equal(l.q.sorts[1].column, "id");
    neutron_list_destroy(&l);
    json_decref(q);
}

static void
test_list_limit(void **state)
{
    expect_list_error("limit=abc", "Bad limit request: Limit must be an "
                                   "integer 0 or greater and not 'abc'.");
    expect_list_error("limit=-1", "Bad limit request: Limit must be an "
                                  "integer 0 or greater and not '-1'.");
    expect_list_error("limit=", "Bad limit request: Limit must be an "
                                "integer 0 or greater and not ''.");
    expect_list_error("limit=1.5", "Bad limit request: Limit must be an "
                                   "integer 0 or greater and not '1.5'.");

    struct neutron_list l;
    struct core_err err;
    json_t *q;
    assert_int_equal(list_parse("limit=5&limit=3&marker=m1&page_reverse=True",
                                &admin, &l, &q, &err), 0);
    assert_int_equal(l.q.limit, 3);   /* the last value counts */
    assert_string_equal(l.q.marker, "m1");
    assert_true(l.q.page_reverse);
    neutron_list_destroy(&l);
    json_decref(q);

    assert_int_equal(list_parse("limit= 7 &page_reverse=false", &admin, &l,
                                &q, &err), 0);
    assert_int_equal(l.q.limit, 7);
    assert_null(l.q.marker);
    assert_false(l.q.page_reverse);
    neutron_list_destroy(&l);
    json_decref(q);
}

/* ---- responses ---- */

static json_t *
rows_of(const char *ids[], size_t n)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(rows, json_pack("{s:s}", "id", ids[i]));
    }
    return rows;
}

/* Builds the links of a page of 'qs' with 'more'; returns them dumped. */
static char *
links_of(const char *qs, bool more)
{
    static const char *ids[] = {"i1", "i2"};
    struct neutron_list l;
    struct core_err err;
    json_t *q;

    assert_int_equal(list_parse(qs, &admin, &l, &q, &err), 0);
    json_t *rows = rows_of(ids, 2);
    json_t *links = neutron_links(&l, q, "http://h:1/v2.0/things", rows,
                                  more);
    char *s = links ? json_dumps(links, JSON_COMPACT) : NULL;
    json_decref(links);
    json_decref(rows);
    neutron_list_destroy(&l);
    json_decref(q);
    return s;
}

static void
expect_links(const char *qs, bool more, const char *expected)
{
    char *s = links_of(qs, more);

    if (!expected) {
        assert_null(s);
        return;
    }
    assert_non_null(s);
    assert_string_equal(s, expected);
    free(s);
}

static void
test_links(void **state)
{
    /* No limit: no links. */
    expect_links("name=a", true, NULL);
    /* First page, more rows: next only. */
    expect_links("limit=2&name=a b&name=c%26d", true,
                 "[{\"rel\":\"next\",\"href\":\"http://h:1/v2.0/things?"
                 "limit=2&name=a+b&name=c%26d&marker=i2\"}]");
    /* Last page: nothing. */
    expect_links("limit=2", false, NULL);
    /* A middle page: next and previous. */
    expect_links("limit=2&marker=i0", true,
                 "[{\"rel\":\"next\",\"href\":\"http://h:1/v2.0/things?"
                 "limit=2&marker=i2\"},{\"rel\":\"previous\",\"href\":"
                 "\"http://h:1/v2.0/things?limit=2&marker=i1&"
                 "page_reverse=True\"}]");
    /* The last page reached with a marker: previous only. */
    expect_links("marker=i0&limit=2", false,
                 "[{\"rel\":\"previous\",\"href\":\"http://h:1/v2.0/things?"
                 "limit=2&marker=i1&page_reverse=True\"}]");
    /* Backwards with more rows before: both. */
    expect_links("limit=2&marker=i3&page_reverse=True", true,
                 "[{\"rel\":\"next\",\"href\":\"http://h:1/v2.0/things?"
                 "limit=2&marker=i2\"},{\"rel\":\"previous\",\"href\":"
                 "\"http://h:1/v2.0/things?limit=2&marker=i1&"
                 "page_reverse=True\"}]");
    /* Backwards, reached the start: next only. */
    expect_links("limit=2&marker=i3&page_reverse=True", false,
                 "[{\"rel\":\"next\",\"href\":\"http://h:1/v2.0/things?"
                 "limit=2&marker=i2\"}]");
}

static void
test_render_and_fields(void **state)
{
    json_t *row = json_pack("{s:s, s:s, s:s, s:s}", "id", "i1", "name", "n",
                            "secret", "s", "project_id", "p");
    neutron_render_row(&thing, row);
    assert_null(json_object_get(row, "secret"));
    assert_string_equal(json_string_value(json_object_get(row, "tenant_id")),
                        "p");

    json_t *fields = json_pack("[s, s, s]", "", "name", "nothing");
    neutron_apply_fields(row, fields);
    assert_int_equal(json_object_size(row), 1);
    assert_non_null(json_object_get(row, "name"));
    json_decref(fields);

    /* No field named: everything stays. */
    fields = json_pack("[s]", "");
    assert_false(neutron_has_fields(fields));
    neutron_apply_fields(row, fields);
    assert_int_equal(json_object_size(row), 1);
    neutron_apply_fields(row, NULL);
    assert_int_equal(json_object_size(row), 1);
    json_decref(fields);
    json_decref(row);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_envelope),
        cmocka_unit_test(test_body_attributes),
        cmocka_unit_test(test_body_types),
        cmocka_unit_test(test_body_uuid_normalised),
        cmocka_unit_test(test_body_project),
        cmocka_unit_test(test_body_bulk),
        cmocka_unit_test(test_repr),
        cmocka_unit_test(test_query_repeated_keys),
        cmocka_unit_test(test_list_columns_and_filters),
        cmocka_unit_test(test_list_non_admin_sees_own_project),
        cmocka_unit_test(test_list_sort_errors),
        cmocka_unit_test(test_list_limit),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_render_and_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
