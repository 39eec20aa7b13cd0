/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_log: level filtering, text and JSON line formats, escaping. */
#define RP_LOG_MODULE "testmod"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_log.h"

static char captured[8192];

/* Runs the logging done by fn with output captured into `captured`. */
static void capture(void (*fn)(void))
{
    FILE *f = tmpfile();
    assert_non_null(f);
    rp_log_set_fd(fileno(f));
    fn();
    rp_log_set_fd(2);
    rewind(f);
    size_t n = fread(captured, 1, sizeof captured - 1, f);
    captured[n] = '\0';
    fclose(f);
}

static void log_all_levels(void)
{
    RP_LOG_ERROR("e%d", 1);
    RP_LOG_WARN("w%d", 2);
    RP_LOG_INFO("i%d", 3);
    RP_LOG_DEBUG("d%d", 4);
}

static void test_log_level_filters(void **state)
{
    (void)state;
    rp_log_set_style(RP_LOG_TEXT);
    rp_log_set_level(RP_LOG_LVL_WARN);
    capture(log_all_levels);
    assert_string_equal(captured, "rampart: error: testmod: e1\nrampart: warn: testmod: w2\n");
    rp_log_set_level(RP_LOG_LVL_ERROR);
    capture(log_all_levels);
    assert_string_equal(captured, "rampart: error: testmod: e1\n");
    rp_log_set_level(RP_LOG_LVL_DEBUG);
    capture(log_all_levels);
#ifdef NDEBUG
    assert_null(strstr(captured, "d4"));
#else
    assert_non_null(strstr(captured, "rampart: debug: testmod: d4\n"));
#endif
    rp_log_set_level(RP_LOG_LVL_WARN);
}

static void log_quoted(void)
{
    RP_LOG_WARN("file \"%s\"\tline\n%d", "a\\b", 7);
}

static void test_log_json_lines_escape(void **state)
{
    (void)state;
    rp_log_set_style(RP_LOG_JSON);
    capture(log_quoted);
    rp_log_set_style(RP_LOG_AUTO);
    /* one line, a JSON object with the documented keys */
    assert_int_equal(captured[0], '{');
    assert_non_null(strstr(captured, "\"level\":\"warn\""));
    assert_non_null(strstr(captured, "\"module\":\"testmod\""));
    assert_non_null(strstr(captured, "\"file\":\"test_rp_log.c\""));
    assert_non_null(strstr(captured, "\"msg\":\"file \\\"a\\\\b\\\"\\u0009line\\u000a7\"}\n"));
    assert_int_equal(strchr(captured, '\n') - captured, (long)strlen(captured) - 1);
    /* the timestamp is ISO-8601 UTC with milliseconds */
    const char *ts = strstr(captured, "\"ts\":\"");
    assert_non_null(ts);
    assert_int_equal(ts[6 + 4], '-');
    assert_int_equal(ts[6 + 10], 'T');
    assert_int_equal(ts[6 + 23], 'Z');
}

static void log_long(void)
{
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    RP_LOG_ERROR("%s", big);
}

static void test_log_long_message_truncated_to_one_line(void **state)
{
    (void)state;
    rp_log_set_style(RP_LOG_TEXT);
    capture(log_long);
    size_t n = strlen(captured);
    assert_true(n < 2100);
    assert_int_equal(captured[n - 1], '\n');
    assert_ptr_equal(strchr(captured, '\n'), captured + n - 1);
    rp_log_set_style(RP_LOG_AUTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_level_filters),
        cmocka_unit_test(test_log_json_lines_escape),
        cmocka_unit_test(test_log_long_message_truncated_to_one_line),
    };
    return cmocka_run_group_tests_name("core_log", tests, NULL, NULL);
}
