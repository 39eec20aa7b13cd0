/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the built-in scenarios (sim_scn.h): slot-based start times, entity picks
 * limited to the estate as it was at the start, contexts and step series in the world's arena,
 * attacker addresses outside every block the world and the threat lists use, and the truth line
 * wrapper. The scenarios themselves live in sim_scn_<theme>.c and are listed in
 * sim_scenarios.def. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MAX_SCENARIOS 512

void *rp_sim_scn_alloc(struct rp_sim_run *run, size_t n)
{
    return rp_arena_zalloc(&run->world->priv->arena, n ? n : 1);
}

const char *rp_sim_scn_printf(struct rp_sim_run *run, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof(buf)) return rp_arena_strdup(&run->world->priv->arena, buf);
    char *p = rp_arena_alloc(&run->world->priv->arena, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

const char *rp_sim_scn_dup(struct rp_sim_run *run, const char *s)
{
    return rp_arena_strdup(&run->world->priv->arena, s ? s : "");
}

static size_t registry_index(const struct rp_sim_scenario *self, size_t *count)
{
    size_t n = 0, idx = 0;
    while (rp_sim_scenarios[n]) {
        if (rp_sim_scenarios[n] == self || strcmp(rp_sim_scenarios[n]->id, self->id) == 0) idx = n;
        n++;
    }
    *count = n;
    return idx;
}

bool rp_sim_scn_when(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                     struct rp_sim_rng *r, int64_t dur_ms, int64_t *start_ms)
{
    int64_t lo = run->attack_ms + RP_SIM_SCN_MIN, hi = run->end_ms - RP_SIM_SCN_MIN;
    if (hi - lo < dur_ms) return false;
    size_t n = 0, idx = registry_index(self, &n);
    if (n == 0) n = 1;
    if (n > MAX_SCENARIOS) n = MAX_SCENARIOS;
    if (idx >= n) idx = n - 1;
    /* slot = position of idx in a permutation drawn from the seed alone */
    uint32_t perm[MAX_SCENARIOS];
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    struct rp_sim_rng pr;
    rp_sim_rng_init(&pr, run->seed, "scn/slots");
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = rp_sim_rng_below(&pr, (uint32_t)(i + 1));
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    size_t slot = 0;
    for (size_t i = 0; i < n; i++)
        if (perm[i] == idx) slot = i;
    int64_t len = (hi - lo) / (int64_t)n;
    int64_t room = len - dur_ms;
    if (room < 0) room = 0;
    int64_t t = lo + (int64_t)slot * len + rp_sim_rng_range(r, 0, room / 1000) * 1000;
    if (t + dur_ms > hi) t = hi - dur_ms;
    if (t < lo) t = lo;
    *start_ms = t - t % 1000;
    return true;
}

uint32_t rp_sim_scn_pick(const struct rp_sim_run *run, enum rp_sim_kind k, struct rp_sim_rng *r,
                         rp_sim_scn_filter_fn ok, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    uint32_t n = rp_sim_world_count(w, k), hits = 0;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t want = pass ? rp_sim_rng_below(r, hits) : 0, seen = 0;
        for (uint32_t i = 0; i < n; i++) {
            const struct rp_sim_res *res = rp_sim_world_res(w, (struct rp_sim_ref){k, i});
            if (!res || res->deleted_ms || res->created_ms > run->start_ms) continue;
            if (ok && !ok(run, i, arg)) continue;
            if (!pass)
                hits++;
            else if (seen++ == want)
                return i;
        }
        if (!hits) return RP_SIM_NONE;
    }
    return RP_SIM_NONE;
}

