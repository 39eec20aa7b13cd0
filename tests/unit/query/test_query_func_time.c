/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the "time" function group (query_func_time.c) through SQL on an in-memory
 * connection: the accepted timestamp forms and NULL for everything else, ISO conversion,
 * date_parse / date_format with every MySQL specifier and the format errors, date_diff with
 * Joda's calendar rules (end of month, leap days, negative spans), date_add clamping,
 * date_trunc (weeks start on Monday, before 1970 too), epoch conversion, now() fixed for a
 * statement, and the field extractors including ISO weeks at year boundaries. */
#include "query_func_test.h"

static void test_time_parse_forms(void **state)
{
    (void)state;
    EXPECT("SELECT from_iso8601_timestamp('2020-05-11T11:15:05Z')", "'2020-05-11 11:15:05.000'");
    EXPECT("SELECT from_iso8601_timestamp('2020-05-11T11:15:05.123456789+02:00')",
           "'2020-05-11 09:15:05.123'");
    EXPECT("SELECT from_iso8601_timestamp('2020-05-11T23:30:00-01:00')",
           "'2020-05-12 00:30:00.000'");
    EXPECT("SELECT from_iso8601_timestamp('2020-05-11 11:15:05'), "
           "from_iso8601_timestamp('2020-05-11 11:15:05.5'), "
           "from_iso8601_timestamp('2020-05-11 11:15:05.123'), "
           "from_iso8601_timestamp('2020-05-11T11:15:05.123Z')",
           "'2020-05-11 11:15:05.000'|'2020-05-11 11:15:05.500'|'2020-05-11 11:15:05.123'|"
           "'2020-05-11 11:15:05.123'");
    EXPECT(
        "SELECT from_iso8601_timestamp('2020-05-11'), from_iso8601_timestamp('2020-05-11T11:15')",
        "'2020-05-11 00:00:00.000'|'2020-05-11 11:15:00.000'");
    EXPECT("SELECT from_iso8601_timestamp('garbage'), from_iso8601_timestamp('2020-13-01'), "
           "from_iso8601_timestamp('2021-02-29 00:00:00'), from_iso8601_timestamp(20200511), "
           "from_iso8601_timestamp(NULL), from_iso8601_timestamp(' 2020-05-11'), "
           "from_iso8601_timestamp('2020-05-11 24:00:00')",
           "NULL|NULL|NULL|NULL|NULL|NULL|NULL");
    EXPECT("SELECT from_iso8601_date('2020-05-11'), from_iso8601_date('2020-5-11'), "
           "from_iso8601_date('2020-02-30'), from_iso8601_date('2020-05-11T00:00:00Z')",
           "'2020-05-11'|NULL|NULL|NULL");
    EXPECT("SELECT to_iso8601('2020-05-11 11:15:05.123'), to_iso8601('2020-05-11'), "
           "to_iso8601('2020-05-11T13:15:05+02:00'), to_iso8601('x')",
           "'2020-05-11T11:15:05.123Z'|'2020-05-11'|'2020-05-11T11:15:05.000Z'|NULL");
    /* the text form compares in time order and SQLite's date functions read it */
    EXPECT("SELECT from_iso8601_timestamp('2020-05-11T11:15:05Z') < '2020-05-11 11:15:06', "
           "date(from_iso8601_timestamp('2020-05-11T23:30:00-01:00')), "
           "strftime('%s', from_iso8601_timestamp('2020-05-11T11:15:05Z'))",
           "1|'2020-05-12'|'1589195705'");
}

