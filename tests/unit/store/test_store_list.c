/* Unit tests of the list engine (store_list.c): filters, sorting with ties
 * and NULLs, keyset paging in both directions, markers, the 'more' flag,
 * store_get.  Each test runs on SQLite and on PostgreSQL (store_test.h). */
#include "store_test.h"

#include <errno.h>
#include <stdbool.h>

enum { N_ITEMS = 41, MAX_KEYS = 4 };

/* Columns of 'items' by index: 0 id, 1 name, 2 num, 3 flag, 4 grp,
 * 5 label (from the joined table 'groups'). */
struct item {
    char id[16];
    const char *name; /* NULL: SQL NULL */
    bool num_null;
    long long num;
    long long flag;
    char grp[4];
    const char *label;
};

static struct item items[N_ITEMS];
static const char *const labels[] = {"zeta", "alpha", "mid"};

static const struct store_col cols[] = {
    {"id", "id", STORE_TEXT},     {"name", "name", STORE_TEXT},
    {"num", "num", STORE_INT},    {"flag", "flag", STORE_BOOL},
    {"grp", "group", STORE_TEXT},
};

/* A sort key of the expected order: column index and direction. */
struct key {
    int col;
    bool desc;
};

static void make_items(void)
{
    static const char *const names[] = {"alpha", "beta", "gamma", NULL};
    for (int i = 0; i < N_ITEMS; i++) {
        struct item *it = &items[i];
        snprintf(it->id, sizeof it->id, "%08x", i * 2654435761u);
        it->name = names[(i * 5) % 4];
        it->num_null = i % 6 == 0;
        it->num = (i * 7) % 5;
        it->flag = (i / 3) % 2;
        snprintf(it->grp, sizeof it->grp, "g%d", i % 3);
        it->label = labels[i % 3];
    }
}

static struct store *open_items(void **state)
{
    struct store *st = tdb_open(tdb_get(state), false);
    assert_int_equal(store_exec(st, "CREATE TABLE items (id TEXT PRIMARY KEY, "
                                    "name TEXT, num INTEGER, flag INTEGER "
                                    "NOT NULL, grp TEXT NOT NULL); "
                                    "CREATE TABLE groups (name TEXT PRIMARY "
                                    "KEY, label TEXT NOT NULL)"),
                     0);
    for (int i = 0; i < 3; i++) {
        char g[4];
        snprintf(g, sizeof g, "g%d", i);
        const char *p[] = {g, labels[i]};
        assert_int_equal(
            store_run(st, "INSERT INTO groups VALUES (?, ?)", p, 2), 1);
    }
    struct store_stmt *s;
    for (int i = 0; i < N_ITEMS; i++) {
        const struct item *it = &items[i];
        assert_int_equal(store_prepare(st,
                                       "INSERT INTO items VALUES "
                                       "(?, ?, ?, ?, ?)",
                                       &s),
                         0);
        store_bind_text(s, 1, it->id);
        store_bind_text(s, 2, it->name);
        if (it->num_null)
            store_bind_null(s, 3);
        else
            store_bind_int(s, 3, it->num);
        store_bind_int(s, 4, it->flag);
        store_bind_text(s, 5, it->grp);
        assert_int_equal(store_step(s), 0);
    }
    return st;
}

/* Compares column 'col' of two items; NULL is below every value. */
static int cmp_col(const struct item *a, const struct item *b, int col)
{
    switch (col) {
    case 0:
        return strcmp(a->id, b->id);
    case 1:
        if (!a->name || !b->name)
            return (a->name != NULL) - (b->name != NULL);
        return strcmp(a->name, b->name);
    case 2:
        if (a->num_null || b->num_null)
            return b->num_null - a->num_null;
        return (a->num > b->num) - (a->num < b->num);
    case 3:
        return (a->flag > b->flag) - (a->flag < b->flag);
    case 4:
        return strcmp(a->grp, b->grp);
    default:
        return strcmp(a->label, b->label);
    }
}

static const struct key *cur_keys;
static size_t cur_n_keys;

static int cmp_items(const void *pa, const void *pb)
{
    const struct item *a = *(const struct item *const *)pa;
    const struct item *b = *(const struct item *const *)pb;
    for (size_t i = 0; i < cur_n_keys; i++) {
        int c = cmp_col(a, b, cur_keys[i].col);
        if (c)
            return cur_keys[i].desc ? -c : c;
    }
    return 0;
}

