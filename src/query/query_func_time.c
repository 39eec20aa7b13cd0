/* SPDX-License-Identifier: Apache-2.0 */
/* The "time" group of `rampart query` functions: Presto's date and time functions
 * (from_iso8601_timestamp, date_parse, date_format, date_diff, date_add, date_trunc,
 * from_unixtime, to_unixtime, now, year() .. week()) over timestamps held as TEXT.
 *
 * A timestamp is 'YYYY-MM-DD HH:MM:SS.mmm' in UTC (Presto's rendering without the zone), so
 * timestamps compare as text and SQLite's own date functions read them. Every argument that
 * is a timestamp may also be ISO 8601 with 'T', 'Z' or an offset (converted to UTC), with any
 * number of fraction digits (truncated to ms), or a bare 'YYYY-MM-DD' (midnight); anything
 * else gives NULL. Calendar arithmetic uses core/rp_time (days-from-civil), never libc, and
 * follows Joda-Time, which Presto uses: month and year differences count whole calendar
 * units, adding months clamps the day to the end of the month. */
#define RP_LOG_MODULE "query"
#include <math.h>
#include <string.h>

#include "query/query_func.h"
#include "query/query_table.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define TS_LEN 23 /* "YYYY-MM-DD HH:MM:SS.mmm" */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && rp_time_is_leap_year(y) ? 29 : dim[m - 1];
}

/* ---- timestamps as text ------------------------------------------------------------------- */

