/* SPDX-License-Identifier: Apache-2.0 */
/* rp_json, the C half (see rp_json.h): the JSON writer, and the validating scanner that
 * locates the first error of a document simdjson refused.
 *
 * The writer escapes strings in runs: bytes that need no escaping (printable ASCII other than
 * '"' and '\\', and well-formed UTF-8) are copied in one append, everything else is escaped
 * or replaced by U+FFFD one unit at a time. Doubles are printed with the shortest %.Ng that
 * reads back exactly, so a serialized document re-parses to equal numbers.
 *
 * The scanner is a plain state machine over the bytes (no recursion; container kinds are kept
 * as a bit stack) that follows RFC 8259 plus simdjson's number ranges. It runs only on the
 * failure path and in tests and fuzzing, where it must agree with simdjson on every input;
 * tests/fuzz/fuzz_json.c checks that agreement. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_banned.h"

/* ---- UTF-8 ------------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s[0..n) (s[0] >= 0x80), or 0 when ill-formed,
 * with *bad = length of the maximal ill-formed subpart (>= 1), per Unicode §3.9 table 3-7. */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t need;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f; /* surrogates are not characters */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f; /* nothing past U+10FFFF */
    } else {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xbf;
    }
    return need;
}

/* ---- writer ------------------------------------------------------------------------------ */

void rp_json_writer_init(struct rp_json_writer *w, struct rp_buf *buf)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->start = buf->len;
}

static bool top_is_obj(const struct rp_json_writer *w)
{
    uint32_t d = w->depth - 1;
    return w->depth && ((w->objs[d / 64] >> (d % 64)) & 1);
}

static void put(struct rp_json_writer *w, const void *p, size_t n)
{
    if (w->err) return;
    rp_err e = rp_buf_append(w->buf, p, n);
    if (e) w->err = e;
}

static void putch(struct rp_json_writer *w, char c)
{
    if (w->err) return;
    rp_err e = rp_buf_putc(w->buf, c);
    if (e) w->err = e;
}

/* Separator before a value; false when the writer has failed or the value is misplaced. */
static bool value_begin(struct rp_json_writer *w)
{
    if (w->err) return false;
    if (w->depth > RP_MAX_JSON_DEPTH) {
        w->err = RP_ELIMIT; /* the reader's depth rule: containers around a value */
        return false;
    }
    if (top_is_obj(w)) {
        if (!w->key) {
            w->err = RP_EINVAL; /* a value inside an object needs a key first */
            return false;
        }
        w->key = false; /* the ':' went out with the key */
    } else if (w->comma) {
        putch(w, w->depth ? ',' : '\n');
    }
    w->comma = true;
    return !w->err;
}

static void container_begin(struct rp_json_writer *w, bool obj)
{
    if (!value_begin(w)) return;
    uint32_t d = w->depth;
    if (obj)
        w->objs[d / 64] |= (uint64_t)1 << (d % 64);
    else
        w->objs[d / 64] &= ~((uint64_t)1 << (d % 64));
    putch(w, obj ? '{' : '[');
    w->depth++;
    w->comma = false;
}

static void container_end(struct rp_json_writer *w, bool obj)
{
    if (w->err) return;
    if (!w->depth || top_is_obj(w) != obj || w->key) {
        w->err = RP_EINVAL;
        return;
    }
    putch(w, obj ? '}' : ']');
    w->depth--;
    w->comma = true;
}

void rp_json_write_obj_begin(struct rp_json_writer *w)
{
    container_begin(w, true);
}

void rp_json_write_obj_end(struct rp_json_writer *w)
{
    container_end(w, true);
}

void rp_json_write_arr_begin(struct rp_json_writer *w)
{
    container_begin(w, false);
}

void rp_json_write_arr_end(struct rp_json_writer *w)
{
    container_end(w, false);
}