static void test_time_date_parse(void **state)
{
    (void)state;
    EXPECT("SELECT date_parse('2020/05/11 11:15:05', '%Y/%m/%d %H:%i:%s')",
           "'2020-05-11 11:15:05.000'");
    EXPECT("SELECT date_parse('11-May-2020 01:02:03 PM', '%d-%b-%Y %h:%i:%s %p'), "
           "date_parse('11-may-2020 12:02:03 am', '%e-%b-%Y %I:%i:%S %p')",
           "'2020-05-11 13:02:03.000'|'2020-05-11 00:02:03.000'");
    EXPECT("SELECT date_parse('12:00:00 AM', '%r'), date_parse('12:30:00 PM', '%r'), "
           "date_parse('23:59:59', '%T')",
           "'1970-01-01 00:00:00.000'|'1970-01-01 12:30:00.000'|'1970-01-01 23:59:59.000'");
    EXPECT("SELECT date_parse('2020-05-11 11:15:05.123456', '%Y-%m-%d %H:%i:%s.%f'), "
           "date_parse('5.7', '%s.%f')",
           "'2020-05-11 11:15:05.123'|'1970-01-01 00:00:05.700'");
    EXPECT("SELECT date_parse('20200511', '%Y%m%d'), date_parse('99', '%y'), "
           "date_parse('05', '%y'), date_parse('2020 032', '%Y %j')",
           "'2020-05-11 00:00:00.000'|'1999-01-01 00:00:00.000'|'2005-01-01 00:00:00.000'|"
           "'2020-02-01 00:00:00.000'");
    EXPECT("SELECT date_parse('Monday, March 2 2020 7', '%W, %M %e %Y %k'), "
           "date_parse('Tue 3 2 2020', '%a %c %e %Y'), date_parse('5%', '%d%%')",
           "'2020-03-02 07:00:00.000'|'2020-03-02 00:00:00.000'|'1970-01-05 00:00:00.000'");
    EXPECT("SELECT date_parse('2020-05-11 x', '%Y-%m-%d'), date_parse('2020-02-30', '%Y-%m-%d'), "
           "date_parse('2020-05', '%Y-%m-%d'), date_parse('13:00 PM', '%h:%i %p'), "
           "date_parse('2019 366', '%Y %j'), date_parse(NULL, '%Y'), date_parse('2020', NULL), "
           "date_parse('May', '%m')",
           "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL");
    EXPECT_ERR("SELECT date_parse('x', '%Q')", "date_parse: unsupported format specifier '%Q'");
    EXPECT_ERR("SELECT date_parse('x', '%w')", "date_parse: unsupported format specifier '%w'");
    EXPECT_ERR("SELECT date_parse(NULL, 'abc%')", "date_parse: format ends with a lone '%'");
}

static void test_time_date_format(void **state)
{
    (void)state;
    const char *t = "'2020-05-11 13:02:03.045'";
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT date_format(%s, '%%Y-%%m-%%d %%H:%%i:%%s'), date_format(%s, '%%y %%c %%e %%k "
             "%%h %%I %%l %%p'), date_format(%s, '%%f|%%T|%%r|%%S')",
             t, t, t);
    EXPECT(sql, "'2020-05-11 13:02:03'|'20 5 11 13 01 01 1 PM'|'045000|13:02:03|01:02:03 PM|03'");
    snprintf(sql, sizeof sql, "SELECT date_format(%s, '%%b %%M %%a %%W %%w %%j %%%% x')", t);
    EXPECT(sql, "'May May Mon Monday 1 132 % x'");
    EXPECT("SELECT date_format('2020-05-10', '%w %a'), date_format('2020-05-11 00:05:00', "
           "'%h %p'), date_format('2020-05-11 12:05:00', '%h %p'), date_format('0099-01-02', "
           "'%Y %y %j')",
           "'0 Sun'|'12 AM'|'12 PM'|'0099 99 002'");
    EXPECT("SELECT date_format('bad', '%Y'), date_format(NULL, '%Y'), date_format('2020-05-11', "
           "NULL), date_format('2020-05-11', '')",
           "NULL|NULL|NULL|''");
    EXPECT_ERR("SELECT date_format('2020-05-11', '%Q')",
               "date_format: unsupported format specifier '%Q'");
    EXPECT_ERR("SELECT date_format(NULL, '%Y%')", "date_format: format ends with a lone '%'");
}

