/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the AWS Config format (src/ingest/ingest_config.c): exact rows rendered by
 * ingest_test_sink.h for every record shape in tests/fixtures/config/ (snapshot and history
 * files, change, oversized and SNS-wrapped notifications, rule invocation events, messages
 * without an item, configuration delivered as a string, API-shaped and 2014-era items,
 * deletions, rejects), the probe against Config and other sources, and the store semantics
 * the test sink cannot show: rows written with the format's own insert SQL into a ":memory:"
 * store migrated with 0006_config.sql, then queried (history stored once, current state only
 * replaced by newer items, deletions kept, gaps filled, current relationships). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_gz.h"
#include "store/store.h"
#include "unit/ingest/ingest_test_schema.h"
#include "unit/ingest/ingest_test_sink.h"
#include "core/rp_banned.h"

extern const struct rp_ingest_source rp_ingest_src_config;
static const struct rp_ingest_source *const src = &rp_ingest_src_config;

/* The test sink renders config_items and config_resources rows of one item identically. */
#define CI_ROWS(cols) "config_items " cols "\nconfig_resources " cols "\n"
#define REL(cols)     "config_relationships " cols "\n"

/* ---- feeding ----------------------------------------------------------------------------- */

/* Contents of tests/fixtures/config/<name>; the caller releases it. */
static struct rp_buf load(const char *name)
{
    char path[512];
    struct rp_buf b;
    struct rp_errbuf eb = {0};
    snprintf(path, sizeof path, "%s/config/%s", RP_FIXTURES_DIR, name);
    rp_buf_init(&b, 0);
    if (rp_gz_read_file(path, NULL, &b, &eb) != RP_OK) fail_msg("%s: %s", path, eb.msg);
    return b;
}

/* Feed text to the format as the runner frames it: a document with a container key gives one
 * record per element; any other single document (pretty-printed or not) is one record; else
 * JSON Lines. Rows go to sink (NULL = the rendering test sink) with sink_arg; rejects are
 * rendered into ts. */
static rp_err feed_with(const struct rp_ingest_layout *layout, const char *text, size_t len,
                        rp_ingest_sink_fn sink, void *sink_arg, struct rp_test_sink *ts)
{
    struct rp_test_feed f = {.src = src, .path = "test-input"};
    struct rp_errbuf eb = {0};
    struct rp_json_val root, arr, el;
    struct rp_json_iter it;
    rp_err e = RP_OK;
    if (layout)
        f.layout = *layout;
    else
        f.layout.day_ms = -1;
    rp_arena_init(&f.arena, 0);
    f.cx = (struct rp_ingest_ctx){.src = src,
                                  .path = f.path,
                                  .layout = &f.layout,
                                  .arena = &f.arena,
                                  .sink = sink ? sink : rp_test_sink_row,
                                  .sink_arg = sink ? sink_arg : ts};
    struct rp_json_parser *jp = rp_json_parser_new();
    assert_non_null(jp);
    if (rp_json_parse(jp, text, len, &root, &eb) == RP_OK) {
        bool unwrapped = false;
        for (const char *const *k = src->containers; *k && !unwrapped; k++) {
            if (rp_json_obj_get(root, *k, &arr) != RP_OK || rp_json_arr_iter(arr, &it) != RP_OK)
                continue;
            unwrapped = true;
            while (!e && rp_json_arr_next(&it, &el)) {
                /* each element alone, re-parsed, as the runner's framing hands it over */
                struct rp_buf one;
                struct rp_json_val ev;
                struct rp_json_parser *ep = rp_json_parser_new();
                rp_buf_init(&one, 0);
                assert_non_null(ep);
                assert_int_equal(rp_json_serialize(el, &one), RP_OK);
                assert_int_equal(rp_json_parse_buf(ep, &one, &ev, &eb), RP_OK);
                e = rp_test_feed_one(&f, ts, one.data, one.len, 0, 0, ev);
                rp_json_parser_free(ep);
                rp_buf_release(&one);
            }
        }
        if (!unwrapped) e = rp_test_feed_one(&f, ts, text, len, 0, 1, root);
    } else {
        struct rp_json_lines jl;
        rp_json_lines_init(&jl, text, len, false);
        while (!e) {
            rp_err pe = rp_json_lines_next(&jl, jp, &root, &eb);
            if (pe == RP_ENOENT) break;
            assert_int_equal(pe, RP_OK);
            size_t n = jl.pos - jl.line_start;
            while (n && text[jl.line_start + n - 1] == '\n') n--;
            e = rp_test_feed_one(&f, ts, text + jl.line_start, n, jl.line_start, jl.lineno, root);
        }
    }
    rp_json_parser_free(f.cx.jp);
    rp_json_parser_free(jp);
    rp_arena_release(&f.arena);
    return e;
}

/* Rendered rows of fixture name (layout may be NULL). */
static char *render(const char *name, const struct rp_ingest_layout *layout)
{
    struct rp_buf in = load(name);
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    assert_int_equal(feed_with(layout, in.data, in.len, NULL, NULL, &ts), RP_OK);
    char *out = strdup(rp_test_sink_text(&ts));
    rp_test_sink_release(&ts);
    rp_buf_release(&in);
    assert_non_null(out);
    return out;
}

static void assert_rows(const char *name, const struct rp_ingest_layout *layout,
                        const char *expected)
{
    char *got = render(name, layout);
    assert_string_equal(got, expected);
    free(got);
}

/* ---- rendered rows ----------------------------------------------------------------------- */

static const struct rp_ingest_layout snapshot_layout = {
    .account = RP_STR_LIT("111122223333"),
    .service = RP_STR_LIT("Config"),
    .region = RP_STR_LIT("eu-west-1"),
    .day_ms = 1709251200000,
};

/* An EC2 instance, a security group, an S3 bucket (supplementaryConfiguration strings holding
 * JSON decoded: AccessControlList, BucketPolicy.policyText), an IAM user (region "global", a
 * relationship without resourceId) and the account-level S3 public access block. */
