/* SPDX-License-Identifier: Apache-2.0 */
/* A set of data identifiers (dataid.h): identifier files read (YAML through core/rp_yaml),
 * every regex compiled into one multi-pattern matcher (core/rp_re: Hyperscan finds candidates
 * for all identifiers in one pass, PCRE2 confirms), then per candidate, cheapest first: the
 * boundary bytes, the ignore words, the validator, the keyword rule, the allow lists.
 *
 * Strings of the identifiers live in the set's arena; the set is immutable once compiled. */
#define RP_LOG_MODULE "dataid"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_embed.h"
#include "core/rp_json.h"
#include "core/rp_re.h"
#include "core/rp_yaml.h"
#include "core/rp_banned.h"

#define DEFAULT_DISTANCE 50
#define MAX_DISTANCE     300
/* how far past a keyword's reach a window runs (see on_keyword) */
#define GATED_WIDTH_CAP 64u
/* an identifier whose keyword windows cover more than 1/DENSE_KEYWORDS of a buffer runs alone
 * over all of it */
#define DENSE_KEYWORDS 16

struct rp_dataid_set {
    struct rp_arena a;
    struct rp_dataid_ident *ids;
    size_t n, cap;
    /* The identifiers' patterns in two sets: free (no keyword needed: run over everything)
     * and gated (a keyword is required: run only where one of their keywords is, or over a
     * structured file whose context names one). re_free also holds the gated identifiers'
     * keywords, after the nfree free patterns: one Hyperscan pass finds both. */
    struct rp_re_set *re_free, *re_gated;
    unsigned *free_ids, *gated_ids; /* pattern -> identifier index */
    /* free identifiers with a digit_run: searched only inside runs of digits, spaces and
     * dashes holding at least min_digit_run digits */
    struct rp_re_set *re_digits;
    unsigned *digit_ids;
    size_t ndigits;
    unsigned min_digit_run;
    struct rp_re_class digit_bytes; /* the bytes of those runs: digits, ' ', '-' */
    /* free identifiers with run_bytes: each searched only inside long enough runs of its
     * bytes (one pattern each) */
    struct rungroup {
        struct rp_re_set *re;
        unsigned id;
    } * runs;
    size_t nruns;
    /* per identifier with run_bytes: the runs its matches lie in */
    struct runspec {
        struct rp_re_class cls;
        size_t minlen;
        struct rp_re_class need[RP_RE_NEED_MAX];
        size_t nneed;
    } * rspec;
    size_t *gated_width; /* gated pattern -> its longest match (capped) */
    size_t nfree, ngated;
    unsigned *kw_gated; /* keyword pattern -> index of its identifier among the gated ones */
    size_t nkw;
    struct rp_re_set *allow; /* the allow-list regexes (anchored), or NULL */
    char **allow_regex;
    size_t nallow_regex;
    char **phrases; /* lower-cased allow-list phrases, sorted */
    size_t nphrases, capphrases;
    size_t max_kw; /* longest keyword, for the window */
    /* per identifier: bit c set when some keyword's last byte folds (kwfold) to c; a place
     * whose byte is not one cannot end a keyword (keyword_before's first test) */
    uint64_t (*kwlast)[4];
    bool compiled;
    bool exhaustive; /* every pattern over every byte: the reference of the windows */
    bool reveal;     /* occurrences keep their clear value (rp_dataid_set_reveal) */
};

struct rp_dataid_scratch {
    struct rp_re_scratch *re_free, *re_gated, *re_digits, *allow;
    struct rp_re_scratch **re_runs; /* per run group */
    size_t nre_runs;
    unsigned char *active;     /* per gated pattern: one of its keywords is in the buffer */
    unsigned char *full;       /* per gated pattern: a context keyword: search the whole buffer */
    unsigned char *inwin;      /* per gated pattern: active and not full: search the windows */
    struct rp_re_set **single; /* per gated pattern, compiled when first needed: it alone */
    struct rp_re_scratch **single_sc;
    size_t nsingle; /* entries of single and single_sc (the set's gated count) */
    struct cand {
        unsigned ident;
        size_t start, end;
    } * c; /* candidates of one buffer */
    size_t nc, capc;
    struct cand *tmp; /* sort_cands' room */
    size_t captmp;
    struct win {
        size_t start, end;
        size_t g; /* the gated pattern whose keyword opened it */
    } * w;        /* keyword windows of one buffer, in start order */
    size_t nw, capw;
    size_t *lastw; /* per gated pattern: its latest window (+1; 0: none) */
    size_t *cover; /* per gated pattern: bytes its windows cover */
};

rp_err rp_dataid_set_new(struct rp_dataid_set **out, struct rp_errbuf *eb)
{
    *out = calloc(1, sizeof(**out));
    if (!*out) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    rp_arena_init(&(*out)->a, 0);
    return RP_OK;
}

void rp_dataid_set_free(struct rp_dataid_set *s)
{
    if (!s) return;
    rp_re_set_free(s->re_free);
    rp_re_set_free(s->re_gated);
    rp_re_set_free(s->re_digits);
    free(s->digit_ids);
    for (size_t i = 0; i < s->nruns; i++) rp_re_set_free(s->runs[i].re);
    free(s->runs);
    free(s->rspec);
    free(s->free_ids);
    free(s->gated_ids);
    free(s->gated_width);
    free(s->kw_gated);
    rp_re_set_free(s->allow);
    for (size_t i = 0; i < s->nphrases; i++) free(s->phrases[i]);
    free(s->phrases);
    for (size_t i = 0; i < s->nallow_regex; i++) free(s->allow_regex[i]);
    free(s->allow_regex);
    free(s->ids);
    free(s->kwlast);
    rp_arena_release(&s->a);
    free(s);
}

void rp_dataid_set_exhaustive(struct rp_dataid_set *s, bool on)
{
    s->exhaustive = on;
}

void rp_dataid_set_reveal(struct rp_dataid_set *s, bool on)
{
    s->reveal = on;
}

bool rp_dataid_set_reveals(const struct rp_dataid_set *s)
{
    return s->reveal;
}

size_t rp_dataid_set_count(const struct rp_dataid_set *s)
{
    return s->n;
}

const struct rp_dataid_ident *rp_dataid_set_ident(const struct rp_dataid_set *s, size_t i)
{
    return i < s->n ? &s->ids[i] : NULL;
}

const struct rp_dataid_ident *rp_dataid_set_find(const struct rp_dataid_set *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->ids[i].id, id) == 0) return &s->ids[i];
    return NULL;
}

/* ---- reading an identifier file ---------------------------------------------------------- */

/* run_bytes: single bytes and ranges "a-b", at most RP_RE_CLASS_RANGES of them ("A-Z0-9 "). */
static rp_err parse_class(const char *spec, struct rp_re_class *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; spec[i];) {
        if (c->n == RP_RE_CLASS_RANGES) return RP_EPARSE;
        unsigned char lo = (unsigned char)spec[i], hi = lo;
        if (spec[i + 1] == '-' && spec[i + 2]) {
            hi = (unsigned char)spec[i + 2];
            i += 3;
        } else {
            i++;
        }
        if (hi < lo) return RP_EPARSE;
        c->lo[c->n] = lo;
        c->hi[c->n++] = hi;
    }
    if (!c->n) return RP_EPARSE;
    rp_re_class_prepare(c);
    return RP_OK;
}

