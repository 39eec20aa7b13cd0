#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/vulns.sh: package -> advisory matching (issue 9's floor: 2,000 packages against a
# 200,000-advisory database in <= 0.5 s and <= 64 MiB after import; DESIGN.md §11).
#
#     bench/vulns.sh [BUILD_DIR]              default BUILD_DIR: build/release
#     RUNS=5 ADVISORIES=200000 PACKAGES=2000 bench/vulns.sh
#
# Input, made once under bench/out/vulns-<ADVISORIES>/ by bench_gen_osv (deterministic): OSV
# JSON arrays over npm, PyPI and Debian:12 and a CycloneDX SBOM of PACKAGES components from the
# same name pools. Imported once into a fresh store (timed apart), then `rampart vulns scan
# --dry-run sbom.cdx.json` (matching, findings built) and `rampart vulns scan sbom.cdx.json`
# (findings stored in the hub) run RUNS times each: the median wall time (process start included) and the peak
# RSS are printed against the floor. No peer: the issue sets absolute floors for this path.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${RUNS:-5}
nadv=${ADVISORIES:-200000}
npkg=${PACKAGES:-2000}
out=$root/bench/out/vulns-$nadv
gen=$build/bench/bench_gen_osv
rampart=$build/src/cmd/rampart
for b in "$gen" "$rampart"; do
    [ -x "$b" ] || { echo "vulns.sh: $b not built; run: make" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "vulns.sh: /usr/bin/time is not installed" >&2; exit 1; }

now_ms() { date +%s%3N; }

if [ ! -f "$out.complete" ]; then
    rm -rf "$out" "$out.db" "$out.db-wal" "$out.db-shm"
    "$gen" "$out" "$nadv" "$npkg" 42
    t0=$(now_ms)
    /usr/bin/time -f '%M' -o "$out.import.rss" "$rampart" -q --db "$out.db" vulns db import \
        "$out/osv" >/dev/null
    t1=$(now_ms)
    echo "import_ms=$((t1 - t0)) import_rss_kb=$(tail -n 1 "$out.import.rss")" >"$out.complete"
fi

# scan_runs MODE...: RUNS scans with the extra options; sets median, rss (KiB) and rows
scan_runs() {
    local times=() i t0 t1 r n
    rss=0
    rows=""
    for i in $(seq "$runs"); do
        t0=$(now_ms)
        /usr/bin/time -f '%M' -o "$out.scan.rss" "$rampart" -q --db "$out.db" --format csv \
            vulns scan "$@" "$out/sbom.cdx.json" >"$out.scan.csv"
        t1=$(now_ms)
        times+=($((t1 - t0)))
        r=$(tail -n 1 "$out.scan.rss")
        [ "$r" -gt "$rss" ] && rss=$r
        n=$(($(wc -l <"$out.scan.csv") - 1))
        [ -z "$rows" ] && rows=$n
        [ "$n" = "$rows" ] || { echo "vulns.sh: runs disagree ($n rows against $rows)" >&2; exit 1; }
    done
    [ "$rows" -gt 0 ] || { echo "vulns.sh: the scan matched nothing" >&2; exit 1; }
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
    all="${times[*]}"
}

pkgs=$(grep -o '"purl"' "$out/sbom.cdx.json" | wc -l)
echo "input: $nadv advisories (npm, PyPI, Debian:12), SBOM of $pkgs packages; $(cat "$out.complete")"
# matching alone (--dry-run: findings built and printed, nothing stored), then the whole scan
# (findings imported into the hub, earlier ones of the resource closed)
scan_runs --dry-run
echo "match (scan --dry-run): $rows findings; median of $runs runs: ${median} ms (runs: $all); peak RSS $((rss / 1024)) MiB"
echo "floor: <= 500 ms: $([ "$median" -le 500 ] && echo met || echo MISSED);" \
    "<= 64 MiB: $([ $((rss / 1024)) -le 64 ] && echo met || echo MISSED)"
scan_runs
echo "scan with findings stored: median of $runs runs: ${median} ms (runs: $all); peak RSS $((rss / 1024)) MiB"
