/* libFuzzer target: arbitrary bytes as an INI file for config_load_string(),
 * applied over the defaults, then freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    struct config cfg;
    char err[256];
    char *text = malloc(size + 1);

    if (!text) {
        return 0;
    }
    if (!quiet) {
        /* Keep the formatting of log lines in the fuzzed code, not the
         * noise on the terminal. */
        log_set_level(LOG_LEVEL_DBG);
        log_set_file("/dev/null");
        quiet = 1;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    config_init(&cfg);
    config_load_string(&cfg, "fuzz.ini", text, err, sizeof err);
    config_destroy(&cfg);
    free(text);
    return 0;
}
