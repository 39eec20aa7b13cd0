/* SPDX-License-Identifier: Apache-2.0 */
/* NETWORK_REACHABILITY findings (src/netreach/netreach_findings.c): the base estate's three
 * exposures imported into a hub store, read back and checked field by field (Id, Types,
 * Title, Severity, ProductFields, Resources, NetworkPath); a second import updates the same
 * findings instead of adding new ones. */
#include "unit/netreach/netreach_test.h"
#include "hub/hub.h"
#include "store/store.h"

#define NOW 1767571200000LL /* 2026-01-05T00:00:00Z */

struct docs {
    char *v[8];
    size_t n;
};

static rp_err on_doc(void *ctx, const char *doc, size_t len)
{
    struct docs *d = ctx;
    if (d->n < 8) {
        d->v[d->n] = malloc(len + 1);
        memcpy(d->v[d->n], doc, len);
        d->v[d->n][len] = '\0';
        d->n++;
    }
    return RP_OK;
}

static const char *str(struct rp_json_val o, const char *path)
{
    /* "A/B/C": nested members; a member name holding '/' is looked up whole first */
    static char out[512];
    struct rp_json_val v = o;
    const char *p = path;
    while (*p) {
        struct rp_json_val n;
        if (rp_json_obj_get(v, p, &n) == RP_OK) {
            v = n;
            break;
        }
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (rp_json_obj_getn(v, p, len, &n) != RP_OK) return "(absent)";
        v = n;
        p += len + (slash ? 1 : 0);
    }
    struct rp_str s;
    if (rp_json_get_str(v, &s) == RP_OK) {
        snprintf(out, sizeof out, "%.*s", (int)s.len, s.p);
        return out;
    }
    struct rp_buf b;
    rp_buf_init(&b, 0);
    if (rp_json_serialize(v, &b) != RP_OK) return "(error)";
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.data);
    rp_buf_release(&b);
    return out;
}

static void import(struct rp_store *st, const struct rp_netreach_model *m, size_t *n,
                   struct rp_hub_import_stats *s)
{
    struct rp_hub_import_opts o;
    rp_hub_import_opts_init(&o);
    o.now_ms = NOW;
    struct rp_hub_importer *im = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_importer_new(st, &o, &im, &eb), RP_OK);
    rp_err e = rp_netreach_findings_import(m, im, NOW, n, &eb);
    if (e) fail_msg("import: %s", eb.msg);
    rp_hub_importer_stats(im, s);
    assert_int_equal(rp_hub_importer_finish(im, &eb), RP_OK);
}

