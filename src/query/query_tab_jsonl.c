/* SPDX-License-Identifier: Apache-2.0 */
/* query_tab_jsonl: the jsonl connector of `rampart query` (query_table.h,
 * docs/query-connectors.md).
 *
 *     CREATE VIRTUAL TABLE temp.t USING jsonl('events.jsonl.gz')
 *
 * One JSON value per line (JSON Lines / NDJSON), gzip or plain by magic bytes. connect() reads
 * the first 1,000 lines: the columns are the top-level keys of the objects found there, in
 * first-seen order, typed from the values they held (integers and booleans INTEGER, numbers
 * with a fraction REAL, objects and arrays JSON text, strings or a mix TEXT), plus hidden
 * _line, _file and _raw (the line itself). Keys outside that list are only in _raw. Each scan
 * streams the file again through rp_gz with bounded memory (a window holding the current line,
 * at most RP_MAX_LINE_BYTES) and parses each line with rp_json (simdjson). Lines that are not
 * JSON, or too long, are reported with rp_query_warn and skipped; blank lines are skipped. */
#define RP_LOG_MODULE "query"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define JL_CHUNK        (64u << 10)
#define JL_SAMPLE_LINES 1000 /* lines read by connect() for the columns */
#define JL_MAX_COLS     1000 /* keys past this many are only in _raw */
#define JL_SLOTS        2048 /* hash slots for key lookup, a power of 2 above 2 * JL_MAX_COLS */

/* ---- the streaming line reader ------------------------------------------------------------ */

/* Invariant: win holds decoded bytes; [pos, win.len) are not returned yet and contain no '\n'
 * before scan. A line returned by jl_next_line is a slice of win, valid until the next call
 * (and parseable in place: rp_buf keeps RP_BUF_PADDING bytes after its data). */
struct jl_reader {
    struct rp_gz_reader *gz;
    const char *path;             /* borrowed, for messages */
    struct rp_query_stats *stats; /* may be NULL (connect) */
    struct rp_buf win;
    size_t pos, scan;
    bool eof, started;
    uint64_t counted_in; /* input bytes already added to stats */
    int64_t line;        /* number of the line last returned, from 1 */
    bool too_long;       /* that line was longer than RP_MAX_LINE_BYTES (and is empty) */
    rp_err gz_err;       /* damaged gzip: end of input, reported by the caller */
    char gz_msg[RP_MAX_ERRMSG];
};

static const char *gz_strip(const char *msg)
{
    return strncmp(msg, "gz: ", 4) == 0 ? msg + 4 : msg;
}

static rp_err reader_open(struct jl_reader *r, const char *path, struct rp_query_stats *stats,
                          struct rp_errbuf *eb)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->stats = stats;
    rp_buf_init(&r->win, RP_MAX_LINE_BYTES + 2 * JL_CHUNK);
    struct rp_errbuf geb;
    rp_err e = rp_gz_reader_new_path(&r->gz, path, NULL, &geb);
    if (e) return rp_fail(eb, e, "jsonl: %s", gz_strip(geb.msg));
    if (stats) stats->files_opened++;
    return RP_OK;
}

static void reader_close(struct jl_reader *r)
{
    rp_gz_reader_free(r->gz);
    r->gz = NULL;
    rp_buf_release(&r->win);
}

static rp_err reader_fill(struct jl_reader *r, struct rp_errbuf *eb)
{
    rp_err e = rp_buf_reserve(&r->win, JL_CHUNK);
    if (e) return rp_fail(eb, e, "jsonl: out of memory reading '%s'", r->path);
    size_t got = 0;
    struct rp_errbuf geb;
    e = rp_gz_reader_read(r->gz, r->win.data + r->win.len, JL_CHUNK, &got, &geb);
    struct rp_gz_pos gp;
    rp_gz_reader_pos(r->gz, &gp);
    if (r->stats) r->stats->bytes_scanned += (int64_t)(gp.in - r->counted_in);
    r->counted_in = gp.in;
    if (e == RP_EPARSE || e == RP_ELIMIT) {
        r->gz_err = e;
        rp_strlcpy(r->gz_msg, geb.msg, sizeof r->gz_msg);
        r->eof = true;
        rp_buf_commit(&r->win, 0);
        /* the line cut by the damage is dropped: the caller reports the damage instead */
        r->pos = r->scan = r->win.len;
        return RP_OK;
    }
    if (e) return rp_fail(eb, e, "jsonl: %s", gz_strip(geb.msg));
    rp_buf_commit(&r->win, got);
    if (got == 0) r->eof = true;
    if (!r->started) {
        r->started = true;
        if (r->win.len >= 3 && memcmp(r->win.data, "\xef\xbb\xbf", 3) == 0) r->pos = r->scan = 3;
    }
    return RP_OK;
}

