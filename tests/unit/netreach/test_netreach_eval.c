/* SPDX-License-Identifier: Apache-2.0 */
/* Reachability from the internet (src/netreach/netreach_eval.c, netreach_ports.c): the base
 * estate of tests/fixtures/netreach/base.json is reachable with the exact path; each test then
 * replaces one configuration item so that exactly one component blocks, and checks the
 * exposures left and the component explain names. Also: network ACL rule order, longest
 * prefix routes, port-range merging, referenced security groups, a load balancer in front of a
 * private instance and a publicly accessible database. */
#include "unit/netreach/netreach_test.h"

#define RTB_PUB(routes)                                                                            \
    CI("AWS::EC2::RouteTable", "rtb-pub",                                                          \
       "{\"vpcId\":\"vpc-1\",\"associations\":[{\"main\":false,\"subnetId\":\"subnet-pub\"}],"     \
       "\"routes\":[{\"destinationCidrBlock\":\"10.0.0.0/16\",\"gatewayId\":\"local\"}" routes     \
       "]}")

#define ACL_PUB(entries)                                                                           \
    CI("AWS::EC2::NetworkAcl", "acl-pub",                                                          \
       "{\"vpcId\":\"vpc-1\",\"isDefault\":false,\"associations\":[{\"subnetId\":\"subnet-pub\"}]" \
       ","                                                                                         \
       "\"entries\":[" entries "]}")

#define ALLOW_OUT                                                                                  \
    "{\"ruleNumber\":100,\"protocol\":\"-1\",\"ruleAction\":\"allow\",\"egress\":true,"            \
    "\"cidrBlock\":\"0.0.0.0/0\"}"
#define ALLOW_IN                                                                                   \
    "{\"ruleNumber\":100,\"protocol\":\"-1\",\"ruleAction\":\"allow\",\"egress\":false,"           \
    "\"cidrBlock\":\"0.0.0.0/0\"}"
#define DENY_ALL                                                                                   \
    "{\"ruleNumber\":32767,\"protocol\":\"-1\",\"ruleAction\":\"deny\",\"egress\":false,"          \
    "\"cidrBlock\":\"0.0.0.0/0\"},{\"ruleNumber\":32767,\"protocol\":\"-1\",\"ruleAction\":"       \
    "\"deny\",\"egress\":true,\"cidrBlock\":\"0.0.0.0/0\"}"

#define PATH1 "igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1"

static void check(const struct rp_netreach_model *m, const char *want)
{
    char *got = nt_compute(m, RP_NETREACH_ORIGINS_ALL);
    assert_string_equal(got, want);
    free(got);
}

