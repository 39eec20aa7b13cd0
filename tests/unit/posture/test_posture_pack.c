/* SPDX-License-Identifier: Apache-2.0 */
/* Conformance packs (src/posture/posture_pack.c): hand-written templates under
 * tests/fixtures/posture/packs/ (a CIS v1.4 Level 1 style pack, a PCI DSS style pack, short-form
 * tags, a CUSTOM_POLICY Guard rule, unknown identifiers and a CUSTOM_LAMBDA rule, bad packs)
 * resolved into rules, rendered one line per rule and compared whole; the exact error messages
 * with line:column; and rp_posture_pack_check against a rule set built here from three tiny
 * rule files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "posture/posture_pack.h"

static char *slurp(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/posture/packs/%s", RP_FIXTURES_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (rp_buf_append(&b, tmp, got)) fail_msg("out of memory");
    fclose(f);
    return rp_buf_take(&b, n);
}

/* One line per rule: name, logical id, owner, identifier, then what is set. */
static void render(const struct rp_posture_pack *p, struct rp_buf *out)
{
    rp_err e = rp_buf_printf(out, "pack %s rules=%zu params=%zu remediations=%zu\n", p->name,
                             p->nrules, p->nparams, p->nremediations);
    for (size_t i = 0; i < p->nrules && !e; i++) {
        const struct rp_posture_pack_rule *r = &p->rules[i];
        e = rp_buf_printf(out, "%s (%s %u:%u) %s %s", r->name, r->logical_id, r->line, r->col,
                          rp_posture_pack_owner_name(r->owner),
                          r->identifier ? r->identifier : "-");
        for (size_t k = 0; k < r->nparams && !e; k++)
            e = rp_buf_printf(out, "%s%s=%s", k ? ";" : " params:", r->params[k].name,
                              r->params[k].value);
        for (size_t k = 0; k < r->ntypes && !e; k++)
            e = rp_buf_printf(out, "%s%s", k ? "," : " types:", r->resource_types[k]);
        if (!e && r->resource_id) e = rp_buf_printf(out, " id:%s", r->resource_id);
        if (!e && r->tag_key)
            e = rp_buf_printf(out, " tag:%s=%s", r->tag_key, r->tag_value ? r->tag_value : "");
        if (!e && r->frequency) e = rp_buf_printf(out, " every:%s", r->frequency);
        for (size_t k = 0; k < r->nmessage_types && !e; k++)
            e = rp_buf_printf(out, "%s%s", k ? "," : " on:", r->message_types[k]);
        if (!e && r->description) e = rp_buf_printf(out, " desc:'%s'", r->description);
        if (!e && r->policy_runtime)
            e = rp_buf_printf(out, " runtime:%s debug:%d", r->policy_runtime,
                              r->debug_log_delivery);
        if (!e) e = rp_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < p->nremediations && !e; i++)
        e = rp_buf_printf(out, "remediation %s\n", p->remediations[i]);
    for (size_t i = 0; i < p->nnotes && !e; i++) e = rp_buf_printf(out, "note %s\n", p->notes[i]);
    if (e) fail_msg("out of memory");
}

static struct rp_posture_pack *load(const char *file, const struct rp_posture_paramval *ov,
                                    size_t nov)
{
    size_t n = 0;
    char *text = slurp(file, &n);
    struct rp_posture_pack *p = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_pack_parse(text, n, file, ov, nov, &p, &eb);
    free(text);
    if (e) fail_msg("%s", eb.msg);
    return p;
}

static void expect_pack(const char *file, const struct rp_posture_paramval *ov, size_t nov,
                        const char *want)
{
    struct rp_posture_pack *p = load(file, ov, nov);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    render(p, &b);
    assert_string_equal(rp_buf_cstr(&b), want);
    rp_buf_release(&b);
    rp_posture_pack_free(p);
}

static void expect_error_text(const char *text, const char *name,
                              const struct rp_posture_paramval *ov, size_t nov, const char *msg)
{
    struct rp_posture_pack *p = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_pack_parse(text, strlen(text), name, ov, nov, &p, &eb);
    if (e != RP_EPARSE) fail_msg("want '%s', got %s: %s", msg, rp_strerror(e), eb.msg);
    assert_null(p);
    assert_string_equal(eb.msg, msg);
}

