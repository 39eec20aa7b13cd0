#!/bin/sh
# Runs every built libFuzzer target for a bounded time over its seed corpus
# (tests/fuzz/corpus/<target>/), in a scratch copy so the tree is not modified.
# usage: run.sh BUILD_DIR SECONDS
set -eu
build=$1
secs=$2
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
for bin in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    mkdir -p "$scratch/$name"
    if [ -d "$here/corpus/$name" ]; then cp "$here/corpus/$name"/* "$scratch/$name"/ 2>/dev/null || true; fi
    echo "fuzz: $name for ${secs}s"
    if ! "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="$scratch/" "$scratch/$name" >"$scratch/$name.log" 2>&1; then
        tail -n 40 "$scratch/$name.log"
        echo "fuzz: $name FAILED"
        status=1
    else
        grep -E '^#[0-9]+.*(DONE|pulse)' "$scratch/$name.log" | tail -n 1 || true
    fi
done
exit $status
