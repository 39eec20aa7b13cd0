/* SPDX-License-Identifier: Apache-2.0 */
/* Conformance packs (posture_pack.h, docs/conformance-packs.md): a CloudFormation template of
 * AWS::Config::ConfigRule resources turned into resolved rules, and checked against a rule set.
 *
 * The template goes YAML -> JSON with rp_yaml_to_json_cfn (short-form tags become the long
 * form, and every JSON value keeps its YAML line:column), then into a small tree of nodes in
 * the pack's arena, each with its position, so every problem found while resolving is reported
 * where it is in the file. Resolution works on copies: resolve() returns a new tree with the
 * intrinsic functions applied and AWS::NoValue members removed, and the rule's properties are
 * read from that. Nothing here evaluates a rule; posture_rule.c does, with the parameters this
 * file resolves. */
#define RP_LOG_MODULE "posture"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_yaml.h"
#include "posture/posture_pack.h"
#include "core/rp_banned.h"

/* ---- the template as a tree with positions ------------------------------------------------ */

#define MAX_COND_DEPTH 64

enum nkind { N_NULL, N_BOOL, N_INT, N_DOUBLE, N_STR, N_LIST, N_MAP, N_NOVALUE };

struct node {
    enum nkind k;
    uint32_t line, col; /* 1-based; 0 when unknown */
    bool b;
    int64_t i;
    double d;
    const char *s; /* N_STR, NUL-terminated */
    size_t len;    /* N_STR length */
    size_t n;      /* N_LIST / N_MAP members */
    struct node **items;
    const char **keys; /* N_MAP */
};

struct pctx {
    struct rp_arena *a;
    const char *name;
    struct rp_errbuf *eb;
    const struct rp_yaml_marks *marks;
    size_t mark_i;
    const struct node *params;           /* Parameters map, or NULL */
    struct rp_posture_pack_param *pvals; /* one per params member */
    const struct node *conds;            /* Conditions map, or NULL */
    uint8_t *cond_state;                 /* per condition: 0 new, 1 evaluating, 2 false, 3 true */
    unsigned cond_depth;                 /* conditions being evaluated, one inside the other */
    const struct node *resources;        /* Resources map */
};

static rp_err RP_PRINTF(3, 4) fail_at(struct pctx *c, const struct node *at, const char *fmt, ...)
{
    char msg[RP_MAX_ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at && at->line)
        return rp_fail(c->eb, RP_EPARSE, "%s:%u:%u: %s", c->name, at->line, at->col, msg);
    return rp_fail(c->eb, RP_EPARSE, "%s: %s", c->name, msg);
}

static rp_err oom(struct pctx *c)
{
    return rp_fail(c->eb, RP_ENOMEM, "%s: out of memory", c->name);
}

static struct node *node_new(struct pctx *c, enum nkind k, const struct node *pos)
{
    struct node *x = rp_arena_zalloc(c->a, sizeof *x);
    if (!x) return NULL;
    x->k = k;
    if (pos) {
        x->line = pos->line;
        x->col = pos->col;
    }
    return x;
}

static struct node *str_node(struct pctx *c, const char *s, size_t len, const struct node *pos)
{
    struct node *x = node_new(c, N_STR, pos);
    if (!x || !(x->s = rp_arena_memdup(c->a, s, len))) return NULL;
    x->len = len;
    return x;
}

static rp_err from_json(struct pctx *c, struct rp_json_val v, struct node **out)
{
    struct node *x = rp_arena_zalloc(c->a, sizeof *x);
    if (!x) return oom(c);
    if (c->marks && c->mark_i < c->marks->n) {
        x->line = c->marks->v[c->mark_i].line;
        x->col = c->marks->v[c->mark_i].col;
    }
    c->mark_i++;
    struct rp_str s;
    struct rp_json_iter it;
    struct rp_json_val el;
    switch (rp_json_type(v)) {
    case RP_JSON_BOOL:
        x->k = N_BOOL;
        if (rp_json_get_bool(v, &x->b)) return oom(c);
        break;
    case RP_JSON_INT:
        x->k = N_INT;
        if (rp_json_get_i64(v, &x->i)) return oom(c);
        break;
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        x->k = N_DOUBLE;
        if (rp_json_get_double(v, &x->d)) return oom(c);
        break;
    case RP_JSON_STRING:
        x->k = N_STR;
        if (rp_json_get_str(v, &s) || !(x->s = rp_arena_memdup(c->a, s.p, s.len))) return oom(c);
        x->len = s.len;
        break;
    case RP_JSON_ARRAY:
    case RP_JSON_OBJECT: {
        bool map = rp_json_type(v) == RP_JSON_OBJECT;
        x->k = map ? N_MAP : N_LIST;
        size_t n = rp_json_len(v);
        x->items = rp_arena_zalloc(c->a, (n ? n : 1) * sizeof *x->items);
        if (map) x->keys = rp_arena_zalloc(c->a, (n ? n : 1) * sizeof *x->keys);
        if (!x->items || (map && !x->keys)) return oom(c);
        if (map ? rp_json_obj_iter(v, &it) : rp_json_arr_iter(v, &it)) return oom(c);
        while (x->n < n && (map ? rp_json_obj_next(&it, &s, &el) : rp_json_arr_next(&it, &el))) {
            if (map && !(x->keys[x->n] = rp_arena_memdup(c->a, s.p, s.len))) return oom(c);
            rp_err e = from_json(c, el, &x->items[x->n]);
            if (e) return e;
            x->n++;
        }
        break;
    }
    default:
        x->k = N_NULL;
        break;
    }
    *out = x;
    return RP_OK;
}

static const struct node *get(const struct node *m, const char *key)
{
    if (!m || m->k != N_MAP) return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i], key) == 0) return m->items[i];
    return NULL;
}

static const char *kind_name(enum nkind k)
{
    switch (k) {
    case N_NULL:
        return "null";
    case N_BOOL:
        return "a boolean";
    case N_INT:
    case N_DOUBLE:
        return "a number";
    case N_STR:
        return "text";
    case N_LIST:
        return "a list";
    case N_MAP:
        return "a mapping";
    case N_NOVALUE:
        return "AWS::NoValue";
    }
    return "?";
}