static bool num(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* The common forms without calling the general parser: 'YYYY-MM-DD HH:MM:SS[.mmm]', with ' '
 * or 'T', and an optional 'Z'. */
static bool ts_fast(const char *s, size_t n, int64_t *ms)
{
    struct rp_time_civil c = {0};
    if (n == 20 || n == 24) {
        if (s[n - 1] != 'Z') return false;
        n--;
    }
    if (n != 19 && n != 23) return false;
    if (s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        s[16] != ':')
        return false;
    if (!num(s, 4, &c.year) || !num(s + 5, 2, &c.month) || !num(s + 8, 2, &c.day) ||
        !num(s + 11, 2, &c.hour) || !num(s + 14, 2, &c.minute) || !num(s + 17, 2, &c.second))
        return false;
    if (n == 23 && (s[19] != '.' || !num(s + 20, 3, &c.ms))) return false;
    return rp_time_from_civil(&c, ms) == RP_OK;
}

/* Parse a timestamp text (see the top of this file). */
static bool ts_text(const char *s, size_t n, int64_t *ms)
{
    if (ts_fast(s, n, ms)) return true;
    bool zone = n > 0 && (s[n - 1] == 'Z' || s[n - 1] == 'z');
    for (size_t i = 10; i < n && !zone; i++) zone = s[i] == '+' || s[i] == '-';
    if (zone || n <= 10) return rp_time_parse_iso((struct rp_str){s, n}, ms, NULL) == RP_OK;
    char b[64];
    if (n >= sizeof b) return false;
    memcpy(b, s, n);
    b[n] = 'Z'; /* no zone: the time is UTC */
    return rp_time_parse_iso((struct rp_str){b, n + 1}, ms, NULL) == RP_OK;
}

/* A timestamp argument; false for NULL, non-text values and text that is not a timestamp. */
static bool ts_arg(sqlite3_value *v, int64_t *ms)
{
    if (sqlite3_value_type(v) != SQLITE_TEXT) return false;
    const char *s = (const char *)sqlite3_value_text(v);
    return s && ts_text(s, (size_t)sqlite3_value_bytes(v), ms);
}

static char *put(char *p, int v, int width)
{
    for (int k = width - 1; k >= 0; k--) {
        p[k] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* 'YYYY-MM-DD HH:MM:SS.mmm' of ms into buf[TS_LEN + 1]; false outside the year range. */
static bool ts_format(int64_t ms, char *buf)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) return false;
    char *p = put(buf, c.year, 4);
    *p++ = '-';
    p = put(p, c.month, 2);
    *p++ = '-';
    p = put(p, c.day, 2);
    *p++ = ' ';
    p = put(p, c.hour, 2);
    *p++ = ':';
    p = put(p, c.minute, 2);
    *p++ = ':';
    p = put(p, c.second, 2);
    *p++ = '.';
    p = put(p, c.ms, 3);
    *p = '\0';
    return true;
}

static void result_ts(sqlite3_context *ctx, int64_t ms)
{
    char buf[TS_LEN + 1];
    if (ts_format(ms, buf))
        sqlite3_result_text(ctx, buf, TS_LEN, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

/* ---- units -------------------------------------------------------------------------------- */

enum unit { U_MS, U_SECOND, U_MINUTE, U_HOUR, U_DAY, U_WEEK, U_MONTH, U_QUARTER, U_YEAR };

static const char *const unit_names[] = {"millisecond", "second", "minute",  "hour", "day",
                                         "week",        "month",  "quarter", "year"};

static const int64_t unit_ms[] = {1,
                                  RP_TIME_MS_PER_SEC,
                                  RP_TIME_MS_PER_MIN,
                                  RP_TIME_MS_PER_HOUR,
                                  RP_TIME_MS_PER_DAY,
                                  7 * RP_TIME_MS_PER_DAY,
                                  0,
                                  0,
                                  0};

/* The unit of argument v: 1 with *u set; 0 for NULL (result set to NULL); -1 after setting
 * the error for an unknown unit. */
static int unit_arg(sqlite3_context *ctx, sqlite3_value *v, const char *fname, enum unit *u)
{
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(v, &s, &n)) {
        sqlite3_result_null(ctx);
        return 0;
    }
    for (size_t i = 0; i < RP_ARRAY_LEN(unit_names); i++) {
        if (rp_qf_eq_nocase(s, n, unit_names[i])) {
            *u = (enum unit)i;
            return 1;
        }
    }
    rp_qf_error(ctx, "%s: unknown unit '%.*s'", fname, (int)(n > 64 ? 64 : n), s);
    return -1;
}

/* ---- calendar arithmetic (Joda-Time's rules) ------------------------------------------------ */

/* ms plus k months, the day clamped to the length of the target month; false out of range. */
static bool add_months(int64_t ms, int64_t k, int64_t *out)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) return false;
    if (k > 12 * 10000 || k < -12 * 10000) return false;
    int64_t total = (int64_t)c.year * 12 + (c.month - 1) + k;
    int64_t y = floor_div(total, 12);
    if (y < 1 || y > 9999) return false;
    c.year = (int)y;
    c.month = (int)(total - y * 12) + 1;
    int dim = days_in_month(c.year, c.month);
    if (c.day > dim) c.day = dim;
    return rp_time_from_civil(&c, out) == RP_OK;
}

/* ms since the start of its month. */
static int64_t month_rem(const struct rp_time_civil *c, int day)
{
    return (int64_t)(day - 1) * RP_TIME_MS_PER_DAY + c->hour * RP_TIME_MS_PER_HOUR +
           c->minute * RP_TIME_MS_PER_MIN + c->second * RP_TIME_MS_PER_SEC + c->ms;
}

/* Whole months from b to a (Joda's BasicMonthOfYearDateTimeField.getDifferenceAsLong). */
static int64_t months_between(int64_t a, int64_t b)
{
    if (a < b) return -months_between(b, a);
    struct rp_time_civil ca, cb;
    if (rp_time_to_civil(a, &ca) != RP_OK || rp_time_to_civil(b, &cb) != RP_OK) return 0;
    int64_t diff = ((int64_t)ca.year - cb.year) * 12 + ca.month - cb.month;
    int bday = cb.day;
    /* a on the last day of its month counts as a full month from any later day of b's. */
    if (ca.day == days_in_month(ca.year, ca.month) && bday > ca.day) bday = ca.day;
    if (month_rem(&ca, ca.day) < month_rem(&cb, bday)) diff--;
    return diff;
}

