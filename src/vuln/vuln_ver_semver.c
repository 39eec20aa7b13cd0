/* SPDX-License-Identifier: Apache-2.0 */
/* npm's semver (rp_vuln_ver_semver and rp_semver_satisfies, vuln.h), behaving as node-semver
 * does: the SemVer 2.0.0 precedence of versions, node-semver's strict and loose version
 * grammars, and its range language (comparators, space-joined AND, "||" OR, hyphen ranges,
 * X-ranges, tilde and caret ranges, the prerelease rule and includePrerelease).
 *
 * A range is rewritten in the stages node-semver documents: whitespace collapsed, split on
 * "||", build metadata dropped, a hyphen range turned into two comparators, operators glued
 * to their versions, then each space-separated token desugared (caret, tilde, X-range, star)
 * into primitive comparators "<op><version>", which are parsed and tested against the
 * version. The patterns are matched by hand-written scanners that keep node-semver's
 * observable details: the bounded identifier lengths (256 digits, 250 letters), which
 * identifiers a prerelease may hold in strict and loose mode, and the JavaScript number
 * formatting of "major + 1" (a bound past 2^53 - 1 makes the range invalid, and one of 1e21 or
 * more is not a version at all, so loose mode drops that comparator).
 * docs/vuln-semver.md has the rules, the desugaring table and examples. */
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

#define SV_MAX_LENGTH 256                 /* node-semver's MAX_LENGTH for a version string */
#define SV_MAX_SAFE   9007199254740991ULL /* Number.MAX_SAFE_INTEGER */
#define SV_DIGITS     256 /* a run of digits in a pattern matches at most this many */
#define SV_TAIL       250 /* letters/digits/dashes after an identifier's first letter */
#define NONE          SIZE_MAX

/* ---- characters ------------------------------------------------------------------------------ */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha_dash(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static bool is_idch(char c)
{
    return is_digit(c) || is_alpha_dash(c);
}

static size_t digits_at(const char *s, size_t i, size_t n)
{
    size_t k = 0;
    while (i + k < n && is_digit(s[i + k])) k++;
    return k;
}

/* Bytes of the JavaScript white-space character (String.prototype.trim, /\s/) starting at p,
 * UTF-8 encoded, or 0. */
static size_t js_space(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n == 0 || (u[0] > ' ' && u[0] < 0x80)) return 0;
    if (u[0] == ' ' || (u[0] >= 0x09 && u[0] <= 0x0d)) return 1;
    if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0) return 2; /* U+00A0 */
    if (n < 3) return 0;
    if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) return 3; /* U+1680 */
    if (u[0] == 0xe2 && u[1] == 0x80 &&
        ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf))
        return 3;                                               /* U+2000-200A 2028 2029 202F */
    if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) return 3; /* U+205F */
    if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) return 3; /* U+3000 */
    if (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) return 3; /* U+FEFF */
    return 0;
}

/* Bytes of a JavaScript white-space character ending at p[n - 1], or 0. */
static size_t js_space_back(const char *p, size_t n)
{
    for (size_t w = 1; w <= 3 && w <= n; w++)
        if (js_space(p + n - w, w) == w) return w;
    return 0;
}

static struct rp_str js_trim(struct rp_str s)
{
    size_t w;
    while ((w = js_space(s.p, s.len)) != 0) s.p += w, s.len -= w;
    while ((w = js_space_back(s.p, s.len)) != 0) s.len -= w;
    return s;
}

/* Length in UTF-16 code units, as JavaScript's String.length counts it. */
static size_t js_units(struct rp_str s)
{
    if (s.len <= SV_MAX_LENGTH) return s.len; /* never more units than bytes */
    size_t u = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x80 || c >= 0xc0) u++;
        if (c >= 0xf0) u++; /* a 4-byte sequence is a surrogate pair */
    }
    return u;
}

/* ---- a small string builder ------------------------------------------------------------------ */

struct sb {
    char *p;
    size_t len, cap;
    bool oom;      /* an allocation failed; contents are then incomplete */
    char inl[160]; /* most rewrites fit here without touching the heap */
};

static void sb_init(struct sb *b)
{
    b->p = b->inl;
    b->len = 0;
    b->cap = sizeof b->inl;
    b->oom = false;
}

static void sb_release(struct sb *b)
{
    if (b->p != b->inl) free(b->p);
    sb_init(b);
}

