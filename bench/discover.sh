#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/discover.sh: sensitive-data scanning on one core (issue 8; DESIGN.md §11: faster than
# ripgrep -j1 on the same identifiers' regexes while validating, goal 3x).
#
#     bench/discover.sh [BUILD_DIR]              default BUILD_DIR: build/release
#     RUNS=3 MB=1024 bench/discover.sh           runs per program (median kept), corpus size
#     PERF=1 bench/discover.sh                   also `perf record -g` one rampart run
#     RAMPART=0 bench/discover.sh                the peers only
#     LINES="rampart ripgrep" bench/discover.sh  only these lines (rampart ripgrep rg-all hyperscan)
#     RAMPART_BIN=/path/to/rampart bench/discover.sh   another rampart (an older build, to compare)
#
# Input, made once under bench/out/dataid-<MB>mb/ by bench_gen_dataid (deterministic, seed 1):
# 16 MiB files of plain text, CSV and JSON Lines with planted sensitive values and decoys about
# every 50 KB (counts in bench/out/dataid-<MB>mb.manifest). The patterns are extracted afresh
# from data/dataid/**/*.yaml on every run (bench_hs_dataid --extract: the regex, "(?i)" in
# front when caseless) into bench/out/dataid-patterns.tsv. Then, in turn, RUNS times each, all
# pinned to one core (taskset -c 0):
#   rampart    rampart discover scan --dry-run CORPUS (every managed identifier, validators,
#              keywords); skipped with a message while the command does not exist
#   ripgrep    rg -j1 --no-ignore --no-filename -c -e P1 -e P2 ... CORPUS (lines with a match:
#              ripgrep stops at a line's first match)
#   rg-all     the same with --count-matches instead of -c (every match, as the others do)
#   hyperscan  bench_hs_dataid PATTERNS CORPUS: one block-mode database, no SOM, match ends
#              counted (its own scan-only MB/s printed too)
# Wall time of the whole process (start-up, compile, reading from the page cache included),
# median of RUNS; MB/s = corpus bytes / median; peak RSS from /usr/bin/time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-3}
mb=${MB:-1024}
out=$root/bench/out
corpus=$out/dataid-${mb}mb
gen=$build/bench/bench_gen_dataid
hs=$build/bench/bench_hs_dataid
rampart=${RAMPART_BIN:-$build/src/cmd/rampart}
lines=${LINES:-rampart ripgrep rg-all hyperscan}
want() { case " $lines " in *" $1 "*) return 0 ;; esac; return 1; }
for b in "$gen" "$hs"; do
    [ -x "$b" ] || {
        echo "discover.sh: $b not built (it needs libhyperscan-dev); run: make" >&2
        exit 1
    }
done
command -v rg >/dev/null || { echo "discover.sh: ripgrep (rg) is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "discover.sh: /usr/bin/time is not installed" >&2; exit 1; }
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

mkdir -p "$out"
if [ ! -f "$corpus.complete" ]; then
    rm -rf "$corpus" "$corpus.manifest"
    "$gen" "$corpus" "$mb" 1
    touch "$corpus.complete"
fi
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
echo "corpus: $corpus, $bytes bytes; $(tr '\n' ' ' <"$corpus.manifest")"

# the identifiers' patterns; those ripgrep refuses are dropped from its line only
pats=$out/dataid-patterns.tsv
"$hs" --extract "$root/data/dataid" >"$pats"
rgargs=()
rgdropped=""
while IFS=$'\t' read -r id re; do
    if rg -q -e "$re" /dev/null 2>/dev/null || [ $? = 1 ]; then
        rgargs+=(-e "$re")
    else
        rgdropped="$rgdropped $id"
    fi
done <"$pats"
echo "patterns: $(wc -l <"$pats") identifiers; ripgrep refuses:${rgdropped:- none}"

have_rampart=0
if [ "${RAMPART:-1}" = 0 ] || ! want rampart; then
    echo "rampart: skipped (RAMPART=0)"
elif [ -x "$rampart" ] && "$rampart" discover scan --help >/dev/null 2>&1; then
    have_rampart=1
    nr=$("$rampart" -q discover identifiers list | tail -n +2 | wc -l)
    np=$(wc -l <"$pats")
    [ "$nr" = "$np" ] ||
        echo "rampart: WARNING: $nr identifiers built in, $np in data/dataid: rebuild rampart"
else
    echo "rampart: skipped ('rampart discover scan' does not exist in $rampart yet)"
fi

now_ms() { date +%s%3N; }
declare -A times rss result
# run NAME CMD...: one timed run; stdout to $out/dataid-NAME.out
run() {
    local name=$1 t0 t1 r
    shift
    t0=$(now_ms)
    /usr/bin/time -f '%M' -o "$out/dataid-$name.rss" "${pin[@]}" "$@" >"$out/dataid-$name.out"
    t1=$(now_ms)
    times[$name]="${times[$name]:-} $((t1 - t0))"
    r=$(tail -n 1 "$out/dataid-$name.rss")
    [ "$r" -gt "${rss[$name]:-0}" ] && rss[$name]=$r
    return 0
}

names=()
[ $have_rampart = 1 ] && names+=(rampart)
for name in ripgrep rg-all hyperscan; do want $name && names+=($name); done
for i in $(seq "$runs"); do
    for name in "${names[@]}"; do
        case $name in
        rampart) run rampart "$rampart" -q discover scan --dry-run "$corpus" ;;
        ripgrep) run ripgrep rg -j1 --no-ignore --no-filename -c "${rgargs[@]}" "$corpus" ;;
        rg-all) run rg-all rg -j1 --no-ignore --no-filename --count-matches "${rgargs[@]}" \
            "$corpus" ;;
        hyperscan) run hyperscan "$hs" "$pats" "$corpus" ;;
        esac
    done
