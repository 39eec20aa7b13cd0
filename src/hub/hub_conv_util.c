/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the import formats (hub_conv_util.h): two-casing lookups, number, boolean
 * and time coercion, Security Hub's severity scale, the finding frame (begin/end/fail with
 * cv->item bookkeeping), and bounded writers for Types, Tags, RelatedRequirements,
 * ProductFields and table-described nested objects. Converters stay declarative on top of
 * these: each one reads its tool's fields and writes ASFF members, and every cap AWS puts on a
 * finding is applied here, once. */
#define RP_LOG_MODULE "hub"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_time.h"
#include "hub/hub_conv_util.h"
#include "core/rp_banned.h"

/* ---- reading ----------------------------------------------------------------------------- */

bool rp_hub_cv_get(struct rp_json_val obj, const char *key, struct rp_json_val *out)
{
    if (rp_json_type(obj) != RP_JSON_OBJECT) return false;
    if (rp_json_obj_get(obj, key, out) == RP_OK && rp_json_type(*out) != RP_JSON_NULL) return true;
    if (key[0] >= 'A' && key[0] <= 'Z') {
        char lower[128];
        size_t n = strlen(key);
        if (n >= sizeof lower) return false;
        memcpy(lower, key, n + 1);
        lower[0] = (char)(lower[0] - 'A' + 'a');
        if (rp_json_obj_getn(obj, lower, n, out) == RP_OK && rp_json_type(*out) != RP_JSON_NULL)
            return true;
    }
    *out = (struct rp_json_val){0};
    return false;
}

bool rp_hub_cv_path(struct rp_json_val obj, const char *path, struct rp_json_val *out)
{
    struct rp_json_val cur = obj;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char seg[128];
        if (n == 0 || n >= sizeof seg) return false;
        memcpy(seg, p, n);
        seg[n] = '\0';
        if (!rp_hub_cv_get(cur, seg, &cur)) return false;
        if (!dot) break;
        p = dot + 1;
    }
    *out = cur;
    return true;
}

bool rp_hub_cv_str(struct rp_json_val obj, const char *key, struct rp_str *out)
{
    struct rp_json_val v;
    return rp_hub_cv_get(obj, key, &v) && rp_json_get_str(v, out) == RP_OK && out->len > 0;
}

bool rp_hub_cv_path_str(struct rp_json_val obj, const char *path, struct rp_str *out)
{
    struct rp_json_val v;
    return rp_hub_cv_path(obj, path, &v) && rp_json_get_str(v, out) == RP_OK && out->len > 0;
}

/* A decimal number in s (NUL-terminated, as the parser's strings are): optional '-', a digit
 * or '.', and nothing strtod would read beyond plain decimal notation. */
static bool str_num(struct rp_str s, double *out)
{
    if (s.len == 0 || s.len > 64 || strlen(s.p) != s.len) return false;
    const char *p = s.p + (s.p[0] == '-');
    if (!((*p >= '0' && *p <= '9') || *p == '.')) return false;
    for (const char *q = p; *q; q++)
        if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' || *q == '+' ||
              *q == '-'))
            return false;
    char *end = NULL;
    double d = strtod(s.p, &end);
    if (end != s.p + s.len || !isfinite(d)) return false;
    *out = d;
    return true;
}

bool rp_hub_cv_num(struct rp_json_val v, double *out)
{
    struct rp_str s;
    switch (rp_json_type(v)) {
    case RP_JSON_INT:
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        return rp_json_get_double(v, out) == RP_OK;
    case RP_JSON_STRING:
        return rp_json_get_str(v, &s) == RP_OK && str_num(s, out);
    default:
        return false;
    }
}

bool rp_hub_cv_int(struct rp_json_val v, int64_t *out)
{
    struct rp_str s;
    double d = 0;
    switch (rp_json_type(v)) {
    case RP_JSON_INT:
    case RP_JSON_UINT:
        return rp_json_get_i64(v, out) == RP_OK;
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &d) != RP_OK || d != floor(d) || d < -9e18 || d > 9e18)
            return false;
        *out = (int64_t)d;
        return true;
    case RP_JSON_STRING:
        return rp_json_get_str(v, &s) == RP_OK && rp_str_to_i64(s, out) == RP_OK;
    default:
        return false;
    }
}

