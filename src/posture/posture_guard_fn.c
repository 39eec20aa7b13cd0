/* SPDX-License-Identifier: Apache-2.0 */
/* Guard built-in functions (Guard 3's json_parse, regex_replace, join, substring, to_upper,
 * to_lower, url_decode, parse_boolean, parse_char, parse_epoch, parse_float, parse_int,
 * parse_string, now, count) and Rampart's days_since / days_until, called from
 * posture_guard_eval.c. Each takes query results and yields new values in the scratch arena;
 * a value of a type the function does not take, or that it cannot convert, is left out (Guard
 * drops unsupported elements rather than failing the rule). */
#define RP_LOG_MODULE "posture"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_str.h"
#include "core/rp_time.h"
#include "posture/posture_guard_impl.h"

#include "core/rp_banned.h"

static const struct gfn_info fns[] = {
    {"json_parse", FN_JSON_PARSE, 1, 1},
    {"regex_replace", FN_REGEX_REPLACE, 3, 3},
    {"join", FN_JOIN, 2, 2},
    {"substring", FN_SUBSTRING, 3, 3},
    {"to_upper", FN_TO_UPPER, 1, 1},
    {"to_lower", FN_TO_LOWER, 1, 1},
    {"url_decode", FN_URL_DECODE, 1, 1},
    {"parse_boolean", FN_PARSE_BOOLEAN, 1, 1},
    {"parse_char", FN_PARSE_CHAR, 1, 1},
    {"parse_epoch", FN_PARSE_EPOCH, 1, 1},
    {"parse_float", FN_PARSE_FLOAT, 1, 1},
    {"parse_int", FN_PARSE_INT, 1, 1},
    {"parse_string", FN_PARSE_STRING, 1, 1},
    {"now", FN_NOW, 0, 0},
    {"count", FN_COUNT, 1, 1},
    {"days_since", FN_DAYS_SINCE, 1, 1},
    {"days_until", FN_DAYS_UNTIL, 1, 1},
};

const struct gfn_info *rp_guard_fn_find(const char *name, size_t n)
{
    for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++)
        if (strlen(fns[k].name) == n && memcmp(fns[k].name, name, n) == 0) return &fns[k];
    return NULL;
}

size_t rp_guard_fmt_double(char *buf, size_t cap, double d, bool point)
{
    int n = 0;
    if (d == floor(d) && fabs(d) < 1e15) { /* integral: no exponent */
        n = snprintf(buf, cap, "%.0f", d);
        if (n < 0 || (size_t)n >= cap) return 0;
        if (point && (size_t)n + 2 < cap) {
            buf[n++] = '.';
            buf[n++] = '0';
            buf[n] = '\0';
        }
        return (size_t)n;
    }
    /* the shortest text that reads back as the same double, as Rust prints it */
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(buf, cap, "%.*g", prec, d);
        if (n < 0 || (size_t)n >= cap) return 0;
        if (strtod(buf, NULL) == d) break;
    }
    if (point && !strpbrk(buf, ".eni") && (size_t)n + 2 < cap) {
        buf[n++] = '.';
        buf[n++] = '0';
        buf[n] = '\0';
    }
    return (size_t)n;
}

static rp_err oom(struct gev *ev)
{
    (void)ev;
    return RP_ENOMEM;
}

static rp_err push_new(struct gev *ev, struct gset *out, struct rp_pv *v)
{
    if (!v) return oom(ev);
    return rp_guard_set_push(ev, out, v, NULL);
}

static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    struct rp_str t = rp_str_trim((struct rp_str){s, n});
    if (t.len && t.p[0] == '+') {
        t.p++;
        t.len--;
    }
    return rp_str_to_i64(t, out) == RP_OK;
}

static bool parse_dbl(const char *s, size_t n, double *out)
{
    char buf[128];
    struct rp_str t = rp_str_trim((struct rp_str){s, n});
    if (t.len == 0 || t.len >= sizeof(buf)) return false;
    memcpy(buf, t.p, t.len);
    buf[t.len] = '\0';
    char *end = NULL;
    errno = 0;
    double d = strtod(buf, &end);
    if (!end || *end || errno == ERANGE || isnan(d) || isinf(d)) return false;
    *out = d;
    return true;
}

