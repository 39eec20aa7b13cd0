/* SPDX-License-Identifier: Apache-2.0 */
/* Health validators (dataid_validate_health.c), looked up by name through the registry: NPI
 * (Luhn over 80840), DEA checksum, HICN (SSN rules and beneficiary code), NHS mod 11 and the
 * Ontario health number, each with good values and one value per way to fail. Values are
 * synthetic; their check digits were worked out by hand. */
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

static void test_usa_npi(void **state)
{
    (void)state;
    OK("usa_npi", "1490528738");
    OK("usa_npi", "2490528736");
    OK("usa_npi", "1234567893");  /* CMS's worked example */
    BAD("usa_npi", "1490528739"); /* check digit */
    BAD("usa_npi", "1234567897"); /* plain Luhn without the 80840 prefix */
    BAD("usa_npi", "3490528734"); /* prefix-Luhn valid, starts with 3 */
    BAD("usa_npi", "149052873");
    BAD("usa_npi", "14905287380");
    BAD("usa_npi", "14905X8738");
}

static void test_usa_dea(void **state)
{
    (void)state;
    OK("usa_dea", "FM4802143");
    OK("usa_dea", "B97351620"); /* 9 as second character */
    OK("usa_dea", "AB1234563");
    BAD("usa_dea", "FM4802144"); /* check digit */
    BAD("usa_dea", "QM4802143"); /* Q is no registrant type */
    BAD("usa_dea", "F-4802143");
    BAD("usa_dea", "FM480214");
    BAD("usa_dea", "FM48021433");
    BAD("usa_dea", "FMA802143");
}

static void test_usa_hicn(void **state)
{
    (void)state;
    OK("usa_hicn", "536-22-4817A");
    OK("usa_hicn", "412739051C1");
    OK("usa_hicn", "536224817TA");
    BAD("usa_hicn", "666-22-4817A"); /* area 666 */
    BAD("usa_hicn", "000224817A");   /* area 000 */
    BAD("usa_hicn", "912224817A");   /* area 9xx */
    BAD("usa_hicn", "536004817A");   /* group 00 */
    BAD("usa_hicn", "536220000A");   /* serial 0000 */
    BAD("usa_hicn", "536224817");    /* no beneficiary code */
    BAD("usa_hicn", "5362248171");   /* code must start with a letter */
    BAD("usa_hicn", "536224817ABC");
}

static void test_uk_nhs(void **state)
{
    (void)state;
    OK("uk_nhs", "401 023 2137");
    OK("uk_nhs", "4010232137");
    OK("uk_nhs", "485-777-3457");
    BAD("uk_nhs", "4010232138"); /* check digit */
    BAD("uk_nhs", "4010232170"); /* remainder gives 10: never issued */
    BAD("uk_nhs", "401023213");
    BAD("uk_nhs", "40102321370");
    BAD("uk_nhs", "401023213A");
}

static void test_canada_ohip(void **state)
{
    (void)state;
    OK("canada_ohip", "4523871095");
    OK("canada_ohip", "4523 871 095");
    OK("canada_ohip", "4523-871-095-AB");
    BAD("canada_ohip", "4523871096");   /* Luhn */
    BAD("canada_ohip", "0523871093");   /* Luhn-valid, leading 0 */
    BAD("canada_ohip", "4523871095A");  /* one-letter version code */
    BAD("canada_ohip", "452387109512"); /* version code must be letters */
    BAD("canada_ohip", "452387109");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usa_npi),     cmocka_unit_test(test_usa_dea),
        cmocka_unit_test(test_usa_hicn),    cmocka_unit_test(test_uk_nhs),
        cmocka_unit_test(test_canada_ohip),
    };
    return cmocka_run_group_tests_name("dataid_validate_health", tests, NULL, NULL);
}
