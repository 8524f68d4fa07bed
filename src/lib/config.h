/* Configuration: one or more INI files merged in order (as Neutron's
 * --config-file), parsed with inih into one struct config.
 *
 * Option names are those of DESIGN.md and of networking-l2gw's
 * l2gw_plugin.ini / l2gateway_agent.ini.  An unknown section or option is a
 * warning naming file, section and option; options networking-l2gw has but
 * l2gw does not need are accepted silently (logged at debug).  A bad value
 * is an error naming file, line, section and option, and loading fails. */
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
    char *control_socket;            /* default "<state_path>/l2gwd.ctl" */

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
};

/* Fills 'cfg' with the defaults.  Caller frees with config_destroy(). */
void config_init(struct config *cfg);

/* Parses 'path' into 'cfg' (over what is already there).  Returns 0, or a
 * negative errno after logging why (missing file: -ENOENT; bad value:
 * -EINVAL with file, line, section and option in the log line).  'errbuf',
 * if not NULL, receives the same message. */
int config_load_file(struct config *cfg, const char *path, char *errbuf,
                     size_t errlen);

/* Parses INI text held in memory; 'name' stands for the file name in
 * messages.  Same contract as config_load_file(). */
int config_load_string(struct config *cfg, const char *name, const char *text,
                       char *errbuf, size_t errlen);

/* Frees the strings of 'cfg' (the struct itself is the caller's). */
void config_destroy(struct config *cfg);

/* Parses "a:b[,c:d...]" VNI ranges into pairs; returns the number of ranges
 * or a negative errno.  'out' has room for 'max' ranges. */
int config_parse_vni_ranges(const char *text, long long (*out)[2], int max);

#endif
