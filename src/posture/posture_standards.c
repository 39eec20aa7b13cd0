/* SPDX-License-Identifier: Apache-2.0 */
/* Security Hub standards (posture_standards.h, docs/standards.md): the security control
 * catalog and the standards of data/posture/standards/ loaded into an immutable set, the
 * user's selection (enabled standards, disabled controls), the AWS Config rule configurations
 * the enabled controls need, and from the evaluations of those configurations: per-resource
 * Compliance.Status, the status of every control, the security score per standard and
 * overall, and the consolidated control findings in ASFF for the findings hub.
 *
 * Sits between the rule engine (posture_rule.c evaluates the configurations; the run in
 * posture_run.c stores the results) and the hub (rp_hub_import_buf reads the findings).
 * Nothing here touches the store: the caller passes evaluations in and takes JSON out. */
#define RP_LOG_MODULE "posture"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_embed.h"
#include "core/rp_hash.h"
#include "core/rp_time.h"
#include "core/rp_yaml.h"
#include "posture/posture_standards.h"
#include "core/rp_banned.h"

#define STD_PREFIX   "posture/standards/"
#define CATALOG_NAME "controls.yaml"
#define MAX_FILE     (8u << 20)

/* A configuration name -> control entry of the sorted index. */
struct cfg_ref {
    const char *name;
    size_t ctl;
};

struct rp_posture_standards {
    struct rp_arena arena;
    struct rp_posture_control *controls;
    size_t ncontrols;
    const struct rp_posture_control **by_id; /* sorted by id, case-insensitively */
    struct rp_posture_standard *stds;
    size_t nstds;
    struct cfg_ref *cfgs; /* controls with a rule, sorted by (config name, catalog order) */
    size_t ncfgs;
};

/* ---- small helpers ----------------------------------------------------------------------- */

static int ci_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y || !x) return (int)x - (int)y;
    }
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* The resource part of an ARN (after its fifth ':'), or NULL. */
static const char *arn_resource(const char *arn)
{
    for (int i = 0; i < 5; i++) {
        arn = strchr(arn, ':');
        if (!arn) return NULL;
        arn++;
    }
    return arn;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static bool all_chars(const char *s, const char *set)
{
    for (; *s; s++)
        if (!strchr(set, *s)) return false;
    return true;
}

#define UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER  "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

/* IAM.5, CloudWatch.14, Autoscaling.5: a letter, letters/digits, a dot, digits. */
static bool valid_control_id(const char *s)
{
    const char *dot = strchr(s, '.');
    if (!dot || dot == s || !dot[1] || !strchr(UPPER LOWER, s[0])) return false;
    for (const char *p = s; p < dot; p++)
        if (!strchr(UPPER LOWER DIGITS, *p)) return false;
    return all_chars(dot + 1, DIGITS);
}

/* S3_BUCKET_VERSIONING_ENABLED */
static bool valid_identifier(const char *s)
{
    return s[0] && strchr(UPPER, s[0]) && all_chars(s, UPPER DIGITS "_");
}

static bool valid_rule_name(const char *s)
{
    return s[0] && strchr(LOWER DIGITS, s[0]) && all_chars(s, LOWER DIGITS "-");
}

/* ---- loading ------------------------------------------------------------------------------ */

struct ld {
    struct rp_posture_standards *s;
    struct rp_json_parser *jp;
    const char *path;
    struct rp_errbuf *eb;
};

#define LFAIL(l, ...) rp_fail((l)->eb, RP_EPARSE, __VA_ARGS__)

static rp_err oom(struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
}

/* A copy of member key of obj as text in the arena: strings as they are, numbers and booleans
 * written out, null -> *out NULL. *present says whether the key was there. */
static rp_err get_text(struct ld *l, struct rp_json_val obj, const char *key, const char *where,
                       bool required, const char **out)
{
    struct rp_json_val v;
    struct rp_str s;
    *out = NULL;
    if (rp_json_obj_get(obj, key, &v) != RP_OK) {
        if (required) return LFAIL(l, "posture: %s: %s: missing '%s'", l->path, where, key);
        return RP_OK;
    }
    if (rp_json_type(v) != RP_JSON_STRING || rp_json_get_str(v, &s) != RP_OK || s.len == 0 ||
        memchr(s.p, '\0', s.len))
        return LFAIL(l, "posture: %s: %s: '%s' must be a non-empty string", l->path, where, key);
    if (!(*out = rp_arena_memdup(&l->s->arena, s.p, s.len))) return oom(l->eb);
    return RP_OK;
}

/* A parameter value as text (InputParameters are text): strings, numbers, booleans; null ->
 * NULL (not set). */
static rp_err param_text(struct ld *l, struct rp_json_val v, const char *where, const char *name,
                         const char **out)
{
    struct rp_arena *a = &l->s->arena;
    struct rp_str s;
    int64_t i = 0;
    double d = 0;
    bool b = false;
    *out = NULL;
    switch (rp_json_type(v)) {
    case RP_JSON_NULL:
        return RP_OK;
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &s) != RP_OK || memchr(s.p, '\0', s.len)) break;
        *out = rp_arena_memdup(a, s.p, s.len);
        return *out ? RP_OK : oom(l->eb);
    case RP_JSON_INT:
        if (rp_json_get_i64(v, &i) != RP_OK) break;
        *out = rp_arena_printf(a, "%lld", (long long)i);
        return *out ? RP_OK : oom(l->eb);
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &d) != RP_OK) break;
        *out = rp_arena_printf(a, "%.17g", d);
        return *out ? RP_OK : oom(l->eb);
    case RP_JSON_BOOL:
        if (rp_json_get_bool(v, &b) != RP_OK) break;
        *out = b ? "true" : "false";
        return RP_OK;
    default:
        break;
    }
    return LFAIL(l, "posture: %s: %s: parameter '%s' must be text, a number, a boolean or null",
                 l->path, where, name);
}

/* A list of non-empty strings (an absent key is an empty list unless required). */
static rp_err get_strlist(struct ld *l, struct rp_json_val obj, const char *key, const char *where,
                          bool required, const char *const **out, size_t *n)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it = {0};
    *out = NULL;
    *n = 0;
    if (rp_json_obj_get(obj, key, &arr) != RP_OK) {
        if (required) return LFAIL(l, "posture: %s: %s: missing '%s'", l->path, where, key);
        return RP_OK;
    }
    size_t cnt = rp_json_len(arr);
    if (rp_json_type(arr) != RP_JSON_ARRAY || (required && cnt == 0))
        return LFAIL(l, "posture: %s: %s: '%s' must be a list of strings", l->path, where, key);
    const char **v = rp_arena_zalloc(&l->s->arena, (cnt ? cnt : 1) * sizeof(*v));
    if (!v) return oom(l->eb);
    if (rp_json_arr_iter(arr, &it) != RP_OK) return oom(l->eb);
    size_t i = 0;
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str s;
        if (rp_json_type(el) != RP_JSON_STRING || rp_json_get_str(el, &s) != RP_OK || !s.len)
            return LFAIL(l, "posture: %s: %s: '%s' must be a list of strings", l->path, where, key);
        if (!(v[i++] = rp_arena_memdup(&l->s->arena, s.p, s.len))) return oom(l->eb);
    }
    *out = v;
    *n = i;
    return RP_OK;
}

static int cmp_param(const void *a, const void *b)
{
    return strcmp(((const struct rp_posture_paramval *)a)->name,
                  ((const struct rp_posture_paramval *)b)->name);
}

/* "securityhub-<rule name>-<8 hex>": the hex are the high 32 bits of XXH3-64 (seed 0) of
 * "<IDENTIFIER>\n" followed by "<name>=<value>\n" per set parameter and "<name>!\n" per unset
 * one, in name order. */
static rp_err config_name(struct ld *l, struct rp_posture_control *c)
{
    struct rp_buf b;
    rp_buf_init(&b, 1u << 20);
    rp_err e = rp_buf_printf(&b, "%s\n", c->rule);
    for (size_t i = 0; i < c->nparams && e == RP_OK; i++)
        e = c->params[i].value ? rp_buf_printf(&b, "%s=%s\n", c->params[i].name, c->params[i].value)
                               : rp_buf_printf(&b, "%s!\n", c->params[i].name);
    uint64_t h = e == RP_OK ? rp_hash_xxh3_64(b.data, b.len, 0) : 0;
    rp_buf_release(&b);
    if (e != RP_OK) return oom(l->eb);
    c->config_name =
        rp_arena_printf(&l->s->arena, "securityhub-%s-%08x", c->rule_name, (unsigned)(h >> 32));
    return c->config_name ? RP_OK : oom(l->eb);
}

