/* SPDX-License-Identifier: Apache-2.0 */
/* The SPDX inventory (src/vuln/vuln_inv_spdx.c): packages with a purl external reference in
 * order (other reference types ignored, packages without one skipped), versionInfo when the
 * purl has no version, and the exact error of a document that is not SPDX 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_spdx;
#define F (&rp_vuln_inv_spdx)

static void test_packages(void **state)
{
    (void)state;
    inv_expect(F, "sbom/app.spdx.json",
               "npm|lodash|-|4.17.21|-|NPM|app.spdx.json\n"
               "Ubuntu:22.04|zlib1g|zlib|1:1.2.13.dfsg-1|amd64|OS|app.spdx.json\n"
               "Maven|spring-core|org.springframework:spring-core|5.3.27|-|POM|app.spdx.json\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(F, "sbom/bad/wrong.spdx.json",
               "ERR RP_EPARSE sbom/bad/wrong.spdx.json:1: not an SPDX 2 document: no spdxVersion "
               "'SPDX-2.x'");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    static const char head[] = "{\"spdxVersion\": \"SPDX-2.3\"";
    assert_true(F->detect("/x/app.spdx.json", "", 0));
    assert_true(F->detect("/x/sbom.json", head, sizeof head - 1));
    assert_false(F->detect("/x/sbom.json", "{}", 2));
    assert_false(F->detect("/x/app.spdx", head, sizeof head - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_spdx", tests, NULL, NULL);
}