static const char *astr(struct rp_dataid_set *s, struct rp_str v)
{
    return rp_arena_memdup(&s->a, v.p ? v.p : "", v.len);
}

/* A list of strings (a YAML sequence, or one string) into the arena. */
static rp_err str_list(struct rp_dataid_set *s, struct rp_json_val v, const char *const **out,
                       size_t *n)
{
    *out = NULL;
    *n = 0;
    if (rp_json_type(v) == RP_JSON_NONE || rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    size_t cnt = rp_json_type(v) == RP_JSON_ARRAY ? rp_json_len(v) : 1;
    const char **arr = rp_arena_zalloc(&s->a, (cnt ? cnt : 1) * sizeof(*arr));
    if (!arr) return RP_ENOMEM;
    struct rp_str str;
    if (rp_json_type(v) != RP_JSON_ARRAY) {
        if (rp_json_get_str(v, &str)) return RP_EINVAL;
        arr[0] = astr(s, str);
        *out = arr;
        *n = 1;
        return arr[0] ? RP_OK : RP_ENOMEM;
    }
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(v, &it)) return RP_EINVAL;
    while (rp_json_arr_next(&it, &el)) {
        if (rp_json_get_str(el, &str)) return RP_EINVAL;
        if (!(arr[(*n)++] = astr(s, str))) return RP_ENOMEM;
    }
    *out = arr;
    return RP_OK;
}

static bool get_str(struct rp_json_val o, const char *k, struct rp_str *out)
{
    return rp_json_obj_get_str(o, k, out) == RP_OK;
}

static rp_err bad(struct rp_errbuf *eb, const char *file, const char *what, const char *key)
{
    return rp_fail(eb, RP_EPARSE, "dataid: %s: %s '%s'", file, what, key);
}

static rp_err read_samples(struct rp_dataid_set *s, struct rp_dataid_ident *d,
                           struct rp_json_val root, const char *file, struct rp_errbuf *eb)
{
    struct rp_json_val smp, arr, el;
    if (rp_json_obj_get(root, "samples", &smp)) return RP_OK;
    if (!rp_json_obj_get(smp, "match", &arr) && rp_json_type(arr) == RP_JSON_ARRAY) {
        size_t cnt = rp_json_len(arr);
        const char **t = rp_arena_zalloc(&s->a, (cnt ? cnt : 1) * sizeof(*t));
        const char **v = rp_arena_zalloc(&s->a, (cnt ? cnt : 1) * sizeof(*v));
        if (!t || !v) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
        struct rp_json_iter it;
        if (rp_json_arr_iter(arr, &it)) return bad(eb, file, "not a list:", "samples.match");
        size_t i = 0;
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str text = {0}, value = {0};
            if (rp_json_get_str(el, &text) == RP_OK) {
                t[i] = astr(s, text);
            } else if (get_str(el, "text", &text)) {
                t[i] = astr(s, text);
                if (get_str(el, "value", &value)) v[i] = astr(s, value);
            } else {
                return bad(eb, file,
                           "a sample is neither a string nor {text, value}:", "samples.match");
            }
            i++;
        }
        d->match_texts = t;
        d->match_values = v;
        d->nmatch = i;
    }
    if (!rp_json_obj_get(smp, "no_match", &arr) &&
        str_list(s, arr, &d->no_match_texts, &d->nno_match))
        return bad(eb, file, "not a list of strings:", "samples.no_match");
    return RP_OK;
}

