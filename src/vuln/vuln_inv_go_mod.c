/* SPDX-License-Identifier: Apache-2.0 */
/* Go modules inventory (vuln.h "package inventories"): go.mod and go.sum, ecosystem "Go",
 * packageManager "GOMOD".
 *   go.mod: `require` lines and blocks give module path + version; `// indirect` and other
 *   comments are ignored; a `replace` whose right side pins a version (`a => b v1.2.3`, or
 *   `a v1.0.0 => b v1.2.3` for that version only, which wins over the unversioned form) makes
 *   the requirement report b at v1.2.3, the code that is actually built; a replacement by a
 *   local directory (no version) leaves the requirement as written. `exclude`, `retract`,
 *   `tool`, `ignore`, `godebug`, `go`, `toolchain` and `module` are read and ignored; any
 *   other directive means the file is not a go.mod (RP_EPARSE), as does a block left open.
 *   go.sum: `module version[/go.mod] h1:hash` lines, each module/version reported once (the
 *   `/go.mod` hash line of a version whose code is also listed is the same package).
 * Versions keep their leading "v" ("v1.2.3") as Go writes them. OSV's Go SEMVER ranges omit
 * the "v"; the Go versioning scheme (vuln_ver_go.c) accepts both forms, so they compare.
 * Hand-written: go.mod is a line-oriented format with no Debian C library. */
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "vuln/vuln_inv_internal.h"
#include "vuln/vuln_purl.h"

#define ECO    "Go"
#define PM     "GOMOD"
#define MAXTOK 8

struct line_iter {
    const char *p;
    size_t n, pos, lineno;
};

static bool next_line(struct line_iter *it, struct rp_str *l)
{
    if (it->pos >= it->n) return false;
    const char *s = it->p + it->pos;
    const char *e = memchr(s, '\n', it->n - it->pos);
    size_t len = e ? (size_t)(e - s) : it->n - it->pos;
    it->pos += len + (e ? 1 : 0);
    it->lineno++;
    *l = (struct rp_str){s, len};
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split l (comment already removed) into tokens; quoted tokens lose their quotes. Returns
 * the count, or MAXTOK + 1 when there are too many. */
static size_t tokens(struct rp_str l, struct rp_str *tok)
{
    size_t k = 0, i = 0;
    while (i < l.len) {
        while (i < l.len && is_space(l.p[i])) i++;
        if (i >= l.len) break;
        if (k == MAXTOK) return MAXTOK + 1;
        if (l.p[i] == '"' || l.p[i] == '`') {
            char q = l.p[i++];
            size_t s = i;
            while (i < l.len && l.p[i] != q) i++;
            tok[k++] = (struct rp_str){l.p + s, i - s};
            if (i < l.len) i++;
        } else {
            size_t s = i;
            while (i < l.len && !is_space(l.p[i])) i++;
            tok[k++] = (struct rp_str){l.p + s, i - s};
        }
    }
    return k;
}

static struct rp_str uncomment(struct rp_str l)
{
    for (size_t i = 0; i + 1 < l.len; i++)
        if (l.p[i] == '/' && l.p[i + 1] == '/') {
            l.len = i;
            break;
        }
    return rp_str_trim(l);
}

struct req {
    struct rp_str path, version;
};

struct repl {
    struct rp_str old, oldv, new_, newv;
};

struct gomod {
    struct req *reqs;
    size_t nreq, capreq;
    struct repl *reps;
    size_t nrep, caprep;
};

static bool grow(void **a, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 16;
    void *q = realloc(*a, c * sz);
    if (!q) return false;
    *a = q;
    *cap = c;
    return true;
}

enum blk { B_NONE, B_REQUIRE, B_REPLACE, B_OTHER };

/* One require or replace entry (tokens without the verb); damaged ones are dropped. */
static rp_err entry(struct gomod *g, enum blk b, struct rp_str *t, size_t k)
{
    if (b == B_REQUIRE) {
        if (k != 2) return RP_OK;
        if (!grow((void **)&g->reqs, &g->capreq, g->nreq, sizeof *g->reqs)) return RP_ENOMEM;
        g->reqs[g->nreq++] = (struct req){t[0], t[1]};
    } else if (b == B_REPLACE) {
        size_t a = 0;
        while (a < k && !rp_str_eq_cstr(t[a], "=>")) a++;
        if (a == 0 || a > 2 || a == k || k - a - 1 < 1 || k - a - 1 > 2) return RP_OK;
        struct repl r = {t[0], a == 2 ? t[1] : (struct rp_str){0}, t[a + 1],
                         k - a - 1 == 2 ? t[a + 2] : (struct rp_str){0}};
        if (!grow((void **)&g->reps, &g->caprep, g->nrep, sizeof *g->reps)) return RP_ENOMEM;
        g->reps[g->nrep++] = r;
    }
    return RP_OK;
}

static enum blk verb(struct rp_str v, bool *known)
{
    static const char *const other[] = {"module",  "go",      "toolchain", "godebug",
                                        "exclude", "retract", "tool",      "ignore"};
    *known = true;
    if (rp_str_eq_cstr(v, "require")) return B_REQUIRE;
    if (rp_str_eq_cstr(v, "replace")) return B_REPLACE;
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        if (rp_str_eq_cstr(v, other[i])) return B_OTHER;
    *known = false;
    return B_NONE;
}

static rp_err parse_mod(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n,
                        rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    struct gomod g = {0};
    struct line_iter it = {p, n, 0, 0};
    struct rp_str l, t[MAXTOK];
    enum blk in = B_NONE;
    size_t open_line = 0;
    rp_err rc = RP_OK;
    while (rc == RP_OK && next_line(&it, &l)) {
        l = uncomment(l);
        if (!l.len) continue;
        size_t k = tokens(l, t);
        if (in != B_NONE) {
            if (k == 1 && rp_str_eq_cstr(t[0], ")"))
                in = B_NONE;
            else if (k <= MAXTOK)
                rc = entry(&g, in, t, k);
            if (rc == RP_ENOMEM) rc = rp_fail(eb, RP_ENOMEM, "go.mod: out of memory");
            continue;
        }
        bool known = false;
        enum blk b = k ? verb(t[0], &known) : B_NONE;
        if (!known) {
            rc = rp_fail(eb, RP_EPARSE, "%s:%zu: unknown directive '%.*s'", cx->path, it.lineno,
                         (int)(t[0].len > 40 ? 40 : t[0].len), t[0].p);
            break;
        }
        if (k == 2 && rp_str_eq_cstr(t[1], "(")) {
            in = b;
            open_line = it.lineno;
        } else if (k >= 2 && k <= MAXTOK) {
            rc = entry(&g, b, t + 1, k - 1);
            if (rc == RP_ENOMEM) rc = rp_fail(eb, RP_ENOMEM, "go.mod: out of memory");
        }
    }
    if (rc == RP_OK && in != B_NONE)
        rc = rp_fail(eb, RP_EPARSE, "%s:%zu: unterminated block", cx->path, open_line);
    for (size_t i = 0; rc == RP_OK && i < g.nreq; i++) {
        struct req r = g.reqs[i];
        const struct repl *best = NULL;
        for (size_t j = 0; j < g.nrep; j++) {
            const struct repl *x = &g.reps[j];
            if (!rp_str_eq(x->old, r.path)) continue;
            if (x->oldv.len && rp_str_eq(x->oldv, r.version))
                best = x; /* a versioned replace wins */
            else if (!x->oldv.len && (!best || !best->oldv.len))
                best = x;
        }
        if (best && best->newv.len) r = (struct req){best->new_, best->newv};
        rc = rp_vuln_inv_emit(cx, ECO, r.path, (struct rp_str){0}, r.version, (struct rp_str){0},
                              PM, fn, ctx, eb);
    }
    free(g.reqs);
    free(g.reps);
    return rc;
}

/* go.sum: a hash set of the module/version pairs already reported. */
struct seen {
    struct req *slot;
    size_t cap, n;
};

static uint64_t pair_hash(struct req r)
{
    return rp_hash_combine(rp_hash_xxh3_64(r.path.p, r.path.len, 0),
                           rp_hash_xxh3_64(r.version.p, r.version.len, 1));
}

/* Adds r; *fresh is false when it was there. RP_ENOMEM on allocation failure. */
static rp_err seen_add(struct seen *s, struct req r, bool *fresh)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t c = s->cap ? s->cap * 2 : 64;
        struct req *ns = calloc(c, sizeof *ns);
        if (!ns) return RP_ENOMEM;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i].path.p) continue;
            size_t h = (size_t)pair_hash(s->slot[i]) & (c - 1);
            while (ns[h].path.p) h = (h + 1) & (c - 1);
            ns[h] = s->slot[i];
        }
        free(s->slot);
        s->slot = ns;
        s->cap = c;
    }
    size_t h = (size_t)pair_hash(r) & (s->cap - 1);
    while (s->slot[h].path.p) {
        if (rp_str_eq(s->slot[h].path, r.path) && rp_str_eq(s->slot[h].version, r.version)) {
            *fresh = false;
            return RP_OK;
        }
        h = (h + 1) & (s->cap - 1);
    }
    s->slot[h] = r;
    s->n++;
    *fresh = true;
    return RP_OK;
}