static void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->oom || n == 0) return;
    if (n > b->cap - b->len) {
        size_t cap = b->cap;
        while (n > cap - b->len) {
            if (cap > SIZE_MAX / 2) {
                b->oom = true;
                return;
            }
            cap *= 2;
        }
        char *p = b->p == b->inl ? malloc(cap) : realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        if (b->p == b->inl) memcpy(p, b->inl, b->len);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void sb_adds(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_addc(struct sb *b, char c)
{
    if (b->len < b->cap)
        b->p[b->len++] = c;
    else
        sb_add(b, &c, 1);
}

/* ---- versions -------------------------------------------------------------------------------- */

struct span {
    size_t off, len; /* within the scanned text */
};

/* A parsed version: [major, minor, patch] and the prerelease identifiers ("alpha.1"), a slice
 * of the caller's text (build metadata is dropped: it never affects precedence). */
struct sv {
    uint64_t num[3];
    const char *pre; /* NULL when there is no prerelease */
    size_t prelen;
};

/* What an anchored version or X-range pattern captured. */
struct xp {
    size_t start;  /* the whole match, with its [v=\s]* prefix */
    size_t nparts; /* 1..3: "1", "1.2", "1.2.3" (X-ranges may stop early) */
    struct span part[3];
    bool has_pre;
    struct span pre; /* identifiers after the '-' (or after the patch in loose mode) */
};

/* One prerelease identifier, taking the whole run [i, end): in strict mode a number has no
 * leading zero; a number has at most 256 digits (257 when strict, after a non-zero first
 * digit); an identifier with a letter or '-' has at most 256 digits before its first one and
 * at most 250 characters after it. */
static bool id_valid(const char *s, size_t len, bool loose)
{
    size_t k = digits_at(s, 0, len);
    if (k == len) {
        if (loose) return len <= SV_DIGITS;
        if (s[0] == '0') return len == 1;
        return len <= SV_DIGITS + 1;
    }
    return k <= SV_DIGITS && len - k - 1 <= SV_TAIL;
}

/* Dot-separated identifiers from i that end exactly at a character that cannot continue them:
 * the end, or NONE. build: build-metadata identifiers (any 1..250 of [0-9A-Za-z-]). */
static size_t ids_exact(const char *s, size_t i, size_t n, bool loose, bool build)
{
    for (;;) {
        size_t j = i;
        while (j < n && is_idch(s[j])) j++;
        if (j == i) return NONE;
        if (build ? j - i > SV_TAIL : !id_valid(s + i, j - i, loose)) return NONE;
        if (j < n && s[j] == '.') {
            i = j + 1;
            continue;
        }
        return j;
    }
}

/* What may follow the patch, up to n exactly: a prerelease ('-' and identifiers; in loose mode
 * the '-' is optional and a lone '-' is itself an identifier), then '+' and build metadata. */
static bool rest_exact(const char *s, size_t i, size_t n, bool loose, struct xp *x)
{
    x->has_pre = false;
    if (i < n) {
        size_t st = NONE;
        if (s[i] == '-' && i + 1 < n && is_idch(s[i + 1]))
            st = i + 1;
        else if (loose && is_idch(s[i]))
            st = i;
        if (st != NONE) {
            size_t e = ids_exact(s, st, n, loose, false);
            if (e == NONE) return false;
            x->has_pre = true;
            x->pre = (struct span){st, e - st};
            i = e;
        }
    }
    if (i < n && s[i] == '+') {
        size_t e = ids_exact(s, i + 1, n, loose, true);
        if (e == NONE) return false;
        i = e;
    }
    return i == n;
}

/* A version number at i: strict "0" or a non-zero digit and up to 256 more; loose 1..256
 * digits. For the patch (last) in loose mode, digits past 256 are left for the prerelease.
 * Returns the end, or NONE; the caller checks what follows. */
static size_t num_at(const char *s, size_t i, size_t n, bool loose, bool last)
{
    size_t k = digits_at(s, i, n);
    if (k == 0) return NONE;
    if (loose) {
        if (k > SV_DIGITS && !last) return NONE;
        return i + (k > SV_DIGITS ? SV_DIGITS : k);
    }
    if (s[i] == '0') return i + 1;
    return k > SV_DIGITS + 1 ? NONE : i + k;
}

/* The rest after the patch *p. In loose mode a patch of digits that the rest does not fit gives
 * its last digit to the prerelease ("1.2.34.5" is 1.2.3-4.5): with no '-' needed, that digit
 * starts a numeric identifier, which rescues a rest that starts with '.'; giving more digits
 * never fits where one did not. */
static bool patch_rest(const char *s, struct span *p, size_t n, bool loose, struct xp *x)
{
    size_t e = p->off + p->len;
    if (rest_exact(s, e, n, loose, x)) return true;
    if (!loose || p->len < 2 || !is_digit(s[e - 1])) return false;
    if (!rest_exact(s, e - 1, n, loose, x)) return false;
    p->len--;
    return true;
}

static bool is_xchar(char c)
{
    return c == 'x' || c == 'X' || c == '*';
}

static bool is_vprefix(char c)
{
    return c == 'v' || c == '=' || c == ' ';
}

/* An X-range operand ([v=\s]* then "1", "1.x", "1.2.*", "1.2.3-pre", ..) spanning exactly
 * [i, n) of range text (whose only white space is ' '). */
static bool xp_exact(const char *s, size_t i, size_t n, bool loose, struct xp *x)
{
    x->start = i;
    x->nparts = 0;
    x->has_pre = false;
    while (i < n && is_vprefix(s[i])) i++;
    for (size_t k = 0; k < 3; k++) {
        size_t e = i < n && is_xchar(s[i]) ? i + 1 : num_at(s, i, n, loose, k == 2);
        if (e == NONE) return false;
        x->part[k] = (struct span){i, e - i};
        x->nparts = k + 1;
        if (k == 2) return patch_rest(s, &x->part[2], n, loose, x);
        i = e;
        if (i == n) return true;
        if (s[i] != '.') return false;
        i++;
    }
    return false;
}

/* A full version spanning exactly [i, n): strict "v?1.2.3-pre+build", loose with any run of
 * 'v', '=' and white space in front, numbers with leading zeros and the '-' optional. */
static bool plain_exact(const char *s, size_t i, size_t n, bool loose, struct xp *x)
{
    x->start = i;
    if (loose) {
        for (;;) {
            size_t w = js_space(s + i, n - i);
            if (w == 0 && i < n && (s[i] == 'v' || s[i] == '=')) w = 1;
            if (w == 0) break;
            i += w;
        }
    } else if (i < n && s[i] == 'v') {
        i++;
    }
    for (size_t k = 0; k < 3; k++) {
        size_t e = num_at(s, i, n, loose, k == 2);
        if (e == NONE) return false;
        x->part[k] = (struct span){i, e - i};
        i = e;
        if (k < 2) {
            if (i >= n || s[i] != '.') return false;
            i++;
        }
    }
    x->nparts = 3;
    return patch_rest(s, &x->part[2], n, loose, x);
}

/* Value of a digit run, or UINT64_MAX when it is above Number.MAX_SAFE_INTEGER. */
static uint64_t num_value(const char *s, size_t len)
{
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > SV_MAX_SAFE) return UINT64_MAX;
    }
    return v;
}

