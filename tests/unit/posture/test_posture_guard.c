/* SPDX-License-Identifier: Apache-2.0 */
/* Conformance suite for the Guard engine (src/posture/posture_guard_*.c, posture_guard.h):
 * every language feature over small hand-written documents, with the exact file status, the
 * exact failure message and each rule's status; compile errors with their exact
 * "name:line:col: message" text; the Rampart functions against a fixed evaluation time.
 * Documents are inline JSON (AWS Config configuration items cut down to what each rule
 * reads). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_json.h"
#include "core/rp_str.h"
#include "posture/posture_guard.h"
#include "posture/posture_value.h"

#define NOW_MS 1768435200000LL /* 2026-01-15T00:00:00.000Z */

/* ---- harness ----------------------------------------------------------------------------- */

static struct rp_arena A;
static struct rp_json_parser *JP;
static char OUT[1024];

/* caller-bound variables for the next run: names and JSON values */
static const char *VNAMES[8];
static const char *VJSON[8];
static size_t NV;

static int setup(void **state)
{
    (void)state;
    rp_arena_init(&A, 0);
    JP = rp_json_parser_new();
    return JP ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_json_parser_free(JP);
    rp_arena_release(&A);
    return 0;
}

static void vars(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    NV = n;
    for (size_t k = 0; k < n; k++) {
        VNAMES[k] = va_arg(ap, const char *);
        VJSON[k] = va_arg(ap, const char *);
    }
    va_end(ap);
}

static struct rp_pv *J(const char *json)
{
    struct rp_pv *v = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_pv_parse(&A, JP, json, strlen(json), &v, &eb), RP_OK);
    return v;
}

static const char *st_name(enum rp_guard_status s)
{
    return s == RP_GUARD_PASS ? "PASS" : s == RP_GUARD_FAIL ? "FAIL" : "SKIP";
}

/* Compile rules and evaluate them over doc: "STATUS" or "STATUS: message". With rules_too,
 * the rules' statuses follow: "FAIL: msg | a=FAIL b=PASS". Compile errors: "ERROR: ...". */
static const char *run2(const char *rules, const char *doc, bool rules_too)
{
    struct rp_guard_file *f = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_guard_compile("t.guard", rules, strlen(rules), VNAMES, NV, &f, &eb);
    if (e != RP_OK) {
        snprintf(OUT, sizeof(OUT), "ERROR: %s", eb.msg);
        NV = 0;
        return OUT;
    }
    struct rp_guard_var gv[8];
    for (size_t k = 0; k < NV; k++) gv[k] = (struct rp_guard_var){VNAMES[k], J(VJSON[k])};
    struct rp_arena scratch;
    rp_arena_init(&scratch, 0);
    struct rp_guard_env env = {.now_ms = NOW_MS, .vars = gv, .nvars = NV, .scratch = &scratch};
    struct rp_guard_result r;
    e = rp_guard_eval(f, J(doc), &env, &r, &eb);
    if (e != RP_OK) {
        snprintf(OUT, sizeof(OUT), "EVAL ERROR: %s", eb.msg);
    } else {
        int n = snprintf(OUT, sizeof(OUT), "%s", st_name(r.status));
        if (r.message[0]) n += snprintf(OUT + n, sizeof(OUT) - (size_t)n, ": %s", r.message);
        if (rules_too) {
            n += snprintf(OUT + n, sizeof(OUT) - (size_t)n, " |");
            for (size_t k = 0; k < r.nrules; k++)
                n += snprintf(OUT + n, sizeof(OUT) - (size_t)n, " %s=%s",
                              rp_guard_file_rule_name(f, k), st_name(r.rule_status[k]));
        }
    }
    rp_arena_release(&scratch);
    rp_guard_file_free(f);
    NV = 0;
    return OUT;
}

static const char *run(const char *rules, const char *doc)
{
    return run2(rules, doc, false);
}
static const char *runr(const char *rules, const char *doc)
{
    return run2(rules, doc, true);
}

/* ---- clauses, queries --------------------------------------------------------------------- */

static const char *S3 =
    "{\"resourceType\":\"AWS::S3::Bucket\",\"resourceId\":\"b1\","
    "\"configuration\":{\"name\":\"b1\",\"versioning\":\"Suspended\",\"size\":42,"
    "\"ratio\":0.5,\"public\":false,\"owner\":null,\"tags\":[{\"key\":\"env\",\"value\":\"prod\"},"
    "{\"key\":\"team\",\"value\":\"sec\"}],\"empty\":[],\"emptymap\":{},\"blank\":\"\","
    "\"ports\":[22,80,443],\"nested\":{\"a\":{\"b\":\"deep\"}}}}";

static void test_guard_basic_comparisons(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.name == 'b1' }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.versioning == \"Enabled\" }", S3),
                        "FAIL: r: configuration.versioning == \"Enabled\" failed: got "
                        "\"Suspended\"");
    assert_string_equal(run("rule r { configuration.versioning != 'Enabled' }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size > 41 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size >= 42 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size < 42 }", S3),
                        "FAIL: r: configuration.size < 42 failed: got 42");
    assert_string_equal(run("rule r { configuration.size <= 42.0 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size == 42.0 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ratio < 1 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.public == false }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.owner == null }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.name > 'a' }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.name < 'b1a' }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nested.a.b == 'deep' }", S3), "PASS");
    /* a string against a number is a type mismatch: the clause fails, both ways */
    assert_string_equal(run("rule r { configuration.name == 1 }", S3),
                        "FAIL: r: configuration.name == 1 failed: got \"b1\"");
    assert_string_equal(run("rule r { configuration.name != 1 }", S3),
                        "FAIL: r: configuration.name != 1 failed: got \"b1\"");
    assert_string_equal(run("rule r { configuration.size > '1' }", S3),
                        "FAIL: r: configuration.size > '1' failed: got 42");
    /* null compares as a value, not a mismatch */
    assert_string_equal(run("rule r { configuration.name != null }", S3), "PASS");
}

