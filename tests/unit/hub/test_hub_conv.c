/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the findings hub's import formats (src/hub/hub_conv_*.c, hub_formats.def):
 * the registry and sniffing (each fixture sniffs to its own format and every other probe says
 * 0; unrelated JSON sniffs to NULL), and for each format its fixture converted with a sink
 * that keeps every ASFF document re-serialized and every error as one line "item=<n>
 * id=<id> code=<code> msg=<msg>". Exact values are asserted field by field (a path such as
 * "Resources[0].Details.AwsEc2Instance.Type" renders the value as compact JSON), some
 * documents whole; every document must also pass the importer's own check (hub_validate),
 * or its failure shows up in the error lines. Fixtures: tests/fixtures/hub/conv_* (written
 * by hand). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tools/rp_test_json.h"

#include "core/rp_json.h"
#include "hub/hub.h"
#include "hub/hub_conv.h"
#include "hub/hub_internal.h"
#include "tools/rp_test_fixture.h"

#define NOW_MS  1700000000000LL /* 2023-11-14T22:13:20.000Z */
#define NOW_ISO "\"2023-11-14T22:13:20.000Z\""
#define MAXDOCS 16

/* ---- harness ----------------------------------------------------------------------------- */

struct sink {
    char *docs[MAXDOCS];
    size_t items[MAXDOCS]; /* cv->item when each document arrived */
    size_t n;
    struct rp_buf errs; /* one line per error */
    rp_err finding_rc;  /* what on_finding returns */
};

static rp_err on_finding(struct rp_hub_conv *cv, struct rp_json_val asff, struct rp_errbuf *eb)
{
    struct sink *s = cv->ctx;
    struct rp_buf b;
    const char *code = NULL;
    char msg[256];
    (void)eb;
    if (!hub_validate(asff, &code, msg, sizeof msg))
        assert_int_equal(
            rp_buf_printf(&s->errs, "INVALID item=%zu code=%s msg=%s\n", cv->item, code, msg),
            RP_OK);
    rp_buf_init(&b, 0);
    assert_int_equal(rp_json_serialize(asff, &b), RP_OK);
    assert_true(s->n < MAXDOCS);
    s->items[s->n] = cv->item;
    s->docs[s->n++] = rp_buf_take(&b, NULL);
    return s->finding_rc;
}

static rp_err on_error(struct rp_hub_conv *cv, const char *id, const char *code, const char *msg)
{
    struct sink *s = cv->ctx;
    assert_int_equal(rp_buf_printf(&s->errs, "item=%zu id=%s code=%s msg=%s\n", cv->item,
                                   id ? id : "(null)", code, msg),
                     RP_OK);
    return RP_OK;
}

struct conv {
    struct sink s;
    struct rp_buf buf;
    struct rp_json_parser *in, *out;
    struct rp_hub_conv cv;
    struct rp_errbuf eb;
};

static void conv_init(struct conv *c, size_t bufmax)
{
    memset(c, 0, sizeof *c);
    rp_buf_init(&c->s.errs, 0);
    rp_buf_init(&c->buf, bufmax);
    c->in = rp_json_parser_new();
    c->out = rp_json_parser_new();
    assert_non_null(c->in);
    assert_non_null(c->out);
    c->cv = (struct rp_hub_conv){
        .now_ms = NOW_MS,
        .account = "000000000000",
        .region = "us-east-1",
        .buf = &c->buf,
        .parser = c->out,
        .finding = on_finding,
        .error = on_error,
        .ctx = &c->s,
    };
}

static void conv_release(struct conv *c)
{
    for (size_t i = 0; i < c->s.n; i++) free(c->s.docs[i]);
    rp_buf_release(&c->s.errs);
    rp_buf_release(&c->buf);
    rp_json_parser_free(c->in);
    rp_json_parser_free(c->out);
}

/* Parse text, pick the format (by name, or sniffed when name is NULL; want names the format
 * that must be chosen) and convert; returns convert's code. */
static rp_err conv_run(struct conv *c, const char *name, const char *want, const char *text,
                       size_t len)
{
    struct rp_json_val root;
    assert_int_equal(rp_json_parse(c->in, text, len, &root, &c->eb), RP_OK);
    const struct rp_hub_format *f = name ? rp_hub_format_find(name) : rp_hub_format_sniff(root);
    assert_non_null(f);
    assert_string_equal(f->name, want);
    return f->convert(&c->cv, root, &c->eb);
}

static rp_err conv_text(struct conv *c, const char *name, const char *want, const char *text)
{
    return conv_run(c, name, want, text, strlen(text));
}

static void fixture_load(struct rp_buf *b, const char *name)
{
    rp_test_fixture_load(b, "hub", name);
}

static rp_err conv_fixture(struct conv *c, const char *file, const char *want)
{
    struct rp_buf in;
    fixture_load(&in, file);
    rp_err e = conv_run(c, NULL, want, in.data, in.len);
    rp_buf_release(&in);
    return e;
}

static const char *jv(const char *doc, const char *path)
{
    return rp_test_json_at(doc, path);
}

#define CHECK(doc, path, want) assert_string_equal(jv((doc), (path)), (want))

/* ---- registry and sniffing --------------------------------------------------------------- */

static void test_conv_registry(void **state)
{
    (void)state;
    static const char *const names[] = {"asff", "guardduty", "ocsf", "trivy", "prowler"};
    size_t i = 0;
    for (; rp_hub_import_format_names[i]; i++) {
        assert_true(i < 5);
        assert_string_equal(rp_hub_import_format_names[i], names[i]);
        assert_non_null(rp_hub_formats[i]);
        assert_string_equal(rp_hub_formats[i]->name, names[i]);
        assert_true(strlen(rp_hub_formats[i]->summary) > 10);
        assert_ptr_equal(rp_hub_format_find(names[i]), rp_hub_formats[i]);
    }
    assert_int_equal(i, 5);
    assert_null(rp_hub_formats[5]);
    assert_null(rp_hub_format_find("sarif"));
    assert_null(rp_hub_format_find(NULL));
}

/* Each fixture: its format wins, and every other probe says 0. */
static void test_conv_sniff_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *file, *format;
    } cases[] = {
        {"conv_asff_batch.json", "asff"},           {"conv_asff_event.json", "asff"},
        {"conv_prowler_asff.json", "asff"},         {"conv_guardduty_findings.json", "guardduty"},
        {"conv_guardduty_event.json", "guardduty"}, {"conv_ocsf_findings.json", "ocsf"},
        {"conv_ocsf_prowler.json", "ocsf"},         {"conv_trivy_report.json", "trivy"},
        {"conv_prowler_legacy.json", "prowler"},
    };
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct rp_buf in;
        struct rp_json_val root;
        fixture_load(&in, cases[k].file);
        assert_int_equal(rp_json_parse(p, in.data, in.len, &root, NULL), RP_OK);
        const struct rp_hub_format *f = rp_hub_format_sniff(root);
        assert_non_null(f);
        assert_string_equal(f->name, cases[k].format);
        for (size_t i = 0; rp_hub_formats[i]; i++)
            if (rp_hub_formats[i] != f) assert_int_equal(rp_hub_formats[i]->probe(root), 0);
        rp_buf_release(&in);
    }
    rp_json_parser_free(p);
}

static const char *sniff_text(const char *text)
{
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root;
    assert_non_null(p);
    assert_int_equal(rp_json_parse(p, text, strlen(text), &root, NULL), RP_OK);
    const struct rp_hub_format *f = rp_hub_format_sniff(root);
    rp_json_parser_free(p);
    return f ? f->name : "NULL";
}

static void test_conv_sniff_other_json(void **state)
{
    (void)state;
    assert_string_equal(sniff_text("{\"hello\":\"world\",\"n\":[1,2,3],\"Id\":\"x\"}"), "NULL");
    assert_string_equal(sniff_text("[1,2,3]"), "NULL");
    assert_string_equal(sniff_text("\"Findings\""), "NULL");
    assert_string_equal(sniff_text("null"), "NULL");
    assert_string_equal(sniff_text("[{\"a\":1}]"), "NULL");
    assert_string_equal(sniff_text("{\"Findings\":[{\"a\":1}]}"), "NULL");
    /* an OCSF event that is not a finding, a CloudTrail record, another EventBridge event */
    assert_string_equal(sniff_text("{\"class_uid\":6003,\"metadata\":{\"version\":\"1.1.0\"}}"),
                        "NULL");
    assert_string_equal(sniff_text("{\"Records\":[{\"eventVersion\":\"1.08\"}]}"), "NULL");
    assert_string_equal(
        sniff_text("{\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{}}"),
        "NULL");
    /* an empty list is ASFF with nothing in it */
    assert_string_equal(sniff_text("[]"), "asff");
    assert_string_equal(sniff_text("{\"Findings\":[]}"), "asff");
    /* the smallest shapes each format claims */
    assert_string_equal(sniff_text("{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"a\","
                                   "\"ProductArn\":\"b\"}"),
                        "asff");
    assert_string_equal(
        sniff_text("{\"detail-type\":\"Security Hub Findings - Custom Action\",\"detail\":{}}"),
        "asff");
    assert_string_equal(sniff_text("{\"arn\":\"a\",\"type\":\"b\",\"service\":{}}"), "guardduty");
    assert_string_equal(sniff_text("{\"class_uid\":2004,\"finding_info\":{}}"), "ocsf");
    assert_string_equal(sniff_text("{\"ArtifactName\":\"a\",\"Results\":[]}"), "trivy");
    assert_string_equal(sniff_text("{\"CheckID\":\"a\",\"Status\":\"PASS\",\"Provider\":\"aws\"}"),
                        "prowler");
}

