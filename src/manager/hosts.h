/* Parsing of [ovsdb] ovsdb_hosts: the switch databases l2gwd connects to
 * in active mode (spec/switch.md "Sessions").
 *
 * The option is a comma (or blank) separated list of entries:
 *   name:IP:PORT            tcp, as in networking-l2gw's l2gateway_agent.ini
 *   name:[IPv6]:PORT        tcp over IPv6
 *   name:tcp:IP:PORT        name:tcp:[IPv6]:PORT
 *   name:ssl:IP:PORT        name:ssl:[IPv6]:PORT (TLS with per-switch files)
 *   name:unix:/PATH
 * 'name' is the database's ovsdb_identifier: it may not hold ':', '/',
 * ',' or blanks, and two entries may not share it.  For ssl the files are
 * <l2_gw_agent_priv_key_base_path>/<name>.key,
 * <l2_gw_agent_cert_base_path>/<name>.cert and
 * <l2_gw_agent_ca_cert_base_path>/<name>.ca_cert; each base path must be
 * set.  Errors name the entry, e.g.
 *   ovsdb_hosts entry 'sw1:10.0.0.1': expected name:IP:PORT, ... */
#ifndef L2GW_MANAGER_HOSTS_H
#define L2GW_MANAGER_HOSTS_H

#include <stddef.h>

struct config;

/* Hard limits. */
#define HOSTS_MAX 4096          /* entries in ovsdb_hosts */
#define HOSTS_NAME_MAX 128      /* bytes of an ovsdb_identifier */
#define HOSTS_ERR_LEN 512

struct hosts_entry {
    char *name;        /* ovsdb_identifier */
    char *remote;      /* "tcp:IP:PORT", "tcp:[IPv6]:PORT", "ssl:...", "unix:PATH" */
    char *ssl_key;     /* ssl only: the three files (NULL otherwise) */
    char *ssl_cert;
    char *ssl_ca;
};

struct hosts {
    struct hosts_entry *v;
    size_t n;
};

/* Parses 'text' (NULL or blank: no entry) with the TLS base paths of 'cfg'
 * (may be NULL: no ssl entry allowed).  On success fills 'out' (free with
 * hosts_destroy()) and returns 0; on failure returns -EINVAL (-ENOMEM)
 * with the reason in 'err' (HOSTS_ERR_LEN bytes) and 'out' empty. */
int hosts_parse(const char *text, const struct config *cfg, struct hosts *out,
                char *err);

void hosts_destroy(struct hosts *h);

/* Checks that the ssl files of 'e' can be read; returns 0, or -errno with
 * "ovsdb_hosts entry '<name>': cannot read <file>: <reason>" in 'err'.
 * Does nothing for other entries. */
int hosts_check_files(const struct hosts_entry *e, char *err);

/* True if 'name' is acceptable as an ovsdb_identifier. */
int hosts_valid_name(const char *name);

#endif
