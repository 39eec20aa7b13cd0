/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the inventory formats (vuln_inv_internal.h) that are not inline. */
#include <stdint.h>

#include "core/rp_json.h"
#include "vuln/vuln_inv_internal.h"

rp_err rp_vuln_inv_json_parse(const struct rp_vuln_inv_ctx *cx, struct rp_json_parser *jp,
                              const char *p, size_t n, struct rp_json_val *root,
                              struct rp_errbuf *eb)
{
    struct rp_errbuf jeb = {0};
    rp_err e = rp_json_parse(jp, p, n, root, &jeb);
    if (e == RP_OK) return RP_OK;
    size_t off = rp_json_parser_err_offset(jp);
    return rp_fail(eb, e, "%s:%zu: %s", cx && cx->path ? cx->path : "-",
                   off == SIZE_MAX ? 1 : rp_vuln_inv_lineno(p, n, off), rp_errbuf_msg(&jeb, e));
}
