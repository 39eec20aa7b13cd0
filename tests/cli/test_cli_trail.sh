#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart trail verify`: the exact report (AWS-CLI-style text, -v, json, csv) and exit status
# over a small mirror of a trail bucket that this script builds and signs itself with the
# openssl tool (installed with ca-certificates): an RSA key, two gzip log files, a chain of two
# digests with `.sig` sidecars, and the list-public-keys JSON. Then one damage at a time:
# a modified log file, a missing log file, a broken chain (re-signed digest), a corrupted
# signature; and the usage errors.
. "$(dirname "$0")/cli_lib.sh"

if ! command -v openssl >/dev/null 2>&1; then
    echo "FAIL: the openssl tool is missing (ca-certificates installs it)"
    exit 1
fi

ACCT=111122223333
BUCKET=trail-bucket
LDIR=AWSLogs/$ACCT/CloudTrail/us-east-1/2026/01/01
DDIR=AWSLogs/$ACCT/CloudTrail-Digest/us-east-1/2026/01/01
L1=$LDIR/${ACCT}_CloudTrail_us-east-1_20260101T0005Z_AAAAAAAAAAAAAAAA.json.gz
L2=$LDIR/${ACCT}_CloudTrail_us-east-1_20260101T0105Z_BBBBBBBBBBBBBBBB.json.gz
D1=$DDIR/${ACCT}_CloudTrail-Digest_us-east-1_main_us-east-1_20260101T010000Z.json.gz
D2=$DDIR/${ACCT}_CloudTrail-Digest_us-east-1_main_us-east-1_20260101T020000Z.json.gz
tab=$(printf '\t')
cr=$(printf '\r')

sha() { sha256sum | cut -d' ' -f1; }
hexof() { od -An -v -tx1 | tr -d ' \n'; }

openssl genrsa -out key.pem 2048 2>/dev/null || { echo "FAIL: openssl genrsa"; exit 1; }
openssl rsa -in key.pem -RSAPublicKey_out -outform DER -out pub.der 2>/dev/null ||
    { echo "FAIL: openssl rsa"; exit 1; }
FP=$(md5sum pub.der | cut -d' ' -f1)
printf '{"PublicKeyList":[{"Value":"%s","ValidityStartTime":"2025-01-01T00:00:00+00:00","ValidityEndTime":"2027-01-01T00:00:00+00:00","Fingerprint":"%s"}]}\n' \
    "$(base64 -w0 pub.der)" "$FP" >keys.json

# log REL TEXT: write mirror/REL gzipped; sets H to the hash of TEXT
log() {
    mkdir -p "mirror/$(dirname "$1")"
    printf '%s' "$2" | gzip -n >"mirror/$1"
    H=$(printf '%s' "$2" | sha)
}
# digest REL END PREV_REL PREV_HASH PREV_SIG LOG_REL LOG_HASH: write and sign mirror/REL;
# sets SIG. PREV_REL empty = first digest of the chain.
digest() {
    if [ -n "$3" ]; then
        prev="\"previousDigestS3Bucket\":\"$BUCKET\",\"previousDigestS3Object\":\"$3\",\"previousDigestHashValue\":\"$4\",\"previousDigestHashAlgorithm\":\"SHA-256\",\"previousDigestSignature\":\"$5\""
        psig=$5
    else
        prev='"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null'
        psig=null
    fi
    json="{\"awsAccountId\":\"$ACCT\",\"digestStartTime\":\"$(date -u -d "$2 1 hour ago" +%Y-%m-%dT%H:%M:%SZ)\",\"digestEndTime\":\"$2\",\"digestS3Bucket\":\"$BUCKET\",\"digestS3Object\":\"$1\",\"digestPublicKeyFingerprint\":\"$FP\",\"digestSignatureAlgorithm\":\"SHA256withRSA\",$prev,\"logFiles\":[{\"s3Bucket\":\"$BUCKET\",\"s3Object\":\"$6\",\"hashValue\":\"$7\",\"hashAlgorithm\":\"SHA-256\"}]}"
    mkdir -p "mirror/$(dirname "$1")"
    printf '%s' "$json" | gzip -n >"mirror/$1"
    DH=$(printf '%s' "$json" | sha)
    SIG=$(printf '%s\n%s/%s\n%s\n%s' "$2" "$BUCKET" "$1" "$DH" "$psig" |
        openssl dgst -sha256 -sign key.pem | hexof)
    printf '%s\n' "$SIG" >"mirror/$1.sig"
}

