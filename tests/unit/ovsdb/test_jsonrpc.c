/* Unit tests of src/ovsdb/jsonrpc.c: framing and message classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/jsonrpc.h"

/* Messages with every hard case for a scanner: braces, brackets, escaped
 * quotes and backslashes inside strings, unicode escapes, raw UTF-8,
 * whitespace between values, an array at top level. */
static const char *const msgs[] = {
    "{\"method\":\"echo\",\"params\":[\"a{b}[c]\\\"q\\\\\"],\"id\":1}",
    "[1,{\"x\":\"}]\\\\\\\"\"},[],{}]",
    ("{\"id\":null,\"method\":\"update\",\"params\":[\"l2gw\",{\"T\":{\"u\":"
     "{\"new\":{\"s\":\"\\u00e9\\ud83d\\ude00 \xc3\xa9\",\"e\":\"\\\\\"}}}}]}"),
    "{\"result\":{\"k\":\"\\\"}\"},\"error\":null,\"id\":\"x{\"}",
    "{\"a\":\"\\\\\\\\\\\"\",\"b\":[[[[\"]]]]\"]]]]}",
};
#define N_MSGS (sizeof msgs / sizeof *msgs)

static const char *const seps[] = {"", " ", "\n", "\r\n\t ", ""};

/* The messages joined with whitespace; caller frees. */
static char *
build_stream(size_t *len)
{
    size_t total = 0;

    for (size_t i = 0; i < N_MSGS; i++) {
        total += strlen(msgs[i]) + strlen(seps[i]);
    }
    char *buf = malloc(total + 1);
    buf[0] = '\0';
    for (size_t i = 0; i < N_MSGS; i++) {
        strcat(buf, seps[i]);
        strcat(buf, msgs[i]);
    }
    *len = total;
    return buf;
}

/* Feeds 'buf' in pieces whose boundaries are given by 'cuts' (ascending,
 * 'n_cuts' of them) and checks the values found against 'msgs'. */
static void
feed_pieces(const char *buf, size_t len, const size_t *cuts, size_t n_cuts)
{
    struct jsonrpc_framer *f = jsonrpc_framer_create(1 << 20, 128);
    size_t found = 0, start = 0;

    for (size_t c = 0; c <= n_cuts; c++) {
        size_t end = c < n_cuts ? cuts[c] : len;
        while (start < end) {
            size_t used;
            int r = jsonrpc_framer_feed(f, buf + start, end - start, &used);
            assert_true(r >= 0);
            start += used;
            if (r == 1) {
                json_t *v, *expect;
                assert_int_equal(jsonrpc_framer_take(f, &v), 0);
                assert_true(found < N_MSGS);
                expect = json_loads(msgs[found], 0, NULL);
                assert_non_null(expect);
                assert_true(json_equal(v, expect));
                json_decref(v);
                json_decref(expect);
                found++;
            }
        }
    }
    assert_int_equal(found, N_MSGS);
    assert_true(jsonrpc_framer_idle(f));
    jsonrpc_framer_destroy(f);
}

static void
test_split_everywhere(void **state)
{
    (void)state;
    size_t len;
    char *buf = build_stream(&len);

    feed_pieces(buf, len, NULL, 0);
    for (size_t k = 1; k < len; k++) {
        feed_pieces(buf, len, &k, 1);
    }
    for (size_t k = 1; k + 7 < len; k += 3) { /* three pieces */
        size_t cuts[2] = {k, k + 7};
        feed_pieces(buf, len, cuts, 2);
    }
    size_t *all = malloc(len * sizeof *all); /* byte by byte */
    for (size_t k = 0; k + 1 < len; k++) {
        all[k] = k + 1;
    }
    feed_pieces(buf, len, all, len - 1);
    free(all);
    free(buf);
}

/* Feeds 'text' whole; returns the first error (or 0), and how many values
 * came out before it in '*values'. */
static int
feed_text(const char *text, size_t max, int depth, int *values)
{
    struct jsonrpc_framer *f = jsonrpc_framer_create(max, depth);
    size_t len = strlen(text), off = 0;
    int r = 0;

    *values = 0;
    while (off < len) {
        size_t used;
        r = jsonrpc_framer_feed(f, text + off, len - off, &used);
        off += used;
        if (r < 0) {
            break;
        }
        if (r == 1) {
            json_t *v;
            r = jsonrpc_framer_take(f, &v);
            if (r) {
                break;
            }
            json_decref(v);
            (*values)++;
        }
    }
    if (r < 0) { /* errors are final */
        size_t used;
        assert_int_equal(jsonrpc_framer_feed(f, "{}", 2, &used), r);
        assert_true(strlen(jsonrpc_framer_error(f)) > 0);
    }
    jsonrpc_framer_destroy(f);
    return r;
}

