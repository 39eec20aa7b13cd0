/* SPDX-License-Identifier: Apache-2.0 */
/* Sigma rules (docs/sigma.md, detect_sigma.h): the rule set, loading and findings. Files are
 * found with rp_walk, split into YAML documents at "---" lines, each document turned into JSON
 * by rp_yaml and read with rp_json; the rule's header (title, id, logsource, level, status,
 * tags, ...) is checked here, its detection compiled by detect_sigma_compile.c, and evaluated
 * by detect_sigma_match.c. A rule the set cannot run is skipped with one warning line naming
 * the file, the rule and the feature. After each load the regular expressions of every rule
 * are compiled together (one rp_re set) and the rules a correlation refers to are set aside.
 * The run calls rp_det_sigma_event (detect_sigma_emit.c) for every CloudTrail and Kubernetes
 * audit event. */
#define RP_LOG_MODULE "detect"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rp_log.h"
#include "core/rp_walk.h"
#include "core/rp_yaml.h"
#include "detect/detect_sigma_impl.h"
#include "core/rp_banned.h"

#define SG_MAX_KEY 128 /* bytes of the rule key in a finding type */

/* ---- set --------------------------------------------------------------------------------- */

rp_err rp_det_sigma_set_new(struct rp_det_sigma_set **out)
{
    *out = NULL;
    struct rp_det_sigma_set *set = calloc(1, sizeof(*set));
    if (!set) return RP_ENOMEM;
    rp_arena_init(&set->a, 0);
    struct rp_errbuf eb = {0};
    bool ct = rp_det_ct_work_init(&set->ctw, &eb) == RP_OK;
    bool k8 = ct && rp_det_k8s_work_init(&set->k8w, &eb) == RP_OK;
    set->lp = rp_json_parser_new();
    if (!ct || !k8 || !set->lp) {
        if (ct) rp_det_ct_work_release(&set->ctw);
        if (k8) rp_det_k8s_work_release(&set->k8w);
        rp_json_parser_free(set->lp);
        rp_arena_release(&set->a);
        free(set);
        return RP_ENOMEM;
    }
    *out = set;
    return RP_OK;
}

void rp_det_sigma_set_free(struct rp_det_sigma_set *set)
{
    if (!set) return;
    for (size_t s = 0; s < 2; s++)
        for (size_t c = 0; c < RP_DET_MAX_STR; c++) rp_json_parser_free(set->jc[s][c].p);
    rp_re_scratch_free(set->re_scr);
    rp_re_set_free(set->re);
    free(set->re_on);
    free(set->pats);
    free(set->pat_rule);
    free(set->corr);
    free(set->rules);
    free(set->act);
    rp_det_sigma_index_free(set);
    rp_det_ct_work_release(&set->ctw);
    rp_det_k8s_work_release(&set->k8w);
    rp_json_parser_free(set->lp);
    rp_arena_release(&set->a);
    free(set);
}

size_t rp_det_sigma_count(const struct rp_det_sigma_set *set)
{
    return set ? set->nactive : 0;
}

size_t rp_det_sigma_skipped(const struct rp_det_sigma_set *set)
{
    return set ? set->skipped : 0;
}

rp_err rp_det_sigma_rule_at(const struct rp_det_sigma_set *set, size_t i,
                            struct rp_det_sigma_rule *out)
{
    if (!set || i >= set->nactive) return RP_ENOENT;
    const struct sg_rule *r = set->act[i];
    *out = (struct rp_det_sigma_rule){
        .id = r->id,
        .title = r->title,
        .level = r->level,
        .status = r->status,
        .description = r->description,
        .author = r->author,
        .file = r->file,
        .tags = r->tags,
        .ntags = r->ntags,
        .references = r->refs,
        .nreferences = r->nrefs,
        .source = r->src,
        .type = &r->type,
    };
    return RP_OK;
}

const struct rp_det_type *rp_det_sigma_type_find(const struct rp_det_sigma_set *set,
                                                 const char *type)
{
    if (!set || !type) return NULL;
    for (size_t i = 0; i < set->nactive; i++)
        if (!strcmp(set->act[i]->type.type, type)) return &set->act[i]->type;
    return NULL;
}

/* ---- loading: messages ------------------------------------------------------------------- */

