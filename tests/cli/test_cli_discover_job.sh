#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart discover` checkpoints, bucket sensitivity scores and jobs: a scan records every
# object; `scan --changed-only` reads again only what changed (a larger file, a touched one,
# a file whose last read failed); `discover buckets` prints exact rows and scores (sensitive,
# not sensitive, classification error); a job is created, listed, run (its first run reads
# everything in its scope, the next only what changed), shown as Macie's
# DescribeClassificationJob; a scheduled job is run by `job run --due` once. Times and the
# scratch directory are normalised. Where node, npm and the AWS CLI are installed (as for
# test_cli_discover_s3.sh), an S3-compatible server on loopback checks that --changed-only
# does not even fetch an unchanged object (same ETag and size): only the listing is requested.
# Synthetic values only.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/cli_lib.sh"
rc=0 out= err=
W=$(pwd -P)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

command -v jq >/dev/null 2>&1 || {
    echo "FAIL: jq is not installed (scripts/install-deps.sh installs it)"
    exit 1
}

# ---- the tree ------------------------------------------------------------------------------
T=exports
mkdir -p "$T/hr" "$T/misc" tarsrc broken
printf 'name,email,ssn\nAnn Example,ann@corp-example.org,078-05-1120\n' >"$T/hr/people.csv"
printf 'card number 4111 1111 1111 1111\n' >"$T/misc/cards.txt"
printf 'nothing here\n' >"$T/misc/readme.txt"
printf 'contacts\nssn: 219-09-9999 (Bob)\n' >tarsrc/contacts.txt
printf 'nothing here\n' >tarsrc/readme.txt
tar -C tarsrc -cf "$T/bundle.tar" contacts.txt readme.txt
printf '\037\213\010\000broken' >"$T/broken.log.gz"
printf 'PK\003\004not a zip at all' >"$T/bad.zip"
printf '\037\213\010\000broken' >broken/only.gz
printf 'nothing sensitive\n' >clean.txt

# ---- a scan records every object; a second scan with --changed-only reads nothing --------
run --db d.db discover scan "$T"
expect_rc 3 "first scan (damaged files)"
expect_out "object                            type                              severity  count  detections
exports/bundle.tar!/contacts.txt  SensitiveData:S3Object/Personal   Low           1  USA_SOCIAL_SECURITY_NUMBER:1
exports/hr/people.csv             SensitiveData:S3Object/Personal   Medium        2  EMAIL_ADDRESS:1 USA_SOCIAL_SECURITY_NUMBER:1
exports/misc/cards.txt            SensitiveData:S3Object/Financial  Low           1  CREDIT_CARD_NUMBER:1" "first scan rows"
expect_err "rampart: discover: exports/bad.zip: skipped: a damaged or unsupported archive (UNSUPPORTED_OR_DAMAGED)
rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 3 findings in 5 files (150 bytes); 2 not read" "first scan stderr"

run --db d.db discover scan --changed-only "$T"
expect_rc 3 "second scan: the damaged gzip is tried again"
expect_out "object  type  severity  count  detections" "second scan: nothing read"
expect_err "rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 0 findings in 0 files (0 bytes); 5 unchanged since the last scan; 1 not read" \
    "second scan stderr"

# a file grows; another keeps its size but gets another modification time
printf 'nothing here at all\n' >"$T/misc/readme.txt"
touch -d '2020-01-02 03:04:05' "$T/misc/cards.txt"
run --db d.db discover scan --changed-only "$T"
expect_rc 3 "third scan"
expect_out "object                  type                              severity  count  detections
exports/misc/cards.txt  SensitiveData:S3Object/Financial  Low           1  CREDIT_CARD_NUMBER:1" \
    "third scan: the touched file"
expect_err "rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 1 findings in 2 files (52 bytes); 3 unchanged since the last scan; 1 not read" \
    "third scan stderr: two files read again"

run --db d.db discover scan --changed-only --dry-run "$T/hr"
expect_rc 0 "a dry run reads the checkpoints too"
expect_err "rampart: discover: 1 findings in 1 files (60 bytes); 0 unchanged since the last scan (dry run: nothing stored)" \
    "dry run: hr/ given itself is bucket hr, not yet scanned"
run --db d.db discover scan --changed-only --dry-run "$T"
expect_rc 3 "a dry run with unchanged files"
expect_err "rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 0 findings in 0 files (0 bytes); 5 unchanged since the last scan; 1 not read (dry run: nothing stored)" \
    "dry run: nothing read again"