/* Whole years from b to a (Joda's BasicGJChronology.getYearDifference). */
static int64_t years_between(int64_t a, int64_t b)
{
    if (a < b) return -years_between(b, a);
    struct rp_time_civil ca, cb;
    if (rp_time_to_civil(a, &ca) != RP_OK || rp_time_to_civil(b, &cb) != RP_OK) return 0;
    int64_t arem = a - rp_time_days_from_civil(ca.year, 1, 1) * RP_TIME_MS_PER_DAY;
    int64_t brem = b - rp_time_days_from_civil(cb.year, 1, 1) * RP_TIME_MS_PER_DAY;
    const int64_t feb29 = 59 * RP_TIME_MS_PER_DAY;
    if (brem >= feb29) {
        if (rp_time_is_leap_year(cb.year)) {
            if (!rp_time_is_leap_year(ca.year)) brem -= RP_TIME_MS_PER_DAY;
        } else if (arem >= feb29 && rp_time_is_leap_year(ca.year)) {
            arem -= RP_TIME_MS_PER_DAY;
        }
    }
    int64_t diff = (int64_t)ca.year - cb.year;
    if (arem < brem) diff--;
    return diff;
}

static bool trunc_to(int64_t ms, enum unit u, int64_t *out)
{
    struct rp_time_civil c;
    switch (u) {
    case U_MS:
        *out = ms;
        return true;
    case U_SECOND:
    case U_MINUTE:
    case U_HOUR:
    case U_DAY:
        *out = floor_div(ms, unit_ms[u]) * unit_ms[u];
        return true;
    case U_WEEK: {
        int64_t days = floor_div(ms, RP_TIME_MS_PER_DAY);
        int64_t dow = ((days + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; Monday = 0 */
        *out = (days - dow) * RP_TIME_MS_PER_DAY;
        return *out >= RP_TIME_MIN_MS;
    }
    default:
        break;
    }
    if (rp_time_to_civil(ms, &c) != RP_OK) return false;
    if (u == U_QUARTER) c.month = (c.month - 1) / 3 * 3 + 1;
    if (u == U_YEAR) c.month = 1;
    c.day = 1;
    c.hour = c.minute = c.second = c.ms = 0;
    return rp_time_from_civil(&c, out) == RP_OK;
}

/* ---- conversion functions ------------------------------------------------------------------- */

static void from_iso8601_timestamp_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int64_t ms = 0;
    if (ts_arg(argv[0], &ms))
        result_ts(ctx, ms);
    else
        sqlite3_result_null(ctx);
}

/* True when s[0..n) is exactly a valid 'YYYY-MM-DD'. */
static bool is_date(const char *s, size_t n)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!num(s, 4, &y) || !num(s + 5, 2, &m) || !num(s + 8, 2, &d)) return false;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static void from_iso8601_date_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL;
    size_t n = 0;
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT && rp_qf_text(argv[0], &s, &n) && is_date(s, n))
        sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
}

static void to_iso8601_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL;
    size_t n = 0;
    int64_t ms = 0;
    char buf[RP_TIME_ISO_BUFSZ];
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT && rp_qf_text(argv[0], &s, &n) &&
        is_date(s, n)) {
        sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT); /* a DATE stays a date */
        return;
    }
    if (!ts_arg(argv[0], &ms) || rp_time_format_iso(ms, buf, sizeof buf) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void from_unixtime_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int64_t ms = 0;
    int t = sqlite3_value_numeric_type(argv[0]);
    if (t == SQLITE_INTEGER) {
        int64_t s = sqlite3_value_int64(argv[0]);
        if (s > RP_TIME_MAX_MS / 1000 || s < RP_TIME_MIN_MS / 1000) {
            sqlite3_result_null(ctx);
            return;
        }
        ms = s * 1000;
    } else if (t == SQLITE_FLOAT) {
        double d = sqlite3_value_double(argv[0]) * 1000.0;
        if (!(d >= (double)RP_TIME_MIN_MS && d <= (double)RP_TIME_MAX_MS)) {
            sqlite3_result_null(ctx);
            return;
        }
        ms = llround(d);
    } else {
        sqlite3_result_null(ctx);
        return;
    }
    result_ts(ctx, ms);
}

