/* SPDX-License-Identifier: Apache-2.0 */
/* Alpine version ordering (rp_vuln_ver_apk, vuln.h), for the OSV ecosystems "Alpine",
 * "Wolfi", "Chainguard" and the other apk-based ones. A version is
 *     digits{.digits}[letter]{_suffix[digits]}[~hash][-rdigits]
 * with suffixes alpha, beta, pre, rc (pre-releases) and cvs, svn, git, hg, p (post-releases),
 * as apk-tools defines it. It is read as a sequence of tokens; two versions are compared token
 * by token while both have a token of the same kind, and where the kinds differ the version
 * that goes on is newer unless what follows is a pre-release suffix, in the order of apk-tools
 * (number > letter > suffix > suffix number > hash > revision > end).
 *
 * cmp() takes any bytes: from the first byte that breaks the grammar the rest of a version is
 * one "invalid" token that sorts below the end of a version, and two such rests compare
 * bytewise. valid() is the grammar above. docs/vuln-versions.md has the rules with
 * examples. */
#include <string.h>

#include "vuln/vuln.h"

/* Token kinds in apk-tools' order: where two versions have different kinds at the same place,
 * the higher kind is the older version (a pre-release suffix is older than anything). */
enum kind {
    K_FIRST,      /* the leading number */
    K_NUMBER,     /* ".digits" */
    K_LETTER,     /* one lower-case letter after the numbers */
    K_SUFFIX,     /* "_name" */
    K_SUFFIX_NUM, /* the digits right after a suffix name */
    K_HASH,       /* "~hex" */
    K_REVISION,   /* "-rdigits" */
    K_END,
    K_INVALID, /* the rest of a version that breaks the grammar */
};

struct tok {
    enum kind kind;
    struct rp_str val; /* digits, letter, hex or the invalid rest */
    int suffix;        /* index in suffixes[] for K_SUFFIX */
};

/* In order; the first four are pre-releases, older than no suffix at all. */
static const char *const suffixes[] = {"alpha", "beta", "pre", "rc", "cvs",
                                       "svn",   "git",  "hg",  "p"};
#define N_PRE_SUFFIXES 4

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

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

static size_t span(struct rp_str s, size_t at, bool (*in)(char))
{
    size_t n = at;
    while (n < s.len && in(s.p[n])) n++;
    return n - at;
}

/* The leading number: the first token of every version. */
static struct tok first(struct rp_str s, size_t *pos)
{
    struct tok t = {K_INVALID, s, 0};
    size_t n = span(s, 0, is_digit);
    if (n == 0) return t;
    t.kind = K_FIRST;
    t.val = (struct rp_str){s.p, n};
    *pos = n;
    return t;
}

/* The token at *pos that follows a token of kind prev; advances *pos past it. */
static struct tok next(struct rp_str s, size_t *pos, enum kind prev)
{
    size_t at = *pos;
    struct tok t = {K_INVALID, {s.p + at, s.len - at}, 0};
    if (prev == K_INVALID) return t;
    if (at == s.len) {
        t.kind = K_END;
        return t;
    }
    char c = s.p[at];
    size_t n = 0;
    if (c == '.' && prev <= K_NUMBER) {
        n = span(s, at + 1, is_digit);
        if (n == 0) return t;
        t.kind = K_NUMBER;
        t.val = (struct rp_str){s.p + at + 1, n};
        n++;
    } else if (is_lower(c) && prev <= K_NUMBER) {
        t.kind = K_LETTER;
        t.val = (struct rp_str){s.p + at, 1};
        n = 1;
    } else if (c == '_' && prev <= K_SUFFIX_NUM) {
        size_t len = span(s, at + 1, is_lower);
        int k = 0;
        while (k < (int)RP_ARRAY_LEN(suffixes) &&
               !(strlen(suffixes[k]) == len && memcmp(suffixes[k], s.p + at + 1, len) == 0))
            k++;
        if (len == 0 || k == (int)RP_ARRAY_LEN(suffixes)) return t;
        t.kind = K_SUFFIX;
        t.suffix = k;
        t.val = (struct rp_str){s.p + at + 1, len};
        n = len + 1;
    } else if (is_digit(c) && prev == K_SUFFIX) {
        n = span(s, at, is_digit);
        t.kind = K_SUFFIX_NUM;
        t.val = (struct rp_str){s.p + at, n};
    } else if (c == '~' && prev < K_HASH) {
        n = span(s, at + 1, is_hex);
        if (n == 0) return t;
        t.kind = K_HASH;
        t.val = (struct rp_str){s.p + at + 1, n};
        n++;
    } else if (c == '-' && prev < K_REVISION && at + 1 < s.len && s.p[at + 1] == 'r') {
        n = span(s, at + 2, is_digit);
        if (n == 0) return t;
        t.kind = K_REVISION;
        t.val = (struct rp_str){s.p + at + 2, n};
        n += 2;
    } else {
        return t;
    }
    *pos = at + n;
    return t;
}

