/* SPDX-License-Identifier: Apache-2.0 */
/* query_tab_csv: the csv connector of `rampart query` (query_table.h, docs/query-connectors.md).
 *
 *     CREATE VIRTUAL TABLE temp.t USING csv('flows.csv' [, 'header=yes|no'] [, 'delimiter=;'])
 *
 * connect() reads the first record for the columns (header names made unique, or c1..cN), all
 * TEXT, plus hidden _line (line where the record starts) and _file. Each scan streams the file
 * again through rp_gz (gzip or plain, by magic bytes) with bounded memory: one 64 KiB read
 * chunk plus the current record, at most RP_MAX_RECORD_BYTES.
 *
 * The parser is written here rather than taken from libcsv (Debian's libcsv3): libcsv reports
 * neither the line nor the offset of a malformed record, and every warning here names the line.
 * Dialect: RFC 4180 (fields in double quotes, "" inside them, CRLF, LF or a lone CR ends a
 * record, line breaks kept inside quoted fields), a UTF-8 byte-order mark skipped, blank lines
 * skipped; leniently, a quote inside an unquoted field is data and text after a closing quote
 * is appended. Records with the wrong field count are returned (missing fields NULL, extra
 * ones dropped) and reported with rp_query_warn. */
#define RP_LOG_MODULE "query"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_str.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define CSV_CHUNK    (64u << 10)
#define CSV_MAX_COLS 1000 /* data columns; SQLite's own cap is 2000 */

/* ---- the streaming record reader ---------------------------------------------------------- */

enum csv_state { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE };

/* Invariant: fields [0, nkept) of the current record are rec[ends[i-1] .. ends[i]) (ends[-1]
 * being 0); nfields counts every field, including those past max_fields that were dropped. */
struct csv_reader {
    struct rp_gz_reader *gz;
    const char *path; /* borrowed, for messages */
    char delim;
    struct rp_query_stats *stats; /* may be NULL (connect) */
    unsigned char *chunk;         /* CSV_CHUNK bytes */
    size_t pos, len;
    bool eof, started;
    bool prev_cr;          /* last byte read was a CR: a following LF is the same break */
    uint64_t counted_in;   /* input bytes already added to stats */
    int64_t line;          /* line of the next byte, from 1 */
    struct rp_buf rec;     /* field bytes of the current record */
    size_t *ends;          /* max_fields entries */
    size_t max_fields;     /* fields kept per record */
    size_t nkept, nfields; /* of the current record */
    int64_t rec_line;      /* line where the current record starts */
    uint64_t rec_bytes;    /* input bytes of the current record */
    bool too_big;          /* the record passed RP_MAX_RECORD_BYTES */
    bool unterminated;     /* it ended at end of input inside a quoted field */
    rp_err gz_err;         /* damaged gzip: end of input, reported by the caller */
    char gz_msg[RP_MAX_ERRMSG];
};

static rp_err reader_open(struct csv_reader *r, const char *path, char delim, size_t max_fields,
                          struct rp_query_stats *stats, struct rp_errbuf *eb)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->delim = delim;
    r->stats = stats;
    r->line = 1;
    r->max_fields = max_fields;
    rp_buf_init(&r->rec, RP_MAX_RECORD_BYTES + 1);
    r->chunk = malloc(CSV_CHUNK);
    r->ends = malloc(max_fields * sizeof *r->ends);
    if (!r->chunk || !r->ends) return rp_fail(eb, RP_ENOMEM, "csv: out of memory for '%s'", path);
    struct rp_errbuf geb;
    rp_err e = rp_gz_reader_new_path(&r->gz, path, NULL, &geb);
    if (e) return rp_fail(eb, e, "csv: %s", geb.msg + (strncmp(geb.msg, "gz: ", 4) ? 0 : 4));
    if (stats) stats->files_opened++;
    return RP_OK;
}

