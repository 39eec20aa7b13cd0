/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the findings hub's filters (src/hub/hub_filter.c, hub_fields.c): every
 * StringFilter comparison on column, multi-valued column (Type, ResourceId, ResourceType) and
 * JSON-path attributes (scalar, array, nested arrays), the PREFIX + NOT_EQUALS combination and
 * the refused combinations with their messages, NumberFilter, DateFilter (Start/End, inclusive
 * bounds, DateRange against a fixed now), MapFilter, BooleanFilter, IpFilter (v4, v6, mapped,
 * arrays), malformed filters, command-line conditions and their errors, and the attribute
 * catalogue and its loader's checks. Each case asserts the exact set of finding Ids matched
 * in the ten findings of tests/fixtures/hub/filter_findings.sql, loaded into a :memory: store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_json.h"
#include "hub/hub.h"
#include "unit/hub/hub_test_store.h"
#include "hub/hub_fields.h"
#include "core/rp_banned.h"

#define NOW 1772323200000LL /* 2026-03-01T00:00:00Z */
#define ALL "f01 f02 f03 f04 f05 f06 f07 f08 f09 f10"

struct coll {
    struct rp_json_parser *p;
    char out[1024];
};

static rp_err collect_id(void *ctx, const char *doc, size_t len)
{
    struct coll *c = ctx;
    struct rp_json_val root;
    struct rp_str id;
    if (rp_json_parse(c->p, doc, len, &root, NULL) != RP_OK ||
        rp_json_obj_get_str(root, "Id", &id) != RP_OK)
        return RP_EPARSE;
    size_t l = strlen(c->out);
    snprintf(c->out + l, sizeof c->out - l, "%s%s", l ? " " : "", id.p);
    return RP_OK;
}

/* Ids matched by flt, sorted by Id, space-separated; the count must agree. */
static const char *ids(struct fx *f, const struct rp_hub_filter *flt)
{
    static struct coll c;
    struct rp_errbuf eb = {0};
    memset(c.out, 0, sizeof c.out);
    c.p = f->p;
    struct rp_hub_query q = {.filter = flt, .sort = {{"Id", true}}};
    rp_err e = rp_hub_findings_get(f->st, &q, collect_id, &c, NULL, &eb);
    if (e) fail_msg("get: %s", eb.msg);
    int64_t n = -1;
    if (rp_hub_findings_count(f->st, flt, &n, &eb) != RP_OK) fail_msg("count: %s", eb.msg);
    int64_t words = c.out[0] ? 1 : 0;
    for (const char *p = c.out; *p; p++) words += *p == ' ';
    assert_int_equal(n, words);
    return c.out;
}

static rp_err add_json(struct fx *f, struct rp_hub_filter *flt, const char *json,
                       struct rp_errbuf *eb)
{
    struct rp_json_val v;
    rp_err e = rp_json_parse(f->p, json, strlen(json), &v, eb);
    if (e) fail_msg("bad test json %s: %s", json, eb->msg);
    return rp_hub_filter_add_json(flt, v, NOW, eb);
}

static void expect_json(struct fx *f, const char *json, const char *want)
{
    struct rp_hub_filter *flt = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    if (add_json(f, flt, json, &eb) != RP_OK) fail_msg("%s: %s", json, eb.msg);
    const char *got = ids(f, flt);
    if (strcmp(got, want) != 0) print_message("filter %s\n", json);
    assert_string_equal(got, want);
    rp_hub_filter_free(flt);
}

static void expect_json_err(struct fx *f, const char *json, const char *msg)
{
    struct rp_hub_filter *flt = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    rp_err e = add_json(f, flt, json, &eb);
    if (e == RP_OK) fail_msg("accepted %s", json);
    assert_int_equal(e, RP_EINVAL);
    assert_string_equal(eb.msg, msg);
    assert_string_equal(ids(f, flt), ALL); /* a failed add leaves the filter as it was */
    rp_hub_filter_free(flt);
}

