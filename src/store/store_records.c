/* SPDX-License-Identifier: Apache-2.0 */
/* store_records: the tables every capability shares, rejects and ingest checkpoints
 * (DESIGN.md §4), written only against the generic statement API of store.h, so they work
 * unchanged on any backend. Statements are prepared through the per-store cache, so calling
 * these once per record costs one hash lookup, not a parse. The schema is
 * data/schemas/store/0001_base.sql. */
#define RP_LOG_MODULE "store"

#include <string.h>
#include <time.h>

#include "store/store.h"
#include "core/rp_banned.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- rejects --------------------------------------------------------------------------- */

#define REJECT_COLS                                                                                \
    "id, time_ms, source, format, byte_offset, line, reason, raw, orig_len, truncated"

rp_err rp_store_reject_add(struct rp_store *st, const struct rp_store_reject *r, int64_t *id,
                           struct rp_errbuf *eb)
{
    if (!r->source || !r->reason || (r->raw_n && !r->raw))
        return rp_fail(eb, RP_EINVAL, "store: cannot add a reject to '%s': missing %s",
                       rp_store_path(st),
                       !r->source   ? "source"
                       : !r->reason ? "reason"
                                    : "raw bytes");
    size_t keep = r->raw_n < RP_MAX_REJECT_BYTES ? r->raw_n : RP_MAX_REJECT_BYTES;
    uint64_t orig = r->orig_len > r->raw_n ? r->orig_len : r->raw_n;
    if (orig > INT64_MAX) orig = INT64_MAX;
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(st,
                                     "INSERT INTO rejects (time_ms, source, format, byte_offset,"
                                     " line, reason, raw, orig_len, truncated)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                     &s, eb);
    if (e) return e;
    if ((e = rp_store_stmt_bind_int64(s, 1, r->time_ms ? r->time_ms : now_ms(), eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 2, r->source, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 3, r->format, eb)) ||
        (e = r->offset >= 0 ? rp_store_stmt_bind_int64(s, 4, r->offset, eb)
                            : rp_store_stmt_bind_null(s, 4, eb)) ||
        (e = r->line > 0 ? rp_store_stmt_bind_int64(s, 5, r->line, eb)
                         : rp_store_stmt_bind_null(s, 5, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 6, r->reason, eb)) ||
        (e = rp_store_stmt_bind_blob(s, 7, r->raw, keep, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 8, (int64_t)orig, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 9, keep < orig, eb))) {
        rp_store_stmt_reset(s);
        return e;
    }
    bool row;
    e = rp_store_stmt_step(s, &row, eb);
    rp_store_stmt_reset(s); /* drop the copy of up to RP_MAX_REJECT_BYTES */
    if (!e && id) *id = rp_store_last_insert_id(st);
    return e;
}

rp_err rp_store_reject_list(struct rp_store *st, const struct rp_store_reject_filter *f,
                            rp_store_reject_fn fn, void *ctx, struct rp_errbuf *eb)
{
    static const struct rp_store_reject_filter all = {0};
    if (!f) f = &all;
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(
        st,
        f->source ? "SELECT " REJECT_COLS " FROM rejects WHERE source = ?3 AND id > ?1"
                    " ORDER BY id LIMIT ?2"
                  : "SELECT " REJECT_COLS " FROM rejects WHERE id > ?1 ORDER BY id LIMIT ?2",
        &s, eb);
    if (e) return e;
    int64_t limit = f->limit && f->limit <= INT64_MAX ? (int64_t)f->limit : -1;
    if ((e = rp_store_stmt_bind_int64(s, 1, f->after_id, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 2, limit, eb)) ||
        (f->source && (e = rp_store_stmt_bind_cstr(s, 3, f->source, eb)))) {
        rp_store_stmt_reset(s);
        return e;
    }
    for (;;) {
        bool row;
        e = rp_store_stmt_step(s, &row, eb);
        if (e || !row) break;
        struct rp_store_reject r = {
            .id = rp_store_stmt_column_int64(s, 0),
            .time_ms = rp_store_stmt_column_int64(s, 1),
            .source = rp_store_stmt_column_text(s, 2, NULL),
            .format = rp_store_stmt_column_text(s, 3, NULL),
            .offset = rp_store_stmt_column_type(s, 4) == RP_STORE_NULL
                          ? -1
                          : rp_store_stmt_column_int64(s, 4),
            .line = rp_store_stmt_column_int64(s, 5),
            .reason = rp_store_stmt_column_text(s, 6, NULL),
            .orig_len = (uint64_t)rp_store_stmt_column_int64(s, 8),
            .truncated = rp_store_stmt_column_int64(s, 9) != 0,
        };
        r.raw = rp_store_stmt_column_blob(s, 7, &r.raw_n);
        if (!r.source || !r.reason || (!r.raw && r.raw_n)) {
            e = rp_fail(eb, RP_ENOMEM, "store: cannot list rejects of '%s': out of memory",
                        rp_store_path(st));
            break;
        }
        e = fn(&r, ctx);
        if (e) break;
    }
    rp_store_stmt_reset(s);
    return e;
}

rp_err rp_store_reject_count(struct rp_store *st, const char *source, int64_t *n,
                             struct rp_errbuf *eb)
{
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(st,
                                     source ? "SELECT count(*) FROM rejects WHERE source = ?1"
                                            : "SELECT count(*) FROM rejects",
                                     &s, eb);
    if (e) return e;
    if (source && (e = rp_store_stmt_bind_cstr(s, 1, source, eb))) return e;
    bool row;
    e = rp_store_stmt_step(s, &row, eb);
    if (!e) *n = row ? rp_store_stmt_column_int64(s, 0) : 0;
    rp_store_stmt_reset(s);
    return e;
}

rp_err rp_store_reject_delete(struct rp_store *st, const char *source, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(
        st, source ? "DELETE FROM rejects WHERE source = ?1" : "DELETE FROM rejects", &s, eb);
    if (e) return e;
    if (source && (e = rp_store_stmt_bind_cstr(s, 1, source, eb))) return e;
    bool row;
    e = rp_store_stmt_step(s, &row, eb);
    rp_store_stmt_reset(s);
    return e;
}

/* ---- ingest checkpoints ---------------------------------------------------------------- */

rp_err rp_store_checkpoint_put(struct rp_store *st, const struct rp_store_checkpoint *cp,
                               struct rp_errbuf *eb)
{
    if (!cp->path)
        return rp_fail(eb, RP_EINVAL, "store: cannot put a checkpoint in '%s': missing path",
                       rp_store_path(st));
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(
        st,
        "INSERT INTO ingest_checkpoints (path, size, mtime_ns, hash, etag, format, bytes_done,"
        " records_done, records_rejected, completed, first_ms, updated_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
        " ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,"
        " hash = excluded.hash, etag = excluded.etag, format = excluded.format,"
        " bytes_done = excluded.bytes_done, records_done = excluded.records_done,"
        " records_rejected = excluded.records_rejected, completed = excluded.completed,"
        " updated_ms = excluded.updated_ms",
        &s, eb);
    if (e) return e;
    if ((e = rp_store_stmt_bind_cstr(s, 1, cp->path, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 2, cp->size, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 3, cp->mtime_ns, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 4, cp->hash, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 5, cp->etag, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 6, cp->format, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 7, cp->bytes_done, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 8, cp->records_done, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 9, cp->records_rejected, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 10, cp->completed, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 11, cp->updated_ms ? cp->updated_ms : now_ms(), eb))) {
        rp_store_stmt_reset(s);
        return e;
    }
    bool row;
    e = rp_store_stmt_step(s, &row, eb);
    rp_store_stmt_reset(s);
    return e;
}

/* Copy of the text in column col into a, or NULL for SQL NULL. */
static rp_err dup_col(struct rp_arena *a, struct rp_store_stmt *s, int col, const char **out)
{
    *out = NULL;
    if (rp_store_stmt_column_type(s, col) == RP_STORE_NULL) return RP_OK;
    size_t len;
    const char *t = rp_store_stmt_column_text(s, col, &len);
    if (!t || !(*out = rp_arena_memdup(a, t, len))) return RP_ENOMEM;
    return RP_OK;
}

rp_err rp_store_checkpoint_get(struct rp_arena *a, struct rp_store *st, const char *path,
                               struct rp_store_checkpoint *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT path, size, mtime_ns, hash, etag, format, bytes_done, records_done,"
        " records_rejected, completed, first_ms, updated_ms"
        " FROM ingest_checkpoints WHERE path = ?1",
        &s, eb);
    if (e) return e;
    if ((e = rp_store_stmt_bind_cstr(s, 1, path, eb))) return e;
    bool row;
    e = rp_store_stmt_step(s, &row, eb);
    if (e) return e;
    if (!row) return rp_fail(eb, RP_ENOENT, "store: no checkpoint for '%s'", path);
    out->size = rp_store_stmt_column_int64(s, 1);
    out->mtime_ns = rp_store_stmt_column_int64(s, 2);
    out->bytes_done = rp_store_stmt_column_int64(s, 6);
    out->records_done = rp_store_stmt_column_int64(s, 7);
    out->records_rejected = rp_store_stmt_column_int64(s, 8);
    out->completed = rp_store_stmt_column_int64(s, 9) != 0;
    out->first_ms = rp_store_stmt_column_int64(s, 10);
    out->updated_ms = rp_store_stmt_column_int64(s, 11);
    if (dup_col(a, s, 0, &out->path) || dup_col(a, s, 3, &out->hash) ||
        dup_col(a, s, 4, &out->etag) || dup_col(a, s, 5, &out->format))
        e = rp_fail(eb, RP_ENOMEM, "store: cannot read the checkpoint of '%s': out of memory",
                    path);
    rp_store_stmt_reset(s);
    return e;
}

rp_err rp_store_checkpoint_delete(struct rp_store *st, const char *path, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(st, "DELETE FROM ingest_checkpoints WHERE path = ?1", &s, eb);
    if (e) return e;
    if ((e = rp_store_stmt_bind_cstr(s, 1, path, eb))) return e;
    bool row;
    e = rp_store_stmt_step(s, &row, eb);
    rp_store_stmt_reset(s);
    return e;
}
