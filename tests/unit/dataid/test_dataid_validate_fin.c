/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/dataid/dataid_validate_fin.c: the financial validators (credit_card,
 * card_track, iban_mod97, france_rib, italy_bban, spain_ccc, germany_bban,
 * uk_bank_account, us_ca_bank_account), reached through the registry by name. Each case is
 * a hand-made value with good check digits or one way to fail; the well-known test values
 * (4111 1111 1111 1111, DE89 3704 0044 0532 0130 00, the RIB 30002 00550 0000157845Z 02...)
 * are public examples, not anyone's data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dataid/dataid.h"

struct vcase {
    const char *text;
    bool want;
};

static void check(const char *name, const struct vcase *c, size_t n)
{
    const struct rp_dataid_validator *v = rp_dataid_validator_find(name);
    assert_non_null(v);
    assert_string_equal(v->name, name);
    assert_non_null(v->summary);
    for (size_t i = 0; i < n; i++) {
        bool got = v->validate(c[i].text, strlen(c[i].text));
        if (got != c[i].want)
            fail_msg("%s(\"%s\") gave %d, want %d", name, c[i].text, got, c[i].want);
    }
}

#define CHECK(name, cases) check(name, cases, sizeof cases / sizeof cases[0])

static void test_credit_card_brands(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"4111111111111111", true},     /* Visa 16 */
        {"4222222222222", true},        /* Visa 13 */
        {"4111111111111111110", true},  /* Visa 19 */
        {"411111111111116", false},     /* Visa 15: Luhn passes, length does not */
        {"5500000000000004", true},     /* Mastercard 51-55 */
        {"2223000048400011", true},     /* Mastercard 2221-2720 */
        {"2721000000000004", false},    /* just above the 2-series range */
        {"378282246310005", true},      /* American Express 15 */
        {"3782822463100052", false},    /* American Express 16: length */
        {"30569309025904", true},       /* Diners Club 14 */
        {"3530111333300000", true},     /* JCB */
        {"6011111111111117", true},     /* Discover */
        {"6200000000000005", true},     /* UnionPay */
        {"2200000000000004", true},     /* Mir */
        {"2205000000000009", false},    /* just above Mir, below Mastercard */
        {"6012000000000003", false},    /* 60 other than 6011 */
        {"7111111111111114", false},    /* no brand starts with 7 */
        {"1111111111111117", false},    /* nor with 1 */
        {"4111111111111112", false},    /* Luhn fails */
        {"41111111111111111111", false} /* 20 digits */
    };
    CHECK("credit_card", c);
}

static void test_credit_card_grouping(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"4111 1111 1111 1111", true},     {"4111-1111-1111-1111", true},
        {"4111 1111-1111 1111", false},    /* two separators */
        {"4111  1111 1111 1111", false},   /* empty group */
        {"41111 111 1111 1111", false},    /* 5-3-4-4 */
        {"3782 822463 10005", true},       /* American Express 4-6-5 */
        {"3056 930902 5904", true},        /* Diners 4-6-4 */
        {"3782 8224 6310 005", false},     /* 4-4-4-3 is not a 15-digit layout */
        {"4111 1111 1111 1111 110", true}, /* 19 digits 4-4-4-4-3 */
        {"4111 1111 1111 1111 11", false}, /* 4-4-4-4-2 */
        {"4111 1111 1111 1111 ", false},   /* trailing separator */
    };
    CHECK("credit_card", c);
}

static void test_card_track(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"%B4111111111111111^DOE/JANE^2712101000000000000000000?", true},
        {"%B4111111111111111^DOE/JANE^2712101", true},
        {";4111111111111111=27121010000000000000?", true},
        {";5500000000000004=2801101", true},
        {"%B4111111111111112^DOE/JANE^2712101000?", false}, /* Luhn */
        {";4111111111111111=27131010000000000000?", false}, /* month 13 */
        {";4111111111111111=27001010000000000000?", false}, /* month 00 */
        {";4111111111111111=271210", false},                /* service code cut short */
        {"%B4111111111111111^DOE/JANE", false},             /* no second '^' */
        {";7111111111111114=2712101", false},               /* not a card brand */
        {"?4111111111111111=2712101", false},               /* no start sentinel */
        {"%B4111111111111111=2712101", false},              /* track 1 with track 2 layout */
    };
    CHECK("card_track", c);
}

static void test_iban_check_digits(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"DE89370400440532013000", true},
        {"DE89 3704 0044 0532 0130 00", true},
        {"GB29 NWBK 6016 1331 9268 19", true},
        {"GB82 WEST 1234 5698 7654 32", true},
        {"FR14 2004 1010 0505 0001 3M02 606", true},
        {"IT60 X054 2811 1010 0000 0123 456", true},
        {"ES91 2100 0418 4502 0005 1332", true},
        {"NL91 ABNA 0417 1643 00", true},
        {"BR18 0036 0305 0000 1000 9795 493C 1", true},
        {"XK05 1212 0123 4567 8906", true},
        {"DE88 3704 0044 0532 0130 00", false}, /* check digits */
        {"DE89 3704 0044 0532 0130 01", false}, /* BBAN changed */
        {"DE89 3704 0044 0532 0310 00", false}, /* transposition */
    };
    CHECK("iban_mod97", c);
}

