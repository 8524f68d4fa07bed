/* Netlink sockets (see nl.h). */
#include "vtepd/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOG_MODULE "netlink"
#include "lib/log.h"

/* Receive buffer of one recvmsg(). */
#define NL_RCVBUF 32768
/* Send buffer of netfilter sockets (one batch is one message). */
#define NL_BATCH_SOCKBUF (4 * 1024 * 1024)
/* Kernel socket buffer of monitor sockets (bursts of FDB events). */
#define NL_MONITOR_SOCKBUF (4 * 1024 * 1024)

struct nl {
    struct mnl_socket *sock;
    uint32_t portid;
    uint32_t seq;
};

/* Opens the socket after entering 'netns_fd'; the caller's namespace is
 * restored before returning. */
static struct mnl_socket *open_in_netns(int netns_fd, int proto, int *err)
{
    int self = -1;
    if (netns_fd >= 0) {
        self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (self < 0 || setns(netns_fd, CLONE_NEWNET)) {
            *err = -errno;
            if (self >= 0) {
                close(self);
            }
            return NULL;
        }
    }
    struct mnl_socket *s = mnl_socket_open2(proto, SOCK_CLOEXEC);
    *err = s ? 0 : -errno;
    if (self >= 0) {
        if (setns(self, CLONE_NEWNET)) {
            log_err("cannot return to the original network namespace: %s",
                    strerror(errno));
            abort();
        }
        close(self);
    }
    return s;
}

int nl_open(int netns_fd, unsigned int groups, struct nl **out)
{
    return nl_open_proto(netns_fd, NETLINK_ROUTE, groups, out);
}

/* Netfilter sockets send whole batches: a large send buffer, and error
 * messages without a copy of the request. */
static int tune_netfilter(struct mnl_socket *sock)
{
    int fd = mnl_socket_get_fd(sock), size = NL_BATCH_SOCKBUF, on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size)) {
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    }
    return mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &on, sizeof on) ? -errno
                                                                        : 0;
}

int nl_open_proto(int netns_fd, int proto, unsigned int groups, struct nl **out)
{
    int rc;
    struct nl *nl = calloc(1, sizeof *nl);
    if (!nl) {
        return -ENOMEM;
    }
    nl->sock = open_in_netns(netns_fd, proto, &rc);
    if (nl->sock && proto == NETLINK_NETFILTER) {
        rc = tune_netfilter(nl->sock);
    }
    if (!rc && mnl_socket_bind(nl->sock, groups, MNL_SOCKET_AUTOPID)) {
        rc = -errno;
    }
    if (!rc && groups) {
        int fd = mnl_socket_get_fd(nl->sock), size = NL_MONITOR_SOCKBUF;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    if (rc) {
        nl_close(nl);
        return rc;
    }
    nl->portid = mnl_socket_get_portid(nl->sock);
    nl->seq = (uint32_t)getpid() << 12;
    *out = nl;
    return 0;
}

void nl_close(struct nl *nl)
{
    if (nl) {
        if (nl->sock) {
            mnl_socket_close(nl->sock);
        }
        free(nl);
    }
}

int nl_fd(const struct nl *nl)
{
    return mnl_socket_get_fd(nl->sock);
}

uint32_t nl_next_seq(struct nl *nl)
{
    return ++nl->seq;
}

struct walk {
    nl_msg_cb *cb;
    void *aux;
};

/* Adapts nl_msg_cb (0 = go on) to libmnl's convention (MNL_CB_OK = go on). */
static int walk_one(const struct nlmsghdr *nlh, void *data)
{
    const struct walk *w = data;
    if (!w->cb) {
        return MNL_CB_OK;
    }
    return w->cb(nlh, w->aux) ? MNL_CB_STOP : MNL_CB_OK;
}

/* Receives the reply to request 'seq', calling 'cb' for data messages.
 * mnl_cb_run() turns an NLMSG_ERROR into errno. */
static int receive(struct nl *nl, uint32_t seq, nl_msg_cb *cb, void *aux)
{
    struct walk w = {cb, aux};
    char *buf = malloc(NL_RCVBUF);
    int rc = buf ? MNL_CB_OK : -ENOMEM;
    while (rc > MNL_CB_STOP) {
        ssize_t n = mnl_socket_recvfrom(nl->sock, buf, NL_RCVBUF);
        if (n < 0) {
            rc = errno == EINTR ? MNL_CB_OK : -errno;
            continue;
        }
        rc = mnl_cb_run(buf, (size_t)n, seq, nl->portid, walk_one, &w);
        if (rc < 0) {
            rc = -errno;
        }
    }
    free(buf);
    return rc < 0 ? rc : 0;
}

int nl_talk(struct nl *nl, struct nlmsghdr *nlh)
{
    if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
        return -errno;
    }
    return receive(nl, nlh->nlmsg_seq, NULL, NULL);
}

int nl_dump(struct nl *nl, struct nlmsghdr *nlh, nl_msg_cb *cb, void *aux)
{
    if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
        return -errno;
    }
    return receive(nl, nlh->nlmsg_seq, cb, aux);
}

int nl_drain(struct nl *nl, nl_msg_cb *cb, void *aux)
{
    struct walk w = {cb, aux};
    char *buf = malloc(NL_RCVBUF);
    if (!buf) {
        return -ENOMEM;
    }
    int rc = 0;
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl->sock, buf, NL_RCVBUF);
        if (n < 0) {
            rc = (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
            break;
        }
        mnl_cb_run(buf, (size_t)n, 0, 0, walk_one, &w);
    }
    free(buf);
    return rc;
}

/* The first error of the NLMSG_ERROR messages in 'buf' ('len' bytes). */
static int first_error(const void *buf, size_t len)
{
    const struct nlmsghdr *nlh = buf;
    int n = (int)len;
    for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
        const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
        if (nlh->nlmsg_type == NLMSG_ERROR &&
            nlh->nlmsg_len >= mnl_nlmsg_size(sizeof *e) && e->error) {
            return e->error < 0 ? e->error : -e->error;
        }
    }
    return 0;
}

int nl_send_batch(struct nl *nl, const void *buf, size_t len)
{
    if (mnl_socket_sendto(nl->sock, buf, len) < 0) {
        return -errno;
    }
    char *rbuf = malloc(NL_RCVBUF);
    if (!rbuf) {
        return -ENOMEM;
    }
    int fd = mnl_socket_get_fd(nl->sock), rc = 0;
    for (;;) {
        ssize_t n = recv(fd, rbuf, NL_RCVBUF, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && !rc) {
                rc = -errno;
            }
            break;
        }
        int e = first_error(rbuf, (size_t)n);
        rc = rc ? rc : e;
    }
    free(rbuf);
    return rc;
}
