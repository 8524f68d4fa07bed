#!/bin/bash
# l2gw-vtepd as a border gateway (as root).  Two compute nodes (key 5000)
# and a bare-metal host on the cloud side; two remote border gateways on
# the WAN (each a kernel VXLAN device with one host behind it): r1 with
# WAN key 5000 (K = V), r2 with WAN key 789.
#
#   cn1 10.99.0.2 ─┐            ┌─ wan0 198.18.0.1 ── r1 198.18.0.2 (key 5000)
#   cn2 10.99.1.2 ─┤ gw (vtepd) │   wan namespace
#   bm  (port bm0) ┘            └─ wan1 198.18.1.1 ── r2 198.18.1.2 (key 789)
#
# Checks the forwarding rules of spec/border.md: compute ⇄ WAN, bare
# metal ⇄ WAN, never WAN → WAN, never compute → compute through the gateway;
# ARP suppression for remote MACs with an IP.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
VTEPD=${VTEPD:-$HERE/../../build/src/vtepd/l2gw-vtepd}
require
[ -n "${KEEP:-}" ] || trap teardown EXIT

mac() { printf '02:00:00:00:00:%s' "$1"; }

# host NS KEY LOCAL REMOTE MACSUFFIX: a kernel VTEP with one host address.
host() {
    nsx "$1" ip link add vx type vxlan id "$2" local "$3" remote "$4" \
        dstport 4789 nolearning
    nsx "$1" ip link set vx address "$(mac "$5")" mtu 1400 up
    nsx "$1" ip addr add "192.168.77.$5/24" dev vx
}

setup() {
    add_ns gw; add_ns wan; add_ns cn1; add_ns cn2; add_ns bm; add_ns r1; add_ns r2
    veth_pair gw ul0 cn1 ul0
    veth_pair gw ul1 cn2 ul0
    nsx gw ip addr add 10.99.0.1/24 dev ul0
    nsx gw ip addr add 10.99.1.1/24 dev ul1
    nsx cn1 ip addr add 10.99.0.2/24 dev ul0
    nsx cn2 ip addr add 10.99.1.2/24 dev ul0
    nsx cn2 ip route add 10.99.0.0/24 via 10.99.1.1
    nsx gw sysctl -qw net.ipv4.ip_forward=1
    wan_peers_and_bm
    host cn1 5000 10.99.0.2 10.99.0.1 10
    host cn2 5000 10.99.1.2 10.99.0.1 11
    host r1 5000 198.18.0.2 198.18.0.1 30
    host r2 789 198.18.1.2 198.18.0.1 40
    cat >"$WORK/gw.ini" <<EOC
[vtepd]
db = unix:$WORK/db.sock
switch_name = gw1
tunnel_ip = 10.99.0.1
wan_ip = 198.18.0.1
wan_netns = $VT-wan
ports = bm0
prefix = vt
EOC
}

locator() { vctl --bare --columns=_uuid find Physical_Locator "dst_ip=$1"; }

program() {
    vctl add-ls ls1
    vctl set Logical_Switch ls1 tunnel_key=5000
    vctl bind-ls gw1 bm0 0 ls1
    local ls
    ls=$(vctl get Logical_Switch ls1 _uuid)
    vctl add-ucast-remote ls1 "$(mac 10)" 10.99.0.2
    vctl add-ucast-remote ls1 "$(mac 11)" 10.99.1.2
    vctl -- --id=@l create Physical_Locator dst_ip=198.18.0.2 \
        encapsulation_type=vxlan_over_ipv4 tunnel_key=5000 \
        -- create Ucast_Macs_Remote "MAC=\"$(mac 30)\"" logical_switch="$ls" \
        locator=@l ipaddr=192.168.77.30 >/dev/null
    vctl -- --id=@l create Physical_Locator dst_ip=198.18.1.2 \
        encapsulation_type=vxlan_over_ipv4 tunnel_key=789 \
        -- create Ucast_Macs_Remote "MAC=\"$(mac 40)\"" logical_switch="$ls" \
        locator=@l ipaddr=192.168.77.40 >/dev/null
    vctl -- --id=@s create Physical_Locator_Set \
        "locators=[$(locator 10.99.0.2),$(locator 10.99.1.2),$(locator 198.18.0.2),$(locator 198.18.1.2)]" \
        -- create Mcast_Macs_Remote MAC=unknown-dst logical_switch="$ls" \
        locator_set=@s >/dev/null
}

pingx() { nsx "$1" ping -c1 -W1 "192.168.77.$2"; }
noping() { ! nsx "$1" ping -c2 -W1 "192.168.77.$2"; }
gwx() { ip netns exec "$VT-gw" "$@"; }
wanx() { ip netns exec "$VT-wan" "$@"; }

mkdir -p "$WORK"
setup
start_db
start_vtepd gw "$WORK/gw.ini"
retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-ps | grep -qx gw1"
program
check "WAN bridge, VXLAN key 5000 (K = V) and key 789 in the WAN namespace" \
    retry 10 sh -c "ip netns exec $VT-wan ip -d link show vt-x5000 | grep -q 'id 5000 local 198.18.0.1' && ip netns exec $VT-wan ip -d link show vt-x789 | grep -q 'id 789'"
check "cloud VXLAN key 5000 in the main namespace" \
    sh -c "ip netns exec $VT-gw ip -d link show vt-v5000 | grep -q 'id 5000 local 10.99.0.1'"