# ---- bucket sensitivity scores -------------------------------------------------------------
run --db d.db discover scan broken clean.txt
expect_rc 3 "a bucket of errors, a file given directly"
run --db d.db discover buckets
expect_rc 0 "buckets"
expect_out "bucket   objects  classified  bytes  sensitive  errors  score  label
broken         1           0      0          0       1     -1  Classification error
exports        7           5    157          3       1     80  Sensitive
local          1           1     18          0       0      1  Not sensitive" "bucket rows"
run --db d.db --format json discover buckets
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -c '.[1]')" = '{"bucket":"exports","objects":7,"classified":5,"bytes":157,"sensitive":3,"errors":1,"score":80,"label":"Sensitive"}' ] ||
    fail "buckets as JSON"

# a file deleted: gone from its bucket after the next scan of the whole directory (not after a
# dry run, nor after a scan of a part of it)
mkdir -p keep && cp "$T/misc/readme.txt" keep/ && rm "$T/misc/readme.txt"
run --db d.db discover scan --changed-only --dry-run "$T"
run --db d.db discover scan --changed-only "$T/misc"
run --db d.db discover buckets
expect_out "bucket   objects  classified  bytes  sensitive  errors  score  label
broken         1           0      0          0       1     -1  Classification error
exports        7           5    157          3       1     80  Sensitive
local          1           1     18          0       0      1  Not sensitive
misc           1           1     32          1       0     92  Sensitive" "bucket rows: not pruned yet"
run --db d.db discover scan --changed-only "$T"
expect_rc 3 "scan after a deletion"
expect_err "rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 0 findings in 0 files (0 bytes); 4 unchanged since the last scan; 1 not read" \
    "scan after a deletion: stderr"
run --db d.db discover buckets
expect_out "bucket   objects  classified  bytes  sensitive  errors  score  label
broken         1           0      0          0       1     -1  Classification error
exports        6           4    137          3       1     86  Sensitive
local          1           1     18          0       0      1  Not sensitive
misc           1           1     32          1       0     92  Sensitive" "bucket rows: the deleted file is gone"
mv keep/readme.txt "$T/misc/readme.txt"

# ---- jobs ----------------------------------------------------------------------------------
norm() { sed -e "s|$W|WORK|g" -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z/TIME/g'; }

run --db d.db discover job create --name hr-only --include-key-prefix hr/ --exclude-extension .log \
    --min-size 1 --since 2020-01-01 "$T"
expect_rc 0 "job create"
checks=$((checks + 1))
printf '%s' "$out" | grep -qx '[0-9a-f]\{32\}' || fail "job create prints a 32-digit job id"
J1=$out
run --db d.db discover job create --name sample --sampling 50 "$T"
J2=$out
run --db d.db discover job create --name nightly --schedule daily --include-key-prefix misc/ "$T"
J3=$out

run --db d.db discover job list
expect_rc 0 "job list"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | sed -e "s/$J1/J1/" -e "s/$J2/J2/" -e "s/$J3/J3/" | norm | tr -s ' ')" = "jobId name jobType schedule samplingPercentage jobStatus createdAt lastRunTime numberOfRuns
J1 hr-only ONE_TIME - 100 IDLE TIME - 0
J2 sample ONE_TIME - 50 IDLE TIME - 0
J3 nightly SCHEDULED daily 100 IDLE TIME - 0" ] || fail "job list rows"

run --db d.db discover job run "$J1"
expect_rc 0 "job run: a first run reads everything in scope"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | norm | tr -s ' ')" = "object type severity count detections
WORK/exports/hr/people.csv SensitiveData:S3Object/Personal Medium 2 EMAIL_ADDRESS:1 USA_SOCIAL_SECURITY_NUMBER:1" ] ||
    fail "first job run rows"
expect_err "rampart: discover: job $J1 (hr-only)
rampart: discover: 1 findings in 1 files (60 bytes)" "first job run stderr"

run --db d.db discover job run "$J1"
expect_rc 0 "job run again: nothing changed"
expect_err "rampart: discover: job $J1 (hr-only)
rampart: discover: 0 findings in 0 files (0 bytes); 1 unchanged since the last scan" \
    "second job run stderr"

