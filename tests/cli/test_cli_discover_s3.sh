#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart discover scan s3://bucket` against a real S3-compatible server on loopback: s3rver
# (npm; tests/tools/s3rver/package.json and its lock, installed into the scratch dir with
# `npm ci`) behind tests/tools/s3rver/s3_test_server.js, which checks the Signature Version 4
# of Rampart's requests (s3rver does not) and serves listings two keys per page so that
# continuation tokens are followed. The AWS CLI (`aws`) uploads a small tree of text, CSV,
# JSON Lines, gzip and tar.gz files with planted synthetic values; the same tree is scanned
# from disk and through s3://, and both give the same findings: the same objects, types,
# severities, detections, counts and locators. Needs aws and jq (Debian packages that
# scripts/install-deps.sh installs: without them the test fails) and node with npm and the
# npm registry (or npm's cache) for s3rver: a machine without them cannot run this server,
# and the test is reported as SKIPPED (exit 77, ctest's skip code), saying why.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/cli_lib.sh"
rc=0 out= err=
TOOLS=$HERE/../tools/s3rver
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

die() {
    echo "FAIL: $*"
    echo "$checks checks, $((failures + 1)) failed"
    exit 1
}

skip() {
    echo "SKIPPED: $*"
    exit 77
}

for tool in aws jq; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "'$tool' is not installed: scripts/install-deps.sh installs the AWS CLI (awscli) and jq"
done
for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed: s3rver needs node and npm"
done

# ---- the server ----------------------------------------------------------------------------
mkdir -p "$WORK/s3" "$WORK/s3data" "$WORK/home"
cp "$TOOLS/package.json" "$TOOLS/package-lock.json" "$TOOLS/s3_test_server.js" "$WORK/s3/"
(cd "$WORK/s3" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) \
    >"$WORK/npm.log" 2>&1 || skip "npm ci of s3rver failed (no npm registry?): $(tail -5 "$WORK/npm.log")"

# s3rver's continuation tokens use DES, which Node 17+ only has with the legacy provider
node --openssl-legacy-provider "$WORK/s3/s3_test_server.js" "$WORK/s3data" rp-bucket S3RVER S3RVER "$WORK/ports" \
    "$WORK/proxy.log" 2 >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
