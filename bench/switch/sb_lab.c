/* sb_lab: ovsdb-servers and l2gwd for switchbench (see sb_lab.h). */
#include "sb_lab.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sb_proc.h"

#define LISTENING "API listening on http://127.0.0.1:"
/* Longest vtep-ctl command line built here. */
#define LAB_CMD_ARGS 256

static int path_join(char *out, const char *a, const char *b)
{
    int n = snprintf(out, LAB_PATH, "%s/%s", a, b);

    return n < 0 || n >= LAB_PATH ? -ENAMETOOLONG : 0;
}

/* Copies 'path' into 'sun'; false if it does not fit. */
static bool set_sun_path(struct sockaddr_un *sun, const char *path)
{
    size_t n = strlen(path);

    if (n >= sizeof sun->sun_path) {
        return false;
    }
    memcpy(sun->sun_path, path, n + 1);
    return true;
}

/* 0 once a stream connection to unix socket 'path' succeeds. */
static int try_connect(const char *path)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc = 0;

    if (fd < 0) {
        return -errno;
    }
    if (!set_sun_path(&sun, path)) {
        close(fd);
        return -ENAMETOOLONG;
    }
    if (connect(fd, (struct sockaddr *)&sun, sizeof sun)) {
        rc = -errno;
    }
    close(fd);
    return rc;
}

int server_create(struct server *s, const char *root, const char *name)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    if (path_join(s->dir, root, name) || path_join(s->db, s->dir, "vtep.db") ||
        path_join(s->sock, s->dir, "db.sock") ||
        path_join(s->log, s->dir, "ovsdb-server.log")) {
        return -ENAMETOOLONG;
    }
    if (strlen(s->sock) >= sizeof((struct sockaddr_un *)0)->sun_path) {
        fprintf(stderr, "switchbench: socket path too long: %s\n", s->sock);
        return -ENAMETOOLONG;
    }
    snprintf(s->remote, sizeof s->remote, "unix:%s", s->sock);
    if (mkdir(s->dir, 0755) && errno != EEXIST) {
        return -errno;
    }
    const char *argv[] = {"ovsdb-tool", "create", s->db, LAB_SCHEMA, NULL};
    return proc_run(argv, s->log) ? -EIO : 0;
}

/* Starts ovsdb-server listening on 'sock' and waits until it accepts. */
static int start_on(struct server *s, const char *sock)
{
    char remote[LAB_PATH + 16], unixctl[LAB_PATH + 16], logf[LAB_PATH + 16];
    char err[LAB_PATH + 16];
    long long deadline =
        proc_mono_ns() + (long long)(LAB_START_TIMEOUT_S * 1e9);

    snprintf(remote, sizeof remote, "--remote=punix:%s", sock);
    snprintf(unixctl, sizeof unixctl, "--unixctl=%s/ctl", s->dir);
    snprintf(logf, sizeof logf, "--log-file=%s", s->log);
    snprintf(err, sizeof err, "%s/stderr.log", s->dir);
    unlink(sock);
    const char *argv[] = {"ovsdb-server", remote, unixctl, "--no-chdir",
                          logf,           s->db,  NULL};
    pid_t pid = proc_spawn(argv, err);
    if (pid < 0) {
        return pid;
    }
    s->pid = pid;
    while (try_connect(sock)) {
        if (!proc_alive(pid) || proc_mono_ns() > deadline) {
            fprintf(stderr,
                    "switchbench: ovsdb-server %s did not start "
                    "(see %s)\n",
                    s->name, s->log);
            server_stop(s);
            return -EIO;
        }
        usleep(1000);
    }
    return 0;
}

int server_start(struct server *s)
{
    return start_on(s, s->sock);
}

int server_start_private(struct server *s, char remote[LAB_PATH + 8])
{
    char sock[LAB_PATH];
    int rc = path_join(sock, s->dir, "private.sock");

    snprintf(remote, LAB_PATH + 8, "unix:%s", sock);
    return rc ? rc : start_on(s, sock);
}

int server_stop(struct server *s)
{
    int rc = 0;

    if (s->pid > 0) {
        rc = proc_stop(s->pid, SIGTERM, 5.0);
        s->pid = 0;
    }
    return rc < 0 ? rc : 0;
}

