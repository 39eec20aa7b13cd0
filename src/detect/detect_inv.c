/* SPDX-License-Identifier: Apache-2.0 */
/* The inventory a detection run consults (AWS Config's current items in the store,
 * config_resources): network interfaces with their instance, addresses and security groups,
 * the groups' inbound rules open to the internet, and instances' configuration for
 * InstanceDetails. Loaded once, on the first lookup, into the run's arena; a run without a
 * store (or a store without Config items) simply knows nothing. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_log.h"
#include "detect/detect_ctx.h"
#include "store/store.h"
#include "core/rp_banned.h"

struct inv_rule {
    int proto; /* -1 all, 6 tcp, 17 udp, 1 icmp */
    int from, to;
};

struct inv_sg {
    const char *id;
    struct inv_rule *rules; /* inbound rules open to 0.0.0.0/0 or ::/0 */
    size_t nrules;
};

struct inv_key {
    const char *k; /* eni id or address */
    uint32_t v;    /* index + 1 */
};

struct inv_inst {
    const char *id;
    const char *json;
};

struct rp_det_inv {
    struct rp_det_inv_eni *eni;
    size_t neni, capeni;
    struct inv_sg *sg;
    size_t nsg, capsg;
    struct inv_inst *inst;
    size_t ninst, capinst;
    struct inv_key *by_eni, *by_ip; /* open addressing, power-of-two sizes */
    size_t cap_eni, cap_ip;
};

void rp_det_inv_free(struct rp_det_inv *inv)
{
    if (!inv) return;
    free(inv->eni);
    for (size_t i = 0; i < inv->nsg; i++) free(inv->sg[i].rules);
    free(inv->sg);
    free(inv->inst);
    free(inv->by_eni);
    free(inv->by_ip);
    free(inv);
}