static rp_err parse_control(struct ld *l, struct rp_json_val o, size_t idx, const char *url_tpl,
                            struct rp_posture_control *c)
{
    char where[64];
    rp_err e;
    snprintf(where, sizeof where, "control %zu", idx + 1);
    if (rp_json_type(o) != RP_JSON_OBJECT)
        return LFAIL(l, "posture: %s: %s: not a mapping", l->path, where);
    if ((e = get_text(l, o, "id", where, true, &c->id))) return e;
    if (!valid_control_id(c->id))
        return LFAIL(l, "posture: %s: %s: malformed control id '%s'", l->path, where, c->id);
    snprintf(where, sizeof where, "control '%.40s'", c->id);
    if ((e = get_text(l, o, "title", where, true, &c->title)) ||
        (e = get_text(l, o, "description", where, true, &c->description)) ||
        (e = get_text(l, o, "severity", where, true, &c->severity)) ||
        (e = get_strlist(l, o, "resourceTypes", where, true, &c->resource_types, &c->ntypes)))
        return e;
    static const char *const sevs[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};
    bool sev_ok = false;
    for (size_t i = 0; i < 4; i++) sev_ok = sev_ok || strcmp(c->severity, sevs[i]) == 0;
    if (!sev_ok)
        return LFAIL(l, "posture: %s: %s: severity '%s' is not CRITICAL, HIGH, MEDIUM or LOW",
                     l->path, where, c->severity);
    for (size_t i = 0; i < c->ntypes; i++)
        if (strncmp(c->resource_types[i], "AWS::", 5) != 0)
            return LFAIL(l, "posture: %s: %s: resource type '%s' is not AWS::<service>::<type>",
                         l->path, where, c->resource_types[i]);
    struct rp_json_val rv;
    if (rp_json_obj_get(o, "rule", &rv) != RP_OK)
        return LFAIL(l, "posture: %s: %s: missing 'rule' (an identifier or null)", l->path, where);
    if (rp_json_type(rv) != RP_JSON_NULL) {
        if ((e = get_text(l, o, "rule", where, true, &c->rule))) return e;
        if (!valid_identifier(c->rule))
            return LFAIL(l, "posture: %s: %s: malformed rule identifier '%s'", l->path, where,
                         c->rule);
        if ((e = get_text(l, o, "ruleName", where, true, &c->rule_name))) return e;
        if (!valid_rule_name(c->rule_name))
            return LFAIL(l, "posture: %s: %s: malformed rule name '%s'", l->path, where,
                         c->rule_name);
        if ((e = get_text(l, o, "mechanism", where, false, &c->mechanism))) return e;
        if (c->mechanism && strcmp(c->mechanism, "config-rule") != 0)
            return LFAIL(l, "posture: %s: %s: a control with a rule has mechanism config-rule",
                         l->path, where);
        c->mechanism = "config-rule";
        struct rp_json_val pv;
        if (rp_json_obj_get(o, "params", &pv) == RP_OK) {
            if (rp_json_type(pv) != RP_JSON_OBJECT)
                return LFAIL(l, "posture: %s: %s: 'params' must be a mapping", l->path, where);
            size_t np = rp_json_len(pv);
            struct rp_posture_paramval *ps =
                rp_arena_zalloc(&l->s->arena, (np ? np : 1) * sizeof(*ps));
            if (!ps) return oom(l->eb);
            struct rp_json_iter it;
            struct rp_str k;
            struct rp_json_val v;
            size_t i = 0;
            if (rp_json_obj_iter(pv, &it) != RP_OK) return oom(l->eb);
            while (rp_json_obj_next(&it, &k, &v)) {
                if (!k.len || memchr(k.p, '\0', k.len))
                    return LFAIL(l, "posture: %s: %s: empty parameter name", l->path, where);
                if (!(ps[i].name = rp_arena_memdup(&l->s->arena, k.p, k.len))) return oom(l->eb);
                if ((e = param_text(l, v, where, ps[i].name, &ps[i].value))) return e;
                i++;
            }
            qsort(ps, i, sizeof(*ps), cmp_param);
            for (size_t j = 1; j < i; j++)
                if (strcmp(ps[j - 1].name, ps[j].name) == 0)
                    return LFAIL(l, "posture: %s: %s: parameter '%s' given twice", l->path, where,
                                 ps[j].name);
            c->params = ps;
            c->nparams = i;
        }
        if ((e = config_name(l, c))) return e;
    } else {
        if ((e = get_text(l, o, "mechanism", where, true, &c->mechanism)) ||
            (e = get_text(l, o, "reason", where, true, &c->reason)))
            return e;
        if (strcmp(c->mechanism, "metric-filter") != 0 &&
            strcmp(c->mechanism, "securityhub-check") != 0 &&
            strcmp(c->mechanism, "service-linked-rule") != 0)
            return LFAIL(l,
                         "posture: %s: %s: mechanism '%s' is not metric-filter, "
                         "securityhub-check or service-linked-rule",
                         l->path, where, c->mechanism);
        if (rp_json_obj_get(o, "params", &rv) == RP_OK)
            return LFAIL(l, "posture: %s: %s: 'params' needs a rule", l->path, where);
    }
    /* the remediation URL: the pattern with {id} replaced */
    const char *mark = strstr(url_tpl, "{id}");
    c->remediation_url =
        rp_arena_printf(&l->s->arena, "%.*s%s%s", (int)(mark - url_tpl), url_tpl, c->id, mark + 4);
    if (!c->remediation_url) return oom(l->eb);
    c->index = idx;
    return RP_OK;
}

static int cmp_ctl_id(const void *a, const void *b)
{
    return ci_cmp((*(const struct rp_posture_control *const *)a)->id,
                  (*(const struct rp_posture_control *const *)b)->id);
}

static int cmp_cfg_ref(const void *a, const void *b)
{
    const struct cfg_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->ctl < y->ctl ? -1 : x->ctl > y->ctl;
}

static rp_err parse_catalog(struct ld *l, struct rp_json_val root)
{
    struct rp_posture_standards *s = l->s;
    const char *url = NULL;
    struct rp_json_val list, el;
    struct rp_json_iter it = {0};
    rp_err e;
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return LFAIL(l, "posture: %s: the catalog must be a mapping", l->path);
    if ((e = get_text(l, root, "remediationUrl", "catalog", true, &url))) return e;
    if (!strstr(url, "{id}"))
        return LFAIL(l, "posture: %s: 'remediationUrl' must contain '{id}'", l->path);
    if (rp_json_obj_get(root, "controls", &list) != RP_OK || rp_json_type(list) != RP_JSON_ARRAY ||
        rp_json_len(list) == 0)
        return LFAIL(l, "posture: %s: 'controls' must be a non-empty list", l->path);
    size_t n = rp_json_len(list);
    s->controls = rp_arena_zalloc(&s->arena, n * sizeof(*s->controls));
    s->by_id = rp_arena_zalloc(&s->arena, n * sizeof(*s->by_id));
    s->cfgs = rp_arena_zalloc(&s->arena, n * sizeof(*s->cfgs));
    if (!s->controls || !s->by_id || !s->cfgs) return oom(l->eb);
    if (rp_json_arr_iter(list, &it) != RP_OK) return oom(l->eb);
    size_t i = 0;
    while (rp_json_arr_next(&it, &el)) {
        if ((e = parse_control(l, el, i, url, &s->controls[i]))) return e;
        s->by_id[i] = &s->controls[i];
        if (s->controls[i].rule)
            s->cfgs[s->ncfgs++] = (struct cfg_ref){s->controls[i].config_name, i};
        i++;
    }
    s->ncontrols = i;
    qsort(s->by_id, i, sizeof(*s->by_id), cmp_ctl_id);
    for (size_t j = 1; j < i; j++)
        if (ci_cmp(s->by_id[j - 1]->id, s->by_id[j]->id) == 0)
            return LFAIL(l, "posture: %s: control '%s' is listed twice", l->path, s->by_id[j]->id);
    qsort(s->cfgs, s->ncfgs, sizeof(*s->cfgs), cmp_cfg_ref);
    return RP_OK;
}

/* The id a standard file must declare: its path without the prefix and ".yaml". */
static void std_id_of_path(const char *path, char *out, size_t n)
{
    const char *p =
        strncmp(path, STD_PREFIX, strlen(STD_PREFIX)) == 0 ? path + strlen(STD_PREFIX) : path;
    size_t len = strlen(p);
    if (len > 5 && strcmp(p + len - 5, ".yaml") == 0) len -= 5;
    snprintf(out, n, "%.*s", (int)len, p);
}