static void to_unixtime_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int64_t ms = 0;
    if (ts_arg(argv[0], &ms))
        sqlite3_result_double(ctx, (double)ms / 1000.0);
    else
        sqlite3_result_null(ctx);
}

static void now_free(void *p)
{
    sqlite3_free(p);
}

/* The statement's time: the first call in a run of a statement reads the clock and keeps it
 * as auxiliary data not tied to an argument (N = -1), which SQLite 3.40 keeps until the
 * statement is reset; so every row and every now() of one run agree, as in Presto, where
 * now() is the query's start. test_query_func_time pins this behaviour. */
static void now_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    int64_t *p = sqlite3_get_auxdata(ctx, -1);
    if (p) {
        result_ts(ctx, *p);
        return;
    }
    int64_t ms = rp_time_now_ms();
    result_ts(ctx, ms);
    p = sqlite3_malloc64(sizeof *p);
    if (!p) return;
    *p = ms;
    sqlite3_set_auxdata(ctx, -1, p, now_free);
}

/* ---- arithmetic ----------------------------------------------------------------------------- */

static void date_trunc_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    enum unit u = U_MS;
    int64_t ms = 0, out = 0;
    if (unit_arg(ctx, argv[0], "date_trunc", &u) <= 0) return;
    if (ts_arg(argv[1], &ms) && trunc_to(ms, u, &out))
        result_ts(ctx, out);
    else
        sqlite3_result_null(ctx);
}

static void date_add_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    enum unit u = U_MS;
    int64_t ms = 0, out = 0;
    if (unit_arg(ctx, argv[0], "date_add", &u) <= 0) return;
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || !ts_arg(argv[2], &ms)) {
        sqlite3_result_null(ctx);
        return;
    }
    int64_t k = sqlite3_value_int64(argv[1]);
    bool ok;
    if (u == U_MONTH || u == U_QUARTER || u == U_YEAR) {
        int64_t per = u == U_MONTH ? 1 : u == U_QUARTER ? 3 : 12;
        int64_t months = 0;
        ok = !__builtin_mul_overflow(k, per, &months) && add_months(ms, months, &out);
    } else {
        int64_t d = 0;
        ok = !__builtin_mul_overflow(k, unit_ms[u], &d) && !__builtin_add_overflow(ms, d, &out);
    }
    if (ok)
        result_ts(ctx, out);
    else
        sqlite3_result_null(ctx);
}

static void date_diff_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    enum unit u = U_MS;
    int64_t a = 0, b = 0, d = 0;
    if (unit_arg(ctx, argv[0], "date_diff", &u) <= 0) return;
    if (!ts_arg(argv[1], &a) || !ts_arg(argv[2], &b)) {
        sqlite3_result_null(ctx);
        return;
    }
    switch (u) {
    case U_MONTH:
        d = months_between(b, a);
        break;
    case U_QUARTER:
        d = months_between(b, a) / 3;
        break;
    case U_YEAR:
        d = years_between(b, a);
        break;
    default:
        d = (b - a) / unit_ms[u];
        break;
    }
    sqlite3_result_int64(ctx, d);
}

/* ---- fields --------------------------------------------------------------------------------- */

enum field {
    F_YEAR,
    F_QUARTER,
    F_MONTH,
    F_DAY,
    F_HOUR,
    F_MINUTE,
    F_SECOND,
    F_MS,
    F_DOW,
    F_DOY,
    F_WEEK,
    F_YOW
};

static int day_of_week(int64_t days) /* ISO: Monday = 1 .. Sunday = 7 */
{
    return (int)(((days + 3) % 7 + 7) % 7) + 1;
}

static int weeks_in_year(int64_t y)
{
    int64_t p = (y + y / 4 - y / 100 + y / 400) % 7;
    int64_t q = ((y - 1) + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400) % 7;
    return p == 4 || q == 3 ? 53 : 52;
}

