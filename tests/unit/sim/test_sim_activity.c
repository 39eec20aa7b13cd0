/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the rp_sim record builders (sim_activity.h) and the ordinary-activity generators
 * (sim_gen_cloudtrail.c, sim_gen_flow.c, sim_gen_dns.c, sim_gen_k8s.c): exact records built on
 * a small hand-made world, then a 2-day simulation run twice (same bytes) whose CloudTrail,
 * flow-log, Route 53 and EKS audit files all ingest through the matching rp_ingest format
 * without a reject. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim_activity.h"
#include "sim/sim_gen.h"
#include "core/rp_gz.h"
#include "core/rp_walk.h"
#include "unit/ingest/ingest_test_sink.h"

/* ---- a hand-made world ---------------------------------------------------------------------- */

struct tw {
    struct rp_sim_world w;
    struct rp_sim_account acct[1];
    struct rp_sim_user user[1];
    struct rp_sim_role role[1];
    struct rp_sim_vpc vpc[1];
    struct rp_sim_subnet subnet[1];
    struct rp_sim_eni eni[2];
    struct rp_sim_instance inst[1];
    struct rp_sim_natgw nat[1];
    struct rp_sim_eks eks[1];
};

#define CPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static void tw_init(struct tw *t)
{
    memset(t, 0, sizeof(*t));
    struct rp_sim_world *w = &t->w;
    w->seed = 42;
    w->nregions = 2;
    CPY(w->regions[0], "us-east-1");
    CPY(w->regions[1], "us-west-2");
    CPY(w->company, "acme");
    w->accounts = t->acct;
    w->naccounts = 1;
    CPY(t->acct[0].res.id, "111122223333");
    CPY(t->acct[0].res.arn, "arn:aws:iam::111122223333:root");
    t->acct[0].root_mfa = true;
    w->users = t->user;
    w->nusers = 1;
    struct rp_sim_user *u = &t->user[0];
    CPY(u->res.id, "AIDAQXEXAMPLEUSER0001");
    CPY(u->res.name, "alice.jones");
    CPY(u->res.arn, "arn:aws:iam::111122223333:user/alice.jones");
    u->kind = RP_SIM_USER_DEVELOPER;
    u->mfa = true;
    CPY(u->mfa_serial, "arn:aws:iam::111122223333:mfa/alice.jones");
    CPY(u->keys[0].id, "AKIAQXEXAMPLEKEY0001");
    u->keys[0].active = true;
    u->nkeys = 1;
    CPY(u->habits.ips[0], "81.2.69.142");
    u->habits.nips = 1;
    CPY(u->habits.user_agent, "aws-cli/2.15.10 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off");
    u->habits.region = 0;
    w->roles = t->role;
    w->nroles = 1;
    struct rp_sim_role *ro = &t->role[0];
    CPY(ro->res.id, "AROAQXEXAMPLEROLE0001");
    CPY(ro->res.name, "app-instance");
    CPY(ro->res.arn, "arn:aws:iam::111122223333:role/app/app-instance");
    ro->kind = RP_SIM_ROLE_INSTANCE_PROFILE;
    CPY(ro->habits.user_agent, "Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/linux#5.10.205");
    w->vpcs = t->vpc;
    w->nvpcs = 1;
    CPY(t->vpc[0].res.id, "vpc-0a1b2c3d4e5f60718");
    t->vpc[0].flow_format = RP_SIM_FLOW_V2;
    t->vpc[0].dns_query_logging = true;
    w->subnets = t->subnet;
    w->nsubnets = 1;
    CPY(t->subnet[0].res.id, "subnet-0123456789abcdef0");
    CPY(t->subnet[0].az_id, "use1-az1");
    CPY(t->subnet[0].cidr, "10.0.128.0/20");
    w->enis = t->eni;
    w->nenis = 2;
    CPY(t->eni[0].res.id, "eni-0aaaabbbbccccdddd");
    CPY(t->eni[0].private_ip, "10.0.128.10");
    t->eni[0].use = RP_SIM_ENI_INSTANCE;
    CPY(t->eni[1].res.id, "eni-0eeeeffff00001111");
    CPY(t->eni[1].private_ip, "10.0.0.5");
    t->eni[1].use = RP_SIM_ENI_NATGW;
    w->instances = t->inst;
    w->ninstances = 1;
    struct rp_sim_instance *in = &t->inst[0];
    CPY(in->res.id, "i-0fedcba9876543210");
    CPY(in->private_ip, "10.0.128.10");
    CPY(in->private_dns, "ip-10-0-128-10.ec2.internal");
    CPY(in->state, "running");
    in->profile_role = 0;
    in->eni = 0;
    in->eks = RP_SIM_NONE;
    in->asg = RP_SIM_NONE;
    w->natgws = t->nat;
    w->nnatgws = 1;
    CPY(t->nat[0].public_ip, "3.214.20.9");
    t->nat[0].eni = 1;
    w->eks = t->eks;
    w->neks = 1;
    CPY(t->eks[0].res.name, "platform");
    t->eks[0].audit_logging = true;
}

