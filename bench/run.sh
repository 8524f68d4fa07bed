#!/bin/bash
# bench/run.sh: runs every benchmark of bench/ (each bench/*/run.sh, in
# name order, with its default options) and says which did not complete.
# Env: BUILD (default build), passed on to each run.sh, as is the rest of
# the environment (see each run.sh).  Takes no arguments: benchmarks have
# different options; run a bench/*/run.sh directly to pass some.
# Exit status: 0 if every benchmark ran to the end, 1 otherwise.
set -u
if [ $# -gt 0 ]; then
    echo "usage: bench/run.sh  (no arguments; see bench/README.md)" >&2
    exit 2
fi
cd "$(dirname "$0")"
export BUILD=${BUILD:-build}
found=0
failed=()
for script in */run.sh; do
    [ -f "$script" ] || continue
    found=$((found + 1))
    name=${script%/run.sh}
    printf '\n==== bench/%s ====\n' "$name"
    if ! bash "$script"; then
        failed+=("$name")
    fi
done
if [ "$found" = 0 ]; then
    echo "bench/run.sh: no bench/*/run.sh found" >&2
    exit 1
fi
printf '\n%d benchmark(s) run' "$found"
if [ ${#failed[@]} -gt 0 ]; then
    printf ', failed: %s\n' "${failed[*]}"
    exit 1
fi
printf ', all completed\n'
