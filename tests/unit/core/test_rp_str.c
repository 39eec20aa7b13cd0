/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_str: slices, split, strict integers, strlcpy, redaction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_str.h"

static void test_str_compare(void **state)
{
    (void)state;
    struct rp_str s = {"Hello, world", 5};
    assert_true(rp_str_eq_cstr(s, "Hello"));
    assert_false(rp_str_eq_cstr(s, "Hello,"));
    assert_true(rp_str_eq_nocase(s, RP_STR_LIT("hELLO")));
    assert_true(rp_str_has_prefix(s, "He"));
    assert_false(rp_str_has_prefix(s, "Hello, "));
    assert_true(rp_str_has_suffix(rp_str_from("x.json.gz"), ".gz"));
    assert_false(rp_str_has_suffix(rp_str_from("x.json.GZ"), ".gz"));
    assert_true(rp_str_has_suffix_nocase(rp_str_from("x.json.GZ"), ".gz"));
    assert_true(rp_str_has_suffix_nocase(rp_str_from("Report.Docx"), ".DOCX"));
    assert_false(rp_str_has_suffix_nocase(rp_str_from("gz"), ".gz"));
    assert_false(rp_str_has_suffix_nocase(rp_str_from(NULL), ".gz"));
    assert_true(rp_str_eq(rp_str_from(NULL), RP_STR_LIT("")));
    struct rp_str t = rp_str_trim(rp_str_from(" \t x y \r\n"));
    assert_true(rp_str_eq_cstr(t, "x y"));
    assert_int_equal(rp_str_trim(rp_str_from("   ")).len, 0);
}

static void test_str_split_keeps_empty_tokens(void **state)
{
    (void)state;
    struct rp_str rest = rp_str_from("a,,b,"), tok;
    const char *want[] = {"a", "", "b", ""};
    size_t n = 0;
    while (rp_str_split_next(&rest, ',', &tok)) {
        assert_true(n < 4);
        assert_true(rp_str_eq_cstr(tok, want[n]));
        n++;
    }
    assert_int_equal(n, 4);
    rest = rp_str_from("");
    assert_true(rp_str_split_next(&rest, ',', &tok));
    assert_int_equal(tok.len, 0);
    assert_false(rp_str_split_next(&rest, ',', &tok));
}

static void test_str_integers_are_strict(void **state)
{
    (void)state;
    int64_t i;
    uint64_t u;
    assert_int_equal(rp_str_to_i64(rp_str_from("-42"), &i), RP_OK);
    assert_int_equal(i, -42);
    assert_int_equal(rp_str_to_i64(rp_str_from("+7"), &i), RP_OK);
    assert_int_equal(i, 7);
    assert_int_equal(rp_str_to_i64(rp_str_from("9223372036854775807"), &i), RP_OK);
    assert_true(i == INT64_MAX);
    assert_int_equal(rp_str_to_i64(rp_str_from("-9223372036854775808"), &i), RP_OK);
    assert_true(i == INT64_MIN);
    assert_int_equal(rp_str_to_i64(rp_str_from("9223372036854775808"), &i), RP_ELIMIT);
    assert_int_equal(rp_str_to_u64(rp_str_from("18446744073709551615"), &u), RP_OK);
    assert_true(u == UINT64_MAX);
    assert_int_equal(rp_str_to_u64(rp_str_from("18446744073709551616"), &u), RP_ELIMIT);
    assert_int_equal(rp_str_to_u64(rp_str_from("-1"), &u), RP_EPARSE);
    assert_int_equal(rp_str_to_i64(rp_str_from(""), &i), RP_EPARSE);
    assert_int_equal(rp_str_to_i64(rp_str_from("-"), &i), RP_EPARSE);
    assert_int_equal(rp_str_to_i64(rp_str_from(" 1"), &i), RP_EPARSE);
    assert_int_equal(rp_str_to_i64(rp_str_from("1x"), &i), RP_EPARSE);
    struct rp_str part = {"123456", 3};
    assert_int_equal(rp_str_to_u64(part, &u), RP_OK);
    assert_int_equal(u, 123);
}

static void test_str_strlcpy_truncates(void **state)
{
    (void)state;
    char d[4];
    assert_int_equal(rp_strlcpy(d, "abcdef", sizeof d), 6);
    assert_string_equal(d, "abc");
    assert_int_equal(rp_strlcpy(d, "ab", sizeof d), 2);
    assert_string_equal(d, "ab");
}

static void test_str_redact_hides_the_rest(void **state)
{
    (void)state;
    char out[128];
    const char secret[] = "AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI";
    rp_str_redact(out, sizeof out, secret, sizeof secret - 1, 4);
    assert_non_null(strstr(out, "AKIA…(34 bytes, xxh3 "));
    assert_null(strstr(out, "IOSF"));
    assert_null(strstr(out, "wJalr"));
    /* non-printable bytes in the kept prefix become dots */
    rp_str_redact(out, sizeof out, "\x01\x02xy", 4, 4);
    assert_int_equal(strncmp(out, "..xy…(4 bytes", strlen("..xy…(4 bytes")), 0);
    /* small output buffers stay terminated */
    char tiny[8];
    rp_str_redact(tiny, sizeof tiny, secret, sizeof secret - 1, 20);
    assert_int_equal(strlen(tiny), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_compare),
        cmocka_unit_test(test_str_split_keeps_empty_tokens),
        cmocka_unit_test(test_str_integers_are_strict),
        cmocka_unit_test(test_str_strlcpy_truncates),
        cmocka_unit_test(test_str_redact_hides_the_rest),
    };
    return cmocka_run_group_tests_name("core_str", tests, NULL, NULL);
}
