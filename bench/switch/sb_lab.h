/* sb_lab: the processes of a switchbench run.
 *
 *   - server: one ovsdb-server serving a hardware_vtep database
 *     (/usr/share/openvswitch/vtep.ovsschema) on a unix socket, in the
 *     foreground as switchbench's child, its database file kept across
 *     restarts;
 *   - daemon: one l2gwd with its own directory, INI file (noauth, SQLite,
 *     [ovsdb] ovsdb_hosts), log file and control socket.
 *
 * Everything lives under one root directory that the caller removes. */
#ifndef SB_LAB_H
#define SB_LAB_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#define LAB_PATH 256
#define LAB_SCHEMA "/usr/share/openvswitch/vtep.ovsschema"
/* Longest wait for a server's socket or l2gwd's "API listening" line. */
#define LAB_START_TIMEOUT_S 20.0
/* Options of SB_PERF_ARGS taken. */
#define LAB_PERF_ARGS 32

struct server {
    char name[64];
    char dir[LAB_PATH], db[LAB_PATH], sock[LAB_PATH], log[LAB_PATH];
    char remote[LAB_PATH + 8]; /* "unix:<sock>" */
    pid_t pid;                 /* 0: not running */
};

/* Creates the directory ROOT/NAME and an empty database in it. */
int server_create(struct server *s, const char *root, const char *name);

/* Starts ovsdb-server on the database and waits until its socket accepts
 * connections.  Returns 0 or a negative errno. */
int server_start(struct server *s);

/* Starts it on a second socket, ROOT/NAME/private.sock, that nobody else
 * knows (to edit the database behind l2gwd's back); stores "unix:<path>"
 * in 'remote'.  Stop it with server_stop(). */
int server_start_private(struct server *s, char remote[LAB_PATH + 8]);

/* Stops it with SIGTERM (the database file stays).  Returns 0 or a
 * negative errno. */
int server_stop(struct server *s);

/* One vtep-ctl run: adds Physical_Switch 'ps' with 'tunnel_ip' and the
 * ports p1 .. p<n_ports>. */
int server_add_switch(struct server *s, const char *ps, const char *tunnel_ip,
                      int n_ports);

struct daemon {
    char binary[LAB_PATH];
    char dir[LAB_PATH], ini[LAB_PATH], log[LAB_PATH], ctl[LAB_PATH];
    pid_t pid;  /* 0: not running */
    int port;   /* of the API, once listening */
    pid_t perf; /* perf record attached to it, or 0 */
};

/* Prepares ROOT/NAME with an INI file for 'binary' connecting to
 * 'ovsdb_hosts' ("name:unix:/path, ...").  Returns 0 or a negative errno. */
int daemon_setup(struct daemon *d, const char *binary, const char *root,
                 const char *name, const char *ovsdb_hosts);

/* Starts l2gwd and waits for "API listening on http://127.0.0.1:PORT" in
 * its log.  Returns 0 or a negative errno (its log's tail on stderr).
 * With SB_PERF_OUT set in the environment, attaches "perf record
 * $SB_PERF_ARGS" (default -g) to it, writing $SB_PERF_OUT.<n> (n counts
 * the daemons started); daemon_stop() ends perf first. */
int daemon_start(struct daemon *d);

/* SIGTERM, then up to 10 s for a clean exit.  Returns 0 if it exited with
 * status 0, else a negative errno or its status. */
int daemon_stop(struct daemon *d);

/* Sends 'command' to the control socket and returns the answer ("ok\n..."
 * or "error: ...") in '*answer' (caller frees).  Returns 0 or a negative
 * errno. */
int daemon_ctl(const struct daemon *d, const char *command, char **answer);

/* The size of the log now (an offset for daemon_log_find()). */
long daemon_log_size(const struct daemon *d);

/* The wall-clock time (ms since the epoch, from the line's timestamp) of
 * the first log line after 'offset' containing 'needle', or -1. */
long long daemon_log_find(const struct daemon *d, long offset,
                          const char *needle);

/* Prints the lines after 'offset' that are warnings or errors (at most
 * 'max'), prefixed with 'why'. */
void daemon_log_problems(const struct daemon *d, long offset, int max);

#endif
