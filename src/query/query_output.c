/* SPDX-License-Identifier: Apache-2.0 */
/* The printers of `rampart query` (query.h, "printers"): a struct rp_query_sink that writes
 * the rows of each statement to a FILE as an aligned table, CSV, a JSON array, JSON Lines or
 * Athena's GetQueryResults document. The session calls begin/row/end per statement; the
 * printer never sees SQLite.
 *
 * Table: like psql and the Athena console, "a | b" over "--+--", numbers right-aligned, text
 * left-aligned, NULL empty, "(N rows)" after. Widths are counted in code points, and control
 * characters are shown escaped (\n \t \r, \xHH, \u0085) so a row stays on one line; invalid
 * UTF-8 is shown as U+FFFD. The first 1,000 rows (or 64 MiB of them) are copied to compute the
 * widths, later rows are streamed with them, so memory stays bounded.
 * JSON escaping goes through rp_json_writer (control characters as \u00XX, invalid UTF-8 as
 * U+FFFD). BLOBs are base64 in JSON and space-separated hex bytes elsewhere ("de ad"), as the
 * Athena console shows varbinary. */
#define RP_LOG_MODULE "query"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "query/query.h"
#include "core/rp_banned.h"

#define TABLE_BUFFER_ROWS  1000        /* rows copied to compute the column widths */
#define TABLE_BUFFER_BYTES (64u << 20) /* .. or fewer when their bytes pass this */

/* A copied value of a buffered table row: bytes at text.data + off. */
struct cell {
    size_t off;
    size_t len;
    enum rp_query_vtype type;
};

struct rp_query_printer {
    enum rp_query_format fmt;
    FILE *f;               /* borrowed */
    size_t nstmt;          /* statements begun so far */
    int64_t nrows;         /* rows of the current statement */
    size_t ncols;          /* columns of the current statement */
    char **names;          /* their names, copied at begin (JSON keys, table header) */
    bool *numeric;         /* table: the column's type is a number (header right-aligned) */
    size_t *width;         /* table: display width of each column */
    struct cell *cells;    /* table: buffered rows, ncols cells each */
    size_t nbuf;           /* table: rows in cells */
    size_t cap;            /* table: rows cells has room for */
    struct rp_buf text;    /* table: bytes of the buffered cells */
    bool streaming;        /* table: widths fixed and header printed; rows go straight out */
    size_t pending;        /* table: spaces owed before the next visible byte of the line */
    struct rp_buf scratch; /* JSON escaping */
};

rp_err rp_query_format_parse(const char *s, enum rp_query_format *out, struct rp_errbuf *eb)
{
    static const struct {
        const char *name;
        enum rp_query_format fmt;
    } names[] = {{"table", RP_QFMT_TABLE},
                 {"csv", RP_QFMT_CSV},
                 {"json", RP_QFMT_JSON},
                 {"jsonl", RP_QFMT_JSONL},
                 {"aws", RP_QFMT_AWS}};
    for (size_t i = 0; s && i < RP_ARRAY_LEN(names); i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].fmt;
            return RP_OK;
        }
    }
    return rp_fail(eb, RP_EINVAL,
                   "query: unknown format '%s' (expected table, csv, json, jsonl or aws)",
                   s ? s : "");
}

/* ---- shared helpers --------------------------------------------------------------------- */

static void put(struct rp_query_printer *p, const void *s, size_t n)
{
    if (n) fwrite(s, 1, n, p->f);
}

static void puts_(struct rp_query_printer *p, const char *s)
{
    put(p, s, strlen(s));
}

static rp_err check_io(struct rp_query_printer *p, struct rp_errbuf *eb)
{
    if (ferror(p->f))
        return rp_fail(eb, RP_EIO, "query: cannot write the output: %s",
                       strerror(errno ? errno : EIO));
    return RP_OK;
}

/* Column type names that hold numbers (Athena's, and SQLite's declared types). */
static bool type_is_numeric(const char *t)
{
    static const char *const nums[] = {"bigint",  "integer", "int",  "smallint",
                                       "tinyint", "double",  "real", "float"};
    if (!t) return false;
    for (size_t i = 0; i < RP_ARRAY_LEN(nums); i++)
        if (strcmp(t, nums[i]) == 0) return true;
    return strncmp(t, "decimal", 7) == 0;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), 0 when it is ill-formed (overlongs,
 * surrogates and code points past U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (n < len) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf) return 0;
    return len;
}

