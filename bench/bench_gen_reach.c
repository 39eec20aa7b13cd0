/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen_reach: writes an AWS Config estate for the reachability benchmark (bench/reach.sh):
 * NVPC VPCs holding NINST instances in all, as ConfigSnapshot files (one per 20 VPCs) under
 * OUTDIR. Each VPC has four subnets (two public with an explicit route table to its internet
 * gateway, on three VPCs in four; two private on the main table through a NAT gateway), the
 * default network ACL and an ordered custom one on the public subnets, six security groups
 * (world-open web, SSH open or restricted, app admitting the web group, database admitting the
 * app group, mixed port ranges, VPN-only), an application load balancer with a listener and a
 * target group, a database, and every instance with its network interface. Every fifth VPC
 * has a virtual private gateway and a VPN connection (static or BGP, propagation on or off),
 * every tenth is peered with the next. Deterministic: the same arguments give the same bytes.
 *
 *     bench_gen_reach OUTDIR [NINST [NVPC]]      defaults 10000 and 200 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/rp_banned.h"

#define ACCT "123456789012"
#define REG  "us-east-1"

static FILE *out;
static int nci;

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Start a CI: the common fields, then the caller writes the configuration object. */
static void ci(const char *type, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ci(const char *type, const char *id, const char *fmt, ...)
{
    fprintf(out,
            "%s{\"configurationItemVersion\":\"1.3\",\"configurationItemCaptureTime\":"
            "\"2026-01-05T10:00:00.000Z\",\"configurationStateId\":%d,\"awsAccountId\":\"" ACCT
            "\",\"configurationItemStatus\":\"OK\",\"resourceType\":\"%s\",\"resourceId\":\"%s\","
            "\"awsRegion\":\"" REG "\",\"availabilityZone\":\"us-east-1a\",\"tags\":{},"
            "\"relationships\":[],\"supplementaryConfiguration\":{},\"configuration\":",
            nci ? ",\n" : "", 1000 + nci, type, id);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputs("}", out);
    nci++;
}

static void open_file(const char *dir, int k)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/snapshot-%03d.json", dir, k);
    out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "bench_gen_reach: cannot write '%s': %s\n", path, strerror(errno));
        exit(1);
    }
    fputs("{\"fileVersion\":\"1.0\",\"configSnapshotId\":\"bench\",\"configurationItems\":[\n",
          out);
    nci = 0;
}

static void close_file(void)
{
    fputs("\n]}\n", out);
    if (fclose(out) != 0) {
        fprintf(stderr, "bench_gen_reach: write error\n");
        exit(1);
    }
}

#define PERM(proto, from, to, cidr)                                                                \
    "{\"ipProtocol\":\"" proto "\",\"fromPort\":" #from ",\"toPort\":" #to                         \
    ",\"ipRanges\":[\"" cidr "\"],\"ipv4Ranges\":[{\"cidrIp\":\"" cidr "\"}],\"ipv6Ranges\":[],"   \
    "\"prefixListIds\":[],\"userIdGroupPairs\":[]}"

static void sg(int v, const char *name, const char *perms)
{
    char id[40];
    snprintf(id, sizeof id, "sg-%s%05d", name, v);
    ci("AWS::EC2::SecurityGroup", id,
       "{\"groupId\":\"%s\",\"groupName\":\"%s\",\"vpcId\":\"vpc-%05d\",\"ownerId\":\"" ACCT
       "\",\"ipPermissions\":[%s],\"ipPermissionsEgress\":[{\"ipProtocol\":\"-1\",\"ipRanges\":"
       "[\"0.0.0.0/0\"]}]}",
       id, name, v, perms);
}

