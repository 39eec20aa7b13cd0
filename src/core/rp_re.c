/* SPDX-License-Identifier: Apache-2.0 */
/* Multi-pattern matching (rp_re.h): Hyperscan finds where matches of any pattern end, in one
 * pass; PCRE2 (JIT) confirms each candidate and gives the exact match, so results are PCRE2's
 * global-search results whatever ran.
 *
 * Why the confirmation is exact: for pattern p, let next[p] be where PCRE2's global search
 * would start next (the end of the last match reported). Hyperscan reports every offset at
 * which some match of p ends, in increasing order. The first reported end e after next[p] is
 * at or before the end t of the next true match M (t itself is reported), and M starts at or
 * after t - width >= e - width, where width is p's maximum match width. So a PCRE2 search
 * from max(next[p], e - width) finds M's start first and returns M. Candidates at or before
 * next[p] are inside matches already reported and are skipped. Patterns of unbounded width
 * search from next[p]. Patterns Hyperscan cannot take (lookarounds, backreferences, empty
 * matches) and every pattern on a CPU without SSSE3 run under PCRE2 alone. */
#define RP_LOG_MODULE         "core"
#define PCRE2_CODE_UNIT_WIDTH 8

#include <limits.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_re.h"
#include "core/rp_banned.h"

#ifdef RP_HAVE_HYPERSCAN
#include <hs/hs.h>
#else
/* Without Hyperscan (not x86-64): the few declarations the code below refers to, never
 * reached at run time because hs_valid_platform() says no. */
typedef struct hs_database hs_database_t;
typedef struct hs_scratch hs_scratch_t;
typedef int hs_error_t;
#define HS_SUCCESS 0
static hs_error_t hs_valid_platform(void)
{
    return -1;
}
static void hs_free_database(hs_database_t *d)
{
    (void)d;
}
static void hs_free_scratch(hs_scratch_t *s)
{
    (void)s;
}
#endif

struct pat {
    pcre2_code *code;
    bool in_hs;         /* part of the Hyperscan database */
    unsigned max_width; /* UINT_MAX: unbounded */
    bool fixed;         /* every match is max_width long: its start is known from its end */
};

struct rp_re_set {
    struct pat *p;
    size_t n;
    hs_database_t *db; /* NULL when no pattern runs under Hyperscan */
    size_t nhs;
};

struct hit {
    unsigned pattern;
    size_t start, end;
};

struct rp_re_scratch {
    hs_scratch_t *hs;
    pcre2_match_data *md;
    size_t *next; /* per pattern: where the global search goes on */
    struct hit *hits;
    size_t nhits, cap;
};

static bool hs_ok(void)
{
    return hs_valid_platform() == HS_SUCCESS;
}

rp_err rp_re_set_new(const struct rp_re_pattern *p, size_t n, struct rp_re_set **out,
                     struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_re_set *s = calloc(1, sizeof(*s));
    if (!s || !(s->p = calloc(n ? n : 1, sizeof(*s->p)))) {
        free(s);
        return rp_fail(eb, RP_ENOMEM, "re: out of memory");
    }
    s->n = n;
    const char **exprs = calloc(n ? n : 1, sizeof(*exprs));
    unsigned *flags = calloc(n ? n : 1, sizeof(*flags)), *ids = calloc(n ? n : 1, sizeof(*ids));
    rp_err e = (!exprs || !flags || !ids) ? rp_fail(eb, RP_ENOMEM, "re: out of memory") : RP_OK;
    bool use_hs = hs_ok();
    for (size_t i = 0; i < n && !e; i++) {
        int errcode = 0;
        PCRE2_SIZE erroff = 0;
        uint32_t opts = (p[i].flags & RP_RE_CASELESS) ? PCRE2_CASELESS : 0;
        s->p[i].code = pcre2_compile((PCRE2_SPTR)p[i].regex, PCRE2_ZERO_TERMINATED, opts, &errcode,
                                     &erroff, NULL);
        if (!s->p[i].code) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(errcode, msg, sizeof msg);
            e = rp_fail(eb, RP_EPARSE, "re: pattern %zu: %s at offset %zu", i, (char *)msg,
                        (size_t)erroff);
            break;
        }
        (void)pcre2_jit_compile(s->p[i].code, PCRE2_JIT_COMPLETE); /* interpreted if it fails */
        s->p[i].max_width = UINT_MAX;
        if (!use_hs) continue;
#ifdef RP_HAVE_HYPERSCAN
        unsigned hf = (p[i].flags & RP_RE_CASELESS) ? HS_FLAG_CASELESS : 0;
        hs_expr_info_t *info = NULL;
        hs_compile_error_t *cerr = NULL;
        if (hs_expression_info(p[i].regex, hf, &info, &cerr) != HS_SUCCESS) {
            hs_free_compile_error(cerr); /* not for Hyperscan: PCRE2 alone */
            continue;
        }
        bool take = info->min_width > 0 && !info->unordered_matches;
        s->p[i].max_width = info->max_width;
        /* no assertion may look outside the match for the start to follow from the end */
        s->p[i].fixed = info->min_width == info->max_width && !info->matches_at_eod &&
                        !info->matches_only_at_eod;
        free(info);
        if (!take) continue;
        exprs[s->nhs] = p[i].regex;
        flags[s->nhs] = hf;
        ids[s->nhs] = (unsigned)i;
        s->nhs++;
        s->p[i].in_hs = true;
#endif
    }
