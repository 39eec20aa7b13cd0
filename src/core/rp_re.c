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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
