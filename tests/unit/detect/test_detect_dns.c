/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the DNS detectors (src/detect/detect_dns_*.c) and their helpers
 * (detect_dns_common.c): the registered-domain approximation, private names, label
 * statistics and the DGA / encoded-label scorers, then each finding type with a positive case
 * (exact type, resource, count, first/last, domain, protocol, role, threat list) and negative
 * ones: the near miss under a threshold, the benign look-alike of docs/simulate-scenarios.md
 * (an EKS endpoint looked up hundreds of times), ordinary lookups like sim_gen_dns.c writes,
 * names with no public meaning, queries no instance can be found for. Events are built by
 * hand and run through rp_det_ctx_run1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/detect_dns_common.h"
#include "detect/detect_internal.h"
#include "store/store.h"
#include "core/rp_banned.h"

extern const struct rp_detector rp_det_dns_abused, rp_det_dns_dga, rp_det_dns_exfil,
    rp_det_dns_lists, rp_det_dns_rebind;

#define T0   1772323200000LL /* 2026-03-01T00:00:00Z */
#define SEC  1000LL
#define MIN  (60 * SEC)
#define ACCT "111122223333"
#define INST "i-0123456789abcdef0"
#define MAXQ 2500

/* ---- event building ---------------------------------------------------------------------- */

struct q {
    char name[RP_DET_DNS_NAME_SZ];  /* query_name as written (trailing dot) */
    char lname[RP_DET_DNS_NAME_SZ]; /* rp_query_name */
    char answers[256];
};

struct evs {
    struct rp_det_event ev[MAXQ];
    struct q q[MAXQ];
    size_t n;
};

static struct evs *evs_new(void)
{
    struct evs *e = calloc(1, sizeof *e);
    assert_non_null(e);
    return e;
}

/* Add a query of instance inst (NULL: none) for name at t; rcode NULL = NOERROR; answers is
 * the answers JSON (NULL = []). */
static struct rp_det_event *add(struct evs *e, int64_t t, const char *inst, const char *name,
                                const char *rcode, const char *answers)
{
    assert_true(e->n < MAXQ);
    struct rp_det_event *ev = &e->ev[e->n];
    struct q *q = &e->q[e->n++];
    snprintf(q->name, sizeof q->name, "%s.", name);
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof q->lname; i++)
        q->lname[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] + 32) : name[i];
    q->lname[i] = '\0';
    rp_strlcpy(q->answers, answers ? answers : "[]", sizeof q->answers);
    rp_det_event_init(ev, RP_DET_SRC_DNS, t);
    ev->seq = (int64_t)e->n;
    rp_det_event_set(ev, RP_DNS_ACCOUNT_ID, ACCT);
    rp_det_event_set(ev, RP_DNS_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_DNS_REGION_FIELD, "us-east-1");
    rp_det_event_set(ev, RP_DNS_REGION, "us-east-1");
    rp_det_event_set(ev, RP_DNS_VPC_ID, "vpc-0abc");
    rp_det_event_set(ev, RP_DNS_QUERY_NAME, q->name);
    rp_det_event_set(ev, RP_DNS_NAME, q->lname);
    rp_det_event_set(ev, RP_DNS_QUERY_TYPE, "A");
    rp_det_event_set(ev, RP_DNS_RCODE, rcode ? rcode : "NOERROR");
    rp_det_event_set(ev, RP_DNS_ANSWERS, q->answers);
    rp_det_event_set(ev, RP_DNS_SRCADDR, "10.0.1.5");
    rp_det_event_set(ev, RP_DNS_SRC_IP, "10.0.1.5");
    rp_det_event_set(ev, RP_DNS_TRANSPORT, "UDP");
    rp_det_event_set(ev, RP_DNS_INSTANCE_ID, inst);
    rp_det_event_set_int(ev, RP_DNSI_SRC_PORT, 53000);
    return ev;
}

/* Run detector d over e with lists ti (NULL = none) and store st (NULL = no inventory); the
 * context is returned for asserts. */
static struct rp_det_ctx *run_st(const struct rp_detector *d, const struct evs *e,
                                 struct rp_det_ti *ti, struct rp_store *st)
{
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    if (rp_det_ctx_new(NULL, st, ti, &dc, &eb) != RP_OK) fail_msg("ctx: %s", eb.msg);
    if (rp_det_ctx_run1(dc, d, e->ev, e->n, &eb) != RP_OK) fail_msg("run: %s", eb.msg);
    return dc;
}

static struct rp_det_ctx *run(const struct rp_detector *d, const struct evs *e,
                              struct rp_det_ti *ti)
{
    return run_st(d, e, ti, NULL);
}

static void assert_dns_finding(const struct rp_det_folded *ff, const char *type,
                               const char *resource, uint64_t count, int64_t first, int64_t last,
                               const char *domain)
{
    assert_non_null(ff);
    assert_string_equal(ff->f.type, type);
    assert_string_equal(ff->f.account, ACCT);
    assert_string_equal(ff->f.region, "us-east-1");
    assert_int_equal(ff->f.res, RP_DET_RES_INSTANCE);
    assert_string_equal(ff->f.resource_id, resource);
    assert_string_equal(ff->f.instance_id, resource);
    assert_int_equal(ff->f.action, RP_DET_ACT_DNS_REQUEST);
    assert_string_equal(ff->f.domain, domain);
    assert_string_equal(ff->f.protocol, "UDP");
    assert_false(ff->f.blocked);
    assert_string_equal(ff->f.resource_role, "ACTOR");
    assert_int_equal(ff->f.count, count);
    assert_int_equal(ff->f.first_ms, first);
    assert_int_equal(ff->f.last_ms, last);
    assert_int_equal(ff->source, RP_DET_SRC_DNS);
}