static uint32_t hash_s(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

static void key_put(struct inv_key *t, size_t cap, const char *k, uint32_t v)
{
    size_t h = hash_s(k, strlen(k)) & (cap - 1);
    while (t[h].k) {
        if (!strcmp(t[h].k, k)) return; /* first wins */
        h = (h + 1) & (cap - 1);
    }
    t[h].k = k;
    t[h].v = v;
}

static uint32_t key_get(const struct inv_key *t, size_t cap, struct rp_str k)
{
    if (!cap || !k.p) return 0;
    size_t h = hash_s(k.p, k.len) & (cap - 1);
    while (t[h].k) {
        if (strlen(t[h].k) == k.len && !memcmp(t[h].k, k.p, k.len)) return t[h].v;
        h = (h + 1) & (cap - 1);
    }
    return 0;
}

static const char *dup_str(struct rp_arena *a, struct rp_json_val o, const char *k)
{
    struct rp_str s;
    if (rp_json_obj_get_str(o, k, &s) || !s.len) return NULL;
    return rp_arena_memdup(a, s.p, s.len);
}

static void *grow(void *p, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return p;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(p, c * sz);
    if (q) *cap = c;
    return q;
}

static rp_err add_eni(struct rp_det_ctx *dc, struct rp_det_inv *inv, struct rp_json_val cfg,
                      const char *account, const char *region)
{
    struct rp_arena *a = &dc->arena;
    void *q = grow(inv->eni, &inv->capeni, inv->neni, sizeof *inv->eni);
    if (!q) return RP_ENOMEM;
    inv->eni = q;
    struct rp_det_inv_eni *x = &inv->eni[inv->neni];
    memset(x, 0, sizeof *x);
    x->eni = dup_str(a, cfg, "networkInterfaceId");
    if (!x->eni) return RP_OK;
    x->account = account;
    x->region = region;
    x->vpc_id = dup_str(a, cfg, "vpcId");
    x->subnet_id = dup_str(a, cfg, "subnetId");
    x->private_ip = dup_str(a, cfg, "privateIpAddress");
    struct rp_json_val v;
    if (!rp_json_obj_get(cfg, "attachment", &v)) x->instance_id = dup_str(a, v, "instanceId");
    if (!rp_json_obj_get(cfg, "association", &v)) x->public_ip = dup_str(a, v, "publicIp");
    struct rp_json_iter it;
    struct rp_json_val g;
    if (!rp_json_obj_get(cfg, "groups", &v) && !rp_json_arr_iter(v, &it)) {
        const char *ids[16];
        size_t n = 0;
        while (rp_json_arr_next(&it, &g) && n < 16) {
            const char *id = dup_str(a, g, "groupId");
            if (id) ids[n++] = id;
        }
        if (n) {
            const char **arr = rp_arena_alloc(a, n * sizeof *arr);
            if (!arr) return RP_ENOMEM;
            memcpy(arr, ids, n * sizeof *arr);
            x->security_groups = arr;
            x->nsecurity_groups = n;
        }
    }
    inv->neni++;
    return RP_OK;
}

static int proto_num(struct rp_str p)
{
    if (rp_str_eq_cstr(p, "-1") || rp_str_eq_cstr(p, "all")) return -1;
    if (rp_str_eq_cstr(p, "tcp") || rp_str_eq_cstr(p, "6")) return 6;
    if (rp_str_eq_cstr(p, "udp") || rp_str_eq_cstr(p, "17")) return 17;
    if (rp_str_eq_cstr(p, "icmp") || rp_str_eq_cstr(p, "1")) return 1;
    return -2;
}

static bool world_range(struct rp_json_val perm)
{
    struct rp_json_val v, el;
    struct rp_json_iter it;
    struct rp_str s;
    static const char *const lists[] = {"ipv4Ranges", "ipv6Ranges"};
    for (size_t i = 0; i < 2; i++) {
        if (rp_json_obj_get(perm, lists[i], &v) || rp_json_arr_iter(v, &it)) continue;
        while (rp_json_arr_next(&it, &el))
            if ((!rp_json_obj_get_str(el, "cidrIp", &s) && rp_str_eq_cstr(s, "0.0.0.0/0")) ||
                (!rp_json_obj_get_str(el, "cidrIpv6", &s) && rp_str_eq_cstr(s, "::/0")))
                return true;
    }
    if (!rp_json_obj_get(perm, "ipRanges", &v) && !rp_json_arr_iter(v, &it))
        while (rp_json_arr_next(&it, &el))
            if ((!rp_json_get_str(el, &s) && rp_str_eq_cstr(s, "0.0.0.0/0")) ||
                (!rp_json_obj_get_str(el, "cidrIp", &s) && rp_str_eq_cstr(s, "0.0.0.0/0")))
                return true;
    return false;
}

static rp_err add_sg(struct rp_det_ctx *dc, struct rp_det_inv *inv, struct rp_json_val cfg)
{
    void *q = grow(inv->sg, &inv->capsg, inv->nsg, sizeof *inv->sg);
    if (!q) return RP_ENOMEM;
    inv->sg = q;
    struct inv_sg *g = &inv->sg[inv->nsg];
    memset(g, 0, sizeof *g);
    g->id = dup_str(&dc->arena, cfg, "groupId");
    if (!g->id) return RP_OK;
    struct rp_json_val v, perm;
    struct rp_json_iter it;
    size_t cap = 0;
    if (!rp_json_obj_get(cfg, "ipPermissions", &v) && !rp_json_arr_iter(v, &it))
        while (rp_json_arr_next(&it, &perm)) {
            if (!world_range(perm)) continue;
            struct rp_str p = {NULL, 0};
            if (rp_json_obj_get_str(perm, "ipProtocol", &p)) continue;
            struct inv_rule r = {proto_num(p), 0, 65535};
            int64_t from = 0, to = 65535;
            if (!rp_json_obj_get_i64(perm, "fromPort", &from) &&
                !rp_json_obj_get_i64(perm, "toPort", &to) && r.proto != -1) {
                r.from = (int)from;
                r.to = (int)to;
            }
            void *rq = grow(g->rules, &cap, g->nrules, sizeof *g->rules);
            if (!rq) return RP_ENOMEM;
            g->rules = rq;
            g->rules[g->nrules++] = r;
        }
    inv->nsg++;
    return RP_OK;
}

static rp_err add_inst(struct rp_det_ctx *dc, struct rp_det_inv *inv, const char *id,
                       const char *json, size_t len)
{
    void *q = grow(inv->inst, &inv->capinst, inv->ninst, sizeof *inv->inst);
    if (!q) return RP_ENOMEM;
    inv->inst = q;
    inv->inst[inv->ninst].id = rp_arena_strdup(&dc->arena, id);
    inv->inst[inv->ninst].json = rp_arena_memdup(&dc->arena, json, len);
    if (!inv->inst[inv->ninst].id || !inv->inst[inv->ninst].json) return RP_ENOMEM;
    inv->ninst++;
    return RP_OK;
}

static rp_err load(struct rp_det_ctx *dc, struct rp_errbuf *eb)
{
    struct rp_det_inv *inv = calloc(1, sizeof *inv);
    if (!inv) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    dc->inv = inv;
    if (!dc->st) return RP_OK;
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        dc->st,
        "SELECT resourceType, resourceId, configuration, rp_account, rp_region "
        "FROM config_resources WHERE configuration IS NOT NULL AND resourceType IN "
        "('AWS::EC2::NetworkInterface', 'AWS::EC2::SecurityGroup', 'AWS::EC2::Instance') "
        "ORDER BY resourceType, resourceId",
        &s, eb);
    if (e) return RP_OK; /* a store without Config tables: nothing known */
    struct rp_json_parser *jp = dc->jp;
    bool row = false;
    while (!(e = rp_store_stmt_step(s, &row, eb)) && row) {
        const char *type = rp_store_stmt_column_text(s, 0, NULL);
        const char *rid = rp_store_stmt_column_text(s, 1, NULL);
        size_t len = 0;
        const char *cfg = rp_store_stmt_column_text(s, 2, &len);
        const char *acct = rp_store_stmt_column_text(s, 3, NULL);
        const char *reg = rp_store_stmt_column_text(s, 4, NULL);
        if (!type || !rid || !cfg) continue;
        if (!strcmp(type, "AWS::EC2::Instance")) {
            e = add_inst(dc, inv, rid, cfg, len);
            if (e) break;
            continue;
        }
        struct rp_json_val root;
        if (rp_json_parse(jp, cfg, len, &root, NULL)) continue;
        if (!strcmp(type, "AWS::EC2::NetworkInterface")) {
            const char *a = acct ? rp_arena_strdup(&dc->arena, acct) : NULL;
            const char *r = reg ? rp_arena_strdup(&dc->arena, reg) : NULL;
            e = add_eni(dc, inv, root, a, r);
        } else {
            e = add_sg(dc, inv, root);
        }
        if (e) break;
    }
    rp_store_stmt_reset(s);
    if (e) return rp_fail(eb, e, "detect: cannot read the inventory");
    size_t cap = 64;
    while (cap < inv->neni * 4 + 4) cap *= 2;
    inv->by_eni = calloc(cap, sizeof *inv->by_eni);
    inv->by_ip = calloc(cap, sizeof *inv->by_ip);
    if (!inv->by_eni || !inv->by_ip) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    inv->cap_eni = inv->cap_ip = cap;
    for (size_t i = 0; i < inv->neni; i++) {
        const struct rp_det_inv_eni *x = &inv->eni[i];
        key_put(inv->by_eni, cap, x->eni, (uint32_t)i + 1);
        if (x->private_ip) key_put(inv->by_ip, cap, x->private_ip, (uint32_t)i + 1);
        if (x->public_ip) key_put(inv->by_ip, cap, x->public_ip, (uint32_t)i + 1);
    }
    return RP_OK;
}

