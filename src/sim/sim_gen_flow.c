/* SPDX-License-Identifier: Apache-2.0 */
/* sim_gen_flow: ordinary VPC Flow Log traffic of every flow-logged VPC, hour by hour, in each
 * VPC's own format (default v2, or the custom v5 field order of one VPC; sim_stream formats).
 *
 * Per workload, with stable ports so per-instance baselines have something to learn:
 *   - internet clients -> load balancer ENIs on the listener port (443/80), customer-driven
 *     diurnal and weekly rhythm; load balancer -> web targets on the target port (keep-alive
 *     connections reported per 10-minute window);
 *   - web -> app on 8080, app -> databases (EC2 on 5432, RDS on its port) over pooled
 *     connections; VPC Lambda functions -> RDS;
 *   - every instance -> its outside destinations on 443/80 (AWS endpoints, package mirrors,
 *     partner APIs, GitHub for CI runners; the table in sim_activity.c that the DNS generator
 *     resolves too), through the VPC's NAT gateway when the instance has no public address
 *     (four records on the NAT ENI per connection, as AWS logs them);
 *   - EKS nodes <-> the control-plane ENIs (443 and kubelet 10250) and pod traffic between
 *     nodes (pod addresses in pkt-srcaddr/pkt-dstaddr);
 *   - admins -> bastion on 22 from the office in working hours, bastion -> hosts on 22;
 *   - a little background internet scanning rejected at instances with a public address (a
 *     few probes an hour from distinct sources, far below any brute-force or scan threshold);
 *   - NODATA for 10-minute windows in which an interface saw nothing, rare SKIPDATA.
 * Never logged, as in AWS: DNS to the VPC resolver, the metadata service, Amazon Time Sync.
 * Each (VPC, hour) and (ENI, hour) draws from its own PRNG stream; memory is one byte per ENI. */
#define RP_LOG_MODULE "sim"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_activity.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define H_MS  RP_TIME_MS_PER_HOUR
#define WIN_S 600 /* aggregation interval */

struct flow_state {
    uint8_t *seen; /* per ENI: bit w = a record in 10-minute window w of the hour */
    uint32_t cap;
};

struct fg {
    struct rp_sim_run *run;
    const struct rp_sim_world *w;
    struct flow_state *st;
    struct rp_sim_rng *r;
    int64_t hour_s;
    struct rp_errbuf *eb;
};

static void mark(struct fg *g, uint32_t eni, int64_t start_s)
{
    if (eni >= g->st->cap) return;
    int64_t win = (start_s - g->hour_s) / WIN_S;
    if (win >= 0 && win < 6) g->st->seen[eni] |= (uint8_t)(1u << win);
}

static bool logged(const struct rp_sim_world *w, uint32_t eni)
{
    if (eni >= w->nenis || w->enis[eni].res.deleted_ms) return false;
    uint32_t v = w->enis[eni].vpc;
    return v < w->nvpcs && w->vpcs[v].flow_format != RP_SIM_FLOW_NONE && !w->vpcs[v].res.deleted_ms;
}

static rp_err conn(struct fg *g, const struct rp_sim_conn *c)
{
    if (!logged(g->w, c->eni)) return RP_OK;
    mark(g, c->eni, c->start_s);
    return rp_sim_flow_conn_emit(g->run, c, g->eb);
}

static uint64_t jitter(struct fg *g, uint64_t base)
{
    if (base < 4) return base + rp_sim_rng_below(g->r, 3);
    return base / 2 + rp_sim_rng_below64(g->r, base);
}

static uint64_t pkts(uint64_t bytes)
{
    return bytes / 1200 + 2 + bytes % 3;
}

static uint16_t eph(struct fg *g)
{
    return (uint16_t)(32768 + rp_sim_rng_below(g->r, 28000));
}

/* A stable ephemeral port for a pooled connection (same 5-tuple across windows of a day). */
static uint16_t pooled_port(const struct rp_sim_world *w, uint32_t a, uint32_t b, uint32_t slot,
                            int64_t hour_s)
{
    uint64_t h = rp_sim_mix(rp_sim_mix(w->seed, ((uint64_t)a << 32) | b),
                            (uint64_t)(hour_s / 86400) * 16 + slot);
    return (uint16_t)(32768 + h % 28000);
}

