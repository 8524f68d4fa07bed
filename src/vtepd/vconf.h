/* l2gw-vtepd configuration: the [vtepd] section of an INI file.
 *
 *   [vtepd]
 *   db = unix:/run/l2gw-vtepd/db.sock   # the local hardware_vtep database
 *   switch_name = gw1                   # Physical_Switch name
 *   tunnel_ip = 192.0.2.1               # cloud-side VTEP address (IPv4)
 *   wan_ip = 198.51.100.1               # WAN VTEP address (IPv4, optional)
 *   ports = eth1, eth2                  # physical ports (interface names)
 *   mtu = 1500                          # MTU of the tunnel devices
 *   ageing_time = 300                   # bridge FDB ageing, seconds
 *   arp_suppression = true
 *   prefix = lv                         # names of kernel objects: "lv-..."
 *   wan_netns = lv-wan                  # WAN namespace (default <prefix>-wan)
 *   wan_allow_list = false              # drop VXLAN from unknown WAN sources
 *
 * Other sections are ignored (so one file can serve several programs); an
 * unknown option of [vtepd] or a bad value is an error naming the line. */
#ifndef L2GW_VTEPD_VCONF_H
#define L2GW_VTEPD_VCONF_H

#include <stdbool.h>
#include <stdint.h>

/* Hard limits. */
#define VCONF_MAX_PORTS 64
#define VCONF_PREFIX_MAX 4 /* so that "<prefix>-x<8 digits>" fits 15 */
#define VCONF_IFNAMSIZ 16
#define VCONF_NAME_MAX 64 /* switch_name */
#define VCONF_ERR_LEN 256

struct vconf {
    char *db;
    char switch_name[VCONF_NAME_MAX + 1];
    uint32_t tunnel_ip; /* network byte order */
    uint32_t wan_ip;    /* network byte order; 0 = no WAN side */
    char ports[VCONF_MAX_PORTS][VCONF_IFNAMSIZ];
    int n_ports;
    int mtu;
    int ageing_time;
    bool arp_suppression;
    char prefix[VCONF_PREFIX_MAX + 1];
    char wan_netns[VCONF_NAME_MAX + 1];
    bool wan_allow_list; /* nftables source filter in the WAN namespace */
    char *log_file;
    bool debug;
};

/* Sets the defaults (db "unix:/run/l2gw-vtepd/db.sock", mtu 1500,
 * ageing_time 300, arp_suppression on, prefix "lv").  Free with
 * vconf_destroy(). */
void vconf_init(struct vconf *c);
void vconf_destroy(struct vconf *c);

/* Parses INI text 'text' (named 'file' in messages) into 'c' (already
 * initialised).  Returns 0, or -EINVAL with the reason in 'err'
 * (VCONF_ERR_LEN bytes). */
int vconf_parse_string(struct vconf *c, const char *file, const char *text,
                       char *err);

/* Same for the file at 'path'. */
int vconf_load(struct vconf *c, const char *path, char *err);

/* Checks what the options say together (tunnel_ip and switch_name set, a
 * wan_netns default; wan_allow_list needs wan_ip and a build with
 * libnftnl) once every file is read.  0 or -EINVAL with 'err'. */
int vconf_finish(struct vconf *c, char *err);

#endif
