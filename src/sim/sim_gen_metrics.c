/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim side generator "side-metrics": CloudWatch utilization datapoints of instances, load
 * balancers, EBS volumes and RDS DB instances, one CSV per resource and UTC day:
 *
 *   metrics/<acct>/<region>/<EC2|ApplicationELB|NetworkELB|EBS|RDS>/YYYY/MM/DD/<resource>.csv
 *   Timestamp,Namespace,MetricName,Dimensions,Statistic,Unit,Value
 *   2026-01-05T00:00:00Z,AWS/EC2,CPUUtilization,InstanceId=i-0abc...,Average,Percent,23.41
 *
 * one row per metric, statistic and hour (period 3600 s), the flat form of
 * `aws cloudwatch get-metric-data` results most users keep. Values follow a diurnal curve in the
 * region's local time with a weekend dip and per-hour noise, all integer arithmetic on hashes of
 * (seed, resource, hour), so nothing is kept between days: a day is written at its last hour and
 * memory does not grow with --days. Each resource has a utilization profile (idle, near miss,
 * hot, ...; rp_sim_side_util_profile) so that some qualify for the Trusted Advisor
 * low-utilization checks and some just miss; per resource the generator keeps one bit per day
 * and check (32 days) and writes side-truth/utilization.jsonl at the end, with what the values it
 * wrote imply for each check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_side.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define SRC_LABEL "side-metrics"
#define HOUR_MS   3600000LL
#define DAY_MS    86400000LL

#define EC2_LOW_CPU_CENTI  1000      /* daily average CPU <= 10.00% */
#define EC2_LOW_NET_BYTES  5000000ll /* and NetworkIn + NetworkOut <= 5 MB (decimal) */
#define EC2_HIGH_CPU_CENTI 9000      /* daily average CPU > 90% */
#define LB_IDLE_REQUESTS   100       /* fewer requests a day */

enum mkind { MK_INST = 0, MK_LB, MK_VOL, MK_DB, MK__COUNT };

struct track {
    uint32_t days;   /* days with datapoints */
    uint32_t q_low;  /* bit 0 = latest day: the day met the idle/low criterion */
    uint32_t q_high; /* instances: daily average CPU above 90% */
};

struct met_state {
    struct track *t[MK__COUNT];
    uint32_t cap[MK__COUNT];
};

/* ---- profiles ------------------------------------------------------------------------------ */

static uint32_t slot(const struct rp_sim_run *run, const char *what, uint32_t idx, uint32_t n)
{
    uint64_t off = rp_sim_mix(run->seed, rp_sim_hash_str(what)) % n;
    return (uint32_t)((idx + off) % n);
}

enum rp_sim_util rp_sim_side_util_profile(const struct rp_sim_run *run, struct rp_sim_ref ref)
{
    const struct rp_sim_world *w = run->world;
    switch (ref.kind) {
    case RP_SIM_K_INSTANCE: {
        if (ref.idx >= w->ninstances) return RP_SIM_UTIL_NORMAL;
        static const enum rp_sim_util p[10] = {RP_SIM_UTIL_IDLE, RP_SIM_UTIL_LOWCPU_BUSYNET,
                                               RP_SIM_UTIL_IDLE_FEW, RP_SIM_UTIL_HOT,
                                               RP_SIM_UTIL_BOUNDARY};
        return p[slot(run, "util/instance", ref.idx, 10)];
    }
    case RP_SIM_K_LB: {
        if (ref.idx >= w->nlbs) return RP_SIM_UTIL_NORMAL;
        static const enum rp_sim_util p[3] = {RP_SIM_UTIL_IDLE, RP_SIM_UTIL_NORMAL,
                                              RP_SIM_UTIL_NEAR};
        return p[slot(run, "util/lb", ref.idx, 3)];
    }
    case RP_SIM_K_VOLUME: {
        if (ref.idx >= w->nvolumes) return RP_SIM_UTIL_NORMAL;
        if (w->volumes[ref.idx].instance == RP_SIM_NONE) return RP_SIM_UTIL_IDLE;
        static const enum rp_sim_util p[6] = {RP_SIM_UTIL_IDLE, RP_SIM_UTIL_NEAR};
        return p[slot(run, "util/volume", ref.idx, 6)];
    }
    case RP_SIM_K_DB_INSTANCE: {
        if (ref.idx >= w->ndb_instances) return RP_SIM_UTIL_NORMAL;
        static const enum rp_sim_util p[4] = {RP_SIM_UTIL_IDLE, RP_SIM_UTIL_NEAR};
        return p[slot(run, "util/db", ref.idx, 4)];
    }
    default:
        return RP_SIM_UTIL_NORMAL;
    }
}

