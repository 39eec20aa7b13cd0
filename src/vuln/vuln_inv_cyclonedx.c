/* SPDX-License-Identifier: Apache-2.0 */
/* CycloneDX SBOM inventory (vuln.h "package inventories"): a CycloneDX JSON document
 * (bomFormat "CycloneDX", any 1.x specVersion); every component of components[], and of
 * their nested components[], depth first in document order, that carries a purl of a type
 * vuln_purl.h maps (npm, pypi, golang, cargo, composer, gem, maven, deb, apk, rpm). The
 * ecosystem, names and packageManager come from the purl; the version from the purl, else
 * the component's "version". Components without a usable purl are skipped, and so is
 * metadata.component (the subject of the SBOM, not one of its parts). Read with rp_json. */
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

/* Nesting of components[] followed; deeper ones are skipped (rp_json caps depth anyway). */
#define MAX_NEST 32

static rp_err components(const struct rp_vuln_inv_ctx *cx, struct rp_json_val arr, int depth,
                         rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val c, sub;
    if (depth > MAX_NEST || rp_json_arr_iter(arr, &it) != RP_OK) return RP_OK;
    while (rp_json_arr_next(&it, &c)) {
        struct rp_str purl, ver = {0};
        if (rp_json_obj_get_str(c, "purl", &purl) == RP_OK) {
            if (rp_json_obj_get_str(c, "version", &ver) != RP_OK) ver = (struct rp_str){0};
            struct rp_vuln_purl_pkg pk;
            if (rp_vuln_purl_to_pkg(purl, ver, &pk)) {
                rp_err rc = rp_vuln_inv_emit(
                    cx, pk.ecosystem[0] ? pk.ecosystem : NULL, rp_str_from(pk.name),
                    pk.has_match ? rp_str_from(pk.match_name) : (struct rp_str){0},
                    rp_str_from(pk.version), pk.arch[0] ? rp_str_from(pk.arch) : (struct rp_str){0},
                    pk.package_manager, fn, ctx, eb);
                if (rc != RP_OK) return rc;
            }
        }
        if (rp_json_obj_get(c, "components", &sub) == RP_OK) {
            rp_err rc = components(cx, sub, depth + 1, fn, ctx, eb);
            if (rc != RP_OK) return rc;
        }
    }
    return RP_OK;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "cyclonedx: out of memory");
    struct rp_json_val root, arr;
    struct rp_str fmt;
    rp_err rc = rp_vuln_inv_json_parse(cx, jp, p, n, &root, eb);
    if (rc != RP_OK) {
        /* *eb names the file and line */
    } else if (rp_json_obj_get_str(root, "bomFormat", &fmt) != RP_OK ||
               !rp_str_eq_cstr(fmt, "CycloneDX")) {
        rc =
            rp_fail(eb, RP_EPARSE, "%s:1: not a CycloneDX BOM: no bomFormat 'CycloneDX'", cx->path);
    } else if (rp_json_obj_get(root, "components", &arr) == RP_OK) {
        rc = components(cx, arr, 0, fn, ctx, eb);
    }
    rp_json_parser_free(jp);
    return rc;
}

static bool detect(const char *path, const char *head, size_t n)
{
    const char *b = rp_vuln_inv_basename(path);
    size_t l = strlen(b);
    if ((l > 9 && strcmp(b + l - 9, ".cdx.json") == 0) || strcmp(b, "bom.json") == 0) return true;
    /* a .json whose head names the format */
    static const char key[] = "\"bomFormat\"";
    if (l < 5 || strcmp(b + l - 5, ".json") != 0 || !head) return false;
    for (size_t i = 0; i + sizeof key - 1 <= n; i++)
        if (memcmp(head + i, key, sizeof key - 1) == 0) return true;
    return false;
}

const struct rp_vuln_inventory_format rp_vuln_inv_cyclonedx = {
    .name = "cyclonedx",
    .detect = detect,
    .parse = parse,
};
