#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart demo`: simulate, ingest, query and score, pinned exactly except timings and sizes
# in bytes (filtered below). The figures change whenever the simulator (src/sim) changes;
# then run the demo as below, check the new figures by hand and update this file.
. "$(dirname "$0")/cli_lib.sh"

# timings, speeds and file sizes vary from machine to machine (zlib version): filter them
norm() {
    printf '%s\n' "$out" | grep -v '^  time  ' | sed -E \
        -e 's/^(  simulated   [0-9]+ files), [0-9.]+ MB in [0-9.]+ s$/\1, N MB in N s/' \
        -e 's/(%) +[0-9]+\.[0-9]$/\1  N/' \
        -e 's/^(  source .*complete) +MB$/\1  MB/' \
        -e 's/(none rejected; done in) [0-9.]+ s$/\1 N s/'
}

run demo --out d --days 2
expect_rc 0 "demo"
expect_err "" "demo writes nothing on stderr"
# completeness_of OUTPUT: the N of "100.0% (N/N), 0 rejected"; empty unless it says so
completeness_of() {
    printf '%s\n' "$1" | sed -nE 's/^  ingest completeness  ([0-9]+) records, 5 sources +100\.0% \(\1\/\1\), 0 rejected$/\1/p'
}
n1=$(completeness_of "$out")
out=$(norm)
expect_out "$(cat <<'GOLDEN'
Rampart demo (seed 1, 2 days): a simulated AWS estate, ingested, queried and scored

estate: simulated into d/input (kept: logs, side data, truth.jsonl)
  accounts    655075058703 wonka-prod (prod), 237786568768 wonka-dev (dev) in us-east-1, us-west-2
  period      2026-01-05 to 2026-01-06 (2 days): learning 1 day, attacks from 2026-01-06
  resources   269 in AWS Config, 31 types: EC2::NetworkInterface 38, IAM::Role 28,
              EC2::SecurityGroup 24, EC2::Volume 24, EC2::Instance 22, IAM::User 16
  simulated   5914 files, N MB in N s

ingest: d/input/AWSLogs into d/rampart.db
  source      files  written    read  stored  repeats  rejected  complete  MB
  cloudtrail   1839    38662   38662   38662        0         0    100.0%  N
  vpcflow      1611   165363  165363  165363        0         0    100.0%  N
  r53dns       1585    28280   28280   28280        0         0    100.0%  N
  k8saudit      576    37604   37604   37604        0         0    100.0%  N
  config         56      581     581     323      258         0    100.0%  N
  total        5667   270490  270490  270232      258         0    100.0%  N
  not read    side data for analyses still to come: side-metrics 101 files, side-threatintel 5

activity: SQL and CloudTrail LookupEvents over the store
  CloudTrail  38662 calls by 68 principals: assumed-role/prod-ci-runner/i-013b48d71c01bce04 2519,
              cloudtrail.amazonaws.com 2304, user/noor.sato 2218
  sign-ins    25 console logins: 20 with MFA, 5 without; 0 failed
  root user   10 calls (LookupEvents Username=root): ConsoleLogin 2, DeactivateMFADevice 1,
              DeleteVirtualMFADevice 1, GetAccountSummary 1
  errors      340 failed calls: NoSuchBucketPolicy 199, AccessDenied 56, ThrottlingException 43
  flows       165363 records (1203 NODATA/SKIPDATA), 541 rejected, most at ports 8443 (32),
              3389 (30), 22 (28)
  talkers     most bytes sent: 10.239.128.30 118.1 GB, 10.239.0.38 43.9 GB, 10.239.128.28 26.8 GB
  DNS         28280 queries, 407 NXDOMAIN: s3.us-east-1.amazonaws.com 8158,
              logs.us-east-1.amazonaws.com 3369, ssm.us-east-1.amazonaws.com 2795
  Kubernetes  37604 audit events by 30 users: system:kube-scheduler 5765,
              system:kube-controller-manager 5760, system:node:ip-10-239-128-31.ec2.internal 5041
  raw files   38662 calls, 165363 flow records read in place by `rampart query`: as in the store