static void test_config_snapshot_rows(void **state)
{
    (void)state;
    assert_rows(
        "snapshot.json", &snapshot_layout,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-01T10:00:00.000Z "
            "configurationStateId=1709287200000 awsAccountId=111122223333 "
            "configurationItemStatus=OK resourceType=AWS::EC2::Instance "
            "resourceId=i-0aa0000000000i001 resourceName=NULL "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:instance/i-0aa0000000000i001 "
            "awsRegion=eu-west-1 availabilityZone=eu-west-1a "
            "resourceCreationTime=2024-02-01T08:00:00.000Z "
            "tags={\"Name\":\"web-1\",\"env\":\"prod\"} "
            "relatedEvents=[] "
            "relationships=[{\"resourceId\":\"eni-0aa0000000000e001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::NetworkInterface\",\"name\":\"Contains "
            "NetworkInterface\"},"
            "{\"resourceId\":\"sg-0aa0000000000s001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::SecurityGroup\",\"name\":\"Is associated with "
            "SecurityGroup\"},"
            "{\"resourceId\":\"subnet-0aa00000000001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::Subnet\",\"name\":\"Is contained in Subnet\"}] "
            "configuration={\"instanceId\":\"i-0aa0000000000i001\",\"instanceType\":\"t3.micro\","
            "\"state\":{\"code\":16,\"name\":\"running\"},\"subnetId\":\"subnet-0aa00000000001\","
            "\"vpcId\":\"vpc-0aa00000000001\",\"privateIpAddress\":\"10.20.1.10\","
            "\"publicIpAddress\":\"198.51.100.7\",\"securityGroups\":[{\"groupName\":\"web\","
            "\"groupId\":\"sg-0aa0000000000s001\"}],\"metadataOptions\":{\"httpTokens\":"
            "\"optional\","
            "\"httpEndpoint\":\"enabled\"}} "
            "supplementaryConfiguration={} configurationItemMD5Hash= configurationItemDiff=NULL "
            "rp_time_ms=1709287200000 rp_account=111122223333 rp_region=eu-west-1")
            REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::Instance "
                "resourceId=i-0aa0000000000i001 rp_time_ms=1709287200000 "
                "configurationStateId=1709287200000 idx=0 relationshipName=Contains "
                "NetworkInterface "
                "relatedResourceType=AWS::EC2::NetworkInterface "
                "relatedResourceId=eni-0aa0000000000e001 relatedResourceName=NULL")
                REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::Instance "
                    "resourceId=i-0aa0000000000i001 rp_time_ms=1709287200000 "
                    "configurationStateId=1709287200000 idx=1 "
                    "relationshipName=Is associated with SecurityGroup "
                    "relatedResourceType=AWS::EC2::SecurityGroup "
                    "relatedResourceId=sg-0aa0000000000s001 "
                    "relatedResourceName=NULL") REL("rp_account=111122223333 rp_region=eu-west-1 "
                                                    "resourceType=AWS::EC2::Instance "
                                                    "resourceId=i-0aa0000000000i001 "
                                                    "rp_time_ms=1709287200000 "
                                                    "configurationStateId=1709287200000 idx=2 "
                                                    "relationshipName=Is contained in Subnet "
                                                    "relatedResourceType=AWS::EC2::Subnet "
                                                    "relatedResourceId=subnet-0aa00000000001 "
                                                    "relatedResourceName=NULL")
                    CI_ROWS(
                        "configurationItemVersion=1.3 "
                        "configurationItemCaptureTime=2024-03-01T09:00:00.000Z "
                        "configurationStateId=1709283600000 awsAccountId=111122223333 "
                        "configurationItemStatus=OK resourceType=AWS::EC2::SecurityGroup "
                        "resourceId=sg-0aa0000000000s001 resourceName=web "
                        "ARN=arn:aws:ec2:eu-west-1:111122223333:security-group/"
                        "sg-0aa0000000000s001 "
                        "awsRegion=eu-west-1 availabilityZone=Not Applicable "
                        "resourceCreationTime=NULL "
                        "tags={} relatedEvents=[] "
                        "relationships=[{\"resourceId\":\"vpc-0aa00000000001\",\"resourceName\":"
                        "null,"
                        "\"resourceType\":\"AWS::EC2::VPC\",\"name\":\"Is contained in Vpc\"}] "
                        "configuration={\"groupName\":\"web\",\"groupId\":\"sg-0aa0000000000s001\","
                        "\"ownerId\":\"111122223333\",\"vpcId\":\"vpc-0aa00000000001\","
                        "\"ipPermissions\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                        "\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/"
                        "0\"}]},{\"ipProtocol\":\"tcp\",\"fromPort\":443,"
                        "\"toPort\":443,\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]}],"
                        "\"ipPermissionsEgress\":[{\"ipProtocol\":\"-1\",\"ipv4Ranges\":[{"
                        "\"cidrIp\":\"0.0.0.0/0\"}]}]} "
                        "supplementaryConfiguration={} configurationItemMD5Hash= "
                        "configurationItemDiff=NULL "
                        "rp_time_ms=1709283600000 rp_account=111122223333 rp_region=eu-west-1")
                        REL("rp_account=111122223333 rp_region=eu-west-1 "
                            "resourceType=AWS::EC2::SecurityGroup "
                            "resourceId=sg-0aa0000000000s001 rp_time_ms=1709283600000 "
                            "configurationStateId=1709283600000 idx=0 relationshipName=Is "
                            "contained in Vpc "
                            "relatedResourceType=AWS::EC2::VPC "
                            "relatedResourceId=vpc-0aa00000000001 "
                            "relatedResourceName=NULL")
                            CI_ROWS(
                                "configurationItemVersion=1.3 "
                                "configurationItemCaptureTime=2024-03-01T08:00:00.000Z "
                                "configurationStateId=1709280000000 awsAccountId=111122223333 "
                                "configurationItemStatus=OK resourceType=AWS::S3::Bucket "
                                "resourceId=example-logs-111122223333 "
                                "resourceName=example-logs-111122223333 "
                                "ARN=arn:aws:s3:::example-logs-111122223333 awsRegion=eu-west-1 "
                                "availabilityZone=Regional "
                                "resourceCreationTime=2023-11-20T12:00:00.000Z "
                                "tags={\"team\":\"sec\"} relatedEvents=[] "
                                "relationships=[{\"resourceId\":\"example-ap\",\"resourceName\":"
                                "\"example-ap\","
                                "\"resourceType\":\"AWS::S3::AccessPoint\",\"name\":\"Contains "
                                "AccessPoint\"}] "
                                "configuration={\"name\":\"example-logs-111122223333\",\"owner\":{"
                                "\"displayName\":null,"
                                "\"id\":\"c0ffee00c0ffee00\"},\"creationDate\":\"2023-11-20T12:00:"
                                "00.000Z\"} "
                                "supplementaryConfiguration={\"AccessControlList\":{\"grantList\":["
                                "{\"grantee\":{\"id\":\"c0ff"
                                "ee00c0ffee00\",\"displayName\":null},\"permission\":"
                                "\"FullControl\"}],"
                                "\"owner\":{\"displayName\":null,\"id\":\"c0ffee00c0ffee00\"}},"
                                "\"BucketPolicy\":{\"policyText\":{\"Version\":\"2012-10-17\","
                                "\"Statement\":[{\"Effect\":\"Deny\","
                                "\"Principal\":\"*\",\"Action\":\"s3:*\","
                                "\"Resource\":\"arn:aws:s3:::example-logs-111122223333/*\","
                                "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}},"
                                "\"BucketVersioningConfiguration\":{\"status\":\"Off\","
                                "\"isMfaDeleteEnabled\":null},"
                                "\"PublicAccessBlockConfiguration\":{\"blockPublicAcls\":true,"
                                "\"ignorePublicAcls\":true,"
                                "\"blockPublicPolicy\":true,\"restrictPublicBuckets\":true},"
                                "\"IsRequesterPaysEnabled\":false} "
                                "configurationItemMD5Hash= configurationItemDiff=NULL "
                                "rp_time_ms=1709280000000 "
                                "rp_account=111122223333 rp_region=eu-west-1")
                                REL("rp_account=111122223333 rp_region=eu-west-1 "
                                    "resourceType=AWS::S3::Bucket "
                                    "resourceId=example-logs-111122223333 rp_time_ms=1709280000000 "
                                    "configurationStateId=1709280000000 idx=0 "
                                    "relationshipName=Contains AccessPoint "
                                    "relatedResourceType=AWS::S3::AccessPoint "
                                    "relatedResourceId=example-ap "
                                    "relatedResourceName=example-ap")
                                    CI_ROWS(
                                        "configurationItemVersion=1.3 "
                                        "configurationItemCaptureTime=2024-03-01T07:00:00.000Z "
                                        "configurationStateId=1709276400000 "
                                        "awsAccountId=111122223333 "
                                        "configurationItemStatus=OK resourceType=AWS::IAM::User "
                                        "resourceId=AIDA0000000000000U001 resourceName=alice "
                                        "ARN=arn:aws:iam::111122223333:user/alice awsRegion=global "
                                        "availabilityZone=Not Applicable "
                                        "resourceCreationTime=2023-05-02T09:30:00.000Z "
                                        "tags={} relatedEvents=[] "
                                        "relationships=[{\"resourceId\":\"AGPA0000000000000G001\","
                                        "\"resourceName\":\"admins\","
                                        "\"resourceType\":\"AWS::IAM::Group\",\"name\":\"Is "
                                        "attached to Group\"},"
                                        "{\"resourceName\":\"ReadOnlyAccess\",\"resourceType\":"
                                        "\"AWS::IAM::Policy\","
                                        "\"name\":\"Is attached to AWSManagedPolicy\"}] "
                                        "configuration={\"path\":\"/"
                                        "\",\"userName\":\"alice\",\"userId\":"
                                        "\"AIDA0000000000000U001\","
                                        "\"arn\":\"arn:aws:iam::111122223333:user/alice\","
                                        "\"createDate\":\"2023-05-02T09:30:00.000Z\","
                                        "\"userPolicyList\":[],\"groupList\":[\"admins\"],"
                                        "\"attachedManagedPolicies\":[{\"policyName\":"
                                        "\"ReadOnlyAccess\","
                                        "\"policyArn\":\"arn:aws:iam::aws:policy/"
                                        "ReadOnlyAccess\"}]} "
                                        "supplementaryConfiguration={} configurationItemMD5Hash= "
                                        "configurationItemDiff=NULL "
                                        "rp_time_ms=1709276400000 rp_account=111122223333 "
                                        "rp_region=global")
                                        REL("rp_account=111122223333 rp_region=global "
                                            "resourceType=AWS::IAM::User "
                                            "resourceId=AIDA0000000000000U001 "
                                            "rp_time_ms=1709276400000 "
                                            "configurationStateId=1709276400000 idx=0 "
                                            "relationshipName=Is attached to Group "
                                            "relatedResourceType=AWS::IAM::Group "
                                            "relatedResourceId=AGPA0000000000000G001 "
                                            "relatedResourceName=admins")
                                            REL("rp_account=111122223333 rp_region=global "
                                                "resourceType=AWS::IAM::User "
                                                "resourceId=AIDA0000000000000U001 "
                                                "rp_time_ms=1709276400000 "
                                                "configurationStateId=1709276400000 idx=1 "
                                                "relationshipName=Is attached to AWSManagedPolicy "
                                                "relatedResourceType=AWS::IAM::Policy "
                                                "relatedResourceId=NULL "
                                                "relatedResourceName=ReadOnlyAccess")
                                                CI_ROWS(
                                                    "configurationItemVersion=1.3 "
                                                    "configurationItemCaptureTime=2024-03-01T06:00:"
                                                    "00.000Z "
                                                    "configurationStateId=1709272800000 "
                                                    "awsAccountId=111122223333 "
                                                    "configurationItemStatus=ResourceDiscovered "
                                                    "resourceType=AWS::S3::"
                                                    "AccountPublicAccessBlock "
                                                    "resourceId=111122223333 "
                                                    "resourceName=NULL ARN=NULL "
                                                    "awsRegion=eu-west-1 availabilityZone=Not "
                                                    "Applicable "
                                                    "resourceCreationTime=NULL tags={} "
                                                    "relatedEvents=[] relationships=[] "
                                                    "configuration={\"blockPublicAcls\":true,"
                                                    "\"ignorePublicAcls\":true,"
                                                    "\"blockPublicPolicy\":false,"
                                                    "\"restrictPublicBuckets\":false} "
                                                    "supplementaryConfiguration={} "
                                                    "configurationItemMD5Hash= "
                                                    "configurationItemDiff=NULL "
                                                    "rp_time_ms=1709272800000 "
                                                    "rp_account=111122223333 rp_region=eu-west-1"));
}

