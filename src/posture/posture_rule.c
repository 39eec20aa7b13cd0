/* SPDX-License-Identifier: Apache-2.0 */
/* Config rules (posture_internal.h): the rule files of data/posture/rules (docs/rules-format.md)
 * loaded into an immutable rule set, their parameters bound as typed Guard variables, lookups
 * answered from an index of documents, and one rule evaluated over one document into an AWS
 * Config verdict. The Guard engine (posture_guard.h) and the C checks (posture_checks.def) do
 * the checking; this file decides NOT_APPLICABLE and INSUFFICIENT_DATA before they run. */
#define RP_LOG_MODULE "posture"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_embed.h"
#include "core/rp_hash.h"
#include "core/rp_yaml.h"
#include "posture/posture_internal.h"
#include "core/rp_banned.h"

/* ---- compliance names -------------------------------------------------------------------- */

static const char *const compliance_names[] = {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE",
                                               "INSUFFICIENT_DATA"};

const char *rp_posture_compliance_name(enum rp_posture_compliance c)
{
    return (unsigned)c < 4 ? compliance_names[c] : "?";
}

bool rp_posture_compliance_parse(const char *s, enum rp_posture_compliance *out)
{
    for (unsigned i = 0; i < 4; i++)
        if (s && strcmp(s, compliance_names[i]) == 0) {
            *out = (enum rp_posture_compliance)i;
            return true;
        }
    return false;
}

/* ---- rule sets ----------------------------------------------------------------------------- */

struct rp_posture_ruleset {
    struct rp_arena arena;
    struct rp_posture_rule **rules;
    size_t n, cap;
    struct rp_json_parser *jp;
};

struct rp_posture_ruleset *rp_posture_ruleset_new(void)
{
    struct rp_posture_ruleset *set = calloc(1, sizeof(*set));
    if (!set) return NULL;
    rp_arena_init(&set->arena, 64 * 1024);
    set->jp = rp_json_parser_new();
    if (!set->jp) {
        rp_arena_release(&set->arena);
        free(set);
        return NULL;
    }
    return set;
}

void rp_posture_ruleset_free(struct rp_posture_ruleset *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) rp_guard_file_free(set->rules[i]->guard);
    free(set->rules);
    rp_json_parser_free(set->jp);
    rp_arena_release(&set->arena);
    free(set);
}

size_t rp_posture_ruleset_count(const struct rp_posture_ruleset *set)
{
    return set ? set->n : 0;
}

const struct rp_posture_rule *rp_posture_ruleset_at(const struct rp_posture_ruleset *set, size_t i)
{
    return set && i < set->n ? set->rules[i] : NULL;
}

const struct rp_posture_rule *rp_posture_ruleset_find(const struct rp_posture_ruleset *set,
                                                      const char *id_or_name)
{
    if (!set || !id_or_name) return NULL;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->rules[i]->identifier, id_or_name) == 0) return set->rules[i];
    for (size_t i = 0; i < set->n; i++)
        if (set->rules[i]->name && strcmp(set->rules[i]->name, id_or_name) == 0)
            return set->rules[i];
    return NULL;
}

static rp_err push_rule(struct rp_posture_ruleset *set, struct rp_posture_rule *r,
                        struct rp_errbuf *eb)
{
    if (rp_posture_ruleset_find(set, r->identifier)) {
        rp_guard_file_free(r->guard);
        return rp_fail(eb, RP_EEXIST, "%s: rule '%s' is already defined", r->path, r->identifier);
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        struct rp_posture_rule **p = realloc(set->rules, cap * sizeof(*p));
        if (!p) {
            rp_guard_file_free(r->guard);
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        }
        set->rules = p;
        set->cap = cap;
    }
    set->rules[set->n++] = r;
    return RP_OK;
}

/* ---- the YAML rule format ------------------------------------------------------------------ */

static char *dup_str(struct rp_arena *a, struct rp_json_val v)
{
    struct rp_str s;
    if (rp_json_get_str(v, &s) != RP_OK) return NULL;
    return rp_arena_memdup(a, s.p, s.len + 1);
}

static const char *dup_member(struct rp_arena *a, struct rp_json_val obj, const char *key)
{
    struct rp_json_val v;
    if (rp_json_obj_get(obj, key, &v) != RP_OK) return NULL;
    return dup_str(a, v);
}

/* A scalar as text ("90" for 90, "true" for true), for parameter defaults written unquoted. */
static const char *scalar_text(struct rp_arena *a, struct rp_json_val v)
{
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        return dup_str(a, v);
    case RP_JSON_INT: {
        int64_t i = 0;
        if (rp_json_get_i64(v, &i) != RP_OK) return NULL;
        return rp_arena_printf(a, "%lld", (long long)i);
    }
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE: {
        double d = 0;
        if (rp_json_get_double(v, &d) != RP_OK) return NULL;
        return rp_arena_printf(a, "%g", d);
    }
    case RP_JSON_BOOL: {
        bool b = false;
        if (rp_json_get_bool(v, &b) != RP_OK) return NULL;
        return b ? "true" : "false";
    }
    default:
        return NULL;
    }
}

static bool param_type_parse(const char *s, enum rp_posture_param_type *out)
{
    static const struct {
        const char *name;
        enum rp_posture_param_type t;
    } map[] = {{"string", RP_PP_STRING},
               {"int", RP_PP_INT},
               {"double", RP_PP_DOUBLE},
               {"boolean", RP_PP_BOOLEAN},
               {"csv", RP_PP_CSV},
               {"stringmap", RP_PP_STRINGMAP},
               {"String", RP_PP_STRING},
               {"Integer", RP_PP_INT},
               {"Boolean", RP_PP_BOOLEAN},
               {"CSV", RP_PP_CSV},
               {"StringMap", RP_PP_STRINGMAP},
               {"Double", RP_PP_DOUBLE}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(s, map[i].name) == 0) {
            *out = map[i].t;
            return true;
        }
    return false;
}

