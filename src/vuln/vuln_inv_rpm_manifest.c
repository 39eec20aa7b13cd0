/* SPDX-License-Identifier: Apache-2.0 */
/* Package inventory: rpm packages without librpm (rp_vuln_inv_rpm_manifest, vuln.h), from the
 * text manifest
 *     rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'
 * that users export (as "rpm-qa.txt" or "*.rpm-manifest") and container scanners write. One
 * package per line; match_name is the source package's name parsed from SOURCERPM
 * ("openssl-3.0.7-1.el9.src.rpm" -> "openssl"), since OSV's RPM distributions name source
 * packages. Epoch 0 (or "(none)" from %{EPOCH}) is dropped from the version. Reading the rpm
 * database itself (Berkeley DB or sqlite rpmdb.sqlite / Packages.db) is left for a later
 * change through Debian's librpm. Hand-written: a tab-separated line format. */
#include <string.h>

#include "vuln/vuln.h"
#include "vuln/vuln_inv_internal.h"

struct line4 {
    struct rp_str name, epoch, vr, arch, srpm;
};

static bool digits(struct rp_str s)
{
    if (s.len == 0) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return false;
    return true;
}

/* Split a line into its four fields; the 2nd must be E:V-R (E digits or "(none)", V and R
 * non-empty). */
static bool split4(struct rp_str line, struct line4 *out)
{
    struct rp_str f[4] = {{0}}, rest = line, tok;
    size_t k = 0;
    while (rp_str_split_next(&rest, '\t', &tok)) {
        if (k == 4) return false;
        f[k++] = tok;
    }
    if (k != 4 || f[0].len == 0 || f[2].len == 0 || f[3].len == 0) return false;
    const char *colon = memchr(f[1].p, ':', f[1].len);
    if (!colon) return false;
    struct rp_str ep = {f[1].p, (size_t)(colon - f[1].p)};
    struct rp_str vr = {colon + 1, f[1].len - ep.len - 1};
    if (!digits(ep) && !rp_str_eq_cstr(ep, "(none)")) return false;
    const char *dash = memchr(vr.p, '-', vr.len);
    if (!dash || dash == vr.p || dash == vr.p + vr.len - 1) return false;
    *out = (struct line4){f[0], ep, vr, f[2], f[3]};
    return true;
}

static bool detect(const char *path, const char *head, size_t n)
{
    if (path) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t bn = strlen(base);
        if (strcmp(base, "rpm-qa.txt") == 0 ||
            (bn > 13 && strcmp(base + bn - 13, ".rpm-manifest") == 0))
            return true;
    }
    size_t pos = 0;
    struct rp_str line;
    struct line4 l;
    while (head && rp_vuln_inv_line(head, n, &pos, &line))
        if (!rp_vuln_inv_blank(line)) return split4(line, &l);
    return false;
}

/* "openssl-3.0.7-1.el9.src.rpm" -> "openssl"; an empty slice when it is not of that form. */
static struct rp_str srpm_name(struct rp_str s)
{
    struct rp_str none = {"", 0};
    if (rp_str_has_suffix(s, ".src.rpm"))
        s.len -= 8;
    else if (rp_str_has_suffix(s, ".nosrc.rpm"))
        s.len -= 10;
    else
        return none;
    for (int i = 0; i < 2; i++) {
        while (s.len && s.p[s.len - 1] != '-') s.len--;
        if (s.len < 2) return none;
        s.len--;
    }
    return s;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    const char *file = cx->path ? cx->path : "rpm-manifest";
    const struct rp_vuln_versioning *rpm = rp_vuln_versioning_find("rpm");
    const char *eco = NULL;
    if (cx->os_ecosystem && rp_vuln_versioning_for_ecosystem(rp_str_from(cx->os_ecosystem)) == rpm)
        eco = cx->os_ecosystem;
    const char *nul = n ? memchr(p, 0, n) : NULL;
    if (nul) {
        size_t line = 1;
        for (const char *c = p; c < nul; c++) line += *c == '\n';
        return rp_fail(eb, RP_EPARSE, "%s:%zu: NUL byte, not an rpm manifest", file, line);
    }
    bool seen = false;
    size_t pos = 0, lineno = 0;
    struct rp_str line;
    while (rp_vuln_inv_line(p, n, &pos, &line)) {
        lineno++;
        if (rp_vuln_inv_blank(line)) continue;
        struct line4 l;
        bool ok = split4(line, &l);
        if (!ok && !seen)
            return rp_fail(eb, RP_EPARSE,
                           "%s:%zu: expected 'name<TAB>epoch:version-release<TAB>arch<TAB>"
                           "sourcerpm'",
                           file, lineno);
        seen = true;
        if (!ok || rp_str_eq_cstr(l.name, "gpg-pubkey")) continue;
        char name[RP_VULN_INV_FIELD], ver[RP_VULN_INV_FIELD], arch[RP_VULN_INV_FIELD],
            src[RP_VULN_INV_FIELD];
        /* epoch 0 is rpm's default: "0:1.2-3" is written "1.2-3" */
        struct rp_str ev = l.vr;
        if (digits(l.epoch)) {
            size_t z = 0;
            while (z < l.epoch.len && l.epoch.p[z] == '0') z++;
            if (z < l.epoch.len)
                ev = (struct rp_str){l.epoch.p + z, (size_t)(l.vr.p + l.vr.len - l.epoch.p - z)};
        }
        struct rp_str sname = srpm_name(l.srpm);
        bool arch_none = rp_str_eq_cstr(l.arch, "(none)");
        if (!rp_vuln_inv_cstr(name, sizeof name, l.name) ||
            !rp_vuln_inv_cstr(ver, sizeof ver, ev) ||
            !rp_vuln_inv_cstr(arch, sizeof arch, l.arch) ||
            !rp_vuln_inv_cstr(src, sizeof src, sname))
            continue;
        if (memchr(name, ' ', strlen(name)) || (rpm && !rpm->valid(rp_str_from(ver)))) continue;
        struct rp_vuln_pkg pkg = {
            .ecosystem = eco,
            .name = name,
            .match_name = src[0] && strcmp(src, name) != 0 ? src : NULL,
            .version = ver,
            .arch = arch_none ? NULL : arch,
            .package_manager = "OS",
            .file_path = cx->path,
        };
        rp_err e = fn(&pkg, ctx, eb);
        if (e) return e;
    }
    return RP_OK;
}

const struct rp_vuln_inventory_format rp_vuln_inv_rpm_manifest = {
    .name = "rpm-manifest",
    .detect = detect,
    .parse = parse,
};
