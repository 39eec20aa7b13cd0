/* SPDX-License-Identifier: Apache-2.0 */
/* Guard evaluation (rp_guard_eval, posture_guard.h): walks the immutable AST of
 * posture_guard_parse.c over one posture value tree. Everything temporary goes into the
 * caller's scratch arena; nothing is compiled here (regexes were compiled with the file).
 *
 * Semantics (docs/guard.md has the long form): a query yields a list of values, and a path
 * step that does not exist yields an "unresolved" entry; a clause over unresolved entries
 * FAILs, a clause over no entries at all (a filter that selected nothing, an empty variable)
 * is SKIP. Without `some` every value must pass; with `some` one is enough. Conjunctions: any
 * FAIL -> FAIL, else any PASS -> PASS, else SKIP; disjunctions: any PASS -> PASS, else any
 * FAIL -> FAIL, else SKIP. `when` not PASS -> SKIP. Named rules are evaluated once per
 * document and cached. */
#define RP_LOG_MODULE "posture"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_str.h"
#include "posture/posture_guard_impl.h"

#include "core/rp_banned.h"

enum st { S_PASS = RP_GUARD_PASS, S_FAIL = RP_GUARD_FAIL, S_SKIP = RP_GUARD_SKIP };

struct frame {
    const struct gblock *blk;
    const struct rp_pv *this_;
    struct gset *vals;
    uint8_t *state; /* per let: 0 not computed, 1 computing, 2 done */
    struct frame *up;
};

struct gev {
    const struct rp_guard_file *f;
    const struct rp_pv *root;
    const struct rp_guard_env *env;
    struct rp_arena *a;
    struct rp_errbuf *eb;
    uint8_t *rstate; /* per rule: 0 not evaluated, 2 done */
    enum st *rstat;
    const char **rmsg; /* per rule: failure message */
    struct frame topfr;
    const struct rp_pv **pre;
    pcre2_general_context *gctx;
    pcre2_match_data *md;
    struct rp_json_parser *jp;
    const char *fail; /* the current first failure message, or NULL */
    int quiet;        /* > 0: inside a condition or filter, failures are not recorded */
    int depth;
    uint32_t steps; /* work done, bounded by GUARD_MAX_STEPS */
    rp_err err;     /* sticky: ENOMEM / ELIMIT */
    const struct rp_pv *this_;
    struct frame *fr;
    const struct grule *rule;
};

/* ---- result sets ---------------------------------------------------------------------- */

void rp_guard_set_init(struct gset *s)
{
    s->it = s->inl;
    s->n = 0;
    s->cap = sizeof(s->inl) / sizeof(s->inl[0]);
}

rp_err rp_guard_set_push(struct gev *ev, struct gset *s, const struct rp_pv *v,
                         const struct glit *l)
{
    if (s->n == s->cap) {
        if (s->cap >= GUARD_MAX_RESULTS)
            return ev->err =
                       rp_fail(ev->eb, RP_ELIMIT, "guard: a query produced more than %u values",
                               GUARD_MAX_RESULTS);
        uint32_t cap = s->cap * 2;
        struct gitem *n = rp_arena_alloc(ev->a, cap * sizeof(*n));
        if (!n) return ev->err = rp_fail(ev->eb, RP_ENOMEM, "guard: out of memory");
        memcpy(n, s->it, s->n * sizeof(*n));
        s->it = n;
        s->cap = cap;
    }
    s->it[s->n].v = v;
    s->it[s->n].l = l;
    s->n++;
    return RP_OK;
}

static void set_move(struct gset *dst, struct gset *src)
{
    *dst = *src;
    if (src->it == src->inl) dst->it = dst->inl;
}

struct rp_arena *rp_guard_ev_arena(struct gev *ev)
{
    return ev->a;
}
int64_t rp_guard_ev_now_ms(struct gev *ev)
{
    return ev->env->now_ms;
}
const struct rp_guard_file *rp_guard_ev_file(struct gev *ev)
{
    return ev->f;
}

static void *gctx_malloc(PCRE2_SIZE n, void *data)
{
    return rp_arena_alloc((struct rp_arena *)data, n);
}

static void gctx_free(void *p, void *data)
{
    (void)p;
    (void)data;
}

pcre2_match_data *rp_guard_ev_md(struct gev *ev)
{
    if (!ev->md) {
        if (!ev->gctx) ev->gctx = pcre2_general_context_create(gctx_malloc, gctx_free, ev->a);
        if (ev->gctx) ev->md = pcre2_match_data_create(4, ev->gctx);
        if (!ev->md) ev->err = rp_fail(ev->eb, RP_ENOMEM, "guard: out of memory");
    }
    return ev->md;
}

rp_err rp_guard_ev_json(struct gev *ev, const char *s, size_t n, struct rp_pv **out)
{
    if (!ev->jp && !(ev->jp = rp_json_parser_new()))
        return ev->err = rp_fail(ev->eb, RP_ENOMEM, "guard: out of memory");
    struct rp_errbuf eb2;
    rp_err e = rp_pv_parse(ev->a, ev->jp, s, n, out, &eb2);
    if (e == RP_ENOMEM) return ev->err = rp_fail(ev->eb, RP_ENOMEM, "guard: out of memory");
    return e;
}

static bool re_match(struct gev *ev, const pcre2_code *re, const char *s, size_t n)
{
    pcre2_match_data *md = rp_guard_ev_md(ev);
    if (!md) return false;
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, ev->f->mctx);
    return rc >= 0;
}

/* ---- messages ------------------------------------------------------------------------- */

struct mbuf {
    char s[RP_GUARD_MSG_MAX];
    size_t n;
    bool space; /* a space is pending (collapsed whitespace) */
};

