/* SPDX-License-Identifier: Apache-2.0 */
/* Suppression rules (src/detect/detect_suppress.c): the command line's short form turned into
 * FindingCriteria (exact JSON, and each error message), the criteria checker (the shapes
 * GuardDuty takes, get-filter output included, and what it refuses), matching against the
 * GuardDuty JSON detect_gd.c writes (strings, the severity buckets, numbers, lists, CIDRs,
 * absent attributes, the threat list name, times, AND across attributes), and the rules in a
 * :memory: store (add, the name rules, duplicates, replace, rank order, remove, load). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "detect/detect_gd.h"
#include "detect/detect_internal.h"
#include "detect/detect_suppress.h"
#include "store/store.h"

#define NOW_MS 1709547330120LL /* 2024-03-04T10:15:30.120Z, UpdatedAt of the findings */

/* ---- findings as GuardDuty JSON ------------------------------------------------------------ */

static const struct rp_det_type t_portscan = {"Recon:EC2/Portscan", 5.0,
                                              "EC2 instance %s is scanning", "Scan."};
static const struct rp_det_type t_probe = {"Recon:EC2/PortProbeUnprotectedPort", 2.0,
                                           "Port of %s probed", "Probe."};
static const struct rp_det_type t_caller = {"UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom",
                                            5.0, "Call by %s", "Call."};

static const char instance_item[] =
    "{\"instanceId\":\"i-0a1b2c3d4e5f60718\",\"imageId\":\"ami-0abcdef1234567890\","
    "\"networkInterfaces\":[{\"association\":{\"publicIp\":\"54.0.0.10\"},\"groups\":[{"
    "\"groupId\":\"sg-0123456789abcdef0\",\"groupName\":\"web\"}],\"networkInterfaceId\":"
    "\"eni-0123456789abcdef0\",\"privateIpAddress\":\"10.0.1.15\",\"subnetId\":"
    "\"subnet-0123456789abcdef0\",\"vpcId\":\"vpc-0123456789abcdef0\"}],\"tags\":[{\"key\":"
    "\"Name\",\"value\":\"web-1\"},{\"key\":\"env\",\"value\":\"prod\"}]}";

static bool ipinfo(void *ctx, const char *ip, struct rp_det_gd_ipinfo *out)
{
    (void)ctx;
    if (strcmp(ip, "192.0.2.55") != 0) return false;
    out->asn = "64501";
    out->country_name = "United States";
    return true;
}

static char *write_gd(struct rp_det_folded *ff)
{
    struct rp_det_gd_facts g;
    memset(&g, 0, sizeof g);
    g.detector_id = "12abc34d567e8fa901bc2d34e56789f0";
    g.now_ms = NOW_MS;
    g.instance_json = ff->f.res == RP_DET_RES_INSTANCE ? instance_item : NULL;
    g.ipinfo = ipinfo;
    struct rp_buf b;
    struct rp_json_writer w;
    struct rp_errbuf eb = {0};
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    if (rp_det_gd_write(&w, ff, &g, &eb) != RP_OK) fail_msg("%s", eb.msg);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    return rp_buf_take(&b, NULL);
}

static void fold(struct rp_det_folded *ff, const struct rp_det_type *t)
{
    memset(ff, 0, sizeof *ff);
    rp_det_finding_init(&ff->f);
    snprintf(ff->id, sizeof ff->id, "detect/0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01");
    ff->type = t;
    ff->f.type = t->type;
    ff->f.account = "111122223333";
    ff->f.region = "us-east-1";
    ff->f.first_ms = NOW_MS - 60000;
    ff->f.count = 1;
}

/* An instance scanning 198.51.100.23:22 out (severity 5). */
static char *portscan(void)
{
    struct rp_det_folded ff;
    fold(&ff, &t_portscan);
    ff.source = RP_DET_SRC_FLOW;
    ff.f.res = RP_DET_RES_INSTANCE;
    ff.f.resource_id = ff.f.instance_id = "i-0a1b2c3d4e5f60718";
    ff.f.action = RP_DET_ACT_NETWORK_CONNECTION;
    ff.f.direction = "OUTBOUND";
    ff.f.protocol = "TCP";
    ff.f.local_ip = "10.0.1.15";
    ff.f.remote_ip = "198.51.100.23";
    ff.f.remote_port = 22;
    ff.f.resource_role = "ACTOR";
    return write_gd(&ff);
}

