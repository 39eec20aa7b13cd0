/* SPDX-License-Identifier: Apache-2.0 */
/* The "json" group of `rampart query` functions: Presto's JSON functions (json_extract_scalar,
 * json_extract, json_array_length, json_array_get, json_array_contains, json_size,
 * json_format, json_parse, is_json_scalar) over JSON held as TEXT, plus rp_field, the
 * case-insensitive dotted walk the query rewriter turns Athena struct access into, and
 * rp_decompress for the zstd rp_raw column of the store tables.
 *
 * Documents are parsed by simdjson through core/rp_json with the group's one-document cache
 * (query_func.h). A Presto JSONPath is compiled once per call site and kept with
 * sqlite3_set_auxdata on the path argument. json_extract_scalar returns numbers as written in
 * the document, so after the simdjson walk it finds the number's bytes with a small scanner
 * over the (already validated) text. docs/query-functions.md documents every function. */
#define RP_LOG_MODULE "query"
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "query/query_func.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define RAW_MAX (64u << 20) /* rp_decompress: largest record returned */

/* ---- JSONPath ------------------------------------------------------------------------------ */

/* One step: a member name, which is also an array index when it is all digits. */
struct jstep {
    const char *key;
    size_t klen;
    int64_t idx; /* -1 when key is not a decimal index */
};

struct jpath {
    size_t n;
    size_t *ord;      /* scratch: member or element ordinal taken at each step */
    struct jstep s[]; /* then n ordinals, then the key bytes */
};

static bool is_name_char(char c)
{
    return c != '.' && c != '[' && c != ']' && c != '"' && c != '\'' && c != '*' && c != ' ' &&
           c != '\t' && c != '\n' && c != '\r' && c != '$';
}

/* Compile path[0..n): '$' then any of .name, [n], ["name"], ['name'] (a backslash in a quoted
 * name takes the next character literally). NULL when malformed (or out of memory: *oom). */
static struct jpath *jpath_compile(const char *p, size_t n, bool *oom)
{
    *oom = false;
    if (n == 0 || p[0] != '$') return NULL;
    size_t max = n; /* every step takes at least one byte */
    struct jpath *jp = malloc(sizeof *jp + max * sizeof(struct jstep) + max * sizeof(size_t) + n);
    if (!jp) {
        *oom = true;
        return NULL;
    }
    jp->n = 0;
    jp->ord = (size_t *)(jp->s + max);
    char *kb = (char *)(jp->ord + max);
    size_t kl = 0, i = 1;
    while (i < n) {
        struct jstep *st = &jp->s[jp->n];
        st->key = kb + kl;
        if (p[i] == '.') {
            size_t b = ++i;
            while (i < n && is_name_char(p[i])) kb[kl++] = p[i++];
            if (i == b) goto bad;
        } else if (p[i] == '[') {
            i++;
            if (i < n && (p[i] == '"' || p[i] == '\'')) {
                char q = p[i++];
                while (i < n && p[i] != q) {
                    if (p[i] == '\\' && i + 1 < n) i++;
                    kb[kl++] = p[i++];
                }
                if (i >= n) goto bad;
                i++;
            } else {
                size_t b = i;
                while (i < n && p[i] >= '0' && p[i] <= '9') kb[kl++] = p[i++];
                if (i == b) goto bad;
            }
            if (i >= n || p[i] != ']') goto bad;
            i++;
        } else {
            goto bad;
        }
        st->klen = (size_t)(kb + kl - st->key);
        st->idx = -1;
        if (st->klen > 0 && st->klen <= 18) {
            int64_t v = 0;
            size_t k = 0;
            for (; k < st->klen && st->key[k] >= '0' && st->key[k] <= '9'; k++)
                v = v * 10 + (st->key[k] - '0');
            if (k == st->klen) st->idx = v;
        }
        jp->n++;
    }
    return jp;
bad:
    free(jp);
    return NULL;
}

/* The compiled path of argument 1 of the running function: from the call site's auxdata, or
 * compiled now (*fresh set; hand it to path_keep when done). NULL after setting the result:
 * NULL for a NULL path, an error for a malformed one. */
