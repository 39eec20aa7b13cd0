#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/query.sh: five analyst queries over >= 5 million ingested CloudTrail events, through
# `rampart query` and through DuckDB over the same events as JSON Lines (issue 10; see
# bench/README.md).
#
#     bench/query.sh [BUILD_DIR]                 default BUILD_DIR: build/release
#     RUNS=3 MB=7424 FILE_MB=16 bench/query.sh   runs (median kept), input size, file size
#     DUCKDB_MODE=file bench/query.sh            DuckDB reads the file in every query instead
#     QUERY_WITH=sqlite3 bench/query.sh          the sqlite3 CLI stands in for rampart query
#
# Input, made once under bench/out/ and reused (delete the .complete file to redo a step):
#   ct-tree-<MB>mb/      S3-layout tree of generated delivery files, as bench/ingest.sh makes
#                        it (same names and seeds; the default 7,424 MB holds ~5.05M events)
#   query-5m.db          `rampart ingest` of the tree (query-<MB>mb.db for another MB)
#   query-5m.jsonl       the store's events as JSON Lines with CloudTrail's field names,
#                        nested objects nested, exported by the sqlite3 CLI
# DuckDB (the npm package @duckdb/node-api, installed into bench/node_modules by npm ci)
# runs in one Node.js process (bench/query_duckdb.mjs) that loads the JSON Lines into an
# in-memory table once (timed apart); rampart runs as one process per query. One untimed
# warm-up pass, then RUNS passes; each pass runs every query on DuckDB and then on rampart.
# Every pass checks that both return the same rows (the script fails otherwise) and that the
# selective queries return some. Prints the medians, the ratio rampart / DuckDB per query
# against the issue's goals (within 2x on each, faster on the selective ones) and peak RSS.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-3}
mb=${MB:-7424}
file_mb=${FILE_MB:-16}
mode=${DUCKDB_MODE:-table}
with=${QUERY_WITH:-rampart}
nfiles=$(((mb + file_mb - 1) / file_mb))
outdir=$root/bench/out
tree=$outdir/ct-tree-${mb}mb
acct=111122223333
stem=$outdir/query-${mb}mb
[ "$mb" = 7424 ] && stem=$outdir/query-5m
db=$stem.db
jsonl=$stem.jsonl

die() {
    echo "query.sh: $*" >&2
    exit 1
}
[[ $runs =~ ^[1-9][0-9]*$ && $mb =~ ^[1-9][0-9]*$ && $file_mb =~ ^[1-9][0-9]*$ ]] ||
    die "RUNS, MB and FILE_MB must be positive integers"
[[ $mode == table || $mode == file ]] || die "DUCKDB_MODE must be table or file"
[[ $with == rampart || $with == sqlite3 ]] || die "QUERY_WITH must be rampart or sqlite3"

gen=$build/bench/bench_gen_cloudtrail
rampart=$build/src/cmd/rampart
for b in "$gen" "$rampart"; do
    [ -x "$b" ] || die "$b not built; run: cmake --preset release && cmake --build build/release"
done
for c in node npm sqlite3; do
    command -v $c >/dev/null || die "$c is not installed"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed"
if [ "$with" = rampart ] && ! "$rampart" help query >/dev/null 2>&1; then
    die "$rampart has no 'query' command; QUERY_WITH=sqlite3 runs the sqlite3 CLI in its place"
fi

ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- data --------------------------------------------------------------------------------
mkdir -p "$outdir"
if [ ! -f "$tree.complete" ]; then
    echo "query.sh: generating $nfiles files of ${file_mb} MB under $tree" >&2
    rm -rf "$tree"
    for ((i = 0; i < nfiles; i++)); do
        day=$(printf '%02d' $((1 + i % 28)))
        hh=$(printf '%02d' $((i / 28 % 24)))
        d=$tree/AWSLogs/$acct/CloudTrail/us-east-1/2024/03/$day
        mkdir -p "$d"
        "$gen" --mb "$file_mb" --seed $((1000 + i)) --gzip \
            "$d/${acct}_CloudTrail_us-east-1_202403${day}T${hh}00Z_bench$(printf '%08d' "$i").json.gz" \
            >/dev/null 2>&1
    done
    touch "$tree.complete"
fi