static void test_guard_unary(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.name exists }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nope exists }", S3),
                        "FAIL: r: configuration.nope exists failed: got no value");
    assert_string_equal(run("rule r { configuration.nope !exists }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nope not exists }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.name NOT EXISTS }", S3),
                        "FAIL: r: configuration.name NOT EXISTS failed: got \"b1\"");
    assert_string_equal(run("rule r { configuration.empty empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.emptymap empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.blank empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.owner empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nope empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.tags !empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.empty !empty }", S3),
                        "FAIL: r: configuration.empty !empty failed: got []");
    assert_string_equal(run("rule r { configuration.name is_string }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.tags is_list }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nested is_struct }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.public is_bool }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size is_int }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ratio is_float }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.owner is_null }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size is_float }", S3),
                        "FAIL: r: configuration.size is_float failed: got 42");
    assert_string_equal(run("rule r { configuration.size !is_string }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nope is_string }", S3),
                        "FAIL: r: configuration.nope is_string failed: got no value");
    /* not is_x over a missing value is still a retrieval failure */
    assert_string_equal(run("rule r { configuration.nope !is_string }", S3),
                        "FAIL: r: configuration.nope !is_string failed: got no value");
}

static void test_guard_missing_path_fails(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.nope == 'x' }", S3),
                        "FAIL: r: configuration.nope == 'x' failed: got no value");
    assert_string_equal(run("rule r { configuration.nope != 'x' }", S3),
                        "FAIL: r: configuration.nope != 'x' failed: got no value");
    assert_string_equal(run("rule r { configuration.name.x == 'x' }", S3),
                        "FAIL: r: configuration.name.x == 'x' failed: got no value");
    assert_string_equal(run("rule r { configuration.empty[*] == 'x' }", S3),
                        "FAIL: r: configuration.empty[*] == 'x' failed: got no value");
}

static void test_guard_lists_and_some(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.ports[*] > 20 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports[*] != 22 }", S3),
                        "FAIL: r: configuration.ports[*] != 22 failed: got 22");
    assert_string_equal(run("rule r { some configuration.ports[*] == 443 }", S3), "PASS");
    assert_string_equal(run("rule r { some configuration.ports[*] == 8080 }", S3),
                        "FAIL: r: configuration.ports[*] == 8080 failed: got 22");
    assert_string_equal(run("rule r { configuration.ports[0] == 22 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports[-1] == 443 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports[3] == 1 }", S3),
                        "FAIL: r: configuration.ports[3] == 1 failed: got no value");
    assert_string_equal(run("rule r { configuration.tags[*].key IN ['env', 'team'] }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.tags[*].key in ['env'] }", S3),
                        "FAIL: r: configuration.tags[*].key in ['env'] failed: got \"team\"");
    assert_string_equal(run("rule r { configuration.tags[*].key not in ['x'] }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.tags[*].key !IN ['team'] }", S3),
                        "FAIL: r: configuration.tags[*].key !IN ['team'] failed: got \"team\"");
    /* a list on the left of IN: every element must be in the set */
    assert_string_equal(run("rule r { configuration.ports IN [22, 80, 443, 8080] }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports IN [22, 80] }", S3),
                        "FAIL: r: configuration.ports IN [22, 80] failed: got [22,80,443]");
    /* == against a list literal: one of them; list == list: equality */
    assert_string_equal(run("rule r { configuration.versioning == ['Enabled', 'Suspended'] }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.ports == [22, 80, 443] }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports != [22, 80] }", S3), "PASS");
    /* .* over a map and a list */
    assert_string_equal(run("rule r { configuration.nested.* is_struct }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports.* < 1000 }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.emptymap.* exists }", S3),
                        "FAIL: r: configuration.emptymap.* exists failed: got no value");
    /* [*] on a single value treats it as a one-item list */
    assert_string_equal(run("rule r { configuration.name[*] == 'b1' }", S3), "PASS");
}

static void test_guard_filters(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.tags[ key == 'env' ].value == 'prod' }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.tags[ key == 'env' ].value == 'dev' }", S3),
                        "FAIL: r: configuration.tags[ key == 'env' ].value == 'dev' failed: got "
                        "\"prod\"");
    /* a filter that selects nothing: the clause is skipped */
    assert_string_equal(run("rule r { configuration.tags[ key == 'x' ].value == 'dev' }", S3),
                        "SKIP");
    assert_string_equal(run("rule r { configuration.tags[ key == 'x' ] empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.tags[ key == 'x' ] !empty }", S3),
                        "FAIL: r: configuration.tags[ key == 'x' ] !empty failed: got no value");
    assert_string_equal(
        run("rule r { configuration.tags[ key == /^t/ or key == 'env' ] !empty }", S3), "PASS");
    assert_string_equal(
        run("rule r { configuration.tags[ key == /^t/\n value == 'prod' ] empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports[ this > 79 ] IN [80, 443] }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.ports[*][ this < 80 ] == 22 }", S3), "PASS");
    /* keys filter */
    assert_string_equal(run("rule r { configuration.nested[ keys == /^a/ ].b == 'deep' }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration[ keys in ['size', 'ratio'] ] < 100 }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.nested[ keys != 'a' ] empty }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.nested[ keys NOT IN ['b'] ].b == 'deep' }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration[ keys == 'zz' ] exists }", S3),
                        "FAIL: r: configuration[ keys == 'zz' ] exists failed: got no value");
}

static void test_guard_regex(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.name == /^b[0-9]$/ }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.name != /(?i)B1/ }", S3),
                        "FAIL: r: configuration.name != /(?i)B1/ failed: got \"b1\"");
    assert_string_equal(run("rule r { configuration.tags[*].key IN [/^e/, /^t/] }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size == /4/ }", S3),
                        "FAIL: r: configuration.size == /4/ failed: got 42");
    assert_string_equal(run("rule r { configuration.name == /a\\/b|b1/ }", S3), "PASS");
    /* $ is the end of the text, as in Rust's regex crate (not before a final newline) */
    assert_string_equal(run("rule r { a == /x$/ }", "{\"a\":\"x\\n\"}"),
                        "FAIL: r: a == /x$/ failed: got \"x\\n\"");
}