static void expect_error_file(const char *file, const char *msg)
{
    size_t n = 0;
    char *text = slurp(file, &n);
    expect_error_text(text, file, NULL, 0, msg);
    free(text);
}

static void test_pack_cis_level1(void **state)
{
    (void)state;
    expect_pack(
        "cis-v1.4-level1.yaml", NULL, 0,
        "pack cis-v1.4-level1.yaml rules=16 params=11 remediations=0\n"
        "access-keys-rotated (AccessKeysRotated 92:5) AWS ACCESS_KEYS_ROTATED "
        "params:maxAccessKeyAge=90\n"
        "iam-password-policy (IamPasswordPolicy 105:5) AWS IAM_PASSWORD_POLICY "
        "params:MinimumPasswordLength=14;PasswordReusePrevention=24;RequireSymbols=true\n"
        "iam-root-access-key-check (IamRootAccessKeyCheck 133:5) AWS IAM_ROOT_ACCESS_KEY_CHECK\n"
        "root-account-mfa-enabled (RootAccountMfaEnabled 140:5) AWS ROOT_ACCOUNT_MFA_ENABLED\n"
        "iam-user-mfa-enabled (IamUserMfaEnabled 147:5) AWS IAM_USER_MFA_ENABLED\n"
        "mfa-enabled-for-iam-console-access (MfaEnabledForIamConsoleAccess 154:5) AWS "
        "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS\n"
        "iam-user-unused-credentials-check (IamUserUnusedCredentialsCheck 161:5) AWS "
        "IAM_USER_UNUSED_CREDENTIALS_CHECK params:maxCredentialUsageAge=45\n"
        "iam-policy-in-use (IamPolicyInUse 174:5) AWS IAM_POLICY_IN_USE "
        "params:policyARN=arn:aws:iam::aws:policy/AWSSupportAccess;policyUsageType=ANY "
        "every:TwentyFour_Hours\n"
        "iam-no-inline-policy-check (IamNoInlinePolicyCheck 189:5) AWS IAM_NO_INLINE_POLICY_CHECK "
        "types:AWS::IAM::User,AWS::IAM::Role,AWS::IAM::Group\n"
        "multi-region-cloudtrail-enabled (MultiRegionCloudTrailEnabled 201:5) AWS "
        "MULTI_REGION_CLOUD_TRAIL_ENABLED\n"
        "cloud-trail-log-file-validation-enabled (CloudTrailLogFileValidationEnabled 208:5) AWS "
        "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED\n"
        "s3-account-level-public-access-blocks-periodic (S3AccountLevelPublicAccessBlocksPeriodic "
        "215:5) AWS S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC "
        "params:BlockPublicAcls=True;RestrictPublicBuckets=True\n"
        "s3-bucket-versioning-enabled (S3BucketVersioningEnabled 233:5) AWS "
        "S3_BUCKET_VERSIONING_ENABLED types:AWS::S3::Bucket\n"
        "restricted-common-ports (RestrictedCommonPorts 249:5) AWS RESTRICTED_INCOMING_TRAFFIC "
        "params:blockedPort1=22;blockedPort2=3389 types:AWS::EC2::SecurityGroup\n"
        "vpc-default-security-group-closed (VpcDefaultSecurityGroupClosed 263:5) AWS "
        "VPC_DEFAULT_SECURITY_GROUP_CLOSED types:AWS::EC2::SecurityGroup\n"
        "ec2-ebs-encryption-by-default (Ec2EbsEncryptionByDefault 273:5) AWS "
        "EC2_EBS_ENCRYPTION_BY_DEFAULT every:TwentyFour_Hours\n");
}

/* Overrides win over Defaults; an empty value switches a parameter off (Fn::If -> NoValue), a
 * value switches one on. */
