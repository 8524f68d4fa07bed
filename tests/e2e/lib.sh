# shellcheck shell=bash
# shellcheck disable=SC2034  # (variables shared with the files that source this one)
# Generic helpers of the end-to-end suite: results, clocks, network
# namespaces, per-node Open vSwitch daemons, teardown.  Sourced by run.sh
# and demo.sh; does nothing by itself.
#
# Model: every node (compute node, gateway, VM, bare-metal host) is a
# network namespace.  Nodes that switch frames run their own ovsdb-server
# and ovs-vswitchd (userspace "netdev" datapath: the kernel needs no OVS
# module), started inside the namespace with every socket, pid file, log
# and database under $RUN_DIR/<namespace>/.  Nothing uses
# /var/run/openvswitch, and the packaged OVS service is never started.
#
# One run owns: the directory $RUN_DIR (mktemp), the namespaces whose name
# starts with "$P-" ($P = "l2e" + 4 random hex digits, also the prefix of
# every link name), and the processes whose pid files live in $RUN_DIR.
# Teardown removes exactly that, so two runs never touch each other.

export LC_ALL=C
E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TOP=$(cd "$E2E_HERE/../.." && pwd)
OVS_SHARE=${OVS_SHARE:-/usr/share/openvswitch}
OVS_VTEP=${OVS_VTEP:-$OVS_SHARE/scripts/ovs-vtep}
E2E_PY=/usr/bin/python3              # Debian's, as ovs-vtep needs it
E2E_TMP=${TMPDIR:-/tmp}

# ---------------------------------------------------------------- results

E2E_PASSED=0
E2E_FAILED=0
E2E_SKIPPED=0
E2E_FAILED_NAMES=""

