#!/bin/bash
# bench/cluster/run.sh: figures of several l2gwd nodes sharing one
# PostgreSQL database (issue 8; docs/scale-out.md).  Runs
# bench/cluster/clusterbench.py, which prints:
#   - API throughput (network creates/s, N parallel clients) with 1 node and
#     with 3 nodes on the same PostgreSQL server;
#   - takeover time after kill -9 of a switch's owner (p50/max over several
#     samples) with takeover_timeout 10 (the default) and 3;
#   - the time to reconcile N switch databases (N real ovsdb-servers on unix
#     sockets) for N = 10, 100, 1000 with 1 node and with 3 nodes.
# Everything (a temporary PostgreSQL cluster made with tests/pg/pgtmp.sh,
# the ovsdb-servers, the nodes) lives under $BENCH_TMPDIR/clusb-* and
# /tmp/l2gw-pg-clusb-<pid>, removed at the end.
#
# Usage: bench/cluster/run.sh [--quick] [clusterbench options]
#   --quick        2 takeover samples, 3 s throughput runs, N = 10 and 100
#                  (about 1 minute instead of about 3-4)
#   --clients N    parallel HTTP clients of the throughput runs (default 8)
#   --samples N    takeover samples per timeout (default 5)
#   --sizes LIST   reconcile sizes (default 10,100,1000)
#   --only LIST    any of throughput,takeover,reconcile
# Environment:
#   BUILD          build directory (default: build)
#   L2GWD          daemon binary (default: $BUILD/src/daemon/l2gwd)
#   BENCH_TMPDIR   work directory parent (default /tmp; keep it short: unix
#                  socket paths are limited to 107 bytes)
#   KEEP=1         keep the work directory (logs of the nodes and servers)
# Exit status: clusterbench's (non-zero when a measurement did not
# complete), 1 when a tool is missing.
set -u
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
export L2GWD=${L2GWD:-$BUILD/src/daemon/l2gwd}
PY=/usr/bin/python3

say() { echo "run.sh: $*" >&2; }

check_tools() {
    local tool
    if [ ! -x "$L2GWD" ]; then
        say "$L2GWD not found: build first (ninja -C $BUILD src/daemon/l2gwd), or set L2GWD"
        return 1
    fi
    for tool in ovsdb-server ovsdb-tool vtep-ctl "$PY"; do
        command -v "$tool" >/dev/null || { say "$tool not found"; return 1; }
    done
    if ! ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${PGBIN:-}" ]; then
        say "no PostgreSQL server binaries (apt-get install postgresql, or set PGBIN)"
        return 1
    fi
}

check_tools || exit 1
L2GWD=$(realpath "$L2GWD")   # the nodes run in their own directories
echo "== l2gw cluster benchmark: $(date -u +%FT%TZ), $(nproc) CPUs, $(uptime)"
echo "== l2gwd: $L2GWD"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec "$PY" bench/cluster/clusterbench.py "$@"