static void test_findings_asff(void **state)
{
    (void)state;
    struct rp_netreach_model *m = nt_model(true, NULL);
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    size_t n = 0;
    struct rp_hub_import_stats s;
    import(st, m, &n, &s);
    assert_int_equal(n, 3);
    assert_int_equal(s.created, 3);
    assert_int_equal(s.failed, 0);

    struct docs d = {0};
    struct rp_hub_query q = {0};
    q.sort[0] = (struct rp_hub_sort){"Title", true};
    assert_int_equal(rp_hub_findings_get(st, &q, on_doc, &d, NULL, &eb), RP_OK);
    assert_int_equal(d.n, 3);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val f;
    /* sorted by Title: 22 (TCP), 443, 53 (UDP) */
    assert_int_equal(rp_json_parse(p, d.v[0], strlen(d.v[0]), &f, &eb), RP_OK);
    assert_string_equal(str(f, "Title"),
                        "Port range 22 - 22 is reachable from an Internet Gateway");
    assert_string_equal(str(f, "Types"), "[\"Software and Configuration Checks/AWS Security Best "
                                         "Practices/Network Reachability\"]");
    assert_string_equal(str(f, "ProductArn"),
                        "arn:aws:securityhub:us-east-1:111122223333:product/rampart/inspector");
    char id[RP_HUB_ID_MAX];
    assert_int_equal(rp_hub_finding_id("inspector", "NETWORK_REACHABILITY", "i-1",
                                       "INTERNET|igw-1|TCP|22-22", id),
                     RP_OK);
    assert_string_equal(str(f, "Id"), id);
    assert_string_equal(str(f, "GeneratorId"), "AWSInspector");
    assert_string_equal(str(f, "ProductName"), "Inspector");
    assert_string_equal(str(f, "CompanyName"), "Rampart");
    assert_string_equal(str(f, "AwsAccountId"), "111122223333");
    assert_string_equal(str(f, "Severity"),
                        "{\"Label\":\"MEDIUM\",\"Normalized\":40,\"Original\":\"MEDIUM\"}");
    assert_string_equal(str(f, "FirstObservedAt"), "2026-01-05T00:00:00.000Z");
    assert_string_equal(str(f, "ProductFields/aws/inspector/type"), "NETWORK_REACHABILITY");
    assert_string_equal(str(f, "ProductFields/aws/inspector/ProductVersion"), "2");
    assert_string_equal(str(f, "ProductFields/aws/inspector/FindingStatus"), "ACTIVE");
    assert_string_equal(str(f, "ProductFields/aws/inspector/resourceId"), "i-1");
    assert_string_equal(str(f, "ProductFields/aws/inspector/resourceType"), "AWS_EC2_INSTANCE");
    assert_string_equal(str(f, "ProductFields/aws/inspector/origin"), "INTERNET");
    assert_string_equal(str(f, "ProductFields/aws/inspector/networkReachabilityDetails/protocol"),
                        "TCP");
    assert_string_equal(
        str(f, "ProductFields/aws/inspector/networkReachabilityDetails/openPortRange/begin"), "22");
    assert_string_equal(
        str(f, "ProductFields/aws/inspector/networkReachabilityDetails/openPortRange/end"), "22");
    assert_string_equal(str(f, "Resources"),
                        "[{\"Type\":\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:us-east-1:"
                        "111122223333:instance/i-1\",\"Partition\":\"aws\",\"Region\":\"us-east-"
                        "1\",\"Details\":{\"AwsEc2Instance\":{\"VpcId\":\"vpc-1\",\"SubnetId\":"
                        "\"subnet-pub\"}}}]");
    assert_string_equal(
        str(f, "NetworkPath"),
        "[{\"ComponentId\":\"igw-1\",\"ComponentType\":\"AWS::EC2::"
        "InternetGateway\"},{\"ComponentId\":\"rtb-pub\",\"ComponentType\":\"AWS::"
        "EC2::RouteTable\"},{\"ComponentId\":\"acl-pub\",\"ComponentType\":\"AWS::"
        "EC2::NetworkAcl\"},{\"ComponentId\":\"subnet-pub\",\"ComponentType\":"
        "\"AWS::EC2::Subnet\"},{\"ComponentId\":\"sg-web\",\"ComponentType\":"
        "\"AWS::EC2::SecurityGroup\"},{\"ComponentId\":\"eni-1\",\"ComponentType\":"
        "\"AWS::EC2::NetworkInterface\"},{\"ComponentId\":\"i-1\",\"ComponentType\":"
        "\"AWS::EC2::Instance\"}]");
    assert_string_equal(str(f, "RecordState"), "ACTIVE");
    assert_string_equal(str(f, "Workflow/Status"), "NEW");
    /* 443 is a web port: LOW */
    assert_int_equal(rp_json_parse(p, d.v[1], strlen(d.v[1]), &f, &eb), RP_OK);
    assert_string_equal(str(f, "Title"),
                        "Port range 443 - 443 is reachable from an Internet Gateway");
    assert_string_equal(str(f, "Severity/Label"), "LOW");
    assert_int_equal(rp_json_parse(p, d.v[2], strlen(d.v[2]), &f, &eb), RP_OK);
    assert_string_equal(str(f, "Title"),
                        "Port range 53 - 53 is reachable from an Internet Gateway");
    assert_string_equal(str(f, "ProductFields/aws/inspector/networkReachabilityDetails/protocol"),
                        "UDP");
    for (size_t i = 0; i < d.n; i++) free(d.v[i]);
    rp_json_parser_free(p);

    /* same estate again, same time: the same three findings, unchanged */
    import(st, m, &n, &s);
    assert_int_equal(s.created, 0);
    assert_int_equal(s.unchanged, 3);
    int64_t cnt = 0;
    assert_int_equal(rp_hub_findings_count(st, NULL, &cnt, &eb), RP_OK);
    assert_int_equal(cnt, 3);
    rp_store_free(st);
    rp_netreach_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_findings_asff),
    };
    return cmocka_run_group_tests_name("netreach_findings", tests, NULL, NULL);
}