static const int64_t T0 = 1767607385000LL; /* 2026-01-05T10:03:05Z */

static char *build_ct(const struct rp_sim_world *w, const struct rp_sim_ct_call *c)
{
    struct rp_sim_rng r;
    rp_sim_rng_init(&r, 7, "test");
    struct rp_buf b;
    rp_buf_init(&b, 0);
    char eid[RP_SIM_UUID_SZ];
    assert_int_equal(rp_sim_ct_call_build(w, c, &r, &b, eid), RP_OK);
    assert_non_null(strstr(rp_buf_cstr(&b), eid));
    return rp_buf_take(&b, NULL);
}

/* ---- CloudTrail ----------------------------------------------------------------------------- */

static void test_ct_iam_user_call(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_IAM_USER, 0);
    c.ts_ms = T0;
    c.region = 1;
    c.event_source = "ec2.amazonaws.com";
    c.event_name = "DescribeInstances";
    c.request_parameters = "{\"instancesSet\":{},\"filterSet\":{}}";
    char *got = build_ct(&t.w, &c);
    assert_string_equal(
        got, "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\","
             "\"principalId\":\"AIDAQXEXAMPLEUSER0001\","
             "\"arn\":\"arn:aws:iam::111122223333:user/alice.jones\","
             "\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAQXEXAMPLEKEY0001\","
             "\"userName\":\"alice.jones\"},\"eventTime\":\"2026-01-05T10:03:05Z\","
             "\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"DescribeInstances\","
             "\"awsRegion\":\"us-west-2\",\"sourceIPAddress\":\"81.2.69.142\","
             "\"userAgent\":\"aws-cli/2.15.10 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off\","
             "\"requestParameters\":{\"instancesSet\":{},\"filterSet\":{}},"
             "\"responseElements\":null,\"requestID\":\"77870b20-9b81-430e-9fcd-36e7dc60b541\","
             "\"eventID\":\"b9b57709-ff02-49a9-b890-46d05bd9b29f\",\"readOnly\":true,"
             "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
             "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\","
             "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
             "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
             "\"clientProvidedHostHeader\":\"ec2.us-west-2.amazonaws.com\"}}");
    free(got);
}

