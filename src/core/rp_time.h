/* SPDX-License-Identifier: Apache-2.0 */
/* Time stamps: every time in Rampart is an int64_t count of milliseconds since
 * 1970-01-01T00:00:00Z (UTC, no leap seconds, negative before 1970). This module parses the
 * textual forms found in AWS logs and typed on the command line, and formats times back.
 *
 * Invariants: a parsed or formatted time lies in [RP_TIME_MIN_MS, RP_TIME_MAX_MS], the years
 * 0001..9999 of the proleptic Gregorian calendar. Nothing here reads the TZ environment, the
 * locale or the C library's time conversions (civil dates are computed with days-from-civil),
 * so every function is pure, allocation-free and thread-safe (rp_time_now_ms reads the clock).
 *
 * Every rejection of input text is RP_EPARSE, with a message in *eb (eb may be NULL) that
 * quotes the text and gives the 0-based byte position of the first offending byte:
 *     time: bad month '13' at 5 in '2023-13-01T00:00:00Z' */
#ifndef RP_TIME_H
#define RP_TIME_H

#include "core/rp_err.h"
#include "core/rp_str.h"

#define RP_TIME_MIN_MS (-62135596800000LL) /* 0001-01-01T00:00:00.000Z */
#define RP_TIME_MAX_MS 253402300799999LL   /* 9999-12-31T23:59:59.999Z */

/* Buffer size for every rp_time_format_* output: "YYYY-MM-DDTHH:MM:SS.mmmZ" is 24 bytes,
 * plus the NUL, rounded up. */
#define RP_TIME_ISO_BUFSZ 32

#define RP_TIME_MS_PER_SEC  1000LL
#define RP_TIME_MS_PER_MIN  (60LL * RP_TIME_MS_PER_SEC)
#define RP_TIME_MS_PER_HOUR (60LL * RP_TIME_MS_PER_MIN)
#define RP_TIME_MS_PER_DAY  (24LL * RP_TIME_MS_PER_HOUR)

/* A broken-down UTC time. Valid when every field is in range for its calendar date. */
struct rp_time_civil {
    int year;   /* 1..9999 */
    int month;  /* 1..12 */
    int day;    /* 1..28/29/30/31 */
    int hour;   /* 0..23 */
    int minute; /* 0..59 */
    int second; /* 0..59 (leap seconds are folded by the parser, see below) */
    int ms;     /* 0..999 */
};

/* Parse an ISO-8601 / RFC 3339 time stamp, the form of CloudTrail eventTime
 * ("2014-03-06T21:22:54Z"), AWS Config capture times ("2018-04-05T21:51:42.000Z"), Kubernetes
 * audit MicroTime ("2020-09-24T23:50:25.123456Z") and Route 53 Resolver query_timestamp.
 * Accepted, and nothing else:
 *     date        YYYY-MM-DD                          (alone: midnight UTC, for --since)
 *     date-time   date T hh:mm[:ss[.frac]] zone
 *     basic       YYYYMMDD T hhmm[ss[.frac]] zone     (S3 key and file-name stamps,
 *                                                      "20150801T0210Z"; zone Z or +hhmm)
 * where T is 'T', 't' or one space; frac is one or more digits, truncated (not rounded) to
 * milliseconds; zone is 'Z', 'z', +hh:mm, -hh:mm, +hhmm, -hhmm, +hh or -hh (offset hours
 * 0..23, minutes 0..59; -00:00 is UTC). A date-time without a zone is rejected rather than
 * guessed to be local time. The whole slice must be consumed: no surrounding spaces.
 * Validation: year 0001..9999, month 1..12, day within the month (Gregorian leap years: 2000
 * is leap, 1900 is not), hour 0..23, minute 0..59, second 0..60, and the result (after the
 * offset) inside [RP_TIME_MIN_MS, RP_TIME_MAX_MS].
 * Leap-second rule: second 60 is accepted only where a leap second can occur, when the time
 * converted to UTC reads 23:59:60; it is folded to 23:59:59.999 UTC (any fraction dropped),
 * which keeps events in order and never spills into the next day.
 * Returns RP_OK with *out_ms set, or RP_EPARSE with details in *eb (*out_ms untouched). */