/* ---- value shapes -------------------------------------------------------------------------- */

/* Per-mille activity by local hour (a working-day curve, mean about 950). */
static const uint16_t diurnal[24] = {550,  500,  480,  470,  480,  550,  700,  900,
                                     1150, 1300, 1380, 1400, 1380, 1350, 1380, 1400,
                                     1350, 1250, 1100, 950,  850,  750,  650,  600};

static int region_tz(const char *region)
{
    static const struct {
        const char *prefix;
        int tz;
    } tzs[] = {{"us-east-", -5},
               {"us-west-", -8},
               {"ca-", -5},
               {"sa-", -3},
               {"eu-west-", 0},
               {"eu-", 1},
               {"me-", 3},
               {"af-", 2},
               {"ap-south-", 5},
               {"ap-northeast-", 9},
               {"ap-southeast-2", 10},
               {"ap-", 8}};
    for (size_t i = 0; i < RP_ARRAY_LEN(tzs); i++)
        if (strncmp(region, tzs[i].prefix, strlen(tzs[i].prefix)) == 0) return tzs[i].tz;
    return 0;
}

struct shape {
    uint64_t rh;      /* hash of (seed, resource) */
    int tz;           /* hours */
    int64_t last_day; /* index of the last simulated day */
};

static uint64_t noise(const struct shape *s, int64_t hour_ms, uint64_t salt)
{
    return rp_sim_mix(rp_sim_mix(s->rh, (uint64_t)(hour_ms / HOUR_MS)), salt);
}

