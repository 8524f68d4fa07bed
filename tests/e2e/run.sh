#!/bin/bash
# shellcheck disable=SC2034  # (variables shared with the sourced files)
# The end-to-end suite of l2gw: API call -> l2gwd -> switch database ->
# VTEP (ovs-vtep) -> frames, in network namespaces with userspace Open
# vSwitch.  Scenarios (scenarios.sh): (a) the seed walkthrough, (b)
# broadcast from the physical side, (c) VM migration, (d) connection
# delete and re-create, (e) restarts, (f) untagged and connection VLANs.
#
# Output: one line per check, "PASS <name>", "FAIL <name>" or
# "SKIP <name> <reason>", and "TIMING <key>=<seconds>" lines; the log
# (lines starting with '#') goes to stderr.  Exit status 0 only if every
# check passed (a whole-suite SKIP, e.g. not root, also exits 0).
#
# Usage: run.sh [--keep] [--debug-dataplane] | --teardown DIR
#   --keep             leave the run in place (E2E_KEEP=1); remove it later
#                      with --teardown DIR
#   --debug-dataplane  private debug mode, no l2gwd: program the switch by
#                      hand with vtep-ctl (debug.sh); not the suite
# Env: L2GWD (default <repo>/build/src/daemon/l2gwd), L2GW (default
# <repo>/build/src/cli/l2gw), TMPDIR, E2E_L2GWD_DEBUG (default true),
# E2E_TIMEOUT (default 480: the run stops itself after that many seconds).
# Needs root, and what scripts/deps.sh installs; installs nothing.
set -u
. "$(dirname "$0")/lib.sh"
. "$E2E_HERE/topo.sh"
. "$E2E_HERE/api.sh"
. "$E2E_HERE/agent.sh"
. "$E2E_HERE/scenarios.sh"
. "$E2E_HERE/debug.sh"

MODE=suite
while [ $# -gt 0 ]; do
    case $1 in
        --keep) E2E_KEEP=1 ;;
        --debug-dataplane) MODE=debug ;;
        --teardown) [ $# -ge 2 ] || { echo "--teardown needs a directory" >&2; exit 2; }
                    teardown_dir "$2"; exit 0 ;;
        -h|--help) sed -n '3,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        *) echo "usage: $0 [--keep] [--debug-dataplane] | --teardown DIR" >&2; exit 2 ;;
    esac
    shift
done

why=$(preflight)
if [ -n "$why" ]; then
    skip e2e "$why"
    exit 0
fi
if [ "$MODE" = suite ]; then
    for b in "$L2GWD" "$L2GW"; do
        [ -x "$b" ] || { fail e2e.binaries "$b is not built (make)"; exit 1; }
    done
fi

T_START=$(now_us)
run_init
watchdog_start "${E2E_TIMEOUT:-480}"
sweep_stale
topo_names

t0=$(now_us)
if topo_up; then
    pass e2e.topology
    timing infra_setup_s "$(since_s "$t0")"
else
    fail e2e.topology "the test network could not be built"
    exit 1
fi

if [ "$MODE" = debug ]; then
    debug_dataplane
else
    l2gwd_configure "$OVSDB_NAME:unix:$RUN_DIR/$NS_GW/db.sock"
    if l2gwd_start; then pass e2e.l2gwd-start; else fail e2e.l2gwd-start; exit 1; fi
    t0=$(now_us)
    if wait_until 20 switch_connected "$PS"; then
        pass e2e.switch-registered
        timing l2gwd_start_to_switch_registered_s "$(since_s "$t0")"
    else
        fail e2e.switch-registered "l2gwd does not list switch $PS as connected: $API_BODY"
        dump_state
        SKIP_ALL="l2gwd never connected to the switch (e2e.switch-registered)"
    fi
    for sc in a b c d e f; do
        if [ -n "${SKIP_ALL:-}" ]; then skip "$sc" "$SKIP_ALL"; else "scenario_$sc"; fi
    done
fi

timing suite_total_s "$(since_s "$T_START")"
log "$E2E_PASSED passed, $E2E_FAILED failed, $E2E_SKIPPED skipped${E2E_FAILED_NAMES:+ (failed:$E2E_FAILED_NAMES)}"
[ "$E2E_FAILED" = 0 ]
