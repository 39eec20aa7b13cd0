/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/vuln_ver_maven.c: Maven's ComparableVersion ordering, one test per
 * rule (item splitting, qualifier order and aliases, shorthands, case, trailing null items,
 * list items, numbers), each pair checked both ways, plus validity and the registry. All cases
 * are written here from Maven's documented version order (there is no vectors file). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

#define VULN_TEST_SCHEME "maven"
#include "vuln_test_pairs.h"

/* Every element strictly below the next one, and all pairs consistent. */
static void check_ascending(const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int want = i < j ? -1 : i > j ? 1 : 0, got = cmp(v[i], v[j]);
            if (got != want) fail_msg("cmp('%s','%s') = %d, want %d", v[i], v[j], got, want);
        }
}

static void test_maven_numbers_compare_as_numbers(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.10", "1.9", 1},
        {"1.2", "1.10", -1},
        {"007", "7", 0},
        {"2.0", "10.0", -1},
        {"1.2147483648", "1.2147483647", 1}, /* past 32 bits */
        {"1.1000000000", "1.999999999", 1},
        {"1.99999999999999999999", "1.100000000000000000000", -1}, /* no size limit */
        {"2.13.4.2", "2.13.4", 1},
    };
    CHECK_PAIRS(p);
}

static void test_maven_items_split_at_dots_hyphens_and_transitions(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1..1", "1.0.1", 0}, /* an empty item is 0 */
        {"1.0alpha1", "1.0-alpha-1", 0},
        {"1alpha1", "1-alpha-1", 0}, /* digit/letter changes split like '-' */
        {"1-rc-1", "1-rc1", 0},
        {"2.0-alpha2", "2.0-alpha10", -1}, /* "alpha10": qualifier then number 10 */
        {"1-foo2", "1-foo10", -1},
    };
    CHECK_PAIRS(p);
}

static void test_maven_trailing_null_items_are_trimmed(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0", "1", 0},
        {"1.0.0", "1", 0},
        {"1-0", "1", 0},
        {"1.", "1", 0},
        {"1-", "1", 0},
        {"1.ga", "1", 0},
        {"1-ga", "1", 0},
        {"1.final", "1", 0},
        {"1-release", "1", 0},
        {"1.0-0.0", "1", 0},
        {"1.0.0-foo.0.0", "1-foo", 0}, /* at the end of every list */
        {"1.1-0.5", "1.1-0.5.0", 0},
        {"1-0.1", "1", 1}, /* a zero before a non-null item stays */
        {"1.0.0.1", "1", 1},
    };
    CHECK_PAIRS(p);
}

static void test_maven_qualifiers_have_a_fixed_order(void **state)
{
    (void)state;
    static const char *const v[] = {
        "1-alpha",     "1-alpha-1",     "1-alpha-2", "1-beta", "1-beta-1",
        "1-milestone", "1-milestone-1", "1-rc",      "1-rc-1", "1-snapshot",
        "1",           "1-sp",          "1-sp-1",    "1-abc", /* unknown qualifiers after the known
                                                                 ones ... */
        "1-abcd",      "1-abd",         "1-zzz",              /* ... in lexical order */
        "1-1",                                                /* a number beats every qualifier */
        "1.1",
    };
    check_ascending(v, RP_ARRAY_LEN(v));
}

static void test_maven_qualifier_aliases_and_case(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1-cr", "1-rc", 0},
        {"1-CR2", "1-rc-2", 0},
        {"1-ga", "1-final", 0},
        {"1-GA", "1", 0},
        {"3.0.0.Final", "3.0.0", 0},
        {"3.0.0.GA", "3.0.0.RELEASE", 0},
        {"5.3.20", "5.3.20.RELEASE", 0},
        {"1-SNAPSHOT", "1-snapshot", 0},
        {"1-RC1", "1-rc-1", 0},
        {"1.X", "1.x", 0},
        {"1-ABC", "1-abc", 0},
        {"10.0.0.CR1", "10.0.0.Beta3", 1},
    };
    CHECK_PAIRS(p);
}

static void test_maven_a_b_m_shorthands_need_a_following_digit(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1-a1", "1-alpha-1", 0},  {"1a1", "1-alpha-1", 0},      {"1.a1", "1-alpha-1", 0},
        {"1-b2", "1-beta-2", 0},   {"1-m3", "1-milestone-3", 0}, {"1-A1", "1-alpha-1", 0},
        {"1-a", "1-alpha", 1},     /* a bare "a" is an unknown qualifier ... */
        {"1-a", "1-sp", 1},        /* ... so it sorts after sp */
        {"1-a-1", "1-alpha-1", 1}, /* "a-1": not directly followed by the digit */
        {"1-a.1", "1-a-1", 1},     {"1-c1", "1-rc-1", 1}, /* only a, b and m have shorthands */
    };
    CHECK_PAIRS(p);
}