static void mb_putc(struct mbuf *b, char c)
{
    if (b->n + 1 < sizeof(b->s)) b->s[b->n++] = c;
}

/* Append text, collapsing whitespace runs into one space and dropping leading space. */
static void mb_text(struct mbuf *b, const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            if (b->n) b->space = true;
            continue;
        }
        if (b->space) {
            mb_putc(b, ' ');
            b->space = false;
        }
        mb_putc(b, c);
    }
}

/* As mb_text, at most lim bytes of output from s (then "..."). */
static void mb_text_lim(struct mbuf *b, const char *s, size_t n, size_t lim)
{
    size_t start = b->n;
    for (size_t k = 0; k < n; k++) {
        if (b->n - start >= lim) {
            /* do not cut a UTF-8 sequence */
            while (b->n > start && ((unsigned char)b->s[b->n - 1] & 0xC0) == 0x80) b->n--;
            if (b->n > start && ((unsigned char)b->s[b->n - 1] & 0x80)) b->n--;
            for (const char *d = "..."; *d; d++)
                if (b->n + 1 < sizeof(b->s)) b->s[b->n++] = *d;
            return;
        }
        mb_text(b, s + k, 1);
    }
}

static void mb_raw(struct mbuf *b, const char *s, size_t n)
{
    if (b->space) {
        mb_putc(b, ' ');
        b->space = false;
    }
    for (size_t k = 0; k < n; k++) mb_putc(b, s[k]);
}

static void mb_str(struct mbuf *b, const char *s)
{
    mb_raw(b, s, strlen(s));
}

/* Compact JSON of v, at most lim bytes of it (then "..."). */
static void json_into(char *out, size_t cap, size_t *n, const struct rp_pv *v, int depth)
{
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (*n + 1 < cap) out[(*n)++] = (c);                                                       \
    } while (0)
    char tmp[64];
    if (*n + 1 >= cap) return;
    if (depth > 16) {
        PUT('.');
        return;
    }
    switch (v->kind) {
    case RP_PV_NULL:
        snprintf(tmp, sizeof(tmp), "null");
        break;
    case RP_PV_BOOL:
        snprintf(tmp, sizeof(tmp), "%s", v->u.b ? "true" : "false");
        break;
    case RP_PV_INT:
        snprintf(tmp, sizeof(tmp), "%lld", (long long)v->u.i);
        break;
    case RP_PV_DOUBLE:
        if (!rp_guard_fmt_double(tmp, sizeof(tmp), v->u.d, false)) tmp[0] = '\0';
        break;
    case RP_PV_STRING:
        PUT('"');
        for (uint32_t k = 0; k < v->n && *n + 1 < cap; k++) {
            unsigned char c = (unsigned char)v->u.s[k];
            if (c == '"' || c == '\\') {
                PUT('\\');
                PUT((char)c);
            } else if (c == '\n' || c == '\t' || c == '\r') {
                PUT('\\');
                PUT(c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
            } else if (c < 0x20) {
                snprintf(tmp, sizeof(tmp), "\\u%04x", c);
                for (char *p = tmp; *p; p++) PUT(*p);
            } else {
                PUT((char)c);
            }
        }
        PUT('"');
        return;
    case RP_PV_LIST:
        PUT('[');
        for (uint32_t k = 0; k < v->n && *n + 1 < cap; k++) {
            if (k) PUT(',');
            json_into(out, cap, n, v->u.items[k], depth + 1);
        }
        PUT(']');
        return;
    case RP_PV_MAP:
        PUT('{');
        for (uint32_t k = 0; k < v->n && *n + 1 < cap; k++) {
            if (k) PUT(',');
            struct rp_pv ks = {.kind = RP_PV_STRING, .n = v->u.members[k].klen};
            ks.u.s = v->u.members[k].key;
            json_into(out, cap, n, &ks, depth + 1);
            PUT(':');
            json_into(out, cap, n, v->u.members[k].val, depth + 1);
        }
        PUT('}');
        return;
    }
    for (char *p = tmp; *p; p++) PUT(*p);
#undef PUT
}

#define VALUE_SHOWN 80 /* bytes of a value shown in a default message */
#define TEXT_SHOWN  60 /* bytes of a query or literal shown in a default message */

static void mb_item(struct mbuf *b, const struct gitem *it, bool raw_strings)
{
    if (!it || (!it->v && !it->l)) {
        mb_str(b, "no value");
        return;
    }
    if (it->l) {
        if (it->l->kind == GL_RE) {
            mb_str(b, "/");
            mb_str(b, it->l->src);
            mb_str(b, "/");
        } else if (it->l->kind == GL_RANGE) {
            char t[96];
            snprintf(t, sizeof(t), "r%c%g,%g%c", it->l->lo_incl ? '[' : '(', it->l->lo, it->l->hi,
                     it->l->hi_incl ? ']' : ')');
            mb_str(b, t);
        } else {
            mb_str(b, "[...]");
        }
        return;
    }
    if (raw_strings && it->v->kind == RP_PV_STRING) {
        mb_raw(b, it->v->u.s, it->v->n < VALUE_SHOWN ? it->v->n : VALUE_SHOWN);
        if (it->v->n > VALUE_SHOWN) mb_str(b, "...");
        return;
    }
    char t[VALUE_SHOWN + 8];
    size_t n = 0;
    json_into(t, VALUE_SHOWN + 1, &n, it->v, 0);
    t[n] = '\0';
    mb_raw(b, t, n);
    if (n >= VALUE_SHOWN) mb_str(b, "...");
}

