#!/bin/bash
# End to end with l2gw-vtepd instead of ovs-vtep (as root): two clouds,
# each with its own l2gwd programming its own border gateway (an
# l2gw-vtepd with a bare-metal host on port p1), everything through the
# l2gw client.
#
#   cloud A: vmA (VNI 123) ── gwA ── bmA    l2gwd A: network, host, port,
#                              ║ WAN VNI 456   gateway, connection,
#   cloud B: vmB (VNI 789) ── gwB ── bmB    remote gateway/connection/MAC
#
# Scenario A (one cloud): VM ⇄ bare metal, the bare-metal MAC learned back
# into the API, connection ACTIVE.  Scenario B (border): VM A ⇄ VM B,
# bare metal B → VM A, across both gateways with three different VNIs.
# The compute nodes are kernel VXLAN devices pointed at their gateway (no
# overlay agent).  Prints "N passed, N failed"; exits 77 (skip) without
# root or tools.  Env: VTEPD, L2GWD, L2GW (default: <repo>/build/...).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
VT=${VT:-ve$$}
. "$TOP/tests/vtepd/lib.sh"
VTEPD=${VTEPD:-$TOP/build/src/vtepd/l2gw-vtepd}
L2GWD=${L2GWD:-$TOP/build/src/daemon/l2gwd}
L2GW=${L2GW:-$TOP/build/src/cli/l2gw}
require
for b in "$L2GWD" "$L2GW"; do [ -x "$b" ] || { say "SKIP: no $b"; exit 77; }; done
[ -n "${KEEP:-}" ] || trap 'stop_l2gwd A; stop_l2gwd B; teardown' EXIT

VMA_MAC=02:00:00:0a:00:01 VMB_MAC=02:00:00:0b:00:01
BMA_MAC=02:00:00:0a:00:20 BMB_MAC=02:00:00:0b:00:20

# cloud S: gateway gwS (tunnel TIP, WAN WIP), VM on vmS, bare metal bmS.
cloud() {
    local s=$1 tip=$2 cip=$3 wip=$4 vni=$5 vmmac=$6 vmip=$7 bmmac=$8 bmip=$9
    local db=${s,,}
    add_ns gw$s; add_ns wan$s; add_ns vm$s; add_ns bm$s
    veth_pair gw$s ul0 vm$s ul0
    nsx gw$s ip addr add $tip/24 dev ul0
    nsx vm$s ip addr add $cip/24 dev ul0
    veth_pair gw$s p1 bm$s eth0
    nsx bm$s ip link set eth0 address $bmmac
    nsx bm$s ip addr add $bmip/24 dev eth0
    nsx vm$s ip link add vx type vxlan id $vni local $cip remote $tip dstport 4789 nolearning
    nsx vm$s ip link set vx address $vmmac mtu 1400 up
    nsx vm$s ip addr add $vmip/24 dev vx
    cat >"$WORK/gw$s.ini" <<EOC
[vtepd]
db = unix:$WORK/$db.sock
switch_name = border$s
tunnel_ip = $tip
wan_ip = $wip
wan_netns = $VT-wan$s
ports = p1
prefix = ve
EOC
    cat >"$WORK/l2gwd$s.ini" <<EOC
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 0
state_path = $WORK/l2gwd$s
[database]
connection = sqlite:///$WORK/l2gwd$s/l2gw.db
[ovsdb]
ovsdb_hosts = border$s:unix:$WORK/$db.sock
EOC
    mkdir -p "$WORK/l2gwd$s"
    start_db "$db"
    start_vtepd gw$s "$WORK/gw$s.ini"
}

# start_l2gwd S: sets URL_S.
start_l2gwd() {
    "$L2GWD" --config-file "$WORK/l2gwd$1.ini" >"$WORK/l2gwd$1.log" 2>&1 </dev/null &
    echo $! >"$WORK/l2gwd$1.pid"
    retry 10 grep -q 'API listening on http://' "$WORK/l2gwd$1.log" || return 1
    local line
    line=$(grep -o 'API listening on http://[0-9.:]*' "$WORK/l2gwd$1.log" | tail -n 1)
    eval "URL_$1=http://${line##*http://}"
}
stop_l2gwd() { [ -e "$WORK/l2gwd$1.pid" ] && kill "$(cat "$WORK/l2gwd$1.pid")" 2>/dev/null; }

cliA() { "$L2GW" --url "$URL_A" "$@" >>"$WORK/cli.log" 2>&1; }
cliB() { "$L2GW" --url "$URL_B" "$@" >>"$WORK/cli.log" 2>&1; }
outA() { "$L2GW" --url "$URL_A" "$@" 2>>"$WORK/cli.log"; }
pingx() { nsx "$1" ping -c1 -W1 "$2"; }