check "WAN ports isolated" sh -c "ip netns exec $VT-gw ip -d link show vt-w789 | grep -q 'isolated on' && ip netns exec $VT-gw ip -d link show vt-w5000 | grep -q 'isolated on'"
check "cloud port not isolated" sh -c "ip netns exec $VT-gw ip -d link show vt-v5000 | grep -q 'isolated off'"
check "WAN flood entry" retry 5 sh -c "ip netns exec $VT-wan bridge fdb show dev vt-x789 | grep -q '00:00:00:00:00:00 dst 198.18.1.2'"
check "WAN MAC on the WAN device" sh -c "ip netns exec $VT-wan bridge fdb show dev vt-x5000 | grep -q '$(mac 30) dst 198.18.0.2'"
check "WAN MAC static sticky on the WAN port" retry 5 sh -c "ip netns exec $VT-gw bridge fdb show dev vt-w5000 | grep -q '$(mac 30) sticky master vt-b5000 static'"
check "compute node -> WAN r1 (ARP broadcast crosses)" retry 10 pingx cn1 30
check "compute node -> WAN r2" retry 10 pingx cn2 40
check "bare metal -> WAN r1" retry 10 pingx bm 30
check "bare metal -> compute node" retry 10 pingx bm 10
check "WAN r2 -> compute node" retry 10 pingx r2 11
check "ARP suppression: neighbour entry on the bridge" sh -c "ip netns exec $VT-gw ip neigh show dev vt-b5000 | grep -q '192.168.77.30 lladdr $(mac 30) PERMANENT'"
check "ARP suppression: neigh_suppress on tunnel ports" sh -c "ip netns exec $VT-gw ip -d link show vt-w5000 | grep -q 'neigh_suppress on'"

# ... and the gateway answers ARP for r1 itself: the bare metal's request
# never reaches r1 (inner source MAC = bm's, ethertype ARP).
nsx bm ip neigh flush dev eth0
FROM_BM_ARP='udp port 4789 and udp[22:4] = 0x02000000 and udp[26:2] = 0x0020 and udp[28:2] = 0x0806'
capture r1 wan0 "$WORK/r1arp.pcap" "$FROM_BM_ARP"
TD=$CAPTURE_PID
check "ARP suppression: bare metal resolves r1" pingx bm 30
check "ARP suppression: answered locally" sh -c "ip netns exec $VT-bm ip neigh show 192.168.77.30 | grep -q '$(mac 30)'"
capture_stop $TD
check "ARP suppression: the request did not reach r1" sh -c "[ \$(tcpdump -r $WORK/r1arp.pcap 2>/dev/null | wc -l) = 0 ]"

# Never WAN -> WAN: r1 cannot reach r2 through the gateway, not even with
# the neighbour known (unicast) ...
nsx r1 ip neigh replace 192.168.77.40 lladdr "$(mac 40)" dev vx nud permanent
check "WAN r1 -/-> WAN r2 (unicast)" noping r1 40
# ... and never compute -> compute through the gateway.
nsx cn1 ip neigh replace 192.168.77.11 lladdr "$(mac 11)" dev vx nud permanent
check "compute cn1 -/-> compute cn2 via the gateway (unicast)" noping cn1 11
# Broadcast from a compute node reaches the WAN and the bare metal, not
# the other compute node.
# (only frames whose inner source MAC is cn1's count)
FROM_CN1='udp port 4789 and udp[22:4] = 0x02000000 and udp[26:2] = 0x0010'
capture cn2 ul0 "$WORK/cn2.pcap" "$FROM_CN1"
TD=$CAPTURE_PID
capture r1 wan0 "$WORK/r1.pcap" "$FROM_CN1"
TD2=$CAPTURE_PID
nsx cn1 ping -c2 -W1 -b 192.168.77.255 >/dev/null 2>&1
capture_stop $TD
capture_stop $TD2
check "broadcast from cn1 reaches WAN r1" sh -c "[ \$(tcpdump -r $WORK/r1.pcap 2>/dev/null | wc -l) -ge 1 ]"
check "broadcast from cn1 does not reach cn2" sh -c "[ \$(tcpdump -r $WORK/cn2.pcap 2>/dev/null | wc -l) = 0 ]"

# Removing the WAN rows removes the WAN objects.
vctl clear Mcast_Macs_Remote "$(vctl --bare --columns=_uuid find Mcast_Macs_Remote MAC=unknown-dst)" locator_set 2>/dev/null
for u in $(vctl --bare --columns=_uuid find Ucast_Macs_Remote "MAC=\"$(mac 40)\""); do vctl destroy Ucast_Macs_Remote "$u"; done
for u in $(vctl --bare --columns=_uuid find Mcast_Macs_Remote MAC=unknown-dst); do vctl destroy Mcast_Macs_Remote "$u"; done
check "WAN key 789 removed" retry 10 sh -c "! ip netns exec $VT-wan ip link show vt-x789 && ! ip netns exec $VT-gw ip link show vt-w789"
check "WAN key 5000 kept" sh -c "ip netns exec $VT-wan ip link show vt-x5000"

stop_vtepd gw
start_vtepd gw "$WORK/gw.ini" --cleanup
sleep 1
stop_vtepd gw
check "cleanup: nothing left in either namespace" sh -c "[ -z \"\$(ip netns exec $VT-gw ip -o link show | grep ': vt-')\$(ip netns exec $VT-wan ip -o link show | grep ': vt-')\" ]"

say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
