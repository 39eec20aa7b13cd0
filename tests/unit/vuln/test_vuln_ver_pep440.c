/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/vuln/vuln_ver_pep440.c: PEP 440 ordering (one test per rule, each pair
 * checked both ways), validity, normal forms, and specifier sets with their exclusive-ordered
 * and pre-release rules, plus the registry lookups. All cases are written here from PEP 440;
 * the upstream vectors are for the hand-run checker (tests/tools/check_vectors_pep440.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vuln/vuln.h"

#define VULN_TEST_SCHEME "pep440"
#include "vuln_test_pairs.h"

/* Normal form of v, or "<EPARSE>" / "<ELIMIT>". */
static const char *norm(const char *v)
{
    static char buf[256];
    struct rp_errbuf eb;
    rp_err e = rp_pep440_normalize(rp_str_from(v), buf, sizeof buf, &eb);
    return e == RP_OK ? buf : e == RP_EPARSE ? "<EPARSE>" : "<ELIMIT>";
}

struct norm_case {
    const char *in, *want;
};

static void check_norms(const struct norm_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = norm(c[i].in);
        if (strcmp(got, c[i].want) != 0)
            fail_msg("normalize('%s') = '%s', want '%s'", c[i].in, got, c[i].want);
    }
}

#define CHECK_NORMS(arr) check_norms(arr, sizeof(arr) / sizeof(arr[0]))

struct contains_case {
    const char *spec, *version;
    bool prereleases, want;
};

static void check_contains(const struct contains_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool out = !c[i].want;
        struct rp_errbuf eb;
        rp_err e = rp_pep440_contains(rp_str_from(c[i].spec), rp_str_from(c[i].version),
                                      c[i].prereleases, &out, &eb);
        if (e != RP_OK) fail_msg("contains('%s', '%s'): %s", c[i].spec, c[i].version, eb.msg);
        if (out != c[i].want)
            fail_msg("contains('%s', '%s', prereleases=%d) = %d, want %d", c[i].spec, c[i].version,
                     c[i].prereleases, out, c[i].want);
    }
}

#define CHECK_CONTAINS(arr) check_contains(arr, sizeof(arr) / sizeof(arr[0]))

/* ---- ordering ------------------------------------------------------------------------- */

static void test_pep440_epoch_is_compared_first(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1!1.0", "2.0", 1},    /* any epoch above 0 beats none */
        {"0!1.0", "1.0", 0},    /* a missing epoch is 0 */
        {"2!0.1", "1!9.9", 1},  /* the epoch decides before the release */
        {"10!1", "9!1", 1},     /* numerically */
        {"01!1.0", "1!1.0", 0}, /* leading zeros do not count */
        {"1!1.0a1", "1.0.post9", 1},
    };
    CHECK_PAIRS(p);
}

static void test_pep440_release_ignores_trailing_zeros(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0", "1.0.0", 0},
        {"1", "1.0.0.0", 0},
        {"1.0.1", "1.0", 1},
        {"1.10", "1.9", 1},
        {"1.01", "1.1", 0},
        {"2.0", "10.0", -1},
        {"1.0.0.1", "1.0.0", 1},
        {"0.0", "0", 0},
        {"1.2.3", "1.2.3.0.0.1", -1},
        {"99999999999999999999999.1", "99999999999999999999998.9", 1}, /* no size limit */
    };
    CHECK_PAIRS(p);
}

static void test_pep440_pre_releases_order_a_b_rc_before_final(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0a1", "1.0", -1},      {"1.0a1", "1.0a2", -1},
        {"1.0a9", "1.0a10", -1},   {"1.0a99", "1.0b1", -1},
        {"1.0b99", "1.0rc1", -1},  {"1.0c1", "1.0rc1", 0},
        {"1.0pre1", "1.0rc1", 0},  {"1.0preview1", "1.0rc1", 0},
        {"1.0alpha1", "1.0a1", 0}, {"1.0beta2", "1.0b2", 0},
        {"1.0a", "1.0a0", 0},      {"1.0rc1", "0.9", 1}, /* the release decides first */
        {"1.0rc1", "1.0.0rc1", 0},
    };
    CHECK_PAIRS(p);
}