static rp_err parse_standard(struct ld *l, struct rp_json_val root, struct rp_posture_standard *std)
{
    struct rp_posture_standards *s = l->s;
    struct rp_arena *a = &s->arena;
    const char *where = "standard";
    rp_err e;
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return LFAIL(l, "posture: %s: a standard must be a mapping", l->path);
    if ((e = get_text(l, root, "id", where, true, &std->id)) ||
        (e = get_text(l, root, "arn", where, true, &std->arn)) ||
        (e = get_text(l, root, "name", where, true, &std->name)) ||
        (e = get_text(l, root, "description", where, true, &std->description)) ||
        (e = get_text(l, root, "type", where, true, &std->type)) ||
        (e = get_text(l, root, "legacyGeneratorId", where, false, &std->legacy_generator_id)))
        return e;
    char want[256];
    std_id_of_path(l->path, want, sizeof want);
    if (strcmp(want, std->id) != 0)
        return LFAIL(l, "posture: %s: the id '%s' is not the file's name '%s'", l->path, std->id,
                     want);
    size_t al = strlen(std->arn), il = strlen(std->id);
    const char *sep = arn_resource(std->arn);
    if (strncmp(std->arn, "arn:aws:securityhub:", 20) != 0 || al <= il + 1 ||
        strcmp(std->arn + al - il, std->id) != 0 || std->arn[al - il - 1] != '/' || !sep)
        return LFAIL(l, "posture: %s: arn '%s' is not arn:aws:securityhub:..::<kind>/%s", l->path,
                     std->arn, std->id);
    struct rp_json_val v, list, el;
    if (rp_json_obj_get(root, "enabledByDefault", &v) != RP_OK ||
        rp_json_get_bool(v, &std->enabled_by_default) != RP_OK)
        return LFAIL(l, "posture: %s: 'enabledByDefault' must be true or false", l->path);
    if (rp_json_obj_get(root, "controls", &list) != RP_OK || rp_json_type(list) != RP_JSON_ARRAY ||
        rp_json_len(list) == 0)
        return LFAIL(l, "posture: %s: 'controls' must be a non-empty list", l->path);
    size_t n = rp_json_len(list);
    struct rp_posture_std_member *m = rp_arena_zalloc(a, n * sizeof(*m));
    const struct rp_posture_control **ctls = rp_arena_zalloc(a, n * sizeof(*ctls));
    if (!m || !ctls) return oom(l->eb);
    struct rp_json_iter it = {0};
    if (rp_json_arr_iter(list, &it) != RP_OK) return oom(l->eb);
    size_t i = 0, nc = 0;
    while (rp_json_arr_next(&it, &el)) {
        char w[64];
        const char *sec = NULL;
        snprintf(w, sizeof w, "member %zu", i + 1);
        if (rp_json_type(el) != RP_JSON_OBJECT)
            return LFAIL(l, "posture: %s: %s: not a mapping", l->path, w);
        if ((e = get_text(l, el, "control", w, true, &m[i].control_id)) ||
            (e = get_text(l, el, "securityControl", w, true, &sec)) ||
            (e = get_strlist(l, el, "requirements", w, false, &m[i].requirements,
                             &m[i].nrequirements)))
            return e;
        const struct rp_posture_control *c = NULL;
        for (size_t k = 0; k < s->ncontrols && !c; k++)
            if (strcmp(s->controls[k].id, sec) == 0) c = &s->controls[k];
        if (!c)
            return LFAIL(l, "posture: %s: control '%s' maps to '%s', which is not in the catalog",
                         l->path, m[i].control_id, sec);
        m[i].control = c;
        for (size_t k = 0; k < i; k++)
            if (m[k].control == c && strcmp(m[k].control_id, m[i].control_id) == 0)
                return LFAIL(l, "posture: %s: control '%s' -> '%s' is listed twice", l->path,
                             m[i].control_id, sec);
        bool seen = false;
        for (size_t k = 0; k < nc && !seen; k++) seen = ctls[k] == c;
        if (!seen) ctls[nc++] = c;
        i++;
    }
    std->members = m;
    std->nmembers = i;
    std->controls = ctls;
    std->ncontrols = nc;
    return RP_OK;
}

/* Parse one YAML text into a JSON root on l->jp. */
static rp_err yaml_root(struct ld *l, const char *text, size_t len, struct rp_json_val *root)
{
    struct rp_buf j;
    struct rp_errbuf yeb = {0};
    rp_buf_init(&j, MAX_FILE * 4);
    rp_err e = rp_yaml_to_json(text, len, &j, &yeb);
    if (e == RP_OK) e = rp_json_parse_buf(l->jp, &j, root, &yeb);
    rp_buf_release(&j);
    if (e == RP_ENOMEM) return oom(l->eb);
    if (e != RP_OK) return rp_fail(l->eb, e, "posture: %s: %s", l->path, yeb.msg);
    return RP_OK;
}

static bool is_catalog(const char *path)
{
    size_t n = strlen(path), k = strlen(CATALOG_NAME);
    return n >= k && strcmp(path + n - k, CATALOG_NAME) == 0 && (n == k || path[n - k - 1] == '/');
}

rp_err rp_posture_standards_parse(const struct rp_posture_std_src *srcs, size_t n,
                                  struct rp_posture_standards **out, struct rp_errbuf *eb)
{
    *out = NULL;
    size_t cat = n;
    for (size_t i = 0; i < n; i++)
        if (is_catalog(srcs[i].path)) {
            if (cat != n)
                return rp_fail(eb, RP_EPARSE, "posture: two control catalogs ('%s' and '%s')",
                               srcs[cat].path, srcs[i].path);
            cat = i;
        }
    if (cat == n)
        return rp_fail(eb, RP_ENOENT, "posture: no control catalog (%s%s)", STD_PREFIX,
                       CATALOG_NAME);
    struct rp_posture_standards *s = calloc(1, sizeof(*s));
    if (!s) return oom(eb);
    rp_arena_init(&s->arena, 0);
    struct ld l = {s, rp_json_parser_new(), srcs[cat].path, eb};
    rp_err e = l.jp ? RP_OK : oom(eb);
    struct rp_json_val root;
    if (e == RP_OK) e = yaml_root(&l, srcs[cat].text, srcs[cat].len, &root);
    if (e == RP_OK) e = parse_catalog(&l, root);
    if (e == RP_OK && !(s->stds = rp_arena_zalloc(&s->arena, (n ? n : 1) * sizeof(*s->stds))))
        e = oom(eb);
    for (size_t i = 0; i < n && e == RP_OK; i++) {
        if (i == cat) continue;
        l.path = srcs[i].path;
        struct rp_posture_standard *std = &s->stds[s->nstds];
        e = yaml_root(&l, srcs[i].text, srcs[i].len, &root);
        if (e == RP_OK) e = parse_standard(&l, root, std);
        for (size_t k = 0; e == RP_OK && k < s->nstds; k++)
            if (strcmp(s->stds[k].id, std->id) == 0)
                e = LFAIL(&l, "posture: %s: standard '%s' is defined twice", l.path, std->id);
        if (e == RP_OK) std->index = s->nstds++;
    }
    rp_json_parser_free(l.jp);
    if (e != RP_OK) {
        rp_posture_standards_free(s);
        return e;
    }
    *out = s;
    return RP_OK;
}

struct collect {
    struct rp_posture_std_src *v;
    struct rp_buf *bufs;
    size_t n, cap;
    rp_err err;
    struct rp_errbuf *eb;
};

static int collect_one(const struct rp_embed_file *f, void *arg)
{
    struct collect *c = arg;
    size_t l = strlen(f->path);
    if (l < 5 || strcmp(f->path + l - 5, ".yaml") != 0) return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        struct rp_posture_std_src *v = realloc(c->v, cap * sizeof(*v));
        if (v) c->v = v;
        struct rp_buf *b = v ? realloc(c->bufs, cap * sizeof(*b)) : NULL;
        if (!v || !b) {
            c->err = oom(c->eb);
            return 1;
        }
        c->bufs = b;
        c->cap = cap;
    }
    struct rp_buf *b = &c->bufs[c->n];
    rp_buf_init(b, MAX_FILE);
    rp_err e = rp_embed_load(f->path, b, c->eb);
    if (e != RP_OK) {
        rp_buf_release(b);
        c->err = e;
        return 1;
    }
    c->v[c->n] = (struct rp_posture_std_src){f->path, rp_buf_cstr(b), b->len};
    c->n++;
    return 0;
}

rp_err rp_posture_standards_load(struct rp_posture_standards **out, struct rp_errbuf *eb)
{
    struct collect c = {.eb = eb};
    *out = NULL;
    rp_embed_each(STD_PREFIX, collect_one, &c);
    rp_err e = c.err;
    if (e == RP_OK) e = rp_posture_standards_parse(c.v, c.n, out, eb);
    for (size_t i = 0; i < c.n; i++) rp_buf_release(&c.bufs[i]);
    free(c.bufs);
    free(c.v);
    return e;
}

void rp_posture_standards_free(struct rp_posture_standards *s)
{
    if (!s) return;
    rp_arena_release(&s->arena);
    free(s);
}

/* ---- lookups ------------------------------------------------------------------------------ */

size_t rp_posture_standards_count(const struct rp_posture_standards *s)
{
    return s->nstds;
}

const struct rp_posture_standard *rp_posture_standards_at(const struct rp_posture_standards *s,
                                                          size_t i)
{
    return i < s->nstds ? &s->stds[i] : NULL;
}

const struct rp_posture_standard *rp_posture_standards_find(const struct rp_posture_standards *s,
                                                            const char *id_or_arn)
{
    if (!id_or_arn) return NULL;
    bool arn = strncmp(id_or_arn, "arn:", 4) == 0;
    const char *tail = arn ? arn_resource(id_or_arn) : NULL;
    for (size_t i = 0; i < s->nstds; i++) {
        const struct rp_posture_standard *std = &s->stds[i];
        if (!arn && strcmp(std->id, id_or_arn) == 0) return std;
        if (arn && tail && strncmp(id_or_arn, "arn:aws:securityhub:", 20) == 0 &&
            strcmp(arn_resource(std->arn), tail) == 0)
            return std;
    }
    return NULL;
}