/* args: NULL-terminated command-line conditions */
static void expect_args(struct fx *f, const char *const *args, const char *want)
{
    struct rp_hub_filter *flt = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    for (size_t i = 0; args[i]; i++)
        if (rp_hub_filter_add_arg(flt, args[i], NOW, &eb) != RP_OK)
            fail_msg("%s: %s", args[i], eb.msg);
    const char *got = ids(f, flt);
    if (strcmp(got, want) != 0) print_message("args starting %s\n", args[0]);
    assert_string_equal(got, want);
    rp_hub_filter_free(flt);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The conditions before the last are accepted; the last is refused with msg and changes
 * nothing. */
static void expect_arg_err(struct fx *f, const char *const *args, const char *msg)
{
    struct rp_hub_filter *flt = NULL, *ref = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    assert_int_equal(rp_hub_filter_new(&ref), RP_OK);
    size_t i = 0;
    for (; args[i + 1]; i++) {
        if (rp_hub_filter_add_arg(flt, args[i], NOW, &eb) != RP_OK)
            fail_msg("%s: %s", args[i], eb.msg);
        assert_int_equal(rp_hub_filter_add_arg(ref, args[i], NOW, &eb), RP_OK);
    }
    rp_err e = rp_hub_filter_add_arg(flt, args[i], NOW, &eb);
    if (e == RP_OK) fail_msg("accepted %s", args[i]);
    assert_int_equal(e, RP_EINVAL);
    assert_string_equal(eb.msg, msg);
    char want[1024];
    snprintf(want, sizeof want, "%s", ids(f, ref));
    assert_string_equal(ids(f, flt), want);
    rp_hub_filter_free(flt);
    rp_hub_filter_free(ref);
}

#define S(attr, cmp, val) "\"" attr "\": [{\"Value\": \"" val "\", \"Comparison\": \"" cmp "\"}]"

/* ---- StringFilter ------------------------------------------------------------------------ */

static void test_filter_string_column(void **state)
{
    struct fx *f = *state;
    expect_json(f, "{}", ALL);
    expect_json(f, "{" S("SeverityLabel", "EQUALS", "HIGH") "}", "f01 f06");
    expect_json(f,
                "{\"SeverityLabel\": [{\"Value\": \"HIGH\", \"Comparison\": \"EQUALS\"}, "
                "{\"Value\": \"CRITICAL\", \"Comparison\": \"EQUALS\"}]}",
                "f01 f04 f06 f08");
    expect_json(f, "{" S("GeneratorId", "PREFIX", "security-control/") "}", "f02 f08");
    /* case-sensitive: "Root credentials" (f04) has no "root" */
    expect_json(f, "{" S("Title", "CONTAINS", "root") "}", "f08");
    expect_json(f, "{" S("Title", "CONTAINS", "Root") "}", "f04");
    expect_json(f, "{" S("SeverityLabel", "EQUALS", "high") "}", "");
    /* no LIKE: '%' and '_' are ordinary characters */
    expect_json(f, "{" S("Title", "CONTAINS", "%") "}", "");
    expect_json(f, "{" S("GeneratorId", "PREFIX", "security_control") "}", "");
    expect_json(f,
                "{\"SeverityLabel\": [{\"Value\": \"HIGH\", \"Comparison\": \"NOT_EQUALS\"}, "
                "{\"Value\": \"CRITICAL\", \"Comparison\": \"NOT_EQUALS\"}]}",
                "f02 f03 f05 f07 f09 f10");
    expect_json(f, "{" S("GeneratorId", "PREFIX_NOT_EQUALS", "arn:aws:guardduty") "}",
                "f02 f03 f05 f07 f08 f09 f10");
    expect_json(f,
                "{\"Title\": [{\"Value\": \"CVE\", \"Comparison\": \"NOT_CONTAINS\"}, "
                "{\"Value\": \"S3\", \"Comparison\": \"NOT_CONTAINS\"}]}",
                "f01 f04 f07 f08 f10");
    /* a missing value (f10 has no Region) matches every negative comparison, no positive one */
    expect_json(f, "{" S("Region", "NOT_EQUALS", "us-east-1") "}", "f04 f08 f10");
    expect_json(f, "{" S("Region", "PREFIX", "") "}", "f01 f02 f03 f04 f05 f06 f07 f08 f09");
    /* attributes are ANDed */
    expect_json(
        f, "{" S("SeverityLabel", "EQUALS", "HIGH") ", " S("RecordState", "EQUALS", "ACTIVE") "}",
        "f01");
}

static void test_filter_string_combinations(void **state)
{
    struct fx *f = *state;
    /* Security Hub's own example: prefixes first, then the exclusions, on an array attribute;
     * f06 has an AwsIamUser among its resources, so it is excluded */
    expect_json(f,
                "{\"ResourceType\": [{\"Value\": \"AwsIam\", \"Comparison\": \"PREFIX\"}, "
                "{\"Value\": \"AwsEc2\", \"Comparison\": \"PREFIX\"}, "
                "{\"Value\": \"AwsIamUser\", \"Comparison\": \"NOT_EQUALS\"}]}",
                "f01 f03 f04 f09");
    expect_json(f,
                "{\"ProductArn\": [{\"Value\": \"arn:aws:securityhub:us-east-1\", "
                "\"Comparison\": \"PREFIX\"}, {\"Value\": "
                "\"arn:aws:securityhub:us-east-1::product/aws/\", \"Comparison\": "
                "\"PREFIX_NOT_EQUALS\"}]}",
                "f07 f10");
    /* EQUALS with PREFIX: ORed */
    expect_json(f,
                "{\"Title\": [{\"Value\": \"Odd VM behaviour\", \"Comparison\": \"EQUALS\"}, "
                "{\"Value\": \"CVE\", \"Comparison\": \"PREFIX\"}]}",
                "f03 f09 f10");
    /* NOT_EQUALS with PREFIX_NOT_EQUALS: ANDed */
    expect_json(f,
                "{\"SeverityLabel\": [{\"Value\": \"MEDIUM\", \"Comparison\": \"NOT_EQUALS\"}, "
                "{\"Value\": \"L\", \"Comparison\": \"PREFIX_NOT_EQUALS\"}]}",
                "f01 f04 f05 f06 f08");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"a\", \"Comparison\": \"EQUALS\"}, {\"Value\": "
                    "\"b\", \"Comparison\": \"NOT_EQUALS\"}]}",
                    "hub filter: 'Title' cannot combine EQUALS with NOT_EQUALS");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"b\", \"Comparison\": \"PREFIX_NOT_EQUALS\"}, "
                    "{\"Value\": \"a\", \"Comparison\": \"EQUALS\"}]}",
                    "hub filter: 'Title' cannot combine EQUALS with PREFIX_NOT_EQUALS");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"a\", \"Comparison\": \"EQUALS\"}, {\"Value\": "
                    "\"b\", \"Comparison\": \"CONTAINS\"}]}",
                    "hub filter: 'Title' cannot combine CONTAINS with EQUALS");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"a\", \"Comparison\": \"CONTAINS\"}, {\"Value\": "
                    "\"b\", \"Comparison\": \"PREFIX\"}]}",
                    "hub filter: 'Title' cannot combine CONTAINS with PREFIX");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"a\", \"Comparison\": \"CONTAINS\"}, {\"Value\": "
                    "\"b\", \"Comparison\": \"NOT_CONTAINS\"}]}",
                    "hub filter: 'Title' cannot combine CONTAINS with NOT_CONTAINS");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"a\", \"Comparison\": \"NOT_CONTAINS\"}, "
                    "{\"Value\": \"b\", \"Comparison\": \"NOT_EQUALS\"}]}",
                    "hub filter: 'Title' cannot combine NOT_CONTAINS with NOT_EQUALS");
    expect_json_err(f,
                    "{\"Title\": [{\"Value\": \"a\", \"Comparison\": \"PREFIX_NOT_EQUALS\"}, "
                    "{\"Value\": \"b\", \"Comparison\": \"NOT_CONTAINS\"}]}",
                    "hub filter: 'Title' cannot combine NOT_CONTAINS with PREFIX_NOT_EQUALS");
}

static void test_filter_string_multivalued(void **state)
{
    struct fx *f = *state;
    /* second values live in finding_values */
    expect_json(f, "{" S("Type", "EQUALS", "Unusual Behaviors/User") "}", "f04");
    expect_json(f, "{" S("Type", "EQUALS", "TTPs/Execution") "}", "f07");
    expect_json(f, "{" S("Type", "PREFIX", "TTPs") "}", "f01 f04 f07");
    expect_json(f, "{" S("Type", "CONTAINS", "Cryptomining") "}", "f01");
    expect_json(f, "{" S("Type", "NOT_CONTAINS", "Vulnerabilities") "}",
                "f01 f02 f04 f05 f06 f07 f08 f10");
    expect_json(f, "{" S("Type", "PREFIX_NOT_EQUALS", "TTPs/") "}", "f02 f03 f05 f06 f08 f09 f10");
    expect_json(f, "{" S("ResourceId", "EQUALS", "arn:aws:s3:::data-bucket") "}", "f05 f06");
    expect_json(f, "{" S("ResourceId", "EQUALS", "arn:aws:iam::111111111111:user/bob") "}", "f06");
    expect_json(
        f, "{" S("ResourceId", "EQUALS", "arn:aws:ec2:us-east-1:111111111111:instance/i-0003") "}",
        "f03");
    expect_json(f, "{" S("ResourceId", "PREFIX", "arn:aws:s3:::") "}", "f02 f05 f06");
    /* the third resource of f06 excludes it */
    expect_json(f, "{" S("ResourceId", "NOT_EQUALS", "arn:aws:s3:::data-bucket-2") "}",
                "f01 f02 f03 f04 f05 f07 f08 f09 f10");
    expect_json(f, "{" S("ResourceType", "EQUALS", "AwsIamUser") "}", "f06");
    expect_json(f, "{" S("ResourceType", "NOT_EQUALS", "AwsS3Bucket") "}",
                "f01 f03 f04 f07 f08 f09 f10");
}