static void reader_close(struct csv_reader *r)
{
    rp_gz_reader_free(r->gz);
    r->gz = NULL;
    free(r->chunk);
    r->chunk = NULL;
    free(r->ends);
    r->ends = NULL;
    rp_buf_release(&r->rec);
}

/* Refill the chunk. A damaged gzip stream is the end of input (gz_err says why); an I/O error
 * is returned. */
static rp_err reader_fill(struct csv_reader *r, struct rp_errbuf *eb)
{
    size_t got = 0;
    struct rp_errbuf geb;
    rp_err e = rp_gz_reader_read(r->gz, r->chunk, CSV_CHUNK, &got, &geb);
    struct rp_gz_pos gp;
    rp_gz_reader_pos(r->gz, &gp);
    if (r->stats) r->stats->bytes_scanned += (int64_t)(gp.in - r->counted_in);
    r->counted_in = gp.in;
    r->pos = 0;
    r->len = 0;
    if (e == RP_EPARSE || e == RP_ELIMIT) {
        r->gz_err = e;
        rp_strlcpy(r->gz_msg, geb.msg, sizeof r->gz_msg);
        r->eof = true;
        return RP_OK;
    }
    if (e) return rp_fail(eb, e, "csv: %s", geb.msg + (strncmp(geb.msg, "gz: ", 4) ? 0 : 4));
    r->len = got;
    if (got == 0) r->eof = true;
    if (!r->started) {
        r->started = true;
        if (got >= 3 && memcmp(r->chunk, "\xef\xbb\xbf", 3) == 0) r->pos = 3;
    }
    return RP_OK;
}

static rp_err rec_putc(struct csv_reader *r, unsigned char c, struct rp_errbuf *eb)
{
    if (r->too_big) return RP_OK;
    if (r->rec.len >= RP_MAX_RECORD_BYTES) {
        r->too_big = true;
        return RP_OK;
    }
    rp_err e = rp_buf_putc(&r->rec, (char)c);
    if (e) return rp_fail(eb, e, "csv: out of memory reading '%s'", r->path);
    return RP_OK;
}

static void rec_end_field(struct csv_reader *r)
{
    if (r->nkept < r->max_fields) r->ends[r->nkept++] = r->rec.len;
    r->nfields++;
}

/* Read the next record into r->rec / r->ends. *got is false at end of input. Blank lines are
 * skipped. Returns RP_OK or an I/O / memory error with details in *eb. */
static rp_err reader_next(struct csv_reader *r, bool *got, struct rp_errbuf *eb)
{
    *got = false;
    rp_buf_reset(&r->rec);
    r->nkept = r->nfields = 0;
    r->rec_bytes = 0;
    r->too_big = r->unterminated = false;
    r->rec_line = r->line;
    enum csv_state st = ST_START;
    bool any = false; /* the record has a field (blank lines have none) */
    const unsigned char delim = (unsigned char)r->delim;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof) break;
            rp_err e = reader_fill(r, eb);
            if (e) return e;
            continue;
        }
        unsigned char c = r->chunk[r->pos++];
        bool was_cr = r->prev_cr;
        r->prev_cr = c == '\r';
        if (c == '\r' || (c == '\n' && !was_cr)) r->line++;
        if (++r->rec_bytes > RP_MAX_RECORD_BYTES) r->too_big = true;
        rp_err e = RP_OK;
        switch (st) {
        case ST_START:
        case ST_UNQUOTED:
            if (c == '\n' || c == '\r') {
                if (st == ST_START && !any) {
                    /* a blank line, or the LF of a CRLF that ended the previous record */
                    r->rec_line = r->line;
                    r->rec_bytes = 0;
                    continue;
                }
                rec_end_field(r);
                *got = true;
                return RP_OK;
            }
            any = true;
            if (c == delim) {
                rec_end_field(r);
                st = ST_START;
            } else if (c == '"' && st == ST_START) {
                st = ST_QUOTED;
            } else {
                e = rec_putc(r, c, eb);
                st = ST_UNQUOTED;
            }
            break;
        case ST_QUOTED:
            if (c == '"')
                st = ST_QUOTE;
            else
                e = rec_putc(r, c, eb);
            break;
        case ST_QUOTE: /* after a quote inside a quoted field */
            if (c == '"') {
                e = rec_putc(r, c, eb);
                st = ST_QUOTED;
            } else if (c == delim) {
                rec_end_field(r);
                st = ST_START;
            } else if (c == '\n' || c == '\r') {
                rec_end_field(r);
                *got = true;
                return RP_OK;
            } else {
                e = rec_putc(r, c, eb);
                st = ST_UNQUOTED;
            }
            break;
        }
        if (e) return e;
    }
    /* a record cut by damaged gzip data is dropped; the caller reports the damage */
    if (!any || r->gz_err) return RP_OK;
    r->unterminated = st == ST_QUOTED;
    rec_end_field(r);
    *got = true;
    return RP_OK;
}

