/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim record streams (sim_gen.h): the hour's CloudTrail, VPC flow log, Route 53 Resolver and
 * EKS audit records from every generator and scenario, buffered per delivery stream (account +
 * region, flow log, VPC, cluster), sorted by (time, emission order) at the end of the hour and
 * written as AWS-shaped delivery files, one per stream and 5-minute window, with deterministic
 * delivery stamps and name suffixes. When the buffered bytes pass RP_SIM_MAX_PENDING_BYTES the
 * largest stream is written out early, so memory stays bounded whatever the activity rate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

struct rec {
    int64_t ts;
    uint64_t seq;
    size_t off;
    uint32_t len;
};

struct stream {
    enum rp_sim_src src;
    uint32_t a, b; /* cloudtrail: account, region; others: vpc / eks index */
    struct rec *recs;
    size_t n, cap;
    struct rp_buf data;
    uint32_t flushes;
};

struct rp_sim_streams {
    struct stream *s;
    size_t n, cap;
    uint32_t *map[RP_SIM_SRC__COUNT]; /* key -> stream index + 1 (0 = none) */
    size_t mapcap[RP_SIM_SRC__COUNT];
    size_t pending;
    uint64_t seq;
};

static const char *const src_names[RP_SIM_SRC__COUNT] = {"cloudtrail", "vpcflow", "dns",
                                                         "k8s-audit"};

const char *rp_sim_src_name(enum rp_sim_src s)
{
    return (unsigned)s < RP_SIM_SRC__COUNT ? src_names[s] : "other";
}

struct rp_sim_streams *rp_sim_streams_new(void)
{
    return calloc(1, sizeof(struct rp_sim_streams));
}

void rp_sim_streams_free(struct rp_sim_streams *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->s[i].recs);
        rp_buf_release(&s->s[i].data);
    }
    free(s->s);
    for (int i = 0; i < RP_SIM_SRC__COUNT; i++) free(s->map[i]);
    free(s);
}

static struct stream *stream_get(struct rp_sim_streams *ss, enum rp_sim_src src, uint32_t a,
                                 uint32_t b, size_t key)
{
    if (key >= ss->mapcap[src]) {
        size_t ncap = ss->mapcap[src] ? ss->mapcap[src] : 64;
        while (ncap <= key) ncap *= 2;
        uint32_t *m = realloc(ss->map[src], ncap * sizeof(*m));
        if (!m) return NULL;
        memset(m + ss->mapcap[src], 0, (ncap - ss->mapcap[src]) * sizeof(*m));
        ss->map[src] = m;
        ss->mapcap[src] = ncap;
    }
    uint32_t slot = ss->map[src][key];
    if (slot) return &ss->s[slot - 1];
    if (ss->n == ss->cap) {
        size_t ncap = ss->cap ? ss->cap * 2 : 32;
        struct stream *p = realloc(ss->s, ncap * sizeof(*p));
        if (!p) return NULL;
        ss->s = p;
        ss->cap = ncap;
    }
    struct stream *st = &ss->s[ss->n++];
    memset(st, 0, sizeof(*st));
    st->src = src;
    st->a = a;
    st->b = b;
    rp_buf_init(&st->data, 0);
    ss->map[src][key] = (uint32_t)ss->n;
    return st;
}

static rp_err flush_stream(struct rp_sim_run *run, struct stream *st, struct rp_errbuf *eb);

static rp_err push(struct rp_sim_run *run, enum rp_sim_src src, uint32_t a, uint32_t b, size_t key,
                   int64_t ts, const char *p, size_t len, struct rp_errbuf *eb)
{
    struct rp_sim_streams *ss = run->priv->streams;
    if (len > RP_SIM_MAX_RECORD_BYTES)
        return rp_fail(eb, RP_ELIMIT, "simulate: %s record of %zu bytes is too long",
                       src_names[src], len);
    if (ts < run->hour_ms || ts >= run->hour_ms + RP_TIME_MS_PER_HOUR)
        return rp_fail(eb, RP_EINVAL, "simulate: %s record time outside the current hour",
                       src_names[src]);
    struct stream *st = stream_get(ss, src, a, b, key);
    if (!st) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 256;
        struct rec *r = realloc(st->recs, ncap * sizeof(*r));
        if (!r) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        st->recs = r;
        st->cap = ncap;
    }
    size_t off = st->data.len;
    rp_err e = rp_buf_append(&st->data, p, len);
    if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory buffering records");
    st->recs[st->n++] = (struct rec){ts, ss->seq++, off, (uint32_t)len};
    ss->pending += len + sizeof(struct rec);
    if (ss->pending > RP_SIM_MAX_PENDING_BYTES) {
        struct stream *big = NULL;
        for (size_t i = 0; i < ss->n; i++)
            if (!big || ss->s[i].data.len > big->data.len) big = &ss->s[i];
        if (big) return flush_stream(run, big, eb);
    }
    return RP_OK;
}

