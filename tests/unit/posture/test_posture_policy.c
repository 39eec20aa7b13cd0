/* SPDX-License-Identifier: Apache-2.0 */
/* The IAM policy analysis of the posture C checks (posture_policy.c): wildcard match,
 * intersection and containment; policy documents (URL-encoded, lists, malformed);
 * Action/NotAction and Resource/NotResource; administrator and full-service access; KMS
 * "all keys"; principals and accounts; restricting conditions; the S3 public-bucket analysis
 * with ACLs, policies, Deny statements and Block Public Access; the default version of a
 * managed policy; and the check registry with a few checks called directly. Exact results
 * and exact annotations throughout. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_arena.h"
#include "core/rp_json.h"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"

static struct rp_arena arena;
static struct rp_json_parser *jp;

static int setup(void **state)
{
    (void)state;
    rp_arena_init(&arena, 0);
    jp = rp_json_parser_new();
    return jp ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_json_parser_free(jp);
    rp_arena_release(&arena);
    return 0;
}

/* A value tree from JSON text (the test's own literals, so a parse failure is a test bug). */
static const struct rp_pv *J(const char *json)
{
    struct rp_pv *v = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_pv_parse(&arena, jp, json, strlen(json), &v, &eb), RP_OK);
    return v;
}

static bool M(const char *p, const char *s, bool nocase)
{
    return rp_posture_glob_match(p, strlen(p), s, strlen(s), nocase);
}

static bool X(const char *p, const char *q)
{
    return rp_posture_glob_intersects(p, strlen(p), q, strlen(q), true);
}

static bool C(const char *o, const char *i)
{
    return rp_posture_glob_covers(o, strlen(o), i, strlen(i), true);
}

static void test_policy_glob_match(void **state)
{
    (void)state;
    assert_true(M("s3:Get*", "s3:GetObject", true));
    assert_true(M("S3:getobject", "s3:GetObject", true));
    assert_true(M("s3:Get?bject", "s3:GetObject", true));
    assert_false(M("s3:Get", "s3:GetObject", true));
    assert_true(M("*", "", true));
    assert_true(M("", "", true));
    assert_false(M("?", "", true));
    assert_true(M("a*b*c", "aXbYc", true));
    assert_false(M("a*b", "aXbYc", true));
    assert_true(M("*Object*", "s3:GetObjectAcl", true));
    assert_false(M("ARN", "arn", false));
    assert_true(M("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", false));
    assert_true(rp_posture_action_match("S3:GETOBJECT", "s3:GetObject"));
    assert_false(rp_posture_action_match("s3:Put*", "s3:GetObject"));
    assert_false(rp_posture_action_match(NULL, "s3:GetObject"));
}

static void test_policy_glob_intersects_covers(void **state)
{
    (void)state;
    assert_true(X("s3:Get*", "s3:*Object"));
    assert_false(X("s3:Get*", "s3:Put*"));
    assert_false(X("kms:Re*", "kms:Decrypt"));
    assert_true(X("a*", "*b"));
    assert_true(X("a?c", "a*"));
    assert_false(X("abc", "abd"));
    assert_true(X("*", ""));
    assert_false(X("?", ""));
    assert_true(X("KMS:decrypt", "kms:Decrypt"));
    assert_false(rp_posture_glob_intersects("A", 1, "a", 1, false));

    assert_true(C("s3:*", "s3:Get*"));
    assert_false(C("s3:Get*", "s3:*"));
    assert_false(C("s3:GetObject", "s3:Get*"));
    assert_false(C("kms:ReEncrypt?", "kms:ReEncrypt*"));
    assert_true(C("kms:ReEncrypt*", "kms:ReEncryptFrom"));
    assert_true(C("*", "anything*"));
    assert_true(C("a?c", "abc"));
    assert_false(C("abc", "a?c"));
    assert_true(C("a*", "a?c"));
    assert_true(C("*:*", "s3:*"));
}

