/* SPDX-License-Identifier: Apache-2.0 */
/* The "agg" group of `rampart query` functions: Presto's aggregates that SQLite lacks
 * (approx_distinct, count_if, arbitrary, max_by, min_by, bool_and, bool_or,
 * approx_percentile, array_agg).
 *
 * approx_distinct counts exactly, with a set of 64-bit XXH3 hashes of each value's type and
 * bytes, up to EXACT_MAX distinct values; past that it moves the hashes into a HyperLogLog of
 * 2^14 one-byte registers and goes on estimating (standard error 1.04 / sqrt(2^14) = 0.81%),
 * so its memory stays under about 1 MiB whatever the input. approx_percentile is exact (it
 * keeps the values, at most PCT_MAX of them). Large states are allocated with sqlite3_malloc
 * so that SQLite's heap limit covers them. */
#define RP_LOG_MODULE "query"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_func.h"
#include "query/query_table.h"
#include "core/rp_hash.h"
#include "core/rp_banned.h"

#define EXACT_MAX 100000u   /* approx_distinct: distinct values counted exactly */
#define HLL_BITS  14        /* approx_distinct: 2^14 registers past EXACT_MAX */
#define PCT_MAX   10000000u /* approx_percentile: values kept */
#define PCT_LIST  64        /* approx_percentile: percentiles in one array argument */

/* ---- approx_distinct ------------------------------------------------------------------------ */

struct distinct {
    uint64_t *slots; /* open addressing; 0 = empty (the hash 0 is kept in has_zero) */
    size_t cap;      /* power of two */
    size_t count;    /* distinct hashes in slots, plus has_zero */
    bool has_zero;
    uint8_t *hll; /* 2^HLL_BITS registers once past EXACT_MAX, slots then freed */
};

/* The hash of a value's type and bytes; an integral REAL hashes as the INTEGER, so 1 and 1.0
 * are one value, as in SQL comparisons. */
static uint64_t value_hash(sqlite3_value *v)
{
    int t = sqlite3_value_type(v);
    if (t == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(int64_t)d) {
            t = SQLITE_INTEGER;
        } else {
            if (d == 0) d = 0; /* -0.0 */
            return rp_hash_xxh3_64(&d, sizeof d, SQLITE_FLOAT);
        }
    }
    if (t == SQLITE_INTEGER) {
        int64_t i = sqlite3_value_int64(v);
        uint8_t le[8];
        for (int k = 0; k < 8; k++) le[k] = (uint8_t)((uint64_t)i >> (8 * k));
        return rp_hash_xxh3_64(le, sizeof le, SQLITE_INTEGER);
    }
    const void *p = t == SQLITE_BLOB ? sqlite3_value_blob(v) : (const void *)sqlite3_value_text(v);
    return rp_hash_xxh3_64(p, (size_t)sqlite3_value_bytes(v), (uint64_t)t);
}

static void hll_add(uint8_t *reg, uint64_t h)
{
    size_t idx = (size_t)(h >> (64 - HLL_BITS));
    uint64_t rest = h << HLL_BITS;
    uint8_t rank = rest ? (uint8_t)(__builtin_clzll(rest) + 1) : (uint8_t)(64 - HLL_BITS + 1);
    if (rank > reg[idx]) reg[idx] = rank;
}

static int64_t hll_estimate(const uint8_t *reg)
{
    const double m = (double)(1u << HLL_BITS);
    double sum = 0;
    size_t zeros = 0;
    for (size_t i = 0; i < (1u << HLL_BITS); i++) {
        sum += ldexp(1.0, -reg[i]);
        if (reg[i] == 0) zeros++;
    }
    double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    if (e <= 2.5 * m && zeros > 0) e = m * log(m / (double)zeros); /* linear counting */
    return (int64_t)llround(e);
}

/* Insert h into the table (no growth). */
static void set_put(struct distinct *d, uint64_t h)
{
    size_t i = (size_t)h & (d->cap - 1);
    while (d->slots[i]) {
        if (d->slots[i] == h) return;
        i = (i + 1) & (d->cap - 1);
    }
    d->slots[i] = h;
    d->count++;
}

