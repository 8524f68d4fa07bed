/* The two small tc cls_bpf programs of a VLAN binding on a kernel without
 * 802.1Q, assembled here by hand and loaded with bpf(2):
 *
 *  - on a physical port's ingress: a frame tagged with a bound VLAN loses
 *    its tag and is redirected to that binding's veth; a frame tagged
 *    with any other VLAN is dropped; an untagged frame passes (to the
 *    bridge of the VLAN 0 binding) or, without one, is dropped;
 *  - on the veth's ingress (frames the bridge sends towards the port): the
 *    tag is pushed and the frame redirected out of the physical port.
 *
 * Both are direct-action programs (they return the TC_ACT_* verdict). */
#ifndef L2GW_VTEPD_VBPF_H
#define L2GW_VTEPD_VBPF_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest program built (instructions). */
#define VBPF_INSN_MAX 2048
/* Bytes of the verifier log kept on a load failure. */
#define VBPF_LOG_SIZE 4096

struct vbpf_vlan {
    uint16_t vlan;
    int ifindex; /* the veth end outside the bridge */
};

/* Writes the port-ingress program into 'out' (room for 'max').  Returns
 * the number of instructions, or -E2BIG. */
int vbpf_port_prog(const struct vbpf_vlan *v, size_t n, bool untagged_ok,
                   struct bpf_insn *out, size_t max);

/* Writes the veth-ingress program (push 'vlan', redirect to the port). */
int vbpf_veth_prog(uint16_t vlan, int port_ifindex, struct bpf_insn *out,
                   size_t max);

/* Loads a SCHED_CLS program.  Returns its fd (caller closes), or a
 * negative errno with the verifier's first words in 'log' (if not NULL,
 * VBPF_LOG_SIZE bytes). */
int vbpf_load(const struct bpf_insn *insns, size_t n, char *log);

#endif
