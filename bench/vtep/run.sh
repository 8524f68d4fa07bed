#!/bin/bash
# bench/vtep/run.sh: VM ⇄ bare metal through a software VTEP, ovs-vtep and
# l2gw-vtepd on the same topology in the same run, printed side by side;
# then (unless --no-fdb) fdb_latency.py: database change → kernel FDB of
# l2gw-vtepd.  bench/vtep/README.md says what is measured and how.
#
#   vm ns                         gw ns                          bm ns
#   vx (VXLAN 5000, 192.168.77.10) ul0 10.77.0.1 ── gateway ── bm0 ══ eth0
#   ul0 10.77.0.2 ═════════════════╝   (ovs-vtep or l2gw-vtepd)     192.168.77.20
#
# Usage: bench/vtep/run.sh [-t SECONDS] [-c PINGS] [-n ROUNDS] [-m ROUNDS]
#            [-p PRELOAD] [-r ROUNDS] [--only ovs-vtep|vtepd] [--no-offload] [--no-fdb]
#   -t S          iperf3 seconds per direction (10)
#   -c N          pings (200, 10 ms apart)
#   -n N          rounds of fdb_latency.py against l2gw-vtepd (200)
#   -m N          rounds of fdb_latency.py --ovs-vtep (10; ~2.5 s each)
#   -p N          then fdb_latency.py again with N remote MACs preloaded,
#                 -r rounds (5000, 20; -p 0 skips it)
#   --only G      measure one gateway only
#   --no-offload  skip the third column (l2gw-vtepd with the end hosts'
#                 default offloads)
#   --no-fdb      skip fdb_latency.py
# Environment: BUILD (build), VTEPD ($BUILD/src/vtepd/l2gw-vtepd),
#   OVS_VTEP (/usr/share/openvswitch/scripts/ovs-vtep), BENCH_TMPDIR
#   (/tmp), KEEP=1 (keep the namespaces and the work directory).
# Exit status: 0 if every figure was measured, 1 otherwise.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C

BUILD=${BUILD:-build}
VTEPD=${VTEPD:-$BUILD/src/vtepd/l2gw-vtepd}
OVS_SHARE=/usr/share/openvswitch
OVS_VTEP=${OVS_VTEP:-$OVS_SHARE/scripts/ovs-vtep}
SECS=10
PINGS=200
FDB_ROUNDS=200
OVS_FDB_ROUNDS=10
PRELOAD=5000
PRELOAD_ROUNDS=20
ONLY=
OFFLOAD_COLUMN=1
FDB=1

VNI=5000
VM_TIP=10.77.0.2 GW_TIP=10.77.0.1
VM_IP=192.168.77.10 BM_IP=192.168.77.20
VM_MAC=02:00:00:00:00:10 BM_MAC=02:00:00:00:00:20
HOST_MTU=1450            # the userspace datapath does not fragment
PS=bvsw                  # the Physical_Switch (ovs-vtep: bridge "bvsw_vtep_ls1")

say() { printf 'run.sh: %s\n' "$*" >&2; }

usage() { sed -n '11,28p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
    case $1 in
    -t) SECS=$2; shift ;;
    -c) PINGS=$2; shift ;;
    -n) FDB_ROUNDS=$2; shift ;;
    -m) OVS_FDB_ROUNDS=$2; shift ;;
    -p) PRELOAD=$2; shift ;;
    -r) PRELOAD_ROUNDS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --no-offload) OFFLOAD_COLUMN=0 ;;
    --no-fdb) FDB=0 ;;
    -h | --help) usage 0 ;;
    *) say "unknown option $1"; usage 1 ;;
    esac
    shift
done

