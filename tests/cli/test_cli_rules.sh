#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart rules`, `rampart rules conformance-pack` and `rampart standards` over a hand-written
# Config snapshot (tests/fixtures/posture/cli: two buckets, one publicly readable by its ACL; two
# security groups, one with SSH open to the world; two volumes; the Region's
# get-ebs-encryption-by-default output, off) and a day of change
# notifications (the private bucket's ACL made public, the open group closed): exact results
# and annotations, the compliance timeline, the findings in the hub (a failure, and the archived
# finding of a failure that was fixed), custom Guard rules and their errors, parameter errors,
# conformance packs (rules that cannot run are listed, exit 3), standards, disabled controls.
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB
FIX=$(cd "$(dirname "$0")/../fixtures/posture" && pwd)
cp -R "$FIX/cli/AWSLogs" "$FIX/cli/changes" "$FIX/cli/estate" .
cp "$FIX/packs/cis-v1.4-level1.yaml" cis.yaml
cp "$FIX/packs/unknown-and-lambda.yaml" odd.yaml
cp "$FIX/packs/bad-missing-default.yaml" bad-pack.yaml
R="--db r.db"
# r ARGS...: run, with the CSV line ends (RFC 4180 CRLF) made plain
r() {
    run "$@"
    out=$(printf '%s' "$out" | tr -d '\r')
}

r $R ingest AWSLogs estate
expect_rc 0 "ingest the snapshot and the estate file (get-ebs-encryption-by-default)"
r $R --format csv rules eval
expect_rc 0 "rules eval"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | tail -n 1 | cut -d, -f1-3)" = "2026-01-10T08:00:00Z,6,1" ] ||
    fail "eval: evaluation time, resources, account documents"

r $R rules compliance --rule restricted-ssh
expect_out "ConfigRuleName  ResourceType             ResourceId           AccountId     Region     Compliance     Annotation                            OrderingTimestamp
restricted-ssh  AWS::EC2::SecurityGroup  sg-0aaa000000000001  111122223333  us-east-1  NON_COMPLIANT  port 22 is open to 0.0.0.0/0 or ::/0  2026-01-10T08:00:00Z
restricted-ssh  AWS::EC2::SecurityGroup  sg-0aaa000000000002  111122223333  us-east-1  COMPLIANT                                            2026-01-10T08:00:00Z" \
    "restricted-ssh"
r $R --format csv rules compliance --rule S3_BUCKET_PUBLIC_READ_PROHIBITED --compliance NON_COMPLIANT
expect_out "ConfigRuleName,ResourceType,ResourceId,AccountId,Region,Compliance,Annotation,OrderingTimestamp
s3-bucket-public-read-prohibited,AWS::S3::Bucket,acme-public-assets,111122223333,us-east-1,NON_COMPLIANT,bucket ACL grants READ to AllUsers,2026-01-10T08:00:00Z
securityhub-s3-bucket-public-read-prohibited-693e4f11,AWS::S3::Bucket,acme-public-assets,111122223333,us-east-1,NON_COMPLIANT,bucket ACL grants READ to AllUsers,2026-01-10T08:00:00Z" \
    "public read, by identifier: the managed rule and Security Hub's S3.2 configuration"
r $R --format csv rules compliance --compliance NON_COMPLIANT
expect_out_has "restricted-ssh,INCOMING_SSH_DISABLED,NON_COMPLIANT,1,1,0,0" "per-rule summary"
r $R --format csv rules compliance --rule ec2-ebs-encryption-by-default
expect_out "ConfigRuleName,ResourceType,ResourceId,AccountId,Region,Compliance,Annotation,OrderingTimestamp
ec2-ebs-encryption-by-default,AWS::::Account,111122223333,111122223333,us-east-1,NON_COMPLIANT,EBS encryption by default is off in this Region,2026-01-10T08:00:00Z" \
    "an account-level rule over the estate file"
r $R rules compliance --compliance MAYBE
expect_rc 2 "bad compliance value"
expect_err_has "rampart: rules: --compliance: 'MAYBE' is not COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE or INSUFFICIENT_DATA" \
    "bad compliance value message"