struct ld {
    struct rp_det_sigma_set *set;
    rp_det_sigma_warn_fn warn;
    void *ctx;
    const char *file;
};

static void say(const struct ld *l, const char *fmt, ...) RP_PRINTF(2, 3);
static void say(const struct ld *l, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (l->warn)
        l->warn(l->ctx, msg);
    else
        RP_LOG_WARN("%s", msg);
}

/* "rule 'title' (id)", or "document at line N" when the document has no title. */
static void label(char *buf, size_t n, const char *title, const char *id, size_t line)
{
    if (title && id)
        snprintf(buf, n, "rule '%s' (%s)", title, id);
    else if (title)
        snprintf(buf, n, "rule '%s'", title);
    else
        snprintf(buf, n, "document at line %zu", line);
}

static void skip(const struct ld *l, const char *title, const char *id, size_t line,
                 const char *fmt, ...) RP_PRINTF(5, 6);
static void skip(const struct ld *l, const char *title, const char *id, size_t line,
                 const char *fmt, ...)
{
    char what[512], why[512];
    label(what, sizeof what, title, id, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    say(l, "sigma: %s: skipped %s: %s", l->file, what, why);
    l->set->skipped++;
}

/* ---- loading: one document --------------------------------------------------------------- */

/* A string member (NUL-terminated, borrowed from the parser), or NULL. */
static const char *mstr(struct rp_json_val o, const char *k)
{
    struct rp_str s;
    return rp_json_obj_get_str(o, k, &s) == RP_OK ? s.p : NULL;
}

static bool has(struct rp_json_val o, const char *k)
{
    struct rp_json_val v;
    return rp_json_obj_get(o, k, &v) == RP_OK;
}

static char *adup(struct rp_det_sigma_set *set, const char *s, bool *oom)
{
    if (!s) return NULL;
    char *c = rp_arena_strdup(&set->a, s);
    if (!c) *oom = true;
    return c;
}

static bool word_eq(const char *s, const char *w)
{
    return s && rp_str_eq_nocase(rp_str_from(s), rp_str_from(w));
}

/* The source a logsource names, or RP_DET_SRC__COUNT. */
static enum rp_det_source logsource(struct rp_json_val ls)
{
    const char *product = mstr(ls, "product"), *service = mstr(ls, "service");
    if (word_eq(product, "aws") && word_eq(service, "cloudtrail")) return RP_DET_SRC_CLOUDTRAIL;
    if ((word_eq(product, "kubernetes") || word_eq(product, "k8s")) && word_eq(service, "audit"))
        return RP_DET_SRC_K8S;
    return RP_DET_SRC__COUNT;
}

static void logsource_text(struct rp_json_val ls, char *buf, size_t n)
{
    static const char *const keys[] = {"category", "product", "service"};
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(keys); i++) {
        const char *v = mstr(ls, keys[i]);
        if (!v || len >= n) continue;
        int k = snprintf(buf + len, n - len, "%s%s: %s", len ? ", " : "", keys[i], v);
        if (k > 0) len += (size_t)k;
    }
    if (!len) snprintf(buf, n, "(empty)");
}

static const struct {
    const char *level;
    double severity;
} levels[] = {
    {"informational", 1.0}, {"low", 2.0}, {"medium", 5.0}, {"high", 8.0}, {"critical", 9.0}};

/* The rule key of a finding type: letters, digits, '.', '-' and '_' kept, runs of anything
 * else written as one '_'. */
static void type_key(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
        if (keep)
            out[k++] = (char)c;
        else if (!k || out[k - 1] != '_')
            out[k++] = '_';
    }
    out[k] = 0;
}

/* A list of strings member into an arena array (non-strings skipped). */
static const char **str_list(struct rp_det_sigma_set *set, struct rp_json_val o, const char *k,
                             size_t *n, bool *oom)
{
    *n = 0;
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    if (rp_json_obj_get(o, k, &arr) || rp_json_arr_iter(arr, &it)) return NULL;
    const char **v = rp_arena_alloc(&set->a, (rp_json_len(arr) + 1) * sizeof(*v));
    if (!v) {
        *oom = true;
        return NULL;
    }
    struct rp_str s;
    while (rp_json_arr_next(&it, &el))
        if (rp_json_get_str(el, &s) == RP_OK && !(v[(*n)++] = adup(set, s.p, oom))) return NULL;
    v[*n] = NULL;
    return v;
}