/* The instance probed on 22 and 3389 by addresses of list "scanners" (severity 2). */
static char *probe(void)
{
    struct rp_det_folded ff;
    fold(&ff, &t_probe);
    ff.source = RP_DET_SRC_FLOW;
    ff.f.res = RP_DET_RES_INSTANCE;
    ff.f.resource_id = ff.f.instance_id = "i-0a1b2c3d4e5f60718";
    ff.f.action = RP_DET_ACT_PORT_PROBE;
    ff.f.local_ip = "10.0.1.15";
    ff.f.probes[0] = (struct rp_det_probe){22, "198.51.100.7"};
    ff.f.probes[1] = (struct rp_det_probe){3389, "203.0.113.8"};
    ff.f.nprobes = 2;
    ff.f.threat_list = "scanners";
    return write_gd(&ff);
}

/* Access key of alice calling ListBuckets from 192.0.2.55 (AS64501), severity 5.5. */
static char *caller(void)
{
    struct rp_det_folded ff;
    fold(&ff, &t_caller);
    ff.source = RP_DET_SRC_CLOUDTRAIL;
    ff.f.severity = 5.5;
    ff.f.res = RP_DET_RES_ACCESS_KEY;
    ff.f.resource_id = ff.f.access_key_id = "AKIAIOSFODNN7EXAMPLE";
    ff.f.user_name = "alice";
    ff.f.user_type = "IAMUser";
    ff.f.action = RP_DET_ACT_AWS_API_CALL;
    ff.f.api = "ListBuckets";
    ff.f.service_name = "s3.amazonaws.com";
    ff.f.remote_ip = "192.0.2.55";
    return write_gd(&ff);
}

/* ---- the short form ------------------------------------------------------------------------ */

static void from_args(const char *const *args, size_t n, const char *want)
{
    struct rp_buf b;
    struct rp_errbuf eb = {0};
    rp_buf_init(&b, 0);
    rp_err e = rp_detect_suppress_criteria_from_args(args, n, &b, &eb);
    if (e != RP_OK) fail_msg("%s", eb.msg);
    assert_string_equal(rp_buf_cstr(&b), want);
    rp_buf_release(&b);
}

