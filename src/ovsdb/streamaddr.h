/* Parsing of stream names (see stream.h for the syntax) into socket
 * addresses.  Used by stream.c only. */
#ifndef L2GW_OVSDB_STREAMADDR_H
#define L2GW_OVSDB_STREAMADDR_H

#include <arpa/inet.h>
#include <sys/socket.h>

#include "ovsdb/stream.h"

enum streamaddr_kind { STREAMADDR_TCP, STREAMADDR_SSL, STREAMADDR_UNIX };

/* A parsed stream name. */
struct streamaddr {
    enum streamaddr_kind kind;
    struct sockaddr_storage ss;
    socklen_t len;
    char peer[STREAM_NAME_MAX]; /* "IP:PORT", "[IP6]:PORT" or the path */
    char ip[INET6_ADDRSTRLEN];  /* numeric IP, "" for unix */
};

/* Parses active name "tcp:IP:PORT", "tcp:[IP6]:PORT", "ssl:..." or
 * "unix:PATH" into 'a'.  Returns 0, or -EINVAL with a message naming the
 * expected syntax in 'err' (STREAM_ERR_LEN bytes) if not NULL. */
int streamaddr_parse_active(const char *name, struct streamaddr *a,
                            char *err);

/* Parses passive name "ptcp:PORT[:IP]", "pssl:PORT[:IP]" (IP defaults to
 * 0.0.0.0; PORT may be 0) or "punix:PATH".  Same contract. */
int streamaddr_parse_passive(const char *name, struct streamaddr *a,
                             char *err);

/* Fills 'a' (kind excepted) from a connected socket's peer address. */
void streamaddr_from_sockaddr(const struct sockaddr_storage *ss,
                              struct streamaddr *a);

#endif
