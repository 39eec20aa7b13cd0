/* SPDX-License-Identifier: Apache-2.0 */
/* The network model of rp_netreach: reads AWS Config configuration items (the `configuration`
 * object of each CI, as Config records the Describe* output of each type, or a JSON string
 * holding it) into per-kind arrays indexed by (kind, id), from single CIs (_add_ci) or from the
 * store's current state (_load, table config_resources). _finish then resolves references
 * (subnet -> route table and network ACL, VPC -> gateways, listeners -> load balancers) and adds
 * the routes that route propagation brings from VPN connections, and builds the origins of
 * every VPC (internet gateway, VPN connections, peerings, transit gateways).
 * What is read of each type, and what is tolerated, is in docs/reach.md. */
#define RP_LOG_MODULE "netreach"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netreach/netreach_internal.h"
#include "core/rp_hash.h"
#include "core/rp_ip.h"
#include "core/rp_log.h"
#include "store/store.h"
#include "core/rp_banned.h"

/* ---- containers ------------------------------------------------------------------------------ */

static const size_t kind_size[NK__N] = {
    [NK_VPC] = sizeof(struct nr_vpc),
    [NK_SUBNET] = sizeof(struct nr_subnet),
    [NK_RTB] = sizeof(struct nr_rtb),
    [NK_IGW] = sizeof(struct nr_igw),
    [NK_VGW] = sizeof(struct nr_vgw),
    [NK_CGW] = sizeof(struct nr_cgw),
    [NK_VPN] = sizeof(struct nr_vpn),
    [NK_PCX] = sizeof(struct nr_pcx),
    [NK_TGWATT] = sizeof(struct nr_tgwatt),
    [NK_NACL] = sizeof(struct nr_nacl),
    [NK_SG] = sizeof(struct nr_sg),
    [NK_ENI] = sizeof(struct nr_eni),
    [NK_INST] = sizeof(struct nr_inst),
    [NK_LB] = sizeof(struct nr_lb),
    [NK_LISTENER] = sizeof(struct nr_listener),
    [NK_TG] = sizeof(struct nr_tg),
    [NK_DB] = sizeof(struct nr_db),
    [NK_NAT] = sizeof(struct nr_base),
};

size_t nr_kind_size(enum nr_kind k)
{
    return kind_size[k];
}

static uint64_t slot_hash(uint32_t kind, const char *id)
{
    return rp_hash_xxh3_64(id, strlen(id), 0x6e72u + kind);
}

int32_t nr_find(const struct rp_netreach_model *m, enum nr_kind k, const char *id)
{
    if (!id || !m->slots_cap) return -1;
    size_t mask = m->slots_cap - 1;
    for (size_t i = slot_hash(k, id) & mask;; i = (i + 1) & mask) {
        const struct nr_slot *s = &m->slots[i];
        if (!s->id) return -1;
        if (s->kind == (uint32_t)k && strcmp(s->id, id) == 0) return (int32_t)s->idx;
    }
}

static rp_err slots_grow(struct rp_netreach_model *m)
{
    size_t ncap = m->slots_cap ? m->slots_cap * 2 : 1024;
    struct nr_slot *ns = calloc(ncap, sizeof(*ns));
    if (!ns) return RP_ENOMEM;
    for (size_t i = 0; i < m->slots_cap; i++) {
        const struct nr_slot *s = &m->slots[i];
        if (!s->id) continue;
        size_t j = slot_hash(s->kind, s->id) & (ncap - 1);
        while (ns[j].id) j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->slots_cap = ncap;
    return RP_OK;
}

/* Map (k, id) to idx; an existing key is repointed. */
static rp_err slot_put(struct rp_netreach_model *m, enum nr_kind k, const char *id, uint32_t idx)
{
    if ((m->nslots + 1) * 2 > m->slots_cap && slots_grow(m) != RP_OK) return RP_ENOMEM;
    size_t mask = m->slots_cap - 1;
    for (size_t i = slot_hash(k, id) & mask;; i = (i + 1) & mask) {
        struct nr_slot *s = &m->slots[i];
        if (!s->id) {
            s->id = id;
            s->kind = k;
            s->idx = idx;
            m->nslots++;
            return RP_OK;
        }
        if (s->kind == (uint32_t)k && strcmp(s->id, id) == 0) {
            s->idx = idx;
            return RP_OK;
        }
    }
}

/* A new zeroed element of kind k for id (an existing one with that id is overwritten). */
static void *entity_new(struct rp_netreach_model *m, enum nr_kind k, const char *id)
{
    struct nr_vec *v = &m->v[k];
    int32_t at = nr_find(m, k, id);
    size_t sz = kind_size[k];
    if (at >= 0) {
        void *p = (char *)v->v + (size_t)at * sz;
        memset(p, 0, sz);
        return p;
    }
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 16;
        void *nv = realloc(v->v, ncap * sz);
        if (!nv) return NULL;
        v->v = nv;
        v->cap = ncap;
    }
    void *p = (char *)v->v + v->n * sz;
    memset(p, 0, sz);
    if (slot_put(m, k, id, (uint32_t)v->n) != RP_OK) return NULL;
    v->n++;
    return p;
}

rp_err rp_netreach_model_new(struct rp_netreach_model **out)
{
    *out = NULL;
    struct rp_netreach_model *m = calloc(1, sizeof(*m));
    if (!m) return RP_ENOMEM;
    rp_arena_init(&m->arena, 256 * 1024);
    m->jp = rp_json_parser_new();
    m->jp2 = rp_json_parser_new();
    if (!m->jp || !m->jp2) {
        rp_netreach_model_free(m);
        return RP_ENOMEM;
    }
    *out = m;
    return RP_OK;
}

void rp_netreach_model_free(struct rp_netreach_model *m)
{
    if (!m) return;
    for (int k = 0; k < NK__N; k++) free(m->v[k].v);
    free(m->slots);
    free(m->lbt);
    rp_json_parser_free(m->jp);
    rp_json_parser_free(m->jp2);
    rp_arena_release(&m->arena);
    free(m);
}

/* ---- addresses ------------------------------------------------------------------------------- */

bool nr_parse_cidr4(const char *s, size_t len, struct nr_iv *out, uint8_t *plen)
{
    struct rp_cidr c;
    if (rp_cidr_parse((struct rp_str){s, len}, &c, NULL, NULL) != RP_OK) return false;
    struct rp_ip ip;
    rp_ip_unmap(&c.addr, &ip);
    unsigned l = c.len;
    if (c.addr.family == RP_IP_V6) {
        if (ip.family != RP_IP_V4 || l < 96) return false;
        l -= 96;
    }
    uint32_t lo = rp_ip_v4_value(&ip);
    uint32_t span = l == 0 ? UINT32_MAX : (uint32_t)((1ull << (32 - l)) - 1);
    out->lo = lo & ~span;
    out->hi = out->lo | span;
    if (plen) *plen = (uint8_t)l;
    return true;
}

