/* SPDX-License-Identifier: Apache-2.0 */
/* Classifying one object (a file, an S3 object) as Macie does (dataid.h): one scan of its
 * bytes with the set, each occurrence counted under its identifier and located the way Macie
 * locates occurrences in such a file: text by lineRanges (line and start column), CSV and TSV
 * by cells (row, column, the header's column name). Up to RP_DATAID_MAX_OCCURRENCES are kept
 * per identifier, as Macie reports them; the count covers all.
 *
 * Occurrences arrive in order of their start, so the locators use a cursor that moves forward
 * (it would restart from the top on a step back, which the order rules out), never a table of
 * every line. Values are
 * never kept in clear: an occurrence holds a redacted sample. */
#define RP_LOG_MODULE "dataid"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_banned.h"

#define MAX_COLUMNS 256

struct cursor {
    size_t pos;        /* bytes before pos are accounted for */
    int64_t line;      /* LINES: 1-based line at pos */
    size_t line_start; /* offset where that line starts */
    int64_t row, col;  /* CELLS: 1-based */
    bool quoted;
};

/* JSON: where the cursor is in the document, as a path. */
#define JSON_DEPTH 32
struct jframe {
    bool obj;
    bool want_key; /* obj: the next string is a key */
    int64_t index; /* array: the element's index */
    char key[64];  /* obj: the current member's key */
};

struct jcursor {
    size_t pos;
    int64_t record;
    struct jframe f[JSON_DEPTH];
    size_t depth; /* frames in use (may exceed JSON_DEPTH: deeper ones are not tracked) */
    bool in_str, esc, str_is_key;
    size_t keylen;
};

/* A pg_dump COPY block: its rows are tab-separated values of the named columns. */
#define MAX_COPY  64
#define COPY_COLS 64
struct copy_block {
    size_t start, end; /* the rows: after the COPY line, up to the "\\." line */
    char names[COPY_COLS][48];
    size_t ncols;
};

struct classify {
    const struct rp_dataid_set *s;
    const char *buf;
    size_t n;
    bool cells;
    char sep;
    struct rp_dataid_result *r;
    int *slot; /* per identifier index: its detection index + 1, 0 = none yet */
    struct cursor cur;
    bool json, lines; /* JSON document; JSON Lines (a record per line) */
    struct jcursor jc;
    char names[MAX_COLUMNS][64];
    size_t ncolumns;
    struct copy_block *copies; /* SQL dumps */
    size_t ncopies;
};

static void cursor_reset(struct cursor *c)
{
    memset(c, 0, sizeof(*c));
    c->line = 1;
    c->row = 1;
    c->col = 1;
}

/* Move the cursor to offset to (restarting when it is behind). */
static void cursor_to(struct classify *x, size_t to)
{
    struct cursor *c = &x->cur;
    if (to < c->pos) cursor_reset(c);
    for (size_t i = c->pos; i < to; i++) {
        char ch = x->buf[i];
        if (ch == '\n') {
            c->line++;
            c->line_start = i + 1;
        }
        if (!x->cells) continue;
        if (ch == '"')
            c->quoted = !c->quoted;
        else if (!c->quoted && ch == x->sep)
            c->col++;
        else if (!c->quoted && ch == '\n') {
            c->row++;
            c->col = 1;
        }
    }
    c->pos = to;
}

static void jcursor_reset(struct jcursor *j)
{
    memset(j, 0, sizeof(*j));
}

/* Move the JSON cursor to offset to (restarting when it is behind). */
static void jcursor_to(struct classify *x, size_t to)
{
    struct jcursor *j = &x->jc;
    if (to < j->pos) jcursor_reset(j);
    struct jframe *top = j->depth && j->depth <= JSON_DEPTH ? &j->f[j->depth - 1] : NULL;
    for (size_t i = j->pos; i < to; i++) {
        char c = x->buf[i];
        if (j->in_str) {
            if (j->esc) {
                j->esc = false;
            } else if (c == '\\') {
                j->esc = true;
            } else if (c == '"') {
                j->in_str = false;
                if (j->str_is_key && top) top->key[j->keylen] = 0;
                continue;
            }
            if (j->str_is_key && top && j->keylen + 1 < sizeof top->key) top->key[j->keylen++] = c;
            continue;
        }
        switch (c) {
        case '"':
            j->in_str = true;
            j->str_is_key = top && top->obj && top->want_key;
            j->keylen = 0;
            break;
        case '{':
        case '[':
            if (j->depth < JSON_DEPTH) {
                memset(&j->f[j->depth], 0, sizeof(j->f[0]));
                j->f[j->depth].obj = c == '{';
                j->f[j->depth].want_key = c == '{';
            }
            j->depth++;
            break;
        case '}':
        case ']':
            if (j->depth) j->depth--;
            break;
        case ':':
            if (top && top->obj) top->want_key = false;
            break;
        case ',':
            if (top && top->obj) top->want_key = true;
            if (top && !top->obj) top->index++;
            break;
        case '\n':
            if (x->lines && j->depth == 0) j->record++;
            break;
        default:
            break;
        }
        top = j->depth && j->depth <= JSON_DEPTH ? &j->f[j->depth - 1] : NULL;
    }
    j->pos = to;
}