static struct jpath *path_get(sqlite3_context *ctx, sqlite3_value **argv, const char *fname,
                              bool *fresh)
{
    *fresh = false;
    struct jpath *jp = sqlite3_get_auxdata(ctx, 1);
    if (jp) return jp;
    const char *p = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[1], &p, &n)) {
        sqlite3_result_null(ctx);
        return NULL;
    }
    bool oom = false;
    jp = jpath_compile(p, n, &oom);
    if (!jp) {
        if (oom)
            sqlite3_result_error_nomem(ctx);
        else
            rp_qf_error(ctx, "%s: invalid JSON path '%.*s'", fname, (int)(n > 200 ? 200 : n), p);
        return NULL;
    }
    *fresh = true;
    return jp;
}

static void path_keep(sqlite3_context *ctx, struct jpath *jp, bool fresh)
{
    if (fresh) sqlite3_set_auxdata(ctx, 1, jp, free);
}

/* Follow jp from v; false when a step finds nothing. Keys are compared bytewise; the first
 * member of a repeated name wins. jp->ord records the ordinal taken at each step. */
static bool jpath_walk(struct rp_json_val v, struct jpath *jp, struct rp_json_val *out)
{
    for (size_t k = 0; k < jp->n; k++) {
        const struct jstep *st = &jp->s[k];
        enum rp_json_type t = rp_json_type(v);
        if (t == RP_JSON_OBJECT) {
            struct rp_json_iter it;
            struct rp_str key;
            struct rp_json_val m;
            size_t ord = 0;
            bool found = false;
            if (rp_json_obj_iter(v, &it) != RP_OK) return false;
            while (rp_json_obj_next(&it, &key, &m)) {
                if (key.len == st->klen && memcmp(key.p, st->key, key.len) == 0) {
                    found = true;
                    break;
                }
                ord++;
            }
            if (!found) return false;
            v = m;
            jp->ord[k] = ord;
        } else if (t == RP_JSON_ARRAY && st->idx >= 0) {
            if (rp_json_arr_at(v, (size_t)st->idx, &v) != RP_OK) return false;
            jp->ord[k] = (size_t)st->idx;
        } else {
            return false;
        }
    }
    *out = v;
    return true;
}

/* ---- raw scanning of validated JSON text ---------------------------------------------------- */

static size_t ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* Past the string starting at s[i] == '"'. */
static size_t skip_str(const char *s, size_t n, size_t i)
{
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\') i++;
    return i < n ? i + 1 : n;
}

/* Past the value starting at s[i]. */
static size_t skip_val(const char *s, size_t n, size_t i)
{
    if (i >= n) return n;
    if (s[i] == '"') return skip_str(s, n, i);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < n) {
            char c = s[i];
            if (c == '"') {
                i = skip_str(s, n, i);
                continue;
            }
            if (c == '{' || c == '[') depth++;
            if (c == '}' || c == ']') {
                if (--depth == 0) return i + 1;
            }
            i++;
        }
        return n;
    }
    while (i < n && s[i] != ',' && s[i] != ']' && s[i] != '}' && s[i] != ' ' && s[i] != '\t' &&
           s[i] != '\n' && s[i] != '\r')
        i++;
    return i;
}

/* The bytes of the value reached by the ordinals of the last jpath_walk over the document
 * s[0..n), which simdjson has validated. */
static bool raw_value(const char *s, size_t n, const struct jpath *jp, size_t *off, size_t *len)
{
    size_t i = ws(s, n, 0);
    for (size_t k = 0; k < jp->n; k++) {
        if (i >= n) return false;
        bool obj = s[i] == '{';
        if (!obj && s[i] != '[') return false;
        i = ws(s, n, i + 1);
        for (size_t m = 0;; m++) {
            if (obj) {
                i = ws(s, n, skip_str(s, n, i));
                i = ws(s, n, i + 1); /* ':' */
            }
            if (m == jp->ord[k]) break;
            i = ws(s, n, skip_val(s, n, i));
            i = ws(s, n, i + 1); /* ',' */
            if (i >= n) return false;
        }
    }
    *off = i;
    *len = skip_val(s, n, i) - i;
    return true;
}

/* ---- functions ------------------------------------------------------------------------------ */

/* The document of argv[0], or false after setting the result (NULL, or out of memory). */
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

static void json_extract_scalar_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    struct jpath *jp = path_get(ctx, argv, "json_extract_scalar", &fresh);
    if (!jp) return;
    struct rp_json_val root, v;
    if (!doc_arg(ctx, argv[0], &root)) goto done;
    if (!jpath_walk(root, jp, &v)) {
        sqlite3_result_null(ctx);
        goto done;
    }
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
    case RP_JSON_BOOL:
        rp_qf_result_typed(ctx, v);
        break;
    case RP_JSON_INT:
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE: {
        struct rp_qf_state *st = rp_qf_state_of(ctx);
        size_t off = 0, len = 0;
        if (raw_value(st->doc, st->doc_len, jp, &off, &len))
            sqlite3_result_text64(ctx, st->doc + off, len, SQLITE_TRANSIENT, SQLITE_UTF8);
        else
            sqlite3_result_null(ctx);
        break;
    }
    default:
        sqlite3_result_null(ctx);
        break;
    }
