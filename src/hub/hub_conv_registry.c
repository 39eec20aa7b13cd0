/* SPDX-License-Identifier: Apache-2.0 */
/* The import-format registry (hub_conv.h): rp_hub_formats[] and rp_hub_import_format_names[]
 * both come from hub_formats.def, so a format is added by writing hub_conv_<name>.c and one
 * .def line. Also here: lookup by name, sniffing by probe score, and rp_hub_conv_emit_buf,
 * the step every converter that writes ASFF ends with (parse cv->buf, hand it to cv->finding). */
#define RP_LOG_MODULE "hub"
#include <string.h>

#include "hub/hub.h"
#include "hub/hub_conv.h"
#include "core/rp_banned.h"

#define RP_HUB_FORMAT(sym, name) extern const struct rp_hub_format sym;
#include "hub/hub_formats.def"
#undef RP_HUB_FORMAT

#define RP_HUB_FORMAT(sym, name) &sym,
const struct rp_hub_format *const rp_hub_formats[] = {
#include "hub/hub_formats.def"
    NULL};
#undef RP_HUB_FORMAT

#define RP_HUB_FORMAT(sym, name) name,
const char *const rp_hub_import_format_names[] = {
#include "hub/hub_formats.def"
    NULL};
#undef RP_HUB_FORMAT

const struct rp_hub_format *rp_hub_format_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; rp_hub_formats[i]; i++)
        if (strcmp(rp_hub_formats[i]->name, name) == 0) return rp_hub_formats[i];
    return NULL;
}

const struct rp_hub_format *rp_hub_format_sniff(struct rp_json_val root)
{
    const struct rp_hub_format *best = NULL;
    int best_score = 0;
    for (size_t i = 0; rp_hub_formats[i]; i++) {
        int s = rp_hub_formats[i]->probe(root);
        if (s > best_score) { /* strictly greater: ties stay with the earlier format */
            best = rp_hub_formats[i];
            best_score = s;
        }
    }
    return best;
}

rp_err rp_hub_conv_emit_buf(struct rp_hub_conv *cv, struct rp_errbuf *eb)
{
    struct rp_json_val doc;
    struct rp_errbuf perr = {0};
    rp_err e = rp_json_parse_buf(cv->parser, cv->buf, &doc, &perr);
    if (e == RP_ENOMEM)
        return rp_fail(eb, RP_ENOMEM, "hub: out of memory parsing a converted finding");
    if (e != RP_OK)
        return rp_fail(eb, RP_EINTERNAL, "hub: a converter wrote a finding that does not parse: %s",
                       perr.msg);
    return cv->finding(cv, doc, eb);
}
