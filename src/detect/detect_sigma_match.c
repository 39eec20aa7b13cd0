/* SPDX-License-Identifier: Apache-2.0 */
/* Sigma rules (docs/sigma.md): evaluation of compiled rules against one event. A field's
 * candidates are the column's value, or the values a JSON path reaches below a JSON column
 * (an array anywhere on the way: each element, so user.groups or resources.ARN match when one
 * element does); the JSON columns are parsed at most once per event, whatever the number of
 * rules (the set's cache, keyed by the event's seq and the column's bytes). Values compare
 * case-insensitively (ASCII) unless compiled 'cased'; nothing here allocates, except the JSON
 * parsers' buffers and the regex scratch, which are reused from event to event. */
#define RP_LOG_MODULE "detect"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_sigma_impl.h"
#include "core/rp_banned.h"

/* ---- JSON cache -------------------------------------------------------------------------- */

bool rp_det_sigma_json(struct rp_det_sigma_set *set, const struct rp_det_event *ev, unsigned col,
                       struct rp_json_val *root)
{
    struct rp_str s = rp_det_str(ev, col);
    if (!s.p || col >= RP_DET_MAX_STR) return false;
    struct sg_jcache *jc = &set->jc[ev->src == RP_DET_SRC_K8S][col];
    if (jc->valid && jc->seq == ev->seq && jc->ptr == s.p && jc->len == s.len) {
        *root = jc->root;
        return jc->ok;
    }
    if (!jc->p && !(jc->p = rp_json_parser_new())) {
        set->err = RP_ENOMEM;
        return false;
    }
    rp_err e = rp_json_parse(jc->p, s.p, s.len, &jc->root, NULL);
    set->parses++;
    if (e == RP_ENOMEM) {
        set->err = RP_ENOMEM;
        jc->valid = false;
        return false;
    }
    jc->valid = true;
    jc->seq = ev->seq;
    jc->ptr = s.p;
    jc->len = s.len;
    jc->ok = e == RP_OK;
    *root = jc->root;
    return jc->ok;
}

/* ---- candidates -------------------------------------------------------------------------- */

/* One value of a field in the event. */
struct cand {
    struct rp_str text; /* p == NULL: no text (JSON null, or an object below a path) */
    bool null;
    bool isnum;
    double num;
};

typedef bool (*cand_fn)(void *ctx, const struct cand *c); /* true stops the walk */

static bool emit_json(struct rp_json_val v, cand_fn fn, void *ctx)
{
    char buf[48];
    struct cand c = {{NULL, 0}, false, false, 0};
    int64_t i = 0;
    bool b = false;
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &c.text)) return false;
        break;
    case RP_JSON_INT:
        if (rp_json_get_i64(v, &i)) return false;
        c.text = (struct rp_str){buf, (size_t)snprintf(buf, sizeof buf, "%lld", (long long)i)};
        c.isnum = true;
        c.num = (double)i;
        break;
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &c.num)) return false;
        c.text = (struct rp_str){buf, (size_t)snprintf(buf, sizeof buf, "%.15g", c.num)};
        c.isnum = true;
        break;
    case RP_JSON_BOOL:
        if (rp_json_get_bool(v, &b)) return false;
        c.text = b ? RP_STR_LIT("true") : RP_STR_LIT("false");
        break;
    case RP_JSON_NULL:
        c.null = true;
        break;
    case RP_JSON_ARRAY: {
        struct rp_json_iter it;
        struct rp_json_val el;
        if (rp_json_arr_iter(v, &it)) return false;
        if (!rp_json_len(v)) break; /* present (not null), but nothing to compare */
        while (rp_json_arr_next(&it, &el))
            if (emit_json(el, fn, ctx)) return true;
        return false;
    }
    case RP_JSON_OBJECT:
        break; /* present, but no text to compare */
    default:
        return false;
    }
    return fn(ctx, &c);
}

