/* SPDX-License-Identifier: Apache-2.0 */
/* One detection run (`rampart detect`): for each source in turn, read its events in time
 * order — from the store (only rows not analysed yet, or a --since/--until window) or from
 * files (--stream, through rp_ingest_reader, nothing stored) — and hand each one to every
 * detector of that source; then fold what they raised into findings, add what earlier runs
 * counted (detect_findings), write each as GuardDuty JSON (detect_gd.c), archive what a
 * suppression rule matches, and import them into the findings hub through its GuardDuty
 * converter. Progress and counts are saved in the same transaction as the findings. */
#define RP_LOG_MODULE "detect"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "detect/detect_ctx.h"
#include "detect/detect_gd.h"
#include "detect/detect_sigma.h"
#include "detect/detect_suppress.h"
#include "hub/hub.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "core/rp_banned.h"

/* Per source: table, ingest format, and how many of its text fields are store columns (the
 * others are derived by the run or come from the file's key). */
struct src_info {
    const char *table, *format;
    unsigned nstr, ncol_str, nint;
};

static const struct src_info srcs[RP_DET_SRC__COUNT] = {
    [RP_DET_SRC_CLOUDTRAIL] = {"cloudtrail_logs", "cloudtrail", RP_CT__COUNT, RP_CT_UID_TYPE,
                               RP_CTI__COUNT},
    [RP_DET_SRC_FLOW] = {"vpc_flow_logs", "vpcflow", RP_FL__COUNT, RP_FL__COUNT, RP_FLI__COUNT},
    [RP_DET_SRC_DNS] = {"r53_resolver_query_logs", "r53dns", RP_DNS__COUNT, RP_DNS__COUNT,
                        RP_DNSI__COUNT},
    [RP_DET_SRC_K8S] = {"k8s_audit_logs", "k8saudit", RP_K8S__COUNT, RP_K8S_ACCOUNT,
                        RP_K8SI__COUNT},
};

struct run {
    struct rp_det_ctx *dc;
    struct rp_detect_summary *sum;
    const struct rp_detector *det[64];
    void *state[64];
    size_t ndet;
    struct rp_det_sigma_set *sigma;
    bool sigma_on; /* rules loaded and selected by --only */
    /* k8s: cluster name -> account, region from Config (store mode) */
    struct {
        const char *name, *account, *region;
    } clusters[64];
    size_t nclusters;
};

static void warnf(const struct rp_detect_opts *o, const char *fmt, ...) RP_PRINTF(2, 3);
static void warnf(const struct rp_detect_opts *o, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (o->warn)
        o->warn(o->warn_ctx, msg);
    else
        RP_LOG_WARN("%s", msg);
}

static bool selected(const struct rp_detect_opts *o, const struct rp_detector *d)
{
    if (!o->nonly) return true;
    for (size_t i = 0; i < o->nonly; i++) {
        if (!strcmp(o->only[i], d->id)) return true;
        for (size_t j = 0; j < d->ntypes; j++)
            if (!strcmp(o->only[i], d->types[j].type)) return true;
    }
    return false;
}

/* Sigma rules run unless --only names something else: "sigma" or a "Sigma:" type keeps them. */
static bool sigma_selected(const struct rp_detect_opts *o)
{
    if (!o->nonly) return true;
    for (size_t i = 0; i < o->nonly; i++)
        if (!strcmp(o->only[i], "sigma") || !strncmp(o->only[i], "Sigma:", 6)) return true;
    return false;
}

/* ---- one event to every detector --------------------------------------------------------- */

static rp_err dispatch(struct run *r, struct rp_det_event *ev, struct rp_errbuf *eb)
{
    struct rp_det_ctx *dc = r->dc;
    rp_arena_reset(&dc->ev_arena);
    if (ev->src == RP_DET_SRC_K8S && !ev->s[RP_K8S_ACCOUNT].p && ev->s[RP_K8S_CLUSTER].p)
        for (size_t i = 0; i < r->nclusters; i++)
            if (rp_str_eq_cstr(ev->s[RP_K8S_CLUSTER], r->clusters[i].name)) {
                ev->s[RP_K8S_ACCOUNT] = rp_str_from(r->clusters[i].account);
                ev->s[RP_K8S_REGION] = rp_str_from(r->clusters[i].region);
                break;
            }
    rp_err e = rp_det_event_derive(dc, ev, eb);
    for (size_t i = 0; !e && i < r->ndet; i++) {
        dc->cur = r->det[i];
        e = r->det[i]->event(dc, r->state[i], ev, eb);
    }
    dc->cur = NULL;
    if (!e && r->sigma_on && (ev->src == RP_DET_SRC_CLOUDTRAIL || ev->src == RP_DET_SRC_K8S))
        e = rp_det_sigma_event(dc, r->sigma, ev, eb);
    r->sum->events[ev->src]++;
    return e;
}

