/* VLAN bindings on a kernel without 802.1Q: the cls_bpf programs of the
 * configured ports and of their VLAN veths (see vbpf.h). */
#include "vtepd/dp_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vtepd/nl.h"
#include "vtepd/vbpf.h"
#include "vtepd/vconf.h"

#define LOG_MODULE "dp"
#include "lib/log.h"

static struct dp_prog *find_prog(struct dp *dp, const char *dev)
{
    for (size_t i = 0; i < dp->n_progs; i++) {
        if (!strcmp(dp->progs[i].dev, dev)) {
            return &dp->progs[i];
        }
    }
    struct dp_prog *v = realloc(dp->progs, (dp->n_progs + 1) * sizeof *v);
    if (!v) {
        return NULL;
    }
    dp->progs = v;
    memset(&v[dp->n_progs], 0, sizeof *v);
    snprintf(v[dp->n_progs].dev, MODEL_IFNAMSIZ, "%s", dev);
    return &v[dp->n_progs++];
}

/* Loads 'insns' and attaches it to the ingress of 'ifindex'. */
static int attach(struct dp *dp, int ifindex, const char *dev,
                  const struct bpf_insn *insns, int n)
{
    static char log[VBPF_LOG_SIZE];
    struct nl *nl = dp->nl[WANT_NS_MAIN];
    char name[32];
    int fd = vbpf_load(insns, (size_t)n, log);
    if (fd < 0) {
        log_warn("cannot load the VLAN program of %s: %s; verifier: %.300s",
                 dev, strerror(-fd), log);
        return fd;
    }
    int rc = nl_talk(nl, nlmsg_clsact_add(dp->buf, nl_next_seq(nl), ifindex));
    if (!rc || rc == -EEXIST) {
        snprintf(name, sizeof name, "%s-vlan", dp->cfg->prefix);
        rc = nl_talk(nl, nlmsg_bpf_filter_add(dp->buf, nl_next_seq(nl), ifindex,
                                              fd, name));
    }
    close(fd);
    if (rc) {
        log_warn("cannot attach the VLAN program to %s: %s", dev,
                 strerror(-rc));
    }
    return rc;
}

/* Attaches program 'insns' to 'dev' unless the same one ('sig') is. */
static int ensure_prog(struct dp *dp, const struct klink *k,
                       const struct bpf_insn *insns, int n, const char *sig)
{
    struct dp_prog *p = find_prog(dp, k->name);
    if (!p) {
        return -ENOMEM;
    }
    if (!strcmp(p->sig, sig)) {
        return 0;
    }
    int rc = attach(dp, k->ifindex, k->name, insns, n);
    snprintf(p->sig, sizeof p->sig, "%s", rc ? "" : sig);
    return rc;
}

void dp_drop_prog(struct dp *dp, const struct klink *k, bool force)
{
    struct dp_prog *p = find_prog(dp, k->name);
    if (p && (force || p->sig[0])) {
        struct nl *nl = dp->nl[WANT_NS_MAIN];
        nl_talk(nl, nlmsg_bpf_filter_del(dp->buf, nl_next_seq(nl), k->ifindex));
        p->sig[0] = '\0';
    }
}

/* The programs of configured port 'ph' (present as 'k'). */
static int port_programs(struct dp *dp, const struct want_phys *ph,
                         const struct klink *k)
{
    struct vbpf_vlan v[WANT_MAX_VLANS_PER_PORT];
    struct bpf_insn insns[VBPF_INSN_MAX];
    char sig[DP_SIG_MAX];
    int len =
        snprintf(sig, sizeof sig, "port %d %d", k->ifindex, ph->master[0] != 0);
    for (size_t i = 0; i < ph->n_vlans; i++) {
        const struct klink *q =
            klinks_by_name(&dp->links[WANT_NS_MAIN], ph->vlans[i].veth);
        if (!q) {
            return -EAGAIN; /* created on the next pass */
        }
        v[i].vlan = ph->vlans[i].vlan;
        v[i].ifindex = q->ifindex;
        if (len < (int)sizeof sig) {
            len += snprintf(sig + len, sizeof sig - (size_t)len, " %u:%d",
                            v[i].vlan, q->ifindex);
        }
        char qsig[64];
        snprintf(qsig, sizeof qsig, "veth %d %u", k->ifindex, v[i].vlan);
        int n = vbpf_veth_prog(v[i].vlan, k->ifindex, insns, VBPF_INSN_MAX);
        int rc = ensure_prog(dp, q, insns, n, qsig);
        if (rc) {
            return rc;
        }
    }
    int n = vbpf_port_prog(v, ph->n_vlans, ph->master[0] != 0, insns,
                           VBPF_INSN_MAX);
    return n < 0 ? n : ensure_prog(dp, k, insns, n, sig);
}

void dp_phase_vlans(struct dp *dp, bool first)
{
    for (size_t i = 0; i < dp->want.n_phys; i++) {
        const struct want_phys *ph = &dp->want.phys[i];
        const struct klink *k =
            klinks_by_name(&dp->links[WANT_NS_MAIN], ph->name);
        bool bound = ph->master[0] || ph->n_vlans;
        if (!k) {
            if (bound) {
                dp_add_fault(dp, ph->name, "invalid_vlan_map");
            }
            continue;
        }
        if (!bound) {
            dp_drop_prog(dp, k, first);
            continue;
        }
        int rc = port_programs(dp, ph, k);
        if (rc && rc != -EAGAIN && ph->n_vlans) {
            dp_add_fault(dp, ph->name, "invalid_vlan_map");
        }
    }
}
