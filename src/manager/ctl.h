/* The control socket of l2gwd: a unix stream socket at [DEFAULT]
 * control_socket (default <state_path>/l2gwd.ctl) speaking a line
 * protocol.  The client writes one command line; the daemon answers and
 * closes the connection.  The answer's first line is "ok" or
 * "error: <reason>"; the rest is the command's output.
 *
 *   status            one line per switch database:
 *                     <name> connected=yes|no|refused remote=<remote>
 *                     desired_rows=N owned_rows=N pending=N phase=<phase>
 *                     reconnects=N failures=N last_error="<text>"
 *   dump <db>         JSON: the desired state of the database and the
 *                     replica rows l2gw owns there
 *   resync <db>|all   runs a full pass now
 *   forget <switch>   forgets a switch (its id, "<db>/<name>" or an
 *                     unambiguous name), as DELETE /v2.0/l2-switches/<id>
 *
 * The client side is manager_ctl_client() (manager.h). */
#ifndef L2GW_MANAGER_CTL_H
#define L2GW_MANAGER_CTL_H

struct ctl;
struct manager;

/* Hard limits. */
#define CTL_MAX_CONNS 16          /* clients served at once */
#define CTL_MAX_LINE 1024         /* bytes of a command line */
#define CTL_TIMEOUT_MS 10000      /* a client that says nothing is dropped */

/* Opens the control socket for 'm'.  Caller frees with ctl_destroy().
 * Returns 0 or a negative errno (logged). */
int ctl_create(struct manager *m, struct ctl **out);
void ctl_destroy(struct ctl *ctl);

void ctl_run(struct ctl *ctl);
void ctl_wait(struct ctl *ctl);

/* Executes one command line and returns the whole answer ("ok\n..." or
 * "error: ...\n") as a new string (caller frees). */
char *ctl_execute(struct manager *m, const char *line);

#endif
