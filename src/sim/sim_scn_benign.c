/* SPDX-License-Identifier: Apache-2.0 */
/* Benign look-alikes (sim_scenarios.def, kind BENIGN, truth "expect":"none"): activity close
 * enough to an attack that a careless detector fires, but that GuardDuty, Config or Macie would
 * not report. They measure precision.
 *
 *   - an admin's console login from another office, whose address is on the trusted IP list;
 *   - the CI role's large nightly artifact sync, the same every night since the start;
 *   - the company's vulnerability scanner (an office address on the trusted list) sweeping the
 *     bastion's ports every week;
 *   - a database's nightly backup to S3, tens of gigabytes, every night since the start;
 *   - a developer's daily kubectl exec into an application pod (never kube-system);
 *   - a burst of lookups of the EKS API endpoint, whose first label is 32 hex characters;
 *   - look-alike test data (invalid card numbers, example keys) uploaded to a decoy bucket.
 *
 * Habitual look-alikes run through the whole period, learning included, so a baseline has them;
 * their truth window covers their occurrences in the attack period. */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN  RP_SIM_SCN_MIN
#define SEC  1000LL
#define HOUR RP_SIM_SCN_HOUR
#define DAY  RP_SIM_SCN_DAY

static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r, const char *what)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s%s", self->id, what);
}

/* First and last occurrence times at or after the attack start among n ascending times; false
 * when none is. */
static bool attack_window(const struct rp_sim_run *run, const int64_t *t, uint32_t n, int64_t dur,
                          int64_t *start, int64_t *end)
{
    bool any = false;
    for (uint32_t i = 0; i < n; i++) {
        if (t[i] < run->attack_ms) continue;
        if (!any) *start = t[i];
        *end = t[i] + dur;
        any = true;
    }
    return any;
}

/* ---- benign-console-login-trusted-office ---------------------------------------------------- */

struct office_pick {
    char ip[RP_SIM_IP_SZ];
};

static bool f_console_admin(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_user *u = &run->world->users[i];
    return (u->kind == RP_SIM_USER_ADMIN || u->kind == RP_SIM_USER_READONLY ||
            u->kind == RP_SIM_USER_DATA) &&
           u->habits.console && u->console_password && u->habits.nips >= 2;
}

static rp_err plan_trusted_login(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                 struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t user = rp_sim_scn_pick(run, RP_SIM_K_USER, &r, f_console_admin, NULL);
    int64_t t0 = 0;
    if (user == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 60 * MIN, &t0)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    char trusted[16][RP_SIM_IP_SZ];
    uint32_t n = rp_sim_side_trusted_ips(w, trusted, 16);
    if (n > 16) n = 16;
    /* another office than the user's own: on the trusted list, never used by this user */
    const char *other = NULL;
    for (uint32_t i = 0; i < n && !other; i++) {
        bool mine = false;
        for (uint32_t k = 0; k < u->habits.nips; k++)
            mine |= strcmp(u->habits.ips[k], trusted[i]) == 0;
        if (!mine) other = trusted[i];
    }
    if (!other) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint8_t l0 = 0, l1 = 0, c1 = 0;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &l0);
    rp_strlcpy(a->ip, u->habits.ips[0], sizeof(a->ip));
    a->region = u->habits.region;
    a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &l1);
    rp_strlcpy(a->ip, other, sizeof(a->ip));
    a->region = u->habits.region;
    struct rp_sim_scn_actor *b = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &c1);
    *b = *a;
    int64_t t1 = t0 + rp_sim_rng_range(&r, 25, 50) * MIN;
    b->who.console = true;
    b->who.session_ms = t1;
    const char *add = rp_sim_scn_printf(
        run,
        "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%%23&isauthcode="
        "true\",\"MobileVersion\":\"No\",\"MFAUsed\":\"%s\"}",
        u->mfa ? "Yes" : "No");
    struct rp_sim_scn_call *c =
        rp_sim_scn_call_add(run, p, l0, t0, "signin.amazonaws.com", "ConsoleLogin");
    c->resp = "{\"ConsoleLogin\":\"Success\"}";
    c->add = add;
    c = rp_sim_scn_call_add(run, p, l1, t1, "signin.amazonaws.com", "ConsoleLogin");
    c->resp = "{\"ConsoleLogin\":\"Success\"}";
    c->add = add;
    c = rp_sim_scn_call_add(run, p, c1, t1 + rp_sim_rng_range(&r, 30, 200) * SEC,
                            "ec2.amazonaws.com", "DescribeInstances");
    c->params = "{\"instancesSet\":{},\"filterSet\":{}}";
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->habits.ips[0]);
    rp_sim_scn_list_add(&ent, other);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_ctplan_last(p);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a second console login from a network the user never used, but it is another "
              "company office on threatintel/trusted-ips.txt (trusted addresses produce no "
              "finding)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_console_login_trusted_office = {
    .id = "benign-console-login-trusted-office",
    .summary = "console login from another office on the trusted IP list",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_trusted_login,
    .expects = RP_SIM_EXPECTS("none"),
};