static void ref_perm(char *buf, size_t n, int from, int to, const char *group, int v,
                     const char *extra)
{
    snprintf(buf, n,
             "{\"ipProtocol\":\"tcp\",\"fromPort\":%d,\"toPort\":%d,\"ipRanges\":[%s],"
             "\"ipv4Ranges\":[],\"userIdGroupPairs\":[{\"groupId\":\"sg-%s%05d\",\"userId\":"
             "\"" ACCT "\"}]}",
             from, to, extra, group, v);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_gen_reach OUTDIR [NINST [NVPC]]\n");
        return 2;
    }
    const char *dir = argv[1];
    long ninst = argc > 2 ? strtol(argv[2], NULL, 10) : 10000;
    long nvpc = argc > 3 ? strtol(argv[3], NULL, 10) : 200;
    if (ninst < 1 || nvpc < 1 || nvpc > 9999) {
        fprintf(stderr, "bench_gen_reach: bad counts\n");
        return 2;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "bench_gen_reach: cannot create '%s': %s\n", dir, strerror(errno));
        return 1;
    }
    long inst = 0;
    char buf[2048], buf2[2048];
    for (long v = 0; v < nvpc; v++) {
        if (v % 20 == 0) {
            if (v) close_file();
            open_file(dir, (int)(v / 20));
        }
        int x = (int)(v % 200), y = (int)(v / 200);
        bool igw = v % 4 != 3, vpn = v % 5 == 0, peer = v % 10 == 0 && v + 1 < nvpc;
        int vv = (int)v;
        char vid[32];
        snprintf(vid, sizeof vid, "vpc-%05d", vv);
        ci("AWS::EC2::VPC", vid,
           "{\"vpcId\":\"%s\",\"cidrBlock\":\"10.%d.%d.0/22\",\"cidrBlockAssociationSet\":[{"
           "\"cidrBlock\":\"10.%d.%d.0/22\",\"cidrBlockState\":{\"state\":\"associated\"}}],"
           "\"isDefault\":false,\"state\":\"available\"}",
           vid, x, y * 4, x, y * 4);
        char gw[32];
        snprintf(gw, sizeof gw, "igw-%05d", vv);
        if (igw)
            ci("AWS::EC2::InternetGateway", gw,
               "{\"internetGatewayId\":\"%s\",\"attachments\":[{\"vpcId\":\"%s\",\"state\":"
               "\"available\"}]}",
               gw, vid);
        for (int s = 0; s < 4; s++) {
            char sid[32];
            snprintf(sid, sizeof sid, "subnet-%05d%d", vv, s);
            ci("AWS::EC2::Subnet", sid,
               "{\"subnetId\":\"%s\",\"vpcId\":\"%s\",\"cidrBlock\":\"10.%d.%d.0/24\","
               "\"mapPublicIpOnLaunch\":%s,\"state\":\"available\"}",
               sid, vid, x, y * 4 + s, s < 2 ? "true" : "false");
        }
        char rid[32];
        snprintf(rid, sizeof rid, "rtb-pub%05d", vv);
        snprintf(buf2, sizeof buf2,
                 "{\"destinationCidrBlock\":\"10.%d.%d.0/22\",\"gatewayId\":\"local\",\"origin\":"
                 "\"CreateRouteTable\",\"state\":\"active\"}",
                 x, y * 4);
        char peer_route[256] = "";
        if (peer || (v % 10 == 1))
            snprintf(peer_route, sizeof peer_route,
                     ",{\"destinationCidrBlock\":\"10.%d.%d.0/22\",\"vpcPeeringConnectionId\":"
                     "\"pcx-%05d\",\"state\":\"active\"}",
                     (int)((peer ? v + 1 : v - 1) % 200), (int)((peer ? v + 1 : v - 1) / 200) * 4,
                     (int)(peer ? v : v - 1));
        ci("AWS::EC2::RouteTable", rid,
           "{\"routeTableId\":\"%s\",\"vpcId\":\"%s\",\"associations\":[{\"main\":false,"
           "\"subnetId\":\"subnet-%05d0\"},{\"main\":false,\"subnetId\":\"subnet-%05d1\"}],"
           "\"propagatingVgws\":[],\"routes\":[%s%s%s]}",
           rid, vid, vv, vv, buf2,
           igw ? ",{\"destinationCidrBlock\":\"0.0.0.0/0\",\"gatewayId\":\"igw-" : "",
           igw ? (snprintf(buf, sizeof buf,
                           "%05d\",\"origin\":\"CreateRoute\",\"state\":"
                           "\"active\"}%s",
                           vv, peer_route),
                  buf)
               : peer_route);
        snprintf(rid, sizeof rid, "rtb-main%05d", vv);
        bool prop = vpn && v % 10 == 0;
        ci("AWS::EC2::RouteTable", rid,
           "{\"routeTableId\":\"%s\",\"vpcId\":\"%s\",\"associations\":[{\"main\":true}],"
           "\"propagatingVgws\":[%s],\"routes\":[%s,{\"destinationCidrBlock\":\"0.0.0.0/0\","
           "\"natGatewayId\":\"nat-%05d\",\"state\":\"active\"}%s]}",
           rid, vid,
           prop ? (snprintf(buf, sizeof buf, "{\"gatewayId\":\"vgw-%05d\"}", vv), buf) : "", buf2,
           vv,
           vpn && !prop ? (snprintf(peer_route, sizeof peer_route,
                                    ",{\"destinationCidrBlock\":\"172.16.%d.0/24\",\"gatewayId\":"
                                    "\"vgw-%05d\",\"origin\":\"CreateRoute\",\"state\":\"active\"}",
                                    vv % 256, vv),
                           peer_route)
                        : "");
        ci("AWS::EC2::NatGateway", (snprintf(buf, sizeof buf, "nat-%05d", vv), buf),
           "{\"natGatewayId\":\"nat-%05d\",\"vpcId\":\"%s\",\"subnetId\":\"subnet-%05d0\"}", vv,
           vid, vv);
        ci("AWS::EC2::NetworkAcl", (snprintf(buf, sizeof buf, "acl-def%05d", vv), buf),
           "{\"networkAclId\":\"acl-def%05d\",\"vpcId\":\"%s\",\"isDefault\":true,"
           "\"associations\":[{\"subnetId\":\"subnet-%05d2\"},{\"subnetId\":\"subnet-%05d3\"}],"
           "\"entries\":[{\"ruleNumber\":100,\"protocol\":\"-1\",\"ruleAction\":\"allow\","
           "\"egress\":false,\"cidrBlock\":\"0.0.0.0/0\"},{\"ruleNumber\":32767,\"protocol\":"
           "\"-1\",\"ruleAction\":\"deny\",\"egress\":false,\"cidrBlock\":\"0.0.0.0/0\"},{"
           "\"ruleNumber\":100,\"protocol\":\"-1\",\"ruleAction\":\"allow\",\"egress\":true,"
           "\"cidrBlock\":\"0.0.0.0/0\"},{\"ruleNumber\":32767,\"protocol\":\"-1\","
           "\"ruleAction\":\"deny\",\"egress\":true,\"cidrBlock\":\"0.0.0.0/0\"}]}",
           vv, vid, vv, vv);
        ci("AWS::EC2::NetworkAcl", (snprintf(buf, sizeof buf, "acl-pub%05d", vv), buf),
           "{\"networkAclId\":\"acl-pub%05d\",\"vpcId\":\"%s\",\"isDefault\":false,"
           "\"associations\":[{\"subnetId\":\"subnet-%05d0\"},{\"subnetId\":\"subnet-%05d1\"}],"
           "\"entries\":["
           "{\"ruleNumber\":90,\"protocol\":\"6\",\"ruleAction\":\"deny\",\"egress\":false,"
           "\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{\"from\":23,\"to\":23}},"
           "{\"ruleNumber\":95,\"protocol\":\"6\",\"ruleAction\":\"deny\",\"egress\":false,"
           "\"cidrBlock\":\"198.51.100.0/24\",\"portRange\":{\"from\":0,\"to\":65535}},"
           "{\"ruleNumber\":100,\"protocol\":\"6\",\"ruleAction\":\"allow\",\"egress\":false,"
           "\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{\"from\":0,\"to\":65535}},"
           "{\"ruleNumber\":110,\"protocol\":\"17\",\"ruleAction\":\"allow\",\"egress\":false,"
           "\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{\"from\":53,\"to\":600}},"
           "{\"ruleNumber\":32767,\"protocol\":\"-1\",\"ruleAction\":\"deny\",\"egress\":false,"
           "\"cidrBlock\":\"0.0.0.0/0\"},"
           "{\"ruleNumber\":100,\"protocol\":\"6\",\"ruleAction\":\"allow\",\"egress\":true,"
           "\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{\"from\":%d,\"to\":65535}},"
           "{\"ruleNumber\":110,\"protocol\":\"17\",\"ruleAction\":\"allow\",\"egress\":true,"
           "\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{\"from\":1024,\"to\":65535}},"
           "{\"ruleNumber\":32767,\"protocol\":\"-1\",\"ruleAction\":\"deny\",\"egress\":true,"
           "\"cidrBlock\":\"0.0.0.0/0\"}]}",
           vv, vid, vv, vv, v % 7 == 0 ? 32768 : 1024);
        /* security groups */
        sg(vv, "web", PERM("tcp", 80, 80, "0.0.0.0/0") "," PERM("tcp", 443, 443, "0.0.0.0/0"));
        sg(vv, "ssh",
           v % 3 == 0 ? PERM("tcp", 22, 22, "0.0.0.0/0") : PERM("tcp", 22, 22, "203.0.113.0/24"));
        ref_perm(buf, sizeof buf, 8080, 8080, "web", vv, "");
        sg(vv, "app", buf);
        ref_perm(buf, sizeof buf, 5432, 5432, "app", vv, "\"10.0.0.0/8\"");
        sg(vv, "db", buf);
        sg(vv, "mix",
           PERM("tcp", 1000, 2000, "0.0.0.0/0") "," PERM("tcp", 2001, 3000, "0.0.0.0/0") "," PERM(
               "udp", 500, 600, "0.0.0.0/0") "," PERM("tcp", 9000, 9100, "192.0.2.0/24"));
        sg(vv, "vpn", "{\"ipProtocol\":\"-1\",\"ipRanges\":[\"172.16.0.0/12\"]}");
        /* instances and their interfaces */
        long n = ninst / nvpc + (v < ninst % nvpc ? 1 : 0);
        static const char *const groups[] = {"web", "ssh", "app", "db", "mix", "vpn"};
        char lb_targets[4096] = "";
        size_t lbt = 0;
        for (long i = 0; i < n; i++, inst++) {
            int s = (int)rnd(4);
            bool pub = s < 2 && rnd(4) != 0;
            int ng = 1 + (int)rnd(3);
            char gl[512] = "";
            size_t gl_off = 0;
            int used = 0;
            for (int g = 0; g < ng; g++) {
                int k = (int)rnd(6);
                if (used & (1 << k)) continue;
                used |= 1 << k;
                gl_off += (size_t)snprintf(gl + gl_off, sizeof gl - gl_off,
                                           "%s{\"groupId\":\"sg-%s%05d\",\"groupName\":\"%s\"}",
                                           gl_off ? "," : "", groups[k], vv, groups[k]);
            }
            char iid[32], eid[32], pubip[64] = "", assoc[128] = "";
            snprintf(iid, sizeof iid, "i-%08lx", inst);
            snprintf(eid, sizeof eid, "eni-%08lx", inst);
            if (pub) {
                snprintf(pubip, sizeof pubip, "\"publicIpAddress\":\"54.%ld.%ld.%ld\",",
                         (inst >> 16) & 255, (inst >> 8) & 255, inst & 255);
                snprintf(
                    assoc, sizeof assoc,
                    "\"association\":{\"ipOwnerId\":\"amazon\",\"publicIp\":\"54.%ld.%ld.%ld\"},",
                    (inst >> 16) & 255, (inst >> 8) & 255, inst & 255);
            }
            ci("AWS::EC2::Instance", iid,
               "{\"instanceId\":\"%s\",\"imageId\":\"ami-0123456789abcdef0\",\"instanceType\":"
               "\"t3.micro\",\"launchTime\":\"2026-01-01T00:00:00.000Z\",\"state\":{\"code\":16,"
               "\"name\":\"running\"},\"subnetId\":\"subnet-%05d%d\",\"vpcId\":\"%s\","
               "\"privateIpAddress\":\"10.%d.%d.%ld\",%s\"securityGroups\":[%s],"
               "\"networkInterfaces\":[{\"networkInterfaceId\":\"%s\",\"subnetId\":\"subnet-%05d%"
               "d\","
               "\"vpcId\":\"%s\",%s\"attachment\":{\"deviceIndex\":0,\"status\":\"attached\"},"
               "\"groups\":[%s],\"privateIpAddresses\":[{%s\"primary\":true,"
               "\"privateIpAddress\":\"10.%d.%d.%ld\"}]}],\"tags\":[{\"key\":\"Name\",\"value\":"
               "\"bench-%ld\"}]}",
               iid, vv, s, vid, x, y * 4 + s, 4 + i % 250, pubip, gl, eid, vv, s, vid, assoc, gl,
               assoc, x, y * 4 + s, 4 + i % 250, inst);
            ci("AWS::EC2::NetworkInterface", eid,
               "{\"networkInterfaceId\":\"%s\",\"subnetId\":\"subnet-%05d%d\",\"vpcId\":\"%s\","
               "\"interfaceType\":\"interface\",\"requesterManaged\":false,%s\"attachment\":{"
               "\"instanceId\":\"%s\",\"deviceIndex\":0},\"groups\":[%s]}",
               eid, vv, s, vid, assoc, iid, gl);
            if (i < 5)
                lbt += (size_t)snprintf(lb_targets + lbt, sizeof lb_targets - lbt,
                                        "%s{\"target\":{\"id\":\"%s\",\"port\":8080}}",
                                        lbt ? "," : "", iid);
        }
        /* load balancer, listener, target group */
        char lb[160], tg[160];
        snprintf(lb, sizeof lb,
                 "arn:aws:elasticloadbalancing:" REG ":" ACCT ":loadbalancer/app/web-%05d/%016x",
                 vv, (unsigned)vv * 2654435761u);
        snprintf(tg, sizeof tg,
                 "arn:aws:elasticloadbalancing:" REG ":" ACCT ":targetgroup/app-%05d/%016x", vv,
                 (unsigned)vv * 40503u);
        ci("AWS::ElasticLoadBalancingV2::LoadBalancer", lb,
           "{\"loadBalancerArn\":\"%s\",\"loadBalancerName\":\"web-%05d\",\"scheme\":\"%s\","
           "\"vpcId\":\"%s\",\"type\":\"application\",\"availabilityZones\":[{\"subnetId\":"
           "\"subnet-%05d0\"},{\"subnetId\":\"subnet-%05d1\"}],\"securityGroups\":[\"sg-web%05d\"]"
           "}",
           lb, vv, igw ? "internet-facing" : "internal", vid, vv, vv, vv);
        snprintf(buf, sizeof buf, "%s/l443", lb);
        ci("AWS::ElasticLoadBalancingV2::Listener", buf,
           "{\"listenerArn\":\"%s\",\"loadBalancerArn\":\"%s\",\"port\":443,\"protocol\":"
           "\"HTTPS\",\"defaultActions\":[{\"type\":\"forward\",\"targetGroupArn\":\"%s\"}]}",
           buf, lb, tg);
        ci("AWS::ElasticLoadBalancingV2::TargetGroup", tg,
           "{\"targetGroupArn\":\"%s\",\"port\":8080,\"protocol\":\"HTTP\",\"targetType\":"
           "\"instance\",\"targetHealthDescriptions\":[%s]}",
           tg, lb_targets);
        snprintf(buf, sizeof buf, "db-%05d", vv);
        ci("AWS::RDS::DBInstance", buf,
           "{\"dBInstanceIdentifier\":\"orders-%05d\",\"publiclyAccessible\":%s,\"endpoint\":{"
           "\"port\":5432},\"dBSubnetGroup\":{\"vpcId\":\"%s\",\"subnets\":[{"
           "\"subnetIdentifier\":\"subnet-%05d%d\"}]},\"vpcSecurityGroups\":[{"
           "\"vpcSecurityGroupId\":\"sg-db%05d\",\"status\":\"active\"}]}",
           vv, v % 8 == 0 ? "true" : "false", vid, vv, v % 8 == 0 ? 0 : 2, vv);
        if (vpn) {
            snprintf(buf, sizeof buf, "vgw-%05d", vv);
            ci("AWS::EC2::VPNGateway", buf,
               "{\"vpnGatewayId\":\"%s\",\"vpcAttachments\":[{\"vpcId\":\"%s\",\"state\":"
               "\"attached\"}]}",
               buf, vid);
            snprintf(buf, sizeof buf, "cgw-%05d", vv);
            ci("AWS::EC2::CustomerGateway", buf,
               "{\"customerGatewayId\":\"%s\",\"ipAddress\":\"198.51.100.%d\",\"bgpAsn\":"
               "\"65000\"}",
               buf, vv % 250);
            snprintf(buf, sizeof buf, "vpn-%05d", vv);
            bool stat = v % 15 != 0;
            ci("AWS::EC2::VPNConnection", buf,
               "{\"vpnConnectionId\":\"%s\",\"customerGatewayId\":\"cgw-%05d\",\"vpnGatewayId\":"
               "\"vgw-%05d\",\"state\":\"available\",\"options\":{\"staticRoutesOnly\":%s},"
               "\"routes\":[%s]}",
               buf, vv, vv, stat ? "true" : "false",
               stat ? (snprintf(buf2, sizeof buf2,
                                "{\"destinationCidrBlock\":\"172.16.%d.0/24\",\"source\":"
                                "\"Static\",\"state\":\"available\"}",
                                vv % 256),
                       buf2)
                    : "");
        }
        if (peer) {
            snprintf(buf, sizeof buf, "pcx-%05d", vv);
            ci("AWS::EC2::VPCPeeringConnection", buf,
               "{\"vpcPeeringConnectionId\":\"%s\",\"status\":{\"code\":\"active\"},"
               "\"requesterVpcInfo\":{\"vpcId\":\"%s\",\"cidrBlock\":\"10.%d.%d.0/22\"},"
               "\"accepterVpcInfo\":{\"vpcId\":\"vpc-%05d\",\"cidrBlock\":\"10.%d.%d.0/22\"}}",
               buf, vid, x, y * 4, vv + 1, (int)((v + 1) % 200), (int)((v + 1) / 200) * 4);
        }
    }
    close_file();
    printf("bench_gen_reach: %ld instances in %ld VPCs under %s\n", inst, nvpc, dir);
    return 0;
}
