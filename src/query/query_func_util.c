/* SPDX-License-Identifier: Apache-2.0 */
/* What the SQL function groups of `rampart query` share (query_func.h): registering a group
 * from its table of definitions, the reference-counted group state with its cached JSON
 * document (the same requestparameters or useridentity text is often read by several
 * functions of one row, and comparing bytes is much cheaper than parsing them again), and the
 * helpers that turn JSON values and buffers into SQL results. */
#define RP_LOG_MODULE "query"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_func.h"
#include "core/rp_banned.h"

#ifndef SQLITE_RESULT_SUBTYPE
#define SQLITE_RESULT_SUBTYPE 0 /* SQLite 3.45+; 3.40 needs no declaration */
#endif

struct rp_qf_state *rp_qf_state_new(void)
{
    struct rp_qf_state *st = calloc(1, sizeof *st);
    if (st) st->refs = 1;
    return st;
}

void rp_qf_state_unref(void *p)
{
    struct rp_qf_state *st = p;
    if (!st || --st->refs > 0) return;
    rp_json_parser_free(st->parser);
    free(st->doc);
    if (st->extra && st->extra_free) st->extra_free(st->extra);
    free(st);
}

int rp_qf_register(sqlite3 *db, const struct rp_qf_def *defs, size_t n, struct rp_qf_state *st)
{
    for (size_t i = 0; i < n; i++) {
        const struct rp_qf_def *d = &defs[i];
        int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS;
        if (d->flags & RP_QF_DET) flags |= SQLITE_DETERMINISTIC;
        if (d->flags & RP_QF_SUBTYPE) flags |= SQLITE_SUBTYPE;
        if (d->flags & RP_QF_JSONOUT) flags |= SQLITE_RESULT_SUBTYPE;
        if (st) st->refs++;
        /* On failure SQLite calls the destructor itself, dropping the reference just taken. */
        int rc = sqlite3_create_function_v2(db, d->name, d->nargs, flags, st, d->fn, d->step,
                                            d->final, st ? rp_qf_state_unref : NULL);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

struct rp_qf_state *rp_qf_state_of(sqlite3_context *ctx)
{
    return sqlite3_user_data(ctx);
}

bool rp_qf_text(sqlite3_value *v, const char **s, size_t *n)
{
    int t = sqlite3_value_type(v);
    if (t == SQLITE_NULL) return false;
    const char *p = t == SQLITE_BLOB ? sqlite3_value_blob(v) : (const char *)sqlite3_value_text(v);
    int len = sqlite3_value_bytes(v);
    if (!p) {
        if (len != 0 && t != SQLITE_BLOB) return false; /* out of memory converting */
        p = "";
        len = 0;
    }
    *s = p;
    *n = (size_t)len;
    return true;
}

rp_err rp_qf_json_doc(struct rp_qf_state *st, sqlite3_value *v, struct rp_json_val *root)
{
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(v, &s, &n)) return sqlite3_value_type(v) == SQLITE_NULL ? RP_EPARSE : RP_ENOMEM;
    if (st->doc_state != 0 && n == st->doc_len && memcmp(s, st->doc, n) == 0) {
        *root = st->root;
        return st->doc_state == 1 ? RP_OK : RP_EPARSE;
    }
    if (!st->parser && !(st->parser = rp_json_parser_new())) return RP_ENOMEM;
    if (n + RP_BUF_PADDING > st->doc_cap) {
        size_t cap = n + RP_BUF_PADDING;
        char *d = malloc(cap);
        if (!d) return RP_ENOMEM;
        free(st->doc);
        st->doc = d;
        st->doc_cap = cap;
    }
    memcpy(st->doc, s, n);
    memset(st->doc + n, 0, RP_BUF_PADDING);
    st->doc_len = n;
    rp_err e = rp_json_parse_padded(st->parser, st->doc, n, &st->root, NULL);
    if (e == RP_ENOMEM) {
        st->doc_state = 0;
        return RP_ENOMEM;
    }
    st->doc_state = e == RP_OK ? 1 : 2;
    *root = st->root;
    return e == RP_OK ? RP_OK : RP_EPARSE;
}

void rp_qf_result_err(sqlite3_context *ctx, rp_err e)
{
    if (e == RP_ELIMIT)
        sqlite3_result_error_toobig(ctx);
    else
        sqlite3_result_error_nomem(ctx);
}

void rp_qf_result_buf(sqlite3_context *ctx, struct rp_buf *b, bool json)
{
    size_t len = 0;
    char *p = rp_buf_take(b, &len);
    if (!p) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    } else {
        sqlite3_result_text64(ctx, p, len, free, SQLITE_UTF8);
    }
    if (json) sqlite3_result_subtype(ctx, RP_QF_SUBTYPE_JSON);
}

