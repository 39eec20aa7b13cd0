/* SPDX-License-Identifier: Apache-2.0 */
/* The composer.lock inventory (src/vuln/vuln_inv_composer_lock.c): packages then
 * packages-dev, a leading v stripped, an entry without version skipped, and the exact errors
 * of broken JSON and of JSON that is not a lock file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_composer_lock;
#define F (&rp_vuln_inv_composer_lock)

static void test_packages(void **state)
{
    (void)state;
    inv_expect(F, "composer/composer.lock",
               "Packagist|symfony/http-foundation|-|5.4.1|-|COMPOSER|composer.lock\n"
               "Packagist|guzzlehttp/guzzle|-|7.8.0|-|COMPOSER|composer.lock\n"
               "Packagist|acme/branch|-|dev-main|-|COMPOSER|composer.lock\n"
               "Packagist|phpunit/phpunit|-|9.6.13|-|COMPOSER|composer.lock\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(
        F, "composer/bad/composer.lock",
        "ERR RP_EPARSE composer/bad/composer.lock:3: json: unexpected character '}' at offset 35");
    inv_expect(
        F, "composer/notlock/composer.lock",
        "ERR RP_EPARSE composer/notlock/composer.lock:1: not a composer.lock: no 'packages' array");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    assert_true(F->detect("/srv/www/composer.lock", "", 0));
    assert_false(F->detect("/srv/www/composer.json", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_composer_lock", tests, NULL, NULL);
}