build() {
    rm -rf mirror
    log "$L1" '{"Records":[{"eventName":"CreateUser"}]}'
    H1=$H
    log "$L2" '{"Records":[{"eventName":"CreateAccessKey"}]}'
    H2=$H
    digest "$D1" 2026-01-01T01:00:00Z "" "" "" "$L1" "$H1"
    D1H=$DH
    D1S=$SIG
    digest "$D2" 2026-01-01T02:00:00Z "$D1" "$D1H" "$D1S" "$L2" "$H2"
}

SUMMARY_OK="Results requested for all digest files
Results found for 2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z:

2/2 digest files valid
2/2 log files valid"

# ---- all valid ---------------------------------------------------------------------------

build
run trail verify mirror --public-keys keys.json
expect_rc 0 "all valid"
expect_out "$SUMMARY_OK" "valid summary"
expect_err "" "quiet when valid"

run trail verify mirror --public-keys keys.json -v
expect_rc 0 "all valid, -v"
expect_out "Digest file${tab}mirror/$D1${tab}valid
Log file${tab}mirror/$L1${tab}valid
Digest file${tab}mirror/$D2${tab}valid
Log file${tab}mirror/$L2${tab}valid

$SUMMARY_OK" "-v lists every file"

run trail verify mirror --public-keys keys.json --start-time 2026-01-01T01:30:00Z \
    --end-time 2026-01-01T02:00:00Z
expect_rc 0 "time range"
expect_out "Results requested for 2026-01-01T01:30:00Z to 2026-01-01T02:00:00Z
Results found for 2026-01-01T01:00:00Z to 2026-01-01T02:00:00Z:

1/1 digest files valid
1/1 log files valid" "time range summary"

run --format json trail verify mirror --public-keys keys.json --end-time 2026-01-01T01:00:00Z
expect_rc 0 "json"
expect_out "{\"files\":[{\"type\":\"digest\",\"status\":\"valid\",\"path\":\"mirror/$D1\",\"s3_uri\":\"s3://$BUCKET/$D1\",\"reason\":null,\"detail\":null,\"digest\":null},{\"type\":\"log\",\"status\":\"valid\",\"path\":\"mirror/$L1\",\"s3_uri\":\"s3://$BUCKET/$L1\",\"reason\":null,\"detail\":null,\"digest\":\"mirror/$D1\"}],\"requested_start\":null,\"requested_end\":\"2026-01-01T01:00:00Z\",\"found_start\":\"2026-01-01T00:00:00Z\",\"found_end\":\"2026-01-01T01:00:00Z\",\"digest_files\":{\"total\":1,\"valid\":1,\"invalid\":0,\"missing\":0},\"log_files\":{\"total\":1,\"valid\":1,\"invalid\":0,\"missing\":0},\"valid\":true}" "json report"

run --format csv trail verify mirror --public-keys keys.json --start-time 2026-01-01T02:00:00Z
expect_rc 0 "csv"
expect_out "type,status,reason,path,s3_uri,detail,digest$cr
digest,valid,,mirror/$D2,s3://$BUCKET/$D2,,$cr
log,valid,,mirror/$L2,s3://$BUCKET/$L2,,mirror/$D2$cr" "csv rows"

# ---- modified log file ------------------------------------------------------------------

build
log "$L2" '{"Records":[{"eventName":"CreateAccessKeZ"}]}'
run trail verify mirror --public-keys keys.json
expect_rc 1 "modified log"
expect_out "Log file${tab}mirror/$L2${tab}INVALID: hash mismatch

