/* SPDX-License-Identifier: Apache-2.0 */
/* The Athena rewrite (src/query/query_rewrite.c): struct access on JSON columns becomes
 * rp_field(), TRY_CAST becomes CAST, strings / quoted identifiers / comments are untouched,
 * and offsets in the rewritten text map back to the user's text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query/query_internal.h"

static void expect_rw(const char *in, const char *want)
{
    struct rp_query_rewrite rw;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_rewrite(in, &rw, &eb), RP_OK);
    assert_string_equal(rw.sql, want);
    rp_query_rewrite_release(&rw);
}

static void test_rewrite_struct_access(void **state)
{
    (void)state;
    expect_rw("SELECT useridentity.arn FROM cloudtrail_logs",
              "SELECT rp_field(useridentity, 'arn') FROM cloudtrail_logs");
    expect_rw("SELECT count(*) FROM cloudtrail_logs WHERE "
              "useridentity.sessioncontext.attributes.mfaauthenticated = 'false'",
              "SELECT count(*) FROM cloudtrail_logs WHERE "
              "rp_field(useridentity, 'sessioncontext.attributes.mfaauthenticated') = 'false'");
    expect_rw("SELECT t.userIdentity.type FROM cloudtrail_logs AS t",
              "SELECT rp_field(t.userIdentity, 'type') FROM cloudtrail_logs AS t");
    expect_rw("SELECT main.cloudtrail_logs.useridentity.arn FROM cloudtrail_logs",
              "SELECT rp_field(main.cloudtrail_logs.useridentity, 'arn') FROM cloudtrail_logs");
    expect_rw("SELECT \"userIdentity\".\"userName\" FROM x",
              "SELECT rp_field(\"userIdentity\", 'userName') FROM x");
    expect_rw("SELECT user.username, objectref.namespace FROM k8s_audit_logs",
              "SELECT rp_field(user, 'username'), rp_field(objectref, 'namespace') FROM "
              "k8s_audit_logs");
}

static void test_rewrite_leaves_other_text(void **state)
{
    (void)state;
    /* plain columns, qualified columns, a struct column alone, strings, comments */
    const char *same[] = {
        "SELECT t.eventname, useridentity FROM cloudtrail_logs AS t",
        "SELECT 'useridentity.arn', \"useridentity.arn\" FROM x",
        "SELECT 1 -- useridentity.arn\n",
        "SELECT /* useridentity.arn */ 1",
        "SELECT [useridentity.arn] FROM x",
        "SELECT 'it''s useridentity.arn' FROM x",
        "SELECT x.useridentity FROM cloudtrail_logs AS x",
        "SELECT 1.5e3, abc.def.ghi FROM x",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) expect_rw(same[i], same[i]);
}

static void test_rewrite_try_cast(void **state)
{
    (void)state;
    expect_rw("SELECT try_cast(bytes AS bigint), TRY_CAST (x AS double) FROM t",
              "SELECT CAST(bytes AS bigint), CAST (x AS double) FROM t");
    expect_rw("SELECT try_cast FROM t", "SELECT try_cast FROM t");
}

static void test_rewrite_offsets_map_back(void **state)
{
    (void)state;
    const char *in = "SELECT useridentity.arn, FRM x";
    struct rp_query_rewrite rw;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_rewrite(in, &rw, &eb), RP_OK);
    const char *frm_new = strstr(rw.sql, "FRM");
    const char *frm_old = strstr(in, "FRM");
    assert_int_equal(rp_query_rewrite_map(&rw, (size_t)(frm_new - rw.sql)), (size_t)(frm_old - in));
    /* inside the replaced text: the start of the original chain */
    assert_int_equal(rp_query_rewrite_map(&rw, 10), 7);
    assert_int_equal(rp_query_rewrite_map(&rw, 3), 3);
    rp_query_rewrite_release(&rw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rewrite_struct_access),
        cmocka_unit_test(test_rewrite_leaves_other_text),
        cmocka_unit_test(test_rewrite_try_cast),
        cmocka_unit_test(test_rewrite_offsets_map_back),
    };
    return cmocka_run_group_tests_name("query_rewrite", tests, NULL, NULL);
}
