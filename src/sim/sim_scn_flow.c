/* SPDX-License-Identifier: Apache-2.0 */
/* Attack scenarios whose evidence is VPC flow logs (sim_scenarios.def): an outbound port scan,
 * SSH brute force against an instance whose SSH was just opened to the world and from a
 * compromised instance, connections to crypto-mining pools, an LDAP (389) callback after a
 * JNDI injection, an exfiltration-sized traffic spike, a UDP flood, a port sweep, a spambot on
 * port 25, and known scanners probing an Elasticsearch port left open on a new instance.
 *
 * Records are written on the instance's interface as AWS does (egress request, ingress reply,
 * TCP flags ORed over the interval: SYN 2, RST 4, FIN 1, SYN-ACK 18) and, for instances without
 * a public address, on the NAT gateway's interface too (four records per connection). Volumes
 * follow what GuardDuty's flow-log findings need: many ports on one host for a scan, one port
 * on many hosts for a sweep, many short sessions to 22 for brute force, sustained packets per
 * second for a flood. */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL

static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r, const char *what)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s%s", self->id, what);
}

#define LIST(t, field, arr)                                                                        \
    do {                                                                                           \
        (t).field = (arr);                                                                         \
        (t).n##field = RP_ARRAY_LEN(arr);                                                          \
    } while (0)

/* ---- records ------------------------------------------------------------------------------- */

static rp_err rec(struct rp_sim_run *run, uint32_t eni, const char *src, const char *dst,
                  uint16_t sp, uint16_t dp, uint8_t proto, uint64_t pk, uint64_t by, int64_t s,
                  int64_t e, int flags, bool egress, bool reject, uint8_t path,
                  struct rp_errbuf *eb)
{
    struct rp_sim_flow f;
    rp_sim_flow_init(&f);
    f.eni = eni;
    f.srcaddr = src;
    f.dstaddr = dst;
    f.srcport = sp;
    f.dstport = dp;
    f.protocol = proto;
    f.packets = pk;
    f.bytes = by;
    f.start_s = s;
    f.end_s = e;
    f.tcp_flags = proto == 6 ? flags : 0;
    f.egress = egress;
    f.reject = reject;
    f.traffic_path = egress ? path : 0;
    return rp_sim_emit_flow(run, &f, eb);
}

static uint32_t nat_eni_of(const struct rp_sim_world *w, uint32_t vpc)
{
    for (uint32_t i = 0; i < w->nnatgws; i++)
        if (w->natgws[i].vpc == vpc && !w->natgws[i].res.deleted_ms) return w->natgws[i].eni;
    return RP_SIM_NONE;
}

/* One outbound flow of instance inst to remote: the request record on the instance's
 * interface, the reply (when ipk > 0), and the NAT gateway's records for private instances. */
struct oflow {
    const char *remote;
    uint16_t sport, dport;
    uint8_t proto;
    uint64_t opk, ob, ipk, ib;
    int64_t s, e;
    int fo, fi; /* TCP flags of request and reply */
};

static rp_err out_flow(struct rp_sim_run *run, struct rp_sim_rng *r, uint32_t inst,
                       const struct oflow *o, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[inst];
    uint32_t eni = in->eni;
    const char *lip = w->enis[eni].private_ip;
    bool pub = in->public_ip[0] != '\0';
    uint8_t path = pub ? 8 : 1;
    rp_err e = rec(run, eni, lip, o->remote, o->sport, o->dport, o->proto, o->opk, o->ob, o->s,
                   o->e, o->fo, true, false, path, eb);
    if (e == RP_OK && o->ipk)
        e = rec(run, eni, o->remote, lip, o->dport, o->sport, o->proto, o->ipk, o->ib, o->s, o->e,
                o->fi, false, false, 0, eb);
    if (e != RP_OK || pub) return e;
    uint32_t nat = nat_eni_of(w, in->vpc);
    if (nat == RP_SIM_NONE) return RP_OK;
    const char *nip = w->enis[nat].private_ip;
    uint16_t np = (uint16_t)(1024 + rp_sim_rng_below(r, 64000));
    e = rec(run, nat, lip, o->remote, o->sport, o->dport, o->proto, o->opk, o->ob, o->s, o->e,
            o->fo, false, false, 0, eb);
    if (e == RP_OK)
        e = rec(run, nat, nip, o->remote, np, o->dport, o->proto, o->opk, o->ob, o->s, o->e, o->fo,
                true, false, 8, eb);
    if (e == RP_OK && o->ipk)
        e = rec(run, nat, o->remote, nip, o->dport, np, o->proto, o->ipk, o->ib, o->s, o->e, o->fi,
                false, false, 0, eb);
    if (e == RP_OK && o->ipk)
        e = rec(run, nat, o->remote, lip, o->dport, o->sport, o->proto, o->ipk, o->ib, o->s, o->e,
                o->fi, true, false, 1, eb);
    return e;
}

