/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the "string" function group (query_func_string.c) through SQL on an
 * in-memory connection: split_part and split (empty fields, limits, the empty delimiter,
 * errors), strpos with instances and characters, starts_with, concat's NULL rule, lpad/rpad,
 * UTF-8 reverse, URL parts (userinfo, ports, IPv6 hosts, relative and opaque URLs, raw
 * parameters), base64 both ways, and the array functions over JSON text: contains (and its
 * CIDR form), cardinality, element_at, array_join, array_distinct, array_sort, and json_each
 * over split() as the UNNEST equivalent. */
#include "query_func_test.h"

static void test_string_split(void **state)
{
    (void)state;
    EXPECT("SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', 3), "
           "split_part('a,b,c', ',', 4), split_part('a,,c', ',', 2), "
           "split_part('a::b::c', '::', 3), split_part('abc', ',', 1)",
           "'b'|'c'|NULL|''|'c'|'abc'");
    EXPECT("SELECT split_part('abc', '', 2), split_part('abc', '', 4), "
           "split_part('h\xc3\xa9', '', 2), split_part(NULL, ',', 1), split_part('a', NULL, 1), "
           "split_part('a', ',', NULL)",
           "'b'|NULL|'\xc3\xa9'|NULL|NULL|NULL");
    EXPECT_ERR("SELECT split_part('a,b', ',', 0)", "split_part: index must be greater than zero");
    EXPECT_ERR("SELECT split_part('a,b', ',', -1)", "split_part: index must be greater than zero");
    EXPECT_J("SELECT split('a,b,,c', ',')", "J'[\"a\",\"b\",\"\",\"c\"]'");
    EXPECT("SELECT split('a,b,c', ',', 2), split('a,b,c', ',', 1), split('', ','), "
           "split('abc', ','), split('a<>b', '<>'), split(NULL, ',')",
           "'[\"a\",\"b,c\"]'|'[\"a,b,c\"]'|'[\"\"]'|'[\"abc\"]'|'[\"a\",\"b\"]'|NULL");
    EXPECT_ERR("SELECT split('a', '')", "split: the delimiter must not be empty");
    EXPECT_ERR("SELECT split('a', ',', 0)", "split: limit must be positive");
    /* UNNEST: json_each over the array */
    EXPECT("SELECT group_concat(value, '|') FROM json_each(split('a,b,c', ','))", "'a|b|c'");
}

static void test_string_basics(void **state)
{
    (void)state;
    EXPECT("SELECT strpos('high', 'ig'), strpos('high', 'x'), strpos('h\xc3\xa9llo', 'l'), "
           "strpos('abcabc', 'bc', 2), strpos('abc', 'bc', 2), strpos('abc', ''), "
           "strpos('aaa', 'aa', 2), strpos(NULL, 'a')",
           "2|0|3|5|0|1|2|NULL");
    EXPECT_ERR("SELECT strpos('a', 'a', 0)", "strpos: instance must be a positive number");
    EXPECT("SELECT starts_with('abc', 'ab'), starts_with('abc', 'b'), starts_with('a', 'ab'), "
           "starts_with('abc', ''), starts_with(NULL, 'a')",
           "1|0|0|1|NULL");
    EXPECT("SELECT concat('a', 'b', 'c'), concat('a', NULL), concat('x', 1, 2.5), concat('', '')",
           "'abc'|NULL|'x12.5'|''");
    EXPECT_ERR("SELECT concat('a')", "concat: there must be two or more arguments");
    EXPECT("SELECT lpad('abc', 6, 'xy'), rpad('abc', 6, 'xy'), lpad('abcdef', 3, 'x'), "
           "rpad('h\xc3\xa9llo', 7, '\xc3\xa9'), lpad('a', 0, 'x'), lpad(NULL, 3, 'x')",
           "'xyxabc'|'abcxyx'|'abc'|'h\xc3\xa9llo\xc3\xa9\xc3\xa9'|''|NULL");
    EXPECT_ERR("SELECT lpad('a', -1, 'x')", "lpad: target length must be between 0 and 1000000000");
    EXPECT_ERR("SELECT rpad('a', 3, '')", "rpad: padding string must not be empty");
    EXPECT(
        "SELECT reverse('h\xc3\xa9llo'), reverse(''), reverse(NULL), reverse('ab\xf0\x9f\x98\x80')",
        "'oll\xc3\xa9h'|''|NULL|'\xf0\x9f\x98\x80"
        "ba'");
}

static void test_string_url(void **state)
{
    (void)state;
    const char *u = "'https://user:pw@www.example.com:8443/a/b%20c?x=1&y=&z#frag'";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT url_extract_host(%s), url_extract_port(%s), url_extract_protocol(%s), "
             "url_extract_path(%s), url_extract_query(%s), url_extract_fragment(%s)",
             u, u, u, u, u, u);
    EXPECT(sql, "'www.example.com'|8443|'https'|'/a/b c'|'x=1&y=&z'|'frag'");
    snprintf(sql, sizeof sql,
             "SELECT url_extract_parameter(%s, 'x'), url_extract_parameter(%s, 'y'), "
             "url_extract_parameter(%s, 'z'), url_extract_parameter(%s, 'w')",
             u, u, u, u);
    EXPECT(sql, "'1'|''|''|NULL");
    EXPECT("SELECT url_extract_host('http://[2001:db8::1]:80/'), "
           "url_extract_port('http://[2001:db8::1]:80/'), url_extract_host('/relative/p?q=1'), "
           "url_extract_path('/relative/p?q=1'), url_extract_path('http://example.com'), "
           "url_extract_port('http://x/')",
           "'[2001:db8::1]'|80|NULL|'/relative/p'|''|NULL");
    EXPECT("SELECT url_extract_host('mailto:someone@example.com'), "
           "url_extract_path('mailto:someone@example.com'), "
           "url_extract_protocol('mailto:someone@example.com'), "
           "url_extract_host('http://exa mple.com/'), "
           "url_extract_parameter('http://x/?a=1%202&a=3', 'a'), url_extract_host(NULL)",
           "NULL|NULL|'mailto'|NULL|'1%202'|NULL");
}

