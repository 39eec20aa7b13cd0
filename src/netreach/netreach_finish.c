/* SPDX-License-Identifier: Apache-2.0 */
/* rp_netreach_model_finish: resolves the id references of the model read by netreach_model.c
 * into indexes, adds the routes that route propagation brings into route tables (the VPN
 * connections' static routes, or the networks a BGP site advertises), collects load balancer
 * listeners and target groups, and builds every VPC's list of origins (its internet gateway,
 * VPN connections through its virtual private gateway or a transit gateway, peering
 * connections, transit gateway attachments) that netreach_eval.c walks from. */
#define RP_LOG_MODULE "netreach"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netreach/netreach_internal.h"
#include "core/rp_banned.h"

#define ALL(m, k, T, var)                                                                          \
    for (T *var = (T *)(m)->v[(k)].v; var && var < (T *)(m)->v[(k)].v + (m)->v[(k)].n; var++)

static const struct nr_iv any_iv = {0, UINT32_MAX};

/* The public IPv4 space: everything but RFC 1918, CGNAT, loopback, link-local, 0/8,
 * multicast and reserved. */
static const struct nr_iv public_ivs[] = {
    {0x01000000u, 0x09ffffffu}, {0x0b000000u, 0x643fffffu}, {0x64800000u, 0x7effffffu},
    {0x80000000u, 0xa9fdffffu}, {0xa9ff0000u, 0xac0fffffu}, {0xac200000u, 0xc0a7ffffu},
    {0xc0a90000u, 0xdfffffffu},
};

static bool valid(const struct nr_base *b)
{
    return b->id && b->id[0];
}

static bool has_str(const char *const *v, uint32_t n, const char *s)
{
    if (!s) return false;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0) return true;
    return false;
}

static rp_err resolve_ids(struct rp_netreach_model *m, enum nr_kind k, const char *const *ids,
                          uint32_t n, int32_t **out)
{
    *out = NULL;
    if (!n) return RP_OK;
    int32_t *v = rp_arena_alloc(&m->arena, n * sizeof(*v));
    if (!v) return RP_ENOMEM;
    for (uint32_t i = 0; i < n; i++) v[i] = nr_find(m, k, ids[i]);
    *out = v;
    return RP_OK;
}

static rp_err resolve_attach(struct rp_netreach_model *m, struct nr_attach *at)
{
    at->subnet = nr_find(m, NK_SUBNET, at->subnet_id);
    return resolve_ids(m, NK_SG, at->sg_ids, at->nsgs, &at->sgs);
}

static rp_err add_route(struct rp_netreach_model *m, struct nr_rtb *t, const struct nr_route *r)
{
    if (t->nroutes == t->routes_cap) {
        uint32_t nc = t->routes_cap ? t->routes_cap * 2 : 4;
        struct nr_route *nv = rp_arena_alloc(&m->arena, nc * sizeof(*nv));
        if (!nv) return RP_ENOMEM;
        if (t->nroutes) memcpy(nv, t->routes, t->nroutes * sizeof(*nv));
        t->routes = nv;
        t->routes_cap = nc;
    }
    t->routes[t->nroutes++] = *r;
    return RP_OK;
}

static uint8_t iv_len(const struct nr_iv *iv)
{
    uint32_t span = iv->hi - iv->lo;
    uint8_t len = 32;
    while (len > 0 && (span & 1u)) {
        span >>= 1;
        len--;
    }
    return len;
}

/* The networks a VPN connection's site holds: its static routes, else (BGP, nothing listed)
 * any address. */
static struct nr_ivs site_nets(const struct nr_vpn *p)
{
    if (p->routes.n) return p->routes;
    return (struct nr_ivs){(struct nr_iv *)&any_iv, 1};
}

static rp_err propagate(struct rp_netreach_model *m)
{
    ALL(m, NK_RTB, struct nr_rtb, t)
    {
        if (!valid(&t->b)) continue;
        for (uint32_t i = 0; i < t->nprop; i++) ALL(m, NK_VPN, struct nr_vpn, p)
            {
                if (!valid(&p->b) || !p->vgw_id || strcmp(p->vgw_id, t->prop_vgws[i]) != 0)
                    continue;
                /* static: the connection's routes; BGP: what the site advertises */
                struct nr_ivs nets = p->static_only ? p->routes : site_nets(p);
                for (uint32_t j = 0; j < nets.n; j++) {
                    struct nr_route r = {.lo = nets.v[j].lo,
                                         .hi = nets.v[j].hi,
                                         .len = iv_len(&nets.v[j]),
                                         .target = NT_VGW,
                                         .propagated = true,
                                         .target_id = t->prop_vgws[i]};
                    if (add_route(m, t, &r) != RP_OK) return RP_ENOMEM;
                }
            }
    }
    return RP_OK;
}