/* Expected ids in order: the items that 'keep' accepts (NULL: all), sorted
 * by 'keys' (which must end with a unique key).  Returns the count. */
static size_t expect(const struct key *keys, size_t n_keys,
                     bool (*keep)(const struct item *),
                     const char *out[N_ITEMS])
{
    const struct item *v[N_ITEMS];
    size_t n = 0;
    for (int i = 0; i < N_ITEMS; i++)
        if (!keep || keep(&items[i]))
            v[n++] = &items[i];
    cur_keys = keys;
    cur_n_keys = n_keys;
    qsort(v, n, sizeof v[0], cmp_items);
    for (size_t i = 0; i < n; i++)
        out[i] = v[i]->id;
    return n;
}

static const char *row_id(json_t *rows, size_t i)
{
    const char *id =
        json_string_value(json_object_get(json_array_get(rows, i), "id"));
    assert_non_null(id);
    return id;
}

/* Pages through 'q' forwards (or backwards) with limit 'limit' and checks
 * that the ids come out as 'want', each exactly once, and that 'more' is
 * true exactly on the pages that are not the last. */
static void check_paging(struct store *st, struct store_list_query q,
                         long long limit, bool backwards,
                         const char *const *want, size_t n_want)
{
    const char *got[N_ITEMS];
    char marker[16] = "";
    size_t n_got = 0;
    bool more = true;

    q.limit = limit;
    q.page_reverse = backwards;
    for (int pages = 0; more; pages++) {
        json_t *rows = NULL;
        assert_true(pages <= N_ITEMS + 1);
        q.marker = pages ? marker : NULL;
        assert_int_equal(store_list(st, &q, &rows, &more), 0);
        size_t n = json_array_size(rows);
        assert_true(n <= (size_t)limit);
        if (more)
            assert_int_equal(n, limit);
        assert_true(n_got + n <= n_want);
        if (backwards) /* the page goes before what we have */
            memmove(got + n, got, n_got * sizeof got[0]);
        for (size_t i = 0; i < n; i++) {
            const char *id = row_id(rows, i);
            got[(backwards ? 0 : n_got) + i] = "(unknown id)";
            for (size_t k = 0; k < N_ITEMS; k++)
                if (!strcmp(items[k].id, id))
                    got[(backwards ? 0 : n_got) + i] = items[k].id;
        }
        n_got += n;
        if (n)
            snprintf(marker, sizeof marker, "%s",
                     row_id(rows, backwards ? 0 : n - 1));
        json_decref(rows);
        if (!n)
            assert_false(more);
    }
    assert_int_equal(n_got, n_want);
    for (size_t i = 0; i < n_want; i++)
        assert_string_equal(got[i], want[i]);
}

/* Every limit from 1 to past the end, both directions. */
static void check_all_limits(struct store *st, struct store_list_query q,
                             const char *const *want, size_t n_want)
{
    for (long long limit = 1; limit <= N_ITEMS + 1; limit++) {
        check_paging(st, q, limit, false, want, n_want);
        check_paging(st, q, limit, true, want, n_want);
    }
}

/* Runs 'q' without paging and checks the ids. */
static void check_list(struct store *st, const struct store_list_query *q,
                       const char *const *want, size_t n_want)
{
    json_t *rows = NULL;
    bool more = true;
    assert_int_equal(store_list(st, q, &rows, &more), 0);
    assert_false(more);
    assert_int_equal(json_array_size(rows), n_want);
    for (size_t i = 0; i < n_want; i++)
        assert_string_equal(row_id(rows, i), want[i]);
    json_decref(rows);
}

static struct store_list_query items_query(void)
{
    return (struct store_list_query){
        .table = "items", .cols = cols, .n_cols = 5};
}

/* Maps expected keys to store sorts (columns by index). */
static void to_sorts(const struct key *keys, size_t n, struct store_sort *sorts)
{
    static const char *const names[] = {"id", "name", "num", "flag", "grp"};
    for (size_t i = 0; i < n; i++)
        sorts[i] = (struct store_sort){names[keys[i].col], keys[i].desc};
}