bool rp_hub_cv_bool(struct rp_json_val v, bool *out)
{
    struct rp_str s;
    if (rp_json_get_bool(v, out) == RP_OK) return true;
    if (rp_json_get_str(v, &s) != RP_OK) return false;
    if (rp_str_eq_nocase(s, RP_STR_LIT("true")) || rp_str_eq_nocase(s, RP_STR_LIT("false"))) {
        *out = s.p[0] == 't' || s.p[0] == 'T';
        return true;
    }
    return false;
}

/* True when the time text after its date part carries a zone ('Z', '+hh', '-hh'). */
static bool has_zone(struct rp_str s)
{
    for (size_t i = 10; i < s.len; i++)
        if (s.p[i] == 'Z' || s.p[i] == 'z' || s.p[i] == '+' || s.p[i] == '-') return true;
    return false;
}

enum rp_hub_cv_time rp_hub_cv_time_of(struct rp_json_val v, bool secs_ok, int64_t *ms)
{
    struct rp_str s;
    int64_t n = 0;
    double d = 0;
    switch (rp_json_type(v)) {
    case RP_JSON_NONE:
    case RP_JSON_NULL:
        return RP_HUB_CV_TIME_NONE;
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &s) != RP_OK) return RP_HUB_CV_TIME_BAD;
        if (s.len == 0) return RP_HUB_CV_TIME_NONE;
        if (rp_time_parse_iso(s, ms, NULL) == RP_OK) return RP_HUB_CV_TIME_OK;
        if (s.len > 10 && s.len < 60 && !has_zone(s)) {
            char z[64];
            memcpy(z, s.p, s.len);
            z[s.len] = 'Z';
            if (rp_time_parse_iso((struct rp_str){z, s.len + 1}, ms, NULL) == RP_OK)
                return RP_HUB_CV_TIME_OK;
        }
        return RP_HUB_CV_TIME_BAD;
    case RP_JSON_INT:
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        if (rp_json_get_i64(v, &n) != RP_OK) {
            if (rp_json_get_double(v, &d) != RP_OK || !(d > -9e15 && d < 9e15))
                return RP_HUB_CV_TIME_BAD;
            n = (int64_t)d;
        }
        if (secs_ok && n > -100000000000LL && n < 100000000000LL) n *= 1000;
        if (n < RP_TIME_MIN_MS || n > RP_TIME_MAX_MS) return RP_HUB_CV_TIME_BAD;
        *ms = n;
        return RP_HUB_CV_TIME_OK;
    default:
        return RP_HUB_CV_TIME_BAD;
    }
}

/* ---- severity ---------------------------------------------------------------------------- */

static const struct {
    const char *label;
    int normalized;
} sev_scale[] = {
    [RP_HUB_SEV_INFORMATIONAL] = {"INFORMATIONAL", 0},
    [RP_HUB_SEV_LOW] = {"LOW", 1},
    [RP_HUB_SEV_MEDIUM] = {"MEDIUM", 40},
    [RP_HUB_SEV_HIGH] = {"HIGH", 70},
    [RP_HUB_SEV_CRITICAL] = {"CRITICAL", 90},
};

/* Words other tools use for their severities, and where they land on Security Hub's scale. */
static const struct {
    const char *word;
    enum rp_hub_sev sev;
} sev_words[] = {
    {"informational", RP_HUB_SEV_INFORMATIONAL},
    {"info", RP_HUB_SEV_INFORMATIONAL},
    {"unknown", RP_HUB_SEV_INFORMATIONAL},
    {"none", RP_HUB_SEV_INFORMATIONAL},
    {"negligible", RP_HUB_SEV_INFORMATIONAL},
    {"low", RP_HUB_SEV_LOW},
    {"medium", RP_HUB_SEV_MEDIUM},
    {"moderate", RP_HUB_SEV_MEDIUM},
    {"high", RP_HUB_SEV_HIGH},
    {"important", RP_HUB_SEV_HIGH},
    {"critical", RP_HUB_SEV_CRITICAL},
    {"fatal", RP_HUB_SEV_CRITICAL},
};

const char *rp_hub_sev_label(enum rp_hub_sev s)
{
    return sev_scale[s].label;
}

int rp_hub_sev_normalized(enum rp_hub_sev s)
{
    return sev_scale[s].normalized;
}