static void test_guard_ranges(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.size IN r[42, 50] }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.size IN r(42, 50] }", S3),
                        "FAIL: r: configuration.size IN r(42, 50] failed: got 42");
    assert_string_equal(run("rule r { configuration.ports[*] IN r[0, 443) }", S3),
                        "FAIL: r: configuration.ports[*] IN r[0, 443) failed: got 443");
    assert_string_equal(run("rule r { configuration.ratio == r(0, 1) }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.name IN r[0, 1] }", S3),
                        "FAIL: r: configuration.name IN r[0, 1] failed: got \"b1\"");
}

/* ---- blocks, when, rules, variables ------------------------------------------------------- */

static const char *SG =
    "{\"resourceType\":\"AWS::EC2::SecurityGroup\",\"configuration\":{\"ipPermissions\":["
    "{\"fromPort\":172,\"toPort\":172,\"ipProtocol\":\"tcp\",\"ipv4Ranges\":[{\"cidrIp\":"
    "\"10.0.0.0/24\"},{\"cidrIp\":\"0.0.0.0/0\"}],\"ipv6Ranges\":[]},"
    "{\"fromPort\":89,\"toPort\":109,\"ipProtocol\":\"tcp\",\"ipv4Ranges\":[{\"cidrIp\":"
    "\"10.2.0.0/24\"}],\"ipv6Ranges\":[{\"cidrIpv6\":\"::/0\"}]},"
    "{\"ipProtocol\":\"udp\",\"ipv4Ranges\":[{\"cidrIp\":\"0.0.0.0/0\"}]}]},"
    "\"InputParameters\":{\"TcpBlockedPorts\":[21,22,110]}}";

static void test_guard_blocks(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { configuration.tags[*] { key is_string\n value != '' } }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.tags[*] { value == 'prod' } }", S3),
                        "FAIL: r: value == 'prod' failed: got \"sec\"");
    assert_string_equal(run("rule r { some configuration.tags[*] { value == 'sec' } }", S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.nope[*] { value == 'sec' } }", S3),
                        "FAIL: r: configuration.nope[*] failed: got no value");
    assert_string_equal(run("rule r { configuration.tags[ key == 'x' ] { value == 'sec' } }", S3),
                        "SKIP");
    assert_string_equal(run("rule r { configuration { nested { a.b == 'deep' } } }", S3), "PASS");
    /* the block form anchors each element; the single clause form does not */
    const char *tags = "{\"Tags\":[{\"Key\":\"EndPROD\",\"Value\":\"NotAppStart\"},"
                       "{\"Key\":\"NotPRODEnd\",\"Value\":\"AppStart\"}]}";
    assert_string_equal(run("rule r { some Tags[*].Key == /PROD$/\n"
                            "some Tags[*].Value == /^App/ }",
                            tags),
                        "PASS");
    assert_string_equal(run("rule r { some Tags[*] { Key == /PROD$/\n Value == /^App/ } }", tags),
                        "FAIL: r: Value == /^App/ failed: got \"NotAppStart\"");
}

static void test_guard_this_and_lets(void **state)
{
    (void)state;
    const char *rules =
        "rule check_ports {\n"
        "    let ports = InputParameters.TcpBlockedPorts[*]\n"
        "    let any_ip = configuration.ipPermissions[\n"
        "        some ipv4Ranges[*].cidrIp == '0.0.0.0/0' or\n"
        "        some ipv6Ranges[*].cidrIpv6 == '::/0'\n"
        "        ipProtocol != 'udp' ]\n"
        "    when %any_ip !empty {\n"
        "        %any_ip {\n"
        "            ipProtocol != '-1'\n"
        "            when fromPort exists\n"
        "                 toPort exists {\n"
        "                let each = this\n"
        "                %ports {\n"
        "                    this < %each.fromPort or\n"
        "                    this > %each.toPort\n"
        "                    <<Blocked TCP port {{this}} allowed in {{%each.fromPort}}-"
        "{{%each.toPort}}>>\n"
        "                }\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "}\n";
    assert_string_equal(run(rules, SG), "PASS");
    const char *bad =
        "{\"configuration\":{\"ipPermissions\":[{\"fromPort\":89,\"toPort\":109,\"ipProtocol\":"
        "\"tcp\",\"ipv4Ranges\":[],\"ipv6Ranges\":[{\"cidrIpv6\":\"::/0\"}]}]},"
        "\"InputParameters\":{\"TcpBlockedPorts\":[21,22,90,110]}}";
    assert_string_equal(run(rules, bad), "FAIL: Blocked TCP port 90 allowed in 89-109");
    /* file-level and rule-level lets, literal lets */
    assert_string_equal(run("let allowed = ['Enabled', 'Suspended']\n"
                            "rule r { let v = configuration.versioning\n %v IN %allowed }",
                            S3),
                        "PASS");
    assert_string_equal(run("let n = 42\nrule r { configuration.size == %n }", S3), "PASS");
    assert_string_equal(run("let re = /^b/\nrule r { configuration.name == %re }", S3), "PASS");
    assert_string_equal(run("rule r { let e = configuration.tags[ key == 'x' ]\n %e empty }", S3),
                        "PASS");
    assert_string_equal(run("rule r { let t = configuration.tags[*]\n %t.key == 'env' }", S3),
                        "FAIL: r: %t.key == 'env' failed: got \"team\"");
    assert_string_equal(run("rule r { this.configuration.name == 'b1' }", S3), "PASS");
    assert_string_equal(run("rule r { configuration.ports[*] { this >= 22 } }", S3), "PASS");
    /* a variable used as a key */
    assert_string_equal(run("rule r { let k = 'nested'\n configuration.%k.a.b == 'deep' }", S3),
                        "PASS");
    /* comparisons between two queries */
    assert_string_equal(
        run("rule r { a < b\n c[0] == a\n b > c[*] }", "{\"a\":5,\"b\":7,\"c\":[5,6]}"), "PASS");
}

