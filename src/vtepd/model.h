/* What the hardware_vtep database asks of this switch, as plain data:
 * filled from the replica by vdb.c, turned into kernel objects by want.c.
 * Locators are resolved to their address and optional key. */
#ifndef L2GW_VTEPD_MODEL_H
#define L2GW_VTEPD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MODEL_UUID_LEN 36
#define MODEL_LS_NAME_MAX 128
#define MODEL_IFNAMSIZ 16

struct model_ls {
    char uuid[MODEL_UUID_LEN + 1];
    char name[MODEL_LS_NAME_MAX];
    bool has_key;
    uint32_t key;
    bool service_node; /* replication_mode "service_node" */
};

struct model_loc {
    uint32_t ip; /* network byte order */
    bool has_key;
    uint32_t key; /* the WAN key of a WAN locator */
};

struct model_binding {
    char port[MODEL_IFNAMSIZ];
    long long vlan; /* as the database holds it (checked by want.c) */
    size_t ls;      /* index into ls[] */
};

struct model_mac { /* Ucast_Macs_Remote */
    uint8_t mac[6];
    uint32_t ip; /* 0: none */
    size_t ls;
    struct model_loc loc;
};

struct model_flood { /* a member of Mcast_Macs_Remote unknown-dst */
    size_t ls;
    struct model_loc loc;
};

struct model {
    struct model_ls *ls;
    size_t n_ls, cap_ls;
    struct model_binding *bindings;
    size_t n_bindings, cap_bindings;
    struct model_mac *macs;
    size_t n_macs, cap_macs;
    struct model_flood *floods;
    size_t n_floods, cap_floods;
};

void model_init(struct model *m);
/* Frees the arrays and empties 'm'. */
void model_clear(struct model *m);

/* Appends a copy of '*x'; 0 or -ENOMEM. */
int model_add_ls(struct model *m, const struct model_ls *x);
int model_add_binding(struct model *m, const struct model_binding *x);
int model_add_mac(struct model *m, const struct model_mac *x);
int model_add_flood(struct model *m, const struct model_flood *x);

/* Parses "aa:bb:cc:dd:ee:ff" (any case); 0 or -EINVAL. */
int model_parse_mac(const char *s, uint8_t mac[6]);
/* Writes the lower-case form of 'mac' (18 bytes with the NUL). */
void model_format_mac(const uint8_t mac[6], char out[18]);

#endif
