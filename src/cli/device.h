/* The --device option of l2-gateway-create/-update.
 *
 *   name=<dev>,interface_names=<if>[|<vlan>[#<vlan>...]][;<if2>[|...]]
 *
 * Parsed as the OpenStack client (networking-l2gw's OSC plugin with
 * neutronclient's str2dict) does, so every spec it accepts gives the same
 * request body:
 *  - the value is split at ','; a piece holding '=' starts a new key, a
 *    piece without one continues the previous value (",piece" appended);
 *    key and value are split at the piece's first '='; a repeated key
 *    keeps its last value;
 *  - interface_names is split at ';' into interfaces; an interface is split
 *    at '|' into its name and its VLAN list, the list at '#';
 *  - VLANs stay strings, as typed.
 * Specs the OpenStack client would turn into a body the server rejects (or
 * silently truncates) are refused here with a precise message: a first
 * piece without '=', an unknown key, a missing or empty name, a missing
 * interface_names, an empty interface name, a second '|' in one
 * interface, an empty or non-numeric VLAN, a VLAN outside 0..4094, and
 * text that is not UTF-8 (JSON cannot carry it). */
#ifndef L2GW_CLI_DEVICE_H
#define L2GW_CLI_DEVICE_H

#include <jansson.h>
#include <stddef.h>

/* Hard limits. */
#define DEVICE_SPEC_MAX_LEN 65536
#define DEVICE_VLAN_MAX 4094

/* Parses one --device value into a request device object
 *   {"device_name": "sw1",
 *    "interfaces": [{"name": "p1", "segmentation_id": ["100"]},
 *                   {"name": "p2"}]}
 * ("segmentation_id" only for interfaces that have a '|').  Returns the
 * new object (caller frees with json_decref()), or NULL with a message
 * naming what is wrong and its 1-based column in 'err'. */
json_t *device_parse(const char *spec, char *err, size_t errlen);

#endif
