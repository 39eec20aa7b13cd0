/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_cloudtrail: the rows the CloudTrail format emits for hand-written events modelled on
 * the AWS documentation (IAM user, assumed role with sessionContext, root console sign-in,
 * AWS service, S3 data event, Insights, an old 1.02 record, a federated user, a service event
 * with an unknown new field), EventBridge envelopes, `aws cloudtrail lookup-events` output,
 * the rejects (field name in every message), and the probe scores, each pinned exactly by
 * rendering the rows through ingest_test_sink.h. Fixtures: tests/fixtures/cloudtrail/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_test_rows.h"
#include "ingest_test_schema.h"
#include "ingest_test_sink.h"
#include "store/store.h"
#include "core/rp_banned.h"

extern const struct rp_ingest_source rp_ingest_src_cloudtrail;
#define SRC (&rp_ingest_src_cloudtrail)

static char *read_fixture(const char *name, size_t *len)
{
    struct rp_buf b;
    rp_test_fixture_load(&b, "cloudtrail", name);
    return rp_buf_take(&b, len);
}

/* A sink that renders like rp_test_sink_row and also keeps the RAW value of every
 * cloudtrail_logs row, one per line ("RAW" when the format left it to the runner). */
struct raw_sink {
    struct rp_test_sink ts;
    struct rp_buf raws;
};

static rp_err raw_sink_row(struct rp_ingest_ctx *cx, unsigned table,
                           const struct rp_ingest_val *vals, struct rp_errbuf *eb)
{
    struct raw_sink *rs = cx->sink_arg;
    cx->sink_arg = &rs->ts;
    rp_err e = rp_test_sink_row(cx, table, vals, eb);
    cx->sink_arg = rs;
    if (e || table != 0) return e;
    const struct rp_ingest_table *t = &cx->src->tables[0];
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].type != RP_INGEST_COL_RAW) continue;
        if (vals[i].type == RP_INGEST_VAL_NULL)
            e = rp_buf_append_str(&rs->raws, "RAW");
        else if (vals[i].type == RP_INGEST_VAL_RAW)
            e = rp_buf_append(&rs->raws, vals[i].s, vals[i].n);
        else
            e = rp_buf_append_str(&rs->raws, "BAD RAW TYPE");
        if (!e) e = rp_buf_putc(&rs->raws, '\n');
    }
    return e;
}

/* Rendered rows of text fed to the format. Returned string is malloc'd. */
static char *feed_text(const char *text, size_t len, const struct rp_ingest_layout *layout)
{
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    assert_int_equal(rp_test_feed(SRC, layout, text, len, &ts), RP_OK);
    char *out = strdup(rp_test_sink_text(&ts));
    rp_test_sink_release(&ts);
    assert_non_null(out);
    return out;
}

static char *feed_fixture(const char *name, const struct rp_ingest_layout *layout)
{
    size_t len = 0;
    char *text = read_fixture(name, &len);
    char *out = feed_text(text, len, layout);
    free(text);
    return out;
}

static void check_fixture(const char *name, const char *want)
{
    char *got = feed_fixture(name, NULL);
    if (strcmp(got, want) != 0) fprintf(stderr, "---- got:\n%s---- want:\n%s", got, want);
    assert_string_equal(got, want);
    free(got);
}

/* ---- rows -------------------------------------------------------------------------------- */

