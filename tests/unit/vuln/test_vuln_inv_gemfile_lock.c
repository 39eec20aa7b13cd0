/* SPDX-License-Identifier: Apache-2.0 */
/* The Gemfile.lock inventory (src/vuln/vuln_inv_gemfile_lock.c): GEM specs only (PATH and
 * GIT sources and dependency lines skipped), platform suffixes stripped, a damaged spec
 * skipped, and the exact error of a file that is not a lockfile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_gemfile_lock;
#define F (&rp_vuln_inv_gemfile_lock)

static void test_packages(void **state)
{
    (void)state;
    inv_expect(F, "gem/Gemfile.lock",
               "RubyGems|actionpack|-|7.0.8|-|BUNDLER|Gemfile.lock\n"
               "RubyGems|nokogiri|-|1.15.4|-|BUNDLER|Gemfile.lock\n"
               "RubyGems|racc|-|1.7.1|-|BUNDLER|Gemfile.lock\n"
               "RubyGems|rack|-|2.2.8|-|BUNDLER|Gemfile.lock\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(F, "gem/bad/Gemfile.lock",
               "ERR RP_EPARSE gem/bad/Gemfile.lock:1: not a Gemfile.lock section");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    assert_true(F->detect("/app/Gemfile.lock", "", 0));
    assert_true(F->detect("/app/gems.locked", "", 0));
    assert_false(F->detect("/app/Gemfile", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_gemfile_lock", tests, NULL, NULL);
}