static void test_sorting_and_paging(void **state)
{
    /* Each list of keys ends with the id as the engine appends it. */
    static const struct {
        struct key keys[MAX_KEYS + 1];
        size_t n_sorts; /* keys given to the engine */
        size_t n_keys;  /* keys of the expected order */
    } cases[] = {
        {{{0, false}}, 0, 1},
        {{{1, false}, {0, false}}, 1, 2},
        {{{1, true}, {0, false}}, 1, 2},
        {{{2, true}, {1, false}, {0, false}}, 2, 3},
        {{{3, false}, {2, false}, {1, true}, {0, false}}, 3, 4},
        {{{4, true}, {3, true}, {2, false}, {1, false}, {0, false}}, 4, 5},
        {{{0, true}}, 1, 1},
        {{{1, false}, {0, true}}, 2, 2},
        {{{2, false}, {0, true}}, 2, 2},
    };
    struct store *st = open_items(state);

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *want[N_ITEMS];
        struct store_sort sorts[MAX_KEYS + 1];
        size_t n = expect(cases[c].keys, cases[c].n_keys, NULL, want);
        struct store_list_query q = items_query();
        to_sorts(cases[c].keys, cases[c].n_sorts, sorts);
        q.sorts = sorts;
        q.n_sorts = cases[c].n_sorts;
        check_list(st, &q, want, n);
        check_all_limits(st, q, want, n);
    }
    store_close(st);
}

static bool keep_g0_g2(const struct item *it)
{
    return strcmp(it->grp, "g1") != 0;
}

static bool keep_num_set(const struct item *it)
{
    return !it->num_null;
}

/* Filters combine with sorting, 'where' and paging. */
static void test_filtered_paging(void **state)
{
    static const struct key keys[] = {{1, true}, {2, false}, {0, false}};
    static const char *const grps[] = {"g0", "g2"};
    const struct store_filter f = {"grp", STORE_TEXT, grps, 2};
    struct store_sort sorts[2];
    const char *want[N_ITEMS];
    struct store *st = open_items(state);
    struct store_list_query q = items_query();

    to_sorts(keys, 2, sorts);
    q.sorts = sorts;
    q.n_sorts = 2;
    q.filters = &f;
    q.n_filters = 1;
    size_t n = expect(keys, 3, keep_g0_g2, want);
    assert_true(n > 20 && n < N_ITEMS);
    check_all_limits(st, q, want, n);

    q.filters = NULL;
    q.n_filters = 0;
    q.where = "num IS NOT NULL";
    n = expect(keys, 3, keep_num_set, want);
    assert_true(n > 20 && n < N_ITEMS);
    check_all_limits(st, q, want, n);
    store_close(st);
}

/* The number of rows a filter on 'column' with 'values' returns. */
static size_t count_filter(struct store *st, const char *column,
                           enum store_type type, const char *const *values,
                           size_t n)
{
    const struct store_filter f = {column, type, values, n};
    struct store_list_query q = items_query();
    json_t *rows = NULL;
    q.filters = &f;
    q.n_filters = 1;
    assert_int_equal(store_list(st, &q, &rows, NULL), 0);
    size_t count = json_array_size(rows);
    json_decref(rows);
    return count;
}

/* Same with a NULL-terminated list of values. */
static size_t count_vals(struct store *st, const char *column,
                         enum store_type type, const char *const *values)
{
    size_t n = 0;
    while (values[n])
        n++;
    return count_filter(st, column, type, values, n);
}

static size_t count_items(bool (*match)(const struct item *, long long),
                          long long arg)
{
    size_t n = 0;
    for (int i = 0; i < N_ITEMS; i++)
        n += match(&items[i], arg);
    return n;
}

static bool num_is(const struct item *it, long long v)
{
    return !it->num_null && it->num == v;
}

static bool flag_is(const struct item *it, long long v)
{
    return it->flag == v;
}

static bool grp_is(const struct item *it, long long v)
{
    return it->grp[1] - '0' == v;
}