static void test_guard_when_and_rules(void **state)
{
    (void)state;
    assert_string_equal(runr("rule r when resourceType == 'AWS::S3::Bucket' {\n"
                             "  configuration.versioning == 'Enabled' <<versioning is not "
                             "enabled>>\n}\n"
                             "rule q when resourceType == 'AWS::IAM::User' { configuration.x "
                             "exists }",
                             S3),
                        "FAIL: versioning is not enabled | r=FAIL q=SKIP");
    assert_string_equal(runr("rule q when resourceType == 'AWS::IAM::User' { a exists }", S3),
                        "SKIP | q=SKIP");
    assert_string_equal(runr("rule a { configuration.name == 'b1' }\n"
                             "rule b when a { configuration.size == 42 }\n"
                             "rule c when !a { configuration.size == 0 }\n"
                             "rule d { a\n not c }",
                             S3),
                        "PASS | a=PASS b=PASS c=SKIP d=PASS");
    /* a failing named rule referenced from another carries its message */
    assert_string_equal(runr("rule b { a }\n"
                             "rule a { configuration.size == 1 }",
                             S3),
                        "FAIL: a: configuration.size == 1 failed: got 42 | b=FAIL a=FAIL");
    assert_string_equal(runr("rule a { configuration.size == 1 }\n"
                             "rule b { not a }\n"
                             "rule c { a or b }\n"
                             "rule d { a <<d needs a>> }",
                             S3),
                        "FAIL: a: configuration.size == 1 failed: got 42 | a=FAIL b=PASS "
                        "c=PASS d=FAIL");
    assert_string_equal(runr("rule a { configuration.size == 42 }\n"
                             "rule b { not a }",
                             S3),
                        "FAIL: b: not a failed | a=PASS b=FAIL");
    /* when blocks inside rules */
    assert_string_equal(run("rule r { when configuration.size > 100 { configuration.x exists }\n"
                            "when configuration.size < 100 { configuration.name == 'b1' } }",
                            S3),
                        "PASS");
    assert_string_equal(
        run("rule r { when configuration.size > 100 { configuration.x exists } }", S3), "SKIP");
    /* disjunctions: (a or b) and c */
    assert_string_equal(run("rule r { configuration.size == 1 or\n configuration.size == 42\n"
                            "configuration.name == 'b1' }",
                            S3),
                        "PASS");
    assert_string_equal(run("rule r { configuration.size == 1 OR configuration.size == 2\n"
                            "configuration.name == 'b1' }",
                            S3),
                        "FAIL: r: configuration.size == 1 failed: got 42");
    /* an empty rule is SKIP, file-level clauses form the rule "default" */
    assert_string_equal(runr("rule e { }", S3), "SKIP | e=SKIP");
    assert_string_equal(runr("configuration.size == 41\nrule x { configuration.size == 42 }", S3),
                        "FAIL: default: configuration.size == 41 failed: got 42 | default=FAIL "
                        "x=PASS");
}

static void test_guard_caller_vars(void **state)
{
    (void)state;
    vars(2, "maxAge", "90", "allowed", "[\"Enabled\",\"Suspended\"]");
    assert_string_equal(run("rule r { configuration.size < %maxAge\n"
                            "configuration.versioning IN %allowed }",
                            S3),
                        "PASS");
    vars(1, "allowed", "[]");
    assert_string_equal(
        run("rule r { when %allowed !empty { configuration.versioning IN %allowed } }", S3),
        "SKIP");
    vars(1, "allowed", "[]");
    assert_string_equal(run("rule r { configuration.versioning IN %allowed }", S3),
                        "FAIL: r: configuration.versioning IN %allowed failed: got \"Suspended\"");
    /* lookups: a list of documents */
    vars(1, "logs",
         "[{\"configuration\":{\"status\":\"ACTIVE\"}},{\"configuration\":{\"status\":"
         "\"ACTIVE\"}}]");
    assert_string_equal(run("rule r { %logs !empty\n %logs.configuration.status == 'ACTIVE' }", S3),
                        "PASS");
    vars(1, "logs", "[]");
    assert_string_equal(run("rule r { %logs !empty <<no flow log>> }", S3), "FAIL: no flow log");
    /* a predeclared name that is not bound at evaluation: no values */
    assert_string_equal(run2("rule r { %unbound empty }", S3, false), "ERROR: t.guard:1:10: "
                                                                      "undefined variable "
                                                                      "'%unbound'");
}

/* ---- functions ---------------------------------------------------------------------------- */

static const char *FN_DOC =
    "{\"enc\":\"This%20string%20will%20be%20URL%20encoded\","
    "\"arn\":\"arn:aws:newservice:us-west-2:123456789012:Table/extracted\","
    "\"policy\":\"{\\\"Principal\\\":\\\"*\\\",\\\"Actions\\\":[\\\"s3*\\\",\\\"ec2*\\\"]}\","
    "\"bad\":\"{nope\",\"coll\":[\"a\",\"b\",\"c\",1],\"type\":\"AWS::New::Service\","
    "\"str\":\"true\",\"chr\":\"1\",\"int\":1,\"flt\":1.5,\"num\":\"12\",\"big\":\"x12\","
    "\"rotated\":\"2025-12-16T00:00:00Z\",\"expires\":\"2026-02-14T12:00:00.000Z\","
    "\"epoch\":1765843200,\"props\":{\"a\":1,\"b\":2,\"c\":3}}";