void nr_fmt_iv(const struct nr_iv *iv, char *buf, size_t n)
{
    uint32_t span = iv->hi - iv->lo;
    unsigned len = 32;
    while (len > 0 && span & 1u) {
        span >>= 1;
        len--;
    }
    char a[RP_IP_STRBUFSZ], b[RP_IP_STRBUFSZ];
    struct rp_ip ip;
    rp_ip_from_v4(&ip, iv->lo);
    if (rp_ip_format(&ip, a, sizeof(a)) != RP_OK) a[0] = '\0';
    bool exact = span == 0 && (len == 0 || (iv->lo & (uint32_t)((1ull << (32 - len)) - 1)) == 0);
    if (exact) {
        snprintf(buf, n, "%s/%u", a, len);
        return;
    }
    rp_ip_from_v4(&ip, iv->hi);
    if (rp_ip_format(&ip, b, sizeof(b)) != RP_OK) b[0] = '\0';
    snprintf(buf, n, "%s-%s", a, b);
}

/* ---- reading a configuration ---------------------------------------------------------------- */

struct rd {
    struct rp_netreach_model *m;
    const char *type, *id;
    struct rp_errbuf *eb;
    rp_err err;
    const char *alias; /* a second name of the entity (LB name, DB identifier, TG ARN) */
    enum nr_kind alias_kind;
    uint32_t alias_idx; /* registered by add_item once the item is read */
};

#define FAIL(r, ...)                                                                               \
    do {                                                                                           \
        char msg_[200];                                                                            \
        snprintf(msg_, sizeof(msg_), __VA_ARGS__);                                                 \
        if ((r)->err == RP_OK)                                                                     \
            (r)->err = rp_fail((r)->eb, RP_EPARSE, "%s %s: %s", (r)->type, (r)->id, msg_);         \
    } while (0)

static const char *dup_str(struct rd *r, struct rp_str s)
{
    char *p = rp_arena_memdup(&r->m->arena, s.p, s.len);
    if (!p && r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
    return p;
}

/* String member, copied; NULL when absent, null or not a string. */
static const char *gstr(struct rd *r, struct rp_json_val o, const char *k)
{
    struct rp_str s;
    if (rp_json_obj_get_str(o, k, &s) != RP_OK || s.len == 0) return NULL;
    return dup_str(r, s);
}

static bool gbool(struct rp_json_val o, const char *k, bool def)
{
    struct rp_json_val v;
    if (rp_json_obj_get(o, k, &v) != RP_OK) return def;
    bool b = def;
    if (rp_json_get_bool(v, &b) == RP_OK) return b;
    struct rp_str s;
    if (rp_json_get_str(v, &s) == RP_OK) {
        if (rp_str_eq_cstr(s, "true")) return true;
        if (rp_str_eq_cstr(s, "false")) return false;
    }
    return def;
}

/* Integer member (a number or a decimal string); def when absent or unreadable. */
static int64_t gint(struct rp_json_val o, const char *k, int64_t def)
{
    struct rp_json_val v;
    if (rp_json_obj_get(o, k, &v) != RP_OK) return def;
    int64_t x = def;
    if (rp_json_get_i64(v, &x) == RP_OK) return x;
    double d;
    if (rp_json_get_double(v, &d) == RP_OK && d > -1e15 && d < 1e15) return (int64_t)d;
    struct rp_str s;
    if (rp_json_get_str(v, &s) == RP_OK && rp_str_to_i64(s, &x) == RP_OK) return x;
    return def;
}

static struct rp_json_val gobj(struct rp_json_val o, const char *k)
{
    struct rp_json_val v = {0};
    if (rp_json_obj_get(o, k, &v) != RP_OK || rp_json_type(v) != RP_JSON_OBJECT)
        return (struct rp_json_val){0};
    return v;
}

/* Array member: RP_OK with an iterator (empty when absent or null), RP_EPARSE when it has
 * another type. */
static bool garr(struct rd *r, struct rp_json_val o, const char *k, struct rp_json_iter *it)
{
    memset(it, 0, sizeof(*it));
    struct rp_json_val v;
    if (rp_json_obj_get(o, k, &v) != RP_OK) return true;
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_NULL) return true;
    if (t != RP_JSON_ARRAY) {
        FAIL(r, "'%s' is not an array", k);
        return false;
    }
    if (rp_json_arr_iter(v, it) != RP_OK) memset(it, 0, sizeof(*it));
    return true;
}

static bool next_obj(struct rd *r, struct rp_json_iter *it, const char *k, size_t *i,
                     struct rp_json_val *el)
{
    if (!it->doc || !rp_json_arr_next(it, el)) return false;
    if (rp_json_type(*el) != RP_JSON_OBJECT) {
        FAIL(r, "'%s[%zu]' is not an object", k, *i);
        return false;
    }
    (*i)++;
    return true;
}

/* Growable arrays in the model arena (doubling, old blocks abandoned in the arena). */
static bool push(struct rd *r, void **arr, uint32_t *n, uint32_t *cap, const void *el, size_t sz)
{
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 4;
        void *na = rp_arena_alloc(&r->m->arena, nc * sz);
        if (!na) {
            if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
            return false;
        }
        if (*n) memcpy(na, *arr, *n * sz);
        *arr = na;
        *cap = nc;
    }
    memcpy((char *)*arr + *n * sz, el, sz);
    (*n)++;
    return true;
}

struct strlist {
    const char **v;
    uint32_t n, cap;
};

static void sl_add(struct rd *r, struct strlist *l, const char *s)
{
    if (!s) return;
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return;
    push(r, (void **)&l->v, &l->n, &l->cap, &s, sizeof(s));
}

struct ivlist {
    struct nr_iv *v;
    uint32_t n, cap;
};

/* Add CIDR text s (IPv4); IPv6 text is skipped; anything else fails the CI. */
static void iv_add_str(struct rd *r, struct ivlist *l, struct rp_str s, const char *where)
{
    struct nr_iv iv;
    if (nr_parse_cidr4(s.p, s.len, &iv, NULL)) {
        push(r, (void **)&l->v, &l->n, &l->cap, &iv, sizeof(iv));
        return;
    }
    struct rp_cidr c;
    if (rp_cidr_parse(s, &c, NULL, NULL) == RP_OK) return; /* IPv6: not analysed */
    FAIL(r, "invalid CIDR '%.*s' in '%s'", (int)(s.len > 60 ? 60 : s.len), s.p, where);
}

static void iv_add_member(struct rd *r, struct ivlist *l, struct rp_json_val o, const char *k,
                          const char *where)
{
    struct rp_str s;
    if (rp_json_obj_get_str(o, k, &s) == RP_OK && s.len) iv_add_str(r, l, s, where);
}

/* groupId of every object of array k (ids of groups), into l. */
static void group_ids(struct rd *r, struct rp_json_val o, const char *k, const char *idkey,
                      struct strlist *l)
{
    struct rp_json_iter it;
    if (!garr(r, o, k, &it)) return;
    struct rp_json_val el;
    size_t i = 0;
    while (it.doc && rp_json_arr_next(&it, &el)) {
        struct rp_str s;
        if (rp_json_type(el) == RP_JSON_STRING && rp_json_get_str(el, &s) == RP_OK && s.len)
            sl_add(r, l, dup_str(r, s));
        else if (rp_json_type(el) == RP_JSON_OBJECT)
            sl_add(r, l, gstr(r, el, idkey));
        else
            FAIL(r, "'%s[%zu]' is not an object", k, i);
        i++;
    }
}

