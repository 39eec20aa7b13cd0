/* SPDX-License-Identifier: Apache-2.0 */
/* pip requirements files (src/vuln/vuln_inv_requirements.c) over a hand-written fixture
 * (tests/fixtures/vuln/inv/python/requirements.txt): pinned lines only, with spaces around
 * "==", extras, environment markers, comments, continued lines carrying --hash options and
 * "==="; options, ranges, wildcards, URLs and invalid names skipped; each (name, version)
 * once; the refusal of a file holding a NUL byte; detection by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"
#include "vuln_test_jspy.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_requirements;
#define F (&rp_vuln_inv_requirements)

static void test_fixture(void **state)
{
    (void)state;
    jspy_file(F, INV "/python/requirements.txt",
              "PyPI|requests|-|2.31.0|-|PIP\n"
              "PyPI|Django|-|4.2.7|-|PIP\n"
              "PyPI|urllib3|-|1.26.18|-|PIP\n"
              "PyPI|cryptography|-|41.0.7|-|PIP\n"
              "PyPI|zope.interface|-|6.1|-|PIP\n"
              "PyPI|typing_extensions|-|4.9.0|-|PIP\n");
}

static void test_lines(void **state)
{
    (void)state;
    /* a '#' inside a token is not a comment; a trailing '\' on the last line; CRLF */
    jspy_rows(F, "requirements.txt", "a==1.0#x\r\nb==2.0 \\", "PyPI|b|-|2.0|-|PIP\n");
    jspy_rows(F, "requirements.txt", "Pillow==10.0.0 --hash=sha256:00\r\nx==1!2.0+local\n",
              "PyPI|Pillow|-|10.0.0|-|PIP\nPyPI|x|-|1!2.0+local|-|PIP\n");
    jspy_rows(F, "requirements.txt", "name[extra==1.0\nc ==\n== 1.0\n", "");
    jspy_rows(F, "requirements.txt", "", "");
}

static void test_errors(void **state)
{
    (void)state;
    static const char bin[] = "a==1\nb==2\x00\n";
    size_t n = sizeof bin - 1;
    char *data = malloc(n);
    assert_non_null(data);
    memcpy(data, bin, n);
    struct inv_rows r = {.path = "requirements.txt"};
    rp_buf_init(&r.b, 0);
    struct rp_vuln_inv_ctx cx = {.path = "requirements.txt"};
    struct rp_errbuf eb = {0};
    assert_int_equal(F->parse(&cx, data, n, inv_row, &r, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "requirements.txt:2: not a requirements file: NUL byte");
    assert_int_equal(r.b.len, 0);
    rp_buf_release(&r.b);
    free(data);
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(F->detect("/app/requirements.txt", "", 0));
    assert_true(F->detect("/app/requirements-dev.txt", "", 0));
    assert_true(F->detect("requirements_test.txt", "", 0));
    assert_false(F->detect("/app/requirements.in", "", 0));
    assert_false(F->detect("/app/dev-requirements.txt", "", 0));
    assert_false(F->detect("/app/requirements/base.txt", "", 0));
    assert_ptr_equal(inv_format("requirements"), F);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_requirements", tests, NULL, NULL);
}
