/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for npm semver in src/vuln (vuln_ver_semver.c): SemVer precedence, node-semver's
 * strict and loose version grammars and limits, and rp_semver_satisfies over every range
 * form (comparators, AND, OR, hyphen, X, tilde, caret), the prerelease rule with and without
 * includePrerelease, loose mode and the errors for invalid ranges. Cases are written by hand
 * from node-semver's documented rules (docs/vuln-semver.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

extern const struct rp_vuln_versioning rp_vuln_ver_semver;

static int cmp(const char *a, const char *b)
{
    int c = rp_vuln_ver_semver.cmp(rp_str_from(a), rp_str_from(b));
    return c < 0 ? -1 : c > 0;
}

static bool valid(const char *v)
{
    return rp_vuln_ver_semver.valid(rp_str_from(v));
}

/* Flags: 'l' loose, 'p' includePrerelease. Returns 'T', 'F', or 'E' (RP_EPARSE). */
static char sat(const char *range, const char *version, const char *flags)
{
    struct rp_semver_opts o = {strchr(flags, 'l') != NULL, strchr(flags, 'p') != NULL};
    struct rp_errbuf eb = {0};
    bool out = true;
    rp_err e = rp_semver_satisfies(rp_str_from(range), rp_str_from(version), &o, &out, &eb);
    if (e == RP_EPARSE) {
        assert_false(out);
        return 'E';
    }
    assert_int_equal(e, RP_OK);
    return out ? 'T' : 'F';
}

struct rcase {
    const char *range, *version, *flags;
    char want;
};

static void run_cases(const struct rcase *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char got = sat(c[i].range, c[i].version, c[i].flags);
        if (got != c[i].want)
            fail_msg("range '%s' version '%s' flags '%s': got %c, want %c", c[i].range,
                     c[i].version, c[i].flags, got, c[i].want);
    }
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

/* ---- precedence --------------------------------------------------------------------------------
 */

static void test_semver_precedence_numbers(void **state)
{
    (void)state;
    assert_int_equal(cmp("1.0.0", "0.9.9"), 1);
    assert_int_equal(cmp("0.10.0", "0.9.0"), 1); /* numerically, not bytewise */
    assert_int_equal(cmp("0.0.1", "0.0.0"), 1);
    assert_int_equal(cmp("2.0.0", "10.0.0"), -1);
    assert_int_equal(cmp("1.2.3", "1.2.3"), 0);
    assert_int_equal(cmp("9007199254740991.0.0", "9007199254740990.0.0"), 1);
}