preflight() {
    local t
    [ "$(id -u)" = 0 ] || { say "needs root (network namespaces)"; return 1; }
    for t in ip bridge ethtool ping iperf3 jq ovsdb-tool ovsdb-server ovs-vswitchd \
        ovs-vsctl ovs-ofctl vtep-ctl; do
        command -v "$t" >/dev/null || { say "$t not found"; return 1; }
    done
    [ -x "$OVS_VTEP" ] || { say "$OVS_VTEP not found (package openvswitch-vtep)"; return 1; }
    [ -x "$VTEPD" ] || { say "$VTEPD not found: build it (ninja -C $BUILD) or set BUILD/VTEPD"; return 1; }
    [ -c /dev/net/tun ] || { say "no /dev/net/tun (the userspace datapath needs it)"; return 1; }
}
preflight || exit 1
case "$VTEPD" in /*) ;; *) VTEPD=$PWD/$VTEPD ;; esac

RID=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
P=bv$RID
BASE=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/benchv.XXXXXX") || exit 1

# use_column N: the names of column N's topology: namespaces $P<N>-vm,
# -gw, -bm; pid files, sockets, logs and databases in $BASE/<N>.
use_column() {
    DIR=$BASE/$1
    NS_VM=$P$1-vm NS_GW=$P$1-gw NS_BM=$P$1-bm
    mkdir -p "$DIR"
}

# ------------------------------------------------------------- processes

# on NS CMD...: CMD in NS with the OVS environment of this run (ovs-vsctl,
# vtep-ctl and ovs-vtep then use $DIR/db.sock).
on() {
    local ns=$1; shift
    ip netns exec "$ns" env OVS_RUNDIR="$DIR" OVS_LOGDIR="$DIR" OVS_DBDIR="$DIR" \
        OVS_SYSCONFDIR="$DIR" "$@"
}

alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# stop_pidfile FILE: ends the process of FILE if its command line names
# this run's directory (a recycled pid is never ours), waits for it.
stop_pidfile() {
    local f=$1 pid
    [ -s "$f" ] || return 0
    pid=$(cat "$f")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$DIR"; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
        alive "$pid" && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$f"
}

# topo_down: every process and namespace of the current column.
topo_down() {
    local f ns
    for f in vtepd iperf3 ovs-vtep ovs-vswitchd ovsdb-server; do
        stop_pidfile "$DIR/$f.pid"
    done
    for ns in "$NS_VM" "$NS_GW" "$NS_BM"; do
        ip netns del "$ns" 2>/dev/null
    done
    rm -f "$DIR"/*.db "$DIR"/*.sock "$DIR"/*.ctl
}

cleanup() {
    local d
    if [ "${KEEP:-0}" = 1 ]; then
        say "kept: $BASE, namespaces $P*-{vm,gw,bm} and their daemons (pid files in $BASE/*/)"
        return
    fi
    for d in "$BASE"/*/; do
        [ -d "$d" ] || continue
        d=${d%/}; use_column "${d##*/}"; topo_down
    done
    rm -rf "$BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------- topology

