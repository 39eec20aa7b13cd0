/* SPDX-License-Identifier: Apache-2.0 */
/* The rpm manifest inventory (src/vuln/vuln_inv_rpm_manifest.c) over hand-written fixtures in
 * tests/fixtures/vuln/inv: detection by name and by a first line of the rpm -qa --qf format,
 * epochs (0 and "(none)" dropped), source names from SOURCERPM, gpg-pubkey skipped, damaged
 * lines skipped, CRLF endings, the ecosystem kept only for an rpm distribution, broken files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"

#define QA INV "/rpm/rpm-qa.txt"

static void test_detect(void **state)
{
    (void)state;
    const struct rp_vuln_inventory_format *f = inv_format("rpm-manifest");
    assert_ptr_equal(f, &rp_vuln_inv_rpm_manifest);
    assert_true(f->detect("/tmp/rpm-qa.txt", "", 0));
    assert_true(f->detect("rpm-qa.txt", NULL, 0));
    assert_true(f->detect("/x/host1.rpm-manifest", "", 0));
    assert_false(f->detect("/x/.rpm-manifest", "", 0));
    assert_false(f->detect("/x/rpm-qa.txt.bak", "", 0));
    const char *h = "\nbash\t0:5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\nmore";
    assert_true(f->detect("/x/packages.tsv", h, strlen(h)));
    h = "bash\t(none):5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm";
    assert_true(f->detect("/x/p", h, strlen(h)));
    h = "bash\t5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\n"; /* no epoch */
    assert_false(f->detect("/x/p", h, strlen(h)));
    h = "bash\t0:5.1.8\tx86_64\tbash-5.1.8-9.el9.src.rpm\n"; /* no release */
    assert_false(f->detect("/x/p", h, strlen(h)));
    h = "bash\t0:5.1.8-9\tx86_64\n"; /* three fields */
    assert_false(f->detect("/x/p", h, strlen(h)));
    assert_false(f->detect("/x/p", NULL, 0));
}

static void test_manifest(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_EINTERNAL;
    char *got = inv_parse(&rp_vuln_inv_rpm_manifest, QA, "Rocky Linux:9", 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(got, "Rocky Linux:9|openssl-libs|openssl|1:3.0.7-27.el9|x86_64|OS\n"
                             "Rocky Linux:9|bash|-|5.1.8-9.el9|x86_64|OS\n"
                             "Rocky Linux:9|tzdata|-|2024a-1.el9|noarch|OS\n"
                             "Rocky Linux:9|python3-libs|python3.9|3.9.18-1.el9|x86_64|OS\n"
                             "Rocky Linux:9|kernel-core|-|5.14.0-362.el9|x86_64|OS\n"
                             "Rocky Linux:9|shadow-utils|-|2:4.9-8.el9|x86_64|OS\n");
    free(got);
}

static void test_ecosystem(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_OK;
    char *got = inv_parse(&rp_vuln_inv_rpm_manifest, QA, NULL, 1, &rc, &eb);
    assert_int_equal(rc, RP_ELIMIT);
    assert_string_equal(eb.msg, "stop at 'bash'");
    assert_string_equal(got, "-|openssl-libs|openssl|1:3.0.7-27.el9|x86_64|OS\n");
    free(got);
    got = inv_parse(&rp_vuln_inv_rpm_manifest, QA, "Debian:12", 1, &rc, &eb);
    assert_string_equal(got, "-|openssl-libs|openssl|1:3.0.7-27.el9|x86_64|OS\n");
    free(got);
    got =
        inv_parse(&rp_vuln_inv_rpm_manifest, QA, "Red Hat:enterprise_linux:9::baseos", 1, &rc, &eb);
    assert_string_equal(
        got, "Red Hat:enterprise_linux:9::baseos|openssl-libs|openssl|1:3.0.7-27.el9|x86_64|OS\n");
    free(got);
}

static rp_err never(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)p;
    (void)ctx;
    return rp_fail(eb, RP_EINTERNAL, "called");
}

static void test_broken(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_OK;
    char *got = inv_parse(&rp_vuln_inv_rpm_manifest, INV "/broken/rpm-qa.txt", NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_EPARSE);
    assert_string_equal(eb.msg, INV "/broken/rpm-qa.txt:1: expected "
                                    "'name<TAB>epoch:version-release<TAB>arch<TAB>sourcerpm'");
    assert_string_equal(got, "");
    free(got);
    struct rp_vuln_inv_ctx cx = {0};
    assert_int_equal(rp_vuln_inv_rpm_manifest.parse(&cx, NULL, 0, never, NULL, &eb), RP_OK);
    const char nul[] = "\n\na\t0:1-1\tx86_64\ta-1-1.src.rpm\0\n";
    assert_int_equal(rp_vuln_inv_rpm_manifest.parse(&cx, nul, sizeof nul - 1, never, NULL, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "rpm-manifest:3: NUL byte, not an rpm manifest");
    /* arch "(none)", ".nosrc.rpm", epoch "007" and a source rpm without version */
    const char *s = "a\t007:1-1\t(none)\tb-2-3.nosrc.rpm\nc\t0:1-1\tx86_64\t-1-1.src.rpm";
    struct inv_rows r = {.path = NULL};
    rp_buf_init(&r.b, 1024);
    assert_int_equal(rp_vuln_inv_rpm_manifest.parse(&cx, s, strlen(s), inv_row, &r, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&r.b), "-|a|b|7:1-1|-|OS\n"
                                           "-|c|-|1-1|x86_64|OS\n");
    rp_buf_release(&r.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_ecosystem),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests_name("vuln_inv_rpm_manifest", tests, NULL, NULL);
}