done:
    path_keep(ctx, jp, fresh);
}

static void json_extract_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    struct jpath *jp = path_get(ctx, argv, "json_extract", &fresh);
    if (!jp) return;
    struct rp_json_val root, v;
    if (doc_arg(ctx, argv[0], &root)) {
        if (jpath_walk(root, jp, &v))
            rp_qf_result_json(ctx, v);
        else
            sqlite3_result_null(ctx);
    }
    path_keep(ctx, jp, fresh);
}

static void json_size_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    struct jpath *jp = path_get(ctx, argv, "json_size", &fresh);
    if (!jp) return;
    struct rp_json_val root, v;
    if (doc_arg(ctx, argv[0], &root)) {
        if (!jpath_walk(root, jp, &v))
            sqlite3_result_null(ctx);
        else
            sqlite3_result_int64(ctx, (int64_t)rp_json_len(v));
    }
    path_keep(ctx, jp, fresh);
}

static void json_array_length_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (!doc_arg(ctx, argv[0], &root)) return;
    if (rp_json_type(root) == RP_JSON_ARRAY)
        sqlite3_result_int64(ctx, (int64_t)rp_json_len(root));
    else
        sqlite3_result_null(ctx);
}

static void json_array_get_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root, v;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    if (!doc_arg(ctx, argv[0], &root)) return;
    int64_t i = sqlite3_value_int64(argv[1]);
    int64_t len = (int64_t)rp_json_len(root);
    if (i < 0) i += len;
    if (rp_json_type(root) != RP_JSON_ARRAY || i < 0 || i >= len ||
        rp_json_arr_at(root, (size_t)i, &v) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    rp_qf_result_json(ctx, v);
}

static void json_array_contains_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root, el;
    struct rp_json_iter it;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    if (!doc_arg(ctx, argv[0], &root)) return;
    if (rp_json_arr_iter(root, &it) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    while (rp_json_arr_next(&it, &el)) {
        if (rp_qf_json_equals(el, argv[1])) {
            sqlite3_result_int(ctx, 1);
            return;
        }
    }
    sqlite3_result_int(ctx, 0);
}

static void json_format_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (!doc_arg(ctx, argv[0], &root)) return;
    struct rp_buf b;
    rp_buf_init(&b, (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
    rp_err e = rp_json_serialize(root, &b);
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, false);
}

static void json_parse_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (doc_arg(ctx, argv[0], &root)) rp_qf_result_json(ctx, root);
}

static void is_json_scalar_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_json_val root;
    if (!doc_arg(ctx, argv[0], &root)) return;
    enum rp_json_type t = rp_json_type(root);
    sqlite3_result_int(ctx, t != RP_JSON_ARRAY && t != RP_JSON_OBJECT);
}

/* Member of obj named k[0..n): the first exact match, else the first that matches ignoring
 * ASCII case. */
static bool member_nocase(struct rp_json_val obj, const char *k, size_t n, struct rp_json_val *out)
{
    struct rp_json_iter it;
    struct rp_str key;
    struct rp_json_val m;
    bool have = false;
    if (rp_json_obj_iter(obj, &it) != RP_OK) return false;
    while (rp_json_obj_next(&it, &key, &m)) {
        if (key.len != n) continue;
        if (memcmp(key.p, k, n) == 0) {
            *out = m;
            return true;
        }
        if (!have && rp_str_eq_nocase(key, (struct rp_str){k, n})) {
            *out = m;
            have = true;
        }
    }
    return have;
}

static void rp_field_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *p = NULL;
    size_t n = 0;
    struct rp_json_val v;
    if (!rp_qf_text(argv[1], &p, &n)) return;
    if (!doc_arg(ctx, argv[0], &v)) return;
    struct rp_str rest = {p, n}, seg;
    if (n > 0) {
        while (rp_str_split_next(&rest, '.', &seg)) {
            if (!member_nocase(v, seg.p, seg.len, &v)) {
                sqlite3_result_null(ctx);
                return;
            }
        }
    }
    rp_qf_result_typed(ctx, v);
}