static void test_ct_assumed_role_call(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, 0);
    c.who.session_name = "i-0fedcba9876543210";
    c.ts_ms = T0;
    c.event_source = "kms.amazonaws.com";
    c.event_name = "Decrypt";
    c.request_parameters = "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}";
    rp_sim_ct_call_resource(
        &c, "AWS::KMS::Key",
        "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "111122223333");
    char *got = build_ct(&t.w, &c);
    assert_string_equal(
        got, "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\","
             "\"principalId\":\"AROAQXEXAMPLEROLE0001:i-0fedcba9876543210\","
             "\"arn\":\"arn:aws:sts::111122223333:assumed-role/app-instance/i-0fedcba9876543210\","
             "\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAW4XCD2HUXQCAML56\","
             "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
             "\"principalId\":\"AROAQXEXAMPLEROLE0001\","
             "\"arn\":\"arn:aws:iam::111122223333:role/app/app-instance\","
             "\"accountId\":\"111122223333\",\"userName\":\"app-instance\"},"
             "\"webIdFederationData\":{},"
             "\"attributes\":{\"creationDate\":\"2026-01-05T10:00:00Z\","
             "\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}},"
             "\"eventTime\":\"2026-01-05T10:03:05Z\",\"eventSource\":\"kms.amazonaws.com\","
             "\"eventName\":\"Decrypt\",\"awsRegion\":\"us-east-1\","
             "\"sourceIPAddress\":\"3.214.20.9\","
             "\"userAgent\":\"Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/linux#5.10.205\","
             "\"requestParameters\":{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"},"
             "\"responseElements\":null,\"requestID\":\"77870b20-9b81-430e-9fcd-36e7dc60b541\","
             "\"eventID\":\"b9b57709-ff02-49a9-b890-46d05bd9b29f\",\"readOnly\":true,"
             "\"resources\":[{\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\","
             "\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f"
             "0\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
             "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\","
             "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
             "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
             "\"clientProvidedHostHeader\":\"kms.us-east-1.amazonaws.com\"}}");
    free(got);
}

static void test_ct_root_console_signin(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_ROOT, 0);
    c.who.source_ip = "81.2.69.142";
    c.ts_ms = T0;
    c.event_source = "signin.amazonaws.com";
    c.event_name = "ConsoleLogin";
    c.response_elements = "{\"ConsoleLogin\":\"Success\"}";
    c.additional_event_data = "{\"LoginTo\":\"https://console.aws.amazon.com/console/home\","
                              "\"MobileVersion\":\"No\",\"MFAUsed\":\"Yes\"}";
    char *got = build_ct(&t.w, &c);
    assert_string_equal(
        got, "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\","
             "\"principalId\":\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:root\","
             "\"accountId\":\"111122223333\",\"accessKeyId\":\"\"},"
             "\"eventTime\":\"2026-01-05T10:03:05Z\",\"eventSource\":\"signin.amazonaws.com\","
             "\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\","
             "\"sourceIPAddress\":\"81.2.69.142\","
             "\"userAgent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML,"
             " like Gecko) Chrome/120.0.0.0 Safari/537.36\",\"requestParameters\":null,"
             "\"responseElements\":{\"ConsoleLogin\":\"Success\"},"
             "\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/console/home\""
             ",\"MobileVersion\":\"No\",\"MFAUsed\":\"Yes\"},"
             "\"eventID\":\"b9b57709-ff02-49a9-b890-46d05bd9b29f\",\"readOnly\":false,"
             "\"eventType\":\"AwsConsoleSignIn\",\"managementEvent\":true,"
             "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\","
             "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
             "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
             "\"clientProvidedHostHeader\":\"signin.aws.amazon.com\"}}");
    free(got);
}

static void test_ct_aws_service_event(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_SERVICE, 0);
    c.who.service = "kms.amazonaws.com";
    c.acct = 0;
    c.ts_ms = T0;
    c.event_source = "kms.amazonaws.com";
    c.event_name = "RotateKey";
    c.event_type = "AwsServiceEvent";
    c.read_only = 0;
    rp_sim_ct_call_resource(
        &c, "AWS::KMS::Key",
        "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "111122223333");
    c.service_event_details = "{\"keyId\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"}";
    char *got = build_ct(&t.w, &c);
    assert_string_equal(
        got, "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AWSService\","
             "\"invokedBy\":\"kms.amazonaws.com\"},\"eventTime\":\"2026-01-05T10:03:05Z\","
             "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"RotateKey\","
             "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"kms.amazonaws.com\","
             "\"userAgent\":\"kms.amazonaws.com\",\"requestParameters\":null,"
             "\"responseElements\":null,\"eventID\":\"b9b57709-ff02-49a9-b890-46d05bd9b29f\","
             "\"readOnly\":false,\"resources\":[{\"accountId\":\"111122223333\","
             "\"type\":\"AWS::KMS::Key\","
             "\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f"
             "0\"}],\"eventType\":\"AwsServiceEvent\",\"managementEvent\":true,"
             "\"recipientAccountId\":\"111122223333\","
             "\"serviceEventDetails\":{\"keyId\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"},"
             "\"eventCategory\":\"Management\"}");
    free(got);
}