/* A scalar as the text AWS Config keeps: strings as they are, numbers in decimal, booleans
 * "true"/"false". NULL (no error set) for anything else. */
static const char *scalar_text(struct pctx *c, const struct node *x)
{
    char buf[64];
    switch (x->k) {
    case N_STR:
        return x->s;
    case N_BOOL:
        return x->b ? "true" : "false";
    case N_INT:
        snprintf(buf, sizeof buf, "%lld", (long long)x->i);
        return rp_arena_strdup(c->a, buf);
    case N_DOUBLE: {
        struct rp_buf b;
        rp_buf_init(&b, 128);
        struct rp_json_writer w;
        rp_json_writer_init(&w, &b);
        rp_json_write_double(&w, x->d);
        const char *r = NULL;
        if (rp_json_writer_finish(&w) == RP_OK) r = rp_arena_memdup(c->a, b.data, b.len);
        rp_buf_release(&b);
        return r;
    }
    default:
        return NULL;
    }
}

/* ---- parameters, conditions and intrinsic functions --------------------------------------- */

static bool is_intrinsic(const struct node *x, const char **fn, const struct node **arg)
{
    if (x->k != N_MAP || x->n != 1) return false;
    const char *k = x->keys[0];
    if (strcmp(k, "Ref") != 0 && strcmp(k, "Condition") != 0 && strncmp(k, "Fn::", 4) != 0)
        return false;
    *fn = k;
    *arg = x->items[0];
    return true;
}

static rp_err ref_value(struct pctx *c, const struct node *at, const char *target,
                        struct node **out)
{
    if (strcmp(target, "AWS::NoValue") == 0) {
        *out = node_new(c, N_NOVALUE, at);
        return *out ? RP_OK : oom(c);
    }
    const char *pseudo = NULL;
    if (strcmp(target, "AWS::Partition") == 0) pseudo = "aws";
    if (strcmp(target, "AWS::URLSuffix") == 0) pseudo = "amazonaws.com";
    if (pseudo) {
        *out = str_node(c, pseudo, strlen(pseudo), at);
        return *out ? RP_OK : oom(c);
    }
    if (strncmp(target, "AWS::", 5) == 0)
        return fail_at(c, at, "pseudo parameter '%s' is not supported in a conformance pack",
                       target);
    for (size_t i = 0; c->params && i < c->params->n; i++) {
        if (strcmp(c->params->keys[i], target) != 0) continue;
        const char *v = c->pvals[i].value;
        if (!v)
            return fail_at(c, at, "parameter '%s' has no Default and no value was given", target);
        *out = str_node(c, v, strlen(v), at);
        return *out ? RP_OK : oom(c);
    }
    if (get(c->resources, target))
        return fail_at(c, at, "Ref to resource '%s' is not supported (only parameters)", target);
    return fail_at(c, at, "Ref to '%s': no such parameter", target);
}

static rp_err eval_cond(struct pctx *c, const struct node *x, bool *out);
static rp_err resolve(struct pctx *c, const struct node *x, struct node **out);

static rp_err eval_named(struct pctx *c, const struct node *at, const char *name, bool *out)
{
    for (size_t i = 0; c->conds && i < c->conds->n; i++) {
        if (strcmp(c->conds->keys[i], name) != 0) continue;
        if (c->cond_state[i] == 1) return fail_at(c, at, "condition '%s' refers to itself", name);
        if (c->cond_state[i] == 0) {
            /* a chain of conditions naming each other is bounded, so the stack is */
            if (c->cond_depth >= MAX_COND_DEPTH)
                return fail_at(c, at, "conditions refer to each other more than %d deep",
                               MAX_COND_DEPTH);
            c->cond_state[i] = 1;
            bool v = false;
            c->cond_depth++;
            rp_err e = eval_cond(c, c->conds->items[i], &v);
            c->cond_depth--;
            if (e) return e;
            c->cond_state[i] = v ? 3 : 2;
        }
        *out = c->cond_state[i] == 3;
        return RP_OK;
    }
    return fail_at(c, at, "condition '%s' is not defined", name);
}

static rp_err want_list(struct pctx *c, const struct node *fnode, const char *fn,
                        const struct node *arg, size_t lo, size_t hi)
{
    if (arg->k != N_LIST || arg->n < lo || arg->n > hi) {
        if (lo == hi)
            return fail_at(c, fnode, "%s takes a list of %zu, not %s", fn, lo,
                           arg->k == N_LIST ? "a list of another length" : kind_name(arg->k));
        return fail_at(c, fnode, "%s takes a list of %zu to %zu, not %s", fn, lo, hi,
                       arg->k == N_LIST ? "a list of another length" : kind_name(arg->k));
    }
    return RP_OK;
}

static rp_err eval_cond(struct pctx *c, const struct node *x, bool *out)
{
    const char *fn = NULL;
    const struct node *arg = NULL;
    if (!is_intrinsic(x, &fn, &arg))
        return fail_at(c, x,
                       "a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition, "
                       "not %s",
                       kind_name(x->k));
    rp_err e;
    if (strcmp(fn, "Condition") == 0) {
        if (arg->k != N_STR)
            return fail_at(c, x, "Condition takes a name, not %s", kind_name(arg->k));
        return eval_named(c, x, arg->s, out);
    }
    if (strcmp(fn, "Fn::Equals") == 0) {
        if ((e = want_list(c, x, fn, arg, 2, 2))) return e;
        const char *t[2];
        for (int i = 0; i < 2; i++) {
            struct node *v = NULL;
            if ((e = resolve(c, arg->items[i], &v))) return e;
            if (v->k == N_NOVALUE) {
                t[i] = "";
                continue;
            }
            if (!(t[i] = scalar_text(c, v)))
                return fail_at(c, arg->items[i], "Fn::Equals compares text, not %s",
                               kind_name(v->k));
        }
        *out = strcmp(t[0], t[1]) == 0;
        return RP_OK;
    }
    if (strcmp(fn, "Fn::Not") == 0) {
        if ((e = want_list(c, x, fn, arg, 1, 1))) return e;
        bool v = false;
        if ((e = eval_cond(c, arg->items[0], &v))) return e;
        *out = !v;
        return RP_OK;
    }
    if (strcmp(fn, "Fn::And") == 0 || strcmp(fn, "Fn::Or") == 0) {
        bool and = fn[4] == 'A';
        if ((e = want_list(c, x, fn, arg, 2, 10))) return e;
        bool acc = and;
        for (size_t i = 0; i < arg->n; i++) {
            bool v = false;
            if ((e = eval_cond(c, arg->items[i], &v))) return e;
            acc = and? (acc && v) : (acc || v);
        }
        *out = acc;
        return RP_OK;
    }
    return fail_at(c, x, "unsupported condition function '%s'", fn);
}