static const char *mb_finish(struct gev *ev, struct mbuf *b)
{
    /* do not end inside a UTF-8 sequence */
    if (b->n >= sizeof(b->s) - 1) {
        size_t k = b->n;
        while (k > 0 && ((unsigned char)b->s[k - 1] & 0xC0) == 0x80) k--;
        if (k > 0 && ((unsigned char)b->s[k - 1] & 0x80)) k--;
        if (k < b->n && k + 4 > b->n) b->n = k;
    }
    b->s[b->n] = '\0';
    char *r = rp_arena_memdup(ev->a, b->s, b->n);
    if (!r) ev->err = rp_fail(ev->eb, RP_ENOMEM, "guard: out of memory");
    return r;
}

static const char *rule_name(const struct gev *ev)
{
    return ev->rule ? ev->rule->name : "default";
}

static rp_err eval_opnd(struct gev *ev, const struct gopnd *o, struct gset *out);

static void render_custom(struct gev *ev, const struct gclause *c)
{
    struct mbuf b = {.n = 0};
    for (uint32_t k = 0; k < c->nmsg; k++) {
        const struct gmsgpart *p = &c->msg[k];
        if (!p->q) {
            mb_text(&b, p->text, p->len);
            continue;
        }
        struct gset s;
        rp_guard_set_init(&s);
        ev->quiet++;
        rp_err e = eval_opnd(ev, p->q, &s);
        ev->quiet--;
        if (e != RP_OK) return;
        uint32_t shown = 0;
        for (uint32_t j = 0; j < s.n; j++) {
            if (!s.it[j].v && !s.it[j].l) continue;
            if (shown++) mb_raw(&b, ", ", 2);
            mb_item(&b, &s.it[j], true);
        }
        if (!shown) mb_raw(&b, "no value", 8);
    }
    ev->fail = mb_finish(ev, &b);
}

/* Record why the clause failed (first failure only, not in conditions and filters). */
static void record_fail(struct gev *ev, const struct gclause *c, const struct gitem *it)
{
    if (ev->quiet || ev->fail || ev->err) return;
    if (c->msg) {
        render_custom(ev, c);
        if (ev->fail && ev->fail[0]) return;
        ev->fail = NULL; /* an empty message: say what failed instead */
    }
    struct mbuf b = {.n = 0};
    mb_str(&b, rule_name(ev));
    mb_str(&b, ": ");
    switch (c->kind) {
    case GC_CMP:
    case GC_UNARY:
        mb_text_lim(&b, c->lhs.text, c->lhs.tlen, TEXT_SHOWN);
        b.space = true;
        mb_text(&b, c->optext, c->oplen);
        if (c->kind == GC_CMP) {
            b.space = true;
            mb_text_lim(&b, c->rhs.text, c->rhs.tlen, TEXT_SHOWN);
        }
        mb_str(&b, " failed: got ");
        mb_item(&b, it, false);
        break;
    case GC_BLOCK:
        mb_text_lim(&b, c->lhs.text, c->lhs.tlen, TEXT_SHOWN);
        mb_str(&b, " failed: got ");
        mb_item(&b, it, false);
        break;
    case GC_REF:
        if (c->negate) mb_str(&b, "not ");
        mb_raw(&b, c->ref->name, c->ref->nlen);
        mb_str(&b, " failed");
        break;
    case GC_NOT:
        mb_str(&b, "not ");
        mb_text_lim(&b, c->lhs.text, c->lhs.tlen, TEXT_SHOWN);
        mb_str(&b, " failed");
        break;
    default:
        mb_str(&b, "failed");
        break;
    }
    ev->fail = mb_finish(ev, &b);
}

/* ---- queries -------------------------------------------------------------------------- */

static rp_err var_values(struct gev *ev, const struct gvarref *vr, const struct gset **out,
                         struct gset *tmp);
static enum st eval_block(struct gev *ev, const struct gblock *b, const struct rp_pv *this_);
static bool cmp_pass(struct gev *ev, enum gop op, bool opnot, const struct gitem *x,
                     const struct gset *r);

static rp_err too_long(struct gev *ev)
{
    if (!ev->err)
        ev->err = rp_fail(ev->eb, RP_ELIMIT, "guard: evaluation took more than %u steps",
                          GUARD_MAX_STEPS);
    return ev->err;
}

static rp_err unres(struct gev *ev, struct gset *out)
{
    return rp_guard_set_push(ev, out, NULL, NULL);
}

static bool filter_ok(struct gev *ev, const struct gblock *flt, const struct rp_pv *v)
{
    ev->quiet++;
    enum st s = eval_block(ev, flt, v);
    ev->quiet--;
    return s == S_PASS;
}

/* rp_pv_getn, checking the first byte before calling memcmp (keys are NUL-terminated, so
 * key[0] exists even for ""): most members differ there. */
static const struct rp_pv *getkey(const struct rp_pv *m, const char *key, uint32_t klen)
{
    const struct rp_pv_member *mb = m->u.members;
    for (uint32_t k = 0; k < m->n; k++)
        if (mb[k].klen == klen && mb[k].key[0] == key[0] && memcmp(mb[k].key, key, klen) == 0)
            return mb[k].val;
    return NULL;
}

