#!/bin/bash
# l2gw-vtepd's WAN source allow-list (as root): with wan_allow_list, only
# VXLAN packets from the WAN locators of the database reach the tenant
# bridge.  One bare-metal host on the cloud side; two remote VTEPs on the
# WAN, on two links of the WAN namespace, both with key 5000: r1 is in the
# database from the start, r2 is not (until the test adds it).
#
#   bm (port bm0) ── gw (vtepd) ─┬─ wan0 198.18.0.1 ── r1 198.18.0.2
#                    wan namespace└─ wan1 198.18.1.1 ── r2 198.18.1.2
#
# Checks: the nftables table, set and per-link ingress chains; r1 reaches
# the bare metal, r2's frames never do (and the drop counter moves);
# adding r2's locator lets it through, removing it blocks it again; a
# table deleted by hand comes back; vtepd without the option, --cleanup
# and --cleanup-now remove the table; the option needs wan_ip.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
VTEPD=${VTEPD:-$HERE/../../build/src/vtepd/l2gw-vtepd}
require
command -v nft >/dev/null || { say "SKIP: no nft"; exit 77; }
[ -n "${KEEP:-}" ] || trap teardown EXIT

TABLE=vt-wan
mac() { printf '02:00:00:00:00:%s' "$1"; }

# host NS LOCAL MACSUFFIX: a kernel VTEP (key 5000, towards the gateway's
# WAN address) with one host address.
host() {
    nsx "$1" ip link add vx type vxlan id 5000 local "$2" remote 198.18.0.1 \
        dstport 4789 nolearning
    nsx "$1" ip link set vx address "$(mac "$3")" mtu 1400 up
    nsx "$1" ip addr add "192.168.77.$3/24" dev vx
}

# write_conf FILE ALLOW [WAN_IP]
write_conf() {
    cat >"$1" <<EOC
[vtepd]
db = unix:$WORK/db.sock
switch_name = gw1
tunnel_ip = 10.99.0.1
wan_ip = ${3-198.18.0.1}
wan_netns = $VT-wan
ports = bm0
prefix = vt
wan_allow_list = $2
EOC
}

setup() {
    add_ns gw; add_ns wan; add_ns bm; add_ns r1; add_ns r2
    nsx gw ip addr add 10.99.0.1/32 dev lo
    wan_peers_and_bm
    host r1 198.18.0.2 30
    host r2 198.18.1.2 40
    write_conf "$WORK/gw.ini" true
    write_conf "$WORK/off.ini" false
    write_conf "$WORK/nowan.ini" true ""
}

locator() { vctl --bare --columns=_uuid find Physical_Locator "dst_ip=$1"; }

# The switch, r1's MAC and r1 as the only flood member.
program() {
    vctl add-ls ls1
    vctl set Logical_Switch ls1 tunnel_key=5000
    vctl bind-ls gw1 bm0 0 ls1
    local ls
    ls=$(vctl get Logical_Switch ls1 _uuid)
    vctl -- --id=@l create Physical_Locator dst_ip=198.18.0.2 \
        encapsulation_type=vxlan_over_ipv4 tunnel_key=5000 \
        -- create Ucast_Macs_Remote "MAC=\"$(mac 30)\"" logical_switch="$ls" \
        locator=@l >/dev/null
    vctl -- --id=@s create Physical_Locator_Set "locators=[$(locator 198.18.0.2)]" \
        -- create Mcast_Macs_Remote MAC=unknown-dst logical_switch="$ls" \
        locator_set=@s >/dev/null
}

# r2's MAC with its WAN locator (key 5000) in the database, or not (its
# IP address lets the bridge answer the bare metal's ARP requests).
add_r2() {
    local ls
    ls=$(vctl get Logical_Switch ls1 _uuid)
    vctl -- --id=@l create Physical_Locator dst_ip=198.18.1.2 \
        encapsulation_type=vxlan_over_ipv4 tunnel_key=5000 \
        -- create Ucast_Macs_Remote "MAC=\"$(mac 40)\"" logical_switch="$ls" \
        locator=@l ipaddr=192.168.77.40 >/dev/null
}
del_r2() {
    local u
    for u in $(vctl --bare --columns=_uuid find Ucast_Macs_Remote "MAC=\"$(mac 40)\""); do
        vctl destroy Ucast_Macs_Remote "$u"
    done
}

wanx() { ip netns exec "$VT-wan" "$@"; }
set_has() { wanx nft list set netdev "$TABLE" allowed | grep -qwF "$1"; }
set_lacks() { wanx nft list set netdev "$TABLE" allowed >/dev/null && ! set_has "$1"; }
no_table() { ! wanx nft list table netdev "$TABLE"; }
# drops DEV: the packets the rule of chain in-DEV has dropped.
drops() {
    wanx nft list chain netdev "$TABLE" "in-$1" |
        sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}
pingx() { nsx "$1" ping -c1 -W1 "192.168.77.$2"; }

