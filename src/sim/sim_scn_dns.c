/* SPDX-License-Identifier: Apache-2.0 */
/* Attack scenarios whose evidence is Route 53 Resolver query logs (sim_scenarios.def): an
 * instance resolving crypto-mining pools, DNS exfiltration through long encoded labels, a burst
 * of algorithmically generated names, beaconing to a C2 domain from the uploaded threat list
 * (with its HTTPS connections in the flow logs), a phishing domain from the list, and a DNS
 * rebinding name that answers 169.254.169.254.
 *
 * Each query is one line of the VPC's query log with srcids.instance naming the instance, as
 * the Resolver writes for queries from EC2. */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL

#define B32 "abcdefghijklmnopqrstuvwxyz234567"

#define LIST(t, field, arr)                                                                        \
    do {                                                                                           \
        (t).field = (arr);                                                                         \
        (t).n##field = RP_ARRAY_LEN(arr);                                                          \
    } while (0)

static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r, const char *what)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s%s", self->id, what);
}

/* Instances whose VPC logs DNS queries; arg: a workload to insist on or NULL. */
static bool f_dns_instance(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    if (strcmp(in->state, "running") != 0 || in->vpc >= w->nvpcs ||
        !w->vpcs[in->vpc].dns_query_logging)
        return false;
    if (arg) return in->workload == *(const enum rp_sim_workload *)arg;
    return in->workload == RP_SIM_WL_WEB || in->workload == RP_SIM_WL_APP ||
           in->workload == RP_SIM_WL_CI_RUNNER;
}

static uint32_t pick_instance(const struct rp_sim_run *run, struct rp_sim_rng *r,
                              enum rp_sim_workload wl)
{
    uint32_t i = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, r, f_dns_instance, &wl);
    return i != RP_SIM_NONE ? i : rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, r, f_dns_instance, NULL);
}

/* One query of instance inst. */
static rp_err query(struct rp_sim_run *run, struct rp_sim_rng *r, uint32_t inst, int64_t ts,
                    const char *name, const char *type, const char *rcode, const char *atype,
                    const char *const *answers, uint32_t nanswers, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[inst];
    struct rp_sim_dns_query q;
    rp_sim_dns_query_init(&q, in->vpc, ts, name);
    q.query_type = type;
    q.rcode = rcode;
    q.srcaddr = in->private_ip;
    q.srcport = rp_sim_scn_eport(r);
    q.instance = inst;
    for (uint32_t i = 0; i < nanswers; i++) rp_sim_dns_query_answer(&q, atype, answers[i]);
    return rp_sim_dns_query_emit(run, &q, eb);
}

struct dns_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char domain[RP_SIM_DNS_SZ];
    char addr[RP_SIM_IP_SZ];
    char session[12];
    uint32_t n;
    uint32_t pool0;
};

static rp_err start_series(struct rp_sim_run *run, struct rp_sim_scn_series *s,
                           struct rp_sim_rng *r, int64_t t0, int64_t lo, int64_t hi,
                           struct rp_errbuf *eb)
{
    rp_sim_scn_series_spread(s, r, t0, lo, hi);
    return rp_sim_scn_series_start(run, s, eb);
}

static void ent_instance(struct rp_sim_scn_list *l, const struct rp_sim_world *w, uint32_t inst)
{
    rp_sim_scn_list_add(l, w->instances[inst].res.id);
    rp_sim_scn_list_add(l, w->instances[inst].private_ip);
}

/* ---- dns-mining-pool-domains ---------------------------------------------------------------- */

static rp_err pool_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                        struct rp_errbuf *eb)
{
    struct dns_ctx *c = ctx;
    const char *host = NULL;
    uint16_t port = 0;
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_pool(run->world, c->pool0 + i % 3, &host, &port, ip);
    const char *ans[] = {ip};
    return query(run, &c->r, c->inst, ts, host, "A", NULL, "A", ans, 1, eb);
}

