#!/bin/bash
# bench/border/run.sh: a bulk create of 10,000 remote MACs, timed from the
# POST to the rows on the switch (bench/README.md, "bench/border").
# Env: BUILD (default build), L2GWD (default $BUILD/src/daemon/l2gwd),
# BENCH_TMPDIR (default $TMPDIR or /tmp).  Arguments go to remote_macs.py
# (-n N, --runs R, --poll-interval S, --keep; --help).
# Exit status: that of remote_macs.py (0 when every run completed).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export L2GWD=${L2GWD:-$BUILD/src/daemon/l2gwd}
tmp=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}
for tool in ovsdb-server ovsdb-tool vtep-ctl; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench/border: $tool not found" >&2
        exit 1
    fi
done
if [ ! -x "$L2GWD" ]; then
    echo "bench/border: l2gwd not found at $L2GWD (build it, or set BUILD or L2GWD)" >&2
    exit 1
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 bench/border/remote_macs.py --tmpdir "$tmp" "$@"
rc=$?
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
