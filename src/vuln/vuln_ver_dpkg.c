/* SPDX-License-Identifier: Apache-2.0 */
/* Debian version ordering (rp_vuln_ver_dpkg, vuln.h), for the OSV ecosystems "Debian" and
 * "Ubuntu": [epoch:]upstream[-revision] as Debian Policy §5.6.12 defines it and dpkg
 * implements it. The epoch is compared as a number; upstream and revision (split at the last
 * '-') are compared by alternating non-digit and digit runs, where non-digits are compared one
 * character at a time with '~' before everything (even the end of the string), then the end,
 * then letters, then the other characters, and digit runs are compared as numbers.
 *
 * cmp() accepts any bytes (an epoch that is not a number is taken as part of the upstream
 * version, so every string has a place in the order); valid() is dpkg's strict parser: epoch a
 * number up to INT_MAX, upstream starting with a digit, only the allowed characters, no empty
 * part. docs/vuln-versions.md has the rules with examples. */
#include <limits.h>

#include "vuln/vuln.h"

struct dver {
    struct rp_str epoch; /* digits only (maybe empty = 0); empty when there is no epoch */
    struct rp_str upstream;
    struct rp_str revision; /* empty when there is no '-' */
};

/* An empty slice may have p == NULL (rp_str_from(NULL)); point it somewhere so that no
 * arithmetic is done on a null pointer. */
static struct rp_str nonnull(struct rp_str s)
{
    return s.p ? s : (struct rp_str){"", 0};
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool all_digits(struct rp_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!is_digit(s.p[i])) return false;
    return true;
}

/* Loose split used for ordering: an epoch only when everything before the first ':' is
 * digits, the revision after the last '-' of what follows. */
static struct dver split(struct rp_str v)
{
    struct dver d = {{v.p, 0}, v, {v.p, 0}};
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] != ':') continue;
        struct rp_str e = {v.p, i};
        if (all_digits(e)) {
            d.epoch = e;
            d.upstream = (struct rp_str){v.p + i + 1, v.len - i - 1};
        }
        break;
    }
    for (size_t i = d.upstream.len; i-- > 0;) {
        if (d.upstream.p[i] != '-') continue;
        d.revision = (struct rp_str){d.upstream.p + i + 1, d.upstream.len - i - 1};
        d.upstream.len = i;
        break;
    }
    return d;
}

/* Two runs of decimal digits as numbers, any length: leading zeros do not count. */
static int cmp_digits(struct rp_str a, struct rp_str b)
{
    while (a.len > 0 && a.p[0] == '0') a.p++, a.len--;
    while (b.len > 0 && b.p[0] == '0') b.p++, b.len--;
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    for (size_t i = 0; i < a.len; i++)
        if (a.p[i] != b.p[i]) return (unsigned char)a.p[i] < (unsigned char)b.p[i] ? -1 : 1;
    return 0;
}

/* Weight of one character of a non-digit run; `end` (past the run) weighs as a digit does:
 * '~' < end < letters (by ASCII) < everything else (by ASCII). */
static int weight(const char *s, size_t n, size_t i)
{
    if (i >= n || is_digit(s[i])) return 0;
    if (s[i] == '~') return -1;
    if (is_alpha(s[i])) return (unsigned char)s[i];
    return (unsigned char)s[i] + 256;
}

/* Policy's comparison of two upstream versions or two revisions. */
static int cmp_part(struct rp_str a, struct rp_str b)
{
    size_t i = 0, j = 0;
    while (i < a.len || j < b.len) {
        /* non-digit prefixes, one character at a time */
        while ((i < a.len && !is_digit(a.p[i])) || (j < b.len && !is_digit(b.p[j]))) {
            int wa = weight(a.p, a.len, i), wb = weight(b.p, b.len, j);
            if (wa != wb) return wa < wb ? -1 : 1;
            if (i < a.len && !is_digit(a.p[i])) i++;
            if (j < b.len && !is_digit(b.p[j])) j++;
        }
        /* digit runs, as numbers (an absent run is 0) */
        size_t si = i, sj = j;
        while (i < a.len && is_digit(a.p[i])) i++;
        while (j < b.len && is_digit(b.p[j])) j++;
        int r = cmp_digits((struct rp_str){a.p + si, i - si}, (struct rp_str){b.p + sj, j - sj});
        if (r != 0) return r;
    }
    return 0;
}

static int dpkg_cmp(struct rp_str a, struct rp_str b)
{
    a = nonnull(a), b = nonnull(b);
    struct dver da = split(a), db = split(b);
    int r = cmp_digits(da.epoch, db.epoch);
    if (r == 0) r = cmp_part(da.upstream, db.upstream);
    if (r == 0) r = cmp_part(da.revision, db.revision);
    return r;
}

static bool dpkg_valid(struct rp_str v)
{
    v = nonnull(v);
    if (v.len == 0) return false;
    struct rp_str rest = v;
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] != ':') continue;
        /* the epoch: a non-empty decimal number that fits an int */
        struct rp_str e = {v.p, i};
        if (e.len == 0 || !all_digits(e)) return false;
        while (e.len > 1 && e.p[0] == '0') e.p++, e.len--;
        long long n = 0;
        for (size_t k = 0; k < e.len; k++) {
            n = n * 10 + (e.p[k] - '0');
            if (n > INT_MAX) return false;
        }
        rest = (struct rp_str){v.p + i + 1, v.len - i - 1};
        break;
    }
    if (rest.len == 0) return false; /* nothing after the colon */
    struct dver d = {{NULL, 0}, rest, {NULL, 0}};
    bool has_revision = false;
    for (size_t i = rest.len; i-- > 0;) {
        if (rest.p[i] != '-') continue;
        d.revision = (struct rp_str){rest.p + i + 1, rest.len - i - 1};
        d.upstream.len = i;
        has_revision = true;
        break;
    }
    if (has_revision && d.revision.len == 0) return false;
    if (d.upstream.len == 0 || !is_digit(d.upstream.p[0])) return false;
    for (size_t i = 0; i < d.upstream.len; i++) {
        char c = d.upstream.p[i];
        if (!is_digit(c) && !is_alpha(c) && c != '.' && c != '+' && c != '~' && c != '-' &&
            c != ':')
            return false;
    }
    for (size_t i = 0; i < d.revision.len; i++) {
        char c = d.revision.p[i];
        if (!is_digit(c) && !is_alpha(c) && c != '.' && c != '+' && c != '~') return false;
    }
    return true;
}

static const char *const dpkg_ecosystems[] = {"Debian", "Ubuntu", NULL};

const struct rp_vuln_versioning rp_vuln_ver_dpkg = {
    .name = "dpkg",
    .ecosystems = dpkg_ecosystems,
    .cmp = dpkg_cmp,
    .valid = dpkg_valid,
};
