/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_time: every accepted text form pinned to its exact millisecond value,
 * calendar boundaries, the leap-second rule, rejected inputs with their codes and messages,
 * epoch and relative forms, formatting and the civil-date conversions. Expected values were
 * computed independently (Python calendar.timegm). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/rp_time.h"

static int64_t iso(const char *s)
{
    int64_t ms = INT64_MIN;
    struct rp_errbuf eb = {0};
    rp_err e = rp_time_parse_iso(rp_str_from(s), &ms, &eb);
    if (e) fail_msg("parse '%s': %s", s, eb.msg);
    return ms;
}

static rp_err iso_err(const char *s, struct rp_errbuf *eb)
{
    int64_t ms = 42;
    rp_err e = rp_time_parse_iso(rp_str_from(s), &ms, eb);
    if (e) assert_true(ms == 42); /* untouched on error */
    return e;
}

static void test_time_parse_aws_variants(void **state)
{
    (void)state;
    /* CloudTrail eventTime */
    assert_true(iso("2014-03-06T21:22:54Z") == 1394140974000LL);
    /* AWS Config capture time, with and without a non-zero fraction */
    assert_true(iso("2018-04-05T21:51:42.000Z") == 1522965102000LL);
    assert_true(iso("2016-10-07T17:52:20.806Z") == 1475862740806LL);
    /* Kubernetes audit MicroTime: truncated, not rounded */
    assert_true(iso("2020-09-24T23:50:25.123456Z") == 1600991425123LL);
    assert_true(iso("2020-09-24T23:50:25.123999Z") == 1600991425123LL);
    /* Route 53 Resolver query_timestamp */
    assert_true(iso("2021-02-04T17:51:55Z") == 1612461115000LL);
}

static void test_time_parse_fraction_lengths(void **state)
{
    (void)state;
    assert_true(iso("2021-02-04T17:51:55.1Z") == 1612461115100LL);
    assert_true(iso("2021-02-04T17:51:55.12Z") == 1612461115120LL);
    assert_true(iso("2021-02-04T17:51:55.123Z") == 1612461115123LL);
    assert_true(iso("2021-02-04T17:51:55.000000001Z") == 1612461115000LL);
    assert_true(iso("2021-02-04T17:51:55.9999999999999999999999999Z") == 1612461115999LL);
}

static void test_time_parse_offsets(void **state)
{
    (void)state;
    const int64_t want = 1612461115000LL; /* 2021-02-04T17:51:55Z */
    assert_true(iso("2021-02-04T17:51:55+00:00") == want);
    assert_true(iso("2021-02-04T17:51:55-00:00") == want);
    assert_true(iso("2021-02-04T12:21:55-05:30") == want);
    assert_true(iso("2021-02-04T23:21:55+0530") == want);
    assert_true(iso("2021-02-04T19:51:55+02") == want);
    assert_true(iso("2021-02-04T17:51:55.000+0000") == want);
    /* an offset moves the date across midnight and year ends */
    assert_true(iso("2021-02-05T03:51:55+10:00") == want);
    assert_true(iso("2020-12-31T23:00:00-01:00") == iso("2021-01-01T00:00:00Z"));
    assert_true(iso("2021-02-04T17:51:55+23:59") == want - (23 * 60 + 59) * 60000LL);
}

static void test_time_parse_case_space_and_minutes(void **state)
{
    (void)state;
    const int64_t want = 1612461115000LL;
    assert_true(iso("2021-02-04t17:51:55z") == want);
    assert_true(iso("2021-02-04 17:51:55Z") == want);
    assert_true(iso("2021-02-04T17:51Z") == want - 55000);
}

static void test_time_parse_date_only_is_midnight_utc(void **state)
{
    (void)state;
    assert_true(iso("2023-06-01") == 1685577600000LL);
    assert_true(iso("1970-01-01") == 0);
}

