/* SPDX-License-Identifier: Apache-2.0 */
/* Guard parser and compiler (rp_guard_compile, posture_guard.h): recursive descent over the
 * tokens of posture_guard_lex.c into the immutable AST of posture_guard_impl.h, then a
 * resolution pass (variables to their let or to a caller-bound name, rule references to rules,
 * cycles between rules refused). Regular expressions are compiled and JIT-compiled here, once.
 *
 * Grammar (Guard 2.x, see docs/guard.md):
 *   file    := (let | rule | clause-group)*          file-level clauses form rule "default"
 *   rule    := 'rule' NAME ['when' conds] '{' body '}'
 *   body    := (let | clause-group)*
 *   group   := clause (('or'|'OR') clause)*          conjunction of disjunctions (CNF)
 *   clause  := 'when' conds '{' body '}' | TYPE ['when' conds] '{' body '}'
 *            | ['not'|'!'] NAME [msg]                 a named rule
 *            | ['some'] query '{' body '}'            a query block
 *            | ['some'] operand OP [operand] [msg]
 *   query   := ('this' | %var | key) ('.' key | '.' '*' | '.' %var | '[' sel ']')*
 *   sel     := '*' | INT | 'keys' OP operand | body  a filter */
#define RP_LOG_MODULE "posture"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posture/posture_guard_impl.h"

#include "core/rp_banned.h"

struct pvec {
    void **p;
    uint32_t n, cap;
};

struct rulerefs { /* edges for the cycle check */
    struct grule *from;
    struct gclause *cl;
};

struct parser {
    struct rp_guard_file *f;
    struct rp_arena *a;
    const char *src;
    const struct gtoken *t;
    size_t nt, i;
    struct rp_errbuf *eb;
    int depth;
    struct grule *cur_rule;
    struct pvec varrefs; /* struct gvarref * */
    struct pvec refs;    /* struct gclause * (GC_REF) */
    struct pvec reffrom; /* struct grule * owning each ref (parallel to refs) */
    struct pvec rules;
    struct pvec rxcalls; /* regex_replace calls whose pattern is a variable */
    struct grule *deflt;
};

static rp_err vpush(struct rp_arena *a, struct pvec *v, void *x)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 8;
        void **np = rp_arena_alloc(a, cap * sizeof(void *));
        if (!np) return RP_ENOMEM;
        if (v->n) memcpy(np, v->p, v->n * sizeof(void *));
        v->p = np;
        v->cap = cap;
    }
    v->p[v->n++] = x;
    return RP_OK;
}

static const struct gtoken *peek(const struct parser *P)
{
    return &P->t[P->i];
}

static const struct gtoken *peek2(const struct parser *P)
{
    return P->i + 1 < P->nt ? &P->t[P->i + 1] : &P->t[P->nt - 1];
}

static const struct gtoken *next(struct parser *P)
{
    const struct gtoken *t = &P->t[P->i];
    if (t->kind != T_EOF) P->i++;
    return t;
}

static bool tok_is(const struct gtoken *t, const char *kw)
{
    size_t n = strlen(kw);
    return t->kind == T_IDENT && t->len == n && memcmp(t->val, kw, n) == 0;
}

static bool tok_is_ci(const struct gtoken *t, const char *kw)
{
    size_t n = strlen(kw);
    if (t->kind != T_IDENT || t->len != n) return false;
    for (size_t k = 0; k < n; k++) {
        char c = t->val[k];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != kw[k]) return false;
    }
    return true;
}

static const char *tok_desc(const struct gtoken *t, char *buf, size_t n)
{
    switch (t->kind) {
    case T_EOF:
        return "end of file";
    case T_STRING:
        return "a string";
    case T_INT:
    case T_FLOAT:
        return "a number";
    case T_REGEX:
        return "a regex";
    case T_MSG:
        return "a message";
    case T_VAR:
        snprintf(buf, n, "'%%%.*s'", (int)(t->len > 40 ? 40 : t->len), t->val);
        return buf;
    default:
        snprintf(buf, n, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->val);
        return buf;
    }
}

static rp_err perr(struct parser *P, const struct gtoken *t, const char *fmt, ...) RP_PRINTF(3, 4);
static rp_err perr(struct parser *P, const struct gtoken *t, const char *fmt, ...)
{
    char m[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof(m), fmt, ap);
    va_end(ap);
    return rp_fail(P->eb, RP_EPARSE, "%s:%u:%u: %s", P->f->name, t->line, t->col, m);
}

static rp_err unexpected(struct parser *P, const struct gtoken *t, const char *expected)
{
    char b[64];
    return perr(P, t, "expected %s, found %s", expected, tok_desc(t, b, sizeof(b)));
}

static void *zalloc(struct parser *P, size_t n)
{
    return rp_arena_zalloc(P->a, n);
}

static struct gblock *new_block(struct parser *P, struct gblock *parent)
{
    struct gblock *b = zalloc(P, sizeof(*b));
    if (b) {
        b->parent = parent;
        b->rule = P->cur_rule;
    }
    return b;
}

static const char *text_of(struct parser *P, size_t from_tok, uint32_t *len)
{
    /* source text of tokens [from_tok, P->i) */
    if (P->i <= from_tok) {
        *len = 0;
        return "";
    }
    uint32_t off = P->t[from_tok].off, end = P->t[P->i - 1].end;
    char *s = rp_arena_memdup(P->a, P->src + off, end - off);
    *len = s ? end - off : 0;
    return s ? s : "";
}

static rp_err add_re(struct parser *P, pcre2_code *re)
{
    struct rp_guard_file *f = P->f;
    if (f->nres == f->capres) {
        uint32_t cap = f->capres ? f->capres * 2 : 8;
        pcre2_code **n = realloc(f->res, cap * sizeof(*n));
        if (!n) {
            pcre2_code_free(re);
            return RP_ENOMEM;
        }
        f->res = n;
        f->capres = cap;
    }
    f->res[f->nres++] = re;
    return RP_OK;
}

