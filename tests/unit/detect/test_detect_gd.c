/* SPDX-License-Identifier: Apache-2.0 */
/* GuardDuty's finding JSON (src/detect/detect_gd.c) and its way through the findings hub: one
 * hand-built folded finding per resource kind and action type (an instance scanning out, an
 * instance probed, an instance resolving a C&C domain, an access key calling from a listed
 * address, a bucket's Block Public Access turned off, an anonymous Kubernetes call) is written
 * as GuardDuty JSON (the first compared whole), imported with the hub's "guardduty" format into
 * a :memory: store (ASFF Types, Severity, Resources, Network, Action and ProductFields checked
 * exactly), then exported again with the hub's "guardduty" export format
 * (src/hub/hub_export_guardduty.c) and the important members compared with what was written.
 * Also: the errors, and the PortName and FeatureName tables. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/rp_test_json.h"

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "detect/detect_gd.h"
#include "detect/detect_internal.h"
#include "hub/hub.h"
#include "store/store.h"

#define NOW_MS     1709547330120LL /* 2024-03-04T10:15:30.120Z */
#define FIRST_MS   1709546282000LL /* 2024-03-04T09:58:02.000Z */
#define LAST_MS    1709547164000LL /* 2024-03-04T10:12:44.000Z */
#define DETECTOR   "12abc34d567e8fa901bc2d34e56789f0"
#define FINDING_ID "detect/0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01"
#define ARN                                                                                        \
    "arn:aws:guardduty:us-east-1:111122223333:detector/" DETECTOR                                  \
    "/finding/0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01"

/* ---- helpers ------------------------------------------------------------------------------- */

static const char *jv(const char *doc, const char *path)
{
    return rp_test_json_at(doc, path);
}

#define CHECK(doc, path, want) assert_string_equal(jv((doc), (path)), (want))

/* v written with the members of every object in name order. */
struct kv {
    struct rp_str k;
    struct rp_json_val v;
};

static int kv_cmp(const void *a, const void *b)
{
    const struct kv *x = a, *y = b;
    size_t n = x->k.len < y->k.len ? x->k.len : y->k.len;
    int c = memcmp(x->k.p, y->k.p, n);
    return c ? c : (x->k.len > y->k.len) - (x->k.len < y->k.len);
}

static void write_sorted(struct rp_json_writer *w, struct rp_json_val v)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_type(v) == RP_JSON_ARRAY) {
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el)) write_sorted(w, el);
        rp_json_write_arr_end(w);
        return;
    }
    if (rp_json_type(v) != RP_JSON_OBJECT) {
        rp_json_write_val(w, v);
        return;
    }
    size_t n = rp_json_len(v), i = 0;
    struct kv *m = calloc(n ? n : 1, sizeof *m);
    assert_non_null(m);
    if (rp_json_obj_iter(v, &it) == RP_OK)
        while (i < n && rp_json_obj_next(&it, &m[i].k, &m[i].v)) i++;
    qsort(m, i, sizeof *m, kv_cmp);
    rp_json_write_obj_begin(w);
    for (size_t j = 0; j < i; j++) {
        rp_json_write_key(w, m[j].k.p, m[j].k.len);
        write_sorted(w, m[j].v);
    }
    rp_json_write_obj_end(w);
    free(m);
}

/* jv(doc, path) with object members in name order (so member order does not count). */
static void sorted_at(const char *doc, const char *path, char *out, size_t n)
{
    char val[16384];
    snprintf(val, sizeof val, "%s", jv(doc, path));
    if (strcmp(val, "<none>") == 0) {
        snprintf(out, n, "%s", val);
        return;
    }
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    struct rp_buf b;
    assert_int_equal(rp_json_parse(p, val, strlen(val), &v, NULL), RP_OK);
    rp_buf_init(&b, 0);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &b);
    write_sorted(&w, v);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    snprintf(out, n, "%s", rp_buf_cstr(&b));
    rp_buf_release(&b);
    rp_json_parser_free(p);
}

/* A member of a written finding that must survive import + export unchanged (values, types
 * and lists exactly; the order of object members aside). */
static void same(const char *a, const char *b, const char *path)
{
    char want[16384], got[16384];
    sorted_at(a, path, want, sizeof want);
    sorted_at(b, path, got, sizeof got);
    if (strcmp(want, got) != 0) fail_msg("%s: wrote %s, exported %s", path, want, got);
}

static void fold_init(struct rp_det_folded *ff, const struct rp_det_type *t, enum rp_det_source src)
{
    memset(ff, 0, sizeof *ff);
    rp_det_finding_init(&ff->f);
    snprintf(ff->id, sizeof ff->id, "%s", FINDING_ID);
    ff->type = t;
    ff->source = src;
    ff->f.type = t->type;
    ff->f.account = "111122223333";
    ff->f.region = "us-east-1";
    ff->f.first_ms = FIRST_MS;
    ff->f.last_ms = LAST_MS;
    ff->f.count = 14;
}

static void facts_init(struct rp_det_gd_facts *g)
{
    memset(g, 0, sizeof *g);
    g->detector_id = DETECTOR;
    g->now_ms = NOW_MS;
}

/* The finding as GuardDuty JSON (malloc'd). */
static char *gd(const struct rp_det_folded *ff, const struct rp_det_gd_facts *g)
{
    struct rp_buf b;
    struct rp_json_writer w;
    struct rp_errbuf eb = {0};
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    if (rp_det_gd_write(&w, ff, g, &eb) != RP_OK) fail_msg("gd_write: %s", eb.msg);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    return rp_buf_take(&b, NULL);
}

struct got {
    char *asff; /* the stored ASFF document */
    char *back; /* the hub's "guardduty" export of it: {"Findings": [one]} */
};

static rp_err on_error(void *ctx, const char *source, size_t item, const char *id, const char *code,
                       const char *msg)
{
    (void)ctx;
    fail_msg("import %s item %zu (%s): %s: %s", source, item, id ? id : "-", code, msg);
    return RP_EINVAL;
}

static rp_err keep_doc(void *ctx, const char *doc, size_t len)
{
    char **out = ctx;
    assert_null(*out);
    *out = strndup(doc, len);
    return RP_OK;
}

/* Import json with the "guardduty" format into a fresh :memory: store, read the ASFF back and
 * export it with the "guardduty" export format. */
