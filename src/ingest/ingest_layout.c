/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_layout: what an S3 delivery key (AWSLogs/<acct>/<service>/<region>/YYYY/MM/DD/..,
 * organization trails, Hive-compatible flow-log keys, Route 53 keys without a region) and a
 * delivery file name say about the account, region and day of the records inside, and the
 * --account/--region/--since/--until verdicts the runner applies to directories during the
 * walk (so a pruned directory is never opened) and to files before opening them.
 * The accepted layouts and the date rules are spelled out in ingest_layout.h. */
#include <string.h>

#include "ingest/ingest_layout.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define MAX_COMPONENTS 128 /* path components examined; deeper keys stay unparsed */

static bool all_digits(struct rp_str s, size_t min, size_t max)
{
    if (s.len < min || s.len > max) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return false;
    return true;
}

static int to_int(struct rp_str s)
{
    int v = 0;
    for (size_t i = 0; i < s.len; i++) v = v * 10 + (s.p[i] - '0');
    return v;
}

static bool is_account(struct rp_str s)
{
    return all_digits(s, 12, 12);
}

static bool is_org(struct rp_str s)
{
    if (s.len < 12 || s.len > 34 || s.p[0] != 'o' || s.p[1] != '-') return false;
    for (size_t i = 2; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
    return true;
}

/* Lower-case letters, digits and '-', with at least one '-' and a letter first. */
static bool is_region(struct rp_str s)
{
    bool dash = false;
    if (s.len < 3 || s.len > 32 || s.p[0] < 'a' || s.p[0] > 'z') return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (c == '-')
            dash = true;
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return dash && s.p[s.len - 1] != '-';
}

/* A service prefix: letters, digits and '-', starting with a letter. */
static bool is_service(struct rp_str s)
{
    if (s.len == 0 || s.len > 64) return false;
    if (!((s.p[0] >= 'a' && s.p[0] <= 'z') || (s.p[0] >= 'A' && s.p[0] <= 'Z'))) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return false;
    }
    return true;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && rp_time_is_leap_year(y) ? 29 : d[m - 1];
}

/* "name=value" with the given name: the value, else an empty slice. */
static struct rp_str hive_value(struct rp_str c, const char *name)
{
    size_t n = strlen(name);
    if (c.len <= n + 1 || memcmp(c.p, name, n) != 0 || c.p[n] != '=')
        return (struct rp_str){NULL, 0};
    return (struct rp_str){c.p + n + 1, c.len - n - 1};
}

static int64_t floor_day(int64_t ms)
{
    int64_t d = ms / RP_TIME_MS_PER_DAY;
    if (ms % RP_TIME_MS_PER_DAY < 0) d--;
    return d;
}

enum slot { S_ACCT, S_ACCT_AFTER_ORG, S_SERVICE, S_REGION, S_YEAR, S_MONTH, S_DAY, S_HOUR, S_DONE };