static void test_ct_data_event(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, 0);
    c.who.session_name = "i-0fedcba9876543210";
    c.who.session_ms = T0 - 1800000;
    c.ts_ms = T0;
    c.event_source = "s3.amazonaws.com";
    c.event_name = "GetObject";
    c.data_event = true;
    c.request_parameters = "{\"bucketName\":\"acme-data\",\"Host\":"
                           "\"acme-data.s3.us-east-1.amazonaws.com\",\"key\":\"orders/1.json\"}";
    c.additional_event_data = "{\"bytesTransferredIn\":0,\"bytesTransferredOut\":5120}";
    rp_sim_ct_call_resource(&c, "AWS::S3::Object", "arn:aws:s3:::acme-data/orders/1.json", NULL);
    rp_sim_ct_call_resource(&c, "AWS::S3::Bucket", "arn:aws:s3:::acme-data", "111122223333");
    char *got = build_ct(&t.w, &c);
    assert_string_equal(
        got, "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
             "\"principalId\":\"AROAQXEXAMPLEROLE0001:i-0fedcba9876543210\","
             "\"arn\":\"arn:aws:sts::111122223333:assumed-role/app-instance/i-0fedcba9876543210\","
             "\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAAUT6YW23KGMYW7BJ\","
             "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
             "\"principalId\":\"AROAQXEXAMPLEROLE0001\","
             "\"arn\":\"arn:aws:iam::111122223333:role/app/app-instance\","
             "\"accountId\":\"111122223333\",\"userName\":\"app-instance\"},"
             "\"webIdFederationData\":{},"
             "\"attributes\":{\"creationDate\":\"2026-01-05T09:33:05Z\","
             "\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}},"
             "\"eventTime\":\"2026-01-05T10:03:05Z\",\"eventSource\":\"s3.amazonaws.com\","
             "\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\","
             "\"sourceIPAddress\":\"3.214.20.9\","
             "\"userAgent\":\"Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/linux#5.10.205\","
             "\"requestParameters\":{\"bucketName\":\"acme-data\","
             "\"Host\":\"acme-data.s3.us-east-1.amazonaws.com\",\"key\":\"orders/1.json\"},"
             "\"responseElements\":null,\"additionalEventData\":{\"bytesTransferredIn\":0,"
             "\"bytesTransferredOut\":5120},\"requestID\":\"7DA1A8A7B55513EB\","
             "\"eventID\":\"b9b57709-ff02-49a9-b890-46d05bd9b29f\",\"readOnly\":true,"
             "\"resources\":[{\"type\":\"AWS::S3::Object\","
             "\"ARN\":\"arn:aws:s3:::acme-data/orders/1.json\"},{\"accountId\":\"111122223333\","
             "\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::acme-data\"}],"
             "\"eventType\":\"AwsApiCall\",\"managementEvent\":false,"
             "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Data\","
             "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
             "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
             "\"clientProvidedHostHeader\":\"acme-data.s3.us-east-1.amazonaws.com\"}}");
    free(got);
}

static void test_ct_session_key(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, 0);
    c.who.session_name = "deploy";
    c.who.session_ms = T0;
    c.ts_ms = T0 + 60000;
    c.event_source = "sts.amazonaws.com";
    c.event_name = "GetCallerIdentity";
    char key[32], other[32];
    assert_int_equal(rp_sim_ct_who_key(&t.w, &c.who, c.ts_ms, key, sizeof(key)), RP_OK);
    assert_int_equal(strncmp(key, "ASIA", 4), 0);
    assert_int_equal(strlen(key), 20);
    char *got = build_ct(&t.w, &c);
    char want[64];
    snprintf(want, sizeof(want), "\"accessKeyId\":\"%s\"", key);
    assert_non_null(strstr(got, want));
    free(got);
    c.who.session_ms = T0 + 3600000;
    assert_int_equal(rp_sim_ct_who_key(&t.w, &c.who, c.ts_ms, other, sizeof(other)), RP_OK);
    assert_string_not_equal(key, other);
    /* the instance's egress address: the NAT gateway of its VPC */
    c.who.session_name = "i-0fedcba9876543210";
    assert_string_equal(rp_sim_ct_who_ip(&t.w, &c.who, T0), "3.214.20.9");
    assert_string_equal(rp_sim_instance_egress_ip(&t.w, 0), "3.214.20.9");
}

