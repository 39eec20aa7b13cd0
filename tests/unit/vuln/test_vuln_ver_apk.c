/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/vuln_ver_apk.c: Alpine version ordering (numbers, letter, pre- and
 * post-release suffixes, ~hash, -rN), one test per rule, each pair checked both ways, plus
 * the grammar as valid() applies it and the registry lookups. All cases are written here; the
 * upstream vectors are for the hand-run checker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

#define VULN_TEST_SCHEME "apk"
#include "vuln_test_pairs.h"

static void test_apk_numbers_separated_by_dots(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.2", "1.10", -1},
        {"1.2", "1.2.0", -1}, /* one more number is newer */
        {"1.2.3", "1.2", 1},
        {"10", "9", 1},
        {"1.2.3", "1.2.3", 0},
        {"006", "1.0.0", 1}, /* the first number always compares as a number */
        {"01", "1", 0},
        {"2.34", "0.1.0_alpha", 1},
        {"1.99999999999999999999", "1.99999999999999999998", 1}, /* no size limit */
    };
    CHECK_PAIRS(p);
}

static void test_apk_leading_zero_compares_as_string(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.02", "1.1", -1},      /* after a dot, a leading zero means a string compare */
        {"1.01", "1.1", -1},      /* numerically these would be equal */
        {"1.05", "1.1", -1},      /* and this one newer */
        {"8.2.0", "8.2.001", -1}, /* a prefix is older */
        {"8.2.0015", "8.2.002", -1}, {"1.00", "1.0", 1},
        {"1.10", "1.9", 1}, /* without leading zeros: numbers */
    };
    CHECK_PAIRS(p);
}

static void test_apk_letter_after_the_numbers(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.2a", "1.2", 1}, /* a letter is newer than none */
        {"1.2a", "1.2b", -1},
        {"1.2z", "1.2.0", -1}, /* a further number beats a letter */
        {"1.2a", "1.2_p1", 1}, /* and a letter beats a suffix */
        {"2.3.0b-r1", "2.3.0b-r2", -1},
    };
    CHECK_PAIRS(p);
}

static void test_apk_suffixes_pre_before_none_before_post(void **state)
{
    (void)state;
    /* alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p */
    static const char *const order[] = {"1.0_alpha", "1.0_beta", "1.0_pre", "1.0_rc", "1.0",
                                        "1.0_cvs",   "1.0_svn",  "1.0_git", "1.0_hg", "1.0_p"};
    for (size_t i = 0; i + 1 < sizeof order / sizeof order[0]; i++) {
        for (size_t j = i + 1; j < sizeof order / sizeof order[0]; j++) {
            if (cmp(order[i], order[j]) != -1 || cmp(order[j], order[i]) != 1)
                fail_msg("'%s' is not older than '%s'", order[i], order[j]);
        }
    }
    static const struct pair p[] = {
        {"1.0_rc1", "1.0", -1},
        {"1.0_p1", "1.0", 1},
        {"1.0_p1", "1.0.1", -1}, /* a post-release is still older than the next number */
        {"1.0_rc1", "0.9", 1},
    };
    CHECK_PAIRS(p);
}

static void test_apk_suffix_numbers(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0_alpha1", "1.0_alpha2", -1},
        {"1.0_alpha10", "1.0_alpha9", 1}, /* as numbers */
        {"1.0_alpha", "1.0_alpha1", -1},  /* a number is newer than none */
        {"1.0_alpha0", "1.0_alpha", 1},
        {"1.0_p10-r0", "1.0_p9-r0", 1},
        {"1.0.0_pre20191002222144-r0", "1.0.0_pre20210530193627-r0", -1},
        {"1.0_alpha01", "1.0_alpha1", 0},
    };
    CHECK_PAIRS(p);
}

static void test_apk_several_suffixes(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"0.1.0_alpha_pre2", "0.1.0_alpha", -1}, /* going on with a pre-release is older */
        {"1.0_p1_pre2", "1.0_p1", -1},
        {"1.0_p1_pre2", "1.0_p0", 1},
        {"1.0_alpha1_p1", "1.0_alpha1", 1}, /* going on with a post-release is newer */
        {"1.0_git20240101_pre1", "1.0_git20240101", -1},
    };
    CHECK_PAIRS(p);
}

static void test_apk_revision(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0-r1", "1.0", 1},         {"1.0-r0", "1.0", 1}, /* even -r0 is newer than no revision */
        {"1.0-r10", "1.0-r9", 1},     {"1.0-r01", "1.0-r1", 0},
        {"1.0_rc1-r5", "1.0-r0", -1}, /* the version decides before the revision */
        {"1.0.1-r0", "1.0-r9", 1},    {"1.0a-r0", "1.0-r9", 1},
    };
    CHECK_PAIRS(p);
}

static void test_apk_commit_hash(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0~1234", "1.0~2345", -1}, /* hashes compare as strings */
        {"1.0~1234-r1", "1.0~2345-r0", -1},
        {"1.0~1234-r1", "1.0~1234-r0", 1},
        {"1.0~abc", "1.0", 1},     /* having a hash is newer than ending */
        {"1.0~abc", "1.0-r5", 1},  /* or than going on with the revision */
        {"1.0~abc", "1.0_p1", -1}, /* a suffix comes before the hash */
        {"1.0~abc", "1.0~abd", -1},
        {"1.0~abc", "1.0~ab", 1},
    };
    CHECK_PAIRS(p);
}