enum sv_status { SV_OK, SV_SYNTAX, SV_TOO_LONG, SV_TOO_BIG };

/* node-semver's SemVer constructor: at most 256 characters before trimming, then the strict or
 * loose grammar over the trimmed text, then each of major, minor and patch at most 2^53 - 1. */
static enum sv_status sv_parse(struct rp_str v, bool loose, struct sv *out)
{
    if (js_units(v) > SV_MAX_LENGTH) return SV_TOO_LONG;
    v = js_trim(v);
    struct xp x;
    if (!plain_exact(v.p, 0, v.len, loose, &x)) return SV_SYNTAX;
    for (size_t k = 0; k < 3; k++) {
        out->num[k] = num_value(v.p + x.part[k].off, x.part[k].len);
        if (out->num[k] == UINT64_MAX) return SV_TOO_BIG;
    }
    out->pre = x.has_pre ? v.p + x.pre.off : NULL;
    out->prelen = x.has_pre ? x.pre.len : 0;
    return SV_OK;
}

static int sign3(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* A digit run (at most 257 reach here) as JavaScript's Number() reads it (correctly rounded). */
static double id_double(const char *s, size_t len)
{
    char tmp[SV_DIGITS + 8];
    if (len > SV_DIGITS + 1) len = SV_DIGITS + 1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    return strtod(tmp, NULL);
}

/* Compare prerelease identifiers a and b. *stop is set when node-semver returns the result at
 * once even though it is 0: two numeric identifiers at or above 2^53 - 1 that differ as text
 * but round to the same double. */
static int id_cmp(const char *a, size_t al, const char *b, size_t bl, bool *stop)
{
    bool an = digits_at(a, 0, al) == al, bn = digits_at(b, 0, bl) == bl;
    *stop = false;
    if (an && bn) {
        /* node-semver keeps a numeric identifier as a number below 2^53 - 1, else as text */
        uint64_t va = num_value(a, al), vb = num_value(b, bl);
        bool anum = va < SV_MAX_SAFE, bnum = vb < SV_MAX_SAFE;
        if (anum && bnum) return sign3(va, vb);
        if (!anum && !bnum && al == bl && memcmp(a, b, al) == 0) return 0;
        double da = anum ? (double)va : id_double(a, al);
        double db = bnum ? (double)vb : id_double(b, bl);
        *stop = true;
        return da < db ? -1 : da > db;
    }
    if (an) return -1;
    if (bn) return 1;
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c != 0) return c < 0 ? -1 : 1;
    return al < bl ? -1 : al > bl;
}

/* SemVer 2.0.0 precedence as node-semver's compare(): numbers, then a version without
 * prerelease above one with, then identifier by identifier (numbers below text, a shorter list
 * below a longer one that it prefixes). */
static int sv_compare(const struct sv *a, const struct sv *b)
{
    for (size_t k = 0; k < 3; k++)
        if (a->num[k] != b->num[k]) return sign3(a->num[k], b->num[k]);
    if (!a->pre || !b->pre) return a->pre ? -1 : b->pre ? 1 : 0;
    size_t i = 0, j = 0;
    for (;;) {
        bool ea = i > a->prelen, eb = j > b->prelen;
        if (ea || eb) return ea && eb ? 0 : ea ? -1 : 1;
        size_t ie = i, je = j;
        while (ie < a->prelen && a->pre[ie] != '.') ie++;
        while (je < b->prelen && b->pre[je] != '.') je++;
        bool stop;
        int c = id_cmp(a->pre + i, ie - i, b->pre + j, je - j, &stop);
        if (c != 0 || stop) return c;
        i = ie + 1;
        j = je + 1;
    }
}

/* ---- the versioning scheme ------------------------------------------------------------------- */

/* Loose parsing (node-semver's compareLoose) so that "v1.2.3" and "1.2.3-01" order as npm
 * orders them; anything loose parsing refuses sorts below every version, bytewise among
 * itself. */
static int semver_cmp(struct rp_str a, struct rp_str b)
{
    struct sv x, y;
    bool va = sv_parse(a, true, &x) == SV_OK, vb = sv_parse(b, true, &y) == SV_OK;
    if (va && vb) return sv_compare(&x, &y);
    if (va != vb) return va ? 1 : -1;
    int c = memcmp(a.p, b.p, a.len < b.len ? a.len : b.len);
    if (c != 0) return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len;
}

static bool semver_valid(struct rp_str v)
{
    struct sv x;
    return sv_parse(v, false, &x) == SV_OK;
}

/* The OSV ecosystems whose versions are SemVer 2.0.0 as node-semver orders them: npm itself
 * (the GHSA-to-OSV conversion writes its ranges as type SEMVER) and SwiftURL (OSV: "Versions
 * are Git tags that conform to SemVer 2.0"). docs/vuln-semver.md says why others are not. */
static const char *const semver_ecosystems[] = {"npm", "SwiftURL", NULL};

const struct rp_vuln_versioning rp_vuln_ver_semver = {
    .name = "semver",
    .ecosystems = semver_ecosystems,
    .cmp = semver_cmp,
    .valid = semver_valid,
};

/* ---- ranges: unanchored scanners (the first match, as node-semver finds it) ------------------ */

