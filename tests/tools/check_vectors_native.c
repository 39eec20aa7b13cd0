/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-run checker (not a test): the distribution version orderings of src/vuln (dpkg, rpm,
 * apk) against the upstream test vectors in a version-vectors directory:
 *     check_vectors_native DIR
 * reads DIR/dpkg_version_cases.txt, DIR/rpmvercmp_cases.txt, DIR/go-rpm-version_cases.tsv and
 * DIR/apk-tools/version.data, and prints "file: N cases, P passed, F failed" per file with the
 * first failures. Exit status 0 only when every case passes.
 *
 * Every ordered pair is checked both ways (cmp(a,b) and cmp(b,a)). The two rpm files hold
 * rpmvercmp cases over bare version strings (some with '-'), so each string s is given to the
 * EVR comparison as "0:" s "-0": epoch 0, version s, release "0", which is exactly
 * rpmvercmp(s). apk's fuzzy operators (~, <~, >~, !~) are answered by truncating the left
 * version at each token boundary and comparing the prefix with the right one. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

#define MAX_SHOWN 10

struct tally {
    const char *file;
    size_t cases, passed, shown;
    bool info; /* an informative count: its mismatches are "info", not "FAIL" */
};

static void fail(struct tally *t, const char *fmt, ...) RP_PRINTF(2, 3);
static void fail(struct tally *t, const char *fmt, ...)
{
    if (t->shown++ >= MAX_SHOWN) return;
    va_list ap;
    va_start(ap, fmt);
    printf("  %s %s: ", t->info ? "info" : "FAIL", t->file);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static void report(const struct tally *t)
{
    printf("%s: %zu cases, %zu passed, %zu failed\n", t->file, t->cases, t->passed,
           t->cases - t->passed);
}

static char *slurp(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "check_vectors_native: cannot open '%s'\n", path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (len + 1 < cap) break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) free(buf);
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    if (buf) buf[len] = '\0';
    return buf;
}

/* Next line of *cur (NUL-terminated in place, '\r' dropped), or NULL at the end. */
static char *next_line(char **cur)
{
    if (!*cur || !**cur) return NULL;
    char *line = *cur, *nl = strchr(line, '\n');
    if (nl) {
        *nl = '\0';
        *cur = nl + 1;
    } else {
        *cur = line + strlen(line);
    }
    size_t n = strlen(line);
    if (n > 0 && line[n - 1] == '\r') line[n - 1] = '\0';
    return line;
}

/* Up to max whitespace-separated fields of line, in place. */
static int fields(char *line, const char *seps, char **out, int max)
{
    int n = 0;
    char *p = line;
    while (*p && n < max) {
        while (*p && strchr(seps, *p)) p++;
        if (!*p) break;
        out[n++] = p;
        while (*p && !strchr(seps, *p)) p++;
        if (*p) *p++ = '\0';
    }
    return n;
}

static int sign(int r)
{
    return (r > 0) - (r < 0);
}

static int cmp_cstr(const struct rp_vuln_versioning *vs, const char *a, const char *b)
{
    return sign(vs->cmp(rp_str_from(a), rp_str_from(b)));
}

/* Checks cmp(a,b) == want and cmp(b,a) == -want. */
static void check_pair(struct tally *t, const struct rp_vuln_versioning *vs, const char *a,
                       const char *b, int want)
{
    t->cases++;
    int ab = cmp_cstr(vs, a, b), ba = cmp_cstr(vs, b, a);
    if (ab != want)
        fail(t, "cmp('%s','%s') want %d, got %d", a, b, want, ab);
    else if (ba != -want)
        fail(t, "cmp('%s','%s') want %d, got %d (reversed)", b, a, -want, ba);
    else
        t->passed++;
}

