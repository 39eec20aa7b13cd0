/* SPDX-License-Identifier: Apache-2.0 */
/* Package inventory: Alpine's apk database, /lib/apk/db/installed (rp_vuln_inv_apk_installed,
 * vuln.h). One record per package, records separated by blank lines, each line "X:value" with
 * a one-letter key: P name, V version, A arch, o origin (the source package, which is what
 * OSV's Alpine advisories name, so it becomes match_name); the other keys (checksums, files,
 * dependencies..) are skipped. Hand-written: apk-tools ships no library Debian packages, and
 * the format is a handful of "X:value" lines. */
#include <string.h>

#include "vuln/vuln.h"
#include "vuln/vuln_inv_internal.h"

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return rp_vuln_inv_path_ends(path, "lib/apk/db/installed");
}

struct record {
    char name[RP_VULN_INV_FIELD], ver[RP_VULN_INV_FIELD], arch[RP_VULN_INV_FIELD],
        origin[RP_VULN_INV_FIELD];
    bool has_name, has_ver, has_arch, has_origin, damaged, open;
};

static bool key_ok(struct rp_str l)
{
    return l.len >= 2 && l.p[1] == ':' &&
           ((l.p[0] >= 'A' && l.p[0] <= 'Z') || (l.p[0] >= 'a' && l.p[0] <= 'z'));
}

static void field(struct record *r, char key, struct rp_str value)
{
    char *dst = NULL;
    bool *has = NULL;
    switch (key) {
    case 'P':
        dst = r->name, has = &r->has_name;
        break;
    case 'V':
        dst = r->ver, has = &r->has_ver;
        break;
    case 'A':
        dst = r->arch, has = &r->has_arch;
        break;
    case 'o':
        dst = r->origin, has = &r->has_origin;
        break;
    default:
        return;
    }
    if (*has || !rp_vuln_inv_cstr(dst, RP_VULN_INV_FIELD, value)) r->damaged = true;
    *has = true;
}

static rp_err emit(const struct rp_vuln_inv_ctx *cx, const struct record *r, const char *eco,
                   rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    const struct rp_vuln_versioning *apk = rp_vuln_versioning_find("apk");
    if (r->damaged || !r->has_name || !r->has_ver || !r->name[0]) return RP_OK;
    if (memchr(r->name, ' ', strlen(r->name))) return RP_OK;
    if (apk && !apk->valid(rp_str_from(r->ver))) return RP_OK;
    bool origin = r->has_origin && r->origin[0] && strcmp(r->origin, r->name) != 0;
    struct rp_vuln_pkg p = {
        .ecosystem = eco,
        .name = r->name,
        .match_name = origin ? r->origin : NULL,
        .version = r->ver,
        .arch = r->has_arch && r->arch[0] ? r->arch : NULL,
        .package_manager = "OS",
        .file_path = cx->path,
    };
    return fn(&p, ctx, eb);
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    const char *file = cx->path ? cx->path : "apk-installed";
    const char *os = cx->os_ecosystem;
    const char *eco =
        os && strncmp(os, "Alpine", 6) == 0 && (os[6] == 0 || os[6] == ':') ? os : "Alpine";
    const char *nul = n ? memchr(p, 0, n) : NULL;
    if (nul) {
        size_t line = 1;
        for (const char *c = p; c < nul; c++) line += *c == '\n';
        return rp_fail(eb, RP_EPARSE, "%s:%zu: NUL byte, not an apk database", file, line);
    }
    struct record r;
    memset(&r, 0, sizeof r);
    bool seen = false;
    size_t pos = 0, lineno = 0;
    struct rp_str line;
    rp_err e = RP_OK;
    while (rp_vuln_inv_line(p, n, &pos, &line)) {
        lineno++;
        if (rp_vuln_inv_blank(line)) {
            if (r.open && (e = emit(cx, &r, eco, fn, ctx, eb))) return e;
            memset(&r, 0, sizeof r);
            continue;
        }
        bool ok = key_ok(line);
        if (!ok && !seen) return rp_fail(eb, RP_EPARSE, "%s:%zu: expected 'X:value'", file, lineno);
        r.open = seen = true;
        if (!ok) {
            r.damaged = true;
            continue;
        }
        field(&r, line.p[0], (struct rp_str){line.p + 2, line.len - 2});
    }
    if (r.open) e = emit(cx, &r, eco, fn, ctx, eb);
    return e;
}

const struct rp_vuln_inventory_format rp_vuln_inv_apk_installed = {
    .name = "apk-installed",
    .detect = detect,
    .parse = parse,
};
