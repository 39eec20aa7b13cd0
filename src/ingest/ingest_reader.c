/* SPDX-License-Identifier: Apache-2.0 */
/* rp_ingest_reader: files -> the rows a format would store, pulled one at a time, with no
 * store and no threads (ingest.h). The raw-file connectors of `rampart query` read through
 * it, so `cloudtrail_files('dir')` and the ingested cloudtrail_logs table give the same
 * columns and values: the same walker, key layout, sniffing, framing and format code as the
 * ingest runner (ingest_run.c), minus checkpoints, batching and the writer.
 *
 * Pruning happens before a file is opened: by service (the S3 key names another service),
 * by the exact partition filters (account, region, key day) and by the time window (as
 * `ingest --since/--until`). Directories are pruned as a whole when their key already rules
 * them out. */
#define RP_LOG_MODULE "ingest"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_banned.h"
#include "core/rp_json.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "ingest/ingest.h"
#include "ingest/ingest_frame.h"
#include "ingest/ingest_layout.h"
#include "ingest/ingest_source.h"

/* The S3 key service names each format's files are delivered under (NULL-terminated); a key
 * naming any other service is another source's file. */
static const char *const *format_services(const char *format)
{
    static const char *const ct[] = {"CloudTrail", "CloudTrail-Insight", NULL};
    static const char *const flow[] = {"vpcflowlogs", NULL};
    static const char *const dns[] = {"vpcdnsquerylogs", NULL};
    static const char *const cfg[] = {"Config", NULL};
    static const char *const none[] = {NULL};
    if (strcmp(format, "cloudtrail") == 0) return ct;
    if (strcmp(format, "vpcflow") == 0) return flow;
    if (strcmp(format, "r53dns") == 0) return dns;
    if (strcmp(format, "config") == 0) return cfg;
    return none; /* k8saudit: no AWSLogs layout of its own */
}

struct rp_ingest_reader {
    struct rp_ingest_reader_opts o;
    const struct rp_ingest_source *src;
    unsigned table;
    const struct rp_ingest_table *t;
    struct rp_ingest_filter tfilt; /* since/until only */

    struct rp_arena list_arena; /* file paths */
    char **files;
    size_t nfiles, files_cap, next_file;
    bool listed;
    rp_err list_err;
    struct rp_errbuf list_eb;

    /* the file being read */
    const char *path;
    struct rp_ingest_key key;
    struct rp_ingest_input *in;
    struct rp_ingest_framer *fr;
    void *state;
    struct rp_ingest_ctx cx;
    struct rp_json_parser *jp;
    struct rp_arena scratch; /* per record, for the format */
    int64_t in_counted;      /* bytes of in already added to stats */

    /* rows of the current record */
    struct rp_arena rows_arena;
    struct rp_ingest_val **rows;
    size_t nrows, rows_cap, row_pos;
    uint64_t rec_offset; /* of the record the rows came from */

    struct rp_ingest_reader_stats st;
};

void rp_ingest_reader_opts_init(struct rp_ingest_reader_opts *o)
{
    memset(o, 0, sizeof *o);
    o->day_min_ms = INT64_MIN;
    o->day_max_ms = INT64_MAX;
    o->since_ms = INT64_MIN;
    o->until_ms = INT64_MAX;
}

static rp_err find_table(const char *format, const char *table, const struct rp_ingest_source **src,
                         unsigned *idx)
{
    const struct rp_ingest_source *s = format ? rp_ingest_source_find(format) : NULL;
    if (!s || s->ntables == 0) return RP_ENOENT;
    unsigned i = 0;
    if (table) {
        for (i = 0; i < s->ntables; i++)
            if (strcmp(s->tables[i].name, table) == 0) break;
        if (i == s->ntables) return RP_ENOENT;
    }
    *src = s;
    *idx = i;
    return RP_OK;
}

