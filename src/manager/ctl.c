/* The control socket (ctl.h) and its client (manager_ctl_client()). */
#include "manager/ctl.h"

#include "cluster/cluster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/registry.h"
#include "core/switchcheck.h"
#include "lib/config.h"
#include "lib/loop.h"
#include "manager/db.h"
#include "manager/dump.h"
#include "manager/manager.h"
#include "manager/priv.h"
#include "ovsdb/session.h"
#include "ovsdb/stream.h"

#define LOG_MODULE "ctl"
#include "lib/log.h"

struct ctl_conn {
    struct stream *s;
    char in[CTL_MAX_LINE];
    size_t n_in;
    bool answered;
    long long deadline;
};

struct ctl {
    struct manager *m;
    struct stream_listener *listener;
    struct ctl_conn conns[CTL_MAX_CONNS];
};

/* ---- commands ---- */

static const char *
phase_name(enum mdb_phase p)
{
    static const char *const names[] = {"idle", "in_flight", "settling",
                                        "backoff"};
    return (unsigned) p < 4 ? names[p] : "?";
}

static void
status_line(FILE *f, const struct mdb *d)
{
    const char *conn = d->refused     ? "refused"
                       : d->connected ? "yes"
                                      : "no";

    fprintf(f,
            "%s connected=%s remote=%s desired_rows=%zu owned_rows=%zu "
            "pending=%zu phase=%s reconnects=%lu failures=%d "
            "last_error=\"%s\"\n",
            d->name, conn, d->remote, mdb_desired_rows(d), mdb_owned_rows(d),
            mdb_pending_changes(d), phase_name(d->phase), d->reconnects,
            d->failures, d->last_error);
}

static char *
cmd_status(struct manager *m)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    if (!f) {
        return NULL;
    }
    fprintf(f, "ok\n");
    if (m->cluster) {
        json_t *c = cluster_describe(m->cluster);
        char *owned = json_dumps(json_object_get(c, "owned"), JSON_COMPACT);
        fprintf(f, "cluster node=%s live_nodes=%lld share=%lld connected=%s "
                   "valid_ms=%lld owned=%s\n",
                json_string_value(json_object_get(c, "node_id")),
                (long long)json_integer_value(json_object_get(c, "live_nodes")),
                (long long)json_integer_value(json_object_get(c, "share")),
                json_is_true(json_object_get(c, "connected")) ? "yes" : "no",
                (long long)json_integer_value(json_object_get(c, "valid_ms")),
                owned ? owned : "[]");
        free(owned);
        json_decref(c);
    }
    for (size_t i = 0; i < m->n_dbs; i++) {
        status_line(f, m->dbs[i]);
    }
    fclose(f);
    return out;
}

static char *
answer(const char *fmt, const char *arg)
{
    char *out = NULL;
    char *body = NULL;

    if (asprintf(&body, fmt, arg ? arg : "") < 0) {
        return NULL;
    }
    if (asprintf(&out, "%s\n", body) < 0) {
        out = NULL;
    }
    free(body);
    return out;
}

static char *
cmd_dump(struct manager *m, const char *db)
{
    struct mdb *d = manager_find_db(m, db);

    if (!d) {
        return answer("error: no switch database %s", db);
    }
    json_t *j = dump_database(d);
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    char *out = NULL;
    json_decref(j);
    if (text && asprintf(&out, "ok\n%s\n", text) < 0) {
        out = NULL;
    }
    free(text);
    return out;
}

static char *
cmd_resync(struct manager *m, const char *db)
{
    bool all = !strcmp(db, "all");
    struct mdb *d = all ? NULL : manager_find_db(m, db);

    if (!all && !d) {
        return answer("error: no switch database %s", db);
    }
    for (size_t i = 0; i < m->n_dbs; i++) {
        if (all || m->dbs[i] == d) {
            mdb_mark_all(m->dbs[i]);
            log_info("switch database %s: full pass asked for (ctl resync)",
                     m->dbs[i]->name);
        }
    }
    return answer("ok", NULL);
}

static char *
cmd_forget(struct manager *m, const char *name)
{
    struct core_err err = {CE_NONE, ""};
    char id[64];

    int rc = switchcheck_resolve(m->core, name, id, &err);
    if (!rc) {
        rc = registry_forget_switch(m->core, id, false, &err);
    }
    if (rc) {
        return answer("error: %s", err.msg[0] ? err.msg : strerror(-rc));
    }
    return answer("ok", NULL);
}

char *
ctl_execute(struct manager *m, const char *line)
{
    char cmd[32] = "", arg[CTL_MAX_LINE] = "";
    int n = sscanf(line, "%31s %1023s", cmd, arg);

    if (n >= 1 && !strcmp(cmd, "status")) {
        return cmd_status(m);
    } else if (n == 2 && !strcmp(cmd, "dump")) {
        return cmd_dump(m, arg);
    } else if (n == 2 && !strcmp(cmd, "resync")) {
        return cmd_resync(m, arg);
    } else if (n == 2 && !strcmp(cmd, "forget")) {
        return cmd_forget(m, arg);
    }
    return answer("error: unknown command '%s' (status, dump <db>, resync "
                  "<db>|all, forget <switch>)",
                  line);
}

/* ---- server ---- */

