/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the VPC Flow Logs detectors (src/detect/detect_flow_*.c) and their helpers
 * (detect_flow_common.c: the bounded table, the distinct set, reading a record from its
 * interface's side). Each finding type has a positive case (exact type, resource, count,
 * first/last, remote address, ports, role, severity, threat list) and negative ones: the near
 * miss just under a threshold or outside the window, REJECTed traffic, a trusted address,
 * answers instead of requests, and the benign look-alikes of docs/simulate-scenarios.md (the
 * trusted weekly vulnerability scan, the nightly backup to S3). Records of a private instance
 * are also written on its NAT gateway's interface (four records per connection) as AWS and
 * the simulator do, and must not raise a finding about the NAT gateway. Events are built by
 * hand and run through rp_det_ctx_run1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/detect_flow_common.h"
#include "detect/detect_internal.h"
#include "store/store.h"
#include "core/rp_banned.h"

extern const struct rp_detector rp_det_flow_bruteforce, rp_det_flow_dos, rp_det_flow_portprobe,
    rp_det_flow_portscan, rp_det_flow_spambot, rp_det_flow_threatintel;

static const struct rp_detector *const all[] = {&rp_det_flow_bruteforce, &rp_det_flow_dos,
                                                &rp_det_flow_portprobe,  &rp_det_flow_portscan,
                                                &rp_det_flow_spambot,    &rp_det_flow_threatintel};

#define T0S  1772323200LL /* 2026-03-01T00:00:00Z, seconds */
#define T0   (T0S * 1000)
#define ACCT "111122223333"
#define ENI  "eni-0123456789abcdef0"
#define INST "i-0123456789abcdef0"
#define LIP  "10.0.1.5"
#define NENI "eni-0fedcba9876543210" /* the NAT gateway's interface */
#define NIP  "10.0.0.9"
#define MAXE 12000
#define POOL 12000

/* ---- event building ---------------------------------------------------------------------- */

struct flow {
    const char *eni, *inst, *src, *dst, *action, *dir;
    int sp, dp, proto, flags; /* flags -1: absent (version 2) */
    int64_t pk, by, s, e;     /* s, e: seconds */
};

struct evs {
    struct rp_det_event ev[MAXE];
    size_t n;
    char pool[POOL][48];
    size_t npool;
};

static struct evs *E;

static int setup(void **state)
{
    (void)state;
    E = calloc(1, sizeof *E);
    return E ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(E);
    E = NULL;
    return 0;
}

static const char *S(const char *fmt, ...) RP_PRINTF(1, 2);
static const char *S(const char *fmt, ...)
{
    assert_true(E->npool < POOL);
    char *p = E->pool[E->npool++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p, sizeof E->pool[0], fmt, ap);
    va_end(ap);
    return p;
}

static void add(const struct flow *f)
{
    assert_true(E->n < MAXE);
    struct rp_det_event *ev = &E->ev[E->n++];
    rp_det_event_init(ev, RP_DET_SRC_FLOW, f->s * 1000);
    ev->seq = (int64_t)E->n;
    rp_det_event_set(ev, RP_FL_ACCOUNT_ID, ACCT);
    rp_det_event_set(ev, RP_FL_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_FL_REGION, "us-east-1");
    rp_det_event_set(ev, RP_FL_INTERFACE_ID, f->eni ? f->eni : ENI);
    rp_det_event_set(ev, RP_FL_INSTANCE_ID, f->inst);
    rp_det_event_set(ev, RP_FL_SRCADDR, f->src);
    rp_det_event_set(ev, RP_FL_DSTADDR, f->dst);
    rp_det_event_set(ev, RP_FL_ACTION, f->action ? f->action : "ACCEPT");
    rp_det_event_set(ev, RP_FL_LOG_STATUS, "OK");
    rp_det_event_set(ev, RP_FL_FLOW_DIRECTION, f->dir);
    rp_det_event_set_int(ev, RP_FLI_SRCPORT, f->sp);
    rp_det_event_set_int(ev, RP_FLI_DSTPORT, f->dp);
    rp_det_event_set_int(ev, RP_FLI_PROTOCOL, f->proto ? f->proto : 6);
    rp_det_event_set_int(ev, RP_FLI_PACKETS, f->pk);
    rp_det_event_set_int(ev, RP_FLI_BYTES, f->by);
    rp_det_event_set_int(ev, RP_FLI_START, f->s);
    rp_det_event_set_int(ev, RP_FLI_END, f->e ? f->e : f->s);
    if (f->flags >= 0) rp_det_event_set_int(ev, RP_FLI_TCP_FLAGS, f->flags);
    rp_det_event_set_int(ev, RP_FLI_VERSION, f->flags >= 0 ? 5 : 2);
}

/* A record of the instance's interface (instance id given, version 5). */
static void rec(const char *src, const char *dst, int sp, int dp, int proto, int64_t pk, int64_t by,
                int64_t s, int64_t e, const char *action, int flags)
{
    struct flow f = {ENI, INST, src, dst, action, NULL, sp, dp, proto, flags, pk, by, s, e};
    add(&f);
}

/* Threat lists of the tests. */
#define C2_IP     "185.220.1.10"
#define TOR_IP    "185.220.2.20"
#define HOLE_IP   "185.220.3.30"
#define DROP_IP   "185.220.4.40"
#define MINE_IP   "51.15.5.50"
#define BAD_IP    "45.155.6.60"  /* the user's threat list */
#define BAD2_IP   "45.155.6.61"  /* the user's threat list */
#define EVIL_IP   "91.240.7.70"  /* malicious-address knowledge */
#define TRUST_IP  "203.0.113.0"  /* never used: documentation range */
#define OFFICE_IP "146.203.9.99" /* trusted office (and scanner) */
#define BOTH_IP   "185.220.1.11" /* on the C2 list and the trusted list */

static struct rp_det_ti *ti_new(void)
{
    struct rp_det_ti *ti = NULL;
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    struct rp_errbuf eb = {0};
    static const struct {
        enum rp_det_ti_kind k;
        const char *list, *e;
    } entries[] = {
        {RP_TI_C2, "c2-list", C2_IP},
        {RP_TI_C2, "c2-list", BOTH_IP},
        {RP_TI_TOR, "tor-nodes", TOR_IP},
        {RP_TI_BLACKHOLE, "sinkholes", HOLE_IP},
        {RP_TI_DROP_POINT, "drop-points", DROP_IP},
        {RP_TI_MINING, "mining-pools", MINE_IP},
        {RP_TI_THREAT, "malicious-ips", BAD_IP},
        {RP_TI_THREAT, "malicious-ips", BAD2_IP},
        {RP_TI_THREAT, "malicious-ips", OFFICE_IP},
        {RP_TI_MALICIOUS, "known-scanners", EVIL_IP},
        {RP_TI_TRUSTED, "trusted-ips", OFFICE_IP},
        {RP_TI_TRUSTED, "trusted-ips", BOTH_IP},
    };
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        assert_int_equal(
            rp_det_ti_add(ti, entries[i].k, entries[i].list, rp_str_from(entries[i].e), &eb),
            RP_OK);
    return ti;
}

/* Run detector d (NULL: all of them) over the events with store st (may be NULL: no
 * inventory); the context to inspect. */
static struct rp_det_ctx *run_st(const struct rp_detector *d, struct rp_det_ti *ti,
                                 struct rp_store *st)
{
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(NULL, st, ti, &dc, &eb), RP_OK);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (d && all[i] != d) continue;
        rp_err e = rp_det_ctx_run1(dc, all[i], E->ev, E->n, &eb);
        if (e) fail_msg("%s: %s", all[i]->id, eb.msg);
    }
    return dc;
}