/* ---- asff -------------------------------------------------------------------------------- */

/* Each document handed over is the input's finding, byte for byte once serialized. */
static void test_conv_asff_batch(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_asff_batch.json", "asff"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=1 id=(null) code=InvalidInput msg=asff: a finding must be a JSON "
                        "object, not int\n");
    assert_int_equal(c.s.n, 2);
    assert_int_equal(c.s.items[0], 0);
    assert_int_equal(c.s.items[1], 2);
    assert_int_equal(c.cv.item, 3);

    struct rp_buf in, want;
    struct rp_json_val root, el;
    fixture_load(&in, "conv_asff_batch.json");
    assert_int_equal(rp_json_parse(c.in, in.data, in.len, &root, NULL), RP_OK);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(rp_json_obj_get(root, "Findings", &el), RP_OK);
        assert_int_equal(rp_json_arr_at(el, k == 0 ? 0 : 2, &el), RP_OK);
        rp_buf_init(&want, 0);
        assert_int_equal(rp_json_serialize(el, &want), RP_OK);
        assert_string_equal(c.s.docs[k], rp_buf_cstr(&want));
        rp_buf_release(&want);
    }
    rp_buf_release(&in);
    CHECK(c.s.docs[0], "Id", "\"rampart-posture/3f0d4c2b1a0987654321fedcba012345\"");
    CHECK(c.s.docs[1], "ProductArn", "\"arn:aws:securityhub:us-east-1::product/aws/inspector\"");
    conv_release(&c);
}

static void test_conv_asff_shapes(void **state)
{
    (void)state;
    static const char finding[] =
        "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"f-1\",\"ProductArn\":\"arn:aws:securityhub:"
        "us-east-1:111122223333:product/111122223333/default\",\"GeneratorId\":\"g\","
        "\"AwsAccountId\":\"111122223333\",\"Types\":[\"TTPs\"],\"CreatedAt\":\"2024-01-01T00:"
        "00:00Z\",\"UpdatedAt\":\"2024-01-01T00:00:00Z\",\"Severity\":{\"Label\":\"LOW\"},"
        "\"Title\":\"t\",\"Description\":\"d\",\"Resources\":[{\"Type\":\"Other\",\"Id\":\"r\"}]}";
    char text[2048];
    /* each shape: what goes before the finding and what after */
    static const char *const shapes[][2] = {
        {"{\"Findings\":[", "],\"NextToken\":\"AAAA\"}"},
        {"[", "]"},
        {"", ""},
        {"{\"version\":\"0\",\"detail-type\":\"Security Hub Findings - Custom Action\","
         "\"source\":\"aws.securityhub\",\"detail\":{\"actionName\":\"send\",\"findings\":[",
         "]}}"},
    };
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        struct conv c;
        conv_init(&c, 0);
        snprintf(text, sizeof text, "%s%s%s", shapes[k][0], finding, shapes[k][1]);
        assert_int_equal(conv_text(&c, NULL, "asff", text), RP_OK);
        assert_string_equal(rp_buf_cstr(&c.s.errs), "");
        assert_int_equal(c.s.n, 1);
        assert_string_equal(c.s.docs[0], finding);
        conv_release(&c);
    }

    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_asff_event.json", "asff"), RP_OK);
    assert_int_equal(c.s.n, 1);
    CHECK(c.s.docs[0], "Id",
          "\"arn:aws:macie2:us-west-2:111122223333:finding/9f8e7d6c5b4a39281706f5e4d3c2b1a0\"");
    CHECK(c.s.docs[0], "Types", "[\"Sensitive Data Identifications/PII\"]");
    conv_release(&c);

    conv_init(&c, 0);
    assert_int_equal(conv_text(&c, "asff", "asff", "{\"Findings\":3}"), RP_EINVAL);
    assert_string_equal(c.eb.msg, "asff: the findings are not in an array");
    text[0] = '\0';
    snprintf(text, sizeof text,
             "{\"detail-type\":\"Security Hub Findings - Imported\",\"detail\":{\"x\":1}}");
    assert_int_equal(conv_text(&c, "asff", "asff", text), RP_EINVAL);
    assert_string_equal(c.eb.msg, "asff: event has no 'detail.findings'");
    assert_int_equal(conv_text(&c, "asff", "asff", "{\"a\":1}"), RP_EINVAL);
    assert_int_equal(c.cv.item, 0);
    conv_release(&c);
}

/* Prowler's ASFF output goes through untouched as ASFF. */
static void test_conv_asff_prowler(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_prowler_asff.json", "asff"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs), "");
    assert_int_equal(c.s.n, 2);
    CHECK(c.s.docs[0], "ProductArn", "\"arn:aws:securityhub:us-east-1::product/prowler/prowler\"");
    CHECK(c.s.docs[1], "Compliance.Status", "\"PASSED\"");
    conv_release(&c);
}

/* ---- guardduty --------------------------------------------------------------------------- */

static void test_conv_guardduty_findings(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_guardduty_findings.json", "guardduty"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=1 id=(null) code=ConversionFailed msg=guardduty: missing field "
                        "'Arn'\n");
    assert_int_equal(c.s.n, 3);
    assert_int_equal(c.s.items[0], 0);
    assert_int_equal(c.s.items[1], 2);
    assert_int_equal(c.s.items[2], 3);

    /* an instance probed on an open port */
    const char *d = c.s.docs[0];
    CHECK(d, "Id",
          "\"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/"
          "finding/0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01\"");
    CHECK(d, "ProductArn", "\"arn:aws:securityhub:us-east-1::product/aws/guardduty\"");
    CHECK(d, "GeneratorId",
          "\"arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0\"");
    CHECK(d, "AwsAccountId", "\"111122223333\"");
    CHECK(d, "Region", "\"us-east-1\"");
    CHECK(d, "CompanyName", "\"Amazon\"");
    CHECK(d, "ProductName", "\"GuardDuty\"");
    CHECK(d, "Types", "[\"TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort\"]");
    CHECK(d, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":50,\"Original\":\"5\"}");
    CHECK(d, "CreatedAt", "\"2024-03-04T10:15:30.120Z\"");
    CHECK(d, "UpdatedAt", "\"2024-03-04T10:15:30.120Z\"");
    CHECK(d, "FirstObservedAt", "\"2024-03-04T09:58:02.000Z\"");
    CHECK(d, "LastObservedAt", "\"2024-03-04T10:12:44.000Z\"");
    CHECK(d, "Resources[0]",
          "{\"Type\":\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:us-east-1:111122223333:instance/"
          "i-0a1b2c3d4e5f60718\",\"Partition\":\"aws\",\"Region\":\"us-east-1\",\"Tags\":{"
          "\"Name\":\"web-1\",\"env\":\"prod\"},\"Details\":{\"AwsEc2Instance\":{\"Type\":\"t3."
          "micro\",\"ImageId\":\"ami-0abcdef1234567890\",\"IpV4Addresses\":[\"10.0.1.25\","
          "\"203.0.113.10\"],\"IamInstanceProfileArn\":\"arn:aws:iam::111122223333:instance-"
          "profile/web-server\",\"VpcId\":\"vpc-0123456789abcdef0\",\"SubnetId\":\"subnet-"
          "0123456789abcdef0\",\"LaunchedAt\":\"2024-02-28T08:00:00.000Z\",\"NetworkInterfaces\":"
          "[{\"NetworkInterfaceId\":\"eni-0123456789abcdef0\"}]}}}");
    CHECK(d, "Resources[1]", "<none>");
    CHECK(d, "Network",
          "{\"Direction\":\"IN\",\"SourceIpV4\":\"198.51.100.7\",\"DestinationIpV4\":\"10.0.1.25\","
          "\"DestinationPort\":22}");
    CHECK(d, "Action",
          "{\"ActionType\":\"PORT_PROBE\",\"PortProbeAction\":{\"PortProbeDetails\":[{"
          "\"LocalPortDetails\":{\"Port\":22,\"PortName\":\"SSH\"},\"LocalIpDetails\":{"
          "\"IpAddressV4\":\"10.0.1.25\"},\"RemoteIpDetails\":{\"IpAddressV4\":\"198.51.100.7\","
          "\"Organization\":{\"Asn\":64500,\"AsnOrg\":\"EXAMPLE-AS\",\"Isp\":\"Example Hosting\","
          "\"Org\":\"Example Hosting\"},\"Country\":{\"CountryCode\":\"NL\",\"CountryName\":"
          "\"Netherlands\"},\"City\":{\"CityName\":\"Amsterdam\"},\"GeoLocation\":{\"Lon\":4.89,"
          "\"Lat\":52.37}}}],\"Blocked\":false}}");
    CHECK(d, "ProductFields.aws/guardduty/service/count", "\"14\"");
    CHECK(d, "ProductFields.aws/guardduty/service/archived", "\"false\"");
    CHECK(d, "ProductFields.aws/guardduty/service/action/actionType", "\"PORT_PROBE\"");
    CHECK(d,
          "ProductFields.aws/guardduty/service/action/portProbeAction/portProbeDetails/0/"
          "remoteIpDetails/organization/asn",
          "\"64500\"");
    CHECK(d, "ProductFields.aws/guardduty/service/additionalInfo/value",
          "\"{\\\"threatListName\\\":\\\"ExampleList\\\"}\"");
    CHECK(d, "RecordState", "\"ACTIVE\"");
    CHECK(d, "Sample", "false");
    CHECK(d, "SourceUrl",
          "\"https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/"
          "findings?macros=current&fId=0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01\"");

    /* instance credentials used outside AWS: archived, an override of the purpose's type */
    d = c.s.docs[1];
    CHECK(d, "Types",
          "[\"Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-"
          "InstanceCredentialExfiltration.OutsideAWS\"]");
    CHECK(d, "Severity", "{\"Label\":\"HIGH\",\"Normalized\":80,\"Original\":\"8\"}");
    CHECK(d, "CreatedAt", "\"2024-03-04T12:01:02.000Z\"");
    CHECK(d, "UpdatedAt", "\"2024-03-04T12:30:00.000Z\"");
    CHECK(d, "Resources",
          "[{\"Type\":\"AwsIamAccessKey\",\"Id\":\"AWS::IAM::AccessKey:ASIAIOSFODNN7EXAMPLE\","
          "\"Partition\":\"aws\",\"Region\":\"us-east-1\",\"Details\":{\"AwsIamAccessKey\":{"
          "\"PrincipalId\":\"AROAEXAMPLEROLE00001:i-0a1b2c3d4e5f60718\",\"PrincipalName\":\"web-"
          "server-role\",\"PrincipalType\":\"AssumedRole\"}}}]");
    CHECK(d, "Network", "<none>");
    CHECK(d, "Action",
          "{\"ActionType\":\"AWS_API_CALL\",\"AwsApiCallAction\":{\"Api\":\"ListBuckets\","
          "\"ServiceName\":\"s3.amazonaws.com\",\"CallerType\":\"Remote IP\",\"RemoteIpDetails\":{"
          "\"IpAddressV4\":\"192.0.2.55\",\"Organization\":{\"Asn\":64501,\"AsnOrg\":\"EXAMPLE-"
          "NET\",\"Isp\":\"Example ISP\",\"Org\":\"Example ISP\"},\"Country\":{\"CountryName\":"
          "\"United States\"}}}}");
    CHECK(d, "RecordState", "\"ARCHIVED\"");

    /* S3 block public access disabled: one resource per bucket, then the caller's key */
    d = c.s.docs[2];
    CHECK(d, "Types",
          "[\"Software and Configuration Checks/AWS Security Best Practices/Policy:S3-"
          "BucketBlockPublicAccessDisabled\"]");
    CHECK(d, "Severity", "{\"Label\":\"LOW\",\"Normalized\":25,\"Original\":\"2.5\"}");
    CHECK(d, "Resources[0]",
          "{\"Type\":\"AwsS3Bucket\",\"Id\":\"arn:aws:s3:::example-logs-bucket\",\"Partition\":"
          "\"aws\",\"Region\":\"us-east-1\",\"Tags\":{\"team\":\"platform\"},\"Details\":{"
          "\"AwsS3Bucket\":{\"OwnerId\":\"abcd1234ownerid\",\"CreatedAt\":\"2023-11-01T12:00:00."
          "000Z\"}}}");
    CHECK(d, "Resources[1].Type", "\"AwsIamAccessKey\"");
    CHECK(d, "Resources[1].Id", "\"AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE\"");
    CHECK(d, "RecordState", "\"ACTIVE\"");
    conv_release(&c);
}