/* Instances that can act: running, in a flow-logged VPC, existing at the start. arg: a
 * workload to insist on, or NULL. */
static bool f_flow_instance(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    if (strcmp(in->state, "running") != 0 || in->vpc >= w->nvpcs ||
        w->vpcs[in->vpc].flow_format == RP_SIM_FLOW_NONE)
        return false;
    if (arg) return in->workload == *(const enum rp_sim_workload *)arg;
    return in->workload == RP_SIM_WL_WEB || in->workload == RP_SIM_WL_APP ||
           in->workload == RP_SIM_WL_CI_RUNNER;
}

static uint32_t pick_instance(const struct rp_sim_run *run, struct rp_sim_rng *r,
                              enum rp_sim_workload wl)
{
    uint32_t i = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, r, f_flow_instance, &wl);
    return i != RP_SIM_NONE ? i : rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, r, f_flow_instance, NULL);
}

static void ent_instance(struct rp_sim_scn_list *l, const struct rp_sim_world *w, uint32_t inst)
{
    rp_sim_scn_list_add(l, w->instances[inst].res.id);
    rp_sim_scn_list_add(l, w->enis[w->instances[inst].eni].res.id);
}

/* ---- flow-outbound-portscan ----------------------------------------------------------------- */

struct scan_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char target[RP_SIM_IP_SZ];
    uint16_t sport;
    uint16_t *ports;
    uint8_t *state; /* 0 closed (RST), 1 filtered (no reply), 2 open (SYN-ACK) */
};

static rp_err scan_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                        struct rp_errbuf *eb)
{
    struct scan_ctx *c = ctx;
    struct oflow o = {c->target, c->sport, c->ports[i], 6, 1, 44, 0, 0, ts / 1000, ts / 1000, 2, 0};
    if (c->state[i] == 0) {
        o.ipk = 1;
        o.ib = 40;
        o.fi = 4;
    } else if (c->state[i] == 2) {
        o.opk = 2;
        o.ob = 84;
        o.fo = 6;
        o.ipk = 1;
        o.ib = 44;
        o.fi = 18;
    }
    return out_flow(run, &c->r, c->inst, &o, eb);
}

static rp_err plan_portscan(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_APP);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 12 * MIN, &t0)) return RP_OK;
    struct scan_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 600 + rp_sim_rng_below(&r, 400);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, scan_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->ports = rp_sim_scn_alloc(run, n * sizeof(uint16_t));
    c->state = rp_sim_scn_alloc(run, n);
    if (!c->ports || !c->state) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    rp_sim_scn_outside_ip(&r, false, 0, c->target);
    c->sport = rp_sim_scn_eport(&r);
    /* well-known ports first (nmap's order starts with them), then a shuffled range */
    static const uint16_t top[] = {80,  23,   443, 21,   22,   25,   3389, 110,  445,  139,
                                   143, 53,   135, 3306, 8080, 1723, 111,  995,  993,  5900,
                                   587, 8888, 199, 1025, 465,  548,  1720, 6379, 9200, 27017};
    uint32_t k = 0;
    for (; k < RP_ARRAY_LEN(top) && k < n; k++) c->ports[k] = top[k];
    uint32_t base = 1 + rp_sim_rng_below(&r, 30000);
    for (uint32_t j = 0; k < n; j++) {
        uint16_t p = (uint16_t)(base + (uint64_t)j * 7919 % 30000);
        bool dup = false;
        for (unsigned q = 0; q < RP_ARRAY_LEN(top); q++) dup |= top[q] == p;
        if (!dup && p) c->ports[k++] = p;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = rp_sim_rng_below(&r, 100);
        c->state[i] = x < 88 ? 0 : x < 97 ? 1 : 2;
    }
    rp_sim_scn_series_spread(s, &r, t0, 150, 900);
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Recon:EC2/Portscan"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->target);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "%u distinct TCP ports of one outside host probed with SYNs from "
                                "one source port in a few minutes (most answered by RST)",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_outbound_portscan = {
    .id = "flow-outbound-portscan",
    .summary = "a compromised instance scans many ports of one outside host",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1046",
    .plan = plan_portscan,
    .expects = RP_SIM_EXPECTS("GuardDuty:Recon:EC2/Portscan"),
};

