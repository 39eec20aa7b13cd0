#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/ingest.sh: CloudTrail ingest speed and memory against jq and a minimal SQLite insert loop
# (issue 3, DESIGN.md §11; see bench/README.md).
#
#     bench/ingest.sh [BUILD_DIR]              default BUILD_DIR: build/release
#     RUNS=3 MB=1024 FILE_MB=16 bench/ingest.sh
#
# Input: an S3-layout tree of generated CloudTrail delivery files (.json.gz), MB megabytes
# uncompressed in files of FILE_MB, made once under bench/out/ and reused. Each run, in turn:
#   jq       gzip -dc FILES | jq -c '.Records[]'       (the usual shell pipeline)
#   parse    bench_ingest_parse cloudtrail FILES       (Rampart's parse path, one thread, no store)
#   ingest   rampart ingest TREE into a fresh store     (everything, both cores; peak RSS too)
#   insert   bench_sqlite_insert: the rows ingest stored, inserted by a minimal C loop
# and prints the medians with the budgets' ratios: parse >= 10x jq, ingest >= 0.5x insert,
# peak RSS <= 512 MiB. All must agree on the record count or the script fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-3}
mb=${MB:-1024}
file_mb=${FILE_MB:-16}
nfiles=$(((mb + file_mb - 1) / file_mb))
outdir=$root/bench/out
tree=$outdir/ct-tree-${mb}mb
acct=111122223333

gen=$build/bench/bench_gen_cloudtrail
parse=$build/bench/bench_ingest_parse
insert=$build/bench/bench_sqlite_insert
rampart=$build/src/cmd/rampart
for b in "$gen" "$parse" "$insert" "$rampart"; do
    [ -x "$b" ] || { echo "ingest.sh: $b not built; run: make" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "ingest.sh: jq is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "ingest.sh: /usr/bin/time is not installed" >&2; exit 1; }

if [ ! -f "$tree.complete" ]; then
    echo "ingest.sh: generating $nfiles files of ${file_mb} MB under $tree" >&2
    rm -rf "$tree"
    for ((i = 0; i < nfiles; i++)); do
        day=$(printf '%02d' $((1 + i % 28)))
        hh=$(printf '%02d' $((i / 28 % 24)))
        d=$tree/AWSLogs/$acct/CloudTrail/us-east-1/2024/03/$day
        mkdir -p "$d"
        "$gen" --mb "$file_mb" --seed $((1000 + i)) --gzip \
            "$d/${acct}_CloudTrail_us-east-1_202403${day}T${hh}00Z_bench$(printf '%08d' "$i").json.gz" \
            >/dev/null
    done
    touch "$tree.complete"
fi
mapfile -t files < <(find "$tree" -name '*.json.gz' | sort)
decoded=$(for f in "${files[@]}"; do gzip -l "$f" | awk 'NR==2 {print $2}'; done |
    awk '{s += $1} END {print s}')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A times
rss_kb=0
count_jq= count_parse= count_ingest=

ms() { echo $(($(date +%s%N) / 1000000)); }

for ((run = 1; run <= runs; run++)); do
    t0=$(ms)
    count_jq=$(gzip -dc "${files[@]}" | jq -c '.Records[]' | wc -l)
    t1=$(ms)
    times[jq]+="$((t1 - t0)) "

    t0=$(ms)
    out=$("$parse" cloudtrail "${files[@]}")
    t1=$(ms)
    times[parse]+="$((t1 - t0)) "
    count_parse=$(echo "$out" | sed 's/.*records=\([0-9]*\).*/\1/')

    rm -f "$work"/db*
    t0=$(ms)
    /usr/bin/time -f '%M' -o "$work/rss" "$rampart" -q --db "$work/db" ingest "$tree" >/dev/null
    t1=$(ms)
    times[ingest]+="$((t1 - t0)) "
    r=$(tail -n 1 "$work/rss")
    ((r > rss_kb)) && rss_kb=$r
    count_ingest=$(sqlite3 "$work/db" 'SELECT count(*) FROM cloudtrail_logs')

    out=$("$insert" "$work/db" "$work/db2" cloudtrail_logs cloudtrail_resources)
    secs=$(echo "$out" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
    times[insert]+="$(awk -v s="$secs" 'BEGIN {printf "%d", s * 1000}') "
    last() { set -- $1; eval "echo \${$#}"; }
    echo "run $run (ms): jq $(last "${times[jq]}") parse $(last "${times[parse]}")" \
        "ingest $(last "${times[ingest]}") insert $(last "${times[insert]}")" >&2
done

if [ "$count_jq" != "$count_parse" ] || [ "$count_jq" != "$count_ingest" ]; then
    echo "ingest.sh: record counts differ: jq $count_jq, parse $count_parse, ingest $count_ingest" >&2
    exit 1
fi

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
mj=$(median "${times[jq]}")
mp=$(median "${times[parse]}")
mi=$(median "${times[ingest]}")
ml=$(median "${times[insert]}")
mbd=$(awk -v b="$decoded" 'BEGIN {printf "%.0f", b / 1048576}')

echo "input: ${#files[@]} files, $count_ingest records, $mbd MiB decoded; median of $runs runs"
printf '%-8s %10s %12s %10s\n' program ms records/s MiB/s
for p in jq parse ingest insert; do
    m=$(median "${times[$p]}")
    awk -v n="$p" -v m="$m" -v r="$count_ingest" -v b="$decoded" 'BEGIN {
        printf "%-8s %10d %12.0f %10.1f\n", n, m, r / (m / 1000), b / 1048576 / (m / 1000) }'
done
awk -v j="$mj" -v p="$mp" -v i="$mi" -v l="$ml" -v rss="$rss_kb" 'BEGIN {
    printf "parse-only vs jq:        %.1fx faster (floor 10x)\n", j / p
    printf "ingest vs insert loop:   %.2fx the loop'"'"'s speed (floor 0.5x)\n", l / i
    printf "ingest peak RSS:         %.0f MiB (ceiling 512 MiB)\n", rss / 1024 }'