/* The EventBridge event, in the export's camelCase, compared whole. */
static void test_conv_guardduty_event(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_guardduty_event.json", "guardduty"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs), "");
    assert_int_equal(c.s.n, 1);
    assert_string_equal(
        c.s.docs[0],
        "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"arn:aws:guardduty:eu-west-1:111122223333:"
        "detector/8cb4c0a1d2e3f4a5b6c7d8e9f0a1b2c3/finding/5ec4be9b71d1d4bbc9a1f3e2d0c8b7a6\","
        "\"ProductArn\":\"arn:aws:securityhub:eu-west-1::product/aws/guardduty\",\"GeneratorId\":"
        "\"arn:aws:guardduty:eu-west-1:111122223333:detector/8cb4c0a1d2e3f4a5b6c7d8e9f0a1b2c3\","
        "\"AwsAccountId\":\"111122223333\",\"Region\":\"eu-west-1\",\"CompanyName\":\"Amazon\","
        "\"ProductName\":\"GuardDuty\",\"Types\":[\"TTPs/Command and Control/Backdoor:EC2-C&"
        "CActivity.B!DNS\"],\"FirstObservedAt\":\"2024-03-05T07:01:00.000Z\",\"LastObservedAt\":"
        "\"2024-03-05T07:18:30.000Z\",\"CreatedAt\":\"2024-03-05T07:05:12.345Z\",\"UpdatedAt\":"
        "\"2024-03-05T07:19:58.001Z\",\"Severity\":{\"Label\":\"HIGH\",\"Normalized\":80,"
        "\"Original\":\"8\"},\"Title\":\"Command and Control server domain name queried by EC2 "
        "instance i-0fedcba9876543210.\",\"Description\":\"EC2 instance i-0fedcba9876543210 is "
        "querying a domain name associated with a known Command & Control server.\","
        "\"SourceUrl\":\"https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-"
        "1#/findings?macros=current&fId=5ec4be9b71d1d4bbc9a1f3e2d0c8b7a6\",\"ProductFields\":{"
        "\"aws/guardduty/service/serviceName\":\"guardduty\",\"aws/guardduty/service/"
        "detectorId\":\"8cb4c0a1d2e3f4a5b6c7d8e9f0a1b2c3\",\"aws/guardduty/service/"
        "resourceRole\":\"ACTOR\",\"aws/guardduty/service/eventFirstSeen\":\"2024-03-05T07:01:"
        "00.000Z\",\"aws/guardduty/service/eventLastSeen\":\"2024-03-05T07:18:30.000Z\","
        "\"aws/guardduty/service/archived\":\"false\",\"aws/guardduty/service/count\":\"2\","
        "\"aws/guardduty/service/action/actionType\":\"DNS_REQUEST\",\"aws/guardduty/service/"
        "action/dnsRequestAction/domain\":\"c2.example.net\",\"aws/guardduty/service/action/"
        "dnsRequestAction/protocol\":\"UDP\",\"aws/guardduty/service/action/dnsRequestAction/"
        "blocked\":\"false\",\"aws/guardduty/service/additionalInfo/sample\":\"true\"},"
        "\"Resources\":[{\"Type\":\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:eu-west-1:"
        "111122223333:instance/i-0fedcba9876543210\",\"Partition\":\"aws\",\"Region\":\"eu-west-"
        "1\",\"Details\":{\"AwsEc2Instance\":{\"Type\":\"m5.large\",\"IpV4Addresses\":[\"172.31."
        "5.9\"],\"VpcId\":\"vpc-0fedcba9876543210\",\"SubnetId\":\"subnet-0fedcba9876543210\","
        "\"NetworkInterfaces\":[{\"NetworkInterfaceId\":\"eni-0fedcba9876543210\"}]}}}],"
        "\"Network\":{\"Direction\":\"OUT\",\"Protocol\":\"UDP\",\"DestinationDomain\":\"c2."
        "example.net\"},\"Action\":{\"ActionType\":\"DNS_REQUEST\",\"DnsRequestAction\":{"
        "\"Domain\":\"c2.example.net\",\"Protocol\":\"UDP\",\"Blocked\":false}},\"RecordState\":"
        "\"ACTIVE\",\"Sample\":true}");
    conv_release(&c);
}

/* One finding built from parts; fields is spliced into a minimal GuardDuty finding. */
static void gd_one(struct conv *c, const char *fields)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"AccountId\":\"111122223333\",\"Region\":\"us-east-2\",\"CreatedAt\":\"2024-01-02T"
             "03:04:05Z\",\"Title\":\"t\",\"Description\":\"d\"%s%s}",
             fields[0] ? "," : "", fields);
    conv_init(c, 0);
    assert_int_equal(conv_text(c, "guardduty", "guardduty", text), RP_OK);
}

#define GD_ARN "\"Arn\":\"arn:aws:guardduty:us-east-2:111122223333:detector/d1/finding/f1\""
#define GD_SVC "\"Service\":{\"DetectorId\":\"d1\"}"
#define GD_RES                                                                                     \
    "\"Resource\":{\"ResourceType\":\"AccessKey\",\"AccessKeyDetails\":{\"AccessKeyId\":\"k1\"}}"
#define GD_BASE GD_ARN "," GD_SVC "," GD_RES

