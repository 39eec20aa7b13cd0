/* SPDX-License-Identifier: Apache-2.0 */
/* Go module version ordering for the OSV ecosystem "Go" (rp_vuln_ver_go, vuln.h), as Go's
 * golang.org/x/mod/semver orders versions.
 *
 * vMAJOR[.MINOR[.PATCH]][-PRERELEASE][+BUILD]: semantic versioning 2.0.0 with a 'v', where
 * "v1" and "v1.2" mean v1.0.0 and v1.2.0 and take no suffix; numbers without leading zeros;
 * identifiers non-empty [0-9A-Za-z-] runs, numeric prerelease ones without leading zeros.
 * Build metadata ("+incompatible") is ignored. A prerelease sorts before the release and
 * prereleases compare identifier by identifier (numbers numerically and before alphanumerics,
 * those in ASCII order; a prefix first). Pseudo-versions (vX.Y.Z-yyyymmddhhmmss-hash,
 * vX.Y.(Z+1)-0.yyyymmddhhmmss-hash, vX.Y.Z-pre.0.yyyymmddhhmmss-hash) order by that rule.
 *
 * OSV's Go ranges omit the 'v' ("1.2.3", introduced "0"), so it is optional here. Invalid
 * versions sort before valid ones (as in Go), bytewise among themselves (Go calls them equal).
 * docs/vuln-versions-lang.md has the rules with examples. */
#include <string.h>

#include "vuln/vuln.h"

struct gover {
    struct rp_str major, minor, patch; /* digits; shorthands give "0" */
    struct rp_str pre;                 /* after the '-', empty when none */
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* A number at s[*i]: digits, no leading zero unless it is "0". */
static bool take_num(struct rp_str s, size_t *i, struct rp_str *out)
{
    size_t j = *i;
    while (j < s.len && is_digit(s.p[j])) j++;
    if (j == *i || (s.p[*i] == '0' && j - *i > 1)) return false;
    *out = (struct rp_str){s.p + *i, j - *i};
    *i = j;
    return true;
}

/* Dot-separated identifiers after the '-' or '+' at s[*i], up to the next '+' or the end.
 * numeric_strict: a numeric identifier may not have a leading zero (prerelease). */
static bool take_idents(struct rp_str s, size_t *i, bool numeric_strict, struct rp_str *out)
{
    size_t start = *i + 1, j = start;
    for (;;) {
        size_t k = j;
        bool num = true;
        while (k < s.len && is_ident_char(s.p[k])) num = num && is_digit(s.p[k]), k++;
        if (k == j) return false;
        if (numeric_strict && num && s.p[j] == '0' && k - j > 1) return false;
        j = k;
        if (j < s.len && s.p[j] == '.') {
            j++;
            continue;
        }
        break;
    }
    *out = (struct rp_str){s.p + start, j - start};
    *i = j;
    return true;
}

static bool parse(struct rp_str s, struct gover *g)
{
    static const struct rp_str zero = RP_STR_LIT("0");
    size_t i = 0;
    if (i < s.len && s.p[i] == 'v') i++;
    *g = (struct gover){zero, zero, zero, {s.p, 0}};
    if (!take_num(s, &i, &g->major)) return false;
    if (i == s.len) return true;
    if (s.p[i] != '.') return false;
    i++;
    if (!take_num(s, &i, &g->minor)) return false;
    if (i == s.len) return true;
    if (s.p[i] != '.') return false;
    i++;
    if (!take_num(s, &i, &g->patch)) return false;
    if (i < s.len && s.p[i] == '-' && !take_idents(s, &i, true, &g->pre)) return false;
    struct rp_str build;
    if (i < s.len && s.p[i] == '+' && !take_idents(s, &i, false, &build)) return false;
    return i == s.len;
}

static int numcmp(struct rp_str a, struct rp_str b)
{
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    int r = memcmp(a.p, b.p, a.len);
    return (r > 0) - (r < 0);
}

static bool all_digits(struct rp_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!is_digit(s.p[i])) return false;
    return true;
}

static int bytes_cmp(struct rp_str a, struct rp_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    if (r) return r < 0 ? -1 : 1;
    return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

/* Prerelease precedence; no prerelease (empty) is greater than any. */
static int pre_cmp(struct rp_str a, struct rp_str b)
{
    if (a.len == 0 || b.len == 0) return a.len == b.len ? 0 : (a.len == 0 ? 1 : -1);
    struct rp_str x, y;
    for (;;) {
        bool hx = rp_str_split_next(&a, '.', &x), hy = rp_str_split_next(&b, '.', &y);
        if (!hx || !hy) return hx == hy ? 0 : (hx ? 1 : -1);
        bool nx = all_digits(x), ny = all_digits(y);
        int r = nx != ny ? (nx ? -1 : 1) : nx ? numcmp(x, y) : bytes_cmp(x, y);
        if (r) return r;
    }
}

static int cmp(struct rp_str a, struct rp_str b)
{
    struct gover x, y;
    bool vx = parse(a, &x), vy = parse(b, &y);
    if (!vx || !vy) return vx == vy ? bytes_cmp(a, b) : (vx ? 1 : -1);
    int r = numcmp(x.major, y.major);
    if (!r) r = numcmp(x.minor, y.minor);
    if (!r) r = numcmp(x.patch, y.patch);
    if (!r) r = pre_cmp(x.pre, y.pre);
    return r;
}

static bool valid(struct rp_str v)
{
    struct gover g;
    return parse(v, &g);
}

static const char *const ecosystems[] = {"Go", NULL};

const struct rp_vuln_versioning rp_vuln_ver_go = {
    .name = "go",
    .ecosystems = ecosystems,
    .cmp = cmp,
    .valid = valid,
};
