/* SPDX-License-Identifier: Apache-2.0 */
/* Reachability over a finished model: rp_netreach_compute (every exposure of every resource)
 * and rp_netreach_explain (one origin, one resource, one port: the path or the component that
 * blocks it).
 *
 * One evaluation asks what an origin (a set of source addresses entering through a gateway)
 * can open on one interface (a subnet and its security groups). The source addresses are cut
 * into pieces at every boundary of the route table's routes, the network ACL's rules and the
 * security groups' CIDRs, so that every address of a piece meets the same routes and rules;
 * each piece is then checked with one representative address: the return route (longest
 * prefix match, static before propagated) must lead back through the origin's gateway, the
 * ACL must let the response out to the client's ephemeral ports (some port of 1024-65535),
 * and the ports are the ACL's inbound ports (first match) intersected with the union of the
 * security groups' inbound rules. The union over pieces is what the origin reaches: a port is
 * reachable when some address of the origin reaches it. */
#define RP_LOG_MODULE "netreach"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netreach/netreach_ports.h"
#include "core/rp_banned.h"

static const char *const T_RTB = "AWS::EC2::RouteTable";
static const char *const T_ACL = "AWS::EC2::NetworkAcl";
static const char *const T_SUBNET = "AWS::EC2::Subnet";
static const char *const T_SG = "AWS::EC2::SecurityGroup";
static const char *const T_ENI = "AWS::EC2::NetworkInterface";
static const char *const T_INST = "AWS::EC2::Instance";
static const char *const T_DB = "AWS::RDS::DBInstance";
static const char *const T_VPC = "AWS::EC2::VPC";

/* ---- evaluation context ------------------------------------------------------------------- */

struct ectx {
    const struct rp_netreach_model *m;
    struct rp_arena *a; /* results of the current resource */
    struct nr_pset *rem, *A, *Aout, *Si, *R;
    struct nr_pset *res[2];
    struct nr_pset **sgc; /* [2 * nsgc] per security group and protocol */
    uint32_t nsgc;
    uint64_t *pts;
    size_t npts, cap;
    struct nr_iv *pieces;
    size_t npieces, pcap;
};

static const int protos[2] = {6, 17};

static bool ectx_init(struct ectx *c, const struct rp_netreach_model *m, struct rp_arena *a)
{
    memset(c, 0, sizeof(*c));
    c->m = m;
    c->a = a;
    struct nr_pset **all[] = {&c->rem, &c->A, &c->Aout, &c->Si, &c->R, &c->res[0], &c->res[1]};
    for (size_t i = 0; i < RP_ARRAY_LEN(all); i++)
        if (!(*all[i] = malloc(sizeof(struct nr_pset)))) return false;
    return true;
}

static void ectx_release(struct ectx *c)
{
    free(c->rem);
    free(c->A);
    free(c->Aout);
    free(c->Si);
    free(c->R);
    free(c->res[0]);
    free(c->res[1]);
    for (uint32_t i = 0; i < 2 * c->nsgc; i++) free(c->sgc[i]);
    free(c->sgc);
    free(c->pts);
    free(c->pieces);
}

static bool ectx_sgc(struct ectx *c, uint32_t n)
{
    if (n <= c->nsgc) return true;
    struct nr_pset **nv = realloc(c->sgc, 2 * n * sizeof(*nv));
    if (!nv) return false;
    c->sgc = nv;
    for (uint32_t i = 2 * c->nsgc; i < 2 * n; i++) c->sgc[i] = NULL;
    for (uint32_t i = 2 * c->nsgc; i < 2 * n; i++)
        if (!(c->sgc[i] = malloc(sizeof(struct nr_pset)))) {
            c->nsgc = i / 2;
            return false;
        }
    c->nsgc = n;
    return true;
}

static bool pt_add(struct ectx *c, uint64_t v)
{
    if (c->npts == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        uint64_t *nv = realloc(c->pts, nc * sizeof(*nv));
        if (!nv) return false;
        c->pts = nv;
        c->cap = nc;
    }
    c->pts[c->npts++] = v;
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* ---- one interface ------------------------------------------------------------------------ */

/* What one evaluation looks at. */
struct evq {
    struct nr_ivs addrs;     /* source addresses */
    const char *subnet_id;   /* the interface's subnet, for reasons */
    const struct nr_rtb *rt; /* return route table, NULL = none */
    bool check_route;
    uint8_t gw;
    const char *gw_id;
    const struct nr_nacl *nacl; /* NULL = not crossed (same subnet, or unknown) */
    const int32_t *sgs;
    uint32_t nsgs;
    bool sg_filter;       /* false: no security group filters (an NLB without groups) */
    const char **src_ids; /* groups the source is a member of (a load balancer's) */
    uint32_t nsrc;
};

static bool in_ivs(const struct nr_ivs *v, uint32_t a)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (a >= v->v[i].lo && a <= v->v[i].hi) return true;
    return false;
}

/* Cut q->addrs into pieces on which every route and rule is constant. */
static bool make_pieces(struct ectx *c, const struct evq *q)
{
    c->npts = 0;
    c->npieces = 0;
    bool ok = true;
#define PT(lo, hi) (ok = ok && pt_add(c, (lo)) && pt_add(c, (uint64_t)(hi) + 1))
    for (uint32_t i = 0; i < q->addrs.n; i++) PT(q->addrs.v[i].lo, q->addrs.v[i].hi);
    if (q->check_route && q->rt)
        for (uint32_t i = 0; i < q->rt->nroutes; i++) PT(q->rt->routes[i].lo, q->rt->routes[i].hi);
    if (q->nacl) {
        for (uint32_t i = 0; i < q->nacl->nin; i++) PT(q->nacl->in[i].lo, q->nacl->in[i].hi);
        for (uint32_t i = 0; i < q->nacl->nout; i++) PT(q->nacl->out[i].lo, q->nacl->out[i].hi);
    }
    for (uint32_t s = 0; s < q->nsgs && q->sg_filter; s++) {
        if (q->sgs[s] < 0) continue;
        const struct nr_sg *g = NR_AT(c->m, NK_SG, const struct nr_sg, q->sgs[s]);
        for (uint32_t i = 0; i < g->nin; i++)
            for (uint32_t k = 0; k < g->in[i].cidrs.n; k++)
                PT(g->in[i].cidrs.v[k].lo, g->in[i].cidrs.v[k].hi);
    }
#undef PT
    if (!ok) return false;
    qsort(c->pts, c->npts, sizeof(*c->pts), cmp_u64);
    for (size_t i = 0; i + 1 < c->npts; i++) {
        if (c->pts[i] == c->pts[i + 1] || c->pts[i] > UINT32_MAX) continue;
        uint32_t lo = (uint32_t)c->pts[i];
        if (!in_ivs(&q->addrs, lo)) continue;
        if (c->npieces == c->pcap) {
            size_t nc = c->pcap ? c->pcap * 2 : 64;
            struct nr_iv *nv = realloc(c->pieces, nc * sizeof(*nv));
            if (!nv) return false;
            c->pieces = nv;
            c->pcap = nc;
        }
        c->pieces[c->npieces++] = (struct nr_iv){lo, (uint32_t)(c->pts[i + 1] - 1)};
    }
    return true;
}

/* Longest prefix match; a static route beats a propagated one of the same length. */
static const struct nr_route *lpm(const struct nr_rtb *t, uint32_t a)
{
    const struct nr_route *best = NULL;
    for (uint32_t i = 0; i < t->nroutes; i++) {
        const struct nr_route *r = &t->routes[i];
        if (a < r->lo || a > r->hi) continue;
        if (!best || r->len > best->len ||
            (r->len == best->len && best->propagated && !r->propagated))
            best = r;
    }
    return best;
}