static void test_maven_lists_versus_numbers_and_qualifiers(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1-1", "1.1", -1}, /* a list ("-1") is below a number (".1") */
        {"1-1", "1-sp", 1}, /* ... and above a qualifier */
        {"1-foo", "1-1", -1},
        {"2-1", "2.0.1", -1},
        {"2.0-1", "2.0.0.1", -1},
        {"2.0.1", "2.0-1", 1},
        {"1-1.1", "1-1-1", 1},
        {"1.2.3-rc.1", "1.2.3-rc.2", -1},
        {"1.2.3-rc.1", "1.2.3-rc-1", 1},
        {"1-sp.1", "1-ga.1", 1},
        {"1-sp-1", "1-ga-1", -1},
        {"1-sp", "1-0.1", -1},
        {"-1", "1", -1}, /* "[[1]]": a list where 1 has a number */
    };
    CHECK_PAIRS(p);
}

static void test_maven_qualifier_after_dot(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.foo", "1-foo", 0}, /* a final ".X" qualifier is taken as "-X" */
        {"1.0.x", "1-x", 0},
        {"1.0x", "1-x", 0},
        {"1.0.0.RC1", "1.0.0-RC1", 0}, /* "X1" after a dot opens a list too */
        {"1.0.0.RC1", "1.0.0-RC2", -1},
        {"1.foo.1", "1-foo.1", -1}, /* in the middle a ".X" stays a plain item */
        {"1.foo.1", "1.1", -1},
        {"1.foo.1", "1", 1},
    };
    CHECK_PAIRS(p);
}

static void test_maven_trimming_at_each_list(void **state)
{
    (void)state;
    static const struct pair p[] = {
        /* the null "ga" before the nested list "-1" is dropped, leaving a list in a list,
         * which sorts below the number in "1-1" */
        {"1-ga-1", "1-1", -1},
        {"1-0-1", "1-ga-1", 0},
        {"1-sp-1", "1-0-1", -1},
        {"1.0-alpha-1", "1.0-alpha1", 0},
    };
    CHECK_PAIRS(p);
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_maven_sorts_a_list(void **state)
{
    (void)state;
    const char *v[] = {"2.0",       "2.0.1", "2.0-SNAPSHOT", "2.0-rc1", "2.0-beta-2",
                       "2.0-alpha", "1.9",   "2.0.Final-1",  "2.0-sp1", "2.0.0.1"};
    static const char *const want[] = {"1.9", "2.0-alpha", "2.0-beta-2",  "2.0-rc1", "2.0-SNAPSHOT",
                                       "2.0", "2.0-sp1",   "2.0.Final-1", "2.0.0.1", "2.0.1"};
    qsort(v, RP_ARRAY_LEN(v), sizeof v[0], qsort_cmp);
    for (size_t i = 0; i < RP_ARRAY_LEN(v); i++) assert_string_equal(v[i], want[i]);
}

static void test_maven_long_versions(void **state)
{
    (void)state;
    /* past the stack storage: the heap path orders the same way */
    char a[400], b[400];
    size_t n = 0;
    for (int i = 0; i < 60; i++) n += (size_t)snprintf(a + n, sizeof a - n, "%d.", i % 10);
    memcpy(b, a, n);
    snprintf(a + n, sizeof a - n, "rc-1");
    snprintf(b + n, sizeof b - n, "1");
    assert_int_equal(cmp(a, b), -1);
    assert_int_equal(cmp(b, a), 1);
    assert_int_equal(cmp(a, a), 0);
}

static void test_maven_valid(void **state)
{
    (void)state;
    static const char *const ok[] = {"1",         "1.0",        "1.0-SNAPSHOT", "2.13.4.2",
                                     "1.0.Final", "1.2.3-rc.1", "foo",          "1+build"};
    static const char *const bad[] = {"",    "1.0 ", " 1.0", "1.0\n", "1/0", "1:0",   "1\\0",
                                      "1<0", "1>0",  "1|0",  "1?0",   "1*",  "\"1\"", "1.0\x01"};
    for (size_t i = 0; i < RP_ARRAY_LEN(ok); i++)
        if (!vs()->valid(rp_str_from(ok[i]))) fail_msg("valid('%s') is false", ok[i]);
    for (size_t i = 0; i < RP_ARRAY_LEN(bad); i++)
        if (vs()->valid(rp_str_from(bad[i]))) fail_msg("valid('%s') is true", bad[i]);
}

static void test_maven_registry_and_ecosystems(void **state)
{
    (void)state;
    assert_string_equal(vs()->name, "maven");
    assert_string_equal(vs()->ecosystems[0], "Maven");
    assert_null(vs()->ecosystems[1]);
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Maven")), vs());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maven_numbers_compare_as_numbers),
        cmocka_unit_test(test_maven_items_split_at_dots_hyphens_and_transitions),
        cmocka_unit_test(test_maven_trailing_null_items_are_trimmed),
        cmocka_unit_test(test_maven_qualifiers_have_a_fixed_order),
        cmocka_unit_test(test_maven_qualifier_aliases_and_case),
        cmocka_unit_test(test_maven_a_b_m_shorthands_need_a_following_digit),
        cmocka_unit_test(test_maven_lists_versus_numbers_and_qualifiers),
        cmocka_unit_test(test_maven_qualifier_after_dot),
        cmocka_unit_test(test_maven_trimming_at_each_list),
        cmocka_unit_test(test_maven_sorts_a_list),
        cmocka_unit_test(test_maven_long_versions),
        cmocka_unit_test(test_maven_valid),
        cmocka_unit_test(test_maven_registry_and_ecosystems),
    };
    return cmocka_run_group_tests_name("vuln_ver_maven", tests, NULL, NULL);
}