static rp_err compile_re(struct parser *P, const struct gtoken *t, const char *pat, size_t len,
                         pcre2_code **out)
{
    int ec = 0;
    PCRE2_SIZE eo = 0;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pat, len,
                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &ec, &eo, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof(msg));
        return perr(P, t, "bad regex /%.*s/: %s at offset %zu", (int)(len > 60 ? 60 : len), pat,
                    (const char *)msg, (size_t)eo);
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* interpreted when JIT is unavailable */
    rp_err e = add_re(P, re);
    if (e != RP_OK) return e;
    *out = re;
    return RP_OK;
}

static rp_err enter(struct parser *P)
{
    if (++P->depth > GUARD_MAX_NEST) return perr(P, peek(P), "nested too deeply");
    return RP_OK;
}

static void leave(struct parser *P)
{
    P->depth--;
}

/* ---- literals ------------------------------------------------------------------------- */

static bool is_range_start(const struct parser *P)
{
    const struct gtoken *t = peek(P), *u = peek2(P);
    return tok_is(t, "r") && (u->kind == T_LBRACK || u->kind == T_LPAREN) && u->off == t->end;
}

static bool is_literal_start(const struct parser *P)
{
    const struct gtoken *t = peek(P);
    switch (t->kind) {
    case T_STRING:
    case T_INT:
    case T_FLOAT:
    case T_REGEX:
    case T_LBRACK:
    case T_LBRACE:
        return true;
    case T_IDENT:
        return tok_is_ci(t, "true") || tok_is_ci(t, "false") || tok_is_ci(t, "null") ||
               is_range_start(P);
    default:
        return false;
    }
}

static rp_err parse_literal(struct parser *P, struct glit **out);

static rp_err lit_pv(struct parser *P, struct rp_pv *pv, struct glit **out)
{
    if (!pv) return RP_ENOMEM;
    struct glit *l = zalloc(P, sizeof(*l));
    if (!l) return RP_ENOMEM;
    l->kind = GL_PV;
    l->pv = pv;
    *out = l;
    return RP_OK;
}

static rp_err parse_number(struct parser *P, double *d)
{
    const struct gtoken *t = next(P);
    if (t->kind == T_INT)
        *d = (double)t->i;
    else if (t->kind == T_FLOAT)
        *d = t->d;
    else
        return unexpected(P, t, "a number in the range");
    return RP_OK;
}

static rp_err parse_range(struct parser *P, struct glit **out)
{
    const struct gtoken *r = next(P); /* r */
    const struct gtoken *open = next(P);
    struct glit *l = zalloc(P, sizeof(*l));
    if (!l) return RP_ENOMEM;
    l->kind = GL_RANGE;
    l->lo_incl = open->kind == T_LBRACK;
    rp_err e = parse_number(P, &l->lo);
    if (e != RP_OK) return e;
    if (peek(P)->kind != T_COMMA) return unexpected(P, peek(P), "',' in the range");
    next(P);
    if ((e = parse_number(P, &l->hi)) != RP_OK) return e;
    const struct gtoken *c = next(P);
    if (c->kind == T_RBRACK)
        l->hi_incl = true;
    else if (c->kind == T_RPAREN)
        l->hi_incl = false;
    else
        return perr(P, c, "expected ']' or ')' to close the range opened at %u:%u", r->line,
                    r->col);
    *out = l;
    return RP_OK;
}

static rp_err parse_list(struct parser *P, struct glit **out)
{
    const struct gtoken *open = next(P);
    struct pvec items = {0};
    bool plain = true;
    rp_err e = enter(P);
    if (e != RP_OK) return e;
    while (peek(P)->kind != T_RBRACK) {
        if (peek(P)->kind == T_EOF)
            return perr(P, peek(P), "expected ']' to close the list opened at %u:%u", open->line,
                        open->col);
        struct glit *it = NULL;
        if ((e = parse_literal(P, &it)) != RP_OK) return e;
        if (it->kind != GL_PV) plain = false;
        if ((e = vpush(P->a, &items, it)) != RP_OK) return e;
        if (peek(P)->kind == T_COMMA)
            next(P);
        else if (peek(P)->kind != T_RBRACK)
            return perr(P, peek(P), "expected ',' or ']' in the list opened at %u:%u", open->line,
                        open->col);
    }
    next(P);
    leave(P);
    if (plain) {
        struct rp_pv *lst = rp_pv_list(P->a);
        if (!lst) return RP_ENOMEM;
        for (uint32_t k = 0; k < items.n; k++)
            if ((e = rp_pv_push(P->a, lst, (struct rp_pv *)((struct glit *)items.p[k])->pv)) !=
                RP_OK)
                return e;
        return lit_pv(P, lst, out);
    }
    struct glit *l = zalloc(P, sizeof(*l));
    if (!l) return RP_ENOMEM;
    l->kind = GL_LIST;
    l->items = (struct glit **)items.p;
    l->n = items.n;
    *out = l;
    return RP_OK;
}

static rp_err parse_map(struct parser *P, struct glit **out)
{
    const struct gtoken *open = next(P);
    struct rp_pv *m = rp_pv_map(P->a);
    if (!m) return RP_ENOMEM;
    rp_err e = enter(P);
    if (e != RP_OK) return e;
    while (peek(P)->kind != T_RBRACE) {
        const struct gtoken *k = next(P);
        if (k->kind == T_EOF)
            return perr(P, k, "expected '}' to close the map opened at %u:%u", open->line,
                        open->col);
        if (k->kind != T_STRING && k->kind != T_IDENT) return unexpected(P, k, "a map key");
        if (peek(P)->kind != T_COLON) return unexpected(P, peek(P), "':' after the map key");
        next(P);
        struct glit *v = NULL;
        if ((e = parse_literal(P, &v)) != RP_OK) return e;
        if (v->kind != GL_PV) return perr(P, k, "a map value cannot be a regex or a range");
        char *key = rp_arena_memdup(P->a, k->val, k->len);
        if (!key) return RP_ENOMEM;
        if ((e = rp_pv_set(P->a, m, key, (struct rp_pv *)v->pv)) != RP_OK) return e;
        if (peek(P)->kind == T_COMMA)
            next(P);
        else if (peek(P)->kind != T_RBRACE)
            return perr(P, peek(P), "expected ',' or '}' in the map opened at %u:%u", open->line,
                        open->col);
    }
    next(P);
    leave(P);
    return lit_pv(P, m, out);
}