bool rp_hub_sev_parse(struct rp_str s, enum rp_hub_sev *out)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(sev_words); i++)
        if (rp_str_eq_nocase(s, rp_str_from(sev_words[i].word))) {
            *out = sev_words[i].sev;
            return true;
        }
    return false;
}

/* ---- writing ----------------------------------------------------------------------------- */

void rp_hub_cv_begin(struct rp_hub_conv *cv, struct rp_json_writer *w)
{
    rp_buf_reset(cv->buf);
    rp_json_writer_init(w, cv->buf);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "SchemaVersion", RP_HUB_SCHEMA_VERSION);
}

rp_err rp_hub_cv_end(struct rp_hub_conv *cv, struct rp_json_writer *w, const char *fmt,
                     const char *id, struct rp_errbuf *eb)
{
    rp_json_write_obj_end(w);
    rp_err e = rp_json_writer_finish(w);
    if (e == RP_ELIMIT)
        return rp_hub_cv_fail(cv, id, RP_HUB_CV_FAILED,
                              "%s: converted finding exceeds the size or depth limit", fmt);
    if (e == RP_ENOMEM) return rp_fail(eb, RP_ENOMEM, "%s: out of memory writing a finding", fmt);
    if (e != RP_OK)
        return rp_fail(eb, RP_EINTERNAL, "%s: converter wrote malformed json (%s)", fmt,
                       rp_strerror(e));
    e = rp_hub_conv_emit_buf(cv, eb);
    cv->item++;
    return e;
}

rp_err rp_hub_cv_fail(struct rp_hub_conv *cv, const char *id, const char *code, const char *fmt,
                      ...)
{
    char msg[RP_MAX_ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rp_err e = cv->error(cv, id, code, msg);
    cv->item++;
    cv->current = (struct rp_json_val){0};
    return e;
}

void rp_hub_cv_kv_capped(struct rp_json_writer *w, const char *key, struct rp_str s, size_t max)
{
    size_t n = s.len;
    if (n > max) {
        n = max;
        /* back off continuation bytes so the cut falls between characters */
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80) n--;
    }
    rp_json_write_kv_str(w, key, s.p, n);
}

void rp_hub_cv_kv_time(struct rp_json_writer *w, const char *key, int64_t ms)
{
    char buf[RP_TIME_ISO_BUFSZ];
    if (rp_time_format_iso(ms, buf, sizeof buf) == RP_OK) rp_json_write_kv_cstr(w, key, buf);
}

void rp_hub_cv_kv_severity(struct rp_json_writer *w, enum rp_hub_sev label, int normalized,
                           struct rp_str original)
{
    rp_json_write_key(w, "Severity", 8);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Label", rp_hub_sev_label(label));
    rp_json_write_kv_int(w, "Normalized", normalized);
    if (original.len) rp_hub_cv_kv_capped(w, "Original", original, 64);
    rp_json_write_obj_end(w);
}

static const char *const asff_namespaces[] = {
    "Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors",
    "Sensitive Data Identifications",
};

bool rp_hub_cv_type_ok(struct rp_str t)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(asff_namespaces); i++) {
        size_t n = strlen(asff_namespaces[i]);
        if (t.len >= n && memcmp(t.p, asff_namespaces[i], n) == 0 &&
            (t.len == n || (t.p[n] == '/' && t.len > n + 1)))
            return true;
    }
    return false;
}

size_t rp_hub_cv_kv_types(struct rp_json_writer *w, struct rp_json_val arr, const char *fallback)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str s;
    size_t kept = 0, dropped = 0;
    rp_json_write_key(w, "Types", 5);
    rp_json_write_arr_begin(w);
    if (rp_json_type(arr) == RP_JSON_ARRAY && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            if (rp_json_get_str(el, &s) != RP_OK) continue;
            if (!rp_hub_cv_type_ok(s) || kept == RP_HUB_CV_MAX_TYPES || s.len > 256) {
                dropped++;
                continue;
            }
            rp_json_write_str(w, s.p, s.len);
            kept++;
        }
    if (kept == 0) rp_json_write_cstr(w, fallback);
    rp_json_write_arr_end(w);
    return dropped;
}

/* The text of a scalar: strings as they are, numbers as JSON writes them, booleans as
 * "true"/"false". tmp (at least 32 bytes) holds number text. False for null and containers. */