static struct rp_det_inv *inv_of(struct rp_det_ctx *dc)
{
    if (!dc->inv_tried) {
        dc->inv_tried = true;
        struct rp_errbuf eb = {0};
        if (load(dc, &eb)) RP_LOG_WARN("%s", eb.msg);
    }
    return dc->inv;
}

const struct rp_det_inv_eni *rp_det_inv_eni(struct rp_det_ctx *dc, struct rp_str eni)
{
    struct rp_det_inv *inv = inv_of(dc);
    if (!inv) return NULL;
    uint32_t v = key_get(inv->by_eni, inv->cap_eni, eni);
    return v ? &inv->eni[v - 1] : NULL;
}

const struct rp_det_inv_eni *rp_det_inv_ip(struct rp_det_ctx *dc, struct rp_str ip)
{
    struct rp_det_inv *inv = inv_of(dc);
    if (!inv) return NULL;
    uint32_t v = key_get(inv->by_ip, inv->cap_ip, ip);
    return v ? &inv->eni[v - 1] : NULL;
}

bool rp_det_inv_port_open(struct rp_det_ctx *dc, const struct rp_det_inv_eni *x,
                          const char *protocol, int port)
{
    struct rp_det_inv *inv = inv_of(dc);
    if (!inv || !x) return false;
    int proto = proto_num(rp_str_from(protocol));
    for (size_t i = 0; i < x->nsecurity_groups; i++)
        for (size_t j = 0; j < inv->nsg; j++) {
            const struct inv_sg *g = &inv->sg[j];
            if (strcmp(g->id, x->security_groups[i])) continue;
            for (size_t k = 0; k < g->nrules; k++) {
                const struct inv_rule *r = &g->rules[k];
                if (r->proto == -1) return true;
                if (r->proto == proto && port >= r->from && port <= r->to) return true;
            }
        }
    return false;
}