static uint32_t nat_eni_of(const struct rp_sim_world *w, uint32_t vpc)
{
    for (uint32_t i = 0; i < w->nnatgws; i++)
        if (w->natgws[i].vpc == vpc && !w->natgws[i].res.deleted_ms) return w->natgws[i].eni;
    return RP_SIM_NONE;
}

/* One connection from a private address out to the internet, seen on the source ENI and, when
 * it leaves through the NAT gateway, the NAT gateway's four records. */
static rp_err outbound(struct fg *g, uint32_t eni, const char *remote, uint16_t port,
                       const char *svc, uint64_t out_b, uint64_t in_b, int64_t t, int64_t dur)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_eni *e = &w->enis[eni];
    uint16_t sport = eph(g);
    bool public_ip = e->public_ip[0] != '\0';
    uint32_t nat = public_ip ? RP_SIM_NONE : nat_eni_of(w, e->vpc);
    struct rp_sim_conn c = {0};
    c.eni = eni;
    c.remote_ip = remote;
    c.local_port = sport;
    c.remote_port = port;
    c.protocol = 6;
    c.req_bytes = out_b;
    c.req_packets = pkts(out_b);
    c.resp_bytes = in_b;
    c.resp_packets = pkts(in_b);
    c.start_s = t;
    c.end_s = t + dur;
    c.remote_service = svc;
    c.traffic_path = public_ip ? 8 : 1;
    rp_err err = conn(g, &c);
    if (err != RP_OK || nat == RP_SIM_NONE || !logged(w, nat)) return err;
    /* on the NAT ENI: instance -> remote in, NAT -> remote out, and the two replies */
    const char *nat_ip = w->enis[nat].private_ip;
    uint16_t nport = (uint16_t)(1024 + rp_sim_rng_below(g->r, 64000));
    struct rp_sim_flow f;
    rp_sim_flow_init(&f);
    f.eni = nat;
    f.protocol = 6;
    f.start_s = t;
    f.end_s = t + dur;
    mark(g, nat, t);
    /* in from the instance */
    f.srcaddr = e->private_ip;
    f.dstaddr = remote;
    f.srcport = sport;
    f.dstport = port;
    f.packets = c.req_packets;
    f.bytes = out_b;
    f.tcp_flags = 3;
    f.egress = false;
    f.pkt_dst_service = svc;
    if ((err = rp_sim_emit_flow(g->run, &f, g->eb)) != RP_OK) return err;
    /* out to the remote, translated */
    f.srcaddr = nat_ip;
    f.srcport = nport;
    f.egress = true;
    f.traffic_path = 8;
    if ((err = rp_sim_emit_flow(g->run, &f, g->eb)) != RP_OK) return err;
    /* reply from the remote */
    f.srcaddr = remote;
    f.dstaddr = nat_ip;
    f.srcport = port;
    f.dstport = nport;
    f.packets = c.resp_packets;
    f.bytes = in_b;
    f.tcp_flags = 19;
    f.egress = false;
    f.traffic_path = 0;
    f.pkt_dst_service = NULL;
    f.pkt_src_service = svc;
    if ((err = rp_sim_emit_flow(g->run, &f, g->eb)) != RP_OK) return err;
    /* reply forwarded to the instance */
    f.dstaddr = e->private_ip;
    f.dstport = sport;
    f.egress = true;
    f.traffic_path = 1;
    return rp_sim_emit_flow(g->run, &f, g->eb);
}

/* A connection between two ENIs of the same VPC: recorded on both. */
static rp_err internal(struct fg *g, uint32_t from, uint32_t to, uint16_t sport, uint16_t dport,
                       uint64_t req, uint64_t resp, int64_t t, int64_t dur, bool ongoing,
                       const char *pkt_from, const char *pkt_to)
{
    const struct rp_sim_world *w = g->w;
    struct rp_sim_conn c = {0};
    c.eni = from;
    c.remote_ip = w->enis[to].private_ip;
    c.local_port = sport;
    c.remote_port = dport;
    c.protocol = 6;
    c.req_bytes = req;
    c.req_packets = pkts(req);
    c.resp_bytes = resp;
    c.resp_packets = pkts(resp);
    c.start_s = t;
    c.end_s = t + dur;
    c.ongoing = ongoing;
    c.traffic_path = 1;
    c.pkt_local_ip = pkt_from;
    rp_err e = conn(g, &c);
    if (e != RP_OK) return e;
    c.eni = to;
    c.inbound = true;
    c.remote_ip = w->enis[from].private_ip;
    c.local_port = dport;
    c.remote_port = sport;
    c.pkt_local_ip = pkt_to;
    return conn(g, &c);
}

