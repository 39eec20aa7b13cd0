/* SPDX-License-Identifier: Apache-2.0 */
/* rp_time: parse and format UTC time stamps as int64 milliseconds since the Unix epoch (see
 * rp_time.h for the accepted forms and the leap-second rule).
 *
 * Ingest calls the parsers once per record (CloudTrail eventTime, Config capture times, VPC
 * flow start/end, Kubernetes audit MicroTime, Resolver query_timestamp) and the CLI calls
 * rp_time_parse_filter for --since/--until. The parsers are hand-written single passes with no
 * allocation, no locale and no TZ lookups; calendar arithmetic uses Howard Hinnant's
 * days_from_civil / civil_from_days, valid for any proleptic Gregorian year. */
#include <stdio.h>
#include <time.h>

#include "core/rp_time.h"
#include "core/rp_banned.h"

#define QUOTE_MAX 48 /* bytes of input quoted in an error message */

int64_t rp_time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;                                   /* [0, 399] */
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool rp_time_is_leap_year(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && rp_time_is_leap_year(y) ? 29 : dim[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Printable copy of up to QUOTE_MAX bytes of s for an error message, "..." when cut. */
static const char *quote(char out[QUOTE_MAX + 4], const char *p, size_t len)
{
    size_t n = len < QUOTE_MAX ? len : QUOTE_MAX, i;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        out[i] = (ch >= 0x20 && ch < 0x7f && ch != '\'') ? (char)ch : '?';
    }
    if (len > n) {
        out[i++] = '.';
        out[i++] = '.';
        out[i++] = '.';
    }
    out[i] = '\0';
    return out;
}

/* Report a parse failure of the whole text s, pointing at byte pos; what says what was wrong
 * and flen bytes at pos are quoted as the offending field (0 = none, e.g. at the end). */
static rp_err bad(struct rp_errbuf *eb, struct rp_str s, size_t pos, size_t flen, const char *what)
{
    char qs[QUOTE_MAX + 4], qf[QUOTE_MAX + 4];
    if (pos > s.len) pos = s.len;
    if (flen > s.len - pos) flen = s.len - pos;
    quote(qs, s.p, s.len);
    if (pos == s.len)
        return rp_fail(eb, RP_EPARSE, "time: %s at %zu (end of text) in '%s'", what, pos, qs);
    if (flen == 0) flen = 1;
    return rp_fail(eb, RP_EPARSE, "time: %s '%s' at %zu in '%s'", what, quote(qf, s.p + pos, flen),
                   pos, qs);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Exactly n digits at s.p[*i]; advances *i. False (and *i unchanged) if fewer are there. */
static bool digits(struct rp_str s, size_t *i, int n, int *out)
{
    int v = 0;
    if (s.len - *i < (size_t)n) return false;
    for (int k = 0; k < n; k++) {
        char c = s.p[*i + (size_t)k];
        if (!is_digit(c)) return false;
        v = v * 10 + (c - '0');
    }
    *i += (size_t)n;
    *out = v;
    return true;
}

/* The digits-only run at s.p[i], capped at max bytes, for quoting a bad field. */
static size_t field_len(struct rp_str s, size_t i, size_t max)
{
    size_t n = 0;
    while (i + n < s.len && n < max && is_digit(s.p[i + n])) n++;
    return n ? n : 1;
}

static bool at(struct rp_str s, size_t i, char c)
{
    return i < s.len && s.p[i] == c;
}

/* Two-digit field with range check; names the field in the error. */
static rp_err num2(struct rp_str s, size_t *i, int lo, int hi, const char *name, int *out,
                   struct rp_errbuf *eb)
{
    char what[48];
    size_t start = *i;
    if (!digits(s, i, 2, out)) {
        snprintf(what, sizeof what, "expected 2 digits for %s, got", name);
        return bad(eb, s, start, field_len(s, start, 2), what);
    }
    if (*out < lo || *out > hi) {
        snprintf(what, sizeof what, "bad %s", name);
        return bad(eb, s, start, 2, what);
    }
    return RP_OK;
}

rp_err rp_time_parse_iso(struct rp_str s, int64_t *out_ms, struct rp_errbuf *eb)
{
    size_t i = 0;
    int year, month, day, hour, minute, second = 0, ms = 0;
    rp_err e;

    if (!s.p) s.len = 0;
    if (!digits(s, &i, 4, &year)) return bad(eb, s, 0, field_len(s, 0, 4), "bad year");
    if (year < 1) return bad(eb, s, 0, 4, "bad year");
    bool basic = !at(s, i, '-');
    if (!basic) i++;
    if ((e = num2(s, &i, 1, 12, "month", &month, eb))) return e;
    if (!basic) {
        if (!at(s, i, '-')) return bad(eb, s, i, 1, "expected '-' after month, got");
        i++;
    }
    size_t dpos = i;
    if ((e = num2(s, &i, 1, 31, "day", &day, eb))) return e;
    if (day > days_in_month(year, month)) return bad(eb, s, dpos, 2, "no such day");
    int64_t days = rp_time_days_from_civil(year, (unsigned)month, (unsigned)day);

    if (i == s.len) {
        /* A bare basic date is all digits and would be ambiguous with epoch seconds. */
        if (basic) return bad(eb, s, i, 0, "basic-format date needs a time");
        *out_ms = days * RP_TIME_MS_PER_DAY;
        return RP_OK;
    }
    if (s.p[i] != 'T' && s.p[i] != 't' && s.p[i] != ' ')
        return bad(eb, s, i, 1, "expected 'T' after date, got");
    i++;
    if ((e = num2(s, &i, 0, 23, "hour", &hour, eb))) return e;
    if (!basic) {
        if (!at(s, i, ':')) return bad(eb, s, i, 1, "expected ':' after hour, got");
        i++;
    }
    if ((e = num2(s, &i, 0, 59, "minute", &minute, eb))) return e;
    bool has_sec = basic ? (i < s.len && is_digit(s.p[i])) : at(s, i, ':');
    if (has_sec) {
        if (!basic) i++;
        if ((e = num2(s, &i, 0, 60, "second", &second, eb))) return e;
        if (at(s, i, '.')) {
            size_t f = ++i;
            while (i < s.len && is_digit(s.p[i])) {
                if (i - f < 3) ms = ms * 10 + (s.p[i] - '0');
                i++;
            }
            if (i == f) return bad(eb, s, i, 1, "expected digits after '.', got");
            for (size_t k = i - f; k < 3; k++) ms *= 10;
        }
    }

    int64_t off_min = 0;
    size_t zpos = i;
    if (i == s.len) return bad(eb, s, i, 0, "missing zone ('Z' or an offset)");
    if (s.p[i] == 'Z' || s.p[i] == 'z') {
        i++;
    } else if (s.p[i] == '+' || s.p[i] == '-') {
        int sign = s.p[i] == '-' ? -1 : 1, oh, om = 0;
        i++;
        if ((e = num2(s, &i, 0, 23, "offset hour", &oh, eb))) return e;
        if (at(s, i, ':')) {
            if (basic) return bad(eb, s, i, 1, "extended offset in basic-format time");
            i++;
            if ((e = num2(s, &i, 0, 59, "offset minute", &om, eb))) return e;
        } else if (i < s.len && is_digit(s.p[i])) {
            if ((e = num2(s, &i, 0, 59, "offset minute", &om, eb))) return e;
        }
        off_min = sign * (oh * 60 + om);
    } else {
        return bad(eb, s, i, 1, "expected zone ('Z' or an offset), got");
    }
    if (i != s.len) return bad(eb, s, i, s.len - i, "unexpected text");

    int64_t t = days * RP_TIME_MS_PER_DAY + hour * RP_TIME_MS_PER_HOUR +
                minute * RP_TIME_MS_PER_MIN - off_min * RP_TIME_MS_PER_MIN;
    if (second == 60) {
        /* Leap seconds are inserted at 23:59:60 UTC; fold to the last ms of second 59. */
        int64_t utc_min = ((int64_t)hour * 60 + minute - off_min) % 1440;
        if (utc_min < 0) utc_min += 1440;
        if (utc_min != 1439) return bad(eb, s, zpos, 0, "second 60 outside 23:59 UTC");
        t += 59 * RP_TIME_MS_PER_SEC + 999;
    } else {
        t += second * RP_TIME_MS_PER_SEC + ms;
    }
    if (t < RP_TIME_MIN_MS || t > RP_TIME_MAX_MS)
        return bad(eb, s, 0, s.len, "time outside years 0001..9999");
    *out_ms = t;
    return RP_OK;
}

/* Optional '-' then 1..19 digits, scaled by mul and range-checked. */
static rp_err parse_epoch(struct rp_str s, int64_t mul, const char *unit, int64_t *out_ms,
                          struct rp_errbuf *eb)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0;
    char what[64];

    if (!s.p) s.len = 0;
    if (at(s, 0, '-')) {
        neg = true;
        i++;
    }
    size_t start = i;
    snprintf(what, sizeof what, "expected epoch %s (digits), got", unit);
    for (; i < s.len; i++) {
        if (!is_digit(s.p[i])) return bad(eb, s, i, 1, what);
        if (i - start == 19) return bad(eb, s, 0, s.len, "epoch value too long");
        v = v * 10 + (uint64_t)(s.p[i] - '0');
    }
    if (i == start) return bad(eb, s, i, 0, what);
    /* v < 10^19 so the checks below cannot overflow. */
    uint64_t lim = (uint64_t)(neg ? -RP_TIME_MIN_MS : RP_TIME_MAX_MS) / (uint64_t)mul;
    if (v > lim) return bad(eb, s, 0, s.len, "time outside years 0001..9999");
    *out_ms = (neg ? -(int64_t)v : (int64_t)v) * mul;
    return RP_OK;
}

rp_err rp_time_parse_epoch_s(struct rp_str s, int64_t *out_ms, struct rp_errbuf *eb)
{
    return parse_epoch(s, RP_TIME_MS_PER_SEC, "seconds", out_ms, eb);
}

rp_err rp_time_parse_epoch_ms(struct rp_str s, int64_t *out_ms, struct rp_errbuf *eb)
{
    return parse_epoch(s, 1, "milliseconds", out_ms, eb);
}

rp_err rp_time_parse_relative(struct rp_str s, int64_t now_ms, int64_t *out_ms,
                              struct rp_errbuf *eb)
{
    size_t i = 0;
    int64_t n = 0, unit;

    if (!s.p) s.len = 0;
    while (i < s.len && is_digit(s.p[i])) {
        if (i == 9) return bad(eb, s, 0, s.len, "relative time too long");
        n = n * 10 + (s.p[i] - '0');
        i++;
    }
    if (i == 0) return bad(eb, s, 0, 1, "expected a count like '7d', got");
    if (i == s.len) return bad(eb, s, i, 0, "missing unit (s, m, h, d or w)");
    switch (s.p[i]) {
    case 's':
        unit = RP_TIME_MS_PER_SEC;
        break;
    case 'm':
        unit = RP_TIME_MS_PER_MIN;
        break;
    case 'h':
        unit = RP_TIME_MS_PER_HOUR;
        break;
    case 'd':
        unit = RP_TIME_MS_PER_DAY;
        break;
    case 'w':
        unit = 7 * RP_TIME_MS_PER_DAY;
        break;
    default:
        return bad(eb, s, i, 1, "bad unit (s, m, h, d or w)");
    }
    if (i + 1 != s.len) return bad(eb, s, i + 1, s.len - i - 1, "unexpected text");
    int64_t delta = n * unit; /* < 10^9 * 6.1e8, fits */
    if (now_ms > RP_TIME_MAX_MS || now_ms < RP_TIME_MIN_MS + delta)
        return bad(eb, s, 0, s.len, "time outside years 0001..9999");
    *out_ms = now_ms - delta;
    return RP_OK;
}

rp_err rp_time_parse_filter(struct rp_str s, int64_t now_ms, int64_t *out_ms, struct rp_errbuf *eb)
{
    size_t i = 0;
    if (!s.p) s.len = 0;
    if (rp_str_eq_cstr(s, "now")) {
        if (now_ms < RP_TIME_MIN_MS || now_ms > RP_TIME_MAX_MS)
            return bad(eb, s, 0, s.len, "time outside years 0001..9999");
        *out_ms = now_ms;
        return RP_OK;
    }
    while (i < s.len && is_digit(s.p[i])) i++;
    if (i == s.len && i > 0) return rp_time_parse_epoch_s(s, out_ms, eb);
    if (i > 0 && i + 1 == s.len && i <= 9) return rp_time_parse_relative(s, now_ms, out_ms, eb);
    return rp_time_parse_iso(s, out_ms, eb);
}

rp_err rp_time_to_civil(int64_t ms, struct rp_time_civil *out)
{
    if (ms < RP_TIME_MIN_MS || ms > RP_TIME_MAX_MS) return RP_EINVAL;
    int64_t days = floor_div(ms, RP_TIME_MS_PER_DAY);
    int64_t rem = ms - days * RP_TIME_MS_PER_DAY, y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    out->year = (int)y;
    out->month = (int)m;
    out->day = (int)d;
    out->hour = (int)(rem / RP_TIME_MS_PER_HOUR);
    out->minute = (int)(rem / RP_TIME_MS_PER_MIN % 60);
    out->second = (int)(rem / RP_TIME_MS_PER_SEC % 60);
    out->ms = (int)(rem % 1000);
    return RP_OK;
}

rp_err rp_time_from_civil(const struct rp_time_civil *c, int64_t *out_ms)
{
    if (c->year < 1 || c->year > 9999 || c->month < 1 || c->month > 12 || c->day < 1 ||
        c->day > days_in_month(c->year, c->month) || c->hour < 0 || c->hour > 23 || c->minute < 0 ||
        c->minute > 59 || c->second < 0 || c->second > 59 || c->ms < 0 || c->ms > 999)
        return RP_EINVAL;
    *out_ms = rp_time_days_from_civil(c->year, (unsigned)c->month, (unsigned)c->day) *
                  RP_TIME_MS_PER_DAY +
              c->hour * RP_TIME_MS_PER_HOUR + c->minute * RP_TIME_MS_PER_MIN +
              c->second * RP_TIME_MS_PER_SEC + c->ms;
    return RP_OK;
}

static char *put(char *p, int v, int width)
{
    for (int k = width - 1; k >= 0; k--) {
        p[k] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Shared by both formats; with_ms selects the ".mmm" fraction. */
static rp_err format(int64_t ms, char *buf, size_t bufsz, bool with_ms)
{
    struct rp_time_civil c;
    size_t need = with_ms ? 25 : 21;
    if (bufsz) buf[0] = '\0';
    if (rp_time_to_civil(ms, &c)) return RP_EINVAL;
    if (bufsz < need) return RP_ELIMIT;
    char *p = put(buf, c.year, 4);
    *p++ = '-';
    p = put(p, c.month, 2);
    *p++ = '-';
    p = put(p, c.day, 2);
    *p++ = 'T';
    p = put(p, c.hour, 2);
    *p++ = ':';
    p = put(p, c.minute, 2);
    *p++ = ':';
    p = put(p, c.second, 2);
    if (with_ms) {
        *p++ = '.';
        p = put(p, c.ms, 3);
    }
    *p++ = 'Z';
    *p = '\0';
    return RP_OK;
}

rp_err rp_time_format_iso(int64_t ms, char *buf, size_t bufsz)
{
    return format(ms, buf, bufsz, true);
}

rp_err rp_time_format_iso_s(int64_t ms, char *buf, size_t bufsz)
{
    return format(ms, buf, bufsz, false);
}

int64_t rp_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