static bool set_has(const struct distinct *d, uint64_t h)
{
    size_t i = (size_t)h & (d->cap - 1);
    while (d->slots[i]) {
        if (d->slots[i] == h) return true;
        i = (i + 1) & (d->cap - 1);
    }
    return false;
}

/* Add h; RP_ENOMEM on allocation failure. */
static rp_err distinct_add(struct distinct *d, uint64_t h)
{
    if (d->hll) {
        hll_add(d->hll, h);
        return RP_OK;
    }
    if (h == 0) {
        if (!d->has_zero) d->count++;
        d->has_zero = true;
        return RP_OK;
    }
    if (d->slots && set_has(d, h)) return RP_OK;
    if (d->count + 1 > EXACT_MAX) { /* switch to the sketch, feeding it every hash so far */
        uint8_t *reg = sqlite3_malloc64(1u << HLL_BITS);
        if (!reg) return RP_ENOMEM;
        memset(reg, 0, 1u << HLL_BITS);
        for (size_t i = 0; i < d->cap; i++)
            if (d->slots[i]) hll_add(reg, d->slots[i]);
        if (d->has_zero) hll_add(reg, 0);
        hll_add(reg, h);
        sqlite3_free(d->slots);
        d->slots = NULL;
        d->hll = reg;
        return RP_OK;
    }
    if (!d->slots || (d->count + 1) * 4 > d->cap * 3) {
        size_t ncap = d->cap ? d->cap * 2 : 1024;
        if (ncap > (1u << 17)) ncap = 1u << 17; /* holds EXACT_MAX at a 0.76 load */
        if (ncap != d->cap) {
            struct distinct nd = {sqlite3_malloc64(ncap * sizeof(uint64_t)), ncap, 0, false, NULL};
            if (!nd.slots) return RP_ENOMEM;
            memset(nd.slots, 0, ncap * sizeof(uint64_t));
            for (size_t i = 0; i < d->cap; i++)
                if (d->slots[i]) set_put(&nd, d->slots[i]);
            sqlite3_free(d->slots);
            d->slots = nd.slots;
            d->cap = ncap;
        }
    }
    set_put(d, h);
    return RP_OK;
}

static void approx_distinct_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    struct distinct *d = sqlite3_aggregate_context(ctx, sizeof *d);
    if (!d || distinct_add(d, value_hash(argv[0])) != RP_OK) sqlite3_result_error_nomem(ctx);
}

static void approx_distinct_final(sqlite3_context *ctx)
{
    struct distinct *d = sqlite3_aggregate_context(ctx, 0);
    if (!d) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    sqlite3_result_int64(ctx, d->hll ? hll_estimate(d->hll) : (int64_t)d->count);
    sqlite3_free(d->slots);
    sqlite3_free(d->hll);
}

/* ---- count_if, bool_and, bool_or ------------------------------------------------------------ */

/* Truth of v: -1 NULL, else 0 or 1. Text 'true'/'false' (any case), as rp_field returns
 * booleans, counts as a boolean; other values as SQLite would test them in WHERE. */
static int truth(sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
        return -1;
    case SQLITE_INTEGER:
        return sqlite3_value_int64(v) != 0;
    case SQLITE_TEXT: {
        const char *s = (const char *)sqlite3_value_text(v);
        size_t n = (size_t)sqlite3_value_bytes(v);
        if (s && rp_qf_eq_nocase(s, n, "true")) return 1;
        if (s && rp_qf_eq_nocase(s, n, "false")) return 0;
        return sqlite3_value_double(v) != 0.0;
    }
    default:
        return sqlite3_value_double(v) != 0.0;
    }
}

static void count_if_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int64_t *n = sqlite3_aggregate_context(ctx, sizeof *n);
    if (!n) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (truth(argv[0]) == 1) (*n)++;
}

