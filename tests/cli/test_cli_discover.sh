#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart discover` on local files: the rows of a scan (text, CSV, a tar archive's member),
# a damaged gzip and a damaged zip named on stderr with exit status 3 and kept in the
# discovery results as SKIPPED, Macie's discovery result records (--results), a custom
# identifier with severity levels, an allow list, a subset of managed identifiers, findings
# stored in the hub and updated by a second scan, the `macie` export, and the bucket policy
# findings from ingested S3 bucket configuration items. Synthetic values only.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/cli_lib.sh"
rc=0 out= err=

command -v jq >/dev/null 2>&1 || {
    echo "FAIL: jq is not installed (scripts/install-deps.sh installs it)"
    exit 1
}

# ---- the tree ------------------------------------------------------------------------------
T=exports
mkdir -p "$T/hr" tarsrc
printf 'name,email,ssn\nAnn Example,ann@corp-example.org,078-05-1120\nBob Example,bob@corp-example.org,219-09-9999\n' \
    >"$T/hr/people.csv"
printf 'Meeting notes\ncard number 4111 1111 1111 1111 on file\n4111 1111 1111 1112 fails Luhn\n' \
    >"$T/notes.txt"
printf 'contacts\nssn: 219-09-9999 (Bob)\n' >tarsrc/contacts.txt
printf 'nothing here\n' >tarsrc/readme.txt
tar -C tarsrc -cf "$T/bundle.tar" contacts.txt readme.txt
printf 'staff: employee EMP-1234 and employee EMP-5678\n' >"$T/staff.txt"
printf 'one employee EMP-4321\n' >"$T/one.txt"
printf '\037\213\010\000broken' >"$T/broken.log.gz"
printf 'PK\003\004not a zip at all' >"$T/bad.zip"
printf 'nothing sensitive\n' >"$T/clean.txt"

# ---- a dry run: rows, the objects not read, the exit status --------------------------------
run --db d.db discover scan --dry-run "$T"
expect_rc 3 "dry run with damaged files"
expect_out "object                            type                              severity  count  detections
exports/bundle.tar!/contacts.txt  SensitiveData:S3Object/Personal   Low           1  USA_SOCIAL_SECURITY_NUMBER:1
exports/hr/people.csv             SensitiveData:S3Object/Personal   Medium        4  EMAIL_ADDRESS:2 USA_SOCIAL_SECURITY_NUMBER:2
exports/notes.txt                 SensitiveData:S3Object/Financial  Low           1  CREDIT_CARD_NUMBER:1" "dry run rows"
expect_err "rampart: discover: exports/bad.zip: skipped: a damaged or unsupported archive (UNSUPPORTED_OR_DAMAGED)
rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 3 findings in 7 files (322 bytes); 2 not read (dry run: nothing stored)" "dry run stderr"

