#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/rules.sh: AWS Config rule evaluation speed and memory (issue 7; see bench/README.md).
#
#     bench/rules.sh [BUILD_DIR]          default BUILD_DIR: build/release
#     RUNS=3 RESOURCES=100000 bench/rules.sh
#
# Input, made once under bench/out/rules/ and reused (delete its .complete file to redo it): a
# simulated estate (`rampart simulate --days 1`, every scenario, so the planted
# misconfigurations are in it) whose newest Config snapshot of each account and region, and its
# estate/ IAM and EC2 files, are copied under new account ids until the inventory holds at
# least RESOURCES configuration items: an organisation of many accounts built like the
# simulated ones. It is ingested once into a store (timed apart).
#
# Each run copies that store and runs on the copy `rampart rules eval --no-findings`: every
# enabled managed rule plus the rules of the default Security Hub standards over every resource
# and account document, every result stored (the first evaluation of a store, the expensive
# case; the figure the floor is about); then `rules eval` again on the same copy (nothing
# changed: every rule evaluated, nothing written, no finding); then, on a fresh copy, a first
# `rules eval` with its findings sent to the hub (every NON_COMPLIANT result and every Security
# Hub control result: the hub's import dominates). Medians of RUNS runs: wall time, CPU time,
# peak RSS, evaluations per second. The floor of issue 7: <= 5 s and <= 1 GiB on 2 cores. There
# is no peer in the same run: Prowler and ScoutSuite call the cloud APIs and cannot read an
# inventory file.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-3}
want=${RESOURCES:-100000}
rampart=$build/src/cmd/rampart
[ -x "$rampart" ] || { echo "rules.sh: build $rampart first (make release)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "rules.sh: /usr/bin/time is not installed" >&2; exit 1; }

out=$root/bench/out/rules
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$out/.complete-$want" ]; then
    rm -rf "$out/sim" "$out/org" "$out/store.db"* "$out"/.complete-*
    "$rampart" simulate --out "$out/sim" --days 1 --accounts 2 >/dev/null 2>"$tmp/sim.err"
    # the newest snapshot of every account and region, and the estate files
    mapfile -t snaps < <(find "$out/sim/AWSLogs" -path '*ConfigSnapshot*' -name '*.json.gz' |
        sort | awk -F/ '{k = $0; sub(/\/[0-9]+\/[0-9]+\/[0-9]+\/ConfigSnapshot\/.*/, "", k); last[k] = $0}
                         END {for (k in last) print last[k]}' | sort)
    mapfile -t accts < <(ls "$out/sim/AWSLogs")
    per=0
    for f in "${snaps[@]}"; do
        per=$((per + $(gzip -dc "$f" | { grep -o '"configurationItemCaptureTime"' || true; } | wc -l)))
    done
    copies=$(((want + per - 1) / per))
    echo "rules.sh: $per resources per copy of the estate, $copies copies" >&2
    mapfile -t estate < <(find "$out/sim/estate" -type f \( -path '*/iam/*' -o -path '*/ec2/*' \) 2>/dev/null | sort)
    mkdir -p "$out/org"
    for ((k = 1; k <= copies; k++)); do
        expr=()
        declare -A new=()
        for i in "${!accts[@]}"; do
            new[${accts[$i]}]=$(printf '9%05d%06d' "$k" "$i")
            expr+=(-e "s/${accts[$i]}/${new[${accts[$i]}]}/g")
        done
        # copy SRC REL GZ: SRC with the accounts renamed, under org/ at REL renamed too
        for f in "${snaps[@]}" "${estate[@]}"; do
            rel=${f#"$out/sim/"}
            for a in "${accts[@]}"; do rel=${rel//$a/${new[$a]}}; done
            mkdir -p "$out/org/$(dirname "$rel")"
            case $f in
            *.gz) gzip -dc "$f" | sed "${expr[@]}" | gzip -1 >"$out/org/$rel" ;;
            *) sed "${expr[@]}" "$f" >"$out/org/$rel" ;;
            esac
        done
        unset new
    done
    start=$(date +%s.%N)
    "$rampart" ingest "$out/org" --db "$out/store.db" >/dev/null 2>"$tmp/ingest.err" || {
        cat "$tmp/ingest.err" >&2
        exit 1
    }
    end=$(date +%s.%N)
    echo "rules.sh: ingest of the inventory: $(echo "$end - $start" | bc) s" >&2
    touch "$out/.complete-$want"
fi
n=$(sqlite3 "$out/store.db" "SELECT count(*) FROM config_resources")
echo "resources in the inventory: $n (asked for $want)"

# timed NAME CMD: wall, CPU (user+sys) and peak RSS of CMD
timed() {
    local name=$1 cmd=$2 start end
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S %M' -o "$tmp/time" bash -c "$cmd" >"$tmp/$name.out" 2>"$tmp/$name.err" || {
        cat "$tmp/$name.err" >&2
        exit 1
    }
    end=$(date +%s.%N)
    read -r u s m < <(tail -n 1 "$tmp/time")
    wall=$(echo "$end - $start" | bc)
    cpu=$(echo "$u + $s" | bc)
    rss=$((m / 1024))
}
median() { printf '%s\n' $1 | sort -n | sed -n "$(((runs + 1) / 2))p"; }

names=(first again hub)
declare -A W C M
for n in "${names[@]}"; do W[$n]="" C[$n]="" M[$n]=""; done
evals=""
for ((i = 1; i <= runs; i++)); do
    cp "$out/store.db" "$tmp/run.db"
    timed first "'$rampart' rules eval --db '$tmp/run.db' --no-findings --format json"
    W[first]="${W[first]} $wall" C[first]="${C[first]} $cpu" M[first]="${M[first]} $rss"
    evals=$(grep -o '"Evaluations":"*[0-9]*' "$tmp/first.out" | grep -o '[0-9]*$')
    timed again "'$rampart' rules eval --db '$tmp/run.db' --format json"
    W[again]="${W[again]} $wall" C[again]="${C[again]} $cpu" M[again]="${M[again]} $rss"
    rm -f "$tmp/run.db"*
    cp "$out/store.db" "$tmp/run.db"
    timed hub "'$rampart' rules eval --db '$tmp/run.db' --format json"
    W[hub]="${W[hub]} $wall" C[hub]="${C[hub]} $cpu" M[hub]="${M[hub]} $rss"
    findings=$(grep -o '"Findings":"*[0-9]*' "$tmp/hub.out" | grep -o '[0-9]*$')
    rm -f "$tmp/run.db"*
done
echo "evaluations per run: $evals; rule findings of a first evaluation: $findings"
printf '%-44s %10s %10s %10s %14s\n' "run (median of $runs)" "wall s" "cpu s" "rss MiB" "evaluations/s"
for n in "${names[@]}"; do
    case $n in
    first) what="first evaluation, results stored" ;;
    again) what="re-evaluation, nothing changed" ;;
    hub) what="first evaluation + findings to the hub" ;;
    esac
    w=$(median "${W[$n]}") c=$(median "${C[$n]}") r=$(median "${M[$n]}")
    printf '%-44s %10.2f %10.2f %10s %14s\n' "$what" "$w" "$c" "$r" "$(echo "$evals / $w" | bc)"
done
echo "floor (issue 7): first evaluation <= 5 s and <= 1024 MiB on 2 cores"
