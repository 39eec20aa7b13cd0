/* SPDX-License-Identifier: Apache-2.0 */
/* Sigma rules (docs/sigma.md): the compiler of a rule's detection section. Search identifiers
 * become OR-ed maps of AND-ed field items; each item's field name is resolved once to an
 * event column (and a JSON path below it), its modifiers checked and applied to the values
 * (lower-cased unless 'cased', wildcards and escapes parsed, base64 variants computed, CIDRs
 * parsed, regular expressions registered with the set); the condition is parsed into a tree.
 * Anything unsupported fails with RP_EUNSUPPORTED and a reason naming the feature, anything
 * malformed with RP_EPARSE: the loader (detect_sigma.c) turns either into one warning line. */
#define RP_LOG_MODULE "detect"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_sigma_impl.h"
#include "core/rp_banned.h"

/* ---- field names ------------------------------------------------------------------------- */

/* Columns holding JSON text (detect_internal.h): a field name may go below them. */
static const unsigned ct_json_cols[] = {RP_CT_REQUEST_PARAMETERS, RP_CT_RESPONSE_ELEMENTS,
                                        RP_CT_ADDITIONAL_DATA, RP_CT_USER_IDENTITY,
                                        RP_CT_RESOURCES};
static const unsigned k8s_json_cols[] = {RP_K8S_USER,
                                         RP_K8S_IMPERSONATED,
                                         RP_K8S_SOURCE_IPS,
                                         RP_K8S_OBJECT_REF,
                                         RP_K8S_RESPONSE_STATUS,
                                         RP_K8S_REQUEST_OBJECT,
                                         RP_K8S_RESPONSE_OBJECT,
                                         RP_K8S_ANNOTATIONS};

static bool is_json_col(enum rp_det_source src, unsigned col)
{
    const unsigned *t = src == RP_DET_SRC_CLOUDTRAIL ? ct_json_cols : k8s_json_cols;
    size_t n =
        src == RP_DET_SRC_CLOUDTRAIL ? RP_ARRAY_LEN(ct_json_cols) : RP_ARRAY_LEN(k8s_json_cols);
    for (size_t i = 0; i < n; i++)
        if (t[i] == col) return true;
    return false;
}

static const char *src_label(enum rp_det_source src)
{
    return src == RP_DET_SRC_CLOUDTRAIL ? "CloudTrail" : "Kubernetes audit";
}

/* Resolve name to a column and a JSON path below it: the longest dotted prefix that names a
 * column wins; the rest must be below a JSON column. */
static rp_err resolve_field(struct rp_det_sigma_set *set, enum rp_det_source src,
                            struct rp_str name, struct sg_field *out, struct rp_errbuf *eb)
{
    size_t ends[SG_MAX_PATH], nseg = 0;
    for (size_t i = 0; i <= name.len; i++) {
        if (i < name.len && name.p[i] != '.') continue;
        if (nseg == SG_MAX_PATH)
            return rp_fail(eb, RP_EUNSUPPORTED, "field '%.*s' has too many parts", (int)name.len,
                           name.p);
        ends[nseg++] = i;
    }
    for (size_t k = nseg; k > 0; k--) {
        bool integer = false;
        int col = rp_det_field_find(src, (struct rp_str){name.p, ends[k - 1]}, &integer);
        if (col < 0) continue;
        bool json = !integer && is_json_col(src, (unsigned)col);
        if (k < nseg && !json) continue;
        *out = (struct sg_field){.col = (unsigned)col, .integer = integer, .json = json};
        out->boolean = integer && src == RP_DET_SRC_CLOUDTRAIL &&
                       (col == RP_CTI_READ_ONLY || col == RP_CTI_MANAGEMENT);
        if (k == nseg) return RP_OK;
        struct rp_str *path = rp_arena_alloc(&set->a, (nseg - k) * sizeof(*path));
        if (!path) return rp_fail(eb, RP_ENOMEM, "sigma: out of memory");
        for (size_t j = k; j < nseg; j++) {
            size_t start = ends[j - 1] + 1;
            char *seg = rp_arena_memdup(&set->a, name.p + start, ends[j] - start);
            if (!seg) return rp_fail(eb, RP_ENOMEM, "sigma: out of memory");
            path[j - k] = (struct rp_str){seg, ends[j] - start};
        }
        out->path = path;
        out->npath = nseg - k;
        return RP_OK;
    }
    return rp_fail(eb, RP_EUNSUPPORTED, "field '%.*s' is not in the %s events Rampart keeps",
                   (int)name.len, name.p, src_label(src));
}

/* ---- modifiers --------------------------------------------------------------------------- */

struct mods {
    bool contains, startswith, endswith, all, re, re_i, re_m, re_s, cidr, b64, b64off, exists,
        cased;
    int cmp; /* 0, or SG_LT .. SG_GTE */
};

/* Modifiers of the specification Rampart does not implement, and why in docs/sigma.md. */
static const char *const unsupported_mods[] = {
    "windash", "utf16le", "utf16be", "utf16", "wide", "expand", "fieldref",
    "neq",     "minute",  "hour",    "day",   "week", "month",  "year",
};