static void test_guard_functions_strings(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { let x = url_decode(enc)\n"
                            "%x == 'This string will be URL encoded' }",
                            FN_DOC),
                        "PASS");
    assert_string_equal(
        run("rule r {\n"
            "  let re = \"^arn:(\\w+):(\\w+):([\\w0-9-]+):(\\d+):(.+)$\"\n"
            "  let x = regex_replace(arn, \"^arn:(\\w+):(\\w+):([\\w0-9-]+):(\\d+):(.+)$\", "
            "\"${1}/${4}/${3}/${2}-${5}\")\n"
            "  %x == 'aws/123456789012/us-west-2/newservice-Table/extracted'\n"
            "  let y = regex_replace(arn, %re, '$1')\n"
            "  %y == 'aws'\n"
            "  let z = regex_replace(type, /::/, '-')\n"
            "  %z == 'AWS-New-Service' }",
            FN_DOC),
        "PASS");
    assert_string_equal(run("rule r { let p = json_parse(policy)\n"
                            "%p.Principal == '*'\n"
                            "%p.Actions[*] == /\\*$/\n"
                            "%p == {\"Principal\": \"*\", \"Actions\": [\"s3*\", \"ec2*\"]}\n"
                            "let q = json_parse(bad)\n"
                            "%q empty }",
                            FN_DOC),
                        "PASS");
    assert_string_equal(run("rule r { let j = join(coll[*], ',')\n %j == 'a,b,c'\n"
                            "let k = join(coll, '')\n %k == 'abc' }",
                            FN_DOC),
                        "PASS");
    assert_string_equal(run("rule r { let s = substring(arn, 0, 3)\n %s == 'arn'\n"
                            "let t = substring(arn, 4, 400)\n %t empty }",
                            FN_DOC),
                        "PASS");
    assert_string_equal(run("rule r { let u = to_upper(type)\n %u == 'AWS::NEW::SERVICE'\n"
                            "let l = to_lower(type)\n %l == /aws::new::service/ }",
                            FN_DOC),
                        "PASS");
}

static void test_guard_functions_convert(void **state)
{
    (void)state;
    assert_string_equal(run("rule r {\n"
                            "  let a = parse_boolean(str)\n  %a == true\n"
                            "  let b = parse_char(int)\n  %b == '1'\n"
                            "  let c = parse_char(chr)\n  %c == '1'\n"
                            "  let d = parse_float(int)\n  %d is_float\n  1.0 == %d\n"
                            "  let e = parse_float(num)\n  %e == 12.0\n"
                            "  let f = parse_int(flt)\n  %f is_int\n  1 == %f\n"
                            "  let g = parse_int(num)\n  %g == 12\n"
                            "  let h = parse_int(big)\n  %h empty\n"
                            "  let i = parse_string(flt)\n  %i == '1.5'\n"
                            "  let j = parse_string(int)\n  %j == '1'\n"
                            "  let k = parse_epoch(rotated)\n  %k == 1765843200\n"
                            "  let m = parse_int(coll[*])\n  %m == 1\n"
                            "}",
                            FN_DOC),
                        "PASS");
}

static void test_guard_functions_time_count(void **state)
{
    (void)state;
    assert_string_equal(run("rule r {\n"
                            "  let n = now()\n  %n == 1768435200\n"
                            "  let a = days_since(rotated)\n  %a == 30\n"
                            "  let b = days_since(epoch)\n  %b == 30.0\n"
                            "  let c = days_until(expires)\n  %c == 30.5\n"
                            "  let d = count(props.*)\n  %d == 3\n"
                            "  let e = count(coll[*])\n  %e == 4\n"
                            "  let f = count(nope[*])\n  %f == 0\n"
                            "  let g = count(coll[ this == /^[ab]$/ ])\n  %g == 2\n"
                            "}",
                            FN_DOC),
                        "PASS");
    /* functions on the right of a clause, and (a Rampart extension) on the left */
    assert_string_equal(run("rule r { 2 > count(coll[*]) }", FN_DOC),
                        "FAIL: r: 2 > count(coll[*]) failed: got 2");
    assert_string_equal(run("rule r { days_since(rotated) <= 90 }", FN_DOC), "PASS");
    assert_string_equal(run("rule r { days_since(rotated) < 10 <<key is {{days_since(rotated)}} "
                            "days old>> }",
                            FN_DOC),
                        "FAIL: key is 30 days old");
    /* an unparseable time gives no value: the clause is skipped */
    assert_string_equal(run("rule r { days_since(type) < 10 }", FN_DOC), "SKIP");
}

/* ---- type blocks, not, messages ------------------------------------------------------------ */

static void test_guard_type_blocks(void **state)
{
    (void)state;
    const char *tmpl = "{\"Resources\":{\"a\":{\"Type\":\"AWS::S3::Bucket\",\"Properties\":{"
                       "\"BucketName\":\"prod-1\"}},\"b\":{\"Type\":\"AWS::S3::Bucket\","
                       "\"Properties\":{}},\"c\":{\"Type\":\"AWS::SQS::Queue\"}}}";
    assert_string_equal(runr("AWS::S3::Bucket { Properties.BucketName == /^prod/ }", tmpl),
                        "FAIL: default: Properties.BucketName == /^prod/ failed: got no value "
                        "| default=FAIL");
    assert_string_equal(runr("rule r { AWS::S3::Bucket when Properties.BucketName exists {\n"
                             "  Properties.BucketName == /^prod/ } }",
                             tmpl),
                        "PASS | r=PASS");
    assert_string_equal(runr("rule r { AWS::EC2::Volume { Properties.Encrypted == true } }", tmpl),
                        "SKIP | r=SKIP");
    /* over a configuration item: the document itself when resourceType matches */
    assert_string_equal(runr("rule r { AWS::S3::Bucket { configuration.name == 'b1' } }", S3),
                        "PASS | r=PASS");
    assert_string_equal(runr("rule r { AWS::IAM::User { configuration.name == 'b1' } }", S3),
                        "SKIP | r=SKIP");
}

