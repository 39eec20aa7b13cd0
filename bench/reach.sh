#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/reach.sh: network reachability over a generated estate (issue 9's floor: 10,000
# instances in 200 VPCs in <= 10 s; DESIGN.md §11).
#
#     bench/reach.sh [BUILD_DIR]              default BUILD_DIR: build/release
#     RUNS=5 INSTANCES=10000 VPCS=200 bench/reach.sh
#
# Input, made once under bench/out/reach-<INSTANCES>x<VPCS>/ by bench_gen_reach
# (deterministic): Config snapshot files with the VPCs, subnets, route tables, gateways,
# network ACLs, security groups (with group references), instances and their interfaces,
# load balancers, databases, VPN connections and peerings. Ingested once into a fresh store
# (timed apart), then `rampart reach --format csv` (load the model from the store, compute
# every exposure, print it) runs RUNS times: the median wall time (process start included) and
# the peak RSS are printed against the floor. No peer: no open-source tool computes this.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-5}
ninst=${INSTANCES:-10000}
nvpc=${VPCS:-200}
out=$root/bench/out/reach-${ninst}x${nvpc}
gen=$build/bench/bench_gen_reach
rampart=$build/src/cmd/rampart
for b in "$gen" "$rampart"; do
    [ -x "$b" ] || { echo "reach.sh: $b not built; run: make" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "reach.sh: /usr/bin/time is not installed" >&2; exit 1; }

now_ms() { date +%s%3N; }

if [ ! -f "$out.complete" ]; then
    rm -rf "$out" "$out.db" "$out.db-wal" "$out.db-shm"
    "$gen" "$out" "$ninst" "$nvpc"
    t0=$(now_ms)
    "$rampart" -q --db "$out.db" ingest "$out" >/dev/null
    t1=$(now_ms)
    echo "ingest_ms=$((t1 - t0)) bytes=$(cat "$out"/*.json | wc -c)" >"$out.complete"
fi

times=()
rss=0
rows=""
for i in $(seq "$runs"); do
    t0=$(now_ms)
    /usr/bin/time -f '%M' -o "$out.rss" "$rampart" -q --db "$out.db" --format csv reach \
        >"$out.csv"
    t1=$(now_ms)
    times+=($((t1 - t0)))
    r=$(tail -n 1 "$out.rss")
    [ "$r" -gt "$rss" ] && rss=$r
    n=$(($(wc -l <"$out.csv") - 1))
    [ -z "$rows" ] && rows=$n
    [ "$n" = "$rows" ] || { echo "reach.sh: runs disagree ($n rows against $rows)" >&2; exit 1; }
done
[ "$rows" -gt 0 ] || { echo "reach.sh: nothing reachable" >&2; exit 1; }
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
echo "input: $ninst instances in $nvpc VPCs; $(cat "$out.complete")"
echo "reach: median ${median} ms over $runs runs (all: ${times[*]}), peak RSS $((rss / 1024)) MiB, $rows exposures"
if [ "$median" -le 10000 ]; then
    echo "floor: <= 10 s: ok"
else
    echo "floor: <= 10 s: MISSED"
fi