static void test_pack_overrides(void **state)
{
    (void)state;
    const struct rp_posture_paramval ov[] = {
        {"AccessKeysRotatedParamMaxAccessKeyAge", ""},
        {"IamPasswordPolicyParamMaxPasswordAge", "60"},
        {"S3AccountLevelPublicAccessBlocksPeriodicParamRestrictPublicBuckets", ""},
        {"S3BucketVersioningEnabledParamIsMfaDeleteEnabled", "true"},
    };
    struct rp_posture_pack *p = load("cis-v1.4-level1.yaml", ov, 4);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    const char *names[] = {"access-keys-rotated", "iam-password-policy",
                           "s3-account-level-public-access-blocks-periodic",
                           "s3-bucket-versioning-enabled"};
    for (size_t i = 0; i < 4; i++) {
        const struct rp_posture_pack_rule *r = rp_posture_pack_rule_find(p, names[i]);
        assert_non_null(r);
        assert_int_equal(rp_buf_printf(&b, "%s:", r->name), RP_OK);
        for (size_t k = 0; k < r->nparams; k++)
            assert_int_equal(rp_buf_printf(&b, " %s=%s", r->params[k].name, r->params[k].value),
                             RP_OK);
        assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    }
    assert_string_equal(rp_buf_cstr(&b),
                        "access-keys-rotated:\n"
                        "iam-password-policy: MinimumPasswordLength=14 PasswordReusePrevention=24 "
                        "MaxPasswordAge=60 RequireSymbols=true\n"
                        "s3-account-level-public-access-blocks-periodic:\n"
                        "s3-bucket-versioning-enabled: isMfaDeleteEnabled=true\n");
    /* the parameters as resolved */
    assert_string_equal(p->params[0].name, "AccessKeysRotatedParamMaxAccessKeyAge");
    assert_string_equal(p->params[0].dflt, "90");
    assert_string_equal(p->params[0].value, "");
    assert_true(p->params[0].overridden);
    assert_string_equal(p->params[10].name, "RestrictedCommonPortsParamBlockedPort2");
    assert_string_equal(p->params[10].type, "Number");
    assert_string_equal(p->params[10].value, "3389");
    assert_false(p->params[10].overridden);
    assert_null(rp_posture_pack_rule_find(p, "no-such-rule"));
    rp_buf_release(&b);
    rp_posture_pack_free(p);
}

static void test_pack_pci(void **state)
{
    (void)state;
    expect_pack(
        "pci-dss.yaml", NULL, 0,
        "pack pci-dss.yaml rules=15 params=3 remediations=1\n"
        "api-gw-ssl-enabled (ApiGwSslEnabled 17:5) AWS API_GW_SSL_ENABLED desc:'Stages of REST "
        "APIs use client certificates.'\n"
        "autoscaling-launch-config-public-ip-disabled (AutoscalingLaunchConfigPublicIpDisabled "
        "23:5) AWS AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED\n"
        "cloud-trail-encryption-enabled (CloudTrailEncryptionEnabled 28:5) AWS "
        "CLOUD_TRAIL_ENCRYPTION_ENABLED every:Twelve_Hours\n"
        "cw-loggroup-retention-period-check (CwLoggroupRetentionPeriodCheck 34:5) AWS "
        "CW_LOGGROUP_RETENTION_PERIOD_CHECK params:MinRetentionTime=365\n"
        "dms-replication-not-public (DmsReplicationNotPublic 41:5) AWS DMS_REPLICATION_NOT_PUBLIC\n"
        "ebs-snapshot-public-restorable-check (EbsSnapshotPublicRestorableCheck 46:5) AWS "
        "EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK\n"
        "ec2-instance-no-public-ip (Ec2InstanceNoPublicIp 51:5) AWS EC2_INSTANCE_NO_PUBLIC_IP "
        "types:AWS::EC2::Instance tag:pci=in-scope\n"
        "elasticsearch-in-vpc-only (ElasticsearchInVpcOnly 60:5) AWS ELASTICSEARCH_IN_VPC_ONLY\n"
        "lambda-function-public-access-prohibited (LambdaFunctionPublicAccessProhibited 65:5) AWS "
        "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED types:AWS::Lambda::Function\n"
        "rds-instance-public-access-check (RdsInstancePublicAccessCheck 72:5) AWS "
        "RDS_INSTANCE_PUBLIC_ACCESS_CHECK types:AWS::RDS::DBInstance\n"
        "required-tags (RequiredTags 79:5) AWS REQUIRED_TAGS params:tag1Key=CostCenter;"
        "tag2Key=Team\n"
        "s3-bucket-logging-enabled (S3BucketLoggingEnabled 85:5) AWS S3_BUCKET_LOGGING_ENABLED "
        "types:AWS::S3::Bucket id:cardholder-data\n"
        "s3-bucket-server-side-encryption-enabled (S3BucketServerSideEncryptionEnabled 93:5) AWS "
        "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED\n"
        "securityhub-enabled (SecurityhubEnabled 98:5) AWS SECURITYHUB_ENABLED "
        "every:TwentyFour_Hours\n"
        "acm-certificate-expiration-check (AcmCertificateExpirationCheck 104:5) AWS "
        "ACM_CERTIFICATE_EXPIRATION_CHECK params:daysToExpiration=90 every:One_Hour "
        "on:ConfigurationItemChangeNotification,ScheduledNotification\n"
        "remediation S3BucketSslRequestsOnlyRemediation\n"
        "note resource 'EvidenceBucket' (AWS::S3::Bucket) ignored: not a Config rule\n");
}