static void put_escaped(struct rp_json_writer *w, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0;
    putch(w, '"');
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\') {
                i++;
                continue;
            }
            put(w, s + run, i - run);
            char esc[6] = {'\\', 0, 0, 0, 0, 0};
            size_t n = 2;
            switch (c) {
            case '"':
                esc[1] = '"';
                break;
            case '\\':
                esc[1] = '\\';
                break;
            case '\b':
                esc[1] = 'b';
                break;
            case '\f':
                esc[1] = 'f';
                break;
            case '\n':
                esc[1] = 'n';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            case '\t':
                esc[1] = 't';
                break;
            default:
                esc[1] = 'u';
                esc[2] = '0';
                esc[3] = '0';
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                n = 6;
            }
            put(w, esc, n);
            run = ++i;
            continue;
        }
        size_t bad, n = utf8_seq(s + i, len - i, &bad);
        if (n) {
            i += n;
            continue;
        }
        put(w, s + run, i - run);
        put(w, "\xef\xbf\xbd", 3); /* U+FFFD REPLACEMENT CHARACTER */
        i += bad;
        run = i;
    }
    put(w, s + run, i - run);
    putch(w, '"');
}

void rp_json_write_key(struct rp_json_writer *w, const char *k, size_t len)
{
    if (w->err) return;
    if (!top_is_obj(w) || w->key) {
        w->err = RP_EINVAL;
        return;
    }
    if (w->comma) putch(w, ',');
    put_escaped(w, k, len);
    putch(w, ':');
    w->key = true;
    w->comma = true;
}

void rp_json_write_str(struct rp_json_writer *w, const char *s, size_t len)
{
    if (value_begin(w)) put_escaped(w, s, len);
}

void rp_json_write_int(struct rp_json_writer *w, int64_t v)
{
    char tmp[24];
    if (!value_begin(w)) return;
    int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
    put(w, tmp, (size_t)n);
}

void rp_json_write_uint(struct rp_json_writer *w, uint64_t v)
{
    char tmp[24];
    if (!value_begin(w)) return;
    int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
    put(w, tmp, (size_t)n);
}

void rp_json_write_double(struct rp_json_writer *w, double v)
{
    char tmp[40];
    if (!value_begin(w)) return;
    if (!isfinite(v)) {
        put(w, "null", 4);
        return;
    }
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (prec == 17 || strtod(tmp, NULL) == v) break;
    }
    bool frac = false;
    for (int i = 0; i < n; i++) {
        if (tmp[i] == ',') tmp[i] = '.'; /* a locale with a decimal comma */
        if (tmp[i] == '.' || tmp[i] == 'e') frac = true;
    }
    if (!frac) {
        tmp[n++] = '.';
        tmp[n++] = '0';
    }
    put(w, tmp, (size_t)n);
}

void rp_json_write_bool(struct rp_json_writer *w, bool v)
{
    if (value_begin(w)) put(w, v ? "true" : "false", v ? 4 : 5);
}

void rp_json_write_null(struct rp_json_writer *w)
{
    if (value_begin(w)) put(w, "null", 4);
}

void rp_json_write_raw(struct rp_json_writer *w, const char *json, size_t len)
{
    if (value_begin(w)) put(w, json, len);
}

void rp_json_write_cstr(struct rp_json_writer *w, const char *s)
{
    if (s)
        rp_json_write_str(w, s, strlen(s));
    else
        rp_json_write_null(w);
}

void rp_json_write_kv_str(struct rp_json_writer *w, const char *k, const char *s, size_t len)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_str(w, s, len);
}

void rp_json_write_kv_cstr(struct rp_json_writer *w, const char *k, const char *s)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_cstr(w, s);
}

void rp_json_write_kv_int(struct rp_json_writer *w, const char *k, int64_t v)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_int(w, v);
}

void rp_json_write_kv_uint(struct rp_json_writer *w, const char *k, uint64_t v)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_uint(w, v);
}

void rp_json_write_kv_double(struct rp_json_writer *w, const char *k, double v)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_double(w, v);
}

void rp_json_write_kv_bool(struct rp_json_writer *w, const char *k, bool v)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_bool(w, v);
}