rp_err rp_ingest_table_columns(const char *format, const char *table,
                               const struct rp_ingest_col **cols, size_t *ncols, int *time_col)
{
    const struct rp_ingest_source *s = NULL;
    unsigned i = 0;
    rp_err e = find_table(format, table, &s, &i);
    if (e) return e;
    *cols = s->tables[i].cols;
    *ncols = s->tables[i].ncols;
    if (time_col) *time_col = s->tables[i].time_col;
    return RP_OK;
}

static void warn(struct rp_ingest_reader *r, bool rejected, const char *fmt, ...) RP_PRINTF(3, 4);

static void warn(struct rp_ingest_reader *r, bool rejected, const char *fmt, ...)
{
    char msg[RP_MAX_ERRMSG + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rejected) r->st.rejected++;
    if (r->o.warn)
        r->o.warn(r->o.warn_ctx, rejected, msg);
    else
        RP_LOG_WARN("%s", msg);
}

rp_err rp_ingest_reader_new(const struct rp_ingest_reader_opts *o, struct rp_ingest_reader **out,
                            struct rp_errbuf *eb)
{
    *out = NULL;
    const struct rp_ingest_source *src = NULL;
    unsigned idx = 0;
    if (find_table(o->format, o->table, &src, &idx))
        return rp_fail(eb, RP_ENOENT, "ingest: no format '%s' with table '%s'",
                       o->format ? o->format : "", o->table ? o->table : "(main)");
    struct rp_ingest_reader *r = calloc(1, sizeof *r);
    if (!r) return rp_fail(eb, RP_ENOMEM, "ingest: out of memory");
    r->o = *o;
    r->src = src;
    r->table = idx;
    r->t = &src->tables[idx];
    r->tfilt.since_ms = o->since_ms;
    r->tfilt.until_ms = o->until_ms;
    rp_arena_init(&r->list_arena, 0);
    rp_arena_init(&r->scratch, 0);
    rp_arena_init(&r->rows_arena, 0);
    *out = r;
    return RP_OK;
}

static void close_file(struct rp_ingest_reader *r)
{
    if (r->in) {
        int64_t now = (int64_t)rp_ingest_input_bytes_in(r->in);
        r->st.bytes_in += now - r->in_counted;
    }
    r->in_counted = 0;
    rp_ingest_framer_free(r->fr);
    rp_ingest_input_free(r->in);
    free(r->state);
    r->fr = NULL;
    r->in = NULL;
    r->state = NULL;
    rp_arena_reset(&r->scratch);
}

void rp_ingest_reader_free(struct rp_ingest_reader *r)
{
    if (!r) return;
    close_file(r);
    rp_json_parser_free(r->jp);
    rp_json_parser_free(r->cx.jp);
    free(r->files);
    free(r->rows);
    rp_arena_release(&r->list_arena);
    rp_arena_release(&r->scratch);
    rp_arena_release(&r->rows_arena);
    free(r);
}

static bool in_list(struct rp_str s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rp_str_eq_cstr(s, list[i])) return true;
    return false;
}

/* Days [lo, hi] (midnight ms) a key can hold from what it names; false when it names no day
 * range (no year). */
static bool key_days(const struct rp_ingest_key *k, bool is_dir, int64_t *lo, int64_t *hi)
{
    if (!is_dir) {
        if (k->l.day_ms < 0) return false;
        *lo = *hi = k->l.day_ms;
        return true;
    }
    if (!k->year) return false;
    unsigned m0 = k->month ? (unsigned)k->month : 1, m1 = k->month ? (unsigned)k->month : 12;
    unsigned d0 = k->day ? (unsigned)k->day : 1, d1 = k->day ? (unsigned)k->day : 31;
    int64_t first = rp_time_days_from_civil(k->year, m0, d0);
    int64_t last = rp_time_days_from_civil(k->year, m1, 1);
    if (!k->day) {
        /* the month's last day: the first of the next month minus one */
        int64_t next = m1 == 12 ? rp_time_days_from_civil(k->year + 1, 1, 1)
                                : rp_time_days_from_civil(k->year, m1 + 1, 1);
        last = next - 1;
    } else {
        last = rp_time_days_from_civil(k->year, m1, d1);
    }
    *lo = first * 86400000LL;
    *hi = last * 86400000LL;
    return true;
}

