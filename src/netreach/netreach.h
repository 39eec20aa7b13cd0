/* SPDX-License-Identifier: Apache-2.0 */
/* rp_netreach: network reachability from configuration items (Inspector's
 * NETWORK_REACHABILITY, issue 9, DESIGN.md §9). A model of the estate's network is built from
 * AWS Config configuration items (VPCs, subnets, route tables with their propagating virtual
 * private gateways, internet / NAT / virtual private / customer / transit gateways, VPN
 * connections, peering connections, network ACLs, security groups, network interfaces,
 * instances, load balancers, databases); then, for every resource, the protocol and port ranges
 * that an origin (the internet, a peered VPC, a transit gateway, an on-premises site behind a
 * Site-to-Site VPN, or a CIDR) can reach, each with the ordered path of components it crosses,
 * outside in.
 *
 * Life cycle: _new, add every CI (_add_ci, or _load from a store), _finish once, then
 * _compute / _explain as often as wanted. A finished model is immutable: _compute and _explain
 * may run from several threads at once. */
#ifndef RP_NETREACH_H
#define RP_NETREACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "core/rp_json.h"

struct rp_store;
struct rp_hub_importer;
struct rp_netreach_model;

/* NULL-safe _new/_free. RP_ENOMEM. */
rp_err rp_netreach_model_new(struct rp_netreach_model **out) RP_WUR;
void rp_netreach_model_free(struct rp_netreach_model *m);

/* Add one configuration item: a JSON object as AWS Config delivers it (resourceType,
 * resourceId, awsAccountId, awsRegion, configuration, supplementaryConfiguration,
 * relationships; configuration may be a JSON string holding the object). Types the model
 * does not use are ignored (RP_OK); a deleted resource (configurationItemStatus
 * ResourceDeleted..) is ignored. RP_EPARSE with "<resourceType> <resourceId>: reason" in *eb
 * for a used type whose configuration cannot be read; nothing of it is kept and the caller
 * may go on. RP_EINVAL after _finish. */
rp_err rp_netreach_model_add_ci(struct rp_netreach_model *m, struct rp_json_val ci,
                                struct rp_errbuf *eb) RP_WUR;

/* Called for every CI of the store that _add_ci refused (message names type, id, reason). */
typedef void (*rp_netreach_warn_fn)(void *ctx, const char *msg);

/* Add the current state of every resource of st (config_resources, deleted ones skipped).
 * A CI that cannot be read goes to warn (may be NULL) and is counted in *bad (may be NULL);
 * the load goes on. Store errors and RP_ENOMEM stop it. */
rp_err rp_netreach_model_load(struct rp_netreach_model *m, struct rp_store *st,
                              rp_netreach_warn_fn warn, void *warn_ctx, size_t *bad,
                              struct rp_errbuf *eb) RP_WUR;

/* Resolve references between resources and build the indexes. Call once, after the last
 * add. References to resources the model has not seen are kept as unknown (a route to an
 * unknown gateway leads nowhere). RP_ENOMEM. */
rp_err rp_netreach_model_finish(struct rp_netreach_model *m, struct rp_errbuf *eb) RP_WUR;

/* Counts of what the model holds, for `rampart reach` summaries. */
struct rp_netreach_stats {
    size_t vpcs, subnets, route_tables, security_groups, network_acls, interfaces, instances,
        load_balancers, databases, gateways, vpn_connections, peerings;
};
void rp_netreach_model_stats(const struct rp_netreach_model *m, struct rp_netreach_stats *out);

/* Where traffic comes from. */
enum rp_netreach_origin {
    RP_NETREACH_INTERNET = 1 << 0,   /* through an internet gateway (public IPs, EIPs, LBs) */
    RP_NETREACH_PEERED_VPC = 1 << 1, /* through a VPC peering connection */
    RP_NETREACH_TGW = 1 << 2,        /* through a transit gateway attachment */
    RP_NETREACH_VPN = 1 << 3,        /* from an on-premises site: customer gateway, VPN
                                        connection, virtual private gateway (or TGW) */
};
#define RP_NETREACH_ORIGINS_ALL                                                                    \
    (RP_NETREACH_INTERNET | RP_NETREACH_PEERED_VPC | RP_NETREACH_TGW | RP_NETREACH_VPN)

