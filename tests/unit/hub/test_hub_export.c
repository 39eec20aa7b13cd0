/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the findings hub's exports (src/hub/hub_export*.c) and the OCSF schema
 * validator (src/hub/hub_ocsf_schema.c): the registry, each format over four hand-written
 * ASFF findings (tests/fixtures/hub/export_*.json: a GuardDuty-style threat finding, a
 * Security Hub control finding with Compliance.Status FAILED, an Inspector package
 * vulnerability, a Macie sensitive data finding), exact CSV, key fields of OCSF and SARIF read
 * back with rp_json, every OCSF event validated against data/schemas/ocsf/1.1, the validator's
 * exact errors on broken events, the ASFF round trip byte for byte, empty exports and
 * refused findings. Write errors and bounded memory: test_hub_export_stream.c. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "hub/hub.h"
#include "hub/hub_export.h"
#include "hub/hub_ocsf_schema.h"
#include "tools/rp_test_fixture.h"

/* Fixtures in export order. */
static const char *const fixtures[] = {"export_guardduty.json", "export_config_control.json",
                                       "export_inspector.json", "export_macie.json"};
#define NFIX 4

static struct rp_buf raw[NFIX];    /* the fixture files as written (pretty-printed) */
static struct rp_buf stored[NFIX]; /* compact, as the store keeps a document */
static struct rp_hub_ocsf_schema *schema;

static void fixture_load(struct rp_buf *b, const char *name)
{
    rp_test_fixture_load(b, "hub", name);
}

static int setup(void **state)
{
    (void)state;
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    for (size_t i = 0; i < NFIX; i++) {
        struct rp_json_val root;
        fixture_load(&raw[i], fixtures[i]);
        assert_int_equal(rp_json_parse_buf(p, &raw[i], &root, NULL), RP_OK);
        rp_buf_init(&stored[i], 1u << 20);
        assert_int_equal(rp_json_serialize(root, &stored[i]), RP_OK);
    }
    rp_json_parser_free(p);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_ocsf_schema_load("schemas/ocsf/1.1", &schema, &eb), RP_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < NFIX; i++) {
        rp_buf_release(&raw[i]);
        rp_buf_release(&stored[i]);
    }
    rp_hub_ocsf_schema_free(schema);
    return 0;
}

/* Export docs[0..n) in format fmt into out (initialised here; caller releases). */
static void export_docs(const char *fmt, struct rp_buf *const *docs, size_t n, struct rp_buf *out)
{
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    assert_non_null(f);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new(fmt, f, &x, &eb), RP_OK);
    for (size_t i = 0; i < n; i++) {
        rp_err e = rp_hub_exporter_add(x, docs[i]->data, docs[i]->len, &eb);
        if (e != RP_OK) fail_msg("add %zu: %s", i, eb.msg);
    }
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    assert_int_equal(fclose(f), 0);
    rp_buf_init(out, 0);
    assert_int_equal(rp_buf_append(out, mem, memlen), RP_OK);
    free(mem);
}

static void export_fixtures(const char *fmt, struct rp_buf *out)
{
    struct rp_buf *docs[NFIX];
    for (size_t i = 0; i < NFIX; i++) docs[i] = &stored[i];
    export_docs(fmt, docs, NFIX, out);
}

/* The value at path "a.b[2].c" under v; "no value" when absent. */
static struct rp_json_val at(struct rp_json_val v, const char *path)
{
    const char *p = path;
    while (*p && rp_json_type(v) != RP_JSON_NONE) {
        if (*p == '.') p++;
        if (*p == '[') {
            char *end = NULL;
            unsigned long i = strtoul(p + 1, &end, 10);
            assert_true(end && *end == ']');
            if (rp_json_arr_at(v, i, &v) != RP_OK) return (struct rp_json_val){0};
            p = end + 1;
            continue;
        }
        size_t n = strcspn(p, ".[");
        if (rp_json_obj_getn(v, p, n, &v) != RP_OK) return (struct rp_json_val){0};
        p += n;
    }
    return v;
}

static const char *str_at(struct rp_json_val v, const char *path)
{
    struct rp_str s;
    struct rp_json_val x = at(v, path);
    if (rp_json_get_str(x, &s) != RP_OK) fail_msg("no string at '%s'", path);
    return s.p;
}

static int64_t int_at(struct rp_json_val v, const char *path)
{
    int64_t i = 0;
    if (rp_json_get_i64(at(v, path), &i) != RP_OK) fail_msg("no integer at '%s'", path);
    return i;
}

static bool has(struct rp_json_val v, const char *path)
{
    return rp_json_type(at(v, path)) != RP_JSON_NONE;
}

/* ---- registry ---------------------------------------------------------------------------- */

static void test_export_registry_names(void **state)
{
    (void)state;
    size_t n = 0;
    for (; rp_hub_export_fmts[n]; n++) {
        const struct rp_hub_export_fmt *f = rp_hub_export_fmts[n];
        assert_non_null(rp_hub_export_format_names[n]);
        assert_string_equal(f->name, rp_hub_export_format_names[n]);
        assert_non_null(f->summary);
        assert_non_null(f->finding);
        assert_ptr_equal(rp_hub_export_fmt_find(f->name), f);
        for (size_t j = 0; j < n; j++)
            assert_string_not_equal(rp_hub_export_fmts[j]->name, f->name);
    }
    assert_int_equal(n, 9);
    assert_null(rp_hub_export_format_names[n]);
    assert_null(rp_hub_export_fmt_find("xml"));
    assert_null(rp_hub_export_fmt_find(NULL));

    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("xml", stdout, &x, &eb), RP_EINVAL);
    assert_null(x);
    assert_string_equal(eb.msg, "export: unknown format 'xml' (known: asff, asff-lines, ocsf, "
                                "ocsf-lines, sarif, csv, inspector, macie, guardduty)");
    rp_hub_exporter_free(NULL);
}

/* ---- CSV --------------------------------------------------------------------------------- */

static const char csv_header[] =
    "Id,ProductArn,ProductName,GeneratorId,AwsAccountId,Region,Types,Title,SeverityLabel,"
    "SeverityNormalized,WorkflowStatus,RecordState,ComplianceStatus,ResourceType,ResourceId,"
    "CreatedAt,UpdatedAt,FirstObservedAt,LastObservedAt\r\n";