static void test_semver_precedence_prerelease(void **state)
{
    (void)state;
    /* a release is above its prereleases */
    assert_int_equal(cmp("1.0.0", "1.0.0-rc.1"), 1);
    assert_int_equal(cmp("0.0.0", "0.0.0-foo"), 1);
    /* SemVer 2.0.0 §11: 1.0.0-alpha < -alpha.1 < -alpha.beta < -beta < -beta.2 < -beta.11
     * < -rc.1 < 1.0.0 */
    const char *order[] = {"1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                           "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0"};
    for (size_t i = 0; i < 8; i++)
        for (size_t j = 0; j < 8; j++)
            assert_int_equal(cmp(order[i], order[j]), i < j ? -1 : i > j);
    /* numeric identifiers numerically, below alphanumeric ones */
    assert_int_equal(cmp("1.2.3-a.10", "1.2.3-a.5"), 1);
    assert_int_equal(cmp("1.2.3-a.b", "1.2.3-a.5"), 1);
    assert_int_equal(cmp("1.2.3-5", "1.2.3-4"), 1);
    assert_int_equal(cmp("1.2.3-1a", "1.2.3-99"), 1); /* "1a" is alphanumeric */
    /* alphanumeric ones in ASCII order: upper case sorts first */
    assert_int_equal(cmp("1.2.3-r100", "1.2.3-R2"), 1);
    assert_int_equal(cmp("1.2.3-r2", "1.2.3-r100"), 1);
    assert_int_equal(cmp("1.2.3-5-foo", "1.2.3-5-Foo"), 1);
    assert_int_equal(cmp("1.2.3-a-b", "1.2.3-a"), 1);
    /* a longer list that extends a shorter one is above it */
    assert_int_equal(cmp("1.2.3-a.b.c", "1.2.3-a.b"), 1);
    assert_int_equal(cmp("1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100"), 1);
}

static void test_semver_precedence_ignores_build(void **state)
{
    (void)state;
    assert_int_equal(cmp("1.2.3+build", "1.2.3+other"), 0);
    assert_int_equal(cmp("1.2.3-beta+build", "1.2.3-beta"), 0);
    assert_int_equal(cmp("3.0.0", "2.7.2+asdf"), 1);
}

static void test_semver_precedence_loose_forms(void **state)
{
    (void)state;
    /* cmp reads versions as node-semver's compareLoose does */
    assert_int_equal(cmp("v1.2.3", "1.2.3"), 0);
    assert_int_equal(cmp("=1.2.3", "1.2.3"), 0);
    assert_int_equal(cmp(" = v 1.2.3 ", "1.2.3"), 0);
    assert_int_equal(cmp("01.02.03", "1.2.3"), 0);
    assert_int_equal(cmp("1.2.3beta", "1.2.3-beta"), 0); /* '-' optional */
    assert_int_equal(cmp("1.2.3-01", "1.2.3-1"), 0);     /* leading zeros in numbers */
    assert_int_equal(cmp("1.2.34.5", "1.2.3-4.5"), 0);   /* the patch's last digit starts it */
    assert_int_equal(cmp("1.2.3-", "1.2.3--"), 0);       /* a lone '-' is an identifier */
    assert_int_equal(cmp("1.2.3\xc2\xa0", "1.2.3"), 0);  /* U+00A0 is JavaScript white space */
}

static void test_semver_precedence_huge_prerelease_numbers(void **state)
{
    (void)state;
    /* numeric identifiers from 2^53 - 1 on are compared as doubles, as node-semver does;
     * when they round alike the comparison stops there with 0 */
    assert_int_equal(cmp("1.2.3-9007199254740990", "1.2.3-9007199254740991"), -1);
    assert_int_equal(cmp("1.2.3-9007199254740993", "1.2.3-9007199254740992"), 0);
    assert_int_equal(cmp("1.2.3-9007199254740993.b", "1.2.3-9007199254740992.a"), 0);
    /* the same text goes on to the next identifier */
    assert_int_equal(cmp("1.2.3-9007199254740993.b", "1.2.3-9007199254740993.a"), 1);
    assert_int_equal(cmp("1.2.3-99999999999999999999", "1.2.3-a"), -1);
}

static void test_semver_invalid_sorts_first(void **state)
{
    (void)state;
    assert_int_equal(cmp("not a version", "0.0.0-0"), -1);
    assert_int_equal(cmp("1.2.3", "1.2"), 1);
    assert_int_equal(cmp("1.2", "1.3"), -1); /* both invalid: bytewise */
    assert_int_equal(cmp("1.2", "1.2"), 0);
    assert_int_equal(cmp("", "x"), -1);
}

/* ---- validity ----------------------------------------------------------------------------------
 */

static void test_semver_valid_strict(void **state)
{
    (void)state;
    const char *ok[] = {"1.2.3",
                        "0.0.0",
                        "v1.2.3",
                        " 1.2.3\t",
                        "1.2.3-0",
                        "1.2.3-alpha.1",
                        "1.2.3-alpha-.-beta",
                        "1.2.3-1a",
                        "1.2.3+456",
                        "1.2.3+build.01",
                        "1.2.3-rc.1+b.2",
                        "10.20.30",
                        "9007199254740991.0.0"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!valid(ok[i])) fail_msg("'%s' should be valid", ok[i]);
    const char *bad[] = {"",
                         "1.2",
                         "1.2.3.4",
                         "01.2.3",
                         "1.02.3",
                         "1.2.03",
                         "1.2.3-01",
                         "1.2.3-",
                         "1.2.3+",
                         "1.2.3-a..b",
                         "=1.2.3",
                         "V1.2.3",
                         "v 1.2.3",
                         "1.2.3beta",
                         "a.b.c",
                         "1.2.3 x",
                         "-1.2.3",
                         "1.2.3-a_b",
                         "1.2.3+a+b",
                         "9007199254740992.0.0",
                         "1.9007199254740992.0",
                         "1.2.9007199254740992"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (valid(bad[i])) fail_msg("'%s' should be invalid", bad[i]);
}

static void test_semver_valid_max_length(void **state)
{
    (void)state;
    /* MAX_LENGTH counts the text before trimming: 256 characters pass, 257 do not */
    char v[300];
    memset(v, 'a', sizeof v);
    memcpy(v, "1.2.3-", 6);
    v[256] = '\0';
    assert_true(valid(v));
    v[256] = 'a';
    v[257] = '\0';
    assert_false(valid(v));
    memset(v, ' ', sizeof v);
    memcpy(v + 251, "1.2.3", 6); /* 256 with the spaces */
    assert_true(valid(v));
    memcpy(v + 252, "1.2.3", 6); /* 257 */
    assert_false(valid(v));
}

static void test_semver_registry(void **state)
{
    (void)state;
    assert_ptr_equal(rp_vuln_versioning_find("semver"), &rp_vuln_ver_semver);
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("npm")), &rp_vuln_ver_semver);
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("SwiftURL")), &rp_vuln_ver_semver);
    assert_ptr_not_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("Packagist")),
                         &rp_vuln_ver_semver);
    assert_string_equal(rp_vuln_ver_semver.name, "semver");
}