static void test_guard_not_and_messages(void **state)
{
    (void)state;
    assert_string_equal(run("rule r { not configuration.size == 42 }", S3),
                        "FAIL: r: not configuration.size == 42 failed");
    assert_string_equal(run("rule r { not configuration.size == 1 }", S3), "PASS");
    /* messages: whitespace collapsed, interpolations of queries and variables */
    assert_string_equal(run("rule r { configuration.size == 1 <<\n   size is\n   wrong   >> }", S3),
                        "FAIL: size is wrong");
    assert_string_equal(run("let b = configuration.name\nlet o = configuration.nested\n"
                            "rule r { configuration.tags[*] { value == 'prod' <<tag {{key}} "
                            "is {{value}}, bucket {{%b}}, nested {{%o}}, {{nope}}>> } }",
                            S3),
                        "FAIL: tag team is sec, bucket b1, nested {\"a\":{\"b\":\"deep\"}}, no "
                        "value");
    assert_string_equal(run("rule r { configuration.size == 1 <<{{ broken>> }", S3),
                        "FAIL: {{ broken");
    /* a failing disjunction reports the custom message of an alternative */
    assert_string_equal(run("rule r { configuration.size == 1 or\n"
                            "configuration.size == 2 <<size must be 1 or 2>> }",
                            S3),
                        "FAIL: size must be 1 or 2");
    /* long values and texts are cut in default messages */
    assert_string_equal(
        run("rule r { configuration.name == "
            "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }",
            S3),
        "FAIL: r: configuration.name == "
        "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa... failed: got \"b1\"");
    assert_string_equal(run("rule r { configuration.tags == [] }", S3),
                        "FAIL: r: configuration.tags == [] failed: got "
                        "[{\"key\":\"env\",\"value\":\"prod\"},{\"key\":\"team\",\"value\":"
                        "\"sec\"}]");
    assert_string_equal(run("rule r { configuration.ports[*] == [1,2] }", S3),
                        "FAIL: r: configuration.ports[*] == [1,2] failed: got 22");
}

static void test_guard_some_semantics(void **state)
{
    (void)state;
    /* some: one value is enough; unresolved values never pass */
    assert_string_equal(run("rule r { some a[*].b == 2 }", "{\"a\":[{\"c\":1},{\"b\":2}]}"),
                        "PASS");
    assert_string_equal(run("rule r { some a[*].b == 2 }", "{\"a\":[{\"c\":1}]}"),
                        "FAIL: r: a[*].b == 2 failed: got no value");
    assert_string_equal(run("rule r { some a[*].b == 2 }", "{\"a\":[]}"),
                        "FAIL: r: a[*].b == 2 failed: got no value");
    assert_string_equal(run("rule r { some a[ b exists ].b == 2 }", "{\"a\":[{\"c\":1}]}"), "SKIP");
    /* a let with some keeps the resolved values only */
    assert_string_equal(
        run("rule r { let x = some a[*].b\n %x == 1 }", "{\"a\":[{\"b\":1},{\"c\":2}]}"), "PASS");
    assert_string_equal(run("rule r { let x = a[*].b\n %x == 1 }", "{\"a\":[{\"b\":1},{\"c\":2}]}"),
                        "FAIL: r: %x == 1 failed: got no value");
    /* all values of a query must pass, including when they come from a variable */
    assert_string_equal(run("rule r { a[*].b exists }", "{\"a\":[{\"b\":1},{\"c\":2}]}"),
                        "FAIL: r: a[*].b exists failed: got no value");
    assert_string_equal(run("rule r { a[*].b !exists }", "{\"a\":[{\"c\":1},{\"c\":2}]}"), "PASS");
}

/* ---- compile errors ------------------------------------------------------------------------ */

static const char *cerr(const char *rules)
{
    struct rp_guard_file *f = NULL;
    struct rp_errbuf eb = {0};
    const char *pre[] = {"param"};
    rp_err e = rp_guard_compile("bad.guard", rules, strlen(rules), pre, 1, &f, &eb);
    rp_guard_file_free(f);
    if (e == RP_OK) return "OK";
    snprintf(OUT, sizeof(OUT), "%s%s", e == RP_EPARSE ? "" : "(not EPARSE) ", eb.msg);
    return OUT;
}

