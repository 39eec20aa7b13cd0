#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# GuardDuty detection on the simulator's default output (issue 5 acceptance): simulate (7 days,
# 2 accounts, every scenario), ingest, load the simulator's threat and trusted lists, run
# `rampart detect`, and score the stored findings against truth.jsonl with `detect score`:
#   - recall >= 0.95 over the (scenario, GuardDuty type) pairs the truth expects (a finding of
#     that type naming one of the scenario's entities inside its window),
#   - precision >= 0.90 over the findings stored (each explained by a truth line),
#   - every benign look-alike line quiet (no unexplained finding names it): the 7 look-alike
#     scenarios declare one line each, benign-posture-compliant-changes one per change (5);
# then a second `detect` finds nothing new to read and changes no finding.
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB

run simulate --out s
expect_rc 0 "simulate (defaults)"
run --db e.db ingest s/AWSLogs
expect_rc 0 "ingest"
for l in malicious-ips:threat tor-exit-nodes:tor c2-domains:c2 phishing-domains:phishing \
    trusted-ips:trusted; do
    run --db e.db threatintel add "s/threatintel/${l%%:*}.txt" --name "${l%%:*}" --kind "${l#*:}"
    expect_rc 0 "threatintel add ${l%%:*}"
done
# each entity learns over the simulator's learning period (manifest.json: 4 days of 7)
run --db e.db detect --learning 4d
expect_rc 0 "detect"
nfind=$(printf '%s\n' "$out" | tail -n +2 | grep -c .)
run --db e.db --format csv detect score s/truth.jsonl
expect_rc 0 "score"
report=$out
summary=$err
# "rampart: detect: recall F/E, precision X/N, benign look-alikes quiet Q/B"
set -- $(printf '%s\n' "$summary" | sed -nE \
    's|^rampart: detect: recall ([0-9]+)/([0-9]+), precision ([0-9]+)/([0-9]+), benign look-alikes quiet ([0-9]+)/([0-9]+)$|\1 \2 \3 \4 \5 \6|p')
checks=$((checks + 1))
if [ $# -ne 6 ]; then
    fail "score summary: $summary"
else
    found=$1 expected=$2 explained=$3 findings=$4 quiet=$5 benign=$6
    echo "recall $found/$expected, precision $explained/$findings, benign quiet $quiet/$benign"
    checks=$((checks + 1))
    [ "$expected" -ge 50 ] || fail "truth expects only $expected (scenario, type) pairs"
    checks=$((checks + 1))
    [ $((found * 100)) -ge $((expected * 95)) ] || fail "recall $found/$expected < 0.95: $report"
    checks=$((checks + 1))
    [ $((explained * 100)) -ge $((findings * 90)) ] ||
        fail "precision $explained/$findings < 0.90: $report"
    checks=$((checks + 1))
    [ "$quiet" -eq "$benign" ] && [ "$benign" -eq 12 ] || fail "benign quiet $quiet/$benign: $report"
    checks=$((checks + 1))
    [ "$findings" -eq "$nfind" ] || fail "detect printed $nfind findings, the store has $findings"
fi

# incremental: nothing new was ingested, so nothing is read and nothing changes
run --db e.db detect
expect_rc 0 "second detect"
expect_err_has "rampart: detect: 0 CloudTrail, 0 flow, 0 DNS, 0 Kubernetes events; 0 findings" \
    "second detect reads nothing"
finish