static void test_export_csv_fixtures(void **state)
{
    (void)state;
    struct rp_buf out;
    export_fixtures("csv", &out);
    static const char expect[] =
        "arn:aws:guardduty:us-east-1:111122223333:detector/0cb2d5b6a1e4f7c8d9e0a1b2c3d4e5f6/"
        "finding/3ab4f1e2d5c6b7a8e9f0a1b2c3d4e5f6,"
        "arn:aws:securityhub:us-east-1::product/aws/guardduty,GuardDuty,"
        "arn:aws:guardduty:us-east-1:111122223333:detector/0cb2d5b6a1e4f7c8d9e0a1b2c3d4e5f6,"
        "111122223333,us-east-1,TTPs/Discovery/Recon:EC2-Portscan,"
        "\"Unprotected port on EC2 instance i-0a1b2c3d4e5f60718 is being probed, from "
        "198.51.100.23\",MEDIUM,50,NEW,ACTIVE,,AwsEc2Instance,"
        "arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718,"
        "2024-03-01T10:05:02.118Z,2024-03-01T10:05:02.118Z,2024-03-01T09:58:11.000Z,"
        "2024-03-01T10:04:40.000Z\r\n"
        "arn:aws:securityhub:eu-west-1:111122223333:security-control/S3.8/finding/"
        "6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5,"
        "arn:aws:securityhub:eu-west-1::product/aws/securityhub,Security Hub,"
        "security-control/S3.8,111122223333,eu-west-1,"
        "Software and Configuration Checks/Industry and Regulatory Standards/"
        "AWS-Foundational-Security-Best-Practices,"
        "S3 general purpose buckets should block public access,HIGH,70,NOTIFIED,ACTIVE,FAILED,"
        "AwsS3Bucket,arn:aws:s3:::example-reports-bucket,2024-02-10T08:00:05.000Z,"
        "2024-03-02T08:00:05.000Z,2024-02-10T08:00:00.000Z,2024-03-02T08:00:00.000Z\r\n"
        "arn:aws:inspector2:us-east-2:111122223333:finding/9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f,"
        "arn:aws:securityhub:us-east-2::product/aws/inspector,Inspector,AWSInspector,"
        "111122223333,us-east-2,Software and Configuration Checks/Vulnerabilities/CVE,"
        "CVE-2099-10001 - examplelib,HIGH,70,RESOLVED,ARCHIVED,,AwsEcrContainerImage,"
        "arn:aws:ecr:us-east-2:111122223333:repository/web/"
        "sha256:4f1c0e5b9a2d7c3e8f6a1b0d9c2e7f4a5b8c3d6e9f0a1b2c3d4e5f6a7b8c9d0e,"
        "2024-01-05T12:00:03.000Z,2024-02-21T09:30:00.000Z,2024-01-05T12:00:00.000Z,"
        "2024-02-20T12:00:00.000Z\r\n"
        "5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e,arn:aws:securityhub:us-west-2::product/aws/macie,"
        "Macie,aws/macie,111122223333,us-west-2,"
        "Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal,"
        "\"The S3 object contains personal information, \"\"names\"\" and addresses\",HIGH,70,"
        "SUPPRESSED,ACTIVE,,AwsS3Bucket|AwsS3Object,"
        "arn:aws:s3:::example-customer-exports|"
        "arn:aws:s3:::example-customer-exports/2024/03/export.csv,"
        "2024-03-03T16:20:00.000Z,2024-03-04T07:45:00.000Z,,\r\n";
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    assert_int_equal(rp_buf_append_str(&exp, csv_header), RP_OK);
    assert_int_equal(rp_buf_append_str(&exp, expect), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), rp_buf_cstr(&exp));
    rp_buf_release(&exp);
    rp_buf_release(&out);
}

/* Cells that a spreadsheet would run as formulas get a leading quote; CR/LF/quote/comma
 * quoting still applies; a number is written as JSON. */
static void test_export_csv_formula_guard(void **state)
{
    (void)state;
    struct rp_buf doc, out;
    rp_buf_init(&doc, 0);
    assert_int_equal(
        rp_buf_append_str(&doc, "{\"Id\":\"=1+1\",\"ProductArn\":\"+p\",\"ProductName\":\"-n\","
                                "\"GeneratorId\":\"@g\",\"AwsAccountId\":\"\\tt\","
                                "\"Region\":\"a=b\",\"Types\":[\"-x\",\"y\"],"
                                "\"Title\":\"@SUM(1,2)\",\"Severity\":{\"Label\":\"LOW\","
                                "\"Normalized\":1},\"RecordState\":7,"
                                "\"CreatedAt\":\"line1\\r\\nline2\"}"),
        RP_OK);
    struct rp_buf *docs[] = {&doc};
    export_docs("csv", docs, 1, &out);
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    assert_int_equal(rp_buf_append_str(&exp, csv_header), RP_OK);
    assert_int_equal(rp_buf_append_str(&exp, "'=1+1,'+p,'-n,'@g,'\tt,a=b,'-x|y,\"'@SUM(1,2)\","
                                             "LOW,1,,7,,,,\"line1\r\nline2\",,,\r\n"),
                     RP_OK);
    assert_string_equal(rp_buf_cstr(&out), rp_buf_cstr(&exp));
    rp_buf_release(&exp);
    rp_buf_release(&out);
    rp_buf_release(&doc);
}

/* ---- ASFF -------------------------------------------------------------------------------- */

static void test_export_asff_roundtrip_bytes(void **state)
{
    (void)state;
    /* Stored documents come back byte for byte, compact or pretty-printed alike. */
    struct rp_buf *sets[2][NFIX];
    for (size_t i = 0; i < NFIX; i++) {
        sets[0][i] = &stored[i];
        sets[1][i] = &raw[i];
    }
    for (size_t s = 0; s < 2; s++) {
        struct rp_buf out, exp;
        export_docs("asff", sets[s], NFIX, &out);
        rp_buf_init(&exp, 0);
        assert_int_equal(rp_buf_append_str(&exp, "{\"Findings\":["), RP_OK);
        for (size_t i = 0; i < NFIX; i++) {
            assert_int_equal(rp_buf_append_str(&exp, i ? ",\n" : "\n"), RP_OK);
            assert_int_equal(rp_buf_append(&exp, sets[s][i]->data, sets[s][i]->len), RP_OK);
        }
        assert_int_equal(rp_buf_append_str(&exp, "\n]}\n"), RP_OK);
        assert_int_equal(out.len, exp.len);
        assert_memory_equal(out.data, exp.data, exp.len);

        /* And it reads back as a BatchImportFindings body with equal documents. */
        struct rp_json_parser *p = rp_json_parser_new();
        struct rp_json_val root, f;
        assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
        assert_int_equal(rp_json_len(at(root, "Findings")), NFIX);
        for (size_t i = 0; i < NFIX; i++) {
            struct rp_buf ser;
            rp_buf_init(&ser, 0);
            assert_int_equal(rp_json_arr_at(at(root, "Findings"), i, &f), RP_OK);
            assert_int_equal(rp_json_serialize(f, &ser), RP_OK);
            assert_string_equal(rp_buf_cstr(&ser), rp_buf_cstr(&stored[i]));
            rp_buf_release(&ser);
        }
        rp_json_parser_free(p);
        rp_buf_release(&exp);
        rp_buf_release(&out);
    }
}