/* Space-separated lower-case hex of the bytes, as Athena shows varbinary. */
static void put_hex(struct rp_query_printer *p, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char b[3] = {' ', hex[s[i] >> 4], hex[s[i] & 15]};
        put(p, i ? b : b + 1, i ? 3 : 2);
    }
}

/* Is s[0..n) a JSON number (SQLite's integers and %!.15g reals are, except Inf and NaN)? */
static bool is_json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-') i++;
    if (i >= n) return false;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    } else {
        return false;
    }
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == d) return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == d) return false;
    }
    return i == n;
}

/* Standard base64 (RFC 4648, padded) of s[0..n) appended to b. */
static rp_err base64(struct rp_buf *b, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    rp_err e = rp_buf_reserve(b, (n + 2) / 3 * 4);
    if (e) return e;
    char *o = b->data + b->len;
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n) v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        o[k++] = tab[(v >> 18) & 63];
        o[k++] = tab[(v >> 12) & 63];
        o[k++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        o[k++] = i + 2 < n ? tab[v & 63] : '=';
    }
    rp_buf_commit(b, k);
    return RP_OK;
}

/* s[0..n) as an escaped JSON string. */
static rp_err put_jstr(struct rp_query_printer *p, const char *s, size_t n)
{
    rp_buf_reset(&p->scratch);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &p->scratch);
    rp_json_write_str(&w, s, n);
    rp_err e = rp_json_writer_finish(&w);
    if (e) return e;
    put(p, p->scratch.data, p->scratch.len);
    return RP_OK;
}

static void free_columns(struct rp_query_printer *p)
{
    for (size_t i = 0; p->names && i < p->ncols; i++) free(p->names[i]);
    rp_free_and_null(p->names);
    rp_free_and_null(p->numeric);
    rp_free_and_null(p->width);
    rp_free_and_null(p->cells);
    p->cap = 0;
    p->ncols = 0;
    p->nbuf = 0;
    rp_buf_release(&p->text);
}

static rp_err copy_columns(struct rp_query_printer *p, const struct rp_query_columns *cols,
                           struct rp_errbuf *eb)
{
    free_columns(p);
    size_t n = cols->ncols;
    p->names = calloc(n ? n : 1, sizeof *p->names);
    p->numeric = calloc(n ? n : 1, sizeof *p->numeric);
    p->width = calloc(n ? n : 1, sizeof *p->width);
    if (!p->names || !p->numeric || !p->width) goto oom;
    p->ncols = n;
    for (size_t i = 0; i < n; i++) {
        const char *name = cols->names[i] ? cols->names[i] : "";
        p->names[i] = strdup(name);
        if (!p->names[i]) goto oom;
        p->numeric[i] = type_is_numeric(cols->types ? cols->types[i] : NULL);
    }
    return RP_OK;
oom:
    free_columns(p);
    return rp_fail(eb, RP_ENOMEM, "query: out of memory for the output");
}

/* ---- table ------------------------------------------------------------------------------ */

/* The display form of the unit at s[*i]: its bytes go to rep (at most 8), *verbatim tells
 * whether they equal the source bytes. Returns the length of rep and advances *i. Every unit
 * is one display column wide except the escapes, whose width is their length. */