static void test_iban_lengths_and_layout(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"NO93 8601 1117 947", true},                        /* shortest: 15 */
        {"LC55 HEMM 0001 0001 0012 0012 0002 3015", true},   /* 32 */
        {"RU02 0445 2560 0407 0281 0412 3456 7890 1", true}, /* longest: 33 */
        {"MT84 MALT 0110 0001 2345 MTLC AST0 01S", true},    /* 31 */
        {"BI42 1000 0100 0100 0033 2045 181", true},         /* 27 since 2020 */
        {"DE813704004405320130000", false},       /* mod 97 right, 23 characters for DE (22) */
        {"DE89 3704 0044 0532 0130 0", false},    /* short */
        {"ZZ89 3704 0044 0532 0130 00", false},   /* no such country */
        {"US64 SVBK US6S 3300 9673 8637", false}, /* not in the registry */
        {"DE8937040044 0532 0130 00", false},     /* uneven grouping */
        {"DE89 3704 0044 0532 013000", false},    /* uneven grouping */
        {"DE89  3704 0044 0532 0130 00", false},  /* double space */
        {"de89 3704 0044 0532 0130 00", false},   /* lower case */
        {"DE89-3704-0044-0532-0130-00", false},   /* dashes */
        {"DEXX 3704 0044 0532 0130 00", false},   /* letters as check digits */
        {"", false},
    };
    CHECK("iban_mod97", c);
}

static void test_france_rib(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"30002 00550 0000157845Z 02", true},  {"30002005500000157845Z02", true},
        {"20041 01005 0500013M026 06", true},  {"10107 00118 0001234567A 43", true},
        {"30002 00550 0000157845Z 03", false}, /* key */
        {"30002 00550 0000157845Y 02", false}, /* letter value changes the key */
        {"30002 00550 0000157845z 02", false}, /* lower case */
        {"30002 00550 0000157845Z 0", false},  /* short */
        {"3000A 00550 0000157845Z 02", false}, /* letter in the bank code */
    };
    CHECK("france_rib", c);
}

static void test_italy_bban(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"X 05428 11101 000000123456", true}, {"X0542811101000000123456", true},
        {"V0306909606100000063527", true},    {"B0200802485000101234567", true},
        {"Y0542811101000000123456", false}, /* CIN */
        {"X0542811101000000123457", false}, /* account changed */
        {"X054281110100000012345", false},  /* short */
        {"10542811101000000123456", false}, /* CIN must be a letter */
        {"XA542811101000000123456", false}, /* letter in the ABI */
    };
    CHECK("italy_bban", c);
}

static void test_spain_ccc(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"2100 0418 45 0200051332", true},
        {"2100-0418-45-0200051332", true},
        {"21000418450200051332", true},
        {"0049 1500 01 2710151234", true}, /* first digit 11 -> 0, second 10 -> 1 */
        {"2085 2066 62 0300012345", true},
        {"2100 0418 55 0200051332", false}, /* first control digit */
        {"2100 0418 46 0200051332", false}, /* second control digit */
        {"2100 0418 45 020005133", false},  /* short */
    };
    CHECK("spain_ccc", c);
}

static void test_germany_bban(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"370400440532013000", true},     {"37040044 0532013000", true},
        {"3704 0044 0532 0130 00", true}, {"970400440532013000", false}, /* clearing area 9 */
        {"070400440532013000", false},                                   /* clearing area 0 */
        {"370400440000000000", false},                                   /* zero account */
        {"37040044053201300", false},                                    /* 17 digits */
        {"3704004405320130001", false},                                  /* 19 digits */
    };
    CHECK("germany_bban", c);
}

static void test_uk_bank_account(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"20-00-00 Account number: 12345678", true},
        {"601613 31926819", true},
        {"40-47-84\t70872490", true},
        {"20-0000 12345678", false},  /* one dash */
        {"00-00-00 12345678", false}, /* zero sort code */
        {"20-00-00 00000000", false}, /* zero account */
        {"20-00-0012345678", false},  /* no gap */
        {"20-00-00 1234567", false},  /* 7 digits */
        {"20-00-00 12345678 9", false},
    };
    CHECK("uk_bank_account", c);
}

static void test_us_ca_bank_account(void **state)
{
    (void)state;
    static const struct vcase c[] = {
        {"12345678", true},
        {"000123456789", true},
        {"12345678901234567", true},
        {"00012-003-1234567", true},
        {"00012.003.123456789012", true},
        {"00012 003 1234567", true},
        {"1234567", false},            /* 7 digits */
        {"123456789012345678", false}, /* 18 digits */
        {"11111111", false},           /* one repeated digit */
        {"00012-003.1234567", false},  /* mixed separators */
        {"00012-003-123456", false},   /* account too short */
        {"0001-2003-1234567", false},  /* not 5-3 */
    };
    CHECK("us_ca_bank_account", c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit_card_brands),
        cmocka_unit_test(test_credit_card_grouping),
        cmocka_unit_test(test_card_track),
        cmocka_unit_test(test_iban_check_digits),
        cmocka_unit_test(test_iban_lengths_and_layout),
        cmocka_unit_test(test_france_rib),
        cmocka_unit_test(test_italy_bban),
        cmocka_unit_test(test_spain_ccc),
        cmocka_unit_test(test_germany_bban),
        cmocka_unit_test(test_uk_bank_account),
        cmocka_unit_test(test_us_ca_bank_account),
    };
    return cmocka_run_group_tests_name("dataid_validate_fin", tests, NULL, NULL);
}