/* ISO 8601 week number and week-based year of a date. */
static void iso_week(int y, int m, int d, int *week, int *wyear)
{
    int64_t days = rp_time_days_from_civil(y, (unsigned)m, (unsigned)d);
    int doy = (int)(days - rp_time_days_from_civil(y, 1, 1)) + 1;
    int w = (doy - day_of_week(days) + 10) / 7;
    *wyear = y;
    if (w < 1) {
        *wyear = y - 1;
        w = weeks_in_year(y - 1);
    } else if (w > weeks_in_year(y)) {
        *wyear = y + 1;
        w = 1;
    }
    *week = w;
}

static int64_t field_of(int64_t ms, const struct rp_time_civil *c, enum field f)
{
    int64_t days = floor_div(ms, RP_TIME_MS_PER_DAY);
    int week = 0, wyear = 0;
    switch (f) {
    case F_YEAR:
        return c->year;
    case F_QUARTER:
        return (c->month - 1) / 3 + 1;
    case F_MONTH:
        return c->month;
    case F_DAY:
        return c->day;
    case F_HOUR:
        return c->hour;
    case F_MINUTE:
        return c->minute;
    case F_SECOND:
        return c->second;
    case F_MS:
        return c->ms;
    case F_DOW:
        return day_of_week(days);
    case F_DOY:
        return days - rp_time_days_from_civil(c->year, 1, 1) + 1;
    case F_WEEK:
        iso_week(c->year, c->month, c->day, &week, &wyear);
        return week;
    case F_YOW:
        iso_week(c->year, c->month, c->day, &week, &wyear);
        return wyear;
    }
    return 0;
}

static void field_fn(sqlite3_context *ctx, sqlite3_value *v, enum field f)
{
    int64_t ms = 0;
    struct rp_time_civil c;
    if (!ts_arg(v, &ms) || rp_time_to_civil(ms, &c) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int64(ctx, field_of(ms, &c, f));
}

#define FIELD_FN(name, f)                                                                          \
    static void name##_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)                    \
    {                                                                                              \
        (void)argc;                                                                                \
        field_fn(ctx, argv[0], f);                                                                 \
    }
FIELD_FN(year, F_YEAR)
FIELD_FN(quarter, F_QUARTER)
FIELD_FN(month, F_MONTH)
FIELD_FN(day, F_DAY)
FIELD_FN(hour, F_HOUR)
FIELD_FN(minute, F_MINUTE)
FIELD_FN(second, F_SECOND)
FIELD_FN(millisecond, F_MS)
FIELD_FN(day_of_week, F_DOW)
FIELD_FN(day_of_year, F_DOY)
FIELD_FN(week, F_WEEK)
FIELD_FN(year_of_week, F_YOW)

/* ---- date_format / date_parse (MySQL specifiers) -------------------------------------------- */

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
static const char *const day_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};

static rp_err put_num(struct rp_buf *b, int64_t v, int width)
{
    return rp_buf_printf(b, "%0*lld", width, (long long)v);
}