static bool route_ok(const struct evq *q, uint32_t a)
{
    if (!q->check_route) return true;
    if (!q->rt) return false;
    const struct nr_route *r = lpm(q->rt, a);
    return r && !r->blackhole && r->target == q->gw && strcmp(r->target_id, q->gw_id) == 0;
}

static bool out_ok(struct ectx *c, const struct evq *q, uint32_t a, int proto)
{
    if (!q->nacl) return true;
    nr_acl_allowed(q->nacl->out, q->nacl->nout, a, proto, c->Aout, c->rem);
    return nr_ps_overlaps(c->Aout, 1024, 65535);
}

static void in_allowed(struct ectx *c, const struct evq *q, uint32_t a, int proto)
{
    if (!q->nacl)
        nr_ps_full(c->A);
    else
        nr_acl_allowed(q->nacl->in, q->nacl->nin, a, proto, c->A, c->rem);
}

static void sg_allowed(struct ectx *c, const struct evq *q, uint32_t s, uint32_t a, int proto)
{
    if (q->sgs[s] < 0) {
        nr_ps_clear(c->Si);
        return;
    }
    nr_sg_allowed(NR_AT(c->m, NK_SG, const struct nr_sg, q->sgs[s]), a, proto,
                  (const char *const *)q->src_ids, q->nsrc, c->Si);
}

/* Every port the origin reaches: c->res[0] (TCP), c->res[1] (UDP), and per group s the ports
 * it lets through, c->sgc[2s + p]. */
static bool eval_all(struct ectx *c, const struct evq *q)
{
    nr_ps_clear(c->res[0]);
    nr_ps_clear(c->res[1]);
    if (!ectx_sgc(c, q->nsgs)) return false;
    for (uint32_t s = 0; s < 2 * q->nsgs; s++) nr_ps_clear(c->sgc[s]);
    if (!make_pieces(c, q)) return false;
    for (size_t i = 0; i < c->npieces; i++) {
        uint32_t a = c->pieces[i].lo;
        if (!route_ok(q, a)) continue;
        for (int p = 0; p < 2; p++) {
            if (!out_ok(c, q, a, protos[p])) continue;
            in_allowed(c, q, a, protos[p]);
            if (!c->A->n) continue;
            if (!q->sg_filter) {
                nr_ps_or(c->res[p], c->A);
                continue;
            }
            for (uint32_t s = 0; s < q->nsgs; s++) {
                sg_allowed(c, q, s, a, protos[p]);
                nr_ps_and(c->Si, c->A, c->R);
                nr_ps_or(c->sgc[2 * s + p], c->R);
                nr_ps_or(c->res[p], c->R);
            }
        }
    }
    return true;
}

/* ---- paths -------------------------------------------------------------------------------- */

struct pathb {
    struct rp_netreach_step *v;
    const struct nr_cps **sets; /* per step: the ports a security group step lets through */
    int *proto_of;              /* per step: which protocol the set is for, -1 = any */
    uint32_t n, cap;
    bool oom;
};

static void pb_add(struct ectx *c, struct pathb *b, const char *id, const char *type,
                   const char *arn, const struct nr_cps *set)
{
    if (b->oom || !id) return;
    if (b->n == b->cap) {
        uint32_t nc = b->cap ? b->cap * 2 : 16;
        struct rp_netreach_step *nv = rp_arena_alloc(c->a, nc * sizeof(*nv));
        const struct nr_cps **ns = rp_arena_alloc(c->a, nc * sizeof(*ns));
        if (!nv || !ns) {
            b->oom = true;
            return;
        }
        if (b->n) {
            memcpy(nv, b->v, b->n * sizeof(*nv));
            memcpy(ns, b->sets, b->n * sizeof(*ns));
        }
        b->v = nv;
        b->sets = ns;
        b->cap = nc;
    }
    b->v[b->n] = (struct rp_netreach_step){id, type, arn};
    b->sets[b->n] = set;
    b->n++;
}

static const struct nr_base *base_at(const struct rp_netreach_model *m, enum nr_kind k, int32_t i)
{
    if (i < 0) return NULL;
    return (const struct nr_base *)((const char *)m->v[k].v + (size_t)i * nr_kind_size(k));
}

/* route table, network ACL, subnet of subnet si */
static void pb_subnet(struct ectx *c, struct pathb *b, int32_t si, bool with_rtb, bool with_acl)
{
    const struct nr_subnet *s = NR_AT(c->m, NK_SUBNET, const struct nr_subnet, si);
    const struct nr_base *rt = base_at(c->m, NK_RTB, s->rtb);
    const struct nr_base *acl = base_at(c->m, NK_NACL, s->nacl);
    if (with_rtb && rt) pb_add(c, b, rt->id, T_RTB, rt->arn, NULL);
    if (with_acl && acl) pb_add(c, b, acl->id, T_ACL, acl->arn, NULL);
    pb_add(c, b, s->b.id, T_SUBNET, s->b.arn, NULL);
}

/* ---- compute ------------------------------------------------------------------------------ */

/* One way an origin reaches a resource: the ports per protocol and the path. */
struct contrib {
    const struct nr_origin *o;
    int p; /* 0 TCP, 1 UDP */
    struct nr_cps ports;
    struct rp_netreach_step *steps;
    const struct nr_cps **sets;
    uint32_t nsteps;
};

struct resctx {
    struct ectx c;
    struct contrib *v;
    size_t n, cap;
    bool oom;
};

static void contrib_add(struct resctx *r, const struct nr_origin *o, int p,
                        const struct nr_pset *ports, const struct pathb *b)
{
    if (r->oom || !ports->n) return;
    if (b->oom) {
        r->oom = true;
        return;
    }
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        struct contrib *nv = realloc(r->v, nc * sizeof(*nv));
        if (!nv) {
            r->oom = true;
            return;
        }
        r->v = nv;
        r->cap = nc;
    }
    struct contrib *x = &r->v[r->n];
    x->o = o;
    x->p = p;
    x->steps = b->v;
    x->sets = b->sets;
    x->nsteps = b->n;
    if (!nr_cps_from(r->c.a, ports, &x->ports)) {
        r->oom = true;
        return;
    }
    r->n++;
}

/* The evaluation query of origin o into subnet si with groups sgs. */
static bool evq_for(const struct rp_netreach_model *m, const struct nr_origin *o, int32_t si,
                    const int32_t *sgs, uint32_t nsgs, bool sg_filter, struct evq *q)
{
    memset(q, 0, sizeof(*q));
    if (si < 0) return false;
    const struct nr_subnet *s = NR_AT(m, NK_SUBNET, const struct nr_subnet, si);
    q->addrs = o->addrs;
    q->subnet_id = s->b.id;
    q->check_route = true;
    q->rt = s->rtb >= 0 ? NR_AT(m, NK_RTB, const struct nr_rtb, s->rtb) : NULL;
    q->gw = o->gw;
    q->gw_id = o->gw_id;
    q->nacl = s->nacl >= 0 ? NR_AT(m, NK_NACL, const struct nr_nacl, s->nacl) : NULL;
    q->sgs = sgs;
    q->nsgs = nsgs;
    q->sg_filter = sg_filter;
    return true;
}

/* Security group steps of the path, each with the ports it lets through for protocol p. */
static void pb_sgs(struct resctx *r, struct pathb *b, const int32_t *sgs, const char *const *ids,
                   uint32_t nsgs, int p, bool with_sets)
{
    for (uint32_t s = 0; s < nsgs; s++) {
        if (!r->c.sgc[2 * s + p]->n) continue;
        struct nr_cps *set = NULL;
        if (with_sets) {
            set = rp_arena_alloc(r->c.a, sizeof(*set));
            if (!set || !nr_cps_from(r->c.a, r->c.sgc[2 * s + p], set)) {
                b->oom = true;
                return;
            }
        }
        const struct nr_base *g = base_at(r->c.m, NK_SG, sgs[s]);
        pb_add(&r->c, b, ids[s], T_SG, g ? g->arn : NULL, set);
    }
}

