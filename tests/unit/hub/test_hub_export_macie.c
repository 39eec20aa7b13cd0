/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "macie" (src/hub/hub_export_macie.c): Macie's finding JSON from the ASFF of a
 * Rampart discover finding (tests/fixtures/hub/export_macie_rampart.jsonl: credentials in a
 * zip member, located by line ranges): type, severity, the object and bucket, and the result
 * in Macie's casing. A GuardDuty finding has no Macie form and is left out. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
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
#include "tools/rp_test_fixture.h"

static void compact(const char *name, struct rp_buf *out)
{
    struct rp_buf raw;
    rp_test_fixture_load(&raw, "hub", name);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    assert_int_equal(rp_json_parse_buf(p, &raw, &v, NULL), RP_OK);
    rp_buf_init(out, 0);
    assert_int_equal(rp_json_serialize(v, out), RP_OK);
    rp_json_parser_free(p);
    rp_buf_release(&raw);
}

static const char want[] =
    "{\"findings\":[\n"
    "{\"schemaVersion\":\"1.0\",\"id\":\"bcd8dd9e3b9afbfda454595e14d5e21d\",\"accountId\":"
    "\"000000000000\",\"region\":\"us-east-1\",\"partition\":\"aws\",\"type\":"
    "\"SensitiveData:S3Object/Credentials\",\"category\":\"CLASSIFICATION\",\"title\":\"The S3 "
    "object contains credentials data.\",\"description\":\"The S3 object "
    "wonka-dev-shared-docs-mrwbtz/archive/handover-2026-01-05.zip!/handover.txt contains "
    "credentials data: HTTP_BASIC_AUTH_HEADER (1), JSON_WEB_TOKEN (1)\",\"severity\":{"
    "\"description\":\"High\",\"score\":3},\"createdAt\":\"2026-01-07T00:00:00.000Z\","
    "\"updatedAt\":\"2026-01-07T00:00:00.000Z\",\"count\":1,\"archived\":false,"
    "\"resourcesAffected\":{\"s3Bucket\":{\"arn\":\"arn:aws:s3:::wonka-dev-shared-docs-mrwbtz\","
    "\"name\":\"wonka-dev-shared-docs-mrwbtz\"},\"s3Object\":{\"bucketArn\":"
    "\"arn:aws:s3:::wonka-dev-shared-docs-mrwbtz\",\"key\":\"archive/handover-2026-01-05.zip!/"
    "handover.txt\",\"path\":\"wonka-dev-shared-docs-mrwbtz/archive/handover-2026-01-05.zip!/"
    "handover.txt\",\"extension\":\"txt\",\"size\":391}},\"classificationDetails\":{"
    "\"originType\":\"SENSITIVE_DATA_DISCOVERY_JOB\",\"result\":{\"mimeType\":\"text/plain\","
    "\"sizeClassified\":391,\"additionalOccurrences\":false,\"status\":{\"code\":\"COMPLETE\"},"
    "\"sensitiveData\":[{\"category\":\"CREDENTIALS\",\"detections\":[{\"count\":1,\"type\":"
    "\"HTTP_BASIC_AUTH_HEADER\",\"occurrences\":{\"lineRanges\":[{\"start\":7,\"end\":7,"
    "\"startColumn\":1}]}},{\"count\":1,\"type\":\"JSON_WEB_TOKEN\",\"occurrences\":{"
    "\"lineRanges\":[{\"start\":4,\"end\":4,\"startColumn\":1}]}}],\"totalCount\":2}],"
    "\"customDataIdentifiers\":{\"detections\":[],\"totalCount\":0}}},\"sample\":false}\n"
    "]}\n";

static void test_export_macie_document(void **state)
{
    (void)state;
    struct rp_buf docs[2];
    compact("export_macie_rampart.jsonl", &docs[0]);
    compact("export_guardduty.json", &docs[1]);
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    assert_non_null(f);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("macie", f, &x, &eb), RP_OK);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(rp_hub_exporter_add(x, docs[i].data, docs[i].len, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(mem, want);
    free(mem);
    for (size_t i = 0; i < 2; i++) rp_buf_release(&docs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_macie_document),
    };
    return cmocka_run_group_tests_name("hub_export_macie", tests, NULL, NULL);
}