static rp_err walk(struct gev *ev, const struct gquery *q, uint32_t i, const struct rp_pv *v,
                   struct gset *out)
{
    for (; i < q->nparts; i++) {
        if (ev->err) return ev->err;
        if (++ev->steps > GUARD_MAX_STEPS) return too_long(ev);
        const struct gpart *p = &q->parts[i];
        switch (p->kind) {
        case GP_KEY:
            if (v->kind != RP_PV_MAP) return unres(ev, out);
            v = getkey(v, p->key, p->klen);
            if (!v) return unres(ev, out);
            break;
        case GP_INDEX:
            if (v->kind != RP_PV_LIST) {
                if (p->index == 0 || p->index == -1) break; /* a single value stands for [v] */
                return unres(ev, out);
            } else {
                int64_t k = p->index < 0 ? (int64_t)v->n + p->index : p->index;
                if (k < 0 || k >= (int64_t)v->n) return unres(ev, out);
                v = v->u.items[k];
            }
            break;
        case GP_ALL:
            if (v->kind != RP_PV_LIST) break; /* a single value stands for a one-item list */
            if (v->n == 0) return unres(ev, out);
            for (uint32_t k = 0; k < v->n; k++) {
                rp_err e = walk(ev, q, i + 1, v->u.items[k], out);
                if (e != RP_OK) return e;
            }
            return RP_OK;
        case GP_STAR:
            if (v->kind == RP_PV_MAP) {
                if (v->n == 0) return unres(ev, out);
                for (uint32_t k = 0; k < v->n; k++) {
                    rp_err e = walk(ev, q, i + 1, v->u.members[k].val, out);
                    if (e != RP_OK) return e;
                }
                return RP_OK;
            }
            if (v->kind == RP_PV_LIST) {
                if (v->n == 0) return unres(ev, out);
                for (uint32_t k = 0; k < v->n; k++) {
                    rp_err e = walk(ev, q, i + 1, v->u.items[k], out);
                    if (e != RP_OK) return e;
                }
                return RP_OK;
            }
            return unres(ev, out);
        case GP_FILTER:
            if (v->kind == RP_PV_LIST) {
                for (uint32_t k = 0; k < v->n; k++) {
                    if (filter_ok(ev, p->filter, v->u.items[k])) {
                        rp_err e = walk(ev, q, i + 1, v->u.items[k], out);
                        if (e != RP_OK) return e;
                    }
                    if (ev->err) return ev->err;
                }
                return RP_OK;
            }
            if (!filter_ok(ev, p->filter, v)) return ev->err;
            break;
        case GP_KEYFILTER: {
            if (v->kind != RP_PV_MAP) return unres(ev, out);
            struct gset r;
            rp_guard_set_init(&r);
            rp_err e = eval_opnd(ev, &p->krhs, &r);
            if (e != RP_OK) return e;
            for (uint32_t k = 0; k < v->n; k++) {
                struct rp_pv ks = {.kind = RP_PV_STRING, .n = v->u.members[k].klen};
                ks.u.s = v->u.members[k].key;
                struct gitem x = {&ks, NULL};
                if (cmp_pass(ev, p->kop, p->knot, &x, &r)) {
                    if ((e = walk(ev, q, i + 1, v->u.members[k].val, out)) != RP_OK) return e;
                }
            }
            return ev->err;
        }
        case GP_VARKEY: {
            if (v->kind != RP_PV_MAP) return unres(ev, out);
            struct gset tmp;
            const struct gset *keys = NULL;
            rp_err e = var_values(ev, p->var, &keys, &tmp);
            if (e != RP_OK) return e;
            for (uint32_t k = 0; k < keys->n; k++) {
                const struct rp_pv *kv = keys->it[k].v;
                const struct rp_pv *m =
                    kv && kv->kind == RP_PV_STRING ? rp_pv_getn(v, kv->u.s, kv->n) : NULL;
                e = m ? walk(ev, q, i + 1, m, out) : unres(ev, out);
                if (e != RP_OK) return e;
            }
            return RP_OK;
        }
        }
    }
    return rp_guard_set_push(ev, out, v, NULL);
}

static rp_err eval_query(struct gev *ev, const struct gquery *q, struct gset *out)
{
    rp_err e = RP_OK;
    if (q->start != GQ_VAR) {
        e = walk(ev, q, 0, ev->this_, out);
    } else {
        struct gset tmp;
        const struct gset *vals = NULL;
        if ((e = var_values(ev, q->var, &vals, &tmp)) != RP_OK) return e;
        for (uint32_t k = 0; k < vals->n && e == RP_OK; k++) {
            const struct gitem *it = &vals->it[k];
            if (it->v)
                e = walk(ev, q, 0, it->v, out);
            else if (it->l && q->nparts == 0)
                e = rp_guard_set_push(ev, out, NULL, it->l);
            else
                e = unres(ev, out);
        }
    }
    if (e == RP_OK && q->some) { /* some: unresolved entries do not count */
        uint32_t w = 0;
        for (uint32_t k = 0; k < out->n; k++)
            if (out->it[k].v || out->it[k].l) out->it[w++] = out->it[k];
        if (w > 0) out->n = w;
    }
    return e;
}

static rp_err eval_opnd(struct gev *ev, const struct gopnd *o, struct gset *out)
{
    rp_err e = RP_OK;
    switch (o->kind) {
    case GO_QUERY:
        e = eval_query(ev, o->q, out);
        break;
    case GO_LIT:
        if (o->lit->kind == GL_PV)
            e = rp_guard_set_push(ev, out, o->lit->pv, NULL);
        else
            e = rp_guard_set_push(ev, out, NULL, o->lit);
        break;
    case GO_CALL:
        e = rp_guard_fn_call(ev, o->call, out);
        break;
    default:
        break;
    }
    if (e != RP_OK && !ev->err) ev->err = rp_fail(ev->eb, e, "guard: %s", rp_strerror(e));
    return e;
}

rp_err rp_guard_eval_opnd(struct gev *ev, const struct gopnd *o, struct gset *out)
{
    return eval_opnd(ev, o, out);
}