static bool walk(struct rp_json_val v, const struct rp_str *path, size_t npath, cand_fn fn,
                 void *ctx)
{
    if (!npath) return emit_json(v, fn, ctx);
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_OBJECT) {
        struct rp_json_val m;
        if (rp_json_obj_getn(v, path[0].p, path[0].len, &m)) return false;
        return walk(m, path + 1, npath - 1, fn, ctx);
    }
    if (t == RP_JSON_ARRAY) {
        struct rp_json_iter it;
        struct rp_json_val el;
        if (rp_json_arr_iter(v, &it)) return false;
        while (rp_json_arr_next(&it, &el))
            if (walk(el, path, npath, fn, ctx)) return true;
    }
    return false;
}

/* Call fn with each candidate of field f in ev; true when fn stopped the walk. */
static bool cands(struct rp_det_sigma_set *set, const struct rp_det_event *ev,
                  const struct sg_field *f, cand_fn fn, void *ctx)
{
    if (f->integer) {
        if (!rp_det_has(ev, f->col)) return false;
        char buf[32];
        int64_t v = ev->i[f->col];
        struct cand c = {{buf, 0}, false, true, (double)v};
        if (f->boolean)
            c.text = v ? RP_STR_LIT("true") : RP_STR_LIT("false");
        else
            c.text.len = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)v);
        return fn(ctx, &c);
    }
    struct rp_str s = rp_det_str(ev, f->col);
    if (!s.p) return false;
    if (f->json) {
        size_t k = 0;
        while (k < s.len && (s.p[k] == ' ' || s.p[k] == '\t' || s.p[k] == '\n' || s.p[k] == '\r'))
            k++;
        if (!f->npath && k < s.len && s.p[k] == '{') {
            /* a whole object: its JSON text */
            struct cand c = {s, false, false, 0};
            return fn(ctx, &c);
        }
        struct rp_json_val root;
        if (rp_det_sigma_json(set, ev, f->col, &root))
            return walk(root, f->path, f->npath, fn, ctx);
        if (f->npath) return false;
        /* not JSON after all: the text itself */
    }
    struct cand c = {s, false, false, 0};
    return fn(ctx, &c);
}

/* ---- comparisons ------------------------------------------------------------------------- */

static inline unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* s[0..n) equals pat[0..n) (pat lower-cased unless cased). */
static bool same(const char *s, const char *pat, size_t n, bool cased)
{
    if (cased) return memcmp(s, pat, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)pat[i]) return false;
    return true;
}

/* pat[0..m) anywhere in s. The candidate starts are found with memchr, once for each case of
 * pat's first letter, which runs at memory speed where a byte loop would not. */
static bool contains(struct rp_str s, const char *pat, size_t m, bool cased)
{
    if (!m) return true;
    if (s.len < m) return false;
    unsigned char lo = (unsigned char)pat[0];
    unsigned char up = !cased && lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 32) : lo;
    size_t span = s.len - m + 1; /* places a match can start */
    const char *base = s.p;
    const char *a = memchr(base, lo, span);
    const char *b = up != lo ? memchr(base, up, span) : NULL;
    while (a || b) {
        const char *at = !a ? b : !b ? a : a < b ? a : b;
        if (same(at + 1, pat + 1, m - 1, cased)) return true;
        size_t off = (size_t)(at - base) + 1;
        if (at == a)
            a = off < span ? memchr(base + off, lo, span - off) : NULL;
        else
            b = off < span ? memchr(base + off, up, span - off) : NULL;
    }
    return false;
}

/* Length of the UTF-8 character starting at s[0] (1 for a stray byte), within n bytes. */
static size_t utf8_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    if (k > n) return 1;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80) return 1;
    return k;
}

/* Wildcard match: '*' any run of bytes, '?' one character, where wild[] marks them. */
static bool glob(struct rp_str s, const struct sg_value *v)
{
    const char *p = v->pat;
    size_t m = v->len, i = 0, j = 0, sj = SIZE_MAX, si = 0;
    while (i < s.len) {
        if (j < m && v->wild[j] && p[j] == '*') {
            sj = j++;
            si = i;
            continue;
        }
        if (j < m && v->wild[j]) { /* '?' */
            i += utf8_len(s.p + i, s.len - i);
            j++;
            continue;
        }
        if (j < m && same(s.p + i, p + j, 1, v->cased)) {
            i++;
            j++;
            continue;
        }
        if (sj == SIZE_MAX) return false;
        j = sj + 1;
        si += utf8_len(s.p + si, s.len - si);
        i = si;
    }
    while (j < m && v->wild[j] && p[j] == '*') j++;
    return j == m;
}

