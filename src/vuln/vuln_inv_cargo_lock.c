/* SPDX-License-Identifier: Apache-2.0 */
/* Rust inventory (vuln.h "package inventories"): Cargo.lock, ecosystem "crates.io",
 * packageManager "CARGO". Every [[package]] table with a `name` and a `version` is one
 * package, in file order (workspace members and git/path sources included, as Cargo writes
 * them); a table missing either is a damaged entry and is skipped.
 * Hand-written minimal TOML reading: no C TOML library is among the project's Debian build
 * dependencies, and Cargo.lock is a tiny machine-written subset: table headers, `key = value`
 * lines with basic strings, comments, and multi-line arrays (`dependencies = [ .. ]`), whose
 * contents are skipped. A line that is none of these makes the file "not TOML" (RP_EPARSE). */
#include <string.h>

#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

#define ECO "crates.io"
#define PM  "CARGO"

/* The basic-string value of a `key = "value"` line (no escapes in Cargo's names and
 * versions; a value with a backslash is kept as written). */
static bool str_value(struct rp_str v, struct rp_str *out)
{
    if (v.len < 2 || v.p[0] != '"') return false;
    const char *q = memchr(v.p + 1, '"', v.len - 1);
    if (!q) return false;
    *out = (struct rp_str){v.p + 1, (size_t)(q - v.p - 1)};
    return true;
}

/* Is the array value v (starting with '[') closed on its own line (outside strings)? */
static bool array_closed(struct rp_str v)
{
    int depth = 0;
    bool instr = false;
    for (size_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (instr) {
            if (c == '\\')
                i++;
            else if (c == '"')
                instr = false;
        } else if (c == '"') {
            instr = true;
        } else if (c == '#') {
            break;
        } else if (c == '[') {
            depth++;
        } else if (c == ']') {
            depth--;
        }
    }
    return depth <= 0;
}

static bool is_key(struct rp_str k)
{
    if (!k.len) return false;
    for (size_t i = 0; i < k.len; i++) {
        char c = k.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

struct pkg {
    bool open;
    struct rp_str name, version;
};

static rp_err flush(const struct rp_vuln_inv_ctx *cx, struct pkg *k, rp_vuln_pkg_fn fn, void *ctx,
                    struct rp_errbuf *eb)
{
    rp_err rc = RP_OK;
    if (k->open)
        rc = rp_vuln_inv_emit(cx, ECO, k->name, (struct rp_str){0}, k->version, (struct rp_str){0},
                              PM, fn, ctx, eb);
    *k = (struct pkg){0};
    return rc;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    struct pkg cur = {0};
    bool in_array = false;
    size_t pos = 0, lineno = 0;
    while (pos < n) {
        const char *s = p + pos;
        const char *e = memchr(s, '\n', n - pos);
        size_t len = e ? (size_t)(e - s) : n - pos;
        pos += len + (e ? 1 : 0);
        lineno++;
        struct rp_str l = rp_str_trim((struct rp_str){s, len});
        if (in_array) {
            /* elements are strings; the array ends at a line starting with ']' */
            if (l.len && l.p[0] == ']') in_array = false;
            continue;
        }
        if (!l.len || l.p[0] == '#') continue;
        if (l.p[0] == '[') {
            rp_err rc = flush(cx, &cur, fn, ctx, eb);
            if (rc != RP_OK) return rc;
            if (!rp_str_has_suffix(l, "]"))
                return rp_fail(eb, RP_EPARSE, "%s:%zu: bad table header", cx->path, lineno);
            cur.open = rp_str_eq_cstr(l, "[[package]]");
            continue;
        }
        /* a key is bare or a quoted string ("checksum a 1.0" = ..), then '=' */
        const char *from = l.p;
        if (l.p[0] == '"') {
            const char *q = memchr(l.p + 1, '"', l.len - 1);
            from = q ? q + 1 : l.p + l.len;
        }
        const char *eq = memchr(from, '=', l.len - (size_t)(from - l.p));
        struct rp_str k =
            eq ? rp_str_trim((struct rp_str){l.p, (size_t)(eq - l.p)}) : (struct rp_str){0};
        if (!eq || (l.p[0] != '"' && !is_key(k)))
            return rp_fail(eb, RP_EPARSE, "%s:%zu: not TOML", cx->path, lineno);
        struct rp_str v = rp_str_trim((struct rp_str){eq + 1, l.len - (size_t)(eq + 1 - l.p)});
        if (v.len && v.p[0] == '[' && !array_closed(v)) in_array = true;
        if (!cur.open) continue;
        struct rp_str sv;
        if (rp_str_eq_cstr(k, "name") && str_value(v, &sv))
            cur.name = sv;
        else if (rp_str_eq_cstr(k, "version") && str_value(v, &sv))
            cur.version = sv;
    }
    return flush(cx, &cur, fn, ctx, eb);
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    return strcmp(rp_vuln_inv_basename(path), "Cargo.lock") == 0;
}

const struct rp_vuln_inventory_format rp_vuln_inv_cargo_lock = {
    .name = "cargo-lock",
    .detect = detect,
    .parse = parse,
};
