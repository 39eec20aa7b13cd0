/* SPDX-License-Identifier: Apache-2.0 */
/* poetry.lock as a package inventory (vuln.h, "package inventories"; vuln_inventories.def):
 * each [[package]] table's name and version, in file order. Packages whose [package.source]
 * has a type other than "legacy" (a private index) are skipped: git, directory, file and url
 * sources are not PyPI releases.
 * Hand-written minimal TOML reader (Debian's only TOML library for C-family code is C++
 * header-only libcpptoml, not in the project's dependency set): it reads table headers, `key =
 * value` lines with basic or literal string values, and steps over multi-line arrays, inline tables
 * and multi-line strings
 * ("files = [ ... ]", '''...''') without interpreting them. A file whose first statement is
 * neither a table header nor `key = value` is refused; later malformed lines are skipped. */
#include <string.h>

#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_inv_jspy.h"

/* Multi-line state carried from one line to the next. */
struct scan {
    int depth; /* open [ and { outside strings */
    char ml;   /* inside a multi-line string: '"' or '\'', else 0 */
};

/* Advance st over s (string-aware, stops at a '#' comment outside strings). */
static void scan_line(struct scan *st, struct rp_str s)
{
    size_t i = 0;
    while (i < s.len) {
        char c = s.p[i];
        if (st->ml) {
            if (c == '\\' && st->ml == '"') {
                i += 2;
                continue;
            }
            if (c == st->ml && i + 2 < s.len && s.p[i + 1] == c && s.p[i + 2] == c) {
                st->ml = 0;
                i += 3;
                continue;
            }
            i++;
            continue;
        }
        if (c == '#') return;
        if (c == '"' || c == '\'') {
            if (i + 2 < s.len && s.p[i + 1] == c && s.p[i + 2] == c) {
                st->ml = c;
                i += 3;
                continue;
            }
            i++; /* a one-line string: up to its closing quote */
            while (i < s.len && s.p[i] != c) i += (c == '"' && s.p[i] == '\\') ? 2 : 1;
            i++;
            continue;
        }
        if (c == '[' || c == '{') st->depth++;
        if ((c == ']' || c == '}') && st->depth > 0) st->depth--;
        i++;
    }
}

/* A one-line string value ("1.2.3" or '1.2.3', no escapes) into *out. */
static bool str_value(struct rp_str v, struct rp_str *out)
{
    v = rp_str_trim(v);
    if (v.len < 2 || (v.p[0] != '"' && v.p[0] != '\'')) return false;
    const char *q = memchr(v.p + 1, v.p[0], v.len - 1);
    if (!q) return false;
    struct rp_str s = {v.p + 1, (size_t)(q - v.p - 1)};
    if (v.p[0] == '"' && memchr(s.p, '\\', s.len)) return false;
    *out = s;
    return true;
}

enum where { OUTSIDE, PACKAGE, SOURCE, OTHER_SUB };

struct pkg {
    bool open, skip;
    struct rp_str name, version;
};

static rp_err finish(struct rp_vuln_jspy *j, struct pkg *pk, struct rp_errbuf *eb)
{
    if (!pk->open) return RP_OK;
    pk->open = false;
    if (pk->skip) return RP_OK;
    return rp_vuln_jspy_emit(j, pk->name, pk->version, eb);
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct rp_vuln_jspy j;
    rp_vuln_jspy_init(&j, cx, "PyPI", "POETRY", fn, ctx);
    struct scan st = {0, 0};
    struct pkg pk = {0};
    enum where w = OUTSIDE;
    bool first = true;
    size_t pos = 0, lineno = 0;
    struct rp_str line;
    rp_err e = RP_OK;
    while (e == RP_OK && rp_vuln_inv_line(p, n, &pos, &line) && ++lineno) {
        if (st.depth || st.ml) { /* continuation of a multi-line value */
            scan_line(&st, line);
            continue;
        }
        struct rp_str t = rp_str_trim(line);
        if (t.len == 0 || t.p[0] == '#') continue;
        if (t.p[0] == '[') {
            first = false;
            if (rp_str_has_prefix(t, "[[package]]")) {
                e = finish(&j, &pk, eb);
                pk = (struct pkg){.open = true};
                w = PACKAGE;
            } else if (pk.open && rp_str_has_prefix(t, "[package.source]")) {
                w = SOURCE;
            } else if (pk.open && rp_str_has_prefix(t, "[package.")) {
                w = OTHER_SUB;
            } else {
                e = finish(&j, &pk, eb);
                w = OUTSIDE;
            }
            continue;
        }
        const char *eq = memchr(t.p, '=', t.len);
        if (!eq || eq == t.p) {
            if (first) {
                e = rp_fail(eb, RP_EPARSE,
                            "%s:%zu: not a poetry.lock: expected a table header or "
                            "'key = value'",
                            rp_vuln_jspy_path(cx), lineno);
                break;
            }
            continue; /* a damaged line */
        }
        first = false;
        struct rp_str key = rp_str_trim((struct rp_str){t.p, (size_t)(eq - t.p)});
        struct rp_str val = {eq + 1, t.len - (size_t)(eq + 1 - t.p)};
        struct rp_str s = {0};
        if (w == PACKAGE && rp_str_eq_cstr(key, "name") && str_value(val, &s)) pk.name = s;
        if (w == PACKAGE && rp_str_eq_cstr(key, "version") && str_value(val, &s)) pk.version = s;
        if (w == SOURCE && rp_str_eq_cstr(key, "type") && str_value(val, &s) &&
            !rp_str_eq_cstr(s, "legacy"))
            pk.skip = true;
        scan_line(&st, val);
    }
    if (e == RP_OK) e = finish(&j, &pk, eb);
    rp_vuln_jspy_release(&j);
    return e;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return rp_str_eq_cstr(rp_str_from(rp_vuln_inv_basename(path)), "poetry.lock");
}

const struct rp_vuln_inventory_format rp_vuln_inv_poetry_lock = {
    .name = "poetry-lock",
    .detect = detect,
    .parse = parse,
};
