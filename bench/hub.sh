#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/hub.sh: findings hub import, update and query speed against a minimal SQLite upsert loop
# (issue 6; see bench/README.md).
#
#     bench/hub.sh [BUILD_DIR]                              default BUILD_DIR: build/release
#     RUNS=3 COUNT=1000000 UPDATES=200000 QREPS=5 bench/hub.sh
#
# Input: COUNT generated ASFF findings (JSON Lines) and UPDATES newer versions of existing ones,
# written once by bench_gen_asff under bench/out/ and reused. Each run, in turn:
#   import    rampart findings import of COUNT findings into a fresh store (peak RSS too)
#   update    rampart findings import of the UPDATES file into the same store
#   reference bench_hub_sqlite on the same two files (upsert loop, json_extract, 5,000 a batch)
#   queries   findings count / list --max 100 for each condition set, and findings insights,
#             each QREPS times after a warm-up (hyperfine when installed)
# The first run also checks every count against the reference table (a json_extract scan, which
# is timed as the naive peer) and the size of every list. Prints a table of medians with the
# ratios to the reference and the issue's targets: import >= 100,000 findings/s, queries
# < 200 ms median. Fails if a count disagrees (the store must hold COUNT findings after the
# import and still COUNT after the updates).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-3}
count=${COUNT:-1000000}
updates=${UPDATES:-200000}
qreps=${QREPS:-5}
seed=1
outdir=$root/bench/out
base=$outdir/asff-$count-u$updates.jsonl
upd=$outdir/asff-$count-u$updates.updates.jsonl

die() {
    echo "hub.sh: $*" >&2
    exit 1
}
[[ $count =~ ^[1-9][0-9]*$ && $updates =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ &&
    $qreps =~ ^[1-9][0-9]*$ ]] || die "COUNT, UPDATES, RUNS and QREPS must be positive integers"
((updates <= count)) || die "UPDATES ($updates) cannot exceed COUNT ($count)"

gen=$build/bench/bench_gen_asff
ref=$build/bench/bench_hub_sqlite
rampart=$build/src/cmd/rampart
for b in "$gen" "$ref" "$rampart"; do
    [ -x "$b" ] || die "$b not built; run: make"
done
"$rampart" help findings >/dev/null 2>&1 || die "$rampart has no 'findings' command yet"
command -v jq >/dev/null || die "jq is not installed"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed"
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed"
hyperfine=$(command -v hyperfine || true)

mkdir -p "$outdir"
if [ ! -f "$base.complete" ]; then
    echo "hub.sh: generating $count findings and $updates updates under $outdir" >&2
    rm -f "$base" "$upd"
    "$gen" --count "$count" --updates "$updates" --seed "$seed" --out "$base" \
        --updates-out "$upd" >"$base.tmp"
    mv "$base.tmp" "$base.complete"