/* Pooled connections from ENI a to ENI b on port, one record pair per 10-minute window. */
static rp_err pooled(struct fg *g, uint32_t a, uint32_t b, uint16_t port, uint32_t nconn,
                     uint64_t req_per_win, uint64_t resp_per_win, uint32_t diurnal)
{
    rp_err e = RP_OK;
    nconn *= rp_sim_act_mean(g->w, 1); /* busier estates keep bigger pools */
    for (uint32_t k = 0; k < nconn && e == RP_OK; k++) {
        uint16_t sport = pooled_port(g->w, a, b, k, g->hour_s);
        for (int win = 0; win < 6 && e == RP_OK; win++) {
            int64_t t = g->hour_s + win * WIN_S + rp_sim_rng_below(g->r, 20);
            uint64_t rq = jitter(g, req_per_win * diurnal / 1000 + 200);
            uint64_t rs = jitter(g, resp_per_win * diurnal / 1000 + 200);
            e = internal(g, a, b, sport, port, rq, rs, t, WIN_S - 30 - rp_sim_rng_below(g->r, 20),
                         true, NULL, NULL);
        }
    }
    return e;
}

static uint32_t instance_of(const struct rp_sim_world *w, uint32_t eni)
{
    const struct rp_sim_eni *e = &w->enis[eni];
    return e->use == RP_SIM_ENI_INSTANCE && e->owner < w->ninstances ? e->owner : RP_SIM_NONE;
}

static bool running(const struct rp_sim_world *w, uint32_t inst)
{
    return inst < w->ninstances && !w->instances[inst].res.deleted_ms &&
           strcmp(w->instances[inst].state, "running") == 0;
}

/* The ENIs of a VPC's instances of a workload, at most max. */
static uint32_t workload_enis(const struct rp_sim_world *w, uint32_t vpc, enum rp_sim_workload wl,
                              uint32_t *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < w->ninstances && n < max; i++) {
        const struct rp_sim_instance *in = &w->instances[i];
        if (in->vpc == vpc && in->workload == wl && running(w, i) && in->eni < w->nenis)
            out[n++] = in->eni;
    }
    return n;
}

/* Outside destinations of instance inst (rp_sim_dest_conns, shared with the DNS generator). */
static rp_err instance_outbound(struct fg *g, uint32_t inst)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_instance *in = &w->instances[inst];
    rp_err e = RP_OK;
    char host[RP_SIM_DNS_SZ + 64], ip[RP_SIM_IP_SZ];
    struct rp_sim_dest_conn cs[64];
    for (size_t d = 0; d < rp_sim_ndests && e == RP_OK; d++) {
        const struct rp_sim_dest *ds = &rp_sim_dests[d];
        uint32_t n = rp_sim_dest_conns(w, inst, d, g->hour_s * 1000, cs, 64);
        if (n == 0) continue;
        rp_sim_dest_host(w, ds, in->res.acct, in->res.region, host, sizeof(host));
        for (uint32_t k = 0; k < n && e == RP_OK; k++) {
            rp_sim_dest_addr(w, ds, host, cs[k].addr, ip);
            e = outbound(g, in->eni, ip, ds->port, ds->aws_service, cs[k].out_b, cs[k].in_b,
                         cs[k].t_ms / 1000, cs[k].dur_s);
        }
    }
    return e;
}

/* ---- per VPC -------------------------------------------------------------------------------- */

#define MAXW 64