if [ ! -f "$db.complete" ]; then
    echo "query.sh: ingesting $tree into $db (once)" >&2
    rm -f "$db" "$db-wal" "$db-shm"
    t0=$(ms)
    /usr/bin/time -f '%M' -o "$db.rss" "$rampart" -q --db "$db" ingest "$tree" >/dev/null
    t1=$(ms)
    n=$(sqlite3 -readonly "$db" 'SELECT count(*) FROM cloudtrail_logs')
    echo "events=$n ingest_ms=$((t1 - t0)) ingest_rss_kb=$(tail -n 1 "$db.rss")" >"$db.complete"
    rm -f "$db.rss"
fi
# a store kept from an older build gets the current schema (and its indexes) first
"$rampart" -q --db "$db" db migrate >/dev/null
events=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' "$db.complete")
[ -n "$events" ] || die "$db.complete is malformed; delete it to ingest again"

# JSON Lines with the store's (CloudTrail's) field names. Text stays text, the JSON columns
# are embedded as JSON (nested objects), readOnly and managementEvent become booleans again;
# the rp_ columns (Rampart's own) are left out: DuckDB gets CloudTrail's events, no more.
if [ ! -f "$jsonl.complete" ]; then
    echo "query.sh: exporting $db to $jsonl (once)" >&2
    text='eventVersion eventTime eventSource eventName awsRegion sourceIPAddress userAgent
          errorCode errorMessage requestID eventID eventType apiVersion recipientAccountId
          sharedEventID vpcEndpointId eventCategory sessionCredentialFromConsole'
    json='userIdentity requestParameters responseElements additionalEventData resources
          serviceEventDetails addendum edgeDeviceDetails tlsDetails insightDetails'
    bool='managementEvent readOnly'
    args=
    for c in $text; do args+="'$c', $c, "; done
    for c in $json; do args+="'$c', json($c), "; done
    for c in $bool; do
        args+="'$c', CASE $c WHEN 1 THEN json('true') WHEN 0 THEN json('false') END, "
    done
    t0=$(ms)
    sqlite3 -readonly "$db" "SELECT json_object(${args%, }) FROM cloudtrail_logs" >"$jsonl.tmp"
    t1=$(ms)
    mv "$jsonl.tmp" "$jsonl"
    n=$(wc -l <"$jsonl")
    [ "$n" = "$events" ] || die "$jsonl has $n lines, the store $events events"
    echo "rows=$n export_ms=$((t1 - t0)) bytes=$(stat -c %s "$jsonl")" >"$jsonl.complete"
fi
jsonl_bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$jsonl.complete")

if [ ! -f "$root/bench/node_modules/@duckdb/node-api/package.json" ]; then
    echo "query.sh: npm ci in bench/ (@duckdb/node-api)" >&2
    (cd "$root/bench" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

# ---- queries -----------------------------------------------------------------------------
# Each: name, selective (the goal is to be faster there), title, rampart SQL, DuckDB SQL.
# The texts differ only where each side has its own path to the same values: the store's
# normalized, indexed columns (rp_time_ms, rp_principal, rp_access_key_id; docs/
# ingest-cloudtrail.md) against DuckDB's typed columns (eventTime TIMESTAMP, userIdentity
# STRUCT). rp_principal is userIdentity.arn, else invokedBy, else principalId: DuckDB says so.
# The time window is 2024-03-06T00:05:00Z <= eventTime < 2024-03-06T00:07:00Z.
key=${KEY:-AKIADLXYWWCRPKGMUGJR}
win_lo_ms=1709683500000
win_hi_ms=1709683620000
names=(q1 q2 q3 q4 q5)
declare -A title selective sql_r sql_d
title[q1]="top 10 eventName by count"
selective[q1]=0
sql_r[q1]="SELECT eventName, count(*) AS events FROM cloudtrail_logs
GROUP BY eventName ORDER BY events DESC, eventName LIMIT 10"
sql_d[q1]=${sql_r[q1]}

title[q2]="ConsoleLogin events in a 2-minute window"
selective[q2]=1
cols2="eventTime, eventID, sourceIPAddress, awsRegion, errorCode, userAgent"
sql_r[q2]="SELECT $cols2, rp_principal AS principal FROM cloudtrail_logs
WHERE eventName = 'ConsoleLogin' AND rp_time_ms >= $win_lo_ms AND rp_time_ms < $win_hi_ms
ORDER BY eventTime, eventID"
sql_d[q2]="SELECT $cols2, coalesce(userIdentity.arn, userIdentity.invokedBy,
userIdentity.principalId) AS principal FROM cloudtrail_logs
WHERE eventName = 'ConsoleLogin' AND eventTime >= '2024-03-06T00:05:00Z'
AND eventTime < '2024-03-06T00:07:00Z'
ORDER BY eventTime, eventID"

