/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoints and bucket sensitivity scores of sensitive data discovery (dataid_job.h): the
 * match rule that lets `rampart discover scan --changed-only` leave unchanged sources unread,
 * the rows of dataid_objects (store migration 0011) that `scan` writes for every object it
 * classifies or skips, and Macie's bucket sensitivityScore computed from them for
 * `rampart discover buckets`. The formula is Rampart's (AWS does not publish Macie's); it is
 * documented in docs/discover.md. */
#define RP_LOG_MODULE "dataid"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid_job.h"
#include "core/rp_hash.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "store/store.h"
#include "core/rp_banned.h"

bool rp_dataid_source_unchanged(const struct rp_dataid_source *cp,
                                const struct rp_dataid_source *now)
{
    if (!strcmp(cp->status, "ERROR")) return false;
    if (cp->size != now->size) return false;
    if (cp->etag[0] && now->etag[0]) return !strcmp(cp->etag, now->etag);
    if (cp->etag[0] || now->etag[0]) return false; /* one listed with an ETag, one without */
    return cp->mtime_ms == now->mtime_ms;
}

rp_err rp_dataid_ckpt_lookup(struct rp_store *st, const char *bucket, const char *source_key,
                             struct rp_dataid_source *out, bool *found, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    memset(out, 0, sizeof *out);
    *found = false;
    /* an ERROR row first, so that a source with any failed object is read again */
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT source_size, source_mtime_ms, etag, status FROM "
                                     "dataid_objects WHERE bucket = ?1 AND source_key = ?2 "
                                     "ORDER BY status = 'ERROR' DESC LIMIT 1",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, bucket, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, source_key, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e || !row) return e;
    out->size = rp_store_stmt_column_int64(s, 0);
    out->mtime_ms = rp_store_stmt_column_int64(s, 1);
    const char *t = rp_store_stmt_column_text(s, 2, NULL);
    rp_strlcpy(out->etag, t ? t : "", sizeof out->etag);
    t = rp_store_stmt_column_text(s, 3, NULL);
    rp_strlcpy(out->status, t ? t : "", sizeof out->status);
    rp_store_stmt_reset(s);
    *found = true;
    return RP_OK;
}

rp_err rp_dataid_ckpt_forget(struct rp_store *st, const char *bucket, const char *source_key,
                             struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st, "DELETE FROM dataid_objects WHERE bucket = ?1 AND source_key = ?2", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, bucket, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, source_key, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    return e;
}

rp_err rp_dataid_ckpt_put(struct rp_store *st, const struct rp_dataid_ckpt *c, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "INSERT OR REPLACE INTO dataid_objects (bucket, key, source_key, source_size, "
        "source_mtime_ms, etag, size, classified_ms, status, reason, sensitive, counts) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, c->bucket, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, c->key, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 3, c->source_key, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 4, c->src.size, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 5, c->src.mtime_ms, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 6, c->src.etag, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 7, c->size, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 8, c->classified_ms, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 9, c->status, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 10, c->reason ? c->reason : "", eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 11, c->sensitive ? 1 : 0, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 12, c->counts ? c->counts : "{}", eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    return e;
}

rp_err rp_dataid_ckpt_seen_begin(struct rp_store *st, struct rp_errbuf *eb)
{
    return rp_store_exec(st,
                         "CREATE TEMP TABLE IF NOT EXISTS dataid_seen (bucket TEXT NOT NULL, "
                         "source_key TEXT NOT NULL, PRIMARY KEY (bucket, source_key)) "
                         "WITHOUT ROWID; DELETE FROM temp.dataid_seen",
                         eb);
}

rp_err rp_dataid_ckpt_seen(struct rp_store *st, const char *bucket, const char *source_key,
                           struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st, "INSERT OR IGNORE INTO temp.dataid_seen (bucket, source_key) VALUES (?1, ?2)", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, bucket, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, source_key, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    return e;
}