static void test_cloudtrail_records_file(void **state)
{
    (void)state;
    check_fixture(
        "records.json",
        /* IAM user, with an error, tlsDetails, and a JSON null for responseElements */
        "cloudtrail_logs eventVersion=1.08 "
        "userIdentity={\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEPRINCIPAL1\",\"arn\":"
        "\"arn:aws:iam::111122223333:user/mira\",\"accountId\":\"111122223333\",\"accessKeyId\":"
        "\"AKIAEXAMPLEKEY000001\",\"userName\":\"mira\"} "
        "eventTime=2024-05-02T08:15:30Z eventSource=ec2.amazonaws.com eventName=StopInstances "
        "awsRegion=eu-west-1 sourceIPAddress=198.51.100.23 "
        "userAgent=aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 "
        "errorCode=Client.UnauthorizedOperation "
        "errorMessage=You are not authorized to perform this operation. "
        "requestParameters={\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0a1b2c3d4e5f60718\"}]}"
        ","
        "\"force\":false} "
        "responseElements=NULL additionalEventData=NULL "
        "requestID=5e7c1a2b-0000-4000-8000-000000000001 "
        "eventID=c0ffee00-0000-4000-8000-000000000001 eventType=AwsApiCall apiVersion=NULL "
        "managementEvent=1 readOnly=0 resources=NULL recipientAccountId=111122223333 "
        "serviceEventDetails=NULL sharedEventID=NULL vpcEndpointId=NULL eventCategory=Management "
        "addendum=NULL sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL "
        "tlsDetails={\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
        "\"clientProvidedHostHeader\":\"ec2.eu-west-1.amazonaws.com\"} "
        "insightDetails=NULL rp_time_ms=1714637730000 rp_category=Management "
        "rp_account=111122223333 rp_region=eu-west-1 "
        "rp_principal=arn:aws:iam::111122223333:user/mira rp_user_name=mira "
        "rp_access_key_id=AKIAEXAMPLEKEY000001 rp_src_ip=198.51.100.23\n"
        /* assumed role: the session name is the user; IPv6 source in canonical form */
        "cloudtrail_logs eventVersion=1.09 "
        "userIdentity={\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLEROLEID0001:deploy-"
        "bot\","
        "\"arn\":\"arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot\",\"accountId\":"
        "\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLETEMPKEY01\",\"sessionContext\":{"
        "\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLEROLEID0001\",\"arn\":"
        "\"arn:aws:iam::111122223333:role/Deployer\",\"accountId\":\"111122223333\",\"userName\":"
        "\"Deployer\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":"
        "\"2024-05-02T07:59:01Z\",\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}} "
        "eventTime=2024-05-02T08:16:02Z eventSource=iam.amazonaws.com eventName=CreateAccessKey "
        "awsRegion=us-east-1 sourceIPAddress=2001:DB8::0:7 "
        "userAgent=Boto3/1.34.0 md/Botocore#1.34.0 errorCode=NULL errorMessage=NULL "
        "requestParameters={\"userName\":\"ci-runner\"} "
        "responseElements={\"accessKey\":{\"accessKeyId\":\"AKIAEXAMPLEKEY000002\",\"status\":"
        "\"Active\",\"userName\":\"ci-runner\",\"createDate\":\"May 2, 2024 8:16:02 AM\"}} "
        "additionalEventData=NULL requestID=5e7c1a2b-0000-4000-8000-000000000002 "
        "eventID=c0ffee00-0000-4000-8000-000000000002 eventType=AwsApiCall apiVersion=NULL "
        "managementEvent=1 readOnly=0 "
        "resources=[{\"accountId\":\"111122223333\",\"type\":\"AWS::IAM::User\",\"ARN\":"
        "\"arn:aws:iam::111122223333:user/ci-runner\"}] recipientAccountId=111122223333 "
        "serviceEventDetails=NULL sharedEventID=NULL vpcEndpointId=NULL eventCategory=Management "
        "addendum=NULL sessionCredentialFromConsole=true edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714637762000 rp_category=Management "
        "rp_account=111122223333 rp_region=us-east-1 "
        "rp_principal=arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot "
        "rp_user_name=deploy-bot rp_access_key_id=ASIAEXAMPLETEMPKEY01 rp_src_ip=2001:db8::7\n"
        "cloudtrail_resources eventID=c0ffee00-0000-4000-8000-000000000002 idx=0 "
        "type=AWS::IAM::User ARN=arn:aws:iam::111122223333:user/ci-runner accountId=111122223333 "
        "rp_name=ci-runner\n"
        /* root console sign-in: user "root", an empty accessKeyId is no key */
        "cloudtrail_logs eventVersion=1.08 "
        "userIdentity={\"type\":\"Root\",\"principalId\":\"111122223333\",\"arn\":"
        "\"arn:aws:iam::111122223333:root\",\"accountId\":\"111122223333\",\"accessKeyId\":\"\"} "
        "eventTime=2024-05-02T09:00:00Z eventSource=signin.amazonaws.com eventName=ConsoleLogin "
        "awsRegion=us-east-1 sourceIPAddress=203.0.113.9 "
        "userAgent=Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0 "
        "errorCode=NULL errorMessage=NULL requestParameters=NULL "
        "responseElements={\"ConsoleLogin\":\"Success\"} "
        "additionalEventData={\"LoginTo\":\"https://console.aws.amazon.com/console/home\","
        "\"MobileVersion\":\"No\",\"MFAUsed\":\"No\"} requestID=NULL "
        "eventID=c0ffee00-0000-4000-8000-000000000003 eventType=AwsConsoleSignIn apiVersion=NULL "
        "managementEvent=1 readOnly=0 resources=NULL recipientAccountId=111122223333 "
        "serviceEventDetails=NULL sharedEventID=NULL vpcEndpointId=NULL eventCategory=Management "
        "addendum=NULL sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714640400000 rp_category=Management "
        "rp_account=111122223333 rp_region=us-east-1 rp_principal=arn:aws:iam::111122223333:root "
        "rp_user_name=root rp_access_key_id=NULL rp_src_ip=203.0.113.9\n"
        /* an AWS service: principal and user are the service; a host name is no address */
        "cloudtrail_logs eventVersion=1.08 "
        "userIdentity={\"type\":\"AWSService\",\"invokedBy\":\"lambda.amazonaws.com\"} "
        "eventTime=2024-05-02T09:05:41Z eventSource=sts.amazonaws.com eventName=AssumeRole "
        "awsRegion=eu-west-1 sourceIPAddress=lambda.amazonaws.com userAgent=lambda.amazonaws.com "
        "errorCode=NULL errorMessage=NULL "
        "requestParameters={\"roleArn\":\"arn:aws:iam::111122223333:role/fn-exec\","
        "\"roleSessionName\":\"fn-thumbnail\",\"durationSeconds\":43200} "
        "responseElements={\"credentials\":{\"accessKeyId\":\"ASIAEXAMPLETEMPKEY02\","
        "\"sessionToken\":\"IQoJEXAMPLETOKEN\",\"expiration\":\"May 2, 2024, 9:05:41 PM\"}} "
        "additionalEventData=NULL requestID=5e7c1a2b-0000-4000-8000-000000000004 "
        "eventID=c0ffee00-0000-4000-8000-000000000004 eventType=AwsApiCall apiVersion=NULL "
        "managementEvent=1 readOnly=1 "
        "resources=[{\"accountId\":\"111122223333\",\"type\":\"AWS::IAM::Role\",\"ARN\":"
        "\"arn:aws:iam::111122223333:role/fn-exec\"}] recipientAccountId=111122223333 "
        "serviceEventDetails=NULL sharedEventID=5ca1ab1e-0000-4000-8000-000000000004 "
        "vpcEndpointId=NULL eventCategory=Management addendum=NULL "
        "sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714640741000 rp_category=Management "
        "rp_account=111122223333 rp_region=eu-west-1 rp_principal=lambda.amazonaws.com "
        "rp_user_name=lambda.amazonaws.com rp_access_key_id=NULL rp_src_ip=NULL\n"
        "cloudtrail_resources eventID=c0ffee00-0000-4000-8000-000000000004 idx=0 "
        "type=AWS::IAM::Role ARN=arn:aws:iam::111122223333:role/fn-exec accountId=111122223333 "
        "rp_name=fn-exec\n"
        /* S3 data event: milliseconds in eventTime, two resources, S3 names keep their key */
        "cloudtrail_logs eventVersion=1.09 "
        "userIdentity={\"type\":\"AssumedRole\",\"principalId\":"
        "\"AROAEXAMPLEROLEID0002:i-0a1b2c3d4e5f60718\",\"arn\":"
        "\"arn:aws:sts::111122223333:assumed-role/app-server/i-0a1b2c3d4e5f60718\",\"accountId\":"
        "\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLETEMPKEY03\"} "
        "eventTime=2024-05-02T09:10:10.250Z eventSource=s3.amazonaws.com eventName=GetObject "
        "awsRegion=eu-west-1 sourceIPAddress=10.20.30.40 userAgent=[aws-sdk-go-v2/1.25.0] "
        "errorCode=NULL errorMessage=NULL "
        "requestParameters={\"bucketName\":\"reports-bucket\",\"Host\":"
        "\"reports-bucket.s3.eu-west-1.amazonaws.com\",\"key\":\"2024/q1/summary.pdf\"} "
        "responseElements=NULL "
        "additionalEventData={\"SignatureVersion\":\"SigV4\",\"bytesTransferredIn\":0,"
        "\"bytesTransferredOut\":48213.0,\"x-amz-id-2\":\"EXAMPLEid2\"} "
        "requestID=5e7c1a2b-0000-4000-8000-000000000005 "
        "eventID=c0ffee00-0000-4000-8000-000000000005 eventType=AwsApiCall apiVersion=NULL "
        "managementEvent=0 readOnly=1 "
        "resources=[{\"type\":\"AWS::S3::Object\",\"ARN\":"
        "\"arn:aws:s3:::reports-bucket/2024/q1/summary.pdf\"},{\"accountId\":\"111122223333\","
        "\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::reports-bucket\"}] "
        "recipientAccountId=111122223333 serviceEventDetails=NULL sharedEventID=NULL "
        "vpcEndpointId=vpce-0123456789abcdef0 eventCategory=Data addendum=NULL "
        "sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714641010250 rp_category=Data rp_account=111122223333 "
        "rp_region=eu-west-1 "
        "rp_principal=arn:aws:sts::111122223333:assumed-role/app-server/i-0a1b2c3d4e5f60718 "
        "rp_user_name=i-0a1b2c3d4e5f60718 rp_access_key_id=ASIAEXAMPLETEMPKEY03 "
        "rp_src_ip=10.20.30.40\n"
        "cloudtrail_resources eventID=c0ffee00-0000-4000-8000-000000000005 idx=0 "
        "type=AWS::S3::Object ARN=arn:aws:s3:::reports-bucket/2024/q1/summary.pdf accountId=NULL "
        "rp_name=reports-bucket/2024/q1/summary.pdf\n"
        "cloudtrail_resources eventID=c0ffee00-0000-4000-8000-000000000005 idx=1 "
        "type=AWS::S3::Bucket ARN=arn:aws:s3:::reports-bucket accountId=111122223333 "
        "rp_name=reports-bucket\n"
        /* eventVersion 1.02: no eventCategory, no managementEvent -> Management */
        "cloudtrail_logs eventVersion=1.02 "
        "userIdentity={\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEPRINCIPAL2\",\"arn\":"
        "\"arn:aws:iam::444455556666:user/ops/oskar\",\"accountId\":\"444455556666\","
        "\"accessKeyId\":\"AKIAEXAMPLEKEY000003\",\"userName\":\"oskar\"} "
        "eventTime=2015-08-01T02:10:07Z eventSource=cloudtrail.amazonaws.com "
        "eventName=DescribeTrails awsRegion=us-west-2 sourceIPAddress=192.0.2.77 "
        "userAgent=console.amazonaws.com errorCode=NULL errorMessage=NULL "
        "requestParameters={\"trailNameList\":[]} responseElements=NULL "
        "additionalEventData=NULL requestID=5e7c1a2b-0000-4000-8000-000000000006 "
        "eventID=c0ffee00-0000-4000-8000-000000000006 eventType=AwsApiCall "
        "apiVersion=2013-11-01 managementEvent=NULL readOnly=NULL resources=NULL "
        "recipientAccountId=444455556666 serviceEventDetails=NULL sharedEventID=NULL "
        "vpcEndpointId=NULL eventCategory=NULL addendum=NULL sessionCredentialFromConsole=NULL "
        "edgeDeviceDetails=NULL tlsDetails=NULL insightDetails=NULL rp_time_ms=1438395007000 "
        "rp_category=Management rp_account=444455556666 rp_region=us-west-2 "
        "rp_principal=arn:aws:iam::444455556666:user/ops/oskar rp_user_name=oskar "
        "rp_access_key_id=AKIAEXAMPLEKEY000003 rp_src_ip=192.0.2.77\n");
}

