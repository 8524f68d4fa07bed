/* In-process publish/subscribe: a growable array of subscriptions. */
#include "lib/event.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

struct subscription {
    event_cb *cb; /* NULL once unsubscribed during a publish */
    void *aux;
};

static struct subscription *subs;
static size_t n_subs, cap_subs;
static int publishing;    /* depth of nested event_publish() calls */
static bool need_compact; /* entries were cleared while publishing */

int event_subscribe(event_cb *cb, void *aux)
{
    if (n_subs == cap_subs) {
        size_t cap = cap_subs ? cap_subs * 2 : 8;
        struct subscription *s = realloc(subs, cap * sizeof *s);
        if (!s) {
            return -ENOMEM;
        }
        subs = s;
        cap_subs = cap;
    }
    subs[n_subs++] = (struct subscription){cb, aux};
    return 0;
}

/* Drops cleared entries, keeping the order of the others. */
static void compact(void)
{
    size_t j = 0;

    for (size_t i = 0; i < n_subs; i++) {
        if (subs[i].cb) {
            subs[j++] = subs[i];
        }
    }
    n_subs = j;
    need_compact = false;
    if (!n_subs) {
        free(subs);
        subs = NULL;
        cap_subs = 0;
    }
}

void event_unsubscribe(event_cb *cb, void *aux)
{
    for (size_t i = 0; i < n_subs; i++) {
        if (subs[i].cb == cb && subs[i].aux == aux) {
            subs[i].cb = NULL;
        }
    }
    if (publishing) {
        need_compact = true;
    } else {
        compact();
    }
}

void event_publish(const struct event *ev)
{
    /* Subscribers added by a callback do not see this event. */
    size_t n = n_subs;

    publishing++;
    for (size_t i = 0; i < n; i++) {
        if (subs[i].cb) {
            subs[i].cb(ev, subs[i].aux);
        }
    }
    if (--publishing == 0 && need_compact) {
        compact();
    }
}

static char origin[65];

void event_set_origin(const char *id)
{
    snprintf(origin, sizeof origin, "%s", id ? id : "");
}

const char *event_origin(void)
{
    return origin;
}

const char *event_kind_name(enum event_kind kind)
{
    static const char *const names[] = {
        [EVENT_GATEWAY] = "gateway", [EVENT_CONNECTION] = "connection",
        [EVENT_NETWORK] = "network", [EVENT_PORT] = "port",
        [EVENT_HOST] = "host",       [EVENT_SWITCH] = "switch",
        [EVENT_REMOTE] = "remote",   [EVENT_ALL] = "all",
    };

    if ((unsigned)kind < sizeof names / sizeof names[0] && names[kind]) {
        return names[kind];
    }
    return "unknown";
}