static void count_if_final(sqlite3_context *ctx)
{
    int64_t *n = sqlite3_aggregate_context(ctx, 0);
    sqlite3_result_int64(ctx, n ? *n : 0);
}

struct boolagg {
    bool seen;
    bool val;
};

static void bool_step(sqlite3_context *ctx, sqlite3_value *v, bool is_and)
{
    struct boolagg *b = sqlite3_aggregate_context(ctx, sizeof *b);
    if (!b) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    int t = truth(v);
    if (t < 0) return;
    if (!b->seen) {
        b->seen = true;
        b->val = t;
    } else {
        b->val = is_and ? (b->val && t) : (b->val || t);
    }
}

static void bool_and_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool_step(ctx, argv[0], true);
}

static void bool_or_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    bool_step(ctx, argv[0], false);
}

static void bool_final(sqlite3_context *ctx)
{
    struct boolagg *b = sqlite3_aggregate_context(ctx, 0);
    if (b && b->seen) sqlite3_result_int(ctx, b->val);
}

/* ---- arbitrary, max_by, min_by -------------------------------------------------------------- */

struct keep {
    sqlite3_value *x; /* a copy, or NULL */
    sqlite3_value *y; /* the key of max_by / min_by */
    bool seen;
};

static void arbitrary_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    struct keep *k = sqlite3_aggregate_context(ctx, sizeof *k);
    if (!k) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (k->seen) return;
    if (!(k->x = sqlite3_value_dup(argv[0]))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    k->seen = true;
}

static void keep_final(sqlite3_context *ctx)
{
    struct keep *k = sqlite3_aggregate_context(ctx, 0);
    if (!k) return;
    if (k->x) sqlite3_result_value(ctx, k->x);
    sqlite3_value_free(k->x);
    sqlite3_value_free(k->y);
}

static int type_rank(int t)
{
    return t == SQLITE_NULL                           ? 0
           : t == SQLITE_INTEGER || t == SQLITE_FLOAT ? 1
           : t == SQLITE_TEXT                         ? 2
                                                      : 3;
}

/* SQLite's ordering of two values (BINARY collation): NULL < numbers < text < blobs. */
static int value_cmp(sqlite3_value *a, sqlite3_value *b)
{
    int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
    int ra = type_rank(ta), rb = type_rank(tb);
    if (ra != rb) return ra - rb;
    if (ra == 0) return 0;
    if (ra == 1) {
        if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
            int64_t x = sqlite3_value_int64(a), y = sqlite3_value_int64(b);
            return (x > y) - (x < y);
        }
        double x = sqlite3_value_double(a), y = sqlite3_value_double(b);
        return (x > y) - (x < y);
    }
    const void *pa = ra == 2 ? (const void *)sqlite3_value_text(a) : sqlite3_value_blob(a);
    const void *pb = ra == 2 ? (const void *)sqlite3_value_text(b) : sqlite3_value_blob(b);
    size_t la = (size_t)sqlite3_value_bytes(a), lb = (size_t)sqlite3_value_bytes(b);
    size_t m = la < lb ? la : lb;
    int c = m ? memcmp(pa, pb, m) : 0;
    return c ? c : (la > lb) - (la < lb);
}

static void by_step(sqlite3_context *ctx, sqlite3_value **argv, int sign)
{
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
    struct keep *k = sqlite3_aggregate_context(ctx, sizeof *k);
    if (!k) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (k->seen && sign * value_cmp(argv[1], k->y) <= 0) return; /* ties keep the first */
    sqlite3_value *x = sqlite3_value_dup(argv[0]), *y = sqlite3_value_dup(argv[1]);
    if (!x || !y) {
        sqlite3_value_free(x);
        sqlite3_value_free(y);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_value_free(k->x);
    sqlite3_value_free(k->y);
    k->x = x;
    k->y = y;
    k->seen = true;
}

static void max_by_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    by_step(ctx, argv, 1);
}

static void min_by_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    by_step(ctx, argv, -1);
}