static void from_args_err(const char *const *args, size_t n, const char *want)
{
    struct rp_buf b;
    struct rp_errbuf eb = {0};
    rp_buf_init(&b, 0);
    assert_int_equal(rp_detect_suppress_criteria_from_args(args, n, &b, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, want);
    assert_int_equal(b.len, 0);
    rp_buf_release(&b);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_suppress_short_form(void **state)
{
    (void)state;
    const char *a1[] = {"type=Recon:EC2/Portscan"};
    from_args(a1, N(a1), "{\"Criterion\":{\"type\":{\"Eq\":[\"Recon:EC2/Portscan\"]}}}");
    const char *a2[] = {"type=Recon:EC2/Portscan", "severity>=4",
                        "resource.instanceDetails.tags.key!=scanner", "type=Recon:EC2/PortSweep",
                        "severity<7"};
    from_args(a2, N(a2),
              "{\"Criterion\":{\"type\":{\"Eq\":[\"Recon:EC2/Portscan\",\"Recon:EC2/PortSweep\"]},"
              "\"severity\":{\"Gte\":4,\"Lt\":7},\"resource.instanceDetails.tags.key\":{\"Neq\":["
              "\"scanner\"]}}}");
    const char *a3[] = {"severity=high", "severity=Low"};
    from_args(a3, N(a3), "{\"Criterion\":{\"severity\":{\"Eq\":[\"7\",\"8\",\"1\",\"2\",\"3\"]}}}");
    const char *a4[] = {"updatedAt>2024-03-01T00:00:00Z", "service.archived=false",
                        ("service.action.networkConnectionAction.remoteIpDetails.ipAddressV4="
                         "198.51.100.0/24")};
    from_args(a4, N(a4),
              "{\"Criterion\":{\"updatedAt\":{\"Gt\":1709251200000},\"service.archived\":{\"Eq\":["
              "\"false\"]},\"service.action.networkConnectionAction.remoteIpDetails.ipAddressV4\":{"
              "\"Eq\":[\"198.51.100.0/24\"]}}}");

    const char *e1[] = {"resource.instanceDetails.instanceID=i-1"};
    from_args_err(e1, 1,
                  "suppress: unknown attribute 'resource.instanceDetails.instanceID' (did you "
                  "mean 'resource.instanceDetails.instanceId'?)");
    const char *e2[] = {"instanceId=i-1"};
    from_args_err(e2, 1,
                  "suppress: unknown attribute 'instanceId' (did you mean "
                  "'resource.instanceDetails.instanceId'?)");
    const char *e3[] = {"type=x", "colour=red"};
    from_args_err(e3, 2,
                  "suppress: unknown attribute 'colour' (docs/detect-suppress.md lists them)");
    const char *e4[] = {"type>=3"};
    from_args_err(e4, 1, "suppress: 'type>=3': 'type' is not numeric");
    const char *e5[] = {"severity>=high"};
    from_args_err(e5, 1, "suppress: 'severity>=high': 'high' is not a number");
    const char *e6[] = {"Recon:EC2/Portscan"};
    from_args_err(e6, 1,
                  "suppress: 'Recon:EC2/Portscan' is not attribute=value, attribute!=value or "
                  "attribute>=number");
    const char *e7[] = {"severity>=7", "severity>=8"};
    from_args_err(e7, 2, "suppress: 'severity>=8' repeats 'Gte'");
    const char *e8[] = {"service.archived=maybe"};
    from_args_err(e8, 1, "suppress: 'service.archived': 'maybe' is not true or false");
    const char *e9[] = {"service.action.awsApiCallAction.remoteIpDetails.ipAddressV4=10.0.0.0/33"};
    from_args_err(e9, 1,
                  "suppress: 'service.action.awsApiCallAction.remoteIpDetails.ipAddressV4': "
                  "'10.0.0.0/33' is not an address or CIDR");
    const char *e10[] = {"type="};
    from_args_err(e10, 1, "suppress: 'type=' has no value");
    from_args_err(NULL, 0, "suppress: no condition given");
}

/* ---- the criteria checker ------------------------------------------------------------------ */

static void check_err(const char *criteria, rp_err code, const char *want)
{
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_detect_suppress_criteria_check(criteria, strlen(criteria), NULL, &eb),
                     code);
    assert_string_equal(eb.msg, want);
}

static void test_suppress_criteria_check(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_errbuf eb = {0};
    rp_buf_init(&b, 0);
    /* `aws guardduty get-filter` output: only FindingCriteria is kept */
    const char *gf = "{\"Name\": \"scanners\", \"Action\": \"ARCHIVE\", \"Rank\": 1,\n"
                     " \"FindingCriteria\": {\"Criterion\": {\"type\": {\"Equals\": "
                     "[\"Recon:EC2/Portscan\"]}, \"severity\": {\"GreaterThanOrEqual\": 4}}}}";
    assert_int_equal(rp_detect_suppress_criteria_check(gf, strlen(gf), &b, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "{\"Criterion\":{\"type\":{\"Equals\":["
                                         "\"Recon:EC2/Portscan\"]},\"severity\":{"
                                         "\"GreaterThanOrEqual\":4}}}");
    rp_buf_release(&b);

    check_err("[]", RP_EINVAL, "suppress: criteria must be a JSON object");
    check_err("{\"type\":{\"Eq\":[\"a\"]}}", RP_EINVAL,
              "suppress: criteria need a 'Criterion' object ({\"Criterion\": {\"type\": "
              "{\"Eq\": [..]}}})");
    check_err("{\"Criterion\":{}}", RP_EINVAL, "suppress: criteria have no condition");
    check_err("{\"Criterion\":{\"type\":{}}}", RP_EINVAL,
              "suppress: 'type' needs at least one condition");
    check_err("{\"Criterion\":{\"type\":{\"Contains\":[\"Recon\"]}}}", RP_EINVAL,
              "suppress: 'type': unknown condition 'Contains' (Eq, Neq, Gt, Gte, Lt, Lte, Equals, "
              "NotEquals, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual)");
    check_err("{\"Criterion\":{\"type\":{\"Eq\":[]}}}", RP_EINVAL,
              "suppress: 'type': 'Eq' takes a non-empty list of values");
    check_err("{\"Criterion\":{\"type\":{\"Eq\":\"Recon:EC2/Portscan\"}}}", RP_EINVAL,
              "suppress: 'type': 'Eq' takes a non-empty list of values");
    check_err("{\"Criterion\":{\"type\":{\"Eq\":[{}]}}}", RP_EINVAL,
              "suppress: 'type': values must be strings, not object");
    check_err("{\"Criterion\":{\"type\":{\"Gt\":3}}}", RP_EINVAL,
              "suppress: 'type': 'Gt' needs a numeric attribute");
    check_err("{\"Criterion\":{\"severity\":{\"Gt\":\"high\"}}}", RP_EINVAL,
              "suppress: 'severity': 'Gt' takes a number");
    check_err("{\"Criterion\":{\"severity\":{\"Eq\":[\"high\"]}}}", RP_EINVAL,
              "suppress: 'severity': 'high' is not a number");
    check_err("{\"Criterion\":{\"resource.instanceDetails.tag.key\":{\"Eq\":[\"a\"]}}}", RP_EINVAL,
              "suppress: unknown attribute 'resource.instanceDetails.tag.key' (did you mean "
              "'resource.instanceDetails.tags.key'?)");
    check_err("{\"Criterion\":", RP_EPARSE, "json: unexpected end of input at offset 13");
    /* the attribute list */
    assert_string_equal(rp_det_suppress_attr_at(0), "accountId");
    size_t n = 0;
    while (rp_det_suppress_attr_at(n)) n++;
    assert_int_equal(n, 77);
}

/* ---- matching -------------------------------------------------------------------------------- */

/* Whether criteria match doc. */
static bool m(const char *criteria, const char *doc)
{
    struct rp_det_suppress *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_suppress_new(&s), RP_OK);
    if (rp_det_suppress_add(s, "r", criteria, strlen(criteria), &eb) != RP_OK)
        fail_msg("%s: %s", criteria, eb.msg);
    const char *name = NULL;
    bool hit = rp_det_suppress_match(s, doc, strlen(doc), &name);
    if (hit)
        assert_string_equal(name, "r");
    else
        assert_null(name);
    rp_det_suppress_free(s);
    return hit;
}

#define C(body) "{\"Criterion\":{" body "}}"

static void test_suppress_match(void **state)
{
    (void)state;
    char *ps = portscan(), *pr = probe(), *ca = caller();

    /* strings; AND across attributes */
    assert_true(m(C("\"type\":{\"Eq\":[\"Recon:EC2/PortSweep\",\"Recon:EC2/Portscan\"]}"), ps));
    assert_false(m(C("\"type\":{\"Eq\":[\"Recon:EC2/PortSweep\"]}"), ps));
    assert_false(m(C("\"type\":{\"Eq\":[\"recon:ec2/portscan\"]}"), ps)); /* case counts */
    assert_true(m(C("\"type\":{\"Neq\":[\"Recon:EC2/PortSweep\"]}"), ps));
    assert_true(m(C("\"type\":{\"Eq\":[\"Recon:EC2/Portscan\"]},\"accountId\":{\"Eq\":["
                    "\"111122223333\"]}"),
                  ps));
    assert_false(m(C("\"type\":{\"Eq\":[\"Recon:EC2/Portscan\"]},\"accountId\":{\"Eq\":["
                     "\"444455556666\"]}"),
                   ps));
    assert_true(m(C("\"resource.resourceType\":{\"Eq\":[\"Instance\"]},\"service.resourceRole\":"
                    "{\"Eq\":[\"ACTOR\"]},\"service.action.actionType\":{\"Eq\":["
                    "\"NETWORK_CONNECTION\"]}"),
                  ps));

    /* severity: numbers and GuardDuty's buckets */
    assert_true(m(C("\"severity\":{\"Eq\":[\"5\"]}"), ps));
    assert_true(m(C("\"severity\":{\"Eq\":[\"5\"]}"), ca)); /* 5.5 is in bucket 5 */
    assert_false(m(C("\"severity\":{\"Eq\":[\"5.0\"]}"), ca));
    assert_true(m(C("\"severity\":{\"Eq\":[\"5.5\"]}"), ca));
    assert_true(m(C("\"severity\":{\"Eq\":[\"5.0\"]}"), ps));
    assert_false(m(C("\"severity\":{\"Eq\":[\"4\",\"6\"]}"), ps));
    assert_true(m(C("\"severity\":{\"Gte\":5}"), ps));
    assert_false(m(C("\"severity\":{\"Gt\":5}"), ps));
    assert_true(m(C("\"severity\":{\"Gt\":5}"), ca));
    assert_true(m(C("\"severity\":{\"GreaterThanOrEqual\":4,\"LessThan\":7}"), ps));
    assert_false(m(C("\"severity\":{\"Gte\":4,\"Lt\":7}"), pr)); /* 2 */
    assert_true(m(C("\"severity\":{\"Lte\":2}"), pr));

    /* lists: any element for Eq, no element for Neq */
    assert_true(m(C("\"resource.instanceDetails.tags.key\":{\"Eq\":[\"env\"]}"), ps));
    assert_true(m(C("\"resource.instanceDetails.tags.value\":{\"Eq\":[\"web-1\"]}"), ps));
    assert_false(m(C("\"resource.instanceDetails.tags.key\":{\"Neq\":[\"env\"]}"), ps));
    assert_true(m(C("\"resource.instanceDetails.tags.key\":{\"Neq\":[\"scanner\"]}"), ps));
    assert_true(m(C("\"resource.instanceDetails.networkInterfaces.securityGroups.groupId\":{"
                    "\"Eq\":[\"sg-0123456789abcdef0\"]}"),
                  ps));
    assert_true(m(C("\"service.action.portProbeAction.portProbeDetails.localPortDetails.port\":{"
                    "\"Eq\":[\"3389\"]}"),
                  pr));
    assert_false(m(C("\"service.action.portProbeAction.portProbeDetails.localPortDetails.port\":{"
                     "\"Eq\":[\"445\"]}"),
                   pr));
    assert_true(m(C("\"service.action.portProbeAction.portProbeDetails.remoteIpDetails."
                    "ipAddressV4\":{\"Eq\":[\"203.0.113.0/24\"]}"),
                  pr));
    assert_false(m(C("\"service.action.portProbeAction.portProbeDetails.remoteIpDetails."
                     "ipAddressV4\":{\"Neq\":[\"203.0.113.0/24\"]}"),
                   pr));

    /* addresses and CIDRs */
    assert_true(m(C("\"resource.instanceDetails.networkInterfaces.publicIp\":{\"Eq\":["
                    "\"54.0.0.0/8\"]}"),
                  ps));
    assert_true(m(C("\"resource.instanceDetails.networkInterfaces.privateIpv4Address\":{\"Eq\":["
                    "\"10.0.1.15\"]}"),
                  ps));
    assert_true(m(C("\"service.action.networkConnectionAction.remoteIpDetails.ipAddressV4\":{"
                    "\"Eq\":[\"198.51.100.0/24\"]}"),
                  ps));
    assert_false(m(C("\"service.action.networkConnectionAction.remoteIpDetails.ipAddressV4\":{"
                     "\"Eq\":[\"198.51.100.24\"]}"),
                   ps));

    /* numbers: ports, and an ASN GuardDuty writes as text */
    assert_true(m(C("\"service.action.networkConnectionAction.remotePortDetails.port\":{\"Eq\":["
                    "\"22\"],\"Lt\":1024}"),
                  ps));
    assert_true(m(C("\"service.action.awsApiCallAction.remoteIpDetails.organization.asn\":{"
                    "\"Eq\":[\"64501\"]}"),
                  ca));
    assert_true(m(C("\"service.action.awsApiCallAction.remoteIpDetails.organization.asn\":{"
                    "\"Gte\":64500,\"Lte\":64511}"),
                  ca));
    assert_true(m(C("\"service.action.awsApiCallAction.remoteIpDetails.country.countryName\":{"
                    "\"Eq\":[\"United States\"]},\"resource.accessKeyDetails.userName\":{\"Eq\":["
                    "\"alice\"]},\"service.action.awsApiCallAction.api\":{\"Eq\":["
                    "\"ListBuckets\"]}"),
                  ca));

    /* absent attributes: Eq and comparisons fail, Neq holds */
    assert_false(m(C("\"resource.s3BucketDetails.name\":{\"Eq\":[\"logs\"]}"), ps));
    assert_true(m(C("\"resource.s3BucketDetails.name\":{\"Neq\":[\"logs\"]}"), ps));
    assert_false(m(C("\"service.action.networkConnectionAction.localPortDetails.port\":{\"Gt\":"
                     "0}"),
                   ps));

    /* the threat list: Evidence and AdditionalInfo.Value's threatListName */
    assert_true(m(C("\"service.additionalInfo.threatListName\":{\"Eq\":[\"scanners\"]}"), pr));
    assert_false(m(C("\"service.additionalInfo.threatListName\":{\"Eq\":[\"scanners\"]}"), ps));
    assert_true(m(C("\"service.additionalInfo.threatListName\":{\"Neq\":[\"scanners\"]}"), ps));

    /* booleans and times */
    assert_true(m(C("\"service.archived\":{\"Eq\":[\"false\"]}"), ps));
    assert_false(m(C("\"service.archived\":{\"Eq\":[\"true\"]}"), ps));
    assert_true(
        m(C("\"service.action.networkConnectionAction.blocked\":{\"Eq\":[\"false\"]}"), ps));
    assert_true(m(C("\"updatedAt\":{\"Gte\":1709547330120}"), ps));
    assert_false(m(C("\"updatedAt\":{\"Gt\":1709547330120}"), ps));
    assert_true(m(C("\"updatedAt\":{\"Lt\":\"2024-03-05T00:00:00Z\"}"), ps));

    /* not a finding */
    struct rp_det_suppress *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_suppress_new(&s), RP_OK);
    const char *c = C("\"type\":{\"Neq\":[\"x\"]}");
    assert_int_equal(rp_det_suppress_add(s, "any", c, strlen(c), &eb), RP_OK);
    assert_false(rp_det_suppress_match(s, "[1]", 3, NULL));
    assert_false(rp_det_suppress_match(s, "{\"Type\":", 8, NULL));
    assert_true(rp_det_suppress_match(s, "{}", 2, NULL));
    rp_det_suppress_free(s);
    assert_false(rp_det_suppress_match(NULL, ps, strlen(ps), NULL));
    free(ps);
    free(pr);
    free(ca);
}

