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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define RP_RE_SSE2 1
#endif

#include "core/rp_buf.h"
#include "core/rp_hash.h"
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
    bool cached; /* the database came from the cache */
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

#ifdef RP_HAVE_HYPERSCAN
/* ---- the compiled-database cache ------------------------------------------------------------
 * Compiling a large set takes Hyperscan seconds; the database is kept in a file named by a
 * hash of everything that makes it (Hyperscan's version, this CPU's features, the patterns,
 * their flags and ids) and read back by the next process. A file that is missing, damaged or
 * of another platform is compiled again; nothing else depends on the cache. */

/* The cache directory: RAMPART_CACHE_DIR ("" turns the cache off), else
 * $XDG_CACHE_HOME/rampart, else $HOME/.cache/rampart. */
static bool cache_dir(char *out, size_t n)
{
    const char *d = getenv("RAMPART_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    int k;
    if (d)
        k = snprintf(out, n, "%s", d);
    else if (x && x[0] == '/')
        k = snprintf(out, n, "%s/rampart", x);
    else if (h && h[0] == '/')
        k = snprintf(out, n, "%s/.cache/rampart", h);
    else
        return false;
    return k > 0 && (size_t)k < n;
}

/* mkdir -p of dir, private to the user. */
static bool make_dirs(char *dir)
{
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        bool ok = mkdir(dir, 0700) == 0 || errno == EEXIST;
        *p = '/';
        if (!ok) return false;
    }
    return mkdir(dir, 0700) == 0 || errno == EEXIST;
}

static bool cache_path(const char **exprs, const unsigned *flags, const unsigned *ids, size_t n,
                       char *out, size_t outsz)
{
    char dir[3800];
    if (!cache_dir(dir, sizeof dir) || !dir[0]) return false;
    struct rp_hash_xxh3 *h = rp_hash_xxh3_new(0);
    if (!h) return false;
    const char *v = hs_version();
    rp_hash_xxh3_update(h, v, strlen(v) + 1);
    hs_platform_info_t plat;
    memset(&plat, 0, sizeof plat);
    if (hs_populate_platform(&plat) == HS_SUCCESS) rp_hash_xxh3_update(h, &plat, sizeof plat);
    for (size_t i = 0; i < n; i++) {
        rp_hash_xxh3_update(h, exprs[i], strlen(exprs[i]) + 1);
        rp_hash_xxh3_update(h, &flags[i], sizeof flags[i]);
        rp_hash_xxh3_update(h, &ids[i], sizeof ids[i]);
    }
    struct rp_hash128 d = rp_hash_xxh3_digest128(h);
    rp_hash_xxh3_free(h);
    int k = snprintf(out, outsz, "%s/re-%016llx%016llx.hsdb", dir, (unsigned long long)d.hi,
                     (unsigned long long)d.lo);
    return k > 0 && (size_t)k < outsz;
}

static bool cache_load(const char *path, hs_database_t **db)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    struct rp_buf b;
    rp_buf_init(&b, 256u << 20);
    char chunk[65536];
    size_t got;
    bool ok = true;
    while (ok && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = rp_buf_append(&b, chunk, got) == RP_OK;
    ok = ok && !ferror(f) && b.len;
    fclose(f);
    ok = ok && hs_deserialize_database(b.data, b.len, db) == HS_SUCCESS;
    if (!ok) *db = NULL;
    rp_buf_release(&b);
    if (ok) (void)utimensat(AT_FDCWD, path, NULL, 0); /* used now: the last to be pruned */
    return ok;
}

