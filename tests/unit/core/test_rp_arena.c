/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_arena: alignment, growth, big blocks, reset, caps and the
 * allocation-failure hook. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_arena.h"

static void test_arena_alloc_aligned_and_distinct(void **state)
{
    (void)state;
    struct rp_arena a;
    rp_arena_init(&a, 1024);
    char *prev = NULL;
    for (int i = 1; i < 200; i++) {
        char *p = rp_arena_alloc(&a, (size_t)i % 37 + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, (size_t)i % 37 + 1);
        assert_ptr_not_equal(p, prev);
        prev = p;
    }
    rp_arena_release(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
}

static void test_arena_big_alloc_keeps_head_block(void **state)
{
    (void)state;
    struct rp_arena a;
    rp_arena_init(&a, 1024);
    char *small1 = rp_arena_alloc(&a, 16);
    char *big = rp_arena_alloc(&a, 100000);
    char *small2 = rp_arena_alloc(&a, 16);
    assert_non_null(small1);
    assert_non_null(big);
    /* the big request got its own block; the next small one continues the head block */
    assert_ptr_equal(small2, small1 + 16);
    memset(big, 1, 100000);
    assert_int_equal(a.total, 1024 + 100000);
    rp_arena_release(&a);
}

static void test_arena_strings(void **state)
{
    (void)state;
    struct rp_arena a;
    rp_arena_init(&a, 0);
    char *s = rp_arena_memdup(&a, "abc\0def", 7);
    assert_memory_equal(s, "abc\0def", 8);
    assert_string_equal(rp_arena_strdup(&a, "hello"), "hello");
    assert_string_equal(rp_arena_printf(&a, "%s-%d", "x", 42), "x-42");
    char *z = rp_arena_zalloc(&a, 64);
    for (int i = 0; i < 64; i++) assert_int_equal(z[i], 0);
    rp_arena_release(&a);
}

static void test_arena_reset_reuses_block(void **state)
{
    (void)state;
    struct rp_arena a;
    rp_arena_init(&a, 4096);
    char *first = rp_arena_alloc(&a, 100);
    for (int i = 0; i < 100; i++) assert_non_null(rp_arena_alloc(&a, 100)); /* grows */
    assert_true(a.total > 4096);
    rp_arena_reset(&a);
    assert_int_equal(a.total, 4096);
    char *again = rp_arena_alloc(&a, 100);
    assert_non_null(again);
    (void)first;
    rp_arena_release(&a);
}

static void test_arena_max_caps_total(void **state)
{
    (void)state;
    struct rp_arena a;
    rp_arena_init(&a, 1024);
    a.max = 4096;
    int ok = 0;
    while (rp_arena_alloc(&a, 512)) ok++;
    assert_int_equal(ok, 8); /* four 1 KiB blocks of two 512-byte allocations */
    assert_null(rp_arena_alloc(&a, 10000));
    rp_arena_release(&a);
}

static void test_arena_alloc_failure_hook(void **state)
{
    (void)state;
    struct rp_arena a;
    rp_arena_init(&a, 1024);
    rp_arena_test_fail_after(1);
    assert_non_null(rp_arena_alloc(&a, 600));
    assert_null(rp_arena_alloc(&a, 600)); /* second block refused */
    assert_null(rp_arena_strdup(&a, "a string that needs a block of its own........................"
                                    "......................................................."
                                    "......................................................."
                                    "......................................................."
                                    "......................................................."));
    rp_arena_test_fail_after(-1);
    assert_non_null(rp_arena_alloc(&a, 600));
    rp_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alloc_aligned_and_distinct),
        cmocka_unit_test(test_arena_big_alloc_keeps_head_block),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_arena_reset_reuses_block),
        cmocka_unit_test(test_arena_max_caps_total),
        cmocka_unit_test(test_arena_alloc_failure_hook),
    };
    return cmocka_run_group_tests_name("core_arena", tests, NULL, NULL);
}
