/* SPDX-License-Identifier: Apache-2.0 */
/* CloudTrail LookupEvents over the store (see ingest_ct_lookup.h): builds one SELECT over
 * cloudtrail_logs from the filters that are set (every value is a bound parameter; only the
 * shape of the WHERE clause varies, so the statement cache holds at most a few texts), walks
 * it newest first, fetches each event's resources from cloudtrail_resources and, when asked,
 * decodes rp_raw (zstd, as the ingest runner stores it) back into the original record.
 * `rampart events` (src/cmd/cmd_events.c) is the only user today. */
#define RP_LOG_MODULE "ingest"

#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_limits.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "core/rp_banned.h"

static const char *const attr_names[RP_CT_ATTR_COUNT] = {
    [RP_CT_ATTR_EVENT_ID] = "EventId",           [RP_CT_ATTR_EVENT_NAME] = "EventName",
    [RP_CT_ATTR_READ_ONLY] = "ReadOnly",         [RP_CT_ATTR_USERNAME] = "Username",
    [RP_CT_ATTR_RESOURCE_TYPE] = "ResourceType", [RP_CT_ATTR_RESOURCE_NAME] = "ResourceName",
    [RP_CT_ATTR_EVENT_SOURCE] = "EventSource",   [RP_CT_ATTR_ACCESS_KEY_ID] = "AccessKeyId",
};

const char *rp_ct_attr_name(enum rp_ct_attr a)
{
    return (unsigned)a < RP_CT_ATTR_COUNT ? attr_names[a] : NULL;
}

enum rp_ct_attr rp_ct_attr_find(struct rp_str name)
{
    for (unsigned a = 0; a < RP_CT_ATTR_COUNT; a++)
        if (rp_str_eq_cstr(name, attr_names[a])) return (enum rp_ct_attr)a;
    return RP_CT_ATTR_COUNT;
}

rp_err rp_ct_category_parse(struct rp_str s, unsigned *out, struct rp_errbuf *eb)
{
    static const struct {
        const char *word;
        unsigned bits;
    } words[] = {
        {"management", RP_CT_CAT_MANAGEMENT}, {"data", RP_CT_CAT_DATA},
        {"insight", RP_CT_CAT_INSIGHT},       {"networkactivity", RP_CT_CAT_NETWORK},
        {"network", RP_CT_CAT_NETWORK},       {"all", RP_CT_CAT_ALL},
    };
    struct rp_str rest = s, tok;
    unsigned bits = 0;
    while (rp_str_split_next(&rest, ',', &tok)) {
        struct rp_str w = rp_str_trim(tok);
        size_t i = 0;
        for (; i < RP_ARRAY_LEN(words); i++)
            if (rp_str_eq_nocase(w, rp_str_from(words[i].word))) break;
        if (i == RP_ARRAY_LEN(words))
            return rp_fail(eb, RP_EPARSE,
                           "unknown category '%.*s' (management, data, insight, "
                           "networkactivity or all)",
                           (int)(w.len > 64 ? 64 : w.len), w.p ? w.p : "");
        bits |= words[i].bits;
    }
    *out = bits;
    return RP_OK;
}

void rp_ct_lookup_init(struct rp_ct_lookup *q)
{
    memset(q, 0, sizeof *q);
    q->start_ms = INT64_MIN;
    q->end_ms = INT64_MAX;
}

/* ---- rp_raw ------------------------------------------------------------------------------ */

#define ZSTD_MAGIC "\x28\xb5\x2f\xfd"

static rp_err raw_decode(ZSTD_DCtx *dc, const void *p, size_t n, struct rp_buf *out,
                         struct rp_errbuf *eb)
{
    if (n < 4 || memcmp(p, ZSTD_MAGIC, 4) != 0) {
        rp_err e = rp_buf_append(out, p, n);
        return e ? rp_fail(eb, e, "cloudtrail: record too large") : RP_OK;
    }
    size_t start = out->len;
    ZSTD_inBuffer in = {p, n, 0};
    ZSTD_DCtx_reset(dc, ZSTD_reset_session_only);
    for (;;) {
        size_t room = ZSTD_DStreamOutSize();
        if (out->len - start + room > RP_MAX_RECORD_BYTES)
            room = RP_MAX_RECORD_BYTES - (out->len - start);
        if (room == 0) {
            rp_buf_truncate(out, start);
            return rp_fail(eb, RP_ELIMIT, "cloudtrail: stored record larger than %u bytes",
                           (unsigned)RP_MAX_RECORD_BYTES);
        }
        rp_err e = rp_buf_reserve(out, room);
        if (e) {
            rp_buf_truncate(out, start);
            return rp_fail(eb, e, "cloudtrail: stored record too large");
        }
        ZSTD_outBuffer ob = {out->data + out->len, room, 0};
        size_t r = ZSTD_decompressStream(dc, &ob, &in);
        if (ZSTD_isError(r)) {
            rp_buf_truncate(out, start);
            return rp_fail(eb, RP_EPARSE, "cloudtrail: stored record is damaged: %s",
                           ZSTD_getErrorName(r));
        }
        rp_buf_commit(out, ob.pos);
        if (r == 0 && in.pos == in.size) return RP_OK;
        if (in.pos == in.size && ob.pos < room) {
            rp_buf_truncate(out, start);
            return rp_fail(eb, RP_EPARSE, "cloudtrail: stored record is truncated");
        }
    }
}

