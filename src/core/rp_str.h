/* SPDX-License-Identifier: Apache-2.0 */
/* String helpers: borrowed slices (pointer + length, not NUL-terminated), strict number
 * parsing, bounded copies and redaction for logs. Nothing here allocates. */
#ifndef RP_STR_H
#define RP_STR_H

#include "core/rp_err.h"

/* A borrowed view of len bytes at p; p need not be NUL-terminated. */
struct rp_str {
    const char *p;
    size_t len;
};

#define RP_STR_LIT(lit) ((struct rp_str){(lit), sizeof(lit) - 1})

/* Slice of the C string s (NULL gives the empty slice). */
struct rp_str rp_str_from(const char *s);

bool rp_str_eq(struct rp_str a, struct rp_str b);
bool rp_str_eq_cstr(struct rp_str a, const char *s);
bool rp_str_eq_nocase(struct rp_str a, struct rp_str b); /* ASCII case-insensitive */
bool rp_str_has_prefix(struct rp_str s, const char *prefix);
bool rp_str_has_suffix(struct rp_str s, const char *suffix);
bool rp_str_has_suffix_nocase(struct rp_str s, const char *suffix); /* ASCII case-insensitive */

/* s without leading and trailing ASCII whitespace. */
struct rp_str rp_str_trim(struct rp_str s);

/* Split iterator: takes the next token of *rest up to sep into *tok and advances *rest past
 * the separator. Returns false when *rest was already consumed. Empty tokens are returned. */
bool rp_str_split_next(struct rp_str *rest, char sep, struct rp_str *tok);

/* Strict decimal integers: optional sign (i64 only), digits only, no spaces, no overflow.
 * RP_EPARSE on anything else, RP_ELIMIT on overflow. */
rp_err rp_str_to_i64(struct rp_str s, int64_t *out) RP_WUR;
rp_err rp_str_to_u64(struct rp_str s, uint64_t *out) RP_WUR;

/* Copy src into dst[size] with truncation; dst is always NUL-terminated when size > 0.
 * Returns strlen(src), so truncation happened when the result is >= size (BSD strlcpy). */
size_t rp_strlcpy(char *dst, const char *src, size_t size);

/* A log-safe preview of a secret or payload (STYLE.md B3): the first `keep` bytes with
 * non-printable bytes shown as '.', then "…(N bytes, xxh3 0123456789abcdef)". Writes into
 * out[outsz] (always NUL-terminated) and returns out. */
const char *rp_str_redact(char *out, size_t outsz, const void *p, size_t len, size_t keep);

#endif