/* Fn::Sub: ${Name} from the variable map, then parameters and pseudo parameters; ${!x} is the
 * literal ${x}. */
static rp_err sub(struct pctx *c, const struct node *at, const struct node *tmpl,
                  const struct node *vars, struct node **out)
{
    if (tmpl->k != N_STR) return fail_at(c, at, "Fn::Sub takes text, not %s", kind_name(tmpl->k));
    struct rp_buf b;
    rp_buf_init(&b, 1u << 20);
    rp_err e = RP_OK;
    const char *s = tmpl->s, *end = tmpl->s + tmpl->len;
    while (s < end && !e) {
        const char *d = strstr(s, "${");
        if (!d || d >= end) {
            e = rp_buf_append(&b, s, (size_t)(end - s));
            break;
        }
        if ((e = rp_buf_append(&b, s, (size_t)(d - s)))) break;
        const char *close = memchr(d, '}', (size_t)(end - d));
        if (!close) {
            e = fail_at(c, at, "Fn::Sub: '${' without a closing '}'");
            break;
        }
        char name[256];
        size_t nl = (size_t)(close - d - 2);
        if (nl >= sizeof name) nl = sizeof name - 1;
        memcpy(name, d + 2, nl);
        name[nl] = 0;
        s = close + 1;
        if (name[0] == '!') {
            if ((e = rp_buf_append_str(&b, "${")) || (e = rp_buf_append_str(&b, name + 1)) ||
                (e = rp_buf_putc(&b, '}')))
                break;
            continue;
        }
        const struct node *var = get(vars, name);
        struct node *v = NULL;
        if (var) {
            e = resolve(c, var, &v);
        } else if (strchr(name, '.')) {
            e = fail_at(c, at, "Fn::Sub: '${%s}' (an attribute) is not supported", name);
        } else if (strcmp(name, "AWS::NoValue") == 0) {
            e = fail_at(c, at, "Fn::Sub: '${AWS::NoValue}' is not allowed");
        } else {
            e = ref_value(c, at, name, &v);
        }
        if (e) break;
        const char *t = scalar_text(c, v);
        if (!t) {
            e = fail_at(c, at, "Fn::Sub: '${%s}' is %s, not text", name, kind_name(v->k));
            break;
        }
        e = rp_buf_append_str(&b, t);
    }
    if (e == RP_ENOMEM || e == RP_ELIMIT) e = oom(c);
    if (!e && !(*out = str_node(c, b.data ? b.data : "", b.len, at))) e = oom(c);
    rp_buf_release(&b);
    return e;
}

static rp_err call(struct pctx *c, const struct node *x, const char *fn, const struct node *arg,
                   struct node **out)
{
    rp_err e;
    if (strcmp(fn, "Ref") == 0) {
        if (arg->k != N_STR) return fail_at(c, x, "Ref takes a name, not %s", kind_name(arg->k));
        return ref_value(c, x, arg->s, out);
    }
    if (strcmp(fn, "Fn::If") == 0) {
        if ((e = want_list(c, x, fn, arg, 3, 3))) return e;
        if (arg->items[0]->k != N_STR)
            return fail_at(c, x, "Fn::If takes a condition name first, not %s",
                           kind_name(arg->items[0]->k));
        bool v = false;
        if ((e = eval_named(c, arg->items[0], arg->items[0]->s, &v))) return e;
        return resolve(c, arg->items[v ? 1 : 2], out);
    }
    if (strcmp(fn, "Fn::Sub") == 0) {
        if (arg->k == N_LIST) {
            if ((e = want_list(c, x, fn, arg, 2, 2))) return e;
            if (arg->items[1]->k != N_MAP)
                return fail_at(c, x, "Fn::Sub takes a mapping of variables second");
            return sub(c, x, arg->items[0], arg->items[1], out);
        }
        return sub(c, x, arg, NULL, out);
    }
    if (strcmp(fn, "Fn::Join") == 0) {
        if ((e = want_list(c, x, fn, arg, 2, 2))) return e;
        struct node *delim = NULL, *list = NULL;
        if ((e = resolve(c, arg->items[0], &delim)) || (e = resolve(c, arg->items[1], &list)))
            return e;
        if (delim->k != N_STR) return fail_at(c, x, "Fn::Join takes a text delimiter first");
        if (list->k != N_LIST) return fail_at(c, x, "Fn::Join takes a list second");
        struct rp_buf b;
        rp_buf_init(&b, 1u << 20);
        for (size_t i = 0; i < list->n && !e; i++) {
            const char *t = scalar_text(c, list->items[i]);
            if (!t) {
                e = fail_at(c, list->items[i], "Fn::Join joins text, not %s",
                            kind_name(list->items[i]->k));
                break;
            }
            if (i && (e = rp_buf_append(&b, delim->s, delim->len))) break;
            e = rp_buf_append_str(&b, t);
        }
        if (e == RP_ENOMEM || e == RP_ELIMIT) e = oom(c);
        if (!e && !(*out = str_node(c, b.data ? b.data : "", b.len, x))) e = oom(c);
        rp_buf_release(&b);
        return e;
    }
    if (strcmp(fn, "Fn::Select") == 0) {
        if ((e = want_list(c, x, fn, arg, 2, 2))) return e;
        struct node *idx = NULL, *list = NULL;
        if ((e = resolve(c, arg->items[0], &idx)) || (e = resolve(c, arg->items[1], &list)))
            return e;
        int64_t i = -1;
        if (idx->k == N_INT) i = idx->i;
        if (idx->k == N_STR && rp_str_to_i64((struct rp_str){idx->s, idx->len}, &i)) i = -1;
        if (list->k != N_LIST) return fail_at(c, x, "Fn::Select takes a list second");
        if (i < 0 || (uint64_t)i >= list->n) return fail_at(c, x, "Fn::Select: index out of range");
        *out = list->items[i];
        return RP_OK;
    }
    if (strcmp(fn, "Fn::Equals") == 0 || strcmp(fn, "Fn::Not") == 0 || strcmp(fn, "Fn::And") == 0 ||
        strcmp(fn, "Fn::Or") == 0 || strcmp(fn, "Condition") == 0)
        return fail_at(c, x, "%s is only allowed in Conditions", fn);
    return fail_at(c, x, "unsupported intrinsic function '%s'", fn);
}