static rp_err plan_pool(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_APP);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 50 * MIN, &t0)) return RP_OK;
    struct dns_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 12 + rp_sim_rng_below(&r, 10);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, pool_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/dns");
    c->inst = inst;
    c->pool0 = rp_sim_rng_below(&r, RP_SIM_SCN_NPOOLS);
    rp_err e = start_series(run, s, &r, t0, 60 * SEC, 240 * SEC, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"CryptoCurrency:EC2/BitcoinTool.B!DNS"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    char names[160] = "";
    for (uint32_t k = 0; k < 3; k++) {
        const char *host = NULL;
        uint16_t port = 0;
        char ip[RP_SIM_IP_SZ];
        rp_sim_scn_pool(w, c->pool0 + k, &host, &port, ip);
        rp_sim_scn_list_add(&ent, host);
        size_t len = strlen(names);
        rp_sim_fmt(names + len, sizeof(names) - len, "%s%s", k ? ", " : "", host);
    }
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run, "the instance resolves Monero pool names (%s) again and again",
                                names);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_dns_mining_pool_domains = {
    .id = "dns-mining-pool-domains",
    .summary = "an instance resolves crypto-mining pool domains",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1496",
    .plan = plan_pool,
    .expects = RP_SIM_EXPECTS("GuardDuty:CryptoCurrency:EC2/BitcoinTool.B!DNS"),
};

/* ---- dns-data-exfiltration ------------------------------------------------------------------ */

static rp_err exfil_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                         struct rp_errbuf *eb)
{
    struct dns_ctx *c = ctx;
    char a[64], b[64], name[256];
    size_t la = 52 + rp_sim_rng_below(&c->r, 12), lb = 30 + rp_sim_rng_below(&c->r, 34);
    rp_sim_rng_chars(&c->r, a, la, B32);
    rp_sim_rng_chars(&c->r, b, lb, B32);
    rp_sim_fmt(name, sizeof(name), "%s.%s.%u.%s.%s", a, b, i, c->session, c->domain);
    bool txt = i % 4 != 3;
    char ack[16];
    rp_sim_fmt(ack, sizeof(ack), "\"ack%u\"", i);
    const char *ans[] = {ack};
    if (txt) return query(run, &c->r, c->inst, ts, name, "TXT", NULL, "TXT", ans, 1, eb);
    return query(run, &c->r, c->inst, ts, name, "A", "NXDOMAIN", NULL, NULL, 0, eb);
}

static rp_err plan_exfil(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_DB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 30 * MIN, &t0)) return RP_OK;
    struct dns_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 700 + rp_sim_rng_below(&r, 500);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, exfil_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/dns");
    c->inst = inst;
    char word[9];
    rp_sim_rng_chars(&r, word, 8, "abcdefghijklmnopqrstuvwxyz");
    static const char *const tlds[] = {"net", "io", "xyz", "info"};
    rp_sim_fmt(c->domain, sizeof(c->domain), "%s.%s", word, tlds[rp_sim_rng_below(&r, 4)]);
    rp_sim_rng_chars(&r, c->session, 6, B32);
    rp_err e = start_series(run, s, &r, t0, 600, 3200, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Trojan:EC2/DNSDataExfiltration"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->domain);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "%u TXT/A queries whose two leading labels (30-63 characters) "
                                "carry base32 data, numbered, under one new domain, in under "
                                "half an hour",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_dns_data_exfiltration = {
    .id = "dns-data-exfiltration",
    .summary = "data exfiltrated through long encoded DNS labels",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1048.003",
    .plan = plan_exfil,
    .expects = RP_SIM_EXPECTS("GuardDuty:Trojan:EC2/DNSDataExfiltration"),
};

/* ---- dns-dga-domains ------------------------------------------------------------------------ */

static rp_err dga_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                       struct rp_errbuf *eb)
{
    struct dns_ctx *c = ctx;
    static const char *const tlds[] = {"com", "net", "org", "info", "biz", "ru", "top"};
    char label[32], name[64];
    /* the family's generator: consonant-heavy lower-case strings of 12-22 characters */
    rp_sim_rng_chars(&c->r, label, 12 + rp_sim_rng_below(&c->r, 11),
                     "bcdfghjklmnpqrstvwxyz0123456789aeiou");
    rp_sim_fmt(name, sizeof(name), "%s.%s", label,
               tlds[rp_sim_rng_below(&c->r, RP_ARRAY_LEN(tlds))]);
    if (i == c->n / 2 || i == c->n - 3) { /* the operator registered two of them */
        const char *ans[] = {c->addr};
        return query(run, &c->r, c->inst, ts, name, "A", NULL, "A", ans, 1, eb);
    }
    return query(run, &c->r, c->inst, ts, name, "A", "NXDOMAIN", NULL, NULL, 0, eb);
}

