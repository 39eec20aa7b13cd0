/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "inspector" (src/hub/hub_export_inspector.c): Inspector v2 finding JSON from
 * the ASFF of Rampart's Inspector producers (a package finding whose score was lowered, and is
 * suppressed; a network reachability finding with its path; both in
 * tests/fixtures/hub/export_inspector_rampart.jsonl) and from a finding Security Hub received
 * from Inspector itself (export_inspector.json: archived, so CLOSED; its Id is already the
 * finding ARN). A GuardDuty finding has no Inspector form and is left out. The whole output
 * is compared. */
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

/* A fixture as one compact document per element of out (n of them). */
static size_t load_docs(const char *name, struct rp_buf *out, size_t max)
{
    struct rp_buf raw;
    rp_test_fixture_load(&raw, "hub", name);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    struct rp_json_val v;
    size_t n = 0;
    struct rp_errbuf eb = {0};
    if (!strstr(name, ".jsonl")) { /* one pretty-printed document */
        assert_int_equal(rp_json_parse_buf(p, &raw, &v, &eb), RP_OK);
        rp_buf_init(&out[0], 0);
        assert_int_equal(rp_json_serialize(v, &out[0]), RP_OK);
        n = 1;
    }
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, raw.data, n ? 0 : raw.len, true);
    while (n < max && rp_json_lines_next(&jl, p, &v, &eb) == RP_OK && rp_json_type(v)) {
        rp_buf_init(&out[n], 0);
        assert_int_equal(rp_json_serialize(v, &out[n]), RP_OK);
        n++;
    }
    rp_json_parser_free(p);
    rp_buf_release(&raw);
    return n;
}

