/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/netreach: the in-memory network model built from configuration items
 * (netreach_model.c), evaluated by netreach_eval.c and turned into findings by
 * netreach_findings.c.
 *
 * Invariants: every string and array hanging off the model lives in m->arena and dies with
 * the model; entities are kept in growable arrays per kind (m->v[kind]) and found by id through
 * one open-addressing table keyed by (kind, id). References between entities are kept as id
 * strings while CIs are added and resolved to indexes (-1 = unknown) by _finish. Addresses are
 * IPv4 only (IPv6 rules and routes are read but not analysed, docs/reach.md); an address set
 * is an array of inclusive [lo, hi] intervals of host-order uint32 values. */
#ifndef RP_NETREACH_INTERNAL_H
#define RP_NETREACH_INTERNAL_H

#include <stdint.h>

#include "netreach/netreach.h"

enum nr_kind {
    NK_VPC,
    NK_SUBNET,
    NK_RTB,
    NK_IGW,
    NK_VGW,
    NK_CGW,
    NK_VPN,
    NK_PCX,
    NK_TGWATT,
    NK_NACL,
    NK_SG,
    NK_ENI,
    NK_INST,
    NK_LB,
    NK_LISTENER,
    NK_TG,
    NK_DB,
    NK_NAT,
    NK__N
};

struct nr_iv {
    uint32_t lo, hi; /* inclusive */
};

struct nr_ivs {
    struct nr_iv *v;
    uint32_t n;
};

struct nr_base {
    const char *id, *account, *region, *arn; /* arn may be NULL */
};

/* A way into a VPC (built by finish, one list per VPC). */
struct nr_origin {
    enum rp_netreach_origin kind;
    const char *id;               /* the entry component: igw-, pcx-, tgw-, cgw- id */
    struct nr_ivs addrs;          /* source addresses */
    uint8_t gw;                   /* enum nr_target the return route must use */
    const char *gw_id;            /* and its id */
    const char *src_text;         /* the sources in reasons: "0.0.0.0/0", "172.16.0.0/16" */
    bool need_public;             /* the internet: the resource needs a public address */
    int32_t vpn;                  /* VPN connection index, or -1 */
    struct rp_netreach_step *pre; /* components before the route table, outside in */
    uint32_t npre;
};

struct nr_vpc {
    struct nr_base b;
    struct nr_ivs cidrs;
    int32_t igw, vgw, main_rtb, default_nacl; /* resolved by finish, -1 = none */
    struct nr_origin *origins;                /* built by finish */
    uint32_t norigins;
};

struct nr_subnet {
    struct nr_base b;
    const char *vpc_id;
    struct nr_ivs cidr;
    int32_t vpc, rtb, nacl; /* rtb: explicit association else the VPC's main table */
};

enum nr_target {
    NT_LOCAL,
    NT_IGW,
    NT_NAT,
    NT_VGW,
    NT_PCX,
    NT_TGW,
    NT_ENI,
    NT_INST,
    NT_OTHER,
};

struct nr_route {
    uint32_t lo, hi;
    uint8_t len;
    uint8_t target; /* enum nr_target */
    bool propagated;
    bool blackhole;
    const char *target_id;
};

struct nr_rtb {
    struct nr_base b;
    const char *vpc_id;
    struct nr_route *routes;
    uint32_t nroutes, routes_cap; /* propagated routes are appended by finish */
    const char **prop_vgws;       /* propagatingVgws */
    uint32_t nprop;
    const char **subnets; /* explicit associations */
    uint32_t nsubnets;
    bool main;
    int32_t vpc;
};

struct nr_igw {
    struct nr_base b;
    const char **vpcs; /* attached (state available / attached) */
    uint32_t nvpcs;
};

struct nr_vgw {
    struct nr_base b;
    const char **vpcs; /* attached */
    uint32_t nvpcs;
};

struct nr_cgw {
    struct nr_base b;
    const char *ip;
    const char *asn;
};

struct nr_vpn {
    struct nr_base b;
    const char *cgw_id, *vgw_id, *tgw_id;
    bool static_only;
    struct nr_ivs routes; /* routes[].destinationCidrBlock: the site's networks */
    int32_t cgw, vgw;
};

struct nr_pcx {
    struct nr_base b;
    const char *vpc_a, *vpc_b; /* requester, accepter */
    struct nr_ivs cidrs_a, cidrs_b;
    bool active;
    int32_t a, b_; /* VPC indexes */
};

struct nr_tgwatt {
    struct nr_base b;
    const char *tgw_id, *vpc_id;
    int32_t vpc;
};

struct nr_acl_rule {
    int32_t num;
    int16_t proto; /* -1 all, 6, 17, other numbers never match tcp/udp */
    bool allow;
    uint32_t lo, hi;
    uint16_t pfrom, pto;
};