static void test_time_date_diff(void **state)
{
    (void)state;
    EXPECT("SELECT date_diff('second', '2020-01-01 00:00:00', '2020-01-01 00:01:30.999'), "
           "date_diff('millisecond', '2020-01-01 00:00:00', '2020-01-01 00:01:30.999'), "
           "date_diff('minute', '2020-01-01 00:01:30', '2020-01-01 00:00:00'), "
           "date_diff('hour', '2020-01-01', '2020-01-02 05:00'), "
           "date_diff('day', '2020-01-01 12:00', '2020-01-03 11:59'), "
           "date_diff('week', '2020-01-01', '2020-01-15')",
           "90|90999|-1|29|1|2");
    EXPECT("SELECT date_diff('month', '2020-01-31', '2020-02-29'), "
           "date_diff('month', '2020-01-31', '2020-02-28'), "
           "date_diff('month', '2020-01-15', '2020-03-14 23:59:59'), "
           "date_diff('month', '2020-01-15', '2020-03-15'), "
           "date_diff('month', '2020-03-14', '2020-01-15'), "
           "date_diff('month', '2020-03-31', '2020-02-29')",
           "1|0|1|2|-1|-1");
    EXPECT("SELECT date_diff('quarter', '2020-01-01', '2020-12-31'), "
           "date_diff('quarter', '2020-12-31', '2020-01-01'), "
           "date_diff('year', '2020-02-29', '2021-02-28'), "
           "date_diff('year', '2020-03-01', '2021-02-28 23:59:59'), "
           "date_diff('YEAR', '2019-06-01', '2020-06-01'), "
           "date_diff('year', '2021-02-28', '2020-02-29')",
           "3|-3|1|0|1|-1");
    EXPECT("SELECT date_diff(NULL, '2020-01-01', '2020-01-02'), date_diff('day', 'x', "
           "'2020-01-02'), date_diff('day', '2020-01-01', NULL)",
           "NULL|NULL|NULL");
    EXPECT_ERR("SELECT date_diff('fortnight', '2020-01-01', '2020-01-02')",
               "date_diff: unknown unit 'fortnight'");
}

static void test_time_date_add(void **state)
{
    (void)state;
    EXPECT("SELECT date_add('day', 1, '2020-02-28 10:00:00'), date_add('month', 1, "
           "'2020-01-31'), date_add('month', -1, '2020-03-31 12:00')",
           "'2020-02-29 10:00:00.000'|'2020-02-29 00:00:00.000'|'2020-02-29 12:00:00.000'");
    EXPECT("SELECT date_add('year', 1, '2020-02-29'), date_add('quarter', 1, '2020-11-30'), "
           "date_add('hour', -25, '2020-01-01 00:00:00'), date_add('millisecond', 1500, "
           "'2020-01-01T00:00:00Z')",
           "'2021-02-28 00:00:00.000'|'2021-02-28 00:00:00.000'|'2019-12-30 23:00:00.000'|"
           "'2020-01-01 00:00:01.500'");
    EXPECT("SELECT date_add('week', 2, '2020-12-25'), date_add('Minute', 90, '2020-12-31 23:00'), "
           "date_add('second', -1, '0001-01-01')",
           "'2021-01-08 00:00:00.000'|'2021-01-01 00:30:00.000'|NULL");
    EXPECT("SELECT date_add('year', 10000, '2020-01-01'), date_add('day', NULL, '2020-01-01'), "
           "date_add('day', 1, 'x'), date_add('millisecond', 9223372036854775807, '2020-01-01')",
           "NULL|NULL|NULL|NULL");
    EXPECT_ERR("SELECT date_add('fortnight', 1, '2020-01-01')",
               "date_add: unknown unit 'fortnight'");
}