/* A prerelease identifier starting at i, as the first successful alternative: one with a
 * letter or '-' (up to 256 digits, the letter, up to 250 more), else a number (strict: "0" or
 * up to 257 digits; loose: up to 256). Returns its end or NONE. */
static size_t id_first(const char *s, size_t i, size_t n, bool loose)
{
    size_t k = digits_at(s, i, n);
    if (k <= SV_DIGITS && i + k < n && is_alpha_dash(s[i + k])) {
        size_t j = i + k + 1, t = 0;
        while (j < n && t < SV_TAIL && is_idch(s[j])) j++, t++;
        return j;
    }
    if (k == 0) return NONE;
    if (loose) return i + (k > SV_DIGITS ? SV_DIGITS : k);
    if (s[i] == '0') return i + 1;
    return i + (k > SV_DIGITS + 1 ? SV_DIGITS + 1 : k);
}

static size_t ids_first(const char *s, size_t i, size_t n, bool loose)
{
    while (i + 1 < n && s[i] == '.') {
        size_t e = id_first(s, i + 1, n, loose);
        if (e == NONE) break;
        i = e;
    }
    return i;
}

/* '+' and build identifiers at i (1..250 characters each), or i itself when none follow. */
static size_t build_first(const char *s, size_t i, size_t n)
{
    if (!(i + 1 < n && s[i] == '+' && is_idch(s[i + 1]))) return i;
    do {
        size_t t = 0;
        i++;
        while (i < n && t < SV_TAIL && is_idch(s[i])) i++, t++;
    } while (i + 1 < n && s[i] == '.' && is_idch(s[i + 1]));
    return i;
}

/* Loose full version at i, unanchored: returns the end of the first match, or NONE. */
static size_t plain_first(const char *s, size_t i, size_t n)
{
    while (i < n && is_vprefix(s[i])) i++;
    for (int k = 0; k < 2; k++) {
        size_t d = digits_at(s, i, n);
        if (d == 0 || d > SV_DIGITS) return NONE;
        i += d;
        if (i >= n || s[i] != '.') return NONE;
        i++;
    }
    size_t d = digits_at(s, i, n);
    if (d == 0) return NONE;
    i += d > SV_DIGITS ? SV_DIGITS : d;
    size_t e = NONE;
    if (i < n && s[i] == '-') e = id_first(s, i + 1, n, true);
    if (e == NONE) e = id_first(s, i, n, true);
    if (e != NONE) i = ids_first(s, e, n, true);
    return i < n && s[i] == '+' ? build_first(s, i, n) : i;
}

static size_t xrid_first(const char *s, size_t i, size_t n)
{
    if (i >= n) return NONE;
    if (is_xchar(s[i]) || s[i] == '0') return i + 1;
    size_t d = digits_at(s, i, n);
    if (d == 0) return NONE;
    return i + (d > SV_DIGITS + 1 ? SV_DIGITS + 1 : d);
}

/* Strict X-range operand at i, unanchored: end of the first match, or NONE. */
static size_t xplain_first(const char *s, size_t i, size_t n)
{
    while (i < n && is_vprefix(s[i])) i++;
    i = xrid_first(s, i, n);
    if (i == NONE) return NONE;
    for (int k = 0; k < 2; k++) {
        if (i >= n || s[i] != '.') return i;
        size_t e = xrid_first(s, i + 1, n);
        if (e == NONE) return i;
        i = e;
    }
    if (i < n && s[i] == '-') {
        size_t e = id_first(s, i + 1, n, false);
        if (e != NONE) i = ids_first(s, e, n, false);
    }
    return i < n && s[i] == '+' ? build_first(s, i, n) : i;
}

/* ---- ranges: rewriting ----------------------------------------------------------------------- */

struct rctx {
    bool loose, incpre;
    struct rp_str range; /* as given, for messages */
    struct rp_errbuf *eb;
    rp_err err; /* first error */
    /* the version under test */
    bool ver_ok;
    struct sv ver;
    /* per comparator set */
    size_t ncmp;
    bool all_any, all_pass, pre_allowed;
    /* per range */
    size_t nsets;
    bool any_set, matched;
};

/* JavaScript's "+x + 1" for a digit string x, formatted as String(number) would be: exact
 * below 2^53, something past 2^53 - 1 (so parsing it fails) below 1e21, and an exponent form
 * ("1e+21", not a version number at all) from 1e21 on. */
static void sb_add_inc(struct sb *b, const char *s, size_t len)
{
    char tmp[64];
    uint64_t v = num_value(s, len);
    if (v != UINT64_MAX) {
        snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)(v + 1));
        sb_adds(b, tmp);
        return;
    }
    double d = id_double(s, len) + 1.0;
    if (d > DBL_MAX) {
        sb_adds(b, "Infinity");
        return;
    }
    /* Number.prototype.toString: the shortest digits that read back as d */
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
    }
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
    char digits[24];
    size_t nd = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (is_digit(*p)) digits[nd++] = *p;
    int exp10 = (int)strtol(p + 1, NULL, 10);
    if (exp10 < 21) {
        /* below 1e21: every digit, padded with zeros */
        sb_add(b, digits, nd);
        for (int k = (int)nd; k <= exp10; k++) sb_addc(b, '0');
        return;
    }
    sb_addc(b, digits[0]);
    if (nd > 1) {
        sb_addc(b, '.');
        sb_add(b, digits + 1, nd - 1);
    }
    snprintf(tmp, sizeof tmp, "e+%d", exp10);
    sb_adds(b, tmp);
}

static bool part_is_x(const char *s, const struct xp *x, size_t k)
{
    return k >= x->nparts || (x->part[k].len == 1 && is_xchar(s[x->part[k].off]));
}