static rp_err parse_mods(struct rp_str field, struct rp_str rest, struct mods *m,
                         struct rp_errbuf *eb)
{
    memset(m, 0, sizeof(*m));
    struct rp_str tok;
    while (rest.len && rp_str_split_next(&rest, '|', &tok)) {
        bool *flag = NULL;
        int cmp = 0;
        if (rp_str_eq_cstr(tok, "contains"))
            flag = &m->contains;
        else if (rp_str_eq_cstr(tok, "startswith"))
            flag = &m->startswith;
        else if (rp_str_eq_cstr(tok, "endswith"))
            flag = &m->endswith;
        else if (rp_str_eq_cstr(tok, "all"))
            flag = &m->all;
        else if (rp_str_eq_cstr(tok, "re"))
            flag = &m->re;
        else if (rp_str_eq_cstr(tok, "i"))
            flag = &m->re_i;
        else if (rp_str_eq_cstr(tok, "m"))
            flag = &m->re_m;
        else if (rp_str_eq_cstr(tok, "s"))
            flag = &m->re_s;
        else if (rp_str_eq_cstr(tok, "cidr"))
            flag = &m->cidr;
        else if (rp_str_eq_cstr(tok, "base64"))
            flag = &m->b64;
        else if (rp_str_eq_cstr(tok, "base64offset"))
            flag = &m->b64off;
        else if (rp_str_eq_cstr(tok, "exists"))
            flag = &m->exists;
        else if (rp_str_eq_cstr(tok, "cased"))
            flag = &m->cased;
        else if (rp_str_eq_cstr(tok, "lt"))
            cmp = SG_LT;
        else if (rp_str_eq_cstr(tok, "lte"))
            cmp = SG_LTE;
        else if (rp_str_eq_cstr(tok, "gt"))
            cmp = SG_GT;
        else if (rp_str_eq_cstr(tok, "gte"))
            cmp = SG_GTE;
        if (flag) {
            *flag = true;
            continue;
        }
        if (cmp) {
            if (m->cmp && m->cmp != cmp)
                return rp_fail(eb, RP_EPARSE, "field '%.*s': two comparison modifiers",
                               (int)field.len, field.p);
            m->cmp = cmp;
            continue;
        }
        for (size_t i = 0; i < RP_ARRAY_LEN(unsupported_mods); i++)
            if (rp_str_eq_cstr(tok, unsupported_mods[i]))
                return rp_fail(eb, RP_EUNSUPPORTED, "modifier '%s' is not supported",
                               unsupported_mods[i]);
        return rp_fail(eb, RP_EPARSE, "unknown modifier '%.*s'", (int)tok.len, tok.p);
    }
    /* what may go together */
    const char *pos = m->contains     ? "contains"
                      : m->startswith ? "startswith"
                      : m->endswith   ? "endswith"
                                      : NULL;
    if ((int)m->contains + (int)m->startswith + (int)m->endswith > 1)
        return rp_fail(eb, RP_EPARSE,
                       "field '%.*s': modifiers 'contains', 'startswith' and "
                       "'endswith' exclude each other",
                       (int)field.len, field.p);
    const char *kind = m->re       ? "re"
                       : m->cidr   ? "cidr"
                       : m->exists ? "exists"
                       : m->cmp    ? "lt/lte/gt/gte"
                                   : NULL;
    int kinds = (int)m->re + (int)m->cidr + (int)m->exists + (int)(m->cmp != 0);
    if (kinds > 1)
        return rp_fail(eb, RP_EPARSE,
                       "field '%.*s': modifiers 're', 'cidr', 'exists' and "
                       "'lt/lte/gt/gte' exclude each other",
                       (int)field.len, field.p);
    if (kind && (pos || m->b64 || m->b64off))
        return rp_fail(eb, RP_EPARSE, "field '%.*s': modifier '%s' cannot be combined with '%s'",
                       (int)field.len, field.p, kind,
                       pos      ? pos
                       : m->b64 ? "base64"
                                : "base64offset");
    if (m->exists && (m->all || m->cased))
        return rp_fail(eb, RP_EPARSE, "field '%.*s': modifier 'exists' stands alone",
                       (int)field.len, field.p);
    if ((m->re_i || m->re_m || m->re_s) && !m->re)
        return rp_fail(eb, RP_EPARSE, "field '%.*s': modifiers 'i', 'm' and 's' need 're'",
                       (int)field.len, field.p);
    if (m->b64 && m->b64off)
        return rp_fail(eb, RP_EPARSE,
                       "field '%.*s': modifiers 'base64' and 'base64offset' "
                       "exclude each other",
                       (int)field.len, field.p);
    if (m->b64off && !m->contains)
        return rp_fail(eb, RP_EPARSE, "field '%.*s': modifier 'base64offset' needs 'contains'",
                       (int)field.len, field.p);
    return RP_OK;
}

/* ---- values ------------------------------------------------------------------------------ */