/* ---- the store ------------------------------------------------------------------------------- */

struct listing {
    char text[2048];
};

static rp_err list_one(void *ctx, const struct rp_detect_suppress_rule *r)
{
    struct listing *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%d %s [%s] %s %lld %lld\n", r->rank, r->name,
             r->description, r->criteria, (long long)r->created_ms, (long long)r->updated_ms);
    return RP_OK;
}

static void add(struct rp_store *st, const char *name, int rank, const char *crit, bool replace,
                int64_t now, rp_err want, const char *msg)
{
    struct rp_detect_suppress_rule r = {
        .name = name, .description = "d", .rank = rank, .criteria = crit};
    struct rp_errbuf eb = {0};
    rp_err e = rp_detect_suppress_add(st, &r, replace, now, &eb);
    if (e != want) fail_msg("add %s: %s", name, eb.msg);
    if (msg) assert_string_equal(eb.msg, msg);
}

static void test_suppress_store(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb) != RP_OK) fail_msg("%s", eb.msg);
    const char *scan = C("\"type\" : {\"Eq\" : [\"Recon:EC2/Portscan\"]}");
    const char *probes = C("\"type\":{\"Eq\":[\"Recon:EC2/PortProbeUnprotectedPort\"]}");
    const char *med = C("\"severity\":{\"Gte\":4}");
    add(st, "scanners", 0, scan, false, 1000, RP_OK, NULL);
    add(st, "probes", 0, probes, false, 2000, RP_OK, NULL);
    add(st, "medium-up", 1, med, false, 3000, RP_OK, NULL);
    add(st, "scanners", 5, probes, false, 4000, RP_EEXIST,
        "suppress: a rule named 'scanners' exists");
    add(st, "ab", 1, scan, false, 0, RP_EINVAL,
        "suppress: rule name 'ab' must be 3 to 64 characters");
    add(st, "a b", 1, scan, false, 0, RP_EINVAL,
        "suppress: rule name 'a b' may only hold letters, digits, '-', '_' and '.'");
    add(st, "rank", 101, scan, false, 0, RP_EINVAL, "suppress: rank 101 is not 1 to 100");
    add(st, "bad", 1, C("\"colour\":{\"Eq\":[\"red\"]}"), false, 0, RP_EINVAL,
        "suppress: unknown attribute 'colour' (docs/detect-suppress.md lists them)");

    struct listing l = {""};
    assert_int_equal(rp_detect_suppress_list(st, list_one, &l, &eb), RP_OK);
    assert_string_equal(
        l.text, "1 medium-up [d] {\"Criterion\":{\"severity\":{\"Gte\":4}}} 3000 3000\n"
                "1 scanners [d] {\"Criterion\":{\"type\":{\"Eq\":[\"Recon:EC2/Portscan\"]}}} "
                "1000 1000\n"
                "2 probes [d] {\"Criterion\":{\"type\":{\"Eq\":["
                "\"Recon:EC2/PortProbeUnprotectedPort\"]}}} 2000 2000\n");

    /* replace: new criteria and rank, the created time kept */
    add(st, "medium-up", 3, C("\"severity\":{\"Gte\":4,\"Lt\":7}"), true, 5000, RP_OK, NULL);
    l.text[0] = '\0';
    assert_int_equal(rp_detect_suppress_list(st, list_one, &l, &eb), RP_OK);
    assert_string_equal(
        l.text, "1 scanners [d] {\"Criterion\":{\"type\":{\"Eq\":[\"Recon:EC2/Portscan\"]}}} "
                "1000 1000\n"
                "2 probes [d] {\"Criterion\":{\"type\":{\"Eq\":["
                "\"Recon:EC2/PortProbeUnprotectedPort\"]}}} 2000 2000\n"
                "3 medium-up [d] {\"Criterion\":{\"severity\":{\"Gte\":4,\"Lt\":7}}} 3000 "
                "5000\n");

    /* load: the first rule by rank names the match */
    struct rp_det_suppress *s = NULL;
    assert_int_equal(rp_det_suppress_load(st, &s, &eb), RP_OK);
    assert_int_equal(rp_det_suppress_count(s), 3);
    char *ps = portscan(), *pr = probe(), *ca = caller();
    const char *name = NULL;
    assert_true(rp_det_suppress_match(s, ps, strlen(ps), &name));
    assert_string_equal(name, "scanners"); /* medium-up matches too, but ranks after */
    assert_true(rp_det_suppress_match(s, pr, strlen(pr), &name));
    assert_string_equal(name, "probes");
    assert_true(rp_det_suppress_match(s, ca, strlen(ca), &name));
    assert_string_equal(name, "medium-up");
    rp_det_suppress_free(s);

    /* remove */
    assert_int_equal(rp_detect_suppress_remove(st, "probes", &eb), RP_OK);
    assert_int_equal(rp_detect_suppress_remove(st, "probes", &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "suppress: no rule 'probes'");
    assert_int_equal(rp_det_suppress_load(st, &s, &eb), RP_OK);
    assert_int_equal(rp_det_suppress_count(s), 2);
    assert_false(rp_det_suppress_match(s, pr, strlen(pr), &name));
    assert_null(name);
    rp_det_suppress_free(s);

    /* no store: an empty set */
    assert_int_equal(rp_det_suppress_load(NULL, &s, &eb), RP_OK);
    assert_int_equal(rp_det_suppress_count(s), 0);
    assert_false(rp_det_suppress_match(s, ps, strlen(ps), &name));
    rp_det_suppress_free(s);
    free(ps);
    free(pr);
    free(ca);
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suppress_short_form),
        cmocka_unit_test(test_suppress_criteria_check),
        cmocka_unit_test(test_suppress_match),
        cmocka_unit_test(test_suppress_store),
    };
    return cmocka_run_group_tests_name("detect_suppress", tests, NULL, NULL);
}
