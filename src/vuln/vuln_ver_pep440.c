/* SPDX-License-Identifier: Apache-2.0 */
/* PEP 440 versions for the OSV ecosystem "PyPI" (rp_vuln_ver_pep440, vuln.h), and PEP 440
 * specifier sets (rp_pep440_contains) and normal forms (rp_pep440_normalize).
 *
 * A version is [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], written with the spellings PEP 440
 * accepts and normalises: any case, an optional leading 'v', surrounding whitespace, '.', '-'
 * or '_' (or nothing) before each suffix, alpha/beta/c/pre/preview for a/b/rc, rev/r for post,
 * "-N" as an implicit post-release, a missing suffix number as 0, and local segments separated
 * by '.', '-' or '_'. The parser follows the PEP's grammar exactly as a backtracking regular
 * expression would (so "1.0a." is a version, "1.0." is not). Ordering is PEP 440's: epoch,
 * release (trailing zeros ignored), dev-only releases before pre-releases, pre-releases (a < b <
 * rc) before the final release, post-releases after it, dev releases before what they
 * precede, then local versions (none first; numeric segments after alphanumeric ones).
 * Numbers have no size limit. docs/vuln-versions-lang.md has the rules with examples. */
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

/* A parsed version: slices of the input, numbers as digit runs (empty means 0). */
struct pepv {
    struct rp_str epoch;   /* digits, may be empty (no epoch) */
    struct rp_str release; /* digits separated by single dots */
    int pre;               /* 0 none, 1 a, 2 b, 3 rc */
    struct rp_str pre_n;
    bool post;
    struct rp_str post_n;
    bool dev;
    struct rp_str dev_n;
    bool local;
    struct rp_str local_s; /* after the '+': alnum runs separated by '.', '-' or '_' */
};