/* The text of a scalar value (numbers as written by %lld / %.15g, booleans as true/false). */
static bool scalar_text(struct rp_json_val v, char *buf, size_t bufsz, struct rp_str *out)
{
    int64_t i = 0;
    double d = 0;
    bool b = false;
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        return rp_json_get_str(v, out) == RP_OK;
    case RP_JSON_INT:
        if (rp_json_get_i64(v, &i)) return false;
        *out = (struct rp_str){buf, (size_t)snprintf(buf, bufsz, "%lld", (long long)i)};
        return true;
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &d)) return false;
        *out = (struct rp_str){buf, (size_t)snprintf(buf, bufsz, "%.15g", d)};
        return true;
    case RP_JSON_BOOL:
        if (rp_json_get_bool(v, &b)) return false;
        *out = b ? RP_STR_LIT("true") : RP_STR_LIT("false");
        return true;
    default:
        return false;
    }
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* A value being built: bytes and, for each, whether it is a wildcard. */
struct pat {
    char *p;
    uint8_t *w;
    size_t n, cap;
};

static rp_err pat_put(struct rp_det_sigma_set *set, struct pat *x, char c, bool wild)
{
    if (wild && c == '*' && x->n && x->w[x->n - 1] && x->p[x->n - 1] == '*') return RP_OK;
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        char *p = rp_arena_alloc(&set->a, cap + 1);
        uint8_t *w = rp_arena_alloc(&set->a, cap);
        if (!p || !w) return RP_ENOMEM;
        if (x->n) {
            memcpy(p, x->p, x->n);
            memcpy(w, x->w, x->n);
        }
        x->p = p;
        x->w = w;
        x->cap = cap;
    }
    x->p[x->n] = c;
    x->w[x->n++] = wild;
    x->p[x->n] = 0;
    return RP_OK;
}

/* Sigma's escaping (specification, "Escape Character"): a backslash before '*', '?' or another
 * backslash makes that character plain; any other backslash is itself. */
static rp_err pat_parse(struct rp_det_sigma_set *set, struct pat *x, struct rp_str s, bool *wild)
{
    *wild = false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        bool w = false;
        if (c == '\\' && i + 1 < s.len &&
            (s.p[i + 1] == '*' || s.p[i + 1] == '?' || s.p[i + 1] == '\\'))
            c = s.p[++i];
        else if (c == '*' || c == '?')
            w = *wild = true;
        if (pat_put(set, x, c, w)) return RP_ENOMEM;
    }
    return RP_OK;
}

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of `shift` zero bytes followed by s (RFC 4648, with padding) into x. */
static rp_err b64_encode(struct rp_det_sigma_set *set, struct pat *x, const char *s, size_t n,
                         size_t shift)
{
    size_t total = n + shift;
    for (size_t i = 0; i < total; i += 3) {
        uint32_t v = 0;
        size_t k = 0;
        for (; k < 3 && i + k < total; k++) {
            size_t j = i + k;
            v |= (uint32_t)(j < shift ? 0 : (unsigned char)s[j - shift]) << (16 - 8 * k);
        }
        for (size_t c = 0; c < 4; c++) {
            char ch = c <= k ? b64_alphabet[(v >> (18 - 6 * c)) & 63] : '=';
            if (pat_put(set, x, ch, false)) return RP_ENOMEM;
        }
    }
    return RP_OK;
}

struct vctx {
    struct rp_det_sigma_set *set;
    struct sg_rule *r;
    struct rp_str field;
    const struct mods *m;
};

static struct sg_value *vnew(struct vctx *c, struct sg_value **vals, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 4;
        struct sg_value *v = rp_arena_alloc(&c->set->a, ncap * sizeof(*v));
        if (!v) return NULL;
        if (*n) memcpy(v, *vals, *n * sizeof(*v));
        *vals = v;
        *cap = ncap;
    }
    struct sg_value *v = &(*vals)[(*n)++];
    memset(v, 0, sizeof(*v));
    return v;
}

/* Finish a plain (wildcard) pattern into v: wrap for contains/startswith/endswith, lower-case
 * unless cased, and pick the cheapest comparison. */
static void pat_finish(struct sg_value *v, struct pat *x, bool cased)
{
    v->cased = cased;
    if (!cased)
        for (size_t i = 0; i < x->n; i++)
            if (!x->w[i]) x->p[i] = (char)lower((unsigned char)x->p[i]);
    bool lead = x->n && x->w[0] && x->p[0] == '*';
    bool trail = x->n && x->w[x->n - 1] && x->p[x->n - 1] == '*';
    size_t from = lead ? 1 : 0, to = trail && x->n > from ? x->n - 1 : x->n;
    bool inner = false;
    for (size_t i = from; i < to; i++) inner = inner || x->w[i];
    v->wild = x->w;
    if (inner) {
        v->op = SG_GLOB;
        v->pat = x->p ? x->p : "";
        v->len = x->n;
        return;
    }
    v->op = lead && trail ? SG_CONTAINS : lead ? SG_SUFFIX : trail ? SG_PREFIX : SG_EQ;
    v->pat = x->p ? x->p + from : "";
    v->len = to - from;
}

