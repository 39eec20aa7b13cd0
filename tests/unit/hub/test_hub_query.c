/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of GetFindings and GetInsightResults over the store (src/hub/hub_query.c): the
 * default order, SortCriteria on column, JSON-path, array and date attributes with their tie
 * breaks, pages and NextTokens (also with a filter and with IP conditions), refused tokens and
 * sort attributes, a callback that stops the walk, counts, and group-by on column,
 * multi-valued column, JSON-path and nested-array attributes with exact (value, count) lists.
 * Data: the ten findings of tests/fixtures/hub/filter_findings.sql in a :memory: store. */
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
#include "core/rp_banned.h"

#define NOW 1772323200000LL /* 2026-03-01T00:00:00Z */

struct coll {
    struct rp_json_parser *p;
    char out[1024];
    int calls, stop_at; /* stop_at > 0: return RP_EIO on that call */
};

static rp_err collect_id(void *ctx, const char *doc, size_t len)
{
    struct coll *c = ctx;
    struct rp_json_val root;
    struct rp_str id;
    if (++c->calls == c->stop_at) return RP_EIO;
    if (rp_json_parse(c->p, doc, len, &root, NULL) != RP_OK ||
        rp_json_obj_get_str(root, "Id", &id) != RP_OK)
        return RP_EPARSE;
    size_t l = strlen(c->out);
    snprintf(c->out + l, sizeof c->out - l, "%s%s", l ? " " : "", id.p);
    return RP_OK;
}

static struct rp_hub_filter *filter_of(struct fx *f, const char *json)
{
    struct rp_hub_filter *flt = NULL;
    struct rp_json_val v;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    assert_int_equal(rp_json_parse(f->p, json, strlen(json), &v, &eb), RP_OK);
    if (rp_hub_filter_add_json(flt, v, NOW, &eb) != RP_OK) fail_msg("%s: %s", json, eb.msg);
    return flt;
}

/* One page of q: the Ids in order; *tok gets the next token ("" for none). */
static const char *page(struct fx *f, const struct rp_hub_query *q, char *tok, size_t toksz)
{
    static struct coll c;
    memset(&c, 0, sizeof c);
    c.p = f->p;
    char *next = (char *)"unset";
    struct rp_errbuf eb = {0};
    if (rp_hub_findings_get(f->st, q, collect_id, &c, &next, &eb) != RP_OK)
        fail_msg("get: %s", eb.msg);
    snprintf(tok, toksz, "%s", next ? next : "");
    free(next);
    return c.out;
}

static const char *sorted(struct fx *f, const char *field, bool asc, const char *field2, bool asc2)
{
    static char tok[64];
    struct rp_hub_query q = {.sort = {{field, asc}, {field2, asc2}}};
    const char *got = page(f, &q, tok, sizeof tok);
    assert_string_equal(tok, "");
    return got;
}

/* ---- SortCriteria ------------------------------------------------------------------------ */

static void test_query_sort(void **state)
{
    struct fx *f = *state;
    /* default: UpdatedAt descending; f09/f03 and f06/f05 tie, broken by rowid (descending) */
    assert_string_equal(sorted(f, NULL, false, NULL, false),
                        "f07 f01 f04 f09 f03 f10 f06 f05 f02 f08");
    assert_string_equal(sorted(f, "UpdatedAt", false, NULL, false),
                        "f07 f01 f04 f09 f03 f10 f06 f05 f02 f08");
    assert_string_equal(sorted(f, "UpdatedAt", true, NULL, false),
                        "f08 f02 f05 f06 f10 f03 f09 f04 f01 f07");
    assert_string_equal(sorted(f, "Id", false, NULL, false),
                        "f10 f09 f08 f07 f06 f05 f04 f03 f02 f01");
    assert_string_equal(sorted(f, "SeverityLabel", true, "UpdatedAt", false),
                        "f04 f08 f01 f06 f05 f03 f10 f07 f09 f02");
    /* NULLs last when descending (rowid breaks their tie), first when ascending */
    assert_string_equal(sorted(f, "Confidence", false, NULL, false),
                        "f04 f01 f06 f07 f09 f03 f10 f08 f05 f02");
    /* JSON-path attributes */
    assert_string_equal(sorted(f, "SeverityProduct", true, NULL, false),
                        "f02 f03 f04 f05 f06 f07 f08 f09 f10 f01");
    assert_string_equal(sorted(f, "NoteUpdatedAt", false, NULL, false),
                        "f09 f08 f10 f07 f06 f05 f04 f03 f02 f01");
    /* arrays sort by their first element */
    assert_string_equal(sorted(f, "ResourceAwsEc2InstanceImageId", true, NULL, false),
                        "f02 f04 f05 f06 f07 f08 f10 f01 f03 f09");
    assert_string_equal(sorted(f, "Type", true, NULL, false),
                        "f06 f05 f07 f02 f08 f03 f09 f04 f01 f10");
    assert_string_equal(sorted(f, "ResourceId", true, "Id", false),
                        "f04 f08 f01 f03 f09 f06 f05 f02 f07 f10");
}