static int check_dpkg(const char *dir)
{
    const struct rp_vuln_versioning *vs = rp_vuln_versioning_find("dpkg");
    char *buf = slurp(dir, "dpkg_version_cases.txt"), *cur = buf, *line;
    if (!buf) return 1;
    struct tally t = {.file = "dpkg_version_cases.txt"};
    struct tally inv = {.file = "dpkg_version_cases.txt (invalid versions listed in its header)"};
    bool in_invalid = false;
    while ((line = next_line(&cur))) {
        if (line[0] == '#') {
            /* '# Extra invalid-version cases ...' then '#   "" (empty), "10a:5.2" (..), ..' */
            if (strstr(line, "invalid-version"))
                in_invalid = true;
            else if (in_invalid)
                for (char *q = strchr(line, '"'); q; q = strchr(q, '"')) {
                    char *end = strchr(q + 1, '"');
                    if (!end) break;
                    *end = '\0';
                    inv.cases++;
                    if (!vs->valid(rp_str_from(q + 1)))
                        inv.passed++;
                    else
                        fail(&inv, "valid('%s') want false, got true", q + 1);
                    q = end + 1;
                }
            continue;
        }
        char *f[4];
        int n = fields(line, " \t", f, 4);
        if (n == 0) continue;
        if (n != 3) {
            fprintf(stderr, "dpkg: bad line '%s'\n", line);
            free(buf);
            return 1;
        }
        check_pair(&t, vs, f[0], f[1], (int)strtol(f[2], NULL, 10));
    }
    report(&t);
    report(&inv);
    free(buf);
    return t.passed == t.cases && inv.passed == inv.cases ? 0 : 1;
}

/* "0:" s "-0": the EVR whose version is exactly s (see the header). */
static const char *as_version(char *out, size_t outsz, const char *s)
{
    snprintf(out, outsz, "0:%s-0", s);
    return out;
}

static void check_rpm_pair(struct tally *t, struct tally *raw, const struct rp_vuln_versioning *vs,
                           const char *a, const char *b, int want)
{
    char wa[512], wb[512];
    as_version(wa, sizeof wa, a);
    as_version(wb, sizeof wb, b);
    t->cases++;
    int ab = cmp_cstr(vs, wa, wb), ba = cmp_cstr(vs, wb, wa);
    if (ab != want)
        fail(t, "rpmvercmp('%s','%s') want %d, got %d", a, b, want, ab);
    else if (ba != -want)
        fail(t, "rpmvercmp('%s','%s') want %d, got %d (reversed)", b, a, -want, ba);
    else
        t->passed++;
    raw->cases++;
    if (cmp_cstr(vs, a, b) == want && cmp_cstr(vs, b, a) == -want)
        raw->passed++;
    else
        fail(raw, "cmp('%s','%s') want %d, got %d", a, b, want, cmp_cstr(vs, a, b));
}

static int check_rpmvercmp(const char *dir)
{
    const struct rp_vuln_versioning *vs = rp_vuln_versioning_find("rpm");
    char *buf = slurp(dir, "rpmvercmp_cases.txt"), *cur = buf, *line;
    if (!buf) return 1;
    struct tally t = {.file = "rpmvercmp_cases.txt"}, raw = {.file = "as raw EVR", .info = true};
    size_t oddities = 0, odd_agree = 0;
    while ((line = next_line(&cur))) {
        bool oddity = strncmp(line, "#oddity ", 8) == 0;
        if (line[0] == '#' && !oddity) continue;
        char *f[4];
        int n = fields(oddity ? line + 8 : line, " \t", f, 4);
        if (n == 0) continue;
        if (n != 3) {
            fprintf(stderr, "rpmvercmp: bad line '%s'\n", line);
            free(buf);
            return 1;
        }
        int want = (int)strtol(f[2], NULL, 10);
        if (oddity) {
            /* disabled upstream: not counted, but say what we answer */
            char wa[512], wb[512];
            int got =
                cmp_cstr(vs, as_version(wa, sizeof wa, f[0]), as_version(wb, sizeof wb, f[1]));
            oddities++;
            odd_agree += got == want;
            printf("  skipped #oddity: %s %s %d (we give %d)\n", f[0], f[1], want, got);
            continue;
        }
        check_rpm_pair(&t, &raw, vs, f[0], f[1], want);
    }
    report(&t);
    printf("  %zu #oddity lines skipped (we agree with %zu of them); as raw EVR strings: %zu of "
           "%zu pass\n",
           oddities, odd_agree, raw.passed, raw.cases);
    free(buf);
    return t.passed == t.cases ? 0 : 1;
}