static rp_err vpc_hour(struct fg *g, uint32_t vpc)
{
    const struct rp_sim_world *w = g->w;
    int64_t hour_ms = g->hour_s * 1000;
    uint32_t diurnal = rp_sim_act_diurnal(hour_ms, 0, false);
    uint32_t web[MAXW], app[MAXW], db[MAXW], bastion[MAXW], nodes[MAXW];
    uint32_t nweb = workload_enis(w, vpc, RP_SIM_WL_WEB, web, MAXW);
    uint32_t napp = workload_enis(w, vpc, RP_SIM_WL_APP, app, MAXW);
    uint32_t ndb = workload_enis(w, vpc, RP_SIM_WL_DB, db, MAXW);
    uint32_t nbast = workload_enis(w, vpc, RP_SIM_WL_BASTION, bastion, MAXW);
    uint32_t nnodes = workload_enis(w, vpc, RP_SIM_WL_K8S_NODE, nodes, MAXW);
    rp_err e = RP_OK;

    /* load balancers: clients in, keep-alive to the targets */
    for (uint32_t l = 0; l < w->nlbs && e == RP_OK; l++) {
        const struct rp_sim_lb *lb = &w->lbs[l];
        if (lb->vpc != vpc || lb->res.deleted_ms || lb->nenis == 0) continue;
        uint16_t lport = lb->nlisteners ? lb->listeners[0].port : 443;
        for (uint32_t i = 0; i < lb->nlisteners; i++)
            if (lb->listeners[i].port == 443) lport = 443;
        uint32_t n = lb->internet_facing
                         ? rp_sim_rng_count(g->r, rp_sim_act_mean(w, 90 * diurnal / 1000 + 5))
                         : 0;
        for (uint32_t k = 0; k < n && e == RP_OK; k++) {
            char client[RP_SIM_IP_SZ];
            rp_sim_ip_isp(g->r, client);
            struct rp_sim_conn c = {0};
            c.eni = lb->enis[rp_sim_rng_below(g->r, lb->nenis)];
            c.inbound = true;
            c.remote_ip = client;
            c.local_port = lport;
            c.remote_port = eph(g);
            c.protocol = 6;
            c.req_bytes = jitter(g, 1800);
            c.req_packets = pkts(c.req_bytes);
            c.resp_bytes = jitter(g, 42000);
            c.resp_packets = pkts(c.resp_bytes);
            c.start_s = g->hour_s + rp_sim_rng_below(g->r, 3590);
            c.end_s = c.start_s + 1 + rp_sim_rng_below(g->r, 30);
            c.traffic_path = 8;
            e = conn(g, &c);
        }
        for (uint32_t i = 0; i < lb->ntargets && e == RP_OK; i++) {
            uint32_t t = lb->targets[i];
            if (!running(w, t)) continue;
            e = pooled(g, lb->enis[i % lb->nenis], w->instances[t].eni,
                       lb->target_port ? lb->target_port : 80, 1, 60000, 900000, diurnal);
        }
    }
    /* web -> app, app -> databases */
    for (uint32_t i = 0; i < nweb && napp && e == RP_OK; i++)
        e = pooled(g, web[i], app[i % napp], 8080, 1, 30000, 120000, diurnal);
    uint32_t rds[MAXW], nrds = 0;
    uint16_t rds_port[MAXW];
    for (uint32_t i = 0; i < w->ndb_instances && nrds < MAXW; i++) {
        const struct rp_sim_db_instance *d = &w->db_instances[i];
        if (d->vpc == vpc && !d->res.deleted_ms && d->eni < w->nenis) {
            rds_port[nrds] = d->port;
            rds[nrds++] = d->eni;
        }
    }
    for (uint32_t i = 0; i < napp && e == RP_OK; i++) {
        if (ndb) e = pooled(g, app[i], db[i % ndb], 5432, 2, 8000, 60000, diurnal);
        if (nrds && e == RP_OK)
            e = pooled(g, app[i], rds[i % nrds], rds_port[i % nrds], 1, 6000, 40000, diurnal);
    }
    /* VPC Lambda functions: a short burst to the database each hour */
    for (uint32_t i = 0; i < w->nenis && e == RP_OK; i++) {
        const struct rp_sim_eni *en = &w->enis[i];
        if (en->vpc != vpc || en->use != RP_SIM_ENI_LAMBDA || en->res.deleted_ms || !nrds) continue;
        if (!rp_sim_rng_chance(g->r, 500)) continue;
        int64_t t = g->hour_s + rp_sim_rng_below(g->r, 3500);
        e = internal(g, i, rds[0], eph(g), rds_port[0], jitter(g, 3000), jitter(g, 9000), t,
                     2 + rp_sim_rng_below(g->r, 5), false, NULL, NULL);
    }
    /* EKS: nodes <-> control plane, pod traffic between nodes */
    uint32_t cp[8], ncp = 0;
    for (uint32_t i = 0; i < w->nenis && ncp < 8; i++)
        if (w->enis[i].vpc == vpc && w->enis[i].use == RP_SIM_ENI_EKS && !w->enis[i].res.deleted_ms)
            cp[ncp++] = i;
    for (uint32_t i = 0; i < nnodes && e == RP_OK; i++) {
        if (ncp) {
            e = pooled(g, nodes[i], cp[i % ncp], 443, 2, 40000, 90000, 1000);
            if (e == RP_OK) e = pooled(g, cp[(i + 1) % ncp], nodes[i], 10250, 1, 4000, 30000, 1000);
        }
        if (nnodes > 1 && e == RP_OK) {
            uint32_t peer = nodes[(i + 1) % nnodes];
            const struct rp_sim_eni *a = &w->enis[nodes[i]], *b = &w->enis[peer];
            const struct rp_sim_subnet *sa = &w->subnets[a->subnet], *sb = &w->subnets[b->subnet];
            char pa[RP_SIM_IP_SZ], pb[RP_SIM_IP_SZ];
            uint32_t ha = 200 + (uint32_t)(rp_sim_mix(w->seed, nodes[i]) % 40);
            uint32_t hb = 200 + (uint32_t)(rp_sim_mix(w->seed, peer) % 40);
            if (rp_sim_ip_in_cidr(sa->cidr, ha, true, pa, sizeof(pa)) != RP_OK ||
                rp_sim_ip_in_cidr(sb->cidr, hb, true, pb, sizeof(pb)) != RP_OK)
                continue;
            uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, 12 * diurnal / 1000 + 2));
            for (uint32_t k = 0; k < n && e == RP_OK; k++)
                e = internal(g, nodes[i], peer, eph(g), 8080, jitter(g, 1500), jitter(g, 9000),
                             g->hour_s + rp_sim_rng_below(g->r, 3590),
                             1 + rp_sim_rng_below(g->r, 3), false, pa, pb);
        }
    }
    /* admins through the bastion, in working hours */
    for (uint32_t bi = 0; bi < nbast && e == RP_OK; bi++) {
        uint32_t acct = w->enis[bastion[bi]].res.acct;
        for (uint32_t u = 0; u < w->nusers && e == RP_OK; u++) {
            const struct rp_sim_user *us = &w->users[u];
            if (us->res.acct != acct || us->kind != RP_SIM_USER_ADMIN || us->res.deleted_ms ||
                us->habits.nips < 2 || !rp_sim_habits_active(&us->habits, hour_ms))
                continue;
            if (!rp_sim_rng_chance(g->r, 250)) continue;
            int64_t t = g->hour_s + rp_sim_rng_below(g->r, 3000);
            int64_t dur = 60 + rp_sim_rng_below(g->r, 500);
            struct rp_sim_conn c = {0};
            c.eni = bastion[bi];
            c.inbound = true;
            c.remote_ip = us->habits.ips[1]; /* the office */
            c.local_port = 22;
            c.remote_port = eph(g);
            c.protocol = 6;
            c.req_bytes = jitter(g, 30000);
            c.req_packets = pkts(c.req_bytes) * 4;
            c.resp_bytes = jitter(g, 90000);
            c.resp_packets = pkts(c.resp_bytes) * 2;
            c.start_s = t;
            c.end_s = t + dur;
            c.traffic_path = 8;
            e = conn(g, &c);
            uint32_t hops[MAXW * 2], nh = 0;
            for (uint32_t i = 0; i < napp && nh < MAXW * 2; i++) hops[nh++] = app[i];
            for (uint32_t i = 0; i < ndb && nh < MAXW * 2; i++) hops[nh++] = db[i];
            if (nh && e == RP_OK)
                e = internal(g, bastion[bi], hops[rp_sim_rng_below(g->r, nh)], eph(g), 22,
                             jitter(g, 20000), jitter(g, 60000), t + 5, dur - 10, false, NULL,
                             NULL);
        }
    }
    /* every instance: its outside destinations; background scanning of public addresses */
    for (uint32_t i = 0; i < w->ninstances && e == RP_OK; i++) {
        const struct rp_sim_instance *in = &w->instances[i];
        if (in->vpc != vpc || !running(w, i) || in->eni >= w->nenis) continue;
        struct rp_sim_rng *vr = g->r, ir;
        rp_sim_rng_initf(&ir, w->seed, "act-flow/i%u/h%lld", i, (long long)(g->hour_s / 3600));
        g->r = &ir;
        e = instance_outbound(g, i);
        if (e == RP_OK && in->public_ip[0]) {
            static const uint16_t ports[] = {23, 445, 3389, 8080, 22, 5900, 6379, 1433, 8443, 81};
            uint32_t n = rp_sim_rng_count(&ir, 2);
            for (uint32_t k = 0; k < n && e == RP_OK; k++) {
                char src[RP_SIM_IP_SZ];
                rp_sim_ip_isp(&ir, src);
                uint16_t port = ports[rp_sim_rng_below(&ir, RP_ARRAY_LEN(ports))];
                bool open = false;
                for (uint32_t p = 0; p < in->nports; p++) open |= in->listen_ports[p] == port;
                if (open && port != 22) continue; /* only rejected probes here */
                int64_t t = g->hour_s + rp_sim_rng_below(&ir, 3599);
                mark(g, in->eni, t);
                if (logged(w, in->eni))
                    e = rp_sim_flow_probe_emit(g->run, in->eni, src, eph(g), port, 6, t, g->eb);
            }
        }
        g->r = vr;
    }
    return e;
}