/* Keep the CACHE_KEEP most recently used databases of dir; remove the others. */
#define CACHE_KEEP 64
static void cache_prune(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct {
        char name[64];
        struct timespec t;
    } *e = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    char path[4200];
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l >= 64 || strncmp(de->d_name, "re-", 3) || l < 8 ||
            strcmp(de->d_name + l - 5, ".hsdb"))
            continue;
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st)) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 128;
            void *ne = realloc(e, cap * sizeof(*e));
            if (!ne) break;
            e = ne;
        }
        memcpy(e[n].name, de->d_name, l + 1);
        e[n++].t = st.st_mtim;
    }
    closedir(d);
    while (n > CACHE_KEEP) { /* remove the oldest, one at a time (n is small) */
        size_t old = 0;
        for (size_t i = 1; i < n; i++)
            if (e[i].t.tv_sec < e[old].t.tv_sec ||
                (e[i].t.tv_sec == e[old].t.tv_sec && e[i].t.tv_nsec < e[old].t.tv_nsec))
                old = i;
        snprintf(path, sizeof path, "%s/%s", dir, e[old].name);
        unlink(path);
        e[old] = e[--n];
    }
    free(e);
}

/* Written to a temporary file and renamed, so a reader never sees half a database. */
static void cache_store(const char *path, const hs_database_t *db)
{
    char *bytes = NULL, tmp[4200], dir[4096];
    size_t n = 0;
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) return;
    *slash = 0;
    if (!make_dirs(dir) || hs_serialize_database(db, &bytes, &n) != HS_SUCCESS) return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(bytes, 1, n, f) == n;
    if (f && fclose(f)) ok = false;
    if (!ok || rename(tmp, path)) unlink(tmp);
    free(bytes);
    cache_prune(dir);
}
#endif

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
    char cache[4096] = "";
    if (!e && s->nhs && cache_path(exprs, flags, ids, s->nhs, cache, sizeof cache))
        s->cached = cache_load(cache, &s->db);
    if (!e && s->nhs && !s->db) {
        hs_compile_error_t *cerr = NULL;
        if (hs_compile_multi(exprs, flags, ids, (unsigned)s->nhs, HS_MODE_BLOCK, NULL, &s->db,
                             &cerr) == HS_SUCCESS) {
            if (cache[0]) cache_store(cache, s->db);
        } else {
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

bool rp_re_set_cached(const struct rp_re_set *s)
{
    return s && s->cached;
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

/* rp_re_scan_ex: buffers this short, with this few patterns, are searched by PCRE2 alone */
#define SHORT_BUFFER   96
#define SHORT_PATTERNS 2

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

/* Hits come from Hyperscan in order of their end, so nearly in order of their start: an
 * insertion sort, which gives up for qsort when the hits are far from order. */
static void sort_hits(struct hit *h, size_t n)
{
    size_t moves = 0, budget = 8 * n + 64;
    for (size_t i = 1; i < n; i++) {
        if (cmp_hit(&h[i - 1], &h[i]) <= 0) continue;
        struct hit t = h[i];
        size_t j = i;
        while (j > 0 && cmp_hit(&h[j - 1], &t) > 0 && moves < budget) {
            h[j] = h[j - 1];
            j--;
            moves++;
        }
        h[j] = t;
        if (moves >= budget) {
            qsort(h, n, sizeof(*h), cmp_hit);
            return;
        }
    }
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
    /* a short buffer and few patterns: PCRE2 alone costs less than starting Hyperscan (the
     * results are PCRE2's either way) */
    bool pcre_only = n <= SHORT_BUFFER && s->n <= SHORT_PATTERNS;
#ifdef RP_HAVE_HYPERSCAN
    if (s->db && n && !pcre_only) {
        if (n > UINT_MAX) return rp_fail(eb, RP_ELIMIT, "re: buffer of %zu bytes too large", n);
        hs_error_t he = hs_scan(s->db, x.buf, (unsigned)n, 0, sc->hs, on_hs, &x);
        if (he != HS_SUCCESS && he != HS_SCAN_TERMINATED)
            return rp_fail(eb, RP_EINTERNAL, "re: hyperscan error %d", (int)he);
    }
#endif
    for (size_t p = 0; p < s->n && !x.err; p++) {
        if ((s->p[p].in_hs && !pcre_only) || (enabled && !enabled[p])) continue;
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
    if (sc->nhits > 1) sort_hits(sc->hits, sc->nhits);
    for (size_t i = 0; i < sc->nhits; i++)
        if (fn(ctx, sc->hits[i].pattern, sc->hits[i].start, sc->hits[i].end)) break;
    return RP_OK;
}

/* ---- byte-class runs ------------------------------------------------------------------------ */

static bool in_class(const struct rp_re_class *c, unsigned char b)
{
    for (unsigned k = 0; k < c->n; k++)
        if ((unsigned char)(b - c->lo[k]) <= (unsigned char)(c->hi[k] - c->lo[k])) return true;
    return false;
}

#ifdef RP_RE_SSE2
/* Bit i set when p[i] is a class byte, for the 64 bytes at p: a range is a byte compare
 * when it is one byte, else (p[i] - lo) <= (hi - lo) unsigned, as min(d, span) == d. */
static uint64_t mask_sse2(const struct rp_re_class *c, const unsigned char *p)
{
    uint64_t m = 0;
    for (unsigned q = 0; q < 4; q++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * q)),
                hit = _mm_setzero_si128();
        for (unsigned k = 0; k < c->n; k++) {
            __m128i lo = _mm_set1_epi8((char)c->lo[k]);
            if (c->lo[k] == c->hi[k]) {
                hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, lo));
                continue;
            }
            __m128i d = _mm_sub_epi8(x, lo),
                    span = _mm_set1_epi8((char)(unsigned char)(c->hi[k] - c->lo[k]));
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(d, span), d));
        }
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << (16 * q);
    }
    return m;
}

