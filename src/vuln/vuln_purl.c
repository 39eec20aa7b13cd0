/* SPDX-License-Identifier: Apache-2.0 */
/* Package URLs for the SBOM inventories (vuln_inv_cyclonedx.c, vuln_inv_spdx.c): a purl
 * parser following the purl specification's parsing steps (subpath after '#', qualifiers
 * after '?', version after the last '@' of the last segment, type before the first '/',
 * every component percent-decoded), the map from purl types to OSV ecosystems and
 * Inspector's packageManager names, and rp_vuln_inv_emit, the copy-out helper the lockfile
 * inventories share (vuln_purl.h). No allocation: everything lands in fixed buffers. */
#include <stdio.h>
#include <string.h>

#include "vuln/vuln_purl.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode s into out[cap]; false on a bad escape, a NUL byte or overflow. */
static bool pct(struct rp_str s, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (c == '%') {
            if (i + 2 >= s.len) return false;
            int h = hexval(s.p[i + 1]), l = hexval(s.p[i + 2]);
            if (h < 0 || l < 0) return false;
            c = (char)(h * 16 + l);
            i += 2;
        }
        if (c == '\0' || o + 1 >= cap) return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

static const char *memrchr_(const char *p, size_t n, char c)
{
    while (n--)
        if (p[n] == c) return p + n;
    return NULL;
}

static bool qualifier(struct rp_vuln_purl *out, struct rp_str q)
{
    struct rp_str rest = q, kv;
    while (rp_str_split_next(&rest, '&', &kv)) {
        const char *eq = memchr(kv.p, '=', kv.len);
        if (!eq) continue;
        struct rp_str k = {kv.p, (size_t)(eq - kv.p)};
        struct rp_str v = {eq + 1, kv.len - k.len - 1};
        char *dst = NULL;
        size_t cap = 0;
        if (rp_str_eq_nocase(k, RP_STR_LIT("distro"))) {
            dst = out->distro;
            cap = sizeof out->distro;
        } else if (rp_str_eq_nocase(k, RP_STR_LIT("arch"))) {
            dst = out->arch;
            cap = sizeof out->arch;
        } else if (rp_str_eq_nocase(k, RP_STR_LIT("epoch"))) {
            dst = out->epoch;
            cap = sizeof out->epoch;
        } else if (rp_str_eq_nocase(k, RP_STR_LIT("upstream"))) {
            dst = out->upstream;
            cap = sizeof out->upstream;
        }
        if (dst && !pct(v, dst, cap)) return false;
    }
    return true;
}

bool rp_vuln_purl_parse(struct rp_str s, struct rp_vuln_purl *out)
{
    memset(out, 0, sizeof *out);
    if (s.len < 4 || !rp_str_eq_nocase((struct rp_str){s.p, 4}, RP_STR_LIT("pkg:"))) return false;
    struct rp_str r = {s.p + 4, s.len - 4};
    const char *h = memchr(r.p, '#', r.len);
    if (h) r.len = (size_t)(h - r.p);
    const char *q = memchr(r.p, '?', r.len);
    if (q) {
        if (!qualifier(out, (struct rp_str){q + 1, r.len - (size_t)(q + 1 - r.p)})) return false;
        r.len = (size_t)(q - r.p);
    }
    while (r.len && r.p[0] == '/') r.p++, r.len--;
    while (r.len && r.p[r.len - 1] == '/') r.len--;
    const char *sl = memchr(r.p, '/', r.len);
    if (!sl || sl == r.p) return false;
    if (!pct((struct rp_str){r.p, (size_t)(sl - r.p)}, out->type, sizeof out->type)) return false;
    lower(out->type);
    r = (struct rp_str){sl + 1, r.len - (size_t)(sl + 1 - r.p)};
    const char *last = memrchr_(r.p, r.len, '/');
    struct rp_str seg = last ? (struct rp_str){last + 1, r.len - (size_t)(last + 1 - r.p)} : r;
    const char *at = memrchr_(seg.p, seg.len, '@');
    if (at) {
        if (!pct((struct rp_str){at + 1, seg.len - (size_t)(at + 1 - seg.p)}, out->version,
                 sizeof out->version))
            return false;
        seg.len = (size_t)(at - seg.p);
    }
    if (!seg.len || !pct(seg, out->name, sizeof out->name)) return false;
    if (last) {
        /* namespace: each segment decoded, empty ones dropped, joined by '/' */
        struct rp_str rest = {r.p, (size_t)(last - r.p)}, tok;
        size_t o = 0;
        while (rp_str_split_next(&rest, '/', &tok)) {
            char b[256];
            if (!tok.len) continue;
            if (!pct(tok, b, sizeof b)) return false;
            int w = snprintf(out->ns + o, sizeof out->ns - o, "%s%s", o ? "/" : "", b);
            if (w < 0 || (size_t)w >= sizeof out->ns - o) return false;
            o += (size_t)w;
        }
    }
    return true;
}

/* "debian-12" / "12" -> "Debian:12"; "bookworm" (no digit) -> "Debian". */
static void distro_eco(char *out, size_t cap, const char *base, const char *distro,
                       const char *vprefix, bool major_minor)
{
    const char *d = distro;
    const char *dash = strrchr(d, '-');
    if (dash) d = dash + 1;
    if (*d < '0' || *d > '9') {
        snprintf(out, cap, "%s", base);
        return;
    }
    size_t n = 0;
    int dots = 0;
    while (d[n] && ((d[n] >= '0' && d[n] <= '9') || d[n] == '.')) {
        if (d[n] == '.' && ++dots == (major_minor ? 2 : 99)) break;
        n++;
    }
    snprintf(out, cap, "%s:%s%.*s", base, vprefix, (int)n, d);
}

static bool join(char *out, size_t cap, const char *a, const char *sep, const char *b)
{
    int w = *a ? snprintf(out, cap, "%s%s%s", a, sep, b) : snprintf(out, cap, "%s", b);
    return w >= 0 && (size_t)w < cap;
}

bool rp_vuln_purl_to_pkg(struct rp_str s, struct rp_str fallback_version,
                         struct rp_vuln_purl_pkg *out)
{
    struct rp_vuln_purl u;
    memset(out, 0, sizeof *out);
    if (!rp_vuln_purl_parse(s, &u)) return false;
    const char *t = u.type;
    const char *ver = u.version;
    char fb[256];
    if (!*ver) {
        if (!fallback_version.len || fallback_version.len >= sizeof fb ||
            memchr(fallback_version.p, '\0', fallback_version.len))
            return false;
        memcpy(fb, fallback_version.p, fallback_version.len);
        fb[fallback_version.len] = '\0';
        ver = fb;
    }
    bool os = false;
    const char *sep = "/";
    if (!strcmp(t, "npm")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "npm");
        out->package_manager = "NPM";
    } else if (!strcmp(t, "pypi")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "PyPI");
        out->package_manager = "PIP";
    } else if (!strcmp(t, "golang")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "Go");
        out->package_manager = "GOMOD";
    } else if (!strcmp(t, "cargo")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "crates.io");
        out->package_manager = "CARGO";
    } else if (!strcmp(t, "composer")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "Packagist");
        out->package_manager = "COMPOSER";
    } else if (!strcmp(t, "gem")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "RubyGems");
        out->package_manager = "BUNDLER";
    } else if (!strcmp(t, "maven")) {
        snprintf(out->ecosystem, sizeof out->ecosystem, "Maven");
        out->package_manager = "POM";
        if (!*u.ns || !join(out->match_name, sizeof out->match_name, u.ns, ":", u.name))
            return false;
        out->has_match = true;
        sep = NULL;
    } else if (!strcmp(t, "deb")) {
        os = true;
        lower(u.ns);
        if (!strcmp(u.ns, "ubuntu"))
            distro_eco(out->ecosystem, sizeof out->ecosystem, "Ubuntu", u.distro, "", false);
        else
            distro_eco(out->ecosystem, sizeof out->ecosystem, "Debian", u.distro, "", false);
    } else if (!strcmp(t, "apk")) {
        os = true;
        distro_eco(out->ecosystem, sizeof out->ecosystem, "Alpine", u.distro, "v", true);
    } else if (!strcmp(t, "rpm")) {
        static const char *const map[][2] = {
            {"redhat", "Red Hat"}, {"rocky", "Rocky Linux"}, {"almalinux", "AlmaLinux"},
            {"suse", "SUSE"},      {"opensuse", "openSUSE"}, {"mariner", "Mariner"},
        };
        os = true;
        lower(u.ns);
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (!strcmp(u.ns, map[i][0]))
                snprintf(out->ecosystem, sizeof out->ecosystem, "%s", map[i][1]);
    } else {
        return false;
    }
    if (os) {
        out->package_manager = "OS";
        sep = NULL;
        if (*u.upstream) {
            char *a = strchr(u.upstream, '@');
            if (a) *a = '\0';
            if (*u.upstream && strcmp(u.upstream, u.name) != 0) {
                snprintf(out->match_name, sizeof out->match_name, "%s", u.upstream);
                out->has_match = true;
            }
        }
    }
    snprintf(out->arch, sizeof out->arch, "%s", u.arch);
    if (!join(out->name, sizeof out->name, sep ? u.ns : "", sep ? sep : "", u.name)) return false;
    int w = (os && *u.epoch && !strchr(ver, ':'))
                ? snprintf(out->version, sizeof out->version, "%s:%s", u.epoch, ver)
                : snprintf(out->version, sizeof out->version, "%s", ver);
    return w >= 0 && (size_t)w < sizeof out->version;
}