/* ---- reading the store ------------------------------------------------------------------- */

static rp_err buf_col(struct rp_buf *b, const char *name)
{
    return rp_buf_printf(b, "\"%s\"", name);
}

static rp_err build_sql(enum rp_det_source src, bool window, struct rp_buf *b)
{
    const struct src_info *si = &srcs[src];
    rp_err e = rp_buf_append_str(b, "SELECT rowid, rp_time_ms");
    for (unsigned f = 0; !e && f < si->nstr; f++) {
        e = rp_buf_append_str(b, ", ");
        if (!e)
            e = f < si->ncol_str ? buf_col(b, rp_det_field_name(src, false, f))
                                 : rp_buf_append_str(b, "NULL");
    }
    for (unsigned f = 0; !e && f < si->nint; f++) {
        e = rp_buf_append_str(b, ", ");
        if (!e) e = buf_col(b, rp_det_field_name(src, true, f));
    }
    if (!e) e = rp_buf_append_str(b, ", (0");
    for (unsigned f = 0; !e && f < si->nint; f++)
        e = rp_buf_printf(b, " | ((\"%s\" IS NOT NULL) << %u)", rp_det_field_name(src, true, f), f);
    if (!e)
        e = rp_buf_printf(b, ") FROM %s WHERE %s ORDER BY rp_time_ms, rowid", si->table,
                          window ? "rp_time_ms >= ?1 AND rp_time_ms < ?2" : "rowid > ?1");
    if (!e) e = rp_buf_putc(b, '\0');
    return e;
}

static rp_err progress_get(struct rp_store *st, enum rp_det_source src, int64_t *last,
                           struct rp_errbuf *eb)
{
    *last = 0;
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(st, "SELECT last_rowid FROM detect_progress WHERE source = ?1",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, rp_det_source_name(src), eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && row) *last = rp_store_stmt_column_int64(s, 0);
    if (s) rp_store_stmt_reset(s);
    return e;
}

static rp_err progress_put(struct rp_store *st, enum rp_det_source src, int64_t last,
                           int64_t events, int64_t now, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(
        st,
        "INSERT INTO detect_progress (source, last_rowid, events, updated_ms) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source) DO UPDATE SET "
        "last_rowid = max(last_rowid, excluded.last_rowid), events = events + excluded.events, "
        "updated_ms = excluded.updated_ms",
        &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, rp_det_source_name(src), eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 2, last, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 3, events, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 4, now, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    return e;
}

static rp_err read_store(struct run *r, enum rp_det_source src, int64_t *last_rowid,
                         struct rp_errbuf *eb)
{
    struct rp_det_ctx *dc = r->dc;
    const struct src_info *si = &srcs[src];
    bool window = dc->opts.since_ms != INT64_MIN || dc->opts.until_ms != INT64_MAX;
    int64_t from = 0;
    rp_err e = window ? RP_OK : progress_get(dc->st, src, &from, eb);
    if (e) return e;
    *last_rowid = from;
    struct rp_buf sql;
    rp_buf_init(&sql, 1 << 16);
    e = build_sql(src, window, &sql);
    if (e) {
        rp_buf_release(&sql);
        return rp_fail(eb, e, "detect: cannot build the query of '%s'", si->table);
    }
    struct rp_store_stmt *s = NULL;
    e = rp_store_stmt_prepare(dc->st, sql.data, &s, eb);
    rp_buf_release(&sql);
    if (e) return e;
    if (window) {
        e = rp_store_stmt_bind_int64(s, 1, dc->opts.since_ms, eb);
        if (!e) e = rp_store_stmt_bind_int64(s, 2, dc->opts.until_ms, eb);
    } else {
        e = rp_store_stmt_bind_int64(s, 1, from, eb);
    }
    bool row = false;
    struct rp_det_event ev;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        rp_det_event_init(&ev, src, rp_store_stmt_column_int64(s, 1));
        ev.seq = rp_store_stmt_column_int64(s, 0);
        int col = 2;
        for (unsigned f = 0; f < si->nstr; f++, col++) {
            size_t len = 0;
            const char *t = rp_store_stmt_column_text(s, col, &len);
            ev.s[f] = t ? (struct rp_str){t, len} : (struct rp_str){NULL, 0};
        }
        for (unsigned f = 0; f < si->nint; f++, col++) ev.i[f] = rp_store_stmt_column_int64(s, col);
        ev.has = (uint32_t)rp_store_stmt_column_int64(s, col);
        if (ev.seq > *last_rowid) *last_rowid = ev.seq;
        e = dispatch(r, &ev, eb);
    }
    rp_store_stmt_reset(s);
    return e;
}