void rp_sim_scn_outside_ip(struct rp_sim_rng *r, bool far, int tz_offset_min,
                           char out[RP_SIM_IP_SZ])
{
    /* hosting/VPS-like blocks: none is an AWS-like, people's or threat-list first octet */
    static const uint8_t any[] = {139, 146, 157, 159, 165, 178, 188};
    static const uint8_t apac[] = {103, 110, 114, 119, 121, 202};
    static const uint8_t latam[] = {177, 179, 186, 189, 200, 201};
    uint8_t first;
    if (!far)
        first = any[rp_sim_rng_below(r, (uint32_t)RP_ARRAY_LEN(any))];
    else if (tz_offset_min >= 240) /* offices in Asia-Pacific: go to South America */
        first = latam[rp_sim_rng_below(r, (uint32_t)RP_ARRAY_LEN(latam))];
    else
        first = apac[rp_sim_rng_below(r, (uint32_t)RP_ARRAY_LEN(apac))];
    rp_sim_fmt(out, RP_SIM_IP_SZ, "%u.%u.%u.%u", first, 1 + rp_sim_rng_below(r, 254),
               rp_sim_rng_below(r, 256), 2 + rp_sim_rng_below(r, 252));
}

/* ---- series ----------------------------------------------------------------------------------
 */

struct rp_sim_scn_series *rp_sim_scn_series_new(struct rp_sim_run *run, uint32_t n,
                                                rp_sim_scn_step_fn fn, void *ctx)
{
    struct rp_sim_scn_series *s = rp_sim_scn_alloc(run, sizeof(*s));
    if (!s) return NULL;
    s->times = rp_sim_scn_alloc(run, (size_t)(n ? n : 1) * sizeof(int64_t));
    if (!s->times) return NULL;
    s->fn = fn;
    s->ctx = ctx;
    s->n = n;
    return s;
}

void rp_sim_scn_series_spread(struct rp_sim_scn_series *s, struct rp_sim_rng *r, int64_t t0,
                              int64_t gap_lo, int64_t gap_hi)
{
    int64_t t = t0;
    for (uint32_t i = 0; i < s->n; i++) {
        s->times[i] = t;
        t += rp_sim_rng_range(r, gap_lo, gap_hi);
    }
}

int64_t rp_sim_scn_series_end(const struct rp_sim_scn_series *s)
{
    return s->n ? s->times[s->n - 1] : 0;
}

static rp_err series_event(struct rp_sim_run *run, int64_t at_ms, void *ctx, struct rp_errbuf *eb)
{
    (void)at_ms;
    struct rp_sim_scn_series *s = ctx;
    int64_t hour_end = run->hour_ms + RP_SIM_SCN_HOUR;
    while (s->next < s->n && s->times[s->next] < hour_end) {
        int64_t t = s->times[s->next];
        if (t < run->hour_ms) t = run->hour_ms;
        rp_err e = s->fn(run, s->ctx, s->next, t, eb);
        if (e != RP_OK) return e;
        s->next++;
    }
    if (s->next < s->n) return rp_sim_run_schedule(run, s->times[s->next], series_event, s, eb);
    return RP_OK;
}

rp_err rp_sim_scn_series_start(struct rp_sim_run *run, struct rp_sim_scn_series *s,
                               struct rp_errbuf *eb)
{
    if (!s->n) return RP_OK;
    return rp_sim_run_schedule(run, s->times[0], series_event, s, eb);
}

/* ---- truth ----------------------------------------------------------------------------------
 */

rp_err rp_sim_scn_truth_add(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            const struct rp_sim_truth *t, struct rp_errbuf *eb)
{
    char id[128];
    rp_sim_fmt(id, sizeof(id), "%s#1", self->id);
    struct rp_sim_truth tt = *t;
    tt.id = id;
    tt.scenario = self->id;
    tt.mitre = self->mitre;
    tt.expect_none = self->kind == RP_SIM_SCN_BENIGN;
    return rp_sim_truth_add(run, &tt, eb);
}

void rp_sim_scn_list_add(struct rp_sim_scn_list *l, const char *s)
{
    if (!s || !*s || l->n >= RP_SIM_SCN_MAX_LIST) return;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return;
    rp_strlcpy(l->v[l->n], s, sizeof(l->v[l->n]));
    l->p[l->n] = l->v[l->n];
    l->n++;
}