static rp_err var_values(struct gev *ev, const struct gvarref *vr, const struct gset **out,
                         struct gset *tmp)
{
    rp_guard_set_init(tmp);
    *out = tmp;
    if (!vr->let) {
        const struct rp_pv *v = ev->pre[vr->pre];
        if (!v) return RP_OK;
        if (v->kind == RP_PV_LIST) {
            for (uint32_t k = 0; k < v->n; k++) {
                rp_err e = rp_guard_set_push(ev, tmp, v->u.items[k], NULL);
                if (e != RP_OK) return e;
            }
            return RP_OK;
        }
        return rp_guard_set_push(ev, tmp, v, NULL);
    }
    const struct glet *l = vr->let;
    struct frame *fr = ev->fr;
    while (fr && fr->blk != l->owner) fr = fr->up;
    if (!fr) return RP_OK; /* cannot happen: the owner encloses the reference */
    if (!fr->vals) {
        fr->vals = rp_arena_alloc(ev->a, fr->blk->nlets * sizeof(*fr->vals));
        fr->state = rp_arena_zalloc(ev->a, fr->blk->nlets);
        if (!fr->vals || !fr->state)
            return ev->err = rp_fail(ev->eb, RP_ENOMEM, "guard: out of memory");
    }
    if (fr->state[l->idx] == 2) {
        *out = &fr->vals[l->idx];
        return RP_OK;
    }
    if (fr->state[l->idx] == 1) return RP_OK; /* refers to itself: no value */
    fr->state[l->idx] = 1;
    const struct rp_pv *sthis = ev->this_;
    struct frame *sfr = ev->fr;
    ev->this_ = fr->this_;
    ev->fr = fr;
    struct gset res;
    rp_guard_set_init(&res);
    rp_err e = eval_opnd(ev, &l->val, &res);
    ev->this_ = sthis;
    ev->fr = sfr;
    if (e != RP_OK) return e;
    set_move(&fr->vals[l->idx], &res);
    fr->state[l->idx] = 2;
    *out = &fr->vals[l->idx];
    return RP_OK;
}

/* ---- comparisons ---------------------------------------------------------------------- */

enum cres { C_EQ, C_NE, C_MISMATCH };

static bool is_num(const struct rp_pv *v)
{
    return v->kind == RP_PV_INT || v->kind == RP_PV_DOUBLE;
}
static double num(const struct rp_pv *v)
{
    return v->kind == RP_PV_INT ? (double)v->u.i : v->u.d;
}

static bool scalar(const struct rp_pv *v)
{
    return v->kind != RP_PV_LIST && v->kind != RP_PV_MAP;
}

static enum cres eq_item(struct gev *ev, const struct rp_pv *x, const struct gitem *r);

static enum cres eq_pv(const struct rp_pv *x, const struct rp_pv *y)
{
    if (x->kind == RP_PV_NULL || y->kind == RP_PV_NULL) return x->kind == y->kind ? C_EQ : C_NE;
    if (is_num(x) && is_num(y)) {
        if (x->kind == RP_PV_INT && y->kind == RP_PV_INT) return x->u.i == y->u.i ? C_EQ : C_NE;
        return num(x) == num(y) ? C_EQ : C_NE;
    }
    if (scalar(x) && y->kind == RP_PV_LIST) { /* x == [a, b]: one of */
        for (uint32_t k = 0; k < y->n; k++)
            if (eq_pv(x, y->u.items[k]) == C_EQ) return C_EQ;
        return C_NE;
    }
    if (x->kind != y->kind) {
        if (scalar(x) && scalar(y)) return C_MISMATCH;
        return C_NE;
    }
    return rp_pv_equal(x, y) ? C_EQ : C_NE;
}

static enum cres eq_lit(struct gev *ev, const struct rp_pv *x, const struct glit *l)
{
    switch (l->kind) {
    case GL_PV:
        return eq_pv(x, l->pv);
    case GL_RE:
        if (x->kind != RP_PV_STRING) return C_MISMATCH;
        return re_match(ev, l->re, x->u.s, x->n) ? C_EQ : C_NE;
    case GL_RANGE: {
        if (!is_num(x)) return C_MISMATCH;
        double d = num(x);
        bool ok = (l->lo_incl ? d >= l->lo : d > l->lo) && (l->hi_incl ? d <= l->hi : d < l->hi);
        return ok ? C_EQ : C_NE;
    }
    case GL_LIST:
        if (x->kind == RP_PV_LIST) {
            if (x->n != l->n) return C_NE;
            for (uint32_t k = 0; k < x->n; k++)
                if (eq_lit(ev, x->u.items[k], l->items[k]) != C_EQ) return C_NE;
            return C_EQ;
        }
        for (uint32_t k = 0; k < l->n; k++)
            if (eq_lit(ev, x, l->items[k]) == C_EQ) return C_EQ;
        return C_NE;
    }
    return C_NE;
}

static enum cres eq_item(struct gev *ev, const struct rp_pv *x, const struct gitem *r)
{
    if (r->l) return eq_lit(ev, x, r->l);
    return eq_pv(x, r->v);
}

/* x IN r: each r (a list's items count one by one) */
static bool in_set(struct gev *ev, const struct rp_pv *x, const struct gset *r)
{
    for (uint32_t k = 0; k < r->n; k++) {
        const struct gitem *it = &r->it[k];
        if (it->l) {
            if (it->l->kind == GL_LIST) {
                for (uint32_t j = 0; j < it->l->n; j++)
                    if (eq_lit(ev, x, it->l->items[j]) == C_EQ) return true;
            } else if (eq_lit(ev, x, it->l) == C_EQ) {
                return true;
            }
        } else if (it->v) {
            if (it->v->kind == RP_PV_LIST) {
                for (uint32_t j = 0; j < it->v->n; j++)
                    if (eq_pv(x, it->v->u.items[j]) == C_EQ) return true;
            } else if (eq_pv(x, it->v) == C_EQ) {
                return true;
            }
        }
    }
    return false;
}