static void test_pack_short_form(void **state)
{
    (void)state;
    expect_pack("short-form.yaml", NULL, 0,
                "pack short-form.yaml rules=3 params=4 remediations=0\n"
                "encrypted-volumes-prod (EncryptedVolumes 24:5) AWS ENCRYPTED_VOLUMES "
                "types:AWS::EC2::Volume\n"
                "dynamodb-table-encrypted-kms (DynamodbTableEncryptedKms 37:5) AWS "
                "DYNAMODB_TABLE_ENCRYPTED_KMS params:kmsKeyArns=arn:aws:kms:us-east-1:"
                "111122223333:key/a,arn:aws:kms:us-east-1:111122223333:key/b "
                "desc:'tables use KMS in prod'\n"
                "S3BucketLevelPublicAccessProhibited (S3BucketLevelPublicAccessProhibited 53:5) "
                "AWS S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED\n"
                "note rule 'DevOnlyRule' left out: condition 'IsDev' is false\n");
    const struct rp_posture_paramval ov[] = {{"Env", "dev"}, {"KmsKeyId", "alias/ebs"}};
    expect_pack("short-form.yaml", ov, 2,
                "pack short-form.yaml rules=4 params=4 remediations=0\n"
                "encrypted-volumes-dev (EncryptedVolumes 24:5) AWS ENCRYPTED_VOLUMES "
                "params:kmsId=alias/ebs types:AWS::EC2::Volume\n"
                "dynamodb-table-encrypted-kms (DynamodbTableEncryptedKms 37:5) AWS "
                "DYNAMODB_TABLE_ENCRYPTED_KMS params:kmsKeyArns=arn:aws:kms:us-east-1:"
                "111122223333:key/a,arn:aws:kms:us-east-1:111122223333:key/b "
                "desc:'tables use KMS in dev'\n"
                "DevOnlyRule (DevOnlyRule 48:5) AWS EC2_STOPPED_INSTANCE\n"
                "S3BucketLevelPublicAccessProhibited (S3BucketLevelPublicAccessProhibited 53:5) "
                "AWS S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED "
                "params:excludedPublicBuckets=scratch-dev,logs-${Env}\n");
    /* the CommaDelimitedList default written as a list is kept as CloudFormation joins it */
    struct rp_posture_pack *p = load("short-form.yaml", NULL, 0);
    assert_string_equal(p->params[1].name, "TableKmsKeyArns");
    assert_string_equal(p->params[1].dflt, "arn:aws:kms:us-east-1:111122223333:key/a,"
                                           "arn:aws:kms:us-east-1:111122223333:key/b");
    assert_null(p->params[3].dflt); /* TrailBucket: no Default, never referenced: fine */
    rp_posture_pack_free(p);
}

