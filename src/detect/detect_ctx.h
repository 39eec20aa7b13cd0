/* SPDX-License-Identifier: Apache-2.0 */
/* The detection context's layout, shared by the framework files of src/detect (detect_ctx.c,
 * detect_run.c, detect_inv.c, detect_ti.c). Detectors never include this: they use the
 * functions of detect_internal.h. */
#ifndef RP_DETECT_CTX_H
#define RP_DETECT_CTX_H

#include "detect/detect_internal.h"

struct rp_json_parser;
struct rp_det_inv;

struct rp_det_ctx {
    struct rp_detect_opts opts;
    struct rp_store *st;  /* may be NULL */
    struct rp_det_ti *ti; /* not owned unless ti_owned */
    bool ti_owned;
    struct rp_arena arena;         /* run lifetime: folded findings, inventory */
    struct rp_arena ev_arena;      /* per event: derived fields (reset by the run) */
    struct rp_json_parser *jp;     /* derive's parser */
    const struct rp_detector *cur; /* the detector being called (emit checks its types) */
    /* folded findings: array + open-addressing index on the id */
    struct rp_det_folded **fold;
    size_t nfold, capfold;
    uint32_t *idx; /* 0 = empty, else position + 1 */
    size_t idxcap; /* power of two */
    int64_t emitted;
    struct rp_det_inv *inv; /* loaded on first use (detect_inv.c) */
    bool inv_tried;
};

/* detect_inv.c: free what the inventory holds (not the arena's part). */
void rp_det_inv_free(struct rp_det_inv *inv);

#endif
