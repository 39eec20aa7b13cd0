#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/simulate.sh: generation speed and peak memory of `rampart simulate` (issue 4; see
# bench/README.md). No peer ships a simulator, so this prints absolute figures for one machine
# and, what matters, whether peak RSS stays flat as --days grows.
#
#     bench/simulate.sh [BUILD_DIR]                    default BUILD_DIR: build/release
#     SCALE=large DAYS="1 2" bench/simulate.sh         scale and the --days values to compare
#
# For each DAYS value: one run into a scratch directory, timed, with peak RSS from
# /usr/bin/time; output size from du. Prints days, seconds, MB written, MB/s, peak RSS MiB.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
scale=${SCALE:-small}
days_list=${DAYS:-"7 30"}
rampart=$build/src/cmd/rampart
[ -x "$rampart" ] || { echo "simulate.sh: $rampart not built; run: make" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "simulate.sh: /usr/bin/time is not installed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "scale $scale, seed 1, all generators and scenarios"
printf '%6s %10s %10s %8s %14s\n' days seconds MB MB/s "peak RSS MiB"
for d in $days_list; do
    rm -rf "$work/out"
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$rampart" -q simulate --out "$work/out" \
        --scale "$scale" --days "$d" --seed 1 >/dev/null
    t1=$(date +%s%N)
    mb=$(du -sm "$work/out" | cut -f1)
    awk -v d="$d" -v ns=$((t1 - t0)) -v mb="$mb" -v rss="$(tail -n 1 "$work/rss")" 'BEGIN {
        s = ns / 1e9; printf "%6d %10.1f %10d %8.1f %14.0f\n", d, s, mb, mb / s, rss / 1024 }'
done