findings and scoring: against d/input/truth.jsonl
  findings    1474 in the hub; by severity: MEDIUM 1048, HIGH 238,
              LOW 125; by type: AWS Foundational Security Best Practices 721,
              AWS Config Analysis 535,
              CIS AWS Foundations Benchmark 215; most affected: 237786568768 62, 655075058703 52,
              arn:aws:s3:::wonka-dev-shared-docs-mrwbtz 39
  GuardDuty   59 findings from 38662 CloudTrail, 165363 flow, 28280 DNS, 37604 Kubernetes events,
              5 threat and trusted lists (370 entries); most: CryptoCurrency:EC2/BitcoinTool.B!DNS 3,
              Policy:IAMUser/RootCredentialUsage 3, Behavior:EC2/NetworkPortUnusual 2
  Inspector   24 package findings on 17 instances,
              18 of them scored lower (no path from the internet), 11 reachability findings,
              2145 packages and 17 advisories read,
              i-04fdfa6bce9410f9d: CVE-2026-90001 scored 8.1 of CVSS 8.1 with tcp/22 from the internet through igw-01027b99eb1e8966a,
              i-05284c37ea96b1e18: CVE-2026-90001 scored 7.5 of CVSS 8.1 with no path from the internet
  Macie       23 sensitive data findings in 45 objects of the buckets (zip members and .gz files included),
              0 objects not read, 5 occurrences of Rampart's own identifiers (e-mail addresses,
              access key ids) not scored; 5 bucket policy findings from Config items: 5 of 5 expected by the truth,
              0 extra
  Config      407 rule configurations over 269 resources and 4 account documents: 1156 COMPLIANT,
              535 NON_COMPLIANT, 165 NOT_APPLICABLE,
              69 INSUFFICIENT_DATA; Security Hub score AWS Foundational Security Best Practices v1.0.0 34%,
              CIS AWS Foundations Benchmark v1.2.0 25%, overall 32%
  truth       62 of 62 scenarios injected: 44 threat, 8 posture, 2 data, 8 benign look-alikes
  capability           expected by the truth                                     recall / precision
  threat detection     47 GuardDuty types, 47 scenarios                          100.0% (54/54) / 98.3% (1 of 59 unexplained)
  Config rules         16 Config rules, 15 scenarios                             100.0% (18/18) / 5 of 5 look-alikes COMPLIANT
  sensitive data       16 Macie types and ids, 4 scenarios; 1111 planted values  100.0% (1111/1111) / 100.0% (0 extra)
  vulnerabilities      1 CVE, 1 scenario; 24 vulnerable packages                 100.0% (24/24) / 100.0% (0 false)
  no false alarms      8 benign look-alikes: no finding                          100.0% (12 of 12 quiet)
  ingest completeness  270490 records, 5 sources                                 100.0% (270490/270490), 0 rejected

report: d/report.html
demo: ok: all 270490 simulated log records are in the store, none rejected; done in N s
GOLDEN
)" "demo summary"