/* A history file: an older item of the security group, then the one the snapshot has too
 * (the test sink renders both; the store keeps the second once, see the store tests). */
static void test_config_history_rows(void **state)
{
    (void)state;
    assert_rows(
        "history.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-02-28T12:00:00.000Z "
            "configurationStateId=1709121600000 awsAccountId=111122223333 "
            "configurationItemStatus=ResourceDiscovered resourceType=AWS::EC2::SecurityGroup "
            "resourceId=sg-0aa0000000000s001 resourceName=web "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0aa0000000000s001 "
            "awsRegion=eu-west-1 availabilityZone=Not Applicable resourceCreationTime=NULL "
            "tags={} relatedEvents=[] "
            "relationships=[{\"resourceId\":\"vpc-0aa00000000001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::VPC\",\"name\":\"Is contained in Vpc\"}] "
            "configuration={\"groupName\":\"web\",\"groupId\":\"sg-0aa0000000000s001\","
            "\"ownerId\":\"111122223333\",\"vpcId\":\"vpc-0aa00000000001\","
            "\"ipPermissions\":[{\"ipProtocol\":\"tcp\",\"fromPort\":443,\"toPort\":443,"
            "\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/"
            "0\"}]}],\"ipPermissionsEgress\":[{\"ipProtocol\":\"-1\","
            "\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]}]} "
            "supplementaryConfiguration={} configurationItemMD5Hash= configurationItemDiff=NULL "
            "rp_time_ms=1709121600000 rp_account=111122223333 rp_region=eu-west-1")
            REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::SecurityGroup "
                "resourceId=sg-0aa0000000000s001 rp_time_ms=1709121600000 "
                "configurationStateId=1709121600000 idx=0 relationshipName=Is contained in Vpc "
                "relatedResourceType=AWS::EC2::VPC relatedResourceId=vpc-0aa00000000001 "
                "relatedResourceName=NULL")
                CI_ROWS(
                    "configurationItemVersion=1.3 "
                    "configurationItemCaptureTime=2024-03-01T09:00:00.000Z "
                    "configurationStateId=1709283600000 awsAccountId=111122223333 "
                    "configurationItemStatus=OK resourceType=AWS::EC2::SecurityGroup "
                    "resourceId=sg-0aa0000000000s001 resourceName=web "
                    "ARN=arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0aa0000000000s001 "
                    "awsRegion=eu-west-1 availabilityZone=Not Applicable resourceCreationTime=NULL "
                    "tags={} relatedEvents=[] "
                    "relationships=[{\"resourceId\":\"vpc-0aa00000000001\",\"resourceName\":null,"
                    "\"resourceType\":\"AWS::EC2::VPC\",\"name\":\"Is contained in Vpc\"}] "
                    "configuration={\"groupName\":\"web\",\"groupId\":\"sg-0aa0000000000s001\","
                    "\"ownerId\":\"111122223333\",\"vpcId\":\"vpc-0aa00000000001\","
                    "\"ipPermissions\":[{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                    "\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/"
                    "0\"}]},{\"ipProtocol\":\"tcp\",\"fromPort\":443,"
                    "\"toPort\":443,\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]}],"
                    "\"ipPermissionsEgress\":[{\"ipProtocol\":\"-1\",\"ipv4Ranges\":[{\"cidrIp\":"
                    "\"0.0.0.0/0\"}]}]} "
                    "supplementaryConfiguration={} configurationItemMD5Hash= "
                    "configurationItemDiff=NULL "
                    "rp_time_ms=1709283600000 rp_account=111122223333 rp_region=eu-west-1")
                    REL("rp_account=111122223333 rp_region=eu-west-1 "
                        "resourceType=AWS::EC2::SecurityGroup "
                        "resourceId=sg-0aa0000000000s001 rp_time_ms=1709283600000 "
                        "configurationStateId=1709283600000 idx=0 relationshipName=Is contained in "
                        "Vpc "
                        "relatedResourceType=AWS::EC2::VPC relatedResourceId=vpc-0aa00000000001 "
                        "relatedResourceName=NULL"));
}

/* get-resource-config-history output: version, accountId, arn, configurationStateId as a
 * string, configuration as a JSON string, supplementaryConfiguration values as JSON strings
 * (policyText inside one), relationshipName. Everything lands in the delivered columns with
 * the same JSON as the delivered bucket item (only "IsRequesterPaysEnabled", a string "false"
 * here, stays a string). */
static void test_config_api_shape_rows(void **state)
{
    (void)state;
    assert_rows(
        "ci_api.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-01T08:00:00Z "
            "configurationStateId=1709280000000 awsAccountId=111122223333 "
            "configurationItemStatus=OK resourceType=AWS::S3::Bucket "
            "resourceId=example-logs-111122223333 resourceName=example-logs-111122223333 "
            "ARN=arn:aws:s3:::example-logs-111122223333 awsRegion=eu-west-1 "
            "availabilityZone=Regional resourceCreationTime=2023-11-20T12:00:00Z "
            "tags={\"team\":\"sec\"} relatedEvents=[] "
            "relationships=[{\"resourceType\":\"AWS::S3::AccessPoint\",\"resourceId\":\"example-"
            "ap\","
            "\"resourceName\":\"example-ap\",\"name\":\"Contains AccessPoint\"}] "
            "configuration={\"name\":\"example-logs-111122223333\",\"owner\":{\"displayName\":null,"
            "\"id\":\"c0ffee00c0ffee00\"},\"creationDate\":\"2023-11-20T12:00:00.000Z\"} "
            "supplementaryConfiguration={\"AccessControlList\":{\"grantList\":[{\"grantee\":{"
            "\"id\":\"c0ff"
            "ee00c0ffee00\",\"displayName\":null},\"permission\":\"FullControl\"}],"
            "\"owner\":{\"displayName\":null,\"id\":\"c0ffee00c0ffee00\"}},"
            "\"BucketPolicy\":{\"policyText\":{\"Version\":\"2012-10-17\",\"Statement\":[{"
            "\"Effect\":\"Deny\","
            "\"Principal\":\"*\",\"Action\":\"s3:*\","
            "\"Resource\":\"arn:aws:s3:::example-logs-111122223333/*\","
            "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}},"
            "\"BucketVersioningConfiguration\":{\"status\":\"Off\",\"isMfaDeleteEnabled\":null},"
            "\"PublicAccessBlockConfiguration\":{\"blockPublicAcls\":true,\"ignorePublicAcls\":"
            "true,"
            "\"blockPublicPolicy\":true,\"restrictPublicBuckets\":true},"
            "\"IsRequesterPaysEnabled\":\"false\"} "
            "configurationItemMD5Hash= configurationItemDiff=NULL rp_time_ms=1709280000000 "
            "rp_account=111122223333 rp_region=eu-west-1")
            REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::S3::Bucket "
                "resourceId=example-logs-111122223333 rp_time_ms=1709280000000 "
                "configurationStateId=1709280000000 idx=0 relationshipName=Contains AccessPoint "
                "relatedResourceType=AWS::S3::AccessPoint relatedResourceId=example-ap "
                "relatedResourceName=example-ap"));
}