static size_t glyph(const unsigned char *s, size_t n, size_t *i, char rep[8], bool *verbatim,
                    size_t *width)
{
    unsigned c = s[*i];
    *verbatim = false;
    if (c >= 0x20 && c < 0x7f) {
        rep[0] = (char)c;
        *verbatim = true;
        *width = 1;
        (*i)++;
        return 1;
    }
    if (c < 0x80) {
        size_t len;
        if (c == '\n' || c == '\t' || c == '\r') {
            rep[0] = '\\';
            rep[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            len = 2;
        } else {
            len = (size_t)snprintf(rep, 8, "\\x%02x", c);
        }
        *width = len;
        (*i)++;
        return len;
    }
    size_t seq = utf8_seq(s + *i, n - *i);
    if (seq == 0) {
        memcpy(rep, "\xef\xbf\xbd", 3); /* U+FFFD */
        *width = 1;
        (*i)++;
        return 3;
    }
    if (seq == 2 && c == 0xc2 && s[*i + 1] < 0xa0) { /* C1 control U+0080..U+009F */
        size_t len = (size_t)snprintf(rep, 8, "\\u%04x", s[*i + 1]);
        *width = len;
        *i += 2;
        return len;
    }
    memcpy(rep, s + *i, seq);
    *verbatim = true;
    *width = 1;
    *i += seq;
    return seq;
}

static size_t disp_width(const char *v, size_t n, enum rp_query_vtype t)
{
    if (t == RP_QV_NULL || !v) return 0;
    if (t == RP_QV_BLOB) return n ? 3 * n - 1 : 0;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        char rep[8];
        bool verbatim;
        size_t gw;
        glyph((const unsigned char *)v, n, &i, rep, &verbatim, &gw);
        w += gw;
    }
    return w;
}

static void flush_spaces(struct rp_query_printer *p)
{
    static const char sp[] = "                                ";
    while (p->pending) {
        size_t k = p->pending < sizeof sp - 1 ? p->pending : sizeof sp - 1;
        put(p, sp, k);
        p->pending -= k;
    }
}

/* Visible text: first the spaces owed (padding is only written when something follows it, so
 * no line ends in spaces). */
static void put_vis(struct rp_query_printer *p, const char *s, size_t n)
{
    if (!n) return;
    flush_spaces(p);
    put(p, s, n);
}

static void put_disp(struct rp_query_printer *p, const char *v, size_t n, enum rp_query_vtype t)
{
    if (t == RP_QV_NULL || !v || !n) return;
    flush_spaces(p);
    if (t == RP_QV_BLOB) {
        put_hex(p, (const unsigned char *)v, n);
        return;
    }
    const unsigned char *s = (const unsigned char *)v;
    size_t run = 0; /* start of the pending verbatim run */
    for (size_t i = 0; i < n;) {
        size_t at = i, gw;
        char rep[8];
        bool verbatim;
        size_t len = glyph(s, n, &i, rep, &verbatim, &gw);
        if (verbatim) continue;
        put(p, s + run, at - run);
        put(p, rep, len);
        run = i;
    }
    put(p, s + run, n - run);
}

/* One cell of a line: value v of display width w in column i, aligned right when right. */
static void put_cell(struct rp_query_printer *p, size_t i, const char *v, size_t n,
                     enum rp_query_vtype t, size_t w, bool right)
{
    if (i > 0) {
        p->pending++;
        put_vis(p, "|", 1);
        p->pending++;
    }
    size_t pad = p->width[i] > w ? p->width[i] - w : 0;
    if (right) p->pending += pad;
    put_disp(p, v, n, t);
    if (!right) p->pending += pad;
}

static void end_line(struct rp_query_printer *p)
{
    p->pending = 0;
    put(p, "\n", 1);
}

static bool value_right(enum rp_query_vtype t)
{
    return t == RP_QV_INT || t == RP_QV_REAL;
}

static void put_row_line(struct rp_query_printer *p, const struct rp_query_row *row)
{
    for (size_t i = 0; i < p->ncols; i++) {
        enum rp_query_vtype t = i < row->ncols ? row->types[i] : RP_QV_NULL;
        const char *v = i < row->ncols ? row->vals[i] : NULL;
        size_t n = v ? row->lens[i] : 0;
        put_cell(p, i, v, n, t, disp_width(v, n, t), value_right(t));
    }
    end_line(p);
}

