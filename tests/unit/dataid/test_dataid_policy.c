/* SPDX-License-Identifier: Apache-2.0 */
/* Macie's bucket policy findings (src/dataid/dataid_policy.c) over hand-written
 * configuration items in a store: a public ACL, a policy open to everyone, a policy and a
 * replication rule naming an account outside the estate, no public access block, no default
 * encryption, and the cases that hold them back (an account-level block that ignores public
 * ACLs, a Condition on the public statement, an account of the estate). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"
#include "store/store.h"

static struct rp_store *g_st;

static void bucket(const char *acct, const char *name, const char *sup)
{
    char sql[4096];
    snprintf(sql, sizeof sql,
             "INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, "
             "configurationItemStatus, resourceType, resourceId, awsRegion, configuration, "
             "supplementaryConfiguration, rp_time_ms, rp_account, rp_region) VALUES "
             "('2026-01-05T00:00:00.000Z', '%s', 'OK', 'AWS::S3::Bucket', '%s', 'us-east-1', "
             "'{}', '%s', 1, '%s', 'us-east-1')",
             acct, name, sup, acct);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_exec(g_st, sql, &eb), RP_OK);
}

#define SSE "\"ServerSideEncryptionConfiguration\":{\"rules\":[]}"
#define BPA_ON                                                                                     \
    "\"PublicAccessBlockConfiguration\":{\"blockPublicAcls\":true,\"ignorePublicAcls\":true,"      \
    "\"blockPublicPolicy\":true,\"restrictPublicBuckets\":true}"
#define ACL_PUBLIC                                                                                 \
    "\"AccessControlList\":\"{\\\"grantList\\\":[{\\\"grantee\\\":\\\"AllUsers\\\","               \
    "\\\"permission\\\":\\\"Read\\\"}]}\""

static int setup(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    if (rp_store_new(":memory:", RP_STORE_RDWR, &g_st, &eb)) return -1;
    /* b-clean: everything on */
    bucket("111111111111", "b-clean", "{" SSE "," BPA_ON "}");
    /* b-acl: a public ACL, no block, no encryption */
    bucket("111111111111", "b-acl", "{" ACL_PUBLIC "}");
    /* b-policy: Principal * without condition; shared with 999999999999; no block */
    bucket("111111111111", "b-policy",
           "{" SSE ",\"BucketPolicy\":{\"policyText\":\"{\\\"Statement\\\":[{\\\"Effect\\\":"
           "\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:GetObject\\\"},{"
           "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::"
           "999999999999:root\\\"},\\\"Action\\\":\\\"s3:*\\\"}]}\"}}");
    /* b-blocked: the same open statement under a block that restricts public buckets */
    bucket("111111111111", "b-blocked",
           "{" SSE ",\"BucketPolicy\":{\"policyText\":\"{\\\"Statement\\\":[{\\\"Effect\\\":"
           "\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:GetObject\\\"}]}\"}"
           "," BPA_ON "}");
    /* b-cond: Principal * under a condition; shared with an account of the estate */
    bucket("111111111111", "b-cond",
           "{" SSE ",\"BucketPolicy\":{\"policyText\":\"{\\\"Statement\\\":{\\\"Effect\\\":"
           "\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":[\\\"*\\\"]},\\\"Condition\\\":{},"
           "\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:iam::222222222222:"
           "root\\\"}}\"},\"BucketReplicationConfiguration\":{\"rules\":[{\"destinationConfig\":"
           "{\"bucketARN\":\"arn:aws:s3:::far\",\"account\":\"888888888888\"}}]}}");
    /* b-ignored: a public ACL in an account whose block ignores public ACLs */
    bucket("222222222222", "b-ignored", "{" SSE "," ACL_PUBLIC "}");
    const char *acct = "INSERT INTO config_resources (configurationItemCaptureTime, "
                       "awsAccountId, resourceType, resourceId, configuration, rp_time_ms, "
                       "rp_account, rp_region) VALUES ('2026-01-05T00:00:00.000Z', "
                       "'222222222222', 'AWS::S3::AccountPublicAccessBlock', '222222222222', "
                       "'{\"blockPublicAcls\":false,\"ignorePublicAcls\":true,"
                       "\"blockPublicPolicy\":false,\"restrictPublicBuckets\":false}', 1, "
                       "'222222222222', 'us-east-1')";
    return rp_store_exec(g_st, acct, &eb) == RP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_store_free(g_st);
    return 0;
}

static rp_err collect(void *ctx, const char *type, const char *resource, const char *doc, size_t n,
                      struct rp_errbuf *eb)
{
    (void)eb;
    (void)n;
    assert_non_null(strstr(doc, "\"ProductName\":\"Macie\""));
    assert_non_null(strstr(doc, "\"aws/macie/category\":\"POLICY\""));
    return rp_buf_printf(ctx, "%s %s\n", resource, type);
}

static void test_policy_findings(void **state)
{
    (void)state;
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_errbuf eb = {0};
    size_t n = 0;
    assert_int_equal(rp_dataid_policy_findings(g_st, 1767225600000LL, collect, &out, &n, &eb),
                     RP_OK);
    assert_string_equal(out.data,
                        "arn:aws:s3:::b-acl Policy:IAMUser/S3BucketPublic\n"
                        "arn:aws:s3:::b-acl Policy:IAMUser/S3BlockPublicAccessDisabled\n"
                        "arn:aws:s3:::b-acl Policy:IAMUser/S3BucketEncryptionDisabled\n"
                        "arn:aws:s3:::b-cond Policy:IAMUser/S3BucketReplicatedExternally\n"
                        "arn:aws:s3:::b-cond Policy:IAMUser/S3BlockPublicAccessDisabled\n"
                        "arn:aws:s3:::b-policy Policy:IAMUser/S3BucketPublic\n"
                        "arn:aws:s3:::b-policy Policy:IAMUser/S3BucketSharedExternally\n"
                        "arn:aws:s3:::b-policy Policy:IAMUser/S3BlockPublicAccessDisabled\n");
    assert_int_equal(n, 8); /* nothing for b-clean, b-blocked and b-ignored */
    rp_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_findings),
    };
    return cmocka_run_group_tests_name("dataid_policy", tests, setup, teardown);
}
