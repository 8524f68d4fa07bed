/* In-process publish/subscribe of change events.
 *
 * After a store commit, core publishes what changed; subscribers (the switch
 * manager) receive events synchronously from event_publish(), in the order
 * of subscription, and must only record work (mark things dirty), never do
 * I/O.  Across nodes the same events arrive through PostgreSQL NOTIFY. */
#ifndef L2GW_EVENT_H
#define L2GW_EVENT_H

#include <stdbool.h>

enum event_kind {
    EVENT_GATEWAY,      /* a gateway, its devices or interfaces changed */
    EVENT_CONNECTION,   /* a connection was created or deleted */
    EVENT_NETWORK,      /* a network was created, renamed or deleted */
    EVENT_PORT,         /* a port was created, changed (binding, MAC, pairs) or deleted */
    EVENT_HOST,         /* a host was created, changed (tunnel IP) or deleted */
    EVENT_SWITCH,       /* a switch was forgotten */
    EVENT_REMOTE,       /* border gateway objects changed */
    EVENT_ALL,          /* anything may have changed: full resync */
};

struct event {
    enum event_kind kind;
    const char *id;         /* the changed object's id (may be NULL) */
    const char *network_id; /* the network concerned, when known (may be NULL) */
    bool from_peer;         /* committed by another node (cluster/): that
                             * node does what only one node must do */
};

typedef void event_cb(const struct event *ev, void *aux);

/* Registers 'cb'.  Returns 0 or -ENOMEM. */
int event_subscribe(event_cb *cb, void *aux);

/* Removes every subscription of ('cb', 'aux').  Safe from inside a
 * callback: a removed subscriber receives nothing more, even from the
 * event_publish() in progress. */
void event_unsubscribe(event_cb *cb, void *aux);

/* Delivers 'ev' to every subscriber, synchronously, in the order of
 * subscription.  Subscribers added by a callback receive later events
 * only.  'ev' and its strings are borrowed for the duration of the call. */
void event_publish(const struct event *ev);

/* The id of this l2gwd node, stamped on the events it sends to other
 * nodes (cluster/): set once at start ('id' copied, at most 64
 * characters); "" until then. */
void event_set_origin(const char *id);
const char *event_origin(void);

/* A short lower-case name of 'kind' for log lines ("gateway", "all"). */
const char *event_kind_name(enum event_kind kind);

#endif
