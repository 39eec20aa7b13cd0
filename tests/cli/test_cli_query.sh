#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart query`: SQL as arguments, from -f and from stdin; output formats; the raw-file
# connectors over tests/fixtures/query/tree with a damaged record (warning, exit 3); the
# store opened read-only (writes refused); errors with line and column; the results directory
# with history, get-execution and get-results; --timeout; the --csv/--jsonl/--attach
# shortcuts; usage errors with exit codes. (The 40-query acceptance suite, store against
# files, is test_cli_query_suite.sh.)
TREE=$(cd "$(dirname "$0")/../fixtures/query/tree" && pwd)
. "$(dirname "$0")/cli_lib.sh"

unset RAMPART_DB RAMPART_QUERY_RESULTS

# ---- SQL without a store: values and formats ------------------------------------------------

run query --no-results --format csv "SELECT 1 AS a, 'x,y' AS b, NULL AS c, 2.5 AS d"
expect_rc 0 "csv"
expect_out "a,b,c,d
1,\"x,y\",,2.5" "csv output"
expect_err "" "quiet"

run query --no-results --format jsonl "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, NULL"
expect_rc 0 "jsonl"
expect_out '{"a":1,"b":"x"}
{"a":2,"b":null}' "jsonl output"

run query --no-results "SELECT 'ab' AS s, 10 AS n"
expect_rc 0 "table"
expect_out "s  |  n
---+---
ab | 10
(1 row)" "table output"

run --format json query --no-results "SELECT 7 AS seven"
expect_rc 0 "global --format json"
expect_out '[
  {"seven":7}
]' "json output"

printf 'SELECT 40 + 2 AS answer;\n' >q.sql
run query --no-results --format csv -f q.sql
expect_rc 0 "-f"
expect_out "answer
42" "-f output"

printf 'SELECT 3 AS three' | "$RAMPART" query --no-results --format csv >"$WORK/.out" 2>"$WORK/.err"
rc=$?
out=$(cat "$WORK/.out")
err=$(cat "$WORK/.err")
expect_rc 0 "stdin"
expect_out "three
3" "stdin output"

run query --no-results --format csv "-- a comment first
SELECT 'c' AS after_comment"
expect_rc 0 "SQL starting with a comment"
expect_out "after_comment
c" "comment output"

# ---- connectors over raw files -----------------------------------------------------------------

run query --no-results --format csv \
    "SELECT eventname, count(*) AS n FROM cloudtrail_files('$TREE') GROUP BY 1 ORDER BY 2 DESC, 1"
expect_rc 3 "a damaged record makes the answer partial"
expect_out "eventName,n
DescribeInstances,4
StartInstances,1
StopInstances,1
TerminateInstances,1" "counts over files"
expect_err "rampart: warning: cloudtrail_files: '$TREE/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/03/111122223333_CloudTrail_us-east-1_20240303T1000Z_e1.json' line 37 (byte 963): cloudtrail: missing field 'eventTime'" "the damaged record is named"

run query --no-results --stats --format csv \
    "SELECT eventname, useridentity.username AS who FROM cloudtrail_files('$TREE')
     WHERE _account = '111122223333' AND _date = '2024/03/02' ORDER BY eventtime"
expect_rc 0 "partition pruning"
expect_out "eventName,who
StartInstances,u3
DescribeInstances,u4
TerminateInstances,u5" "one account's day"
expect_err_has ": 3 rows, files opened: 2, files pruned: 0, directories pruned: 5, bytes scanned: " "two files opened, the other days and accounts never listed"

run query --no-results --format csv "SELECT count(*) FROM cloudtrail_files"
expect_rc 1 "no path"
expect_err "rampart: query: cloudtrail_files: argument '_path' is required" "the argument is named"

# ---- the store: read-only, same answers as the files ------------------------------------------

run --db q.db ingest "$TREE"
expect_rc 3 "ingest the tree (one record rejected)"

run --db q.db query --no-results --format csv \
    "SELECT eventname, useridentity.username AS who FROM cloudtrail_logs
     WHERE rp_account = '111122223333' AND eventtime LIKE '2024-03-02%' ORDER BY eventtime"
expect_rc 0 "the same question on the store"
expect_out "eventName,who
DescribeInstances,u4
TerminateInstances,u5" "store rows"

run --db q.db query --no-results "DELETE FROM rejects"
expect_rc 1 "writes are refused"
expect_err "rampart: query: not authorized: rampart query is read-only" "read-only"