static rp_err compile_value(struct vctx *c, struct rp_json_val jv, struct sg_value **vals,
                            size_t *n, size_t *cap, struct rp_errbuf *eb)
{
    const struct mods *m = c->m;
    struct rp_det_sigma_set *set = c->set;
    char nbuf[64];
    struct rp_str text = {NULL, 0};
    enum rp_json_type t = rp_json_type(jv);
    if (t == RP_JSON_NULL)
        return rp_fail(eb, RP_EPARSE,
                       "field '%.*s': null cannot be one of several values or "
                       "take modifiers",
                       (int)c->field.len, c->field.p);
    if (!scalar_text(jv, nbuf, sizeof nbuf, &text))
        return rp_fail(eb, RP_EPARSE,
                       "field '%.*s': a value must be a string, a number or a "
                       "boolean",
                       (int)c->field.len, c->field.p);
    if (m->cmp) {
        double d = 0;
        char *end = NULL;
        bool ok = t == RP_JSON_INT || t == RP_JSON_UINT || t == RP_JSON_DOUBLE
                      ? rp_json_get_double(jv, &d) == RP_OK
                      : text.len && text.len < sizeof nbuf;
        if (ok && t == RP_JSON_STRING) {
            memcpy(nbuf, text.p, text.len);
            nbuf[text.len] = 0;
            d = strtod(nbuf, &end);
            ok = end && *end == 0 && nbuf[0] != ' ' && isfinite(d);
        }
        if (!ok || t == RP_JSON_BOOL)
            return rp_fail(eb, RP_EPARSE, "field '%.*s': a comparison needs a number",
                           (int)c->field.len, c->field.p);
        struct sg_value *v = vnew(c, vals, n, cap);
        if (!v) return RP_ENOMEM;
        v->op = (enum sg_op)m->cmp;
        v->num = d;
        return RP_OK;
    }
    if (m->cidr) {
        struct sg_value *v = vnew(c, vals, n, cap);
        if (!v) return RP_ENOMEM;
        v->op = SG_CIDR;
        struct rp_errbuf ceb = {0};
        if (rp_cidr_parse(text, &v->cidr, NULL, &ceb))
            return rp_fail(eb, RP_EPARSE, "field '%.*s': '%.*s' is not a CIDR range",
                           (int)c->field.len, c->field.p, (int)(text.len > 60 ? 60 : text.len),
                           text.p);
        return RP_OK;
    }
    if (m->re) {
        if (set->npats == set->cappats) {
            size_t ncap = set->cappats ? 2 * set->cappats : 16;
            struct rp_re_pattern *p = realloc(set->pats, ncap * sizeof(*p));
            if (!p) return RP_ENOMEM;
            set->pats = p;
            unsigned *o = realloc(set->pat_rule, ncap * sizeof(*o));
            if (!o) return RP_ENOMEM;
            set->pat_rule = o;
            set->cappats = ncap;
        }
        char *rx = rp_arena_printf(&set->a, "%s%s%.*s", m->re_m ? "(?m)" : "",
                                   m->re_s ? "(?s)" : "", (int)text.len, text.p);
        struct sg_value *v = vnew(c, vals, n, cap);
        if (!rx || !v) return RP_ENOMEM;
        if (strlen(rx) != text.len + (m->re_m ? 4 : 0) + (m->re_s ? 4 : 0))
            return rp_fail(eb, RP_EPARSE, "field '%.*s': a regular expression holds a NUL byte",
                           (int)c->field.len, c->field.p);
        v->op = SG_RE;
        v->cased = true;
        v->re = (unsigned)set->npats;
        set->pats[set->npats] = (struct rp_re_pattern){rx, m->re_i ? RP_RE_CASELESS : 0};
        set->pat_rule[set->npats++] = (unsigned)set->nrules;
        set->re_dirty = true;
        return RP_OK;
    }
    struct pat x = {0};
    bool wild = false;
    if (pat_parse(set, &x, text, &wild)) return RP_ENOMEM;
    if (m->b64 || m->b64off) {
        if (wild)
            return rp_fail(eb, RP_EUNSUPPORTED,
                           "field '%.*s': wildcards in a base64 value are "
                           "not supported",
                           (int)c->field.len, c->field.p);
        size_t variants = m->b64off ? 3 : 1;
        for (size_t shift = 0; shift < variants; shift++) {
            struct pat e = {0};
            if (b64_encode(set, &e, x.p ? x.p : "", x.n, shift)) return RP_ENOMEM;
            size_t from = 0, to = e.n;
            if (m->b64off) {
                /* drop the characters that depend on the bytes around the value: the leading
                 * shift bytes touch 0, 2 or 3 characters, a partial last group 0, 3 or 2 */
                static const size_t head[3] = {0, 2, 3}, tail[3] = {0, 3, 2};
                from = head[shift];
                size_t t3 = tail[(x.n + shift) % 3];
                to = e.n >= t3 ? e.n - t3 : 0;
                if (to <= from)
                    return rp_fail(eb, RP_EPARSE,
                                   "field '%.*s': value too short for "
                                   "base64offset",
                                   (int)c->field.len, c->field.p);
            }
            struct pat y = {0};
            if (m->contains || m->endswith)
                if (pat_put(set, &y, '*', true)) return RP_ENOMEM;
            for (size_t i = from; i < to; i++)
                if (pat_put(set, &y, e.p[i], false)) return RP_ENOMEM;
            if (m->contains || m->startswith)
                if (pat_put(set, &y, '*', true)) return RP_ENOMEM;
            struct sg_value *v = vnew(c, vals, n, cap);
            if (!v) return RP_ENOMEM;
            pat_finish(v, &y, true); /* encoded text is matched exactly */
        }
        return RP_OK;
    }
    struct pat y = {0};
    if (m->contains || m->endswith)
        if (pat_put(set, &y, '*', true)) return RP_ENOMEM;
    for (size_t i = 0; i < x.n; i++)
        if (pat_put(set, &y, x.p[i], x.w[i])) return RP_ENOMEM;
    if (m->contains || m->startswith)
        if (pat_put(set, &y, '*', true)) return RP_ENOMEM;
    struct sg_value *v = vnew(c, vals, n, cap);
    if (!v) return RP_ENOMEM;
    pat_finish(v, &y, m->cased);
    return RP_OK;
}

