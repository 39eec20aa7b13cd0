/* SPDX-License-Identifier: Apache-2.0 */
/* npm package-lock.json / npm-shrinkwrap.json (src/vuln/vuln_inv_package_lock.c) over
 * hand-written fixtures (tests/fixtures/vuln/inv/npm-v1, npm-v2, npm-v3): lockfileVersion 1's
 * nested tree with aliases, git and file versions skipped; version 3's install paths (nested
 * and scoped names, "name" for aliases and workspaces, root and links skipped); version 2 read
 * from "packages" only; each (name, version) once; JSON and shape errors with their line;
 * detection by name; the callback's error stops the walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_inv.h"
#include "vuln_test_jspy.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_package_lock;
#define F (&rp_vuln_inv_package_lock)

static void test_v1_nested_tree(void **state)
{
    (void)state;
    jspy_file(F, INV "/npm-v1/package-lock.json",
              "npm|@babel/code-frame|-|7.12.13|-|NPM\n"
              "npm|debug|-|2.6.9|-|NPM\n"
              "npm|ms|-|2.0.0|-|NPM\n"
              "npm|express|-|4.17.1|-|NPM\n"
              "npm|ms|-|2.1.3|-|NPM\n"
              "npm|lodash|-|4.17.21|-|NPM\n"
              "npm|@types/node|-|20.10.0|-|NPM\n");
}

static void test_v3_packages(void **state)
{
    (void)state;
    jspy_file(F, INV "/npm-v3/package-lock.json",
              "npm|@types/node|-|20.10.0|-|NPM\n"
              "npm|express|-|4.18.2|-|NPM\n"
              "npm|debug|-|2.6.9|-|NPM\n"
              "npm|@other/x|-|1.0.0-beta.1|-|NPM\n"
              "npm|string-width|-|4.2.3|-|NPM\n"
              "npm|app-lib|-|0.1.0|-|NPM\n");
}

static void test_v2_shrinkwrap_reads_packages(void **state)
{
    (void)state;
    jspy_file(F, INV "/npm-v2/npm-shrinkwrap.json", "npm|minimist|-|1.2.8|-|NPM\n");
}

static void test_errors(void **state)
{
    (void)state;
    jspy_fails(F, "app/package-lock.json", "{\n  \"packages\": {\n    \"a\": x\n", RP_EPARSE,
               "app/package-lock.json:3: json: unexpected character 'x' at offset 27");
    jspy_fails(F, "app/package-lock.json", "", RP_EPARSE,
               "app/package-lock.json:1: json: unexpected end of input at offset 0");
    jspy_fails(F, "app/package-lock.json", "{\"name\": \"app\", \"lockfileVersion\": 3}", RP_EPARSE,
               "app/package-lock.json:1: not a package-lock: no 'packages' or 'dependencies' "
               "object");
    jspy_fails(F, "app/package-lock.json", "[1, 2]", RP_EPARSE,
               "app/package-lock.json:1: not a package-lock: no 'packages' or 'dependencies' "
               "object");
    jspy_fails(F, "app/package-lock.json", "{\"packages\": []}", RP_EPARSE,
               "app/package-lock.json:1: not a package-lock: no 'packages' or 'dependencies' "
               "object");
}

static void test_empty_and_damaged(void **state)
{
    (void)state;
    jspy_rows(F, "package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}", "");
    /* a NUL inside a name, an empty version and a nested "dependencies" that is not an
     * object are damaged entries */
    jspy_rows(F, "package-lock.json",
              "{\"dependencies\": {\"a\\u0000b\": {\"version\": \"1.0.0\"}, "
              "\"c\": {\"version\": \"\"}, \"d\": {\"version\": \"1.0.0\", \"dependencies\": 5}, "
              "\"e\": {\"version\": \"npm:@\"}}}",
              "npm|d|-|1.0.0|-|NPM\n");
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(F->detect("/srv/app/package-lock.json", "{", 1));
    assert_true(F->detect("npm-shrinkwrap.json", "", 0));
    assert_false(F->detect("/srv/app/package.json", "{", 1));
    assert_false(F->detect("/srv/app/package-lock.json.bak", "{", 1));
    assert_false(F->detect("/srv/app/yarn.lock", "", 0));
    assert_ptr_equal(inv_format("package-lock"), F);
}

static void test_callback_error_stops(void **state)
{
    (void)state;
    rp_err rc = RP_OK;
    struct rp_errbuf eb = {0};
    char *rows = inv_parse(F, INV "/npm-v3/package-lock.json", NULL, 2, &rc, &eb);
    assert_int_equal(rc, RP_ELIMIT);
    assert_string_equal(eb.msg, "stop at 'debug'");
    assert_string_equal(rows, "npm|@types/node|-|20.10.0|-|NPM\nnpm|express|-|4.18.2|-|NPM\n");
    free(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_nested_tree),
        cmocka_unit_test(test_v3_packages),
        cmocka_unit_test(test_v2_shrinkwrap_reads_packages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_empty_and_damaged),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_callback_error_stops),
    };
    return cmocka_run_group_tests_name("vuln_inv_package_lock", tests, NULL, NULL);
}