static struct rp_det_ctx *run(const struct rp_detector *d, struct rp_det_ti *ti)
{
    return run_st(d, ti, NULL);
}

static void expect_none(const struct rp_detector *d, struct rp_det_ti *ti)
{
    struct rp_det_ctx *dc = run(d, ti);
    for (size_t i = 0; i < rp_det_ctx_nfindings(dc); i++) {
        const struct rp_det_folded *f = rp_det_ctx_finding(dc, i);
        print_error("unexpected %s on %s (%s)\n", f->f.type, f->f.resource_id,
                    f->f.evidence_key ? f->f.evidence_key : "");
    }
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

static const struct rp_det_folded *only(struct rp_det_ctx *dc, const char *type)
{
    if (rp_det_ctx_nfindings(dc) != 1)
        for (size_t i = 0; i < rp_det_ctx_nfindings(dc); i++)
            print_error("finding %s on %s\n", rp_det_ctx_finding(dc, i)->f.type,
                        rp_det_ctx_finding(dc, i)->f.resource_id);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.type, type);
    return f;
}

static void assert_instance(const struct rp_det_finding *f)
{
    assert_int_equal(f->res, RP_DET_RES_INSTANCE);
    assert_string_equal(f->resource_id, INST);
    assert_string_equal(f->instance_id, INST);
    assert_string_equal(f->eni, ENI);
    assert_string_equal(f->account, ACCT);
    assert_string_equal(f->region, "us-east-1");
    assert_string_equal(f->local_ip, LIP);
}

/* ---- helpers ----------------------------------------------------------------------------- */

struct kv {
    char k[8];
    int v;
};

static rp_err drop_odd(void *ctx, void *entry, bool *remove, struct rp_errbuf *eb)
{
    (void)eb;
    int *visited = ctx;
    struct kv *x = entry;
    (*visited)++;
    *remove = x->v % 2 == 1;
    return RP_OK;
}

static void test_map_and_set(void **state)
{
    (void)state;
    struct rp_dfl_map m;
    rp_dfl_map_init(&m, 8, sizeof(struct kv), 100);
    for (int i = 0; i < 101; i++) {
        struct kv k;
        memset(&k, 0, sizeof k);
        snprintf(k.k, sizeof k.k, "k%d", i);
        bool created = false;
        rp_err err = RP_OK;
        struct kv *x = rp_dfl_map_add(&m, &k, &created, &err);
        if (i == 100) {
            assert_null(x); /* past the cap: refused and counted */
            assert_int_equal(m.dropped, 1);
            continue;
        }
        assert_non_null(x);
        assert_true(created);
        x->v = i;
    }
    struct kv k;
    memset(&k, 0, sizeof k);
    rp_strlcpy(k.k, "k42", sizeof k.k);
    assert_int_equal(((struct kv *)rp_dfl_map_find(&m, &k))->v, 42);
    int visited = 0;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dfl_map_sweep(&m, drop_odd, &visited, &eb), RP_OK);
    assert_int_equal(visited, 100);
    assert_int_equal(m.n, 50);
    assert_int_equal(((struct kv *)rp_dfl_map_find(&m, &k))->v, 42);
    rp_strlcpy(k.k, "k43", sizeof k.k);
    assert_null(rp_dfl_map_find(&m, &k));
    /* insertion order is kept: the first entry is k0, the last k98 */
    assert_string_equal(((struct kv *)(void *)m.e)->k, "k0");
    assert_string_equal(((struct kv *)(void *)(m.e + 49 * m.esize))->k, "k98");
    bool created = false;
    rp_err err = RP_OK;
    assert_non_null(rp_dfl_map_add(&m, &k, &created, &err));
    assert_true(created);
    rp_dfl_map_release(&m);

    struct rp_dfl_set s;
    memset(&s, 0, sizeof s);
    for (uint32_t v = 0; v < 30; v++) assert_int_equal(rp_dfl_set_add(&s, v, 20), v < 20 ? 1 : 0);
    assert_int_equal(s.n, 20);
    assert_int_equal(rp_dfl_set_add(&s, 7, 20), 0);
    rp_dfl_set_release(&s);
    assert_int_equal(s.n, 0);
}

static void test_read_record(void **state)
{
    (void)state;
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(NULL, NULL, NULL, &dc, &eb), RP_OK);
    struct rp_dfl_enis *enis = NULL;
    assert_int_equal(rp_dfl_enis_new(&enis), RP_OK);
    struct rp_dfl_rec r;
    /* the instance's SYN out: outbound, opened by the instance */
    rec(LIP, "146.203.1.1", 40000, 443, 6, 1, 44, T0S, 0, NULL, 2);
    assert_true(rp_dfl_read(dc, enis, &E->ev[0], &r));
    assert_true(r.outbound);
    assert_true(r.local_init);
    assert_string_equal(r.who.instance_id, INST);
    assert_string_equal(r.who.local_ip, LIP);
    assert_string_equal(r.remote_ip, "146.203.1.1");
    assert_int_equal(r.local_port, 40000);
    assert_int_equal(r.remote_port, 443);
    assert_true(r.remote_public);
    assert_int_equal(r.start_ms, T0);
    /* the SYN-ACK back: inbound, still the instance's connection */
    rec("146.203.1.1", LIP, 443, 40000, 6, 1, 44, T0S, 0, NULL, 18);
    assert_true(rp_dfl_read(dc, enis, &E->ev[1], &r));
    assert_false(r.outbound);
    assert_true(r.local_init);
    /* version 2 (no flags, no instance): the lower port is the service */
    struct flow f = {ENI, NULL, "146.203.1.1", LIP, NULL,   NULL, 50000, 22, 6,
                     -1,  12,   1500,          T0S, T0S + 3};
    add(&f);
    assert_true(rp_dfl_read(dc, enis, &E->ev[2], &r));
    assert_false(r.outbound);
    assert_false(r.local_init);
    assert_string_equal(r.who.instance_id, "");
    assert_string_equal(rp_dfl_resource(&r.who), ENI);
    /* NODATA and records without addresses are skipped */
    rp_det_event_set(&E->ev[2], RP_FL_LOG_STATUS, "NODATA");
    assert_false(rp_dfl_read(dc, enis, &E->ev[2], &r));
    rp_det_event_set(&E->ev[1], RP_FL_SRCADDR, NULL);
    assert_false(rp_dfl_read(dc, enis, &E->ev[1], &r));
    /* both sides private, nothing learnt yet for this interface: cannot tell */
    struct flow g = {"eni-0aaaaaaaaaaaaaaaa",
                     NULL,
                     "10.0.2.7",
                     "10.0.3.8",
                     NULL,
                     NULL,
                     40000,
                     5432,
                     6,
                     -1,
                     10,
                     900,
                     T0S,
                     0};
    add(&g);
    assert_false(rp_dfl_read(dc, enis, &E->ev[3], &r));
    /* flow-direction decides when present */
    g.dir = "egress";
    add(&g);
    assert_true(rp_dfl_read(dc, enis, &E->ev[4], &r));
    assert_true(r.outbound);
    assert_string_equal(r.who.local_ip, "10.0.2.7");
    rp_dfl_enis_free(enis);
    rp_det_ctx_free(dc);
}

/* A NAT gateway's interface forwards a private instance's connections: four records each.
 * With flow-direction (version 5) the forwarded records show a public local side; without
 * (version 2) the interface shows two private local addresses. Either way it is skipped. */
