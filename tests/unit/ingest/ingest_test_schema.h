/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper for ingest formats: checks a format's table descriptors against the store
 * schema its migration creates, by inserting rows the way the runner does. Opens an in-memory
 * store (every embedded migration applied), then
 *   rp_test_schema_check(st, src)        every table has exactly the descriptor's columns;
 *   rp_test_schema_feed(st, src, text)   feeds text through src->record() (FRAME_LINES: one
 *                                        record per line; FRAME_JSON: JSON Lines) and inserts
 *                                        each row with "INSERT OR IGNORE INTO t(cols)
 *                                        VALUES(?1..)" (or the table's insert_sql), binding the
 *                                        record's bytes to RAW columns left NULL.
 * Rejected records are counted, not inserted. Header-only; include it in one test file. */
#ifndef RP_INGEST_TEST_SCHEMA_H
#define RP_INGEST_TEST_SCHEMA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "ingest/ingest_source.h"
#include "store/store.h"

struct rp_test_schema_counts {
    size_t rows;     /* rows inserted */
    size_t ignored;  /* rows the table already had (INSERT OR IGNORE changed nothing) */
    size_t rejected; /* records record() rejected (RP_EPARSE) */
};

struct rp_test_schema_sink {
    struct rp_store *st;
    const struct rp_ingest_rec *rec;
    struct rp_test_schema_counts *n;
};

static inline rp_err rp_test_schema_insert_sql(const struct rp_ingest_table *t, struct rp_buf *b)
{
    if (t->insert_sql) return rp_buf_append_str(b, t->insert_sql);
    rp_err e = rp_buf_printf(b, "INSERT OR IGNORE INTO %s(", t->name);
    for (size_t i = 0; !e && i < t->ncols; i++)
        e = rp_buf_printf(b, "%s%s", i ? "," : "", t->cols[i].name);
    if (!e) e = rp_buf_append_str(b, ") VALUES(");
    for (size_t i = 0; !e && i < t->ncols; i++) e = rp_buf_printf(b, "%s?%zu", i ? "," : "", i + 1);
    if (!e) e = rp_buf_putc(b, ')');
    return e;
}

static inline rp_err rp_test_schema_row(struct rp_ingest_ctx *cx, unsigned table,
                                        const struct rp_ingest_val *vals, struct rp_errbuf *eb)
{
    struct rp_test_schema_sink *sk = cx->sink_arg;
    const struct rp_ingest_table *t = &cx->src->tables[table];
    struct rp_store_stmt *s = NULL;
    struct rp_buf sql;
    rp_buf_init(&sql, 1u << 20);
    rp_err e = rp_test_schema_insert_sql(t, &sql);
    if (!e) e = rp_store_stmt_prepare(sk->st, sql.data, &s, eb);
    rp_buf_release(&sql);
    for (size_t i = 0; !e && i < t->ncols; i++) {
        const struct rp_ingest_val *v = &vals[i];
        int idx = (int)i + 1;
        if (t->cols[i].type == RP_INGEST_COL_RAW && v->type == RP_INGEST_VAL_NULL)
            e = rp_store_stmt_bind_blob(s, idx, sk->rec->p, sk->rec->n, eb);
        else if (v->type == RP_INGEST_VAL_NULL)
            e = rp_store_stmt_bind_null(s, idx, eb);
        else if (v->type == RP_INGEST_VAL_INT)
            e = rp_store_stmt_bind_int64(s, idx, v->i, eb);
        else if (v->type == RP_INGEST_VAL_REAL)
            e = rp_store_stmt_bind_double(s, idx, v->d, eb);
        else if (v->type == RP_INGEST_VAL_RAW)
            e = rp_store_stmt_bind_blob(s, idx, v->s, v->n, eb);
        else
            e = rp_store_stmt_bind_text(s, idx, v->s, v->n, eb);
    }
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e) {
        if (rp_store_changes(sk->st) == 1)
            sk->n->rows++;
        else
            sk->n->ignored++;
    }
    return e;
}