static void test_time_date_trunc(void **state)
{
    (void)state;
    const char *t = "'2020-05-14 10:11:12.345'";
    char sql[768];
    snprintf(sql, sizeof sql,
             "SELECT date_trunc('millisecond', %s), date_trunc('second', %s), "
             "date_trunc('minute', %s), date_trunc('hour', %s), date_trunc('day', %s)",
             t, t, t, t, t);
    EXPECT(sql, "'2020-05-14 10:11:12.345'|'2020-05-14 10:11:12.000'|'2020-05-14 10:11:00.000'|"
                "'2020-05-14 10:00:00.000'|'2020-05-14 00:00:00.000'");
    snprintf(sql, sizeof sql,
             "SELECT date_trunc('week', %s), date_trunc('month', %s), date_trunc('quarter', %s), "
             "date_trunc('year', %s)",
             t, t, t, t);
    EXPECT(sql, "'2020-05-11 00:00:00.000'|'2020-05-01 00:00:00.000'|'2020-04-01 00:00:00.000'|"
                "'2020-01-01 00:00:00.000'");
    EXPECT("SELECT date_trunc('day', '1969-12-31 23:59:59.999'), date_trunc('week', "
           "'1970-01-01'), date_trunc('week', '2020-05-11'), date_trunc('week', '2020-05-17 "
           "23:59:59'), date_trunc('second', '1969-12-31 23:59:59.5')",
           "'1969-12-31 00:00:00.000'|'1969-12-29 00:00:00.000'|'2020-05-11 00:00:00.000'|"
           "'2020-05-11 00:00:00.000'|'1969-12-31 23:59:59.000'");
    EXPECT("SELECT date_trunc('week', '0001-01-01'), date_trunc('day', NULL)", "'0001-01-01 "
                                                                               "00:00:00.000'|"
                                                                               "NULL");
    EXPECT_ERR("SELECT date_trunc('decade', '2020-01-01')", "date_trunc: unknown unit 'decade'");
}

static void test_time_unixtime(void **state)
{
    (void)state;
    EXPECT("SELECT from_unixtime(0), from_unixtime(1589195705.1234), from_unixtime('1589195705'), "
           "from_unixtime(-1.5)",
           "'1970-01-01 00:00:00.000'|'2020-05-11 11:15:05.123'|'2020-05-11 11:15:05.000'|"
           "'1969-12-31 23:59:58.500'");
    EXPECT("SELECT from_unixtime(1e15), from_unixtime('abc'), from_unixtime(NULL), "
           "from_unixtime(9223372036854775807)",
           "NULL|NULL|NULL|NULL");
    EXPECT("SELECT to_unixtime('2020-05-11 11:15:05.123'), to_unixtime('1969-12-31 "
           "23:59:59'), to_unixtime('x')",
           "1589195705.123|-1.0|NULL");
}

static void test_time_now(void **state)
{
    (void)state;
    EXPECT("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) "
           "SELECT count(DISTINCT now()), min(now()) = max(now()), length(max(now())), "
           "max(now()) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
           "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]', "
           "max(now()) > '2024' FROM c",
           "1|1|23|1|1");
    /* not deterministic (SQLITE_DETERMINISTIC is 0x800), so never constant-folded */
    EXPECT("SELECT flags & 0x800 FROM pragma_function_list WHERE name = 'now'", "0");
    EXPECT("SELECT flags & 0x800 FROM pragma_function_list WHERE name = 'date_add'", "2048");
}

static void test_time_fields(void **state)
{
    (void)state;
    const char *t = "'2020-12-31T23:59:58.789Z'";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT year(%s), quarter(%s), month(%s), day(%s), day_of_month(%s), hour(%s), "
             "minute(%s), second(%s), millisecond(%s), day_of_week(%s), dow(%s), "
             "day_of_year(%s), doy(%s), week(%s), week_of_year(%s), year_of_week(%s)",
             t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t);
    EXPECT(sql, "2020|4|12|31|31|23|59|58|789|4|4|366|366|53|53|2020");
    EXPECT("SELECT week('2021-01-03'), year_of_week('2021-01-03'), day_of_week('2021-01-03'), "
           "week('2019-12-30'), year_of_week('2019-12-30'), week('2021-01-04'), "
           "week('2015-12-31'), week('2016-01-01'), week('2026-12-31')",
           "53|2020|7|1|2020|1|53|53|53");
    EXPECT("SELECT year('x'), month(NULL), day_of_week(1), hour('2020-01-01')", "NULL|NULL|NULL|0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse_forms), cmocka_unit_test(test_time_date_parse),
        cmocka_unit_test(test_time_date_format), cmocka_unit_test(test_time_date_diff),
        cmocka_unit_test(test_time_date_add),    cmocka_unit_test(test_time_date_trunc),
        cmocka_unit_test(test_time_unixtime),    cmocka_unit_test(test_time_now),
        cmocka_unit_test(test_time_fields),
    };
    return cmocka_run_group_tests_name("query_func_time", tests, qft_setup, qft_teardown);
}