/* ---- search identifiers ------------------------------------------------------------------ */

static rp_err nomem(struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_ENOMEM, "sigma: out of memory");
}

static rp_err compile_item(struct rp_det_sigma_set *set, struct sg_rule *r, struct rp_str key,
                           struct rp_json_val val, struct sg_item *it, struct rp_errbuf *eb)
{
    size_t bar = 0;
    while (bar < key.len && key.p[bar] != '|') bar++;
    struct rp_str field = {key.p, bar};
    struct rp_str rest = bar < key.len ? (struct rp_str){key.p + bar + 1, key.len - bar - 1}
                                       : (struct rp_str){"", 0};
    if (!field.len)
        return rp_fail(eb, RP_EUNSUPPORTED,
                       "keyword search ('%.*s' without a field name) is "
                       "not supported",
                       (int)(key.len > 40 ? 40 : key.len), key.p);
    if (bar < key.len && !rest.len)
        return rp_fail(eb, RP_EPARSE, "field '%.*s': empty modifier", (int)field.len, field.p);
    struct mods m;
    rp_err e = parse_mods(field, rest, &m, eb);
    if (e) return e;
    memset(it, 0, sizeof(*it));
    if ((e = resolve_field(set, r->src, field, &it->field, eb))) return e;
    it->all = m.all;

    if (m.exists) {
        bool b = false;
        if (rp_json_get_bool(val, &b))
            return rp_fail(eb, RP_EPARSE, "field '%.*s': 'exists' takes true or false",
                           (int)field.len, field.p);
        it->kind = SG_ITEM_EXISTS;
        it->exists = b;
        return RP_OK;
    }
    if (rp_json_type(val) == RP_JSON_NULL) {
        if (rest.len)
            return rp_fail(eb, RP_EPARSE, "field '%.*s': null takes no modifier", (int)field.len,
                           field.p);
        it->kind = SG_ITEM_NULL;
        return RP_OK;
    }
    struct vctx c = {set, r, field, &m};
    size_t cap = 0;
    it->kind = SG_ITEM_VALUES;
    if (rp_json_type(val) == RP_JSON_ARRAY) {
        struct rp_json_iter iter;
        struct rp_json_val el;
        if (rp_json_arr_iter(val, &iter)) return rp_fail(eb, RP_EINTERNAL, "sigma: bad array");
        while (rp_json_arr_next(&iter, &el)) {
            if ((e = compile_value(&c, el, &it->vals, &it->nvals, &cap, eb)))
                return e == RP_ENOMEM ? nomem(eb) : e;
        }
        if (!it->nvals)
            return rp_fail(eb, RP_EPARSE, "field '%.*s': empty list of values", (int)field.len,
                           field.p);
    } else if ((e = compile_value(&c, val, &it->vals, &it->nvals, &cap, eb))) {
        return e == RP_ENOMEM ? nomem(eb) : e;
    }
    if (m.b64off && m.all)
        return rp_fail(eb, RP_EUNSUPPORTED,
                       "field '%.*s': 'base64offset' with 'all' is not "
                       "supported",
                       (int)field.len, field.p);
    return RP_OK;
}

static rp_err compile_map(struct rp_det_sigma_set *set, struct sg_rule *r, const char *sel,
                          struct rp_json_val obj, struct sg_map *map, struct rp_errbuf *eb)
{
    size_t n = rp_json_len(obj);
    if (!n) return rp_fail(eb, RP_EPARSE, "search identifier '%s' is empty", sel);
    map->items = rp_arena_zalloc(&set->a, n * sizeof(*map->items));
    if (!map->items) return nomem(eb);
    struct rp_json_iter it;
    struct rp_str key;
    struct rp_json_val val;
    if (rp_json_obj_iter(obj, &it)) return rp_fail(eb, RP_EINTERNAL, "sigma: bad object");
    while (rp_json_obj_next(&it, &key, &val)) {
        rp_err e = compile_item(set, r, key, val, &map->items[map->n], eb);
        if (e) return e;
        map->n++;
    }
    return RP_OK;
}