/* The next line (without its "\n" or "\r\n") in *out; *got is false at end of input. */
static rp_err jl_next_line(struct jl_reader *r, struct rp_str *out, bool *got, struct rp_errbuf *eb)
{
    *got = false;
    r->too_long = false;
    bool discarding = false;
    for (;;) {
        if (r->scan < r->win.len) {
            char *nl = memchr(r->win.data + r->scan, '\n', r->win.len - r->scan);
            if (nl) {
                size_t end = (size_t)(nl - r->win.data);
                size_t start = discarding ? end : r->pos;
                r->pos = r->scan = end + 1;
                if (end > start && r->win.data[end - 1] == '\r') end--;
                *out = (struct rp_str){r->win.data + start, end - start};
                r->too_long = discarding;
                r->line++;
                *got = true;
                return RP_OK;
            }
            r->scan = r->win.len;
        }
        if (discarding || r->win.len - r->pos > RP_MAX_LINE_BYTES) {
            discarding = true;
            r->pos = r->win.len; /* drop what the overlong line holds so far */
        }
        if (r->eof) {
            if (r->pos < r->win.len || discarding) {
                *out = (struct rp_str){r->win.data + r->pos, r->win.len - r->pos};
                r->pos = r->scan = r->win.len;
                r->too_long = discarding;
                r->line++;
                *got = true;
            }
            return RP_OK;
        }
        if (r->pos > 0) {
            size_t keep = r->win.len - r->pos;
            memmove(r->win.data, r->win.data + r->pos, keep);
            rp_buf_truncate(&r->win, keep);
            r->scan -= r->pos;
            r->pos = 0;
        }
        rp_err e = reader_fill(r, eb);
        if (e) return e;
    }
}

static bool blank(struct rp_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != '\r') return false;
    return true;
}

/* ---- columns ------------------------------------------------------------------------------ */

enum { K_INT = 1, K_REAL = 2, K_STR = 4, K_CONT = 8 }; /* kinds of values a key held */

struct jl_priv {
    char *path;
    size_t nkeys;
    char **keys;               /* keys[i][0..klens[i]) is column i's member name (may hold NUL) */
    size_t *klens;             /* parallel to keys */
    unsigned *kinds;           /* K_* seen for key i while sampling */
    struct rp_query_col *cols; /* nkeys + 3 (_line, _file, _raw) */
    uint16_t slots[JL_SLOTS];  /* key index + 1, 0 = empty (open addressing) */
    int64_t warned_line;       /* lines at or before this one were reported */
};

static void priv_free(struct jl_priv *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nkeys; i++) {
        free(p->keys[i]);
        if (p->cols) free((char *)p->cols[i].name);
    }
    free(p->keys);
    free(p->klens);
    free(p->kinds);
    free(p->cols);
    free(p->path);
    free(p);
}

/* Index of key k[0..n), or -1. *slot gets the slot where it is or would go. */
static long key_find(const struct jl_priv *p, const char *k, size_t n, size_t *slot)
{
    size_t i = (size_t)rp_hash_xxh3_64(k, n, 0) & (JL_SLOTS - 1);
    for (;; i = (i + 1) & (JL_SLOTS - 1)) {
        unsigned s = p->slots[i];
        if (s == 0) break;
        if (p->klens[s - 1] == n && memcmp(p->keys[s - 1], k, n) == 0) {
            if (slot) *slot = i;
            return (long)s - 1;
        }
    }
    if (slot) *slot = i;
    return -1;
}

static unsigned kind_of(struct rp_json_val v)
{
    switch (rp_json_type(v)) {
    case RP_JSON_BOOL:
    case RP_JSON_INT:
    case RP_JSON_UINT:
        return K_INT;
    case RP_JSON_DOUBLE:
        return K_REAL;
    case RP_JSON_STRING:
        return K_STR;
    case RP_JSON_ARRAY:
    case RP_JSON_OBJECT:
        return K_CONT;
    default:
        return 0;
    }
}

