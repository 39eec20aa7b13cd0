#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/json.sh: JSON parsing speed of rp_json against raw simdjson and jq (see bench/README.md).
#
#     bench/json.sh [BUILD_DIR]        default BUILD_DIR: build/release
#     RUNS=5 MB=200 bench/json.sh      runs per program (median reported), file size in MB
#
# Every program reads the same CloudTrail-shaped file (one {"Records":[...]} document, made
# once in bench/out/ and reused) and prints each record's eventName, or a count and hash of
# them. Programs are run in turn, alternating, RUNS times each; the median wall time of each is
# printed, with the ratios that DESIGN.md budgets: rp_json within 1.25x of raw simdjson DOM, and
# at least 10x faster than jq. All programs must agree on the record count (and the two
# simdjson-based ones on the hash of the names), or the script fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-5}
mb=${MB:-200}
outdir=$root/bench/out
data=$outdir/cloudtrail-${mb}mb.json

rp=$build/bench/bench_json_rp
raw=$build/bench/bench_json_raw
gen=$build/bench/bench_gen_cloudtrail
for b in "$rp" "$raw" "$gen"; do
    if [ ! -x "$b" ]; then
        echo "json.sh: $b not built; run: cmake --preset release && cmake --build build/release" >&2
        exit 1
    fi
done
command -v jq >/dev/null || { echo "json.sh: jq is not installed" >&2; exit 1; }

mkdir -p "$outdir"
if [ ! -s "$data" ]; then
    echo "json.sh: generating $data" >&2
    "$gen" --mb "$mb" --seed 1 "$data.tmp" >/dev/null
    mv "$data.tmp" "$data"
fi

# name|command; each command prints "<count>" or "<count> <hash>" on stdout
progs=(
    "jq|jq -r '.Records[].eventName' '$data' | wc -l"
    "raw simdjson DOM|'$raw' '$data'"
    "raw simdjson On-Demand|'$raw' --ondemand '$data'"
    "rp_json (Rampart C API)|'$rp' '$data'"
)
declare -A times outs
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

for ((run = 1; run <= runs; run++)); do
    for p in "${progs[@]}"; do
        name=${p%%|*}
        cmd=${p#*|}
        t0=$(date +%s%N)
        bash -c "$cmd" >"$tmp"
        t1=$(date +%s%N)
        times[$name]+="$(((t1 - t0) / 1000000)) "
        outs[$name]=$(tr -s ' \n' '  ' <"$tmp" | sed 's/ *$//')
    done
    echo "json.sh: run $run/$runs done" >&2
done

median() {
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n |
        awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

count=${outs[jq]}
fail=0
for p in "${progs[@]}"; do
    name=${p%%|*}
    c=${outs[$name]%% *}
    if [ "$c" != "$count" ]; then
        echo "json.sh: $name counted $c records, jq $count" >&2
        fail=1
    fi
done
if [ "${outs[raw simdjson DOM]}" != "${outs[rp_json (Rampart C API)]}" ] ||
   [ "${outs[raw simdjson DOM]}" != "${outs[raw simdjson On-Demand]}" ]; then
    echo "json.sh: eventName hashes differ" >&2
    fail=1
fi
[ $fail = 0 ] || exit 1

bytes=$(stat -c %s "$data")
printf 'JSON benchmark: %s (%d MB, %s records), %d runs each, median wall time\n' \
    "${data#"$root"/}" $((bytes >> 20)) "$count" "$runs"
declare -A med
for p in "${progs[@]}"; do
    name=${p%%|*}
    med[$name]=$(median "${times[$name]}")
    printf '  %-26s %7d ms  %7.0f MB/s   (runs: %s)\n' "$name" "${med[$name]}" \
        "$(awk -v b="$bytes" -v m="${med[$name]}" 'BEGIN {print m ? b / 1048576 * 1000 / m : 0}')" \
        "${times[$name]% }"
done
rp_ms=${med[rp_json (Rampart C API)]}
awk -v rp="$rp_ms" -v dom="${med[raw simdjson DOM]}" -v od="${med[raw simdjson On-Demand]}" \
    -v jq="${med[jq]}" 'BEGIN {
    r1 = rp / dom; r2 = jq / rp
    ok1 = r1 <= 1.25 ? "ok" : "OVER"
    ok2 = r2 >= 10 ? "ok" : "UNDER"
    printf "rp_json / raw DOM:       %.2fx  (budget <= 1.25x)  %s\n", r1, ok1
    printf "jq / rp_json:            %.1fx  (budget >= 10x)    %s\n", r2, ok2
    printf "rp_json / raw On-Demand: %.2fx  (reference only)\n", (rp / od)
}'
