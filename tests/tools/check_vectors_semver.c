/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-run checker (not a test): npm semver in src/vuln (rp_vuln_ver_semver and
 * rp_semver_satisfies) against node-semver's test fixtures in a version-vectors directory:
 *     check_vectors_semver DIR
 * reads DIR/node-semver/<file>.json ({"notes": [..], "cases": [..]}) and prints, per file,
 * "file: N cases, P passed, F failed" (plus skipped cases with their reason) and the first
 * failures; files beyond the contract are listed as "not implemented" with their counts. Exit
 * status 0 only when every checked case passes.
 *
 * How each file maps onto the contract:
 *   comparisons.json    [v1, v2, opts]: v1 > v2, so cmp(v1, v2) > 0, cmp(v2, v1) < 0, both
 *                       equal to themselves, and both valid() unless opts say loose
 *   equality.json       [v1, v2, opts]: cmp == 0 both ways, and valid() unless loose
 *   valid-versions.json [v, major, minor, patch, pre[], build[]]: valid(v), and v has the
 *                       precedence of "major.minor.patch-pre" (build metadata is not observable
 *                       through the contract, so it is not checked)
 *   range-include.json  [range, version, opts]: satisfies is RP_OK and true
 *   range-exclude.json  [range, version, opts]: satisfies is false (node-semver returns false
 *                       for an invalid range too, so RP_EPARSE also passes; counted apart)
 * opts is absent, a boolean (loose, node-semver's legacy form) or an object whose "loose" and
 * "includePrerelease" count by JavaScript truthiness ("NaN" stands for NaN, so false). Cases
 * whose options are a regexp object, or whose version is not a string, are skipped. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "vuln/vuln.h"

#define MAX_SHOWN 8

struct tally {
    const char *file;
    size_t cases, passed, shown, skipped, by_eparse;
    const char *skip_reason[4];
    size_t skip_count[4];
};

static const struct rp_vuln_versioning *sem;
static bool all_ok = true;

static void check(struct tally *t, bool ok, const char *fmt, ...) RP_PRINTF(3, 4);
static void check(struct tally *t, bool ok, const char *fmt, ...)
{
    t->cases++;
    if (ok) {
        t->passed++;
        return;
    }
    all_ok = false;
    if (t->shown++ >= MAX_SHOWN) return;
    va_list ap;
    va_start(ap, fmt);
    printf("  FAIL %s: ", t->file);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static void skip(struct tally *t, const char *reason)
{
    t->skipped++;
    for (size_t i = 0; i < 4; i++) {
        if (!t->skip_reason[i]) t->skip_reason[i] = reason;
        if (strcmp(t->skip_reason[i], reason) == 0) {
            t->skip_count[i]++;
            return;
        }
    }
}

static void report(const struct tally *t)
{
    printf("%s: %zu cases, %zu passed, %zu failed", t->file, t->cases, t->passed,
           t->cases - t->passed);
    if (t->by_eparse) printf(" (%zu of the passes by RP_EPARSE)", t->by_eparse);
    printf("\n");
    for (size_t i = 0; i < 4 && t->skip_reason[i]; i++)
        printf("  %zu skipped: %s\n", t->skip_count[i], t->skip_reason[i]);
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
        char *nb = realloc(buf, cap *= 2);
        if (!nb) free(buf);
        buf = nb;
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* JavaScript truthiness of a JSON value ("NaN" is how the fixtures write NaN). */
static bool truthy(struct rp_json_val v)
{
    struct rp_str s;
    int64_t i;
    double d;
    bool b;
    switch (rp_json_type(v)) {
    case RP_JSON_NONE:
    case RP_JSON_NULL:
        return false;
    case RP_JSON_BOOL:
        return rp_json_get_bool(v, &b) == RP_OK && b;
    case RP_JSON_INT:
        return rp_json_get_i64(v, &i) == RP_OK && i != 0;
    case RP_JSON_UINT:
        return true;
    case RP_JSON_DOUBLE:
        return rp_json_get_double(v, &d) == RP_OK && d != 0.0 && d == d;
    case RP_JSON_STRING:
        return rp_json_get_str(v, &s) == RP_OK && s.len > 0 && !rp_str_eq_cstr(s, "NaN");
    default:
        return true;
    }
}

/* Options of a case from element idx: RP_OK, or a skip reason. */
static const char *case_opts(struct rp_json_val c, size_t idx, struct rp_semver_opts *o)
{
    struct rp_json_val v;
    o->loose = false;
    o->include_prerelease = false;
    if (rp_json_arr_at(c, idx, &v) != RP_OK) return NULL;
    struct rp_str s;
    if (rp_json_type(v) == RP_JSON_STRING && rp_json_get_str(v, &s) == RP_OK &&
        rp_str_has_prefix(s, "<js-regexp"))
        return "options are a regexp object (no loose or includePrerelease member)";
    if (rp_json_type(v) == RP_JSON_OBJECT) {
        struct rp_json_val m;
        if (rp_json_obj_get(v, "loose", &m) == RP_OK) o->loose = truthy(m);
        if (rp_json_obj_get(v, "includePrerelease", &m) == RP_OK) o->include_prerelease = truthy(m);
        return NULL;
    }
    o->loose = truthy(v); /* node-semver: a non-object truthy option means loose */
    return NULL;
}

static bool str_at(struct rp_json_val c, size_t idx, struct rp_str *out)
{
    struct rp_json_val v;
    return rp_json_arr_at(c, idx, &v) == RP_OK && rp_json_get_str(v, out) == RP_OK;
}

static int sgn(int x)
{
    return x < 0 ? -1 : x > 0;
}

static void check_order(struct tally *t, struct rp_json_val c, bool equal)
{
    struct rp_str a, b;
    struct rp_semver_opts o;
    if (!str_at(c, 0, &a) || !str_at(c, 1, &b)) {
        skip(t, "a version is not a string");
        return;
    }
    const char *why = case_opts(c, 2, &o);
    if (why) {
        skip(t, why);
        return;
    }
    int ab = sgn(sem->cmp(a, b)), ba = sgn(sem->cmp(b, a));
    bool self = sem->cmp(a, a) == 0 && sem->cmp(b, b) == 0;
    bool valid = o.loose || (sem->valid(a) && sem->valid(b));
    bool ok = self && valid && (equal ? ab == 0 && ba == 0 : ab > 0 && ba < 0);
    check(t, ok, "'%.*s' vs '%.*s'%s: cmp %d / %d, self %d, valid %d", (int)a.len, a.p, (int)b.len,
          b.p, o.loose ? " (loose)" : "", ab, ba, self, valid);
}

static void check_valid(struct tally *t, struct rp_json_val c)
{
    struct rp_str v;
    if (!str_at(c, 0, &v)) {
        skip(t, "the version is not a string");
        return;
    }
    /* the canonical "major.minor.patch[-pre]" from the listed components */
    char canon[512];
    size_t n = 0;
    for (size_t k = 1; k <= 3; k++) {
        struct rp_json_val x;
        int64_t num = -1;
        if (rp_json_arr_at(c, k, &x) != RP_OK || rp_json_get_i64(x, &num) != RP_OK) num = -1;
        n += (size_t)snprintf(canon + n, sizeof canon - n, "%s%lld", k > 1 ? "." : "",
                              (long long)num);
    }
    struct rp_json_val pre, el;
    struct rp_json_iter it;
    if (rp_json_arr_at(c, 4, &pre) == RP_OK && rp_json_arr_iter(pre, &it) == RP_OK) {
        const char *sep = "-";
        while (rp_json_arr_next(&it, &el) && n < sizeof canon - 1) {
            struct rp_str s;
            int64_t num;
            if (rp_json_get_str(el, &s) == RP_OK)
                n += (size_t)snprintf(canon + n, sizeof canon - n, "%s%.*s", sep, (int)s.len, s.p);
            else if (rp_json_get_i64(el, &num) == RP_OK)
                n += (size_t)snprintf(canon + n, sizeof canon - n, "%s%lld", sep, (long long)num);
            sep = ".";
        }
    }
    bool valid = sem->valid(v);
    int c0 = sem->cmp(v, rp_str_from(canon));
    check(t, valid && c0 == 0 && sem->valid(rp_str_from(canon)),
          "'%.*s': valid %d, cmp with '%s' %d", (int)v.len, v.p, valid, canon, c0);
}

static void check_range(struct tally *t, struct rp_json_val c, bool include)
{
    struct rp_str range, ver;
    struct rp_semver_opts o;
    if (!str_at(c, 0, &range)) {
        skip(t, "the range is not a string");
        return;
    }
    if (!str_at(c, 1, &ver)) {
        skip(t, "the version is not a string (JavaScript-only input)");
        return;
    }
    const char *why = case_opts(c, 2, &o);
    if (why) {
        skip(t, why);
        return;
    }
    bool out = false;
    struct rp_errbuf eb = {0};
    rp_err e = rp_semver_satisfies(range, ver, &o, &out, &eb);
    bool ok = include ? e == RP_OK && out : (e == RP_OK && !out) || e == RP_EPARSE;
    if (ok && !include && e == RP_EPARSE) t->by_eparse++;
    check(t, ok, "'%.*s' %s '%.*s' (loose %d, includePrerelease %d): %s%s%s", (int)range.len,
          range.p, include ? "should include" : "should exclude", (int)ver.len, ver.p, o.loose,
          o.include_prerelease, e == RP_OK ? (out ? "true" : "false") : rp_err_name(e),
          e == RP_OK ? "" : " ", e == RP_OK ? "" : eb.msg);
}

enum kind { K_CMP, K_EQ, K_VALID, K_INCLUDE, K_EXCLUDE, K_NONE };

static const struct {
    const char *file;
    enum kind kind;
    const char *why; /* for K_NONE */
} files[] = {
    {"comparisons.json", K_CMP, NULL},
    {"equality.json", K_EQ, NULL},
    {"valid-versions.json", K_VALID, NULL},
    {"range-include.json", K_INCLUDE, NULL},
    {"range-exclude.json", K_EXCLUDE, NULL},
    {"comparator-intersection.json", K_NONE, "intersects() is not part of the contract"},
    {"range-intersection.json", K_NONE, "intersects() is not part of the contract"},
    {"version-gt-range.json", K_NONE, "gtr() is not part of the contract"},
    {"version-lt-range.json", K_NONE, "ltr() is not part of the contract"},
    {"version-not-gt-range.json", K_NONE, "gtr() is not part of the contract"},
    {"version-not-lt-range.json", K_NONE, "ltr() is not part of the contract"},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: check_vectors_semver VERSION_VECTORS_DIR\n");
        return 2;
    }
    sem = rp_vuln_versioning_find("semver");
    if (!sem) {
        fprintf(stderr, "check_vectors_semver: no \"semver\" scheme in the registry\n");
        return 1;
    }
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return 1;
    size_t total = 0, passed = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/node-semver/%s", argv[1], files[f].file);
        size_t len = 0;
        char *data = slurp(path, &len);
        struct rp_json_val root, cases, c;
        struct rp_errbuf eb = {0};
        struct rp_json_iter it;
        if (!data || rp_json_parse(jp, data, len, &root, &eb) != RP_OK ||
            rp_json_obj_get(root, "cases", &cases) != RP_OK ||
            rp_json_arr_iter(cases, &it) != RP_OK) {
            printf("%s: cannot read (%s)\n", files[f].file, data ? eb.msg : "no such file");
            free(data);
            all_ok = false;
            continue;
        }
        free(data);
        if (files[f].kind == K_NONE) {
            printf("%s: %zu cases, not implemented (%s)\n", files[f].file, rp_json_len(cases),
                   files[f].why);
            continue;
        }
        struct tally t = {.file = files[f].file};
        while (rp_json_arr_next(&it, &c)) {
            switch (files[f].kind) {
            case K_CMP:
                check_order(&t, c, false);
                break;
            case K_EQ:
                check_order(&t, c, true);
                break;
            case K_VALID:
                check_valid(&t, c);
                break;
            case K_INCLUDE:
                check_range(&t, c, true);
                break;
            default:
                check_range(&t, c, false);
                break;
            }
        }
        report(&t);
        total += t.cases;
        passed += t.passed;
    }
    printf("node-semver: %zu cases, %zu passed, %zu failed\n", total, passed, total - passed);
    rp_json_parser_free(jp);
    return all_ok ? 0 : 1;
}