static void nat_records(const char *remote, int sp, int dp, int np, int64_t pk, int64_t by,
                        int64_t ipk, int64_t s, int64_t e, bool v5)
{
    struct flow f = {NENI,        NULL, LIP, remote, NULL, v5 ? "ingress" : NULL, sp, dp, 6,
                     v5 ? 2 : -1, pk,   by,  s,      e};
    add(&f);
    f.src = NIP;
    f.sp = np;
    f.dir = v5 ? "egress" : NULL;
    add(&f);
    if (!ipk) return;
    struct flow g = {NENI,        NULL, remote,   NIP, NULL, v5 ? "ingress" : NULL, dp, np, 6,
                     v5 ? 4 : -1, ipk,  ipk * 40, s,   e};
    add(&g);
    g.dst = LIP;
    g.dp = sp;
    g.dir = v5 ? "egress" : NULL;
    add(&g);
}

/* Ordinary traffic of another instance through the NAT gateway before the test's records: a
 * NAT gateway carries its VPC's traffic from the start, and its interface is learnt from it. */
static void nat_warmup(bool v5)
{
    struct flow f = {NENI,     NULL,    "10.0.1.77", "52.94.1.1", NULL, v5 ? "ingress" : NULL,
                     41000,    443,     6,           v5 ? 3 : -1, 20,   3000,
                     T0S - 60, T0S - 58};
    add(&f);
    f.src = NIP;
    f.sp = 3000;
    f.dir = v5 ? "egress" : NULL;
    add(&f);
}

/* ---- Recon:EC2/Portscan, Impact:EC2/PortSweep --------------------------------------------- */

#define SCANNED "146.203.238.171"

static void scan(int nports, int64_t step_s, const char *target, bool via_nat, bool v5)
{
    if (via_nat) nat_warmup(v5);
    for (int i = 0; i < nports; i++) {
        int64_t t = T0S + i * step_s;
        int port = 1 + i * 7;
        if (v5) {
            rec(LIP, target, 40000, port, 6, 1, 44, t, t, NULL, 2);
            rec(target, LIP, port, 40000, 6, 1, 40, t, t, NULL, 4); /* RST */
        } else {
            struct flow f = {ENI, NULL, LIP, target, NULL, NULL, 40000, port, 6, -1, 1, 44, t, t};
            add(&f);
            struct flow g = {ENI, NULL, target, LIP, NULL, NULL, port, 40000, 6, -1, 1, 40, t, t};
            add(&g);
        }
        if (via_nat) nat_records(target, 40000, port, 1024 + i, 1, 44, 1, t, t, v5);
    }
}

static void test_portscan(void **state)
{
    (void)state;
    scan(100, 1, SCANNED, false, true);
    struct rp_det_ctx *dc = run(&rp_det_flow_portscan, NULL);
    const struct rp_det_folded *x = only(dc, "Recon:EC2/Portscan");
    assert_instance(&x->f);
    assert_string_equal(x->f.evidence_key, SCANNED);
    assert_string_equal(x->f.remote_ip, SCANNED);
    assert_int_equal(x->f.count, 100);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + 99000);
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_string_equal(x->f.direction, "OUTBOUND");
    assert_string_equal(x->f.protocol, "TCP");
    assert_int_equal(x->f.action, RP_DET_ACT_NETWORK_CONNECTION);
    assert_false(x->f.blocked);
    assert_true(x->type->severity == 5.0);
    rp_det_ctx_free(dc);
}

static void test_portscan_negative(void **state)
{
    (void)state;
    scan(99, 1, SCANNED, false, true); /* one port short */
    expect_none(&rp_det_flow_portscan, NULL);
    E->n = 0;
    scan(100, 7, SCANNED, false, true); /* 700 s: at most 86 ports in one 10-minute window */
    expect_none(&rp_det_flow_portscan, NULL);
    E->n = 0;
    scan(120, 1, OFFICE_IP, false, true); /* a trusted address */
    struct rp_det_ti *ti = ti_new();
    expect_none(&rp_det_flow_portscan, ti);
    rp_det_ti_free(ti);
    /* a server answering one client's 150 connections: SYN-ACKs to many client ports */
    E->n = 0;
    for (int i = 0; i < 150; i++) {
        rec(SCANNED, LIP, 30000 + i, 443, 6, 2, 120, T0S + i, 0, NULL, 2);
        rec(LIP, SCANNED, 443, 30000 + i, 6, 2, 120, T0S + i, 0, NULL, 18);
    }
    expect_none(&rp_det_flow_portscan, NULL);
    /* connections carrying data are no probes */
    E->n = 0;
    for (int i = 0; i < 150; i++) rec(LIP, SCANNED, 40000, 1 + i, 6, 12, 4000, T0S + i, 0, NULL, 3);
    expect_none(&rp_det_flow_portscan, NULL);
    /* a UDP traceroute-like run */
    E->n = 0;
    for (int i = 0; i < 150; i++) rec(LIP, SCANNED, 40000, 33434 + i, 17, 1, 60, T0S, 0, NULL, -1);
    expect_none(&rp_det_flow_portscan, NULL);
}

/* A private instance scanning through its NAT gateway: one finding, about the instance. */
static void test_portscan_via_nat(void **state)
{
    (void)state;
    scan(100, 1, SCANNED, true, true);
    struct rp_det_ctx *dc = run(NULL, NULL);
    const struct rp_det_folded *x = only(dc, "Recon:EC2/Portscan");
    assert_string_equal(x->f.resource_id, INST);
    assert_int_equal(x->f.count, 100);
    rp_det_ctx_free(dc);
    /* version 2: no instance id, no flow-direction, no inventory: the instance's interface */
    E->n = 0;
    scan(100, 1, SCANNED, true, false);
    dc = run(NULL, NULL);
    x = only(dc, "Recon:EC2/Portscan");
    assert_string_equal(x->f.resource_id, ENI);
    assert_null(x->f.instance_id);
    assert_int_equal(x->f.count, 100);
    rp_det_ctx_free(dc);
}

static void sweep(int nhosts, int netb, int port, const char *action)
{
    for (int i = 0; i < nhosts; i++) {
        const char *ip = S("146.%d.%d.%d", netb, i / 200, 1 + i % 200);
        rec(LIP, ip, 41000, port, 6, 1, 44, T0S + i * 2, 0, action, 2);
    }
}

static void test_portsweep(void **state)
{
    (void)state;
    sweep(100, 203, 6379, "REJECT");
    struct rp_det_ctx *dc = run(&rp_det_flow_portscan, NULL);
    const struct rp_det_folded *x = only(dc, "Impact:EC2/PortSweep");
    assert_instance(&x->f);
    assert_string_equal(x->f.evidence_key, "6379@146.203.0.0/16");
    assert_string_equal(x->f.remote_ip, "146.203.0.1");
    assert_int_equal(x->f.remote_port, 6379);
    assert_int_equal(x->f.count, 100);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + 198000);
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_true(x->f.blocked); /* every probe was rejected by the security group */
    assert_true(x->type->severity == 8.0);
    rp_det_ctx_free(dc);
}

static void test_portsweep_negative(void **state)
{
    (void)state;
    sweep(99, 203, 6379, NULL); /* one host short */
    expect_none(&rp_det_flow_portscan, NULL);
    E->n = 0;
    sweep(60, 203, 6379, NULL); /* 120 hosts, but of two networks */
    sweep(60, 204, 6379, NULL);
    expect_none(&rp_det_flow_portscan, NULL);
    E->n = 0;
    sweep(60, 203, 6379, NULL); /* 120 hosts of one network, but two ports */
    for (int i = 0; i < 60; i++)
        rec(S("146.203.9.%d", i + 1), LIP, 27017, 41000, 6, 1, 44, T0S, 0, NULL, 18);
    for (int i = 0; i < 60; i++)
        rec(LIP, S("146.203.9.%d", i + 1), 41000, 27017, 6, 1, 44, T0S, 0, NULL, 2);
    expect_none(&rp_det_flow_portscan, NULL);
}

