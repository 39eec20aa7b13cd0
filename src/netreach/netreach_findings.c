/* SPDX-License-Identifier: Apache-2.0 */
/* rp_netreach_findings_import: every exposure of rp_netreach_compute as one Inspector
 * NETWORK_REACHABILITY finding in ASFF (the shape the hub's "inspector" export turns into
 * Inspector v2 JSON), imported through a hub importer. The Id is deterministic (producer
 * "inspector", the type, the resource id and the evidence key "<ORIGIN>|<origin id>|<TCP|UDP>|
 * <begin>-<end>"), so re-running updates the findings instead of duplicating them. Severity
 * rule (docs/reach.md): MEDIUM when a recognised service port other than HTTP/HTTPS is
 * reachable from the internet, LOW otherwise. */
#define RP_LOG_MODULE "netreach"

#include <stdio.h>
#include <string.h>

#include "netreach/netreach_internal.h"
#include "core/rp_buf.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "core/rp_banned.h"

/* Inspector Classic's recognised service ports (aws-facts §10.2) without HTTP and HTTPS. */
static const uint16_t risky_tcp[] = {
    21,   22,   23,   42,   67,   68,   88,   111,  135,  137,  139,   389,   445,   464,
    515,  530,  543,  544,  546,  547,  601,  636,  749,  751,  1110,  1433,  1512,  1521,
    1630, 2049, 3268, 3269, 3306, 3389, 4045, 5432, 9200, 9300, 27017, 27018, 27019, 28017};
static const uint16_t risky_udp[] = {23,   42,   67,   68,   88,   111,  137, 138, 445,
                                     464,  514,  530,  546,  547,  749,  750, 751, 752,
                                     1110, 1434, 1512, 2049, 4045, 3389, 21,  22};

static bool risky(int proto, uint16_t lo, uint16_t hi)
{
    const uint16_t *v = proto == 6 ? risky_tcp : risky_udp;
    size_t n = proto == 6 ? RP_ARRAY_LEN(risky_tcp) : RP_ARRAY_LEN(risky_udp);
    for (size_t i = 0; i < n; i++)
        if (v[i] >= lo && v[i] <= hi) return true;
    return false;
}

static const char *origin_name(enum rp_netreach_origin o)
{
    switch (o) {
    case RP_NETREACH_INTERNET:
        return "INTERNET";
    case RP_NETREACH_VPN:
        return "VPN";
    case RP_NETREACH_PEERED_VPC:
        return "PEERED_VPC";
    default:
        return "TRANSIT_GATEWAY";
    }
}

static const char *origin_title(const struct rp_netreach_exposure *x)
{
    switch (x->origin) {
    case RP_NETREACH_INTERNET:
        return "an Internet Gateway";
    case RP_NETREACH_PEERED_VPC:
        return "a VPC Peering Connection";
    case RP_NETREACH_TGW:
        return "a Transit Gateway";
    default:
        /* the VPN enters through the virtual private gateway or a transit gateway */
        for (size_t i = 0; i < x->nsteps; i++)
            if (!strcmp(x->steps[i].component_type, "AWS::EC2::TransitGateway"))
                return "a Transit Gateway";
        return "a Virtual Private Gateway";
    }
}

struct fctx {
    struct rp_hub_importer *im;
    struct rp_json_parser *jp;
    struct rp_buf out;
    int64_t now;
    size_t n;
};