/* configuration delivered as a string holding JSON is stored as that JSON (strings inside it
 * are left alone); one that does not parse is stored as a JSON string. */
static void test_config_configuration_string_rows(void **state)
{
    (void)state;
    assert_rows(
        "ci_config_string.jsonl", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-01T05:00:00.000Z "
            "configurationStateId=1709269200000 awsAccountId=111122223333 "
            "configurationItemStatus=OK resourceType=AWS::SNS::Topic "
            "resourceId=arn:aws:sns:eu-west-1:111122223333:alerts resourceName=alerts "
            "ARN=arn:aws:sns:eu-west-1:111122223333:alerts awsRegion=eu-west-1 "
            "availabilityZone=Not Applicable resourceCreationTime=NULL tags={} relatedEvents=[] "
            "relationships=[] "
            "configuration={\"TopicArn\":\"arn:aws:sns:eu-west-1:111122223333:alerts\","
            "\"KmsMasterKeyId\":\"\",\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"} "
            "supplementaryConfiguration={\"Settings\":[1,2]} configurationItemMD5Hash=NULL "
            "configurationItemDiff=NULL rp_time_ms=1709269200000 rp_account=111122223333 "
            "rp_region=eu-west-1")
            CI_ROWS(
                "configurationItemVersion=1.3 "
                "configurationItemCaptureTime=2024-03-01T05:30:00.000Z "
                "configurationStateId=1709271000000 awsAccountId=111122223333 "
                "configurationItemStatus=OK resourceType=AWS::SSM::Parameter resourceId=/app/mode "
                "resourceName=NULL ARN=NULL awsRegion=eu-west-1 availabilityZone=Not Applicable "
                "resourceCreationTime=NULL tags={} relatedEvents=[] relationships=[] "
                "configuration=\"{not json\" "
                "supplementaryConfiguration={\"Note\":\"{\\\"a\\\":1\"} "
                "configurationItemMD5Hash=NULL configurationItemDiff=NULL rp_time_ms=1709271000000 "
                "rp_account=111122223333 rp_region=eu-west-1"));
}

/* A change notification: the item plus its configurationItemDiff. */
static void test_config_change_notification_rows(void **state)
{
    (void)state;
    assert_rows(
        "notification_change.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-02T10:00:00.000Z "
            "configurationStateId=1709373600000 awsAccountId=111122223333 "
            "configurationItemStatus=OK resourceType=AWS::EC2::Instance "
            "resourceId=i-0aa0000000000i001 resourceName=NULL "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:instance/i-0aa0000000000i001 "
            "awsRegion=eu-west-1 availabilityZone=eu-west-1a "
            "resourceCreationTime=2024-02-01T08:00:00.000Z "
            "tags={\"Name\":\"web-1\",\"env\":\"prod\"} "
            "relatedEvents=[] "
            "relationships=[{\"resourceId\":\"eni-0aa0000000000e001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::NetworkInterface\",\"name\":\"Contains "
            "NetworkInterface\"},"
            "{\"resourceId\":\"sg-0aa0000000000s002\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::SecurityGroup\",\"name\":\"Is associated with "
            "SecurityGroup\"},"
            "{\"resourceId\":\"subnet-0aa00000000001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::Subnet\",\"name\":\"Is contained in Subnet\"}] "
            "configuration={\"instanceId\":\"i-0aa0000000000i001\",\"instanceType\":\"t3.micro\","
            "\"state\":{\"code\":16,\"name\":\"running\"},\"subnetId\":\"subnet-0aa00000000001\","
            "\"vpcId\":\"vpc-0aa00000000001\",\"privateIpAddress\":\"10.20.1.10\","
            "\"publicIpAddress\":\"198.51.100.7\",\"securityGroups\":[{\"groupName\":\"web-"
            "locked\","
            "\"groupId\":\"sg-0aa0000000000s002\"}],\"metadataOptions\":{\"httpTokens\":"
            "\"required\","
            "\"httpEndpoint\":\"enabled\"}} "
            "supplementaryConfiguration={} configurationItemMD5Hash= "
            "configurationItemDiff={\"changedProperties\":{\"Relationships.1\":{\"previousValue\":{"
            "\"res"
            "ourceId\":\"sg-0aa0000000000s001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::SecurityGroup\",\"name\":\"Is associated with "
            "SecurityGroup\"},"
            "\"updatedValue\":null,\"changeType\":\"DELETE\"},"
            "\"Configuration.SecurityGroups.0\":{\"previousValue\":{\"groupName\":\"web\","
            "\"groupId\":\"sg-0aa0000000000s001\"},\"updatedValue\":{\"groupName\":\"web-locked\","
            "\"groupId\":\"sg-0aa0000000000s002\"},\"changeType\":\"UPDATE\"}},\"changeType\":"
            "\"UPDATE\"} "
            "rp_time_ms=1709373600000 rp_account=111122223333 rp_region=eu-west-1")
            REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::Instance "
                "resourceId=i-0aa0000000000i001 rp_time_ms=1709373600000 "
                "configurationStateId=1709373600000 idx=0 relationshipName=Contains "
                "NetworkInterface "
                "relatedResourceType=AWS::EC2::NetworkInterface "
                "relatedResourceId=eni-0aa0000000000e001 relatedResourceName=NULL")
                REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::Instance "
                    "resourceId=i-0aa0000000000i001 rp_time_ms=1709373600000 "
                    "configurationStateId=1709373600000 idx=1 "
                    "relationshipName=Is associated with SecurityGroup "
                    "relatedResourceType=AWS::EC2::SecurityGroup "
                    "relatedResourceId=sg-0aa0000000000s002 "
                    "relatedResourceName=NULL")
                    REL("rp_account=111122223333 rp_region=eu-west-1 "
                        "resourceType=AWS::EC2::Instance "
                        "resourceId=i-0aa0000000000i001 rp_time_ms=1709373600000 "
                        "configurationStateId=1709373600000 idx=2 relationshipName=Is contained in "
                        "Subnet "
                        "relatedResourceType=AWS::EC2::Subnet "
                        "relatedResourceId=subnet-0aa00000000001 "
                        "relatedResourceName=NULL"));
}

/* An oversized notification: what the summary has, configuration and the other JSON columns
 * NULL, the change type as the diff, no relationships. */
static void test_config_oversized_notification_rows(void **state)
{
    (void)state;
    assert_rows(
        "notification_oversized.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-03T10:00:00.000Z "
            "configurationStateId=1709460000000 awsAccountId=111122223333 "
            "configurationItemStatus=OK resourceType=AWS::EC2::Instance "
            "resourceId=i-0aa0000000000i001 resourceName=NULL "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:instance/i-0aa0000000000i001 "
            "awsRegion=eu-west-1 availabilityZone=eu-west-1a "
            "resourceCreationTime=2024-02-01T08:00:00.000Z tags=NULL relatedEvents=NULL "
            "relationships=NULL configuration=NULL supplementaryConfiguration=NULL "
            "configurationItemMD5Hash= configurationItemDiff={\"changeType\":\"UPDATE\"} "
            "rp_time_ms=1709460000000 rp_account=111122223333 rp_region=eu-west-1"));
}