title[q3]="errors by errorCode and eventSource"
selective[q3]=0
sql_r[q3]="SELECT errorCode, eventSource, count(*) AS events FROM cloudtrail_logs
WHERE errorCode IS NOT NULL
GROUP BY errorCode, eventSource ORDER BY events DESC, errorCode, eventSource LIMIT 20"
sql_d[q3]=${sql_r[q3]}

title[q4]="top 10 principals by distinct source IPs"
selective[q4]=0
sql_r[q4]="SELECT rp_principal AS principal, count(DISTINCT sourceIPAddress) AS ips,
count(*) AS events FROM cloudtrail_logs
GROUP BY principal ORDER BY ips DESC, events DESC, principal LIMIT 10"
sql_d[q4]="SELECT coalesce(userIdentity.arn, userIdentity.invokedBy, userIdentity.principalId)
AS principal, count(DISTINCT sourceIPAddress) AS ips,
count(*) AS events FROM cloudtrail_logs
GROUP BY principal ORDER BY ips DESC, events DESC, principal LIMIT 10"

title[q5]="events of one access key id"
selective[q5]=1
cols5="eventTime, eventID, eventSource, eventName, sourceIPAddress, awsRegion, errorCode"
sql_r[q5]="SELECT $cols5 FROM cloudtrail_logs WHERE rp_access_key_id = '$key'
ORDER BY eventTime, eventID"
sql_d[q5]="SELECT $cols5 FROM cloudtrail_logs WHERE userIdentity.accessKeyId = '$key'
ORDER BY eventTime, eventID"

work=$(mktemp -d)
duck_pid=
cleanup() {
    [ -n "$duck_pid" ] && kill "$duck_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/sql-r" "$work/sql-d" "$work/out-r" "$work/out-d"
for q in "${names[@]}"; do
    printf '%s\n' "${sql_r[$q]}" >"$work/sql-r/$q.sql"
    printf '%s\n' "${sql_d[$q]}" >"$work/sql-d/$q.sql"
done

# One query on the store side: CSV of the rows into $work/out-r/$q.csv; sets r_ms (wall time
# of the whole process, ms with one decimal) and r_rss (KiB).
run_rampart() {
    local q=$1 t0 t1
    t0=$(date +%s%N)
    if [ "$with" = rampart ]; then
        /usr/bin/time -f '%M' -o "$work/rss" "$rampart" --db "$db" query --no-results \
            --format csv -f "$work/sql-r/$q.sql" >"$work/out-r/$q.csv" ||
            die "$q: rampart query failed"
    else
        /usr/bin/time -f '%M' -o "$work/rss" sqlite3 -readonly -csv -header "$db" \
            <"$work/sql-r/$q.sql" >"$work/out-r/$q.csv" || die "$q: sqlite3 failed"
    fi
    t1=$(date +%s%N)
    r_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e6}')
    r_rss=$(tail -n 1 "$work/rss")
}

coproc DUCK { exec node "$root/bench/query_duckdb.mjs" serve "$jsonl" "$work/sql-d" \
    "$work/out-d" "$mode"; }
# shellcheck disable=SC2153 # DUCK_PID is set by coproc
duck_pid=$DUCK_PID
exec {duck_in}>&"${DUCK[1]}" {duck_out}<&"${DUCK[0]}"
echo "query.sh: DuckDB is loading $jsonl ($mode mode)" >&2
read -r ready <&"$duck_out" || die "the DuckDB runner failed to start"
[[ $ready == ready* ]] || die "the DuckDB runner said: $ready"
load_ms=$(sed 's/.*load_ms=\([0-9]*\).*/\1/' <<<"$ready")
duck_rows=$(sed 's/.*rows=\([0-9]*\).*/\1/' <<<"$ready")
duck_types=$(sed 's/.*types=//' <<<"$ready")
[ "$duck_rows" = "$events" ] || die "DuckDB loaded $duck_rows rows, the store has $events"