/* ---- brute force ------------------------------------------------------------------------- */

#define ATTACKER "146.203.7.7"

static void sessions_in(int n, const char *remote, int port, const char *action, int64_t dur)
{
    for (int i = 0; i < n; i++) {
        int64_t t = T0S + i * 20;
        rec(remote, LIP, 50000 + i, port, 6, 15, 2400, t, t + dur, action, 3);
        if (!action) rec(LIP, remote, port, 50000 + i, 6, 12, 2800, t, t + dur, action, 19);
    }
}

static void sessions_out(int n, const char *remote, int port)
{
    for (int i = 0; i < n; i++) {
        int64_t t = T0S + i * 20;
        rec(LIP, remote, 50000 + i, port, 6, 15, 2400, t, t + 5, NULL, 3);
        rec(remote, LIP, port, 50000 + i, 6, 12, 2800, t, t + 5, NULL, 19);
    }
}

static void test_ssh_bruteforce_target(void **state)
{
    (void)state;
    sessions_in(50, ATTACKER, 22, NULL, 5);
    struct rp_det_ctx *dc = run(&rp_det_flow_bruteforce, NULL);
    const struct rp_det_folded *x = only(dc, "UnauthorizedAccess:EC2/SSHBruteForce");
    assert_instance(&x->f);
    assert_string_equal(x->f.evidence_key, ATTACKER);
    assert_string_equal(x->f.remote_ip, ATTACKER);
    assert_int_equal(x->f.count, 50);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + (49 * 20 + 5) * 1000);
    assert_string_equal(x->f.resource_role, "TARGET");
    assert_string_equal(x->f.direction, "INBOUND");
    assert_int_equal(x->f.local_port, 22);
    assert_int_equal(x->f.remote_port, 50000);
    assert_true(x->f.severity == 0); /* the type's default */
    assert_true(x->type->severity == 2.0);
    rp_det_ctx_free(dc);
}

static void test_ssh_bruteforce_negative(void **state)
{
    (void)state;
    sessions_in(49, ATTACKER, 22, NULL, 5); /* one session short */
    expect_none(&rp_det_flow_bruteforce, NULL);
    E->n = 0;
    sessions_in(80, ATTACKER, 22, "REJECT", 0); /* blocked by the security group */
    expect_none(&rp_det_flow_bruteforce, NULL);
    E->n = 0;
    sessions_in(80, ATTACKER, 22, NULL, 40); /* long sessions: work, not guessing */
    expect_none(&rp_det_flow_bruteforce, NULL);
    E->n = 0;
    sessions_in(80, "10.0.9.9", 22, NULL, 5); /* inside the estate: configuration management */
    expect_none(&rp_det_flow_bruteforce, NULL);
    E->n = 0;
    sessions_in(80, OFFICE_IP, 22, NULL, 5); /* trusted */
    struct rp_det_ti *ti = ti_new();
    expect_none(&rp_det_flow_bruteforce, ti);
    rp_det_ti_free(ti);
    E->n = 0;
    for (int i = 0; i < 80; i++) /* spread over 80 minutes: never 50 in 30 minutes */
        rec(ATTACKER, LIP, 50000 + i, 22, 6, 15, 2400, T0S + i * 60, T0S + i * 60 + 5, NULL, 3);
    expect_none(&rp_det_flow_bruteforce, NULL);
}

static void test_ssh_bruteforce_actor(void **state)
{
    (void)state;
    sessions_out(50, ATTACKER, 22);
    sessions_out(60, "146.203.7.8", 22);
    struct rp_det_ctx *dc = run(&rp_det_flow_bruteforce, NULL);
    const struct rp_det_folded *x = only(dc, "UnauthorizedAccess:EC2/SSHBruteForce");
    assert_instance(&x->f);
    assert_null(x->f.evidence_key); /* one finding for the instance, whatever the targets */
    assert_string_equal(x->f.remote_ip, ATTACKER);
    assert_int_equal(x->f.count, 110);
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_string_equal(x->f.direction, "OUTBOUND");
    assert_int_equal(x->f.remote_port, 22);
    assert_true(x->f.severity == 8.0);
    rp_det_ctx_free(dc);
    E->n = 0;
    sessions_out(49, ATTACKER, 22); /* one short */
    expect_none(&rp_det_flow_bruteforce, NULL);
}

static void test_rdp_winrm_bruteforce(void **state)
{
    (void)state;
    sessions_in(50, ATTACKER, 3389, NULL, 5);
    struct rp_det_ctx *dc = run(&rp_det_flow_bruteforce, NULL);
    const struct rp_det_folded *x = only(dc, "UnauthorizedAccess:EC2/RDPBruteForce");
    assert_string_equal(x->f.resource_role, "TARGET");
    assert_int_equal(x->f.local_port, 3389);
    assert_int_equal(x->f.count, 50);
    rp_det_ctx_free(dc);
    E->n = 0;
    sessions_out(25, ATTACKER, 5985); /* both WinRM ports are one service */
    for (int i = 0; i < 25; i++)
        rec(LIP, ATTACKER, 52000 + i, 5986, 6, 15, 2400, T0S + 600 + i, T0S + 602 + i, NULL, 3);
    dc = run(&rp_det_flow_bruteforce, NULL);
    x = only(dc, "Impact:EC2/WinRMBruteForce");
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_true(x->f.severity == 8.0);
    assert_int_equal(x->f.count, 50);
    rp_det_ctx_free(dc);
    E->n = 0;
    sessions_in(49, ATTACKER, 3389, NULL, 5);
    sessions_out(49, ATTACKER, 5986);
    expect_none(&rp_det_flow_bruteforce, NULL);
}

/* ---- denial of service ------------------------------------------------------------------- */

#define VICTIM "146.203.5.5"

/* minutes x 8 one-minute records of pk packets of size bytes each, and replies of rpk. */
static void flood(int minutes, int proto, int port, int64_t pk, int64_t size, int64_t rpk,
                  const char *remote)
{
    for (int m = 0; m < minutes; m++)
        for (int k = 0; k < 8; k++) {
            int64_t t = T0S + m * 60;
            rec(LIP, remote, 40000 + k, port, proto, pk, pk * size, t, t + 59, NULL, -1);
            if (rpk) rec(remote, LIP, port, 40000 + k, proto, rpk, rpk * 60, t, t + 59, NULL, -1);
        }
}

static void test_dos_udp(void **state)
{
    (void)state;
    flood(3, 17, 27015, 120000, 1024, 0, VICTIM);
    struct rp_det_ctx *dc = run(&rp_det_flow_dos, NULL);
    const struct rp_det_folded *x = only(dc, "Backdoor:EC2/DenialOfService.Udp");
    assert_instance(&x->f);
    assert_string_equal(x->f.evidence_key, VICTIM);
    assert_string_equal(x->f.remote_ip, VICTIM);
    assert_int_equal(x->f.remote_port, 27015);
    assert_string_equal(x->f.protocol, "UDP");
    assert_int_equal(x->f.count, 24);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + (2 * 60 + 59) * 1000);
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_string_equal(x->f.direction, "OUTBOUND");
    assert_true(x->type->severity == 8.0);
    rp_det_ctx_free(dc);
    /* a flood of 1 KiB packets to port 53 is no DNS traffic: still .Udp */
    E->n = 0;
    flood(1, 17, 53, 120000, 1024, 0, VICTIM);
    dc = run(&rp_det_flow_dos, NULL);
    only(dc, "Backdoor:EC2/DenialOfService.Udp");
    rp_det_ctx_free(dc);
}