/* ---- ranges
 * -------------------------------------------------------------------------------------- */

static void test_semver_range_primitives(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        {">=1.2.7", "1.2.7", "", 'T'},
        {">=1.2.7", "1.2.8", "", 'T'},
        {">=1.2.7", "2.5.3", "", 'T'},
        {">=1.2.7", "1.2.6", "", 'F'},
        {">1.2.7", "1.2.7", "", 'F'},
        {">1.2.7", "1.2.8", "", 'T'},
        {"<1.2.7", "1.2.6", "", 'T'},
        {"<1.2.7", "1.2.7", "", 'F'},
        {"<=1.2.7", "1.2.7", "", 'T'},
        {"<=1.2.7", "1.2.8", "", 'F'},
        {"=1.2.7", "1.2.7", "", 'T'},
        {"1.2.7", "1.2.7", "", 'T'},
        {"1.2.7", "1.2.8", "", 'F'},
        {"v1.2.7", "1.2.7", "", 'T'},
        {">= 1.2.7", "1.2.7", "", 'T'}, /* operator and version may be apart */
        {"<\t2.0.0", "0.2.9", "", 'T'},
        /* build metadata plays no part */
        {"=1.2.3+build", "1.2.3+other", "", 'T'},
        {"1.2.3", "1.2.3+build", "", 'T'},
        /* versions are read as strict node-semver reads them unless loose */
        {"*", "v1.2.3", "", 'T'},
        {"*", "=1.2.3", "", 'F'},
        {"*", "=1.2.3", "l", 'T'},
        {"*", "not a version", "", 'F'},
        {"*", "", "", 'F'},
    };
    RUN(c);
}

static void test_semver_range_and_or(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        {">=1.2.7 <1.3.0", "1.2.7", "", 'T'},
        {">=1.2.7 <1.3.0", "1.2.99", "", 'T'},
        {">=1.2.7 <1.3.0", "1.3.0", "", 'F'},
        {">=1.2.7 <1.3.0", "1.1.0", "", 'F'},
        {"1.2.7 || >=1.2.9 <2.0.0", "1.2.7", "", 'T'},
        {"1.2.7 || >=1.2.9 <2.0.0", "1.2.9", "", 'T'},
        {"1.2.7 || >=1.2.9 <2.0.0", "1.4.6", "", 'T'},
        {"1.2.7 || >=1.2.9 <2.0.0", "1.2.8", "", 'F'},
        {"1.2.7 || >=1.2.9 <2.0.0", "2.0.0", "", 'F'},
        {"  >=1.2.7   <1.3.0  ||1.5.0", "1.5.0", "", 'T'},
        /* an empty alternative is "*" */
        {"||", "1.3.4", "", 'T'},
        {"1.0.0 || ", "9.9.9", "", 'T'},
        {"", "1.0.0", "", 'T'},
    };
    RUN(c);
}