static void test_cloudtrail_insight(void **state)
{
    (void)state;
    check_fixture(
        "insight.json",
        "cloudtrail_logs eventVersion=1.08 userIdentity=NULL eventTime=2024-05-03T14:01:00Z "
        "eventSource=ec2.amazonaws.com eventName=RunInstances awsRegion=eu-west-1 "
        "sourceIPAddress=NULL userAgent=NULL errorCode=NULL errorMessage=NULL "
        "requestParameters=NULL responseElements=NULL additionalEventData=NULL requestID=NULL "
        "eventID=c0ffee00-0000-4000-8000-000000000101 eventType=AwsCloudTrailInsight "
        "apiVersion=NULL managementEvent=NULL readOnly=NULL resources=NULL "
        "recipientAccountId=111122223333 serviceEventDetails=NULL "
        "sharedEventID=5ca1ab1e-0000-4000-8000-000000000101 vpcEndpointId=NULL "
        "eventCategory=Insight addendum=NULL sessionCredentialFromConsole=NULL "
        "edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails={\"state\":\"Start\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":"
        "\"RunInstances\",\"insightType\":\"ApiCallRateInsight\",\"insightContext\":{"
        "\"statistics\":{\"baseline\":{\"average\":0.0125},\"insight\":{\"average\":4.5},"
        "\"baselineDuration\":10080},\"attributions\":[{\"attribute\":\"userIdentityArn\","
        "\"insight\":[{\"value\":\"arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot\","
        "\"average\":4.5}],\"baseline\":[{\"value\":"
        "\"arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot\",\"average\":0.0125}]}]}} "
        "rp_time_ms=1714744860000 rp_category=Insight rp_account=111122223333 "
        "rp_region=eu-west-1 rp_principal=NULL rp_user_name=NULL rp_access_key_id=NULL "
        "rp_src_ip=NULL\n");
}