static void sb_part(struct sb *b, const char *s, const struct xp *x, size_t k)
{
    sb_add(b, s + x->part[k].off, x->part[k].len);
}

static void sb_part_inc(struct sb *b, const char *s, const struct xp *x, size_t k)
{
    sb_add_inc(b, s + x->part[k].off, x->part[k].len);
}

static bool part_is_zero(const char *s, const struct xp *x, size_t k)
{
    return x->part[k].len == 1 && s[x->part[k].off] == '0';
}

/* "M.m.p" from the captures */
static void sb_mmp(struct sb *b, const char *s, const struct xp *x)
{
    sb_part(b, s, x, 0);
    sb_addc(b, '.');
    sb_part(b, s, x, 1);
    sb_addc(b, '.');
    sb_part(b, s, x, 2);
}

static void sb_pre(struct sb *b, const char *s, const struct xp *x)
{
    sb_addc(b, '-');
    sb_add(b, s + x->pre.off, x->pre.len);
}

/* Hyphen range "A - B" spanning the whole part (optionally one space at either end) into
 * ">=A <=B" with the partial-version rules. Returns false when the part is not one. */
static bool hyphen(struct rctx *c, struct sb *out, const char *s, size_t n)
{
    size_t i = n > 0 && s[0] == ' ' ? 1 : 0, end = n;
    if (end > i && s[end - 1] == ' ') end--;
    size_t a0 = i;
    while (i < end && is_vprefix(s[i])) i++;
    while (i < end && s[i] != ' ') i++;
    if (i + 3 > end || s[i + 1] != '-' || s[i + 2] != ' ') return false;
    struct xp f, t;
    if (!xp_exact(s, a0, i, c->loose, &f) || !xp_exact(s, i + 3, end, c->loose, &t)) return false;
    const char *z = c->incpre ? "-0" : "";
    struct sb tmp;
    sb_init(&tmp);
    if (part_is_x(s, &f, 0)) {
        /* no lower bound */
    } else if (part_is_x(s, &f, 1)) {
        sb_adds(&tmp, ">=");
        sb_part(&tmp, s, &f, 0);
        sb_adds(&tmp, ".0.0");
        sb_adds(&tmp, z);
    } else if (part_is_x(s, &f, 2)) {
        sb_adds(&tmp, ">=");
        sb_part(&tmp, s, &f, 0);
        sb_addc(&tmp, '.');
        sb_part(&tmp, s, &f, 1);
        sb_adds(&tmp, ".0");
        sb_adds(&tmp, z);
    } else {
        sb_adds(&tmp, ">=");
        sb_add(&tmp, s + f.start, i - f.start);
        if (!f.has_pre) sb_adds(&tmp, z);
    }
    sb_addc(&tmp, ' ');
    if (part_is_x(s, &t, 0)) {
        /* no upper bound */
    } else if (part_is_x(s, &t, 1)) {
        sb_addc(&tmp, '<');
        sb_part_inc(&tmp, s, &t, 0);
        sb_adds(&tmp, ".0.0-0");
    } else if (part_is_x(s, &t, 2)) {
        sb_addc(&tmp, '<');
        sb_part(&tmp, s, &t, 0);
        sb_addc(&tmp, '.');
        sb_part_inc(&tmp, s, &t, 1);
        sb_adds(&tmp, ".0-0");
    } else if (t.has_pre) {
        sb_adds(&tmp, "<=");
        sb_mmp(&tmp, s, &t);
        sb_pre(&tmp, s, &t);
    } else if (c->incpre) {
        sb_addc(&tmp, '<');
        sb_part(&tmp, s, &t, 0);
        sb_addc(&tmp, '.');
        sb_part(&tmp, s, &t, 1);
        sb_addc(&tmp, '.');
        sb_part_inc(&tmp, s, &t, 2);
        sb_adds(&tmp, "-0");
    } else {
        sb_adds(&tmp, "<=");
        sb_add(&tmp, s + t.start, end - t.start);
    }
    /* trim the single spaces left by an empty bound */
    size_t b = 0, e = tmp.len;
    if (b < e && tmp.p[b] == ' ') b++;
    if (e > b && tmp.p[e - 1] == ' ') e--;
    sb_add(out, tmp.p + b, e - b);
    if (tmp.oom) out->oom = true;
    sb_release(&tmp);
    return true;
}

/* Glue each operator to its version: "> 1.2.3" -> ">1.2.3" (node-semver's comparator trim, a
 * left-to-right scan where every match resumes after the version it matched). */
static void glue_operators(struct sb *out, const char *s, size_t n)
{
    size_t i = 0;
    bool may_change = memchr(s, '<', n) || memchr(s, '>', n) || memchr(s, '=', n);
    for (size_t k = 0; !may_change && k + 1 < n; k++) may_change = s[k] == ' ' && s[k + 1] == ' ';
    if (!may_change) {
        /* only a space after an operator, or the second of two (left by dropped build
         * metadata), can go */
        sb_add(out, s, n);
        return;
    }
    while (i < n) {
        size_t p = i + (s[i] == ' ');
        if (p < n && (s[p] == '<' || s[p] == '>')) p++;
        if (p < n && s[p] == '=') p++;
        size_t g = p, sp = p < n && s[p] == ' ';
        size_t e = plain_first(s, g + sp, n);
        if (e == NONE) e = xplain_first(s, g + sp, n);
        if (e != NONE) {
            sb_add(out, s + i, g - i);
            sb_add(out, s + g + sp, e - g - sp);
            i = e;
        } else {
            sb_addc(out, s[i++]);
        }
    }
}