/* A copy of x with every intrinsic function applied and AWS::NoValue members and elements
 * removed (x itself may resolve to N_NOVALUE). */
static rp_err resolve(struct pctx *c, const struct node *x, struct node **out)
{
    const char *fn = NULL;
    const struct node *arg = NULL;
    if (is_intrinsic(x, &fn, &arg)) return call(c, x, fn, arg, out);
    if (x->k != N_LIST && x->k != N_MAP) {
        *out = (struct node *)x; /* scalars are shared, never modified */
        return RP_OK;
    }
    struct node *y = node_new(c, x->k, x);
    if (!y) return oom(c);
    y->items = rp_arena_zalloc(c->a, (x->n ? x->n : 1) * sizeof *y->items);
    if (x->k == N_MAP) y->keys = rp_arena_zalloc(c->a, (x->n ? x->n : 1) * sizeof *y->keys);
    if (!y->items || (x->k == N_MAP && !y->keys)) return oom(c);
    for (size_t i = 0; i < x->n; i++) {
        struct node *v = NULL;
        rp_err e = resolve(c, x->items[i], &v);
        if (e) return e;
        if (v->k == N_NOVALUE) continue;
        if (x->k == N_MAP) y->keys[y->n] = x->keys[i];
        y->items[y->n++] = v;
    }
    *out = y;
    return RP_OK;
}

/* ---- reading the resolved rule ------------------------------------------------------------ */

static rp_err opt_text(struct pctx *c, const char *rid, const struct node *m, const char *key,
                       const char **out)
{
    const struct node *v = get(m, key);
    *out = NULL;
    if (!v) return RP_OK;
    if (!(*out = scalar_text(c, v)))
        return fail_at(c, v, "resource '%s': %s must be text, not %s", rid, key, kind_name(v->k));
    return RP_OK;
}

static rp_err text_list(struct pctx *c, const char *rid, const struct node *v, const char *what,
                        const char *const **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!v) return RP_OK;
    if (v->k == N_STR) { /* one type written as a scalar */
        const char **l = rp_arena_alloc(c->a, sizeof *l);
        if (!l) return oom(c);
        l[0] = v->s;
        *out = l;
        *n = 1;
        return RP_OK;
    }
    if (v->k != N_LIST)
        return fail_at(c, v, "resource '%s': %s must be a list, not %s", rid, what,
                       kind_name(v->k));
    const char **l = rp_arena_zalloc(c->a, (v->n ? v->n : 1) * sizeof *l);
    if (!l) return oom(c);
    for (size_t i = 0; i < v->n; i++)
        if (!(l[i] = scalar_text(c, v->items[i])))
            return fail_at(c, v->items[i], "resource '%s': %s must hold text, not %s", rid, what,
                           kind_name(v->items[i]->k));
    *out = l;
    *n = v->n;
    return RP_OK;
}

static const char *const frequencies[] = {"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours",
                                          "TwentyFour_Hours"};

static rp_err read_frequency(struct pctx *c, const char *rid, const struct node *m,
                             const char **out)
{
    rp_err e = opt_text(c, rid, m, "MaximumExecutionFrequency", out);
    if (e || !*out) return e;
    for (size_t i = 0; i < RP_ARRAY_LEN(frequencies); i++)
        if (strcmp(*out, frequencies[i]) == 0) return RP_OK;
    return fail_at(c, get(m, "MaximumExecutionFrequency"),
                   "resource '%s': MaximumExecutionFrequency '%s' is not One_Hour, Three_Hours, "
                   "Six_Hours, Twelve_Hours or TwentyFour_Hours",
                   rid, *out);
}

/* InputParameters: a mapping (or a JSON object in a string, which CloudFormation also takes). */
static rp_err read_params(struct pctx *c, const char *rid, const struct node *v,
                          struct rp_posture_pack_rule *r)
{
    if (!v) return RP_OK;
    if (v->k == N_STR) {
        struct rp_json_parser *jp = rp_json_parser_new();
        if (!jp) return oom(c);
        struct rp_json_val root;
        struct node *parsed = NULL;
        rp_err e = rp_json_parse(jp, v->s, v->len, &root, NULL);
        if (e == RP_OK && rp_json_type(root) == RP_JSON_OBJECT) {
            const struct rp_yaml_marks *saved = c->marks;
            c->marks = NULL;
            e = from_json(c, root, &parsed);
            c->marks = saved;
        } else {
            e = fail_at(c, v, "resource '%s': InputParameters text is not a JSON object", rid);
        }
        rp_json_parser_free(jp);
        if (e) return e;
        /* positions: the string's */
        for (size_t i = 0; i < parsed->n; i++) {
            parsed->items[i]->line = v->line;
            parsed->items[i]->col = v->col;
        }
        v = parsed;
    }
    if (v->k != N_MAP)
        return fail_at(c, v, "resource '%s': InputParameters must be a mapping, not %s", rid,
                       kind_name(v->k));
    struct rp_posture_paramval *p = rp_arena_zalloc(c->a, (v->n ? v->n : 1) * sizeof *p);
    if (!p) return oom(c);
    for (size_t i = 0; i < v->n; i++) {
        const struct node *x = v->items[i];
        p[i].name = v->keys[i];
        if (x->k == N_NULL)
            return fail_at(c, x, "resource '%s': input parameter '%s' has no value", rid,
                           v->keys[i]);
        if (!(p[i].value = scalar_text(c, x)))
            return fail_at(c, x,
                           "resource '%s': input parameter '%s' is %s; AWS Config takes text "
                           "values",
                           rid, v->keys[i], kind_name(x->k));
    }
    r->params = p;
    r->nparams = v->n;
    return RP_OK;
}