/* Deterministic pseudo-random characters (xorshift64*). */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static void rnd_chars(uint64_t *s, char *out, size_t n, const char *alphabet)
{
    size_t al = strlen(alphabet);
    for (size_t i = 0; i < n; i++) out[i] = alphabet[rnd(s) % al];
    out[n] = '\0';
}

#define B32     "abcdefghijklmnopqrstuvwxyz234567"
#define DGA_ABC "bcdfghjklmnpqrstvwxyz0123456789aeiou"

/* Ordinary lookups of one instance over an hour, as sim_gen_dns.c writes them. */
static void add_ordinary(struct evs *e, int64_t t0, const char *inst)
{
    static const char *const names[] = {
        "s3.us-east-1.amazonaws.com",
        "sts.us-east-1.amazonaws.com",
        "ssm.us-east-1.amazonaws.com",
        "ec2messages.us-east-1.amazonaws.com",
        "logs.us-east-1.amazonaws.com",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "al2023-repos-us-east-1-de612dc2.s3.dualstack.us-east-1.amazonaws.com",
        "us-east-1.ec2.archive.ubuntu.com",
        "security.ubuntu.com",
        "_http._tcp.security.ubuntu.com",
        "deb.debian.org",
        "dl-cdn.alpinelinux.org",
        "api.stripe.com",
        "api.sendgrid.com",
        "github.com",
        "api.github.com",
        "registry.npmjs.org",
        "pypi.org",
        "shopdb.c9akciq32xyz.us-east-1.rds.amazonaws.com",
        "ip-10-0-2-17.ec2.internal",
        "17.2.0.10.in-addr.arpa",
        "5f3c9a0e7d2b4c1a8e6f0d9b3a7c5e21.gr7.us-east-1.eks.amazonaws.com",
    };
    for (size_t k = 0; k < 12; k++)
        for (size_t i = 0; i < RP_ARRAY_LEN(names); i++)
            add(e, t0 + (int64_t)(k * 300 + i) * SEC, inst, names[i], NULL,
                "[{\"Rdata\":\"52.216.1.2\",\"Type\":\"A\",\"Class\":\"IN\"}]");
    /* the usual NXDOMAIN noise: search-domain expansions, a decommissioned name */
    add(e, t0 + 10 * SEC, inst, "api.stripe.com.ec2.internal", "NXDOMAIN", NULL);
    add(e, t0 + 20 * SEC, inst, "legacy-reports.examplecorp.internal", "NXDOMAIN", NULL);
    add(e, t0 + 30 * SEC, inst, "github.com.default.svc.cluster.local", "NXDOMAIN", NULL);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static void assert_base(const char *name, const char *want)
{
    struct rp_str b = rp_det_dns_base_domain(rp_str_from(name));
    char got[RP_DET_DNS_NAME_SZ];
    snprintf(got, sizeof got, "%.*s", (int)b.len, b.p);
    assert_string_equal(got, want);
}

static void test_dns_base_domain(void **state)
{
    (void)state;
    assert_base("www.example.com", "example.com");
    assert_base("a.b.c.example.com", "example.com");
    assert_base("example.com", "example.com");
    assert_base("com", "com");
    assert_base("news.bbc.co.uk", "bbc.co.uk");
    assert_base("co.uk", "co.uk");
    assert_base("shop.example.com.au", "example.com.au");
    assert_base("ssm.us-east-1.amazonaws.com", "us-east-1.amazonaws.com");
    assert_base("x.gr7.us-east-1.eks.amazonaws.com", "eks.amazonaws.com");
    assert_base("myhome.duckdns.org", "myhome.duckdns.org");
    assert_base("a.b.myhome.duckdns.org", "myhome.duckdns.org");
    /* first and last entries of both tables (they are searched by bisection) */
    assert_base("x.y.ac.jp", "y.ac.jp");
    assert_base("x.y.workers.dev", "y.workers.dev");
    assert_base("x.y.3utilities.com", "y.3utilities.com");
    assert_base("x.y.zapto.org", "y.zapto.org");
    assert_base("x.y.ngrok-free.app", "y.ngrok-free.app");
    /* near misses: a suffix of a table entry is not the entry */
    assert_base("x.y.ouk", "y.ouk");
    assert_base("x.y.o.uk", "o.uk");
    assert_base("x.yco.uk", "yco.uk");
}

static void test_dns_dyndns_and_private(void **state)
{
    (void)state;
    struct rp_str p = {NULL, 0};
    assert_true(rp_det_dns_dyndns(rp_str_from("myhome.duckdns.org"), &p));
    assert_int_equal(p.len, strlen("duckdns.org"));
    assert_memory_equal(p.p, "duckdns.org", p.len);
    assert_true(rp_det_dns_dyndns(rp_str_from("a.b.no-ip.org"), NULL));
    assert_false(rp_det_dns_dyndns(rp_str_from("duckdns.org"), NULL));
    assert_false(rp_det_dns_dyndns(rp_str_from("www.duckdns.org"), NULL));
    assert_false(rp_det_dns_dyndns(rp_str_from(".duckdns.org"), NULL));
    assert_false(rp_det_dns_dyndns(rp_str_from("duckdns.org.example.com"), NULL));
    assert_false(rp_det_dns_dyndns(rp_str_from("notduckdns.org"), NULL));

    assert_true(rp_det_dns_private_name(rp_str_from("localhost")));
    assert_true(rp_det_dns_private_name(rp_str_from("instance-data")));
    assert_true(rp_det_dns_private_name(rp_str_from("instance-data.ec2.internal")));
    assert_true(rp_det_dns_private_name(rp_str_from("ip-10-0-0-1.us-west-2.compute.internal")));
    assert_true(rp_det_dns_private_name(rp_str_from("web.default.svc.cluster.local")));
    assert_true(rp_det_dns_private_name(rp_str_from("1.0.0.10.in-addr.arpa")));
    assert_false(rp_det_dns_private_name(rp_str_from("example.com")));
    assert_false(rp_det_dns_private_name(rp_str_from("internal.example.com")));
    assert_false(rp_det_dns_private_name(rp_str_from("example.localnet")));
}

static void test_dns_label_stats(void **state)
{
    (void)state;
    struct rp_det_dns_label_stats st;
    rp_det_dns_label_stats(RP_STR_LIT("ab3c9-Dxkq"), &st);
    assert_int_equal(st.len, 10);
    assert_int_equal(st.letters, 7); /* a b c D x k q */
    assert_int_equal(st.digits, 2);
    assert_int_equal(st.others, 1);
    assert_int_equal(st.vowels, 1);
    assert_int_equal(st.max_consonant_run, 4); /* d x k q */
    assert_int_equal(st.transitions, 3);       /* b3 3c c9 (9- is no change) */
    assert_int_equal(st.bigrams, 4);           /* ab dx xk kq */
    assert_int_equal(st.plausible, 1);         /* ab */
    /* ten different characters: log2(10) bits */
    assert_true(st.entropy > 3.3219 && st.entropy < 3.3220);
    rp_det_dns_label_stats(RP_STR_LIT("aaaa"), &st);
    assert_true(st.entropy == 0.0);
    assert_int_equal(st.max_consonant_run, 0);

    assert_true(rp_det_dns_bigram_plausible('t', 'h'));
    assert_true(rp_det_dns_bigram_plausible('q', 'u'));
    assert_false(rp_det_dns_bigram_plausible('q', 'z'));
    assert_false(rp_det_dns_bigram_plausible('x', 'k'));
    assert_false(rp_det_dns_bigram_plausible('T', 'h')); /* lower case only */
}

static void test_dns_dga_label(void **state)
{
    (void)state;
    static const char *const dga[] = {
        "xk7vbq2mzt9rw",  "qzv4t8bnkxw2d", "mf0gh3tkqpz8yl",
        "wq9x2kdf7bvnt1", "zt3k8qxmdw4ph", "pkzq0x3vw7gtr9hb",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(dga); i++)
        if (!rp_det_dns_dga_label(rp_str_from(dga[i]))) fail_msg("'%s' not DGA-like", dga[i]);
    static const char *const words[] = {
        "alpinelinux",    "stackoverflow",   "wikipedia",
        "cloudflare-dns", "mycompanyshop",   "1234567890123",
        "us-east-1",      "examplecorp",     "ubuntu",
        "kubernetes",     "letsencrypt",     "googleapis",
        "elasticsearch",  "microsoftonline", "al2023-repos-us-east-1-de612dc2",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(words); i++)
        if (rp_det_dns_dga_label(rp_str_from(words[i]))) fail_msg("'%s' DGA-like", words[i]);
    /* the simulator's generator: nearly every name passes */
    uint64_t s = 42;
    size_t hits = 0;
    for (size_t i = 0; i < 200; i++) {
        char l[32];
        rnd_chars(&s, l, 12 + rnd(&s) % 11, DGA_ABC);
        hits += rp_det_dns_dga_label(rp_str_from(l));
    }
    assert_int_equal(hits, 146); /* 73 %: the family's labels are short and digit-rich */
}

static void test_dns_encoded_bytes(void **state)
{
    (void)state;
    const char *n =
        "mzxw6ytboi2dcnzrgq3tmmjwgi4dsmzqgiytkmbrgm2dsnjzgy3tq.onxw2zlunbuw4z3tmvxgc3lf."
        "17.k3x9q2.exfil-example.net";
    struct rp_str name = rp_str_from(n);
    assert_int_equal(rp_det_dns_encoded_bytes(name, rp_det_dns_base_domain(name)), 53 + 24);
    /* an EKS endpoint: one hex label (it is encoded-looking; distinct counting disarms it) */
    n = "5f3c9a0e7d2b4c1a8e6f0d9b3a7c5e21.gr7.us-east-1.eks.amazonaws.com";
    name = rp_str_from(n);
    assert_int_equal(rp_det_dns_encoded_bytes(name, rp_det_dns_base_domain(name)), 32);
    static const char *const plain[] = {
        "al2023-repos-us-east-1-de612dc2.s3.dualstack.us-east-1.amazonaws.com",
        "shopdb.c9akciq32xyz.us-east-1.rds.amazonaws.com",
        "internationalization-service.example.com",
        "example.com",
        "com",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(plain); i++) {
        name = rp_str_from(plain[i]);
        if (rp_det_dns_encoded_bytes(name, rp_det_dns_base_domain(name)))
            fail_msg("'%s' has encoded labels", plain[i]);
    }
}

static void test_dns_types_registered(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        double sev;
    } want[] = {
        {"Backdoor:EC2/C&CActivity.B!DNS", 8.0},
        {"CryptoCurrency:EC2/BitcoinTool.B!DNS", 8.0},
        {"Trojan:EC2/PhishingDomainRequest!DNS", 8.0},
        {"Trojan:EC2/BlackholeTraffic!DNS", 5.0},
        {"Trojan:EC2/DropPoint!DNS", 5.0},
        {"Trojan:EC2/DriveBySourceTraffic!DNS", 8.0},
        {"Trojan:EC2/DGADomainRequest.C!DNS", 8.0},
        {"Impact:EC2/MaliciousDomainRequest.Custom", 5.0},
        {"Trojan:EC2/DGADomainRequest.B", 8.0},
        {"Trojan:EC2/DNSDataExfiltration", 8.0},
        {"UnauthorizedAccess:EC2/MetadataDNSRebind", 8.0},
        {"Impact:EC2/AbusedDomainRequest.Reputation", 5.0},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(want); i++) {
        const struct rp_det_type *t = rp_det_type_find(want[i].type);
        if (!t) fail_msg("'%s' is not registered", want[i].type);
        assert_true(t->severity == want[i].sev);
        assert_non_null(strstr(t->title, "%s"));
    }
}