/* "~ 1.2" -> "~1.2", "~> 1.2" -> "~1.2", "^ 1.2" -> "^1.2". */
static void glue_lone(struct sb *out, const char *s, size_t n, char op)
{
    size_t i = 0;
    if (!memchr(s, op, n)) {
        sb_add(out, s, n);
        return;
    }
    while (i < n) {
        size_t p = i + (s[i] == ' ');
        if (p < n && s[p] == op) {
            size_t q = p + 1;
            if (op == '~' && q < n && s[q] == '>') q++;
            if (q < n && s[q] == ' ') {
                sb_add(out, s + i, p - i);
                sb_addc(out, op);
                i = q + 1;
                continue;
            }
        }
        sb_addc(out, s[i++]);
    }
}

/* Build metadata never takes part in a range: "+" and dot-separated [0-9A-Za-z-] runs go. */
static void strip_builds(struct sb *out, const char *s, size_t n)
{
    size_t i = 0;
    if (!memchr(s, '+', n)) {
        sb_add(out, s, n);
        return;
    }
    while (i < n) {
        if (s[i] == '+' && i + 1 < n && is_idch(s[i + 1])) {
            size_t j = i + 1;
            for (;;) {
                while (j < n && is_idch(s[j])) j++;
                if (j + 1 < n && s[j] == '.' && is_idch(s[j + 1]))
                    j++;
                else
                    break;
            }
            i = j;
        } else {
            sb_addc(out, s[i++]);
        }
    }
}

typedef void (*piece_fn)(struct rctx *c, struct sb *out, const char *s, size_t n);

/* Split s on runs of spaces (a leading or trailing run gives an empty piece, as JavaScript's
 * split(/\s+/) does), rewrite each piece with fn, join with single spaces. trim: trim first. */
static void map_pieces(struct rctx *c, struct sb *out, const char *s, size_t n, bool trim,
                       piece_fn fn)
{
    if (trim) {
        while (n > 0 && s[0] == ' ') s++, n--;
        while (n > 0 && s[n - 1] == ' ') n--;
    }
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        fn(c, out, s + i, j - i);
        if (j >= n) break;
        while (j < n && s[j] == ' ') j++;
        sb_addc(out, ' ');
        i = j;
    }
}

/* "^1.2.3" -> ">=1.2.3 <2.0.0-0", "^0.2.3" -> ">=0.2.3 <0.3.0-0", "^0.0.3" -> ">=0.0.3 <0.0.4-0",
 * "^1.x" -> ">=1.0.0 <2.0.0-0", .. ("-0" lower bounds for X parts with includePrerelease). */
static void caret(struct rctx *c, struct sb *o, const char *s, size_t n)
{
    struct xp x;
    if (n == 0 || s[0] != '^' || !xp_exact(s, 1, n, c->loose, &x)) {
        sb_add(o, s, n);
        return;
    }
    const char *z = c->incpre ? "-0" : "";
    if (part_is_x(s, &x, 0)) return;
    sb_adds(o, ">=");
    if (part_is_x(s, &x, 1)) {
        sb_part(o, s, &x, 0);
        sb_adds(o, ".0.0");
        sb_adds(o, z);
        sb_adds(o, " <");
        sb_part_inc(o, s, &x, 0);
        sb_adds(o, ".0.0-0");
        return;
    }
    bool zm = part_is_zero(s, &x, 0);
    if (part_is_x(s, &x, 2)) {
        sb_part(o, s, &x, 0);
        sb_addc(o, '.');
        sb_part(o, s, &x, 1);
        sb_adds(o, ".0");
        sb_adds(o, z);
        sb_adds(o, " <");
    } else {
        sb_mmp(o, s, &x);
        if (x.has_pre) sb_pre(o, s, &x);
        sb_adds(o, " <");
        if (zm && part_is_zero(s, &x, 1)) {
            sb_part(o, s, &x, 0);
            sb_addc(o, '.');
            sb_part(o, s, &x, 1);
            sb_addc(o, '.');
            sb_part_inc(o, s, &x, 2);
            sb_adds(o, "-0");
            return;
        }
    }
    if (zm) {
        sb_part(o, s, &x, 0);
        sb_addc(o, '.');
        sb_part_inc(o, s, &x, 1);
        sb_adds(o, ".0-0");
    } else {
        sb_part_inc(o, s, &x, 0);
        sb_adds(o, ".0.0-0");
    }
}

/* "~1.2.3" -> ">=1.2.3 <1.3.0-0", "~1.2" -> ">=1.2.0 <1.3.0-0", "~1" -> ">=1.0.0 <2.0.0-0";
 * "~>" is the same operator. */
static void tilde(struct rctx *c, struct sb *o, const char *s, size_t n)
{
    struct xp x;
    size_t i = n > 1 && s[1] == '>' ? 2 : 1;
    if (n == 0 || s[0] != '~' || !xp_exact(s, i, n, c->loose, &x)) {
        sb_add(o, s, n);
        return;
    }
    const char *z = c->incpre ? "-0" : "";
    if (part_is_x(s, &x, 0)) return;
    sb_adds(o, ">=");
    if (part_is_x(s, &x, 1)) {
        sb_part(o, s, &x, 0);
        sb_adds(o, ".0.0");
        sb_adds(o, z);
        sb_adds(o, " <");
        sb_part_inc(o, s, &x, 0);
        sb_adds(o, ".0.0-0");
        return;
    }
    if (part_is_x(s, &x, 2)) {
        sb_part(o, s, &x, 0);
        sb_addc(o, '.');
        sb_part(o, s, &x, 1);
        sb_adds(o, ".0");
        sb_adds(o, z);
    } else {
        sb_mmp(o, s, &x);
        if (x.has_pre) sb_pre(o, s, &x);
    }
    sb_adds(o, " <");
    sb_part(o, s, &x, 0);
    sb_addc(o, '.');
    sb_part_inc(o, s, &x, 1);
    sb_adds(o, ".0-0");
}