/* Append the expansion of specifier c for ms to b. RP_EINVAL for an unsupported c. */
static rp_err format_spec(struct rp_buf *b, char c, int64_t ms, const struct rp_time_civil *t)
{
    int64_t days = floor_div(ms, RP_TIME_MS_PER_DAY);
    int h12 = t->hour % 12 == 0 ? 12 : t->hour % 12;
    int dow = day_of_week(days);
    switch (c) {
    case 'Y':
        return put_num(b, t->year, 4);
    case 'y':
        return put_num(b, t->year % 100, 2);
    case 'm':
        return put_num(b, t->month, 2);
    case 'c':
        return put_num(b, t->month, 1);
    case 'd':
        return put_num(b, t->day, 2);
    case 'e':
        return put_num(b, t->day, 1);
    case 'H':
        return put_num(b, t->hour, 2);
    case 'k':
        return put_num(b, t->hour, 1);
    case 'h':
    case 'I':
        return put_num(b, h12, 2);
    case 'l':
        return put_num(b, h12, 1);
    case 'i':
        return put_num(b, t->minute, 2);
    case 's':
    case 'S':
        return put_num(b, t->second, 2);
    case 'f':
        return put_num(b, (int64_t)t->ms * 1000, 6);
    case 'p':
        return rp_buf_append_str(b, t->hour < 12 ? "AM" : "PM");
    case 'T':
        return rp_buf_printf(b, "%02d:%02d:%02d", t->hour, t->minute, t->second);
    case 'r':
        return rp_buf_printf(b, "%02d:%02d:%02d %s", h12, t->minute, t->second,
                             t->hour < 12 ? "AM" : "PM");
    case 'b':
        return rp_buf_append(b, month_names[t->month - 1], 3);
    case 'M':
        return rp_buf_append_str(b, month_names[t->month - 1]);
    case 'a':
        return rp_buf_append(b, day_names[dow - 1], 3);
    case 'W':
        return rp_buf_append_str(b, day_names[dow - 1]);
    case 'w':
        return put_num(b, dow % 7, 1);
    case 'j':
        return put_num(b, days - rp_time_days_from_civil(t->year, 1, 1) + 1, 3);
    case '%':
        return rp_buf_putc(b, '%');
    default:
        return RP_EINVAL; /* check_format keeps these out */
    }
}

/* Check every specifier of the format f[0..n) against supported; false after setting the
 * error for the first one that is not there, or for a '%' at the end. */
static bool check_format(sqlite3_context *ctx, const char *fname, const char *f, size_t n,
                         const char *supported)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '%') continue;
        if (i + 1 >= n) {
            rp_qf_error(ctx, "%s: format ends with a lone '%%'", fname);
            return false;
        }
        if (f[i + 1] == '\0' || !strchr(supported, f[i + 1])) {
            rp_qf_error(ctx, "%s: unsupported format specifier '%%%c'", fname, f[i + 1]);
            return false;
        }
        i++;
    }
    return true;
}

#define FORMAT_SPECS "YymcdeHkhIliSsfpTrbMaWwj%"
#define PARSE_SPECS  "YymcdeHkhIliSsfpTrbMaWj%"