static rp_err parse_literal(struct parser *P, struct glit **out)
{
    const struct gtoken *t = peek(P);
    switch (t->kind) {
    case T_STRING:
        next(P);
        return lit_pv(P, rp_pv_str(P->a, t->val, t->len), out);
    case T_INT:
        next(P);
        return lit_pv(P, rp_pv_int(P->a, t->i), out);
    case T_FLOAT:
        next(P);
        return lit_pv(P, rp_pv_double(P->a, t->d), out);
    case T_REGEX: {
        next(P);
        struct glit *l = zalloc(P, sizeof(*l));
        if (!l) return RP_ENOMEM;
        l->kind = GL_RE;
        l->src = t->val;
        rp_err e = compile_re(P, t, t->val, t->len, &l->re);
        if (e != RP_OK) return e;
        *out = l;
        return RP_OK;
    }
    case T_LBRACK:
        return parse_list(P, out);
    case T_LBRACE:
        return parse_map(P, out);
    case T_IDENT:
        if (tok_is_ci(t, "true") || tok_is_ci(t, "false")) {
            next(P);
            return lit_pv(P, rp_pv_bool(P->a, tok_is_ci(t, "true")), out);
        }
        if (tok_is_ci(t, "null")) {
            next(P);
            return lit_pv(P, rp_pv_null(P->a), out);
        }
        if (is_range_start(P)) return parse_range(P, out);
        break;
    default:
        break;
    }
    return unexpected(P, t, "a value");
}

/* ---- queries and operands ------------------------------------------------------------- */

static rp_err parse_block_body(struct parser *P, struct gblock *b, enum gtok term, bool cond,
                               const struct gtoken *open);
static rp_err parse_operand(struct parser *P, struct gblock *scope, struct gopnd *o, bool lhs);

static rp_err new_varref(struct parser *P, const struct gtoken *t, struct gblock *scope,
                         struct gvarref **out)
{
    struct gvarref *v = zalloc(P, sizeof(*v));
    if (!v) return RP_ENOMEM;
    v->name = t->val;
    v->nlen = t->len;
    v->line = t->line;
    v->col = t->col;
    v->scope = scope;
    v->pre = -1;
    *out = v;
    return vpush(P->a, &P->varrefs, v);
}

static rp_err add_part(struct parser *P, struct pvec *parts, struct gpart *p)
{
    struct gpart *c = (struct gpart *)(void *)rp_arena_memdup(P->a, p, sizeof(*p));
    if (!c) return RP_ENOMEM;
    return vpush(P->a, parts, c);
}

static bool is_unary_kw(const struct gtoken *t, enum gop *op)
{
    static const struct {
        const char *kw;
        enum gop op;
    } tab[] = {{"exists", OP_EXISTS},   {"empty", OP_EMPTY},         {"is_string", OP_IS_STRING},
               {"is_list", OP_IS_LIST}, {"is_struct", OP_IS_STRUCT}, {"is_bool", OP_IS_BOOL},
               {"is_int", OP_IS_INT},   {"is_float", OP_IS_FLOAT},   {"is_null", OP_IS_NULL}};
    for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++)
        if (tok_is_ci(t, tab[k].kw)) {
            *op = tab[k].op;
            return true;
        }
    return false;
}

/* Parse a comparison operator at the cursor: sets *op, *not; false when none is there. */
static bool parse_op(struct parser *P, enum gop *op, bool *opnot)
{
    const struct gtoken *t = peek(P);
    *opnot = false;
    switch (t->kind) {
    case T_EQ:
        *op = OP_EQ;
        next(P);
        return true;
    case T_NE:
        *op = OP_NE;
        next(P);
        return true;
    case T_LT:
        *op = OP_LT;
        next(P);
        return true;
    case T_GT:
        *op = OP_GT;
        next(P);
        return true;
    case T_LE:
        *op = OP_LE;
        next(P);
        return true;
    case T_GE:
        *op = OP_GE;
        next(P);
        return true;
    default:
        break;
    }
    if (tok_is_ci(t, "in")) {
        *op = OP_IN;
        next(P);
        return true;
    }
    if (is_unary_kw(t, op)) {
        next(P);
        return true;
    }
    if (t->kind == T_BANG || tok_is_ci(t, "not")) {
        const struct gtoken *u = peek2(P);
        if (tok_is_ci(u, "in")) {
            *op = OP_IN;
        } else if (!is_unary_kw(u, op)) {
            return false;
        }
        *opnot = true;
        next(P);
        next(P);
        return true;
    }
    return false;
}

