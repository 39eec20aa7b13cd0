/* SPDX-License-Identifier: Apache-2.0 */
/* The byte-class run finder (core/rp_re.h, rp_re_class_run) that the prefilters of
 * dataid_set.c stand on (digit_run, run_bytes): its vector scan must find exactly the runs a
 * plain byte loop finds. Generated buffers (fixed seeds) of class and other bytes, with runs
 * of every length around minlen placed across the 16-, 32- and 64-byte block edges, at the
 * start and the end of the buffer and from odd start offsets; the runs that must also hold a
 * sequence of classes (run_needs); then the identifier files' run_bytes checks. All of it
 * twice: AVX2 (where the CPU has it) and SSE2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/rp_re.h"
#include "dataid/dataid.h"

static uint64_t g_rng;

static unsigned pick(unsigned n)
{
    g_rng = g_rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((g_rng >> 33) % n);
}

static bool ref_in(const struct rp_re_class *c, unsigned char b)
{
    for (unsigned k = 0; k < c->n; k++)
        if (b >= c->lo[k] && b <= c->hi[k]) return true;
    return false;
}

/* The reference: every maximal run of class bytes in buf[from..n) at least minlen long. */
static size_t ref_runs(const struct rp_re_class *c, const unsigned char *b, size_t from, size_t n,
                       size_t minlen, size_t *out)
{
    size_t k = 0, i = from;
    while (i < n) {
        if (!ref_in(c, b[i])) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < n && ref_in(c, b[i])) i++;
        if (i - s >= minlen) {
            out[k++] = s;
            out[k++] = i;
        }
    }
    return k;
}

static void check(const struct rp_re_class *c, const unsigned char *b, size_t from, size_t n,
                  size_t minlen, size_t *want, size_t *got)
{
    size_t nw = ref_runs(c, b, from, n, minlen, want), ng = 0, pos = from, rs = 0, re = 0;
    while (rp_re_class_run(c, (const char *)b, n, minlen, &pos, &rs, &re)) {
        assert_true(ng + 2 <= nw);
        got[ng++] = rs;
        got[ng++] = re;
        assert_int_equal(pos, re);
    }
    assert_int_equal(pos, n);
    assert_int_equal(ng, nw);
    for (size_t i = 0; i < nw; i++) assert_int_equal(got[i], want[i]);
}

static struct rp_re_class digits = {.lo = {'0', ' ', '-'}, .hi = {'9', ' ', '-'}, .n = 3};
static struct rp_re_class iban = {.lo = {'A', '0', ' '}, .hi = {'Z', '9', ' '}, .n = 3};
static struct rp_re_class high = {.lo = {0x80, 0x00}, .hi = {0xff, 0x00}, .n = 2}; /* range edges */
/* nine distinct sets of low nibbles, more than the tables take: range compares */
static struct rp_re_class odd = {
    .lo = {0x01, 0x12, 0x23, 0x34, 0x45, 0x89}, .hi = {0x01, 0x12, 0x23, 0x34, 0x67, 0xab}, .n = 6};
static struct rp_re_class digits_raw = {
    .lo = {'0', ' ', '-'}, .hi = {'9', ' ', '-'}, .n = 3}; /* unprepared */

static void fill(const struct rp_re_class *c, unsigned char *b, size_t n)
{
    /* stretches of class bytes of random lengths (many near 8-40) between other bytes */
    size_t i = 0;
    while (i < n) {
        size_t len = pick(4) ? pick(40) : pick(140);
        for (size_t k = 0; k < len && i < n; k++, i++) {
            unsigned r = pick(c->n);
            b[i] = (unsigned char)(c->lo[r] + pick((unsigned)(c->hi[r] - c->lo[r]) + 1));
        }
        for (size_t k = 1 + pick(3); k && i < n; k--, i++) {
            unsigned char x;
            do x = (unsigned char)pick(256);
            while (ref_in(c, x));
            b[i] = x;
        }
    }
}

