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

#endif