/* An SNS envelope whose Message is a string holding a change notification. */
static void test_config_sns_envelope_rows(void **state)
{
    (void)state;
    assert_rows(
        "notification_sns.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-02T11:00:00.000Z "
            "configurationStateId=1709377200000 awsAccountId=111122223333 "
            "configurationItemStatus=ResourceDiscovered resourceType=AWS::EC2::Subnet "
            "resourceId=subnet-0aa00000000002 resourceName=NULL "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aa00000000002 "
            "awsRegion=eu-west-1 availabilityZone=eu-west-1b resourceCreationTime=NULL tags={} "
            "relatedEvents=[] "
            "relationships=[{\"resourceId\":\"vpc-0aa00000000001\",\"resourceName\":null,"
            "\"resourceType\":\"AWS::EC2::VPC\",\"name\":\"Is contained in Vpc\"}] "
            "configuration={\"subnetId\":\"subnet-0aa00000000002\",\"vpcId\":\"vpc-"
            "0aa00000000001\","
            "\"cidrBlock\":\"10.20.2.0/24\",\"mapPublicIpOnLaunch\":true} "
            "supplementaryConfiguration={} configurationItemMD5Hash= "
            "configurationItemDiff={\"changedProperties\":{},\"changeType\":\"CREATE\"} "
            "rp_time_ms=1709377200000 rp_account=111122223333 rp_region=eu-west-1")
            REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::Subnet "
                "resourceId=subnet-0aa00000000002 rp_time_ms=1709377200000 "
                "configurationStateId=1709377200000 idx=0 relationshipName=Is contained in Vpc "
                "relatedResourceType=AWS::EC2::VPC relatedResourceId=vpc-0aa00000000001 "
                "relatedResourceName=NULL"));
}

/* A custom rule invocation event: the item inside the invokingEvent string. */
static void test_config_rule_event_rows(void **state)
{
    (void)state;
    assert_rows(
        "rule_event.json", NULL,
        CI_ROWS(
            "configurationItemVersion=NULL configurationItemCaptureTime=2024-03-01T04:00:00.000Z "
            "configurationStateId=1709265600000 awsAccountId=111122223333 "
            "configurationItemStatus=OK resourceType=AWS::EC2::Volume "
            "resourceId=vol-0aa0000000000v001 resourceName=NULL "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:volume/vol-0aa0000000000v001 "
            "awsRegion=eu-west-1 availabilityZone=eu-west-1a resourceCreationTime=NULL tags={} "
            "relatedEvents=NULL "
            "relationships=[{\"resourceId\":\"i-0aa0000000000i001\","
            "\"resourceType\":\"AWS::EC2::Instance\",\"name\":\"Is attached to Instance\"}] "
            "configuration={\"volumeId\":\"vol-0aa0000000000v001\",\"encrypted\":false,\"size\":8} "
            "supplementaryConfiguration=NULL configurationItemMD5Hash=NULL "
            "configurationItemDiff=NULL rp_time_ms=1709265600000 rp_account=111122223333 "
            "rp_region=eu-west-1")
            REL("rp_account=111122223333 rp_region=eu-west-1 resourceType=AWS::EC2::Volume "
                "resourceId=vol-0aa0000000000v001 rp_time_ms=1709265600000 "
                "configurationStateId=1709265600000 idx=0 relationshipName=Is attached to Instance "
                "relatedResourceType=AWS::EC2::Instance relatedResourceId=i-0aa0000000000i001 "
                "relatedResourceName=NULL"));
}

/* The 2014 documentation shape: SNS Message as an object, configurationItem an array,
 * configurationStateID a UUID (stored as TEXT), accountId, availibilityZone, no awsRegion
 * (rp_region then comes from the ARN). */
static void test_config_legacy_rows(void **state)
{
    (void)state;
    assert_rows(
        "ci_legacy.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.0 configurationItemCaptureTime=2014-03-07T23:47:08.918Z "
            "configurationStateId=3f1c0a9e-0000-4000-8000-00000000abcd awsAccountId=444455556666 "
            "configurationItemStatus=OK resourceType=AWS::EC2::Volume resourceId=vol-0bb00001 "
            "resourceName=NULL ARN=arn:aws:ec2:us-west-2:444455556666:volume/vol-0bb00001 "
            "awsRegion=NULL availabilityZone=us-west-2b "
            "resourceCreationTime=2014-02-27T21:43:53.885Z tags={} "
            "relatedEvents=[\"1d2e3f40-0000-4000-8000-000000000005\"] "
            "relationships=[{\"resourceId\":\"i-0bb00002\",\"resourceType\":\"AWS::EC2::Instance\","
            "\"name\":\"Attached to Instance\",\"direction\":\"OUT\"}] "
            "configuration={\"volumeId\":\"vol-0bb00001\",\"size\":1,\"state\":\"in-use\"} "
            "supplementaryConfiguration=NULL configurationItemMD5Hash=NULL "
            "configurationItemDiff={\"changeType\":\"UPDATE\","
            "\"changedProperties\":{\"Configuration.State\":{\"previousValue\":\"available\","
            "\"updatedValue\":\"in-use\",\"changeType\":\"UPDATE\"}}} "
            "rp_time_ms=1394236028918 rp_account=444455556666 rp_region=us-west-2")
            REL("rp_account=444455556666 rp_region=us-west-2 resourceType=AWS::EC2::Volume "
                "resourceId=vol-0bb00001 rp_time_ms=1394236028918 "
                "configurationStateId=3f1c0a9e-0000-4000-8000-00000000abcd idx=0 "
                "relationshipName=Attached to Instance relatedResourceType=AWS::EC2::Instance "
                "relatedResourceId=i-0bb00002 relatedResourceName=NULL"));
}

/* A deletion: status ResourceDeleted, configuration null, no relationships. */
static void test_config_deleted_rows(void **state)
{
    (void)state;
    assert_rows(
        "ci_deleted.json", NULL,
        CI_ROWS(
            "configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-04T10:00:00.000Z "
            "configurationStateId=1709546400000 awsAccountId=111122223333 "
            "configurationItemStatus=ResourceDeleted resourceType=AWS::EC2::Instance "
            "resourceId=i-0aa0000000000i001 resourceName=NULL "
            "ARN=arn:aws:ec2:eu-west-1:111122223333:instance/i-0aa0000000000i001 "
            "awsRegion=eu-west-1 availabilityZone=eu-west-1a "
            "resourceCreationTime=2024-02-01T08:00:00.000Z tags={} relatedEvents=[] "
            "relationships=[] configuration=NULL supplementaryConfiguration={} "
            "configurationItemMD5Hash= configurationItemDiff=NULL rp_time_ms=1709546400000 "
            "rp_account=111122223333 rp_region=eu-west-1"));
}

/* Delivery, compliance and scheduled notifications carry no item: accepted, no row. */
static void test_config_other_messages_no_rows(void **state)
{
    (void)state;
    assert_rows("notifications_other.jsonl", NULL, "");
}

static void test_config_rejects(void **state)
{
    (void)state;
    assert_rows("bad.jsonl", NULL,
                "REJECT ordinal=0 line=1 offset=0: config: missing field 'resourceType'\n"
                "REJECT ordinal=1 line=2 offset=103: config: missing field 'resourceId'\n"
                "REJECT ordinal=2 line=3 offset=212: config: missing field "
                "'configurationItemCaptureTime'\n"
                "REJECT ordinal=3 line=4 offset=266: config: bad time '2024-13-01T00:00:00.000Z' "
                "in field 'configurationItemCaptureTime'\n"
                "REJECT ordinal=4 line=5 offset=378: config: field 'resourceType' is an object, "
                "expected a string\n"
                "REJECT ordinal=5 line=6 offset=482: config: record is a JSON string, expected an "
                "object\n"
                "REJECT ordinal=6 line=7 offset=498: config: missing field 'configurationItem'\n"
                "REJECT ordinal=7 line=8 offset=581: config: missing field "
                "'configurationItemSummary'\n"
                "REJECT ordinal=8 line=9 offset=644: config: field 'Message' is not JSON: json: "
                "unexpected character 'n' at offset 1\n"
                "REJECT ordinal=9 line=10 offset=740: config: item 1: missing field "
                "'resourceId'\n");
}

/* Numbers where text is expected are kept as their JSON text; "7" is an integer state id;
 * nothing says the region, so rp_region is ''. A JSON array of items is one record. */
