/* The command groups of the l2gw client.  Each file exports its commands
 * (an array ending with a zeroed entry) and its resource type; main.c
 * lists the arrays in its dispatch table.
 *
 *   gateway.c           l2-gateway-*, gateway ...
 *   connection.c        l2-gateway-connection-*, connection ...
 *   remote_gateway.c    l2-remote-gateway-*, remote-gateway ...
 *   remote_connection.c l2-remote-gateway-connection-*, remote-connection ...
 *   remote_mac.c        l2-remote-mac-*, remote-mac ...
 *   network.c port.c host.c   inventory (create list show update delete)
 *   switch.c            switch list/show/forget
 *   learned_mac.c fdb.c learned-mac, fdb (list show) */
#ifndef L2GW_CLI_COMMANDS_H
#define L2GW_CLI_COMMANDS_H

#include "cli/cli.h"
#include "cli/res.h"

extern const struct cli_cmd gateway_cmds[];
extern const struct cli_cmd connection_cmds[];
extern const struct cli_cmd remote_gateway_cmds[];
extern const struct cli_cmd remote_connection_cmds[];
extern const struct cli_cmd remote_mac_cmds[];
extern const struct cli_cmd network_cmds[];
extern const struct cli_cmd port_cmds[];
extern const struct cli_cmd host_cmds[];
extern const struct cli_cmd switch_cmds[];
extern const struct cli_cmd learned_mac_cmds[];
extern const struct cli_cmd fdb_cmds[];

extern const struct res_type gateway_type;
extern const struct res_type connection_type;
extern const struct res_type remote_gateway_type;
extern const struct res_type remote_connection_type;
extern const struct res_type remote_mac_type;
extern const struct res_type network_type;
extern const struct res_type port_type;
extern const struct res_type host_type;
extern const struct res_type switch_type;
extern const struct res_type learned_mac_type;
extern const struct res_type fdb_type;

#endif
