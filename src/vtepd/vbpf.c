/* Hand-assembled cls_bpf programs for VLAN bindings (see vbpf.h). */
#include "vtepd/vbpf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/pkt_cls.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define VLAN_VID_MASK 0x0fff
#define ETH_P_8021Q_ 0x8100

/* Registers: r1..r5 arguments, r0 result, r6 the context across calls,
 * r7 the VLAN id. */
enum { R0, R1, R2, R3, R4, R5, R6, R7 };

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
                            int32_t imm)
{
    struct bpf_insn i;
    memset(&i, 0, sizeof i);
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}

static struct bpf_insn mov_reg(uint8_t dst, uint8_t src)
{
    return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

static struct bpf_insn mov_imm(uint8_t dst, int32_t imm)
{
    return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

static struct bpf_insn ldx_w(uint8_t dst, uint8_t src, int16_t off)
{
    return insn(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0);
}

static struct bpf_insn and_imm(uint8_t dst, int32_t imm)
{
    return insn(BPF_ALU64 | BPF_AND | BPF_K, dst, 0, 0, imm);
}

static struct bpf_insn jmp_imm(uint8_t op, uint8_t dst, int32_t imm,
                               int16_t off)
{
    return insn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}

static struct bpf_insn call(int32_t helper)
{
    return insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper);
}

static struct bpf_insn exit_insn(void)
{
    return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Instructions of one bound-VLAN block of the port program. */
#define PORT_BLOCK_LEN 7
/* Instructions before the first block, and after the last. */
#define PORT_HEAD_LEN 5
#define PORT_TAIL_LEN 4

int vbpf_port_prog(const struct vbpf_vlan *v, size_t n, bool untagged_ok,
                   struct bpf_insn *out, size_t max)
{
    size_t len = PORT_HEAD_LEN + n * PORT_BLOCK_LEN + PORT_TAIL_LEN, k = 0;
    if (len > max) {
        return -E2BIG;
    }
    /* The jump over every block and the drop lands on "untagged". */
    int16_t to_untagged = (int16_t)(n * PORT_BLOCK_LEN + 2 + 2);
    out[k++] = mov_reg(R6, R1);
    out[k++] = ldx_w(R2, R6, offsetof(struct __sk_buff, vlan_present));
    out[k++] = jmp_imm(BPF_JEQ, R2, 0, to_untagged);
    out[k++] = ldx_w(R7, R6, offsetof(struct __sk_buff, vlan_tci));
    out[k++] = and_imm(R7, VLAN_VID_MASK);
    for (size_t i = 0; i < n; i++) {
        out[k++] = jmp_imm(BPF_JNE, R7, v[i].vlan, PORT_BLOCK_LEN - 1);
        out[k++] = mov_reg(R1, R6);
        out[k++] = call(BPF_FUNC_skb_vlan_pop);
        out[k++] = mov_imm(R1, v[i].ifindex);
        out[k++] = mov_imm(R2, 0);
        out[k++] = call(BPF_FUNC_redirect);
        out[k++] = exit_insn();
    }
    out[k++] = mov_imm(R0, TC_ACT_SHOT);
    out[k++] = exit_insn();
    out[k++] = mov_imm(R0, untagged_ok ? TC_ACT_OK : TC_ACT_SHOT);
    out[k++] = exit_insn();
    return (int)k;
}

/* Length of the veth program. */
#define VETH_PROG_LEN 10

int vbpf_veth_prog(uint16_t vlan, int port_ifindex, struct bpf_insn *out,
                   size_t max)
{
    size_t k = 0;
    if (max < VETH_PROG_LEN) {
        return -E2BIG;
    }
    out[k++] = mov_imm(R2, htons(ETH_P_8021Q_));
    out[k++] = mov_imm(R3, vlan);
    out[k++] = call(BPF_FUNC_skb_vlan_push);
    out[k++] = jmp_imm(BPF_JNE, R0, 0, 4);
    out[k++] = mov_imm(R1, port_ifindex);
    out[k++] = mov_imm(R2, 0);
    out[k++] = call(BPF_FUNC_redirect);
    out[k++] = exit_insn();
    out[k++] = mov_imm(R0, TC_ACT_SHOT);
    out[k++] = exit_insn();
    return (int)k;
}

int vbpf_load(const struct bpf_insn *insns, size_t n, char *log)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = (uint32_t)n;
    attr.license = (uint64_t)(uintptr_t) "Apache-2.0";
    if (log) {
        log[0] = '\0';
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = VBPF_LOG_SIZE;
        attr.log_level = 1;
    }
    long fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
    if (fd < 0 && log && errno == ENOSPC) {
        /* The log did not fit: load again without one. */
        attr.log_buf = 0;
        attr.log_size = attr.log_level = 0;
        fd = syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
    }
    return fd < 0 ? -errno : (int)fd;
}
