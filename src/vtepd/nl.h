/* Netlink sockets of l2gw-vtepd: synchronous requests and dumps (one
 * socket per network namespace), and a non-blocking monitor socket for
 * FDB notifications. */
#ifndef L2GW_VTEPD_NL_H
#define L2GW_VTEPD_NL_H

#include <stddef.h>
#include <stdint.h>

struct nl;
struct nlmsghdr;

/* Called for each message of a dump or notification batch; returns 0 to
 * go on (anything else stops the walk). */
typedef int nl_msg_cb(const struct nlmsghdr *nlh, void *aux);

/* Opens a NETLINK_ROUTE socket in the namespace 'netns_fd' (< 0: the
 * current one).  'groups' (RTMGRP_* bits) subscribes to notifications and
 * makes the socket non-blocking.  Caller frees with nl_close(). */
int nl_open(int netns_fd, unsigned int groups, struct nl **out);
/* Same for netlink protocol 'proto' (NETLINK_ROUTE, NETLINK_NETFILTER). */
int nl_open_proto(int netns_fd, int proto, unsigned int groups,
                  struct nl **out);
void nl_close(struct nl *nl);

int nl_fd(const struct nl *nl);
uint32_t nl_next_seq(struct nl *nl);

/* Sends request 'nlh' (its seq is used as is) and waits for the kernel's
 * acknowledgement.  Returns 0 or the kernel's negative errno. */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh);

/* Sends dump request 'nlh' and calls 'cb' for each message of the reply. */
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, nl_msg_cb *cb, void *aux);

/* Sends the 'len' bytes of 'buf', a netfilter batch (requests between
 * NFNL_MSG_BATCH_BEGIN and _END), and reads every reply queued: the
 * kernel runs a batch within the send, so its errors are there when the
 * send returns.  Returns 0 or the first error. */
int nl_send_batch(struct nl *nl, const void *buf, size_t len);

/* Reads the notifications queued on a monitor socket without blocking
 * and calls 'cb' for each.  Returns 0, or -ENOBUFS when the kernel dropped
 * some (the caller must resynchronise with a dump). */
int nl_drain(struct nl *nl, nl_msg_cb *cb, void *aux);

#endif
