/* sb_proc: child processes of switchbench and what /proc says about them.
 *
 * Every process started here is remembered until it is reaped, so that
 * proc_kill_all() (at exit, or on SIGINT/SIGTERM) ends exactly the
 * processes this benchmark started, by pid.  Their pids are also appended
 * to a file (proc_set_pidfile()) so that bench/switch/run.sh can end them
 * if switchbench itself dies. */
#ifndef SB_PROC_H
#define SB_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* Most children alive at once (100 switch databases + l2gwd + tools). */
#define PROC_MAX_CHILDREN 512

/* Appends the pid of every child started from now on to 'path'. */
void proc_set_pidfile(const char *path);

/* Starts argv[0] (searched in PATH) with stdin from /dev/null and stdout
 * and stderr appended to 'log' (NULL: /dev/null).  Returns its pid or a
 * negative errno. */
pid_t proc_spawn(const char *const argv[], const char *log);

/* proc_spawn() and wait.  Returns the exit status (128 + signal if
 * killed) or a negative errno. */
int proc_run(const char *const argv[], const char *log);

/* Sends 'sig' to child 'pid' and waits up to 'timeout_s' for it to end
 * (then SIGKILL).  Returns its exit status, 128 + signal if killed by a
 * signal, or -ETIMEDOUT if it had to be killed. */
int proc_stop(pid_t pid, int sig, double timeout_s);

/* True while child 'pid' has not exited (reaps it if it has). */
bool proc_alive(pid_t pid);

/* SIGKILLs and reaps every child still alive. */
void proc_kill_all(void);

/* Resident set size (VmRSS) and its peak (VmHWM) in KiB, or -1. */
long proc_rss_kb(pid_t pid);
long proc_hwm_kb(pid_t pid);

/* Voluntary context switches so far (each sleep in poll() is one), or -1. */
long proc_wakeups(pid_t pid);

/* CPU time used so far by every thread of 'pid', in nanoseconds, from
 * /proc/PID/task/TID/schedstat (or /proc/PID/stat in clock ticks), or -1. */
long long proc_cpu_ns(pid_t pid);

/* Monotonic and wall-clock time in nanoseconds. */
long long proc_mono_ns(void);
long long proc_wall_ns(void);

#endif
