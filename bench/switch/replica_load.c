/* replica_load: how long src/ovsdb takes to take in a large initial
 * monitor reply, and how much memory a replica row costs.
 *
 * Builds, as text, the reply a switch with N Ucast_Macs_Remote rows would
 * send to "monitor" (rows spread over L logical switches and P locators,
 * like a real switch), then measures:
 *   - framing and parsing (jsonrpc framer in 64 KiB reads + jansson),
 *   - replica_apply() of the result into an empty replica,
 *   - the heap growth per row that the replica keeps (glibc mallinfo2,
 *     after the message is freed),
 *   - the same with a natural-key index on (MAC, logical_switch),
 *   - replica_clear() plus a second apply (a reconnect).
 *
 * Usage: replica_load [ROWS [LOGICAL_SWITCHES [LOCATORS]]]
 *        defaults 100000 100 1000.  Prints one figure per line. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ovsdb/jsonrpc.h"
#include "ovsdb/replica.h"

#define READ_CHUNK ((size_t)64 << 10)

struct text {
    char *buf;
    size_t len, cap;
};

static void
text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->cap + n + 1) * 2;
        t->buf = realloc(t->buf, t->cap);
        if (!t->buf) {
            perror("realloc");
            exit(1);
        }
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

/* A UUID made from a kind byte and a number (deterministic). */
static void
make_uuid(char out[37], unsigned kind, unsigned long n)
{
    snprintf(out, 37, "%08lx-%04x-4%03x-8%03x-%012llx",
             (n * 2654435761ul) & 0xfffffffful, kind & 0xffff,
             (unsigned)(n & 0xfff), kind & 0xfff,
             (unsigned long long)(n & 0xffffffffffffull));
}

static struct text
build_reply(unsigned long rows, unsigned long n_ls, unsigned long n_pl)
{
    struct text t = {0};
    char row[512], u[37], ls[37], pl[37];

    const char *head = "{\"id\":2,\"error\":null,\"result\":"
                       "{\"Ucast_Macs_Remote\":{";
    text_add(&t, head, strlen(head));
    for (unsigned long i = 0; i < rows; i++) {
        make_uuid(u, 0xa, i);
        make_uuid(ls, 0xb, i % n_ls);
        make_uuid(pl, 0xc, (i * 7) % n_pl);
        int n = snprintf(row, sizeof row,
                         "%s\"%s\":{\"new\":{\"MAC\":\"02:00:%02lx:%02lx:%02lx:"
                         "%02lx\",\"ipaddr\":\"10.%lu.%lu.%lu\","
                         "\"logical_switch\":[\"uuid\",\"%s\"],"
                         "\"locator\":[\"uuid\",\"%s\"]}}",
                         i ? "," : "", u, (i >> 24) & 0xff, (i >> 16) & 0xff,
                         (i >> 8) & 0xff, i & 0xff, (i >> 16) & 0xff,
                         (i >> 8) & 0xff, i & 0xff, ls, pl);
        text_add(&t, row, (size_t)n);
    }
    text_add(&t, "}}}", 3);
    return t;
}

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t
heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();

    return mi.uordblks + mi.hblkhd;
}

/* Frames and parses the reply as a connection would. */
static struct jsonrpc_msg *
receive(const struct text *t)
{
    struct jsonrpc_framer *f = jsonrpc_framer_create(0, 0);
    struct jsonrpc_msg *m = NULL;
    json_t *v = NULL;
    size_t off = 0;

    while (off < t->len && !v) {
        size_t n = t->len - off < READ_CHUNK ? t->len - off : READ_CHUNK;
        size_t used;
        int r = jsonrpc_framer_feed(f, t->buf + off, n, &used);
        off += used;
        if (r < 0 || (r == 1 && jsonrpc_framer_take(f, &v))) {
            fprintf(stderr, "framing: %s\n", jsonrpc_framer_error(f));
            exit(1);
        }
    }
    jsonrpc_framer_destroy(f);
    if (!v || jsonrpc_msg_from_json(v, &m, NULL)) {
        fprintf(stderr, "no message\n");
        exit(1);
    }
    json_decref(v);
    return m;
}

/* Applies the reply into 'r'; returns the apply time in ms and the heap
 * growth kept after the message is freed in '*kept'. */
static double
load(struct replica *r, const struct text *t, double *parse_ms, size_t *kept)
{
    size_t before = heap_used();
    double t0 = now_ms();
    struct jsonrpc_msg *m = receive(t);
    double t1 = now_ms();

    if (replica_apply(r, m->result)) {
        fprintf(stderr, "apply failed\n");
        exit(1);
    }
    double t2 = now_ms();
    jsonrpc_msg_destroy(m);
    *parse_ms = t1 - t0;
    *kept = heap_used() - before;
    return t2 - t1;
}

int
main(int argc, char *argv[])
{
    unsigned long rows = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    unsigned long n_ls = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
    unsigned long n_pl = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
    double parse_ms, apply_ms;
    size_t kept;

    if (!rows || !n_ls || !n_pl) {
        fprintf(stderr, "usage: %s [ROWS [LOGICAL_SWITCHES [LOCATORS]]]\n",
                argv[0]);
        return 2;
    }
    struct text t = build_reply(rows, n_ls, n_pl);
    printf("rows %lu, logical switches %lu, locators %lu\n", rows, n_ls,
           n_pl);
    printf("monitor reply: %.1f MB\n", t.len / 1e6);

    struct replica *r = replica_create();
    apply_ms = load(r, &t, &parse_ms, &kept);
    printf("framing + parse: %.0f ms\n", parse_ms);
    printf("replica apply: %.0f ms\n", apply_ms);
    printf("replica bytes per row: %.0f\n", (double)kept / rows);

    double c0 = now_ms();
    replica_clear(r);
    double c1 = now_ms();
    apply_ms = load(r, &t, &parse_ms, &kept);
    printf("reconnect (clear %.0f ms, parse %.0f ms, apply %.0f ms)\n",
           c1 - c0, parse_ms, apply_ms);
    replica_destroy(r);

    r = replica_create();
    const char *cols[] = {"MAC", "logical_switch"};
    struct replica_index *idx;
    replica_add_index(r, "Ucast_Macs_Remote", cols, 2, &idx);
    apply_ms = load(r, &t, &parse_ms, &kept);
    printf("with index (MAC, logical_switch): apply %.0f ms, bytes per row "
           "%.0f\n", apply_ms, (double)kept / rows);
    replica_destroy(r);

    r = replica_create();
    struct text unique = build_reply(rows, rows, rows);
    apply_ms = load(r, &unique, &parse_ms, &kept);
    printf("worst case (no shared references): apply %.0f ms, bytes per row "
           "%.0f\n", apply_ms, (double)kept / rows);
    replica_destroy(r);
    free(unique.buf);
    free(t.buf);
    return 0;
}