/* Note the keys of one sampled object. */
static rp_err sample_object(struct jl_priv *p, struct rp_json_val obj, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_str k;
    struct rp_json_val v;
    if (rp_json_obj_iter(obj, &it) != RP_OK) return RP_OK;
    while (rp_json_obj_next(&it, &k, &v)) {
        size_t slot = 0;
        long i = key_find(p, k.p, k.len, &slot);
        if (i < 0) {
            if (p->nkeys == JL_MAX_COLS) continue;
            char *copy = malloc(k.len + 1);
            if (!copy) return rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
            memcpy(copy, k.p, k.len);
            copy[k.len] = 0;
            i = (long)p->nkeys++;
            p->keys[i] = copy;
            p->klens[i] = k.len;
            p->kinds[i] = 0;
            p->slots[slot] = (uint16_t)(i + 1);
        }
        p->kinds[i] |= kind_of(v);
    }
    return RP_OK;
}

static enum rp_query_coltype type_of(unsigned kinds)
{
    if (kinds == K_INT) return RP_QCOL_INT;
    if (kinds == K_REAL || kinds == (K_INT | K_REAL)) return RP_QCOL_REAL;
    if (kinds == K_CONT) return RP_QCOL_JSON;
    return RP_QCOL_TEXT;
}

static bool name_taken(const struct rp_query_col *cols, size_t n, const char *name)
{
    if (sqlite3_stricmp(name, "_line") == 0 || sqlite3_stricmp(name, "_file") == 0 ||
        sqlite3_stricmp(name, "_raw") == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (sqlite3_stricmp(cols[i].name, name) == 0) return true;
    return false;
}

/* Column i named after its key (up to a NUL in it); an empty name gives c<i+1>, a name already
 * used (SQLite compares names without case) gets _2, _3, .. */
static rp_err set_name(struct jl_priv *p, size_t i, struct rp_errbuf *eb)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = p->keys[i][0] ? rp_buf_append_str(&b, p->keys[i]) : rp_buf_printf(&b, "c%zu", i + 1);
    size_t base = b.len;
    for (unsigned k = 2; !e && name_taken(p->cols, i, rp_buf_cstr(&b)); k++) {
        rp_buf_truncate(&b, base);
        e = rp_buf_printf(&b, "_%u", k);
    }
    if (!e) p->cols[i].name = rp_buf_take(&b, NULL);
    if (e || !p->cols[i].name) {
        rp_buf_release(&b);
        return rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
    }
    p->cols[i].type = type_of(p->kinds[i]);
    p->cols[i].flags = 0;
    return RP_OK;
}

static rp_err jl_connect(struct rp_query_tabinfo *ti, int argc, const char *const *argv,
                         struct rp_errbuf *eb)
{
    if (argc < 1 || !argv[0][0])
        return rp_fail(eb, RP_EINVAL, "jsonl: expected a file name: jsonl('file.jsonl')");
    if (argc > 1) return rp_fail(eb, RP_EINVAL, "jsonl: unexpected argument '%s'", argv[1]);
    struct jl_priv *p = calloc(1, sizeof *p);
    if (!p) return rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
    p->path = strdup(argv[0]);
    p->keys = calloc(JL_MAX_COLS, sizeof *p->keys);
    p->klens = calloc(JL_MAX_COLS, sizeof *p->klens);
    p->kinds = calloc(JL_MAX_COLS, sizeof *p->kinds);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct jl_reader r;
    memset(&r, 0, sizeof r);
    rp_err e = RP_OK;
    if (!p->path || !p->keys || !p->klens || !p->kinds || !jp) {
        e = rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
        goto out;
    }
    if ((e = reader_open(&r, p->path, NULL, eb))) goto out;
    bool objects = false;
    while (r.line < JL_SAMPLE_LINES) {
        struct rp_str line;
        bool got = false;
        if ((e = jl_next_line(&r, &line, &got, eb))) goto out;
        if (!got) break;
        if (r.too_long || blank(line)) continue;
        struct rp_json_val root;
        if (rp_json_parse_padded(jp, line.p, line.len, &root, NULL) != RP_OK) continue;
        if (rp_json_type(root) != RP_JSON_OBJECT) continue;
        objects = true;
        if ((e = sample_object(p, root, eb))) goto out;
    }
    if (!objects && r.gz_err) {
        e = rp_fail(eb, r.gz_err, "jsonl: %s", r.gz_msg);
        goto out;
    }
    if (!objects) {
        e = rp_fail(eb, RP_EPARSE, "jsonl: '%s': no JSON object in the first %d lines", p->path,
                    JL_SAMPLE_LINES);
        goto out;
    }
    p->cols = calloc(p->nkeys + 3, sizeof *p->cols);
    if (!p->cols) {
        e = rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
        goto out;
    }
    for (size_t i = 0; i < p->nkeys && !e; i++) e = set_name(p, i, eb);
    if (e) goto out;
    p->cols[p->nkeys] = (struct rp_query_col){"_line", RP_QCOL_INT, RP_QCOL_HIDDEN};
    p->cols[p->nkeys + 1] = (struct rp_query_col){"_file", RP_QCOL_TEXT, RP_QCOL_HIDDEN};
    p->cols[p->nkeys + 2] = (struct rp_query_col){"_raw", RP_QCOL_JSON, RP_QCOL_HIDDEN};
out:
    reader_close(&r);
    rp_json_parser_free(jp);
    if (e) {
        priv_free(p);
        return e;
    }
    ti->priv = p;
    ti->cols = p->cols;
    ti->ncols = p->nkeys + 3;
    return RP_OK;
}

