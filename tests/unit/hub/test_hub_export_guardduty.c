/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "guardduty" (src/hub/hub_export_guardduty.c): GuardDuty's finding JSON rebuilt
 * from the ASFF of GuardDuty findings. The GuardDuty findings of
 * tests/fixtures/hub/conv_guardduty_findings.json (a port probe on an instance, instance
 * credentials used outside AWS, archived, and a bucket's Block Public Access turned off) are
 * imported with the "guardduty" format into a :memory: store and exported again; the export
 * is compared whole. An Inspector finding in the same export is left out, and an export with
 * no GuardDuty finding is an empty list. (The round trip of Rampart's own GuardDuty JSON is
 * tests/unit/detect/test_detect_gd.c.) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "hub/hub.h"
#include "store/store.h"
#include "tools/rp_test_fixture.h"

#define NOW_MS 1709800000000LL

struct docs {
    char *d[8];
    size_t n;
};

static rp_err keep(void *ctx, const char *doc, size_t len)
{
    struct docs *ds = ctx;
    assert_true(ds->n < 8);
    ds->d[ds->n++] = strndup(doc, len);
    return RP_OK;
}

static rp_err on_error(void *ctx, const char *source, size_t item, const char *id, const char *code,
                       const char *msg)
{
    (void)ctx;
    (void)source;
    (void)id;
    /* the fixture's second finding has no Arn on purpose */
    assert_int_equal(item, 1);
    assert_string_equal(code, "ConversionFailed");
    assert_string_equal(msg, "item 1: guardduty: missing field 'Arn'");
    return RP_OK;
}

/* Import fixture name with format, return the stored documents sorted by Id. */
static void import(const char *name, const char *format, struct docs *out)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    struct rp_buf in;
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb) != RP_OK) fail_msg("%s", eb.msg);
    rp_test_fixture_load(&in, "hub", name);
    struct rp_hub_import_opts o;
    rp_hub_import_opts_init(&o);
    o.format = format;
    o.now_ms = NOW_MS;
    o.on_error = on_error;
    struct rp_hub_importer *im = NULL;
    assert_int_equal(rp_hub_importer_new(st, &o, &im, &eb), RP_OK);
    if (rp_hub_import_buf(im, in.data, in.len, name, &eb) != RP_OK) fail_msg("%s", eb.msg);
    assert_int_equal(rp_hub_importer_finish(im, &eb), RP_OK);
    struct rp_hub_query q = {.sort = {{"Id", true}}};
    assert_int_equal(rp_hub_findings_get(st, &q, keep, out, NULL, &eb), RP_OK);
    rp_buf_release(&in);
    rp_store_free(st);
}

static char *export(const struct docs *ds)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    assert_non_null(f);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("guardduty", f, &x, &eb), RP_OK);
    for (size_t i = 0; i < ds->n; i++)
        if (rp_hub_exporter_add(x, ds->d[i], strlen(ds->d[i]), &eb) != RP_OK)
            fail_msg("%s", eb.msg);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    assert_int_equal(fclose(f), 0);
    return mem;
}

