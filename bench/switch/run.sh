#!/bin/bash
# bench/switch/run.sh: the switch-side benchmark of l2gwd.  Runs
# switchbench (real ovsdb-servers serving hardware_vtep on unix sockets,
# l2gwd connected to them, figures of spec/switch.md's performance table
# with PASS/MISS), then the two in-memory micro benchmarks of src/ovsdb and
# src/vtep (replica_load, reconcile_bench) unless MICRO=0.
#
# Usage: bench/switch/run.sh [switchbench options]   e.g. --macs 10000
#        (bench/switch/run.sh --help lists them)
# Environment:
#   BUILD         build directory (default: build)
#   L2GWD         daemon binary (default: $BUILD/src/daemon/l2gwd)
#   SWITCHBENCH   (default: $BUILD/bench/switch/switchbench)
#   BENCH_TMPDIR  where the work directory goes (default: /tmp; keep the
#                 path short: unix socket paths are limited to 107 bytes)
#   KEEP=1        keep the work directory (databases, l2gwd logs)
#   MICRO=0       skip replica_load and reconcile_bench
#   SB_PERF_OUT   if set, "perf record $SB_PERF_ARGS" attaches to every
#                 l2gwd switchbench starts, writing $SB_PERF_OUT.<n>
#   SB_PERF_ARGS  perf record's options (default: -g)
# Exit status: switchbench's (1 if a phase did not complete), or 1 if a
# tool is missing.
set -u
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
L2GWD=${L2GWD:-$BUILD/src/daemon/l2gwd}
SWITCHBENCH=${SWITCHBENCH:-$BUILD/bench/switch/switchbench}
SCHEMA=/usr/share/openvswitch/vtep.ovsschema

say() { echo "run.sh: $*" >&2; }

for bin in "$L2GWD" "$SWITCHBENCH"; do
    if [ ! -x "$bin" ]; then
        say "$bin not found: build first (ninja -C $BUILD), or set L2GWD/SWITCHBENCH"
        exit 1
    fi
done
for tool in ovsdb-server ovsdb-tool vtep-ctl; do
    if ! command -v "$tool" >/dev/null; then
        say "$tool not found (Debian: openvswitch-switch, openvswitch-vtep)"
        exit 1
    fi
done
if [ ! -f "$SCHEMA" ]; then
    say "$SCHEMA not found (Debian: openvswitch-vtep)"
    exit 1
fi
case "$L2GWD" in /*) ;; *) L2GWD=$PWD/$L2GWD ;; esac

TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/swb.XXXXXX") || exit 1
BPID=
# Ends switchbench and then, by pid, every process it started (it lists
# them in $TMP/pids; it also ends them itself when it exits normally).
cleanup() {
    if [ -n "$BPID" ]; then
        kill -TERM "$BPID" 2>/dev/null
        wait "$BPID" 2>/dev/null
    fi
    if [ -f "$TMP/pids" ]; then
        while read -r pid; do
            [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null
        done <"$TMP/pids"
    fi
    if [ "${KEEP:-0}" = 1 ]; then
        say "work directory kept: $TMP"
    else
        rm -rf "$TMP"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $(ovsdb-server --version | head -n 1)"
# In the background, so that a signal to this script is handled at once.
"$SWITCHBENCH" --l2gwd "$L2GWD" --tmpdir "$TMP" "$@" &
BPID=$!
wait "$BPID"
rc=$?
BPID=

case " $* " in *" --help "*|*" -h "*) MICRO=0 ;; esac
if [ "${MICRO:-1}" != 0 ] && [ "$rc" != 2 ]; then
    for micro in replica_load reconcile_bench; do
        if [ -x "$BUILD/bench/switch/$micro" ]; then
            printf '\n== %s (in memory, no server) ==\n' "$micro"
            "$BUILD/bench/switch/$micro" || rc=1
        fi
    done
fi
exit "$rc"
