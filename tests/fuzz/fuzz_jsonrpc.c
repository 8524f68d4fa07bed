/* libFuzzer target: arbitrary bytes into the JSON-RPC framing scanner,
 * the parser, and message classification (src/ovsdb/jsonrpc.c).  The
 * first byte chooses where the input is split in two feeds, so that the
 * scanner's state across calls is exercised too. */
#include <stddef.h>
#include <stdint.h>

#include "ovsdb/jsonrpc.h"

/* Small caps so that the size and depth errors are reachable. */
#define FUZZ_MAX_BYTES 65536
#define FUZZ_MAX_DEPTH 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
take_one(struct jsonrpc_framer *f)
{
    json_t *v;
    struct jsonrpc_msg *m;

    if (jsonrpc_framer_take(f, &v)) {
        return;
    }
    if (!jsonrpc_msg_from_json(v, &m, NULL)) {
        json_t *back = jsonrpc_msg_to_json(m);
        json_decref(back);
        jsonrpc_msg_destroy(m);
    }
    json_decref(v);
}

/* Feeds 'n' bytes; returns false after an error. */
static int
feed(struct jsonrpc_framer *f, const char *p, size_t n)
{
    while (n > 0) {
        size_t used;
        int r = jsonrpc_framer_feed(f, p, n, &used);
        if (r < 0) {
            return 0;
        }
        if (r == 1) {
            take_one(f);
        }
        p += used;
        n -= used;
    }
    return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    struct jsonrpc_framer *f = jsonrpc_framer_create(FUZZ_MAX_BYTES,
                                                     FUZZ_MAX_DEPTH);
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    size_t cut = n ? data[0] % (n + 1) : 0;

    if (feed(f, p, cut)) {
        feed(f, p + cut, n - cut);
    }
    jsonrpc_framer_destroy(f);
    return 0;
}