/* ---- flow logs ------------------------------------------------------------------------------ */

static void test_flow_pair(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_conn c = {0};
    c.eni = 0;
    c.remote_ip = "52.216.8.10";
    c.local_port = 43210;
    c.remote_port = 443;
    c.protocol = 6;
    c.req_packets = 9;
    c.req_bytes = 1840;
    c.resp_packets = 24;
    c.resp_bytes = 30120;
    c.start_s = T0 / 1000;
    c.end_s = T0 / 1000 + 4;
    c.remote_service = "S3";
    c.traffic_path = 1;
    struct rp_sim_flow f[2];
    assert_int_equal(rp_sim_conn_records(&t.w, &c, f), 2);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_flow_format(&t.w, RP_SIM_FLOW_V2, &f[0], &b), RP_OK);
    assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    assert_int_equal(rp_sim_flow_format(&t.w, RP_SIM_FLOW_V2, &f[1], &b), RP_OK);
    assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    assert_int_equal(rp_sim_flow_format(&t.w, RP_SIM_FLOW_V5_CUSTOM, &f[0], &b), RP_OK);
    assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    assert_int_equal(rp_sim_flow_format(&t.w, RP_SIM_FLOW_V5_CUSTOM, &f[1], &b), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&b),
        "2 111122223333 eni-0aaaabbbbccccdddd 10.0.128.10 52.216.8.10 43210 443 6 9 1840 "
        "1767607385 1767607389 ACCEPT OK\n"
        "2 111122223333 eni-0aaaabbbbccccdddd 52.216.8.10 10.0.128.10 443 43210 6 24 30120 "
        "1767607385 1767607389 ACCEPT OK\n"
        "5 vpc-0a1b2c3d4e5f60718 subnet-0123456789abcdef0 i-0fedcba9876543210 "
        "eni-0aaaabbbbccccdddd 111122223333 IPv4 10.0.128.10 52.216.8.10 43210 443 "
        "10.0.128.10 52.216.8.10 6 1840 9 1767607385 1767607389 ACCEPT 3 OK us-east-1 "
        "use1-az1 egress 1 - S3\n"
        "5 vpc-0a1b2c3d4e5f60718 subnet-0123456789abcdef0 i-0fedcba9876543210 "
        "eni-0aaaabbbbccccdddd 111122223333 IPv4 52.216.8.10 10.0.128.10 443 43210 "
        "52.216.8.10 10.0.128.10 6 30120 24 1767607385 1767607389 ACCEPT 19 OK us-east-1 "
        "use1-az1 ingress - S3 -");
    rp_buf_release(&b);
    c.remote_ip = NULL;
    assert_int_equal(rp_sim_conn_records(&t.w, &c, f), 0);
}

/* ---- DNS ------------------------------------------------------------------------------------ */