/* ---- arguments and columns ---------------------------------------------------------------- */

struct csv_priv {
    char *path;
    char delim;
    bool header;
    size_t nfields;            /* data columns */
    struct rp_query_col *cols; /* nfields + 2 (_line, _file) */
    int64_t warned_line;       /* records starting at or before this line were reported */
};

static void priv_free(struct csv_priv *p)
{
    if (!p) return;
    if (p->cols)
        for (size_t i = 0; i < p->nfields; i++) free((char *)p->cols[i].name);
    free(p->cols);
    free(p->path);
    free(p);
}

static bool name_taken(struct rp_query_col *cols, size_t n, const char *name)
{
    if (sqlite3_stricmp(name, "_line") == 0 || sqlite3_stricmp(name, "_file") == 0) return true;
    for (size_t i = 0; i < n; i++)
        if (sqlite3_stricmp(cols[i].name, name) == 0) return true;
    return false;
}

/* Column i (0-based) named from raw[0..len): empty gives c<i+1>, a name already used (SQLite
 * compares names without case) gets _2, _3, .. */
static rp_err set_name(struct rp_query_col *cols, size_t i, const char *raw, size_t len,
                       struct rp_errbuf *eb)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = len ? rp_buf_append(&b, raw, len) : rp_buf_printf(&b, "c%zu", i + 1);
    if (e) goto fail;
    /* a NUL inside a header field would cut the name short: keep what precedes it */
    size_t base = strlen(rp_buf_cstr(&b));
    rp_buf_truncate(&b, base);
    for (unsigned k = 2; name_taken(cols, i, rp_buf_cstr(&b)); k++) {
        rp_buf_truncate(&b, base);
        if ((e = rp_buf_printf(&b, "_%u", k))) goto fail;
    }
    cols[i].name = rp_buf_take(&b, NULL);
    if (!cols[i].name) return rp_fail(eb, RP_ENOMEM, "csv: out of memory");
    cols[i].type = RP_QCOL_TEXT;
    cols[i].flags = 0;
    return RP_OK;
fail:
    rp_buf_release(&b);
    return rp_fail(eb, e, "csv: out of memory");
}

