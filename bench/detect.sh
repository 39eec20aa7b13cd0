#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/detect.sh: threat detection speed and memory (issue 5; see bench/README.md).
#
#     bench/detect.sh [BUILD_DIR]        default BUILD_DIR: build/release
#     RUNS=3 CT_EVENTS=5000000 FLOW_RECORDS=20000000 PRINCIPALS=10000 bench/detect.sh
#     CT_DAYS=14 CT_FILES=2016 FLOW_DAYS=10 FLOW_FILES=1440 ENIS=2000 STORE_EVENTS=5000000
#
# Input, made once under bench/out/ by bench_gen_events (deterministic) and reused (delete a
# .complete file to redo it): an S3-layout CloudTrail tree of CT_EVENTS management events by
# PRINCIPALS IAM users over CT_DAYS days, a second one with 10 users and as many events per user
# (for the memory per baselined principal), and a VPC Flow Logs tree of FLOW_RECORDS records of
# ENIS interfaces over FLOW_DAYS days; all gzip. Each holds planted activity (StopLogging, root
# calls, a Kali user agent, anomalous calls; SSH brute force, a port scan, a mining connection,
# unusual ports) whose finding types must come out, or the script fails.
#
# Each run, in turn: jq applying one select over the CloudTrail tree; `rampart detect --stream`
# over the same tree, with --db naming no file (so no store: stream mode, nothing stored); the
# same over the 10-user tree; the same over the flow tree. Medians of RUNS runs: wall time,
# CPU time (user + sys of the whole process tree, from /usr/bin/time), events/s per core
# (events / CPU seconds) and wall, peak RSS; the ratio jq / rampart against issue 5's floor
# (>= 20x jq) and the bytes per baselined principal. Then once: the CloudTrail tree (or, with
# STORE_EVENTS below CT_EVENTS or too little disk for its store, every Nth file, so that the
# events still span CT_DAYS days) ingested into a fresh store and `rampart detect` over it
# (ingest timed apart); the store is deleted after. STORE_EVENTS=0 skips this step. rampart
# must read every record (its summary counts equal the generated counts) and jq must find every
# planted StopLogging call, or the script fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-3}
ct_events=${CT_EVENTS:-5000000}
flow_records=${FLOW_RECORDS:-20000000}
principals=${PRINCIPALS:-10000}
ct_days=${CT_DAYS:-14}
ct_files=${CT_FILES:-2016}
flow_days=${FLOW_DAYS:-10}
flow_files=${FLOW_FILES:-1440}
enis=${ENIS:-2000}
store_events=${STORE_EVENTS:-$ct_events}
out=$root/bench/out
gen=$build/bench/bench_gen_events
rampart=$build/src/cmd/rampart
for b in "$gen" "$rampart"; do
    [ -x "$b" ] || { echo "detect.sh: $b not built; run: make release" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "detect.sh: jq is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "detect.sh: /usr/bin/time is not installed" >&2; exit 1; }
[ "$principals" -gt 10 ] || { echo "detect.sh: PRINCIPALS must be more than 10" >&2; exit 1; }

ct=$out/detect-ct-$ct_events-p$principals-f$ct_files-d$ct_days
small_events=$((10 * ct_events / principals))
small_files=$((ct_files * 10 / principals)) # as many events a file: the same buffers
[ "$small_files" -ge 1 ] || small_files=1
ct10=$out/detect-ct-$small_events-p10-f$small_files-d$ct_days
flow=$out/detect-flow-$flow_records-e$enis-f$flow_files-d$flow_days
nodb=$out/detect-no-store.db # never created: --stream without a store
db=$out/detect-store.db
mkdir -p "$out"
rm -f "$nodb"

# make_set DIR ARGS...: bench_gen_events ARGS DIR once; DIR.manifest holds its key=value lines
make_set() {
    local dir=$1
    shift
    [ -f "$dir.complete" ] && return
    rm -rf "$dir" "$dir.manifest"
    echo "detect.sh: generating ${dir#"$root"/}" >&2
    "$gen" "$@" "$dir" >"$dir.manifest.tmp"
    mv "$dir.manifest.tmp" "$dir.manifest"
    touch "$dir.complete"
}
make_set "$ct" cloudtrail --records "$ct_events" --files "$ct_files" --principals "$principals" \
    --days "$ct_days"
make_set "$ct10" cloudtrail --records "$small_events" --files "$small_files" --principals 10 \
    --days "$ct_days"
make_set "$flow" flow --records "$flow_records" --files "$flow_files" --enis "$enis" \
    --days "$flow_days"
mf() { sed -n "s/^$2=//p" "$1.manifest"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f "$db" "$db-wal" "$db-shm"' EXIT
declare -A wall cpu rss

# timed NAME CMD: run the shell command CMD (stdout to $tmp/NAME.out, stderr to $tmp/NAME.err)
# and add its wall ms, CPU ms (user + sys of all its processes) and peak RSS (KiB) to NAME's lists
timed() {
    local name=$1 cmd=$2 t0 t1 u s m
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S %M' -o "$tmp/time" bash -c "$cmd" >"$tmp/$name.out" \
        2>"$tmp/$name.err"; then
        echo "detect.sh: $name failed:" >&2
        tail -n 5 "$tmp/$name.err" >&2
        exit 1
    fi
    t1=$(date +%s%N)
    read -r u s m < <(tail -n 1 "$tmp/time")
    wall[$name]+="$(((t1 - t0) / 1000000)) "
    cpu[$name]+="$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000}') "
    rss[$name]+="$m "
}

median() {
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n |
        awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

# summary NAME SOURCE: the count of SOURCE ("CloudTrail", "flow") events in NAME's summary line
summary() {
    grep '^rampart: detect: ' "$tmp/$1.err" | grep -o "[0-9][0-9]* $2[,;]" | head -n 1 |
        sed 's/ .*//'
}

# check_run NAME SOURCE SET: the summary counted every record of SET
check_run() {
    local n
    n=$(summary "$1" "$2")
    if [ "$n" != "$(mf "$3" records)" ]; then
        echo "detect.sh: $1 read ${n:-no} $2 events, $(mf "$3" records) were generated:" >&2
        cat "$tmp/$1.err" >&2
        exit 1
    fi
}

jq_cmd="find '$ct' -name '*.json.gz' -print0 | sort -z | xargs -0 gzip -dc |
    jq -c '.Records[] | select(.eventName == \"StopLogging\")'"
rp_cmd() { echo "'$rampart' --db '$nodb' --format json detect --stream '$1'"; }

for ((run = 1; run <= runs; run++)); do
    timed jq "$jq_cmd"
    n=$(wc -l <"$tmp/jq.out")
    [ "$n" = "$(mf "$ct" planted_stop_logging)" ] ||
        { echo "detect.sh: jq found $n StopLogging calls, $(mf "$ct" planted_stop_logging) were planted" >&2; exit 1; }
    timed ct "$(rp_cmd "$ct")"
    check_run ct CloudTrail "$ct"
    timed ct10 "$(rp_cmd "$ct10")"
    check_run ct10 CloudTrail "$ct10"
    timed flow "$(rp_cmd "$flow")"
    check_run flow flow "$flow"
    echo "detect.sh: run $run/$runs done" >&2
done
[ ! -e "$nodb" ] || { echo "detect.sh: the stream runs created $nodb" >&2; exit 1; }

# findings NAME SET: the finding types of NAME's last run, counted; fails when an expected one
# is missing
findings() {
    local t missing=""
    jq -r '.[].Type' "$tmp/$1.out" | sort | uniq -c | sort -k2 >"$tmp/$1.types"
    for t in $(mf "$2" expect); do
        grep -q " $t\$" "$tmp/$1.types" || missing+=" $t"
    done
    printf '  findings: %d (' "$(jq length "$tmp/$1.out")"
    awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}' "$tmp/$1.types"
    echo ")"
    if [ -n "$missing" ]; then
        echo "detect.sh: $1: no finding of the planted type(s)$missing" >&2
        exit 1
    fi
}

declare -A mw mc mr
for k in jq ct ct10 flow; do
    mw[$k]=$(median "${wall[$k]}")
    mc[$k]=$(median "${cpu[$k]}")
    mr[$k]=$(median "${rss[$k]}")
done
# line NAME LABEL EVENTS
line() {
    awk -v n="$3" -v w="${mw[$1]}" -v c="${mc[$1]}" -v r="${mr[$1]}" -v l="$2" \
        -v ws="${wall[$1]% }" -v cs="${cpu[$1]% }" 'BEGIN {
        printf "  %-34s wall %8d ms (%s)  cpu %8d ms (%s)\n", l, w, ws, c, cs
        printf "  %-34s %10.0f events/s per core, %10.0f events/s wall, peak RSS %d MiB\n", "",
            n / (c / 1000), n / (w / 1000), r / 1024
    }'
}

ctn=$(mf "$ct" records)
echo "Threat detection benchmark, $runs runs each, medians (machine: $(nproc) cores)"
echo "CloudTrail: ${ct#"$root"/}: $ctn events, $(mf "$ct" files) files, $principals principals," \
    "$ct_days days, $(($(mf "$ct" bytes) >> 20)) MiB of JSON ($(($(mf "$ct" bytes_gz) >> 20)) MiB gzip)"
line jq "jq select (gzip -dc | jq 1.6)" "$ctn"
line ct "rampart detect --stream" "$ctn"
findings ct "$ct"
awk -v jw="${mw[jq]}" -v rw="${mw[ct]}" -v jc="${mc[jq]}" -v rc="${mc[ct]}" 'BEGIN {
    printf "  jq / rampart: %.1fx wall, %.1fx CPU time  (floor >= 20x): %s\n", jw / rw, jc / rc,
        (jw / rw >= 20 ? "met" : "MISSED")
}'
fn=$(mf "$flow" records)
echo "Flow: ${flow#"$root"/}: $fn records, $(mf "$flow" files) files, $enis interfaces," \
    "$flow_days days, $(($(mf "$flow" bytes) >> 20)) MiB of text ($(($(mf "$flow" bytes_gz) >> 20)) MiB gzip)"