static void test_config_scalars_and_arrays(void **state)
{
    static const char text[] =
        "{\"configurationItemCaptureTime\":\"2024-03-01T00:00:00Z\",\"resourceType\":"
        "\"AWS::S3::AccountPublicAccessBlock\",\"resourceId\":111122223333,\"awsAccountId\":"
        "111122223333,\"configurationStateId\":\"7\",\"configurationItemVersion\":1.3}\n"
        "[{\"configurationItemCaptureTime\":\"2024-03-01T00:00:00Z\",\"resourceType\":"
        "\"AWS::EC2::VPC\",\"resourceId\":\"vpc-1\",\"ARN\":"
        "\"arn:aws:ec2:eu-west-1:444455556666:vpc/vpc-1\"},"
        "{\"configurationItemCaptureTime\":\"2024-03-01T00:00:00Z\",\"resourceType\":"
        "\"AWS::EC2::VPC\",\"resourceId\":\"vpc-2\"}]\n";
    struct rp_test_sink ts;
    (void)state;
    rp_test_sink_init(&ts);
    assert_int_equal(feed_with(NULL, text, strlen(text), NULL, NULL, &ts), RP_OK);
    assert_string_equal(
        rp_test_sink_text(&ts),
        CI_ROWS("configurationItemVersion=1.3 configurationItemCaptureTime=2024-03-01T00:00:00Z "
                "configurationStateId=7 awsAccountId=111122223333 configurationItemStatus=NULL "
                "resourceType=AWS::S3::AccountPublicAccessBlock resourceId=111122223333 "
                "resourceName=NULL ARN=NULL awsRegion=NULL availabilityZone=NULL "
                "resourceCreationTime=NULL tags=NULL relatedEvents=NULL relationships=NULL "
                "configuration=NULL supplementaryConfiguration=NULL "
                "configurationItemMD5Hash=NULL configurationItemDiff=NULL "
                "rp_time_ms=1709251200000 rp_account=111122223333 rp_region=")
            CI_ROWS(
                "configurationItemVersion=NULL configurationItemCaptureTime=2024-03-01T00:00:00Z "
                "configurationStateId=NULL awsAccountId=NULL configurationItemStatus=NULL "
                "resourceType=AWS::EC2::VPC resourceId=vpc-1 resourceName=NULL "
                "ARN=arn:aws:ec2:eu-west-1:444455556666:vpc/vpc-1 awsRegion=NULL "
                "availabilityZone=NULL resourceCreationTime=NULL tags=NULL "
                "relatedEvents=NULL relationships=NULL configuration=NULL "
                "supplementaryConfiguration=NULL configurationItemMD5Hash=NULL "
                "configurationItemDiff=NULL rp_time_ms=1709251200000 "
                "rp_account=444455556666 rp_region=eu-west-1")
                CI_ROWS("configurationItemVersion=NULL "
                        "configurationItemCaptureTime=2024-03-01T00:00:00Z "
                        "configurationStateId=NULL awsAccountId=NULL configurationItemStatus=NULL "
                        "resourceType=AWS::EC2::VPC resourceId=vpc-2 resourceName=NULL "
                        "ARN=NULL awsRegion=NULL availabilityZone=NULL resourceCreationTime=NULL "
                        "tags=NULL relatedEvents=NULL relationships=NULL configuration=NULL "
                        "supplementaryConfiguration=NULL configurationItemMD5Hash=NULL "
                        "configurationItemDiff=NULL rp_time_ms=1709251200000 rp_account= "
                        "rp_region="));
    rp_test_sink_release(&ts);
}

/* ---- probe ------------------------------------------------------------------------------- */

static int probe_fixture(const char *name, size_t head, const char *path)
{
    struct rp_buf b = load(name);
    int score = src->probe(b.data, head && head < b.len ? head : b.len, path);
    rp_buf_release(&b);
    return score;
}

#define PROBE(s, path) src->probe((s), strlen(s), (path))

static void test_config_probe(void **state)
{
    (void)state;
    const char *snap = "bucket/AWSLogs/111122223333/Config/eu-west-1/2024/3/1/ConfigSnapshot/"
                       "111122223333_Config_eu-west-1_ConfigSnapshot_20240301T100000Z_x.json.gz";
    const char *hist = "bucket/AWSLogs/111122223333/Config/eu-west-1/2024/3/1/ConfigHistory/"
                       "111122223333_Config_eu-west-1_ConfigHistory_AWS::EC2::SecurityGroup_"
                       "20240301T040000Z_20240301T100000Z_1.json.gz";
    const char *ct = "bucket/AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/01/x.json.gz";

    assert_int_equal(probe_fixture("snapshot.json", 0, "x.json"), 100);
    assert_int_equal(probe_fixture("snapshot.json", 120, snap), 100); /* head ends mid-item */
    assert_int_equal(probe_fixture("history.json", 0, hist), 100);
    assert_int_equal(probe_fixture("ci_api.json", 0, NULL), 100);
    assert_int_equal(probe_fixture("notification_change.json", 0, NULL), 90);
    assert_int_equal(probe_fixture("notification_oversized.json", 0, NULL), 90);
    assert_int_equal(probe_fixture("notifications_other.jsonl", 0, NULL), 90);
    assert_int_equal(probe_fixture("rule_event.json", 0, NULL), 85);
    assert_int_equal(probe_fixture("ci_deleted.json", 0, NULL), 85);
    assert_int_equal(probe_fixture("ci_deleted.json", 0, hist), 90);
    assert_int_equal(probe_fixture("notification_sns.json", 0, NULL), 80);
    assert_int_equal(probe_fixture("ci_legacy.json", 0, NULL), 90);
    /* a single item whose configuration fills the head: only the path speaks for it */
    assert_int_equal(PROBE("{\"relatedEvents\":[],\"configuration\":{\"a\":", NULL), 0);
    assert_int_equal(PROBE("{\"relatedEvents\":[],\"configuration\":{\"a\":", hist), 40);
    assert_int_equal(PROBE("", snap), 40);
    assert_int_equal(PROBE("", NULL), 0);

    /* CloudTrail, even about AWS Config and quoting its field names */
    assert_int_equal(PROBE("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":"
                           "\"config.amazonaws.com\",\"eventName\":\"PutConfigurationRecorder\"}]}",
                           ct),
                     0);
    assert_int_equal(
        PROBE("{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventSource\":"
              "\"config.amazonaws.com\",\"eventName\":\"GetResourceConfigHistory\","
              "\"requestParameters\":{\"resourceType\":\"AWS::EC2::Instance\",\"resourceId\":"
              "\"i-1\"},\"responseElements\":{\"configurationItems\":[{"
              "\"configurationItemCaptureTime\":\"2024-03-01T09:00:00.000Z\"}]}}\n",
              NULL),
        0);
    /* VPC flow logs, Route 53 Resolver, Kubernetes audit */
    assert_int_equal(PROBE("version account-id interface-id srcaddr dstaddr\n2 111122223333 "
                           "eni-0aa0000000000e001 10.20.1.10 198.51.100.7\n",
                           NULL),
                     0);
    assert_int_equal(PROBE("{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":"
                           "\"eu-west-1\",\"vpc_id\":\"vpc-1\",\"query_timestamp\":"
                           "\"2024-03-01T10:00:00Z\",\"query_name\":\"example.com.\"}\n",
                           NULL),
                     0);
    assert_int_equal(PROBE("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":"
                           "\"Metadata\",\"auditID\":\"a1\",\"stage\":\"ResponseComplete\","
                           "\"requestURI\":\"/api/v1/namespaces\",\"verb\":\"list\"}\n",
                           NULL),
                     0);
}

static void test_config_registered(void **state)
{
    (void)state;
    assert_ptr_equal(rp_ingest_source_find("config"), src);
    assert_int_equal(src->kind, RP_INGEST_CONFIG);
    assert_int_equal(src->framing, RP_INGEST_FRAME_JSON);
    assert_string_equal(src->containers[0], "configurationItems");
    assert_string_equal(src->tables[0].name, "config_items");
    assert_string_equal(src->tables[1].name, "config_resources");
    assert_string_equal(src->tables[2].name, "config_relationships");
    assert_int_equal(src->ntables, 3);
}

/* ---- the store --------------------------------------------------------------------------- */