static void test_policy_resolve_documents(void **state)
{
    (void)state;
    const struct rp_pv *doc = NULL;
    struct rp_errbuf eb = {0};
    /* URL-encoded, as Config delivers IAM policy documents */
    const struct rp_pv *enc =
        J("\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%"
          "22%2C%22Action%22%3A%22s3%3A*%22%2C%22Resource%22%3A%22*%22%7D%7D\"");
    assert_int_equal(rp_posture_policy_resolve(&arena, enc, &doc, &eb), RP_OK);
    assert_non_null(doc);
    assert_int_equal(rp_posture_policy_nstmts(doc), 1);
    assert_true(rp_posture_stmt_allows(rp_posture_policy_stmt(doc, 0), "s3:PutObject", "x"));
    assert_null(rp_posture_policy_stmt(doc, 1));

    /* plain JSON text */
    assert_int_equal(
        rp_posture_policy_resolve(
            &arena, J("\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Deny\\\"}]}\""), &doc, &eb),
        RP_OK);
    assert_int_equal(rp_posture_policy_nstmts(doc), 1);

    /* a list of documents (older CIs) is merged */
    assert_int_equal(
        rp_posture_policy_resolve(&arena,
                                  J("[{\"Statement\":{\"Sid\":\"A\"}},{\"Statement\":[{\"Sid\":"
                                    "\"B\"},{\"Sid\":\"C\"}]},7]"),
                                  &doc, &eb),
        RP_OK);
    assert_int_equal(rp_posture_policy_nstmts(doc), 3);
    char label[32];
    rp_posture_stmt_label(rp_posture_policy_stmt(doc, 2), 2, label, sizeof(label));
    assert_string_equal(label, "'C'");
    /* a one-document list is that document */
    const struct rp_pv *one = J("[{\"Statement\":{\"Effect\":\"Allow\"}}]");
    assert_int_equal(rp_posture_policy_resolve(&arena, one, &doc, &eb), RP_OK);
    assert_ptr_equal(doc, one->u.items[0]);

    /* absent, null, empty */
    assert_int_equal(rp_posture_policy_resolve(&arena, NULL, &doc, &eb), RP_OK);
    assert_null(doc);
    assert_int_equal(rp_posture_policy_resolve(&arena, J("null"), &doc, &eb), RP_OK);
    assert_null(doc);
    assert_int_equal(rp_posture_policy_resolve(&arena, J("\"  \""), &doc, &eb), RP_OK);
    assert_null(doc);

    /* malformed */
    assert_int_equal(rp_posture_policy_resolve(&arena, J("\"{not json\""), &doc, &eb), RP_EPARSE);
    assert_null(doc);
    assert_int_equal(rp_posture_policy_resolve(&arena, J("12"), &doc, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "policy: a document is not a int");
    assert_int_equal(rp_posture_policy_resolve(&arena, J("\"\\\"text\\\"\""), &doc, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "policy: a document is not a string");

    /* Statement shapes */
    assert_int_equal(rp_posture_policy_nstmts(J("{\"Version\":\"2012-10-17\"}")), 0);
    assert_int_equal(rp_posture_policy_nstmts(J("{\"Statement\":\"x\"}")), 0);
    rp_posture_stmt_label(J("{\"Sid\":\"\"}"), 1, label, sizeof(label));
    assert_string_equal(label, "2");
}

static void test_policy_effect_and_malformed(void **state)
{
    (void)state;
    assert_int_equal(rp_posture_stmt_effect(J("{\"Effect\":\"Allow\",\"Action\":\"x\"}")),
                     RP_POSTURE_EFFECT_ALLOW);
    assert_int_equal(rp_posture_stmt_effect(J("{\"Effect\":\"Deny\",\"NotAction\":\"x\"}")),
                     RP_POSTURE_EFFECT_DENY);
    assert_int_equal(rp_posture_stmt_effect(J("{\"Effect\":\"allow\",\"Action\":\"x\"}")),
                     RP_POSTURE_EFFECT_NONE);
    assert_int_equal(rp_posture_stmt_effect(J("{\"Effect\":\"Allow\",\"Resource\":\"*\"}")),
                     RP_POSTURE_EFFECT_NONE);
    assert_int_equal(rp_posture_stmt_effect(J("{\"Action\":\"*\",\"Resource\":\"*\"}")),
                     RP_POSTURE_EFFECT_NONE);
    assert_int_equal(rp_posture_stmt_effect(J("[1]")), RP_POSTURE_EFFECT_NONE);
    assert_int_equal(rp_posture_stmt_effect(NULL), RP_POSTURE_EFFECT_NONE);

    /* non-string entries are skipped; a non-list element grants nothing */
    const struct rp_pv *s =
        J("{\"Effect\":\"Allow\",\"Action\":[1,\"s3:GetObject\",null],\"Resource\":[{},\"*\"]}");
    assert_true(rp_posture_stmt_allows(s, "s3:GetObject", "arn:aws:s3:::b/k"));
    assert_false(rp_posture_stmt_allows(s, "s3:PutObject", NULL));
    s = J("{\"Effect\":\"Allow\",\"Action\":{\"x\":1},\"Resource\":\"*\"}");
    assert_false(rp_posture_stmt_allows(s, "s3:GetObject", NULL));
    s = J("{\"Effect\":\"Allow\",\"Resource\":\"*\"}");
    assert_false(rp_posture_stmt_allows(s, "s3:GetObject", NULL));
    s = J("{\"Effect\":\"Allow\",\"NotAction\":7,\"Resource\":\"*\"}");
    assert_false(rp_posture_stmt_action_matches(s, "s3:GetObject"));
    /* Deny is not allow */
    s = J("{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}");
    assert_true(rp_posture_stmt_action_matches(s, "s3:GetObject"));
    assert_false(rp_posture_stmt_allows(s, "s3:GetObject", NULL));
}

static void test_policy_notaction_notresource(void **state)
{
    (void)state;
    const struct rp_pv *s = J("{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\","
                              "\"organizations:*\"],\"NotResource\":\"arn:aws:s3:::secret/*\"}");
    assert_true(rp_posture_stmt_action_matches(s, "s3:GetObject"));
    assert_false(rp_posture_stmt_action_matches(s, "IAM:CreateUser"));
    assert_false(rp_posture_stmt_action_may_match(s, "iam:Create*"));
    assert_true(rp_posture_stmt_action_may_match(s, "i*"));
    assert_true(rp_posture_stmt_action_covers(s, "ec2:*"));
    assert_false(rp_posture_stmt_action_covers(s, "i*"));
    assert_true(rp_posture_stmt_resource_matches(s, "arn:aws:s3:::public/k"));
    assert_false(rp_posture_stmt_resource_matches(s, "arn:aws:s3:::secret/k"));
    assert_false(rp_posture_stmt_resource_may_match(s, "arn:aws:s3:::secret/a*"));
    assert_true(rp_posture_stmt_resource_may_match(s, "arn:aws:s3:::*"));
    assert_false(rp_posture_stmt_resource_covers(s, "arn:aws:s3:::*"));
    assert_true(rp_posture_stmt_allows(s, "ec2:RunInstances", "arn:aws:ec2:::x"));
    assert_false(rp_posture_stmt_allows(s, "ec2:RunInstances", "arn:aws:s3:::secret/x"));
    /* resource matching is case-sensitive, actions are not */
    s = J("{\"Effect\":\"Allow\",\"Action\":\"S3:GET*\",\"Resource\":\"arn:aws:s3:::B/*\"}");
    assert_true(rp_posture_stmt_allows(s, "s3:GetObject", "arn:aws:s3:::B/k"));
    assert_false(rp_posture_stmt_allows(s, "s3:GetObject", "arn:aws:s3:::b/k"));
    /* no Resource and no NotResource: every resource (trust policies) */
    s = J("{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"1\"}}");
    assert_true(rp_posture_stmt_allows(s, "sts:AssumeRole", "arn:aws:iam::1:role/r"));
}

static void test_policy_admin_and_full_access(void **state)
{
    (void)state;
    char what[96] = "";
    assert_true(rp_posture_stmt_is_admin(J("{\"Effect\":\"Allow\",\"Action\":\"*\","
                                           "\"Resource\":\"*\"}")));
    assert_true(rp_posture_stmt_is_admin(J("{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\","
                                           "\"*:*\"],\"Resource\":[\"arn:x\",\"*\"]}")));
    assert_false(rp_posture_stmt_is_admin(J("{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                                            "\"Resource\":\"*\"}")));
    assert_false(rp_posture_stmt_is_admin(J("{\"Effect\":\"Allow\",\"Action\":\"*\","
                                            "\"Resource\":\"arn:aws:s3:::b\"}")));
    assert_false(rp_posture_stmt_is_admin(J("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\","
                                            "\"Resource\":\"*\"}")));
    assert_false(rp_posture_stmt_is_admin(J("{\"Effect\":\"Allow\",\"Action\":\"*\","
                                            "\"NotResource\":\"arn:x\"}")));
    assert_false(rp_posture_stmt_is_admin(J("{\"Effect\":\"Deny\",\"Action\":\"*\","
                                            "\"Resource\":\"*\"}")));

    assert_true(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"Action\":[\"ec2:Describe*\",\"s3:*\"],\"Resource\":\"x\"}"),
        what, sizeof(what)));
    assert_string_equal(what, "s3:*");
    assert_true(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"Action\":\"ec2:**\",\"Resource\":\"*\"}"), what, sizeof(what)));
    assert_string_equal(what, "ec2:**");
    assert_true(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"), what, sizeof(what)));
    assert_string_equal(what, "*");
    assert_false(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\":*\"],\"Resource\":\"*\"}"), what,
        sizeof(what)));
    assert_false(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"), what, sizeof(what)));
    assert_true(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}"), what,
        sizeof(what)));
    assert_string_equal(what, "s3:* through NotAction");
    assert_true(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"NotAction\":[\"s*:*\",\"E*:*\"],\"Resource\":\"*\"}"), what,
        sizeof(what)));
    assert_string_equal(what, "iam:* through NotAction");
    assert_false(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"NotAction\":\"*:Get*\",\"Resource\":\"*\"}"), NULL, 0));
    assert_false(rp_posture_stmt_full_access(
        J("{\"Effect\":\"Allow\",\"NotAction\":\"*\",\"Resource\":\"*\"}"), NULL, 0));
}