static void
test_limits(void **state)
{
    (void)state;
    int n;
    char big[300];

    /* Over the size cap: error before the value ends. */
    memset(big, 'x', sizeof big);
    memcpy(big, "{\"a\":\"", 6);
    big[sizeof big - 1] = '\0';
    assert_int_equal(feed_text(big, 100, 128, &n), -EMSGSIZE);
    assert_int_equal(feed_text("{\"a\":1} {\"b\":\"0123456789\"}", 16, 128, &n),
                     -EMSGSIZE);
    assert_int_equal(n, 1);
    /* Exactly at the cap is fine. */
    assert_int_equal(feed_text("{\"a\":\"123456\"}", 14, 128, &n), 0);
    assert_int_equal(n, 1);

    /* Nesting over the cap; brackets inside strings do not count. */
    assert_int_equal(feed_text("[[[[1]]]]", 1000, 3, &n), -EPROTO);
    assert_int_equal(feed_text("[[[\"[[[[[[\"]]]", 1000, 3, &n), 0);
    assert_int_equal(n, 1);
    char deep[1000] = "";
    for (int i = 0; i < 200; i++) {
        strcat(deep, "[");
    }
    assert_int_equal(feed_text(deep, 1 << 20, JSONRPC_MAX_DEPTH, &n),
                     -EPROTO);
}

static void
test_garbage(void **state)
{
    (void)state;
    int n;
    const char *bad[] = {"abc", "}", "]", "1", "\"str\"", "null",
                         "{} x", "\x01", "{\"a\":1}}"};

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(feed_text(bad[i], 1000, 128, &n), -EPROTO);
    }
    /* Balanced but not JSON: caught by the parser. */
    assert_int_equal(feed_text("{bad}", 1000, 128, &n), -EPROTO);
    assert_int_equal(feed_text("[1,]", 1000, 128, &n), -EPROTO);
    assert_int_equal(feed_text("{\"a\":\"\\u0000\"}", 1000, 128, &n), -EPROTO);
    assert_int_equal(feed_text("{\"a\":\"\xff\xfe\"}", 1000, 128, &n), -EPROTO);
    assert_int_equal(feed_text("[\"unterminated]", 1000, 128, &n), 0);
    assert_int_equal(n, 0);
}

static struct jsonrpc_msg *
classify(const char *text, int expect_err)
{
    json_t *v = json_loads(text, 0, NULL);
    struct jsonrpc_msg *m = NULL;
    char err[JSONRPC_ERR_LEN] = "";

    assert_non_null(v);
    assert_int_equal(jsonrpc_msg_from_json(v, &m, err), expect_err);
    if (expect_err) {
        assert_null(m);
        assert_true(strlen(err) > 0);
    }
    json_decref(v);
    return m;
}

static void
test_messages(void **state)
{
    (void)state;
    struct jsonrpc_msg *m;

    m = classify("{\"method\":\"echo\",\"params\":[],\"id\":\"echo\"}", 0);
    assert_int_equal(m->type, JSONRPC_REQUEST);
    assert_string_equal(m->method, "echo");
    jsonrpc_msg_destroy(m);
    m = classify("{\"method\":\"update\",\"params\":[1],\"id\":null}", 0);
    assert_int_equal(m->type, JSONRPC_NOTIFY);
    jsonrpc_msg_destroy(m);
    m = classify("{\"result\":[1],\"error\":null,\"id\":7}", 0);
    assert_int_equal(m->type, JSONRPC_REPLY);
    assert_int_equal(json_integer_value(m->id), 7);
    jsonrpc_msg_destroy(m);
    m = classify("{\"result\":null,\"error\":\"unknown database\",\"id\":7}",
                 0);
    assert_int_equal(m->type, JSONRPC_ERROR);
    assert_string_equal(json_string_value(m->error), "unknown database");
    jsonrpc_msg_destroy(m);

    classify("{\"method\":\"echo\",\"params\":{},\"id\":1}", -EPROTO);
    classify("{\"method\":5,\"params\":[],\"id\":1}", -EPROTO);
    classify("{\"result\":1}", -EPROTO);
    classify("{\"id\":1}", -EPROTO);
    classify("[1]", -EPROTO);

    /* Round trip. */
    m = jsonrpc_create_request("transact", json_pack("[s]", "db"),
                               json_integer(3));
    json_t *w = jsonrpc_msg_to_json(m);
    char *s = json_dumps(w, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"id\":3,\"method\":\"transact\",\"params\":"
                           "[\"db\"]}");
    free(s);
    json_decref(w);
    json_t *id = json_string("e1");
    struct jsonrpc_msg *r = jsonrpc_create_reply(json_pack("[i]", 1), id);
    json_decref(id);
    w = jsonrpc_msg_to_json(r);
    s = json_dumps(w, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"error\":null,\"id\":\"e1\",\"result\":[1]}");
    free(s);
    json_decref(w);
    jsonrpc_msg_destroy(r);
    jsonrpc_msg_destroy(m);
    m = jsonrpc_create_notify("update", NULL);
    w = jsonrpc_msg_to_json(m);
    s = json_dumps(w, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"id\":null,\"method\":\"update\",\"params\":[]}");
    free(s);
    json_decref(w);
    jsonrpc_msg_destroy(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_everywhere),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