static void base_init(struct nr_base *b, const struct nr_base *ci)
{
    *b = *ci;
}

/* ---- one function per type ------------------------------------------------------------------- */

static void rd_vpc(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_vpc *v = entity_new(r->m, NK_VPC, ci->id);
    if (!v) goto oom;
    base_init(&v->b, ci);
    struct ivlist l = {0};
    iv_add_member(r, &l, c, "cidrBlock", "cidrBlock");
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (garr(r, c, "cidrBlockAssociationSet", &it))
        while (next_obj(r, &it, "cidrBlockAssociationSet", &i, &el)) {
            struct rp_json_val st = gobj(el, "cidrBlockState");
            struct rp_str s;
            if (rp_json_obj_get_str(st, "state", &s) == RP_OK && !rp_str_eq_cstr(s, "associated"))
                continue;
            iv_add_member(r, &l, el, "cidrBlock", "cidrBlockAssociationSet");
        }
    v->cidrs = (struct nr_ivs){l.v, l.n};
    v->igw = v->vgw = v->main_rtb = v->default_nacl = -1;
    return;
oom:
    if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
}

static void rd_subnet(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_subnet *s = entity_new(r->m, NK_SUBNET, ci->id);
    if (!s) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&s->b, ci);
    if (!s->b.arn) s->b.arn = gstr(r, c, "subnetArn");
    s->vpc_id = gstr(r, c, "vpcId");
    struct ivlist l = {0};
    iv_add_member(r, &l, c, "cidrBlock", "cidrBlock");
    s->cidr = (struct nr_ivs){l.v, l.n};
    s->vpc = s->rtb = s->nacl = -1;
}

static uint8_t target_of(const char *id)
{
    if (!id) return NT_OTHER;
    if (strcmp(id, "local") == 0) return NT_LOCAL;
    if (strncmp(id, "igw-", 4) == 0) return NT_IGW;
    if (strncmp(id, "vgw-", 4) == 0) return NT_VGW;
    if (strncmp(id, "nat-", 4) == 0) return NT_NAT;
    if (strncmp(id, "tgw-", 4) == 0) return NT_TGW;
    if (strncmp(id, "pcx-", 4) == 0) return NT_PCX;
    return NT_OTHER;
}

static void rd_rtb(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_rtb *t = entity_new(r->m, NK_RTB, ci->id);
    if (!t) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&t->b, ci);
    t->vpc_id = gstr(r, c, "vpcId");
    t->vpc = -1;
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    struct strlist prop = {0}, subs = {0};
    if (garr(r, c, "propagatingVgws", &it))
        while (next_obj(r, &it, "propagatingVgws", &i, &el))
            sl_add(r, &prop, gstr(r, el, "gatewayId"));
    i = 0;
    if (garr(r, c, "associations", &it))
        while (next_obj(r, &it, "associations", &i, &el)) {
            if (gbool(el, "main", false)) t->main = true;
            sl_add(r, &subs, gstr(r, el, "subnetId"));
        }
    i = 0;
    if (garr(r, c, "routes", &it))
        while (next_obj(r, &it, "routes", &i, &el)) {
            struct rp_str d;
            if (rp_json_obj_get_str(el, "destinationCidrBlock", &d) != RP_OK || !d.len)
                continue; /* IPv6 or prefix-list routes: not analysed */
            struct nr_route rt = {0};
            if (!nr_parse_cidr4(d.p, d.len, &(struct nr_iv){0}, NULL)) {
                FAIL(r, "invalid CIDR '%.*s' in 'routes[%zu]'", (int)(d.len > 60 ? 60 : d.len), d.p,
                     i - 1);
                break;
            }
            struct nr_iv iv;
            (void)nr_parse_cidr4(d.p, d.len, &iv, &rt.len);
            rt.lo = iv.lo;
            rt.hi = iv.hi;
            static const struct {
                const char *key;
                uint8_t t;
            } tk[] = {{"natGatewayId", NT_NAT},
                      {"transitGatewayId", NT_TGW},
                      {"vpcPeeringConnectionId", NT_PCX},
                      {"networkInterfaceId", NT_ENI},
                      {"instanceId", NT_INST},
                      {"egressOnlyInternetGatewayId", NT_OTHER},
                      {"localGatewayId", NT_OTHER},
                      {"carrierGatewayId", NT_OTHER},
                      {"coreNetworkArn", NT_OTHER}};
            const char *g = gstr(r, el, "gatewayId");
            rt.target = NT_OTHER;
            if (g) {
                rt.target = target_of(g);
                rt.target_id = g;
            } else {
                for (size_t k = 0; k < RP_ARRAY_LEN(tk); k++) {
                    const char *x = gstr(r, el, tk[k].key);
                    if (x) {
                        rt.target = tk[k].t;
                        rt.target_id = x;
                        break;
                    }
                }
            }
            if (!rt.target_id) rt.target_id = "";
            struct rp_str s;
            if (rp_json_obj_get_str(el, "state", &s) == RP_OK && rp_str_eq_cstr(s, "blackhole"))
                rt.blackhole = true;
            if (rp_json_obj_get_str(el, "origin", &s) == RP_OK &&
                rp_str_eq_cstr(s, "EnableVgwRoutePropagation")) {
                rt.propagated = true;
                /* a propagated route lives only while propagation is on for its gateway */
                bool on = false;
                for (uint32_t k = 0; k < prop.n; k++)
                    if (strcmp(prop.v[k], rt.target_id) == 0) on = true;
                if (!on) continue;
            }
            push(r, (void **)&t->routes, &t->nroutes, &t->routes_cap, &rt, sizeof(rt));
        }
    t->prop_vgws = prop.v;
    t->nprop = prop.n;
    t->subnets = subs.v;
    t->nsubnets = subs.n;
}

/* Attached VPCs of an IGW (attachments) or VGW (vpcAttachments). */
static void attached_vpcs(struct rd *r, struct rp_json_val c, const char *k, struct strlist *l)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (!garr(r, c, k, &it)) return;
    while (next_obj(r, &it, k, &i, &el)) {
        struct rp_str s;
        if (rp_json_obj_get_str(el, "state", &s) == RP_OK && !rp_str_eq_cstr(s, "available") &&
            !rp_str_eq_cstr(s, "attached"))
            continue;
        sl_add(r, l, gstr(r, el, "vpcId"));
    }
}

static void rd_igw(struct rd *r, const struct nr_base *ci, struct rp_json_val c, enum nr_kind k)
{
    struct strlist l = {0};
    attached_vpcs(r, c, k == NK_IGW ? "attachments" : "vpcAttachments", &l);
    if (r->err) return;
    if (k == NK_IGW) {
        struct nr_igw *g = entity_new(r->m, NK_IGW, ci->id);
        if (!g) goto oom;
        base_init(&g->b, ci);
        g->vpcs = l.v;
        g->nvpcs = l.n;
    } else {
        struct nr_vgw *g = entity_new(r->m, NK_VGW, ci->id);
        if (!g) goto oom;
        base_init(&g->b, ci);
        g->vpcs = l.v;
        g->nvpcs = l.n;
    }
    return;
oom:
    if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
}