static rp_err plan_dga(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                       struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_WEB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    struct dns_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 120 + rp_sim_rng_below(&r, 100);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, dga_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/dns");
    c->inst = inst;
    c->n = n;
    rp_sim_scn_outside_ip(&r, false, 0, c->addr);
    rp_err e = start_series(run, s, &r, t0, 1500, 7000, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Trojan:EC2/DGADomainRequest.B"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->addr);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "%u lookups of random-looking 12-22 character names in minutes, "
                                "almost all NXDOMAIN; two resolve",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_dns_dga_domains = {
    .id = "dns-dga-domains",
    .summary = "an instance queries algorithmically generated domain names",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1568.002",
    .plan = plan_dga,
    .expects = RP_SIM_EXPECTS("GuardDuty:Trojan:EC2/DGADomainRequest.B"),
};

/* ---- dns-c2-domain / dns-phishing-domain ---------------------------------------------------- */

static rp_err listed_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                          struct rp_errbuf *eb)
{
    (void)i;
    struct dns_ctx *c = ctx;
    const char *ans[] = {c->addr};
    rp_err e = query(run, &c->r, c->inst, ts, c->domain, "A", NULL, "A", ans, 1, eb);
    if (e != RP_OK || !c->session[0]) return e;
    /* the beacon itself: a short HTTPS exchange with the answer, on the instance's interface */
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[c->inst];
    struct rp_sim_conn k = {0};
    k.eni = in->eni;
    k.remote_ip = c->addr;
    k.local_port = rp_sim_scn_eport(&c->r);
    k.remote_port = 443;
    k.protocol = 6;
    k.req_packets = 9;
    k.req_bytes = 1320 + rp_sim_rng_below(&c->r, 200);
    k.resp_packets = 7;
    k.resp_bytes = 4810 + rp_sim_rng_below(&c->r, 300);
    k.start_s = ts / 1000;
    k.end_s = k.start_s + 1;
    k.traffic_path = in->public_ip[0] ? 8 : 1;
    return rp_sim_flow_conn_emit(run, &k, eb);
}

static rp_err plan_listed(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          enum rp_sim_ti list, struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    bool c2 = list == RP_SIM_TI_C2_DOMAIN;
    uint32_t inst = pick_instance(run, &r, c2 ? RP_SIM_WL_APP : RP_SIM_WL_WEB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 50 * MIN, &t0)) return RP_OK;
    struct dns_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = c2 ? 40 + rp_sim_rng_below(&r, 10) : 3 + rp_sim_rng_below(&r, 3);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, listed_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/dns");
    c->inst = inst;
    uint32_t idx = rp_sim_rng_below(&r, 8);
    if (!rp_sim_side_ti_entry(w, list, idx, c->domain, sizeof(c->domain))) return RP_OK;
    if (c2) {
        rp_sim_side_ti_c2_address(w, idx, c->addr, sizeof(c->addr));
        rp_strlcpy(c->session, "beacon", sizeof(c->session));
    } else {
        rp_sim_scn_outside_ip(&r, false, 0, c->addr);
    }
    rp_err e = c2 ? start_series(run, s, &r, t0, 55 * SEC, 65 * SEC, eb)
                  : start_series(run, s, &r, t0, 20 * SEC, 300 * SEC, eb);
    if (e != RP_OK) return e;
    static const char *const gd_c2[] = {"Backdoor:EC2/C&CActivity.B!DNS"};
    static const char *const gd_ph[] = {"Trojan:EC2/PhishingDomainRequest!DNS"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->domain);
    rp_sim_scn_list_add(&ent, c->addr);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    tr.guardduty = c2 ? gd_c2 : gd_ph;
    tr.nguardduty = 1;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = c2 ? rp_sim_scn_printf(run,
                                     "%u lookups of a domain on threatintel/c2-domains.txt, one a "
                                     "minute, each followed by a short HTTPS exchange with the "
                                     "answer (an address on no IP list)",
                                     n)
                 : "a domain on threatintel/phishing-domains.txt resolved by a web instance";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

static rp_err plan_c2(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                      struct rp_errbuf *eb)
{
    return plan_listed(run, self, RP_SIM_TI_C2_DOMAIN, eb);
}

static rp_err plan_phishing(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    return plan_listed(run, self, RP_SIM_TI_PHISHING_DOMAIN, eb);
}

const struct rp_sim_scenario rp_sim_scn_dns_c2_domain = {
    .id = "dns-c2-domain",
    .summary = "an instance beacons to a C2 domain from the threat list",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1071.001",
    .plan = plan_c2,
    .expects = RP_SIM_EXPECTS("GuardDuty:Backdoor:EC2/C&CActivity.B!DNS"),
};

const struct rp_sim_scenario rp_sim_scn_dns_phishing_domain = {
    .id = "dns-phishing-domain",
    .summary = "an instance resolves a phishing domain from the threat list",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1566.002",
    .plan = plan_phishing,
    .expects = RP_SIM_EXPECTS("GuardDuty:Trojan:EC2/PhishingDomainRequest!DNS"),
};

/* ---- dns-metadata-rebind -------------------------------------------------------------------- */

static rp_err rebind_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                          struct rp_errbuf *eb)
{
    struct dns_ctx *c = ctx;
    /* the rebinding server alternates: a harmless public address, then the metadata service */
    const char *ans[] = {i % 2 == 0 ? c->addr : "169.254.169.254"};
    return query(run, &c->r, c->inst, ts, c->domain, "A", NULL, "A", ans, 1, eb);
}