/* True when the key rules the directory or file out. */
static bool pruned(const struct rp_ingest_reader *r, const struct rp_ingest_key *k, bool is_dir)
{
    const struct rp_ingest_reader_opts *o = &r->o;
    if (k->l.service.p) {
        if (rp_str_eq_cstr(k->l.service, "CloudTrail-Digest")) return true;
        const char *const *svc = format_services(r->src->name);
        if (svc[0]) {
            bool ok = false;
            for (size_t i = 0; svc[i]; i++) ok |= rp_str_eq_cstr(k->l.service, svc[i]);
            if (!ok) return true;
        }
    }
    if (o->naccounts) {
        if (k->l.account.p ? !in_list(k->l.account, o->accounts, o->naccounts) : !is_dir)
            return true;
    }
    if (o->nregions) {
        if (k->l.region.p ? !in_list(k->l.region, o->regions, o->nregions) : !is_dir) return true;
    }
    if (o->day_min_ms != INT64_MIN || o->day_max_ms != INT64_MAX || o->ndays) {
        int64_t lo = 0, hi = 0;
        if (key_days(k, is_dir, &lo, &hi)) {
            if (hi < o->day_min_ms || lo > o->day_max_ms) return true;
            if (o->ndays) {
                bool any = false;
                for (size_t i = 0; i < o->ndays && !any; i++)
                    any = o->days[i] >= lo && o->days[i] <= hi;
                if (!any) return true;
            }
        } else if (!is_dir) {
            return true;
        }
    }
    if (rp_ingest_filter_active(&r->tfilt) &&
        rp_ingest_filter_check(&r->tfilt, k) != RP_INGEST_KEEP)
        return true;
    return false;
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct rp_ingest_reader *r = ctx;
    switch (e->event) {
    case RP_WALK_EV_DIR: {
        if (e->depth == 0) return RP_WALK_CONTINUE; /* a root is walked as given */
        struct rp_ingest_key k;
        rp_ingest_key_parse(e->path, strlen(e->path), true, &k);
        if (!pruned(r, &k, true)) return RP_WALK_CONTINUE;
        r->st.dirs_pruned++;
        return RP_WALK_SKIP;
    }
    case RP_WALK_EV_FILE: {
        struct rp_ingest_key k;
        r->st.files_seen++;
        rp_ingest_key_parse(e->path, strlen(e->path), false, &k);
        if (pruned(r, &k, false)) {
            r->st.files_pruned++;
            return RP_WALK_CONTINUE;
        }
        if (r->nfiles == r->files_cap) {
            size_t cap = r->files_cap ? 2 * r->files_cap : 64;
            char **nf = realloc(r->files, cap * sizeof *nf);
            if (!nf) goto oom;
            r->files = nf;
            r->files_cap = cap;
        }
        if (!(r->files[r->nfiles] = rp_arena_strdup(&r->list_arena, e->path))) goto oom;
        r->nfiles++;
        return RP_WALK_CONTINUE;
    }
    case RP_WALK_EV_SKIP:
        if (e->reason == RP_WALK_REASON_SEEN) return RP_WALK_CONTINUE;
        warn(r, false, "%s", e->msg);
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_ERROR:
        warn(r, true, "%s", e->msg);
        return RP_WALK_CONTINUE;
    }
    return RP_WALK_CONTINUE;
oom:
    r->list_err = rp_fail(&r->list_eb, RP_ENOMEM, "ingest: out of memory listing files");
    return RP_WALK_STOP;
}