line flow "rampart detect --stream" "$fn"
findings flow "$flow"
echo "Baselines: ${ct10#"$root"/}: $(mf "$ct10" records) events of 10 principals"
line ct10 "rampart detect --stream" "$(mf "$ct10" records)"
awk -v a="${mr[ct]}" -v b="${mr[ct10]}" -v p="$principals" 'BEGIN {
    printf "  peak RSS %d MiB with %d principals, %d MiB with 10: %.0f bytes per principal\n",
        a / 1024, p, b / 1024, (a - b) * 1024 / (p - 10)
}'

# ---- the store path, once ----------------------------------------------------------------------
# Every Nth file, so that the events still span CT_DAYS days; fewer when the disk has no room
# for the store (about 2 KiB a CloudTrail row; 3 KiB counted, and 1 GiB left to spare).
if [ "$store_events" = 0 ]; then
    echo "Store: skipped (STORE_EVENTS=0)"
    exit 0
fi
avail_kb=$(df -Pk "$out" | awk 'NR == 2 {print $4}')
fit=$(((avail_kb - 1048576) / 3))
note=""
if [ "$fit" -lt "$store_events" ]; then
    note=" (fewer than STORE_EVENTS=$store_events: $((avail_kb >> 10)) MiB free on the disk)"
    store_events=$fit
