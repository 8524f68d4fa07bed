# shellcheck shell=bash
# shellcheck disable=SC2034  # (variables shared with the files that source this one)
# The test network of the end-to-end suite.  Sourced after lib.sh.
#
#  vm1 ──veth── cn1 [br-int: vm1 port, vx<gw> (set by the overlay agent)]
#                   [br-phy 192.0.2.1/24] ──veth──┐
#  vm2 ──veth── cn2 [br-int, br-phy 192.0.2.2/24] ──veth──┤
#                                                         │ underlay
#          gw [br-phy 192.0.2.10/24: both underlay links] ┘
#             [<PS> (Physical_Switch, ovs-vtep): ports <P>p1, <P>p2]
#                    │ p1: VLAN trunk             │ p2: untagged
#      bm [OVS "ToR": uplink <P>t1, access       bm0 (bare metal on
#          port <P>bm tag=100: bare metal]            <P>b0, no VLAN)
#
# Every node is a namespace "<P>-<node>"; every link is called "<P>..."
# (at most 11 characters).  The gateway is the l2gw node of the
# networking-l2gw README: its own ovsdb-server serving the vswitch and
# hardware_vtep databases, ovs-vswitchd, and the ovs-vtep emulator for the
# Physical_Switch <PS>.  This kernel has no 802.1Q module, so the tagged
# bare-metal host sits behind a small OVS bridge in its namespace.

CN1_TIP=192.0.2.1
CN2_TIP=192.0.2.2
GW_TIP=192.0.2.10
VM1_IP=198.51.100.11
VM2_IP=198.51.100.12
BM_IP=198.51.100.20
BM0_IP=198.51.100.21
BCAST_IP=198.51.100.255
VLAN=100
VNI=5001
VM_MTU=1450               # the userspace datapath does not fragment

# topo_names: the names of this run (needs $P and $RID from run_init).
topo_names() {
    NS_CN1=$P-cn1 NS_CN2=$P-cn2 NS_GW=$P-gw
    NS_VM1=$P-vm1 NS_VM2=$P-vm2 NS_BM=$P-bm NS_BM0=$P-bm0
    IF_VM1=${P}v1 IF_CN1V=${P}c1v IF_VM2=${P}v2 IF_CN2V=${P}c2v
    IF_CN1U=${P}c1u IF_GW1U=${P}g1u IF_CN2U=${P}c2u IF_GW2U=${P}g2u
    PORT1=${P}p1 IF_TOR=${P}t1 IF_BM=${P}bm
    PORT2=${P}p2 IF_BM0=${P}b0
    # ovs-vtep names its bridges "<PS>_vtep_ls<N>" (N grows with every
    # logical switch it creates) and a bridge's internal port is a network
    # device (15 characters at most): 5 characters leave room for N < 100.
    PS=sw${RID:0:3}
    OVSDB_NAME=ovsdb1
}

# compute_up NS TUNNEL_IP UNDERLAY_IF VM_IF: a compute node: the tunnel IP
# on the internal port of br-phy (the underlay), the VM on br-int.  The
# VXLAN port of br-int is the overlay agent's job (agent.sh).
compute_up() {
    local ns=$1
    ovs_node_start "$ns" || return 1
    netdev_bridge "$ns" br-phy || return 1
    on "$ns" ovs-vsctl add-port br-phy "$3" || return 1
    ip -n "$ns" addr add "$2/24" dev br-phy && ip -n "$ns" link set br-phy up || return 1
    netdev_bridge "$ns" br-int || return 1
    on "$ns" ovs-vsctl add-port br-int "$4"
}

# gateway_switch_init: the rows a hardware switch has by itself: its
# Physical_Switch with its tunnel IP and its ports (README "Getting
# started": vtep-ctl add-ps, set tunnel_ips, add-port).
gateway_switch_init() {
    local p
    on "$NS_GW" vtep-ctl add-ps "$PS" || return 1
    on "$NS_GW" vtep-ctl set Physical_Switch "$PS" tunnel_ips="$GW_TIP" || return 1
    for p in "$PORT1" "$PORT2"; do
        on "$NS_GW" vtep-ctl add-port "$PS" "$p" || return 1
    done
}