static rp_err csv_parse_args(int argc, const char *const *argv, char *delim, bool *header,
                             struct rp_errbuf *eb)
{
    if (argc < 1 || !argv[0][0])
        return rp_fail(eb, RP_EINVAL, "csv: expected a file name: csv('file.csv')");
    struct rp_str path = rp_str_from(argv[0]);
    *delim = rp_str_has_suffix(path, ".tsv") || rp_str_has_suffix(path, ".tsv.gz") ||
                     rp_str_has_suffix(path, ".TSV") || rp_str_has_suffix(path, ".TSV.GZ")
                 ? '\t'
                 : ',';
    *header = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a, '=');
        struct rp_str key = rp_str_trim((struct rp_str){a, eq ? (size_t)(eq - a) : strlen(a)});
        struct rp_str val = rp_str_trim(rp_str_from(eq ? eq + 1 : ""));
        if (eq && rp_str_eq_cstr(key, "header")) {
            if (rp_str_eq_cstr(val, "yes") || rp_str_eq_cstr(val, "true"))
                *header = true;
            else if (rp_str_eq_cstr(val, "no") || rp_str_eq_cstr(val, "false"))
                *header = false;
            else
                return rp_fail(eb, RP_EINVAL, "csv: bad argument '%s': expected header=yes|no", a);
        } else if (eq && rp_str_eq_cstr(key, "delimiter")) {
            if (rp_str_eq_cstr(val, "\\t") || rp_str_eq_cstr(val, "tab"))
                *delim = '\t';
            else if (val.len == 1 && val.p[0] != '"' && val.p[0] != '\n' && val.p[0] != '\r')
                *delim = val.p[0];
            else
                return rp_fail(eb, RP_EINVAL,
                               "csv: bad argument '%s': the delimiter is one character or \\t", a);
        } else {
            return rp_fail(eb, RP_EINVAL,
                           "csv: unknown argument '%s': expected header=yes|no or delimiter=C", a);
        }
    }
    return RP_OK;
}

static rp_err csv_connect(struct rp_query_tabinfo *ti, int argc, const char *const *argv,
                          struct rp_errbuf *eb)
{
    char delim = ',';
    bool header = true;
    rp_err e = csv_parse_args(argc, argv, &delim, &header, eb);
    if (e) return e;
    struct csv_priv *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(argv[0]))) {
        free(p);
        return rp_fail(eb, RP_ENOMEM, "csv: out of memory");
    }
    p->delim = delim;
    p->header = header;

    struct csv_reader r;
    bool got = false;
    e = reader_open(&r, p->path, delim, CSV_MAX_COLS, NULL, eb);
    if (!e) e = reader_next(&r, &got, eb);
    if (e) goto out;
    if (!got && r.gz_err) {
        e = rp_fail(eb, r.gz_err, "csv: %s", r.gz_msg);
        goto out;
    }
    if (!got) {
        e = rp_fail(eb, RP_EPARSE, "csv: '%s' is empty", p->path);
        goto out;
    }
    if (r.too_big || r.unterminated || r.nfields > CSV_MAX_COLS) {
        e = rp_fail(eb, RP_EPARSE, "csv: '%s' line %lld: %s", p->path, (long long)r.rec_line,
                    r.too_big        ? "first record larger than 16 MiB"
                    : r.unterminated ? "unterminated quoted field"
                                     : "more than 1000 fields");
        goto out;
    }
    p->nfields = r.nfields;
    p->cols = calloc(p->nfields + 2, sizeof *p->cols);
    if (!p->cols) {
        e = rp_fail(eb, RP_ENOMEM, "csv: out of memory");
        goto out;
    }
    for (size_t i = 0; i < p->nfields && !e; i++) {
        size_t a = i ? r.ends[i - 1] : 0;
        if (header)
            e = set_name(p->cols, i, r.rec.data ? r.rec.data + a : "", r.ends[i] - a, eb);
        else
            e = set_name(p->cols, i, "", 0, eb);
    }
    if (e) goto out;
    p->cols[p->nfields] = (struct rp_query_col){"_line", RP_QCOL_INT, RP_QCOL_HIDDEN};
    p->cols[p->nfields + 1] = (struct rp_query_col){"_file", RP_QCOL_TEXT, RP_QCOL_HIDDEN};
out:
    reader_close(&r);
    if (e) {
        priv_free(p);
        return e;
    }
    ti->priv = p;
    ti->cols = p->cols;
    ti->ncols = p->nfields + 2;
    return RP_OK;
}

