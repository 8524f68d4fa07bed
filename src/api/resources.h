/* The resources l2gwd serves under /v2.0, one res_*.c file each. */
#ifndef L2GW_API_RESOURCES_H
#define L2GW_API_RESOURCES_H

#include "api/resource.h"

extern const struct api_resource api_res_gateway;      /* res_gateway.c    /v2.0/l2-gateways */
extern const struct api_resource api_res_connection;   /* res_connection.c /v2.0/l2-gateway-connections */
extern const struct api_resource api_res_network;      /* res_network.c    /v2.0/networks */
extern const struct api_resource api_res_port;         /* res_port.c       /v2.0/ports */
extern const struct api_resource api_res_host;         /* res_host.c       /v2.0/hosts */
extern const struct api_resource api_res_switch;       /* res_switch.c     /v2.0/l2-switches */
extern const struct api_resource api_res_learned_mac;  /* res_learned_mac.c /v2.0/l2-learned-macs */

extern const struct api_resource api_res_remote_gateway;    /* res_remote_gateway.c    /v2.0/l2-remote-gateways */
extern const struct api_resource api_res_remote_connection; /* res_remote_connection.c /v2.0/l2-remote-gateway-connections */
extern const struct api_resource api_res_remote_mac;        /* res_remote_mac.c        /v2.0/l2-remote-macs */

#endif
