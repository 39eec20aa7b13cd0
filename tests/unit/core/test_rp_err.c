/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_err: every code has a name and a text; rp_fail records and returns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_err.h"

static void test_err_every_code_named(void **state)
{
    (void)state;
    for (int e = 0; e < RP_ERR_LAST; e++) {
        assert_non_null(rp_strerror((rp_err)e));
        assert_int_equal(strncmp(rp_err_name((rp_err)e), "RP_", 3), 0);
        for (int f = 0; f < e; f++)
            assert_string_not_equal(rp_err_name((rp_err)e), rp_err_name((rp_err)f));
    }
    assert_string_equal(rp_err_name(RP_EPARSE), "RP_EPARSE");
    assert_string_equal(rp_strerror(RP_ERR_LAST), "unknown error");
    /* codes are an external contract: never renumbered */
    assert_int_equal(RP_EPARSE, 3);
    assert_int_equal(RP_ELIMIT, 4);
    assert_int_equal(RP_EINTERNAL, 13);
}

static void test_err_fail_records_and_returns(void **state)
{
    (void)state;
    struct rp_errbuf eb;
    rp_errbuf_clear(&eb);
    assert_string_equal(rp_errbuf_msg(&eb, RP_EIO), "input/output error");
    rp_err e = rp_fail(&eb, RP_EPARSE, "cloudtrail: missing field '%s' in record %d", "eventID", 3);
    assert_int_equal(e, RP_EPARSE);
    assert_int_equal(eb.code, RP_EPARSE);
    assert_string_equal(eb.msg, "cloudtrail: missing field 'eventID' in record 3");
    assert_string_equal(rp_errbuf_msg(&eb, e), eb.msg);
    assert_int_equal(rp_fail(NULL, RP_ENOENT, "ignored"), RP_ENOENT);
    char longarg[600];
    memset(longarg, 'x', sizeof longarg - 1);
    longarg[sizeof longarg - 1] = '\0';
    rp_fail(&eb, RP_EINVAL, "%s", longarg);
    assert_int_equal(strlen(eb.msg), sizeof eb.msg - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_every_code_named),
        cmocka_unit_test(test_err_fail_records_and_returns),
    };
    return cmocka_run_group_tests_name("core_err", tests, NULL, NULL);
}