static void through_hub(const char *json, struct got *g)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    memset(g, 0, sizeof *g);
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb) != RP_OK) fail_msg("%s", eb.msg);
    struct rp_hub_import_opts o;
    rp_hub_import_opts_init(&o);
    o.format = "guardduty";
    o.now_ms = NOW_MS;
    o.on_error = on_error;
    struct rp_hub_importer *im = NULL;
    assert_int_equal(rp_hub_importer_new(st, &o, &im, &eb), RP_OK);
    if (rp_hub_import_buf(im, json, strlen(json), "test", &eb) != RP_OK) fail_msg("%s", eb.msg);
    struct rp_hub_import_stats s;
    rp_hub_importer_stats(im, &s);
    assert_int_equal(s.created, 1);
    assert_int_equal(rp_hub_importer_finish(im, &eb), RP_OK);
    struct rp_hub_query q = {0};
    assert_int_equal(rp_hub_findings_get(st, &q, keep_doc, &g->asff, NULL, &eb), RP_OK);
    assert_non_null(g->asff);
    rp_store_free(st);

    size_t len = 0;
    FILE *f = open_memstream(&g->back, &len);
    assert_non_null(f);
    struct rp_hub_exporter *x = NULL;
    assert_int_equal(rp_hub_exporter_new("guardduty", f, &x, &eb), RP_OK);
    if (rp_hub_exporter_add(x, g->asff, strlen(g->asff), &eb) != RP_OK) fail_msg("%s", eb.msg);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
    assert_int_equal(fclose(f), 0);
}

static void got_release(struct got *g)
{
    free(g->asff);
    free(g->back);
}

/* The members every round trip keeps exactly (the exported document is {"Findings": [f]}). */
static void same_core(const char *doc, const char *back)
{
    char b[1 << 15];
    snprintf(b, sizeof b, "%s", jv(back, "Findings[0]"));
    static const char *const paths[] = {
        "AccountId",
        "Arn",
        "CreatedAt",
        "Description",
        "Id",
        "Partition",
        "Region",
        "SchemaVersion",
        "Severity",
        "Title",
        "Type",
        "UpdatedAt",
        "Resource.ResourceType",
        "Service.Archived",
        "Service.Count",
        "Service.DetectorId",
        "Service.EventFirstSeen",
        "Service.EventLastSeen",
        "Service.ResourceRole",
        "Service.ServiceName",
        "Service.FeatureName",
        "Service.AdditionalInfo",
        "Service.Action.ActionType",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) same(doc, b, paths[i]);
}

/* ---- an instance scanning out: NETWORK_CONNECTION, InstanceDetails from Config ------------ */

static const struct rp_det_type t_portscan = {
    "Recon:EC2/Portscan", 5.0, "EC2 instance %s is performing outbound port scans",
    "EC2 instance %s is performing outbound port scans against a remote host."};

/* An AWS Config item of an instance, as the simulator and Config write it (camelCase). */
static const char instance_item[] =
    "{\"configuration\":{\"imageId\":\"ami-0abcdef1234567890\",\"instanceId\":"
    "\"i-0a1b2c3d4e5f60718\",\"instanceType\":\"t3.micro\",\"launchTime\":"
    "\"2024-02-28T08:00:00Z\",\"placement\":{\"availabilityZone\":\"us-east-1a\"},"
    "\"state\":{\"code\":16,\"name\":\"running\"},\"iamInstanceProfile\":{\"arn\":"
    "\"arn:aws:iam::111122223333:instance-profile/web\",\"id\":\"AIPAEXAMPLEPROFILE01\"},"
    "\"networkInterfaces\":[{\"association\":{\"ipOwnerId\":\"amazon\",\"publicIp\":"
    "\"54.0.0.10\"},\"groups\":[{\"groupId\":\"sg-0123456789abcdef0\",\"groupName\":\"web\"}],"
    "\"networkInterfaceId\":\"eni-0123456789abcdef0\",\"privateDnsName\":"
    "\"ip-10-0-1-15.ec2.internal\",\"privateIpAddress\":\"10.0.1.15\",\"privateIpAddresses\":"
    "[{\"primary\":true,\"privateDnsName\":\"ip-10-0-1-15.ec2.internal\",\"privateIpAddress\":"
    "\"10.0.1.15\"}],\"subnetId\":\"subnet-0123456789abcdef0\",\"vpcId\":"
    "\"vpc-0123456789abcdef0\"}],\"tags\":[{\"key\":\"Name\",\"value\":\"web-1\"},{\"key\":"
    "\"env\",\"value\":\"prod\"}]}}";

static const char want_portscan[] =
    "{\"AccountId\":\"111122223333\",\"Arn\":\"" ARN "\",\"CreatedAt\":"
    "\"2024-03-04T10:15:30.120Z\",\"Description\":\"EC2 instance i-0a1b2c3d4e5f60718 is "
    "performing outbound port scans against a remote host.\",\"Id\":"
    "\"0ac4ba0e0f6a4fbd9d5a1c3b2e5f8a01\",\"Partition\":\"aws\",\"Region\":\"us-east-1\","
    "\"Resource\":{\"InstanceDetails\":{\"AvailabilityZone\":\"us-east-1a\","
    "\"IamInstanceProfile\":{\"Arn\":\"arn:aws:iam::111122223333:instance-profile/web\",\"Id\":"
    "\"AIPAEXAMPLEPROFILE01\"},\"ImageId\":\"ami-0abcdef1234567890\",\"InstanceId\":"
    "\"i-0a1b2c3d4e5f60718\",\"InstanceState\":\"running\",\"InstanceType\":\"t3.micro\","
    "\"LaunchTime\":\"2024-02-28T08:00:00.000Z\",\"NetworkInterfaces\":[{\"Ipv6Addresses\":[],"
    "\"NetworkInterfaceId\":\"eni-0123456789abcdef0\",\"PrivateDnsName\":"
    "\"ip-10-0-1-15.ec2.internal\",\"PrivateIpAddress\":\"10.0.1.15\",\"PrivateIpAddresses\":"
    "[{\"PrivateDnsName\":\"ip-10-0-1-15.ec2.internal\",\"PrivateIpAddress\":\"10.0.1.15\"}],"
    "\"PublicIp\":\"54.0.0.10\",\"SecurityGroups\":[{\"GroupId\":\"sg-0123456789abcdef0\","
    "\"GroupName\":\"web\"}],\"SubnetId\":\"subnet-0123456789abcdef0\",\"VpcId\":"
    "\"vpc-0123456789abcdef0\"}],\"ProductCodes\":[],\"Tags\":[{\"Key\":\"Name\",\"Value\":"
    "\"web-1\"},{\"Key\":\"env\",\"Value\":\"prod\"}]},\"ResourceType\":\"Instance\"},"
    "\"SchemaVersion\":\"2.0\",\"Service\":{\"Action\":{\"ActionType\":\"NETWORK_CONNECTION\","
    "\"NetworkConnectionAction\":{\"Blocked\":false,\"ConnectionDirection\":\"OUTBOUND\","
    "\"LocalIpDetails\":{\"IpAddressV4\":\"10.0.1.15\"},\"LocalPortDetails\":{\"Port\":41234,"
    "\"PortName\":\"Unknown\"},\"Protocol\":\"TCP\",\"RemoteIpDetails\":{\"IpAddressV4\":"
    "\"198.51.100.23\"},\"RemotePortDetails\":{\"Port\":22,\"PortName\":\"SSH\"}}},"
    "\"AdditionalInfo\":{\"Value\":\"{}\",\"Type\":\"default\"},\"Archived\":false,\"Count\":14,"
    "\"DetectorId\":\"" DETECTOR "\",\"EventFirstSeen\":\"2024-03-04T09:58:02.000Z\","
    "\"EventLastSeen\":\"2024-03-04T10:12:44.000Z\",\"FeatureName\":\"FlowLogs\","
    "\"ResourceRole\":\"ACTOR\",\"ServiceName\":\"guardduty\"},\"Severity\":5.0,\"Title\":"
    "\"EC2 instance i-0a1b2c3d4e5f60718 is performing outbound port scans\",\"Type\":"
    "\"Recon:EC2/Portscan\",\"UpdatedAt\":\"2024-03-04T10:15:30.120Z\"}";

