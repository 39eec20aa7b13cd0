/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the estate formats (src/ingest/ingest_estate.c "estate" and
 * src/ingest/ingest_estate_credreport.c "credreport"). The first byte picks the format and one
 * of a few paths (estate/ layout, bare file name, none); the next bytes up to a '\n' are also
 * parsed as a path by rp_ingest_estate_path; the rest is a file's decoded content, run through
 * probe(), the format's framing, simdjson and record() as an ingest parser thread would. Rows
 * are checked (value types match the column types, text is readable) and dropped; any crash,
 * sanitizer report or unexpected error code is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_json.h"
#include "ingest/ingest_estate.h"
#include "ingest/ingest_frame.h"
#include "ingest/ingest_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct rp_ingest_source rp_ingest_src_estate;
extern const struct rp_ingest_source rp_ingest_src_estate_credreport;

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
            break;
        case RP_INGEST_VAL_INT:
            if (t->cols[i].type != RP_INGEST_COL_INT) abort();
            break;
        case RP_INGEST_VAL_TEXT:
            if (t->cols[i].type != RP_INGEST_COL_TEXT && t->cols[i].type != RP_INGEST_COL_JSON)
                abort();
            if (v->n && !v->s) abort();
            if (v->n) sink_byte ^= (uint8_t)(v->s[0] ^ v->s[v->n - 1]);
            break;
        default:
            abort();
        }
    }
    return RP_OK;
}

#define SNAP "111122223333_ec2_snapshots_us-east-1_20260105T002245Z.json"
static const char *const paths[] = {
    "m/estate/111122223333/iam/2026/01/05/111122223333_iam_account-summary_20260105T002245Z.json",
    "m/estate/111122223333/iam/2026/01/05/111122223333_iam_credential-report_20260105T0022Z.csv",
    ("m/estate/111122223333/ec2/us-east-1/2026/01/05/" SNAP),
    "111122223333_iam_password-policy_20260105T002245Z.json",
    "fuzz",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const struct rp_ingest_source *src =
        (data[0] & 1) ? &rp_ingest_src_estate_credreport : &rp_ingest_src_estate;
    const char *path = paths[(data[0] >> 1) % (sizeof paths / sizeof paths[0])];
    data++;
    size--;

    /* a path from the input too */
    const uint8_t *nl = memchr(data, '\n', size < 512 ? size : 512);
    if (nl) {
        char p[513];
        size_t pn = (size_t)(nl - data);
        memcpy(p, data, pn);
        p[pn] = 0;
        struct rp_estate_path ep;
        rp_ingest_estate_path(p, &ep);
        if (ep.account[12] != 0 || ep.region[sizeof ep.region - 1] != 0) abort();
    }

    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    struct rp_json_parser *jp = rp_json_parser_new();
    void *state = calloc(1, src->state_size ? src->state_size : 1);
    struct rp_arena arena;
    rp_arena_init(&arena, 0);
    struct rp_ingest_layout layout = {.day_ms = -1};
    struct rp_ingest_ctx cx = {
        .src = src, .path = path, .layout = &layout, .arena = &arena, .sink = check_row};
    if (!jp || !state) goto out;
    if (rp_ingest_input_open_mem(data, size, path, &in, &eb) != RP_OK) goto out;
    const char *head;
    size_t headn;
    if (rp_ingest_input_head(in, &head, &headn, &eb) == RP_OK) {
        int a = rp_ingest_src_estate.probe(head, headn, path);
        int b = rp_ingest_src_estate_credreport.probe(head, headn, path);
        if (a < 0 || a > 100 || b < 0 || b > 100) abort();
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
