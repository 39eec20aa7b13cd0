/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the "regexp" function group (query_func_regexp.c) through SQL on an
 * in-memory connection: each function on Presto's documented examples, capture groups that
 * did not take part, empty matches (Java's stepping, over multi-byte characters too),
 * replacement references ($n, ${name}, \$) and their errors, character positions, invalid
 * UTF-8 subjects, patterns that change per row, PCRE2's compile errors with offsets, the
 * match limit stopping a catastrophic pattern, and the subject size cap. */
#include "query_func_test.h"

static void test_regexp_like_extract(void **state)
{
    (void)state;
    EXPECT("SELECT regexp_like('1a 2b 14m', '\\d+b'), regexp_like('abc', '^b'), "
           "regexp_like(NULL, 'a'), regexp_like('a', NULL), regexp_like('ABC', '(?i)b')",
           "1|0|NULL|NULL|1");
    EXPECT("SELECT regexp_extract('1a 2b 14m', '\\d+'), "
           "regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2), regexp_extract('abc', 'x'), "
           "regexp_extract('ab', 'a(x)?', 1), regexp_extract('ab', 'a(x)?', 0), "
           "regexp_extract('ab', 'a', NULL)",
           "'1'|'a'|NULL|NULL|'a'|NULL");
    EXPECT_ERR("SELECT regexp_extract('a', '(a)', 2)",
               "regexp_extract: pattern has 1 groups, cannot access group 2");
    EXPECT_ERR("SELECT regexp_extract('a', 'a', -1)",
               "regexp_extract: pattern has 0 groups, cannot access group -1");
    /* a pattern in a column compiles per row */
    EXPECT("SELECT group_concat(regexp_like('abc', p), ',') FROM "
           "(SELECT 'a' AS p UNION ALL SELECT 'x' UNION ALL SELECT 'c$')",
           "'1,0,1'");
    /* invalid UTF-8 in the subject never matches '.', and is no error */
    EXPECT("SELECT regexp_like(CAST(x'61ff62' AS TEXT), 'a.b'), "
           "regexp_like(CAST(x'61ff62' AS TEXT), 'b$')",
           "0|1");
}

static void test_regexp_extract_all(void **state)
{
    (void)state;
    EXPECT_J("SELECT regexp_extract_all('1a 2b 14m', '\\d+')", "J'[\"1\",\"2\",\"14\"]'");
    EXPECT("SELECT regexp_extract_all('1a 2b 14m', '(\\d+)([a-z]+)', 2), "
           "regexp_extract_all('abc', 'x*'), regexp_extract_all('abc', 'x'), "
           "regexp_extract_all('ab a', 'a(b)?', 1)",
           "'[\"a\",\"b\",\"m\"]'|'[\"\",\"\",\"\",\"\"]'|'[]'|'[\"b\",null]'");
    /* \w is ASCII as in Java; an empty match steps over a whole character */
    EXPECT("SELECT regexp_extract_all('h\xc3\xa9llo w\xc3\xb6rld', '\\w+'), "
           "regexp_extract_all('\xc3\xa9', ''), regexp_extract_all('x\"y', '.')",
           "'[\"h\",\"llo\",\"w\",\"rld\"]'|'[\"\",\"\"]'|'[\"x\",\"\\\"\",\"y\"]'");
    EXPECT_ERR("SELECT regexp_extract_all('a', 'a', 1)",
               "regexp_extract_all: pattern has 0 groups, cannot access group 1");
}

static void test_regexp_replace(void **state)
{
    (void)state;
    EXPECT("SELECT regexp_replace('1a 2b 14m', '\\d+[ab] '), "
           "regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 '), "
           "regexp_replace('a1', '(\\d)', '\\$$1\\\\'), "
           "regexp_replace('john smith', '(?<first>\\w+) (?<last>\\w+)', '${last}, ${first}')",
           "'14m'|'3ca 3cb 14m'|'a$1\\'|'smith, john'");
    EXPECT("SELECT regexp_replace('ab', '(a)', '$10'), regexp_replace('abc', 'x*', '-'), "
           "regexp_replace('abc', 'b', NULL), regexp_replace('ab', '(a)|(z)', '[$2]'), "
           "regexp_replace('\xc3\xa9', '', '-')",
           "'a0b'|'-a-b-c-'|NULL|'[]b'|'-\xc3\xa9-'");
    EXPECT_ERR("SELECT regexp_replace('a', 'a', '$2')",
               "regexp_replace: illegal group reference at offset 0 of '$2'");
    EXPECT_ERR("SELECT regexp_replace('a', 'a', 'x$y')",
               "regexp_replace: illegal group reference at offset 1 of 'x$y'");
    EXPECT_ERR("SELECT regexp_replace('a', '(a)', '${nope}')",
               "regexp_replace: illegal group reference at offset 0 of '${nope}'");
    EXPECT_ERR("SELECT regexp_replace('a', 'a', 'x\\')",
               "regexp_replace: illegal group reference at offset 1 of 'x\\'");
    /* no match: no replacement is read, the subject comes back */
    EXPECT("SELECT regexp_replace('abc', 'z', '$9')", "'abc'");
}

static void test_regexp_count_position_split(void **state)
{
    (void)state;
    EXPECT("SELECT regexp_count('1a 2b 14m', '\\s*[a-z]+\\s*'), regexp_count('abc', ''), "
           "regexp_count('', 'x'), regexp_count(NULL, 'x')",
           "3|4|0|NULL");
    EXPECT("SELECT regexp_position('h\xc3\xa9llo', 'l'), regexp_position('abc', 'x'), "
           "regexp_position('abc', '^'), regexp_position('abc', 'c$')",
           "3|-1|1|3");
    EXPECT_J("SELECT regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')", "J'[\"1\",\"2\",\"14\",\"\"]'");
    EXPECT("SELECT regexp_split('a,b,,c', ','), regexp_split('abc', ''), regexp_split('', ','), "
           "regexp_split(NULL, ',')",
           "'[\"a\",\"b\",\"\",\"c\"]'|'[\"\",\"a\",\"b\",\"c\",\"\"]'|'[\"\"]'|NULL");
}

static void test_regexp_errors_and_limits(void **state)
{
    (void)state;
    EXPECT_ERR("SELECT regexp_like('a', 'abc(')",
               "regexp: invalid pattern at offset 4: missing closing parenthesis");
    EXPECT_ERR("SELECT regexp_count('a', '[a')",
               "regexp: invalid pattern at offset 2: missing terminating ] for character class");
    EXPECT_ERR("SELECT regexp_replace('a', '*')",
               "regexp: invalid pattern at offset 0: quantifier does not follow a repeatable item");
    /* a bad pattern is an error even for a NULL subject */
    EXPECT_ERR("SELECT regexp_like(NULL, '(')",
               "regexp: invalid pattern at offset 1: missing closing parenthesis");
    /* exponential backtracking stops at the match limit */
    EXPECT_ERR("SELECT regexp_like(replace(hex(zeroblob(24)), '00', 'aa') || '!', '^(a|aa)+$')",
               "regexp: match limit exceeded (the pattern backtracks too much)");
    EXPECT_ERR("SELECT regexp_like(CAST(zeroblob(67108865) AS TEXT), 'a')",
               "regexp: subject longer than 67108864 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regexp_like_extract),
        cmocka_unit_test(test_regexp_extract_all),
        cmocka_unit_test(test_regexp_replace),
        cmocka_unit_test(test_regexp_count_position_split),
        cmocka_unit_test(test_regexp_errors_and_limits),
    };
    return cmocka_run_group_tests_name("query_func_regexp", tests, qft_setup, qft_teardown);
}