static rp_err plan_rebind(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = pick_instance(run, &r, RP_SIM_WL_WEB);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct dns_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 6 + 2 * rp_sim_rng_below(&r, 4);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, rebind_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/dns");
    c->inst = inst;
    rp_sim_scn_outside_ip(&r, false, 0, c->addr);
    char tok[9], word[9];
    rp_sim_rng_hex(&r, tok, 8);
    rp_sim_rng_chars(&r, word, 7, "abcdefghijklmnopqrstuvwxyz");
    rp_sim_fmt(c->domain, sizeof(c->domain), "%s.rbnd.%s.net", tok, word);
    rp_err e = start_series(run, s, &r, t0, 2 * SEC, 40 * SEC, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"UnauthorizedAccess:EC2/MetadataDNSRebind"};
    struct rp_sim_scn_list ent = {0};
    ent_instance(&ent, w, inst);
    rp_sim_scn_list_add(&ent, c->domain);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a web instance (SSRF) resolves an attacker name whose answers alternate between a "
              "public address and 169.254.169.254";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_dns_metadata_rebind = {
    .id = "dns-metadata-rebind",
    .summary = "a name that resolves to the instance metadata address (DNS rebinding)",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1552.005",
    .plan = plan_rebind,
    .expects = RP_SIM_EXPECTS("GuardDuty:UnauthorizedAccess:EC2/MetadataDNSRebind"),
};