rp_err rp_dataid_set_add_yaml(struct rp_dataid_set *s, const char *file, const char *yaml, size_t n,
                              struct rp_errbuf *eb)
{
    if (s->compiled) return rp_fail(eb, RP_EINVAL, "dataid: the set is already compiled");
    struct rp_buf js;
    rp_buf_init(&js, 1u << 20);
    struct rp_errbuf yeb = {0};
    rp_err e = rp_yaml_to_json(yaml, n, &js, &yeb);
    if (e) {
        rp_buf_release(&js);
        return rp_fail(eb, RP_EPARSE, "dataid: %s: %s", file, yeb.msg);
    }
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root;
    if (!jp)
        e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    else if (rp_json_parse_buf(jp, &js, &root, NULL) || rp_json_type(root) != RP_JSON_OBJECT)
        e = rp_fail(eb, RP_EPARSE, "dataid: %s: not a mapping", file);
    if (e) goto out;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        struct rp_dataid_ident *ids = realloc(s->ids, cap * sizeof(*ids));
        if (!ids) {
            e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
            goto out;
        }
        s->ids = ids;
        s->cap = cap;
    }
    struct rp_dataid_ident d;
    memset(&d, 0, sizeof d);
    struct rp_str v = {0};
    if (!get_str(root, "id", &v) || !v.len) {
        e = bad(eb, file, "missing", "id");
        goto out;
    }
    d.id = astr(s, v);
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->ids[i].id, d.id)) {
            e = bad(eb, file, "a second identifier with id", d.id);
            goto out;
        }
    d.name = get_str(root, "name", &v) ? astr(s, v) : d.id;
    if (get_str(root, "origin", &v)) {
        if (!rp_str_eq_cstr(v, "macie") && !rp_str_eq_cstr(v, "rampart")) {
            e = bad(eb, file, "origin is neither 'macie' nor 'rampart':", astr(s, v));
            goto out;
        }
        d.rampart = rp_str_eq_cstr(v, "rampart");
    }
    if (!get_str(root, "category", &v)) {
        e = bad(eb, file, "missing", "category");
        goto out;
    }
    static const struct {
        const char *name;
        enum rp_dataid_category c;
    } cats[] = {{"CREDENTIALS", RP_DATAID_CREDENTIALS},
                {"FINANCIAL_INFORMATION", RP_DATAID_FINANCIAL},
                {"PERSONAL_INFORMATION", RP_DATAID_PERSONAL},
                {"CUSTOM_IDENTIFIER", RP_DATAID_CUSTOM}};
    size_t ci = 0;
    while (ci < 4 && !rp_str_eq_cstr(v, cats[ci].name)) ci++;
    if (ci == 4) {
        e = bad(eb, file, "unknown category", astr(s, v));
        goto out;
    }
    d.category = cats[ci].c;
    if (!get_str(root, "regex", &v) || !v.len) {
        e = bad(eb, file, "missing", "regex");
        goto out;
    }
    d.regex = astr(s, v);
    bool b = false;
    if (!rp_json_obj_get_bool(root, "caseless", &b)) d.caseless = b;
    d.boundary = RP_DATAID_BOUND_NONE;
    if (get_str(root, "boundary", &v)) {
        static const char *const names[] = {"none", "digit", "alnum", "word"};
        size_t k = 0;
        while (k < 4 && !rp_str_eq_cstr(v, names[k])) k++;
        if (k == 4) {
            e = bad(eb, file, "unknown boundary", astr(s, v));
            goto out;
        }
        d.boundary = (enum rp_dataid_boundary)k;
    }
    if (get_str(root, "validator", &v)) {
        const char *name = astr(s, v);
        if (!(d.validator = rp_dataid_validator_find(name))) {
            e = bad(eb, file, "unknown validator", name);
            goto out;
        }
    }
    struct rp_json_val kw;
    if (!rp_json_obj_get(root, "keywords", &kw) && str_list(s, kw, &d.keywords, &d.nkeywords)) {
        e = bad(eb, file, "not a list of strings:", "keywords");
        goto out;
    }
    if (!rp_json_obj_get(root, "ignore_words", &kw) &&
        str_list(s, kw, &d.ignore_words, &d.nignore)) {
        e = bad(eb, file, "not a list of strings:", "ignore_words");
        goto out;
    }
    d.keyword_mode = d.nkeywords ? RP_DATAID_KW_REQUIRED : RP_DATAID_KW_NONE;
    if (get_str(root, "keyword_mode", &v)) {
        if (rp_str_eq_cstr(v, "none"))
            d.keyword_mode = RP_DATAID_KW_NONE;
        else if (rp_str_eq_cstr(v, "required"))
            d.keyword_mode = RP_DATAID_KW_REQUIRED;
        else if (rp_str_eq_cstr(v, "forbidden"))
            d.keyword_mode = RP_DATAID_KW_FORBIDDEN;
        else {
            e = bad(eb, file, "unknown keyword_mode", astr(s, v));
            goto out;
        }
        if (d.keyword_mode != RP_DATAID_KW_NONE && !d.nkeywords) {
            e = bad(eb, file, "keyword_mode needs", "keywords");
            goto out;
        }
    }
    int64_t dist = DEFAULT_DISTANCE;
    if (!rp_json_obj_get_i64(root, "max_distance", &dist) && (dist < 1 || dist > MAX_DISTANCE)) {
        e = bad(eb, file, "max_distance out of 1..300:", "max_distance");
        goto out;
    }
    d.max_distance = (unsigned)dist;
    int64_t run = 0;
    if (!rp_json_obj_get_i64(root, "digit_run", &run) && (run < 1 || run > 64)) {
        e = bad(eb, file, "digit_run out of 1..64:", "digit_run");
        goto out;
    }
    d.digit_run = (unsigned)run;
    if (get_str(root, "run_bytes", &v)) {
        d.run_bytes = astr(s, v);
        struct rp_re_class cls;
        int64_t len = 0;
        if (!d.run_bytes || parse_class(d.run_bytes, &cls)) {
            e = bad(eb, file,
                    "run_bytes: up to 6 bytes or ranges a-b:", d.run_bytes ? d.run_bytes : "");
            goto out;
        }
        if (rp_json_obj_get_i64(root, "run_length", &len) || len < 1 || len > 64) {
            e = bad(eb, file, "run_bytes needs run_length in 1..64:", "run_length");
            goto out;
        }
        d.run_length = (unsigned)len;
        struct rp_json_val nv;
        if (!rp_json_obj_get(root, "run_needs", &nv) &&
            str_list(s, nv, &d.run_needs, &d.nrun_needs)) {
            e = bad(eb, file, "not a list of strings:", "run_needs");
            goto out;
        }
        for (size_t k = 0; k < d.nrun_needs; k++)
            if (k == RP_RE_NEED_MAX || parse_class(d.run_needs[k], &cls)) {
                e = bad(eb, file, "run_needs: up to 4 classes of up to 6 bytes or ranges a-b:",
                        d.run_needs[k]);
                goto out;
            }
    }
    for (size_t i = 0; i < d.nkeywords; i++)
        if (strlen(d.keywords[i]) > s->max_kw) s->max_kw = strlen(d.keywords[i]);
    struct rp_json_val lv, el;
    struct rp_json_iter lit;
    if (!rp_json_obj_get(root, "severity_levels", &lv) && rp_json_arr_iter(lv, &lit) == RP_OK) {
        while (rp_json_arr_next(&lit, &el)) {
            int64_t th = 0;
            struct rp_str sv = {0};
            if (d.nlevels == 3) {
                e = bad(eb, file, "more than 3 entries in", "severity_levels");
                goto out;
            }
            if ((rp_json_obj_get_i64(el, "occurrences_threshold", &th) &&
                 rp_json_obj_get_i64(el, "occurrencesThreshold", &th)) ||
                th < 1 || !get_str(el, "severity", &sv)) {
                e = bad(eb, file, "each entry needs occurrences_threshold >= 1 and severity in",
                        "severity_levels");
                goto out;
            }
            int sev = rp_str_eq_nocase(sv, rp_str_from("LOW"))      ? 1
                      : rp_str_eq_nocase(sv, rp_str_from("MEDIUM")) ? 2
                      : rp_str_eq_nocase(sv, rp_str_from("HIGH"))   ? 3
                                                                    : 0;
            if (!sev || (d.nlevels && th <= d.levels[d.nlevels - 1].threshold)) {
                e = bad(eb, file, "severities are LOW, MEDIUM, HIGH with ascending thresholds in",
                        "severity_levels");
                goto out;
            }
            d.levels[d.nlevels].threshold = th;
            d.levels[d.nlevels++].severity = sev;
        }
    }
    if (!d.nlevels) {
        d.levels[0].threshold = 1;
        d.levels[0].severity = 2;
        d.nlevels = 1;
    }
    d.file = rp_arena_strdup(&s->a, file);
    if ((e = read_samples(s, &d, root, file, eb))) goto out;
    if (!d.id || !d.name || !d.regex || !d.file) {
        e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
        goto out;
    }
    s->ids[s->n++] = d;
out:
    rp_json_parser_free(jp);
    rp_buf_release(&js);
    return e;
}

struct managed {
    struct rp_dataid_set *s;
    const char *const *only;
    size_t nonly;
    bool *seen;
    rp_err err;
    struct rp_errbuf *eb;
};

static int add_embedded(const struct rp_embed_file *f, void *ctx)
{
    struct managed *m = ctx;
    size_t len = strlen(f->path);
    if (len < 5 || strcmp(f->path + len - 5, ".yaml") != 0) return 0;
    /* the file's base name is the id */
    const char *base = strrchr(f->path, '/');
    base = base ? base + 1 : f->path;
    if (m->only) {
        size_t blen = strlen(base) - 5, k = 0;
        while (k < m->nonly && !(strlen(m->only[k]) == blen && !memcmp(m->only[k], base, blen)))
            k++;
        if (k == m->nonly) return 0;
        m->seen[k] = true;
    }
    struct rp_buf b;
    rp_buf_init(&b, 4u << 20);
    rp_err e = rp_embed_load(f->path, &b, m->eb);
    if (!e) e = rp_dataid_set_add_yaml(m->s, f->path, b.data ? b.data : "", b.len, m->eb);
    rp_buf_release(&b);
    if (!e) {
        const char *id = m->s->ids[m->s->n - 1].id;
        size_t blen = strlen(base) - 5;
        if (strlen(id) != blen || memcmp(id, base, blen))
            e = rp_fail(m->eb, RP_EPARSE, "dataid: %s: the id '%s' is not the file's name", f->path,
                        id);
    }
    m->err = e;
    return e ? 1 : 0;
}