#ifdef RP_HAVE_HYPERSCAN
    if (!e && s->nhs) {
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_multi(exprs, flags, ids, (unsigned)s->nhs, HS_MODE_BLOCK, NULL, &s->db,
                             &cerr) != HS_SUCCESS) {
            /* one pattern the expression check passed still failed: run all under PCRE2 */
            hs_free_compile_error(cerr);
            s->db = NULL;
            for (size_t i = 0; i < n; i++) s->p[i].in_hs = false;
            s->nhs = 0;
        }
    }
#endif
    free(exprs);
    free(flags);
    free(ids);
    if (e) {
        rp_re_set_free(s);
        return e;
    }
    *out = s;
    return RP_OK;
}

void rp_re_set_free(struct rp_re_set *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) pcre2_code_free(s->p[i].code);
    hs_free_database(s->db);
    free(s->p);
    free(s);
}

size_t rp_re_set_hyperscan_count(const struct rp_re_set *s)
{
    return s ? s->nhs : 0;
}

unsigned rp_re_set_max_width(const struct rp_re_set *s, size_t i)
{
    return s && i < s->n ? s->p[i].max_width : UINT_MAX;
}

rp_err rp_re_scratch_new(const struct rp_re_set *s, struct rp_re_scratch **out)
{
    *out = NULL;
    struct rp_re_scratch *sc = calloc(1, sizeof(*sc));
    if (!sc) return RP_ENOMEM;
    sc->md = pcre2_match_data_create(1, NULL);
    sc->next = calloc(s->n ? s->n : 1, sizeof(*sc->next));
    bool no_hs_scratch = false;
#ifdef RP_HAVE_HYPERSCAN
    no_hs_scratch = s->db && hs_alloc_scratch(s->db, &sc->hs) != HS_SUCCESS;
#endif
    if (!sc->md || !sc->next || no_hs_scratch) {
        rp_re_scratch_free(sc);
        return RP_ENOMEM;
    }
    *out = sc;
    return RP_OK;
}

void rp_re_scratch_free(struct rp_re_scratch *sc)
{
    if (!sc) return;
    hs_free_scratch(sc->hs);
    pcre2_match_data_free(sc->md);
    free(sc->next);
    free(sc->hits);
    free(sc);
}

struct scan {
    const struct rp_re_set *s;
    struct rp_re_scratch *sc;
    const char *buf;
    size_t n;
    const unsigned char *enabled; /* NULL: every pattern */
    rp_err err;
};

static rp_err add_hit(struct rp_re_scratch *sc, unsigned p, size_t start, size_t end)
{
    if (sc->nhits == sc->cap) {
        size_t cap = sc->cap ? 2 * sc->cap : 256;
        struct hit *h = realloc(sc->hits, cap * sizeof(*h));
        if (!h) return RP_ENOMEM;
        sc->hits = h;
        sc->cap = cap;
    }
    sc->hits[sc->nhits++] = (struct hit){p, start, end};
    return RP_OK;
}

/* One PCRE2 search of pattern p from `from`: 1 with [*s, *e), 0 for no match, <0 error. */
static int search(const struct scan *x, unsigned p, size_t from, size_t *s, size_t *e)
{
    int rc = pcre2_match(x->s->p[p].code, (PCRE2_SPTR)x->buf, x->n, from, 0, x->sc->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) return rc;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->sc->md);
    *s = ov[0];
    *e = ov[1];
    return 1;
}