/* A time as ms: ISO-8601 text, or epoch seconds (number or digits). */
static bool time_ms(const struct rp_pv *v, int64_t *ms)
{
    if (v->kind == RP_PV_INT) {
        if (v->u.i > RP_TIME_MAX_MS / 1000 || v->u.i < RP_TIME_MIN_MS / 1000) return false;
        *ms = v->u.i * 1000;
        return true;
    }
    if (v->kind == RP_PV_DOUBLE) {
        if (!(v->u.d <= (double)(RP_TIME_MAX_MS / 1000)) ||
            !(v->u.d >= (double)(RP_TIME_MIN_MS / 1000)))
            return false;
        *ms = (int64_t)(v->u.d * 1000.0);
        return true;
    }
    if (v->kind != RP_PV_STRING) return false;
    struct rp_str s = rp_str_trim((struct rp_str){v->u.s, v->n});
    if (rp_time_parse_iso(s, ms, NULL) == RP_OK) return true;
    return rp_time_parse_epoch_s(s, ms, NULL) == RP_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static rp_err fn_unary(struct gev *ev, enum gfn fn, const struct gset *in, struct gset *out)
{
    struct rp_arena *a = rp_guard_ev_arena(ev);
    rp_err e = RP_OK;
    for (uint32_t k = 0; k < in->n && e == RP_OK; k++) {
        const struct rp_pv *v = in->it[k].v;
        if (!v) continue;
        switch (fn) {
        case FN_JSON_PARSE: {
            if (v->kind != RP_PV_STRING) break;
            struct rp_pv *r = NULL;
            rp_err pe = rp_guard_ev_json(ev, v->u.s, v->n, &r);
            if (pe == RP_ENOMEM) return pe;
            if (pe == RP_OK) e = rp_guard_set_push(ev, out, r, NULL);
            break;
        }
        case FN_TO_UPPER:
        case FN_TO_LOWER: {
            if (v->kind != RP_PV_STRING) break;
            struct rp_pv *r = rp_pv_str(a, v->u.s, v->n);
            if (!r) return oom(ev);
            char *s = (char *)r->u.s;
            for (uint32_t j = 0; j < r->n; j++) {
                if (fn == FN_TO_UPPER && s[j] >= 'a' && s[j] <= 'z') s[j] = (char)(s[j] - 32);
                if (fn == FN_TO_LOWER && s[j] >= 'A' && s[j] <= 'Z') s[j] = (char)(s[j] + 32);
            }
            e = rp_guard_set_push(ev, out, r, NULL);
            break;
        }
        case FN_URL_DECODE: {
            if (v->kind != RP_PV_STRING) break;
            struct rp_pv *r = rp_pv_str(a, v->u.s, v->n);
            if (!r) return oom(ev);
            char *s = (char *)r->u.s;
            uint32_t o = 0;
            for (uint32_t j = 0; j < v->n; j++) {
                int h1 = 0, h2 = 0;
                if (v->u.s[j] == '%' && j + 2 < v->n && (h1 = hexval(v->u.s[j + 1])) >= 0 &&
                    (h2 = hexval(v->u.s[j + 2])) >= 0) {
                    s[o++] = (char)(h1 * 16 + h2);
                    j += 2;
                } else {
                    s[o++] = v->u.s[j];
                }
            }
            s[o] = '\0';
            r->n = o;
            e = rp_guard_set_push(ev, out, r, NULL);
            break;
        }
        case FN_PARSE_BOOLEAN:
            if (v->kind == RP_PV_BOOL) {
                e = rp_guard_set_push(ev, out, v, NULL);
            } else if (v->kind == RP_PV_STRING) {
                struct rp_str s = {v->u.s, v->n};
                if (rp_str_eq_nocase(s, rp_str_from("true")))
                    e = push_new(ev, out, rp_pv_bool(a, true));
                else if (rp_str_eq_nocase(s, rp_str_from("false")))
                    e = push_new(ev, out, rp_pv_bool(a, false));
            }
            break;
        case FN_PARSE_CHAR:
            if (v->kind == RP_PV_STRING && v->n == 1) {
                e = rp_guard_set_push(ev, out, v, NULL);
            } else if (v->kind == RP_PV_INT && v->u.i >= 0 && v->u.i <= 9) {
                char c = (char)('0' + v->u.i);
                e = push_new(ev, out, rp_pv_str(a, &c, 1));
            }
            break;
        case FN_PARSE_EPOCH: {
            int64_t ms = 0;
            if (v->kind == RP_PV_STRING && time_ms(v, &ms)) {
                int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
                e = push_new(ev, out, rp_pv_int(a, s));
            } else if (v->kind == RP_PV_INT) {
                e = rp_guard_set_push(ev, out, v, NULL);
            }
            break;
        }
        case FN_PARSE_FLOAT: {
            double d = 0;
            if (v->kind == RP_PV_DOUBLE)
                e = rp_guard_set_push(ev, out, v, NULL);
            else if (v->kind == RP_PV_INT)
                e = push_new(ev, out, rp_pv_double(a, (double)v->u.i));
            else if (v->kind == RP_PV_STRING && parse_dbl(v->u.s, v->n, &d))
                e = push_new(ev, out, rp_pv_double(a, d));
            break;
        }
        case FN_PARSE_INT: {
            int64_t i = 0;
            if (v->kind == RP_PV_INT)
                e = rp_guard_set_push(ev, out, v, NULL);
            else if (v->kind == RP_PV_DOUBLE && v->u.d > -9.2e18 && v->u.d < 9.2e18)
                e = push_new(ev, out, rp_pv_int(a, (int64_t)v->u.d));
            else if (v->kind == RP_PV_STRING && parse_i64(v->u.s, v->n, &i))
                e = push_new(ev, out, rp_pv_int(a, i));
            break;
        }
        case FN_PARSE_STRING: {
            char buf[64];
            int n = -1;
            if (v->kind == RP_PV_STRING) {
                e = rp_guard_set_push(ev, out, v, NULL);
                break;
            }
            if (v->kind == RP_PV_INT) n = snprintf(buf, sizeof(buf), "%lld", (long long)v->u.i);
            if (v->kind == RP_PV_DOUBLE)
                n = (int)rp_guard_fmt_double(buf, sizeof(buf), v->u.d, false);
            if (v->kind == RP_PV_BOOL)
                n = snprintf(buf, sizeof(buf), "%s", v->u.b ? "true" : "false");
            if (n > 0) e = push_new(ev, out, rp_pv_str(a, buf, (size_t)n));
            break;
        }
        case FN_DAYS_SINCE:
        case FN_DAYS_UNTIL: {
            int64_t ms = 0;
            if (!time_ms(v, &ms)) break;
            double d = (double)(rp_guard_ev_now_ms(ev) - ms) / (double)RP_TIME_MS_PER_DAY;
            e = push_new(ev, out, rp_pv_double(a, fn == FN_DAYS_SINCE ? d : -d));
            break;
        }
        default:
            break;
        }
    }
    return e;
}

/* The strings of a query result, a list value counting as its items. */
struct strs {
    const struct gset *in;
    uint32_t k, j;
};

static const struct rp_pv *strs_next(struct strs *it)
{
    while (it->k < it->in->n) {
        const struct rp_pv *v = it->in->it[it->k].v;
        if (v && v->kind == RP_PV_LIST) {
            while (it->j < v->n) {
                const struct rp_pv *x = v->u.items[it->j++];
                if (x->kind == RP_PV_STRING) return x;
            }
            it->j = 0;
            it->k++;
            continue;
        }
        it->k++;
        if (v && v->kind == RP_PV_STRING) return v;
    }
    return NULL;
}

static rp_err fn_join(struct gev *ev, const struct gset *in, const struct gset *delim,
                      struct gset *out)
{
    const struct rp_pv *d = NULL;
    for (uint32_t k = 0; k < delim->n && !d; k++)
        if (delim->it[k].v && delim->it[k].v->kind == RP_PV_STRING) d = delim->it[k].v;
    size_t dl = d ? d->n : 0, total = 0;
    struct strs it = {in, 0, 0};
    const struct rp_pv *v = NULL;
    while ((v = strs_next(&it))) total += v->n + dl;
    if (total > UINT32_MAX / 2) return RP_ELIMIT;
    char *buf = rp_arena_alloc(rp_guard_ev_arena(ev), total + 1);
    if (!buf) return oom(ev);
    size_t o = 0;
    uint32_t seen = 0;
    it = (struct strs){in, 0, 0};
    while ((v = strs_next(&it))) {
        if (seen++ && dl) {
            memcpy(buf + o, d->u.s, dl);
            o += dl;
        }
        memcpy(buf + o, v->u.s, v->n);
        o += v->n;
    }
    return push_new(ev, out, rp_pv_str(rp_guard_ev_arena(ev), buf, o));
}

static bool first_int(const struct gset *s, int64_t *out)
{
    for (uint32_t k = 0; k < s->n; k++) {
        const struct rp_pv *v = s->it[k].v;
        if (v && v->kind == RP_PV_INT) {
            *out = v->u.i;
            return true;
        }
        if (v && v->kind == RP_PV_DOUBLE && v->u.d >= 0 && v->u.d < 4e9) {
            *out = (int64_t)v->u.d;
            return true;
        }
    }
    return false;
}

static rp_err fn_substring(struct gev *ev, const struct gset *in, const struct gset *from,
                           const struct gset *to, struct gset *out)
{
    int64_t a = 0, b = 0;
    if (!first_int(from, &a) || !first_int(to, &b)) return RP_OK;
    rp_err e = RP_OK;
    for (uint32_t k = 0; k < in->n && e == RP_OK; k++) {
        const struct rp_pv *v = in->it[k].v;
        if (!v || v->kind != RP_PV_STRING) continue;
        if (a < 0 || b < a || b > (int64_t)v->n) continue; /* out of bounds: skipped */
        e = push_new(ev, out, rp_pv_str(rp_guard_ev_arena(ev), v->u.s + a, (size_t)(b - a)));
    }
    return e;
}

static rp_err fn_regex_replace(struct gev *ev, const struct gcall *c, const struct gset *in,
                               const struct gset *pat, const struct gset *rep, struct gset *out)
{
    pcre2_code *re = c->re, *own = NULL;
    if (!re) {
        const struct rp_pv *p = NULL;
        for (uint32_t k = 0; k < pat->n && !p; k++)
            if (pat->it[k].v && pat->it[k].v->kind == RP_PV_STRING)
                p = pat->it[k].v;
            else if (pat->it[k].l && pat->it[k].l->kind == GL_RE)
                re = pat->it[k].l->re;
        if (!re && p) {
            int ec = 0;
            PCRE2_SIZE eo = 0;
            own = pcre2_compile((PCRE2_SPTR)p->u.s, p->n,
                                PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &ec,
                                &eo, NULL);
            re = own;
        }
        if (!re) return RP_OK;
    }
    const struct rp_pv *r = NULL;
    for (uint32_t k = 0; k < rep->n && !r; k++)
        if (rep->it[k].v && rep->it[k].v->kind == RP_PV_STRING) r = rep->it[k].v;
    rp_err e = RP_OK;
    if (r) {
        for (uint32_t k = 0; k < in->n && e == RP_OK; k++) {
            const struct rp_pv *v = in->it[k].v;
            if (!v || v->kind != RP_PV_STRING) continue;
            size_t cap = (size_t)v->n * 2 + r->n + 64;
            for (int tries = 0; tries < 4; tries++) {
                char *buf = rp_arena_alloc(rp_guard_ev_arena(ev), cap + 1);
                if (!buf) {
                    e = oom(ev);
                    break;
                }
                PCRE2_SIZE outlen = cap;
                int rc =
                    pcre2_substitute(re, (PCRE2_SPTR)v->u.s, v->n, 0,
                                     PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                     NULL, rp_guard_ev_file(ev)->mctx, (PCRE2_SPTR)r->u.s, r->n,
                                     (PCRE2_UCHAR *)buf, &outlen);
                if (rc == PCRE2_ERROR_NOMEMORY && outlen > cap && outlen < (1u << 26)) {
                    cap = outlen;
                    continue;
                }
                if (rc >= 0) e = push_new(ev, out, rp_pv_str(rp_guard_ev_arena(ev), buf, outlen));
                break;
            }
        }
    }
    if (own) pcre2_code_free(own);
    return e;
}

rp_err rp_guard_fn_call(struct gev *ev, const struct gcall *c, struct gset *out)
{
    struct gset args[3];
    for (uint32_t k = 0; k < c->nargs && k < 3; k++) {
        rp_guard_set_init(&args[k]);
        rp_err e = rp_guard_eval_opnd(ev, &c->args[k], &args[k]);
        if (e != RP_OK) return e;
    }
    struct rp_arena *a = rp_guard_ev_arena(ev);
    switch (c->fn) {
    case FN_NOW: {
        int64_t ms = rp_guard_ev_now_ms(ev);
        return push_new(ev, out, rp_pv_int(a, ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)));
    }
    case FN_COUNT: {
        int64_t n = 0;
        for (uint32_t k = 0; k < args[0].n; k++)
            if (args[0].it[k].v || args[0].it[k].l) n++;
        return push_new(ev, out, rp_pv_int(a, n));
    }
    case FN_JOIN:
        return fn_join(ev, &args[0], &args[1], out);
    case FN_SUBSTRING:
        return fn_substring(ev, &args[0], &args[1], &args[2], out);
    case FN_REGEX_REPLACE:
        return fn_regex_replace(ev, c, &args[0], &args[1], &args[2], out);
    default:
        return fn_unary(ev, c->fn, &args[0], out);
    }
}