/* ---- reading files ----------------------------------------------------------------------- */

struct stream_warn {
    struct run *r;
};

static void stream_warn(void *ctx, bool rejected, const char *msg)
{
    struct stream_warn *w = ctx;
    if (rejected) w->r->sum->rejected++;
    warnf(&w->r->dc->opts, "%s", msg);
}

static rp_err read_stream(struct run *r, enum rp_det_source src, struct rp_errbuf *eb)
{
    struct rp_det_ctx *dc = r->dc;
    const struct src_info *si = &srcs[src];
    const struct rp_ingest_col *cols = NULL;
    size_t ncols = 0;
    int time_col = -1;
    rp_err e = rp_ingest_table_columns(si->format, NULL, &cols, &ncols, &time_col);
    if (e) return rp_fail(eb, e, "detect: no columns for format '%s'", si->format);
    int map_s[RP_DET_MAX_STR], map_i[RP_DET_MAX_INT];
    for (unsigned f = 0; f < RP_DET_MAX_STR; f++) map_s[f] = -1;
    for (unsigned f = 0; f < RP_DET_MAX_INT; f++) map_i[f] = -1;
    for (size_t c = 0; c < ncols; c++) {
        for (unsigned f = 0; f < si->ncol_str; f++)
            if (!strcmp(cols[c].name, rp_det_field_name(src, false, f))) map_s[f] = (int)c;
        for (unsigned f = 0; f < si->nint; f++)
            if (!strcmp(cols[c].name, rp_det_field_name(src, true, f))) map_i[f] = (int)c;
    }
    struct stream_warn sw = {r};
    struct rp_ingest_reader_opts ro;
    rp_ingest_reader_opts_init(&ro);
    ro.format = si->format;
    ro.paths = dc->opts.stream_paths;
    ro.npaths = dc->opts.nstream_paths;
    ro.warn = stream_warn;
    ro.warn_ctx = &sw;
    struct rp_ingest_reader *rd = NULL;
    e = rp_ingest_reader_new(&ro, &rd, eb);
    if (e) return e;
    const struct rp_ingest_val *vals = NULL;
    struct rp_det_event ev;
    int64_t seq = 0;
    while (!(e = rp_ingest_reader_next(rd, &vals, eb)) && vals) {
        int64_t t =
            time_col >= 0 && vals[time_col].type == RP_INGEST_VAL_INT ? vals[time_col].i : 0;
        if (t < dc->opts.since_ms || t >= dc->opts.until_ms) continue;
        rp_det_event_init(&ev, src, t);
        ev.seq = ++seq;
        for (unsigned f = 0; f < si->ncol_str; f++) {
            if (map_s[f] < 0) continue;
            const struct rp_ingest_val *v = &vals[map_s[f]];
            if (v->type == RP_INGEST_VAL_TEXT) ev.s[f] = (struct rp_str){v->s, v->n};
        }
        for (unsigned f = 0; f < si->nint; f++) {
            if (map_i[f] < 0) continue;
            const struct rp_ingest_val *v = &vals[map_i[f]];
            if (v->type == RP_INGEST_VAL_INT) rp_det_event_set_int(&ev, f, v->i);
        }
        if (src == RP_DET_SRC_K8S) {
            const struct rp_ingest_layout *l = rp_ingest_reader_layout(rd);
            if (l && l->account.p) ev.s[RP_K8S_ACCOUNT] = l->account;
            if (l && l->region.p) ev.s[RP_K8S_REGION] = l->region;
        }
        e = dispatch(r, &ev, eb);
        if (e) break;
    }
    rp_ingest_reader_free(rd);
    return e;
}

