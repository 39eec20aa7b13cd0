#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart findings` (the findings hub): importing the hand-written ASFF, GuardDuty, OCSF, Trivy
# and Prowler fixtures (tests/fixtures/hub/conv_*.json, each with one malformed item) plus a
# broken file, with exact summaries, per-item errors and exit codes; idempotent re-import;
# counts under each kind of filter; list as csv; update by filter and by id (FindingNotFound);
# history; the workflow surviving a provider re-import; the ASFF round trip through a second
# store; exports; insights; usage errors.
FIX=$(cd "$(dirname "$0")/../fixtures/hub" && pwd)
. "$(dirname "$0")/cli_lib.sh"

unset RAMPART_DB
mkdir in
cp "$FIX"/conv_*.json in/
printf '{"Findings": [1, 2\n' >in/broken.json
cr=$(printf '\r') # csv rows end in CRLF; $(..) strips only the final LF

# ---- import ------------------------------------------------------------------------------

run --db h.db findings import in/*.json
expect_rc 3 "import: some items refused"
expect_out "created  updated  unchanged  failed
     19        0          0  5" "import summary"
expect_err "rampart: findings: hub: 'in/broken.json': json: unexpected end of input at offset 19
rampart: findings: in/conv_asff_batch.json: item 1: asff: a finding must be a JSON object, not int [InvalidInput]
rampart: findings: in/conv_guardduty_findings.json: item 1: guardduty: missing field 'Arn' [ConversionFailed]
rampart: findings: in/conv_ocsf_findings.json: item 2: ocsf: missing field 'finding_info.uid' [ConversionFailed]
rampart: findings: in/conv_prowler_legacy.json: item 2: prowler: missing field 'ResourceId' [ConversionFailed]
rampart: findings: in/conv_trivy_report.json: item 1: trivy: missing field 'VulnerabilityID' [ConversionFailed]
rampart: findings: 5 findings refused; see \`rampart db rejects\`" "import errors"

run --db h.db --format csv db rejects
expect_rc 0 "rejects"
expect_out_has "in/conv_trivy_report.json,,,ConversionFailed: item 1: trivy: missing field 'VulnerabilityID',100,100,\"{\"\"PkgID\"\":\"\"busybox@1.36.1-r2\"\"" "refused item kept whole"

run --db h.db findings import in/conv_guardduty_findings.json in/conv_ocsf_prowler.json
expect_rc 3 "re-import: the malformed item is still refused"
expect_out "created  updated  unchanged  failed
      0        0          5  1" "re-import changes nothing"

# a directory: its .json/.jsonl/.ndjson (and .gz) files, in name order; other files are left out
printf 'not findings\n' >in/notes.txt
run --db dir.db findings import in
expect_rc 3 "import a directory"
expect_out "created  updated  unchanged  failed
     19        0          0  5" "the same findings as the files"
expect_err_has "rampart: findings: hub: 'in/broken.json': json: unexpected end of input at offset 19" "broken file named"
rm in/notes.txt

# ---- filters -----------------------------------------------------------------------------

counts=""
for c in "" SeverityLabel=HIGH ProductName=GuardDuty 'Type^=TTPs/' ResourceType=AwsS3Bucket \
    ComplianceStatus=FAILED RecordState=ARCHIVED 'UpdatedAt>=2024-03-01' 'Title~=root' \
    'ProductName!=Prowler' 'SeverityNormalized>=70'; do
    run --db h.db findings count ${c:+--filter "$c"}
    counts="$counts$c:$out;"
done
out=$counts
expect_out ":19;SeverityLabel=HIGH:7;ProductName=GuardDuty:4;Type^=TTPs/:2;ResourceType=AwsS3Bucket:6;ComplianceStatus=FAILED:6;RecordState=ARCHIVED:1;UpdatedAt>=2024-03-01:11;Title~=root:4;ProductName!=Prowler:15;SeverityNormalized>=70:13;" "counts per filter"

run --db h.db findings count --filters '{"ProductName": [{"Value": "GuardDuty", "Comparison": "EQUALS"}], "SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}, {"Value": "LOW", "Comparison": "EQUALS"}]}'
expect_rc 0 "GetFindings Filters JSON"
expect_out "3" "GuardDuty HIGH or LOW"

run --db h.db --format csv findings list --filter ProductName=GuardDuty --sort UpdatedAt:asc --max 2
expect_rc 0 "list csv"
expect_out "UpdatedAt,SeverityLabel,WorkflowStatus,RecordState,ProductName,Type,ResourceId,Title,Id$cr
2024-03-04T10:15:30.120Z,MEDIUM,NEW,ACTIVE,GuardDuty,TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort,arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718,Unprotected port on EC2 instance i-0a1b2c3d4e5f60718 is being probed.,arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01$cr
2024-03-04T12:30:00.000Z,HIGH,NEW,ARCHIVED,GuardDuty,Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS,AWS::IAM::AccessKey:ASIAIOSFODNN7EXAMPLE,Credentials for instance role web-server-role used from external IP address.,arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/7e2d9c1b3a4f5e6d7c8b9a0f1e2d3c4b$cr" "two oldest GuardDuty findings"
expect_err "rampart: findings: more findings: --next-token v1:2" "the next page is announced"

run --db h.db findings count --filter 'Title!=a' --filter 'Title=b'
expect_rc 2 "EQUALS with NOT_EQUALS is refused"
expect_err_has "'Title' cannot combine EQUALS with NOT_EQUALS" "the refusal names the attribute"

run --db h.db findings count --filter 'Foo=bar'
expect_rc 2 "unknown attribute"
expect_err_has "unknown attribute 'Foo'" "unknown attribute named"

# ---- update, history, customer fields ----------------------------------------------------

run --db h.db findings update --filter ProductName=Trivy --workflow-status SUPPRESSED --note 'accepted risk' --updated-by ana
expect_rc 0 "update by filter"
expect_out "updated 3 findings" "three Trivy findings"

run --db h.db findings count --filter WorkflowStatus=SUPPRESSED
expect_out "3" "suppressed"

ID='registry.example.com/shop/web:1.4.2/Dockerfile/DS002'
run --db h.db --format json findings history "$ID"
expect_rc 0 "history"
out=$(printf '%s' "$out" | sed -E 's/"(UpdateTime|UpdatedAt)":"[^"]*"/"\1":"T"/g; s/\\"UpdatedAt\\":\\"[^\\]*\\"/\\"UpdatedAt\\":\\"T\\"/g')
expect_out '{"Records":[{"FindingIdentifier":{"Id":"registry.example.com/shop/web:1.4.2/Dockerfile/DS002","ProductArn":"arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity"},"UpdateTime":"T","FindingCreated":true,"UpdateSource":{"Type":"BATCH_IMPORT_FINDINGS","Identity":"arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity"},"Updates":[]},{"FindingIdentifier":{"Id":"registry.example.com/shop/web:1.4.2/Dockerfile/DS002","ProductArn":"arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity"},"UpdateTime":"T","FindingCreated":false,"UpdateSource":{"Type":"BATCH_UPDATE_FINDINGS","Identity":"rampart"},"Updates":[{"UpdatedField":"Workflow","OldValue":"{\"Status\":\"NEW\"}","NewValue":"{\"Status\":\"SUPPRESSED\"}"},{"UpdatedField":"Note","OldValue":"","NewValue":"{\"Text\":\"accepted risk\",\"UpdatedBy\":\"ana\",\"UpdatedAt\":\"T\"}"}]}]}' "history records"

# the provider re-imports a newer copy: the customer's workflow and note stay
sed 's/"CreatedAt": "2024-04-02T11:22:33.123456789Z"/"CreatedAt": "2024-04-09T00:00:00Z"/' \
    in/conv_trivy_report.json >trivy2.json
run --db h.db findings import trivy2.json
expect_rc 3 "re-import a newer Trivy report"
expect_out "created  updated  unchanged  failed
      0        3          0  1" "newer report updates"
run --db h.db findings show "$ID"
expect_rc 0 "show"
expect_out_has '"UpdatedAt":"2024-04-09T00:00:00.000Z"' "provider's UpdatedAt"
expect_out_has '"CreatedAt":"2024-04-02T11:22:33.123Z"' "CreatedAt from the first import"
expect_out_has '"Workflow":{"Status":"SUPPRESSED"}' "customer's workflow kept"
expect_out_has '"Note":{"Text":"accepted risk","UpdatedBy":"ana"' "customer's note kept"

run --db h.db findings update --id nope --workflow-status NOTIFIED
expect_rc 3 "update of a missing finding"
expect_out "updated 0 findings, 1 not processed" "nothing updated"
expect_err "rampart: findings: FindingNotFound: no finding 'nope' (Id 'nope')" "FindingNotFound"

run --db h.db findings update --workflow-status DONE --id x
expect_rc 2 "bad workflow status"
expect_err_has "'Workflow.Status' must be one of NEW, NOTIFIED, RESOLVED, SUPPRESSED" "named"

# ---- export ------------------------------------------------------------------------------

run --db h.db findings export --to asff -o a1.json
expect_rc 0 "export asff"
run --db h2.db findings import a1.json
expect_rc 0 "import the export into a second store"
expect_out "created  updated  unchanged  failed
     19        0          0  0" "all 19 findings"
run --db h2.db findings export --to asff -o a2.json
expect_rc 0 "export again"
checks=$((checks + 1))
cmp -s a1.json a2.json || fail "ASFF round trip changed the documents"

run --db h.db findings export --to csv --filter ProductName=Prowler --filter 'Id^=prowler-aws'
expect_rc 0 "export csv"
expect_out "Id,ProductArn,ProductName,GeneratorId,AwsAccountId,Region,Types,Title,SeverityLabel,SeverityNormalized,WorkflowStatus,RecordState,ComplianceStatus,ResourceType,ResourceId,CreatedAt,UpdatedAt,FirstObservedAt,LastObservedAt$cr
prowler-aws-s3_bucket_default_encryption-111122223333-us-east-1-example-logs-bucket,arn:aws:securityhub:us-east-1::product/prowler/prowler,Prowler,prowler-s3_bucket_default_encryption,111122223333,us-east-1,Software and Configuration Checks,Check if S3 buckets have default encryption (SSE) enabled or use a bucket policy to enforce it.,MEDIUM,40,NEW,ACTIVE,FAILED,AwsS3Bucket,arn:aws:s3:::example-logs-bucket,2024-05-16T14:07:33.000Z,2024-05-16T14:07:33.000Z,,$cr
prowler-aws-iam_root_mfa_enabled-111122223333-us-east-1-root,arn:aws:securityhub:us-east-1::product/prowler/prowler,Prowler,prowler-iam_root_mfa_enabled,111122223333,us-east-1,Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark,Ensure MFA is enabled for the root account,CRITICAL,90,NEW,ACTIVE,PASSED,Other,arn:aws:iam::111122223333:root,2024-05-16T14:07:40.000Z,2024-05-16T14:07:40.000Z,,$cr" "csv of the Prowler OCSF findings"

run --db h.db findings export --to ocsf-lines --filter ComplianceStatus=FAILED --filter ProductName=Prowler
expect_rc 0 "export ocsf"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | grep -c '"class_uid":2003')" = 2 ] || fail "two Compliance Findings"

run --db h.db findings export --to sarif --filter SeverityLabel=CRITICAL
expect_rc 0 "export sarif"
expect_out_has '"version":"2.1.0"' "SARIF 2.1.0"

run --db h.db findings export --to xml
expect_rc 2 "unknown export format"

# ---- insights ----------------------------------------------------------------------------

run --db h.db --format csv findings insights --group-by ProductName
expect_rc 0 "group by product"
expect_out "ProductName,Count$cr
GuardDuty,4$cr
Prowler,4$cr
Trivy,3$cr
Acme Scanner,1$cr
Legacy IDS,1$cr
Security Hub,1$cr" "findings per product (documents without ProductName are not counted)"

run --db h.db --format csv findings insights run 1 --max 3
expect_rc 0 "managed insight 1"
expect_out "ResourceId,Count$cr
arn:aws:iam::111122223333:root,3$cr
arn:aws:s3:::example-data-bucket,2$cr
arn:aws:s3:::example-logs-bucket,2$cr" "resources with the most findings"

run --db h.db findings insights --group-by Nope
expect_rc 2 "unknown group-by attribute"

# ---- usage and store errors --------------------------------------------------------------

run --db h.db findings
expect_rc 2 "no sub-command"
run --db h.db findings import
expect_rc 2 "import without files"
run --db none.db findings list
expect_rc 1 "list without a store"
expect_err "rampart: findings: no database at 'none.db' (import findings first, or give --db)" "missing store"
run --db h.db findings import --from nope in/conv_asff_batch.json
expect_rc 2 "unknown import format"

finish
