/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart rules eval` (posture.h): every active rule configuration over the current inventory.
 *
 *   1. rule set: the managed rules (data/posture/rules) plus the custom Guard rules stored in
 *      posture_rule_configs;
 *   2. active configurations: each managed rule under its AWS name with its defaults (rules
 *      with a required parameter and no default wait for `rules enable --param`), replaced or
 *      disabled by posture_rule_configs rows of the same name, plus pack, standard and custom
 *      configurations;
 *   3. documents: every resource of config_resources not deleted, normalized (posture_doc.c);
 *      IAM users get their newest credential-report row; one AWS::::Account document per
 *      account and region from the estate tables (docs/rules-format.md);
 *   4. every configuration whose rule covers a document's type and whose scope takes it, over
 *      that document; results that differ from the stored ones are written to
 *      posture_evaluations and appended to posture_eval_history at the item's capture time;
 *   5. NON_COMPLIANT results and the resolution of earlier ones go to the findings hub.
 * The evaluation time (now() in Guard) is the newest capture time in the store unless given,
 * so a store evaluates the same way whenever it is evaluated. */
#define RP_LOG_MODULE "posture"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "posture/posture.h"
#include "posture/posture_internal.h"
#include "posture/posture_run.h"
#include "core/rp_banned.h"

/* ---- active rule configurations ------------------------------------------------------------ */

static rp_err cfg_push(struct rp_posture_cfgs *cs, struct rp_posture_cfg *c)
{
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 256;
        struct rp_posture_cfg *p = realloc(cs->v, cap * sizeof(*p));
        if (!p) return RP_ENOMEM;
        cs->v = p;
        cs->cap = cap;
    }
    cs->v[cs->n++] = *c;
    return RP_OK;
}

static struct rp_posture_cfg *cfg_find(struct rp_posture_cfgs *cs, const char *name)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i].name, name) == 0) return &cs->v[i];
    return NULL;
}

void rp_posture_cfgs_release(struct rp_posture_cfgs *cs)
{
    free(cs->v);
    rp_arena_release(&cs->arena);
    memset(cs, 0, sizeof(*cs));
}

/* A managed rule runs by default unless a parameter is required and has no default. */
static const char *needs_param(const struct rp_posture_rule *r)
{
    for (size_t i = 0; i < r->nparams; i++)
        if (!r->params[i].optional && !r->params[i].dflt) return r->params[i].name;
    return NULL;
}

static rp_err parse_params_json(struct rp_arena *a, struct rp_json_parser *jp, const char *json,
                                struct rp_posture_cfg *c, struct rp_errbuf *eb)
{
    struct rp_json_val root, v;
    if (!json || !*json) return RP_OK;
    rp_err e = rp_json_parse(jp, json, strlen(json), &root, eb);
    if (e != RP_OK) return e;
    size_t n = rp_json_len(root);
    c->params = rp_arena_zalloc(a, (n ? n : 1) * sizeof(*c->params));
    if (!c->params) return RP_ENOMEM;
    struct rp_json_iter it;
    struct rp_str k;
    if (rp_json_obj_iter(root, &it) != RP_OK) return RP_OK;
    while (rp_json_obj_next(&it, &k, &v)) {
        struct rp_str s = {0};
        bool null = rp_json_type(v) == RP_JSON_NULL; /* "not set": not even the default */
        if (!null && rp_json_get_str(v, &s) != RP_OK) continue;
        struct rp_posture_paramval *p = (struct rp_posture_paramval *)&c->params[c->nparams++];
        p->name = rp_arena_memdup(a, k.p, k.len + 1);
        p->value = null ? NULL : rp_arena_memdup(a, s.p, s.len + 1);
        if (!p->name || (!null && !p->value)) return RP_ENOMEM;
    }
    return RP_OK;
}

static rp_err parse_scope(struct rp_arena *a, struct rp_json_parser *jp, const char *json,
                          struct rp_posture_cfg *c, struct rp_errbuf *eb)
{
    struct rp_json_val root, v, el;
    if (!json || !*json) return RP_OK;
    rp_err e = rp_json_parse(jp, json, strlen(json), &root, eb);
    if (e != RP_OK) return e;
    if (rp_json_obj_get(root, "ComplianceResourceTypes", &v) == RP_OK) {
        size_t n = rp_json_len(v);
        const char **t = rp_arena_zalloc(a, (n ? n : 1) * sizeof(*t));
        if (!t) return RP_ENOMEM;
        struct rp_json_iter it;
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el)) {
                struct rp_str s;
                if (rp_json_get_str(el, &s) == RP_OK &&
                    (t[c->nscope_types] = rp_arena_memdup(a, s.p, s.len + 1)))
                    c->nscope_types++;
            }
        c->scope_types = t;
    }
    struct rp_str s;
    if (rp_json_obj_get_str(root, "TagKey", &s) == RP_OK)
        c->tag_key = rp_arena_memdup(a, s.p, s.len + 1);
    if (rp_json_obj_get_str(root, "TagValue", &s) == RP_OK)
        c->tag_value = rp_arena_memdup(a, s.p, s.len + 1);
    if (rp_json_obj_get_str(root, "ComplianceResourceId", &s) == RP_OK)
        c->resource_id = rp_arena_memdup(a, s.p, s.len + 1);
    return RP_OK;
}

rp_err rp_posture_cfgs_collect(struct rp_store *st, struct rp_posture_ruleset *set,
                               struct rp_posture_cfgs *cs, FILE *err, struct rp_errbuf *eb)
{
    memset(cs, 0, sizeof(*cs));
    rp_arena_init(&cs->arena, 64 * 1024);
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    rp_err e = RP_OK;
    size_t nmanaged = rp_posture_ruleset_count(set);
    for (size_t i = 0; i < nmanaged && e == RP_OK; i++) {
        const struct rp_posture_rule *r = rp_posture_ruleset_at(set, i);
        if (r->custom || needs_param(r)) continue;
        struct rp_posture_cfg c = {0};
        c.name = r->name ? r->name : r->identifier;
        c.rule = r;
        c.source = "managed";
        e = cfg_push(cs, &c);
    }
    struct rp_store_stmt *s = NULL;
    if (e == RP_OK)
        e = rp_store_stmt_prepare(
            st,
            "SELECT name, identifier, owner, parameters, scope, policy_text, "
            "source, state FROM posture_rule_configs ORDER BY created_ms, name",
            &s, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        struct rp_arena *a = &cs->arena;
        const char *name = rp_arena_strdup(a, rp_store_stmt_column_text(s, 0, NULL));
        const char *ident = rp_arena_strdup(a, rp_store_stmt_column_text(s, 1, NULL));
        const char *owner = rp_store_stmt_column_text(s, 2, NULL);
        const char *state = rp_store_stmt_column_text(s, 7, NULL);
        if (!name || !ident) {
            e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            break;
        }
        struct rp_posture_cfg *old = cfg_find(cs, name);
        if (state && strcmp(state, "DISABLED") == 0) {
            if (old) old->disabled = true;
            continue;
        }
        struct rp_posture_cfg c = {0};
        c.name = name;
        c.source = rp_arena_strdup(a, rp_store_stmt_column_text(s, 6, NULL));
        if (owner && strcmp(owner, "CUSTOM_LAMBDA") == 0) continue; /* listed, never run */
        c.rule = rp_posture_ruleset_find(set, ident);
        if (!c.rule) {
            if (err) fprintf(err, "rules: configuration '%s': no rule '%s'\n", name, ident);
            cs->skipped++;
            continue;
        }
        e = parse_params_json(a, jp, rp_store_stmt_column_text(s, 3, NULL), &c, eb);
        if (e == RP_OK) e = parse_scope(a, jp, rp_store_stmt_column_text(s, 4, NULL), &c, eb);
        if (e != RP_OK) break;
        if (old)
            *old = c;
        else
            e = cfg_push(cs, &c);
    }
    rp_json_parser_free(jp);
    if (e != RP_OK) return e;
    /* drop disabled ones */
    size_t k = 0;
    for (size_t i = 0; i < cs->n; i++)
        if (!cs->v[i].disabled) cs->v[k++] = cs->v[i];
    cs->n = k;
    return RP_OK;
}

/* Custom Guard rules and pack CUSTOM_POLICY rules into the rule set. */
rp_err rp_posture_ruleset_add_stored(struct rp_store *st, struct rp_posture_ruleset *set, FILE *err,
                                     struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT name, policy_text, scope, parameters FROM "
                                     "posture_rule_configs WHERE owner = 'CUSTOM_POLICY' "
                                     "ORDER BY name",
                                     &s, eb);
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        const char *name = rp_store_stmt_column_text(s, 0, NULL);
        size_t glen = 0;
        const char *guard = rp_store_stmt_column_text(s, 1, &glen);
        const char *scope = rp_store_stmt_column_text(s, 2, NULL);
        const char *params = rp_store_stmt_column_text(s, 3, NULL);
        const char *types[64], *pnames[64];
        size_t nt = 0, np = 0;
        struct rp_json_val root, v, el;
        struct rp_errbuf peb = {0};
        if (scope && rp_json_parse(jp, scope, strlen(scope), &root, &peb) == RP_OK &&
            rp_json_obj_get(root, "ComplianceResourceTypes", &v) == RP_OK) {
            struct rp_json_iter it;
            struct rp_str t;
            if (rp_json_arr_iter(v, &it) == RP_OK)
                while (rp_json_arr_next(&it, &el) && nt < 64)
                    if (rp_json_get_str(el, &t) == RP_OK) types[nt++] = t.p;
        }
        /* the strings above live in jp until the next parse: copy the types first */
        char tbuf[64][128];
        for (size_t i = 0; i < nt; i++) {
            rp_strlcpy(tbuf[i], types[i], sizeof(tbuf[i]));
            types[i] = tbuf[i];
        }
        char pbuf[64][128];
        if (params && rp_json_parse(jp, params, strlen(params), &root, &peb) == RP_OK) {
            struct rp_json_iter it;
            struct rp_str k;
            if (rp_json_obj_iter(root, &it) == RP_OK)
                while (rp_json_obj_next(&it, &k, &v) && np < 64) {
                    rp_strlcpy(pbuf[np], k.p, sizeof(pbuf[np]));
                    pnames[np] = pbuf[np];
                    np++;
                }
        }
        if (!guard) continue;
        rp_err ge =
            rp_posture_ruleset_add_guard(set, name, guard, glen, types, nt, pnames, np, &peb);
        if (ge == RP_ENOMEM)
            e = rp_fail(eb, ge, "posture: out of memory");
        else if (ge != RP_OK && err)
            fprintf(err, "rules: custom rule '%s': %s\n", name, peb.msg);
    }
    rp_json_parser_free(jp);
    return e;
}

/* ---- documents -------------------------------------------------------------------------- */

static rp_err pv_text(struct rp_arena *a, struct rp_pv *m, const char *key, const char *s)
{
    if (!s) return RP_OK;
    struct rp_pv *v = rp_pv_cstr(a, s);
    return v ? rp_pv_set(a, m, key, v) : RP_ENOMEM;
}

static rp_err pv_json(struct rp_arena *a, struct rp_json_parser *jp, struct rp_pv *m,
                      const char *key, const char *s, size_t n)
{
    if (!s) return RP_OK;
    struct rp_pv *v = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_pv_parse(a, jp, s, n, &v, &eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK) v = rp_pv_str(a, s, n); /* keep what is there */
    return v ? rp_pv_set(a, m, key, v) : RP_ENOMEM;
}

#define DOC_COLS                                                                                   \
    "configurationItemVersion, configurationItemCaptureTime, configurationStateId, awsAccountId, " \
    "configurationItemStatus, resourceType, resourceId, resourceName, ARN, awsRegion, "            \
    "availabilityZone, resourceCreationTime, tags, relationships, configuration, "                 \
    "supplementaryConfiguration, rp_time_ms, rp_account, rp_region"

/* One config_resources row into a document. */
static rp_err doc_from_row(struct rp_arena *a, struct rp_json_parser *jp, struct rp_store_stmt *s,
                           struct rp_pv **out, struct rp_errbuf *eb)
{
    static const char *const text_cols[] = {"configurationItemVersion",
                                            "configurationItemCaptureTime",
                                            NULL,
                                            "awsAccountId",
                                            "configurationItemStatus",
                                            "resourceType",
                                            "resourceId",
                                            "resourceName",
                                            "ARN",
                                            "awsRegion",
                                            "availabilityZone",
                                            "resourceCreationTime"};
    struct rp_pv *m = rp_pv_map(a);
    if (!m) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    rp_err e = RP_OK;
    for (int i = 0; i < 12 && e == RP_OK; i++) {
        if (!text_cols[i]) {
            struct rp_pv *v = rp_store_stmt_column_type(s, i) == RP_STORE_NULL
                                  ? NULL
                                  : rp_pv_int(a, rp_store_stmt_column_int64(s, i));
            if (v) e = rp_pv_set(a, m, "configurationStateId", v);
            continue;
        }
        e = pv_text(a, m, text_cols[i], rp_store_stmt_column_text(s, i, NULL));
    }
    static const char *const json_cols[] = {"tags", "relationships", "configuration",
                                            "supplementaryConfiguration"};
    for (int i = 0; i < 4 && e == RP_OK; i++) {
        size_t n = 0;
        const char *t = rp_store_stmt_column_text(s, 12 + i, &n);
        e = pv_json(a, jp, m, json_cols[i], t, n);
    }
    if (e == RP_OK && !rp_pv_get(m, "awsAccountId"))
        e = pv_text(a, m, "awsAccountId", rp_store_stmt_column_text(s, 17, NULL));
    if (e == RP_OK && !rp_pv_get(m, "awsRegion"))
        e = pv_text(a, m, "awsRegion", rp_store_stmt_column_text(s, 18, NULL));
    if (e != RP_OK) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    e = rp_posture_doc_normalize(a, jp, m, eb);
    if (e != RP_OK) return e;
    *out = m;
    return RP_OK;
}

rp_err rp_posture_docs_load(struct rp_store *st, struct rp_posture_docs *d, int64_t at_ms,
                            struct rp_errbuf *eb)
{
    rp_arena_init(&d->arena, 1u << 20);
    d->jp = rp_json_parser_new();
    if (!d->jp) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT " DOC_COLS " FROM config_resources WHERE "
                                     "ifnull(configurationItemStatus, '') NOT IN "
                                     "('ResourceDeleted', 'ResourceDeletedNotRecorded', "
                                     "'ResourceNotRecorded') ORDER BY rp_account, rp_region, "
                                     "resourceType, resourceId",
                                     &s, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        struct rp_pv *doc = NULL;
        e = doc_from_row(&d->arena, d->jp, s, &doc, eb);
        if (e != RP_OK) break;
        if (rp_posture_docs_push(d, doc, rp_store_stmt_column_int64(s, 16)) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    }
    if (e != RP_OK) return e;
    return rp_posture_estate_attach(st, d, at_ms, eb);
}

rp_err rp_posture_docs_push(struct rp_posture_docs *d, struct rp_pv *doc, int64_t time_ms)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        struct rp_posture_docref *p = realloc(d->v, cap * sizeof(*p));
        if (!p) return RP_ENOMEM;
        d->v = p;
        d->cap = cap;
    }
    d->v[d->n++] = (struct rp_posture_docref){doc, time_ms};
    return RP_OK;
}

void rp_posture_docs_release(struct rp_posture_docs *d)
{
    free(d->v);
    rp_json_parser_free(d->jp);
    rp_arena_release(&d->arena);
    memset(d, 0, sizeof(*d));
}

/* ---- the run ------------------------------------------------------------------------------ */

static rp_err newest_time(struct rp_store *st, int64_t *out, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT max(t) FROM (SELECT max(rp_time_ms) AS t FROM config_resources UNION ALL "
        "SELECT max(rp_time_ms) FROM estate_documents UNION ALL SELECT max(rp_time_ms) FROM "
        "iam_credential_report)",
        &s, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    *out = e == RP_OK && row ? rp_store_stmt_column_int64(s, 0) : 0;
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* ---- stored results ------------------------------------------------------------------------- */

/* The results stored before this run, by (configuration id, resource id), to write only what
 * changed; also the running result of each key while superseded items are replayed. */
struct prev_ent {
    uint64_t key;  /* config id << 40 | resource id */
    uint64_t ann;  /* stored annotation's hash */
    uint64_t rann; /* running: the last result written to the timeline */
    uint32_t next;
    uint8_t compliance; /* stored; 0xff when nothing is stored (seen first in a replay) */
    uint8_t rcompliance;
    uint8_t seen;
};
struct prev {
    uint32_t *heads;
    uint32_t nb;
    struct prev_ent *e;
    size_t n, cap;
};

static uint64_t mkkey(int64_t cfg, int64_t res)
{
    return ((uint64_t)cfg << 40) ^ (uint64_t)res;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static struct prev_ent *prev_find(struct prev *p, uint64_t key)
{
    if (!p->nb) return NULL;
    for (uint32_t i = p->heads[mix64(key) & (p->nb - 1)]; i; i = p->e[i - 1].next)
        if (p->e[i - 1].key == key) return &p->e[i - 1];
    return NULL;
}

static rp_err prev_add(struct prev *p, uint64_t key, uint8_t c, uint64_t ann)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        struct prev_ent *e = realloc(p->e, cap * sizeof(*e));
        if (!e) return RP_ENOMEM;
        p->e = e;
        p->cap = cap;
    }
    if (p->n + 1 > (size_t)p->nb) {
        uint32_t nb = p->nb ? p->nb * 2 : 8192;
        uint32_t *heads = calloc(nb, sizeof(*heads));
        if (!heads) return RP_ENOMEM;
        for (size_t i = 0; i < p->n; i++) {
            uint32_t b = (uint32_t)(mix64(p->e[i].key) & (nb - 1));
            p->e[i].next = heads[b];
            heads[b] = (uint32_t)(i + 1);
        }
        free(p->heads);
        p->heads = heads;
        p->nb = nb;
    }
    struct prev_ent *e = &p->e[p->n];
    *e = (struct prev_ent){key, ann, ann, 0, c, c, 0};
    uint32_t b = (uint32_t)(mix64(key) & (p->nb - 1));
    e->next = p->heads[b];
    p->heads[b] = (uint32_t)++p->n;
    return RP_OK;
}

static rp_err prev_load(struct rp_store *st, struct prev *p, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT config_id, resource_id, compliance, annotation FROM "
                                     "posture_results",
                                     &s, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        size_t al = 0;
        const char *ann = rp_store_stmt_column_text(s, 3, &al);
        int64_t c = rp_store_stmt_column_int64(s, 2);
        if (prev_add(p, mkkey(rp_store_stmt_column_int64(s, 0), rp_store_stmt_column_int64(s, 1)),
                     (uint8_t)(c >= 0 && c < 4 ? c : 2),
                     rp_hash_xxh3_64(ann ? ann : "", al, 1)) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    }
    return e;
}

/* ---- resource and configuration ids ---------------------------------------------------------- */

/* posture_resources loaded once, new resources added as they are met. */
struct rid_ent {
    uint64_t h;
    const char *type, *id, *acct, *region;
    int64_t rid;
    uint32_t next;
};
struct rids {
    uint32_t *heads;
    uint32_t nb;
    struct rid_ent *e;
    size_t n, cap;
    int64_t next_temp; /* dry runs: ids that are never written */
    struct rp_arena arena;
};

static uint64_t rid_hash(const char *type, const char *id, const char *acct, const char *region)
{
    uint64_t h = rp_hash_xxh3_64(type, strlen(type), 21);
    h = rp_hash_combine(h, rp_hash_xxh3_64(id, strlen(id), 22));
    h = rp_hash_combine(h, rp_hash_xxh3_64(acct, strlen(acct), 23));
    return rp_hash_combine(h, rp_hash_xxh3_64(region, strlen(region), 24));
}

static rp_err rids_add(struct rids *m, uint64_t h, const char *type, const char *id,
                       const char *acct, const char *region, int64_t rid)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        struct rid_ent *e = realloc(m->e, cap * sizeof(*e));
        if (!e) return RP_ENOMEM;
        m->e = e;
        m->cap = cap;
    }
    if (m->n + 1 > (size_t)m->nb) {
        uint32_t nb = m->nb ? m->nb * 2 : 8192;
        uint32_t *heads = calloc(nb, sizeof(*heads));
        if (!heads) return RP_ENOMEM;
        for (size_t i = 0; i < m->n; i++) {
            uint32_t b = (uint32_t)(m->e[i].h & (nb - 1));
            m->e[i].next = heads[b];
            heads[b] = (uint32_t)(i + 1);
        }
        free(m->heads);
        m->heads = heads;
        m->nb = nb;
    }
    struct rid_ent *e = &m->e[m->n];
    e->h = h;
    e->type = rp_arena_strdup(&m->arena, type);
    e->id = rp_arena_strdup(&m->arena, id);
    e->acct = rp_arena_strdup(&m->arena, acct);
    e->region = rp_arena_strdup(&m->arena, region);
    if (!e->type || !e->id || !e->acct || !e->region) return RP_ENOMEM;
    e->rid = rid;
    uint32_t b = (uint32_t)(h & (m->nb - 1));
    e->next = m->heads[b];
    m->heads[b] = (uint32_t)++m->n;
    return RP_OK;
}

static rp_err rids_load(struct rp_store *st, struct rids *m, struct rp_errbuf *eb)
{
    rp_arena_init(&m->arena, 1u << 20);
    m->next_temp = -1;
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT id, resourceType, resourceId, rp_account, rp_region "
                                     "FROM posture_resources",
                                     &s, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        const char *f[4];
        for (int i = 0; i < 4; i++) {
            f[i] = rp_store_stmt_column_text(s, i + 1, NULL);
            if (!f[i]) f[i] = "";
        }
        if (rids_add(m, rid_hash(f[0], f[1], f[2], f[3]), f[0], f[1], f[2], f[3],
                     rp_store_stmt_column_int64(s, 0)) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    }
    return e;
}

static void rids_release(struct rids *m)
{
    free(m->heads);
    free(m->e);
    rp_arena_release(&m->arena);
}

static const char *sget(const struct rp_pv *doc, const char *k)
{
    const struct rp_pv *v = rp_pv_get(doc, k);
    return v && v->kind == RP_PV_STRING ? v->u.s : "";
}

/* The id of doc's resource, added to posture_resources when new (a temporary id in a dry run). */
static rp_err rid_of(struct rp_store *st, struct rids *m, bool dry, const struct rp_pv *doc,
                     int64_t *out, struct rp_errbuf *eb)
{
    const char *type = sget(doc, "resourceType"), *id = sget(doc, "resourceId");
    const char *acct = sget(doc, "awsAccountId"), *region = sget(doc, "awsRegion");
    uint64_t h = rid_hash(type, id, acct, region);
    if (m->nb)
        for (uint32_t i = m->heads[h & (m->nb - 1)]; i; i = m->e[i - 1].next) {
            const struct rid_ent *e = &m->e[i - 1];
            if (e->h == h && strcmp(e->id, id) == 0 && strcmp(e->type, type) == 0 &&
                strcmp(e->acct, acct) == 0 && strcmp(e->region, region) == 0) {
                *out = e->rid;
                return RP_OK;
            }
        }
    int64_t rid = m->next_temp;
    if (dry) {
        m->next_temp--;
    } else {
        struct rp_store_stmt *s = NULL;
        rp_err e = rp_store_stmt_prepare(st,
                                         "INSERT INTO posture_resources (resourceType, resourceId, "
                                         "rp_account, rp_region, resourceName, ARN) VALUES (?1, "
                                         "?2, ?3, ?4, ?5, ?6)",
                                         &s, eb);
        const struct rp_pv *nm = rp_pv_get(doc, "resourceName"), *arn = rp_pv_get(doc, "ARN");
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, type, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 2, id, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 3, acct, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 4, region, eb);
        if (e == RP_OK)
            e = nm && nm->kind == RP_PV_STRING ? rp_store_stmt_bind_cstr(s, 5, nm->u.s, eb)
                                               : rp_store_stmt_bind_null(s, 5, eb);
        if (e == RP_OK)
            e = arn && arn->kind == RP_PV_STRING ? rp_store_stmt_bind_cstr(s, 6, arn->u.s, eb)
                                                 : rp_store_stmt_bind_null(s, 6, eb);
        bool row = false;
        if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
        if (s) rp_store_stmt_reset(s);
        if (e != RP_OK) return e;
        rid = rp_store_last_insert_id(st);
        e = rp_store_batch_add(st, 1, eb);
        if (e != RP_OK) return e;
    }
    if (rids_add(m, h, type, id, acct, region, rid) != RP_OK)
        return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    *out = rid;
    return RP_OK;
}

/* Every active configuration's id in posture_config_names, added when new. */
static rp_err cfg_ids(struct rp_store *st, struct rp_posture_cfgs *cs, bool dry,
                      struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    int64_t temp = -1;
    for (size_t i = 0; i < cs->n && e == RP_OK; i++) {
        struct rp_posture_cfg *c = &cs->v[i];
        struct rp_store_stmt *s = NULL;
        e = rp_store_stmt_prepare(st, "SELECT id FROM posture_config_names WHERE name = ?1", &s,
                                  eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, c->name, eb);
        bool row = false;
        if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
        c->id = row ? rp_store_stmt_column_int64(s, 0) : 0;
        if (s) rp_store_stmt_reset(s);
        if (e != RP_OK || row) continue;
        if (dry) {
            c->id = temp--;
            continue;
        }
        s = NULL;
        e = rp_store_stmt_prepare(st,
                                  "INSERT INTO posture_config_names (name, identifier) VALUES (?1, "
                                  "?2)",
                                  &s, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, c->name, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 2, c->rule->identifier, eb);
        if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
        if (s) rp_store_stmt_reset(s);
        c->id = rp_store_last_insert_id(st);
    }
    return e;
}

/* The configurations whose resource types (their scope's, else their rule's) include a type:
 * a small hash table from type to configuration indexes, so a document meets only the
 * configurations that can apply to it. */
struct by_type {
    struct bt_ent {
        const char *type;
        size_t *idx;
        size_t n, cap;
    } e[512];
    size_t n;
};

static struct bt_ent *bt_slot(struct by_type *bt, const char *type, bool add)
{
    uint64_t h = rp_hash_xxh3_64(type, strlen(type), 3);
    for (size_t i = 0; i < 512; i++) {
        struct bt_ent *e = &bt->e[(h + i) & 511];
        if (!e->type) {
            if (!add || bt->n >= 400) return NULL;
            e->type = type;
            bt->n++;
            return e;
        }
        if (strcmp(e->type, type) == 0) return e;
    }
    return NULL;
}

static rp_err bt_build(struct by_type *bt, const struct rp_posture_cfgs *cs)
{
    memset(bt, 0, sizeof(*bt));
    for (size_t j = 0; j < cs->n; j++) {
        const struct rp_posture_cfg *c = &cs->v[j];
        const char *const *t = c->nscope_types ? c->scope_types : c->rule->resource_types;
        size_t nt = c->nscope_types ? c->nscope_types : c->rule->ntypes;
        for (size_t k = 0; k < nt; k++) {
            struct bt_ent *e = bt_slot(bt, t[k], true);
            if (!e) return RP_ELIMIT;
            if (e->n && e->idx[e->n - 1] == j) continue;
            if (e->n == e->cap) {
                size_t cap = e->cap ? e->cap * 2 : 8;
                size_t *p = realloc(e->idx, cap * sizeof(*p));
                if (!p) return RP_ENOMEM;
                e->idx = p;
                e->cap = cap;
            }
            e->idx[e->n++] = j;
        }
    }
    return RP_OK;
}

static void bt_release(struct by_type *bt)
{
    for (size_t i = 0; i < 512; i++) free(bt->e[i].idx);
}

static bool in_scope(const struct rp_posture_cfg *c, const struct rp_pv *doc)
{
    if (c->resource_id && strcmp(c->resource_id, sget(doc, "resourceId")) != 0) return false;
    if (c->tag_key) {
        const struct rp_pv *tags = rp_pv_get(doc, "tags");
        const struct rp_pv *tv = rp_pv_get(tags, c->tag_key);
        if (!tv) return false;
        if (c->tag_value && !rp_pv_is_str(tv, c->tag_value)) return false;
    }
    return true;
}

/* ---- the run --------------------------------------------------------------------------------- */

struct pair {
    int64_t cfg, res;
};

struct run {
    struct rp_store *st;
    const struct rp_posture_eval_opts *o;
    struct rp_posture_eval_stats *stats;
    const struct rp_posture_ruleset *set;
    struct prev prev;
    struct rids rids;
    struct pair *resolved; /* results that were NON_COMPLIANT and are not any more */
    size_t nresolved, capresolved;
    struct rp_buf fbuf; /* findings of removed results, written before their rows go */
    int64_t now_ms, at_ms;
    FILE *err;
};

static rp_err history_add(struct run *R, int64_t cfg, int64_t res, int c, const char *ann,
                          int64_t ordering_ms, struct rp_errbuf *eb)
{
    R->stats->changes++;
    if (R->o->dry_run) return RP_OK;
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(R->st,
                                     "INSERT INTO posture_result_history (config_id, resource_id, "
                                     "compliance, annotation, ordering_ms, recorded_ms) VALUES "
                                     "(?1, ?2, ?3, ?4, ?5, ?6)",
                                     &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, cfg, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, res, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 3, c, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 4, ann, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 5, ordering_ms, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 6, R->now_ms, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    if (e == RP_OK) e = rp_store_batch_add(R->st, 1, eb);
    return e;
}

/* A replayed (superseded) configuration item's result: into the timeline when it differs from
 * the running result of its key. */
static rp_err replay_result(struct run *R, const struct rp_posture_cfg *c, int64_t rid,
                            int64_t ordering_ms, const struct rp_posture_verdict *v,
                            struct rp_errbuf *eb)
{
    uint64_t key = mkkey(c->id, rid);
    uint64_t ah = rp_hash_xxh3_64(v->annotation, strlen(v->annotation), 1);
    struct prev_ent *p = prev_find(&R->prev, key);
    if (!p) {
        if (prev_add(&R->prev, key, 0xff, 0) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        p = prev_find(&R->prev, key);
    }
    R->stats->history_evaluations++;
    if (p->rcompliance == v->compliance && p->rann == ah) return RP_OK;
    p->rcompliance = (uint8_t)v->compliance;
    p->rann = ah;
    return history_add(R, c->id, rid, (int)v->compliance, v->annotation, ordering_ms, eb);
}

static rp_err write_result(struct run *R, const struct rp_posture_cfg *c, int64_t rid,
                           int64_t ordering_ms, const struct rp_posture_verdict *v,
                           struct rp_errbuf *eb)
{
    uint64_t key = mkkey(c->id, rid);
    uint64_t ah = rp_hash_xxh3_64(v->annotation, strlen(v->annotation), 1);
    struct prev_ent *p = prev_find(&R->prev, key);
    R->stats->evaluations++;
    R->stats->by_compliance[v->compliance]++;
    rp_err e = RP_OK;
    bool stored = p && p->compliance != 0xff;
    if (p) p->seen = 1;
    /* the timeline: a key's first result lives in its row (first_*); a later change, or a
     * change after a replayed history, is a history row */
    if (p && (p->rcompliance != v->compliance || p->rann != ah))
        e = history_add(R, c->id, rid, (int)v->compliance, v->annotation, ordering_ms, eb);
    else if (!p)
        R->stats->changes++;
    if (e != RP_OK) return e;
    if (stored && p->compliance == v->compliance && p->ann == ah) return RP_OK;
    if (stored && p->compliance == RP_PC_NON_COMPLIANT && v->compliance != RP_PC_NON_COMPLIANT &&
        !R->o->no_hub) {
        if (R->nresolved == R->capresolved) {
            size_t cap = R->capresolved ? R->capresolved * 2 : 64;
            struct pair *np = realloc(R->resolved, cap * sizeof(*np));
            if (!np) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            R->resolved = np;
            R->capresolved = cap;
        }
        R->resolved[R->nresolved++] = (struct pair){c->id, rid};
    }
    if (R->o->dry_run) return RP_OK;
    struct rp_store_stmt *s = NULL;
    if (stored) {
        e = rp_store_stmt_prepare(R->st,
                                  "UPDATE posture_results SET compliance = ?3, annotation = ?4, "
                                  "ordering_ms = ?5, recorded_ms = ?6 WHERE resource_id = ?2 AND "
                                  "config_id = ?1",
                                  &s, eb);
    } else {
        /* first_* only when no replayed history came before */
        e = rp_store_stmt_prepare(R->st,
                                  p ? "INSERT INTO posture_results (config_id, resource_id, "
                                      "compliance, annotation, ordering_ms, recorded_ms) VALUES "
                                      "(?1, ?2, ?3, ?4, ?5, ?6)"
                                    : "INSERT INTO posture_results (config_id, resource_id, "
                                      "compliance, annotation, ordering_ms, recorded_ms, "
                                      "first_compliance, first_annotation, first_ordering_ms, "
                                      "first_recorded_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3, ?4, "
                                      "?5, ?6)",
                                  &s, eb);
    }
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, c->id, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, rid, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 3, (int64_t)v->compliance, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 4, v->annotation, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 5, ordering_ms, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 6, R->now_ms, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    if (e == RP_OK) e = rp_store_batch_add(R->st, 1, eb);
    return e;
}

/* The finding of the result row (config, resource) as the view gives it, appended to b. */
static rp_err finding_of(struct run *R, int64_t cfg, int64_t res, enum rp_posture_compliance force,
                         bool forced, struct rp_buf *b, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(R->st,
                                     "SELECT config_rule, identifier, resourceType, resourceId, "
                                     "ARN, rp_account, rp_region, compliance, annotation, "
                                     "ordering_ms FROM posture_evaluations WHERE config_id = ?1 "
                                     "AND resource_id = ?2",
                                     &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, cfg, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, res, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (e == RP_OK && row) {
        const char *f[9];
        for (int i = 0; i < 9; i++) f[i] = rp_store_stmt_column_text(s, i, NULL);
        enum rp_posture_compliance c = RP_PC_NOT_APPLICABLE;
        if (forced)
            c = force;
        else
            (void)rp_posture_compliance_parse(f[7], &c);
        const struct rp_posture_rule *rule = rp_posture_ruleset_find(R->set, f[1] ? f[1] : "");
        struct rp_posture_result r = {f[0] ? f[0] : "",
                                      f[1] ? f[1] : "",
                                      rule ? rule->description : NULL,
                                      f[2] ? f[2] : "",
                                      f[3] ? f[3] : "",
                                      f[4],
                                      f[5] ? f[5] : "",
                                      f[6] ? f[6] : "",
                                      c,
                                      forced ? "the resource is deleted or out of the rule's scope"
                                             : (f[8] ? f[8] : ""),
                                      rp_store_stmt_column_int64(s, 9),
                                      R->now_ms};
        e = rp_posture_finding_write(b, &r, eb);
        if (e == RP_OK)
            e = rp_buf_putc(b, '\n') == RP_OK ? RP_OK
                                              : rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        if (e == RP_OK) R->stats->findings++;
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* Rows not evaluated this run. A configuration that is no longer active loses its rows and
 * timeline; a resource that was deleted or left the rule's scope keeps its row, NOT_APPLICABLE
 * (as AWS Config keeps the evaluation of a deleted resource), with an entry in its timeline, and
 * a finding that was FAILED is archived. */
static rp_err stale(struct run *R, const struct rp_posture_cfgs *cs, struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    const char *ann = "the resource is deleted or out of the rule's scope";
    uint64_t ah = rp_hash_xxh3_64(ann, strlen(ann), 1);
    for (size_t i = 0; i < R->prev.n && e == RP_OK; i++) {
        const struct prev_ent *p = &R->prev.e[i];
        if (p->seen || p->compliance == 0xff) continue;
        int64_t cfg = (int64_t)(p->key >> 40), res = (int64_t)(p->key & ((1ULL << 40) - 1));
        bool active = false;
        for (size_t k = 0; k < cs->n && !active; k++) active = cs->v[k].id == cfg;
        if (p->compliance == RP_PC_NON_COMPLIANT && !R->o->no_hub)
            e = finding_of(R, cfg, res, RP_PC_NOT_APPLICABLE, true, &R->fbuf, eb);
        struct rp_store_stmt *s = NULL;
        bool row = false;
        if (!active) {
            static const char *const del[] = {
                "DELETE FROM posture_results WHERE config_id = ?1 AND resource_id = ?2",
                "DELETE FROM posture_result_history WHERE config_id = ?1 AND resource_id = ?2"};
            for (int k = 0; k < 2 && e == RP_OK; k++) {
                s = NULL;
                e = rp_store_stmt_prepare(R->st, del[k], &s, eb);
                if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, cfg, eb);
                if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, res, eb);
                if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
                if (s) rp_store_stmt_reset(s);
            }
        } else if (p->compliance != RP_PC_NOT_APPLICABLE || p->ann != ah) {
            if (e == RP_OK) e = history_add(R, cfg, res, RP_PC_NOT_APPLICABLE, ann, R->at_ms, eb);
            if (e == RP_OK)
                e = rp_store_stmt_prepare(R->st,
                                          "UPDATE posture_results SET compliance = 2, annotation "
                                          "= ?3, ordering_ms = ?4, recorded_ms = ?5 WHERE "
                                          "resource_id = ?2 AND config_id = ?1",
                                          &s, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, cfg, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, res, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 3, ann, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 4, R->at_ms, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 5, R->now_ms, eb);
            if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
            if (s) rp_store_stmt_reset(s);
        }
        if (e == RP_OK) e = rp_store_batch_add(R->st, 1, eb);
    }
    return e;
}

/* Findings into the hub in chunks: the buffer is imported whenever it holds many. */
struct sender {
    struct run *R;
    struct rp_hub_importer *im;
    struct rp_buf b;
    size_t pending;
    const char *source;
};

static rp_err sender_flush(struct sender *S, struct rp_errbuf *eb)
{
    if (!S->b.len) return RP_OK;
    rp_err e = rp_hub_import_buf(S->im, S->b.data, S->b.len, S->source, eb);
    rp_buf_reset(&S->b);
    S->pending = 0;
    return e;
}

static rp_err on_control_finding(void *ctx, const char *json, size_t len, struct rp_errbuf *eb)
{
    struct sender *S = ctx;
    rp_err e = rp_buf_append(&S->b, json, len);
    if (e == RP_OK) e = rp_buf_putc(&S->b, '\n');
    if (e != RP_OK) return rp_fail(eb, e, "standards: out of memory");
    if (++S->pending >= RP_HUB_BATCH) return sender_flush(S, eb);
    return RP_OK;
}

/* After the commit: the rule findings of this run's NON_COMPLIANT rows and of the results that
 * stopped being NON_COMPLIANT, then the Security Hub control findings of this run's changes. */
static rp_err hub_send(struct run *R, struct rp_errbuf *eb)
{
    struct rp_hub_import_opts ho;
    rp_hub_import_opts_init(&ho);
    ho.format = "asff";
    ho.now_ms = R->now_ms;
    struct sender S = {R, NULL, {0}, 0, "rules"};
    rp_buf_init(&S.b, (size_t)1 << 30);
    rp_err e = rp_hub_importer_new(R->st, &ho, &S.im, eb);
    if (e != RP_OK) {
        rp_buf_release(&S.b);
        return e;
    }
    if (R->fbuf.len) e = rp_hub_import_buf(S.im, R->fbuf.data, R->fbuf.len, "rules", eb);
    /* this run's failures, collected first: the importer writes while we read */
    struct pair *fail = NULL;
    size_t nfail = 0, cap = 0;
    struct rp_store_stmt *s = NULL;
    if (e == RP_OK)
        e = rp_store_stmt_prepare(R->st,
                                  "SELECT config_id, resource_id FROM posture_results WHERE "
                                  "recorded_ms = ?1 AND compliance = 1",
                                  &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, R->now_ms, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        if (nfail == cap) {
            cap = cap ? cap * 2 : 1024;
            struct pair *np = realloc(fail, cap * sizeof(*np));
            if (!np) {
                e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
                break;
            }
            fail = np;
        }
        fail[nfail++] =
            (struct pair){rp_store_stmt_column_int64(s, 0), rp_store_stmt_column_int64(s, 1)};
    }
    if (s) rp_store_stmt_reset(s);
    for (size_t i = 0; i < nfail && e == RP_OK; i++) {
        e = finding_of(R, fail[i].cfg, fail[i].res, 0, false, &S.b, eb);
        if (e == RP_OK && ++S.pending >= RP_HUB_BATCH) e = sender_flush(&S, eb);
    }
    for (size_t i = 0; i < R->nresolved && e == RP_OK; i++) {
        e = finding_of(R, R->resolved[i].cfg, R->resolved[i].res, 0, false, &S.b, eb);
        if (e == RP_OK && ++S.pending >= RP_HUB_BATCH) e = sender_flush(&S, eb);
    }
    free(fail);
    if (e == RP_OK) e = sender_flush(&S, eb);
    /* Security Hub's control findings of what changed in this run */
    S.source = "standards";
    size_t nctl = 0;
    if (e == RP_OK)
        e = rp_posture_std_hub_findings(R->st, R->now_ms, on_control_finding, &S, &nctl, eb);
    if (e == RP_OK) e = sender_flush(&S, eb);
    R->stats->control_findings = nctl;
    rp_buf_release(&S.b);
    if (e != RP_OK) {
        rp_hub_importer_free(S.im);
        return e;
    }
    return rp_hub_importer_finish(S.im, eb);
}

static rp_err state_get(struct rp_store *st, const char *key, int64_t *out, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st, "SELECT value FROM posture_state WHERE key = ?1", &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, key, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    *out = e == RP_OK && row ? rp_store_stmt_column_int64(s, 0) : INT64_MIN;
    if (s) rp_store_stmt_reset(s);
    return e;
}

static rp_err state_put(struct rp_store *st, const char *key, int64_t v, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st, "INSERT OR REPLACE INTO posture_state (key, value) VALUES (?1, ?2)", &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, key, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, v, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* The configuration items captured since the last run that are no longer current (a later item
 * of the same resource replaced them), in capture order: their results go to the timeline, so
 * a change that came and went between two runs is still in the history. Lookups answer from
 * the current inventory. */
/* The configuration items captured since the last run that are no longer current (a later item
 * of the same resource replaced them), in capture order: their results go to the timeline, so
 * a change that came and went between two runs is still in the history. Lookups answer from
 * the current inventory. */
static rp_err replay(struct run *R, struct rp_posture_cfgs *cs, struct by_type *bt,
                     const struct rp_posture_index *ix, struct rp_arena *scratch, int64_t *newest,
                     struct rp_errbuf *eb)
{
    int64_t wm = INT64_MIN;
    rp_err e = state_get(R->st, "history_ms", &wm, eb);
    if (e != RP_OK) return e;
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct rp_arena a;
    rp_arena_init(&a, 256 * 1024);
    struct rp_store_stmt *s = NULL;
    e = rp_store_stmt_prepare(
        R->st,
        "SELECT " DOC_COLS " FROM config_items AS i WHERE rp_time_ms > ?1 AND NOT EXISTS (SELECT "
        "1 FROM config_resources AS r WHERE r.resourceId = i.resourceId AND r.resourceType = "
        "i.resourceType AND r.rp_account = i.rp_account AND r.rp_region = i.rp_region AND "
        "r.rp_time_ms = i.rp_time_ms AND ifnull(r.configurationStateId, -1) = "
        "ifnull(i.configurationStateId, -1)) ORDER BY rp_time_ms, resourceType, resourceId",
        &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 1, wm, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        rp_arena_reset(&a);
        struct rp_pv *doc = NULL;
        e = doc_from_row(&a, jp, s, &doc, eb);
        if (e != RP_OK) break;
        int64_t t = rp_store_stmt_column_int64(s, 16);
        /* the credential report as it was then */
        if ((e = rp_posture_estate_user(R->st, &a, jp, doc, t, eb)) != RP_OK) break;
        R->stats->history_items++;
        const struct bt_ent *be = bt_slot(bt, sget(doc, "resourceType"), false);
        int64_t rid = 0;
        bool have_rid = false;
        for (size_t k = 0; be && k < be->n && e == RP_OK; k++) {
            const struct rp_posture_cfg *c = &cs->v[be->idx[k]];
            if (c->disabled || !in_scope(c, doc)) continue;
            struct rp_posture_verdict v;
            struct rp_errbuf reb = {0};
            rp_err re =
                rp_posture_rule_eval(c->rule, doc, c->params, c->nparams, ix, t, scratch, &v, &reb);
            rp_arena_reset(scratch);
            if (re == RP_EINVAL) continue; /* reported by the current pass */
            if (re != RP_OK) {
                e = rp_fail(eb, re, "rules: %s: %s", c->name, reb.msg);
                break;
            }
            if (!have_rid && (e = rid_of(R->st, &R->rids, R->o->dry_run, doc, &rid, eb)) != RP_OK)
                break;
            have_rid = true;
            e = replay_result(R, c, rid, t, &v, eb);
        }
    }
    if (s) rp_store_stmt_reset(s);
    rp_arena_release(&a);
    rp_json_parser_free(jp);
    if (e != RP_OK) return e;
    s = NULL;
    e = rp_store_stmt_prepare(R->st, "SELECT max(rp_time_ms) FROM config_items", &s, eb);
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    *newest = e == RP_OK && row && rp_store_stmt_column_type(s, 0) != RP_STORE_NULL
                  ? rp_store_stmt_column_int64(s, 0)
                  : wm;
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* ---- parallel evaluation ----------------------------------------------------------------------
 */

/* The current pass runs on worker threads, chunk by chunk, while this thread writes the results
 * of finished chunks in document order: SQLite takes one writer, the rules are immutable, the
 * lookup index guards its caches, and each worker has its own scratch arena. */
#define CHUNK_DOCS 256

struct eval_out {
    uint32_t cfg; /* index in cs */
    uint8_t compliance;
    uint8_t bad; /* RP_EINVAL: a parameter that does not fit (annotation holds the message) */
    const char *annotation;
};

struct chunk {
    size_t first, n; /* documents */
    size_t *start;   /* per document: its first result in v (n + 1 entries) */
    struct eval_out *v;
    size_t nv, cap;
    struct rp_arena arena;
    rp_err err;
    char msg[640];
    atomic_int done;
};

struct pool {
    const struct rp_posture_docs *docs;
    const struct rp_posture_cfgs *cs;
    const struct by_type *bt;
    const struct rp_posture_index *ix;
    int64_t at_ms;
    struct chunk *chunks;
    size_t nchunks;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static rp_err chunk_push(struct chunk *c, const struct eval_out *o)
{
    if (c->nv == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        struct eval_out *p = realloc(c->v, cap * sizeof(*p));
        if (!p) return RP_ENOMEM;
        c->v = p;
        c->cap = cap;
    }
    c->v[c->nv++] = *o;
    return RP_OK;
}

static void chunk_eval(struct pool *P, struct chunk *c, struct rp_arena *scratch)
{
    rp_err e = RP_OK;
    c->start = calloc(c->n + 1, sizeof(*c->start));
    if (!c->start) e = RP_ENOMEM;
    for (size_t d = 0; d < c->n && e == RP_OK; d++) {
        c->start[d] = c->nv;
        const struct rp_pv *doc = P->docs->v[c->first + d].doc;
        const struct bt_ent *be =
            bt_slot((struct by_type *)P->bt, sget(doc, "resourceType"), false);
        for (size_t k = 0; be && k < be->n && e == RP_OK; k++) {
            const struct rp_posture_cfg *cf = &P->cs->v[be->idx[k]];
            if (!in_scope(cf, doc)) continue;
            struct rp_posture_verdict v;
            struct rp_errbuf reb = {0};
            rp_err re = rp_posture_rule_eval(cf->rule, doc, cf->params, cf->nparams, P->ix,
                                             P->at_ms, scratch, &v, &reb);
            rp_arena_reset(scratch);
            struct eval_out o = {(uint32_t)be->idx[k], (uint8_t)v.compliance, 0, ""};
            if (re == RP_EINVAL) {
                o.bad = 1;
                o.annotation = rp_arena_strdup(&c->arena, reb.msg);
            } else if (re != RP_OK) {
                e = re;
                snprintf(c->msg, sizeof(c->msg), "rules: %s: %s", cf->name, reb.msg);
                break;
            } else if (v.annotation[0]) {
                o.annotation = rp_arena_strdup(&c->arena, v.annotation);
            }
            if (!o.annotation) e = RP_ENOMEM;
            if (e == RP_OK) e = chunk_push(c, &o);
        }
    }
    if (c->start) c->start[c->n] = c->nv;
    if (e == RP_ENOMEM && !c->msg[0]) snprintf(c->msg, sizeof(c->msg), "posture: out of memory");
    c->err = e;
    pthread_mutex_lock(&P->mu);
    atomic_store(&c->done, 1);
    pthread_cond_broadcast(&P->cv);
    pthread_mutex_unlock(&P->mu);
}

static void *worker(void *arg)
{
    struct pool *P = arg;
    struct rp_arena scratch;
    rp_arena_init(&scratch, 256 * 1024);
    for (;;) {
        size_t i = atomic_fetch_add(&P->next, 1);
        if (i >= P->nchunks || atomic_load(&P->stop)) break;
        chunk_eval(P, &P->chunks[i], &scratch);
    }
    rp_arena_release(&scratch);
    return NULL;
}

/* The current pass: every document against its configurations, results written in order. */
static rp_err current_pass(struct run *R, struct rp_posture_cfgs *cs, struct by_type *bt,
                           const struct rp_posture_docs *docs, const struct rp_posture_index *ix,
                           struct rp_errbuf *eb)
{
    struct pool P;
    memset(&P, 0, sizeof(P));
    P.docs = docs;
    P.cs = cs;
    P.bt = bt;
    P.ix = ix;
    P.at_ms = R->at_ms;
    P.nchunks = (docs->n + CHUNK_DOCS - 1) / CHUNK_DOCS;
    P.chunks = calloc(P.nchunks ? P.nchunks : 1, sizeof(*P.chunks));
    if (!P.chunks) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    for (size_t i = 0; i < P.nchunks; i++) {
        P.chunks[i].first = i * CHUNK_DOCS;
        P.chunks[i].n =
            docs->n - P.chunks[i].first < CHUNK_DOCS ? docs->n - P.chunks[i].first : CHUNK_DOCS;
        rp_arena_init(&P.chunks[i].arena, 16 * 1024);
    }
    pthread_mutex_init(&P.mu, NULL);
    pthread_cond_init(&P.cv, NULL);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nw = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus;
    if (nw > P.nchunks) nw = P.nchunks ? P.nchunks : 1;
    pthread_t th[8];
    size_t started = 0;
    for (size_t i = 0; i < nw; i++)
        if (pthread_create(&th[i], NULL, worker, &P) == 0) started++;
    rp_err e = RP_OK;
    if (!started) {
        /* no thread: evaluate here */
        struct rp_arena scratch;
        rp_arena_init(&scratch, 256 * 1024);
        for (size_t i = 0; i < P.nchunks; i++) chunk_eval(&P, &P.chunks[i], &scratch);
        rp_arena_release(&scratch);
    }
    for (size_t i = 0; i < P.nchunks && e == RP_OK; i++) {
        struct chunk *c = &P.chunks[i];
        pthread_mutex_lock(&P.mu);
        while (!atomic_load(&c->done)) pthread_cond_wait(&P.cv, &P.mu);
        pthread_mutex_unlock(&P.mu);
        if (c->err != RP_OK) {
            e = rp_fail(eb, c->err, "%s", c->msg);
            break;
        }
        for (size_t d = 0; d < c->n && e == RP_OK; d++) {
            const struct rp_posture_docref *dr = &docs->v[c->first + d];
            int64_t rid = 0;
            bool have_rid = false;
            for (size_t k = c->start[d]; k < c->start[d + 1] && e == RP_OK; k++) {
                const struct eval_out *o = &c->v[k];
                struct rp_posture_cfg *cf = &cs->v[o->cfg];
                if (cf->disabled) continue;
                if (o->bad) {
                    /* a bad parameter never fits: the configuration is left out of this run */
                    if (R->err) fprintf(R->err, "rules: %s: %s\n", cf->name, o->annotation);
                    R->stats->skipped++;
                    cf->disabled = true;
                    continue;
                }
                if (!have_rid &&
                    (e = rid_of(R->st, &R->rids, R->o->dry_run, dr->doc, &rid, eb)) != RP_OK)
                    break;
                have_rid = true;
                struct rp_posture_verdict v;
                v.compliance = (enum rp_posture_compliance)o->compliance;
                rp_strlcpy(v.annotation, o->annotation, sizeof(v.annotation));
                e = write_result(R, cf, rid, dr->time_ms, &v, eb);
            }
        }
        free(c->v);
        free(c->start);
        c->v = NULL;
        c->start = NULL;
        rp_arena_release(&c->arena);
    }
    atomic_store(&P.stop, 1);
    for (size_t i = 0; i < started; i++) pthread_join(th[i], NULL);
    for (size_t i = 0; i < P.nchunks; i++) {
        free(P.chunks[i].v);
        free(P.chunks[i].start);
        rp_arena_release(&P.chunks[i].arena);
    }
    pthread_cond_destroy(&P.cv);
    pthread_mutex_destroy(&P.mu);
    free(P.chunks);
    return e;
}

rp_err rp_posture_eval_run(struct rp_store *st, const struct rp_posture_eval_opts *o, FILE *err,
                           struct rp_posture_eval_stats *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof(*out));
    struct rp_posture_ruleset *set = NULL;
    rp_err e = rp_posture_ruleset_load_managed(&set, eb);
    if (e != RP_OK) return e;
    struct rp_posture_cfgs cs;
    struct rp_posture_docs docs;
    struct by_type bt;
    memset(&cs, 0, sizeof(cs));
    memset(&docs, 0, sizeof(docs));
    memset(&bt, 0, sizeof(bt));
    struct rp_posture_index *ix = NULL;
    struct run R;
    memset(&R, 0, sizeof(R));
    R.st = st;
    R.o = o;
    R.stats = out;
    R.err = err;
    R.set = set;
    R.now_ms = rp_time_now_ms();
    rp_buf_init(&R.fbuf, (size_t)1 << 30);
    rp_arena_init(&R.rids.arena, 4096);
    struct rp_arena scratch;
    rp_arena_init(&scratch, 256 * 1024);
    bool batch = false;
    int64_t newest = INT64_MIN;
    e = rp_posture_ruleset_add_stored(st, set, err, eb);
    if (e == RP_OK && !o->dry_run) e = rp_posture_standards_cfgs_add(st, set, eb);
    if (e == RP_OK) e = rp_posture_cfgs_collect(st, set, &cs, err, eb);
    if (e != RP_OK) goto done;
    out->skipped = cs.skipped;
    if (o->nonly) {
        size_t k = 0;
        for (size_t i = 0; i < cs.n; i++) {
            bool keep = false;
            for (size_t j = 0; j < o->nonly && !keep; j++)
                keep = strcmp(cs.v[i].name, o->only[j]) == 0 ||
                       strcmp(cs.v[i].rule->identifier, o->only[j]) == 0;
            if (keep) cs.v[k++] = cs.v[i];
        }
        cs.n = k;
    }
    out->configs = cs.n;
    if ((e = bt_build(&bt, &cs)) != RP_OK) {
        e = rp_fail(eb, e, "posture: too many resource types in the rules");
        goto done;
    }
    R.at_ms = o->at_ms;
    if (!R.at_ms && (e = newest_time(st, &R.at_ms, eb)) != RP_OK) goto done;
    if (!R.at_ms) R.at_ms = R.now_ms;
    out->at_ms = R.at_ms;
    if ((e = rp_posture_docs_load(st, &docs, R.at_ms, eb)) != RP_OK) goto done;
    out->resources = docs.n - docs.naccounts;
    out->accounts = docs.naccounts;
    ix = rp_posture_index_new();
    if (!ix) {
        e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        goto done;
    }
    for (size_t i = 0; i < docs.n && e == RP_OK; i++)
        if (rp_posture_index_add(ix, docs.v[i].doc) != RP_OK)
            e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    if (e != RP_OK) goto done;
    if (!o->dry_run) {
        if ((e = rp_store_batch_begin(st, 50000, NULL, NULL, eb)) != RP_OK) goto done;
        batch = true;
    }
    rp_arena_release(&R.rids.arena);
    if (e == RP_OK) e = rids_load(st, &R.rids, eb);
    if (e == RP_OK) e = prev_load(st, &R.prev, eb);
    if (e == RP_OK) e = cfg_ids(st, &cs, o->dry_run, eb);
    if (e == RP_OK && !o->nonly) e = replay(&R, &cs, &bt, ix, &scratch, &newest, eb);
    if (e == RP_OK) e = current_pass(&R, &cs, &bt, &docs, ix, eb);
    /* results for resources or configurations that are gone */
    if (e == RP_OK && !o->dry_run && !o->nonly) e = stale(&R, &cs, eb);
    if (e == RP_OK && !o->dry_run && !o->nonly && newest != INT64_MIN)
        e = state_put(st, "history_ms", newest, eb);
    if (e == RP_OK && batch) {
        batch = false;
        e = rp_store_batch_commit(st, eb);
    }
    /* the documents are not needed any more: free them before the findings are built */
    rp_posture_index_free(ix);
    ix = NULL;
    rp_posture_docs_release(&docs);
    if (e == RP_OK && !o->dry_run && !o->no_hub) e = hub_send(&R, eb);
done:
    if (batch) rp_store_batch_rollback(st);
    bt_release(&bt);
    free(R.prev.heads);
    free(R.prev.e);
    free(R.resolved);
    rids_release(&R.rids);
    rp_buf_release(&R.fbuf);
    rp_arena_release(&scratch);
    rp_posture_index_free(ix);
    rp_posture_docs_release(&docs);
    rp_posture_cfgs_release(&cs);
    rp_posture_ruleset_free(set);
    return e;
}