static rp_err parse_sum(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n,
                        rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    struct line_iter it = {p, n, 0, 0};
    struct rp_str l, t[MAXTOK];
    struct seen s = {0};
    bool first = true;
    rp_err rc = RP_OK;
    while (rc == RP_OK && next_line(&it, &l)) {
        l = rp_str_trim(l);
        if (!l.len) continue;
        size_t k = tokens(l, t);
        bool ok = k == 3 && t[0].len && t[1].len > 1 && t[1].p[0] == 'v' &&
                  rp_str_has_prefix(t[2], "h1:");
        if (!ok) {
            if (first)
                rc = rp_fail(eb, RP_EPARSE, "%s:%zu: not a go.sum line", cx->path, it.lineno);
            continue; /* a damaged line */
        }
        first = false;
        struct req r = {t[0], t[1]};
        if (rp_str_has_suffix(r.version, "/go.mod")) r.version.len -= 7;
        bool fresh = false;
        if (seen_add(&s, r, &fresh) != RP_OK) {
            rc = rp_fail(eb, RP_ENOMEM, "go.sum: out of memory");
            break;
        }
        if (fresh)
            rc = rp_vuln_inv_emit(cx, ECO, r.path, (struct rp_str){0}, r.version,
                                  (struct rp_str){0}, PM, fn, ctx, eb);
    }
    free(s.slot);
    return rc;
}

static bool detect(const char *path, const char *head, size_t n)
{
    (void)head;
    (void)n;
    const char *b = rp_vuln_inv_basename(path);
    return strcmp(b, "go.mod") == 0 || strcmp(b, "go.sum") == 0;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    if (strcmp(rp_vuln_inv_basename(cx->path), "go.sum") == 0)
        return parse_sum(cx, p, n, fn, ctx, eb);
    return parse_mod(cx, p, n, fn, ctx, eb);
}

const struct rp_vuln_inventory_format rp_vuln_inv_go_mod = {
    .name = "go-mod",
    .detect = detect,
    .parse = parse,
};