static bool scalar_text(struct rp_json_val v, char *tmp, size_t tmpsz, struct rp_str *out)
{
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    bool b = false;
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        return rp_json_get_str(v, out) == RP_OK;
    case RP_JSON_INT:
        if (rp_json_get_i64(v, &i) != RP_OK) return false;
        snprintf(tmp, tmpsz, "%lld", (long long)i);
        break;
    case RP_JSON_UINT:
        if (rp_json_get_u64(v, &u) != RP_OK) return false;
        snprintf(tmp, tmpsz, "%llu", (unsigned long long)u);
        break;
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &d) != RP_OK) return false;
        /* the shortest of 15..17 digits that reads back to the same double */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(tmp, tmpsz, "%.*g", prec, d);
            if (strtod(tmp, NULL) == d) break;
        }
        break;
    case RP_JSON_BOOL:
        if (rp_json_get_bool(v, &b) != RP_OK) return false;
        snprintf(tmp, tmpsz, "%s", b ? "true" : "false");
        break;
    default:
        return false;
    }
    *out = rp_str_from(tmp);
    return true;
}

/* Tag key and value of one element of a tag list. */
static bool tag_of(struct rp_json_val el, struct rp_str *k, struct rp_str *v, char *tmp,
                   size_t tmpsz)
{
    struct rp_json_val val;
    if (rp_json_type(el) == RP_JSON_OBJECT) {
        if (!rp_hub_cv_str(el, "Key", k) && !rp_hub_cv_str(el, "Name", k)) return false;
        *v = (struct rp_str){"", 0};
        if (rp_hub_cv_get(el, "Value", &val) && !scalar_text(val, tmp, tmpsz, v)) return false;
        return true;
    }
    struct rp_str s;
    if (rp_json_get_str(el, &s) != RP_OK || s.len == 0) return false;
    size_t i = 0;
    while (i < s.len && s.p[i] != ':' && s.p[i] != '=') i++;
    *k = (struct rp_str){s.p, i};
    *v = i < s.len ? (struct rp_str){s.p + i + 1, s.len - i - 1} : (struct rp_str){"", 0};
    return k->len > 0;
}

void rp_hub_cv_kv_tags(struct rp_json_writer *w, struct rp_json_val tags)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str k, v;
    char tmp[40];
    bool open = false;
    size_t n = 0;
    enum rp_json_type t = rp_json_type(tags);
    if (t == RP_JSON_OBJECT ? rp_json_obj_iter(tags, &it) != RP_OK
                            : (t != RP_JSON_ARRAY || rp_json_arr_iter(tags, &it) != RP_OK))
        return;
    for (;;) {
        if (t == RP_JSON_OBJECT) {
            if (!rp_json_obj_next(&it, &k, &el)) break;
            if (k.len == 0 || !scalar_text(el, tmp, sizeof tmp, &v)) continue;
        } else {
            if (!rp_json_arr_next(&it, &el)) break;
            if (!tag_of(el, &k, &v, tmp, sizeof tmp)) continue;
        }
        if (k.len > 128 || n == 50) /* AWS: keys up to 128 characters, 50 tags a resource */
            continue;
        if (!open) {
            rp_json_write_key(w, "Tags", 4);
            rp_json_write_obj_begin(w);
            open = true;
        }
        rp_json_write_key(w, k.p, k.len);
        size_t vn = v.len;
        if (vn > RP_HUB_CV_MAX_TAG_VALUE) {
            vn = RP_HUB_CV_MAX_TAG_VALUE;
            while (vn > 0 && ((unsigned char)v.p[vn] & 0xC0) == 0x80) vn--;
        }
        rp_json_write_str(w, v.p, vn);
        n++;
    }
    if (open) rp_json_write_obj_end(w);
}

/* Write one requirement, opening the array on the first. */
static void req_add(struct rp_json_writer *w, bool *open, size_t *n, struct rp_str fw,
                    struct rp_str req)
{
    if (*n == RP_HUB_CV_MAX_REQUIREMENTS || req.len == 0 || fw.len + req.len > 512) return;
    if (!*open) {
        rp_json_write_key(w, "RelatedRequirements", 19);
        rp_json_write_arr_begin(w);
        *open = true;
    }
    char buf[520];
    size_t at = 0;
    if (fw.len) {
        memcpy(buf, fw.p, fw.len);
        buf[fw.len] = ' ';
        at = fw.len + 1;
    }
    memcpy(buf + at, req.p, req.len);
    rp_json_write_str(w, buf, at + req.len);
    (*n)++;
}