/* The three GuardDuty findings (sorted by Id), members in GuardDuty's name order. */
static const char want[] =
    "{\"Findings\":[\n"
    "{\"AccountId\":\"111122223333\",\"Arn\":\"arn:aws:guardduty:us-east-1:111122223333:detec"
    "tor/12abc34d567e8fa901bc2d34e56789f0/finding/0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01\",\"Create"
    "dAt\":\"2024-03-04T10:15:30.120Z\",\"Description\":\"EC2 instance has an unprotected por"
    "t 22 which is being probed by a known malicious host.\",\"Id\":\"0ac4ba0e0f6a4fbd9d5a1c3"
    "b2e5f8a01\",\"Partition\":\"aws\",\"Region\":\"us-east-1\",\"Resource\":{\"InstanceDetai"
    "ls\":{\"IamInstanceProfile\":{\"Arn\":\"arn:aws:iam::111122223333:instance-profile/web-s"
    "erver\"},\"ImageId\":\"ami-0abcdef1234567890\",\"InstanceId\":\"i-0a1b2c3d4e5f60718\",\""
    "InstanceType\":\"t3.micro\",\"LaunchTime\":\"2024-02-28T08:00:00.000Z\",\"NetworkInterfa"
    "ces\":[{\"NetworkInterfaceId\":\"eni-0123456789abcdef0\",\"PrivateIpAddress\":\"10.0.1.2"
    "5\",\"PublicIp\":\"203.0.113.10\",\"SubnetId\":\"subnet-0123456789abcdef0\",\"VpcId\":\""
    "vpc-0123456789abcdef0\"}],\"Tags\":[{\"Key\":\"Name\",\"Value\":\"web-1\"},{\"Key\":\"en"
    "v\",\"Value\":\"prod\"}]},\"ResourceType\":\"Instance\"},\"SchemaVersion\":\"2.0\",\"Ser"
    "vice\":{\"Action\":{\"ActionType\":\"PORT_PROBE\",\"PortProbeAction\":{\"Blocked\":false"
    ",\"PortProbeDetails\":[{\"LocalIpDetails\":{\"IpAddressV4\":\"10.0.1.25\"},\"LocalPortDe"
    "tails\":{\"Port\":22,\"PortName\":\"SSH\"},\"RemoteIpDetails\":{\"City\":{\"CityName\":"
    "\"Amsterdam\"},\"Country\":{\"CountryCode\":\"NL\",\"CountryName\":\"Netherlands\"},\"Ge"
    "oLocation\":{\"Lat\":52.37,\"Lon\":4.89},\"IpAddressV4\":\"198.51.100.7\",\"Organization"
    "\":{\"Asn\":\"64500\",\"AsnOrg\":\"EXAMPLE-AS\",\"Isp\":\"Example Hosting\",\"Org\":\"Ex"
    "ample Hosting\"}}}]}},\"AdditionalInfo\":{\"Type\":\"default\",\"Value\":\"{\\\"threatLi"
    "stName\\\":\\\"ExampleList\\\"}\"},\"Archived\":false,\"Count\":14,\"DetectorId\":\"12ab"
    "c34d567e8fa901bc2d34e56789f0\",\"EventFirstSeen\":\"2024-03-04T09:58:02Z\",\"EventLastSe"
    "en\":\"2024-03-04T10:12:44Z\",\"ResourceRole\":\"TARGET\",\"ServiceName\":\"guardduty\"}"
    ",\"Severity\":5.0,\"Title\":\"Unprotected port on EC2 instance i-0a1b2c3d4e5f60718 is be"
    "ing probed.\",\"Type\":\"Recon:EC2/PortProbeUnprotectedPort\",\"UpdatedAt\":\"2024-03-04"
    "T10:15:30.120Z\"},\n"
    "{\"AccountId\":\"111122223333\",\"Arn\":\"arn:aws:guardduty:us-east-1:111122223333:detec"
    "tor/12abc34d567e8fa901bc2d34e56789f0/finding/7e2d9c1b3a4f5e6d7c8b9a0f1e2d3c4b\",\"Create"
    "dAt\":\"2024-03-04T12:01:02.000Z\",\"Description\":\"Credentials created exclusively for"
    " an EC2 instance through an instance launch role are being used from a remote AWS accoun"
    "t.\",\"Id\":\"7e2d9c1b3a4f5e6d7c8b9a0f1e2d3c4b\",\"Partition\":\"aws\",\"Region\":\"us-e"
    "ast-1\",\"Resource\":{\"AccessKeyDetails\":{\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"P"
    "rincipalId\":\"AROAEXAMPLEROLE00001:i-0a1b2c3d4e5f60718\",\"UserName\":\"web-server-role"
    "\",\"UserType\":\"AssumedRole\"},\"ResourceType\":\"AccessKey\"},\"SchemaVersion\":\"2.0"
    "\",\"Service\":{\"Action\":{\"ActionType\":\"AWS_API_CALL\",\"AwsApiCallAction\":{\"Api"
    "\":\"ListBuckets\",\"CallerType\":\"Remote IP\",\"RemoteIpDetails\":{\"City\":{\"CityNam"
    "e\":\"\"},\"Country\":{\"CountryName\":\"United States\"},\"IpAddressV4\":\"192.0.2.55\""
    ",\"Organization\":{\"Asn\":\"64501\",\"AsnOrg\":\"EXAMPLE-NET\",\"Isp\":\"Example ISP\","
    "\"Org\":\"Example ISP\"}},\"ServiceName\":\"s3.amazonaws.com\"}},\"Archived\":true,\"Cou"
    "nt\":3,\"DetectorId\":\"12abc34d567e8fa901bc2d34e56789f0\",\"EventFirstSeen\":\"2024-03-"
    "04T11:40:00.000Z\",\"EventLastSeen\":\"2024-03-04T11:55:10.000Z\",\"ResourceRole\":\"TAR"
    "GET\",\"ServiceName\":\"guardduty\"},\"Severity\":8.0,\"Title\":\"Credentials for instan"
    "ce role web-server-role used from external IP address.\",\"Type\":\"UnauthorizedAccess:I"
    "AMUser/InstanceCredentialExfiltration.OutsideAWS\",\"UpdatedAt\":\"2024-03-04T12:30:00.0"
    "00Z\"},\n"
    "{\"AccountId\":\"111122223333\",\"Arn\":\"arn:aws:guardduty:us-east-1:111122223333:detec"
    "tor/12abc34d567e8fa901bc2d34e56789f0/finding/b4a5c6d7e8f90a1b2c3d4e5f6a7b8c9d\",\"Create"
    "dAt\":\"2024-03-05T08:00:00.000Z\",\"Description\":\"Amazon S3 Block Public Access was d"
    "isabled for S3 bucket example-logs-bucket by alice calling PutBucketPublicAccessBlock.\""
    ",\"Id\":\"b4a5c6d7e8f90a1b2c3d4e5f6a7b8c9d\",\"Partition\":\"aws\",\"Region\":\"us-east-"
    "1\",\"Resource\":{\"AccessKeyDetails\":{\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"Princ"
    "ipalId\":\"AIDAEXAMPLEUSER00001\",\"UserName\":\"alice\",\"UserType\":\"IAMUser\"},\"S3B"
    "ucketDetails\":[{\"Arn\":\"arn:aws:s3:::example-logs-bucket\",\"CreatedAt\":\"2023-11-01"
    "T12:00:00.000Z\",\"Name\":\"example-logs-bucket\",\"Owner\":{\"Id\":\"abcd1234ownerid\"}"
    ",\"Tags\":[{\"Key\":\"team\",\"Value\":\"platform\"}]}],\"ResourceType\":\"S3Bucket\"},"
    "\"SchemaVersion\":\"2.0\",\"Service\":{\"Action\":{\"ActionType\":\"AWS_API_CALL\",\"Aws"
    "ApiCallAction\":{\"Api\":\"PutBucketPublicAccessBlock\",\"CallerType\":\"Remote IP\",\"R"
    "emoteIpDetails\":{\"IpAddressV4\":\"203.0.113.77\"},\"ServiceName\":\"s3.amazonaws.com\""
    "}},\"Archived\":false,\"Count\":1,\"DetectorId\":\"12abc34d567e8fa901bc2d34e56789f0\",\""
    "EventFirstSeen\":\"2024-03-05T07:59:41.000Z\",\"EventLastSeen\":\"2024-03-05T07:59:41.00"
    "0Z\",\"ResourceRole\":\"TARGET\",\"ServiceName\":\"guardduty\"},\"Severity\":2.5,\"Title"
    "\":\"Amazon S3 Block Public Access was disabled for S3 bucket example-logs-bucket.\",\"T"
    "ype\":\"Policy:S3/BucketBlockPublicAccessDisabled\",\"UpdatedAt\":\"2024-03-05T08:00:00."
    "000Z\"}\n"
    "]}\n";

