/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper for ingest formats: feeds records to a format's record() without the runner
 * and renders every emitted row as one text line, so tests compare exact rows:
 *
 *   cloudtrail_events eventid=e1 eventtime_ms=1700000000000 readonly=1 awsregion=NULL
 *
 * (table name, then col=value for every column in order; NULL for a NULL value; RAW columns
 * are left out; text is written as is). Rejected records are rendered as
 *
 *   REJECT ordinal=3 line=4 offset=120: <reason>
 *
 * Framing here is deliberately simple (the runner's own framing has its own tests): FRAME_LINES
 * splits on '\n'; FRAME_JSON parses the whole text with rp_json, unwraps a container key, and
 * otherwise treats the text as JSON Lines. Header-only; include it in one test file. */
#ifndef RP_INGEST_TEST_SINK_H
#define RP_INGEST_TEST_SINK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "ingest/ingest_source.h"

struct rp_test_sink {
    struct rp_buf out; /* rendered rows and rejects, one per line */
    size_t rows;
    size_t rejects;
};

static inline rp_err rp_test_sink_row(struct rp_ingest_ctx *cx, unsigned table,
                                      const struct rp_ingest_val *vals, struct rp_errbuf *eb)
{
    struct rp_test_sink *ts = cx->sink_arg;
    const struct rp_ingest_table *t = &cx->src->tables[table];
    (void)eb;
    if (table >= cx->src->ntables) return RP_EINVAL;
    if (rp_buf_append_str(&ts->out, t->name)) return RP_ENOMEM;
    for (size_t i = 0; i < t->ncols; i++) {
        const struct rp_ingest_val *v = &vals[i];
        if (t->cols[i].type == RP_INGEST_COL_RAW) continue;
        if (rp_buf_printf(&ts->out, " %s=", t->cols[i].name)) return RP_ENOMEM;
        rp_err e = RP_OK;
        switch (v->type) {
        case RP_INGEST_VAL_NULL:
            e = rp_buf_append_str(&ts->out, "NULL");
            break;
        case RP_INGEST_VAL_INT:
            e = rp_buf_printf(&ts->out, "%" PRId64, v->i);
            break;
        case RP_INGEST_VAL_REAL:
            e = rp_buf_printf(&ts->out, "%.17g", v->d);
            break;
        case RP_INGEST_VAL_TEXT:
        case RP_INGEST_VAL_RAW:
            e = rp_buf_append(&ts->out, v->s, v->n);
            break;
        }
        if (e) return e;
    }
    if (rp_buf_putc(&ts->out, '\n')) return RP_ENOMEM;
    ts->rows++;
    return RP_OK;
}

static inline void rp_test_sink_init(struct rp_test_sink *ts)
{
    memset(ts, 0, sizeof *ts);
    rp_buf_init(&ts->out, 64u << 20);
}

static inline void rp_test_sink_release(struct rp_test_sink *ts)
{
    rp_buf_release(&ts->out);
}

/* The rendered text so far ("" when empty). */
static inline const char *rp_test_sink_text(struct rp_test_sink *ts)
{
    return rp_buf_cstr(&ts->out);
}

struct rp_test_feed {
    const struct rp_ingest_source *src;
    struct rp_ingest_layout layout; /* zeroed = nothing known from the path */
    const char *path;               /* default "test-input" */
    void *state;
    struct rp_arena arena;
    struct rp_ingest_ctx cx;
    uint64_t ordinal;
};

static inline rp_err rp_test_feed_one(struct rp_test_feed *f, struct rp_test_sink *ts,
                                      const char *p, size_t n, uint64_t offset, uint64_t line,
                                      struct rp_json_val json)
{
    struct rp_ingest_rec rec = {
        .p = p, .n = n, .offset = offset, .line = line, .ordinal = f->ordinal++, .json = json};
    struct rp_errbuf eb = {0};
    size_t mark = ts->out.len, rows = ts->rows;
    f->cx.rec = &rec;
    rp_err e = f->src->record(&f->cx, f->state, &rec, &eb);
    rp_arena_reset(&f->arena);
    if (e == RP_EPARSE) {
        rp_buf_truncate(&ts->out, mark); /* a rejected record's rows are dropped */
        ts->rows = rows;
        ts->rejects++;
        if (rp_buf_printf(&ts->out,
                          "REJECT ordinal=%" PRIu64 " line=%" PRIu64 " offset=%" PRIu64 ": %s\n",
                          rec.ordinal, line, offset, eb.msg))
            return RP_ENOMEM;
        return RP_OK;
    }
    return e;
}

/* Feed text to src (framed as described at the top) and render into ts. layout may be NULL.
 * Returns the first non-EPARSE error of record() or file_begin(), else RP_OK. */
static inline rp_err rp_test_feed(const struct rp_ingest_source *src,
                                  const struct rp_ingest_layout *layout, const char *text,
                                  size_t len, struct rp_test_sink *ts)
{
    struct rp_test_feed f = {.src = src, .path = "test-input"};
    struct rp_errbuf eb = {0};
    rp_err e = RP_OK;
    if (layout)
        f.layout = *layout;
    else
        f.layout.day_ms = -1;
    f.state = calloc(1, src->state_size ? src->state_size : 1);
    rp_arena_init(&f.arena, 0);
    f.cx = (struct rp_ingest_ctx){.src = src,
                                  .path = f.path,
                                  .layout = &f.layout,
                                  .arena = &f.arena,
                                  .sink = rp_test_sink_row,
                                  .sink_arg = ts};
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!f.state || !jp) {
        e = RP_ENOMEM;
        goto out;
    }
    if (src->file_begin && (e = src->file_begin(&f.cx, f.state, &eb)) != RP_OK) goto out;
    if (src->framing == RP_INGEST_FRAME_LINES) {
        size_t pos = 0;
        uint64_t line = 0;
        while (pos < len && !e) {
            const char *nl = memchr(text + pos, '\n', len - pos);
            size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
            line++;
            if (n && text[pos + n - 1] == '\r') n--;
            if (n) e = rp_test_feed_one(&f, ts, text + pos, n, pos, line, (struct rp_json_val){0});
            pos = end + 1;
        }
        goto out;
    }
    /* FRAME_JSON: a whole document with a container key, else JSON Lines. */
    struct rp_json_val root, arr;
    bool unwrapped = false;
    if (rp_json_parse(jp, text, len, &root, &eb) == RP_OK && rp_json_type(root) == RP_JSON_OBJECT &&
        src->containers) {
        for (const char *const *k = src->containers; *k && !unwrapped; k++) {
            struct rp_json_iter it;
            struct rp_json_val el;
            if (rp_json_obj_get(root, *k, &arr) != RP_OK || rp_json_arr_iter(arr, &it) != RP_OK)
                continue;
            unwrapped = true;
            while (!e && rp_json_arr_next(&it, &el)) {
                struct rp_buf one;
                rp_buf_init(&one, 64u << 20);
                if (rp_json_serialize(el, &one) != RP_OK) {
                    e = RP_ENOMEM;
                    rp_buf_release(&one);
                    break;
                }
                /* re-parse the element alone so record() sees a document of its own, as
                 * with the runner's framing */
                struct rp_json_parser *ep = rp_json_parser_new();
                struct rp_json_val ev;
                if (!ep || rp_json_parse_buf(ep, &one, &ev, &eb) != RP_OK)
                    e = RP_ENOMEM;
                else
                    e = rp_test_feed_one(&f, ts, one.data, one.len, 0, 0, ev);
                rp_json_parser_free(ep);
                rp_buf_release(&one);
            }
        }
    }
    if (!unwrapped && !e) {
        struct rp_json_lines jl;
        rp_json_lines_init(&jl, text, len, false);
        for (;;) {
            rp_err pe = rp_json_lines_next(&jl, jp, &root, &eb);
            if (pe == RP_ENOENT) break;
            if (pe == RP_OK) {
                size_t n = jl.pos - jl.line_start;
                while (n &&
                       (text[jl.line_start + n - 1] == '\n' || text[jl.line_start + n - 1] == '\r'))
                    n--;
                e = rp_test_feed_one(&f, ts, text + jl.line_start, n, jl.line_start, jl.lineno,
                                     root);
                if (e) break;
            } else if (pe == RP_EPARSE || pe == RP_ELIMIT) {
                ts->rejects++;
                if (rp_buf_printf(&ts->out, "REJECT ordinal=%" PRIu64 " line=%zu: not JSON: %s\n",
                                  f.ordinal++, jl.lineno, eb.msg)) {
                    e = RP_ENOMEM;
                    break;
                }
            } else {
                e = pe;
                break;
            }
        }
    }
out:
    rp_json_parser_free(f.cx.jp);
    rp_json_parser_free(jp);
    rp_arena_release(&f.arena);
    free(f.state);
    return e;
}

#endif