static void test_guard_compile_errors(void **state)
{
    (void)state;
    assert_string_equal(cerr("rule r { %param == 1 }"), "OK");
    assert_string_equal(cerr("rule r { a == }"),
                        "bad.guard:1:15: expected a value after '==', found '}'");
    assert_string_equal(cerr("rule r { a == 'x }"), "bad.guard:1:15: unterminated string");
    assert_string_equal(cerr("rule r {\n  a == /x( / }"),
                        "bad.guard:2:8: bad regex /x( /: missing closing parenthesis at offset 3");
    assert_string_equal(cerr("rule r { a == /abc }"),
                        "bad.guard:1:15: unterminated regex (missing closing '/')");
    assert_string_equal(cerr("rule r {\n  a.b[ c == 1\n}"),
                        "bad.guard:3:1: expected ']' to close the filter opened at 2:6, found '}'");
    assert_string_equal(cerr("rule r {\n  a == 1\n"),
                        "bad.guard:3:1: expected '}' to close the block opened at 1:8, found end "
                        "of file");
    assert_string_equal(cerr("rule r { a == 1 <<oops }"),
                        "bad.guard:1:17: unterminated message (missing '>>')");
    assert_string_equal(cerr("rule r { let x = foo(a)\n %x exists }"),
                        "bad.guard:1:18: unknown function 'foo'");
    assert_string_equal(cerr("rule r { let x = substring(a, 1)\n %x == 'a' }"),
                        "bad.guard:1:18: 'substring' takes 3 arguments, not 2");
    assert_string_equal(cerr("rule r { let x = count(a\n %x == 'a' }"),
                        "bad.guard:2:2: expected ')' to close the call opened at 1:23");
    assert_string_equal(cerr("rule r { b }"), "bad.guard:1:10: undefined rule 'b'");
    assert_string_equal(cerr("rule r {\n  %nope == 1 }"),
                        "bad.guard:2:3: undefined variable '%nope'");
    assert_string_equal(cerr("rule r { a == 1 }\nrule r { b == 2 }"),
                        "bad.guard:2:6: rule 'r' already defined at 1:1");
    assert_string_equal(cerr("rule a { b }\nrule b { c }\nrule c { a }"),
                        "bad.guard:3:10: rule 'a' depends on itself");
    assert_string_equal(cerr("rule r { let x = 1\n let x = 2\n %x == 1 }"),
                        "bad.guard:2:6: variable 'x' already defined in this scope at 1:10");
    assert_string_equal(cerr("rule r { a $ 1 }"), "bad.guard:1:12: unexpected character '$'");
    assert_string_equal(cerr("rule r when { a == 1 }"),
                        "bad.guard:1:13: expected a condition after 'when'");
    assert_string_equal(cerr("rule { a == 1 }"),
                        "bad.guard:1:6: expected a rule name after 'rule', found '{'");
    assert_string_equal(cerr("rule r { a.b.c }"),
                        "bad.guard:1:16: expected an operator after 'a.b.c', found '}'");
    assert_string_equal(cerr("rule r { a IN r[1, 2 }"),
                        "bad.guard:1:22: expected ']' or ')' to close the range opened at 1:15");
    assert_string_equal(cerr("rule r { a == [1, 2 }"),
                        "bad.guard:1:21: expected ',' or ']' in the list opened at 1:15");
    assert_string_equal(cerr("rule r { a == 99999999999999999999 }"),
                        "bad.guard:1:15: number out of range '99999999999999999999'");
    assert_string_equal(cerr("rule r { a == 1 } }"), "bad.guard:1:19: unexpected '}'");
    assert_string_equal(cerr("rule r { rule q { a == 1 } }"),
                        "bad.guard:1:10: a rule cannot be defined inside a block");
    assert_string_equal(cerr("rule r { a == {\"k\" 1} }"),
                        "bad.guard:1:20: expected ':' after the map key, found a number");
    assert_string_equal(cerr("let = 3"),
                        "bad.guard:1:5: expected a variable name after 'let', found '='");
    assert_string_equal(cerr("rule r { when a == 1 b == 2 }"),
                        "bad.guard:1:29: expected '{' after the 'when' conditions, found '}'");
    assert_string_equal(cerr("rule r { a == 1 } %"),
                        "bad.guard:1:19: expected a variable name after '%'");
    assert_string_equal(cerr("rule r { a. == 1 }"),
                        "bad.guard:1:13: expected a key after '.', found '=='");
    assert_string_equal(cerr("rule r { a == 1 or }"),
                        "bad.guard:1:20: expected a clause after 'or', found '}'");
    assert_string_equal(cerr("rule r { let x = regex_replace(a, 5, 'x')\n %x exists }"),
                        "bad.guard:1:18: the second argument of 'regex_replace' must be a regex");
    assert_string_equal(cerr("rule r { let re = 'a('\n let x = regex_replace(s, %re, 'b')\n"
                             " %x exists }"),
                        "bad.guard:1:10: bad regex /a(/: missing closing parenthesis at offset 2");
    assert_string_equal(cerr("rule r { x[keys ] == 1 }"),
                        "bad.guard:1:17: expected a comparison operator after 'keys', found ']'");
    assert_string_equal(cerr("rule r { when x { a == 1 } }"), "bad.guard:1:15: undefined rule 'x'");
    assert_string_equal(cerr("rule r { a == 1 <<bad {{x ==}}>> }"),
                        "bad.guard:1:17: bad interpolation '{{x ==}}' in the message");
    assert_string_equal(cerr("rule r { a \xff }"), "bad.guard:1:12: unexpected byte 0xff");
    /* nesting is bounded */
    char deep[2048];
    size_t n = 0;
    n += (size_t)snprintf(deep + n, sizeof(deep) - n, "rule r { ");
    for (int k = 0; k < 70; k++) n += (size_t)snprintf(deep + n, sizeof(deep) - n, "a { ");
    assert_string_equal(cerr(deep), "bad.guard:1:266: nested too deeply");
    assert_string_equal(cerr(""), "OK");
    assert_string_equal(cerr("# only a comment\n"), "OK");
}

static void test_guard_describe(void **state)
{
    (void)state;
    struct rp_guard_file *f = NULL;
    struct rp_errbuf eb;
    const char *src = "let x = 1\nrule a { x == 1 }\ny == 2\nrule b { a }\n";
    assert_int_equal(rp_guard_compile("d.guard", src, strlen(src), NULL, 0, &f, &eb), RP_OK);
    assert_int_equal(rp_guard_file_rule_count(f), 3);
    assert_string_equal(rp_guard_file_rule_name(f, 0), "a");
    assert_string_equal(rp_guard_file_rule_name(f, 1), "default");
    assert_string_equal(rp_guard_file_rule_name(f, 2), "b");
    assert_null(rp_guard_file_rule_name(f, 3));
    rp_guard_file_free(f);
    rp_guard_file_free(NULL);
}

/* ---- docs/guard.md ------------------------------------------------------------------------- */

/* The example of docs/guard.md, verbatim: keep both in step. */
static const char *DOC_EXAMPLE =
    "# S3 buckets must have versioning enabled, and MFA delete as well when the\n"
    "# bucket is tagged mfa-delete=required. Buckets tagged keep=false are not\n"
    "# applicable.\n"
    "let versioning = supplementaryConfiguration.BucketVersioningConfiguration\n"
    "\n"
    "rule s3_versioning_enabled when tags.keep !exists or\n"
    "                                tags.keep != 'false' {\n"
    "    %versioning.status == 'Enabled'\n"
    "    <<versioning is {{%versioning.status}}>>\n"
    "\n"
    "    when tags.\"mfa-delete\" == 'required' {\n"
    "        %versioning.isMfaDeleteEnabled == true\n"
    "        <<MFA delete is not enabled>>\n"
    "    }\n"
    "}\n";

static void test_guard_doc_example(void **state)
{
    (void)state;
#define DOC_CI(tags, status)                                                                       \
    "{\"resourceType\":\"AWS::S3::Bucket\",\"resourceId\":\"b\",\"configurationItemStatus\":"      \
    "\"OK\",\"tags\":" tags ",\"supplementaryConfiguration\":{\"BucketVersioningConfiguration\":"  \
    "{\"status\":\"" status "\",\"isMfaDeleteEnabled\":null}}}"
    assert_string_equal(run(DOC_EXAMPLE, DOC_CI("{}", "Suspended")),
                        "FAIL: versioning is Suspended");
    assert_string_equal(run(DOC_EXAMPLE, DOC_CI("{\"keep\":\"true\"}", "Enabled")), "PASS");
    assert_string_equal(run(DOC_EXAMPLE, DOC_CI("{\"mfa-delete\":\"required\"}", "Enabled")),
                        "FAIL: MFA delete is not enabled");
    assert_string_equal(run(DOC_EXAMPLE, DOC_CI("{\"keep\":\"false\"}", "Suspended")), "SKIP");
#undef DOC_CI
    /* an empty custom message falls back to the default text */
    assert_string_equal(run("rule a { x == 1 <<   >> }", "{}"),
                        "FAIL: a: x == 1 failed: got no value");
}

