/* SPDX-License-Identifier: Apache-2.0 */
/* Classifying one object (a file, an S3 object) as Macie does (dataid.h): one scan of its
 * bytes with the set, each occurrence counted under its identifier and located the way Macie
 * locates occurrences in such a file: text by lineRanges (line and start column), CSV and TSV
 * by cells (row, column, the header's column name), JSON by record and path; documents
 * (dataid_office.c, dataid_pdf.c) by their extracted text: Word and PowerPoint by line, a
 * workbook by cell (row, column, the name in the sheet's first row, "Sheet1!B7"), a PDF by page and
 * line within it. Up to RP_DATAID_MAX_OCCURRENCES are kept
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

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dataid/dataid.h"
#include "core/rp_str.h"
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
    const struct rp_dataid_doc *doc; /* a document's text: its cells or pages */
    int64_t *page_line;              /* PDF: the (text's) line each page starts on */
};

static void cursor_reset(struct cursor *c)
{
    memset(c, 0, sizeof(*c));
    c->line = 1;
    c->row = 1;
    c->col = 1;
}

/* Move the cursor to offset to (restarting when it is behind). Text only counts lines, so it
 * jumps from newline to newline (memchr); CSV/TSV steps over the bytes that change nothing (not
 * a quote, the separator or a newline) without looking at them one by one. */
static void cursor_to(struct classify *x, size_t to)
{
    struct cursor *c = &x->cur;
    if (to < c->pos) cursor_reset(c);
    const char *buf = x->buf;
    if (!x->cells) {
        const char *p = buf + c->pos, *end = buf + to;
        while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            c->line++;
            c->line_start = (size_t)(p - buf) + 1;
            p++;
        }
        c->pos = to;
        return;
    }
    const unsigned char sep = (unsigned char)x->sep;
#if defined(__x86_64__) && defined(__SSE2__)
    const __m128i vq = _mm_set1_epi8('"'), vs = _mm_set1_epi8((char)sep), vn = _mm_set1_epi8('\n');
#endif
    for (size_t i = c->pos; i < to; i++) {
#if defined(__x86_64__) && defined(__SSE2__)
        /* 16 bytes at a time to the next quote, separator or newline */
        while (i + 16 <= to) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
            __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vs)),
                                       _mm_cmpeq_epi8(v, vn));
            unsigned mask = (unsigned)_mm_movemask_epi8(hit);
            if (mask) {
                i += (size_t)__builtin_ctz(mask);
                break;
            }
            i += 16;
        }
        if (i >= to) break;
#endif
        unsigned char ch = (unsigned char)buf[i];
        if (ch != '"' && ch != sep && ch != '\n') continue;
        if (ch == '\n') {
            c->line++;
            c->line_start = i + 1;
        }
        if (ch == '"')
            c->quoted = !c->quoted;
        else if (!c->quoted && ch == sep)
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

/* The first '"' or '\\' in p[0..n), or NULL. */
static const char *quote_or_escape(const char *p, size_t n)
{
    const char *q = memchr(p, '"', n);
    const char *b = memchr(p, '\\', q ? (size_t)(q - p) : n);
    return b ? b : q;
}

/* Move the JSON cursor to offset to (restarting when it is behind). Inside a string that is
 * not a key, it jumps to the next quote or backslash (nothing else there changes the state). */