/* An interface of a resource (instance, ENI, DB, load balancer) from every origin of its
 * VPC. tail_* are the steps after the security groups (ENI, then the resource). */
static void direct(struct resctx *r, int32_t si, const int32_t *sgs, const char *const *sg_ids,
                   uint32_t nsgs, bool sg_filter, bool public_ip, const struct nr_pset *only[2],
                   const struct rp_netreach_step *tail, uint32_t ntail)
{
    const struct rp_netreach_model *m = r->c.m;
    if (si < 0) return;
    const struct nr_subnet *s = NR_AT(m, NK_SUBNET, const struct nr_subnet, si);
    if (s->vpc < 0) return;
    const struct nr_vpc *v = NR_AT(m, NK_VPC, const struct nr_vpc, s->vpc);
    for (uint32_t oi = 0; oi < v->norigins; oi++) {
        const struct nr_origin *o = &v->origins[oi];
        if (o->need_public && !public_ip) continue;
        struct evq q;
        if (!evq_for(m, o, si, sgs, nsgs, sg_filter, &q)) continue;
        if (!eval_all(&r->c, &q)) {
            r->oom = true;
            return;
        }
        for (int p = 0; p < 2; p++) {
            if (only && only[p]) {
                nr_ps_and(r->c.res[p], only[p], r->c.R);
                nr_ps_clear(r->c.res[p]);
                nr_ps_or(r->c.res[p], r->c.R);
            }
            if (!r->c.res[p]->n) continue;
            struct pathb b = {0};
            for (uint32_t k = 0; k < o->npre; k++)
                pb_add(&r->c, &b, o->pre[k].component_id, o->pre[k].component_type,
                       o->pre[k].component_arn, NULL);
            pb_subnet(&r->c, &b, si, true, true);
            pb_sgs(r, &b, sgs, sg_ids, nsgs, p, true);
            for (uint32_t k = 0; k < ntail; k++)
                pb_add(&r->c, &b, tail[k].component_id, tail[k].component_type,
                       tail[k].component_arn, NULL);
            contrib_add(r, o, p, r->c.res[p], &b);
        }
    }
}

static bool subnet_in(const int32_t *v, uint32_t n, int32_t s)
{
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == s) return true;
    return false;
}

/* The addresses of a load balancer's nodes: its subnets' CIDRs. */
static struct nr_ivs lb_addrs(struct ectx *c, const struct nr_lb *lb)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < lb->nsubnets; i++)
        if (lb->subnets[i] >= 0)
            n += NR_AT(c->m, NK_SUBNET, const struct nr_subnet, lb->subnets[i])->cidr.n;
    struct nr_iv *v = n ? rp_arena_alloc(c->a, n * sizeof(*v)) : NULL;
    if (!v) return (struct nr_ivs){NULL, 0};
    uint32_t k = 0;
    for (uint32_t i = 0; i < lb->nsubnets; i++) {
        if (lb->subnets[i] < 0) continue;
        const struct nr_subnet *s = NR_AT(c->m, NK_SUBNET, const struct nr_subnet, lb->subnets[i]);
        for (uint32_t j = 0; j < s->cidr.n; j++) v[k++] = s->cidr.v[j];
    }
    return (struct nr_ivs){v, k};
}

/* The hop from load balancer lb to interface at: the ports the instance accepts from it. */
static bool hop_eval(struct ectx *c, const struct nr_lb *lb, const struct nr_attach *at,
                     struct evq *q)
{
    memset(q, 0, sizeof(*q));
    if (at->subnet < 0) return false;
    const struct nr_subnet *s = NR_AT(c->m, NK_SUBNET, const struct nr_subnet, at->subnet);
    q->addrs = lb_addrs(c, lb);
    if (!q->addrs.n) return false;
    q->check_route = false;
    /* traffic between a load balancer node and a target in the same subnet crosses no ACL */
    q->nacl = s->nacl >= 0 && !subnet_in(lb->subnets, lb->nsubnets, at->subnet)
                  ? NR_AT(c->m, NK_NACL, const struct nr_nacl, s->nacl)
                  : NULL;
    q->sgs = at->sgs;
    q->nsgs = at->nsgs;
    q->sg_filter = true;
    q->src_ids = lb->sg_ids;
    q->nsrc = lb->nsgs;
    return true;
}

static int proto_idx(int16_t proto, int p)
{
    return proto == -1 || proto == protos[p];
}

/* Instance in reached through the load balancers in front of it. */
static void via_lbs(struct resctx *r, int32_t ii, const struct nr_inst *in)
{
    const struct rp_netreach_model *m = r->c.m;
    size_t lo = 0, hi = m->nlbt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->lbt[mid].inst < ii)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < m->nlbt && m->lbt[k].inst == ii; k++) {
        const struct nr_lbt *t = &m->lbt[k];
        const struct nr_lb *lb = NR_AT(m, NK_LB, const struct nr_lb, t->lb);
        if (t->port >= lb->nports) continue;
        const struct nr_port *lp = &lb->ports[t->port];
        uint16_t tport = t->tport ? t->tport : lp->port;
        /* the hop: which interface of the instance accepts tport from the balancer */
        for (uint32_t ai = 0; ai < in->nats; ai++) {
            const struct nr_attach *at = &in->ats[ai];
            struct evq hq;
            if (!hop_eval(&r->c, lb, at, &hq)) continue;
            if (!eval_all(&r->c, &hq)) {
                r->oom = true;
                return;
            }
            bool hop[2] = {proto_idx(lp->proto, 0) && nr_ps_has(r->c.res[0], tport),
                           proto_idx(lp->proto, 1) && nr_ps_has(r->c.res[1], tport)};
            if (!hop[0] && !hop[1]) continue;
            /* instance-side steps: the groups that accept tport */
            struct rp_netreach_step *tail = rp_arena_alloc(r->c.a, (at->nsgs + 4) * sizeof(*tail));
            if (!tail) {
                r->oom = true;
                return;
            }
            uint32_t nt = 0;
            tail[nt++] = (struct rp_netreach_step){lb->b.id, lb->type, lb->b.arn};
            const struct nr_subnet *is = NR_AT(m, NK_SUBNET, const struct nr_subnet, at->subnet);
            if (hq.nacl)
                tail[nt++] = (struct rp_netreach_step){hq.nacl->b.id, T_ACL, hq.nacl->b.arn};
            for (uint32_t s = 0; s < at->nsgs; s++) {
                int p = hop[0] ? 0 : 1;
                if (!nr_ps_has(r->c.sgc[2 * s + p], tport)) continue;
                const struct nr_base *g = base_at(m, NK_SG, at->sgs[s]);
                tail[nt++] = (struct rp_netreach_step){at->sg_ids[s], T_SG, g ? g->arn : NULL};
            }
            (void)is;
            if (at->eni_id) tail[nt++] = (struct rp_netreach_step){at->eni_id, T_ENI, NULL};
            tail[nt++] = (struct rp_netreach_step){in->b.id, T_INST, in->b.arn};
            /* the balancer side: only the listener port, from every origin */
            struct nr_pset *only0 = malloc(sizeof(struct nr_pset));
            struct nr_pset *only1 = malloc(sizeof(struct nr_pset));
            if (!only0 || !only1) {
                free(only0);
                free(only1);
                r->oom = true;
                return;
            }
            nr_ps_clear(only0);
            nr_ps_clear(only1);
            if (hop[0]) nr_ps_push(only0, lp->port, lp->port);
            if (hop[1]) nr_ps_push(only1, lp->port, lp->port);
            const struct nr_pset *only[2] = {only0, only1};
            for (uint32_t si = 0; si < lb->nsubnets; si++)
                direct(r, lb->subnets[si], lb->sgs, lb->sg_ids, lb->nsgs, lb->has_sgs,
                       lb->internet_facing, only, tail, nt);
            free(only0);
            free(only1);
            break;
        }
    }
}