static void test_dos_udp_negative(void **state)
{
    (void)state;
    flood(3, 17, 27015, 30000, 1024, 0, VICTIM); /* 8 x 30000 / 59 s = 4068 pps */
    expect_none(&rp_det_flow_dos, NULL);
    E->n = 0;
    flood(3, 17, 443, 120000, 1200, 60000, VICTIM); /* answered: QUIC-like upload */
    expect_none(&rp_det_flow_dos, NULL);
    E->n = 0;
    flood(3, 17, 27015, 120000, 1024, 0, "10.0.7.7"); /* not a public address */
    expect_none(&rp_det_flow_dos, NULL);
    E->n = 0;
    flood(3, 17, 27015, 120000, 1024, 0, OFFICE_IP); /* trusted */
    struct rp_det_ti *ti = ti_new();
    expect_none(&rp_det_flow_dos, ti);
    rp_det_ti_free(ti);
}

static void test_dos_dns_tcp_ports_protocols(void **state)
{
    (void)state;
    flood(2, 17, 53, 120000, 80, 0, VICTIM);
    struct rp_det_ctx *dc = run(&rp_det_flow_dos, NULL);
    const struct rp_det_folded *x = only(dc, "Backdoor:EC2/DenialOfService.Dns");
    assert_int_equal(x->f.remote_port, 53);
    assert_int_equal(x->f.count, 16);
    rp_det_ctx_free(dc);
    E->n = 0;
    flood(2, 17, 3306, 120000, 512, 0, VICTIM);
    dc = run(&rp_det_flow_dos, NULL);
    x = only(dc, "Backdoor:EC2/DenialOfService.UdpOnTcpPorts");
    assert_int_equal(x->f.remote_port, 3306);
    rp_det_ctx_free(dc);
    E->n = 0;
    flood(2, 6, 80, 120000, 40, 100, VICTIM); /* SYN flood, a few RSTs back */
    dc = run(&rp_det_flow_dos, NULL);
    x = only(dc, "Backdoor:EC2/DenialOfService.Tcp");
    assert_string_equal(x->f.protocol, "TCP");
    rp_det_ctx_free(dc);
    E->n = 0;
    flood(2, 47, 0, 120000, 500, 0, VICTIM); /* GRE */
    dc = run(&rp_det_flow_dos, NULL);
    x = only(dc, "Backdoor:EC2/DenialOfService.UnusualProtocol");
    assert_string_equal(x->f.protocol, "GRE");
    rp_det_ctx_free(dc);
    /* negatives: DNS just under the rate, ICMP (no such type), a TCP bulk transfer */
    E->n = 0;
    flood(2, 17, 53, 30000, 80, 0, VICTIM);
    flood(2, 1, 0, 120000, 84, 0, "146.203.5.6");
    flood(2, 6, 443, 120000, 1400, 60000, "146.203.5.7");
    flood(2, 47, 0, 30000, 500, 0, "146.203.5.8");
    flood(2, 17, 3306, 120000, 512, 13000, "146.203.5.9"); /* answered above 10% */
    expect_none(&rp_det_flow_dos, NULL);
}

/* ---- Backdoor:EC2/Spambot ---------------------------------------------------------------- */

static void smtp(int n, int64_t t0, int distinct, int port, const char *action)
{
    for (int i = 0; i < n; i++) {
        const char *mx = S("146.%d.%d.25", 100 + i % distinct, 1 + i % distinct);
        int64_t t = t0 + i * 30;
        rec(LIP, mx, 45000 + i, port, 6, 30, 12000, t, t + 3, action, 3);
        if (!action) rec(mx, LIP, port, 45000 + i, 6, 27, 1900, t, t + 3, action, 19);
    }
}

static void test_spambot(void **state)
{
    (void)state;
    smtp(40, T0S, 25, 25, NULL);
    struct rp_det_ctx *dc = run(&rp_det_flow_spambot, NULL);
    const struct rp_det_folded *x = only(dc, "Backdoor:EC2/Spambot");
    assert_instance(&x->f);
    assert_null(x->f.evidence_key);
    assert_int_equal(x->f.count, 40);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + (39 * 30 + 3) * 1000);
    assert_string_equal(x->f.remote_ip, "146.100.1.25");
    assert_int_equal(x->f.remote_port, 25);
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_true(x->type->severity == 5.0);
    rp_det_ctx_free(dc);
    /* submission port, and a burst a few hours after a little ordinary mail: no history yet */
    E->n = 0;
    smtp(3, T0S, 3, 587, NULL);
    smtp(30, T0S + 4 * 3600, 30, 587, NULL);
    dc = run(&rp_det_flow_spambot, NULL);
    x = only(dc, "Backdoor:EC2/Spambot");
    assert_int_equal(x->f.count, 30);
    rp_det_ctx_free(dc);
}

static void test_spambot_negative(void **state)
{
    (void)state;
    smtp(60, T0S, 24, 25, NULL); /* 24 distinct servers */
    expect_none(&rp_det_flow_spambot, NULL);
    E->n = 0;
    smtp(60, T0S, 40, 25, "REJECT"); /* port 25 blocked */
    expect_none(&rp_det_flow_spambot, NULL);
    E->n = 0;
    smtp(60, T0S, 40, 2525, NULL); /* not an SMTP port */
    expect_none(&rp_det_flow_spambot, NULL);
    /* a mail server: ordinary mail two days before the burst */
    E->n = 0;
    smtp(5, T0S, 5, 25, NULL);
    smtp(40, T0S + 2 * 86400, 40, 25, NULL);
    expect_none(&rp_det_flow_spambot, NULL);
}

/* ---- threat lists ------------------------------------------------------------------------ */

static void test_c2(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    rec(LIP, C2_IP, 40100, 443, 6, 12, 1800, T0S, T0S + 2, NULL, 3);
    rec(C2_IP, LIP, 443, 40100, 6, 10, 5200, T0S, T0S + 2, NULL, 19);
    rec(LIP, C2_IP, 40101, 443, 6, 12, 1800, T0S + 60, T0S + 62, "REJECT", 3);
    struct rp_det_ctx *dc = run(&rp_det_flow_threatintel, ti);
    const struct rp_det_folded *x = only(dc, "Backdoor:EC2/C&CActivity.B");
    assert_instance(&x->f);
    assert_string_equal(x->f.evidence_key, C2_IP);
    assert_string_equal(x->f.remote_ip, C2_IP);
    assert_int_equal(x->f.count, 2); /* the two requests; the small answer is the same talk */
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + 62000);
    assert_int_equal(x->f.remote_port, 443);
    assert_int_equal(x->f.local_port, 40100);
    assert_string_equal(x->f.direction, "OUTBOUND");
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_string_equal(x->f.threat_list, "c2-list");
    assert_string_equal(x->f.threat_name, C2_IP);
    assert_false(x->f.blocked);
    assert_true(x->type->severity == 8.0);
    rp_det_ctx_free(dc);
    /* negatives: a C2 address knocking on the instance (rejected and accepted, small), an
     * address on the C2 list and the trusted list, an unlisted address */
    E->n = 0;
    rec(C2_IP, LIP, 50000, 23, 6, 1, 44, T0S, 0, "REJECT", 2);
    rec(C2_IP, LIP, 50001, 443, 6, 5, 400, T0S, T0S + 1, NULL, 3);
    rec(LIP, C2_IP, 443, 50001, 6, 4, 800, T0S, T0S + 1, NULL, 19);
    rec(LIP, BOTH_IP, 40100, 443, 6, 12, 1800, T0S, T0S + 2, NULL, 3);
    rec(LIP, "146.203.1.1", 40100, 443, 6, 12, 1800, T0S, T0S + 2, NULL, 3);
    expect_none(&rp_det_flow_threatintel, ti);
    rp_det_ti_free(ti);
}

