/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/vuln_ver_go.c: Go module version ordering (semantic versioning with
 * a 'v', shorthands, prereleases, ignored build metadata, pseudo-versions), the optional 'v'
 * of OSV ranges, validity and the registry. Each pair is checked both ways. All cases are
 * written here from Go's module version documentation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

#define VULN_TEST_SCHEME "go"
#include "vuln_test_pairs.h"

static void test_go_major_minor_patch_compare_numerically(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"v1.2.3", "v1.2.3", 0},
        {"v1.2.3", "v1.2.4", -1},
        {"v1.2.10", "v1.2.9", 1},
        {"v1.10.0", "v1.9.9", 1},
        {"v2.0.0", "v1.99.99", 1},
        {"v10.0.0", "v9.0.0", 1},
        {"v0.0.1", "v0.0.0", 1},
        {"v1.2.99999999999999999999", "v1.2.99999999999999999998", 1}, /* no size limit */
    };
    CHECK_PAIRS(p);
}

static void test_go_shorthands_are_zero_filled(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"v1", "v1.0.0", 0},
        {"v1.2", "v1.2.0", 0},
        {"v1.2", "v1.2.1", -1},
        {"v1", "v1.0.0-rc.1", 1},
    };
    CHECK_PAIRS(p);
}

static void test_go_prereleases_sort_before_the_release(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"v1.0.0-alpha", "v1.0.0", -1},
        {"v1.0.0-alpha", "v1.0.0-alpha.1", -1},      /* a prefix first */
        {"v1.0.0-alpha.1", "v1.0.0-alpha.beta", -1}, /* numbers before alphanumerics */
        {"v1.0.0-alpha.beta", "v1.0.0-beta", -1},
        {"v1.0.0-beta.2", "v1.0.0-beta.11", -1}, /* numbers as numbers */
        {"v1.0.0-beta.11", "v1.0.0-rc.1", -1},
        {"v1.0.0-rc.1", "v1.0.0", -1},
        {"v1.0.0-RC", "v1.0.0-rc", -1}, /* ASCII order: upper case first */
        {"v1.0.0-1a", "v1.0.0-2", 1},   /* "1a" is alphanumeric */
        {"v1.0.0-a-b", "v1.0.0-a", 1},  /* '-' belongs to the identifier */
        {"v1.0.0-pre", "v0.9.9", 1},
    };
    CHECK_PAIRS(p);
}

static void test_go_build_metadata_is_ignored(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"v2.0.0+incompatible", "v2.0.0", 0},
        {"v2.0.0+incompatible", "v2.0.1", -1},
        {"v1.0.0-rc.1+build.5", "v1.0.0-rc.1+build.6", 0},
        {"v3.1.0+incompatible", "v3.0.9", 1},
    };
    CHECK_PAIRS(p);
}