static rp_err read_source(struct pctx *c, const char *rid, const struct node *src,
                          const struct node *rnode, struct rp_posture_pack_rule *r)
{
    if (!src) return fail_at(c, rnode, "resource '%s': no Source", rid);
    if (src->k != N_MAP)
        return fail_at(c, src, "resource '%s': Source must be a mapping, not %s", rid,
                       kind_name(src->k));
    const char *owner = NULL;
    rp_err e = opt_text(c, rid, src, "Owner", &owner);
    if (e) return e;
    if (!owner) return fail_at(c, src, "resource '%s': Source has no Owner", rid);
    if (strcmp(owner, "AWS") == 0)
        r->owner = RP_PACK_OWNER_AWS;
    else if (strcmp(owner, "CUSTOM_LAMBDA") == 0)
        r->owner = RP_PACK_OWNER_CUSTOM_LAMBDA;
    else if (strcmp(owner, "CUSTOM_POLICY") == 0)
        r->owner = RP_PACK_OWNER_CUSTOM_POLICY;
    else
        return fail_at(c, get(src, "Owner"),
                       "resource '%s': Owner '%s' is not AWS, CUSTOM_LAMBDA or CUSTOM_POLICY", rid,
                       owner);
    if ((e = opt_text(c, rid, src, "SourceIdentifier", &r->identifier))) return e;
    if (r->owner != RP_PACK_OWNER_CUSTOM_POLICY && (!r->identifier || !r->identifier[0]))
        return fail_at(c, src, "resource '%s': Source has no SourceIdentifier", rid);
    if (r->owner == RP_PACK_OWNER_CUSTOM_POLICY) r->identifier = NULL;

    const struct node *det = get(src, "SourceDetails");
    if (det) {
        if (det->k != N_LIST)
            return fail_at(c, det, "resource '%s': SourceDetails must be a list, not %s", rid,
                           kind_name(det->k));
        const char **mt = rp_arena_zalloc(c->a, (det->n ? det->n : 1) * sizeof *mt);
        if (!mt) return oom(c);
        for (size_t i = 0; i < det->n; i++) {
            const struct node *d = det->items[i];
            if (d->k != N_MAP)
                return fail_at(c, d, "resource '%s': SourceDetails must hold mappings", rid);
            const char *t = NULL;
            if ((e = opt_text(c, rid, d, "MessageType", &t))) return e;
            if (t) mt[r->nmessage_types++] = t;
            if (!r->frequency && (e = read_frequency(c, rid, d, &r->frequency))) return e;
        }
        r->message_types = mt;
    }

    const struct node *cp = get(src, "CustomPolicyDetails");
    if (r->owner != RP_PACK_OWNER_CUSTOM_POLICY) return RP_OK;
    if (!cp)
        return fail_at(c, src, "resource '%s': CUSTOM_POLICY without CustomPolicyDetails", rid);
    if (cp->k != N_MAP)
        return fail_at(c, cp, "resource '%s': CustomPolicyDetails must be a mapping, not %s", rid,
                       kind_name(cp->k));
    if ((e = opt_text(c, rid, cp, "PolicyRuntime", &r->policy_runtime)) ||
        (e = opt_text(c, rid, cp, "PolicyText", &r->policy_text)))
        return e;
    if (!r->policy_text || !r->policy_text[0])
        return fail_at(c, cp, "resource '%s': CustomPolicyDetails has no PolicyText", rid);
    if (!r->policy_runtime)
        return fail_at(c, cp, "resource '%s': CustomPolicyDetails has no PolicyRuntime", rid);
    if (strncmp(r->policy_runtime, "guard-2.", 8) != 0)
        return fail_at(c, get(cp, "PolicyRuntime"),
                       "resource '%s': PolicyRuntime '%s' is not supported (guard-2.x.x)", rid,
                       r->policy_runtime);
    const struct node *dbg = get(cp, "EnableDebugLogDelivery");
    if (dbg) {
        const char *t = scalar_text(c, dbg);
        if (!t || (strcmp(t, "true") != 0 && strcmp(t, "false") != 0 && strcmp(t, "True") != 0 &&
                   strcmp(t, "False") != 0))
            return fail_at(c, dbg, "resource '%s': EnableDebugLogDelivery must be true or false",
                           rid);
        r->debug_log_delivery = t[0] == 't' || t[0] == 'T';
    }
    return RP_OK;
}

