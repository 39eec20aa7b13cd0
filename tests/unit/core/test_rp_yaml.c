/* SPDX-License-Identifier: Apache-2.0 */
/* YAML to JSON (src/core/rp_yaml.c): typing of plain scalars, quoted and block scalars,
 * nesting, flow style, the empty stream, and the exact errors (line and column) for bad YAML,
 * aliases, a second document and complex keys; the CloudFormation mode (short-form tags to
 * their long form, value positions, tag errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_yaml.h"

static void expect_json(const char *yaml, const char *want)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_errbuf eb = {0};
    rp_err e = rp_yaml_to_json(yaml, strlen(yaml), &b, &eb);
    if (e) fail_msg("%s", eb.msg);
    assert_string_equal(b.data ? b.data : "", want);
    rp_buf_release(&b);
}

static void expect_error(const char *yaml, rp_err code, const char *msg)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_yaml_to_json(yaml, strlen(yaml), &b, &eb), code);
    assert_string_equal(eb.msg, msg);
    assert_int_equal(b.len, 0);
    rp_buf_release(&b);
}

static void test_yaml_scalars(void **state)
{
    (void)state;
    expect_json("a: 1\nb: -2\nc: 3.5\nd: 1e3\ne: true\nf: False\ng: ~\nh:\ni: null\n"
                "j: '7'\nk: \"x\\ty\"\nl: 007\nm: 12abc\nn: yes\n",
                "{\"a\":1,\"b\":-2,\"c\":3.5,\"d\":1000.0,\"e\":true,\"f\":false,\"g\":null,"
                "\"h\":null,\"i\":null,\"j\":\"7\",\"k\":\"x\\ty\",\"l\":\"007\",\"m\":\"12abc\","
                "\"n\":\"yes\"}");
}

static void test_yaml_nesting_and_blocks(void **state)
{
    (void)state;
    expect_json("id: X\nsamples:\n  match:\n    - \"a b\"\n    - text: t\n      value: v\n"
                "  no_match: []\nkeywords: [cc, 'card number']\nregex: '[0-9]{3}'\n"
                "note: |\n  line one\n  line two\n",
                "{\"id\":\"X\",\"samples\":{\"match\":[\"a b\",{\"text\":\"t\",\"value\":\"v\"}],"
                "\"no_match\":[]},\"keywords\":[\"cc\",\"card number\"],\"regex\":\"[0-9]{3}\","
                "\"note\":\"line one\\nline two\\n\"}");
    expect_json("", "null");
    expect_json("- 1\n- [2, {a: b}]\n", "[1,[2,{\"a\":\"b\"}]]");
}

static void test_yaml_errors(void **state)
{
    (void)state;
    expect_error("a: [1, 2\n", RP_EPARSE,
                 "yaml: line 2 column 1: did not find expected ',' or ']'");
    expect_error("a: &x 1\nb: *x\n", RP_EPARSE, "yaml: line 1 column 4: anchors are not supported");
    expect_error("a: 1\n---\nb: 2\n", RP_EPARSE, "yaml: line 2 column 1: a second document");
    expect_error("? [a, b]\n: c\n", RP_EPARSE, "yaml: line 1 column 3: a key that is not a scalar");
    expect_error("a:\n\tb: 1\n", RP_EPARSE,
                 "yaml: line 2 column 1: found character that cannot start any token");
}

static void expect_cfn(const char *yaml, const char *want, const char *want_marks)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_yaml_marks m;
    rp_yaml_marks_init(&m);
    struct rp_errbuf eb = {0};
    rp_err e = rp_yaml_to_json_cfn(yaml, strlen(yaml), &b, &m, &eb);
    if (e) fail_msg("%s", eb.msg);
    assert_string_equal(b.data ? b.data : "", want);
    char got[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < m.n && len < sizeof got; i++)
        len += (size_t)snprintf(got + len, sizeof got - len, "%s%u:%u", i ? " " : "", m.v[i].line,
                                m.v[i].col);
    assert_string_equal(got, want_marks);
    rp_yaml_marks_release(&m);
    rp_buf_release(&b);
}

static void expect_cfn_error(const char *yaml, const char *msg)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_yaml_marks m;
    rp_yaml_marks_init(&m);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_yaml_to_json_cfn(yaml, strlen(yaml), &b, &m, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, msg);
    assert_int_equal(b.len, 0);
    assert_int_equal(m.n, 0);
    rp_yaml_marks_release(&m);
    rp_buf_release(&b);
}

static void test_yaml_cfn_short_forms(void **state)
{
    (void)state;
    expect_cfn("a: !Ref P\nb: !Sub 'x-${P}'\nc: !GetAtt R.Arn\nd: !Ref 12\n",
               "{\"a\":{\"Ref\":\"P\"},\"b\":{\"Fn::Sub\":\"x-${P}\"},"
               "\"c\":{\"Fn::GetAtt\":[\"R\",\"Arn\"]},\"d\":{\"Ref\":\"12\"}}",
               "1:1 1:4 1:4 2:4 2:4 3:4 3:4 3:4 3:4 4:4 4:4");
    expect_cfn("C: !Not [!Equals [!Ref P, '']]\n"
               "X: !If\n  - C\n  - k: !Ref P\n  - !Ref AWS::NoValue\n",
               "{\"C\":{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"P\"},\"\"]}]},"
               "\"X\":{\"Fn::If\":[\"C\",{\"k\":{\"Ref\":\"P\"}},{\"Ref\":\"AWS::NoValue\"}]}}",
               "1:1 1:4 1:4 1:10 1:10 1:19 1:19 1:27 2:4 2:4 3:5 4:5 4:8 4:8 5:5 5:5");
    /* the long form and standard tags pass through; plain mode ignores the tags */
    expect_cfn("a: {Ref: P}\nb: !!str 12\n", "{\"a\":{\"Ref\":\"P\"},\"b\":12}",
               "1:1 1:4 1:10 2:4");
    expect_json("a: !Ref P\n", "{\"a\":\"P\"}");
    expect_cfn("", "null", "1:1");
}

static void test_yaml_cfn_errors(void **state)
{
    (void)state;
    expect_cfn_error("a: !Fancy x\n", "yaml: line 1 column 4: unknown tag '!Fancy'");
    expect_cfn_error("? !Ref k\n: v\n", "yaml: line 1 column 3: a tag on a key");
    expect_cfn_error("a: !Ref [x\n", "yaml: line 2 column 1: did not find expected ',' or ']'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_scalars),    cmocka_unit_test(test_yaml_nesting_and_blocks),
        cmocka_unit_test(test_yaml_errors),     cmocka_unit_test(test_yaml_cfn_short_forms),
        cmocka_unit_test(test_yaml_cfn_errors),
    };
    return cmocka_run_group_tests_name("rp_yaml", tests, NULL, NULL);
}
