/* Unit tests of the client's output formats (src/cli/output.c): column
 * choice, -c, and the five formats.  The expected texts were produced by
 * the OpenStack client's own code (cliff's formatters over prettytable
 * and Python's csv writer, PyYAML) on the same data. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/output.h"

static const struct out_column gw_cols[] = {
    {"id", "ID", OUT_LIST},
    {"tenant_id", "Tenant", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"devices", "Devices", OUT_LIST},
    {"project_id", "Project", OUT_HIDDEN},
    {0},
};

static const char *const gw_json =
    "{\"id\": \"g1\", \"name\": \"gw1\", \"tenant_id\": \"admin\","
    " \"project_id\": \"admin\", \"devices\": ["
    "{\"id\": \"d1\", \"device_name\": \"sw1\", \"interfaces\": "
    "[{\"name\": \"p1\", \"segmentation_id\": [\"100\", \"200\"]}]},"
    "{\"id\": \"d2\", \"device_name\": \"sw2\", \"interfaces\": "
    "[{\"name\": \"it's\", \"segmentation_id\": []}]}]}";

static json_t *parse(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    assert_non_null(v);
    return v;
}

/* Output captured from a FILE. */
struct capture {
    FILE *fp;
    char *text;
    size_t len;
};

static void cap_open(struct capture *c)
{
    c->fp = open_memstream(&c->text, &c->len);
    assert_non_null(c->fp);
}

static char *cap_close(struct capture *c)
{
    fclose(c->fp);
    return c->text;
}

static void test_show_table(void **state)
{
    struct out_opts o = {OUT_TABLE, NULL, 0};
    json_t *gw = parse(gw_json);
    struct capture c;
    char err[256];
    const char *want =
        "+---------+------------------------------------------------------"
        "----------------------------------------+\n"
        "| Field   | Value                                                "
        "                                        |\n"
        "+---------+------------------------------------------------------"
        "----------------------------------------+\n"
        "| Devices | device_name='sw1', id='d1', interfaces='[{'name': 'p1"
        "', 'segmentation_id': ['100', '200']}]' |\n"
        "|         | device_name='sw2', id='d2', interfaces='[{'name': \"i"
        "t's\", 'segmentation_id': []}]'           |\n"
        "| ID      | g1                                                   "
        "                                        |\n"
        "| Name    | gw1                                                  "
        "                                        |\n"
        "| Tenant  | admin                                                "
        "                                        |\n"
        "+---------+------------------------------------------------------"
        "----------------------------------------+\n";

    (void)state;
    cap_open(&c);
    assert_int_equal(out_show(c.fp, &o, gw_cols, gw, err, sizeof err), 0);
    char *got = cap_close(&c);
    assert_string_equal(got, want);
    free(got);
    json_decref(gw);
}

static void test_show_select(void **state)
{
    const char *sel[] = {"Name", "id"};
    const char *bad[] = {"Nope"};
    struct out_opts o = {OUT_VALUE, sel, 2};
    json_t *gw = parse(gw_json);
    struct capture c;
    char err[256];

    (void)state;
    cap_open(&c);
    assert_int_equal(out_show(c.fp, &o, gw_cols, gw, err, sizeof err), 0);
    char *got = cap_close(&c);
    /* Natural (sorted) order, not the order of -c. */
    assert_string_equal(got, "g1\ngw1\n");
    free(got);

    o.select = bad;
    o.n_select = 1;
    cap_open(&c);
    assert_int_equal(out_show(c.fp, &o, gw_cols, gw, err, sizeof err), -EINVAL);
    free(cap_close(&c));
    assert_non_null(strstr(err, "No recognized column names in ['Nope']"));
    assert_non_null(strstr(err, "'Devices', 'ID', 'Name', 'Tenant'"));

    /* A hidden column may be asked for. */
    const char *proj[] = {"Project"};
    o.select = proj;
    cap_open(&c);
    assert_int_equal(out_show(c.fp, &o, gw_cols, gw, err, sizeof err), 0);
    got = cap_close(&c);
    assert_string_equal(got, "admin\n");
    free(got);
    json_decref(gw);
}

static const struct out_column net_cols[] = {
    {"id", "ID", OUT_LIST},
    {"name", "Name", OUT_LIST},
    {"vni", "Segmentation ID", OUT_LIST},
    {"mtu", "MTU", 0},
    {"extra", "Extra", OUT_LIST | OUT_IF_ANY},
    {0},
};

static void test_list_table(void **state)
{
    struct out_opts o = {OUT_TABLE, NULL, 0};
    json_t *rows = parse("[{\"id\": \"a\", \"name\": \"net1\", \"vni\": 1000,"
                         " \"mtu\": 1450},"
                         " {\"id\": \"bb\", \"name\": \"n\", \"vni\": 5}]");
    json_t *empty = json_array();
    struct capture c;
    char err[256];

    (void)state;
    cap_open(&c);
    assert_int_equal(
        out_list(c.fp, &o, net_cols, rows, NULL, 0, err, sizeof err), 0);
    char *got = cap_close(&c);
    assert_string_equal(got, "+----+------+-----------------+\n"
                             "| ID | Name | Segmentation ID |\n"
                             "+----+------+-----------------+\n"
                             "| a  | net1 |            1000 |\n"
                             "| bb | n    |               5 |\n"
                             "+----+------+-----------------+\n");
    free(got);

    /* cliff prints an empty list as an empty line. */
    cap_open(&c);
    assert_int_equal(
        out_list(c.fp, &o, net_cols, empty, NULL, 0, err, sizeof err), 0);
    got = cap_close(&c);
    assert_string_equal(got, "\n");
    free(got);
    json_decref(rows);
    json_decref(empty);
}