# the demo directory: the mark names the store, the simulated tree is kept
checks=$((checks + 1))
[ "$(cat d/.rampart-demo)" = "This directory was made by \`rampart demo\`. The next run into it deletes input/,
report.html and the store named below, then writes them again.
store $(pwd -P)/d/rampart.db" ] || fail "mark file: $(cat d/.rampart-demo)"
checks=$((checks + 1))
[ -f d/input/manifest.json ] && [ -f d/input/truth.jsonl ] && [ -d d/input/AWSLogs ] ||
    fail "simulated tree missing"

# report.html: one self-contained page, every value escaped
r=d/report.html
checks=$((checks + 1)); [ -f "$r" ] || fail "no report.html"
checks=$((checks + 1)); [ "$(head -n 1 "$r")" = "<!DOCTYPE html>" ] || fail "report: doctype"
checks=$((checks + 1)); [ "$(tail -n 1 "$r")" = "</html>" ] || fail "report: not finished"
for heading in '<h1>Rampart demo</h1>' '<h2>Estate</h2>' '<h2>Ingest</h2>' '<h2>Activity</h2>' \
    '<h2>Findings and scoring</h2>' '<h2>Truth: injected scenarios</h2>'; do
    checks=$((checks + 1)); grep -qF "$heading" "$r" || fail "report lacks $heading"
done
# truth.jsonl holds "Backdoor:EC2/C&CActivity.B!DNS": escaped in the report, never raw
checks=$((checks + 1))
grep -qF '<div>threat detection: Backdoor:EC2/C&amp;CActivity.B!DNS</div>' "$r" ||
    fail "report: C&C type not escaped as expected"
checks=$((checks + 1)); ! grep -qF 'C&C' "$r" || fail "report: raw '&' from the data"
# every tag is one the report writer emits, so no '<' from the data became markup
tags=$(grep -o '<[^>]*>' "$r" | sed -E 's/^<(\/?[A-Za-z0-9!]+).*/\1/' | sort -u | tr '\n' ' ')
checks=$((checks + 1))
[ "$tags" = "!DOCTYPE /b /body /code /div /h1 /h2 /h3 /head /html /i /p /span /style /table /td /th /title /tr b body code div h1 h2 h3 head html i meta p span style table td th title tr " ] ||
    fail "report tags: $tags"
# every '&' starts one of the entities the escaper writes
checks=$((checks + 1))
[ -z "$(sed -E 's/&(amp|lt|gt|quot|#39|ndash);//g' "$r" | grep -F '&')" ] || fail "report: bare '&'"
# nothing external: no scripts, links or sources
checks=$((checks + 1))
! grep -qiE '<script|<link|src=|href=|https?:' "$r" || fail "report: external resource"
checks=$((checks + 1))
[ -n "$n1" ] && grep -qF "<tr><td>ingest completeness</td><td>$n1 records, 5 sources</td><td>100.0% ($n1/$n1)</td><td>0 rejected, 0 rows beyond the records read</td></tr>" "$r" ||
    fail "report: completeness row"

# a second run into the same directory starts afresh and leaves the user's own files alone
echo mine >d/notes.txt
run demo --out d/ --days 1
expect_rc 0 "second demo into the same directory"
expect_err "" "second demo: stderr"
# one day holds fewer records than two; a store kept from the first run would fail the demo's
# own check (rows beyond the records read) or show repeats
n2=$(completeness_of "$out")
checks=$((checks + 1))
[ -n "$n2" ] && [ "$n2" -lt "$n1" ] || fail "second run: completeness '$n2' after '$n1'"
expect_out_has "  period      2026-01-05 to 2026-01-05 (1 day): learning 0 days, attacks from 2026-01-05" "second run: period"
checks=$((checks + 1))
printf '%s\n' "$out" | grep -qE "^  total +[0-9]+ +$n2 +$n2 +[0-9]+ +[0-9]+ +0 +100\.0% +[0-9.]+$" ||
    fail "second run: total row"
checks=$((checks + 1)); [ "$(cat d/notes.txt)" = mine ] || fail "the user's file was touched"
checks=$((checks + 1))
grep -qF "<td>100.0% ($n2/$n2)</td>" d/report.html || fail "report not rewritten"

# a directory the demo did not make is refused, and nothing in it is touched
mkdir other && echo keep >other/f
run demo --out other
expect_rc 1 "non-demo directory"
expect_err "rampart: demo: 'other' is not empty and was not made by rampart demo (it has no .rampart-demo file); choose another --out" "non-demo directory"
checks=$((checks + 1)); [ "$(ls -A other)" = f ] || fail "refused directory was changed"

# so is an existing store the demo did not make; the directory is not even created
echo data >mine.db
run --db mine.db demo --out fresh
expect_rc 1 "foreign store"
expect_err "rampart: demo: store 'mine.db' exists and was not made by rampart demo; remove it or choose another --db" "foreign store"
checks=$((checks + 1)); [ "$(cat mine.db)" = data ] && [ ! -e fresh ] || fail "foreign store refused badly"

run demo --out d/notes.txt
expect_rc 1 "--out names a file"
expect_err "rampart: demo: 'd/notes.txt' exists and is not a directory" "--out names a file"

run demo --days 0
expect_rc 2 "bad --days"
expect_err "rampart: demo: option '--days' wants a number from 1 to 366, not '0'
hint: see 'rampart help demo'" "bad --days"

run demo --records 5
expect_rc 2 "unknown demo option"
expect_err "rampart: demo: unknown argument '--records'
hint: see 'rampart help demo'" "unknown option"

finish