static void test_export_guardduty_document(void **state)
{
    (void)state;
    struct docs ds = {0};
    import("conv_guardduty_findings.json", "guardduty", &ds);
    assert_int_equal(ds.n, 3);
    /* an Inspector finding among them is left out */
    struct rp_buf insp, compact;
    rp_test_fixture_load(&insp, "hub", "export_inspector.json");
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    assert_int_equal(rp_json_parse_buf(p, &insp, &v, NULL), RP_OK);
    rp_buf_init(&compact, 0);
    assert_int_equal(rp_json_serialize(v, &compact), RP_OK);
    ds.d[ds.n++] = rp_buf_take(&compact, NULL);
    rp_json_parser_free(p);
    rp_buf_release(&insp);

    char *out = export(&ds);
    assert_string_equal(out, want);
    free(out);
    for (size_t i = 0; i < ds.n; i++) free(ds.d[i]);
}

static void test_export_guardduty_empty(void **state)
{
    (void)state;
    struct docs ds = {0};
    char *out = export(&ds);
    assert_string_equal(out, "{\"Findings\":[]}\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_guardduty_document),
        cmocka_unit_test(test_export_guardduty_empty),
    };
    return cmocka_run_group_tests_name("hub_export_guardduty", tests, NULL, NULL);
}