static void test_list_formats(void **state)
{
    const char *sel[] = {"ID", "MTU"};
    struct out_opts o = {OUT_VALUE, NULL, 0};
    json_t *rows = parse("[{\"id\": \"a\", \"name\": \"net 1\", \"vni\": 1000,"
                         " \"mtu\": 1450, \"extra\": [\"x\"]},"
                         " {\"id\": \"b\\\"\", \"name\": null, \"vni\": 5}]");
    struct capture c;
    char err[256], *got;

    (void)state;
    cap_open(&c);
    out_list(c.fp, &o, net_cols, rows, NULL, 0, err, sizeof err);
    got = cap_close(&c);
    assert_string_equal(got, "a net 1 1000 ['x']\nb\" None 5 \n");
    free(got);

    o.format = OUT_CSV;
    cap_open(&c);
    out_list(c.fp, &o, net_cols, rows, NULL, 0, err, sizeof err);
    got = cap_close(&c);
    assert_string_equal(got, "\"ID\",\"Name\",\"Segmentation ID\",\"Extra\"\n"
                             "\"a\",\"net 1\",1000,\"['x']\"\n"
                             "\"b\"\"\",\"\",5,\"\"\n");
    free(got);

    /* -c may pick a column outside the default list. */
    o.format = OUT_JSON;
    o.select = sel;
    o.n_select = 2;
    cap_open(&c);
    out_list(c.fp, &o, net_cols, rows, NULL, 0, err, sizeof err);
    got = cap_close(&c);
    json_t *j = parse(got), *want = parse("[{\"id\": \"a\", \"mtu\": 1450},"
                                          " {\"id\": \"b\\\"\"}]");
    assert_true(json_equal(j, want));
    free(got);
    json_decref(j);
    json_decref(want);
    json_decref(rows);
}

static void test_json_is_the_api_object(void **state)
{
    struct out_opts o = {OUT_JSON, NULL, 0};
    json_t *gw = parse(gw_json), *back;
    struct capture c;
    char err[256], *got;

    (void)state;
    cap_open(&c);
    out_show(c.fp, &o, gw_cols, gw, err, sizeof err);
    got = cap_close(&c);
    back = parse(got);
    assert_true(json_equal(back, gw));
    assert_int_equal(got[strlen(got) - 1], '\n');
    free(got);
    json_decref(back);
    json_decref(gw);
}

static void test_fields(void **state)
{
    const char *fields[] = {"name", "mtu", "zzz"};
    struct out_opts o = {OUT_CSV, NULL, 0};
    json_t *rows = parse("[{\"name\": \"n1\", \"mtu\": 1450, \"zzz\": 1}]");
    struct capture c;
    char err[256], *got;

    (void)state;
    cap_open(&c);
    out_list(c.fp, &o, net_cols, rows, fields, 3, err, sizeof err);
    got = cap_close(&c);
    assert_string_equal(got, "\"Name\",\"MTU\",\"zzz\"\n\"n1\",1450,1\n");
    free(got);
    json_decref(rows);
}

static void test_yaml(void **state)
{
    struct out_opts o = {OUT_YAML, NULL, 0};
    json_t *rows = parse(
        "[{\"id\": \"g1\", \"name\": \"\", \"n\": 3, \"ok\": true,"
        " \"devices\": [{\"device_name\": \"sw1\", \"interfaces\":"
        " [{\"name\": \"p1\", \"segmentation_id\": [\"100\"]}]}],"
        " \"empty\": [], \"mac\": \"00:11:22:33:44:55\", \"o\": {\"k\": null},"
        " \"u\": \"084f64c0-cf43-478e-a9ee-27900e0571f2\", \"f\": \"1e5\","
        " \"t\": \"yes\", \"q\": \"a: b\"}]");
    struct capture c;
    char err[256], *got;

    (void)state;
    cap_open(&c);
    out_list(c.fp, &o, gw_cols, rows, NULL, 0, err, sizeof err);
    got = cap_close(&c);
    assert_string_equal(got, "- id: g1\n"
                             "  name: ''\n"
                             "  n: 3\n"
                             "  ok: true\n"
                             "  devices:\n"
                             "  - device_name: sw1\n"
                             "    interfaces:\n"
                             "    - name: p1\n"
                             "      segmentation_id:\n"
                             "      - '100'\n"
                             "  empty: []\n"
                             "  mac: '00:11:22:33:44:55'\n"
                             "  o:\n"
                             "    k: null\n"
                             "  u: 084f64c0-cf43-478e-a9ee-27900e0571f2\n"
                             "  f: '1e5'\n"
                             "  t: 'yes'\n"
                             "  q: 'a: b'\n");
    free(got);
    json_decref(rows);
}

static void test_formats_parse(void **state)
{
    enum out_format f;

    (void)state;
    assert_int_equal(out_parse_format("json", &f), 0);
    assert_int_equal(f, OUT_JSON);
    assert_int_equal(out_parse_format("csv", &f), 0);
    assert_int_equal(f, OUT_CSV);
    assert_int_equal(out_parse_format("xml", &f), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_show_table),
        cmocka_unit_test(test_show_select),
        cmocka_unit_test(test_list_table),
        cmocka_unit_test(test_list_formats),
        cmocka_unit_test(test_json_is_the_api_object),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_yaml),
        cmocka_unit_test(test_formats_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
