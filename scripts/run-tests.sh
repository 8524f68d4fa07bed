#!/bin/bash
# Runs every test of l2gw and prints the total as its last line:
#   N passed, N failed[, N skipped]
# Stages: deps, build (gcc), unit + integration (meson/cmocka), API, CLI and
# OpenStack-client tests (pytest), the same unit and API tests built with
# clang under ASan+UBSan, and a short run of every fuzz target.
#
# Options: --no-deps (skip package installation), --asan-only, --quick
# (skip the sanitizer and fuzz stages).  Env: FUZZ_SECONDS (default 10).
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
RES=$TOP/build/test-results
NO_DEPS=0; ASAN_ONLY=0; QUICK=0
for a in "$@"; do case $a in
    --no-deps) NO_DEPS=1 ;; --asan-only) ASAN_ONLY=1; NO_DEPS=1 ;; --quick) QUICK=1 ;;
    *) echo "usage: $0 [--no-deps] [--asan-only] [--quick]" >&2; exit 2 ;;
esac; done
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
PY=/usr/bin/python3

stage() { printf '\n==== %s ====\n' "$*"; }
# record NAME RESULT(pass|fail): a stage-level result that is not a test runner's
record() { mkdir -p "$RES"; echo "$2 $1" >>"$RES/stages.txt"; }

if [ $NO_DEPS = 0 ]; then
    stage "deps"
    ./scripts/deps.sh || { echo "deps: installation failed"; echo "0 passed, 1 failed"; exit 1; }
fi
rm -rf "$RES"; mkdir -p "$RES"

# PostgreSQL: a temporary cluster for the whole run.  The store unit tests
# run their "pg/..." cases on it (L2GW_TEST_PG; skipped without it), and
# the API tests run a second time on it (L2GW_TEST_DB_URL).
PG_DIR=/tmp/l2gw-pg-$$
pg_stop() { tests/pg/pgtmp.sh stop "$PG_DIR" >/dev/null 2>&1 || true; }
pg_start() {
    stage "PostgreSQL (temporary cluster)"
    if L2GW_TEST_PG=$(tests/pg/pgtmp.sh start "$PG_DIR" 2>"$RES/pgtmp.log"); then
        export L2GW_TEST_PG L2GW_TEST_PG_DIR=$PG_DIR
        trap pg_stop EXIT
        record pgtmp pass; echo "PostgreSQL for the tests: $L2GW_TEST_PG"
    else
        cat "$RES/pgtmp.log"; record pgtmp fail; unset L2GW_TEST_PG; pg_stop
    fi
}

build() {  # build DIR [meson options...]
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >"$RES/setup-$(basename "$dir").log" 2>&1 ||
            { cat "$RES/setup-$(basename "$dir").log"; return 1; }
    fi
    ninja -C "$dir" -j2
}

meson_suite() {  # meson_suite DIR SUITE LABEL
    local dir=$1 suite=$2 label=$3
    if [ -z "$(meson test -C "$dir" --list --suite "$suite" 2>/dev/null | grep -v '^ninja')" ]; then
        return 0
    fi
    meson test -C "$dir" --suite "$suite" --print-errorlogs --num-processes 2 \
        --logbase "testlog-$suite" >"$RES/$label.log" 2>&1
    tail -n 15 "$RES/$label.log"
    cp "$dir/meson-logs/testlog-$suite.json" "$RES/$label.mesonjson" 2>/dev/null || true
}