static rp_err read_rule(struct pctx *c, const char *rid, const struct node *res,
                        struct rp_posture_pack_rule *r)
{
    memset(r, 0, sizeof *r);
    r->logical_id = rid;
    r->line = res->line;
    r->col = res->col;
    const struct node *props = get(res, "Properties");
    if (!props) return fail_at(c, res, "resource '%s': no Properties", rid);
    struct node *p = NULL;
    rp_err e = resolve(c, props, &p);
    if (e) return e;
    if (p->k != N_MAP)
        return fail_at(c, props, "resource '%s': Properties must be a mapping, not %s", rid,
                       kind_name(p->k));
    if ((e = opt_text(c, rid, p, "ConfigRuleName", &r->name)) ||
        (e = opt_text(c, rid, p, "Description", &r->description)))
        return e;
    if (!r->name) r->name = rid;
    if (!r->name[0])
        return fail_at(c, get(p, "ConfigRuleName"), "resource '%s': empty ConfigRuleName", rid);
    if ((e = read_params(c, rid, get(p, "InputParameters"), r))) return e;
    if ((e = read_source(c, rid, get(p, "Source"), res, r))) return e;
    const char *freq = NULL;
    if ((e = read_frequency(c, rid, p, &freq))) return e;
    if (freq) r->frequency = freq;
    const struct node *scope = get(p, "Scope");
    if (scope) {
        if (scope->k != N_MAP)
            return fail_at(c, scope, "resource '%s': Scope must be a mapping, not %s", rid,
                           kind_name(scope->k));
        if ((e = text_list(c, rid, get(scope, "ComplianceResourceTypes"), "ComplianceResourceTypes",
                           &r->resource_types, &r->ntypes)) ||
            (e = opt_text(c, rid, scope, "ComplianceResourceId", &r->resource_id)) ||
            (e = opt_text(c, rid, scope, "TagKey", &r->tag_key)) ||
            (e = opt_text(c, rid, scope, "TagValue", &r->tag_value)))
            return e;
    }
    return RP_OK;
}

/* ---- the template ------------------------------------------------------------------------- */

static rp_err read_parameters(struct pctx *c, const struct rp_posture_paramval *ov, size_t nov,
                              struct rp_posture_pack *pack)
{
    size_t n = c->params ? c->params->n : 0;
    c->pvals = rp_arena_zalloc(c->a, (n ? n : 1) * sizeof *c->pvals);
    if (!c->pvals) return oom(c);
    for (size_t j = 0; j < nov; j++) {
        if (!ov[j].name || !ov[j].value)
            return rp_fail(c->eb, RP_EINVAL, "%s: a parameter value without a name or value",
                           c->name);
        if (!get(c->params, ov[j].name))
            return fail_at(c, NULL,
                           "parameter '%s' is given a value but the template does not declare it",
                           ov[j].name);
    }
    for (size_t i = 0; i < n; i++) {
        struct rp_posture_pack_param *p = &c->pvals[i];
        const struct node *def = c->params->items[i];
        p->name = c->params->keys[i];
        if (def->k != N_MAP)
            return fail_at(c, def, "parameter '%s' must be a mapping, not %s", p->name,
                           kind_name(def->k));
        const struct node *t = get(def, "Type"), *d = get(def, "Default"),
                          *desc = get(def, "Description");
        if (t) p->type = scalar_text(c, t);
        if (desc) p->description = scalar_text(c, desc);
        if (d && d->k == N_LIST) { /* a CommaDelimitedList default written as a list */
            struct rp_buf b;
            rp_buf_init(&b, 1u << 20);
            rp_err e = RP_OK;
            for (size_t k = 0; k < d->n && !e; k++) {
                const char *item = scalar_text(c, d->items[k]);
                if (!item) {
                    rp_buf_release(&b);
                    return fail_at(c, d->items[k], "parameter '%s': Default must hold text, not %s",
                                   p->name, kind_name(d->items[k]->k));
                }
                if (k) e = rp_buf_putc(&b, ',');
                if (!e) e = rp_buf_append_str(&b, item);
            }
            if (!e) p->dflt = rp_arena_memdup(c->a, b.data ? b.data : "", b.len);
            rp_buf_release(&b);
            if (e || !p->dflt) return oom(c);
        } else if (d && d->k != N_NULL) {
            if (!(p->dflt = scalar_text(c, d)))
                return fail_at(c, d, "parameter '%s': Default must be text, not %s", p->name,
                               kind_name(d->k));
        }
        p->value = p->dflt;
        for (size_t j = 0; j < nov; j++)
            if (strcmp(ov[j].name, p->name) == 0) {
                if (!(p->value = rp_arena_strdup(c->a, ov[j].value))) return oom(c);
                p->overridden = true;
            }
        const struct node *allowed = get(def, "AllowedValues");
        if (p->value && allowed && allowed->k == N_LIST) {
            bool ok = false;
            for (size_t k = 0; k < allowed->n && !ok; k++) {
                const char *a = scalar_text(c, allowed->items[k]);
                ok = a && strcmp(a, p->value) == 0;
            }
            if (!ok)
                return fail_at(c, p->overridden ? c->params->items[i] : d,
                               "parameter '%s': '%s' is not one of its AllowedValues", p->name,
                               p->value);
        }
    }
    pack->params = c->pvals;
    pack->nparams = n;
    return RP_OK;
}

static rp_err add_str(struct pctx *c, const char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        const char **v = rp_arena_alloc(c->a, nc * sizeof *v);
        if (!v) return oom(c);
        if (*n) memcpy(v, *arr, *n * sizeof *v);
        *arr = v;
        *cap = nc;
    }
    (*arr)[(*n)++] = s;
    return RP_OK;
}