# the next day: notifications change two resources; a second eval records the changes
r $R ingest changes/notifications.json
expect_rc 0 "ingest the notifications"
r $R --format csv rules eval
expect_rc 0 "second eval"
r $R --format csv rules history --rule restricted-ssh
expect_out "OrderingTimestamp,ConfigRuleName,ResourceType,ResourceId,AccountId,Region,Compliance,Annotation
2026-01-10T08:00:00Z,restricted-ssh,AWS::EC2::SecurityGroup,sg-0aaa000000000001,111122223333,us-east-1,NON_COMPLIANT,port 22 is open to 0.0.0.0/0 or ::/0
2026-01-10T08:00:00Z,restricted-ssh,AWS::EC2::SecurityGroup,sg-0aaa000000000002,111122223333,us-east-1,COMPLIANT,
2026-01-11T10:00:00Z,restricted-ssh,AWS::EC2::SecurityGroup,sg-0aaa000000000001,111122223333,us-east-1,COMPLIANT," \
    "timeline: the open group closed"
r $R --format csv rules history --rule s3-bucket-public-read-prohibited --resource acme-private-logs
expect_out "OrderingTimestamp,ConfigRuleName,ResourceType,ResourceId,AccountId,Region,Compliance,Annotation
2026-01-10T08:00:00Z,s3-bucket-public-read-prohibited,AWS::S3::Bucket,acme-private-logs,111122223333,us-east-1,COMPLIANT,
2026-01-11T09:00:00Z,s3-bucket-public-read-prohibited,AWS::S3::Bucket,acme-private-logs,111122223333,us-east-1,NON_COMPLIANT,bucket ACL grants READ to AllUsers" \
    "timeline: the private bucket made public"
r $R --format csv rules eval
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | tail -n 1 | cut -d, -f10,11)" = "0,0" ] ||
    fail "a third eval over the same inventory changes nothing and sends no finding"

# findings: the new failure is active, the fixed one archived as PASSED
r $R --format csv findings list --filter 'GeneratorId=arn:aws:config:us-east-1:111122223333:config-rule/s3-bucket-public-read-prohibited'
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f2-5,7 | sort)" = "MEDIUM,NEW,ACTIVE,Config,arn:aws:s3:::acme-private-logs
MEDIUM,NEW,ACTIVE,Config,arn:aws:s3:::acme-public-assets" ] || fail "public-read findings: $out"
r $R --format json findings list --filter 'GeneratorId=arn:aws:config:us-east-1:111122223333:config-rule/restricted-ssh'
expect_out_has '"Compliance":{"Status":"PASSED"}' "the closed group's finding passes"
expect_out_has '"RecordState":"ARCHIVED"' "and is archived"
expect_out_has '"aws/config/ConfigRuleName":"restricted-ssh"' "ProductFields name the rule"

# describe, enable, parameters
r $R rules describe RESTRICTED_INCOMING_TRAFFIC
expect_out "Identifier:     RESTRICTED_INCOMING_TRAFFIC
ConfigRuleName: restricted-common-ports
Description:    A security group must not accept TCP traffic from 0.0.0.0/0 on any of the blocked ports (blockedPort1 to blockedPort5).
ResourceTypes:  AWS::EC2::SecurityGroup
Trigger:        ConfigurationChanges
Parameter:      blockedPort1 (int, default 20, optional)
Parameter:      blockedPort2 (int, default 21, optional)
Parameter:      blockedPort3 (int, default 3389, optional)
Parameter:      blockedPort4 (int, default 3306, optional)
Parameter:      blockedPort5 (int, default 4333, optional)
Engine:         Guard
Source:         posture/rules/ec2/RESTRICTED_INCOMING_TRAFFIC.yaml" "describe"
r $R rules enable restricted-common-ports --param blockedPort1=abc
expect_rc 1 "bad parameter"
expect_err "rampart: rules: parameter 'blockedPort1': 'abc' is not an integer" "bad parameter message"
r $R rules enable APPROVED_AMIS_BY_ID
expect_rc 1 "required parameter"
expect_err "rampart: rules: rule 'APPROVED_AMIS_BY_ID' needs --param amiIds=VALUE" "required parameter message"
r $R rules enable NOPE
expect_err "rampart: rules: no rule 'NOPE' (see \`rampart rules list --all\`)" "unknown rule"
r $R rules enable RESTRICTED_INCOMING_TRAFFIC --name no-ssh-22 --param blockedPort1=22
expect_rc 0 "enable under another name"
r $R --format csv rules eval --rule no-ssh-22
r $R --format csv rules compliance --rule no-ssh-22 --compliance NON_COMPLIANT
expect_out "ConfigRuleName,ResourceType,ResourceId,AccountId,Region,Compliance,Annotation,OrderingTimestamp" \
    "no group is open to the world on 22 any more"