rp_err rp_sim_emit_cloudtrail(struct rp_sim_run *run, uint32_t acct, uint32_t region, int64_t ts_ms,
                              const char *json, size_t len, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    if (acct >= w->naccounts || region >= w->nregions)
        return rp_fail(eb, RP_EINVAL, "simulate: bad account or region for a cloudtrail record");
    if (rp_sim_world_trail_for(w, acct, region) == RP_SIM_NONE) return RP_OK;
    return push(run, RP_SIM_SRC_CLOUDTRAIL, acct, region, (size_t)acct * w->nregions + region,
                ts_ms, json, len, eb);
}

rp_err rp_sim_emit_dns(struct rp_sim_run *run, uint32_t vpc, int64_t ts_ms, const char *json,
                       size_t len, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    if (vpc >= w->nvpcs) return rp_fail(eb, RP_EINVAL, "simulate: bad vpc for a dns record");
    if (!w->vpcs[vpc].dns_query_logging || w->vpcs[vpc].res.deleted_ms) return RP_OK;
    return push(run, RP_SIM_SRC_DNS, vpc, 0, vpc, ts_ms, json, len, eb);
}

rp_err rp_sim_emit_k8s(struct rp_sim_run *run, uint32_t eks, int64_t ts_ms, const char *json,
                       size_t len, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    if (eks >= w->neks) return rp_fail(eb, RP_EINVAL, "simulate: bad cluster for an audit event");
    if (!w->eks[eks].audit_logging || w->eks[eks].res.deleted_ms) return RP_OK;
    return push(run, RP_SIM_SRC_K8S_AUDIT, eks, 0, eks, ts_ms, json, len, eb);
}

/* ---- flow records -----------------------------------------------------------------------------
 */

static const char *dash(const char *s)
{
    return s && *s ? s : "-";
}

rp_err rp_sim_flow_format(const struct rp_sim_world *w, enum rp_sim_flow_format fmt,
                          const struct rp_sim_flow *f, struct rp_buf *out)
{
    if (f->eni >= w->nenis) return RP_EINVAL;
    const struct rp_sim_eni *e = &w->enis[f->eni];
    const char *acct = w->accounts[e->res.acct].res.id;
    bool nodata = f->log_status && strcmp(f->log_status, "OK") != 0;
    const char *status = f->log_status ? f->log_status : "OK";
    char ports[2][8], proto[8], packets[24], bytes[24], flags[16];
    snprintf(ports[0], sizeof(ports[0]), "%u", f->srcport);
    snprintf(ports[1], sizeof(ports[1]), "%u", f->dstport);
    snprintf(proto, sizeof(proto), "%u", f->protocol);
    snprintf(packets, sizeof(packets), "%llu", (unsigned long long)f->packets);
    snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)f->bytes);
    if (f->tcp_flags >= 0)
        snprintf(flags, sizeof(flags), "%d", f->tcp_flags);
    else
        flags[0] = '\0';
    const char *src = nodata ? "-" : dash(f->srcaddr), *dst = nodata ? "-" : dash(f->dstaddr);
    const char *sp = nodata ? "-" : ports[0], *dp = nodata ? "-" : ports[1];
    const char *pr = nodata ? "-" : proto, *pk = nodata ? "-" : packets;
    const char *by = nodata ? "-" : bytes;
    const char *action = nodata ? "-" : (f->reject ? "REJECT" : "ACCEPT");
    if (fmt == RP_SIM_FLOW_V2)
        return rp_buf_printf(out, "2 %s %s %s %s %s %s %s %s %s %lld %lld %s %s", acct, e->res.id,
                             src, dst, sp, dp, pr, pk, by, (long long)f->start_s,
                             (long long)f->end_s, action, status);
    const struct rp_sim_subnet *sn = &w->subnets[e->subnet];
    const char *inst = e->use == RP_SIM_ENI_INSTANCE && e->owner < w->ninstances
                           ? w->instances[e->owner].res.id
                           : "-";
    char path[8];
    if (f->traffic_path && f->egress)
        snprintf(path, sizeof(path), "%u", f->traffic_path);
    else
        path[0] = '\0';
    return rp_buf_printf(
        out, "5 %s %s %s %s %s %s %s %s %s %s %s %s %s %s %s %lld %lld %s %s %s %s %s %s %s %s %s",
        w->vpcs[e->vpc].res.id, sn->res.id, inst, e->res.id, acct, nodata ? "-" : "IPv4", src, dst,
        sp, dp, nodata ? "-" : dash(f->pkt_srcaddr ? f->pkt_srcaddr : f->srcaddr),
        nodata ? "-" : dash(f->pkt_dstaddr ? f->pkt_dstaddr : f->dstaddr), pr, by, pk,
        (long long)f->start_s, (long long)f->end_s, action, nodata ? "-" : dash(flags), status,
        w->regions[e->res.region], sn->az_id, nodata ? "-" : (f->egress ? "egress" : "ingress"),
        nodata ? "-" : dash(path), nodata ? "-" : dash(f->pkt_src_service),
        nodata ? "-" : dash(f->pkt_dst_service));
}