/* ---- benign-ci-artifact-sync ---------------------------------------------------------------- */

struct sync_ctx {
    struct rp_sim_rng r;
    struct rp_sim_scn_actor actor;
    uint32_t bucket;
};

/* One night's sync, generated when its hour comes (memory does not grow with --days). */
static rp_err sync_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                        struct rp_errbuf *eb)
{
    (void)i;
    struct sync_ctx *c = ctx;
    uint32_t n = 250 + rp_sim_rng_below(&c->r, 100);
    int64_t day = ts / DAY;
    int64_t t = ts;
    rp_err e = RP_OK;
    for (uint32_t k = 0; k < n && e == RP_OK; k++) {
        char key[128];
        bool put = k % 3 != 2;
        rp_sim_fmt(key, sizeof(key), "%s/build-%lld/%s-%04u.%s", put ? "nightly" : "cache",
                   (long long)day, put ? "artifact" : "layer", k, put ? "tar.gz" : "bin");
        uint64_t out = put ? 0 : (uint64_t)rp_sim_rng_range(&c->r, 100000, 9000000);
        uint64_t in = put ? (uint64_t)rp_sim_rng_range(&c->r, 200000, 30000000) : 0;
        e = rp_sim_scn_s3obj_emit(run, &c->r, &c->actor, t, put ? "PutObject" : "GetObject",
                                  c->bucket, key, out, in, eb);
        t += rp_sim_rng_range(&c->r, 200, 3000);
    }
    return e;
}

static rp_err plan_ci_sync(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t role = RP_SIM_NONE, bucket = RP_SIM_NONE;
    for (uint32_t a = 0; a < w->naccounts && role == RP_SIM_NONE; a++) {
        uint32_t ro = rp_sim_scn_role_of(w, a, RP_SIM_ROLE_CICD);
        for (uint32_t i = 0; i < w->nbuckets && ro != RP_SIM_NONE; i++)
            if (w->buckets[i].res.acct == a && w->buckets[i].purpose == RP_SIM_BUCKET_ARTIFACTS) {
                role = ro;
                bucket = i;
                break;
            }
    }
    if (role == RP_SIM_NONE) return RP_OK;
    const struct rp_sim_role *ro = &w->roles[role];
    struct sync_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t ndays = (uint32_t)((run->end_ms - run->start_ms) / DAY) + 1;
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, ndays, sync_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/ct");
    c->bucket = bucket;
    struct rp_sim_scn_actor *ac = &c->actor;
    ac->who.kind = RP_SIM_CT_ROLE;
    ac->who.idx = role;
    ac->who.mfa = RP_SIM_CT_MFA_DEFAULT;
    ac->acct = RP_SIM_NONE;
    ac->region = RP_SIM_NONE;
    rp_strlcpy(ac->session, "GitHubActions", sizeof(ac->session));
    if (ro->habits.nips) rp_strlcpy(ac->ip, ro->habits.ips[0], sizeof(ac->ip));
    rp_sim_fmt(ac->ua, sizeof(ac->ua), "%s command/s3.sync",
               "aws-cli/2.15.10 Python/3.11.6 Linux/6.5.0-1014-azure exe/x86_64.ubuntu.22 "
               "prompt/off");
    /* every night at 02:10-02:20 UTC (the sync takes under 20 minutes, inside the hour) */
    int64_t minute = 10 + rp_sim_rng_below(&r, 10);
    uint32_t k = 0;
    for (int64_t d = run->start_ms - run->start_ms % DAY; d < run->end_ms && k < ndays; d += DAY) {
        int64_t t = d + 2 * HOUR + minute * MIN + rp_sim_rng_range(&r, 0, 120) * SEC;
        if (t < run->start_ms || t + 30 * MIN >= run->end_ms) continue;
        s->times[k++] = t;
    }
    s->n = k;
    int64_t ws = 0, we = 0;
    if (!attack_window(run, s->times, s->n, 20 * MIN, &ws, &we)) return RP_OK;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, ro->res.arn);
    rp_sim_scn_list_add(&ent, w->buckets[bucket].res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = ws;
    tr.end_ms = we;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "hundreds of S3 PutObject/GetObject data events in minutes, but by the CI role from "
              "its usual runners at the same time every night since the start";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_ci_artifact_sync = {
    .id = "benign-ci-artifact-sync",
    .summary = "the CI role's big but habitual nightly S3 sync",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_ci_sync,
    .expects = RP_SIM_EXPECTS("none"),
};

/* ---- benign-vuln-scanner-trusted ------------------------------------------------------------ */

struct scan_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char ip[RP_SIM_IP_SZ];
    uint16_t *ports;
    uint32_t nports;
};