/* Activity factor in per-mille-squared units: diurnal * weekday / 1000. */
static uint64_t activity(const struct shape *s, int64_t hour_ms)
{
    int64_t local = hour_ms / HOUR_MS + s->tz;
    int64_t lh = ((local % 24) + 24) % 24;
    int64_t day = local >= 0 ? local / 24 : (local - 23) / 24;
    int64_t dow = ((day + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
    uint64_t wk = dow >= 5 ? 650 : 1000;
    return (uint64_t)diurnal[lh] * wk / 1000;
}

/* Days before the last simulated day (0 on the last day). */
static int64_t days_from_end(const struct shape *s, int64_t hour_ms)
{
    return s->last_day - hour_ms / DAY_MS;
}

/* ---- rows ---------------------------------------------------------------------------------- */

static rp_err row(struct rp_buf *b, const char *ts, const char *ns, const char *metric,
                  const char *dims, const char *stat, const char *unit, uint64_t v, bool centi)
{
    if (centi)
        return rp_buf_printf(b, "%s,%s,%s,%s,%s,%s,%llu.%02llu\n", ts, ns, metric, dims, stat, unit,
                             (unsigned long long)(v / 100), (unsigned long long)(v % 100));
    return rp_buf_printf(b, "%s,%s,%s,%s,%s,%s,%llu\n", ts, ns, metric, dims, stat, unit,
                         (unsigned long long)v);
}

struct dayagg {
    uint32_t hours;
    uint64_t cpu_sum; /* centi-percent */
    uint64_t net;     /* bytes */
    uint64_t count;   /* requests / ops */
    uint64_t max;     /* connections */
};

static rp_err inst_hour(const struct shape *s, enum rp_sim_util prof, int64_t h, const char *ts,
                        const char *dims, struct rp_buf *b, struct dayagg *g)
{
    uint64_t n1 = noise(s, h, 1), n2 = noise(s, h, 2), n3 = noise(s, h, 3);
    uint64_t act = activity(s, h);
    bool idle =
        prof == RP_SIM_UTIL_IDLE || (prof == RP_SIM_UTIL_IDLE_FEW && days_from_end(s, h) % 5 == 0);
    uint64_t cpu, in, out;
    uint64_t base_cpu = 1500 + s->rh % 4000;
    uint64_t base_net = 8000000 + (s->rh >> 20) % 200000000;
    if (idle) {
        cpu = 40 + n1 % 200;
        in = 20000 + n2 % 60000;
        out = 10000 + n3 % 30000;
    } else if (prof == RP_SIM_UTIL_LOWCPU_BUSYNET) {
        cpu = 200 + n1 % 400;
        in = 2500000 + n2 % 5000000;
        out = 1000000 + n3 % 2000000;
    } else if (prof == RP_SIM_UTIL_HOT) {
        cpu = 9300 + n1 % 600;
        in = base_net * act / 1000 * (900 + n2 % 201) / 1000;
        out = in * 6 / 10;
    } else if (prof == RP_SIM_UTIL_BOUNDARY) {
        cpu = 1000;
        in = 100000;
        out = 66666;
    } else {
        cpu = base_cpu * act / 1000 * (900 + n1 % 201) / 1000;
        in = base_net * act / 1000 * (900 + n2 % 201) / 1000;
        out = in * (500 + n3 % 300) / 1000;
    }
    if (cpu < 10) cpu = 10;
    if (cpu > 10000) cpu = 10000;
    uint64_t mx = cpu + cpu * ((n1 >> 32) % 600) / 1000;
    if (prof == RP_SIM_UTIL_BOUNDARY) mx = 1000 + (n1 >> 32) % 800;
    if (mx > 10000) mx = 10000;
    g->cpu_sum += cpu;
    g->net += in + out;
    rp_err e = row(b, ts, "AWS/EC2", "CPUUtilization", dims, "Average", "Percent", cpu, true);
    if (e == RP_OK)
        e = row(b, ts, "AWS/EC2", "CPUUtilization", dims, "Maximum", "Percent", mx, true);
    if (e == RP_OK) e = row(b, ts, "AWS/EC2", "NetworkIn", dims, "Sum", "Bytes", in, false);
    if (e == RP_OK) e = row(b, ts, "AWS/EC2", "NetworkOut", dims, "Sum", "Bytes", out, false);
    return e;
}

static uint64_t idle_requests(uint64_t n)
{
    return (n % 10 < 2) ? (n >> 8) % 4 : 0; /* at most 3 an hour: under 100 a day */
}

static rp_err lb_hour(const struct shape *s, enum rp_sim_util prof, bool alb, int64_t h,
                      const char *ts, const char *dims, struct rp_buf *b, struct dayagg *g)
{
    uint64_t n1 = noise(s, h, 11), n2 = noise(s, h, 12);
    uint64_t req, conn;
    if (prof == RP_SIM_UTIL_IDLE || (prof == RP_SIM_UTIL_NEAR && days_from_end(s, h) % 3 != 0)) {
        req = idle_requests(n1);
        conn = req;
    } else if (prof == RP_SIM_UTIL_NEAR) {
        req = 5 + n1 % 4; /* 120 or more a day: this day is not idle */
        conn = req;
    } else {
        req = (2000 + s->rh % 30000) * activity(s, h) / 1000 * (900 + n1 % 201) / 1000;
        conn = req / 3 + n2 % 50;
    }
    g->count += req;
    if (alb) {
        rp_err e =
            row(b, ts, "AWS/ApplicationELB", "RequestCount", dims, "Sum", "Count", req, false);
        if (e == RP_OK)
            e = row(b, ts, "AWS/ApplicationELB", "ActiveConnectionCount", dims, "Sum", "Count",
                    conn, false);
        return e;
    }
    rp_err e = row(b, ts, "AWS/NetworkELB", "NewFlowCount", dims, "Sum", "Count", req, false);
    if (e == RP_OK)
        e = row(b, ts, "AWS/NetworkELB", "ActiveFlowCount", dims, "Average", "Count", conn, false);
    return e;
}

static rp_err vol_hour(const struct shape *s, enum rp_sim_util prof, int64_t h, const char *ts,
                       const char *dims, struct rp_buf *b, struct dayagg *g)
{
    uint64_t n1 = noise(s, h, 21), n2 = noise(s, h, 22);
    uint64_t rd = 0, wr = 0;
    if (prof == RP_SIM_UTIL_NEAR) {
        /* one burst on every third day, at 03:00 UTC: a few operations, not idle that day */
        if (days_from_end(s, h) % 3 == 0 && (h / HOUR_MS) % 24 == 3) {
            rd = 1 + n1 % 3;
            wr = 1 + n2 % 2;
        }
    } else if (prof != RP_SIM_UTIL_IDLE) {
        uint64_t act = activity(s, h);
        rd = (200 + s->rh % 20000) * act / 1000 * (900 + n1 % 201) / 1000;
        wr = (100 + (s->rh >> 16) % 15000) * act / 1000 * (900 + n2 % 201) / 1000;
    }
    uint64_t busy = (rd + wr) / 20;
    uint64_t idle_s = busy >= 3600 ? 0 : 3600 - busy;
    g->count += rd + wr;
    rp_err e = row(b, ts, "AWS/EBS", "VolumeReadOps", dims, "Sum", "Count", rd, false);
    if (e == RP_OK) e = row(b, ts, "AWS/EBS", "VolumeWriteOps", dims, "Sum", "Count", wr, false);
    if (e == RP_OK)
        e = row(b, ts, "AWS/EBS", "VolumeIdleTime", dims, "Sum", "Seconds", idle_s, false);
    return e;
}

static rp_err db_hour(const struct shape *s, enum rp_sim_util prof, int64_t h, const char *ts,
                      const char *dims, struct rp_buf *b, struct dayagg *g)
{
    uint64_t n1 = noise(s, h, 31), n2 = noise(s, h, 32);
    uint64_t conns = 0, cpu;
    if (prof == RP_SIM_UTIL_IDLE || prof == RP_SIM_UTIL_NEAR) {
        cpu = 100 + n1 % 150;
        if (prof == RP_SIM_UTIL_NEAR && days_from_end(s, h) % 4 == 0 && (h / HOUR_MS) % 24 == 3)
            conns = 1; /* a nightly job connects once every fourth day */
    } else {
        uint64_t act = activity(s, h);
        conns = 2 + (5 + s->rh % 60) * act / 1000 * (900 + n2 % 201) / 1000;
        cpu = (800 + (s->rh >> 24) % 3000) * act / 1000 * (900 + n1 % 201) / 1000;
    }
    if (cpu > 10000) cpu = 10000;
    if (conns > g->max) g->max = conns;
    rp_err e = row(b, ts, "AWS/RDS", "CPUUtilization", dims, "Average", "Percent", cpu, true);
    if (e == RP_OK)
        e = row(b, ts, "AWS/RDS", "DatabaseConnections", dims, "Maximum", "Count", conns, false);
    return e;
}

/* ---- resources ----------------------------------------------------------------------------- */

struct res_view {
    enum mkind mk;
    uint32_t idx;
    const struct rp_sim_res *res;
    const char *ns_dir; /* EC2, ApplicationELB, ... */
    char file[RP_SIM_NAME_SZ + RP_SIM_ID_SZ];
    char dims[RP_SIM_ARN_SZ + 32];
    bool active; /* produces datapoints */
    enum rp_sim_util prof;
    bool alb;
};

/* The LoadBalancer dimension value: the ARN part after "loadbalancer/" ("app/name/hash"). */
static const char *lb_dim(const struct rp_sim_lb *lb)
{
    const char *p = strstr(lb->res.arn, ":loadbalancer/");
    return p ? p + strlen(":loadbalancer/") : lb->res.name;
}

static bool view_of(const struct rp_sim_run *run, enum mkind mk, uint32_t idx, struct res_view *v)
{
    const struct rp_sim_world *w = run->world;
    memset(v, 0, sizeof(*v));
    v->mk = mk;
    v->idx = idx;
    switch (mk) {
    case MK_INST: {
        const struct rp_sim_instance *in = &w->instances[idx];
        v->res = &in->res;
        v->ns_dir = "EC2";
        rp_strlcpy(v->file, in->res.id, sizeof(v->file));
        snprintf(v->dims, sizeof(v->dims), "InstanceId=%s", in->res.id);
        v->active = strcmp(in->state, "running") == 0;
        v->prof = rp_sim_side_util_profile(run, (struct rp_sim_ref){RP_SIM_K_INSTANCE, idx});
        return true;
    }
    case MK_LB: {
        const struct rp_sim_lb *lb = &w->lbs[idx];
        v->res = &lb->res;
        v->alb = lb->application;
        v->ns_dir = lb->application ? "ApplicationELB" : "NetworkELB";
        rp_strlcpy(v->file, lb->res.name, sizeof(v->file));
        snprintf(v->dims, sizeof(v->dims), "LoadBalancer=%s", lb_dim(lb));
        v->active = true;
        v->prof = rp_sim_side_util_profile(run, (struct rp_sim_ref){RP_SIM_K_LB, idx});
        return true;
    }
    case MK_VOL: {
        const struct rp_sim_volume *vo = &w->volumes[idx];
        v->res = &vo->res;
        v->ns_dir = "EBS";
        rp_strlcpy(v->file, vo->res.id, sizeof(v->file));
        snprintf(v->dims, sizeof(v->dims), "VolumeId=%s", vo->res.id);
        /* CloudWatch has EBS datapoints only while the volume is attached to a running instance */
        v->active = vo->instance != RP_SIM_NONE && vo->instance < w->ninstances &&
                    strcmp(w->instances[vo->instance].state, "running") == 0;
        v->prof = rp_sim_side_util_profile(run, (struct rp_sim_ref){RP_SIM_K_VOLUME, idx});
        return true;
    }
    case MK_DB: {
        const struct rp_sim_db_instance *d = &w->db_instances[idx];
        v->res = &d->res;
        v->ns_dir = "RDS";
        rp_strlcpy(v->file, d->res.name, sizeof(v->file));
        snprintf(v->dims, sizeof(v->dims), "DBInstanceIdentifier=%s", d->res.name);
        v->active = true;
        v->prof = rp_sim_side_util_profile(run, (struct rp_sim_ref){RP_SIM_K_DB_INSTANCE, idx});
        return true;
    }
    default:
        return false;
    }
}

static uint32_t kind_count(const struct rp_sim_world *w, enum mkind mk)
{
    switch (mk) {
    case MK_INST:
        return w->ninstances;
    case MK_LB:
        return w->nlbs;
    case MK_VOL:
        return w->nvolumes;
    case MK_DB:
        return w->ndb_instances;
    default:
        return 0;
    }
}

static struct track *track_of(struct met_state *st, enum mkind mk, uint32_t idx)
{
    if (idx >= st->cap[mk]) {
        uint32_t ncap = st->cap[mk] ? st->cap[mk] : 64;
        while (ncap <= idx) ncap *= 2;
        struct track *nt = realloc(st->t[mk], (size_t)ncap * sizeof(*nt));
        if (!nt) return NULL;
        memset(nt + st->cap[mk], 0, (size_t)(ncap - st->cap[mk]) * sizeof(*nt));
        st->t[mk] = nt;
        st->cap[mk] = ncap;
    }
    return &st->t[mk][idx];
}

/* Render the rows of resource v for the hours [from, to) into b (header included when any
 * hour qualifies); *g gets the day's aggregates. */
static rp_err render_day(const struct rp_sim_run *run, const struct res_view *v, int64_t from,
                         int64_t to, struct rp_buf *b, struct dayagg *g)
{
    const struct rp_sim_world *w = run->world;
    struct shape s;
    s.rh = rp_sim_mix(run->seed, rp_sim_hash_str(v->res->id));
    s.tz = region_tz(w->regions[v->res->region]);
    s.last_day = (run->end_ms - 1) / DAY_MS;
    memset(g, 0, sizeof(*g));
    char ts[40];
    rp_err e = RP_OK;
    for (int64_t h = from; h < to && e == RP_OK; h += HOUR_MS) {
        if (v->res->created_ms >= h + HOUR_MS) continue;
        if (v->res->deleted_ms != 0 && v->res->deleted_ms <= h) continue;
        if (g->hours == 0)
            e = rp_buf_append_str(b, "Timestamp,Namespace,MetricName,Dimensions,Statistic,Unit,"
                                     "Value\n");
        if (e != RP_OK) break;
        g->hours++;
        rp_sim_iso_s(h, ts, sizeof(ts));
        switch (v->mk) {
        case MK_INST:
            e = inst_hour(&s, v->prof, h, ts, v->dims, b, g);
            break;
        case MK_LB:
            e = lb_hour(&s, v->prof, v->alb, h, ts, v->dims, b, g);
            break;
        case MK_VOL:
            e = vol_hour(&s, v->prof, h, ts, v->dims, b, g);
            break;
        case MK_DB:
            e = db_hour(&s, v->prof, h, ts, v->dims, b, g);
            break;
        default:
            break;
        }
    }
    return e;
}

rp_err rp_sim_side_metrics_day(const struct rp_sim_run *run, struct rp_sim_ref ref, int64_t day_ms,
                               struct rp_buf *out)
{
    enum mkind mk = ref.kind == RP_SIM_K_INSTANCE      ? MK_INST
                    : ref.kind == RP_SIM_K_LB          ? MK_LB
                    : ref.kind == RP_SIM_K_VOLUME      ? MK_VOL
                    : ref.kind == RP_SIM_K_DB_INSTANCE ? MK_DB
                                                       : MK__COUNT;
    if (mk == MK__COUNT || ref.idx >= kind_count(run->world, mk)) return RP_ENOENT;
    struct res_view v;
    view_of(run, mk, ref.idx, &v);
    if (!v.active) return RP_ENOENT;
    int64_t d0 = day_ms - (day_ms % DAY_MS);
    int64_t from = d0 < run->start_ms ? run->start_ms : d0;
    int64_t to = d0 + DAY_MS > run->end_ms ? run->end_ms : d0 + DAY_MS;
    struct dayagg g;
    rp_err e = render_day(run, &v, from, to, out, &g);
    if (e == RP_OK && g.hours == 0) return RP_ENOENT;
    return e;
}

static void record_day(enum mkind mk, const struct dayagg *g, struct track *t)
{
    bool low = false, high = false;
    switch (mk) {
    case MK_INST:
        low = g->cpu_sum <= (uint64_t)EC2_LOW_CPU_CENTI * g->hours &&
              g->net <= (uint64_t)EC2_LOW_NET_BYTES;
        high = g->cpu_sum > (uint64_t)EC2_HIGH_CPU_CENTI * g->hours;
        break;
    case MK_LB:
        low = g->count < LB_IDLE_REQUESTS;
        break;
    case MK_VOL:
        low = g->count < 1;
        break;
    case MK_DB:
        low = g->max == 0;
        break;
    default:
        break;
    }
    t->days++;
    t->q_low = (t->q_low << 1) | (low ? 1u : 0u);
    t->q_high = (t->q_high << 1) | (high ? 1u : 0u);
}

static rp_err write_day(struct rp_sim_run *run, struct met_state *st, int64_t day, struct rp_buf *b,
                        struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    int64_t d0 = day * DAY_MS;
    int64_t from = d0 < run->start_ms ? run->start_ms : d0;
    int64_t to = d0 + DAY_MS > run->end_ms ? run->end_ms : d0 + DAY_MS;
    char date[16], key[RP_SIM_MAX_KEY];
    rp_sim_key_date(d0, false, date, sizeof(date));
    for (enum mkind mk = MK_INST; mk < MK__COUNT; mk++) {
        uint32_t n = kind_count(w, mk);
        for (uint32_t i = 0; i < n; i++) {
            struct res_view v;
            view_of(run, mk, i, &v);
            if (!v.active) continue;
            rp_buf_reset(b);
            struct dayagg g;
            rp_err e = render_day(run, &v, from, to, b, &g);
            if (e != RP_OK)
                return rp_fail(eb, e, "side-metrics: cannot render the metrics of '%s'", v.file);
            if (g.hours == 0) continue;
            struct track *t = track_of(st, mk, i);
            if (!t) return rp_fail(eb, RP_ENOMEM, "side-metrics: out of memory");
            record_day(mk, &g, t);
            snprintf(key, sizeof(key), "metrics/%s/%s/%s/%s/%s.csv",
                     w->accounts[v.res->acct].res.id, w->regions[v.res->region], v.ns_dir, date,
                     v.file);
            uint64_t rows = 0;
            for (size_t k = 0; k < b->len; k++) rows += b->data[k] == '\n';
            e = rp_sim_out_put(run, SRC_LABEL, key, RP_SIM_OUT_PLAIN, b->data, b->len, rows - 1,
                               eb);
            if (e != RP_OK) return e;
        }
    }
    return RP_OK;
}

static rp_err mt_hour(struct rp_sim_run *run, void *state, int64_t hour_start_ms,
                      struct rp_errbuf *eb)
{
    /* a day is written at its last hour (or the last hour of the run), when the estate of the
     * whole day is known */
    int64_t next = hour_start_ms + HOUR_MS;
    if (next % DAY_MS != 0 && next < run->end_ms) return RP_OK;
    struct rp_buf b;
    rp_buf_init(&b, 4 << 20);
    rp_err e = write_day(run, state, hour_start_ms / DAY_MS, &b, eb);
    rp_buf_release(&b);
    return e;
}

/* ---- truth --------------------------------------------------------------------------------- */

static uint32_t popcount_window(uint32_t bits, uint32_t days, uint32_t window)
{
    uint32_t n = days < window ? days : window;
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++) c += (bits >> i) & 1u;
    return c;
}

static rp_err truth_line(struct rp_buf *b, const struct rp_sim_world *w, const struct res_view *v,
                         const char *check, const char *check_name, const char *type,
                         uint32_t considered, uint32_t qualifying, bool flagged, const char *reason)
{
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, b);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "check_id", check);
    rp_json_write_kv_cstr(&jw, "check", check_name);
    rp_json_write_kv_cstr(&jw, "resource_type", type);
    rp_json_write_kv_cstr(&jw, "resource", v->file);
    rp_json_write_kv_cstr(&jw, "arn", v->res->arn);
    rp_json_write_kv_cstr(&jw, "account", w->accounts[v->res->acct].res.id);
    rp_json_write_kv_cstr(&jw, "region", w->regions[v->res->region]);
    rp_json_write_kv_cstr(&jw, "profile", rp_sim_util_name(v->prof));
    rp_json_write_kv_uint(&jw, "days_considered", considered);
    rp_json_write_kv_uint(&jw, "days_qualifying", qualifying);
    rp_json_write_kv_cstr(&jw, "expect", flagged ? "flagged" : "ok");
    if (reason) rp_json_write_kv_cstr(&jw, "reason", reason);
    rp_json_write_obj_end(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e == RP_OK) e = rp_buf_putc(b, '\n');
    return e;
}