static bool ordered(enum gop op, const struct rp_pv *x, const struct rp_pv *y, bool *ok)
{
    int c = 0;
    if (is_num(x) && is_num(y)) {
        if (x->kind == RP_PV_INT && y->kind == RP_PV_INT) {
            c = x->u.i < y->u.i ? -1 : x->u.i > y->u.i;
        } else {
            double a = num(x), b = num(y);
            if (isnan(a) || isnan(b)) {
                *ok = false;
                return false;
            }
            c = a < b ? -1 : a > b;
        }
    } else if (x->kind == RP_PV_STRING && y->kind == RP_PV_STRING) {
        uint32_t n = x->n < y->n ? x->n : y->n;
        c = memcmp(x->u.s, y->u.s, n);
        if (c == 0) c = x->n < y->n ? -1 : x->n > y->n;
        c = c < 0 ? -1 : c > 0;
    } else {
        *ok = false;
        return false;
    }
    *ok = true;
    switch (op) {
    case OP_LT:
        return c < 0;
    case OP_GT:
        return c > 0;
    case OP_LE:
        return c <= 0;
    case OP_GE:
        return c >= 0;
    default:
        return false;
    }
}

static bool cmp_pass(struct gev *ev, enum gop op, bool opnot, const struct gitem *x,
                     const struct gset *r)
{
    if (!x->v && !x->l) return false; /* unresolved: retrieval error */
    for (uint32_t k = 0; k < r->n; k++)
        if (!r->it[k].v && !r->it[k].l) return false;
    if (x->l) { /* a special literal on the left: only == against values makes sense */
        if (op != OP_EQ && op != OP_IN) return false;
        bool any = false;
        for (uint32_t k = 0; k < r->n; k++)
            if (r->it[k].v && eq_lit(ev, r->it[k].v, x->l) == C_EQ) any = true;
        return any != opnot;
    }
    const struct rp_pv *v = x->v;
    switch (op) {
    case OP_IN: {
        bool in = in_set(ev, v, r);
        if (!in && v->kind == RP_PV_LIST) {
            in = true;
            for (uint32_t k = 0; k < v->n && in; k++) in = in_set(ev, v->u.items[k], r);
        }
        return in != opnot;
    }
    case OP_EQ: {
        bool eq = false, ne = false;
        for (uint32_t k = 0; k < r->n && !eq; k++) {
            enum cres c = eq_item(ev, v, &r->it[k]);
            if (c == C_EQ) eq = true;
            if (c == C_NE) ne = true;
        }
        if (!opnot) return eq;
        return !eq && (ne || r->n == 0);
    }
    case OP_LT:
    case OP_GT:
    case OP_LE:
    case OP_GE: {
        if (r->n == 0) return false;
        for (uint32_t k = 0; k < r->n; k++) {
            if (!r->it[k].v) return false;
            bool ok = false;
            if (!ordered(op, v, r->it[k].v, &ok)) return false;
        }
        return true;
    }
    default:
        return false;
    }
}

static bool unary_pass(enum gop op, bool opnot, const struct gitem *x)
{
    if (op == OP_EXISTS) return (x->v || x->l) != opnot;
    if (op == OP_EMPTY) {
        bool empty = true;
        if (x->v) {
            switch (x->v->kind) {
            case RP_PV_LIST:
            case RP_PV_MAP:
            case RP_PV_STRING:
                empty = x->v->n == 0;
                break;
            case RP_PV_NULL:
                empty = true;
                break;
            default:
                empty = false;
                break;
            }
        } else if (x->l) {
            empty = x->l->kind == GL_LIST && x->l->n == 0;
        }
        return empty != opnot;
    }
    if (!x->v && !x->l) return false;
    bool is = false;
    if (x->v) {
        switch (op) {
        case OP_IS_STRING:
            is = x->v->kind == RP_PV_STRING;
            break;
        case OP_IS_LIST:
            is = x->v->kind == RP_PV_LIST;
            break;
        case OP_IS_STRUCT:
            is = x->v->kind == RP_PV_MAP;
            break;
        case OP_IS_BOOL:
            is = x->v->kind == RP_PV_BOOL;
            break;
        case OP_IS_INT:
            is = x->v->kind == RP_PV_INT;
            break;
        case OP_IS_FLOAT:
            is = x->v->kind == RP_PV_DOUBLE;
            break;
        case OP_IS_NULL:
            is = x->v->kind == RP_PV_NULL;
            break;
        default:
            break;
        }
    } else {
        is = op == OP_IS_LIST && x->l->kind == GL_LIST;
    }
    return is != opnot;
}

/* ---- clauses, blocks, rules ----------------------------------------------------------- */

static enum st rule_status(struct gev *ev, const struct grule *r);

static enum st eval_cmp(struct gev *ev, const struct gclause *c)
{
    struct gset l, r;
    rp_guard_set_init(&l);
    rp_guard_set_init(&r);
    if (eval_opnd(ev, &c->lhs, &l) != RP_OK) return S_FAIL;
    if (l.n == 0) {
        if (c->kind == GC_UNARY && c->op == OP_EXISTS) {
            if (c->opnot) return S_PASS;
            record_fail(ev, c, NULL);
            return S_FAIL;
        }
        if (c->kind == GC_UNARY && c->op == OP_EMPTY) {
            if (!c->opnot) return S_PASS;
            record_fail(ev, c, NULL);
            return S_FAIL;
        }
        return S_SKIP;
    }
    if (c->kind == GC_CMP && eval_opnd(ev, &c->rhs, &r) != RP_OK) return S_FAIL;
    const struct gitem *first_fail = NULL;
    for (uint32_t k = 0; k < l.n; k++) {
        bool ok = c->kind == GC_UNARY ? unary_pass(c->op, c->opnot, &l.it[k])
                                      : cmp_pass(ev, c->op, c->opnot, &l.it[k], &r);
        if (ev->err) return S_FAIL;
        if (ok && c->some) return S_PASS;
        if (!ok) {
            if (!first_fail) first_fail = &l.it[k];
            if (!c->some) break;
        }
    }
    if (!first_fail) return S_PASS;
    record_fail(ev, c, first_fail);
    return S_FAIL;
}

