/* SPDX-License-Identifier: Apache-2.0 */
/* yarn.lock (src/vuln/vuln_inv_yarn_lock.c) over hand-written fixtures
 * (tests/fixtures/vuln/inv/yarn-v1, yarn-berry): v1 headers with several quoted and unquoted
 * specs, scoped names, an alias reported under its real name, git specs and damaged headers
 * skipped; Berry entries taken from their npm resolutions (workspace and patch resolutions
 * skipped, __metadata ignored); each (name, version) once; the refusal of a file that does not
 * start with an entry header; detection by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"
#include "vuln_test_jspy.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_yarn_lock;
#define F (&rp_vuln_inv_yarn_lock)

static void test_v1(void **state)
{
    (void)state;
    jspy_file(F, INV "/yarn-v1/yarn.lock",
              "npm|@babel/code-frame|-|7.12.13|-|YARN\n"
              "npm|debug|-|2.6.9|-|YARN\n"
              "npm|debug|-|4.3.4|-|YARN\n"
              "npm|lodash|-|4.17.21|-|YARN\n"
              "npm|ms|-|2.1.2|-|YARN\n");
}

static void test_berry(void **state)
{
    (void)state;
    jspy_file(F, INV "/yarn-berry/yarn.lock",
              "npm|@babel/code-frame|-|7.12.13|-|YARN\n"
              "npm|lodash|-|4.17.21|-|YARN\n"
              "npm|resolve|-|1.22.8|-|YARN\n"
              "npm|typescript|-|5.3.3|-|YARN\n");
}

static void test_v1_details(void **state)
{
    (void)state;
    /* CRLF line ends, a last line without '\n', an unquoted version, deeper indentation
     * ignored, an entry without '@' in its spec skipped */
    jspy_rows(F, "yarn.lock",
              "a@^1:\r\n  version \"1.0.0\"\r\n\r\nnoat:\n  version \"2.0.0\"\n"
              "b@~2, b@^2:\n    version \"9.9.9\"\n  version 2.1.0",
              "npm|a|-|1.0.0|-|YARN\nnpm|b|-|2.1.0|-|YARN\n");
    /* Berry without a resolution: the header's protocol decides */
    jspy_rows(F, "yarn.lock",
              "\"c@npm:^1\":\n  version: 1.5.0\n\"d@workspace:pkgs/d\":\n  version: 0.0.0\n"
              "\"e@file:../e\":\n  version: 1.0.0\n",
              "npm|c|-|1.5.0|-|YARN\n");
    jspy_rows(F, "yarn.lock", "", "");
    jspy_rows(F, "yarn.lock", "# yarn lockfile v1\n\n", "");
}

static void test_errors(void **state)
{
    (void)state;
    jspy_fails(F, "web/yarn.lock", "# yarn lockfile v1\n\n{\"lockfileVersion\": 3}\n", RP_EPARSE,
               "web/yarn.lock:3: not a yarn.lock: expected an entry header ending with ':'");
    jspy_fails(F, "web/yarn.lock", "  version \"1.0.0\"\nlodash\n", RP_EPARSE,
               "web/yarn.lock:2: not a yarn.lock: expected an entry header ending with ':'");
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(F->detect("/srv/web/yarn.lock", "", 0));
    assert_true(F->detect("yarn.lock", "", 0));
    assert_false(F->detect("/srv/web/yarn.lock.orig", "", 0));
    assert_false(F->detect("/srv/web/package-lock.json", "", 0));
    assert_ptr_equal(inv_format("yarn-lock"), F);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1),         cmocka_unit_test(test_berry),
        cmocka_unit_test(test_v1_details), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_yarn_lock", tests, NULL, NULL);
}