static void test_policy_all_kms_keys(void **state)
{
    (void)state;
    static const struct {
        const char *stmt;
        bool all;
    } cases[] = {
        {"{\"Resource\":\"*\"}", true},
        {"{\"Resource\":\"arn:aws:kms:*:111122223333:key/*\"}", true},
        {"{\"Resource\":[\"arn:aws:kms:us-east-1:111122223333:key/1\",\"arn:aws:kms:*\"]}", true},
        {"{\"Resource\":\"arn:aws:kms:us-east-1:111122223333:*\"}", true},
        {"{\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd\"}", false},
        {"{\"Resource\":\"arn:aws:kms:us-east-1:111122223333:alias/app\"}", false},
        {"{\"Resource\":\"arn:aws:s3:::bucket/*\"}", false},
        {"{\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/12*\"}", false},
        {"{\"NotResource\":\"arn:aws:s3:::bucket\"}", true},
        {"{\"NotResource\":\"*\"}", false},
        {"{\"NotResource\":[\"arn:aws:kms:*:*:key/*\"]}", false},
        {"{\"Action\":\"kms:Decrypt\"}", true},
        {"[]", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (rp_posture_stmt_all_kms_keys(J(cases[i].stmt)) != cases[i].all)
            fail_msg("case %zu %s: expected %d", i, cases[i].stmt, cases[i].all);
    }
}

static void test_policy_principals(void **state)
{
    (void)state;
    struct rp_posture_principal ps[4];
    bool neg = true;
    assert_int_equal(rp_posture_stmt_principals(J("{\"Principal\":\"*\"}"), ps, 4, &neg), 1);
    assert_false(neg);
    assert_int_equal(ps[0].kind, RP_POSTURE_PRIN_ALL);
    assert_string_equal(ps[0].value, "*");

    const struct rp_pv *s = J("{\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:root\","
                              "\"444455556666\"],\"Service\":\"lambda.amazonaws.com\","
                              "\"CanonicalUser\":\"79a5\",\"Federated\":[\"cognito\"],"
                              "\"Weird\":\"w\"}}");
    assert_int_equal(rp_posture_stmt_principals(s, ps, 4, NULL), 6);
    assert_int_equal(ps[0].kind, RP_POSTURE_PRIN_AWS);
    assert_string_equal(ps[1].value, "444455556666");
    assert_int_equal(ps[1].len, 12);
    assert_int_equal(ps[2].kind, RP_POSTURE_PRIN_SERVICE);
    assert_int_equal(ps[3].kind, RP_POSTURE_PRIN_CANONICAL);
    assert_false(rp_posture_stmt_principal_everyone(s));

    assert_int_equal(
        rp_posture_stmt_principals(J("{\"NotPrincipal\":{\"AWS\":\"1\"}}"), ps, 4, &neg), 1);
    assert_true(neg);
    assert_int_equal(rp_posture_stmt_principals(J("{\"Principal\":5}"), ps, 4, &neg), 0);
    assert_int_equal(rp_posture_stmt_principals(J("{\"Action\":\"*\"}"), ps, 4, &neg), 0);

    assert_true(rp_posture_stmt_principal_everyone(J("{\"Principal\":\"*\"}")));
    assert_true(rp_posture_stmt_principal_everyone(J("{\"Principal\":{\"AWS\":\"*\"}}")));
    assert_true(rp_posture_stmt_principal_everyone(J("{\"Principal\":{\"AWS\":[\"1\",\"*\"]}}")));
    assert_true(
        rp_posture_stmt_principal_everyone(J("{\"Principal\":{\"AWS\":\"arn:aws:iam::*:root\"}}")));
    assert_true(rp_posture_stmt_principal_everyone(J("{\"NotPrincipal\":{\"AWS\":\"1\"}}")));
    assert_false(rp_posture_stmt_principal_everyone(J("{\"Principal\":{\"Service\":\"*\"}}")));
    assert_false(
        rp_posture_stmt_principal_everyone(J("{\"Principal\":{\"AWS\":\"111122223333\"}}")));
    assert_false(rp_posture_stmt_principal_everyone(J("{\"Principal\":\"anyone\"}")));

    char acct[13];
    assert_true(rp_posture_principal_account("111122223333", 12, acct));
    assert_string_equal(acct, "111122223333");
    const char *arn = "arn:aws-cn:sts::444455556666:assumed-role/r/s";
    assert_true(rp_posture_principal_account(arn, strlen(arn), acct));
    assert_string_equal(acct, "444455556666");
    arn = "arn:aws:iam::111122223333:role/a:b";
    assert_true(rp_posture_principal_account(arn, strlen(arn), acct));
    assert_string_equal(acct, "111122223333");
    assert_false(rp_posture_principal_account("AIDAEXAMPLEID", 13, acct));
    assert_false(rp_posture_principal_account("11112222333", 11, acct));
    arn = "arn:aws:s3:::bucket";
    assert_false(rp_posture_principal_account(arn, strlen(arn), acct));
    arn = "arn:aws:iam::1111x2223333:root";
    assert_false(rp_posture_principal_account(arn, strlen(arn), acct));
}

static void test_policy_restricting_conditions(void **state)
{
    (void)state;
    static const struct {
        const char *op, *key, *value;
        bool restricts;
    } cases[] = {
        {"StringEquals", "aws:SourceVpce", "\"vpce-1a2b\"", true},
        {"StringEquals", "aws:SourceVpce", "\"vpce-*\"", false},
        {"StringLike", "aws:PrincipalOrgID", "\"o-abc123\"", true},
        {"StringEqualsIfExists", "aws:SourceVpc", "\"vpc-1\"", false},
        {"StringNotEquals", "aws:SourceVpc", "\"vpc-1\"", false},
        {"IpAddress", "aws:SourceIp", "\"10.0.0.0/8\"", true},
        {"IpAddress", "aws:SourceIp", "\"0.0.0.0/0\"", false},
        {"IpAddress", "aws:SourceIp", "\"11.0.0.0/7\"", false},
        {"IpAddress", "aws:SourceIp", "[\"203.0.113.0/24\",\"198.51.100.7\"]", true},
        {"IpAddress", "aws:SourceIp", "[\"203.0.113.0/24\",\"0.0.0.0/1\"]", false},
        {"IpAddress", "aws:SourceIp", "\"2001:db8::/32\"", true},
        {"IpAddress", "aws:SourceIp", "\"2001:db8::/16\"", false},
        {"IpAddress", "aws:SourceIp", "\"not-an-ip\"", false},
        {"StringEquals", "aws:SecureTransport", "\"true\"", false},
        {"Bool", "aws:SourceVpc", "\"true\"", false},
        {"ForAnyValue:StringEquals", "aws:PrincipalOrgID", "\"o-1\"", true},
        {"ForAllValues:StringEquals", "aws:PrincipalOrgID", "\"o-1\"", false},
        {"StringEquals", "aws:username", "\"${aws:username}\"", false},
        {"StringEquals", "AWS:SOURCEVPCE", "\"vpce-1\"", true},
        {"stringequals", "aws:SourceAccount", "\"111122223333\"", true},
        {"StringEquals", "aws:SourceAccount", "111122223333", true},
        {"StringEquals", "aws:SourceAccount", "[]", false},
        {"StringEquals", "aws:SourceAccount", "\"\"", false},
        {"ArnLike", "aws:SourceArn", "\"arn:aws:s3:::b\"", true},
        {"ArnLike", "aws:SourceArn", "\"arn:aws:s3:::*\"", false},
        {"StringEquals", "kms:CallerAccount", "\"111122223333\"", true},
        {"StringEquals", "s3:DataAccessPointAccount", "\"111122223333\"", true},
        {"Null", "aws:SourceVpc", "\"false\"", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool r = rp_posture_condition_restricts(cases[i].op, cases[i].key, J(cases[i].value));
        if (r != cases[i].restricts)
            fail_msg("case %zu %s %s %s: expected %d", i, cases[i].op, cases[i].key, cases[i].value,
                     cases[i].restricts);
    }
    assert_true(rp_posture_condition_restricts_negated("StringNotEquals", "aws:SourceVpce",
                                                       J("\"vpce-1\"")));
    assert_true(rp_posture_condition_restricts_negated("StringNotEqualsIfExists",
                                                       "aws:PrincipalOrgID", J("\"o-1\"")));
    assert_true(rp_posture_condition_restricts_negated("NotIpAddress", "aws:SourceIp",
                                                       J("\"192.0.2.0/24\"")));
    assert_false(
        rp_posture_condition_restricts_negated("StringEquals", "aws:SourceVpce", J("\"vpce-1\"")));
    assert_false(rp_posture_condition_restricts_negated("StringNotEquals", "aws:SourceVpce",
                                                        J("\"vpce-*\"")));
    assert_false(
        rp_posture_condition_restricts_negated("Bool", "aws:SecureTransport", J("\"false\"")));
    assert_true(rp_posture_condition_key_restricts("aws:principalorgid"));
    assert_false(rp_posture_condition_key_restricts("aws:SecureTransport"));
    assert_false(rp_posture_condition_key_restricts(NULL));

    /* the iterator, over malformed parts too */
    const struct rp_pv *s = J("{\"Condition\":{\"StringEquals\":{\"a\":\"1\",\"b\":[\"2\"]},"
                              "\"Bool\":\"oops\",\"IpAddress\":{\"c\":\"10.0.0.0/8\"}}}");
    struct rp_posture_cond_iter it;
    const char *op = NULL, *key = NULL;
    const struct rp_pv *val = NULL;
    char seen[64] = "";
    rp_posture_cond_iter_init(&it, s);
    while (rp_posture_cond_next(&it, &op, &key, &val)) {
        strncat(seen, op, sizeof(seen) - strlen(seen) - 1);
        strncat(seen, "/", sizeof(seen) - strlen(seen) - 1);
        strncat(seen, key, sizeof(seen) - strlen(seen) - 1);
        strncat(seen, ";", sizeof(seen) - strlen(seen) - 1);
    }
    assert_string_equal(seen, "StringEquals/a;StringEquals/b;IpAddress/c;");
    rp_posture_cond_iter_init(&it, J("{\"Condition\":[1]}"));
    assert_false(rp_posture_cond_next(&it, &op, &key, &val));

    /* public statements */
    assert_true(rp_posture_stmt_is_public(J("{\"Effect\":\"Allow\",\"Principal\":\"*\","
                                            "\"Action\":\"s3:GetObject\",\"Resource\":\"r\"}")));
    assert_false(rp_posture_stmt_is_public(
        J("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
          "\"r\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}")));
    assert_true(rp_posture_stmt_is_public(
        J("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
          "\"r\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}")));
    assert_false(rp_posture_stmt_is_public(J("{\"Effect\":\"Deny\",\"Principal\":\"*\","
                                             "\"Action\":\"s3:GetObject\",\"Resource\":\"r\"}")));
    assert_false(rp_posture_stmt_is_public(
        J("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"s3:*\"}")));
}

/* ---- S3 public analysis ------------------------------------------------------------------ */

static struct rp_posture_verdict s3_eval(const char *doc, const char *account_block,
                                         enum rp_posture_s3_access what)
{
    struct rp_posture_binding b[1] = {{"accountBlock", account_block ? J(account_block) : NULL}};
    struct rp_posture_eval_in in = {NULL, J(doc), b, account_block ? 1 : 0, 0, &arena};
    struct rp_posture_verdict v;
    memset(&v, 0, sizeof(v));
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_posture_s3_public_eval(&in, what, &v, &eb), RP_OK);
    return v;
}

#define BUCKET_HEAD "{\"resourceType\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::b\","

static void expect(struct rp_posture_verdict v, enum rp_posture_compliance c, const char *ann)
{
    if (v.compliance != c || strcmp(v.annotation, ann) != 0)
        fail_msg("got %s \"%s\", expected %s \"%s\"", rp_posture_compliance_name(v.compliance),
                 v.annotation, rp_posture_compliance_name(c), ann);
}

static void test_policy_s3_public(void **state)
{
    (void)state;
    const char *acl_read = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"AccessControlList\":\"{\\\"grantList\\\":[{"
        "\\\"grantee\\\":{\\\"id\\\":\\\"abc\\\"},\\\"permission\\\":\\\"FullControl\\\"},{"
        "\\\"grantee\\\":\\\"AllUsers\\\",\\\"permission\\\":\\\"Read\\\"}]}\"}}";
    expect(s3_eval(acl_read, NULL, RP_POSTURE_S3_READ), RP_PC_NON_COMPLIANT,
           "bucket ACL grants READ to AllUsers");
    expect(s3_eval(acl_read, NULL, RP_POSTURE_S3_WRITE), RP_PC_COMPLIANT, "");
    /* IgnorePublicAcls on the bucket, or on the account */
    const char *acl_ignored =
        BUCKET_HEAD "\"supplementaryConfiguration\":{\"PublicAccessBlockConfiguration\":{"
                    "\"ignorePublicAcls\":true},\"AccessControlList\":{\"grantList\":[{\"grantee\":"
                    "\"AllUsers\",\"permission\":\"Read\"}]}}}";
    expect(s3_eval(acl_ignored, NULL, RP_POSTURE_S3_READ), RP_PC_COMPLIANT, "");
    expect(
        s3_eval(acl_read, "[{\"configuration\":{\"ignorePublicAcls\":true}}]", RP_POSTURE_S3_READ),
        RP_PC_COMPLIANT, "");
    expect(
        s3_eval(acl_read, "[{\"configuration\":{\"blockPublicAcls\":true}}]", RP_POSTURE_S3_READ),
        RP_PC_NON_COMPLIANT, "bucket ACL grants READ to AllUsers");
    /* API-shape ACL */
    const char *acl_api = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"AccessControlList\":{\"Grants\":[{\"Grantee\":{"
        "\"Type\":\"Group\",\"URI\":\"http://acs.amazonaws.com/groups/global/"
        "AuthenticatedUsers\"},\"Permission\":\"WRITE_ACP\"}]}}}";
    expect(s3_eval(acl_api, NULL, RP_POSTURE_S3_WRITE), RP_PC_NON_COMPLIANT,
           "bucket ACL grants WRITE_ACP to AuthenticatedUsers");
    expect(s3_eval(acl_api, NULL, RP_POSTURE_S3_READ), RP_PC_COMPLIANT, "");

    /* public policies */
    const char *pol_read = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":{\"Statement\":[{"
        "\"Sid\":\"Own\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
        "\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Sid\":\"Pub\",\"Effect\":\"Allow\","
        "\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::b/www/"
        "*\"}]}}}}";
    expect(s3_eval(pol_read, NULL, RP_POSTURE_S3_READ), RP_PC_NON_COMPLIANT,
           "bucket policy statement 'Pub' allows s3:GetObject to everyone");
    expect(s3_eval(pol_read, NULL, RP_POSTURE_S3_WRITE), RP_PC_COMPLIANT, "");
    expect(s3_eval(pol_read, "[{\"configuration\":{\"restrictPublicBuckets\":true}}]",
                   RP_POSTURE_S3_READ),
           RP_PC_COMPLIANT, "");
    expect(
        s3_eval(pol_read, "[{\"configuration\":{\"blockPublicPolicy\":true}}]", RP_POSTURE_S3_READ),
        RP_PC_NON_COMPLIANT, "bucket policy statement 'Pub' allows s3:GetObject to everyone");
    /* a Deny for everyone outside one endpoint leaves only that endpoint */
    const char *pol_fenced = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":\"{\\\"Statement\\\":[{"
        "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:*\\\","
        "\\\"Resource\\\":[\\\"arn:aws:s3:::b\\\",\\\"arn:aws:s3:::b/*\\\"]},{\\\"Effect\\\":"
        "\\\"Deny\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"s3:*\\\",\\\"Resource\\\":["
        "\\\"arn:aws:s3:::b\\\",\\\"arn:aws:s3:::b/*\\\"],\\\"Condition\\\":{"
        "\\\"StringNotEquals\\\":{\\\"aws:SourceVpce\\\":\\\"vpce-1\\\"}}}]}\"}}}";
    expect(s3_eval(pol_fenced, NULL, RP_POSTURE_S3_READ), RP_PC_COMPLIANT, "");
    expect(s3_eval(pol_fenced, NULL, RP_POSTURE_S3_WRITE), RP_PC_COMPLIANT, "");
    /* a Deny on HTTP only does not fence anything */
    const char *pol_http = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":{\"Statement\":[{"
        "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:Put*\",\"Resource\":"
        "\"arn:aws:s3:::b/*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
        "\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":"
        "\"false\"}}}]}}}}";
    expect(s3_eval(pol_http, NULL, RP_POSTURE_S3_WRITE), RP_PC_NON_COMPLIANT,
           "bucket policy statement 1 allows s3:PutObject to everyone");
    expect(s3_eval(pol_http, NULL, RP_POSTURE_S3_READ), RP_PC_COMPLIANT, "");
    /* a Deny on exactly the prefix the Allow opens cancels it; on another prefix it does not */
    const char *pol_prefix = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":{\"Statement\":[{"
        "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
        "\"arn:aws:s3:::b/www/*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":"
        "\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/www/*\",\"Condition\":{"
        "\"NotIpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}]}}}}";
    expect(s3_eval(pol_prefix, NULL, RP_POSTURE_S3_READ), RP_PC_COMPLIANT, "");
    const char *pol_prefix2 = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":{\"Statement\":[{"
        "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
        "\"arn:aws:s3:::b/*\"},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":"
        "\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/www/*\"}]}}}}";
    expect(s3_eval(pol_prefix2, NULL, RP_POSTURE_S3_READ), RP_PC_NON_COMPLIANT,
           "bucket policy statement 1 allows s3:GetObject to everyone");
    /* a statement on another bucket's objects does not count */
    const char *pol_other = BUCKET_HEAD
        "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":{\"Statement\":{"
        "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
        "\"arn:aws:s3:::bb/*\"}}}}}";
    expect(s3_eval(pol_other, NULL, RP_POSTURE_S3_READ), RP_PC_COMPLIANT, "");
    /* no policy, no ACL; a policy that does not parse */
    expect(s3_eval(BUCKET_HEAD "\"supplementaryConfiguration\":{\"BucketPolicy\":{"
                               "\"policyText\":null}}}",
                   NULL, RP_POSTURE_S3_READ),
           RP_PC_COMPLIANT, "");
    expect(s3_eval(BUCKET_HEAD "\"supplementaryConfiguration\":{\"BucketPolicy\":{"
                               "\"policyText\":\"{oops\"}}}",
                   NULL, RP_POSTURE_S3_READ),
           RP_PC_INSUFFICIENT_DATA, "the bucket policy does not parse");
    expect(s3_eval("{\"resourceType\":\"AWS::S3::Bucket\"}", NULL, RP_POSTURE_S3_READ),
           RP_PC_INSUFFICIENT_DATA, "needs the bucket name");

    char arn[64];
    assert_true(
        rp_posture_s3_bucket_arn(J("{\"configuration\":{\"name\":\"x\"}}"), arn, sizeof(arn)));
    assert_string_equal(arn, "arn:aws:s3:::x");
}

/* ---- IAM managed policies ------------------------------------------------------------------ */

static struct rp_posture_verdict managed(const char *doc, bool excl, const struct rp_pv **policy)
{
    struct rp_posture_eval_in in = {NULL, J(doc), NULL, 0, 0, &arena};
    struct rp_posture_verdict v;
    memset(&v, 0, sizeof(v));
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_posture_iam_managed_policy(&in, excl, policy, &v, &eb), RP_OK);
    return v;
}

static void test_policy_iam_managed(void **state)
{
    (void)state;
    const struct rp_pv *p = NULL;
    /* the default version, not the first */
    const char *two = "{\"configuration\":{\"arn\":\"arn:aws:iam::111122223333:policy/p\","
                      "\"permissionsBoundaryUsageCount\":2,\"policyVersionList\":[{\"versionId\":"
                      "\"v1\",\"isDefaultVersion\":false,\"document\":{\"Statement\":{\"Sid\":"
                      "\"old\"}}},{\"versionId\":\"v2\",\"isDefaultVersion\":true,\"document\":"
                      "\"%7B%22Statement%22%3A%7B%22Sid%22%3A%22new%22%7D%7D\"}]}}";
    managed(two, false, &p);
    assert_non_null(p);
    assert_true(rp_pv_is_str(rp_pv_path(p, "Statement.Sid"), "new"));
    expect(managed(two, true, &p), RP_PC_NOT_APPLICABLE,
           "policy is used as a permissions boundary");
    assert_null(p);
    /* by defaultVersionId when no version is flagged */
    managed("{\"configuration\":{\"defaultVersionId\":\"v1\",\"policyVersionList\":[{"
            "\"versionId\":\"v1\",\"document\":{\"Statement\":[]}}]}}",
            false, &p);
    assert_non_null(p);
    expect(managed("{\"ARN\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\",\"configuration\":{}}",
                   false, &p),
           RP_PC_NOT_APPLICABLE, "AWS managed policy");
    expect(managed("{\"configuration\":{\"policyVersionList\":[]}}", false, &p),
           RP_PC_INSUFFICIENT_DATA,
           "needs configuration.policyVersionList with the default version");
    expect(managed("{\"configuration\":{\"policyVersionList\":[{\"isDefaultVersion\":\"true\","
                   "\"document\":\"%7Bnope\"}]}}",
                   false, &p),
           RP_PC_INSUFFICIENT_DATA, "the default policy version does not parse");
}

/* ---- the registry and checks called directly ------------------------------------------------ */

static struct rp_posture_verdict run_check(const char *name, const char *doc,
                                           const struct rp_posture_binding *b, size_t nb)
{
    const struct rp_posture_check *c = rp_posture_check_find(name);
    assert_non_null(c);
    struct rp_posture_eval_in in = {NULL, J(doc), b, nb, 0, &arena};
    struct rp_posture_verdict v;
    memset(&v, 0, sizeof(v));
    struct rp_errbuf eb = {0};
    assert_int_equal(c->fn(&in, &v, &eb), RP_OK);
    return v;
}

static void test_policy_registry_and_checks(void **state)
{
    (void)state;
    size_t n = 0;
    for (; rp_posture_checks[n]; n++) {
        assert_non_null(rp_posture_checks[n]->name);
        assert_non_null(rp_posture_checks[n]->fn);
        for (size_t k = 0; k < n; k++)
            assert_string_not_equal(rp_posture_checks[k]->name, rp_posture_checks[n]->name);
        assert_ptr_equal(rp_posture_check_find(rp_posture_checks[n]->name), rp_posture_checks[n]);
    }
    assert_int_equal(n, 11);
    assert_null(rp_posture_check_find("no_such_check"));
    assert_null(rp_posture_check_find(NULL));

    const char *admin = "{\"configuration\":{\"policyVersionList\":[{\"isDefaultVersion\":true,"
                        "\"document\":{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                        "\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":"
                        "\"*\"}]}}]}}";
    expect(run_check("iam_policy_no_statements_with_admin_access", admin, NULL, 0),
           RP_PC_NON_COMPLIANT, "statement 2 allows all actions on all resources");
    expect(run_check("iam_policy_no_statements_with_full_access", admin, NULL, 0),
           RP_PC_NON_COMPLIANT, "statement 1 allows full access: s3:*");

    struct rp_posture_binding kms[] = {
        {"blockedActionsPatterns", J("[\"kms:Decrypt\",\"kms:ReEncryptFrom\"]")},
    };
    const char *role = "{\"resourceType\":\"AWS::IAM::Role\",\"configuration\":{"
                       "\"rolePolicyList\":[{\"policyName\":\"keys\",\"policyDocument\":{"
                       "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":"
                       "\"*\"}}}]}}";
    expect(run_check("iam_inline_policy_blocked_kms_actions", role, kms, 1), RP_PC_NON_COMPLIANT,
           "inline policy 'keys' statement 1 allows blocked action kms:Decrypt on all KMS keys");
    expect(run_check("iam_inline_policy_blocked_kms_actions", role, NULL, 0),
           RP_PC_INSUFFICIENT_DATA, "needs parameter blockedActionsPatterns");
    /* a string binding is split as csv */
    struct rp_posture_binding kms_text[] = {{"blockedActionsPatterns", J("\" kms:Encrypt , \"")}};
    expect(run_check("iam_inline_policy_blocked_kms_actions", role, kms_text, 1),
           RP_PC_NON_COMPLIANT,
           "inline policy 'keys' statement 1 allows blocked action kms:Encrypt on all KMS keys");

    expect(run_check("lambda_function_public_access_prohibited",
                     "{\"supplementaryConfiguration\":{\"Policy\":\"{\\\"Statement\\\":[{"
                     "\\\"Sid\\\":\\\"s3\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{"
                     "\\\"Service\\\":\\\"s3.amazonaws.com\\\"},\\\"Action\\\":"
                     "\\\"lambda:InvokeFunction\\\"}]}\"}}",
                     NULL, 0),
           RP_PC_NON_COMPLIANT,
           "function policy statement 's3' lets s3.amazonaws.com call it for any account");
    expect(run_check("lambda_function_public_access_prohibited", "{}", NULL, 0), RP_PC_COMPLIANT,
           "");
}

/* Some rule file under data/posture/rules/<service>/ says `check: <name>`. */
static bool rule_file_names(const char *name)
{
    char want[128], path[1024], line[512];
    snprintf(want, sizeof(want), "check: %s\n", name);
    DIR *top = opendir(RP_DATA_DIR "/posture/rules");
    assert_non_null(top);
    bool found = false;
    struct dirent *svc;
    while (!found && (svc = readdir(top)) != NULL) {
        if (svc->d_name[0] == '.') continue;
        snprintf(path, sizeof(path), "%s/posture/rules/%s", RP_DATA_DIR, svc->d_name);
        DIR *d = opendir(path);
        struct dirent *f;
        while (!found && d && (f = readdir(d)) != NULL) {
            size_t n = strlen(f->d_name);
            if (n < 5 || strcmp(f->d_name + n - 5, ".yaml") != 0) continue;
            snprintf(path, sizeof(path), "%s/posture/rules/%s/%s", RP_DATA_DIR, svc->d_name,
                     f->d_name);
            FILE *fp = fopen(path, "r");
            while (!found && fp && fgets(line, sizeof(line), fp)) found = strcmp(line, want) == 0;
            if (fp) fclose(fp);
        }
        if (d) closedir(d);
    }
    closedir(top);
    return found;
}

static void test_policy_every_check_has_a_rule(void **state)
{
    (void)state;
    for (size_t i = 0; rp_posture_checks[i]; i++)
        if (!rule_file_names(rp_posture_checks[i]->name))
            fail_msg("no rule file names check '%s'", rp_posture_checks[i]->name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_glob_match),
        cmocka_unit_test(test_policy_glob_intersects_covers),
        cmocka_unit_test(test_policy_resolve_documents),
        cmocka_unit_test(test_policy_effect_and_malformed),
        cmocka_unit_test(test_policy_notaction_notresource),
        cmocka_unit_test(test_policy_admin_and_full_access),
        cmocka_unit_test(test_policy_all_kms_keys),
        cmocka_unit_test(test_policy_principals),
        cmocka_unit_test(test_policy_restricting_conditions),
        cmocka_unit_test(test_policy_s3_public),
        cmocka_unit_test(test_policy_iam_managed),
        cmocka_unit_test(test_policy_registry_and_checks),
        cmocka_unit_test(test_policy_every_check_has_a_rule),
    };
    return cmocka_run_group_tests_name("posture_policy", tests, setup, teardown);
}