static void test_dns_record(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_dns_query q;
    rp_sim_dns_query_init(&q, 0, T0 + 250, "s3.us-east-1.amazonaws.com");
    rp_sim_dns_query_answer(&q, "CNAME", "s3-r-w.us-east-1.amazonaws.com.");
    rp_sim_dns_query_answer(&q, "A", "52.216.8.10");
    q.srcaddr = "10.0.128.10";
    q.srcport = 53122;
    q.instance = 0;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_dns_query_build(&t.w, &q, &b), RP_OK);
    assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    rp_sim_dns_query_init(&q, 0, T0, "legacy-reports.acme.internal.");
    q.rcode = "NXDOMAIN";
    q.srcaddr = "10.0.128.10";
    q.srcport = 40001;
    assert_int_equal(rp_sim_dns_query_build(&t.w, &q, &b), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&b),
        "{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":\"us-east-1\","
        "\"vpc_id\":\"vpc-0a1b2c3d4e5f60718\",\"query_timestamp\":\"2026-01-05T10:03:05Z\","
        "\"query_name\":\"s3.us-east-1.amazonaws.com.\",\"query_type\":\"A\","
        "\"query_class\":\"IN\",\"rcode\":\"NOERROR\","
        "\"answers\":[{\"Rdata\":\"s3-r-w.us-east-1.amazonaws.com.\",\"Type\":\"CNAME\","
        "\"Class\":\"IN\"},{\"Rdata\":\"52.216.8.10\",\"Type\":\"A\",\"Class\":\"IN\"}],"
        "\"srcaddr\":\"10.0.128.10\",\"srcport\":\"53122\",\"transport\":\"UDP\","
        "\"srcids\":{\"instance\":\"i-0fedcba9876543210\"}}\n"
        "{\"version\":\"1.100000\",\"account_id\":\"111122223333\",\"region\":\"us-east-1\","
        "\"vpc_id\":\"vpc-0a1b2c3d4e5f60718\",\"query_timestamp\":\"2026-01-05T10:03:05Z\","
        "\"query_name\":\"legacy-reports.acme.internal.\",\"query_type\":\"A\","
        "\"query_class\":\"IN\",\"rcode\":\"NXDOMAIN\",\"answers\":[],"
        "\"srcaddr\":\"10.0.128.10\",\"srcport\":\"40001\",\"transport\":\"UDP\","
        "\"srcids\":{}}");
    q.srcaddr = NULL;
    assert_int_equal(rp_sim_dns_query_build(&t.w, &q, &b), RP_EINVAL);
    rp_buf_release(&b);
}

/* ---- EKS audit ------------------------------------------------------------------------------ */