struct nr_nacl {
    struct nr_base b;
    const char *vpc_id;
    bool is_default;
    struct nr_acl_rule *in, *out; /* sorted by rule number */
    uint32_t nin, nout;
    const char **subnets;
    uint32_t nsubnets;
};

struct nr_sg_rule {
    int16_t proto; /* -1 all, 6, 17; others never match */
    uint16_t from, to;
    struct nr_ivs cidrs;
    const char **refs; /* userIdGroupPairs[].groupId */
    uint32_t nrefs;
};

struct nr_sg {
    struct nr_base b;
    const char *vpc_id;
    struct nr_sg_rule *in;
    uint32_t nin;
};

/* Where a resource sits on the network: one interface. */
struct nr_attach {
    const char *eni_id; /* NULL when the CI named none */
    const char *subnet_id;
    const char **sg_ids;
    uint32_t nsgs;
    bool public_ip;
    int32_t subnet; /* resolved */
    int32_t *sgs;   /* resolved, -1 = unknown */
};

struct nr_eni {
    struct nr_base b;
    const char *instance_id; /* attachment.instanceId */
    const char *vpc_id;
    bool standalone; /* a plain interface not attached to an instance: reported itself */
    struct nr_attach at;
};

struct nr_inst {
    struct nr_base b;
    const char *vpc_id;
    bool running;
    struct nr_attach *ats;
    uint32_t nats;
};

struct nr_port {
    uint16_t port;
    int16_t proto;        /* 6, 17, -1 both */
    uint16_t target_port; /* 0 = unknown */
    const char *tg_arn;   /* forward target group, or NULL */
};

struct nr_lb {
    struct nr_base b;
    const char *type; /* "AWS::ElasticLoadBalancingV2::LoadBalancer" or classic */
    const char *vpc_id;
    bool internet_facing;
    bool classic;
    bool has_sgs; /* securityGroups listed (an NLB may have none: no filtering) */
    const char **subnet_ids;
    uint32_t nsubnets;
    const char **sg_ids;
    uint32_t nsgs;
    struct nr_port *ports; /* classic listeners, or collected from Listener CIs by finish */
    uint32_t nports, ports_cap;
    const char **targets; /* classic: instances[].instanceId */
    uint32_t ntargets;
    int32_t *subnets, *sgs;
};

struct nr_listener {
    struct nr_base b;
    const char *lb_arn;
    struct nr_port p;
    const char **tgs; /* forward target groups */
    uint32_t ntgs;
};

struct nr_tg {
    struct nr_base b;
    const char *arn;
    uint16_t port;
    const char **targets; /* instance ids */
    uint16_t *tports;     /* per target, 0 = the group's port */
    uint32_t ntargets;
};

struct nr_db {
    struct nr_base b;
    const char *vpc_id;
    bool public_access;
    uint16_t port;
    const char **subnet_ids;
    uint32_t nsubnets;
    const char **sg_ids;
    uint32_t nsgs;
    int32_t *subnets, *sgs;
};

struct nr_slot {
    const char *id;
    uint32_t kind;
    uint32_t idx;
};

struct nr_vec {
    void *v;
    size_t n, cap;
};

/* A load balancer in front of an instance (built by finish, sorted by inst). */
struct nr_lbt {
    int32_t inst, lb;
    uint32_t port;  /* index in lb->ports, UINT32_MAX = every listener (classic) */
    uint16_t tport; /* the instance port, 0 = the listener port */
};

struct rp_netreach_model {
    struct rp_arena arena;
    struct nr_lbt *lbt;
    size_t nlbt;
    struct nr_vec v[NK__N];
    struct nr_slot *slots; /* open addressing, cap a power of two */
    size_t nslots, slots_cap;
    struct rp_json_parser *jp;  /* configurations delivered as JSON strings */
    struct rp_json_parser *jp2; /* configurations read from the store */
    bool finished;
};

/* Element size of each kind's array. */
size_t nr_kind_size(enum nr_kind k);
/* Element i of kind k. */
#define NR_AT(m, k, T, i) (&((T *)(m)->v[(k)].v)[(i)])
#define NR_N(m, k)        ((m)->v[(k)].n)

/* Index of (kind, id), or -1. */
int32_t nr_find(const struct rp_netreach_model *m, enum nr_kind k, const char *id);

/* Address helpers (netreach_model.c). */
bool nr_parse_cidr4(const char *s, size_t len, struct nr_iv *out, uint8_t *plen);
void nr_fmt_iv(const struct nr_iv *iv, char *buf, size_t n); /* "10.0.0.0/16" or a range */

#endif
