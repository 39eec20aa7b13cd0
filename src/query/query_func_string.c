/* SPDX-License-Identifier: Apache-2.0 */
/* The "string" group of `rampart query` functions: Presto's string and URL functions
 * (split_part, split, strpos, starts_with, concat, lpad, rpad, reverse, url_extract_*,
 * to_base64, from_base64) and its array functions over arrays held as JSON text (contains,
 * cardinality, element_at, array_join, array_distinct, array_sort). contains() also answers
 * Trino's contains(cidr, ip) when its first argument is a CIDR text.
 *
 * Lengths and positions count characters (code points), as Presto does. Arrays produced here
 * (split, array_distinct, array_sort) are JSON text with SQLite's JSON subtype, so json_each
 * and the json group read them back. docs/query-functions.md documents every function. */
#define RP_LOG_MODULE "query"
#include <stdlib.h>
#include <string.h>

#include "query/query_func.h"
#include "query/query_table.h"
#include "core/rp_hash.h"
#include "core/rp_ip.h"
#include "core/rp_banned.h"

/* The first occurrence of d[0..dn) in s[from..n), or NULL. */
static const char *find(const char *s, size_t n, size_t from, const char *d, size_t dn)
{
    if (dn == 0) return s + from;
    if (from > n || n - from < dn) return NULL;
    const char *end = s + n - dn;
    for (const char *p = s + from; p <= end; p++) {
        p = memchr(p, d[0], (size_t)(end - p) + 1);
        if (!p) return NULL;
        if (memcmp(p, d, dn) == 0) return p;
    }
    return NULL;
}

/* ---- strings -------------------------------------------------------------------------------- */

static void split_part_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL, *d = NULL;
    size_t n = 0, dn = 0;
    if (sqlite3_value_type(argv[2]) == SQLITE_NULL) return;
    int64_t idx = sqlite3_value_int64(argv[2]);
    if (idx < 1) {
        rp_qf_error(ctx, "split_part: index must be greater than zero");
        return;
    }
    if (!rp_qf_text(argv[0], &s, &n) || !rp_qf_text(argv[1], &d, &dn)) return;
    if (dn == 0) { /* Presto: the idx-th character */
        size_t off = rp_qf_utf8_offset(s, n, (size_t)idx - 1);
        if (off >= n) return;
        size_t end = rp_qf_utf8_offset(s, n, (size_t)idx);
        sqlite3_result_text64(ctx, s + off, end - off, SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    size_t start = 0;
    for (int64_t k = 1;; k++) {
        const char *p = find(s, n, start, d, dn);
        size_t end = p ? (size_t)(p - s) : n;
        if (k == idx) {
            sqlite3_result_text64(ctx, s + start, end - start, SQLITE_TRANSIENT, SQLITE_UTF8);
            return;
        }
        if (!p) return; /* fewer fields: NULL */
        start = end + dn;
    }
}

static void split_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = NULL, *d = NULL;
    size_t n = 0, dn = 0;
    int64_t limit = INT64_MAX;
    if (argc > 2) {
        if (sqlite3_value_type(argv[2]) == SQLITE_NULL) return;
        limit = sqlite3_value_int64(argv[2]);
        if (limit < 1) {
            rp_qf_error(ctx, "split: limit must be positive");
            return;
        }
    }
    if (!rp_qf_text(argv[0], &s, &n) || !rp_qf_text(argv[1], &d, &dn)) return;
    if (dn == 0) {
        rp_qf_error(ctx, "split: the delimiter must not be empty");
        return;
    }
    struct rp_buf b = rp_qf_buf(ctx);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    size_t start = 0;
    for (int64_t k = 1;; k++) {
        const char *p = k < limit ? find(s, n, start, d, dn) : NULL;
        size_t end = p ? (size_t)(p - s) : n;
        rp_json_write_str(&w, s + start, end - start);
        if (!p) break;
        start = end + dn;
    }
    rp_qf_result_array(ctx, &w, &b);
}