static int check_go_rpm(const char *dir)
{
    const struct rp_vuln_versioning *vs = rp_vuln_versioning_find("rpm");
    char *buf = slurp(dir, "go-rpm-version_cases.tsv"), *cur = buf, *line;
    if (!buf) return 1;
    struct tally t = {.file = "go-rpm-version_cases.tsv"},
                 raw = {.file = "as raw EVR", .info = true};
    while ((line = next_line(&cur))) {
        if (line[0] == '#' || line[0] == '\0') continue;
        /* exactly two tabs; empty fields are empty versions */
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2 || strchr(t2 + 1, '\t')) {
            fprintf(stderr, "go-rpm-version: bad line '%s'\n", line);
            free(buf);
            return 1;
        }
        *t1 = *t2 = '\0';
        check_rpm_pair(&t, &raw, vs, line, t1 + 1, (int)strtol(t2 + 1, NULL, 10));
    }
    report(&t);
    printf("  as raw EVR strings (release after the last '-'): %zu of %zu pass\n", raw.passed,
           raw.cases);
    free(buf);
    return t.passed == t.cases ? 0 : 1;
}

static bool is_boundary(const char *s, size_t i)
{
    char c = s[i], p = s[i - 1];
    bool dc = c >= '0' && c <= '9', dp = p >= '0' && p <= '9';
    return strchr(".~_-", c) || (dc != dp && !strchr(".~_-", p));
}

/* apk's fuzzy match: the tokens of b are the first tokens of a. */
static bool apk_fuzzy(const struct rp_vuln_versioning *vs, const char *a, const char *b)
{
    size_t n = strlen(a);
    for (size_t i = 1; i <= n; i++)
        if ((i == n || is_boundary(a, i)) && vs->cmp((struct rp_str){a, i}, rp_str_from(b)) == 0)
            return true;
    return false;
}

static int check_apk(const char *dir)
{
    const struct rp_vuln_versioning *vs = rp_vuln_versioning_find("apk");
    char *buf = slurp(dir, "apk-tools/version.data"), *cur = buf, *line;
    if (!buf) return 1;
    struct tally t = {.file = "apk-tools/version.data"};
    size_t nvalid = 0, nfuzzy = 0;
    while ((line = next_line(&cur))) {
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *f[4];
        int n = fields(line, " \t", f, 4);
        if (n == 0) continue;
        if (n == 1) { /* "ver" must be valid, "!ver" must not be */
            bool want = f[0][0] != '!';
            const char *v = want ? f[0] : f[0] + 1;
            bool got = vs->valid(rp_str_from(v));
            t.cases++;
            nvalid++;
            if (got == want)
                t.passed++;
            else
                fail(&t, "valid('%s') want %d, got %d", v, want, got);
            continue;
        }
        if (n != 3) {
            fprintf(stderr, "apk: bad line '%s'\n", line);
            free(buf);
            return 1;
        }
        const char *op = f[1];
        bool negate = op[0] == '!';
        if (negate) op++;
        int r = cmp_cstr(vs, f[0], f[2]);
        bool fuzzy = strchr(op, '~') != NULL, got = false;
        if (fuzzy) nfuzzy++;
        bool feq = fuzzy && apk_fuzzy(vs, f[0], f[2]);
        if (strcmp(op, "<") == 0)
            got = r < 0;
        else if (strcmp(op, ">") == 0)
            got = r > 0;
        else if (strcmp(op, "=") == 0)
            got = r == 0;
        else if (strcmp(op, "~") == 0)
            got = feq;
        else if (strcmp(op, "<~") == 0)
            got = feq || r < 0;
        else if (strcmp(op, ">~") == 0)
            got = feq || r > 0;
        else {
            fprintf(stderr, "apk: unknown operator '%s'\n", f[1]);
            free(buf);
            return 1;
        }
        t.cases++;
        /* the plain operators are checked the other way round too */
        int rr = cmp_cstr(vs, f[2], f[0]);
        bool sym = fuzzy || negate || rr == -r;
        if (got != negate && sym)
            t.passed++;
        else if (!sym)
            fail(&t, "cmp('%s' %s '%s') not antisymmetric (%d)", f[0], op, f[2], rr);
        else
            fail(&t, "'%s' %s '%s' does not hold (cmp %d)", f[0], f[1], f[2], r);
    }
    report(&t);
    printf("  of which %zu validity lines and %zu fuzzy-operator lines\n", nvalid, nfuzzy);
    free(buf);
    return t.passed == t.cases ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: check_vectors_native VERSION_VECTORS_DIR\n");
        return 2;
    }
    int bad = 0;
    bad |= check_dpkg(argv[1]);
    bad |= check_rpmvercmp(argv[1]);
    bad |= check_go_rpm(argv[1]);
    bad |= check_apk(argv[1]);
    return bad ? 1 : 0;
}