static void test_random(void **state)
{
    (void)state;
    rp_re_class_prepare(&digits);
    rp_re_class_prepare(&iban);
    rp_re_class_prepare(&high);
    rp_re_class_prepare(&odd);
    assert_true(digits.tables && iban.tables && high.tables);
    assert_false(odd.tables);
    const struct rp_re_class *cls[] = {&digits, &iban, &high, &odd, &digits_raw};
    size_t cap = 4096;
    unsigned char *b = malloc(cap);
    size_t *want = malloc(cap * sizeof(size_t)), *got = malloc(cap * sizeof(size_t));
    assert_non_null(b);
    assert_non_null(want);
    assert_non_null(got);
    g_rng = 7;
    for (unsigned round = 0; round < 3000; round++) {
        const struct rp_re_class *c = cls[round % 5];
        size_t n = pick(round < 500 ? 200 : 4096);
        fill(c, b, n);
        size_t minlen = 1 + pick(40), from = pick(4) ? 0 : pick((unsigned)n + 1);
        check(c, b, from, n, minlen, want, got);
    }
    free(b);
    free(want);
    free(got);
}

/* rp_re_class_run_need against the reference runs that hold the sequence. */
static void test_need_random(void **state)
{
    (void)state;
    struct rp_re_class name = {
        .lo = {'A', 'a', ' ', '\'', '-'}, .hi = {'Z', 'z', ' ', '\'', '-'}, .n = 5};
    struct rp_re_class need[4] = {{.lo = {'a'}, .hi = {'z'}, .n = 1},
                                  {.lo = {' ', '\'', '-'}, .hi = {' ', '\'', '-'}, .n = 3},
                                  {.lo = {'A'}, .hi = {'Z'}, .n = 1},
                                  {.lo = {'a'}, .hi = {'z'}, .n = 1}};
    static const char alpha[] = "abcXYZ '-.,\n0";
    bool prepared = false;
    size_t cap = 3000;
    unsigned char *b = malloc(cap);
    size_t *want = malloc(cap * sizeof(size_t)), *all = malloc(cap * sizeof(size_t));
    assert_non_null(b);
    assert_non_null(want);
    assert_non_null(all);
    g_rng = 11;
    for (unsigned round = 0; round < 3000; round++) {
        if (round == 1500) { /* the first half by range compares, the second by tables */
            rp_re_class_prepare(&name);
            for (size_t j = 0; j < 4; j++) rp_re_class_prepare(&need[j]);
            prepared = true;
        }
        assert_int_equal(name.tables, prepared);
        size_t n = pick(round % 1500 < 500 ? 150 : 3000), nneed = 1 + pick(4),
               minlen = 1 + pick(12);
        size_t from = pick(5) ? 0 : pick((unsigned)n + 1);
        unsigned bias = pick(3); /* 0: mostly letters, long runs */
        for (size_t i = 0; i < n; i++)
            b[i] = (unsigned char)alpha[pick(bias ? sizeof alpha - 1 : 8)];
        size_t na = ref_runs(&name, b, from, n, minlen, all), nw = 0;
        for (size_t r = 0; r < na; r += 2)
            for (size_t p = all[r]; p + nneed <= all[r + 1]; p++) {
                size_t j = 0;
                while (j < nneed && ref_in(&need[j], b[p + j])) j++;
                if (j == nneed) {
                    want[nw++] = all[r];
                    want[nw++] = all[r + 1];
                    break;
                }
            }
        size_t pos = from, rs = 0, re = 0, k = 0;
        while (
            rp_re_class_run_need(&name, minlen, need, nneed, (const char *)b, n, &pos, &rs, &re)) {
            assert_true(k + 2 <= nw);
            assert_int_equal(rs, want[k]);
            assert_int_equal(re, want[k + 1]);
            k += 2;
        }
        assert_int_equal(k, nw);
        assert_int_equal(pos, n);
    }
    free(b);
    free(want);
    free(all);
}

/* One run of every length 1..70 at every offset 0..130 of an otherwise empty buffer, and
 * two runs around each block edge. */