# r2_reaches_bm: true if a frame from r2 (inner source MAC ...:40) reaches
# the bare metal while r2 pings it (ARP resolved by hand, so only unicast
# frames are sent).
r2_reaches_bm() {
    local pcap="$WORK/bm-r2.pcap" td
    nsx r2 ip neigh replace 192.168.77.20 lladdr "$(mac 20)" dev vx nud permanent
    capture bm eth0 "$pcap" "ether src $(mac 40)" || return 2
    td=$CAPTURE_PID
    nsx r2 ping -c3 -i0.3 -W1 192.168.77.20 >/dev/null 2>&1
    capture_stop "$td"
    [ "$(captured "$pcap")" -gt 0 ]
}
# r2_blocked: the capture worked and saw no frame from r2.
r2_blocked() {
    r2_reaches_bm
    [ $? = 1 ]
}
cleanup_now() {
    nsx gw "$VTEPD" --config-file "$WORK/gw.ini" --cleanup-now \
        --log-file "$WORK/cleanup-now.log"
}

mkdir -p "$WORK"
setup
start_db
start_vtepd gw "$WORK/gw.ini"
retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-ps | grep -qx gw1"
program
check "WAN VXLAN device up (switch instantiated)" \
    retry 10 sh -c "ip netns exec $VT-wan ip -d link show vt-x5000 | grep -q 'id 5000'"
check "table netdev $TABLE in the WAN namespace" \
    retry 10 sh -c "ip netns exec $VT-wan nft list ruleset | grep -q 'table netdev $TABLE'"
check "set holds r1's locator" retry 10 set_has 198.18.0.2
check "set lacks r2 (not in the database)" set_lacks 198.18.1.2
check "ingress chain on wan0 (the link with wan_ip)" \
    sh -c "ip netns exec $VT-wan nft list chain netdev $TABLE in-wan0 | grep -q 'hook ingress device \"*wan0\"* priority'"
check "ingress chain on wan1 (routed underlay)" \
    sh -c "ip netns exec $VT-wan nft list chain netdev $TABLE in-wan1 | grep -q 'hook ingress device \"*wan1\"* priority'"
check "no chain on our own links" sh -c "! ip netns exec $VT-wan nft list table netdev $TABLE | grep -q 'device \"*vt-'"
check "rule: VXLAN to wan_ip from outside the set is dropped" \
    sh -c "ip netns exec $VT-wan nft list chain netdev $TABLE in-wan1 | grep -q 'ip daddr 198.18.0.1 udp dport 4789 ip saddr != @allowed counter packets [0-9]* bytes [0-9]* drop'"

# r1's own frames sent before its locator was in the set (its devices come
# up before the rows are programmed) may have been dropped: count from here.
r1_drops=$(drops wan0)
check "r1 (allowed) -> bare metal" retry 10 pingx r1 20
check "bare metal -> r1" retry 5 pingx bm 30
before=$(drops wan1)
check "r2 (not in the database) never reaches the bare metal" r2_blocked
after=$(drops wan1)
check "r2's packets counted as dropped on wan1 ($before -> $after)" [ "${after:-0}" -gt "${before:-0}" ]
check "r1's packets not dropped on wan0 (${r1_drops:-?} -> $(drops wan0))" \
    [ "$(drops wan0)" = "${r1_drops:-x}" ]

add_r2
check "adding r2's locator puts it in the set" retry 10 set_has 198.18.1.2
check "r2 reaches the bare metal once allowed" r2_reaches_bm
check "r2 <-> bare metal ping" retry 10 pingx r2 20
check "r1 still allowed" set_has 198.18.0.2

del_r2
check "removing r2's locator takes it out of the set" retry 10 set_lacks 198.18.1.2
check "r2 blocked again" r2_blocked
check "r1 still reaches the bare metal" retry 5 pingx r1 20

wanx nft delete table netdev "$TABLE"
check "a table deleted by hand is rebuilt (next pass, <= 10 s)" retry 15 set_has 198.18.0.2
check "rebuilt table has both chains" sh -c "ip netns exec $VT-wan nft list table netdev $TABLE | grep -c 'hook ingress' | grep -qx 2"

# A new underlay link in the WAN namespace gets its chain.
nsx wan ip link add wan2 type veth peer name wan2p
check "new WAN link wan2 hooked" retry 15 sh -c "ip netns exec $VT-wan nft list chain netdev $TABLE in-wan2"
nsx wan ip link del wan2
check "chain of a removed link goes (the table stays)" retry 15 sh -c "! ip netns exec $VT-wan nft list chain netdev $TABLE in-wan2 && ip netns exec $VT-wan nft list chain netdev $TABLE in-wan0"

# Without the option the table goes (and nothing else changes).
stop_vtepd gw
check "table kept while vtepd is stopped" set_has 198.18.0.2
start_vtepd gw "$WORK/off.ini"
check "wan_allow_list = false removes the table" retry 10 no_table
check "forwarding still works without the allow-list" retry 10 pingx r1 20
# Control: without the table, the kernel's VXLAN device takes r2's frames
# (not in the database) to the bare metal, so the drops above were the
# allow-list's doing.
check "control: without the allow-list r2's frames reach the bare metal" r2_reaches_bm
stop_vtepd gw

start_vtepd gw "$WORK/gw.ini" --cleanup
check "table back with the option" retry 10 set_has 198.18.0.2
stop_vtepd gw
check "--cleanup removes the table" no_table

start_vtepd gw "$WORK/gw.ini"
check "table back again" retry 10 set_has 198.18.0.2
stop_vtepd gw
check "--cleanup-now exits 0" cleanup_now
check "--cleanup-now removes the table" no_table

out=$("$VTEPD" --config-file "$WORK/nowan.ini" --cleanup-now 2>&1)
check "wan_allow_list without wan_ip is refused" sh -c "echo '$out' | grep -q 'wan_allow_list needs wan_ip'"

say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
