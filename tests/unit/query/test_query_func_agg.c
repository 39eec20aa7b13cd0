/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the "agg" function group (query_func_agg.c) through SQL on an in-memory
 * connection: approx_distinct exact below its threshold (types kept apart, 1 and 1.0 one
 * value) and its HyperLogLog estimate past it (deterministic, within 2%), count_if,
 * arbitrary, max_by/min_by (ties keep the first, NULL keys skipped), bool_and/bool_or,
 * approx_percentile by nearest rank (integers, reals, a list of percentiles, bad
 * percentiles), and array_agg (order, types, JSON values embedded, no rows). */
#include "query_func_test.h"

#define SEQ(n) "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < " #n ") "

static void test_agg_approx_distinct(void **state)
{
    (void)state;
    EXPECT("SELECT approx_distinct(column1) FROM (VALUES (1), (2), (2), (1.0), ('1'), (x'01'), "
           "(NULL), ('a'), ('a'), (2.5), (2.5))",
           "6");
    EXPECT("SELECT approx_distinct(column1) FROM (VALUES (NULL)) WHERE 0", "0");
    EXPECT("SELECT approx_distinct(NULL)", "0");
    EXPECT(SEQ(100000) "SELECT approx_distinct(i), approx_distinct(i % 1000) FROM c",
           "100000|1000");
    /* past 100,000 distinct values: the sketch, fed the same hashes (error under 2%) */
    EXPECT(SEQ(250000) "SELECT approx_distinct(i), abs(approx_distinct(i) - 250000) < 5000, "
                       "approx_distinct('k' || (i % 7)) FROM c",
           "252281|1|7");
    EXPECT(SEQ(100001) "SELECT approx_distinct(i) FROM c", "100685");
}

static void test_agg_simple(void **state)
{
    (void)state;
    EXPECT("SELECT count_if(column1 > 1), count_if(column1), count_if(NULL) FROM "
           "(VALUES (1), (2), (3), (NULL), (0))",
           "2|3|0");
    EXPECT("SELECT count_if(column1) FROM (VALUES ('true'), ('TRUE'), ('false'), ('x'), ('2'))",
           "3");
    EXPECT("SELECT arbitrary(column1) FROM (VALUES (NULL), (5), (6))", "5");
    EXPECT("SELECT arbitrary(column1) FROM (VALUES (NULL), (NULL))", "NULL");
    EXPECT("SELECT max_by(column1, column2), min_by(column1, column2) FROM "
           "(VALUES ('a', 1), ('b', 3), ('c', 3), ('d', NULL), ('e', 1))",
           "'b'|'a'");
    EXPECT("SELECT max_by(column1, column2), min_by(column1, column2) FROM "
           "(VALUES (NULL, 9), ('x', 2.5), ('y', 'text'), ('z', x'00'))",
           "'z'|'x'");
    EXPECT("SELECT max_by(column1, column2) FROM (VALUES ('a', NULL))", "NULL");
    EXPECT("SELECT max_by(column1, column2) FROM (VALUES (NULL, 9), ('x', 2))", "NULL");
    EXPECT("SELECT bool_and(column1), bool_or(column1) FROM (VALUES (1), (1), (NULL))", "1|1");
    EXPECT("SELECT bool_and(column1), bool_or(column1) FROM (VALUES (1), (0))", "0|1");
    EXPECT("SELECT bool_and(column1), bool_or(column1) FROM (VALUES ('true'), ('false'))", "0|1");
    EXPECT("SELECT bool_and(column1), bool_or(column1) FROM (VALUES (0), (0.0))", "0|0");
    EXPECT("SELECT bool_and(column1), bool_or(column1) FROM (VALUES (NULL))", "NULL|NULL");
}

static void test_agg_percentile(void **state)
{
    (void)state;
    EXPECT(SEQ(10) "SELECT approx_percentile(i, 0.5), approx_percentile(i, 0.9), "
                   "approx_percentile(i, 0), approx_percentile(i, 1), approx_percentile(i, 0.05) "
                   "FROM c",
           "5|9|1|10|1");
    EXPECT("SELECT approx_percentile(column1, 0.5) FROM (VALUES (1.5), (2.5), (0.5))", "1.5");
    EXPECT("SELECT approx_percentile(column1, 1) FROM (VALUES (1), (2.5), (3))", "3.0");
    EXPECT("SELECT approx_percentile(column1, 0.5) FROM (VALUES ('a'), (NULL), (7))", "7");
    EXPECT("SELECT approx_percentile(column1, 0.5) FROM (VALUES (NULL))", "NULL");
    EXPECT_J(SEQ(10) "SELECT approx_percentile(i, '[0.5, 0.9,1]') FROM c", "J'[5,9,10]'");
    EXPECT_J(SEQ(4) "SELECT approx_percentile(i / 2.0, '[0.5]') FROM c", "J'[1.0]'");
    EXPECT(SEQ(10) "SELECT approx_percentile(i, '0.5') FROM c", "5");
    EXPECT_ERR("SELECT approx_percentile(column1, 2) FROM (VALUES (1))",
               "approx_percentile: percentile must be between 0 and 1, or an array of such");
    EXPECT_ERR("SELECT approx_percentile(column1, '[0.5, x]') FROM (VALUES (1))",
               "approx_percentile: percentile must be between 0 and 1, or an array of such");
    EXPECT_ERR("SELECT approx_percentile(column1, NULL) FROM (VALUES (1))",
               "approx_percentile: percentile must be between 0 and 1, or an array of such");
}

static void test_agg_array_agg(void **state)
{
    (void)state;
    EXPECT_J("SELECT array_agg(column1) FROM (VALUES (1), (2.5), ('a\"b'), (NULL), (x'00ff'))",
             "J'[1,2.5,\"a\\\"b\",null,\"AP8=\"]'");
    EXPECT_J("SELECT array_agg(json_extract(column1, '$.a')) FROM "
             "(VALUES ('{\"a\":[1]}'), ('{\"a\":\"s\"}'), ('{}'))",
             "J'[[1],\"s\",null]'");
    EXPECT("SELECT array_agg(json(column1)) FROM (VALUES ('{\"b\" : 2}'))", "'[{\"b\":2}]'");
    EXPECT("SELECT array_agg(column1) FROM (VALUES (1)) WHERE 0", "NULL");
    EXPECT("SELECT group_concat(k || '=' || a, ' ') FROM (SELECT column1 AS k, "
           "array_agg(column2) AS a FROM (VALUES ('x', 1), ('y', 2), ('x', 3)) GROUP BY column1 "
           "ORDER BY column1)",
           "'x=[1,3] y=[2]'");
    EXPECT(SEQ(20000) "SELECT json_array_length(array_agg(i)), length(array_agg(i)) FROM c",
           "20000|108895");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agg_approx_distinct),
        cmocka_unit_test(test_agg_simple),
        cmocka_unit_test(test_agg_percentile),
        cmocka_unit_test(test_agg_array_agg),
    };
    return cmocka_run_group_tests_name("query_func_agg", tests, qft_setup, qft_teardown);
}