static void test_gd_instance_network_connection(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_portscan, RP_DET_SRC_FLOW);
    ff.f.res = RP_DET_RES_INSTANCE;
    ff.f.resource_id = "i-0a1b2c3d4e5f60718";
    ff.f.instance_id = "i-0a1b2c3d4e5f60718";
    ff.f.action = RP_DET_ACT_NETWORK_CONNECTION;
    ff.f.direction = "OUTBOUND";
    ff.f.protocol = "TCP";
    ff.f.local_ip = "10.0.1.15";
    ff.f.local_port = 41234;
    ff.f.remote_ip = "198.51.100.23";
    ff.f.remote_port = 22;
    ff.f.resource_role = "ACTOR";
    struct rp_det_gd_facts g;
    facts_init(&g);
    g.instance_json = instance_item;
    char *doc = gd(&ff, &g);
    assert_string_equal(doc, want_portscan);

    struct got h;
    through_hub(doc, &h);
    const char *a = h.asff;
    CHECK(a, "Id", "\"" ARN "\"");
    CHECK(a, "ProductArn", "\"arn:aws:securityhub:us-east-1::product/aws/guardduty\"");
    CHECK(a, "GeneratorId", "\"arn:aws:guardduty:us-east-1:111122223333:detector/" DETECTOR "\"");
    CHECK(a, "Types", "[\"TTPs/Discovery/Recon:EC2-Portscan\"]");
    CHECK(a, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":50,\"Original\":\"5\"}");
    CHECK(a, "FirstObservedAt", "\"2024-03-04T09:58:02.000Z\"");
    CHECK(a, "LastObservedAt", "\"2024-03-04T10:12:44.000Z\"");
    CHECK(a, "Title", "\"EC2 instance i-0a1b2c3d4e5f60718 is performing outbound port scans\"");
    CHECK(a, "Resources",
          "[{\"Type\":\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:us-east-1:111122223333:instance/"
          "i-0a1b2c3d4e5f60718\",\"Partition\":\"aws\",\"Region\":\"us-east-1\",\"Tags\":{"
          "\"Name\":\"web-1\",\"env\":\"prod\"},\"Details\":{\"AwsEc2Instance\":{\"Type\":"
          "\"t3.micro\",\"ImageId\":\"ami-0abcdef1234567890\",\"IpV4Addresses\":[\"10.0.1.15\","
          "\"54.0.0.10\"],\"IamInstanceProfileArn\":\"arn:aws:iam::111122223333:instance-profile/"
          "web\",\"VpcId\":\"vpc-0123456789abcdef0\",\"SubnetId\":\"subnet-0123456789abcdef0\","
          "\"LaunchedAt\":\"2024-02-28T08:00:00.000Z\",\"NetworkInterfaces\":[{"
          "\"NetworkInterfaceId\":\"eni-0123456789abcdef0\"}]}}}]");
    CHECK(a, "Network",
          "{\"Direction\":\"OUT\",\"Protocol\":\"TCP\",\"SourceIpV4\":\"10.0.1.15\",\"SourcePort\":"
          "41234,\"DestinationIpV4\":\"198.51.100.23\",\"DestinationPort\":22}");
    CHECK(a, "Action",
          "{\"ActionType\":\"NETWORK_CONNECTION\",\"NetworkConnectionAction\":{"
          "\"ConnectionDirection\":\"OUTBOUND\",\"RemoteIpDetails\":{\"IpAddressV4\":"
          "\"198.51.100.23\"},\"RemotePortDetails\":{\"Port\":22,\"PortName\":\"SSH\"},"
          "\"LocalPortDetails\":{\"Port\":41234,\"PortName\":\"Unknown\"},\"Protocol\":\"TCP\","
          "\"Blocked\":false}}");
    CHECK(a, "ProductFields.aws/guardduty/service/count", "\"14\"");
    CHECK(a, "ProductFields.aws/guardduty/service/resourceRole", "\"ACTOR\"");
    CHECK(a, "ProductFields.aws/guardduty/service/featureName", "\"FlowLogs\"");
    CHECK(a,
          "ProductFields.aws/guardduty/service/action/networkConnectionAction/localIpDetails/"
          "ipAddressV4",
          "\"10.0.1.15\"");
    CHECK(a, "RecordState", "\"ACTIVE\"");

    /* back out: everything the hub keeps comes back as it was written */
    const char *b = jv(h.back, "Findings[0]");
    char back[1 << 15];
    snprintf(back, sizeof back, "%s", b);
    same_core(doc, h.back);
    same(doc, back, "Service.Action");
    CHECK(back, "Resource.InstanceDetails",
          "{\"IamInstanceProfile\":{\"Arn\":\"arn:aws:iam::111122223333:instance-profile/web\"},"
          "\"ImageId\":\"ami-0abcdef1234567890\",\"InstanceId\":\"i-0a1b2c3d4e5f60718\","
          "\"InstanceType\":\"t3.micro\",\"LaunchTime\":\"2024-02-28T08:00:00.000Z\","
          "\"NetworkInterfaces\":[{\"NetworkInterfaceId\":\"eni-0123456789abcdef0\","
          "\"PrivateIpAddress\":\"10.0.1.15\",\"PublicIp\":\"54.0.0.10\",\"SubnetId\":"
          "\"subnet-0123456789abcdef0\",\"VpcId\":\"vpc-0123456789abcdef0\"}],\"Tags\":[{\"Key\":"
          "\"Name\",\"Value\":\"web-1\"},{\"Key\":\"env\",\"Value\":\"prod\"}]}");
    got_release(&h);
    free(doc);
}