static void jl_disconnect(struct rp_query_tabinfo *ti)
{
    priv_free(ti->priv);
    ti->priv = NULL;
}

/* ---- scans -------------------------------------------------------------------------------- */

struct jl_cur {
    struct jl_reader r;
    bool open;
    struct rp_json_parser *jp;
    struct rp_json_val *vals; /* nkeys: the current line's value of each key, or "no value" */
    struct rp_str raw;        /* the current line, borrowed from r.win */
    struct rp_buf tmp;        /* JSON text of a value for column() */
};

static void jl_close(struct rp_query_cur *cur)
{
    struct jl_cur *c = cur->state;
    if (c->open) reader_close(&c->r);
    c->open = false;
    rp_json_parser_free(c->jp);
    c->jp = NULL;
    rp_free_and_null(c->vals);
    rp_buf_release(&c->tmp);
}

/* Report once per line: scans go in file order, so a line at or before warned_line was
 * reported by an earlier scan of this table. */
static bool first_report(struct jl_priv *p, int64_t line)
{
    if (line <= p->warned_line) return false;
    p->warned_line = line;
    return true;
}

static rp_err jl_next(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct jl_cur *c = cur->state;
    struct jl_priv *p = cur->ti->priv;
    struct jl_reader *r = &c->r;
    for (;;) {
        bool got = false;
        rp_err e = jl_next_line(r, &c->raw, &got, eb);
        if (e) return e;
        if (!got) {
            if (r->gz_err && first_report(p, INT64_MAX))
                rp_query_warn(cur->ti, true, "jsonl: %s", r->gz_msg);
            cur->eof = true;
            return RP_OK;
        }
        if (r->too_long) {
            if (first_report(p, r->line))
                rp_query_warn(cur->ti, true,
                              "jsonl: '%s' line %lld: line longer than 16 MiB, skipped", p->path,
                              (long long)r->line);
            continue;
        }
        if (blank(c->raw)) continue;
        struct rp_json_val root;
        struct rp_errbuf jeb = {0};
        e = rp_json_parse_padded(c->jp, c->raw.p, c->raw.len, &root, &jeb);
        if (e == RP_ENOMEM) return rp_fail(eb, e, "jsonl: out of memory reading '%s'", p->path);
        if (e) {
            const char *why = jeb.msg;
            if (strncmp(why, "json: ", 6) == 0) why += 6;
            if (first_report(p, r->line))
                rp_query_warn(cur->ti, true, "jsonl: '%s' line %lld: not JSON (%s)", p->path,
                              (long long)r->line, why);
            continue;
        }
        memset(c->vals, 0, p->nkeys * sizeof *c->vals);
        struct rp_json_iter it;
        if (rp_json_obj_iter(root, &it) == RP_OK) {
            struct rp_str k;
            struct rp_json_val v;
            while (rp_json_obj_next(&it, &k, &v)) {
                long i = key_find(p, k.p, k.len, NULL);
                if (i >= 0 && !c->vals[i].doc) c->vals[i] = v;
            }
        }
        return RP_OK;
    }
}

