/* SPDX-License-Identifier: Apache-2.0 */
/* A set of data identifiers (dataid.h): identifier files read (YAML through core/rp_yaml),
 * every regex compiled into one multi-pattern matcher (core/rp_re: Hyperscan finds candidates
 * for all identifiers in one pass, PCRE2 confirms), then per candidate, cheapest first: the
 * boundary bytes, the ignore words, the validator, the keyword rule, the allow lists.
 *
 * Strings of the identifiers live in the set's arena; the set is immutable once compiled. */
#define RP_LOG_MODULE "dataid"

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

struct rp_dataid_set {
    struct rp_arena a;
    struct rp_dataid_ident *ids;
    size_t n, cap;
    struct rp_re_set *re;    /* the identifiers' patterns, pattern i = ids[i] */
    struct rp_re_set *allow; /* the allow-list regexes (anchored), or NULL */
    char **allow_regex;
    size_t nallow_regex;
    char **phrases; /* lower-cased allow-list phrases, sorted */
    size_t nphrases, capphrases;
    size_t max_kw; /* longest keyword, for the window */
    bool compiled;
};

struct rp_dataid_scratch {
    struct rp_re_scratch *re, *allow;
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
    rp_re_set_free(s->re);
    rp_re_set_free(s->allow);
    for (size_t i = 0; i < s->nphrases; i++) free(s->phrases[i]);
    free(s->phrases);
    for (size_t i = 0; i < s->nallow_regex; i++) free(s->allow_regex[i]);
    free(s->allow_regex);
    free(s->ids);
    rp_arena_release(&s->a);
    free(s);
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

rp_err rp_dataid_set_compile(struct rp_dataid_set *s, struct rp_errbuf *eb)
{
    struct rp_re_pattern *p = calloc(s->n ? s->n : 1, sizeof(*p));
    if (!p) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    for (size_t i = 0; i < s->n; i++)
        p[i] = (struct rp_re_pattern){s->ids[i].regex, s->ids[i].caseless ? RP_RE_CASELESS : 0};
    struct rp_errbuf reb = {0};
    rp_err e = rp_re_set_new(p, s->n, &s->re, &reb);
    free(p);
    if (e == RP_EPARSE) {
        /* "re: pattern <i>: .." -> name the identifier */
        unsigned long i = strtoul(reb.msg + 12, NULL, 10);
        return rp_fail(eb, e, "dataid: %s: regex: %s", i < s->n ? s->ids[i].file : "?",
                       strchr(reb.msg + 12, ':') ? strchr(reb.msg + 12, ':') + 2 : reb.msg);
    }
    if (e) return rp_fail(eb, e, "dataid: %s", reb.msg);
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
    if (rp_re_scratch_new(s->re, &(*out)->re) ||
        (s->allow && rp_re_scratch_new(s->allow, &(*out)->allow))) {
        rp_dataid_scratch_free(*out);
        *out = NULL;
        return RP_ENOMEM;
    }
    return RP_OK;
}

void rp_dataid_scratch_free(struct rp_dataid_scratch *sc)
{
    if (!sc) return;
    rp_re_scratch_free(sc->re);
    rp_re_scratch_free(sc->allow);
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
static bool keyword_before(const struct rp_dataid_ident *d, const char *buf, size_t start,
                           size_t end)
{
    for (size_t k = 0; k < d->nkeywords; k++) {
        const char *kw = d->keywords[k];
        size_t kl = strlen(kw);
        if (!kl || kl > start) continue;
        /* keyword ends at ke in [lo, start] with end - ke <= max_distance */
        size_t lo = end > d->max_distance ? end - d->max_distance : 0;
        if (lo < kl) lo = kl;
        for (size_t ke = start; ke >= lo; ke--) {
            size_t ks = ke - kl, i = 0;
            while (i < kl && kwfold(buf[ks + i]) == kwfold(kw[i])) i++;
            if (i == kl && word_start(buf, ks, kw)) return true;
            if (ke == lo) break;
        }
    }
    return false;
}

static bool has_ignore_word(const struct rp_dataid_ident *d, const char *p, size_t n)
{
    for (size_t k = 0; k < d->nignore; k++) {
        size_t wl = strlen(d->ignore_words[k]);
        for (size_t i = 0; wl && i + wl <= n; i++)
            if (!memcmp(p + i, d->ignore_words[k], wl)) return true;
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

static int on_candidate(void *ctx, unsigned p, size_t start, size_t end)
{
    struct scan *x = ctx;
    const struct rp_dataid_ident *d = &x->s->ids[p];
    if (end == start) return 0;
    if (d->boundary != RP_DATAID_BOUND_NONE &&
        ((start > 0 && blocks(d->boundary, x->buf[start - 1])) ||
         (end < x->n && blocks(d->boundary, x->buf[end]))))
        return 0;
    if (d->nignore && has_ignore_word(d, x->buf + start, end - start)) return 0;
    if (d->validator && !d->validator->validate(x->buf + start, end - start)) return 0;
    if (d->keyword_mode != RP_DATAID_KW_NONE) {
        bool kw = keyword_before(d, x->buf, start, end) ||
                  (x->opts && x->opts->context_keyword &&
                   x->opts->context_keyword(x->opts->ctx, d, start));
        if (kw != (d->keyword_mode == RP_DATAID_KW_REQUIRED)) return 0;
    }
    if ((x->s->nphrases || x->s->allow) && allowed(x->s, x->sc, x->buf + start, end - start))
        return 0;
    struct rp_dataid_match m = {d, start, end};
    x->err = x->fn(&m, x->ctx, x->eb);
    return x->err ? 1 : 0;
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
    rp_err e = rp_re_scan(s->re, sc->re, x.buf, n, on_candidate, &x, eb);
    return e ? e : x.err;
}