/* ---- an instance probed: PORT_PROBE, no Config item (interface facts only) ---------------- */

static const struct rp_det_type t_probe = {
    "Recon:EC2/PortProbeUnprotectedPort", 2.0,
    "Unprotected port on EC2 instance %s is being probed",
    "EC2 instance %s has an unprotected port which is being probed by a known malicious host."};

static void test_gd_instance_port_probe(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_probe, RP_DET_SRC_FLOW);
    ff.f.res = RP_DET_RES_INSTANCE;
    ff.f.resource_id = "i-0a1b2c3d4e5f60718";
    ff.f.instance_id = "i-0a1b2c3d4e5f60718";
    ff.f.eni = "eni-0123456789abcdef0";
    ff.f.action = RP_DET_ACT_PORT_PROBE;
    ff.f.local_ip = "10.0.1.15";
    ff.f.probes[0] = (struct rp_det_probe){22, "198.51.100.7"};
    ff.f.probes[1] = (struct rp_det_probe){3389, "198.51.100.8"};
    ff.f.nprobes = 2;
    ff.f.threat_list = "scanners";
    ff.f.threat_name = "198.51.100.0/24";
    const char *const sgs[] = {"sg-0123456789abcdef0"};
    struct rp_det_inv_eni x = {.eni = "eni-0123456789abcdef0",
                               .instance_id = "i-0a1b2c3d4e5f60718",
                               .vpc_id = "vpc-0123456789abcdef0",
                               .subnet_id = "subnet-0123456789abcdef0",
                               .private_ip = "10.0.1.15",
                               .public_ip = "54.0.0.10",
                               .security_groups = sgs,
                               .nsecurity_groups = 1};
    struct rp_det_gd_facts g;
    facts_init(&g);
    g.eni = &x;
    char *doc = gd(&ff, &g);
    CHECK(doc, "Resource",
          "{\"InstanceDetails\":{\"InstanceId\":\"i-0a1b2c3d4e5f60718\",\"NetworkInterfaces\":[{"
          "\"NetworkInterfaceId\":\"eni-0123456789abcdef0\",\"PrivateIpAddress\":\"10.0.1.15\","
          "\"PublicIp\":\"54.0.0.10\",\"SecurityGroups\":[{\"GroupId\":\"sg-0123456789abcdef0\"}],"
          "\"SubnetId\":\"subnet-0123456789abcdef0\",\"VpcId\":\"vpc-0123456789abcdef0\"}]},"
          "\"ResourceType\":\"Instance\"}");
    CHECK(doc, "Service.Action",
          "{\"ActionType\":\"PORT_PROBE\",\"PortProbeAction\":{\"Blocked\":false,"
          "\"PortProbeDetails\":[{\"LocalIpDetails\":{\"IpAddressV4\":\"10.0.1.15\"},"
          "\"LocalPortDetails\":{\"Port\":22,\"PortName\":\"SSH\"},\"RemoteIpDetails\":{"
          "\"IpAddressV4\":\"198.51.100.7\"}},{\"LocalIpDetails\":{\"IpAddressV4\":\"10.0.1.15\"},"
          "\"LocalPortDetails\":{\"Port\":3389,\"PortName\":\"RDP\"},\"RemoteIpDetails\":{"
          "\"IpAddressV4\":\"198.51.100.8\"}}]}}");
    CHECK(doc, "Service.Evidence",
          "{\"ThreatIntelligenceDetails\":[{\"ThreatListName\":\"scanners\",\"ThreatNames\":["
          "\"198.51.100.0/24\"]}]}");
    CHECK(doc, "Service.AdditionalInfo",
          "{\"Value\":\"{\\\"threatListName\\\":\\\"scanners\\\"}\",\"Type\":\"default\"}");
    CHECK(doc, "Service.ResourceRole", "\"TARGET\"");
    CHECK(doc, "Severity", "2.0");

    struct got h;
    through_hub(doc, &h);
    const char *a = h.asff;
    CHECK(a, "Types", "[\"TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort\"]");
    CHECK(a, "Severity", "{\"Label\":\"LOW\",\"Normalized\":20,\"Original\":\"2\"}");
    CHECK(a, "Resources[0].Details",
          "{\"AwsEc2Instance\":{\"IpV4Addresses\":[\"10.0.1.15\",\"54.0.0.10\"],\"VpcId\":"
          "\"vpc-0123456789abcdef0\",\"SubnetId\":\"subnet-0123456789abcdef0\","
          "\"NetworkInterfaces\":[{\"NetworkInterfaceId\":\"eni-0123456789abcdef0\"}]}}");
    CHECK(a, "Network",
          "{\"Direction\":\"IN\",\"SourceIpV4\":\"198.51.100.7\",\"DestinationIpV4\":"
          "\"10.0.1.15\",\"DestinationPort\":22}");
    CHECK(a, "Action",
          "{\"ActionType\":\"PORT_PROBE\",\"PortProbeAction\":{\"PortProbeDetails\":[{"
          "\"LocalPortDetails\":{\"Port\":22,\"PortName\":\"SSH\"},\"LocalIpDetails\":{"
          "\"IpAddressV4\":\"10.0.1.15\"},\"RemoteIpDetails\":{\"IpAddressV4\":\"198.51.100.7\"}},"
          "{\"LocalPortDetails\":{\"Port\":3389,\"PortName\":\"RDP\"},\"LocalIpDetails\":{"
          "\"IpAddressV4\":\"10.0.1.15\"},\"RemoteIpDetails\":{\"IpAddressV4\":\"198.51.100.8\"}}],"
          "\"Blocked\":false}}");
    CHECK(a,
          "ProductFields.aws/guardduty/service/evidence/threatIntelligenceDetails/0/"
          "threatListName",
          "\"scanners\"");

    char back[1 << 15];
    snprintf(back, sizeof back, "%s", jv(h.back, "Findings[0]"));
    same_core(doc, h.back);
    same(doc, back, "Service.Action");
    same(doc, back, "Service.Evidence");
    got_release(&h);
    free(doc);
}