static void test_tor_blackhole_droppoint(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    rec(LIP, TOR_IP, 40200, 9001, 6, 30, 9000, T0S, T0S + 50, NULL, 3);
    rec(TOR_IP, LIP, 9001, 40200, 6, 30, 19000, T0S, T0S + 50, NULL, 19);
    struct rp_det_ctx *dc = run(&rp_det_flow_threatintel, ti);
    const struct rp_det_folded *x = only(dc, "UnauthorizedAccess:EC2/TorClient");
    assert_string_equal(x->f.threat_list, "tor-nodes");
    assert_int_equal(x->f.count, 1);
    assert_int_equal(x->f.remote_port, 9001);
    rp_det_ctx_free(dc);
    E->n = 0;
    rec(LIP, HOLE_IP, 40300, 80, 6, 3, 180, T0S, T0S + 1, "REJECT", 2);
    dc = run(&rp_det_flow_threatintel, ti);
    x = only(dc, "Trojan:EC2/BlackholeTraffic");
    assert_true(x->f.blocked);
    assert_string_equal(x->f.threat_list, "sinkholes");
    assert_true(x->type->severity == 5.0);
    rp_det_ctx_free(dc);
    E->n = 0;
    rec(LIP, DROP_IP, 40400, 443, 6, 900, 1200000, T0S, T0S + 30, NULL, 3);
    dc = run(&rp_det_flow_threatintel, ti);
    x = only(dc, "Trojan:EC2/DropPoint");
    assert_string_equal(x->f.remote_ip, DROP_IP);
    assert_string_equal(x->f.threat_list, "drop-points");
    rp_det_ctx_free(dc);
    /* negatives: Tor users reaching the instance's web server, sinkhole and drop point only
     * knocking on the instance */
    E->n = 0;
    rec(TOR_IP, LIP, 50000, 443, 6, 40, 30000, T0S, T0S + 5, NULL, 3);
    rec(LIP, TOR_IP, 443, 50000, 6, 40, 90000, T0S, T0S + 5, NULL, 19);
    rec(HOLE_IP, LIP, 50000, 22, 6, 1, 44, T0S, 0, "REJECT", 2);
    rec(DROP_IP, LIP, 50000, 8080, 6, 2, 88, T0S, 0, NULL, 2);
    expect_none(&rp_det_flow_threatintel, ti);
    rp_det_ti_free(ti);
}

static void test_malicious_ip_custom(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    rec(LIP, BAD_IP, 40500, 8443, 6, 20, 3000, T0S, T0S + 4, NULL, 3);
    struct rp_det_ctx *dc = run(&rp_det_flow_threatintel, ti);
    const struct rp_det_folded *x = only(dc, "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom");
    assert_string_equal(x->f.threat_list, "malicious-ips");
    assert_string_equal(x->f.direction, "OUTBOUND");
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_true(x->type->severity == 5.0);
    rp_det_ctx_free(dc);
    /* inbound: a real exchange with the listed address (20 KiB accepted) */
    E->n = 0;
    rec(BAD_IP, LIP, 50000, 22, 6, 60, 20480, T0S, T0S + 90, NULL, 3);
    dc = run(&rp_det_flow_threatintel, ti);
    x = only(dc, "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom");
    assert_string_equal(x->f.direction, "INBOUND");
    assert_string_equal(x->f.resource_role, "TARGET");
    assert_int_equal(x->f.local_port, 22);
    rp_det_ctx_free(dc);
    /* negatives: blocked on the way out, a small knock in, a trusted address on the list */
    E->n = 0;
    rec(LIP, BAD_IP, 40500, 8443, 6, 3, 180, T0S, T0S + 1, "REJECT", 2);
    rec(BAD_IP, LIP, 50000, 9200, 6, 5, 402, T0S, T0S + 1, NULL, 3);
    rec(LIP, BAD_IP, 9200, 50000, 6, 4, 871, T0S, T0S + 1, NULL, 19);
    rec(LIP, OFFICE_IP, 40500, 443, 6, 20, 30000, T0S, T0S + 4, NULL, 3);
    expect_none(&rp_det_flow_threatintel, ti);
    rp_det_ti_free(ti);
}

/* A stratum connection reported every 10 minutes. */
static void stratum(int records, const char *pool, int port, int64_t every_s, int64_t size)
{
    for (int i = 0; i < records; i++) {
        int64_t t = T0S + i * every_s;
        int flags = i == 0 ? 2 : 0;
        rec(LIP, pool, 45123, port, 6, 60, 60 * size, t, t + every_s - 1, NULL, flags);
        rec(pool, LIP, port, 45123, 6, 70, 70 * 260, t, t + every_s - 1, NULL, i == 0 ? 18 : 0);
    }
}

static void test_bitcoin_tool(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    stratum(3, "51.158.10.20", 3333, 600, 140); /* not listed: the pattern decides */
    struct rp_det_ctx *dc = run(&rp_det_flow_threatintel, ti);
    const struct rp_det_folded *x = only(dc, "CryptoCurrency:EC2/BitcoinTool.B");
    assert_instance(&x->f);
    assert_string_equal(x->f.evidence_key, "51.158.10.20");
    assert_int_equal(x->f.remote_port, 3333);
    assert_int_equal(x->f.count, 3);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + 1799000);
    assert_null(x->f.threat_list);
    assert_string_equal(x->f.resource_role, "ACTOR");
    assert_true(x->type->severity == 8.0);
    rp_det_ctx_free(dc);
    /* a listed pool: one record is enough */
    E->n = 0;
    rec(LIP, MINE_IP, 45200, 443, 6, 60, 8000, T0S, T0S + 599, NULL, 2);
    dc = run(&rp_det_flow_threatintel, ti);
    x = only(dc, "CryptoCurrency:EC2/BitcoinTool.B");
    assert_string_equal(x->f.threat_list, "mining-pools");
    rp_det_ctx_free(dc);
    /* negatives: a short-lived connection, big packets (a download), no mining port, a
     * connection kept only 15 minutes, a trusted address */
    E->n = 0;
    stratum(2, "51.158.10.21", 3333, 600, 140);
    stratum(4, "51.158.10.22", 3333, 600, 1400);
    stratum(4, "51.158.10.23", 8443, 600, 140);
    stratum(4, "51.158.10.24", 7777, 300, 140);
    stratum(4, OFFICE_IP, 3333, 600, 140);
    expect_none(&rp_det_flow_threatintel, ti);
    rp_det_ti_free(ti);
}

/* A private instance talking to a C2 server through its NAT gateway: one finding. */
static void test_c2_via_nat(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    for (int v5 = 0; v5 < 2; v5++) {
        E->n = 0;
        nat_warmup(v5);
        for (int i = 0; i < 5; i++) {
            int64_t t = T0S + i * 60;
            struct flow f = {ENI,       v5 ? INST : NULL,
                             LIP,       C2_IP,
                             NULL,      v5 ? "egress" : NULL,
                             40100 + i, 443,
                             6,         v5 ? 3 : -1,
                             12,        1800,
                             t,         t + 2};
            add(&f);
            struct flow g = {ENI,   v5 ? INST : NULL,
                             C2_IP, LIP,
                             NULL,  v5 ? "ingress" : NULL,
                             443,   40100 + i,
                             6,     v5 ? 19 : -1,
                             10,    5200,
                             t,     t + 2};
            add(&g);
            nat_records(C2_IP, 40100 + i, 443, 2000 + i, 12, 1800, 10, t, t + 2, v5);
        }
        struct rp_det_ctx *dc = run(NULL, ti);
        const struct rp_det_folded *x = only(dc, "Backdoor:EC2/C&CActivity.B");
        assert_string_equal(x->f.resource_id, v5 ? INST : ENI);
        assert_int_equal(x->f.count, 5);
        rp_det_ctx_free(dc);
    }
    rp_det_ti_free(ti);
}