/* ---- projections, limits, odds and ends ---------------------------------------------------- */

static void test_guard_projections(void **state)
{
    (void)state;
    const char *doc = "{\"Resources\":{\"task\":{\"Type\":\"AWS::ECS::TaskDefinition\","
                      "\"Properties\":{\"TaskRoleArn\":{\"Fn::GetAtt\":[\"role\",\"Arn\"]}}},"
                      "\"role\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{"
                      "\"PermissionsBoundary\":\"arn:b\"}}}}";
    const char *rules = "let tasks = Resources.*[ Type == 'AWS::ECS::TaskDefinition' ]\n"
                        "let refs = some %tasks.Properties.TaskRoleArn.'Fn::GetAtt'[0]\n"
                        "rule roles_local when %tasks !empty {\n"
                        "  let roles = Resources.%refs\n"
                        "  %roles.Type == 'AWS::IAM::Role'\n"
                        "  %roles.Properties.PermissionsBoundary exists\n"
                        "}\n";
    assert_string_equal(run(rules, doc), "PASS");
    assert_string_equal(
        run("rule r { let k = ['a', 'c']\n m.%k == 1 }", "{\"m\":{\"a\":1,\"b\":2}}"),
        "FAIL: r: m.%k == 1 failed: got no value");
    /* [0] on a single value is the value */
    assert_string_equal(run("rule r { a[0] == 1\n a[*] == 1 }", "{\"a\":1}"), "PASS");
    /* parse_string prints numbers the shortest way */
    assert_string_equal(
        run("rule r { let s = parse_string(a[*])\n %s IN ['2', '0.1', 'x'] }", "{\"a\":[2.0,0.1]}"),
        "PASS");
    assert_string_equal(run("rule r { a < 0 }", "{\"a\":0.1}"), "FAIL: r: a < 0 failed: got 0.1");
    /* not over a skipped clause stays skipped */
    assert_string_equal(run("rule r { not a[ b == 1 ] exists }", "{\"a\":[{\"b\":2}]}"), "PASS");
    assert_string_equal(run("rule r { not a[ b == 1 ].c == 1 }", "{\"a\":[{\"b\":2}]}"), "SKIP");
    /* keywords are case-insensitive where Guard allows it */
    assert_string_equal(
        run("rule r { a EXISTS\n a Is_Int\n a In [1]\n a NOT IN [2] OR a == 3 }", "{\"a\":1}"),
        "PASS");
}

static void test_guard_eval_limits(void **state)
{
    (void)state;
    /* 200^3 clauses: more evaluation steps than allowed for one document */
    char doc[2048];
    size_t n = 0;
    n += (size_t)snprintf(doc + n, sizeof(doc) - n, "{\"l\":[");
    for (int k = 0; k < 200; k++)
        n += (size_t)snprintf(doc + n, sizeof(doc) - n, "%s%d", k ? "," : "", k);
    snprintf(doc + n, sizeof(doc) - n, "]}");
    assert_string_equal(run("rule r { let l = l[*]\n %l { %l { %l { this >= 0 } } } }", doc),
                        "EVAL ERROR: guard: evaluation took more than 4194304 steps");
    /* a query may not have more than 128 steps */
    char q[1024];
    n = 0;
    n += (size_t)snprintf(q + n, sizeof(q) - n, "rule r { a");
    for (int k = 0; k < 130; k++) n += (size_t)snprintf(q + n, sizeof(q) - n, ".b");
    snprintf(q + n, sizeof(q) - n, " exists }");
    assert_string_equal(cerr(q), "bad.guard:1:265: query longer than 128 steps");
    /* a scratch arena that cannot grow: RP_ENOMEM, not a crash */
    struct rp_guard_file *f = NULL;
    struct rp_errbuf eb;
    const char *src = "rule r { a[*] == 1 }";
    assert_int_equal(rp_guard_compile("m.guard", src, strlen(src), NULL, 0, &f, &eb), RP_OK);
    struct rp_arena tiny;
    rp_arena_init(&tiny, 64);
    tiny.max = 1;
    struct rp_guard_env env = {.now_ms = NOW_MS, .scratch = &tiny};
    struct rp_guard_result r;
    assert_int_equal(rp_guard_eval(f, J("{\"a\":[1,1,1,1,1,1,1,1,1,1]}"), &env, &r, &eb),
                     RP_ENOMEM);
    assert_string_equal(eb.msg, "guard: out of memory");
    rp_arena_release(&tiny);
    rp_guard_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guard_basic_comparisons),
        cmocka_unit_test(test_guard_unary),
        cmocka_unit_test(test_guard_missing_path_fails),
        cmocka_unit_test(test_guard_lists_and_some),
        cmocka_unit_test(test_guard_filters),
        cmocka_unit_test(test_guard_regex),
        cmocka_unit_test(test_guard_ranges),
        cmocka_unit_test(test_guard_blocks),
        cmocka_unit_test(test_guard_this_and_lets),
        cmocka_unit_test(test_guard_when_and_rules),
        cmocka_unit_test(test_guard_caller_vars),
        cmocka_unit_test(test_guard_functions_strings),
        cmocka_unit_test(test_guard_functions_convert),
        cmocka_unit_test(test_guard_functions_time_count),
        cmocka_unit_test(test_guard_type_blocks),
        cmocka_unit_test(test_guard_not_and_messages),
        cmocka_unit_test(test_guard_some_semantics),
        cmocka_unit_test(test_guard_compile_errors),
        cmocka_unit_test(test_guard_describe),
        cmocka_unit_test(test_guard_doc_example),
        cmocka_unit_test(test_guard_projections),
        cmocka_unit_test(test_guard_eval_limits),
    };
    return cmocka_run_group_tests_name("posture_guard", tests, setup, teardown);
}