static bool as_number(const struct cand *c, double *out)
{
    if (c->isnum) {
        *out = c->num;
        return true;
    }
    char buf[64];
    if (!c->text.len || c->text.len >= sizeof buf) return false;
    memcpy(buf, c->text.p, c->text.len);
    buf[c->text.len] = 0;
    if (buf[0] == ' ' || buf[0] == '\t' || buf[0] == '\n') return false;
    char *end = NULL;
    double d = strtod(buf, &end);
    if (!end || *end || !isfinite(d)) return false;
    *out = d;
    return true;
}

static int on_re(void *ctx, unsigned pattern, size_t start, size_t end)
{
    (void)pattern;
    (void)start;
    (void)end;
    *(bool *)ctx = true;
    return 1;
}

static bool re_match(struct rp_det_sigma_set *set, unsigned re, struct rp_str s)
{
    if (!set->re || re >= set->npats) return false;
    bool hit = false;
    set->re_on[re] = 1;
    rp_err e = rp_re_scan_ex(set->re, set->re_scr, s.p, s.len, set->re_on, on_re, &hit, NULL);
    set->re_on[re] = 0;
    if (e == RP_ENOMEM) set->err = RP_ENOMEM;
    return hit; /* RP_ELIMIT (a pathological pattern): no match */
}

struct vm {
    struct rp_det_sigma_set *set;
    const struct sg_value *v;
};

static bool value_match(void *ctx, const struct cand *c)
{
    const struct vm *x = ctx;
    const struct sg_value *v = x->v;
    double d = 0;
    struct rp_ip ip;
    if (v->op >= SG_LT && v->op <= SG_GTE) {
        if (c->null || !c->text.p || !as_number(c, &d)) return false;
        switch (v->op) {
        case SG_LT:
            return d < v->num;
        case SG_LTE:
            return d <= v->num;
        case SG_GT:
            return d > v->num;
        default:
            return d >= v->num;
        }
    }
    if (c->null || !c->text.p) return false;
    struct rp_str s = c->text;
    switch (v->op) {
    case SG_EQ:
        return s.len == v->len && same(s.p, v->pat, v->len, v->cased);
    case SG_PREFIX:
        return s.len >= v->len && same(s.p, v->pat, v->len, v->cased);
    case SG_SUFFIX:
        return s.len >= v->len && same(s.p + s.len - v->len, v->pat, v->len, v->cased);
    case SG_CONTAINS:
        return contains(s, v->pat, v->len, v->cased);
    case SG_GLOB:
        return glob(s, v);
    case SG_RE:
        return re_match(x->set, v->re, s);
    case SG_CIDR:
        return rp_ip_parse(s, &ip, NULL) == RP_OK && rp_cidr_contains(&v->cidr, &ip);
    default:
        return false;
    }
}

static bool any_cand(void *ctx, const struct cand *c)
{
    (void)ctx;
    (void)c;
    return true;
}

static bool non_null(void *ctx, const struct cand *c)
{
    (void)ctx;
    return !c->null;
}

static bool item_match(struct rp_det_sigma_set *set, const struct sg_item *it,
                       const struct rp_det_event *ev)
{
    switch (it->kind) {
    case SG_ITEM_EXISTS:
        return cands(set, ev, &it->field, any_cand, NULL) == it->exists;
    case SG_ITEM_NULL:
        return !cands(set, ev, &it->field, non_null, NULL);
    case SG_ITEM_VALUES:
        break;
    }
    for (size_t i = 0; i < it->nvals; i++) {
        struct vm x = {set, &it->vals[i]};
        bool hit = cands(set, ev, &it->field, value_match, &x);
        if (hit && !it->all) return true;
        if (!hit && it->all) return false;
    }
    return it->all;
}

static bool sel_match(struct rp_det_sigma_set *set, const struct sg_sel *s,
                      const struct rp_det_event *ev)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct sg_map *m = &s->maps[i];
        size_t j = 0;
        while (j < m->n && item_match(set, &m->items[j], ev)) j++;
        if (j == m->n) return true;
    }
    return false;
}