/* An Insights record from an old writer without eventCategory, and without eventID (which
 * the format accepts only for Insights). */
static void test_cloudtrail_insight_derived_category(void **state)
{
    (void)state;
    const char *in = "{\"eventVersion\":\"1.07\",\"eventTime\":\"2019-11-14T00:51:00Z\","
                     "\"awsRegion\":\"us-east-1\",\"eventType\":\"AwsCloudTrailInsight\","
                     "\"insightDetails\":{\"state\":\"End\",\"eventSource\":\"ssm.amazonaws.com\","
                     "\"eventName\":\"UpdateInstanceInformation\"}}\n";
    char *got = feed_text(in, strlen(in), NULL);
    assert_string_equal(
        got,
        "cloudtrail_logs eventVersion=1.07 userIdentity=NULL eventTime=2019-11-14T00:51:00Z "
        "eventSource=ssm.amazonaws.com eventName=UpdateInstanceInformation awsRegion=us-east-1 "
        "sourceIPAddress=NULL userAgent=NULL errorCode=NULL errorMessage=NULL "
        "requestParameters=NULL responseElements=NULL additionalEventData=NULL requestID=NULL "
        "eventID=NULL eventType=AwsCloudTrailInsight apiVersion=NULL managementEvent=NULL "
        "readOnly=NULL resources=NULL recipientAccountId=NULL serviceEventDetails=NULL "
        "sharedEventID=NULL vpcEndpointId=NULL eventCategory=NULL addendum=NULL "
        "sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails={\"state\":\"End\",\"eventSource\":\"ssm.amazonaws.com\",\"eventName\":"
        "\"UpdateInstanceInformation\"} rp_time_ms=1573692660000 rp_category=Insight "
        "rp_account=NULL rp_region=us-east-1 rp_principal=NULL rp_user_name=NULL "
        "rp_access_key_id=NULL rp_src_ip=NULL\n");
    free(got);
}

static void test_cloudtrail_eventbridge(void **state)
{
    (void)state;
    check_fixture(
        "eventbridge.jsonl",
        "cloudtrail_logs eventVersion=1.09 "
        "userIdentity={\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEPRINCIPAL1\",\"arn\":"
        "\"arn:aws:iam::111122223333:user/mira\",\"accountId\":\"111122223333\",\"userName\":"
        "\"mira\"} eventTime=2024-05-04T06:30:11Z eventSource=signin.amazonaws.com "
        "eventName=ConsoleLogin awsRegion=us-east-1 sourceIPAddress=198.51.100.23 "
        "userAgent=Mozilla/5.0 errorCode=NULL errorMessage=Failed authentication "
        "requestParameters=NULL responseElements={\"ConsoleLogin\":\"Failure\"} "
        "additionalEventData={\"LoginTo\":\"https://console.aws.amazon.com/console/home\","
        "\"MobileVersion\":\"No\",\"MFAUsed\":\"Yes\"} requestID=NULL "
        "eventID=c0ffee00-0000-4000-8000-0000000000e1 eventType=AwsConsoleSignIn apiVersion=NULL "
        "managementEvent=1 readOnly=0 resources=NULL recipientAccountId=111122223333 "
        "serviceEventDetails=NULL sharedEventID=NULL vpcEndpointId=NULL eventCategory=Management "
        "addendum=NULL sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714804211000 rp_category=Management "
        "rp_account=111122223333 rp_region=us-east-1 "
        "rp_principal=arn:aws:iam::111122223333:user/mira rp_user_name=mira "
        "rp_access_key_id=NULL rp_src_ip=198.51.100.23\n"
        "REJECT ordinal=1 line=2 offset=1080: cloudtrail: eventbridge event 'GuardDuty Finding' is "
        "not from "
        "CloudTrail\n");
}

/* The RAW value of an EventBridge record is the detail's bytes exactly as delivered; a plain
 * record leaves RAW to the runner (which stores the record itself). */