rp_err rp_dataid_set_add_managed(struct rp_dataid_set *s, const char *const *only, size_t nonly,
                                 struct rp_errbuf *eb)
{
    struct managed m = {.s = s, .only = only, .nonly = nonly, .eb = eb};
    if (only && !(m.seen = calloc(nonly ? nonly : 1, sizeof(bool))))
        return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    rp_embed_each("dataid/", add_embedded, &m);
    rp_err e = m.err;
    for (size_t k = 0; !e && only && k < nonly; k++)
        if (!m.seen[k])
            e = rp_fail(eb, RP_ENOENT, "dataid: no managed data identifier '%s'", only[k]);
    free(m.seen);
    return e;
}

/* ---- allow lists -------------------------------------------------------------------------- */

static int cmp_pstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

rp_err rp_dataid_set_allow_phrases(struct rp_dataid_set *s, const char *text, size_t n,
                                   struct rp_errbuf *eb)
{
    size_t pos = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - text) : n, a = pos, z = end;
        while (a < z && (text[a] == ' ' || text[a] == '\t')) a++;
        while (z > a && (text[z - 1] == ' ' || text[z - 1] == '\t' || text[z - 1] == '\r')) z--;
        pos = end + 1;
        if (a == z) continue;
        if (s->nphrases == s->capphrases) {
            size_t cap = s->capphrases ? 2 * s->capphrases : 64;
            char **p = realloc(s->phrases, cap * sizeof(*p));
            if (!p) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
            s->phrases = p;
            s->capphrases = cap;
        }
        char *c = malloc(z - a + 1);
        if (!c) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
        for (size_t i = a; i < z; i++)
            c[i - a] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
        c[z - a] = 0;
        s->phrases[s->nphrases++] = c;
    }
    if (s->nphrases) qsort(s->phrases, s->nphrases, sizeof(*s->phrases), cmp_pstr);
    return RP_OK;
}

rp_err rp_dataid_set_allow_regex(struct rp_dataid_set *s, const char *regex, struct rp_errbuf *eb)
{
    char **r = realloc(s->allow_regex, (s->nallow_regex + 1) * sizeof(*r));
    if (!r) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    s->allow_regex = r;
    /* anchored: the allow regex must cover the occurrence's whole text */
    size_t len = strlen(regex) + 8;
    if (!(r[s->nallow_regex] = malloc(len))) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    snprintf(r[s->nallow_regex], len, "^(?:%s)$", regex);
    s->nallow_regex++;
    return RP_OK;
}

/* ---- compile and scan --------------------------------------------------------------------- */

static char kwfold(char c);

static bool gated(const struct rp_dataid_ident *d)
{
    return d->keyword_mode == RP_DATAID_KW_REQUIRED && d->nkeywords;
}

/* A keyword as a regex: literal, with ' ', '_' and '-' alike (kwfold), caseless. */
static char *keyword_regex(const char *kw)
{
    size_t n = strlen(kw);
    char *r = malloc(6 * n + 1), *o = r;
    if (!r) return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = kw[i];
        if (c == ' ' || c == '_' || c == '-') {
            memcpy(o, "[ _-]", 5);
            o += 5;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (unsigned char)c >= 0x80) {
            *o++ = c;
        } else {
            snprintf(o, 5, "\\x%02x", (unsigned char)c);
            o += 4;
        }
    }
    *o = 0;
    return r;
}

/* Compile the identifiers' patterns of one kind (gated or not) into *out, ids[k] = index. */
enum part { PART_FREE, PART_GATED, PART_DIGITS, PART_RUNS };

static enum part part_of(const struct rp_dataid_ident *d)
{
    return gated(d)        ? PART_GATED
           : d->digit_run  ? PART_DIGITS
           : d->run_length ? PART_RUNS
                           : PART_FREE;
}

/* The run specs of the identifiers with run_bytes; one group per free one: its pattern
 * alone. */
static rp_err compile_runs(struct rp_dataid_set *s, struct rp_errbuf *eb)
{
    if (!(s->runs = calloc(s->n ? s->n : 1, sizeof(*s->runs))) ||
        !(s->rspec = calloc(s->n ? s->n : 1, sizeof(*s->rspec))))
        return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    for (size_t i = 0; i < s->n; i++) {
        const struct rp_dataid_ident *d = &s->ids[i];
        if (!d->run_length) continue;
        struct runspec *r = &s->rspec[i]; /* all checked when read */
        (void)parse_class(d->run_bytes, &r->cls);
        r->minlen = d->run_length;
        for (; r->nneed < d->nrun_needs; r->nneed++)
            (void)parse_class(d->run_needs[r->nneed], &r->need[r->nneed]);
        if (part_of(d) != PART_RUNS) continue;
        struct rungroup *g = &s->runs[s->nruns];
        g->id = (unsigned)i;
        struct rp_re_pattern p = {d->regex, d->caseless ? RP_RE_CASELESS : 0};
        struct rp_errbuf reb = {0};
        rp_err e = rp_re_set_new(&p, 1, &g->re, &reb);
        if (e == RP_EPARSE) {
            const char *c = strstr(reb.msg, ": ");
            return rp_fail(eb, e, "dataid: %s: regex: %s", d->file ? d->file : d->id,
                           c ? c + 2 : reb.msg);
        }
        if (e) return rp_fail(eb, e, "dataid: %s", reb.msg);
        s->nruns++;
    }
    return RP_OK;
}

static rp_err compile_part(struct rp_dataid_set *s, enum part want, struct rp_re_set **out,
                           unsigned **ids, size_t *nids, struct rp_errbuf *eb)
{
    struct rp_re_pattern *p = calloc(s->n ? s->n : 1, sizeof(*p));
    *ids = calloc(s->n ? s->n : 1, sizeof(**ids));
    if (!p || !*ids) {
        free(p);
        return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (part_of(&s->ids[i]) != want) continue;
        (*ids)[k] = (unsigned)i;
        p[k++] = (struct rp_re_pattern){s->ids[i].regex, s->ids[i].caseless ? RP_RE_CASELESS : 0};
    }
    *nids = k;
    struct rp_errbuf reb = {0};
    rp_err e = rp_re_set_new(p, k, out, &reb);
    free(p);
    if (e == RP_EPARSE) {
        /* "re: pattern <i>: .." -> name the identifier */
        unsigned long i = strtoul(reb.msg + 12, NULL, 10);
        const char *file = i < k ? s->ids[(*ids)[i]].file : NULL;
        return rp_fail(eb, e, "dataid: %s: regex: %s", file ? file : "?",
                       strchr(reb.msg + 12, ':') ? strchr(reb.msg + 12, ':') + 2 : reb.msg);
    }
    return e ? rp_fail(eb, e, "dataid: %s", reb.msg) : RP_OK;
}