fi
if [ "$store_events" -lt 10000 ]; then
    echo "Store: skipped, $((avail_kb >> 10)) MiB free on the disk"
    exit 0
fi
step=$(((ct_events + store_events - 1) / store_events))
mapfile -t sel < <(find "$ct" -name '*.json.gz' | sort | awk -v s="$step" '(NR - 1) % s == 0')
if [ "$step" = 1 ]; then
    sel=("$ct")
    echo "Store: the $(mf "$ct" files) CloudTrail files ingested into a fresh store, then rampart detect"
else
    echo "Store: ${#sel[@]} of the $(mf "$ct" files) CloudTrail files (every ${step}th)$note" \
        "ingested into a fresh store, then rampart detect"
fi
rm -f "$db" "$db-wal" "$db-shm"
timed ingest "'$rampart' -q --db '$db' ingest $(printf '%q ' "${sel[@]}")"
sn=$("$rampart" -q --db "$db" --format csv query "SELECT count(*) FROM cloudtrail_logs" | tail -n 1)
timed store "'$rampart' --db '$db' --format json detect"
n=$(summary store CloudTrail)
[ "$n" = "$sn" ] || { echo "detect.sh: detect read ${n:-no} events, the store holds $sn" >&2; exit 1; }
[ "$step" != 1 ] || [ "$sn" = "$ctn" ] ||
    { echo "detect.sh: the store holds $sn events, $ctn were generated" >&2; exit 1; }
size=$(du -k "$db" | cut -f 1)
for k in ingest store; do mw[$k]=${wall[$k]% }; mc[$k]=${cpu[$k]% }; mr[$k]=${rss[$k]% }; done
echo "  store: $sn events, $((size >> 10)) MiB (deleted after)"
line ingest "rampart ingest" "$sn"
line store "rampart detect (store)" "$sn"
echo "  findings: $(jq length "$tmp/store.out") ($(jq -r '.[].Type' "$tmp/store.out" | sort -u | wc -l) types)"