static rp_err compile_sel(struct rp_det_sigma_set *set, struct sg_rule *r, struct rp_str name,
                          struct rp_json_val v, struct sg_sel *s, struct rp_errbuf *eb)
{
    if (!(s->name = rp_arena_memdup(&set->a, name.p, name.len))) return nomem(eb);
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_OBJECT) {
        s->maps = rp_arena_zalloc(&set->a, sizeof(*s->maps));
        if (!s->maps) return nomem(eb);
        s->n = 1;
        return compile_map(set, r, s->name, v, &s->maps[0], eb);
    }
    if (t != RP_JSON_ARRAY)
        return rp_fail(eb, RP_EUNSUPPORTED,
                       "keyword search (search identifier '%s' is a plain "
                       "value) is not supported",
                       s->name);
    size_t n = rp_json_len(v);
    if (!n) return rp_fail(eb, RP_EPARSE, "search identifier '%s' is empty", s->name);
    s->maps = rp_arena_zalloc(&set->a, n * sizeof(*s->maps));
    if (!s->maps) return nomem(eb);
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(v, &it)) return rp_fail(eb, RP_EINTERNAL, "sigma: bad array");
    while (rp_json_arr_next(&it, &el)) {
        if (rp_json_type(el) != RP_JSON_OBJECT)
            return rp_fail(eb, RP_EUNSUPPORTED,
                           "keyword search (search identifier '%s' is a "
                           "list of values) is not supported",
                           s->name);
        rp_err e = compile_map(set, r, s->name, el, &s->maps[s->n], eb);
        if (e) return e;
        s->n++;
    }
    return RP_OK;
}

/* ---- condition --------------------------------------------------------------------------- */

enum tok { T_END, T_LP, T_RP, T_AND, T_OR, T_NOT, T_OF, T_THEM, T_ALL, T_ONE, T_WORD };

struct cparse {
    struct rp_det_sigma_set *set;
    struct sg_rule *r;
    struct rp_str src;
    size_t pos;
    enum tok t;      /* current token */
    struct rp_str w; /* its text */
    unsigned depth;
    /* nodes and kids being built (heap, copied into the arena at the end) */
    struct sg_node *nodes;
    size_t nnodes, capnodes;
    unsigned *kids;
    size_t nkids, capkids;
    struct rp_errbuf *eb;
};

static bool word_char(char c)
{
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '(' && c != ')' && c != '|';
}

static rp_err next_tok(struct cparse *p)
{
    struct rp_str s = p->src;
    while (p->pos < s.len && (s.p[p->pos] == ' ' || s.p[p->pos] == '\t' || s.p[p->pos] == '\n' ||
                              s.p[p->pos] == '\r'))
        p->pos++;
    if (p->pos == s.len) {
        p->t = T_END;
        p->w = (struct rp_str){"", 0};
        return RP_OK;
    }
    char c = s.p[p->pos];
    p->w = (struct rp_str){s.p + p->pos, 1};
    if (c == '(' || c == ')') {
        p->t = c == '(' ? T_LP : T_RP;
        p->pos++;
        return RP_OK;
    }
    if (c == '|') {
        size_t k = p->pos + 1;
        while (k < s.len && (s.p[k] == ' ' || s.p[k] == '\t')) k++;
        return rp_fail(p->eb, RP_EUNSUPPORTED,
                       "aggregation in the condition ('| %.*s') is not supported",
                       (int)(s.len - k > 60 ? 60 : s.len - k), s.p + k);
    }
    size_t start = p->pos;
    while (p->pos < s.len && word_char(s.p[p->pos])) p->pos++;
    p->w = (struct rp_str){s.p + start, p->pos - start};
    static const struct {
        const char *w;
        enum tok t;
    } kw[] = {{"and", T_AND},   {"or", T_OR},   {"not", T_NOT}, {"of", T_OF},
              {"them", T_THEM}, {"all", T_ALL}, {"1", T_ONE}};
    p->t = T_WORD;
    for (size_t i = 0; i < RP_ARRAY_LEN(kw); i++)
        if (rp_str_eq_nocase(p->w, rp_str_from(kw[i].w))) p->t = kw[i].t;
    if (p->t == T_WORD && rp_str_eq_nocase(p->w, RP_STR_LIT("near")))
        return rp_fail(p->eb, RP_EUNSUPPORTED, "'near' in the condition is not supported");
    return RP_OK;
}

static rp_err add_node(struct cparse *p, enum sg_node_kind kind, unsigned a, unsigned n,
                       unsigned *out)
{
    if (p->nnodes == p->capnodes) {
        size_t cap = p->capnodes ? 2 * p->capnodes : 16;
        struct sg_node *x = realloc(p->nodes, cap * sizeof(*x));
        if (!x) return nomem(p->eb);
        p->nodes = x;
        p->capnodes = cap;
    }
    p->nodes[p->nnodes] = (struct sg_node){kind, a, n};
    *out = (unsigned)p->nnodes++;
    return RP_OK;
}

/* A node of kind over children kids[0..n) (n == 1: the child itself). */
static rp_err add_group(struct cparse *p, enum sg_node_kind kind, const unsigned *kids, size_t n,
                        unsigned *out)
{
    if (n == 1) {
        *out = kids[0];
        return RP_OK;
    }
    if (p->nkids + n > p->capkids) {
        size_t cap = p->capkids ? 2 * p->capkids : 16;
        while (cap < p->nkids + n) cap *= 2;
        unsigned *x = realloc(p->kids, cap * sizeof(*x));
        if (!x) return nomem(p->eb);
        p->kids = x;
        p->capkids = cap;
    }
    memcpy(p->kids + p->nkids, kids, n * sizeof(*kids));
    rp_err e = add_node(p, kind, (unsigned)p->nkids, (unsigned)n, out);
    p->nkids += n;
    return e;
}