/* Fill k from the key components c[0..n) (those after "AWSLogs"). */
static void parse_key(struct rp_ingest_key *k, const struct rp_str *c, size_t n)
{
    enum slot s = S_ACCT;
    for (size_t i = 0; i < n && s != S_DONE; i++) {
        struct rp_str v = c[i];
        if (k->hive) {
            static const char *const names[] = {
                [S_SERVICE] = "aws-service", [S_REGION] = "aws-region", [S_YEAR] = "year",
                [S_MONTH] = "month",         [S_DAY] = "day",           [S_HOUR] = "hour"};
            if (s < S_SERVICE || s > S_HOUR) break;
            v = hive_value(v, names[s]);
            if (!v.p) break;
        }
        switch (s) {
        case S_ACCT:
            if (is_org(v)) {
                k->l.org_id = v;
                s = S_ACCT_AFTER_ORG;
                continue;
            }
            if (!is_account(v)) {
                struct rp_str h = hive_value(v, "aws-account-id");
                if (!h.p || !is_account(h)) return;
                k->hive = true;
                v = h;
            }
            k->l.account = v;
            s = S_SERVICE;
            break;
        case S_ACCT_AFTER_ORG:
            if (!is_account(v)) return;
            k->l.account = v;
            s = S_SERVICE;
            break;
        case S_SERVICE:
            if (!is_service(v)) return;
            k->l.service = v;
            s = S_REGION;
            break;
        case S_REGION:
            /* Route 53 query logs put the VPC id where the region would be */
            if (!rp_str_eq_cstr(k->l.service, "vpcdnsquerylogs")) {
                if (!is_region(v)) return;
                k->l.region = v;
            }
            s = S_YEAR;
            break;
        case S_YEAR:
            if (!all_digits(v, 4, 4) || to_int(v) == 0) return;
            k->year = to_int(v);
            s = S_MONTH;
            break;
        case S_MONTH:
            if (!all_digits(v, 1, 2) || to_int(v) < 1 || to_int(v) > 12) return;
            k->month = to_int(v);
            s = S_DAY;
            break;
        case S_DAY:
            if (!all_digits(v, 1, 2) || to_int(v) < 1 ||
                to_int(v) > days_in_month(k->year, k->month))
                return;
            k->day = to_int(v);
            s = rp_str_eq_cstr(k->l.service, "vpcflowlogs") ? S_HOUR : S_DONE;
            break;
        case S_HOUR:
            if (!all_digits(v, 2, 2) || to_int(v) > 23) return;
            k->hour = to_int(v);
            s = S_DONE;
            break;
        case S_DONE:
            break;
        }
    }
}

/* Fill what k lacks from a delivery file name. */
static void parse_name(struct rp_ingest_key *k, struct rp_str name)
{
    struct rp_str tok[8];
    size_t n = 0;
    struct rp_str rest = name, t;
    while (n < RP_ARRAY_LEN(tok) && rp_str_split_next(&rest, '_', &t)) tok[n++] = t;
    struct rp_str acct = {NULL, 0}, svc = {NULL, 0}, region = {NULL, 0};
    if (n >= 3 && is_account(tok[0]) && is_service(tok[1])) {
        acct = tok[0];
        svc = tok[1];
        if (!rp_str_eq_cstr(svc, "vpcdnsquerylogs") && is_region(tok[2])) region = tok[2];
    } else if (n >= 3 && rp_str_eq_cstr(tok[1], "vpcdnsquerylogs") && is_account(tok[2])) {
        acct = tok[2];
        svc = tok[1];
    }
    if (acct.p) {
        if (!k->l.account.p) k->l.account = acct;
        if (!k->l.service.p) k->l.service = svc;
        if (!k->l.region.p && region.p) k->l.region = region;
    }
    for (size_t i = 1; i < n && k->name_ms < 0; i++) {
        /* YYYYMMDDTHHmmZ or YYYYMMDDTHHmmssZ, possibly followed by the extension when it is the
         * last token */
        struct rp_str s = tok[i];
        if (s.len < 14 || s.p[8] != 'T') continue;
        size_t len = 0;
        while (len < s.len && s.p[len] != 'Z') len++;
        if (len != 13 && len != 15) continue;
        int64_t ms;
        if (all_digits((struct rp_str){s.p, 8}, 8, 8) &&
            all_digits((struct rp_str){s.p + 9, len - 9}, len - 9, len - 9) &&
            rp_time_parse_iso((struct rp_str){s.p, len + 1}, &ms, NULL) == RP_OK)
            k->name_ms = ms;
    }
}

