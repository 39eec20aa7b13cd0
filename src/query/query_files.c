/* SPDX-License-Identifier: Apache-2.0 */
/* The raw-file connectors' engine (query_files.h): cloudtrail_files('dir'), vpc_flow_files,
 * r53_resolver_files, k8s_audit_files and config_files read log files in place through
 * rp_ingest_reader, with the columns of the store table their format fills, so a query gives
 * the same answer over files as over the ingested table.
 *
 * Columns: the store table's, in its order (its zstd rp_raw column becomes a hidden rp_raw
 * holding the record's text), then the hidden _path (the argument: a file or directory),
 * _file (the file a row came from) and the S3 key's partition values _account, _region and
 * _date ('YYYY/MM/DD'; NULL when the key does not say).
 *
 * Pushdown (partition pruning): '=' / IN on _account and _region, '=' / IN / ranges on _date
 * skip files and whole directories whose key rules them out, without opening them; ranges on
 * rp_time_ms, on the record-time text column (eventTime ..) and on epoch-second columns
 * (start) skip days as `ingest --since/--until` does (a day's folder may hold the previous
 * day's late events, so one day of lag is kept). SQLite re-checks every constraint, so
 * pruning only saves work. */
#define RP_LOG_MODULE "query"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_banned.h"
#include "core/rp_hash.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "ingest/ingest.h"
#include "query/query_files.h"

enum extra_col { X_PATH, X_FILE, X_ACCOUNT, X_REGION, X_DATE, X_COUNT };
static const char *const extra_names[X_COUNT] = {"_path", "_file", "_account", "_region", "_date"};

/* The connector's columns, built at connect (ti->priv). */
struct files_tab {
    const struct rp_query_files_spec *spec;
    size_t ningest;            /* store-table columns, without the RAW one */
    int raw_src;               /* the format's RAW column, or -1 */
    int *src;                  /* per query column < ningest: the format's column index */
    int col_time_ms;           /* rp_time_ms, or -1 */
    int col_time_text;         /* spec->time_text, or -1 */
    int col_time_secs;         /* spec->time_secs, or -1 */
    struct rp_query_col *cols; /* ningest + X_COUNT */
};

struct files_cur {
    struct rp_ingest_reader *rd;
    const struct rp_ingest_val *row;
    struct rp_arena a;                     /* the scan's strings (accounts, regions, path) */
    struct rp_ingest_reader_stats counted; /* already added to ti->stats */
    const char *path;
};