/* ---- flow-ssh-bruteforce-inbound ------------------------------------------------------------ */

struct brute_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    uint32_t sg;
    char attacker[RP_SIM_IP_SZ];
    bool outbound;
    char targets[3][RP_SIM_IP_SZ];
};

static rp_err brute_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                         struct rp_errbuf *eb)
{
    struct brute_ctx *c = ctx;
    const struct rp_sim_world *w = run->world;
    int64_t s = ts / 1000;
    int64_t d = rp_sim_rng_range(&c->r, 2, 9);
    uint64_t opk = (uint64_t)rp_sim_rng_range(&c->r, 11, 24), ipk = opk - 1 - (opk % 3);
    if (!c->outbound) {
        struct rp_sim_conn k = {0};
        k.eni = w->instances[c->inst].eni;
        k.inbound = true;
        k.remote_ip = c->attacker;
        k.local_port = 22;
        k.remote_port = rp_sim_scn_eport(&c->r);
        k.protocol = 6;
        k.req_packets = opk;
        k.req_bytes = opk * 120 + (uint64_t)rp_sim_rng_range(&c->r, 600, 1400);
        k.resp_packets = ipk;
        k.resp_bytes = ipk * 110 + (uint64_t)rp_sim_rng_range(&c->r, 1200, 2400);
        k.start_s = s;
        k.end_s = s + d;
        k.traffic_path = 8;
        return rp_sim_flow_conn_emit(run, &k, eb);
    }
    struct oflow o = {c->targets[i % 3],
                      rp_sim_scn_eport(&c->r),
                      22,
                      6,
                      opk,
                      opk * 120 + (uint64_t)rp_sim_rng_range(&c->r, 600, 1400),
                      ipk,
                      ipk * 110 + (uint64_t)rp_sim_rng_range(&c->r, 1200, 2400),
                      s,
                      s + d,
                      3,
                      19};
    return out_flow(run, &c->r, c->inst, &o, eb);
}

static rp_err brute_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                         const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct brute_ctx *c = ctx;
    if (!rp_sim_scn_sg_allow(run, c->sg, 6, 22, 22, "0.0.0.0/0", "temporary access"))
        run->world->sgs[c->sg].ingress[RP_SIM_MAX_SG_RULES - 1] =
            (struct rp_sim_sg_rule){6, 22, 22, "0.0.0.0/0", RP_SIM_NONE, "temporary access"};
    run->world->sgs[c->sg].res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_SG, c->sg}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_public_bastion(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    return in->public_ip[0] && in->nsgs && in->vpc < w->nvpcs &&
           w->vpcs[in->vpc].flow_format != RP_SIM_FLOW_NONE &&
           rp_sim_scn_user_of(w, in->res.acct, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_brute_in(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, &r, f_public_bastion, NULL);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 60 * MIN, &t0)) return RP_OK;
    const struct rp_sim_instance *in = &w->instances[inst];
    struct brute_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 300 + rp_sim_rng_below(&r, 250);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, brute_step, c);
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !s || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    c->sg = in->sgs[0];
    rp_sim_scn_outside_ip(&r, false, 0, c->attacker);
    /* an admin opens SSH to the world "for a few hours" */
    uint32_t admin = rp_sim_scn_user_of(w, in->res.acct, RP_SIM_USER_ADMIN);
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, admin, &a);
    ac->region = in->res.region;
    p->hook = brute_hook;
    p->hook_ctx = c;
    struct rp_sim_scn_call *k =
        rp_sim_scn_call_add(run, p, a, t0, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress");
    k->params = rp_sim_scn_printf(run,
                                  "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{"
                                  "\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                                  "\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":"
                                  "\"0.0.0.0/0\",\"description\":\"temporary access\"}]},"
                                  "\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}",
                                  w->sgs[c->sg].res.id);
    k->resp = "{\"requestId\":\"5c7b2a1e-8e11-4c1e-9a43-0f3c2d1b7a66\",\"_return\":true}";
    k->tag = 1;
    int64_t b0 = t0 + rp_sim_rng_range(&r, 10, 25) * MIN;
    rp_sim_scn_series_spread(s, &r, b0, 800, 4500);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e == RP_OK) e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"UnauthorizedAccess:EC2/SSHBruteForce"};
    static const char *const cfg[] = {"INCOMING_SSH_DISABLED"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, w->sgs[c->sg].res.id);
    rp_sim_scn_list_add(&ent, c->attacker);
    struct rp_sim_truth tr = {0};
    tr.start_ms = b0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "SSH opened to 0.0.0.0/0 on the instance's security group, then "
                                "%u short accepted sessions to port 22 from one outside address "
                                "(instance is the TARGET); the rule stays",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_ssh_bruteforce_inbound = {
    .id = "flow-ssh-bruteforce-inbound",
    .summary = "SSH opened to the world on an instance, then brute-forced from outside",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1110.001",
    .plan = plan_brute_in,
    .expects = RP_SIM_EXPECTS("GuardDuty:UnauthorizedAccess:EC2/SSHBruteForce",
                              "Config:INCOMING_SSH_DISABLED"),
};

