#!/bin/bash
# End to end with l2gw-vtepd instead of ovs-vtep (as root): two clouds,
# each with its own l2gwd programming its own border gateway (an
# l2gw-vtepd, physical port p1), everything through the l2gw client.
#
#   cloud A:  vmA ─ cnA (OVS, VNI 123, netA) ─ul0─┐        ┌─ torA (OVS) ─ bmA (untagged)
#             vmT (kernel VXLAN, VNI 124, netT) ─ul1─┴─ gwA ─p1─┘      └────── bmT (VLAN 100)
#                                                       ║ wanA ── WAN VNI 456 (or 123) ──
#   cloud B:  vmB ─ cnB (OVS, VNI 789, netB) ─ul0─── gwB ─p1── bmB      wanB ══╝
#
# Scenario A (vtepd_a.sh): VM ⇄ bare metal on cloud A, with an untagged
# (netA) and a VLAN-100 (netT) binding on the same port p1, no leaks.
# Scenario B (vtepd_b.sh): cloud B joins over the WAN; VM A ⇄ VM B with
# WAN VNI 456 and with WAN VNI = cloud A's VNI, VNIs on each link, flood
# false, remote connection delete, l2gw-vtepd restarts.  Hygiene
# (vtepd_a.sh): nothing of the gateways' own stacks inside any VNI, VM
# unicast never on the WAN, a spoofed VM source MAC moves nothing.
# Compute nodes A and B are Open vSwitch (userspace datapath) with a VXLAN
# port to their gateway on br-int (set by the test, as the overlay agent
# would); netT's compute node is a kernel VXLAN device.  The ToR of cloud
# A is a userspace OVS bridge (this kernel has no 8021q, no act_vlan).
# Prints "N passed, N failed"; exits 77 (skip) without root or tools.
# Env: VTEPD, L2GWD, L2GW (default: <repo>/build/...), KEEP=1 keeps it all.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
VT=${VT:-ve$$}
. "$TOP/tests/vtepd/lib.sh"
. "$HERE/vtepd_lib.sh"
. "$HERE/vtepd_a.sh"
. "$HERE/vtepd_b.sh"
VTEPD=${VTEPD:-$TOP/build/src/vtepd/l2gw-vtepd}
L2GWD=${L2GWD:-$TOP/build/src/daemon/l2gwd}
L2GW=${L2GW:-$TOP/build/src/cli/l2gw}
RAWFRAME=$TOP/tests/vtepd/rawframe.py
require
for b in "$L2GWD" "$L2GW" "$RAWFRAME"; do [ -e "$b" ] || { say "SKIP: no $b"; exit 77; }; done
for p in ovs-vswitchd ovs-vsctl ovs-appctl ethtool; do
    command -v $p >/dev/null || { say "SKIP: no $p"; exit 77; }
done
[ -n "${KEEP:-}" ] || trap cleanup EXIT
exec 3>&2
T0=$SECONDS

mkdir -p "$WORK"
gateway A 10.98.0.1 198.18.0.1
gateway B 10.97.0.1 198.18.0.2
compute_ovs vmA cnA ul0 10.98.0.1 10.98.0.2 123 $VMA_MAC $VMA_IP || say "cnA failed"
compute vmT gwA ul1 10.98.0.1 10.98.1.2 124 $VMT_MAC $VMT_IP 10.98.1.1
compute_ovs vmB cnB ul0 10.97.0.1 10.97.0.2 789 $VMB_MAC $VMB_IP || say "cnB failed"
nsx gwA ip addr add 10.98.0.1/24 dev ul0
nsx gwA ip addr add 10.98.1.1/24 dev ul1
nsx gwB ip addr add 10.97.0.1/24 dev ul0
tor torA gwA p1 || say "ToR failed"
bare bmA $BMA_MAC $BMA_IP torA hU
bare bmT $BMT_MAC $BMT_IP torA hT
tor_access torA hU 1
tor_access torA hT 100
bare bmB $BMB_MAC $BMB_IP gwB p1
veth_pair wanA wan0 wanB wan0
nsx wanA ip addr add 198.18.0.1/24 dev wan0
nsx wanB ip addr add 198.18.0.2/24 dev wan0
start_db a; start_vtepd gwA "$WORK/gwA.ini"
start_db b; start_vtepd gwB "$WORK/gwB.ini"
check "l2gwd A started" start_l2gwd A
check "l2gwd B started" start_l2gwd B

scenario_a; say "t=$((SECONDS - T0))"
scenario_a_vlan; say "t=$((SECONDS - T0))"
scenario_b; say "t=$((SECONDS - T0))"
scenario_b_vnis; say "t=$((SECONDS - T0))"
hygiene; say "t=$((SECONDS - T0))"
scenario_b_k_equals_v; say "t=$((SECONDS - T0))"
scenario_b_flood_false; say "t=$((SECONDS - T0))"
scenario_b_restart

say "run time: $((SECONDS - T0)) s"
say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