/* ---- approx_percentile ---------------------------------------------------------------------- */

struct pct {
    int64_t *ints; /* while every value is an integer */
    double *reals; /* once a REAL arrived (ints converted) */
    size_t n, cap;
    double p[PCT_LIST];
    size_t np;
    bool list; /* p was given as a JSON array */
    bool have_p;
    bool failed; /* an error was reported; ignore further rows */
};

/* Read the percentile argument: a number in [0, 1] or a JSON array of them. */
static bool pct_arg(sqlite3_context *ctx, struct pct *s, sqlite3_value *v)
{
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        s->p[0] = sqlite3_value_double(v);
        s->np = 1;
    } else if (t == SQLITE_TEXT) {
        const char *txt = (const char *)sqlite3_value_text(v);
        size_t n = (size_t)sqlite3_value_bytes(v), i = 0;
        while (i < n && txt[i] == ' ') i++;
        if (i >= n || txt[i] != '[') goto bad;
        i++;
        s->list = true;
        for (;;) {
            while (i < n && txt[i] == ' ') i++;
            if (i < n && txt[i] == ']' && s->np == 0) break;
            char *end = NULL;
            char num[64];
            size_t k = 0;
            while (i < n && k + 1 < sizeof num && txt[i] != ',' && txt[i] != ']' && txt[i] != ' ')
                num[k++] = txt[i++];
            num[k] = '\0';
            double d = strtod(num, &end);
            if (k == 0 || *end != '\0' || s->np >= PCT_LIST) goto bad;
            s->p[s->np++] = d;
            while (i < n && txt[i] == ' ') i++;
            if (i < n && txt[i] == ',') {
                i++;
                continue;
            }
            if (i < n && txt[i] == ']') break;
            goto bad;
        }
    } else {
        goto bad;
    }
    for (size_t k = 0; k < s->np; k++)
        if (!(s->p[k] >= 0 && s->p[k] <= 1)) goto bad;
    s->have_p = true;
    return true;
bad:
    rp_qf_error(ctx, "approx_percentile: percentile must be between 0 and 1, or an array of such");
    s->failed = true;
    return false;
}

static void approx_percentile_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pct *s = sqlite3_aggregate_context(ctx, sizeof *s);
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (s->failed) return;
    if (!s->have_p && !pct_arg(ctx, s, argv[1])) return;
    int t = sqlite3_value_numeric_type(argv[0]);
    if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return; /* NULL and non-numbers are skipped */
    if (s->n >= PCT_MAX) {
        rp_qf_error(ctx, "approx_percentile: more than %u values", PCT_MAX);
        s->failed = true;
        return;
    }
    if (t == SQLITE_FLOAT && !s->reals) { /* from now on every value is a REAL */
        double *r = sqlite3_malloc64((s->cap ? s->cap : 16) * sizeof *r);
        if (!r) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        for (size_t i = 0; i < s->n; i++) r[i] = (double)s->ints[i];
        sqlite3_free(s->ints);
        s->ints = NULL;
        s->reals = r;
        if (!s->cap) s->cap = 16;
    }
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        void *p = s->reals ? sqlite3_realloc64(s->reals, ncap * sizeof(double))
                           : sqlite3_realloc64(s->ints, ncap * sizeof(int64_t));
        if (!p) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        if (s->reals)
            s->reals = p;
        else
            s->ints = p;
        s->cap = ncap;
    }
    if (s->reals)
        s->reals[s->n++] = sqlite3_value_double(argv[0]);
    else
        s->ints[s->n++] = sqlite3_value_int64(argv[0]);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least p * n values at or below it. */
static size_t rank_of(double p, size_t n)
{
    double r = ceil(p * (double)n);
    return r < 1 ? 0 : (size_t)r - 1;
}