struct res {
    const char *id;
    enum nr_kind k;
    int32_t idx;
};

static int cmp_res(const void *a, const void *b)
{
    const struct res *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return (x->k > y->k) - (x->k < y->k);
}

static int cmp_contrib(const void *a, const void *b)
{
    const struct contrib *x = a, *y = b;
    if (x->o->kind != y->o->kind) return x->o->kind < y->o->kind ? -1 : 1;
    int c = strcmp(x->o->id, y->o->id);
    if (c) return c;
    return (x->p > y->p) - (x->p < y->p);
}

/* The ports a load balancer or database listens on (NULL = not known: every port). */
static bool listen_sets(const struct nr_lb *lb, const struct nr_db *db, struct nr_pset *only[2])
{
    nr_ps_clear(only[0]);
    nr_ps_clear(only[1]);
    if (db) {
        if (!db->port) return false;
        nr_ps_push(only[0], db->port, db->port);
        return true;
    }
    if (!lb || !lb->nports) return false;
    for (uint32_t i = 0; i < lb->nports; i++)
        for (int p = 0; p < 2; p++)
            if (proto_idx(lb->ports[i].proto, p))
                nr_ps_push(only[p], lb->ports[i].port, lb->ports[i].port);
    nr_ps_norm(only[0]);
    nr_ps_norm(only[1]);
    return true;
}

