/* SPDX-License-Identifier: Apache-2.0 */
/* sim_gen_dns: ordinary Route 53 Resolver query logs of every VPC with query logging.
 *
 * Each instance resolves the outside destinations it connects to in that hour (the same
 * rp_sim_dest_conns the flow generator uses, so every connection has its lookup), again only
 * when the cached answer has expired (60 s for AWS endpoints, 300 s for others): an A query,
 * an AAAA query from glibc-based systems (empty NOERROR for IPv4-only names), S3 answers as a
 * CNAME chain, apt's SRV probe before a mirror. Inside the VPC: app hosts resolve their
 * databases (RDS endpoints and EC2 database hosts), web hosts the app hosts, EKS nodes the
 * cluster endpoint, some hosts reverse-resolve peers (PTR); EKS pods' search-domain expansions
 * and a decommissioned internal name give the usual NXDOMAIN noise. VPC Lambda functions
 * resolve their secret and database endpoints (no srcids.instance). Nothing here looks like
 * DGA, tunnelling or a bad-reputation domain: those are attacks. Each (instance, hour) and
 * (VPC, hour) has its own PRNG stream; nothing is kept between hours. */
#define RP_LOG_MODULE "sim"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_activity.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define H_MS RP_TIME_MS_PER_HOUR

struct dg {
    struct rp_sim_run *run;
    const struct rp_sim_world *w;
    struct rp_sim_rng *r;
    int64_t hour;
    struct rp_errbuf *eb;
};

static int64_t clamp(const struct dg *g, int64_t t)
{
    if (t < g->hour) return g->hour;
    if (t >= g->hour + H_MS) return g->hour + H_MS - 1;
    return t;
}

static rp_err query(struct dg *g, struct rp_sim_dns_query *q, const char *src, uint32_t inst)
{
    q->srcaddr = src;
    q->srcport = (uint16_t)(1024 + rp_sim_rng_below(g->r, 64000));
    q->instance = inst;
    q->ts_ms = clamp(g, q->ts_ms);
    return rp_sim_dns_query_emit(g->run, q, g->eb);
}

static bool glibc(const struct rp_sim_instance *in)
{
    return in->os == RP_SIM_OS_UBUNTU || in->os == RP_SIM_OS_DEBIAN;
}

static int cmp_conn(const void *a, const void *b)
{
    const struct rp_sim_dest_conn *x = a, *y = b;
    if (x->t_ms != y->t_ms) return x->t_ms < y->t_ms ? -1 : 1;
    if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1; /* total order: qsort is not */
    return x->dur_s < y->dur_s ? -1 : x->dur_s > y->dur_s;     /* stable across libcs */
}