static void test_filter_string_paths(void **state)
{
    struct fx *f = *state;
    expect_json(f, "{" S("AwsAccountName", "EQUALS", "prod-account") "}", "f01");
    expect_json(f, "{" S("NetworkDirection", "EQUALS", "IN") "}", "f04");
    expect_json(f, "{" S("NetworkDirection", "NOT_EQUALS", "IN") "}",
                "f01 f02 f03 f05 f06 f07 f08 f09 f10");
    expect_json(f, "{" S("RecommendationText", "CONTAINS", "Public") "}", "f02");
    expect_json(f, "{" S("WorkflowState", "EQUALS", "NEW") "}", "f10");
    expect_json(f, "{" S("NoteText", "PREFIX", "checked") "}", "f09");
    expect_json(f, "{" S("FindingProviderFieldsSeverityLabel", "EQUALS", "HIGH") "}", "f01");
    /* arrays: any element for a positive, no element for a negative */
    expect_json(f, "{" S("MalwareName", "EQUALS", "Mimikatz") "}", "f07");
    expect_json(f, "{" S("MalwareState", "NOT_EQUALS", "REMOVED") "}",
                "f01 f02 f03 f04 f05 f06 f08 f09 f10");
    expect_json(f, "{" S("MalwarePath", "PREFIX", "/tmp/") "}", "f07");
    expect_json(f, "{" S("ThreatIntelIndicatorValue", "EQUALS", "evil.example") "}", "f07");
    expect_json(f, "{" S("ResourceAwsEc2InstanceImageId", "EQUALS", "ami-0aaa") "}", "f01 f03");
    expect_json(f, "{" S("ResourceAwsEc2InstanceType", "NOT_EQUALS", "t3.micro") "}",
                "f02 f03 f04 f05 f06 f07 f08 f10");
    expect_json(f, "{" S("ResourceAwsIamAccessKeyPrincipalName", "EQUALS", "alice") "}", "f04");
    expect_json(f, "{" S("ResourceAwsIamUserUserName", "EQUALS", "bob") "}", "f06");
    expect_json(f, "{" S("ResourceContainerImageName", "PREFIX", "nginx:") "}", "f07");
    expect_json(f, "{" S("ResourceAwsS3BucketOwnerName", "EQUALS", "logs-owner") "}", "f02");
    expect_json(f, "{" S("ResourcePartition", "EQUALS", "aws") "}", "f01 f02 f03");
    expect_json(f, "{" S("ResourceRegion", "EQUALS", "eu-west-1") "}", "f04");
    expect_json(f, "{" S("RelatedFindingsId", "EQUALS", "f01") "}", "f06");
    expect_json(f, "{" S("FindingProviderFieldsTypes", "PREFIX", "Effects/") "}", "f01");
    expect_json(f, "{" S("VulnerabilitiesExploitAvailable", "EQUALS", "YES") "}", "f09");
    expect_json(f, "{" S("VulnerabilitiesFixAvailable", "NOT_EQUALS", "YES") "}",
                "f01 f02 f04 f05 f06 f07 f08 f09 f10");
    /* nested arrays */
    expect_json(f, "{" S("ComplianceAssociatedStandardsId", "PREFIX", "standards/cis-aws") "}",
                "f02 f08");
    expect_json(f, "{" S("ComplianceSecurityControlParametersValue", "EQUALS", "30") "}", "f02");
    expect_json(f, "{" S("ComplianceSecurityControlParametersName", "EQUALS", "maxDays") "}",
                "f02");
    /* column-backed compliance and verification */
    expect_json(f, "{" S("ComplianceStatus", "EQUALS", "FAILED") "}", "f02");
    expect_json(f, "{" S("ComplianceSecurityControlId", "EQUALS", "IAM.4") "}", "f08");
    expect_json(f, "{" S("VerificationState", "EQUALS", "TRUE_POSITIVE") "}", "f02");
}

/* ---- NumberFilter, DateFilter ------------------------------------------------------------ */

static void test_filter_number(void **state)
{
    struct fx *f = *state;
    expect_json(f, "{\"Confidence\": [{\"Gte\": 50}]}", "f01 f04 f06 f07");
    expect_json(f, "{\"Confidence\": [{\"Gte\": 30, \"Lte\": 55}]}", "f03 f07 f09");
    expect_json(f, "{\"Confidence\": [{\"Gt\": 30, \"Lt\": 55}]}", "f09");
    expect_json(f, "{\"Confidence\": [{\"Eq\": 30}, {\"Eq\": 100}]}", "f03 f04");
    expect_json(f, "{\"Confidence\": [{\"Lte\": 30}, {\"Gte\": 100}]}", "f03 f04");
    expect_json(f, "{\"Confidence\": [{\"Gte\": 50, \"Lte\": null}]}", "f01 f04 f06 f07");
    expect_json(f, "{\"Criticality\": [{\"Lt\": 50}]}", "f03 f09");
    expect_json(f, "{\"SeverityNormalized\": [{\"Gte\": 70}]}", "f01 f04 f06 f08");
    expect_json(f, "{\"SeverityProduct\": [{\"Gte\": 5}]}", "f01");
    expect_json(f, "{\"SeverityProduct\": [{\"Lte\": 5.0}]}", "f10");
    expect_json(f, "{\"SeverityProduct\": [{\"Eq\": 2.5}]}", "f10");
    expect_json(f, "{\"NetworkDestinationPort\": [{\"Eq\": 22}]}", "f01");
    expect_json(f, "{\"ProcessPid\": [{\"Gt\": 4000}]}", "f07");
    expect_json(f, "{\"FindingProviderFieldsConfidence\": [{\"Gte\": 80}]}", "f01");
    /* findings without the value never match */
    expect_json(f, "{\"SeverityProduct\": [{\"Gte\": -1000}]}", "f01 f10");
}

static void test_filter_date(void **state)
{
    struct fx *f = *state;
    expect_json(f,
                "{\"UpdatedAt\": [{\"Start\": \"2026-02-26T00:00:00Z\", \"End\": "
                "\"2026-02-27T23:59:59Z\"}]}",
                "f03 f04 f09");
    /* last 7 days: [2026-02-22T00:00:00Z, now] */
    expect_json(f, "{\"UpdatedAt\": [{\"DateRange\": {\"Value\": 7, \"Unit\": \"DAYS\"}}]}",
                "f01 f03 f04 f07 f09");
    expect_json(f, "{\"UpdatedAt\": [{\"DateRange\": {\"Value\": 0, \"Unit\": \"DAYS\"}}]}", "");
    expect_json(f, "{\"UpdatedAt\": [{\"End\": \"2026-01-01\"}]}", "f08");
    expect_json(f,
                "{\"UpdatedAt\": [{\"End\": \"2026-01-01\"}, {\"Start\": "
                "\"2026-02-28T00:00:00Z\"}]}",
                "f01 f07 f08");
    /* both bounds inclusive, to the millisecond */
    expect_json(f, "{\"UpdatedAt\": [{\"Start\": \"2026-02-28T23:59:59.999Z\"}]}", "f07");
    expect_json(f,
                "{\"UpdatedAt\": [{\"Start\": \"2026-02-28T12:00:00Z\", \"End\": "
                "\"2026-02-28T23:59:59.998Z\"}]}",
                "f01");
    expect_json(f,
                "{\"LastObservedAt\": [{\"Start\": \"2026-02-28T11:00:00.500Z\", \"End\": "
                "\"2026-02-28T11:00:00.500Z\"}]}",
                "f01");
    expect_json(f, "{\"FirstObservedAt\": [{\"DateRange\": {\"Value\": 30, \"Unit\": \"DAYS\"}}]}",
                "f01");
    expect_json(f, "{\"CreatedAt\": [{\"Start\": \"2026-02-27T00:00:00+01:00\"}]}", "f04 f07");
    /* dates in documents, with an offset */
    expect_json(f,
                "{\"ProcessLaunchedAt\": [{\"Start\": \"2026-02-28T00:02:03Z\", \"End\": "
                "\"2026-02-28T00:02:03Z\"}]}",
                "f07");
    expect_json(f, "{\"NoteUpdatedAt\": [{\"Start\": \"2026-01-01T00:00:00Z\"}]}", "f09");
    expect_json(f, "{\"NoteUpdatedAt\": [{\"End\": \"2026-01-01T00:00:00Z\"}]}", "f08");
    expect_json(f,
                "{\"ResourceAwsIamAccessKeyCreatedAt\": [{\"DateRange\": {\"Value\": 365, "
                "\"Unit\": \"DAYS\"}}]}",
                "f04");
    expect_json(f, "{\"ThreatIntelIndicatorLastObservedAt\": [{\"Start\": \"2026-02-26\"}]}",
                "f07");
    expect_json(f, "{\"ResourceAwsEc2InstanceLaunchedAt\": [{\"End\": \"2026-01-01T00:00:00Z\"}]}",
                "f01");
}

/* ---- MapFilter, BooleanFilter, IpFilter -------------------------------------------------- */

#define M(attr, key, cmp, val)                                                                     \
    "\"" attr "\": [{\"Key\": \"" key "\", \"Value\": \"" val "\", \"Comparison\": \"" cmp "\"}]"