i=0
while [ ! -s "$WORK/ports" ] && [ $i -lt 300 ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the S3 test server exited: $(cat "$WORK/server.log")"
    sleep 0.1
    i=$((i + 1))
done
[ -s "$WORK/ports" ] || die "the S3 test server did not start in 30 s: $(cat "$WORK/server.log")"
read -r S3PORT PROXYPORT <"$WORK/ports"

# Only the test's own configuration: no ~/.aws of the machine, nothing of AWS.
export HOME="$WORK/home" AWS_CONFIG_FILE="$WORK/home/config"
export AWS_SHARED_CREDENTIALS_FILE="$WORK/home/credentials"
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL \
    AWS_ENDPOINT_URL_S3 AWS_REGION
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
# newer botocore sends flexible checksums s3rver does not know
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required

# ---- the tree: synthetic values only -------------------------------------------------------
T="$WORK/rp-bucket"
mkdir -p "$T/hr/2024" "$T/logs" "$T/odd dir"
cat >"$T/notes.txt" <<'EOF'
Meeting notes, nothing here.
Customer called about the card number 4111 1111 1111 1111 on file.
Test card 4111 1111 1111 1112 fails the check digit and is not reported.
ssn: 078-05-1120 was read out on the phone
EOF
cat >"$T/hr/2024/people.csv" <<'EOF'
name,email,ssn,card
Ann Example,ann@corp-example.org,078-05-1120,5500 0000 0000 0004
Bob Example,bob@corp-example.org,219-09-9999,4111-1111-1111-1111
EOF
cat >"$T/hr/2024/events.jsonl" <<'EOF'
{"id":1,"customer":{"email":"carol@corp-example.org","card_number":"4111111111111111"}}
{"id":2,"note":"nothing sensitive"}
{"id":3,"people":[{"ssn":"078-05-1120"},{"ssn":"219-09-9999"}]}
EOF
printf 'app started\nuser email dave@corp-example.org logged in\n' | gzip -n >"$T/logs/app.log.gz"
printf 'a key with blanks, plus and equals: card number 5500-0000-0000-0004\n' \
    >"$T/odd dir/a b+c=d.txt"
printf 'plain text without anything\n' >"$T/clean.txt"
# an archive: its members are objects of their own ("hr.tgz!/contacts.txt")
mkdir -p "$WORK/tarsrc" "$T/backup"
printf 'contacts\nssn: 219-09-9999 (Bob)\n' >"$WORK/tarsrc/contacts.txt"
printf 'nothing here\n' >"$WORK/tarsrc/readme.txt"
tar -C "$WORK/tarsrc" -czf "$T/backup/hr.tgz" contacts.txt readme.txt
: >"$T/empty.txt"

run_aws() {
    aws --endpoint-url "http://127.0.0.1:$S3PORT" "$@" >"$WORK/aws.log" 2>&1
}
run_aws s3 cp --recursive --only-show-errors "$T" s3://rp-bucket/ ||
    die "aws s3 cp failed: $(cat "$WORK/aws.log")"
run_aws s3 ls --recursive s3://rp-bucket/ || die "aws s3 ls failed: $(cat "$WORK/aws.log")"
checks=$((checks + 1))
[ "$(sed 's/^[^ ]* [^ ]* *[0-9]* //' "$WORK/aws.log" | sort)" = "backup/hr.tgz
clean.txt
empty.txt
hr/2024/events.jsonl
hr/2024/people.csv
logs/app.log.gz
notes.txt
odd dir/a b+c=d.txt" ] || fail "uploaded objects: $(cat "$WORK/aws.log")"

EP="http://127.0.0.1:$PROXYPORT"

# ---- the same rows from disk and from the bucket --------------------------------------------
run --db "$WORK/local.db" discover scan --dry-run "$T"
expect_rc 0 "local dry run"
local_rows=$(printf '%s\n' "$out" | sed 1d | sed "s|^$T/|s3://rp-bucket/|" | sort)
run --db "$WORK/s3.db" discover scan --dry-run --endpoint-url "$EP" s3://rp-bucket
expect_rc 0 "s3 dry run"
expect_err "rampart: discover: 6 findings in 9 files (746 bytes) (dry run: nothing stored)" \
    "s3 dry run summary"
s3_rows=$(printf '%s\n' "$out" | sed 1d | sed 's/  */ /g' | sort)
local_rows=$(printf '%s\n' "$local_rows" | sed 's/  */ /g')
checks=$((checks + 1))
[ "$s3_rows" = "$local_rows" ] || fail "s3 rows differ from local rows
local:
$local_rows
s3:
$s3_rows"
checks=$((checks + 1))
[ "$s3_rows" = "s3://rp-bucket/backup/hr.tgz!/contacts.txt SensitiveData:S3Object/Personal Low 1 USA_SOCIAL_SECURITY_NUMBER:1
s3://rp-bucket/hr/2024/events.jsonl SensitiveData:S3Object/Multiple Medium 4 CREDIT_CARD_NUMBER:1 EMAIL_ADDRESS:1 USA_SOCIAL_SECURITY_NUMBER:2
s3://rp-bucket/hr/2024/people.csv SensitiveData:S3Object/Multiple Medium 6 CREDIT_CARD_NUMBER_(NO_KEYWORD):2 EMAIL_ADDRESS:2 USA_SOCIAL_SECURITY_NUMBER:2
s3://rp-bucket/logs/app.log.gz SensitiveData:S3Object/Personal Low 1 EMAIL_ADDRESS:1
s3://rp-bucket/notes.txt SensitiveData:S3Object/Multiple Medium 2 CREDIT_CARD_NUMBER:1 USA_SOCIAL_SECURITY_NUMBER:1
s3://rp-bucket/odd dir/a b+c=d.txt SensitiveData:S3Object/Financial Low 1 CREDIT_CARD_NUMBER:1" ] ||
    fail "s3 rows: $s3_rows"

# ---- the same findings in the hub: types, detections, locators -----------------------------
run --db "$WORK/local.db" -q discover scan "$T"
expect_rc 0 "local scan stored"
run --db "$WORK/s3.db" -q discover scan --endpoint-url "$EP" s3://rp-bucket
expect_rc 0 "s3 scan stored"
# what may differ: times (scan time, file mtime vs S3 LastModified)
norm='del(.FirstObservedAt, .LastObservedAt, .CreatedAt, .UpdatedAt)
      | .Resources[0].Details.AwsS3Object.LastModified = "-"'
"$RAMPART" --db "$WORK/local.db" findings export --to asff-lines | jq -S -c "$norm" | sort \
    >"$WORK/local.json"
"$RAMPART" --db "$WORK/s3.db" findings export --to asff-lines | jq -S -c "$norm" | sort \
    >"$WORK/s3.json"
checks=$((checks + 1))
[ "$(wc -l <"$WORK/s3.json")" -eq 6 ] || fail "s3 findings: $(cat "$WORK/s3.json")"
checks=$((checks + 1))
cmp -s "$WORK/local.json" "$WORK/s3.json" ||
    fail "hub findings differ: $(diff "$WORK/local.json" "$WORK/s3.json" | head -20)"
# spot checks of locators that came through S3
checks=$((checks + 1))
[ "$(jq -r 'select(.Resources[0].Id == "arn:aws:s3:::rp-bucket/hr/2024/events.jsonl")
    | .Resources[0].DataClassification.Result.SensitiveData[].Detections[]
    | .Type + " " + ([.Occurrences.Records[] | "\(.RecordIndex):\(.JsonPath)"] | join(","))' \
    "$WORK/s3.json" | sort)" = "CREDIT_CARD_NUMBER 0:\$.customer.card_number
EMAIL_ADDRESS 0:\$.customer.email
USA_SOCIAL_SECURITY_NUMBER 2:\$.people[0].ssn,2:\$.people[1].ssn" ] ||
    fail "events.jsonl locators: $(grep events.jsonl "$WORK/s3.json")"
checks=$((checks + 1))
[ "$(jq -r 'select(.Resources[0].Id == "arn:aws:s3:::rp-bucket/odd dir/a b+c=d.txt")
    | .Resources[0].DataClassification.Result.SensitiveData[].Detections[].Occurrences
    .LineRanges[] | "\(.Start) \(.End) \(.StartColumn)"' "$WORK/s3.json")" = "1 1 49" ] ||
    fail "odd key locator: $(grep 'odd dir' "$WORK/s3.json")"

# ---- the requests: all signed right, the listing paged with continuation tokens -------------
checks=$((checks + 1))
grep -q REFUSED "$WORK/proxy.log" && fail "a request was refused: $(grep REFUSED "$WORK/proxy.log")"
checks=$((checks + 1))
# 8 objects two per page: 4 pages in each of the two scans, 3 after a continuation token
[ "$(grep -c '^GET /rp-bucket?continuation-token=[A-Za-z0-9%._~-]*&list-type=2&max-keys=1000 ok$' \
    "$WORK/proxy.log")" -eq 6 ] ||
    fail "continued listings: $(grep list-type "$WORK/proxy.log")"
checks=$((checks + 1))
grep -q '^GET /rp-bucket/odd%20dir/a%20b%2Bc%3Dd.txt ok$' "$WORK/proxy.log" ||
    fail "odd key request: $(grep odd "$WORK/proxy.log")"

# ---- a prefix, errors and their Macie status codes ------------------------------------------
run --db "$WORK/s3.db" discover scan --dry-run --endpoint-url "$EP" s3://rp-bucket/hr/
expect_rc 0 "prefix scan"
expect_err "rampart: discover: 2 findings in 2 files (338 bytes) (dry run: nothing stored)" \
    "prefix scan summary"

run --db "$WORK/s3.db" discover scan --dry-run --endpoint-url "$EP" s3://no-such-bucket
expect_rc 3 "missing bucket"
expect_err "rampart: discover: s3://no-such-bucket: s3: list 'no-such-bucket/': HTTP 404 NoSuchBucket: The specified bucket does not exist (S3_OBJECT_NOT_FOUND)
rampart: discover: 0 findings in 0 files (0 bytes); 1 not read (dry run: nothing stored)" "missing bucket"

export AWS_SECRET_ACCESS_KEY=wrong-secret
run --db "$WORK/s3.db" discover scan --dry-run --endpoint-url "$EP" s3://rp-bucket
expect_rc 3 "wrong secret"
expect_err "rampart: discover: s3://rp-bucket: s3: list 'rp-bucket/': HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. (S3_USER_ACCESS_DENIED)
rampart: discover: 0 findings in 0 files (0 bytes); 1 not read (dry run: nothing stored)" "wrong secret"

# credentials from the shared credentials file of a profile, endpoint from the config file
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
printf '[s3test]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n' \
    >"$AWS_SHARED_CREDENTIALS_FILE"
printf '[profile s3test]\nregion = eu-west-1\nendpoint_url = %s\n' "$EP" >"$AWS_CONFIG_FILE"
export AWS_PROFILE=s3test
run --db "$WORK/s3.db" discover scan --dry-run s3://rp-bucket/notes
expect_rc 0 "profile from files"
expect_out_has "s3://rp-bucket/notes.txt" "profile from files"
checks=$((checks + 1))
grep -q '^GET /rp-bucket?list-type=2&max-keys=1000&prefix=notes ok$' "$WORK/proxy.log" ||
    fail "prefix listing: $(grep prefix= "$WORK/proxy.log")"

export AWS_PROFILE=nobody
run --db "$WORK/s3.db" discover scan --dry-run s3://rp-bucket
expect_rc 1 "no credentials"
expect_err_has "s3: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" \
    "no credentials"

finish