/* ---- flow-ssh-bruteforce-outbound ----------------------------------------------------------- */

static rp_err plan_brute_out(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                             struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_WEB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 30 * MIN, &t0)) return RP_OK;
    struct brute_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 450 + rp_sim_rng_below(&r, 300);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, brute_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    c->outbound = true;
    for (int k = 0; k < 3; k++) rp_sim_scn_outside_ip(&r, false, 0, c->targets[k]);
    rp_sim_scn_series_spread(s, &r, t0, 1000, 6000);
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"UnauthorizedAccess:EC2/SSHBruteForce"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    for (int k = 0; k < 3; k++) rp_sim_scn_list_add(&ent, c->targets[k]);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "%u short SSH sessions from the instance to three outside hosts in "
                                "half an hour (instance is the ACTOR)",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_ssh_bruteforce_outbound = {
    .id = "flow-ssh-bruteforce-outbound",
    .summary = "a compromised instance brute-forces SSH on outside hosts",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1110.001",
    .plan = plan_brute_out,
    .expects = RP_SIM_EXPECTS("GuardDuty:UnauthorizedAccess:EC2/SSHBruteForce"),
};

/* ---- flow-crypto-mining-pool ---------------------------------------------------------------- */

struct mine_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char ip[2][RP_SIM_IP_SZ];
    uint16_t port[2];
    uint16_t sport[2];
    uint32_t n;
};

static rp_err mine_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                        struct rp_errbuf *eb)
{
    struct mine_ctx *c = ctx;
    int64_t s = ts / 1000;
    for (int k = 0; k < 2; k++) {
        uint64_t opk = (uint64_t)rp_sim_rng_range(&c->r, 40, 90);
        uint64_t ipk = opk + (uint64_t)rp_sim_rng_range(&c->r, 0, 20);
        int flags = i == 0 ? 2 : i + 1 == c->n ? 1 : 0;
        struct oflow o = {c->ip[k], c->sport[k], c->port[k], 6,       opk,   opk * 140,
                          ipk,      ipk * 260,   s,          s + 599, flags, i == 0 ? 18 : flags};
        rp_err e = out_flow(run, &c->r, c->inst, &o, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err plan_mining(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_CI_RUNNER);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 100 * MIN, &t0)) return RP_OK;
    struct mine_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 9; /* 10-minute intervals: an hour and a half */
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, mine_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    c->n = n;
    uint32_t p0 = rp_sim_rng_below(&r, RP_SIM_SCN_NPOOLS);
    const char *host[2];
    for (int k = 0; k < 2; k++) {
        rp_sim_scn_pool(w, p0 + (uint32_t)k, &host[k], &c->port[k], c->ip[k]);
        c->sport[k] = rp_sim_scn_eport(&r);
    }
    for (uint32_t i = 0; i < n; i++) s->times[i] = t0 + (int64_t)i * 10 * MIN;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"CryptoCurrency:EC2/BitcoinTool.B"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->ip[0]);
    rp_sim_scn_list_add(&ent, c->ip[1]);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s) + 599 * SEC;
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "long-lived stratum connections to the addresses of %s:%u and "
                                "%s:%u (Monero pools), reported every 10 minutes",
                                host[0], c->port[0], host[1], c->port[1]);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_crypto_mining_pool = {
    .id = "flow-crypto-mining-pool",
    .summary = "an instance keeps stratum connections to crypto-mining pools",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1496",
    .plan = plan_mining,
    .expects = RP_SIM_EXPECTS("GuardDuty:CryptoCurrency:EC2/BitcoinTool.B"),
};

/* ---- flow-ldap-callback-389 ----------------------------------------------------------------- */