static void test_export_asff_lines(void **state)
{
    (void)state;
    struct rp_buf out, exp;
    /* Compact documents are copied; pretty-printed ones are made compact to stay one line. */
    struct rp_buf *docs[] = {&stored[0], &raw[1]};
    export_docs("asff-lines", docs, 2, &out);
    rp_buf_init(&exp, 0);
    assert_int_equal(rp_buf_append(&exp, stored[0].data, stored[0].len), RP_OK);
    assert_int_equal(rp_buf_append_str(&exp, "\n"), RP_OK);
    assert_int_equal(rp_buf_append(&exp, stored[1].data, stored[1].len), RP_OK);
    assert_int_equal(rp_buf_append_str(&exp, "\n"), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), rp_buf_cstr(&exp));
    rp_buf_release(&exp);
    rp_buf_release(&out);
}

/* ---- empty exports ----------------------------------------------------------------------- */

static void test_export_empty_documents(void **state)
{
    (void)state;
    static const struct {
        const char *fmt, *out;
        bool json;
    } cases[] = {
        {"asff", "{\"Findings\":[]}\n", true},
        {"asff-lines", "", false},
        {"ocsf", "[]\n", true},
        {"ocsf-lines", "", false},
        {"sarif",
         "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
         "\"version\":\"2.1.0\",\"runs\":[{\"results\":[],\"tool\":{\"driver\":"
         "{\"name\":\"Rampart\",\"rules\":[]}}}]}\n",
         true},
        {"csv", csv_header, false},
    };
    struct rp_json_parser *p = rp_json_parser_new();
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        struct rp_buf out;
        export_docs(cases[i].fmt, NULL, 0, &out);
        assert_string_equal(rp_buf_cstr(&out), cases[i].out);
        if (cases[i].json) {
            struct rp_json_val root;
            assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
        }
        rp_buf_release(&out);
    }
    rp_json_parser_free(p);
}

/* ---- OCSF -------------------------------------------------------------------------------- */

static void validate_ok(struct rp_json_val ev)
{
    struct rp_errbuf eb = {0};
    if (rp_hub_ocsf_validate(schema, ev, &eb) != RP_OK) fail_msg("%s", eb.msg);
}