static rp_err emit(struct resctx *r, const struct res *rs, unsigned origins,
                   rp_netreach_exposure_fn fn, void *ctx, struct rp_errbuf *eb)
{
    const struct rp_netreach_model *m = r->c.m;
    if (!r->n) return RP_OK;
    struct contrib *v = r->v;
    /* insertion sort: stable, so contributions keep their discovery order inside a group */
    for (size_t i = 1; i < r->n; i++) {
        struct contrib x = v[i];
        size_t j = i;
        while (j > 0 && cmp_contrib(&v[j - 1], &x) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    const struct nr_base *b = base_at(m, rs->k, rs->idx);
    const char *vpc = NULL, *type = T_INST;
    switch (rs->k) {
    case NK_INST:
        vpc = ((const struct nr_inst *)b)->vpc_id;
        break;
    case NK_ENI:
        vpc = ((const struct nr_eni *)b)->vpc_id;
        type = T_ENI;
        break;
    case NK_LB:
        vpc = ((const struct nr_lb *)b)->vpc_id;
        type = ((const struct nr_lb *)b)->type;
        break;
    default:
        vpc = ((const struct nr_db *)b)->vpc_id;
        type = T_DB;
        break;
    }
    struct nr_pset *u = r->c.R;
    for (size_t i = 0; i < r->n;) {
        size_t j = i;
        while (j < r->n && cmp_contrib(&v[i], &v[j]) == 0) j++;
        if (!(v[i].o->kind & origins)) {
            i = j;
            continue;
        }
        nr_ps_clear(u);
        for (size_t k = i; k < j; k++)
            for (uint32_t q = 0; q < v[k].ports.n; q++)
                nr_ps_push(u, v[k].ports.r[q].lo, v[k].ports.r[q].hi);
        nr_ps_norm(u);
        for (uint32_t q = 0; q < u->n; q++) {
            uint16_t lo = u->r[q].lo, hi = u->r[q].hi;
            const struct contrib *c = &v[i];
            for (size_t k = i; k < j; k++)
                if (nr_cps_overlaps(&v[k].ports, lo, hi)) {
                    c = &v[k];
                    break;
                }
            struct rp_netreach_step steps[64];
            size_t ns = 0;
            for (uint32_t s = 0; s < c->nsteps && ns < RP_ARRAY_LEN(steps); s++)
                if (!c->sets[s] || nr_cps_overlaps(c->sets[s], lo, hi)) steps[ns++] = c->steps[s];
            struct rp_netreach_exposure x = {
                .resource_id = b->id,
                .resource_type = type,
                .account = b->account,
                .region = b->region,
                .vpc_id = vpc,
                .origin = c->o->kind,
                .origin_id = c->o->id,
                .protocol = protos[c->p],
                .port_begin = lo,
                .port_end = hi,
                .steps = steps,
                .nsteps = ns,
            };
            rp_err e = fn(&x, ctx, eb);
            if (e) return e;
        }
        i = j;
    }
    return RP_OK;
}

static void resource(struct resctx *r, const struct res *rs)
{
    const struct rp_netreach_model *m = r->c.m;
    if (rs->k == NK_INST) {
        const struct nr_inst *in = NR_AT(m, NK_INST, const struct nr_inst, rs->idx);
        for (uint32_t i = 0; i < in->nats; i++) {
            const struct nr_attach *at = &in->ats[i];
            struct rp_netreach_step tail[2];
            uint32_t nt = 0;
            if (at->eni_id) tail[nt++] = (struct rp_netreach_step){at->eni_id, T_ENI, NULL};
            tail[nt++] = (struct rp_netreach_step){in->b.id, T_INST, in->b.arn};
            direct(r, at->subnet, at->sgs, at->sg_ids, at->nsgs, true, at->public_ip, NULL, tail,
                   nt);
        }
        via_lbs(r, rs->idx, in);
        return;
    }
    if (rs->k == NK_ENI) {
        const struct nr_eni *e = NR_AT(m, NK_ENI, const struct nr_eni, rs->idx);
        struct rp_netreach_step tail[1] = {{e->b.id, T_ENI, e->b.arn}};
        direct(r, e->at.subnet, e->at.sgs, e->at.sg_ids, e->at.nsgs, true, e->at.public_ip, NULL,
               tail, 1);
        return;
    }
    struct nr_pset *sets = malloc(2 * sizeof(struct nr_pset));
    if (!sets) {
        r->oom = true;
        return;
    }
    struct nr_pset *only[2] = {&sets[0], &sets[1]};
    if (rs->k == NK_LB) {
        const struct nr_lb *lb = NR_AT(m, NK_LB, const struct nr_lb, rs->idx);
        bool known = listen_sets(lb, NULL, only);
        struct rp_netreach_step tail[1] = {{lb->b.id, lb->type, lb->b.arn}};
        for (uint32_t i = 0; i < lb->nsubnets; i++)
            direct(r, lb->subnets[i], lb->sgs, lb->sg_ids, lb->nsgs, lb->has_sgs,
                   lb->internet_facing, known ? (const struct nr_pset **)only : NULL, tail, 1);
    } else {
        const struct nr_db *db = NR_AT(m, NK_DB, const struct nr_db, rs->idx);
        bool known = listen_sets(NULL, db, only);
        struct rp_netreach_step tail[1] = {{db->b.id, T_DB, db->b.arn}};
        for (uint32_t i = 0; i < db->nsubnets; i++)
            direct(r, db->subnets[i], db->sgs, db->sg_ids, db->nsgs, true, db->public_access,
                   known ? (const struct nr_pset **)only : NULL, tail, 1);
    }
    free(sets);
}

static bool valid(const struct nr_base *b)
{
    return b->id && b->id[0];
}

rp_err rp_netreach_compute(const struct rp_netreach_model *m, unsigned origins,
                           rp_netreach_exposure_fn fn, void *ctx, struct rp_errbuf *eb)
{
    if (!m->finished) return rp_fail(eb, RP_EINVAL, "netreach: model not finished");
    size_t n = 0;
    static const enum nr_kind kinds[] = {NK_INST, NK_ENI, NK_LB, NK_DB};
    for (size_t k = 0; k < RP_ARRAY_LEN(kinds); k++) n += m->v[kinds[k]].n;
    struct res *rs = malloc((n ? n : 1) * sizeof(*rs));
    if (!rs) return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    size_t nr = 0;
    for (size_t k = 0; k < RP_ARRAY_LEN(kinds); k++)
        for (size_t i = 0; i < m->v[kinds[k]].n; i++) {
            const struct nr_base *b = base_at(m, kinds[k], (int32_t)i);
            if (!valid(b)) continue;
            if (kinds[k] == NK_INST && !((const struct nr_inst *)b)->running) continue;
            if (kinds[k] == NK_ENI && !((const struct nr_eni *)b)->standalone) continue;
            rs[nr++] = (struct res){b->id, kinds[k], (int32_t)i};
        }
    qsort(rs, nr, sizeof(*rs), cmp_res);
    struct rp_arena a;
    rp_arena_init(&a, 64 * 1024);
    struct resctx r = {0};
    rp_err e = RP_OK;
    if (!ectx_init(&r.c, m, &a)) e = rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    for (size_t i = 0; i < nr && !e; i++) {
        r.n = 0;
        rp_arena_reset(&a);
        resource(&r, &rs[i]);
        if (r.oom) {
            e = rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
            break;
        }
        e = emit(&r, &rs[i], origins, fn, ctx, eb);
    }
    ectx_release(&r.c);
    free(r.v);
    free(rs);
    rp_arena_release(&a);
    return e;
}

/* ---- explain ------------------------------------------------------------------------------ */

struct block {
    int stage; /* how far the traffic got: higher = further along the path */
    const char *id, *type, *reason;
};

struct xq {
    int proto;
    uint16_t port;
    const char *pname; /* "tcp" */
};

/* Why the return route of the first piece does not lead back to the origin. */
static const char *route_reason(struct ectx *c, const struct evq *q, const struct nr_origin *o,
                                const char *src)
{
    const struct nr_rtb *t = q->rt;
    if (o->kind == RP_NETREACH_VPN && o->gw == NT_VGW) {
        bool prop = false, stat = false;
        for (uint32_t i = 0; i < t->nprop; i++)
            if (!strcmp(t->prop_vgws[i], o->gw_id)) prop = true;
        for (uint32_t i = 0; i < t->nroutes; i++)
            if (!t->routes[i].propagated && t->routes[i].target == NT_VGW &&
                !strcmp(t->routes[i].target_id, o->gw_id))
                stat = true;
        if (!prop && !stat)
            return rp_arena_printf(c->a,
                                   "route table %s has no route to the VPN: propagation from %s is "
                                   "disabled and no static route exists",
                                   t->b.id, o->gw_id);
    }
    const struct nr_route *r = c->npieces ? lpm(t, c->pieces[0].lo) : NULL;
    if (!r) return rp_arena_printf(c->a, "no route to %s in %s", src, t->b.id);
    char cidr[64];
    nr_fmt_iv(&(struct nr_iv){r->lo, r->hi}, cidr, sizeof(cidr));
    if (r->blackhole)
        return rp_arena_printf(c->a, "route to %s in %s is a blackhole", cidr, t->b.id);
    return rp_arena_printf(c->a, "route table %s sends %s to %s, not to %s", t->b.id, cidr,
                           r->target_id[0] ? r->target_id : "an unknown target", q->gw_id);
}

static const char *sg_list(struct ectx *c, const char *const *ids, uint32_t n)
{
    char buf[512] = "";
    size_t off = 0;
    for (uint32_t i = 0; i < n && off < sizeof(buf); i++)
        off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "", ids[i]);
    return rp_arena_strdup(c->a, buf);
}

/* One port on one interface from origin o: true when reachable (the security groups that
 * allow it are flagged in sg_ok); else *blk says where it stops. pub_* name the component
 * that lacks a public address. */
static bool explain_one(struct ectx *c, const struct evq *q, const struct nr_origin *o,
                        const char *src, bool public_ip, const char *pub_id, const char *pub_type,
                        const char *pub_reason, const struct xq *x, bool *sg_ok,
                        const char *const *sg_ids, const char *no_sg_id, const char *no_sg_type,
                        struct block *blk)
{
    if (!make_pieces(c, q)) return false;
    /* 1: the route table carries the return route */
    bool any = false;
    for (size_t i = 0; i < c->npieces && !any; i++) any = route_ok(q, c->pieces[i].lo);
    if (!any) {
        blk->stage = 1;
        if (!q->rt) {
            blk->id = q->subnet_id;
            blk->type = T_SUBNET;
            blk->reason = rp_arena_printf(c->a, "%s has no route table", q->subnet_id);
            return false;
        }
        blk->id = q->rt->b.id;
        blk->type = T_RTB;
        blk->reason = route_reason(c, q, o, src);
        return false;
    }
    /* 2: a public address for the internet */
    if (o->need_public && !public_ip) {
        blk->stage = 2;
        blk->id = pub_id;
        blk->type = pub_type;
        blk->reason = pub_reason;
        return false;
    }
    /* 3: the network ACL lets it in */
    const struct nr_acl_rule *deny = NULL;
    bool first = true, in_any = false;
    for (size_t i = 0; i < c->npieces; i++) {
        uint32_t a = c->pieces[i].lo;
        if (!route_ok(q, a)) continue;
        const struct nr_acl_rule *ru =
            q->nacl ? nr_acl_rule_for(q->nacl->in, q->nacl->nin, a, x->proto, x->port) : NULL;
        if (!q->nacl || (ru && ru->allow)) {
            in_any = true;
            break;
        }
        if (first) deny = ru;
        first = false;
    }
    if (!in_any) {
        blk->stage = 3;
        blk->id = q->nacl->b.id;
        blk->type = T_ACL;
        char num[16];
        if (!deny || deny->num == 32767)
            snprintf(num, sizeof(num), "*");
        else
            snprintf(num, sizeof(num), "%d", (int)deny->num);
        blk->reason = rp_arena_printf(c->a, "network ACL %s rule %s denies inbound %s/%u",
                                      q->nacl->b.id, num, x->pname, (unsigned)x->port);
        return false;
    }
    /* 4: a security group lets it in */
    bool sg_any = false;
    for (uint32_t s = 0; s < q->nsgs; s++) sg_ok[s] = false;
    for (size_t i = 0; i < c->npieces; i++) {
        uint32_t a = c->pieces[i].lo;
        if (!route_ok(q, a)) continue;
        if (q->nacl) {
            const struct nr_acl_rule *ru =
                nr_acl_rule_for(q->nacl->in, q->nacl->nin, a, x->proto, x->port);
            if (!ru || !ru->allow) continue;
        }
        if (!q->sg_filter) {
            sg_any = true;
            continue;
        }
        for (uint32_t s = 0; s < q->nsgs; s++) {
            sg_allowed(c, q, s, a, x->proto);
            if (nr_ps_has(c->Si, x->port)) sg_ok[s] = sg_any = true;
        }
    }
    if (!sg_any) {
        blk->stage = 4;
        if (!q->nsgs) {
            blk->id = no_sg_id;
            blk->type = no_sg_type;
            blk->reason = rp_arena_printf(c->a, "%s has no security group", no_sg_id);
            return false;
        }
        blk->id = sg_ids[0];
        blk->type = T_SG;
        blk->reason =
            rp_arena_printf(c->a, "no inbound rule of %s allows %s/%u from %s",
                            sg_list(c, sg_ids, q->nsgs), x->pname, (unsigned)x->port, src);
        return false;
    }
    /* 5: the network ACL lets the response out to the client's ephemeral ports */
    for (size_t i = 0; i < c->npieces; i++) {
        uint32_t a = c->pieces[i].lo;
        if (!route_ok(q, a)) continue;
        if (q->nacl) {
            const struct nr_acl_rule *ru =
                nr_acl_rule_for(q->nacl->in, q->nacl->nin, a, x->proto, x->port);
            if (!ru || !ru->allow) continue;
        }
        bool s_ok = !q->sg_filter;
        for (uint32_t s = 0; s < q->nsgs && !s_ok; s++) {
            sg_allowed(c, q, s, a, x->proto);
            s_ok = nr_ps_has(c->Si, x->port);
        }
        if (s_ok && out_ok(c, q, a, x->proto)) return true;
    }
    if (!q->nacl) return true; /* unreachable: stage 4 found a piece that passes */
    blk->stage = 5;
    blk->id = q->nacl->b.id;
    blk->type = T_ACL;
    blk->reason = rp_arena_printf(c->a, "no outbound rule of %s allows %s 1024-65535 back to %s",
                                  q->nacl->b.id, x->pname, src);
    return false;
}

struct target {
    enum nr_kind k;
    int32_t idx;
    const struct nr_base *b;
};

static bool find_target(const struct rp_netreach_model *m, const char *to, struct target *t)
{
    static const enum nr_kind kinds[] = {NK_INST, NK_ENI, NK_LB, NK_DB};
    for (size_t i = 0; i < RP_ARRAY_LEN(kinds); i++) {
        int32_t x = nr_find(m, kinds[i], to);
        if (x >= 0) {
            t->k = kinds[i];
            t->idx = x;
            t->b = base_at(m, kinds[i], x);
            return true;
        }
    }
    return false;
}

/* The origin the query names, among the VPC's, with addresses narrowed to a CIDR when given. */
struct from {
    enum { F_INTERNET, F_VPN, F_PCX, F_TGW, F_CIDR } kind;
    const char *id;
    struct nr_iv cidr;
    const char *text;
};

static bool origin_matches(const struct from *f, const struct nr_origin *o)
{
    switch (f->kind) {
    case F_INTERNET:
        return o->kind == RP_NETREACH_INTERNET;
    case F_VPN:
        return o->kind == RP_NETREACH_VPN && !strcmp(o->id, f->id);
    case F_PCX:
        return o->kind == RP_NETREACH_PEERED_VPC && !strcmp(o->id, f->id);
    case F_TGW:
        return o->kind == RP_NETREACH_TGW && !strcmp(o->id, f->id);
    default:
        break;
    }
    for (uint32_t i = 0; i < o->addrs.n; i++)
        if (o->addrs.v[i].lo <= f->cidr.hi && o->addrs.v[i].hi >= f->cidr.lo) return true;
    return false;
}

/* o narrowed to f's CIDR (in arena). */
static struct nr_origin *narrow(struct ectx *c, const struct from *f, const struct nr_origin *o)
{
    struct nr_origin *n = rp_arena_alloc(c->a, sizeof(*n));
    if (!n) return NULL;
    *n = *o;
    if (f->kind != F_CIDR) return n;
    struct nr_iv *v = rp_arena_alloc(c->a, (o->addrs.n ? o->addrs.n : 1) * sizeof(*v));
    if (!v) return NULL;
    uint32_t k = 0;
    for (uint32_t i = 0; i < o->addrs.n; i++) {
        uint32_t lo = o->addrs.v[i].lo > f->cidr.lo ? o->addrs.v[i].lo : f->cidr.lo;
        uint32_t hi = o->addrs.v[i].hi < f->cidr.hi ? o->addrs.v[i].hi : f->cidr.hi;
        if (lo <= hi) v[k++] = (struct nr_iv){lo, hi};
    }
    n->addrs = (struct nr_ivs){v, k};
    n->src_text = f->text;
    return n;
}

struct xres {
    bool reachable;
    struct block best;
    bool have_block;
    struct pathb path;
};

static void block_keep(struct xres *x, const struct block *b)
{
    if (!x->have_block || b->stage > x->best.stage) {
        x->best = *b;
        x->have_block = true;
    }
}

/* Explain over one interface (subnet si, groups) from every matching origin of its VPC;
 * stops at the first reachable one, with the path in x->path. */
static bool explain_iface(struct ectx *c, const struct from *f, int32_t si, const int32_t *sgs,
                          const char *const *sg_ids, uint32_t nsgs, bool sg_filter, bool public_ip,
                          const char *pub_id, const char *pub_type, const char *pub_reason,
                          const struct rp_netreach_step *tail, uint32_t ntail, const struct xq *q,
                          struct xres *x, bool *matched)
{
    const struct rp_netreach_model *m = c->m;
    if (si < 0) return true;
    const struct nr_subnet *s = NR_AT(m, NK_SUBNET, const struct nr_subnet, si);
    if (s->vpc < 0) return true;
    const struct nr_vpc *v = NR_AT(m, NK_VPC, const struct nr_vpc, s->vpc);
    bool *sg_ok = rp_arena_zalloc(c->a, (nsgs ? nsgs : 1) * sizeof(*sg_ok));
    if (!sg_ok) return false;
    for (uint32_t oi = 0; oi < v->norigins && !x->reachable; oi++) {
        if (!origin_matches(f, &v->origins[oi])) continue;
        const struct nr_origin *o = narrow(c, f, &v->origins[oi]);
        if (!o) return false;
        *matched = true;
        struct evq eq;
        evq_for(m, o, si, sgs, nsgs, sg_filter, &eq);
        struct block b = {0};
        if (!explain_one(c, &eq, o, o->src_text, public_ip, pub_id, pub_type, pub_reason, q, sg_ok,
                         sg_ids, pub_id, pub_type, &b)) {
            if (b.stage == 0) return false;
            block_keep(x, &b);
            continue;
        }
        x->reachable = true;
        struct pathb *p = &x->path;
        for (uint32_t k = 0; k < o->npre; k++)
            pb_add(c, p, o->pre[k].component_id, o->pre[k].component_type, o->pre[k].component_arn,
                   NULL);
        pb_subnet(c, p, si, true, true);
        for (uint32_t k = 0; k < nsgs; k++)
            if (sg_ok[k]) {
                const struct nr_base *g = base_at(m, NK_SG, sgs[k]);
                pb_add(c, p, sg_ids[k], T_SG, g ? g->arn : NULL, NULL);
            }
        for (uint32_t k = 0; k < ntail; k++)
            pb_add(c, p, tail[k].component_id, tail[k].component_type, tail[k].component_arn, NULL);
        if (p->oom) return false;
    }
    return true;
}

static rp_err parse_from(struct rp_arena *a, const char *from, struct from *f, struct rp_errbuf *eb)
{
    memset(f, 0, sizeof(*f));
    if (!strcmp(from, "internet")) {
        f->kind = F_INTERNET;
        f->text = "0.0.0.0/0";
        return RP_OK;
    }
    static const struct {
        const char *pfx;
        int kind;
    } pf[] = {{"vpn:", F_VPN}, {"pcx:", F_PCX}, {"tgw:", F_TGW}};
    for (size_t i = 0; i < RP_ARRAY_LEN(pf); i++)
        if (!strncmp(from, pf[i].pfx, 4)) {
            if (!from[4]) return rp_fail(eb, RP_EINVAL, "netreach: empty id in '%s'", from);
            f->kind = pf[i].kind;
            f->id = from + 4;
            return RP_OK;
        }
    if (!nr_parse_cidr4(from, strlen(from), &f->cidr, NULL))
        return rp_fail(eb, RP_EINVAL,
                       "netreach: '%s' is not internet, vpn:<cgw-id>, pcx:<id>, tgw:<id> or an "
                       "IPv4 CIDR",
                       from);
    f->kind = F_CIDR;
    char t[64];
    nr_fmt_iv(&f->cidr, t, sizeof(t));
    f->text = rp_arena_strdup(a, t);
    return f->text ? RP_OK : rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
}

static bool from_known(const struct rp_netreach_model *m, const struct from *f)
{
    if (f->kind == F_INTERNET || f->kind == F_CIDR) return true;
    if (f->kind == F_PCX) return nr_find(m, NK_PCX, f->id) >= 0;
    if (f->kind == F_VPN) {
        if (nr_find(m, NK_CGW, f->id) >= 0) return true;
        for (size_t i = 0; i < m->v[NK_VPN].n; i++) {
            const struct nr_vpn *p = NR_AT(m, NK_VPN, const struct nr_vpn, i);
            if (valid(&p->b) && p->cgw_id && !strcmp(p->cgw_id, f->id)) return true;
        }
        return false;
    }
    for (size_t i = 0; i < m->v[NK_TGWATT].n; i++) {
        const struct nr_tgwatt *t = NR_AT(m, NK_TGWATT, const struct nr_tgwatt, i);
        if (valid(&t->b) && t->tgw_id && !strcmp(t->tgw_id, f->id)) return true;
    }
    return false;
}

/* Site to site through VPN CloudHub. */
static rp_err cloudhub(const struct rp_netreach_model *m, struct rp_arena *a, const char *cgw_a,
                       const char *cgw_b, struct rp_netreach_verdict *out, struct rp_errbuf *eb)
{
    const struct nr_vpn *best_a = NULL, *best_b = NULL;
    for (size_t i = 0; i < m->v[NK_VPN].n; i++) {
        const struct nr_vpn *p = NR_AT(m, NK_VPN, const struct nr_vpn, i);
        if (!valid(&p->b) || !p->cgw_id || strcmp(p->cgw_id, cgw_a) || !p->vgw_id) continue;
        for (size_t j = 0; j < m->v[NK_VPN].n; j++) {
            const struct nr_vpn *q = NR_AT(m, NK_VPN, const struct nr_vpn, j);
            if (!valid(&q->b) || !q->cgw_id || strcmp(q->cgw_id, cgw_b) || !q->vgw_id ||
                strcmp(q->vgw_id, p->vgw_id))
                continue;
            /* prefer a pair where both use BGP */
            if (!best_a || (!p->static_only && !q->static_only)) {
                best_a = p;
                best_b = q;
            }
        }
    }
    if (!best_a) {
        out->blocked_by_id = cgw_b;
        out->blocked_by_type = "AWS::EC2::CustomerGateway";
        out->reason = rp_arena_printf(a,
                                      "%s and %s have no VPN connections to the same virtual "
                                      "private gateway",
                                      cgw_a, cgw_b);
        return out->reason ? RP_OK : rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    }
    const struct nr_vpn *st = best_a->static_only ? best_a : best_b->static_only ? best_b : NULL;
    if (st) {
        out->blocked_by_id = st->b.id;
        out->blocked_by_type = "AWS::EC2::VPNConnection";
        out->reason = rp_arena_printf(
            a, "VPN CloudHub needs dynamic routing: %s uses static routes", st->b.id);
        return out->reason ? RP_OK : rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    }
    struct rp_netreach_step *s = rp_arena_alloc(a, 5 * sizeof(*s));
    if (!s) return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    const struct nr_base *ga = base_at(m, NK_CGW, best_a->cgw);
    const struct nr_base *gb = base_at(m, NK_CGW, best_b->cgw);
    const struct nr_base *vg = base_at(m, NK_VGW, best_a->vgw);
    s[0] = (struct rp_netreach_step){cgw_a, "AWS::EC2::CustomerGateway", ga ? ga->arn : NULL};
    s[1] = (struct rp_netreach_step){best_a->b.id, "AWS::EC2::VPNConnection", best_a->b.arn};
    s[2] = (struct rp_netreach_step){best_a->vgw_id, "AWS::EC2::VPNGateway", vg ? vg->arn : NULL};
    s[3] = (struct rp_netreach_step){best_b->b.id, "AWS::EC2::VPNConnection", best_b->b.arn};
    s[4] = (struct rp_netreach_step){cgw_b, "AWS::EC2::CustomerGateway", gb ? gb->arn : NULL};
    out->reachable = true;
    out->steps = s;
    out->nsteps = 5;
    return RP_OK;
}

static const char *vpc_of_target(const struct rp_netreach_model *m, const struct target *t)
{
    int32_t si = -1;
    switch (t->k) {
    case NK_INST: {
        const struct nr_inst *in = (const struct nr_inst *)t->b;
        if (in->vpc_id) return in->vpc_id;
        if (in->nats) si = in->ats[0].subnet;
        break;
    }
    case NK_ENI: {
        const struct nr_eni *e = (const struct nr_eni *)t->b;
        if (e->vpc_id) return e->vpc_id;
        si = e->at.subnet;
        break;
    }
    case NK_LB:
        return ((const struct nr_lb *)t->b)->vpc_id;
    default:
        return ((const struct nr_db *)t->b)->vpc_id;
    }
    if (si >= 0) return NR_AT(m, NK_SUBNET, const struct nr_subnet, si)->vpc_id;
    return NULL;
}

rp_err rp_netreach_explain(const struct rp_netreach_model *m, struct rp_arena *a,
                           const struct rp_netreach_query *q, struct rp_netreach_verdict *out,
                           struct rp_errbuf *eb)
{
    memset(out, 0, sizeof(*out));
    if (!m->finished) return rp_fail(eb, RP_EINVAL, "netreach: model not finished");
    if (!q->from || !q->to || !*q->from || !*q->to)
        return rp_fail(eb, RP_EINVAL, "netreach: explain needs from and to");
    if (q->protocol != 6 && q->protocol != 17)
        return rp_fail(eb, RP_EINVAL, "netreach: protocol %d is not tcp (6) or udp (17)",
                       q->protocol);
    struct from f;
    rp_err e = parse_from(a, q->from, &f, eb);
    if (e) return e;
    if (!from_known(m, &f))
        return rp_fail(eb, RP_ENOENT, "netreach: no %s '%s' in the configuration items",
                       f.kind == F_VPN   ? "customer gateway"
                       : f.kind == F_PCX ? "peering connection"
                                         : "transit gateway",
                       f.id);
    if (!strncmp(q->to, "vpn:", 4)) {
        if (f.kind != F_VPN)
            return rp_fail(eb, RP_EINVAL, "netreach: site to site needs --from vpn:<cgw-id>");
        struct from g = {.kind = F_VPN, .id = q->to + 4};
        if (!g.id[0] || !from_known(m, &g))
            return rp_fail(eb, RP_ENOENT,
                           "netreach: no customer gateway '%s' in the "
                           "configuration items",
                           g.id);
        return cloudhub(m, a, f.id, g.id, out, eb);
    }
    struct target t;
    if (!find_target(m, q->to, &t))
        return rp_fail(eb, RP_ENOENT,
                       "netreach: no instance, interface, load balancer or "
                       "database '%s' in the configuration items",
                       q->to);
    struct ectx c;
    struct xres x = {0};
    bool matched = false, ok = ectx_init(&c, m, a);
    struct xq xq = {q->protocol, q->port, q->protocol == 6 ? "tcp" : "udp"};
    const char *pub_reason = rp_arena_printf(a, "%s has no public IPv4 address", t.b->id);
    if (!pub_reason) ok = false;
    if (ok && t.k == NK_INST) {
        const struct nr_inst *in = (const struct nr_inst *)t.b;
        if (!in->running) {
            out->blocked_by_id = in->b.id;
            out->blocked_by_type = T_INST;
            out->reason = rp_arena_printf(a, "%s is not running", in->b.id);
            ectx_release(&c);
            return out->reason ? RP_OK : rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
        }
        for (uint32_t i = 0; i < in->nats && ok && !x.reachable; i++) {
            const struct nr_attach *at = &in->ats[i];
            struct rp_netreach_step tail[2];
            uint32_t nt = 0;
            if (at->eni_id) tail[nt++] = (struct rp_netreach_step){at->eni_id, T_ENI, NULL};
            tail[nt++] = (struct rp_netreach_step){in->b.id, T_INST, in->b.arn};
            const char *pid = at->eni_id ? at->eni_id : in->b.id;
            const char *pr =
                at->eni_id ? rp_arena_printf(a, "%s has no public IPv4 address", pid) : pub_reason;
            ok = pr && explain_iface(&c, &f, at->subnet, at->sgs, at->sg_ids, at->nsgs, true,
                                     at->public_ip, pid, at->eni_id ? T_ENI : T_INST, pr, tail, nt,
                                     &xq, &x, &matched);
        }
        /* through a load balancer in front of it: the listener port */
        int32_t ii = t.idx;
        for (size_t k = 0; k < m->nlbt && ok && !x.reachable; k++) {
            const struct nr_lbt *lt = &m->lbt[k];
            if (lt->inst != ii) continue;
            const struct nr_lb *lb = NR_AT(m, NK_LB, const struct nr_lb, lt->lb);
            if (lt->port >= lb->nports) continue;
            const struct nr_port *lp = &lb->ports[lt->port];
            if (lp->port != q->port || !proto_idx(lp->proto, q->protocol == 6 ? 0 : 1)) continue;
            uint16_t tport = lt->tport ? lt->tport : lp->port;
            for (uint32_t ai = 0; ai < in->nats && ok && !x.reachable; ai++) {
                const struct nr_attach *at = &in->ats[ai];
                struct evq hq;
                if (!hop_eval(&c, lb, at, &hq)) continue;
                if (!eval_all(&c, &hq)) {
                    ok = false;
                    break;
                }
                if (!nr_ps_has(c.res[q->protocol == 6 ? 0 : 1], tport)) continue;
                struct rp_netreach_step *tail = rp_arena_alloc(a, (at->nsgs + 4) * sizeof(*tail));
                if (!tail) {
                    ok = false;
                    break;
                }
                uint32_t nt = 0;
                tail[nt++] = (struct rp_netreach_step){lb->b.id, lb->type, lb->b.arn};
                if (hq.nacl)
                    tail[nt++] = (struct rp_netreach_step){hq.nacl->b.id, T_ACL, hq.nacl->b.arn};
                for (uint32_t s = 0; s < at->nsgs; s++)
                    if (nr_ps_has(c.sgc[2 * s + (q->protocol == 6 ? 0 : 1)], tport)) {
                        const struct nr_base *g = base_at(m, NK_SG, at->sgs[s]);
                        tail[nt++] =
                            (struct rp_netreach_step){at->sg_ids[s], T_SG, g ? g->arn : NULL};
                    }
                if (at->eni_id) tail[nt++] = (struct rp_netreach_step){at->eni_id, T_ENI, NULL};
                tail[nt++] = (struct rp_netreach_step){in->b.id, T_INST, in->b.arn};
                struct xres lx = {0};
                bool lm = false;
                const char *lr = rp_arena_printf(a, "%s is internal", lb->b.id);
                for (uint32_t si = 0; si < lb->nsubnets && ok && !lx.reachable; si++)
                    ok = lr && explain_iface(&c, &f, lb->subnets[si], lb->sgs, lb->sg_ids, lb->nsgs,
                                             lb->has_sgs, lb->internet_facing, lb->b.id, lb->type,
                                             lr, tail, nt, &xq, &lx, &lm);
                if (lx.reachable) {
                    x.reachable = true;
                    x.path = lx.path;
                }
            }
        }
    } else if (ok && t.k == NK_ENI) {
        const struct nr_eni *en = (const struct nr_eni *)t.b;
        struct rp_netreach_step tail[1] = {{en->b.id, T_ENI, en->b.arn}};
        ok = explain_iface(&c, &f, en->at.subnet, en->at.sgs, en->at.sg_ids, en->at.nsgs, true,
                           en->at.public_ip, en->b.id, T_ENI, pub_reason, tail, 1, &xq, &x,
                           &matched);
    } else if (ok && t.k == NK_LB) {
        const struct nr_lb *lb = (const struct nr_lb *)t.b;
        struct rp_netreach_step tail[1] = {{lb->b.id, lb->type, lb->b.arn}};
        const char *lr = rp_arena_printf(a, "%s is internal", lb->b.id);
        for (uint32_t si = 0; si < lb->nsubnets && ok && !x.reachable; si++)
            ok = lr && explain_iface(&c, &f, lb->subnets[si], lb->sgs, lb->sg_ids, lb->nsgs,
                                     lb->has_sgs, lb->internet_facing, lb->b.id, lb->type, lr, tail,
                                     1, &xq, &x, &matched);
        bool listens = !lb->nports;
        for (uint32_t i = 0; i < lb->nports; i++)
            if (lb->ports[i].port == q->port &&
                proto_idx(lb->ports[i].proto, q->protocol == 6 ? 0 : 1))
                listens = true;
        if (ok && x.reachable && !listens) {
            x.reachable = false;
            x.have_block = true;
            x.best = (struct block){9, lb->b.id, lb->type,
                                    rp_arena_printf(a, "%s has no listener on %s/%u", lb->b.id,
                                                    xq.pname, (unsigned)q->port)};
        }
    } else if (ok) {
        const struct nr_db *db = (const struct nr_db *)t.b;
        struct rp_netreach_step tail[1] = {{db->b.id, T_DB, db->b.arn}};
        const char *dr = rp_arena_printf(a, "%s is not publicly accessible", db->b.id);
        for (uint32_t si = 0; si < db->nsubnets && ok && !x.reachable; si++)
            ok = dr &&
                 explain_iface(&c, &f, db->subnets[si], db->sgs, db->sg_ids, db->nsgs, true,
                               db->public_access, db->b.id, T_DB, dr, tail, 1, &xq, &x, &matched);
        if (ok && x.reachable && db->port && (db->port != q->port || q->protocol != 6)) {
            x.reachable = false;
            x.have_block = true;
            x.best = (struct block){
                9, db->b.id, T_DB,
                rp_arena_printf(a, "%s listens on tcp/%u only", db->b.id, (unsigned)db->port)};
        }
    }
    ectx_release(&c);
    if (!ok) return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    if (x.reachable) {
        out->reachable = true;
        out->steps = x.path.v;
        out->nsteps = x.path.n;
        return RP_OK;
    }
    if (x.have_block) {
        out->blocked_by_id = x.best.id;
        out->blocked_by_type = x.best.type;
        out->reason = x.best.reason;
        return out->reason ? RP_OK : rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
    }
    /* no origin of that kind leads into the resource's VPC */
    const char *vpc = vpc_of_target(m, &t);
    if (!vpc) vpc = "its VPC";
    out->blocked_by_id = vpc;
    out->blocked_by_type = T_VPC;
    switch (f.kind) {
    case F_INTERNET:
        out->reason = rp_arena_printf(a, "%s has no internet gateway attached", vpc);
        break;
    case F_VPN:
        out->blocked_by_id = f.id;
        out->blocked_by_type = "AWS::EC2::CustomerGateway";
        out->reason = rp_arena_printf(a, "no VPN connection of %s reaches %s", f.id, vpc);
        break;
    case F_PCX:
        out->blocked_by_id = f.id;
        out->blocked_by_type = "AWS::EC2::VPCPeeringConnection";
        out->reason = rp_arena_printf(a, "%s does not connect %s", f.id, vpc);
        break;
    case F_TGW:
        out->blocked_by_id = f.id;
        out->blocked_by_type = "AWS::EC2::TransitGateway";
        out->reason = rp_arena_printf(a, "%s is not attached to %s", f.id, vpc);
        break;
    default:
        out->reason = rp_arena_printf(a, "no gateway of %s leads to %s", vpc, f.text);
        break;
    }
    (void)matched;
    return out->reason ? RP_OK : rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
}