static void test_string_base64(void **state)
{
    (void)state;
    EXPECT("SELECT to_base64('hello'), to_base64(x'00ff'), to_base64(''), to_base64(x'000102'), "
           "to_base64(NULL)",
           "'aGVsbG8='|'AP8='|''|'AAEC'|NULL");
    EXPECT("SELECT from_base64('aGVsbG8='), CAST(from_base64('aGVsbG8') AS TEXT), "
           "from_base64('AP8='), from_base64('')",
           "x'68656c6c6f'|'hello'|x'00ff'|x''");
    EXPECT("SELECT from_base64('***'), from_base64('a'), from_base64('aGVsbG8=='), "
           "from_base64('aG=sbG8='), from_base64(NULL)",
           "NULL|NULL|NULL|NULL|NULL");
}

static void test_string_arrays(void **state)
{
    (void)state;
    EXPECT("SELECT contains('[1,2,3]', 2), contains('[1,2,3]', 4), contains('[\"a\",\"b\"]', 'b'), "
           "contains('[1.5]', 1.5), contains('[1,null]', 2), contains('[1,null]', 1), "
           "contains('[1]', NULL), contains(NULL, 1), contains('{\"a\":1}', 1), "
           "contains('nope', 1)",
           "1|0|1|1|NULL|1|NULL|NULL|NULL|NULL");
    EXPECT("SELECT contains('10.0.0.0/8', '10.1.2.3'), contains('10.0.0.0/8', '11.0.0.1'), "
           "contains('2001:db8::/32', '2001:db8::1'), contains('10.0.0.0/8', 'x'), "
           "contains('10.0.0.0/8', '::ffff:10.0.0.1'), contains('10.0.0.0/8', '2001:db8::1')",
           "1|0|1|NULL|1|0");
    EXPECT("SELECT cardinality('[1,2,3]'), cardinality('{\"a\":1,\"b\":2}'), cardinality('[]'), "
           "cardinality('1'), cardinality('x'), cardinality(NULL)",
           "3|2|0|NULL|NULL|NULL");
    EXPECT("SELECT element_at('[\"a\",\"b\",\"c\"]', 1), element_at('[\"a\",\"b\",\"c\"]', -1), "
           "element_at('[\"a\"]', 2), element_at('[\"a\"]', -2), element_at('[1,2.5,true]', 3), "
           "element_at('[1,2.5,true]', 2), element_at('{\"k\":\"v\",\"n\":2}', 'n'), "
           "element_at('{\"k\":\"v\"}', 'z'), element_at(split('a,b', ','), 2)",
           "'a'|'c'|NULL|NULL|'true'|2.5|2|NULL|'b'");
    EXPECT_J("SELECT element_at('[1,{\"x\":1}]', 2)", "J'{\"x\":1}'");
    EXPECT_ERR("SELECT element_at('[1]', 0)", "element_at: SQL array indices start at 1");
    EXPECT("SELECT array_join('[1,2,null,\"x\",true,2.50]', ','), "
           "array_join('[1,2,null,\"x\",true,2.50]', ',', 'N'), array_join('[]', ','), "
           "array_join('[[1,2],{\"a\":\"b\"}]', ';'), array_join('x', ','), "
           "array_join('[1]', NULL)",
           "'1,2,x,true,2.5'|'1,2,N,x,true,2.5'|''|'[1,2];{\"a\":\"b\"}'|NULL|NULL");
    EXPECT_J("SELECT array_distinct('[1,2,1,\"a\",\"a\",null,null,2.0,{\"k\":1},{\"k\":1}]'), "
             "array_distinct('[]'), array_distinct('{}')",
             "J'[1,2,\"a\",null,2.0,{\"k\":1}]'|J'[]'|NULL");
    EXPECT_J("SELECT array_sort('[3,1,\"b\",null,2.5,\"a\",true,false,[1]]'), array_sort('[]'), "
             "array_sort('[10, 9.5, -1, 18446744073709551615]'), array_sort('x')",
             "J'[1,2.5,3,\"a\",\"b\",false,true,[1],null]'|J'[]'|"
             "J'[-1,9.5,10,18446744073709551615]'|NULL");
    /* larger input: distinct and sort over 2000 elements */
    EXPECT("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
           "SELECT json_array_length(array_distinct(a)), json_extract(array_sort(a), '$[0]'), "
           "json_extract(array_sort(a), '$[1999]') FROM "
           "(SELECT json_group_array((i * 7919) % 1000) AS a FROM c)",
           "1000|'0'|'999'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_split),  cmocka_unit_test(test_string_basics),
        cmocka_unit_test(test_string_url),    cmocka_unit_test(test_string_base64),
        cmocka_unit_test(test_string_arrays),
    };
    return cmocka_run_group_tests_name("query_func_string", tests, qft_setup, qft_teardown);
}
