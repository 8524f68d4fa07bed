/* /v2.0/l2-learned-macs: MACs the switches learned (their
 * Ucast_Macs_Local rows, kept by the manager); read-only, plain columns, so
 * the generic list does everything (filters network_id, switch, mac). */
#include "api/resources.h"

static const struct api_attr lmac_attrs[] = {
    {"id", 0, API_T_UUID, "id", STORE_TEXT},
    {"mac", 0, API_T_STRING, "mac", STORE_TEXT},
    {"ip_address", 0, API_T_STRING, "ip_address", STORE_TEXT},
    {"network_id", 0, API_T_STRING, "network_id", STORE_TEXT},
    {"switch", 0, API_T_STRING, "switch", STORE_TEXT},
    {"tunnel_ip", 0, API_T_STRING, "tunnel_ip", STORE_TEXT},
    {"ovsdb_identifier", 0, API_T_STRING, "ovsdb_identifier", STORE_TEXT},
};

/* Admin only, as every resource of l2gwd (see res_network.c). */
const struct api_resource api_res_learned_mac = {
    .path = "l2-learned-macs",
    .member = "l2_learned_mac",
    .collection = "l2_learned_macs",
    .table = "learned_macs",
    .attrs = lmac_attrs,
    .n_attrs = sizeof lmac_attrs / sizeof *lmac_attrs,
    .admin_only = true,
    .has_project = false,
    .allow_bulk = false,
    .not_found = CE_LEARNED_MAC_NOT_FOUND,
    .not_found_fmt = "L2 learned MAC %s could not be found.",
};