/* ---- clusters (k8s account and region from Config) --------------------------------------- */

static void load_clusters(struct run *r)
{
    struct rp_det_ctx *dc = r->dc;
    if (!dc->st) return;
    struct rp_store_stmt *s = NULL;
    if (rp_store_stmt_prepare(dc->st,
                              "SELECT resourceName, rp_account, rp_region FROM config_resources "
                              "WHERE resourceType = 'AWS::EKS::Cluster' AND resourceName IS NOT "
                              "NULL ORDER BY resourceName",
                              &s, NULL))
        return;
    bool row = false;
    while (r->nclusters < sizeof r->clusters / sizeof r->clusters[0] &&
           !rp_store_stmt_step(s, &row, NULL) && row) {
        const char *n = rp_store_stmt_column_text(s, 0, NULL);
        const char *a = rp_store_stmt_column_text(s, 1, NULL);
        const char *g = rp_store_stmt_column_text(s, 2, NULL);
        if (!n || !a || !g) continue;
        r->clusters[r->nclusters].name = rp_arena_strdup(&dc->arena, n);
        r->clusters[r->nclusters].account = rp_arena_strdup(&dc->arena, a);
        r->clusters[r->nclusters].region = rp_arena_strdup(&dc->arena, g);
        if (r->clusters[r->nclusters].name && r->clusters[r->nclusters].account &&
            r->clusters[r->nclusters].region)
            r->nclusters++;
    }
    rp_store_stmt_reset(s);
}

/* ---- one source -------------------------------------------------------------------------- */

static rp_err run_source(struct run *r, enum rp_det_source src, struct rp_errbuf *eb)
{
    struct rp_det_ctx *dc = r->dc;
    r->ndet = 0;
    const struct rp_detector *const *list =
        dc->opts.detectors ? dc->opts.detectors : rp_det_builtins;
    for (size_t i = 0; list[i]; i++) {
        const struct rp_detector *d = list[i];
        if (d->source != src || !selected(&dc->opts, d)) continue;
        if (r->ndet == sizeof r->det / sizeof r->det[0]) break;
        r->det[r->ndet] = d;
        r->state[r->ndet] = NULL;
        r->ndet++;
    }
    bool sigma = r->sigma && rp_det_sigma_count(r->sigma) && sigma_selected(&dc->opts) &&
                 (src == RP_DET_SRC_CLOUDTRAIL || src == RP_DET_SRC_K8S);
    r->sigma_on = sigma;
    if (!r->ndet && !sigma) return RP_OK;
    rp_err e = RP_OK;
    size_t inited = 0;
    for (; !e && inited < r->ndet; inited++) {
        dc->cur = r->det[inited];
        if (r->det[inited]->init) e = r->det[inited]->init(dc, &r->state[inited], eb);
    }
    int64_t last = 0, before = r->sum->events[src];
    if (!e) e = dc->opts.nstream_paths ? read_stream(r, src, eb) : read_store(r, src, &last, eb);
    for (size_t i = 0; !e && i < r->ndet; i++) {
        dc->cur = r->det[i];
        if (r->det[i]->finish) e = r->det[i]->finish(dc, r->state[i], eb);
    }
    for (size_t i = 0; i < inited; i++)
        if (r->det[i]->release) r->det[i]->release(r->state[i]);
    dc->cur = NULL;
    bool window = dc->opts.since_ms != INT64_MIN || dc->opts.until_ms != INT64_MAX;
    if (!e && !dc->opts.nstream_paths && !window && !dc->opts.dry_run)
        e = progress_put(dc->st, src, last, r->sum->events[src] - before,
                         dc->opts.now_ms ? dc->opts.now_ms : rp_time_now_ms(), eb);
    return e;
}

/* ---- findings out ------------------------------------------------------------------------ */

struct prior {
    bool found;
    int64_t count, first_ms, last_ms, created_ms;
};