/* ---- an instance resolving a C&C domain: DNS_REQUEST ---------------------------------------- */

static const struct rp_det_type t_c2dns = {
    "Backdoor:EC2/C&CActivity.B!DNS", 8.0,
    "Command and Control server domain name queried by EC2 instance %s",
    "EC2 instance %s is querying a domain name associated with a known command and control "
    "server."};

static void test_gd_instance_dns(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_c2dns, RP_DET_SRC_DNS);
    ff.f.count = 1;
    ff.f.last_ms = 0; /* one occurrence: EventLastSeen = EventFirstSeen */
    ff.f.res = RP_DET_RES_INSTANCE;
    ff.f.resource_id = "i-0a1b2c3d4e5f60718";
    ff.f.instance_id = "i-0a1b2c3d4e5f60718";
    ff.f.action = RP_DET_ACT_DNS_REQUEST;
    ff.f.domain = "guarddutyc2activityb.com";
    ff.f.protocol = "UDP";
    ff.f.threat_list = "c2-domains";
    struct rp_det_gd_facts g;
    facts_init(&g);
    char *doc = gd(&ff, &g);
    CHECK(doc, "Resource",
          "{\"InstanceDetails\":{\"InstanceId\":\"i-0a1b2c3d4e5f60718\"},\"ResourceType\":"
          "\"Instance\"}");
    CHECK(doc, "Service.Action",
          "{\"ActionType\":\"DNS_REQUEST\",\"DnsRequestAction\":{\"Blocked\":false,\"Domain\":"
          "\"guarddutyc2activityb.com\",\"Protocol\":\"UDP\"}}");
    CHECK(doc, "Service.EventLastSeen", "\"2024-03-04T09:58:02.000Z\"");
    CHECK(doc, "Service.FeatureName", "\"DnsLogs\"");
    CHECK(doc, "Service.Evidence.ThreatIntelligenceDetails",
          "[{\"ThreatListName\":\"c2-domains\",\"ThreatNames\":[]}]");

    struct got h;
    through_hub(doc, &h);
    const char *a = h.asff;
    CHECK(a, "Types", "[\"TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS\"]");
    CHECK(a, "Severity", "{\"Label\":\"HIGH\",\"Normalized\":80,\"Original\":\"8\"}");
    CHECK(a, "Resources[0].Id",
          "\"arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718\"");
    CHECK(a, "Resources[0].Details", "{\"AwsEc2Instance\":{}}");
    CHECK(a, "Network",
          "{\"Direction\":\"OUT\",\"Protocol\":\"UDP\",\"DestinationDomain\":"
          "\"guarddutyc2activityb.com\"}");
    CHECK(a, "Action",
          "{\"ActionType\":\"DNS_REQUEST\",\"DnsRequestAction\":{\"Domain\":"
          "\"guarddutyc2activityb.com\",\"Protocol\":\"UDP\",\"Blocked\":false}}");

    char back[1 << 15];
    snprintf(back, sizeof back, "%s", jv(h.back, "Findings[0]"));
    same_core(doc, h.back);
    same(doc, back, "Service.Action");
    same(doc, back, "Resource.InstanceDetails.InstanceId");
    got_release(&h);
    free(doc);
}

/* ---- an access key calling from a listed address: AWS_API_CALL with RemoteIpDetails -------- */

static const struct rp_det_type t_custom = {
    "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom", 5.0,
    "An API was invoked from an IP address on a custom threat list by %s",
    "An API operation was invoked from an IP address that is on a threat list you uploaded."};

static bool ipinfo(void *ctx, const char *ip, struct rp_det_gd_ipinfo *out)
{
    (void)ctx;
    if (strcmp(ip, "192.0.2.55") != 0) return false;
    out->asn = "64501";
    out->asn_org = "EXAMPLE-NET";
    out->isp = "Example ISP";
    out->org = "Example ISP";
    out->country_code = "US";
    out->country_name = "United States";
    out->city = "Ashburn";
    out->has_geo = true;
    out->lat = 39.04;
    out->lon = -77.49;
    return true;
}