static void test_pep440_dev_releases_sort_before_what_they_precede(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0.dev1", "1.0a1", -1}, /* a dev release of 1.0 precedes its pre-releases */
        {"1.0.dev1", "1.0.dev2", -1},
        {"1.0.dev9", "1.0a0", -1},
        {"1.0a1.dev1", "1.0a1", -1}, /* a dev release of a pre-release precedes it */
        {"1.0a1.dev1", "1.0a0", 1},
        {"1.0.post1.dev1", "1.0.post1", -1},
        {"1.0.post1.dev1", "1.0", 1}, /* ... but follows the release it is a post of */
        {"1.0a1.post1.dev1", "1.0a1.post1", -1},
        {"1.0a1.post1.dev1", "1.0a1", 1},
        {"1.0.dev1", "0.9.post9", 1},
        {"1.0.dev", "1.0.dev0", 0},
    };
    CHECK_PAIRS(p);
}

static void test_pep440_post_releases_sort_after_the_release(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0.post1", "1.0", 1},      {"1.0.post1", "1.0.post2", -1},
        {"1.0.post1", "1.0.1", -1},   {"1.0-1", "1.0.post1", 0}, /* implicit post */
        {"1.0.rev1", "1.0.post1", 0}, {"1.0.r1", "1.0.post1", 0},
        {"1.0.post", "1.0.post0", 0}, {"1.0a1.post1", "1.0a1", 1},
        {"1.0a1.post1", "1.0a2", -1}, {"1.0a1.post1", "1.0a1.post1.dev1", 1},
    };
    CHECK_PAIRS(p);
}

static void test_pep440_local_versions_sort_last_by_segments(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"1.0+abc", "1.0", 1},        /* a local version follows its public version */
        {"1.0+abc", "1.0.post1", -1}, /* ... and precedes anything greater */
        {"1.0+abc", "1.0+abd", -1},   {"1.0+abc", "1.0+ABC", 0}, /* case-insensitive */
        {"1.0+abc", "1.0+1", -1}, /* alphanumeric segments before numeric ones */
        {"1.0+2", "1.0+10", -1},  /* numbers as numbers */
        {"1.0+01", "1.0+1", 0},       {"1.0+1", "1.0+1.0", -1},      /* a prefix first */
        {"1.0+1.abc", "1.0+1.1", -1}, {"1.0+a-b_c", "1.0+a.b.c", 0}, /* separators */
        {"1.0+abc", "1.0+abc1", -1},  {"1.0+ubuntu.1", "1.0+ubuntu.2", -1},
    };
    CHECK_PAIRS(p);
}

static void test_pep440_spellings_compare_equal(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"v1.0", "1.0", 0},
        {"V1.0", "1.0", 0},
        {" 1.0\n", "1.0", 0},
        {"1.0-RC1", "1.0rc1", 0},
        {"1.0_a_1", "1.0a1", 0},
        {"1.0.A.1", "1.0a1", 0},
        {"1.0-post-1", "1.0.post1", 0},
        {"1.0_DEV_3", "1.0.dev3", 0},
        {"1.0a1-1", "1.0a1.post1", 0},
        {"1.0.0a0", "1.0a", 0},
    };
    CHECK_PAIRS(p);
}

static void test_pep440_invalid_versions_sort_first_bytewise(void **state)
{
    (void)state;
    static const struct pair p[] = {
        {"french toast", "0", -1},                     /* invalid before every valid version */
        {"1.0.", "0.0.dev0", -1},  {"abc", "abd", -1}, /* bytewise among themselves */
        {"1.0+", "1.0+", 0},       {"x", "xy", -1},
    };
    CHECK_PAIRS(p);
}