static void dctx_free(void *p)
{
    ZSTD_freeDCtx(p);
}

/* Decompress a frame of unknown content size, streaming, up to RAW_MAX bytes. */
static void *unzstd_stream(ZSTD_DCtx *dc, const void *p, size_t n, size_t *outlen)
{
    size_t cap = 0, len = 0;
    char *out = NULL;
    ZSTD_inBuffer in = {p, n, 0};
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            if (ncap > RAW_MAX) ncap = RAW_MAX;
            if (ncap == cap) goto fail; /* larger than RAW_MAX */
            char *o = sqlite3_realloc64(out, ncap + 1);
            if (!o) goto fail;
            out = o;
            cap = ncap;
        }
        ZSTD_outBuffer ob = {out + len, cap - len, 0};
        size_t r = ZSTD_decompressStream(dc, &ob, &in);
        if (ZSTD_isError(r)) goto fail;
        len += ob.pos;
        if (r == 0 && in.pos == in.size) break;
        if (in.pos == in.size && ob.pos < ob.size) goto fail; /* truncated */
    }
    *outlen = len;
    return out;
fail:
    sqlite3_free(out);
    return NULL;
}

static void rp_decompress_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *p = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[0], &p, &n)) return;
    if (n < 4 || memcmp(p, "\x28\xb5\x2f\xfd", 4) != 0) {
        sqlite3_result_text64(ctx, p, n, SQLITE_TRANSIENT, SQLITE_UTF8); /* stored plain */
        return;
    }
    struct rp_qf_state *st = rp_qf_state_of(ctx);
    if (!st->extra) {
        if (!(st->extra = ZSTD_createDCtx())) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        st->extra_free = dctx_free;
    }
    ZSTD_DCtx *dc = st->extra;
    ZSTD_DCtx_reset(dc, ZSTD_reset_session_only);
    unsigned long long size = ZSTD_getFrameContentSize(p, n);
    if (size == ZSTD_CONTENTSIZE_ERROR || (size != ZSTD_CONTENTSIZE_UNKNOWN && size > RAW_MAX)) {
        sqlite3_result_null(ctx);
        return;
    }
    if (size == ZSTD_CONTENTSIZE_UNKNOWN) {
        size_t len = 0;
        void *out = unzstd_stream(dc, p, n, &len);
        if (out)
            sqlite3_result_text64(ctx, out, len, sqlite3_free, SQLITE_UTF8);
        else
            sqlite3_result_null(ctx);
        return;
    }
    char *out = sqlite3_malloc64(size + 1);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t r = ZSTD_decompressDCtx(dc, out, (size_t)size, p, n);
    if (ZSTD_isError(r) || r != size) {
        sqlite3_free(out);
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_text64(ctx, out, size, sqlite3_free, SQLITE_UTF8);
}

static const struct rp_qf_def defs[] = {
    {"is_json_scalar", 1, RP_QF_DET, is_json_scalar_fn, NULL, NULL},
    {"json_array_contains", 2, RP_QF_DET, json_array_contains_fn, NULL, NULL},
    {"json_array_get", 2, RP_QF_DET | RP_QF_JSONOUT, json_array_get_fn, NULL, NULL},
    {"json_array_length", 1, RP_QF_DET, json_array_length_fn, NULL, NULL},
    {"json_extract", 2, RP_QF_DET | RP_QF_JSONOUT, json_extract_fn, NULL, NULL},
    {"json_extract_scalar", 2, RP_QF_DET, json_extract_scalar_fn, NULL, NULL},
    {"json_format", 1, RP_QF_DET, json_format_fn, NULL, NULL},
    {"json_parse", 1, RP_QF_DET | RP_QF_JSONOUT, json_parse_fn, NULL, NULL},
    {"json_size", 2, RP_QF_DET, json_size_fn, NULL, NULL},
    {"rp_decompress", 1, RP_QF_DET, rp_decompress_fn, NULL, NULL},
    {"rp_field", 2, RP_QF_DET | RP_QF_JSONOUT, rp_field_fn, NULL, NULL},
};

static int register_json(sqlite3 *db)
{
    return rp_qf_register_group(db, defs, RP_ARRAY_LEN(defs));
}

const struct rp_query_funcs rp_query_funcs_json = {
    .name = "json",
    .summary = "Presto JSON functions (json_extract_scalar, json_extract, ..), rp_field, "
               "rp_decompress",
    .register_fn = register_json,
};