static void test_filter_map(void **state)
{
    struct fx *f = *state;
    expect_json(f, "{" M("ResourceTags", "env", "EQUALS", "prod") "}", "f01 f03 f05");
    expect_json(f, "{" M("ResourceTags", "env", "NOT_EQUALS", "prod") "}",
                "f02 f04 f06 f07 f08 f09 f10");
    expect_json(f,
                "{\"ResourceTags\": [{\"Key\": \"env\", \"Value\": \"dev\", \"Comparison\": "
                "\"EQUALS\"}, {\"Key\": \"team\", \"Value\": \"red\", \"Comparison\": "
                "\"EQUALS\"}]}",
                "f01 f02");
    expect_json(f,
                "{\"ResourceTags\": [{\"Key\": \"env\", \"Value\": \"dev\", \"Comparison\": "
                "\"NOT_EQUALS\"}, {\"Key\": \"env\", \"Value\": \"prod\", \"Comparison\": "
                "\"NOT_EQUALS\"}]}",
                "f04 f06 f07 f08 f09 f10");
    expect_json(f, "{" M("ResourceTags", "cost center", "EQUALS", "42") "}", "f05");
    expect_json(f, "{" M("ResourceTags", "env", "EQUALS", "Prod") "}", "");
    expect_json(f, "{" M("ProductFields", "count", "CONTAINS", "1") "}", "f01");
    expect_json(f, "{" M("ProductFields", "count", "NOT_CONTAINS", "2") "}",
                "f02 f03 f04 f05 f06 f07 f08 f09 f10");
    expect_json(f,
                "{" M("ProductFields", "aws/guardduty/service/action/actionType", "EQUALS",
                      "NETWORK_CONNECTION") "}",
                "f01");
    expect_json(f, "{" M("UserDefinedFields", "ticket", "EQUALS", "SEC-1") "}", "f04");
    expect_json(f, "{" M("ResourceDetailsOther", "mode", "EQUALS", "prod") "}", "f10");
    expect_json_err(f,
                    "{\"ResourceTags\": [{\"Key\": \"env\", \"Value\": \"a\", \"Comparison\": "
                    "\"EQUALS\"}, {\"Key\": \"team\", \"Value\": \"b\", \"Comparison\": "
                    "\"NOT_EQUALS\"}]}",
                    "hub filter: 'ResourceTags' cannot combine EQUALS with NOT_EQUALS");
    expect_json_err(f,
                    "{\"ResourceTags\": [{\"Key\": \"env\", \"Value\": \"a\", \"Comparison\": "
                    "\"NOT_CONTAINS\"}, {\"Key\": \"env\", \"Value\": \"b\", \"Comparison\": "
                    "\"CONTAINS\"}]}",
                    "hub filter: 'ResourceTags' cannot combine CONTAINS with NOT_CONTAINS");
    expect_json_err(f, "{" M("ResourceTags", "env", "PREFIX", "p") "}",
                    "hub filter: 'ResourceTags': unknown MapFilter comparison 'PREFIX'");
    expect_json_err(f, "{\"ResourceTags\": [{\"Value\": \"p\", \"Comparison\": \"EQUALS\"}]}",
                    "hub filter: 'ResourceTags': MapFilter needs a string 'Key'");
}

static void test_filter_boolean(void **state)
{
    struct fx *f = *state;
    expect_json(f, "{\"Sample\": [{\"Value\": true}]}", "f04");
    /* no Sample counts as false */
    expect_json(f, "{\"Sample\": [{\"Value\": false}]}", "f01 f02 f03 f05 f06 f07 f08 f09 f10");
    expect_json(f, "{\"Sample\": [{\"Value\": false}, {\"Value\": true}]}", ALL);
    expect_json_err(f, "{\"Sample\": [{\"Value\": \"true\"}]}",
                    "hub filter: 'Sample': BooleanFilter needs a boolean 'Value'");
}

static void test_filter_ip(void **state)
{
    struct fx *f = *state;
    expect_json(f, "{\"NetworkSourceIpV4\": [{\"Cidr\": \"10.0.0.0/8\"}]}", "f01");
    expect_json(f,
                "{\"NetworkSourceIpV4\": [{\"Cidr\": \"203.0.113.0/24\"}, {\"Cidr\": "
                "\"192.168.0.0/16\"}]}",
                "f04 f07");
    expect_json(f, "{\"NetworkSourceIpV4\": [{\"Cidr\": \"203.0.113.50\"}]}", "f04");
    expect_json(f, "{\"NetworkSourceIpV4\": [{\"Cidr\": \"0.0.0.0/0\"}]}", "f01 f04 f07");
    expect_json(f, "{\"NetworkSourceIpV6\": [{\"Cidr\": \"2001:db8::/32\"}]}", "f04");
    expect_json(f, "{\"NetworkSourceIpV6\": [{\"Cidr\": \"2001:db8:2::/48\"}]}", "");
    /* an IPv4-mapped IPv6 address is its IPv4 address */
    expect_json(f, "{\"NetworkDestinationIpV6\": [{\"Cidr\": \"10.0.0.0/8\"}]}", "f07");
    expect_json(f, "{\"NetworkDestinationIpV4\": [{\"Cidr\": \"198.51.100.0/24\"}]}", "f01");
    /* arrays: any element */
    expect_json(f, "{\"ResourceAwsEc2InstanceIpV4Addresses\": [{\"Cidr\": \"54.0.0.0/8\"}]}",
                "f01");
    expect_json(f, "{\"ResourceAwsEc2InstanceIpV4Addresses\": [{\"Cidr\": \"10.0.0.0/8\"}]}",
                "f01 f09");
    expect_json(f, "{\"ResourceAwsEc2InstanceIpV4Addresses\": [{\"Cidr\": \"172.16.0.0/12\"}]}",
                "f03");
    expect_json(f, "{\"ResourceAwsEc2InstanceIpV6Addresses\": [{\"Cidr\": \"2001:db8::5/128\"}]}",
                "f01");
    /* with other conditions, and two IP attributes intersected */
    expect_json(f,
                "{\"ResourceAwsEc2InstanceIpV4Addresses\": [{\"Cidr\": \"10.0.0.0/8\"}], " S(
                    "SeverityLabel", "EQUALS", "MEDIUM") "}",
                "f09");
    expect_json(f,
                "{\"NetworkSourceIpV4\": [{\"Cidr\": \"10.0.0.0/8\"}], "
                "\"ResourceAwsEc2InstanceIpV4Addresses\": [{\"Cidr\": \"54.0.0.0/8\"}]}",
                "f01");
    expect_json(f,
                "{\"NetworkSourceIpV4\": [{\"Cidr\": \"203.0.113.0/24\"}], "
                "\"ResourceAwsEc2InstanceIpV4Addresses\": [{\"Cidr\": \"10.0.0.0/8\"}]}",
                "");
    expect_json_err(f, "{\"NetworkSourceIpV4\": [{\"Cidr\": \"10.0.0.0/33\"}]}",
                    "hub filter: 'NetworkSourceIpV4': bad 'Cidr': cidr: bad prefix length '33' "
                    "at 9 (0..32)");
}

/* ---- malformed filters ------------------------------------------------------------------- */