static int qsort_cmp(const void *a, const void *b)
{
    return cmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_pep440_sorts_a_list(void **state)
{
    (void)state;
    const char *v[] = {"1.0.post1", "1.0+local", "1.0", "1.0a1.dev1", "1!0.1",         "1.0rc1",
                       "1.0.dev1",  "1.0b2",     "1.1", "1.0a1",      "1.0.post1.dev1"};
    static const char *const want[] = {"1.0.dev1",  "1.0a1.dev1", "1.0a1",     "1.0b2",
                                       "1.0rc1",    "1.0",        "1.0+local", "1.0.post1.dev1",
                                       "1.0.post1", "1.1",        "1!0.1"};
    qsort(v, RP_ARRAY_LEN(v), sizeof v[0], qsort_cmp);
    for (size_t i = 0; i < RP_ARRAY_LEN(v); i++) assert_string_equal(v[i], want[i]);
}

/* ---- validity and normal forms ---------------------------------------------------------- */

static void test_pep440_valid_accepts_the_grammar(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "0",
        "1.0",
        "1!2.3.4a5.post6.dev7+zzz",
        "v1.0",
        "  1.0\t",
        "1.0+abc.5-x_y",
        "1.0a.", /* a separator after a suffix label is part of the suffix */
        "1.0.post.",
        "1.0.dev-",
        "1.0-a-",
        "1.0-1",
        "1.0RC",
        "1.0\xe2\x80\xaf", /* U+202F */
        ("\xc2\xa0"
         "1.0"), /* U+00A0 */
        "1.0.post1.dev1+1",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(ok); i++)
        if (!vs()->valid(rp_str_from(ok[i]))) fail_msg("valid('%s') is false", ok[i]);
}

static void test_pep440_valid_rejects_what_pep440_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "french toast",
        "1.0.",
        ".1",
        "1..0",
        "1. 0",
        "1.0 a1",
        "1.0+",
        "1.0+a+b",
        "1.0+_a",
        "1.0+a_",
        "1.0-",
        "1.0a1a2",
        "1.0.post1a1",
        "1.0.dev1.post1",
        "v",
        "!1.0",
        "1!",
        "1.0+\xc4\xb0",    /* U+0130 */
        "\xd9\xa1.0",      /* ARABIC-INDIC DIGIT ONE */
        "1.0\xe2\x80\x8b", /* U+200B is not whitespace */
        "1.0.*",
        "1.0 +a",
        "==1.0",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(bad); i++)
        if (vs()->valid(rp_str_from(bad[i]))) fail_msg("valid('%s') is true", bad[i]);
}

static void test_pep440_normalize_writes_the_normal_form(void **state)
{
    (void)state;
    static const struct norm_case c[] = {
        {"1.0.0-RC1", "1.0.0rc1"},
        {"1.0ALPHA", "1.0a0"},
        {"1.0.beta.2", "1.0b2"},
        {"1.0-c-3", "1.0rc3"},
        {"1.0pre", "1.0rc0"},
        {"1.0_preview_4", "1.0rc4"},
        {"1.0-5", "1.0.post5"},
        {"1.0r", "1.0.post0"},
        {"1.0-rev-2", "1.0.post2"},
        {"1.0POST", "1.0.post0"},
        {"1.0dev", "1.0.dev0"},
        {"1.0-DEV-01", "1.0.dev1"},
        {"v1.0", "1.0"},
        {" \t1.0\n", "1.0"},
        {"00!1.2", "1.2"},
        {"0100!0.0", "100!0.0"},
        {"01.002.0003", "1.2.3"},
        {"1.0+AbC-01_x", "1.0+abc.1.x"},
        {"1.0a05", "1.0a5"},
        {"1.0a.", "1.0a0"},
        {"1.0.post000", "1.0.post0"},
        {"1!2.3.4a5.post6.dev7+zzz", "1!2.3.4a5.post6.dev7+zzz"},
        {"1.0a1-2", "1.0a1.post2"},
        {"1.0.0", "1.0.0"}, /* trailing zeros are kept */
        {"1.0 a1", "<EPARSE>"},
        {"", "<EPARSE>"},
    };
    CHECK_NORMS(c);
}