# a custom Guard rule, and a broken one
printf 'rule bucket_owner_tag {\n    tags.owner exists <<bucket has no owner tag>>\n}\n' >own.guard
r $R rules add --guard own.guard --name bucket-owner-tag --resource-types AWS::S3::Bucket
expect_rc 0 "add a Guard rule"
expect_err "rampart: rules: custom rule 'bucket-owner-tag' added for AWS::S3::Bucket" "add message"
r $R --format csv rules eval --rule bucket-owner-tag
r $R --format csv rules compliance --rule bucket-owner-tag
expect_out "ConfigRuleName,ResourceType,ResourceId,AccountId,Region,Compliance,Annotation,OrderingTimestamp
bucket-owner-tag,AWS::S3::Bucket,acme-private-logs,111122223333,us-east-1,NON_COMPLIANT,bucket has no owner tag,2026-01-11T09:00:00Z
bucket-owner-tag,AWS::S3::Bucket,acme-public-assets,111122223333,us-east-1,NON_COMPLIANT,bucket has no owner tag,2026-01-10T08:00:00Z" \
    "custom rule results"
printf 'rule x {\n    tags.owner == \n}\n' >bad.guard
r $R rules add --guard bad.guard --name bad --resource-types AWS::S3::Bucket
expect_rc 1 "broken Guard"
expect_err "rampart: bad.guard:3:1: expected a value after '==', found '}'" "Guard error with line and column"
r $R rules remove bucket-owner-tag
expect_rc 0 "remove the custom rule"
r $R rules remove bucket-owner-tag
expect_err "rampart: rules: no custom rule or configuration 'bucket-owner-tag' made with add or enable" \
    "remove twice"

# conformance packs
r $R rules conformance-pack load odd.yaml
expect_rc 3 "a pack with rules that cannot run"
expect_err_has "rampart: rules conformance-pack: odd: rule 'volume-tag-checker' cannot run: custom Lambda rule 'arn:aws:lambda:us-east-1:111122223333:function:volume-tag-checker': Rampart cannot run Lambda functions" \
    "Lambda rules are listed"
expect_err_has "rampart: rules conformance-pack: 'odd' loaded: 1 of 5 rules run here" "load summary"
r $R rules conformance-pack load cis.yaml --name cis14
expect_rc 0 "the CIS pack: every rule runs"
expect_err "rampart: rules conformance-pack: 'cis14' loaded: 16 of 16 rules run here" "CIS pack summary"
r $R rules conformance-pack load bad-pack.yaml
expect_rc 1 "a pack that does not resolve"
expect_err "rampart: bad-pack:11:11: parameter 'MaxAge' has no Default and no value was given" "pack error"
r $R --format csv rules eval
r $R --format csv rules conformance-pack compliance
expect_out "ConformancePackName,ComplianceType,NonCompliantRules,CompliantRules,Rules,NotRunnable
cis14,NON_COMPLIANT,3,1,16,0
odd,INSUFFICIENT_DATA,0,0,1,4" "pack compliance"

# standards
r $R standards enable cis-aws-foundations-benchmark/v/1.4.0
expect_rc 0 "enable CIS v1.4.0"
r $R standards enable nope
expect_err "rampart: standards: no standard 'nope'" "unknown standard"
r $R --format csv rules eval
r $R --format csv standards controls cis-aws-foundations-benchmark/v/1.4.0 --status FAILED
expect_out "ControlId,SecurityControlId,Title,Severity,Status,Failed,Passed,Unknown,Note
2.1.2,S3.5,S3 buckets should require requests to use SSL,MEDIUM,FAILED,2,0,0,
2.1.5.1,S3.1,S3 Block Public Access should be turned on at the account level,MEDIUM,FAILED,1,0,0,
2.1.5.2,S3.8,S3 Block Public Access should be turned on at the bucket level,HIGH,FAILED,2,0,0,
2.2.1,EC2.7,EBS encryption by default should be turned on,MEDIUM,FAILED,1,0,0," \
    "CIS v1.4.0 failed controls"
r $R standards disable-control S3.8 --reason "buckets are behind CloudFront"
expect_rc 0 "disable a control"
r $R --format csv standards controls cis-aws-foundations-benchmark/v/1.4.0 --status DISABLED
expect_out "ControlId,SecurityControlId,Title,Severity,Status,Failed,Passed,Unknown,Note
2.1.5.2,S3.8,S3 Block Public Access should be turned on at the bucket level,HIGH,DISABLED,0,0,0,buckets are behind CloudFront" \
    "disabled control"
r $R --format csv standards score
expect_out_has "cis-aws-foundations-benchmark/v/1.4.0,10%,1,3,6,28,1" "CIS v1.4.0 score without S3.8"
finish