/* The same with 32 bytes a step, on a CPU that has AVX2. */
__attribute__((target("avx2"))) static uint64_t mask_avx2(const struct rp_re_class *c,
                                                          const unsigned char *p)
{
    uint64_t m = 0;
    for (unsigned q = 0; q < 2; q++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * q)),
                hit = _mm256_setzero_si256();
        for (unsigned k = 0; k < c->n; k++) {
            __m256i lo = _mm256_set1_epi8((char)c->lo[k]);
            if (c->lo[k] == c->hi[k]) {
                hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(x, lo));
                continue;
            }
            __m256i d = _mm256_sub_epi8(x, lo),
                    span = _mm256_set1_epi8((char)(unsigned char)(c->hi[k] - c->lo[k]));
            hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(_mm256_min_epu8(d, span), d));
        }
        m |= (uint64_t)(unsigned)_mm256_movemask_epi8(hit) << (32 * q);
    }
    return m;
}

/* With the class's nibble tables: 16 bytes a step (SSSE3), 32 (AVX2). */
__attribute__((target("ssse3"))) static uint64_t nib_ssse3(const struct rp_re_class *c,
                                                           const unsigned char *p)
{
    const __m128i tlo = _mm_loadu_si128((const __m128i *)(const void *)c->tlo),
                  thi = _mm_loadu_si128((const __m128i *)(const void *)c->thi),
                  low = _mm_set1_epi8(0x0f), zero = _mm_setzero_si128();
    uint64_t m = 0;
    for (unsigned q = 0; q < 4; q++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * q));
        __m128i t = _mm_and_si128(_mm_shuffle_epi8(tlo, _mm_and_si128(x, low)),
                                  _mm_shuffle_epi8(thi, _mm_and_si128(_mm_srli_epi16(x, 4), low)));
        m |= (uint64_t)(~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(t, zero)) & 0xffffu)
             << (16 * q);
    }
    return m;
}

