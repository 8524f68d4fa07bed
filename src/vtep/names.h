/* Names of the hardware_vtep schema (vtep.ovsschema 1.x, `man 5 vtep`)
 * used by l2gw: tables, columns, fixed values and the owner mark. */
#ifndef L2GW_VTEP_NAMES_H
#define L2GW_VTEP_NAMES_H

#define VTEP_DATABASE "hardware_vtep"

/* Tables. */
#define VTEP_T_GLOBAL "Global"
#define VTEP_T_PS "Physical_Switch"
#define VTEP_T_PORT "Physical_Port"
#define VTEP_T_LS "Logical_Switch"
#define VTEP_T_LOCATOR "Physical_Locator"
#define VTEP_T_LOCATOR_SET "Physical_Locator_Set"
#define VTEP_T_UCAST_LOCAL "Ucast_Macs_Local"
#define VTEP_T_UCAST_REMOTE "Ucast_Macs_Remote"
#define VTEP_T_MCAST_LOCAL "Mcast_Macs_Local"
#define VTEP_T_MCAST_REMOTE "Mcast_Macs_Remote"

/* Columns. */
#define VTEP_C_UUID "_uuid"
#define VTEP_C_NAME "name"
#define VTEP_C_DESCRIPTION "description"
#define VTEP_C_SWITCHES "switches"
#define VTEP_C_PORTS "ports"
#define VTEP_C_TUNNEL_IPS "tunnel_ips"
#define VTEP_C_SWITCH_FAULT "switch_fault_status"
#define VTEP_C_PORT_FAULT "port_fault_status"
#define VTEP_C_VLAN_BINDINGS "vlan_bindings"
#define VTEP_C_TUNNEL_KEY "tunnel_key"
#define VTEP_C_REPLICATION_MODE "replication_mode"
#define VTEP_C_OTHER_CONFIG "other_config"
#define VTEP_C_ENCAP "encapsulation_type"
#define VTEP_C_DST_IP "dst_ip"
#define VTEP_C_LOCATORS "locators"
#define VTEP_C_MAC "MAC"
#define VTEP_C_LOGICAL_SWITCH "logical_switch"
#define VTEP_C_LOCATOR "locator"
#define VTEP_C_LOCATOR_SET "locator_set"
#define VTEP_C_IPADDR "ipaddr"

/* Values. */
#define VTEP_ENCAP_VXLAN "vxlan_over_ipv4"
#define VTEP_UNKNOWN_DST "unknown-dst"
#define VTEP_REPL_SOURCE_NODE "source_node"
#define VTEP_REPL_SERVICE_NODE "service_node"

/* other_config keys. */
#define VTEP_OWNER_KEY "l2gw-owner"
#define VTEP_PER_LOCATOR_KEY "l2gw-per-locator-key"

/* Switch fault that asks for service-node replication. */
#define VTEP_FAULT_NO_SOURCE_NODE "unsupported_source_node_replication"

#endif