struct callback_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char ip[RP_SIM_IP_SZ];
    uint16_t ldap_port;
};

static rp_err callback_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                            struct rp_errbuf *eb)
{
    struct callback_ctx *c = ctx;
    int64_t s = ts / 1000;
    struct oflow o = {c->ip, rp_sim_scn_eport(&c->r), c->ldap_port, 6, 7, 612, 6, 1184, s, s + 1, 3,
                      19};
    if (i == 1) { /* fetch of the referenced class over HTTP */
        o.dport = 8000;
        o.opk = 9;
        o.ob = 711;
        o.ipk = 12;
        o.ib = 6210;
        o.e = s + 2;
    } else if (i == 2) { /* the payload's reverse shell, held open */
        o.dport = 443;
        o.opk = 310;
        o.ob = 28400;
        o.ipk = 290;
        o.ib = 35210;
        o.e = s + 540;
        o.fo = 2;
        o.fi = 18;
    }
    return out_flow(run, &c->r, c->inst, &o, eb);
}

static rp_err plan_callback(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_WEB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    struct callback_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, 3, callback_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    c->ldap_port = rp_sim_rng_chance(&r, 600) ? 389 : 1389;
    rp_sim_scn_outside_ip(&r, false, 0, c->ip);
    s->times[0] = t0;
    s->times[1] = t0 + 2 * SEC;
    s->times[2] = t0 + rp_sim_rng_range(&r, 5, 40) * SEC;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Behavior:EC2/NetworkPortUnusual"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->ip);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = s->times[2] + 540 * SEC;
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "web instance connects out to remote port %u (never used before: "
                                "a JNDI/LDAP callback, High severity), then fetches a class over "
                                "HTTP and holds a reverse shell",
                                c->ldap_port);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_ldap_callback = {
    .id = "flow-ldap-callback",
    .summary = "a web instance calls back to an outside LDAP port (log4j-style)",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1190",
    .plan = plan_callback,
    .expects = RP_SIM_EXPECTS("GuardDuty:Behavior:EC2/NetworkPortUnusual"),
};

/* ---- flow-traffic-volume-spike -------------------------------------------------------------- */

struct volume_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char ip[RP_SIM_IP_SZ];
    uint16_t sport[4];
    uint32_t n;
    uint64_t total;
};

static rp_err volume_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                          struct rp_errbuf *eb)
{
    struct volume_ctx *c = ctx;
    int64_t s = ts / 1000;
    for (int k = 0; k < 4; k++) {
        uint64_t bytes = (uint64_t)rp_sim_rng_range(&c->r, 900, 1400) << 20; /* per 10 minutes */
        uint64_t pk = bytes / 8961 + 1;                                      /* jumbo frames */
        int flags = i == 0 ? 2 : i + 1 == c->n ? 1 : 0;
        struct oflow o = {c->ip,  c->sport[k], 443, 6,       pk,    bytes,
                          pk / 2, pk / 2 * 52, s,   s + 599, flags, i == 0 ? 18 : flags};
        rp_err e = out_flow(run, &c->r, c->inst, &o, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err plan_volume(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_DB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 60 * MIN, &t0)) return RP_OK;
    struct volume_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 6;
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, volume_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    c->n = n;
    rp_sim_scn_outside_ip(&r, false, 0, c->ip);
    for (int k = 0; k < 4; k++) c->sport[k] = rp_sim_scn_eport(&r);
    for (uint32_t i = 0; i < n; i++) s->times[i] = t0 + (int64_t)i * 10 * MIN;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Behavior:EC2/TrafficVolumeUnusual"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->ip);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s) + 599 * SEC;
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "about 20-33 GB sent in an hour over four TLS connections to one outside host that "
              "the instance never talked to (its baseline is megabytes)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_traffic_volume_spike = {
    .id = "flow-traffic-volume-spike",
    .summary = "an instance sends tens of gigabytes to a new outside host",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1048",
    .plan = plan_volume,
    .expects = RP_SIM_EXPECTS("GuardDuty:Behavior:EC2/TrafficVolumeUnusual"),
};

/* ---- flow-udp-flood ------------------------------------------------------------------------- */

struct flood_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char ip[RP_SIM_IP_SZ];
    uint16_t dport;
};