/* The lookups of one destination's connections, with caching. */
static rp_err dest_lookups(struct dg *g, uint32_t inst, size_t d)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_instance *in = &w->instances[inst];
    const struct rp_sim_dest *ds = &rp_sim_dests[d];
    struct rp_sim_dest_conn cs[64];
    uint32_t n = rp_sim_dest_conns(w, inst, d, g->hour, cs, 64);
    if (n == 0) return RP_OK;
    qsort(cs, n, sizeof(cs[0]), cmp_conn);
    char host[RP_SIM_DNS_SZ + 64], a0[RP_SIM_IP_SZ], a1[RP_SIM_IP_SZ], a2[RP_SIM_IP_SZ];
    char cname[RP_SIM_DNS_SZ + 64], nx[RP_SIM_DNS_SZ + 96], srv[RP_SIM_DNS_SZ + 80];
    rp_sim_dest_host(w, ds, in->res.acct, in->res.region, host, sizeof(host));
    rp_sim_dest_addr(w, ds, host, 0, a0);
    rp_sim_dest_addr(w, ds, host, 1, a1);
    rp_sim_dest_addr(w, ds, host, 2, a2);
    bool s3 = ds->aws_service && strcmp(ds->aws_service, "S3") == 0;
    if (s3) snprintf(cname, sizeof(cname), "s3-r-w.%s.amazonaws.com.", w->regions[in->res.region]);
    int64_t ttl = ds->aws_service ? 60000 : 300000;
    int64_t last = INT64_MIN / 2;
    rp_err e = RP_OK;
    for (uint32_t k = 0; k < n && e == RP_OK; k++) {
        if (cs[k].t_ms - last < ttl) continue;
        last = cs[k].t_ms;
        int64_t t = cs[k].t_ms - 2 - rp_sim_rng_below(g->r, 200);
        struct rp_sim_dns_query q;
        if (in->workload == RP_SIM_WL_K8S_NODE && !ds->aws_service &&
            rp_sim_rng_chance(g->r, 400)) {
            snprintf(nx, sizeof(nx), "%s.ec2.internal", host);
            rp_sim_dns_query_init(&q, in->vpc, t - 3, nx);
            q.rcode = "NXDOMAIN";
            e = query(g, &q, in->private_ip, inst);
        }
        if (e == RP_OK && ds->port == 80 && in->os == RP_SIM_OS_UBUNTU) {
            snprintf(srv, sizeof(srv), "_http._tcp.%s", host);
            rp_sim_dns_query_init(&q, in->vpc, t - 1, srv);
            q.query_type = "SRV";
            e = query(g, &q, in->private_ip, inst);
        }
        if (e != RP_OK) break;
        rp_sim_dns_query_init(&q, in->vpc, t, host);
        if (s3) rp_sim_dns_query_answer(&q, "CNAME", cname);
        rp_sim_dns_query_answer(&q, "A", a0);
        rp_sim_dns_query_answer(&q, "A", a1);
        if (ds->aws_service) rp_sim_dns_query_answer(&q, "A", a2);
        e = query(g, &q, in->private_ip, inst);
        if (e == RP_OK && glibc(in)) {
            rp_sim_dns_query_init(&q, in->vpc, t, host);
            q.query_type = "AAAA";
            if (s3) rp_sim_dns_query_answer(&q, "CNAME", cname);
            e = query(g, &q, in->private_ip, inst);
        }
    }
    return e;
}

/* A lookup of an internal name answered with one private address. */
static rp_err internal_lookup(struct dg *g, uint32_t inst, const char *name, const char *addr,
                              int64_t t)
{
    const struct rp_sim_instance *in = &g->w->instances[inst];
    struct rp_sim_dns_query q;
    rp_sim_dns_query_init(&q, in->vpc, t, name);
    rp_sim_dns_query_answer(&q, "A", addr);
    return query(g, &q, in->private_ip, inst);
}

