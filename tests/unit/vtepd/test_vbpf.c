/* Unit tests of vtepd/vbpf: the hand-assembled programs' shape, and, when
 * run as root, the kernel verifier's verdict on them. */
#include "vtepd/vbpf.h"

#include <errno.h>
#include <linux/pkt_cls.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static struct bpf_insn prog[VBPF_INSN_MAX];

/* Every jump lands inside the program and the last instruction exits. */
static void assert_well_formed(const struct bpf_insn *p, int n)
{
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        uint8_t cls = BPF_CLASS(p[i].code), op = BPF_OP(p[i].code);
        if (cls == BPF_JMP && op != BPF_CALL && op != BPF_EXIT) {
            int to = i + 1 + p[i].off;
            assert_true(to > i && to < n);
        }
    }
    assert_int_equal(p[n - 1].code, BPF_JMP | BPF_EXIT);
}

static size_t count_calls(const struct bpf_insn *p, int n, int helper)
{
    size_t c = 0;
    for (int i = 0; i < n; i++) {
        c += p[i].code == (BPF_JMP | BPF_CALL) && p[i].imm == helper;
    }
    return c;
}

static void test_port_prog(void **state)
{
    struct vbpf_vlan v[] = {{100, 7}, {200, 8}, {4094, 9}};
    int n = vbpf_port_prog(v, 3, true, prog, VBPF_INSN_MAX);
    assert_well_formed(prog, n);
    assert_int_equal(count_calls(prog, n, BPF_FUNC_skb_vlan_pop), 3);
    assert_int_equal(count_calls(prog, n, BPF_FUNC_redirect), 3);
    /* The untagged verdict is the last value put in r0. */
    assert_int_equal(prog[n - 2].imm, TC_ACT_OK);
    n = vbpf_port_prog(v, 0, false, prog, VBPF_INSN_MAX);
    assert_well_formed(prog, n);
    assert_int_equal(prog[n - 2].imm, TC_ACT_SHOT);
    assert_int_equal(vbpf_port_prog(v, 3, true, prog, 10), -E2BIG);
}

static void test_veth_prog(void **state)
{
    int n = vbpf_veth_prog(100, 4, prog, VBPF_INSN_MAX);
    assert_well_formed(prog, n);
    assert_int_equal(count_calls(prog, n, BPF_FUNC_skb_vlan_push), 1);
    assert_int_equal(prog[1].imm, 100);
    assert_int_equal(vbpf_veth_prog(100, 4, prog, 3), -E2BIG);
}

static void test_verifier(void **state)
{
    char log[VBPF_LOG_SIZE];
    if (geteuid() != 0) {
        skip();
    }
    struct vbpf_vlan v[] = {{100, 1}, {101, 1}};
    int n = vbpf_port_prog(v, 2, true, prog, VBPF_INSN_MAX);
    int fd = vbpf_load(prog, (size_t)n, log);
    if (fd < 0) {
        fail_msg("port program refused: %s", log);
    }
    close(fd);
    n = vbpf_veth_prog(100, 1, prog, VBPF_INSN_MAX);
    fd = vbpf_load(prog, (size_t)n, log);
    if (fd < 0) {
        fail_msg("veth program refused: %s", log);
    }
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_prog),
        cmocka_unit_test(test_veth_prog),
        cmocka_unit_test(test_verifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
