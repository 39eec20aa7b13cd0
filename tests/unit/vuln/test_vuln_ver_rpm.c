/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/vuln_ver_rpm.c: rpm version ordering (rpmvercmp segments, '~' and
 * '^', epoch:version-release), one test per rule, each pair checked both ways, plus the
 * validity rules and the registry lookups. All cases are written here; the upstream vectors
 * are for the hand-run checker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

#define VULN_TEST_SCHEME "rpm"
#include "vuln_test_pairs.h"

static void test_rpm_segments_split_at_any_other_character(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0", "1.1", -1},      {"1.0", "1_0", 0},  /* separators are all alike */
        {"1.0", "1+0", 0},       {"1..0", "1.0", 0}, /* and their number does not count */
        {"1.0.", "1.0", 0},                          /* nor do trailing ones */
        {"1.0", "1.0.0", -1},                        /* one more segment is newer */
        {"1.0a", "1.0", 1},      {"2.0.1a", "2.0.1", 1},
        {"1.0a", "1.0b", -1}, /* letters bytewise */
        {"1.0aa", "1.0a", 1},    {"R16B", "R16C", -1},
        {"1.0B", "1.0a", -1}, /* upper case sorts first */
        {"1a2", "1.a.2", 0},  /* a digit/letter change is a segment boundary too */
        {"5.5p1", "5.5p10", -1}, {"5.5p2", "5.6p1", -1},
    };
    CHECK_PAIRS(p);
}

static void test_rpm_a_number_beats_letters(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.1", "1.a", 1},    {"1a", "1.1", -1},        {"xyz.4", "8", -1},
        {"8", "xyz.4", 1},    {"6.0.rc1", "6.0", 1}, /* a further segment, even letters, is newer */
        {"1.el8", "1.1", -1}, {"10xyz", "10.1xyz", -1},
    };
    CHECK_PAIRS(p);
}

static void test_rpm_numbers_ignore_leading_zeros(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.01", "1.1", 0},
        {"10.0001", "10.1", 0},
        {"1.001", "1.01", 0},
        {"10.0001", "10.0039", -1},
        {"4.999.9", "5.0", -1},
        {"1.10", "1.9", 1},
        {"1.99999999999999999999", "1.99999999999999999998", 1}, /* no size limit */
        {"1.100000000000000000000", "1.99999999999999999999", 1},
    };
    CHECK_PAIRS(p);
}

static void test_rpm_tilde_sorts_before_everything(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0~rc1", "1.0", -1}, /* before the end of the string */
        {"1.0~rc1", "1.0~rc2", -1}, {"1.0~~", "1.0~", -1},     {"1.0~rc1~git123", "1.0~rc1", -1},
        {"1.0~rc1", "1.0.", -1}, /* a trailing separator is no segment */
        {"1.0~rc1", "1.0a", -1},    {"1.0~rc1", "1.0~rc1", 0}, {"~", "", -1},
    };
    CHECK_PAIRS(p);
}

static void test_rpm_caret_sorts_after_the_end_only(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0^", "1.0", 1}, /* after the end of the string */
        {"1.0^git1", "1.0", 1},
        {"1.0^git1", "1.0^git2", -1},
        {"1.0^git1", "1.0.1", -1}, /* but before any further segment */
        {"1.0^git1", "1.01", -1},
        {"1.0^20160101", "1.0.1", -1},
        {"1.0^20160102", "1.0^20160101^git1", 1},
        {"1.0~rc1^git1", "1.0~rc1", 1}, /* a snapshot after a pre-release */
        {"1.0~rc1^git1", "1.0", -1},    /* is still before the release */
        {"1.0^git1~pre", "1.0^git1", -1},
        {"1.0^", "1.0~", 1},
    };
    CHECK_PAIRS(p);
}