static rp_err scanner_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                           struct rp_errbuf *eb)
{
    struct scan_ctx *c = ctx;
    const struct rp_sim_world *w = run->world;
    uint32_t eni = w->instances[c->inst].eni;
    uint16_t port = c->ports[i % c->nports];
    if (port != 22)
        return rp_sim_flow_probe_emit(run, eni, c->ip, rp_sim_scn_eport(&c->r), port, 6, ts / 1000,
                                      eb);
    struct rp_sim_conn k = {0};
    k.eni = eni;
    k.inbound = true;
    k.remote_ip = c->ip;
    k.local_port = 22;
    k.remote_port = rp_sim_scn_eport(&c->r);
    k.protocol = 6;
    k.req_packets = 6;
    k.req_bytes = 512;
    k.resp_packets = 5;
    k.resp_bytes = 1180;
    k.start_s = ts / 1000;
    k.end_s = k.start_s + 1;
    k.traffic_path = 8;
    return rp_sim_flow_conn_emit(run, &k, eb);
}

static bool f_bastion(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    return in->workload == RP_SIM_WL_BASTION && in->public_ip[0] && in->vpc < w->nvpcs &&
           w->vpcs[in->vpc].flow_format != RP_SIM_FLOW_NONE;
}

static rp_err plan_scanner(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, &r, f_bastion, NULL);
    char trusted[16][RP_SIM_IP_SZ];
    uint32_t nt = rp_sim_side_trusted_ips(w, trusted, 16);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || nt == 0 || !rp_sim_scn_when(run, self, &r, 20 * MIN, &t0))
        return RP_OK;
    struct scan_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    if (!c) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    rp_strlcpy(c->ip, trusted[rp_sim_rng_below(&r, nt < 16 ? nt : 16)], sizeof(c->ip));
    c->nports = 300;
    c->ports = rp_sim_scn_alloc(run, c->nports * sizeof(uint16_t));
    if (!c->ports) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    for (uint32_t i = 0; i < c->nports; i++)
        c->ports[i] = (uint16_t)(i < 250 ? i * 4 + 1 : 3000 + i * 37);
    c->ports[5] = 22;
    /* the weekly scan: this week's run in the attack period, and the same weekday before */
    uint32_t weeks = 0;
    for (int64_t t = t0; t >= run->start_ms; t -= 7 * DAY) weeks++;
    uint32_t n = weeks * c->nports;
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, scanner_step, c);
    if (!s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint32_t k = 0;
    for (uint32_t wk = weeks; wk-- > 0;) {
        int64_t t = t0 - (int64_t)wk * 7 * DAY;
        for (uint32_t i = 0; i < c->nports; i++) {
            s->times[k++] = t;
            t += rp_sim_rng_range(&r, 1000, 3000);
        }
    }
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->instances[inst].res.id);
    rp_sim_scn_list_add(&ent, c->ip);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "300 ports of the bastion probed in minutes (only 22 answers), every week, from an "
              "office address on threatintel/trusted-ips.txt: the company's own scanner";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_vuln_scanner_trusted = {
    .id = "benign-vuln-scanner-trusted",
    .summary = "the company's weekly vulnerability scan from a trusted office address",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_scanner,
    .expects = RP_SIM_EXPECTS("none"),
};