/* ---- port probes ------------------------------------------------------------------------- */

static void test_port_probe(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    static const char *const scanners[] = {BAD_IP, BAD2_IP, EVIL_IP, BAD_IP};
    for (int i = 0; i < 4; i++) {
        int64_t t = T0S + i * 40;
        rec(scanners[i], LIP, 51000 + i, 9200, 6, 5, 402, t, t + 1, NULL, 3);
        rec(LIP, scanners[i], 9200, 51000 + i, 6, 4, 871, t, t + 1, NULL, 19);
        rec(scanners[i], LIP, 52000 + i, 3389, 6, 1, 44, t, t, "REJECT", 2);
    }
    struct rp_det_ctx *dc = run(&rp_det_flow_portprobe, ti);
    const struct rp_det_folded *x = only(dc, "Recon:EC2/PortProbeUnprotectedPort");
    assert_instance(&x->f);
    assert_int_equal(x->f.action, RP_DET_ACT_PORT_PROBE);
    assert_string_equal(x->f.evidence_key, "9200");
    assert_int_equal(x->f.local_port, 9200);
    assert_int_equal(x->f.count, 4);
    assert_int_equal(x->f.first_ms, T0);
    assert_int_equal(x->f.last_ms, T0 + 121000);
    assert_int_equal(x->f.nprobes, 3);
    assert_int_equal(x->f.probes[0].local_port, 9200);
    assert_string_equal(x->f.probes[0].remote_ip, BAD_IP);
    assert_string_equal(x->f.probes[1].remote_ip, BAD2_IP);
    assert_string_equal(x->f.probes[2].remote_ip, EVIL_IP);
    assert_string_equal(x->f.remote_ip, BAD_IP);
    assert_string_equal(x->f.resource_role, "TARGET");
    assert_string_equal(x->f.threat_list, "malicious-ips");
    assert_string_equal(x->f.protocol, "TCP");
    assert_true(x->f.severity == 8.0); /* Elasticsearch */
    assert_true(x->type->severity == 2.0);
    rp_det_ctx_free(dc);
    /* another port: Low; a second window folds into the same finding */
    E->n = 0;
    rec(EVIL_IP, LIP, 51000, 8080, 6, 4, 300, T0S, T0S + 1, NULL, 3);
    rec(BAD_IP, LIP, 51001, 8080, 6, 4, 300, T0S + 7200, T0S + 7201, NULL, 3);
    dc = run(&rp_det_flow_portprobe, ti);
    x = only(dc, "Recon:EC2/PortProbeUnprotectedPort");
    assert_string_equal(x->f.evidence_key, "8080");
    assert_int_equal(x->f.count, 2);
    assert_int_equal(x->f.nprobes, 2);
    assert_string_equal(x->f.threat_list, "known-scanners");
    assert_true(x->f.severity == 0);
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

static void test_port_probe_negative(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    rec(BAD_IP, LIP, 51000, 23, 6, 1, 44, T0S, T0S, "REJECT", 2);           /* protected */
    rec(OFFICE_IP, LIP, 51000, 9200, 6, 5, 402, T0S, T0S + 1, NULL, 3);     /* listed, trusted */
    rec("146.203.1.1", LIP, 51000, 9200, 6, 5, 402, T0S, T0S + 1, NULL, 3); /* unlisted */
    rec(C2_IP, LIP, 51000, 9200, 6, 5, 402, T0S, T0S + 1, NULL, 3);  /* a C2 list: not a scanner */
    rec(LIP, BAD_IP, 40000, 9200, 6, 5, 402, T0S, T0S + 1, NULL, 3); /* the instance connects */
    expect_none(&rp_det_flow_portprobe, ti);
    rp_det_ti_free(ti);
}

static void test_port_probe_emr(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    rec(BAD_IP, LIP, 51000, 8088, 6, 6, 500, T0S, T0S + 1, NULL, 3);
    struct rp_det_ctx *dc = run(&rp_det_flow_portprobe, ti);
    const struct rp_det_folded *x = only(dc, "Recon:EC2/PortProbeEMRUnprotectedPort");
    assert_string_equal(x->f.evidence_key, "8088");
    assert_int_equal(x->f.nprobes, 1);
    assert_true(x->f.severity == 0);
    assert_true(x->type->severity == 8.0);
    rp_det_ctx_free(dc);
    E->n = 0;
    rec(BAD_IP, LIP, 51000, 8088, 6, 1, 44, T0S, T0S, "REJECT", 2);
    expect_none(&rp_det_flow_portprobe, ti);
    rp_det_ti_free(ti);
}

/* ---- with an inventory ------------------------------------------------------------------- */

#define EMR_ENI  "eni-0b0b0b0b0b0b0b0b0"
#define EMR_INST "i-0b0b0b0b0b0b0b0b0"
#define EMR_IP   "10.0.1.6"

/* AWS Config items: the instance's interface (security group open to the world on 9200 and
 * 8088), the NAT gateway's interface (no instance), an EMR node's interface (8088 open), the
 * two instances' configurations (the EMR node carries EMR's cluster tag). */
static struct rp_store *inv_store(void)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    rp_err e = rp_store_exec(
        st,
        "INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, resourceType, "
        "resourceId, configuration, rp_time_ms, rp_account, rp_region) VALUES "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', '" ENI "', "
        "'{\"networkInterfaceId\":\"" ENI "\",\"privateIpAddress\":\"" LIP "\","
        "\"attachment\":{\"instanceId\":\"" INST "\"},\"groups\":[{\"groupId\":"
        "\"sg-0open\"}]}', 0, '" ACCT "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', '" NENI "', "
        "'{\"networkInterfaceId\":\"" NENI "\",\"privateIpAddress\":\"" NIP "\","
        "\"requesterManaged\":true}', 0, '" ACCT "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', '" EMR_ENI "', "
        "'{\"networkInterfaceId\":\"" EMR_ENI "\",\"privateIpAddress\":\"" EMR_IP "\","
        "\"attachment\":{\"instanceId\":\"" EMR_INST "\"},\"groups\":[{\"groupId\":"
        "\"sg-0emr\"}]}', 0, '" ACCT "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::SecurityGroup', 'sg-0open', "
        "'{\"groupId\":\"sg-0open\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","
        "\"fromPort\":9200,\"toPort\":9200,\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]},"
        "{\"ipProtocol\":\"tcp\",\"fromPort\":8088,\"toPort\":8088,\"ipv4Ranges\":"
        "[{\"cidrIp\":\"0.0.0.0/0\"}]},{\"ipProtocol\":\"tcp\",\"fromPort\":8080,"
        "\"toPort\":8080,\"ipv4Ranges\":[{\"cidrIp\":\"10.0.0.0/8\"}]}]}', 0, '" ACCT
        "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::SecurityGroup', 'sg-0emr', "
        "'{\"groupId\":\"sg-0emr\",\"ipPermissions\":[{\"ipProtocol\":\"tcp\","
        "\"fromPort\":8088,\"toPort\":8088,\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]}]}'"
        ", 0, '" ACCT "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::Instance', '" INST "', "
        "'{\"instanceId\":\"" INST "\",\"tags\":[{\"key\":\"Name\",\"value\":"
        "\"search\"}]}', 0, '" ACCT "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::Instance', '" EMR_INST "', "
        "'{\"instanceId\":\"" EMR_INST "\",\"tags\":[{\"key\":"
        "\"aws:elasticmapreduce:job-flow-id\",\"value\":\"j-2AXXXXXXGAPLF\"}]}', 0, '" ACCT
        "', 'us-east-1')",
        &eb);
    if (e) fail_msg("%s", eb.msg);
    return st;
}