mkdir -p "$WORK"
cloud A 10.98.0.1 10.98.0.2 198.18.0.1 123 $VMA_MAC 192.168.60.1 $BMA_MAC 192.168.60.21
cloud B 10.97.0.1 10.97.0.2 198.18.0.2 789 $VMB_MAC 192.168.60.2 $BMB_MAC 192.168.60.22
veth_pair wanA wan0 wanB wan0
nsx wanA ip addr add 198.18.0.1/24 dev wan0
nsx wanB ip addr add 198.18.0.2/24 dev wan0
check "l2gwd A started" start_l2gwd A
check "l2gwd B started" start_l2gwd B

# ---- Scenario A: the seed walkthrough on l2gw-vtepd (cloud A alone).
check "A: switch borderA registered by vtepd, seen by l2gwd" \
    retry 20 sh -c "'$L2GW' --url '$URL_A' switch list | grep -q borderA"
cliA network create netA --provider-network-type vxlan --provider-segment 123
cliA host create hostA --tunnel-ip 10.98.0.2
cliA port create vmA --network netA --mac-address $VMA_MAC --host hostA \
    --fixed-ip ip-address=192.168.60.1
check "A: gateway created" cliA l2-gateway-create --device "name=borderA,interface_names=p1" gwa
check "A: connection created" cliA l2-gateway-connection-create gwa netA
check "A: bridge for VNI 123 on the gateway" retry 20 nsx gwA ip link show ve-b123
check "A: VM -> bare metal" retry 20 pingx vmA 192.168.60.21
check "A: bare metal -> VM" retry 5 pingx bmA 192.168.60.1
check "A: bare-metal MAC learned into the API" \
    retry 20 sh -c "'$L2GW' --url '$URL_A' learned-mac list | grep -q $BMA_MAC"
check "A: connection ACTIVE" retry 20 sh -c "'$L2GW' --url '$URL_A' l2-gateway-connection-list -f json | grep -q '\"status\": \"ACTIVE\"'"

# ---- Scenario B: the border gateway (cloud B joins over the WAN).
cliB network create netB --provider-network-type vxlan --provider-segment 789
cliB host create hostB --tunnel-ip 10.97.0.2
cliB port create vmB --network netB --mac-address $VMB_MAC --host hostB \
    --fixed-ip ip-address=192.168.60.2
cliB l2-gateway-create --device "name=borderB,interface_names=p1" gwb
cliB l2-gateway-connection-create gwb netB
check "A: remote gateway B" cliA l2-remote-gateway-create rgB 198.18.0.2
check "A: remote connection (WAN VNI 456)" cliA l2-remote-gateway-connection-create gwa netA rgB --seg-id 456
check "B: remote gateway A" cliB l2-remote-gateway-create rgA 198.18.0.1
check "B: remote connection (WAN VNI 456)" cliB l2-remote-gateway-connection-create gwb netB rgA --seg-id 456
RC_A=$(outA l2-remote-gateway-connection-list -f value -c id | head -n 1)
RC_B=$("$L2GW" --url "$URL_B" l2-remote-gateway-connection-list -f value -c id 2>>"$WORK/cli.log" | head -n 1)
check "A: remote MAC of VM B" cliA l2-remote-mac-create "$VMB_MAC;192.168.60.2" "$RC_A"
check "B: remote MAC of VM A" cliB l2-remote-mac-create "$VMA_MAC;192.168.60.1" "$RC_B"
check "A: WAN VXLAN key 456 in the WAN namespace" \
    retry 20 sh -c "ip netns exec $VT-wanA ip -d link show ve-x456 | grep -q 'id 456 local 198.18.0.1'"
check "VM A -> VM B (VNI 123 -> 456 -> 789)" retry 20 pingx vmA 192.168.60.2
check "VM B -> VM A" retry 5 pingx vmB 192.168.60.1
check "bare metal B -> VM A" retry 10 pingx bmB 192.168.60.1
check "bare metal A -> bare metal B" retry 10 pingx bmA 192.168.60.22
check "A: remote connection ACTIVE" retry 20 sh -c "'$L2GW' --url '$URL_A' l2-remote-gateway-connection-show $RC_A -f json | grep -q '\"status\": \"ACTIVE\"'"
check "borderA advertises per-locator keys" sh -c "vtep-ctl --db=unix:$WORK/a.sock get Physical_Switch borderA other_config:l2gw-per-locator-key | grep -q true"

say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