__attribute__((target("avx2"))) static uint64_t nib_avx2(const struct rp_re_class *c,
                                                         const unsigned char *p)
{
    const __m256i tlo = _mm256_broadcastsi128_si256(
                      _mm_loadu_si128((const __m128i *)(const void *)c->tlo)),
                  thi = _mm256_broadcastsi128_si256(
                      _mm_loadu_si128((const __m128i *)(const void *)c->thi)),
                  low = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    __m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)p),
            x1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    __m256i t0 =
        _mm256_and_si256(_mm256_shuffle_epi8(tlo, _mm256_and_si256(x0, low)),
                         _mm256_shuffle_epi8(thi, _mm256_and_si256(_mm256_srli_epi16(x0, 4), low)));
    __m256i t1 =
        _mm256_and_si256(_mm256_shuffle_epi8(tlo, _mm256_and_si256(x1, low)),
                         _mm256_shuffle_epi8(thi, _mm256_and_si256(_mm256_srli_epi16(x1, 4), low)));
    uint32_t z0 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(t0, zero)),
             z1 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(t1, zero));
    return ~((uint64_t)z0 | (uint64_t)z1 << 32);
}

typedef uint64_t (*mask_fn)(const struct rp_re_class *c, const unsigned char *p);

/* 0: SSE2 only, 1: SSSE3, 2: AVX2 (RAMPART_NO_AVX2 set: at most SSSE3, for the tests). */
static int vector_level(void)
{
    static int level = -1; /* set once; every thread computes the same */
    int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (l < 0) {
        __builtin_cpu_init();
        l = __builtin_cpu_supports("avx2") && !getenv("RAMPART_NO_AVX2") ? 2
            : __builtin_cpu_supports("ssse3")                            ? 1
                                                                         : 0;
        __atomic_store_n(&level, l, __ATOMIC_RELAXED);
    }
    return l;
}

/* The loops for a prepared class on AVX2, its tables held in registers. NIB64: m = the class
 * bits of the 64 bytes at p. */
#define NIB64(m, p, tlo, thi)                                                                      \
    do {                                                                                           \
        const __m256i low_ = _mm256_set1_epi8(0x0f), zero_ = _mm256_setzero_si256();               \
        __m256i x0_ = _mm256_loadu_si256((const __m256i *)(const void *)(p)),                      \
                x1_ = _mm256_loadu_si256((const __m256i *)(const void *)((p) + 32));               \
        __m256i t0_ = _mm256_and_si256(                                                            \
            _mm256_shuffle_epi8(tlo, _mm256_and_si256(x0_, low_)),                                 \
            _mm256_shuffle_epi8(thi, _mm256_and_si256(_mm256_srli_epi16(x0_, 4), low_)));          \
        __m256i t1_ = _mm256_and_si256(                                                            \
            _mm256_shuffle_epi8(tlo, _mm256_and_si256(x1_, low_)),                                 \
            _mm256_shuffle_epi8(thi, _mm256_and_si256(_mm256_srli_epi16(x1_, 4), low_)));          \
        uint32_t z0_ = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(t0_, zero_)),              \
                 z1_ = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(t1_, zero_));              \
        (m) = ~((uint64_t)z0_ | (uint64_t)z1_ << 32);                                              \
    } while (0)

/* rp_re_class_run's block loop: the first block from i holding minlen class bytes in a row
 * (*x: where they start), else where the scalar tail goes on (*x = 0). */
__attribute__((target("avx2"))) static size_t run_blocks_avx2(const struct rp_re_class *c,
                                                              const unsigned char *b, size_t n,
                                                              size_t i, size_t minlen, uint64_t *x)
{
    const __m256i tlo = _mm256_broadcastsi128_si256(
                      _mm_loadu_si128((const __m128i *)(const void *)c->tlo)),
                  thi = _mm256_broadcastsi128_si256(
                      _mm_loadu_si128((const __m128i *)(const void *)c->thi));
    while (i + 64 <= n) {
        uint64_t m = 0, y;
        NIB64(m, b + i, tlo, thi);
        y = m;
        for (size_t have = 1; have < minlen;) {
            size_t sh = have < minlen - have ? have : minlen - have;
            y &= y >> sh;
            have += sh;
        }
        if (y) {
            *x = y;
            return i;
        }
        i += 64 - (size_t)__builtin_clzll(~m);
    }
    *x = 0;
    return i;
}