static void rd_cgw(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_cgw *g = entity_new(r->m, NK_CGW, ci->id);
    if (!g) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&g->b, ci);
    g->ip = gstr(r, c, "ipAddress");
    g->asn = gstr(r, c, "bgpAsn");
}

static void rd_vpn(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct rp_str s;
    if (rp_json_obj_get_str(c, "state", &s) == RP_OK &&
        (rp_str_eq_cstr(s, "deleted") || rp_str_eq_cstr(s, "deleting")))
        return;
    struct nr_vpn *v = entity_new(r->m, NK_VPN, ci->id);
    if (!v) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&v->b, ci);
    v->cgw_id = gstr(r, c, "customerGatewayId");
    v->vgw_id = gstr(r, c, "vpnGatewayId");
    v->tgw_id = gstr(r, c, "transitGatewayId");
    v->static_only = gbool(gobj(c, "options"), "staticRoutesOnly", false);
    v->cgw = v->vgw = -1;
    struct ivlist l = {0};
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (garr(r, c, "routes", &it))
        while (next_obj(r, &it, "routes", &i, &el)) {
            if (rp_json_obj_get_str(el, "state", &s) == RP_OK &&
                (rp_str_eq_cstr(s, "deleted") || rp_str_eq_cstr(s, "deleting")))
                continue;
            iv_add_member(r, &l, el, "destinationCidrBlock", "routes");
        }
    v->routes = (struct nr_ivs){l.v, l.n};
}

static void vpc_info(struct rd *r, struct rp_json_val o, const char **vpc, struct nr_ivs *cidrs)
{
    *vpc = gstr(r, o, "vpcId");
    struct ivlist l = {0};
    iv_add_member(r, &l, o, "cidrBlock", "cidrBlock");
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (garr(r, o, "cidrBlockSet", &it))
        while (next_obj(r, &it, "cidrBlockSet", &i, &el))
            iv_add_member(r, &l, el, "cidrBlock", "cidrBlockSet");
    *cidrs = (struct nr_ivs){l.v, l.n};
}

static void rd_pcx(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_pcx *p = entity_new(r->m, NK_PCX, ci->id);
    if (!p) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&p->b, ci);
    vpc_info(r, gobj(c, "requesterVpcInfo"), &p->vpc_a, &p->cidrs_a);
    vpc_info(r, gobj(c, "accepterVpcInfo"), &p->vpc_b, &p->cidrs_b);
    struct rp_str s;
    p->active = true;
    if (rp_json_obj_get_str(gobj(c, "status"), "code", &s) == RP_OK)
        p->active = rp_str_eq_cstr(s, "active");
    p->a = p->b_ = -1;
}

static void rd_tgwatt(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct rp_str s;
    if (rp_json_obj_get_str(c, "resourceType", &s) == RP_OK && !rp_str_eq_cstr(s, "vpc")) return;
    if (rp_json_obj_get_str(c, "state", &s) == RP_OK &&
        (rp_str_eq_cstr(s, "deleted") || rp_str_eq_cstr(s, "deleting")))
        return;
    struct nr_tgwatt *a = entity_new(r->m, NK_TGWATT, ci->id);
    if (!a) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&a->b, ci);
    a->tgw_id = gstr(r, c, "transitGatewayId");
    if (!a->tgw_id) a->tgw_id = gstr(r, c, "TransitGatewayId");
    a->vpc_id = gstr(r, c, "vpcId");
    if (!a->vpc_id) a->vpc_id = gstr(r, c, "VpcId");
    if (!a->vpc_id) a->vpc_id = gstr(r, c, "resourceId");
    a->vpc = -1;
}

static int16_t proto_of(struct rp_json_val o, const char *k)
{
    struct rp_json_val v;
    if (rp_json_obj_get(o, k, &v) != RP_OK) return -2;
    int64_t n;
    if (rp_json_get_i64(v, &n) == RP_OK) return n < 0 ? -1 : n > 255 ? -2 : (int16_t)n;
    struct rp_str s;
    if (rp_json_get_str(v, &s) != RP_OK) return -2;
    if (rp_str_eq_cstr(s, "-1") || rp_str_eq_nocase(s, RP_STR_LIT("all"))) return -1;
    if (rp_str_eq_nocase(s, RP_STR_LIT("tcp"))) return 6;
    if (rp_str_eq_nocase(s, RP_STR_LIT("udp"))) return 17;
    if (rp_str_eq_nocase(s, RP_STR_LIT("icmp"))) return 1;
    if (rp_str_eq_nocase(s, RP_STR_LIT("icmpv6"))) return 58;
    if (rp_str_to_i64(s, &n) == RP_OK && n >= 0 && n <= 255) return (int16_t)n;
    return -2;
}

static int cmp_acl(const void *a, const void *b)
{
    const struct nr_acl_rule *x = a, *y = b;
    return (x->num > y->num) - (x->num < y->num);
}

static void rd_nacl(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_nacl *n = entity_new(r->m, NK_NACL, ci->id);
    if (!n) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&n->b, ci);
    n->vpc_id = gstr(r, c, "vpcId");
    n->is_default = gbool(c, "isDefault", false);
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    struct strlist subs = {0};
    if (garr(r, c, "associations", &it))
        while (next_obj(r, &it, "associations", &i, &el)) sl_add(r, &subs, gstr(r, el, "subnetId"));
    n->subnets = subs.v;
    n->nsubnets = subs.n;
    uint32_t cin = 0, cout = 0;
    i = 0;
    if (garr(r, c, "entries", &it))
        while (next_obj(r, &it, "entries", &i, &el)) {
            struct nr_acl_rule e = {0};
            e.num = (int32_t)gint(el, "ruleNumber", -1);
            if (e.num < 0) {
                FAIL(r, "'entries[%zu]' has no ruleNumber", i - 1);
                break;
            }
            e.proto = proto_of(el, "protocol");
            if (e.proto == -2) {
                FAIL(r, "'entries[%zu]' has no valid protocol", i - 1);
                break;
            }
            struct rp_str s;
            if (rp_json_obj_get_str(el, "ruleAction", &s) != RP_OK) {
                FAIL(r, "'entries[%zu]' has no ruleAction", i - 1);
                break;
            }
            e.allow = rp_str_eq_nocase(s, RP_STR_LIT("allow"));
            bool egress = gbool(el, "egress", false);
            if (rp_json_obj_get_str(el, "cidrBlock", &s) != RP_OK || !s.len)
                continue; /* IPv6 rule: not analysed */
            struct nr_iv iv;
            if (!nr_parse_cidr4(s.p, s.len, &iv, NULL)) {
                FAIL(r, "invalid CIDR '%.*s' in 'entries[%zu]'", (int)(s.len > 60 ? 60 : s.len),
                     s.p, i - 1);
                break;
            }
            e.lo = iv.lo;
            e.hi = iv.hi;
            e.pfrom = 0;
            e.pto = 65535;
            struct rp_json_val pr = gobj(el, "portRange");
            if (pr.doc && (e.proto == 6 || e.proto == 17)) {
                int64_t f = gint(pr, "from", 0), t = gint(pr, "to", 65535);
                if (f < 0 || f > 65535 || t < f || t > 65535) {
                    FAIL(r, "invalid port range in 'entries[%zu]'", i - 1);
                    break;
                }
                e.pfrom = (uint16_t)f;
                e.pto = (uint16_t)t;
            }
            if (egress)
                push(r, (void **)&n->out, &n->nout, &cout, &e, sizeof(e));
            else
                push(r, (void **)&n->in, &n->nin, &cin, &e, sizeof(e));
        }
    if (n->nin) qsort(n->in, n->nin, sizeof(*n->in), cmp_acl);
    if (n->nout) qsort(n->out, n->nout, sizeof(*n->out), cmp_acl);
}

