/* Unit tests of lib/loop: timers, fd readiness, immediate wake, signals. */
#include "lib/loop.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

/* Generous upper bound for "returned at once" on a loaded machine. */
#define PROMPT_MS 400

static long long timed_block(void)
{
    long long t0 = loop_now();

    loop_block();
    return loop_now() - t0;
}

static void test_clock(void **state)
{
    long long a = loop_now();
    usleep(20 * 1000);
    long long b = loop_now();

    assert_true(b - a >= 20);
    assert_true(b - a < 1000);
    /* Wall clock is after 2020-01-01 and in milliseconds. */
    assert_true(loop_wall_now() > 1577836800000LL);
}

static void test_timer(void **state)
{
    loop_timer_wait(60);
    long long took = timed_block();

    assert_true(took >= 60);
    assert_true(took < 60 + PROMPT_MS);
}

static void test_earliest_timer_wins(void **state)
{
    loop_timer_wait(5000);
    loop_timer_wait(30);
    loop_timer_wait(3000);
    long long took = timed_block();

    assert_true(took >= 30);
    assert_true(took < 30 + PROMPT_MS);
}

static void test_timer_in_past(void **state)
{
    loop_timer_wait_until(loop_now() - 1000);
    assert_true(timed_block() < PROMPT_MS);
    loop_timer_wait(0);
    assert_true(timed_block() < PROMPT_MS);
}

static void test_fd_ready(void **state)
{
    int p[2];

    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "x", 1), 1);
    loop_fd_wait(p[0], POLLIN);
    loop_timer_wait(5000);
    assert_true(timed_block() < PROMPT_MS);
    assert_true(loop_fd_was_ready(p[0], POLLIN));
    assert_false(loop_fd_was_ready(p[0], POLLOUT));
    assert_false(loop_fd_was_ready(p[1], POLLOUT)); /* not registered */
    close(p[0]);
    close(p[1]);
}

static void test_fd_not_ready(void **state)
{
    int p[2];

    assert_int_equal(pipe(p), 0);
    loop_fd_wait(p[0], POLLIN);
    loop_timer_wait(50);
    long long took = timed_block();
    assert_true(took >= 50);
    assert_false(loop_fd_was_ready(p[0], POLLIN));
    close(p[0]);
    close(p[1]);
}

static void test_events_merge(void **state)
{
    int p[2];

    assert_int_equal(pipe(p), 0);
    /* The write end is never readable but always writable here: the
     * second registration must not replace the first. */
    loop_fd_wait(p[1], POLLOUT);
    loop_fd_wait(p[1], POLLIN);
    loop_timer_wait(5000);
    assert_true(timed_block() < PROMPT_MS);
    assert_true(loop_fd_was_ready(p[1], POLLOUT));
    close(p[0]);
    close(p[1]);
}

static void test_hangup_counts_as_ready(void **state)
{
    int p[2];

    assert_int_equal(pipe(p), 0);
    close(p[1]);
    loop_fd_wait(p[0], POLLIN);
    loop_timer_wait(5000);
    assert_true(timed_block() < PROMPT_MS);
    assert_true(loop_fd_was_ready(p[0], POLLIN));
    close(p[0]);
}

static void test_registrations_cleared(void **state)
{
    int p[2];

    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "x", 1), 1);
    loop_fd_wait(p[0], POLLIN);
    loop_immediate_wake();
    loop_block();
    assert_true(loop_fd_was_ready(p[0], POLLIN));

    /* Nothing carried over: the readable fd and the immediate wake are
     * forgotten, so only the timer ends this block. */
    loop_timer_wait(50);
    assert_true(timed_block() >= 50);
    assert_false(loop_fd_was_ready(p[0], POLLIN));
    close(p[0]);
    close(p[1]);
}

static void test_immediate_wake(void **state)
{
    int p[2];

    assert_int_equal(pipe(p), 0);
    loop_fd_wait(p[0], POLLIN);
    loop_timer_wait(5000);
    loop_immediate_wake();
    assert_true(timed_block() < PROMPT_MS);
    assert_false(loop_fd_was_ready(p[0], POLLIN));
    close(p[0]);
    close(p[1]);
}

/* More fds than the initial allocation: the array must grow. */
static void test_many_fds(void **state)
{
    enum { N = 40 };
    int p[N][2];

    for (int i = 0; i < N; i++) {
        assert_int_equal(pipe(p[i]), 0);
        loop_fd_wait(p[i][0], POLLIN);
    }
    assert_int_equal(write(p[37][1], "x", 1), 1);
    loop_timer_wait(5000);
    assert_true(timed_block() < PROMPT_MS);
    for (int i = 0; i < N; i++) {
        assert_int_equal(loop_fd_was_ready(p[i][0], POLLIN), i == 37);
        close(p[i][0]);
        close(p[i][1]);
    }
}

static void on_alarm(int sig)
{
}

/* With nothing registered, a signal ends the block (EINTR is handled). */
static void test_signal_interrupts(void **state)
{
    struct sigaction sa = {.sa_handler = on_alarm};
    struct itimerval it = {.it_value = {.tv_usec = 50 * 1000}};

    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
    long long took = timed_block();
    assert_true(took >= 40);
    assert_true(took < 50 + PROMPT_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_timer),
        cmocka_unit_test(test_earliest_timer_wins),
        cmocka_unit_test(test_timer_in_past),
        cmocka_unit_test(test_fd_ready),
        cmocka_unit_test(test_fd_not_ready),
        cmocka_unit_test(test_events_merge),
        cmocka_unit_test(test_hangup_counts_as_ready),
        cmocka_unit_test(test_registrations_cleared),
        cmocka_unit_test(test_immediate_wake),
        cmocka_unit_test(test_many_fds),
        cmocka_unit_test(test_signal_interrupts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