/* next_need's block loop, the classes taken in the given order; n when none is found before
 * the scalar tail, which then starts at *tail. */
__attribute__((target("avx2"))) static size_t need_blocks_avx2(const struct rp_re_class *need,
                                                               const size_t *order, size_t nneed,
                                                               const unsigned char *b, size_t n,
                                                               size_t i, size_t *tail)
{
    __m256i tlo[RP_RE_NEED_MAX], thi[RP_RE_NEED_MAX];
    for (size_t q = 0; q < nneed; q++) {
        tlo[q] = _mm256_broadcastsi128_si256(
            _mm_loadu_si128((const __m128i *)(const void *)need[order[q]].tlo));
        thi[q] = _mm256_broadcastsi128_si256(
            _mm_loadu_si128((const __m128i *)(const void *)need[order[q]].thi));
    }
    while (i + 64 <= n) {
        uint64_t x = ~0ull;
        for (size_t q = 0; q < nneed && x; q++) {
            uint64_t m = 0;
            NIB64(m, b + i, tlo[q], thi[q]);
            x &= m >> order[q];
        }
        if (x) return i + (size_t)__builtin_ctzll(x);
        i += 65 - nneed;
    }
    *tail = i;
    return n;
}

static mask_fn class_mask(const struct rp_re_class *c)
{
    int l = vector_level();
    if (!c->tables || l == 0) return l == 2 ? mask_avx2 : mask_sse2;
    return l == 2 ? nib_avx2 : nib_ssse3;
}
#endif

void rp_re_class_prepare(struct rp_re_class *c)
{
    uint16_t set[16] = {0}, groups[8] = {0};
    unsigned ng = 0;
    memset(c->tlo, 0, sizeof c->tlo);
    memset(c->thi, 0, sizeof c->thi);
    c->tables = false;
    for (unsigned b = 0; b < 256; b++)
        if (in_class(c, (unsigned char)b)) set[b >> 4] |= (uint16_t)(1u << (b & 15));
    for (unsigned h = 0; h < 16; h++) {
        if (!set[h]) continue;
        unsigned g = 0;
        while (g < ng && groups[g] != set[h]) g++;
        if (g == ng) {
            if (ng == 8) return; /* too many: range compares */
            groups[ng++] = set[h];
        }
        c->thi[h] = (unsigned char)(1u << g);
        for (unsigned l = 0; l < 16; l++)
            if (set[h] >> l & 1) c->tlo[l] |= (unsigned char)(1u << g);
    }
    c->tables = true;
}

bool rp_re_class_run(const struct rp_re_class *c, const char *buf, size_t n, size_t minlen,
                     size_t *pos, size_t *rs, size_t *re)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t i = *pos;
    if (!minlen) minlen = 1;
#ifdef RP_RE_SSE2
    /* 64 bytes at a time: the bits where a run of minlen class bytes starts; none: go on from
     * the start of the block's last run (shorter than minlen), so no run is cut in two */
    if (minlen <= 32 && c->tables && vector_level() == 2) {
        uint64_t x = 0;
        i = run_blocks_avx2(c, b, n, i, minlen, &x);
        if (x) {
            size_t s = i + (size_t)__builtin_ctzll(x), e = s + minlen;
            while (s > *pos && in_class(c, b[s - 1])) s--;
            while (e < n && in_class(c, b[e])) e++;
            *rs = s;
            *re = *pos = e;
            return true;
        }
    } else if (minlen <= 32 && c->n >= 1 && c->n <= RP_RE_CLASS_RANGES) {
        mask_fn mask = class_mask(c);
        while (i + 64 <= n) {
            uint64_t m = mask(c, b + i), x = m;
            for (size_t have = 1; have < minlen;) {
                size_t sh = have < minlen - have ? have : minlen - have;
                x &= x >> sh;
                have += sh;
            }
            if (x) {
                size_t s = i + (size_t)__builtin_ctzll(x), e = s + minlen;
                while (s > *pos && in_class(c, b[s - 1])) s--;
                while (e < n && in_class(c, b[e])) e++;
                *rs = s;
                *re = *pos = e;
                return true;
            }
            /* m's top run (all of it when m is all ones cannot be: x would be set) */
            size_t tail = (size_t)__builtin_clzll(~m);
            i += 64 - tail;
        }
    }