/* Copies a row of the wanted table (the RAW column gets the record's bytes, uncompressed). */
static rp_err sink(struct rp_ingest_ctx *cx, unsigned table, const struct rp_ingest_val *vals,
                   struct rp_errbuf *eb)
{
    struct rp_ingest_reader *r = cx->sink_arg;
    if (table != r->table) return RP_OK;
    const struct rp_ingest_table *t = r->t;
    struct rp_ingest_val *v = rp_arena_alloc(&r->rows_arena, t->ncols * sizeof *v);
    if (!v) goto oom;
    if (r->nrows == r->rows_cap) {
        size_t cap = r->rows_cap ? 2 * r->rows_cap : 8;
        struct rp_ingest_val **nr = realloc(r->rows, cap * sizeof *nr);
        if (!nr) goto oom;
        r->rows = nr;
        r->rows_cap = cap;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        v[c] = vals[c];
        if (t->cols[c].type == RP_INGEST_COL_RAW) {
            const char *s = vals[c].s;
            size_t n = vals[c].n;
            if (vals[c].type == RP_INGEST_VAL_NULL || !s) {
                s = cx->rec->p;
                n = cx->rec->n;
            }
            v[c].type = RP_INGEST_VAL_RAW;
            v[c].s = rp_arena_memdup(&r->rows_arena, s, n);
            v[c].n = n;
            if (!v[c].s) goto oom;
        } else if (vals[c].type == RP_INGEST_VAL_TEXT || vals[c].type == RP_INGEST_VAL_RAW) {
            v[c].s = rp_arena_memdup(&r->rows_arena, vals[c].s ? vals[c].s : "", vals[c].n);
            if (!v[c].s) goto oom;
        }
    }
    r->rows[r->nrows++] = v;
    return RP_OK;
oom:
    return rp_fail(eb, RP_ENOMEM, "ingest: out of memory copying a row");
}

/* Opens r->files[r->next_file++] when it is the wanted format. *opened false: skipped (other
 * format or unreadable, already reported). */
static rp_err open_next(struct rp_ingest_reader *r, bool *opened)
{
    *opened = false;
    const char *path = r->files[r->next_file++];
    struct rp_errbuf eb = {0};
    const char *head = NULL;
    size_t hn = 0;
    rp_err e = rp_ingest_input_open(path, &r->in, &eb);
    if (e == RP_OK) {
        r->st.files_opened++;
        e = rp_ingest_input_head(r->in, &head, &hn, &eb);
    }
    if (e == RP_ENOMEM) return e;
    if (e) {
        warn(r, true, "%s", eb.msg);
        close_file(r);
        return RP_OK;
    }
    if (hn == 0) {
        close_file(r);
        return RP_OK; /* empty: nothing to read (ingest records it as unknown) */
    }
    const struct rp_ingest_source *best = rp_ingest_source_sniff(rp_ingest_sources, head, hn, path);
    if (best != r->src) {
        if (!best) warn(r, true, "'%s': no known format, not read", path);
        r->st.files_other += best != NULL;
        close_file(r);
        return RP_OK;
    }
    if ((e = rp_ingest_framer_new(r->in, r->src->framing, r->src->containers, &r->fr))) return e;
    if (!(r->state = calloc(1, r->src->state_size ? r->src->state_size : 1))) return RP_ENOMEM;
    r->path = path;
    rp_ingest_key_parse(path, strlen(path), false, &r->key);
    r->cx.src = r->src;
    r->cx.path = path;
    r->cx.layout = &r->key.l;
    r->cx.arena = &r->scratch;
    r->cx.sink = sink;
    r->cx.sink_arg = r;
    if (r->src->file_begin && (e = r->src->file_begin(&r->cx, r->state, &eb))) {
        if (e == RP_ENOMEM) return e;
        warn(r, true, "'%s': %s", path, eb.msg);
        close_file(r);
        return RP_OK;
    }
    *opened = true;
    return RP_OK;
}