static void test_semver_range_hyphen(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        /* 1.2.3 - 2.3.4 := >=1.2.3 <=2.3.4 */
        {"1.2.3 - 2.3.4", "1.2.3", "", 'T'},
        {"1.2.3 - 2.3.4", "2.3.4", "", 'T'},
        {"1.2.3 - 2.3.4", "1.2.2", "", 'F'},
        {"1.2.3 - 2.3.4", "2.3.5", "", 'F'},
        /* 1.2 - 2.3.4 := >=1.2.0 <=2.3.4 */
        {"1.2 - 2.3.4", "1.2.0", "", 'T'},
        {"1.2 - 2.3.4", "1.1.9", "", 'F'},
        /* 1.2.3 - 2.3 := >=1.2.3 <2.4.0-0 */
        {"1.2.3 - 2.3", "2.3.99", "", 'T'},
        {"1.2.3 - 2.3", "2.4.0", "", 'F'},
        /* 1.2.3 - 2 := >=1.2.3 <3.0.0-0 */
        {"1.2.3 - 2", "2.99.0", "", 'T'},
        {"1.2.3 - 2", "3.0.0", "", 'F'},
        /* open ends */
        {"x - 1.0.0", "0.0.1", "", 'T'},
        {"1.0.0 - x", "99.0.0", "", 'T'},
        {"1.x - x", "0.9.0", "", 'F'},
        /* prereleases kept on the bounds, build metadata dropped */
        {"1.2.3-pre - 2.4.3-pre", "1.2.3-pre.2", "", 'T'},
        {"1.2.3-pre - 2.4.3-pre", "2.4.3-alpha", "", 'T'},
        {"1.2.3 - 2.4.3", "2.4.3-alpha", "", 'F'},
        {"1.2.3+asdf - 2.4.3+asdf", "1.2.3", "", 'T'},
        /* includePrerelease: >=1.2.3-0 <2.3.5-0 */
        {"1.2.3 - 2.3.4", "1.2.3-0", "p", 'T'},
        {"1.2.3 - 2.3.4", "2.3.5-0", "p", 'F'},
        {"1.2.3 - 2.3.4", "2.3.4-9", "p", 'T'},
        {"1 - 2", "2.0.0-pre", "p", 'T'},
        {"1 - 2", "3.0.0-pre", "p", 'F'},
        /* it must be the whole alternative, with one space each side of '-' */
        {"1.2.3 - 2 - 3", "1.2.3", "", 'E'},
        {"1.2.3 -2", "1.2.3", "", 'E'},
    };
    RUN(c);
}