static void test_gd_access_key_api_call(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_custom, RP_DET_SRC_CLOUDTRAIL);
    ff.f.count = 3;
    ff.f.res = RP_DET_RES_ACCESS_KEY;
    ff.f.resource_id = "AKIAIOSFODNN7EXAMPLE";
    ff.f.access_key_id = "AKIAIOSFODNN7EXAMPLE";
    ff.f.principal_id = "AIDAEXAMPLEUSER00001";
    ff.f.user_name = "alice";
    ff.f.user_type = "IAMUser";
    ff.f.action = RP_DET_ACT_AWS_API_CALL;
    ff.f.api = "ListBuckets";
    ff.f.service_name = "s3.amazonaws.com";
    ff.f.user_agent = "aws-cli/2.15.0";
    ff.f.error_code = "AccessDenied";
    ff.f.remote_ip = "192.0.2.55";
    ff.f.threat_list = "my-threats";
    ff.f.threat_name = "192.0.2.0/24";
    ff.f.additional_json = "{\"apiCalls\":[{\"name\":\"ListBuckets\",\"count\":3}]}";
    struct rp_det_gd_facts g;
    facts_init(&g);
    g.ipinfo = ipinfo;
    g.created_ms = NOW_MS - 3600000;
    g.archived = true;
    char *doc = gd(&ff, &g);
    CHECK(doc, "Resource",
          "{\"AccessKeyDetails\":{\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"PrincipalId\":"
          "\"AIDAEXAMPLEUSER00001\",\"UserName\":\"alice\",\"UserType\":\"IAMUser\"},"
          "\"ResourceType\":\"AccessKey\"}");
    CHECK(doc, "Service.Action",
          "{\"ActionType\":\"AWS_API_CALL\",\"AwsApiCallAction\":{\"Api\":\"ListBuckets\","
          "\"CallerType\":\"Remote IP\",\"ErrorCode\":\"AccessDenied\",\"RemoteIpDetails\":{"
          "\"City\":{\"CityName\":\"Ashburn\"},\"Country\":{\"CountryCode\":\"US\","
          "\"CountryName\":\"United States\"},\"GeoLocation\":{\"Lat\":39.04,\"Lon\":-77.49},"
          "\"IpAddressV4\":\"192.0.2.55\",\"Organization\":{\"Asn\":\"64501\",\"AsnOrg\":"
          "\"EXAMPLE-NET\",\"Isp\":\"Example ISP\",\"Org\":\"Example ISP\"}},\"ServiceName\":"
          "\"s3.amazonaws.com\",\"UserAgent\":\"aws-cli/2.15.0\"}}");
    CHECK(doc, "Service.AdditionalInfo.Value",
          "\"{\\\"apiCalls\\\":[{\\\"name\\\":\\\"ListBuckets\\\",\\\"count\\\":3}],"
          "\\\"threatListName\\\":\\\"my-threats\\\"}\"");
    CHECK(doc, "Service.Archived", "true");
    CHECK(doc, "Service.FeatureName", "\"CloudTrail\"");
    CHECK(doc, "CreatedAt", "\"2024-03-04T09:15:30.120Z\"");

    struct got h;
    through_hub(doc, &h);
    const char *a = h.asff;
    CHECK(a, "Types",
          "[\"TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller.Custom\"]");
    CHECK(a, "Severity", "{\"Label\":\"MEDIUM\",\"Normalized\":50,\"Original\":\"5\"}");
    CHECK(a, "CreatedAt", "\"2024-03-04T09:15:30.120Z\"");
    CHECK(a, "Resources",
          "[{\"Type\":\"AwsIamAccessKey\",\"Id\":\"AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE\","
          "\"Partition\":\"aws\",\"Region\":\"us-east-1\",\"Details\":{\"AwsIamAccessKey\":{"
          "\"PrincipalId\":\"AIDAEXAMPLEUSER00001\",\"PrincipalName\":\"alice\","
          "\"PrincipalType\":\"IAMUser\"}}}]");
    CHECK(a, "Network", "<none>");
    CHECK(a, "Action",
          "{\"ActionType\":\"AWS_API_CALL\",\"AwsApiCallAction\":{\"Api\":\"ListBuckets\","
          "\"ServiceName\":\"s3.amazonaws.com\",\"CallerType\":\"Remote IP\",\"RemoteIpDetails\":{"
          "\"IpAddressV4\":\"192.0.2.55\",\"Organization\":{\"Asn\":64501,\"AsnOrg\":"
          "\"EXAMPLE-NET\",\"Isp\":\"Example ISP\",\"Org\":\"Example ISP\"},\"Country\":{"
          "\"CountryCode\":\"US\",\"CountryName\":\"United States\"},\"City\":{\"CityName\":"
          "\"Ashburn\"},\"GeoLocation\":{\"Lon\":-77.49,\"Lat\":39.04}}}}");
    CHECK(a, "ProductFields.aws/guardduty/service/action/awsApiCallAction/userAgent",
          "\"aws-cli/2.15.0\"");
    CHECK(a, "RecordState", "\"ARCHIVED\"");

    char back[1 << 15];
    snprintf(back, sizeof back, "%s", jv(h.back, "Findings[0]"));
    same_core(doc, h.back);
    same(doc, back, "Resource.AccessKeyDetails");
    same(doc, back, "Service.Evidence");
    /* member order differs (ASFF's), values and types do not */
    CHECK(back, "Service.Action.AwsApiCallAction.RemoteIpDetails.Organization",
          "{\"Asn\":\"64501\",\"AsnOrg\":\"EXAMPLE-NET\",\"Isp\":\"Example ISP\",\"Org\":"
          "\"Example ISP\"}");
    same(doc, back, "Service.Action.AwsApiCallAction.RemoteIpDetails.GeoLocation.Lat");
    same(doc, back, "Service.Action.AwsApiCallAction.ErrorCode");
    same(doc, back, "Service.Action.AwsApiCallAction.UserAgent");
    same(doc, back, "Service.Action.AwsApiCallAction.CallerType");
    got_release(&h);
    free(doc);
}

/* ---- a bucket's Block Public Access turned off: S3Bucket + the caller's key ---------------- */

static const struct rp_det_type t_bpa = {
    "Policy:S3/BucketBlockPublicAccessDisabled", 2.0,
    "Amazon S3 Block Public Access was disabled for S3 bucket %s",
    "An IAM entity turned off S3 Block Public Access on bucket %s."};

static const char bucket_item[] =
    "{\"configuration\":{\"name\":\"example-logs-bucket\",\"owner\":{\"displayName\":null,"
    "\"id\":\"abcd1234ownerid\"},\"creationDate\":\"2023-11-01T12:00:00.000Z\"},"
    "\"supplementaryConfiguration\":{\"AccessControlList\":\"{\\\"grantList\\\":[{"
    "\\\"grantee\\\":\\\"AllUsers\\\",\\\"permission\\\":\\\"Read\\\"}]}\","
    "\"PublicAccessBlockConfiguration\":{\"blockPublicAcls\":false,\"ignorePublicAcls\":false,"
    "\"blockPublicPolicy\":true,\"restrictPublicBuckets\":false},"
    "\"ServerSideEncryptionConfiguration\":{\"rules\":[{\"applyServerSideEncryptionByDefault\":"
    "{\"sseAlgorithm\":\"AES256\",\"kmsMasterKeyID\":null},\"bucketKeyEnabled\":false}]}},"
    "\"tags\":{\"team\":\"platform\"}}";