static rp_err parse_query(struct parser *P, struct gblock *scope, struct gquery *q)
{
    struct pvec parts = {0};
    const struct gtoken *t = peek(P);
    rp_err e = RP_OK;
    if (tok_is(t, "this")) {
        next(P);
        q->start = GQ_THIS;
    } else if (t->kind == T_VAR) {
        next(P);
        q->start = GQ_VAR;
        if ((e = new_varref(P, t, scope, &q->var)) != RP_OK) return e;
    } else if (t->kind == T_IDENT || t->kind == T_STRING) {
        next(P);
        q->start = GQ_ROOT;
        struct gpart p = {.kind = GP_KEY, .key = t->val, .klen = t->len};
        if (t->kind == T_IDENT && !(p.key = rp_arena_memdup(P->a, t->val, t->len)))
            return RP_ENOMEM;
        if ((e = add_part(P, &parts, &p)) != RP_OK) return e;
    } else if (t->kind == T_STAR) {
        next(P);
        q->start = GQ_ROOT;
        struct gpart p = {.kind = GP_STAR};
        if ((e = add_part(P, &parts, &p)) != RP_OK) return e;
    } else {
        return unexpected(P, t, "a query");
    }
    for (;;) {
        t = peek(P);
        if ((t->kind == T_DOT || t->kind == T_LBRACK) && parts.n >= GUARD_MAX_PARTS)
            return perr(P, t, "query longer than %d steps", GUARD_MAX_PARTS);
        if (t->kind == T_DOT) {
            next(P);
            const struct gtoken *k = next(P);
            struct gpart p = {.kind = GP_KEY};
            if (k->kind == T_IDENT) {
                p.key = rp_arena_memdup(P->a, k->val, k->len);
                if (!p.key) return RP_ENOMEM;
                p.klen = k->len;
            } else if (k->kind == T_STRING) {
                p.key = k->val;
                p.klen = k->len;
            } else if (k->kind == T_STAR) {
                p.kind = GP_STAR;
            } else if (k->kind == T_INT && k->i >= 0) {
                p.kind = GP_INDEX;
                p.index = k->i;
            } else if (k->kind == T_VAR) {
                p.kind = GP_VARKEY;
                if ((e = new_varref(P, k, scope, &p.var)) != RP_OK) return e;
            } else {
                return unexpected(P, k, "a key after '.'");
            }
            if ((e = add_part(P, &parts, &p)) != RP_OK) return e;
        } else if (t->kind == T_LBRACK) {
            const struct gtoken *open = next(P);
            const struct gtoken *u = peek(P);
            struct gpart p = {.kind = GP_ALL};
            if (u->kind == T_STAR && peek2(P)->kind == T_RBRACK) {
                next(P);
            } else if (u->kind == T_INT && peek2(P)->kind == T_RBRACK) {
                next(P);
                p.kind = GP_INDEX;
                p.index = u->i;
            } else if (tok_is(u, "keys")) {
                next(P);
                p.kind = GP_KEYFILTER;
                if (!parse_op(P, &p.kop, &p.knot) || p.kop > OP_IN)
                    return unexpected(P, peek(P), "a comparison operator after 'keys'");
                if (p.kop == OP_NE) {
                    p.kop = OP_EQ;
                    p.knot = true;
                }
                if ((e = parse_operand(P, scope, &p.krhs, false)) != RP_OK) return e;
            } else {
                if ((e = enter(P)) != RP_OK) return e;
                p.kind = GP_FILTER;
                p.filter = new_block(P, scope);
                if (!p.filter) return RP_ENOMEM;
                if ((e = parse_block_body(P, p.filter, T_RBRACK, false, open)) != RP_OK) return e;
                if (p.filter->ngroups == 0) return perr(P, u, "empty filter");
                leave(P);
            }
            if (peek(P)->kind != T_RBRACK)
                return perr(P, peek(P), "expected ']' to close the filter opened at %u:%u",
                            open->line, open->col);
            next(P);
            if ((e = add_part(P, &parts, &p)) != RP_OK) return e;
        } else {
            break;
        }
    }
    q->nparts = parts.n;
    if (parts.n) {
        q->parts = rp_arena_alloc(P->a, parts.n * sizeof(struct gpart));
        if (!q->parts) return RP_ENOMEM;
        for (uint32_t k = 0; k < parts.n; k++) q->parts[k] = *(struct gpart *)parts.p[k];
    }
    return RP_OK;
}

static rp_err parse_call(struct parser *P, struct gblock *scope, struct gcall **out)
{
    const struct gtoken *name = next(P);
    const struct gtoken *open = next(P); /* ( */
    const struct gfn_info *fi = rp_guard_fn_find(name->val, name->len);
    if (!fi) return perr(P, name, "unknown function '%.*s'", (int)name->len, name->val);
    struct gcall *c = zalloc(P, sizeof(*c));
    if (!c) return RP_ENOMEM;
    c->fn = fi->fn;
    struct gopnd args[4];
    uint32_t n = 0;
    rp_err e = enter(P);
    if (e != RP_OK) return e;
    while (peek(P)->kind != T_RPAREN) {
        if (peek(P)->kind == T_EOF)
            return perr(P, peek(P), "expected ')' to close the call opened at %u:%u", open->line,
                        open->col);
        if (n == 4) return perr(P, peek(P), "too many arguments for '%s'", fi->name);
        memset(&args[n], 0, sizeof(args[n]));
        if ((e = parse_operand(P, scope, &args[n], false)) != RP_OK) return e;
        n++;
        if (peek(P)->kind == T_COMMA)
            next(P);
        else if (peek(P)->kind != T_RPAREN)
            return perr(P, peek(P), "expected ')' to close the call opened at %u:%u", open->line,
                        open->col);
    }
    next(P);
    leave(P);
    if (n < fi->min_args || n > fi->max_args) {
        if (fi->min_args == fi->max_args)
            return perr(P, name, "'%s' takes %u argument%s, not %u", fi->name, fi->min_args,
                        fi->min_args == 1 ? "" : "s", n);
        return perr(P, name, "'%s' takes %u to %u arguments, not %u", fi->name, fi->min_args,
                    fi->max_args, n);
    }
    c->nargs = n;
    if (n) {
        c->args = (struct gopnd *)(void *)rp_arena_memdup(P->a, args, n * sizeof(args[0]));
        if (!c->args) return RP_ENOMEM;
    }
    if (c->fn == FN_REGEX_REPLACE && c->args[1].kind == GO_LIT) {
        const struct glit *l = c->args[1].lit;
        if (l->kind == GL_RE) {
            c->re = l->re;
        } else if (l->kind == GL_PV && l->pv->kind == RP_PV_STRING) {
            if ((e = compile_re(P, name, l->pv->u.s, l->pv->n, &c->re)) != RP_OK) return e;
        } else {
            return perr(P, name, "the second argument of 'regex_replace' must be a regex");
        }
    } else if (c->fn == FN_REGEX_REPLACE && c->args[1].kind == GO_QUERY &&
               c->args[1].q->start == GQ_VAR && c->args[1].q->nparts == 0) {
        /* a let holding a constant pattern is compiled after resolution */
        if ((e = vpush(P->a, &P->rxcalls, c)) != RP_OK) return e;
    }
    *out = c;
    return RP_OK;
}

static bool is_call_start(const struct parser *P)
{
    return peek(P)->kind == T_IDENT && peek2(P)->kind == T_LPAREN;
}

static bool can_start_operand(const struct gtoken *t)
{
    switch (t->kind) {
    case T_IDENT:
    case T_STRING:
    case T_INT:
    case T_FLOAT:
    case T_REGEX:
    case T_VAR:
    case T_LBRACK:
    case T_LBRACE:
    case T_STAR:
        return true;
    default:
        return false;
    }
}