static void strpos_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = NULL, *sub = NULL;
    size_t n = 0, sn = 0;
    int64_t inst = 1;
    if (argc > 2) {
        if (sqlite3_value_type(argv[2]) == SQLITE_NULL) return;
        inst = sqlite3_value_int64(argv[2]);
        if (inst < 1) {
            rp_qf_error(ctx, "strpos: instance must be a positive number");
            return;
        }
    }
    if (!rp_qf_text(argv[0], &s, &n) || !rp_qf_text(argv[1], &sub, &sn)) return;
    if (sn == 0) {
        sqlite3_result_int(ctx, 1);
        return;
    }
    size_t from = 0;
    for (int64_t k = 1;; k++) {
        const char *p = find(s, n, from, sub, sn);
        if (!p) {
            sqlite3_result_int(ctx, 0);
            return;
        }
        if (k == inst) {
            sqlite3_result_int64(ctx, (int64_t)rp_qf_utf8_len(s, (size_t)(p - s)) + 1);
            return;
        }
        from = (size_t)(p - s) + 1;
    }
}

static void starts_with_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL, *p = NULL;
    size_t n = 0, pn = 0;
    if (!rp_qf_text(argv[0], &s, &n) || !rp_qf_text(argv[1], &p, &pn)) return;
    sqlite3_result_int(ctx, pn <= n && memcmp(s, p, pn) == 0);
}

static void concat_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (argc < 2) {
        rp_qf_error(ctx, "concat: there must be two or more arguments");
        return;
    }
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return;
    struct rp_buf b = rp_qf_buf(ctx);
    rp_err e = RP_OK;
    for (int i = 0; i < argc && !e; i++) {
        const char *s = NULL;
        size_t n = 0;
        if (!rp_qf_text(argv[i], &s, &n))
            e = RP_ENOMEM;
        else
            e = rp_buf_append(&b, s, n);
    }
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, false);
}

static void pad(sqlite3_context *ctx, sqlite3_value **argv, bool left, const char *fname)
{
    const char *s = NULL, *p = NULL;
    size_t n = 0, pn = 0;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    int64_t size = sqlite3_value_int64(argv[1]);
    int limit = sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1);
    if (size < 0 || size > limit) {
        rp_qf_error(ctx, "%s: target length must be between 0 and %d", fname, limit);
        return;
    }
    if (!rp_qf_text(argv[0], &s, &n) || !rp_qf_text(argv[2], &p, &pn)) return;
    if (pn == 0) {
        rp_qf_error(ctx, "%s: padding string must not be empty", fname);
        return;
    }
    size_t len = rp_qf_utf8_len(s, n);
    if ((int64_t)len >= size) {
        size_t end = rp_qf_utf8_offset(s, n, (size_t)size);
        sqlite3_result_text64(ctx, s, end, SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    size_t need = (size_t)size - len, plen = rp_qf_utf8_len(p, pn);
    struct rp_buf b = rp_qf_buf(ctx);
    rp_err e = RP_OK;
    if (!left) e = rp_buf_append(&b, s, n);
    while (need > 0 && !e) {
        size_t take = need < plen ? need : plen;
        e = rp_buf_append(&b, p, rp_qf_utf8_offset(p, pn, take));
        need -= take;
    }
    if (left && !e) e = rp_buf_append(&b, s, n);
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, false);
}

static void lpad_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pad(ctx, argv, true, "lpad");
}

static void rpad_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pad(ctx, argv, false, "rpad");
}

static void reverse_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[0], &s, &n)) return;
    char *out = sqlite3_malloc64(n + 1);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t o = n;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80) j++;
        o -= j - i;
        memcpy(out + o, s + i, j - i);
        i = j;
    }
    sqlite3_result_text64(ctx, out, n, sqlite3_free, SQLITE_UTF8);
}

/* ---- URLs ----------------------------------------------------------------------------------- */

/* The parts of a URL (RFC 3986): slices into the text, present ones with has_* set. */
struct url {
    struct rp_str scheme, host, port, path, query, fragment;
    bool has_host, has_path, has_query, has_fragment;
};