/* X-ranges with an optional operator: "1.2.x" -> ">=1.2.0 <1.3.0-0", "1" -> ">=1.0.0 <2.0.0-0",
 * ">1.2" -> ">=1.3.0", "<=1.2" -> "<1.3.0-0", "<1.x" -> "<1.0.0-0", "*" and ">=*" -> any,
 * ">*" and "<*" -> nothing ("<0.0.0-0"). A full version is left as it is. */
static void xrange(struct rctx *c, struct sb *o, const char *s, size_t n)
{
    struct xp x;
    size_t g = 0;
    if (g < n && (s[g] == '<' || s[g] == '>')) g++;
    if (g < n && s[g] == '=') g++;
    if (!xp_exact(s, g, n, c->loose, &x)) {
        sb_add(o, s, n);
        return;
    }
    bool xM = part_is_x(s, &x, 0), xm = xM || part_is_x(s, &x, 1), xp = xm || part_is_x(s, &x, 2);
    /* a number after a wildcard ("1.x.3", "x.1") is not an X-range */
    bool number_after_x = (xM && x.nparts > 1 && !part_is_x(s, &x, 1)) ||
                          (xm && x.nparts > 2 && !part_is_x(s, &x, 2));
    if (!xp || number_after_x) {
        sb_add(o, s, n);
        return;
    }
    char op[3] = {0};
    memcpy(op, s, g);
    if (strcmp(op, "=") == 0) op[0] = '\0';
    const char *pr = c->incpre ? "-0" : "";
    if (xM) {
        sb_adds(o, strcmp(op, ">") == 0 || strcmp(op, "<") == 0 ? "<0.0.0-0" : "*");
    } else if (op[0]) {
        bool incM = false, incm = false;
        if (strcmp(op, ">") == 0) {
            memcpy(op, ">=", 3);
            incM = xm;
            incm = !xm;
        } else if (strcmp(op, "<=") == 0) {
            memcpy(op, "<", 2);
            incM = xm;
            incm = !xm;
        }
        if (strcmp(op, "<") == 0) pr = "-0";
        sb_adds(o, op);
        if (incM)
            sb_part_inc(o, s, &x, 0);
        else
            sb_part(o, s, &x, 0);
        sb_addc(o, '.');
        if (xm)
            sb_addc(o, '0');
        else if (incm)
            sb_part_inc(o, s, &x, 1);
        else
            sb_part(o, s, &x, 1);
        sb_adds(o, ".0");
        sb_adds(o, pr);
    } else if (xm) {
        sb_adds(o, ">=");
        sb_part(o, s, &x, 0);
        sb_adds(o, ".0.0");
        sb_adds(o, pr);
        sb_adds(o, " <");
        sb_part_inc(o, s, &x, 0);
        sb_adds(o, ".0.0-0");
    } else {
        sb_adds(o, ">=");
        sb_part(o, s, &x, 0);
        sb_addc(o, '.');
        sb_part(o, s, &x, 1);
        sb_adds(o, ".0");
        sb_adds(o, pr);
        sb_adds(o, " <");
        sb_part(o, s, &x, 0);
        sb_addc(o, '.');
        sb_part_inc(o, s, &x, 1);
        sb_adds(o, ".0-0");
    }
}

/* The first "*" (with an optional operator and space before it) is removed: "*" is any. */
static void stars(struct sb *o, const char *s, size_t n)
{
    while (n > 0 && s[0] == ' ') s++, n--;
    while (n > 0 && s[n - 1] == ' ') n--;
    for (size_t i = 0; i < n; i++) {
        size_t p = i;
        if (p < n && (s[p] == '<' || s[p] == '>')) p++;
        if (p < n && s[p] == '=') p++;
        if (p < n && s[p] == ' ') p++;
        if (p < n && s[p] == '*') {
            sb_add(o, s, i);
            sb_add(o, s + p + 1, n - p - 1);
            return;
        }
    }
    sb_add(o, s, n);
}

/* One space-separated token of a comparator set into primitive comparators. */
static void desugar_token(struct rctx *c, struct sb *out, const char *s, size_t n)
{
    struct sb a, b;
    sb_init(&a);
    sb_init(&b);
    map_pieces(c, &a, s, n, true, caret);
    map_pieces(c, &b, a.p, a.len, true, tilde);
    a.len = 0;
    map_pieces(c, &a, b.p, b.len, false, xrange);
    stars(out, a.p, a.len);
    if (a.oom || b.oom) out->oom = true;
    sb_release(&a);
    sb_release(&b);
}