static rp_err parse_operand(struct parser *P, struct gblock *scope, struct gopnd *o, bool lhs)
{
    size_t from = P->i;
    rp_err e = RP_OK;
    if (is_call_start(P) && !is_range_start(P)) {
        o->kind = GO_CALL;
        e = parse_call(P, scope, &o->call);
    } else if (is_literal_start(P) && !(lhs && peek(P)->kind == T_STRING)) {
        o->kind = GO_LIT;
        e = parse_literal(P, &o->lit);
    } else {
        o->kind = GO_QUERY;
        o->q = zalloc(P, sizeof(*o->q));
        if (!o->q) return RP_ENOMEM;
        e = parse_query(P, scope, o->q);
    }
    if (e != RP_OK) return e;
    o->text = text_of(P, from, &o->tlen);
    return RP_OK;
}

/* ---- clauses and blocks --------------------------------------------------------------- */

static rp_err parse_message(struct parser *P, struct gblock *scope, const struct gtoken *t,
                            struct gclause *c)
{
    /* Split the text into literal pieces and {{query}} interpolations. Whitespace runs
     * (newlines included) become one space and the ends are trimmed at render time. */
    struct gmsgpart parts[16];
    uint32_t n = 0;
    const char *s = t->val;
    uint32_t len = t->len, k = 0, lit = 0;
    while (k < len) {
        if (k + 1 < len && s[k] == '{' && s[k + 1] == '{') {
            uint32_t j = k + 2;
            while (j + 1 < len && !(s[j] == '}' && s[j + 1] == '}')) j++;
            if (j + 1 >= len) break; /* no closing: plain text */
            if (n + 2 > sizeof(parts) / sizeof(parts[0]))
                return perr(P, t, "too many interpolations in the message");
            if (k > lit) parts[n++] = (struct gmsgpart){s + lit, k - lit, NULL};
            /* compile the inner query with a sub-lexer */
            struct gtoken *toks = NULL;
            size_t nt = 0;
            struct rp_errbuf eb2;
            rp_err e = rp_guard_lex(P->a, P->f->name, s + k + 2, j - k - 2, &toks, &nt, &eb2);
            if (e == RP_ENOMEM) return e;
            if (e != RP_OK || nt < 2)
                return perr(P, t, "bad interpolation '{{%.*s}}' in the message",
                            (int)(j - k - 2 > 60 ? 60 : j - k - 2), s + k + 2);
            struct parser sub = *P;
            sub.src = s + k + 2;
            sub.t = toks;
            sub.nt = nt;
            sub.i = 0;
            struct gopnd *o = zalloc(P, sizeof(*o));
            if (!o) return RP_ENOMEM;
            e = parse_operand(&sub, scope, o, false);
            if (e == RP_OK && sub.t[sub.i].kind != T_EOF) e = RP_EPARSE;
            if (e == RP_ENOMEM) return e;
            if (e != RP_OK)
                return perr(P, t, "bad interpolation '{{%.*s}}' in the message",
                            (int)(j - k - 2 > 60 ? 60 : j - k - 2), s + k + 2);
            P->varrefs = sub.varrefs;
            parts[n++] = (struct gmsgpart){NULL, 0, o};
            k = lit = j + 2;
            continue;
        }
        k++;
    }
    if (len > lit) {
        if (n + 1 > sizeof(parts) / sizeof(parts[0]))
            return perr(P, t, "too many interpolations in the message");
        parts[n++] = (struct gmsgpart){s + lit, len - lit, NULL};
    }
    if (n == 0) parts[n++] = (struct gmsgpart){"", 0, NULL};
    c->msg = (struct gmsgpart *)(void *)rp_arena_memdup(P->a, parts, n * sizeof(parts[0]));
    if (!c->msg) return RP_ENOMEM;
    c->nmsg = n;
    return RP_OK;
}

static rp_err maybe_message(struct parser *P, struct gblock *scope, struct gclause *c)
{
    if (peek(P)->kind != T_MSG) return RP_OK;
    return parse_message(P, scope, next(P), c);
}

static rp_err parse_clause(struct parser *P, struct gblock *scope, bool cond, struct gclause **out);

static rp_err parse_braced_body(struct parser *P, struct gblock *body)
{
    const struct gtoken *open = peek(P);
    if (open->kind != T_LBRACE) return unexpected(P, open, "'{'");
    next(P);
    rp_err e = enter(P);
    if (e != RP_OK) return e;
    if ((e = parse_block_body(P, body, T_RBRACE, false, open)) != RP_OK) return e;
    if (peek(P)->kind != T_RBRACE)
        return perr(P, peek(P), "expected '}' to close the block opened at %u:%u", open->line,
                    open->col);
    next(P);
    leave(P);
    return RP_OK;
}

/* when conditions: clause groups up to the '{' that opens the body */
static rp_err parse_conditions(struct parser *P, struct gblock *parent, struct gblock **out)
{
    struct gblock *c = new_block(P, parent);
    if (!c) return RP_ENOMEM;
    const struct gtoken *at = peek(P);
    rp_err e = parse_block_body(P, c, T_LBRACE, true, at);
    if (e != RP_OK) return e;
    if (c->ngroups == 0) return perr(P, at, "expected a condition after 'when'");
    *out = c;
    return RP_OK;
}