Results requested for all digest files
Results found for 2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z:

2/2 digest files valid
1/2 log files valid, 1/2 log files INVALID" "modified log report"

run trail verify mirror --public-keys keys.json -v
expect_rc 1 "modified log, -v"
expect_out_has "Log file${tab}mirror/$L2${tab}INVALID: hash mismatch (content hashes to $H, the digest lists $H2)" "details with -v"

# ---- missing log file -------------------------------------------------------------------

build
rm "mirror/$L1"
run trail verify mirror --public-keys keys.json
expect_rc 1 "missing log"
expect_out "Log file${tab}mirror/$L1${tab}MISSING: not found

Results requested for all digest files
Results found for 2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z:

2/2 digest files valid
1/2 log files valid, 1/2 log files MISSING" "missing log report"

# ---- broken chain: D2 re-signed with a wrong previous hash ------------------------------

build
digest "$D2" 2026-01-01T02:00:00Z "$D1" "$H1" "$D1S" "$L2" "$H2"
run trail verify mirror --public-keys keys.json
expect_rc 1 "broken chain"
expect_out "Digest file${tab}mirror/$D2${tab}INVALID: previous digest hash mismatch

Results requested for all digest files
Results found for 2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z:

1/2 digest files valid, 1/2 digest files INVALID
2/2 log files valid" "broken chain report"

# ---- missing digest ---------------------------------------------------------------------

build
rm "mirror/$D1" "mirror/$D1.sig"
run trail verify mirror --public-keys keys.json
expect_rc 1 "missing digest"
expect_out "Digest file${tab}mirror/$D1${tab}MISSING: not found

Results requested for all digest files
Results found for 2026-01-01T01:00:00Z to 2026-01-01T02:00:00Z:

1/2 digest files valid, 1/2 digest files MISSING
1/1 log files valid" "missing digest report"

# ---- bad signature ----------------------------------------------------------------------

build
bad=$(printf '%s' "$SIG" | cut -c1-10)$(printf '%s' "$SIG" | cut -c11 | tr '0-9a-f' '1-9a-f0')$(printf '%s' "$SIG" | cut -c12-)
printf '%s\n' "$bad" >"mirror/$D2.sig"
run trail verify mirror --public-keys keys.json
expect_rc 1 "bad signature"
expect_out "Digest file${tab}mirror/$D2${tab}INVALID: signature does not verify
Log file${tab}mirror/$L2${tab}INVALID: listed in an unverified digest

Results requested for all digest files
Results found for 2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z:

1/2 digest files valid, 1/2 digest files INVALID
1/2 log files valid, 1/2 log files INVALID" "bad signature report"

# ---- nothing found, errors, usage -------------------------------------------------------

mkdir -p empty
run trail verify empty --public-keys keys.json
expect_rc 1 "no digests"
expect_out "Results requested for all digest files
No digest files found" "no digests report"

run trail verify mirror --public-keys none.json
expect_rc 1 "keys file missing"
expect_err_has "rampart: trail: trail: keys: cannot read 'none.json'" "keys error"

run trail verify mirror
expect_rc 2 "no keys"
expect_err "rampart: trail: verify: --public-keys FILE is required
hint: see 'rampart help trail'" "no keys usage"

run trail verify --public-keys keys.json
expect_rc 2 "no path"
expect_err "rampart: trail: verify: missing PATH
hint: see 'rampart help trail'" "no path usage"

run trail verify mirror --public-keys keys.json --start-time yesterday
expect_rc 2 "bad time"
expect_err_has "rampart: trail: verify: --start-time: time: " "bad time usage"

run trail verify mirror --public-keys keys.json --nope
expect_rc 2 "unknown option"
expect_err "rampart: trail: verify: unknown option '--nope'
hint: see 'rampart help trail'" "unknown option usage"

run trail
expect_rc 2 "no subcommand"
expect_err "rampart: trail: missing subcommand (verify)
hint: see 'rampart help trail'" "no subcommand usage"

finish