static void test_filter_json_errors(void **state)
{
    struct fx *f = *state;
    expect_json_err(f, "[]", "hub filter: Filters must be an object");
    expect_json_err(f, "{\"Foo\": []}", "hub filter: unknown attribute 'Foo'");
    expect_json_err(f, "{\"severityLabel\": []}", "hub filter: unknown attribute 'severityLabel'");
    expect_json_err(f, "{\"Title\": {\"Value\": \"x\", \"Comparison\": \"EQUALS\"}}",
                    "hub filter: 'Title' must be an array of StringFilter objects");
    expect_json_err(f, "{\"Title\": [\"x\"]}",
                    "hub filter: 'Title' must be an array of StringFilter objects");
    expect_json_err(f, "{\"Title\": [{\"Value\": \"x\", \"Comparison\": \"EQUALS\", \"X\": 1}]}",
                    "hub filter: 'Title': unknown StringFilter member 'X'");
    expect_json_err(f, "{\"Title\": [{\"Value\": \"x\"}]}",
                    "hub filter: 'Title': StringFilter needs a string 'Comparison'");
    expect_json_err(f, "{\"Title\": [{\"Value\": 5, \"Comparison\": \"EQUALS\"}]}",
                    "hub filter: 'Title': StringFilter needs a string 'Value'");
    expect_json_err(f, "{\"Title\": [{\"Value\": \"x\", \"Comparison\": \"LIKE\"}]}",
                    "hub filter: 'Title': unknown StringFilter comparison 'LIKE'");
    expect_json_err(f, "{\"Confidence\": [{\"Gte\": \"50\"}]}",
                    "hub filter: 'Confidence': 'Gte' must be a number");
    expect_json_err(f, "{\"Confidence\": [{}]}",
                    "hub filter: 'Confidence': NumberFilter needs Gte, Lte, Gt, Lt or Eq");
    expect_json_err(f, "{\"Confidence\": [{\"Value\": 5}]}",
                    "hub filter: 'Confidence': unknown NumberFilter member 'Value'");
    expect_json_err(f, "{\"UpdatedAt\": [{\"Start\": \"2026-13-01T00:00:00Z\"}]}",
                    "hub filter: 'UpdatedAt': bad 'Start': time: bad month '13' at 5 in "
                    "'2026-13-01T00:00:00Z'");
    expect_json_err(f, "{\"UpdatedAt\": [{\"End\": 5}]}",
                    "hub filter: 'UpdatedAt': 'End' must be a string");
    expect_json_err(f, "{\"UpdatedAt\": [{\"DateRange\": {\"Value\": 7, \"Unit\": \"HOURS\"}}]}",
                    "hub filter: 'UpdatedAt': DateRange 'Unit' must be 'DAYS'");
    expect_json_err(f, "{\"UpdatedAt\": [{\"DateRange\": {\"Value\": -1, \"Unit\": \"DAYS\"}}]}",
                    "hub filter: 'UpdatedAt': DateRange 'Value' must be an integer of days from "
                    "0 to 3650000");
    expect_json_err(f, "{\"UpdatedAt\": [{}]}",
                    "hub filter: 'UpdatedAt': DateFilter needs Start, End or DateRange");
    /* the first attribute was fine, the second is not: nothing is kept */
    expect_json_err(f, "{" S("SeverityLabel", "EQUALS", "HIGH") ", \"Nope\": []}",
                    "hub filter: unknown attribute 'Nope'");
}

static void test_filter_json_adds_combine(void **state)
{
    struct fx *f = *state;
    struct rp_hub_filter *flt = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    /* two adds are one Filters object: positives on one attribute stay ORed ... */
    assert_int_equal(add_json(f, flt, "{" S("SeverityLabel", "EQUALS", "HIGH") "}", &eb), RP_OK);
    assert_int_equal(rp_hub_filter_add_arg(flt, "SeverityLabel=CRITICAL", NOW, &eb), RP_OK);
    assert_string_equal(ids(f, flt), "f01 f04 f06 f08");
    /* ... other attributes are ANDed, and refused combinations span adds */
    assert_int_equal(add_json(f, flt, "{" S("RecordState", "EQUALS", "ARCHIVED") "}", &eb), RP_OK);
    assert_string_equal(ids(f, flt), "f06 f08");
    assert_int_equal(add_json(f, flt, "{" S("SeverityLabel", "NOT_EQUALS", "HIGH") "}", &eb),
                     RP_EINVAL);
    assert_string_equal(eb.msg,
                        "hub filter: 'SeverityLabel' cannot combine EQUALS with NOT_EQUALS");
    assert_string_equal(ids(f, flt), "f06 f08");
    rp_hub_filter_free(flt);
    rp_hub_filter_free(NULL);
}

/* ---- command-line conditions ------------------------------------------------------------- */

static void test_filter_args(void **state)
{
    struct fx *f = *state;
    expect_args(f, ARGS("SeverityLabel=HIGH"), "f01 f06");
    expect_args(f, ARGS("SeverityLabel!=HIGH", "SeverityLabel!=CRITICAL"),
                "f02 f03 f05 f07 f09 f10");
    expect_args(f, ARGS("SeverityLabel=HIGH", "SeverityLabel=CRITICAL"), "f01 f04 f06 f08");
    expect_args(f, ARGS("ResourceId^=arn:aws:s3:::"), "f02 f05 f06");
    expect_args(f, ARGS("GeneratorId!^=arn:aws:guardduty"), "f02 f03 f05 f07 f08 f09 f10");
    expect_args(f, ARGS("Title~=root"), "f08");
    expect_args(f, ARGS("Title!~=CVE", "Title!~=S3"), "f01 f04 f07 f08 f10");
    expect_args(f, ARGS("ResourceType^=AwsIam", "ResourceType^=AwsEc2", "ResourceType!=AwsIamUser"),
                "f01 f03 f04 f09");
    expect_args(f, ARGS("Type=TTPs/Execution"), "f07");
    expect_args(f, ARGS("Title=CVE-2024-0001 - openssl"), "f03");
    expect_args(f, ARGS("Title="), "");
    /* values may contain operator characters */
    expect_args(f, ARGS("Title!=a=b"), ALL);
    expect_args(f, ARGS("SeverityLabel=HIGH", "RecordState=ACTIVE"), "f01");
}

static void test_filter_args_ranges(void **state)
{
    struct fx *f = *state;
    /* a lower and an upper bound make one range */
    expect_args(f, ARGS("Confidence>=50", "Confidence<=80"), "f01 f06 f07");
    expect_args(f, ARGS("Confidence>30", "Confidence<55"), "f09");
    /* equalities, and a second bound on a side already set, are further filters (ORed) */
    expect_args(f, ARGS("Confidence=30", "Confidence=100"), "f03 f04");
    expect_args(f, ARGS("Confidence>=90", "Confidence>=30"), "f01 f03 f04 f06 f07 f09");
    /* a bound always completes the open side, even into an empty range: (<=30 and >=100) or
     * >=60 */
    expect_args(f, ARGS("Confidence<=30", "Confidence>=100", "Confidence>=60"), "f01 f04 f06");
    expect_args(f, ARGS("SeverityProduct>2.5"), "f01");
    expect_args(f, ARGS("SeverityProduct<=2.5"), "f10");
    expect_args(f, ARGS("NetworkSourcePort=40000"), "f01");
    /* dates: relative times count back from now */
    expect_args(f, ARGS("UpdatedAt>7d"), "f01 f03 f04 f07 f09");
    expect_args(f, ARGS("UpdatedAt<=30d"), "f08");
    expect_args(f, ARGS("UpdatedAt>=2026-02-26", "UpdatedAt<2026-02-27T06:00:00Z"), "f03 f09");
    expect_args(f, ARGS("UpdatedAt>=2026-02-26", "UpdatedAt<=2026-02-27T06:00:00Z"), "f03 f04 f09");
    expect_args(f, ARGS("UpdatedAt>2026-02-26T00:00:00Z"), "f01 f04 f07");
    expect_args(f, ARGS("UpdatedAt>1772236800"), "f01 f07"); /* epoch seconds: 02-28T00:00Z */
    expect_args(f, ARGS("CreatedAt<2026-01-01", "CreatedAt>=2026-02-28"), "");
    expect_args(f, ARGS("CreatedAt<2026-01-01", "CreatedAt<2026-03-01", "CreatedAt>=2026-02-28"),
                "f07 f08");
    expect_args(f, ARGS("NoteUpdatedAt>=24h"), "");
    expect_args(f, ARGS("NoteUpdatedAt>=5w"), "f09");
}