static rp_err jl_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons, size_t ncons,
                        struct rp_errbuf *eb)
{
    struct jl_cur *c = cur->state;
    struct jl_priv *p = cur->ti->priv;
    if (c->open) reader_close(&c->r);
    c->open = false;
    cur->eof = false;
    if (!c->jp) {
        if (!(c->jp = rp_json_parser_new())) return rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
        rp_buf_init(&c->tmp, 0);
    }
    if (!c->vals && !(c->vals = calloc(p->nkeys, sizeof *c->vals)))
        return rp_fail(eb, RP_ENOMEM, "jsonl: out of memory");
    rp_err e = reader_open(&c->r, p->path, cur->ti->stats, eb);
    c->open = true;
    if (e) return e;
    return jl_next(cur, eb);
}

/* A JSON value as an SQL value for a column declared ty: TEXT columns get strings as they are
 * and anything else as its JSON text; other columns get numbers as numbers (REAL ones as
 * doubles), booleans as 1/0, strings as text, objects and arrays as JSON text. */
static rp_err put_value(struct jl_cur *c, struct rp_json_val v, enum rp_query_coltype ty,
                        sqlite3_context *ctx, struct rp_errbuf *eb)
{
    enum rp_json_type t = rp_json_type(v);
    int64_t i = 0;
    double d = 0;
    bool b = false;
    struct rp_str s = {0};
    if (t == RP_JSON_NONE || t == RP_JSON_NULL) {
        sqlite3_result_null(ctx);
        return RP_OK;
    }
    if (t == RP_JSON_STRING && rp_json_get_str(v, &s) == RP_OK) {
        sqlite3_result_text64(ctx, s.p, s.len, SQLITE_TRANSIENT, SQLITE_UTF8);
        return RP_OK;
    }
    if (ty != RP_QCOL_TEXT) {
        if (t == RP_JSON_BOOL && rp_json_get_bool(v, &b) == RP_OK) {
            sqlite3_result_int(ctx, b);
            return RP_OK;
        }
        if (t == RP_JSON_INT && rp_json_get_i64(v, &i) == RP_OK) {
            if (ty == RP_QCOL_REAL)
                sqlite3_result_double(ctx, (double)i);
            else
                sqlite3_result_int64(ctx, i);
            return RP_OK;
        }
        if ((t == RP_JSON_UINT || t == RP_JSON_DOUBLE) && rp_json_get_double(v, &d) == RP_OK) {
            sqlite3_result_double(ctx, d);
            return RP_OK;
        }
    }
    rp_buf_reset(&c->tmp);
    rp_err e = rp_json_serialize(v, &c->tmp);
    if (e) return rp_fail(eb, e, "jsonl: cannot render a value as JSON");
    sqlite3_result_text64(ctx, rp_buf_cstr(&c->tmp), c->tmp.len, SQLITE_TRANSIENT, SQLITE_UTF8);
    return RP_OK;
}

static rp_err jl_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                        struct rp_errbuf *eb)
{
    struct jl_cur *c = cur->state;
    struct jl_priv *p = cur->ti->priv;
    size_t i = (size_t)col;
    if (i < p->nkeys) return put_value(c, c->vals[i], p->cols[i].type, ctx, eb);
    if (i == p->nkeys)
        sqlite3_result_int64(ctx, c->r.line);
    else if (i == p->nkeys + 1)
        sqlite3_result_text(ctx, p->path, -1, SQLITE_STATIC);
    else
        sqlite3_result_text64(ctx, c->raw.len ? c->raw.p : "", c->raw.len, SQLITE_TRANSIENT,
                              SQLITE_UTF8);
    return RP_OK;
}

const struct rp_query_table rp_qtab_jsonl = {
    .name = "jsonl",
    .summary = "a JSON Lines file (gzip or plain) read in place: jsonl('file.jsonl'); columns "
               "from the keys of its first 1000 lines",
    .flags = RP_QTAB_CREATE,
    .connect = jl_connect,
    .disconnect = jl_disconnect,
    .cursor_size = sizeof(struct jl_cur),
    .filter = jl_filter,
    .next = jl_next,
    .column = jl_column,
    .close = jl_close,
};