static rp_err build(struct pctx *c, const struct node *root, const struct rp_posture_paramval *ov,
                    size_t nov, struct rp_posture_pack *pack)
{
    if (root->k != N_MAP)
        return fail_at(c, root, "not a CloudFormation template: the document is %s, not a mapping",
                       kind_name(root->k));
    const struct node *d = get(root, "Description");
    if (d) pack->description = scalar_text(c, d);
    c->params = get(root, "Parameters");
    if (c->params && c->params->k != N_MAP)
        return fail_at(c, c->params, "Parameters must be a mapping, not %s",
                       kind_name(c->params->k));
    c->conds = get(root, "Conditions");
    if (c->conds && c->conds->k != N_MAP)
        return fail_at(c, c->conds, "Conditions must be a mapping, not %s", kind_name(c->conds->k));
    c->resources = get(root, "Resources");
    if (!c->resources) return fail_at(c, NULL, "no Resources section");
    if (c->resources->k != N_MAP)
        return fail_at(c, c->resources, "Resources must be a mapping, not %s",
                       kind_name(c->resources->k));
    c->cond_state = rp_arena_zalloc(c->a, c->conds ? c->conds->n + 1 : 1);
    if (!c->cond_state) return oom(c);
    rp_err e = read_parameters(c, ov, nov, pack);
    if (e) return e;

    const struct node *res = c->resources;
    struct rp_posture_pack_rule *rules =
        rp_arena_zalloc(c->a, (res->n ? res->n : 1) * sizeof *rules);
    const char **rem = NULL, **notes = NULL;
    size_t nrem = 0, crem = 0, nnotes = 0, cnotes = 0, nrule_res = 0;
    if (!rules) return oom(c);
    for (size_t i = 0; i < res->n; i++) {
        const char *rid = res->keys[i];
        const struct node *r = res->items[i];
        if (r->k != N_MAP)
            return fail_at(c, r, "resource '%s' must be a mapping, not %s", rid, kind_name(r->k));
        const struct node *t = get(r, "Type");
        if (!t || t->k != N_STR) return fail_at(c, t ? t : r, "resource '%s': no Type", rid);
        bool rule = strcmp(t->s, "AWS::Config::ConfigRule") == 0;
        if (!rule && strcmp(t->s, "AWS::Config::RemediationConfiguration") == 0) {
            if ((e = add_str(c, &rem, &nrem, &crem, rid))) return e;
            continue;
        }
        if (!rule) {
            const char *note =
                rp_arena_printf(c->a, "resource '%s' (%s) ignored: not a Config rule", rid, t->s);
            if (!note || (e = add_str(c, &notes, &nnotes, &cnotes, note))) return note ? e : oom(c);
            continue;
        }
        nrule_res++;
        const struct node *cond = get(r, "Condition");
        if (cond) {
            if (cond->k != N_STR)
                return fail_at(c, cond, "resource '%s': Condition must be a name", rid);
            bool on = false;
            if ((e = eval_named(c, cond, cond->s, &on))) return e;
            if (!on) {
                const char *note = rp_arena_printf(
                    c->a, "rule '%s' left out: condition '%s' is false", rid, cond->s);
                if (!note || (e = add_str(c, &notes, &nnotes, &cnotes, note)))
                    return note ? e : oom(c);
                continue;
            }
        }
        struct rp_posture_pack_rule *pr = &rules[pack->nrules];
        if ((e = read_rule(c, rid, r, pr))) return e;
        for (size_t k = 0; k < pack->nrules; k++)
            if (strcmp(rules[k].name, pr->name) == 0)
                return fail_at(c, r, "resource '%s': ConfigRuleName '%s' is already used by '%s'",
                               rid, pr->name, rules[k].logical_id);
        pack->nrules++;
    }
    if (nrule_res == 0) return fail_at(c, res, "no AWS::Config::ConfigRule resources");
    /* the conditions section is checked whole, so a bad condition no rule uses is found too */
    for (size_t i = 0; c->conds && i < c->conds->n; i++) {
        bool v = false;
        if ((e = eval_named(c, c->conds->items[i], c->conds->keys[i], &v))) return e;
    }
    pack->rules = rules;
    pack->remediations = rem;
    pack->nremediations = nrem;
    pack->notes = notes;
    pack->nnotes = nnotes;
    return RP_OK;
}

rp_err rp_posture_pack_parse(const char *text, size_t n, const char *name,
                             const struct rp_posture_paramval *overrides, size_t noverrides,
                             struct rp_posture_pack **out, struct rp_errbuf *eb)
{
    if (!out || (!text && n)) return rp_fail(eb, RP_EINVAL, "pack: no template");
    *out = NULL;
    if (!name) name = "pack";
    struct rp_posture_pack *pack = calloc(1, sizeof *pack);
    if (!pack) return rp_fail(eb, RP_ENOMEM, "%s: out of memory", name);
    rp_arena_init(&pack->arena, 0);
    struct rp_buf json;
    rp_buf_init(&json, RP_MAX_JSON_BYTES);
    struct rp_yaml_marks marks;
    rp_yaml_marks_init(&marks);
    struct rp_json_parser *jp = NULL;
    struct pctx c = {.a = &pack->arena, .name = name, .eb = eb, .marks = &marks};
    struct rp_errbuf yeb = {0};
    rp_err e = RP_OK;
    if (!(pack->name = rp_arena_strdup(&pack->arena, name))) {
        e = oom(&c);
        goto out;
    }
    c.name = pack->name;
    e = rp_yaml_to_json_cfn(text, n, &json, &marks, &yeb);
    if (e) {
        e = rp_fail(eb, e == RP_ENOMEM ? RP_ENOMEM : RP_EPARSE, "%s: %s", name, yeb.msg);
        goto out;
    }
    struct rp_json_val root;
    if (!(jp = rp_json_parser_new())) {
        e = oom(&c);
        goto out;
    }
    if ((e = rp_json_parse_buf(jp, &json, &root, &yeb))) {
        e = rp_fail(eb, e == RP_ENOMEM ? RP_ENOMEM : RP_EPARSE, "%s: %s", name, yeb.msg);
        goto out;
    }
    struct node *tree = NULL;
    if ((e = from_json(&c, root, &tree))) goto out;
    e = build(&c, tree, overrides, noverrides, pack);
out:
    rp_json_parser_free(jp);
    rp_yaml_marks_release(&marks);
    rp_buf_release(&json);
    if (e) {
        rp_posture_pack_free(pack);
        return e;
    }
    *out = pack;
    return RP_OK;
}

void rp_posture_pack_free(struct rp_posture_pack *pack)
{
    if (!pack) return;
    rp_arena_release(&pack->arena);
    free(pack);
}

const struct rp_posture_pack_rule *rp_posture_pack_rule_find(const struct rp_posture_pack *pack,
                                                             const char *name)
{
    for (size_t i = 0; pack && name && i < pack->nrules; i++)
        if (strcmp(pack->rules[i].name, name) == 0) return &pack->rules[i];
    return NULL;
}