static void test_filter_args_maps_bools_ips(void **state)
{
    struct fx *f = *state;
    expect_args(f, ARGS("ResourceTags.env=prod"), "f01 f03 f05");
    expect_args(f, ARGS("ResourceTags.env!=prod"), "f02 f04 f06 f07 f08 f09 f10");
    expect_args(f, ARGS("ResourceTags.cost center=42"), "f05");
    expect_args(f, ARGS("ResourceTags.env=dev", "ResourceTags.team=red"), "f01 f02");
    expect_args(f, ARGS("ProductFields.count~=1"), "f01");
    expect_args(f, ARGS("ProductFields.count!~=2"), "f02 f03 f04 f05 f06 f07 f08 f09 f10");
    expect_args(f, ARGS("ProductFields.aws/guardduty/service/action/actionType=NETWORK_CONNECTION"),
                "f01");
    expect_args(f, ARGS("UserDefinedFields.owner=alice"), "f04");
    expect_args(f, ARGS("Sample=true"), "f04");
    expect_args(f, ARGS("Sample=false"), "f01 f02 f03 f05 f06 f07 f08 f09 f10");
    expect_args(f, ARGS("NetworkSourceIpV4=10.0.0.0/8"), "f01");
    expect_args(f, ARGS("NetworkSourceIpV6=2001:db8:1::10"), "f04");
    expect_args(f, ARGS("NetworkSourceIpV4=10.0.0.0/8", "NetworkSourceIpV4=192.168.0.0/16"),
                "f01 f07");
    expect_args(f, ARGS("ResourceAwsEc2InstanceIpV4Addresses=10.0.0.0/8", "Confidence<50"), "f09");
}

static void test_filter_args_errors(void **state)
{
    struct fx *f = *state;
    expect_arg_err(f, ARGS(""), "hub filter: '': missing attribute name");
    expect_arg_err(f, ARGS("=x"), "hub filter: '=x': missing attribute name");
    expect_arg_err(f, ARGS("Title"),
                   "hub filter: 'Title': expected an operator after 'Title' (=, !=, ^=, !^=, ~=, "
                   "!~=, >=, <=, > or <)");
    expect_arg_err(f, ARGS("Title ~= x"),
                   "hub filter: 'Title ~= x': expected an operator after 'Title' (=, !=, ^=, !^=, "
                   "~=, !~=, >=, <=, > or <)");
    expect_arg_err(f, ARGS("Foo=bar"), "hub filter: 'Foo=bar': unknown attribute 'Foo'");
    expect_arg_err(f, ARGS("title=x"), "hub filter: 'title=x': unknown attribute 'title'");
    expect_arg_err(f, ARGS("Title.x=1"), "hub filter: 'Title.x=1': 'Title' is not a map attribute");
    expect_arg_err(f, ARGS("ResourceTags=prod"),
                   "hub filter: 'ResourceTags=prod': 'ResourceTags' needs a key, as in "
                   "'ResourceTags.<key>=<value>'");
    expect_arg_err(f, ARGS("ResourceTags.=x"), "hub filter: 'ResourceTags.=x': empty map key");
    expect_arg_err(f, ARGS("ResourceTags.env^=p"),
                   "hub filter: 'ResourceTags.env^=p': map attribute 'ResourceTags' takes =, !=, "
                   "~= or !~=");
    expect_arg_err(f, ARGS("ResourceTags.env>=p"),
                   "hub filter: 'ResourceTags.env>=p': map attribute 'ResourceTags' takes =, !=, "
                   "~= or !~=");
    expect_arg_err(f, ARGS("Title>=5"),
                   "hub filter: 'Title>=5': string attribute 'Title' takes =, !=, ^=, !^=, ~= or "
                   "!~=");
    expect_arg_err(f, ARGS("Confidence^=5"),
                   "hub filter: 'Confidence^=5': number attribute 'Confidence' takes =, >=, <=, > "
                   "or <");
    expect_arg_err(f, ARGS("Confidence>=high"),
                   "hub filter: 'Confidence>=high': 'high' is not a number");
    expect_arg_err(f, ARGS("Confidence>= 5"), "hub filter: 'Confidence>= 5': ' 5' is not a number");
    expect_arg_err(f, ARGS("Confidence=0x10"),
                   "hub filter: 'Confidence=0x10': '0x10' is not a number");
    expect_arg_err(f, ARGS("Confidence=inf"),
                   "hub filter: 'Confidence=inf': 'inf' is not a number");
    expect_arg_err(f, ARGS("Confidence="), "hub filter: 'Confidence=': '' is not a number");
    expect_arg_err(f, ARGS("UpdatedAt=2026-01-01"),
                   "hub filter: 'UpdatedAt=2026-01-01': date attribute 'UpdatedAt' takes >=, <=, "
                   "> or <");
    expect_arg_err(f, ARGS("UpdatedAt>=2026-13-01"),
                   "hub filter: 'UpdatedAt>=2026-13-01': time: bad month '13' at 5 in "
                   "'2026-13-01'");
    expect_arg_err(f, ARGS("Sample=yes"), "hub filter: 'Sample=yes': 'yes' is not true or false");
    expect_arg_err(f, ARGS("Sample!=true"),
                   "hub filter: 'Sample!=true': boolean attribute 'Sample' takes = with true or "
                   "false");
    expect_arg_err(f, ARGS("NetworkSourceIpV4=10.0.0.0/33"),
                   "hub filter: 'NetworkSourceIpV4=10.0.0.0/33': cidr: bad prefix length '33' at "
                   "9 (0..32)");
    expect_arg_err(f, ARGS("NetworkSourceIpV4^=10."),
                   "hub filter: 'NetworkSourceIpV4^=10.': ip attribute 'NetworkSourceIpV4' takes = "
                   "with an address or CIDR");
    /* combinations Security Hub refuses, across arguments; the earlier ones stay */
    expect_arg_err(f, ARGS("Title=CVE-2024-0001 - openssl", "Title!=b"),
                   "hub filter: 'Title!=b': 'Title' cannot combine EQUALS with NOT_EQUALS");
    expect_arg_err(f, ARGS("Title=CVE-2024-0001 - openssl", "Title!^=b"),
                   "hub filter: 'Title!^=b': 'Title' cannot combine EQUALS with "
                   "PREFIX_NOT_EQUALS");
    expect_arg_err(f, ARGS("Title~=CVE", "Title=b"),
                   "hub filter: 'Title=b': 'Title' cannot combine CONTAINS with EQUALS");
    expect_arg_err(f, ARGS("Title!~=CVE", "Title!=b"),
                   "hub filter: 'Title!=b': 'Title' cannot combine NOT_CONTAINS with NOT_EQUALS");
    expect_arg_err(f, ARGS("ResourceTags.env=prod", "ResourceTags.team!=red"),
                   "hub filter: 'ResourceTags.team!=red': 'ResourceTags' cannot combine EQUALS "
                   "with NOT_EQUALS");
    /* long arguments are cut in messages */
    char big[400];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char want[600];
    snprintf(want, sizeof want,
             "hub filter: '%.120s': expected an operator after '%.120s' (=, "
             "!=, ^=, !^=, ~=, !~=, >=, <=, > or <)",
             big, big);
    struct rp_hub_filter *flt = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    assert_int_equal(rp_hub_filter_add_arg(flt, big, NOW, &eb), RP_EINVAL);
    assert_true(strncmp(eb.msg, want, sizeof eb.msg - 1) == 0);
    rp_hub_filter_free(flt);
}

