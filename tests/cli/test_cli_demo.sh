#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart demo`: the whole pipeline on generated input, pinned exactly (except the timing
# line and the store's size in bytes). The figures change only when the generator in src/sim
# changes; then re-check them by hand and update this file.
. "$(dirname "$0")/cli_lib.sh"

run --db r.db demo --out in --days 1 --records 50
expect_rc 0 "demo on a fresh store"
out=$(printf '%s\n' "$out" | grep -v '^timing: pass 1 read ' |
      sed 's/^\(store r.db: schema version 1, \)[0-9]* bytes$/\1N bytes/')
expect_out "$(cat <<'GOLDEN'
Rampart demo: 16 CloudTrail delivery files (2 accounts x 2 regions x 1 day(s) x 4 a day, 50 records each, seed 1) in in,
with 3 planted defects: a truncated .gz, a file of malformed JSON (at byte 39270), a record with month 13.

pass  files  read  unchanged  rejected  records  records_rejected  json_bytes
1        16    16          0         2      699                 1  1153632

events from 2026-11-01T00:02:28Z to 2026-11-01T20:52:38Z; 1 other file(s) passed over

count  eventName (top 10)
   79  GetObject
   67  AssumeRole
   60  Decrypt
   51  DescribeInstances
   43  UpdateInstanceInformation
   38  CreateLogStream
   35  GetCallerIdentity
   35  PutObject
   28  GetMetricData
   26  DescribeSecurityGroups
  237  (31 others)

count  userIdentity.type
  481  AssumedRole
  176  IAMUser
   34  AWSService
    7  AWSAccount
    1  Root

count  eventCategory
  546  Management
  153  Data

count  sourceIPAddress (longest-prefix label)
  449  cloud provider ranges (coarse /8)
  190  internet (IPv4)
   34  AWS service (host name)
   26  private (RFC 1918)

count  errorCode (top 5)
    6  AccessDenied
    2  AccessDeniedException
    2  Client.UnauthorizedOperation
    1  Client.RequestLimitExceeded

rejected input, kept in the store (rampart db rejects):
source                                                                                                                          offset  line  reason
AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_20261101T1205Z_B919F47A0701C747.json.gz       -     -  Records[3]: eventTime: time: bad month '13' at 5 in '2026-13-01T06:21:31Z'
AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/01/444455556666_CloudTrail_eu-west-1_20261101T1805Z_A8A940E0AB1DFEBD.json.gz   39270     1  json: unexpected character '=' at offset 39270 (kept bytes 39014..39526)
AWSLogs/444455556666/CloudTrail/us-east-1/2026/11/01/444455556666_CloudTrail_us-east-1_20261102T0005Z_62C0038E3E4B4BB5.json.gz       -     -  gz: truncated input in 'in/AWSLogs/444455556666/CloudTrail/us-east-1/2026/11/01/444455556666_CloudTrail_us-east-1_20261102T0005Z_62C0038E3E4B4BB5.json.gz' at byte 6796

the same tree again: checkpoints make the second pass read nothing
pass  files  read  unchanged  rejected  records  records_rejected  json_bytes
2        16     0         16         0        0                 0  0

store r.db: schema version 1, N bytes
table               rows
ingest_checkpoints  16
rejects             3
store_migrations    1

demo: ok: the 3 planted defects were rejected and kept, all 699 good records were read, the re-run read nothing
GOLDEN
)" "demo output"
checks=$((checks + 1)); [ -f in/README.txt ] || fail "generated tree missing"

# the planted defects are in the store for `db rejects` too
run --db r.db db rejects --format csv
expect_rc 0 "db rejects after demo"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] || fail "db rejects lists 3 rows and a header"
expect_out_has "json: unexpected character '=' at offset 39270 (kept bytes 39014..39526)" "reject reason"

# a second demo into the same store finds its files already read, and says so
run --db r.db demo --out in --days 1 --records 50
expect_rc 1 "demo into a used store"
expect_err "rampart: demo: self-check failed: 3 rejects (want 3), 0 records (want 699), 0 files re-read (want 0); was the store used before? try a new --db" "self-check"

run demo --days 0
expect_rc 2 "bad --days"
expect_err "rampart: demo: option '--days' wants a number from 1 to 366, not '0'
hint: see 'rampart help demo'" "bad --days"

run demo --frob
expect_rc 2 "unknown demo option"
expect_err "rampart: demo: unknown argument '--frob'
hint: see 'rampart help demo'" "unknown option"

finish
