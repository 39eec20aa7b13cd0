/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for every built-in ingest format (ingest_builtin.def). The first byte picks
 * the format; the rest is a file's decoded content. It runs what an ingest parser thread runs
 * — probe() on the head, the format's framing, simdjson for JSON formats, then record() — with
 * a sink that checks each row (value types match the column types, TEXT values lie in memory
 * that can be read) and drops it. Any crash, sanitizer report or invariant break is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_json.h"
#include "ingest/ingest_frame.h"
#include "ingest/ingest_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink_byte;

static rp_err check_row(struct rp_ingest_ctx *cx, unsigned table, const struct rp_ingest_val *vals,
                        struct rp_errbuf *eb)
{
    (void)eb;
    if (table >= cx->src->ntables) abort();
    const struct rp_ingest_table *t = &cx->src->tables[table];
    for (size_t i = 0; i < t->ncols; i++) {
        const struct rp_ingest_val *v = &vals[i];
        switch (v->type) {
        case RP_INGEST_VAL_NULL:
        case RP_INGEST_VAL_INT:
        case RP_INGEST_VAL_REAL:
            break;
        case RP_INGEST_VAL_TEXT:
        case RP_INGEST_VAL_RAW:
            if (v->n && !v->s) abort();
            if (v->n) sink_byte ^= (uint8_t)(v->s[0] ^ v->s[v->n - 1]); /* ASan checks both */
            break;
        default:
            abort();
        }
        if (v->type == RP_INGEST_VAL_RAW && t->cols[i].type != RP_INGEST_COL_RAW) abort();
    }
    return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nsrc = 0;
    while (rp_ingest_sources[nsrc]) nsrc++;
    if (size < 1 || nsrc == 0) return 0;
    const struct rp_ingest_source *src = rp_ingest_sources[data[0] % nsrc];
    data++;
    size--;

    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    struct rp_json_parser *jp = rp_json_parser_new();
    void *state = calloc(1, src->state_size ? src->state_size : 1);
    struct rp_arena arena;
    rp_arena_init(&arena, 0);
    struct rp_ingest_layout layout = {.day_ms = -1};
    struct rp_ingest_ctx cx = {
        .src = src, .path = "fuzz", .layout = &layout, .arena = &arena, .sink = check_row};
    if (!jp || !state) goto out;
    if (rp_ingest_input_open_mem(data, size, "fuzz", &in, &eb) != RP_OK) goto out;
    const char *head;
    size_t headn;
    if (rp_ingest_input_head(in, &head, &headn, &eb) == RP_OK) {
        for (size_t i = 0; i < nsrc; i++) {
            int score = rp_ingest_sources[i]->probe(head, headn, "AWSLogs/x");
            if (score < 0 || score > 100) abort();
        }
    }
    if (rp_ingest_framer_new(in, src->framing, src->containers, &fr) != RP_OK) goto out;
    if (src->file_begin && src->file_begin(&cx, state, &eb) != RP_OK) goto out;
    for (;;) {
        struct rp_ingest_frame f;
        if (rp_ingest_framer_next(fr, &f, &eb) != RP_OK) break;
        if (f.kind == RP_INGEST_FRAME_END) break;
        if (f.kind == RP_INGEST_FRAME_BAD) continue;
        struct rp_ingest_rec rec = {
            .p = f.p, .n = f.n, .offset = f.offset, .line = f.line, .ordinal = f.ordinal};
        if (src->framing == RP_INGEST_FRAME_JSON &&
            rp_json_parse_padded(jp, f.p, f.n, &rec.json, &eb) != RP_OK)
            continue;
        cx.rec = &rec;
        rp_err e = src->record(&cx, state, &rec, &eb);
        rp_arena_reset(&arena);
        if (e != RP_OK && e != RP_EPARSE && e != RP_ENOMEM && e != RP_ELIMIT) abort();
    }
out:
    rp_json_parser_free(cx.jp);
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);
    rp_arena_release(&arena);
    free(state);
    rp_json_parser_free(jp);
    return 0;
}