/* ---- dns.lists --------------------------------------------------------------------------- */

static struct rp_det_ti *lists(void)
{
    struct rp_det_ti *ti = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    if (rp_det_ti_load(ti, NULL, &eb) != RP_OK) fail_msg("load: %s", eb.msg);
    static const struct {
        enum rp_det_ti_kind kind;
        const char *list, *entry;
    } entries[] = {
        {RP_TI_MINING, "mining-pools", "pool.example-xmr.com"},
        {RP_TI_PHISHING, "phishing", "login-verify.example.net"},
        {RP_TI_BLACKHOLE, "sinkholes", "sinkholed.example.org"},
        {RP_TI_DROP_POINT, "drop-points", "stash.example.info"},
        {RP_TI_DRIVE_BY, "drive-by", "exploit-kit.example.biz"},
        {RP_TI_DGA, "dga-known", "qzv4t8bnkxw2d.example.top"},
        {RP_TI_THREAT, "my-threats.txt", "bad-domain.example.xyz"},
        {RP_TI_THREAT, "my-threats.txt", "*.c2.example.cc"},
        {RP_TI_C2, "c2-domains", "c2.example.cc"},
        {RP_TI_C2, "c2-domains", "beacon-c2.example.org"},
        {RP_TI_TOR, "tor", "198.51.100.7"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(entries); i++)
        if (rp_det_ti_add(ti, entries[i].kind, entries[i].list, rp_str_from(entries[i].entry),
                          &eb) != RP_OK)
            fail_msg("add: %s", eb.msg);
    return ti;
}

static void assert_listed(struct rp_det_ctx *dc, const char *type, const char *inst,
                          const char *domain, int64_t t, const char *list, const char *entry)
{
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, type, inst);
    if (!ff) fail_msg("no '%s' on %s", type, inst);
    assert_dns_finding(ff, type, inst, 1, t, t, domain);
    assert_string_equal(ff->f.threat_list, list);
    assert_string_equal(ff->f.threat_name, entry);
    assert_string_equal(ff->f.evidence_key, entry);
}