static void test_conv_guardduty_mapping(void **state)
{
    (void)state;
    struct conv c;

    /* the ARN is built from Id and DetectorId when it is missing; times fall back */
    gd_one(&c, "\"Id\":\"f9\",\"Type\":\"Recon:EC2/Portscan\",\"Severity\":9.5," GD_SVC "," GD_RES);
    assert_string_equal(rp_buf_cstr(&c.s.errs), "");
    CHECK(c.s.docs[0], "Id", "\"arn:aws:guardduty:us-east-2:111122223333:detector/d1/finding/f9\"");
    CHECK(c.s.docs[0], "Severity",
          "{\"Label\":\"CRITICAL\",\"Normalized\":95,\"Original\":"
          "\"9.5\"}");
    CHECK(c.s.docs[0], "UpdatedAt", "\"2024-01-02T03:04:05.000Z\"");
    CHECK(c.s.docs[0], "Resources[0].Id", "\"AWS::IAM::AccessKey:k1\"");
    CHECK(c.s.docs[0], "Resources[0].Details", "<none>");
    CHECK(c.s.docs[0], "RecordState", "\"ACTIVE\"");
    conv_release(&c);

    /* the types table: Behavior by resource, an unknown purpose, the DetectorId from the ARN */
    static const struct {
        const char *type, *types;
    } types[] = {
        {"Behavior:IAMUser/InstanceLaunchUnusual",
         "[\"Unusual Behaviors/User/Behavior:IAMUser-InstanceLaunchUnusual\"]"},
        {"Behavior:EC2/NetworkPortUnusual",
         "[\"Unusual Behaviors/VM/Behavior:EC2-NetworkPortUnusual\"]"},
        {"CryptoCurrency:EC2/BitcoinTool.B!DNS",
         "[\"Effects/Resource Consumption/CryptoCurrency:EC2-BitcoinTool.B!DNS\"]"},
        {"Stealth:IAMUser/CloudTrailLoggingDisabled",
         "[\"TTPs/Defense Evasion/Stealth:IAMUser-CloudTrailLoggingDisabled\"]"},
        {"Trojan:EC2/DNSDataExfiltration",
         "[\"Effects/Data Exfiltration/Trojan:EC2-DNSDataExfiltration\"]"},
        {"Exfiltration:S3/AnomalousBehavior",
         "[\"Effects/Data Exfiltration/Exfiltration:S3-AnomalousBehavior\"]"},
        {"Futuristic:EC2/Thing", "[\"Unusual Behaviors/Futuristic:EC2-Thing\"]"},
    };
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        char fields[512];
        snprintf(fields, sizeof fields,
                 "\"Type\":\"%s\",\"Severity\":0," GD_ARN ",\"Service\":{}," GD_RES, types[k].type);
        gd_one(&c, fields);
        assert_string_equal(rp_buf_cstr(&c.s.errs), "");
        CHECK(c.s.docs[0], "Types", types[k].types);
        CHECK(c.s.docs[0], "GeneratorId",
              "\"arn:aws:guardduty:us-east-2:111122223333:detector/"
              "d1\"");
        CHECK(c.s.docs[0], "Severity",
              "{\"Label\":\"INFORMATIONAL\",\"Normalized\":0,\"Original\":\"0\"}");
        conv_release(&c);
    }

    /* outbound connection to an IPv6 host; sample flag inside AdditionalInfo.Value */
    gd_one(&c, "\"Type\":\"UnauthorizedAccess:EC2/TorClient\",\"Severity\":\"3.9\"," GD_ARN
               "," GD_RES ",\"Service\":{\"DetectorId\":\"d1\",\"AdditionalInfo\":{\"Value\":"
               "\"{\\\"sample\\\":true}\",\"Type\":\"default\"},\"Action\":{\"ActionType\":"
               "\"NETWORK_CONNECTION\",\"NetworkConnectionAction\":{\"ConnectionDirection\":"
               "\"OUTBOUND\",\"Protocol\":\"TCP\",\"Blocked\":false,\"LocalIpDetails\":{"
               "\"IpAddressV4\":\"10.1.2.3\"},\"LocalPortDetails\":{\"Port\":41522},"
               "\"RemoteIpDetails\":{\"IpAddressV6\":\"2001:db8::9\"},\"RemotePortDetails\":{"
               "\"Port\":9001,\"PortName\":\"Unknown\"}}}}");
    assert_string_equal(rp_buf_cstr(&c.s.errs), "");
    CHECK(c.s.docs[0], "Severity", "{\"Label\":\"LOW\",\"Normalized\":39,\"Original\":\"3.9\"}");
    CHECK(c.s.docs[0], "Types", "[\"TTPs/Initial Access/UnauthorizedAccess:EC2-TorClient\"]");
    CHECK(c.s.docs[0], "Network",
          "{\"Direction\":\"OUT\",\"Protocol\":\"TCP\",\"SourceIpV4\":\"10.1.2.3\","
          "\"SourcePort\":41522,\"DestinationIpV6\":\"2001:db8::9\",\"DestinationPort\":9001}");
    CHECK(c.s.docs[0], "Action",
          "{\"ActionType\":\"NETWORK_CONNECTION\",\"NetworkConnectionAction\":{"
          "\"ConnectionDirection\":\"OUTBOUND\",\"RemotePortDetails\":{\"Port\":9001,"
          "\"PortName\":\"Unknown\"},\"LocalPortDetails\":{\"Port\":41522},\"Protocol\":\"TCP\","
          "\"Blocked\":false}}");
    CHECK(c.s.docs[0], "Sample", "true");
    conv_release(&c);

    /* resource types by table, and one ASFF has no type for */
    gd_one(&c, "\"Type\":\"Execution:Runtime/NewBinaryExecuted\",\"Severity\":5," GD_ARN "," GD_SVC
               ",\"Resource\":{\"ResourceType\":\"Container\",\"ContainerDetails\":{"
               "\"Id\":\"c0ffee\",\"Name\":\"web\",\"Image\":\"nginx:1.25\",\"SecurityContext\":{"
               "\"Privileged\":true}}}");
    CHECK(c.s.docs[0], "Resources[0]",
          "{\"Type\":\"Container\",\"Id\":\"c0ffee\",\"Partition\":\"aws\",\"Region\":\"us-east-"
          "2\",\"Details\":{\"Container\":{\"Name\":\"web\",\"ImageName\":\"nginx:1.25\","
          "\"Privileged\":true}}}");
    conv_release(&c);
    gd_one(&c, "\"Type\":\"Discovery:Kubernetes/SuccessfulAnonymousAccess\",\"Severity\":5," GD_ARN
               "," GD_SVC ",\"Resource\":{\"ResourceType\":\"EKSCluster\",\"EksClusterDetails\":{"
               "\"Name\":\"prod\",\"Arn\":\"arn:aws:eks:us-east-2:111122223333:cluster/prod\","
               "\"Status\":\"ACTIVE\",\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]}}");
    CHECK(c.s.docs[0], "Resources[0]",
          "{\"Type\":\"AwsEksCluster\",\"Id\":\"arn:aws:eks:us-east-2:111122223333:cluster/"
          "prod\",\"Partition\":\"aws\",\"Region\":\"us-east-2\",\"Tags\":{\"env\":\"prod\"},"
          "\"Details\":{\"AwsEksCluster\":{\"Name\":\"prod\",\"Arn\":\"arn:aws:eks:us-east-2:"
          "111122223333:cluster/prod\",\"ClusterStatus\":\"ACTIVE\"}}}");
    conv_release(&c);
    gd_one(&c, "\"Type\":\"Impact:EC2/Thing\",\"Severity\":5," GD_ARN "," GD_SVC
               ",\"Resource\":{\"ResourceType\":\"KubernetesNode\"}");
    CHECK(c.s.docs[0], "Resources[0]",
          "{\"Type\":\"Other\",\"Id\":\"arn:aws:guardduty:us-east-2:111122223333:detector/d1/"
          "finding/f1\",\"Partition\":\"aws\",\"Region\":\"us-east-2\",\"Details\":{\"Other\":{"
          "\"ResourceType\":\"KubernetesNode\"}}}");
    conv_release(&c);
}

