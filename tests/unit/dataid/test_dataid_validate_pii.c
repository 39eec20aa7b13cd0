/* SPDX-License-Identifier: Apache-2.0 */
/* PII validators (dataid_validate_pii.c), looked up by name through the registry: for each,
 * hand-made values with good check digits (plain and with separators) and one value per way
 * to fail (check digit or letter, reserved ranges, structure, length). Check digits were
 * worked out by hand from each issuer's published scheme; all values are synthetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dataid/dataid.h"

static bool check(const char *name, const char *value)
{
    const struct rp_dataid_validator *v = rp_dataid_validator_find(name);
    if (!v) fail_msg("validator '%s' is not registered", name);
    return v->validate(value, strlen(value));
}

#define OK(name, value)  assert_true(check(name, value))
#define BAD(name, value) assert_false(check(name, value))

static void test_usa_ssn(void **state)
{
    (void)state;
    OK("usa_ssn", "536-22-4817");
    OK("usa_ssn", "536224817");
    OK("usa_ssn", "271 08 6643");
    OK("usa_ssn", "899-99-9999");
    OK("usa_ssn", "001-01-0001");
    BAD("usa_ssn", "000-12-3456"); /* area 000 */
    BAD("usa_ssn", "666-12-3456"); /* area 666 */
    BAD("usa_ssn", "900-12-3456"); /* area 9xx */
    BAD("usa_ssn", "536-00-4817"); /* group 00 */
    BAD("usa_ssn", "536-22-0000"); /* serial 0000 */
    BAD("usa_ssn", "536-22-481");  /* 8 digits */
    BAD("usa_ssn", "5362248170");  /* 10 digits */
    BAD("usa_ssn", "53A-22-4817"); /* a letter */
}

static void test_usa_itin(void **state)
{
    (void)state;
    OK("usa_itin", "912-50-4837");
    OK("usa_itin", "912-65-4837");
    OK("usa_itin", "912-70-4837");
    OK("usa_itin", "912-88-4837");
    OK("usa_itin", "912-92-4837");
    OK("usa_itin", "983 94 4821");
    OK("usa_itin", "999994821");
    BAD("usa_itin", "912-49-4837"); /* groups below 50 */
    BAD("usa_itin", "912-66-4837");
    BAD("usa_itin", "912-69-4837");
    BAD("usa_itin", "912-89-4837");
    BAD("usa_itin", "912-93-4837");
    BAD("usa_itin", "812-71-4837"); /* not 9xx */
    BAD("usa_itin", "912-71-483");  /* 8 digits */
}

static void test_vin(void **state)
{
    (void)state;
    OK("vin", "1HGCM82633A004352");
    OK("vin", "1M8GDM9AXKP042788");  /* check digit X */
    OK("vin", "1m8gdm9axkp042788");  /* lower case */
    BAD("vin", "1HGCM82643A004352"); /* wrong check digit */
    BAD("vin", "1M8GDM9A9KP042788");
    BAD("vin", "1HGCM82633A00435I"); /* I is not used */
    BAD("vin", "1HGCO82633A004352"); /* O */
    BAD("vin", "1HGCQ82633A004352"); /* Q */
    BAD("vin", "1HGCM82633A00435");  /* 16 characters */
    BAD("vin", "1HGCM82633A0043520");
    BAD("vin", "1HGCM-2633A004352"); /* not alphanumeric */
}

static void test_canada_sin(void **state)
{
    (void)state;
    OK("canada_sin", "464 542 869");
    OK("canada_sin", "527-813-646");
    OK("canada_sin", "464542869");
    BAD("canada_sin", "464 542 868"); /* Luhn */
    BAD("canada_sin", "046 501 466"); /* Luhn-valid, starts with 0 */
    BAD("canada_sin", "846 501 468"); /* Luhn-valid, starts with 8 */
    BAD("canada_sin", "464 542 86");
    BAD("canada_sin", "4645428690");
}

static void test_uk_nino(void **state)
{
    (void)state;
    OK("uk_nino", "AB482017D");
    OK("uk_nino", "JT 12 34 56 C");
    OK("uk_nino", "ZY123456A");
    BAD("uk_nino", "GB482017D"); /* unallocated prefixes */
    BAD("uk_nino", "BG482017D");
    BAD("uk_nino", "NK482017A");
    BAD("uk_nino", "KN482017A");
    BAD("uk_nino", "TN482017A");
    BAD("uk_nino", "NT482017A");
    BAD("uk_nino", "ZZ482017A");
    BAD("uk_nino", "DA482017A"); /* D, F, I, Q, U, V never used */
    BAD("uk_nino", "AF482017A");
    BAD("uk_nino", "AO482017A"); /* O not second */
    BAD("uk_nino", "AB482017E"); /* suffix A-D */
    BAD("uk_nino", "AB48201XD");
    BAD("uk_nino", "AB4820171D");
}