static bool url_byte_ok(unsigned char c)
{
    return c > 0x20 && c != 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
           c != '`' && c != '{' && c != '|' && c != '}';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Split s[0..n); false when it is not a URL (a character a URL may not hold, a bad scheme,
 * an unclosed IPv6 bracket). */
static bool url_parse(const char *s, size_t n, struct url *u)
{
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < n; i++)
        if (!url_byte_ok((unsigned char)s[i]) && s[i] != '#') return false;
    size_t i = 0;
    /* scheme: a letter, then letters, digits, '+', '-', '.', up to ':' */
    size_t k = 0;
    while (k < n && (is_alpha(s[k]) || (k > 0 && ((s[k] >= '0' && s[k] <= '9') || s[k] == '+' ||
                                                  s[k] == '-' || s[k] == '.'))))
        k++;
    if (k > 0 && k < n && s[k] == ':') {
        u->scheme = (struct rp_str){s, k};
        i = k + 1;
    }
    size_t end = n;
    const char *hash = memchr(s + i, '#', n - i);
    if (hash) {
        end = (size_t)(hash - s);
        u->fragment = (struct rp_str){hash + 1, n - end - 1};
        u->has_fragment = true;
    }
    if (end - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        size_t a = i + 2, b = a;
        while (b < end && s[b] != '/' && s[b] != '?') b++;
        size_t h = a;
        for (size_t x = a; x < b; x++)
            if (s[x] == '@') h = x + 1; /* userinfo */
        size_t he = b;
        if (h < b && s[h] == '[') {
            const char *close = memchr(s + h, ']', b - h);
            if (!close) return false;
            he = (size_t)(close - s) + 1;
            if (he < b && s[he] != ':') return false;
        } else {
            const char *colon = memchr(s + h, ':', b - h);
            if (colon) he = (size_t)(colon - s);
        }
        if (he > h) {
            u->host = (struct rp_str){s + h, he - h};
            u->has_host = true;
        }
        if (he < b) u->port = (struct rp_str){s + he + 1, b - he - 1};
        i = b;
    } else if (u->scheme.len > 0 && (i >= end || s[i] != '/')) {
        return true; /* opaque (mailto:x@y): no path, no query */
    }
    size_t q = i;
    while (q < end && s[q] != '?') q++;
    u->path = (struct rp_str){s + i, q - i};
    u->has_path = true;
    if (q < end) {
        u->query = (struct rp_str){s + q + 1, end - q - 1};
        u->has_query = true;
    }
    return true;
}

static bool url_arg(sqlite3_value *v, struct url *u)
{
    const char *s = NULL;
    size_t n = 0;
    return rp_qf_text(v, &s, &n) && url_parse(s, n, u);
}

static void result_str(sqlite3_context *ctx, struct rp_str s)
{
    sqlite3_result_text64(ctx, s.p ? s.p : "", s.len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void url_extract_host_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    if (url_arg(argv[0], &u) && u.has_host) result_str(ctx, u.host);
}

static void url_extract_protocol_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    if (url_arg(argv[0], &u) && u.scheme.len > 0) result_str(ctx, u.scheme);
}

static void url_extract_port_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    int64_t port = 0;
    if (url_arg(argv[0], &u) && u.port.len > 0 && rp_str_to_i64(u.port, &port) == RP_OK &&
        port >= 0 && port <= 65535)
        sqlite3_result_int64(ctx, port);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void url_extract_path_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    if (!url_arg(argv[0], &u) || !u.has_path) return;
    char *out = sqlite3_malloc64(u.path.len + 1);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < u.path.len; i++) { /* percent-decoded, as java.net.URI.getPath */
        int hi = 0, lo = 0;
        if (u.path.p[i] == '%' && i + 2 < u.path.len && (hi = hexval(u.path.p[i + 1])) >= 0 &&
            (lo = hexval(u.path.p[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = u.path.p[i];
        }
    }
    sqlite3_result_text64(ctx, out, o, sqlite3_free, SQLITE_UTF8);
}

static void url_extract_query_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    if (url_arg(argv[0], &u) && u.has_query) result_str(ctx, u.query);
}

static void url_extract_fragment_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    if (url_arg(argv[0], &u) && u.has_fragment) result_str(ctx, u.fragment);
}

