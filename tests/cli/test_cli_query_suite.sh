#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The analyst query acceptance suite of `rampart query` (issue 10): every query of
# tests/fixtures/query/suite-queries runs twice, against the store after ingesting the fixture
# tree and against the same raw files in place through the connectors, and both outputs must
# equal the expected CSV in tests/fixtures/query/suite-expected (computed independently by
# tests/tools/gen_query_suite.py from the records it generated; that generator is not run
# here). In the queries {cloudtrail}, {vpcflow}, {r53} and {k8s} stand for a table; a query
# whose first line is "-- modes: store" reads only store tables (findings) and runs once, one
# with "-- modes: files" reads the connectors' partition columns and runs on the files only.
# Then each store table is compared with its connector row for row, every column; and
# partition pruning: a query restricted to one account and one day opens only that day's files
# (the counts are in suite-expected/pruning.txt), an unrestricted one every file of its source
# and no other.
SRC=$(cd "$(dirname "$0")/../fixtures/query" && pwd) # before cli_lib.sh moves to $WORK
. "$(dirname "$0")/cli_lib.sh"

unset RAMPART_DB
FIX=$SRC/suite
QUERIES=$SRC/suite-queries
EXPECTED=$SRC/suite-expected
case $FIX in
*"'"*)
    echo "FAIL: the fixture path contains a quote: $FIX"
    exit 1
    ;;
esac
# the path as a sed replacement (| is the delimiter, & and \ are special)
FIXSED=$(printf '%s' "$FIX" | sed 's/[|&\\]/\\&/g')

# ---- the store ---------------------------------------------------------------------------------
run --db s.db ingest "$FIX/AWSLogs" "$FIX/k8s"
expect_rc 0 "the suite's tree ingests without a reject or an unknown file"
run --db s.db findings import "$FIX/findings/findings.json"
expect_rc 0 "the suite's findings import"

# sql MODE FILE: the query of FILE with its tables for MODE (store or files)
sql() {
    if [ "$1" = store ]; then
        sed -e 's|{cloudtrail}|cloudtrail_logs|g' -e 's|{vpcflow}|vpc_flow_logs|g' \
            -e 's|{r53}|r53_resolver_query_logs|g' -e 's|{k8s}|k8s_audit_logs|g' "$2"
    else
        sed -e "s|{cloudtrail}|cloudtrail_files('$FIXSED/AWSLogs')|g" \
            -e "s|{vpcflow}|vpc_flow_files('$FIXSED/AWSLogs')|g" \
            -e "s|{r53}|r53_resolver_files('$FIXSED/AWSLogs')|g" \
            -e "s|{k8s}|k8s_audit_files('$FIXSED/k8s')|g" "$2"
    fi
}

# ---- the queries -------------------------------------------------------------------------------
nq=0
for q in "$QUERIES"/*.sql; do
    name=$(basename "$q" .sql)
    want=$(cat "$EXPECTED/$name.csv")
    case $(head -n 1 "$q") in
    "-- modes: store") modes=store ;;
    "-- modes: files") modes=files ;;
    *) modes="store files" ;;
    esac
    nq=$((nq + 1))
    for mode in $modes; do
        run --db s.db query --no-results --format csv "$(sql $mode "$q")"
        expect_rc 0 "$name ($mode)"
        checks=$((checks + 1))
        got=$(printf '%s\n' "$out" | tr -d '\r')
        if [ "$got" != "$want" ]; then
            printf '%s\n' "$got" >"$WORK/got.csv"
            failures=$((failures + 1))
            printf 'FAIL: %s (%s) differs from the expected result:\n' "$name" "$mode"
            diff -u "$EXPECTED/$name.csv" "$WORK/got.csv" | head -n 40
            [ -n "$err" ] && printf '  stderr: %s\n' "$(printf '%s' "$err" | head -c 1000)"
        fi
    done
done
echo "$nq queries"
checks=$((checks + 1))
[ "$nq" -ge 20 ] || fail "only $nq queries in $QUERIES"

# ---- every row and column the same ------------------------------------------------------------
# Beyond the queries: each store table and its connector hold the same rows, value for value
# and type for type, in every column but rp_raw (EXCEPT both ways, on the columns the store
# table declares).
for pair in "cloudtrail_logs cloudtrail_files AWSLogs" "vpc_flow_logs vpc_flow_files AWSLogs" \
    "r53_resolver_query_logs r53_resolver_files AWSLogs" "k8s_audit_logs k8s_audit_files k8s"; do
    set -- $pair
    run --db s.db query --no-results --format csv \
        "SELECT group_concat('\"' || name || '\"', ',') AS c FROM pragma_table_info('$1') WHERE name <> 'rp_raw'"
    expect_rc 0 "the columns of $1"
    cols=$(printf '%s\n' "$out" | tr -d '\r' | sed -n '2{s/^"//;s/"$//;s/""/"/g;p;}')
    run --db s.db query --no-results --format csv \
        "SELECT (SELECT count(*) FROM (SELECT $cols FROM $1 EXCEPT SELECT $cols FROM $2('$FIX/$3'))) AS store_only, (SELECT count(*) FROM (SELECT $cols FROM $2('$FIX/$3') EXCEPT SELECT $cols FROM $1)) AS files_only"
    expect_rc 0 "$1 against $2"
    out=$(printf '%s\n' "$out" | tr -d '\r')
    expect_out "store_only,files_only
0,0" "$1 and $2 hold the same rows"
done

# ---- partition pruning -------------------------------------------------------------------------
# pruning.txt: CONNECTOR FILES_IN_TREE FILES_OF_111122223333_ON_2024/03/02 RECORDS_IN_THEM
opened() { printf '%s\n' "$err" | sed -n 's/.*files opened: *\([0-9][0-9]*\).*/\1/p' | head -n 1; }
while read -r conn total day records; do
    run --db s.db query --no-results --stats --format csv \
        "SELECT count(*) AS n FROM $conn('$FIX/AWSLogs') WHERE _account = '111122223333' AND _date = '2024/03/02'"
    expect_rc 0 "$conn restricted to one account and one day"
    out=$(printf '%s\n' "$out" | tr -d '\r')
    expect_out "n
$records" "$conn: the records of that day's files"
    checks=$((checks + 1))
    [ "$(opened)" = "$day" ] || fail "$conn opened '$(opened)' files, wanted only that day's $day"
    run --db s.db query --no-results --stats --format csv "SELECT count(*) AS n FROM $conn('$FIX/AWSLogs')"
    expect_rc 0 "$conn unrestricted"
    checks=$((checks + 1))
    [ "$(opened)" = "$total" ] || fail "$conn opened '$(opened)' files, wanted its $total"
done <"$EXPECTED/pruning.txt"

finish