static void test_edges(void **state)
{
    (void)state;
    unsigned char b[512];
    size_t want[512], got[512];
    rp_re_class_prepare(&digits);
    rp_re_class_prepare(&iban);
    for (size_t minlen = 1; minlen <= 34; minlen += 11)
        for (size_t len = 1; len <= 70; len++)
            for (size_t at = 0; at <= 130; at++) {
                for (size_t n = at + len; n <= at + len + 70; n += 35) {
                    memset(b, 'x', sizeof b);
                    memset(b + at, '7', len);
                    check(&digits, b, 0, n, minlen, want, got);
                }
            }
    for (size_t edge = 32; edge <= 256; edge += 16)
        for (size_t a = 1; a < 30; a++) {
            memset(b, 'a', sizeof b);
            memset(b + edge - a, 'Q', a);     /* ends at the edge */
            memset(b + edge + 1, '4', a + 3); /* starts one past it */
            check(&iban, b, 0, sizeof b, 12, want, got);
            check(&iban, b, 0, sizeof b, a, want, got);
        }
    /* all class bytes; none */
    memset(b, '5', sizeof b);
    check(&digits, b, 0, sizeof b, 12, want, got);
    check(&digits, b, 0, sizeof b, 256, want, got);
    memset(b, 'z', sizeof b);
    check(&digits, b, 0, sizeof b, 1, want, got);
    check(&digits, b, 0, 0, 1, want, got);
}

static rp_err on_match(const struct rp_dataid_match *m, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    static const size_t want[][2] = {{0, 7}, {19, 26}, {30, 37}};
    size_t *n = ctx;
    assert_true(*n < 3);
    assert_int_equal(m->start, want[*n][0]);
    assert_int_equal(m->end, want[*n][1]);
    (*n)++;
    return RP_OK;
}

/* run_bytes in identifier files: what is accepted and what is refused, with its message. */
static void test_run_bytes(void **state)
{
    (void)state;
    static const char ok[] = "id: RUNS\ncategory: CUSTOM_IDENTIFIER\nregex: '[A-Z]{3}[0-9]{4}'\n"
                             "run_bytes: \"A-Z0-9\"\nrun_length: 7\n";
    static const char bad_class[] = "id: RUNS\ncategory: CUSTOM_IDENTIFIER\nregex: 'x'\n"
                                    "run_bytes: \"abcdefg\"\nrun_length: 7\n";
    static const char bad_need[] = "id: RUNS\ncategory: CUSTOM_IDENTIFIER\nregex: 'x'\n"
                                   "run_bytes: \"a-z\"\nrun_length: 2\n"
                                   "run_needs: [a, b, c, d, e]\n";
    static const char no_len[] = "id: RUNS\ncategory: CUSTOM_IDENTIFIER\nregex: 'x'\n"
                                 "run_bytes: \"0-9\"\n";
    struct rp_dataid_set *s = NULL;
    struct rp_dataid_scratch *sc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "bad.yaml", bad_class, strlen(bad_class), &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg,
                        "dataid: bad.yaml: run_bytes: up to 6 bytes or ranges a-b: 'abcdefg'");
    assert_int_equal(rp_dataid_set_add_yaml(s, "need.yaml", bad_need, strlen(bad_need), &eb),
                     RP_EPARSE);
    assert_string_equal(
        eb.msg,
        "dataid: need.yaml: run_needs: up to 4 classes of up to 6 bytes or ranges a-b: 'e'");
    assert_int_equal(rp_dataid_set_add_yaml(s, "nolen.yaml", no_len, strlen(no_len), &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg,
                        "dataid: nolen.yaml: run_bytes needs run_length in 1..64: 'run_length'");
    assert_int_equal(rp_dataid_set_add_yaml(s, "ok.yaml", ok, strlen(ok), &eb), RP_OK);
    assert_int_equal(rp_dataid_set_compile(s, &eb), RP_OK);
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    /* runs: "ABC1234" (at the start), "XYZ9876" (in a run of 8), "QRS0001" (at the end); "AB123" is
     * too short */
    static const char text[] = "ABC1234 x AB123 yy XYZ98765 Q\nQRS0001";
    size_t nf = 0;
    assert_int_equal(rp_dataid_scan(s, sc, text, strlen(text), on_match, &nf, &eb), RP_OK);
    assert_int_equal(nf, 3);
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
}

/* Run twice: with the vector width the CPU offers (AVX2 where it has it), then again with
 * RAMPART_NO_AVX2 set (SSE2). */
int main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_need_random),
        cmocka_unit_test(test_run_bytes),
    };
    int rc = cmocka_run_group_tests_name("dataid_runs", tests, NULL, NULL);
    if (rc || getenv("RAMPART_NO_AVX2")) return rc;
    setenv("RAMPART_NO_AVX2", "1", 1);
    execv("/proc/self/exe", argv);
    return 1;
}