const char *rp_posture_pack_owner_name(enum rp_posture_pack_owner o)
{
    switch (o) {
    case RP_PACK_OWNER_AWS:
        return "AWS";
    case RP_PACK_OWNER_CUSTOM_LAMBDA:
        return "CUSTOM_LAMBDA";
    case RP_PACK_OWNER_CUSTOM_POLICY:
        return "CUSTOM_POLICY";
    }
    return "?";
}

/* ---- checking against a rule set ---------------------------------------------------------- */

const char *rp_posture_pack_verdict_name(enum rp_posture_pack_verdict v)
{
    switch (v) {
    case RP_PACK_MANAGED:
        return "managed";
    case RP_PACK_GUARD:
        return "custom-policy";
    case RP_PACK_UNKNOWN:
        return "unknown";
    case RP_PACK_LAMBDA:
        return "custom-lambda";
    case RP_PACK_BAD_PARAMS:
        return "bad-parameters";
    case RP_PACK_MANUAL:
        return "manual";
    }
    return "?";
}

static const char *type_word(enum rp_posture_param_type t)
{
    switch (t) {
    case RP_PP_INT:
        return "an int";
    case RP_PP_DOUBLE:
        return "a double";
    case RP_PP_BOOLEAN:
        return "a boolean";
    default:
        return "text";
    }
}

static bool value_fits(enum rp_posture_param_type t, const char *v)
{
    struct rp_str s = rp_str_trim(rp_str_from(v));
    int64_t i;
    switch (t) {
    case RP_PP_INT:
        return rp_str_to_i64(s, &i) == RP_OK;
    case RP_PP_DOUBLE: {
        char buf[64];
        if (s.len == 0 || s.len >= sizeof buf) return false;
        memcpy(buf, s.p, s.len);
        buf[s.len] = 0;
        char *end = NULL;
        (void)strtod(buf, &end);
        return end && *end == 0;
    }
    case RP_PP_BOOLEAN:
        return rp_str_eq_nocase(s, rp_str_from("true")) ||
               rp_str_eq_nocase(s, rp_str_from("false"));
    default:
        return true;
    }
}

/* Do the InputParameters fit the managed rule's parameters? Writes the first misfit. */
static bool params_fit(const struct rp_posture_pack_rule *pr, const struct rp_posture_rule *rule,
                       char *detail, size_t dsz)
{
    for (size_t i = 0; i < pr->nparams; i++) {
        const struct rp_posture_param *p = NULL;
        for (size_t k = 0; k < rule->nparams && !p; k++)
            if (strcmp(rule->params[k].name, pr->params[i].name) == 0) p = &rule->params[k];
        if (!p) {
            snprintf(detail, dsz, "'%s' is not a parameter of %s", pr->params[i].name,
                     rule->identifier);
            return false;
        }
        if (!value_fits(p->type, pr->params[i].value)) {
            snprintf(detail, dsz, "'%s' is '%s', not %s", p->name, pr->params[i].value,
                     type_word(p->type));
            return false;
        }
    }
    for (size_t k = 0; k < rule->nparams; k++) {
        const struct rp_posture_param *p = &rule->params[k];
        if (p->optional || p->dflt) continue;
        bool given = false;
        for (size_t i = 0; i < pr->nparams && !given; i++)
            given = strcmp(pr->params[i].name, p->name) == 0;
        if (!given) {
            snprintf(detail, dsz, "required parameter '%s' has no value", p->name);
            return false;
        }
    }
    return true;
}

rp_err rp_posture_pack_check(const struct rp_posture_pack *pack,
                             const struct rp_posture_ruleset *set,
                             struct rp_posture_pack_result *res, size_t *out_runnable,
                             struct rp_errbuf *eb)
{
    if (!pack || !set || (!res && pack->nrules))
        return rp_fail(eb, RP_EINVAL, "pack: nothing to check");
    size_t runnable = 0;
    for (size_t i = 0; i < pack->nrules; i++) {
        const struct rp_posture_pack_rule *pr = &pack->rules[i];
        struct rp_posture_pack_result *r = &res[i];
        memset(r, 0, sizeof *r);
        switch (pr->owner) {
        case RP_PACK_OWNER_CUSTOM_LAMBDA:
            r->verdict = RP_PACK_LAMBDA;
            snprintf(r->detail, sizeof r->detail,
                     "custom Lambda rule '%s': Rampart cannot run Lambda functions",
                     pr->identifier);
            break;
        case RP_PACK_OWNER_CUSTOM_POLICY:
            r->verdict = RP_PACK_GUARD;
            snprintf(r->detail, sizeof r->detail, "custom policy rule (%s)", pr->policy_runtime);
            runnable++;
            break;
        case RP_PACK_OWNER_AWS: {
            if (strcmp(pr->identifier, "AWS_CONFIG_PROCESS_CHECK") == 0) {
                /* AWS Config never evaluates a process check: its result is put by hand */
                r->verdict = RP_PACK_MANUAL;
                snprintf(r->detail, sizeof r->detail,
                         "a manual process check: no configuration item decides it, AWS Config "
                         "records the result a person puts");
                break;
            }
            const struct rp_posture_rule *rule = rp_posture_ruleset_find(set, pr->identifier);
            if (!rule || rule->custom || !rule->identifier ||
                strcmp(rule->identifier, pr->identifier) != 0) {
                r->verdict = RP_PACK_UNKNOWN;
                snprintf(r->detail, sizeof r->detail,
                         "identifier '%s' is not a managed rule Rampart has", pr->identifier);
                break;
            }
            r->rule = rule;
            if (!params_fit(pr, rule, r->detail, sizeof r->detail)) {
                r->verdict = RP_PACK_BAD_PARAMS;
                break;
            }
            r->verdict = RP_PACK_MANAGED;
            runnable++;
            break;
        }
        }
    }
    if (out_runnable) *out_runnable = runnable;
    return RP_OK;
}