static void test_cloudtrail_eventbridge_raw(void **state)
{
    (void)state;
    const char *env =
        "{\"detail-type\": \"AWS API Call via CloudTrail\", \"account\": \"444455556666\", "
        "\"region\": \"ap-south-1\", \"detail\": {\"eventTime\": \"2024-05-04T06:30:11Z\", "
        "\"eventID\": \"e-1\", \"requestParameters\": { \"a\" : [1, 2.50] }}, \"id\": \"x\"}\n"
        "{\"eventTime\":\"2024-05-04T06:30:12Z\",\"eventID\":\"e-2\"}\n";
    struct raw_sink rs;
    rp_test_sink_init(&rs.ts);
    rp_buf_init(&rs.raws, 0);
    struct rp_ingest_source src = *SRC;
    struct rp_test_feed f = {.src = &src, .path = "test-input"};
    f.layout.day_ms = -1;
    rp_arena_init(&f.arena, 0);
    f.cx = (struct rp_ingest_ctx){.src = &src,
                                  .path = f.path,
                                  .layout = &f.layout,
                                  .arena = &f.arena,
                                  .sink = raw_sink_row,
                                  .sink_arg = &rs};
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_lines jl;
    struct rp_json_val root;
    rp_json_lines_init(&jl, env, strlen(env), false);
    while (rp_json_lines_next(&jl, jp, &root, NULL) == RP_OK) {
        size_t n = jl.pos - jl.line_start - 1; /* without the '\n' */
        assert_int_equal(
            rp_test_feed_one(&f, &rs.ts, env + jl.line_start, n, jl.line_start, jl.lineno, root),
            RP_OK);
    }
    assert_string_equal(rp_buf_cstr(&rs.raws),
                        "{\"eventTime\": \"2024-05-04T06:30:11Z\", \"eventID\": \"e-1\", "
                        "\"requestParameters\": { \"a\" : [1, 2.50] }}\n"
                        "RAW\n");
    /* envelope account and region fill rp_account and rp_region; JSON keeps "2.50" */
    assert_non_null(strstr(rp_test_sink_text(&rs.ts), " requestParameters={\"a\":[1,2.50]} "));
    assert_non_null(
        strstr(rp_test_sink_text(&rs.ts), " rp_account=444455556666 rp_region=ap-south-1 "));
    rp_json_parser_free(jp);
    rp_json_parser_free(f.cx.jp);
    rp_arena_release(&f.arena);
    rp_test_sink_release(&rs.ts);
    rp_buf_release(&rs.raws);
}

/* JSON Lines: whitespace inside nested values is minified (not inside strings), an offset
 * time zone is converted, a federated user's name comes from principalId, unknown fields are
 * ignored (they stay in rp_raw), a resources element that is not an object gets no row. */
static void test_cloudtrail_json_lines(void **state)
{
    (void)state;
    check_fixture(
        "lines.jsonl",
        "cloudtrail_logs eventVersion=1.05 "
        "userIdentity={\"type\":\"FederatedUser\",\"principalId\":\"111122223333:alex\",\"arn\":"
        "\"arn:aws:sts::111122223333:federated-user/alex\",\"accountId\":\"111122223333\","
        "\"accessKeyId\":\"ASIAEXAMPLETEMPKEY04\",\"sessionContext\":{\"attributes\":{"
        "\"creationDate\":\"2024-05-05T10:00:00Z\",\"mfaAuthenticated\":\"false\"},"
        "\"sessionIssuer\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEPRINCIPAL3\","
        "\"arn\":\"arn:aws:iam::111122223333:user/broker\",\"accountId\":\"111122223333\","
        "\"userName\":\"broker\"}}} "
        "eventTime=2024-05-05T10:01:00+02:00 eventSource=lambda.amazonaws.com "
        "eventName=ListFunctions20150331 awsRegion=eu-central-1 sourceIPAddress=AWS Internal "
        "userAgent=AWS Internal errorCode=NULL errorMessage=NULL "
        "requestParameters={\"maxItems\":50,\"note\":\"a  b\\t\\\"c\\\"\"} responseElements=NULL "
        "additionalEventData=NULL requestID=5e7c1a2b-0000-4000-8000-000000000201 "
        "eventID=c0ffee00-0000-4000-8000-000000000201 eventType=AwsApiCall apiVersion=NULL "
        "managementEvent=NULL readOnly=1 resources=NULL recipientAccountId=444455556666 "
        "serviceEventDetails=NULL sharedEventID=NULL vpcEndpointId=NULL eventCategory=NULL "
        "addendum=NULL sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714896060000 rp_category=Management "
        "rp_account=444455556666 rp_region=eu-central-1 "
        "rp_principal=arn:aws:sts::111122223333:federated-user/alex rp_user_name=alex "
        "rp_access_key_id=ASIAEXAMPLETEMPKEY04 rp_src_ip=NULL\n"
        "cloudtrail_logs eventVersion=1.05 "
        "userIdentity={\"accountId\":\"111122223333\",\"invokedBy\":\"AWS Internal\"} "
        "eventTime=2024-05-05T10:02:00Z eventSource=kms.amazonaws.com eventName=RotateKey "
        "awsRegion=eu-central-1 sourceIPAddress=AWS Internal userAgent=AWS Internal "
        "errorCode=NULL errorMessage=NULL requestParameters=NULL responseElements=NULL "
        "additionalEventData=NULL requestID=NULL eventID=c0ffee00-0000-4000-8000-000000000202 "
        "eventType=AwsServiceEvent apiVersion=NULL managementEvent=1 readOnly=0 "
        "resources=[{\"ARN\":\"arn:aws:kms:eu-central-1:111122223333:key/"
        "0f0e0d0c-0000-4000-8000-000000000202\",\"accountId\":\"111122223333\",\"type\":"
        "\"AWS::KMS::Key\"},\"not-an-object\"] recipientAccountId=111122223333 "
        "serviceEventDetails={\"keyId\":\"0f0e0d0c-0000-4000-8000-000000000202\"} "
        "sharedEventID=NULL vpcEndpointId=NULL eventCategory=Management addendum=NULL "
        "sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1714903320000 rp_category=Management "
        "rp_account=111122223333 rp_region=eu-central-1 rp_principal=AWS Internal "
        "rp_user_name=NULL rp_access_key_id=NULL rp_src_ip=NULL\n"
        "cloudtrail_resources eventID=c0ffee00-0000-4000-8000-000000000202 idx=0 "
        "type=AWS::KMS::Key ARN=arn:aws:kms:eu-central-1:111122223333:key/"
        "0f0e0d0c-0000-4000-8000-000000000202 accountId=111122223333 "
        "rp_name=0f0e0d0c-0000-4000-8000-000000000202\n");
}