void rp_ingest_key_parse(const char *path, size_t len, bool is_dir, struct rp_ingest_key *out)
{
    memset(out, 0, sizeof *out);
    out->l.day_ms = -1;
    out->hour = -1;
    out->name_ms = -1;
    if (!path) return;

    struct rp_str c[MAX_COMPONENTS];
    size_t n = 0, keyn;
    struct rp_str rest = {path, len}, t, last = {NULL, 0};
    while (rp_str_split_next(&rest, '/', &t)) {
        if (t.len == 0) continue;
        last = t;
        if (n < MAX_COMPONENTS) c[n++] = t;
    }
    if (n == 0) return;
    /* a file's last component is its name, not a key component */
    keyn = is_dir ? n : n - 1;
    size_t aws = SIZE_MAX;
    for (size_t i = 0; i < keyn; i++)
        if (rp_str_eq_cstr(c[i], "AWSLogs")) aws = i;
    if (aws != SIZE_MAX) {
        out->aws = true;
        parse_key(out, c + aws + 1, keyn - aws - 1);
    }
    if (!is_dir) parse_name(out, last);
    if (out->day) {
        out->l.day_ms =
            rp_time_days_from_civil(out->year, (unsigned)out->month, (unsigned)out->day) *
            RP_TIME_MS_PER_DAY;
    } else if (!out->year && out->name_ms >= 0) {
        out->l.day_ms = floor_day(out->name_ms) * RP_TIME_MS_PER_DAY;
    }
}

bool rp_ingest_filter_active(const struct rp_ingest_filter *f)
{
    return f->naccounts || f->nregions || f->since_ms != INT64_MIN || f->until_ms != INT64_MAX;
}

static bool listed(struct rp_str v, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rp_str_eq_cstr(v, list[i])) return true;
    return false;
}

enum rp_ingest_prune rp_ingest_filter_check(const struct rp_ingest_filter *f,
                                            const struct rp_ingest_key *k)
{
    if (f->naccounts && k->l.account.p && !listed(k->l.account, f->accounts, f->naccounts))
        return RP_INGEST_PRUNE_ACCOUNT;
    if (f->nregions && k->l.region.p && !listed(k->l.region, f->regions, f->nregions))
        return RP_INGEST_PRUNE_REGION;
    if (f->since_ms == INT64_MIN && f->until_ms == INT64_MAX) return RP_INGEST_KEEP;

    /* the days [lo, hi] (days since the epoch) the path can hold */
    int64_t lo, hi;
    if (k->year) {
        int m0 = k->month ? k->month : 1, m1 = k->month ? k->month : 12;
        int d0 = k->day ? k->day : 1, d1 = k->day ? k->day : days_in_month(k->year, m1);
        lo = rp_time_days_from_civil(k->year, (unsigned)m0, (unsigned)d0);
        hi = rp_time_days_from_civil(k->year, (unsigned)m1, (unsigned)d1);
    } else if (k->l.day_ms >= 0) {
        lo = hi = floor_day(k->l.day_ms);
    } else {
        return RP_INGEST_KEEP;
    }
    if (f->since_ms != INT64_MIN && hi < floor_day(f->since_ms)) return RP_INGEST_PRUNE_SINCE;
    if (f->until_ms != INT64_MAX && lo > floor_day(f->until_ms) + 1) return RP_INGEST_PRUNE_UNTIL;
    return RP_INGEST_KEEP;
}

enum rp_ingest_prune rp_ingest_filter_path(const struct rp_ingest_filter *f, const char *path,
                                           bool is_dir)
{
    if (!rp_ingest_filter_active(f)) return RP_INGEST_KEEP;
    struct rp_ingest_key k;
    rp_ingest_key_parse(path, strlen(path), is_dir, &k);
    return rp_ingest_filter_check(f, &k);
}

const char *rp_ingest_prune_name(enum rp_ingest_prune p)
{
    switch (p) {
    case RP_INGEST_KEEP:
        return "keep";
    case RP_INGEST_PRUNE_ACCOUNT:
        return "account";
    case RP_INGEST_PRUNE_REGION:
        return "region";
    case RP_INGEST_PRUNE_SINCE:
        return "since";
    case RP_INGEST_PRUNE_UNTIL:
        return "until";
    }
    return "";
}
