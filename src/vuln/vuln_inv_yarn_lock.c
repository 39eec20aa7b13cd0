/* SPDX-License-Identifier: Apache-2.0 */
/* yarn.lock as a package inventory (vuln.h, "package inventories"; vuln_inventories.def), both
 * yarn v1's own format (headers `"a@^1", a@~1.2:` and indented `version "1.2.3"`) and Berry's
 * (yarn 2+, `"a@npm:^1, a@npm:^1.2":` with `version: 1.2.3` and `resolution: "a@npm:1.2.3"`).
 * Hand-written: v1 is not YAML at all (libyaml refuses `version "1.2.3"`), and the one reader
 * covers both since only the entry headers and their two-space-indented fields matter here.
 * A Berry entry counts only when it resolves through the npm protocol (workspaces, patches,
 * links, git and file resolutions are skipped); a v1 alias `a@npm:b@^1` is reported as b.
 * A file whose first entry is not a header is refused; later damaged entries are skipped. */
#include <string.h>

#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_inv_jspy.h"

static struct rp_str unquote(struct rp_str s)
{
    s = rp_str_trim(s);
    if (s.len >= 2 && s.p[0] == '"' && s.p[s.len - 1] == '"')
        return (struct rp_str){s.p + 1, s.len - 2};
    return s;
}

/* "name@range" at the '@' that ends the name (a scope's leading '@' is not it). */
static bool split_spec(struct rp_str spec, struct rp_str *name, struct rp_str *range)
{
    for (size_t i = 1; i < spec.len; i++) {
        if (spec.p[i] == '@') {
            *name = (struct rp_str){spec.p, i};
            *range = (struct rp_str){spec.p + i + 1, spec.len - i - 1};
            return true;
        }
    }
    return false;
}

/* The first spec of a header line without its ':' ("\"a@^1\", a@~1.2" -> a@^1;
 * "\"a@npm:^1, a@npm:^2\"" -> a@npm:^1). */
static struct rp_str first_spec(struct rp_str h)
{
    if (h.len && h.p[0] == '"') {
        const char *q = memchr(h.p + 1, '"', h.len - 1);
        h = q ? (struct rp_str){h.p + 1, (size_t)(q - h.p - 1)}
              : (struct rp_str){h.p + 1, h.len - 1};
    }
    const char *c = memchr(h.p, ',', h.len);
    if (c) h.len = (size_t)(c - h.p);
    return rp_str_trim(h);
}

struct entry {
    bool open;          /* a header was read and its fields are being collected */
    struct rp_str spec; /* first spec of the header */
    struct rp_str version;
    struct rp_str resolution; /* Berry only */
};

static rp_err finish(struct rp_vuln_jspy *j, struct entry *en, struct rp_errbuf *eb)
{
    if (!en->open) return RP_OK;
    en->open = false;
    struct rp_str name = {0}, range = {0};
    if (en->resolution.len) {
        /* Berry: "name@npm:1.2.3" names the package actually installed */
        if (!split_spec(en->resolution, &name, &range) || !rp_str_has_prefix(range, "npm:"))
            return RP_OK;
    } else {
        if (!split_spec(en->spec, &name, &range)) return RP_OK;
        if (rp_str_eq_cstr(name, "__metadata")) return RP_OK;
        if (rp_str_has_prefix(range, "npm:")) {
            struct rp_str rest = {range.p + 4, range.len - 4}, real = {0}, r2 = {0};
            if (split_spec(rest, &real, &r2)) name = real; /* alias a@npm:b@^1 */
        } else if (memchr(range.p, ':', range.len)) {
            return RP_OK; /* workspace:, patch:, link:, file:, git URLs */
        }
    }
    return rp_vuln_jspy_emit(j, name, en->version, eb);
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct rp_vuln_jspy j;
    rp_vuln_jspy_init(&j, cx, "npm", "YARN", fn, ctx);
    struct entry en = {0};
    bool seen_header = false;
    size_t pos = 0, lineno = 0;
    struct rp_str line;
    rp_err e = RP_OK;
    while (e == RP_OK && rp_vuln_inv_line(p, n, &pos, &line) && ++lineno) {
        struct rp_str t = rp_str_trim(line);
        if (t.len == 0 || t.p[0] == '#') continue;
        if (line.p[0] != ' ' && line.p[0] != '\t') {
            e = finish(&j, &en, eb);
            if (e != RP_OK) break;
            if (t.p[t.len - 1] != ':') {
                if (!seen_header) {
                    e = rp_fail(eb, RP_EPARSE,
                                "%s:%zu: not a yarn.lock: expected an entry header ending "
                                "with ':'",
                                rp_vuln_jspy_path(cx), lineno);
                    break;
                }
                continue; /* a damaged header: its fields are skipped */
            }
            seen_header = true;
            en = (struct entry){.open = true, .spec = first_spec((struct rp_str){t.p, t.len - 1})};
            continue;
        }
        if (!en.open) continue;
        /* only the entry's own fields, indented by exactly two spaces */
        if (line.len < 3 || line.p[0] != ' ' || line.p[1] != ' ' || line.p[2] == ' ') continue;
        if (rp_str_has_prefix(t, "version ") || rp_str_has_prefix(t, "version:")) {
            en.version = unquote((struct rp_str){t.p + 8, t.len - 8});
        } else if (rp_str_has_prefix(t, "resolution:")) {
            en.resolution = unquote((struct rp_str){t.p + 11, t.len - 11});
        }
    }
    if (e == RP_OK) e = finish(&j, &en, eb);
    rp_vuln_jspy_release(&j);
    return e;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return rp_str_eq_cstr(rp_str_from(rp_vuln_inv_basename(path)), "yarn.lock");
}

const struct rp_vuln_inventory_format rp_vuln_inv_yarn_lock = {
    .name = "yarn-lock",
    .detect = detect,
    .parse = parse,
};
