/* The text form of a batch of change events (lib/event.h) as it travels
 * between l2gwd nodes in a PostgreSQL NOTIFY payload (cluster/).
 *
 *   payload = "l2gw1" SP seq SP origin *( SP kind ":" id ":" network )
 *
 * 'seq' is the store's change counter after the transaction (decimal,
 * >= 1), 'origin' the node id of the sender (1..EVENTWIRE_ORIGIN_MAX
 * characters of [A-Za-z0-9._-]), 'kind' an event_kind_name(), 'id' and
 * 'network' the event's strings or "-" for none (1..EVENTWIRE_ID_MAX
 * characters of [A-Za-z0-9._-]).  A batch of more than EVENTWIRE_MAX_EVENTS
 * events, or with a string that cannot travel, is sent as the single event
 * "all::" (a full resync on the receivers), so the payload always stays
 * under PostgreSQL's 8000-byte limit. */
#ifndef L2GW_EVENTWIRE_H
#define L2GW_EVENTWIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/event.h"

#define EVENTWIRE_MAX_EVENTS 48
#define EVENTWIRE_ORIGIN_MAX 64
#define EVENTWIRE_ID_MAX 64
/* Longest payload: the header and EVENTWIRE_MAX_EVENTS full events. */
#define EVENTWIRE_PAYLOAD_MAX                                               \
    (32 + EVENTWIRE_ORIGIN_MAX + EVENTWIRE_MAX_EVENTS * (16 + 2 * EVENTWIRE_ID_MAX))

/* True if 's' may travel as an origin or an id. */
bool eventwire_token_ok(const char *s, size_t max);

/* Writes the payload of 'n' events 'ev' into 'buf' (at least
 * EVENTWIRE_PAYLOAD_MAX bytes).  Returns 0, or -EINVAL for an origin that
 * cannot travel. */
int eventwire_encode(char *buf, size_t size, unsigned long long seq,
                     const char *origin, const struct event *ev, size_t n);

/* A decoded payload.  The event strings point into 'text'. */
struct eventwire_batch {
    unsigned long long seq;
    char origin[EVENTWIRE_ORIGIN_MAX + 1];
    struct event ev[EVENTWIRE_MAX_EVENTS];
    size_t n;
    char text[EVENTWIRE_PAYLOAD_MAX + 1];
};

/* Parses 'payload' into 'b'.  Returns 0, or -EINVAL for anything that is
 * not exactly the grammar above ('b' is then unspecified). */
int eventwire_decode(const char *payload, struct eventwire_batch *b);

#endif