static rp_err mt_end(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    struct met_state *st = state;
    const struct rp_sim_world *w = run->world;
    struct rp_buf b;
    rp_buf_init(&b, 64 << 20);
    rp_err e = RP_OK;
    uint64_t lines = 0;
    for (enum mkind mk = MK_INST; mk < MK__COUNT && e == RP_OK; mk++) {
        uint32_t n = kind_count(w, mk);
        for (uint32_t i = 0; i < n && e == RP_OK; i++) {
            struct res_view v;
            view_of(run, mk, i, &v);
            if (v.res->deleted_ms != 0) continue;
            struct track zero = {0, 0, 0};
            const struct track *t = i < st->cap[mk] ? &st->t[mk][i] : &zero;
            if (mk == MK_VOL && w->volumes[i].instance == RP_SIM_NONE) {
                e = truth_line(&b, w, &v, RP_SIM_TA_EBS_LOW, "Underutilized Amazon EBS Volumes",
                               "AWS::EC2::Volume", 0, 0, true, "unattached");
                lines++;
                continue;
            }
            if (t->days == 0) continue;
            uint32_t w7 = t->days < 7 ? t->days : 7, w14 = t->days < 14 ? t->days : 14;
            uint32_t q7 = popcount_window(t->q_low, t->days, 7);
            switch (mk) {
            case MK_INST: {
                uint32_t ql = popcount_window(t->q_low, t->days, 14);
                uint32_t qh = popcount_window(t->q_high, t->days, 14);
                e = truth_line(&b, w, &v, RP_SIM_TA_EC2_LOW, "Low Utilization Amazon EC2 Instances",
                               "AWS::EC2::Instance", w14, ql, ql >= 4, NULL);
                if (e == RP_OK)
                    e = truth_line(&b, w, &v, RP_SIM_TA_EC2_HIGH,
                                   "High Utilization Amazon EC2 Instances", "AWS::EC2::Instance",
                                   w14, qh, qh >= 4, NULL);
                lines += 2;
                break;
            }
            case MK_LB:
                e = truth_line(&b, w, &v, RP_SIM_TA_LB_IDLE, "Idle Load Balancers",
                               "AWS::ElasticLoadBalancingV2::LoadBalancer", w7, q7, q7 == w7, NULL);
                lines++;
                break;
            case MK_VOL:
                e = truth_line(&b, w, &v, RP_SIM_TA_EBS_LOW, "Underutilized Amazon EBS Volumes",
                               "AWS::EC2::Volume", w7, q7, q7 == w7, NULL);
                lines++;
                break;
            case MK_DB:
                e = truth_line(&b, w, &v, RP_SIM_TA_RDS_IDLE, "Amazon RDS Idle DB Instances",
                               "AWS::RDS::DBInstance", w7, q7, q7 == w7, NULL);
                lines++;
                break;
            default:
                break;
            }
        }
    }
    if (e != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "side-metrics: cannot render side-truth/utilization.jsonl");
    }
    e = rp_sim_out_put(run, SRC_LABEL, "side-truth/utilization.jsonl", RP_SIM_OUT_PLAIN, b.data,
                       b.len, lines, eb);
    rp_buf_release(&b);
    return e;
}

static void mt_release(struct rp_sim_run *run, void *state)
{
    (void)run;
    struct met_state *st = state;
    for (int k = 0; k < MK__COUNT; k++) {
        free(st->t[k]);
        st->t[k] = NULL;
        st->cap[k] = 0;
    }
}

const struct rp_sim_gen rp_sim_gen_side_metrics = {
    .name = "side-metrics",
    .summary = "hourly CloudWatch utilization of instances, load balancers, EBS volumes and RDS, "
               "one CSV per resource and day, with idle and near-miss resources for Trusted "
               "Advisor",
    .state_size = sizeof(struct met_state),
    .hour = mt_hour,
    .end = mt_end,
    .release = mt_release,
};
