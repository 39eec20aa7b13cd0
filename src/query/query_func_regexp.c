/* SPDX-License-Identifier: Apache-2.0 */
/* The "regexp" group of `rampart query` functions: Presto's regular expression functions
 * (regexp_like, regexp_extract, regexp_extract_all, regexp_replace, regexp_count,
 * regexp_position, regexp_split) on PCRE2 (8-bit, UTF mode, JIT).
 *
 * A pattern is compiled once per call site: the compiled code, its match data and match
 * context are kept with sqlite3_set_auxdata on the pattern argument, so a constant pattern
 * compiles once per statement. Matching runs under a match limit and a heap limit, so a
 * catastrophic pattern stops with an SQL error instead of hanging the query. Iteration over
 * matches follows Presto (Java): after an empty match the next search starts one character
 * later. Positions are counted in characters (code points), as Presto does. */
#define RP_LOG_MODULE         "query"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_func.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define MATCH_LIMIT 5000000u    /* backtracking steps per match attempt */
#define DEPTH_LIMIT 100000u     /* nested backtracking frames */
#define HEAP_LIMIT  65536u      /* KiB of backtracking memory (interpreter) */
#define JIT_STACK   (1u << 20)  /* bytes of JIT stack at most */
#define SUBJECT_MAX (64u << 20) /* longest subject */

/* One compiled pattern with what matching it needs. */
struct re {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
    uint32_t groups; /* capture groups */
};

static void re_free(void *p)
{
    struct re *r = p;
    if (!r) return;
    pcre2_match_data_free(r->md);
    pcre2_match_context_free(r->mc);
    pcre2_jit_stack_free(r->js);
    pcre2_code_free(r->code);
    free(r);
}

/* The compiled pattern of argv[1]: from the call site's auxdata or compiled now (*fresh set;
 * hand it to re_keep when done). NULL after setting the result: NULL for a NULL pattern, the
 * error for one that does not compile. */
static struct re *re_get(sqlite3_context *ctx, sqlite3_value **argv, bool *fresh)
{
    *fresh = false;
    struct re *r = sqlite3_get_auxdata(ctx, 1);
    if (r) return r;
    const char *p = NULL;
    size_t n = 0;
    if (!rp_qf_text(argv[1], &p, &n)) {
        sqlite3_result_null(ctx);
        return NULL;
    }
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)p, n, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0) msg[0] = '\0';
        rp_qf_error(ctx, "regexp: invalid pattern at offset %llu: %s", (unsigned long long)off,
                    (const char *)msg);
        return NULL;
    }
    r = calloc(1, sizeof *r);
    if (!r) {
        pcre2_code_free(code);
        sqlite3_result_error_nomem(ctx);
        return NULL;
    }
    r->code = code;
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT the interpreter runs */
    r->md = pcre2_match_data_create_from_pattern(code, NULL);
    r->mc = pcre2_match_context_create(NULL);
    r->js = pcre2_jit_stack_create(32u << 10, JIT_STACK, NULL);
    if (!r->md || !r->mc || !r->js) {
        re_free(r);
        sqlite3_result_error_nomem(ctx);
        return NULL;
    }
    pcre2_set_match_limit(r->mc, MATCH_LIMIT);
    pcre2_set_depth_limit(r->mc, DEPTH_LIMIT);
    pcre2_set_heap_limit(r->mc, HEAP_LIMIT);
    pcre2_jit_stack_assign(r->mc, NULL, r->js);
    (void)pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &r->groups);
    *fresh = true;
    return r;
}

static void re_keep(sqlite3_context *ctx, struct re *r, bool fresh)
{
    if (fresh) sqlite3_set_auxdata(ctx, 1, r, re_free);
}

/* The subject argv[0]; false after setting the result (NULL, or too long). */
static bool subject(sqlite3_context *ctx, sqlite3_value **argv, const char **s, size_t *n)
{
    if (!rp_qf_text(argv[0], s, n)) {
        sqlite3_result_null(ctx);
        return false;
    }
    if (*n > SUBJECT_MAX) {
        rp_qf_error(ctx, "regexp: subject longer than %u bytes", SUBJECT_MAX);
        return false;
    }
    return true;
}

/* One match of r in s[0..n) from byte start: 1 found (ov = the offsets), 0 none, -1 after
 * setting the error (match limit, or another matching failure). */
static int re_find(sqlite3_context *ctx, struct re *r, const char *s, size_t n, size_t start,
                   PCRE2_SIZE **ov)
{
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, start, 0, r->md, r->mc);
    if (rc >= 0) {
        *ov = pcre2_get_ovector_pointer(r->md);
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        rp_qf_error(ctx, "regexp: match limit exceeded (the pattern backtracks too much)");
    } else if (rc == PCRE2_ERROR_NOMEMORY) {
        sqlite3_result_error_nomem(ctx);
    } else {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) msg[0] = '\0';
        rp_qf_error(ctx, "regexp: match failed: %s", (const char *)msg);
    }
    return -1;
}

