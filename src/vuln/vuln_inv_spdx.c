/* SPDX-License-Identifier: Apache-2.0 */
/* SPDX SBOM inventory (vuln.h "package inventories"): an SPDX 2.x JSON document
 * (spdxVersion "SPDX-2.*"); every element of packages[] with an externalRefs entry of
 * referenceType "purl" (the first such entry) of a type vuln_purl.h maps, in document order.
 * Ecosystem, names and packageManager come from the purl; the version from the purl, else
 * the package's "versionInfo". Packages without a usable purl are skipped. Read with
 * rp_json. */
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

static bool first_purl(struct rp_json_val pkg, struct rp_str *out)
{
    struct rp_json_val refs, r;
    struct rp_json_iter it;
    if (rp_json_obj_get(pkg, "externalRefs", &refs) != RP_OK ||
        rp_json_arr_iter(refs, &it) != RP_OK)
        return false;
    while (rp_json_arr_next(&it, &r)) {
        struct rp_str t;
        if (rp_json_obj_get_str(r, "referenceType", &t) == RP_OK && rp_str_eq_cstr(t, "purl") &&
            rp_json_obj_get_str(r, "referenceLocator", out) == RP_OK)
            return true;
    }
    return false;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "spdx: out of memory");
    struct rp_json_val root, arr, pkg;
    struct rp_json_iter it;
    struct rp_str ver;
    rp_err rc = rp_vuln_inv_json_parse(cx, jp, p, n, &root, eb);
    if (rc != RP_OK) {
        /* *eb names the file and line */
    } else if (rp_json_obj_get_str(root, "spdxVersion", &ver) != RP_OK ||
               !rp_str_has_prefix(ver, "SPDX-2.")) {
        rc = rp_fail(eb, RP_EPARSE, "%s:1: not an SPDX 2 document: no spdxVersion 'SPDX-2.x'",
                     cx->path);
    } else if (rp_json_obj_get(root, "packages", &arr) == RP_OK &&
               rp_json_arr_iter(arr, &it) == RP_OK) {
        while (rc == RP_OK && rp_json_arr_next(&it, &pkg)) {
            struct rp_str purl, vi = {0};
            struct rp_vuln_purl_pkg pk;
            if (!first_purl(pkg, &purl)) continue;
            if (rp_json_obj_get_str(pkg, "versionInfo", &vi) != RP_OK) vi = (struct rp_str){0};
            if (!rp_vuln_purl_to_pkg(purl, vi, &pk)) continue;
            rc = rp_vuln_inv_emit(cx, pk.ecosystem[0] ? pk.ecosystem : NULL, rp_str_from(pk.name),
                                  pk.has_match ? rp_str_from(pk.match_name) : (struct rp_str){0},
                                  rp_str_from(pk.version),
                                  pk.arch[0] ? rp_str_from(pk.arch) : (struct rp_str){0},
                                  pk.package_manager, fn, ctx, eb);
        }
    }
    rp_json_parser_free(jp);
    return rc;
}

static bool detect(const char *path, const char *head, size_t n)
{
    const char *b = rp_vuln_inv_basename(path);
    size_t l = strlen(b);
    if (l > 10 && strcmp(b + l - 10, ".spdx.json") == 0) return true;
    static const char key[] = "\"spdxVersion\"";
    if (l < 5 || strcmp(b + l - 5, ".json") != 0 || !head) return false;
    for (size_t i = 0; i + sizeof key - 1 <= n; i++)
        if (memcmp(head + i, key, sizeof key - 1) == 0) return true;
    return false;
}

const struct rp_vuln_inventory_format rp_vuln_inv_spdx = {
    .name = "spdx",
    .detect = detect,
    .parse = parse,
};