static int cmp_bytes(struct rp_str a, struct rp_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++)
        if (a.p[i] != b.p[i]) return (unsigned char)a.p[i] < (unsigned char)b.p[i] ? -1 : 1;
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    return 0;
}

/* Decimal numbers of any length. */
static int cmp_number(struct rp_str a, struct rp_str b)
{
    while (a.len > 0 && a.p[0] == '0') a.p++, a.len--;
    while (b.len > 0 && b.p[0] == '0') b.p++, b.len--;
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    return cmp_bytes(a, b);
}

/* Two tokens of the same kind. */
static int cmp_tok(const struct tok *a, const struct tok *b)
{
    switch (a->kind) {
    case K_NUMBER:
        /* a component after a dot with a leading zero compares as a string ("1.02" < "1.1") */
        if (a->val.p[0] == '0' || b->val.p[0] == '0') return cmp_bytes(a->val, b->val);
        return cmp_number(a->val, b->val);
    case K_FIRST:
    case K_SUFFIX_NUM:
    case K_REVISION:
        return cmp_number(a->val, b->val);
    case K_SUFFIX:
        return a->suffix == b->suffix ? 0 : (a->suffix < b->suffix ? -1 : 1);
    case K_LETTER:
    case K_HASH:
    case K_INVALID:
        return cmp_bytes(a->val, b->val);
    case K_END:
        break;
    }
    return 0;
}

static bool is_pre(const struct tok *t)
{
    return t->kind == K_SUFFIX && t->suffix < N_PRE_SUFFIXES;
}

static int apk_cmp(struct rp_str a, struct rp_str b)
{
    a = nonnull(a), b = nonnull(b);
    size_t ia = 0, ib = 0;
    struct tok ta = first(a, &ia), tb = first(b, &ib);
    while (ta.kind == tb.kind) {
        int r = cmp_tok(&ta, &tb);
        if (r != 0 || ta.kind == K_END || ta.kind == K_INVALID) return r;
        ta = next(a, &ia, ta.kind);
        tb = next(b, &ib, tb.kind);
    }
    /* equal so far: the one that goes on is newer, unless it goes on with a pre-release */
    if (is_pre(&ta)) return -1;
    if (is_pre(&tb)) return 1;
    return ta.kind > tb.kind ? -1 : 1;
}

static bool apk_valid(struct rp_str v)
{
    v = nonnull(v);
    size_t pos = 0;
    struct tok t = first(v, &pos);
    while (t.kind != K_END && t.kind != K_INVALID) t = next(v, &pos, t.kind);
    return t.kind == K_END;
}

static const char *const apk_ecosystems[] = {
    "Alpaquita", "Alpine", "BellSoft Hardened Containers", "Chainguard", "MinimOS", "Wolfi", NULL,
};

const struct rp_vuln_versioning rp_vuln_ver_apk = {
    .name = "apk",
    .ecosystems = apk_ecosystems,
    .cmp = apk_cmp,
    .valid = apk_valid,
};
