#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart ingest` end to end with the real formats: the exact summary (table, csv, json) of a
# small S3-layout tree holding CloudTrail, a flow log and a file no format knows; exit 3 and the
# rejects listing for bad records; a re-run that stores nothing; a duplicate delivery under
# another path; the key-layout filters; the command-line errors; and the acceptance test: a
# run killed with kill -9 at three different moments, then re-run, ends with exactly the rows
# of an uninterrupted run (every ingest table dumped with the sqlite3 tool, ordered by all
# columns, rejects and checkpoints without their wall-clock columns).
# The kill test needs volume: tests/cli/CMakeLists.txt passes the path of bench_gen_cloudtrail
# as the second argument; without it that part is skipped (and says so).
. "$(dirname "$0")/cli_lib.sh"

GEN=${2:-}
unset RAMPART_DB
if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v gzip >/dev/null 2>&1; then
    echo "FAIL: the sqlite3 and gzip tools are needed (scripts/install-deps.sh installs them)"
    exit 1
fi
cr=$(printf '\r')

# The elapsed and MB/s figures vary run to run: replace them (and the padding before them)
# with E and M.
mask() {
    printf '%s\n' "$out" | sed -E 's/ +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]$/ E M/;
        s/,[0-9]+\.[0-9]{3},[0-9]+\.[0-9]('"$cr"')?$/,E,M\1/;
        s/"elapsed_s":[0-9.]+,"mb_per_s":[0-9.]+/"elapsed_s":E,"mb_per_s":M/'
}
# The files line of the table form, with the header's column widths.
files_line() {
    printf '%5s  %4s  %7s  %9s  %8s  %6s  %7s  %8s  %13s E M' "$@"
}
expect_masked() { checks=$((checks + 1)); [ "$(mask)" = "$1" ] || fail "stdout differs ($2); wanted: $1"; }
q() { sqlite3 "$1" "$2"; }
expect_q() { # DB SQL WANT DESC
    checks=$((checks + 1))
    _got=$(q "$1" "$2" 2>&1)
    [ "$_got" = "$3" ] || fail "$4: '$2' gave '$_got', wanted '$3'"
}

# ---- a small tree ----------------------------------------------------------------------------
rec() { # TIME NAME REGION EVENTID
    printf '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"111122223333",'
    printf '"userName":"mira"},"eventTime":"%s","eventSource":"ec2.amazonaws.com",' "$1"
    printf '"eventName":"%s","awsRegion":"%s","sourceIPAddress":"198.51.100.23",' "$2" "$3"
    printf '"userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,'
    printf '"eventID":"%s","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,' "$4"
    printf '"recipientAccountId":"111122223333","eventCategory":"Management"}'
}
ct=in/AWSLogs/111122223333/CloudTrail
mkdir -p $ct/us-east-1/2024/05/02 $ct/eu-west-1/2024/05/03 \
    in/AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/05/02
A=$ct/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T0820Z_aaaa.json.gz
B=$ct/eu-west-1/2024/05/03/111122223333_CloudTrail_eu-west-1_20240503T0100Z_bbbb.json
F=in/AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/05/02/flow.log
{
    printf '{"Records":['
    rec 2024-05-02T08:15:30Z DescribeInstances us-east-1 ev-0001
    printf ','
    rec 2024-05-02T08:16:00Z StopInstances us-east-1 ev-0002
    printf ']}\n'
} | gzip -n >$A
{
    printf '{"Records":[\n'
    rec 2024-05-03T00:59:00Z GetObject eu-west-1 ev-0003
    printf ',\n{"eventVersion":"1.08","eventName":"NoTime","eventID":"ev-0004"}\n]}\n'
} >$B
printf '%s\n' 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status' \
    '2 111122223333 eni-0a1b2c3d4e5f60002 10.0.3.4 203.0.113.50 40000 53 17 1 70 1714637000 1714637060 ACCEPT OK' \
    '2 111122223333 eni-0a1b2c3d4e5f60002 10.0.3.4 203.0.113.50 40001 53 17' >$F
printf 'notes, not a log\n' >in/notes.txt
size_a=$(wc -c <$A | tr -d ' ')
size_b=$(wc -c <$B | tr -d ' ')
size_f=$(wc -c <$F | tr -d ' ')
bytes_in=$((size_a + size_b + size_f + 17))
decoded=$(($(gzip -dc <$A | wc -c) + size_b + size_f + 17))

# ---- first run: partial ------------------------------------------------------------------------
run --db r.db ingest --jobs 1 in # one parser: reject ids in walk order
expect_rc 3 "rejected records make the run partial"
expect_masked "source      records  rows  duplicates  rejected  filtered
cloudtrail        3     3           0         1  0
vpcflow           1     1           0         1  0
total             4     4           0         2  0

files  read  skipped  duplicate  filtered  failed  unknown  bytes_in  bytes_decoded  elapsed_s  mb_per_s
$(files_line 4 3 0 0 0 0 1 $bytes_in $decoded)" "first run summary"
expect_err "rampart: ingest: 2 records rejected, 1 file not recognised; see \`rampart db rejects\`" \
    "the partial line"