static void test_filters(void **state)
{
    struct store *st = open_items(state);

#define COUNT(COL, TYPE, ...)                                                  \
    count_vals(st, COL, TYPE, (const char *const[]){__VA_ARGS__, NULL})
    size_t g1 = count_items(grp_is, 1), g2 = count_items(grp_is, 2);
    assert_true(g1 > 0 && g2 > 0);
    assert_int_equal(COUNT("grp", STORE_TEXT, "g1"), g1);
    assert_int_equal(COUNT("grp", STORE_TEXT, "g1", "g2"), g1 + g2);
    assert_int_equal(COUNT("grp", STORE_TEXT, "g1", "g1"), g1);
    assert_int_equal(COUNT("grp", STORE_TEXT, "G1"), 0);
    size_t n3 = count_items(num_is, 3), n2 = count_items(num_is, 2);
    assert_true(n3 > 0 && n2 > 0);
    assert_int_equal(COUNT("num", STORE_INT, "3"), n3);
    assert_int_equal(COUNT("num", STORE_INT, "+3"), n3);
    assert_int_equal(COUNT("num", STORE_INT, "3", "2"), n3 + n2);
    assert_int_equal(COUNT("num", STORE_INT, "abc", "2"), n2);
    assert_int_equal(COUNT("num", STORE_INT, "abc"), 0);
    assert_int_equal(COUNT("num", STORE_INT, "3x"), 0);
    assert_int_equal(COUNT("num", STORE_INT, " 3"), 0);
    assert_int_equal(COUNT("num", STORE_INT, ""), 0);
    assert_int_equal(COUNT("num", STORE_INT, "99999999999999999999"), 0);
    size_t t = count_items(flag_is, 1), f = count_items(flag_is, 0);
    assert_true(t > 0 && f > 0);
    assert_int_equal(COUNT("flag", STORE_BOOL, "true"), t);
    assert_int_equal(COUNT("flag", STORE_BOOL, "TRUE"), t);
    assert_int_equal(COUNT("flag", STORE_BOOL, "1"), t);
    assert_int_equal(COUNT("flag", STORE_BOOL, "False"), f);
    assert_int_equal(COUNT("flag", STORE_BOOL, "0"), f);
    assert_int_equal(COUNT("flag", STORE_BOOL, "yes"), 0);
    assert_int_equal(COUNT("flag", STORE_BOOL, "yes", "true", "false"), t + f);
#undef COUNT
    assert_int_equal(count_filter(st, "grp", STORE_TEXT, NULL, 0), 0);

    /* Two filters: AND. */
    const char *g[] = {"g1"}, *num[] = {"2"};
    const struct store_filter fs[] = {{"grp", STORE_TEXT, g, 1},
                                      {"num", STORE_INT, num, 1}};
    struct store_list_query q = items_query();
    json_t *rows;
    size_t both = 0;
    for (int i = 0; i < N_ITEMS; i++)
        both += grp_is(&items[i], 1) && num_is(&items[i], 2);
    q.filters = fs;
    q.n_filters = 2;
    assert_int_equal(store_list(st, &q, &rows, NULL), 0);
    assert_int_equal(json_array_size(rows), both);
    json_decref(rows);
    store_close(st);
}