void rp_hub_cv_kv_requirements(struct rp_json_writer *w, struct rp_json_val v)
{
    struct rp_json_iter it, jt;
    struct rp_json_val el, r;
    struct rp_str fw, s;
    bool open = false;
    size_t n = 0;
    if (rp_json_type(v) == RP_JSON_ARRAY && rp_json_arr_iter(v, &it) == RP_OK) {
        while (rp_json_arr_next(&it, &el))
            if (rp_json_get_str(el, &s) == RP_OK) req_add(w, &open, &n, (struct rp_str){"", 0}, s);
    } else if (rp_json_type(v) == RP_JSON_OBJECT && rp_json_obj_iter(v, &it) == RP_OK) {
        while (rp_json_obj_next(&it, &fw, &el)) {
            if (rp_json_get_str(el, &s) == RP_OK) {
                req_add(w, &open, &n, fw, s);
                continue;
            }
            if (rp_json_arr_iter(el, &jt) != RP_OK) continue;
            while (rp_json_arr_next(&jt, &r))
                if (rp_json_get_str(r, &s) == RP_OK) req_add(w, &open, &n, fw, s);
        }
    }
    if (open) rp_json_write_arr_end(w);
}

/* ---- ProductFields ----------------------------------------------------------------------- */

void rp_hub_cv_pf_init(struct rp_hub_cv_pf *pf, struct rp_json_writer *w)
{
    *pf = (struct rp_hub_cv_pf){.w = w};
}

void rp_hub_cv_pf_add(struct rp_hub_cv_pf *pf, const char *key, size_t keylen, struct rp_str val)
{
    if (pf->n >= RP_HUB_CV_MAX_PF || keylen == 0 || keylen > RP_HUB_CV_MAX_PF_KEY) return;
    if (!pf->open) {
        rp_json_write_key(pf->w, "ProductFields", 13);
        rp_json_write_obj_begin(pf->w);
        pf->open = true;
    }
    rp_json_write_key(pf->w, key, keylen);
    size_t n = val.len;
    if (n > RP_HUB_CV_MAX_PF_VALUE) {
        n = RP_HUB_CV_MAX_PF_VALUE;
        while (n > 0 && ((unsigned char)val.p[n] & 0xC0) == 0x80) n--;
    }
    rp_json_write_str(pf->w, val.p, n);
    pf->n++;
}

void rp_hub_cv_pf_add_cstr(struct rp_hub_cv_pf *pf, const char *key, const char *val)
{
    rp_hub_cv_pf_add(pf, key, strlen(key), rp_str_from(val));
}

/* Append "/<name>" (first letter lower-cased when camel) to path[*len]; false when the key
 * would pass RP_HUB_CV_MAX_PF_KEY (the subtree is then skipped: its keys would be dropped). */
static bool path_push(char *path, size_t *len, struct rp_str name, bool camel)
{
    if (*len + 1 + name.len > RP_HUB_CV_MAX_PF_KEY) return false;
    path[(*len)++] = '/';
    memcpy(path + *len, name.p, name.len);
    if (camel && name.len && path[*len] >= 'A' && path[*len] <= 'Z')
        path[*len] = (char)(path[*len] - 'A' + 'a');
    *len += name.len;
    path[*len] = '\0';
    return true;
}