static void test_dns_lists_each_kind(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct evs *e = evs_new();
    add(e, T0, "i-01", "pool.example-xmr.com", NULL, NULL);
    add(e, T0 + 1 * SEC, "i-02", "login-verify.example.net", NULL, NULL);
    add(e, T0 + 2 * SEC, "i-03", "cdn.sinkholed.example.org", NULL, NULL);
    add(e, T0 + 3 * SEC, "i-04", "Stash.Example.Info", NULL, NULL);
    add(e, T0 + 4 * SEC, "i-05", "exploit-kit.example.biz", NULL, NULL);
    add(e, T0 + 5 * SEC, "i-06", "qzv4t8bnkxw2d.example.top", "NXDOMAIN", NULL);
    add(e, T0 + 6 * SEC, "i-07", "bad-domain.example.xyz", NULL, NULL);
    struct rp_det_ctx *dc = run(&rp_det_dns_lists, e, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 7);
    assert_listed(dc, "CryptoCurrency:EC2/BitcoinTool.B!DNS", "i-01", "pool.example-xmr.com", T0,
                  "mining-pools", "pool.example-xmr.com");
    assert_listed(dc, "Trojan:EC2/PhishingDomainRequest!DNS", "i-02", "login-verify.example.net",
                  T0 + 1 * SEC, "phishing", "login-verify.example.net");
    assert_listed(dc, "Trojan:EC2/BlackholeTraffic!DNS", "i-03", "cdn.sinkholed.example.org",
                  T0 + 2 * SEC, "sinkholes", "sinkholed.example.org");
    assert_listed(dc, "Trojan:EC2/DropPoint!DNS", "i-04", "stash.example.info", T0 + 3 * SEC,
                  "drop-points", "stash.example.info");
    assert_listed(dc, "Trojan:EC2/DriveBySourceTraffic!DNS", "i-05", "exploit-kit.example.biz",
                  T0 + 4 * SEC, "drive-by", "exploit-kit.example.biz");
    assert_listed(dc, "Trojan:EC2/DGADomainRequest.C!DNS", "i-06", "qzv4t8bnkxw2d.example.top",
                  T0 + 5 * SEC, "dga-known", "qzv4t8bnkxw2d.example.top");
    assert_listed(dc, "Impact:EC2/MaliciousDomainRequest.Custom", "i-07", "bad-domain.example.xyz",
                  T0 + 6 * SEC, "my-threats.txt", "bad-domain.example.xyz");
    rp_det_ctx_free(dc);
    free(e);
    rp_det_ti_free(ti);
}

/* A beacon: repeated lookups of a listed C2 domain and of its subdomains fold into one finding
 * per instance; DNS Firewall's BLOCK and the transport show in the action. */
static void test_dns_lists_c2_beacon(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct evs *e = evs_new();
    for (int i = 0; i < 40; i++)
        add(e, T0 + i * MIN, INST, "beacon-c2.example.org", NULL,
            "[{\"Rdata\":\"203.0.113.9\",\"Type\":\"A\",\"Class\":\"IN\"}]");
    add(e, T0 + 40 * MIN, INST, "x1.Beacon-C2.example.org", NULL, NULL);
    struct rp_det_event *b =
        add(e, T0 + 41 * MIN, "i-0blocked", "beacon-c2.example.org", "NOERROR", NULL);
    rp_det_event_set(b, RP_DNS_FIREWALL_ACTION, "BLOCK");
    rp_det_event_set(b, RP_DNS_TRANSPORT, "tcp");
    struct rp_det_ctx *dc = run(&rp_det_dns_lists, e, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, "Backdoor:EC2/C&CActivity.B!DNS", INST);
    assert_dns_finding(ff, "Backdoor:EC2/C&CActivity.B!DNS", INST, 41, T0, T0 + 40 * MIN,
                       "beacon-c2.example.org");
    assert_string_equal(ff->f.threat_list, "c2-domains");
    assert_string_equal(ff->f.threat_name, "beacon-c2.example.org");
    ff = rp_det_ctx_find(dc, "Backdoor:EC2/C&CActivity.B!DNS", "i-0blocked");
    assert_non_null(ff);
    assert_true(ff->f.blocked);
    assert_string_equal(ff->f.protocol, "TCP");
    assert_int_equal(ff->f.count, 1);
    rp_det_ctx_free(dc);
    free(e);
    rp_det_ti_free(ti);
}