static rp_err additional(struct rp_det_sigma_set *set, struct sg_rule *r)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "sigma", 5);
    rp_json_write_obj_begin(&w);
    if (r->id) rp_json_write_kv_cstr(&w, "id", r->id);
    rp_json_write_kv_cstr(&w, "title", r->title);
    rp_json_write_kv_cstr(&w, "level", r->level ? r->level : "medium");
    if (r->status) rp_json_write_kv_cstr(&w, "status", r->status);
    rp_json_write_key(&w, "tags", 4);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < r->ntags; i++) rp_json_write_cstr(&w, r->tags[i]);
    rp_json_write_arr_end(&w);
    if (r->nrefs) {
        rp_json_write_key(&w, "references", 10);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < r->nrefs; i++) rp_json_write_cstr(&w, r->refs[i]);
        rp_json_write_arr_end(&w);
    }
    if (r->author) rp_json_write_kv_cstr(&w, "author", r->author);
    rp_json_write_kv_cstr(&w, "file", r->file);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (!e && !(r->additional_json = rp_arena_memdup(&set->a, b.data, b.len))) e = RP_ENOMEM;
    rp_buf_release(&b);
    return e;
}

static rp_err push_rule(struct rp_det_sigma_set *set, struct sg_rule *r)
{
    if (set->nrules == set->caprules) {
        size_t cap = set->caprules ? 2 * set->caprules : 16;
        struct sg_rule **v = realloc(set->rules, cap * sizeof(*v));
        if (!v) return RP_ENOMEM;
        set->rules = v;
        set->caprules = cap;
    }
    set->rules[set->nrules++] = r;
    return RP_OK;
}

static rp_err add_corr(struct rp_det_sigma_set *set, struct rp_json_val doc, const char *title)
{
    struct rp_json_val c, rules, el;
    struct rp_json_iter it;
    bool gen = false, oom = false;
    if (rp_json_obj_get_bool(doc, "generate", &gen)) gen = false;
    if (rp_json_obj_get(doc, "correlation", &c) || rp_json_obj_get(c, "rules", &rules) ||
        rp_json_arr_iter(rules, &it))
        return RP_OK;
    struct rp_str s;
    while (rp_json_arr_next(&it, &el)) {
        if (rp_json_get_str(el, &s)) continue;
        if (set->ncorr == set->capcorr) {
            size_t cap = set->capcorr ? 2 * set->capcorr : 8;
            struct sg_corr_ref *v = realloc(set->corr, cap * sizeof(*v));
            if (!v) return RP_ENOMEM;
            set->corr = v;
            set->capcorr = cap;
        }
        struct sg_corr_ref *x = &set->corr[set->ncorr];
        x->ref = adup(set, s.p, &oom);
        x->by = adup(set, title ? title : "(untitled)", &oom);
        x->generate = gen;
        if (oom) return RP_ENOMEM;
        set->ncorr++;
    }
    return RP_OK;
}