rp_err rp_sim_emit_flow(struct rp_sim_run *run, const struct rp_sim_flow *f, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    if (f->eni >= w->nenis) return rp_fail(eb, RP_EINVAL, "simulate: bad eni for a flow record");
    uint32_t vpc = w->enis[f->eni].vpc;
    enum rp_sim_flow_format fmt = w->vpcs[vpc].flow_format;
    if (fmt == RP_SIM_FLOW_NONE || w->vpcs[vpc].res.deleted_ms) return RP_OK;
    char line[1024];
    struct rp_buf b;
    rp_buf_init(&b, sizeof(line));
    rp_err e = rp_sim_flow_format(w, fmt, f, &b);
    if (e != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "simulate: cannot format a flow record");
    }
    e = push(run, RP_SIM_SRC_VPCFLOW, vpc, 0, vpc, f->start_s * 1000, b.data, b.len, eb);
    rp_buf_release(&b);
    return e;
}

/* ---- writing delivery files -------------------------------------------------------------------
 */

static int rec_cmp(const void *pa, const void *pb)
{
    const struct rec *a = pa, *b = pb;
    if (a->ts != b->ts) return a->ts < b->ts ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

/* Delivery delay after the end of a window: CloudTrail about 5 minutes (plus 0-4 jitter), flow
 * logs about 10, DNS about 5, audit 1 (jitter below one window, so stamps never collide). */
static int64_t delivery_delay(const struct rp_sim_run *run, const struct stream *st, int64_t window)
{
    static const int64_t base_min[] = {5, 10, 5, 1};
    uint64_t h = rp_sim_mix(
        rp_sim_mix(run->seed, ((uint64_t)st->src << 40) ^ ((uint64_t)st->a << 20) ^ st->b),
        (uint64_t)window);
    return (base_min[st->src] + (int64_t)(h % 5)) * RP_TIME_MS_PER_MIN +
           (int64_t)((h >> 8) % 60) * 1000;
}

static rp_err write_window(struct rp_sim_run *run, struct stream *st, size_t from, size_t to,
                           int64_t window, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    int64_t deliver = window + RP_SIM_DELIVERY_WINDOW_MS + delivery_delay(run, st, window);
    char date[16], stamp[24], key[RP_SIM_MAX_KEY], basis[RP_SIM_MAX_KEY + 48], sfx[17];
    rp_sim_key_date(deliver, false, date, sizeof(date));
    rp_sim_stamp_min(deliver, stamp, sizeof(stamp));
    int n = 0;
    const char *ext = ".log.gz";
    size_t sfxlen = 8;
    const char *alpha = RP_SIM_ALPHA_HEX;
    switch (st->src) {
    case RP_SIM_SRC_CLOUDTRAIL: {
        const char *acct = w->accounts[st->a].res.id, *region = w->regions[st->b];
        n = snprintf(key, sizeof(key), "AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_", acct,
                     region, date, acct, region, stamp);
        ext = ".json.gz";
        sfxlen = 16;
        alpha = RP_SIM_ALPHA_ALNUM;
        break;
    }
    case RP_SIM_SRC_VPCFLOW: {
        const struct rp_sim_vpc *v = &w->vpcs[st->a];
        const char *acct = w->accounts[v->res.acct].res.id, *region = w->regions[v->res.region];
        n = snprintf(key, sizeof(key), "AWSLogs/%s/vpcflowlogs/%s/%s/%s_vpcflowlogs_%s_%s_%s_",
                     acct, region, date, acct, region, v->flow_log_id, stamp);
        break;
    }
    case RP_SIM_SRC_DNS: {
        const struct rp_sim_vpc *v = &w->vpcs[st->a];
        const char *acct = w->accounts[v->res.acct].res.id;
        n = snprintf(key, sizeof(key), "AWSLogs/%s/vpcdnsquerylogs/%s/%s/%s_vpcdnsquerylogs_%s_%s_",
                     acct, v->res.id, date, v->res.id, acct, stamp);
        break;
    }
    case RP_SIM_SRC_K8S_AUDIT:
    default: {
        const struct rp_sim_eks *k = &w->eks[st->a];
        const char *acct = w->accounts[k->res.acct].res.id, *region = w->regions[k->res.region];
        n = snprintf(key, sizeof(key),
                     "AWSLogs/%s/EKS/%s/%s/%s/%s_EKS_%s_%s_kube-apiserver-audit_%s_", acct, region,
                     k->res.name, date, acct, region, k->res.name, stamp);
        break;
    }
    }
    if (n < 0 || (size_t)n + sfxlen + strlen(ext) >= sizeof(key))
        return rp_fail(eb, RP_ELIMIT, "simulate: output key too long");
    snprintf(basis, sizeof(basis), "%s#%lld#%u", key, (long long)window, st->flushes);
    rp_sim_suffix(run->seed, basis, alpha, sfxlen, sfx);
    snprintf(key + n, sizeof(key) - (size_t)n, "%s%s", sfx, ext);

    struct rp_sim_file *f = NULL;
    rp_err e = rp_sim_out_open(run, src_names[st->src], key, RP_SIM_OUT_GZIP, &f, eb);
    if (e != RP_OK) return e;
    if (st->src == RP_SIM_SRC_CLOUDTRAIL) e = rp_sim_file_write(f, "{\"Records\":[", 12, eb);
    if (st->src == RP_SIM_SRC_VPCFLOW) {
        const char *hdr = w->vpcs[st->a].flow_format == RP_SIM_FLOW_V5_CUSTOM
                              ? RP_SIM_FLOW_V5_FIELDS "\n"
                              : RP_SIM_FLOW_V2_FIELDS "\n";
        e = rp_sim_file_write(f, hdr, strlen(hdr), eb);
    }
    for (size_t i = from; i < to && e == RP_OK; i++) {
        const struct rec *r = &st->recs[i];
        if (st->src == RP_SIM_SRC_CLOUDTRAIL && i > from) e = rp_sim_file_write(f, ",", 1, eb);
        if (e == RP_OK) e = rp_sim_file_write(f, st->data.data + r->off, r->len, eb);
        if (e == RP_OK && st->src != RP_SIM_SRC_CLOUDTRAIL) e = rp_sim_file_write(f, "\n", 1, eb);
    }
    if (e == RP_OK && st->src == RP_SIM_SRC_CLOUDTRAIL) e = rp_sim_file_write(f, "]}", 2, eb);
    rp_sim_file_add_records(f, to - from);
    rp_err e2 = rp_sim_file_close(f, eb);
    return e != RP_OK ? e : e2;
}

static rp_err flush_stream(struct rp_sim_run *run, struct stream *st, struct rp_errbuf *eb)
{
    struct rp_sim_streams *ss = run->priv->streams;
    rp_err e = RP_OK;
    if (st->n) {
        qsort(st->recs, st->n, sizeof(*st->recs), rec_cmp);
        size_t from = 0;
        while (from < st->n && e == RP_OK) {
            int64_t window = st->recs[from].ts - st->recs[from].ts % RP_SIM_DELIVERY_WINDOW_MS;
            size_t to = from;
            while (to < st->n && st->recs[to].ts < window + RP_SIM_DELIVERY_WINDOW_MS) to++;
            e = write_window(run, st, from, to, window, eb);
            from = to;
        }
        st->flushes++;
    }
    size_t freed = st->data.len + st->n * sizeof(struct rec);
    ss->pending = ss->pending > freed ? ss->pending - freed : 0;
    st->n = 0;
    rp_buf_reset(&st->data);
    /* Give back memory after a burst: many streams (one per account, region, VPC, cluster)
     * each keeping its largest hour's buffer would make memory grow with the scale. */
    if (st->cap > 65536 || st->data.cap > (1u << 20)) {
        free(st->recs);
        st->recs = NULL;
        st->cap = 0;
        rp_buf_release(&st->data);
    }
    return e;
}

rp_err rp_sim_stream_flush_hour(struct rp_sim_run *run, struct rp_errbuf *eb)
{
    struct rp_sim_streams *ss = run->priv->streams;
    for (size_t i = 0; i < ss->n; i++) {
        rp_err e = flush_stream(run, &ss->s[i], eb);
        if (e != RP_OK) return e;
    }
    ss->pending = 0;
    return RP_OK;
}
