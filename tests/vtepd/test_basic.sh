#!/bin/bash
# l2gw-vtepd end to end (as root): a compute node with a kernel VXLAN
# device, l2gw-vtepd in its own namespace with a physical port to a
# bare-metal host, the switch programmed with vtep-ctl as l2gwd would.
#
#   vm/compute [vx key 5000, 10.99.0.2] ── underlay ── [10.99.0.1] gw
#   gw: l2gw-vtepd, port bm0 ── eth0 bare metal (192.168.77.2)
#
# Checks: ping VM ⇄ bare metal, the bare-metal MAC in Ucast_Macs_Local,
# switch rows, forwarding kept across a restart, --cleanup leaves nothing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
VTEPD=${VTEPD:-$HERE/../../build/src/vtepd/l2gw-vtepd}
require
[ -n "${KEEP:-}" ] || trap teardown EXIT

VM_MAC=02:00:00:00:00:10
BM_MAC=02:00:00:00:00:20

setup() {
    add_ns gw; add_ns cn; add_ns bm
    veth_pair gw ul0 cn ul0
    nsx gw ip addr add 10.99.0.1/24 dev ul0
    nsx cn ip addr add 10.99.0.2/24 dev ul0
    veth_pair gw bm0 bm eth0
    nsx bm ip link set eth0 address $BM_MAC
    nsx bm ip addr add 192.168.77.2/24 dev eth0
    nsx cn ip link add vx type vxlan id 5000 local 10.99.0.2 \
        remote 10.99.0.1 dstport 4789 nolearning
    nsx cn ip link set vx address $VM_MAC mtu 1450 up
    nsx cn ip addr add 192.168.77.10/24 dev vx
    nsx cn ip neigh replace 192.168.77.2 lladdr $BM_MAC dev vx nud permanent
    nsx cn bridge fdb append $BM_MAC dev vx dst 10.99.0.1
    cat >"$WORK/gw.ini" <<EOC
[vtepd]
db = unix:$WORK/db.sock
switch_name = gw1
tunnel_ip = 10.99.0.1
ports = bm0
mtu = 1500
ageing_time = 10
prefix = vt
EOC
}

program() {
    vctl add-ls ls1
    vctl set Logical_Switch ls1 tunnel_key=5000
    vctl bind-ls gw1 bm0 0 ls1
    vctl add-ucast-remote ls1 $VM_MAC 10.99.0.2
    vctl add-mcast-remote ls1 unknown-dst 10.99.0.2
}

ping_vm() { nsx bm ping -c1 -W1 192.168.77.10; }

mkdir -p "$WORK"
setup
start_db
start_vtepd gw "$WORK/gw.ini"
check "Physical_Switch registered" retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-ps | grep -qx gw1"
check "Physical_Port bm0 registered" retry 5 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-ports gw1 | grep -qx bm0"
check "per-locator-key advertised" sh -c "vtep-ctl --db=unix:$WORK/db.sock get Physical_Switch gw1 other_config:l2gw-per-locator-key | grep -q true"
check "tunnel_ips set" sh -c "vtep-ctl --db=unix:$WORK/db.sock get Physical_Switch gw1 tunnel_ips | grep -q 10.99.0.1"
program
check "bridge created" retry 10 nsx gw ip link show vt-b5000
check "bridge is silent (no IPv6 address)" sh -c "! ip netns exec $VT-gw ip -6 addr show dev vt-b5000 | grep -q inet6"
check "vxlan key 5000 nolearning" sh -c "ip netns exec $VT-gw ip -d link show vt-v5000 | grep -q 'id 5000.*nolearning'"
check "flood entry" retry 5 sh -c "ip netns exec $VT-gw bridge fdb show dev vt-v5000 | grep -q '00:00:00:00:00:00 dst 10.99.0.2'"
check "remote MAC static sticky on bridge" retry 5 sh -c "ip netns exec $VT-gw bridge fdb show dev vt-v5000 | grep -q '$VM_MAC sticky master vt-b5000 static'"
check "ping bare metal -> VM" retry 10 ping_vm
check "VLAN 0 binding: tagged frames are filtered (cls_bpf on bm0)" sh -c "ip netns exec $VT-gw tc filter show dev bm0 ingress | grep -q 'bpf.*direct-action'"
check "bare-metal MAC in Ucast_Macs_Local" retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-local-macs ls1 | grep -q '$BM_MAC -> vxlan_over_ipv4/10.99.0.1'"
check "Mcast_Macs_Local unknown-dst" sh -c "vtep-ctl --db=unix:$WORK/db.sock list-local-macs ls1 | grep -q 'unknown-dst -> vxlan_over_ipv4/10.99.0.1'"