static void rd_sg(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_sg *g = entity_new(r->m, NK_SG, ci->id);
    if (!g) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&g->b, ci);
    g->vpc_id = gstr(r, c, "vpcId");
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    uint32_t cap = 0;
    if (garr(r, c, "ipPermissions", &it))
        while (next_obj(r, &it, "ipPermissions", &i, &el)) {
            struct nr_sg_rule ru = {0};
            ru.proto = proto_of(el, "ipProtocol");
            if (ru.proto == -2) {
                FAIL(r, "'ipPermissions[%zu]' has no valid ipProtocol", i - 1);
                break;
            }
            ru.from = 0;
            ru.to = 65535;
            if (ru.proto == 6 || ru.proto == 17) {
                int64_t f = gint(el, "fromPort", -1), t = gint(el, "toPort", -1);
                if (f >= 0 || t >= 0) {
                    if (f < 0 || f > 65535 || t < f || t > 65535) {
                        FAIL(r, "invalid port range in 'ipPermissions[%zu]'", i - 1);
                        break;
                    }
                    ru.from = (uint16_t)f;
                    ru.to = (uint16_t)t;
                }
            }
            struct ivlist l = {0};
            struct rp_json_iter it2;
            struct rp_json_val el2;
            if (garr(r, el, "ipRanges", &it2))
                while (it2.doc && rp_json_arr_next(&it2, &el2)) {
                    struct rp_str s;
                    if (rp_json_get_str(el2, &s) == RP_OK)
                        iv_add_str(r, &l, s, "ipRanges");
                    else if (rp_json_type(el2) == RP_JSON_OBJECT)
                        iv_add_member(r, &l, el2, "cidrIp", "ipRanges");
                }
            size_t j = 0;
            if (garr(r, el, "ipv4Ranges", &it2))
                while (next_obj(r, &it2, "ipv4Ranges", &j, &el2))
                    iv_add_member(r, &l, el2, "cidrIp", "ipv4Ranges");
            ru.cidrs = (struct nr_ivs){l.v, l.n};
            struct strlist refs = {0};
            group_ids(r, el, "userIdGroupPairs", "groupId", &refs);
            ru.refs = refs.v;
            ru.nrefs = refs.n;
            if (r->err) break;
            push(r, (void **)&g->in, &g->nin, &cap, &ru, sizeof(ru));
        }
}

/* A public IPv4 address on the interface object o (association.publicIp, or one of
 * privateIpAddresses[].association). */
static bool has_public(struct rp_json_val o)
{
    struct rp_str s;
    if (rp_json_obj_get_str(gobj(o, "association"), "publicIp", &s) == RP_OK && s.len) return true;
    struct rp_json_val a;
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_obj_get(o, "privateIpAddresses", &a) == RP_OK && rp_json_arr_iter(a, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el))
            if (rp_json_obj_get_str(gobj(el, "association"), "publicIp", &s) == RP_OK && s.len)
                return true;
    return false;
}

static void read_attach(struct rd *r, struct rp_json_val o, struct nr_attach *at)
{
    at->eni_id = gstr(r, o, "networkInterfaceId");
    at->subnet_id = gstr(r, o, "subnetId");
    struct strlist l = {0};
    group_ids(r, o, "groups", "groupId", &l);
    at->sg_ids = l.v;
    at->nsgs = l.n;
    at->public_ip = has_public(o);
    at->subnet = -1;
}

static void rd_eni(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_eni *e = entity_new(r->m, NK_ENI, ci->id);
    if (!e) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&e->b, ci);
    e->vpc_id = gstr(r, c, "vpcId");
    e->instance_id = gstr(r, gobj(c, "attachment"), "instanceId");
    read_attach(r, c, &e->at);
    if (!e->at.eni_id) e->at.eni_id = e->b.id;
    struct rp_str s;
    bool plain =
        rp_json_obj_get_str(c, "interfaceType", &s) != RP_OK || rp_str_eq_cstr(s, "interface");
    if (gbool(c, "requesterManaged", false)) plain = false;
    if (rp_json_obj_get_str(c, "description", &s) == RP_OK && rp_str_has_prefix(s, "ELB "))
        plain = false;
    e->standalone = plain && !e->instance_id;
}

static void rd_inst(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_inst *in = entity_new(r->m, NK_INST, ci->id);
    if (!in) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&in->b, ci);
    in->vpc_id = gstr(r, c, "vpcId");
    struct rp_str s;
    in->running = true;
    if (rp_json_obj_get_str(gobj(c, "state"), "name", &s) == RP_OK)
        in->running = rp_str_eq_cstr(s, "running");
    bool pub = rp_json_obj_get_str(c, "publicIpAddress", &s) == RP_OK && s.len;
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    uint32_t cap = 0;
    if (garr(r, c, "networkInterfaces", &it))
        while (next_obj(r, &it, "networkInterfaces", &i, &el)) {
            struct nr_attach at = {0};
            read_attach(r, el, &at);
            if (!at.subnet_id) at.subnet_id = gstr(r, c, "subnetId");
            /* the instance's publicIpAddress belongs to its primary interface */
            if (pub && gint(gobj(el, "attachment"), "deviceIndex", (int64_t)i - 1) == 0)
                at.public_ip = true;
            push(r, (void **)&in->ats, &in->nats, &cap, &at, sizeof(at));
        }
    if (!in->nats && r->err == RP_OK) {
        struct nr_attach at = {0};
        at.subnet_id = gstr(r, c, "subnetId");
        struct strlist l = {0};
        group_ids(r, c, "securityGroups", "groupId", &l);
        at.sg_ids = l.v;
        at.nsgs = l.n;
        at.public_ip = pub;
        at.subnet = -1;
        if (at.subnet_id) push(r, (void **)&in->ats, &in->nats, &cap, &at, sizeof(at));
    }
}

static const char *vpc_member(struct rd *r, struct rp_json_val c)
{
    static const char *const keys[] = {"vpcId", "vPCId", "vpcid", "VPCId"};
    for (size_t i = 0; i < RP_ARRAY_LEN(keys); i++) {
        const char *v = gstr(r, c, keys[i]);
        if (v) return v;
    }
    return NULL;
}

static int16_t listener_proto(struct rp_str s)
{
    if (rp_str_eq_nocase(s, RP_STR_LIT("udp"))) return 17;
    if (rp_str_eq_nocase(s, RP_STR_LIT("tcp_udp"))) return -1;
    return 6;
}