int server_add_switch(struct server *s, const char *ps, const char *tunnel_ip,
                      int n_ports)
{
    char db[LAB_PATH + 16], tip[64], names[LAB_CMD_ARGS][16];
    const char *argv[LAB_CMD_ARGS * 4 + 16];
    int n = 0;

    if (n_ports < 0 || n_ports >= LAB_CMD_ARGS) {
        return -EINVAL;
    }
    snprintf(db, sizeof db, "--db=%s", s->remote);
    snprintf(tip, sizeof tip, "tunnel_ips=%s", tunnel_ip);
    argv[n++] = "vtep-ctl";
    argv[n++] = db;
    argv[n++] = "add-ps";
    argv[n++] = ps;
    argv[n++] = "--";
    argv[n++] = "set";
    argv[n++] = "Physical_Switch";
    argv[n++] = ps;
    argv[n++] = tip;
    for (int i = 0; i < n_ports; i++) {
        snprintf(names[i], sizeof names[i], "p%d", i + 1);
        argv[n++] = "--";
        argv[n++] = "add-port";
        argv[n++] = ps;
        argv[n++] = names[i];
    }
    argv[n] = NULL;
    return proc_run(argv, s->log) ? -EIO : 0;
}

/* Reads a whole (small) file.  Caller frees. */
static char *slurp(const char *path, long offset)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t len = 0;

    if (!f) {
        return NULL;
    }
    if (fseek(f, offset, SEEK_SET) == 0) {
        FILE *out = open_memstream(&buf, &len);
        char chunk[65536];
        size_t n;
        while (out && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            fwrite(chunk, 1, n, out);
        }
        if (out) {
            fclose(out);
        }
    }
    fclose(f);
    return buf;
}

/* ---- l2gwd ---- */

int daemon_setup(struct daemon *d, const char *binary, const char *root,
                 const char *name, const char *ovsdb_hosts)
{
    FILE *f;

    memset(d, 0, sizeof *d);
    snprintf(d->binary, sizeof d->binary, "%s", binary);
    if (path_join(d->dir, root, name) ||
        path_join(d->ini, d->dir, "l2gwd.ini") ||
        path_join(d->log, d->dir, "l2gwd.log") ||
        path_join(d->ctl, d->dir, "l2gwd.ctl")) {
        return -ENAMETOOLONG;
    }
    if (mkdir(d->dir, 0755) && errno != EEXIST) {
        return -errno;
    }
    if (!(f = fopen(d->ini, "w"))) {
        return -errno;
    }
    fprintf(f,
            "[DEFAULT]\nbind_host = 127.0.0.1\nbind_port = 0\n"
            "state_path = %s\nauth_strategy = noauth\ndebug = %s\n\n"
            "[database]\nconnection = sqlite:///%s/l2gw.db\n\n"
            "[ovsdb]\novsdb_hosts = %s\n",
            d->dir, getenv("SB_L2GWD_DEBUG") ? "true" : "false", d->dir,
            ovsdb_hosts);
    return fclose(f) ? -errno : 0;
}

/* The port of the first "API listening" line after 'offset', or 0. */
static int listening_port(const struct daemon *d, long offset)
{
    char *text = slurp(d->log, offset);
    char *p = text ? strstr(text, LISTENING) : NULL;
    int port = p ? atoi(p + strlen(LISTENING)) : 0;

    free(text);
    return port;
}

/* Attaches perf record to the daemon when SB_PERF_OUT asks for it. */
static void attach_perf(struct daemon *d)
{
    static int n_started;
    const char *out = getenv("SB_PERF_OUT"), *args = getenv("SB_PERF_ARGS");
    char file[LAB_PATH + 16], pid[24], log[LAB_PATH + 16];
    char *copy = strdup(args && *args ? args : "-g"), *save = NULL;
    const char *argv[LAB_PERF_ARGS + 8];
    int n = 0;

    if (!out || !*out || !copy) {
        free(copy);
        return;
    }
    snprintf(file, sizeof file, "%s.%d", out, ++n_started);
    snprintf(pid, sizeof pid, "%ld", (long)d->pid);
    snprintf(log, sizeof log, "%s/perf.log", d->dir);
    argv[n++] = "perf";
    argv[n++] = "record";
    for (char *a = strtok_r(copy, " ", &save); a && n < LAB_PERF_ARGS;
         a = strtok_r(NULL, " ", &save)) {
        argv[n++] = a;
    }
    argv[n++] = "-p";
    argv[n++] = pid;
    argv[n++] = "-o";
    argv[n++] = file;
    argv[n] = NULL;
    pid_t p = proc_spawn(argv, log);
    d->perf = p > 0 ? p : 0;
    free(copy);
    if (d->perf) {
        usleep(300000); /* let perf attach */
        fprintf(stderr, "switchbench: perf record on l2gwd %s -> %s\n", pid,
                file);
    }
}