size_t rp_posture_controls_count(const struct rp_posture_standards *s)
{
    return s->ncontrols;
}

const struct rp_posture_control *rp_posture_controls_at(const struct rp_posture_standards *s,
                                                        size_t i)
{
    return i < s->ncontrols ? &s->controls[i] : NULL;
}

const struct rp_posture_control *rp_posture_control_find(const struct rp_posture_standards *s,
                                                         const char *id)
{
    size_t lo = 0, hi = s->ncontrols;
    if (!id) return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ci_cmp(s->by_id[mid]->id, id);
        if (c == 0) return s->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool rp_posture_standard_has(const struct rp_posture_standard *std,
                             const struct rp_posture_control *control)
{
    for (size_t i = 0; i < std->ncontrols; i++)
        if (std->controls[i] == control) return true;
    return false;
}

rp_err rp_posture_standard_arn(const struct rp_posture_standard *std, const char *region, char *out,
                               size_t n)
{
    const char *mark = strstr(std->arn, "{region}");
    int w =
        mark ? snprintf(out, n, "%.*s%s%s", (int)(mark - std->arn), std->arn, nz(region), mark + 8)
             : snprintf(out, n, "%s", std->arn);
    if (w < 0 || (size_t)w >= n) {
        if (n) out[0] = '\0';
        return RP_ELIMIT;
    }
    return RP_OK;
}

/* "standards/pci-dss/v/3.2.1", "ruleset/cis-aws-foundations-benchmark/v/1.2.0": the
 * StandardsId of AssociatedStandards, the ARN's resource part. */
static const char *standards_id(const struct rp_posture_standard *std)
{
    return arn_resource(std->arn);
}

/* ---- selection ---------------------------------------------------------------------------- */

struct dis {
    long std; /* standard index, -1 = every standard */
    size_t ctl;
    char *reason;
};

struct rp_posture_std_selection {
    const struct rp_posture_standards *s;
    bool *enabled; /* per standard */
    struct dis *dis;
    size_t ndis, cap;
};

struct rp_posture_std_selection *rp_posture_std_selection_new(const struct rp_posture_standards *s,
                                                              bool defaults)
{
    struct rp_posture_std_selection *sel = calloc(1, sizeof(*sel));
    if (!sel) return NULL;
    sel->s = s;
    sel->enabled = calloc(s->nstds ? s->nstds : 1, sizeof(bool));
    if (!sel->enabled) {
        free(sel);
        return NULL;
    }
    for (size_t i = 0; i < s->nstds; i++)
        sel->enabled[i] = defaults && s->stds[i].enabled_by_default;
    return sel;
}

static void dis_clear(struct rp_posture_std_selection *sel)
{
    for (size_t i = 0; i < sel->ndis; i++) free(sel->dis[i].reason);
    sel->ndis = 0;
}

void rp_posture_std_selection_free(struct rp_posture_std_selection *sel)
{
    if (!sel) return;
    dis_clear(sel);
    free(sel->dis);
    free(sel->enabled);
    free(sel);
}

static rp_err find_std(const struct rp_posture_std_selection *sel, const char *std,
                       const struct rp_posture_standard **out, struct rp_errbuf *eb)
{
    *out = rp_posture_standards_find(sel->s, std);
    if (!*out) return rp_fail(eb, RP_ENOENT, "no standard '%s'", nz(std));
    return RP_OK;
}

rp_err rp_posture_std_selection_enable(struct rp_posture_std_selection *sel, const char *std,
                                       struct rp_errbuf *eb)
{
    const struct rp_posture_standard *p = NULL;
    rp_err e = find_std(sel, std, &p, eb);
    if (e == RP_OK) sel->enabled[p->index] = true;
    return e;
}

rp_err rp_posture_std_selection_disable(struct rp_posture_std_selection *sel, const char *std,
                                        struct rp_errbuf *eb)
{
    const struct rp_posture_standard *p = NULL;
    rp_err e = find_std(sel, std, &p, eb);
    if (e == RP_OK) sel->enabled[p->index] = false;
    return e;
}

bool rp_posture_std_selection_enabled(const struct rp_posture_std_selection *sel,
                                      const struct rp_posture_standard *std)
{
    return std && std->index < sel->s->nstds && sel->enabled[std->index];
}

static struct dis *dis_find(const struct rp_posture_std_selection *sel, long std, size_t ctl)
{
    for (size_t i = 0; i < sel->ndis; i++)
        if (sel->dis[i].std == std && sel->dis[i].ctl == ctl) return &sel->dis[i];
    return NULL;
}

static void dis_remove(struct rp_posture_std_selection *sel, struct dis *d)
{
    size_t i = (size_t)(d - sel->dis);
    free(d->reason);
    memmove(d, d + 1, (sel->ndis - i - 1) * sizeof(*d));
    sel->ndis--;
}

static rp_err dis_set(struct rp_posture_std_selection *sel, long std, size_t ctl,
                      const char *reason, struct rp_errbuf *eb)
{
    char *r = xstrdup(nz(reason));
    if (!r) return oom(eb);
    struct dis *d = dis_find(sel, std, ctl);
    if (d) {
        free(d->reason);
        d->reason = r;
        return RP_OK;
    }
    if (sel->ndis == sel->cap) {
        size_t cap = sel->cap ? sel->cap * 2 : 16;
        struct dis *v = realloc(sel->dis, cap * sizeof(*v));
        if (!v) {
            free(r);
            return oom(eb);
        }
        sel->dis = v;
        sel->cap = cap;
    }
    sel->dis[sel->ndis++] = (struct dis){std, ctl, r};
    return RP_OK;
}

/* The security controls control names in std: its security control id (any case) when std
 * has it, else every member whose own id is control. Writes up to max indexes. */
static size_t resolve_in(const struct rp_posture_std_selection *sel,
                         const struct rp_posture_standard *std, const char *control, size_t *out,
                         size_t max)
{
    const struct rp_posture_control *c = rp_posture_control_find(sel->s, control);
    size_t n = 0;
    if (c && rp_posture_standard_has(std, c)) {
        out[0] = c->index;
        return 1;
    }
    for (size_t i = 0; i < std->nmembers && n < max; i++)
        if (strcmp(std->members[i].control_id, control) == 0) {
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++) dup = out[k] == std->members[i].control->index;
            if (!dup) out[n++] = std->members[i].control->index;
        }
    return n;
}

#define MAX_RESOLVE 8

/* What (std, control) names: *std_out (-1 = every standard) and the controls. */
static rp_err resolve(const struct rp_posture_std_selection *sel, const char *std,
                      const char *control, long *std_out, size_t *ctls, size_t *nctls,
                      struct rp_errbuf *eb)
{
    const struct rp_posture_standards *s = sel->s;
    if (!control || !*control) return rp_fail(eb, RP_EINVAL, "no control given");
    if (std) {
        const struct rp_posture_standard *p = NULL;
        rp_err e = find_std(sel, std, &p, eb);
        if (e != RP_OK) return e;
        *std_out = (long)p->index;
        *nctls = resolve_in(sel, p, control, ctls, MAX_RESOLVE);
        if (*nctls == 0) {
            if (rp_posture_control_find(s, control))
                return rp_fail(eb, RP_EINVAL, "control '%s' is not in standard '%s'", control,
                               p->id);
            return rp_fail(eb, RP_ENOENT, "no control '%s' in standard '%s'", control, p->id);
        }
        return RP_OK;
    }
    const struct rp_posture_control *c = rp_posture_control_find(s, control);
    if (c) {
        *std_out = -1;
        ctls[0] = c->index;
        *nctls = 1;
        return RP_OK;
    }
    long found = -1;
    char names[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < s->nstds; i++) {
        size_t k = resolve_in(sel, &s->stds[i], control, ctls, MAX_RESOLVE);
        if (k == 0) continue;
        int w =
            snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", s->stds[i].id);
        if (w > 0 && (size_t)w < sizeof names - used) used += (size_t)w;
        if (found >= 0) {
            /* keep listing, then refuse */
            found = -2;
            continue;
        }
        if (found == -1) {
            found = (long)i;
            *nctls = k;
        }
    }
    if (found == -1) return rp_fail(eb, RP_ENOENT, "no control '%s'", control);
    if (found == -2)
        return rp_fail(eb, RP_EINVAL,
                       "control '%s' is in several standards (%s); name the standard", control,
                       names);
    *std_out = found;
    *nctls = resolve_in(sel, &s->stds[found], control, ctls, MAX_RESOLVE);
    return RP_OK;
}

rp_err rp_posture_std_selection_disable_control(struct rp_posture_std_selection *sel,
                                                const char *std, const char *control,
                                                const char *reason, struct rp_errbuf *eb)
{
    long sidx = -1;
    size_t ctls[MAX_RESOLVE], n = 0;
    rp_err e = resolve(sel, std, control, &sidx, ctls, &n, eb);
    for (size_t i = 0; i < n && e == RP_OK; i++) e = dis_set(sel, sidx, ctls[i], reason, eb);
    return e;
}