static void url_extract_parameter_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct url u;
    const char *name = NULL;
    size_t nn = 0;
    if (!rp_qf_text(argv[1], &name, &nn) || !url_arg(argv[0], &u) || !u.has_query) return;
    struct rp_str rest = u.query, arg;
    while (rp_str_split_next(&rest, '&', &arg)) {
        const char *eq = memchr(arg.p, '=', arg.len);
        size_t kl = eq ? (size_t)(eq - arg.p) : arg.len;
        if (kl != nn || memcmp(arg.p, name, nn) != 0) continue;
        if (eq)
            result_str(ctx, (struct rp_str){eq + 1, arg.len - kl - 1});
        else
            result_str(ctx, (struct rp_str){"", 0});
        return;
    }
}

/* ---- base64 --------------------------------------------------------------------------------- */

static void to_base64_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[0], &s, &n)) return;
    struct rp_buf b = rp_qf_buf(ctx);
    rp_err e = rp_qf_base64_append(&b, (const unsigned char *)s, n);
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, false);
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static void from_base64_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[0], &s, &n)) return;
    size_t data = n; /* '=' padding is optional, but only at the end and only to a quad */
    while (data > 0 && s[data - 1] == '=') data--;
    if (n - data > 2 || (n != data && n % 4 != 0) || data % 4 == 1) return;
    unsigned char *out = sqlite3_malloc64(data / 4 * 3 + 3);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < data; i++) {
        int v = b64val(s[i]);
        if (v < 0) {
            sqlite3_free(out);
            return;
        }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    sqlite3_result_blob64(ctx, out, o, sqlite3_free);
}

/* ---- arrays (JSON text) --------------------------------------------------------------------- */

/* The JSON document of argv[0]; false after setting the result (NULL, or out of memory). */
static bool doc_arg(sqlite3_context *ctx, sqlite3_value *v, struct rp_json_val *root)
{
    rp_err e = rp_qf_json_doc(rp_qf_state_of(ctx), v, root);
    if (e == RP_OK) return true;
    if (e == RP_ENOMEM)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_null(ctx);
    return false;
}

/* contains(cidr, ip): 1 with *res when s is a CIDR text ("10.0.0.0/8"). */
static bool cidr_contains(sqlite3_context *ctx, const char *s, size_t n, sqlite3_value *ipv)
{
    struct rp_cidr c;
    struct rp_ip ip;
    const char *ipt = NULL;
    size_t ipn = 0;
    if (!memchr(s, '/', n) || rp_cidr_parse((struct rp_str){s, n}, &c, NULL, NULL) != RP_OK)
        return false;
    if (rp_qf_text(ipv, &ipt, &ipn) && rp_ip_parse((struct rp_str){ipt, ipn}, &ip, NULL) == RP_OK)
        sqlite3_result_int(ctx, rp_cidr_contains(&c, &ip));
    else
        sqlite3_result_null(ctx);
    return true;
}

static void contains_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[0], &s, &n)) return;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    if (n > 0 && s[0] != '[' && cidr_contains(ctx, s, n, argv[1])) return;
    struct rp_json_val root, el;
    struct rp_json_iter it;
    if (!doc_arg(ctx, argv[0], &root)) return;
    if (rp_json_arr_iter(root, &it) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    bool nulls = false;
    while (rp_json_arr_next(&it, &el)) {
        if (rp_qf_json_equals(el, argv[1])) {
            sqlite3_result_int(ctx, 1);
            return;
        }
        if (rp_json_type(el) == RP_JSON_NULL) nulls = true;
    }
    if (nulls)
        sqlite3_result_null(ctx); /* Presto: unknown when the array holds a NULL */
    else
        sqlite3_result_int(ctx, 0);
}