run --db d.db discover job show "$J1"
expect_rc 0 "job show"
checks=$((checks + 1))
[ "$(printf '%s' "$out" | norm | jq -c .)" = '{"createdAt":"TIME","customDataIdentifierIds":[],"jobArn":"arn:aws:macie2:us-east-1:000000000000:classification-job/'"$J1"'","jobId":"'"$J1"'","jobStatus":"COMPLETE","jobType":"ONE_TIME","lastRunTime":"TIME","managedDataIdentifierSelector":"ALL","name":"hr-only","s3JobDefinition":{"bucketDefinitions":[{"accountId":"000000000000","buckets":["exports"]}],"scoping":{"excludes":{"and":[{"simpleScopeTerm":{"comparator":"EQ","key":"OBJECT_EXTENSION","values":["log"]}}]},"includes":{"and":[{"simpleScopeTerm":{"comparator":"STARTS_WITH","key":"OBJECT_KEY","values":["hr/"]}},{"simpleScopeTerm":{"comparator":"GTE","key":"OBJECT_SIZE","values":["1"]}},{"simpleScopeTerm":{"comparator":"GTE","key":"OBJECT_LAST_MODIFIED_DATE","values":["TIME"]}}]}},"sources":["WORK/exports"]},"samplingPercentage":100,"statistics":{"approximateNumberOfObjectsToProcess":1,"numberOfRuns":2}}' ] ||
    fail "job show JSON"

# a 50% sample of the 6 files of exports/ (by the hash of bucket/key): hr/people.csv,
# misc/readme.txt, bad.zip and broken.log.gz
run --db d.db discover job run "$J2"
expect_rc 3 "sampled job (the damaged files are in its sample)"
checks=$((checks + 1))
[ "$(printf '%s' "$out" | norm | tr -s ' ')" = "object type severity count detections
WORK/exports/hr/people.csv SensitiveData:S3Object/Personal Medium 2 EMAIL_ADDRESS:1 USA_SOCIAL_SECURITY_NUMBER:1" ] ||
    fail "sampled job rows"
checks=$((checks + 1))
[ "$(printf '%s\n' "$err" | norm)" = "rampart: discover: job $J2 (sample)
rampart: discover: WORK/exports/bad.zip: skipped: a damaged or unsupported archive (UNSUPPORTED_OR_DAMAGED)
rampart: discover: WORK/exports/broken.log.gz: gz: truncated input in 'WORK/exports/broken.log.gz' at byte 10
rampart: discover: 1 findings in 2 files (80 bytes); 2 not read" ] || fail "sampled job stderr"
run --db d.db discover job show "$J2"
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -c '[.jobStatus, .samplingPercentage, .s3JobDefinition.scoping, .statistics]')" = '["COMPLETE",50,{"excludes":{"and":[]},"includes":{"and":[]}},{"approximateNumberOfObjectsToProcess":4,"numberOfRuns":1}]' ] ||
    fail "sampled job statistics"

run --db d.db discover job run --due
expect_rc 0 "due jobs: the scheduled one"
expect_err "rampart: discover: job $J3 (nightly)
rampart: discover: 1 findings in 2 files (52 bytes)
rampart: discover: 1 jobs due" "due run stderr"
run --db d.db discover job run --due
expect_rc 0 "nothing due until tomorrow"
expect_err "rampart: discover: 0 jobs due" "second due run"
run --db d.db discover job show "$J3"
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -c '[.jobStatus, .jobType, .scheduleFrequency, .statistics]')" = '["IDLE","SCHEDULED",{"dailySchedule":{}},{"approximateNumberOfObjectsToProcess":2,"numberOfRuns":1}]' ] ||
    fail "scheduled job after its run"

# ---- errors --------------------------------------------------------------------------------
run --db d.db discover job create --name x --schedule hourly "$T"
expect_rc 2 "bad schedule"
expect_err "rampart: discover: dataid: bad schedule 'hourly' (daily, weekly:MONDAY..SUNDAY or monthly:1..31)
hint: see 'rampart help discover'" "bad schedule message"
run --db d.db discover job create --name x --sampling 0 "$T"
expect_rc 2 "bad sampling"
expect_err "rampart: discover: --sampling needs a percentage 1..100, not '0'
hint: see 'rampart help discover'" "bad sampling message"
run --db d.db discover job show 0123
expect_rc 2 "unknown job"
expect_err "rampart: discover: dataid: no job '0123'
hint: see 'rampart help discover'" "unknown job message"