rp_err rp_ingest_ct_raw_decode(const void *p, size_t n, struct rp_buf *out, struct rp_errbuf *eb)
{
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    if (!dc) return RP_ENOMEM;
    rp_err e = raw_decode(dc, p, n, out, eb);
    ZSTD_freeDCtx(dc);
    return e;
}

/* Drop whitespace outside strings, in place (records from pretty-printed files keep their
 * indentation in rp_raw; AWS hands CloudTrailEvent out compact). */
static size_t minify_inplace(char *p, size_t n)
{
    size_t k = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            p[k++] = c;
            if (c == '\\' && i + 1 < n)
                p[k++] = p[++i];
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
            p[k++] = c;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            p[k++] = c;
        }
    }
    return k;
}

/* ---- the query --------------------------------------------------------------------------- */

/* Parameters: ?1 start, ?2 end, ?3..?6 categories, ?7.. one per attribute (in enum order),
 * then the limit. */
#define P_START 1
#define P_END   2
#define P_CAT   3
#define P_ATTR  7
#define P_LIMIT (P_ATTR + RP_CT_ATTR_COUNT)

static const char *const cat_names[] = {"Management", "Data", "Insight", "NetworkActivity"};

static rp_err build_sql(const struct rp_ct_lookup *q, struct rp_buf *sql)
{
    static const char *const col_of[RP_CT_ATTR_COUNT] = {
        [RP_CT_ATTR_EVENT_ID] = "l.eventID",
        [RP_CT_ATTR_EVENT_NAME] = "l.eventName",
        [RP_CT_ATTR_READ_ONLY] = "l.readOnly",
        [RP_CT_ATTR_USERNAME] = "l.rp_user_name",
        [RP_CT_ATTR_EVENT_SOURCE] = "l.eventSource",
        [RP_CT_ATTR_ACCESS_KEY_ID] = "l.rp_access_key_id",
    };
    rp_err e = rp_buf_printf(sql,
                             "SELECT l.eventID, l.eventName, l.eventSource, l.eventTime, "
                             "l.rp_time_ms, l.rp_category, l.rp_user_name, l.rp_access_key_id, "
                             "l.readOnly, %s FROM cloudtrail_logs l WHERE l.rp_time_ms >= ?%d "
                             "AND l.rp_time_ms <= ?%d AND l.rp_category IN (?%d, ?%d, ?%d, ?%d)",
                             q->want_raw ? "l.rp_raw" : "NULL", P_START, P_END, P_CAT, P_CAT + 1,
                             P_CAT + 2, P_CAT + 3);
    for (unsigned a = 0; !e && a < RP_CT_ATTR_COUNT; a++)
        if (q->attrs[a] && col_of[a])
            e = rp_buf_printf(sql, " AND %s = ?%u", col_of[a], P_ATTR + a);
    const char *rtype = q->attrs[RP_CT_ATTR_RESOURCE_TYPE],
               *rname = q->attrs[RP_CT_ATTR_RESOURCE_NAME];
    if (!e && (rtype || rname)) {
        /* driven from cloudtrail_resources' indexes, then eventID's unique index */
        e = rp_buf_append_str(sql, " AND l.eventID IN (SELECT r.eventID FROM cloudtrail_resources "
                                   "r WHERE 1");
        if (!e && rtype)
            e = rp_buf_printf(sql, " AND r.type = ?%d", P_ATTR + RP_CT_ATTR_RESOURCE_TYPE);
        if (!e && rname)
            e = rp_buf_printf(sql, " AND (r.rp_name = ?%d OR r.ARN = ?%d)",
                              P_ATTR + RP_CT_ATTR_RESOURCE_NAME, P_ATTR + RP_CT_ATTR_RESOURCE_NAME);
        if (!e) e = rp_buf_putc(sql, ')');
    }
    if (!e)
        e = rp_buf_printf(sql, " ORDER BY l.rp_time_ms DESC, l.eventID DESC LIMIT ?%d", P_LIMIT);
    return e;
}

static rp_err bind_all(struct rp_store_stmt *s, const struct rp_ct_lookup *q, struct rp_errbuf *eb)
{
    unsigned cats = q->categories ? q->categories : RP_CT_CAT_MANAGEMENT;
    rp_err e = rp_store_stmt_bind_int64(s, P_START, q->start_ms, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, P_END, q->end_ms, eb);
    for (unsigned c = 0; !e && c < RP_ARRAY_LEN(cat_names); c++)
        e = cats & (1u << c) ? rp_store_stmt_bind_cstr(s, P_CAT + (int)c, cat_names[c], eb)
                             : rp_store_stmt_bind_null(s, P_CAT + (int)c, eb);
    for (unsigned a = 0; !e && a < RP_CT_ATTR_COUNT; a++) {
        const char *v = q->attrs[a];
        if (!v) continue;
        if (a == RP_CT_ATTR_READ_ONLY)
            e = rp_store_stmt_bind_int64(s, P_ATTR + (int)a, strcmp(v, "true") == 0, eb);
        else
            e = rp_store_stmt_bind_cstr(s, P_ATTR + (int)a, v, eb);
    }
    if (!e)
        e = rp_store_stmt_bind_int64(
            s, P_LIMIT, q->max_results && q->max_results < INT64_MAX ? (int64_t)q->max_results : -1,
            eb);
    return e;
}