static void rd_lb(struct rd *r, const struct nr_base *ci, struct rp_json_val c, bool classic)
{
    struct nr_lb *lb = entity_new(r->m, NK_LB, ci->id);
    if (!lb) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&lb->b, ci);
    lb->classic = classic;
    lb->type = classic ? "AWS::ElasticLoadBalancing::LoadBalancer"
                       : "AWS::ElasticLoadBalancingV2::LoadBalancer";
    lb->vpc_id = vpc_member(r, c);
    struct rp_str s;
    lb->internet_facing =
        rp_json_obj_get_str(c, "scheme", &s) == RP_OK && rp_str_eq_cstr(s, "internet-facing");
    struct strlist subs = {0}, sgs = {0}, tg = {0};
    struct rp_json_val v;
    lb->has_sgs = rp_json_obj_get(c, "securityGroups", &v) == RP_OK &&
                  rp_json_type(v) == RP_JSON_ARRAY && rp_json_len(v) > 0;
    group_ids(r, c, "securityGroups", "groupId", &sgs);
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (classic) {
        group_ids(r, c, "subnets", "subnetId", &subs);
        group_ids(r, c, "instances", "instanceId", &tg);
        if (garr(r, c, "listenerDescriptions", &it))
            while (next_obj(r, &it, "listenerDescriptions", &i, &el)) {
                struct rp_json_val l = gobj(el, "listener");
                struct nr_port p = {0};
                int64_t lp = gint(l, "loadBalancerPort", -1), ip = gint(l, "instancePort", 0);
                if (lp < 0 || lp > 65535) continue;
                p.port = (uint16_t)lp;
                p.target_port = ip > 0 && ip <= 65535 ? (uint16_t)ip : p.port;
                p.proto = rp_json_obj_get_str(l, "protocol", &s) == RP_OK ? listener_proto(s) : 6;
                push(r, (void **)&lb->ports, &lb->nports, &lb->ports_cap, &p, sizeof(p));
            }
    } else {
        if (garr(r, c, "availabilityZones", &it))
            while (next_obj(r, &it, "availabilityZones", &i, &el))
                sl_add(r, &subs, gstr(r, el, "subnetId"));
        r->alias = gstr(r, c, "loadBalancerName");
        r->alias_kind = NK_LB;
        r->alias_idx = (uint32_t)(lb - (struct nr_lb *)r->m->v[NK_LB].v);
    }
    lb->subnet_ids = subs.v;
    lb->nsubnets = subs.n;
    lb->sg_ids = sgs.v;
    lb->nsgs = sgs.n;
    lb->targets = tg.v;
    lb->ntargets = tg.n;
}

static void rd_listener(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_listener *l = entity_new(r->m, NK_LISTENER, ci->id);
    if (!l) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&l->b, ci);
    l->lb_arn = gstr(r, c, "loadBalancerArn");
    int64_t p = gint(c, "port", -1);
    if (p < 0 || p > 65535) {
        FAIL(r, "no valid 'port'");
        return;
    }
    l->p.port = (uint16_t)p;
    struct rp_str s;
    l->p.proto = rp_json_obj_get_str(c, "protocol", &s) == RP_OK ? listener_proto(s) : 6;
    struct strlist tgs = {0};
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (garr(r, c, "defaultActions", &it))
        while (next_obj(r, &it, "defaultActions", &i, &el)) {
            sl_add(r, &tgs, gstr(r, el, "targetGroupArn"));
            struct rp_json_iter it2;
            struct rp_json_val el2;
            size_t j = 0;
            if (garr(r, gobj(el, "forwardConfig"), "targetGroups", &it2))
                while (next_obj(r, &it2, "targetGroups", &j, &el2))
                    sl_add(r, &tgs, gstr(r, el2, "targetGroupArn"));
        }
    l->tgs = tgs.v;
    l->ntgs = tgs.n;
}

static void tg_targets(struct rd *r, struct nr_tg *t, struct rp_json_val o, uint32_t *cap,
                       uint32_t *pcap)
{
    static const char *const keys[] = {"targets", "targetHealthDescriptions",
                                       "TargetHealthDescriptions"};
    for (size_t k = 0; k < RP_ARRAY_LEN(keys); k++) {
        struct rp_json_iter it;
        struct rp_json_val el;
        size_t i = 0;
        if (!o.doc || !garr(r, o, keys[k], &it)) continue;
        while (next_obj(r, &it, keys[k], &i, &el)) {
            struct rp_json_val tgt = gobj(el, "target");
            if (!tgt.doc) tgt = gobj(el, "Target");
            if (!tgt.doc) tgt = el;
            const char *id = gstr(r, tgt, "id");
            if (!id) id = gstr(r, tgt, "Id");
            if (!id) continue;
            int64_t p = gint(tgt, "port", gint(tgt, "Port", 0));
            uint16_t port = p > 0 && p <= 65535 ? (uint16_t)p : 0;
            push(r, (void **)&t->targets, &t->ntargets, cap, &id, sizeof(id));
            uint32_t n = t->ntargets - 1;
            push(r, (void **)&t->tports, &n, pcap, &port, sizeof(port));
        }
    }
}

static void rd_tg(struct rd *r, const struct nr_base *ci, struct rp_json_val c,
                  struct rp_json_val supp)
{
    struct nr_tg *t = entity_new(r->m, NK_TG, ci->id);
    if (!t) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&t->b, ci);
    t->arn = gstr(r, c, "targetGroupArn");
    if (!t->arn) t->arn = ci->arn ? ci->arn : ci->id;
    int64_t p = gint(c, "port", 0);
    t->port = p > 0 && p <= 65535 ? (uint16_t)p : 0;
    uint32_t cap = 0, pcap = 0;
    tg_targets(r, t, c, &cap, &pcap);
    if (supp.doc && rp_json_type(supp) == RP_JSON_OBJECT) tg_targets(r, t, supp, &cap, &pcap);
    if (strcmp(t->arn, ci->id) != 0) {
        r->alias = t->arn;
        r->alias_kind = NK_TG;
        r->alias_idx = (uint32_t)(t - (struct nr_tg *)r->m->v[NK_TG].v);
    }
}

static void rd_db(struct rd *r, const struct nr_base *ci, struct rp_json_val c)
{
    struct nr_db *d = entity_new(r->m, NK_DB, ci->id);
    if (!d) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    base_init(&d->b, ci);
    if (!d->b.arn) d->b.arn = gstr(r, c, "dBInstanceArn");
    d->public_access = gbool(c, "publiclyAccessible", false);
    int64_t p = gint(gobj(c, "endpoint"), "port", 0);
    if (p <= 0) p = gint(c, "dbInstancePort", 0);
    d->port = p > 0 && p <= 65535 ? (uint16_t)p : 0;
    struct rp_json_val g = gobj(c, "dBSubnetGroup");
    d->vpc_id = gstr(r, g, "vpcId");
    struct strlist subs = {0}, sgs = {0};
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t i = 0;
    if (g.doc && garr(r, g, "subnets", &it))
        while (next_obj(r, &it, "subnets", &i, &el))
            sl_add(r, &subs, gstr(r, el, "subnetIdentifier"));
    group_ids(r, c, "vpcSecurityGroups", "vpcSecurityGroupId", &sgs);
    d->subnet_ids = subs.v;
    d->nsubnets = subs.n;
    d->sg_ids = sgs.v;
    d->nsgs = sgs.n;
    const char *name = gstr(r, c, "dBInstanceIdentifier");
    if (name && strcmp(name, ci->id) != 0) {
        r->alias = name;
        r->alias_kind = NK_DB;
        r->alias_idx = (uint32_t)(d - (struct nr_db *)r->m->v[NK_DB].v);
    }
}