# Restart: forwarding survives the daemon's absence and its return.
stop_vtepd gw
check "forwarding kept while stopped" ping_vm
start_vtepd gw "$WORK/gw.ini"
sleep 1
check "forwarding after restart" retry 10 ping_vm
check "no duplicate bridge after restart" sh -c "[ \$(ip netns exec $VT-gw ip -o link show type bridge | grep -c vt-b5000) = 1 ]"

# A leftover of ours is removed; a hand-deleted entry is restored.
nsx gw ip link add vt-b999 type bridge
nsx gw bridge fdb del 00:00:00:00:00:00 dev vt-v5000 dst 10.99.0.2
vctl set Logical_Switch ls1 description=poke
check "leftover removed" retry 15 sh -c "! ip netns exec $VT-gw ip link show vt-b999"
check "flood entry restored" retry 15 sh -c "ip netns exec $VT-gw bridge fdb show dev vt-v5000 | grep -q '00:00:00:00:00:00 dst 10.99.0.2'"

# Unbinding takes the port out; removing the remote rows removes the LS.
vctl unbind-ls gw1 bm0 0
check "port left the bridge" retry 10 sh -c "! ip netns exec $VT-gw ip link show bm0 | grep -q 'master vt-b5000'"
vctl bind-ls gw1 bm0 0 ls1
check "port back in the bridge" retry 10 sh -c "ip netns exec $VT-gw ip link show bm0 | grep -q 'master vt-b5000'"
check "ping after rebinding" retry 10 ping_vm

# The database restarts: vtepd reconnects, the kernel is kept meanwhile.
stop_db
check "forwarding kept while the database is down" ping_vm
ovsdb-server --detach --no-chdir --pidfile="$WORK/ovsdb-db.pid" \
    --remote="punix:$WORK/db.sock" --log-file="$WORK/ovsdb-db.log" \
    --unixctl="$WORK/ovsdb-db.ctl" "$WORK/db.vtep"
vctl add-ucast-remote ls1 02:00:00:00:00:11 10.99.0.3
check "reconnected: a new remote MAC is programmed" retry 40 sh -c "ip netns exec $VT-gw bridge fdb show dev vt-v5000 | grep -q '02:00:00:00:00:11 dst 10.99.0.3'"

# A learned MAC that ages out (ageing_time 10 s) leaves Ucast_Macs_Local;
# traffic brings it back.
check "bare-metal MAC ages out of Ucast_Macs_Local" retry 60 sh -c "! vtep-ctl --db=unix:$WORK/db.sock list-local-macs ls1 | grep -q '$BM_MAC'"
ping_vm >/dev/null
check "and comes back with traffic" retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-local-macs ls1 | grep -q '$BM_MAC'"

# Removing a Logical_Switch the way l2gwd does: bindings and remote rows
# first; vtepd then drops the switch and its local rows (which reference
# the Logical_Switch), so the controller can delete it.
vctl unbind-ls gw1 bm0 0
vctl clear-remote-macs ls1
check "switch no longer served: bridge removed" retry 10 sh -c "! ip netns exec $VT-gw ip link show vt-b5000"
check "its local rows are removed" retry 10 sh -c "[ -z \"\$(vtep-ctl --db=unix:$WORK/db.sock list-local-macs ls1 | grep -- '->')\" ]"
check "the Logical_Switch can be deleted" vctl del-ls ls1
program
check "programmed again" retry 10 ping_vm

# Stop with --cleanup.
stop_vtepd gw
start_vtepd gw "$WORK/gw.ini" --cleanup
sleep 1
check "running again" retry 10 ping_vm
stop_vtepd gw
check "cleanup leaves no vt- link" sh -c "[ -z \"\$(ip netns exec $VT-gw ip -o link show | grep ': vt-')\" ]"
check "bm0 has no master after cleanup" sh -c "! ip netns exec $VT-gw ip link show bm0 | grep -q master"
check "bm0 has no filter of ours after cleanup" sh -c "! ip netns exec $VT-gw tc filter show dev bm0 ingress | grep -q bpf"

# --cleanup-now removes what a previous run left.
start_vtepd gw "$WORK/gw.ini"
check "running once more" retry 10 ping_vm
{ kill -9 "$(cat "$WORK/vtepd-gw.pid")"; wait "$(cat "$WORK/vtepd-gw.pid")"; } 2>/dev/null; rm -f "$WORK/vtepd-gw.pid"
ip netns exec "$VT-gw" "$VTEPD" --config-file "$WORK/gw.ini" --cleanup-now 2>/dev/null
check "--cleanup-now leaves no vt- link" sh -c "[ -z \"\$(ip netns exec $VT-gw ip -o link show | grep ': vt-')\" ]"

say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