static void test_go_pseudo_versions_order_by_precedence(void **state)
{
    (void)state;
    static const struct pair p[] = {
        /* vX.0.0-yyyymmddhhmmss-hash: no tagged base, below v0.0.0 */
        {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1},
        {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-0123456789ab", -1},
        /* vX.Y.(Z+1)-0.yyyymmddhhmmss-hash: after vX.Y.Z, before vX.Y.(Z+1) */
        {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1},
        {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", -1},
        {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20200101000000-0123456789ab", -1},
        {"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-alpha", -1},
        /* vX.Y.Z-pre.0.yyyymmddhhmmss-hash: after vX.Y.Z-pre, before vX.Y.Z-pre.1 */
        {"v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre", 1},
        {"v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre.1", -1},
        {"v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3", -1},
        /* and with +incompatible */
        {"v2.0.1-0.20191109021931-daa7c04131f5+incompatible", "v2.0.0+incompatible", 1},
    };
    CHECK_PAIRS(p);
}

static void test_go_v_prefix_is_optional_as_in_osv(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.2.3", "v1.2.3", 0},
        {"0", "v0.0.0", 0}, /* OSV's introduced "0" */
        {"1.2.3", "v1.2.4", -1},
        {"1.0.0-rc.1", "v1.0.0", -1},
        {"0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1},
    };
    CHECK_PAIRS(p);
}

static void test_go_invalid_versions_sort_first_bytewise(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"latest", "v0.0.0", -1}, {"v1.2.3.4", "v0.0.1", -1},
        {"V1.2.3", "v1.2.3", -1}, /* only a lower-case 'v' */
        {"abc", "abd", -1},       {"v01.0.0", "v01.0.0", 0},
    };
    CHECK_PAIRS(p);
}

static void test_go_valid(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "v0.0.0",
        "v1.2.3",
        "v1",
        "v1.2",
        "1.2.3",
        "0",
        "v1.0.0-rc.1",
        "v1.0.0-0",
        "v2.0.0+incompatible",
        "v1.0.0-x-y.z+b.01",
        "v1.0.0-0.20191109021931-daa7c04131f5",
        "v1.0.0+001",
    };
    static const char *const bad[] = {
        "",          "v",           "vv1.0.0",    "V1.2.3",  "v01.2.3",     "v1.02.3",
        "v1.2.03",   "v1.2.3.4",    "v1.2-pre",   "v1-pre",  "v1+build",    "v1.2.3-",
        "v1.2.3-01", "v1.2.3-a..b", "v1.2.3-a.",  "v1.2.3+", "v1.2.3+a..b", "v1.2.3-a_b",
        " v1.2.3",   "v1.2.3 ",     "v1.2.3+a+b", "v-1.2.3", "v1.2.",       "v1..2",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(ok); i++)
        if (!vs()->valid(rp_str_from(ok[i]))) fail_msg("valid('%s') is false", ok[i]);
    for (size_t i = 0; i < RP_ARRAY_LEN(bad); i++)
        if (vs()->valid(rp_str_from(bad[i]))) fail_msg("valid('%s') is true", bad[i]);
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_go_sorts_a_list(void **state)
{
    (void)state;
    const char *v[] = {"v1.1.0",
                       "v1.0.0",
                       "v1.0.1-0.20200101000000-abcdefabcdef",
                       "1.0.0-rc.2",
                       "v1.0.0-rc.10",
                       "v0.0.0-20190101000000-abcdefabcdef",
                       "v1.0.1",
                       "v2.0.0+incompatible"};
    static const char *const want[] = {"v0.0.0-20190101000000-abcdefabcdef",
                                       "1.0.0-rc.2",
                                       "v1.0.0-rc.10",
                                       "v1.0.0",
                                       "v1.0.1-0.20200101000000-abcdefabcdef",
                                       "v1.0.1",
                                       "v1.1.0",
                                       "v2.0.0+incompatible"};
    qsort(v, RP_ARRAY_LEN(v), sizeof v[0], qsort_cmp);
    for (size_t i = 0; i < RP_ARRAY_LEN(v); i++) assert_string_equal(v[i], want[i]);
}

static void test_go_registry_and_ecosystems(void **state)
{
    (void)state;
    assert_string_equal(vs()->name, "go");
    assert_string_equal(vs()->ecosystems[0], "Go");
    assert_null(vs()->ecosystems[1]);
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Go")), vs());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_major_minor_patch_compare_numerically),
        cmocka_unit_test(test_go_shorthands_are_zero_filled),
        cmocka_unit_test(test_go_prereleases_sort_before_the_release),
        cmocka_unit_test(test_go_build_metadata_is_ignored),
        cmocka_unit_test(test_go_pseudo_versions_order_by_precedence),
        cmocka_unit_test(test_go_v_prefix_is_optional_as_in_osv),
        cmocka_unit_test(test_go_invalid_versions_sort_first_bytewise),
        cmocka_unit_test(test_go_valid),
        cmocka_unit_test(test_go_sorts_a_list),
        cmocka_unit_test(test_go_registry_and_ecosystems),
    };
    return cmocka_run_group_tests_name("vuln_ver_go", tests, NULL, NULL);
}