struct kidvec {
    unsigned *v;
    size_t n, cap;
};

static bool kid_push(struct kidvec *k, unsigned x)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 8;
        unsigned *v = realloc(k->v, cap * sizeof(*v));
        if (!v) return false;
        k->v = v;
        k->cap = cap;
    }
    k->v[k->n++] = x;
    return true;
}

/* Full glob of identifiers with backtracking over '*'. */
static bool id_glob(struct rp_str pat, const char *s)
{
    size_t n = strlen(s), i = 0, j = 0, sp = SIZE_MAX, si = 0;
    while (i < n) {
        if (j < pat.len && pat.p[j] == '*') {
            sp = j++;
            si = i;
        } else if (j < pat.len && pat.p[j] == s[i]) {
            i++;
            j++;
        } else if (sp != SIZE_MAX) {
            j = sp + 1;
            i = ++si;
        } else {
            return false;
        }
    }
    while (j < pat.len && pat.p[j] == '*') j++;
    return j == pat.len;
}

static rp_err parse_or(struct cparse *p, unsigned *out);

static rp_err parse_of(struct cparse *p, bool all, unsigned *out)
{
    rp_err e = next_tok(p);
    if (e) return e;
    if (p->t != T_OF)
        return rp_fail(p->eb, RP_EPARSE, "condition: expected 'of' after '%s'", all ? "all" : "1");
    if ((e = next_tok(p))) return e;
    bool them = p->t == T_THEM;
    if (!them && p->t != T_WORD)
        return rp_fail(p->eb, RP_EPARSE,
                       "condition: expected a search identifier pattern or "
                       "'them' after 'of'");
    struct rp_str pat = p->w;
    struct kidvec k = {0};
    for (size_t i = 0; i < p->r->nsels; i++) {
        const char *name = p->r->sels[i].name;
        bool take = them ? name[0] != '_' : id_glob(pat, name);
        unsigned node = 0;
        if (take && ((e = add_node(p, SG_N_SEL, (unsigned)i, 0, &node)) || !kid_push(&k, node))) {
            free(k.v);
            return e ? e : nomem(p->eb);
        }
    }
    if (!k.n) {
        free(k.v);
        return rp_fail(p->eb, RP_EPARSE, "condition: '%s of %.*s' matches no search identifier",
                       all ? "all" : "1", (int)pat.len, pat.p);
    }
    e = add_group(p, all ? SG_N_AND : SG_N_OR, k.v, k.n, out);
    free(k.v);
    if (!e) e = next_tok(p);
    return e;
}

static rp_err parse_primary(struct cparse *p, unsigned *out)
{
    rp_err e = RP_OK;
    if (++p->depth > SG_MAX_COND_DEPTH)
        return rp_fail(p->eb, RP_EPARSE, "condition: nested too deep");
    switch (p->t) {
    case T_NOT: {
        unsigned kid = 0;
        if ((e = next_tok(p)) || (e = parse_primary(p, &kid))) break;
        e = add_node(p, SG_N_NOT, kid, 1, out);
        break;
    }
    case T_LP:
        if ((e = next_tok(p)) || (e = parse_or(p, out))) break;
        if (p->t != T_RP) {
            e = rp_fail(p->eb, RP_EPARSE, "condition: missing ')'");
            break;
        }
        e = next_tok(p);
        break;
    case T_ONE:
    case T_ALL:
        e = parse_of(p, p->t == T_ALL, out);
        break;
    case T_WORD: {
        if (p->w.len && p->w.p[0] >= '0' && p->w.p[0] <= '9') {
            e = rp_fail(p->eb, RP_EUNSUPPORTED,
                        "'%.*s of' in the condition is not supported "
                        "(only '1 of' and 'all of')",
                        (int)p->w.len, p->w.p);
            break;
        }
        size_t i = 0;
        while (i < p->r->nsels && !rp_str_eq_cstr(p->w, p->r->sels[i].name)) i++;
        if (i == p->r->nsels) {
            e = rp_fail(p->eb, RP_EPARSE, "condition: unknown search identifier '%.*s'",
                        (int)(p->w.len > 60 ? 60 : p->w.len), p->w.p);
            break;
        }
        if ((e = add_node(p, SG_N_SEL, (unsigned)i, 0, out))) break;
        e = next_tok(p);
        break;
    }
    case T_END:
        e = rp_fail(p->eb, RP_EPARSE, "condition: unexpected end");
        break;
    default:
        e = rp_fail(p->eb, RP_EPARSE, "condition: unexpected '%.*s'", (int)p->w.len, p->w.p);
        break;
    }
    p->depth--;
    return e;
}

static rp_err parse_and(struct cparse *p, unsigned *out)
{
    struct kidvec k = {0};
    rp_err e = RP_OK;
    for (;;) {
        unsigned x = 0;
        if ((e = parse_primary(p, &x))) break;
        if (!kid_push(&k, x)) {
            e = nomem(p->eb);
            break;
        }
        if (p->t != T_AND) break;
        if ((e = next_tok(p))) break;
    }
    if (!e) e = add_group(p, SG_N_AND, k.v, k.n, out);
    free(k.v);
    return e;
}