/* Parser state: the trimmed input and the captures of the path being tried. */
struct pctx {
    const char *s;
    size_t n;
    struct pepv v;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_sep(char c)
{
    return c == '.' || c == '-' || c == '_';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Length of the whitespace character (Python's str.isspace(), UTF-8 encoded) starting at
 * s[i], or 0. */
static size_t ws_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if ((c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20)) return 1;
    if (c == 0xc2 && i + 1 < n) {
        unsigned char d = (unsigned char)s[i + 1];
        return (d == 0x85 || d == 0xa0) ? 2 : 0;
    }
    if (i + 2 >= n) return 0;
    unsigned char d = (unsigned char)s[i + 1], e = (unsigned char)s[i + 2];
    if (c == 0xe1 && d == 0x9a && e == 0x80) return 3; /* U+1680 */
    if (c == 0xe2 && d == 0x80 && ((e >= 0x80 && e <= 0x8a) || e == 0xa8 || e == 0xa9 || e == 0xaf))
        return 3;                                      /* U+2000..200A, U+2028, U+2029, U+202F */
    if (c == 0xe2 && d == 0x81 && e == 0x9f) return 3; /* U+205F */
    if (c == 0xe3 && d == 0x80 && e == 0x80) return 3; /* U+3000 */
    return 0;
}

/* Length of the whitespace character ending at s[n-1], or 0. */
static size_t ws_before(const char *s, size_t n)
{
    if (n >= 1 && ws_at(s, n, n - 1) == 1) return 1;
    if (n >= 2 && ws_at(s, n, n - 2) == 2) return 2;
    if (n >= 3 && ws_at(s, n, n - 3) == 3) return 3;
    return 0;
}

static struct rp_str trim_ws(struct rp_str v)
{
    size_t k;
    while (v.len > 0 && (k = ws_at(v.p, v.len, 0)) > 0) v.p += k, v.len -= k;
    while (v.len > 0 && (k = ws_before(v.p, v.len)) > 0) v.len -= k;
    return v;
}

/* Case-insensitive match of the lower-case word w at s[i]. */
static bool word_at(const struct pctx *c, size_t i, const char *w)
{
    size_t k = strlen(w);
    if (i + k > c->n) return false;
    for (size_t j = 0; j < k; j++)
        if (lower(c->s[i + j]) != w[j]) return false;
    return true;
}

typedef bool (*stage_fn)(struct pctx *c, size_t i);

static bool m_end(struct pctx *c, size_t i)
{
    return i == c->n;
}

/* '+' alnum+ ([-_.] alnum+)* then the end, or nothing then the end. */
static bool m_local(struct pctx *c, size_t i)
{
    if (i < c->n && c->s[i] == '+') {
        size_t j = i + 1;
        while (j < c->n && is_alnum(c->s[j])) j++;
        if (j > i + 1) {
            while (j + 1 < c->n && is_sep(c->s[j]) && is_alnum(c->s[j + 1])) {
                j++;
                while (j < c->n && is_alnum(c->s[j])) j++;
            }
            if (m_end(c, j)) {
                c->v.local = true;
                c->v.local_s = (struct rp_str){c->s + i + 1, j - i - 1};
                return true;
            }
        }
    }
    c->v.local = false;
    c->v.local_s = (struct rp_str){c->s + i, 0};
    return m_end(c, i);
}

/* The "[-_.]? [0-9]*" after a suffix label at s[j], then next(). A separator is taken when
 * that lets the rest match (greedy first, as the regular expression tries it). */
static bool num_tail(struct pctx *c, size_t j, struct rp_str *num, stage_fn next)
{
    if (j < c->n && is_sep(c->s[j])) {
        size_t d = j + 1;
        while (d < c->n && is_digit(c->s[d])) d++;
        *num = (struct rp_str){c->s + j + 1, d - j - 1};
        if (next(c, d)) return true;
    }
    size_t d = j;
    while (d < c->n && is_digit(c->s[d])) d++;
    *num = (struct rp_str){c->s + j, d - j};
    return next(c, d);
}

static bool m_dev(struct pctx *c, size_t i)
{
    size_t j = i + (i < c->n && is_sep(c->s[i]));
    if (word_at(c, j, "dev")) {
        c->v.dev = true;
        if (num_tail(c, j + 3, &c->v.dev_n, m_local)) return true;
    }
    c->v.dev = false;
    c->v.dev_n = (struct rp_str){c->s + i, 0};
    return m_local(c, i);
}

static bool m_post(struct pctx *c, size_t i)
{
    static const char *const labels[] = {"post", "rev", "r"};
    if (i + 1 < c->n && c->s[i] == '-' && is_digit(c->s[i + 1])) {
        size_t d = i + 1;
        while (d < c->n && is_digit(c->s[d])) d++;
        c->v.post = true;
        c->v.post_n = (struct rp_str){c->s + i + 1, d - i - 1};
        if (m_dev(c, d)) return true;
    }
    size_t j = i + (i < c->n && is_sep(c->s[i]));
    for (size_t k = 0; k < RP_ARRAY_LEN(labels); k++) {
        if (!word_at(c, j, labels[k])) continue;
        c->v.post = true;
        if (num_tail(c, j + strlen(labels[k]), &c->v.post_n, m_dev)) return true;
    }
    c->v.post = false;
    c->v.post_n = (struct rp_str){c->s + i, 0};
    return m_dev(c, i);
}

static bool m_pre(struct pctx *c, size_t i)
{
    /* in the order of the PEP's regular expression; a longer spelling first */
    static const struct {
        const char *w;
        int kind;
    } labels[] = {{"alpha", 1},   {"a", 1},   {"beta", 2}, {"b", 2},
                  {"preview", 3}, {"pre", 3}, {"c", 3},    {"rc", 3}};
    size_t j = i + (i < c->n && is_sep(c->s[i]));
    for (size_t k = 0; k < RP_ARRAY_LEN(labels); k++) {
        if (!word_at(c, j, labels[k].w)) continue;
        c->v.pre = labels[k].kind;
        if (num_tail(c, j + strlen(labels[k].w), &c->v.pre_n, m_post)) return true;
    }
    c->v.pre = 0;
    c->v.pre_n = (struct rp_str){c->s + i, 0};
    return m_post(c, i);
}

/* Parse v (surrounding whitespace allowed). False when v is not a PEP 440 version. */
static bool parse(struct rp_str v, struct pepv *out)
{
    v = trim_ws(v);
    struct pctx c = {.s = v.p, .n = v.len};
    size_t i = 0;
    if (i < c.n && lower(c.s[i]) == 'v') i++;
    size_t d = i;
    while (d < c.n && is_digit(c.s[d])) d++;
    if (d > i && d < c.n && c.s[d] == '!') {
        c.v.epoch = (struct rp_str){c.s + i, d - i};
        i = d + 1;
    }
    if (i >= c.n || !is_digit(c.s[i])) return false;
    d = i;
    while (d < c.n && is_digit(c.s[d])) d++;
    while (d + 1 < c.n && c.s[d] == '.' && is_digit(c.s[d + 1])) {
        d++;
        while (d < c.n && is_digit(c.s[d])) d++;
    }
    c.v.release = (struct rp_str){c.s + i, d - i};
    if (!m_pre(&c, d)) return false;
    *out = c.v;
    return true;
}

/* ---- ordering ------------------------------------------------------------------------- */

/* Two digit runs as numbers of any size (empty is 0). */
static int numcmp(struct rp_str a, struct rp_str b)
{
    while (a.len > 0 && a.p[0] == '0') a.p++, a.len--;
    while (b.len > 0 && b.p[0] == '0') b.p++, b.len--;
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    int r = a.len ? memcmp(a.p, b.p, a.len) : 0;
    return (r > 0) - (r < 0);
}

/* Next '.'-separated component of *rest into *tok; an exhausted list yields "" (zero). */
static void next_comp(struct rp_str *rest, struct rp_str *tok)
{
    size_t k = 0;
    while (k < rest->len && rest->p[k] != '.') k++;
    *tok = (struct rp_str){rest->p, k};
    size_t skip = k < rest->len ? k + 1 : k;
    rest->p += skip;
    rest->len -= skip;
}

/* Releases compared component by component, the shorter padded with zeros (the same as
 * comparing them with trailing zeros removed). */
static int release_cmp(struct rp_str a, struct rp_str b)
{
    while (a.len > 0 || b.len > 0) {
        struct rp_str x, y;
        next_comp(&a, &x);
        next_comp(&b, &y);
        int r = numcmp(x, y);
        if (r) return r;
    }
    return 0;
}

/* Next local segment (split at '.', '-', '_'), or false when none is left. */
static bool next_local(struct rp_str *rest, struct rp_str *tok)
{
    if (rest->len == 0) return false;
    size_t k = 0;
    while (k < rest->len && !is_sep(rest->p[k])) k++;
    *tok = (struct rp_str){rest->p, k};
    size_t skip = k < rest->len ? k + 1 : k;
    rest->p += skip;
    rest->len -= skip;
    return true;
}

static bool all_digits(struct rp_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!is_digit(s.p[i])) return false;
    return s.len > 0;
}

/* Local versions: segment by segment; a numeric segment is greater than an alphanumeric one,
 * numbers compare as numbers, strings case-insensitively; a prefix sorts first. */
static int local_cmp(struct rp_str a, struct rp_str b)
{
    for (;;) {
        struct rp_str x = {0}, y = {0};
        bool hx = next_local(&a, &x), hy = next_local(&b, &y);
        if (!hx || !hy) return hx == hy ? 0 : (hx ? 1 : -1);
        bool nx = all_digits(x), ny = all_digits(y);
        if (nx != ny) return nx ? 1 : -1;
        if (nx) {
            int r = numcmp(x, y);
            if (r) return r;
            continue;
        }
        for (size_t i = 0; i < x.len && i < y.len; i++) {
            char p = lower(x.p[i]), q = lower(y.p[i]);
            if (p != q) return (unsigned char)p < (unsigned char)q ? -1 : 1;
        }
        if (x.len != y.len) return x.len < y.len ? -1 : 1;
    }
}

/* Where the pre-release part puts a version: a dev release of a final version before every
 * pre-release (0), pre-releases (1), everything without a pre-release (2). */
static int pre_class(const struct pepv *v)
{
    if (!v->pre && !v->post && v->dev) return 0;
    return v->pre ? 1 : 2;
}

static int pepv_cmp(const struct pepv *a, const struct pepv *b, bool with_local)
{
    int r = numcmp(a->epoch, b->epoch);
    if (!r) r = release_cmp(a->release, b->release);
    if (r) return r;
    int ca = pre_class(a), cb = pre_class(b);
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca == 1) {
        if (a->pre != b->pre) return a->pre < b->pre ? -1 : 1;
        if ((r = numcmp(a->pre_n, b->pre_n))) return r;
    }
    if (a->post != b->post) return a->post ? 1 : -1;
    if (a->post && (r = numcmp(a->post_n, b->post_n))) return r;
    if (a->dev != b->dev) return a->dev ? -1 : 1;
    if (a->dev && (r = numcmp(a->dev_n, b->dev_n))) return r;
    if (!with_local) return 0;
    if (a->local != b->local) return a->local ? 1 : -1;
    return a->local ? local_cmp(a->local_s, b->local_s) : 0;
}

