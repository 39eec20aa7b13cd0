/* SPDX-License-Identifier: Apache-2.0 */
/* The posture value tree (posture_value.h): arena-allocated JSON-shaped values. */
#define RP_LOG_MODULE "posture"
#include "posture/posture_value.h"

#include <string.h>

#include "core/rp_limits.h"
#include "core/rp_banned.h"

static struct rp_pv *node(struct rp_arena *a, enum rp_pv_kind k)
{
    struct rp_pv *v = rp_arena_zalloc(a, sizeof(*v));
    if (v) v->kind = k;
    return v;
}

struct rp_pv *rp_pv_null(struct rp_arena *a)
{
    return node(a, RP_PV_NULL);
}

struct rp_pv *rp_pv_bool(struct rp_arena *a, bool b)
{
    struct rp_pv *v = node(a, RP_PV_BOOL);
    if (v) v->u.b = b;
    return v;
}

struct rp_pv *rp_pv_int(struct rp_arena *a, int64_t i)
{
    struct rp_pv *v = node(a, RP_PV_INT);
    if (v) v->u.i = i;
    return v;
}

struct rp_pv *rp_pv_double(struct rp_arena *a, double d)
{
    struct rp_pv *v = node(a, RP_PV_DOUBLE);
    if (v) v->u.d = d;
    return v;
}

struct rp_pv *rp_pv_str(struct rp_arena *a, const char *s, size_t n)
{
    if (n > UINT32_MAX) return NULL;
    struct rp_pv *v = node(a, RP_PV_STRING);
    if (!v) return NULL;
    char *c = rp_arena_alloc(a, n + 1);
    if (!c) return NULL;
    if (n) memcpy(c, s, n);
    c[n] = '\0';
    v->u.s = c;
    v->n = (uint32_t)n;
    return v;
}

struct rp_pv *rp_pv_cstr(struct rp_arena *a, const char *s)
{
    return s ? rp_pv_str(a, s, strlen(s)) : rp_pv_null(a);
}

struct rp_pv *rp_pv_list(struct rp_arena *a)
{
    return node(a, RP_PV_LIST);
}
struct rp_pv *rp_pv_map(struct rp_arena *a)
{
    return node(a, RP_PV_MAP);
}

/* Make room for one more item/member: double the capacity, copying into the arena. */
static rp_err grow(struct rp_arena *a, struct rp_pv *v, size_t elem)
{
    if (v->n < v->cap) return RP_OK;
    if (v->cap >= UINT32_MAX / 2) return RP_ENOMEM;
    uint32_t cap = v->cap ? v->cap * 2 : 4;
    void *p = rp_arena_alloc(a, (size_t)cap * elem);
    if (!p) return RP_ENOMEM;
    void *old = v->kind == RP_PV_LIST ? (void *)v->u.items : (void *)v->u.members;
    if (v->n) memcpy(p, old, (size_t)v->n * elem);
    if (v->kind == RP_PV_LIST)
        v->u.items = p;
    else
        v->u.members = p;
    v->cap = cap;
    return RP_OK;
}

rp_err rp_pv_push(struct rp_arena *a, struct rp_pv *l, struct rp_pv *v)
{
    if (!l || l->kind != RP_PV_LIST || !v) return RP_EINVAL;
    rp_err e = grow(a, l, sizeof(struct rp_pv *));
    if (e != RP_OK) return e;
    l->u.items[l->n++] = v;
    return RP_OK;
}

rp_err rp_pv_set(struct rp_arena *a, struct rp_pv *m, const char *key, struct rp_pv *v)
{
    if (!m || m->kind != RP_PV_MAP || !v || !key) return RP_EINVAL;
    size_t kl = strlen(key);
    for (uint32_t i = 0; i < m->n; i++)
        if (m->u.members[i].klen == kl && memcmp(m->u.members[i].key, key, kl) == 0) {
            m->u.members[i].val = v;
            return RP_OK;
        }
    rp_err e = grow(a, m, sizeof(struct rp_pv_member));
    if (e != RP_OK) return e;
    char *k = rp_arena_memdup(a, key, kl + 1);
    if (!k) return RP_ENOMEM;
    m->u.members[m->n++] = (struct rp_pv_member){k, (uint32_t)kl, v};
    return RP_OK;
}