static void rd_plain(struct rd *r, const struct nr_base *ci, enum nr_kind k)
{
    struct nr_base *b = entity_new(r->m, k, ci->id);
    if (!b) {
        if (r->err == RP_OK) r->err = rp_fail(r->eb, RP_ENOMEM, "netreach: out of memory");
        return;
    }
    *b = *ci;
}

/* ---- dispatch ----------------------------------------------------------------------------- */

enum {
    T_VPC,
    T_SUBNET,
    T_RTB,
    T_IGW,
    T_VGW,
    T_CGW,
    T_VPN,
    T_PCX,
    T_TGW,
    T_TGWATT,
    T_NACL,
    T_SG,
    T_ENI,
    T_INST,
    T_LB2,
    T_LB1,
    T_LISTENER,
    T_TG,
    T_DB,
    T_NAT
};

static const enum nr_kind kind_of[] = {
    [T_VPC] = NK_VPC,           [T_SUBNET] = NK_SUBNET, [T_RTB] = NK_RTB,   [T_IGW] = NK_IGW,
    [T_VGW] = NK_VGW,           [T_CGW] = NK_CGW,       [T_VPN] = NK_VPN,   [T_PCX] = NK_PCX,
    [T_TGW] = NK_NAT,           [T_TGWATT] = NK_TGWATT, [T_NACL] = NK_NACL, [T_SG] = NK_SG,
    [T_ENI] = NK_ENI,           [T_INST] = NK_INST,     [T_LB2] = NK_LB,    [T_LB1] = NK_LB,
    [T_LISTENER] = NK_LISTENER, [T_TG] = NK_TG,         [T_DB] = NK_DB,     [T_NAT] = NK_NAT,
};

static const struct {
    const char *name;
    int t;
} types[] = {
    {"AWS::EC2::VPC", T_VPC},
    {"AWS::EC2::Subnet", T_SUBNET},
    {"AWS::EC2::RouteTable", T_RTB},
    {"AWS::EC2::InternetGateway", T_IGW},
    {"AWS::EC2::VPNGateway", T_VGW},
    {"AWS::EC2::CustomerGateway", T_CGW},
    {"AWS::EC2::VPNConnection", T_VPN},
    {"AWS::EC2::VPCPeeringConnection", T_PCX},
    {"AWS::EC2::TransitGateway", T_TGW},
    {"AWS::EC2::TransitGatewayAttachment", T_TGWATT},
    {"AWS::EC2::NetworkAcl", T_NACL},
    {"AWS::EC2::SecurityGroup", T_SG},
    {"AWS::EC2::NetworkInterface", T_ENI},
    {"AWS::EC2::Instance", T_INST},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", T_LB2},
    {"AWS::ElasticLoadBalancing::LoadBalancer", T_LB1},
    {"AWS::ElasticLoadBalancingV2::Listener", T_LISTENER},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", T_TG},
    {"AWS::RDS::DBInstance", T_DB},
    {"AWS::EC2::NatGateway", T_NAT},
};

static int type_of(struct rp_str s)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(types); i++)
        if (rp_str_eq_cstr(s, types[i].name)) return types[i].t;
    return -1;
}