/* GuardDuty's documented test domain and the mining pools are built-in knowledge
 * (rp_det_ti_load, data/detect/threatintel/). */
static void test_dns_lists_builtin(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct evs *e = evs_new();
    add(e, T0, INST, "guarddutyc2activityb.com", NULL, NULL);
    add(e, T0 + MIN, "i-0miner", "xmr-eu1.nanopool.org", NULL, NULL);
    struct rp_det_ctx *dc = run(&rp_det_dns_lists, e, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, "Backdoor:EC2/C&CActivity.B!DNS", INST);
    assert_dns_finding(ff, "Backdoor:EC2/C&CActivity.B!DNS", INST, 1, T0, T0,
                       "guarddutyc2activityb.com");
    assert_string_equal(ff->f.threat_list, "builtin/guardduty-test-domains");
    assert_string_equal(ff->f.threat_name, "guarddutyc2activityb.com");
    ff = rp_det_ctx_find(dc, "CryptoCurrency:EC2/BitcoinTool.B!DNS", "i-0miner");
    assert_dns_finding(ff, "CryptoCurrency:EC2/BitcoinTool.B!DNS", "i-0miner", 1, T0 + MIN,
                       T0 + MIN, "xmr-eu1.nanopool.org");
    assert_string_equal(ff->f.threat_list, "builtin/mining-pools");
    assert_string_equal(ff->f.threat_name, "nanopool.org");
    rp_det_ctx_free(dc);
    free(e);
    rp_det_ti_free(ti);
}

/* A domain on GuardDuty's C2 knowledge and on a user's list: both types, each from its list. */
static void test_dns_lists_c2_and_custom(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct evs *e = evs_new();
    add(e, T0, INST, "x.c2.example.cc", NULL, NULL);
    struct rp_det_ctx *dc = run(&rp_det_dns_lists, e, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, "Backdoor:EC2/C&CActivity.B!DNS", INST);
    assert_non_null(ff);
    assert_string_equal(ff->f.threat_list, "c2-domains");
    assert_string_equal(ff->f.threat_name, "c2.example.cc");
    ff = rp_det_ctx_find(dc, "Impact:EC2/MaliciousDomainRequest.Custom", INST);
    assert_non_null(ff);
    assert_string_equal(ff->f.threat_list, "my-threats.txt");
    rp_det_ctx_free(dc);
    free(e);
    rp_det_ti_free(ti);
}