#ifdef RP_HAVE_HYPERSCAN
static int on_hs(unsigned int id, unsigned long long from, unsigned long long to,
                 unsigned int flags, void *ctx)
{
    (void)from;
    (void)flags;
    struct scan *x = ctx;
    if (x->enabled && !x->enabled[id]) return 0;
    size_t end = (size_t)to, *next = &x->sc->next[id];
    if (end <= *next) return 0; /* inside a match already reported */
    unsigned w = x->s->p[id].max_width;
    if (x->s->p[id].fixed) {
        /* a fixed width: the match is [end - w, end); PCRE2's search from *next would find
         * the first such match that starts at or after *next, which is this one */
        if (end < w || end - w < *next) return 0;
        if (add_hit(x->sc, id, end - w, end)) {
            x->err = RP_ENOMEM;
            return 1;
        }
        *next = end;
        return 0;
    }
    size_t start = *next;
    if (w != UINT_MAX && end >= w && end - w > start) start = end - w;
    size_t ms = 0, me = 0;
    int rc = search(x, id, start, &ms, &me);
    if (rc < 0) {
        x->err = rc == PCRE2_ERROR_NOMEMORY ? RP_ENOMEM : RP_ELIMIT;
        return 1;
    }
    if (rc == 0) { /* cannot happen when both engines agree; never loop on it */
        *next = end;
        return 0;
    }
    if (add_hit(x->sc, id, ms, me)) {
        x->err = RP_ENOMEM;
        return 1;
    }
    *next = me > ms ? me : me + 1;
    return 0;
}

#endif

static int cmp_hit(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->pattern != y->pattern) return x->pattern < y->pattern ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

rp_err rp_re_scan(const struct rp_re_set *s, struct rp_re_scratch *sc, const char *buf, size_t n,
                  rp_re_match_fn fn, void *ctx, struct rp_errbuf *eb)
{
    return rp_re_scan_ex(s, sc, buf, n, NULL, fn, ctx, eb);
}

rp_err rp_re_scan_ex(const struct rp_re_set *s, struct rp_re_scratch *sc, const char *buf, size_t n,
                     const unsigned char *enabled, rp_re_match_fn fn, void *ctx,
                     struct rp_errbuf *eb)
{
    struct scan x = {.s = s, .sc = sc, .buf = buf ? buf : "", .n = n, .enabled = enabled};
    sc->nhits = 0;
    memset(sc->next, 0, s->n * sizeof(*sc->next));
#ifdef RP_HAVE_HYPERSCAN
    if (s->db && n) {
        if (n > UINT_MAX) return rp_fail(eb, RP_ELIMIT, "re: buffer of %zu bytes too large", n);
        hs_error_t he = hs_scan(s->db, x.buf, (unsigned)n, 0, sc->hs, on_hs, &x);
        if (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)
            return rp_fail(eb, RP_EINTERNAL, "re: hyperscan error %d", (int)he);
    }
#endif
    for (size_t p = 0; p < s->n && !x.err; p++) {
        if (s->p[p].in_hs || (enabled && !enabled[p])) continue;
        size_t from = 0, ms = 0, me = 0;
        int rc = 0;
        while (from <= n && (rc = search(&x, (unsigned)p, from, &ms, &me)) == 1) {
            if (add_hit(sc, (unsigned)p, ms, me)) {
                x.err = RP_ENOMEM;
                break;
            }
            from = me > ms ? me : me + 1;
        }
        if (!x.err && rc < 0) x.err = rc == PCRE2_ERROR_NOMEMORY ? RP_ENOMEM : RP_ELIMIT;
    }
    if (x.err == RP_ENOMEM) return rp_fail(eb, RP_ENOMEM, "re: out of memory");
    if (x.err) return rp_fail(eb, x.err, "re: a pattern hit PCRE2's match limit");
    if (sc->nhits > 1) qsort(sc->hits, sc->nhits, sizeof(sc->hits[0]), cmp_hit);
    for (size_t i = 0; i < sc->nhits; i++)
        if (fn(ctx, sc->hits[i].pattern, sc->hits[i].start, sc->hits[i].end)) break;
    return RP_OK;
}
