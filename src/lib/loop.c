/* Poll loop: registrations for the next loop_block(), and what the last
 * loop_block() saw.  See loop.h for the run()/wait()/block() pattern. */
#include "lib/loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "loop"
#include "lib/log.h"

/* A set of poll(2) entries, one per fd, grown on demand. */
struct fdset {
    struct pollfd *fds;
    size_t n;
    size_t cap;
};

static struct fdset waiting;           /* registrations for the next block */
static struct fdset last;              /* result of the last block (revents) */
static long long deadline = LLONG_MAX; /* earliest timer, loop_now() scale */
static bool immediate;

static long long clock_ms(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long loop_now(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

long long loop_wall_now(void)
{
    return clock_ms(CLOCK_REALTIME);
}

static struct pollfd *fdset_find(const struct fdset *set, int fd)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->fds[i].fd == fd) {
            return &set->fds[i];
        }
    }
    return NULL;
}

/* Returns 0, or -ENOMEM with 'set' unchanged. */
static int fdset_reserve(struct fdset *set, size_t n)
{
    if (n <= set->cap) {
        return 0;
    }
    size_t cap = set->cap ? set->cap * 2 : 16;
    while (cap < n) {
        cap *= 2;
    }
    struct pollfd *fds = realloc(set->fds, cap * sizeof *fds);
    if (!fds) {
        return -ENOMEM;
    }
    set->fds = fds;
    set->cap = cap;
    return 0;
}

void loop_fd_wait(int fd, short events)
{
    struct pollfd *p = fdset_find(&waiting, fd);

    if (p) {
        p->events |= events;
        return;
    }
    if (fdset_reserve(&waiting, waiting.n + 1)) {
        /* Cannot wait for the fd: spin rather than hang. */
        log_err("out of memory registering fd %d; waking at once", fd);
        immediate = true;
        return;
    }
    waiting.fds[waiting.n++] = (struct pollfd){.fd = fd, .events = events};
}

void loop_timer_wait_until(long long when)
{
    if (when < deadline) {
        deadline = when;
    }
}

void loop_timer_wait(long long ms)
{
    long long now = loop_now();

    loop_timer_wait_until(ms >= LLONG_MAX - now ? LLONG_MAX : now + ms);
}

void loop_immediate_wake(void)
{
    immediate = true;
}

/* The poll(2) timeout for the current registrations. */
static int block_timeout(void)
{
    if (immediate) {
        return 0;
    }
    if (deadline == LLONG_MAX) {
        return -1;
    }
    long long left = deadline - loop_now();
    if (left <= 0) {
        return 0;
    }
    return left > INT_MAX ? INT_MAX : (int)left;
}

/* Moves the registrations into 'last' and clears them.  Swapping the two
 * sets keeps both allocations for reuse. */
static void forget_registrations(void)
{
    struct fdset tmp = last;

    last = waiting;
    waiting = tmp;
    waiting.n = 0;
    deadline = LLONG_MAX;
    immediate = false;
}

void loop_block(void)
{
    int timeout = block_timeout();
    int n = poll(waiting.fds, waiting.n, timeout);

    if (n < 0) {
        int err = errno;
        /* Interrupted (signal) or failed: report nothing as ready. */
        for (size_t i = 0; i < waiting.n; i++) {
            waiting.fds[i].revents = 0;
        }
        if (err != EINTR) {
            log_err("poll failed: %s", strerror(err));
        }
    }
    forget_registrations();
}

bool loop_fd_was_ready(int fd, short events)
{
    const struct pollfd *p = fdset_find(&last, fd);

    if (!p) {
        return false;
    }
    return (p->revents & (events | POLLERR | POLLHUP | POLLNVAL)) != 0;
}
