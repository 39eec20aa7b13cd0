/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_buf: appends, the hard cap, padding, take. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_buf.h"

static void test_buf_append_and_cstr(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_string_equal(rp_buf_cstr(&b), "");
    assert_int_equal(rp_buf_append_str(&b, "abc"), RP_OK);
    assert_int_equal(rp_buf_putc(&b, '-'), RP_OK);
    assert_int_equal(rp_buf_printf(&b, "%d/%s", 7, "x"), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "abc-7/x");
    assert_int_equal(b.len, 7);
    rp_buf_truncate(&b, 3);
    assert_string_equal(rp_buf_cstr(&b), "abc");
    rp_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(rp_buf_cstr(&b), "");
    rp_buf_release(&b);
}

static void test_buf_cap_refuses_and_keeps_contents(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 10);
    assert_int_equal(rp_buf_append(&b, "0123456789", 10), RP_OK);
    assert_int_equal(rp_buf_putc(&b, 'x'), RP_ELIMIT);
    assert_int_equal(rp_buf_printf(&b, "%s", "y"), RP_ELIMIT);
    assert_int_equal(rp_buf_append(&b, "z", 1), RP_ELIMIT);
    assert_int_equal(b.len, 10);
    assert_string_equal(rp_buf_cstr(&b), "0123456789");
    rp_buf_release(&b);
}

static void test_buf_padding_is_readable(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (int i = 0; i < 1000; i++) assert_int_equal(rp_buf_putc(&b, 'a'), RP_OK);
    assert_true(b.cap >= b.len);
    assert_int_equal(b.data[b.len], 0);
    /* RP_BUF_PADDING bytes past len are readable (ASan checks the reads) and the ones past
     * cap are zero */
    unsigned sum = 0;
    for (size_t i = 0; i <= RP_BUF_PADDING; i++) sum += (unsigned char)b.data[b.len + i];
    (void)sum;
    for (size_t i = 0; i < RP_BUF_PADDING; i++) assert_int_equal(b.data[b.cap + i], 0);
    rp_buf_truncate(&b, 10);
    assert_int_equal(b.data[10], 0);
    rp_buf_release(&b);
}

static void test_buf_take_moves_ownership(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, "owned"), RP_OK);
    size_t len = 0;
    char *p = rp_buf_take(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(p, "owned");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(p);
    assert_null(rp_buf_take(&b, &len));
    assert_int_equal(len, 0);
}

static void test_buf_reserve_overflow(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 100);
    assert_int_equal(rp_buf_reserve(&b, SIZE_MAX), RP_ELIMIT);
    assert_int_equal(rp_buf_reserve(&b, 100), RP_OK);
    assert_int_equal(rp_buf_reserve(&b, 101), RP_ELIMIT);
    rp_buf_release(&b);
}

static void test_buf_commit_after_reserve(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, "ab"), RP_OK);
    assert_int_equal(rp_buf_reserve(&b, 3), RP_OK);
    memcpy(b.data + b.len, "cde", 3);
    rp_buf_commit(&b, 3);
    assert_int_equal(b.len, 5);
    assert_string_equal(rp_buf_cstr(&b), "abcde");
    rp_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_append_and_cstr),
        cmocka_unit_test(test_buf_cap_refuses_and_keeps_contents),
        cmocka_unit_test(test_buf_padding_is_readable),
        cmocka_unit_test(test_buf_take_moves_ownership),
        cmocka_unit_test(test_buf_reserve_overflow),
        cmocka_unit_test(test_buf_commit_after_reserve),
    };
    return cmocka_run_group_tests_name("core_buf", tests, NULL, NULL);
}