static void flatten(struct rp_hub_cv_pf *pf, char *path, size_t len, struct rp_json_val v,
                    bool camel)
{
    bool is_obj = rp_json_type(v) == RP_JSON_OBJECT;
    char tmp[40], idx[24];
    /* pass 0: scalars here; pass 1: what is nested */
    for (int pass = 0; pass < 2; pass++) {
        struct rp_json_iter it;
        struct rp_json_val el;
        struct rp_str name = {0}, text;
        size_t i = 0;
        if (is_obj ? rp_json_obj_iter(v, &it) != RP_OK : rp_json_arr_iter(v, &it) != RP_OK) return;
        for (;; i++) {
            if (pf->n >= RP_HUB_CV_MAX_PF) return;
            if (is_obj ? !rp_json_obj_next(&it, &name, &el) : !rp_json_arr_next(&it, &el)) break;
            if (!is_obj) {
                snprintf(idx, sizeof idx, "%zu", i);
                name = rp_str_from(idx);
            }
            enum rp_json_type t = rp_json_type(el);
            bool nested = t == RP_JSON_OBJECT || t == RP_JSON_ARRAY;
            if (nested != (pass == 1) || t == RP_JSON_NULL) continue;
            size_t sub = len;
            if (!path_push(path, &sub, name, camel)) continue;
            if (nested)
                flatten(pf, path, sub, el, camel);
            else if (scalar_text(el, tmp, sizeof tmp, &text))
                rp_hub_cv_pf_add(pf, path, sub, text);
            path[len] = '\0';
        }
    }
}

void rp_hub_cv_pf_flatten(struct rp_hub_cv_pf *pf, const char *prefix, struct rp_json_val v,
                          bool camel)
{
    char path[RP_HUB_CV_MAX_PF_KEY + 1];
    size_t len = strlen(prefix);
    enum rp_json_type t = rp_json_type(v);
    if (len > RP_HUB_CV_MAX_PF_KEY) return;
    memcpy(path, prefix, len + 1);
    if (t == RP_JSON_OBJECT || t == RP_JSON_ARRAY) {
        flatten(pf, path, len, v, camel);
        return;
    }
    char tmp[40];
    struct rp_str text;
    if (scalar_text(v, tmp, sizeof tmp, &text)) rp_hub_cv_pf_add(pf, path, len, text);
}

void rp_hub_cv_pf_end(struct rp_hub_cv_pf *pf)
{
    if (pf->open) rp_json_write_obj_end(pf->w);
    pf->open = false;
}

/* ---- table-driven copy ------------------------------------------------------------------- */

static bool field_val(struct rp_json_val src, const struct rp_hub_cv_field *f,
                      struct rp_json_val *v)
{
    return rp_hub_cv_path(src, f->src ? f->src : f->dst, v);
}

/* Whether v converts to f's kind (and, for containers, holds anything to write). */
static bool field_ok(struct rp_json_val v, const struct rp_hub_cv_field *f)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str s;
    char tmp[40];
    int64_t i = 0, ms = 0;
    double d = 0;
    bool b = false;
    switch (f->kind) {
    case RP_HUB_CV_STR:
        return scalar_text(v, tmp, sizeof tmp, &s) && s.len > 0;
    case RP_HUB_CV_INT:
        return rp_hub_cv_int(v, &i);
    case RP_HUB_CV_DBL:
        return rp_hub_cv_num(v, &d);
    case RP_HUB_CV_BOOL:
        return rp_hub_cv_bool(v, &b);
    case RP_HUB_CV_TIME:
        return rp_hub_cv_time_of(v, false, &ms) == RP_HUB_CV_TIME_OK;
    case RP_HUB_CV_OBJ:
        return rp_hub_cv_fields_any(v, f->sub);
    case RP_HUB_CV_ARR_OBJ:
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el))
                if (rp_hub_cv_fields_any(el, f->sub)) return true;
        return false;
    case RP_HUB_CV_ARR_STR:
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el))
                if (rp_json_get_str(el, &s) == RP_OK && s.len > 0) return true;
        return false;
    case RP_HUB_CV_MAP_STR:
        if (rp_json_obj_iter(v, &it) == RP_OK)
            while (rp_json_obj_next(&it, &s, &el))
                if (scalar_text(el, tmp, sizeof tmp, &s)) return true;
        return false;
    }
    return false;
}

bool rp_hub_cv_fields_any(struct rp_json_val src, const struct rp_hub_cv_field *fields)
{
    struct rp_json_val v;
    if (rp_json_type(src) != RP_JSON_OBJECT) return false;
    for (const struct rp_hub_cv_field *f = fields; f->dst; f++)
        if (field_val(src, f, &v) && field_ok(v, f)) return true;
    return false;
}