static void check_ocsf_events(struct rp_json_val arr)
{
    struct rp_json_val ev;
    assert_int_equal(rp_json_len(arr), NFIX);
    for (size_t i = 0; i < NFIX; i++) {
        assert_int_equal(rp_json_arr_at(arr, i, &ev), RP_OK);
        validate_ok(ev);
        assert_int_equal(int_at(ev, "category_uid"), 2);
        assert_string_equal(str_at(ev, "category_name"), "Findings");
        assert_string_equal(str_at(ev, "metadata.version"), "1.1.0");
        assert_string_equal(str_at(ev, "metadata.profiles[0]"), "cloud");
        assert_string_equal(str_at(ev, "metadata.log_version"), "2018-10-08");
        assert_string_equal(str_at(ev, "cloud.provider"), "AWS");
        assert_string_equal(str_at(ev, "cloud.account.uid"), "111122223333");
        assert_int_equal(int_at(ev, "cloud.account.type_id"), 10);
        assert_int_equal(int_at(ev, "type_uid"),
                         int_at(ev, "class_uid") * 100 + int_at(ev, "activity_id"));
        assert_false(has(ev, "unmapped.Id"));
        assert_false(has(ev, "unmapped.Title"));
        assert_false(has(ev, "unmapped.Workflow"));
        assert_false(has(ev, "unmapped.Types"));
    }

    /* GuardDuty: a Detection Finding, created (CreatedAt == UpdatedAt). */
    assert_int_equal(rp_json_arr_at(arr, 0, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2004);
    assert_string_equal(str_at(ev, "class_name"), "Detection Finding");
    assert_int_equal(int_at(ev, "activity_id"), 1);
    assert_string_equal(str_at(ev, "activity_name"), "Create");
    assert_int_equal(int_at(ev, "type_uid"), 200401);
    assert_string_equal(str_at(ev, "type_name"), "Detection Finding: Create");
    assert_int_equal(int_at(ev, "time"), 1709287502118LL);
    assert_int_equal(int_at(ev, "severity_id"), 3);
    assert_string_equal(str_at(ev, "severity"), "Medium");
    assert_int_equal(int_at(ev, "status_id"), 1);
    assert_string_equal(str_at(ev, "status"), "New");
    assert_false(has(ev, "confidence_id"));
    assert_string_equal(str_at(ev, "metadata.product.name"), "GuardDuty");
    assert_string_equal(str_at(ev, "metadata.product.vendor_name"), "Amazon");
    assert_string_equal(str_at(ev, "metadata.product.uid"),
                        "arn:aws:securityhub:us-east-1::product/aws/guardduty");
    assert_string_equal(str_at(ev, "cloud.region"), "us-east-1");
    assert_string_equal(
        str_at(ev, "finding_info.uid"),
        "arn:aws:guardduty:us-east-1:111122223333:detector/"
        "0cb2d5b6a1e4f7c8d9e0a1b2c3d4e5f6/finding/3ab4f1e2d5c6b7a8e9f0a1b2c3d4e5f6");
    assert_string_equal(str_at(ev, "finding_info.types[0]"), "TTPs/Discovery/Recon:EC2-Portscan");
    assert_int_equal(int_at(ev, "finding_info.created_time"), 1709287502118LL);
    assert_int_equal(int_at(ev, "finding_info.modified_time"), 1709287502118LL);
    assert_int_equal(int_at(ev, "finding_info.first_seen_time"), 1709287091000LL);
    assert_int_equal(int_at(ev, "finding_info.last_seen_time"), 1709287480000LL);
    assert_string_equal(str_at(ev, "finding_info.analytic.uid"),
                        "arn:aws:guardduty:us-east-1:111122223333:detector/"
                        "0cb2d5b6a1e4f7c8d9e0a1b2c3d4e5f6");
    assert_int_equal(int_at(ev, "finding_info.analytic.type_id"), 1);
    assert_true(has(ev, "finding_info.src_url"));
    assert_int_equal(rp_json_len(at(ev, "resources")), 1);
    assert_string_equal(str_at(ev, "resources[0].uid"),
                        "arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718");
    assert_string_equal(str_at(ev, "resources[0].type"), "AwsEc2Instance");
    assert_string_equal(str_at(ev, "resources[0].cloud_partition"), "aws");
    assert_string_equal(str_at(ev, "resources[0].labels[0]"), "env=prod");
    assert_string_equal(str_at(ev, "resources[0].labels[1]"), "team=web");
    assert_string_equal(str_at(ev, "resources[0].data.AwsEc2Instance.Type"), "t3.micro");
    assert_false(has(ev, "resource"));
    assert_int_equal(int_at(ev, "unmapped.Severity.Normalized"), 50);
    assert_string_equal(str_at(ev, "unmapped.Network.DestinationIpV4"), "198.51.100.23");
    assert_string_equal(str_at(ev, "unmapped.ProductFields.aws/guardduty/service/count"), "4");
    assert_true(has(ev, "unmapped.FindingProviderFields"));
    assert_string_equal(str_at(ev, "unmapped.WorkflowState"), "NEW");
    assert_false(has(ev, "unmapped.Resources"));
    assert_false(has(ev, "unmapped.RecordState"));

    /* Security Hub control: a Compliance Finding, updated, one resource. */
    assert_int_equal(rp_json_arr_at(arr, 1, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2003);
    assert_int_equal(int_at(ev, "activity_id"), 2);
    assert_int_equal(int_at(ev, "type_uid"), 200302);
    assert_int_equal(int_at(ev, "time"), 1709366405000LL);
    assert_int_equal(int_at(ev, "finding_info.created_time"), 1707552005000LL);
    assert_int_equal(int_at(ev, "severity_id"), 4);
    assert_string_equal(str_at(ev, "severity"), "High");
    assert_int_equal(int_at(ev, "status_id"), 2);
    assert_string_equal(str_at(ev, "status"), "In Progress");
    assert_string_equal(str_at(ev, "compliance.control"), "S3.8");
    assert_int_equal(int_at(ev, "compliance.status_id"), 3);
    assert_string_equal(str_at(ev, "compliance.status"), "Fail");
    assert_string_equal(str_at(ev, "compliance.requirements[1]"), "NIST.800-53.r5 AC-21(b)");
    assert_string_equal(str_at(ev, "compliance.standards[0]"),
                        "standards/aws-foundational-security-best-practices/v/1.0.0");
    assert_string_equal(str_at(ev, "compliance.standards[1]"), "standards/nist-800-53/v/5.0.0");
    assert_string_equal(str_at(ev, "compliance.status_code"), "CONFIG_EVALUATIONS_EMPTY");
    assert_string_equal(str_at(ev, "compliance.status_detail"),
                        "The bucket has no public access block configuration");
    assert_string_equal(str_at(ev, "remediation.references[0]"),
                        "https://docs.aws.amazon.com/console/securityhub/S3.8/remediation");
    assert_true(has(ev, "remediation.desc"));
    assert_string_equal(str_at(ev, "resource.uid"), "arn:aws:s3:::example-reports-bucket");
    assert_false(has(ev, "resources"));
    assert_string_equal(str_at(ev, "finding_info.analytic.uid"), "security-control/S3.8");
    assert_string_equal(str_at(ev, "unmapped.Severity.Original"), "HIGH");
    assert_false(has(ev, "unmapped.Compliance"));
    assert_false(has(ev, "unmapped.Remediation"));
    assert_false(has(ev, "unmapped.Resources"));

    /* Inspector: a Vulnerability Finding, archived = Close. */
    assert_int_equal(rp_json_arr_at(arr, 2, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2002);
    assert_int_equal(int_at(ev, "activity_id"), 3);
    assert_string_equal(str_at(ev, "activity_name"), "Close");
    assert_int_equal(int_at(ev, "type_uid"), 200203);
    assert_int_equal(int_at(ev, "time"), 1708507800000LL);
    assert_int_equal(int_at(ev, "status_id"), 4);
    assert_string_equal(str_at(ev, "status"), "Resolved");
    assert_string_equal(str_at(ev, "vulnerabilities[0].cve.uid"), "CVE-2099-10001");
    assert_string_equal(str_at(ev, "vulnerabilities[0].cve.cvss[0].version"), "3.1");
    double score = 0;
    assert_int_equal(
        rp_json_get_double(at(ev, "vulnerabilities[0].cve.cvss[0].base_score"), &score), RP_OK);
    assert_true(score == 7.5);
    assert_string_equal(str_at(ev, "vulnerabilities[0].cve.cvss[0].vector_string"),
                        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
    assert_string_equal(str_at(ev, "vulnerabilities[0].affected_packages[0].name"), "examplelib");
    assert_string_equal(str_at(ev, "vulnerabilities[0].affected_packages[0].version"), "1.4.2");
    assert_int_equal(int_at(ev, "vulnerabilities[0].affected_packages[0].epoch"), 0);
    assert_string_equal(str_at(ev, "vulnerabilities[0].affected_packages[0].fixed_in_version"),
                        "0:1.4.3-r0");
    assert_string_equal(str_at(ev, "vulnerabilities[0].affected_packages[0].package_manager"),
                        "OS");
    assert_string_equal(str_at(ev, "vulnerabilities[0].affected_packages[0].remediation.desc"),
                        "apk upgrade examplelib");
    bool fix = false;
    assert_int_equal(rp_json_get_bool(at(ev, "vulnerabilities[0].is_fix_available"), &fix), RP_OK);
    assert_true(fix);
    assert_string_equal(str_at(ev, "vulnerabilities[0].vendor_name"), "NVD");
    assert_string_equal(str_at(ev, "vulnerabilities[0].severity"), "HIGH");
    assert_string_equal(str_at(ev, "vulnerabilities[0].title"), "CVE-2099-10001 - examplelib");
    assert_string_equal(str_at(ev, "vulnerabilities[0].references[0]"),
                        "https://example.org/advisories/examplelib-2099-1");
    assert_string_equal(str_at(ev, "vulnerabilities[0].remediation.desc"),
                        "Upgrade examplelib to the fixed version.");
    assert_string_equal(str_at(ev, "resource.type"), "AwsEcrContainerImage");
    /* EpssScore, ExploitAvailable, Cvss Source and Vendor.Url have no 1.1.0 place. */
    assert_string_equal(str_at(ev, "unmapped.Vulnerabilities[0].ExploitAvailable"), "NO");
    assert_false(has(ev, "unmapped.Remediation"));
    assert_false(has(ev, "unmapped.RecordState"));

    /* Macie: a Detection Finding with two resources, suppressed, with confidence and a note. */
    assert_int_equal(rp_json_arr_at(arr, 3, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2004);
    assert_int_equal(int_at(ev, "activity_id"), 2);
    assert_int_equal(int_at(ev, "status_id"), 3);
    assert_string_equal(str_at(ev, "status"), "Suppressed");
    assert_int_equal(int_at(ev, "confidence_id"), 3);
    assert_string_equal(str_at(ev, "confidence"), "High");
    assert_int_equal(int_at(ev, "confidence_score"), 88);
    assert_string_equal(str_at(ev, "message"), "Export is expected; owner confirmed");
    assert_int_equal(rp_json_len(at(ev, "resources")), 2);
    assert_string_equal(str_at(ev, "resources[1].uid"),
                        "arn:aws:s3:::example-customer-exports/2024/03/export.csv");
    assert_string_equal(str_at(ev, "resources[0].labels[0]"), "data=customer");
    assert_false(has(ev, "finding_info.first_seen_time"));
    /* DataClassification and Note.UpdatedBy are not carried: kept whole in unmapped. */
    assert_string_equal(str_at(ev, "unmapped.Resources[1].DataClassification.Result.Status.Code"),
                        "COMPLETE");
    assert_string_equal(str_at(ev, "unmapped.Note.UpdatedBy"), "analyst");
    assert_false(has(ev, "unmapped.Confidence"));
}

static void test_export_ocsf_fixtures_validate(void **state)
{
    (void)state;
    struct rp_buf out;
    export_fixtures("ocsf", &out);
    assert_true(out.len > 2 && out.data[0] == '[' && out.data[out.len - 1] == '\n');
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root;
    assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
    assert_int_equal(rp_json_type(root), RP_JSON_ARRAY);
    check_ocsf_events(root);
    rp_json_parser_free(p);
    rp_buf_release(&out);
}

/* ocsf-lines holds the same events as ocsf, one per line. */
static void test_export_ocsf_lines_same_events(void **state)
{
    (void)state;
    struct rp_buf arr_out, lines_out, ser;
    export_fixtures("ocsf", &arr_out);
    export_fixtures("ocsf-lines", &lines_out);
    struct rp_json_parser *pa = rp_json_parser_new(), *pl = rp_json_parser_new();
    struct rp_json_val root, ev, line;
    assert_int_equal(rp_json_parse_buf(pa, &arr_out, &root, NULL), RP_OK);
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, lines_out.data, lines_out.len, true);
    size_t n = 0;
    rp_buf_init(&ser, 0);
    while (rp_json_lines_next(&jl, pl, &line, NULL) == RP_OK) {
        validate_ok(line);
        assert_int_equal(rp_json_arr_at(root, n, &ev), RP_OK);
        rp_buf_reset(&ser);
        assert_int_equal(rp_json_serialize(ev, &ser), RP_OK);
        assert_int_equal(ser.len + 1, jl.pos - jl.line_start);
        assert_memory_equal(ser.data, lines_out.data + jl.line_start, ser.len);
        n++;
    }
    assert_int_equal(n, NFIX);
    rp_buf_release(&ser);
    rp_json_parser_free(pa);
    rp_json_parser_free(pl);
    rp_buf_release(&arr_out);
    rp_buf_release(&lines_out);
}

/* Edge mappings: a vulnerability class from Types alone (vulnerabilities is required, so
 * one is written from the finding), Normalized-only severity, unknown workflow status,
 * Compliance NOT_AVAILABLE (Other), a Detection Finding's Remediation (not in 1.1.0) kept in
 * unmapped, vendor and region from the ProductArn when the finding lacks them. */
static void test_export_ocsf_edge_mappings(void **state)
{
    (void)state;
    static const char *const docs_txt[] = {
        "{\"Id\":\"v1\",\"ProductArn\":\"arn:aws:securityhub:ap-south-1:111122223333:product/"
        "acme/scanner\",\"GeneratorId\":\"g\",\"AwsAccountId\":\"111122223333\","
        "\"Types\":[\"Software and Configuration Checks/Vulnerabilities/CVE\"],"
        "\"CreatedAt\":\"2024-01-01T00:00:00Z\",\"UpdatedAt\":\"2024-01-02T00:00:00Z\","
        "\"Title\":\"t\",\"Description\":\"d\",\"Severity\":{\"Normalized\":95},"
        "\"Workflow\":{\"Status\":\"TRIAGED\"},\"Resources\":[{\"Type\":\"Other\",\"Id\":\"r\"}]}",
        "{\"Id\":\"c1\",\"ProductArn\":\"arn:aws:securityhub:eu-west-1::product/aws/securityhub\","
        "\"GeneratorId\":\"g\",\"AwsAccountId\":\"111122223333\",\"Region\":\"eu-west-1\","
        "\"Types\":[\"x\"],\"CreatedAt\":\"2024-01-01T00:00:00Z\","
        "\"UpdatedAt\":\"2024-01-01T00:00:00Z\",\"Title\":\"t\",\"Description\":\"d\","
        "\"Severity\":{\"Label\":\"INFORMATIONAL\"},\"Compliance\":{\"Status\":\"NOT_AVAILABLE\"},"
        "\"Resources\":[{\"Type\":\"AwsAccount\",\"Id\":\"AWS::::Account:111122223333\"},"
        "{\"Type\":\"Other\",\"Id\":\"x\"}]}",
        "{\"Id\":\"d1\",\"ProductArn\":\"arn:aws:securityhub:us-east-1::product/aws/guardduty\","
        "\"GeneratorId\":\"g\",\"AwsAccountId\":\"111122223333\",\"Region\":\"us-east-1\","
        "\"Types\":[\"TTPs\"],\"CreatedAt\":\"2024-01-01T00:00:00Z\","
        "\"UpdatedAt\":\"2024-01-01T00:00:00Z\",\"Title\":\"t\",\"Description\":\"d\","
        "\"Severity\":{\"Label\":\"CRITICAL\"},\"Remediation\":{\"Recommendation\":"
        "{\"Text\":\"fix it\"}},\"Resources\":[{\"Type\":\"Other\",\"Id\":\"r\"}],"
        "\"SourceUrl\":42}",
    };
    struct rp_buf bufs[3], out;
    struct rp_buf *docs[3];
    for (size_t i = 0; i < 3; i++) {
        rp_buf_init(&bufs[i], 0);
        assert_int_equal(rp_buf_append_str(&bufs[i], docs_txt[i]), RP_OK);
        docs[i] = &bufs[i];
    }
    export_docs("ocsf", docs, 3, &out);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root, ev;
    assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(rp_json_arr_at(root, i, &ev), RP_OK);
        validate_ok(ev);
    }
    assert_int_equal(rp_json_arr_at(root, 0, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2002);
    assert_int_equal(int_at(ev, "severity_id"), 5);
    assert_int_equal(int_at(ev, "status_id"), 99);
    assert_string_equal(str_at(ev, "status"), "TRIAGED");
    assert_string_equal(str_at(ev, "metadata.product.name"), "scanner");
    assert_string_equal(str_at(ev, "metadata.product.vendor_name"), "acme");
    assert_string_equal(str_at(ev, "cloud.region"), "ap-south-1");
    assert_int_equal(rp_json_len(at(ev, "vulnerabilities")), 1);
    assert_string_equal(str_at(ev, "vulnerabilities[0].title"), "t");
    assert_false(has(ev, "vulnerabilities[0].cve"));

    assert_int_equal(rp_json_arr_at(root, 1, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2003);
    assert_int_equal(int_at(ev, "activity_id"), 1);
    assert_int_equal(int_at(ev, "severity_id"), 1);
    assert_int_equal(int_at(ev, "status_id"), 1); /* no Workflow: NEW */
    assert_int_equal(int_at(ev, "compliance.status_id"), 99);
    assert_string_equal(str_at(ev, "compliance.status"), "NOT_AVAILABLE");
    assert_int_equal(rp_json_len(at(ev, "compliance.standards")), 0);
    assert_string_equal(str_at(ev, "resource.uid"), "AWS::::Account:111122223333");
    assert_string_equal(str_at(ev, "unmapped.Resources[1].Id"), "x"); /* 1.1.0: one resource */

    assert_int_equal(rp_json_arr_at(root, 2, &ev), RP_OK);
    assert_int_equal(int_at(ev, "class_uid"), 2004);
    assert_false(has(ev, "remediation"));
    assert_string_equal(str_at(ev, "unmapped.Remediation.Recommendation.Text"), "fix it");
    /* A value of an unexpected type is not dropped: it stays in unmapped. */
    assert_false(has(ev, "finding_info.src_url"));
    assert_int_equal(int_at(ev, "unmapped.SourceUrl"), 42);

    rp_json_parser_free(p);
    rp_buf_release(&out);
    for (size_t i = 0; i < 3; i++) rp_buf_release(&bufs[i]);
}

/* ---- the validator catches broken events ------------------------------------------------- */

/* Write v into w with the member at dotted path (objects only) replaced by the raw JSON repl,
 * added when absent, or removed when repl is NULL. */
static void copy_edit(struct rp_json_writer *w, struct rp_json_val v, const char *path,
                      const char *repl)
{
    struct rp_json_iter it;
    struct rp_json_val m;
    struct rp_str k;
    const char *dot = strchr(path, '.');
    size_t seg = dot ? (size_t)(dot - path) : strlen(path);
    bool found = false;
    assert_int_equal(rp_json_obj_iter(v, &it), RP_OK);
    rp_json_write_obj_begin(w);
    while (rp_json_obj_next(&it, &k, &m)) {
        if (k.len == seg && memcmp(k.p, path, seg) == 0) {
            found = true;
            if (dot) {
                rp_json_write_key(w, k.p, k.len);
                copy_edit(w, m, dot + 1, repl);
            } else if (repl) {
                rp_json_write_key(w, k.p, k.len);
                rp_json_write_raw(w, repl, strlen(repl));
            }
            continue;
        }
        rp_json_write_key(w, k.p, k.len);
        rp_json_write_val(w, m);
    }
    if (!found && !dot && repl) {
        rp_json_write_key(w, path, seg);
        rp_json_write_raw(w, repl, strlen(repl));
    }
    rp_json_write_obj_end(w);
}

/* Event i of the fixtures' OCSF export, edited, must fail validation with message msg. */
static void expect_invalid(struct rp_json_val events, size_t i, const char *path, const char *repl,
                           const char *msg)
{
    struct rp_json_val ev, edited;
    struct rp_buf b;
    struct rp_json_writer w;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_json_arr_at(events, i, &ev), RP_OK);
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    copy_edit(&w, ev, path, repl);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_int_equal(rp_json_parse_buf(p, &b, &edited, NULL), RP_OK);
    assert_int_equal(rp_hub_ocsf_validate(schema, edited, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, msg);
    rp_json_parser_free(p);
    rp_buf_release(&b);
}

static void test_ocsf_validator_catches_broken(void **state)
{
    (void)state;
    struct rp_buf out;
    export_fixtures("ocsf", &out);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root;
    assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
    /* 0 detection, 1 compliance, 2 vulnerability, 3 detection */
    expect_invalid(root, 1, "compliance", NULL,
                   "ocsf: compliance_finding: missing required attribute 'compliance'");
    expect_invalid(root, 0, "finding_info.uid", NULL,
                   "ocsf: detection_finding: missing required attribute 'finding_info.uid'");
    expect_invalid(root, 2, "vulnerabilities", "[{\"cve\":{\"cvss\":[]}}]",
                   "ocsf: vulnerability_finding: missing required attribute "
                   "'vulnerabilities[0].cve.uid'");
    expect_invalid(root, 2, "vulnerabilities", NULL,
                   "ocsf: vulnerability_finding: missing required attribute 'vulnerabilities'");
    expect_invalid(root, 0, "cloud", NULL,
                   "ocsf: detection_finding: missing required attribute 'cloud'");
    expect_invalid(root, 0, "metadata.version", NULL,
                   "ocsf: detection_finding: missing required attribute 'metadata.version'");
    expect_invalid(root, 0, "severity_id", "7",
                   "ocsf: detection_finding: attribute 'severity_id' has undefined value 7");
    expect_invalid(root, 0, "status_id", "5",
                   "ocsf: detection_finding: attribute 'status_id' has undefined value 5");
    expect_invalid(root, 1, "resources", "[]",
                   "ocsf: compliance_finding: attribute 'resources' is not defined");
    expect_invalid(root, 3, "remediation", "{\"desc\":\"x\"}",
                   "ocsf: detection_finding: attribute 'remediation' is not defined");
    expect_invalid(root, 0, "finding_info.analytic.color", "\"red\"",
                   "ocsf: detection_finding: attribute 'finding_info.analytic.color' is not "
                   "defined");
    expect_invalid(root, 0, "time", "\"2024-03-01\"",
                   "ocsf: detection_finding: attribute 'time' must be timestamp_t, not string");
    expect_invalid(root, 0, "confidence_score", "1.5",
                   "ocsf: detection_finding: attribute 'confidence_score' must be integer, not "
                   "double");
    expect_invalid(root, 2, "resource", "[]",
                   "ocsf: vulnerability_finding: attribute 'resource' must be "
                   "object:resource_details, not array");
    expect_invalid(root, 0, "severity", "\"High\"",
                   "ocsf: detection_finding: attribute 'severity' is 'High', not 'Medium' "
                   "(severity_id 3)");
    expect_invalid(root, 1, "compliance.status", "\"FAILED\"",
                   "ocsf: compliance_finding: attribute 'compliance.status' is 'FAILED', not "
                   "'Fail' (compliance.status_id 3)");
    expect_invalid(root, 0, "type_uid", "200402",
                   "ocsf: detection_finding: type_uid 200402 is not class_uid * 100 + "
                   "activity_id (200401)");
    expect_invalid(root, 0, "category_uid", "3",
                   "ocsf: detection_finding: category_uid 3 is not 2");
    expect_invalid(root, 0, "class_uid", "2005", "ocsf: unknown class_uid 2005");
    expect_invalid(root, 0, "metadata.profiles", "[\"cloud\",\"host\"]",
                   "ocsf: detection_finding: profile 'host' is not defined");
    /* Without the cloud profile, cloud is not an attribute of the class. */
    expect_invalid(root, 0, "metadata.profiles", "[]",
                   "ocsf: detection_finding: attribute 'cloud' is not defined");
    rp_json_parser_free(p);
    rp_buf_release(&out);
}

static void test_ocsf_schema_load_errors(void **state)
{
    (void)state;
    struct rp_hub_ocsf_schema *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_ocsf_schema_load("schemas/ocsf/0.9", &s, &eb), RP_ENOENT);
    assert_null(s);
    assert_string_equal(eb.msg, "ocsf schema: no schema files under 'schemas/ocsf/0.9'");
    /* Files other than .json do not count. */
    assert_int_equal(rp_hub_ocsf_schema_load("schemas/store", &s, &eb), RP_ENOENT);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    assert_int_equal(rp_json_parse(p, "[1]", 3, &v, NULL), RP_OK);
    assert_int_equal(rp_hub_ocsf_validate(schema, v, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "ocsf: an event must be an object, not array");
    assert_int_equal(rp_json_parse(p, "{\"class_uid\":\"2004\"}", 20, &v, NULL), RP_OK);
    assert_int_equal(rp_hub_ocsf_validate(schema, v, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "ocsf: attribute 'class_uid' must be integer, not string");
    rp_json_parser_free(p);
}

/* ---- SARIF ------------------------------------------------------------------------------- */

static void test_export_sarif_fixtures(void **state)
{
    (void)state;
    struct rp_buf out;
    export_fixtures("sarif", &out);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root, run, r;
    assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
    assert_string_equal(str_at(root, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
    assert_string_equal(str_at(root, "version"), "2.1.0");
    assert_int_equal(rp_json_len(at(root, "runs")), 1);
    run = at(root, "runs[0]");
    assert_string_equal(str_at(run, "tool.driver.name"), "Rampart");
    assert_false(has(run, "properties"));
    assert_int_equal(rp_json_len(at(run, "tool.driver.rules")), 4);
    assert_string_equal(str_at(run, "tool.driver.rules[0].id"),
                        "arn:aws:guardduty:us-east-1:111122223333:detector/"
                        "0cb2d5b6a1e4f7c8d9e0a1b2c3d4e5f6");
    assert_string_equal(str_at(run, "tool.driver.rules[1].id"), "security-control/S3.8");
    assert_string_equal(str_at(run, "tool.driver.rules[1].shortDescription.text"),
                        "S3 general purpose buckets should block public access");
    assert_string_equal(str_at(run, "tool.driver.rules[1].properties.tags[0]"),
                        "Software and Configuration Checks/Industry and Regulatory Standards/"
                        "AWS-Foundational-Security-Best-Practices");
    assert_string_equal(str_at(run, "tool.driver.rules[2].id"), "AWSInspector");
    assert_string_equal(str_at(run, "tool.driver.rules[3].id"), "aws/macie");
    assert_int_equal(rp_json_len(at(run, "results")), 4);

    r = at(run, "results[0]");
    assert_string_equal(str_at(r, "ruleId"), str_at(run, "tool.driver.rules[0].id"));
    assert_string_equal(str_at(r, "level"), "warning");
    assert_false(has(r, "kind"));
    assert_string_equal(str_at(r, "message.text"),
                        "EC2 instance i-0a1b2c3d4e5f60718 is performing outbound port scans "
                        "against remote host 198.51.100.23.");
    assert_string_equal(str_at(r, "locations[0].logicalLocations[0].fullyQualifiedName"),
                        "arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718");
    assert_string_equal(str_at(r, "locations[0].logicalLocations[0].kind"), "AwsEc2Instance");
    assert_string_equal(
        str_at(r, "partialFingerprints.asffId/v1"),
        "arn:aws:guardduty:us-east-1:111122223333:detector/"
        "0cb2d5b6a1e4f7c8d9e0a1b2c3d4e5f6/finding/3ab4f1e2d5c6b7a8e9f0a1b2c3d4e5f6");
    assert_string_equal(str_at(r, "properties.severity"), "MEDIUM");
    assert_string_equal(str_at(r, "properties.workflowStatus"), "NEW");
    assert_string_equal(str_at(r, "properties.recordState"), "ACTIVE");
    assert_string_equal(str_at(r, "properties.awsAccountId"), "111122223333");
    assert_string_equal(str_at(r, "properties.region"), "us-east-1");
    assert_string_equal(str_at(r, "properties.productArn"),
                        "arn:aws:securityhub:us-east-1::product/aws/guardduty");
    assert_string_equal(str_at(r, "properties.productName"), "GuardDuty");
    assert_false(has(r, "properties.complianceStatus"));
    assert_false(has(r, "suppressions"));

    r = at(run, "results[1]");
    assert_string_equal(str_at(r, "ruleId"), "security-control/S3.8");
    assert_string_equal(str_at(r, "level"), "error");
    assert_string_equal(str_at(r, "properties.complianceStatus"), "FAILED");
    assert_string_equal(str_at(r, "properties.workflowStatus"), "NOTIFIED");

    r = at(run, "results[2]");
    assert_string_equal(str_at(r, "ruleId"), "AWSInspector");
    assert_string_equal(str_at(r, "level"), "error");
    assert_string_equal(str_at(r, "properties.recordState"), "ARCHIVED");

    r = at(run, "results[3]");
    assert_string_equal(str_at(r, "level"), "error");
    assert_int_equal(rp_json_len(at(r, "locations")), 2);
    assert_string_equal(str_at(r, "locations[1].logicalLocations[0].kind"), "AwsS3Object");
    assert_string_equal(str_at(r, "suppressions[0].kind"), "external");
    assert_string_equal(str_at(r, "suppressions[0].status"), "accepted");
    rp_json_parser_free(p);
    rp_buf_release(&out);
}

/* A passed control is a "pass" result; a finding without GeneratorId takes its first type as
 * the rule; a LOW one is a note. */
static void test_export_sarif_pass_and_rule_fallback(void **state)
{
    (void)state;
    struct rp_buf d1, d2, out;
    rp_buf_init(&d1, 0);
    rp_buf_init(&d2, 0);
    assert_int_equal(rp_buf_append_str(&d1, "{\"Id\":\"a\",\"GeneratorId\":\"security-control/"
                                            "IAM.1\",\"Title\":\"t\",\"Severity\":{\"Label\":"
                                            "\"INFORMATIONAL\"},\"Compliance\":{\"Status\":"
                                            "\"PASSED\"}}"),
                     RP_OK);
    assert_int_equal(rp_buf_append_str(&d2, "{\"Id\":\"b\",\"Types\":[\"Effects/Data "
                                            "Exposure\"],\"Title\":\"u\",\"Severity\":"
                                            "{\"Normalized\":10}}"),
                     RP_OK);
    struct rp_buf *docs[] = {&d1, &d2};
    export_docs("sarif", docs, 2, &out);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root;
    assert_int_equal(rp_json_parse_buf(p, &out, &root, NULL), RP_OK);
    assert_string_equal(str_at(root, "runs[0].results[0].kind"), "pass");
    assert_string_equal(str_at(root, "runs[0].results[0].level"), "none");
    assert_string_equal(str_at(root, "runs[0].results[0].message.text"), "t");
    assert_false(has(root, "runs[0].results[0].locations"));
    assert_string_equal(str_at(root, "runs[0].results[1].ruleId"), "Effects/Data Exposure");
    assert_string_equal(str_at(root, "runs[0].results[1].level"), "note");
    assert_string_equal(str_at(root, "runs[0].results[1].properties.severity"), "LOW");
    rp_json_parser_free(p);
    rp_buf_release(&out);
    rp_buf_release(&d1);
    rp_buf_release(&d2);
}

/* ---- refused findings and write errors --------------------------------------------------- */

static void test_export_refused_finding_leaves_no_trace(void **state)
{
    (void)state;
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("ocsf", f, &x, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_add(x, "{\"Id\":", 6, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "export: finding 0: json: unexpected end of input at offset 6");
    assert_int_equal(rp_hub_exporter_add(x, "[1]", 3, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "export: finding 0 is not a JSON object");
    static const char no_time[] = "{\"Id\":\"x\",\"UpdatedAt\":\"yesterday\"}";
    assert_int_equal(rp_hub_exporter_add(x, no_time, sizeof no_time - 1, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "export: ocsf: finding 'x' has no valid UpdatedAt");
    static const char no_id[] = "{\"UpdatedAt\":\"2024-01-01T00:00:00Z\"}";
    assert_int_equal(rp_hub_exporter_add(x, no_id, sizeof no_id - 1, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "export: ocsf: finding 0 has no Id");
    assert_int_equal(rp_hub_exporter_add(x, stored[0].data, stored[0].len, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    fclose(f);
    /* The output is the one good event, as a well-formed array. */
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root, ev;
    assert_int_equal(rp_json_parse(p, mem, memlen, &root, NULL), RP_OK);
    assert_int_equal(rp_json_len(root), 1);
    assert_int_equal(rp_json_arr_at(root, 0, &ev), RP_OK);
    validate_ok(ev);
    assert_true(memlen > 3 && memcmp(mem, "[\n{", 3) == 0);
    rp_json_parser_free(p);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_registry_names),
        cmocka_unit_test(test_export_csv_fixtures),
        cmocka_unit_test(test_export_csv_formula_guard),
        cmocka_unit_test(test_export_asff_roundtrip_bytes),
        cmocka_unit_test(test_export_asff_lines),
        cmocka_unit_test(test_export_empty_documents),
        cmocka_unit_test(test_export_ocsf_fixtures_validate),
        cmocka_unit_test(test_export_ocsf_lines_same_events),
        cmocka_unit_test(test_export_ocsf_edge_mappings),
        cmocka_unit_test(test_ocsf_validator_catches_broken),
        cmocka_unit_test(test_ocsf_schema_load_errors),
        cmocka_unit_test(test_export_sarif_fixtures),
        cmocka_unit_test(test_export_sarif_pass_and_rule_fallback),
        cmocka_unit_test(test_export_refused_finding_leaves_no_trace),
    };
    return cmocka_run_group_tests_name("hub_export", tests, setup, teardown);
}
