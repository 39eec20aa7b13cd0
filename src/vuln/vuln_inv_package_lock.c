/* SPDX-License-Identifier: Apache-2.0 */
/* npm's package-lock.json and npm-shrinkwrap.json (lockfileVersion 1, 2 and 3) as a package
 * inventory (vuln.h, "package inventories"; registered in vuln_inventories.def). Version 2 and
 * 3 files are read from "packages", keyed by install path ("node_modules/a/node_modules/@s/b"):
 * the name is the entry's "name" (aliases, workspaces) or the path after the last
 * "node_modules/"; the root "" entry and "link": true entries are skipped. Version 1 files
 * (and v2 files without "packages") are read from the nested "dependencies" tree, where an
 * alias's version reads "npm:real-name@1.2.3". Versions that are not registry versions (git
 * URLs, "file:" paths) are skipped. JSON is read through rp_json (simdjson). */
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_inv_jspy.h"

/* A registry version: no ':' or '/' (those are URLs, paths, git specs). */
static bool registry_version(struct rp_str v)
{
    return v.len && !memchr(v.p, ':', v.len) && !memchr(v.p, '/', v.len);
}

/* "npm:name@version" (a v1 alias) into name and version; false when v is not one. */
static bool split_alias(struct rp_str v, struct rp_str *name, struct rp_str *ver)
{
    if (!rp_str_has_prefix(v, "npm:")) return false;
    struct rp_str s = {v.p + 4, v.len - 4};
    for (size_t i = s.len; i > 1; i--) {
        if (s.p[i - 1] == '@') {
            *name = (struct rp_str){s.p, i - 1};
            *ver = (struct rp_str){s.p + i, s.len - i};
            return true;
        }
    }
    return false;
}

static rp_err emit_version(struct rp_vuln_jspy *j, struct rp_str name, struct rp_str ver,
                           struct rp_errbuf *eb)
{
    struct rp_str an = {0}, av = {0};
    if (split_alias(ver, &an, &av)) {
        name = an;
        ver = av;
    }
    if (!registry_version(ver)) return RP_OK;
    return rp_vuln_jspy_emit(j, name, ver, eb);
}

static rp_err walk_v1(struct rp_vuln_jspy *j, struct rp_json_val deps, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    if (rp_json_obj_iter(deps, &it) != RP_OK) return RP_OK;
    struct rp_str key;
    struct rp_json_val dep;
    while (rp_json_obj_next(&it, &key, &dep)) {
        struct rp_str ver = {0};
        if (rp_json_obj_get_str(dep, "version", &ver) == RP_OK) {
            rp_err e = emit_version(j, key, ver, eb);
            if (e != RP_OK) return e;
        }
        struct rp_json_val sub;
        if (rp_json_obj_get(dep, "dependencies", &sub) == RP_OK) {
            rp_err e = walk_v1(j, sub, eb);
            if (e != RP_OK) return e;
        }
    }
    return RP_OK;
}

static rp_err walk_packages(struct rp_vuln_jspy *j, struct rp_json_val pkgs, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    if (rp_json_obj_iter(pkgs, &it) != RP_OK) return RP_OK;
    struct rp_str key;
    struct rp_json_val ent;
    while (rp_json_obj_next(&it, &key, &ent)) {
        if (key.len == 0 || rp_json_type(ent) != RP_JSON_OBJECT) continue;
        bool link = false;
        if (rp_json_obj_get_bool(ent, "link", &link) == RP_OK && link) continue;
        struct rp_str name = {0}, ver = {0};
        if (rp_json_obj_get_str(ent, "version", &ver) != RP_OK) continue;
        if (rp_json_obj_get_str(ent, "name", &name) != RP_OK) {
            /* the path after the last "node_modules/" */
            static const char nm[] = "node_modules/";
            size_t at = SIZE_MAX;
            for (size_t i = 0; i + sizeof nm - 1 <= key.len; i++)
                if (memcmp(key.p + i, nm, sizeof nm - 1) == 0 && (i == 0 || key.p[i - 1] == '/'))
                    at = i + sizeof nm - 1;
            if (at == SIZE_MAX) continue;
            name = (struct rp_str){key.p + at, key.len - at};
        }
        rp_err e = emit_version(j, name, ver, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    const char *path = rp_vuln_jspy_path(cx);
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "%s: out of memory", path);
    struct rp_json_val root;
    rp_err e = rp_vuln_inv_json_parse(cx, jp, p, n, &root, eb);
    if (e != RP_OK) {
        rp_json_parser_free(jp);
        return e;
    }
    struct rp_json_val pkgs = {0}, deps = {0};
    bool has_pkgs =
        rp_json_obj_get(root, "packages", &pkgs) == RP_OK && rp_json_type(pkgs) == RP_JSON_OBJECT;
    bool has_deps = rp_json_obj_get(root, "dependencies", &deps) == RP_OK &&
                    rp_json_type(deps) == RP_JSON_OBJECT;
    if (!has_pkgs && !has_deps) {
        rp_json_parser_free(jp);
        return rp_fail(eb, RP_EPARSE,
                       "%s:1: not a package-lock: no 'packages' or 'dependencies' object", path);
    }
    struct rp_vuln_jspy j;
    rp_vuln_jspy_init(&j, cx, "npm", "NPM", fn, ctx);
    e = has_pkgs ? walk_packages(&j, pkgs, eb) : walk_v1(&j, deps, eb);
    rp_vuln_jspy_release(&j);
    rp_json_parser_free(jp);
    return e;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    struct rp_str b = rp_str_from(rp_vuln_inv_basename(path));
    return rp_str_eq_cstr(b, "package-lock.json") || rp_str_eq_cstr(b, "npm-shrinkwrap.json");
}

const struct rp_vuln_inventory_format rp_vuln_inv_package_lock = {
    .name = "package-lock",
    .detect = detect,
    .parse = parse,
};
