# Helpers of the l2gw-vtepd integration tests (sourced).  Every namespace
# is named "$VT-<role>" so one run never touches another's.
VT=${VT:-vt$$}
WORK=${WORK:-/tmp/$VT}
VTEPD=${VTEPD:-}
PASS=0
FAIL=0

say() { printf '%s\n' "$*" >&2; }

# require: skips (exit 77) without root or a needed program.
require() {
    [ "$(id -u)" = 0 ] || { say "SKIP: needs root"; exit 77; }
    [ -x "$VTEPD" ] || { say "SKIP: no $VTEPD"; exit 77; }
    local p
    for p in ip bridge tc ovsdb-server ovsdb-tool vtep-ctl tcpdump python3 ping; do
        command -v $p >/dev/null || { say "SKIP: no $p"; exit 77; }
    done
    ip netns add "$VT-probe" 2>/dev/null || { say "SKIP: no network namespaces"; exit 77; }
    ip netns del "$VT-probe"
}

ok() { PASS=$((PASS + 1)); say "ok   - $*"; }
bad() { FAIL=$((FAIL + 1)); say "FAIL - $*"; }

# check "description" command...
check() {
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}

# retry SECONDS command...: true once the command succeeds.
retry() {
    local t=$1 i
    shift
    for ((i = 0; i < t * 5; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

nsx() { local n=$1; shift; ip netns exec "$VT-$n" "$@"; }

vctl() { vtep-ctl --db="unix:$WORK/db.sock" "$@"; }

# start_db [NAME]: an ovsdb-server with the vtep schema on
# $WORK/NAME.sock (NAME defaults to "db").
start_db() {
    local n=${1:-db}
    mkdir -p "$WORK"
    rm -f "$WORK/$n.vtep"
    ovsdb-tool create "$WORK/$n.vtep" /usr/share/openvswitch/vtep.ovsschema
    ovsdb-server --detach --no-chdir --pidfile="$WORK/ovsdb-$n.pid" \
        --remote="punix:$WORK/$n.sock" --log-file="$WORK/ovsdb-$n.log" \
        --unixctl="$WORK/ovsdb-$n.ctl" "$WORK/$n.vtep"
}

# stop_db [NAME]
stop_db() {
    local n=${1:-db} pid
    pid=$(cat "$WORK/ovsdb-$n.pid" 2>/dev/null) || return 0
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

# start_vtepd NS CONFIG [args]: runs l2gw-vtepd in namespace $VT-NS.
start_vtepd() {
    local ns=$1 conf=$2
    shift 2
    ip netns exec "$VT-$ns" "$VTEPD" --config-file "$conf" \
        --log-file "$WORK/vtepd-$ns.log" --debug "$@" &
    echo $! >"$WORK/vtepd-$ns.pid"
}

stop_vtepd() {
    local ns=$1 pid
    pid=$(cat "$WORK/vtepd-$ns.pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$WORK/vtepd-$ns.pid"
}

# veth_pair NS1 IF1 NS2 IF2
veth_pair() {
    local t1=vtx$$a$RANDOM t2=vtx$$b$RANDOM
    ip link add "${t1:0:15}" type veth peer name "${t2:0:15}"
    ip link set "${t1:0:15}" netns "$VT-$1" name "$2"
    ip link set "${t2:0:15}" netns "$VT-$3" name "$4"
    nsx "$1" ip link set "$2" up
    nsx "$3" ip link set "$4" up
}

add_ns() {
    ip netns add "$VT-$1"
    nsx "$1" ip link set lo up
}

# The WAN and bare-metal side shared by the WAN tests (namespaces gw, wan,
# r1, r2 and bm must exist): "wan" routes between r1 (198.18.0.2, on its
# wan0 198.18.0.1) and r2 (198.18.1.2, on its wan1 198.18.1.1); the
# bare-metal host bm (192.168.77.20, MAC $(mac 20)) is on gw's bm0.
wan_peers_and_bm() {
    veth_pair wan wan0 r1 wan0
    veth_pair wan wan1 r2 wan0
    nsx wan ip addr add 198.18.0.1/24 dev wan0
    nsx wan ip addr add 198.18.1.1/24 dev wan1
    nsx r1 ip addr add 198.18.0.2/24 dev wan0
    nsx r2 ip addr add 198.18.1.2/24 dev wan0
    nsx r2 ip route add 198.18.0.0/24 via 198.18.1.1
    nsx wan sysctl -qw net.ipv4.ip_forward=1
    veth_pair gw bm0 bm eth0
    nsx bm ip link set eth0 address "$(mac 20)"
    nsx bm ip addr add 192.168.77.20/24 dev eth0
}

teardown() {
    for f in "$WORK"/vtepd-*.pid; do
        [ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    sleep 0.3
    for f in "$WORK"/ovsdb-*.pid; do
        [ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    for n in $(ip netns list | awk '{print $1}' | grep "^$VT-"); do
        ip netns del "$n"
    done
    case "$WORK" in /tmp/?*) rm -rf "$WORK" ;; esac
}

# Names of the kernel links with prefix $2 in namespace $1.
links_of() { nsx "$1" ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep "^$2-" || true; }

# capture NS IF FILE FILTER: starts tcpdump and returns once it listens;
# its pid is in $CAPTURE_PID.  Stop it with capture_stop, then count the
# packets with captured FILE.
capture() {
    rm -f "$3" "$3.err"
    ip netns exec "$VT-$1" tcpdump --immediate-mode -U -n -e -i "$2" -w "$3" "$4" 2>"$3.err" &
    CAPTURE_PID=$!
    retry 5 grep -q "listening on" "$3.err"
}
capture_stop() { sleep 0.5; kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
captured() { tcpdump -n -e -r "$1" 2>/dev/null | wc -l; }
