/* SPDX-License-Identifier: Apache-2.0 */
/* The dpkg status inventory (src/vuln/vuln_inv_dpkg_status.c) over hand-written fixtures in
 * tests/fixtures/vuln/inv: detection by path (status, status.d files but not their md5sums),
 * installed packages only (held ones too), Source names with and without "(version)",
 * continuation lines, damaged stanzas skipped, status.d stanzas without Status, the ecosystem
 * taken from os-release or defaulted, broken files with their messages, callback errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"

#define STATUS INV "/debian/var/lib/dpkg/status"

static void test_detect(void **state)
{
    (void)state;
    const struct rp_vuln_inventory_format *f = inv_format("dpkg-status");
    assert_ptr_equal(f, &rp_vuln_inv_dpkg_status);
    assert_true(f->detect("/var/lib/dpkg/status", "", 0));
    assert_true(f->detect("var/lib/dpkg/status", "", 0));
    assert_true(f->detect("/mnt/img/var/lib/dpkg/status", NULL, 0));
    assert_true(f->detect("/var/lib/dpkg/status.d/libssl3", "", 0));
    assert_true(f->detect("layer/var/lib/dpkg/status.d/base-files", "", 0));
    assert_false(f->detect("/var/lib/dpkg/status.d/base-files.md5sums", "", 0));
    assert_false(f->detect("/var/lib/dpkg/status.d/", "", 0));
    assert_false(f->detect("/var/lib/dpkg/status.d/sub/x", "", 0));
    assert_false(f->detect("/var/lib/dpkg/status-old", "", 0));
    assert_false(f->detect("/myvar/lib/dpkg/status", "", 0));
    assert_false(f->detect("/var/lib/dpkg/available", "", 0));
    assert_false(f->detect("/lib/apk/db/installed", "", 0));
}

static void test_status(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_EINTERNAL;
    char *got = inv_parse(&rp_vuln_inv_dpkg_status, STATUS, "Debian:12", 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(got, "Debian:12|base-files|-|12.4+deb12u5|amd64|OS\n"
                             "Debian:12|libssl3|openssl|3.0.11-1~deb12u2|amd64|OS\n"
                             "Debian:12|libc6|glibc|2.36-9+deb12u4+b1|amd64|OS\n"
                             "Debian:12|libc6|glibc|2.36-9+deb12u4+b1|i386|OS\n"
                             "Debian:12|openssh-client|openssh|1:9.2p1-2+deb12u2|amd64|OS\n"
                             "Debian:12|tzdata|-|2024a-0+deb12u1|all|OS\n");
    free(got);
}

static void test_ecosystem(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_EINTERNAL;
    /* Ubuntu's release is kept; no os-release, or another OS's, gives plain "Debian" */
    char *got = inv_parse(&rp_vuln_inv_dpkg_status, STATUS, "Ubuntu:22.04:LTS", 1, &rc, &eb);
    assert_int_equal(rc, RP_ELIMIT);
    assert_string_equal(eb.msg, "stop at 'libssl3'");
    assert_string_equal(got, "Ubuntu:22.04:LTS|base-files|-|12.4+deb12u5|amd64|OS\n");
    free(got);
    got = inv_parse(&rp_vuln_inv_dpkg_status, STATUS, NULL, 1, &rc, &eb);
    assert_string_equal(got, "Debian|base-files|-|12.4+deb12u5|amd64|OS\n");
    free(got);
    got = inv_parse(&rp_vuln_inv_dpkg_status, STATUS, "Alpine:v3.19", 1, &rc, &eb);
    assert_string_equal(got, "Debian|base-files|-|12.4+deb12u5|amd64|OS\n");
    free(got);
    got = inv_parse(&rp_vuln_inv_dpkg_status, STATUS, "Debianx", 1, &rc, &eb);
    assert_string_equal(got, "Debian|base-files|-|12.4+deb12u5|amd64|OS\n");
    free(got);
}

static void test_status_d(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_EINTERNAL;
    char *got = inv_parse(&rp_vuln_inv_dpkg_status, INV "/distroless/var/lib/dpkg/status.d/libssl3",
                          NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(got, "Debian|libssl3|openssl|3.0.11-1~deb12u2|amd64|OS\n");
    free(got);
}

static void test_broken(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_OK;
    char *got = inv_parse(&rp_vuln_inv_dpkg_status, INV "/broken/dpkg-status", NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_EPARSE);
    assert_string_equal(eb.msg, INV "/broken/dpkg-status:2: expected 'Field: value'");
    assert_string_equal(got, "");
    free(got);
    got = inv_parse(&rp_vuln_inv_dpkg_status, INV "/broken/dpkg-nul", NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_EPARSE);
    assert_string_equal(eb.msg, INV "/broken/dpkg-nul:2: NUL byte, not a dpkg status file");
    assert_string_equal(got, "");
    free(got);
    /* junk after a first stanza only damages its stanza */
    got = inv_parse(&rp_vuln_inv_dpkg_status, INV "/broken/dpkg-late-junk", NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(got, "");
    free(got);
}

static rp_err never(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)p;
    (void)ctx;
    return rp_fail(eb, RP_EINTERNAL, "called");
}

static void test_edges(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    struct rp_vuln_inv_ctx cx = {.path = NULL, .os_ecosystem = NULL};
    /* empty input: no packages; a continuation first: broken, named by a default file */
    assert_int_equal(rp_vuln_inv_dpkg_status.parse(&cx, NULL, 0, never, NULL, &eb), RP_OK);
    assert_int_equal(rp_vuln_inv_dpkg_status.parse(&cx, " x\n", 3, never, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "dpkg-status:1: continuation line before any field");
    /* outside status.d a stanza without Status is not reported */
    const char *s = "Package: a\nVersion: 1.0\n";
    assert_int_equal(rp_vuln_inv_dpkg_status.parse(&cx, s, strlen(s), never, NULL, &eb), RP_OK);
    /* an over-long field damages the stanza */
    char big[600];
    int k = snprintf(big, sizeof big, "Package: a\nStatus: install ok installed\nVersion: 1.");
    memset(big + k, '0', 400);
    assert_int_equal(rp_vuln_inv_dpkg_status.parse(&cx, big, (size_t)k + 400, never, NULL, &eb),
                     RP_OK);
    /* an upper-case package name is not a dpkg name */
    s = "Package: Abc\nStatus: install ok installed\nVersion: 1.0\n";
    assert_int_equal(rp_vuln_inv_dpkg_status.parse(&cx, s, strlen(s), never, NULL, &eb), RP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),    cmocka_unit_test(test_status),
        cmocka_unit_test(test_ecosystem), cmocka_unit_test(test_status_d),
        cmocka_unit_test(test_broken),    cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests_name("vuln_inv_dpkg_status", tests, NULL, NULL);
}