/* ---- the catalogue ----------------------------------------------------------------------- */

static rp_err count_group(void *ctx, const char *value, int64_t count)
{
    (void)value;
    (void)count;
    (*(int *)ctx)++;
    return RP_OK;
}

static void test_filter_catalogue(void **state)
{
    /* its own store: this test prepares ~200 distinct statements, and a store caches at most
     * RP_MAX_STORE_STMTS */
    struct fx own = {.st = hub_test_store_open(), .p = ((struct fx *)*state)->p}, *f = &own;
    assert_non_null(own.st);
    /* plus a document of unexpected shapes: strings where arrays, objects or numbers belong */
    static const char odd[] =
        "INSERT INTO finding_docs (rowid, doc) VALUES (11, '{\"Id\":\"f11\",\"Resources\":["
        "\"oops\",{\"Type\":\"X\",\"Id\":\"y\",\"Tags\":\"notmap\",\"Details\":{"
        "\"AwsEc2Instance\":\"str\",\"Other\":[1]}}],\"Malware\":\"notarray\","
        "\"ProductFields\":[1,2],\"Network\":\"x\",\"Compliance\":{\"AssociatedStandards\":["
        "null,5],\"SecurityControlParameters\":[{\"Value\":\"v\"}]},\"ThreatIntelIndicators\":"
        "[{\"LastObservedAt\":12345}],\"Severity\":{\"Product\":\"3\"},\"Sample\":\"yes\","
        "\"Process\":{\"Pid\":\"12\"},\"Note\":[]}');"
        "INSERT INTO findings (rowid, product_arn, id, workflow_status, record_state, created_at, "
        "updated_at, imported_at) VALUES (11, 'p', 'f11', 'NEW', 'ACTIVE', 0, 0, 0);";
    assert_int_equal(rp_store_exec(own.st, odd, NULL), RP_OK);
    /* the attributes the findings hub promises, with their kinds */
    static const char *const want[] = {"ProductArn string",
                                       "AwsAccountId string",
                                       "AwsAccountName string",
                                       "Id string",
                                       "GeneratorId string",
                                       "Region string",
                                       "Type string",
                                       "FirstObservedAt date",
                                       "LastObservedAt date",
                                       "CreatedAt date",
                                       "UpdatedAt date",
                                       "SeverityLabel string",
                                       "SeverityNormalized number",
                                       "SeverityProduct number",
                                       "Confidence number",
                                       "Criticality number",
                                       "Title string",
                                       "Description string",
                                       "RecommendationText string",
                                       "SourceUrl string",
                                       "ProductFields map",
                                       "ProductName string",
                                       "CompanyName string",
                                       "UserDefinedFields map",
                                       "MalwareName string",
                                       "MalwareType string",
                                       "MalwarePath string",
                                       "MalwareState string",
                                       "NetworkDirection string",
                                       "NetworkProtocol string",
                                       "NetworkSourceIpV4 ip",
                                       "NetworkSourceIpV6 ip",
                                       "NetworkSourcePort number",
                                       "NetworkSourceDomain string",
                                       "NetworkDestinationIpV4 ip",
                                       "NetworkDestinationIpV6 ip",
                                       "NetworkDestinationPort number",
                                       "NetworkDestinationDomain string",
                                       "ProcessName string",
                                       "ProcessPath string",
                                       "ProcessPid number",
                                       "ThreatIntelIndicatorType string",
                                       "ThreatIntelIndicatorValue string",
                                       "ThreatIntelIndicatorCategory string",
                                       "ThreatIntelIndicatorSource string",
                                       "ResourceType string",
                                       "ResourceId string",
                                       "ResourcePartition string",
                                       "ResourceRegion string",
                                       "ResourceTags map",
                                       "ResourceAwsEc2InstanceType string",
                                       "ResourceAwsEc2InstanceImageId string",
                                       "ResourceAwsEc2InstanceIpV4Addresses ip",
                                       "ResourceAwsEc2InstanceVpcId string",
                                       "ResourceAwsEc2InstanceSubnetId string",
                                       "ResourceAwsEc2InstanceIamInstanceProfileArn string",
                                       "ResourceAwsEc2InstanceKeyName string",
                                       "ResourceAwsS3BucketOwnerId string",
                                       "ResourceAwsS3BucketOwnerName string",
                                       "ResourceAwsIamAccessKeyUserName string",
                                       "ResourceAwsIamAccessKeyPrincipalName string",
                                       "ResourceAwsIamAccessKeyStatus string",
                                       "ResourceAwsIamUserUserName string",
                                       "ResourceContainerName string",
                                       "ResourceContainerImageId string",
                                       "ResourceContainerImageName string",
                                       "ResourceDetailsOther map",
                                       "ComplianceStatus string",
                                       "ComplianceSecurityControlId string",
                                       "ComplianceAssociatedStandardsId string",
                                       "VerificationState string",
                                       "WorkflowStatus string",
                                       "WorkflowState string",
                                       "RecordState string",
                                       "RelatedFindingsProductArn string",
                                       "RelatedFindingsId string",
                                       "NoteText string",
                                       "NoteUpdatedAt date",
                                       "NoteUpdatedBy string",
                                       "Sample boolean",
                                       "VulnerabilitiesExploitAvailable string",
                                       "VulnerabilitiesFixAvailable string",
                                       "FindingProviderFieldsConfidence number",
                                       "FindingProviderFieldsCriticality number",
                                       "FindingProviderFieldsSeverityLabel string",
                                       "FindingProviderFieldsSeverityOriginal string",
                                       "FindingProviderFieldsTypes string",
                                       "FindingProviderFieldsRelatedFindingsId string",
                                       "FindingProviderFieldsRelatedFindingsProductArn string",
                                       "ResourceApplicationName string",
                                       "ResourceApplicationArn string"};
    for (size_t i = 0; i < RP_ARRAY_LEN(want); i++) {
        const char *sp = strchr(want[i], ' ');
        const struct hub_field *fl = NULL;
        struct rp_errbuf eb = {0};
        if (hub_field_lookup((struct rp_str){want[i], (size_t)(sp - want[i])}, &fl, &eb) != RP_OK)
            fail_msg("%s", eb.msg);
        assert_string_equal(hub_kind_name(fl->kind), sp + 1);
    }
    /* the common filters are column-backed (indexes or the narrow table, no documents) */
    static const char *const fast[] = {"SeverityLabel",    "WorkflowStatus", "RecordState",
                                       "ResourceId",       "ResourceType",   "Type",
                                       "GeneratorId",      "AwsAccountId",   "UpdatedAt",
                                       "ComplianceStatus", "ProductArn",     "Id"};
    for (size_t i = 0; i < RP_ARRAY_LEN(fast); i++) {
        const struct hub_field *fl = NULL;
        assert_int_equal(hub_field_lookup(rp_str_from(fast[i]), &fl, NULL), RP_OK);
        assert_non_null(fl->column);
    }
    /* every attribute compiles and runs, with a condition of its kind, as a sort key and (for
     * strings) as a group; f11's odd shapes match no positive condition and fail nothing */
    const struct hub_field *all = NULL;
    size_t n = 0;
    assert_int_equal(hub_fields_all(&all, &n, NULL), RP_OK);
    assert_true(n >= RP_ARRAY_LEN(want));
    for (size_t i = 0; i < n; i++) {
        const struct hub_field *fl = &all[i];
        char json[512];
        static const char *const body[] = {
            "[{\"Value\": \"x\", \"Comparison\": \"NOT_EQUALS\"}]",
            "[{\"Gte\": -1000000}]",
            "[{\"End\": \"2100-01-01\"}]",
            "[{\"Key\": \"k\", \"Value\": \"v\", \"Comparison\": \"NOT_EQUALS\"}]",
            "[{\"Value\": false}, {\"Value\": true}]",
            "[{\"Cidr\": \"0.0.0.0/0\"}]"};
        snprintf(json, sizeof json, "{\"%s\": %s}", fl->name, body[fl->kind]);
        struct rp_hub_filter *flt = NULL;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
        if (add_json(f, flt, json, &eb) != RP_OK) fail_msg("%s: %s", json, eb.msg);
        int64_t cnt = -1;
        if (rp_hub_findings_count(f->st, flt, &cnt, &eb) != RP_OK) fail_msg("%s: %s", json, eb.msg);
        /* NOT_EQUALS a value no finding has, and false-or-true, match every finding */
        if (fl->kind == HUB_K_STRING || fl->kind == HUB_K_MAP || fl->kind == HUB_K_BOOLEAN)
            assert_int_equal(cnt, 11);
        else if (fl->column) /* f11 has every NOT NULL column */
            assert_true(cnt >= 0 && cnt <= 11);
        else /* f11's values are of the wrong JSON type ("3", 12345, "str") */
            assert_true(cnt >= 0 && cnt <= 10);
        if (fl->kind == HUB_K_STRING || fl->kind == HUB_K_IP) {
            int calls = 0;
            if (rp_hub_group(f->st, flt, fl->name, 0, count_group, &calls, &eb) != RP_OK)
                fail_msg("group %s: %s", fl->name, eb.msg);
        }
        if (fl->kind != HUB_K_MAP) {
            struct coll c = {.p = f->p};
            struct rp_hub_query q = {.sort = {{fl->name, true}}, .max_results = 1};
            if (rp_hub_findings_get(f->st, &q, collect_id, &c, NULL, &eb) != RP_OK)
                fail_msg("sort %s: %s", fl->name, eb.msg);
        }
        rp_hub_filter_free(flt);
    }
    /* exactly: values of the wrong JSON type never match */
    expect_json(f, "{\"SeverityProduct\": [{\"Gte\": -1000}]}", "f01 f10");
    expect_json(f, "{\"ProcessPid\": [{\"Gte\": 0}]}", "f07");
    expect_json(f, "{\"ThreatIntelIndicatorLastObservedAt\": [{\"End\": \"2100-01-01\"}]}", "f07");
    expect_json(f, "{\"Sample\": [{\"Value\": true}]}", "f04");
    expect_json(f, "{" S("MalwareName", "PREFIX", "") "}", "f07");
    expect_json(f, "{" S("ResourceAwsEc2InstanceType", "PREFIX", "") "}", "f01 f03 f09");
    expect_json(f, "{" S("ComplianceSecurityControlParametersValue", "PREFIX", "") "}", "f02 f11");
    expect_json(f, "{" M("ResourceTags", "env", "NOT_EQUALS", "dev") "}",
                "f01 f03 f04 f05 f06 f07 f08 f09 f10 f11");
    rp_store_free(own.st);
}

