/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the Route 53 Resolver query log format (src/ingest/ingest_r53dns.c): rows for
 * answered, NXDOMAIN, DNS Firewall and sparse records, account and region from the S3 key,
 * rejects with their exact reasons, probe scores against every fixture of the three formats,
 * and the table against the migration's schema. Fixtures: tests/fixtures/r53dns/
 * (hand-written). Rows are compared whole: the expected row lists every non-RAW column in
 * table order, NULL where the test sets nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit/ingest/ingest_test_rows.h"
#include "unit/ingest/ingest_test_sink.h"
#include "unit/ingest/ingest_test_schema.h"

extern const struct rp_ingest_source rp_ingest_src_r53dns;
#define SRC (&rp_ingest_src_r53dns)

static const char r53_table[] = "r53_resolver_query_logs";

/* The table's non-RAW columns in order, written out here rather than read from the
 * descriptor, so a change in the descriptor shows up as a failure. */
static const char *const r53_cols[] = {
    "version",
    "account_id",
    "region",
    "vpc_id",
    "query_timestamp",
    "query_name",
    "query_type",
    "query_class",
    "rcode",
    "answers",
    "srcaddr",
    "srcport",
    "transport",
    "srcids",
    "firewall_rule_group_id",
    "firewall_rule_action",
    "firewall_domain_list_id",
    "rp_time_ms",
    "rp_account",
    "rp_region",
    "rp_src_ip",
    "rp_src_port",
    "rp_query_name",
    "rp_instance_id",
    NULL,
};

/* The four records of queries.jsonl; the last one has neither account nor region, so those
 * come from the layout when there is one. */
static void expect_queries(struct rp_buf *exp, const char *last_account, const char *last_region)
{
    rp_test_row_add(
        exp, r53_table, r53_cols, "version=1.100000", "account_id=111122223333", "region=us-east-1",
        "vpc_id=vpc-0aa11bb22cc33dd44", "query_timestamp=2023-11-14T22:13:20Z",
        "query_name=WWW.Example.COM.", "query_type=A", "query_class=IN", "rcode=NOERROR",
        "answers=[{\"Rdata\":\"www.example.com.cdn.example.net.\",\"Type\":\"CNAME\","
        "\"Class\":\"IN\"},{\"Rdata\":\"203.0.113.80\",\"Type\":\"A\",\"Class\":\"IN\"}]",
        "srcaddr=10.0.1.15", "srcport=51234", "transport=UDP",
        "srcids={\"instance\":\"i-0123456789abcdef0\"}", "rp_time_ms=1700000000000",
        "rp_account=111122223333", "rp_region=us-east-1", "rp_src_ip=10.0.1.15",
        "rp_src_port=51234", "rp_query_name=www.example.com", "rp_instance_id=i-0123456789abcdef0",
        NULL);
    rp_test_row_add(
        exp, r53_table, r53_cols, "version=1.100000", "account_id=111122223333", "region=us-east-1",
        "vpc_id=vpc-0aa11bb22cc33dd44", "query_timestamp=2023-11-14T22:13:21.250Z",
        "query_name=does-not-exist.internal.", "query_type=AAAA", "query_class=IN",
        "rcode=NXDOMAIN", "answers=[]", "srcaddr=10.0.1.15", "srcport=51235", "transport=UDP",
        "srcids={}", "rp_time_ms=1700000001250", "rp_account=111122223333", "rp_region=us-east-1",
        "rp_src_ip=10.0.1.15", "rp_src_port=51235", "rp_query_name=does-not-exist.internal", NULL);
    rp_test_row_add(
        exp, r53_table, r53_cols, "version=1.100000", "account_id=111122223333", "region=us-east-1",
        "vpc_id=vpc-0aa11bb22cc33dd44", "query_timestamp=2023-11-14T22:13:22Z",
        "query_name=bad.example.org.", "query_type=A", "query_class=IN", "rcode=NOERROR",
        "answers=[]", "srcaddr=2001:DB8::0:53", "srcport=40000", "transport=TCP",
        "srcids={\"resolver_endpoint\":\"rslvr-in-0123456789abcdef0\","
        "\"resolver_network_interface\":\"rni-0123456789abcdef1\"}",
        "firewall_rule_group_id=rslvr-frg-0123456789abcdef2", "firewall_rule_action=BLOCK",
        "firewall_domain_list_id=rslvr-fdl-0123456789abcdef3", "rp_time_ms=1700000002000",
        "rp_account=111122223333", "rp_region=us-east-1", "rp_src_ip=2001:db8::53",
        "rp_src_port=40000", "rp_query_name=bad.example.org", NULL);
    /* answers null is NULL, srcport written as a number is read as one, the root stays ".". */
    char acct[64], region[64];
    snprintf(acct, sizeof acct, "rp_account=%s", last_account);
    snprintf(region, sizeof region, "rp_region=%s", last_region);
    rp_test_row_add(exp, r53_table, r53_cols, "version=1.100000", "vpc_id=vpc-0aa11bb22cc33dd44",
                    "query_timestamp=2023-11-14T22:13:23Z", "query_name=.", "query_type=NS",
                    "query_class=IN", "rcode=NOERROR", "srcaddr=10.0.1.16", "srcport=53",
                    "transport=UDP", "rp_time_ms=1700000003000", acct, region,
                    "rp_src_ip=10.0.1.16", "rp_src_port=53", "rp_query_name=.", NULL);
}