rp_err rp_query_files_connect(struct rp_query_tabinfo *ti, const struct rp_query_files_spec *spec,
                              int argc, const char *const *argv, struct rp_errbuf *eb)
{
    (void)argv;
    if (argc > 0)
        return rp_fail(eb, RP_EINVAL, "%s: use it as a table-valued function: %s('dir')",
                       ti->t->name, ti->t->name);
    const struct rp_ingest_col *ic = NULL;
    size_t n = 0;
    int tcol = -1;
    if (rp_ingest_table_columns(spec->format, NULL, &ic, &n, &tcol))
        return rp_fail(eb, RP_EINTERNAL, "%s: no ingest format '%s'", ti->t->name, spec->format);
    struct files_tab *ft = calloc(1, sizeof *ft);
    struct rp_query_col *cols = calloc(n + X_COUNT + 1, sizeof *cols);
    if (!ft || !cols) {
        free(ft);
        free(cols);
        return RP_ENOMEM;
    }
    ft->spec = spec;
    ft->raw_src = -1;
    ft->col_time_ms = ft->col_time_text = ft->col_time_secs = -1;
    if (!(ft->src = calloc(n + 1, sizeof *ft->src))) {
        free(ft);
        free(cols);
        return RP_ENOMEM;
    }
    /* the visible columns in the store's order; the hidden ones after them, arguments first
     * (a table-valued function's arguments bind to hidden columns in declaration order) */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ic[i].type == RP_INGEST_COL_RAW) {
            ft->raw_src = (int)i;
            continue;
        }
        cols[k].name = ic[i].name;
        switch (ic[i].type) {
        case RP_INGEST_COL_INT:
            cols[k].type = RP_QCOL_INT;
            break;
        case RP_INGEST_COL_REAL:
            cols[k].type = RP_QCOL_REAL;
            break;
        case RP_INGEST_COL_JSON:
            cols[k].type = RP_QCOL_JSON;
            break;
        default:
            cols[k].type = RP_QCOL_TEXT;
            break;
        }
        if ((int)i == tcol) {
            ft->col_time_ms = (int)k;
            cols[k].flags |= RP_QCOL_INDEXED;
        }
        if (spec->time_text && strcmp(ic[i].name, spec->time_text) == 0) {
            ft->col_time_text = (int)k;
            cols[k].flags |= RP_QCOL_INDEXED;
        }
        if (spec->time_secs && strcmp(ic[i].name, spec->time_secs) == 0) {
            ft->col_time_secs = (int)k;
            cols[k].flags |= RP_QCOL_INDEXED;
        }
        ft->src[k++] = (int)i;
    }
    ft->ningest = k;
    for (size_t x = 0; x < X_COUNT; x++) {
        cols[k + x].name = extra_names[x];
        cols[k + x].type = RP_QCOL_TEXT;
        cols[k + x].flags = x == X_PATH ? RP_QCOL_REQUIRED : RP_QCOL_HIDDEN | RP_QCOL_INDEXED;
    }
    cols[k + X_FILE].flags = RP_QCOL_HIDDEN;
    size_t total = k + X_COUNT;
    if (ft->raw_src >= 0) {
        cols[total].name = ic[ft->raw_src].name;
        cols[total].type = RP_QCOL_TEXT;
        cols[total].flags = RP_QCOL_HIDDEN;
        total++;
    }
    ft->cols = cols;
    ti->priv = ft;
    ti->cols = cols;
    ti->ncols = total;
    return RP_OK;
}

void rp_query_files_disconnect(struct rp_query_tabinfo *ti)
{
    struct files_tab *ft = ti->priv;
    if (!ft) return;
    free(ft->cols);
    free(ft->src);
    free(ft);
    ti->priv = NULL;
}

double rp_query_files_estimate(const struct rp_query_tabinfo *ti, uint64_t eq, uint64_t range)
{
    const struct files_tab *ft = ti->priv;
    double rows = 1e7;
    size_t base = ft->ningest;
    if (eq & (1ull << (base + X_ACCOUNT))) rows /= 4;
    if (eq & (1ull << (base + X_REGION))) rows /= 8;
    if ((eq | range) & (1ull << (base + X_DATE))) rows /= 30;
    const int tcols[3] = {ft->col_time_ms, ft->col_time_text, ft->col_time_secs};
    for (size_t i = 0; i < 3; i++)
        if (tcols[i] >= 0 && tcols[i] < 64 && ((eq | range) & (1ull << tcols[i]))) rows /= 10;
    return rows;
}

static struct files_cur *cur_of(struct rp_query_cur *cur)
{
    return *(struct files_cur **)cur->state;
}

/* Adds what the reader counted since the last call to the session's counters. */
static void account_stats(struct rp_query_cur *cur)
{
    struct files_cur *fc = cur_of(cur);
    if (!fc || !fc->rd) return;
    struct rp_ingest_reader_stats now;
    rp_ingest_reader_stats(fc->rd, &now);
    struct rp_query_stats *s = cur->ti->stats;
    s->files_opened += now.files_opened - fc->counted.files_opened;
    s->files_pruned += now.files_pruned - fc->counted.files_pruned;
    s->dirs_pruned += now.dirs_pruned - fc->counted.dirs_pruned;
    s->bytes_scanned += now.bytes_in - fc->counted.bytes_in;
    fc->counted = now;
}

static void end_scan(struct rp_query_cur *cur)
{
    struct files_cur *fc = cur_of(cur);
    if (!fc) return;
    account_stats(cur);
    rp_ingest_reader_free(fc->rd);
    fc->rd = NULL;
    fc->row = NULL;
    memset(&fc->counted, 0, sizeof fc->counted);
    rp_arena_reset(&fc->a);
}

