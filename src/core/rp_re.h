/* SPDX-License-Identifier: Apache-2.0 */
/* Multi-pattern regular expressions (STYLE.md B10): a set of patterns compiled once, scanned
 * over a buffer in one pass. Only rp_re.c includes Hyperscan and PCRE2.
 *
 * Semantics are PCRE2's, whatever engine runs: for each pattern on its own, the matches a
 * left-to-right PCRE2 global search finds (each search starts where the previous match ended;
 * an empty match moves one byte on). Hyperscan, where the CPU and the pattern allow it, only
 * finds where matches end, cheaply, for all patterns at once; PCRE2 then confirms each
 * candidate in a window before that end (the pattern's maximum width), so both engines give
 * the same matches. A pattern Hyperscan cannot compile (lookarounds, backreferences) or whose
 * width is unbounded is searched by PCRE2 alone over the whole buffer.
 *
 * A compiled set is immutable and may be shared by threads; each thread scans with its own
 * scratch. */
#ifndef RP_RE_H
#define RP_RE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rp_err.h"

#define RP_RE_CASELESS 0x1u /* ASCII case-insensitive */

struct rp_re_pattern {
    const char *regex; /* PCRE2 syntax, NUL-terminated */
    unsigned flags;    /* RP_RE_* */
};

struct rp_re_set;
struct rp_re_scratch;

/* Compile n patterns (n may be 0). RP_EPARSE with "pattern <i>: <PCRE2 message> at offset
 * <k>" for a pattern PCRE2 refuses; RP_ENOMEM. */
rp_err rp_re_set_new(const struct rp_re_pattern *p, size_t n, struct rp_re_set **out,
                     struct rp_errbuf *eb) RP_WUR;
void rp_re_set_free(struct rp_re_set *s); /* NULL is a no-op */

/* How many patterns run under Hyperscan (the rest under PCRE2 alone). */
size_t rp_re_set_hyperscan_count(const struct rp_re_set *s);

/* Whether s's Hyperscan database was read from the cache rather than compiled. Compiled
 * databases are kept in RAMPART_CACHE_DIR ("" turns this off), else $XDG_CACHE_HOME/rampart,
 * else $HOME/.cache/rampart, one file per set of patterns; a missing or damaged file is
 * compiled again. */
bool rp_re_set_cached(const struct rp_re_set *s);

/* The longest match pattern i can have, in bytes; UINT_MAX when unbounded or unknown. */
unsigned rp_re_set_max_width(const struct rp_re_set *s, size_t i);

/* Per-thread scanning state for s. RP_ENOMEM. */
rp_err rp_re_scratch_new(const struct rp_re_set *s, struct rp_re_scratch **out) RP_WUR;
void rp_re_scratch_free(struct rp_re_scratch *sc); /* NULL is a no-op */

/* One match: pattern index, and buf[start..end). A non-zero return stops the scan. */
typedef int (*rp_re_match_fn)(void *ctx, unsigned pattern, size_t start, size_t end);

/* Scan buf[0..n): fn gets every match, in order of start offset (then pattern index, then
 * end), so a consumer can walk the buffer forward once. RP_OK (also when fn stopped it),
 * RP_ENOMEM, or RP_ELIMIT when PCRE2's match limit was hit on a pathological pattern (the
 * scan stops). */
rp_err rp_re_scan(const struct rp_re_set *s, struct rp_re_scratch *sc, const char *buf, size_t n,
                  rp_re_match_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* As rp_re_scan, only for the patterns i with enabled[i] != 0 (NULL: all). The others cost
 * nothing but Hyperscan's pass (they are not confirmed nor searched by PCRE2). */
rp_err rp_re_scan_ex(const struct rp_re_set *s, struct rp_re_scratch *sc, const char *buf, size_t n,
                     const unsigned char *enabled, rp_re_match_fn fn, void *ctx,
                     struct rp_errbuf *eb) RP_WUR;

/* ---- byte-class runs: a prefilter ---------------------------------------------------------
 * A pattern whose every match is made of a few kinds of bytes (digits, spaces and dashes for a
 * card number) and is at least minlen long only needs searching inside maximal runs of those
 * bytes that are at least minlen long; finding them takes a vector scan (nibble tables with
 * AVX2 or SSSE3, range compares with SSE2 alone, a scalar loop off x86-64) at GB/s, far quicker
 * than any pattern scan. */
#define RP_RE_CLASS_RANGES 6
struct rp_re_class {
    unsigned char lo[RP_RE_CLASS_RANGES], hi[RP_RE_CLASS_RANGES]; /* inclusive byte ranges */
    unsigned n;                                                   /* ranges in use, 1..6 */
    /* set by rp_re_class_prepare: two 16-entry tables, a byte is in the class when the
     * entries of its low and high nibble share a bit (a vector shuffle looks both up for
     * 16 or 32 bytes at once) */
    unsigned char tlo[16], thi[16];
    bool tables;
};

/* Fill c's tables from its ranges (when its bytes allow: at most 8 distinct sets of low
 * nibbles); an unprepared class is scanned by range compares, to the same result. */
void rp_re_class_prepare(struct rp_re_class *c);

/* The next maximal run of class bytes at least minlen (>= 1) long in buf[*pos..n): true with
 * it in [*rs, *re) and *pos = *re; false when there is none (*pos = n). A run may start at
 * the first *pos, whatever precedes it: callers start at 0 or where the previous run ended. */
bool rp_re_class_run(const struct rp_re_class *c, const char *buf, size_t n, size_t minlen,
                     size_t *pos, size_t *rs, size_t *re);

/* As rp_re_class_run, only runs that also hold nneed (1..4) bytes in a row, the first in
 * need[0], the next in need[1] and so on (a pattern's every match holds such a sequence:
 * "[a-z][ '-][A-Z][a-z]" for two capitalised words); the vector scan looks for the sequence,
 * which is much rarer than the bytes. */
#define RP_RE_NEED_MAX 4
bool rp_re_class_run_need(const struct rp_re_class *c, size_t minlen,
                          const struct rp_re_class *need, size_t nneed, const char *buf, size_t n,
                          size_t *pos, size_t *rs, size_t *re);

#endif
