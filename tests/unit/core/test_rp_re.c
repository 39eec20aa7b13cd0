/* SPDX-License-Identifier: Apache-2.0 */
/* Multi-pattern matching (src/core/rp_re.c): exact matches on hand-made cases (greedy runs
 * that Hyperscan reports at every end, overlapping candidates, case folding, word boundaries
 * at the window's edge, patterns Hyperscan refuses and that match empty), then a differential
 * check: many patterns over generated text give exactly what a plain PCRE2 global search gives
 * pattern by pattern. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <setjmp.h>
#include <stdarg.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <pcre2.h>

#include "core/rp_buf.h"
#include "core/rp_re.h"

static int collect(void *ctx, unsigned p, size_t s, size_t e)
{
    return rp_buf_printf(ctx, "%u:%zu-%zu ", p, s, e) != RP_OK;
}

static char *scan_all(const struct rp_re_pattern *p, size_t n, const char *text)
{
    struct rp_re_set *s = NULL;
    struct rp_re_scratch *sc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_re_set_new(p, n, &s, &eb), RP_OK);
    assert_int_equal(rp_re_scratch_new(s, &sc), RP_OK);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, ""), RP_OK);
    assert_int_equal(rp_re_scan(s, sc, text, strlen(text), collect, &b, &eb), RP_OK);
    char *out = strdup(b.data ? b.data : "");
    rp_buf_release(&b);
    rp_re_scratch_free(sc);
    rp_re_set_free(s);
    return out;
}

static void expect(const struct rp_re_pattern *p, size_t n, const char *text, const char *want)
{
    char *got = scan_all(p, n, text);
    assert_string_equal(got, want);
    free(got);
}

static void test_re_greedy_and_overlap(void **state)
{
    (void)state;
    struct rp_re_pattern p[] = {{"a+", 0}, {"ab", 0}, {"b[0-9]{2}", 0}};
    /* a+ ends at 1, 2, 3 for Hyperscan: one match [0,3) */
    expect(p, 3, "aaab12 ab99", "0:0-3 1:2-4 2:3-6 0:7-8 1:7-9 2:8-11 ");
}

/* Fixed-width patterns take their start from their end (no PCRE2 confirmation); overlapping
 * occurrences are left out as a global search leaves them. A mask turns patterns off, also
 * those only PCRE2 runs, and reports their widths. */
static void test_re_fixed_width_and_mask(void **state)
{
    (void)state;
    struct rp_re_pattern p[] = {{"[0-9]{3}", 0}, {"(?<=x)[a-z]{2}", 0}, {"abc|xyz", 0}};
    expect(p, 3, "12345 xab abcxyz", "0:0-3 1:7-9 2:10-13 2:13-16 1:14-16 ");
    struct rp_re_set *s = NULL;
    struct rp_re_scratch *sc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_re_set_new(p, 3, &s, &eb), RP_OK);
    assert_int_equal(rp_re_set_max_width(s, 0), 3);
    assert_int_equal(rp_re_set_max_width(s, 9), UINT_MAX);
    assert_int_equal(rp_re_scratch_new(s, &sc), RP_OK);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, ""), RP_OK);
    const unsigned char only_last[] = {0, 0, 1};
    const char *text = "12345 xab abcxyz";
    assert_int_equal(rp_re_scan_ex(s, sc, text, strlen(text), only_last, collect, &b, &eb), RP_OK);
    assert_string_equal(b.data, "2:10-13 2:13-16 ");
    rp_buf_reset(&b);
    assert_int_equal(rp_buf_append_str(&b, ""), RP_OK);
    const unsigned char pcre_only[] = {0, 1, 0};
    assert_int_equal(rp_re_scan_ex(s, sc, text, strlen(text), pcre_only, collect, &b, &eb), RP_OK);
    assert_string_equal(b.data, "1:7-9 1:14-16 ");
    rp_buf_release(&b);
    rp_re_scratch_free(sc);
    rp_re_set_free(s);
}