static bool node_match(struct rp_det_sigma_set *set, const struct sg_rule *r, unsigned n,
                       const struct rp_det_event *ev)
{
    const struct sg_node *nd = &r->nodes[n];
    switch (nd->kind) {
    case SG_N_SEL:
        return sel_match(set, &r->sels[nd->a], ev);
    case SG_N_NOT:
        return !node_match(set, r, nd->a, ev);
    case SG_N_AND:
        for (unsigned i = 0; i < nd->n; i++)
            if (!node_match(set, r, r->kids[nd->a + i], ev)) return false;
        return true;
    case SG_N_OR:
        for (unsigned i = 0; i < nd->n; i++)
            if (node_match(set, r, r->kids[nd->a + i], ev)) return true;
        return false;
    }
    return false;
}

bool rp_det_sigma_rule_match(struct rp_det_sigma_set *set, const struct sg_rule *r,
                             const struct rp_det_event *ev)
{
    return r->nnodes && node_match(set, r, r->root, ev);
}

/* ---- regular expressions ----------------------------------------------------------------- */

rp_err rp_det_sigma_re_build(struct rp_det_sigma_set *set, size_t *bad, struct rp_errbuf *eb)
{
    rp_re_scratch_free(set->re_scr);
    rp_re_set_free(set->re);
    free(set->re_on);
    set->re_scr = NULL;
    set->re = NULL;
    set->re_on = NULL;
    *bad = SIZE_MAX;
    if (!set->npats) {
        set->re_dirty = false;
        return RP_OK;
    }
    rp_err e = rp_re_set_new(set->pats, set->npats, &set->re, eb);
    if (e == RP_EPARSE) {
        /* "re: pattern <i>: <message> at offset <k>" */
        const char *p = strstr(eb->msg, "pattern ");
        char *end = NULL;
        unsigned long long i = p ? strtoull(p + 8, &end, 10) : ~0ull;
        if (i >= set->npats) return rp_fail(eb, RP_EINTERNAL, "sigma: %s", eb->msg);
        *bad = (size_t)i;
        return RP_EPARSE;
    }
    if (e) return e;
    if (rp_re_scratch_new(set->re, &set->re_scr) || !(set->re_on = calloc(set->npats, 1)))
        return rp_fail(eb, RP_ENOMEM, "sigma: out of memory");
    set->re_dirty = false;
    return RP_OK;
}

/* ---- exact-match index ------------------------------------------------------------------- */

/* What a rule's condition requires: the values one column must equal (one of them). */
struct vvec {
    const struct sg_value **v;
    size_t n, cap;
    bool oom;
};

static void vpush(struct vvec *x, const struct sg_value *v)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        const struct sg_value **n = realloc(x->v, cap * sizeof(*n));
        if (!n) {
            x->oom = true;
            return;
        }
        x->v = n;
        x->cap = cap;
    }
    x->v[x->n++] = v;
}

/* The column of an item comparing a plain text column with exact, case-insensitive values;
 * -1 for any other item. */
static int item_col(const struct sg_item *it)
{
    if (it->kind != SG_ITEM_VALUES || it->all || it->field.json || it->field.integer ||
        it->field.npath)
        return -1;
    for (size_t i = 0; i < it->nvals; i++)
        if (it->vals[i].op != SG_EQ || it->vals[i].cased) return -1;
    return (int)it->field.col;
}

static bool map_req(const struct sg_map *m, int col, struct vvec *out)
{
    for (size_t i = 0; i < m->n; i++) {
        if (item_col(&m->items[i]) != col) continue;
        for (size_t k = 0; k < m->items[i].nvals; k++) vpush(out, &m->items[i].vals[k]);
        return true;
    }
    return false;
}

static bool sel_req(const struct sg_sel *s, int *col, struct vvec *out)
{
    size_t mark = out->n;
    for (size_t i = 0; s->n && i < s->maps[0].n; i++) {
        int c = item_col(&s->maps[0].items[i]);
        if (c < 0) continue;
        size_t k = 0;
        out->n = mark;
        while (k < s->n && map_req(&s->maps[k], c, out)) k++;
        if (k == s->n) {
            *col = c;
            return true;
        }
    }
    out->n = mark;
    return false;
}