/* `aws cloudtrail lookup-events` output: each CloudTrailEvent string is the record. */
static void test_cloudtrail_lookup_events_output(void **state)
{
    (void)state;
    check_fixture(
        "lookup-events.json",
        "cloudtrail_logs eventVersion=1.08 "
        "userIdentity={\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLEPRINCIPAL1\",\"arn\":"
        "\"arn:aws:iam::111122223333:user/mira\",\"accountId\":\"111122223333\",\"accessKeyId\":"
        "\"AKIAEXAMPLEKEY000001\",\"userName\":\"mira\"} eventTime=2024-05-07T12:00:00Z "
        "eventSource=s3.amazonaws.com eventName=DeleteBucket awsRegion=eu-west-1 "
        "sourceIPAddress=198.51.100.23 userAgent=aws-cli/2.15.0 errorCode=NULL errorMessage=NULL "
        "requestParameters={\"bucketName\":\"old-logs\",\"Host\":"
        "\"old-logs.s3.eu-west-1.amazonaws.com\"} responseElements=NULL additionalEventData=NULL "
        "requestID=5e7c1a2b-0000-4000-8000-000000000401 "
        "eventID=c0ffee00-0000-4000-8000-000000000401 eventType=AwsApiCall apiVersion=NULL "
        "managementEvent=1 readOnly=0 "
        "resources=[{\"accountId\":\"111122223333\",\"type\":\"AWS::S3::Bucket\",\"ARN\":"
        "\"arn:aws:s3:::old-logs\"}] recipientAccountId=111122223333 serviceEventDetails=NULL "
        "sharedEventID=NULL vpcEndpointId=NULL eventCategory=Management addendum=NULL "
        "sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1715083200000 rp_category=Management "
        "rp_account=111122223333 rp_region=eu-west-1 "
        "rp_principal=arn:aws:iam::111122223333:user/mira rp_user_name=mira "
        "rp_access_key_id=AKIAEXAMPLEKEY000001 rp_src_ip=198.51.100.23\n"
        "cloudtrail_resources eventID=c0ffee00-0000-4000-8000-000000000401 idx=0 "
        "type=AWS::S3::Bucket ARN=arn:aws:s3:::old-logs accountId=111122223333 "
        "rp_name=old-logs\n");
}

/* What the S3 key says fills rp_account and rp_region when the record does not. */
static void test_cloudtrail_layout_fallback(void **state)
{
    (void)state;
    const char *in = "{\"eventTime\":\"2024-05-08T00:00:00Z\",\"eventID\":\"e-9\","
                     "\"userIdentity\":{\"type\":\"Unknown\",\"principalId\":\"AIDAX\"},"
                     "\"eventName\":\"GetCallerIdentity\",\"sourceIPAddress\":\"::ffff:192.0.2.1\","
                     "\"resources\":[{\"type\":\"AWS::Lambda::Function\",\"ARN\":"
                     "\"arn:aws:lambda:eu-west-1:111122223333:function:resize\"},{\"type\":"
                     "\"AWS::S3::Object\",\"ARNPrefix\":\"arn:aws:s3:::b/logs/\"},{\"type\":"
                     "\"AWS::DynamoDB::Table\",\"ARN\":\"orders\"}],\"readOnly\":\"true\"}\n";
    struct rp_ingest_layout lay = {
        .account = RP_STR_LIT("999988887777"), .region = RP_STR_LIT("sa-east-1"), .day_ms = -1};
    char *got = feed_text(in, strlen(in), &lay);
    assert_string_equal(
        got,
        "cloudtrail_logs eventVersion=NULL "
        "userIdentity={\"type\":\"Unknown\",\"principalId\":\"AIDAX\"} "
        "eventTime=2024-05-08T00:00:00Z eventSource=NULL eventName=GetCallerIdentity "
        "awsRegion=NULL sourceIPAddress=::ffff:192.0.2.1 userAgent=NULL errorCode=NULL "
        "errorMessage=NULL requestParameters=NULL responseElements=NULL "
        "additionalEventData=NULL requestID=NULL eventID=e-9 eventType=NULL apiVersion=NULL "
        "managementEvent=NULL readOnly=1 "
        "resources=[{\"type\":\"AWS::Lambda::Function\",\"ARN\":"
        "\"arn:aws:lambda:eu-west-1:111122223333:function:resize\"},{\"type\":"
        "\"AWS::S3::Object\",\"ARNPrefix\":\"arn:aws:s3:::b/logs/\"},{\"type\":"
        "\"AWS::DynamoDB::Table\",\"ARN\":\"orders\"}] recipientAccountId=NULL "
        "serviceEventDetails=NULL sharedEventID=NULL vpcEndpointId=NULL eventCategory=NULL "
        "addendum=NULL sessionCredentialFromConsole=NULL edgeDeviceDetails=NULL tlsDetails=NULL "
        "insightDetails=NULL rp_time_ms=1715126400000 rp_category=Management "
        "rp_account=999988887777 rp_region=sa-east-1 rp_principal=AIDAX rp_user_name=NULL "
        "rp_access_key_id=NULL rp_src_ip=::ffff:192.0.2.1\n"
        "cloudtrail_resources eventID=e-9 idx=0 type=AWS::Lambda::Function "
        "ARN=arn:aws:lambda:eu-west-1:111122223333:function:resize accountId=NULL "
        "rp_name=resize\n"
        "cloudtrail_resources eventID=e-9 idx=1 type=AWS::S3::Object ARN=arn:aws:s3:::b/logs/ "
        "accountId=NULL rp_name=b/logs/\n"
        "cloudtrail_resources eventID=e-9 idx=2 type=AWS::DynamoDB::Table ARN=orders "
        "accountId=NULL rp_name=orders\n");
    free(got);
}

/* A field repeated in one record: the first one counts, as everywhere in rp_json. */
static void test_cloudtrail_duplicate_key(void **state)
{
    (void)state;
    const char *in = "{\"eventTime\":\"2024-05-08T00:00:00Z\",\"eventID\":\"first\","
                     "\"eventID\":\"second\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\"},"
                     "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\"}}\n";
    char *got = feed_text(in, strlen(in), NULL);
    assert_non_null(strstr(got, " eventID=first "));
    assert_non_null(strstr(got, " tlsDetails={\"tlsVersion\":\"TLSv1.2\"} "));
    free(got);
}