static void test_semver_range_x(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        {"*", "1.2.3", "", 'T'},
        {"x", "0.0.0", "", 'T'},
        {"X", "9.9.9", "", 'T'},
        /* 1.x := >=1.0.0 <2.0.0-0 */
        {"1.x", "1.0.0", "", 'T'},
        {"1.x", "1.99.0", "", 'T'},
        {"1.x", "2.0.0", "", 'F'},
        {"1.x", "0.9.9", "", 'F'},
        {"1", "1.5.0", "", 'T'},
        {"1.*.*", "1.5.0", "", 'T'},
        /* 1.2.x := >=1.2.0 <1.3.0-0 */
        {"1.2.x", "1.2.9", "", 'T'},
        {"1.2.*", "1.3.0", "", 'F'},
        {"1.2", "1.2.0", "", 'T'},
        /* with an operator */
        {">1", "2.0.0", "", 'T'},
        {">1", "1.9.9", "", 'F'},
        {">1.2", "1.3.0", "", 'T'},
        {">1.2", "1.2.8", "", 'F'},
        {">=1.2", "1.2.0", "", 'T'},
        {"<1.2", "1.1.9", "", 'T'},
        {"<1.2", "1.2.0", "", 'F'},
        {"<=1.2", "1.2.99", "", 'T'},
        {"<=1.2", "1.3.0", "", 'F'},
        {"<=0.7.x", "0.7.2", "", 'T'},
        {"<0.7.x", "0.7.2", "", 'F'},
        {"=0.7.x", "0.7.2", "", 'T'},
        {">=*", "0.2.4", "", 'T'},
        {"<=*", "1.0.0", "", 'T'},
        /* nothing is above or below every version */
        {">*", "1.0.0", "", 'F'},
        {"<*", "0.0.0", "", 'F'},
        {">x.x", "1.0.0", "", 'F'},
        /* a number after a wildcard is not an X-range */
        {"1.x.3", "1.2.3", "", 'E'},
        {"x.1", "1.2.3", "", 'E'},
    };
    RUN(c);
}

static void test_semver_range_tilde(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        /* ~1.2.3 := >=1.2.3 <1.3.0-0 */
        {"~1.2.3", "1.2.3", "", 'T'},
        {"~1.2.3", "1.2.99", "", 'T'},
        {"~1.2.3", "1.3.0", "", 'F'},
        {"~1.2.3", "1.2.2", "", 'F'},
        /* ~1.2 := >=1.2.0 <1.3.0-0, ~1 := >=1.0.0 <2.0.0-0 */
        {"~1.2", "1.2.0", "", 'T'},
        {"~1.2", "1.3.0", "", 'F'},
        {"~1", "1.9.9", "", 'T'},
        {"~1", "2.0.0", "", 'F'},
        {"~0.2.3", "0.2.9", "", 'T'},
        {"~0.2.3", "0.3.0", "", 'F'},
        {"~0", "0.9.9", "", 'T'},
        {"~0", "1.0.0", "", 'F'},
        {"~x", "3.0.0", "", 'T'},
        /* ~1.2.3-beta.2 := >=1.2.3-beta.2 <1.3.0-0 */
        {"~1.2.3-beta.2", "1.2.3-beta.4", "", 'T'},
        {"~1.2.3-beta.2", "1.2.3-beta.1", "", 'F'},
        {"~1.2.3-beta.2", "1.2.4-beta.2", "", 'F'},
        {"~1.2.3-beta.2", "1.2.4", "", 'T'},
        /* "~>" and a space after the operator */
        {"~>1.2", "1.2.5", "", 'T'},
        {"~> 1.2", "1.2.5", "", 'T'},
        {"~ 1.2", "1.3.0", "", 'F'},
        /* includePrerelease: the X forms start at -0, the full one does not */
        {"~1.1", "1.1.0-a", "p", 'T'},
        {"~1", "1.0.0-a", "p", 'T'},
        {"~1.1.0", "1.1.0-a", "p", 'F'},
        {"~1.1.0", "1.1.1-a", "p", 'T'},
    };
    RUN(c);
}