static rp_err parse_or(struct cparse *p, unsigned *out)
{
    struct kidvec k = {0};
    rp_err e = RP_OK;
    for (;;) {
        unsigned x = 0;
        if ((e = parse_and(p, &x))) break;
        if (!kid_push(&k, x)) {
            e = nomem(p->eb);
            break;
        }
        if (p->t != T_OR) break;
        if ((e = next_tok(p))) break;
    }
    if (!e) e = add_group(p, SG_N_OR, k.v, k.n, out);
    free(k.v);
    return e;
}

static rp_err parse_cond(struct cparse *p, struct rp_str s, unsigned *out)
{
    p->src = s;
    p->pos = 0;
    p->depth = 0;
    rp_err e = next_tok(p);
    if (e) return e;
    if (p->t == T_END) return rp_fail(p->eb, RP_EPARSE, "empty condition");
    if ((e = parse_or(p, out))) return e;
    if (p->t != T_END)
        return rp_fail(p->eb, RP_EPARSE, "condition: unexpected '%.*s'",
                       (int)(p->w.len > 60 ? 60 : p->w.len), p->w.p);
    return RP_OK;
}

static rp_err compile_cond(struct rp_det_sigma_set *set, struct sg_rule *r, struct rp_json_val cond,
                           struct rp_errbuf *eb)
{
    struct cparse p = {.set = set, .r = r, .eb = eb};
    struct kidvec roots = {0};
    rp_err e = RP_OK;
    struct rp_str s;
    if (rp_json_type(cond) == RP_JSON_STRING) {
        unsigned x = 0;
        if (rp_json_get_str(cond, &s) == RP_OK && !(e = parse_cond(&p, s, &x)) &&
            !kid_push(&roots, x))
            e = nomem(eb);
    } else if (rp_json_type(cond) == RP_JSON_ARRAY && rp_json_len(cond)) {
        struct rp_json_iter it;
        struct rp_json_val el;
        if (rp_json_arr_iter(cond, &it) == RP_OK)
            while (!e && rp_json_arr_next(&it, &el)) {
                unsigned x = 0;
                if (rp_json_get_str(el, &s))
                    e = rp_fail(eb, RP_EPARSE,
                                "condition: a list of conditions holds a "
                                "non-string");
                else if (!(e = parse_cond(&p, s, &x)) && !kid_push(&roots, x))
                    e = nomem(eb);
            }
    } else {
        e = rp_fail(eb, RP_EPARSE, "condition must be a string or a list of strings");
    }
    if (!e) e = add_group(&p, SG_N_OR, roots.v, roots.n, &r->root);
    if (!e) {
        r->nodes = rp_arena_alloc(&set->a, (p.nnodes ? p.nnodes : 1) * sizeof(*r->nodes));
        r->kids = rp_arena_alloc(&set->a, (p.nkids ? p.nkids : 1) * sizeof(*r->kids));
        if (!r->nodes || !r->kids) {
            e = nomem(eb);
        } else {
            if (p.nnodes) memcpy(r->nodes, p.nodes, p.nnodes * sizeof(*r->nodes));
            if (p.nkids) memcpy(r->kids, p.kids, p.nkids * sizeof(*r->kids));
            r->nnodes = p.nnodes;
            r->nkids = p.nkids;
        }
    }
    free(roots.v);
    free(p.nodes);
    free(p.kids);
    return e;
}

/* ---- detection --------------------------------------------------------------------------- */

rp_err rp_det_sigma_compile(struct rp_det_sigma_set *set, struct sg_rule *r, struct rp_json_val det,
                            struct rp_errbuf *eb)
{
    if (rp_json_type(det) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "'detection' must be a mapping");
    struct rp_json_val cond = {0};
    size_t n = 0;
    struct rp_json_iter it;
    struct rp_str key;
    struct rp_json_val val;
    if (rp_json_obj_iter(det, &it)) return rp_fail(eb, RP_EINTERNAL, "sigma: bad object");
    while (rp_json_obj_next(&it, &key, &val)) {
        if (rp_str_eq_cstr(key, "condition"))
            cond = val;
        else if (rp_str_eq_cstr(key, "timeframe"))
            return rp_fail(eb, RP_EUNSUPPORTED,
                           "'timeframe' (an aggregation window) is not "
                           "supported");
        else
            n++;
    }
    if (rp_json_type(cond) == RP_JSON_NONE)
        return rp_fail(eb, RP_EPARSE, "'detection' has no 'condition'");
    if (!n) return rp_fail(eb, RP_EPARSE, "'detection' has no search identifier");
    r->sels = rp_arena_zalloc(&set->a, n * sizeof(*r->sels));
    if (!r->sels) return nomem(eb);
    if (rp_json_obj_iter(det, &it)) return rp_fail(eb, RP_EINTERNAL, "sigma: bad object");
    while (rp_json_obj_next(&it, &key, &val)) {
        if (rp_str_eq_cstr(key, "condition")) continue;
        rp_err e = compile_sel(set, r, key, val, &r->sels[r->nsels], eb);
        if (e) return e;
        r->nsels++;
    }
    return compile_cond(set, r, cond, eb);
}