void rp_query_files_close(struct rp_query_cur *cur)
{
    struct files_cur *fc = cur_of(cur);
    if (!fc) return;
    end_scan(cur);
    rp_arena_release(&fc->a);
    free(fc);
    *(struct files_cur **)cur->state = NULL;
}

static void reader_warn(void *ctx, bool rejected, const char *msg)
{
    struct rp_query_cur *cur = ctx;
    rp_query_warn(cur->ti, rejected, "%s: %s", cur->ti->t->name, msg);
}

/* A time bound from a constraint value: [*lo_ms, *hi_ms) brackets the instants of the records
** the constraint can select. INT columns hold exact instants (rp_time_ms in ms, epoch seconds).
** Text columns hold times as delivered, in UTC with 'Z', compared as text: a record whose text
** is >= or < a bound has a date >= or <= the bound's first ten characters, so only that date
** is used (any zone in the bound is ignored, as the text compare ignores it). false when the
** value says nothing usable. */
static bool value_ms(sqlite3_value *v, int kind, int64_t *lo_ms, int64_t *hi_ms)
{
    if (kind == 0 || kind == 2) { /* rp_time_ms, epoch seconds */
        int t = sqlite3_value_numeric_type(v);
        if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return false;
        double d = sqlite3_value_double(v);
        if (kind == 2) d *= 1000.0;
        if (d < -9e15 || d > 9e15) return false;
        *lo_ms = (int64_t)d - 1000;
        *hi_ms = (int64_t)d + 1000;
        return true;
    }
    if (sqlite3_value_type(v) != SQLITE_TEXT || sqlite3_value_bytes(v) < 10) return false;
    int64_t ms = 0;
    struct rp_errbuf eb;
    if (rp_time_parse_iso(((struct rp_str){(const char *)sqlite3_value_text(v), 10}), &ms, &eb))
        return false;
    *lo_ms = ms;
    *hi_ms = ms + 86400000LL;
    return true;
}

/* 'YYYY/MM/DD' (or YYYY-MM-DD) -> midnight ms. */
static bool date_ms(sqlite3_value *v, int64_t *out)
{
    if (sqlite3_value_type(v) != SQLITE_TEXT || sqlite3_value_bytes(v) != 10) return false;
    char buf[11];
    memcpy(buf, sqlite3_value_text(v), 10);
    buf[10] = 0;
    if (buf[4] == '/' && buf[7] == '/') buf[4] = buf[7] = '-';
    struct rp_errbuf eb;
    return rp_time_parse_iso(((struct rp_str){buf, 10}), out, &eb) == RP_OK;
}

static rp_err add_str(struct files_cur *fc, const char ***list, size_t *n, size_t *cap,
                      sqlite3_value *v)
{
    if (sqlite3_value_type(v) == SQLITE_NULL) return RP_OK;
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        const char **nl = rp_arena_alloc(&fc->a, nc * sizeof *nl);
        if (!nl) return RP_ENOMEM;
        if (*n) memcpy(nl, *list, *n * sizeof *nl);
        *list = nl;
        *cap = nc;
    }
    const char *s = rp_arena_strdup(&fc->a, (const char *)sqlite3_value_text(v));
    if (!s) return RP_ENOMEM;
    (*list)[(*n)++] = s;
    return RP_OK;
}