run --db q.db query --no-results --format csv "SELECT count(*) AS n FROM rejects"
expect_rc 0 "the reject is still there"
expect_out "n
1" "one reject"

run --db nope.db query --no-results "SELECT 1"
expect_rc 1 "a missing --db"
expect_err "rampart: query: no store at 'nope.db'" "missing store"

# ---- errors with position --------------------------------------------------------------------

run query --no-results "SELECT 1;
  SELECT * FRM x"
expect_rc 1 "syntax error"
expect_err "rampart: query: line 2, column 12: near \"FRM\": syntax error" "line and column"

run query --no-results --timeout 1 \
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
expect_rc 1 "timeout"
expect_err "rampart: query: stopped after the 1 s timeout" "timeout message"

# ---- results directory and history ------------------------------------------------------------

run query --results res --format csv "SELECT 'first' AS q, 1 AS n"
expect_rc 0 "a query with results"
run query --results res --format csv "SELECT nope"
expect_rc 1 "a failing query with results"
expect_err "rampart: query: line 1, column 8: no such column: nope" "its error"
run --format csv query --results res history
expect_rc 0 "history"
ids=$(printf '%s\n' "$out" | sed -n '2,3p' | cut -d, -f1)
states=$(printf '%s\n' "$out" | sed -n '2,3p' | cut -d, -f2 | tr '\n' ' ')
[ "$states" = "FAILED SUCCEEDED " ] || fail "history states: $states"
checks=$((checks + 1))
good=$(printf '%s\n' "$ids" | sed -n 2p)
run query --results res get-results "$good" --format csv
expect_rc 0 "get-results"
expect_out "q,n
first,1" "saved rows"
[ "$(cat "res/$good.csv")" = '"q","n"
"first","1"' ] || fail "the csv is written as Athena writes it"
checks=$((checks + 1))
run query --results res get-execution "$good"
expect_rc 0 "get-execution"
expect_out_has "\"QueryExecutionId\": \"$good\"" "the execution"
expect_out_has '"State": "SUCCEEDED"' "its state"
run query --results res get-results 00000000-0000-4000-8000-000000000000
expect_rc 1 "an unknown id"
expect_err "rampart: query: no query '00000000-0000-4000-8000-000000000000' in 'res'" "unknown id"

# ---- shortcuts: --csv, --jsonl, --attach --------------------------------------------------------

printf 'name,port\nssh,22\nhttps,443\n' >svc.csv
printf '{"port":22,"risk":"high"}\n{"port":443,"risk":"low"}\n' >risk.jsonl
run --db q.db query --no-results --format csv --csv svc=svc.csv --jsonl risk=risk.jsonl \
    --attach other=q.db \
    "SELECT s.name, r.risk, (SELECT count(*) FROM other.cloudtrail_logs) AS events
     FROM svc AS s JOIN risk AS r ON r.port = CAST(s.port AS INTEGER) ORDER BY s.name"
expect_rc 0 "shortcuts"
expect_out "name,risk,events
https,low,7
ssh,high,7" "joined"

# ---- the interactive prompt (a terminal from script(1), util-linux) ------------------------------

if command -v script >/dev/null 2>&1; then
    printf 'SELECT 1 AS one;\nSELECT 2\n AS two;\n.format json\nSELECT 3 AS three;\n.quit\n' |
        HOME="$WORK" script -qec "'$RAMPART' query --no-results --format csv" /dev/null |
        tr -d '\r' >prompt.out
    rc=0
    out=$(grep -v '^rampart> \|^    \.\.\.> \|^SELECT\|^ AS\|^\.' prompt.out)
    err=""
    expect_out "rampart query: end statements with ';'; .tables, .format FMT, .quit
one
1
two
2
[
  {\"three\":3}
]" "statements over several lines, .format"
    checks=$((checks + 1))
    grep -q 'SELECT\\0402\\012\\040AS\\040two;' "$WORK/.rampart_history" ||
        fail "the history file keeps the statements"
else
    echo "note: script(1) not found; the prompt is not tested"
fi

# ---- usage -----------------------------------------------------------------------------------

run query --bogus "SELECT 1"
expect_rc 2 "unknown option"
expect_err_has "rampart: query: unknown option '--bogus'" "unknown option"

run query --format xml "SELECT 1"
expect_rc 2 "bad format"

run query --csv nofile "SELECT 1"
expect_rc 2 "--csv without ="
expect_err_has "--csv wants NAME=FILE, got 'nofile'" "--csv usage"

run query tables
expect_rc 0 "tables"
expect_out_has "cloudtrail_files" "connectors listed"

finish
