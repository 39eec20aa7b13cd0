/* SPDX-License-Identifier: Apache-2.0 */
/* Threat-list lookup speed (src/detect/detect_ti.c): a GuardDuty-sized threat list of 250,000
 * random IPv4 prefixes (80% /32, 15% /24, 5% /16../23) in an rp_det_ti, looked up the way a
 * flow-log detector does (rp_det_ti_ip through a detection context: every list entry holding
 * the address, trusted lists first), against two baselines over the same prefixes: a sorted
 * array of merged disjoint intervals with binary search (membership only: it cannot say which
 * entries or lists matched) and a linear scan (what a naive implementation does). Then
 * 250,000 random domains and suffix lookups of 4-label names. Prints figures; asserts nothing
 * about time. usage: bench_detect_ti [LOOKUPS] (default 10,000,000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "detect/detect_ti_internal.h"

#define NPREFIX  250000
#define NDOMAINS 250000
#define NLINEAR  2000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct iv {
    uint32_t lo, hi;
};

static int iv_cmp(const void *a, const void *b)
{
    const struct iv *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo ? 1 : (x->hi < y->hi ? -1 : x->hi > y->hi);
}

static bool sorted_has(const struct iv *v, size_t n, uint32_t a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].lo <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && v[lo - 1].hi >= a;
}

static long rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    long lookups = argc > 1 ? strtol(argv[1], NULL, 10) : 10000000L;
    if (lookups <= 0) lookups = 10000000L;
    struct rp_det_ti *ti = NULL;
    struct iv *iv = malloc(NPREFIX * sizeof *iv);
    struct rp_cidr *pre = malloc(NPREFIX * sizeof *pre);
    uint32_t *probe = malloc((size_t)lookups * sizeof *probe);
    if (rp_det_ti_new(&ti) || !iv || !pre || !probe) return 1;
    long rss0 = rss_kib();
    double t0 = now_s();
    for (size_t i = 0; i < NPREFIX; i++) {
        uint32_t r = (uint32_t)next() % 100, len = r < 80 ? 32 : r < 95 ? 24 : 16 + r % 8;
        uint32_t a = (uint32_t)next(), mask = len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
        a &= mask;
        char txt[32];
        snprintf(txt, sizeof txt, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                 a & 255, len);
        struct rp_errbuf eb = {0};
        if (rp_det_ti_add(ti, RP_TI_THREAT, "bench", rp_str_from(txt), &eb)) {
            fprintf(stderr, "add: %s\n", eb.msg);
            return 1;
        }
        iv[i] = (struct iv){a, a | ~mask};
        struct rp_ip ip;
        rp_ip_from_v4(&ip, a);
        if (rp_cidr_from_ip(&ip, len, &pre[i], NULL)) return 1;
    }
    double t_load = now_s() - t0;
    long rss1 = rss_kib();
    qsort(iv, NPREFIX, sizeof *iv, iv_cmp);
    size_t nm = 0; /* merge into disjoint intervals */
    for (size_t i = 0; i < NPREFIX; i++) {
        if (nm && iv[i].lo <= iv[nm - 1].hi) {
            if (iv[i].hi > iv[nm - 1].hi) iv[nm - 1].hi = iv[i].hi;
        } else {
            iv[nm++] = iv[i];
        }
    }
    /* half the probes are random, half are inside a listed prefix */
    for (long i = 0; i < lookups; i++) {
        if (i % 2) {
            probe[i] = (uint32_t)next();
        } else {
            const struct iv *x = &iv[next() % nm];
            probe[i] = x->lo + (uint32_t)(next() % ((uint64_t)x->hi - x->lo + 1));
        }
    }
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    if (rp_det_ctx_new(NULL, NULL, ti, &dc, &eb)) {
        fprintf(stderr, "ctx: %s\n", eb.msg);
        return 1;
    }
    struct rp_det_ti_hit hits[8];
    size_t hit_ti = 0, hit_sorted = 0, hit_linear = 0;
    t0 = now_s();
    for (long i = 0; i < lookups; i++) {
        struct rp_ip ip;
        rp_ip_from_v4(&ip, probe[i]);
        hit_ti += rp_det_ti_ip(dc, &ip, hits, 8) > 0;
    }
    double t_ti = now_s() - t0;
    /* again: the parent links of every key hit are cached now (a long run's steady state) */
    size_t hit_ti2 = 0;
    t0 = now_s();
    for (long i = 0; i < lookups; i++) {
        struct rp_ip ip;
        rp_ip_from_v4(&ip, probe[i]);
        hit_ti2 += rp_det_ti_ip(dc, &ip, hits, 8) > 0;
    }
    double t_ti2 = now_s() - t0;
    /* random addresses only: mostly misses, as for the remote addresses of flow records */
    size_t hit_rand = 0;
    long nrand = 0;
    t0 = now_s();
    for (long i = 1; i < lookups; i += 2, nrand++) {
        struct rp_ip ip;
        rp_ip_from_v4(&ip, probe[i]);
        hit_rand += rp_det_ti_ip(dc, &ip, hits, 8) > 0;
    }
    double t_rand = now_s() - t0;
    /* the radix tree alone: the longest match only (all a miss of rp_det_ti_ip costs) */
    struct rp_cidr_set *set = rp_cidr_set_new();
    if (!set) return 1;
    for (size_t i = 0; i < NPREFIX; i++)
        if (rp_cidr_set_insert(set, &pre[i], 0)) return 1;
    size_t hit_set = 0;
    t0 = now_s();
    for (long i = 0; i < lookups; i++) {
        struct rp_ip ip;
        rp_ip_from_v4(&ip, probe[i]);
        hit_set += rp_cidr_set_lookup(set, &ip, NULL, NULL);
    }
    double t_set = now_s() - t0;
    rp_cidr_set_free(set);
    t0 = now_s();
    for (long i = 0; i < lookups; i++) hit_sorted += sorted_has(iv, nm, probe[i]);
    double t_sorted = now_s() - t0;
    t0 = now_s();
    long nlin = lookups < NLINEAR ? lookups : NLINEAR;
    for (long i = 0; i < nlin; i++) {
        bool any = false;
        for (size_t k = 0; k < nm && !any; k++) any = probe[i] >= iv[k].lo && probe[i] <= iv[k].hi;
        hit_linear += any;
    }
    double t_linear = now_s() - t0;
    printf("threat list: %d random IPv4 prefixes, loaded in %.3f s (%.0f entries/s), "
           "+%ld KiB peak RSS\n",
           NPREFIX, t_load, NPREFIX / t_load, rss1 - rss0);
    printf("  rp_det_ti_ip, first pass (all entries):%10.0f lookups/s  (%zu of %ld hit)\n",
           (double)lookups / t_ti, hit_ti, lookups);
    printf("  rp_det_ti_ip again (links cached):     %10.0f lookups/s  (%zu hit)\n",
           (double)lookups / t_ti2, hit_ti2);
    printf("  rp_det_ti_ip, random addresses only:   %10.0f lookups/s  (%zu of %ld hit)\n",
           (double)nrand / t_rand, hit_rand, nrand);
    printf("  rp_cidr_set_lookup alone (longest):    %10.0f lookups/s  (%zu hit)\n",
           (double)lookups / t_set, hit_set);
    printf(
        "  sorted intervals + binary search:      %10.0f lookups/s  (%zu hit; membership only)\n",
        (double)lookups / t_sorted, hit_sorted);
    printf("  linear scan:                           %10.0f lookups/s  (%ld lookups, %zu hit)\n",
           (double)nlin / t_linear, nlin, hit_linear);
    if (hit_ti != hit_sorted) printf("  MISMATCH: the set and the sorted array disagree\n");

    /* domains */
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
    if (rp_det_ti_new(&ti)) return 1;
    static const char *const tld[] = {"com", "net", "org", "xyz", "info", "top"};
    t0 = now_s();
    for (size_t i = 0; i < NDOMAINS; i++) {
        char d[64];
        snprintf(d, sizeof d, "d%08llx.%s", (unsigned long long)(next() & 0xffffffffu),
                 tld[next() % 6]);
        if (rp_det_ti_add(ti, RP_TI_C2, "bench", rp_str_from(d), &eb)) return 1;
    }
    t_load = now_s() - t0;
    if (rp_det_ctx_new(NULL, NULL, ti, &dc, &eb)) return 1;
    long nd = lookups / 4;
    char(*names)[64] = malloc((size_t)nd * sizeof *names);
    if (!names) return 1;
    for (long i = 0; i < nd; i++)
        snprintf(names[i], sizeof names[i], "www.cdn%u.d%08llx.%s", (unsigned)(next() % 100),
                 (unsigned long long)(next() & 0xffffffffu), tld[next() % 6]);
    size_t dh = 0;
    t0 = now_s();
    for (long i = 0; i < nd; i++) dh += rp_det_ti_domain(dc, rp_str_from(names[i]), hits, 8) > 0;
    double t_dom = now_s() - t0;
    printf("domains: %d random names loaded in %.3f s; rp_det_ti_domain on 4-label names: "
           "%.0f lookups/s (%zu of %ld hit)\n",
           NDOMAINS, t_load, (double)nd / t_dom, dh, nd);
    free(names);
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
    free(iv);
    free(pre);
    free(probe);
    return 0;
}