rp_err rp_query_files_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons,
                             size_t ncons, struct rp_errbuf *eb)
{
    const struct files_tab *ft = cur->ti->priv;
    struct files_cur *fc = cur_of(cur);
    if (!fc) {
        if (!(fc = calloc(1, sizeof *fc))) return RP_ENOMEM;
        rp_arena_init(&fc->a, 0);
        *(struct files_cur **)cur->state = fc;
    }
    end_scan(cur);

    struct rp_ingest_reader_opts o;
    rp_ingest_reader_opts_init(&o);
    o.format = ft->spec->format;
    size_t acap = 0, rcap = 0;
    const char **accounts = NULL, **regions = NULL;
    size_t nacc = 0, nreg = 0;
    bool acc_seen = false, reg_seen = false;
    const int64_t *day_list = NULL;
    int base = (int)ft->ningest;
    for (size_t i = 0; i < ncons; i++) {
        const struct rp_query_cons *c = &cons[i];
        if (c->col == base + X_PATH) {
            if (sqlite3_value_type(c->vals[0]) != SQLITE_TEXT)
                return rp_fail(eb, RP_EINVAL, "%s: the path argument must be text",
                               cur->ti->t->name);
            if (!(fc->path = rp_arena_strdup(&fc->a, (const char *)sqlite3_value_text(c->vals[0]))))
                return RP_ENOMEM;
        } else if ((c->col == base + X_ACCOUNT || c->col == base + X_REGION) &&
                   c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            bool acc = c->col == base + X_ACCOUNT;
            if (acc ? acc_seen : reg_seen) continue; /* a second list: keep the first */
            if (acc)
                acc_seen = true;
            else
                reg_seen = true;
            for (size_t k = 0; k < c->nvals; k++) {
                rp_err e = acc ? add_str(fc, &accounts, &nacc, &acap, c->vals[k])
                               : add_str(fc, &regions, &nreg, &rcap, c->vals[k]);
                if (e) return e;
            }
            if ((acc ? nacc : nreg) == 0) { /* = NULL or IN (NULL): nothing can match */
                cur->eof = true;
                return RP_OK;
            }
        } else if (c->col == base + X_DATE) {
            int64_t lo = INT64_MAX, hi = INT64_MIN, d = 0;
            size_t ndays = 0;
            int64_t *days = c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->nvals > 1 && !day_list
                                ? rp_arena_alloc(&fc->a, c->nvals * sizeof *days)
                                : NULL;
            bool all = true; /* every value of the list is a date */
            for (size_t k = 0; k < c->nvals; k++) {
                if (!date_ms(c->vals[k], &d)) {
                    all = false;
                    continue;
                }
                if (d < lo) lo = d;
                if (d > hi) hi = d;
                if (days) days[ndays++] = d;
            }
            if (lo == INT64_MAX) continue; /* not a date: SQLite compares as text */
            switch (c->op) {
            case SQLITE_INDEX_CONSTRAINT_EQ:
                if (!all) break; /* a value that is not a date may still match as text */
                if (lo > o.day_min_ms) o.day_min_ms = lo;
                if (hi < o.day_max_ms) o.day_max_ms = hi;
                if (days) {
                    day_list = days;
                    o.days = days;
                    o.ndays = ndays;
                }
                break;
            case SQLITE_INDEX_CONSTRAINT_GT:
                lo += 86400000LL; /* fall through */
            case SQLITE_INDEX_CONSTRAINT_GE:
                if (lo > o.day_min_ms) o.day_min_ms = lo;
                break;
            case SQLITE_INDEX_CONSTRAINT_LT:
                hi -= 86400000LL; /* fall through */
            default:
                if (hi < o.day_max_ms) o.day_max_ms = hi;
                break;
            }
        } else if (c->col == ft->col_time_ms || c->col == ft->col_time_text ||
                   c->col == ft->col_time_secs) {
            int kind = c->col == ft->col_time_ms ? 0 : c->col == ft->col_time_text ? 1 : 2;
            if (c->nvals != 1) continue;
            int64_t lo = 0, hi = 0;
            if (!value_ms(c->vals[0], kind, &lo, &hi)) continue;
            if (c->op == SQLITE_INDEX_CONSTRAINT_EQ || c->op == SQLITE_INDEX_CONSTRAINT_GT ||
                c->op == SQLITE_INDEX_CONSTRAINT_GE)
                if (lo > o.since_ms) o.since_ms = lo;
            if (c->op == SQLITE_INDEX_CONSTRAINT_EQ || c->op == SQLITE_INDEX_CONSTRAINT_LT ||
                c->op == SQLITE_INDEX_CONSTRAINT_LE)
                if (hi < o.until_ms) o.until_ms = hi;
        }
    }
    if (!fc->path)
        return rp_fail(eb, RP_EINVAL, "%s: argument '_path' is required", cur->ti->t->name);
    if (o.day_min_ms > o.day_max_ms || o.since_ms >= o.until_ms) {
        cur->eof = true;
        return RP_OK;
    }
    o.paths = &fc->path;
    o.npaths = 1;
    o.accounts = accounts;
    o.naccounts = nacc;
    o.regions = regions;
    o.nregions = nreg;
    o.warn = reader_warn;
    o.warn_ctx = cur;
    rp_err e = rp_ingest_reader_new(&o, &fc->rd, eb);
    if (e) return e;
    return rp_query_files_next(cur, eb);
}

