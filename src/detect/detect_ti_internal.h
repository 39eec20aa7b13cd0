/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/detect: the pieces of threat intelligence shared by detect_ti.c (the sets and
 * lookups), detect_ti_parse.c (the six list formats) and detect_ti_store.c (lists in the store,
 * `threatintel` behind the CLI). Detectors use detect_internal.h only. */
#ifndef RP_DETECT_TI_INTERNAL_H
#define RP_DETECT_TI_INTERNAL_H

#include "detect/detect_internal.h"
#include "detect/detect_ti.h"

/* ---- kinds ------------------------------------------------------------------------------- */

/* "threat", "trusted", .. ; NULL for a bad value. */
const char *rp_det_ti_kind_name(enum rp_det_ti_kind k);
/* The kind named s (exactly, lower case). RP_EINVAL for anything else. */
rp_err rp_det_ti_kind_find(const char *s, enum rp_det_ti_kind *out) RP_WUR;

/* ---- entries ----------------------------------------------------------------------------- */

#define RP_DET_TI_ENTRY_SZ 256 /* a canonical entry + NUL always fits (domains <= 253) */

enum rp_det_ti_entry_type { RP_TI_ENTRY_IP, RP_TI_ENTRY_CIDR, RP_TI_ENTRY_DOMAIN };

/* The canonical form of one list entry into out[RP_DET_TI_ENTRY_SZ]: an address as
 * rp_ip_format writes it (a mapped IPv6 address as its IPv4 form), a CIDR as "addr/len" with
 * host bits cleared (a full-length one as the bare address, a mapped IPv6 prefix of /96 or
 * longer as its IPv4 prefix), a domain in lower case without a leading "*." or "." and a
 * trailing dot. s is trimmed first. *host_bits (may be NULL) is set when a CIDR had host bits.
 * RP_EPARSE with the reason (no quotes, no subject: "not an address, CIDR or domain") in *eb. */
rp_err rp_det_ti_entry_canon(struct rp_str s, char out[RP_DET_TI_ENTRY_SZ],
                             enum rp_det_ti_entry_type *type, bool *host_bits,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- sets -------------------------------------------------------------------------------- */

/* As rp_det_ti_add with the list's status: an inactive list's entries are found only by
 * rp_det_ti_hits_all (never by the detectors' lookups). *added (may be NULL) is true when the
 * entry was not yet on that list. */
rp_err rp_det_ti_add_ex(struct rp_det_ti *ti, enum rp_det_ti_kind kind, const char *list,
                        bool active, struct rp_str entry, bool *added, struct rp_errbuf *eb) RP_WUR;

/* One matching entry for rp_det_ti_hits_all. */
struct rp_det_ti_hit_ex {
    struct rp_det_ti_hit h;
    bool active; /* the list is active */
};

/* Every entry of every list (trusted and inactive ones included) matching an address (every
 * prefix containing it, the longest first) or a domain (the name, then each parent domain), at
 * most max. Like rp_det_ti_ip, the address lookup fills the set's parent-link cache. */
size_t rp_det_ti_hits_all_ip(struct rp_det_ti *ti, const struct rp_ip *ip,
                             struct rp_det_ti_hit_ex *hits, size_t max);
size_t rp_det_ti_hits_all_domain(const struct rp_det_ti *ti, struct rp_str name,
                                 struct rp_det_ti_hit_ex *hits, size_t max);

/* The built-in lists (data/detect/threatintel/<name>.txt, through the --data-dir overlay):
 * fn gets each one's name ("builtin/mining-pools"), kind, path and content. */
typedef rp_err (*rp_det_ti_builtin_fn)(void *ctx, const char *name, enum rp_det_ti_kind kind,
                                       const char *path, const char *data, size_t len,
                                       struct rp_errbuf *eb);
rp_err rp_det_ti_builtin_each(rp_det_ti_builtin_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Add the stored lists (detect_ti_store.c): the active ones, or with all every one (inactive
 * lists as such). A store older than the threat-intel schema holds none. */
rp_err rp_det_ti_store_load(struct rp_det_ti *ti, struct rp_store *st, bool all,
                            struct rp_errbuf *eb) RP_WUR;

/* ---- parsing (detect_ti_parse.c) ----------------------------------------------------------- */

/* One record of a list file: what rejects keep and messages name. */
struct rp_det_ti_rec {
    struct rp_str raw; /* the record as written (a line, a CSV row, a STIX pattern) */
    int64_t line;      /* 1-based line of its start, 0 = unknown (JSON) */
    int64_t offset;    /* byte offset of its start in the input, -1 = unknown */
    const char *where; /* for records without a line: "indicator 'indicator--..'", or NULL */
};

/* Where a parser sends what it finds. */
struct rp_det_ti_sink {
    /* A candidate entry (an address, CIDR or domain as written; the sink canonicalises it and
     * rejects it when that fails). A non-OK return stops the parse. */
    rp_err (*entry)(void *ctx, struct rp_str value, const struct rp_det_ti_rec *rec,
                    struct rp_errbuf *eb);
    /* A malformed record (a broken CSV row, a STIX pattern that does not parse). */
    rp_err (*reject)(void *ctx, const char *reason, const struct rp_det_ti_rec *rec,
                     struct rp_errbuf *eb);
    /* A well-formed record holding nothing usable; why is a static string. */
    void (*ignored)(void *ctx, const char *why);
    void *ctx;
};

/* Parse data[0..len) in format f, sending entries, rejects and ignored records to s. RP_OK
 * after the whole input; RP_EPARSE when the input as a whole is unreadable in that format
 * (STIX that is neither JSON nor XML, JSON that does not parse, a FIRE_EYE file whose header
 * names no usable column), with the reason in *eb; or the first error a sink callback
 * returned. */
rp_err rp_det_ti_parse(enum rp_detect_ti_format f, const char *data, size_t len,
                       const struct rp_det_ti_sink *s, struct rp_errbuf *eb) RP_WUR;

#endif
