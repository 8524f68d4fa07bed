/* Single-threaded poll loop in the style of Open vSwitch.
 *
 * Every module that does I/O exposes foo_run() (do whatever work is possible
 * now, never block) and foo_wait() (register with loop_fd_wait() /
 * loop_timer_wait() what should wake the process next).  The main loop calls
 * every run(), every wait(), then loop_block(), which sleeps in poll(2) until
 * one registered event happens and then forgets all registrations.
 *
 * There is no callback registry and no locking: one loop per process, used
 * from one thread. */
#ifndef L2GW_LOOP_H
#define L2GW_LOOP_H

#include <stdbool.h>

/* Monotonic time in milliseconds.  Cheap; refreshed on every call. */
long long loop_now(void);

/* Wall-clock time in milliseconds since the epoch. */
long long loop_wall_now(void);

/* Wakes the next loop_block() when 'fd' is ready for 'events' (POLLIN,
 * POLLOUT).  Registering the same fd twice merges the events. */
void loop_fd_wait(int fd, short events);

/* Wakes the next loop_block() after 'ms' milliseconds (0 = at once). */
void loop_timer_wait(long long ms);

/* Wakes the next loop_block() at monotonic time 'when' (loop_now() scale). */
void loop_timer_wait_until(long long when);

/* Makes the next loop_block() return at once. */
void loop_immediate_wake(void);

/* Sleeps until a registered event happens, then clears all registrations.
 * With nothing registered it sleeps until a signal interrupts it. */
void loop_block(void);

/* True if the last loop_block() returned with 'fd' reporting any of
 * 'events' (or an error/hangup).  Valid until the next loop_block(). */
bool loop_fd_was_ready(int fd, short events);

#endif
