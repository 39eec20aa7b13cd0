/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the threat-list parsers (src/detect/detect_ti_parse.c) and the sets
 * they fill (detect_ti.c). The first byte picks the format (TXT, STIX, OTX_CSV, ALIEN_VAULT,
 * PROOF_POINT, FIRE_EYE), the rest is the file; the sniffer also sees it. Every candidate
 * entry is canonicalised; a canonical entry must canonicalise to itself, go into a set, and be
 * found there again by its own address or name (every prefix containing an address, every
 * parent domain of a name). Records and whole-file failures are simply counted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_ti_internal.h"

#define TI_FUZZ_HITS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
    struct rp_det_ti *ti;
    size_t n;
};

static rp_err on_entry(void *ctx, struct rp_str v, const struct rp_det_ti_rec *rec,
                       struct rp_errbuf *eb)
{
    (void)rec, (void)eb;
    struct fz *f = ctx;
    char c1[RP_DET_TI_ENTRY_SZ], c2[RP_DET_TI_ENTRY_SZ];
    enum rp_det_ti_entry_type t1 = RP_TI_ENTRY_IP, t2 = RP_TI_ENTRY_IP;
    if (rp_det_ti_entry_canon(v, c1, &t1, NULL, NULL)) return RP_OK;
    if (rp_det_ti_entry_canon(rp_str_from(c1), c2, &t2, NULL, NULL) || strcmp(c1, c2) != 0 ||
        t1 != t2)
        abort();
    if (f->n++ > 512) return RP_OK; /* bound the work per input */
    rp_err e = rp_det_ti_add_ex(f->ti, RP_TI_THREAT, "fuzz", true, rp_str_from(c1), NULL, NULL);
    if (e == RP_ENOMEM) return e;
    if (e) abort();
    struct rp_det_ti_hit_ex hits[TI_FUZZ_HITS];
    size_t n = 0;
    if (t1 == RP_TI_ENTRY_DOMAIN) {
        n = rp_det_ti_hits_all_domain(f->ti, rp_str_from(c1), hits, TI_FUZZ_HITS);
    } else {
        struct rp_cidr c;
        if (rp_cidr_parse(rp_str_from(c1), &c, NULL, NULL)) abort();
        n = rp_det_ti_hits_all_ip(f->ti, &c.addr, hits, TI_FUZZ_HITS);
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(hits[i].h.name, c1) == 0) return RP_OK;
    if (n < TI_FUZZ_HITS) abort(); /* not found although the hits were not cut short */
    return RP_OK;
}

static rp_err on_reject(void *ctx, const char *why, const struct rp_det_ti_rec *rec,
                        struct rp_errbuf *eb)
{
    (void)ctx, (void)why, (void)rec, (void)eb;
    return RP_OK;
}

static void on_ignored(void *ctx, const char *why)
{
    (void)ctx, (void)why;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    enum rp_detect_ti_format fmt = (enum rp_detect_ti_format)(data[0] % RP_DETECT_TI_FORMAT__COUNT);
    /* an exact-size heap copy, so ASan catches any read past the input */
    char *p = malloc(size - 1 ? size - 1 : 1);
    if (!p) return 0;
    memcpy(p, data + 1, size - 1);
    (void)rp_detect_ti_format_sniff(p, size - 1);
    struct fz f = {.ti = NULL, .n = 0};
    if (rp_det_ti_new(&f.ti) == RP_OK) {
        struct rp_det_ti_sink s = {
            .entry = on_entry, .reject = on_reject, .ignored = on_ignored, .ctx = &f};
        struct rp_errbuf eb = {0};
        (void)rp_det_ti_parse(fmt, p, size - 1, &s, &eb);
    }
    rp_det_ti_free(f.ti);
    free(p);
    return 0;
}
