#!/bin/sh
# Runs every built libFuzzer target for a bounded time over its seed corpus
# (tests/fuzz/corpus/<target>/), in a scratch copy so the tree is not modified.
# usage: run.sh BUILD_DIR SECONDS
# The seed is fixed (FUZZ_SEED, default 1) so that a run is repeatable: the same binary meets
# the same inputs in the same order, and a failure seen in CI is met again here. Set
# FUZZ_SEED=0 for a random seed (exploration, `make fuzz-smoke FUZZ_SEED=0`).
set -eu
build=$1
secs=$2
seed=${FUZZ_SEED:-1}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
failed=""
for bin in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    mkdir -p "$scratch/$name"
    if [ -d "$here/corpus/$name" ]; then cp "$here/corpus/$name"/* "$scratch/$name"/ 2>/dev/null || true; fi
    echo "fuzz: $name for ${secs}s"
    if ! "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -seed="$seed" \
        -artifact_prefix="$scratch/$name-" "$scratch/$name" >"$scratch/$name.log" 2>&1; then
        tail -n 40 "$scratch/$name.log"
        echo "fuzz: $name FAILED"
        failed="$failed $name"
        status=1
    else
        grep -E '^#[0-9]+.*(DONE|pulse)' "$scratch/$name.log" | tail -n 1 || true
    fi
done
# CI keeps only the tail of the output: name the failures again at the end, with the first
# crashing input in base64 so that it can be replayed (base64 -d > crash; ./fuzz_X crash).
for name in $failed; do
    echo "fuzz: FAILED: $name"
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$scratch/$name.log" | head -n 5 || true
    for a in "$scratch/$name-"crash-* "$scratch/$name-"oom-* "$scratch/$name-"leak-* "$scratch/$name-"timeout-* "$scratch/$name-"slow-unit-*; do
        [ -f "$a" ] || continue
        echo "fuzz: $name input $(basename "$a") ($(wc -c <"$a") bytes), base64:"
        head -c 4096 "$a" | base64 -w 0
        echo
    done
done
exit $status