static rp_err parse_clause(struct parser *P, struct gblock *scope, bool cond, struct gclause **out)
{
    const struct gtoken *t = peek(P);
    struct gclause *c = zalloc(P, sizeof(*c));
    if (!c) return RP_ENOMEM;
    c->line = t->line;
    c->col = t->col;
    rp_err e = RP_OK;
    if (tok_is(t, "when")) {
        if (cond) return perr(P, t, "'when' is not allowed in a condition");
        next(P);
        c->kind = GC_WHEN;
        if ((e = parse_conditions(P, scope, &c->cond)) != RP_OK) return e;
        if (!(c->body = new_block(P, scope))) return RP_ENOMEM;
        if ((e = parse_braced_body(P, c->body)) != RP_OK) return e;
        *out = c;
        return RP_OK;
    }
    if (t->kind == T_TYPE) {
        if (cond) return perr(P, t, "a type block is not allowed in a condition");
        next(P);
        c->kind = GC_TYPE;
        c->type = rp_arena_memdup(P->a, t->val, t->len);
        if (!c->type) return RP_ENOMEM;
        c->typelen = t->len;
        if (tok_is(peek(P), "when")) {
            next(P);
            if ((e = parse_conditions(P, scope, &c->cond)) != RP_OK) return e;
        }
        if (!(c->body = new_block(P, scope))) return RP_ENOMEM;
        if ((e = parse_braced_body(P, c->body)) != RP_OK) return e;
        *out = c;
        return RP_OK;
    }
    /* not NAME / !NAME: a negated named rule; not <clause>: an inverted clause */
    if ((t->kind == T_BANG || tok_is_ci(t, "not")) && !is_unary_kw(peek2(P), &c->op) &&
        !tok_is_ci(peek2(P), "in")) {
        next(P);
        size_t from = P->i;
        struct gclause *r = NULL;
        if ((e = enter(P)) != RP_OK) return e;
        if ((e = parse_clause(P, scope, cond, &r)) != RP_OK) return e;
        leave(P);
        if (r->kind == GC_REF) {
            r->negate = !r->negate;
            r->line = c->line;
            r->col = c->col;
            *out = r;
            return RP_OK;
        }
        c->kind = GC_NOT;
        c->sub = r;
        c->lhs.text = text_of(P, from, &c->lhs.tlen);
        *out = c;
        return RP_OK;
    }
    if (tok_is(t, "some")) {
        next(P);
        c->some = true;
    }
    size_t from = P->i;
    if ((e = parse_operand(P, scope, &c->lhs, true)) != RP_OK) return e;
    if (c->lhs.kind == GO_QUERY) c->lhs.q->some = c->some;
    const struct gtoken *u = peek(P);
    if (u->kind == T_LBRACE && !cond && c->lhs.kind == GO_QUERY) {
        c->kind = GC_BLOCK;
        if (!(c->body = new_block(P, scope))) return RP_ENOMEM;
        if ((e = parse_braced_body(P, c->body)) != RP_OK) return e;
        *out = c;
        return RP_OK;
    }
    size_t opi = P->i;
    if (parse_op(P, &c->op, &c->opnot)) {
        c->optext = text_of(P, opi, &c->oplen);
        if (c->op >= OP_EXISTS) {
            c->kind = GC_UNARY;
        } else {
            c->kind = GC_CMP;
            if (c->op == OP_NE) {
                c->op = OP_EQ;
                c->opnot = true;
            }
            if (!can_start_operand(peek(P))) {
                char b[64];
                return perr(P, peek(P), "expected a value after '%.*s', found %s", (int)c->oplen,
                            c->optext, tok_desc(peek(P), b, sizeof(b)));
            }
            if ((e = parse_operand(P, scope, &c->rhs, false)) != RP_OK) return e;
        }
        if ((e = maybe_message(P, scope, c)) != RP_OK) return e;
        *out = c;
        return RP_OK;
    }
    /* a bare name: a named rule */
    if (!c->some && c->lhs.kind == GO_QUERY && c->lhs.q->start == GQ_ROOT &&
        c->lhs.q->nparts == 1 && c->lhs.q->parts[0].kind == GP_KEY && P->i == from + 1 &&
        P->t[from].kind == T_IDENT) {
        c->kind = GC_REF;
        c->refname = c->lhs.q->parts[0].key;
        c->reflen = c->lhs.q->parts[0].klen;
        memset(&c->lhs, 0, sizeof(c->lhs));
        if ((e = vpush(P->a, &P->refs, c)) != RP_OK) return e;
        if ((e = vpush(P->a, &P->reffrom, P->cur_rule)) != RP_OK) return e;
        if ((e = maybe_message(P, scope, c)) != RP_OK) return e;
        *out = c;
        return RP_OK;
    }
    if (c->lhs.kind == GO_QUERY && u->kind == T_LBRACE && cond)
        return perr(P, u, "a query block is not allowed in a 'when' condition");
    char b[64];
    return perr(P, u, "expected an operator after '%.*s', found %s",
                (int)(c->lhs.tlen > 60 ? 60 : c->lhs.tlen), c->lhs.text, tok_desc(u, b, sizeof(b)));
}

static rp_err parse_let(struct parser *P, struct gblock *b)
{
    const struct gtoken *kw = next(P);
    const struct gtoken *name = next(P);
    if (name->kind != T_IDENT) return unexpected(P, name, "a variable name after 'let'");
    for (uint32_t k = 0; k < b->nlets; k++)
        if (b->lets[k]->nlen == name->len && memcmp(b->lets[k]->name, name->val, name->len) == 0)
            return perr(P, name, "variable '%.*s' already defined in this scope at %u:%u",
                        (int)name->len, name->val, b->lets[k]->line, b->lets[k]->col);
    if (peek(P)->kind == T_COLON && peek2(P)->kind == T_ASSIGN) next(P);
    if (peek(P)->kind != T_ASSIGN) return unexpected(P, peek(P), "'=' after the variable name");
    next(P);
    struct glet *l = zalloc(P, sizeof(*l));
    if (!l) return RP_ENOMEM;
    l->name = rp_arena_memdup(P->a, name->val, name->len);
    if (!l->name) return RP_ENOMEM;
    l->nlen = name->len;
    l->owner = b;
    l->line = kw->line;
    l->col = kw->col;
    if (tok_is(peek(P), "some")) {
        next(P);
        l->some = true;
    }
    rp_err e = parse_operand(P, b, &l->val, false);
    if (e != RP_OK) return e;
    if (l->val.kind == GO_QUERY) l->val.q->some = l->some;
    struct glet **nl = rp_arena_alloc(P->a, (b->nlets + 1) * sizeof(*nl));
    if (!nl) return RP_ENOMEM;
    if (b->nlets) memcpy(nl, b->lets, b->nlets * sizeof(*nl));
    l->idx = b->nlets;
    nl[b->nlets++] = l;
    b->lets = nl;
    return RP_OK;
}

static rp_err add_group(struct parser *P, struct gblock *b, struct pvec *cl)
{
    struct ggroup *ng = rp_arena_alloc(P->a, (b->ngroups + 1) * sizeof(*ng));
    if (!ng) return RP_ENOMEM;
    if (b->ngroups) memcpy(ng, b->groups, b->ngroups * sizeof(*ng));
    ng[b->ngroups].cl = (struct gclause **)cl->p;
    ng[b->ngroups].n = cl->n;
    b->groups = ng;
    b->ngroups++;
    return RP_OK;
}