static rp_err ptr_lookup(struct dg *g, uint32_t inst, const struct rp_sim_instance *peer, int64_t t)
{
    const struct rp_sim_instance *in = &g->w->instances[inst];
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (sscanf(peer->private_ip, "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return RP_OK;
    char name[64], ans[RP_SIM_DNS_SZ + 2];
    snprintf(name, sizeof(name), "%u.%u.%u.%u.in-addr.arpa", d, c, b, a);
    snprintf(ans, sizeof(ans), "%s.", peer->private_dns);
    struct rp_sim_dns_query q;
    rp_sim_dns_query_init(&q, in->vpc, t, name);
    q.query_type = "PTR";
    rp_sim_dns_query_answer(&q, "PTR", ans);
    return query(g, &q, in->private_ip, inst);
}

static int64_t in_hour(struct dg *g)
{
    return g->hour + (int64_t)rp_sim_rng_below(g->r, 3599) * 1000 + rp_sim_rng_below(g->r, 1000);
}

/* Lookups inside the VPC by instance inst. */
static rp_err internal_lookups(struct dg *g, uint32_t inst)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_instance *in = &w->instances[inst];
    rp_err e = RP_OK;
    switch (in->workload) {
    case RP_SIM_WL_APP:
        for (uint32_t i = 0; i < w->ndb_instances && e == RP_OK; i++) {
            const struct rp_sim_db_instance *db = &w->db_instances[i];
            if (db->vpc != in->vpc || db->res.deleted_ms || db->eni >= w->nenis) continue;
            uint32_t n = 1 + rp_sim_rng_below(g->r, 2);
            for (uint32_t k = 0; k < n && e == RP_OK; k++)
                e = internal_lookup(g, inst, db->endpoint, w->enis[db->eni].private_ip, in_hour(g));
        }
        for (uint32_t i = 0; i < w->ninstances && e == RP_OK; i++) {
            const struct rp_sim_instance *p = &w->instances[i];
            if (p->vpc == in->vpc && p->workload == RP_SIM_WL_DB && !p->res.deleted_ms)
                e = internal_lookup(g, inst, p->private_dns, p->private_ip, in_hour(g));
        }
        break;
    case RP_SIM_WL_WEB:
        for (uint32_t i = 0; i < w->ninstances && e == RP_OK; i++) {
            const struct rp_sim_instance *p = &w->instances[i];
            if (p->vpc == in->vpc && p->workload == RP_SIM_WL_APP && !p->res.deleted_ms &&
                rp_sim_rng_chance(g->r, 600))
                e = internal_lookup(g, inst, p->private_dns, p->private_ip, in_hour(g));
        }
        break;
    case RP_SIM_WL_K8S_NODE:
        if (in->eks < w->neks) {
            const struct rp_sim_eks *k = &w->eks[in->eks];
            const char *host = k->endpoint;
            if (strncmp(host, "https://", 8) == 0) host += 8;
            uint32_t cp[4], ncp = 0;
            for (uint32_t i = 0; i < w->nenis && ncp < 4; i++)
                if (w->enis[i].vpc == in->vpc && w->enis[i].use == RP_SIM_ENI_EKS &&
                    !w->enis[i].res.deleted_ms)
                    cp[ncp++] = i;
            for (int m = 0; m < 6 && e == RP_OK; m++) {
                struct rp_sim_dns_query q;
                rp_sim_dns_query_init(&q, in->vpc,
                                      g->hour + m * 600000 + rp_sim_rng_below(g->r, 500000), host);
                char pub[2][RP_SIM_IP_SZ];
                if (k->private_endpoint && ncp) {
                    for (uint32_t i = 0; i < ncp && i < 2; i++)
                        rp_sim_dns_query_answer(&q, "A", w->enis[cp[i]].private_ip);
                } else {
                    for (uint32_t i = 0; i < 2; i++) {
                        uint64_t h = rp_sim_mix(rp_sim_hash_str(host), i);
                        snprintf(pub[i], sizeof(pub[i]), "54.%u.%u.%u", 144 + (unsigned)(h % 16),
                                 (unsigned)((h >> 8) % 254) + 1, (unsigned)((h >> 16) % 253) + 1);
                        rp_sim_dns_query_answer(&q, "A", pub[i]);
                    }
                }
                e = query(g, &q, in->private_ip, inst);
            }
        }
        break;
    default:
        break;
    }
    /* now and then a reverse lookup of a peer (logging libraries, sshd) */
    if (e == RP_OK && rp_sim_rng_chance(g->r, 80)) {
        uint32_t peers[64], np = 0;
        for (uint32_t i = 0; i < w->ninstances && np < 64; i++)
            if (i != inst && w->instances[i].vpc == in->vpc && !w->instances[i].res.deleted_ms)
                peers[np++] = i;
        if (np)
            e = ptr_lookup(g, inst, &w->instances[peers[rp_sim_rng_below(g->r, np)]], in_hour(g));
    }
    return e;
}

/* Per VPC: Lambda ENIs' lookups and the odd stale internal name. */
static rp_err vpc_lookups(struct dg *g, uint32_t vpc)
{
    const struct rp_sim_world *w = g->w;
    rp_err e = RP_OK;
    char host[RP_SIM_DNS_SZ + 64], ips[3][RP_SIM_IP_SZ];
    for (uint32_t i = 0; i < w->nenis && e == RP_OK; i++) {
        const struct rp_sim_eni *en = &w->enis[i];
        if (en->vpc != vpc || en->use != RP_SIM_ENI_LAMBDA || en->res.deleted_ms) continue;
        if (!rp_sim_rng_chance(g->r, 500)) continue;
        struct rp_sim_dns_query q;
        snprintf(host, sizeof(host), "secretsmanager.%s.amazonaws.com", w->regions[en->res.region]);
        rp_sim_dns_query_init(&q, vpc, in_hour(g), host);
        for (uint32_t k = 0; k < 3; k++) {
            uint64_t h = rp_sim_mix(rp_sim_hash_str(host), k);
            snprintf(ips[k], sizeof(ips[k]), "52.46.%u.%u", (unsigned)(h % 254) + 1,
                     (unsigned)((h >> 16) % 253) + 1);
            rp_sim_dns_query_answer(&q, "A", ips[k]);
        }
        e = query(g, &q, en->private_ip, RP_SIM_NONE);
        for (uint32_t d = 0; d < w->ndb_instances && e == RP_OK; d++) {
            const struct rp_sim_db_instance *db = &w->db_instances[d];
            if (db->vpc != vpc || db->res.deleted_ms || db->eni >= w->nenis) continue;
            rp_sim_dns_query_init(&q, vpc, in_hour(g), db->endpoint);
            rp_sim_dns_query_answer(&q, "A", w->enis[db->eni].private_ip);
            e = query(g, &q, en->private_ip, RP_SIM_NONE);
            break;
        }
    }
    /* a decommissioned name still configured somewhere */
    if (e == RP_OK && rp_sim_rng_chance(g->r, 120)) {
        uint32_t hosts[64], nh = 0;
        for (uint32_t i = 0; i < w->ninstances && nh < 64; i++)
            if (w->instances[i].vpc == vpc && !w->instances[i].res.deleted_ms &&
                strcmp(w->instances[i].state, "running") == 0)
                hosts[nh++] = i;
        if (nh) {
            uint32_t inst = hosts[rp_sim_rng_below(g->r, nh)];
            snprintf(host, sizeof(host), "legacy-reports.%s.internal", w->company);
            struct rp_sim_dns_query q;
            rp_sim_dns_query_init(&q, vpc, in_hour(g), host);
            q.rcode = "NXDOMAIN";
            e = query(g, &q, w->instances[inst].private_ip, inst);
        }
    }
    return e;
}

static rp_err dns_hour(struct rp_sim_run *run, void *state, int64_t hour, struct rp_errbuf *eb)
{
    (void)state;
    const struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    struct dg g = {run, w, &r, hour, eb};
    long long hi = (long long)(hour / H_MS);
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < w->ninstances && e == RP_OK; i++) {
        const struct rp_sim_instance *in = &w->instances[i];
        if (in->vpc >= w->nvpcs || !w->vpcs[in->vpc].dns_query_logging || in->res.deleted_ms ||
            strcmp(in->state, "running") != 0)
            continue;
        rp_sim_rng_initf(&r, w->seed, "act-dns/i%u/h%lld", i, hi);
        for (size_t d = 0; d < rp_sim_ndests && e == RP_OK; d++) e = dest_lookups(&g, i, d);
        if (e == RP_OK) e = internal_lookups(&g, i);
    }
    for (uint32_t v = 0; v < w->nvpcs && e == RP_OK; v++) {
        if (!w->vpcs[v].dns_query_logging || w->vpcs[v].res.deleted_ms) continue;
        rp_sim_rng_initf(&r, w->seed, "act-dns/v%u/h%lld", v, hi);
        e = vpc_lookups(&g, v);
    }
    return e;
}

const struct rp_sim_gen rp_sim_gen_activity_dns = {
    .name = "activity-dns",
    .summary = "ordinary Route 53 Resolver query logs of every VPC with query logging",
    .hour = dns_hour,
};