static void test_dns_lists_negative(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct evs *e = evs_new();
    add_ordinary(e, T0, INST);
    add(e, T0 + 1 * SEC, INST, "notpool.example-xmr.com.evil", NULL, NULL); /* not a suffix */
    add(e, T0 + 2 * SEC, INST, "xpool.example-xmr.com", NULL, NULL);        /* no label edge */
    add(e, T0 + 3 * SEC, INST, "example-xmr.com", NULL, NULL);              /* the parent */
    add(e, T0 + 4 * SEC, NULL, "login-verify.example.net", NULL, NULL);     /* no instance */
    add(e, T0 + 5 * SEC, INST, "198.51.100.7", NULL, NULL);                 /* an address list */
    struct rp_det_ctx *dc = run(&rp_det_dns_lists, e, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
    free(e);
    rp_det_ti_free(ti);
}

/* ---- dns.rebind -------------------------------------------------------------------------- */

#define ANS_PUBLIC "[{\"Rdata\":\"198.51.100.20\",\"Type\":\"A\",\"Class\":\"IN\"}]"
#define ANS_IMDS   "[{\"Rdata\":\"169.254.169.254\",\"Type\":\"A\",\"Class\":\"IN\"}]"

static void test_dns_rebind_positive(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    /* the rebinding server alternates its answers; each lookup is a fresh token */
    for (int i = 0; i < 8; i++) {
        char *name = e->q[MAXQ - 1 - i].name; /* spare storage at the end */
        snprintf(name, 64, "%08x.rbnd.attacker-example.net", 0x1234abcd + i);
        add(e, T0 + i * 10 * SEC, INST, name, NULL, i % 2 ? ANS_IMDS : ANS_PUBLIC);
    }
    add(e, T0 + 90 * SEC, "i-0v6", "v6.rbnd.attacker-example.net", NULL,
        "[{\"Rdata\":\"FD00:EC2::254\",\"Type\":\"AAAA\",\"Class\":\"IN\"}]");
    struct rp_det_ctx *dc = run(&rp_det_dns_rebind, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(dc, "UnauthorizedAccess:EC2/MetadataDNSRebind", INST);
    assert_dns_finding(ff, "UnauthorizedAccess:EC2/MetadataDNSRebind", INST, 4, T0 + 10 * SEC,
                       T0 + 70 * SEC, "1234abce.rbnd.attacker-example.net");
    assert_string_equal(ff->f.evidence_key, "attacker-example.net");
    assert_string_equal(ff->f.additional_json, "{\"answer\":\"169.254.169.254\"}");
    ff = rp_det_ctx_find(dc, "UnauthorizedAccess:EC2/MetadataDNSRebind", "i-0v6");
    assert_non_null(ff);
    assert_string_equal(ff->f.additional_json, "{\"answer\":\"fd00:ec2::254\"}");
    rp_det_ctx_free(dc);
    free(e);
}

static void test_dns_rebind_negative(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add_ordinary(e, T0, INST);
    /* AWS's own name for the metadata service, and other private names */
    add(e, T0 + 1 * SEC, INST, "instance-data.ec2.internal", NULL, ANS_IMDS);
    add(e, T0 + 2 * SEC, INST, "instance-data", NULL, ANS_IMDS);
    add(e, T0 + 3 * SEC, INST, "metadata.example.local", NULL, ANS_IMDS);
    /* the Amazon DNS server's link-local address, not the metadata service */
    add(e, T0 + 4 * SEC, INST, "dns.example.com", NULL,
        "[{\"Rdata\":\"169.254.169.253\",\"Type\":\"A\",\"Class\":\"IN\"}]");
    /* the address inside a CNAME target, and unreadable answers */
    add(e, T0 + 5 * SEC, INST, "a.example.com", NULL,
        "[{\"Rdata\":\"169.254.169.254.nip.example.\",\"Type\":\"CNAME\",\"Class\":\"IN\"}]");
    add(e, T0 + 6 * SEC, INST, "b.example.com", NULL, "[{\"Rdata\":\"169.254.169.254\"");
    /* no instance */
    add(e, T0 + 7 * SEC, NULL, "c.example.com", NULL, ANS_IMDS);
    struct rp_det_ctx *dc = run(&rp_det_dns_rebind, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
    free(e);
}

/* ---- dns.dga ----------------------------------------------------------------------------- */

static const char *const tlds[] = {"com", "net", "org", "info", "biz", "ru", "top"};

/* n generated names from t0, one every step; names kept in e's spare storage; the first nx
 * answer NXDOMAIN. Returns how many are DGA-like by the scorer. */
static size_t add_dga(struct evs *e, uint64_t seed, size_t n, size_t nx, int64_t t0, int64_t step,
                      const char *inst)
{
    uint64_t s = seed;
    size_t like = 0;
    for (size_t i = 0; i < n; i++) {
        char l[32], name[64];
        rnd_chars(&s, l, 12 + rnd(&s) % 11, DGA_ABC);
        snprintf(name, sizeof name, "%s.%s", l, tlds[rnd(&s) % RP_ARRAY_LEN(tlds)]);
        like += rp_det_dns_dga_label(rp_str_from(l));
        add(e, t0 + (int64_t)i * step, inst, name, i < nx ? "NXDOMAIN" : NULL,
            i < nx ? NULL : ANS_PUBLIC);
    }
    return like;
}

static void test_dns_dga_positive(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add_ordinary(e, T0, INST);
    size_t like = add_dga(e, 7, 150, 148, T0 + 10 * MIN, 4 * SEC, INST);
    assert_int_equal(like, 102);
    struct rp_det_ctx *dc = run(&rp_det_dns_dga, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, "Trojan:EC2/DGADomainRequest.B", INST);
    assert_non_null(ff);
    /* first and last DGA-like names of the burst */
    int64_t first = -1, last = -1;
    for (size_t i = 0; i < e->n; i++) {
        struct rp_str n = rp_str_from(e->q[i].lname);
        struct rp_str b = rp_det_dns_base_domain(n);
        const char *dot = memchr(b.p, '.', b.len);
        if (!dot || rp_det_dns_private_name(n) ||
            !rp_det_dns_dga_label((struct rp_str){b.p, (size_t)(dot - b.p)}))
            continue;
        if (first < 0) first = e->ev[i].time_ms;
        last = e->ev[i].time_ms;
    }
    assert_dns_finding(ff, "Trojan:EC2/DGADomainRequest.B", INST, like, first, last, ff->f.domain);
    assert_true(first >= T0 + 10 * MIN);
    assert_null(ff->f.evidence_key); /* one finding per instance */
    rp_det_ctx_free(dc);
    free(e);
}

static void test_dns_dga_negative(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    /* ordinary lookups of three instances */
    add_ordinary(e, T0, "i-0a");
    add_ordinary(e, T0, "i-0b");
    /* just under the threshold: 19 generated names that pass the scorer */
    uint64_t s = 99;
    size_t got = 0;
    for (int tries = 0; got < 19 && tries < 100; tries++) {
        char l[32], name[64];
        rnd_chars(&s, l, 14, DGA_ABC);
        if (!rp_det_dns_dga_label(rp_str_from(l))) continue;
        snprintf(name, sizeof name, "%s.com", l);
        add(e, T0 + (int64_t)got * 5 * SEC, "i-0c", name, "NXDOMAIN", NULL);
        got++;
    }
    assert_int_equal(got, 19);
    /* many generated-looking names, but all resolve (NOERROR): not "mostly NXDOMAIN" */
    add_dga(e, 11, 60, 0, T0, 5 * SEC, "i-0d");
    /* 60 names spread over six hours: ten an hour, never 20 in one window */
    add_dga(e, 13, 60, 60, T0, 6 * MIN, "i-0e");
    /* the same generated name looked up again and again */
    for (int i = 0; i < 50; i++)
        add(e, T0 + i * SEC, "i-0f", "xk7vbq2mzt9rw.com", "NXDOMAIN", NULL);
    struct rp_det_ctx *dc = run(&rp_det_dns_dga, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
    free(e);
}

/* ---- dns.exfil --------------------------------------------------------------------------- */

/* n names "<la b32>.<lb b32>[.<lc b32>].<i>.k3x9q2.<domain>", one a second from t0. */
static void add_exfil(struct evs *e, uint64_t seed, size_t n, size_t la, size_t lb, size_t lc,
                      int64_t t0, const char *inst, const char *domain)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        char a[64], b[64], c[64], name[256];
        rnd_chars(&s, a, la, B32);
        rnd_chars(&s, b, lb, B32);
        rnd_chars(&s, c, lc, B32);
        snprintf(name, sizeof name, "%s.%s.%s%s%zu.k3x9q2.%s", a, b, c, lc ? "." : "", i, domain);
        add(e, t0 + (int64_t)i * SEC, inst, name, i % 4 == 3 ? "NXDOMAIN" : NULL,
            "[{\"Rdata\":\"\\\"ack\\\"\",\"Type\":\"TXT\",\"Class\":\"IN\"}]");
    }
}

static void test_dns_exfil_positive(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add_ordinary(e, T0, INST);
    add_exfil(e, 5, 150, 60, 40, 0, T0 + 5 * MIN, INST, "exfil-example.net");
    struct rp_det_ctx *dc = run(&rp_det_dns_exfil, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, "Trojan:EC2/DNSDataExfiltration", INST);
    assert_dns_finding(ff, "Trojan:EC2/DNSDataExfiltration", INST, 150, T0 + 5 * MIN,
                       T0 + 5 * MIN + 149 * SEC, "exfil-example.net");
    assert_string_equal(ff->f.evidence_key, "exfil-example.net");
    assert_string_equal(ff->f.additional_json, "{\"distinctNames\":150,\"encodedBytes\":15000}");
    rp_det_ctx_free(dc);
    free(e);
}

/* Two hours of tunnelling: two windows, one finding whose Count adds up. */
static void test_dns_exfil_two_windows(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add_exfil(e, 5, 100, 60, 40, 0, T0, INST, "exfil-example.net");
    add_exfil(e, 6, 100, 60, 40, 0, T0 + 61 * MIN, INST, "exfil-example.net");
    struct rp_det_ctx *dc = run(&rp_det_dns_exfil, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    const struct rp_det_folded *ff = rp_det_ctx_find(dc, "Trojan:EC2/DNSDataExfiltration", INST);
    assert_dns_finding(ff, "Trojan:EC2/DNSDataExfiltration", INST, 200, T0,
                       T0 + 61 * MIN + 99 * SEC, "exfil-example.net");
    rp_det_ctx_free(dc);
    free(e);
}

static void test_dns_exfil_negative(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add_ordinary(e, T0, INST);
    /* benign-eks-endpoint-lookups: one fixed 32-hex name, 440 lookups from three nodes */
    static const char *const nodes[] = {"i-0n1", "i-0n2", "i-0n3"};
    for (int i = 0; i < 440; i++)
        add(e, T0 + i * 2 * SEC, nodes[i % 3],
            "5f3c9a0e7d2b4c1a8e6f0d9b3a7c5e21.gr7.us-east-1.eks.amazonaws.com", NULL,
            i % 3 == 2 ? NULL : "[{\"Rdata\":\"10.0.3.4\",\"Type\":\"A\",\"Class\":\"IN\"}]");
    /* just under the name threshold: 63 distinct names of 160 encoded bytes (10080 bytes) */
    add_exfil(e, 21, 63, 60, 60, 40, T0, "i-0x1", "exfil-example.net");
    /* many names, just too little data: 200 names of 20+20 characters = 8000 bytes */
    add_exfil(e, 22, 200, 20, 20, 0, T0, "i-0x2", "exfil-example.org");
    /* enough in total, but spread over three domains */
    add_exfil(e, 23, 50, 60, 40, 0, T0, "i-0x3", "one-example.net");
    add_exfil(e, 24, 50, 60, 40, 0, T0, "i-0x3", "two-example.net");
    add_exfil(e, 25, 50, 60, 40, 0, T0, "i-0x3", "three-example.net");
    /* the same long name over and over */
    for (int i = 0; i < 300; i++)
        add(e, T0 + i * SEC, "i-0x4",
            "mzxw6ytboi2dcnzrgq3tmmjwgi4dsmzqgiytkmbrgm2dsnjzgy3tq.onxw2zlunbuw4z3tmvxgc3lf."
            "exfil-example.com",
            NULL, NULL);
    /* tunnelling into a private zone never leaves the VPC */
    add_exfil(e, 26, 150, 60, 40, 0, T0, "i-0x5", "corp.internal");
    /* no instance */
    add_exfil(e, 27, 150, 60, 40, 0, T0, NULL, "exfil-example.net");
    struct rp_det_ctx *dc = run(&rp_det_dns_exfil, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
    free(e);
}

/* ---- dns.abused -------------------------------------------------------------------------- */

static void test_dns_abused_positive(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add(e, T0, INST, "myhome.duckdns.org", NULL, ANS_PUBLIC);
    add(e, T0 + 5 * MIN, INST, "cam.myhome.duckdns.org", NULL, ANS_PUBLIC);
    add(e, T0 + 6 * MIN, INST, "a-b.ddns.net", NULL, ANS_PUBLIC);
    struct rp_det_ctx *dc = run(&rp_det_dns_abused, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_finding(dc, 0);
    assert_dns_finding(ff, "Impact:EC2/AbusedDomainRequest.Reputation", INST, 2, T0, T0 + 5 * MIN,
                       "myhome.duckdns.org");
    assert_string_equal(ff->f.evidence_key, "myhome.duckdns.org");
    ff = rp_det_ctx_finding(dc, 1);
    assert_dns_finding(ff, "Impact:EC2/AbusedDomainRequest.Reputation", INST, 1, T0 + 6 * MIN,
                       T0 + 6 * MIN, "a-b.ddns.net");
    rp_det_ctx_free(dc);
    free(e);
}

static void test_dns_abused_negative(void **state)
{
    (void)state;
    struct evs *e = evs_new();
    add_ordinary(e, T0, INST);
    add(e, T0 + 1 * SEC, INST, "www.duckdns.org", NULL, ANS_PUBLIC); /* the provider's site */
    add(e, T0 + 2 * SEC, INST, "duckdns.org", NULL, ANS_PUBLIC);
    add(e, T0 + 3 * SEC, INST, "duckdns.org.example.com", NULL, ANS_PUBLIC);
    add(e, T0 + 4 * SEC, INST, "myduckdns.org", NULL, ANS_PUBLIC);
    add(e, T0 + 5 * SEC, NULL, "myhome.duckdns.org", NULL, ANS_PUBLIC); /* no instance */
    struct rp_det_ctx *dc = run(&rp_det_dns_abused, e, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
    free(e);
}

/* ---- the instance from the inventory ----------------------------------------------------- */

/* AWS Config items: an instance's interface holding 10.0.1.5, and a Lambda function's
 * interface (requester-managed, no instance) holding 10.0.1.9. */
static struct rp_store *inv_store(void)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    rp_err e = rp_store_exec(
        st,
        "INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, resourceType, "
        "resourceId, configuration, rp_time_ms, rp_account, rp_region) VALUES "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', 'eni-0inst', "
        "'{\"networkInterfaceId\":\"eni-0inst\",\"privateIpAddress\":\"10.0.1.5\","
        "\"attachment\":{\"instanceId\":\"i-0frominventory\"}}', 0, '" ACCT "', 'us-east-1'), "
        "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', 'eni-0lambda', "
        "'{\"networkInterfaceId\":\"eni-0lambda\",\"privateIpAddress\":\"10.0.1.9\","
        "\"requesterManaged\":true}', 0, '" ACCT "', 'us-east-1')",
        &eb);
    if (e) fail_msg("%s", eb.msg);
    return st;
}

/* Queries without srcids.instance: the inventory's interface holding srcaddr names the
 * instance; an interface of no instance is the resource itself; an unknown address none. */
static void test_dns_resource_from_inventory(void **state)
{
    (void)state;
    struct rp_store *st = inv_store();
    struct evs *e = evs_new();
    add(e, T0, NULL, "myhome.duckdns.org", NULL, ANS_PUBLIC);
    struct rp_det_event *ev = add(e, T0 + SEC, NULL, "other.duckdns.org", NULL, ANS_PUBLIC);
    rp_det_event_set(ev, RP_DNS_SRCADDR, "10.0.1.9");
    rp_det_event_set(ev, RP_DNS_SRC_IP, "10.0.1.9");
    ev = add(e, T0 + 2 * SEC, NULL, "third.duckdns.org", NULL, ANS_PUBLIC);
    rp_det_event_set(ev, RP_DNS_SRCADDR, "10.0.1.77");
    rp_det_event_set(ev, RP_DNS_SRC_IP, "10.0.1.77");
    struct rp_det_ctx *dc = run_st(&rp_det_dns_abused, e, NULL, st);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_finding(dc, 0);
    assert_dns_finding(ff, "Impact:EC2/AbusedDomainRequest.Reputation", "i-0frominventory", 1, T0,
                       T0, "myhome.duckdns.org");
    assert_string_equal(ff->f.eni, "eni-0inst");
    ff = rp_det_ctx_finding(dc, 1);
    assert_string_equal(ff->f.resource_id, "eni-0lambda");
    assert_null(ff->f.instance_id);
    assert_string_equal(ff->f.eni, "eni-0lambda");
    rp_det_ctx_free(dc);
    free(e);
    rp_store_free(st);
}

/* ---- everything over ordinary traffic ---------------------------------------------------- */

static void test_dns_ordinary_traffic_quiet(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct evs *e = evs_new();
    static const char *const insts[] = {"i-0a", "i-0b", "i-0c", "i-0d"};
    for (size_t i = 0; i < RP_ARRAY_LEN(insts); i++) add_ordinary(e, T0, insts[i]);
    const struct rp_detector *ds[] = {&rp_det_dns_abused, &rp_det_dns_dga, &rp_det_dns_exfil,
                                      &rp_det_dns_lists, &rp_det_dns_rebind};
    for (size_t i = 0; i < RP_ARRAY_LEN(ds); i++) {
        struct rp_det_ctx *dc = run(ds[i], e, ti);
        if (rp_det_ctx_nfindings(dc)) fail_msg("%s raised a finding", ds[i]->id);
        rp_det_ctx_free(dc);
    }
    free(e);
    rp_det_ti_free(ti);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_base_domain),
        cmocka_unit_test(test_dns_dyndns_and_private),
        cmocka_unit_test(test_dns_label_stats),
        cmocka_unit_test(test_dns_dga_label),
        cmocka_unit_test(test_dns_encoded_bytes),
        cmocka_unit_test(test_dns_types_registered),
        cmocka_unit_test(test_dns_lists_each_kind),
        cmocka_unit_test(test_dns_lists_c2_beacon),
        cmocka_unit_test(test_dns_lists_builtin),
        cmocka_unit_test(test_dns_lists_c2_and_custom),
        cmocka_unit_test(test_dns_lists_negative),
        cmocka_unit_test(test_dns_rebind_positive),
        cmocka_unit_test(test_dns_rebind_negative),
        cmocka_unit_test(test_dns_dga_positive),
        cmocka_unit_test(test_dns_dga_negative),
        cmocka_unit_test(test_dns_exfil_positive),
        cmocka_unit_test(test_dns_exfil_two_windows),
        cmocka_unit_test(test_dns_exfil_negative),
        cmocka_unit_test(test_dns_abused_positive),
        cmocka_unit_test(test_dns_abused_negative),
        cmocka_unit_test(test_dns_resource_from_inventory),
        cmocka_unit_test(test_dns_ordinary_traffic_quiet),
    };
    return cmocka_run_group_tests_name("detect_dns", tests, NULL, NULL);
}
