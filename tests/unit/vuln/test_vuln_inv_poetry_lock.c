/* SPDX-License-Identifier: Apache-2.0 */
/* poetry.lock (src/vuln/vuln_inv_poetry_lock.c) over a hand-written fixture
 * (tests/fixtures/vuln/inv/python/poetry.lock): [[package]] names and versions in order,
 * multi-line arrays and strings stepped over (a "name =" inside a multi-line description is
 * not read), sub-tables' keys ignored, git sources skipped and legacy indexes kept, a package
 * without a version and a damaged line skipped; the refusal of a file that starts with
 * neither a table nor a key; detection by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"
#include "vuln_test_jspy.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_poetry_lock;
#define F (&rp_vuln_inv_poetry_lock)

static void test_fixture(void **state)
{
    (void)state;
    jspy_file(F, INV "/python/poetry.lock",
              "PyPI|certifi|-|2023.11.17|-|POETRY\n"
              "PyPI|Django|-|4.2.7|-|POETRY\n"
              "PyPI|private-pkg|-|1.0.0|-|POETRY\n"
              "PyPI|urllib3|-|2.1.0|-|POETRY\n");
}

static void test_details(void **state)
{
    (void)state;
    /* strings with brackets and quotes inside do not open arrays; a literal multi-line
     * string; an escaped quote in a basic string; a duplicate package */
    jspy_rows(F, "poetry.lock",
              "[[package]]\nname = \"a\"\nversion = \"1.0\"\ndescription = \"[{ \\\" '''\"\n"
              "[[package]]\nname = \"b\"\nnotes = '''\n[[package]]\nname = \"c\"\n'''\n"
              "version = \"2.0\"\n"
              "[[package]]\nname = \"a\"\nversion = \"1.0\"\n"
              "[[package]]\nname = \"d\\u0041\"\nversion = \"1.0\"\n",
              "PyPI|a|-|1.0|-|POETRY\nPyPI|b|-|2.0|-|POETRY\n");
    jspy_rows(F, "poetry.lock", "", "");
    jspy_rows(F, "poetry.lock", "[metadata]\nlock-version = \"2.0\"\n", "");
}

static void test_errors(void **state)
{
    (void)state;
    jspy_fails(F, "svc/poetry.lock", "# generated\n\n{\"default\": {}}\n", RP_EPARSE,
               "svc/poetry.lock:3: not a poetry.lock: expected a table header or 'key = value'");
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(F->detect("/svc/poetry.lock", "", 0));
    assert_false(F->detect("/svc/pyproject.toml", "", 0));
    assert_false(F->detect("/svc/Pipfile.lock", "", 0));
    assert_ptr_equal(inv_format("poetry-lock"), F);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_details),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_poetry_lock", tests, NULL, NULL);
}