/* A printable, shortened copy of s for messages. */
static const char *quote(char *buf, size_t bufsz, const char *s, size_t n, size_t keep)
{
    size_t o = 0;
    for (size_t i = 0; i < n && i < keep && o + 1 < bufsz; i++)
        buf[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (n > keep && o + 4 < bufsz) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static void fail(struct rctx *c, const char *what, const char *s, size_t n)
{
    if (c->err != RP_OK) return;
    char r[96], q[64];
    quote(r, sizeof r, c->range.p, c->range.len, 80);
    quote(q, sizeof q, s, n, 48);
    c->err = rp_fail(c->eb, RP_EPARSE, "semver: invalid range '%s': %s '%s'", r, what, q);
}

/* One primitive comparator: "" (any) or an operator and a version. Invalid ones fail the
 * range, except that loose mode drops those that do not even look like a comparator. */
static void comparator(struct rctx *c, const char *s, size_t n)
{
    if (n == 0) {
        c->ncmp++;
        return; /* any version: passes, and plays no part in the prerelease rule */
    }
    size_t g = 0;
    if (s[0] == '<' || s[0] == '>') g++;
    if (g < n && s[g] == '=') g++;
    struct xp x;
    if (!plain_exact(s, g, n, c->loose, &x)) {
        if (!c->loose) fail(c, "invalid comparator", s, n);
        return;
    }
    struct sv v;
    enum sv_status st = sv_parse((struct rp_str){s + g, n - g}, c->loose, &v);
    if (st == SV_TOO_LONG) {
        fail(c, "version longer than 256 characters in", s, n);
        return;
    }
    if (st != SV_OK) {
        fail(c, "version number above 9007199254740991 in", s, n);
        return;
    }
    c->ncmp++;
    c->all_any = false;
    if (!c->ver_ok) return;
    int r = sv_compare(&c->ver, &v);
    bool pass;
    if (s[0] == '<')
        pass = g == 2 ? r <= 0 : r < 0;
    else if (s[0] == '>')
        pass = g == 2 ? r >= 0 : r > 0;
    else
        pass = r == 0;
    if (!pass) c->all_pass = false;
    if (v.pre && v.num[0] == c->ver.num[0] && v.num[1] == c->ver.num[1] &&
        v.num[2] == c->ver.num[2])
        c->pre_allowed = true;
}

/* One "||"-separated comparator set. */
static void comparator_set(struct rctx *c, const char *s, size_t n)
{
    struct sb a, b;
    sb_init(&a);
    sb_init(&b);
    strip_builds(&a, s, n);
    if (!hyphen(c, &b, a.p, a.len)) sb_add(&b, a.p, a.len);
    a.len = 0;
    glue_operators(&a, b.p, b.len);
    b.len = 0;
    glue_lone(&b, a.p, a.len, '~');
    a.len = 0;
    glue_lone(&a, b.p, b.len, '^');
    /* split on single spaces, desugar each token, join */
    b.len = 0;
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < a.len && a.p[j] != ' ') j++;
        desugar_token(c, &b, a.p + i, j - i);
        if (j >= a.len) break;
        sb_addc(&b, ' ');
        i = j + 1;
    }
    if (a.oom || b.oom) {
        if (c->err == RP_OK) c->err = rp_fail(c->eb, RP_ENOMEM, "semver: out of memory");
        sb_release(&a);
        sb_release(&b);
        return;
    }
    c->ncmp = 0;
    c->all_any = true;
    c->all_pass = true;
    c->pre_allowed = false;
    const char *gte0 = c->incpre ? ">=0.0.0-0" : ">=0.0.0";
    i = 0;
    for (;;) {
        size_t j = i;
        while (j < b.len && b.p[j] != ' ') j++;
        /* ">=0.0.0" is "*" */
        if (j - i == strlen(gte0) && memcmp(b.p + i, gte0, j - i) == 0)
            comparator(c, "", 0);
        else
            comparator(c, b.p + i, j - i);
        if (j >= b.len) break;
        while (j < b.len && b.p[j] == ' ') j++;
        i = j;
    }
    sb_release(&a);
    sb_release(&b);
    if (c->ncmp == 0) return; /* loose mode dropped every comparator: no set */
    c->nsets++;
    if (c->all_any) c->any_set = true;
    if (c->ver_ok && c->all_pass && (!c->ver.pre || c->incpre || c->pre_allowed)) c->matched = true;
}

rp_err rp_semver_satisfies(struct rp_str range, struct rp_str version,
                           const struct rp_semver_opts *opts, bool *out, struct rp_errbuf *eb)
{
    struct rctx c;
    memset(&c, 0, sizeof c);
    c.loose = opts && opts->loose;
    c.incpre = opts && opts->include_prerelease;
    c.range = range;
    c.eb = eb;
    *out = false;
    c.ver_ok = version.len > 0 && sv_parse(version, c.loose, &c.ver) == SV_OK;

    /* trim, and every run of white space becomes one space */
    struct sb raw;
    sb_init(&raw);
    struct rp_str r = js_trim(range);
    for (size_t i = 0; i < r.len;) {
        size_t w = js_space(r.p + i, r.len - i);
        if (w == 0) {
            sb_addc(&raw, r.p[i++]);
            continue;
        }
        while ((w = js_space(r.p + i, r.len - i)) != 0) i += w;
        sb_addc(&raw, ' ');
    }
    if (raw.oom) {
        sb_release(&raw);
        return rp_fail(eb, RP_ENOMEM, "semver: out of memory");
    }
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j + 1 < raw.len && !(raw.p[j] == '|' && raw.p[j + 1] == '|')) j++;
        if (j + 1 >= raw.len) j = raw.len;
        size_t a = i, b = j;
        while (a < b && raw.p[a] == ' ') a++;
        while (b > a && raw.p[b - 1] == ' ') b--;
        comparator_set(&c, raw.p + a, b - a);
        if (j >= raw.len) break;
        i = j + 2;
    }
    sb_release(&raw);
    if (c.err != RP_OK) return c.err;
    if (c.nsets == 0) {
        char q[96];
        quote(q, sizeof q, range.p, range.len, 80);
        return rp_fail(eb, RP_EPARSE, "semver: invalid range '%s': no valid comparator", q);
    }
    if (!c.ver_ok) return RP_OK;
    /* a set that admits any version makes the whole range "*" */
    *out = c.any_set ? (!c.ver.pre || c.incpre) : c.matched;
    return RP_OK;
}