/* Version 2 records (no instance id, no flow-direction): the inventory names the instance and
 * its addresses, says which ports its security groups open to the world, knows the NAT
 * gateway's interface belongs to no instance, and which instance is an EMR node. */
static void test_with_inventory(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    struct rp_store *st = inv_store();
    /* probes of open ports (9200, 8088), of a port open to the VPC only (8080), of the EMR
     * node's 8088 */
    struct flow p = {ENI, NULL, BAD_IP, LIP, NULL, NULL, 51000, 9200, 6, -1, 5, 402, T0S, T0S + 1};
    add(&p);
    p.dp = 8088;
    add(&p);
    p.dp = 8080;
    add(&p);
    struct flow q = {EMR_ENI, NULL, BAD2_IP, EMR_IP, NULL, NULL,    51000,
                     8088,    6,    -1,      5,      402,  T0S + 5, T0S + 6};
    add(&q);
    /* the instance talks to a C2 server through the NAT gateway (no warm-up: the inventory
     * knows the NAT gateway's interface) */
    struct flow c = {ENI, NULL, LIP, C2_IP, NULL, NULL,     40100,
                     443, 6,    -1,  12,    1800, T0S + 10, T0S + 12};
    add(&c);
    nat_records(C2_IP, 40100, 443, 2000, 12, 1800, 10, T0S + 10, T0S + 12, false);
    struct rp_det_ctx *dc = run_st(NULL, ti, st);
    assert_int_equal(rp_det_ctx_nfindings(dc), 4);
    const struct rp_det_folded *x = rp_det_ctx_find(dc, "Recon:EC2/PortProbeUnprotectedPort", INST);
    assert_non_null(x);
    assert_string_equal(x->f.evidence_key, "9200");
    assert_string_equal(x->f.instance_id, INST);
    assert_string_equal(x->f.local_ip, LIP);
    assert_true(x->f.severity == 8.0);
    x = rp_det_ctx_finding(dc, 1);
    assert_string_equal(x->f.type, "Recon:EC2/PortProbeUnprotectedPort"); /* not an EMR node */
    assert_string_equal(x->f.resource_id, INST);
    assert_string_equal(x->f.evidence_key, "8088");
    x = rp_det_ctx_find(dc, "Recon:EC2/PortProbeEMRUnprotectedPort", EMR_INST);
    assert_non_null(x);
    assert_string_equal(x->f.eni, EMR_ENI);
    assert_string_equal(x->f.probes[0].remote_ip, BAD2_IP);
    x = rp_det_ctx_find(dc, "Backdoor:EC2/C&CActivity.B", NULL);
    assert_non_null(x);
    assert_string_equal(x->f.resource_id, INST);
    assert_int_equal(x->f.count, 1);
    rp_det_ctx_free(dc);
    rp_store_free(st);
    rp_det_ti_free(ti);
}

/* ---- benign look-alikes (docs/simulate-scenarios.md) -------------------------------------- */

/* benign-vuln-scanner-trusted: the company's scanner, a trusted office address (also on a
 * threat list here, trusted wins), probes 300 ports of the bastion; only 22 answers. */
static void test_benign_trusted_scanner(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    for (int i = 0; i < 300; i++) {
        int port = i < 250 ? i * 4 + 1 : 3000 + i * 37;
        if (i == 5) port = 22;
        int64_t t = T0S + i * 2;
        if (port != 22) {
            rec(OFFICE_IP, LIP, 50000 + i, port, 6, 1, 44, t, t, "REJECT", 2);
            continue;
        }
        rec(OFFICE_IP, LIP, 50000 + i, 22, 6, 6, 512, t, t + 1, NULL, 3);
        rec(LIP, OFFICE_IP, 22, 50000 + i, 6, 5, 1180, t, t + 1, NULL, 19);
    }
    expect_none(NULL, ti);
    rp_det_ti_free(ti);
}

/* benign-nightly-backup-transfer: 4-5 GB per 10 minutes to an S3 address for an hour. */
static void test_benign_backup(void **state)
{
    (void)state;
    struct rp_det_ti *ti = ti_new();
    for (int i = 0; i < 6; i++) {
        int64_t t = T0S + 3600 + i * 600, bytes = (int64_t)(3800 + i * 250) << 20;
        int64_t pk = bytes / 8961 + 1;
        int flags = i == 0 ? 2 : i == 5 ? 1 : 0;
        rec(LIP, "52.216.8.2", 44444, 443, 6, pk, bytes, t, t + 599, NULL, flags);
        rec("52.216.8.2", LIP, 443, 44444, 6, pk / 2, pk / 2 * 52, t, t + 599, NULL,
            i == 0 ? 18 : flags);
    }
    expect_none(NULL, ti);
    rp_det_ti_free(ti);
}

static void test_types_registered(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        double sev;
    } want[] = {
        {"Recon:EC2/Portscan", 5},
        {"Impact:EC2/PortSweep", 8},
        {"UnauthorizedAccess:EC2/SSHBruteForce", 2},
        {"UnauthorizedAccess:EC2/RDPBruteForce", 2},
        {"Impact:EC2/WinRMBruteForce", 2},
        {"Backdoor:EC2/DenialOfService.Tcp", 8},
        {"Backdoor:EC2/DenialOfService.Udp", 8},
        {"Backdoor:EC2/DenialOfService.UdpOnTcpPorts", 8},
        {"Backdoor:EC2/DenialOfService.Dns", 8},
        {"Backdoor:EC2/DenialOfService.UnusualProtocol", 8},
        {"Backdoor:EC2/Spambot", 5},
        {"CryptoCurrency:EC2/BitcoinTool.B", 8},
        {"Backdoor:EC2/C&CActivity.B", 8},
        {"UnauthorizedAccess:EC2/TorClient", 8},
        {"Trojan:EC2/BlackholeTraffic", 5},
        {"Trojan:EC2/DropPoint", 5},
        {"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", 5},
        {"Recon:EC2/PortProbeUnprotectedPort", 2},
        {"Recon:EC2/PortProbeEMRUnprotectedPort", 8},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_int_equal(all[i]->source, RP_DET_SRC_FLOW);
        n += all[i]->ntypes;
    }
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct rp_det_type *t = rp_det_type_find(want[i].type);
        if (!t) fail_msg("%s is not registered", want[i].type);
        assert_true(t->severity == want[i].sev);
        assert_non_null(strstr(t->title, "%s"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_and_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portscan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portscan_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portscan_via_nat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portsweep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portsweep_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ssh_bruteforce_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ssh_bruteforce_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ssh_bruteforce_actor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rdp_winrm_bruteforce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dos_udp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dos_udp_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dos_dns_tcp_ports_protocols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spambot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spambot_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tor_blackhole_droppoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malicious_ip_custom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bitcoin_tool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_c2_via_nat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_probe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_probe_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_probe_emr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_with_inventory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_benign_trusted_scanner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_benign_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_types_registered, setup, teardown),
    };
    return cmocka_run_group_tests_name("detect_flow", tests, NULL, NULL);
}