static rp_err listeners(struct rp_netreach_model *m)
{
    ALL(m, NK_LISTENER, struct nr_listener, l)
    {
        if (!valid(&l->b)) continue;
        int32_t li = nr_find(m, NK_LB, l->lb_arn);
        if (li < 0) continue;
        struct nr_lb *lb = NR_AT(m, NK_LB, struct nr_lb, li);
        for (uint32_t i = 0; i < (l->ntgs ? l->ntgs : 1); i++) {
            struct nr_port p = l->p;
            p.tg_arn = l->ntgs ? l->tgs[i] : NULL;
            int32_t ti = nr_find(m, NK_TG, p.tg_arn);
            p.target_port = ti >= 0 ? NR_AT(m, NK_TG, struct nr_tg, ti)->port : 0;
            if (lb->nports == lb->ports_cap) {
                uint32_t nc = lb->ports_cap ? lb->ports_cap * 2 : 4;
                struct nr_port *nv = rp_arena_alloc(&m->arena, nc * sizeof(*nv));
                if (!nv) return RP_ENOMEM;
                if (lb->nports) memcpy(nv, lb->ports, lb->nports * sizeof(*nv));
                lb->ports = nv;
                lb->ports_cap = nc;
            }
            lb->ports[lb->nports++] = p;
        }
    }
    return RP_OK;
}

static const char *type_of_kind(enum nr_kind k)
{
    switch (k) {
    case NK_IGW:
        return "AWS::EC2::InternetGateway";
    case NK_VGW:
        return "AWS::EC2::VPNGateway";
    case NK_CGW:
        return "AWS::EC2::CustomerGateway";
    case NK_VPN:
        return "AWS::EC2::VPNConnection";
    case NK_PCX:
        return "AWS::EC2::VPCPeeringConnection";
    default:
        return "AWS::EC2::TransitGateway";
    }
}

static void step_of(const struct rp_netreach_model *m, enum nr_kind k, const char *id,
                    struct rp_netreach_step *s)
{
    s->component_id = id;
    s->component_type = type_of_kind(k);
    s->component_arn = NULL;
    int32_t i = k == NK__N ? -1 : nr_find(m, k, id);
    if (i >= 0)
        s->component_arn =
            ((const struct nr_base *)((const char *)m->v[k].v + (size_t)i * nr_kind_size(k)))->arn;
}

static const char *ivs_text(struct rp_netreach_model *m, struct nr_ivs v)
{
    char buf[256] = "";
    size_t off = 0;
    for (uint32_t i = 0; i < v.n && i < 4 && off < sizeof(buf); i++) {
        char t[64];
        nr_fmt_iv(&v.v[i], t, sizeof(t));
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "", t);
    }
    if (v.n > 4 && off < sizeof(buf)) snprintf(buf + off, sizeof(buf) - off, ", ..");
    return rp_arena_strdup(&m->arena, buf);
}

struct obuild {
    struct nr_origin *v;
    uint32_t n, cap;
};

static struct nr_origin *onew(struct rp_netreach_model *m, struct obuild *b)
{
    if (b->n == b->cap) {
        uint32_t nc = b->cap ? b->cap * 2 : 4;
        struct nr_origin *nv = rp_arena_alloc(&m->arena, nc * sizeof(*nv));
        if (!nv) return NULL;
        if (b->n) memcpy(nv, b->v, b->n * sizeof(*nv));
        b->v = nv;
        b->cap = nc;
    }
    struct nr_origin *o = &b->v[b->n++];
    memset(o, 0, sizeof(*o));
    o->vpn = -1;
    return o;
}

static bool pre_alloc(struct rp_netreach_model *m, struct nr_origin *o, uint32_t n)
{
    o->pre = rp_arena_zalloc(&m->arena, n * sizeof(*o->pre));
    o->npre = n;
    return o->pre != NULL;
}