#define RP_INV_FIELD 1024

static bool cp(char *dst, struct rp_str s)
{
    if (s.len >= RP_INV_FIELD || (s.len && memchr(s.p, '\0', s.len))) return false;
    if (s.len) memcpy(dst, s.p, s.len);
    dst[s.len] = '\0';
    return true;
}

rp_err rp_vuln_inv_emit(const struct rp_vuln_inv_ctx *cx, const char *ecosystem, struct rp_str name,
                        struct rp_str match, struct rp_str version, struct rp_str arch,
                        const char *package_manager, rp_vuln_pkg_fn fn, void *ctx,
                        struct rp_errbuf *eb)
{
    char n[RP_INV_FIELD], m[RP_INV_FIELD], v[RP_INV_FIELD], a[RP_INV_FIELD];
    if (!name.len || !version.len) return RP_OK;
    if (!cp(n, name) || !cp(v, version)) return RP_OK;
    if (match.p && !cp(m, match)) return RP_OK;
    if (arch.p && !cp(a, arch)) return RP_OK;
    struct rp_vuln_pkg pkg = {
        .ecosystem = ecosystem,
        .name = n,
        .match_name = match.p ? m : NULL,
        .version = v,
        .arch = arch.p ? a : NULL,
        .package_manager = package_manager,
        .file_path = cx ? cx->path : NULL,
    };
    return fn(&pkg, ctx, eb);
}