static void test_rpm_evr_epoch_then_version_then_release(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1:1.0-1", "2.0-1", 1}, /* the epoch first; missing = 0 */
        {"0:1.0-1", "1.0-1", 0},
        {"10:1.0", "9:1.0", 1}, /* as a number */
        {"010:1.0", "10:1.0", 0},
        {":1.0", "1.0", 0},     /* an empty epoch is 0, as rpm reads it */
        {"1.0-2", "1.1-1", -1}, /* the version before the release */
        {"1.0-1.el8", "1.0-1.el8_1", -1},
        {"1.0-2.el8", "1.0-1.el8_9", 1},
        {"2.34-60.el9", "2.34-60.el9_2.7", -1},
        {"1:1.0.2k-24.amzn2.0.6", "1:1.0.2k-24.amzn2.0.7", -1},
        {"1.0-1", "1.0", 1},   /* a missing release is empty: older than any */
        {"1.0", "1.0-~rc", 1}, /* except one that starts with '~' */
        {"1.0", "1.0-", 0},
        {"1-2-3", "1-2-10", -1}, /* the release starts after the last '-' */
        {"1-2-3", "1.2-3", 0},   /* version "1-2" = "1.2" */
        {"a:1.0", "1.0", -1},    /* no epoch: version "a:1.0", and letters lose to digits */
    };
    CHECK_PAIRS(p);
    /* slices need no NUL: only len bytes count */
    assert_int_equal(vs()->cmp((struct rp_str){"1.0-1.el8", 5}, rp_str_from("1.0-1")), 0);
    /* the empty slice of rp_str_from(NULL) is the empty string */
    assert_int_equal(vs()->cmp(rp_str_from(NULL), rp_str_from("")), 0);
    assert_int_equal(vs()->cmp(rp_str_from(NULL), rp_str_from("1.0")), -1);
    assert_false(vs()->valid(rp_str_from(NULL)));
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_rpm_sorts_a_list(void **state)
{
    (void)state;
    const char *v[] = {"1.0-1.el8",   "1:0.9-1",    "1.0~rc1-1", "1.0^git1-1", "1.0.1-1",
                       "1.0-1.el8_2", "1.0-10.el8", "1.0a-1",    "0.9-9"};
    const char *want[] = {"0.9-9",      "1.0~rc1-1", "1.0-1.el8", "1.0-1.el8_2", "1.0-10.el8",
                          "1.0^git1-1", "1.0a-1",    "1.0.1-1",   "1:0.9-1"};
    qsort(v, sizeof v / sizeof v[0], sizeof v[0], qsort_cmp);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) assert_string_equal(v[i], want[i]);
}

static void test_rpm_valid_accepts_spec_versions(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "1.0",        "1:1.0-1.el8", "0:2.34-60.el9_2.7", "1.0~rc1^git1-1",      "1.0_1",
        "1.0+git1-1", "R16B",        "4294967295:1",      "1.0.2k-24.amzn2.0.6",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!vs()->valid(rp_str_from(ok[i]))) fail_msg("valid('%s') = false", ok[i]);
}

static void test_rpm_valid_rejects_the_rest(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",             /* empty */
        "1.0-",         /* empty release */
        "-1",           /* empty version */
        ":1.0",         /* empty epoch */
        "1:",           /* empty version after the epoch */
        "4294967296:1", /* epoch past 32 bits */
        "a:1.0",        /* not an epoch, and ':' is not allowed */
        "1-2-3",        /* '-' in the version */
        "1..0",         /* ".." is not allowed */
        "1.0-1..el8",
        "1.0 1", /* nor spaces */
        "1.0@1",
        "1.0-1/2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (vs()->valid(rp_str_from(bad[i]))) fail_msg("valid('%s') = true", bad[i]);
}

static void test_rpm_registry_and_ecosystems(void **state)
{
    (void)state;
    assert_string_equal(vs()->name, "rpm");
    static const char *const ecos[] = {
        "Red Hat:rhel_aus:8.6::appstream",
        "Red Hat",
        "AlmaLinux:8",
        "Rocky Linux:9",
        "openSUSE:Tumbleweed",
        "SUSE:Linux Enterprise Server 15 SP5",
        "Mageia:9",
        "openEuler:22.03-LTS",
        "Photon OS:3.0",
        "Amazon Linux:2",
        "Azure Linux:3",
    };
    for (size_t i = 0; i < sizeof ecos / sizeof ecos[0]; i++)
        if (rp_vuln_versioning_for_ecosystem(rp_str_from(ecos[i])) != vs())
            fail_msg("ecosystem '%s' is not rpm", ecos[i]);
    assert_null(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("RedHat")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpm_segments_split_at_any_other_character),
        cmocka_unit_test(test_rpm_a_number_beats_letters),
        cmocka_unit_test(test_rpm_numbers_ignore_leading_zeros),
        cmocka_unit_test(test_rpm_tilde_sorts_before_everything),
        cmocka_unit_test(test_rpm_caret_sorts_after_the_end_only),
        cmocka_unit_test(test_rpm_evr_epoch_then_version_then_release),
        cmocka_unit_test(test_rpm_sorts_a_list),
        cmocka_unit_test(test_rpm_valid_accepts_spec_versions),
        cmocka_unit_test(test_rpm_valid_rejects_the_rest),
        cmocka_unit_test(test_rpm_registry_and_ecosystems),
    };
    return cmocka_run_group_tests_name("vuln_ver_rpm", tests, NULL, NULL);
}
