/* SPDX-License-Identifier: Apache-2.0 */
/* The Go modules inventory (src/vuln/vuln_inv_go_mod.c) over hand-written fixtures in
 * tests/fixtures/vuln/inv/go: require lines and blocks, comments ignored, replace directives
 * (unversioned, versioned winning, local directories left alone), go.sum once per module
 * version, damaged entries skipped, and the exact errors of files that are not go.mod/go.sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_go_mod;
#define F (&rp_vuln_inv_go_mod)

static void test_go_mod(void **state)
{
    (void)state;
    inv_expect(F, "go/go.mod",
               "Go|github.com/pkg/errors|-|v0.9.1|-|GOMOD|go.mod\n"
               "Go|golang.org/x/net|-|v0.17.0|-|GOMOD|go.mod\n"
               "Go|golang.org/x/text|-|v0.13.0|-|GOMOD|go.mod\n"
               "Go|github.com/quoted/mod|-|v1.0.0|-|GOMOD|go.mod\n"
               "Go|github.com/new/thing|-|v1.4.2|-|GOMOD|go.mod\n"
               "Go|github.com/local/thing|-|v0.1.0|-|GOMOD|go.mod\n"
               "Go|github.com/pinned/one|-|v1.0.5|-|GOMOD|go.mod\n");
}

static void test_go_sum(void **state)
{
    (void)state;
    inv_expect(F, "go/go.sum",
               "Go|github.com/pkg/errors|-|v0.9.1|-|GOMOD|go.sum\n"
               "Go|golang.org/x/net|-|v0.16.0|-|GOMOD|go.sum\n"
               "Go|golang.org/x/net|-|v0.17.0|-|GOMOD|go.sum\n"
               "Go|golang.org/x/text|-|v0.13.0|-|GOMOD|go.sum\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(F, "go/bad/go.mod", "ERR RP_EPARSE go/bad/go.mod:3: unknown directive 'frobnicate'");
    inv_expect(F, "go/open/go.mod", "ERR RP_EPARSE go/open/go.mod:3: unterminated block");
    inv_expect(F, "go/badsum/go.sum", "ERR RP_EPARSE go/badsum/go.sum:1: not a go.sum line");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    assert_true(F->detect("/src/app/go.mod", "", 0));
    assert_true(F->detect("go.sum", "", 0));
    assert_false(F->detect("/src/app/go.mod.bak", "", 0));
    assert_false(F->detect("/src/app/Cargo.lock", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_mod),
        cmocka_unit_test(test_go_sum),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests_name("vuln_inv_go_mod", tests, NULL, NULL);
}