/* Writes rows with each table's own SQL (insert_sql, else INSERT OR IGNORE) into a store, as
 * the runner does, and counts duplicates of the first table as the runner counts them: a
 * statement that changed no row. */
struct store_sink {
    struct rp_store *st;
    char sql[3][2048]; /* the default INSERT OR IGNORE of each table */
    int64_t rows, duplicates;
};

static rp_err store_row(struct rp_ingest_ctx *cx, unsigned table, const struct rp_ingest_val *vals,
                        struct rp_errbuf *eb)
{
    struct store_sink *ss = cx->sink_arg;
    const struct rp_ingest_table *t = &cx->src->tables[table];
    const char *sql = t->insert_sql;
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e;
    if (!sql) {
        char *q = ss->sql[table];
        size_t n = (size_t)snprintf(q, sizeof ss->sql[0], "INSERT OR IGNORE INTO %s(", t->name);
        for (size_t i = 0; i < t->ncols; i++)
            n += (size_t)snprintf(q + n, sizeof ss->sql[0] - n, "%s%s", i ? ", " : "",
                                  t->cols[i].name);
        n += (size_t)snprintf(q + n, sizeof ss->sql[0] - n, ") VALUES(");
        for (size_t i = 0; i < t->ncols; i++)
            n += (size_t)snprintf(q + n, sizeof ss->sql[0] - n, "%s?%zu", i ? ", " : "", i + 1);
        snprintf(q + n, sizeof ss->sql[0] - n, ")");
        sql = q;
    }
    if ((e = rp_store_stmt_prepare(ss->st, sql, &s, eb)) != RP_OK) return e;
    for (size_t i = 0; i < t->ncols && !e; i++) {
        const struct rp_ingest_val *v = &vals[i];
        int idx = (int)i + 1;
        if (t->cols[i].type == RP_INGEST_COL_RAW)
            e = v->type == RP_INGEST_VAL_NULL
                    ? rp_store_stmt_bind_blob(s, idx, cx->rec->p, cx->rec->n, eb)
                    : rp_store_stmt_bind_blob(s, idx, v->s, v->n, eb);
        else if (v->type == RP_INGEST_VAL_NULL)
            e = rp_store_stmt_bind_null(s, idx, eb);
        else if (v->type == RP_INGEST_VAL_INT)
            e = rp_store_stmt_bind_int64(s, idx, v->i, eb);
        else if (v->type == RP_INGEST_VAL_REAL)
            e = rp_store_stmt_bind_double(s, idx, v->d, eb);
        else
            e = rp_store_stmt_bind_text(s, idx, v->s, v->n, eb);
    }
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && table == 0) {
        ss->rows++;
        if (rp_store_changes(ss->st) == 0) ss->duplicates++;
    }
    return e;
}

static int store_setup(void **state)
{
    struct store_sink *ss = calloc(1, sizeof *ss);
    struct rp_errbuf eb = {0};
    if (!ss || rp_store_new(":memory:", RP_STORE_RDWR, &ss->st, &eb) != RP_OK) {
        free(ss);
        return -1;
    }
    *state = ss;
    return 0;
}

static int store_teardown(void **state)
{
    struct store_sink *ss = *state;
    rp_store_free(ss->st);
    free(ss);
    return 0;
}

static void store_feed_text(struct store_sink *ss, const char *text)
{
    struct rp_test_sink ts;
    struct rp_errbuf eb = {0};
    rp_test_sink_init(&ts);
    rp_err e = feed_with(&snapshot_layout, text, strlen(text), store_row, ss, &ts);
    if (e) fail_msg("feed: %s: %s", rp_err_name(e), eb.msg);
    assert_string_equal(rp_test_sink_text(&ts), ""); /* no rejects */
    rp_test_sink_release(&ts);
}

static void store_feed(struct store_sink *ss, const char *name)
{
    struct rp_buf b = load(name);
    store_feed_text(ss, b.data);
    rp_buf_release(&b);
}

/* The rows of sql as text, sqlite3-CLI style: columns joined by '|', rows by '\n', NULL as
 * "NULL". Returned from a static buffer. */
static const char *q(struct store_sink *ss, const char *sql)
{
    static char out[8192];
    struct rp_store_stmt *s = NULL;
    struct rp_errbuf eb = {0};
    bool row = false;
    size_t n = 0;
    out[0] = '\0';
    if (rp_store_stmt_prepare(ss->st, sql, &s, &eb) != RP_OK) fail_msg("%s: %s", sql, eb.msg);
    for (;;) {
        if (rp_store_stmt_step(s, &row, &eb) != RP_OK) fail_msg("%s: %s", sql, eb.msg);
        if (!row) break;
        for (int c = 0; c < rp_store_stmt_column_count(s); c++) {
            const char *t = rp_store_stmt_column_text(s, c, NULL);
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", c ? "|" : "", t ? t : "NULL");
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "\n");
        assert_true(n < sizeof out);
    }
    return out;
}

#define INSTANCE "resourceId = 'i-0aa0000000000i001'"

static const char current_instance_sql[] =
    "SELECT configurationItemCaptureTime, configurationStateId, configurationItemStatus, "
    "json_extract(configuration, '$.instanceType'), "
    "json_extract(configuration, '$.metadataOptions.httpTokens'), "
    "json_extract(configurationItemDiff, '$.changeType') "
    "FROM config_resources WHERE " INSTANCE;

static const char edges_instance_sql[] =
    "SELECT idx, relationshipName, relatedResourceType, relatedResourceId "
    "FROM config_current_relationships WHERE " INSTANCE " ORDER BY idx";

/* Every table of the descriptor exists with exactly its columns, in the migration, and the
 * columns can be selected in descriptor order. */
static void test_config_store_schema_matches(void **state)
{
    struct store_sink *ss = *state;
    assert_int_equal(rp_test_schema_check(ss->st, src), 0);
    for (size_t t = 0; t < src->ntables; t++) {
        char sql[2048];
        size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT ");
        for (size_t i = 0; i < src->tables[t].ncols; i++)
            n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", i ? ", " : "",
                                  src->tables[t].cols[i].name);
        snprintf(sql + n, sizeof sql - n, " FROM %s", src->tables[t].name);
        assert_string_equal(q(ss, sql), "");
    }
}

/* A snapshot and a history file repeating one of its items: the item is stored once, counted
 * as a duplicate; the older item of the same group is history only. */
static void test_config_store_history_once(void **state)
{
    struct store_sink *ss = *state;
    store_feed(ss, "snapshot.json");
    assert_int_equal(ss->rows, 5);
    assert_int_equal(ss->duplicates, 0);
    store_feed(ss, "history.json");
    assert_int_equal(ss->rows, 7);
    assert_int_equal(ss->duplicates, 1);
    store_feed(ss, "snapshot.json"); /* the same snapshot again: all duplicates */
    assert_int_equal(ss->duplicates, 6);
    assert_string_equal(q(ss, "SELECT resourceType, count(*) FROM config_items "
                              "GROUP BY resourceType ORDER BY resourceType"),
                        "AWS::EC2::Instance|1\n"
                        "AWS::EC2::SecurityGroup|2\n"
                        "AWS::IAM::User|1\n"
                        "AWS::S3::AccountPublicAccessBlock|1\n"
                        "AWS::S3::Bucket|1\n");
    assert_string_equal(q(ss, "SELECT count(*) FROM config_relationships"), "8\n");
    assert_string_equal(q(ss,
                          "SELECT resourceId, configurationItemCaptureTime, "
                          "json_array_length(configuration, '$.ipPermissions') "
                          "FROM config_resources WHERE resourceType = 'AWS::EC2::SecurityGroup'"),
                        "sg-0aa0000000000s001|2024-03-01T09:00:00.000Z|2\n");
    /* the API copy of the bucket item is the same item */
    store_feed(ss, "ci_api.json");
    assert_int_equal(ss->duplicates, 7);
    assert_string_equal(q(ss, "SELECT count(*) FROM config_items WHERE resourceType = "
                              "'AWS::S3::Bucket'"),
                        "1\n");
    /* S3 rules read the decoded policy directly */
    assert_string_equal(q(ss, "SELECT json_extract(supplementaryConfiguration, "
                              "'$.BucketPolicy.policyText.Statement[0].Effect'), "
                              "json_extract(supplementaryConfiguration, "
                              "'$.PublicAccessBlockConfiguration.blockPublicPolicy') "
                              "FROM config_resources WHERE resourceType = 'AWS::S3::Bucket'"),
                        "Deny|1\n");
}