static enum st st_and(enum st a, enum st b)
{
    if (a == S_FAIL || b == S_FAIL) return S_FAIL;
    if (a == S_PASS || b == S_PASS) return S_PASS;
    return S_SKIP;
}

static enum st eval_clause(struct gev *ev, const struct gclause *c);

static enum st eval_query_block(struct gev *ev, const struct gclause *c)
{
    struct gset l;
    rp_guard_set_init(&l);
    if (eval_opnd(ev, &c->lhs, &l) != RP_OK) return S_FAIL;
    if (l.n == 0) return S_SKIP;
    const char *saved = ev->fail;
    enum st acc = S_SKIP;
    bool any_fail = false;
    for (uint32_t k = 0; k < l.n; k++) {
        const struct gitem *it = &l.it[k];
        enum st s;
        if (!it->v) {
            record_fail(ev, c, it);
            s = S_FAIL;
        } else {
            s = eval_block(ev, c->body, it->v);
        }
        if (ev->err) return S_FAIL;
        if (c->some) {
            if (s == S_PASS) {
                ev->fail = saved;
                return S_PASS;
            }
            if (s == S_FAIL) any_fail = true;
        } else {
            acc = st_and(acc, s);
            if (acc == S_FAIL) return S_FAIL;
        }
    }
    if (c->some) return any_fail ? S_FAIL : S_SKIP;
    return acc;
}

static enum st eval_cond(struct gev *ev, const struct gblock *cond)
{
    ev->quiet++;
    enum st s = eval_block(ev, cond, ev->this_);
    ev->quiet--;
    return s;
}

static enum st eval_type_block(struct gev *ev, const struct gclause *c)
{
    const struct rp_pv *res = rp_pv_get(ev->root, "Resources");
    enum st acc = S_SKIP;
    if (res && res->kind == RP_PV_MAP) {
        for (uint32_t k = 0; k < res->n; k++) {
            const struct rp_pv *r = res->u.members[k].val;
            const struct rp_pv *t = rp_pv_get(r, "Type");
            if (!t || t->kind != RP_PV_STRING || t->n != c->typelen ||
                memcmp(t->u.s, c->type, c->typelen) != 0)
                continue;
            const struct rp_pv *sthis = ev->this_;
            ev->this_ = r;
            enum st s = c->cond ? eval_cond(ev, c->cond) : S_PASS;
            s = s == S_PASS ? eval_block(ev, c->body, r) : S_SKIP;
            ev->this_ = sthis;
            acc = st_and(acc, s);
            if (acc == S_FAIL || ev->err) return S_FAIL;
        }
        return acc;
    }
    const struct rp_pv *t = rp_pv_get(ev->root, "resourceType");
    if (!t || t->kind != RP_PV_STRING || t->n != c->typelen ||
        memcmp(t->u.s, c->type, c->typelen) != 0)
        return S_SKIP;
    const struct rp_pv *sthis = ev->this_;
    ev->this_ = ev->root;
    enum st s = c->cond ? eval_cond(ev, c->cond) : S_PASS;
    s = s == S_PASS ? eval_block(ev, c->body, ev->root) : S_SKIP;
    ev->this_ = sthis;
    return s;
}

static enum st eval_clause(struct gev *ev, const struct gclause *c)
{
    if (ev->err) return S_FAIL;
    if (++ev->steps > GUARD_MAX_STEPS) {
        too_long(ev);
        return S_FAIL;
    }
    switch (c->kind) {
    case GC_CMP:
    case GC_UNARY:
        return eval_cmp(ev, c);
    case GC_BLOCK:
        return eval_query_block(ev, c);
    case GC_WHEN:
        if (eval_cond(ev, c->cond) != S_PASS) return S_SKIP;
        return eval_block(ev, c->body, ev->this_);
    case GC_TYPE:
        return eval_type_block(ev, c);
    case GC_REF: {
        enum st s = rule_status(ev, c->ref);
        if (c->negate) s = s == S_PASS ? S_FAIL : s == S_FAIL ? S_PASS : S_SKIP;
        if (s == S_FAIL && !ev->quiet && !ev->fail) {
            if (!c->msg && !c->negate && ev->rmsg[c->ref->idx])
                ev->fail = ev->rmsg[c->ref->idx];
            else
                record_fail(ev, c, NULL);
        }
        return s;
    }
    case GC_NOT: {
        ev->quiet++;
        enum st s = eval_clause(ev, c->sub);
        ev->quiet--;
        if (s == S_SKIP) return S_SKIP;
        if (s == S_PASS) {
            record_fail(ev, c, NULL);
            return S_FAIL;
        }
        return S_PASS;
    }
    }
    return S_FAIL;
}