/* True with *col and the values in out when every event node matches has column *col equal
 * to one of them. */
static bool node_req(const struct sg_rule *r, unsigned n, int *col, struct vvec *out)
{
    const struct sg_node *nd = &r->nodes[n];
    size_t mark = out->n;
    switch (nd->kind) {
    case SG_N_SEL:
        return sel_req(&r->sels[nd->a], col, out);
    case SG_N_AND:
        for (unsigned i = 0; i < nd->n; i++) {
            if (node_req(r, r->kids[nd->a + i], col, out)) return true;
            out->n = mark;
        }
        return false;
    case SG_N_OR:
        for (unsigned i = 0; i < nd->n; i++) {
            int c = -1;
            if (!node_req(r, r->kids[nd->a + i], &c, out) || (i && c != *col)) {
                out->n = mark;
                return false;
            }
            *col = c;
        }
        return nd->n > 0;
    case SG_N_NOT:
        return false;
    }
    return false;
}

/* FNV-1a over the lower-cased bytes, mixed with the column. */
static uint32_t key_hash(unsigned col, const char *p, size_t n)
{
    uint32_t h = 2166136261u ^ (col * 0x9e3779b9u);
    for (size_t i = 0; i < n; i++) h = (h ^ lower((unsigned char)p[i])) * 16777619u;
    return h;
}

struct tuple {
    unsigned col;
    const struct sg_value *v;
    uint32_t rule;
};

static int cmp_key(const struct tuple *x, const struct tuple *y)
{
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    if (x->v->len != y->v->len) return x->v->len < y->v->len ? -1 : 1;
    return memcmp(x->v->pat, y->v->pat, x->v->len);
}

static int cmp_tuple(const void *a, const void *b)
{
    const struct tuple *x = a, *y = b;
    int c = cmp_key(x, y);
    return c ? c : (x->rule > y->rule) - (x->rule < y->rule);
}

void rp_det_sigma_index_free(struct rp_det_sigma_set *set)
{
    for (size_t s = 0; s < 2; s++) {
        free(set->idx[s].keys);
        free(set->idx[s].slots);
        memset(&set->idx[s], 0, sizeof(set->idx[s]));
    }
    free(set->irules);
    free(set->always);
    free(set->cand);
    set->irules = NULL;
    set->always = set->cand = NULL;
}

/* The keys of one source from its (col, value, rule) tuples; its rule lists go to irules. */
static rp_err index_source(struct rp_det_sigma_set *set, size_t s, struct tuple *t, size_t nt,
                           uint32_t *irules)
{
    struct sg_index *ix = &set->idx[s];
    if (!nt) return RP_OK;
    qsort(t, nt, sizeof(*t), cmp_tuple);
    size_t nkeys = 0;
    for (size_t i = 0; i < nt; i++) nkeys += !i || cmp_key(&t[i - 1], &t[i]) != 0;
    ix->keys = calloc(nkeys, sizeof(*ix->keys));
    for (ix->nslots = 16; ix->nslots < 2 * nkeys;) ix->nslots *= 2;
    ix->slots = calloc(ix->nslots, sizeof(*ix->slots));
    if (!ix->keys || !ix->slots) return RP_ENOMEM;
    for (size_t i = 0; i < nt; i++) {
        irules[i] = t[i].rule;
        if (!i || cmp_key(&t[i - 1], &t[i])) {
            struct sg_ikey *k = &ix->keys[ix->nkeys++];
            *k = (struct sg_ikey){t[i].col, t[i].v->pat, t[i].v->len,
                                  (uint32_t)(irules + i - set->irules), 0};
            size_t h = key_hash(k->col, k->pat, k->len) & (ix->nslots - 1);
            while (ix->slots[h]) h = (h + 1) & (ix->nslots - 1);
            ix->slots[h] = (uint32_t)ix->nkeys;
        }
        ix->keys[ix->nkeys - 1].n++;
    }
    return RP_OK;
}