/* One parsed document: a rule to add, or a line saying why not. RP_OK or RP_ENOMEM. */
static rp_err load_rule(struct ld *l, struct rp_json_val doc, size_t line, bool *collection)
{
    struct rp_det_sigma_set *set = l->set;
    const char *title = mstr(doc, "title"), *id = mstr(doc, "id");
    char idbuf[64];
    struct rp_json_val v;
    if (!id && rp_json_obj_get(doc, "id", &v) == RP_OK && rp_json_type(v) == RP_JSON_INT) {
        int64_t x = 0;
        if (rp_json_get_i64(v, &x) == RP_OK) {
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)x);
            id = idbuf;
        }
    }
    if (*collection) return RP_OK; /* the rest of a rule collection: said once */
    if (has(doc, "action")) {
        *collection = true;
        skip(l, title, id, line, "rule collections ('action: %s') are not supported",
             mstr(doc, "action") ? mstr(doc, "action") : "?");
        return RP_OK;
    }
    if (has(doc, "correlation")) {
        struct rp_json_val c;
        const char *type =
            rp_json_obj_get(doc, "correlation", &c) == RP_OK ? mstr(c, "type") : NULL;
        skip(l, title, id, line, "correlation rules ('%s') are not supported",
             type ? type : "correlation");
        return add_corr(set, doc, title) ? RP_ENOMEM : RP_OK;
    }
    if (has(doc, "filter") && !has(doc, "detection")) {
        skip(l, title, id, line, "filter rules are not supported");
        return RP_OK;
    }
    if (!title || !*title) {
        skip(l, NULL, id, line, "no 'title'");
        return RP_OK;
    }
    struct rp_json_val ls, det;
    if (rp_json_obj_get(doc, "logsource", &ls) || rp_json_type(ls) != RP_JSON_OBJECT) {
        skip(l, title, id, line, "no 'logsource' mapping");
        return RP_OK;
    }
    if (rp_json_obj_get(doc, "detection", &det)) {
        skip(l, title, id, line, "no 'detection'");
        return RP_OK;
    }
    enum rp_det_source src = logsource(ls);
    if (src == RP_DET_SRC__COUNT) {
        char lsbuf[256];
        logsource_text(ls, lsbuf, sizeof lsbuf);
        skip(l, title, id, line, "logsource '%s' is not supported", lsbuf);
        return RP_OK;
    }
    const char *status = mstr(doc, "status"), *taxonomy = mstr(doc, "taxonomy");
    if (word_eq(status, "unsupported")) {
        skip(l, title, id, line, "status 'unsupported'");
        return RP_OK;
    }
    if (taxonomy && !word_eq(taxonomy, "sigma")) {
        skip(l, title, id, line, "taxonomy '%s' is not supported", taxonomy);
        return RP_OK;
    }
    const char *level = mstr(doc, "level");
    double sev = 5.0;
    if (level) {
        size_t k = 0;
        while (k < RP_ARRAY_LEN(levels) && strcmp(levels[k].level, level)) k++;
        if (k == RP_ARRAY_LEN(levels)) {
            skip(l, title, id, line,
                 "level '%s' is not one of informational, low, medium, high, "
                 "critical",
                 level);
            return RP_OK;
        }
        sev = levels[k].severity;
    }
    char key[SG_MAX_KEY], type[SG_MAX_KEY + 32];
    type_key(id ? id : title, key, sizeof key);
    snprintf(type, sizeof type, "Sigma:%s/%s",
             src == RP_DET_SRC_CLOUDTRAIL ? "IAMUser" : "Kubernetes", key);
    for (size_t i = 0; i < set->nrules; i++) {
        const struct sg_rule *o = set->rules[i];
        if (o->disabled || strcmp(o->type.type, type)) continue;
        if (id)
            skip(l, title, id, line, "id '%s' is already used by rule '%s' of %s", id, o->title,
                 o->file);
        else
            skip(l, title, id, line,
                 "finding type '%s' is already used by rule '%s' of %s (give "
                 "the rule an id)",
                 type, o->title, o->file);
        return RP_OK;
    }

    bool oom = false;
    struct sg_rule *r = rp_arena_zalloc(&set->a, sizeof(*r));
    if (!r) return RP_ENOMEM;
    r->src = src;
    r->file = adup(set, l->file, &oom);
    r->title = adup(set, title, &oom);
    r->id = adup(set, id, &oom);
    r->name = adup(set, mstr(doc, "name"), &oom);
    r->level = adup(set, level, &oom);
    r->status = adup(set, status, &oom);
    r->description = adup(set, mstr(doc, "description"), &oom);
    r->author = adup(set, mstr(doc, "author"), &oom);
    r->tags = str_list(set, doc, "tags", &r->ntags, &oom);
    r->refs = str_list(set, doc, "references", &r->nrefs, &oom);
    r->type.type = adup(set, type, &oom);
    r->type.severity = sev;
    r->type.title = r->title;
    r->type.description = r->description && *r->description ? r->description : r->title;
    if (oom) return RP_ENOMEM;

    size_t npats = set->npats;
    struct rp_errbuf ceb = {0};
    rp_err e = rp_det_sigma_compile(set, r, det, &ceb);
    if (e == RP_ENOMEM) return e;
    if (e) {
        set->npats = npats; /* the rule's regexes go with it */
        skip(l, title, id, line, "%s", ceb.msg);
        return RP_OK;
    }
    if ((e = additional(set, r)) || (e = push_rule(set, r))) return RP_ENOMEM;
    return RP_OK;
}