static void field_write(struct rp_json_writer *w, struct rp_json_val v,
                        const struct rp_hub_cv_field *f)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str s, k;
    char tmp[40];
    int64_t i = 0, ms = 0;
    double d = 0;
    bool b = false;
    rp_json_write_key(w, f->dst, strlen(f->dst));
    switch (f->kind) {
    case RP_HUB_CV_STR:
        (void)scalar_text(v, tmp, sizeof tmp, &s);
        rp_json_write_str(w, s.p, s.len);
        break;
    case RP_HUB_CV_INT:
        (void)rp_hub_cv_int(v, &i);
        rp_json_write_int(w, i);
        break;
    case RP_HUB_CV_DBL:
        (void)rp_hub_cv_num(v, &d);
        rp_json_write_double(w, d);
        break;
    case RP_HUB_CV_BOOL:
        (void)rp_hub_cv_bool(v, &b);
        rp_json_write_bool(w, b);
        break;
    case RP_HUB_CV_TIME: {
        char buf[RP_TIME_ISO_BUFSZ];
        (void)rp_hub_cv_time_of(v, false, &ms);
        if (rp_time_format_iso(ms, buf, sizeof buf) != RP_OK) buf[0] = '\0';
        rp_json_write_cstr(w, buf);
        break;
    }
    case RP_HUB_CV_OBJ:
        rp_json_write_obj_begin(w);
        rp_hub_cv_fields_copy(w, v, f->sub);
        rp_json_write_obj_end(w);
        break;
    case RP_HUB_CV_ARR_OBJ:
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el))
                if (rp_hub_cv_fields_any(el, f->sub)) {
                    rp_json_write_obj_begin(w);
                    rp_hub_cv_fields_copy(w, el, f->sub);
                    rp_json_write_obj_end(w);
                }
        rp_json_write_arr_end(w);
        break;
    case RP_HUB_CV_ARR_STR:
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el))
                if (rp_json_get_str(el, &s) == RP_OK && s.len > 0) rp_json_write_str(w, s.p, s.len);
        rp_json_write_arr_end(w);
        break;
    case RP_HUB_CV_MAP_STR:
        rp_json_write_obj_begin(w);
        if (rp_json_obj_iter(v, &it) == RP_OK)
            while (rp_json_obj_next(&it, &k, &el))
                if (scalar_text(el, tmp, sizeof tmp, &s)) {
                    rp_json_write_key(w, k.p, k.len);
                    rp_json_write_str(w, s.p, s.len);
                }
        rp_json_write_obj_end(w);
        break;
    }
}

void rp_hub_cv_fields_copy(struct rp_json_writer *w, struct rp_json_val src,
                           const struct rp_hub_cv_field *fields)
{
    struct rp_json_val v;
    for (const struct rp_hub_cv_field *f = fields; f->dst; f++)
        if (field_val(src, f, &v) && field_ok(v, f)) field_write(w, v, f);
}

bool rp_hub_cv_kv_fields(struct rp_json_writer *w, const char *key, struct rp_json_val src,
                         const struct rp_hub_cv_field *fields)
{
    if (!rp_hub_cv_fields_any(src, fields)) return false;
    rp_json_write_key(w, key, strlen(key));
    rp_json_write_obj_begin(w);
    rp_hub_cv_fields_copy(w, src, fields);
    rp_json_write_obj_end(w);
    return true;
}

/* ---- probes ------------------------------------------------------------------------------ */

bool rp_hub_cv_first(struct rp_json_val arr, struct rp_json_val *out)
{
    return rp_json_type(arr) == RP_JSON_ARRAY && rp_json_arr_at(arr, 0, out) == RP_OK;
}

bool rp_hub_cv_has(struct rp_json_val obj, const char *key)
{
    struct rp_json_val v;
    return rp_json_type(obj) == RP_JSON_OBJECT && rp_json_obj_get(obj, key, &v) == RP_OK;
}

void rp_hub_cv_write_strs(struct rp_json_writer *w, const char *key, struct rp_json_val arr,
                          size_t max)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str s;
    size_t n = 0;
    bool open = false;
    if (rp_json_arr_iter(arr, &it) != RP_OK) return;
    while (n < max && rp_json_arr_next(&it, &el))
        if (rp_json_get_str(el, &s) == RP_OK && s.len) {
            if (!open) {
                rp_json_write_key(w, key, strlen(key));
                rp_json_write_arr_begin(w);
                open = true;
            }
            rp_json_write_str(w, s.p, s.len);
            n++;
        }
    if (open) rp_json_write_arr_end(w);
}