static void test_uk_driving_licence(void **state)
{
    (void)state;
    OK("uk_driving_licence", "MORGA753116SM9IJ");
    OK("uk_driving_licence", "JONES862014AB2CD");
    OK("uk_driving_licence", "SMITH901316J99AB");  /* month 01, day 31 */
    BAD("uk_driving_licence", "MORGA713116SM9IJ"); /* month 13 */
    BAD("uk_driving_licence", "MORGA763116SM9IJ"); /* month 63 */
    BAD("uk_driving_licence", "MORGA700116SM9IJ"); /* month 00 */
    BAD("uk_driving_licence", "MORGA753006SM9IJ"); /* day 00 */
    BAD("uk_driving_licence", "MORGA753326SM9IJ"); /* day 32 */
    BAD("uk_driving_licence", "MORGA753116SM9I");  /* 15 characters */
}

static void test_france_nir(void **state)
{
    (void)state;
    OK("france_nir", "185077512345608");
    OK("france_nir", "1 85 07 75 123 456 08");
    OK("france_nir", "185022A00401222"); /* Corsica 2A counts as 19 */
    OK("france_nir", "185022B00401249"); /* 2B counts as 18 */
    OK("france_nir", "185022a00401222");
    BAD("france_nir", "185077512345609"); /* key */
    BAD("france_nir", "185022B00401222"); /* 2A's key on 2B */
    BAD("france_nir", "185022C00401222"); /* only A or B */
    BAD("france_nir", "585077512345602"); /* sex digit 5, key right */
    BAD("france_nir", "185137512345607"); /* month 13, key right */
    BAD("france_nir", "18507751234560");  /* 14 characters */
    BAD("france_nir", "1850775123456AB"); /* key not digits */
}

static void test_france_spi(void **state)
{
    (void)state;
    OK("france_spi", "3023217600053");
    OK("france_spi", "30 23 217 600 053");
    OK("france_spi", "1234567890066");
    BAD("france_spi", "3023217600054"); /* key */
    BAD("france_spi", "4023217600136"); /* first digit 4, key right */
    BAD("france_spi", "302321760005");  /* 12 digits */
}

static void test_germany_tin(void **state)
{
    (void)state;
    OK("germany_tin", "86095742719");
    OK("germany_tin", "47 153 082 628");
    OK("germany_tin", "12131456787");  /* a digit three times, not adjacent */
    BAD("germany_tin", "86095742710"); /* check digit */
    BAD("germany_tin", "12345678903"); /* no repeated digit */
    BAD("germany_tin", "11223456785"); /* two repeated digits */
    BAD("germany_tin", "11123456786"); /* three adjacent */
    BAD("germany_tin", "06095742715"); /* leading 0 */
    BAD("germany_tin", "8609574271");  /* 10 digits */
}

static void test_germany_documents(void **state)
{
    (void)state;
    OK("germany_id", "T220001293");
    OK("germany_id", "t220001293");
    BAD("germany_id", "T220001294"); /* check digit */
    BAD("germany_id", "T22000129");  /* ID cards carry the check digit */
    BAD("germany_id", "A220001293"); /* A is not in the document alphabet */
    BAD("germany_id", "T22000129X");
    OK("germany_passport", "C01X00T47");
    OK("germany_passport", "C01X00T478");
    BAD("germany_passport", "C01X00T479"); /* check digit, when present */
    BAD("germany_passport", "C01I00T47");  /* I */
    BAD("germany_passport", "C01X00T4");
}

static void test_italy_cf(void **state)
{
    (void)state;
    OK("italy_cf", "BNCLRA72C41H501H");
    OK("italy_cf", "VRDGPP80A01F2LRD"); /* omocodia */
    OK("italy_cf", "bnclra72c41h501h");
    BAD("italy_cf", "BNCLRA72C41H501A"); /* check letter */
    BAD("italy_cf", "BNCLRA72C41H502H");
    BAD("italy_cf", "BNCLRA72C41H501"); /* 15 characters */
}