rp_err rp_det_sigma_index(struct rp_det_sigma_set *set)
{
    rp_det_sigma_index_free(set);
    size_t n = set->nactive ? set->nactive : 1;
    set->always = malloc(n);
    set->cand = malloc(n);
    if (!set->always || !set->cand) return RP_ENOMEM;
    memset(set->always, 1, n);
    struct vvec vals = {0};
    struct tuple *t[2] = {NULL, NULL};
    size_t nt[2] = {0, 0}, cap[2] = {0, 0};
    rp_err e = RP_OK;
    for (size_t i = 0; i < set->nactive && !e; i++) {
        const struct sg_rule *r = set->act[i];
        size_t s = r->src == RP_DET_SRC_K8S;
        struct sg_index *ix = &set->idx[s];
        int col = -1;
        vals.n = 0;
        if (!r->nnodes || !node_req(r, r->root, &col, &vals) || !vals.n) continue;
        size_t c = 0;
        while (c < ix->ncols && ix->cols[c] != (unsigned)col) c++;
        if (c == ix->ncols) {
            if (ix->ncols == SG_MAX_ICOLS) continue;
            ix->cols[ix->ncols++] = (unsigned)col;
        }
        for (size_t k = 0; k < vals.n && !e; k++) {
            if (nt[s] == cap[s]) {
                size_t ncap = cap[s] ? 2 * cap[s] : 64;
                struct tuple *x = realloc(t[s], ncap * sizeof(*x));
                if (!x) {
                    e = RP_ENOMEM;
                    break;
                }
                t[s] = x;
                cap[s] = ncap;
            }
            t[s][nt[s]++] = (struct tuple){(unsigned)col, vals.v[k], (uint32_t)i};
        }
        set->always[i] = 0;
    }
    if (vals.oom) e = RP_ENOMEM;
    free(vals.v);
    if (!e && !(set->irules = malloc((nt[0] + nt[1] + 1) * sizeof(*set->irules)))) e = RP_ENOMEM;
    if (!e) e = index_source(set, 0, t[0], nt[0], set->irules);
    if (!e) e = index_source(set, 1, t[1], nt[1], set->irules + nt[0]);
    free(t[0]);
    free(t[1]);
    if (e) rp_det_sigma_index_free(set);
    return e;
}

/* Mark in set->cand the rules to evaluate on ev: those the index does not cover, and those
 * whose required value the event has. */
static void candidates(struct rp_det_sigma_set *set, const struct rp_det_event *ev)
{
    memcpy(set->cand, set->always, set->nactive);
    const struct sg_index *ix = &set->idx[ev->src == RP_DET_SRC_K8S];
    for (size_t c = 0; c < ix->ncols; c++) {
        struct rp_str s = rp_det_str(ev, ix->cols[c]);
        if (!s.p) continue;
        size_t h = key_hash(ix->cols[c], s.p, s.len) & (ix->nslots - 1);
        for (; ix->slots[h]; h = (h + 1) & (ix->nslots - 1)) {
            const struct sg_ikey *k = &ix->keys[ix->slots[h] - 1];
            if (k->col != ix->cols[c] || k->len != s.len || !same(s.p, k->pat, s.len, false))
                continue;
            for (uint32_t i = 0; i < k->n; i++) set->cand[set->irules[k->first + i]] = 1;
            break;
        }
    }
}

/* ---- entry point ------------------------------------------------------------------------- */

rp_err rp_det_sigma_eval(struct rp_det_sigma_set *set, const struct rp_det_event *ev,
                         rp_det_sigma_match_fn fn, void *ctx, struct rp_errbuf *eb)
{
    if (!set || (ev->src != RP_DET_SRC_CLOUDTRAIL && ev->src != RP_DET_SRC_K8S)) return RP_OK;
    set->err = RP_OK;
    if (!set->nactive) return RP_OK;
    candidates(set, ev);
    for (size_t i = 0; i < set->nactive; i++) {
        const struct sg_rule *r = set->act[i];
        if (!set->cand[i] || r->src != ev->src) continue;
        bool hit = rp_det_sigma_rule_match(set, r, ev);
        if (set->err) return rp_fail(eb, set->err, "sigma: out of memory");
        if (hit && fn(ctx, i)) break;
    }
    return RP_OK;
}