static void test_conv_guardduty_errors(void **state)
{
    (void)state;
    static const struct {
        const char *fields, *err;
    } cases[] = {
        {"\"Severity\":5," GD_BASE, "msg=guardduty: missing field 'Type'"},
        {"\"Type\":\"Recon:EC2/Portscan\"," GD_BASE, "msg=guardduty: missing field 'Severity'"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":11," GD_BASE,
         "msg=guardduty: 'Severity' must be a number from 0 to 10"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":\"high\"," GD_BASE,
         "msg=guardduty: 'Severity' must be a number from 0 to 10"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":5," GD_ARN "," GD_SVC,
         "msg=guardduty: missing field 'Resource.ResourceType'"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":5," GD_ARN "," GD_SVC
         ",\"Resource\":{\"ResourceType\":\"Instance\",\"InstanceDetails\":{}}",
         "msg=guardduty: missing field 'Resource.InstanceDetails.InstanceId'"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":5," GD_ARN "," GD_SVC
         ",\"Resource\":{\"ResourceType\":\"S3Bucket\",\"S3BucketDetails\":[{}]}",
         "msg=guardduty: missing field 'Resource.S3BucketDetails'"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":5,\"UpdatedAt\":\"yesterday\"," GD_BASE,
         "msg=guardduty: 'UpdatedAt' is not a valid time"},
        {"\"Type\":\"Recon:EC2/Portscan\",\"Severity\":5,\"Arn\":\"arn:aws:guardduty:x\"," GD_RES,
         "msg=guardduty: missing field 'Service.DetectorId'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct conv c;
        char want[256];
        gd_one(&c, cases[k].fields);
        assert_int_equal(c.s.n, 0);
        const char *id = strstr(cases[k].fields, "arn:aws:guardduty:x")
                             ? "arn:aws:guardduty:x"
                             : "arn:aws:guardduty:us-east-2:111122223333:detector/d1/finding/f1";
        snprintf(want, sizeof want, "item=0 id=%s code=ConversionFailed %s\n", id, cases[k].err);
        assert_string_equal(rp_buf_cstr(&c.s.errs), want);
        assert_int_equal(c.cv.item, 1);
        conv_release(&c);
    }

    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_text(&c, "guardduty", "guardduty", "[\"x\",{\"Arn\":\"a\"}]"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=0 id=(null) code=InvalidInput msg=guardduty: a finding must be a "
                        "JSON object, not string\n"
                        "item=1 id=a code=ConversionFailed msg=guardduty: missing field "
                        "'Service.DetectorId'\n");
    assert_int_equal(conv_text(&c, "guardduty", "guardduty", "{\"x\":1}"), RP_EINVAL);
    assert_string_equal(c.eb.msg, "guardduty: not a GuardDuty document (no 'Findings', 'Arn' or "
                                  "'Type')");
    conv_release(&c);
}

/* ---- ocsf -------------------------------------------------------------------------------- */

static void test_conv_ocsf_findings(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_ocsf_findings.json", "ocsf"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=2 id=(null) code=ConversionFailed msg=ocsf: missing field "
                        "'finding_info.uid'\n");
    assert_int_equal(c.s.n, 3);

    /* 1.1 Vulnerability Finding from a third-party product */
    const char *d = c.s.docs[0];
    CHECK(d, "Id", "\"acme-vuln-7f3a\"");
    CHECK(d, "ProductArn",
          "\"arn:aws:securityhub:us-west-2:111122223333:product/111122223333/default\"");
    CHECK(d, "GeneratorId", "\"acme.rule.package-cve\"");
    CHECK(d, "AwsAccountId", "\"111122223333\"");
    CHECK(d, "Region", "\"us-west-2\"");
    CHECK(d, "CompanyName", "\"Acme\"");
    CHECK(d, "ProductName", "\"Acme Scanner\"");
    CHECK(d, "Types", "[\"Software and Configuration Checks/Vulnerabilities/CVE\"]");
    CHECK(d, "Severity", "{\"Label\":\"HIGH\",\"Normalized\":70,\"Original\":\"High\"}");
    CHECK(d, "CreatedAt", "\"2024-03-04T10:00:00.000Z\"");
    CHECK(d, "UpdatedAt", "\"2024-03-04T11:00:00.000Z\"");
    CHECK(d, "FirstObservedAt", "\"2024-03-04T09:00:00.000Z\"");
    CHECK(d, "LastObservedAt", "<none>");
    CHECK(d, "Resources",
          "[{\"Type\":\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:us-west-2:111122223333:instance/"
          "i-0abc1234def567890\",\"Partition\":\"aws\",\"Region\":\"us-west-2\",\"Tags\":{"
          "\"env\":\"prod\",\"team\":\"core\"}}]");
    CHECK(d, "Vulnerabilities",
          "[{\"Id\":\"CVE-2023-44487\",\"VulnerablePackages\":[{\"Name\":\"nghttp2\",\"Version\":"
          "\"1.51.0\",\"PackageManager\":\"OS\",\"FixedInVersion\":\"1.57.0\",\"Remediation\":"
          "\"Upgrade nghttp2 to 1.57.0\"}],\"Cvss\":[{\"Version\":\"3.1\",\"BaseScore\":7.5,"
          "\"BaseVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\",\"Source\":\"NVD\"}],"
          "\"ReferenceUrls\":[\"https://nvd.nist.gov/vuln/detail/CVE-2023-44487\"],"
          "\"FixAvailable\":\"YES\",\"ExploitAvailable\":\"YES\",\"EpssScore\":0.81,\"Vendor\":{"
          "\"Name\":\"NVD\",\"VendorSeverity\":\"High\"}}]");
    CHECK(d, "ProductFields",
          "{\"ocsf/version\":\"1.1.0\",\"acme/scanner/policy\":\"default\",\"ocsf/unmapped/"
          "scanner_run\":\"r-42\"}");
    CHECK(d, "Compliance", "<none>");
    CHECK(d, "Workflow", "{\"Status\":\"NEW\"}");
    CHECK(d, "RecordState", "\"ACTIVE\"");

    /* 1.1 Compliance Finding as Security Hub's own OCSF mapping writes it */
    d = c.s.docs[1];
    CHECK(d, "Id",
          "\"arn:aws:securityhub:us-east-2:111122223333:security-control/Config.1/finding/"
          "2b6f0c1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e\"");
    CHECK(d, "ProductArn", "\"arn:aws:securityhub:us-east-2::product/aws/securityhub\"");
    CHECK(d, "GeneratorId", "\"security-control/Config.1\"");
    CHECK(d, "Types",
          "[\"Software and Configuration Checks/Industry and Regulatory Standards/PCI-"
          "DSS\"]");
    CHECK(d, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":40,\"Original\":\"Medium\"}");
    CHECK(d, "CreatedAt", "\"2024-01-13T20:08:44.967Z\"");
    CHECK(d, "UpdatedAt", "\"2024-03-01T19:11:53.060Z\"");
    CHECK(d, "Resources",
          "[{\"Type\":\"AwsAccount\",\"Id\":\"AWS::::Account:111122223333\",\"Partition\":"
          "\"aws\",\"Region\":\"us-east-2\"}]");
    CHECK(d, "Compliance",
          "{\"Status\":\"FAILED\",\"SecurityControlId\":\"Config.1\",\"RelatedRequirements\":["
          "\"PCI DSS 10.5.2\",\"PCI DSS 11.5\"],\"AssociatedStandards\":[{\"StandardsId\":"
          "\"standards/pci-dss/v/3.2.1\"}]}");
    CHECK(d, "Remediation",
          "{\"Recommendation\":{\"Text\":\"For information on how to correct this issue, consult "
          "the AWS Security Hub controls documentation.\",\"Url\":\"https://docs.aws.amazon.com/"
          "console/securityhub/Config.1/remediation\"}}");
    CHECK(d, "Workflow", "{\"Status\":\"NOTIFIED\"}");

    /* 1.0 Security Finding: "finding", state_id, account_uid, no region anywhere */
    d = c.s.docs[2];
    assert_int_equal(c.s.items[2], 3);
    CHECK(d, "Id", "\"ids-1001\"");
    CHECK(d, "ProductArn",
          "\"arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default\"");
    CHECK(d, "GeneratorId", "\"Legacy IDS\"");
    CHECK(d, "AwsAccountId", "\"444455556666\"");
    CHECK(d, "Region", "\"us-east-1\"");
    CHECK(d, "Types", "[\"Unusual Behaviors\"]");
    CHECK(d, "Severity", "{\"Label\":\"CRITICAL\",\"Normalized\":90,\"Original\":\"Critical\"}");
    CHECK(d, "CreatedAt", "\"2024-01-01T10:00:00.000Z\"");
    CHECK(d, "UpdatedAt", "\"2024-01-01T11:00:00.000Z\"");
    CHECK(d, "Resources",
          "[{\"Type\":\"Host\",\"Id\":\"host-17\",\"Partition\":\"aws\",\"Region\":\"us-east-"
          "1\"}]");
    CHECK(d, "ProductFields", "{\"ocsf/version\":\"1.0.0\",\"ocsf/types\":\"Command & Control\"}");
    CHECK(d, "Workflow", "{\"Status\":\"RESOLVED\"}");
    conv_release(&c);
}

/* Prowler's OCSF output: Detection Findings with status_code and unmapped.compliance. */
static void test_conv_ocsf_prowler(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_ocsf_prowler.json", "ocsf"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs), "");
    assert_int_equal(c.s.n, 2);
    const char *d = c.s.docs[0];
    CHECK(d, "Id",
          "\"prowler-aws-s3_bucket_default_encryption-111122223333-us-east-1-example-logs-"
          "bucket\"");
    CHECK(d, "ProductArn", "\"arn:aws:securityhub:us-east-1::product/prowler/prowler\"");
    CHECK(d, "GeneratorId", "\"prowler-s3_bucket_default_encryption\"");
    CHECK(d, "Types", "[\"Software and Configuration Checks\"]");
    CHECK(d, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":40,\"Original\":\"Medium\"}");
    /* epoch seconds, as Prowler writes them */
    CHECK(d, "CreatedAt", "\"2024-05-16T14:07:33.000Z\"");
    CHECK(d, "UpdatedAt", "\"2024-05-16T14:07:33.000Z\"");
    CHECK(d, "Description",
          "\"S3 Bucket example-logs-bucket has Server Side Encryption disabled.\"");
    CHECK(d, "Resources[0].Type", "\"AwsS3Bucket\"");
    CHECK(d, "Resources[0].Id", "\"arn:aws:s3:::example-logs-bucket\"");
    CHECK(d, "Resources[0].Details", "<none>");
    CHECK(d, "Compliance",
          "{\"Status\":\"FAILED\",\"RelatedRequirements\":[\"CIS-1.4 2.1.1\",\"AWS-Foundational-"
          "Security-Best-Practices S3.4\"]}");
    CHECK(d, "Remediation.Recommendation.Url",
          "\"https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption."
          "html\"");
    CHECK(d, "ProductFields.ocsf/types", "\"Data Protection\"");
    CHECK(d, "ProductFields.ocsf/unmapped/categories/0", "\"encryption\"");
    d = c.s.docs[1];
    CHECK(d, "Types",
          "[\"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS "
          "Foundations Benchmark\"]");
    CHECK(d, "Severity", "{\"Label\":\"CRITICAL\",\"Normalized\":90,\"Original\":\"Critical\"}");
    CHECK(d, "Compliance", "{\"Status\":\"PASSED\",\"RelatedRequirements\":[\"CIS-1.4 1.5\"]}");
    CHECK(d, "CreatedAt", "\"2024-05-16T14:07:40.000Z\"");
    conv_release(&c);
}

/* JSON Lines: one document a line, the item count running across lines; the import's own
 * account and region fill in; Details come from a resource's data; non-finding classes and
 * archived statuses. */
