/* SPDX-License-Identifier: Apache-2.0 */
/* bench_ingest_parse: the parse-only path of `rampart ingest`, for bench/ingest.sh.
 *
 *     bench_ingest_parse FORMAT FILE...
 *
 * Runs exactly what one ingest parser thread runs for each file — decode (gzip), frame
 * (streaming JSON splitter or lines), simdjson parse of each record, and the format's record()
 * turning it into rows — but hands the rows to a sink that only counts them and sums their
 * text bytes, instead of the store. One thread, so it compares with one jq process. Prints
 * "records=N rows=R rejects=J bytes=B seconds=S" on stdout. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rp_arena.h"
#include "core/rp_json.h"
#include "ingest/ingest_frame.h"
#include "ingest/ingest_source.h"

struct counts {
    uint64_t rows, bytes;
};

static rp_err count_row(struct rp_ingest_ctx *cx, unsigned table, const struct rp_ingest_val *vals,
                        struct rp_errbuf *eb)
{
    struct counts *c = cx->sink_arg;
    (void)eb;
    const struct rp_ingest_table *t = &cx->src->tables[table];
    for (size_t i = 0; i < t->ncols; i++) c->bytes += vals[i].n;
    c->rows++;
    return RP_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_ingest_parse FORMAT FILE...\n");
        return 2;
    }
    const struct rp_ingest_source *src = rp_ingest_source_find(argv[1]);
    if (!src) {
        fprintf(stderr, "bench_ingest_parse: unknown format '%s'\n", argv[1]);
        return 2;
    }
    struct rp_json_parser *jp = rp_json_parser_new();
    void *state = malloc(src->state_size ? src->state_size : 1);
    struct rp_arena arena;
    rp_arena_init(&arena, 0);
    struct counts c = {0, 0};
    uint64_t records = 0, rejects = 0;
    struct rp_ingest_layout layout = {.day_ms = -1};
    double t0 = now_s();
    for (int i = 2; i < argc; i++) {
        struct rp_errbuf eb = {0};
        struct rp_ingest_input *in = NULL;
        struct rp_ingest_framer *fr = NULL;
        if (rp_ingest_input_open(argv[i], &in, &eb) ||
            rp_ingest_framer_new(in, src->framing, src->containers, &fr)) {
            fprintf(stderr, "bench_ingest_parse: %s: %s\n", argv[i], eb.msg);
            return 1;
        }
        memset(state, 0, src->state_size ? src->state_size : 1);
        struct rp_ingest_ctx cx = {.src = src,
                                   .path = argv[i],
                                   .layout = &layout,
                                   .arena = &arena,
                                   .sink = count_row,
                                   .sink_arg = &c};
        if (src->file_begin && src->file_begin(&cx, state, &eb)) return 1;
        for (;;) {
            struct rp_ingest_frame f;
            if (rp_ingest_framer_next(fr, &f, &eb)) {
                fprintf(stderr, "bench_ingest_parse: %s: %s\n", argv[i], eb.msg);
                return 1;
            }
            if (f.kind == RP_INGEST_FRAME_END) break;
            if (f.kind == RP_INGEST_FRAME_BAD) {
                rejects++;
                continue;
            }
            struct rp_ingest_rec rec = {
                .p = f.p, .n = f.n, .offset = f.offset, .line = f.line, .ordinal = f.ordinal};
            if (src->framing == RP_INGEST_FRAME_JSON &&
                rp_json_parse_padded(jp, f.p, f.n, &rec.json, &eb) != RP_OK) {
                rejects++;
                continue;
            }
            cx.rec = &rec;
            rp_err e = src->record(&cx, state, &rec, &eb);
            rp_arena_reset(&arena);
            if (e == RP_EPARSE)
                rejects++;
            else if (e)
                return 1;
            else
                records++;
        }
        rp_json_parser_free(cx.jp);
        rp_ingest_framer_free(fr);
        rp_ingest_input_free(in);
    }
    double t1 = now_s();
    printf("records=%" PRIu64 " rows=%" PRIu64 " rejects=%" PRIu64 " bytes=%" PRIu64
           " seconds=%.3f\n",
           records, c.rows, rejects, c.bytes, t1 - t0);
    rp_arena_release(&arena);
    free(state);
    rp_json_parser_free(jp);
    return 0;
}