static void test_cloudtrail_rejects(void **state)
{
    (void)state;
    check_fixture(
        "rejects.jsonl",
        "REJECT ordinal=0 line=1 offset=0: cloudtrail: missing field 'eventID'\n"
        "REJECT ordinal=1 line=2 offset=118: cloudtrail: field 'eventTime' has type int, expected "
        "string\n"
        "REJECT ordinal=2 line=3 offset=273: cloudtrail: bad field 'eventTime': time: bad month "
        "'13' at 5 in "
        "'2024-13-06T00:00:00Z'\n"
        "REJECT ordinal=3 line=4 offset=440: cloudtrail: bad field 'eventTime': time: bad year 'M' "
        "at 0 in "
        "'May 6, 2024'\n"
        "REJECT ordinal=4 line=5 offset=598: cloudtrail: missing field 'eventTime'\n"
        "REJECT ordinal=5 line=6 offset=730: cloudtrail: field 'eventID' has type null, expected "
        "string\n"
        "REJECT ordinal=6 line=7 offset=863: cloudtrail: field 'eventSource' has type array, "
        "expected string\n"
        "REJECT ordinal=7 line=8 offset=1018: cloudtrail: field 'readOnly' has type string, "
        "expected bool\n"
        "REJECT ordinal=8 line=9 offset=1202: cloudtrail: record has type array, expected object\n"
        "REJECT ordinal=9 line=10 offset=1224: cloudtrail: field 'eventID' is empty\n"
        "REJECT ordinal=10 line=11: not JSON: json: unexpected end of input at offset 165\n");
}

/* Wrappers that do not hold a CloudTrail record. */
static void test_cloudtrail_wrapper_rejects(void **state)
{
    (void)state;
    const char *in = "{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":\"x\"}\n"
                     "{\"detail-type\":5,\"detail\":{}}\n"
                     "{\"EventId\":\"x\",\"CloudTrailEvent\":5}\n"
                     "{\"EventId\":\"x\",\"CloudTrailEvent\":\"{bad\"}\n"
                     "{\"EventId\":\"x\",\"CloudTrailEvent\":\"[1]\"}\n"
                     "{\"EventId\":\"x\",\"CloudTrailEvent\":\"{\\\"eventTime\\\":\\\"2024-05-"
                     "08T00:00:00Z\\\"}\"}\n"
                     "\"just a string\"\n";
    char *got = feed_text(in, strlen(in), NULL);
    assert_string_equal(
        got,
        "REJECT ordinal=0 line=1 offset=0: cloudtrail: field 'detail' has type string, expected "
        "object\n"
        "REJECT ordinal=1 line=2 offset=59: cloudtrail: field 'detail-type' has type int, "
        "expected string\n"
        "REJECT ordinal=2 line=3 offset=89: cloudtrail: field 'CloudTrailEvent' has type int, "
        "expected string\n"
        "REJECT ordinal=3 line=4 offset=125: cloudtrail: field 'CloudTrailEvent': json: "
        "unexpected character 'b' at offset 1\n"
        "REJECT ordinal=4 line=5 offset=166: cloudtrail: field 'CloudTrailEvent' holds a JSON "
        "array, expected an object\n"
        "REJECT ordinal=5 line=6 offset=206: cloudtrail: missing field 'eventID'\n"
        "REJECT ordinal=6 line=7 offset=283: cloudtrail: record has type string, expected "
        "object\n");
    free(got);
}

/* ---- probe ------------------------------------------------------------------------------- */

static int probe(const char *head, const char *path)
{
    return SRC->probe(head, strlen(head), path);
}