static void test_pack_custom_policy(void **state)
{
    (void)state;
    expect_pack("custom-policy.yaml", NULL, 0,
                "pack custom-policy.yaml rules=2 params=1 remediations=0\n"
                "log-group-retention-guard (LogGroupRetention 9:5) CUSTOM_POLICY - "
                "params:minRetention=30 types:AWS::Logs::LogGroup "
                "on:ConfigurationItemChangeNotification,"
                "OversizedConfigurationItemChangeNotification desc:'Log groups keep their events "
                "for at least minRetention days.' runtime:guard-2.x.x debug:1\n"
                "cloudtrail-enabled (CloudtrailEnabled 34:5) AWS CLOUD_TRAIL_ENABLED\n");
    struct rp_posture_pack *p = load("custom-policy.yaml", NULL, 0);
    assert_string_equal(p->rules[0].policy_text,
                        "rule log_group_retention when resourceType == \"AWS::Logs::LogGroup\" {\n"
                        "    configuration.RetentionInDays exists\n"
                        "    <<the log group keeps events forever or has no retention>>\n"
                        "}\n");
    rp_posture_pack_free(p);
}

static void test_pack_unknown_and_lambda_parse(void **state)
{
    (void)state;
    expect_pack(
        "unknown-and-lambda.yaml", NULL, 0,
        "pack unknown-and-lambda.yaml rules=5 params=1 remediations=0\n"
        "rampart-test-not-a-real-rule (NotARealRule 10:5) AWS RAMPART_TEST_NOT_A_REAL_RULE\n"
        "volume-tag-checker (VolumeTagChecker 17:5) CUSTOM_LAMBDA "
        "arn:aws:lambda:us-east-1:111122223333:function:volume-tag-checker "
        "types:AWS::EC2::Volume on:ConfigurationItemChangeNotification\n"
        "s3-bucket-versioning-enabled (VersioningWithStrayParameter 29:5) AWS "
        "S3_BUCKET_VERSIONING_ENABLED params:isMfaDeleteEnabled=true;colour=blue\n"
        "access-keys-rotated (KeysRotated 39:5) AWS ACCESS_KEYS_ROTATED "
        "params:maxAccessKeyAge=ninety\n"
        "access-keys-rotated-60 (KeysRotatedWell 48:5) AWS ACCESS_KEYS_ROTATED "
        "params:maxAccessKeyAge=60\n");
}

static void test_pack_bad_files(void **state)
{
    (void)state;
    expect_error_file("bad-missing-default.yaml",
                      "bad-missing-default.yaml:11:11: parameter 'MaxAge' has no Default and no "
                      "value was given");
    expect_error_file("bad-unsupported-intrinsic.yaml",
                      "bad-unsupported-intrinsic.yaml:7:23: unsupported intrinsic function "
                      "'Fn::GetAtt'");
    expect_error_file("bad-condition.yaml",
                      "bad-condition.yaml:13:31: condition 'HasAnAge' is not defined");
    /* the same Ref is fine once a value is given */
    const struct rp_posture_paramval ov[] = {{"MaxAge", "30"}};
    size_t n = 0;
    char *text = slurp("bad-missing-default.yaml", &n);
    struct rp_posture_pack *p = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_posture_pack_parse(text, n, "x", ov, 1, &p, &eb), RP_OK);
    assert_string_equal(p->rules[0].params[0].value, "30");
    assert_string_equal(p->rules[0].name, "KeysRotated");
    rp_posture_pack_free(p);
    free(text);
}

#define RULE(props) "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n" props

