#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart events` (CloudTrail LookupEvents over the store): a store is built with `rampart
# ingest` from the hand-written CloudTrail fixtures (tests/fixtures/cloudtrail, the files
# without planted defects), then the exact output of lookups in table, csv and json (the
# `aws cloudtrail lookup-events` shape), the AWS CLI --lookup-attributes forms, categories,
# time bounds, --max-results and its note, and the usage and store errors, with exit codes.
FIX=$(cd "$(dirname "$0")/../fixtures/cloudtrail" && pwd)
. "$(dirname "$0")/cli_lib.sh"

unset RAMPART_DB
mkdir in
for f in records.json insight.json lines.jsonl lookup-events.json lookup.jsonl; do
    cp "$FIX/$f" in/
done
cr=$(printf '\r') # csv rows end in CRLF; $(..) strips only the final LF

run --db ct.db ingest in
expect_rc 0 "ingest the fixtures"

# ---- default: management events, newest first -------------------------------------------

run --db ct.db events
expect_rc 0 "events"
expect_out "EventTime             EventName              Username              EventSource               ReadOnly  AccessKeyId           ResourceType     ResourceName                          EventId
2024-06-03T00:00:00Z  ConsoleLogin           root                  signin.amazonaws.com      false     -                     -                -                                     e-07
2024-06-02T09:00:00Z  DeleteUser             alice                 iam.amazonaws.com         false     AKIAEXAMPLEALICE0002  -                -                                     e-05
2024-06-02T09:00:00Z  CreateUser             alice                 iam.amazonaws.com         false     AKIAEXAMPLEALICE0001  AWS::IAM::User   eve                                   e-04
2024-06-01T11:00:00Z  ListBuckets            alice                 s3.amazonaws.com          true      AKIAEXAMPLEALICE0001  -                -                                     e-02
2024-06-01T10:00:00Z  ConsoleLogin           alice                 signin.amazonaws.com      false     -                     -                -                                     e-01
2024-05-07T12:00:00Z  DeleteBucket           mira                  s3.amazonaws.com          false     AKIAEXAMPLEKEY000001  AWS::S3::Bucket  old-logs                              c0ffee00-0000-4000-8000-000000000401
2024-05-05T10:02:00Z  RotateKey              -                     kms.amazonaws.com         false     -                     AWS::KMS::Key    0f0e0d0c-0000-4000-8000-000000000202  c0ffee00-0000-4000-8000-000000000202
2024-05-05T08:01:00Z  ListFunctions20150331  alex                  lambda.amazonaws.com      true      ASIAEXAMPLETEMPKEY04  -                -                                     c0ffee00-0000-4000-8000-000000000201
2024-05-02T09:05:41Z  AssumeRole             lambda.amazonaws.com  sts.amazonaws.com         true      -                     AWS::IAM::Role   fn-exec                               c0ffee00-0000-4000-8000-000000000004
2024-05-02T09:00:00Z  ConsoleLogin           root                  signin.amazonaws.com      false     -                     -                -                                     c0ffee00-0000-4000-8000-000000000003
2024-05-02T08:16:02Z  CreateAccessKey        deploy-bot            iam.amazonaws.com         false     ASIAEXAMPLETEMPKEY01  AWS::IAM::User   ci-runner                             c0ffee00-0000-4000-8000-000000000002
2024-05-02T08:15:30Z  StopInstances          mira                  ec2.amazonaws.com         false     AKIAEXAMPLEKEY000001  -                -                                     c0ffee00-0000-4000-8000-000000000001
2015-08-01T02:10:07Z  DescribeTrails         oskar                 cloudtrail.amazonaws.com  -         AKIAEXAMPLEKEY000003  -                -                                     c0ffee00-0000-4000-8000-000000000006" "all management events"
expect_err "" "events is quiet on stderr"

# ---- lookup attributes ------------------------------------------------------------------

run --db ct.db events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin
expect_rc 0 "AWS CLI shorthand"
expect_out "EventTime             EventName     Username  EventSource           ReadOnly  AccessKeyId  ResourceType  ResourceName  EventId
2024-06-03T00:00:00Z  ConsoleLogin  root      signin.amazonaws.com  false     -            -             -             e-07
2024-06-01T10:00:00Z  ConsoleLogin  alice     signin.amazonaws.com  false     -            -             -             e-01
2024-05-02T09:00:00Z  ConsoleLogin  root      signin.amazonaws.com  false     -            -             -             c0ffee00-0000-4000-8000-000000000003" "ConsoleLogin"

run --db ct.db events --lookup-attribute 'AttributeValue=root,AttributeKey=Username' --format csv
expect_rc 0 "shorthand in the other order, csv"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-06-03T00:00:00Z,ConsoleLogin,root,signin.amazonaws.com,false,,,,e-07$cr
2024-05-02T09:00:00Z,ConsoleLogin,root,signin.amazonaws.com,false,,,,c0ffee00-0000-4000-8000-000000000003$cr" "root sign-ins as csv"