static void cardinality_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (!doc_arg(ctx, argv[0], &root)) return;
    enum rp_json_type t = rp_json_type(root);
    if (t == RP_JSON_ARRAY || t == RP_JSON_OBJECT)
        sqlite3_result_int64(ctx, (int64_t)rp_json_len(root));
    else
        sqlite3_result_null(ctx);
}

static void element_at_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root, v;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    if (!doc_arg(ctx, argv[0], &root)) return;
    enum rp_json_type t = rp_json_type(root);
    if (t == RP_JSON_OBJECT) {
        const char *k = NULL;
        size_t kn = 0;
        if (rp_qf_text(argv[1], &k, &kn) && rp_json_obj_getn(root, k, kn, &v) == RP_OK)
            rp_qf_result_typed(ctx, v);
        else
            sqlite3_result_null(ctx);
        return;
    }
    if (t != RP_JSON_ARRAY) {
        sqlite3_result_null(ctx);
        return;
    }
    int64_t i = sqlite3_value_int64(argv[1]);
    int64_t len = (int64_t)rp_json_len(root);
    if (i == 0) {
        rp_qf_error(ctx, "element_at: SQL array indices start at 1");
        return;
    }
    i = i > 0 ? i - 1 : len + i;
    if (i < 0 || i >= len || rp_json_arr_at(root, (size_t)i, &v) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    rp_qf_result_typed(ctx, v);
}

/* Append an array element as text: strings as they are, numbers and nested values as JSON,
 * booleans as 'true'/'false'. */
static rp_err append_elem(struct rp_buf *b, struct rp_json_val el)
{
    struct rp_str s;
    if (rp_json_type(el) == RP_JSON_STRING && rp_json_get_str(el, &s) == RP_OK)
        return rp_buf_append(b, s.p, s.len);
    return rp_json_serialize(el, b);
}

static void array_join_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *d = NULL, *nr = NULL;
    size_t dn = 0, nrn = 0;
    struct rp_json_val root, el;
    struct rp_json_iter it;
    if (!rp_qf_text(argv[1], &d, &dn)) return;
    if (argc > 2 && !rp_qf_text(argv[2], &nr, &nrn)) return;
    if (!doc_arg(ctx, argv[0], &root)) return;
    if (rp_json_arr_iter(root, &it) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    struct rp_buf b = rp_qf_buf(ctx);
    rp_err e = RP_OK;
    bool first = true;
    while (!e && rp_json_arr_next(&it, &el)) {
        bool isnull = rp_json_type(el) == RP_JSON_NULL;
        if (isnull && !nr) continue;
        if (!first) e = rp_buf_append(&b, d, dn);
        first = false;
        if (!e) e = isnull ? rp_buf_append(&b, nr, nrn) : append_elem(&b, el);
    }
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, false);
}

/* Every element of an array serialized once into one buffer, for distinct and sort. */
struct elems {
    struct rp_buf text;       /* the serialized elements, back to back */
    size_t *off;              /* element i is text.data[off[i] .. off[i + 1]) */
    struct rp_json_val *vals; /* the parsed elements */
    size_t n;
};

static void elems_release(struct elems *es)
{
    rp_buf_release(&es->text);
    free(es->off);
    free(es->vals);
}

static rp_err elems_load(struct elems *es, struct rp_json_val arr, size_t max)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t n = rp_json_len(arr), i = 0;
    memset(es, 0, sizeof *es);
    rp_buf_init(&es->text, max);
    es->off = malloc((n + 1) * sizeof *es->off);
    es->vals = malloc((n ? n : 1) * sizeof *es->vals);
    if (!es->off || !es->vals) return RP_ENOMEM;
    if (rp_json_arr_iter(arr, &it) != RP_OK) return RP_EINVAL;
    es->off[0] = 0;
    while (i < n && rp_json_arr_next(&it, &el)) {
        rp_err e = rp_json_serialize(el, &es->text);
        if (e) return e;
        es->vals[i] = el;
        es->off[++i] = es->text.len;
    }
    es->n = i;
    return RP_OK;
}