static void json_path(const struct jcursor *j, char *out, size_t n)
{
    int k = snprintf(out, n, "$");
    size_t o = k > 0 ? (size_t)k : 0;
    size_t d = j->depth < JSON_DEPTH ? j->depth : JSON_DEPTH;
    for (size_t i = 0; i < d && o < n; i++) {
        const struct jframe *f = &j->f[i];
        k = f->obj ? snprintf(out + o, n - o, ".%s", f->key)
                   : snprintf(out + o, n - o, "[%lld]", (long long)f->index);
        if (k < 0) break;
        o += (size_t)k;
    }
}

/* The COPY blocks of a SQL dump: "COPY tbl (a, b, c) FROM stdin;" then rows up to "\\.". */
static void find_copies(struct classify *x)
{
    size_t pos = 0;
    while (pos < x->n && x->ncopies < MAX_COPY) {
        const char *nl = memchr(x->buf + pos, '\n', x->n - pos);
        size_t end = nl ? (size_t)(nl - x->buf) : x->n;
        const char *line = x->buf + pos;
        size_t len = end - pos;
        if (len > 5 && !memcmp(line, "COPY ", 5)) {
            const char *open = memchr(line, '(', len),
                       *close = open ? memchr(open, ')', (size_t)(line + len - open)) : NULL;
            if (open && close) {
                struct copy_block *b = &x->copies[x->ncopies];
                memset(b, 0, sizeof(*b));
                for (const char *p = open + 1; p < close && b->ncols < COPY_COLS;) {
                    while (p < close && (*p == ' ' || *p == '"')) p++;
                    const char *q = p;
                    while (q < close && *q != ',') q++;
                    const char *e = q;
                    while (e > p && (e[-1] == ' ' || e[-1] == '"')) e--;
                    size_t l = (size_t)(e - p) < sizeof b->names[0] - 1 ? (size_t)(e - p)
                                                                        : sizeof b->names[0] - 1;
                    memcpy(b->names[b->ncols], p, l);
                    b->names[b->ncols++][l] = 0;
                    p = q + 1;
                }
                b->start = end + 1;
                b->end = x->n;
                /* the rows end at a line "\\." */
                for (size_t q = b->start; q + 1 < x->n; q++)
                    if ((q == b->start || x->buf[q - 1] == '\n') && x->buf[q] == '\\' &&
                        x->buf[q + 1] == '.') {
                        b->end = q;
                        break;
                    }
                x->ncopies++;
                pos = b->end;
                continue;
            }
        }
        pos = end + 1;
    }
}

/* CSV header or JSON key: the context of a value, searched for the identifier's keywords. */
static bool context_keyword(void *ctx, const struct rp_dataid_ident *d, size_t start)
{
    struct classify *x = ctx;
    if (x->cells) {
        cursor_to(x, start);
        int64_t col = x->cur.col;
        return x->cur.row > 1 && col >= 1 && (size_t)col <= x->ncolumns &&
               rp_dataid_keyword_in(d, x->names[col - 1], strlen(x->names[col - 1]));
    }
    for (size_t i = 0; i < x->ncopies; i++) {
        const struct copy_block *b = &x->copies[i];
        if (start < b->start || start >= b->end) continue;
        size_t ls = start, col = 0;
        while (ls > b->start && x->buf[ls - 1] != '\n') ls--;
        for (size_t q = ls; q < start; q++) col += x->buf[q] == '\t';
        return col < b->ncols && rp_dataid_keyword_in(d, b->names[col], strlen(b->names[col]));
    }
    if (x->json) {
        jcursor_to(x, start);
        const struct jcursor *j = &x->jc;
        if (!j->depth || j->depth > JSON_DEPTH) return false;
        if (j->in_str && j->str_is_key) return false; /* a key is nobody's value */
        const struct jframe *f = &j->f[j->depth - 1];
        return f->obj && rp_dataid_keyword_in(d, f->key, strlen(f->key));
    }
    return false;
}

/* The header row's names (row 1). */
static void read_header(struct classify *x)
{
    size_t i = 0, col = 0, o = 0;
    bool quoted = false;
    while (i < x->n && x->buf[i] != '\n' && col < MAX_COLUMNS) {
        char ch = x->buf[i++];
        if (ch == '"') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && ch == x->sep) {
            x->names[col][o] = 0;
            col++;
            o = 0;
            continue;
        }
        if (ch == '\r') continue;
        if (o + 1 < sizeof x->names[0]) x->names[col][o++] = ch;
    }
    if (col < MAX_COLUMNS) {
        x->names[col][o] = 0;
        col++;
    }
    x->ncolumns = col;
}

static void redact(const char *p, size_t n, char *out, size_t outsz)
{
    /* the last four characters, the rest as '*' (at most 16 of them) */
    size_t keep = n > 4 ? 4 : n / 2, stars = n - keep > 16 ? 16 : n - keep, o = 0;
    for (size_t i = 0; i < stars && o + 1 < outsz; i++) out[o++] = '*';
    for (size_t i = n - keep; i < n && o + 1 < outsz; i++)
        out[o++] = (unsigned char)p[i] < 0x20 ? ' ' : p[i];
    out[o] = 0;
}

