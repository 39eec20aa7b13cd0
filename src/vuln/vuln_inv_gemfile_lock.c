/* SPDX-License-Identifier: Apache-2.0 */
/* Ruby inventory (vuln.h "package inventories"): Gemfile.lock, ecosystem "RubyGems",
 * packageManager "BUNDLER". The specs of the GEM section (gems from a rubygems remote):
 * lines indented by exactly 4 spaces, `name (version)`; deeper lines are their dependencies.
 * A platform suffix is stripped from the version ("1.15.4-x86_64-linux" -> "1.15.4"): Bundler
 * writes `version-platform`, and RubyGems never keeps a '-' in a version's string form
 * (Gem::Version turns "1.0-pre" into "1.0.pre.pre"), so the first '-' starts the platform.
 * PATH and GIT sections (local and git sources) are not RubyGems releases and are skipped.
 * A file whose first line is not a lockfile section header is not a Gemfile.lock.
 * Hand-written: Bundler's lockfile is a line format with no C library anywhere. */
#include <string.h>

#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

#define ECO "RubyGems"
#define PM  "BUNDLER"

static bool section_header(struct rp_str l)
{
    if (!l.len || l.p[0] < 'A' || l.p[0] > 'Z') return false;
    for (size_t i = 0; i < l.len; i++)
        if (!((l.p[i] >= 'A' && l.p[i] <= 'Z') || l.p[i] == ' ' || l.p[i] == '_')) return false;
    return true;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    bool gem = false, specs = false, first = true;
    size_t pos = 0, lineno = 0;
    while (pos < n) {
        const char *s = p + pos;
        const char *e = memchr(s, '\n', n - pos);
        size_t len = e ? (size_t)(e - s) : n - pos;
        pos += len + (e ? 1 : 0);
        lineno++;
        struct rp_str l = {s, len};
        if (l.len && l.p[l.len - 1] == '\r') l.len--;
        if (!rp_str_trim(l).len) continue;
        if (l.p[0] != ' ') {
            if (!section_header(l)) {
                if (first)
                    return rp_fail(eb, RP_EPARSE, "%s:%zu: not a Gemfile.lock section", cx->path,
                                   lineno);
                gem = specs = false;
                continue;
            }
            first = false;
            gem = rp_str_eq_cstr(l, "GEM");
            specs = false;
            continue;
        }
        if (first)
            return rp_fail(eb, RP_EPARSE, "%s:%zu: not a Gemfile.lock section", cx->path, lineno);
        if (!gem) continue;
        if (rp_str_eq_cstr(l, "  specs:")) {
            specs = true;
            continue;
        }
        if (l.len > 2 && l.p[0] == ' ' && l.p[1] == ' ' && l.p[2] != ' ') {
            specs = false; /* another key of the section ("  remote: ..") */
            continue;
        }
        if (!specs || l.len < 5 || memcmp(l.p, "    ", 4) != 0 || l.p[4] == ' ') continue;
        struct rp_str spec = {l.p + 4, l.len - 4};
        const char *sp = memchr(spec.p, ' ', spec.len);
        if (!sp || !rp_str_has_suffix(spec, ")")) continue;
        struct rp_str name = {spec.p, (size_t)(sp - spec.p)};
        struct rp_str ver = {sp + 1, spec.len - name.len - 1};
        if (ver.len < 3 || ver.p[0] != '(') continue;
        ver.p++;
        ver.len -= 2;
        const char *dash = memchr(ver.p, '-', ver.len);
        if (dash) ver.len = (size_t)(dash - ver.p);
        rp_err rc = rp_vuln_inv_emit(cx, ECO, name, (struct rp_str){0}, ver, (struct rp_str){0}, PM,
                                     fn, ctx, eb);
        if (rc != RP_OK) return rc;
    }
    return RP_OK;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    const char *b = rp_vuln_inv_basename(path);
    return strcmp(b, "Gemfile.lock") == 0 || strcmp(b, "gems.locked") == 0;
}

const struct rp_vuln_inventory_format rp_vuln_inv_gemfile_lock = {
    .name = "gemfile-lock",
    .detect = detect,
    .parse = parse,
};