rp_err rp_dataid_ckpt_prune(struct rp_store *st, const char *bucket, const char *prefix, int64_t *n,
                            struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "DELETE FROM dataid_objects WHERE bucket = ?1 AND substr(source_key, 1, length(?2)) = ?2 "
        "AND NOT EXISTS (SELECT 1 FROM temp.dataid_seen s WHERE s.bucket = dataid_objects.bucket "
        "AND s.source_key = dataid_objects.source_key)",
        &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, bucket, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, prefix ? prefix : "", eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && n) *n = rp_store_changes(st);
    return e;
}

/* ---- scores ------------------------------------------------------------------------------- */

int rp_dataid_sensitivity_score(const struct rp_dataid_bucket_stats *b)
{
    if (b->classified <= 0) return b->errors > 0 ? -1 : 50;
    int64_t known = b->known > b->classified ? b->known : b->classified;
    if (b->sensitive <= 0) /* 1 when all of it was classified, towards 50 the less it was */
        return 1 + (int)(48 * (known - b->classified) / known);
    int64_t sens = b->sensitive > b->classified ? b->classified : b->sensitive;
    int64_t share = (40 * sens + b->classified - 1) / b->classified; /* 1..40, rounded up */
    int64_t types = b->types > 5 ? 10 : 2 * (b->types > 0 ? b->types : 0);
    return (int)(50 + share + types);
}

const char *rp_dataid_sensitivity_label(int score)
{
    if (score < 0) return "Classification error";
    if (score == 50) return "Not analyzed yet";
    return score < 50 ? "Not sensitive" : "Sensitive";
}

rp_err rp_dataid_bucket_stats_each(struct rp_store *st, rp_dataid_bucket_fn fn, void *ctx,
                                   struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT o.bucket, count(*), sum(o.status = 'COMPLETE'), "
        "sum(CASE WHEN o.status = 'COMPLETE' THEN o.size ELSE 0 END), "
        "sum(o.status = 'COMPLETE' AND o.sensitive), sum(o.status = 'ERROR'), "
        "(SELECT count(DISTINCT j.key) FROM dataid_objects p, json_each(p.counts) j "
        " WHERE p.bucket = o.bucket AND p.sensitive) "
        "FROM dataid_objects o GROUP BY o.bucket ORDER BY o.bucket",
        &s, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        struct rp_dataid_bucket_stats b = {
            .bucket = rp_store_stmt_column_text(s, 0, NULL),
            .known = rp_store_stmt_column_int64(s, 1),
            .classified = rp_store_stmt_column_int64(s, 2),
            .bytes = rp_store_stmt_column_int64(s, 3),
            .sensitive = rp_store_stmt_column_int64(s, 4),
            .errors = rp_store_stmt_column_int64(s, 5),
            .types = rp_store_stmt_column_int64(s, 6),
        };
        if (!b.bucket) b.bucket = "";
        e = fn(ctx, &b, eb);
    }
    if (e && s) rp_store_stmt_reset(s);
    return e;
}

/* ---- jobs ---------------------------------------------------------------------------------- */

bool rp_dataid_sampled(int pct, const char *bucket, const char *key)
{
    if (pct <= 0 || pct >= 100) return true; /* 0: not set */
    char name[4096];
    int n = snprintf(name, sizeof name, "%s/%s", bucket, key);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof name ? sizeof name - 1 : (size_t)n;
    return rp_hash_xxh3_64(name, len, 0) % 100 < (uint64_t)pct;
}

static bool ext_excluded(const struct rp_dataid_scope *sc, const char *key)
{
    const char *slash = strrchr(key, '/');
    const char *dot = strrchr(slash ? slash + 1 : key, '.');
    if (!dot) return false;
    for (size_t i = 0; i < sc->nexclude; i++) {
        const char *x = sc->exclude_ext[i];
        if (x[0] == '.') x++;
        if (rp_str_eq_nocase(rp_str_from(dot + 1), rp_str_from(x))) return true;
    }
    return false;
}

