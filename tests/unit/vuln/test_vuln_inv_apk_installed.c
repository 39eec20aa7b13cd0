/* SPDX-License-Identifier: Apache-2.0 */
/* The apk database inventory (src/vuln/vuln_inv_apk_installed.c) over hand-written fixtures
 * in tests/fixtures/vuln/inv: detection by path, P/V/A/o records with the other keys skipped,
 * origin as match_name (only when it differs), damaged records skipped (bad version, no name,
 * a line that is not "X:value"), the ecosystem from os-release or "Alpine", broken files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"

#define DB INV "/alpine/lib/apk/db/installed"

static void test_detect(void **state)
{
    (void)state;
    const struct rp_vuln_inventory_format *f = inv_format("apk-installed");
    assert_ptr_equal(f, &rp_vuln_inv_apk_installed);
    assert_true(f->detect("/lib/apk/db/installed", "", 0));
    assert_true(f->detect("lib/apk/db/installed", NULL, 0));
    assert_true(f->detect("/img/rootfs/lib/apk/db/installed", "", 0));
    assert_false(f->detect("/lib/apk/db/installed.old", "", 0));
    assert_false(f->detect("/xlib/apk/db/installed", "", 0));
    assert_false(f->detect("/lib/apk/db/triggers", "", 0));
    assert_false(f->detect("/var/lib/dpkg/status", "", 0));
}

static void test_installed(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_EINTERNAL;
    char *got = inv_parse(&rp_vuln_inv_apk_installed, DB, "Alpine:v3.19", 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(got, "Alpine:v3.19|musl|-|1.2.4_git20230717-r4|x86_64|OS\n"
                             "Alpine:v3.19|libcrypto3|openssl|3.1.4-r5|x86_64|OS\n"
                             "Alpine:v3.19|ssl_client|busybox|1.36.1-r15|x86_64|OS\n"
                             "Alpine:v3.19|busybox|-|1.36.1-r15|x86_64|OS\n");
    free(got);
}

static void test_ecosystem(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc = RP_OK;
    char *got = inv_parse(&rp_vuln_inv_apk_installed, DB, NULL, 1, &rc, &eb);
    assert_int_equal(rc, RP_ELIMIT);
    assert_string_equal(eb.msg, "stop at 'libcrypto3'");
    assert_string_equal(got, "Alpine|musl|-|1.2.4_git20230717-r4|x86_64|OS\n");
    free(got);
    got = inv_parse(&rp_vuln_inv_apk_installed, DB, "Debian:12", 1, &rc, &eb);
    assert_string_equal(got, "Alpine|musl|-|1.2.4_git20230717-r4|x86_64|OS\n");
    free(got);
    got = inv_parse(&rp_vuln_inv_apk_installed, DB, "Alpine", 1, &rc, &eb);
    assert_string_equal(got, "Alpine|musl|-|1.2.4_git20230717-r4|x86_64|OS\n");
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
    char *got =
        inv_parse(&rp_vuln_inv_apk_installed, INV "/broken/apk-installed", NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_EPARSE);
    assert_string_equal(eb.msg, INV "/broken/apk-installed:1: expected 'X:value'");
    assert_string_equal(got, "");
    free(got);
    struct rp_vuln_inv_ctx cx = {0};
    assert_int_equal(rp_vuln_inv_apk_installed.parse(&cx, NULL, 0, never, NULL, &eb), RP_OK);
    const char nul[] = "P:a\nV:1.0-r0\n\nP:b\0\n";
    assert_int_equal(rp_vuln_inv_apk_installed.parse(&cx, nul, sizeof nul - 1, never, NULL, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "apk-installed:4: NUL byte, not an apk database");
    /* a repeated key damages its record; a last record without newline is read */
    const char *s = "P:a\nP:b\nV:1.0-r0\n\nP:c\nV:2.0-r1";
    struct inv_rows r = {.path = NULL};
    rp_buf_init(&r.b, 1024);
    assert_int_equal(rp_vuln_inv_apk_installed.parse(&cx, s, strlen(s), inv_row, &r, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&r.b), "Alpine|c|-|2.0-r1|-|OS\n");
    rp_buf_release(&r.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_installed),
        cmocka_unit_test(test_ecosystem),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests_name("vuln_inv_apk_installed", tests, NULL, NULL);
}