static void test_eval_reachable_path(void **state)
{
    (void)state;
    struct rp_netreach_model *m = nt_model(true, NULL);
    check(m, "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
             "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22), "reachable: " PATH1);
    assert_string_equal(nt_explain(m, "203.0.113.0/24", "i-1", 6, 443), "reachable: " PATH1);
    struct rp_netreach_stats s;
    rp_netreach_model_stats(m, &s);
    assert_int_equal(s.vpcs, 1);
    assert_int_equal(s.subnets, 2);
    assert_int_equal(s.route_tables, 2);
    assert_int_equal(s.network_acls, 2);
    assert_int_equal(s.security_groups, 1);
    assert_int_equal(s.instances, 1);
    assert_int_equal(s.interfaces, 1);
    assert_int_equal(s.gateways, 1);
    rp_netreach_model_free(m);
}

static void test_eval_no_route(void **state)
{
    (void)state;
    const char *x[] = {RTB_PUB(""), NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: rtb-pub AWS::EC2::RouteTable: no route to 0.0.0.0/0 in rtb-pub");
    rp_netreach_model_free(m);
    /* a default route through the NAT gateway: NAT is never an inbound path */
    const char *y[] = {
        RTB_PUB(",{\"destinationCidrBlock\":\"0.0.0.0/0\",\"natGatewayId\":\"nat-1\"}"), NULL};
    m = nt_model(true, y);
    check(m, "");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: rtb-pub AWS::EC2::RouteTable: route table rtb-pub sends "
                        "0.0.0.0/0 to nat-1, not to igw-1");
    rp_netreach_model_free(m);
}

static void test_eval_no_public_ip(void **state)
{
    (void)state;
    const char *x[] = {
        CI("AWS::EC2::Instance", "i-1",
           "{\"instanceId\":\"i-1\",\"subnetId\":\"subnet-pub\",\"vpcId\":\"vpc-1\",\"state\":{"
           "\"name\":\"running\"},\"networkInterfaces\":[{\"networkInterfaceId\":\"eni-1\","
           "\"subnetId\":\"subnet-pub\",\"groups\":[{\"groupId\":\"sg-web\"}]}]}"),
        CI("AWS::EC2::NetworkInterface", "eni-1",
           "{\"networkInterfaceId\":\"eni-1\",\"subnetId\":\"subnet-pub\",\"vpcId\":\"vpc-1\","
           "\"groups\":[{\"groupId\":\"sg-web\"}],\"attachment\":{\"instanceId\":\"i-1\"}}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: eni-1 AWS::EC2::NetworkInterface: eni-1 has no public IPv4 "
                        "address");
    rp_netreach_model_free(m);
}

static void test_eval_security_group(void **state)
{
    (void)state;
    const char *x[] = {CI("AWS::EC2::SecurityGroup", "sg-web",
                          "{\"groupId\":\"sg-web\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{"
                          "\"ipProtocol\":\"tcp\",\"fromPort\":80,\"toPort\":80,\"ipRanges\":["
                          "\"0.0.0.0/0\"]}]}"),
                       NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "i-1 INTERNET igw-1 tcp 80-80 " PATH1 "\n");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: sg-web AWS::EC2::SecurityGroup: no inbound rule of sg-web "
                        "allows tcp/22 from 0.0.0.0/0");
    rp_netreach_model_free(m);
}

static void test_eval_nacl_inbound_rule_order(void **state)
{
    (void)state;
    /* deny 22 at 90, before the allow at 100: 22 is closed */
    const char *x[] = {ACL_PUB("{\"ruleNumber\":90,\"protocol\":\"6\",\"ruleAction\":\"deny\","
                               "\"egress\":false,\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{"
                               "\"from\":22,\"to\":22}}," ALLOW_IN "," ALLOW_OUT "," DENY_ALL),
                       NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
             "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: acl-pub AWS::EC2::NetworkAcl: network ACL acl-pub rule 90 "
                        "denies inbound tcp/22");
    rp_netreach_model_free(m);
    /* the same deny at 200, after the allow: the allow decides, 22 is open */
    const char *y[] = {ACL_PUB(ALLOW_IN ",{\"ruleNumber\":200,\"protocol\":\"6\",\"ruleAction\":"
                                        "\"deny\",\"egress\":false,\"cidrBlock\":\"0.0.0.0/0\","
                                        "\"portRange\":{\"from\":22,\"to\":22}}," ALLOW_OUT
                                        "," DENY_ALL),
                       NULL};
    m = nt_model(true, y);
    check(m, "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
             "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n");
    rp_netreach_model_free(m);
    /* nothing but the default rule: '*' denies */
    const char *z[] = {ACL_PUB(ALLOW_OUT "," DENY_ALL), NULL};
    m = nt_model(true, z);
    check(m, "");
    assert_string_equal(nt_explain(m, "internet", "i-1", 17, 53),
                        "blocked: acl-pub AWS::EC2::NetworkAcl: network ACL acl-pub rule * "
                        "denies inbound udp/53");
    rp_netreach_model_free(m);
}

static void test_eval_nacl_outbound_ephemeral(void **state)
{
    (void)state;
    /* outbound only to port 443: the responses to the clients' ephemeral ports are dropped */
    const char *x[] = {ACL_PUB(ALLOW_IN ",{\"ruleNumber\":100,\"protocol\":\"6\",\"ruleAction\":"
                                        "\"allow\",\"egress\":true,\"cidrBlock\":\"0.0.0.0/0\","
                                        "\"portRange\":{\"from\":443,\"to\":443}}," DENY_ALL),
                       NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: acl-pub AWS::EC2::NetworkAcl: no outbound rule of acl-pub "
                        "allows tcp 1024-65535 back to 0.0.0.0/0");
    rp_netreach_model_free(m);
    /* Linux's ephemeral range only is enough: some client can use it */
    const char *y[] = {ACL_PUB(ALLOW_IN ",{\"ruleNumber\":100,\"protocol\":\"6\",\"ruleAction\":"
                                        "\"allow\",\"egress\":true,\"cidrBlock\":\"0.0.0.0/0\","
                                        "\"portRange\":{\"from\":32768,\"to\":60999}}," DENY_ALL),
                       NULL};
    m = nt_model(true, y);
    check(m, "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n");
    rp_netreach_model_free(m);
}

static void test_eval_longest_prefix(void **state)
{
    (void)state;
    /* 0.0.0.0/1 goes to the NAT gateway, the rest of the internet back through the IGW */
    const char *x[] = {
        RTB_PUB(",{\"destinationCidrBlock\":\"0.0.0.0/0\",\"gatewayId\":\"igw-1\"},"
                "{\"destinationCidrBlock\":\"0.0.0.0/1\",\"natGatewayId\":\"nat-1\"}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    assert_string_equal(nt_explain(m, "8.8.8.0/24", "i-1", 6, 22),
                        "blocked: rtb-pub AWS::EC2::RouteTable: route table rtb-pub sends "
                        "0.0.0.0/1 to nat-1, not to igw-1");
    assert_string_equal(nt_explain(m, "198.51.100.7", "i-1", 6, 22), "reachable: " PATH1);
    /* some internet addresses still reach it */
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22), "reachable: " PATH1);
    rp_netreach_model_free(m);
}