static void test_conv_ocsf_lines(void **state)
{
    (void)state;
    static const char text[] =
        "{\"class_uid\":2004,\"finding_info\":{\"uid\":\"d-1\",\"title\":\"Port scan\","
        "\"created_time_dt\":\"2024-02-02T02:02:02Z\",\"last_seen_time\":1706839322000,"
        "\"types\":[\"TTPs/Discovery\",\"recon\"]},\"metadata\":{\"product\":{\"name\":\"NetMon\"}"
        "},\"severity_id\":99,\"severity\":\"Moderate\",\"status_id\":5,\"resources\":[{\"type\":"
        "\"AwsIamAccessKey\",\"uid\":\"AWS::IAM::AccessKey:k2\",\"data\":\"{\\\"AwsIamAccessKey\\\""
        ":{\\\"PrincipalName\\\":\\\"bob\\\"}}\",\"tags\":[{\"name\":\"owner\",\"value\":\"sec\"}]}"
        "]}\n"
        "\n"
        "{\"class_uid\":3005,\"finding_info\":{\"uid\":\"x\"}}\n"
        "{\"class_uid\":2003,\"finding_info\":{\"uid\":\"c-1\",\"title\":\"Check\"},\"metadata\":"
        "{\"product\":{\"name\":\"Checker\"}},\"compliance\":{\"status_id\":2},\"time_dt\":"
        "\"2024-02-03T00:00:00Z\"}\n"
        "{\"class_uid\":2002,\"finding_info\":{\"uid\":\"v-1\",\"title\":\"Vuln\"},\"metadata\":"
        "{}}\n"
        "[7]\n";
    struct conv c;
    struct rp_json_lines jl;
    struct rp_json_val root;
    conv_init(&c, 0);
    rp_json_lines_init(&jl, text, sizeof text - 1, false);
    const struct rp_hub_format *f = rp_hub_format_find("ocsf");
    while (rp_json_lines_next(&jl, c.in, &root, NULL) == RP_OK)
        assert_int_equal(f->convert(&c.cv, root, &c.eb), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&c.s.errs),
        "item=1 id=(null) code=ConversionFailed msg=ocsf: 'class_uid' is not a finding class "
        "(2001 to 2007)\n"
        "item=3 id=v-1 code=ConversionFailed msg=ocsf: missing field 'finding_info.analytic.uid'\n"
        "item=4 id=(null) code=InvalidInput msg=ocsf: a finding must be a JSON object, not int\n");
    assert_int_equal(c.s.n, 2);
    assert_int_equal(c.cv.item, 5);
    const char *d = c.s.docs[0];
    CHECK(d, "ProductArn",
          "\"arn:aws:securityhub:us-east-1:000000000000:product/000000000000/default\"");
    CHECK(d, "AwsAccountId", "\"000000000000\"");
    CHECK(d, "Region", "\"us-east-1\"");
    CHECK(d, "GeneratorId", "\"NetMon\"");
    CHECK(d, "Types", "[\"TTPs/Discovery\"]");
    CHECK(d, "ProductFields", "{\"ocsf/types\":\"recon\"}");
    CHECK(d, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":40,\"Original\":\"Moderate\"}");
    CHECK(d, "CreatedAt", "\"2024-02-02T02:02:02.000Z\"");
    CHECK(d, "UpdatedAt", "\"2024-02-02T02:02:02.000Z\"");
    CHECK(d, "LastObservedAt", "\"2024-02-02T02:02:02.000Z\"");
    CHECK(d, "Resources",
          "[{\"Type\":\"AwsIamAccessKey\",\"Id\":\"AWS::IAM::AccessKey:k2\",\"Partition\":"
          "\"aws\",\"Region\":\"us-east-1\",\"Tags\":{\"owner\":\"sec\"},\"Details\":{"
          "\"AwsIamAccessKey\":{\"PrincipalName\":\"bob\"}}}]");
    CHECK(d, "Workflow", "<none>");
    CHECK(d, "RecordState", "\"ARCHIVED\"");
    d = c.s.docs[1];
    CHECK(d, "Types", "[\"Software and Configuration Checks/Industry and Regulatory Standards\"]");
    CHECK(d, "Severity", "{\"Label\":\"INFORMATIONAL\",\"Normalized\":0}");
    CHECK(d, "Compliance", "{\"Status\":\"WARNING\"}");
    CHECK(d, "CreatedAt", "\"2024-02-03T00:00:00.000Z\"");
    CHECK(d, "Description", "\"Check\"");
    CHECK(d, "Resources",
          "[{\"Type\":\"AwsAccount\",\"Id\":\"AWS::::Account:000000000000\",\"Partition\":"
          "\"aws\",\"Region\":\"us-east-1\"}]");
    conv_release(&c);
}

/* ---- trivy ------------------------------------------------------------------------------- */

static void test_conv_trivy_report(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_trivy_report.json", "trivy"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=1 id=(null) code=ConversionFailed msg=trivy: missing field "
                        "'VulnerabilityID'\n");
    assert_int_equal(c.s.n, 3);
    static const char resource[] =
        "[{\"Type\":\"Container\",\"Id\":\"registry.example.com/shop/web:1.4.2\",\"Partition\":"
        "\"aws\",\"Region\":\"us-east-1\",\"Details\":{\"Container\":{\"ImageName\":\"registry."
        "example.com/shop/web:1.4.2\",\"ImageId\":\"sha256:4f1ad5c0a9e8d7c6b5a4f3e2d1c0b9a8f7e6"
        "d5c4b3a2f1e0d9c8b7a6f5e4d3c2\"}}}]";
    for (size_t k = 0; k < 3; k++) {
        CHECK(c.s.docs[k], "ProductArn",
              "\"arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity\"");
        CHECK(c.s.docs[k], "AwsAccountId", "\"000000000000\"");
        CHECK(c.s.docs[k], "CreatedAt", "\"2024-04-02T11:22:33.123Z\"");
        CHECK(c.s.docs[k], "UpdatedAt", "\"2024-04-02T11:22:33.123Z\"");
        CHECK(c.s.docs[k], "Resources", resource);
        /* the secret itself never reaches a finding */
        assert_null(strstr(c.s.docs[k], "fixture-not-a-real-secret"));
    }

    const char *d = c.s.docs[0];
    CHECK(d, "Id",
          "\"registry.example.com/shop/web:1.4.2/registry.example.com/shop/web:1.4.2 (alpine "
          "3.18.4)/CVE-2023-5363/libcrypto3/3.1.3-r0\"");
    CHECK(d, "GeneratorId", "\"Trivy/CVE-2023-5363\"");
    CHECK(d, "Types", "[\"Software and Configuration Checks/Vulnerabilities/CVE\"]");
    CHECK(d, "Severity", "{\"Label\":\"HIGH\",\"Normalized\":70,\"Original\":\"HIGH\"}");
    CHECK(d, "Title", "\"CVE-2023-5363 - libcrypto3\"");
    CHECK(d, "Remediation",
          "{\"Recommendation\":{\"Text\":\"Upgrade libcrypto3 to 3.1.4-r0\",\"Url\":\"https://"
          "avd.aquasec.com/nvd/cve-2023-5363\"}}");
    CHECK(d, "Vulnerabilities",
          "[{\"Id\":\"CVE-2023-5363\",\"VulnerablePackages\":[{\"Name\":\"libcrypto3\","
          "\"Version\":\"3.1.3-r0\",\"FixedInVersion\":\"3.1.4-r0\",\"PackageManager\":\"OS\"}],"
          "\"Cvss\":[{\"Version\":\"3.1\",\"BaseScore\":7.5,\"BaseVector\":\"CVSS:3.1/AV:N/AC:L/"
          "PR:N/UI:N/S:U/C:H/I:N/A:N\",\"Source\":\"nvd\"},{\"Version\":\"3.1\",\"BaseScore\":"
          "5.9,\"BaseVector\":\"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N\",\"Source\":"
          "\"redhat\"}],\"ReferenceUrls\":[\"https://www.openssl.org/news/secadv/20231024.txt\","
          "\"https://nvd.nist.gov/vuln/detail/CVE-2023-5363\"],\"FixAvailable\":\"YES\","
          "\"Vendor\":{\"Name\":\"Alpine Secdb\",\"Url\":\"https://avd.aquasec.com/nvd/cve-2023-"
          "5363\",\"VendorSeverity\":\"HIGH\",\"VendorCreatedAt\":\"2023-10-25T18:17:43.613Z\","
          "\"VendorUpdatedAt\":\"2023-11-07T04:24:00.400Z\"}}]");
    CHECK(d, "ProductFields.aquasecurity/trivy/PkgID", "\"libcrypto3@3.1.3-r0\"");

    d = c.s.docs[1];
    assert_int_equal(c.s.items[1], 2);
    CHECK(d, "Id", "\"registry.example.com/shop/web:1.4.2/Dockerfile/DS002\"");
    CHECK(d, "GeneratorId", "\"Trivy/DS002\"");
    CHECK(d, "Types", "[\"Software and Configuration Checks\"]");
    CHECK(d, "Title", "\"DS002: Image user should not be 'root'\"");
    CHECK(d, "Description",
          "\"Specify at least 1 USER command in Dockerfile with non-root user as argument\"");
    CHECK(d, "Compliance", "{\"Status\":\"FAILED\"}");
    CHECK(d, "ProductFields",
          "{\"aquasecurity/trivy/Target\":\"Dockerfile\",\"aquasecurity/trivy/Class\":"
          "\"config\",\"aquasecurity/trivy/Type\":\"dockerfile\",\"aquasecurity/trivy/AVDID\":"
          "\"AVD-DS-0002\",\"aquasecurity/trivy/CheckType\":\"Dockerfile Security Check\","
          "\"aquasecurity/trivy/Namespace\":\"builtin.dockerfile.DS002\"}");

    d = c.s.docs[2];
    CHECK(d, "Id",
          "\"registry.example.com/shop/web:1.4.2//app/config/.env/aws-secret-access-"
          "key/3\"");
    CHECK(d, "GeneratorId", "\"Trivy/aws-secret-access-key\"");
    CHECK(d, "Types", "[\"Sensitive Data Identifications/Passwords\"]");
    CHECK(d, "Severity", "{\"Label\":\"CRITICAL\",\"Normalized\":90,\"Original\":\"CRITICAL\"}");
    CHECK(d, "Title", "\"Secret (AWS Secret Access Key) in /app/config/.env\"");
    CHECK(d, "Description",
          "\"Trivy found a secret matching rule 'aws-secret-access-key' (AWS) in /app/config/"
          ".env, lines 3-3. The matched text is not copied into this finding.\"");
    CHECK(d, "ProductFields.aquasecurity/trivy/StartLine", "\"3\"");
    conv_release(&c);
}