static void test_time_parse_basic_format(void **state)
{
    (void)state;
    /* CloudTrail file-name delivery stamp and digest stamp */
    assert_true(iso("20150801T0210Z") == 1438395000000LL);
    assert_true(iso("20150801T021000Z") == 1438395000000LL);
    assert_true(iso("20150801T021000.5Z") == 1438395000500LL);
    assert_true(iso("20150801T0740+0530") == 1438395000000LL);
    struct rp_errbuf eb;
    assert_int_equal(iso_err("20230601", &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "time: basic-format date needs a time at 8 (end of text) in '20230601'");
    assert_int_equal(iso_err("20150801T02:10Z", &eb), RP_EPARSE);
    assert_int_equal(iso_err("20150801T0210+05:30", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: extended offset in basic-format time ':' at 16 in "
                                "'20150801T0210+05:30'");
    assert_int_equal(iso_err("2015-08-01T0210Z", &eb), RP_EPARSE);
}

static void test_time_parse_calendar_boundaries(void **state)
{
    (void)state;
    struct rp_errbuf eb;
    assert_true(iso("1970-01-01T00:00:00Z") == 0);
    assert_true(iso("1970-01-01T00:00:00.001Z") == 1);
    assert_true(iso("1969-12-31T23:59:59.999Z") == -1);
    assert_true(iso("1969-12-31T23:59:59Z") == -1000);
    assert_true(iso("2000-02-29T00:00:00Z") == 951782400000LL);
    assert_true(iso("2400-02-29T12:00:00Z") == 13574606400000LL);
    assert_true(iso("1600-02-29") == -11670998400000LL);
    assert_true(iso("2024-02-29T23:59:59Z") == 1709251199000LL);
    assert_true(iso("1900-03-01") == -2203891200000LL);
    assert_true(iso("0001-01-01T00:00:00Z") == RP_TIME_MIN_MS);
    assert_true(iso("0001-01-01T00:00:00.000Z") == -62135596800000LL);
    assert_true(iso("9999-12-31T23:59:59.999Z") == RP_TIME_MAX_MS);
    assert_true(iso("9999-12-31T23:59:59.999Z") == 253402300799999LL);

    assert_int_equal(iso_err("1900-02-29T00:00:00Z", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: no such day '29' at 8 in '1900-02-29T00:00:00Z'");
    assert_int_equal(iso_err("2100-02-29", &eb), RP_EPARSE);
    assert_int_equal(iso_err("2023-02-29", &eb), RP_EPARSE);
    assert_int_equal(iso_err("2023-04-31", &eb), RP_EPARSE);
    assert_int_equal(iso_err("2023-12-32", &eb), RP_EPARSE);
    assert_int_equal(iso_err("0000-01-01", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: bad year '0000' at 0 in '0000-01-01'");
    /* in range as written, out of range once the offset is applied */
    assert_int_equal(iso_err("0001-01-01T00:00:00+00:01", &eb), RP_EPARSE);
    assert_int_equal(iso_err("9999-12-31T23:59:59-00:01", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: time outside years 0001..9999 '9999-12-31T23:59:59-00:01' "
                                "at 0 in '9999-12-31T23:59:59-00:01'");
}

/* Second 60 only where UTC reads 23:59:60; folded to 23:59:59.999 UTC. */
static void test_time_parse_leap_second_rule(void **state)
{
    (void)state;
    struct rp_errbuf eb;
    const int64_t last = 1483228799999LL; /* 2016-12-31T23:59:59.999Z */
    assert_true(iso("2016-12-31T23:59:60Z") == last);
    assert_true(iso("2016-12-31T23:59:60.5Z") == last);
    assert_true(iso("2016-12-31T18:59:60-05:00") == last);
    assert_true(iso("2017-01-01T05:29:60+05:30") == last);
    assert_true(iso("2016-12-31T23:59:59.998Z") < last);
    assert_true(iso("2017-01-01T00:00:00Z") == last + 1);
    assert_int_equal(iso_err("2016-12-31T23:58:60Z", &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "time: second 60 outside 23:59 UTC 'Z' at 19 in '2016-12-31T23:58:60Z'");
    assert_int_equal(iso_err("2016-12-31T23:59:60+01:00", &eb), RP_EPARSE);
    assert_int_equal(iso_err("2016-12-31T23:59:61Z", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: bad second '61' at 17 in '2016-12-31T23:59:61Z'");
    assert_int_equal(iso_err("9999-12-31T23:59:60Z", &eb), RP_OK);
}

static void test_time_parse_rejects_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "2014",
        "2014-03",
        "2014-3-06T21:22:54Z",
        "14-03-06T21:22:54Z",
        "2014-03-06T",
        "2014-03-06T21",
        "2014-03-06T21:22:54",    /* no zone: local time is not guessed */
        "2014-03-06T21:22:54.Z",  /* empty fraction */
        "2014-03-06T21:22:54,5Z", /* comma fraction */
        "2014-03-06T24:00:00Z",   /* hour 24 */
        "2014-03-06T21:60:00Z",
        "2014-00-06T21:22:54Z",
        "2014-13-06T21:22:54Z",
        "2014-03-00T21:22:54Z",
        "2014-03-06T21:22:54ZZ",
        "2014-03-06T21:22:54Z ",
        " 2014-03-06T21:22:54Z",
        "2014-03-06T21:22:54+24:00",
        "2014-03-06T21:22:54+05:60",
        "2014-03-06T21:22:54+5",
        "2014-03-06T21:22:54+05:3",
        "2014-03-06T21:22:54 +00:00",
        "2014-03-06x21:22:54Z",
        "2014-03-06TT21:22:54Z",
        "2014-03-06T21:22:54UTC",
        "+2014-03-06T21:22:54Z",
        "12014-03-06T21:22:54Z",
        "2014-03-06Z",
        "2014/03/06",
        "１９７０-01-01", /* non-ASCII digits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rp_errbuf eb = {0};
        if (iso_err(bad[i], &eb) != RP_EPARSE) fail_msg("accepted '%s'", bad[i]);
        assert_int_equal(eb.code, RP_EPARSE);
        assert_true(strncmp(eb.msg, "time: ", 6) == 0);
    }
}

static void test_time_parse_error_messages(void **state)
{
    (void)state;
    struct rp_errbuf eb;
    assert_int_equal(iso_err("2023-13-01T00:00:00Z", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: bad month '13' at 5 in '2023-13-01T00:00:00Z'");
    assert_int_equal(iso_err("2014-03-06T21:22:54", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: missing zone ('Z' or an offset) at 19 (end of text) in "
                                "'2014-03-06T21:22:54'");
    assert_int_equal(iso_err("2014-03-06T21:22:54Z junk", &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "time: unexpected text ' junk' at 20 in '2014-03-06T21:22:54Z junk'");
    assert_int_equal(iso_err("2014-03-06T2x:22:54Z", &eb), RP_EPARSE);
    assert_string_equal(
        eb.msg, "time: expected 2 digits for hour, got '2' at 11 in '2014-03-06T2x:22:54Z'");
    assert_int_equal(iso_err("", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: bad year at 0 (end of text) in ''");
    /* control bytes and quotes are not copied into messages; long input is cut */
    assert_int_equal(iso_err("2014-03-06T21:22:54Z\n'", &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: unexpected text '?\?' at 20 in '2014-03-06T21:22:54Z?\?'");
    char big[200];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(iso_err(big, &eb), RP_EPARSE);
    assert_non_null(strstr(eb.msg, "..."));
    /* eb may be NULL */
    int64_t ms;
    assert_int_equal(rp_time_parse_iso(rp_str_from("nope"), &ms, NULL), RP_EPARSE);
}

/* The parser reads only the slice: bytes past len are never looked at. */
static void test_time_parse_respects_slice_length(void **state)
{
    (void)state;
    const char buf[] = "2014-03-06T21:22:54Z2014";
    int64_t ms;
    struct rp_str s = {buf, 20};
    assert_int_equal(rp_time_parse_iso(s, &ms, NULL), RP_OK);
    assert_true(ms == 1394140974000LL);
    s.len = 19;
    assert_int_equal(rp_time_parse_iso(s, &ms, NULL), RP_EPARSE);
    struct rp_str d = {"2023-06-01T", 10};
    assert_int_equal(rp_time_parse_iso(d, &ms, NULL), RP_OK);
    assert_true(ms == 1685577600000LL);
    struct rp_str e = {"16201406619", 10};
    assert_int_equal(rp_time_parse_epoch_s(e, &ms, NULL), RP_OK);
    assert_true(ms == 1620140661000LL);
}

static void test_time_parse_ignores_tz_environment(void **state)
{
    (void)state;
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    setenv("TZ", "America/St_Johns", 1);
    tzset();
    assert_true(iso("2014-03-06T21:22:54Z") == 1394140974000LL);
    assert_true(iso("2023-06-01") == 1685577600000LL);
    char buf[RP_TIME_ISO_BUFSZ];
    assert_int_equal(rp_time_format_iso(0, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

static void test_time_epoch_forms(void **state)
{
    (void)state;
    int64_t ms;
    struct rp_errbuf eb;
    /* VPC flow log start/end */
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("1620140661"), &ms, &eb), RP_OK);
    assert_true(ms == 1620140661000LL);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("1418530010"), &ms, &eb), RP_OK);
    assert_true(ms == 1418530010000LL);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("0"), &ms, &eb), RP_OK);
    assert_true(ms == 0);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("-1"), &ms, &eb), RP_OK);
    assert_true(ms == -1000);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("253402300799"), &ms, &eb), RP_OK);
    assert_true(ms == 253402300799000LL);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("-62135596800"), &ms, &eb), RP_OK);
    assert_true(ms == RP_TIME_MIN_MS);
    assert_int_equal(rp_time_parse_epoch_ms(rp_str_from("1620140661123"), &ms, &eb), RP_OK);
    assert_true(ms == 1620140661123LL);
    assert_int_equal(rp_time_parse_epoch_ms(rp_str_from("253402300799999"), &ms, &eb), RP_OK);
    assert_true(ms == RP_TIME_MAX_MS);

    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("253402300800"), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("-62135596801"), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_ms(rp_str_from("253402300800000"), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("99999999999999999999"), &ms, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "time: epoch value too long '99999999999999999999' at 0 in "
                                "'99999999999999999999'");
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("-"), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from(""), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("+1"), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from(" 1"), &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("1620140661.5"), &ms, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: expected epoch seconds (digits), got '.' at 10 in "
                                "'1620140661.5'");
    assert_int_equal(rp_time_parse_epoch_s(rp_str_from("-"), &ms, &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "time: expected epoch seconds (digits), got at 1 (end of text) in '-'");
}

static void test_time_relative_forms(void **state)
{
    (void)state;
    const int64_t now = 1700000000000LL;
    int64_t ms;
    struct rp_errbuf eb;
    assert_int_equal(rp_time_parse_relative(rp_str_from("7d"), now, &ms, &eb), RP_OK);
    assert_true(ms == now - 7 * 86400000LL);
    assert_int_equal(rp_time_parse_relative(rp_str_from("24h"), now, &ms, &eb), RP_OK);
    assert_true(ms == now - 24 * 3600000LL);
    assert_int_equal(rp_time_parse_relative(rp_str_from("30m"), now, &ms, &eb), RP_OK);
    assert_true(ms == now - 30 * 60000LL);
    assert_int_equal(rp_time_parse_relative(rp_str_from("45s"), now, &ms, &eb), RP_OK);
    assert_true(ms == now - 45000);
    assert_int_equal(rp_time_parse_relative(rp_str_from("2w"), now, &ms, &eb), RP_OK);
    assert_true(ms == now - 14 * 86400000LL);
    assert_int_equal(rp_time_parse_relative(rp_str_from("0d"), now, &ms, &eb), RP_OK);
    assert_true(ms == now);

    assert_int_equal(rp_time_parse_relative(rp_str_from("7D"), now, &ms, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: bad unit (s, m, h, d or w) 'D' at 1 in '7D'");
    assert_int_equal(rp_time_parse_relative(rp_str_from("7"), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_relative(rp_str_from("d"), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_relative(rp_str_from("-7d"), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_relative(rp_str_from("7dd"), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_relative(rp_str_from("1234567890d"), now, &ms, &eb), RP_EPARSE);
    /* 999999999 weeks reaches before year 1 */
    assert_int_equal(rp_time_parse_relative(rp_str_from("999999999w"), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_relative(rp_str_from("1s"), RP_TIME_MIN_MS, &ms, &eb),
                     RP_EPARSE);
}

static void test_time_filter_dispatch(void **state)
{
    (void)state;
    const int64_t now = 1700000000000LL;
    int64_t ms;
    struct rp_errbuf eb;
    assert_int_equal(rp_time_parse_filter(rp_str_from("now"), now, &ms, &eb), RP_OK);
    assert_true(ms == now);
    assert_int_equal(rp_time_parse_filter(rp_str_from("24h"), now, &ms, &eb), RP_OK);
    assert_true(ms == now - 86400000LL);
    assert_int_equal(rp_time_parse_filter(rp_str_from("2023-06-01"), now, &ms, &eb), RP_OK);
    assert_true(ms == 1685577600000LL);
    assert_int_equal(rp_time_parse_filter(rp_str_from("2014-03-06T21:22:54Z"), now, &ms, &eb),
                     RP_OK);
    assert_true(ms == 1394140974000LL);
    /* all digits are epoch seconds, never a basic-format date */
    assert_int_equal(rp_time_parse_filter(rp_str_from("20230601"), now, &ms, &eb), RP_OK);
    assert_true(ms == 20230601000LL);
    assert_int_equal(rp_time_parse_filter(rp_str_from("7x"), now, &ms, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "time: bad unit (s, m, h, d or w) 'x' at 1 in '7x'");
    assert_int_equal(rp_time_parse_filter(rp_str_from("yesterday"), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_filter(rp_str_from(""), now, &ms, &eb), RP_EPARSE);
    assert_int_equal(rp_time_parse_filter(rp_str_from("NOW"), now, &ms, &eb), RP_EPARSE);
}

static void test_time_format_iso(void **state)
{
    (void)state;
    char buf[RP_TIME_ISO_BUFSZ];
    assert_int_equal(rp_time_format_iso(1394140974000LL, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "2014-03-06T21:22:54.000Z");
    assert_int_equal(rp_time_format_iso_s(1394140974000LL, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "2014-03-06T21:22:54Z");
    assert_int_equal(rp_time_format_iso(1600991425123LL, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "2020-09-24T23:50:25.123Z");
    assert_int_equal(rp_time_format_iso(-1, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    assert_int_equal(rp_time_format_iso_s(-1, buf, sizeof buf), RP_OK); /* floor */
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    assert_int_equal(rp_time_format_iso(951782400000LL, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "2000-02-29T00:00:00.000Z");
    assert_int_equal(rp_time_format_iso(RP_TIME_MIN_MS, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "0001-01-01T00:00:00.000Z");
    assert_int_equal(rp_time_format_iso(RP_TIME_MAX_MS, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "9999-12-31T23:59:59.999Z");

    assert_int_equal(rp_time_format_iso(RP_TIME_MAX_MS + 1, buf, sizeof buf), RP_EINVAL);
    assert_string_equal(buf, "");
    assert_int_equal(rp_time_format_iso(RP_TIME_MIN_MS - 1, buf, sizeof buf), RP_EINVAL);
    assert_int_equal(rp_time_format_iso(INT64_MIN, buf, sizeof buf), RP_EINVAL);
    assert_int_equal(rp_time_format_iso(0, buf, 25), RP_OK);
    assert_int_equal(rp_time_format_iso(0, buf, 24), RP_ELIMIT);
    assert_string_equal(buf, "");
    assert_int_equal(rp_time_format_iso_s(0, buf, 21), RP_OK);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    assert_int_equal(rp_time_format_iso_s(0, buf, 20), RP_ELIMIT);
    assert_int_equal(rp_time_format_iso(0, NULL, 0), RP_ELIMIT);
}

/* format -> parse is the identity over the whole range (sampled with a fixed LCG). */
static void test_time_format_parse_roundtrip(void **state)
{
    (void)state;
    char buf[RP_TIME_ISO_BUFSZ];
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    const uint64_t span = (uint64_t)(RP_TIME_MAX_MS - RP_TIME_MIN_MS) + 1;
    for (int i = 0; i < 200000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t ms = RP_TIME_MIN_MS + (int64_t)(x % span);
        if (i < 4) ms = i == 0 ? RP_TIME_MIN_MS : i == 1 ? RP_TIME_MAX_MS : i == 2 ? 0 : -1;
        int64_t back;
        assert_int_equal(rp_time_format_iso(ms, buf, sizeof buf), RP_OK);
        assert_int_equal(rp_time_parse_iso(rp_str_from(buf), &back, NULL), RP_OK);
        assert_true(back == ms);
        assert_int_equal(rp_time_format_iso_s(ms, buf, sizeof buf), RP_OK);
        assert_int_equal(rp_time_parse_iso(rp_str_from(buf), &back, NULL), RP_OK);
        assert_true(back == ms - ((ms % 1000) + 1000) % 1000);
    }
}

static void test_time_civil_conversions(void **state)
{
    (void)state;
    struct rp_time_civil c;
    int64_t ms;
    assert_int_equal(rp_time_to_civil(1475862740806LL, &c), RP_OK);
    assert_int_equal(c.year, 2016);
    assert_int_equal(c.month, 10);
    assert_int_equal(c.day, 7);
    assert_int_equal(c.hour, 17);
    assert_int_equal(c.minute, 52);
    assert_int_equal(c.second, 20);
    assert_int_equal(c.ms, 806);
    assert_int_equal(rp_time_from_civil(&c, &ms), RP_OK);
    assert_true(ms == 1475862740806LL);
    assert_int_equal(rp_time_to_civil(RP_TIME_MAX_MS + 1, &c), RP_EINVAL);

    struct rp_time_civil bad = {1900, 2, 29, 0, 0, 0, 0};
    assert_int_equal(rp_time_from_civil(&bad, &ms), RP_EINVAL);
    bad = (struct rp_time_civil){2000, 2, 29, 0, 0, 60, 0};
    assert_int_equal(rp_time_from_civil(&bad, &ms), RP_EINVAL);
    bad = (struct rp_time_civil){10000, 1, 1, 0, 0, 0, 0};
    assert_int_equal(rp_time_from_civil(&bad, &ms), RP_EINVAL);

    assert_true(rp_time_days_from_civil(1970, 1, 1) == 0);
    assert_true(rp_time_days_from_civil(2000, 3, 1) == 11017);
    assert_true(rp_time_days_from_civil(1, 1, 1) == -719162);
    /* consecutive days over all 9999 years: every date maps to the next integer */
    int64_t prev = rp_time_days_from_civil(1, 1, 1) - 1;
    for (int y = 1; y <= 9999; y++) {
        for (int m = 1; m <= 12; m++) {
            static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int nd = dim[m - 1] + (m == 2 && rp_time_is_leap_year(y));
            for (int d = 1; d <= nd; d++) {
                int64_t z = rp_time_days_from_civil(y, (unsigned)m, (unsigned)d);
                if (z != prev + 1) fail_msg("%04d-%02d-%02d", y, m, d);
                prev = z;
            }
        }
    }
    assert_true(prev == rp_time_days_from_civil(9999, 12, 31));
    assert_true(rp_time_is_leap_year(2000));
    assert_false(rp_time_is_leap_year(1900));
    assert_true(rp_time_is_leap_year(2024));
    assert_false(rp_time_is_leap_year(2023));
}

static void test_time_now_ms_is_wall_clock(void **state)
{
    (void)state;
    int64_t a = rp_time_now_ms();
    time_t t = time(NULL);
    int64_t b = rp_time_now_ms();
    assert_true(a <= b);
    assert_true(a / 1000 <= (int64_t)t + 1 && (int64_t)t <= b / 1000 + 1);
    assert_true(a > 1577836800000LL); /* after 2020-01-01 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse_aws_variants),
        cmocka_unit_test(test_time_parse_fraction_lengths),
        cmocka_unit_test(test_time_parse_offsets),
        cmocka_unit_test(test_time_parse_case_space_and_minutes),
        cmocka_unit_test(test_time_parse_date_only_is_midnight_utc),
        cmocka_unit_test(test_time_parse_basic_format),
        cmocka_unit_test(test_time_parse_calendar_boundaries),
        cmocka_unit_test(test_time_parse_leap_second_rule),
        cmocka_unit_test(test_time_parse_rejects_malformed),
        cmocka_unit_test(test_time_parse_error_messages),
        cmocka_unit_test(test_time_parse_respects_slice_length),
        cmocka_unit_test(test_time_parse_ignores_tz_environment),
        cmocka_unit_test(test_time_epoch_forms),
        cmocka_unit_test(test_time_relative_forms),
        cmocka_unit_test(test_time_filter_dispatch),
        cmocka_unit_test(test_time_format_iso),
        cmocka_unit_test(test_time_format_parse_roundtrip),
        cmocka_unit_test(test_time_civil_conversions),
        cmocka_unit_test(test_time_now_ms_is_wall_clock),
    };
    return cmocka_run_group_tests_name("core_time", tests, NULL, NULL);
}