static void test_markers_and_more(void **state)
{
    static const struct key keys[] = {{0, false}};
    const char *want[N_ITEMS];
    struct store *st = open_items(state);
    struct store_list_query q = items_query();
    json_t *rows = (json_t *)&rows;
    bool more = false;

    expect(keys, 1, NULL, want);
    q.marker = "no-such-id";
    assert_int_equal(store_list(st, &q, &rows, &more), -ENOENT);
    assert_null(rows);

    /* From the 10th row: the 11th to the 15th, more follow. */
    q.marker = want[9];
    q.limit = 5;
    assert_int_equal(store_list(st, &q, &rows, &more), 0);
    assert_true(more);
    assert_int_equal(json_array_size(rows), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(row_id(rows, i), want[10 + i]);
    json_decref(rows);
    /* Backwards from the 10th row: the 5th to the 9th. */
    q.page_reverse = true;
    assert_int_equal(store_list(st, &q, &rows, &more), 0);
    assert_true(more);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(row_id(rows, i), want[4 + i]);
    json_decref(rows);
    /* Backwards from the 3rd: the first two, nothing before. */
    q.marker = want[2];
    assert_int_equal(store_list(st, &q, &rows, &more), 0);
    assert_false(more);
    assert_int_equal(json_array_size(rows), 2);
    json_decref(rows);
    /* From the last row: empty, no more. */
    q.page_reverse = false;
    q.marker = want[N_ITEMS - 1];
    assert_int_equal(store_list(st, &q, &rows, &more), 0);
    assert_false(more);
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    /* No limit (0 or negative): everything. */
    q.marker = NULL;
    for (q.limit = -1; q.limit <= 0; q.limit++)
        check_list(st, &q, want, N_ITEMS);
    /* A limit of exactly the row count: no more. */
    q.limit = N_ITEMS;
    check_list(st, &q, want, N_ITEMS);

    /* A marker that 'where' hides is unknown. */
    const char *hidden = NULL;
    for (int i = 0; i < N_ITEMS && !hidden; i++)
        if (items[i].num_null)
            hidden = items[i].id;
    q.where = "num IS NOT NULL";
    q.marker = hidden;
    q.limit = 3;
    assert_int_equal(store_list(st, &q, &rows, &more), -ENOENT);
    store_close(st);
}

static void test_get_and_types(void **state)
{
    struct store *st = open_items(state);
    struct store_list_query q = items_query();
    json_t *row = NULL;

    for (int i = 0; i < N_ITEMS; i++) {
        const struct item *it = &items[i];
        assert_int_equal(store_get(st, &q, it->id, &row), 0);
        assert_int_equal(json_object_size(row), 5);
        assert_string_equal(json_string_value(json_object_get(row, "id")),
                            it->id);
        json_t *name = json_object_get(row, "name");
        if (it->name)
            assert_string_equal(json_string_value(name), it->name);
        else
            assert_true(json_is_null(name));
        json_t *num = json_object_get(row, "num");
        if (it->num_null)
            assert_true(json_is_null(num));
        else
            assert_int_equal(json_integer_value(num), it->num);
        json_t *flag = json_object_get(row, "flag");
        assert_true(json_is_boolean(flag));
        assert_int_equal(json_is_true(flag), it->flag);
        assert_string_equal(json_string_value(json_object_get(row, "group")),
                            it->grp);
        json_decref(row);
    }
    row = (json_t *)&row;
    assert_int_equal(store_get(st, &q, "nope", &row), -ENOENT);
    assert_null(row);
    q.where = "num IS NOT NULL";
    assert_int_equal(store_get(st, &q, items[0].id, &row), -ENOENT);
    store_close(st);
}

/* A join: qualified columns, sorting on the joined table. */
static void test_join(void **state)
{
    static const struct store_col jcols[] = {
        {"i.id", "id", STORE_TEXT},
        {"g.label", "label", STORE_TEXT},
    };
    static const struct store_sort sorts[] = {{"g.label", true}};
    static const struct key keys[] = {{5, true}, {0, false}};
    const char *want[N_ITEMS];
    struct store *st = open_items(state);
    struct store_list_query q = {
        .table = "items i JOIN groups g ON g.name = i.grp",
        .cols = jcols,
        .n_cols = 2,
        .sorts = sorts,
        .n_sorts = 1,
    };

    size_t n = expect(keys, 2, NULL, want);
    check_all_limits(st, q, want, n);
    json_t *row;
    assert_int_equal(store_get(st, &q, items[1].id, &row), 0);
    assert_string_equal(json_string_value(json_object_get(row, "label")),
                        "alpha");
    json_decref(row);
    store_close(st);
}

static void test_bad_queries(void **state)
{
    struct store *st = open_items(state);
    struct store_list_query q = items_query();
    struct store_sort sorts[20];
    json_t *rows;

    for (size_t i = 0; i < 20; i++)
        sorts[i] = (struct store_sort){"name", false};
    q.sorts = sorts;
    q.n_sorts = 20;
    assert_int_equal(store_list(st, &q, &rows, NULL), -EINVAL);
    q.n_sorts = 0;
    q.n_cols = 0;
    assert_int_equal(store_list(st, &q, &rows, NULL), -EINVAL);
    q = items_query();
    q.where = "no_such_column = 1";
    assert_int_equal(store_list(st, &q, &rows, NULL), -EINVAL);
    store_close(st);
}

int main(void)
{
    make_items();
    const struct CMUnitTest tests[] = {
        TDB_TESTS(test_sorting_and_paging),
        TDB_TESTS(test_filtered_paging),
        TDB_TESTS(test_filters),
        TDB_TESTS(test_markers_and_more),
        TDB_TESTS(test_get_and_types),
        TDB_TESTS(test_join),
        TDB_TESTS(test_bad_queries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