/* Fix the widths from the header and the buffered rows, print them, and stream from now on. */
static void table_flush(struct rp_query_printer *p)
{
    for (size_t i = 0; i < p->ncols; i++) {
        size_t n = strlen(p->names[i]);
        p->width[i] = disp_width(p->names[i], n, RP_QV_TEXT);
    }
    for (size_t r = 0; r < p->nbuf; r++) {
        for (size_t i = 0; i < p->ncols; i++) {
            const struct cell *c = &p->cells[r * p->ncols + i];
            size_t w = disp_width(p->text.data + c->off, c->len, c->type);
            if (w > p->width[i]) p->width[i] = w;
        }
    }
    for (size_t i = 0; i < p->ncols; i++) {
        size_t n = strlen(p->names[i]);
        put_cell(p, i, p->names[i], n, RP_QV_TEXT, disp_width(p->names[i], n, RP_QV_TEXT),
                 p->numeric[i]);
    }
    end_line(p);
    for (size_t i = 0; i < p->ncols; i++) {
        if (i > 0) put(p, "+", 1);
        size_t dashes = p->width[i] + (i > 0) + (i + 1 < p->ncols);
        for (size_t k = 0; k < dashes; k++) put(p, "-", 1);
    }
    end_line(p);
    for (size_t r = 0; r < p->nbuf; r++) {
        for (size_t i = 0; i < p->ncols; i++) {
            const struct cell *c = &p->cells[r * p->ncols + i];
            const char *v = c->type == RP_QV_NULL ? NULL : p->text.data + c->off;
            put_cell(p, i, v, c->len, c->type, disp_width(v, c->len, c->type),
                     value_right(c->type));
        }
        end_line(p);
    }
    p->nbuf = 0;
    p->cap = 0;
    rp_free_and_null(p->cells);
    rp_buf_release(&p->text);
    p->streaming = true;
}

static rp_err table_row(struct rp_query_printer *p, const struct rp_query_row *row,
                        struct rp_errbuf *eb)
{
    if (p->streaming) {
        put_row_line(p, row);
        return RP_OK;
    }
    if (p->nbuf == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        if (cap > TABLE_BUFFER_ROWS) cap = TABLE_BUFFER_ROWS;
        struct cell *c = realloc(p->cells, cap * (p->ncols ? p->ncols : 1) * sizeof *c);
        if (!c) return rp_fail(eb, RP_ENOMEM, "query: out of memory for the output");
        p->cells = c;
        p->cap = cap;
    }
    for (size_t i = 0; i < p->ncols; i++) {
        struct cell *c = &p->cells[p->nbuf * p->ncols + i];
        c->type = i < row->ncols && row->vals[i] ? row->types[i] : RP_QV_NULL;
        c->off = p->text.len;
        c->len = c->type == RP_QV_NULL ? 0 : row->lens[i];
        if (c->len && rp_buf_append(&p->text, row->vals[i], c->len) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "query: out of memory for the output");
    }
    p->nbuf++;
    if (p->nbuf == TABLE_BUFFER_ROWS || p->text.len >= TABLE_BUFFER_BYTES) table_flush(p);
    return RP_OK;
}

/* ---- CSV -------------------------------------------------------------------------------- */

static void csv_field(struct rp_query_printer *p, const char *v, size_t n, enum rp_query_vtype t)
{
    if (t == RP_QV_NULL || !v) return;
    if (t == RP_QV_BLOB) {
        put_hex(p, (const unsigned char *)v, n);
        return;
    }
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = v[i] == ',' || v[i] == '"' || v[i] == '\r' || v[i] == '\n';
    if (!quote) {
        put(p, v, n);
        return;
    }
    put(p, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '"') continue;
        put(p, v + run, i + 1 - run); /* through the quote, then the quote again */
        run = i;
    }
    put(p, v + run, n - run);
    put(p, "\"", 1);
}

/* ---- JSON ------------------------------------------------------------------------------- */

/* The row as one compact object {"col": value, ..} into p->scratch. */
static rp_err json_object(struct rp_query_printer *p, const struct rp_query_row *row)
{
    rp_buf_reset(&p->scratch);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &p->scratch);
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < p->ncols; i++) {
        rp_json_write_key(&w, p->names[i], strlen(p->names[i]));
        enum rp_query_vtype t = i < row->ncols && row->vals[i] ? row->types[i] : RP_QV_NULL;
        const char *v = t == RP_QV_NULL ? NULL : row->vals[i];
        size_t n = v ? row->lens[i] : 0;
        switch (t) {
        case RP_QV_NULL:
            rp_json_write_null(&w);
            break;
        case RP_QV_INT:
        case RP_QV_REAL:
            if (is_json_number(v, n))
                rp_json_write_raw(&w, v, n);
            else if (t == RP_QV_REAL)
                rp_json_write_null(&w); /* Inf, -Inf: JSON has no such number */
            else
                rp_json_write_str(&w, v, n);
            break;
        case RP_QV_TEXT:
            rp_json_write_str(&w, v, n);
            break;
        case RP_QV_BLOB: {
            struct rp_buf b64;
            rp_buf_init(&b64, 0);
            rp_err e = base64(&b64, (const unsigned char *)v, n);
            if (e) {
                rp_buf_release(&b64);
                return e;
            }
            rp_json_write_str(&w, b64.data ? b64.data : "", b64.len);
            rp_buf_release(&b64);
            break;
        }
        }
    }
    rp_json_write_obj_end(&w);
    return rp_json_writer_finish(&w);
}