static void test_spain(void **state)
{
    (void)state;
    OK("spain_dni", "47295813Q");
    OK("spain_dni", "47295813-Q");
    BAD("spain_dni", "47295813A"); /* check letter */
    BAD("spain_dni", "4729581Q");
    BAD("spain_dni", "Y2849173Q");
    OK("spain_nie", "Y2849173Q");
    OK("spain_nie", "X-0000000-T");
    BAD("spain_nie", "Y2849173A");
    BAD("spain_nie", "A2849173Q"); /* X, Y or Z */
    BAD("spain_nie", "47295813Q");
    OK("spain_nif", "47295813Q"); /* DNI */
    OK("spain_nif", "Y2849173Q"); /* NIE */
    OK("spain_nif", "K1234567L"); /* K/L/M */
    OK("spain_nif", "B65827396"); /* CIF, control digit */
    OK("spain_nif", "P2807900B"); /* CIF, control letter */
    OK("spain_nif", "G1234567D"); /* G takes either form */
    OK("spain_nif", "G12345674");
    BAD("spain_nif", "B65827397"); /* control */
    BAD("spain_nif", "B6582739F"); /* B needs a digit */
    BAD("spain_nif", "P28079002"); /* P needs a letter */
    BAD("spain_nif", "K1234567A");
    BAD("spain_nif", "I65827396"); /* no such entity letter */
    OK("spain_nss", "281234567840");
    OK("spain_nss", "28/12345678/40");
    OK("spain_nss", "080123456774"); /* number below 10^7 */
    BAD("spain_nss", "281234567841");
    BAD("spain_nss", "080123456775");
    BAD("spain_nss", "28123456784");
}

static void test_brazil(void **state)
{
    (void)state;
    OK("brazil_cpf", "529.982.247-25");
    OK("brazil_cpf", "52998224725");
    BAD("brazil_cpf", "529.982.247-26"); /* second check digit */
    BAD("brazil_cpf", "529.982.247-35"); /* first check digit */
    BAD("brazil_cpf", "111.111.111-11"); /* all equal, checks hold */
    BAD("brazil_cpf", "5299822472");
    OK("brazil_cnpj", "45.173.829/0001-24");
    OK("brazil_cnpj", "45173829000124");
    BAD("brazil_cnpj", "45.173.829/0001-25");
    BAD("brazil_cnpj", "45.173.829/0001-34");
    BAD("brazil_cnpj", "00.000.000/0000-00");
    BAD("brazil_cnpj", "4517382900012");
}

static void test_india_aadhaar(void **state)
{
    (void)state;
    OK("india_aadhaar", "2345 6789 0124");
    OK("india_aadhaar", "234567890124");
    BAD("india_aadhaar", "2345 6789 0125"); /* Verhoeff */
    BAD("india_aadhaar", "2345 6789 1024"); /* transposition */
    BAD("india_aadhaar", "1345 6789 0129"); /* Verhoeff-valid, starts with 1 */
    BAD("india_aadhaar", "23456789012");
}

static void test_sweden_pin(void **state)
{
    (void)state;
    OK("sweden_pin", "850314-1239");
    OK("sweden_pin", "8503141239");
    OK("sweden_pin", "19811218-9876"); /* with the century */
    OK("sweden_pin", "850374-1236");   /* coordination number: day + 60 */
    BAD("sweden_pin", "850314-1230");  /* Luhn */
    BAD("sweden_pin", "851314-1234");  /* month 13 */
    BAD("sweden_pin", "850300-1234");  /* day 00 */
    BAD("sweden_pin", "850332-1230");  /* day 32 */
    BAD("sweden_pin", "85031412390");  /* 11 digits */
}

static void test_australia_tfn(void **state)
{
    (void)state;
    OK("australia_tfn", "459 623 179");
    OK("australia_tfn", "123456782");
    BAD("australia_tfn", "459 623 178");
    BAD("australia_tfn", "45962317");
    BAD("australia_tfn", "4596231790");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usa_ssn),     cmocka_unit_test(test_usa_itin),
        cmocka_unit_test(test_vin),         cmocka_unit_test(test_canada_sin),
        cmocka_unit_test(test_uk_nino),     cmocka_unit_test(test_uk_driving_licence),
        cmocka_unit_test(test_france_nir),  cmocka_unit_test(test_france_spi),
        cmocka_unit_test(test_germany_tin), cmocka_unit_test(test_germany_documents),
        cmocka_unit_test(test_italy_cf),    cmocka_unit_test(test_spain),
        cmocka_unit_test(test_brazil),      cmocka_unit_test(test_india_aadhaar),
        cmocka_unit_test(test_sweden_pin),  cmocka_unit_test(test_australia_tfn),
    };
    return cmocka_run_group_tests_name("dataid_validate_pii", tests, NULL, NULL);
}
