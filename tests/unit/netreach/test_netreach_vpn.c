/* SPDX-License-Identifier: Apache-2.0 */
/* Site-to-Site VPN reachability (src/netreach/netreach_finish.c route propagation,
 * netreach_eval.c): an on-premises site behind customer gateway cgw-1 and VPN connection vpn-1
 * to virtual private gateway vgw-1 attached to vpc-2. The route table of the private subnet must
 * route the site back to vgw-1: propagation off and no static route blocks, propagation on or
 * a static route to the gateway reaches; BGP sites advertise their networks. VPN CloudHub:
 * two sites on the same gateway reach each other only when both use dynamic routing. */
#include "unit/netreach/netreach_test.h"

#define VPC2                                                                                       \
    CI("AWS::EC2::VPC", "vpc-2", "{\"vpcId\":\"vpc-2\",\"cidrBlock\":\"10.2.0.0/16\"}"),           \
        CI("AWS::EC2::VPNGateway", "vgw-1",                                                        \
           "{\"vpnGatewayId\":\"vgw-1\",\"vpcAttachments\":[{\"vpcId\":\"vpc-2\",\"state\":"       \
           "\"attached\"}]}"),                                                                     \
        CI("AWS::EC2::CustomerGateway", "cgw-1",                                                   \
           "{\"customerGatewayId\":\"cgw-1\",\"ipAddress\":\"198.51.100.1\",\"bgpAsn\":"           \
           "\"65000\"}"),                                                                          \
        CI("AWS::EC2::Subnet", "subnet-2",                                                         \
           "{\"subnetId\":\"subnet-2\",\"vpcId\":\"vpc-2\",\"cidrBlock\":\"10.2.1.0/24\"}"),       \
        CI("AWS::EC2::NetworkAcl", "acl-2",                                                        \
           "{\"vpcId\":\"vpc-2\",\"isDefault\":true,\"entries\":[{\"ruleNumber\":100,"             \
           "\"protocol\":\"-1\",\"ruleAction\":\"allow\",\"egress\":false,\"cidrBlock\":"          \
           "\"0.0.0.0/0\"},{\"ruleNumber\":100,\"protocol\":\"-1\",\"ruleAction\":\"allow\","      \
           "\"egress\":true,\"cidrBlock\":\"0.0.0.0/0\"}]}"),                                      \
        CI("AWS::EC2::SecurityGroup", "sg-db",                                                     \
           "{\"groupId\":\"sg-db\",\"vpcId\":\"vpc-2\",\"ipPermissions\":[{\"ipProtocol\":"        \
           "\"tcp\",\"fromPort\":5432,\"toPort\":5432,\"ipRanges\":[\"172.16.0.0/12\"]}]}"),       \
        CI("AWS::EC2::Instance", "i-2",                                                            \
           "{\"instanceId\":\"i-2\",\"subnetId\":\"subnet-2\",\"vpcId\":\"vpc-2\","                \
           "\"networkInterfaces\":[{\"networkInterfaceId\":\"eni-2\",\"subnetId\":\"subnet-2\","   \
           "\"groups\":[{\"groupId\":\"sg-db\"}]}]}")

#define RTB2(prop, routes)                                                                         \
    CI("AWS::EC2::RouteTable", "rtb-2",                                                            \
       "{\"vpcId\":\"vpc-2\",\"associations\":[{\"main\":true}],\"propagatingVgws\":[" prop "],"   \
       "\"routes\":[{\"destinationCidrBlock\":\"10.2.0.0/16\",\"gatewayId\":\"local\"}" routes     \
       "]}")
#define PROP_ON "{\"gatewayId\":\"vgw-1\"}"

#define VPN(id, cgw, static_only, routes)                                                          \
    CI("AWS::EC2::VPNConnection", id,                                                              \
       "{\"vpnConnectionId\":\"" id "\",\"customerGatewayId\":\"" cgw "\",\"vpnGatewayId\":"       \
       "\"vgw-1\",\"state\":\"available\",\"options\":{\"staticRoutesOnly\":" static_only "},"     \
       "\"routes\":[" routes "]}")
#define ROUTE_172                                                                                  \
    "{\"destinationCidrBlock\":\"172.16.0.0/16\",\"source\":\"Static\",\"state\":\"available\"}"

#define PATH2 "cgw-1>vpn-1>vgw-1>rtb-2>acl-2>subnet-2>sg-db>eni-2>i-2"

static void test_vpn_propagation_off(void **state)
{
    (void)state;
    const char *x[] = {VPC2, RTB2("", ""), VPN("vpn-1", "cgw-1", "true", ROUTE_172), NULL};
    struct rp_netreach_model *m = nt_model(false, x);
    char *got = nt_compute(m, RP_NETREACH_ORIGINS_ALL);
    assert_string_equal(got, "");
    free(got);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 5432),
                        "blocked: rtb-2 AWS::EC2::RouteTable: route table rtb-2 has no route to "
                        "the VPN: propagation from vgw-1 is disabled and no static route exists");
    rp_netreach_model_free(m);
}

static void test_vpn_propagation_on(void **state)
{
    (void)state;
    const char *x[] = {VPC2, RTB2(PROP_ON, ""), VPN("vpn-1", "cgw-1", "true", ROUTE_172), NULL};
    struct rp_netreach_model *m = nt_model(false, x);
    char *got = nt_compute(m, RP_NETREACH_ORIGINS_ALL);
    assert_string_equal(got, "i-2 VPN cgw-1 tcp 5432-5432 " PATH2 "\n");
    free(got);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 5432), "reachable: " PATH2);
    /* only the VPN: the internet has no way in */
    assert_string_equal(nt_explain(m, "internet", "i-2", 6, 5432),
                        "blocked: vpc-2 AWS::EC2::VPC: vpc-2 has no internet gateway attached");
    rp_netreach_model_free(m);
}