bool rp_dataid_scope_match(const struct rp_dataid_scope *sc, const char *bucket, const char *key,
                           int64_t size, int64_t mtime_ms)
{
    if (sc->key_prefix && strncmp(key, sc->key_prefix, strlen(sc->key_prefix)) != 0) return false;
    if (ext_excluded(sc, key)) return false;
    if (sc->min_size >= 0 && size < sc->min_size) return false;
    if (sc->max_size >= 0 && size > sc->max_size) return false;
    if (sc->since_ms >= 0 && mtime_ms < sc->since_ms) return false;
    return rp_dataid_sampled(sc->sampling ? sc->sampling : 100, bucket, key);
}

static const char *const k_days[] = {"SUNDAY",   "MONDAY", "TUESDAY", "WEDNESDAY",
                                     "THURSDAY", "FRIDAY", "SATURDAY"};

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && rp_time_is_leap_year(y) ? 29 : d[m - 1];
}

rp_err rp_dataid_schedule_next(const char *schedule, int64_t after_ms, int64_t *next,
                               struct rp_errbuf *eb)
{
    int64_t day = after_ms >= 0 ? after_ms / RP_TIME_MS_PER_DAY
                                : -((-after_ms + RP_TIME_MS_PER_DAY - 1) / RP_TIME_MS_PER_DAY);
    if (!strcmp(schedule, "daily")) {
        *next = (day + 1) * RP_TIME_MS_PER_DAY;
        return RP_OK;
    }
    if (!strncmp(schedule, "weekly:", 7)) {
        for (int w = 0; w < 7; w++) {
            if (strcmp(schedule + 7, k_days[w]) != 0) continue;
            int64_t d = day + 1; /* 1970-01-01 was a Thursday (4) */
            while (((d % 7 + 7 + 4) % 7) != w) d++;
            *next = d * RP_TIME_MS_PER_DAY;
            return RP_OK;
        }
    } else if (!strncmp(schedule, "monthly:", 8)) {
        char *end = NULL;
        long dom = strtol(schedule + 8, &end, 10);
        struct rp_time_civil c;
        if (end != schedule + 8 && !*end && dom >= 1 && dom <= 31 &&
            rp_time_to_civil(day * RP_TIME_MS_PER_DAY, &c) == RP_OK) {
            for (int k = 0; k < 3; k++) { /* this month, the next, the one after */
                int y = c.year + (c.month - 1 + k) / 12, m = (c.month - 1 + k) % 12 + 1;
                int dd = (int)dom > days_in_month(y, m) ? days_in_month(y, m) : (int)dom;
                int64_t d = rp_time_days_from_civil(y, (unsigned)m, (unsigned)dd);
                if (d > day) {
                    *next = d * RP_TIME_MS_PER_DAY;
                    return RP_OK;
                }
            }
        }
    }
    return rp_fail(eb, RP_EINVAL,
                   "dataid: bad schedule '%s' (daily, weekly:MONDAY..SUNDAY or monthly:1..31)",
                   schedule);
}

#define JOB_COLS                                                                                   \
    "job_id, name, job_type, schedule, sampling, key_prefix, exclude_ext, min_size, max_size, "    \
    "since_ms, identifiers, customs, sources, job_status, created_ms, last_run_ms, next_run_ms, "  \
    "runs, objects, custom_ids, allow_list_ids"

