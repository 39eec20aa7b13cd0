/* SPDX-License-Identifier: Apache-2.0 */
/* pip requirements files (requirements.txt, requirements-dev.txt, ..) as a package inventory
 * (vuln.h, "package inventories"; vuln_inventories.def). Only pinned lines are packages:
 * `name==1.2.3` or `name===1.2.3`, with extras (`name[x,y]==1`), spaces around the operator,
 * an environment marker after ';', trailing options (`--hash=...`) and `#` comments ignored,
 * and lines continued with a final '\'. Everything else is skipped: ranges (`>=1`, `==1.*`,
 * `==1,!=1.1`), URLs and paths, `-r`/`-c`/`-e` and other options. Hand-written: the format is
 * pip's own line syntax, not a data format any library reads. A file holding a NUL byte is
 * refused (it is not text); any other file gives its pinned lines, possibly none. */
#include <string.h>

#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_inv_jspy.h"

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool name_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '-';
}

static bool version_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '!';
}

/* The pinned (name, version) of one logical line (comments and continuations removed). */
static bool pinned(struct rp_str s, struct rp_str *name, struct rp_str *version)
{
    s = rp_str_trim(s);
    if (s.len == 0 || s.p[0] == '-') return false; /* options: -r, -e, --hash, .. */
    const char *semi = memchr(s.p, ';', s.len);    /* environment marker */
    if (semi) s.len = (size_t)(semi - s.p);
    for (size_t i = 1; i < s.len; i++) { /* trailing options: " --hash=sha256:..." */
        if (s.p[i] == '-' && is_space(s.p[i - 1])) {
            s.len = i;
            break;
        }
    }
    s = rp_str_trim(s);
    size_t i = 0;
    while (i < s.len && name_char(s.p[i])) i++;
    if (i == 0 || !is_alnum(s.p[0]) || !is_alnum(s.p[i - 1])) return false;
    *name = (struct rp_str){s.p, i};
    if (i < s.len && s.p[i] == '[') { /* extras */
        const char *close = memchr(s.p + i, ']', s.len - i);
        if (!close) return false;
        i = (size_t)(close - s.p) + 1;
    }
    while (i < s.len && is_space(s.p[i])) i++;
    if (i + 2 > s.len || s.p[i] != '=' || s.p[i + 1] != '=') return false;
    i += 2;
    if (i < s.len && s.p[i] == '=') i++; /* === arbitrary equality */
    while (i < s.len && is_space(s.p[i])) i++;
    size_t v0 = i;
    while (i < s.len && version_char(s.p[i])) i++;
    if (i == v0 || i != s.len) return false; /* "==1.*", "==1,<2", "==" */
    *version = (struct rp_str){s.p + v0, i - v0};
    return true;
}

/* Line without its comment: '#' at the start or after a space. */
static struct rp_str uncomment(struct rp_str l)
{
    for (size_t i = 0; i < l.len; i++)
        if (l.p[i] == '#' && (i == 0 || is_space(l.p[i - 1]))) return (struct rp_str){l.p, i};
    return l;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    const char *nul = memchr(p, '\0', n);
    if (nul)
        return rp_fail(eb, RP_EPARSE, "%s:%zu: not a requirements file: NUL byte",
                       rp_vuln_jspy_path(cx), rp_vuln_inv_lineno(p, n, (size_t)(nul - p)));
    struct rp_vuln_jspy j;
    rp_vuln_jspy_init(&j, cx, "PyPI", "PIP", fn, ctx);
    /* A logical line is at most 4 KiB of joined continuations; longer ones are not
     * requirements anyone pins and are skipped. */
    char joined[4096];
    size_t jl = 0, pos = 0, lineno = 0;
    bool overflow = false;
    struct rp_str line;
    rp_err e = RP_OK;
    while (e == RP_OK && rp_vuln_inv_line(p, n, &pos, &line) && ++lineno) {
        struct rp_str l = uncomment(line);
        struct rp_str tr = rp_str_trim(l);
        bool cont = tr.len && tr.p[tr.len - 1] == '\\';
        if (cont) l = (struct rp_str){tr.p, tr.len - 1};
        if (jl + l.len + 1 > sizeof joined) {
            overflow = true;
        } else {
            memcpy(joined + jl, l.p, l.len);
            jl += l.len;
            joined[jl++] = ' ';
        }
        if (cont && pos < n) continue;
        struct rp_str name = {0}, version = {0};
        if (!overflow && pinned((struct rp_str){joined, jl}, &name, &version))
            e = rp_vuln_jspy_emit(&j, name, version, eb);
        jl = 0;
        overflow = false;
    }
    rp_vuln_jspy_release(&j);
    return e;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    struct rp_str b = rp_str_from(rp_vuln_inv_basename(path));
    return rp_str_has_prefix(b, "requirements") && rp_str_has_suffix(b, ".txt");
}

const struct rp_vuln_inventory_format rp_vuln_inv_requirements = {
    .name = "requirements",
    .detect = detect,
    .parse = parse,
};