/* Where the search after the match ov[0..1] starts: its end, or one character later when it
 * was empty (Java's Matcher.find). */
static size_t next_start(const char *s, size_t n, const PCRE2_SIZE *ov)
{
    size_t e = ov[1];
    if (ov[0] != ov[1]) return e;
    if (e >= n) return n + 1;
    e++;
    while (e < n && ((unsigned char)s[e] & 0xC0) == 0x80) e++;
    return e;
}

/* The optional group argument argv[i] (argc > i), checked against r; -1 after setting the
 * result (NULL for a NULL group, the error for a bad one). */
static int64_t group_arg(sqlite3_context *ctx, const char *fname, int argc, sqlite3_value **argv,
                         int i, const struct re *r)
{
    if (argc <= i) return 0;
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return -1;
    }
    int64_t g = sqlite3_value_int64(argv[i]);
    if (g < 0 || g > (int64_t)r->groups) {
        rp_qf_error(ctx, "%s: pattern has %u groups, cannot access group %lld", fname, r->groups,
                    (long long)g);
        return -1;
    }
    return g;
}

static void regexp_like_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    const char *s = NULL;
    size_t n = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    if (subject(ctx, argv, &s, &n)) {
        int f = re_find(ctx, r, s, n, 0, &ov);
        if (f >= 0) sqlite3_result_int(ctx, f);
    }
    re_keep(ctx, r, fresh);
}

static void regexp_extract_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    bool fresh = false;
    const char *s = NULL;
    size_t n = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    int64_t g = group_arg(ctx, "regexp_extract", argc, argv, 2, r);
    if (g >= 0 && subject(ctx, argv, &s, &n)) {
        int f = re_find(ctx, r, s, n, 0, &ov);
        if (f == 1 && ov[2 * g] != PCRE2_UNSET)
            sqlite3_result_text64(ctx, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g], SQLITE_TRANSIENT,
                                  SQLITE_UTF8);
        else if (f == 0 || f == 1)
            sqlite3_result_null(ctx);
    }
    re_keep(ctx, r, fresh);
}

static void regexp_extract_all_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    bool fresh = false;
    const char *s = NULL;
    size_t n = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    int64_t g = group_arg(ctx, "regexp_extract_all", argc, argv, 2, r);
    if (g < 0 || !subject(ctx, argv, &s, &n)) goto done;
    struct rp_buf b = rp_qf_buf(ctx);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    int f = 0;
    for (size_t at = 0; at <= n && (f = re_find(ctx, r, s, n, at, &ov)) == 1;) {
        if (ov[2 * g] == PCRE2_UNSET)
            rp_json_write_null(&w);
        else
            rp_json_write_str(&w, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
        at = next_start(s, n, ov);
    }
    if (f < 0) {
        rp_buf_release(&b);
        goto done;
    }
    rp_qf_result_array(ctx, &w, &b);
done:
    re_keep(ctx, r, fresh);
}

static void regexp_count_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    const char *s = NULL;
    size_t n = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    if (subject(ctx, argv, &s, &n)) {
        int64_t count = 0;
        int f = 0;
        for (size_t at = 0; at <= n && (f = re_find(ctx, r, s, n, at, &ov)) == 1;) {
            count++;
            at = next_start(s, n, ov);
        }
        if (f >= 0) sqlite3_result_int64(ctx, count);
    }
    re_keep(ctx, r, fresh);
}

static void regexp_position_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    const char *s = NULL;
    size_t n = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    if (subject(ctx, argv, &s, &n)) {
        int f = re_find(ctx, r, s, n, 0, &ov);
        if (f == 1)
            sqlite3_result_int64(ctx, (int64_t)rp_qf_utf8_len(s, ov[0]) + 1);
        else if (f == 0)
            sqlite3_result_int(ctx, -1);
    }
    re_keep(ctx, r, fresh);
}

static void regexp_split_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool fresh = false;
    const char *s = NULL;
    size_t n = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    if (!subject(ctx, argv, &s, &n)) goto done;
    struct rp_buf b = rp_qf_buf(ctx);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    size_t last = 0;
    int f = 0;
    for (size_t at = 0; at <= n && (f = re_find(ctx, r, s, n, at, &ov)) == 1;) {
        rp_json_write_str(&w, s + last, ov[0] - last);
        last = ov[1];
        at = next_start(s, n, ov);
    }
    if (f < 0) {
        rp_buf_release(&b);
        goto done;
    }
    rp_json_write_str(&w, s + last, n - last);
    rp_qf_result_array(ctx, &w, &b);
done:
    re_keep(ctx, r, fresh);
}

/* Append the replacement rep[0..rn) for the match ov of s to b: $0..$9 and longer group
 * numbers (digits are taken while the number stays a group, as Java does), ${name}, \$ and
 * \\ for a literal dollar and backslash. RP_EINVAL with *bad set to the offset of a bad
 * reference. */
