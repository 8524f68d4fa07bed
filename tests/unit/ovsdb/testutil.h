/* Helpers shared by the ovsdb tests: temporary directories, a test PKI
 * made with the openssl command, and running the poll loop until a
 * condition holds. */
#ifndef L2GW_TEST_OVSDB_TESTUTIL_H
#define L2GW_TEST_OVSDB_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Creates a fresh directory under $TMPDIR (or /tmp) into 'out' (PATH_MAX
 * bytes).  Returns 0 or -1. */
int tu_mkdtemp(char *out, const char *prefix);

/* Removes directory 'dir' and everything in it.  Accepts "" (no-op). */
void tu_rmrf(const char *dir);

/* Runs a shell command (formatted); returns its exit status, or -1. */
int tu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes, in 'dir': ca.pem/ca.key (CA "test-ca"), server.pem/server.key and
 * client.pem/client.key signed by it, and other-ca.pem/other-ca.key (an
 * unrelated CA).  EC P-256 keys.  Returns 0 or -1. */
int tu_make_pki(const char *dir);

/* Runs run()/wait()/loop_block() rounds, calling 'step' (which should do
 * the run() calls, register waits, and return true when done) until it
 * returns true or 'timeout_ms' passes.  Returns true if 'step' finished. */
bool tu_loop_until(bool (*step)(void *aux), void *aux, long long timeout_ms);

/* A free TCP port on 127.0.0.1 (bound and released), or -1. */
int tu_free_port(void);

#endif