expect_q r.db "SELECT eventID, eventName, awsRegion FROM cloudtrail_logs ORDER BY eventID" \
    "ev-0001|DescribeInstances|us-east-1
ev-0002|StopInstances|us-east-1
ev-0003|GetObject|eu-west-1" "the CloudTrail rows"
expect_q r.db "SELECT srcport, dstport, action FROM vpc_flow_logs" "40000|53|ACCEPT" "the flow row"

run --db r.db --format csv db rejects
expect_rc 0 "db rejects"
out=$(printf '%s\n' "$out" | sed -E 's/,[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z,/,TIME,/')
expect_out "id,time,source,offset,line,reason,raw_len,raw_kept,preview$cr
1,TIME,$B,495,3,cloudtrail: missing field 'eventTime',64,64,\"{\"\"eventVersion\"\":\"\"1.08\"\",\"\"eventName\"\":\"\"NoTime\"\",\"\"eve...\"$cr
2,TIME,$F,223,3,\"vpcflow: expected 14 fields, found 8\",70,70,2 111122223333 eni-0a1b2c3d4e5f60002 10.0.3.4 20...$cr
3,TIME,in/notes.txt,,,no known format,17,17,\"notes, not a log\\n\"$cr" "the rejects, with file, offset, line and reason"

# ---- re-run: nothing stored twice ------------------------------------------------------------
run --db r.db --format csv ingest in
expect_rc 0 "a re-run has nothing new to reject"
expect_masked "source,records,rows,duplicates,rejected,filtered$cr
total,0,0,0,0,0$cr

files,read,skipped,duplicate,filtered,failed,unknown,bytes_in,bytes_decoded,elapsed_s,mb_per_s$cr
4,0,4,0,0,0,0,0,0,E,M$cr" "re-run summary (csv)"
expect_err "" "a clean re-run is quiet"
expect_q r.db "SELECT (SELECT count(*) FROM cloudtrail_logs), (SELECT count(*) FROM vpc_flow_logs),
    (SELECT count(*) FROM rejects), (SELECT count(*) FROM ingest_checkpoints WHERE completed)" \
    "3|1|3|4" "nothing stored twice"

# ---- the same delivery under another path ---------------------------------------------------
mkdir -p copy && cp $A copy/again.json.gz
run --db r.db --format json ingest copy
expect_rc 0 "a duplicate delivery is not an error"
expect_masked '[{"source":"total","records":0,"rows":0,"duplicates":0,"rejected":0,"filtered":0}]
[{"files":1,"read":0,"skipped":0,"duplicate":1,"filtered":0,"failed":0,"unknown":0,"bytes_in":0,"bytes_decoded":0,"elapsed_s":E,"mb_per_s":M}]' \
    "duplicate delivery summary (json)"
expect_q r.db "SELECT completed, records_done, hash = (SELECT hash FROM ingest_checkpoints
    WHERE path = '$A') FROM ingest_checkpoints WHERE path = 'copy/again.json.gz'" "1|0|1" \
    "the copy has a checkpoint with the original's hash"

# ---- filters on the key layout -----------------------------------------------------------------
run --db f.db ingest --since 2024-05-03 --account 111122223333 --region eu-west-1 in
expect_rc 3 "filtered run (the eu-west-1 file still has its bad record)"
expect_masked "source      records  rows  duplicates  rejected  filtered
cloudtrail        1     1           0         1  0
total             1     1           0         1  0

files  read  skipped  duplicate  filtered  failed  unknown  bytes_in  bytes_decoded  elapsed_s  mb_per_s
$(files_line 2 1 0 0 0 0 1 $((size_b + 17)) $((size_b + 17)))" \
    "only the eu-west-1 day is read; us-east-1 and vpcflowlogs/us-east-1 are pruned unopened"
run --db f2.db ingest --until 2024-05-02T08:16:00Z in/AWSLogs
expect_rc 3 "--until filters records by their own time"
expect_q f2.db "SELECT eventID FROM cloudtrail_logs ORDER BY eventID" "ev-0001" "records before --until"

# ---- command-line errors ---------------------------------------------------------------------
run --db e.db ingest in nope
expect_rc 1 "a path that does not exist"
expect_err "rampart: ingest: no such file or directory 'nope'" "missing path"
expect_q e.db "SELECT count(*) FROM ingest_checkpoints" "0" "nothing is read when a path is missing"
run --db e.db ingest
expect_rc 2 "no path"
expect_err "rampart: ingest: no path to ingest
hint: see 'rampart help ingest'" "no path"
run --db e.db ingest --since yesterday in
expect_rc 2 "bad --since"
expect_err_has "rampart: ingest: --since: time: " "bad --since"
run --db e.db ingest --format-in nope in
expect_rc 2 "unknown --format-in"
expect_err "rampart: ingest: unknown format 'nope' (see 'rampart ingest --list-formats')
hint: see 'rampart help ingest'" "unknown format"
run --db e.db ingest --account 12345 in
expect_rc 2 "bad --account"
expect_err "rampart: ingest: --account wants a 12-digit account id, not '12345'
hint: see 'rampart help ingest'" "bad account"
run --db e.db ingest --jobs 0 in
expect_rc 2 "bad --jobs"
run ingest --list-formats
expect_rc 0 "list formats"
expect_out_has "cloudtrail  cloudtrail  AWS CloudTrail events" "list formats names cloudtrail"