static void test_semver_range_caret(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        /* ^1.2.3 := >=1.2.3 <2.0.0-0 */
        {"^1.2.3", "1.2.3", "", 'T'},
        {"^1.2.3", "1.9.9", "", 'T'},
        {"^1.2.3", "2.0.0", "", 'F'},
        {"^1.2.3", "1.2.2", "", 'F'},
        /* ^0.2.3 := >=0.2.3 <0.3.0-0, ^0.0.3 := >=0.0.3 <0.0.4-0 */
        {"^0.2.3", "0.2.9", "", 'T'},
        {"^0.2.3", "0.3.0", "", 'F'},
        {"^0.0.3", "0.0.3", "", 'T'},
        {"^0.0.3", "0.0.4", "", 'F'},
        /* ^1.2.3-beta.2 := >=1.2.3-beta.2 <2.0.0-0 */
        {"^1.2.3-beta.2", "1.2.3-beta.4", "", 'T'},
        {"^1.2.3-beta.2", "1.2.4-beta.2", "", 'F'},
        /* ^0.0.3-beta := >=0.0.3-beta <0.0.4-0 */
        {"^0.0.3-beta", "0.0.3-pr.2", "", 'T'},
        {"^0.0.3-beta", "0.0.4", "", 'F'},
        /* missing parts: ^1.2.x := >=1.2.0 <2.0.0-0, ^0.0.x and ^0.0 := <0.1.0-0 */
        {"^1.2.x", "1.9.0", "", 'T'},
        {"^0.0.x", "0.0.9", "", 'T'},
        {"^0.0", "0.1.0", "", 'F'},
        /* ^1.x := >=1.0.0 <2.0.0-0, ^0.x := <1.0.0-0 */
        {"^1.x", "1.0.0", "", 'T'},
        {"^0.x", "0.9.0", "", 'T'},
        {"^0.x", "1.0.0", "", 'F'},
        {"^x", "7.0.0", "", 'T'},
        {"^ 1.2", "1.4.2", "", 'T'},
        /* includePrerelease: -0 only where a part is missing */
        {"^1.x", "1.0.0-a", "p", 'T'},
        {"^1.2", "1.2.0-a", "p", 'T'},
        {"^1.0.0", "1.0.0-rc1", "p", 'F'},
        {"^1.0.0", "1.1.0-rc1", "p", 'T'},
        {"^0.2.3", "0.2.3-alpha", "p", 'F'},
        {"^1.0.0", "2.0.0-rc1", "p", 'F'},
        /* a "0" that is not written "0" does not count as zero (loose "00") */
        {"^00.1.2", "0.5.0", "l", 'T'},
    };
    RUN(c);
}

static void test_semver_range_prerelease_rule(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        /* only comparators on the same [major, minor, patch] with a prerelease admit one */
        {">1.2.3-alpha.3", "1.2.3-alpha.7", "", 'T'},
        {">1.2.3-alpha.3", "3.4.5-alpha.9", "", 'F'},
        {">1.2.3-alpha.3", "3.4.5", "", 'T'},
        {">1.2.3-alpha.3", "3.4.5-alpha.9", "p", 'T'},
        {"<=1.2.3", "1.2.3-beta", "", 'F'},
        {"<=1.2.3", "1.2.3-beta", "p", 'T'},
        {"^1.2.3", "1.2.4-beta", "", 'F'},
        {"1.x", "1.1.0-a", "", 'F'},
        {"1.x", "1.1.0-a", "p", 'T'},
        {"*", "1.0.0-rc1", "", 'F'},
        {"*", "1.0.0-rc1", "p", 'T'},
        /* the permission needs the whole set to pass first */
        {">=1.2.3-a <1.2.3-c", "1.2.3-b", "", 'T'},
        {">=1.2.3-a <1.2.3-c", "1.2.3-d", "", 'F'},
        {">=1.0.0 <1.1.0-pre", "1.1.0-pre", "", 'F'},
        /* ">=0.0.0" is "*" without includePrerelease and a real bound with it */
        {">=0.0.0", "0.0.0-a", "p", 'F'},
        {">=0.0.0-0", "0.0.0-a", "p", 'T'},
        /* an alternative that is just "*" makes the whole range "*" (node-semver's set
         * simplification), which then refuses every prerelease */
        {"1.2.3-beta", "1.2.3-beta", "", 'T'},
        {"* || 1.2.3-beta", "1.2.3-beta", "", 'F'},
        {"1.2.3-beta || >=0.0.0", "1.2.3-beta", "", 'F'},
        {"1.2.3-beta || *", "1.2.3-beta", "p", 'T'},
    };
    RUN(c);
}