/* ---- AWS: GetQueryResults as the AWS CLI prints it (4-space indent) ---------------------- */

static void aws_datum(struct rp_query_printer *p, const char *v, size_t n, enum rp_query_vtype t,
                      bool last)
{
    if (t == RP_QV_NULL || !v) {
        puts_(p, "                    {}");
    } else {
        puts_(p, "                    {\n                        \"VarCharValue\": ");
        if (t == RP_QV_BLOB) {
            /* hex is plain ASCII: no escaping needed */
            put(p, "\"", 1);
            put_hex(p, (const unsigned char *)v, n);
            put(p, "\"", 1);
        } else if (put_jstr(p, v, n) != RP_OK) {
            put(p, "\"\"", 2);
        }
        puts_(p, "\n                    }");
    }
    puts_(p, last ? "\n" : ",\n");
}

static void aws_row_open(struct rp_query_printer *p)
{
    puts_(p, p->nrows ? ",\n" : "\n");
    puts_(p, "            {\n                \"Data\": [");
    puts_(p, p->ncols ? "\n" : "]\n            }");
}

static void aws_row_close(struct rp_query_printer *p)
{
    if (p->ncols) puts_(p, "                ]\n            }");
}

static void aws_kv(struct rp_query_printer *p, const char *k, const char *v, bool quote, bool last)
{
    puts_(p, "                    \"");
    puts_(p, k);
    puts_(p, "\": ");
    if (quote) {
        if (put_jstr(p, v, strlen(v)) != RP_OK) put(p, "\"\"", 2);
    } else {
        puts_(p, v);
    }
    puts_(p, last ? "\n" : ",\n");
}

static void aws_end(struct rp_query_printer *p, const struct rp_query_columns *cols)
{
    puts_(p, "\n        ],\n");
    puts_(p, "        \"ResultSetMetadata\": {\n            \"ColumnInfo\": [");
    for (size_t i = 0; i < p->ncols; i++) {
        const char *type = cols && cols->types && cols->types[i] ? cols->types[i] : "varchar";
        puts_(p, i ? ",\n" : "\n");
        puts_(p, "                {\n");
        aws_kv(p, "CatalogName", "rampart", true, false);
        aws_kv(p, "SchemaName", "", true, false);
        aws_kv(p, "TableName", "", true, false);
        aws_kv(p, "Name", p->names[i], true, false);
        aws_kv(p, "Label", p->names[i], true, false);
        aws_kv(p, "Type", type, true, false);
        aws_kv(p, "Precision", "0", false, false);
        aws_kv(p, "Scale", "0", false, false);
        aws_kv(p, "Nullable", "UNKNOWN", true, false);
        aws_kv(p, "CaseSensitive", strcmp(type, "varchar") == 0 ? "true" : "false", false, true);
        puts_(p, "                }");
    }
    puts_(p, p->ncols ? "\n            ]\n" : "]\n");
    puts_(p, "        }\n    },\n    \"UpdateCount\": 0\n}\n");
}

/* ---- the sink --------------------------------------------------------------------------- */