static void test_apk_invalid_versions_keep_an_order(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0", "1.0bc", -1},        /* "1.0b" then an invalid "c": the letter makes it newer */
        {"1.0bc", "1.0bd", -1},      /* two invalid rests compare bytewise */
        {"1.0_foo", "1.0", -1},      /* an invalid rest sorts below the end */
        {"1.0_foo", "1.0_alpha", 1}, /* but above a pre-release */
        {"23_foo", "4_beta", 1},     /* the numbers before decide first */
        {"abc", "0", -1},            /* not starting with a number: below every version */
        {"", "", 0},
        {"", "a", -1},
        {"1.0 ", "1.0", -1},
    };
    CHECK_PAIRS(p);
    /* slices need no NUL: only len bytes count */
    assert_int_equal(vs()->cmp((struct rp_str){"1.0-r1", 3}, rp_str_from("1.0")), 0);
    /* the empty slice of rp_str_from(NULL) is the empty string */
    assert_int_equal(vs()->cmp(rp_str_from(NULL), rp_str_from("")), 0);
    assert_int_equal(vs()->cmp(rp_str_from(NULL), rp_str_from("1.0")), -1);
    assert_false(vs()->valid(rp_str_from(NULL)));
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_apk_sorts_a_list(void **state)
{
    (void)state;
    const char *v[] = {"1.0-r1", "1.0_rc1-r0", "1.0a-r0",      "1.0.1-r0", "1.0_p1-r0",
                       "1.0-r0", "0.9-r9",     "1.0_alpha-r0", "1.0~ab-r0"};
    const char *want[] = {"0.9-r9",    "1.0_alpha-r0", "1.0_rc1-r0", "1.0-r0",  "1.0-r1",
                          "1.0~ab-r0", "1.0_p1-r0",    "1.0a-r0",    "1.0.1-r0"};
    qsort(v, sizeof v / sizeof v[0], sizeof v[0], qsort_cmp);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) assert_string_equal(v[i], want[i]);
}

static void test_apk_valid_accepts_the_grammar(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "1",
        "1.2.3",
        "1.2a",
        "1.2_alpha",
        "1.2_alpha1",
        "1.2_alpha1_pre2",
        "1.2_git20240101_pre1",
        "1.2_p1-r0",
        "1.2~abc123",
        "1.2~abc123-r4",
        "1.2a_rc1~0f-r10",
        "006",
        "1.2.3-r0",
        "6.3_p20220416-r0",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!vs()->valid(rp_str_from(ok[i]))) fail_msg("valid('%s') = false", ok[i]);
}

static void test_apk_valid_rejects_the_rest(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",           "a",         ".1",           "1.",         "1..2",
        "1.2ab", /* one letter only */
        "1.2a1", /* no number after the letter */
        "1.2a.1",     "1.2A",      "1.2_",         "1.2_foo",    "1.2_alpha_",
        "1.2__alpha", "1.2_1",     "1.2_alphabet", "1.2~",       "1.2~xyz",
        "1.2~ABC",   /* lower-case hex only */
        "1.2~ab_p1", /* suffixes go before the hash */
        "1.2-r",      "1.2-r1-r2", "1.2-r1_p1",    "1.2-r1~ab",  "1.2-r1.1",
        "1.2-1",      "1.2-pre1",  "1.2 ",         "1.2a_rc1-r",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (vs()->valid(rp_str_from(bad[i]))) fail_msg("valid('%s') = true", bad[i]);
    assert_false(vs()->valid((struct rp_str){"1.2-r1", 5})); /* "1.2-r": only len bytes */
}

static void test_apk_registry_and_ecosystems(void **state)
{
    (void)state;
    assert_string_equal(vs()->name, "apk");
    static const char *const ecos[] = {"Alpine",       "Alpine:v3.18",
                                       "Wolfi",        "Chainguard",
                                       "Alpaquita:23", "BellSoft Hardened Containers:stream",
                                       "MinimOS"};
    for (size_t i = 0; i < sizeof ecos / sizeof ecos[0]; i++)
        if (rp_vuln_versioning_for_ecosystem(rp_str_from(ecos[i])) != vs())
            fail_msg("ecosystem '%s' is not apk", ecos[i]);
    assert_null(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("alpine")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apk_numbers_separated_by_dots),
        cmocka_unit_test(test_apk_leading_zero_compares_as_string),
        cmocka_unit_test(test_apk_letter_after_the_numbers),
        cmocka_unit_test(test_apk_suffixes_pre_before_none_before_post),
        cmocka_unit_test(test_apk_suffix_numbers),
        cmocka_unit_test(test_apk_several_suffixes),
        cmocka_unit_test(test_apk_revision),
        cmocka_unit_test(test_apk_commit_hash),
        cmocka_unit_test(test_apk_invalid_versions_keep_an_order),
        cmocka_unit_test(test_apk_sorts_a_list),
        cmocka_unit_test(test_apk_valid_accepts_the_grammar),
        cmocka_unit_test(test_apk_valid_rejects_the_rest),
        cmocka_unit_test(test_apk_registry_and_ecosystems),
    };
    return cmocka_run_group_tests_name("vuln_ver_apk", tests, NULL, NULL);
}
