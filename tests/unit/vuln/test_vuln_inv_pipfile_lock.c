/* SPDX-License-Identifier: Apache-2.0 */
/* Pipfile.lock (src/vuln/vuln_inv_pipfile_lock.c) over a hand-written fixture
 * (tests/fixtures/vuln/inv/python/Pipfile.lock): "default" then "develop", "==" removed,
 * git/editable entries, ranges and non-string versions skipped, a package in both maps
 * reported once; JSON and shape errors; detection by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"
#include "vuln_test_jspy.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_pipfile_lock;
#define F (&rp_vuln_inv_pipfile_lock)

static void test_fixture(void **state)
{
    (void)state;
    jspy_file(F, INV "/python/Pipfile.lock",
              "PyPI|certifi|-|2023.11.17|-|PIPENV\n"
              "PyPI|requests|-|2.31.0|-|PIPENV\n"
              "PyPI|pytest|-|7.4.3|-|PIPENV\n");
}

static void test_details(void **state)
{
    (void)state;
    jspy_rows(F, "Pipfile.lock",
              "{\"develop\": {\"a\": {\"version\": \"===1.0\"}, \"b\": {\"version\": \"==1.*\"},"
              " \"c\": {\"version\": \"== 2.0 \"}, \"d\": {\"version\": \"==\"}}}",
              "PyPI|a|-|1.0|-|PIPENV\nPyPI|c|-|2.0|-|PIPENV\n");
    jspy_rows(F, "Pipfile.lock", "{\"default\": {}, \"develop\": 3}", "");
}

static void test_errors(void **state)
{
    (void)state;
    jspy_fails(F, "Pipfile.lock", "{\n\"default\": {\n}", RP_EPARSE,
               "Pipfile.lock:3: json: unexpected end of input at offset 16");
    jspy_fails(F, "Pipfile.lock", "{\"_meta\": {}}", RP_EPARSE,
               "Pipfile.lock:1: not a Pipfile.lock: no 'default' or 'develop' object");
    jspy_fails(F, "Pipfile.lock", "\"default\"", RP_EPARSE,
               "Pipfile.lock:1: not a Pipfile.lock: no 'default' or 'develop' object");
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(F->detect("/app/Pipfile.lock", "", 0));
    assert_false(F->detect("/app/Pipfile", "", 0));
    assert_false(F->detect("/app/pipfile.lock", "", 0));
    assert_ptr_equal(inv_format("pipfile-lock"), F);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_details),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_pipfile_lock", tests, NULL, NULL);
}