pytest_suite() {  # pytest_suite LABEL PATHS...
    local label=$1; shift
    local paths=()
    for p in "$@"; do [ -d "$p" ] && ls "$p"/test_*.py >/dev/null 2>&1 && paths+=("$p"); done
    [ ${#paths[@]} = 0 ] && return 0
    $PY -m pytest -q -p no:cacheprovider --junitxml="$RES/$label.junit.xml" "${paths[@]}" \
        >"$RES/$label.log" 2>&1
    tail -n 25 "$RES/$label.log"
}

gcc_stage() {
    stage "build (gcc)"
    if ! build build; then record build-gcc fail; return 1; fi
    record build-gcc pass
    stage "unit tests"
    meson_suite build unit unit
    stage "integration tests (real ovsdb-server)"
    meson_suite build integration integration
    export L2GWD=$TOP/build/src/daemon/l2gwd L2GW=$TOP/build/src/cli/l2gw
    stage "switch manager tests (real ovsdb-server)"
    pytest_suite switch tests/integration tests/switch
    stage "API tests"
    pytest_suite api tests/api
    if [ -n "${L2GW_TEST_PG:-}" ]; then
        stage "API tests on PostgreSQL"
        L2GW_TEST_DB_URL=$L2GW_TEST_PG pytest_suite api-pg tests/api tests/compat
        # Its own PostgreSQL server: the suite restarts and stops it.
        stage "cluster tests (3 l2gwd nodes on PostgreSQL)"
        pytest_suite cluster tests/cluster
    fi
    stage "CLI tests"
    pytest_suite cli tests/cli
    stage "OpenStack client compatibility"
    pytest_suite compat tests/compat
    stage "end-to-end tests"
    if [ -x tests/e2e/run.sh ]; then
        tests/e2e/run.sh >"$RES/e2e.log" 2>&1
        tail -n 30 "$RES/e2e.log"
    fi
}

asan_stage() {
    stage "build (clang, ASan+UBSan)"
    if ! CC=clang build build-asan -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debug; then record build-asan fail; return 1; fi
    record build-asan pass
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    stage "unit tests (ASan+UBSan)"
    meson_suite build-asan unit unit-asan
    stage "integration tests (ASan+UBSan)"
    meson_suite build-asan integration integration-asan
    stage "API tests (ASan+UBSan)"
    L2GWD=$TOP/build-asan/src/daemon/l2gwd pytest_suite api-asan tests/api
    if [ -n "${L2GW_TEST_PG:-}" ]; then
        # Every node must exit 0 on SIGTERM: a leak or UB report fails it.
        stage "cluster tests (ASan+UBSan)"
        L2GWD=$TOP/build-asan/src/daemon/l2gwd pytest_suite cluster-asan tests/cluster
    fi
    unset ASAN_OPTIONS UBSAN_OPTIONS
}

fuzz_stage() {
    stage "fuzz targets (${FUZZ_SECONDS}s each)"
    local targets=() f
    for f in tests/fuzz/fuzz_*.c; do targets+=("tests/fuzz/$(basename "$f" .c)"); done
    if [ ! -f build-fuzz/build.ninja ] &&
        ! CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=disabled >"$RES/setup-fuzz.log" 2>&1; then
        cat "$RES/setup-fuzz.log"; record build-fuzz fail; return 1
    fi
    if ! ninja -C build-fuzz -j2 "${targets[@]}"; then record build-fuzz fail; return 1; fi
    for f in "${targets[@]}"; do
        local name; name=$(basename "$f"); f=build-fuzz/$f
        [ -f "$f" ] && [ -x "$f" ] || { record "fuzz-$name" fail; continue; }
        mkdir -p "$RES/corpus-$name"
        if "$f" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 "$RES/corpus-$name" \
            >"$RES/fuzz-$name.log" 2>&1; then
            record "fuzz-$name" pass; echo "$name: ok ($(grep -o 'Done [0-9]* runs' "$RES/fuzz-$name.log"))"
        else
            record "fuzz-$name" fail; tail -n 20 "$RES/fuzz-$name.log"
        fi
    done
}

pg_start
if [ $ASAN_ONLY = 1 ]; then
    asan_stage
else
    gcc_stage
    if [ $QUICK = 0 ]; then asan_stage; fuzz_stage; fi
fi
stage "summary"
$PY scripts/testsum.py "$RES"