rp_err rp_posture_std_selection_enable_control(struct rp_posture_std_selection *sel,
                                               const char *std, const char *control,
                                               struct rp_errbuf *eb)
{
    long sidx = -1;
    size_t ctls[MAX_RESOLVE], n = 0;
    rp_err e = resolve(sel, std, control, &sidx, ctls, &n, eb);
    for (size_t i = 0; i < n && e == RP_OK; i++) {
        size_t ctl = ctls[i];
        if (sidx < 0) {
            /* every standard: forget every disable of the control */
            for (size_t k = sel->ndis; k-- > 0;)
                if (sel->dis[k].ctl == ctl) dis_remove(sel, &sel->dis[k]);
            continue;
        }
        struct dis *d = dis_find(sel, sidx, ctl);
        if (d) dis_remove(sel, d);
        struct dis *all = dis_find(sel, -1, ctl);
        if (!all) continue;
        /* disabled everywhere: keep it disabled in the other standards that have it */
        char *reason = xstrdup(all->reason);
        if (!reason) return oom(eb);
        dis_remove(sel, all);
        for (size_t k = 0; k < sel->s->nstds && e == RP_OK; k++)
            if ((long)k != sidx &&
                rp_posture_standard_has(&sel->s->stds[k], &sel->s->controls[ctl]))
                e = dis_set(sel, (long)k, ctl, reason, eb);
        free(reason);
    }
    return e;
}

bool rp_posture_std_selection_control_disabled(const struct rp_posture_std_selection *sel,
                                               const struct rp_posture_standard *std,
                                               const struct rp_posture_control *control,
                                               const char **reason)
{
    const struct dis *d = dis_find(sel, (long)std->index, control->index);
    if (!d) d = dis_find(sel, -1, control->index);
    if (reason) *reason = d ? d->reason : NULL;
    return d != NULL;
}

bool rp_posture_std_selection_control_enabled(const struct rp_posture_std_selection *sel,
                                              const struct rp_posture_standard *std,
                                              const struct rp_posture_control *control)
{
    return rp_posture_std_selection_enabled(sel, std) && rp_posture_standard_has(std, control) &&
           !rp_posture_std_selection_control_disabled(sel, std, control, NULL);
}

static int cmp_dis(const void *a, const void *b)
{
    const struct dis *x = a, *y = b;
    if (x->std != y->std) return x->std < y->std ? -1 : 1;
    return x->ctl < y->ctl ? -1 : x->ctl > y->ctl;
}

rp_err rp_posture_std_selection_to_json(const struct rp_posture_std_selection *sel,
                                        struct rp_buf *out)
{
    const struct rp_posture_standards *s = sel->s;
    struct dis *v = malloc((sel->ndis ? sel->ndis : 1) * sizeof(*v));
    if (!v) return RP_ENOMEM;
    if (sel->ndis) memcpy(v, sel->dis, sel->ndis * sizeof(*v));
    qsort(v, sel->ndis, sizeof(*v), cmp_dis);
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "enabled", 7);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < s->nstds; i++)
        if (sel->enabled[i]) rp_json_write_cstr(&w, s->stds[i].id);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "disabled", 8);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < sel->ndis; i++) {
        rp_json_write_obj_begin(&w);
        if (v[i].std < 0)
            rp_json_write_kv_null(&w, "standard");
        else
            rp_json_write_kv_cstr(&w, "standard", s->stds[v[i].std].id);
        rp_json_write_kv_cstr(&w, "control", s->controls[v[i].ctl].id);
        rp_json_write_kv_cstr(&w, "reason", v[i].reason);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    free(v);
    return rp_json_writer_finish(&w);
}

rp_err rp_posture_std_selection_from_json(struct rp_posture_std_selection *sel, const char *json,
                                          size_t n, struct rp_errbuf *eb)
{
    const struct rp_posture_standards *s = sel->s;
    struct rp_posture_std_selection *tmp = rp_posture_std_selection_new(s, false);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root, arr, el;
    struct rp_json_iter it = {0};
    rp_err e = tmp && jp ? RP_OK : oom(eb);
    if (e == RP_OK) e = rp_json_parse(jp, json, n, &root, eb);
    if (e == RP_OK && rp_json_type(root) != RP_JSON_OBJECT)
        e = rp_fail(eb, RP_EPARSE, "standards selection: not a JSON object");
    bool has_en = e == RP_OK && rp_json_obj_get(root, "enabled", &arr) == RP_OK;
    if (has_en && rp_json_arr_iter(arr, &it) != RP_OK)
        e = rp_fail(eb, RP_EPARSE, "standards selection: 'enabled' must be a list");
    while (has_en && e == RP_OK && rp_json_arr_next(&it, &el)) {
        struct rp_str id;
        if (rp_json_get_str(el, &id) != RP_OK)
            e = rp_fail(eb, RP_EPARSE, "standards selection: 'enabled' must hold standard ids");
        else
            e = rp_posture_std_selection_enable(tmp, id.p, eb);
    }
    bool has_dis = e == RP_OK && rp_json_obj_get(root, "disabled", &arr) == RP_OK;
    if (has_dis && rp_json_arr_iter(arr, &it) != RP_OK)
        e = rp_fail(eb, RP_EPARSE, "standards selection: 'disabled' must be a list");
    while (has_dis && e == RP_OK && rp_json_arr_next(&it, &el)) {
        struct rp_str ctl = {0}, std = {0}, reason = {0};
        if (rp_json_obj_get_str(el, "control", &ctl) != RP_OK) {
            e = rp_fail(eb, RP_EPARSE, "standards selection: a disabled entry needs 'control'");
            break;
        }
        bool has_std = rp_json_obj_get_str(el, "standard", &std) == RP_OK;
        if (rp_json_obj_get_str(el, "reason", &reason) != RP_OK) reason.p = "";
        e = rp_posture_std_selection_disable_control(tmp, has_std ? std.p : NULL, ctl.p, reason.p,
                                                     eb);
    }
    rp_json_parser_free(jp);
    if (e == RP_OK) {
        /* swap the state in */
        dis_clear(sel);
        free(sel->dis);
        memcpy(sel->enabled, tmp->enabled, (s->nstds ? s->nstds : 1) * sizeof(bool));
        sel->dis = tmp->dis;
        sel->ndis = tmp->ndis;
        sel->cap = tmp->cap;
        tmp->dis = NULL;
        tmp->ndis = tmp->cap = 0;
    }
    rp_posture_std_selection_free(tmp);
    return e;
}

/* ---- rule configurations ------------------------------------------------------------------ */

/* Enabled in at least one enabled standard. */
static bool control_active(const struct rp_posture_std_selection *sel,
                           const struct rp_posture_control *c)
{
    for (size_t i = 0; i < sel->s->nstds; i++)
        if (rp_posture_std_selection_control_enabled(sel, &sel->s->stds[i], c)) return true;
    return false;
}

rp_err rp_posture_std_configs(const struct rp_posture_standards *s,
                              const struct rp_posture_std_selection *sel, struct rp_arena *a,
                              struct rp_posture_std_config **out, size_t *n, struct rp_errbuf *eb)
{
    struct rp_posture_std_config *v = rp_arena_zalloc(a, (s->ncfgs ? s->ncfgs : 1) * sizeof(*v));
    const struct rp_posture_control **ctls =
        rp_arena_zalloc(a, (s->ncfgs ? s->ncfgs : 1) * sizeof(*ctls));
    if (!v || !ctls) return oom(eb);
    size_t nv = 0, nc = 0;
    /* s->cfgs is sorted by name, so equal configurations are adjacent */
    for (size_t i = 0; i < s->ncfgs; i++) {
        const struct rp_posture_control *c = &s->controls[s->cfgs[i].ctl];
        if (!control_active(sel, c)) continue;
        if (nv && strcmp(v[nv - 1].name, c->config_name) == 0) {
            ctls[nc++] = c;
            v[nv - 1].ncontrols++;
            continue;
        }
        v[nv++] = (struct rp_posture_std_config){c->config_name, c->rule,    c->rule_name,
                                                 c->params,      c->nparams, c->resource_types,
                                                 c->ntypes,      &ctls[nc],  1};
        ctls[nc++] = c;
    }
    *out = v;
    *n = nv;
    return RP_OK;
}

/* ---- evaluations -> per-resource results ------------------------------------------------- */

/* One (control, evaluation) pair; after sorting, the last pair of each (control, account,
 * region, type, id) run is the resource's result. */
struct pair {
    size_t ctl;
    size_t idx;
    const struct rp_posture_std_eval *e;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->ctl != y->ctl) return x->ctl < y->ctl ? -1 : 1;
    int c = strcmp(nz(x->e->account), nz(y->e->account));
    if (!c) c = strcmp(nz(x->e->region), nz(y->e->region));
    if (!c) c = strcmp(nz(x->e->resource_type), nz(y->e->resource_type));
    if (!c) c = strcmp(nz(x->e->resource_id), nz(y->e->resource_id));
    if (c) return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool same_key(const struct pair *x, const struct pair *y)
{
    return x->ctl == y->ctl && strcmp(nz(x->e->account), nz(y->e->account)) == 0 &&
           strcmp(nz(x->e->region), nz(y->e->region)) == 0 &&
           strcmp(nz(x->e->resource_type), nz(y->e->resource_type)) == 0 &&
           strcmp(nz(x->e->resource_id), nz(y->e->resource_id)) == 0;
}