/* Every table of src exists with exactly its descriptor's columns (names, in any order).
 * Returns the number of mismatches found (0 = good) and prints each to stderr. */
static inline int rp_test_schema_check(struct rp_store *st, const struct rp_ingest_source *src)
{
    int bad = 0;
    for (size_t t = 0; t < src->ntables; t++) {
        const struct rp_ingest_table *tb = &src->tables[t];
        struct rp_store_stmt *s = NULL;
        struct rp_errbuf eb = {0};
        bool row = false;
        if (rp_store_stmt_prepare(st, "SELECT count(*) FROM pragma_table_info(?1)", &s, &eb) ||
            rp_store_stmt_bind_cstr(s, 1, tb->name, &eb) || rp_store_stmt_step(s, &row, &eb) ||
            !row) {
            fprintf(stderr, "schema: %s: %s\n", tb->name, eb.msg);
            bad++;
            continue;
        }
        int64_t n = rp_store_stmt_column_int64(s, 0);
        rp_store_stmt_reset(s);
        if (n != (int64_t)tb->ncols) {
            fprintf(stderr, "schema: %s has %lld columns, descriptor %zu\n", tb->name, (long long)n,
                    tb->ncols);
            bad++;
        }
        for (size_t i = 0; i < tb->ncols; i++) {
            if (rp_store_stmt_prepare(
                    st, "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2", &s, &eb) ||
                rp_store_stmt_bind_cstr(s, 1, tb->name, &eb) ||
                rp_store_stmt_bind_cstr(s, 2, tb->cols[i].name, &eb) ||
                rp_store_stmt_step(s, &row, &eb) || !row || rp_store_stmt_column_int64(s, 0) != 1) {
                fprintf(stderr, "schema: %s has no column '%s'\n", tb->name, tb->cols[i].name);
                bad++;
            }
            rp_store_stmt_reset(s);
        }
    }
    return bad;
}

/* Feed text through src into st (see the top of this file). Returns the first error other
 * than a rejected record. */
static inline rp_err rp_test_schema_feed(struct rp_store *st, const struct rp_ingest_source *src,
                                         const struct rp_ingest_layout *layout, const char *text,
                                         size_t len, struct rp_test_schema_counts *n)
{
    struct rp_ingest_layout lay = {.day_ms = -1};
    struct rp_arena arena;
    struct rp_test_schema_sink sk = {.st = st, .n = n};
    struct rp_errbuf eb = {0};
    rp_err e = RP_OK;
    if (layout) lay = *layout;
    void *state = calloc(1, src->state_size ? src->state_size : 1);
    struct rp_json_parser *jp = rp_json_parser_new();
    rp_arena_init(&arena, 0);
    struct rp_ingest_ctx cx = {.src = src,
                               .path = "test-input",
                               .layout = &lay,
                               .arena = &arena,
                               .sink = rp_test_schema_row,
                               .sink_arg = &sk};
    if (!state || !jp) e = RP_ENOMEM;
    if (!e && src->file_begin) e = src->file_begin(&cx, state, &eb);
    size_t pos = 0;
    uint64_t line = 0, ord = 0;
    while (!e && pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, m = end - pos;
        line++;
        if (m && text[pos + m - 1] == '\r') m--;
        struct rp_ingest_rec rec = {.p = text + pos, .n = m, .offset = pos, .line = line};
        pos = end + 1;
        if (!m) continue;
        if (src->framing == RP_INGEST_FRAME_JSON &&
            rp_json_parse(jp, rec.p, rec.n, &rec.json, &eb) != RP_OK) {
            n->rejected++;
            continue;
        }
        rec.ordinal = ord++;
        cx.rec = &rec;
        sk.rec = &rec;
        e = src->record(&cx, state, &rec, &eb);
        rp_arena_reset(&arena);
        if (e == RP_EPARSE) {
            n->rejected++;
            e = RP_OK;
        }
    }
    if (e) fprintf(stderr, "schema feed: %s\n", eb.msg);
    rp_json_parser_free(cx.jp);
    rp_json_parser_free(jp);
    rp_arena_release(&arena);
    free(state);
    return e;
}

#endif