/* ---- benign-nightly-backup-transfer --------------------------------------------------------- */

struct backup_ctx {
    struct rp_sim_rng r;
    uint32_t inst;
    char s3ip[RP_SIM_IP_SZ];
    uint16_t sport;
};

static rp_err backup_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                          struct rp_errbuf *eb)
{
    struct backup_ctx *c = ctx;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[c->inst];
    uint32_t part = i % 6;
    uint64_t bytes = (uint64_t)rp_sim_rng_range(&c->r, 3800, 5200) << 20;
    struct rp_sim_conn k = {0};
    k.eni = in->eni;
    k.remote_ip = c->s3ip;
    k.local_port = (uint16_t)(c->sport + i / 6);
    k.remote_port = 443;
    k.protocol = 6;
    k.req_packets = bytes / 8961 + 1;
    k.req_bytes = bytes;
    k.resp_packets = k.req_packets / 2;
    k.resp_bytes = k.resp_packets * 52;
    k.start_s = ts / 1000;
    k.end_s = k.start_s + 599;
    k.ongoing = part != 0 && part != 5;
    k.remote_service = "S3";
    k.traffic_path = in->public_ip[0] ? 8 : 1;
    return rp_sim_flow_conn_emit(run, &k, eb);
}

static bool f_db_host(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    return in->workload == RP_SIM_WL_DB && in->vpc < w->nvpcs &&
           w->vpcs[in->vpc].flow_format != RP_SIM_FLOW_NONE;
}

static rp_err plan_backup(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t inst = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, &r, f_db_host, NULL);
    if (inst == RP_SIM_NONE) return RP_OK;
    struct backup_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    if (!c) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/flow");
    c->inst = inst;
    rp_sim_fmt(c->s3ip, sizeof(c->s3ip), "52.216.%u.%u", 8 + rp_sim_rng_below(&r, 200),
               2 + rp_sim_rng_below(&r, 250));
    c->sport = (uint16_t)(40000 + rp_sim_rng_below(&r, 10000));
    int64_t minute = 5 + rp_sim_rng_below(&r, 20);
    uint32_t ndays = (uint32_t)((run->end_ms - run->start_ms) / DAY) + 1;
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, ndays * 6, backup_step, c);
    if (!s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint32_t k = 0;
    for (int64_t d = run->start_ms - run->start_ms % DAY; d < run->end_ms && k + 6 <= s->n;
         d += DAY) {
        int64_t t = d + HOUR + minute * MIN; /* 01:xx UTC every night */
        if (t < run->start_ms || t + HOUR >= run->end_ms) continue;
        for (uint32_t i = 0; i < 6; i++) s->times[k++] = t + (int64_t)i * 10 * MIN;
    }
    s->n = k;
    int64_t ws = 0, we = 0;
    if (!attack_window(run, s->times, s->n, 10 * MIN, &ws, &we)) return RP_OK;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->instances[inst].res.id);
    rp_sim_scn_list_add(&ent, c->s3ip);
    struct rp_sim_truth tr = {0};
    tr.start_ms = ws;
    tr.end_ms = we;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "20-30 GB sent to S3 (pkt-dst-aws-service S3) in an hour, every night at the same "
              "time since the start: part of the instance's baseline";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_nightly_backup_transfer = {
    .id = "benign-nightly-backup-transfer",
    .summary = "a database's nightly multi-gigabyte backup to S3, every night",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_backup,
    .expects = RP_SIM_EXPECTS("none"),
};

/* ---- benign-kubectl-exec-app-pod ------------------------------------------------------------ */

struct exec_ctx {
    struct rp_sim_rng r;
    uint32_t eks;
    uint32_t user;
    const char *ip;
};