# ---- --reveal: the values in clear on the terminal, nothing stored, never in the results -----
run --db reveal.db discover scan --reveal --results revealed.jsonl "$T"
expect_rc 3 "reveal"
expect_out "object                            type                              severity  count  detections                                    revealed
exports/bundle.tar!/contacts.txt  SensitiveData:S3Object/Personal   Low           1  USA_SOCIAL_SECURITY_NUMBER:1                  USA_SOCIAL_SECURITY_NUMBER: 219-09-9999
exports/hr/people.csv             SensitiveData:S3Object/Personal   Medium        4  EMAIL_ADDRESS:2 USA_SOCIAL_SECURITY_NUMBER:2  EMAIL_ADDRESS: ann@corp-example.org, bob@corp-example.org; USA_SOCIAL_SECURITY_NUMBER: 078-05-1120, 219-09-9999
exports/notes.txt                 SensitiveData:S3Object/Financial  Low           1  CREDIT_CARD_NUMBER:1                          CREDIT_CARD_NUMBER: 4111 1111 1111 1111" "reveal rows"
expect_err "rampart: discover: exports/bad.zip: skipped: a damaged or unsupported archive (UNSUPPORTED_OR_DAMAGED)
rampart: discover: exports/broken.log.gz: gz: truncated input in 'exports/broken.log.gz' at byte 10
rampart: discover: 3 findings in 7 files (322 bytes); 2 not read (dry run: nothing stored)" "reveal stores nothing"
checks=$((checks + 1))
[ ! -e reveal.db ] || fail "--reveal created a store"
checks=$((checks + 1))
! grep -q -e '219-09-9999' -e '4111 1111 1111 1111' -e 'ann@corp' revealed.jsonl || fail "a value in clear in the results: $(cat revealed.jsonl)"
checks=$((checks + 1))
[ "$(jq -r 'select(.resourcesAffected.s3Object.key == "notes.txt")
        | .classificationDetails.result.sensitiveData[0].detections[0].type' revealed.jsonl)" = CREDIT_CARD_NUMBER ] ||
    fail "the results of a reveal run: $(cat revealed.jsonl)"

# ---- discovery results: one record per object, read or not ---------------------------------
run --db d.db discover scan --dry-run --results results.jsonl "$T"
expect_rc 3 "results run"
checks=$((checks + 1))
[ "$(jq -r '[.resourcesAffected.s3Object.path, .resourcesAffected.s3Object.extension,
        .classificationDetails.result.status.code,
        (.classificationDetails.result.status.reason // "-"),
        (.classificationDetails.result.sensitiveData | map(.totalCount) | add // 0)]
        | map(tostring) | join(" ")' results.jsonl)" = "exports/bad.zip zip SKIPPED UNSUPPORTED_OR_DAMAGED 0
exports/broken.log.gz gz SKIPPED UNKNOWN_ERROR 0
exports/bundle.tar!/contacts.txt txt COMPLETE - 1
exports/bundle.tar!/readme.txt txt COMPLETE - 0
exports/clean.txt txt COMPLETE - 0
exports/hr/people.csv csv COMPLETE - 4
exports/notes.txt txt COMPLETE - 1
exports/one.txt txt COMPLETE - 0
exports/staff.txt txt COMPLETE - 0" ] || fail "results: $(cat results.jsonl)"
checks=$((checks + 1))
[ "$(jq -c 'select(.resourcesAffected.s3Object.key == "hr/people.csv")
        | [.version, .resourcesAffected.s3Bucket.arn, .resourcesAffected.s3Object.bucketArn,
           .resourcesAffected.s3Object.size, .classificationDetails.originType,
           .classificationDetails.result.mimeType, .classificationDetails.result.sizeClassified,
           (.classificationDetails.result.sensitiveData[0].detections[]
            | [.type, .count, (.occurrences.cells[] | [.row, .column, .columnName])])]' \
    results.jsonl)" = '["1.0","arn:aws:s3:::exports","arn:aws:s3:::exports",105,"SENSITIVE_DATA_DISCOVERY_JOB","text/csv",105,["EMAIL_ADDRESS",2,[2,2,"email"],[3,2,"email"]],["USA_SOCIAL_SECURITY_NUMBER",2,[2,3,"ssn"],[3,3,"ssn"]]]' ] ||
    fail "people.csv result: $(grep people.csv results.jsonl)"

# ---- a custom identifier with severity levels; an allow list; a subset ---------------------
cat >emp.yaml <<'EOF'
id: EMPLOYEE_ID
name: Employee number
category: CUSTOM_IDENTIFIER
regex: 'EMP-[0-9]{4}'
keywords: [employee]
severity_levels:
  - {occurrences_threshold: 2, severity: LOW}
  - {occurrences_threshold: 10, severity: HIGH}
EOF
run --db d.db discover scan --dry-run --identifiers CREDIT_CARD_NUMBER --custom emp.yaml \
    "$T/staff.txt" "$T/one.txt" "$T/notes.txt"
expect_rc 0 "custom identifier"
expect_out "object             type                                     severity  count  detections
exports/staff.txt  SensitiveData:S3Object/CustomIdentifier  Low           2  EMPLOYEE_ID:2
exports/notes.txt  SensitiveData:S3Object/Financial         Low           1  CREDIT_CARD_NUMBER:1" \
    "custom identifier rows (one.txt: 1 occurrence, below the first level)"

printf '078-05-1120\n' >allow.txt
run --db d.db discover scan --dry-run --identifiers USA_SOCIAL_SECURITY_NUMBER \
    --allow-list allow.txt --allow-regex '219-09-[0-9]{4}' "$T/hr" "$T/notes.txt"
expect_rc 0 "allow list"
expect_out "object  type  severity  count  detections" "allow list: nothing left"
expect_err "rampart: discover: 0 findings in 2 files (190 bytes) (dry run: nothing stored)" \
    "allow list summary"

run --db d.db discover scan --identifiers NO_SUCH_ID "$T"
expect_rc 2 "unknown identifier"
expect_err_has "NO_SUCH_ID" "unknown identifier named"

# ---- stored: the hub, a second scan updates, the macie export ------------------------------
run --db d.db -q discover scan "$T"
expect_rc 3 "stored scan"
run --db d.db findings list --filter ProductName=Macie --format json
expect_rc 0 "findings list"
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -r '.Findings[].Resources[0].Id' | sort)" = "arn:aws:s3:::exports/bundle.tar!/contacts.txt
arn:aws:s3:::exports/hr/people.csv
arn:aws:s3:::exports/notes.txt" ] || fail "stored findings: $out"
first=$(printf '%s' "$out" | jq -r '.Findings[].Id' | sort)

run --db d.db -q discover scan "$T"
run --db d.db findings list --filter ProductName=Macie --format json
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -r '.Findings[].Id' | sort)" = "$first" ] || fail "rescan changed ids: $out"

run --db d.db findings export --to macie
expect_rc 0 "macie export"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | jq -r '.findings[] | .type + " " + .resourcesAffected.s3Object.path + " "
        + .severity.description + " " + (.classificationDetails.result.sensitiveData
        | map(.detections[] | .type + ":" + (.count | tostring)) | join(","))' | sort)" = "SensitiveData:S3Object/Financial exports/notes.txt Low CREDIT_CARD_NUMBER:1
SensitiveData:S3Object/Personal exports/bundle.tar!/contacts.txt Low USA_SOCIAL_SECURITY_NUMBER:1
SensitiveData:S3Object/Personal exports/hr/people.csv Medium EMAIL_ADDRESS:2,USA_SOCIAL_SECURITY_NUMBER:2" ] ||
    fail "macie export: $out"

# ---- bucket policy findings from S3 bucket configuration items -----------------------------
cat >cis.json <<'EOF'
[
{"configurationItemCaptureTime":"2026-01-05T00:00:00.000Z","awsAccountId":"111122223333","configurationItemStatus":"OK","resourceType":"AWS::S3::Bucket","resourceId":"public-site","resourceName":"public-site","awsRegion":"us-east-1","configuration":{"name":"public-site"},"supplementaryConfiguration":{"AccessControlList":"{\"grantList\":[{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}]}"}},
{"configurationItemCaptureTime":"2026-01-05T00:00:00.000Z","awsAccountId":"111122223333","configurationItemStatus":"OK","resourceType":"AWS::S3::Bucket","resourceId":"locked","resourceName":"locked","awsRegion":"us-east-1","configuration":{"name":"locked"},"supplementaryConfiguration":{"ServerSideEncryptionConfiguration":{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"aws:kms"}}]},"PublicAccessBlockConfiguration":{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true}}},
{"configurationItemCaptureTime":"2026-01-05T00:00:00.000Z","awsAccountId":"111122223333","configurationItemStatus":"OK","resourceType":"AWS::S3::Bucket","resourceId":"partner-share","resourceName":"partner-share","awsRegion":"us-east-1","configuration":{"name":"partner-share"},"supplementaryConfiguration":{"ServerSideEncryptionConfiguration":{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256"}}]},"PublicAccessBlockConfiguration":{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true},"BucketPolicy":{"policyText":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::partner-share/*\"}]}"}}}
]
EOF
run --db p.db -q ingest cis.json
expect_rc 0 "ingest bucket items"
run --db p.db discover policy --dry-run
expect_rc 0 "policy dry run"
expect_out "bucket                      type
arn:aws:s3:::partner-share  Policy:IAMUser/S3BucketSharedExternally
arn:aws:s3:::public-site    Policy:IAMUser/S3BucketPublic
arn:aws:s3:::public-site    Policy:IAMUser/S3BlockPublicAccessDisabled
arn:aws:s3:::public-site    Policy:IAMUser/S3BucketEncryptionDisabled" "policy rows"
expect_err "rampart: discover: 4 policy findings (dry run: nothing stored)" "policy summary"
run --db p.db -q discover policy
expect_rc 0 "policy stored"
run --db p.db findings list --filter ProductName=Macie --format json
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -r '.Findings[] | .Severity.Label + " " + .Types[0]' | sort)" = "HIGH Software and Configuration Checks/AWS Security Best Practices/Policy:IAMUser-S3BucketPublic
HIGH Software and Configuration Checks/AWS Security Best Practices/Policy:IAMUser-S3BucketSharedExternally
LOW Software and Configuration Checks/AWS Security Best Practices/Policy:IAMUser-S3BlockPublicAccessDisabled
LOW Software and Configuration Checks/AWS Security Best Practices/Policy:IAMUser-S3BucketEncryptionDisabled" ] ||
    fail "policy findings: $out"

run --db p.db discover policy --now
expect_rc 2 "policy usage"
expect_err_has "policy takes only --dry-run" "policy usage"

finish