/* Addresses of the VPCs attached to tgw other than vpc, and of VPN sites on it. */
static rp_err tgw_addrs(struct rp_netreach_model *m, const char *tgw, const char *vpc,
                        struct nr_ivs *out)
{
    size_t n = 0;
    ALL(m, NK_TGWATT, struct nr_tgwatt, a)
    {
        if (!valid(&a->b) || !a->tgw_id || strcmp(a->tgw_id, tgw) || !a->vpc_id ||
            !strcmp(a->vpc_id, vpc) || a->vpc < 0)
            continue;
        n += NR_AT(m, NK_VPC, struct nr_vpc, a->vpc)->cidrs.n;
    }
    ALL(m, NK_VPN, struct nr_vpn, p)
    if (valid(&p->b) && p->tgw_id && !strcmp(p->tgw_id, tgw)) n += site_nets(p).n;
    if (!n) {
        *out = (struct nr_ivs){(struct nr_iv *)&any_iv, 1};
        return RP_OK;
    }
    struct nr_iv *v = rp_arena_alloc(&m->arena, n * sizeof(*v));
    if (!v) return RP_ENOMEM;
    size_t k = 0;
    ALL(m, NK_TGWATT, struct nr_tgwatt, a)
    {
        if (!valid(&a->b) || !a->tgw_id || strcmp(a->tgw_id, tgw) || !a->vpc_id ||
            !strcmp(a->vpc_id, vpc) || a->vpc < 0)
            continue;
        const struct nr_vpc *pv = NR_AT(m, NK_VPC, struct nr_vpc, a->vpc);
        for (uint32_t i = 0; i < pv->cidrs.n; i++) v[k++] = pv->cidrs.v[i];
    }
    ALL(m, NK_VPN, struct nr_vpn, p)
    if (valid(&p->b) && p->tgw_id && !strcmp(p->tgw_id, tgw)) {
        struct nr_ivs s = site_nets(p);
        for (uint32_t i = 0; i < s.n; i++) v[k++] = s.v[i];
    }
    *out = (struct nr_ivs){v, (uint32_t)k};
    return RP_OK;
}