static bool in_scope(const struct rp_posture_std_eval *e, const struct rp_posture_std_scope *sc)
{
    if (!sc) return true;
    if (sc->account && strcmp(sc->account, nz(e->account)) != 0) return false;
    if (sc->region && strcmp(sc->region, nz(e->region)) != 0) return false;
    return true;
}

/* The final pairs (one per control and resource), sorted; *active[i] whether control i is
 * enabled in some enabled standard. Arrays are malloc'd. */
static rp_err final_pairs(const struct rp_posture_standards *s,
                          const struct rp_posture_std_selection *sel,
                          const struct rp_posture_std_eval *evals, size_t n,
                          const struct rp_posture_std_scope *scope, struct pair **out, size_t *nout,
                          bool **active_out, size_t *used, struct rp_errbuf *eb)
{
    bool *active = calloc(s->ncontrols ? s->ncontrols : 1, sizeof(bool));
    struct pair *v = NULL;
    size_t nv = 0, cap = 0;
    *out = NULL;
    *nout = 0;
    *active_out = NULL;
    if (!active) return oom(eb);
    for (size_t i = 0; i < s->ncontrols; i++) active[i] = control_active(sel, &s->controls[i]);
    size_t matched = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rp_posture_std_eval *e = &evals[i];
        if (!e->config_name || !in_scope(e, scope)) continue;
        size_t lo = 0, hi = s->ncfgs;
        while (lo < hi) { /* first entry with this name */
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(s->cfgs[mid].name, e->config_name) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        bool any = false;
        for (size_t k = lo; k < s->ncfgs && strcmp(s->cfgs[k].name, e->config_name) == 0; k++) {
            if (!active[s->cfgs[k].ctl]) continue;
            if (nv == cap) {
                size_t nc = cap ? cap * 2 : 64;
                struct pair *nvv = realloc(v, nc * sizeof(*nvv));
                if (!nvv) {
                    free(v);
                    free(active);
                    return oom(eb);
                }
                v = nvv;
                cap = nc;
            }
            v[nv++] = (struct pair){s->cfgs[k].ctl, i, e};
            any = true;
        }
        matched += any;
    }
    if (nv) qsort(v, nv, sizeof(*v), cmp_pair);
    size_t w = 0;
    for (size_t i = 0; i < nv; i++) {
        if (i + 1 < nv && same_key(&v[i], &v[i + 1])) continue; /* a later one wins */
        v[w++] = v[i];
    }
    *out = v;
    *nout = w;
    *active_out = active;
    if (used) *used = matched;
    return RP_OK;
}

/* ---- report ------------------------------------------------------------------------------- */

static const char *const status_names[RP_PCS_COUNT] = {"PASSED", "FAILED", "UNKNOWN", "NO_DATA",
                                                       "DISABLED"};

const char *rp_posture_ctl_status_name(enum rp_posture_ctl_status st)
{
    return (unsigned)st < RP_PCS_COUNT ? status_names[st] : "?";
}

int rp_posture_std_score_pct(const struct rp_posture_std_result *r)
{
    if (!r->score_total) return -1;
    return (int)((200 * r->score_passed + r->score_total) / (2 * r->score_total));
}

struct counts {
    size_t passed, failed, warning, suppressed;
};

static enum rp_posture_ctl_status status_of(const struct counts *c)
{
    if (c->failed) return RP_PCS_FAILED;
    if (c->warning) return RP_PCS_UNKNOWN;
    if (c->passed) return RP_PCS_PASSED;
    return RP_PCS_NO_DATA;
}

static void tally(struct rp_posture_std_result *r)
{
    memset(r->by_status, 0, sizeof(r->by_status));
    for (size_t i = 0; i < r->ncontrols; i++) r->by_status[r->controls[i].status]++;
    r->score_passed = r->by_status[RP_PCS_PASSED];
    r->score_total =
        r->by_status[RP_PCS_PASSED] + r->by_status[RP_PCS_FAILED] + r->by_status[RP_PCS_UNKNOWN];
}

static void fill_result(struct rp_posture_ctl_result *cr, const struct rp_posture_control *c,
                        const struct counts *k)
{
    cr->control = c;
    cr->passed = k->passed;
    cr->failed = k->failed;
    cr->warning = k->warning;
    cr->suppressed = k->suppressed;
    cr->status = status_of(k);
}

/* The standard's own ids for control, ", "-joined, in the arena. */
static const char *member_ids(struct rp_arena *a, const struct rp_posture_standard *std,
                              const struct rp_posture_control *c)
{
    size_t len = 0;
    for (size_t i = 0; i < std->nmembers; i++)
        if (std->members[i].control == c) len += strlen(std->members[i].control_id) + 2;
    char *buf = rp_arena_alloc(a, len + 1);
    if (!buf) return NULL;
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < std->nmembers; i++)
        if (std->members[i].control == c) {
            int w = snprintf(buf + used, len + 1 - used, "%s%s", used ? ", " : "",
                             std->members[i].control_id);
            if (w > 0) used += (size_t)w;
        }
    return buf;
}

rp_err rp_posture_std_report_build(const struct rp_posture_standards *s,
                                   const struct rp_posture_std_selection *sel,
                                   const struct rp_posture_std_eval *evals, size_t n,
                                   const struct rp_posture_std_scope *scope,
                                   struct rp_posture_std_report **out, struct rp_errbuf *eb)
{
    struct pair *pairs = NULL;
    bool *active = NULL;
    size_t np = 0, used = 0;
    *out = NULL;
    rp_err e = final_pairs(s, sel, evals, n, scope, &pairs, &np, &active, &used, eb);
    if (e != RP_OK) return e;
    struct counts *k = calloc(s->ncontrols ? s->ncontrols : 1, sizeof(*k));
    struct rp_posture_std_report *r = calloc(1, sizeof(*r));
    if (!k || !r) {
        e = oom(eb);
        goto done;
    }
    rp_arena_init(&r->arena, 0);
    r->evaluations_used = used;
    for (size_t i = 0; i < np; i++) {
        struct counts *c = &k[pairs[i].ctl];
        const struct rp_posture_std_eval *ev = pairs[i].e;
        if (ev->compliance == RP_PC_NOT_APPLICABLE) continue; /* archived, no active finding */
        if (ev->suppressed) {
            c->suppressed++;
            continue;
        }
        switch (ev->compliance) {
        case RP_PC_COMPLIANT:
            c->passed++;
            break;
        case RP_PC_NON_COMPLIANT:
            c->failed++;
            break;
        case RP_PC_INSUFFICIENT_DATA:
            c->warning++;
            break;
        default:
            break;
        }
    }
    size_t nen = 0;
    for (size_t i = 0; i < s->nstds; i++) nen += sel->enabled[i];
    r->standards = rp_arena_zalloc(&r->arena, (nen ? nen : 1) * sizeof(*r->standards));
    if (!r->standards) {
        e = oom(eb);
        goto done;
    }
    bool *in_enabled = calloc(s->ncontrols ? s->ncontrols : 1, sizeof(bool));
    if (!in_enabled) {
        e = oom(eb);
        goto done;
    }
    for (size_t i = 0; i < s->nstds && e == RP_OK; i++) {
        const struct rp_posture_standard *std = &s->stds[i];
        if (!sel->enabled[i]) continue;
        struct rp_posture_std_result *sr = &r->standards[r->nstandards++];
        sr->standard = std;
        sr->controls = rp_arena_zalloc(&r->arena, std->ncontrols * sizeof(*sr->controls));
        if (!sr->controls) {
            e = oom(eb);
            break;
        }
        sr->ncontrols = std->ncontrols;
        for (size_t j = 0; j < std->ncontrols; j++) {
            const struct rp_posture_control *c = std->controls[j];
            struct rp_posture_ctl_result *cr = &sr->controls[j];
            const char *reason = NULL;
            in_enabled[c->index] = true;
            fill_result(cr, c, &k[c->index]);
            if (rp_posture_std_selection_control_disabled(sel, std, c, &reason)) {
                cr->status = RP_PCS_DISABLED;
                cr->disabled_reason = reason ? rp_arena_strdup(&r->arena, reason) : NULL;
                if (reason && !cr->disabled_reason) e = oom(eb);
            }
            if (e == RP_OK && !(cr->control_ids = member_ids(&r->arena, std, c))) e = oom(eb);
        }
        tally(sr);
    }
    size_t no = 0;
    for (size_t i = 0; i < s->ncontrols; i++) no += in_enabled[i];
    r->overall.controls = rp_arena_zalloc(&r->arena, (no ? no : 1) * sizeof(*r->overall.controls));
    if (e == RP_OK && !r->overall.controls) e = oom(eb);
    for (size_t i = 0; i < s->ncontrols && e == RP_OK; i++) {
        if (!in_enabled[i]) continue;
        struct rp_posture_ctl_result *cr = &r->overall.controls[r->overall.ncontrols++];
        fill_result(cr, &s->controls[i], &k[i]);
        cr->control_ids = s->controls[i].id;
        if (!active[i]) {
            /* disabled in every enabled standard that has it: the first reason */
            cr->status = RP_PCS_DISABLED;
            for (size_t j = 0; j < s->nstds && !cr->disabled_reason; j++) {
                const char *reason = NULL;
                if (sel->enabled[j] && rp_posture_standard_has(&s->stds[j], &s->controls[i]) &&
                    rp_posture_std_selection_control_disabled(sel, &s->stds[j], &s->controls[i],
                                                              &reason) &&
                    reason && !(cr->disabled_reason = rp_arena_strdup(&r->arena, reason)))
                    e = oom(eb);
            }
        }
    }
    tally(&r->overall);
    free(in_enabled);
done:
    free(pairs);
    free(active);
    free(k);
    if (e != RP_OK) {
        rp_posture_std_report_free(r);
        return e;
    }
    *out = r;
    return RP_OK;
}