done

median() { printf '%s\n' $1 | sort -n | sed -n "$(((runs + 1) / 2))p"; }
declare -A med
for name in "${names[@]}"; do
    med[$name]=$(median "${times[$name]}")
    case $name in
    rampart) what="$(wc -l <"$out/dataid-rampart.out") output lines" ;;
    ripgrep) what="$(awk '{s += $1} END {print s + 0}' "$out/dataid-ripgrep.out") matching lines" ;;
    rg-all) what="$(awk '{s += $1} END {print s + 0}' "$out/dataid-rg-all.out") matches" ;;
    hyperscan) what="$(grep -o 'matches=[0-9]*' "$out/dataid-hyperscan.out") (scan only:
        $(grep -o 'scan_mb_s=[0-9.]*' "$out/dataid-hyperscan.out") MB/s,
        $(grep -o 'compile_ms=[0-9]*' "$out/dataid-hyperscan.out"))" ;;
    esac
    printf '%-9s median %6d ms  %7.1f MB/s  peak RSS %4d MiB  (runs:%s)  %s\n' "$name" \
        "${med[$name]}" "$(echo "$bytes / ${med[$name]} / 1000" | bc -l)" \
        $((rss[$name] / 1024)) "${times[$name]}" "$(echo $what)"
done
if want hyperscan; then
    grep '^top ' "$out/dataid-hyperscan.out" | head -n 5 | sed 's/^top /hyperscan: most matches: /' ||
        true
fi
ratio() { [ -n "${med[$1]:-}" ] && [ -n "${med[$2]:-}" ]; }
if [ $have_rampart = 1 ]; then
    ratio ripgrep rampart && printf 'ratio rampart / ripgrep speed: %.3fx (floor > 1x, goal 3x)\n' \
        "$(echo "${med[ripgrep]} / ${med[rampart]}" | bc -l)"
    ratio rg-all rampart && printf 'ratio rampart / ripgrep --count-matches speed: %.3fx\n' \
        "$(echo "${med[rg-all]} / ${med[rampart]}" | bc -l)"
    ratio hyperscan rampart && printf 'ratio rampart / hyperscan-alone speed: %.3fx\n' \
        "$(echo "${med[hyperscan]} / ${med[rampart]}" | bc -l)"
    if [ "${PERF:-0}" = 1 ] && command -v perf >/dev/null; then
        perf record -g -o "$out/dataid-rampart.perf" -- "${pin[@]}" "$rampart" -q discover scan \
            --dry-run "$corpus" >/dev/null 2>&1
        echo "perf, rampart run, by library (self time):"
        perf report -i "$out/dataid-rampart.perf" --no-children --sort dso -g none --stdio \
            2>/dev/null | grep -E '^ +[0-9]' | head -n 8 | cut -c1-100 | sed 's/ *$//' || true
        echo "perf, rampart run, by function (with callees; unnamed JIT/Hyperscan frames left out):"
        perf report -i "$out/dataid-rampart.perf" --children --sort symbol -g none --stdio \
            2>/dev/null | grep -E '^ +[0-9]' | grep -v ' 0x' | head -n 20 | cut -c1-110 |
            sed 's/ *$//' || true
    fi
fi
ratio ripgrep hyperscan && ratio rg-all hyperscan &&
    printf 'ratio hyperscan-alone / ripgrep speed: %.3fx; / ripgrep --count-matches: %.3fx\n' \
        "$(echo "${med[ripgrep]} / ${med[hyperscan]}" | bc -l)" \
        "$(echo "${med[rg-all]} / ${med[hyperscan]}" | bc -l)"
# where Hyperscan's time goes: each pattern alone over the first text, CSV and JSON Lines file
if want hyperscan; then
    echo "hyperscan, each pattern alone over part-0000..0002 (slowest first):"
    "${pin[@]}" "$hs" --each "$pats" "$corpus"/part-000[012].* >"$out/dataid-each.out"
    head -n 16 "$out/dataid-each.out"
fi