static void test_pep440_normalize_errors(void **state)
{
    (void)state;
    struct rp_errbuf eb;
    char buf[8];
    assert_int_equal(rp_pep440_normalize(RP_STR_LIT("1.0.0-RC1"), buf, 8, &eb), RP_ELIMIT);
    assert_string_equal(eb.msg, "pep440: normal form of '1.0.0-RC1' longer than 7 bytes");
    assert_int_equal(rp_pep440_normalize(RP_STR_LIT("1.0.0rc1"), buf, 9 - 1, &eb), RP_ELIMIT);
    assert_int_equal(rp_pep440_normalize(RP_STR_LIT("1.0rc1"), buf, 8, &eb), RP_OK);
    assert_string_equal(buf, "1.0rc1");
    assert_int_equal(rp_pep440_normalize(RP_STR_LIT("1.0."), buf, 8, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "pep440: invalid version '1.0.'");
    assert_int_equal(rp_pep440_normalize(RP_STR_LIT("1.0"), buf, 0, NULL), RP_ELIMIT);
}

/* ---- specifiers ------------------------------------------------------------------------- */

static void test_pep440_specifier_equal_and_not_equal(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {"==1.0", "1.0", false, true},
        {"==1.0", "1.0.0", false, true},
        {"==1.0", "1.0.post1", false, false},
        {"==1.0", "1.0+local", false, true},
        {"==1.0+local", "1.0+local", false, true},
        {"==1.0+local", "1.0", false, false},
        {"==1.0+local", "1.0+other", false, false},
        {"== v1.0", "1.0", false, true},
        {"!=1.0", "1.0", false, false},
        {"!=1.0", "1.0.1", false, true},
        {"!=1.0", "1.0+local", false, false},
        {"==1.0rc1", "1.0c1", false, true},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_prefix_matching(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {"==1.1.*", "1.1", false, true},       {"==1.1.*", "1.1.0", false, true},
        {"==1.1.*", "1.1.9", false, true},     {"==1.1.*", "1.1.post1", false, true},
        {"==1.1.*", "1.1+local", false, true}, {"==1.1.*", "1.10", false, false},
        {"==1.1.*", "1.2", false, false},      {"==1.1.*", "1.1a1", false, false},
        {"==1.1.*", "1.1a1", true, true},  /* a pre-release of 1.1 has the prefix */
        {"==1.1.0.*", "1.1", false, true}, /* the candidate is padded with zeros */
        {"==1.*", "1!1.0", false, false},  /* epochs must match */
        {"==1!1.*", "1!1.5", false, true},     {"!=1.1.*", "1.1.3", false, false},
        {"!=1.1.*", "1.2", false, true},       {"==01.1.*", "1.1", false, true},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_inclusive_ordered(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {">=1.0", "1.0", false, true},           {">=1.0", "0.9", false, false},
        {">=1.0", "1.0.post1", false, true},     {">=1.0", "1.0+local", false, true},
        {"<=1.0", "1.0+local", false, true}, /* the local part is ignored */
        {"<=1.0", "1.0.post1", false, false},    {"<=1.0", "0.1", false, true},
        {">=1.0", "2.0a1", false, false}, /* pre-releases are excluded by default */
        {">=1.0", "2.0a1", true, true},          {">=1.0a1", "1.0a2", false, true},
        {">=1.0.dev0", "1.0.dev1", false, true},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_exclusive_ordered(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {">1.7", "1.7.1", false, true},
        {">1.7", "1.7", false, false},
        {">1.7", "1.7.post2", false, false},      /* >V excludes the post-releases of V */
        {">1.7.post2", "1.7.post3", false, true}, /* unless V is one */
        {">1.7", "1.7.0.post1", false, false},    /* same release, trailing zeros aside */
        {">1.7", "1.7+local", false, false},      /* and local versions of V */
        {">1.7", "1.8+local", false, true},
        {">1.7", "1.8.post1", false, true},
        {"<2.0", "1.9", false, true},
        {"<2.0", "2.0", false, false},
        {"<2.0", "2.0rc1", true, false}, /* <V excludes the pre-releases of V */
        {"<2.0", "2.0.dev1", true, false},
        {"<2.0", "1.9a1", true, true},
        {"<2.0rc1", "2.0b1", false, true}, /* unless V is one (which also allows them) */
        {"<2.0", "1.9.post1", false, true},
        {"<2.0", "2.0.post1", false, false},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_compatible_release(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {"~=2.2", "2.2", false, true},
        {"~=2.2", "2.9", false, true},
        {"~=2.2", "3.0", false, false},
        {"~=2.2", "2.1", false, false},
        {"~=1.4.5", "1.4.5", false, true},
        {"~=1.4.5", "1.4.9", false, true},
        {"~=1.4.5", "1.5.0", false, false},
        {"~=1.4.5", "1.4.4", false, false},
        {"~=2.2.post3", "2.2.post3", false, true},
        {"~=2.2.post3", "2.3", false, true},
        {"~=2.2.post3", "2.2.post2", false, false},
        {"~=2.2.post3", "3.0", false, false},
        {"~=1.4.5a4", "1.4.5a4", false, true}, /* a pre-release in the clause allows them */
        {"~=1.4.5a4", "1.4.6", false, true},
        {"~=1.4.5a4", "1.5", false, false},
        {"~=1.0", "1.5+local", false, true},
        {"~=1!1.0", "1!1.5", false, true},
        {"~=1!1.0", "1.5", false, false},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_arbitrary_equality(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {"===1.0", "1.0", false, true},
        {"===1.0", "1.0.0", false, false},    /* string equality, not version equality */
        {"===1.0RC1", "1.0-rc1", true, true}, /* of the normal form, case-insensitively */
        {"===1.0+local", "1.0+LOCAL", false, true},
        {"===foobar", "1.0", false, false},
        {"===1.0a1", "1.0a1", false, true},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_set_pre_release_rule(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {"", "1.0", false, true},    /* an empty set matches every final version */
        {"", "1.0a1", false, false}, /* ... but no pre-release */
        {"", "1.0a1", true, true},
        {"", "1.0.dev1", false, false},
        {"", "1.0.post1.dev1", false, false}, /* a dev release is a pre-release */
        {"", "1.0.post1", false, true},
        {">=1.0", "1.1.dev1", false, false},
        {">=1.0,!=1.1a1", "1.1a2", false, false}, /* '!=' names no pre-release */
        {">=1.0a1", "1.1a2", false, true},        /* a named pre-release allows all of them */
        {">=1.0a1,<2", "1.5b1", false, true},     /* in any clause of the set */
        {">1.0a1", "1.5b1", false, true},
        {"<2.0a1", "1.5b1", false, true},
        {"==1.0a1", "1.0a1", false, true},
        {"==1.0.*", "1.0.1a1", false, false},
        {">=1.0", "1.0", false, true},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_sets_and_syntax(void **state)
{
    (void)state;
    static const struct contains_case c[] = {
        {"~=1.4.5, !=1.5.0", "1.4.6", false, true},
        {">=1.0, <2.0, !=1.5.*", "1.5.3", false, false},
        {">=1.0, <2.0, !=1.5.*", "1.6", false, true},
        {" >= 1.0 ,, < 2.0 ,", "1.9", false, true}, /* spaces and empty items are ignored */
        {">=1.0,<2.0", "2.0", false, false},
        {"\xc2\xa0==1.0\xe3\x80\x80", "1.0", false, true}, /* Unicode whitespace */
        {">=1.0", "not a version", false, false},          /* an invalid version: false */
        {">=1.0", "not a version", true, false},
    };
    CHECK_CONTAINS(c);
}

static void test_pep440_specifier_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "1.0",       "=1.0",      "=>1.0",       ">=1.0.*",   "~=1",           "~=1.*",
        "~=1.0+loc", ">1.0+loc",  "<=1.0+a",     "==1.0a1.*", "==1.0.post1.*", "==1.*.0",
        "==",        ">=",        ">=1.0 a",     "===a b",    "===a;b",        "===a)",
        "~=1.0.*",   ">=1.0,foo", "!=1.0+loc.*", "== 1.0.",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(bad); i++) {
        bool out = true;
        struct rp_errbuf eb;
        rp_err e = rp_pep440_contains(rp_str_from(bad[i]), RP_STR_LIT("1.0"), false, &out, &eb);
        if (e != RP_EPARSE) fail_msg("contains('%s') = %s, want RP_EPARSE", bad[i], rp_err_name(e));
        assert_false(out);
    }
    bool out = true;
    struct rp_errbuf eb;
    assert_int_equal(
        rp_pep440_contains(RP_STR_LIT(">=1.0, =>2"), RP_STR_LIT("x"), false, &out, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "pep440: invalid specifier '=>2'");
    /* === takes any text without whitespace, ';' or ')' */
    assert_int_equal(
        rp_pep440_contains(RP_STR_LIT("===anything-goes!"), RP_STR_LIT("1.0"), false, &out, &eb),
        RP_OK);
    assert_false(out);
}

/* ---- registry --------------------------------------------------------------------------- */

static void test_pep440_registry_and_ecosystems(void **state)
{
    (void)state;
    assert_string_equal(vs()->name, "pep440");
    assert_string_equal(vs()->ecosystems[0], "PyPI");
    assert_null(vs()->ecosystems[1]);
    assert_ptr_equal(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("PyPI")), vs());
    assert_null(rp_vuln_versioning_for_ecosystem(RP_STR_LIT("pypi")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pep440_epoch_is_compared_first),
        cmocka_unit_test(test_pep440_release_ignores_trailing_zeros),
        cmocka_unit_test(test_pep440_pre_releases_order_a_b_rc_before_final),
        cmocka_unit_test(test_pep440_dev_releases_sort_before_what_they_precede),
        cmocka_unit_test(test_pep440_post_releases_sort_after_the_release),
        cmocka_unit_test(test_pep440_local_versions_sort_last_by_segments),
        cmocka_unit_test(test_pep440_spellings_compare_equal),
        cmocka_unit_test(test_pep440_invalid_versions_sort_first_bytewise),
        cmocka_unit_test(test_pep440_sorts_a_list),
        cmocka_unit_test(test_pep440_valid_accepts_the_grammar),
        cmocka_unit_test(test_pep440_valid_rejects_what_pep440_rejects),
        cmocka_unit_test(test_pep440_normalize_writes_the_normal_form),
        cmocka_unit_test(test_pep440_normalize_errors),
        cmocka_unit_test(test_pep440_specifier_equal_and_not_equal),
        cmocka_unit_test(test_pep440_specifier_prefix_matching),
        cmocka_unit_test(test_pep440_specifier_inclusive_ordered),
        cmocka_unit_test(test_pep440_specifier_exclusive_ordered),
        cmocka_unit_test(test_pep440_specifier_compatible_release),
        cmocka_unit_test(test_pep440_specifier_arbitrary_equality),
        cmocka_unit_test(test_pep440_specifier_set_pre_release_rule),
        cmocka_unit_test(test_pep440_specifier_sets_and_syntax),
        cmocka_unit_test(test_pep440_specifier_errors),
        cmocka_unit_test(test_pep440_registry_and_ecosystems),
    };
    return cmocka_run_group_tests_name("vuln_ver_pep440", tests, NULL, NULL);
}
