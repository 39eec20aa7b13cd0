/* SPDX-License-Identifier: Apache-2.0 */
/* Pipenv's Pipfile.lock as a package inventory (vuln.h, "package inventories";
 * vuln_inventories.def): the "default" then the "develop" map, each entry's "version"
 * ("==1.2.3") without its "==". Entries without a pinned version (git, path and editable
 * requirements) are skipped; a package in both maps is reported once. JSON through rp_json. */
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_inv_jspy.h"

static rp_err walk(struct rp_vuln_jspy *j, struct rp_json_val map, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    if (rp_json_obj_iter(map, &it) != RP_OK) return RP_OK;
    struct rp_str name;
    struct rp_json_val ent;
    while (rp_json_obj_next(&it, &name, &ent)) {
        struct rp_str v = {0};
        if (rp_json_obj_get_str(ent, "version", &v) != RP_OK) continue;
        v = rp_str_trim(v);
        if (!rp_str_has_prefix(v, "==")) continue;
        size_t skip = rp_str_has_prefix(v, "===") ? 3 : 2;
        struct rp_str ver = rp_str_trim((struct rp_str){v.p + skip, v.len - skip});
        if (memchr(ver.p, '*', ver.len) || memchr(ver.p, ',', ver.len)) continue;
        rp_err e = rp_vuln_jspy_emit(j, name, ver, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "%s: out of memory", rp_vuln_jspy_path(cx));
    struct rp_json_val root;
    rp_err e = rp_vuln_inv_json_parse(cx, jp, p, n, &root, eb);
    if (e != RP_OK) {
        rp_json_parser_free(jp);
        return e;
    }
    struct rp_json_val def = {0}, dev = {0};
    bool has_def =
        rp_json_obj_get(root, "default", &def) == RP_OK && rp_json_type(def) == RP_JSON_OBJECT;
    bool has_dev =
        rp_json_obj_get(root, "develop", &dev) == RP_OK && rp_json_type(dev) == RP_JSON_OBJECT;
    if (!has_def && !has_dev) {
        rp_json_parser_free(jp);
        return rp_fail(eb, RP_EPARSE, "%s:1: not a Pipfile.lock: no 'default' or 'develop' object",
                       rp_vuln_jspy_path(cx));
    }
    struct rp_vuln_jspy j;
    rp_vuln_jspy_init(&j, cx, "PyPI", "PIPENV", fn, ctx);
    e = has_def ? walk(&j, def, eb) : RP_OK;
    if (e == RP_OK && has_dev) e = walk(&j, dev, eb);
    rp_vuln_jspy_release(&j);
    rp_json_parser_free(jp);
    return e;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return rp_str_eq_cstr(rp_str_from(rp_vuln_inv_basename(path)), "Pipfile.lock");
}

const struct rp_vuln_inventory_format rp_vuln_inv_pipfile_lock = {
    .name = "pipfile-lock",
    .detect = detect,
    .parse = parse,
};
