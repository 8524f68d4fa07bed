/* sb_proc: child processes and /proc figures (see sb_proc.h). */
#include "sb_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t children[PROC_MAX_CHILDREN];
static size_t n_children;
static char *pidfile;

void proc_set_pidfile(const char *path)
{
    free(pidfile);
    pidfile = path ? strdup(path) : NULL;
}

static void remember(pid_t pid)
{
    if (n_children < PROC_MAX_CHILDREN) {
        children[n_children++] = pid;
    }
    if (pidfile) {
        FILE *f = fopen(pidfile, "a");
        if (f) {
            fprintf(f, "%ld\n", (long)pid);
            fclose(f);
        }
    }
}

static void forget(pid_t pid)
{
    for (size_t i = 0; i < n_children; i++) {
        if (children[i] == pid) {
            children[i] = children[--n_children];
            return;
        }
    }
}

/* In the child: stdin from /dev/null, stdout and stderr to 'log'. */
static void redirect(const char *log)
{
    int in = open("/dev/null", O_RDONLY);
    int out =
        open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);

    if (in >= 0) {
        dup2(in, 0);
    }
    if (out >= 0) {
        dup2(out, 1);
        dup2(out, 2);
    }
}

pid_t proc_spawn(const char *const argv[], const char *log)
{
    pid_t pid = fork();

    if (pid < 0) {
        return -errno;
    }
    if (pid == 0) {
        redirect(log);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "switchbench: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    remember(pid);
    return pid;
}

static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int proc_run(const char *const argv[], const char *log)
{
    pid_t pid = proc_spawn(argv, log);
    int status;

    if (pid < 0) {
        return pid;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    forget(pid);
    return exit_code(status);
}

long long proc_mono_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

long long proc_wall_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int proc_stop(pid_t pid, int sig, double timeout_s)
{
    long long deadline = proc_mono_ns() + (long long)(timeout_s * 1e9);
    int status;

    kill(pid, sig);
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD)) {
            forget(pid);
            return r == pid ? exit_code(status) : 0;
        }
        if (proc_mono_ns() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            forget(pid);
            return -ETIMEDOUT;
        }
        usleep(2000);
    }
}

bool proc_alive(pid_t pid)
{
    int status;
    pid_t r = waitpid(pid, &status, WNOHANG);

    if (r == pid || (r < 0 && errno == ECHILD)) {
        forget(pid);
        return false;
    }
    return true;
}

void proc_kill_all(void)
{
    for (size_t i = 0; i < n_children; i++) {
        kill(children[i], SIGKILL);
    }
    while (n_children) {
        waitpid(children[--n_children], NULL, 0);
    }
}

/* The number on line 'key' of /proc/PID/status (KiB for sizes), or -1. */
static long status_kb(pid_t pid, const char *key)
{
    char path[64], line[256];
    size_t n = strlen(key);
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    if (!(f = fopen(path, "r"))) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, key, n) && line[n] == ':') {
            kb = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

long proc_rss_kb(pid_t pid)
{
    return status_kb(pid, "VmRSS");
}

long proc_hwm_kb(pid_t pid)
{
    return status_kb(pid, "VmHWM");
}

long proc_wakeups(pid_t pid)
{
    return status_kb(pid, "voluntary_ctxt_switches");
}

/* utime + stime of /proc/PID/stat in nanoseconds, or -1. */
static long long stat_cpu_ns(pid_t pid)
{
    char path[64], buf[1024];
    unsigned long long ut, st;
    FILE *f;
    char *p;

    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if (!(f = fopen(path, "r"))) {
        return -1;
    }
    p = fgets(buf, sizeof buf, f);
    fclose(f);
    /* Fields after the command (which may hold spaces) start at ')'. */
    if (!p || !(p = strrchr(buf, ')')) ||
        sscanf(p + 2,
               "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
               "%llu",
               &ut, &st) != 2) {
        return -1;
    }
    return (long long)(ut + st) * (1000000000LL / sysconf(_SC_CLK_TCK));
}

/* The first field of /proc/PID/task/TID/schedstat (ns on a CPU), or -1. */
static long long task_ns(pid_t pid, const char *tid)
{
    char path[320];
    unsigned long long ns;
    FILE *f;
    int n;

    snprintf(path, sizeof path, "/proc/%ld/task/%s/schedstat", (long)pid, tid);
    if (!(f = fopen(path, "r"))) {
        return -1;
    }
    n = fscanf(f, "%llu", &ns);
    fclose(f);
    return n == 1 ? (long long)ns : -1;
}

long long proc_cpu_ns(pid_t pid)
{
    char path[64];
    long long sum = 0;
    struct dirent *e;
    DIR *dir;

    snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
    if (!(dir = opendir(path))) {
        return -1;
    }
    while (sum >= 0 && (e = readdir(dir))) {
        if (e->d_name[0] != '.') {
            long long ns = task_ns(pid, e->d_name);
            sum = ns < 0 ? -1 : sum + ns;
        }
    }
    closedir(dir);
    return sum >= 0 ? sum : stat_cpu_ns(pid);
}