/* The free identifiers' patterns, then the gated identifiers' keywords, in one set. */
static rp_err compile_free_keywords(struct rp_dataid_set *s, struct rp_errbuf *eb)
{
    size_t n = s->n;
    for (size_t i = 0; i < s->n; i++)
        if (gated(&s->ids[i])) n += s->ids[i].nkeywords;
    struct rp_re_pattern *p = calloc(n ? n : 1, sizeof(*p));
    s->free_ids = calloc(s->n ? s->n : 1, sizeof(*s->free_ids));
    s->kw_gated = calloc(n ? n : 1, sizeof(*s->kw_gated));
    rp_err e =
        p && s->free_ids && s->kw_gated ? RP_OK : rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    for (size_t i = 0; i < s->n && !e; i++) {
        if (part_of(&s->ids[i]) != PART_FREE) continue;
        s->free_ids[s->nfree] = (unsigned)i;
        p[s->nfree++] =
            (struct rp_re_pattern){s->ids[i].regex, s->ids[i].caseless ? RP_RE_CASELESS : 0};
    }
    unsigned g = 0; /* gated identifiers come in the order compile_part numbered them */
    for (size_t i = 0; i < s->n && !e; i++) {
        if (!gated(&s->ids[i])) continue;
        for (size_t k = 0; k < s->ids[i].nkeywords && !e; k++) {
            char *r = keyword_regex(s->ids[i].keywords[k]);
            if (!r)
                e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
            else {
                s->kw_gated[s->nkw] = g;
                p[s->nfree + s->nkw++] = (struct rp_re_pattern){r, RP_RE_CASELESS};
            }
        }
        g++;
    }
    struct rp_errbuf reb = {0};
    if (!e) e = rp_re_set_new(p, s->nfree + s->nkw, &s->re_free, &reb);
    if (e == RP_EPARSE) {
        /* "re: pattern <i>: .." -> name the identifier */
        unsigned long i = strtoul(reb.msg + 12, NULL, 10);
        const char *c = strchr(reb.msg + 12, ':');
        if (i < s->nfree)
            e = rp_fail(eb, e, "dataid: %s: regex: %s",
                        s->ids[s->free_ids[i]].file ? s->ids[s->free_ids[i]].file
                                                    : s->ids[s->free_ids[i]].id,
                        c ? c + 2 : reb.msg);
        else
            e = rp_fail(eb, e, "dataid: keywords: %s", reb.msg);
    } else if (e && e != RP_ENOMEM) {
        e = rp_fail(eb, e, "dataid: %s", reb.msg);
    } else if (e) {
        e = rp_fail(eb, e, "dataid: out of memory");
    }
    for (size_t i = 0; p && i < s->nkw; i++) free((char *)p[s->nfree + i].regex);
    free(p);
    return e;
}

rp_err rp_dataid_set_compile(struct rp_dataid_set *s, struct rp_errbuf *eb)
{
    rp_err e = compile_part(s, PART_GATED, &s->re_gated, &s->gated_ids, &s->ngated, eb);
    if (!e) e = compile_part(s, PART_DIGITS, &s->re_digits, &s->digit_ids, &s->ndigits, eb);
    if (!e) e = compile_runs(s, eb);
    (void)parse_class("0-9 -", &s->digit_bytes);
    s->min_digit_run = 0;
    for (size_t i = 0; i < s->ndigits; i++) {
        unsigned r = s->ids[s->digit_ids[i]].digit_run;
        if (!s->min_digit_run || r < s->min_digit_run) s->min_digit_run = r;
    }
    if (!e) e = compile_free_keywords(s, eb);
    if (!e && !(s->kwlast = calloc(s->n ? s->n : 1, sizeof(*s->kwlast))))
        e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    for (size_t i = 0; !e && i < s->n; i++)
        for (size_t k = 0; k < s->ids[i].nkeywords; k++) {
            size_t kl = strlen(s->ids[i].keywords[k]);
            if (!kl) continue;
            unsigned char c = (unsigned char)kwfold(s->ids[i].keywords[k][kl - 1]);
            s->kwlast[i][c >> 6] |= 1ull << (c & 63);
        }
    if (!e && !(s->gated_width = calloc(s->ngated ? s->ngated : 1, sizeof(*s->gated_width))))
        e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    for (size_t i = 0; !e && i < s->ngated; i++) {
        unsigned w = rp_re_set_max_width(s->re_gated, i);
        s->gated_width[i] = w > GATED_WIDTH_CAP ? GATED_WIDTH_CAP : w;
    }
    if (e) return e;
    struct rp_errbuf reb = {0};
    if (s->nallow_regex) {
        struct rp_re_pattern *ap = calloc(s->nallow_regex, sizeof(*ap));
        if (!ap) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
        for (size_t i = 0; i < s->nallow_regex; i++)
            ap[i] = (struct rp_re_pattern){s->allow_regex[i], 0};
        e = rp_re_set_new(ap, s->nallow_regex, &s->allow, &reb);
        free(ap);
        if (e) return rp_fail(eb, e, "dataid: allow list regex: %s", reb.msg);
    }
    s->compiled = true;
    return RP_OK;
}

rp_err rp_dataid_scratch_new(const struct rp_dataid_set *s, struct rp_dataid_scratch **out)
{
    *out = calloc(1, sizeof(**out));
    if (!*out) return RP_ENOMEM;
    if (rp_re_scratch_new(s->re_free, &(*out)->re_free) ||
        rp_re_scratch_new(s->re_gated, &(*out)->re_gated) ||
        rp_re_scratch_new(s->re_digits, &(*out)->re_digits) ||
        !((*out)->active = calloc(s->ngated ? s->ngated : 1, 1)) ||
        !((*out)->full = calloc(s->ngated ? s->ngated : 1, 1)) ||
        !((*out)->inwin = calloc(s->ngated ? s->ngated : 1, 1)) ||
        !((*out)->lastw = calloc(s->ngated ? s->ngated : 1, sizeof(size_t))) ||
        !((*out)->cover = calloc(s->ngated ? s->ngated : 1, sizeof(size_t))) ||
        !((*out)->single = calloc(s->ngated ? s->ngated : 1, sizeof(*(*out)->single))) ||
        !((*out)->single_sc = calloc(s->ngated ? s->ngated : 1, sizeof(*(*out)->single_sc))) ||
        (s->allow && rp_re_scratch_new(s->allow, &(*out)->allow)) ||
        !((*out)->re_runs = calloc(s->nruns ? s->nruns : 1, sizeof(*(*out)->re_runs)))) {
        rp_dataid_scratch_free(*out);
        *out = NULL;
        return RP_ENOMEM;
    }
    for (; (*out)->nre_runs < s->nruns; (*out)->nre_runs++)
        if (rp_re_scratch_new(s->runs[(*out)->nre_runs].re, &(*out)->re_runs[(*out)->nre_runs]))
            break;
    if ((*out)->nre_runs < s->nruns) {
        rp_dataid_scratch_free(*out);
        *out = NULL;
        return RP_ENOMEM;
    }
    (*out)->nsingle = s->ngated;
    return RP_OK;
}

