/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the managed insights (src/hub/hub_insight.c, data/hub/insights.json): the
 * file loads, every insight has a well-formed ARN in order and a unique name, its Filters
 * compile with rp_hub_filter_add_json, it groups by a known string attribute, and running it
 * over the ten findings of tests/fixtures/hub/filter_findings.sql gives the exact result for
 * a few of them. */
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
#define HUB_TEST_OWN_FIXTURE
#include "unit/hub/hub_test_store.h"
#include "core/rp_banned.h"

#define NOW 1772323200000LL /* 2026-03-01T00:00:00Z */

struct fx {
    struct rp_store *st;
    struct rp_json_parser *p;
    struct rp_arena a;
    struct rp_hub_insight *ins;
    size_t n;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct rp_errbuf eb = {0};
    if (!f || !(f->st = hub_test_store_open())) return -1;
    if (!(f->p = rp_json_parser_new())) return -1;
    rp_arena_init(&f->a, 0);
    if (rp_hub_insights_load(&f->a, &f->ins, &f->n, &eb) != RP_OK) {
        fprintf(stderr, "insights: %s\n", eb.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    rp_store_free(f->st);
    rp_json_parser_free(f->p);
    rp_arena_release(&f->a);
    free(f);
    return 0;
}

struct groups {
    char out[2048];
};

static rp_err collect_group(void *ctx, const char *value, int64_t count)
{
    struct groups *g = ctx;
    size_t l = strlen(g->out);
    snprintf(g->out + l, sizeof g->out - l, "%s%s=%lld", l ? "," : "", value, (long long)count);
    return RP_OK;
}

/* Run insight i over the fixture store (at most 100 groups, as Security Hub returns). */
static const char *run(struct fx *f, size_t i)
{
    static struct groups g;
    memset(&g, 0, sizeof g);
    struct rp_hub_filter *flt = NULL;
    struct rp_json_val v;
    struct rp_errbuf eb = {0};
    const struct rp_hub_insight *x = &f->ins[i];
    assert_int_equal(rp_hub_filter_new(&flt), RP_OK);
    if (rp_json_parse(f->p, x->filters, strlen(x->filters), &v, &eb) != RP_OK)
        fail_msg("%s: filters: %s", x->name, eb.msg);
    if (rp_hub_filter_add_json(flt, v, NOW, &eb) != RP_OK) fail_msg("%s: %s", x->name, eb.msg);
    if (rp_hub_group(f->st, flt, x->group_by, 100, collect_group, &g, &eb) != RP_OK)
        fail_msg("%s: group by %s: %s", x->name, x->group_by, eb.msg);
    rp_hub_filter_free(flt);
    return g.out;
}

static size_t by_name(struct fx *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->ins[i].name, name) == 0) return i;
    fail_msg("no insight '%s'", name);
    return 0;
}

static void test_insight_all_compile(void **state)
{
    struct fx *f = *state;
    assert_int_equal(f->n, 23);
    for (size_t i = 0; i < f->n; i++) {
        char arn[96];
        snprintf(arn, sizeof arn, "arn:aws:securityhub:::insight/securityhub/default/%zu", i + 1);
        assert_string_equal(f->ins[i].arn, arn);
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->ins[i].name, f->ins[j].name) == 0)
                fail_msg("insight name '%s' twice", f->ins[i].name);
        (void)run(f, i); /* compiles, groups by a known string attribute, runs */
    }
    /* the first one, whole */
    assert_string_equal(f->ins[0].name, "AWS resources with the most findings");
    assert_string_equal(f->ins[0].group_by, "ResourceId");
    assert_string_equal(f->ins[0].filters,
                        "{\"RecordState\":[{\"Value\":\"ACTIVE\",\"Comparison\":\"EQUALS\"}],"
                        "\"WorkflowStatus\":[{\"Value\":\"NEW\",\"Comparison\":\"EQUALS\"},"
                        "{\"Value\":\"NOTIFIED\",\"Comparison\":\"EQUALS\"}]}");
}

static void test_insight_results(void **state)
{
    struct fx *f = *state;
    /* active and NEW/NOTIFIED: f01 f02 f04 f07 f09 f10 */
    assert_string_equal(run(f, by_name(f, "AWS resources with the most findings")),
                        "AKIAEXAMPLE1=1,arn:aws:ec2:us-east-1:111111111111:instance/i-0001=1,"
                        "arn:aws:ec2:us-east-1:111111111111:instance/i-0004=1,"
                        "arn:aws:s3:::logs-bucket=1,container/web-1=1,other/thing-1=1");
    assert_string_equal(run(f, by_name(f, "Severity by counts of findings")),
                        "MEDIUM=3,CRITICAL=1,HIGH=1,LOW=1");
    assert_string_equal(run(f, by_name(f, "Top accounts by counts of findings")),
                        "111111111111=4,222222222222=1,333333333333=1");
    assert_string_equal(run(f, by_name(f, "AMIs that are generating the most findings")),
                        "ami-0aaa=1,ami-0bbb=1");
    assert_string_equal(
        run(f, by_name(f, "EC2 instances involved in known Tactics, Techniques, and Procedures "
                          "(TTPs)")),
        "arn:aws:ec2:us-east-1:111111111111:instance/i-0001=1");
    assert_string_equal(
        run(f, by_name(f, "AWS principals with the most suspicious access key activity")),
        "alice=1");
    assert_string_equal(
        run(f, by_name(f, "S3 buckets that don't meet security standards / best practice")),
        "arn:aws:s3:::logs-bucket=1");
    assert_string_equal(run(f, by_name(f, "Credentials that may have leaked")),
                        "container/web-1=1");
    assert_string_equal(
        run(f, by_name(f, "EC2 instances that have missing security patches for important "
                          "vulnerabilities")),
        "arn:aws:ec2:us-east-1:111111111111:instance/i-0004=1");
    assert_string_equal(run(f, by_name(f, "Top resource types by counts of findings")),
                        "AwsEc2Instance=2,AwsIamAccessKey=1,AwsS3Bucket=1,Container=1,Other=1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insight_all_compile),
        cmocka_unit_test(test_insight_results),
    };
    return cmocka_run_group_tests_name("hub_insight", tests, setup, teardown);
}