static rp_err origins(struct rp_netreach_model *m, struct nr_vpc *v)
{
    struct obuild b = {0};
    struct nr_origin *o;
    if (v->igw >= 0) {
        const struct nr_igw *g = NR_AT(m, NK_IGW, struct nr_igw, v->igw);
        if (!(o = onew(m, &b)) || !pre_alloc(m, o, 1)) return RP_ENOMEM;
        o->kind = RP_NETREACH_INTERNET;
        o->id = g->b.id;
        o->addrs = (struct nr_ivs){(struct nr_iv *)public_ivs, RP_ARRAY_LEN(public_ivs)};
        o->gw = NT_IGW;
        o->gw_id = g->b.id;
        o->src_text = "0.0.0.0/0";
        o->need_public = true;
        step_of(m, NK_IGW, g->b.id, &o->pre[0]);
    }
    /* transit gateways this VPC is attached to */
    struct {
        const char **v;
        uint32_t n;
    } tgws = {0};
    ALL(m, NK_TGWATT, struct nr_tgwatt, a)
    {
        if (!valid(&a->b) || !a->vpc_id || strcmp(a->vpc_id, v->b.id) || !a->tgw_id) continue;
        if (has_str(tgws.v, tgws.n, a->tgw_id)) continue;
        const char **nv = rp_arena_alloc(&m->arena, (tgws.n + 1) * sizeof(*nv));
        if (!nv) return RP_ENOMEM;
        if (tgws.n) memcpy(nv, tgws.v, tgws.n * sizeof(*nv));
        nv[tgws.n++] = a->tgw_id;
        tgws.v = nv;
    }
    ALL(m, NK_VPN, struct nr_vpn, p)
    {
        if (!valid(&p->b)) continue;
        bool via_vgw = false, via_tgw = false;
        if (p->vgw >= 0) {
            const struct nr_vgw *g = NR_AT(m, NK_VGW, struct nr_vgw, p->vgw);
            via_vgw = has_str(g->vpcs, g->nvpcs, v->b.id);
        } else if (p->vgw_id && v->vgw >= 0) {
            via_vgw = !strcmp(NR_AT(m, NK_VGW, struct nr_vgw, v->vgw)->b.id, p->vgw_id);
        }
        via_tgw = p->tgw_id && has_str(tgws.v, tgws.n, p->tgw_id);
        if (!via_vgw && !via_tgw) continue;
        if (!(o = onew(m, &b)) || !pre_alloc(m, o, 3)) return RP_ENOMEM;
        o->kind = RP_NETREACH_VPN;
        o->id = p->cgw_id ? p->cgw_id : p->b.id;
        o->addrs = site_nets(p);
        o->gw = via_vgw ? NT_VGW : NT_TGW;
        o->gw_id = via_vgw ? p->vgw_id : p->tgw_id;
        o->src_text = ivs_text(m, o->addrs);
        if (!o->src_text) return RP_ENOMEM;
        o->vpn = (int32_t)(p - (struct nr_vpn *)m->v[NK_VPN].v);
        step_of(m, NK_CGW, o->id, &o->pre[0]);
        step_of(m, NK_VPN, p->b.id, &o->pre[1]);
        step_of(m, via_vgw ? NK_VGW : NK__N, o->gw_id, &o->pre[2]);
        if (!via_vgw) o->pre[2].component_type = "AWS::EC2::TransitGateway";
    }
    ALL(m, NK_PCX, struct nr_pcx, p)
    {
        if (!valid(&p->b) || !p->active) continue;
        bool is_a = p->vpc_a && !strcmp(p->vpc_a, v->b.id);
        bool is_b = p->vpc_b && !strcmp(p->vpc_b, v->b.id);
        if (!is_a && !is_b) continue;
        if (!(o = onew(m, &b)) || !pre_alloc(m, o, 1)) return RP_ENOMEM;
        o->kind = RP_NETREACH_PEERED_VPC;
        o->id = p->b.id;
        o->addrs = is_a ? p->cidrs_b : p->cidrs_a;
        int32_t other = is_a ? p->b_ : p->a;
        if (!o->addrs.n && other >= 0) o->addrs = NR_AT(m, NK_VPC, struct nr_vpc, other)->cidrs;
        if (!o->addrs.n) o->addrs = (struct nr_ivs){(struct nr_iv *)&any_iv, 1};
        o->gw = NT_PCX;
        o->gw_id = p->b.id;
        o->src_text = ivs_text(m, o->addrs);
        if (!o->src_text) return RP_ENOMEM;
        step_of(m, NK_PCX, p->b.id, &o->pre[0]);
    }
    for (uint32_t i = 0; i < tgws.n; i++) {
        if (!(o = onew(m, &b)) || !pre_alloc(m, o, 1)) return RP_ENOMEM;
        o->kind = RP_NETREACH_TGW;
        o->id = tgws.v[i];
        if (tgw_addrs(m, tgws.v[i], v->b.id, &o->addrs) != RP_OK) return RP_ENOMEM;
        o->gw = NT_TGW;
        o->gw_id = tgws.v[i];
        o->src_text = ivs_text(m, o->addrs);
        if (!o->src_text) return RP_ENOMEM;
        step_of(m, NK__N, tgws.v[i], &o->pre[0]);
        o->pre[0].component_type = "AWS::EC2::TransitGateway";
    }
    v->origins = b.v;
    v->norigins = b.n;
    return RP_OK;
}

static int cmp_lbt(const void *a, const void *b)
{
    const struct nr_lbt *x = a, *y = b;
    if (x->inst != y->inst) return x->inst < y->inst ? -1 : 1;
    if (x->lb != y->lb) return x->lb < y->lb ? -1 : 1;
    return (x->port > y->port) - (x->port < y->port);
}

static rp_err lbt_add(struct rp_netreach_model *m, size_t *cap, struct nr_lbt t)
{
    if (m->nlbt == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct nr_lbt *nv = realloc(m->lbt, nc * sizeof(*nv));
        if (!nv) return RP_ENOMEM;
        m->lbt = nv;
        *cap = nc;
    }
    m->lbt[m->nlbt++] = t;
    return RP_OK;
}

/* Which load balancer listeners forward to which instances. */
static rp_err fronts(struct rp_netreach_model *m)
{
    size_t cap = 0;
    ALL(m, NK_LB, struct nr_lb, lb)
    {
        if (!valid(&lb->b)) continue;
        int32_t li = (int32_t)(lb - (struct nr_lb *)m->v[NK_LB].v);
        if (lb->classic) {
            for (uint32_t i = 0; i < lb->ntargets; i++) {
                int32_t ii = nr_find(m, NK_INST, lb->targets[i]);
                if (ii < 0) continue;
                for (uint32_t k = 0; k < lb->nports; k++)
                    if (lbt_add(m, &cap, (struct nr_lbt){ii, li, k, lb->ports[k].target_port}))
                        return RP_ENOMEM;
            }
            continue;
        }
        for (uint32_t k = 0; k < lb->nports; k++) {
            int32_t ti = nr_find(m, NK_TG, lb->ports[k].tg_arn);
            if (ti < 0) continue;
            const struct nr_tg *tg = NR_AT(m, NK_TG, struct nr_tg, ti);
            for (uint32_t j = 0; j < tg->ntargets; j++) {
                int32_t ii = nr_find(m, NK_INST, tg->targets[j]);
                if (ii < 0) continue;
                uint16_t tp = tg->tports && tg->tports[j] ? tg->tports[j] : tg->port;
                if (lbt_add(m, &cap, (struct nr_lbt){ii, li, k, tp})) return RP_ENOMEM;
            }
        }
    }
    if (m->nlbt) qsort(m->lbt, m->nlbt, sizeof(*m->lbt), cmp_lbt);
    return RP_OK;
}

