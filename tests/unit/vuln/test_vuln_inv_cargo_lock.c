/* SPDX-License-Identifier: Apache-2.0 */
/* The Cargo.lock inventory (src/vuln/vuln_inv_cargo_lock.c): [[package]] tables in order,
 * multi-line arrays and other tables skipped, a package without version skipped, and the
 * exact error of a line that is not TOML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_cargo_lock;
#define F (&rp_vuln_inv_cargo_lock)

static void test_packages(void **state)
{
    (void)state;
    inv_expect(F, "cargo/Cargo.lock",
               "crates.io|app|-|0.1.0|-|CARGO|Cargo.lock\n"
               "crates.io|serde|-|1.0.188|-|CARGO|Cargo.lock\n"
               "crates.io|smallvec|-|1.11.0|-|CARGO|Cargo.lock\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(F, "cargo/bad/Cargo.lock", "ERR RP_EPARSE cargo/bad/Cargo.lock:5: not TOML");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    assert_true(F->detect("/src/Cargo.lock", "", 0));
    assert_false(F->detect("/src/cargo.lock", "", 0));
    assert_false(F->detect("/src/Cargo.toml", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_cargo_lock", tests, NULL, NULL);
}