void rp_posture_std_report_free(struct rp_posture_std_report *r)
{
    if (!r) return;
    rp_arena_release(&r->arena);
    free(r);
}

static void write_summary(struct rp_json_writer *w, const struct rp_posture_std_result *r)
{
    int pct = rp_posture_std_score_pct(r);
    if (pct < 0)
        rp_json_write_kv_null(w, "Score");
    else
        rp_json_write_kv_int(w, "Score", pct);
    rp_json_write_kv_uint(w, "ControlsPassed", r->by_status[RP_PCS_PASSED]);
    rp_json_write_kv_uint(w, "ControlsFailed", r->by_status[RP_PCS_FAILED]);
    rp_json_write_kv_uint(w, "ControlsUnknown", r->by_status[RP_PCS_UNKNOWN]);
    rp_json_write_kv_uint(w, "ControlsNoData", r->by_status[RP_PCS_NO_DATA]);
    rp_json_write_kv_uint(w, "ControlsDisabled", r->by_status[RP_PCS_DISABLED]);
}

static void write_controls(struct rp_json_writer *w, const struct rp_posture_std_result *r)
{
    rp_json_write_key(w, "Controls", 8);
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < r->ncontrols; i++) {
        const struct rp_posture_ctl_result *c = &r->controls[i];
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "SecurityControlId", c->control->id);
        if (r->standard) rp_json_write_kv_cstr(w, "StandardsControlIds", c->control_ids);
        rp_json_write_kv_cstr(w, "Title", c->control->title);
        rp_json_write_kv_cstr(w, "SeverityRating", c->control->severity);
        rp_json_write_kv_cstr(w, "ControlStatus", rp_posture_ctl_status_name(c->status));
        if (c->status == RP_PCS_DISABLED)
            rp_json_write_kv_cstr(w, "DisabledReason", nz(c->disabled_reason));
        rp_json_write_key(w, "Findings", 8);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_uint(w, "Passed", c->passed);
        rp_json_write_kv_uint(w, "Failed", c->failed);
        rp_json_write_kv_uint(w, "Warning", c->warning);
        rp_json_write_kv_uint(w, "Suppressed", c->suppressed);
        rp_json_write_obj_end(w);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

rp_err rp_posture_std_report_json(const struct rp_posture_std_report *r, const char *region,
                                  struct rp_buf *out)
{
    struct rp_json_writer w;
    char arn[512];
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Standards", 9);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < r->nstandards; i++) {
        const struct rp_posture_std_result *sr = &r->standards[i];
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "StandardsId", sr->standard->id);
        if (rp_posture_standard_arn(sr->standard, region ? region : "us-east-1", arn, sizeof arn) !=
            RP_OK)
            return RP_ELIMIT;
        rp_json_write_kv_cstr(&w, "StandardsArn", arn);
        rp_json_write_kv_cstr(&w, "Name", sr->standard->name);
        write_summary(&w, sr);
        write_controls(&w, sr);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "Overall", 7);
    rp_json_write_obj_begin(&w);
    write_summary(&w, &r->overall);
    write_controls(&w, &r->overall);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    return rp_json_writer_finish(&w);
}

/* ---- findings ----------------------------------------------------------------------------- */

/* The service part of AWS::<service>::<type> where ASFF's name is not the rule's result. */
static const struct {
    const char *config, *asff;
} asff_services[] = {
    {"ACM", "CertificateManager"},
    {"ElasticLoadBalancing", "Elb"},
    {"ElasticLoadBalancingV2", "Elbv2"},
    {"OpenSearch", "OpenSearchService"},
    {"WAFv2", "Wafv2"},
};

/* A run of capitals keeps its first letter and lowers the rest, except the last one when a
 * lower-case letter follows (it starts the next word): EC2 -> Ec2, DBInstance -> DbInstance,
 * WebACL -> WebAcl, DynamoDB -> DynamoDb. */
static size_t pascal(const char *p, size_t len, char *out, size_t n, size_t at)
{
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];
        bool up = ch >= 'A' && ch <= 'Z';
        bool prev_up = i > 0 && p[i - 1] >= 'A' && p[i - 1] <= 'Z';
        bool next_low = i + 1 < len && p[i + 1] >= 'a' && p[i + 1] <= 'z';
        if (up && prev_up && !next_low) ch = (char)(ch + 32);
        if (at + 1 < n) out[at++] = ch;
    }
    if (n) out[at < n ? at : n - 1] = '\0';
    return at;
}

const char *rp_posture_std_asff_type(const char *config_type, char *out, size_t n)
{
    if (!n) return "Other";
    if (!config_type || strcmp(config_type, "AWS::::Account") == 0) {
        rp_strlcpy(out, config_type ? "AwsAccount" : "Other", n);
        return out;
    }
    const char *svc = config_type + 5, *sep = strstr(svc, "::");
    if (strncmp(config_type, "AWS::", 5) != 0 || !sep || sep == svc || !sep[2] ||
        strstr(sep + 2, "::")) {
        rp_strlcpy(out, "Other", n);
        return out;
    }
    size_t at = 0, slen = (size_t)(sep - svc);
    rp_strlcpy(out, "Aws", n);
    at = strlen(out);
    bool special = false;
    for (size_t i = 0; i < RP_ARRAY_LEN(asff_services) && !special; i++)
        if (strlen(asff_services[i].config) == slen &&
            memcmp(asff_services[i].config, svc, slen) == 0) {
            at = pascal(asff_services[i].asff, strlen(asff_services[i].asff), out, n, at);
            special = true;
        }
    if (!special) at = pascal(svc, slen, out, n, at);
    pascal(sep + 2, strlen(sep + 2), out, n, at);
    return out;
}

static const char *partition_of(const char *region)
{
    if (strncmp(region, "cn-", 3) == 0) return "aws-cn";
    if (strncmp(region, "us-gov-", 7) == 0) return "aws-us-gov";
    return "aws";
}

/* EC2 resource types whose ARN is ec2:<region>:<account>:<kind>/<id>. */
static const struct {
    const char *type, *kind;
} ec2_kinds[] = {
    {"AWS::EC2::Instance", "instance"},
    {"AWS::EC2::LaunchTemplate", "launch-template"},
    {"AWS::EC2::NetworkAcl", "network-acl"},
    {"AWS::EC2::SecurityGroup", "security-group"},
    {"AWS::EC2::Subnet", "subnet"},
    {"AWS::EC2::TransitGateway", "transit-gateway"},
    {"AWS::EC2::VPC", "vpc"},
    {"AWS::EC2::VPNConnection", "vpn-connection"},
    {"AWS::EC2::Volume", "volume"},
};

/* The resource's Resources[].Id: its ARN, else one built from the id where the id determines
 * it, else the id. */
static const char *resource_arn(const struct rp_posture_std_eval *e, char *buf, size_t n)
{
    const char *id = nz(e->resource_id), *type = nz(e->resource_type);
    const char *part = partition_of(nz(e->region));
    if (e->resource_arn && *e->resource_arn) return e->resource_arn;
    if (strncmp(id, "arn:", 4) == 0) return id;
    if (strcmp(type, "AWS::::Account") == 0) {
        snprintf(buf, n, "AWS::::Account:%s", *id ? id : nz(e->account));
        return buf;
    }
    if (strcmp(type, "AWS::S3::Bucket") == 0) {
        snprintf(buf, n, "arn:%s:s3:::%s", part, id);
        return buf;
    }
    for (size_t i = 0; i < RP_ARRAY_LEN(ec2_kinds); i++)
        if (strcmp(type, ec2_kinds[i].type) == 0) {
            snprintf(buf, n, "arn:%s:ec2:%s:%s:%s/%s", part, nz(e->region), nz(e->account),
                     ec2_kinds[i].kind, id);
            return buf;
        }
    return id;
}

/* 8-4-4-4-12 lower-case hex of XXH3-128 (seed 0) over "<control>\n<account>\n<region>\n
 * <type>\n<id>\n". */
