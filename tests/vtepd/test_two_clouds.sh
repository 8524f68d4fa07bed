#!/bin/bash
# Scenario B of spec/border.md with two l2gw-vtepd border gateways (as
# root): cloud A gives network N the VNI 123, cloud B gives network M the
# VNI 789; the gateways agree on WAN VNI 456.  Each gateway has its own
# database, programmed with vtep-ctl as each cloud's l2gwd would, and no
# physical port at all (a WAN-only border).
#
#   vmA [vx 123] 10.98.0.2 ── gwA 10.98.0.1 | wanA 198.18.0.1 ══ 456 ══
#   ══ 198.18.0.2 wanB | gwB 10.97.0.1 ── 10.97.0.2 [vx 789] vmB
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
VTEPD=${VTEPD:-$HERE/../../build/src/vtepd/l2gw-vtepd}
require
[ -n "${KEEP:-}" ] || trap teardown EXIT

MAC_A=02:00:00:00:0a:01
MAC_B=02:00:00:00:0b:01
vA() { vtep-ctl --db="unix:$WORK/a.sock" "$@"; }
vB() { vtep-ctl --db="unix:$WORK/b.sock" "$@"; }

setup() {
    add_ns gwA; add_ns wanA; add_ns vmA; add_ns gwB; add_ns wanB; add_ns vmB
    veth_pair gwA ul0 vmA ul0
    nsx gwA ip addr add 10.98.0.1/24 dev ul0
    nsx vmA ip addr add 10.98.0.2/24 dev ul0
    veth_pair gwB ul0 vmB ul0
    nsx gwB ip addr add 10.97.0.1/24 dev ul0
    nsx vmB ip addr add 10.97.0.2/24 dev ul0
    veth_pair wanA wan0 wanB wan0
    nsx wanA ip addr add 198.18.0.1/24 dev wan0
    nsx wanB ip addr add 198.18.0.2/24 dev wan0
    nsx vmA ip link add vx type vxlan id 123 local 10.98.0.2 remote 10.98.0.1 dstport 4789 nolearning
    nsx vmA ip link set vx address $MAC_A mtu 1400 up
    nsx vmA ip addr add 192.168.50.1/24 dev vx
    nsx vmB ip link add vx type vxlan id 789 local 10.97.0.2 remote 10.97.0.1 dstport 4789 nolearning
    nsx vmB ip link set vx address $MAC_B mtu 1400 up
    nsx vmB ip addr add 192.168.50.2/24 dev vx
    for s in A B; do
        local tip wip
        [ $s = A ] && { tip=10.98.0.1; wip=198.18.0.1; } || { tip=10.97.0.1; wip=198.18.0.2; }
        cat >"$WORK/gw$s.ini" <<EOC
[vtepd]
db = unix:$WORK/$(echo $s | tr AB ab).sock
switch_name = border$s
tunnel_ip = $tip
wan_ip = $wip
wan_netns = $VT-wan$s
ports =
prefix = bg
EOC
    done
}

# program CTL KEY COMPUTE_IP LOCAL_MAC PEER_WAN_IP PEER_MAC
program() {
    local c=$1
    $c add-ls net
    $c set Logical_Switch net tunnel_key="$2"
    $c add-ucast-remote net "$4" "$3"
    $c add-mcast-remote net unknown-dst "$3"
    local ls
    ls=$($c get Logical_Switch net _uuid)
    $c -- --id=@l create Physical_Locator dst_ip="$5" \
        encapsulation_type=vxlan_over_ipv4 tunnel_key=456 \
        -- create Ucast_Macs_Remote "MAC=\"$6\"" logical_switch="$ls" locator=@l >/dev/null
    local set loc
    set=$($c --bare --columns=locator_set find Mcast_Macs_Remote MAC=unknown-dst)
    loc=$($c --bare --columns=_uuid find Physical_Locator "dst_ip=$5")
    $c -- --id=@s create Physical_Locator_Set \
        "locators=[$($c --bare --columns=locators list Physical_Locator_Set "$set"),$loc]" \
        -- set Mcast_Macs_Remote "$($c --bare --columns=_uuid find Mcast_Macs_Remote MAC=unknown-dst)" \
        locator_set=@s >/dev/null
}

mkdir -p "$WORK"
setup
start_db a
start_db b
start_vtepd gwA "$WORK/gwA.ini"
start_vtepd gwB "$WORK/gwB.ini"
check "both switches registered" retry 10 sh -c "vtep-ctl --db=unix:$WORK/a.sock list-ps | grep -qx borderA && vtep-ctl --db=unix:$WORK/b.sock list-ps | grep -qx borderB"
program vA 123 10.98.0.2 $MAC_A 198.18.0.2 $MAC_B
program vB 789 10.97.0.2 $MAC_B 198.18.0.1 $MAC_A
check "a WAN-only border serves its switch (no physical port)" retry 10 sh -c "ip netns exec $VT-gwA ip link show bg-b123 && ip netns exec $VT-wanA ip -d link show bg-x456 | grep -q 'id 456'"
check "VM A -> VM B across the WAN (ARP crosses both gateways)" retry 15 nsx vmA ping -c1 -W1 192.168.50.2
check "VM B -> VM A" retry 5 nsx vmB ping -c1 -W1 192.168.50.1
check "WAN VNI on the wire is 456" sh -c "
    ip netns exec $VT-wanB tcpdump --immediate-mode -c 1 -n -i wan0 udp port 4789 2>/dev/null >$WORK/wan.txt &
    sleep 1; ip netns exec $VT-vmA ping -c2 -W1 192.168.50.2 >/dev/null; sleep 0.5
    grep -q 'vni 456' $WORK/wan.txt"
check "gateway A advertises per-locator keys" sh -c "vtep-ctl --db=unix:$WORK/a.sock get Physical_Switch borderA other_config:l2gw-per-locator-key | grep -q true"

say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