run --db ct.db events --lookup-attributes '[{"AttributeKey":"ResourceType","AttributeValue":"AWS::IAM::User"}]' --format csv
expect_rc 0 "JSON form"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-06-02T09:00:00Z,CreateUser,alice,iam.amazonaws.com,false,AKIAEXAMPLEALICE0001,AWS::IAM::User,eve,e-04$cr
2024-05-02T08:16:02Z,CreateAccessKey,deploy-bot,iam.amazonaws.com,false,ASIAEXAMPLETEMPKEY01,AWS::IAM::User,ci-runner,c0ffee00-0000-4000-8000-000000000002$cr" "IAM users"

run --db ct.db --format csv events --username alice --read-only true
expect_rc 0 "two flags are ANDed"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-06-01T11:00:00Z,ListBuckets,alice,s3.amazonaws.com,true,AKIAEXAMPLEALICE0001,,,e-02$cr" "alice's reads"

run --db ct.db --format csv events --access-key-id AKIAEXAMPLEKEY000001 --event-source s3.amazonaws.com
expect_rc 0 "access key and source"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-05-07T12:00:00Z,DeleteBucket,mira,s3.amazonaws.com,false,AKIAEXAMPLEKEY000001,AWS::S3::Bucket,old-logs,c0ffee00-0000-4000-8000-000000000401$cr" "mira's S3 calls"

# ---- categories, resources, time --------------------------------------------------------

run --db ct.db --format csv events --category data --resource-name reports-bucket
expect_rc 0 "data events by bucket name"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-05-02T09:10:10.250Z,GetObject,i-0a1b2c3d4e5f60718,s3.amazonaws.com,true,ASIAEXAMPLETEMPKEY03,\"AWS::S3::Object,AWS::S3::Bucket\",\"reports-bucket/2024/q1/summary.pdf,reports-bucket\",c0ffee00-0000-4000-8000-000000000005$cr" "GetObject"

run --db ct.db --format csv events --category insight
expect_rc 0 "insights"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-06-02T10:00:00Z,RunInstances,,ec2.amazonaws.com,,,,,e-06$cr
2024-05-03T14:01:00Z,RunInstances,,ec2.amazonaws.com,,,,,c0ffee00-0000-4000-8000-000000000101$cr" "insights"

run --db ct.db --format csv events --category all --start-time 2024-06-01T12:00:00Z --until 2024-06-02T09:00:00Z
expect_rc 0 "inclusive time bounds"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-06-02T09:00:00Z,DeleteUser,alice,iam.amazonaws.com,false,AKIAEXAMPLEALICE0002,,,e-05$cr
2024-06-02T09:00:00Z,CreateUser,alice,iam.amazonaws.com,false,AKIAEXAMPLEALICE0001,AWS::IAM::User,eve,e-04$cr
2024-06-01T12:00:00Z,GetObject,bot,s3.amazonaws.com,true,ASIAEXAMPLEBOT000001,\"AWS::S3::Object,AWS::S3::Bucket\",\"logs/a.txt,logs\",e-03$cr" "a day"

run --db ct.db --format csv events --since 7d
expect_rc 0 "nothing in the last week"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr" "header only"

run --db ct.db --format csv events --max-results 2
expect_rc 0 "max results"
expect_out "EventTime,EventName,Username,EventSource,ReadOnly,AccessKeyId,ResourceType,ResourceName,EventId$cr
2024-06-03T00:00:00Z,ConsoleLogin,root,signin.amazonaws.com,false,,,,e-07$cr
2024-06-02T09:00:00Z,DeleteUser,alice,iam.amazonaws.com,false,AKIAEXAMPLEALICE0002,,,e-05$cr" "two newest"
expect_err "rampart: events: showing the newest 2 events (--max-results 0 shows all)" "the note"

run --db ct.db --format csv -q events --max-results 2
expect_err "" "-q drops the note"

# ---- json: the lookup-events shape ------------------------------------------------------