void rp_json_write_kv_null(struct rp_json_writer *w, const char *k)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_null(w);
}

bool rp_json_writer_wants_key(const struct rp_json_writer *w)
{
    return top_is_obj(w) && !w->key;
}

rp_err rp_json_writer_finish(struct rp_json_writer *w)
{
    if (!w->err && (w->depth || w->key)) w->err = RP_EINVAL;
    if (w->err) rp_buf_truncate(w->buf, w->start);
    return w->err;
}

/* ---- lookup plus getter ------------------------------------------------------------------ */

/* RP_ENOENT for an absent member; RP_EINVAL for a non-object, or a member of the wrong type. */
#define OBJ_GET_TYPED(name, type, getter)                                                          \
    rp_err name(struct rp_json_val obj, const char *key, type *out)                                \
    {                                                                                              \
        struct rp_json_val v;                                                                      \
        rp_err e = rp_json_obj_get(obj, key, &v);                                                  \
        return e ? e : getter(v, out);                                                             \
    }

OBJ_GET_TYPED(rp_json_obj_get_str, struct rp_str, rp_json_get_str)
OBJ_GET_TYPED(rp_json_obj_get_i64, int64_t, rp_json_get_i64)
OBJ_GET_TYPED(rp_json_obj_get_u64, uint64_t, rp_json_get_u64)
OBJ_GET_TYPED(rp_json_obj_get_double, double, rp_json_get_double)
OBJ_GET_TYPED(rp_json_obj_get_bool, bool, rp_json_get_bool)

/* ---- validating scanner ------------------------------------------------------------------ */

struct scan {
    const unsigned char *s;
    size_t len;
    size_t pos;
    size_t depth;
    size_t max_depth;
    uint64_t *objs;     /* bit stack of container kinds, 1 = object */
    size_t err_off;     /* offset of the first error */
    const char *reason; /* its reason, static text */
    int ch;             /* the offending byte for "unexpected character", or -1 */
};

static bool fail_at(struct scan *sc, size_t off, const char *reason)
{
    sc->err_off = off;
    sc->reason = reason;
    return false;
}

static bool fail_char(struct scan *sc)
{
    if (sc->pos >= sc->len) return fail_at(sc, sc->len, "unexpected end of input");
    sc->ch = sc->s[sc->pos];
    return fail_at(sc, sc->pos, "unexpected character");
}