static void test_filter_catalogue_checks(void **state)
{
    (void)state;
    static const struct {
        const char *json, *msg;
    } cases[] = {
        {"[]", "hub fields: 'hub/filter_fields.json': expected {\"fields\": [..]}"},
        {"{\"fields\": [1]}", "hub fields: 'hub/filter_fields.json': entry 0: not an object"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"path\": \"$.A\", \"x\": \"\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0: unknown member 'x'"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": 1, \"path\": \"$.A\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0: 'kind' must be a string"},
        {"{\"fields\": [{\"name\": \"A-B\", \"kind\": \"string\", \"path\": \"$.A\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0: 'name' must be a word of letters and "
         "digits"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"text\", \"path\": \"$.A\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): unknown kind 'text'"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"path\": \"$.A[0]\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): 'path' must be '$' followed by "
         ".Name and [*] steps"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"path\": \"A\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): 'path' must be '$' followed by "
         ".Name and [*] steps"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"column\": \"a; DROP\", "
         "\"path\": \"$.A\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): 'column' must be a lower-case SQL "
         "identifier"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"values\": \"A\", \"path\": "
         "\"$.A[*]\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): 'values' needs a string attribute "
         "with a column and must be a word"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"map\", \"column\": \"a\", \"path\": "
         "\"$.A\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): map and ip attributes are read "
         "from the document, not a column"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"column\": \"a\", \"path\": "
         "\"$.A[*]\"}]}",
         "hub fields: 'hub/filter_fields.json': entry 0 ('A'): a column holds one value; list the "
         "2nd.. values with 'values'"},
        {"{\"fields\": [{\"name\": \"A\", \"kind\": \"string\", \"path\": \"$.A\"}, {\"name\": "
         "\"A\", \"kind\": \"date\", \"path\": \"$.B\"}]}",
         "hub fields: 'hub/filter_fields.json': attribute 'A' listed twice"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        struct rp_arena a;
        rp_arena_init(&a, 0);
        const struct hub_field *fl = NULL;
        size_t n = 0;
        struct rp_errbuf eb = {0};
        rp_err e = hub_fields_parse(&a, cases[i].json, strlen(cases[i].json), &fl, &n, &eb);
        if (e != RP_EPARSE) fail_msg("case %zu: %d", i, e);
        assert_string_equal(eb.msg, cases[i].msg);
        rp_arena_release(&a);
    }
    /* a good one: split at [*], sorted, first-element path for sorting */
    struct rp_arena a;
    rp_arena_init(&a, 0);
    const struct hub_field *fl = NULL;
    size_t n = 0;
    const char *good = "{\"fields\": [{\"name\": \"B\", \"kind\": \"ip\", \"path\": "
                       "\"$.X[*].Y.Z[*]\"}, {\"name\": \"A\", \"kind\": \"number\", \"column\": "
                       "\"a_1\", \"path\": \"$.A\"}]}";
    assert_int_equal(hub_fields_parse(&a, good, strlen(good), &fl, &n, NULL), RP_OK);
    assert_int_equal(n, 2);
    assert_string_equal(fl[0].name, "A");
    assert_string_equal(fl[0].column, "a_1");
    assert_int_equal(fl[0].narr, 0);
    assert_string_equal(fl[1].name, "B");
    assert_int_equal(fl[1].narr, 2);
    assert_string_equal(fl[1].seg[0], "$.X");
    assert_string_equal(fl[1].seg[1], ".Y.Z");
    assert_string_equal(fl[1].seg[2], "");
    assert_string_equal(fl[1].rel[0], "$.X");
    assert_string_equal(fl[1].rel[1], "$.Y.Z");
    assert_string_equal(fl[1].rel[2], "$");
    assert_string_equal(fl[1].first_path, "$.X[0].Y.Z[0]");
    rp_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_string_column),
        cmocka_unit_test(test_filter_string_combinations),
        cmocka_unit_test(test_filter_string_multivalued),
        cmocka_unit_test(test_filter_string_paths),
        cmocka_unit_test(test_filter_number),
        cmocka_unit_test(test_filter_date),
        cmocka_unit_test(test_filter_map),
        cmocka_unit_test(test_filter_boolean),
        cmocka_unit_test(test_filter_ip),
        cmocka_unit_test(test_filter_json_errors),
        cmocka_unit_test(test_filter_json_adds_combine),
        cmocka_unit_test(test_filter_args),
        cmocka_unit_test(test_filter_args_ranges),
        cmocka_unit_test(test_filter_args_maps_bools_ips),
        cmocka_unit_test(test_filter_args_errors),
        cmocka_unit_test(test_filter_catalogue),
        cmocka_unit_test(test_filter_catalogue_checks),
    };
    return cmocka_run_group_tests_name("hub_filter", tests, setup, teardown);
}