/* Current state: an older item after a newer one changes nothing; a deletion marks the row
 * and removes its edges; an older item after the deletion changes nothing. */
static void test_config_store_current_state(void **state)
{
    struct store_sink *ss = *state;
    store_feed(ss, "notification_change.json"); /* 2024-03-02 */
    store_feed(ss, "snapshot.json");            /* 2024-03-01: older */
    assert_string_equal(q(ss, current_instance_sql),
                        "2024-03-02T10:00:00.000Z|1709373600000|OK|t3.micro|required|UPDATE\n");
    assert_string_equal(q(ss, edges_instance_sql),
                        "0|Contains NetworkInterface|AWS::EC2::NetworkInterface|"
                        "eni-0aa0000000000e001\n"
                        "1|Is associated with SecurityGroup|AWS::EC2::SecurityGroup|"
                        "sg-0aa0000000000s002\n"
                        "2|Is contained in Subnet|AWS::EC2::Subnet|subnet-0aa00000000001\n");
    assert_string_equal(q(ss, "SELECT count(*) FROM config_items WHERE " INSTANCE), "2\n");

    store_feed(ss, "ci_deleted.json");
    assert_string_equal(q(ss, current_instance_sql),
                        "2024-03-04T10:00:00.000Z|1709546400000|ResourceDeleted|NULL|NULL|NULL\n");
    assert_string_equal(q(ss, edges_instance_sql), "");
    store_feed(ss, "notification_change.json");
    assert_string_equal(q(ss, current_instance_sql),
                        "2024-03-04T10:00:00.000Z|1709546400000|ResourceDeleted|NULL|NULL|NULL\n");
    /* rules skip deleted resources */
    assert_string_equal(q(ss, "SELECT resourceType FROM config_resources WHERE "
                              "configurationItemStatus NOT IN ('ResourceDeleted', "
                              "'ResourceDeletedNotRecorded') AND resourceType LIKE 'AWS::EC2::%' "
                              "ORDER BY resourceType"),
                        "AWS::EC2::SecurityGroup\n");
    /* the group the instance used to reach, found in history */
    assert_string_equal(q(ss, "SELECT DISTINCT relatedResourceId FROM config_relationships "
                              "WHERE " INSTANCE " AND relatedResourceType = "
                              "'AWS::EC2::SecurityGroup' ORDER BY 1"),
                        "sg-0aa0000000000s001\nsg-0aa0000000000s002\n");
}

/* An oversized notification replaces the current row with what it knows (no configuration, no
 * edges); the full item, delivered later in a history file, fills history and current state,
 * keeping the change type the notification gave. Receiving the summary again changes nothing. */
static void test_config_store_oversized_then_full(void **state)
{
    struct store_sink *ss = *state;
    store_feed(ss, "notification_change.json");
    store_feed(ss, "notification_oversized.json");
    assert_string_equal(q(ss, current_instance_sql),
                        "2024-03-03T10:00:00.000Z|1709460000000|OK|NULL|NULL|UPDATE\n");
    assert_string_equal(q(ss, edges_instance_sql), "");
    int64_t dups = ss->duplicates;
    store_feed(ss, "history_instance.json");
    assert_int_equal(ss->duplicates, dups); /* it filled a gap: not a duplicate */
    assert_string_equal(q(ss, current_instance_sql),
                        "2024-03-03T10:00:00.000Z|1709460000000|OK|m5.large|required|UPDATE\n");
    assert_string_equal(q(ss, "SELECT configurationItemCaptureTime, "
                              "json_extract(configuration, '$.instanceType'), "
                              "json_extract(configurationItemDiff, '$.changeType'), "
                              "json_array_length(relationships) FROM config_items WHERE " INSTANCE
                              " ORDER BY rp_time_ms"),
                        "2024-03-02T10:00:00.000Z|t3.micro|UPDATE|3\n"
                        "2024-03-03T10:00:00.000Z|m5.large|UPDATE|4\n");
    assert_string_equal(q(ss, edges_instance_sql),
                        "0|Contains NetworkInterface|AWS::EC2::NetworkInterface|"
                        "eni-0aa0000000000e001\n"
                        "1|Is associated with SecurityGroup|AWS::EC2::SecurityGroup|"
                        "sg-0aa0000000000s002\n"
                        "2|Is contained in Subnet|AWS::EC2::Subnet|subnet-0aa00000000001\n"
                        "3|Is attached to Volume|AWS::EC2::Volume|vol-0aa0000000000v001\n");
    store_feed(ss, "notification_oversized.json");
    assert_int_equal(ss->duplicates, dups + 1);
    assert_string_equal(q(ss, current_instance_sql),
                        "2024-03-03T10:00:00.000Z|1709460000000|OK|m5.large|required|UPDATE\n");
}

/* Same capture time: the greater configurationStateId wins, in either order. The same
 * resource id in two accounts is two resources. */
static void test_config_store_tie_and_accounts(void **state)
{
    struct store_sink *ss = *state;
    static const char a5[] =
        "{\"configurationItemCaptureTime\":\"2024-03-01T00:00:00.000Z\","
        "\"configurationStateId\":5,\"awsAccountId\":\"111122223333\",\"awsRegion\":"
        "\"eu-west-1\",\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-1\","
        "\"configuration\":{\"cidrBlock\":\"10.5.0.0/16\"}}\n";
    static const char a4[] =
        "{\"configurationItemCaptureTime\":\"2024-03-01T00:00:00.000Z\","
        "\"configurationStateId\":4,\"awsAccountId\":\"111122223333\",\"awsRegion\":"
        "\"eu-west-1\",\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-1\","
        "\"configuration\":{\"cidrBlock\":\"10.4.0.0/16\"}}\n";
    static const char b4[] =
        "{\"configurationItemCaptureTime\":\"2024-03-01T00:00:00.000Z\","
        "\"configurationStateId\":4,\"awsAccountId\":\"444455556666\",\"awsRegion\":"
        "\"eu-west-1\",\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-1\","
        "\"configuration\":{\"cidrBlock\":\"10.44.0.0/16\"}}\n";
    static const char sql[] = "SELECT rp_account, configurationStateId, "
                              "json_extract(configuration, '$.cidrBlock') FROM config_resources "
                              "WHERE resourceId = 'vpc-1' ORDER BY rp_account";
    store_feed_text(ss, a5);
    store_feed_text(ss, a4);
    assert_string_equal(q(ss, sql), "111122223333|5|10.5.0.0/16\n");
    assert_int_equal(rp_store_exec(ss->st, "DELETE FROM config_resources", NULL), RP_OK);
    store_feed_text(ss, a4);
    store_feed_text(ss, a5);
    store_feed_text(ss, b4);
    assert_string_equal(q(ss, sql), "111122223333|5|10.5.0.0/16\n444455556666|4|10.44.0.0/16\n");
    assert_string_equal(q(ss, "SELECT count(*) FROM config_items WHERE resourceId = 'vpc-1'"),
                        "3\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_snapshot_rows),
        cmocka_unit_test(test_config_history_rows),
        cmocka_unit_test(test_config_api_shape_rows),
        cmocka_unit_test(test_config_configuration_string_rows),
        cmocka_unit_test(test_config_change_notification_rows),
        cmocka_unit_test(test_config_oversized_notification_rows),
        cmocka_unit_test(test_config_sns_envelope_rows),
        cmocka_unit_test(test_config_rule_event_rows),
        cmocka_unit_test(test_config_legacy_rows),
        cmocka_unit_test(test_config_deleted_rows),
        cmocka_unit_test(test_config_other_messages_no_rows),
        cmocka_unit_test(test_config_rejects),
        cmocka_unit_test(test_config_scalars_and_arrays),
        cmocka_unit_test(test_config_probe),
        cmocka_unit_test(test_config_registered),
        cmocka_unit_test_setup_teardown(test_config_store_schema_matches, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_config_store_history_once, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_config_store_current_state, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_config_store_oversized_then_full, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(test_config_store_tie_and_accounts, store_setup,
                                        store_teardown),
    };
    return cmocka_run_group_tests_name("ingest_config", tests, NULL, NULL);
}