static void skip_ws(struct scan *sc)
{
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
        sc->pos++;
    }
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The code unit of \uXXXX at s[i..], or -1 when it is not exactly that. */
static long u_escape(const struct scan *sc, size_t i)
{
    if (i + 6 > sc->len || sc->s[i] != '\\' || sc->s[i + 1] != 'u') return -1;
    long v = 0;
    for (size_t k = 2; k < 6; k++) {
        int h = hexval(sc->s[i + k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static bool scan_string(struct scan *sc)
{
    size_t open = sc->pos, i = sc->pos + 1;
    const unsigned char *s = sc->s;
    for (;;) {
        if (i >= sc->len) return fail_at(sc, open, "unterminated string");
        unsigned char c = s[i];
        if (c == '"') break;
        if (c == '\\') {
            if (i + 1 >= sc->len) return fail_at(sc, open, "unterminated string");
            switch (s[i + 1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                i += 2;
                continue;
            case 'u':
                break;
            default:
                return fail_at(sc, i, "invalid escape");
            }
            long u = u_escape(sc, i);
            if (u < 0) return fail_at(sc, i, "invalid escape");
            if (u >= 0xdc00 && u <= 0xdfff) return fail_at(sc, i, "lone surrogate");
            if (u >= 0xd800 && u <= 0xdbff) {
                if (i + 7 < sc->len && s[i + 6] == '\\' && s[i + 7] == 'u') {
                    long lo = u_escape(sc, i + 6);
                    if (lo < 0) return fail_at(sc, i + 6, "invalid escape");
                    if (lo < 0xdc00 || lo > 0xdfff) return fail_at(sc, i, "lone surrogate");
                    i += 12;
                    continue;
                }
                return fail_at(sc, i, "lone surrogate");
            }
            i += 6;
            continue;
        }
        if (c < 0x20) return fail_at(sc, i, "unescaped control character");
        if (c >= 0x80) {
            size_t bad, n = utf8_seq(s + i, sc->len - i, &bad);
            if (!n) return fail_at(sc, i, "invalid UTF-8");
            i += n;
            continue;
        }
        i++;
    }
    sc->pos = i + 1;
    return true;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Does the double token t[0..n) (grammar already checked) overflow to infinity? */
static int double_overflows(const unsigned char *t, size_t n)
{
    char small[64], *copy = small;
    if (n >= sizeof(small)) {
        copy = malloc(n + 1);
        if (!copy) return -1;
    }
    memcpy(copy, t, n);
    copy[n] = '\0';
    double d = strtod(copy, NULL);
    if (copy != small) free(copy);
    return isinf(d) ? 1 : 0;
}

/* A number: the greedy token of number characters must match the JSON grammar, an integer
 * must fit int64 or uint64 and a double must stay finite (simdjson's rules). */
static bool scan_number(struct scan *sc, bool *oom)
{
    const unsigned char *s = sc->s;
    size_t start = sc->pos, end = start;
    while (end < sc->len && (is_digit(s[end]) || s[end] == '-' || s[end] == '+' || s[end] == '.' ||
                             s[end] == 'e' || s[end] == 'E'))
        end++;
    size_t i = start;
    bool neg = false, is_int = true;
    if (i < end && s[i] == '-') {
        neg = true;
        i++;
    }
    if (i >= end || !is_digit(s[i])) return fail_at(sc, start, "invalid number");
    size_t int_start = i;
    if (s[i] == '0') {
        i++;
    } else {
        while (i < end && is_digit(s[i])) i++;
    }
    size_t int_end = i;
    if (i < end && s[i] == '.') {
        is_int = false;
        i++;
        if (i >= end || !is_digit(s[i])) return fail_at(sc, start, "invalid number");
        while (i < end && is_digit(s[i])) i++;
    }
    if (i < end && (s[i] == 'e' || s[i] == 'E')) {
        is_int = false;
        i++;
        if (i < end && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= end || !is_digit(s[i])) return fail_at(sc, start, "invalid number");
        while (i < end && is_digit(s[i])) i++;
    }
    if (i != end) return fail_at(sc, start, "invalid number");
    if (is_int) {
        /* magnitude limit: 2^63 when negative, 2^64 - 1 otherwise */
        uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : UINT64_MAX;
        for (size_t k = int_start; k < int_end; k++) {
            unsigned d = s[k] - '0';
            if (v > (lim - d) / 10) return fail_at(sc, start, "integer out of range");
            v = v * 10 + d;
        }
    } else {
        int o = double_overflows(s + start, end - start);
        if (o < 0) {
            *oom = true;
            return false;
        }
        if (o) return fail_at(sc, start, "number out of range");
    }
    sc->pos = end;
    return true;
}

static bool scan_literal(struct scan *sc, const char *lit, size_t n)
{
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, lit, n) != 0)
        return fail_at(sc, sc->pos, "invalid literal");
    sc->pos += n;
    return true;
}

static void push(struct scan *sc, bool obj)
{
    size_t d = sc->depth++;
    if (obj)
        sc->objs[d / 64] |= (uint64_t)1 << (d % 64);
    else
        sc->objs[d / 64] &= ~((uint64_t)1 << (d % 64));
    sc->pos++;
}

static bool top_obj(const struct scan *sc)
{
    size_t d = sc->depth - 1;
    return (sc->objs[d / 64] >> (d % 64)) & 1;
}

/* The state machine: VALUE expects a value, KEY a member name (then ':' and a value), AFTER
 * a ',' or a closing bracket (or the end of input at depth 0). */
static bool scan_doc(struct scan *sc, bool *oom)
{
    enum { VALUE, KEY, AFTER } st = VALUE;
    for (;;) {
        skip_ws(sc);
        if (st == AFTER && sc->depth == 0) {
            if (sc->pos < sc->len) return fail_at(sc, sc->pos, "trailing content");
            return true;
        }
        if (sc->pos >= sc->len) return fail_char(sc);
        unsigned char c = sc->s[sc->pos];
        if (st == KEY) {
            if (c != '"') return fail_char(sc);
            if (!scan_string(sc)) return false;
            skip_ws(sc);
            if (sc->pos >= sc->len || sc->s[sc->pos] != ':') return fail_char(sc);
            sc->pos++;
            st = VALUE;
            continue;
        }
        if (st == AFTER) {
            if (c == ',') {
                sc->pos++;
                st = top_obj(sc) ? KEY : VALUE;
            } else if (c == (top_obj(sc) ? '}' : ']')) {
                sc->pos++;
                sc->depth--;
            } else {
                return fail_char(sc);
            }
            continue;
        }
        /* VALUE: the depth of a value is the number of containers around it (simdjson's rule:
         * an empty container adds no level) */
        if (sc->depth > sc->max_depth) return fail_at(sc, sc->pos, "nesting too deep");
        switch (c) {
        case '{':
        case '[':
            push(sc, c == '{');
            skip_ws(sc);
            if (sc->pos < sc->len && sc->s[sc->pos] == (c == '{' ? '}' : ']')) {
                sc->pos++;
                sc->depth--;
                st = AFTER;
            } else {
                st = c == '{' ? KEY : VALUE;
            }
            continue;
        case '"':
            if (!scan_string(sc)) return false;
            break;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
            if (!scan_number(sc, oom)) return false;
            break;
        case 't':
            if (!scan_literal(sc, "true", 4)) return false;
            break;
        case 'f':
            if (!scan_literal(sc, "false", 5)) return false;
            break;
        case 'n':
            if (!scan_literal(sc, "null", 4)) return false;
            break;
        default:
            return fail_char(sc);
        }
        st = AFTER;
    }
}

rp_err rp_json_validate(const char *json, size_t len, size_t max_depth, size_t *offset,
                        struct rp_errbuf *eb)
{
    uint64_t small[RP_MAX_JSON_DEPTH / 64 + 1];
    struct scan sc = {(const unsigned char *)json, len, 0, 0, 0, small, 0, NULL, -1};
    if (offset) *offset = SIZE_MAX;
    sc.max_depth = max_depth ? max_depth : RP_MAX_JSON_DEPTH;
    if (sc.max_depth >= 64 * RP_ARRAY_LEN(small)) {
        /* up to max_depth + 1 containers open, and never more than the input has bytes */
        size_t bits = sc.max_depth < len ? sc.max_depth + 1 : len;
        sc.objs = calloc(bits / 64 + 1, sizeof(uint64_t));
        if (!sc.objs) return rp_fail(eb, RP_ENOMEM, "json: out of memory validating");
    }
    bool oom = false, ok = scan_doc(&sc, &oom);
    if (sc.objs != small) free(sc.objs);
    if (oom) return rp_fail(eb, RP_ENOMEM, "json: out of memory validating");
    if (ok) return RP_OK;
    if (offset) *offset = sc.err_off;
    if (!strcmp(sc.reason, "nesting too deep"))
        return rp_fail(eb, RP_ELIMIT, "json: nesting deeper than the limit of %zu at offset %zu",
                       sc.max_depth, sc.err_off);
    if (sc.ch < 0) return rp_fail(eb, RP_EPARSE, "json: %s at offset %zu", sc.reason, sc.err_off);
    if (sc.ch > 0x20 && sc.ch < 0x7f)
        return rp_fail(eb, RP_EPARSE, "json: %s '%c' at offset %zu", sc.reason, sc.ch, sc.err_off);
    return rp_fail(eb, RP_EPARSE, "json: %s '\\x%02x' at offset %zu", sc.reason, sc.ch, sc.err_off);
}