static rp_err on_match(const struct rp_dataid_match *m, void *ctx, struct rp_errbuf *eb)
{
    struct classify *x = ctx;
    size_t idx = (size_t)(m->ident - rp_dataid_set_ident(x->s, 0));
    struct rp_dataid_result *r = x->r;
    if (!x->slot[idx]) {
        struct rp_dataid_detection *d = realloc(r->det, (r->ndet + 1) * sizeof(*d));
        if (!d) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
        r->det = d;
        memset(&r->det[r->ndet], 0, sizeof(r->det[0]));
        r->det[r->ndet].ident = m->ident;
        x->slot[idx] = (int)++r->ndet;
    }
    struct rp_dataid_detection *d = &r->det[x->slot[idx] - 1];
    d->count++;
    if (d->nocc == RP_DATAID_MAX_OCCURRENCES) {
        r->additional_occurrences = true;
        return RP_OK;
    }
    struct rp_dataid_occurrence *o = &d->occ[d->nocc++];
    memset(o, 0, sizeof(*o));
    cursor_to(x, m->start);
    if (x->json) {
        jcursor_to(x, m->start);
        o->kind = RP_DATAID_LOC_RECORDS;
        o->record_index = x->jc.record;
        json_path(&x->jc, o->json_path, sizeof o->json_path);
    } else if (x->cells) {
        o->kind = RP_DATAID_LOC_CELLS;
        o->row = x->cur.row;
        o->column = x->cur.col;
        if (o->column >= 1 && (size_t)o->column <= x->ncolumns && x->cur.row > 1)
            memcpy(o->column_name, x->names[o->column - 1], sizeof o->column_name);
    } else {
        o->kind = RP_DATAID_LOC_LINES;
        o->start = x->cur.line;
        o->start_column = (int64_t)(m->start - x->cur.line_start) + 1;
        int64_t nl = 0;
        for (size_t i = m->start; i < m->end; i++) nl += x->buf[i] == '\n';
        o->end = o->start + nl;
    }
    redact(x->buf + m->start, m->end - m->start, o->redacted, sizeof o->redacted);
    return RP_OK;
}

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    if (n < e) return false;
    for (size_t i = 0; i < e; i++) {
        char c = name[n - e + i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != ext[i]) return false;
    }
    return true;
}

static int cmp_det(const void *a, const void *b)
{
    const struct rp_dataid_detection *x = a, *y = b;
    return strcmp(x->ident->id, y->ident->id);
}

rp_err rp_dataid_classify(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                          const char *name, const char *buf, size_t n, struct rp_dataid_result *out,
                          struct rp_errbuf *eb)
{
    memset(out, 0, sizeof(*out));
    struct classify *x = calloc(1, sizeof(*x));
    int *slot = calloc(rp_dataid_set_count(s) ? rp_dataid_set_count(s) : 1, sizeof(int));
    if (!x || !slot) {
        free(x);
        free(slot);
        return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    }
    x->s = s;
    x->buf = buf ? buf : "";
    x->n = n;
    x->r = out;
    x->slot = slot;
    cursor_reset(&x->cur);
    out->mime_type = "text/plain";
    if (has_ext(name, ".csv")) {
        x->cells = true;
        x->sep = ',';
        out->mime_type = "text/csv";
    } else if (has_ext(name, ".tsv")) {
        x->cells = true;
        x->sep = '\t';
        out->mime_type = "text/tab-separated-values";
    } else if (has_ext(name, ".jsonl") || has_ext(name, ".ndjson")) {
        x->json = x->lines = true;
        out->mime_type = "application/x-ndjson";
    } else if (has_ext(name, ".json")) {
        x->json = true;
        out->mime_type = "application/json";
    }
    if (x->cells) read_header(x);
    if (has_ext(name, ".sql") && (x->copies = calloc(MAX_COPY, sizeof(*x->copies)))) find_copies(x);
    jcursor_reset(&x->jc);
    struct rp_dataid_scan_opts so = {.context_keyword = context_keyword, .ctx = x};
    if (x->cells) {
        const char *nl = memchr(x->buf, '\n', n);
        so.header_end = nl ? (size_t)(nl - x->buf) + 1 : n;
    }
    so.json = x->json;
    so.whole = x->ncopies > 0;
    rp_err e = rp_dataid_scan_ex(s, sc, x->buf, n, &so, on_match, x, eb);
    free(slot);
    free(x->copies);
    free(x);
    if (e) {
        rp_dataid_result_release(out);
        return e;
    }
    out->size_classified = (int64_t)n;
    out->status = "COMPLETE";
    if (out->ndet > 1) qsort(out->det, out->ndet, sizeof(out->det[0]), cmp_det);
    return RP_OK;
}

void rp_dataid_result_release(struct rp_dataid_result *r)
{
    free(r->det);
    r->det = NULL;
    r->ndet = 0;
}