static rp_err exec_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                        struct rp_errbuf *eb)
{
    struct exec_ctx *c = ctx;
    const struct rp_sim_user *u = &run->world->users[c->user];
    char sfx[6], rs[11];
    rp_sim_rng_chars(&c->r, rs, 10, "bcdfghjklmnpqrstvwxz2456789");
    rp_sim_rng_chars(&c->r, sfx, 5, "bcdfghjklmnpqrstvwxz2456789");
    char pod[64], uri[256];
    rp_sim_fmt(pod, sizeof(pod), "orders-api-%s-%s", rs, sfx);
    rp_sim_fmt(uri, sizeof(uri),
               "/api/v1/namespaces/shop/pods/%s/exec?command=sh&command=-c&command=%s&"
               "container=orders-api&stdin=true&stdout=true&tty=false",
               pod, i % 2 ? "env+%7C+grep+LOG_LEVEL" : "cat+%2Fapp%2Fconfig%2Fapplication.yml");
    struct rp_sim_k8s_event e;
    rp_sim_k8s_event_init(&e, c->eks, ts, "create");
    e.username = u->res.name;
    rp_sim_k8s_event_group(&e, "developers");
    rp_sim_k8s_event_group(&e, "system:authenticated");
    e.extra_arn = u->res.arn;
    e.extra_principal = u->res.id;
    e.extra_session = "";
    rp_sim_k8s_event_source_ip(&e, c->ip);
    e.user_agent = "kubectl/v1.29.1 (darwin/arm64) kubernetes/bc401b9";
    e.resource = "pods";
    e.subresource = "exec";
    e.ns = "shop";
    e.name = pod;
    e.code = 101;
    e.request_uri = uri;
    e.authz_reason = "RBAC: allowed by RoleBinding \"developers-exec\" of Role \"pod-exec\" to "
                     "Group \"developers\"";
    return rp_sim_k8s_event_emit(run, &e, &c->r, eb);
}