# One query on the DuckDB side: rows into $work/out-d/$q.csv; sets d_ms.
run_duckdb() {
    local q=$1 line
    echo "run $q" >&"$duck_in"
    read -r line <&"$duck_out" || die "the DuckDB runner died on $q"
    [[ $line == "$q ms="* ]] || die "the DuckDB runner said: $line"
    d_ms=$(sed 's/.*ms=\([0-9.]*\).*/\1/' <<<"$line")
}

# Pass 0 is the warm-up; every pass checks the rows. After each timed pass, the baseline: a
# rampart process that opens the store and answers SELECT 1.
declare -A tr td rows
rss_max=0 base=
for ((pass = 0; pass <= runs; pass++)); do
    for q in "${names[@]}"; do
        run_duckdb "$q"
        run_rampart "$q"
        node "$root/bench/query_duckdb.mjs" compare "$work/out-r/$q.csv" "$work/out-d/$q.csv" \
            >/dev/null || die "$q: rampart and DuckDB disagree (${title[$q]})"
        rows[$q]=$(($(wc -l <"$work/out-r/$q.csv") - 1))
        if ((selective[$q] && rows[$q] == 0)); then die "$q returned no rows (KEY=$key?)"; fi
        ((r_rss > rss_max)) && rss_max=$r_rss
        if ((pass > 0)); then
            tr[$q]+="$r_ms "
            td[$q]+="$d_ms "
        fi
    done
    if ((pass > 0)) && [ "$with" = rampart ]; then
        t0=$(date +%s%N)
        "$rampart" --db "$db" query --no-results --format csv "SELECT 1" >/dev/null
        t1=$(date +%s%N)
        base+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e6}') "
    fi
    # shellcheck disable=SC2086 # the lists of times are split on purpose
    ((pass > 0)) && echo "pass $pass (ms): $(for q in "${names[@]}"; do
        set -- ${tr[$q]}
        r=${!#}
        set -- ${td[$q]}
        printf '%s %s/%s  ' "$q" "$r" "${!#}"
    done)" >&2
done
echo quit >&"$duck_in"
read -r line <&"$duck_out" || line=
duck_rss=$(sed -n 's/^rss_kb=\([0-9]*\).*/\1/p' <<<"$line")
wait "$duck_pid" 2>/dev/null || true
duck_pid=

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

side=$([ "$with" = rampart ] && echo "rampart query" || echo "sqlite3 CLI (stand-in)")
echo "input: $events events; store $(du -m "$db" | cut -f1) MiB;" \
    "JSON Lines $((jsonl_bytes / 1048576)) MiB; median of $runs runs"
echo "store side: $side; DuckDB $(node -e "console.log(require('$root/bench/node_modules/@duckdb/node-api/package.json').version)") ($mode mode, $duck_types)"
echo "one-off: $(cat "$db.complete"); $(cat "$jsonl.complete"); DuckDB load ${load_ms} ms"
printf '%-4s %-44s %7s %12s %12s %8s  %s\n' query what rows "rampart ms" "DuckDB ms" ratio goal
for q in "${names[@]}"; do
    mr=$(median "${tr[$q]}")
    md=$(median "${td[$q]}")
    awk -v q="$q" -v t="${title[$q]}" -v n="${rows[$q]}" -v r="$mr" -v d="$md" \
        -v s="${selective[$q]}" 'BEGIN {
        ratio = r / d
        goal = s ? (ratio < 1 ? "faster: met" : "faster: missed") \
                 : (ratio <= 2 ? "<= 2x: met" : "<= 2x: missed")
        printf "%-4s %-44s %7d %12.1f %12.1f %7sx  %s\n", q, t, n, r, d,
            sprintf(ratio < 0.1 ? "%.3f" : "%.2f", ratio), goal }'
done
[ -n "$base" ] && echo "rampart process start + open + SELECT 1: $(median "$base") ms (median)"
echo "peak RSS: rampart query $((rss_max / 1024)) MiB (largest of all queries);" \
    "DuckDB process ${duck_rss:+$((duck_rss / 1024)) MiB}$([ "$mode" = table ] &&
        echo " (the table in memory)")"