# ---- kill -9 and resume ------------------------------------------------------------------------
if [ -z "$GEN" ]; then
    echo "note: no generator given (second argument): kill -9 test skipped"
    finish
fi

# 16 CloudTrail delivery files of about 1 MB each (about 7,000 records)
i=0
while [ $i -lt 16 ]; do
    acct=$((111111111111 + i % 2))
    reg=us-east-1
    [ $((i % 3)) -eq 0 ] && reg=eu-west-1
    day=$((10 + i % 4))
    dir=big/AWSLogs/$acct/CloudTrail/$reg/2024/03/$day
    mkdir -p $dir
    "$GEN" --mb 1 --seed $((i + 1)) --gzip \
        "$dir/${acct}_CloudTrail_${reg}_202403${day}T$(printf '%02d' $i)00Z_f$i.json.gz" \
        >/dev/null 2>&1 || { echo "FAIL: $GEN failed"; exit 1; }
    i=$((i + 1))
done
# 4 flow logs of 2,500 lines (a table without a UNIQUE key: resuming must not repeat a line;
# the header line sets the field order, so a resumed file must see it again)
i=0
while [ $i -lt 4 ]; do
    dir=big/AWSLogs/111111111111/vpcflowlogs/us-east-1/2024/03/1$i
    mkdir -p $dir
    awk -v f=$i 'BEGIN {
        print "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        for (k = 0; k < 2500; k++)
            printf "2 111111111111 eni-0a1b2c3d4e5f6000%d 10.0.%d.%d 203.0.113.%d %d 443 6 %d %d %d %d ACCEPT OK\n", \
                f, f, k % 250, k % 200, 30000 + k, k % 50 + 1, 40 * k + 60, 1710000000 + k, 1710000060 + k
    }' | gzip -n >$dir/111111111111_vpcflowlogs_us-east-1_fl-0_2024031${i}T0000Z_h.log.gz
    i=$((i + 1))
done
# one bad record, so rejects take part
printf '{"Records":[{"eventVersion":"1.08","eventID":"x-1"}]}\n' | gzip -n >big/bad.json.gz

# Every ingest table, ordered by all its columns; wall-clock columns left out.
dump() {
    for t in $(sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type = 'table'
            AND name NOT LIKE 'sqlite%' AND name <> 'store_migrations' ORDER BY name"); do
        cols=$(sqlite3 "$1" "SELECT group_concat('\"' || name || '\"', ',') FROM pragma_table_info('$t')
            WHERE NOT ('$t' = 'rejects' AND name IN ('id', 'time_ms'))
              AND NOT ('$t' = 'ingest_checkpoints' AND name IN ('first_ms', 'updated_ms'))")
        echo "-- $t"
        sqlite3 -cmd '.mode quote' "$1" "SELECT $cols FROM \"$t\" ORDER BY $cols"
    done
}

run --db ref.db ingest --batch-rows 200 big
expect_rc 3 "the uninterrupted run (one bad record)"
dump ref.db >ref.dump
total=$(q ref.db "SELECT count(*) FROM cloudtrail_logs")
if [ "$total" -lt 5000 ]; then fail "the generated tree holds only $total records"; fi

# kill when the store holds about 5%, 50% and 95% of the rows
for pct in 5 50 95; do
    db=k$pct.db
    want=$((total * pct / 100))
    "$RAMPART" --db $db ingest --batch-rows 200 big >/dev/null 2>&1 </dev/null &
    pid=$!
    n=0 tries=0
    while [ "$n" -lt "$want" ] && [ $tries -lt 3000 ]; do
        sleep 0.01
        n=$(sqlite3 $db "SELECT count(*) FROM cloudtrail_logs" 2>/dev/null || echo 0)
        [ -n "$n" ] || n=0
        tries=$((tries + 1))
        kill -0 $pid 2>/dev/null || break
    done
    kill -9 $pid 2>/dev/null
    { wait $pid; } 2>/dev/null
    status=$?
    echo "note: killed at $pct% with $n of $total rows committed"
    checks=$((checks + 1))
    if [ $status -ne 137 ]; then
        fail "the run to kill at $pct% ended by itself (status $status) after $n rows"
        continue
    fi
    run --db $db ingest --batch-rows 200 big
    # 3 when the bad record was still to come, 0 when the killed run had committed it
    checks=$((checks + 1))
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "the re-run after kill -9 at $pct% exited $rc"
    dump $db >$db.dump
    checks=$((checks + 1))
    if ! cmp -s ref.dump $db.dump; then
        fail "kill -9 at $pct% ($n rows) then re-run differs from the uninterrupted run:
$(diff ref.dump $db.dump | head -c 1500)"
    fi
    run --db $db ingest big
    expect_rc 0 "a third run after kill -9 at $pct%"
    expect_q $db "SELECT count(*) FROM cloudtrail_logs" "$total" "no row twice after $pct%"
done

finish