static rp_err finding_uuid(const struct rp_posture_control *c, const struct rp_posture_std_eval *e,
                           char out[37])
{
    const char *parts[] = {c->id, nz(e->account), nz(e->region), nz(e->resource_type),
                           nz(e->resource_id)};
    struct rp_hash_xxh3 *st = rp_hash_xxh3_new(0);
    if (!st) return RP_ENOMEM;
    for (size_t i = 0; i < RP_ARRAY_LEN(parts); i++) {
        rp_hash_xxh3_update(st, parts[i], strlen(parts[i]));
        rp_hash_xxh3_update(st, "\n", 1);
    }
    struct rp_hash128 h = rp_hash_xxh3_digest128(st);
    rp_hash_xxh3_free(st);
    char hex[33];
    snprintf(hex, sizeof hex, "%016llx%016llx", (unsigned long long)h.hi, (unsigned long long)h.lo);
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    return RP_OK;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0) return true;
    return false;
}

#define MAX_REQS 64

static rp_err write_finding(struct rp_buf *out, const struct rp_posture_standards *s,
                            const struct rp_posture_std_selection *sel,
                            const struct rp_posture_control *c, const struct rp_posture_std_eval *e,
                            int64_t now_ms)
{
    char ts[RP_TIME_ISO_BUFSZ], uuid[37], asff[96], arnbuf[1024];
    const char *region = nz(e->region), *account = nz(e->account);
    const char *annotation = nz(e->annotation);
    rp_err err = rp_time_format_iso(now_ms, ts, sizeof ts);
    if (err == RP_OK) err = finding_uuid(c, e, uuid);
    if (err != RP_OK) return err;
    const char *status = "NOT_AVAILABLE", *reason_code = NULL, *reason_text = NULL;
    switch (e->compliance) {
    case RP_PC_COMPLIANT:
        status = "PASSED";
        break;
    case RP_PC_NON_COMPLIANT:
        status = "FAILED";
        break;
    case RP_PC_INSUFFICIENT_DATA:
        status = "WARNING";
        reason_code = "CONFIG_EVALUATIONS_EMPTY";
        reason_text = "AWS Config returned INSUFFICIENT_DATA for the resource";
        break;
    case RP_PC_NOT_APPLICABLE:
        reason_code = "CONFIG_RETURNS_NOT_APPLICABLE";
        reason_text = "AWS Config returned NOT_APPLICABLE for the resource";
        break;
    }
    if (*annotation) reason_text = annotation;
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "SchemaVersion", "2018-10-08");
    char idbuf[512];
    snprintf(idbuf, sizeof idbuf, "arn:aws:securityhub:%s:%s:security-control/%s/finding/%s",
             region, account, c->id, uuid);
    rp_json_write_kv_cstr(&w, "Id", idbuf);
    char product[128];
    snprintf(product, sizeof product, "arn:aws:securityhub:%s::product/aws/securityhub", region);
    rp_json_write_kv_cstr(&w, "ProductArn", product);
    rp_json_write_kv_cstr(&w, "ProductName", "Security Hub");
    rp_json_write_kv_cstr(&w, "CompanyName", "AWS");
    rp_json_write_kv_cstr(&w, "Region", region);
    char gen[96];
    snprintf(gen, sizeof gen, "security-control/%s", c->id);
    rp_json_write_kv_cstr(&w, "GeneratorId", gen);
    rp_json_write_kv_cstr(&w, "AwsAccountId", account);
    /* Types: one per family of the associated standards */
    rp_json_write_key(&w, "Types", 5);
    rp_json_write_arr_begin(&w);
    const char *types[16];
    size_t ntypes = 0;
    for (size_t i = 0; i < s->nstds; i++) {
        const struct rp_posture_standard *std = &s->stds[i];
        if (!rp_posture_std_selection_control_enabled(sel, std, c)) continue;
        if (ntypes < RP_ARRAY_LEN(types) && !in_list(types, ntypes, std->type)) {
            types[ntypes++] = std->type;
            rp_json_write_cstr(&w, std->type);
        }
    }
    rp_json_write_arr_end(&w);
    rp_json_write_kv_cstr(&w, "FirstObservedAt", ts);
    rp_json_write_kv_cstr(&w, "LastObservedAt", ts);
    rp_json_write_kv_cstr(&w, "CreatedAt", ts);
    rp_json_write_kv_cstr(&w, "UpdatedAt", ts);
    rp_json_write_key(&w, "Severity", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Label", c->severity);
    rp_json_write_kv_cstr(&w, "Original", c->severity);
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "Title", c->title);
    rp_json_write_kv_cstr(&w, "Description", c->description);
    rp_json_write_key(&w, "Remediation", 11);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Recommendation", 14);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Text",
                          "For information on how to correct this issue, consult the AWS "
                          "Security Hub controls documentation.");
    rp_json_write_kv_cstr(&w, "Url", c->remediation_url);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    const char *rid = resource_arn(e, arnbuf, sizeof arnbuf);
    rp_json_write_key(&w, "ProductFields", 13);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "RelatedAWSResources:0/name", nz(c->config_name));
    rp_json_write_kv_cstr(&w, "RelatedAWSResources:0/type", "AWS::Config::ConfigRule");
    rp_json_write_kv_cstr(&w, "aws/securityhub/ProductName", "Security Hub");
    rp_json_write_kv_cstr(&w, "aws/securityhub/CompanyName", "AWS");
    if (*annotation) rp_json_write_kv_cstr(&w, "aws/securityhub/annotation", annotation);
    rp_json_write_kv_cstr(&w, "Resources:0/Id", rid);
    char fid[640];
    snprintf(fid, sizeof fid, "%s/%s", product, idbuf);
    rp_json_write_kv_cstr(&w, "aws/securityhub/FindingId", fid);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "Resources", 9);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Type",
                          rp_posture_std_asff_type(e->resource_type, asff, sizeof asff));
    rp_json_write_kv_cstr(&w, "Id", rid);
    rp_json_write_kv_cstr(&w, "Partition", partition_of(region));
    rp_json_write_kv_cstr(&w, "Region", region);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "Compliance", 10);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", status);
    rp_json_write_kv_cstr(&w, "SecurityControlId", c->id);
    rp_json_write_key(&w, "AssociatedStandards", 19);
    rp_json_write_arr_begin(&w);
    const char *reqs[MAX_REQS];
    size_t nreqs = 0;
    for (size_t i = 0; i < s->nstds; i++) {
        const struct rp_posture_standard *std = &s->stds[i];
        if (!rp_posture_std_selection_control_enabled(sel, std, c)) continue;
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "StandardsId", standards_id(std));
        rp_json_write_obj_end(&w);
        for (size_t m = 0; m < std->nmembers; m++) {
            if (std->members[m].control != c) continue;
            for (size_t q = 0; q < std->members[m].nrequirements; q++) {
                const char *rq = std->members[m].requirements[q];
                if (nreqs < MAX_REQS && !in_list(reqs, nreqs, rq)) reqs[nreqs++] = rq;
            }
        }
    }
    rp_json_write_arr_end(&w);
    if (nreqs) {
        rp_json_write_key(&w, "RelatedRequirements", 19);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < nreqs; i++) rp_json_write_cstr(&w, reqs[i]);
        rp_json_write_arr_end(&w);
    }
    if (reason_code) {
        rp_json_write_key(&w, "StatusReasons", 13);
        rp_json_write_arr_begin(&w);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "ReasonCode", reason_code);
        rp_json_write_kv_cstr(&w, "Description", reason_text);
        rp_json_write_obj_end(&w);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "Workflow", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", e->compliance == RP_PC_COMPLIANT ? "RESOLVED" : "NEW");
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "RecordState",
                          e->compliance == RP_PC_NOT_APPLICABLE ? "ARCHIVED" : "ACTIVE");
    rp_json_write_obj_end(&w);
    return rp_json_writer_finish(&w);
}

rp_err rp_posture_std_findings(const struct rp_posture_standards *s,
                               const struct rp_posture_std_selection *sel,
                               const struct rp_posture_std_eval *evals, size_t n,
                               const struct rp_posture_std_finding_opts *o,
                               rp_posture_std_finding_fn fn, void *ctx, size_t *count,
                               struct rp_errbuf *eb)
{
    struct pair *pairs = NULL;
    bool *active = NULL;
    size_t np = 0, done = 0;
    if (count) *count = 0;
    rp_err e = final_pairs(s, sel, evals, n, o ? o->scope : NULL, &pairs, &np, &active, NULL, eb);
    if (e != RP_OK) return e;
    struct rp_buf b;
    rp_buf_init(&b, 1u << 20);
    for (size_t i = 0; i < np && e == RP_OK; i++) {
        const struct rp_posture_std_eval *ev = pairs[i].e;
        if (ev->compliance == RP_PC_NOT_APPLICABLE && o && o->no_archived) continue;
        rp_buf_reset(&b);
        e = write_finding(&b, s, sel, &s->controls[pairs[i].ctl], ev, o ? o->now_ms : 0);
        if (e != RP_OK) {
            e = rp_fail(eb, e, "posture: cannot write the finding of %s for '%s'",
                        s->controls[pairs[i].ctl].id, nz(ev->resource_id));
            break;
        }
        e = fn(ctx, b.data, b.len, eb);
        done++;
    }
    rp_buf_release(&b);
    free(pairs);
    free(active);
    if (count) *count = done;
    return e;
}
