#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart simulate`: options and usage errors, the scenario list with expected outputs, same
# seed = same bytes (sha256 of every file), another seed = other names, and the generated tree
# ingests with zero rejects. File counts are not pinned: generators and scenarios are added
# over time.
. "$(dirname "$0")/cli_lib.sh"

tree_sums() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }

run simulate --list-scenarios
expect_rc 0 "list scenarios"
checks=$((checks + 1))
first=$(printf '%s\n' "$out" | head -n 1)
last=$(printf '%s\n' "$out" | tail -n 1)
case "$first" in id*kind*mitre*summary*expects) ;; *) fail "scenario list header: $first" ;; esac
checks=$((checks + 1))
printf '%s\n' "$last" | grep -Eq '^[0-9]+ scenarios$' || fail "scenario count line: $last"
expect_out_has "Config:INCOMING_SSH_DISABLED, Inspector:PACKAGE_VULNERABILITY" "table joins expects"

# Expected outputs (rp_sim_scenario.expects): whole CSV rows, a JSON array per scenario, and
# at least 35 scenarios (issue 4), every one with a non-empty list.
run simulate --list-scenarios --format csv
expect_rc 0 "list scenarios csv"
csv=$(printf '%s\n' "$out" | tr -d '\r')
checks=$((checks + 1))
[ "$(printf '%s\n' "$csv" | head -n 1)" = "id,kind,mitre,summary,expects" ] ||
    fail "csv header: $(printf '%s\n' "$csv" | head -n 1)"
for row in \
    'flow-outbound-portscan,threat,T1046,a compromised instance scans many ports of one outside host,GuardDuty:Recon:EC2/Portscan' \
    'benign-ci-artifact-sync,benign,,the CI role'"'"'s big but habitual nightly S3 sync,none' \
    'posture-ssh-open-vulnerable-openssh,posture,,world-open SSH on a reachable new instance with a vulnerable OpenSSH,"Config:INCOMING_SSH_DISABLED, Inspector:PACKAGE_VULNERABILITY"' \
    'posture-s3-public-read-acl,posture,,a bucket made publicly readable through its ACL,"GuardDuty:Policy:S3/BucketBlockPublicAccessDisabled, GuardDuty:Policy:S3/BucketAnonymousAccessGranted?, Config:S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED, Config:S3_BUCKET_PUBLIC_READ_PROHIBITED?, Macie:Policy:IAMUser/S3BlockPublicAccessDisabled, Macie:Policy:IAMUser/S3BucketPublic?"'; do
    checks=$((checks + 1))
    printf '%s\n' "$csv" | grep -qxF "$row" || fail "csv row missing: $row"
done

run simulate --list-scenarios --format json
expect_rc 0 "list scenarios json"
expect_out_has '{"id":"data-credentials-in-ci-logs","kind":"data","mitre":"T1552.001","summary":"credentials leaked into CI debug logs uploaded to an artifacts bucket","expects":["Macie:SensitiveData:S3Object/Credentials","Macie:AWS_CREDENTIALS","Macie:HTTP_BASIC_AUTH_HEADER","Macie:JSON_WEB_TOKEN"]}' "json expects array"
ids=$(printf '%s' "$out" | grep -o '"id":"' | wc -l)
lists=$(printf '%s' "$out" | grep -o '"expects":\["' | wc -l)
checks=$((checks + 1))
[ "$ids" -ge 35 ] && [ "$lists" -eq "$ids" ] ||
    fail "$ids scenarios, $lists non-empty expects lists"

run simulate --days 2
expect_rc 2 "--out is required"
expect_err "rampart: simulate: option '--out DIR' is required
hint: see 'rampart help simulate'" "missing --out"

run simulate --out d0 --scale huge
expect_rc 2 "bad scale"
expect_err_has "option '--scale' wants small, medium or large, not 'huge'" "bad scale message"

run simulate --out d0 --days 0
expect_rc 2 "bad days"
expect_err_has "option '--days' wants a number from 1 to 3660, not '0'" "bad days message"

run simulate --out d0 --regions 'us-east-1,Bad Region'
expect_rc 2 "bad region"
expect_err "rampart: simulate: bad region 'Bad Region'
hint: see 'rampart help simulate'" "bad region message"

run simulate --out d0 --scenarios no-such-thing
expect_rc 2 "unknown scenario"
expect_err_has "unknown scenario 'no-such-thing'" "unknown scenario message"

run simulate --out a --days 2 --scale small
expect_rc 0 "first run"
expect_out_has "simulate: seed 1, 2 day(s), scale small: " "summary line"
expect_out_has "config " "config row"
run simulate --out b --days 2 --scale small
expect_rc 0 "second run"
tree_sums a >a.sum
tree_sums b >b.sum
checks=$((checks + 1))
cmp -s a.sum b.sum || fail "same seed gave different trees: $(diff a.sum b.sum | head -5)"
checks=$((checks + 1))
[ "$(wc -l <a.sum)" -gt 20 ] || fail "too few files: $(wc -l <a.sum)"
checks=$((checks + 1))
grep -q ' ./manifest.json$' a.sum || fail "no manifest.json"

run simulate --out c --days 2 --scale small --seed 2
expect_rc 0 "other seed"
tree_sums c >c.sum
checks=$((checks + 1))
common=$(cut -c67- a.sum | grep '^./AWSLogs/' | LC_ALL=C sort >a.names
         cut -c67- c.sum | grep '^./AWSLogs/' | LC_ALL=C sort >c.names
         LC_ALL=C comm -12 a.names c.names | wc -l)
[ "$common" -eq 0 ] || fail "seed 2 reused $common AWSLogs keys of seed 1"

run simulate --out a --days 1
expect_rc 1 "non-empty output directory"
expect_err "rampart: simulate: output directory 'a' is not empty" "non-empty message"

run simulate --out j --days 1 --format json
expect_rc 0 "json output"
expect_out_has '"source":"config"' "json rows"

# Every generated log file ingests with zero rejects (exit 0, not 3 = partial).
run --db s.db ingest a/AWSLogs
expect_rc 0 "ingest the simulated tree"

finish
