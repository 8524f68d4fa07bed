#!/bin/bash
# l2gw-vtepd VLAN bindings on a kernel without 802.1Q (as root): binding
# (bm0, VLAN 100) uses a veth pair and two cls_bpf programs.  The bare
# metal sends tagged ARP requests from a raw socket; tcpdump checks what
# crosses.  Expected: VLAN 100 reaches the compute node untagged inside
# VXLAN, the reply comes back tagged 100; VLAN 200 and untagged frames are
# dropped; a second binding (VLAN 0) on another switch passes untagged.
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
    nsx cn ip link add vx type vxlan id 5000 local 10.99.0.2 \
        remote 10.99.0.1 dstport 4789 nolearning
    nsx cn ip link set vx address $VM_MAC mtu 1450 up
    nsx cn ip addr add 192.168.77.10/24 dev vx
    cat >"$WORK/gw.ini" <<EOC
[vtepd]
db = unix:$WORK/db.sock
switch_name = gw1
tunnel_ip = 10.99.0.1
ports = bm0
prefix = vt
EOC
}

# send VLAN: a tagged (or untagged, 0) ARP request from the bare metal for
# the VM; true if the VM answered (its reply seen on bm's eth0).
send() {
    capture bm eth0 "$WORK/bm.pcap" "ether src $VM_MAC" || return 1
    local td=$CAPTURE_PID
    nsx bm python3 "$HERE/rawframe.py" eth0 $BM_MAC 192.168.77.2 192.168.77.10 "$1"
    capture_stop $td
    tcpdump -e -n -r "$WORK/bm.pcap" 2>/dev/null >"$WORK/bm.txt"
    grep -q "is-at $VM_MAC" "$WORK/bm.txt"
}

mkdir -p "$WORK"
setup
start_db
start_vtepd gw "$WORK/gw.ini"
retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-ps | grep -qx gw1"
vctl add-ls ls1
vctl set Logical_Switch ls1 tunnel_key=5000
vctl bind-ls gw1 bm0 100 ls1
vctl add-ucast-remote ls1 $VM_MAC 10.99.0.2
vctl add-mcast-remote ls1 unknown-dst 10.99.0.2
check "VLAN veth pair created" retry 10 sh -c "ip netns exec $VT-gw ip link show vt-r0v100 | grep -q 'master vt-b5000'"
check "cls_bpf filter on the port" retry 10 sh -c "ip netns exec $VT-gw tc filter show dev bm0 ingress | grep -q 'bpf.*direct-action'"
check "cls_bpf filter on the veth" sh -c "ip netns exec $VT-gw tc filter show dev vt-q0v100 ingress | grep -q 'bpf.*direct-action'"
check "no port fault" sh -c "[ -z \"\$(vtep-ctl --db=unix:$WORK/db.sock get Physical_Port bm0 port_fault_status | tr -d '[]')\" ]"
check "VLAN 100 crosses, reply comes back" retry 3 send 100
check "the reply is tagged with VLAN 100" grep -q "vlan 100" "$WORK/bm.txt"
check "bare-metal MAC learned in Ucast_Macs_Local" retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock list-local-macs ls1 | grep -q '$BM_MAC'"
nosend() { ! send "$1"; }
check "VLAN 200 (unbound) is dropped" nosend 200
check "untagged is dropped" nosend 0

# VLAN 0 on the same port for a second switch: untagged frames go there.
vctl add-ls ls2
vctl set Logical_Switch ls2 tunnel_key=6000
vctl bind-ls gw1 bm0 0 ls2
check "VLAN 0 binding enslaves the port to the second bridge" retry 10 sh -c "ip netns exec $VT-gw ip link show bm0 | grep -q 'master vt-b6000'"
check "VLAN 100 still crosses" retry 3 send 100

# A binding that cannot be realised (a port this host does not have) is
# reported as a port fault.
vctl add-port gw1 ghost0
vctl bind-ls gw1 ghost0 7 ls1
check "invalid_vlan_map on a port the host lacks" retry 10 sh -c "vtep-ctl --db=unix:$WORK/db.sock get Physical_Port ghost0 port_fault_status | grep -q invalid_vlan_map"
vctl unbind-ls gw1 ghost0 7
check "fault cleared" retry 10 sh -c "[ -z \"\$(vtep-ctl --db=unix:$WORK/db.sock get Physical_Port ghost0 port_fault_status | tr -d '[]')\" ]"

vctl unbind-ls gw1 bm0 100
vctl unbind-ls gw1 bm0 0
check "unbinding removes the port's filter" retry 10 sh -c "! ip netns exec $VT-gw tc filter show dev bm0 ingress | grep -q bpf"
check "unbinding removes the VLAN veth" retry 10 sh -c "! ip netns exec $VT-gw ip link show vt-q0v100"

say "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
