/* SPDX-License-Identifier: Apache-2.0 */
/* Result writer shared by all verbs (see cmd.h): rows are collected, then rendered once as an
 * aligned text table, a JSON array of objects (through the core JSON writer) or RFC 4180 CSV.
 * Collecting first is what lets the table align its columns; verbs that stream millions of
 * rows will get a streaming mode when they need one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_banned.h"

struct rp_out {
    const struct rp_cmd_ctx *ctx;
    const struct rp_out_col *cols;
    size_t ncols;
    struct rp_arena arena; /* row cells */
    const char ***rows;    /* rows[i][c], NULL cell = null */
    size_t nrows, caprows;
};

struct rp_out *rp_out_new(const struct rp_cmd_ctx *ctx, const struct rp_out_col *cols, size_t ncols)
{
    struct rp_out *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->ctx = ctx;
    o->cols = cols;
    o->ncols = ncols;
    rp_arena_init(&o->arena, 0);
    return o;
}

void rp_out_free(struct rp_out *o)
{
    if (!o) return;
    rp_arena_release(&o->arena);
    free(o->rows);
    free(o);
}

rp_err rp_out_row(struct rp_out *o, const char *const *vals)
{
    if (o->nrows == o->caprows) {
        size_t cap = o->caprows ? o->caprows * 2 : 16;
        const char ***r = realloc(o->rows, cap * sizeof *r);
        if (!r) return RP_ENOMEM;
        o->rows = r;
        o->caprows = cap;
    }
    const char **row = rp_arena_alloc(&o->arena, o->ncols * sizeof *row);
    if (!row) return RP_ENOMEM;
    for (size_t c = 0; c < o->ncols; c++) {
        row[c] = NULL;
        if (vals[c] && !(row[c] = rp_arena_strdup(&o->arena, vals[c]))) return RP_ENOMEM;
    }
    o->rows[o->nrows++] = row;
    return RP_OK;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* Text cells print control characters as '?' so a value cannot move the terminal cursor. */
static void put_cell(FILE *f, const char *s, size_t pad)
{
    for (; *s; s++) fputc(((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s, f);
    for (size_t i = 0; i < pad; i++) fputc(' ', f);
}

static rp_err flush_table(struct rp_out *o, FILE *f)
{
    size_t *w = calloc(o->ncols, sizeof *w);
    if (!w) return RP_ENOMEM;
    for (size_t c = 0; c < o->ncols; c++) w[c] = width(o->cols[c].name);
    for (size_t r = 0; r < o->nrows; r++)
        for (size_t c = 0; c < o->ncols; c++) {
            size_t x = width(o->rows[r][c] ? o->rows[r][c] : "-");
            if (x > w[c]) w[c] = x;
        }
    for (size_t c = 0; c < o->ncols; c++) {
        bool last = c + 1 == o->ncols;
        put_cell(f, o->cols[c].name, last ? 0 : w[c] - width(o->cols[c].name) + 2);
    }
    fputc('\n', f);
    for (size_t r = 0; r < o->nrows; r++) {
        for (size_t c = 0; c < o->ncols; c++) {
            const char *v = o->rows[r][c] ? o->rows[r][c] : "-";
            bool last = c + 1 == o->ncols;
            size_t pad = last ? 0 : w[c] - width(v) + 2;
            if (o->cols[c].flags & RP_OUT_COL_NUM && !last) {
                /* numbers align right */
                for (size_t i = 0; i < w[c] - width(v); i++) fputc(' ', f);
                put_cell(f, v, 2);
            } else {
                put_cell(f, v, pad);
            }
        }
        fputc('\n', f);
    }
    free(w);
    return RP_OK;
}

static rp_err flush_json(struct rp_out *o, FILE *f)
{
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    for (size_t r = 0; r < o->nrows; r++) {
        rp_json_write_obj_begin(&w);
        for (size_t c = 0; c < o->ncols; c++) {
            const char *v = o->rows[r][c];
            rp_json_write_key(&w, o->cols[c].name, strlen(o->cols[c].name));
            if (!v)
                rp_json_write_null(&w);
            else if (o->cols[c].flags & (RP_OUT_COL_NUM | RP_OUT_COL_JSON))
                rp_json_write_raw(&w, v, strlen(v));
            else
                rp_json_write_str(&w, v, strlen(v));
        }
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (!e) {
        fwrite(b.data, 1, b.len, f);
        fputc('\n', f);
    }
    rp_buf_release(&b);
    return e;
}

static void csv_cell(FILE *f, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static rp_err flush_csv(struct rp_out *o, FILE *f)
{
    for (size_t c = 0; c < o->ncols; c++) {
        if (c) fputc(',', f);
        csv_cell(f, o->cols[c].name);
    }
    fputs("\r\n", f);
    for (size_t r = 0; r < o->nrows; r++) {
        for (size_t c = 0; c < o->ncols; c++) {
            if (c) fputc(',', f);
            csv_cell(f, o->rows[r][c]);
        }
        fputs("\r\n", f);
    }
    return RP_OK;
}

rp_err rp_out_flush(struct rp_out *o)
{
    FILE *f = o->ctx->out;
    rp_err e;
    switch (o->ctx->format) {
    case RP_OUT_JSON:
        e = flush_json(o, f);
        break;
    case RP_OUT_CSV:
        e = flush_csv(o, f);
        break;
    default:
        e = flush_table(o, f);
        break;
    }
    if (!e && ferror(f)) e = RP_EIO;
    return e;
}