/* ---- builders ---------------------------------------------------------------------------------
 */

uint32_t rp_sim_scn_region(const struct rp_sim_world *w, struct rp_sim_ref ref)
{
    const struct rp_sim_res *res = rp_sim_world_res(w, ref);
    if (!res) return 0;
    if (res->global && res->acct < w->naccounts) return w->accounts[res->acct].home_region;
    return res->region < w->nregions ? res->region : 0;
}

rp_err rp_sim_scn_ct(struct rp_sim_run *run, struct rp_sim_ct_call *c, int64_t ts_ms,
                     struct rp_sim_rng *r, char *event_id, struct rp_errbuf *eb)
{
    char eid[RP_SIM_UUID_SZ];
    c->ts_ms = ts_ms;
    rp_err e = rp_sim_ct_call_emit(run, c, r, eid, eb);
    if (e == RP_OK && event_id) memcpy(event_id, eid, RP_SIM_UUID_SZ);
    return e;
}

uint32_t rp_sim_scn_user_of(const struct rp_sim_world *w, uint32_t acct, enum rp_sim_user_kind k)
{
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].res.acct == acct && w->users[i].kind == k && !w->users[i].res.deleted_ms)
            return i;
    return RP_SIM_NONE;
}

uint32_t rp_sim_scn_role_of(const struct rp_sim_world *w, uint32_t acct, enum rp_sim_role_kind k)
{
    for (uint32_t i = 0; i < w->nroles; i++)
        if (w->roles[i].res.acct == acct && w->roles[i].kind == k && !w->roles[i].res.deleted_ms)
            return i;
    return RP_SIM_NONE;
}

uint16_t rp_sim_scn_eport(struct rp_sim_rng *r)
{
    return (uint16_t)(32768 + rp_sim_rng_below(r, 28232));
}

/* ---- CloudTrail call plans ------------------------------------------------------------------
 */

struct rp_sim_scn_ctplan *rp_sim_scn_ctplan_new(struct rp_sim_run *run,
                                                const struct rp_sim_scenario *self)
{
    struct rp_sim_scn_ctplan *p = rp_sim_scn_alloc(run, sizeof(*p));
    if (!p) return NULL;
    rp_sim_rng_initf(&p->r, run->seed, "scn/%s/ct", self->id);
    return p;
}

struct rp_sim_scn_actor *rp_sim_scn_actor_add(struct rp_sim_scn_ctplan *p, enum rp_sim_ct_kind kind,
                                              uint32_t idx, uint8_t *index)
{
    if (p->nactors < RP_SIM_SCN_MAX_ACTORS) p->nactors++;
    uint8_t i = (uint8_t)(p->nactors - 1);
    struct rp_sim_scn_actor *a = &p->actors[i];
    memset(a, 0, sizeof(*a));
    a->who.kind = kind;
    a->who.idx = idx;
    a->who.mfa = RP_SIM_CT_MFA_DEFAULT;
    a->acct = RP_SIM_NONE;
    a->region = RP_SIM_NONE;
    if (index) *index = i;
    return a;
}

struct rp_sim_scn_call *rp_sim_scn_call_add(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                            uint8_t actor, int64_t ts_ms, const char *src,
                                            const char *name)
{
    if (p->ncalls == p->cap) {
        uint32_t ncap = p->cap ? p->cap * 2 : 32;
        struct rp_sim_scn_call *c = rp_sim_scn_alloc(run, (size_t)ncap * sizeof(*c));
        if (!c) {
            p->oom = true;
            memset(&p->scratch, 0, sizeof(p->scratch));
            return &p->scratch;
        }
        if (p->ncalls) memcpy(c, p->calls, (size_t)p->ncalls * sizeof(*c));
        p->calls = c;
        p->cap = ncap;
    }
    struct rp_sim_scn_call *c = &p->calls[p->ncalls++];
    memset(c, 0, sizeof(*c));
    c->ts = ts_ms - ts_ms % 1000;
    c->actor = actor;
    c->src = src;
    c->name = name;
    c->read_only = -1;
    c->region = RP_SIM_NONE;
    return c;
}

