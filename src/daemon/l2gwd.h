/* daemon/: the l2gwd program.
 *
 * Files: main.c (command line, configuration, logging), l2gwd.c (this
 * module: the schema commands and the daemon's life: store, core, API, main
 * loop, signals).  A later control socket goes in its own file here. */
#ifndef L2GW_DAEMON_L2GWD_H
#define L2GW_DAEMON_L2GWD_H

struct config;

/* "db upgrade": applies the missing migrations and prints "upgraded to
 * version N"; "db version": prints the schema version.  Returns the exit
 * status (0 on success; errors are logged). */
int l2gwd_db(const struct config *cfg, const char *command);

/* Runs the daemon with 'cfg' (borrowed) until SIGINT or SIGTERM: opens and
 * migrates the store, serves the API, and loops.  SIGHUP reopens the log
 * file.  Once listening, writes "l2gwd: API listening on http://HOST:PORT"
 * to stderr.  Returns the exit status: 0 after a clean shutdown, 1 when it
 * cannot start. */
int l2gwd_run(const struct config *cfg);

#endif