rp_err rp_time_parse_iso(struct rp_str s, int64_t *out_ms, struct rp_errbuf *eb) RP_WUR;

/* Parse decimal epoch seconds, as in VPC flow log start/end fields ("1620140661"): an optional
 * '-' then 1..19 ASCII digits, nothing else. Returns RP_OK with *out_ms = seconds * 1000, or
 * RP_EPARSE (also when outside the year range) with details in *eb. */
rp_err rp_time_parse_epoch_s(struct rp_str s, int64_t *out_ms, struct rp_errbuf *eb) RP_WUR;

/* As rp_time_parse_epoch_s for decimal epoch milliseconds ("1620140661000"). */
rp_err rp_time_parse_epoch_ms(struct rp_str s, int64_t *out_ms, struct rp_errbuf *eb) RP_WUR;

/* Parse a relative time for CLI filters: a decimal count (1..9 digits) and one unit,
 * s (seconds), m (minutes), h (hours), d (days) or w (weeks), meaning that long before now_ms:
 * "7d" gives now_ms - 7 * 86400000. Upper-case units are rejected. Returns RP_OK, or RP_EPARSE
 * with details in *eb, also when the result falls outside the year range. */
rp_err rp_time_parse_relative(struct rp_str s, int64_t now_ms, int64_t *out_ms,
                              struct rp_errbuf *eb) RP_WUR;

/* The CLI --since/--until parser: "now", a relative time ("24h"), all digits (epoch seconds,
 * never milliseconds), or anything rp_time_parse_iso accepts (including a bare date). Returns
 * RP_OK, or RP_EPARSE with the error of the form the text looked like. */
rp_err rp_time_parse_filter(struct rp_str s, int64_t now_ms, int64_t *out_ms,
                            struct rp_errbuf *eb) RP_WUR;

/* Format ms as "2014-03-06T21:22:54.000Z" (always three fraction digits, upper-case T and Z)
 * into buf[bufsz]. Returns RP_OK; RP_EINVAL when ms is outside [RP_TIME_MIN_MS,
 * RP_TIME_MAX_MS]; RP_ELIMIT when bufsz < 25 (use RP_TIME_ISO_BUFSZ). On error buf holds ""
 * when bufsz > 0. rp_time_parse_iso reads the output back to the same ms. */
rp_err rp_time_format_iso(int64_t ms, char *buf, size_t bufsz) RP_WUR;

/* As rp_time_format_iso in CloudTrail's style without a fraction, "2014-03-06T21:22:54Z"
 * (needs bufsz >= 21). The milliseconds are dropped, rounding towards the past (floor), so
 * 1969-12-31T23:59:59.500Z formats as "1969-12-31T23:59:59Z". */
rp_err rp_time_format_iso_s(int64_t ms, char *buf, size_t bufsz) RP_WUR;

/* Split ms into UTC calendar fields. RP_EINVAL when ms is outside the year range. */
rp_err rp_time_to_civil(int64_t ms, struct rp_time_civil *out) RP_WUR;

/* Join calendar fields into ms. Every field must be in range (second 0..59); RP_EINVAL
 * otherwise. */
rp_err rp_time_from_civil(const struct rp_time_civil *c, int64_t *out_ms) RP_WUR;

/* Days since 1970-01-01 of a proleptic Gregorian date (y/m/d are not validated; any int
 * year works). Howard Hinnant's days_from_civil. */
int64_t rp_time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* True for Gregorian leap years (divisible by 4, except centuries not divisible by 400). */
bool rp_time_is_leap_year(int64_t y);

/* The wall-clock time (CLOCK_REALTIME) in ms. Thread-safe. */
int64_t rp_time_now_ms(void);

#endif