struct rp_sim_scn_call *rp_sim_scn_call_s3obj(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                              uint8_t actor, int64_t ts_ms, const char *name,
                                              uint32_t bucket, const char *key, uint64_t bytes_out,
                                              uint64_t bytes_in)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    const char *region = w->regions[b->res.region < w->nregions ? b->res.region : 0];
    struct rp_sim_scn_call *c = rp_sim_scn_call_add(run, p, actor, ts_ms, "s3.amazonaws.com", name);
    char id2[77];
    rp_sim_rng_chars(&p->r, id2, 76,
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    c->data = true;
    c->region = b->res.region;
    c->params = rp_sim_scn_printf(run,
                                  "{\"bucketName\":\"%s\",\"Host\":\"%s.s3.%s.amazonaws.com\","
                                  "\"key\":\"%s\"}",
                                  b->res.name, b->res.name, region, key);
    c->add = rp_sim_scn_printf(run,
                               "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":"
                               "\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":%llu,"
                               "\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"%s=\","
                               "\"bytesTransferredOut\":%llu}",
                               (unsigned long long)bytes_in, id2, (unsigned long long)bytes_out);
    c->res_type[0] = "AWS::S3::Object";
    c->res_arn[0] = rp_sim_scn_printf(run, "%s/%s", b->res.arn, key);
    c->res_type[1] = "AWS::S3::Bucket";
    c->res_arn[1] = rp_sim_scn_dup(run, b->res.arn);
    c->res_acct[1] = rp_sim_scn_dup(run, w->accounts[b->res.acct].res.id);
    c->nres = 2;
    if (!c->params || !c->add || !c->res_arn[0]) p->oom = true;
    return c;
}

rp_err rp_sim_scn_s3obj_emit(struct rp_sim_run *run, struct rp_sim_rng *r,
                             const struct rp_sim_scn_actor *a, int64_t ts_ms, const char *name,
                             uint32_t bucket, const char *key, uint64_t bytes_out,
                             uint64_t bytes_in, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    const char *region = w->regions[b->res.region < w->nregions ? b->res.region : 0];
    char params[512], add[512], arn[RP_SIM_ARN_SZ + 256], id2[77];
    rp_sim_rng_chars(r, id2, 76,
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    rp_sim_fmt(params, sizeof(params),
               "{\"bucketName\":\"%s\",\"Host\":\"%s.s3.%s.amazonaws.com\",\"key\":\"%s\"}",
               b->res.name, b->res.name, region, key);
    rp_sim_fmt(add, sizeof(add),
               "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\","
               "\"bytesTransferredIn\":%llu,\"AuthenticationMethod\":\"AuthHeader\","
               "\"x-amz-id-2\":\"%s=\",\"bytesTransferredOut\":%llu}",
               (unsigned long long)bytes_in, id2, (unsigned long long)bytes_out);
    rp_sim_fmt(arn, sizeof(arn), "%s/%s", b->res.arn, key);
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, a->who.kind, a->who.idx);
    c.who = a->who;
    if (a->ip[0]) c.who.source_ip = a->ip;
    if (a->ua[0]) c.who.user_agent = a->ua;
    if (a->key[0]) c.who.access_key = a->key;
    if (a->session[0]) c.who.session_name = a->session;
    c.acct = a->acct;
    c.region = b->res.region;
    c.event_source = "s3.amazonaws.com";
    c.event_name = name;
    c.data_event = true;
    c.request_parameters = params;
    c.additional_event_data = add;
    rp_sim_ct_call_resource(&c, "AWS::S3::Object", arn, NULL);
    rp_sim_ct_call_resource(&c, "AWS::S3::Bucket", b->res.arn, w->accounts[b->res.acct].res.id);
    return rp_sim_scn_ct(run, &c, ts_ms, r, NULL, eb);
}