/* Rewrite rp_yaml's "yaml: line L column C: what" for a document starting at line line0. */
static void yaml_error(struct ld *l, const char *msg, size_t line0)
{
    unsigned long long line = 0, col = 0;
    int used = 0;
    if (sscanf(msg, "yaml: line %llu column %llu: %n", &line, &col, &used) == 2 && used > 0)
        say(l, "sigma: %s: yaml error at line %llu column %llu: %s; skipped", l->file,
            line + line0 - 1, col, msg + used);
    else
        say(l, "sigma: %s: yaml error in the document at line %zu: %s; skipped", l->file, line0,
            msg);
    l->set->skipped++;
}

/* True when doc[0..n) holds nothing but blank lines, comments and document markers. */
static bool blank(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && p[e] != '\n') e++;
        size_t k = i;
        while (k < e && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r')) k++;
        bool marker = e - k >= 3 && (!memcmp(p + k, "---", 3) || !memcmp(p + k, "...", 3));
        if (k < e && p[k] != '#' && !marker) return false;
        i = e + 1;
    }
    return true;
}

/* The line of the first thing in doc[0..n) that is not blank, a comment or a marker. */
static size_t content_line(const char *p, size_t n, size_t line0)
{
    for (size_t i = 0; i < n; line0++) {
        size_t e = i;
        while (e < n && p[e] != '\n') e++;
        if (!blank(p + i, e - i)) return line0;
        i = e + 1;
    }
    return line0;
}

static rp_err load_doc(struct ld *l, const char *p, size_t n, size_t line0, bool *collection)
{
    if (blank(p, n)) return RP_OK;
    struct rp_buf js;
    rp_buf_init(&js, 0);
    struct rp_errbuf yeb = {0};
    rp_err e = rp_yaml_to_json(p, n, &js, &yeb);
    if (e == RP_ENOMEM) {
        rp_buf_release(&js);
        return e;
    }
    if (e) {
        yaml_error(l, yeb.msg, line0);
        rp_buf_release(&js);
        return RP_OK;
    }
    struct rp_json_val root;
    e = rp_json_parse_buf(l->set->lp, &js, &root, &yeb);
    rp_buf_release(&js);
    if (e == RP_ENOMEM) return e;
    if (e || rp_json_type(root) == RP_JSON_NULL) return RP_OK;
    if (rp_json_type(root) != RP_JSON_OBJECT) {
        skip(l, NULL, NULL, content_line(p, n, line0), "not a mapping, so not a Sigma rule");
        return RP_OK;
    }
    return load_rule(l, root, content_line(p, n, line0), collection);
}