gateway_vtep_start() {
    local d=$RUN_DIR/$NS_GW
    on "$NS_GW" "$OVS_VTEP" --log-file="$d/ovs-vtep.log" --pidfile="$d/ovs-vtep.pid" \
        --detach --no-chdir "$PS"
}

# gateway_up: the l2gw node of the networking-l2gw README, step by step
# (docs/walkthrough.md shows the same commands outside namespaces).
gateway_up() {
    local ns=$NS_GW p
    # ovsdb-tool create (vswitch + vtep), ovsdb-server, ovs-vswitchd
    ovs_node_start "$ns" vtep || return 1
    # the node's tunnel IP lives on the underlay bridge, never on the
    # physical-switch bridge (ovs-vtep owns that one's flows)
    netdev_bridge "$ns" br-phy || return 1
    on "$ns" ovs-vsctl add-port br-phy "$IF_GW1U" -- add-port br-phy "$IF_GW2U" || return 1
    ip -n "$ns" addr add "$GW_TIP/24" dev br-phy && ip -n "$ns" link set br-phy up || return 1
    # ovs-vsctl add-br <PS>; ovs-vsctl add-port <PS> <port>
    netdev_bridge "$ns" "$PS" || return 1
    for p in "$PORT1" "$PORT2"; do
        on "$ns" ovs-vsctl add-port "$PS" "$p" || return 1
    done
    gateway_switch_init || return 1
    gateway_vtep_start
}

# bare_metal_up: the VLAN-100 host behind its ToR bridge, and the
# untagged host on the second port.
bare_metal_up() {
    ovs_node_start "$NS_BM" || return 1
    netdev_bridge "$NS_BM" tor || return 1
    on "$NS_BM" ovs-vsctl add-port tor "$IF_TOR" \
        -- add-port tor "$IF_BM" tag=$VLAN \
        -- set Interface "$IF_BM" type=internal mtu_request=$VM_MTU || return 1
    end_host "$NS_BM" "$IF_BM" "$BM_IP/24" || return 1
    end_host "$NS_BM0" "$IF_BM0" "$BM0_IP/24"
}

# topo_up: builds everything; 0 or 1 (the log says what failed).
topo_up() {
    local ns
    for ns in "$NS_CN1" "$NS_CN2" "$NS_GW" "$NS_VM1" "$NS_VM2" "$NS_BM" "$NS_BM0"; do
        ns_add "$ns" || { log "cannot create namespace $ns"; return 1; }
    done
    veth "$NS_VM1" "$IF_VM1" "$NS_CN1" "$IF_CN1V" $VM_MTU &&
        veth "$NS_VM2" "$IF_VM2" "$NS_CN2" "$IF_CN2V" $VM_MTU &&
        veth "$NS_CN1" "$IF_CN1U" "$NS_GW" "$IF_GW1U" &&
        veth "$NS_CN2" "$IF_CN2U" "$NS_GW" "$IF_GW2U" &&
        veth "$NS_BM" "$IF_TOR" "$NS_GW" "$PORT1" $VM_MTU &&
        veth "$NS_BM0" "$IF_BM0" "$NS_GW" "$PORT2" $VM_MTU ||
        { log "cannot create the links"; return 1; }
    end_host "$NS_VM1" "$IF_VM1" "$VM1_IP/24" &&
        end_host "$NS_VM2" "$IF_VM2" "$VM2_IP/24" || { log "cannot address the VMs"; return 1; }
    compute_up "$NS_CN1" $CN1_TIP "$IF_CN1U" "$IF_CN1V" || { log "compute node 1 failed"; return 1; }
    compute_up "$NS_CN2" $CN2_TIP "$IF_CN2U" "$IF_CN2V" || { log "compute node 2 failed"; return 1; }
    gateway_up || { log "gateway node failed"; return 1; }
    bare_metal_up || { log "bare-metal hosts failed"; return 1; }
    VM1_MAC=$(mac_of "$NS_VM1" "$IF_VM1")
    VM2_MAC=$(mac_of "$NS_VM2" "$IF_VM2")
    BM_MAC=$(mac_of "$NS_BM" "$IF_BM")
    BM0_MAC=$(mac_of "$NS_BM0" "$IF_BM0")
}