static void test_pack_bad_inline(void **state)
{
    (void)state;
    expect_error_text("a: [1\n", "p.yaml", NULL, 0,
                      "p.yaml: yaml: line 2 column 1: did not find expected ',' or ']'");
    expect_error_text("- 1\n", "p.yaml", NULL, 0,
                      "p.yaml:1:1: not a CloudFormation template: the document is a list, not a "
                      "mapping");
    expect_error_text("Parameters: {}\n", "p.yaml", NULL, 0, "p.yaml: no Resources section");
    expect_error_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n  C: {Type: AWS::SNS::Topic}\n"
                      "Outputs: {}\n",
                      "p.yaml", NULL, 0, "p.yaml:2:3: no AWS::Config::ConfigRule resources");
    expect_error_text(RULE("      Source: {Owner: AWS}\n"), "p.yaml", NULL, 0,
                      "p.yaml:5:15: resource 'R': Source has no SourceIdentifier");
    expect_error_text(RULE("      Source: {Owner: SOMEONE, SourceIdentifier: X}\n"), "p.yaml", NULL,
                      0,
                      "p.yaml:5:23: resource 'R': Owner 'SOMEONE' is not AWS, CUSTOM_LAMBDA or "
                      "CUSTOM_POLICY");
    expect_error_text(RULE("      InputParameters: {a: [1, 2]}\n"
                           "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:5:28: resource 'R': input parameter 'a' is a list; AWS Config takes "
                      "text values");
    expect_error_text(RULE("      InputParameters: {a: !Ref Nope}\n"
                           "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", NULL, 0, "p.yaml:5:28: Ref to 'Nope': no such parameter");
    expect_error_text(RULE("      InputParameters: {a: !Ref R}\n"
                           "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:5:28: Ref to resource 'R' is not supported (only parameters)");
    expect_error_text(RULE("      InputParameters: {a: !Ref 'AWS::AccountId'}\n"
                           "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:5:28: pseudo parameter 'AWS::AccountId' is not supported in a "
                      "conformance pack");
    expect_error_text(RULE("      Source: {Owner: AWS, SourceIdentifier: X}\n"
                           "      MaximumExecutionFrequency: Daily\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:6:34: resource 'R': MaximumExecutionFrequency 'Daily' is not "
                      "One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours");
    expect_error_text(RULE("      Source:\n        Owner: CUSTOM_POLICY\n"
                           "        CustomPolicyDetails: {PolicyRuntime: guard-2.x.x}\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:7:30: resource 'R': CustomPolicyDetails has no PolicyText");
    expect_error_text(RULE("      Source:\n        Owner: CUSTOM_POLICY\n"
                           "        CustomPolicyDetails: {PolicyRuntime: lua-5, PolicyText: x}\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:7:46: resource 'R': PolicyRuntime 'lua-5' is not supported "
                      "(guard-2.x.x)");
    expect_error_text("Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\n" RULE(
                          "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", NULL, 0, "p.yaml:3:12: condition 'A' refers to itself");
    expect_error_text(
        "Conditions:\n  A: !Equals [a]\n" RULE("      Source: {Owner: AWS, SourceIdentifier: X}\n"),
        "p.yaml", NULL, 0,
        "p.yaml:2:6: Fn::Equals takes a list of 2, not a list of another length");
    expect_error_text(RULE("      InputParameters: {a: !Equals [x, y]}\n"
                           "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", NULL, 0, "p.yaml:5:28: Fn::Equals is only allowed in Conditions");
    expect_error_text(RULE("      ConfigRuleName: same\n"
                           "      Source: {Owner: AWS, SourceIdentifier: X}\n"
                           "  S:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
                           "      ConfigRuleName: same\n"
                           "      Source: {Owner: AWS, SourceIdentifier: Y}\n"),
                      "p.yaml", NULL, 0,
                      "p.yaml:8:5: resource 'S': ConfigRuleName 'same' is already used by 'R'");
    expect_error_text("Parameters:\n  P: {Type: String, Default: a, AllowedValues: [a, b]}\n" RULE(
                          "      Source: {Owner: AWS, SourceIdentifier: X}\n"),
                      "p.yaml", (const struct rp_posture_paramval[]){{"P", "c"}}, 1,
                      "p.yaml:2:6: parameter 'P': 'c' is not one of its AllowedValues");
    expect_error_text(RULE("      Source: {Owner: AWS, SourceIdentifier: X}\n"), "p.yaml",
                      (const struct rp_posture_paramval[]){{"Nope", "1"}}, 1,
                      "p.yaml: parameter 'Nope' is given a value but the template does not "
                      "declare it");
}

/* A long chain of conditions naming each other stops at a fixed depth. */
static void test_pack_condition_chain(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, "Conditions:\n"), RP_OK);
    for (int i = 0; i < 70; i++)
        assert_int_equal(rp_buf_printf(&b, "  C%d: !Condition C%d\n", i, i + 1), RP_OK);
    assert_int_equal(
        rp_buf_append_str(&b, "  C70: !Equals [a, a]\n" RULE(
                                  "      Source: {Owner: AWS, SourceIdentifier: X}\n")),
        RP_OK);
    expect_error_text(rp_buf_cstr(&b), "p.yaml", NULL, 0,
                      "p.yaml:65:8: conditions refer to each other more than 64 deep");
    rp_buf_release(&b);
}

/* ---- checking against a rule set ---------------------------------------------------------- */

static const char rule_keys[] = "identifier: ACCESS_KEYS_ROTATED\n"
                                "name: access-keys-rotated\n"
                                "description: test rule\n"
                                "resourceTypes: [AWS::IAM::User]\n"
                                "trigger: periodic\n"
                                "parameters:\n"
                                "  maxAccessKeyAge: {type: int, default: \"90\"}\n"
                                "guard: |\n"
                                "  rule keys { configuration exists }\n";
static const char rule_versioning[] = "identifier: S3_BUCKET_VERSIONING_ENABLED\n"
                                      "name: s3-bucket-versioning-enabled\n"
                                      "description: test rule\n"
                                      "resourceTypes: [AWS::S3::Bucket]\n"
                                      "trigger: change\n"
                                      "parameters:\n"
                                      "  isMfaDeleteEnabled: {type: boolean, optional: true}\n"
                                      "guard: |\n"
                                      "  rule versioning { configuration exists }\n";
static const char rule_tags[] = "identifier: REQUIRED_TAGS\n"
                                "name: required-tags\n"
                                "description: test rule\n"
                                "resourceTypes: [AWS::EC2::Volume]\n"
                                "trigger: change\n"
                                "parameters:\n"
                                "  tag1Key: {type: string}\n"
                                "  tag2Key: {type: string, optional: true}\n"
                                "guard: |\n"
                                "  rule tags { configuration exists }\n";

static struct rp_posture_ruleset *tiny_set(void)
{
    struct rp_posture_ruleset *set = rp_posture_ruleset_new();
    struct rp_errbuf eb = {0};
    assert_non_null(set);
    if (rp_posture_ruleset_add_yaml(set, "keys.yaml", rule_keys, strlen(rule_keys), &eb) ||
        rp_posture_ruleset_add_yaml(set, "versioning.yaml", rule_versioning,
                                    strlen(rule_versioning), &eb) ||
        rp_posture_ruleset_add_yaml(set, "tags.yaml", rule_tags, strlen(rule_tags), &eb))
        fail_msg("%s", eb.msg);
    return set;
}

static void check_render(const char *file, const struct rp_posture_paramval *ov, size_t nov,
                         const char *want, size_t want_runnable)
{
    struct rp_posture_ruleset *set = tiny_set();
    struct rp_posture_pack *p = load(file, ov, nov);
    struct rp_posture_pack_result *res = calloc(p->nrules + 1, sizeof *res);
    size_t runnable = 99;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_posture_pack_check(p, set, res, &runnable, &eb), RP_OK);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (size_t i = 0; i < p->nrules; i++)
        assert_int_equal(rp_buf_printf(&b, "%s %s%s%s\n", p->rules[i].name,
                                       rp_posture_pack_verdict_name(res[i].verdict),
                                       res[i].rule ? " rule=" : "",
                                       res[i].rule ? res[i].rule->identifier : ""),
                         RP_OK);
    /* details on their own lines, for readability of the expectation */
    for (size_t i = 0; i < p->nrules; i++)
        if (res[i].detail[0])
            assert_int_equal(rp_buf_printf(&b, "  %s: %s\n", p->rules[i].name, res[i].detail),
                             RP_OK);
    assert_string_equal(rp_buf_cstr(&b), want);
    assert_int_equal(runnable, want_runnable);
    rp_buf_release(&b);
    free(res);
    rp_posture_pack_free(p);
    rp_posture_ruleset_free(set);
}

static void test_pack_check(void **state)
{
    (void)state;
    check_render("unknown-and-lambda.yaml", NULL, 0,
                 "rampart-test-not-a-real-rule unknown\n"
                 "volume-tag-checker custom-lambda\n"
                 "s3-bucket-versioning-enabled bad-parameters rule=S3_BUCKET_VERSIONING_ENABLED\n"
                 "access-keys-rotated bad-parameters rule=ACCESS_KEYS_ROTATED\n"
                 "access-keys-rotated-60 managed rule=ACCESS_KEYS_ROTATED\n"
                 "  rampart-test-not-a-real-rule: identifier 'RAMPART_TEST_NOT_A_REAL_RULE' is not "
                 "a managed rule Rampart has\n"
                 "  volume-tag-checker: custom Lambda rule "
                 "'arn:aws:lambda:us-east-1:111122223333:function:volume-tag-checker': Rampart "
                 "cannot run Lambda functions\n"
                 "  s3-bucket-versioning-enabled: 'colour' is not a parameter of "
                 "S3_BUCKET_VERSIONING_ENABLED\n"
                 "  access-keys-rotated: 'maxAccessKeyAge' is 'ninety', not an int\n",
                 1);
    check_render("custom-policy.yaml", NULL, 0,
                 "log-group-retention-guard custom-policy\n"
                 "cloudtrail-enabled unknown\n"
                 "  log-group-retention-guard: custom policy rule (guard-2.x.x)\n"
                 "  cloudtrail-enabled: identifier 'CLOUD_TRAIL_ENABLED' is not a managed rule "
                 "Rampart has\n",
                 1);
    /* REQUIRED_TAGS needs tag1Key; the PCI pack gives it as a JSON string */
    struct rp_posture_ruleset *set = tiny_set();
    const char *text = RULE("      Source: {Owner: AWS, SourceIdentifier: REQUIRED_TAGS}\n");
    struct rp_posture_pack *p = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_posture_pack_parse(text, strlen(text), "t", NULL, 0, &p, &eb), RP_OK);
    struct rp_posture_pack_result res[1];
    assert_int_equal(rp_posture_pack_check(p, set, res, NULL, &eb), RP_OK);
    assert_int_equal(res[0].verdict, RP_PACK_BAD_PARAMS);
    assert_string_equal(res[0].detail, "required parameter 'tag1Key' has no value");
    rp_posture_pack_free(p);
    /* a process check is manual: listed as such, never an unknown identifier */
    text = RULE("      Source: {Owner: AWS, SourceIdentifier: AWS_CONFIG_PROCESS_CHECK}\n");
    p = NULL;
    assert_int_equal(rp_posture_pack_parse(text, strlen(text), "t", NULL, 0, &p, &eb), RP_OK);
    assert_int_equal(rp_posture_pack_check(p, set, res, NULL, &eb), RP_OK);
    assert_int_equal(res[0].verdict, RP_PACK_MANUAL);
    assert_string_equal(rp_posture_pack_verdict_name(res[0].verdict), "manual");
    assert_string_equal(res[0].detail, "a manual process check: no configuration item decides it, "
                                       "AWS Config records the result a person puts");
    rp_posture_pack_free(p);
    rp_posture_ruleset_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_cis_level1),
        cmocka_unit_test(test_pack_overrides),
        cmocka_unit_test(test_pack_pci),
        cmocka_unit_test(test_pack_short_form),
        cmocka_unit_test(test_pack_custom_policy),
        cmocka_unit_test(test_pack_unknown_and_lambda_parse),
        cmocka_unit_test(test_pack_bad_files),
        cmocka_unit_test(test_pack_bad_inline),
        cmocka_unit_test(test_pack_condition_chain),
        cmocka_unit_test(test_pack_check),
    };
    return cmocka_run_group_tests_name("posture_pack", tests, NULL, NULL);
}