void rp_qf_result_json(sqlite3_context *ctx, struct rp_json_val v)
{
    struct rp_buf b;
    rp_buf_init(&b, (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
    rp_err e = rp_json_serialize(v, &b);
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, true);
}

void rp_qf_result_typed(sqlite3_context *ctx, struct rp_json_val v)
{
    struct rp_str s;
    int64_t i = 0;
    double d = 0;
    bool b = false;
    switch (rp_json_type(v)) {
    case RP_JSON_BOOL:
        if (rp_json_get_bool(v, &b) == RP_OK)
            sqlite3_result_text(ctx, b ? "true" : "false", -1, SQLITE_STATIC);
        return;
    case RP_JSON_INT:
        if (rp_json_get_i64(v, &i) == RP_OK) sqlite3_result_int64(ctx, i);
        return;
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &d) == RP_OK) sqlite3_result_double(ctx, d);
        return;
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &s) == RP_OK)
            sqlite3_result_text64(ctx, s.p, s.len, SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    case RP_JSON_ARRAY:
    case RP_JSON_OBJECT:
        rp_qf_result_json(ctx, v);
        return;
    default:
        sqlite3_result_null(ctx);
        return;
    }
}

bool rp_qf_json_equals(struct rp_json_val el, sqlite3_value *v)
{
    int t = sqlite3_value_type(v);
    enum rp_json_type jt = rp_json_type(el);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        if (jt == RP_JSON_BOOL) {
            bool b = false;
            if (rp_json_get_bool(el, &b) != RP_OK || t != SQLITE_INTEGER) return false;
            return sqlite3_value_int64(v) == (b ? 1 : 0);
        }
        if (jt == RP_JSON_INT && t == SQLITE_INTEGER) {
            int64_t i = 0;
            return rp_json_get_i64(el, &i) == RP_OK && i == sqlite3_value_int64(v);
        }
        if (jt != RP_JSON_INT && jt != RP_JSON_UINT && jt != RP_JSON_DOUBLE) return false;
        double d = 0;
        if (rp_json_get_double(el, &d) != RP_OK) return false;
        return d == sqlite3_value_double(v);
    }
    if (t == SQLITE_TEXT && jt == RP_JSON_STRING) {
        struct rp_str s;
        if (rp_json_get_str(el, &s) != RP_OK) return false;
        const char *p = (const char *)sqlite3_value_text(v);
        size_t n = (size_t)sqlite3_value_bytes(v);
        return p && n == s.len && memcmp(p, s.p, n) == 0;
    }
    return false;
}

rp_err rp_qf_base64_append(struct rp_buf *b, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t out = (n + 2) / 3 * 4;
    rp_err e = rp_buf_reserve(b, out);
    if (e) return e;
    char *o = b->data + b->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t x = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = tab[x >> 18];
        *o++ = tab[(x >> 12) & 63];
        *o++ = tab[(x >> 6) & 63];
        *o++ = tab[x & 63];
    }
    if (n - i == 1) {
        uint32_t x = (uint32_t)p[i] << 16;
        *o++ = tab[x >> 18];
        *o++ = tab[(x >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t x = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        *o++ = tab[x >> 18];
        *o++ = tab[(x >> 12) & 63];
        *o++ = tab[(x >> 6) & 63];
        *o++ = '=';
    }
    rp_buf_commit(b, out);
    return RP_OK;
}

void rp_qf_write_value(struct rp_json_writer *w, sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
        rp_json_write_int(w, sqlite3_value_int64(v));
        return;
    case SQLITE_FLOAT:
        rp_json_write_double(w, sqlite3_value_double(v));
        return;
    case SQLITE_TEXT: {
        const char *s = (const char *)sqlite3_value_text(v);
        size_t n = (size_t)sqlite3_value_bytes(v);
        if (!s) {
            w->err = w->err ? w->err : RP_ENOMEM;
            return;
        }
        if (sqlite3_value_subtype(v) == RP_QF_SUBTYPE_JSON && n > 0)
            rp_json_write_raw(w, s, n);
        else
            rp_json_write_str(w, s, n);
        return;
    }
    case SQLITE_BLOB: {
        struct rp_buf b;
        rp_buf_init(&b, 0);
        const unsigned char *p = sqlite3_value_blob(v);
        rp_err e = rp_qf_base64_append(&b, p, (size_t)sqlite3_value_bytes(v));
        if (e) {
            w->err = w->err ? w->err : e;
        } else {
            rp_json_write_str(w, b.data ? b.data : "", b.len);
        }
        rp_buf_release(&b);
        return;
    }
    default:
        rp_json_write_null(w);
        return;
    }
}

size_t rp_qf_utf8_len(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || ((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

size_t rp_qf_utf8_offset(const char *s, size_t n, size_t k)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || ((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == k) return i;
            c++;
        }
    }
    return n;
}

bool rp_qf_eq_nocase(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (m != n) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)lit[i];
        if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z') b = (unsigned char)(b + 32);
        if (a != b) return false;
    }
    return true;
}

void rp_qf_error(sqlite3_context *ctx, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sqlite3_result_error(ctx, msg, -1);
}

struct rp_buf rp_qf_buf(sqlite3_context *ctx)
{
    struct rp_buf b;
    rp_buf_init(&b, (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
    return b;
}

void rp_qf_result_array(sqlite3_context *ctx, struct rp_json_writer *w, struct rp_buf *b)
{
    rp_json_write_arr_end(w);
    rp_err e = rp_json_writer_finish(w);
    if (e) {
        rp_buf_release(b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, b, true);
}

int rp_qf_register_group(sqlite3 *db, const struct rp_qf_def *defs, size_t n)
{
    struct rp_qf_state *st = rp_qf_state_new();
    if (!st) return SQLITE_NOMEM;
    int rc = rp_qf_register(db, defs, n, st);
    rp_qf_state_unref(st);
    return rc;
}