log() { printf '# [%s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }
pass() { echo "PASS $1"; E2E_PASSED=$((E2E_PASSED + 1)); }
skip() { echo "SKIP $1 ${2:-}"; E2E_SKIPPED=$((E2E_SKIPPED + 1)); }

# fail NAME [REASON...]: the check failed; the reason goes to the log.
fail() {
    local name=$1; shift
    echo "FAIL $name"
    [ $# -gt 0 ] && log "FAIL $name: $*"
    E2E_FAILED=$((E2E_FAILED + 1))
    E2E_FAILED_NAMES="$E2E_FAILED_NAMES $name"
}

# check NAME CMD...: PASS if CMD succeeds, else FAIL.
check() {
    local name=$1; shift
    if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

# timing KEY SECONDS: one figure of the TIMING output.
timing() { echo "TIMING $1=$2"; }

# degrade REASON: the server evidently does not program the switch; later
# waits use short timeouts (tmo) so that a broken server fails the suite
# in about a minute instead of ten.
E2E_DEGRADED=0
degrade() {
    [ "$E2E_DEGRADED" = 1 ] || log "degraded: $* (timeouts shortened to 4 s from now on)"
    E2E_DEGRADED=1
}

# tmo SECONDS: SECONDS, or 4 once degraded.
tmo() { if [ "$E2E_DEGRADED" = 1 ] && [ "$1" -gt 4 ]; then echo 4; else echo "$1"; fi; }

# ----------------------------------------------------------------- clocks

now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
# since_s START_US: seconds elapsed since START_US, 2 decimals.
since_s() {
    local d=$(( $(now_us) - $1 ))
    printf '%d.%02d' $((d / 1000000)) $(((d % 1000000) / 10000))
}

# wait_until SECONDS CMD...: polls CMD every 0.1 s until it succeeds (0) or
# SECONDS pass (1).
wait_until() {
    local end=$(( $(now_us) + $(tmo "${1%.*}") * 1000000 )); shift
    while :; do
        "$@" && return 0
        [ "$(now_us)" -ge "$end" ] && return 1
        sleep 0.1
    done
}

# ----------------------------------------------------------- namespaces

# on NS CMD...: runs CMD inside namespace NS with that node's OVS
# environment, so plain ovs-vsctl / ovs-ofctl / vtep-ctl (and ovs-vtep,
# which runs them without --db) talk to the node's own daemons.
on() {
    local ns=$1; shift
    local d=$RUN_DIR/$ns
    ip netns exec "$ns" env OVS_RUNDIR="$d" OVS_LOGDIR="$d" OVS_DBDIR="$d" \
        OVS_SYSCONFDIR="$d" "$@"
}

ns_add() {
    ip netns add "$1" || return 1
    ip -n "$1" link set lo up
    mkdir -p "$RUN_DIR/$1"
}

# veth NS1 IF1 NS2 IF2 [MTU]: a veth pair created directly inside the two
# namespaces (it never appears in the root namespace).
veth() {
    ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || return 1
    if [ -n "${5:-}" ]; then
        ip -n "$1" link set "$2" mtu "$5"
        ip -n "$3" link set "$4" mtu "$5"
    fi
    ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# end_host NS IF ADDR/PLEN: configures an end host's interface.  TX
# checksum offload goes off (the netdev datapath does not complete partial
# checksums: TCP would fail while ping works); ARP retries every 100 ms so
# that the first ping after programming is not delayed by a 1 s retry.
end_host() {
    local ns=$1 ifc=$2 addr=$3
    ip netns exec "$ns" ethtool -K "$ifc" tx off >/dev/null 2>&1 || true
    ip netns exec "$ns" sysctl -qw "net.ipv4.neigh.$ifc.retrans_time_ms=100" >/dev/null
    # The broadcast check of scenario (b) wants answers to broadcast pings.
    ip netns exec "$ns" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0 >/dev/null
    ip -n "$ns" addr add "$addr" brd + dev "$ifc" && ip -n "$ns" link set "$ifc" up
}

mac_of() { ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }

# -------------------------------------------------------------- OVS nodes

# ovsdb_start NS: (re)starts the node's ovsdb-server on the database files
# that already exist in its directory (conf.db, and vtep.db if present).
ovsdb_start() {
    local ns=$1 d=$RUN_DIR/$1 dbs
    dbs="$d/conf.db"
    # a VTEP node (the README's l2gw node): hardware_vtep too, its Manager
    # table (vtep-ctl set-manager), and OVSDB over TCP on port 6632 (inside
    # the namespace; l2gwd, in the root namespace, uses the unix socket)
    [ -f "$d/vtep.db" ] &&
        dbs="$dbs $d/vtep.db --remote=ptcp:6632 --remote=db:hardware_vtep,Global,managers"
    # shellcheck disable=SC2086
    on "$ns" ovsdb-server -vconsole:off $dbs --remote=punix:"$d/db.sock" \
        --pidfile="$d/ovsdb-server.pid" --log-file="$d/ovsdb-server.log" \
        --unixctl="$d/ovsdb-server.ctl" --detach --no-chdir
}

# ovs_node_start NS [vtep]: creates the node's databases (vswitch, and
# hardware_vtep with "vtep") and starts ovsdb-server and ovs-vswitchd.
ovs_node_start() {
    local ns=$1 d=$RUN_DIR/$1
    ovsdb-tool create "$d/conf.db" "$OVS_SHARE/vswitch.ovsschema" || return 1
    if [ "${2:-}" = vtep ]; then
        ovsdb-tool create "$d/vtep.db" "$OVS_SHARE/vtep.ovsschema" || return 1
    fi
    ovsdb_start "$ns" || return 1
    on "$ns" ovs-vsctl --no-wait init || return 1
    on "$ns" ovs-vswitchd -vconsole:off unix:"$d/db.sock" \
        --pidfile="$d/ovs-vswitchd.pid" --log-file="$d/ovs-vswitchd.log" \
        --detach --no-chdir
}

# netdev_bridge NS BR: a bridge on the userspace datapath.
netdev_bridge() {
    on "$1" ovs-vsctl --may-exist add-br "$2" -- set Bridge "$2" datapath_type=netdev
}

alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# kill_pidfile FILE MARK: stops the process of FILE if its command line
# contains MARK (so a recycled pid is never ours to kill), waits for it.
kill_pidfile() {
    local f=$1 mark=$2 pid
    [ -s "$f" ] || return 0
    pid=$(cat "$f")
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$mark"; then
        kill "$pid" 2>/dev/null || true
        # (a zombie is gone for our purposes: PID 1 may reap slowly here)
        for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
        alive "$pid" && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$f"
}

# node_kill NS: stops every daemon of node NS (runs with or without RUN_DIR
# of the current run: the directory is given by the caller through $2).
node_kill() {
    local d=${2:-$RUN_DIR}/$1 f
    for f in ovs-vtep ovs-vswitchd ovsdb-server; do
        kill_pidfile "$d/$f.pid" "$d/"
    done
}

# ------------------------------------------------------------ preflight

# preflight: prints why the suite cannot run here, if it cannot.
preflight() {
    local t
    [ "$(id -u)" = 0 ] || { echo "not root (network namespaces need it)"; return; }
    for t in ip ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl vtep-ctl \
        ping curl ethtool; do
        command -v "$t" >/dev/null || { echo "$t missing (scripts/deps.sh installs it)"; return; }
    done
    [ -x "$OVS_VTEP" ] || { echo "$OVS_VTEP missing (package openvswitch-vtep)"; return; }
    [ -f "$OVS_SHARE/vtep.ovsschema" ] || { echo "$OVS_SHARE/vtep.ovsschema missing"; return; }
    "$E2E_PY" -c 'import ovs' 2>/dev/null || { echo "python3-openvswitch missing (ovs-vtep needs it)"; return; }
    [ -c /dev/net/tun ] || { echo "no /dev/net/tun (the userspace datapath needs tap devices)"; return; }
    ip netns add "l2e-probe-$$" 2>/dev/null || { echo "cannot create network namespaces"; return; }
    ip netns del "l2e-probe-$$"
}

# ------------------------------------------------------------- teardown

# teardown_dir DIR: removes everything of the run whose directory is DIR:
# l2gwd, the node daemons, the namespaces "<prefix>-*", the directory.
teardown_dir() {
    local dir=$1 prefix ns nss
    [ -f "$dir/prefix" ] || { rm -rf "$dir"; return 0; }
    prefix=$(cat "$dir/prefix")
    kill_pidfile "$dir/l2gwd.pid" "$dir/"
    nss=$( { ip netns list | awk '{print $1}'; ls "$dir"; } | grep "^$prefix-" | sort -u)
    for ns in $nss; do node_kill "$ns" "$dir"; done
    for ns in $nss; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$dir"
}

# sweep_stale: tears down the runs of this suite whose runner died without
# its teardown (kill -9, power loss); runs that are alive are left alone.
sweep_stale() {
    local dir pid
    for dir in "$E2E_TMP"/l2gw-e2e.*; do
        [ -d "$dir" ] && [ "$dir" != "${RUN_DIR:-}" ] || continue
        [ -e "$dir/kept" ] && continue          # --keep: removed by --teardown
        pid=$(cat "$dir/runner.pid" 2>/dev/null) || pid=""
        if [ -n "$pid" ] && alive "$pid"; then continue; fi
        # (a run being created has no runner.pid yet for a moment)
        if [ -z "$pid" ] && [ -n "$(find "$dir" -maxdepth 0 -mmin -1)" ]; then continue; fi
        log "removing the leftovers of a dead run: $dir"
        teardown_dir "$dir"
    done
}

# run_init: creates this run's directory and prefix and arms the teardown
# (EXIT, INT, TERM).  E2E_KEEP=1 keeps everything for inspection.
run_init() {
    RID=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
    P=l2e$RID
    RUN_DIR=$(mktemp -d "$E2E_TMP/l2gw-e2e.XXXXXX")
    echo "$P" >"$RUN_DIR/prefix"
    echo $$ >"$RUN_DIR/runner.pid"
    trap run_exit EXIT
    trap 'fail e2e.interrupted "SIGINT"; exit 130' INT
    trap 'fail e2e.interrupted "SIGTERM (or the watchdog)"; exit 143' TERM
    log "run $P in $RUN_DIR"
}

# watchdog_start SECONDS: TERM this run (and so tear it down) if it still
# runs after SECONDS; a hung daemon must not hang make check.
watchdog_start() {
    (
        sleep "$1" &
        echo $! >"$RUN_DIR/watchdog.pid"
        if wait $!; then
            log "watchdog: still running after $1 s, stopping the run"
            kill -TERM $$
        fi
    ) &
}

run_exit() {
    local rc=$?
    trap - EXIT INT TERM
    kill_pidfile "$RUN_DIR/watchdog.pid" sleep
    # a run that dies on an error of its own must not look clean
    if [ "$rc" != 0 ] && [ "$E2E_FAILED" = 0 ]; then fail e2e.aborted "exit status $rc"; fi
    if [ "${E2E_KEEP:-0}" = 1 ]; then
        touch "$RUN_DIR/kept"
        log "kept: $RUN_DIR (namespaces $P-*); remove with: $E2E_HERE/run.sh --teardown $RUN_DIR"
    else
        teardown_dir "$RUN_DIR"
    fi
    exit "$rc"
}
