/* Named network namespaces in the iproute2 convention (/run/netns/NAME). */
#ifndef L2GW_VTEPD_NETNS_H
#define L2GW_VTEPD_NETNS_H

#include <stdbool.h>

#define NETNS_RUN_DIR "/run/netns"

/* Opens namespace 'name'; with 'create', makes it first if it is missing
 * (bind-mounted at NETNS_RUN_DIR/name, loopback up is left to the owner).
 * Returns an fd (caller closes) or a negative errno; '*created' tells
 * whether this call made it. */
int netns_open(const char *name, bool create, bool *created);

#endif