/* A "---" document start line: three dashes at column 0, then the end or a blank. */
static bool doc_start(const char *p, size_t n)
{
    return n >= 3 && !memcmp(p, "---", 3) &&
           (n == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\r' || p[3] == '\n');
}

/* ---- loading: after a load --------------------------------------------------------------- */

static void disable(struct ld *l, struct sg_rule *r, const char *fmt, ...) RP_PRINTF(3, 4);
static void disable(struct ld *l, struct sg_rule *r, const char *fmt, ...)
{
    if (r->disabled) return;
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    const char *file = l->file;
    l->file = r->file;
    skip(l, r->title, r->id, 0, "%s", why);
    l->file = file;
    r->disabled = true;
}

static rp_err finish_load(struct ld *l, struct rp_errbuf *eb)
{
    struct rp_det_sigma_set *set = l->set;
    /* rules only a correlation refers to do not run alone (unless it says generate: true) */
    for (size_t i = 0; i < set->nrules; i++) {
        struct sg_rule *r = set->rules[i];
        for (size_t k = 0; k < set->ncorr && !r->disabled; k++) {
            const struct sg_corr_ref *c = &set->corr[k];
            if (c->generate) continue;
            if ((r->id && !strcmp(c->ref, r->id)) || (r->name && !strcmp(c->ref, r->name)))
                disable(l, r, "part of correlation rule '%s', which is not supported", c->by);
        }
    }
    /* regular expressions: one set for every rule; a pattern that does not compile takes its
     * rule out and is replaced by one that never matches */
    while (set->re_dirty) {
        size_t bad = SIZE_MAX;
        struct rp_errbuf reb = {0};
        rp_err e = rp_det_sigma_re_build(set, &bad, &reb);
        if (e == RP_EPARSE && bad < set->npats) {
            const char *m = strstr(reb.msg, ": ");
            m = m ? strstr(m + 2, ": ") : NULL;
            disable(l, set->rules[set->pat_rule[bad]],
                    "regular expression '%.80s' does not "
                    "compile: %s",
                    set->pats[bad].regex, m ? m + 2 : reb.msg);
            set->pats[bad].regex = "(?!)";
            set->pats[bad].flags = 0;
            continue;
        }
        if (e) return rp_fail(eb, e, "sigma: %s", reb.msg);
    }
    free(set->act);
    set->act = NULL;
    set->nactive = 0;
    size_t n = 0;
    for (size_t i = 0; i < set->nrules; i++) n += !set->rules[i]->disabled;
    if (n && !(set->act = malloc(n * sizeof(*set->act))))
        return rp_fail(eb, RP_ENOMEM, "sigma: out of memory");
    for (size_t i = 0; i < set->nrules; i++)
        if (!set->rules[i]->disabled) set->act[set->nactive++] = set->rules[i];
    if (rp_det_sigma_index(set)) return rp_fail(eb, RP_ENOMEM, "sigma: out of memory");
    return RP_OK;
}

/* ---- loading: entry points --------------------------------------------------------------- */

static rp_err load_text(struct ld *l, const char *yaml, size_t len)
{
    bool collection = false;
    size_t start = 0, line0 = 1, line = 1;
    for (size_t i = 0; i <= len;) {
        size_t e = i;
        while (e < len && yaml[e] != '\n') e++;
        if (i == len || (i > start && doc_start(yaml + i, len - i))) {
            rp_err err = load_doc(l, yaml + start, i - start, line0, &collection);
            if (err) return err;
            start = i;
            line0 = line;
            if (i == len) break;
        }
        i = e < len ? e + 1 : len;
        line++;
    }
    return RP_OK;
}

rp_err rp_det_sigma_load_buf(struct rp_det_sigma_set *set, const char *name, const char *yaml,
                             size_t len, rp_det_sigma_warn_fn warn, void *ctx, struct rp_errbuf *eb)
{
    struct ld l = {set, warn, ctx, name ? name : "(buffer)"};
    rp_err e = load_text(&l, yaml ? yaml : "", yaml ? len : 0);
    if (e) return rp_fail(eb, e, "sigma: out of memory");
    return finish_load(&l, eb);
}

struct walk {
    struct ld l;
    rp_err err;
    struct rp_errbuf *eb;
};

static bool yaml_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct walk *w = ctx;
    w->l.file = e->path;
    switch (e->event) {
    case RP_WALK_EV_DIR:
        return e->depth && e->name[0] == '.' ? RP_WALK_SKIP : RP_WALK_CONTINUE;
    case RP_WALK_EV_SKIP:
        if (e->depth && e->name[0] != '.' && e->reason != RP_WALK_REASON_SEEN)
            say(&w->l, "sigma: %s: not read (%s)", e->path, rp_walk_reason_name(e->reason));
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_ERROR:
        if (!e->depth) {
            w->err = rp_fail(w->eb, e->err == RP_ENOENT ? RP_ENOENT : RP_EIO, "sigma: '%s': %s",
                             e->path, e->msg);
            return RP_WALK_STOP;
        }
        say(&w->l, "sigma: %s: %s; skipped", e->path, e->msg);
        w->l.set->skipped++;
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_FILE:
        break;
    }
    if (e->depth && (e->name[0] == '.' || !yaml_name(e->name))) return RP_WALK_CONTINUE;
    int fd = -1;
    struct rp_errbuf oeb = {0};
    if (rp_walk_entry_open(e, &fd, &oeb)) {
        if (!e->depth) {
            w->err = rp_fail(w->eb, RP_EIO, "sigma: %s", oeb.msg);
            return RP_WALK_STOP;
        }
        say(&w->l, "sigma: %s: %s; skipped", e->path, oeb.msg);
        w->l.set->skipped++;
        return RP_WALK_CONTINUE;
    }
    struct rp_buf b;
    rp_buf_init(&b, SG_MAX_FILE_BYTES);
    rp_err err = RP_OK;
    for (;;) {
        if ((err = rp_buf_reserve(&b, 65536))) break;
        ssize_t k = read(fd, b.data + b.len, 65536);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            err = RP_EIO;
            break;
        }
        if (k == 0) break;
        rp_buf_commit(&b, (size_t)k);
    }
    close(fd);
    if (err == RP_ELIMIT) {
        say(&w->l, "sigma: %s: larger than %u bytes; skipped", e->path, SG_MAX_FILE_BYTES);
        w->l.set->skipped++;
    } else if (err == RP_EIO) {
        say(&w->l, "sigma: %s: read error; skipped", e->path);
        w->l.set->skipped++;
    } else if (err) {
        w->err = rp_fail(w->eb, err, "sigma: out of memory");
    } else if ((err = load_text(&w->l, b.data ? b.data : "", b.len))) {
        w->err = rp_fail(w->eb, err, "sigma: out of memory");
    }
    rp_buf_release(&b);
    return w->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
}