static rp_err parse_group(struct parser *P, struct gblock *b, bool cond)
{
    struct pvec cl = {0};
    rp_err e = RP_OK;
    for (;;) {
        struct gclause *c = NULL;
        if ((e = parse_clause(P, b, cond, &c)) != RP_OK) return e;
        if ((e = vpush(P->a, &cl, c)) != RP_OK) return e;
        if (tok_is_ci(peek(P), "or")) {
            const struct gtoken *o = next(P);
            const struct gtoken *u = peek(P);
            if (u->kind == T_EOF || u->kind == T_RBRACE || u->kind == T_RBRACK ||
                u->kind == T_LBRACE) {
                char tb[64];
                return perr(P, u, "expected a clause after '%.*s', found %s", (int)o->len, o->val,
                            tok_desc(u, tb, sizeof(tb)));
            }
            continue;
        }
        break;
    }
    return add_group(P, b, &cl);
}

static rp_err parse_block_body(struct parser *P, struct gblock *b, enum gtok term, bool cond,
                               const struct gtoken *open)
{
    rp_err e = RP_OK;
    while (peek(P)->kind != term) {
        const struct gtoken *t = peek(P);
        if (t->kind == T_EOF || t->kind == T_RBRACE || t->kind == T_RBRACK || t->kind == T_RPAREN) {
            char bb[64];
            if (term == T_LBRACE)
                return perr(P, t, "expected '{' after the 'when' conditions, found %s",
                            tok_desc(t, bb, sizeof(bb)));
            if (term == T_RBRACK)
                return perr(P, t, "expected ']' to close the filter opened at %u:%u, found %s",
                            open->line, open->col, tok_desc(t, bb, sizeof(bb)));
            if (term == T_RBRACE && open)
                return perr(P, t, "expected '}' to close the block opened at %u:%u, found %s",
                            open->line, open->col, tok_desc(t, bb, sizeof(bb)));
            return perr(P, t, "unexpected %s", tok_desc(t, bb, sizeof(bb)));
        }
        if (tok_is(t, "let")) {
            if (cond) return perr(P, t, "'let' is not allowed in a condition");
            if ((e = parse_let(P, b)) != RP_OK) return e;
            continue;
        }
        if (tok_is(t, "rule")) return perr(P, t, "a rule cannot be defined inside a block");
        if ((e = parse_group(P, b, cond)) != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err add_rule(struct parser *P, struct grule *r)
{
    r->idx = P->rules.n;
    return vpush(P->a, &P->rules, r);
}

static rp_err parse_rule(struct parser *P)
{
    const struct gtoken *kw = next(P);
    const struct gtoken *name = next(P);
    if (name->kind != T_IDENT) return unexpected(P, name, "a rule name after 'rule'");
    for (uint32_t k = 0; k < P->rules.n; k++) {
        struct grule *o = P->rules.p[k];
        if (o->nlen == name->len && memcmp(o->name, name->val, name->len) == 0)
            return perr(P, name, "rule '%.*s' already defined at %u:%u", (int)name->len, name->val,
                        o->line, o->col);
    }
    struct grule *r = zalloc(P, sizeof(*r));
    if (!r) return RP_ENOMEM;
    r->name = rp_arena_memdup(P->a, name->val, name->len);
    if (!r->name) return RP_ENOMEM;
    r->nlen = name->len;
    r->line = kw->line;
    r->col = kw->col;
    rp_err e = add_rule(P, r);
    if (e != RP_OK) return e;
    P->cur_rule = r;
    if (tok_is(peek(P), "when")) {
        next(P);
        if ((e = parse_conditions(P, P->f->top, &r->cond)) != RP_OK) return e;
    }
    if (!(r->body = new_block(P, P->f->top))) return RP_ENOMEM;
    if (peek(P)->kind != T_LBRACE)
        return unexpected(P, peek(P), r->cond ? "'{' after the rule conditions" : "'{' or 'when'");
    if ((e = parse_braced_body(P, r->body)) != RP_OK) return e;
    P->cur_rule = NULL;
    return RP_OK;
}

static rp_err parse_file(struct parser *P)
{
    rp_err e = RP_OK;
    for (;;) {
        const struct gtoken *t = peek(P);
        if (t->kind == T_EOF) return RP_OK;
        if (tok_is(t, "rule")) {
            if ((e = parse_rule(P)) != RP_OK) return e;
        } else if (tok_is(t, "let")) {
            if ((e = parse_let(P, P->f->top)) != RP_OK) return e;
        } else if (t->kind == T_RBRACE || t->kind == T_RBRACK || t->kind == T_RPAREN) {
            char b[64];
            return perr(P, t, "unexpected %s", tok_desc(t, b, sizeof(b)));
        } else {
            /* a file-level clause: part of the implicit rule "default" */
            if (!P->deflt) {
                struct grule *r = zalloc(P, sizeof(*r));
                if (!r) return RP_ENOMEM;
                r->name = "default";
                r->nlen = 7;
                r->line = t->line;
                r->col = t->col;
                if ((e = add_rule(P, r)) != RP_OK) return e;
                P->cur_rule = r;
                if (!(r->body = new_block(P, P->f->top))) return RP_ENOMEM;
                P->deflt = r;
            }
            P->cur_rule = P->deflt;
            if ((e = parse_group(P, P->deflt->body, false)) != RP_OK) return e;
            P->cur_rule = NULL;
        }
    }
}

/* ---- resolution ----------------------------------------------------------------------- */

static rp_err resolve(struct parser *P, const char *const *pre, size_t npre)
{
    for (uint32_t k = 0; k < P->varrefs.n; k++) {
        struct gvarref *v = P->varrefs.p[k];
        for (struct gblock *b = v->scope; b && !v->let; b = b->parent)
            for (uint32_t j = 0; j < b->nlets; j++)
                if (b->lets[j]->nlen == v->nlen &&
                    memcmp(b->lets[j]->name, v->name, v->nlen) == 0) {
                    v->let = b->lets[j];
                    break;
                }
        if (v->let) continue;
        for (size_t j = 0; j < npre; j++)
            if (pre[j] && strlen(pre[j]) == v->nlen && memcmp(pre[j], v->name, v->nlen) == 0) {
                v->pre = (int)j;
                break;
            }
        if (v->pre < 0)
            return rp_fail(P->eb, RP_EPARSE, "%s:%u:%u: undefined variable '%%%.*s'", P->f->name,
                           v->line, v->col, (int)v->nlen, v->name);
    }
    for (uint32_t k = 0; k < P->refs.n; k++) {
        struct gclause *c = P->refs.p[k];
        for (uint32_t j = 0; j < P->rules.n; j++) {
            struct grule *r = P->rules.p[j];
            if (r != P->deflt && r->nlen == c->reflen &&
                memcmp(r->name, c->refname, r->nlen) == 0) {
                c->ref = r;
                break;
            }
        }
        if (!c->ref)
            return rp_fail(P->eb, RP_EPARSE, "%s:%u:%u: undefined rule '%.*s'", P->f->name, c->line,
                           c->col, (int)c->reflen, c->refname);
    }
    for (uint32_t k = 0; k < P->rxcalls.n; k++) {
        struct gcall *c = P->rxcalls.p[k];
        const struct glet *l = c->args[1].q->var->let;
        if (!l || l->val.kind != GO_LIT) continue;
        const struct glit *lit = l->val.lit;
        if (lit->kind == GL_RE) {
            c->re = lit->re;
        } else if (lit->kind == GL_PV && lit->pv->kind == RP_PV_STRING) {
            const struct gtoken at = {.line = l->line, .col = l->col};
            rp_err e = compile_re(P, &at, lit->pv->u.s, lit->pv->n, &c->re);
            if (e != RP_OK) return e;
        }
    }
    /* cycles: depth-first search over rule -> referenced rules */
    uint32_t nr = P->rules.n;
    if (!nr) return RP_OK;
    uint8_t *state = rp_arena_zalloc(P->a, nr);
    uint32_t *stack = rp_arena_alloc(P->a, nr * sizeof(uint32_t));
    uint32_t *edge = rp_arena_alloc(P->a, nr * sizeof(uint32_t));
    if (!state || !stack || !edge) return RP_ENOMEM;
    for (uint32_t s = 0; s < nr; s++) {
        if (state[s]) continue;
        uint32_t sp = 0;
        stack[sp] = s;
        edge[sp] = 0;
        sp++;
        state[s] = 1;
        while (sp) {
            uint32_t r = stack[sp - 1];
            bool pushed = false;
            while (edge[sp - 1] < P->refs.n) {
                uint32_t k = edge[sp - 1]++;
                struct grule *from = P->reffrom.p[k];
                if (!from || from->idx != r) continue;
                struct gclause *c = P->refs.p[k];
                uint32_t to = c->ref->idx;
                if (state[to] == 1)
                    return rp_fail(P->eb, RP_EPARSE, "%s:%u:%u: rule '%.*s' depends on itself",
                                   P->f->name, c->line, c->col, (int)c->ref->nlen, c->ref->name);
                if (state[to] == 0) {
                    state[to] = 1;
                    stack[sp] = to;
                    edge[sp] = 0;
                    sp++;
                    pushed = true;
                    break;
                }
            }
            if (!pushed) {
                state[r] = 2;
                sp--;
            }
        }
    }
    return RP_OK;
}

rp_err rp_guard_compile(const char *name, const char *text, size_t n,
                        const char *const *predeclared, size_t npre, struct rp_guard_file **out,
                        struct rp_errbuf *eb)
{
    *out = NULL;
    if (!name) name = "rules.guard";
    if (n > UINT32_MAX / 2) return rp_fail(eb, RP_ELIMIT, "%s: rules file too large", name);
    struct rp_guard_file *f = calloc(1, sizeof(*f));
    if (!f) return rp_fail(eb, RP_ENOMEM, "guard: out of memory");
    rp_arena_init(&f->arena, 0);
    struct parser P = {.f = f, .a = &f->arena, .src = text, .eb = eb};
    rp_err e = RP_ENOMEM;
    f->name = rp_arena_strdup(&f->arena, name);
    f->top = rp_arena_zalloc(&f->arena, sizeof(*f->top));
    f->mctx = pcre2_match_context_create(NULL);
    if (!f->name || !f->top || !f->mctx) goto fail;
    pcre2_set_match_limit(f->mctx, 1000000);
    pcre2_set_depth_limit(f->mctx, 10000);
    struct gtoken *toks = NULL;
    size_t nt = 0;
    if ((e = rp_guard_lex(&f->arena, name, text ? text : "", text ? n : 0, &toks, &nt, eb)) !=
        RP_OK)
        goto fail;
    P.t = toks;
    P.nt = nt;
    if ((e = parse_file(&P)) != RP_OK) goto fail;
    if ((e = resolve(&P, predeclared, npre)) != RP_OK) goto fail;
    f->rules = (struct grule **)P.rules.p;
    f->nrules = P.rules.n;
    f->npre = (uint32_t)npre;
    if (npre) {
        f->pre = rp_arena_alloc(&f->arena, npre * sizeof(char *));
        if (!f->pre) goto fail_nomem;
        for (size_t k = 0; k < npre; k++)
            if (!(f->pre[k] = rp_arena_strdup(&f->arena, predeclared[k] ? predeclared[k] : "")))
                goto fail_nomem;
    }
    *out = f;
    return RP_OK;
fail_nomem:
    e = RP_ENOMEM;
fail:
    if (e == RP_ENOMEM) rp_fail(eb, e, "guard: out of memory compiling '%s'", name);
    rp_guard_file_free(f);
    return e;
}

void rp_guard_file_free(struct rp_guard_file *f)
{
    if (!f) return;
    for (uint32_t k = 0; k < f->nres; k++) pcre2_code_free(f->res[k]);
    free(f->res);
    pcre2_match_context_free(f->mctx);
    rp_arena_release(&f->arena);
    free(f);
}

size_t rp_guard_file_rule_count(const struct rp_guard_file *f)
{
    return f ? f->nrules : 0;
}

const char *rp_guard_file_rule_name(const struct rp_guard_file *f, size_t i)
{
    return f && i < f->nrules ? f->rules[i]->name : NULL;
}