static void approx_percentile_final(sqlite3_context *ctx)
{
    struct pct *s = sqlite3_aggregate_context(ctx, 0);
    if (!s) return;
    if (!s->failed && s->n > 0) {
        if (s->reals)
            qsort(s->reals, s->n, sizeof *s->reals, cmp_double);
        else
            qsort(s->ints, s->n, sizeof *s->ints, cmp_i64);
        if (!s->list) {
            size_t r = rank_of(s->p[0], s->n);
            if (s->reals)
                sqlite3_result_double(ctx, s->reals[r]);
            else
                sqlite3_result_int64(ctx, s->ints[r]);
        } else {
            struct rp_buf b;
            struct rp_json_writer w;
            rp_buf_init(&b, 0);
            rp_json_writer_init(&w, &b);
            rp_json_write_arr_begin(&w);
            for (size_t k = 0; k < s->np; k++) {
                size_t r = rank_of(s->p[k], s->n);
                if (s->reals)
                    rp_json_write_double(&w, s->reals[r]);
                else
                    rp_json_write_int(&w, s->ints[r]);
            }
            rp_json_write_arr_end(&w);
            rp_err e = rp_json_writer_finish(&w);
            if (e) {
                rp_buf_release(&b);
                rp_qf_result_err(ctx, e);
            } else {
                rp_qf_result_buf(ctx, &b, true);
            }
        }
    }
    sqlite3_free(s->ints);
    sqlite3_free(s->reals);
}

/* ---- array_agg ------------------------------------------------------------------------------ */

struct arr {
    struct rp_buf *buf; /* "[v1,v2,.." so far; NULL before the first row */
    struct rp_json_writer w;
    bool failed;
};

static void array_agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct arr *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (a->failed) return;
    if (!a->buf) {
        if (!(a->buf = malloc(sizeof *a->buf))) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        rp_buf_init(a->buf,
                    (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
        rp_json_writer_init(&a->w, a->buf);
        rp_json_write_arr_begin(&a->w);
    }
    rp_qf_write_value(&a->w, argv[0]);
    if (a->w.err) {
        rp_qf_result_err(ctx, a->w.err);
        a->failed = true;
    }
}

static void array_agg_final(sqlite3_context *ctx)
{
    struct arr *a = sqlite3_aggregate_context(ctx, 0);
    if (!a || !a->buf) return; /* no rows: NULL, as Presto */
    if (!a->failed) {
        rp_json_write_arr_end(&a->w);
        rp_err e = rp_json_writer_finish(&a->w);
        if (e)
            rp_qf_result_err(ctx, e);
        else
            rp_qf_result_buf(ctx, a->buf, true);
    }
    rp_buf_release(a->buf);
    free(a->buf);
}

static const struct rp_qf_def defs[] = {
    {"approx_distinct", 1, RP_QF_DET, NULL, approx_distinct_step, approx_distinct_final},
    {"approx_percentile", 2, RP_QF_DET | RP_QF_JSONOUT, NULL, approx_percentile_step,
     approx_percentile_final},
    {"arbitrary", 1, RP_QF_DET, NULL, arbitrary_step, keep_final},
    {"array_agg", 1, RP_QF_DET | RP_QF_SUBTYPE | RP_QF_JSONOUT, NULL, array_agg_step,
     array_agg_final},
    {"bool_and", 1, RP_QF_DET, NULL, bool_and_step, bool_final},
    {"bool_or", 1, RP_QF_DET, NULL, bool_or_step, bool_final},
    {"count_if", 1, RP_QF_DET, NULL, count_if_step, count_if_final},
    {"max_by", 2, RP_QF_DET, NULL, max_by_step, keep_final},
    {"min_by", 2, RP_QF_DET, NULL, min_by_step, keep_final},
};

static int register_agg(sqlite3 *db)
{
    return rp_qf_register(db, defs, RP_ARRAY_LEN(defs), NULL);
}

const struct rp_query_funcs rp_query_funcs_agg = {
    .name = "agg",
    .summary = "Presto aggregates (approx_distinct, count_if, max_by, approx_percentile, "
               "array_agg, ..)",
    .register_fn = register_agg,
};