const char *rp_det_inv_instance_json(struct rp_det_ctx *dc, const char *instance_id)
{
    struct rp_det_inv *inv = inv_of(dc);
    if (!inv || !instance_id) return NULL;
    for (size_t i = 0; i < inv->ninst; i++)
        if (!strcmp(inv->inst[i].id, instance_id)) return inv->inst[i].json;
    return NULL;
}

const char *rp_det_inv_item_json(struct rp_det_ctx *dc, const char *type, const char *name,
                                 bool whole)
{
    if (!dc->st || !type || !name) return NULL;
    struct rp_store_stmt *s = NULL;
    bool row = false;
    const char *out = NULL;
    const char *sql =
        whole ? "SELECT json_object('configuration', json(configuration), "
                "'supplementaryConfiguration', json(ifnull(supplementaryConfiguration, '{}')), "
                "'tags', json(ifnull(tags, '{}'))) FROM config_resources WHERE resourceType = ?1 "
                "AND (resourceName = ?2 OR resourceId = ?2) AND configuration IS NOT NULL "
                "AND json_valid(configuration) ORDER BY rp_account, rp_region LIMIT 1"
              : "SELECT configuration FROM config_resources WHERE resourceType = ?1 "
                "AND (resourceName = ?2 OR resourceId = ?2) AND configuration IS "
                "NOT NULL ORDER BY rp_account, rp_region LIMIT 1";
    if (rp_store_stmt_prepare(dc->st, sql, &s, NULL)) return NULL;
    if (!rp_store_stmt_bind_cstr(s, 1, type, NULL) && !rp_store_stmt_bind_cstr(s, 2, name, NULL) &&
        !rp_store_stmt_step(s, &row, NULL) && row) {
        size_t len = 0;
        const char *t = rp_store_stmt_column_text(s, 0, &len);
        if (t) out = rp_arena_memdup(&dc->arena, t, len);
    }
    rp_store_stmt_reset(s);
    return out;
}
