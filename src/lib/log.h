/* Logging: levels, module names, rate limits.
 *
 * Every .c file that logs defines LOG_MODULE (a short string such as "api")
 * before including this header, then uses log_err(), log_warn(), log_info(),
 * log_dbg().  Lines go to stderr, or to the file set with log_set_file(), as
 *   2026-11-22T01:02:03.456Z|api|WARN|message
 * Log lines name objects by their natural key (switch name, MAC, VNI). */
#ifndef L2GW_LOG_H
#define L2GW_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DBG };

/* Messages above 'level' are dropped.  Default: LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Sends lines to 'path' (appended) instead of stderr; NULL = stderr.
 * Returns 0 or a negative errno (the previous destination is kept). */
int log_set_file(const char *path);

/* Reopens the file set with log_set_file() (after log rotation); does
 * nothing when logging to stderr.  Returns 0 or a negative errno (the old
 * file is kept). */
int log_reopen(void);

void log_write(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A rate limit: at most 'burst' lines per 'interval_ms'; lines over it are
 * counted and their number reported with the next line let through. */
struct log_rl {
    int burst;
    long long interval_ms;
    long long window_start;
    int used;
    unsigned long suppressed;
};
#define LOG_RL_INIT(BURST, INTERVAL_MS) {(BURST), (INTERVAL_MS), 0, 0, 0}

/* Returns true if a line may be written now under 'rl' (and counts it).
 * When it returns true after suppressing lines, the next log_write() ends
 * its line with " (N similar lines suppressed)"; so call log_write() right
 * after a true answer, as the *_rl macros do. */
bool log_rl_allow(struct log_rl *rl);

#ifndef LOG_MODULE
#define LOG_MODULE "l2gw"
#endif
#define log_err(...)  log_write(LOG_LEVEL_ERR, LOG_MODULE, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, LOG_MODULE, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, LOG_MODULE, __VA_ARGS__)
#define log_dbg(...)                                                    \
    do {                                                                \
        if (log_get_level() >= LOG_LEVEL_DBG)                           \
            log_write(LOG_LEVEL_DBG, LOG_MODULE, __VA_ARGS__);          \
    } while (0)
/* Rate-limited variants: 'RL' is a 'static struct log_rl' of the caller. */
#define log_warn_rl(RL, ...)                                            \
    do {                                                                \
        if (log_rl_allow(RL))                                           \
            log_write(LOG_LEVEL_WARN, LOG_MODULE, __VA_ARGS__);         \
    } while (0)
#define log_err_rl(RL, ...)                                             \
    do {                                                                \
        if (log_rl_allow(RL))                                           \
            log_write(LOG_LEVEL_ERR, LOG_MODULE, __VA_ARGS__);          \
    } while (0)

#endif
