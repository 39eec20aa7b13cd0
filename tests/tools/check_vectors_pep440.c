/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-run checker (not a test): PEP 440 in src/vuln (rp_vuln_ver_pep440, rp_pep440_normalize,
 * rp_pep440_contains) against pypa/packaging's test tables in a version-vectors directory:
 *     check_vectors_pep440 DIR
 * reads DIR/pypa-packaging-pep440.json and prints one line per table ("table: N cases, P
 * passed, F failed", or "skipped" with the reason) with the first failures, then
 * "pypa-packaging-pep440.json: N cases, P passed, F failed". Exit status 0 only when every
 * case passes.
 *
 * module_constants.VERSIONS is strictly ascending: every pair i < j must give cmp < 0 one way
 * and > 0 the other, and each version must be valid and equal to itself. The parametrized
 * tables map onto the contract as follows: normal forms through rp_pep440_normalize; the
 * component tables (epoch, release, pre, post, dev, local, public, base_version,
 * is_devrelease, is_postrelease) by reading the component out of the normal form, which is
 * canonical; is_prerelease through rp_pep440_contains("", v), which refuses exactly the
 * pre-releases; from_parts by writing the parts as a version string. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln.h"

#define MAX_SHOWN 8
#define FILE_NAME "pypa-packaging-pep440.json"

struct tally {
    const char *table;
    size_t cases, passed, shown;
};

static size_t total_cases, total_passed;
static const struct rp_vuln_versioning *pep; /* the registry's "pep440" */

static void fail(struct tally *t, const char *fmt, ...) RP_PRINTF(2, 3);
static void fail(struct tally *t, const char *fmt, ...)
{
    if (t->shown++ >= MAX_SHOWN) return;
    va_list ap;
    va_start(ap, fmt);
    printf("  FAIL %s: ", t->table);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static void check(struct tally *t, bool ok, const char *fmt, ...) RP_PRINTF(3, 4);
static void check(struct tally *t, bool ok, const char *fmt, ...)
{
    t->cases++;
    if (ok) {
        t->passed++;
        return;
    }
    if (t->shown++ >= MAX_SHOWN) return;
    va_list ap;
    va_start(ap, fmt);
    printf("  FAIL %s: ", t->table);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static void report(const struct tally *t)
{
    printf("%s: %zu cases, %zu passed, %zu failed\n", t->table, t->cases, t->passed,
           t->cases - t->passed);
    total_cases += t->cases;
    total_passed += t->passed;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) free(buf);
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ---- components read from a normal form ----------------------------------------------- */

struct parts {
    char epoch[64]; /* "0" when absent */
    char release[256];
    char pre[64];    /* "a1", "rc4"; "" when absent */
    char post[64];   /* digits; "" when absent */
    char dev[64];    /* digits; "" when absent */
    char local[256]; /* after '+'; "" when absent */
    char public_[512];
    char base[320];
    bool has_local;
};

static void copy(char *dst, size_t size, const char *p, size_t n)
{
    if (n >= size) n = size - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static size_t digits(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9') n++;
    return n;
}

/* Split the normal form [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]. */
static void decompose(const char *nf, struct parts *p)
{
    memset(p, 0, sizeof *p);
    const char *s = nf, *plus = strchr(nf, '+');
    size_t pub = plus ? (size_t)(plus - nf) : strlen(nf);
    copy(p->public_, sizeof p->public_, nf, pub);
    if (plus) {
        p->has_local = true;
        copy(p->local, sizeof p->local, plus + 1, strlen(plus + 1));
    }
    size_t d = digits(s);
    if (s[d] == '!') {
        copy(p->epoch, sizeof p->epoch, s, d);
        s += d + 1;
    } else {
        copy(p->epoch, sizeof p->epoch, "0", 1);
    }
    const char *r = s;
    s += digits(s);
    while (s[0] == '.' && s[1] >= '0' && s[1] <= '9') s += 1 + digits(s + 1);
    copy(p->release, sizeof p->release, r, (size_t)(s - r));
    copy(p->base, sizeof p->base, nf, (size_t)(s - nf));
    if (*s == 'a' || *s == 'b' || *s == 'r') {
        size_t l = *s == 'r' ? 2 : 1;
        size_t n = l + digits(s + l);
        copy(p->pre, sizeof p->pre, s, n);
        s += n;
    }
    if (strncmp(s, ".post", 5) == 0) {
        size_t n = digits(s + 5);
        copy(p->post, sizeof p->post, s + 5, n);
        s += 5 + n;
    }
    if (strncmp(s, ".dev", 4) == 0) copy(p->dev, sizeof p->dev, s + 4, digits(s + 4));
}

/* ---- JSON helpers -------------------------------------------------------------------------- */

static bool str_of(struct rp_json_val v, struct rp_str *out)
{
    return rp_json_get_str(v, out) == RP_OK;
}

/* Element i of the case array c (a 2-element array), or c itself for 1-name tables. */
static struct rp_json_val elem(struct rp_json_val c, size_t i)
{
    struct rp_json_val out = {0};
    if (rp_json_type(c) != RP_JSON_ARRAY) return i == 0 ? c : out;
    if (rp_json_arr_at(c, i, &out) != RP_OK) memset(&out, 0, sizeof out);
    return out;
}

/* An integer JSON value as decimal text into buf; false when it is not an integer. */
static bool int_text(struct rp_json_val v, char *buf, size_t size)
{
    int64_t x = 0;
    if (rp_json_get_i64(v, &x) != RP_OK) return false;
    snprintf(buf, size, "%lld", (long long)x);
    return true;
}

static bool normalize(struct rp_str v, char *buf, size_t size)
{
    return rp_pep440_normalize(v, buf, size, NULL) == RP_OK;
}

/* ---- tables -------------------------------------------------------------------------------- */

static void check_versions(struct rp_json_val root)
{
    const struct rp_vuln_versioning *vs = pep;
    struct rp_json_val mc, arr, el;
    struct tally valid = {"VERSIONS valid and equal to themselves", 0, 0, 0};
    struct tally pairs = {"VERSIONS pairs ascending", 0, 0, 0};
    if (rp_json_obj_get(root, "module_constants", &mc) != RP_OK ||
        rp_json_obj_get(mc, "VERSIONS", &arr) != RP_OK) {
        fail(&valid, "no module_constants.VERSIONS");
        valid.cases++;
        report(&valid);
        return;
    }
    size_t n = rp_json_len(arr);
    struct rp_str *v = calloc(n ? n : 1, sizeof *v);
    struct rp_json_iter it;
    size_t k = 0;
    if (v && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el) && k < n)
            if (str_of(el, &v[k])) k++;
    for (size_t i = 0; i < k; i++)
        check(&valid, vs->valid(v[i]) && vs->cmp(v[i], v[i]) == 0, "'%.*s'", (int)v[i].len, v[i].p);
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) {
            int a = vs->cmp(v[i], v[j]), b = vs->cmp(v[j], v[i]);
            check(&pairs, a < 0 && b > 0, "'%.*s' vs '%.*s': cmp %d / %d", (int)v[i].len, v[i].p,
                  (int)v[j].len, v[j].p, a, b);
        }
    free(v);
    report(&valid);
    report(&pairs);
}

/* from_parts: {"release": [..], "epoch": n, "pre": [l, n], "post": n, "dev": n, "local": s}
 * written as "E!R" "ln" ".postN" ".devN" "+local". */
static bool build_from_parts(struct rp_json_val args, char *buf, size_t size)
{
    char num[32];
    size_t len = 0;
    struct rp_json_val x, el;
    struct rp_json_iter it;
#define APPEND(...) len += (size_t)snprintf(buf + len, len < size ? size - len : 0, __VA_ARGS__)
    buf[0] = '\0';
    if (rp_json_obj_get(args, "epoch", &x) == RP_OK && int_text(x, num, sizeof num))
        APPEND("%s!", num);
    if (rp_json_obj_get(args, "release", &x) != RP_OK || rp_json_arr_iter(x, &it) != RP_OK)
        return false;
    for (bool first = true; rp_json_arr_next(&it, &el); first = false) {
        if (!int_text(el, num, sizeof num)) return false;
        APPEND("%s%s", first ? "" : ".", num);
    }
    struct rp_str l;
    if (rp_json_obj_get(args, "pre", &x) == RP_OK && rp_json_type(x) == RP_JSON_ARRAY) {
        if (!str_of(elem(x, 0), &l) || !int_text(elem(x, 1), num, sizeof num)) return false;
        APPEND("%.*s%s", (int)l.len, l.p, num);
    }
    if (rp_json_obj_get(args, "post", &x) == RP_OK && int_text(x, num, sizeof num))
        APPEND(".post%s", num);
    if (rp_json_obj_get(args, "dev", &x) == RP_OK && int_text(x, num, sizeof num))
        APPEND(".dev%s", num);
    if (rp_json_obj_get(args, "local", &x) == RP_OK && str_of(x, &l))
        APPEND("+%.*s", (int)l.len, l.p);
#undef APPEND
    return len < size;
}

/* Expected value of a component table as text ("" for null); false if unreadable. */
static bool expected_text(struct rp_json_val e, char *buf, size_t size)
{
    struct rp_str s;
    switch (rp_json_type(e)) {
    case RP_JSON_NULL:
        buf[0] = '\0';
        return true;
    case RP_JSON_INT:
        return int_text(e, buf, size);
    case RP_JSON_STRING:
        if (!str_of(e, &s)) return false;
        copy(buf, size, s.p, s.len);
        return true;
    case RP_JSON_ARRAY: { /* release [1, 0] -> "1.0"; pre ["a", 1] -> "a1" */
        struct rp_json_iter it;
        struct rp_json_val el;
        size_t len = 0;
        bool release = rp_json_type(elem(e, 0)) == RP_JSON_INT;
        buf[0] = '\0';
        if (rp_json_arr_iter(e, &it) != RP_OK) return false;
        for (bool first = true; rp_json_arr_next(&it, &el); first = false) {
            char part[64];
            if (!expected_text(el, part, sizeof part)) return false;
            len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                    release && !first ? "." : "", part);
        }
        return len < size;
    }
    default:
        return false;
    }
}

static void check_table(const char *name, struct rp_json_val cases)
{
    struct tally t = {name, 0, 0, 0};
    struct rp_json_iter it;
    struct rp_json_val c;
    char nf[512], want[512], got[512];
    if (rp_json_arr_iter(cases, &it) != RP_OK) {
        printf("%s: skipped (no cases array)\n", name);
        return;
    }
    while (rp_json_arr_next(&it, &c)) {
        struct rp_str v = {0}, w = {0};
        struct rp_json_val a = elem(c, 0), b = elem(c, 1);
        if (strcmp(name, "test_from_parts") == 0) {
            char built[256];
            bool ok = build_from_parts(a, built, sizeof built) && str_of(b, &w) &&
                      normalize(rp_str_from(built), got, sizeof got) &&
                      normalize(w, want, sizeof want);
            check(&t, ok && strcmp(got, want) == 0 && pep->cmp(rp_str_from(built), w) == 0,
                  "parts as '%s' -> '%s', expected '%.*s'", built, ok ? got : "?", (int)w.len, w.p);
            continue;
        }
        if (!str_of(a, &v)) {
            check(&t, false, "unreadable case");
            continue;
        }
        if (strcmp(name, "test_invalid_versions") == 0) {
            struct rp_errbuf eb;
            bool ok = !pep->valid(v) && rp_pep440_normalize(v, nf, sizeof nf, &eb) == RP_EPARSE;
            check(&t, ok, "'%.*s' accepted", (int)v.len, v.p);
            continue;
        }
        if (strcmp(name, "test_version_is_prerelease") == 0) {
            bool want_pre = false, contained = false;
            bool ok = rp_json_get_bool(b, &want_pre) == RP_OK &&
                      rp_pep440_contains(RP_STR_LIT(""), v, false, &contained, NULL) == RP_OK;
            check(&t, ok && contained == !want_pre, "'%.*s': is_prerelease expected %s", (int)v.len,
                  v.p, want_pre ? "true" : "false");
            continue;
        }
        bool ok = normalize(v, nf, sizeof nf);
        struct parts p;
        decompose(ok ? nf : "", &p);
        const char *have = NULL;
        bool flag = false, want_flag = false, is_flag = false;
        if (strcmp(name, "test_normalized_versions") == 0 ||
            strcmp(name, "test_version_str_repr") == 0)
            have = nf;
        else if (strcmp(name, "test_version_public") == 0)
            have = p.public_;
        else if (strcmp(name, "test_version_base_version") == 0)
            have = p.base;
        else if (strcmp(name, "test_version_epoch") == 0)
            have = p.epoch;
        else if (strcmp(name, "test_version_release") == 0)
            have = p.release;
        else if (strcmp(name, "test_version_local") == 0)
            have = p.local;
        else if (strcmp(name, "test_version_pre") == 0)
            have = p.pre;
        else if (strcmp(name, "test_version_dev") == 0)
            have = p.dev;
        else if (strcmp(name, "test_version_post") == 0)
            have = p.post;
        else if (strcmp(name, "test_version_is_devrelease") == 0)
            is_flag = true, flag = ok && strstr(nf, ".dev") != NULL;
        else if (strcmp(name, "test_version_is_postrelease") == 0)
            is_flag = true, flag = ok && strstr(nf, ".post") != NULL;
        else {
            printf("%s: skipped (not mapped)\n", name);
            return;
        }
        if (is_flag) {
            ok = ok && rp_json_get_bool(b, &want_flag) == RP_OK;
            check(&t, ok && flag == want_flag, "'%.*s': expected %s", (int)v.len, v.p,
                  want_flag ? "true" : "false");
            continue;
        }
        ok = ok && expected_text(b, want, sizeof want);
        check(&t, ok && strcmp(have, want) == 0, "'%.*s': got '%s', expected '%s'", (int)v.len, v.p,
              ok ? have : "(invalid)", want);
    }
    report(&t);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: check_vectors_pep440 DIR\n");
        return 2;
    }
    pep = rp_vuln_versioning_find("pep440");
    if (!pep) {
        fprintf(stderr, "check_vectors_pep440: no \"pep440\" versioning registered\n");
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", argv[1], FILE_NAME);
    size_t len = 0;
    char *json = slurp(path, &len);
    if (!json) {
        fprintf(stderr, "check_vectors_pep440: cannot read '%s'\n", path);
        return 1;
    }
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root, params, t;
    struct rp_errbuf eb;
    if (!jp || rp_json_parse(jp, json, len, &root, &eb) != RP_OK) {
        fprintf(stderr, "check_vectors_pep440: %s\n", jp ? eb.msg : "out of memory");
        rp_json_parser_free(jp);
        free(json);
        return 1;
    }
    check_versions(root);
    struct rp_json_iter it;
    if (rp_json_obj_get(root, "parametrized", &params) == RP_OK &&
        rp_json_arr_iter(params, &it) == RP_OK)
        while (rp_json_arr_next(&it, &t)) {
            struct rp_str name;
            struct rp_json_val cases;
            if (rp_json_obj_get_str(t, "test", &name) != RP_OK ||
                rp_json_obj_get(t, "cases", &cases) != RP_OK)
                continue;
            char nm[128];
            copy(nm, sizeof nm, name.p, name.len);
            check_table(nm, cases);
        }
    printf("%s: %zu cases, %zu passed, %zu failed\n", FILE_NAME, total_cases, total_passed,
           total_cases - total_passed);
    rp_json_parser_free(jp);
    free(json);
    return total_cases == total_passed && total_cases > 0 ? 0 : 1;
}