static rp_err ctplan_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts_ms,
                          struct rp_errbuf *eb)
{
    struct rp_sim_scn_ctplan *p = ctx;
    const struct rp_sim_scn_call *k = &p->calls[i];
    const struct rp_sim_scn_actor *a = &p->actors[k->actor];
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, a->who.kind, a->who.idx);
    c.who = a->who;
    if (a->ip[0]) c.who.source_ip = a->ip;
    if (a->ua[0]) c.who.user_agent = a->ua;
    if (a->key[0]) c.who.access_key = a->key;
    if (a->session[0]) c.who.session_name = a->session;
    c.acct = a->acct;
    c.region = k->region != RP_SIM_NONE ? k->region : a->region;
    c.aws_region = k->aws_region;
    c.event_source = k->src;
    c.event_name = k->name;
    c.event_type = k->event_type;
    c.read_only = k->read_only;
    c.data_event = k->data;
    c.request_parameters = k->params;
    c.response_elements = k->resp;
    c.additional_event_data = k->add;
    c.error_code = k->err;
    c.error_message = k->errmsg;
    for (uint8_t r = 0; r < k->nres; r++)
        rp_sim_ct_call_resource(&c, k->res_type[r], k->res_arn[r], k->res_acct[r]);
    char eid[RP_SIM_UUID_SZ];
    rp_err e = RP_OK;
    if (k->hook_first) {
        c.event_id = k->event_id;
        if (k->tag && p->hook) e = p->hook(run, p->hook_ctx, k->tag, ts_ms, k->event_id, eb);
        if (e == RP_OK) e = rp_sim_scn_ct(run, &c, ts_ms, &p->r, eid, eb);
        return e;
    }
    e = rp_sim_scn_ct(run, &c, ts_ms, &p->r, eid, eb);
    if (e == RP_OK && k->tag && p->hook) e = p->hook(run, p->hook_ctx, k->tag, ts_ms, eid, eb);
    return e;
}

void rp_sim_scn_call_hook_first(struct rp_sim_scn_ctplan *p, struct rp_sim_scn_call *c, int tag)
{
    c->tag = tag;
    c->hook_first = true;
    rp_sim_rng_uuid(&p->r, c->event_id);
}

rp_err rp_sim_scn_ctplan_start(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                               struct rp_errbuf *eb)
{
    if (p->oom) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory planning a scenario");
    /* stable insertion sort: calls are added mostly in order */
    for (uint32_t i = 1; i < p->ncalls; i++) {
        struct rp_sim_scn_call t = p->calls[i];
        uint32_t k = i;
        while (k > 0 && p->calls[k - 1].ts > t.ts) {
            p->calls[k] = p->calls[k - 1];
            k--;
        }
        p->calls[k] = t;
    }
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, p->ncalls, ctplan_step, p);
    if (!s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory planning a scenario");
    for (uint32_t i = 0; i < p->ncalls; i++) s->times[i] = p->calls[i].ts;
    return rp_sim_scn_series_start(run, s, eb);
}

int64_t rp_sim_scn_ctplan_first(const struct rp_sim_scn_ctplan *p)
{
    int64_t t = 0;
    for (uint32_t i = 0; i < p->ncalls; i++)
        if (!t || p->calls[i].ts < t) t = p->calls[i].ts;
    return t;
}

int64_t rp_sim_scn_ctplan_last(const struct rp_sim_scn_ctplan *p)
{
    int64_t t = 0;
    for (uint32_t i = 0; i < p->ncalls; i++)
        if (p->calls[i].ts > t) t = p->calls[i].ts;
    return t;
}

/* ---- resources created by scenarios ------------------------------------------------------- */