int
ctl_create(struct manager *m, struct ctl **out)
{
    char path[STREAM_NAME_MAX - 8], name[STREAM_NAME_MAX], err[STREAM_ERR_LEN];
    struct ctl *ctl = calloc(1, sizeof *ctl);

    if (!ctl) {
        return -ENOMEM;
    }
    ctl->m = m;
    if (config_control_socket(m->cfg, path, sizeof path)) {
        log_err("control socket path too long");
        free(ctl);
        return -ENAMETOOLONG;
    }
    snprintf(name, sizeof name, "punix:%s", path);
    int rc = stream_listen(name, NULL, &ctl->listener, err);
    if (rc) {
        log_err("cannot open the control socket %s: %s", path, err);
        free(ctl);
        return rc;
    }
    chmod(path, 0600);
    log_info("control socket %s", path);
    *out = ctl;
    return 0;
}

static void
close_conn(struct ctl_conn *c)
{
    stream_close(c->s);
    memset(c, 0, sizeof *c);
}

void
ctl_destroy(struct ctl *ctl)
{
    if (!ctl) {
        return;
    }
    for (size_t i = 0; i < CTL_MAX_CONNS; i++) {
        close_conn(&ctl->conns[i]);
    }
    stream_listener_close(ctl->listener);
    free(ctl);
}

static void
accept_conns(struct ctl *ctl)
{
    struct stream *s;

    while (stream_accept(ctl->listener, &s) == 0) {
        size_t i = 0;
        while (i < CTL_MAX_CONNS && ctl->conns[i].s) {
            i++;
        }
        if (i == CTL_MAX_CONNS) {
            stream_close(s);
            continue;
        }
        ctl->conns[i].s = s;
        ctl->conns[i].deadline = loop_now() + CTL_TIMEOUT_MS;
    }
}

/* Reads the command line; answers once it is complete. */
static void
serve(struct ctl *ctl, struct ctl_conn *c)
{
    if (c->answered) {
        stream_run(c->s);
        if (!stream_backlog(c->s) || loop_now() > c->deadline) {
            close_conn(c);
        }
        return;
    }
    ssize_t n = stream_recv(c->s, c->in + c->n_in,
                            sizeof c->in - 1 - c->n_in);
    if (n == -EAGAIN && loop_now() <= c->deadline) {
        return;
    }
    if (n <= 0 && !c->n_in) {
        close_conn(c);
        return;
    }
    c->n_in += n > 0 ? (size_t) n : 0;
    c->in[c->n_in] = '\0';
    char *nl = strchr(c->in, '\n');
    if (!nl && n > 0 && c->n_in < sizeof c->in - 1) {
        return;
    }
    if (nl) {
        *nl = '\0';
    }
    char *out = ctl_execute(ctl->m, c->in);
    if (!out || stream_send(c->s, out, strlen(out))) {
        free(out);
        close_conn(c);
        return;
    }
    free(out);
    c->answered = true;
    c->deadline = loop_now() + CTL_TIMEOUT_MS;
    serve(ctl, c);
}

void
ctl_run(struct ctl *ctl)
{
    if (!ctl) {
        return;
    }
    accept_conns(ctl);
    for (size_t i = 0; i < CTL_MAX_CONNS; i++) {
        if (ctl->conns[i].s) {
            serve(ctl, &ctl->conns[i]);
        }
    }
}

void
ctl_wait(struct ctl *ctl)
{
    if (!ctl) {
        return;
    }
    stream_listener_wait(ctl->listener);
    for (size_t i = 0; i < CTL_MAX_CONNS; i++) {
        struct ctl_conn *c = &ctl->conns[i];
        if (!c->s) {
            continue;
        }
        if (c->answered) {
            stream_wait(c->s);
        } else {
            stream_recv_wait(c->s);
        }
        loop_timer_wait_until(c->deadline);
    }
}

/* ---- client ---- */

static int
client_connect(const char *path)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    struct timeval tv = {CTL_TIMEOUT_MS / 1000, 0};

    if (strlen(path) >= sizeof sun.sun_path) {
        fprintf(stderr, "l2gwd ctl: socket path too long: %s\n", path);
        return -1;
    }
    memcpy(sun.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun)) {
        fprintf(stderr, "l2gwd ctl: cannot connect to %s: %s (is l2gwd "
                        "running?)\n",
                path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Reads the whole answer.  Caller frees. */
static char *
client_read(int fd)
{
    char *buf = NULL, chunk[4096];
    size_t len = 0;
    ssize_t n;

    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
        char *nb = realloc(buf, len + (size_t) n + 1);
        if (!nb) {
            break;
        }
        buf = nb;
        memcpy(buf + len, chunk, (size_t) n);
        len += (size_t) n;
        buf[len] = '\0';
    }
    return buf;
}

int
manager_ctl_client(const struct config *cfg, int argc, char **argv)
{
    char path[STREAM_NAME_MAX], line[CTL_MAX_LINE];

    if (argc < 1 || argc > 2) {
        fprintf(stderr, "usage: l2gwd [--config-file F] ctl status | dump "
                        "<db> | resync <db>|all | forget <switch>\n");
        return 2;
    }
    if (config_control_socket(cfg, path, sizeof path)) {
        fprintf(stderr, "l2gwd ctl: control socket path too long\n");
        return 1;
    }
    snprintf(line, sizeof line, "%s%s%s\n", argv[0], argc > 1 ? " " : "",
             argc > 1 ? argv[1] : "");
    int fd = client_connect(path);
    if (fd < 0) {
        return 1;
    }
    if (write(fd, line, strlen(line)) != (ssize_t) strlen(line)) {
        fprintf(stderr, "l2gwd ctl: cannot send: %s\n", strerror(errno));
        close(fd);
        return 1;
    }
    char *out = client_read(fd);
    close(fd);
    if (!out || strncmp(out, "ok\n", 3)) {
        fprintf(stderr, "l2gwd ctl: %s", out ? out : "no answer\n");
        free(out);
        return 1;
    }
    fputs(out + 3, stdout);
    free(out);
    return 0;
}