static void csv_disconnect(struct rp_query_tabinfo *ti)
{
    priv_free(ti->priv);
    ti->priv = NULL;
}

/* ---- scans -------------------------------------------------------------------------------- */

struct csv_cur {
    struct csv_reader r;
    bool open;
};

static void csv_close(struct rp_query_cur *cur)
{
    struct csv_cur *c = cur->state;
    if (c->open) reader_close(&c->r);
    c->open = false;
}

/* Report once per record: scans go in file order, so a line at or before warned_line was
 * reported by an earlier scan of this table. */
static bool first_report(struct csv_priv *p, int64_t line)
{
    if (line <= p->warned_line) return false;
    p->warned_line = line;
    return true;
}

static rp_err csv_next(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct csv_cur *c = cur->state;
    struct csv_priv *p = cur->ti->priv;
    struct csv_reader *r = &c->r;
    for (;;) {
        bool got = false;
        rp_err e = reader_next(r, &got, eb);
        if (e) return e;
        if (!got) {
            if (r->gz_err && first_report(p, INT64_MAX))
                rp_query_warn(cur->ti, true, "csv: %s", r->gz_msg);
            cur->eof = true;
            return RP_OK;
        }
        if (r->too_big) {
            if (first_report(p, r->rec_line))
                rp_query_warn(cur->ti, true,
                              "csv: '%s' line %lld: record larger than 16 MiB, skipped", p->path,
                              (long long)r->rec_line);
            continue;
        }
        if (r->unterminated) {
            if (first_report(p, r->rec_line))
                rp_query_warn(cur->ti, true, "csv: '%s' line %lld: unterminated quoted field",
                              p->path, (long long)r->rec_line);
        } else if (r->nfields != p->nfields) {
            if (first_report(p, r->rec_line))
                rp_query_warn(cur->ti, true, "csv: '%s' line %lld: %zu fields, %s has %zu", p->path,
                              (long long)r->rec_line, r->nfields,
                              p->header ? "header" : "first record", p->nfields);
        }
        return RP_OK;
    }
}

static rp_err csv_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons, size_t ncons,
                         struct rp_errbuf *eb)
{
    struct csv_cur *c = cur->state;
    struct csv_priv *p = cur->ti->priv;
    csv_close(cur);
    cur->eof = false;
    rp_err e = reader_open(&c->r, p->path, p->delim, p->nfields, cur->ti->stats, eb);
    c->open = true;
    if (e) return e;
    if (p->header) {
        bool got = false;
        if ((e = reader_next(&c->r, &got, eb))) return e;
    }
    return csv_next(cur, eb);
}

static rp_err csv_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                         struct rp_errbuf *eb)
{
    struct csv_cur *c = cur->state;
    struct csv_priv *p = cur->ti->priv;
    const struct csv_reader *r = &c->r;
    size_t i = (size_t)col;
    if (i == p->nfields) {
        sqlite3_result_int64(ctx, r->rec_line);
    } else if (i == p->nfields + 1) {
        sqlite3_result_text(ctx, p->path, -1, SQLITE_STATIC);
    } else if (i < r->nkept) {
        size_t a = i ? r->ends[i - 1] : 0;
        sqlite3_result_text(ctx, r->rec.data ? r->rec.data + a : "", (int)(r->ends[i] - a),
                            SQLITE_TRANSIENT);
    } else {
        sqlite3_result_null(ctx);
    }
    return RP_OK;
}

const struct rp_query_table rp_qtab_csv = {
    .name = "csv",
    .summary = "a CSV or TSV file (gzip or plain) read in place: csv('file.csv' [, 'header=no'] "
               "[, 'delimiter=;'])",
    .flags = RP_QTAB_CREATE,
    .connect = csv_connect,
    .disconnect = csv_disconnect,
    .cursor_size = sizeof(struct csv_cur),
    .filter = csv_filter,
    .next = csv_next,
    .column = csv_column,
    .close = csv_close,
};
