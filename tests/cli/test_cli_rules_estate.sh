#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Config rules on the simulator's default estate (issue 7 acceptance): simulate (7 days,
# 2 accounts, every scenario), ingest the Config deliveries and the estate/ files, run
# `rampart rules eval`, and score the evaluations against truth.jsonl with `rules score`:
#   - every planted misconfiguration is NON_COMPLIANT under the Config rule its truth line
#     names, for the resource it names (or, for an account-level rule, names in its annotation);
#   - every clean look-alike (benign-posture-compliant-changes) is COMPLIANT under its rules;
# then a second `rules eval` over the same inventory changes nothing.
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB

run simulate --out s
expect_rc 0 "simulate (defaults)"
set -- s/AWSLogs/*/Config
run --db e.db ingest "$@" s/estate
expect_rc 0 "ingest the Config deliveries and the estate files"
run --db e.db --format csv rules eval
expect_rc 0 "rules eval"
run --db e.db rules score s/truth.jsonl
expect_rc 0 "rules score"
echo "$out"
found=$(printf '%s\n' "$out" | sed -nE 's/^recall: ([0-9]+) of ([0-9]+) planted .*/\1 \2/p')
quiet=$(printf '%s\n' "$out" | sed -nE 's/^look-alikes: ([0-9]+) of ([0-9]+) clean .*/\1 \2/p')
checks=$((checks + 1))
set -- $found
if [ $# -ne 2 ] || [ "$1" -ne "$2" ] || [ "$2" -lt 15 ]; then
    fail "every planted misconfiguration NON_COMPLIANT: $out"
fi
checks=$((checks + 1))
set -- $quiet
if [ $# -ne 2 ] || [ "$1" -ne "$2" ] || [ "$2" -lt 4 ]; then
    fail "every clean look-alike COMPLIANT: $out"
fi
checks=$((checks + 1))
case "$out" in *missed:* | *alarmed:*) fail "a line missed or alarmed: $out" ;; esac

run --db e.db --format csv rules eval
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | tr -d '\r' | tail -n 1 | cut -d, -f10,11)" = "0,0" ] ||
    fail "a second eval changes nothing: $out"
finish