/* Add one item whose type is t; conf is the configuration object (or a string holding it). */
static rp_err add_item(struct rp_netreach_model *m, int t, const char *type_name,
                       const struct nr_base *ci, struct rp_json_val conf, struct rp_json_val supp,
                       struct rp_errbuf *eb)
{
    struct rd r = {.m = m, .type = type_name, .id = ci->id, .eb = eb};
    enum rp_json_type ct = rp_json_type(conf);
    if (ct == RP_JSON_STRING) {
        struct rp_str s;
        if (rp_json_get_str(conf, &s) != RP_OK) s = (struct rp_str){"", 0};
        struct rp_errbuf jeb = {0};
        if (rp_json_parse(m->jp, s.p, s.len, &conf, &jeb) != RP_OK)
            return rp_fail(eb, RP_EPARSE, "%s %s: configuration string is not JSON: %s", type_name,
                           ci->id, jeb.msg);
        ct = rp_json_type(conf);
    }
    if (ct == RP_JSON_NONE || ct == RP_JSON_NULL)
        return rp_fail(eb, RP_EPARSE, "%s %s: no configuration", type_name, ci->id);
    if (ct != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "%s %s: configuration is not a JSON object", type_name,
                       ci->id);
    size_t nv = m->v[kind_of[t]].n;
    switch (t) {
    case T_VPC:
        rd_vpc(&r, ci, conf);
        break;
    case T_SUBNET:
        rd_subnet(&r, ci, conf);
        break;
    case T_RTB:
        rd_rtb(&r, ci, conf);
        break;
    case T_IGW:
        rd_igw(&r, ci, conf, NK_IGW);
        break;
    case T_VGW:
        rd_igw(&r, ci, conf, NK_VGW);
        break;
    case T_CGW:
        rd_cgw(&r, ci, conf);
        break;
    case T_VPN:
        rd_vpn(&r, ci, conf);
        break;
    case T_PCX:
        rd_pcx(&r, ci, conf);
        break;
    case T_TGW:
        break;
    case T_TGWATT:
        rd_tgwatt(&r, ci, conf);
        break;
    case T_NACL:
        rd_nacl(&r, ci, conf);
        break;
    case T_SG:
        rd_sg(&r, ci, conf);
        break;
    case T_ENI:
        rd_eni(&r, ci, conf);
        break;
    case T_INST:
        rd_inst(&r, ci, conf);
        break;
    case T_LB2:
        rd_lb(&r, ci, conf, false);
        break;
    case T_LB1:
        rd_lb(&r, ci, conf, true);
        break;
    case T_LISTENER:
        rd_listener(&r, ci, conf);
        break;
    case T_TG:
        rd_tg(&r, ci, conf, supp);
        break;
    case T_DB:
        rd_db(&r, ci, conf);
        break;
    case T_NAT:
        rd_plain(&r, ci, NK_NAT);
        break;
    }
    if (r.err == RP_OK) {
        if (r.alias && slot_put(m, r.alias_kind, r.alias, r.alias_idx) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
        return RP_OK;
    }
    /* forget the item: a new entity is dropped, an existing one (overwritten by this item) can
     * no longer be found; its slot becomes a tombstone so probe chains stay intact */
    enum nr_kind k = kind_of[t];
    int32_t at = nr_find(m, k, ci->id);
    if (at >= 0) {
        size_t mask = m->slots_cap - 1;
        for (size_t i = slot_hash(k, ci->id) & mask;; i = (i + 1) & mask) {
            struct nr_slot *sl = &m->slots[i];
            if (sl->kind == (uint32_t)k && strcmp(sl->id, ci->id) == 0) {
                sl->kind = UINT32_MAX;
                break;
            }
        }
        if ((size_t)at + 1 == m->v[k].n && m->v[k].n > nv)
            m->v[k].n--;
        else
            ((struct nr_base *)((char *)m->v[k].v + (size_t)at * kind_size[k]))->id = "";
    }
    return r.err;
}

static bool deleted_status(struct rp_str s)
{
    return rp_str_eq_cstr(s, "ResourceDeleted") ||
           rp_str_eq_cstr(s, "ResourceDeletedNotRecorded") ||
           rp_str_eq_cstr(s, "ResourceNotRecorded");
}

rp_err rp_netreach_model_add_ci(struct rp_netreach_model *m, struct rp_json_val ci,
                                struct rp_errbuf *eb)
{
    if (m->finished) return rp_fail(eb, RP_EINVAL, "netreach: model already finished");
    if (rp_json_type(ci) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "netreach: configuration item is not a JSON object");
    struct rp_str type, id, s;
    if (rp_json_obj_get_str(ci, "resourceType", &type) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "netreach: configuration item without 'resourceType'");
    int t = type_of(type);
    if (t < 0) return RP_OK;
    if (rp_json_obj_get_str(ci, "resourceId", &id) != RP_OK || id.len == 0)
        return rp_fail(eb, RP_EPARSE, "%.*s: configuration item without 'resourceId'",
                       (int)type.len, type.p);
    if (rp_json_obj_get_str(ci, "configurationItemStatus", &s) == RP_OK && deleted_status(s))
        return RP_OK;
    struct nr_base b = {0};
    struct rd r = {.m = m, .type = "", .id = "", .eb = eb};
    b.id = dup_str(&r, id);
    b.account = gstr(&r, ci, "awsAccountId");
    if (!b.account) b.account = gstr(&r, ci, "accountId");
    b.region = gstr(&r, ci, "awsRegion");
    b.arn = gstr(&r, ci, "ARN");
    if (!b.arn) b.arn = gstr(&r, ci, "arn");
    if (r.err) return r.err;
    if (!b.account) b.account = "";
    if (!b.region) b.region = "";
    struct rp_json_val conf = {0}, supp = {0};
    if (rp_json_obj_get(ci, "configuration", &conf) != RP_OK) conf = (struct rp_json_val){0};
    if (rp_json_obj_get(ci, "supplementaryConfiguration", &supp) != RP_OK)
        supp = (struct rp_json_val){0};
    char tn[64];
    snprintf(tn, sizeof(tn), "%.*s", (int)type.len, type.p);
    return add_item(m, t, tn, &b, conf, supp, eb);
}

rp_err rp_netreach_model_load(struct rp_netreach_model *m, struct rp_store *st,
                              rp_netreach_warn_fn warn, void *warn_ctx, size_t *bad_n,
                              struct rp_errbuf *eb)
{
    if (bad_n) *bad_n = 0;
    if (m->finished) return rp_fail(eb, RP_EINVAL, "netreach: model already finished");
    char sql[1024];
    size_t off = (size_t)snprintf(sql, sizeof(sql),
                                  "SELECT resourceType, resourceId, rp_account, rp_region, ARN, "
                                  "configuration, supplementaryConfiguration FROM config_resources "
                                  "WHERE ifnull(configurationItemStatus, '') NOT IN "
                                  "('ResourceDeleted', 'ResourceDeletedNotRecorded', "
                                  "'ResourceNotRecorded') AND resourceType IN (");
    for (size_t i = 0; i < RP_ARRAY_LEN(types) && off < sizeof(sql); i++)
        off +=
            (size_t)snprintf(sql + off, sizeof(sql) - off, "%s'%s'", i ? ", " : "", types[i].name);
    if (off >= sizeof(sql) - 64) return rp_fail(eb, RP_EINTERNAL, "netreach: query too long");
    snprintf(sql + off, sizeof(sql) - off, ") ORDER BY resourceType, resourceId, rp_account");
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st, sql, &s, eb);
    if (e) return e;
    bool row = false;
    while (!(e = rp_store_stmt_step(s, &row, eb)) && row) {
        size_t tlen = 0, clen = 0, slen = 0;
        const char *type = rp_store_stmt_column_text(s, 0, &tlen);
        const char *id = rp_store_stmt_column_text(s, 1, NULL);
        if (!type || !id || !*id) continue;
        int t = type_of((struct rp_str){type, tlen});
        if (t < 0) continue;
        struct rd r = {.m = m, .type = "", .id = "", .eb = eb};
        struct nr_base b = {0};
        b.id = rp_arena_strdup(&m->arena, id);
        const char *acct = rp_store_stmt_column_text(s, 2, NULL);
        const char *reg = rp_store_stmt_column_text(s, 3, NULL);
        const char *arn = rp_store_stmt_column_text(s, 4, NULL);
        b.account = rp_arena_strdup(&m->arena, acct ? acct : "");
        b.region = rp_arena_strdup(&m->arena, reg ? reg : "");
        b.arn = arn && *arn ? rp_arena_strdup(&m->arena, arn) : NULL;
        if (!b.id || !b.account || !b.region || (arn && *arn && !b.arn)) {
            e = rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
            break;
        }
        (void)r;
        char tn[64];
        snprintf(tn, sizeof(tn), "%.*s", (int)tlen, type);
        const char *conf = rp_store_stmt_column_text(s, 5, &clen);
        struct rp_json_val cv = {0}, sv = {0};
        struct rp_errbuf jeb = {0};
        rp_err pe = RP_OK;
        if (conf) {
            pe = rp_json_parse(m->jp2, conf, clen, &cv, &jeb);
            if (pe == RP_ENOMEM) {
                e = rp_fail(eb, RP_ENOMEM, "netreach: out of memory");
                break;
            }
        }
        struct rp_errbuf ceb = {0};
        rp_err ce;
        if (pe != RP_OK) {
            ce =
                rp_fail(&ceb, RP_EPARSE, "%s %s: configuration is not JSON: %s", tn, b.id, jeb.msg);
        } else {
            struct rp_json_parser *sp = NULL;
            if (t == T_TG) {
                const char *supp = rp_store_stmt_column_text(s, 6, &slen);
                sp = rp_json_parser_new();
                if (supp && sp && rp_json_parse(sp, supp, slen, &sv, NULL) != RP_OK)
                    sv = (struct rp_json_val){0};
            }
            ce = add_item(m, t, tn, &b, cv, sv, &ceb);
            rp_json_parser_free(sp);
        }
        if (ce == RP_ENOMEM) {
            e = rp_fail(eb, RP_ENOMEM, "%s", ceb.msg);
            break;
        }
        if (ce != RP_OK) {
            if (bad_n) (*bad_n)++;
            if (warn) warn(warn_ctx, ceb.msg);
        }
    }
    rp_store_stmt_reset(s);
    return e;
}