static rp_err flood_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                         struct rp_errbuf *eb)
{
    (void)i;
    struct flood_ctx *c = ctx;
    int64_t s = ts / 1000;
    for (int k = 0; k < 8; k++) {
        uint64_t pk = (uint64_t)rp_sim_rng_range(&c->r, 90000, 180000); /* per minute */
        struct oflow o = {
            c->ip, rp_sim_scn_eport(&c->r), c->dport, 17, pk, pk * 1024, 0, 0, s, s + 59, 0, 0};
        rp_err e = out_flow(run, &c->r, c->inst, &o, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err plan_flood(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_APP);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 20 * MIN, &t0)) return RP_OK;
    struct flood_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 12 + rp_sim_rng_below(&r, 6);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, flood_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    rp_sim_scn_outside_ip(&r, false, 0, c->ip);
    static const uint16_t ports[] = {53, 123, 80, 27015};
    c->dport = ports[rp_sim_rng_below(&r, RP_ARRAY_LEN(ports))];
    for (uint32_t i = 0; i < n; i++) s->times[i] = t0 + (int64_t)i * MIN;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Backdoor:EC2/DenialOfService.Udp"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->ip);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s) + 59 * SEC;
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "outbound UDP to one outside address port %u at 12-24 thousand "
                                "packets per second for %u minutes, no replies",
                                c->dport, n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_udp_flood = {
    .id = "flow-udp-flood",
    .summary = "an instance floods an outside host with UDP",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1498.001",
    .plan = plan_flood,
    .expects = RP_SIM_EXPECTS("GuardDuty:Backdoor:EC2/DenialOfService.Udp"),
};

/* ---- flow-port-sweep ------------------------------------------------------------------------ */

struct sweep_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    uint16_t port;
    uint16_t sport;
    uint32_t net; /* first two octets of the swept /16 */
    uint32_t stride;
};

static rp_err sweep_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                         struct rp_errbuf *eb)
{
    struct sweep_ctx *c = ctx;
    char ip[RP_SIM_IP_SZ];
    uint32_t host = (1 + (uint64_t)i * c->stride) % 65024;
    rp_sim_fmt(ip, sizeof(ip), "%u.%u.%u.%u", c->net >> 8, c->net & 0xff, host / 254,
               host % 254 + 1);
    uint32_t x = rp_sim_rng_below(&c->r, 100);
    struct oflow o = {ip, c->sport, c->port, 6, 1, 44, 0, 0, ts / 1000, ts / 1000, 2, 0};
    if (x < 12) { /* closed */
        o.ipk = 1;
        o.ib = 40;
        o.fi = 4;
    } else if (x < 15) { /* open */
        o.opk = 2;
        o.ob = 84;
        o.fo = 6;
        o.ipk = 1;
        o.ib = 44;
        o.fi = 18;
    }
    return out_flow(run, &c->r, c->inst, &o, eb);
}

static rp_err plan_sweep(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_WEB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    struct sweep_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 400 + rp_sim_rng_below(&r, 300);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, sweep_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    static const uint16_t ports[] = {6379, 2375, 9200, 27017, 5900};
    c->port = ports[rp_sim_rng_below(&r, RP_ARRAY_LEN(ports))];
    c->sport = rp_sim_scn_eport(&r);
    char probe[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, probe);
    unsigned o1 = 0, o2 = 0;
    for (const char *q = probe; *q && *q != '.'; q++) o1 = o1 * 10 + (unsigned)(*q - '0');
    const char *q2 = strchr(probe, '.');
    for (const char *q = q2 ? q2 + 1 : ""; *q && *q != '.'; q++)
        o2 = o2 * 10 + (unsigned)(*q - '0');
    c->net = o1 << 8 | o2;
    c->stride = 97 + 2 * rp_sim_rng_below(&r, 400);
    rp_sim_scn_series_spread(s, &r, t0, 200, 1800);
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Impact:EC2/PortSweep"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    char net[RP_SIM_CIDR_SZ];
    rp_sim_fmt(net, sizeof(net), "%u.%u.0.0/16", o1, o2);
    rp_sim_scn_list_add(&ent, net);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "TCP port %u probed on %u distinct public addresses of one /16 in "
                                "minutes (SYN only; a few answer)",
                                c->port, n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_port_sweep = {
    .id = "flow-port-sweep",
    .summary = "an instance probes one port across hundreds of public addresses",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1046",
    .plan = plan_sweep,
    .expects = RP_SIM_EXPECTS("GuardDuty:Impact:EC2/PortSweep"),
};

/* ---- flow-spambot --------------------------------------------------------------------------- */

struct spam_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
};