/* One component of a network path, as Inspector's networkPath.steps[] names it. */
struct rp_netreach_step {
    const char *component_id;   /* "igw-0abc..", "sg-..", "eni-..", "i-.." */
    const char *component_type; /* CloudFormation-style type: "AWS::EC2::InternetGateway",
                                   "AWS::EC2::RouteTable", "AWS::EC2::NetworkAcl",
                                   "AWS::EC2::Subnet", "AWS::EC2::SecurityGroup",
                                   "AWS::EC2::NetworkInterface", "AWS::EC2::Instance",
                                   "AWS::ElasticLoadBalancingV2::LoadBalancer",
                                   "AWS::EC2::VPNGateway", "AWS::EC2::CustomerGateway",
                                   "AWS::EC2::VPNConnection", "AWS::EC2::VPCPeeringConnection",
                                   "AWS::EC2::TransitGateway", .. */
    const char *component_arn;  /* or NULL when the CI had none */
};

/* One exposure: origin can open connections to resource on protocol, ports
 * [port_begin, port_end] (a maximal range: adjacent open ports are merged). Everything is
 * borrowed for the callback. */
struct rp_netreach_exposure {
    const char *resource_id;   /* "i-..", "eni-..", an LB ARN, a DB instance id */
    const char *resource_type; /* "AWS::EC2::Instance", "AWS::EC2::NetworkInterface",
                                  "AWS::ElasticLoadBalancingV2::LoadBalancer",
                                  "AWS::ElasticLoadBalancing::LoadBalancer",
                                  "AWS::RDS::DBInstance" */
    const char *account, *region, *vpc_id;
    enum rp_netreach_origin origin;
    const char *origin_id; /* the entry component: igw-, pcx-, tgw-, cgw- id */
    int protocol;          /* 6 (TCP) or 17 (UDP) */
    uint16_t port_begin, port_end;
    const struct rp_netreach_step *steps; /* outside in; the last step is the resource */
    size_t nsteps;
};
typedef rp_err (*rp_netreach_exposure_fn)(const struct rp_netreach_exposure *x, void *ctx,
                                          struct rp_errbuf *eb);

/* Every exposure of every resource from the origins in origins (a mask of enum
 * rp_netreach_origin), in a deterministic order (resource id, origin, origin id, protocol,
 * port). fn's error stops the walk and is returned. */
rp_err rp_netreach_compute(const struct rp_netreach_model *m, unsigned origins,
                           rp_netreach_exposure_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* `rampart reach explain`: can traffic from `from` reach port `port`/`protocol` of `to`?
 * from: "internet", "vpn:<cgw-id>" (an on-premises site), "pcx:<pcx-id>", "tgw:<tgw-id>", or a
 * CIDR / address ("10.20.0.0/16", "198.51.100.7"). to: a resource id (instance, ENI, LB,
 * DB) or "vpn:<cgw-id>" (site to site through VPN CloudHub).
 * On RP_OK, *out says reachable or not; when reachable, steps is the path; when not,
 * blocked_* names the component that stops the traffic (the first one on the way in, then
 * the way back: the return path matters for stateless network ACLs) and reason says why
 * ("no route to 0.0.0.0/0 in rtb-..", "network ACL acl-.. rule 100 denies inbound tcp/22",
 * "no outbound rule of acl-.. allows tcp 1024-65535 back to 0.0.0.0/0", "route table rtb-..
 * has no route to the VPN: propagation from vgw-.. is disabled and no static route exists").
 * Strings and steps live in arena a. RP_ENOENT with a message when from/to names nothing
 * the model knows; RP_EINVAL for a malformed from/to. */
struct rp_netreach_query {
    const char *from;
    const char *to;
    int protocol; /* 6, 17 */
    uint16_t port;
};
struct rp_netreach_verdict {
    bool reachable;
    const struct rp_netreach_step *steps;
    size_t nsteps;
    const char *blocked_by_id;   /* or NULL when reachable */
    const char *blocked_by_type; /* CloudFormation-style type, or NULL */
    const char *reason;          /* one line, no trailing period */
};
rp_err rp_netreach_explain(const struct rp_netreach_model *m, struct rp_arena *a,
                           const struct rp_netreach_query *q, struct rp_netreach_verdict *out,
                           struct rp_errbuf *eb) RP_WUR;

/* ---- findings ------------------------------------------------------------------------------ */

/* Import one NETWORK_REACHABILITY finding per (resource, origin kind, origin id, protocol,
 * open port range) of the internet, VPN, peered-VPC and TGW exposures into the hub through
 * im, in the shape documented in docs/reach.md (ASFF, ProductFields "aws/inspector/..",
 * NetworkPath). now_ms stamps FirstObservedAt/UpdatedAt (0 = real time). *n (may be NULL)
 * gets the number imported. */
rp_err rp_netreach_findings_import(const struct rp_netreach_model *m, struct rp_hub_importer *im,
                                   int64_t now_ms, size_t *n, struct rp_errbuf *eb) RP_WUR;

#endif
