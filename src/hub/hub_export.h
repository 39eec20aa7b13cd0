/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/hub: export formats. Each format is one file (hub_export_<name>.c) exporting
 * one const struct rp_hub_export_fmt, listed once in hub_exports.def (STYLE.md B5). The driver
 * (hub_export.c) parses each stored ASFF document, calls the format, and flushes x->buf to the
 * output whenever it passes RP_HUB_EXPORT_FLUSH bytes, so memory stays bounded whatever the
 * number of findings. */
#ifndef RP_HUB_EXPORT_H
#define RP_HUB_EXPORT_H

#include <stdio.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"

#define RP_HUB_EXPORT_FLUSH (256u << 10)

struct rp_hub_export_state {
    struct rp_buf *buf; /* append output here; the driver flushes and resets it */
    size_t count;       /* findings written before this one */
    void *priv;         /* the format's own state (priv_size bytes, zeroed), or NULL */
    const char *doc;    /* during finding(): the stored text of this finding, doc_len bytes, */
    size_t doc_len;     /* for formats that copy it verbatim ("asff"); NULL/0 otherwise */
};

struct rp_hub_export_fmt {
    const char *name;    /* "sarif" */
    const char *summary; /* one line for --help */
    size_t priv_size;    /* bytes of per-export state, 0 for none */
    /* Each may be NULL. begin runs once before the first finding, end once after the last
     * (also when there were none). finding gets one parsed ASFF document. */
    rp_err (*begin)(struct rp_hub_export_state *x, struct rp_errbuf *eb);
    rp_err (*finding)(struct rp_hub_export_state *x, struct rp_json_val asff, struct rp_errbuf *eb);
    rp_err (*end)(struct rp_hub_export_state *x, struct rp_errbuf *eb);
    void (*release)(struct rp_hub_export_state *x); /* free what priv holds */
};

extern const struct rp_hub_export_fmt *const rp_hub_export_fmts[];
const struct rp_hub_export_fmt *rp_hub_export_fmt_find(const char *name);

#endif