static rp_err spam_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                        struct rp_errbuf *eb)
{
    (void)i;
    struct spam_ctx *c = ctx;
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&c->r, rp_sim_rng_chance(&c->r, 400), 0, ip);
    int64_t s = ts / 1000;
    uint64_t opk = (uint64_t)rp_sim_rng_range(&c->r, 14, 40);
    struct oflow o = {
        ip, rp_sim_scn_eport(&c->r),           25, 6, opk, opk * 420, opk - 3, (opk - 3) * 70,
        s,  s + rp_sim_rng_range(&c->r, 1, 6), 3,  19};
    return out_flow(run, &c->r, c->inst, &o, eb);
}

static rp_err plan_spam(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_APP);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 40 * MIN, &t0)) return RP_OK;
    struct spam_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 180 + rp_sim_rng_below(&r, 200);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, spam_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    rp_sim_scn_series_spread(s, &r, t0, 3000, 10000);
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Backdoor:EC2/Spambot"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "an instance with no history on port 25 opens %u SMTP sessions to "
                                "distinct outside mail servers",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_spambot = {
    .id = "flow-spambot",
    .summary = "an instance with no port-25 history sends mail to many servers",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1071.003",
    .plan = plan_spam,
    .expects = RP_SIM_EXPECTS("GuardDuty:Backdoor:EC2/Spambot"),
};

/* ---- flow-unprotected-port-probe ------------------------------------------------------------ */

struct probe_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    uint32_t sg;
    char scanners[4][RP_SIM_IP_SZ];
};

static rp_err probe_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                         const char *event_id, struct rp_errbuf *eb)
{
    struct probe_ctx *c = ctx;
    if (tag == 1)
        return rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_SG, c->sg}, ts, event_id, eb);
    if (tag == 2 && rp_sim_scn_sg_allow(run, c->sg, 6, 9200, 9200, "0.0.0.0/0", NULL))
        return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_SG, c->sg}, ts,
                                    RP_SIM_CHANGE_UPDATE, event_id, eb);
    if (tag == 3) return rp_sim_scn_instance_created(run, c->inst, ts, event_id, eb);
    return RP_OK;
}

static rp_err probe_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                         struct rp_errbuf *eb)
{
    struct probe_ctx *c = ctx;
    const struct rp_sim_world *w = run->world;
    uint32_t eni = w->instances[c->inst].eni;
    const char *src = c->scanners[i % 4];
    int64_t s = ts / 1000;
    if (i % 3 == 2) /* the same scanners knock on closed ports too */
        return rp_sim_flow_probe_emit(run, eni, src, rp_sim_scn_eport(&c->r),
                                      (uint16_t)(rp_sim_rng_chance(&c->r, 500) ? 23 : 3389), 6, s,
                                      eb);
    struct rp_sim_conn k = {0};
    k.eni = eni;
    k.inbound = true;
    k.remote_ip = src;
    k.local_port = 9200;
    k.remote_port = rp_sim_scn_eport(&c->r);
    k.protocol = 6;
    k.req_packets = 5;
    k.req_bytes = 402;
    k.resp_packets = 4;
    k.resp_bytes = 871;
    k.start_s = s;
    k.end_s = s + 1;
    k.traffic_path = 8;
    return rp_sim_flow_conn_emit(run, &k, eb);
}