static void test_gd_s3_bucket(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_bpa, RP_DET_SRC_CLOUDTRAIL);
    ff.f.count = 1;
    ff.f.res = RP_DET_RES_S3_BUCKET;
    ff.f.resource_id = "example-logs-bucket";
    ff.f.bucket = "example-logs-bucket";
    ff.f.access_key_id = "AKIAIOSFODNN7EXAMPLE";
    ff.f.principal_id = "AIDAEXAMPLEUSER00001";
    ff.f.user_name = "alice";
    ff.f.user_type = "IAMUser";
    ff.f.action = RP_DET_ACT_AWS_API_CALL;
    ff.f.api = "PutBucketPublicAccessBlock";
    ff.f.service_name = "s3.amazonaws.com";
    ff.f.remote_ip = "203.0.113.77";
    ff.f.severity = 2.5;
    struct rp_det_gd_facts g;
    facts_init(&g);
    g.bucket_json = bucket_item;
    char *doc = gd(&ff, &g);
    CHECK(doc, "Resource.S3BucketDetails",
          "[{\"Arn\":\"arn:aws:s3:::example-logs-bucket\",\"CreatedAt\":"
          "\"2023-11-01T12:00:00.000Z\",\"DefaultServerSideEncryption\":{\"EncryptionType\":"
          "\"AES256\"},\"Name\":\"example-logs-bucket\",\"Owner\":{\"Id\":\"abcd1234ownerid\"},"
          "\"Tags\":[{\"Key\":\"team\",\"Value\":\"platform\"}],\"Type\":\"Destination\","
          "\"PublicAccess\":{\"PermissionConfiguration\":{\"BucketLevelPermissions\":{"
          "\"AccessControlList\":{\"AllowsPublicReadAccess\":true,\"AllowsPublicWriteAccess\":"
          "false},\"BlockPublicAccess\":{\"BlockPublicAcls\":false,\"BlockPublicPolicy\":true,"
          "\"IgnorePublicAcls\":false,\"RestrictPublicBuckets\":false}}}}}]");
    CHECK(doc, "Resource.ResourceType", "\"S3Bucket\"");
    CHECK(doc, "Resource.AccessKeyDetails.AccessKeyId", "\"AKIAIOSFODNN7EXAMPLE\"");
    CHECK(doc, "Severity", "2.5");
    CHECK(doc, "Description",
          "\"An IAM entity turned off S3 Block Public Access on bucket example-logs-bucket.\"");
    CHECK(doc, "Service.FeatureName", "\"CloudTrail\"");

    struct got h;
    through_hub(doc, &h);
    const char *a = h.asff;
    CHECK(a, "Types",
          "[\"Software and Configuration Checks/AWS Security Best Practices/Policy:S3-"
          "BucketBlockPublicAccessDisabled\"]");
    CHECK(a, "Severity", "{\"Label\":\"LOW\",\"Normalized\":25,\"Original\":\"2.5\"}");
    CHECK(a, "Resources",
          "[{\"Type\":\"AwsS3Bucket\",\"Id\":\"arn:aws:s3:::example-logs-bucket\",\"Partition\":"
          "\"aws\",\"Region\":\"us-east-1\",\"Tags\":{\"team\":\"platform\"},\"Details\":{"
          "\"AwsS3Bucket\":{\"OwnerId\":\"abcd1234ownerid\",\"CreatedAt\":"
          "\"2023-11-01T12:00:00.000Z\"}}},{\"Type\":\"AwsIamAccessKey\",\"Id\":"
          "\"AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE\",\"Partition\":\"aws\",\"Region\":"
          "\"us-east-1\",\"Details\":{\"AwsIamAccessKey\":{\"PrincipalId\":"
          "\"AIDAEXAMPLEUSER00001\",\"PrincipalName\":\"alice\",\"PrincipalType\":\"IAMUser\"}}}]");
    CHECK(a, "Action.AwsApiCallAction.Api", "\"PutBucketPublicAccessBlock\"");

    char back[1 << 15];
    snprintf(back, sizeof back, "%s", jv(h.back, "Findings[0]"));
    same_core(doc, h.back);
    same(doc, back, "Resource.AccessKeyDetails");
    same(doc, back, "Service.Action");
    CHECK(back, "Resource.S3BucketDetails",
          "[{\"Arn\":\"arn:aws:s3:::example-logs-bucket\",\"CreatedAt\":"
          "\"2023-11-01T12:00:00.000Z\",\"Name\":\"example-logs-bucket\",\"Owner\":{\"Id\":"
          "\"abcd1234ownerid\"},\"Tags\":[{\"Key\":\"team\",\"Value\":\"platform\"}]}]");
    got_release(&h);
    free(doc);
}

/* ---- an anonymous Kubernetes call: EKSCluster + KUBERNETES_API_CALL ------------------------ */

static const struct rp_det_type t_anon = {
    "Discovery:Kubernetes/SuccessfulAnonymousAccess", 5.0,
    "Anonymous access granted to Kubernetes API on EKS cluster %s",
    "An API commonly used to discover resources in EKS cluster %s was called by an "
    "unauthenticated user."};

static void test_gd_eks_kubernetes_api_call(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_anon, RP_DET_SRC_K8S);
    ff.f.count = 2;
    ff.f.res = RP_DET_RES_EKS_CLUSTER;
    ff.f.resource_id = "prod-eks";
    ff.f.cluster = "prod-eks";
    ff.f.k8s_user = "system:anonymous";
    ff.f.k8s_groups = "[\"system:unauthenticated\"]";
    ff.f.workload_name = "web-7d9f";
    ff.f.workload_ns = "default";
    ff.f.workload_type = "pods";
    ff.f.workload_image = "nginx:1.25";
    ff.f.workload_volumes_json = "[{\"Name\":\"host\",\"HostPath\":{\"Path\":\"/etc\"}}]";
    ff.f.action = RP_DET_ACT_KUBERNETES_API_CALL;
    ff.f.verb = "list";
    ff.f.request_uri = "/api/v1/pods";
    ff.f.status_code = 200;
    ff.f.user_agent = "curl/8.4.0";
    ff.f.remote_ip = "198.51.100.40";
    const char cluster[] = "{\"Name\":\"prod-eks\",\"Arn\":\"arn:aws:eks:us-east-1:111122223333:"
                           "cluster/prod-eks\",\"ClusterStatus\":\"ACTIVE\","
                           "\"ResourcesVpcConfig\":{\"SubnetIds\":[]}}";
    struct rp_det_gd_facts g;
    facts_init(&g);
    g.cluster_json = cluster;
    char *doc = gd(&ff, &g);
    CHECK(doc, "Resource",
          "{\"EksClusterDetails\":{\"Arn\":\"arn:aws:eks:us-east-1:111122223333:cluster/prod-eks\","
          "\"Name\":\"prod-eks\",\"Status\":\"ACTIVE\"},\"KubernetesDetails\":{"
          "\"KubernetesUserDetails\":{\"Groups\":[\"system:unauthenticated\"],\"Username\":"
          "\"system:anonymous\"},\"KubernetesWorkloadDetails\":{\"Containers\":[{\"Image\":"
          "\"nginx:1.25\",\"SecurityContext\":{\"Privileged\":false}}],\"Name\":\"web-7d9f\","
          "\"Namespace\":\"default\",\"Type\":\"pods\",\"Volumes\":[{\"Name\":\"host\","
          "\"HostPath\":{\"Path\":\"/etc\"}}]}},\"ResourceType\":\"EKSCluster\"}");
    CHECK(doc, "Service.Action",
          "{\"ActionType\":\"KUBERNETES_API_CALL\",\"KubernetesApiCallAction\":{"
          "\"RemoteIpDetails\":{\"IpAddressV4\":\"198.51.100.40\"},\"RequestUri\":"
          "\"/api/v1/pods\",\"SourceIps\":[\"198.51.100.40\"],\"StatusCode\":200,\"UserAgent\":"
          "\"curl/8.4.0\",\"Verb\":\"list\"}}");
    CHECK(doc, "Service.FeatureName", "\"EksAuditLogs\"");

    struct got h;
    through_hub(doc, &h);
    const char *a = h.asff;
    CHECK(a, "Types", "[\"TTPs/Discovery/Discovery:Kubernetes-SuccessfulAnonymousAccess\"]");
    CHECK(a, "Resources",
          "[{\"Type\":\"AwsEksCluster\",\"Id\":\"arn:aws:eks:us-east-1:111122223333:cluster/"
          "prod-eks\",\"Partition\":\"aws\",\"Region\":\"us-east-1\",\"Details\":{"
          "\"AwsEksCluster\":{\"Name\":\"prod-eks\",\"Arn\":\"arn:aws:eks:us-east-1:111122223333:"
          "cluster/prod-eks\",\"ClusterStatus\":\"ACTIVE\"}}}]");
    CHECK(a, "Network", "<none>");
    CHECK(a, "Action", "<none>"); /* ASFF's Action has no Kubernetes call */
    CHECK(a, "ProductFields.aws/guardduty/service/action/kubernetesApiCallAction/requestUri",
          "\"/api/v1/pods\"");
    CHECK(a, "ProductFields.aws/guardduty/service/action/kubernetesApiCallAction/sourceIps/0",
          "\"198.51.100.40\"");

    char back[1 << 15];
    snprintf(back, sizeof back, "%s", jv(h.back, "Findings[0]"));
    same_core(doc, h.back);
    same(doc, back, "Resource.EksClusterDetails");
    /* rebuilt from ProductFields alone: the texts, the list and the typed StatusCode */
    same(doc, back, "Service.Action");
    CHECK(back, "Service.Action.KubernetesApiCallAction.StatusCode", "200");
    CHECK(back, "Resource.KubernetesDetails", "<none>");
    got_release(&h);
    free(doc);
}