static void test_semver_range_loose(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        /* loose forms of the versions in a range */
        {">=01.2.3", "1.2.3", "l", 'T'},
        {">=01.2.3", "1.2.3", "", 'E'},
        {"~ 1.0.3alpha", "1.0.12", "l", 'T'},
        {"~ 1.0.3alpha", "1.0.12", "", 'E'},
        {"1.2.3pre+asdf - 2.4.3-pre+asdf", "1.2.3", "l", 'T'},
        {"==1.2.3", "1.2.3", "l", 'T'},
        {"==1.2.3", "1.2.3", "", 'E'},
        {"<1", "1.0.0beta", "l", 'F'},
        {"1", "2.0.0beta", "l", 'F'},
        /* loose mode drops tokens that are not comparators at all */
        {"== 1.0.0 || foo", "1.0.0", "l", 'T'},
        {"== 1.0.0 || foo", "2.0.0", "l", 'F'},
        {"1.2.3 foo", "1.2.3", "l", 'T'},
        {"1.2.3 foo", "1.2.3", "", 'E'},
        {"1 - 2 - 3", "1.2.3", "l", 'F'}, /* "-" dropped: 1.x and 2.x and 3.x */
        {"foo", "1.2.3", "l", 'E'},       /* nothing left */
        /* loose versions under test */
        {"1.2.3", "v 1.2.3", "l", 'T'},
        {"1.2.3", "v 1.2.3", "", 'F'},
        {">=0.1.97", "v0.1.97", "l", 'T'},
        {"*", "v1.2.3-foo", "l", 'F'},
    };
    RUN(c);
}

static void test_semver_range_whitespace(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        {"\t>=1.2.3 \n <2 ", " 1.9.0\n", "", 'T'},
        {">=1.2.3\xc2\xa0<2", "2.0.0", "", 'F'}, /* U+00A0 separates */
        {"1.2.3\xe3\x80\x80-\xe3\x80\x80"
         "2",
         "2.5.0", "", 'T'}, /* U+3000 around the hyphen */
        {"\xef\xbb\xbf^1.2", "1.4.0", "", 'T'},
        /* build metadata goes first, and the second of two spaces it leaves goes with the
         * operator trim: "~ +b 1.2" is "~1.2", but "> +b 1.2" keeps a lone ">" */
        {"~ +b 1.2", "1.2.5", "", 'T'},
        {"> +b 1.2", "1.2.5", "", 'E'},
        {"1.2 +b - 2", "1.2.5", "", 'E'},
        {"1.2+a - 2+b", "2.5.0", "", 'T'}, /* U+FEFF is trimmed */
        {"1.2.3",
         "\xc2\xa0"
         "1.2.3",
         "", 'T'},
    };
    RUN(c);
}

static void test_semver_range_limits(void **state)
{
    (void)state;
    static const struct rcase c[] = {
        /* numbers up to 2^53 - 1 */
        {">=9007199254740991.0.0", "9007199254740991.0.0", "", 'T'},
        {">=9007199254740992.0.0", "1.0.0", "", 'E'},
        /* 9007199254740991.x needs the bound 9007199254740992.0.0 */
        {"9007199254740991.x", "9007199254740991.0.0", "", 'E'},
        {"9007199254740990.x", "9007199254740990.5.0", "", 'T'},
        /* a bound of 1e21 or more is not a version: an error, or dropped in loose mode */
        {"<=99999999999999999999999.x", "1.2.3", "", 'E'},
        {">=1.0.0 <=99999999999999999999999.x", "1.2.3", "l", 'T'},
        {">=1.0.0 <=99999999999999999999.x", "1.2.3", "l", 'E'},
        /* a version under test past the limits does not satisfy (no error) */
        {"*", "9007199254740992.0.0", "", 'F'},
    };
    RUN(c);
    char v[300];
    memset(v, '9', sizeof v);
    memcpy(v, "1.2.3-", 6);
    v[256] = '\0';
    assert_int_equal(sat("^1.2.3-0", v, ""), 'T');
    v[256] = '9';
    v[257] = '\0';
    assert_int_equal(sat("^1.2.3-0", v, ""), 'F');
}

