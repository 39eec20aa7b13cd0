/* SPDX-License-Identifier: Apache-2.0 */
/* Reading configuration items into the netreach model (src/netreach/netreach_model.c): both
 * configuration shapes (object, JSON string), deleted and unused types ignored, malformed
 * items of used types refused with RP_EPARSE and an exact message (and nothing of them kept),
 * and loading the current state from the store's config_resources with bad rows reported. */
#include "unit/netreach/netreach_test.h"
#include "store/store.h"

static rp_err add(struct rp_netreach_model *m, const char *ci, struct rp_errbuf *eb)
{
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    struct rp_json_val v;
    assert_int_equal(rp_json_parse(p, ci, strlen(ci), &v, NULL), RP_OK);
    rp_err e = rp_netreach_model_add_ci(m, v, eb);
    rp_json_parser_free(p);
    return e;
}

static void test_model_malformed(void **state)
{
    (void)state;
    struct rp_netreach_model *m = NULL;
    assert_int_equal(rp_netreach_model_new(&m), RP_OK);
    struct rp_errbuf eb = {0};
    assert_int_equal(add(m, CI("AWS::EC2::SecurityGroup", "sg-bad", "{\"ipPermissions\":{}}"), &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::SecurityGroup sg-bad: 'ipPermissions' is not an array");
    assert_int_equal(add(m,
                         CI("AWS::EC2::NetworkAcl", "acl-bad",
                            "{\"entries\":[{\"ruleNumber\":100,\"protocol\":\"6\","
                            "\"ruleAction\":\"allow\",\"egress\":false,\"cidrBlock\":"
                            "\"10.0.0.300/8\"}]}"),
                         &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::NetworkAcl acl-bad: invalid CIDR '10.0.0.300/8' in "
                                "'entries[0]'");
    assert_int_equal(add(m, CI("AWS::EC2::RouteTable", "rtb-bad", "[1,2]"), &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::RouteTable rtb-bad: configuration is not a JSON object");
    assert_int_equal(add(m, CI("AWS::EC2::Instance", "i-bad", "\"{\\\"instanceId\\\":\""), &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::Instance i-bad: configuration string is not JSON: json: "
                                "unexpected end of input at offset 14");
    assert_int_equal(add(m, CI("AWS::EC2::Subnet", "subnet-x", "null"), &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::Subnet subnet-x: no configuration");
    assert_int_equal(add(m,
                         CI("AWS::EC2::SecurityGroup", "sg-bad2",
                            "{\"ipPermissions\":[{\"ipProtocol\":\"tcp\",\"fromPort\":90,"
                            "\"toPort\":80}]}"),
                         &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::SecurityGroup sg-bad2: invalid port range in "
                                "'ipPermissions[0]'");
    /* unused types and deleted resources are ignored */
    assert_int_equal(add(m, CI("AWS::S3::Bucket", "b", "{\"x\":{}}"), &eb), RP_OK);
    assert_int_equal(add(m,
                         "{\"resourceType\":\"AWS::EC2::Instance\",\"resourceId\":\"i-9\","
                         "\"configurationItemStatus\":\"ResourceDeleted\",\"configuration\":null}",
                         &eb),
                     RP_OK);
    assert_int_equal(add(m, "{\"resourceId\":\"i-9\"}", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "netreach: configuration item without 'resourceType'");
    assert_int_equal(rp_netreach_model_finish(m, &eb), RP_OK);
    struct rp_netreach_stats s;
    rp_netreach_model_stats(m, &s);
    assert_int_equal(s.security_groups + s.network_acls + s.route_tables + s.instances + s.subnets,
                     0);
    assert_int_equal(add(m, CI("AWS::EC2::VPC", "vpc-1", "{}"), &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "netreach: model already finished");
    rp_netreach_model_free(m);
}

static void test_model_bad_item_leaves_nothing(void **state)
{
    (void)state;
    /* a valid sg-web replaced by a broken one: the group is gone, i-1 reaches nothing */
    struct rp_netreach_model *m = NULL;
    assert_int_equal(rp_netreach_model_new(&m), RP_OK);
    struct rp_errbuf eb = {0};
    assert_int_equal(add(m,
                         CI("AWS::EC2::SecurityGroup", "sg-web",
                            "{\"ipPermissions\":[{\"ipProtocol\":\"-1\",\"ipRanges\":["
                            "\"0.0.0.0/0\"]}]}"),
                         &eb),
                     RP_OK);
    assert_int_equal(
        add(m, CI("AWS::EC2::SecurityGroup", "sg-web", "{\"ipPermissions\":[7]}"), &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "AWS::EC2::SecurityGroup sg-web: 'ipPermissions[0]' is not an "
                                "object");
    assert_int_equal(rp_netreach_model_finish(m, &eb), RP_OK);
    struct rp_netreach_stats s;
    rp_netreach_model_stats(m, &s);
    assert_int_equal(s.security_groups, 0);
    rp_netreach_model_free(m);
}

static void test_model_string_configuration(void **state)
{
    (void)state;
    /* the API's shape: configuration as a JSON string */
    const char *x[] = {
        CI("AWS::EC2::Instance", "i-1",
           "\"{\\\"instanceId\\\":\\\"i-1\\\",\\\"subnetId\\\":\\\"subnet-pub\\\",\\\"vpcId\\\":"
           "\\\"vpc-1\\\",\\\"publicIpAddress\\\":\\\"203.0.113.10\\\",\\\"securityGroups\\\":[{"
           "\\\"groupId\\\":\\\"sg-web\\\"}]}\""),
        CI("AWS::EC2::NetworkInterface", "eni-1", "{\"attachment\":{\"instanceId\":\"i-1\"}}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    char *got = nt_compute(m, RP_NETREACH_INTERNET);
    assert_string_equal(
        got, "i-1 INTERNET igw-1 tcp 22-22 igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>i-1\n"
             "i-1 INTERNET igw-1 tcp 443-443 igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>i-1\n"
             "i-1 INTERNET igw-1 udp 53-53 igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>i-1\n");
    free(got);
    rp_netreach_model_free(m);
}

static void test_model_stopped_instance(void **state)
{
    (void)state;
    const char *x[] = {CI("AWS::EC2::Instance", "i-1",
                          "{\"instanceId\":\"i-1\",\"subnetId\":\"subnet-pub\",\"vpcId\":\"vpc-1\","
                          "\"state\":{\"name\":\"stopped\"},\"securityGroups\":[{\"groupId\":"
                          "\"sg-web\"}]}"),
                       NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    char *got = nt_compute(m, RP_NETREACH_ORIGINS_ALL);
    assert_string_equal(got, "");
    free(got);
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: i-1 AWS::EC2::Instance: i-1 is not running");
    rp_netreach_model_free(m);
}

static char warned[4][256];
static size_t nwarned;

static void warn(void *ctx, const char *msg)
{
    (void)ctx;
    if (nwarned < 4) snprintf(warned[nwarned++], sizeof warned[0], "%s", msg);
}

static void test_model_load_store(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    /* the base estate as current state, one broken group, one deleted instance */
    size_t len = 0;
    const char *txt = nt_read(RP_FIXTURES_DIR "/netreach/base.json", &len);
    assert_non_null(txt);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root, el;
    assert_int_equal(rp_json_parse(p, txt, len, &root, &eb), RP_OK);
    struct rp_json_iter it;
    assert_int_equal(rp_json_arr_iter(root, &it), RP_OK);
    struct rp_store_stmt *ins = NULL;
    assert_int_equal(rp_store_stmt_prepare(
                         st,
                         "INSERT INTO config_resources (configurationItemCaptureTime, "
                         "configurationItemStatus, resourceType, resourceId, ARN, configuration, "
                         "rp_time_ms, rp_account, rp_region) VALUES ('2026-01-01T00:00:00.000Z', "
                         "?1, ?2, ?3, ?4, ?5, 1767225600000, '111122223333', 'us-east-1')",
                         &ins, &eb),
                     RP_OK);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str type, id;
        struct rp_json_val conf;
        assert_int_equal(rp_json_obj_get_str(el, "resourceType", &type), RP_OK);
        assert_int_equal(rp_json_obj_get_str(el, "resourceId", &id), RP_OK);
        assert_int_equal(rp_json_obj_get(el, "configuration", &conf), RP_OK);
        rp_buf_reset(&b);
        assert_int_equal(rp_json_serialize(conf, &b), RP_OK);
        assert_int_equal(rp_store_stmt_bind_cstr(ins, 1, "OK", &eb), RP_OK);
        assert_int_equal(rp_store_stmt_bind_text(ins, 2, type.p, type.len, &eb), RP_OK);
        assert_int_equal(rp_store_stmt_bind_text(ins, 3, id.p, id.len, &eb), RP_OK);
        assert_int_equal(rp_store_stmt_bind_null(ins, 4, &eb), RP_OK);
        assert_int_equal(rp_store_stmt_bind_text(ins, 5, b.data, b.len, &eb), RP_OK);
        bool row;
        assert_int_equal(rp_store_stmt_step(ins, &row, &eb), RP_OK);
        rp_store_stmt_reset(ins);
    }
    rp_buf_release(&b);
    rp_json_parser_free(p);
    assert_int_equal(
        rp_store_exec(st,
                      "INSERT INTO config_resources (configurationItemCaptureTime, "
                      "configurationItemStatus, resourceType, resourceId, configuration, "
                      "rp_time_ms, rp_account, rp_region) VALUES "
                      "('2026-01-01T00:00:00.000Z', 'OK', 'AWS::EC2::SecurityGroup', 'sg-x', "
                      "'{\"ipPermissions\":3}', 1, '111122223333', 'us-east-1'),"
                      "('2026-01-01T00:00:00.000Z', 'ResourceDeleted', 'AWS::EC2::Instance', "
                      "'i-old', NULL, 1, '111122223333', 'us-east-1'),"
                      "('2026-01-01T00:00:00.000Z', 'OK', 'AWS::S3::Bucket', 'b', '{}', 1, "
                      "'111122223333', 'us-east-1')",
                      &eb),
        RP_OK);
    struct rp_netreach_model *m = NULL;
    assert_int_equal(rp_netreach_model_new(&m), RP_OK);
    size_t bad = 0;
    nwarned = 0;
    assert_int_equal(rp_netreach_model_load(m, st, warn, NULL, &bad, &eb), RP_OK);
    assert_int_equal(bad, 1);
    assert_int_equal(nwarned, 1);
    assert_string_equal(warned[0], "AWS::EC2::SecurityGroup sg-x: 'ipPermissions' is not an array");
    assert_int_equal(rp_netreach_model_finish(m, &eb), RP_OK);
    char *got = nt_compute(m, RP_NETREACH_INTERNET);
    assert_string_equal(got, "i-1 INTERNET igw-1 tcp 22-22 igw-1>rtb-pub>acl-pub>subnet-pub>"
                             "sg-web>eni-1>i-1\n"
                             "i-1 INTERNET igw-1 tcp 443-443 igw-1>rtb-pub>acl-pub>subnet-pub>"
                             "sg-web>eni-1>i-1\n"
                             "i-1 INTERNET igw-1 udp 53-53 igw-1>rtb-pub>acl-pub>subnet-pub>"
                             "sg-web>eni-1>i-1\n");
    free(got);
    rp_netreach_model_free(m);
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_malformed),
        cmocka_unit_test(test_model_bad_item_leaves_nothing),
        cmocka_unit_test(test_model_string_configuration),
        cmocka_unit_test(test_model_stopped_instance),
        cmocka_unit_test(test_model_load_store),
    };
    return cmocka_run_group_tests_name("netreach_model", tests, NULL, NULL);
}
