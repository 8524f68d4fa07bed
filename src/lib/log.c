/* Logging: one formatted line per call, written with a single write(2) to
 * stderr or to an O_APPEND file, so lines of concurrent writers (several
 * processes appending to one file) do not interleave. */
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/loop.h"

/* Longest line written, newline included; longer messages are cut and end
 * with "...". */
#define LOG_LINE_MAX 8192

static enum log_level cur_level = LOG_LEVEL_INFO;
static int log_fd = -1; /* -1 = stderr */
static char *log_path;  /* path of log_fd, for log_reopen() */

/* Lines suppressed by the rate limit that let the next line through;
 * reported at the end of that line (set by log_rl_allow(), consumed by the
 * next log_write()). */
static unsigned long pending_suppressed;

static const char *const level_names[] = {
    [LOG_LEVEL_ERR] = "ERR",
    [LOG_LEVEL_WARN] = "WARN",
    [LOG_LEVEL_INFO] = "INFO",
    [LOG_LEVEL_DBG] = "DBG",
};

void log_set_level(enum log_level level)
{
    cur_level = level;
}

enum log_level log_get_level(void)
{
    return cur_level;
}

static int open_log(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

    return fd < 0 ? -errno : fd;
}

int log_set_file(const char *path)
{
    int fd = -1;
    char *copy = NULL;

    if (path) {
        copy = strdup(path);
        if (!copy) {
            return -ENOMEM;
        }
        fd = open_log(path);
        if (fd < 0) {
            free(copy);
            return fd;
        }
    }
    if (log_fd >= 0) {
        close(log_fd);
    }
    free(log_path);
    log_fd = fd;
    log_path = copy;
    return 0;
}

int log_reopen(void)
{
    if (!log_path) {
        return 0;
    }
    int fd = open_log(log_path);
    if (fd < 0) {
        return fd;
    }
    close(log_fd);
    log_fd = fd;
    return 0;
}

/* Writes "2026-11-22T01:02:03.456Z" (UTC) into 'buf'; returns its length. */
static int format_time(char *buf, size_t size)
{
    long long ms = loop_wall_now();
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    return (int)n + snprintf(buf + n, size - n, ".%03dZ", (int)(ms % 1000));
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return; /* Nowhere to report a logging failure. */
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* Appends the formatted message and the suppression note to 'line', which
 * holds 'len' bytes; returns the new length (at most LOG_LINE_MAX - 1,
 * leaving room for the newline). */
static size_t append_message(char *line, size_t len, unsigned long suppressed,
                             const char *fmt, va_list args)
{
    size_t room = LOG_LINE_MAX - 1 - len;
    int n = vsnprintf(line + len, room + 1, fmt, args);

    if (n < 0) {
        n = 0;
    }
    if ((size_t)n > room) {
        memcpy(line + LOG_LINE_MAX - 4, "...", 3);
        return LOG_LINE_MAX - 1;
    }
    len += (size_t)n;
    if (suppressed) {
        room = LOG_LINE_MAX - 1 - len;
        n = snprintf(line + len, room + 1, " (%lu similar lines suppressed)",
                     suppressed);
        len += (size_t)n > room ? room : (size_t)n;
    }
    return len;
}

void log_write(enum log_level level, const char *module, const char *fmt, ...)
{
    unsigned long suppressed = pending_suppressed;
    char line[LOG_LINE_MAX];
    va_list args;

    pending_suppressed = 0;
    if (level > cur_level) {
        return;
    }
    if ((unsigned)level > LOG_LEVEL_DBG) {
        level = LOG_LEVEL_DBG;
    }
    int n = format_time(line, sizeof line);
    n += snprintf(line + n, sizeof line - (size_t)n, "|%s|%s|",
                  module ? module : "?", level_names[level]);
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;

    va_start(args, fmt);
    len = append_message(line, len, suppressed, fmt, args);
    va_end(args);
    line[len++] = '\n';
    write_all(log_fd >= 0 ? log_fd : STDERR_FILENO, line, len);
}

bool log_rl_allow(struct log_rl *rl)
{
    long long now = loop_now();

    if (now - rl->window_start >= rl->interval_ms || now < rl->window_start) {
        rl->window_start = now;
        rl->used = 0;
    }
    if (rl->used >= rl->burst) {
        rl->suppressed++;
        return false;
    }
    rl->used++;
    pending_suppressed = rl->suppressed;
    rl->suppressed = 0;
    return true;
}
