/* libFuzzer target: arbitrary bytes as a change notification payload from
 * another node (lib/eventwire.h); a decoded batch must encode back to the
 * same text. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/eventwire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct eventwire_batch b;
    static char again[EVENTWIRE_PAYLOAD_MAX];
    char *text = malloc(size + 1);

    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    bool plain = eventwire_decode(text, &b) == 0;

    /* An "all" event stands for the whole batch: no round trip. */
    for (size_t i = 0; plain && i < b.n; i++) {
        plain = b.ev[i].kind != EVENT_ALL;
    }
    if (plain) {
        if (eventwire_encode(again, sizeof again, b.seq, b.origin, b.ev,
                             b.n)
            || strcmp(again, text)) {
            abort();
        }
    }
    free(text);
    return 0;
}