# veth NS1 IF1 NS2 IF2 [MTU]: made inside the namespaces (names are local).
veth() {
    ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
    if [ -n "${5:-}" ]; then
        ip -n "$1" link set "$2" mtu "$5" && ip -n "$3" link set "$4" mtu "$5" || return 1
    fi
    ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# hosts_up OFFLOAD: the namespaces, the links, the VM and the bare-metal
# host.  OFFLOAD=off turns TX checksumming (and with it TSO) off on the
# bare-metal host's NIC and on the VM's VXLAN device and underlay NIC (as
# the e2e harness does for its end hosts): the userspace datapath neither
# completes partial checksums (inner TCP, outer UDP: a VXLAN packet with a
# partial UDP checksum counts as datapath_drop_tunnel_pop_error) nor takes
# TSO super-frames.  OFFLOAD=on leaves the kernel's defaults.
hosts_up() {
    local ns
    for ns in "$NS_VM" "$NS_GW" "$NS_BM"; do
        ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
    done
    veth "$NS_VM" ul0 "$NS_GW" ul0 || return 1
    veth "$NS_GW" bm0 "$NS_BM" eth0 $HOST_MTU || return 1
    ip -n "$NS_VM" addr add $VM_TIP/24 dev ul0 || return 1
    ip -n "$NS_VM" link add vx type vxlan id $VNI local $VM_TIP remote $GW_TIP \
        dstport 4789 nolearning || return 1
    ip -n "$NS_VM" link set vx address $VM_MAC mtu $HOST_MTU up &&
        ip -n "$NS_VM" addr add $VM_IP/24 dev vx || return 1
    ip -n "$NS_BM" link set eth0 address $BM_MAC &&
        ip -n "$NS_BM" addr add $BM_IP/24 dev eth0 || return 1
    if [ "$1" = off ]; then
        ip netns exec "$NS_VM" ethtool -K vx tx off >/dev/null 2>&1 &&
            ip netns exec "$NS_VM" ethtool -K ul0 tx off >/dev/null 2>&1 &&
            ip netns exec "$NS_BM" ethtool -K eth0 tx off >/dev/null 2>&1 ||
            { say "ethtool -K tx off failed"; return 1; }
    fi
}

ovsdb_up() {    # ovsdb_up NS DB...: ovsdb-server on $DIR/db.sock
    local ns=$1; shift
    on "$ns" ovsdb-server -vconsole:off "$@" --remote=punix:"$DIR/db.sock" \
        --pidfile="$DIR/ovsdb-server.pid" --log-file="$DIR/ovsdb-server.log" \
        --unixctl="$DIR/ovsdb-server.ctl" --detach --no-chdir
}

vctl() { on "$NS_GW" vtep-ctl --db=unix:"$DIR/db.sock" "$@"; }

# gw_ovs_vtep_up: the networking-l2gw README's l2gw node, as tests/e2e
# builds it: one ovsdb-server (vswitch + hardware_vtep), ovs-vswitchd on
# the userspace datapath (this kernel has no openvswitch module), the
# tunnel IP on the underlay bridge br-phy, the Physical_Switch bridge
# holding the port, ovs-vtep.
gw_ovs_vtep_up() {
    ovsdb-tool create "$DIR/conf.db" $OVS_SHARE/vswitch.ovsschema >/dev/null &&
        ovsdb-tool create "$DIR/vtep.db" $OVS_SHARE/vtep.ovsschema >/dev/null || return 1
    ovsdb_up "$NS_GW" "$DIR/conf.db" "$DIR/vtep.db" || return 1
    on "$NS_GW" ovs-vsctl --no-wait init || return 1
    on "$NS_GW" ovs-vswitchd -vconsole:off unix:"$DIR/db.sock" \
        --pidfile="$DIR/ovs-vswitchd.pid" --log-file="$DIR/ovs-vswitchd.log" \
        --detach --no-chdir || return 1
    on "$NS_GW" ovs-vsctl add-br br-phy -- set Bridge br-phy datapath_type=netdev \
        -- add-port br-phy ul0 || return 1
    ip -n "$NS_GW" addr add $GW_TIP/24 dev br-phy && ip -n "$NS_GW" link set br-phy up || return 1
    on "$NS_GW" ovs-vsctl add-br $PS -- set Bridge $PS datapath_type=netdev \
        -- add-port $PS bm0 || return 1
    # what the hardware does by itself: its switch, tunnel IP and port
    vctl add-ps $PS && vctl set Physical_Switch $PS tunnel_ips=$GW_TIP &&
        vctl add-port $PS bm0 || return 1
    on "$NS_GW" "$OVS_VTEP" --log-file="$DIR/ovs-vtep.log" --pidfile="$DIR/ovs-vtep.pid" \
        --detach --no-chdir $PS
}

# gw_vtepd_up: l2gw-vtepd with its own ovsdb-server (hardware_vtep only);
# it creates the Physical_Switch and its port itself.
gw_vtepd_up() {
    ip -n "$NS_GW" addr add $GW_TIP/24 dev ul0 || return 1
    ovsdb-tool create "$DIR/vtep.db" $OVS_SHARE/vtep.ovsschema >/dev/null || return 1
    ovsdb_up "$NS_GW" "$DIR/vtep.db" || return 1
    cat >"$DIR/vtepd.ini" <<EOF
[vtepd]
db = unix:$DIR/db.sock
switch_name = $PS
tunnel_ip = $GW_TIP
ports = bm0
mtu = $HOST_MTU
prefix = bv
EOF
    ip netns exec "$NS_GW" "$VTEPD" --config-file "$DIR/vtepd.ini" \
        --log-file "$DIR/vtepd.log" >"$DIR/vtepd.out" 2>&1 &
    echo $! >"$DIR/vtepd.pid"
    wait_for 10 sh -c "vtep-ctl --db=unix:$DIR/db.sock list-ports $PS 2>/dev/null | grep -qx bm0"
}

# program: the rows l2gwd would write, the same for both gateways.
program() {
    vctl add-ls ls1 && vctl set Logical_Switch ls1 tunnel_key=$VNI &&
        vctl bind-ls $PS bm0 0 ls1 &&
        vctl add-ucast-remote ls1 $VM_MAC $VM_TIP &&
        vctl add-mcast-remote ls1 unknown-dst $VM_TIP
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s.
wait_for() {
    local n=$(($1 * 10)); shift
    while [ $n -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1; n=$((n - 1))
    done
    return 1
}

ping_ok() { ip netns exec "$NS_VM" ping -c1 -W0.5 -q $BM_IP; }

# ------------------------------------------------------------- measuring

declare -A R          # R[<column>,<figure>]

# cpu_ticks PID: utime + stime of PID (clock ticks), 0 when there is none.
cpu_ticks() {
    [ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
    sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# sock_drops: packets the kernel dropped at ovs-vswitchd's AF_PACKET
# sockets in the gateway (receive buffer full), summed; empty without any.
sock_drops() {
    ip netns exec "$NS_GW" ss -0 -a -m 2>/dev/null |
        sed -n 's/.*skmem:(.*,d\([0-9]*\)).*/\1/p' | awk '{ s += $1; n++ } END { if (n) print s }'
}

# iperf COLUMN DIR(up|down): one TCP transfer of $SECS s (first second
# omitted), VM → BM (up) or BM → VM (down, iperf3 -R).
iperf() {
    local col=$1 dir=$2 out=$DIR/iperf-$1-$2.json flag="" busy0 busy1 pid d0 d1
    [ "$dir" = down ] && flag=-R
    pid=$(cat "$DIR/ovs-vswitchd.pid" 2>/dev/null)
    busy0=$(cpu_ticks "$pid")
    d0=$(sock_drops)
    ip netns exec "$NS_VM" iperf3 -c $BM_IP -t "$SECS" -O 1 -J $flag >"$out" 2>&1
    busy1=$(cpu_ticks "$pid")
    d1=$(sock_drops)
    [ -n "$d0" ] && [ -n "$d1" ] && R[$col,sockdrop_$dir]=$((d1 - d0))
    if ! jq -e '.end.sum_received.bits_per_second' "$out" >/dev/null 2>&1; then
        say "$col: iperf3 $dir failed: $(jq -r '.error // empty' "$out" 2>/dev/null | head -c 200)"
        return 1
    fi
    R[$col,tcp_$dir]=$(jq -r '.end.sum_received.bits_per_second / 1e9 | . * 1000 | round / 1000' "$out")
    R[$col,retr_$dir]=$(jq -r '.end.sum_sent.retransmits // "-"' "$out")
    if [ -n "$pid" ]; then
        R[$col,vswitchd_$dir]=$(awk -v t=$((busy1 - busy0)) -v hz="$(getconf CLK_TCK)" \
            -v s="$SECS" 'BEGIN { printf "%.0f", 100 * t / hz / (s + 1) }')
    fi
}

# pings COLUMN: $PINGS pings VM → BM, 10 ms apart; min/avg/p50/p90/p99/max.
pings() {
    local col=$1 out=$DIR/ping-$1.txt stats
    ip netns exec "$NS_VM" ping -n -c "$PINGS" -i 0.01 -W 1 $BM_IP >"$out" 2>&1
    stats=$(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$out" | sort -g | awk '
        { v[NR] = $1; s += $1 }
        function pct(p,  i) { i = int(p * NR + 0.999999); if (i < 1) i = 1; return v[i] }
        END { if (NR == 0) exit 1
              printf "%d %.3f %.3f %.3f %.3f %.3f %.3f", NR, v[1], s / NR, pct(0.5), pct(0.9), pct(0.99), v[NR] }')
    [ -n "$stats" ] || { say "$col: no ping answered"; return 1; }
    read -r R[$col,ping_n] R[$col,rtt_min] R[$col,rtt_avg] R[$col,rtt_p50] R[$col,rtt_p90] \
        R[$col,rtt_p99] R[$col,rtt_max] <<<"$stats"
}

# measure COLUMN GATEWAY(ovs-vtep|vtepd) OFFLOAD(on|off): builds the
# topology, programs the switch, waits for the path, measures, tears down
# (KEEP=1: leaves it up, for a look at it).
NCOL=0
measure() {
    local col=$1 gw=$2 t0 ok=0
    NCOL=$((NCOL + 1))
    use_column $NCOL
    say "$col: building (gateway $gw, end-host TX offload $3)"
    R[$col,offload_label]=$3
    hosts_up "$3" || { say "$col: hosts failed"; topo_down; return 1; }
    if [ "$gw" = ovs-vtep ]; then gw_ovs_vtep_up; else gw_vtepd_up; fi ||
        { say "$col: gateway failed"; topo_down; return 1; }
    program || { say "$col: vtep-ctl failed"; topo_down; return 1; }
    t0=$EPOCHREALTIME
    if wait_for 30 ping_ok; then
        R[$col,first_ping_s]=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
        ip netns exec "$NS_BM" iperf3 -s -D -B $BM_IP --pidfile "$DIR/iperf3.pid" >/dev/null 2>&1
        wait_for 5 test -s "$DIR/iperf3.pid"
        ip netns exec "$NS_VM" ping -n -c 20 -i 0.01 -q $BM_IP >/dev/null 2>&1   # warm-up
        say "$col: ping ×$PINGS, iperf3 ${SECS} s each way"
        pings "$col" && iperf "$col" up && iperf "$col" down && ok=1
    else
        say "$col: VM cannot ping the bare-metal host after 30 s"
        [ "$gw" = ovs-vtep ] && tail -n 5 "$DIR/ovs-vtep.log" >&2
        [ "$gw" = vtepd ] && tail -n 5 "$DIR/vtepd.log" >&2
    fi
    if [ "$gw" = ovs-vtep ] && [ "$FDB" = 1 ] && [ "$ok" = 1 ] && [ "$OVS_FDB_ROUNDS" -gt 0 ]; then
        say "fdb_latency --ovs-vtep: $OVS_FDB_ROUNDS rounds"
        ip netns exec "$NS_GW" /usr/bin/python3 bench/vtep/fdb_latency.py \
            --db "$DIR/db.sock" --ls ls1 --ovs-vtep "unix:$DIR/${PS}_vtep_ls1.mgmt" \
            --timeout 5 --rounds "$OVS_FDB_ROUNDS" >"$BASE/fdb-ovs.txt" || ok=0
    fi
    if [ "$gw" = vtepd ] && [ "$FDB" = 1 ] && [ "$ok" = 1 ] && [ -z "${FDB_DONE:-}" ]; then
        say "fdb_latency: $FDB_ROUNDS rounds"
        ip netns exec "$NS_GW" /usr/bin/python3 bench/vtep/fdb_latency.py \
            --db "$DIR/db.sock" --ls ls1 --vxlan bv-v$VNI --bridge bv-b$VNI \
            --rounds "$FDB_ROUNDS" >"$BASE/fdb.txt" && FDB_DONE=1 || ok=0
        if [ "$PRELOAD" -gt 0 ] && [ "$ok" = 1 ]; then
            say "fdb_latency: $PRELOAD remote MACs, then $PRELOAD_ROUNDS rounds"
            ip netns exec "$NS_GW" /usr/bin/python3 bench/vtep/fdb_latency.py \
                --db "$DIR/db.sock" --ls ls1 --vxlan bv-v$VNI --bridge bv-b$VNI \
                --flood-net 10.77.2. --preload "$PRELOAD" --rounds "$PRELOAD_ROUNDS" \
                >"$BASE/fdb-preload.txt" || ok=0
        fi
    fi
    [ "${KEEP:-0}" = 1 ] || topo_down
    [ "$ok" = 1 ]
}

# ------------------------------------------------------------- main

COLS=()
rc=0
say "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $(uname -r)"
say "$(ovs-vswitchd --version | head -n 1), $("$VTEPD" --version 2>&1 | head -n 1), $(iperf3 --version | head -n 1)"
if [ -z "$ONLY" ] || [ "$ONLY" = ovs-vtep ]; then
    COLS+=(ovs-vtep); measure ovs-vtep ovs-vtep off || rc=1
fi
if [ -z "$ONLY" ] || [ "$ONLY" = vtepd ]; then
    COLS+=(l2gw-vtepd); measure l2gw-vtepd vtepd off || rc=1
    if [ "$OFFLOAD_COLUMN" = 1 ]; then
        COLS+=(vtepd+offload); measure vtepd+offload vtepd on || rc=1
    fi
fi

row() {        # row LABEL KEY
    local c line
    line=$(printf '%-34s' "$1")
    for c in "${COLS[@]}"; do line+=$(printf ' %14s' "${R[$c,$2]:--}"); done
    echo "$line"
}
echo
echo "VM ⇄ bare metal through one software VTEP ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s' figure; for c in "${COLS[@]}"; do printf ' %14s' "$c"; done; echo
row "end-host TX offload" offload_label
row "programmed → first ping (s)" first_ping_s
row "TCP VM → BM (Gbit/s)" tcp_up
row "  retransmits" retr_up
row "  ovs-vswitchd CPU (% of 1 CPU)" vswitchd_up
row "  ovs-vswitchd socket drops" sockdrop_up
row "TCP BM → VM (Gbit/s)" tcp_down
row "  retransmits" retr_down
row "  ovs-vswitchd CPU (% of 1 CPU)" vswitchd_down
row "  ovs-vswitchd socket drops" sockdrop_down
row "ping answered" ping_n
row "RTT min (ms)" rtt_min
row "RTT avg (ms)" rtt_avg
row "RTT p50 (ms)" rtt_p50
row "RTT p90 (ms)" rtt_p90
row "RTT p99 (ms)" rtt_p99
row "RTT max (ms)" rtt_max
for f in fdb.txt fdb-preload.txt fdb-ovs.txt; do
    if [ -s "$BASE/$f" ]; then
        echo
        cat "$BASE/$f"
    fi
done
[ $rc = 0 ] || echo "INCOMPLETE: see the messages above"
exit $rc