static rp_err replace_one(struct rp_buf *b, const struct re *r, const char *s, const PCRE2_SIZE *ov,
                          const char *rep, size_t rn, size_t *bad)
{
    rp_err e = RP_OK;
    for (size_t i = 0; i < rn && !e; i++) {
        char c = rep[i];
        if (c == '\\') {
            if (i + 1 >= rn) {
                *bad = i;
                return RP_EINVAL;
            }
            e = rp_buf_putc(b, rep[++i]);
            continue;
        }
        if (c != '$') {
            e = rp_buf_putc(b, c);
            continue;
        }
        size_t at = i;
        int64_t g = -1;
        if (i + 1 < rn && rep[i + 1] == '{') {
            size_t k = i + 2;
            while (k < rn && rep[k] != '}') k++;
            if (k >= rn || k == i + 2) {
                *bad = at;
                return RP_EINVAL;
            }
            char name[128];
            size_t len = k - (i + 2);
            if (len >= sizeof name) {
                *bad = at;
                return RP_EINVAL;
            }
            memcpy(name, rep + i + 2, len);
            name[len] = '\0';
            int num = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);
            if (num < 0) {
                *bad = at;
                return RP_EINVAL;
            }
            g = num;
            i = k;
        } else if (i + 1 < rn && rep[i + 1] >= '0' && rep[i + 1] <= '9') {
            g = rep[++i] - '0';
            if (g > (int64_t)r->groups) {
                *bad = at;
                return RP_EINVAL;
            }
            while (i + 1 < rn && rep[i + 1] >= '0' && rep[i + 1] <= '9') {
                int64_t ng = g * 10 + (rep[i + 1] - '0');
                if (ng > (int64_t)r->groups) break;
                g = ng;
                i++;
            }
        } else {
            *bad = at;
            return RP_EINVAL;
        }
        if (ov[2 * g] != PCRE2_UNSET)
            e = rp_buf_append(b, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    return e;
}

static void regexp_replace_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    bool fresh = false;
    const char *s = NULL, *rep = "";
    size_t n = 0, rn = 0, bad = 0;
    PCRE2_SIZE *ov = NULL;
    struct re *r = re_get(ctx, argv, &fresh);
    if (!r) return;
    if (argc > 2 && !rp_qf_text(argv[2], &rep, &rn)) {
        sqlite3_result_null(ctx);
        goto done;
    }
    if (!subject(ctx, argv, &s, &n)) goto done;
    struct rp_buf b = rp_qf_buf(ctx);
    size_t last = 0;
    int f = 0;
    rp_err e = RP_OK;
    for (size_t at = 0; !e && at <= n && (f = re_find(ctx, r, s, n, at, &ov)) == 1;) {
        e = rp_buf_append(&b, s + last, ov[0] - last);
        if (!e) e = replace_one(&b, r, s, ov, rep, rn, &bad);
        last = ov[1];
        at = next_start(s, n, ov);
    }
    if (!e && f >= 0) e = rp_buf_append(&b, s + last, n - last);
    if (f < 0) {
        rp_buf_release(&b);
    } else if (e == RP_EINVAL) {
        rp_buf_release(&b);
        rp_qf_error(ctx, "regexp_replace: illegal group reference at offset %llu of '%.*s'",
                    (unsigned long long)bad, (int)(rn > 100 ? 100 : rn), rep);
    } else if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
    } else {
        rp_qf_result_buf(ctx, &b, false);
    }
done:
    re_keep(ctx, r, fresh);
}

static const struct rp_qf_def defs[] = {
    {"regexp_count", 2, RP_QF_DET, regexp_count_fn, NULL, NULL},
    {"regexp_extract", 2, RP_QF_DET, regexp_extract_fn, NULL, NULL},
    {"regexp_extract", 3, RP_QF_DET, regexp_extract_fn, NULL, NULL},
    {"regexp_extract_all", 2, RP_QF_DET | RP_QF_JSONOUT, regexp_extract_all_fn, NULL, NULL},
    {"regexp_extract_all", 3, RP_QF_DET | RP_QF_JSONOUT, regexp_extract_all_fn, NULL, NULL},
    {"regexp_like", 2, RP_QF_DET, regexp_like_fn, NULL, NULL},
    {"regexp_position", 2, RP_QF_DET, regexp_position_fn, NULL, NULL},
    {"regexp_replace", 2, RP_QF_DET, regexp_replace_fn, NULL, NULL},
    {"regexp_replace", 3, RP_QF_DET, regexp_replace_fn, NULL, NULL},
    {"regexp_split", 2, RP_QF_DET | RP_QF_JSONOUT, regexp_split_fn, NULL, NULL},
};

static int register_regexp(sqlite3 *db)
{
    return rp_qf_register(db, defs, RP_ARRAY_LEN(defs), NULL);
}

const struct rp_query_funcs rp_query_funcs_regexp = {
    .name = "regexp",
    .summary = "Presto regular expression functions on PCRE2 (regexp_like, regexp_extract, ..)",
    .register_fn = register_regexp,
};