int daemon_start(struct daemon *d)
{
    long offset = daemon_log_size(d);
    long long deadline =
        proc_mono_ns() + (long long)(LAB_START_TIMEOUT_S * 1e9);
    const char *argv[] = {d->binary, "--config-file", d->ini, NULL};
    pid_t pid = proc_spawn(argv, d->log);

    if (pid < 0) {
        return pid;
    }
    d->pid = pid;
    while (!(d->port = listening_port(d, offset))) {
        if (!proc_alive(pid) || proc_mono_ns() > deadline) {
            char *tail = slurp(d->log, offset);
            fprintf(stderr, "switchbench: l2gwd did not start; its log:\n%s",
                    tail ? tail : "");
            free(tail);
            proc_stop(pid, SIGKILL, 1.0);
            d->pid = 0;
            return -EIO;
        }
        usleep(1000);
    }
    attach_perf(d);
    return 0;
}

int daemon_stop(struct daemon *d)
{
    int rc = 0;

    if (d->perf > 0) {
        proc_stop(d->perf, SIGINT, 60.0);
        d->perf = 0;
    }

    if (d->pid > 0) {
        rc = proc_stop(d->pid, SIGTERM, 10.0);
        d->pid = 0;
        if (rc) {
            fprintf(stderr, "switchbench: l2gwd %s after SIGTERM\n",
                    rc < 0 ? "did not stop (killed)" : "exited non-zero");
        }
    }
    return rc;
}

int daemon_ctl(const struct daemon *d, const char *command, char **answer)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    char buf[4096];
    size_t len = 0;
    FILE *out;

    *answer = NULL;
    if (fd < 0) {
        return -errno;
    }
    if (!set_sun_path(&sun, d->ctl) ||
        connect(fd, (struct sockaddr *)&sun, sizeof sun) ||
        dprintf(fd, "%s\n", command) < 0) {
        int err = -errno;
        close(fd);
        return err;
    }
    out = open_memstream(answer, &len);
    for (ssize_t n; out && (n = read(fd, buf, sizeof buf)) > 0;) {
        fwrite(buf, 1, (size_t)n, out);
    }
    close(fd);
    if (!out) {
        return -ENOMEM;
    }
    fclose(out);
    return 0;
}

long daemon_log_size(const struct daemon *d)
{
    struct stat st;

    return stat(d->log, &st) ? 0 : (long)st.st_size;
}

/* The time of a line "YYYY-MM-DDTHH:MM:SS.mmmZ|..." in ms, or -1. */
static long long line_time(const char *line)
{
    struct tm tm = {0};
    int ms = 0;
    const char *p = strptime(line, "%Y-%m-%dT%H:%M:%S", &tm);

    if (!p || sscanf(p, ".%3dZ", &ms) != 1) {
        return -1;
    }
    return (long long)timegm(&tm) * 1000 + ms;
}

long long daemon_log_find(const struct daemon *d, long offset,
                          const char *needle)
{
    char *text = slurp(d->log, offset);
    char *hit = text ? strstr(text, needle) : NULL;
    long long t = -1;

    if (hit) {
        char *line = hit;
        while (line > text && line[-1] != '\n') {
            line--;
        }
        t = line_time(line);
    }
    free(text);
    return t;
}

void daemon_log_problems(const struct daemon *d, long offset, int max)
{
    char *text = slurp(d->log, offset), *save = NULL;
    int shown = 0, total = 0;

    for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l;
         l = strtok_r(NULL, "\n", &save)) {
        if (strstr(l, "|WARN|") || strstr(l, "|ERR|")) {
            if (shown++ < max) {
                fprintf(stderr, "  l2gwd: %s\n", l);
            }
            total++;
        }
    }
    if (total > max) {
        fprintf(stderr, "  l2gwd: ... %d more warnings/errors in %s\n",
                total - max, d->log);
    }
    free(text);
}