static rp_err str_list(struct rp_arena *a, struct rp_json_val v, const char *path, const char *what,
                       const char *const **out, size_t *n, struct rp_errbuf *eb)
{
    *out = NULL;
    *n = 0;
    if (rp_json_type(v) == RP_JSON_NONE) return RP_OK;
    if (rp_json_type(v) == RP_JSON_STRING) {
        const char **l = rp_arena_alloc(a, sizeof(*l));
        if (!l || !(l[0] = dup_str(a, v))) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        *out = l;
        *n = 1;
        return RP_OK;
    }
    if (rp_json_type(v) != RP_JSON_ARRAY)
        return rp_fail(eb, RP_EPARSE, "%s: '%s' must be a list of strings", path, what);
    size_t cnt = rp_json_len(v);
    const char **l = rp_arena_zalloc(a, (cnt ? cnt : 1) * sizeof(*l));
    if (!l) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t k = 0;
    if (rp_json_arr_iter(v, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            if (!(l[k] = dup_str(a, el)))
                return rp_fail(eb, RP_EPARSE, "%s: '%s' must be a list of strings", path, what);
            k++;
        }
    *out = l;
    *n = k;
    return RP_OK;
}

static rp_err parse_params(struct rp_arena *a, struct rp_json_val v, const char *path,
                           struct rp_posture_rule *r, struct rp_errbuf *eb)
{
    if (rp_json_type(v) == RP_JSON_NONE || rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    if (rp_json_type(v) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "%s: 'parameters' must be a mapping", path);
    size_t cnt = rp_json_len(v);
    struct rp_posture_param *ps = rp_arena_zalloc(a, (cnt ? cnt : 1) * sizeof(*ps));
    if (!ps) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct rp_json_iter it;
    struct rp_json_val pv;
    struct rp_str key;
    size_t k = 0;
    if (rp_json_obj_iter(v, &it) == RP_OK)
        while (rp_json_obj_next(&it, &key, &pv)) {
            struct rp_posture_param *p = &ps[k++];
            p->name = rp_arena_memdup(a, key.p, key.len + 1);
            if (!p->name) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            if (rp_json_type(pv) != RP_JSON_OBJECT)
                return rp_fail(eb, RP_EPARSE, "%s: parameter '%s' must be a mapping", path,
                               p->name);
            const char *t = dup_member(a, pv, "type");
            if (!t || !param_type_parse(t, &p->type))
                return rp_fail(eb, RP_EPARSE,
                               "%s: parameter '%s' needs a type (string, int, double, boolean, "
                               "csv, stringmap)",
                               path, p->name);
            struct rp_json_val d;
            if (rp_json_obj_get(pv, "default", &d) == RP_OK && rp_json_type(d) != RP_JSON_NULL) {
                p->dflt = scalar_text(a, d);
                if (!p->dflt)
                    return rp_fail(eb, RP_EPARSE, "%s: parameter '%s' has a bad default", path,
                                   p->name);
            }
            bool opt = false;
            if (rp_json_obj_get_bool(pv, "optional", &opt) == RP_OK) p->optional = opt;
        }
    r->params = ps;
    r->nparams = k;
    return RP_OK;
}

static rp_err parse_lookups(struct rp_arena *a, struct rp_json_val v, const char *path,
                            struct rp_posture_rule *r, struct rp_errbuf *eb)
{
    if (rp_json_type(v) == RP_JSON_NONE || rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    if (rp_json_type(v) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "%s: 'lookups' must be a mapping", path);
    size_t cnt = rp_json_len(v);
    struct rp_posture_lookup *ls = rp_arena_zalloc(a, (cnt ? cnt : 1) * sizeof(*ls));
    if (!ls) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct rp_json_iter it;
    struct rp_json_val lv;
    struct rp_str key;
    size_t k = 0;
    if (rp_json_obj_iter(v, &it) == RP_OK)
        while (rp_json_obj_next(&it, &key, &lv)) {
            struct rp_posture_lookup *l = &ls[k++];
            l->var = rp_arena_memdup(a, key.p, key.len + 1);
            if (!l->var) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            l->resource_type = dup_member(a, lv, "resourceType");
            if (!l->resource_type)
                return rp_fail(eb, RP_EPARSE, "%s: lookup '%s' needs a resourceType", path, l->var);
            l->key = dup_member(a, lv, "key");
            l->match = dup_member(a, lv, "match");
            if ((l->key == NULL) != (l->match == NULL))
                return rp_fail(eb, RP_EPARSE,
                               "%s: lookup '%s' needs both key and match, or "
                               "neither",
                               path, l->var);
            bool b = true;
            l->same_region = true;
            if (rp_json_obj_get_bool(lv, "sameRegion", &b) == RP_OK) l->same_region = b;
            b = false;
            if (rp_json_obj_get_bool(lv, "requireAny", &b) == RP_OK) l->require_any = b;
        }
    r->lookups = ls;
    r->nlookups = k;
    return RP_OK;
}

/* Names the Guard text may use without a let: parameters and lookups. */
static rp_err compile_guard(struct rp_posture_rule *r, const char *text, size_t n,
                            struct rp_errbuf *eb)
{
    const char *pre[64];
    size_t npre = 0;
    for (size_t i = 0; i < r->nparams && npre < 64; i++) pre[npre++] = r->params[i].name;
    for (size_t i = 0; i < r->nlookups && npre < 64; i++) pre[npre++] = r->lookups[i].var;
    r->data_rule = -1;
    rp_err e = rp_guard_compile(r->path, text, n, pre, npre, &r->guard, eb);
    if (e != RP_OK) return e;
    for (size_t i = 0; i < rp_guard_file_rule_count(r->guard); i++)
        if (strcmp(rp_guard_file_rule_name(r->guard, i), "data_available") == 0) {
            if (i != 0)
                return rp_fail(eb, RP_EPARSE, "%s: rule 'data_available' must come first", r->path);
            r->data_rule = (int)i;
        }
    return RP_OK;
}

rp_err rp_posture_ruleset_add_yaml(struct rp_posture_ruleset *set, const char *path,
                                   const char *text, size_t n, struct rp_errbuf *eb)
{
    struct rp_buf json;
    rp_buf_init(&json, 4u << 20);
    rp_err e = rp_yaml_to_json(text, n, &json, eb);
    if (e != RP_OK) {
        rp_buf_release(&json);
        char msg[sizeof(eb->msg)];
        rp_strlcpy(msg, eb ? eb->msg : "", sizeof(msg));
        return rp_fail(eb, e, "%s: %s", path, msg);
    }
    struct rp_json_val root;
    e = rp_json_parse_buf(set->jp, &json, &root, eb);
    if (e != RP_OK) {
        rp_buf_release(&json);
        return rp_fail(eb, e, "%s: not a rule file", path);
    }
    struct rp_arena *a = &set->arena;
    struct rp_posture_rule *r = rp_arena_zalloc(a, sizeof(*r));
    if (!r) goto oom;
    r->path = rp_arena_strdup(a, path);
    if (!r->path) goto oom;
    if (rp_json_type(root) != RP_JSON_OBJECT) {
        e = rp_fail(eb, RP_EPARSE, "%s: a rule file is a mapping", path);
        goto out;
    }
    r->identifier = dup_member(a, root, "identifier");
    if (!r->identifier || !*r->identifier) {
        e = rp_fail(eb, RP_EPARSE, "%s: missing 'identifier'", path);
        goto out;
    }
    r->name = dup_member(a, root, "name");
    r->description = dup_member(a, root, "description");
    struct rp_json_val v = {0};
    if (rp_json_obj_get(root, "resourceTypes", &v) != RP_OK) v = (struct rp_json_val){0};
    if ((e = str_list(a, v, path, "resourceTypes", &r->resource_types, &r->ntypes, eb)) != RP_OK)
        goto out;
    if (r->ntypes == 0) {
        e = rp_fail(eb, RP_EPARSE, "%s: missing 'resourceTypes'", path);
        goto out;
    }
    const char *trig = dup_member(a, root, "trigger");
    if (!trig || strcmp(trig, "change") == 0)
        r->trigger = RP_PT_CHANGE;
    else if (strcmp(trig, "periodic") == 0)
        r->trigger = RP_PT_PERIODIC;
    else if (strcmp(trig, "both") == 0)
        r->trigger = RP_PT_BOTH;
    else {
        e = rp_fail(eb, RP_EPARSE, "%s: trigger '%s' is not change, periodic or both", path, trig);
        goto out;
    }
    if (rp_json_obj_get(root, "parameters", &v) != RP_OK) v = (struct rp_json_val){0};
    if ((e = parse_params(a, v, path, r, eb)) != RP_OK) goto out;
    if (rp_json_obj_get(root, "requires", &v) != RP_OK) v = (struct rp_json_val){0};
    if ((e = str_list(a, v, path, "requires", &r->requires, &r->nrequires, eb)) != RP_OK) goto out;
    if (rp_json_obj_get(root, "lookups", &v) != RP_OK) v = (struct rp_json_val){0};
    if ((e = parse_lookups(a, v, path, r, eb)) != RP_OK) goto out;
    const char *check = dup_member(a, root, "check");
    struct rp_json_val g;
    bool has_guard = rp_json_obj_get(root, "guard", &g) == RP_OK;
    if (has_guard == (check != NULL)) {
        e = rp_fail(eb, RP_EPARSE, "%s: a rule has either 'guard' or 'check'", path);
        goto out;
    }
    if (check) {
        r->check = rp_posture_check_find(check);
        if (!r->check) {
            e = rp_fail(eb, RP_ENOENT, "%s: no C check named '%s'", path, check);
            goto out;
        }
    } else {
        struct rp_str gs;
        if (rp_json_get_str(g, &gs) != RP_OK) {
            e = rp_fail(eb, RP_EPARSE, "%s: 'guard' must be text", path);
            goto out;
        }
        if ((e = compile_guard(r, gs.p, gs.len, eb)) != RP_OK) goto out;
    }
    rp_buf_release(&json);
    return push_rule(set, r, eb);
oom:
    e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
out:
    rp_buf_release(&json);
    return e;
}

rp_err rp_posture_ruleset_add_guard(struct rp_posture_ruleset *set, const char *name,
                                    const char *guard, size_t n, const char *const *types,
                                    size_t ntypes, const char *const *params, size_t nparams,
                                    struct rp_errbuf *eb)
{
    struct rp_arena *a = &set->arena;
    struct rp_posture_rule *r = rp_arena_zalloc(a, sizeof(*r));
    const char **ts = rp_arena_zalloc(a, (ntypes ? ntypes : 1) * sizeof(*ts));
    struct rp_posture_param *ps = rp_arena_zalloc(a, (nparams ? nparams : 1) * sizeof(*ps));
    if (!r || !ts || !ps) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    r->identifier = rp_arena_strdup(a, name);
    r->name = r->identifier;
    r->path = r->identifier;
    r->custom = true;
    r->trigger = RP_PT_CHANGE;
    for (size_t i = 0; i < ntypes; i++)
        if (!(ts[i] = rp_arena_strdup(a, types[i])))
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    for (size_t i = 0; i < nparams; i++) {
        ps[i].name = rp_arena_strdup(a, params[i]);
        ps[i].type = RP_PP_STRING;
        ps[i].optional = true;
        if (!ps[i].name) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    }
    if (!r->identifier) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    r->resource_types = ts;
    r->ntypes = ntypes;
    r->params = ps;
    r->nparams = nparams;
    rp_err e = compile_guard(r, guard, n, eb);
    if (e != RP_OK) return e;
    return push_rule(set, r, eb);
}

struct load_ctx {
    struct rp_posture_ruleset *set;
    struct rp_errbuf *eb;
    rp_err err;
};

static int load_one(const struct rp_embed_file *f, void *arg)
{
    struct load_ctx *c = arg;
    size_t l = strlen(f->path);
    if (l < 5 || strcmp(f->path + l - 5, ".yaml") != 0) return 0;
    struct rp_buf b;
    rp_buf_init(&b, 4u << 20);
    rp_err e = rp_embed_load(f->path, &b, c->eb);
    if (e == RP_OK)
        e = rp_posture_ruleset_add_yaml(c->set, f->path, b.data ? b.data : "", b.len, c->eb);
    rp_buf_release(&b);
    c->err = e;
    return e != RP_OK;
}

rp_err rp_posture_ruleset_load_managed(struct rp_posture_ruleset **out, struct rp_errbuf *eb)
{
    struct rp_posture_ruleset *set = rp_posture_ruleset_new();
    if (!set) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct load_ctx c = {set, eb, RP_OK};
    rp_embed_each("posture/rules/", load_one, &c);
    if (c.err != RP_OK) {
        rp_posture_ruleset_free(set);
        return c.err;
    }
    *out = set;
    return RP_OK;
}

/* ---- the lookup index -------------------------------------------------------------------- */

/* Documents grouped by (resourceType, account, region); a group keeps, per key path asked for,
 * a hash table from the key's value (as text) to the documents that have it, built on first
 * use. Single-threaded: the caches are filled during evaluation. */
struct keyed {
    const char *path;
    uint32_t nbuckets;
    uint32_t *heads; /* bucket -> first entry + 1, 0 = empty */
    struct keyed_ent {
        uint64_t h;
        const char *val;
        const struct rp_pv *doc;
        uint32_t next; /* entry + 1 */
    } * ents;
    uint32_t nents;
    struct keyed *next;
};

struct group {
    uint64_t h;
    char *type, *account, *region;
    const struct rp_pv **docs;
    size_t n, cap;
    struct keyed *keyed;
    struct group *next;
};

/* An unkeyed lookup's result, built once per (type, account, region or every region) and
 * shared by every evaluation in that scope. */
struct scope_list {
    uint64_t h;
    char *key;
    struct rp_pv *list; /* in the index's arena */
    size_t any;         /* documents of the type in scope */
    struct scope_list *next;
};

/* The groups of one (type, account) across regions, for keyed lookups that are not limited to
 * the subject's region; built on first use. */
struct acct_groups {
    uint64_t h;
    char *key;
    struct group **g;
    size_t n;
    struct acct_groups *next;
};

/* Every group of one account, so account-wide lookups need not walk every group. */
struct acct_ent {
    uint64_t h;
    char *account;
    struct group **g;
    size_t n, cap;
    struct acct_ent *next;
};

struct rp_posture_index {
    pthread_mutex_t mu; /* guards the caches below, filled during evaluation from any thread */
    struct group **buckets;
    size_t nbuckets, ngroups;
    struct acct_ent *accts[1024];
    struct scope_list *lists[256];
    struct acct_groups *agroups[256];
    struct rp_arena arena; /* key texts, shared lists */
};

struct rp_posture_index *rp_posture_index_new(void)
{
    struct rp_posture_index *ix = calloc(1, sizeof(*ix));
    if (!ix) return NULL;
    ix->nbuckets = 1024;
    ix->buckets = calloc(ix->nbuckets, sizeof(*ix->buckets));
    if (!ix->buckets) {
        free(ix);
        return NULL;
    }
    rp_arena_init(&ix->arena, 64 * 1024);
    pthread_mutex_init(&ix->mu, NULL);
    return ix;
}

static void lists_drop(struct rp_posture_index *ix);

void rp_posture_index_free(struct rp_posture_index *ix)
{
    if (!ix) return;
    for (size_t b = 0; b < ix->nbuckets; b++)
        for (struct group *g = ix->buckets[b], *gn = NULL; g; g = gn) {
            gn = g->next;
            for (struct keyed *k = g->keyed, *kn = NULL; k; k = kn) {
                kn = k->next;
                free(k->heads);
                free(k->ents);
                free(k);
            }
            free(g->docs);
            free(g->type);
            free(g->account);
            free(g->region);
            free(g);
        }
    free(ix->buckets);
    lists_drop(ix);
    pthread_mutex_destroy(&ix->mu);
    for (size_t b = 0; b < 1024; b++)
        for (struct acct_ent *a = ix->accts[b], *an = NULL; a; a = an) {
            an = a->next;
            free(a->account);
            free(a->g);
            free(a);
        }
    rp_arena_release(&ix->arena);
    free(ix);
}

static void lists_drop(struct rp_posture_index *ix)
{
    for (size_t b = 0; b < 256; b++) {
        for (struct acct_groups *l = ix->agroups[b], *ln = NULL; l; l = ln) {
            ln = l->next;
            free(l->key);
            free(l->g);
            free(l);
        }
        ix->agroups[b] = NULL;
    }
    for (size_t b = 0; b < 256; b++) {
        for (struct scope_list *l = ix->lists[b], *ln = NULL; l; l = ln) {
            ln = l->next;
            free(l->key);
            free(l);
        }
        ix->lists[b] = NULL;
    }
}

static const char *str_at(const struct rp_pv *doc, const char *key)
{
    const struct rp_pv *v = rp_pv_get(doc, key);
    return v && v->kind == RP_PV_STRING ? v->u.s : "";
}

static uint64_t group_hash(const char *t, const char *acct, const char *region)
{
    uint64_t h = rp_hash_xxh3_64(t, strlen(t), 1);
    h = rp_hash_combine(h, rp_hash_xxh3_64(acct, strlen(acct), 2));
    return rp_hash_combine(h, rp_hash_xxh3_64(region, strlen(region), 3));
}

static struct group *group_find(const struct rp_posture_index *ix, const char *t, const char *acct,
                                const char *region)
{
    uint64_t h = group_hash(t, acct, region);
    for (struct group *g = ix->buckets[h % ix->nbuckets]; g; g = g->next)
        if (g->h == h && strcmp(g->type, t) == 0 && strcmp(g->account, acct) == 0 &&
            strcmp(g->region, region) == 0)
            return g;
    return NULL;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Documents of IAM and other global types say awsRegion "global"; index them under the region
 * they were recorded in as well as "global" would be wrong for same-region lookups, so global
 * documents go to region "" and same-region lookups also read region "" groups. */
static const char *region_of(const struct rp_pv *doc)
{
    const char *r = str_at(doc, "awsRegion");
    return strcmp(r, "global") == 0 ? "" : r;
}

rp_err rp_posture_index_add(struct rp_posture_index *ix, const struct rp_pv *doc)
{
    const char *t = str_at(doc, "resourceType");
    const char *acct = str_at(doc, "awsAccountId");
    const char *region = region_of(doc);
    struct group *g = group_find(ix, t, acct, region);
    if (!g) {
        g = calloc(1, sizeof(*g));
        if (!g) return RP_ENOMEM;
        g->h = group_hash(t, acct, region);
        g->type = xstrdup(t);
        g->account = xstrdup(acct);
        g->region = xstrdup(region);
        if (!g->type || !g->account || !g->region) {
            free(g->type);
            free(g->account);
            free(g->region);
            free(g);
            return RP_ENOMEM;
        }
        size_t b = g->h % ix->nbuckets;
        g->next = ix->buckets[b];
        ix->buckets[b] = g;
        ix->ngroups++;
        uint64_t ah = rp_hash_xxh3_64(acct, strlen(acct), 8);
        struct acct_ent *ae = ix->accts[ah & 1023];
        while (ae && (ae->h != ah || strcmp(ae->account, acct) != 0)) ae = ae->next;
        if (!ae) {
            ae = calloc(1, sizeof(*ae));
            if (!ae || !(ae->account = xstrdup(acct))) {
                free(ae);
                return RP_ENOMEM;
            }
            ae->h = ah;
            ae->next = ix->accts[ah & 1023];
            ix->accts[ah & 1023] = ae;
        }
        if (ae->n == ae->cap) {
            size_t cap = ae->cap ? ae->cap * 2 : 16;
            struct group **p = realloc(ae->g, cap * sizeof(*p));
            if (!p) return RP_ENOMEM;
            ae->g = p;
            ae->cap = cap;
        }
        ae->g[ae->n++] = g;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        const struct rp_pv **p = realloc(g->docs, cap * sizeof(*p));
        if (!p) return RP_ENOMEM;
        g->docs = p;
        g->cap = cap;
    }
    g->docs[g->n++] = doc;
    lists_drop(ix);
    /* a keyed cache built before this document is stale: drop it */
    for (struct keyed *k = g->keyed, *kn = NULL; k; k = kn) {
        kn = k->next;
        free(k->heads);
        free(k->ents);
        free(k);
    }
    g->keyed = NULL;
    return RP_OK;
}

/* The text of a scalar for key comparison, into buf; NULL for lists, maps and absent values. */
static const char *scalar_key(const struct rp_pv *v, char *buf, size_t n)
{
    if (!v) return NULL;
    switch (v->kind) {
    case RP_PV_STRING:
        return v->u.s;
    case RP_PV_INT:
        snprintf(buf, n, "%lld", (long long)v->u.i);
        return buf;
    case RP_PV_DOUBLE:
        snprintf(buf, n, "%.17g", v->u.d);
        return buf;
    case RP_PV_BOOL:
        return v->u.b ? "true" : "false";
    default:
        return NULL;
    }
}

static struct keyed *keyed_get_locked(struct rp_posture_index *ix, struct group *g,
                                      const char *path)
{
    for (struct keyed *k = g->keyed; k; k = k->next)
        if (strcmp(k->path, path) == 0) return k;
    struct keyed *k = calloc(1, sizeof(*k));
    if (!k) return NULL;
    k->path = rp_arena_strdup(&ix->arena, path);
    k->nbuckets = 16;
    while (k->nbuckets < g->n * 2 && k->nbuckets < (1u << 30)) k->nbuckets *= 2;
    k->heads = calloc(k->nbuckets, sizeof(*k->heads));
    k->ents = calloc(g->n ? g->n : 1, sizeof(*k->ents));
    if (!k->path || !k->heads || !k->ents) {
        free(k->heads);
        free(k->ents);
        free(k);
        return NULL;
    }
    char buf[64];
    for (size_t i = 0; i < g->n; i++) {
        const char *s = scalar_key(rp_pv_path(g->docs[i], path), buf, sizeof(buf));
        if (!s) continue;
        const char *val = rp_arena_strdup(&ix->arena, s);
        if (!val) continue;
        uint64_t h = rp_hash_xxh3_64(val, strlen(val), 7);
        struct keyed_ent *e = &k->ents[k->nents];
        e->h = h;
        e->val = val;
        e->doc = g->docs[i];
        uint32_t b = (uint32_t)(h & (k->nbuckets - 1));
        e->next = k->heads[b];
        k->heads[b] = ++k->nents;
    }
    k->next = g->keyed;
    g->keyed = k;
    return k;
}

static struct keyed *keyed_get(struct rp_posture_index *ix, struct group *g, const char *path);

/* Append the documents of group g matching (key == want) (all when key is NULL) to list. */
static rp_err collect(struct rp_posture_index *ix, struct group *g, const char *key,
                      const char *want, struct rp_arena *a, struct rp_pv *list)
{
    if (!g) return RP_OK;
    if (!key) {
        for (size_t i = 0; i < g->n; i++) {
            rp_err e = rp_pv_push(a, list, (struct rp_pv *)g->docs[i]);
            if (e != RP_OK) return e;
        }
        return RP_OK;
    }
    struct keyed *k = keyed_get(ix, g, key);
    if (!k) return RP_ENOMEM;
    uint64_t h = rp_hash_xxh3_64(want, strlen(want), 7);
    /* entries are chained newest first; collect then reverse to keep document order */
    size_t start = list->n;
    for (uint32_t e = k->heads[h & (k->nbuckets - 1)]; e; e = k->ents[e - 1].next) {
        const struct keyed_ent *en = &k->ents[e - 1];
        if (en->h == h && strcmp(en->val, want) == 0) {
            rp_err er = rp_pv_push(a, list, (struct rp_pv *)en->doc);
            if (er != RP_OK) return er;
        }
    }
    for (size_t i = start, j = list->n; i + 1 < j; i++, j--) {
        struct rp_pv *t = list->u.items[i];
        list->u.items[i] = list->u.items[j - 1];
        list->u.items[j - 1] = t;
    }
    return RP_OK;
}

static rp_err acct_groups_get_locked(struct rp_posture_index *ix, const char *type,
                                     const char *acct, struct acct_groups **out)
{
    size_t kl = strlen(type) + strlen(acct) + 2;
    char *key = malloc(kl);
    if (!key) return RP_ENOMEM;
    snprintf(key, kl, "%s\x1f%s", type, acct);
    uint64_t h = rp_hash_xxh3_64(key, strlen(key), 9);
    for (struct acct_groups *a = ix->agroups[h & 255]; a; a = a->next)
        if (a->h == h && strcmp(a->key, key) == 0) {
            free(key);
            *out = a;
            return RP_OK;
        }
    struct acct_groups *a = calloc(1, sizeof(*a));
    if (!a) {
        free(key);
        return RP_ENOMEM;
    }
    a->h = h;
    a->key = key;
    size_t cap = 0;
    uint64_t ah = rp_hash_xxh3_64(acct, strlen(acct), 8);
    struct acct_ent *ae = ix->accts[ah & 1023];
    while (ae && (ae->h != ah || strcmp(ae->account, acct) != 0)) ae = ae->next;
    for (size_t k = 0; ae && k < ae->n; k++) {
        struct group *g = ae->g[k];
        {
            if (strcmp(g->type, type) == 0) {
                if (a->n == cap) {
                    cap = cap ? cap * 2 : 4;
                    struct group **p = realloc(a->g, cap * sizeof(*p));
                    if (!p) {
                        free(a->g);
                        free(a->key);
                        free(a);
                        return RP_ENOMEM;
                    }
                    a->g = p;
                }
                a->g[a->n++] = g;
            }
        }
    }
    a->next = ix->agroups[h & 255];
    ix->agroups[h & 255] = a;
    *out = a;
    return RP_OK;
}

/* The shared list of every document of l's type in (acct, region) — or in every region of acct
 * when the lookup is not same-region — built on first use. */
static rp_err scope_list_get_locked(struct rp_posture_index *ix, const struct rp_posture_lookup *l,
                                    const char *acct, const char *region, struct scope_list **out)
{
    const char *rg = l->same_region ? region : "*";
    size_t kl = strlen(l->resource_type) + strlen(acct) + strlen(rg) + 3;
    char *key = malloc(kl);
    if (!key) return RP_ENOMEM;
    snprintf(key, kl, "%s\x1f%s\x1f%s", l->resource_type, acct, rg);
    uint64_t h = rp_hash_xxh3_64(key, strlen(key), 5);
    for (struct scope_list *sl = ix->lists[h & 255]; sl; sl = sl->next)
        if (sl->h == h && strcmp(sl->key, key) == 0) {
            free(key);
            *out = sl;
            return RP_OK;
        }
    struct scope_list *sl = calloc(1, sizeof(*sl));
    struct rp_pv *list = rp_pv_list(&ix->arena);
    if (!sl || !list) {
        free(sl);
        free(key);
        return RP_ENOMEM;
    }
    sl->h = h;
    sl->key = key;
    sl->list = list;
    rp_err e = RP_OK;
    if (l->same_region) {
        struct group *g = group_find(ix, l->resource_type, acct, region);
        struct group *gg = region[0] ? group_find(ix, l->resource_type, acct, "") : NULL;
        sl->any = (g ? g->n : 0) + (gg ? gg->n : 0);
        e = collect(ix, g, NULL, NULL, &ix->arena, list);
        if (e == RP_OK) e = collect(ix, gg, NULL, NULL, &ix->arena, list);
    } else {
        struct acct_groups *ag = NULL;
        e = acct_groups_get_locked(ix, l->resource_type, acct, &ag);
        for (size_t k = 0; e == RP_OK && k < ag->n; k++) {
            sl->any += ag->g[k]->n;
            e = collect(ix, ag->g[k], NULL, NULL, &ix->arena, list);
        }
    }
    sl->next = ix->lists[h & 255];
    ix->lists[h & 255] = sl;
    *out = sl;
    return e;
}

static struct keyed *keyed_get(struct rp_posture_index *ix, struct group *g, const char *path)
{
    pthread_mutex_lock(&ix->mu);
    struct keyed *k = keyed_get_locked(ix, g, path);
    pthread_mutex_unlock(&ix->mu);
    return k;
}

static rp_err acct_groups_get(struct rp_posture_index *ix, const char *type, const char *acct,
                              struct acct_groups **out)
{
    pthread_mutex_lock(&ix->mu);
    rp_err e = acct_groups_get_locked(ix, type, acct, out);
    pthread_mutex_unlock(&ix->mu);
    return e;
}

static rp_err scope_list_get(struct rp_posture_index *ix, const struct rp_posture_lookup *l,
                             const char *acct, const char *region, struct scope_list **out)
{
    pthread_mutex_lock(&ix->mu);
    rp_err e = scope_list_get_locked(ix, l, acct, region, out);
    pthread_mutex_unlock(&ix->mu);
    return e;
}

/* ---- evaluation ---------------------------------------------------------------------------- */

const struct rp_pv *rp_posture_binding_get(const struct rp_posture_eval_in *in, const char *name)
{
    for (size_t i = 0; i < in->nbindings; i++)
        if (strcmp(in->bindings[i].name, name) == 0) return in->bindings[i].val;
    return NULL;
}

static bool ci_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y) return false;
    }
    return *a == *b;
}

/* A parameter's text as its declared type. */
static rp_err bind_param(struct rp_arena *a, const struct rp_posture_param *p, const char *text,
                         struct rp_pv **out, struct rp_errbuf *eb)
{
    struct rp_pv *v = NULL;
    if (!text) {
        v = rp_pv_list(a); /* no value: an empty result, so `when %p !empty` guards its use */
    } else {
        switch (p->type) {
        case RP_PP_INT: {
            int64_t i = 0;
            struct rp_str s = rp_str_trim(rp_str_from(text));
            if (rp_str_to_i64(s, &i) != RP_OK)
                return rp_fail(eb, RP_EINVAL, "parameter '%s': '%s' is not an integer", p->name,
                               text);
            v = rp_pv_int(a, i);
            break;
        }
        case RP_PP_DOUBLE: {
            char *end = NULL;
            double d = strtod(text, &end);
            if (end == text || (end && *end != '\0'))
                return rp_fail(eb, RP_EINVAL, "parameter '%s': '%s' is not a number", p->name,
                               text);
            v = rp_pv_double(a, d);
            break;
        }
        case RP_PP_BOOLEAN:
            if (ci_eq(text, "true"))
                v = rp_pv_bool(a, true);
            else if (ci_eq(text, "false"))
                v = rp_pv_bool(a, false);
            else
                return rp_fail(eb, RP_EINVAL, "parameter '%s': '%s' is not true or false", p->name,
                               text);
            break;
        case RP_PP_CSV: {
            v = rp_pv_list(a);
            if (!v) break;
            struct rp_str rest = rp_str_from(text), tok;
            while (rp_str_split_next(&rest, ',', &tok)) {
                tok = rp_str_trim(tok);
                if (tok.len == 0) continue;
                struct rp_pv *s = rp_pv_str(a, tok.p, tok.len);
                if (!s || rp_pv_push(a, v, s) != RP_OK)
                    return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            }
            break;
        }
        case RP_PP_STRING:
        case RP_PP_STRINGMAP:
            v = rp_pv_cstr(a, text);
            break;
        }
    }
    if (!v) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    *out = v;
    return RP_OK;
}

static void verdict(struct rp_posture_verdict *out, enum rp_posture_compliance c, const char *fmt,
                    ...) RP_PRINTF(3, 4);
static void verdict(struct rp_posture_verdict *out, enum rp_posture_compliance c, const char *fmt,
                    ...)
{
    out->compliance = c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->annotation, sizeof(out->annotation), fmt, ap);
    va_end(ap);
}