/* NODATA for the windows in which a logged interface had no traffic (and now and then a
 * SKIPDATA record instead). */
static rp_err quiet_windows(struct fg *g, uint32_t vpc)
{
    const struct rp_sim_world *w = g->w;
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < w->nenis && e == RP_OK; i++) {
        const struct rp_sim_eni *en = &w->enis[i];
        if (en->vpc != vpc || !logged(w, i)) continue;
        if (en->use != RP_SIM_ENI_INSTANCE && en->use != RP_SIM_ENI_LAMBDA &&
            en->use != RP_SIM_ENI_RDS && en->use != RP_SIM_ENI_VPC_ENDPOINT)
            continue;
        uint32_t inst = instance_of(w, i);
        if (inst != RP_SIM_NONE && !running(w, inst)) continue;
        for (int win = 0; win < 6 && e == RP_OK; win++) {
            int64_t s = g->hour_s + win * WIN_S;
            bool skip = rp_sim_rng_chance(g->r, 1) && rp_sim_rng_chance(g->r, 500);
            if (i < g->st->cap && (g->st->seen[i] & (1u << win)) && !skip) continue;
            e = rp_sim_flow_status_emit(g->run, i, s + rp_sim_rng_below(g->r, 30),
                                        s + WIN_S - 1 - rp_sim_rng_below(g->r, 30), skip, g->eb);
        }
    }
    return e;
}