static void jcursor_to(struct classify *x, size_t to)
{
    struct jcursor *j = &x->jc;
    if (to < j->pos) jcursor_reset(j);
    struct jframe *top = j->depth && j->depth <= JSON_DEPTH ? &j->f[j->depth - 1] : NULL;
    for (size_t i = j->pos; i < to; i++) {
        if (j->in_str && !j->esc && !(j->str_is_key && top)) {
            const char *q = quote_or_escape(x->buf + i, to - i);
            if (!q) break;
            i = (size_t)(q - x->buf);
        }
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

/* The workbook cell holding offset at (the last one starting at or before it), or -1. */
static ptrdiff_t cell_at(const struct rp_dataid_doc *doc, size_t at)
{
    size_t lo = 0, hi = doc->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->cells[mid].start <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? (ptrdiff_t)lo - 1 : -1;
}

/* The PDF page holding offset at (0-based). */
static size_t page_at(const struct rp_dataid_doc *doc, size_t at)
{
    size_t lo = 0, hi = doc->npages;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->pages[mid] <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

/* CSV header or JSON key: the context of a value, searched for the identifier's keywords. */
static bool context_keyword(void *ctx, const struct rp_dataid_ident *d, size_t start)
{
    struct classify *x = ctx;
    if (x->doc) {
        if (x->doc->kind != RP_DATAID_DOC_XLSX) return false;
        ptrdiff_t c = cell_at(x->doc, start);
        if (c < 0 || x->doc->cells[c].header < 0) return false;
        const struct rp_dataid_doc_cell *h = &x->doc->cells[x->doc->cells[c].header];
        return rp_dataid_keyword_in(d, x->buf + h->start, h->end - h->start);
    }
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

/* The value p[0..n) in clear for rp_dataid_set_reveal: control characters as '?', cut at a
 * UTF-8 character boundary to fit out. */
static void reveal(const char *p, size_t n, char *out, size_t outsz)
{
    if (n >= outsz) {
        n = outsz - 1;
        while (n && ((unsigned char)p[n] & 0xc0) == 0x80) n--; /* not inside a character */
    }
    for (size_t i = 0; i < n; i++) out[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
    out[n] = 0;
}

/* "B7": column letters and row. */
static void cell_name(uint32_t col, uint32_t row, char *out, size_t n)
{
    char letters[8];
    size_t k = 0;
    while (col && k < sizeof letters) {
        letters[k++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    size_t o = 0;
    while (k && o + 1 < n) out[o++] = letters[--k];
    out[o] = 0;
    if (o) snprintf(out + o, n - o, "%u", row);
}

/* True when Excel writes the sheet name s quoted in a reference: anything but letters
 * (non-ASCII bytes taken for letters), digits and '_', a leading digit, or a name that reads
 * as a cell of its own (A1 style "AB12", R1C1 style "R", "C", "R2C3", "RC4"). */
static bool sheet_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    if (!n || (s[0] >= '0' && s[0] <= '9')) return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c >= 0x80 || c == '_' || (c >= '0' && c <= '9') ||
              ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
            return true;
    }
    /* A1: 1-3 letters, then a row, within XFD1048576 */
    size_t i = 0;
    uint32_t col = 0, row = 0;
    while (i < n && i < 4 && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
        col = col * 26 + (uint32_t)((s[i++] | 0x20) - 'a' + 1);
    if (i >= 1 && i <= 3 && i < n && col <= 16384) {
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9' && row <= 1048576)
            row = row * 10 + (uint32_t)(s[j++] - '0');
        if (j == n && row >= 1 && row <= 1048576) return true;
    }
    /* R1C1: R[n][C[n]] or C[n] */
    i = 0;
    if ((s[i] | 0x20) == 'r') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < n && (s[i] | 0x20) == 'c') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    return i == n;
}

/* A workbook cell's absolute reference as Excel writes it: "Sheet2!C5", "'My Sheet'!C5" ('
 * doubled inside the quotes); "" for a cell without a column (past XFD). A name too long for
 * out (no sheet name Excel allows is) is cut at a character's boundary. */
static void cell_reference(const struct rp_dataid_doc *doc, const struct rp_dataid_doc_cell *cl,
                           char *out, size_t n)
{
    char a1[16], fallback[24];
    cell_name(cl->column, cl->row, a1, sizeof a1);
    if (!a1[0]) { /* a column past XFD: no reference */
        if (n) out[0] = 0;
        return;
    }
    const char *sheet = cl->sheet < doc->nsheets ? doc->sheets[cl->sheet] : NULL;
    if (!sheet) {
        snprintf(fallback, sizeof fallback, "Sheet%u", (unsigned)cl->sheet + 1);
        sheet = fallback;
    }
    bool q = sheet_needs_quotes(sheet);
    size_t a1n = strlen(a1), fixed = (q ? 2 : 0) + 1 + a1n + 1; /* quotes, '!', A1, NUL */
    if (n < fixed) {
        rp_strlcpy(out, a1, n);
        return;
    }
    size_t room = n - fixed, used = 0, o = 0;
    if (q) out[o++] = '\'';
    for (size_t i = 0; sheet[i];) {
        size_t k = 1; /* the character's bytes */
        if ((unsigned char)sheet[i] >= 0xc0)
            while (k < 4 && ((unsigned char)sheet[i + k] & 0xc0) == 0x80) k++;
        size_t w = sheet[i] == '\'' ? 2 : k;
        if (used + w > room) break;
        if (sheet[i] == '\'') out[o++] = '\'';
        memcpy(out + o, sheet + i, k);
        o += k;
        used += w;
        i += k;
    }
    if (q) out[o++] = '\'';
    out[o++] = '!';
    memcpy(out + o, a1, a1n + 1);
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
    bool xlsx = x->doc && x->doc->kind == RP_DATAID_DOC_XLSX;
    if (!xlsx && !x->json) cursor_to(x, m->start); /* lines, cells, pages */
    if (xlsx) {
        ptrdiff_t c = cell_at(x->doc, m->start);
        o->kind = RP_DATAID_LOC_CELLS;
        if (c >= 0) {
            const struct rp_dataid_doc_cell *cl = &x->doc->cells[c];
            o->row = cl->row;
            o->column = cl->column;
            cell_reference(x->doc, cl, o->cell_reference, sizeof o->cell_reference);
            if (cl->header >= 0) {
                const struct rp_dataid_doc_cell *h = &x->doc->cells[cl->header];
                size_t hn = h->end - h->start;
                if (hn >= sizeof o->column_name) hn = sizeof o->column_name - 1;
                memcpy(o->column_name, x->buf + h->start, hn);
                o->column_name[hn] = 0;
            }
        }
    } else if (x->doc && x->doc->kind == RP_DATAID_DOC_PDF && x->doc->npages) {
        size_t p = page_at(x->doc, m->start);
        o->kind = RP_DATAID_LOC_PAGES;
        o->page_number = (int64_t)p + 1;
        o->start = x->cur.line - x->page_line[p] + 1;
        o->start_column = (int64_t)(m->start - x->cur.line_start) + 1;
        int64_t nl = 0;
        for (size_t i = m->start; i < m->end; i++) nl += x->buf[i] == '\n';
        o->end = o->start + nl;
        o->offset_start = (int64_t)(m->start - x->doc->pages[p]);
        o->offset_end = (int64_t)(m->end - x->doc->pages[p]);
    } else if (x->json) {
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
    if (d->nocc <= RP_DATAID_MAX_REVEAL && rp_dataid_set_reveals(x->s))
        reveal(x->buf + m->start, m->end - m->start, o->value, sizeof o->value);
    return RP_OK;
}

static int cmp_det(const void *a, const void *b)
{
    const struct rp_dataid_detection *x = a, *y = b;
    return strcmp(x->ident->id, y->ident->id);
}

/* Scan x->buf[0..x->n) into x->r with the options of its kind; the result is sorted. */
static rp_err run(struct classify *x, struct rp_dataid_scratch *sc, struct rp_errbuf *eb)
{
    struct rp_dataid_result *out = x->r;
    struct rp_dataid_scan_opts so = {.context_keyword = context_keyword, .ctx = x};
    if (x->cells) {
        const char *nl = memchr(x->buf, '\n', x->n);
        so.header_end = nl ? (size_t)(nl - x->buf) + 1 : x->n;
    }
    so.json = x->json;
    /* a workbook: each sheet has a header row, so a keyword anywhere may name a column */
    so.whole = x->ncopies > 0 || (x->doc && x->doc->kind == RP_DATAID_DOC_XLSX);
    rp_err e = rp_dataid_scan_ex(x->s, sc, x->buf, x->n, &so, on_match, x, eb);
    if (e) {
        rp_dataid_result_release(out);
        return e;
    }
    out->status = "COMPLETE";
    if (out->ndet > 1) qsort(out->det, out->ndet, sizeof(out->det[0]), cmp_det);
    return RP_OK;
}

/* A document: its text extracted, scanned, located by its kind; not read: SKIPPED. */
static rp_err classify_doc(struct classify *x, struct rp_dataid_scratch *sc,
                           enum rp_dataid_doc_kind k, const char *buf, size_t n,
                           struct rp_errbuf *eb)
{
    struct rp_dataid_result *out = x->r;
    struct rp_dataid_doc doc;
    out->mime_type = rp_dataid_doc_mime(k);
    rp_err e = rp_dataid_doc_extract(k, buf, n, &doc, eb);
    if (!e && doc.status) {
        out->status = "SKIPPED";
        out->reason = doc.status;
        rp_strlcpy(out->detail, doc.reason, sizeof out->detail);
    } else if (!e) {
        x->doc = &doc;
        x->buf = doc.text;
        x->n = doc.len;
        if (doc.npages) {
            x->page_line = calloc(doc.npages, sizeof(*x->page_line));
            if (!x->page_line) e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
            int64_t line = 1;
            size_t p = 0;
            for (size_t i = 0; !e && i <= doc.len; i++) {
                while (p < doc.npages && doc.pages[p] == i) x->page_line[p++] = line;
                if (i < doc.len && doc.text[i] == '\n') line++;
            }
        }
        if (!e) e = run(x, sc, eb);
        if (!e) out->size_classified = (int64_t)n;
    }
    free(x->page_line);
    rp_dataid_doc_release(&doc);
    return e;
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
    jcursor_reset(&x->jc);
    enum rp_dataid_doc_kind dk = rp_dataid_doc_kind(name, buf, n);
    if (dk != RP_DATAID_DOC_NONE) {
        rp_err e = classify_doc(x, sc, dk, x->buf, n, eb);
        free(slot);
        free(x);
        return e;
    }
    out->mime_type = "text/plain";
    if (rp_str_has_suffix_nocase(rp_str_from(name), ".csv")) {
        x->cells = true;
        x->sep = ',';
        out->mime_type = "text/csv";
    } else if (rp_str_has_suffix_nocase(rp_str_from(name), ".tsv")) {
        x->cells = true;
        x->sep = '\t';
        out->mime_type = "text/tab-separated-values";
    } else if (rp_str_has_suffix_nocase(rp_str_from(name), ".jsonl") ||
               rp_str_has_suffix_nocase(rp_str_from(name), ".ndjson")) {
        x->json = x->lines = true;
        out->mime_type = "application/x-ndjson";
    } else if (rp_str_has_suffix_nocase(rp_str_from(name), ".json")) {
        x->json = true;
        out->mime_type = "application/json";
    }
    if (x->cells) read_header(x);
    if (rp_str_has_suffix_nocase(rp_str_from(name), ".sql") &&
        (x->copies = calloc(MAX_COPY, sizeof(*x->copies))))
        find_copies(x);
    rp_err e = run(x, sc, eb);
    free(slot);
    free(x->copies);
    free(x);
    if (!e) out->size_classified = (int64_t)n;
    return e;
}

void rp_dataid_result_release(struct rp_dataid_result *r)
{
    free(r->det);
    r->det = NULL;
    r->ndet = 0;
}