static rp_err sink_begin(void *ctx, const struct rp_query_columns *cols, struct rp_errbuf *eb)
{
    struct rp_query_printer *p = ctx;
    rp_err e = copy_columns(p, cols, eb);
    if (e) return e;
    p->nrows = 0;
    p->streaming = false;
    p->pending = 0;
    bool later = p->nstmt++ > 0;
    switch (p->fmt) {
    case RP_QFMT_TABLE:
        if (later) put(p, "\n", 1);
        break;
    case RP_QFMT_CSV:
        for (size_t i = 0; i < p->ncols; i++) {
            if (i) put(p, ",", 1);
            csv_field(p, p->names[i], strlen(p->names[i]), RP_QV_TEXT);
        }
        put(p, "\n", 1);
        break;
    case RP_QFMT_JSON:
        put(p, "[", 1);
        break;
    case RP_QFMT_JSONL:
        break;
    case RP_QFMT_AWS: {
        puts_(p, "{\n    \"ResultSet\": {\n        \"Rows\": [");
        /* Athena's first row holds the column names */
        aws_row_open(p);
        for (size_t i = 0; i < p->ncols; i++)
            aws_datum(p, p->names[i], strlen(p->names[i]), RP_QV_TEXT, i + 1 == p->ncols);
        aws_row_close(p);
        p->nrows = 1; /* the header row: the next row needs a comma */
        break;
    }
    }
    return check_io(p, eb);
}

static rp_err sink_row(void *ctx, const struct rp_query_row *row, struct rp_errbuf *eb)
{
    struct rp_query_printer *p = ctx;
    rp_err e = RP_OK;
    switch (p->fmt) {
    case RP_QFMT_TABLE:
        e = table_row(p, row, eb);
        break;
    case RP_QFMT_CSV:
        for (size_t i = 0; i < p->ncols; i++) {
            if (i) put(p, ",", 1);
            if (i < row->ncols) csv_field(p, row->vals[i], row->lens[i], row->types[i]);
        }
        put(p, "\n", 1);
        break;
    case RP_QFMT_JSON:
    case RP_QFMT_JSONL:
        e = json_object(p, row);
        if (e) {
            e = rp_fail(eb, e, "query: cannot format a row as JSON: %s", rp_strerror(e));
            break;
        }
        if (p->fmt == RP_QFMT_JSON) puts_(p, p->nrows ? ",\n  " : "\n  ");
        put(p, p->scratch.data, p->scratch.len);
        if (p->fmt == RP_QFMT_JSONL) put(p, "\n", 1);
        break;
    case RP_QFMT_AWS:
        aws_row_open(p);
        for (size_t i = 0; i < p->ncols; i++) {
            bool have = i < row->ncols && row->vals[i];
            aws_datum(p, have ? row->vals[i] : NULL, have ? row->lens[i] : 0,
                      have ? row->types[i] : RP_QV_NULL, i + 1 == p->ncols);
        }
        aws_row_close(p);
        break;
    }
    if (e) return e;
    p->nrows++;
    return check_io(p, eb);
}

static rp_err sink_end(void *ctx, const struct rp_query_columns *cols, struct rp_errbuf *eb)
{
    struct rp_query_printer *p = ctx;
    switch (p->fmt) {
    case RP_QFMT_TABLE:
        if (!p->streaming) table_flush(p);
        fprintf(p->f, "(%lld %s)\n", (long long)p->nrows, p->nrows == 1 ? "row" : "rows");
        break;
    case RP_QFMT_CSV:
    case RP_QFMT_JSONL:
        break;
    case RP_QFMT_JSON:
        puts_(p, p->nrows ? "\n]\n" : "]\n");
        break;
    case RP_QFMT_AWS:
        aws_end(p, cols);
        break;
    }
    free_columns(p);
    fflush(p->f);
    return check_io(p, eb);
}

rp_err rp_query_printer_new(enum rp_query_format fmt, FILE *f, struct rp_query_printer **out)
{
    *out = NULL;
    struct rp_query_printer *p = calloc(1, sizeof *p);
    if (!p) return RP_ENOMEM;
    p->fmt = fmt;
    p->f = f;
    rp_buf_init(&p->text, 0);
    rp_buf_init(&p->scratch, 0);
    *out = p;
    return RP_OK;
}

void rp_query_printer_free(struct rp_query_printer *p)
{
    if (!p) return;
    free_columns(p);
    rp_buf_release(&p->scratch);
    free(p);
}

struct rp_query_sink rp_query_printer_sink(struct rp_query_printer *p)
{
    struct rp_query_sink s = {sink_begin, sink_row, sink_end, p};
    return s;
}