rp_err rp_dataid_job_put(struct rp_store *st, const struct rp_dataid_job *j, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "INSERT OR REPLACE INTO dataid_jobs (" JOB_COLS
                                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                     "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                                     &s, eb);
    const char *t[] = {j->id, j->name, j->type, j->schedule};
    for (int i = 0; !e && i < 4; i++) e = rp_store_stmt_bind_cstr(s, i + 1, t[i], eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 5, j->sampling, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 6, j->key_prefix, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 7, j->exclude_ext, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 8, j->min_size, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 9, j->max_size, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 10, j->since_ms, eb);
    const char *u[] = {j->identifiers, j->customs, j->sources, j->status};
    for (int i = 0; !e && i < 4; i++) e = rp_store_stmt_bind_cstr(s, i + 11, u[i], eb);
    const int64_t v[] = {j->created_ms, j->last_run_ms, j->next_run_ms, j->runs, j->objects};
    for (int i = 0; !e && i < 5; i++) e = rp_store_stmt_bind_int64(s, i + 15, v[i], eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 20, j->custom_ids, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 21, j->allow_list_ids, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    return e;
}

static void text_col(struct rp_store_stmt *s, int col, char *dst, size_t n)
{
    const char *t = rp_store_stmt_column_text(s, col, NULL);
    rp_strlcpy(dst, t ? t : "", n);
}

static void read_job(struct rp_store_stmt *s, struct rp_dataid_job *j)
{
    memset(j, 0, sizeof *j);
    text_col(s, 0, j->id, sizeof j->id);
    text_col(s, 1, j->name, sizeof j->name);
    text_col(s, 2, j->type, sizeof j->type);
    text_col(s, 3, j->schedule, sizeof j->schedule);
    j->sampling = (int)rp_store_stmt_column_int64(s, 4);
    text_col(s, 5, j->key_prefix, sizeof j->key_prefix);
    text_col(s, 6, j->exclude_ext, sizeof j->exclude_ext);
    j->min_size = rp_store_stmt_column_int64(s, 7);
    j->max_size = rp_store_stmt_column_int64(s, 8);
    j->since_ms = rp_store_stmt_column_int64(s, 9);
    text_col(s, 10, j->identifiers, sizeof j->identifiers);
    text_col(s, 11, j->customs, sizeof j->customs);
    text_col(s, 12, j->sources, sizeof j->sources);
    text_col(s, 13, j->status, sizeof j->status);
    j->created_ms = rp_store_stmt_column_int64(s, 14);
    j->last_run_ms = rp_store_stmt_column_int64(s, 15);
    j->next_run_ms = rp_store_stmt_column_int64(s, 16);
    j->runs = rp_store_stmt_column_int64(s, 17);
    j->objects = rp_store_stmt_column_int64(s, 18);
    text_col(s, 19, j->custom_ids, sizeof j->custom_ids);
    text_col(s, 20, j->allow_list_ids, sizeof j->allow_list_ids);
}

rp_err rp_dataid_job_get(struct rp_store *st, const char *id, struct rp_dataid_job *j,
                         struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e =
        rp_store_stmt_prepare(st, "SELECT " JOB_COLS " FROM dataid_jobs WHERE job_id = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, id, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e) return e;
    if (!row) return rp_fail(eb, RP_ENOENT, "dataid: no job '%s'", id);
    read_job(s, j);
    rp_store_stmt_reset(s);
    return RP_OK;
}

rp_err rp_dataid_job_each(struct rp_store *st, int64_t due_ms, rp_dataid_job_fn fn, void *ctx,
                          struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT " JOB_COLS " FROM dataid_jobs WHERE ?1 < 0 OR "
                                     "(job_type = 'SCHEDULED' AND next_run_ms <= ?1) "
                                     "ORDER BY created_ms, job_id",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 1, due_ms, eb);
    struct rp_dataid_job *jobs = NULL;
    size_t n = 0, cap = 0;
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 8;
            struct rp_dataid_job *nj = realloc(jobs, nc * sizeof *nj);
            if (!nj) {
                e = rp_fail(eb, RP_ENOMEM, "out of memory");
                rp_store_stmt_reset(s);
                break;
            }
            jobs = nj;
            cap = nc;
        }
        read_job(s, &jobs[n++]);
    }
    for (size_t i = 0; !e && i < n; i++) e = fn(ctx, &jobs[i], eb);
    free(jobs);
    return e;
}
