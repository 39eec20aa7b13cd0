/* SPDX-License-Identifier: Apache-2.0 */
/* rp_str: slices, strict integer parsing, strlcpy and redaction (see rp_str.h). */
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "core/rp_str.h"
#include "core/rp_banned.h"

struct rp_str rp_str_from(const char *s)
{
    struct rp_str r = {s ? s : "", s ? strlen(s) : 0};
    return r;
}

bool rp_str_eq(struct rp_str a, struct rp_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool rp_str_eq_cstr(struct rp_str a, const char *s)
{
    return rp_str_eq(a, rp_str_from(s));
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

bool rp_str_eq_nocase(struct rp_str a, struct rp_str b)
{
    if (a.len != b.len) return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower(a.p[i]) != lower(b.p[i])) return false;
    return true;
}

bool rp_str_has_prefix(struct rp_str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

bool rp_str_has_suffix(struct rp_str s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && memcmp(s.p + s.len - n, suffix, n) == 0;
}

bool rp_str_has_suffix_nocase(struct rp_str s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && rp_str_eq_nocase((struct rp_str){s.p + s.len - n, n}, rp_str_from(suffix));
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

struct rp_str rp_str_trim(struct rp_str s)
{
    while (s.len && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && is_space(s.p[s.len - 1])) s.len--;
    return s;
}

bool rp_str_split_next(struct rp_str *rest, char sep, struct rp_str *tok)
{
    if (!rest->p) return false;
    const char *hit = rest->len ? memchr(rest->p, sep, rest->len) : NULL;
    if (!hit) {
        *tok = *rest;
        rest->p = NULL; /* consumed: the next call returns false */
        rest->len = 0;
        return true;
    }
    tok->p = rest->p;
    tok->len = (size_t)(hit - rest->p);
    rest->len -= tok->len + 1;
    rest->p = hit + 1;
    return true;
}

rp_err rp_str_to_u64(struct rp_str s, uint64_t *out)
{
    if (s.len == 0) return RP_EPARSE;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9) return RP_EPARSE;
        if (v > (UINT64_MAX - d) / 10) return RP_ELIMIT;
        v = v * 10 + d;
    }
    *out = v;
    return RP_OK;
}

rp_err rp_str_to_i64(struct rp_str s, int64_t *out)
{
    bool neg = false;
    if (s.len && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        s.p++;
        s.len--;
    }
    uint64_t u;
    rp_err e = rp_str_to_u64(s, &u);
    if (e) return e;
    if (neg) {
        if (u > (uint64_t)INT64_MAX + 1) return RP_ELIMIT;
        *out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
    } else {
        if (u > (uint64_t)INT64_MAX) return RP_ELIMIT;
        *out = (int64_t)u;
    }
    return RP_OK;
}

size_t rp_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

const char *rp_str_redact(char *out, size_t outsz, const void *p, size_t len, size_t keep)
{
    char pre[64];
    const unsigned char *s = p;
    if (keep > sizeof pre - 1) keep = sizeof pre - 1;
    if (keep > len) keep = len;
    for (size_t i = 0; i < keep; i++) pre[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '.';
    pre[keep] = '\0';
    unsigned long long h = (unsigned long long)XXH3_64bits(p, len);
    snprintf(out, outsz, "%s…(%zu bytes, xxh3 %016llx)", pre, len, h);
    return out;
}