static void array_distinct_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (!doc_arg(ctx, argv[0], &root)) return;
    if (rp_json_type(root) != RP_JSON_ARRAY) {
        sqlite3_result_null(ctx);
        return;
    }
    struct elems es;
    struct rp_buf b = rp_qf_buf(ctx);
    size_t cap = 16;
    while (cap < 2 * rp_json_len(root)) cap *= 2;
    size_t *slots = calloc(cap, sizeof *slots); /* index + 1 of a kept element, 0 = empty */
    rp_err e = elems_load(&es, root, b.max);
    if (!slots && !e) e = RP_ENOMEM;
    if (!e) e = rp_buf_putc(&b, '[');
    bool first = true;
    for (size_t i = 0; i < es.n && !e; i++) {
        const char *p = es.text.data + es.off[i];
        size_t len = es.off[i + 1] - es.off[i];
        size_t h = (size_t)rp_hash_xxh3_64(p, len, 0) & (cap - 1);
        bool dup = false;
        while (slots[h]) {
            size_t j = slots[h] - 1;
            if (es.off[j + 1] - es.off[j] == len && memcmp(es.text.data + es.off[j], p, len) == 0) {
                dup = true;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        if (dup) continue;
        slots[h] = i + 1;
        if (!first) e = rp_buf_putc(&b, ',');
        first = false;
        if (!e) e = rp_buf_append(&b, p, len);
    }
    if (!e) e = rp_buf_putc(&b, ']');
    free(slots);
    elems_release(&es);
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, true);
}

/* Sort order of array_sort: numbers (by value), then strings (bytewise), then false, true,
 * then arrays and objects (by their JSON text), then nulls. */
static int rank(enum rp_json_type t)
{
    switch (t) {
    case RP_JSON_INT:
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        return 0;
    case RP_JSON_STRING:
        return 1;
    case RP_JSON_BOOL:
        return 2;
    case RP_JSON_ARRAY:
    case RP_JSON_OBJECT:
        return 3;
    default:
        return 4;
    }
}

static int cmp_num(struct rp_json_val a, struct rp_json_val b)
{
    int64_t ia = 0, ib = 0;
    if (rp_json_type(a) == RP_JSON_INT && rp_json_type(b) == RP_JSON_INT &&
        rp_json_get_i64(a, &ia) == RP_OK && rp_json_get_i64(b, &ib) == RP_OK)
        return (ia > ib) - (ia < ib);
    double da = 0, db = 0;
    if (rp_json_get_double(a, &da) != RP_OK || rp_json_get_double(b, &db) != RP_OK) return 0;
    return (da > db) - (da < db);
}

static int cmp_elem(const struct elems *es, size_t a, size_t b)
{
    struct rp_json_val va = es->vals[a], vb = es->vals[b];
    int ra = rank(rp_json_type(va)), rb = rank(rp_json_type(vb)), c = 0;
    if (ra != rb) return ra - rb;
    if (ra == 0) {
        c = cmp_num(va, vb);
    } else if (ra == 1) {
        struct rp_str sa = {0}, sb = {0};
        if (rp_json_get_str(va, &sa) == RP_OK && rp_json_get_str(vb, &sb) == RP_OK) {
            size_t m = sa.len < sb.len ? sa.len : sb.len;
            c = memcmp(sa.p, sb.p, m);
            if (c == 0) c = (sa.len > sb.len) - (sa.len < sb.len);
        }
    } else if (ra != 4) {
        size_t la = es->off[a + 1] - es->off[a], lb = es->off[b + 1] - es->off[b];
        size_t m = la < lb ? la : lb;
        c = memcmp(es->text.data + es->off[a], es->text.data + es->off[b], m);
        if (c == 0) c = (la > lb) - (la < lb);
    }
    return c;
}