static void test_conv_trivy_other(void **state)
{
    (void)state;
    static const char text[] =
        "{\"SchemaVersion\":2,\"ArtifactName\":\"shop-api\",\"ArtifactType\":\"filesystem\","
        "\"Results\":[\"junk\",{\"Target\":\"package-lock.json\",\"Class\":\"lang-pkgs\","
        "\"Type\":\"npm\",\"Vulnerabilities\":[{\"VulnerabilityID\":\"GHSA-c2qf-rxjj-qqgw\","
        "\"PkgName\":\"semver\",\"InstalledVersion\":\"7.5.1\",\"Severity\":\"UNKNOWN\","
        "\"CVSS\":{\"ghsa\":{\"V2Score\":5,\"V2Vector\":\"AV:N/AC:L/Au:N/C:N/I:N/A:P\"}}},7]},"
        "{\"Target\":\"main.tf\",\"Class\":\"config\",\"Type\":\"terraform\","
        "\"Misconfigurations\":[{\"ID\":\"AVD-AWS-0086\",\"Status\":\"PASS\",\"Severity\":\"LOW\","
        "\"CauseMetadata\":{\"Resource\":\"aws_s3_bucket.logs\"}},{\"AVDID\":\"AVD-AWS-0088\","
        "\"Status\":\"EXCEPTION\"}]},{\"Class\":\"secret\",\"Secrets\":[{\"RuleID\":\"r\"}]}]}";
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_text(&c, NULL, "trivy", text), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=0 id=(null) code=InvalidInput msg=trivy: a result must be a JSON "
                        "object, not string\n"
                        "item=2 id=(null) code=InvalidInput msg=trivy: a vulnerability must be a "
                        "JSON object, not int\n"
                        "item=5 id=(null) code=ConversionFailed msg=trivy: missing field "
                        "'Results[].Target'\n");
    assert_int_equal(c.s.n, 3);
    const char *d = c.s.docs[0];
    CHECK(d, "Id", "\"shop-api/package-lock.json/GHSA-c2qf-rxjj-qqgw/semver/7.5.1\"");
    CHECK(d, "CreatedAt", NOW_ISO);
    CHECK(d, "UpdatedAt", NOW_ISO);
    CHECK(d, "Severity", "{\"Label\":\"INFORMATIONAL\",\"Normalized\":0,\"Original\":\"UNKNOWN\"}");
    CHECK(d, "Description", "\"GHSA-c2qf-rxjj-qqgw in semver 7.5.1\"");
    CHECK(d, "Remediation", "<none>");
    CHECK(d, "Resources",
          "[{\"Type\":\"Other\",\"Id\":\"shop-api\",\"Partition\":\"aws\",\"Region\":\"us-east-"
          "1\",\"Details\":{\"Other\":{\"ArtifactType\":\"filesystem\",\"Target\":\"package-lock."
          "json\"}}}]");
    CHECK(d, "Vulnerabilities",
          "[{\"Id\":\"GHSA-c2qf-rxjj-qqgw\",\"VulnerablePackages\":[{\"Name\":\"semver\","
          "\"Version\":\"7.5.1\",\"PackageManager\":\"NPM\"}],\"Cvss\":[{\"Version\":\"2.0\","
          "\"BaseScore\":5.0,\"BaseVector\":\"AV:N/AC:L/Au:N/C:N/I:N/A:P\",\"Source\":\"ghsa\"}],"
          "\"FixAvailable\":\"NO\",\"Vendor\":{\"Name\":\"Trivy\",\"VendorSeverity\":\"UNKNOWN\"}}"
          "]");
    CHECK(c.s.docs[1], "Id", "\"shop-api/main.tf/AVD-AWS-0086/aws_s3_bucket.logs\"");
    CHECK(c.s.docs[1], "Compliance", "{\"Status\":\"PASSED\"}");
    CHECK(c.s.docs[1], "Title", "\"AVD-AWS-0086\"");
    CHECK(c.s.docs[2], "Id", "\"shop-api/main.tf/AVD-AWS-0088\"");
    CHECK(c.s.docs[2], "Compliance", "{\"Status\":\"NOT_AVAILABLE\"}");
    CHECK(c.s.docs[2], "Severity", "{\"Label\":\"INFORMATIONAL\",\"Normalized\":0}");
    conv_release(&c);

    /* no ArtifactName: every item is reported, none converted */
    conv_init(&c, 0);
    static const char noname[] =
        "{\"SchemaVersion\":2,\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[{"
        "\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"p\"}]}]}";
    assert_int_equal(conv_text(&c, "trivy", "trivy", noname), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs), "item=0 id=(null) code=ConversionFailed "
                                                "msg=trivy: missing field 'ArtifactName'\n");
    assert_int_equal(conv_text(&c, "trivy", "trivy", "{\"Results\":{}}"), RP_EINVAL);
    assert_string_equal(c.eb.msg, "trivy: not a Trivy report (no 'Results' array)");
    conv_release(&c);

    /* package managers from Class and Type */
    static const struct {
        const char *klass, *type, *want;
    } pms[] = {
        {"os-pkgs", "debian", "\"OS\""},
        {"lang-pkgs", "python-pkg", "\"PYTHONPKG\""},
        {"lang-pkgs", "gomod", "\"GOMOD\""},
        {"lang-pkgs", "dotnet-core", "\"DOTNET_CORE\""},
        {"lang-pkgs", "conda-pkg", "\"CONDA_PKG\""},
        {"lang-pkgs", "", "<none>"},
    };
    for (size_t k = 0; k < sizeof pms / sizeof pms[0]; k++) {
        char t[512];
        snprintf(t, sizeof t,
                 "{\"ArtifactName\":\"a\",\"Results\":[{\"Target\":\"t\",\"Class\":\"%s\","
                 "\"Type\":\"%s\",\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-1\","
                 "\"PkgName\":\"p\",\"InstalledVersion\":\"1\"}]}]}",
                 pms[k].klass, pms[k].type);
        conv_init(&c, 0);
        assert_int_equal(conv_text(&c, NULL, "trivy", t), RP_OK);
        assert_int_equal(c.s.n, 1);
        CHECK(c.s.docs[0], "Vulnerabilities[0].VulnerablePackages[0].PackageManager", pms[k].want);
        conv_release(&c);
    }
}

/* ---- prowler ----------------------------------------------------------------------------- */

static void test_conv_prowler_legacy(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_fixture(&c, "conv_prowler_legacy.json", "prowler"), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=2 id=(null) code=ConversionFailed msg=prowler: missing field "
                        "'ResourceId'\n");
    assert_int_equal(c.s.n, 2);
    const char *d = c.s.docs[0];
    /* the hash is XXH3-64 of "<root_account>" */
    CHECK(d, "Id", "\"prowler-iam_root_mfa_enabled-111122223333-us-east-1-93bf89a8597a629d\"");
    CHECK(d, "ProductArn", "\"arn:aws:securityhub:us-east-1::product/prowler/prowler\"");
    CHECK(d, "GeneratorId", "\"prowler-iam_root_mfa_enabled\"");
    CHECK(d, "AwsAccountId", "\"111122223333\"");
    CHECK(d, "Types",
          "[\"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS "
          "Foundations Benchmark\"]");
    CHECK(d, "Severity", "{\"Label\":\"CRITICAL\",\"Normalized\":90,\"Original\":\"critical\"}");
    CHECK(d, "CreatedAt", "\"2023-06-12T09:30:15.123Z\"");
    CHECK(d, "UpdatedAt", "\"2023-06-12T09:30:15.123Z\"");
    CHECK(d, "Title", "\"Ensure MFA is enabled for the root account\"");
    CHECK(d, "Description", "\"MFA is not enabled for root account.\"");
    CHECK(d, "Resources",
          "[{\"Type\":\"AwsAccount\",\"Id\":\"arn:aws:iam::111122223333:root\",\"Partition\":"
          "\"aws\",\"Region\":\"us-east-1\"}]");
    CHECK(d, "Compliance",
          "{\"Status\":\"FAILED\",\"RelatedRequirements\":[\"CIS-1.4 1.5\",\"CIS-1.5 1.5\"]}");
    CHECK(d, "Remediation.Recommendation.Url",
          "\"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user_"
          "manage_mfa\"");
    CHECK(d, "ProductFields",
          "{\"prowler/prowler/CheckID\":\"iam_root_mfa_enabled\",\"prowler/prowler/ServiceName\":"
          "\"iam\",\"prowler/prowler/Provider\":\"aws\",\"prowler/prowler/FindingUniqueId\":"
          "\"prowler-aws-iam_root_mfa_enabled-111122223333-us-east-1-<root_account>\"}");
    d = c.s.docs[1];
    CHECK(d, "Id",
          "\"prowler-s3_bucket_default_encryption-111122223333-eu-west-1-8754dc1f37c6ca0c\"");
    CHECK(d, "ProductArn", "\"arn:aws:securityhub:eu-west-1::product/prowler/prowler\"");
    CHECK(d, "Types", "[\"Software and Configuration Checks\"]");
    CHECK(d, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":40,\"Original\":\"medium\"}");
    CHECK(d, "Resources[0].Type", "\"AwsS3Bucket\"");
    CHECK(d, "Resources[0].Id", "\"arn:aws:s3:::example-data-bucket\"");
    CHECK(d, "Resources[0].Tags", "{\"team\":\"data\"}");
    CHECK(d, "Compliance",
          "{\"Status\":\"PASSED\",\"RelatedRequirements\":[\"AWS-Foundational-Security-Best-"
          "Practices S3.4\"]}");
    CHECK(d, "Remediation",
          "{\"Recommendation\":{\"Text\":\"Ensure that S3 buckets have "
          "encryption at rest enabled.\"}}");
    conv_release(&c);
}