rp_err rp_query_files_next(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct files_cur *fc = cur_of(cur);
    if (!fc || !fc->rd) {
        cur->eof = true;
        return RP_OK;
    }
    rp_err e = rp_ingest_reader_next(fc->rd, &fc->row, eb);
    if (e) return e;
    if (!fc->row) {
        account_stats(cur);
        cur->eof = true;
        return RP_OK;
    }
    /* a rowid that is the same in every scan (SQLite merges the scans of an OR by rowid):
     * the file, the record's offset in it and the row's index in the record */
    const char *file = rp_ingest_reader_file(fc->rd);
    uint64_t off = 0;
    size_t idx = 0;
    rp_ingest_reader_position(fc->rd, &off, &idx);
    uint64_t h = rp_hash_combine(rp_hash_xxh3_64(file, strlen(file), 0), off * 64 + idx);
    cur->rowid = (int64_t)(h >> 1);
    return RP_OK;
}

static void result_slice(sqlite3_context *ctx, struct rp_str s)
{
    if (s.p)
        sqlite3_result_text(ctx, s.p, (int)s.len, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

rp_err rp_query_files_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                             struct rp_errbuf *eb)
{
    (void)eb;
    const struct files_tab *ft = cur->ti->priv;
    struct files_cur *fc = cur_of(cur);
    if (!fc || !fc->row) {
        sqlite3_result_null(ctx);
        return RP_OK;
    }
    int src = -1;
    if (col >= 0 && (size_t)col < ft->ningest)
        src = ft->src[col];
    else if (col == (int)ft->ningest + X_COUNT)
        src = ft->raw_src;
    if (src >= 0) {
        const struct rp_ingest_val *v = &fc->row[src];
        switch (v->type) {
        case RP_INGEST_VAL_NULL:
            sqlite3_result_null(ctx);
            break;
        case RP_INGEST_VAL_INT:
            sqlite3_result_int64(ctx, v->i);
            break;
        case RP_INGEST_VAL_REAL:
            sqlite3_result_double(ctx, v->d);
            break;
        case RP_INGEST_VAL_TEXT:
        case RP_INGEST_VAL_RAW:
            sqlite3_result_text(ctx, v->s ? v->s : "", (int)v->n, SQLITE_TRANSIENT);
            break;
        }
        return RP_OK;
    }
    const struct rp_ingest_layout *l = rp_ingest_reader_layout(fc->rd);
    switch (col - (int)ft->ningest) {
    case X_PATH:
        sqlite3_result_text(ctx, fc->path, -1, SQLITE_TRANSIENT);
        break;
    case X_FILE: {
        const char *f = rp_ingest_reader_file(fc->rd);
        if (f)
            sqlite3_result_text(ctx, f, -1, SQLITE_TRANSIENT);
        else
            sqlite3_result_null(ctx);
        break;
    }
    case X_ACCOUNT:
        result_slice(ctx, l->account);
        break;
    case X_REGION:
        result_slice(ctx, l->region);
        break;
    case X_DATE: {
        struct rp_time_civil c;
        if (l->day_ms < 0 || rp_time_to_civil(l->day_ms, &c)) {
            sqlite3_result_null(ctx);
            break;
        }
        char buf[16];
        snprintf(buf, sizeof buf, "%04d/%02d/%02d", c.year, c.month, c.day);
        sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
        break;
    }
    default:
        sqlite3_result_null(ctx);
        break;
    }
    return RP_OK;
}