static void dns_names(const struct rp_sim_world *w, uint32_t region, const char *ip, bool pub,
                      char *out, size_t outsz)
{
    char dashed[RP_SIM_IP_SZ];
    rp_strlcpy(dashed, ip, sizeof(dashed));
    for (char *p = dashed; *p; p++)
        if (*p == '.') *p = '-';
    bool east = strcmp(w->regions[region], "us-east-1") == 0;
    if (pub)
        rp_sim_fmt(out, outsz,
                   east ? "ec2-%s.compute-1.amazonaws.com" : "ec2-%s.%s.compute.amazonaws.com",
                   dashed, w->regions[region]);
    else
        rp_sim_fmt(out, outsz, east ? "ip-%s.ec2.internal" : "ip-%s.%s.compute.internal", dashed,
                   w->regions[region]);
}

uint32_t rp_sim_scn_sg_new(struct rp_sim_run *run, struct rp_sim_rng *r, uint32_t vpc,
                           const char *name, const char *desc)
{
    struct rp_sim_world *w = run->world;
    uint32_t idx = 0;
    struct rp_sim_sg *g = rp_sim_world_add(w, RP_SIM_K_SG, &idx);
    if (!g) return RP_SIM_NONE;
    const struct rp_sim_vpc *v = &w->vpcs[vpc];
    g->res.acct = v->res.acct;
    g->res.region = v->res.region;
    g->res.created_ms = run->end_ms;
    g->res.deleted_ms = RP_SIM_SCN_PENDING;
    g->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_id_ec2(r, "sg", g->res.id, sizeof(g->res.id));
    rp_strlcpy(g->res.name, name, sizeof(g->res.name));
    rp_sim_fmt(g->res.arn, sizeof(g->res.arn), "arn:aws:ec2:%s:%s:security-group/%s",
               w->regions[v->res.region], w->accounts[v->res.acct].res.id, g->res.id);
    g->vpc = vpc;
    rp_strlcpy(g->description, desc, sizeof(g->description));
    g->egress[0].protocol = -1;
    rp_strlcpy(g->egress[0].cidr, "0.0.0.0/0", sizeof(g->egress[0].cidr));
    g->egress[0].src_sg = RP_SIM_NONE;
    g->negress = 1;
    return idx;
}

bool rp_sim_scn_sg_allow(struct rp_sim_run *run, uint32_t sg, int16_t protocol, uint16_t from,
                         uint16_t to, const char *cidr, const char *desc)
{
    struct rp_sim_sg *g = &run->world->sgs[sg];
    if (g->ningress >= RP_SIM_MAX_SG_RULES) return false;
    struct rp_sim_sg_rule *ru = &g->ingress[g->ningress++];
    memset(ru, 0, sizeof(*ru));
    ru->protocol = protocol;
    ru->port_from = from;
    ru->port_to = to;
    rp_strlcpy(ru->cidr, cidr, sizeof(ru->cidr));
    ru->src_sg = RP_SIM_NONE;
    if (desc) rp_strlcpy(ru->description, desc, sizeof(ru->description));
    return true;
}