rp_err rp_det_sigma_load_path(struct rp_det_sigma_set *set, const char *path,
                              rp_det_sigma_warn_fn warn, void *ctx, struct rp_errbuf *eb)
{
    if (!path) return rp_fail(eb, RP_EINVAL, "sigma: no path");
    struct walk w = {{set, warn, ctx, path}, RP_OK, eb};
    rp_err e = rp_walk_run(&path, 1, NULL, visit, &w, eb);
    if (!e) e = w.err;
    w.l.file = path;
    rp_err f = finish_load(&w.l, e ? NULL : eb);
    return e ? e : f;
}

/* ---- findings ---------------------------------------------------------------------------- */

rp_err rp_det_sigma_finding(struct rp_det_sigma_set *set, size_t i, const struct rp_det_event *ev,
                            struct rp_det_finding *f, struct rp_errbuf *eb)
{
    if (!set || i >= set->nactive || set->act[i]->src != ev->src)
        return rp_fail(eb, RP_ENOENT, "sigma: no rule %zu for this event", i);
    const struct sg_rule *r = set->act[i];
    rp_err e = RP_OK;
    if (r->src == RP_DET_SRC_CLOUDTRAIL) {
        rp_det_ct_work_reset(&set->ctw);
        e = rp_det_ct_finding(&set->ctw, ev, r->type.type, f);
        if (e == RP_ENOENT)
            return rp_fail(eb, e, "sigma: the event names no account, region or principal");
    } else {
        rp_det_k8s_work_reset(&set->k8w);
        e = rp_det_k8s_finding_base(&set->k8w, ev, r->type.type, f, eb);
        struct rp_str res = rp_det_str(ev, RP_K8S_RESOURCE);
        if (!e && res.p && rp_det_k8s_is_workload(res)) {
            f->workload_type = rp_det_k8s_cstr(&set->k8w, res);
            f->workload_name = rp_det_k8s_cstr(&set->k8w, rp_det_str(ev, RP_K8S_NAME));
            f->workload_ns = rp_det_k8s_cstr(&set->k8w, rp_det_str(ev, RP_K8S_NAMESPACE));
        }
    }
    if (e) return rp_fail(eb, e, "sigma: out of memory");
    f->severity = r->type.severity;
    f->additional_json = r->additional_json;
    return RP_OK;
}

struct emit {
    struct rp_det_ctx *dc;
    struct rp_det_sigma_set *set;
    const struct rp_det_event *ev;
    struct rp_errbuf *eb;
    rp_err err;
};

static int on_match(void *ctx, size_t i)
{
    struct emit *x = ctx;
    struct rp_det_finding f;
    rp_err e = rp_det_sigma_finding(x->set, i, x->ev, &f, x->eb);
    if (e == RP_ENOENT) return 0; /* nothing to name the finding after */
    if (!e) e = rp_det_emit_typed(x->dc, &x->set->act[i]->type, &f, x->eb);
    x->err = e;
    return e != RP_OK;
}

rp_err rp_det_sigma_event(struct rp_det_ctx *dc, struct rp_det_sigma_set *set,
                          const struct rp_det_event *ev, struct rp_errbuf *eb)
{
    struct emit x = {dc, set, ev, eb, RP_OK};
    rp_err e = rp_det_sigma_eval(set, ev, on_match, &x, eb);
    return e ? e : x.err;
}