static void date_format_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *f = NULL;
    size_t n = 0;
    int64_t ms = 0;
    struct rp_time_civil t;
    if (!rp_qf_text(argv[1], &f, &n)) return;
    if (!check_format(ctx, "date_format", f, n, FORMAT_SPECS)) return;
    if (!ts_arg(argv[0], &ms) || rp_time_to_civil(ms, &t) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    struct rp_buf b;
    rp_buf_init(&b, (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
    rp_err e = RP_OK;
    for (size_t i = 0; i < n && !e; i++) {
        if (f[i] != '%') {
            e = rp_buf_putc(&b, f[i]);
        } else {
            e = format_spec(&b, f[i + 1], ms, &t);
            i++;
        }
    }
    if (e) {
        rp_buf_release(&b);
        rp_qf_result_err(ctx, e);
        return;
    }
    rp_qf_result_buf(ctx, &b, false);
}

/* What date_parse has read so far. */
struct parsed {
    int year, month, day, hour, minute, second, ms, doy;
    int pm; /* -1 none, 0 AM, 1 PM */
    bool h12;
};

/* Read 1..max digits at s[*i]. */
static bool read_num(const char *s, size_t n, size_t *i, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && is_digit(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    *out = v;
    return k > 0;
}

/* Read one of names (full, or the first three letters), ignoring case; its index. */
static bool read_name(const char *s, size_t n, size_t *i, const char *const *names, int count,
                      int *out)
{
    for (int k = 0; k < count; k++) {
        size_t len = strlen(names[k]);
        if (n - *i >= len && rp_qf_eq_nocase(s + *i, len, names[k])) {
            *i += len;
            *out = k;
            return true;
        }
    }
    for (int k = 0; k < count; k++) {
        char abbr[4] = {names[k][0], names[k][1], names[k][2], '\0'};
        if (n - *i >= 3 && rp_qf_eq_nocase(s + *i, 3, abbr)) {
            *i += 3;
            *out = k;
            return true;
        }
    }
    return false;
}

/* Apply specifier c to s at *i. 1 read, 0 mismatch, -1 unsupported specifier. */
static int parse_spec(char c, const char *s, size_t n, size_t *i, struct parsed *p)
{
    int v = 0;
    switch (c) {
    case 'Y':
        return read_num(s, n, i, 4, &p->year);
    case 'y':
        if (n - *i < 2 || !is_digit(s[*i]) || !is_digit(s[*i + 1])) return 0;
        read_num(s, n, i, 2, &v);
        p->year = v < 70 ? 2000 + v : 1900 + v;
        return 1;
    case 'm':
    case 'c':
        return read_num(s, n, i, 2, &p->month);
    case 'd':
    case 'e':
        return read_num(s, n, i, 2, &p->day);
    case 'H':
    case 'k':
        p->h12 = false;
        return read_num(s, n, i, 2, &p->hour);
    case 'h':
    case 'I':
    case 'l':
        p->h12 = true;
        return read_num(s, n, i, 2, &p->hour);
    case 'i':
        return read_num(s, n, i, 2, &p->minute);
    case 's':
    case 'S':
        return read_num(s, n, i, 2, &p->second);
    case 'f': {
        size_t start = *i;
        int ms = 0, k = 0;
        while (*i < n && is_digit(s[*i]) && *i - start < 9) {
            if (k < 3) ms = ms * 10 + (s[*i] - '0');
            k++;
            (*i)++;
        }
        if (k == 0) return 0;
        for (; k < 3; k++) ms *= 10;
        p->ms = ms;
        return 1;
    }
    case 'p':
        if (n - *i < 2) return 0;
        if (rp_qf_eq_nocase(s + *i, 2, "AM"))
            p->pm = 0;
        else if (rp_qf_eq_nocase(s + *i, 2, "PM"))
            p->pm = 1;
        else
            return 0;
        *i += 2;
        return 1;
    case 'T':
        return parse_spec('H', s, n, i, p) == 1 && *i < n && s[(*i)++] == ':' &&
               parse_spec('i', s, n, i, p) == 1 && *i < n && s[(*i)++] == ':' &&
               parse_spec('S', s, n, i, p) == 1;
    case 'r':
        return parse_spec('h', s, n, i, p) == 1 && *i < n && s[(*i)++] == ':' &&
               parse_spec('i', s, n, i, p) == 1 && *i < n && s[(*i)++] == ':' &&
               parse_spec('S', s, n, i, p) == 1 && *i < n && s[(*i)++] == ' ' &&
               parse_spec('p', s, n, i, p) == 1;
    case 'b':
    case 'M':
        if (!read_name(s, n, i, month_names, 12, &v)) return 0;
        p->month = v + 1;
        return 1;
    case 'a':
    case 'W':
        return read_name(s, n, i, day_names, 7, &v); /* read, not checked against the date */
    case 'j':
        return read_num(s, n, i, 3, &p->doy);
    case '%':
        if (*i >= n || s[*i] != '%') return 0;
        (*i)++;
        return 1;
    default:
        return -1;
    }
}

static void date_parse_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = NULL, *f = NULL;
    size_t n = 0, fn = 0, i = 0;
    if (!rp_qf_text(argv[1], &f, &fn)) return;
    if (!check_format(ctx, "date_parse", f, fn, PARSE_SPECS)) return;
    if (!rp_qf_text(argv[0], &s, &n)) return;
    struct parsed p = {1970, 1, 1, 0, 0, 0, 0, 0, -1, false};
    bool ok = true;
    for (size_t k = 0; k < fn && ok; k++) {
        if (f[k] != '%') {
            ok = i < n && s[i] == f[k];
            i++;
        } else {
            ok = parse_spec(f[k + 1], s, n, &i, &p) == 1;
            k++;
        }
    }
    if (!ok || i != n) {
        sqlite3_result_null(ctx);
        return;
    }
    if (p.h12) {
        if (p.hour < 1 || p.hour > 12) {
            sqlite3_result_null(ctx);
            return;
        }
        if (p.pm >= 0) p.hour = p.hour % 12 + (p.pm ? 12 : 0);
    } else if (p.pm == 1 && p.hour < 12) {
        p.hour += 12;
    }
    struct rp_time_civil c = {p.year, p.month, p.day, p.hour, p.minute, p.second, p.ms};
    int64_t ms = 0;
    if (p.doy > 0) {
        int len = rp_time_is_leap_year(p.year) ? 366 : 365;
        if (p.doy > len || p.year < 1 || p.year > 9999) {
            sqlite3_result_null(ctx);
            return;
        }
        c.month = c.day = 1;
        if (rp_time_from_civil(&c, &ms) != RP_OK) {
            sqlite3_result_null(ctx);
            return;
        }
        ms += (int64_t)(p.doy - 1) * RP_TIME_MS_PER_DAY;
    } else if (rp_time_from_civil(&c, &ms) != RP_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    result_ts(ctx, ms);
}

static const struct rp_qf_def defs[] = {
    {"date_add", 3, RP_QF_DET, date_add_fn, NULL, NULL},
    {"date_diff", 3, RP_QF_DET, date_diff_fn, NULL, NULL},
    {"date_format", 2, RP_QF_DET, date_format_fn, NULL, NULL},
    {"date_parse", 2, RP_QF_DET, date_parse_fn, NULL, NULL},
    {"date_trunc", 2, RP_QF_DET, date_trunc_fn, NULL, NULL},
    {"day", 1, RP_QF_DET, day_fn, NULL, NULL},
    {"day_of_month", 1, RP_QF_DET, day_fn, NULL, NULL},
    {"day_of_week", 1, RP_QF_DET, day_of_week_fn, NULL, NULL},
    {"day_of_year", 1, RP_QF_DET, day_of_year_fn, NULL, NULL},
    {"dow", 1, RP_QF_DET, day_of_week_fn, NULL, NULL},
    {"doy", 1, RP_QF_DET, day_of_year_fn, NULL, NULL},
    {"from_iso8601_date", 1, RP_QF_DET, from_iso8601_date_fn, NULL, NULL},
    {"from_iso8601_timestamp", 1, RP_QF_DET, from_iso8601_timestamp_fn, NULL, NULL},
    {"from_unixtime", 1, RP_QF_DET, from_unixtime_fn, NULL, NULL},
    {"hour", 1, RP_QF_DET, hour_fn, NULL, NULL},
    {"millisecond", 1, RP_QF_DET, millisecond_fn, NULL, NULL},
    {"minute", 1, RP_QF_DET, minute_fn, NULL, NULL},
    {"month", 1, RP_QF_DET, month_fn, NULL, NULL},
    {"now", 0, 0, now_fn, NULL, NULL},
    {"quarter", 1, RP_QF_DET, quarter_fn, NULL, NULL},
    {"second", 1, RP_QF_DET, second_fn, NULL, NULL},
    {"to_iso8601", 1, RP_QF_DET, to_iso8601_fn, NULL, NULL},
    {"to_unixtime", 1, RP_QF_DET, to_unixtime_fn, NULL, NULL},
    {"week", 1, RP_QF_DET, week_fn, NULL, NULL},
    {"week_of_year", 1, RP_QF_DET, week_fn, NULL, NULL},
    {"year", 1, RP_QF_DET, year_fn, NULL, NULL},
    {"year_of_week", 1, RP_QF_DET, year_of_week_fn, NULL, NULL},
};

static int register_time(sqlite3 *db)
{
    return rp_qf_register(db, defs, RP_ARRAY_LEN(defs), NULL);
}

const struct rp_query_funcs rp_query_funcs_time = {
    .name = "time",
    .summary = "Presto date and time functions over 'YYYY-MM-DD HH:MM:SS.mmm' UTC text "
               "(date_parse, date_diff, date_trunc, ..)",
    .register_fn = register_time,
};