static const char want[] =
    "{\"findings\":[\n"
    "{\"findingArn\":\"arn:aws:inspector2:eu-west-1:111122223333:finding/"
    "0123456789abcdef0123456789abcdef\",\"awsAccountId\":\"111122223333\",\"type\":"
    "\"PACKAGE_VULNERABILITY\",\"title\":\"CVE-2024-6387 - openssh-server\",\"description\":\"a "
    "signal handler race in sshd\",\"remediation\":{\"recommendation\":{\"text\":\"Upgrade the "
    "affected packages to the fixed versions listed\"}},\"severity\":\"HIGH\","
    "\"firstObservedAt\":\"2026-01-01T00:00:00.000Z\",\"lastObservedAt\":"
    "\"2026-01-02T00:00:00.000Z\",\"updatedAt\":\"2026-01-02T00:00:00.000Z\",\"status\":"
    "\"SUPPRESSED\",\"resources\":[{\"type\":\"AWS_EC2_INSTANCE\",\"id\":\"i-0bbbbbbbbbbbbbbb2\","
    "\"partition\":\"aws\",\"region\":\"eu-west-1\",\"details\":{\"awsEc2Instance\":{\"type\":"
    "\"t3.small\",\"vpcId\":\"vpc-01\",\"subnetId\":\"subnet-02\"}}}],\"inspectorScore\":7.5,"
    "\"inspectorScoreDetails\":{\"adjustedCvss\":{\"scoreSource\":\"DEBIAN_CVE\",\"cvssSource\":"
    "\"DEBIAN_CVE\",\"version\":\"3.1\",\"score\":7.5,\"scoringVector\":\"CVSS:3.1/AV:A/AC:H/"
    "PR:N/UI:N/S:U/C:H/I:H/A:H\",\"adjustments\":[{\"metric\":\"AV\",\"reason\":\"attack vector "
    "lowered from NETWORK to ADJACENT_NETWORK: no port of i-0bbbbbbbbbbbbbbb2 is reachable from "
    "the internet\"}]}},\"packageVulnerabilityDetails\":{\"vulnerabilityId\":\"CVE-2024-6387\","
    "\"source\":\"DEBIAN_CVE\",\"sourceUrl\":\"https://osv.dev/vulnerability/"
    "DEBIAN-CVE-2024-6387\",\"vendorSeverity\":\"HIGH\",\"vendorCreatedAt\":"
    "\"2024-07-01T13:00:00.000Z\",\"vendorUpdatedAt\":\"2024-07-02T10:00:00.000Z\",\"cvss\":[{"
    "\"baseScore\":8.1,\"scoringVector\":\"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H\","
    "\"version\":\"3.1\",\"source\":\"DEBIAN_CVE\"}],\"relatedVulnerabilities\":["
    "\"DEBIAN-CVE-2024-6387\"],\"vulnerablePackages\":[{\"name\":\"openssh-server\",\"version\":"
    "\"9.2p1\",\"epoch\":1,\"release\":\"2+deb12u2\",\"arch\":\"amd64\",\"packageManager\":\"OS\","
    "\"filePath\":\"/srv/i-0bbbbbbbbbbbbbbb2/var/lib/dpkg/status\",\"fixedInVersion\":"
    "\"1:9.2p1-2+deb12u3\",\"remediation\":\"Upgrade openssh-server to version 1:9.2p1-2+deb12u3 "
    "or later\"}]},\"fixAvailable\":\"YES\"},\n"
    "{\"findingArn\":\"arn:aws:inspector2:eu-west-1:111122223333:finding/"
    "fedcba9876543210fedcba9876543210\",\"awsAccountId\":\"111122223333\",\"type\":"
    "\"NETWORK_REACHABILITY\",\"title\":\"Port range 22 - 22 is reachable from an Internet "
    "Gateway\",\"description\":\"TCP port 22 of i-0aaaaaaaaaaaaaaa1 is reachable from the "
    "internet\",\"severity\":\"MEDIUM\",\"firstObservedAt\":\"2026-01-01T00:00:00.000Z\","
    "\"lastObservedAt\":\"2026-01-01T00:00:00.000Z\",\"updatedAt\":\"2026-01-01T00:00:00.000Z\","
    "\"status\":\"ACTIVE\",\"resources\":[{\"type\":\"AWS_EC2_INSTANCE\",\"id\":"
    "\"i-0aaaaaaaaaaaaaaa1\",\"partition\":\"aws\",\"region\":\"eu-west-1\"}],"
    "\"networkReachabilityDetails\":{\"openPortRange\":{\"begin\":22,\"end\":22},\"protocol\":"
    "\"TCP\",\"networkPath\":{\"steps\":[{\"componentId\":\"igw-01\",\"componentType\":"
    "\"AWS::EC2::InternetGateway\"},{\"componentId\":\"acl-01\",\"componentType\":"
    "\"AWS::EC2::NetworkAcl\"},{\"componentId\":\"sg-01\",\"componentType\":"
    "\"AWS::EC2::SecurityGroup\"},{\"componentId\":\"eni-01\",\"componentType\":"
    "\"AWS::EC2::NetworkInterface\"},{\"componentId\":\"i-0aaaaaaaaaaaaaaa1\",\"componentType\":"
    "\"AWS::EC2::Instance\"}]}}},\n"
    "{\"findingArn\":\"arn:aws:inspector2:us-east-2:111122223333:finding/"
    "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f\",\"awsAccountId\":\"111122223333\",\"type\":"
    "\"PACKAGE_VULNERABILITY\",\"title\":\"CVE-2099-10001 - examplelib\",\"description\":\"A "
    "crafted input makes examplelib read past the end of a buffer.\",\"remediation\":{"
    "\"recommendation\":{\"text\":\"Upgrade examplelib to the fixed version.\"}},\"severity\":"
    "\"HIGH\",\"firstObservedAt\":\"2024-01-05T12:00:00.000Z\",\"lastObservedAt\":"
    "\"2024-02-20T12:00:00.000Z\",\"updatedAt\":\"2024-02-21T09:30:00.000Z\",\"status\":"
    "\"CLOSED\",\"resources\":[{\"type\":\"AWS_ECR_CONTAINER_IMAGE\",\"id\":"
    "\"web/sha256:4f1c0e5b9a2d7c3e8f6a1b0d9c2e7f4a5b8c3d6e9f0a1b2c3d4e5f6a7b8c9d0e\","
    "\"partition\":\"aws\",\"region\":\"us-east-2\"}],\"inspectorScore\":7.5,"
    "\"inspectorScoreDetails\":{\"adjustedCvss\":{\"scoreSource\":\"NVD\",\"cvssSource\":"
    "\"NVD\",\"version\":\"3.1\",\"score\":7.5,\"scoringVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/"
    "S:U/C:N/I:N/A:H\",\"adjustments\":[]}},\"packageVulnerabilityDetails\":{"
    "\"vulnerabilityId\":\"CVE-2099-10001\",\"source\":\"NVD\",\"sourceUrl\":"
    "\"https://nvd.nist.gov/vuln/detail/CVE-2099-10001\",\"vendorSeverity\":\"HIGH\",\"cvss\":[{"
    "\"baseScore\":7.5,\"scoringVector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\","
    "\"version\":\"3.1\",\"source\":\"NVD\"}],\"referenceUrls\":[\"https://example.org/"
    "advisories/examplelib-2099-1\"],\"vulnerablePackages\":[{\"name\":\"examplelib\","
    "\"version\":\"1.4.2\",\"epoch\":0,\"release\":\"r1\",\"arch\":\"X86_64\",\"packageManager\":"
    "\"OS\",\"fixedInVersion\":\"0:1.4.3-r0\",\"remediation\":\"apk upgrade examplelib\"}]},"
    "\"fixAvailable\":\"YES\",\"exploitAvailable\":\"NO\"}\n"
    "]}\n";

static void same(const char *got, const char *exp)
{
    size_t i = 0;
    while (got[i] && got[i] == exp[i]) i++;
    if (got[i] || exp[i])
        fail_msg("differ at %zu:\n got  ...%.160s\n want ...%.160s", i, got + (i > 40 ? i - 40 : 0),
                 exp + (i > 40 ? i - 40 : 0));
}

static void test_export_inspector_documents(void **state)
{
    (void)state;
    struct rp_buf docs[4];
    assert_int_equal(load_docs("export_inspector_rampart.jsonl", docs, 2), 2);
    assert_int_equal(load_docs("export_guardduty.json", &docs[2], 1), 1);
    assert_int_equal(load_docs("export_inspector.json", &docs[3], 1), 1);
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    assert_non_null(f);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("inspector", f, &x, &eb), RP_OK);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(rp_hub_exporter_add(x, docs[i].data, docs[i].len, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    assert_int_equal(fclose(f), 0);
    same(mem, want);
    free(mem);
    for (size_t i = 0; i < 4; i++) rp_buf_release(&docs[i]);
}

static void test_export_inspector_none(void **state)
{
    (void)state;
    struct rp_buf doc;
    assert_int_equal(load_docs("export_guardduty.json", &doc, 1), 1);
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("inspector", f, &x, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_add(x, doc.data, doc.len, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(mem, "{\"findings\":[]}\n");
    free(mem);
    rp_buf_release(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_inspector_documents),
        cmocka_unit_test(test_export_inspector_none),
    };
    return cmocka_run_group_tests_name("hub_export_inspector", tests, NULL, NULL);
}