static rp_err flow_hour(struct rp_sim_run *run, void *state, int64_t hour, struct rp_errbuf *eb)
{
    struct flow_state *st = state;
    const struct rp_sim_world *w = run->world;
    if (w->nenis > st->cap) {
        uint8_t *p = realloc(st->seen, w->nenis);
        if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        st->seen = p;
        st->cap = w->nenis;
    }
    memset(st->seen, 0, st->cap);
    struct rp_sim_rng r;
    struct fg g = {run, w, st, &r, hour / 1000, eb};
    rp_err e = RP_OK;
    for (uint32_t v = 0; v < w->nvpcs && e == RP_OK; v++) {
        if (w->vpcs[v].flow_format == RP_SIM_FLOW_NONE || w->vpcs[v].res.deleted_ms) continue;
        rp_sim_rng_initf(&r, w->seed, "act-flow/v%u/h%lld", v, (long long)(hour / H_MS));
        g.r = &r;
        e = vpc_hour(&g, v);
        if (e == RP_OK) e = quiet_windows(&g, v);
    }
    return e;
}

static void flow_release(struct rp_sim_run *run, void *state)
{
    (void)run;
    struct flow_state *st = state;
    free(st->seen);
    st->seen = NULL;
    st->cap = 0;
}

const struct rp_sim_gen rp_sim_gen_activity_flow = {
    .name = "activity-flow",
    .summary = "ordinary VPC flow-log traffic of every flow-logged VPC",
    .state_size = sizeof(struct flow_state),
    .hour = flow_hour,
    .release = flow_release,
};