static void test_r53dns_queries(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    expect_queries(&exp, "NULL", "NULL");
    rp_test_check_fixture(SRC, "r53dns", "queries.jsonl", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_r53dns_layout_fallback(void **state)
{
    (void)state;
    struct rp_ingest_layout lay = {.account = RP_STR_LIT("444455556666"),
                                   .service = RP_STR_LIT("vpcdnsquerylogs"),
                                   .region = RP_STR_LIT("eu-west-1"),
                                   .day_ms = 1699920000000};
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    expect_queries(&exp, "444455556666", "eu-west-1");
    rp_test_check_fixture(SRC, "r53dns", "queries.jsonl", &lay, &exp);
    rp_buf_release(&exp);
}

/* Only the required fields; srcids without a string instance gives no rp_instance_id. */
static void test_r53dns_minimal_record(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, r53_table, r53_cols, "query_timestamp=2021-02-04T17:51:55.5Z",
                    "query_name=Host.Example.", "srcids={\"instance\":17}",
                    "rp_time_ms=1612461115500", "rp_query_name=host.example", NULL);
    rp_test_check_text(
        SRC,
        "{\"query_timestamp\":\"2021-02-04T17:51:55.5Z\",\"query_name\":\"Host.Example.\","
        "\"srcids\":{\"instance\":17}}\n",
        &exp);
    rp_buf_release(&exp);
}

static void test_r53dns_rejects(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_line_add(&exp,
                     "REJECT ordinal=0 line=1 offset=0: r53dns: missing field 'query_timestamp'");
    rp_test_line_add(&exp,
                     "REJECT ordinal=1 line=2 offset=188: r53dns: bad time '2023-13-14T22:13:20Z' "
                     "in field 'query_timestamp'");
    rp_test_line_add(
        &exp, "REJECT ordinal=2 line=3 offset=346: r53dns: bad address '10.0.1.300' in field "
              "'srcaddr'");
    rp_test_line_add(
        &exp, "REJECT ordinal=3 line=4 offset=505: r53dns: bad port 'http' in field 'srcport'");
    rp_test_line_add(&exp,
                     "REJECT ordinal=4 line=5 offset=665: r53dns: field 'query_name' is an object, "
                     "expected a string");
    rp_test_line_add(&exp,
                     "REJECT ordinal=5 line=6 offset=796: r53dns: missing field 'query_name'");
    rp_test_line_add(&exp,
                     "REJECT ordinal=6 line=7 offset=888: r53dns: record is a JSON array, expected "
                     "an object");
    /* The last line is not JSON: the framing (here the test sink's) rejects it. */
    rp_test_line_add(
        &exp, "REJECT ordinal=7 line=8: not JSON: json: unexpected character 'b' at offset 23");
    rp_test_check_fixture(SRC, "r53dns", "bad.jsonl", NULL, &exp);
    rp_buf_release(&exp);
}

/* ---- probe ------------------------------------------------------------------------------- */

static void test_r53dns_probe(void **state)
{
    (void)state;
    const char *s3 =
        "b/AWSLogs/111122223333/vpcdnsquerylogs/vpc-0aa11bb22cc33dd44/2023/11/14/"
        "vpc-0aa11bb22cc33dd44_vpcdnsquerylogs_111122223333_20231114T2210Z_ab12.log.gz";
    assert_int_equal(rp_test_probe_fixture(SRC, "r53dns", "queries.jsonl", "q.jsonl"), 95);
    assert_int_equal(rp_test_probe_fixture(SRC, "r53dns", "queries.jsonl", s3), 99);
    assert_int_equal(rp_test_probe_fixture(SRC, "r53dns", "bad.jsonl", "q.jsonl"), 95);
    static const char no_src[] =
        "{\"query_timestamp\":\"2021-02-04T17:51:55Z\",\"query_name\":\"a.\"}";
    assert_int_equal(SRC->probe(no_src, sizeof no_src - 1, NULL), 85);
    assert_int_equal(SRC->probe(no_src, sizeof no_src - 1, s3), 89);
    assert_int_equal(SRC->probe("{\"a\":1}", 7, s3), 30);
    assert_int_equal(SRC->probe("{\"a\":1}", 7, NULL), 0);
    assert_int_equal(SRC->probe("2 111122223333 eni-1", 20, s3), 0);
    assert_int_equal(SRC->probe("", 0, s3), 0);

    static const struct {
        const char *dir, *name;
    } other[] = {
        {"vpcflow", "v2_noheader.log"}, {"vpcflow", "v2_header.log"},
        {"vpcflow", "v5.log"},          {"vpcflow", "custom.log"},
        {"vpcflow", "cloudwatch.log"},  {"vpcflow", "badvalue.log"},
        {"k8saudit", "v1.jsonl"},       {"k8saudit", "v1beta1.jsonl"},
        {"k8saudit", "eventlist.json"}, {"k8saudit", "cloudwatch.jsonl"},
        {"k8saudit", "bad.jsonl"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(other); i++)
        assert_int_equal(rp_test_probe_fixture(SRC, other[i].dir, other[i].name, "x"), 0);

    /* The other formats give 0 for the query-log fixtures. */
    const struct rp_ingest_source *vpc = rp_ingest_source_find("vpcflow");
    const struct rp_ingest_source *k8s = rp_ingest_source_find("k8saudit");
    assert_non_null(vpc);
    assert_non_null(k8s);
    assert_int_equal(rp_test_probe_fixture(vpc, "r53dns", "queries.jsonl", "x"), 0);
    assert_int_equal(rp_test_probe_fixture(vpc, "r53dns", "bad.jsonl", "x"), 0);
    assert_int_equal(rp_test_probe_fixture(k8s, "r53dns", "queries.jsonl", "x"), 0);
    assert_int_equal(rp_test_probe_fixture(k8s, "r53dns", "bad.jsonl", "x"), 0);
}

/* ---- descriptor and schema --------------------------------------------------------------- */

static void test_r53dns_descriptor(void **state)
{
    (void)state;
    assert_ptr_equal(rp_ingest_source_find("r53dns"), SRC);
    assert_int_equal(SRC->kind, RP_INGEST_R53DNS);
    assert_int_equal(SRC->framing, RP_INGEST_FRAME_JSON);
    assert_null(SRC->containers);
    assert_int_equal(SRC->ntables, 1);
    const struct rp_ingest_table *t = &SRC->tables[0];
    rp_test_table_check(t, r53_table, r53_cols);
    assert_int_equal(t->cols[9].type, RP_INGEST_COL_JSON);  /* answers */
    assert_int_equal(t->cols[13].type, RP_INGEST_COL_JSON); /* srcids */
    assert_string_equal(t->cols[t->time_col].name, "rp_time_ms");
    assert_null(t->insert_sql);
}

static void test_r53dns_schema(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_test_schema_check(st, SRC), 0);

    struct rp_test_schema_counts n = {0};
    static const char *const files[] = {"queries.jsonl", "bad.jsonl", "queries.jsonl"};
    for (size_t i = 0; i < RP_ARRAY_LEN(files); i++) {
        struct rp_buf in;
        rp_test_fixture_load(&in, "r53dns", files[i]);
        assert_int_equal(rp_test_schema_feed(st, SRC, NULL, in.data, in.len, &n), RP_OK);
        rp_buf_release(&in);
    }
    /* No UNIQUE key: the same file twice is twice the rows. */
    assert_int_equal(n.rows, 8);
    assert_int_equal(n.ignored, 0);
    assert_int_equal(n.rejected, 8);
    assert_int_equal(rp_test_query_int(st, "SELECT count(*) FROM r53_resolver_query_logs WHERE "
                                           "json_extract(answers, '$[1].Rdata') = '203.0.113.80'"),
                     2);
    assert_int_equal(rp_test_query_int(st, "SELECT count(*) FROM r53_resolver_query_logs WHERE "
                                           "rp_instance_id = json_extract(srcids, '$.instance')"),
                     2);
    assert_int_equal(
        rp_test_query_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                              "tbl_name = 'r53_resolver_query_logs'"),
        3);
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r53dns_queries),        cmocka_unit_test(test_r53dns_layout_fallback),
        cmocka_unit_test(test_r53dns_minimal_record), cmocka_unit_test(test_r53dns_rejects),
        cmocka_unit_test(test_r53dns_probe),          cmocka_unit_test(test_r53dns_descriptor),
        cmocka_unit_test(test_r53dns_schema),
    };
    return cmocka_run_group_tests_name("ingest_r53dns", tests, NULL, NULL);
}