rp_err rp_netreach_model_finish(struct rp_netreach_model *m, struct rp_errbuf *eb)
{
    if (m->finished) return rp_fail(eb, RP_EINVAL, "netreach: model already finished");
    m->finished = true;
    ALL(m, NK_IGW, struct nr_igw, g)
    {
        if (!valid(&g->b)) continue;
        for (uint32_t i = 0; i < g->nvpcs; i++) {
            int32_t vi = nr_find(m, NK_VPC, g->vpcs[i]);
            if (vi >= 0 && NR_AT(m, NK_VPC, struct nr_vpc, vi)->igw < 0)
                NR_AT(m, NK_VPC, struct nr_vpc, vi)->igw =
                    (int32_t)(g - (struct nr_igw *)m->v[NK_IGW].v);
        }
    }
    ALL(m, NK_VGW, struct nr_vgw, g)
    {
        if (!valid(&g->b)) continue;
        for (uint32_t i = 0; i < g->nvpcs; i++) {
            int32_t vi = nr_find(m, NK_VPC, g->vpcs[i]);
            if (vi >= 0 && NR_AT(m, NK_VPC, struct nr_vpc, vi)->vgw < 0)
                NR_AT(m, NK_VPC, struct nr_vpc, vi)->vgw =
                    (int32_t)(g - (struct nr_vgw *)m->v[NK_VGW].v);
        }
    }
    ALL(m, NK_RTB, struct nr_rtb, t)
    {
        if (!valid(&t->b)) continue;
        t->vpc = nr_find(m, NK_VPC, t->vpc_id);
        if (t->main && t->vpc >= 0 && NR_AT(m, NK_VPC, struct nr_vpc, t->vpc)->main_rtb < 0)
            NR_AT(m, NK_VPC, struct nr_vpc, t->vpc)->main_rtb =
                (int32_t)(t - (struct nr_rtb *)m->v[NK_RTB].v);
    }
    ALL(m, NK_NACL, struct nr_nacl, n)
    {
        if (!valid(&n->b) || !n->is_default) continue;
        int32_t vi = nr_find(m, NK_VPC, n->vpc_id);
        if (vi >= 0 && NR_AT(m, NK_VPC, struct nr_vpc, vi)->default_nacl < 0)
            NR_AT(m, NK_VPC, struct nr_vpc, vi)->default_nacl =
                (int32_t)(n - (struct nr_nacl *)m->v[NK_NACL].v);
    }
    ALL(m, NK_SUBNET, struct nr_subnet, s) s->vpc = nr_find(m, NK_VPC, s->vpc_id);
    ALL(m, NK_RTB, struct nr_rtb, t)
    {
        if (!valid(&t->b)) continue;
        for (uint32_t i = 0; i < t->nsubnets; i++) {
            int32_t si = nr_find(m, NK_SUBNET, t->subnets[i]);
            if (si >= 0)
                NR_AT(m, NK_SUBNET, struct nr_subnet, si)->rtb =
                    (int32_t)(t - (struct nr_rtb *)m->v[NK_RTB].v);
        }
    }
    ALL(m, NK_NACL, struct nr_nacl, n)
    {
        if (!valid(&n->b)) continue;
        for (uint32_t i = 0; i < n->nsubnets; i++) {
            int32_t si = nr_find(m, NK_SUBNET, n->subnets[i]);
            if (si >= 0)
                NR_AT(m, NK_SUBNET, struct nr_subnet, si)->nacl =
                    (int32_t)(n - (struct nr_nacl *)m->v[NK_NACL].v);
        }
    }
    ALL(m, NK_SUBNET, struct nr_subnet, s)
    {
        if (s->vpc < 0) continue;
        const struct nr_vpc *v = NR_AT(m, NK_VPC, struct nr_vpc, s->vpc);
        if (s->rtb < 0) s->rtb = v->main_rtb;
        if (s->nacl < 0) s->nacl = v->default_nacl;
    }
    ALL(m, NK_VPN, struct nr_vpn, p)
    {
        p->cgw = nr_find(m, NK_CGW, p->cgw_id);
        p->vgw = nr_find(m, NK_VGW, p->vgw_id);
    }
    ALL(m, NK_PCX, struct nr_pcx, p)
    {
        p->a = nr_find(m, NK_VPC, p->vpc_a);
        p->b_ = nr_find(m, NK_VPC, p->vpc_b);
    }
    ALL(m, NK_TGWATT, struct nr_tgwatt, a) a->vpc = nr_find(m, NK_VPC, a->vpc_id);
    if (propagate(m) != RP_OK || listeners(m) != RP_OK || fronts(m) != RP_OK) goto oom;
    ALL(m, NK_ENI, struct nr_eni, e)
    {
        if (!valid(&e->b)) continue;
        if (resolve_attach(m, &e->at) != RP_OK) goto oom;
        /* an instance whose CI lists no interface gets the interfaces attached to it */
        int32_t ii = nr_find(m, NK_INST, e->instance_id);
        if (ii < 0) continue;
        struct nr_inst *in = NR_AT(m, NK_INST, struct nr_inst, ii);
        bool known = false;
        for (uint32_t k = 0; k < in->nats; k++)
            if (in->ats[k].eni_id && !strcmp(in->ats[k].eni_id, e->b.id)) {
                known = true;
                struct nr_attach *at = &in->ats[k];
                at->public_ip = at->public_ip || e->at.public_ip;
                if (!at->nsgs) {
                    at->sg_ids = e->at.sg_ids;
                    at->nsgs = e->at.nsgs;
                }
                if (!at->subnet_id) at->subnet_id = e->at.subnet_id;
            }
        if (!known && in->nats == 0) {
            struct nr_attach *na = rp_arena_alloc(&m->arena, sizeof(*na));
            if (!na) goto oom;
            *na = e->at;
            in->ats = na;
            in->nats = 1;
        }
    }
    ALL(m, NK_INST, struct nr_inst, in)
    {
        if (!valid(&in->b)) continue;
        for (uint32_t k = 0; k < in->nats; k++)
            if (resolve_attach(m, &in->ats[k]) != RP_OK) goto oom;
    }
    ALL(m, NK_LB, struct nr_lb, lb)
    {
        if (!valid(&lb->b)) continue;
        if (resolve_ids(m, NK_SUBNET, lb->subnet_ids, lb->nsubnets, &lb->subnets) != RP_OK ||
            resolve_ids(m, NK_SG, lb->sg_ids, lb->nsgs, &lb->sgs) != RP_OK)
            goto oom;
    }
    ALL(m, NK_DB, struct nr_db, d)
    {
        if (!valid(&d->b)) continue;
        if (resolve_ids(m, NK_SUBNET, d->subnet_ids, d->nsubnets, &d->subnets) != RP_OK ||
            resolve_ids(m, NK_SG, d->sg_ids, d->nsgs, &d->sgs) != RP_OK)
            goto oom;
    }
    ALL(m, NK_VPC, struct nr_vpc, v)
    {
        if (valid(&v->b) && origins(m, v) != RP_OK) goto oom;
    }
    return RP_OK;
oom:
    return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
}

void rp_netreach_model_stats(const struct rp_netreach_model *m, struct rp_netreach_stats *out)
{
    memset(out, 0, sizeof(*out));
#define COUNT(k, field)                                                                            \
    for (size_t i = 0; i < m->v[k].n; i++)                                                         \
        if (valid((const struct nr_base *)((const char *)m->v[k].v + i * nr_kind_size(k))))        \
            out->field++;
    COUNT(NK_VPC, vpcs)
    COUNT(NK_SUBNET, subnets)
    COUNT(NK_RTB, route_tables)
    COUNT(NK_SG, security_groups)
    COUNT(NK_NACL, network_acls)
    COUNT(NK_ENI, interfaces)
    COUNT(NK_INST, instances)
    COUNT(NK_LB, load_balancers)
    COUNT(NK_DB, databases)
    COUNT(NK_IGW, gateways)
    COUNT(NK_VGW, gateways)
    COUNT(NK_CGW, gateways)
    COUNT(NK_NAT, gateways)
    COUNT(NK_VPN, vpn_connections)
    COUNT(NK_PCX, peerings)
#undef COUNT
}