static bool is_deleted(const struct rp_pv *doc)
{
    const struct rp_pv *s = rp_pv_get(doc, "configurationItemStatus");
    return rp_pv_is_str(s, "ResourceDeleted") || rp_pv_is_str(s, "ResourceDeletedNotRecorded") ||
           rp_pv_is_str(s, "ResourceNotRecorded");
}

#define RP_POSTURE_MAX_BINDINGS 64

rp_err rp_posture_rule_eval(const struct rp_posture_rule *rule, const struct rp_pv *doc,
                            const struct rp_posture_paramval *params, size_t nparams,
                            const struct rp_posture_index *cix, int64_t now_ms,
                            struct rp_arena *scratch, struct rp_posture_verdict *out,
                            struct rp_errbuf *eb)
{
    struct rp_posture_index *ix = (struct rp_posture_index *)cix; /* caches fill lazily */
    memset(out, 0, sizeof(*out));
    const char *type = str_at(doc, "resourceType");
    bool typed = false;
    for (size_t i = 0; i < rule->ntypes && !typed; i++)
        typed = strcmp(rule->resource_types[i], type) == 0;
    if (!typed) {
        verdict(out, RP_PC_NOT_APPLICABLE, "%s is not in the rule's scope", type);
        return RP_OK;
    }
    if (is_deleted(doc)) {
        verdict(out, RP_PC_NOT_APPLICABLE, "the resource is deleted");
        return RP_OK;
    }
    for (size_t i = 0; i < nparams; i++) {
        bool known = false;
        for (size_t j = 0; j < rule->nparams && !known; j++)
            known = strcmp(rule->params[j].name, params[i].name) == 0;
        if (!known)
            return rp_fail(eb, RP_EINVAL, "rule '%s' has no parameter '%s'", rule->identifier,
                           params[i].name);
    }
    for (size_t i = 0; i < rule->nrequires; i++)
        if (!rp_pv_path(doc, rule->requires[i])) {
            verdict(out, RP_PC_INSUFFICIENT_DATA, "needs %s", rule->requires[i]);
            return RP_OK;
        }
    struct rp_posture_binding binds[RP_POSTURE_MAX_BINDINGS];
    struct rp_guard_var vars[RP_POSTURE_MAX_BINDINGS];
    size_t nb = 0;
    if (rule->nparams + rule->nlookups > RP_POSTURE_MAX_BINDINGS)
        return rp_fail(eb, RP_ELIMIT, "rule '%s' has too many parameters and lookups",
                       rule->identifier);
    for (size_t j = 0; j < rule->nparams; j++) {
        const struct rp_posture_param *p = &rule->params[j];
        const char *text = p->dflt;
        for (size_t i = 0; i < nparams; i++)
            if (strcmp(params[i].name, p->name) == 0) text = params[i].value;
        struct rp_pv *v = NULL;
        rp_err e = bind_param(scratch, p, text, &v, eb);
        if (e != RP_OK) return e;
        binds[nb++] = (struct rp_posture_binding){p->name, v};
    }
    const char *acct = str_at(doc, "awsAccountId");
    const char *region = region_of(doc);
    for (size_t j = 0; j < rule->nlookups; j++) {
        const struct rp_posture_lookup *l = &rule->lookups[j];
        struct rp_pv *list = rp_pv_list(scratch);
        if (!list) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        char buf[64];
        const char *want = l->key ? scalar_key(rp_pv_path(doc, l->match), buf, sizeof(buf)) : NULL;
        size_t any = 0;
        if (ix && !l->key) {
            struct scope_list *sl = NULL;
            rp_err e = scope_list_get(ix, l, acct, region, &sl);
            if (e != RP_OK) return rp_fail(eb, e, "posture: out of memory");
            list = sl->list;
            any = sl->any;
        } else if (ix) {
            rp_err e = RP_OK;
            if (l->same_region) {
                struct group *g = group_find(ix, l->resource_type, acct, region);
                struct group *gg = region[0] ? group_find(ix, l->resource_type, acct, "") : NULL;
                any = (g ? g->n : 0) + (gg ? gg->n : 0);
                if (want) {
                    e = collect(ix, g, l->key, want, scratch, list);
                    if (e == RP_OK) e = collect(ix, gg, l->key, want, scratch, list);
                }
            } else {
                struct acct_groups *ag = NULL;
                e = acct_groups_get(ix, l->resource_type, acct, &ag);
                for (size_t k = 0; e == RP_OK && k < ag->n; k++) {
                    any += ag->g[k]->n;
                    if (want) e = collect(ix, ag->g[k], l->key, want, scratch, list);
                }
            }
            if (e != RP_OK) return rp_fail(eb, e, "posture: out of memory");
        }
        if (l->require_any && any == 0) {
            verdict(out, RP_PC_INSUFFICIENT_DATA, "no %s recorded in %s%s%s", l->resource_type,
                    acct, l->same_region && region[0] ? " " : "", l->same_region ? region : "");
            return RP_OK;
        }
        binds[nb++] = (struct rp_posture_binding){l->var, list};
    }
    if (rule->check) {
        struct rp_posture_eval_in in = {rule, doc, binds, nb, now_ms, scratch};
        return rule->check->fn(&in, out, eb);
    }
    for (size_t i = 0; i < nb; i++) vars[i] = (struct rp_guard_var){binds[i].name, binds[i].val};
    struct rp_guard_env env = {now_ms, vars, nb, scratch};
    struct rp_guard_result res;
    memset(&res, 0, sizeof(res));
    rp_err e = rp_guard_eval(rule->guard, doc, &env, &res, eb);
    if (e != RP_OK) return e;
    if (rule->data_rule >= 0 && (size_t)rule->data_rule < res.nrules &&
        res.rule_status[rule->data_rule] == RP_GUARD_FAIL) {
        out->compliance = RP_PC_INSUFFICIENT_DATA;
        rp_strlcpy(out->annotation, res.message, sizeof(out->annotation));
        return RP_OK;
    }
    switch (res.status) {
    case RP_GUARD_FAIL:
        out->compliance = RP_PC_NON_COMPLIANT;
        rp_strlcpy(out->annotation, res.message, sizeof(out->annotation));
        break;
    case RP_GUARD_PASS:
        out->compliance = RP_PC_COMPLIANT;
        break;
    case RP_GUARD_SKIP:
        out->compliance = RP_PC_NOT_APPLICABLE;
        break;
    }
    return RP_OK;
}