static void test_k8s_event(void **state)
{
    (void)state;
    struct tw t;
    tw_init(&t);
    struct rp_sim_rng r;
    rp_sim_rng_init(&r, 7, "test");
    struct rp_sim_k8s_event e;
    rp_sim_k8s_event_init(&e, 0, T0 + 123, "get");
    e.username = "alice.jones";
    rp_sim_k8s_event_group(&e, "developers");
    rp_sim_k8s_event_group(&e, "system:authenticated");
    e.extra_arn = "arn:aws:iam::111122223333:user/alice.jones";
    e.extra_principal = "AIDAQXEXAMPLEUSER0001";
    e.extra_access_key = "AKIAQXEXAMPLEKEY0001";
    e.extra_session = "";
    rp_sim_k8s_event_source_ip(&e, "81.2.69.142");
    e.user_agent = "kubectl/v1.29.1 (darwin/arm64) kubernetes/bc401b9";
    e.resource = "pods";
    e.subresource = "log";
    e.ns = "shop";
    e.name = "orders-api-7d9f8b6c5d-x2k4q";
    e.authz_reason = "RBAC: allowed by RoleBinding \"developers\" of ClusterRole \"view\" to "
                     "Group \"developers\"";
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_k8s_event_build(&t.w, &e, &r, &b), RP_OK);
    assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    rp_sim_k8s_event_init(&e, 0, T0 + 2000, "list");
    e.username = "alice.jones";
    rp_sim_k8s_event_group(&e, "developers");
    rp_sim_k8s_event_group(&e, "system:authenticated");
    rp_sim_k8s_event_source_ip(&e, "81.2.69.142");
    e.resource = "nodes";
    e.code = 403;
    e.status_reason = "Forbidden";
    e.status_message = "nodes is forbidden";
    assert_int_equal(rp_sim_k8s_event_build(&t.w, &e, &r, &b), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&b),
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        "\"auditID\":\"b9b57709-ff02-49a9-b890-46d05bd9b29f\",\"stage\":\"ResponseComplete\","
        "\"requestURI\":\"/api/v1/namespaces/shop/pods/orders-api-7d9f8b6c5d-x2k4q/log\","
        "\"verb\":\"get\",\"user\":{\"username\":\"alice.jones\","
        "\"uid\":\"aws-iam-authenticator:111122223333:AIDAQXEXAMPLEUSER0001\","
        "\"groups\":[\"developers\",\"system:authenticated\"],"
        "\"extra\":{\"accessKeyId\":[\"AKIAQXEXAMPLEKEY0001\"],"
        "\"arn\":[\"arn:aws:iam::111122223333:user/alice.jones\"],"
        "\"canonicalArn\":[\"arn:aws:iam::111122223333:user/alice.jones\"],"
        "\"principalId\":[\"AIDAQXEXAMPLEUSER0001\"],\"sessionName\":[\"\"]}},"
        "\"sourceIPs\":[\"81.2.69.142\"],"
        "\"userAgent\":\"kubectl/v1.29.1 (darwin/arm64) kubernetes/bc401b9\","
        "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"shop\","
        "\"name\":\"orders-api-7d9f8b6c5d-x2k4q\",\"apiVersion\":\"v1\","
        "\"subresource\":\"log\"},\"responseStatus\":{\"metadata\":{},\"code\":200},"
        "\"requestReceivedTimestamp\":\"2026-01-05T10:03:05.104874Z\","
        "\"stageTimestamp\":\"2026-01-05T10:03:05.123634Z\","
        "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
        "\"authorization.k8s.io/reason\":\"RBAC: allowed by RoleBinding \\\"developers\\\" "
        "of ClusterRole \\\"view\\\" to Group \\\"developers\\\"\"}}\n"
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        "\"auditID\":\"18a8bf3b-256e-49a9-a9bb-edcf0fc97364\",\"stage\":\"ResponseComplete\","
        "\"requestURI\":\"/api/v1/nodes?limit=500\",\"verb\":\"list\","
        "\"user\":{\"username\":\"alice.jones\",\"groups\":[\"developers\","
        "\"system:authenticated\"]},\"sourceIPs\":[\"81.2.69.142\"],"
        "\"objectRef\":{\"resource\":\"nodes\",\"apiVersion\":\"v1\"},"
        "\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\","
        "\"message\":\"nodes is forbidden\",\"reason\":\"Forbidden\",\"code\":403},"
        "\"requestReceivedTimestamp\":\"2026-01-05T10:03:06.978629Z\","
        "\"stageTimestamp\":\"2026-01-05T10:03:07.000469Z\","
        "\"annotations\":{\"authorization.k8s.io/decision\":\"forbid\","
        "\"authorization.k8s.io/reason\":\"\"}}");
    rp_buf_release(&b);
}

/* ---- a small simulation: deterministic, and every record ingests ---------------------------- */

enum { S_CT, S_FLOW, S_DNS, S_K8S, S_N };
static const char *const ingest_names[S_N] = {"cloudtrail", "vpcflow", "r53dns", "k8saudit"};

struct tally {
    size_t files[S_N], rows[S_N], rejects[S_N];
    char first_reject[512];
    const char *other_root; /* when set, each file must equal the one at the same place here */
    size_t compared, differ;
};

static const struct rp_ingest_source *source_named(const char *name)
{
    for (size_t i = 0; rp_ingest_sources[i]; i++)
        if (strcmp(rp_ingest_sources[i]->name, name) == 0) return rp_ingest_sources[i];
    return NULL;
}