static bool f_public_subnet(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_subnet *s = &w->subnets[i];
    return s->public && s->vpc < w->nvpcs && !w->vpcs[s->vpc].is_default &&
           w->vpcs[s->vpc].flow_format != RP_SIM_FLOW_NONE &&
           rp_sim_scn_user_of(w, s->res.acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

static rp_err plan_probe(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t subnet = rp_sim_scn_pick(run, RP_SIM_K_SUBNET, &r, f_public_subnet, NULL);
    int64_t t0 = 0;
    if (subnet == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 75 * MIN, &t0)) return RP_OK;
    struct probe_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 24 + rp_sim_rng_below(&r, 24);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, probe_step, c);
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !s || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    const struct rp_sim_subnet *sn = &w->subnets[subnet];
    uint32_t acct = sn->res.acct, vpc = sn->vpc;
    c->sg = rp_sim_scn_sg_new(run, &r, vpc, "search-debug", "temporary search node");
    if (c->sg == RP_SIM_NONE) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    struct rp_sim_scn_instance_spec spec = {.subnet = subnet,
                                            .workload = RP_SIM_WL_APP,
                                            .os = RP_SIM_OS_UBUNTU,
                                            .os_release = "22.04",
                                            .os_codename = "jammy",
                                            .name = "search-debug",
                                            .type = "m6i.large",
                                            .sgs = &c->sg,
                                            .nsgs = 1,
                                            .public_ip = true};
    rp_err e = rp_sim_scn_instance_new(run, &r, &spec, &c->inst, eb);
    if (e != RP_OK) return e;
    struct rp_sim_instance *in = &w->instances[c->inst];
    in->listen_ports[in->nports++] = 9200;
    for (int k = 0; k < 4; k++)
        (void)rp_sim_side_ti_entry(w, RP_SIM_TI_MALICIOUS_IP,
                                   8 + (uint32_t)k * 3 + rp_sim_rng_below(&r, 3), c->scanners[k],
                                   sizeof(c->scanners[k]));
    /* a developer launches an Elasticsearch node for a quick test */
    uint32_t dev = rp_sim_scn_user_of(w, acct, RP_SIM_USER_DEVELOPER);
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, dev, &a);
    ac->region = sn->res.region;
    if (w->users[dev].habits.nips) rp_strlcpy(ac->ip, w->users[dev].habits.ips[0], sizeof(ac->ip));
    p->hook = probe_hook;
    p->hook_ctx = c;
    const struct rp_sim_sg *g = &w->sgs[c->sg];
    struct rp_sim_scn_call *k =
        rp_sim_scn_call_add(run, p, a, t0, "ec2.amazonaws.com", "CreateSecurityGroup");
    k->params = rp_sim_scn_printf(run,
                                  "{\"groupName\":\"%s\",\"groupDescription\":\"%s\",\"vpcId\":"
                                  "\"%s\"}",
                                  g->res.name, g->description, w->vpcs[vpc].res.id);
    k->resp = rp_sim_scn_printf(run, "{\"_return\":true,\"groupId\":\"%s\"}", g->res.id);
    k->tag = 1;
    k = rp_sim_scn_call_add(run, p, a, t0 + 40 * SEC, "ec2.amazonaws.com",
                            "AuthorizeSecurityGroupIngress");
    k->params = rp_sim_scn_printf(
        run,
        "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":"
        "9200,\"toPort\":9200,\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]},"
        "\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}",
        g->res.id);
    k->tag = 2;
    int64_t t_run = t0 + 90 * SEC;
    k = rp_sim_scn_call_add(run, p, a, t_run, "ec2.amazonaws.com", "RunInstances");
    k->params = rp_sim_scn_printf(
        run,
        "{\"instancesSet\":{\"items\":[{\"imageId\":\"%s\",\"minCount\":1,\"maxCount\":1,"
        "\"keyName\":\"%s\"}]},\"groupSet\":{\"items\":[{\"groupId\":\"%s\"}]},\"instanceType\":"
        "\"%s\",\"subnetId\":\"%s\",\"associatePublicIpAddress\":true}",
        in->ami, in->key_name, g->res.id, in->type, sn->res.id);
    k->resp =
        rp_sim_scn_printf(run,
                          "{\"instancesSet\":{\"items\":[{\"instanceId\":\"%s\",\"imageId\":"
                          "\"%s\",\"instanceState\":{\"code\":0,\"name\":\"pending\"},"
                          "\"privateIpAddress\":\"%s\",\"subnetId\":\"%s\",\"vpcId\":"
                          "\"%s\"}]}}",
                          in->res.id, in->ami, in->private_ip, sn->res.id, w->vpcs[vpc].res.id);
    k->tag = 3;
    int64_t b0 = t_run + rp_sim_rng_range(&r, 15, 40) * MIN;
    rp_sim_scn_series_spread(s, &r, b0, 20 * SEC, 90 * SEC);
    e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e == RP_OK) e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Recon:EC2/PortProbeUnprotectedPort"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, c->inst);
    rp_sim_scn_list_add(&ent, g->res.id);
    for (int q = 0; q < 4; q++) rp_sim_scn_list_add(&ent, c->scanners[q]);
    struct rp_sim_truth tr = {0};
    tr.start_ms = b0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a new instance with Elasticsearch (9200) open to the internet is found within the "
              "hour: scanners on the threat list connect to 9200 (accepted, High for 9200) and "
              "knock on closed ports";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_flow_unprotected_port_probe = {
    .id = "flow-unprotected-port-probe",
    .summary = "known scanners probe an Elasticsearch port left open on a new instance",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1595.001",
    .plan = plan_probe,
    .expects = RP_SIM_EXPECTS("GuardDuty:Recon:EC2/PortProbeUnprotectedPort"),
};
