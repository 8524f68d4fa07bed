/* Configuration: one or more INI files merged in order (as Neutron's
 * --config-file), parsed with inih into one struct config.
 *
 * Option names are those of DESIGN.md and of networking-l2gw's
 * l2gw_plugin.ini / l2gateway_agent.ini.  An unknown section or option is a
 * warning naming file, section and option; options networking-l2gw has but
 * l2gw does not need are accepted silently (logged at debug).  A bad value
 * is an error naming file, line, section and option, and loading fails:
 *   l2gw.ini:12: [DEFAULT] bind_port: invalid integer 'abc' (expected 1..65535)
 *
 * Syntax, as oslo.config reads it: section names are case-sensitive
 * ("DEFAULT", "database", "ovsdb", "l2gw", "QUOTAS"); "name = value" or
 * "name: value"; comments are lines starting with '#' or ';', and text
 * after " #" or " ;" on a line; one pair of matching quotes around a value
 * is removed; an indented line continues the previous value (joined with
 * '\n'); a repeated option keeps its last value.  An empty value sets the
 * option back to its default.  Booleans are true/false, yes/no, on/off,
 * 1/0 in any case.  Lines are at most 65535 bytes.
 *
 * This module sets inih's process-wide options (ini_max_line ...) each
 * time it parses; nothing else in l2gw uses inih. */
#ifndef L2GW_CONFIG_H
#define L2GW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum config_auth { CONFIG_AUTH_NOAUTH, CONFIG_AUTH_TOKEN, CONFIG_AUTH_KEYSTONE };

struct config {
    /* [DEFAULT] */
    char *bind_host;                 /* "127.0.0.1" */
    int bind_port;                   /* 9696 */
    enum config_auth auth_strategy;  /* noauth */
    char *auth_token_file;           /* token strategy: "token project roles,..." lines */
    long long api_max_body_bytes;    /* 1048576 */
    char *log_file;                  /* NULL = stderr */
    bool debug;                      /* log level debug */
    char *state_path;                /* "/var/lib/l2gw"; control socket lives here */
    char *control_socket;            /* NULL = "<state_path>/l2gwd.ctl", see
                                      * config_control_socket() */

    /* [database] */
    char *db_connection;             /* "sqlite:///var/lib/l2gw/l2gw.db" */

    /* [ovsdb] */
    char *ovsdb_hosts;               /* raw list, parsed by the manager */
    bool enable_manager;
    int manager_table_listening_port; /* 6632 */
    int socket_timeout;              /* seconds, 30 */
    int probe_interval;              /* seconds, 5 */
    char *l2_gw_agent_priv_key_base_path;
    char *l2_gw_agent_cert_base_path;
    char *l2_gw_agent_ca_cert_base_path;
    char *listener_private_key;
    char *listener_certificate;
    char *listener_ca_cert;
    bool durable_commit;             /* false */
    char *replication_mode;          /* "source_node" | "service_node" */
    char *service_node_ips;          /* comma list */
    bool adopt_existing_logical_switches; /* true */
    char *per_locator_key_switches;  /* comma list */
    long long max_message_bytes;     /* 268435456 */
    long long max_learned_macs;      /* 300000 */

    /* [l2gw] */
    char *vni_ranges;                /* "1:16777215" (validated: comma list of a:b) */

    /* [QUOTAS] */
    long long quota_l2_gateway_connection; /* -1 = unlimited */

    /* [cluster] (several nodes on one PostgreSQL database; cluster/) */
    char *cluster_node_id;           /* NULL = "<hostname>-<hash of
                                      * state_path>" */
    int cluster_takeover_timeout;    /* seconds, 10: a dead node's switches
                                      * are served again within this */
    int cluster_heartbeat_interval;  /* seconds, 1: lease renewal period;
                                      * at most takeover_timeout / 3 */
};

/* Most ranges config_parse_vni_ranges() accepts in [l2gw] vni_ranges. */
#define CONFIG_VNI_RANGES_MAX 256

/* Fills 'cfg' with the defaults.  Caller frees with config_destroy().
 * Aborts if memory runs out. */
void config_init(struct config *cfg);

/* Parses 'path' into 'cfg' (over what is already there: call it once per
 * file, later files override earlier ones).  Returns 0, or a negative errno
 * after logging why (missing file: -ENOENT; bad value or syntax: -EINVAL
 * with file, line, section and option in the log line).  'errbuf', if not
 * NULL, receives the same message.  After an error 'cfg' may hold the
 * values of the lines before the bad one; it still needs config_destroy().
 * Strings replaced by a later value are freed. */
int config_load_file(struct config *cfg, const char *path, char *errbuf,
                     size_t errlen);

/* Parses INI text held in memory; 'name' stands for the file name in
 * messages.  Same contract as config_load_file(). */
int config_load_string(struct config *cfg, const char *name, const char *text,
                       char *errbuf, size_t errlen);

/* Frees the strings of 'cfg' (the struct itself is the caller's). */
void config_destroy(struct config *cfg);

/* Parses "a:b[,c:d...]" VNI ranges into pairs, 1 <= a <= b <= 16777215
 * (blank space around numbers allowed); returns the number of ranges, or
 * -EINVAL for bad text, or -E2BIG for more than 'max' ranges.  'out' has
 * room for 'max' ranges; with 'out' NULL the text is only checked. */
int config_parse_vni_ranges(const char *text, long long (*out)[2], int max);

/* Writes the control socket's path into 'buf': 'control_socket' if set,
 * else "<state_path>/l2gwd.ctl".  Returns 0 or -ENAMETOOLONG. */
int config_control_socket(const struct config *cfg, char *buf, size_t size);

#endif