static bool read_raw(const char *path, struct rp_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ok = rp_buf_append(b, chunk, n) == RP_OK;
    fclose(f);
    return ok;
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct tally *t = ctx;
    if (e->event != RP_WALK_EV_FILE) return RP_WALK_CONTINUE;
    if (t->other_root) {
        char other[4096];
        snprintf(other, sizeof(other), "%s/%s", t->other_root, e->rel);
        struct rp_buf a, b;
        rp_buf_init(&a, 0);
        rp_buf_init(&b, 0);
        bool same = read_raw(e->path, &a) && read_raw(other, &b) && a.len == b.len &&
                    memcmp(rp_buf_cstr(&a), rp_buf_cstr(&b), a.len) == 0;
        t->compared++;
        t->differ += !same;
        rp_buf_release(&a);
        rp_buf_release(&b);
        return RP_WALK_CONTINUE;
    }
    int k = strstr(e->rel, "/CloudTrail/")        ? S_CT
            : strstr(e->rel, "/vpcflowlogs/")     ? S_FLOW
            : strstr(e->rel, "/vpcdnsquerylogs/") ? S_DNS
            : strstr(e->rel, "/EKS/")             ? S_K8S
                                                  : -1;
    if (k < 0) return RP_WALK_CONTINUE;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_gz_read_file(e->path, NULL, &b, &eb), RP_OK);
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    const struct rp_ingest_source *src = source_named(ingest_names[k]);
    assert_non_null(src);
    assert_int_equal(rp_test_feed(src, NULL, b.data, b.len, &ts), RP_OK);
    t->files[k]++;
    t->rows[k] += ts.rows;
    t->rejects[k] += ts.rejects;
    if (ts.rejects && !t->first_reject[0]) {
        const char *r = strstr(rp_test_sink_text(&ts), "REJECT");
        snprintf(t->first_reject, sizeof(t->first_reject), "%s: %.400s", e->rel, r ? r : "?");
    }
    rp_test_sink_release(&ts);
    rp_buf_release(&b);
    return RP_WALK_CONTINUE;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void run_small(const char *dir)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.seed = 3;
    o.days = 2;
    o.scenarios = "none";
    o.out_dir = dir;
    struct rp_sim_run *run = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_sim_run_new(&o, &run, &eb), RP_OK);
    rp_err e = rp_sim_run_all(run, NULL, &eb);
    if (e != RP_OK) fail_msg("run: %s", eb.msg);
    rp_sim_run_free(run);
}

static void test_run_deterministic_and_ingests(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char base[512];
    snprintf(base, sizeof(base), "%s/rp-simact-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(base));
    char a[600], b[600];
    snprintf(a, sizeof(a), "%s/a", base);
    snprintf(b, sizeof(b), "%s/b", base);
    run_small(a);
    run_small(b);

    struct tally t;
    memset(&t, 0, sizeof(t));
    const char *roots[] = {a};
    struct rp_errbuf eb = {0};
    t.other_root = b;
    assert_int_equal(rp_walk_run(roots, 1, NULL, visit, &t, &eb), RP_OK);
    assert_true(t.compared > 100);
    assert_int_equal(t.differ, 0);
    const char *roots_b[] = {b};
    struct tally tb;
    memset(&tb, 0, sizeof(tb));
    tb.other_root = a;
    assert_int_equal(rp_walk_run(roots_b, 1, NULL, visit, &tb, &eb), RP_OK);
    assert_int_equal(tb.compared, t.compared); /* the same set of files on both sides */

    memset(&t, 0, sizeof(t));
    assert_int_equal(rp_walk_run(roots, 1, NULL, visit, &t, &eb), RP_OK);
    for (int k = 0; k < S_N; k++) {
        if (t.rejects[k])
            fail_msg("%s: %zu rejects, first %s", ingest_names[k], t.rejects[k], t.first_reject);
        assert_true(t.files[k] > 0);
        assert_true(t.rows[k] > 1000);
    }
    assert_int_equal(nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_iam_user_call),
        cmocka_unit_test(test_ct_assumed_role_call),
        cmocka_unit_test(test_ct_root_console_signin),
        cmocka_unit_test(test_ct_aws_service_event),
        cmocka_unit_test(test_ct_data_event),
        cmocka_unit_test(test_ct_session_key),
        cmocka_unit_test(test_flow_pair),
        cmocka_unit_test(test_dns_record),
        cmocka_unit_test(test_k8s_event),
        cmocka_unit_test(test_run_deterministic_and_ingests),
    };
    return cmocka_run_group_tests_name("sim_activity", tests, NULL, NULL);
}
