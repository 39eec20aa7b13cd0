/* SPDX-License-Identifier: Apache-2.0 */
/* Export formats "asff" and "asff-lines" of the findings hub (hub_export.h): the stored ASFF
 * documents themselves, so that ASFF -> import -> export ASFF gives back the same documents.
 *   asff        {"Findings":[\n<doc>,\n<doc>\n]}\n, a BatchImportFindings request body that
 *               rampart findings import (and Security Hub) read back. Each document is copied
 *               byte for byte as stored; nothing is re-indented. No findings: {"Findings":[]}\n.
 *   asff-lines  one document per line (JSON Lines). A stored document is copied byte for byte
 *               unless it spans several lines (contains CR or LF outside strings, e.g. one
 *               imported pretty-printed): that one is re-serialized compactly, the only way to
 *               keep one finding per line. No findings: empty output.
 * The driver has already parsed each document, so the output is always valid JSON. */
#define RP_LOG_MODULE "hub"
#include <string.h>

#include "hub/hub_export.h"

static rp_err put(struct rp_hub_export_state *x, const char *s, size_t n, struct rp_errbuf *eb)
{
    rp_err e = rp_buf_append(x->buf, s, n);
    if (e != RP_OK) return rp_fail(eb, e, "export: asff: output buffer: %s", rp_strerror(e));
    return RP_OK;
}

static rp_err asff_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    return put(x, "{\"Findings\":[", 13, eb);
}

static rp_err asff_finding(struct rp_hub_export_state *x, struct rp_json_val asff,
                           struct rp_errbuf *eb)
{
    rp_err e = put(x, x->count ? ",\n" : "\n", x->count ? 2 : 1, eb);
    if (e != RP_OK) return e;
    if (x->doc) return put(x, x->doc, x->doc_len, eb);
    e = rp_json_serialize(asff, x->buf);
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: asff: %s", rp_strerror(e));
}

static rp_err asff_end(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    return x->count ? put(x, "\n]}\n", 4, eb) : put(x, "]}\n", 3, eb);
}

const struct rp_hub_export_fmt rp_hub_export_asff = {
    .name = "asff",
    .summary = "ASFF: {\"Findings\": [...]} with the stored documents as they are",
    .begin = asff_begin,
    .finding = asff_finding,
    .end = asff_end,
};

static rp_err lines_finding(struct rp_hub_export_state *x, struct rp_json_val asff,
                            struct rp_errbuf *eb)
{
    /* JSON strings cannot hold raw CR/LF, so any CR/LF in a valid document is whitespace. */
    if (x->doc && !memchr(x->doc, '\n', x->doc_len) && !memchr(x->doc, '\r', x->doc_len)) {
        rp_err e = put(x, x->doc, x->doc_len, eb);
        return e == RP_OK ? put(x, "\n", 1, eb) : e;
    }
    rp_err e = rp_json_serialize(asff, x->buf);
    if (e != RP_OK) return rp_fail(eb, e, "export: asff-lines: %s", rp_strerror(e));
    return put(x, "\n", 1, eb);
}

const struct rp_hub_export_fmt rp_hub_export_asff_lines = {
    .name = "asff-lines",
    .summary = "ASFF as JSON Lines: one stored document per line",
    .finding = lines_finding,
};
