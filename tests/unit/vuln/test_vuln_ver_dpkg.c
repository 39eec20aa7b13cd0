/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/vuln_ver_dpkg.c: Debian version ordering (Policy §5.6.12), one test
 * per rule, each pair checked both ways, plus dpkg's strict validity rules and the registry
 * lookups. All cases are written here; the upstream vectors are for the hand-run checker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

#define VULN_TEST_SCHEME "dpkg"
#include "vuln_test_pairs.h"

static void test_dpkg_epoch_is_compared_first_as_a_number(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1:1.0", "2.0", 1},    /* any epoch beats none */
        {"0:1.0", "1.0", 0},    /* a missing epoch is 0 */
        {"2:0.1", "1:9.9", 1},  /* the epoch decides before the version */
        {"10:1", "9:1", 1},     /* numerically, not bytewise */
        {"01:1.0", "1:1.0", 0}, /* leading zeros do not count */
        {"1:1.0-1", "1:1.0-2", -1},
        {"99999999999999999999:1", "1:1", 1}, /* ordering has no size limit */
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_revision_starts_after_the_last_hyphen(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0-2-3", "1.0-2-10", -1},   /* upstream "1.0-2", revisions 3 < 10 */
        {"1.0-1-1", "1.0-1", 1},       /* upstream "1.0-1" > upstream "1.0" */
        {"1.2-3+deb12u1", "1.2-3", 1}, /* a security update of the same revision */
        {"1.2-3+deb12u1", "1.2-3+deb12u2", -1},
        {"1.2-3+deb12u1", "1.2-4", -1},
        {"2.2.14-5ubuntu8", "2.2.14-5ubuntu8.1", -1},
        {"1.0-10", "1.0-9", 1},
        {"1.1-1", "1.0-9", 1}, /* the upstream version decides before the revision */
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_missing_revision_is_empty(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0", "1.0-0", 0}, /* "" and "0" compare equal: an absent digit run is 0 */
        {"1.0", "1.0-1", -1}, {"1.0", "1.0-", 0},
        {"1.0", "1.0-~1", 1}, /* '~' sorts before the end of a revision too */
        {"1.0-a", "1.0", 1},
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_tilde_sorts_before_everything(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0~rc1", "1.0", -1}, /* before the end of the string */
        {"1.0~~", "1.0~", -1},
        {"1.0~", "1.0~a", -1},
        {"1.0~a", "1.0", -1},
        {"1.0~rc1", "1.0~rc2", -1},
        {"1.0~rc1-1", "1.0-1", -1},
        {"1.0-1~bpo11+1", "1.0-1", -1}, /* backports sort before the release they come from */
        {"1.0~", "1.0-", -1},
        {"1.0~rc1", "1.0.", -1}, /* before non-letters */
        {"1.0~rc1", "1.0a", -1}, /* before letters */
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_letters_sort_before_non_letters(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0a", "1.0", 1},                         /* the end sorts before letters */
        {"1.0+", "1.0", 1},                         /* and before non-letters */
        {"1.0a", "1.0+", -1},                       /* letters before non-letters */
        {"1.0z", "1.0.", -1}, {"1.0+", "1.0.", -1}, /* non-letters by ASCII: '+' < '.' */
        {"1.0Z", "1.0a", -1},                       /* letters by ASCII: upper case first */
        {"1.0a", "1.0b", -1}, {"1.0ab", "1.0a", 1}, {"1.0+dfsg", "1.0.1", -1}, /* '+' < '.' */
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_digit_runs_compare_as_numbers(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.09", "1.9", 0},
        {"1.010", "1.9", 1},
        {"1.0001", "1.1", 0},
        {"1.000", "1.0", 0},
        {"1.2", "1.10", -1},
        {"10", "9", 1},
        {"1.123456789012345678901234567890", "1.123456789012345678901234567889", 1},
        {"1.0", "1", 1}, /* ".0" is one more part: '.' sorts after the end */
        {"1a2", "1a10", -1},
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_plus_dot_colon_in_upstream(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1:1.0:2", "1:1.0:1", 1}, /* with an epoch the upstream part may hold ':' */
        {"1:1.0:1", "1:1.0.1", 1}, /* ':' (58) sorts after '.' (46) */
        {"1.0+dfsg-1", "1.0-1", 1}, {"1.0.8+nmu1", "1.0.8", 1},
        {"3.11", "3.10+nmu1", 1},   {"7.4p1-10+deb9u7", "7.9p1-10+deb10u2", -1},
        {"1.0+b1", "1.0.1", -1},
    };
    CHECK_PAIRS(p);
}

static void test_dpkg_unparsable_versions_still_have_an_order(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"a:1", "1:1", -1},                  /* not an epoch: "a:1" is all upstream, epoch 0 */
        {"abc", "abd", -1},                  /* letters compared by ASCII */
        {"", "0", 0},                        /* empty is epoch 0, upstream "" */
        {"", "~", 1},        {"-1", "0", 1}, /* upstream "" and revision "1" */
        {"1.0 1", "1.0", 1},                 /* ' ' is a non-letter */
    };
    CHECK_PAIRS(p);
    /* slices need no NUL: only len bytes count */
    assert_int_equal(vs()->cmp((struct rp_str){"1.0-1XYZ", 5}, rp_str_from("1.0-1")), 0);
    assert_int_equal(vs()->cmp((struct rp_str){"1.0-1~", 5}, rp_str_from("1.0-1")), 0);
    /* the empty slice of rp_str_from(NULL) is the empty string */
    assert_int_equal(vs()->cmp(rp_str_from(NULL), rp_str_from("")), 0);
    assert_int_equal(vs()->cmp(rp_str_from(NULL), rp_str_from("1.0")), -1);
    assert_false(vs()->valid(rp_str_from(NULL)));
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_dpkg_sorts_a_list(void **state)
{
    (void)state;
    const char *v[] = {"1.0-1",      "1:0.1", "1.0~rc1-1", "1.0-1+deb12u1", "1.0+dfsg-1",
                       "1.0-1~bpo1", "0.9-1", "1.0a-1",    "1.0.1-1",       "1.0-1.1"};
    const char *want[] = {"0.9-1",   "1.0~rc1-1", "1.0-1~bpo1", "1.0-1",   "1.0-1+deb12u1",
                          "1.0-1.1", "1.0a-1",    "1.0+dfsg-1", "1.0.1-1", "1:0.1"};
    qsort(v, sizeof v / sizeof v[0], sizeof v[0], qsort_cmp);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) assert_string_equal(v[i], want[i]);
}

static void test_dpkg_valid_accepts_policy_versions(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "0",
        "1.0",
        "1:1.0",
        "0:0",
        "1.0-1",
        "1.0-1-1",
        "1:2:3",
        "1:1.0:2-1",
        "2.2.14-5ubuntu8.1",
        "1.0~rc1+dfsg-1~bpo11+1",
        "2147483647:1.0",
        "0001:1",
        "7.4p1-10+deb9u7",
        "1.0-a",
        "1A.B-C",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!vs()->valid(rp_str_from(ok[i]))) fail_msg("valid('%s') = false", ok[i]);
}

static void test_dpkg_valid_rejects_what_dpkg_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",             /* empty */
        "10a:5.2",      /* epoch not a number */
        "-1:1.0",       /* negative epoch */
        ":1.0",         /* empty epoch */
        "2147483648:1", /* epoch past INT_MAX */
        "1:",           /* nothing after the colon */
        "5.2@3-2",      /* '@' is not allowed */
        "foo5.2",       /* upstream must start with a digit */
        "0:foo5.2",
        "-1",        /* empty upstream */
        "1.0-",      /* empty revision */
        "1:1.0-1:2", /* ':' is not allowed in the revision */
        "1.0-1:2",   /* the first ':' ends the epoch, and "1.0-1" is not a number */
        "1.0-1-",    /* empty revision after the last hyphen */
        "1.0_1",     /* '_' is not allowed */
        "1.0 1",     /* spaces are not allowed */
        "1.0-1@",
        "~1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (vs()->valid(rp_str_from(bad[i]))) fail_msg("valid('%s') = true", bad[i]);
    assert_false(vs()->valid((struct rp_str){"1.0-1", 4})); /* "1.0-": only len bytes */
}

static void test_dpkg_registry_and_ecosystems(void **state)
{
    (void)state;
    assert_string_equal(vs()->name, "dpkg");
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Debian")), vs());
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Debian:12")), vs());
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Ubuntu:22.04:LTS")), vs());
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Ubuntu:Pro:18.04:LTS")), vs());
    assert_null(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("debian")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dpkg_epoch_is_compared_first_as_a_number),
        cmocka_unit_test(test_dpkg_revision_starts_after_the_last_hyphen),
        cmocka_unit_test(test_dpkg_missing_revision_is_empty),
        cmocka_unit_test(test_dpkg_tilde_sorts_before_everything),
        cmocka_unit_test(test_dpkg_letters_sort_before_non_letters),
        cmocka_unit_test(test_dpkg_digit_runs_compare_as_numbers),
        cmocka_unit_test(test_dpkg_plus_dot_colon_in_upstream),
        cmocka_unit_test(test_dpkg_unparsable_versions_still_have_an_order),
        cmocka_unit_test(test_dpkg_sorts_a_list),
        cmocka_unit_test(test_dpkg_valid_accepts_policy_versions),
        cmocka_unit_test(test_dpkg_valid_rejects_what_dpkg_rejects),
        cmocka_unit_test(test_dpkg_registry_and_ecosystems),
    };
    return cmocka_run_group_tests_name("vuln_ver_dpkg", tests, NULL, NULL);
}