static void test_query_sort_errors(void **state)
{
    struct fx *f = *state;
    struct coll c = {.p = f->p};
    struct rp_errbuf eb = {0};
    char *tok = NULL;
    struct rp_hub_query q = {.sort = {{"Nope", true}}};
    assert_int_equal(rp_hub_findings_get(f->st, &q, collect_id, &c, &tok, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "hub query: unknown sort attribute 'Nope'");
    struct rp_hub_query q2 = {.sort = {{"UpdatedAt", true}, {"ResourceTags", true}}};
    assert_int_equal(rp_hub_findings_get(f->st, &q2, collect_id, &c, &tok, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "hub query: cannot sort by map attribute 'ResourceTags'");
    assert_null(tok);
    assert_int_equal(c.calls, 0);
}

/* ---- pages ------------------------------------------------------------------------------- */

static void test_query_pages(void **state)
{
    struct fx *f = *state;
    char tok[64];
    struct rp_hub_query q = {.max_results = 4};
    assert_string_equal(page(f, &q, tok, sizeof tok), "f07 f01 f04 f09");
    assert_string_equal(tok, "v1:4");
    q.next_token = "v1:4";
    assert_string_equal(page(f, &q, tok, sizeof tok), "f03 f10 f06 f05");
    assert_string_equal(tok, "v1:8");
    q.next_token = "v1:8";
    assert_string_equal(page(f, &q, tok, sizeof tok), "f02 f08");
    assert_string_equal(tok, "");
    /* an exact multiple: the last full page has no token */
    struct rp_hub_query q5 = {.max_results = 5};
    assert_string_equal(page(f, &q5, tok, sizeof tok), "f07 f01 f04 f09 f03");
    assert_string_equal(tok, "v1:5");
    q5.next_token = "v1:5";
    assert_string_equal(page(f, &q5, tok, sizeof tok), "f10 f06 f05 f02 f08");
    assert_string_equal(tok, "");
    /* past the end: an empty page */
    q5.next_token = "v1:50";
    assert_string_equal(page(f, &q5, tok, sizeof tok), "");
    assert_string_equal(tok, "");
    /* no limit */
    struct rp_hub_query all = {.next_token = "v1:7"};
    assert_string_equal(page(f, &all, tok, sizeof tok), "f05 f02 f08");
    assert_string_equal(tok, "");
}

static void test_query_pages_filtered(void **state)
{
    struct fx *f = *state;
    char tok[64];
    struct rp_hub_filter *flt =
        filter_of(f, "{\"RecordState\": [{\"Value\": \"ACTIVE\", \"Comparison\": \"EQUALS\"}]}");
    /* f03 and f09 tie on UpdatedAt across the page boundary; rowid keeps them apart */
    struct rp_hub_query q = {.filter = flt, .sort = {{"UpdatedAt", true}}, .max_results = 3};
    assert_string_equal(page(f, &q, tok, sizeof tok), "f02 f10 f03");
    assert_string_equal(tok, "v1:3");
    q.next_token = "v1:3";
    assert_string_equal(page(f, &q, tok, sizeof tok), "f09 f04 f01");
    assert_string_equal(tok, "v1:6");
    q.next_token = "v1:6";
    assert_string_equal(page(f, &q, tok, sizeof tok), "f07");
    assert_string_equal(tok, "");
    rp_hub_filter_free(flt);
    /* IP conditions (evaluated in C) page like the others */
    flt = filter_of(f, "{\"NetworkSourceIpV4\": [{\"Cidr\": \"0.0.0.0/0\"}]}");
    struct rp_hub_query qi = {.filter = flt, .max_results = 2};
    assert_string_equal(page(f, &qi, tok, sizeof tok), "f07 f01");
    assert_string_equal(tok, "v1:2");
    qi.next_token = "v1:2";
    assert_string_equal(page(f, &qi, tok, sizeof tok), "f04");
    assert_string_equal(tok, "");
    rp_hub_filter_free(flt);
}

/* Pages under a severity/workflow/record-state filter may walk the UpdatedAt index (when the
 * matches are many) or take the filter's index: either way the pages concatenate to the
 * unpaged order. */
static void test_query_pages_walk_updated(void **state)
{
    struct fx *f = *state;
    char tok[64], all[256] = "", joined[256] = "";
    struct rp_hub_filter *flt =
        filter_of(f, "{\"RecordState\": [{\"Value\": \"ACTIVE\", \"Comparison\": \"EQUALS\"}]}");
    struct rp_hub_query q = {.filter = flt};
    snprintf(all, sizeof all, "%s", page(f, &q, tok, sizeof tok));
    assert_string_equal(all, "f07 f01 f04 f09 f03 f10 f02");
    q.max_results = 2;
    for (int i = 0; i < 8; i++) {
        const char *got = page(f, &q, tok, sizeof tok);
        size_t n = strlen(joined);
        snprintf(joined + n, sizeof joined - n, "%s%s", n ? " " : "", got);
        if (!tok[0]) break;
        q.next_token = tok;
    }
    assert_string_equal(joined, all);
    rp_hub_filter_free(flt);
}

static void test_query_bad_tokens(void **state)
{
    struct fx *f = *state;
    static const char *const bad[] = {
        "", "v1:", "v2:4", "v1:-1", "v1:+4", "v1:4x", "v1: 4", "v1:99999999999999999999", "abc"};
    for (size_t i = 0; i < RP_ARRAY_LEN(bad); i++) {
        struct coll c = {.p = f->p};
        struct rp_errbuf eb = {0};
        char *tok = (char *)"unset";
        struct rp_hub_query q = {.max_results = 2, .next_token = bad[i]};
        assert_int_equal(rp_hub_findings_get(f->st, &q, collect_id, &c, &tok, &eb), RP_EINVAL);
        char want[128];
        snprintf(want, sizeof want, "hub query: bad next token '%.40s'", bad[i]);
        assert_string_equal(eb.msg, want);
        assert_null(tok);
        assert_int_equal(c.calls, 0);
    }
}

static void test_query_callback_stops(void **state)
{
    struct fx *f = *state;
    struct coll c = {.p = f->p, .stop_at = 3};
    struct rp_errbuf eb = {0};
    char *tok = (char *)"unset";
    struct rp_hub_query q = {.max_results = 5};
    assert_int_equal(rp_hub_findings_get(f->st, &q, collect_id, &c, &tok, &eb), RP_EIO);
    assert_int_equal(c.calls, 3);
    assert_string_equal(c.out, "f07 f01");
    assert_null(tok);
    /* the statement was reset: the same query runs again from the start */
    struct coll c2 = {.p = f->p};
    assert_int_equal(rp_hub_findings_get(f->st, &q, collect_id, &c2, NULL, &eb), RP_OK);
    assert_string_equal(c2.out, "f07 f01 f04 f09 f03");
}

static void test_query_count(void **state)
{
    struct fx *f = *state;
    int64_t n = -1;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_findings_count(f->st, NULL, &n, &eb), RP_OK);
    assert_int_equal(n, 10);
    static const struct {
        const char *json;
        int64_t n;
    } cases[] = {
        {"{\"SeverityLabel\": [{\"Value\": \"HIGH\", \"Comparison\": \"EQUALS\"}]}", 2},
        {"{\"Title\": [{\"Value\": \"CVE\", \"Comparison\": \"CONTAINS\"}]}", 2},
        {"{\"MalwareType\": [{\"Value\": \"VIRUS\", \"Comparison\": \"EQUALS\"}]}", 1},
        {"{\"NetworkSourceIpV4\": [{\"Cidr\": \"0.0.0.0/0\"}]}", 3},
        {"{\"ResourceTags\": [{\"Key\": \"env\", \"Value\": \"prod\", \"Comparison\": "
         "\"EQUALS\"}]}",
         3},
        {"{\"Id\": [{\"Value\": \"nope\", \"Comparison\": \"EQUALS\"}]}", 0},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        struct rp_hub_filter *flt = filter_of(f, cases[i].json);
        assert_int_equal(rp_hub_findings_count(f->st, flt, &n, &eb), RP_OK);
        if (n != cases[i].n) fail_msg("%s: %lld", cases[i].json, (long long)n);
        rp_hub_filter_free(flt);
    }
}

/* ---- group-by ---------------------------------------------------------------------------- */

struct groups {
    char out[2048];
    int calls, stop_at;
};

static rp_err collect_group(void *ctx, const char *value, int64_t count)
{
    struct groups *g = ctx;
    if (++g->calls == g->stop_at) return RP_EIO;
    size_t l = strlen(g->out);
    snprintf(g->out + l, sizeof g->out - l, "%s%s=%lld", l ? "," : "", value, (long long)count);
    return RP_OK;
}

static const char *grouped(struct fx *f, const char *json, const char *by, size_t max)
{
    static struct groups g;
    memset(&g, 0, sizeof g);
    struct rp_hub_filter *flt = json ? filter_of(f, json) : NULL;
    struct rp_errbuf eb = {0};
    if (rp_hub_group(f->st, flt, by, max, collect_group, &g, &eb) != RP_OK)
        fail_msg("group %s: %s", by, eb.msg);
    rp_hub_filter_free(flt);
    return g.out;
}

static void test_query_group_columns(void **state)
{
    struct fx *f = *state;
    assert_string_equal(grouped(f, NULL, "SeverityLabel", 0),
                        "MEDIUM=3,CRITICAL=2,HIGH=2,LOW=2,INFORMATIONAL=1");
    assert_string_equal(grouped(f, NULL, "SeverityLabel", 2), "MEDIUM=3,CRITICAL=2");
    assert_string_equal(grouped(f, "{\"Sample\": [{\"Value\": false}]}", "AwsAccountId", 0),
                        "111111111111=7,222222222222=1,333333333333=1");
    /* a finding counts once per distinct value: f03's two EC2 instances and f06's two
     * buckets give one AwsEc2Instance and one AwsS3Bucket each */
    assert_string_equal(grouped(f, NULL, "ResourceType", 0),
                        "AwsEc2Instance=3,AwsS3Bucket=3,AwsAccount=1,AwsIamAccessKey=1,"
                        "AwsIamUser=1,Container=1,Other=1");
    /* f09 lists the CVE type twice */
    assert_string_equal(
        grouped(f, NULL, "Type", 0),
        "Software and Configuration Checks/Vulnerabilities/CVE=2,"
        "Effects/Data Exfiltration/Exfiltration:S3-ObjectRead.Unusual=1,"
        "Effects/Resource Consumption/Cryptomining=1,"
        "Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal=1,"
        "Sensitive Data Identifications/Passwords/AwsSecretKey=1,"
        "Software and Configuration Checks/Industry and Regulatory "
        "Standards/AWS-Foundational-Security-Best-Practices=1,"
        "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations "
        "Benchmark=1,"
        "TTPs/Credential Access/UnauthorizedAccess:IAMUser-ConsoleLoginSuccess.B=1,"
        "TTPs/Discovery/Recon:EC2-Portscan=1,TTPs/Execution=1,Unusual Behaviors/User=1,"
        "Unusual Behaviors/VM/Odd=1");
    /* every resource of a matching finding is grouped, not only the one that matched */
    assert_string_equal(
        grouped(f, "{\"ResourceType\": [{\"Value\": \"AwsS3Bucket\", \"Comparison\": \"EQUALS\"}]}",
                "ResourceId", 0),
        "arn:aws:s3:::data-bucket=2,arn:aws:iam::111111111111:user/bob=1,"
        "arn:aws:s3:::data-bucket-2=1,arn:aws:s3:::logs-bucket=1");
    assert_string_equal(grouped(f, NULL, "ResourceId", 2),
                        "arn:aws:s3:::data-bucket=2,AKIAEXAMPLE1=1");
    assert_string_equal(grouped(f, "{\"Id\": [{\"Value\": \"x\", \"Comparison\": \"EQUALS\"}]}",
                                "SeverityLabel", 0),
                        "");
}

static void test_query_group_paths(void **state)
{
    struct fx *f = *state;
    assert_string_equal(grouped(f, NULL, "NetworkDirection", 0), "IN=1,OUT=1");
    assert_string_equal(grouped(f, NULL, "MalwareType", 0), "REMOTE_ACCESS=1,VIRUS=1");
    assert_string_equal(grouped(f, NULL, "ResourceAwsEc2InstanceImageId", 0),
                        "ami-0aaa=2,ami-0bbb=1");
    assert_string_equal(grouped(f, NULL, "ResourcePartition", 0), "aws=3"); /* f03 once */
    assert_string_equal(grouped(f, NULL, "ComplianceAssociatedStandardsId", 0),
                        "standards/cis-aws-foundations-benchmark/v/1.4.0=2,"
                        "standards/aws-foundational-security-best-practices/v/1.0.0=1");
    assert_string_equal(grouped(f, NULL, "ComplianceSecurityControlParametersValue", 0),
                        "30=1,90=1");
    assert_string_equal(grouped(f, NULL, "NetworkSourceIpV4", 0),
                        "10.0.0.5=1,192.168.1.20=1,203.0.113.50=1");
    assert_string_equal(
        grouped(f, "{\"NetworkSourceIpV4\": [{\"Cidr\": \"0.0.0.0/0\"}]}", "SeverityLabel", 0),
        "CRITICAL=1,HIGH=1,MEDIUM=1");
    assert_string_equal(
        grouped(f,
                "{\"ResourceTags\": [{\"Key\": \"env\", \"Value\": \"prod\", \"Comparison\": "
                "\"EQUALS\"}]}",
                "ThreatIntelIndicatorType", 0),
        "");
}

static void test_query_group_errors(void **state)
{
    struct fx *f = *state;
    struct groups g = {.stop_at = 2};
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_group(f->st, NULL, "Nope", 0, collect_group, &g, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "hub insight: unknown group-by attribute 'Nope'");
    assert_int_equal(rp_hub_group(f->st, NULL, "Confidence", 0, collect_group, &g, &eb), RP_EINVAL);
    assert_string_equal(eb.msg,
                        "hub insight: cannot group by number attribute 'Confidence' (only string "
                        "attributes)");
    assert_int_equal(rp_hub_group(f->st, NULL, "ResourceTags", 0, collect_group, &g, &eb),
                     RP_EINVAL);
    assert_string_equal(eb.msg,
                        "hub insight: cannot group by map attribute 'ResourceTags' (only string "
                        "attributes)");
    assert_int_equal(g.calls, 0);
    assert_int_equal(rp_hub_group(f->st, NULL, "SeverityLabel", 0, collect_group, &g, &eb), RP_EIO);
    assert_int_equal(g.calls, 2);
    assert_string_equal(g.out, "MEDIUM=3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_sort),
        cmocka_unit_test(test_query_sort_errors),
        cmocka_unit_test(test_query_pages),
        cmocka_unit_test(test_query_pages_filtered),
        cmocka_unit_test(test_query_pages_walk_updated),
        cmocka_unit_test(test_query_bad_tokens),
        cmocka_unit_test(test_query_callback_stops),
        cmocka_unit_test(test_query_count),
        cmocka_unit_test(test_query_group_columns),
        cmocka_unit_test(test_query_group_paths),
        cmocka_unit_test(test_query_group_errors),
    };
    return cmocka_run_group_tests_name("hub_query", tests, setup, teardown);
}