rp_err rp_sim_scn_instance_new(struct rp_sim_run *run, struct rp_sim_rng *r,
                               const struct rp_sim_scn_instance_spec *spec, uint32_t *out,
                               struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_subnet *sn = &w->subnets[spec->subnet];
    uint32_t acct = sn->res.acct, region = sn->res.region;
    char ip[RP_SIM_IP_SZ];
    if (rp_sim_ip_in_cidr(sn->cidr, sn->next_host++, true, ip, sizeof(ip)) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "simulate: bad subnet cidr '%s'", sn->cidr);
    /* an AMI of the same OS in the region when the estate has one */
    char ami[32] = "";
    for (uint32_t i = 0; i < w->ninstances && !ami[0]; i++)
        if (w->instances[i].os == spec->os && w->instances[i].res.region == region)
            rp_strlcpy(ami, w->instances[i].ami, sizeof(ami));
    if (!ami[0]) rp_sim_id_ec2(r, "ami", ami, sizeof(ami));

    uint32_t ii = 0, ei = 0, vi = 0;
    struct rp_sim_instance *in = rp_sim_world_add(w, RP_SIM_K_INSTANCE, &ii);
    struct rp_sim_eni *e = in ? rp_sim_world_add(w, RP_SIM_K_ENI, &ei) : NULL;
    struct rp_sim_volume *v = e ? rp_sim_world_add(w, RP_SIM_K_VOLUME, &vi) : NULL;
    if (!v) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    in = &w->instances[ii];
    sn = &w->subnets[spec->subnet];
    const char *rn = w->regions[region], *aid = w->accounts[acct].res.id;

    in->res.acct = acct;
    in->res.region = region;
    in->res.created_ms = run->end_ms;
    in->res.deleted_ms = RP_SIM_SCN_PENDING;
    in->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_id_ec2(r, "i", in->res.id, sizeof(in->res.id));
    rp_sim_fmt(in->res.arn, sizeof(in->res.arn), "arn:aws:ec2:%s:%s:instance/%s", rn, aid,
               in->res.id);
    in->vpc = sn->vpc;
    in->subnet = spec->subnet;
    in->eni = ei;
    rp_strlcpy(in->az, sn->az, sizeof(in->az));
    rp_strlcpy(in->private_ip, ip, sizeof(in->private_ip));
    dns_names(w, region, ip, false, in->private_dns, sizeof(in->private_dns));
    if (spec->public_ip) {
        rp_sim_ip_aws_public(r, in->public_ip);
        dns_names(w, region, in->public_ip, true, in->public_dns, sizeof(in->public_dns));
    }
    rp_strlcpy(in->type, spec->type ? spec->type : "t3.medium", sizeof(in->type));
    rp_strlcpy(in->ami, ami, sizeof(in->ami));
    rp_sim_fmt(in->key_name, sizeof(in->key_name), "%s-debug", w->accounts[acct].role_label);
    rp_strlcpy(in->state, "running", sizeof(in->state));
    for (uint32_t i = 0; i < spec->nsgs && i < RP_SIM_MAX_SGS; i++)
        in->sgs[in->nsgs++] = spec->sgs[i];
    in->profile_role = RP_SIM_NONE;
    in->os = spec->os;
    rp_strlcpy(in->os_release, spec->os_release ? spec->os_release : "", sizeof(in->os_release));
    rp_strlcpy(in->os_codename, spec->os_codename ? spec->os_codename : "",
               sizeof(in->os_codename));
    in->workload = spec->workload;
    in->listen_ports[in->nports++] = 22;
    in->asg = RP_SIM_NONE;
    in->eks = RP_SIM_NONE;
    in->volumes[in->nvolumes++] = vi;
    in->imdsv2_required = false;
    in->monitoring = false;
    rp_sim_res_set_tag(&in->res, "Name", spec->name);
    rp_sim_res_set_tag(&in->res, "env", w->accounts[acct].role_label);
    rp_sim_res_set_tag(&in->res, "owner", "adhoc");

    e = &w->enis[ei];
    e->res.acct = acct;
    e->res.region = region;
    e->res.created_ms = run->end_ms;
    e->res.deleted_ms = RP_SIM_SCN_PENDING;
    e->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_id_ec2(r, "eni", e->res.id, sizeof(e->res.id));
    rp_sim_fmt(e->res.arn, sizeof(e->res.arn), "arn:aws:ec2:%s:%s:network-interface/%s", rn, aid,
               e->res.id);
    e->vpc = sn->vpc;
    e->subnet = spec->subnet;
    e->use = RP_SIM_ENI_INSTANCE;
    e->owner = ii;
    rp_strlcpy(e->private_ip, ip, sizeof(e->private_ip));
    rp_strlcpy(e->public_ip, in->public_ip, sizeof(e->public_ip));
    char h[11];
    rp_sim_rng_hex(r, h, 10);
    rp_sim_fmt(e->mac, sizeof(e->mac), "0e:%c%c:%c%c:%c%c:%c%c:%c%c", h[0], h[1], h[2], h[3], h[4],
               h[5], h[6], h[7], h[8], h[9]);
    rp_strlcpy(e->interface_type, "interface", sizeof(e->interface_type));
    for (uint32_t i = 0; i < in->nsgs; i++) e->sgs[e->nsgs++] = in->sgs[i];

    v = &w->volumes[vi];
    v->res.acct = acct;
    v->res.region = region;
    v->res.created_ms = run->end_ms;
    v->res.deleted_ms = RP_SIM_SCN_PENDING;
    v->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_id_ec2(r, "vol", v->res.id, sizeof(v->res.id));
    rp_sim_fmt(v->res.arn, sizeof(v->res.arn), "arn:aws:ec2:%s:%s:volume/%s", rn, aid, v->res.id);
    v->instance = ii;
    rp_strlcpy(v->az, in->az, sizeof(v->az));
    rp_strlcpy(v->device,
               spec->os == RP_SIM_OS_UBUNTU || spec->os == RP_SIM_OS_DEBIAN ? "/dev/sda1"
                                                                            : "/dev/xvda",
               sizeof(v->device));
    v->size_gb = 20;
    rp_strlcpy(v->type, "gp3", sizeof(v->type));
    v->encrypted = false;
    v->kms = RP_SIM_NONE;
    *out = ii;
    return RP_OK;
}