/* The compiled database is cached in RAMPART_CACHE_DIR: the second set of the same patterns
 * reads it, a damaged file is compiled again, an empty RAMPART_CACHE_DIR writes nothing; the
 * matches are the same every time. */
static void test_re_cache(void **state)
{
    (void)state;
    char dir[] = "/tmp/rp_re_cache_XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(setenv("RAMPART_CACHE_DIR", dir, 1), 0);
    struct rp_re_pattern p[] = {{"card[0-9]{4}", RP_RE_CASELESS}, {"x+y", 0}};
    const char *text = "CARD1234 xxy card99";
    bool hs = false;
    for (int round = 0; round < 3; round++) {
        struct rp_re_set *s = NULL;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_re_set_new(p, 2, &s, &eb), RP_OK);
        if (round == 0) hs = rp_re_set_hyperscan_count(s) > 0;
        /* round 0 compiles and writes, round 1 reads, round 2 finds the file damaged */
        assert_int_equal(rp_re_set_cached(s), hs && round == 1);
        rp_re_set_free(s);
        expect(p, 2, text, "0:0-8 1:9-12 ");
        if (round == 1 && hs) {
            /* damage every cache file */
            char cmd[256];
            snprintf(cmd, sizeof cmd, "for f in %s/re-*.hsdb; do printf garbage >\"$f\"; done",
                     dir);
            assert_int_equal(system(cmd), 0);
        }
    }
    char cmd[512];
    if (hs) {
        /* 70 older databases: writing one more keeps the 64 most recent, the new one among them */
        snprintf(cmd, sizeof cmd,
                 "cd %s && rm -f re-*.hsdb && for i in $(seq 10 79); do : >re-old$i.hsdb; "
                 "touch -d @$((1577836800 + i)) re-old$i.hsdb; done",
                 dir);
        assert_int_equal(system(cmd), 0);
        expect(p, 2, text, "0:0-8 1:9-12 ");
        snprintf(cmd, sizeof cmd,
                 "cd %s && test $(ls re-*.hsdb | wc -l) -eq 64 && test ! -e re-old16.hsdb && "
                 "test -e re-old17.hsdb && test $(ls re-*.hsdb | grep -vc old) -eq 1",
                 dir);
        assert_int_equal(system(cmd), 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    /* off: nothing is written */
    assert_int_equal(setenv("RAMPART_CACHE_DIR", "", 1), 0);
    expect(p, 2, text, "0:0-8 1:9-12 ");
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    assert_int_equal(unsetenv("RAMPART_CACHE_DIR"), 0);
}

static void test_re_caseless_and_boundaries(void **state)
{
    (void)state;
    struct rp_re_pattern p[] = {{"\\bkey[0-9]\\b", RP_RE_CASELESS}, {"[A-Z]{3}", 0}};
    expect(p, 2, "KEY1 xkey2 key3x Key4", "0:0-4 1:0-3 0:17-21 ");
}

static void test_re_pcre2_only_patterns(void **state)
{
    (void)state;
    /* lookbehind and backreference: Hyperscan refuses them; x* matches empty */
    struct rp_re_pattern p[] = {{"(?<![0-9])[0-9]{3}(?![0-9])", 0}, {"(a)\\1", 0}, {"x*", 0}};
    struct rp_re_set *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_re_set_new(p, 3, &s, &eb), RP_OK);
    assert_int_equal(rp_re_set_hyperscan_count(s), 0);
    rp_re_set_free(s);
    expect(p, 3, "123 1234 aa",
           "0:0-3 2:0-0 2:1-1 2:2-2 2:3-3 2:4-4 2:5-5 2:6-6 2:7-7 2:8-8 1:9-11 2:9-9 2:10-10 "
           "2:11-11 ");
}

static void test_re_bad_pattern(void **state)
{
    (void)state;
    struct rp_re_pattern p[] = {{"ok", 0}, {"(unclosed", 0}};
    struct rp_re_set *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_re_set_new(p, 2, &s, &eb), RP_EPARSE);
    assert_null(s);
    assert_string_equal(eb.msg, "re: pattern 1: missing closing parenthesis at offset 9");
}