/* The resources of event_id into ev, copied into a. */
static rp_err load_resources(struct rp_store *st, struct rp_arena *a, const char *event_id,
                             struct rp_ct_event *ev, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    size_t cap = 0;
    struct rp_ct_resource *res = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(
        st, "SELECT type, rp_name, ARN FROM cloudtrail_resources WHERE eventID = ?1 ORDER BY idx",
        &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, event_id, eb);
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        if (ev->nresources == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            struct rp_ct_resource *n = rp_arena_alloc(a, ncap * sizeof *n);
            if (!n) {
                e = RP_ENOMEM;
                break;
            }
            if (cap) memcpy(n, res, cap * sizeof *n);
            res = n;
            cap = ncap;
        }
        struct rp_ct_resource *r = &res[ev->nresources];
        const char *cols[3];
        char *copies[3] = {NULL, NULL, NULL};
        for (int c = 0; c < 3; c++) {
            cols[c] = rp_store_stmt_column_text(s, c, NULL);
            if (cols[c] && !(copies[c] = rp_arena_strdup(a, cols[c]))) e = RP_ENOMEM;
        }
        r->type = copies[0];
        r->arn = copies[2];
        r->name = copies[1] ? copies[1] : copies[2];
        ev->nresources++;
    }
    if (e) rp_store_stmt_reset(s);
    ev->resources = res;
    return e;
}

rp_err rp_ingest_ct_lookup(struct rp_store *st, const struct rp_ct_lookup *q, rp_ct_lookup_fn fn,
                           void *ctx, struct rp_errbuf *eb)
{
    const char *ro = q->attrs[RP_CT_ATTR_READ_ONLY];
    if (ro && strcmp(ro, "true") != 0 && strcmp(ro, "false") != 0)
        return rp_fail(eb, RP_EINVAL, "ReadOnly must be 'true' or 'false', not '%s'", ro);
    if (q->start_ms > q->end_ms) return rp_fail(eb, RP_EINVAL, "start time is after end time");
    if (rp_store_schema_version(st) < 2)
        return rp_fail(eb, RP_ENOENT, "store '%s' has no CloudTrail table (schema version %d)",
                       rp_store_path(st), rp_store_schema_version(st));

    struct rp_buf sql, raw;
    struct rp_arena a;
    struct rp_store_stmt *s = NULL;
    ZSTD_DCtx *dc = NULL;
    rp_buf_init(&sql, 1u << 16);
    rp_buf_init(&raw, 0);
    rp_arena_init(&a, 0);
    rp_err e = build_sql(q, &sql);
    if (!e && q->want_raw && !(dc = ZSTD_createDCtx())) e = RP_ENOMEM;
    if (!e) e = rp_store_stmt_prepare(st, sql.data, &s, eb);
    if (!e) e = bind_all(s, q, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        struct rp_ct_event ev = {
            .event_id = rp_store_stmt_column_text(s, 0, NULL),
            .event_name = rp_store_stmt_column_text(s, 1, NULL),
            .event_source = rp_store_stmt_column_text(s, 2, NULL),
            .event_time = rp_store_stmt_column_text(s, 3, NULL),
            .time_ms = rp_store_stmt_column_int64(s, 4),
            .category = rp_store_stmt_column_text(s, 5, NULL),
            .username = rp_store_stmt_column_text(s, 6, NULL),
            .access_key_id = rp_store_stmt_column_text(s, 7, NULL),
            .read_only = rp_store_stmt_column_type(s, 8) == RP_STORE_NULL
                             ? -1
                             : rp_store_stmt_column_int64(s, 8) != 0,
        };
        rp_arena_reset(&a);
        if (ev.event_id && (e = load_resources(st, &a, ev.event_id, &ev, eb))) break;
        if (q->want_raw && rp_store_stmt_column_type(s, 9) != RP_STORE_NULL) {
            size_t n = 0;
            const void *p = rp_store_stmt_column_blob(s, 9, &n);
            rp_buf_reset(&raw);
            if ((e = raw_decode(dc, p, n, &raw, eb))) break;
            if (raw.len) rp_buf_truncate(&raw, minify_inplace(raw.data, raw.len));
            ev.raw = rp_buf_cstr(&raw);
            ev.raw_n = raw.len;
        }
        e = fn(&ev, ctx);
    }
    if (s) rp_store_stmt_reset(s);
    ZSTD_freeDCtx(dc);
    rp_arena_release(&a);
    rp_buf_release(&raw);
    rp_buf_release(&sql);
    return e;
}