static bool f_audited(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_eks *k = &run->world->eks[i];
    return k->audit_logging &&
           rp_sim_scn_user_of(run->world, k->res.acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

static rp_err plan_exec(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t eks = rp_sim_scn_pick(run, RP_SIM_K_EKS, &r, f_audited, NULL);
    if (eks == RP_SIM_NONE) return RP_OK;
    struct exec_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    if (!c) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/k8s");
    c->eks = eks;
    c->user = rp_sim_scn_user_of(w, w->eks[eks].res.acct, RP_SIM_USER_DEVELOPER);
    const struct rp_sim_user *u = &w->users[c->user];
    c->ip = rp_sim_scn_dup(run, u->habits.nips > 1 ? u->habits.ips[1] : u->habits.ips[0]);
    /* twice every day (the team is on call), in the developer's morning (local time) */
    uint32_t ndays = (uint32_t)((run->end_ms - run->start_ms) / DAY) + 3;
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, ndays * 2, exec_step, c);
    if (!s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint32_t k = 0;
    int64_t local_start =
        (int64_t)u->habits.work_start_hour * HOUR - (int64_t)u->habits.tz_offset_min * MIN;
    /* local mornings may fall on the previous UTC day: walk one day past each end */
    for (int64_t d = run->start_ms - run->start_ms % DAY - DAY;
         d < run->end_ms + DAY && k + 2 <= s->n; d += DAY) {
        int64_t t = d + local_start + HOUR + rp_sim_rng_range(&r, 0, 50) * MIN;
        if (t < run->start_ms || t + 30 * MIN >= run->end_ms) continue;
        for (int q = 0; q < 2; q++) s->times[k++] = t + q * rp_sim_rng_range(&r, 30, 300) * SEC;
    }
    s->n = k;
    int64_t ws = 0, we = 0;
    if (!attack_window(run, s->times, s->n, 0, &ws, &we)) return RP_OK;
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->eks[eks].res.arn);
    rp_sim_scn_list_add(&ent, u->res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = ws;
    tr.end_ms = we;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a developer execs into an application pod in namespace shop every morning from "
              "the office (exec outside kube-system, habitual)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_kubectl_exec_app_pod = {
    .id = "benign-kubectl-exec-app-pod",
    .summary = "a developer's habitual kubectl exec into an application pod",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_exec,
    .expects = RP_SIM_EXPECTS("none"),
};

/* ---- benign-eks-endpoint-lookups ------------------------------------------------------------ */

struct lookup_ctx {
    struct rp_sim_rng r;
    uint32_t eks;
    const char *host;
};

static rp_err lookup_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                          struct rp_errbuf *eb)
{
    struct lookup_ctx *c = ctx;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_eks *k = &w->eks[c->eks];
    uint32_t node = k->nodes[i % k->nnodes];
    const struct rp_sim_instance *in = &w->instances[node];
    struct rp_sim_dns_query q;
    rp_sim_dns_query_init(&q, in->vpc, ts, c->host);
    q.srcaddr = in->private_ip;
    q.srcport = rp_sim_scn_eport(&c->r);
    q.instance = node;
    q.query_type = i % 3 == 2 ? "AAAA" : "A";
    if (i % 3 != 2) {
        /* the private endpoint answers with the control-plane interfaces */
        for (uint32_t e = 0; e < w->nenis; e++)
            if (w->enis[e].use == RP_SIM_ENI_EKS && w->enis[e].owner == c->eks)
                rp_sim_dns_query_answer(&q, "A", w->enis[e].private_ip);
    }
    return rp_sim_dns_query_emit(run, &q, eb);
}

static bool f_eks_dns(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_eks *k = &w->eks[i];
    return k->nnodes > 0 && k->vpc < w->nvpcs && w->vpcs[k->vpc].dns_query_logging;
}

static rp_err plan_lookups(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    uint32_t eks = rp_sim_scn_pick(run, RP_SIM_K_EKS, &r, f_eks_dns, NULL);
    int64_t t0 = 0;
    if (eks == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct lookup_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    uint32_t n = 240 + rp_sim_rng_below(&r, 200);
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, n, lookup_step, c);
    if (!c || !s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    rng_of(run, self, &c->r, "/dns");
    c->eks = eks;
    const char *ep = w->eks[eks].endpoint;
    if (strncmp(ep, "https://", 8) == 0) ep += 8;
    c->host = rp_sim_scn_printf(run, "%s", ep);
    rp_sim_scn_series_spread(s, &r, t0, 300, 2400);
    rp_err e = rp_sim_scn_series_start(run, s, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->eks[eks].res.arn);
    rp_sim_scn_list_add(&ent, c->host);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "%u lookups in minutes of the cluster's API endpoint, whose first "
                                "label is 32 hex characters, from every node after a restart: "
                                "high entropy and volume, but one fixed AWS name",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_eks_endpoint_lookups = {
    .id = "benign-eks-endpoint-lookups",
    .summary = "a burst of lookups of the EKS endpoint's long hexadecimal name",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_lookups,
    .expects = RP_SIM_EXPECTS("none"),
};

/* ---- benign-decoy-test-data ----------------------------------------------------------------- */

static rp_err plan_decoy(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "");
    /* the last account's artifacts bucket (the credentials scenario never takes it) */
    uint32_t bucket = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nbuckets; i++)
        if (w->buckets[i].purpose == RP_SIM_BUCKET_ARTIFACTS &&
            w->buckets[i].res.acct == w->naccounts - 1)
            bucket = i;
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    uint32_t acct = w->buckets[bucket].res.acct;
    uint32_t dev = rp_sim_scn_user_of(w, acct, RP_SIM_USER_DEVELOPER);
    if (dev == RP_SIM_NONE) return RP_OK;
    w->buckets[bucket].res.marks |= RP_SIM_MARK_DECOY | RP_SIM_MARK_SCENARIO;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, dev, &a);
    if (w->users[dev].habits.nips) rp_strlcpy(ac->ip, w->users[dev].habits.ips[0], sizeof(ac->ip));
    static const char *const keys[] = {"exports/test-data/customers-sample.csv",
                                       "exports/test-data/employees-sample.csv",
                                       "docs/aws-cli-setup.md", "notes/onboarding-template.txt"};
    int64_t t = t0;
    for (unsigned k = 0; k < RP_ARRAY_LEN(keys); k++) {
        rp_sim_scn_call_s3obj(run, p, a, t, "PutObject", bucket, keys[k], 0,
                              (uint64_t)rp_sim_rng_range(&r, 2000, 90000));
        t += rp_sim_rng_range(&r, 2, 20) * SEC;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->buckets[bucket].res.arn);
    rp_sim_scn_list_add(&ent, w->users[dev].res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_ctplan_last(p);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "test fixtures with card-like numbers failing Luhn, invalid SSNs/IBANs/NHS numbers "
              "and AWS's documented example key pair: nothing a Macie identifier should report "
              "(side-truth/sensitive.jsonl lists each decoy)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_benign_decoy_test_data = {
    .id = "benign-decoy-test-data",
    .summary = "look-alike test data (invalid numbers, example keys) uploaded to a bucket",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_decoy,
    .expects = RP_SIM_EXPECTS("none"),
};