static void test_conv_prowler_status(void **state)
{
    (void)state;
    static const char manual[] =
        "{\"CheckID\":\"account_security_contact\",\"Status\":\"MANUAL\",\"StatusExtended\":"
        "\"Check it by hand.\",\"Provider\":\"aws\",\"ResourceId\":\"123\",\"Severity\":\"low\","
        "\"ResourceArn\":\"arn:aws-us-gov:iam::123:root\"}";
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(conv_text(&c, NULL, "prowler", manual), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs), "");
    const char *d = c.s.docs[0];
    CHECK(d, "Compliance", "{\"Status\":\"WARNING\"}");
    CHECK(d, "AwsAccountId", "\"000000000000\"");
    CHECK(d, "Region", "\"us-east-1\"");
    CHECK(d, "ProductArn", "\"arn:aws-us-gov:securityhub:us-east-1::product/prowler/prowler\"");
    CHECK(d, "Resources[0]",
          "{\"Type\":\"Other\",\"Id\":\"arn:aws-us-gov:iam::123:root\",\"Partition\":\"aws-us-"
          "gov\",\"Region\":\"us-east-1\"}");
    CHECK(d, "CreatedAt", NOW_ISO);
    CHECK(d, "Title", "\"account_security_contact\"");
    conv_release(&c);

    conv_init(&c, 0);
    static const char bad[] = "[{\"CheckID\":\"x\",\"Status\":\"SKIPPED\",\"ResourceId\":\"r\"},"
                              "{\"Status\":\"PASS\",\"StatusExtended\":\"s\"},null]";
    assert_int_equal(conv_text(&c, "prowler", "prowler", bad), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=0 id=(null) code=ConversionFailed msg=prowler: 'Status' must be "
                        "PASS, FAIL or MANUAL\n"
                        "item=1 id=(null) code=ConversionFailed msg=prowler: missing field "
                        "'CheckID'\n"
                        "item=2 id=(null) code=InvalidInput msg=prowler: a check result must be a "
                        "JSON object, not null\n");
    conv_release(&c);
}

/* An Id AWS would refuse (over 512 bytes) is reported by the converter, naming the field. */
static void test_conv_long_ids(void **state)
{
    (void)state;
    char longs[520], text[2048];
    memset(longs, 'a', 513);
    longs[513] = '\0';
    /* each case: the format, the text before and after the long string, the error (NULL: the
     * ARN built from Id does not fit, and the error names the finding by that Id) */
    static const struct {
        const char *format, *pre, *post, *err;
    } cases[] = {
        {"guardduty", "{\"Arn\":\"",
         "\",\"Type\":\"Recon:EC2/Portscan\",\"Severity\":1," GD_SVC "," GD_RES "}",
         "item=0 id=(null) code=ConversionFailed msg=guardduty: 'Arn' is longer than 512 bytes\n"},
        {"guardduty", "{\"Id\":\"",
         "\",\"Type\":\"Recon:EC2/Portscan\",\"Severity\":1," GD_SVC "," GD_RES "}", NULL},
        {"ocsf", "{\"class_uid\":2004,\"finding_info\":{\"uid\":\"", "\",\"title\":\"t\"}}",
         "item=0 id=(null) code=ConversionFailed msg=ocsf: 'finding_info.uid' is longer than 512 "
         "bytes\n"},
        {"prowler", "{\"CheckID\":\"", "\",\"Status\":\"PASS\",\"ResourceId\":\"r\"}",
         "item=0 id=(null) code=ConversionFailed msg=prowler: finding id would be longer than 512 "
         "bytes\n"},
        {"trivy", "{\"ArtifactName\":\"",
         "\",\"Results\":[{\"Target\":\"t\",\"Secrets\":[{\"RuleID\":\"r\"}]}]}",
         "item=0 id=(null) code=ConversionFailed msg=trivy: finding id would be longer than 512 "
         "bytes\n"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct conv c;
        char want[700];
        conv_init(&c, 0);
        snprintf(text, sizeof text, "%s%s%s", cases[k].pre, longs, cases[k].post);
        assert_int_equal(conv_text(&c, cases[k].format, cases[k].format, text), RP_OK);
        assert_int_equal(c.s.n, 0);
        snprintf(want, sizeof want,
                 "item=0 id=%s code=ConversionFailed msg=guardduty: 'Arn' is longer than 512 "
                 "bytes\n",
                 longs);
        assert_string_equal(rp_buf_cstr(&c.s.errs), cases[k].err ? cases[k].err : want);
        conv_release(&c);
    }
}

/* ---- the frame --------------------------------------------------------------------------- */

/* A finding past the importer's buffer is reported, not truncated; the next one still goes. */
static void test_conv_too_large(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 1000); /* the small finding below is 671 bytes */
    char text[4096];
    snprintf(text, sizeof text,
             "[{\"CheckID\":\"c\",\"Status\":\"PASS\",\"ResourceId\":\"r\",\"StatusExtended\":"
             "\"%01000d\"},{\"CheckID\":\"c\",\"Status\":\"PASS\",\"ResourceId\":\"r\"}]",
             0);
    assert_int_equal(conv_text(&c, "prowler", "prowler", text), RP_OK);
    assert_string_equal(rp_buf_cstr(&c.s.errs),
                        "item=0 id=prowler-c-000000000000-us-east-1-bd7b38f7b4af0b35 "
                        "code=ConversionFailed msg=prowler: converted finding exceeds the size or "
                        "depth limit\n");
    assert_int_equal(c.s.n, 1);
    assert_int_equal(c.s.items[0], 1);
    conv_release(&c);
}

/* A callback's refusal stops the conversion with its code. */
static void test_conv_callback_stops(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    c.s.finding_rc = RP_EDB;
    assert_int_equal(conv_fixture(&c, "conv_prowler_legacy.json", "prowler"), RP_EDB);
    assert_int_equal(c.s.n, 1);
    assert_int_equal(c.cv.item, 1);
    conv_release(&c);
    conv_init(&c, 0);
    c.s.finding_rc = RP_EDB;
    assert_int_equal(conv_fixture(&c, "conv_asff_batch.json", "asff"), RP_EDB);
    assert_int_equal(c.s.n, 1);
    conv_release(&c);
}

static void test_conv_emit_buf(void **state)
{
    (void)state;
    struct conv c;
    conv_init(&c, 0);
    assert_int_equal(rp_buf_append_str(&c.buf, "{\"Id\":\"x\"}"), RP_OK);
    c.s.finding_rc = RP_OK;
    /* the document is handed over as it is; the importer decides */
    assert_int_equal(rp_hub_conv_emit_buf(&c.cv, &c.eb), RP_OK);
    assert_int_equal(c.s.n, 1);
    assert_string_equal(c.s.docs[0], "{\"Id\":\"x\"}");
    rp_buf_reset(&c.buf);
    assert_int_equal(rp_buf_append_str(&c.buf, "{\"Id\":"), RP_OK);
    assert_int_equal(rp_hub_conv_emit_buf(&c.cv, &c.eb), RP_EINTERNAL);
    assert_string_equal(c.eb.msg, "hub: a converter wrote a finding that does not parse: json: "
                                  "unexpected end of input at offset 6");
    conv_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv_registry),
        cmocka_unit_test(test_conv_sniff_fixtures),
        cmocka_unit_test(test_conv_sniff_other_json),
        cmocka_unit_test(test_conv_asff_batch),
        cmocka_unit_test(test_conv_asff_shapes),
        cmocka_unit_test(test_conv_asff_prowler),
        cmocka_unit_test(test_conv_guardduty_findings),
        cmocka_unit_test(test_conv_guardduty_event),
        cmocka_unit_test(test_conv_guardduty_mapping),
        cmocka_unit_test(test_conv_guardduty_errors),
        cmocka_unit_test(test_conv_ocsf_findings),
        cmocka_unit_test(test_conv_ocsf_prowler),
        cmocka_unit_test(test_conv_ocsf_lines),
        cmocka_unit_test(test_conv_trivy_report),
        cmocka_unit_test(test_conv_trivy_other),
        cmocka_unit_test(test_conv_prowler_legacy),
        cmocka_unit_test(test_conv_prowler_status),
        cmocka_unit_test(test_conv_long_ids),
        cmocka_unit_test(test_conv_too_large),
        cmocka_unit_test(test_conv_callback_stops),
        cmocka_unit_test(test_conv_emit_buf),
    };
    return cmocka_run_group_tests_name("hub_conv", tests, NULL, NULL);
}
