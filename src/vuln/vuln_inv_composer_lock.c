/* SPDX-License-Identifier: Apache-2.0 */
/* PHP inventory (vuln.h "package inventories"): composer.lock, ecosystem "Packagist",
 * packageManager "COMPOSER". The JSON object's "packages" then "packages-dev" arrays, each
 * element's "name" ("vendor/package") and "version" with a leading "v" stripped ("v5.4.1" ->
 * "5.4.1", as Packagist advisories write versions; "dev-main" branches are kept as written).
 * Read with rp_json; an element without a string name or version is skipped. */
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

#define ECO "Packagist"
#define PM  "COMPOSER"

static rp_err one_array(const struct rp_vuln_inv_ctx *cx, struct rp_json_val arr, rp_vuln_pkg_fn fn,
                        void *ctx, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(arr, &it) != RP_OK) return RP_OK;
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str name, ver;
        if (rp_json_obj_get_str(el, "name", &name) != RP_OK ||
            rp_json_obj_get_str(el, "version", &ver) != RP_OK)
            continue;
        if (ver.len > 1 && (ver.p[0] == 'v' || ver.p[0] == 'V') && ver.p[1] >= '0' &&
            ver.p[1] <= '9')
            ver.p++, ver.len--;
        rp_err rc = rp_vuln_inv_emit(cx, ECO, name, (struct rp_str){0}, ver, (struct rp_str){0}, PM,
                                     fn, ctx, eb);
        if (rc != RP_OK) return rc;
    }
    return RP_OK;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "composer.lock: out of memory");
    struct rp_json_val root, pk, dev;
    rp_err rc = rp_vuln_inv_json_parse(cx, jp, p, n, &root, eb);
    if (rc != RP_OK) {
        /* *eb names the file and line */
    } else if (rp_json_obj_get(root, "packages", &pk) != RP_OK ||
               rp_json_type(pk) != RP_JSON_ARRAY) {
        rc = rp_fail(eb, RP_EPARSE, "%s:1: not a composer.lock: no 'packages' array", cx->path);
    } else {
        rc = one_array(cx, pk, fn, ctx, eb);
        if (rc == RP_OK && rp_json_obj_get(root, "packages-dev", &dev) == RP_OK)
            rc = one_array(cx, dev, fn, ctx, eb);
    }
    rp_json_parser_free(jp);
    return rc;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return strcmp(rp_vuln_inv_basename(path), "composer.lock") == 0;
}

const struct rp_vuln_inventory_format rp_vuln_inv_composer_lock = {
    .name = "composer-lock",
    .detect = detect,
    .parse = parse,
};