void rp_dataid_scratch_free(struct rp_dataid_scratch *sc)
{
    if (!sc) return;
    rp_re_scratch_free(sc->re_free);
    rp_re_scratch_free(sc->re_gated);
    rp_re_scratch_free(sc->re_digits);
    rp_re_scratch_free(sc->allow);
    for (size_t i = 0; sc->re_runs && i < sc->nre_runs; i++) rp_re_scratch_free(sc->re_runs[i]);
    free(sc->re_runs);
    for (size_t i = 0; sc->single && i < sc->nsingle; i++) {
        rp_re_scratch_free(sc->single_sc[i]);
        rp_re_set_free(sc->single[i]);
    }
    free(sc->single);
    free(sc->single_sc);
    free(sc->active);
    free(sc->full);
    free(sc->inwin);
    free(sc->lastw);
    free(sc->cover);
    free(sc->c);
    free(sc->tmp);
    free(sc->w);
    free(sc);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool blocks(enum rp_dataid_boundary b, char c)
{
    switch (b) {
    case RP_DATAID_BOUND_DIGIT:
        return is_digit(c);
    case RP_DATAID_BOUND_ALNUM:
        return is_alnum(c);
    case RP_DATAID_BOUND_WORD:
        return is_alnum(c) || c == '_';
    default:
        return false;
    }
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Keyword comparison: ASCII case-insensitive, and '_', '-' and ' ' are the same character,
 * so "card number" finds "card_number" and "Card-Number" (field and column names). */
static char kwfold(char c)
{
    return c == '_' || c == '-' ? ' ' : lower(c);
}

/* A keyword starts a word: when it starts with a letter or digit, the byte before it may not
 * be one, so "tel" is not found in "hotel" (its end may run on: "track1", "cvc2",
 * "korekortnummer" are keywords followed by more). */
static bool word_start(const char *buf, size_t ks, const char *kw)
{
    return !(is_alnum(kw[0]) && ks > 0 && is_alnum(buf[ks - 1]));
}

/* A keyword ending at most max_distance before the match's end and no later than its start. */
static bool keyword_before(const struct rp_dataid_set *s, const struct rp_dataid_ident *d,
                           const char *buf, size_t start, size_t end)
{
    /* every place a keyword may end, latest first; the keywords only where the byte before
     * it is some keyword's last (the same pairs of keyword and place as trying every keyword
     * at every place) */
    const uint64_t *last = s->kwlast[d - s->ids];
    size_t lo = end > d->max_distance ? end - d->max_distance : 0;
    if (lo < 1) lo = 1;
    for (size_t ke = start; ke >= lo; ke--) {
        unsigned char c = (unsigned char)kwfold(buf[ke - 1]);
        if (last[c >> 6] >> (c & 63) & 1) {
            for (size_t k = 0; k < d->nkeywords; k++) {
                const char *kw = d->keywords[k];
                size_t kl = strlen(kw);
                if (!kl || kl > ke) continue;
                size_t ks = ke - kl, i = 0;
                while (i < kl && kwfold(buf[ks + i]) == kwfold(kw[i])) i++;
                if (i == kl && word_start(buf, ks, kw)) return true;
            }
        }
        if (ke == lo) break;
    }
    return false;
}

static bool has_ignore_word(const struct rp_dataid_ident *d, const char *p, size_t n)
{
    for (size_t k = 0; k < d->nignore; k++) {
        const char *w = d->ignore_words[k];
        size_t wl = strlen(w);
        for (size_t i = 0; wl && i + wl <= n; i++)
            if (p[i] == w[0] && !memcmp(p + i, w, wl)) return true;
    }
    return false;
}

static int any_match(void *ctx, unsigned p, size_t s, size_t e)
{
    (void)p;
    (void)s;
    (void)e;
    *(bool *)ctx = true;
    return 1;
}

static bool allowed(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc, const char *p,
                    size_t n)
{
    if (s->nphrases && n < 512) {
        char key[512];
        for (size_t i = 0; i < n; i++) key[i] = lower(p[i]);
        key[n] = 0;
        const char *k = key;
        if (bsearch(&k, s->phrases, s->nphrases, sizeof(*s->phrases), cmp_pstr)) return true;
    }
    if (s->allow) {
        bool hit = false;
        struct rp_errbuf eb = {0};
        if (rp_re_scan(s->allow, sc->allow, p, n, any_match, &hit, &eb) == RP_OK && hit)
            return true;
    }
    return false;
}

struct scan {
    const struct rp_dataid_set *s;
    struct rp_dataid_scratch *sc;
    const char *buf;
    size_t n;
    rp_dataid_match_fn fn;
    void *ctx;
    const struct rp_dataid_scan_opts *opts;
    struct rp_errbuf *eb;
    rp_err err;
};

bool rp_dataid_keyword_in(const struct rp_dataid_ident *d, const char *p, size_t n)
{
    for (size_t k = 0; k < d->nkeywords; k++) {
        size_t kl = strlen(d->keywords[k]);
        for (size_t i = 0; kl && i + kl <= n; i++) {
            size_t j = 0;
            while (j < kl && kwfold(p[i + j]) == kwfold(d->keywords[k][j])) j++;
            if (j == kl && word_start(p, i, d->keywords[k])) return true;
        }
    }
    return false;
}

static bool on_candidate(struct scan *x, unsigned ident, size_t start, size_t end)
{
    const struct rp_dataid_ident *d = &x->s->ids[ident];
    if (end == start) return false;
    if (d->boundary != RP_DATAID_BOUND_NONE &&
        ((start > 0 && blocks(d->boundary, x->buf[start - 1])) ||
         (end < x->n && blocks(d->boundary, x->buf[end]))))
        return false;
    if (d->nignore && has_ignore_word(d, x->buf + start, end - start)) return false;
    if (d->validator && !d->validator->validate(x->buf + start, end - start)) return false;
    if (d->keyword_mode != RP_DATAID_KW_NONE) {
        bool kw = keyword_before(x->s, d, x->buf, start, end) ||
                  (x->opts && x->opts->context_keyword &&
                   x->opts->context_keyword(x->opts->ctx, d, start));
        if (kw != (d->keyword_mode == RP_DATAID_KW_REQUIRED)) return false;
    }
    if ((x->s->nphrases || x->s->allow) && allowed(x->s, x->sc, x->buf + start, end - start))
        return false;
    struct rp_dataid_match m = {d, start, end};
    x->err = x->fn(&m, x->ctx, x->eb);
    return x->err != RP_OK;
}

/* Collecting candidates of one part: the part's pattern -> identifier map, an offset. */
struct collect {
    struct rp_dataid_scratch *sc;
    const unsigned *ids;
    size_t base;
    rp_err err;
};

static int collect_cand(void *ctx, unsigned p, size_t start, size_t end)
{
    struct collect *k = ctx;
    struct rp_dataid_scratch *sc = k->sc;
    if (sc->nc == sc->capc) {
        size_t cap = sc->capc ? 2 * sc->capc : 256;
        struct cand *c = realloc(sc->c, cap * sizeof(*c));
        if (!c) {
            k->err = RP_ENOMEM;
            return 1;
        }
        sc->c = c;
        sc->capc = cap;
    }
    sc->c[sc->nc++] = (struct cand){k->ids[p], k->base + start, k->base + end};
    return 0;
}

/* A keyword hit: its identifier becomes active, and text after it is a window. */
struct kwscan {
    const struct rp_dataid_set *s;
    struct rp_dataid_scratch *sc;
    const char *buf;
    size_t n;
    const struct rp_dataid_scan_opts *opts;
    rp_err err;
};

/* In a JSON document, a keyword inside a key gives context to the key's scalar value: the
 * window runs to the end of that value (a string to its closing quote, else to , } ] or a
 * line end), so a long value after a key is searched whole. */
static size_t json_value_end(const char *buf, size_t n, size_t from)
{
    size_t i = from, lim = from + 256 < n ? from + 256 : n;
    while (i < lim && buf[i] != '"' && buf[i] != '\n') i++; /* the end of the key */
    if (i >= lim || buf[i] != '"') return from;
    i++;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t')) i++;
    if (i >= n || buf[i] != ':') return from;
    i++;
    while (i < n && (buf[i] == ' ' || buf[i] == '\t')) i++;
    if (i < n && buf[i] == '"') {
        for (i++; i < n && buf[i] != '"'; i++)
            if (buf[i] == '\\') i++;
        return i < n ? i + 1 : n;
    }
    while (i < n && buf[i] != ',' && buf[i] != '}' && buf[i] != ']' && buf[i] != '\n') i++;
    return i;
}

static int on_keyword(void *ctx, unsigned p, size_t start, size_t end)
{
    struct kwscan *k = ctx;
    const struct rp_dataid_set *s = k->s;
    struct rp_dataid_scratch *sc = k->sc;
    if (start > 0 && is_alnum(k->buf[start]) && is_alnum(k->buf[start - 1]))
        return 0; /* not at a word start: keyword_before would not take it */
    size_t g = s->kw_gated[p];
    unsigned ident = s->gated_ids[g];
    sc->active[g] = 1;
    if (k->opts && (end <= k->opts->header_end || k->opts->whole))
        sc->full[g] = 1; /* a CSV column's name; a SQL dump's COPY columns */
    /* searched over the whole buffer (a context names it, or its windows already cover more
     * than candidates() lets windows cover, and they only grow): its windows would go unused */
    if (sc->full[g] || sc->cover[g] > k->n / DENSE_KEYWORDS) return 0;
    /* a match ends at most max_distance after the keyword, so it lies in the window; the
     * window runs a little further, so that a match the window's end would cut short ends
     * past every keyword's reach, and keyword_before refuses it as it would the whole one */
    size_t wend = end + s->ids[ident].max_distance + s->gated_width[g];
    if (k->opts && k->opts->json) {
        size_t v = json_value_end(k->buf, k->n, end);
        if (v > wend) wend = v;
    }
    if (wend > k->n) wend = k->n;
    struct win *last = sc->lastw[g] ? &sc->w[sc->lastw[g] - 1] : NULL;
    if (last && start <= last->end) { /* keyword hits come in start order */
        if (wend > last->end) {
            sc->cover[g] += wend - last->end;
            last->end = wend;
        }
        return 0;
    }
    if (sc->nw == sc->capw) {
        size_t cap = sc->capw ? 2 * sc->capw : 256;
        struct win *w = realloc(sc->w, cap * sizeof(*w));
        if (!w) {
            k->err = RP_ENOMEM;
            return 1;
        }
        sc->w = w;
        sc->capw = cap;
    }
    sc->w[sc->nw++] = (struct win){start, wend, g};
    sc->lastw[g] = sc->nw;
    sc->cover[g] += wend - start;
    return 0;
}

/* The windows of the identifiers searched in windows, merged where they overlap. */
static void merge_windows(struct rp_dataid_scratch *sc)
{
    size_t o = 0;
    for (size_t i = 0; i < sc->nw; i++) {
        struct win w = sc->w[i];
        if (!sc->inwin[w.g]) continue;
        if (o && w.start <= sc->w[o - 1].end) {
            if (w.end > sc->w[o - 1].end) sc->w[o - 1].end = w.end;
        } else {
            sc->w[o++] = w;
        }
    }
    sc->nw = o;
}

/* The digit-run identifiers: inside each maximal run of digits, spaces and dashes that holds
 * enough digits (their matches are made of nothing else, so none crosses a run's end, and a
 * global search restarted at a run's start finds what one over the whole buffer would). */
static rp_err digit_runs(struct scan *x, struct collect *k, struct rp_errbuf *eb)
{
    const struct rp_dataid_set *s = x->s;
    struct rp_dataid_scratch *sc = x->sc;
    struct collect kd = {.sc = sc, .ids = s->digit_ids};
    rp_err e = RP_OK;
    if (s->exhaustive) {
        e = rp_re_scan(s->re_digits, sc->re_digits, x->buf, x->n, collect_cand, &kd, eb);
    } else {
        /* the maximal runs of digits, spaces and dashes at least min_digit_run long (found
         * by a vector scan), each from its first digit, holding enough digits */
        const unsigned char *b = (const unsigned char *)x->buf;
        size_t pos = 0, rs = 0, re = 0;
        while (!e && !kd.err &&
               rp_re_class_run(&s->digit_bytes, x->buf, x->n, s->min_digit_run, &pos, &rs, &re)) {
            while (rs < re && !(b[rs] >= '0' && b[rs] <= '9')) rs++; /* a run starts at a digit */
            size_t digits = 0;
            for (size_t i = rs; i < re && digits < s->min_digit_run; i++)
                digits += b[i] >= '0' && b[i] <= '9';
            if (digits < s->min_digit_run) continue;
            kd.base = rs;
            e = rp_re_scan(s->re_digits, sc->re_digits, x->buf + rs, re - rs, collect_cand, &kd,
                           eb);
        }
    }
    if (!e && kd.err) k->err = kd.err;
    return e;
}

/* The next run of identifier i's run spec in buf[*pos..n). */
static bool next_run(const struct rp_dataid_set *s, unsigned i, const char *buf, size_t n,
                     size_t *pos, size_t *rs, size_t *re)
{
    const struct runspec *r = &s->rspec[i];
    return r->nneed
               ? rp_re_class_run_need(&r->cls, r->minlen, r->need, r->nneed, buf, n, pos, rs, re)
               : rp_re_class_run(&r->cls, buf, n, r->minlen, pos, rs, re);
}

/* Pattern set re (one identifier's) over the runs of identifier i's run spec, runs less than
 * RUN_GAP apart searched as one stretch (the bytes between are not run bytes, so no match
 * crosses them and a global search over the stretch finds what one per run would). */
#define RUN_GAP 32
static rp_err scan_runs(struct scan *x, unsigned i, const struct rp_re_set *re,
                        struct rp_re_scratch *rsc, struct collect *kr, struct rp_errbuf *eb)
{
    size_t pos = 0, rs = 0, rend = 0, a = 0, b = 0;
    bool have = false;
    rp_err e = RP_OK;
    while (!e && !kr->err) {
        bool more = next_run(x->s, i, x->buf, x->n, &pos, &rs, &rend);
        if (more && have && rs - b < RUN_GAP) {
            b = rend;
            continue;
        }
        if (have) {
            kr->base = a;
            e = rp_re_scan(re, rsc, x->buf + a, b - a, collect_cand, kr, eb);
        }
        if (!more) break;
        a = rs;
        b = rend;
        have = true;
    }
    return e;
}

/* The run_bytes identifiers: each inside the maximal runs of its bytes that are long enough
 * (its matches are made of nothing else, so none crosses a run's end). */
static rp_err byte_runs(struct scan *x, struct collect *k, struct rp_errbuf *eb)
{
    const struct rp_dataid_set *s = x->s;
    struct rp_dataid_scratch *sc = x->sc;
    rp_err e = RP_OK;
    for (size_t g = 0; !e && !k->err && g < s->nruns; g++) {
        const struct rungroup *r = &s->runs[g];
        struct collect kr = {.sc = sc, .ids = &r->id};
        if (s->exhaustive) {
            e = rp_re_scan(r->re, sc->re_runs[g], x->buf, x->n, collect_cand, &kr, eb);
        } else {
            e = scan_runs(x, r->id, r->re, sc->re_runs[g], &kr, eb);
        }
        if (!e && kr.err) k->err = kr.err;
    }
    return e;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->ident != y->ident) return x->ident < y->ident ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* The candidates come as a few runs in start order (one per pass): merged, run after run
 * into the next, as a natural merge sort does. 1 when out of memory (the caller sorts in
 * place). */
static int sort_cands(struct rp_dataid_scratch *sc)
{
    size_t n = sc->nc;
    if (sc->captmp < n) {
        struct cand *t = realloc(sc->tmp, n * sizeof(*t));
        if (!t) return 1;
        sc->tmp = t;
        sc->captmp = n;
    }
    struct cand *a = sc->c, *b = sc->tmp;
    for (;;) {
        size_t o = 0, runs = 0;
        for (size_t i = 0; i < n;) {
            size_t m = i + 1; /* [i, m) and [m, e): two runs in order */
            while (m < n && cmp_cand(&a[m - 1], &a[m]) <= 0) m++;
            size_t e = m;
            if (e < n) {
                e++;
                while (e < n && cmp_cand(&a[e - 1], &a[e]) <= 0) e++;
            }
            size_t p = i, q = m;
            while (p < m && q < e) b[o++] = cmp_cand(&a[q], &a[p]) < 0 ? a[q++] : a[p++];
            while (p < m) b[o++] = a[p++];
            while (q < e) b[o++] = a[q++];
            runs++;
            i = e;
        }
        struct cand *t = a;
        a = b;
        b = t;
        if (runs <= 1) break;
    }
    if (a != sc->c) memcpy(sc->c, a, n * sizeof(*a));
    return 0;
}

/* One pass for the free patterns and the keywords: each hit to its own. */
struct free_kw {
    struct collect *k;
    struct kwscan *ks;
    size_t nfree;
    bool kw; /* the keywords are wanted (not in an exhaustive scan) */
};

static int on_free_kw(void *ctx, unsigned p, size_t start, size_t end)
{
    struct free_kw *f = ctx;
    if (p < f->nfree) return collect_cand(f->k, p, start, end);
    return f->kw ? on_keyword(f->ks, (unsigned)(p - f->nfree), start, end) : 0;
}

/* The candidates of buf: the free part over all of it; the gated part only for identifiers
 * whose keywords occur in buf at all, over the windows after their keywords, except an
 * identifier a structured file's context names (a CSV header, SQL COPY columns), which runs
 * alone over all of buf; in start order. */
static rp_err candidates(struct scan *x, struct rp_errbuf *eb)
{
    const struct rp_dataid_set *s = x->s;
    struct rp_dataid_scratch *sc = x->sc;
    sc->nc = sc->nw = 0;
    struct collect k = {.sc = sc, .ids = s->free_ids};
    struct kwscan ks = {.s = s, .sc = sc, .buf = x->buf, .n = x->n, .opts = x->opts};
    struct free_kw fk = {&k, &ks, s->nfree, s->ngated && !s->exhaustive};
    if (fk.kw) {
        memset(sc->active, 0, s->ngated);
        memset(sc->full, 0, s->ngated);
        memset(sc->lastw, 0, s->ngated * sizeof(*sc->lastw));
        memset(sc->cover, 0, s->ngated * sizeof(*sc->cover));
    }
    rp_err e = rp_re_scan(s->re_free, sc->re_free, x->buf, x->n, on_free_kw, &fk, eb);
    if (!e && (k.err || ks.err)) e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    if (!e && s->ndigits) e = digit_runs(x, &k, eb);
    if (!e && s->nruns) e = byte_runs(x, &k, eb);
    if (!e && k.err) e = rp_fail(eb, k.err, "dataid: out of memory");
    if (!e && s->ngated && s->exhaustive) {
        k.ids = s->gated_ids;
        e = rp_re_scan(s->re_gated, sc->re_gated, x->buf, x->n, collect_cand, &k, eb);
    } else if (!e && s->ngated) {
        /* an identifier whose keywords are everywhere (a JSON key on every line) runs alone
         * over all of buf rather than making every pattern run almost everywhere */
        bool any_win = false;
        for (size_t i = 0; i < s->ngated; i++) {
            if (sc->active[i] && sc->cover[i] > x->n / DENSE_KEYWORDS) sc->full[i] = 1;
            sc->inwin[i] = sc->active[i] && !sc->full[i];
            any_win |= sc->inwin[i];
        }
        merge_windows(sc);
        k.ids = s->gated_ids;
        for (size_t i = 0; !e && any_win && i < sc->nw; i++) {
            k.base = sc->w[i].start;
            e = rp_re_scan_ex(s->re_gated, sc->re_gated, x->buf + k.base, sc->w[i].end - k.base,
                              sc->inwin, collect_cand, &k, eb);
        }
        /* identifiers a context names: alone, over everything */
        k.base = 0;
        for (size_t i = 0; !e && !k.err && i < s->ngated; i++) {
            if (!sc->full[i]) continue;
            if (!sc->single[i]) {
                const struct rp_dataid_ident *d = &s->ids[s->gated_ids[i]];
                struct rp_re_pattern p = {d->regex, d->caseless ? RP_RE_CASELESS : 0};
                struct rp_errbuf reb = {0};
                if (rp_re_set_new(&p, 1, &sc->single[i], &reb) ||
                    rp_re_scratch_new(sc->single[i], &sc->single_sc[i]))
                    e = rp_fail(eb, RP_ENOMEM, "dataid: %s: cannot compile: %s", d->id, reb.msg);
            }
            unsigned id1 = s->gated_ids[i];
            struct collect k1 = {.sc = sc, .ids = &id1};
            if (!e && s->ids[id1].run_length) /* only the runs its matches may lie in */
                e = scan_runs(x, id1, sc->single[i], sc->single_sc[i], &k1, eb);
            else if (!e)
                e = rp_re_scan(sc->single[i], sc->single_sc[i], x->buf, x->n, collect_cand, &k1,
                               eb);
            if (!e && k1.err) k.err = k1.err;
        }
        if (!e && k.err) e = rp_fail(eb, k.err, "dataid: out of memory");
    }
    if (!e && sc->nc > 1 && sort_cands(sc)) qsort(sc->c, sc->nc, sizeof(*sc->c), cmp_cand);
    return e;
}

rp_err rp_dataid_scan(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc, const char *buf,
                      size_t n, rp_dataid_match_fn fn, void *ctx, struct rp_errbuf *eb)
{
    return rp_dataid_scan_ex(s, sc, buf, n, NULL, fn, ctx, eb);
}

rp_err rp_dataid_scan_ex(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                         const char *buf, size_t n, const struct rp_dataid_scan_opts *opts,
                         rp_dataid_match_fn fn, void *ctx, struct rp_errbuf *eb)
{
    if (!s->compiled) return rp_fail(eb, RP_EINVAL, "dataid: the set is not compiled");
    struct scan x = {.s = s,
                     .sc = sc,
                     .buf = buf ? buf : "",
                     .n = n,
                     .fn = fn,
                     .ctx = ctx,
                     .opts = opts,
                     .eb = eb};
    rp_err e = candidates(&x, eb);
    for (size_t i = 0; !e && i < sc->nc; i++)
        if (on_candidate(&x, sc->c[i].ident, sc->c[i].start, sc->c[i].end)) break;
    return e ? e : x.err;
}
