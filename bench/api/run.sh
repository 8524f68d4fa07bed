#!/bin/bash
# bench/api/run.sh: starts l2gwd on a fresh temporary configuration and
# SQLite database, reads its idle RSS, runs apibench against it (with --pid,
# so apibench samples the daemon's RSS), stops it with SIGTERM and removes
# the temporary files.
#
# Usage: bench/api/run.sh [apibench options]     e.g. -n 1000, --json
# Environment:
#   BUILD            build directory (default: build)
#   L2GWD            daemon binary (default: $BUILD/src/daemon/l2gwd)
#   APIBENCH         benchmark binary (default: $BUILD/bench/api/apibench)
#   BENCH_TMPDIR     where the temporary state and database go (default:
#                    $TMPDIR or /tmp); the database's file system matters,
#                    since every create and delete is a commit
#   IDLE_SETTLE      seconds between "listening" and the idle RSS (default 1)
#   STARTUP_TIMEOUT  seconds to wait for the listening line (default 10)
#   PERF_OUT         if set, `perf record` attaches to the daemon for the
#                    run and writes this file (then: perf report -i FILE)
#   PERF_ARGS        perf record's options (default: -g; "--call-graph
#                    dwarf" gives call chains through code built without
#                    frame pointers)
# Everything but apibench's own output goes to stderr, so that
# `run.sh --json` prints clean JSON.  Exit status: apibench's, or 1 if the
# daemon could not be started or did not stop cleanly.
set -u
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
L2GWD=${L2GWD:-$BUILD/src/daemon/l2gwd}
APIBENCH=${APIBENCH:-$BUILD/bench/api/apibench}
IDLE_SETTLE=${IDLE_SETTLE:-1}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-10}

say() { echo "run.sh: $*" >&2; }

for bin in "$L2GWD" "$APIBENCH"; do
    if [ ! -x "$bin" ]; then
        say "$bin not found: build first (ninja -C $BUILD), or set L2GWD/APIBENCH"
        exit 1
    fi
done

TMP=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/l2gw-apibench.XXXXXX") || exit 1
DPID=
PERFPID=
BPID=
cleanup() {
    [ -n "$BPID" ] && kill -TERM "$BPID" 2>/dev/null && wait "$BPID" 2>/dev/null
    [ -n "$PERFPID" ] && kill -INT "$PERFPID" 2>/dev/null && wait "$PERFPID"
    [ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# write_config PORT: the daemon's configuration (PORT 0: any free port).
write_config() {
    cat >"$TMP/l2gw.ini" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $1
state_path = $TMP
auth_strategy = noauth

[database]
connection = sqlite:///$TMP/l2gw.db
EOF
}

# free_port: a TCP port of 127.0.0.1 that is free right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# rss_mb PID: the VmRSS of PID in MB, or "?".
rss_mb() {
    awk '/^VmRSS:/ { printf "%.1f", $2 / 1024; found = 1 }
         END { if (!found) printf "?" }' "/proc/$1/status" 2>/dev/null || echo "?"
}

# start_daemon: starts l2gwd in the background and sets DPID and PORT once
# its log says "API listening on http://127.0.0.1:PORT".
start_daemon() {
    if ! "$L2GWD" --config-file "$TMP/l2gw.ini" db upgrade >"$TMP/db-upgrade.log" 2>&1; then
        say "note: 'l2gwd db upgrade' failed, starting anyway (assuming the daemon migrates):"
        tail -n 5 "$TMP/db-upgrade.log" >&2
    fi
    : >"$TMP/l2gwd.log"
    "$L2GWD" --config-file "$TMP/l2gw.ini" 2>>"$TMP/l2gwd.log" &
    DPID=$!
    local waited=0 line
    while [ "$waited" -lt $((STARTUP_TIMEOUT * 10)) ]; do
        line=$(grep -m1 -o 'API listening on http://127\.0\.0\.1:[0-9]*' "$TMP/l2gwd.log")
        if [ -n "$line" ]; then
            PORT=${line##*:}
            return 0
        fi
        if ! kill -0 "$DPID" 2>/dev/null; then
            wait "$DPID"
            say "l2gwd exited (status $?) before listening; its log:"
            cat "$TMP/l2gwd.log" >&2
            DPID=
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    say "no 'API listening on' line within ${STARTUP_TIMEOUT}s; l2gwd's log:"
    cat "$TMP/l2gwd.log" >&2
    return 1
}

# stop_daemon: SIGTERM, then up to 10 s for a clean exit.  Returns 0 if
# the daemon exited with status 0.
stop_daemon() {
    kill -TERM "$DPID"
    local i
    for i in $(seq 100); do
        kill -0 "$DPID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$DPID" 2>/dev/null; then
        say "l2gwd did not exit within 10 s of SIGTERM; killing it"
        return 1
    fi
    wait "$DPID"
    local st=$?
    DPID=
    [ "$st" = 0 ] || say "l2gwd exited with status $st after SIGTERM"
    return "$st"
}

write_config 0
if ! start_daemon; then
    # A daemon whose configuration refuses port 0 gets a port picked here.
    grep -q 'bind_port' "$TMP/l2gwd.log" 2>/dev/null || exit 1
    say "l2gwd refuses bind_port = 0; retrying with a free port"
    write_config "$(free_port)"
    start_daemon || exit 1
fi
sleep "$IDLE_SETTLE"
say "l2gwd pid $DPID on 127.0.0.1:$PORT, database $TMP/l2gw.db ($(df -T "$TMP" | awk 'NR == 2 { print $2 }')), idle RSS $(rss_mb "$DPID") MB"
# Other work on the machine skews every figure: say how busy it is.
say "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"

if [ -n "${PERF_OUT:-}" ]; then
    # shellcheck disable=SC2086 # PERF_ARGS is a list of options
    perf record ${PERF_ARGS:--g} -p "$DPID" -o "$PERF_OUT" 2>"$TMP/perf.log" &
    PERFPID=$!
    sleep 0.5
fi

# In the background, so that a signal to this script is handled at once
# (bash runs traps only after a foreground command ends).
"$APIBENCH" --url "http://127.0.0.1:$PORT" --pid "$DPID" "$@" &
BPID=$!
wait "$BPID"
rc=$?
BPID=

if [ -n "$PERFPID" ]; then
    kill -INT "$PERFPID"
    wait "$PERFPID"
    PERFPID=
    say "perf data in $PERF_OUT (perf report -i $PERF_OUT --no-children)"
fi
say "idle RSS after the run $(rss_mb "$DPID") MB"
if grep -qE '\|(ERR|WARN)\|' "$TMP/l2gwd.log"; then
    say "l2gwd logged warnings or errors during the run:"
    grep -E '\|(ERR|WARN)\|' "$TMP/l2gwd.log" | head -n 20 >&2
fi
stop_daemon || rc=1
exit "$rc"