rp_err rp_sim_scn_created(struct rp_sim_run *run, struct rp_sim_ref ref, int64_t ts_ms,
                          const char *event_id, struct rp_errbuf *eb)
{
    struct rp_sim_res *res = rp_sim_world_res(run->world, ref);
    if (!res) return rp_fail(eb, RP_EINVAL, "simulate: creation of an unknown entity");
    if (res->deleted_ms == RP_SIM_SCN_PENDING) res->deleted_ms = 0;
    res->created_ms = ts_ms - ts_ms % 1000;
    return rp_sim_world_changed(run, ref, ts_ms, RP_SIM_CHANGE_CREATE, event_id, eb);
}

rp_err rp_sim_scn_instance_created(struct rp_sim_run *run, uint32_t inst, int64_t ts_ms,
                                   const char *event_id, struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    rp_err e =
        rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_INSTANCE, inst}, ts_ms, event_id, eb);
    if (e == RP_OK)
        e = rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_ENI, w->instances[inst].eni},
                               ts_ms, event_id, eb);
    for (uint32_t k = 0; k < w->instances[inst].nvolumes && e == RP_OK; k++)
        e = rp_sim_scn_created(run,
                               (struct rp_sim_ref){RP_SIM_K_VOLUME, w->instances[inst].volumes[k]},
                               ts_ms, event_id, eb);
    return e;
}

/* ---- crypto-mining pools ------------------------------------------------------------------- */

void rp_sim_scn_pool(const struct rp_sim_world *w, uint32_t i, const char **host, uint16_t *port,
                     char ip[RP_SIM_IP_SZ])
{
    static const struct {
        const char *host;
        uint16_t port;
    } pools[RP_SIM_SCN_NPOOLS] = {
        {"pool.supportxmr.com", 3333},      {"xmr-eu1.nanopool.org", 14444},
        {"gulf.moneroocean.stream", 10128}, {"pool.hashvault.pro", 3333},
        {"xmr.2miners.com", 2222},          {"monerohash.com", 7777}};
    static const uint8_t firsts[] = {51, 95, 141, 148};
    i %= RP_SIM_SCN_NPOOLS;
    uint64_t h = rp_sim_mix(w->seed, rp_sim_hash_str(pools[i].host));
    *host = pools[i].host;
    *port = pools[i].port;
    rp_sim_fmt(ip, RP_SIM_IP_SZ, "%u.%u.%u.%u", firsts[h % RP_ARRAY_LEN(firsts)],
               (unsigned)((h >> 8) % 254 + 1), (unsigned)((h >> 16) % 256),
               (unsigned)((h >> 24) % 253 + 1));
}