# vm_move SRC_CN DST_CN IF: the VM's link moves to another compute node
# (what a live migration does to the dataplane).
vm_move() {
    on "$1" ovs-vsctl del-port br-int "$3" || return 1
    ip -n "$1" link set "$3" netns "$2" || return 1
    ip -n "$2" link set "$3" mtu $VM_MTU up || return 1
    on "$2" ovs-vsctl add-port br-int "$3"
}

# Restarts of the gateway's parts (scenario e).
gateway_ovsdb_restart() {
    kill_pidfile "$RUN_DIR/$NS_GW/ovsdb-server.pid" "$RUN_DIR/$NS_GW/"
    ovsdb_start "$NS_GW"
}

# gateway_reboot_blank: the switch reboots and its database comes back
# with only what the hardware recreates by itself (switch, ports).
gateway_reboot_blank() {
    local d=$RUN_DIR/$NS_GW
    kill_pidfile "$d/ovs-vtep.pid" "$d/"
    kill_pidfile "$d/ovsdb-server.pid" "$d/"
    rm -f "$d/vtep.db" && ovsdb-tool create "$d/vtep.db" "$OVS_SHARE/vtep.ovsschema" || return 1
    ovsdb_start "$NS_GW" && gateway_switch_init && gateway_vtep_start
}

# ------------------------------------------------------------- dataplane

ping_ok() { ip netns exec "$1" ping -c1 -W0.5 -q "$2" >/dev/null 2>&1; }

# wait_ping NS DST SECONDS: until NS pings DST.
wait_ping() { wait_until "$3" ping_ok "$1" "$2"; }

# ping_stopped NS DST: three pings, no answer.
ping_stopped() { ! ip netns exec "$1" ping -c3 -i0.2 -W0.5 -q "$2" >/dev/null 2>&1; }

# ------------------------------------------------------ the switch (reads)

vtep() { on "$NS_GW" vtep-ctl "$@"; }

# vtep_remote NET: "MAC IP" lines of the remote MACs of logical switch NET
# (unknown-dst once per locator of its set), sorted.
vtep_remote() {
    vtep list-remote-macs "$1" 2>/dev/null |
        sed -n 's/^ *\([^ ]*\) -> vxlan_over_ipv4\/\([^ ]*\)$/\1 \2/p' | sort
}

# vtep_rows TABLE: number of rows of TABLE.
vtep_rows() { vtep --bare --columns=_uuid list "$1" | grep -c .; }

# switch_clean: nothing of a controller is left on the switch: no logical
# switch, no remote MAC, no binding on either port.
switch_clean() {
    [ -z "$(vtep list-ls)" ] &&
        [ "$(vtep_rows Ucast_Macs_Remote)" = 0 ] &&
        [ "$(vtep_rows Mcast_Macs_Remote)" = 0 ] &&
        [ -z "$(vtep list-bindings "$PS" "$PORT1")$(vtep list-bindings "$PS" "$PORT2")" ]
}

# dump_state: what the switch and l2gwd hold, for the log of a failure.
dump_state() {
    {
        echo "---- vtep-ctl show"
        vtep show
        echo "---- remote MACs"
        vtep --columns=MAC,logical_switch,locator list Ucast_Macs_Remote
        vtep --columns=MAC,logical_switch,locator_set list Mcast_Macs_Remote
        echo "---- Logical_Switch"
        vtep --columns=name,tunnel_key,replication_mode,other_config list Logical_Switch
        echo "---- ovs-vtep log (tail)"
        tail -n 15 "$RUN_DIR/$NS_GW/ovs-vtep.log" 2>/dev/null
        echo "---- l2gwd log (tail)"
        tail -n 40 "$RUN_DIR/l2gwd.log" 2>/dev/null
        echo "---- compute nodes' br-int"
        on "$NS_CN1" ovs-vsctl show | grep -A3 'Port vx'
        on "$NS_CN2" ovs-vsctl show | grep -A3 'Port vx'
    } 2>&1 | sed 's/^/#   /' >&2
}