static void expect_error(const char *range, const char *flags, const char *msg)
{
    struct rp_semver_opts o = {strchr(flags, 'l') != NULL, strchr(flags, 'p') != NULL};
    struct rp_errbuf eb = {0};
    bool out = true;
    assert_int_equal(rp_semver_satisfies(rp_str_from(range), RP_STR_LIT("1.2.3"), &o, &out, &eb),
                     RP_EPARSE);
    assert_false(out);
    assert_int_equal(eb.code, RP_EPARSE);
    assert_string_equal(eb.msg, msg);
}

static void test_semver_range_errors(void **state)
{
    (void)state;
    expect_error("foo", "", "semver: invalid range 'foo': invalid comparator 'foo'");
    expect_error("foo", "l", "semver: invalid range 'foo': no valid comparator");
    expect_error(">=01.2.3", "", "semver: invalid range '>=01.2.3': invalid comparator '>=01.2.3'");
    expect_error("1.2.3 - 2 - 3", "",
                 "semver: invalid range '1.2.3 - 2 - 3': invalid comparator '-'");
    expect_error("^1.2.3 || 1.x.3", "",
                 "semver: invalid range '^1.2.3 || 1.x.3': invalid comparator '1.x.3'");
    expect_error("9007199254740991.x", "",
                 "semver: invalid range '9007199254740991.x': version number above "
                 "9007199254740991 in '<9007199254740992.0.0-0'");
    expect_error("<=99999999999999999999999.x", "",
                 "semver: invalid range '<=99999999999999999999999.x': invalid comparator "
                 "'<1e+23.0.0-0'");
    expect_error("1.2.3-", "", "semver: invalid range '1.2.3-': invalid comparator '1.2.3-'");
    /* an error anywhere fails the range, even after a matching alternative */
    expect_error("1.2.3 || bad", "",
                 "semver: invalid range '1.2.3 || bad': invalid comparator 'bad'");
    /* long texts are shortened in the message */
    char r[400];
    memset(r, 'a', sizeof r);
    memcpy(r, ">=1.2.3-", 8);
    r[8 + 251] = '\0';
    expect_error(
        r, "",
        "semver: invalid range '>=1.2.3-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaa...': version longer than 256 characters in '>=1.2.3-aaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
    /* non-printable bytes are shown as '?' */
    expect_error("x\x01", "", "semver: invalid range 'x?': invalid comparator 'x?'");
}

static void test_semver_satisfies_null_options(void **state)
{
    (void)state;
    bool out = false;
    assert_int_equal(rp_semver_satisfies(RP_STR_LIT("^1.2"), RP_STR_LIT("1.3.0"), NULL, &out, NULL),
                     RP_OK);
    assert_true(out);
    assert_int_equal(rp_semver_satisfies(RP_STR_LIT("bad"), RP_STR_LIT("1.3.0"), NULL, &out, NULL),
                     RP_EPARSE);
    assert_false(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semver_precedence_numbers),
        cmocka_unit_test(test_semver_precedence_prerelease),
        cmocka_unit_test(test_semver_precedence_ignores_build),
        cmocka_unit_test(test_semver_precedence_loose_forms),
        cmocka_unit_test(test_semver_precedence_huge_prerelease_numbers),
        cmocka_unit_test(test_semver_invalid_sorts_first),
        cmocka_unit_test(test_semver_valid_strict),
        cmocka_unit_test(test_semver_valid_max_length),
        cmocka_unit_test(test_semver_registry),
        cmocka_unit_test(test_semver_range_primitives),
        cmocka_unit_test(test_semver_range_and_or),
        cmocka_unit_test(test_semver_range_hyphen),
        cmocka_unit_test(test_semver_range_x),
        cmocka_unit_test(test_semver_range_tilde),
        cmocka_unit_test(test_semver_range_caret),
        cmocka_unit_test(test_semver_range_prerelease_rule),
        cmocka_unit_test(test_semver_range_loose),
        cmocka_unit_test(test_semver_range_whitespace),
        cmocka_unit_test(test_semver_range_limits),
        cmocka_unit_test(test_semver_range_errors),
        cmocka_unit_test(test_semver_satisfies_null_options),
    };
    return cmocka_run_group_tests_name("vuln_ver_semver", tests, NULL, NULL);
}