/* Reads frames until the current record gave rows, or the file ended (closed). */
static rp_err read_record(struct rp_ingest_reader *r)
{
    for (;;) {
        struct rp_ingest_frame f;
        struct rp_errbuf eb = {0};
        rp_err e = rp_ingest_framer_next(r->fr, &f, &eb);
        if (e == RP_ENOMEM) return e;
        if (e) {
            warn(r, true, "'%s': %s", r->path, eb.msg);
            close_file(r);
            return RP_OK;
        }
        if (f.kind == RP_INGEST_FRAME_END) {
            close_file(r);
            return RP_OK;
        }
        if (f.kind == RP_INGEST_FRAME_BAD) {
            warn(r, true, "'%s' line %" PRIu64 " (byte %" PRIu64 "): %s", r->path, f.line, f.offset,
                 f.reason);
            continue;
        }
        r->st.records++;
        struct rp_ingest_rec rec = {
            .p = f.p, .n = f.n, .offset = f.offset, .line = f.line, .ordinal = f.ordinal};
        if (r->src->framing == RP_INGEST_FRAME_JSON) {
            if (!r->jp && !(r->jp = rp_json_parser_new())) return RP_ENOMEM;
            e = rp_json_parse_padded(r->jp, f.p, f.n, &rec.json, &eb);
            if (e == RP_ENOMEM) return e;
            if (e) {
                warn(r, true, "'%s' line %" PRIu64 " (byte %" PRIu64 "): %s", r->path, f.line,
                     f.offset, eb.msg);
                continue;
            }
        }
        r->cx.rec = &rec;
        r->rec_offset = f.offset;
        r->nrows = r->row_pos = 0;
        rp_arena_reset(&r->rows_arena);
        e = r->src->record(&r->cx, r->state, &rec, &eb);
        rp_arena_reset(&r->scratch);
        r->cx.rec = NULL;
        if (e == RP_ENOMEM) return e;
        if (e == RP_EPARSE) {
            r->nrows = 0;
            warn(r, true, "'%s' line %" PRIu64 " (byte %" PRIu64 "): %s", r->path, f.line, f.offset,
                 eb.msg);
            continue;
        }
        if (e) {
            r->nrows = 0;
            warn(r, true, "'%s': %s", r->path, eb.msg);
            close_file(r);
            return RP_OK;
        }
        if (r->nrows) return RP_OK;
    }
}

rp_err rp_ingest_reader_next(struct rp_ingest_reader *r, const struct rp_ingest_val **vals,
                             struct rp_errbuf *eb)
{
    *vals = NULL;
    if (!r->listed) {
        r->listed = true;
        rp_err e = rp_walk_run(r->o.paths, r->o.npaths, NULL, visit, r, eb);
        if (e) return e;
        if (r->list_err) {
            *eb = r->list_eb;
            return r->list_err;
        }
    }
    for (;;) {
        if (r->row_pos < r->nrows) {
            *vals = r->rows[r->row_pos++];
            return RP_OK;
        }
        r->nrows = r->row_pos = 0;
        if (r->fr) {
            rp_err e = read_record(r);
            if (e) return rp_fail(eb, e, "ingest: out of memory reading '%s'", r->path);
            continue;
        }
        if (r->next_file >= r->nfiles) return RP_OK;
        bool opened = false;
        rp_err e = open_next(r, &opened);
        if (e) return rp_fail(eb, e, "ingest: out of memory opening a file");
    }
}

void rp_ingest_reader_position(const struct rp_ingest_reader *r, uint64_t *offset,
                               size_t *row_in_record)
{
    *offset = r->rec_offset;
    *row_in_record = r->row_pos ? r->row_pos - 1 : 0;
}

const char *rp_ingest_reader_file(const struct rp_ingest_reader *r)
{
    return r->path;
}

const struct rp_ingest_layout *rp_ingest_reader_layout(const struct rp_ingest_reader *r)
{
    return &r->key.l;
}

void rp_ingest_reader_stats(const struct rp_ingest_reader *r, struct rp_ingest_reader_stats *out)
{
    *out = r->st;
    if (r->in) out->bytes_in += (int64_t)rp_ingest_input_bytes_in(r->in) - r->in_counted;
}