static rp_err one(const struct rp_netreach_exposure *x, void *arg, struct rp_errbuf *eb)
{
    struct fctx *f = arg;
    const char *proto = x->protocol == 6 ? "TCP" : "UDP";
    char evidence[512], id[RP_HUB_ID_MAX], rarn[600], title[160], begin[8], end[8];
    snprintf(evidence, sizeof evidence, "%s|%s|%s|%u-%u", origin_name(x->origin), x->origin_id,
             proto, (unsigned)x->port_begin, (unsigned)x->port_end);
    if (rp_hub_finding_id("inspector", "NETWORK_REACHABILITY", x->resource_id, evidence, id))
        return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    const char *rtype = "Other", *itype = "OTHER";
    const char *arn = NULL;
    for (size_t i = 0; i < x->nsteps; i++)
        if (!strcmp(x->steps[i].component_id, x->resource_id)) arn = x->steps[i].component_arn;
    if (!strcmp(x->resource_type, "AWS::EC2::Instance")) {
        rtype = "AwsEc2Instance";
        itype = "AWS_EC2_INSTANCE";
        if (!arn)
            snprintf(rarn, sizeof rarn, "arn:aws:ec2:%s:%s:instance/%s", x->region, x->account,
                     x->resource_id);
    } else if (!strcmp(x->resource_type, "AWS::EC2::NetworkInterface")) {
        rtype = "AwsEc2NetworkInterface";
        if (!arn)
            snprintf(rarn, sizeof rarn, "arn:aws:ec2:%s:%s:network-interface/%s", x->region,
                     x->account, x->resource_id);
    } else if (!strcmp(x->resource_type, "AWS::ElasticLoadBalancingV2::LoadBalancer")) {
        rtype = "AwsElbv2LoadBalancer";
    } else if (!strcmp(x->resource_type, "AWS::RDS::DBInstance")) {
        rtype = "AwsRdsDbInstance";
    }
    if (arn)
        snprintf(rarn, sizeof rarn, "%s", arn);
    else if (strcmp(rtype, "AwsEc2Instance") && strcmp(rtype, "AwsEc2NetworkInterface"))
        snprintf(rarn, sizeof rarn, "%s", x->resource_id);
    snprintf(title, sizeof title, "Port range %u - %u is reachable from %s",
             (unsigned)x->port_begin, (unsigned)x->port_end, origin_title(x));
    snprintf(begin, sizeof begin, "%u", (unsigned)x->port_begin);
    snprintf(end, sizeof end, "%u", (unsigned)x->port_end);
    bool medium =
        x->origin == RP_NETREACH_INTERNET && risky(x->protocol, x->port_begin, x->port_end);
    const char *label = medium ? "MEDIUM" : "LOW";
    static const char *const from_text[] = {"the internet", "a peered VPC", "a transit gateway",
                                            "an on-premises network over a Site-to-Site VPN"};
    int oi = x->origin == RP_NETREACH_INTERNET     ? 0
             : x->origin == RP_NETREACH_PEERED_VPC ? 1
             : x->origin == RP_NETREACH_TGW        ? 2
                                                   : 3;
    char desc[700];
    snprintf(desc, sizeof desc, "On %s, %s port range %u - %u is reachable from %s through %s.",
             x->resource_id, proto, (unsigned)x->port_begin, (unsigned)x->port_end, from_text[oi],
             x->origin_id);

    rp_buf_reset(&f->out);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &f->out);
    rp_json_write_obj_begin(&w);
    struct rp_hub_head head = {
        .id = id,
        .producer = "inspector",
        .product_name = "Inspector",
        .generator_id = "AWSInspector",
        .type = "Software and Configuration Checks/AWS Security Best Practices/Network "
                "Reachability",
        .account = x->account,
        .region = x->region,
        .now_ms = f->now,
        .severity = label};
    rp_err he = rp_hub_head_write(&w, &head, eb);
    if (he) return he;
    rp_json_write_kv_cstr(&w, "Title", title);
    rp_json_write_kv_cstr(&w, "Description", desc);
    rp_json_write_key(&w, "Remediation", 11);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Recommendation", 14);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Text",
                          "Restrict the security group and network ACL rules on this path to the "
                          "sources that need these ports, or remove the route or public address");
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "ProductFields", 13);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "aws/inspector/ProductVersion", "2");
    rp_json_write_kv_cstr(&w, "aws/inspector/FindingStatus", "ACTIVE");
    rp_json_write_kv_cstr(&w, "aws/inspector/type", "NETWORK_REACHABILITY");
    rp_json_write_kv_cstr(&w, "aws/inspector/resourceId", x->resource_id);
    rp_json_write_kv_cstr(&w, "aws/inspector/resourceType", itype);
    rp_json_write_kv_cstr(&w, "aws/inspector/networkReachabilityDetails/protocol", proto);
    rp_json_write_kv_cstr(&w, "aws/inspector/networkReachabilityDetails/openPortRange/begin",
                          begin);
    rp_json_write_kv_cstr(&w, "aws/inspector/networkReachabilityDetails/openPortRange/end", end);
    rp_json_write_kv_cstr(&w, "aws/inspector/origin", origin_name(x->origin));
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "Resources", 9);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Type", rtype);
    rp_json_write_kv_cstr(&w, "Id", rarn);
    rp_json_write_kv_cstr(&w, "Partition", "aws");
    rp_json_write_kv_cstr(&w, "Region", x->region);
    if (!strcmp(rtype, "AwsEc2Instance")) {
        const char *subnet = NULL;
        for (size_t i = 0; i < x->nsteps; i++)
            if (!strcmp(x->steps[i].component_type, "AWS::EC2::Subnet"))
                subnet = x->steps[i].component_id; /* the last one is the instance's */
        rp_json_write_key(&w, "Details", 7);
        rp_json_write_obj_begin(&w);
        rp_json_write_key(&w, "AwsEc2Instance", 14);
        rp_json_write_obj_begin(&w);
        if (x->vpc_id) rp_json_write_kv_cstr(&w, "VpcId", x->vpc_id);
        if (subnet) rp_json_write_kv_cstr(&w, "SubnetId", subnet);
        rp_json_write_obj_end(&w);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "NetworkPath", 11);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < x->nsteps; i++) {
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "ComponentId", x->steps[i].component_id);
        rp_json_write_kv_cstr(&w, "ComponentType", x->steps[i].component_type);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    rp_json_write_key(&w, "Workflow", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", "NEW");
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e) return rp_fail(eb, e, "netreach: cannot write a finding: %s", rp_strerror(e));
    struct rp_json_val doc;
    e = rp_json_parse_buf(f->jp, &f->out, &doc, eb);
    if (e) return e;
    e = rp_hub_import_finding(f->im, doc, "netreach", f->n, NULL, eb);
    if (e) return e;
    f->n++;
    return RP_OK;
}

rp_err rp_netreach_findings_import(const struct rp_netreach_model *m, struct rp_hub_importer *im,
                                   int64_t now_ms, size_t *n, struct rp_errbuf *eb)
{
    if (n) *n = 0;
    struct fctx f = {.im = im, .now = now_ms ? now_ms : rp_time_now_ms()};
    f.jp = rp_json_parser_new();
    if (!f.jp) return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    rp_buf_init(&f.out, 0);
    rp_err e = rp_netreach_compute(m, RP_NETREACH_ORIGINS_ALL, one, &f, eb);
    rp_buf_release(&f.out);
    rp_json_parser_free(f.jp);
    if (n) *n = f.n;
    return e;
}