/* Stable bottom-up merge sort of the indexes a[0..n) by cmp_elem; tmp holds n indexes. */
static void sort_idx(const struct elems *es, size_t *a, size_t *tmp, size_t n)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = cmp_elem(es, a[j], a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static void array_sort_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (!doc_arg(ctx, argv[0], &root)) return;
    if (rp_json_type(root) != RP_JSON_ARRAY) {
        sqlite3_result_null(ctx);
        return;
    }
    struct elems es;
    struct rp_buf b = rp_qf_buf(ctx);
    rp_err e = elems_load(&es, root, b.max);
    size_t *order = e ? NULL : malloc((2 * es.n + 1) * sizeof *order);
    if (!e && !order) e = RP_ENOMEM;
    if (!e) {
        for (size_t i = 0; i < es.n; i++) order[i] = i;
        sort_idx(&es, order, order + es.n, es.n);
        e = rp_buf_putc(&b, '[');
    }
    for (size_t i = 0; i < es.n && !e; i++) {
        size_t k = order[i];
        if (i > 0) e = rp_buf_putc(&b, ',');
        if (!e) e = rp_buf_append(&b, es.text.data + es.off[k], es.off[k + 1] - es.off[k]);
    }
    if (!e) e = rp_buf_putc(&b, ']');
    free(order);
    elems_release(&es);
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, true);
}

static const struct rp_qf_def defs[] = {
    {"array_distinct", 1, RP_QF_DET | RP_QF_JSONOUT, array_distinct_fn, NULL, NULL},
    {"array_join", 2, RP_QF_DET, array_join_fn, NULL, NULL},
    {"array_join", 3, RP_QF_DET, array_join_fn, NULL, NULL},
    {"array_sort", 1, RP_QF_DET | RP_QF_JSONOUT, array_sort_fn, NULL, NULL},
    {"cardinality", 1, RP_QF_DET, cardinality_fn, NULL, NULL},
    {"concat", -1, RP_QF_DET, concat_fn, NULL, NULL},
    {"contains", 2, RP_QF_DET, contains_fn, NULL, NULL},
    {"element_at", 2, RP_QF_DET | RP_QF_JSONOUT, element_at_fn, NULL, NULL},
    {"from_base64", 1, RP_QF_DET, from_base64_fn, NULL, NULL},
    {"lpad", 3, RP_QF_DET, lpad_fn, NULL, NULL},
    {"reverse", 1, RP_QF_DET, reverse_fn, NULL, NULL},
    {"rpad", 3, RP_QF_DET, rpad_fn, NULL, NULL},
    {"split", 2, RP_QF_DET | RP_QF_JSONOUT, split_fn, NULL, NULL},
    {"split", 3, RP_QF_DET | RP_QF_JSONOUT, split_fn, NULL, NULL},
    {"split_part", 3, RP_QF_DET, split_part_fn, NULL, NULL},
    {"starts_with", 2, RP_QF_DET, starts_with_fn, NULL, NULL},
    {"strpos", 2, RP_QF_DET, strpos_fn, NULL, NULL},
    {"strpos", 3, RP_QF_DET, strpos_fn, NULL, NULL},
    {"to_base64", 1, RP_QF_DET, to_base64_fn, NULL, NULL},
    {"url_extract_fragment", 1, RP_QF_DET, url_extract_fragment_fn, NULL, NULL},
    {"url_extract_host", 1, RP_QF_DET, url_extract_host_fn, NULL, NULL},
    {"url_extract_parameter", 2, RP_QF_DET, url_extract_parameter_fn, NULL, NULL},
    {"url_extract_path", 1, RP_QF_DET, url_extract_path_fn, NULL, NULL},
    {"url_extract_port", 1, RP_QF_DET, url_extract_port_fn, NULL, NULL},
    {"url_extract_protocol", 1, RP_QF_DET, url_extract_protocol_fn, NULL, NULL},
    {"url_extract_query", 1, RP_QF_DET, url_extract_query_fn, NULL, NULL},
};

static int register_string(sqlite3 *db)
{
    return rp_qf_register_group(db, defs, RP_ARRAY_LEN(defs));
}

const struct rp_query_funcs rp_query_funcs_string = {
    .name = "string",
    .summary = "Presto string, URL and base64 functions, and array functions over JSON arrays "
               "(split_part, contains, cardinality, ..)",
    .register_fn = register_string,
};