static void test_eval_port_range_merging(void **state)
{
    (void)state;
    const char *x[] = {
        CI("AWS::EC2::SecurityGroup", "sg-web",
           "{\"groupId\":\"sg-web\",\"vpcId\":\"vpc-1\",\"ipPermissions\":["
           "{\"ipProtocol\":\"tcp\",\"fromPort\":1000,\"toPort\":2000,\"ipRanges\":[\"0.0.0.0/"
           "0\"]},"
           "{\"ipProtocol\":\"tcp\",\"fromPort\":2001,\"toPort\":3000,\"ipRanges\":[\"0.0.0.0/"
           "0\"]},"
           "{\"ipProtocol\":\"tcp\",\"fromPort\":2500,\"toPort\":4000,\"ipRanges\":[\"10.0.0.0/"
           "8\"]},"
           "{\"ipProtocol\":\"tcp\",\"fromPort\":5000,\"toPort\":5000,\"ipRanges\":[\"198.51.100.0/"
           "24\"]},"
           "{\"ipProtocol\":\"-1\",\"ipRanges\":[\"192.0.2.0/24\"]}]}"),
        /* inbound: everything but TCP 1500 */
        ACL_PUB("{\"ruleNumber\":50,\"protocol\":\"6\",\"ruleAction\":\"deny\",\"egress\":false,"
                "\"cidrBlock\":\"0.0.0.0/0\",\"portRange\":{\"from\":1500,\"to\":1500}}," ALLOW_IN
                "," ALLOW_OUT "," DENY_ALL),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    /* 10.0.0.0/8 is not the internet; 192.0.2.0/24 opens every port but 1500 */
    check(m, "i-1 INTERNET igw-1 tcp 0-1499 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 1501-65535 " PATH1 "\n"
             "i-1 INTERNET igw-1 udp 0-65535 " PATH1 "\n");
    assert_string_equal(nt_explain(m, "198.51.100.0/24", "i-1", 6, 5000), "reachable: " PATH1);
    assert_string_equal(nt_explain(m, "198.51.100.0/24", "i-1", 6, 4000),
                        "blocked: sg-web AWS::EC2::SecurityGroup: no inbound rule of sg-web "
                        "allows tcp/4000 from 198.51.100.0/24");
    rp_netreach_model_free(m);
    const char *y[] = {
        CI("AWS::EC2::SecurityGroup", "sg-web",
           "{\"groupId\":\"sg-web\",\"vpcId\":\"vpc-1\",\"ipPermissions\":["
           "{\"ipProtocol\":\"tcp\",\"fromPort\":1000,\"toPort\":2000,\"ipRanges\":[\"0.0.0.0/"
           "0\"]},"
           "{\"ipProtocol\":\"tcp\",\"fromPort\":2001,\"toPort\":3000,\"ipRanges\":[\"0.0.0.0/"
           "0\"]},"
           "{\"ipProtocol\":\"tcp\",\"fromPort\":2500,\"toPort\":4000,\"ipRanges\":[\"10.0.0.0/"
           "8\"]},"
           "{\"ipProtocol\":\"tcp\",\"fromPort\":5000,\"toPort\":5000,\"ipRanges\":[\"198.51.100.0/"
           "24\"]},"
           "{\"ipProtocol\":\"udp\",\"fromPort\":7,\"toPort\":7,\"ipRanges\":[\"0.0.0.0/0\"]}]}"),
        NULL};
    m = nt_model(true, y);
    check(m, "i-1 INTERNET igw-1 tcp 1000-3000 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 5000-5000 " PATH1 "\n");
    rp_netreach_model_free(m);
}

#define SG_APP                                                                                     \
    CI("AWS::EC2::SecurityGroup", "sg-app",                                                        \
       "{\"groupId\":\"sg-app\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","   \
       "\"fromPort\":8080,\"toPort\":8080,\"userIdGroupPairs\":[{\"groupId\":\"sg-lb\","           \
       "\"userId\":\"111122223333\"}]}]}")

static void test_eval_sg_reference(void **state)
{
    (void)state;
    /* i-3 is public but its group admits only members of sg-lb: nobody on the internet */
    const char *x[] = {SG_APP,
                       CI("AWS::EC2::Instance", "i-3",
                          "{\"instanceId\":\"i-3\",\"subnetId\":\"subnet-pub\",\"vpcId\":\"vpc-1\","
                          "\"publicIpAddress\":\"203.0.113.30\",\"securityGroups\":[{\"groupId\":"
                          "\"sg-app\"}]}"),
                       NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
             "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n");
    assert_string_equal(nt_explain(m, "internet", "i-3", 6, 8080),
                        "blocked: sg-app AWS::EC2::SecurityGroup: no inbound rule of sg-app "
                        "allows tcp/8080 from 0.0.0.0/0");
    rp_netreach_model_free(m);
}

#define LB_ARN "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1"
#define TG_ARN "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/app/2"

static void test_eval_lb_fronts_private_instance(void **state)
{
    (void)state;
    const char *x[] = {
        SG_APP,
        CI("AWS::EC2::SecurityGroup", "sg-lb",
           "{\"groupId\":\"sg-lb\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","
           "\"fromPort\":443,\"toPort\":443,\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]}]}"),
        CI("AWS::ElasticLoadBalancingV2::LoadBalancer", LB_ARN,
           "{\"loadBalancerArn\":\"" LB_ARN "\",\"loadBalancerName\":\"web\",\"scheme\":"
           "\"internet-facing\",\"vpcId\":\"vpc-1\",\"type\":\"application\","
           "\"availabilityZones\":[{\"zoneName\":\"us-east-1a\",\"subnetId\":\"subnet-pub\"}],"
           "\"securityGroups\":[\"sg-lb\"]}"),
        CI("AWS::ElasticLoadBalancingV2::Listener", LB_ARN "/l1",
           "{\"listenerArn\":\"" LB_ARN "/l1\",\"loadBalancerArn\":\"" LB_ARN "\",\"port\":443,"
           "\"protocol\":\"HTTPS\",\"defaultActions\":[{\"type\":\"forward\",\"targetGroupArn\":"
           "\"" TG_ARN "\"}]}"),
        CI("AWS::ElasticLoadBalancingV2::TargetGroup", TG_ARN,
           "{\"targetGroupArn\":\"" TG_ARN "\",\"port\":8080,\"protocol\":\"HTTP\","
           "\"targetType\":\"instance\",\"targetHealthDescriptions\":[{\"target\":{\"id\":\"i-4\","
           "\"port\":8080}}]}"),
        CI("AWS::EC2::Instance", "i-4",
           "{\"instanceId\":\"i-4\",\"subnetId\":\"subnet-priv\",\"vpcId\":\"vpc-1\","
           "\"networkInterfaces\":[{\"networkInterfaceId\":\"eni-4\",\"subnetId\":\"subnet-priv\","
           "\"groups\":[{\"groupId\":\"sg-app\"}]}]}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    char *got = nt_compute(m, RP_NETREACH_INTERNET);
    assert_string_equal(got, LB_ARN " INTERNET igw-1 tcp 443-443 igw-1>rtb-pub>acl-pub>subnet-pub>"
                                    "sg-lb>" LB_ARN "\n"
                                    "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
                                    "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
                                    "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n"
                                    "i-4 INTERNET igw-1 tcp 443-443 igw-1>rtb-pub>acl-pub>"
                                    "subnet-pub>sg-lb>" LB_ARN ">acl-def>sg-app>eni-4>i-4\n");
    free(got);
    assert_string_equal(nt_explain(m, "internet", "i-4", 6, 443),
                        "reachable: igw-1>rtb-pub>acl-pub>subnet-pub>sg-lb>" LB_ARN
                        ">acl-def>sg-app>eni-4>i-4");
    assert_string_equal(nt_explain(m, "internet", "i-4", 6, 8080),
                        "blocked: rtb-main AWS::EC2::RouteTable: route table rtb-main sends "
                        "0.0.0.0/0 to nat-1, not to igw-1");
    assert_string_equal(nt_explain(m, "internet", "web", 6, 80),
                        "blocked: sg-lb AWS::EC2::SecurityGroup: no inbound rule of sg-lb allows "
                        "tcp/80 from 0.0.0.0/0");
    rp_netreach_model_free(m);
}

#define DB(pub)                                                                                    \
    CI("AWS::RDS::DBInstance", "db-ABC",                                                           \
       "{\"dBInstanceIdentifier\":\"orders\",\"publiclyAccessible\":" pub ",\"endpoint\":{"        \
       "\"address\":\"orders.x.rds.amazonaws.com\",\"port\":5432},\"dBSubnetGroup\":{\"vpcId\":"   \
       "\"vpc-1\",\"subnets\":[{\"subnetIdentifier\":\"subnet-pub\"}]},\"vpcSecurityGroups\":[{"   \
       "\"vpcSecurityGroupId\":\"sg-rds\",\"status\":\"active\"}]}")
#define SG_RDS                                                                                     \
    CI("AWS::EC2::SecurityGroup", "sg-rds",                                                        \
       "{\"groupId\":\"sg-rds\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{\"ipProtocol\":\"-1\","    \
       "\"ipRanges\":[\"0.0.0.0/0\"]}]}")

static void test_eval_rds_publicly_accessible(void **state)
{
    (void)state;
    const char *x[] = {SG_RDS, DB("true"), NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    char *got = nt_compute(m, RP_NETREACH_INTERNET);
    assert_string_equal(got, "db-ABC INTERNET igw-1 tcp 5432-5432 "
                             "igw-1>rtb-pub>acl-pub>subnet-pub>sg-rds>db-ABC\n"
                             "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
                             "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
                             "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n");
    free(got);
    assert_string_equal(nt_explain(m, "internet", "orders", 6, 5432),
                        "reachable: igw-1>rtb-pub>acl-pub>subnet-pub>sg-rds>db-ABC");
    assert_string_equal(nt_explain(m, "internet", "orders", 6, 3306),
                        "blocked: db-ABC AWS::RDS::DBInstance: db-ABC listens on tcp/5432 only");
    rp_netreach_model_free(m);
    const char *y[] = {SG_RDS, DB("false"), NULL};
    m = nt_model(true, y);
    assert_string_equal(nt_explain(m, "internet", "db-ABC", 6, 5432),
                        "blocked: db-ABC AWS::RDS::DBInstance: db-ABC is not publicly accessible");
    rp_netreach_model_free(m);
}

static void test_eval_peering(void **state)
{
    (void)state;
    const char *x[] = {
        RTB_PUB(",{\"destinationCidrBlock\":\"0.0.0.0/0\",\"gatewayId\":\"igw-1\"},"
                "{\"destinationCidrBlock\":\"10.9.0.0/16\",\"vpcPeeringConnectionId\":\"pcx-1\"}"),
        CI("AWS::EC2::VPCPeeringConnection", "pcx-1",
           "{\"vpcPeeringConnectionId\":\"pcx-1\",\"status\":{\"code\":\"active\"},"
           "\"requesterVpcInfo\":{\"vpcId\":\"vpc-9\",\"cidrBlock\":\"10.9.0.0/16\"},"
           "\"accepterVpcInfo\":{\"vpcId\":\"vpc-1\",\"cidrBlock\":\"10.0.0.0/16\"}}"),
        CI("AWS::EC2::SecurityGroup", "sg-web",
           "{\"groupId\":\"sg-web\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","
           "\"fromPort\":22,\"toPort\":22,\"ipRanges\":[\"10.9.0.0/16\"]}]}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "i-1 PEERED_VPC pcx-1 tcp 22-22 pcx-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1\n");
    assert_string_equal(nt_explain(m, "pcx:pcx-1", "i-1", 6, 22),
                        "reachable: pcx-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1");
    assert_string_equal(nt_explain(m, "internet", "i-1", 6, 22),
                        "blocked: sg-web AWS::EC2::SecurityGroup: no inbound rule of sg-web "
                        "allows tcp/22 from 0.0.0.0/0");
    assert_string_equal(nt_explain(m, "pcx:pcx-7", "i-1", 6, 22),
                        "error 5: netreach: no peering connection 'pcx-7' in the configuration "
                        "items");
    assert_string_equal(nt_explain(m, "bogus", "i-1", 6, 22),
                        "error 2: netreach: 'bogus' is not internet, vpn:<cgw-id>, pcx:<id>, "
                        "tgw:<id> or an IPv4 CIDR");
    assert_string_equal(nt_explain(m, "internet", "i-404", 6, 22),
                        "error 5: netreach: no instance, interface, load balancer or database "
                        "'i-404' in the configuration items");
    rp_netreach_model_free(m);
}

static void test_eval_transit_gateway(void **state)
{
    (void)state;
    const char *x[] = {
        RTB_PUB(",{\"destinationCidrBlock\":\"0.0.0.0/0\",\"gatewayId\":\"igw-1\"},"
                "{\"destinationCidrBlock\":\"10.9.0.0/16\",\"transitGatewayId\":\"tgw-1\"},"
                "{\"destinationCidrBlock\":\"172.20.0.0/16\",\"transitGatewayId\":\"tgw-1\"}"),
        CI("AWS::EC2::VPC", "vpc-9", "{\"cidrBlock\":\"10.9.0.0/16\"}"),
        CI("AWS::EC2::TransitGatewayAttachment", "tgw-attach-1",
           "{\"transitGatewayId\":\"tgw-1\",\"resourceType\":\"vpc\",\"resourceId\":\"vpc-1\","
           "\"state\":\"available\"}"),
        CI("AWS::EC2::TransitGatewayAttachment", "tgw-attach-9",
           "{\"transitGatewayId\":\"tgw-1\",\"resourceType\":\"vpc\",\"resourceId\":\"vpc-9\","
           "\"state\":\"available\"}"),
        CI("AWS::EC2::CustomerGateway", "cgw-t", "{\"bgpAsn\":\"65010\"}"),
        CI("AWS::EC2::VPNConnection", "vpn-t",
           "{\"customerGatewayId\":\"cgw-t\",\"transitGatewayId\":\"tgw-1\",\"options\":{"
           "\"staticRoutesOnly\":true},\"routes\":[{\"destinationCidrBlock\":\"172.20.0.0/16\"}]}"),
        CI("AWS::EC2::SecurityGroup", "sg-web",
           "{\"groupId\":\"sg-web\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","
           "\"fromPort\":22,\"toPort\":22,\"ipRanges\":[\"10.9.0.0/16\",\"172.20.0.0/16\"]}]}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(
        m,
        "i-1 TGW tgw-1 tcp 22-22 tgw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1\n"
        "i-1 VPN cgw-t tcp 22-22 cgw-t>vpn-t>tgw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1\n");
    assert_string_equal(nt_explain(m, "tgw:tgw-1", "i-1", 6, 22),
                        "reachable: tgw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1");
    assert_string_equal(nt_explain(m, "10.9.0.0/24", "i-1", 6, 22),
                        "reachable: tgw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-1>i-1");
    rp_netreach_model_free(m);
}

static void test_eval_classic_elb(void **state)
{
    (void)state;
    const char *x[] = {
        SG_APP,
        CI("AWS::EC2::SecurityGroup", "sg-lb",
           "{\"groupId\":\"sg-lb\",\"vpcId\":\"vpc-1\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","
           "\"fromPort\":80,\"toPort\":80,\"ipRanges\":[\"0.0.0.0/0\"]}]}"),
        CI("AWS::ElasticLoadBalancing::LoadBalancer", "classic-web",
           "{\"loadBalancerName\":\"classic-web\",\"scheme\":\"internet-facing\",\"vpcid\":"
           "\"vpc-1\",\"subnets\":[\"subnet-pub\"],\"securityGroups\":[\"sg-lb\"],\"instances\":[{"
           "\"instanceId\":\"i-4\"}],\"listenerDescriptions\":[{\"listener\":{\"protocol\":"
           "\"HTTP\",\"loadBalancerPort\":80,\"instanceProtocol\":\"HTTP\",\"instancePort\":8080}}]"
           "}"),
        CI("AWS::EC2::Instance", "i-4",
           "{\"instanceId\":\"i-4\",\"subnetId\":\"subnet-priv\",\"vpcId\":\"vpc-1\","
           "\"securityGroups\":[{\"groupId\":\"sg-app\"}]}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    char *got = nt_compute(m, RP_NETREACH_INTERNET);
    assert_string_equal(got,
                        "classic-web INTERNET igw-1 tcp 80-80 igw-1>rtb-pub>acl-pub>subnet-pub>"
                        "sg-lb>classic-web\n"
                        "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
                        "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
                        "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n"
                        "i-4 INTERNET igw-1 tcp 80-80 igw-1>rtb-pub>acl-pub>subnet-pub>sg-lb>"
                        "classic-web>acl-def>sg-app>i-4\n");
    free(got);
    rp_netreach_model_free(m);
}

static void test_eval_standalone_interface(void **state)
{
    (void)state;
    /* a plain interface with an Elastic IP is a resource of its own; a NAT gateway's or a
     * load balancer's interface is not */
    const char *x[] = {
        CI("AWS::EC2::NetworkInterface", "eni-9",
           "{\"networkInterfaceId\":\"eni-9\",\"subnetId\":\"subnet-pub\",\"vpcId\":\"vpc-1\","
           "\"interfaceType\":\"interface\",\"groups\":[{\"groupId\":\"sg-web\"}],"
           "\"privateIpAddresses\":[{\"association\":{\"publicIp\":\"203.0.113.99\"}}]}"),
        CI("AWS::EC2::NetworkInterface", "eni-nat",
           "{\"subnetId\":\"subnet-pub\",\"interfaceType\":\"nat_gateway\",\"requesterManaged\":"
           "true,\"groups\":[{\"groupId\":\"sg-web\"}],\"association\":{\"publicIp\":\"203.0.113."
           "98\"}}"),
        CI("AWS::EC2::NetworkInterface", "eni-elb",
           "{\"subnetId\":\"subnet-pub\",\"description\":\"ELB app/web/1\",\"groups\":[{"
           "\"groupId\":\"sg-web\"}],\"association\":{\"publicIp\":\"203.0.113.97\"}}"),
        NULL};
    struct rp_netreach_model *m = nt_model(true, x);
    check(m, "eni-9 INTERNET igw-1 tcp 22-22 igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-9\n"
             "eni-9 INTERNET igw-1 tcp 443-443 igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-9\n"
             "eni-9 INTERNET igw-1 udp 53-53 igw-1>rtb-pub>acl-pub>subnet-pub>sg-web>eni-9\n"
             "i-1 INTERNET igw-1 tcp 22-22 " PATH1 "\n"
             "i-1 INTERNET igw-1 tcp 443-443 " PATH1 "\n"
             "i-1 INTERNET igw-1 udp 53-53 " PATH1 "\n");
    rp_netreach_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_reachable_path),
        cmocka_unit_test(test_eval_no_route),
        cmocka_unit_test(test_eval_no_public_ip),
        cmocka_unit_test(test_eval_security_group),
        cmocka_unit_test(test_eval_nacl_inbound_rule_order),
        cmocka_unit_test(test_eval_nacl_outbound_ephemeral),
        cmocka_unit_test(test_eval_longest_prefix),
        cmocka_unit_test(test_eval_port_range_merging),
        cmocka_unit_test(test_eval_sg_reference),
        cmocka_unit_test(test_eval_lb_fronts_private_instance),
        cmocka_unit_test(test_eval_rds_publicly_accessible),
        cmocka_unit_test(test_eval_peering),
        cmocka_unit_test(test_eval_transit_gateway),
        cmocka_unit_test(test_eval_classic_elb),
        cmocka_unit_test(test_eval_standalone_interface),
    };
    return cmocka_run_group_tests_name("netreach_eval", tests, NULL, NULL);
}