# ---- S3: an unchanged object is not fetched ------------------------------------------------
s3_part() {
    TOOLS=$HERE/../tools/s3rver
    for tool in aws node npm; do
        command -v "$tool" >/dev/null 2>&1 || {
            echo "note: the S3 part is not run: '$tool' is not installed"
            return 0
        }
    done
    mkdir -p "$WORK/s3" "$WORK/s3data" "$WORK/home" "$WORK/up/hr"
    cp "$TOOLS/package.json" "$TOOLS/package-lock.json" "$TOOLS/s3_test_server.js" "$WORK/s3/"
    (cd "$WORK/s3" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) \
        >"$WORK/npm.log" 2>&1 || {
        echo "note: the S3 part is not run: npm ci of s3rver failed"
        return 0
    }
    node --openssl-legacy-provider "$WORK/s3/s3_test_server.js" "$WORK/s3data" rp-bucket S3RVER \
        S3RVER "$WORK/ports" "$WORK/proxy.log" 2 >"$WORK/server.log" 2>&1 </dev/null &
    SERVER_PID=$!
    i=0
    while [ ! -s "$WORK/ports" ] && [ $i -lt 300 ]; do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    checks=$((checks + 1))
    [ -s "$WORK/ports" ] || {
        fail "the S3 test server did not start: $(cat "$WORK/server.log")"
        return 0
    }
    read -r S3PORT PROXYPORT <"$WORK/ports"
    export HOME="$WORK/home" AWS_CONFIG_FILE="$WORK/home/config"
    export AWS_SHARED_CREDENTIALS_FILE="$WORK/home/credentials"
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL \
        AWS_ENDPOINT_URL_S3 AWS_REGION
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
    export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
    printf 'name,email,ssn\nAnn Example,ann@corp-example.org,078-05-1120\n' >"$WORK/up/hr/people.csv"
    printf 'nothing here\n' >"$WORK/up/a.txt"
    printf 'card number 4111 1111 1111 1111\n' >"$WORK/up/cards.txt"
    aws --endpoint-url "http://127.0.0.1:$S3PORT" s3 cp --recursive --only-show-errors "$WORK/up" \
        s3://rp-bucket/ >"$WORK/aws.log" 2>&1 || fail "aws s3 cp: $(cat "$WORK/aws.log")"
    EP="http://127.0.0.1:$PROXYPORT"
    gets() { grep '^GET /rp-bucket/' "$WORK/proxy.log" | tr '\n' ' '; }

    run --db s3.db discover scan --endpoint-url "$EP" s3://rp-bucket
    expect_rc 0 "s3 scan"
    expect_err "rampart: discover: 2 findings in 3 files (105 bytes)" "s3 scan stderr"
    checks=$((checks + 1))
    [ "$(gets)" = "GET /rp-bucket/a.txt ok GET /rp-bucket/cards.txt ok GET /rp-bucket/hr/people.csv ok " ] ||
        fail "s3 scan requests: $(gets)"

    : >"$WORK/proxy.log"
    run --db s3.db discover scan --changed-only --endpoint-url "$EP" s3://rp-bucket
    expect_rc 0 "s3 scan --changed-only"
    expect_err "rampart: discover: 0 findings in 0 files (0 bytes); 3 unchanged since the last scan" \
        "s3 scan --changed-only stderr"
    checks=$((checks + 1))
    [ "$(gets)" = "" ] || fail "s3 --changed-only fetched objects: $(gets)"
    checks=$((checks + 1))
    [ "$(grep -c 'list-type=2' "$WORK/proxy.log")" -eq 2 ] || fail "s3 --changed-only lists the bucket"

    printf 'nothing here!\n' >"$WORK/up/a.txt"
    aws --endpoint-url "http://127.0.0.1:$S3PORT" s3 cp --only-show-errors "$WORK/up/a.txt" \
        s3://rp-bucket/a.txt >"$WORK/aws.log" 2>&1 || fail "aws s3 cp: $(cat "$WORK/aws.log")"
    : >"$WORK/proxy.log"
    run --db s3.db discover scan --changed-only --endpoint-url "$EP" s3://rp-bucket
    expect_rc 0 "s3 scan after a change"
    expect_err "rampart: discover: 0 findings in 1 files (14 bytes); 2 unchanged since the last scan" \
        "s3 scan after a change: stderr"
    checks=$((checks + 1))
    [ "$(gets)" = "GET /rp-bucket/a.txt ok " ] || fail "s3 requests after a change: $(gets)"
    run --db s3.db discover buckets
    expect_out "bucket     objects  classified  bytes  sensitive  errors  score  label
rp-bucket        3           3    106          2       0     83  Sensitive" "s3 bucket row"
}
s3_part

finish