static rp_err conv(struct rp_arena *a, struct rp_json_val v, struct rp_pv **out, unsigned depth)
{
    if (depth > RP_MAX_JSON_DEPTH) return RP_ELIMIT;
    struct rp_pv *r = NULL;
    switch (rp_json_type(v)) {
    case RP_JSON_NONE:
        return RP_EINVAL;
    case RP_JSON_NULL:
        r = rp_pv_null(a);
        break;
    case RP_JSON_BOOL: {
        bool b = false;
        if (rp_json_get_bool(v, &b) != RP_OK) return RP_EINVAL;
        r = rp_pv_bool(a, b);
        break;
    }
    case RP_JSON_INT: {
        int64_t i = 0;
        if (rp_json_get_i64(v, &i) != RP_OK) return RP_EINVAL;
        r = rp_pv_int(a, i);
        break;
    }
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE: {
        double d = 0;
        if (rp_json_get_double(v, &d) != RP_OK) return RP_EINVAL;
        r = rp_pv_double(a, d);
        break;
    }
    case RP_JSON_STRING: {
        struct rp_str s;
        if (rp_json_get_str(v, &s) != RP_OK) return RP_EINVAL;
        r = rp_pv_str(a, s.p, s.len);
        break;
    }
    case RP_JSON_ARRAY: {
        size_t n = rp_json_len(v);
        if (n > UINT32_MAX) return RP_ELIMIT;
        r = rp_pv_list(a);
        if (!r) return RP_ENOMEM;
        if (n) {
            r->u.items = rp_arena_alloc(a, n * sizeof(struct rp_pv *));
            if (!r->u.items) return RP_ENOMEM;
            r->cap = (uint32_t)n;
        }
        struct rp_json_iter it;
        struct rp_json_val el;
        if (rp_json_arr_iter(v, &it) != RP_OK) return RP_EINVAL;
        while (rp_json_arr_next(&it, &el)) {
            struct rp_pv *c = NULL;
            rp_err e = conv(a, el, &c, depth + 1);
            if (e != RP_OK) return e;
            if (r->n < r->cap)
                r->u.items[r->n++] = c;
            else if ((e = rp_pv_push(a, r, c)) != RP_OK)
                return e;
        }
        break;
    }
    case RP_JSON_OBJECT: {
        size_t n = rp_json_len(v);
        if (n > UINT32_MAX) return RP_ELIMIT;
        r = rp_pv_map(a);
        if (!r) return RP_ENOMEM;
        if (n) {
            r->u.members = rp_arena_alloc(a, n * sizeof(struct rp_pv_member));
            if (!r->u.members) return RP_ENOMEM;
            r->cap = (uint32_t)n;
        }
        struct rp_json_iter it;
        struct rp_json_val el;
        struct rp_str k;
        if (rp_json_obj_iter(v, &it) != RP_OK) return RP_EINVAL;
        while (rp_json_obj_next(&it, &k, &el)) {
            struct rp_pv *c = NULL;
            rp_err e = conv(a, el, &c, depth + 1);
            if (e != RP_OK) return e;
            char *kc = rp_arena_memdup(a, k.p, k.len + 1);
            if (!kc) return RP_ENOMEM;
            kc[k.len] = '\0';
            if (r->n >= r->cap && (e = grow(a, r, sizeof(struct rp_pv_member))) != RP_OK) return e;
            r->u.members[r->n++] = (struct rp_pv_member){kc, (uint32_t)k.len, c};
        }
        break;
    }
    }
    if (!r) return RP_ENOMEM;
    *out = r;
    return RP_OK;
}

rp_err rp_pv_from_json(struct rp_arena *a, struct rp_json_val v, struct rp_pv **out)
{
    return conv(a, v, out, 0);
}

rp_err rp_pv_parse(struct rp_arena *a, struct rp_json_parser *p, const char *json, size_t n,
                   struct rp_pv **out, struct rp_errbuf *eb)
{
    struct rp_json_val root;
    rp_err e = rp_json_parse(p, json, n, &root, eb);
    if (e != RP_OK) return e;
    e = rp_pv_from_json(a, root, out);
    if (e == RP_ELIMIT) return rp_fail(eb, e, "json: nested deeper than %d", RP_MAX_JSON_DEPTH);
    if (e != RP_OK) return rp_fail(eb, e, "json: %s", rp_strerror(e));
    return RP_OK;
}

struct rp_pv *rp_pv_getn(const struct rp_pv *m, const char *key, size_t klen)
{
    if (!m || m->kind != RP_PV_MAP) return NULL;
    for (uint32_t i = 0; i < m->n; i++)
        if (m->u.members[i].klen == klen && memcmp(m->u.members[i].key, key, klen) == 0)
            return m->u.members[i].val;
    return NULL;
}

struct rp_pv *rp_pv_get(const struct rp_pv *m, const char *key)
{
    return key ? rp_pv_getn(m, key, strlen(key)) : NULL;
}