static void test_cloudtrail_probe(void **state)
{
    (void)state;
    const char *ct_path =
        "logs/AWSLogs/111122223333/CloudTrail/eu-west-1/2024/05/02/"
        "111122223333_CloudTrail_eu-west-1_20240502T0815Z_abcdefghijklmnop.json.gz";
    size_t len = 0;
    char *records = read_fixture("records.json", &len);
    assert_int_equal(SRC->probe(records, len, "x.json"), 90);
    assert_int_equal(SRC->probe(records, len, ct_path), 100);
    /* a head cut inside the first record, before eventTime */
    assert_int_equal(SRC->probe(records, 300, "x.json"), 60);
    assert_int_equal(SRC->probe(records, 300, ct_path), 70);
    /* "Records" alone only counts under a CloudTrail key */
    assert_int_equal(SRC->probe(records, 20, "x.json"), 0);
    assert_int_equal(SRC->probe(records, 20, ct_path), 60);
    free(records);

    char *lines = read_fixture("lines.jsonl", &len);
    assert_int_equal(SRC->probe(lines, len, NULL), 90);
    free(lines);
    char *insight = read_fixture("insight.json", &len);
    assert_int_equal(
        SRC->probe(insight, len,
                   "AWSLogs/111122223333/CloudTrail-Insight/eu-west-1/2024/05/03/f.json.gz"),
        100);
    free(insight);
    char *eb = read_fixture("eventbridge.jsonl", &len);
    assert_int_equal(SRC->probe(eb, len, NULL), 90);
    free(eb);
    char *le = read_fixture("lookup-events.json", &len);
    assert_int_equal(SRC->probe(le, len, NULL), 90);
    free(le);
    /* a UTF-8 byte-order mark and leading whitespace are skipped */
    assert_int_equal(probe("\xef\xbb\xbf \n{\"eventVersion\":\"1.08\",\"eventTime\":\"x\","
                           "\"eventSource\":\"s3.amazonaws.com\"}",
                           NULL),
                     90);

    /* not CloudTrail events */
    assert_int_equal(probe("", NULL), 0);
    assert_int_equal(
        probe("[{\"eventVersion\":\"1.08\",\"eventTime\":\"x\",\"eventSource\":\"y\"}]", NULL), 0);
    assert_int_equal(probe("{\"awsAccountId\":\"111122223333\",\"digestStartTime\":"
                           "\"2024-05-02T07:00:00Z\",\"digestEndTime\":\"2024-05-02T08:00:00Z\","
                           "\"digestS3Bucket\":\"b\",\"digestPublicKeyFingerprint\":\"0a1b\","
                           "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"logFiles\":[]}",
                           NULL),
                     0);
    assert_int_equal(probe("{\"eventVersion\":\"1.08\",\"eventTime\":\"x\",\"eventSource\":\"y\"}",
                           "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2024/05/02/d.json.gz"),
                     0);
    assert_int_equal(
        probe("{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"0f1e\","
              "\"configurationItems\":[{\"configurationItemVersion\":\"1.3\","
              "\"configurationItemCaptureTime\":\"2024-05-02T08:00:00.000Z\","
              "\"resourceType\":\"AWS::S3::Bucket\"}]}",
              "AWSLogs/111122223333/Config/eu-west-1/2024/5/2/ConfigSnapshot/s.json.gz"),
        0);
    assert_int_equal(probe("{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":"
                           "\"eu-west-1\",\"vpc_id\":\"vpc-0a1b\",\"query_timestamp\":"
                           "\"2024-05-02T08:00:00Z\",\"query_name\":\"example.com.\","
                           "\"query_type\":\"A\",\"rcode\":\"NOERROR\",\"srcaddr\":\"10.0.0.5\"}",
                           NULL),
                     0);
    assert_int_equal(probe("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":"
                           "\"Metadata\",\"auditID\":\"0a1b\",\"stage\":\"ResponseComplete\","
                           "\"requestURI\":\"/api/v1/pods\",\"verb\":\"list\"}",
                           NULL),
                     0);
    assert_int_equal(
        probe("version account-id interface-id srcaddr dstaddr srcport dstport protocol "
              "packets bytes start end action log-status\n"
              "2 111122223333 eni-0a1b 10.0.0.1 10.0.0.2 443 49152 6 10 840 1714637700 "
              "1714637760 ACCEPT OK\n",
              "AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/05/02/f.log.gz"),
        0);
    assert_int_equal(
        probe("{\"version\":\"0\",\"detail-type\":\"GuardDuty Finding\",\"detail\":{}}", NULL), 0);
}

/* The descriptor matches migration 0002 exactly, and rows insert the way the runner inserts
 * them: a second copy of an event (same eventID) and of its resources is ignored. */
static void test_cloudtrail_schema(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_test_schema_check(st, SRC), 0);
    size_t len = 0;
    char *text = read_fixture("lines.jsonl", &len);
    struct rp_test_schema_counts n = {0};
    assert_int_equal(rp_test_schema_feed(st, SRC, NULL, text, len, &n), RP_OK);
    assert_int_equal(n.rows, 3);
    assert_int_equal(n.ignored, 0);
    assert_int_equal(rp_test_schema_feed(st, SRC, NULL, text, len, &n), RP_OK);
    assert_int_equal(n.rows, 3);
    assert_int_equal(n.ignored, 3);
    free(text);
    text = read_fixture("rejects.jsonl", &len);
    assert_int_equal(rp_test_schema_feed(st, SRC, NULL, text, len, &n), RP_OK);
    assert_int_equal(n.rejected, 11);
    free(text);
    rp_store_free(st);
}

static void test_cloudtrail_descriptor(void **state)
{
    (void)state;
    assert_ptr_equal(rp_ingest_source_find("cloudtrail"), SRC);
    assert_string_equal(SRC->name, "cloudtrail");
    assert_int_equal(SRC->kind, RP_INGEST_CLOUDTRAIL);
    assert_int_equal(SRC->framing, RP_INGEST_FRAME_JSON);
    assert_string_equal(SRC->containers[0], "Records");
    assert_string_equal(SRC->containers[1], "Events");
    assert_null(SRC->containers[2]);
    assert_int_equal(SRC->ntables, 2);
    const struct rp_ingest_table *t = &SRC->tables[0];
    assert_string_equal(t->name, "cloudtrail_logs");
    assert_int_equal(t->ncols, 39);
    assert_string_equal(t->cols[t->time_col].name, "rp_time_ms");
    assert_int_equal(t->cols[t->time_col].type, RP_INGEST_COL_INT);
    assert_string_equal(t->cols[t->ncols - 1].name, "rp_raw");
    assert_int_equal(t->cols[t->ncols - 1].type, RP_INGEST_COL_RAW);
    assert_null(t->insert_sql);
    assert_string_equal(SRC->tables[1].name, "cloudtrail_resources");
    assert_int_equal(SRC->tables[1].time_col, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cloudtrail_records_file),
        cmocka_unit_test(test_cloudtrail_insight),
        cmocka_unit_test(test_cloudtrail_insight_derived_category),
        cmocka_unit_test(test_cloudtrail_eventbridge),
        cmocka_unit_test(test_cloudtrail_eventbridge_raw),
        cmocka_unit_test(test_cloudtrail_json_lines),
        cmocka_unit_test(test_cloudtrail_lookup_events_output),
        cmocka_unit_test(test_cloudtrail_layout_fallback),
        cmocka_unit_test(test_cloudtrail_duplicate_key),
        cmocka_unit_test(test_cloudtrail_rejects),
        cmocka_unit_test(test_cloudtrail_wrapper_rejects),
        cmocka_unit_test(test_cloudtrail_probe),
        cmocka_unit_test(test_cloudtrail_schema),
        cmocka_unit_test(test_cloudtrail_descriptor),
    };
    return cmocka_run_group_tests_name("ingest_cloudtrail", tests, NULL, NULL);
}