static enum st eval_group(struct gev *ev, const struct ggroup *g)
{
    if (g->n == 1) return eval_clause(ev, g->cl[0]);
    /* A failing disjunction reports the custom message of its first failing clause that has
     * one (a message written after the last alternative describes them all), else the first
     * failure. */
    const char *saved = ev->fail, *first = NULL, *custom = NULL;
    bool any_fail = false;
    for (uint32_t k = 0; k < g->n; k++) {
        ev->fail = saved;
        enum st s = eval_clause(ev, g->cl[k]);
        if (ev->err) return S_FAIL;
        if (s == S_PASS) {
            ev->fail = saved;
            return S_PASS;
        }
        if (s == S_FAIL) {
            any_fail = true;
            if (!saved && !first) first = ev->fail;
            if (!saved && !custom && g->cl[k]->msg) custom = ev->fail;
        }
    }
    ev->fail = saved ? saved : custom ? custom : first;
    return any_fail ? S_FAIL : S_SKIP;
}

static enum st eval_block(struct gev *ev, const struct gblock *b, const struct rp_pv *this_)
{
    if (++ev->depth > GUARD_MAX_DEPTH) {
        if (!ev->err)
            ev->err = rp_fail(ev->eb, RP_ELIMIT, "guard: evaluation nested deeper than %d",
                              GUARD_MAX_DEPTH);
        ev->depth--;
        return S_FAIL;
    }
    const struct rp_pv *sthis = ev->this_;
    struct frame *sfr = ev->fr;
    struct frame fr = {.blk = b, .this_ = this_, .up = ev->fr};
    ev->this_ = this_;
    if (b->nlets) ev->fr = &fr;
    enum st acc = S_SKIP;
    for (uint32_t k = 0; k < b->ngroups; k++) {
        acc = st_and(acc, eval_group(ev, &b->groups[k]));
        if (acc == S_FAIL || ev->err) {
            acc = S_FAIL;
            break;
        }
    }
    ev->this_ = sthis;
    ev->fr = sfr;
    ev->depth--;
    return acc;
}

static enum st rule_status(struct gev *ev, const struct grule *r)
{
    if (ev->rstate[r->idx] == 2) return ev->rstat[r->idx];
    if (ev->rstate[r->idx] == 1) return S_SKIP; /* cycles are refused at compile time */
    ev->rstate[r->idx] = 1;
    const char *sfail = ev->fail;
    int squiet = ev->quiet;
    const struct grule *srule = ev->rule;
    const struct rp_pv *sthis = ev->this_;
    struct frame *sfr = ev->fr;
    ev->fail = NULL;
    ev->quiet = 0;
    ev->rule = r;
    ev->this_ = ev->root;
    ev->fr = &ev->topfr;
    enum st s = S_PASS;
    if (r->cond) s = eval_cond(ev, r->cond);
    s = s == S_PASS ? eval_block(ev, r->body, ev->root) : S_SKIP;
    ev->rstat[r->idx] = s;
    ev->rmsg[r->idx] = s == S_FAIL ? ev->fail : NULL;
    ev->rstate[r->idx] = 2;
    ev->fail = sfail;
    ev->quiet = squiet;
    ev->rule = srule;
    ev->this_ = sthis;
    ev->fr = sfr;
    return s;
}

rp_err rp_guard_eval(const struct rp_guard_file *f, const struct rp_pv *doc,
                     const struct rp_guard_env *env, struct rp_guard_result *out,
                     struct rp_errbuf *eb)
{
    memset(out, 0, sizeof(*out));
    out->status = RP_GUARD_SKIP;
    if (!f || !doc || !env || !env->scratch) return rp_fail(eb, RP_EINVAL, "guard: bad arguments");
    struct gev ev = {.f = f, .root = doc, .env = env, .a = env->scratch, .eb = eb};
    uint32_t nr = f->nrules;
    ev.rstate = rp_arena_zalloc(ev.a, nr + 1);
    ev.rstat = rp_arena_alloc(ev.a, (nr + 1) * sizeof(*ev.rstat));
    ev.rmsg = rp_arena_zalloc(ev.a, (nr + 1) * sizeof(*ev.rmsg));
    ev.pre = rp_arena_zalloc(ev.a, (f->npre + 1) * sizeof(*ev.pre));
    if (!ev.rstate || !ev.rstat || !ev.rmsg || !ev.pre)
        return rp_fail(eb, RP_ENOMEM, "guard: out of memory");
    for (uint32_t k = 0; k < f->npre; k++)
        for (size_t j = 0; j < env->nvars; j++)
            if (env->vars[j].name && strcmp(env->vars[j].name, f->pre[k]) == 0) {
                ev.pre[k] = env->vars[j].val;
                break;
            }
    ev.topfr = (struct frame){.blk = f->top, .this_ = doc};
    ev.fr = &ev.topfr;
    ev.this_ = doc;
    bool any_pass = false, any_fail = false;
    const char *msg = NULL;
    for (uint32_t k = 0; k < nr; k++) {
        enum st s = rule_status(&ev, f->rules[k]);
        if (ev.err) break;
        if (s == S_FAIL) {
            if (!any_fail) msg = ev.rmsg[k];
            any_fail = true;
        }
        if (s == S_PASS) any_pass = true;
    }
    rp_json_parser_free(ev.jp);
    if (ev.gctx) {
        pcre2_match_data_free(ev.md);
        pcre2_general_context_free(ev.gctx);
    }
    if (ev.err) return ev.err;
    out->status = any_fail ? RP_GUARD_FAIL : any_pass ? RP_GUARD_PASS : RP_GUARD_SKIP;
    if (any_fail && msg) rp_strlcpy(out->message, msg, sizeof(out->message));
    out->rule_status = rp_arena_alloc(ev.a, (nr + 1) * sizeof(*out->rule_status));
    if (!out->rule_status) return rp_fail(eb, RP_ENOMEM, "guard: out of memory");
    for (uint32_t k = 0; k < nr; k++) out->rule_status[k] = (enum rp_guard_status)ev.rstat[k];
    out->nrules = nr;
    return RP_OK;
}
