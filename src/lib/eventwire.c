/* The NOTIFY payload of a batch of change events (eventwire.h). */
#include "lib/eventwire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "l2gw1"

bool eventwire_token_ok(const char *s, size_t max)
{
    size_t n = 0;

    for (; s && s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
            return false;
        }
    }
    return n >= 1 && n <= max;
}

/* A string that may travel in an event ("-" stands for NULL, so a real
 * "-" may not). */
static bool event_str_ok(const char *s)
{
    return !s || (strcmp(s, "-") && eventwire_token_ok(s, EVENTWIRE_ID_MAX));
}

int eventwire_encode(char *buf, size_t size, unsigned long long seq,
                     const char *origin, const struct event *ev, size_t n)
{
    bool all = n > EVENTWIRE_MAX_EVENTS;

    if (!eventwire_token_ok(origin, EVENTWIRE_ORIGIN_MAX)
        || size < EVENTWIRE_PAYLOAD_MAX) {
        return -EINVAL;
    }
    for (size_t i = 0; i < n && !all; i++) {
        all = ev[i].kind == EVENT_ALL || !event_str_ok(ev[i].id)
              || !event_str_ok(ev[i].network_id);
    }
    size_t len = (size_t)snprintf(buf, size, MAGIC " %llu %s", seq, origin);
    if (all) {
        snprintf(buf + len, size - len, " all:-:-");
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(buf + len, size - len, " %s:%s:%s",
                                event_kind_name(ev[i].kind),
                                ev[i].id ? ev[i].id : "-",
                                ev[i].network_id ? ev[i].network_id : "-");
    }
    return 0;
}

static int parse_kind(const char *name, enum event_kind *out)
{
    for (int k = EVENT_GATEWAY; k <= EVENT_ALL; k++) {
        if (!strcmp(event_kind_name((enum event_kind)k), name)) {
            *out = (enum event_kind)k;
            return 0;
        }
    }
    return -EINVAL;
}

/* "-" → NULL; anything else must be a valid token. */
static int parse_str(char *s, const char **out)
{
    if (!strcmp(s, "-")) {
        *out = NULL;
        return 0;
    }
    *out = s;
    return eventwire_token_ok(s, EVENTWIRE_ID_MAX) ? 0 : -EINVAL;
}

/* Parses one "kind:id:network" token (modified in place). */
static int parse_event(char *tok, struct event *ev)
{
    char *c1 = strchr(tok, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

    if (!c2 || strchr(c2 + 1, ':')) {
        return -EINVAL;
    }
    *c1 = *c2 = '\0';
    ev->from_peer = false;
    if (parse_kind(tok, &ev->kind) || parse_str(c1 + 1, &ev->id)
        || parse_str(c2 + 1, &ev->network_id)) {
        return -EINVAL;
    }
    return 0;
}

static int parse_seq(const char *s, unsigned long long *out)
{
    char *end;

    if (*s < '1' || *s > '9' || strlen(s) > 20) { /* no leading zero */
        return -EINVAL;
    }
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno || *end || *out == 0 ? -EINVAL : 0;
}

int eventwire_decode(const char *payload, struct eventwire_batch *b)
{
    char *save = NULL, *tok;
    int i = 0;

    if (!payload || strlen(payload) > EVENTWIRE_PAYLOAD_MAX) {
        return -EINVAL;
    }
    memcpy(b->text, payload, strlen(payload) + 1);
    b->n = 0;
    /* Single spaces only: strtok_r would accept runs of them. */
    if (strstr(b->text, "  ") || b->text[0] == ' '
        || (*b->text && b->text[strlen(b->text) - 1] == ' ')) {
        return -EINVAL;
    }
    for (tok = strtok_r(b->text, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save), i++) {
        if (i == 0 && strcmp(tok, MAGIC)) {
            return -EINVAL;
        } else if (i == 1 && parse_seq(tok, &b->seq)) {
            return -EINVAL;
        } else if (i == 2) {
            if (!eventwire_token_ok(tok, EVENTWIRE_ORIGIN_MAX)) {
                return -EINVAL;
            }
            snprintf(b->origin, sizeof b->origin, "%s", tok);
        } else if (i >= 3) {
            if (b->n == EVENTWIRE_MAX_EVENTS
                || parse_event(tok, &b->ev[b->n])) {
                return -EINVAL;
            }
            b->n++;
        }
    }
    return i >= 4 ? 0 : -EINVAL;
}
