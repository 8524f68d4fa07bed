# shellcheck shell=bash
# Helpers of tests/e2e/vtepd.sh (sourced after tests/vtepd/lib.sh, which
# gives check/retry/nsx/capture/start_vtepd and the "$VT-" naming): the
# two-cloud topology, the Open vSwitch "ToR" of the bare-metal hosts, the
# l2gwd daemons and their clients, and the readers of VXLAN captures.

OVS_SHARE=${OVS_SHARE:-/usr/share/openvswitch}

VMA_MAC=02:00:00:0a:00:01 VMB_MAC=02:00:00:0b:00:01 VMT_MAC=02:00:00:0a:00:11
BMA_MAC=02:00:00:0a:00:20 BMB_MAC=02:00:00:0b:00:20 BMT_MAC=02:00:00:0a:00:30
VMA_IP=192.168.60.1 VMB_IP=192.168.60.2 VMT_IP=192.168.60.11
BMA_IP=192.168.60.21 BMB_IP=192.168.60.22 BMT_IP=192.168.60.31

# ------------------------------------------------------------- topology

# silent NS: no IPv6 in an end host or compute node, so that every IGMP,
# MLD, RS or DAD frame seen inside VXLAN can only come from a gateway.
silent() {
    nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# compute NS GW_IF TIP CIP VNI MAC IP [ROUTE_VIA]: a compute node whose VM
# is a kernel VXLAN device (key VNI, flood to the gateway's tunnel IP TIP)
# in namespace NS, linked to the gateway namespace's GW_IF.  With
# ROUTE_VIA the node sits on another subnet and reaches TIP through it.
compute() {
    local ns=$1 gwns=$2 gwif=$3 tip=$4 cip=$5 vni=$6 mac=$7 ip=$8 via=${9:-}
    add_ns "$ns"
    silent "$ns"
    veth_pair "$gwns" "$gwif" "$ns" ul0
    nsx "$ns" ip addr add "$cip/24" dev ul0
    [ -z "$via" ] || nsx "$ns" ip route add "$tip/32" via "$via"
    nsx "$ns" ip link add vx type vxlan id "$vni" local "$cip" remote "$tip" dstport 4789 nolearning
    nsx "$ns" ip link set vx address "$mac" mtu 1400 up
    nsx "$ns" ip addr add "$ip/24" dev vx
}

# compute_ovs VM CN GW_IF TIP CIP VNI MAC IP: a compute node CN on Open
# vSwitch's userspace datapath, as in tests/e2e/topo.sh: the tunnel IP CIP
# on br-phy (the underlay link to the gateway namespace's GW_IF), the VM
# (namespace VM, eth0) on br-int with a VXLAN port to the gateway's TIP,
# key VNI (what the overlay agent of tests/e2e/agent.sh programs).
compute_ovs() {
    local vm=$1 cn=$2 gwif=$3 tip=$4 cip=$5 vni=$6 mac=$7 ip=$8
    add_ns "$cn"; add_ns "$vm"
    silent "$cn"; silent "$vm"
    ovs_start "$cn" || return 1
    veth_pair "gw${cn:2}" "$gwif" "$cn" ul0
    veth_pair "$cn" vm0 "$vm" eth0
    ovs_in "$cn" ovs-vsctl add-br br-phy -- set Bridge br-phy datapath_type=netdev \
        -- add-port br-phy ul0 || return 1
    nsx "$cn" ip addr add "$cip/24" dev br-phy
    nsx "$cn" ip link set br-phy up
    ovs_in "$cn" ovs-vsctl add-br br-int -- set Bridge br-int datapath_type=netdev \
        -- add-port br-int vm0 \
        -- add-port br-int vx -- set Interface vx type=vxlan \
           options:remote_ip="$tip" options:key="$vni" || return 1
    # the userspace datapath does not complete partial checksums: the
    # veths towards it (gateway side and VM side) compute them in software
    nsx "gw${cn:2}" ethtool -K "$gwif" tx off >/dev/null
    nsx "$vm" ethtool -K eth0 tx off >/dev/null
    nsx "$vm" ip link set eth0 address "$mac" mtu 1400
    nsx "$vm" ip addr add "$ip/24" dev eth0
}

# bare NS MAC IP PEER_NS PEER_IF: a bare-metal host (eth0) linked to PEER_IF.
bare() {
    add_ns "$1"
    silent "$1"
    veth_pair "$4" "$5" "$1" eth0
    nsx "$1" ip link set eth0 address "$2"
    nsx "$1" ip addr add "$3/24" dev eth0
}

# gateway S TIP WIP: namespaces gwS (cloud side) and wanS (WAN side), the
# l2gw-vtepd and l2gwd configurations, the switch's ovsdb-server and
# l2gw-vtepd itself (switch "borderS", physical port p1).
gateway() {
    local s=$1 tip=$2 wip=$3 db=${1,,}
    add_ns gw$s; add_ns wan$s
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
    mkdir -p "$WORK/l2gwd$s"
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
}

# Open vSwitch in namespace NS (userspace datapath, files under $WORK/NS).
ovs_in() {
    local ns=$1 d=$WORK/$1
    shift
    ip netns exec "$VT-$ns" env OVS_RUNDIR="$d" OVS_LOGDIR="$d" OVS_DBDIR="$d" "$@"
}

# tor NS UPLINK_PEER_NS UPLINK_PEER_IF: a ToR switch (an OVS bridge, not
# l2gw-vtepd) in namespace NS.  Its uplink "trunk" is a trunk: untagged
# frames belong to its VLAN 1, VLAN 100 stays tagged; access ports are
# added with tor_access.  This kernel has no 8021q module (no "type vlan"
# device), its bridges refuse vlan_filtering and tc has no actions (no
# act_vlan), so a tagged bare-metal host needs a userspace switch.
tor() {
    add_ns "$1"
    silent "$1"
    ovs_start "$1" || return 1
    veth_pair "$2" "$3" "$1" trunk
    ovs_in "$1" ovs-vsctl add-br tor -- set Bridge tor datapath_type=netdev \
        -- add-port tor trunk vlan_mode=native-untagged tag=1 trunks=1,100
}

# ovs_start NS: ovsdb-server and ovs-vswitchd of namespace NS.
ovs_start() {
    local ns=$1 d=$WORK/$1
    mkdir -p "$d"
    ovsdb-tool create "$d/conf.db" "$OVS_SHARE/vswitch.ovsschema" >/dev/null || return 1
    ovs_in "$ns" ovsdb-server -vconsole:off "$d/conf.db" --remote="punix:$d/db.sock" \
        --pidfile="$d/ovsdb-server.pid" --log-file="$d/ovsdb-server.log" \
        --unixctl="$d/ovsdb-server.ctl" --detach --no-chdir || return 1
    ovs_in "$ns" ovs-vsctl --no-wait init || return 1
    ovs_in "$ns" ovs-vswitchd -vconsole:off "unix:$d/db.sock" --pidfile="$d/ovs-vswitchd.pid" \
        --log-file="$d/ovs-vswitchd.log" --detach --no-chdir
}

# tor_access NS IF VLAN: IF (already in NS) becomes an access port.
tor_access() { ovs_in "$1" ovs-vsctl add-port tor "$2" tag="$3"; }

ovs_stop() {
    local f pid
    for f in "$WORK/$1/ovs-vswitchd.pid" "$WORK/$1/ovsdb-server.pid"; do
        pid=$(cat "$f" 2>/dev/null) || continue
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
}

# ---------------------------------------------------------------- l2gwd

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
outB() { "$L2GW" --url "$URL_B" "$@" 2>>"$WORK/cli.log"; }

# cleanup: everything of this run (trap on EXIT).
cleanup() {
    stop_l2gwd A; stop_l2gwd B
    local n
    for n in torA cnA cnB; do ovs_stop $n; done
    teardown
}

# ------------------------------------------------------------ dataplane

pingx() { nsx "$1" ping -c1 -W1 "$2"; }
# noping NS IP: three pings, no answer.
noping() { ! nsx "$1" ping -c3 -i0.3 -W1 -q "$2"; }
flush() { local n; for n in "$@"; do nsx "$n" ip neigh flush all; done; }

# gw_macs S...: the MAC addresses of every link of gateway S's two
# namespaces (what its own stack would send from), one per line.
gw_macs() {
    local s
    for s in "$@"; do
        nsx gw$s ip -o link show; nsx wan$s ip -o link show
    done | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p' | sort -u
}

# ------------------------------------------------------------- captures

# start_cap NAME NS IF: captures VXLAN (udp 4789) on IF into
# $WORK/NAME.pcap; the pid goes to CAP_NAME.
start_cap() {
    capture "$2" "$3" "$WORK/$1.pcap" "udp port 4789" || return 1
    eval "CAP_$1=$CAPTURE_PID"
}
stop_cap() { local v="CAP_$1"; capture_stop "${!v}"; }

# inner NAME: one line per captured VXLAN frame, "vni N <inner frame as
# tcpdump -e prints it>" (tcpdump prints the inner Ethernet header on the
# line after "VXLAN, flags [I] (0x08), vni N").
inner() {
    tcpdump -nn -e -r "$WORK/$1.pcap" 2>/dev/null |
        awk '/VXLAN, flags/ { match($0, /vni [0-9]+/); v = substr($0, RSTART, RLENGTH); next }
             v != "" { print v, $0; v = "" }'
}

# vnis NAME: the distinct VNIs of the capture, space separated, sorted.
vnis() { inner "$1" | awk '{print $2}' | sort -un | paste -sd' ' -; }

# vnis_are NAME "N...": the capture has frames and exactly these VNIs.
vnis_are() {
    local got
    got=$(vnis "$1")
    note "capture $1: VNIs seen: ${got:-none}"
    [ -n "$got" ] && [ "$got" = "$2" ]
}

# stack_frames NAME: inner frames to an IPv4 or IPv6 multicast MAC (IGMP,
# MLD, router solicitation and DAD neighbour solicitation all are).
stack_frames() { inner "$1" | grep -Ec '^vni [0-9]+ [0-9a-f:]{17} > (33:33:|01:00:5e:)'; }

# frames_from NAME MACFILE: inner frames whose source is in MACFILE.
frames_from() {
    inner "$1" | awk 'NR == FNR { m[$1] = 1; next } m[$3]' "$2" - | wc -l
}

# frames_to NAME MAC: inner frames to MAC.
frames_to() { inner "$1" | grep -c "^vni [0-9]* [0-9a-f:]* > $2,"; }

# note TEXT: evidence on the terminal (check silences its command; fd 3
# is the script's stderr, opened by vtepd.sh).
note() { printf '#   %s\n' "$*" >&3; }

# none WHAT N / some WHAT N: N is 0 / more than 0 (the count is noted).
none() { note "$1: $2"; [ "$2" = 0 ]; }
some() { note "$1: $2"; [ "$2" -gt 0 ]; }

# fdb_dev S MAC: the bridge port of gateway S whose master FDB entry holds MAC.
fdb_dev() { nsx "gw$1" bridge fdb show | awk -v m="$2" '$1 == m && / master / { print $3; exit }'; }

# on_vxlan S MAC: MAC's bridge entry points at a VXLAN device (not a port).
on_vxlan() {
    local d
    d=$(fdb_dev "$1" "$2")
    note "$2 is on ${d:-nothing}"
    [ -n "$d" ] && nsx "gw$1" ip -d link show dev "$d" | grep -q vxlan
}