/* The reference: pattern by pattern, PCRE2's global search. */
static void reference(const struct rp_re_pattern *p, size_t n, const char *text, size_t len,
                      struct rp_buf *out)
{
    struct {
        unsigned p;
        size_t s, e;
    } *v = NULL;
    size_t nv = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        int err;
        PCRE2_SIZE off;
        pcre2_code *c =
            pcre2_compile((PCRE2_SPTR)p[i].regex, PCRE2_ZERO_TERMINATED,
                          (p[i].flags & RP_RE_CASELESS) ? PCRE2_CASELESS : 0, &err, &off, NULL);
        assert_non_null(c);
        pcre2_match_data *md = pcre2_match_data_create(1, NULL);
        size_t from = 0;
        while (from <= len && pcre2_match(c, (PCRE2_SPTR)text, len, from, 0, md, NULL) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (nv == cap) {
                cap = cap ? 2 * cap : 64;
                v = realloc(v, cap * sizeof(*v));
                assert_non_null(v);
            }
            v[nv].p = (unsigned)i;
            v[nv].s = ov[0];
            v[nv].e = ov[1];
            nv++;
            from = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        }
        pcre2_match_data_free(md);
        pcre2_code_free(c);
    }
    /* order by start, pattern, end, as rp_re_scan reports */
    for (size_t i = 1; i < nv; i++)
        for (size_t j = i; j > 0; j--) {
            bool swap = v[j].s < v[j - 1].s || (v[j].s == v[j - 1].s && v[j].p < v[j - 1].p) ||
                        (v[j].s == v[j - 1].s && v[j].p == v[j - 1].p && v[j].e < v[j - 1].e);
            if (!swap) break;
            __typeof__(v[0]) t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (size_t i = 0; i < nv; i++)
        assert_int_equal(rp_buf_printf(out, "%u:%zu-%zu ", v[i].p, v[i].s, v[i].e), RP_OK);
    free(v);
}

static void test_re_same_as_pcre2(void **state)
{
    (void)state;
    static const struct rp_re_pattern p[] = {{"[0-9]{3}-[0-9]{2}-[0-9]{4}", 0},
                                             {"4[0-9]{3}(?:[ -]?[0-9]{4}){3}", 0},
                                             {"[a-z]+@[a-z]+\\.com", RP_RE_CASELESS},
                                             {"AKIA[0-9A-Z]{16}", 0},
                                             {"(?:ab|a)(?:bc|b)c?", 0},
                                             {"x{2,5}", 0},
                                             {"[0-9]+", 0},
                                             {"\\bzz[a-z]*\\b", 0},
                                             {"q(?=u)", 0},
                                             {"[^ ]{0,3}k", 0}};
    const size_t np = sizeof p / sizeof p[0];
    static const char alpha[] = "0123456789 -abcxzqukAKI@.com\n";
    uint64_t seed = 12345;
    char text[2048];
    for (int round = 0; round < 200; round++) {
        size_t len = (size_t)(seed % 2000);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            text[i] = alpha[(seed >> 33) % (sizeof alpha - 1)];
        }
        text[len] = 0;
        struct rp_buf want;
        rp_buf_init(&want, 0);
        assert_int_equal(rp_buf_append_str(&want, ""), RP_OK);
        reference(p, np, text, len, &want);
        char *got = scan_all(p, np, text);
        if (strcmp(got, want.data))
            fail_msg("round %d differs:\n got  %.300s\n want %.300s", round, got, want.data);
        free(got);
        rp_buf_release(&want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_re_greedy_and_overlap),
        cmocka_unit_test(test_re_caseless_and_boundaries),
        cmocka_unit_test(test_re_fixed_width_and_mask),
        cmocka_unit_test(test_re_cache),
        cmocka_unit_test(test_re_pcre2_only_patterns),
        cmocka_unit_test(test_re_bad_pattern),
        cmocka_unit_test(test_re_same_as_pcre2),
    };
    return cmocka_run_group_tests_name("rp_re", tests, NULL, NULL);
}