static void test_vpn_static_route_without_propagation(void **state)
{
    (void)state;
    const char *x[] = {VPC2,
                       RTB2("", ",{\"destinationCidrBlock\":\"172.16.0.0/16\",\"gatewayId\":"
                                "\"vgw-1\",\"origin\":\"CreateRoute\"}"),
                       VPN("vpn-1", "cgw-1", "true", ROUTE_172), NULL};
    struct rp_netreach_model *m = nt_model(false, x);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 5432), "reachable: " PATH2);
    rp_netreach_model_free(m);
}

static void test_vpn_stale_propagated_route(void **state)
{
    (void)state;
    /* a route marked as propagated while propagation is off is not used */
    const char *x[] = {VPC2,
                       RTB2("", ",{\"destinationCidrBlock\":\"172.16.0.0/16\",\"gatewayId\":"
                                "\"vgw-1\",\"origin\":\"EnableVgwRoutePropagation\"}"),
                       VPN("vpn-1", "cgw-1", "true", ROUTE_172), NULL};
    struct rp_netreach_model *m = nt_model(false, x);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 5432),
                        "blocked: rtb-2 AWS::EC2::RouteTable: route table rtb-2 has no route to "
                        "the VPN: propagation from vgw-1 is disabled and no static route exists");
    rp_netreach_model_free(m);
}

static void test_vpn_bgp_site(void **state)
{
    (void)state;
    /* BGP with no networks listed: the site may hold any address */
    const char *x[] = {VPC2, RTB2(PROP_ON, ""), VPN("vpn-1", "cgw-1", "false", ""), NULL};
    struct rp_netreach_model *m = nt_model(false, x);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 5432), "reachable: " PATH2);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 22),
                        "blocked: sg-db AWS::EC2::SecurityGroup: no inbound rule of sg-db allows "
                        "tcp/22 from 0.0.0.0/0");
    rp_netreach_model_free(m);
    /* static routing with no route listed propagates nothing */
    const char *y[] = {VPC2, RTB2(PROP_ON, ""), VPN("vpn-1", "cgw-1", "true", ""), NULL};
    m = nt_model(false, y);
    assert_string_equal(nt_explain(m, "vpn:cgw-1", "i-2", 6, 5432),
                        "blocked: rtb-2 AWS::EC2::RouteTable: no route to 0.0.0.0/0 in rtb-2");
    rp_netreach_model_free(m);
}

#define CGW(id)                                                                                    \
    CI("AWS::EC2::CustomerGateway", id, "{\"customerGatewayId\":\"" id "\",\"bgpAsn\":\"65001\"}")

static void test_vpn_cloudhub(void **state)
{
    (void)state;
    const char *x[] = {
        VPC2,
        RTB2(PROP_ON, ""),
        CGW("cgw-a"),
        CGW("cgw-b"),
        VPN("vpn-a", "cgw-a", "true", ROUTE_172),
        VPN("vpn-b", "cgw-b", "true", "{\"destinationCidrBlock\":\"172.17.0.0/16\"}"),
        NULL};
    struct rp_netreach_model *m = nt_model(false, x);
    assert_string_equal(nt_explain(m, "vpn:cgw-a", "vpn:cgw-b", 6, 22),
                        "blocked: vpn-a AWS::EC2::VPNConnection: VPN CloudHub needs dynamic "
                        "routing: vpn-a uses static routes");
    rp_netreach_model_free(m);
    const char *y[] = {VPC2,
                       RTB2(PROP_ON, ""),
                       CGW("cgw-a"),
                       CGW("cgw-b"),
                       VPN("vpn-a", "cgw-a", "false", ""),
                       VPN("vpn-b", "cgw-b", "true", ""),
                       NULL};
    m = nt_model(false, y);
    assert_string_equal(nt_explain(m, "vpn:cgw-a", "vpn:cgw-b", 6, 22),
                        "blocked: vpn-b AWS::EC2::VPNConnection: VPN CloudHub needs dynamic "
                        "routing: vpn-b uses static routes");
    rp_netreach_model_free(m);
    const char *z[] = {VPC2,
                       RTB2(PROP_ON, ""),
                       CGW("cgw-a"),
                       CGW("cgw-b"),
                       VPN("vpn-a", "cgw-a", "false", ""),
                       VPN("vpn-b", "cgw-b", "false", ""),
                       NULL};
    m = nt_model(false, z);
    assert_string_equal(nt_explain(m, "vpn:cgw-a", "vpn:cgw-b", 6, 22),
                        "reachable: cgw-a>vpn-a>vgw-1>vpn-b>cgw-b");
    assert_string_equal(nt_explain(m, "vpn:cgw-a", "vpn:cgw-1", 6, 22),
                        "blocked: cgw-1 AWS::EC2::CustomerGateway: cgw-a and cgw-1 have no VPN "
                        "connections to the same virtual private gateway");
    rp_netreach_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vpn_propagation_off),
        cmocka_unit_test(test_vpn_propagation_on),
        cmocka_unit_test(test_vpn_static_route_without_propagation),
        cmocka_unit_test(test_vpn_stale_propagated_route),
        cmocka_unit_test(test_vpn_bgp_site),
        cmocka_unit_test(test_vpn_cloudhub),
    };
    return cmocka_run_group_tests_name("netreach_vpn", tests, NULL, NULL);
}