/* ---- errors and tables ------------------------------------------------------------------- */

static void test_gd_errors(void **state)
{
    (void)state;
    struct rp_det_folded ff;
    fold_init(&ff, &t_portscan, RP_DET_SRC_FLOW);
    ff.f.res = RP_DET_RES_INSTANCE;
    ff.f.resource_id = "i-0a1b2c3d4e5f60718";
    struct rp_det_gd_facts g;
    facts_init(&g);
    struct rp_buf b;
    struct rp_json_writer w;
    struct rp_errbuf eb = {0};
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);

    ff.f.account = NULL;
    assert_int_equal(rp_det_gd_write(&w, &ff, &g, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "guardduty json: finding 'Recon:EC2/Portscan' lacks its "
                                "account, region or resource id");
    ff.f.account = "111122223333";
    g.detector_id = NULL;
    assert_int_equal(rp_det_gd_write(&w, &ff, &g, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "guardduty json: no detector id");
    g.detector_id = DETECTOR;
    ff.f.type = NULL;
    assert_int_equal(rp_det_gd_write(&w, &ff, &g, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "guardduty json: finding has no type");
    assert_int_equal(b.len, 0);
    rp_buf_release(&b);

    /* a finding without its type's descriptor: the type is the title, severity as given */
    ff.f.type = "Recon:EC2/Portscan";
    ff.type = NULL;
    ff.f.severity = 5;
    ff.f.action = RP_DET_ACT_NETWORK_CONNECTION;
    char *doc = gd(&ff, &g);
    CHECK(doc, "Title", "\"Recon:EC2/Portscan\"");
    CHECK(doc, "Description", "\"Recon:EC2/Portscan\"");
    CHECK(doc, "Severity", "5.0");
    CHECK(doc, "Service.Action.NetworkConnectionAction",
          "{\"Blocked\":false,\"ConnectionDirection\":\"UNKNOWN\"}");
    free(doc);
}

static void test_gd_tables(void **state)
{
    (void)state;
    assert_string_equal(rp_det_gd_port_name(22), "SSH");
    assert_string_equal(rp_det_gd_port_name(3389), "RDP");
    assert_string_equal(rp_det_gd_port_name(443), "HTTPS");
    assert_string_equal(rp_det_gd_port_name(8443), "Unknown");
    assert_string_equal(rp_det_gd_port_name(-1), "Unknown");
    assert_string_equal(
        rp_det_gd_feature_name(RP_DET_SRC_CLOUDTRAIL, "Exfiltration:S3/MaliciousIPCaller"),
        "S3DataEvents");
    assert_string_equal(
        rp_det_gd_feature_name(RP_DET_SRC_CLOUDTRAIL, "Policy:S3/BucketBlockPublicAccessDisabled"),
        "CloudTrail");
    assert_string_equal(
        rp_det_gd_feature_name(RP_DET_SRC_CLOUDTRAIL, "Stealth:S3/ServerAccessLoggingDisabled"),
        "CloudTrail");
    assert_string_equal(rp_det_gd_feature_name(RP_DET_SRC_CLOUDTRAIL, "Recon:IAMUser/TorIPCaller"),
                        "CloudTrail");
    assert_string_equal(rp_det_gd_feature_name(RP_DET_SRC_FLOW, "Recon:EC2/Portscan"), "FlowLogs");
    assert_string_equal(rp_det_gd_feature_name(RP_DET_SRC_DNS, "Trojan:EC2/DGADomainRequest.B"),
                        "DnsLogs");
    assert_string_equal(
        rp_det_gd_feature_name(RP_DET_SRC_K8S, "Policy:Kubernetes/ExposedDashboard"),
        "EksAuditLogs");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gd_instance_network_connection),
        cmocka_unit_test(test_gd_instance_port_probe),
        cmocka_unit_test(test_gd_instance_dns),
        cmocka_unit_test(test_gd_access_key_api_call),
        cmocka_unit_test(test_gd_s3_bucket),
        cmocka_unit_test(test_gd_eks_kubernetes_api_call),
        cmocka_unit_test(test_gd_errors),
        cmocka_unit_test(test_gd_tables),
    };
    return cmocka_run_group_tests_name("detect_gd", tests, NULL, NULL);
}