static rp_err prior_get(struct rp_store *st, const char *id, struct prior *p, struct rp_errbuf *eb)
{
    memset(p, 0, sizeof *p);
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(
        st, "SELECT count, first_ms, last_ms, created_ms FROM detect_findings WHERE id = ?1", &s,
        eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, id, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && row) {
        p->found = true;
        p->count = rp_store_stmt_column_int64(s, 0);
        p->first_ms = rp_store_stmt_column_int64(s, 1);
        p->last_ms = rp_store_stmt_column_int64(s, 2);
        p->created_ms = rp_store_stmt_column_int64(s, 3);
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

static rp_err prior_put(struct rp_store *st, const struct rp_det_folded *ff, int64_t created,
                        int64_t updated, bool archived, const char *doc, size_t len,
                        struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(
        st,
        "INSERT OR REPLACE INTO detect_findings (id, type, count, first_ms, last_ms, created_ms, "
        "updated_ms, archived, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, ff->id, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, ff->f.type, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 3, (int64_t)ff->f.count, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 4, ff->f.first_ms, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 5, ff->f.last_ms, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 6, created, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 7, updated, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 8, archived, eb);
    if (!e) e = rp_store_stmt_bind_text(s, 9, doc, len, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    return e;
}

static int cmp_folded(const void *a, const void *b)
{
    const struct rp_det_folded *x = *(const struct rp_det_folded *const *)a;
    const struct rp_det_folded *y = *(const struct rp_det_folded *const *)b;
    if (x->f.first_ms != y->f.first_ms) return x->f.first_ms < y->f.first_ms ? -1 : 1;
    return strcmp(x->id, y->id);
}

static rp_err import_error(void *ctx, const char *source, size_t item, const char *id,
                           const char *code, const char *msg)
{
    struct run *r = ctx;
    warnf(&r->dc->opts, "detect: the hub refused finding %zu (%s) of %s: %s: %s", item,
          id ? id : "?", source, code, msg);
    return RP_OK;
}

static rp_err write_findings(struct run *r, struct rp_errbuf *eb)
{
    struct rp_det_ctx *dc = r->dc;
    const struct rp_detect_opts *o = &dc->opts;
    int64_t now = o->now_ms ? o->now_ms : rp_time_now_ms();
    bool window = o->since_ms != INT64_MIN || o->until_ms != INT64_MAX;
    bool store = dc->st && !o->dry_run;
    if (dc->nfold) qsort(dc->fold, dc->nfold, sizeof *dc->fold, cmp_folded);
    /* the index now points at old positions: rebuild it for rp_det_ctx_find users */
    free(dc->idx);
    dc->idx = NULL;
    dc->idxcap = 0;

    struct rp_det_suppress *sup = NULL;
    rp_err e = RP_OK;
    if (dc->st) e = rp_det_suppress_load(dc->st, &sup, eb);
    struct rp_hub_importer *im = NULL;
    if (!e && store) {
        struct rp_hub_import_opts io;
        rp_hub_import_opts_init(&io);
        io.format = "guardduty";
        io.identity = "rampart-detect";
        io.now_ms = now;
        io.on_error = import_error;
        io.ctx = r;
        e = rp_hub_importer_new(dc->st, &io, &im, eb);
    }
    struct rp_buf doc;
    rp_buf_init(&doc, 1 << 24);
    for (size_t i = 0; !e && i < dc->nfold; i++) {
        struct rp_det_folded *ff = dc->fold[i];
        struct prior p = {0};
        if (dc->st) e = prior_get(dc->st, ff->id, &p, eb);
        if (e) break;
        int64_t created = p.found ? p.created_ms : now;
        if (p.found) {
            /* an incremental run adds new occurrences; a window re-run recounts its window,
               so it keeps the larger count instead of adding */
            if (window)
                ff->f.count = (uint64_t)p.count > ff->f.count ? (uint64_t)p.count : ff->f.count;
            else
                ff->f.count += (uint64_t)p.count;
            if (p.first_ms && p.first_ms < ff->f.first_ms) ff->f.first_ms = p.first_ms;
            if (p.last_ms > ff->f.last_ms) ff->f.last_ms = p.last_ms;
        }
        char det_id[RP_HUB_ID_MAX];
        if (!o->detector_id) {
            char h[RP_HUB_ID_MAX];
            if (rp_hub_finding_id("detector", ff->f.account, ff->f.region, "", h)) {
                e = rp_fail(eb, RP_ENOMEM, "detect: out of memory");
                break;
            }
            const char *slash = strchr(h, '/');
            snprintf(det_id, sizeof det_id, "%s", slash ? slash + 1 : h);
        }
        struct rp_det_gd_facts g = {
            .detector_id = o->detector_id ? o->detector_id : det_id,
            .now_ms = now,
            .eni = ff->f.eni ? rp_det_inv_eni(dc, rp_str_from(ff->f.eni)) : NULL,
            .bucket_json = ff->f.bucket
                               ? rp_det_inv_item_json(dc, "AWS::S3::Bucket", ff->f.bucket, true)
                               : NULL,
            .cluster_json =
                ff->f.cluster ? rp_det_inv_item_json(dc, "AWS::EKS::Cluster", ff->f.cluster, false)
                              : NULL,
            .parser = dc->jp,
            .created_ms = created,
            .updated_ms = now,
            .archived = false,
            .instance_json =
                ff->f.instance_id ? rp_det_inv_instance_json(dc, ff->f.instance_id) : NULL,
        };
        rp_buf_reset(&doc);
        struct rp_json_writer w;
        rp_json_writer_init(&w, &doc);
        e = rp_det_gd_write(&w, ff, &g, eb);
        if (!e) e = rp_json_writer_finish(&w);
        if (e) break;
        const char *rule = NULL;
        if (sup && rp_det_suppress_match(sup, doc.data, doc.len, &rule)) {
            g.archived = true;
            r->sum->suppressed++;
            rp_buf_reset(&doc);
            rp_json_writer_init(&w, &doc);
            e = rp_det_gd_write(&w, ff, &g, eb);
            if (!e) e = rp_json_writer_finish(&w);
            if (e) break;
        }
        r->sum->findings++;
        if (o->on_finding) e = o->on_finding(o->on_finding_ctx, doc.data, doc.len);
        if (!e && im) {
            e = rp_hub_import_buf(im, doc.data, doc.len, "detect", eb);
            if (!e) e = prior_put(dc->st, ff, created, now, g.archived, doc.data, doc.len, eb);
        }
    }
    rp_buf_release(&doc);
    if (im) {
        if (!e) {
            struct rp_hub_import_stats hs;
            rp_hub_importer_stats(im, &hs);
            r->sum->created = (int64_t)hs.created;
            r->sum->updated = (int64_t)hs.updated;
            e = rp_hub_importer_finish(im, eb);
        } else {
            rp_hub_importer_free(im);
        }
    }
    rp_det_suppress_free(sup);
    return e;
}

/* ---- the run ----------------------------------------------------------------------------- */

rp_err rp_detect_run(struct rp_store *st, const struct rp_detect_opts *o,
                     struct rp_detect_summary *sum, struct rp_errbuf *eb)
{
    struct rp_detect_summary dummy;
    if (!sum) sum = &dummy;
    memset(sum, 0, sizeof *sum);
    if (!st && (!o->nstream_paths || !o->dry_run))
        return rp_fail(eb, RP_EINVAL, "detect: a run without a store must be --stream --dry-run");
    int64_t t0 = rp_time_now_ms();
    struct rp_det_ti *ti = NULL;
    rp_err e = rp_det_ti_new(&ti);
    if (e) return rp_fail(eb, e, "detect: out of memory");
    e = rp_det_ti_load(ti, st, eb);
    struct rp_det_ctx *dc = NULL;
    if (!e) e = rp_det_ctx_new(o, st, ti, &dc, eb);
    struct rp_det_sigma_set *sigma = NULL;
    if (!e && (o->nsigma_paths || o->sigma_dir)) {
        e = rp_det_sigma_set_new(&sigma);
        if (e) e = rp_fail(eb, e, "detect: out of memory");
        if (!e && o->sigma_dir) {
            rp_err se = rp_det_sigma_load_path(sigma, o->sigma_dir, o->warn, o->warn_ctx, eb);
            if (se && se != RP_ENOENT) e = se;
        }
        for (size_t i = 0; !e && i < o->nsigma_paths; i++)
            e = rp_det_sigma_load_path(sigma, o->sigma_paths[i], o->warn, o->warn_ctx, eb);
    }
    struct run r = {.dc = dc, .sum = sum, .sigma = sigma};
    if (!e) load_clusters(&r);
    for (int s = 0; !e && s < RP_DET_SRC__COUNT; s++) e = run_source(&r, (enum rp_det_source)s, eb);
    if (!e) {
        sum->emitted = dc->emitted;
        e = write_findings(&r, eb);
    }
    rp_det_sigma_set_free(sigma);
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
    sum->elapsed_ms = rp_time_now_ms() - t0;
    return e;
}