fi
summary=$(cat "$base.complete")
field() { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" <<<"$summary"; }
bytes=$(field bytes)
upd_bytes=$(field update_bytes)
end_iso=$(field end)
if [ "$(field findings)" != "$count" ] || [ "$(field updates)" != "$updates" ]; then
    die "$base.complete does not match COUNT/UPDATES; delete it to regenerate"
fi

# "updated in the last 7 days of the data": the data ends at end_iso, so the relative window
# grows with the machine's clock.
end_s=$(date -u -d "${end_iso%.*}Z" +%s)
days=$((($(date -u +%s) - end_s + 86399) / 86400 + 7))

# Condition sets: name|conditions separated by ';'|SQL over the reference table (the loop's
# findings(doc)) giving the same count, or '' where the hub's own rules make the counts differ
# legitimately (Workflow is reset by the merge rules) or the window moves (relative dates).
queries=(
    "high|SeverityLabel=HIGH|json_extract(doc,'\$.Severity.Label')='HIGH'"
    "new|WorkflowStatus=NEW|"
    "bucket|ResourceId=arn:aws:s3:::bucket-17|EXISTS (SELECT 1 FROM json_each(doc,'\$.Resources') r WHERE json_extract(r.value,'\$.Id')='arn:aws:s3:::bucket-17')"
    "ttps|Type^=TTPs/|EXISTS (SELECT 1 FROM json_each(doc,'\$.Types') t WHERE substr(t.value,1,5)='TTPs/')"
    "recent|UpdatedAt>${days}d|"
    "since|UpdatedAt>=2024-06-23|json_extract(doc,'\$.UpdatedAt')>='2024-06-23T00:00:00.000Z'"
    "acct-crit|AwsAccountId=111122223333;SeverityLabel=CRITICAL|json_extract(doc,'\$.AwsAccountId')='111122223333' AND json_extract(doc,'\$.Severity.Label')='CRITICAL'"
    "title|Title~=root|instr(json_extract(doc,'\$.Title'),'root')>0"
    "s3-failed|ComplianceStatus=FAILED;ResourceType=AwsS3Bucket|json_extract(doc,'\$.Compliance.Status')='FAILED' AND EXISTS (SELECT 1 FROM json_each(doc,'\$.Resources') r WHERE json_extract(r.value,'\$.Type')='AwsS3Bucket')"
    "control|GeneratorId=security-control/EC2.19;RecordState=ACTIVE|json_extract(doc,'\$.GeneratorId')='security-control/EC2.19' AND json_extract(doc,'\$.RecordState')='ACTIVE'"
)
# Extra list: a sort on a column without an index, over most of the store.
sorted_list="RecordState=ACTIVE"
sorted_by="CreatedAt:asc"
# Insights: name|group-by|conditions separated by ';'
insights=(
    "by-resource|ResourceId|RecordState=ACTIVE;WorkflowStatus=NEW"
    "by-severity|SeverityLabel|"
    "by-account|AwsAccountId|Type^=Software and Configuration Checks/Vulnerabilities/CVE"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/hub.db
refdb=$work/ref.db
declare -A times # name -> space-separated samples (ms for imports, us for queries)
declare -A qcount qdesc refus
rss_kb=0
qrss_kb=0

ms() { echo $(($(date +%s%N) / 1000000)); }
us() { echo $(($(date +%s%N) / 1000)); }
last() {
    set -- $1
    eval "echo \${$#}"
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# filter_args CONDS: "--filter C" pairs into the array fargs
filter_args() {
    fargs=()
    local c parts
    IFS=';' read -r -a parts <<<"$1"
    for c in "${parts[@]}"; do [ -n "$c" ] && fargs+=(--filter "$c"); done
    return 0
}

# hub_import NAME FILE: one timed rampart import; exit 0 only (3 = some findings failed)
hub_import() {
    local name=$1 file=$2 rc=0 t0 t1 r
    t0=$(ms)
    /usr/bin/time -f '%M' -o "$work/rss" "$rampart" -q --db "$db" findings import "$file" \
        >"$work/import.out" 2>&1 || rc=$?
    t1=$(ms)
    if ((rc != 0)); then
        tail -n 20 "$work/import.out" >&2
        die "rampart findings import $(basename "$file") exited with $rc"
    fi
    times[$name]+="$((t1 - t0)) "
    r=$(tail -n 1 "$work/rss")
    ((r > rss_kb)) && rss_kb=$r
    return 0
}

hub_count() {
    local n
    n=$("$rampart" --db "$db" findings count "$@") || die "rampart findings count $* failed"
    n=$(tr -d ' \r\n' <<<"$n")
    [[ $n =~ ^[0-9]+$ ]] || die "rampart findings count $* printed '$n', not a number"
    echo "$n"
}

# timeq NAME CMD...: QREPS timed runs after one warm-up; samples in microseconds
timeq() {
    local name=$1 i t0 t1
    shift
    "$@" >/dev/null || die "query '$name' failed: $*"
    if [ -n "$hyperfine" ]; then
        local cmd
        cmd=$(printf '%q ' "$@")
        "$hyperfine" --style none --runs "$qreps" --export-json "$work/hf.json" \
            "$cmd >/dev/null" >/dev/null || die "query '$name' failed under hyperfine"
        times[$name]+="$(jq '.results[0].times[] * 1000000 | floor' "$work/hf.json" | tr '\n' ' ')"
    else
        for ((i = 0; i < qreps; i++)); do
            t0=$(us)
            "$@" >/dev/null
            t1=$(us)
            times[$name]+="$((t1 - t0)) "
        done
    fi
}

# rss_of CMD...: run once under /usr/bin/time, keep the largest peak RSS of queries
rss_of() {
    /usr/bin/time -f '%M' -o "$work/qrss" "$@" >/dev/null || die "query failed: $*"
    local r
    r=$(tail -n 1 "$work/qrss")
    ((r > qrss_kb)) && qrss_kb=$r
    return 0
}

list_size_check() { # NAME EXPECTED CMD...
    local name=$1 want=$2 got
    shift 2
    got=$("$@" | jq -s 'if length == 1 and (.[0] | type) == "array" then .[0] | length
        elif length == 1 and (.[0] | type) == "object" and (.[0] | has("Findings"))
        then .[0].Findings | length else length end') || die "list '$name' did not print JSON"
    ((got == want)) || die "list '$name' returned $got findings, expected $want"
}

for ((run = 1; run <= runs; run++)); do
    rm -f "$db" "$db"-* "$refdb" "$refdb"-*
    hub_import import "$base"
    n=$(hub_count)
    ((n == count)) || die "after importing $count findings the store holds $n"
    hub_import update "$upd"
    n=$(hub_count)
    ((n == count)) || die "after $updates updates the store holds $n findings, expected $count"

    t0=$(ms)
    out=$("$ref" "$refdb" "$base")
    t1=$(ms)
    times[ref-import]+="$((t1 - t0)) "
    [[ $out == *" rows=$count "* ]] || die "reference import: $out"
    t0=$(ms)
    out=$("$ref" "$refdb" "$upd")
    t1=$(ms)
    times[ref-update]+="$((t1 - t0)) "
    [[ $out == *" updated=$updates "* && $out == *" rows=$count "* ]] || die "reference update: $out"

    for q in "${queries[@]}"; do
        IFS='|' read -r name conds sql <<<"$q"
        filter_args "$conds"
        qdesc[$name]=${conds//;/, }
        if ((run == 1)); then
            c=$(hub_count "${fargs[@]}")
            qcount[$name]=$c
            if [ -n "$sql" ]; then
                t0=$(us)
                want=$(sqlite3 "$refdb" "SELECT count(*) FROM findings WHERE $sql")
                t1=$(us)
                refus[$name]=$((t1 - t0))
                [ "$c" = "$want" ] ||
                    die "count '$name' ($conds): rampart says $c, the reference table $want"
            fi
            want=$((c < 100 ? c : 100))
            list_size_check "$name" "$want" \
                "$rampart" --db "$db" findings list "${fargs[@]}" --max 100 --format json
            rss_of "$rampart" --db "$db" findings count "${fargs[@]}"
            rss_of "$rampart" --db "$db" findings list "${fargs[@]}" --max 100 --format json
        fi
        timeq "count:$name" "$rampart" --db "$db" findings count "${fargs[@]}"
        timeq "list:$name" "$rampart" --db "$db" findings list "${fargs[@]}" --max 100 --format json
    done
    filter_args "$sorted_list"
    timeq "list:sorted" "$rampart" --db "$db" findings list "${fargs[@]}" --sort "$sorted_by" \
        --max 100 --format json
    for q in "${insights[@]}"; do
        IFS='|' read -r name by conds <<<"$q"
        filter_args "$conds"
        qdesc[$name]="--group-by $by${conds:+, ${conds//;/, }}"
        ((run == 1)) && rss_of "$rampart" --db "$db" findings insights --group-by "$by" \
            "${fargs[@]}" --max 100
        timeq "insights:$name" "$rampart" --db "$db" findings insights --group-by "$by" \
            "${fargs[@]}" --max 100
    done
    echo "run $run (ms): import $(last "${times[import]}") update $(last "${times[update]}")" \
        "reference $(last "${times[ref-import]}") + $(last "${times[ref-update]}")" >&2
done
db_mib=$(du -cm "$db"* | tail -n 1 | cut -f 1)
ref_mib=$(du -cm "$refdb"* | tail -n 1 | cut -f 1)

mi=$(median "${times[import]}")
mu=$(median "${times[update]}")
ri=$(median "${times[ref-import]}")
ru=$(median "${times[ref-update]}")
echo
echo "input: $count findings ($((bytes / 1048576)) MiB, $((bytes / count)) B each) + $updates" \
    "updates ($((upd_bytes / 1048576)) MiB); data ends $end_iso"
how="date +%s%N"
[ -n "$hyperfine" ] && how=hyperfine
echo "imports: median of $runs runs; queries: median of $runs x $qreps runs ($how)," \
    "each a whole rampart process"
echo "vs ref: imports = rampart's speed / the SQLite loop's (higher is better);"
echo "        counts  = the loop's json_extract scan time / rampart's (times faster)"
echo
printf '%-72s %12s %9s %10s %4s\n' metric median "vs ref" target ok
rate() { awk -v n="$1" -v m="$2" 'BEGIN {printf "%.0f", n / (m / 1000)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
okge() { awk -v a="$1" -v b="$2" 'BEGIN {print (a >= b) ? "yes" : "NO"}'; }
row() { printf '%-72s %12s %9s %10s %4s\n' "$@"; }
ci=$(rate "$count" "$mi")
cu=$(rate "$updates" "$mu")
cc=$(rate $((count + updates)) $((mi + mu)))
row "import $count: findings/s ($mi ms)" "$ci" "$(ratio "$ci" "$(rate "$count" "$ri")")" \
    ">= 100000" "$(okge "$ci" 100000)"
row "update $updates: findings/s ($mu ms)" "$cu" "$(ratio "$cu" "$(rate "$updates" "$ru")")" \
    ">= 100000" "$(okge "$cu" 100000)"
row "import + update: findings/s" "$cc" \
    "$(ratio "$cc" "$(rate $((count + updates)) $((ri + ru)))")" ">= 100000" "$(okge "$cc" 100000)"
row "import/update peak RSS (MiB)" "$((rss_kb / 1024))" - - -
row "query peak RSS (MiB, run 1)" "$((qrss_kb / 1024))" - - -
row "reference loop import: findings/s ($ri ms)" "$(rate "$count" "$ri")" - - -
row "reference loop update: findings/s ($ru ms)" "$(rate "$updates" "$ru")" - - -
row "store size after updates (MiB; reference table)" "$db_mib" "($ref_mib)" - -
qrow() { # LABEL NAME [REF_US]
    local m
    m=$(median "${times[$2]}")
    row "$1" "$(awk -v u="$m" 'BEGIN {printf "%.1f ms", u / 1000}')" \
        "$([ -n "${3:-}" ] && ratio "$3" "$m" || echo -)" "< 200 ms" \
        "$(awk -v u="$m" 'BEGIN {print (u < 200000) ? "yes" : "NO"}')"
}
for q in "${queries[@]}"; do
    IFS='|' read -r name conds sql <<<"$q"
    qrow "count ${qdesc[$name]} (${qcount[$name]})" "count:$name" "${refus[$name]:-}"
done
for q in "${queries[@]}"; do
    IFS='|' read -r name conds sql <<<"$q"
    qrow "list --max 100 ${qdesc[$name]}" "list:$name"
done
qrow "list --max 100 $sorted_list --sort $sorted_by" "list:sorted"
for q in "${insights[@]}"; do
    IFS='|' read -r name by conds <<<"$q"
    qrow "insights ${qdesc[$name]}" "insights:$name"
done
