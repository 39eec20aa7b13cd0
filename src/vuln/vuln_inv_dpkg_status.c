/* SPDX-License-Identifier: Apache-2.0 */
/* Package inventory: Debian's dpkg database, /var/lib/dpkg/status, and the one-stanza-per-file
 * status.d/<pkg> files of distroless images (rp_vuln_inv_dpkg_status, vuln.h). The format is
 * deb822: stanzas of "Field: value" lines separated by blank lines, continuation lines start
 * with a space or tab. A package is reported when its Status says it is installed
 * ("<want> ok installed": install, hold, deinstall..), or when it has no Status in a status.d
 * file (distroless writes none). match_name is the Source field's name, whose "(version)"
 * suffix is dropped: advisories are per source package but the binary Version is the one
 * installed and the one OSV's Debian ranges are written against (docs/vulns.md).
 * Hand-written: libdpkg is not a shared library Debian ships for other programs, and a status
 * file is plain text whose few fields need no general deb822 library. */
#include <string.h>

#include "vuln/vuln.h"
#include "vuln/vuln_inv_internal.h"

#define DIR_D "var/lib/dpkg/status.d/"

static bool in_status_d(const char *path)
{
    if (!path) return false;
    const char *s = strstr(path, DIR_D);
    while (s) {
        const char *base = s + strlen(DIR_D);
        bool boundary = s == path || s[-1] == '/';
        size_t bn = strlen(base);
        /* a file right in the directory, not its md5sums companions */
        if (boundary && bn && !strchr(base, '/') &&
            !(bn > 8 && strcmp(base + bn - 8, ".md5sums") == 0))
            return true;
        s = strstr(s + 1, DIR_D);
    }
    return false;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return rp_vuln_inv_path_ends(path, "var/lib/dpkg/status") || in_status_d(path);
}

struct stanza {
    char pkg[RP_VULN_INV_FIELD], ver[RP_VULN_INV_FIELD], arch[RP_VULN_INV_FIELD],
        src[RP_VULN_INV_FIELD];
    bool has_pkg, has_ver, has_arch, has_src, has_status, installed, damaged, open;
};

static bool name_ok(const char *s)
{
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '+' || *s == '-' ||
              *s == '.'))
            return false;
    return true;
}

/* "want flag status": installed when the flag is "ok" and the status "installed". */
static bool status_installed(struct rp_str v)
{
    struct rp_str w[3] = {{0}};
    size_t k = 0;
    struct rp_str rest = v, tok;
    while (rp_str_split_next(&rest, ' ', &tok)) {
        if (tok.len == 0) continue;
        if (k == 3) return false;
        w[k++] = tok;
    }
    return k == 3 && rp_str_eq_cstr(w[1], "ok") && rp_str_eq_cstr(w[2], "installed");
}

/* Record one field of the stanza; a repeated or oversized field damages it. */
static void field(struct stanza *st, struct rp_str name, struct rp_str value)
{
    char *dst = NULL;
    bool *has = NULL;
    if (rp_str_eq_nocase(name, RP_STR_LIT("Package")))
        dst = st->pkg, has = &st->has_pkg;
    else if (rp_str_eq_nocase(name, RP_STR_LIT("Version")))
        dst = st->ver, has = &st->has_ver;
    else if (rp_str_eq_nocase(name, RP_STR_LIT("Architecture")))
        dst = st->arch, has = &st->has_arch;
    else if (rp_str_eq_nocase(name, RP_STR_LIT("Source"))) {
        /* "name" or "name (source version)" */
        size_t i = 0;
        while (i < value.len && value.p[i] != ' ' && value.p[i] != '(') i++;
        value.len = i;
        dst = st->src, has = &st->has_src;
    } else if (rp_str_eq_nocase(name, RP_STR_LIT("Status"))) {
        if (st->has_status) st->damaged = true;
        st->has_status = true;
        st->installed = status_installed(value);
        return;
    } else
        return;
    if (*has || !rp_vuln_inv_cstr(dst, RP_VULN_INV_FIELD, value)) st->damaged = true;
    *has = true;
}

static rp_err emit(const struct rp_vuln_inv_ctx *cx, const struct stanza *st, const char *eco,
                   bool status_d, rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    const struct rp_vuln_versioning *dpkg = rp_vuln_versioning_find("dpkg");
    if (st->damaged || !st->has_pkg || !st->has_ver || !name_ok(st->pkg)) return RP_OK;
    if (dpkg && !dpkg->valid(rp_str_from(st->ver))) return RP_OK;
    if (st->has_status ? !st->installed : !status_d) return RP_OK;
    bool src = st->has_src && st->src[0] && strcmp(st->src, st->pkg) != 0;
    struct rp_vuln_pkg p = {
        .ecosystem = eco,
        .name = st->pkg,
        .match_name = src ? st->src : NULL,
        .version = st->ver,
        .arch = st->has_arch && st->arch[0] ? st->arch : NULL,
        .package_manager = "OS",
        .file_path = cx->path,
    };
    return fn(&p, ctx, eb);
}

/* True when os names a release of eco ("Debian", "Debian:12"). */
static bool eco_is(const char *os, const char *eco)
{
    size_t k = strlen(eco);
    return os && strncmp(os, eco, k) == 0 && (os[k] == 0 || os[k] == ':');
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    const char *file = cx->path ? cx->path : "dpkg-status";
    const char *eco = eco_is(cx->os_ecosystem, "Debian") || eco_is(cx->os_ecosystem, "Ubuntu")
                          ? cx->os_ecosystem
                          : "Debian";
    bool status_d = in_status_d(cx->path);
    const char *nul = n ? memchr(p, 0, n) : NULL;
    if (nul) {
        size_t line = 1;
        for (const char *c = p; c < nul; c++) line += *c == '\n';
        return rp_fail(eb, RP_EPARSE, "%s:%zu: NUL byte, not a dpkg status file", file, line);
    }
    struct stanza st;
    memset(&st, 0, sizeof st);
    bool seen = false; /* a field line was read */
    size_t pos = 0, lineno = 0;
    struct rp_str line;
    rp_err e = RP_OK;
    while (rp_vuln_inv_line(p, n, &pos, &line)) {
        lineno++;
        if (rp_vuln_inv_blank(line)) {
            if (st.open && (e = emit(cx, &st, eco, status_d, fn, ctx, eb))) return e;
            memset(&st, 0, sizeof st);
            continue;
        }
        if (line.p[0] == ' ' || line.p[0] == '\t') {
            if (!seen)
                return rp_fail(eb, RP_EPARSE, "%s:%zu: continuation line before any field", file,
                               lineno);
            if (!st.open) st.open = st.damaged = true;
            continue;
        }
        const char *colon = memchr(line.p, ':', line.len);
        size_t k = colon ? (size_t)(colon - line.p) : 0;
        bool bad = !colon || k == 0 || memchr(line.p, ' ', k) || memchr(line.p, '\t', k);
        if (bad && !seen)
            return rp_fail(eb, RP_EPARSE, "%s:%zu: expected 'Field: value'", file, lineno);
        st.open = seen = true;
        if (bad) {
            st.damaged = true;
            continue;
        }
        field(&st, (struct rp_str){line.p, k},
              rp_str_trim((struct rp_str){colon + 1, line.len - k - 1}));
    }
    if (st.open) e = emit(cx, &st, eco, status_d, fn, ctx, eb);
    return e;
}

const struct rp_vuln_inventory_format rp_vuln_inv_dpkg_status = {
    .name = "dpkg-status",
    .detect = detect,
    .parse = parse,
};