#endif
    while (i < n) {
        while (i < n && !in_class(c, b[i])) i++;
        size_t s = i;
        while (i < n && in_class(c, b[i])) i++;
        if (i - s >= minlen) {
            *rs = s;
            *re = *pos = i;
            return true;
        }
    }
    *pos = n;
    return false;
}

/* The first place p >= i with buf[p + j] in need[j] for every j < nneed, or n. */
static size_t next_need(const struct rp_re_class *need, size_t nneed, const unsigned char *b,
                        size_t n, size_t i)
{
#ifdef RP_RE_SSE2
    /* 64 bytes at a time; a sequence that starts in the block's last nneed - 1 bytes is
     * looked at again in the next block, which starts there */
    mask_fn mask[RP_RE_NEED_MAX];
    size_t order[RP_RE_NEED_MAX]; /* the classes of fewest bytes first: x is 0 soonest */
    unsigned size[RP_RE_NEED_MAX];
    for (size_t j = 0; j < nneed; j++) {
        mask[j] = class_mask(&need[j]);
        size[j] = 0;
        for (unsigned k = 0; k < need[j].n; k++) size[j] += need[j].hi[k] - need[j].lo[k] + 1u;
        size_t q = j;
        while (q > 0 && size[order[q - 1]] > size[j]) {
            order[q] = order[q - 1];
            q--;
        }
        order[q] = j;
    }
    bool tables = vector_level() == 2;
    for (size_t j = 0; j < nneed; j++) tables = tables && need[j].tables;
    if (tables) {
        size_t p = need_blocks_avx2(need, order, nneed, b, n, i, &i);
        if (p < n) return p;
    }
    while (i + 64 <= n) {
        uint64_t x = ~0ull;
        for (size_t q = 0; q < nneed && x; q++)
            x &= mask[order[q]](&need[order[q]], b + i) >> order[q];
        if (x) return i + (size_t)__builtin_ctzll(x);
        i += 65 - nneed;
    }
#endif
    for (; i + nneed <= n; i++) {
        size_t j = 0;
        while (j < nneed && in_class(&need[j], b[i + j])) j++;
        if (j == nneed) return i;
    }
    return n;
}

bool rp_re_class_run_need(const struct rp_re_class *c, size_t minlen,
                          const struct rp_re_class *need, size_t nneed, const char *buf, size_t n,
                          size_t *pos, size_t *rs, size_t *re)
{
    const unsigned char *b = (const unsigned char *)buf;
    bool ok = c->n >= 1 && c->n <= RP_RE_CLASS_RANGES && nneed >= 1 && nneed <= RP_RE_NEED_MAX;
    for (size_t j = 0; ok && j < nneed; j++) ok = need[j].n >= 1 && need[j].n <= RP_RE_CLASS_RANGES;
    if (!ok) return rp_re_class_run(c, buf, n, minlen, pos, rs, re);
    size_t i = *pos;
    while ((i = next_need(need, nneed, b, n, i)) < n) {
        size_t j = 0;
        while (j < nneed && in_class(c, b[i + j])) j++;
        if (j < nneed) { /* the sequence is not inside a run */
            i++;
            continue;
        }
        size_t s = i, e = i + nneed;
        while (s > *pos && in_class(c, b[s - 1])) s--;
        while (e < n && in_class(c, b[e])) e++;
        if (e - s >= (minlen ? minlen : 1)) {
            *rs = s;
            *re = *pos = e;
            return true;
        }
        i = e;
    }
    *pos = n;
    return false;
}
