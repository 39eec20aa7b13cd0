/* SPDX-License-Identifier: Apache-2.0 */
/* The Maven pom inventory (src/vuln/vuln_inv_pom.c): dependencyManagement and dependencies in
 * document order, properties resolved (nested, project.* from the parent), undefined
 * properties, missing versions and ranges skipped, an exact [x] range kept, and the exact
 * errors of broken XML and of a document that is not a pom. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_pom;
#define F (&rp_vuln_inv_pom)

static void test_packages(void **state)
{
    (void)state;
    inv_expect(
        F, "pom/pom.xml",
        "Maven|spring-core|org.springframework:spring-core|5.3.27|-|POM|pom.xml\n"
        "Maven|jackson-databind|com.fasterxml.jackson.core:jackson-databind|2.15.2|-|POM|pom.xml\n"
        "Maven|log4j-core|org.apache.logging.log4j:log4j-core|2.14.1|-|POM|pom.xml\n"
        "Maven|sibling|com.example:sibling|3.1.0|-|POM|pom.xml\n"
        "Maven|junit|junit:junit|4.13.2|-|POM|pom.xml\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(F, "pom/bad/pom.xml",
               "ERR RP_EPARSE pom/bad/pom.xml:4: xml: Opening and ending tag mismatch: dependency "
               "line 3 and dependencies");
    inv_expect(F, "pom/notpom/pom.xml",
               "ERR RP_EPARSE pom/notpom/pom.xml:2: not a pom: root element 'settings'");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    assert_true(F->detect("/app/pom.xml", "", 0));
    assert_true(F->detect("/m2/log4j-core-2.14.1.pom", "", 0));
    assert_false(F->detect("/app/build.xml", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_pom", tests, NULL, NULL);
}