static int bytes_cmp(struct rp_str a, struct rp_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    if (r) return r < 0 ? -1 : 1;
    return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

/* Invalid versions sort before valid ones, bytewise among themselves (upstream refuses
 * them). */
static int cmp(struct rp_str a, struct rp_str b)
{
    struct pepv x, y;
    bool vx = parse(a, &x), vy = parse(b, &y);
    if (!vx || !vy) return vx == vy ? bytes_cmp(a, b) : (vx ? 1 : -1);
    return pepv_cmp(&x, &y, true);
}

static bool valid(struct rp_str v)
{
    struct pepv x;
    return parse(v, &x);
}

static const char *const ecosystems[] = {"PyPI", NULL};

const struct rp_vuln_versioning rp_vuln_ver_pep440 = {
    .name = "pep440",
    .ecosystems = ecosystems,
    .cmp = cmp,
    .valid = valid,
};

/* ---- normal form ------------------------------------------------------------------------ */

struct out {
    char *buf;
    size_t size, len;
    bool over;
};

static void put(struct out *o, const char *p, size_t n)
{
    if (o->over || o->len + n >= o->size) {
        o->over = true;
        return;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put_num(struct out *o, struct rp_str d)
{
    while (d.len > 1 && d.p[0] == '0') d.p++, d.len--;
    if (d.len == 0) d = RP_STR_LIT("0");
    put(o, d.p, d.len);
}

static void put_str(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static bool is_zero(struct rp_str d)
{
    for (size_t i = 0; i < d.len; i++)
        if (d.p[i] != '0') return false;
    return true;
}

rp_err rp_pep440_normalize(struct rp_str v, char *buf, size_t bufsz, struct rp_errbuf *eb)
{
    struct pepv x;
    if (!parse(v, &x))
        return rp_fail(eb, RP_EPARSE, "pep440: invalid version '%.*s'", (int)v.len, v.p);
    struct out o = {buf, bufsz, 0, bufsz == 0};
    if (bufsz) buf[0] = '\0';
    if (!is_zero(x.epoch)) {
        put_num(&o, x.epoch);
        put(&o, "!", 1);
    }
    struct rp_str rest = x.release, tok;
    for (bool first = true; rest.len > 0; first = false) {
        next_comp(&rest, &tok);
        if (!first) put(&o, ".", 1);
        put_num(&o, tok);
    }
    if (x.pre) {
        put_str(&o, x.pre == 1 ? "a" : x.pre == 2 ? "b" : "rc");
        put_num(&o, x.pre_n);
    }
    if (x.post) {
        put_str(&o, ".post");
        put_num(&o, x.post_n);
    }
    if (x.dev) {
        put_str(&o, ".dev");
        put_num(&o, x.dev_n);
    }
    if (x.local) {
        put(&o, "+", 1);
        rest = x.local_s;
        for (bool first = true; next_local(&rest, &tok); first = false) {
            if (!first) put(&o, ".", 1);
            if (all_digits(tok)) {
                put_num(&o, tok);
                continue;
            }
            for (size_t i = 0; i < tok.len; i++) {
                char ch = lower(tok.p[i]);
                put(&o, &ch, 1);
            }
        }
    }
    if (o.over)
        return rp_fail(eb, RP_ELIMIT, "pep440: normal form of '%.*s' longer than %zu bytes",
                       (int)v.len, v.p, bufsz ? bufsz - 1 : 0);
    return RP_OK;
}

/* ---- specifiers ------------------------------------------------------------------------- */

enum spec_op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARB };

struct spec {
    enum spec_op op;
    struct rp_str text; /* the version part, trimmed */
    bool wildcard;      /* "==V.*" or "!=V.*": text is V without ".*" */
    struct pepv v;      /* parsed text (all but ===, which keeps the text only) */
    bool v_ok;          /* v is set */
};

/* "[v][N!]N(.N)*": what may precede ".*". */
static bool is_prefix_version(struct rp_str t)
{
    size_t i = 0;
    if (i < t.len && lower(t.p[i]) == 'v') i++;
    size_t d = i;
    while (d < t.len && is_digit(t.p[d])) d++;
    if (d > i && d < t.len && t.p[d] == '!') i = d + 1;
    if (i >= t.len || !is_digit(t.p[i])) return false;
    while (i < t.len && is_digit(t.p[i])) i++;
    while (i + 1 < t.len && t.p[i] == '.' && is_digit(t.p[i + 1])) {
        i++;
        while (i < t.len && is_digit(t.p[i])) i++;
    }
    return i == t.len;
}

static size_t count_comps(struct rp_str release)
{
    size_t n = 1;
    for (size_t i = 0; i < release.len; i++) n += release.p[i] == '.';
    return n;
}

/* One specifier (already trimmed, not empty). */
static bool spec_parse(struct rp_str t, struct spec *sp)
{
    static const struct {
        const char *s;
        enum spec_op op;
    } ops[] = {{"===", OP_ARB}, {"~=", OP_COMPAT}, {"==", OP_EQ}, {"!=", OP_NE},
               {"<=", OP_LE},   {">=", OP_GE},     {"<", OP_LT},  {">", OP_GT}};
    memset(sp, 0, sizeof *sp);
    size_t k = 0;
    for (;; k++) {
        if (k == RP_ARRAY_LEN(ops)) return false;
        size_t n = strlen(ops[k].s);
        if (t.len >= n && memcmp(t.p, ops[k].s, n) == 0) {
            t.p += n;
            t.len -= n;
            break;
        }
    }
    sp->op = ops[k].op;
    sp->text = trim_ws(t);
    struct rp_str x = sp->text;
    if (sp->op == OP_ARB) {
        for (size_t i = 0; i < x.len; i++)
            if (x.p[i] == ';' || x.p[i] == ')' || ws_at(x.p, x.len, i)) return false;
        sp->v_ok = parse(x, &sp->v);
        return true;
    }
    if ((sp->op == OP_EQ || sp->op == OP_NE) && rp_str_has_suffix(x, ".*")) {
        x.len -= 2;
        if (!is_prefix_version(x)) return false;
        sp->wildcard = true;
        sp->text = x;
        sp->v_ok = parse(x, &sp->v);
        return sp->v_ok;
    }
    if (x.len == 0 || !parse(x, &sp->v)) return false;
    sp->v_ok = true;
    if (sp->v.local && sp->op != OP_EQ && sp->op != OP_NE) return false;
    if (sp->op == OP_COMPAT && count_comps(sp->v.release) < 2) return false;
    return true;
}

static bool is_pre(const struct pepv *v)
{
    return v->pre || v->dev;
}

/* Does this specifier name a pre-release (and so let pre-releases match)? '!=' never does. */
static bool spec_prereleases(const struct spec *sp)
{
    if (sp->op == OP_NE || !sp->v_ok || sp->wildcard) return false;
    return is_pre(&sp->v);
}

/* Same epoch and release, trailing zeros ignored. */
static bool base_eq(const struct pepv *a, const struct pepv *b)
{
    return numcmp(a->epoch, b->epoch) == 0 && release_cmp(a->release, b->release) == 0;
}

/* epoch equal and the first components of v's release (padded with zeros) equal prefix's. */
static bool prefix_match(const struct pepv *v, const struct pepv *prefix)
{
    if (numcmp(v->epoch, prefix->epoch) != 0) return false;
    struct rp_str a = v->release, b = prefix->release, x, y;
    while (b.len > 0) {
        next_comp(&a, &x);
        next_comp(&b, &y);
        if (numcmp(x, y) != 0) return false;
    }
    return true;
}

static bool spec_match(const struct spec *sp, const struct pepv *v, struct rp_str vtext)
{
    const struct pepv *s = &sp->v;
    switch (sp->op) {
    case OP_ARB: {
        /* the normal form grows by at most 8 bytes (a0, .post0, .dev0) */
        size_t size = vtext.len + 16;
        char *norm = malloc(size);
        if (!norm) return false;
        bool eq = rp_pep440_normalize(vtext, norm, size, NULL) == RP_OK &&
                  rp_str_eq_nocase(rp_str_from(norm), sp->text);
        free(norm);
        return eq;
    }
    case OP_EQ:
    case OP_NE: {
        bool eq = sp->wildcard ? prefix_match(v, s) : pepv_cmp(v, s, s->local) == 0;
        return sp->op == OP_EQ ? eq : !eq;
    }
    case OP_LE:
        return pepv_cmp(v, s, false) <= 0;
    case OP_GE:
        return pepv_cmp(v, s, false) >= 0;
    case OP_LT:
        if (pepv_cmp(v, s, true) >= 0) return false;
        /* <V does not match a pre-release of V unless V is one */
        return !(!is_pre(s) && is_pre(v) && base_eq(v, s));
    case OP_GT:
        if (pepv_cmp(v, s, true) <= 0) return false;
        /* >V does not match a post-release or a local version of V unless V is one */
        if (!s->post && v->post && base_eq(v, s)) return false;
        return !(v->local && base_eq(v, s));
    case OP_COMPAT: {
        if (pepv_cmp(v, s, false) < 0) return false;
        struct pepv prefix = *s;
        size_t k = prefix.release.len;
        while (k > 0 && prefix.release.p[k - 1] != '.') k--;
        prefix.release.len = k - 1; /* at least two components: k > 0 */
        return prefix_match(v, &prefix);
    }
    }
    return false;
}

/* Next non-empty, trimmed, comma-separated item of *rest. */
static bool next_spec(struct rp_str *rest, struct rp_str *tok)
{
    while (rp_str_split_next(rest, ',', tok)) {
        *tok = trim_ws(*tok);
        if (tok->len > 0) return true;
    }
    return false;
}

rp_err rp_pep440_contains(struct rp_str specifiers, struct rp_str version, bool prereleases,
                          bool *out, struct rp_errbuf *eb)
{
    *out = false;
    bool allow_pre = prereleases;
    struct rp_str rest = specifiers, tok;
    struct spec sp;
    while (next_spec(&rest, &tok)) {
        if (!spec_parse(tok, &sp))
            return rp_fail(eb, RP_EPARSE, "pep440: invalid specifier '%.*s'", (int)tok.len, tok.p);
        allow_pre = allow_pre || spec_prereleases(&sp);
    }
    struct pepv v;
    if (!parse(version, &v)) return RP_OK;
    if (is_pre(&v) && !allow_pre) return RP_OK;
    rest = specifiers;
    while (next_spec(&rest, &tok)) /* every clause parsed above */
        if (!spec_parse(tok, &sp) || !spec_match(&sp, &v, version)) return RP_OK;
    *out = true;
    return RP_OK;
}