run --db ct.db --format json events --event-id c0ffee00-0000-4000-8000-000000000005 --category data
expect_rc 0 "json"
expect_out '{"Events":[{"EventId":"c0ffee00-0000-4000-8000-000000000005","EventName":"GetObject","ReadOnly":"true","AccessKeyId":"ASIAEXAMPLETEMPKEY03","EventTime":"2024-05-02T09:10:10.250000+00:00","EventSource":"s3.amazonaws.com","Username":"i-0a1b2c3d4e5f60718","Resources":[{"ResourceType":"AWS::S3::Object","ResourceName":"reports-bucket/2024/q1/summary.pdf"},{"ResourceType":"AWS::S3::Bucket","ResourceName":"reports-bucket"}],"CloudTrailEvent":"{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLEROLEID0002:i-0a1b2c3d4e5f60718\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/app-server/i-0a1b2c3d4e5f60718\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLETEMPKEY03\"},\"eventTime\":\"2024-05-02T09:10:10.250Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"10.20.30.40\",\"userAgent\":\"[aws-sdk-go-v2/1.25.0]\",\"requestParameters\":{\"bucketName\":\"reports-bucket\",\"Host\":\"reports-bucket.s3.eu-west-1.amazonaws.com\",\"key\":\"2024/q1/summary.pdf\"},\"responseElements\":null,\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"bytesTransferredIn\":0,\"bytesTransferredOut\":48213.0,\"x-amz-id-2\":\"EXAMPLEid2\"},\"requestID\":\"5e7c1a2b-0000-4000-8000-000000000005\",\"eventID\":\"c0ffee00-0000-4000-8000-000000000005\",\"readOnly\":true,\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::reports-bucket/2024/q1/summary.pdf\"},{\"accountId\":\"111122223333\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::reports-bucket\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":false,\"recipientAccountId\":\"111122223333\",\"vpcEndpointId\":\"vpce-0123456789abcdef0\",\"eventCategory\":\"Data\"}"}]}' "one event as lookup-events prints it"

run --db ct.db --format json events --category insight --event-id e-06
expect_rc 0 "json without user, key or read-only"
expect_out '{"Events":[{"EventId":"e-06","EventName":"RunInstances","EventTime":"2024-06-02T10:00:00+00:00","EventSource":"ec2.amazonaws.com","Resources":[],"CloudTrailEvent":"{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-06-02T10:00:00Z\",\"awsRegion\":\"us-east-1\",\"eventID\":\"e-06\",\"eventType\":\"AwsCloudTrailInsight\",\"recipientAccountId\":\"111122223333\",\"insightDetails\":{\"state\":\"Start\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"RunInstances\",\"insightType\":\"ApiCallRateInsight\"},\"eventCategory\":\"Insight\"}"}]}' "absent values are left out"

run --db ct.db --format json events --username nobody
expect_rc 0 "json, nothing found"
expect_out '{"Events":[]}' "empty Events"

# ---- errors -----------------------------------------------------------------------------

run --db absent.db events
expect_rc 1 "no database"
expect_out "" "nothing on stdout"
expect_err "rampart: events: no database at 'absent.db' (run \`rampart ingest\` first, or pass --db)" "missing store"
[ -e absent.db ] && fail "events created absent.db"

run --db ct.db events --lookup-attributes AttributeKey=Color,AttributeValue=red
expect_rc 2 "unknown attribute key"
expect_err "rampart: events: unknown AttributeKey 'Color' (EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId)
hint: see 'rampart help events'" "unknown key"

run --db ct.db events --lookup-attributes EventName=ConsoleLogin
expect_rc 2 "bad shorthand"
expect_err "rampart: events: --lookup-attributes wants AttributeKey=KEY,AttributeValue=VALUE, not 'EventName=ConsoleLogin'
hint: see 'rampart help events'" "bad shorthand"

run --db ct.db events --lookup-attributes AttributeKey=EventName,AttributeValue=A --lookup-attributes AttributeKey=Username,AttributeValue=B
expect_rc 2 "two lookup attributes"
expect_err "rampart: events: --lookup-attributes takes one attribute, as AWS does (the other flags may be added)
hint: see 'rampart help events'" "one attribute"

run --db ct.db events --event-name A --lookup-attributes AttributeKey=EventName,AttributeValue=B
expect_rc 2 "same attribute twice"
expect_err "rampart: events: lookup attribute EventName given twice
hint: see 'rampart help events'" "twice"

run --db ct.db events --read-only yes
expect_rc 2 "bad read-only"
expect_err "rampart: events: ReadOnly wants 'true' or 'false', not 'yes'
hint: see 'rampart help events'" "read-only"

run --db ct.db events --category everything
expect_rc 2 "bad category"
expect_err "rampart: events: --category: unknown category 'everything' (management, data, insight, networkactivity or all)
hint: see 'rampart help events'" "category"

run --db ct.db events --start-time 2024-02-30
expect_rc 2 "bad time"
expect_err_has "rampart: events: --start-time: time: " "time error"

run --db ct.db events --since 2024-06-02 --until 2024-06-01
expect_rc 2 "start after end"
expect_err "rampart: events: --start-time is after --end-time
hint: see 'rampart help events'" "order"

run --db ct.db events --max-results lots
expect_rc 2 "bad max"
expect_err "rampart: events: --max-results wants a number, not 'lots'
hint: see 'rampart help events'" "max"

run --db ct.db events --event-name
expect_rc 2 "missing value"
expect_err "rampart: events: --event-name needs a value
hint: see 'rampart help events'" "missing value"

run --db ct.db events ConsoleLogin
expect_rc 2 "positional"
expect_err "rampart: events: unexpected argument 'ConsoleLogin'
hint: see 'rampart help events'" "positional"

run help events
expect_rc 0 "help"
expect_out_has "rampart events --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin" "help has examples"

finish