struct rp_pv *rp_pv_path(const struct rp_pv *v, const char *path)
{
    const struct rp_pv *cur = v;
    const char *p = path;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        bool digits = n > 0;
        for (size_t i = 0; i < n; i++)
            if (p[i] < '0' || p[i] > '9') digits = false;
        if (digits && cur->kind == RP_PV_LIST) {
            uint64_t idx = 0;
            for (size_t i = 0; i < n && idx < UINT32_MAX; i++)
                idx = idx * 10 + (uint64_t)(p[i] - '0');
            cur = idx < cur->n ? cur->u.items[idx] : NULL;
        } else {
            cur = rp_pv_getn(cur, p, n);
        }
        p += n;
        if (*p == '.') p++;
    }
    return (struct rp_pv *)cur;
}

bool rp_pv_equal(const struct rp_pv *x, const struct rp_pv *y)
{
    if (!x || !y) return x == y;
    bool xn = x->kind == RP_PV_INT || x->kind == RP_PV_DOUBLE;
    bool yn = y->kind == RP_PV_INT || y->kind == RP_PV_DOUBLE;
    if (xn && yn) {
        if (x->kind == RP_PV_INT && y->kind == RP_PV_INT) return x->u.i == y->u.i;
        double a = x->kind == RP_PV_INT ? (double)x->u.i : x->u.d;
        double b = y->kind == RP_PV_INT ? (double)y->u.i : y->u.d;
        return a == b;
    }
    if (x->kind != y->kind) return false;
    switch (x->kind) {
    case RP_PV_NULL:
        return true;
    case RP_PV_BOOL:
        return x->u.b == y->u.b;
    case RP_PV_STRING:
        return x->n == y->n && memcmp(x->u.s, y->u.s, x->n) == 0;
    case RP_PV_LIST:
        if (x->n != y->n) return false;
        for (uint32_t i = 0; i < x->n; i++)
            if (!rp_pv_equal(x->u.items[i], y->u.items[i])) return false;
        return true;
    case RP_PV_MAP:
        if (x->n != y->n) return false;
        for (uint32_t i = 0; i < x->n; i++) {
            const struct rp_pv *o = rp_pv_getn(y, x->u.members[i].key, x->u.members[i].klen);
            if (!o || !rp_pv_equal(x->u.members[i].val, o)) return false;
        }
        return true;
    default:
        return false;
    }
}

bool rp_pv_is_str(const struct rp_pv *v, const char *s)
{
    size_t n = strlen(s);
    return v && v->kind == RP_PV_STRING && v->n == n && memcmp(v->u.s, s, n) == 0;
}

const char *rp_pv_kind_name(enum rp_pv_kind k)
{
    switch (k) {
    case RP_PV_NULL:
        return "null";
    case RP_PV_BOOL:
        return "bool";
    case RP_PV_INT:
        return "int";
    case RP_PV_DOUBLE:
        return "double";
    case RP_PV_STRING:
        return "string";
    case RP_PV_LIST:
        return "list";
    case RP_PV_MAP:
        return "map";
    }
    return "?";
}

void rp_pv_write_json(struct rp_json_writer *w, const struct rp_pv *v)
{
    if (!v) {
        rp_json_write_null(w);
        return;
    }
    switch (v->kind) {
    case RP_PV_NULL:
        rp_json_write_null(w);
        break;
    case RP_PV_BOOL:
        rp_json_write_bool(w, v->u.b);
        break;
    case RP_PV_INT:
        rp_json_write_int(w, v->u.i);
        break;
    case RP_PV_DOUBLE:
        rp_json_write_double(w, v->u.d);
        break;
    case RP_PV_STRING:
        rp_json_write_str(w, v->u.s, v->n);
        break;
    case RP_PV_LIST:
        rp_json_write_arr_begin(w);
        for (uint32_t i = 0; i < v->n; i++) rp_pv_write_json(w, v->u.items[i]);
        rp_json_write_arr_end(w);
        break;
    case RP_PV_MAP:
        rp_json_write_obj_begin(w);
        for (uint32_t i = 0; i < v->n; i++) {
            rp_json_write_key(w, v->u.members[i].key, v->u.members[i].klen);
            rp_pv_write_json(w, v->u.members[i].val);
        }
        rp_json_write_obj_end(w);
        break;
    }
}

rp_err rp_pv_to_json(const struct rp_pv *v, struct rp_buf *out)
{
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_pv_write_json(&w, v);
    return rp_json_writer_finish(&w);
}
