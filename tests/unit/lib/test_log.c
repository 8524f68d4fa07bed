/* Unit tests of lib/log: line format, file output, levels, rate limits. */
#define LOG_MODULE "tlog"
#include "lib/log.h"

#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static char path[64];

static int setup(void **state)
{
    strcpy(path, "/tmp/l2gw-test-log-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) {
        return -1;
    }
    close(fd);
    log_set_level(LOG_LEVEL_INFO);
    return log_set_file(path);
}

static int teardown(void **state)
{
    log_set_file(NULL);
    unlink(path);
    return 0;
}

/* Returns what the log file holds; caller frees. */
static char *slurp(const char *p)
{
    FILE *f = fopen(p, "r");
    static char empty[] = "";
    if (!f) {
        return strdup(empty);
    }
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) {
        n += *s == '\n';
    }
    return n;
}

/* "YYYY-MM-DDTHH" of now in UTC. */
static void utc_hour(char buf[32])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:", &tm);
}

static void test_format(void **state)
{
    regex_t re;
    char before[32], after[32];

    /* Local time 14 hours off UTC: the log must still show UTC. */
    setenv("TZ", "XYZ-14", 1);
    tzset();
    utc_hour(before);
    log_warn("switch %s has %d ports", "sw1", 3);
    utc_hour(after);
    char *got = slurp(path);
    assert_int_equal(regcomp(&re,
                             "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                             "[0-9]{2}\\.[0-9]{3}Z\\|tlog\\|WARN\\|"
                             "switch sw1 has 3 ports\n$",
                             REG_EXTENDED),
                     0);
    assert_int_equal(regexec(&re, got, 0, NULL, 0), 0);
    regfree(&re);
    assert_true(!strncmp(got, before, strlen(before)) ||
                !strncmp(got, after, strlen(after)));
    free(got);
}

static void test_levels(void **state)
{
    log_err("e");
    log_warn("w");
    log_info("i");
    log_dbg("d");
    log_set_level(LOG_LEVEL_WARN);
    assert_int_equal(log_get_level(), LOG_LEVEL_WARN);
    log_info("i2");
    log_warn("w2");
    log_set_level(LOG_LEVEL_DBG);
    log_dbg("d2");
    log_set_level(LOG_LEVEL_INFO);

    char *got = slurp(path);
    assert_int_equal(count_lines(got), 5);
    assert_non_null(strstr(got, "|tlog|ERR|e\n"));
    assert_non_null(strstr(got, "|tlog|WARN|w\n"));
    assert_non_null(strstr(got, "|tlog|INFO|i\n"));
    assert_null(strstr(got, "|d\n"));
    assert_null(strstr(got, "|i2\n"));
    assert_non_null(strstr(got, "|tlog|WARN|w2\n"));
    assert_non_null(strstr(got, "|tlog|DBG|d2\n"));
    free(got);
}

static void test_file_appends(void **state)
{
    FILE *f = fopen(path, "w");
    fputs("old line\n", f);
    fclose(f);
    assert_int_equal(log_set_file(path), 0);
    log_info("new");
    char *got = slurp(path);
    assert_non_null(strstr(got, "old line\n"));
    assert_non_null(strstr(got, "|INFO|new\n"));
    free(got);
}

static void test_bad_file_keeps_old(void **state)
{
    assert_int_equal(log_set_file("/nonexistent-dir/x.log"), -ENOENT);
    log_info("still here");
    char *got = slurp(path);
    assert_non_null(strstr(got, "still here"));
    free(got);
}

static void test_reopen(void **state)
{
    char moved[80];

    snprintf(moved, sizeof moved, "%s.1", path);
    log_info("before");
    assert_int_equal(rename(path, moved), 0);
    log_info("rotated"); /* still to the renamed file */
    assert_int_equal(log_reopen(), 0);
    log_info("after");
    char *old = slurp(moved), *cur = slurp(path);
    assert_non_null(strstr(old, "before"));
    assert_non_null(strstr(old, "rotated"));
    assert_null(strstr(old, "after"));
    assert_non_null(strstr(cur, "after"));
    free(old);
    free(cur);
    unlink(moved);
}

static void test_long_line_truncated(void **state)
{
    char *big = malloc(20000);
    memset(big, 'a', 19999);
    big[19999] = '\0';
    log_info("%s", big);
    free(big);
    char *got = slurp(path);
    size_t n = strlen(got);
    assert_true(n <= 8192);
    assert_int_equal(count_lines(got), 1);
    assert_memory_equal(got + n - 4, "...\n", 4);
    free(got);
}

static void test_rate_limit(void **state)
{
    struct log_rl rl = LOG_RL_INIT(2, 100000);

    for (int i = 0; i < 5; i++) {
        log_warn_rl(&rl, "flap %d", i);
    }
    assert_int_equal(rl.suppressed, 3);
    char *got = slurp(path);
    assert_int_equal(count_lines(got), 2);
    assert_non_null(strstr(got, "flap 0\n"));
    assert_non_null(strstr(got, "flap 1\n"));
    assert_null(strstr(got, "flap 2"));
    free(got);

    /* Pretend the window is over: the next line tells what was lost. */
    rl.window_start -= 200000;
    log_warn_rl(&rl, "flap %d", 5);
    log_warn_rl(&rl, "flap %d", 6);
    got = slurp(path);
    assert_non_null(strstr(got, "|WARN|flap 5 (3 similar lines suppressed)\n"));
    assert_non_null(strstr(got, "|WARN|flap 6\n"));
    assert_int_equal(rl.suppressed, 0);
    free(got);
}

static void test_rate_limit_real_time(void **state)
{
    static struct log_rl rl = LOG_RL_INIT(1, 50);

    log_err_rl(&rl, "one");
    log_err_rl(&rl, "two");
    usleep(80 * 1000);
    log_err_rl(&rl, "three");
    char *got = slurp(path);
    assert_non_null(strstr(got, "|ERR|one\n"));
    assert_null(strstr(got, "two"));
    assert_non_null(strstr(got, "|ERR|three (1 similar lines suppressed)\n"));
    free(got);
}

/* A suppressed count is not carried onto an unrelated line. */
static void test_rate_limit_note_not_leaked(void **state)
{
    struct log_rl rl = LOG_RL_INIT(1, 100000);

    log_warn_rl(&rl, "a");
    log_warn_rl(&rl, "b");
    rl.window_start -= 200000;
    log_set_level(LOG_LEVEL_ERR); /* the allowed warning is filtered */
    log_warn_rl(&rl, "c");
    log_set_level(LOG_LEVEL_INFO);
    log_info("unrelated");
    char *got = slurp(path);
    assert_non_null(strstr(got, "|INFO|unrelated\n"));
    assert_null(strstr(got, "suppressed"));
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_appends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_keeps_old, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_line_truncated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_real_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rate_limit_note_not_leaked, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
