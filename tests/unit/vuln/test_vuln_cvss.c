/* SPDX-License-Identifier: Apache-2.0 */
/* CVSS base scores (vuln_cvss.c): values worked out by hand from FIRST's v3.1, v3.0 and v2
 * equations, the Roundup differences between 3.0 and 3.1, scope change, metric rewriting and
 * the exact errors for bad vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vuln/vuln.h"

static double score_of(const char *v, int *version)
{
    double s = -1;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_cvss_base_score(rp_str_from(v), &s, version, &eb), RP_OK);
    return s;
}

static void expect_score(const char *v, double want, int want_version)
{
    int version = 0;
    double s = score_of(v, &version);
    char got[16], exp[16];
    snprintf(got, sizeof got, "%.1f", s);
    snprintf(exp, sizeof exp, "%.1f", want);
    assert_string_equal(got, exp);
    assert_int_equal(version, want_version);
}

static void test_cvss_v31_scores(void **state)
{
    (void)state;
    expect_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 31);
    expect_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, 31);
    expect_score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, 31);
    expect_score("CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 7.5, 31);
    expect_score("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, 31);
    expect_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 4.3, 31);
    expect_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, 31);
    expect_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, 31);
    /* scope changed raises PR:L's weight to 0.68 */
    expect_score("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, 31);
    expect_score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, 31);
    /* no impact scores 0 whatever the exploitability */
    expect_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, 31);
    /* temporal and environmental metrics are ignored, order does not matter */
    expect_score("CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U/E:U/RL:O/RC:C/CR:L", 9.8, 31);
}

static void test_cvss_v30_and_v2_scores(void **state)
{
    (void)state;
    expect_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, 30);
    expect_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 30);
    expect_score("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, 2);
    expect_score("AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, 2);
    expect_score("AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, 2);
    expect_score("AV:L/AC:L/Au:N/C:C/I:C/A:C", 7.2, 2);
    expect_score("AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0, 2);
}

static void expect_error(const char *v, rp_err code, const char *msg)
{
    double s = 1;
    int version = 0;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_cvss_base_score(rp_str_from(v), &s, &version, &eb), code);
    assert_string_equal(eb.msg, msg);
}

static void test_cvss_bad_vectors(void **state)
{
    (void)state;
    expect_error("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", RP_EPARSE,
                 "cvss: missing base metric 'A' in 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'");
    expect_error("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", RP_EPARSE,
                 "cvss: bad value of metric 'AV' in "
                 "'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'");
    expect_error("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", RP_EPARSE,
                 "cvss: bad value of metric 'AV' in "
                 "'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'");
    expect_error("CVSS:9.9/AV:N", RP_EPARSE, "cvss: unknown version in 'CVSS:9.9/AV:N'");
    expect_error("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", RP_EUNSUPPORTED,
                 "cvss: v4.0 vectors are not scored "
                 "('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')");
    expect_error("", RP_EPARSE, "cvss: missing base metric 'AV' in ''");
}

static void test_cvss_set_metric_and_bands(void **state)
{
    (void)state;
    char buf[128];
    assert_int_equal(rp_cvss_set_metric(rp_str_from("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                                        "AV", "A", buf, sizeof buf),
                     RP_OK);
    assert_string_equal(buf, "CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_int_equal(rp_cvss_set_metric(rp_str_from("CVSS:3.1/AC:H"), "AV", "A", buf, sizeof buf),
                     RP_EINVAL);
    assert_int_equal(rp_cvss_set_metric(rp_str_from("CVSS:3.1/AV:N/AC:H"), "AV", "A", buf, 8),
                     RP_ELIMIT);
    assert_string_equal(rp_cvss_severity(0), "INFORMATIONAL");
    assert_string_equal(rp_cvss_severity(0.1), "LOW");
    assert_string_equal(rp_cvss_severity(3.9), "LOW");
    assert_string_equal(rp_cvss_severity(4.0), "MEDIUM");
    assert_string_equal(rp_cvss_severity(6.9), "MEDIUM");
    assert_string_equal(rp_cvss_severity(7.0), "HIGH");
    assert_string_equal(rp_cvss_severity(8.9), "HIGH");
    assert_string_equal(rp_cvss_severity(9.0), "CRITICAL");
    assert_string_equal(rp_cvss_severity(10.0), "CRITICAL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cvss_v31_scores),
        cmocka_unit_test(test_cvss_v30_and_v2_scores),
        cmocka_unit_test(test_cvss_bad_vectors),
        cmocka_unit_test(test_cvss_set_metric_and_bands),
    };
    return cmocka_run_group_tests_name("vuln_cvss", tests, NULL, NULL);
}
