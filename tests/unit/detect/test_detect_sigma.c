/* SPDX-License-Identifier: Apache-2.0 */
/* Sigma rules (src/detect/detect_sigma*.c): every modifier and condition form against events
 * that must match and events that must not (a table of cases: each rule is loaded alone and
 * run over its events), field names below JSON columns and through arrays, the per-event JSON
 * cache, the findings a rule raises (type, severity, resource, AdditionalInfo, folding), and
 * the loader: the fixture directory tests/fixtures/sigma/rules, where the supported rules load
 * and every unsupported one is skipped with exactly the expected line; malformed YAML named by
 * file, line and column; and a table of unsupported or malformed rules with their lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_str.h"
#include "detect/detect_internal.h"
#include "detect/detect_sigma.h"
#include "detect/detect_sigma_impl.h"

#define T0 1767225600000LL /* 2026-01-01T00:00:00Z */

static struct rp_det_ctx *dc; /* derives the userIdentity fields */
static int64_t seq;

/* ---- helpers ----------------------------------------------------------------------------- */

struct warns {
    char line[32][512];
    size_t n;
};

/* Keep a warning, with the fixtures directory written "<fx>". */
static void on_warn(void *ctx, const char *msg)
{
    struct warns *w = ctx;
    assert_true(w->n < 32);
    const char *fx = RP_FIXTURES_DIR;
    char *out = w->line[w->n++];
    size_t k = 0, cap = sizeof w->line[0];
    for (const char *at; (at = strstr(msg, fx)) != NULL; msg = at + strlen(fx))
        k += (size_t)snprintf(out + k, cap - k, "%.*s<fx>", (int)(at - msg), msg);
    snprintf(out + k, cap - k, "%s", msg);
}

static struct rp_det_sigma_set *load(const char *yaml, struct warns *w)
{
    struct rp_det_sigma_set *set = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_sigma_set_new(&set), RP_OK);
    assert_int_equal(rp_det_sigma_load_buf(set, "test.yml", yaml, strlen(yaml), on_warn, w, &eb),
                     RP_OK);
    return set;
}

/* An event: pairs of (field name as Sigma writes it, value), NULL-terminated. */
struct evs {
    const char *kv[32];
};

static void build(struct rp_det_event *ev, enum rp_det_source src, const struct evs *e)
{
    rp_det_event_init(ev, src, T0);
    ev->seq = ++seq;
    for (size_t i = 0; e->kv[i]; i += 2) {
        bool integer = false;
        int f = rp_det_field_find(src, rp_str_from(e->kv[i]), &integer);
        if (f < 0) fail_msg("no field '%s'", e->kv[i]);
        if (integer)
            rp_det_event_set_int(ev, (unsigned)f, strtoll(e->kv[i + 1], NULL, 10));
        else
            rp_det_event_set(ev, (unsigned)f, e->kv[i + 1]);
    }
    assert_int_equal(rp_det_event_derive(dc, ev, NULL), RP_OK);
}

struct hits {
    char buf[512];
};

static int on_hit(void *ctx, size_t i)
{
    struct hits *h = ctx;
    (void)i;
    size_t n = strlen(h->buf);
    snprintf(h->buf + n, sizeof h->buf - n, "%s%zu", n ? "," : "", i);
    return 0;
}

/* The indexes of the rules matching ev, "0,2", or "". */
static const char *hits(struct rp_det_sigma_set *set, const struct rp_det_event *ev, struct hits *h)
{
    h->buf[0] = 0;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_sigma_eval(set, ev, on_hit, h, &eb), RP_OK);
    return h->buf;
}

/* ---- modifiers and values: one rule per case, events that match and that do not --------- */

struct mcase {
    const char *name;
    enum rp_det_source src;
    const char *det; /* the detection section (its lines, indented by 4) */
    struct evs yes[4];
    struct evs no[5];
};

#define AWS RP_DET_SRC_CLOUDTRAIL
#define K8S RP_DET_SRC_K8S

#define UID_ALICE                                                                                  \
    "{\"type\":\"IAMUser\",\"principalId\":\"AIDAALICE\",\"arn\":\"arn:aws:iam::111122223333:"     \
    "user/alice\",\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAALICE0000001\","            \
    "\"userName\":\"alice\"}"
#define UID_ROLE                                                                                   \
    "{\"type\":\"AssumedRole\",\"principalId\":\"AROAROLE:i-0abc\",\"arn\":\"arn:aws:sts::"        \
    "111122223333:assumed-role/web/i-0abc\",\"accountId\":\"111122223333\",\"accessKeyId\":"       \
    "\"ASIAROLE00000001\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":"       \
    "\"arn:aws:iam::111122223333:role/web\",\"userName\":\"web\"},\"attributes\":{"                \
    "\"mfaAuthenticated\":\"false\"}}}"

/* user data scripts, base64 (the value "wget" sits at offsets 10, 11 and 12 of the text:
 * each of base64offset's three shifts) */
#define SH_CURL   "{\"userData\":\"IyEvYmluL3NoCmN1cmwgaHR0cDovLzIwMy4wLjExMy45L3ggfCBzaAo=\"}"
#define SH_WGET1  "{\"userData\":\"IyEvYmluL3NoCndnZXQgLXEgaHR0cDovLzIwMy4wLjExMy45L3gK\"}"
#define SH_WGET2  "{\"userData\":\"IyEvYmluL3NoCiB3Z2V0IC1xIGh0dHA6Ly8yMDMuMC4xMTMuOS94Cg==\"}"
#define BASH_WGET "{\"userData\":\"IyEvYmluL2Jhc2gKd2dldCAtcSBodHRwOi8vMjAzLjAuMTEzLjkveAo=\"}"
#define SH_WGOT   "{\"userData\":\"IyEvYmluL3NoCmVjaG8gd2dvdAo=\"}"

static const struct mcase mcases[] = {
    {"plain value: whole field, case-insensitive",
     AWS,
     "    sel:\n        eventName: createuser\n    condition: sel\n",
     {{{"eventName", "CreateUser"}}, {{"eventName", "CREATEUSER"}}},
     {{{"eventName", "CreateUsers"}}, {{"eventName", "CreateUse"}}, {{"eventSource", "x"}}}},
    {"contains",
     AWS,
     "    sel:\n        userAgent|contains: 'BOTO3/'\n    condition: sel\n",
     {{{"userAgent", "Boto3/1.28.0 Python/3.11"}}, {{"userAgent", "x boto3/"}}},
     {{{"userAgent", "Boto3-1.28.0"}}, {{"userAgent", "boto"}}}},
    {"startswith",
     AWS,
     "    sel:\n        userAgent|startswith: 'aws-cli/'\n    condition: sel\n",
     {{{"userAgent", "aws-cli/2.13.5 Python/3.11.4"}}, {{"userAgent", "AWS-CLI/"}}},
     {{{"userAgent", " aws-cli/2.13.5"}}, {{"userAgent", "aws-cli"}}}},
    {"endswith",
     AWS,
     "    sel:\n        eventSource|endswith: '.AMAZONAWS.com'\n    condition: sel\n",
     {{{"eventSource", "iam.amazonaws.com"}}},
     {{{"eventSource", "iam.amazonaws.com.cn"}}, {{"eventSource", "amazonaws.com"}}}},
    {"list of values: one of them",
     AWS,
     "    sel:\n        eventName:\n            - StopLogging\n            - DeleteTrail\n"
     "    condition: sel\n",
     {{{"eventName", "StopLogging"}}, {{"eventName", "deletetrail"}}},
     {{{"eventName", "UpdateTrail"}}}},
    {"contains|all: every value",
     AWS,
     "    sel:\n        userAgent|contains|all:\n            - python\n            - linux\n"
     "    condition: sel\n",
     {{{"userAgent", "aws-cli/2 Python/3.11 Linux/6.1"}}},
     {{{"userAgent", "aws-cli/2 Python/3.11 Darwin/23"}}, {{"userAgent", "Linux"}}}},
    {"map: every field",
     AWS,
     "    sel:\n        eventSource: s3.amazonaws.com\n        eventName: PutBucketPolicy\n"
     "    condition: sel\n",
     {{{"eventSource", "s3.amazonaws.com", "eventName", "PutBucketPolicy"}}},
     {{{"eventSource", "s3.amazonaws.com", "eventName", "GetBucketPolicy"}},
      {{"eventName", "PutBucketPolicy"}}}},
    {"list of maps: one of them",
     AWS,
     "    sel:\n        - eventName: StopLogging\n        - eventSource: guardduty.amazonaws.com\n"
     "          eventName|startswith: Delete\n    condition: sel\n",
     {{{"eventName", "StopLogging"}},
      {{"eventSource", "guardduty.amazonaws.com", "eventName", "DeleteDetector"}}},
     {{{"eventSource", "guardduty.amazonaws.com", "eventName", "CreateDetector"}},
      {{"eventSource", "iam.amazonaws.com", "eventName", "DeleteUser"}}}},
    {"wildcards * and ?",
     AWS,
     "    sel:\n        eventName: 'Put*Polic?'\n        awsRegion: 'us-\?\?\?-1'\n"
     "    condition: sel\n",
     {{{"eventName", "PutBucketPolicy", "awsRegion", "us-gov-1"}},
      {{"eventName", "PutPolicy", "awsRegion", "us-gov-1"}}},
     {{{"eventName", "PutBucketPolicies", "awsRegion", "us-gov-1"}},
      {{"eventName", "PutBucketPolicy", "awsRegion", "us-east-1"}},
      {{"eventName", "GetBucketPolicy", "awsRegion", "us-gov-1"}}}},
    {"? is one character, not one byte",
     AWS,
     "    sel:\n        requestParameters.userName: 'j?rg'\n    condition: sel\n",
     {{{"requestParameters", "{\"userName\":\"j\xc3\xb6rg\"}"}},
      {{"requestParameters", "{\"userName\":\"jorg\"}"}}},
     {{{"requestParameters", "{\"userName\":\"jrg\"}"}}}},
    {"escaped wildcards and backslashes",
     AWS,
     "    sel:\n        requestParameters.policyName: 'a\\*b\\?c'\n"
     "        requestParameters.path: 'C:\\Temp\\\\*'\n    condition: sel\n",
     {{{"requestParameters", "{\"policyName\":\"a*b?c\",\"path\":\"C:\\\\Temp\\\\x.exe\"}"}}},
     {{{"requestParameters", "{\"policyName\":\"axbyc\",\"path\":\"C:\\\\Temp\\\\x.exe\"}"}},
      {{"requestParameters", "{\"policyName\":\"a*b?c\",\"path\":\"C:\\\\Tmp\\\\x.exe\"}"}}}},
    {"cased",
     AWS,
     "    sel:\n        eventName|cased: CreateUser\n    condition: sel\n",
     {{{"eventName", "CreateUser"}}},
     {{{"eventName", "createuser"}}}},
    {"re: unanchored, case-sensitive",
     AWS,
     "    sel:\n        userAgent|re: 'aws-cli/2\\.[0-9]+\\.'\n    condition: sel\n",
     {{{"userAgent", "aws-cli/2.13.5 Python/3.11"}}, {{"userAgent", "x aws-cli/2.0."}}},
     {{{"userAgent", "aws-cli/1.29.5"}}, {{"userAgent", "AWS-CLI/2.13.5"}}}},
    {"re|i",
     AWS,
     "    sel:\n        userAgent|re|i: '^BOTO3/1\\.'\n    condition: sel\n",
     {{{"userAgent", "Boto3/1.28.0"}}},
     {{{"userAgent", "x Boto3/1.28.0"}}}},
    {"re|m and re|s",
     AWS,
     "    sel:\n        errorMessage|re|m: '^denied$'\n        errorMessage|re|s: 'a.b'\n"
     "    condition: sel\n",
     {{{"errorMessage", "a\nb\ndenied\nc"}}},
     {{{"errorMessage", "a\nb denied"}}, {{"errorMessage", "ab\ndenied"}}}},
    {"cidr, IPv4 and IPv6",
     AWS,
     "    sel:\n        sourceIPAddress|cidr:\n            - 198.51.100.0/24\n"
     "            - '2001:db8::/32'\n    condition: sel\n",
     {{{"sourceIPAddress", "198.51.100.7"}}, {{"sourceIPAddress", "2001:db8::1"}}},
     {{{"sourceIPAddress", "198.51.101.7"}},
      {{"sourceIPAddress", "2001:db9::1"}},
      {{"sourceIPAddress", "ec2.amazonaws.com"}}}},
    {"base64|startswith (encoded text compares exactly)",
     AWS,
     "    sel:\n        requestParameters.userData|base64|startswith: '#!/bin/sh'\n"
     "    condition: sel\n",
     {{{"requestParameters", SH_CURL}}, {{"requestParameters", SH_WGET1}}},
     {{{"requestParameters", BASH_WGET}}}},
    {"base64offset|contains: the three shifts",
     AWS,
     "    sel:\n        requestParameters.userData|base64offset|contains: wget\n"
     "    condition: sel\n",
     {{{"requestParameters", SH_WGET1}},
      {{"requestParameters", SH_WGET2}},
      {{"requestParameters", BASH_WGET}}},
     {{{"requestParameters", SH_CURL}}, {{"requestParameters", SH_WGOT}}}},
    {"exists: true",
     AWS,
     "    sel:\n        errorCode|exists: true\n    condition: sel\n",
     {{{"errorCode", "AccessDenied"}}, {{"errorCode", ""}}},
     {{{"eventName", "CreateUser"}}}},
    {"exists: false, below a JSON column",
     AWS,
     "    sel:\n        requestParameters.policyArn|exists: false\n    condition: sel\n",
     {{{"requestParameters", "{\"userName\":\"bob\"}"}}, {{"eventName", "x"}}},
     {{{"requestParameters", "{\"policyArn\":null}"}},
      {{"requestParameters", "{\"policyArn\":\"arn:aws:iam::aws:policy/Admin\"}"}}}},
    {"null: absent or JSON null",
     AWS,
     "    sel:\n        eventName: CreateUser\n    nokey:\n        errorCode: null\n"
     "        requestParameters.tags: null\n    condition: sel and nokey\n",
     {{{"eventName", "CreateUser"}},
      {{"eventName", "CreateUser", "requestParameters", "{\"tags\":null}"}}},
     {{{"eventName", "CreateUser", "errorCode", "AccessDenied"}},
      {{"eventName", "CreateUser", "requestParameters", "{\"tags\":[]}"}}}},
    {"empty value",
     AWS,
     "    sel:\n        errorMessage: ''\n    condition: sel\n",
     {{{"errorMessage", ""}}},
     {{{"errorMessage", " "}}, {{"eventName", "x"}}}},
    {"lt, lte, gt, gte on numbers",
     AWS,
     "    lt:\n        requestParameters.durationSeconds|lt: 900\n"
     "    lte:\n        requestParameters.durationSeconds|lte: 900\n"
     "    gt:\n        requestParameters.maxSessionDuration|gt: 43199\n"
     "    gte:\n        requestParameters.maxSessionDuration|gte: '43200'\n"
     "    condition: (lt and not lte) or (lte and not lt) or (gt and gte)\n",
     {{{"requestParameters", "{\"durationSeconds\":900}"}},
      {{"requestParameters", "{\"maxSessionDuration\":43200}"}},
      {{"requestParameters", "{\"maxSessionDuration\":\"43200.5\"}"}}},
     {{{"requestParameters", "{\"durationSeconds\":899}"}},
      {{"requestParameters", "{\"durationSeconds\":901}"}},
      {{"requestParameters", "{\"maxSessionDuration\":43199.5}"}},
      {{"requestParameters", "{\"maxSessionDuration\":\"long\"}"}}}},
    {"numbers and booleans as text",
     AWS,
     "    sel:\n        readOnly: false\n        requestParameters.port: 22\n"
     "        requestParameters.enabled: true\n    condition: sel\n",
     {{{"readOnly", "0", "requestParameters", "{\"port\":22,\"enabled\":true}"}},
      {{"readOnly", "0", "requestParameters", "{\"port\":\"22\",\"enabled\":\"True\"}"}}},
     {{{"readOnly", "1", "requestParameters", "{\"port\":22,\"enabled\":true}"}},
      {{"readOnly", "0", "requestParameters", "{\"port\":220,\"enabled\":true}"}}}},
    {"nested paths and arrays: any element",
     AWS,
     "    sel:\n        resources.ARN|endswith: ':trail/audit'\n"
     "        requestParameters.ipPermissions.items.ipRanges.items.cidrIp: 0.0.0.0/0\n"
     "    condition: sel\n",
     {{{"resources",
        "[{\"ARN\":\"arn:aws:s3:::b\"},{\"ARN\":\"arn:aws:cloudtrail:us-east-1:1:"
        "trail/audit\"}]",
        "requestParameters",
        "{\"ipPermissions\":{\"items\":[{\"ipRanges\":{\"items\":[{\"cidrIp\":\"10.0.0.0/8\"}]}},"
        "{\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}}"}}},
     {{{"resources", "[{\"ARN\":\"arn:aws:s3:::b\"}]", "requestParameters",
        "{\"ipPermissions\":{\"items\":[{\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/"
        "0\"}]}}]}}"}},
      {{"resources", "[{\"ARN\":\"arn:aws:cloudtrail:us-east-1:1:trail/audit\"}]",
        "requestParameters", "not json"}}}},
    {"userIdentity fields the run derives, and below them",
     AWS,
     "    sel:\n        userIdentity.type: AssumedRole\n"
     "        userIdentity.sessionContext.sessionIssuer.userName: web\n"
     "        userIdentity.sessionContext.attributes.mfaAuthenticated: 'false'\n"
     "        userIdentity.accessKeyId|startswith: ASIA\n    condition: sel\n",
     {{{"userIdentity", UID_ROLE}}},
     {{{"userIdentity", UID_ALICE}}}},
    {"whole JSON column: its text",
     AWS,
     "    sel:\n        requestParameters|contains: '\"roleName\":\"admin'\n    condition: sel\n",
     {{{"requestParameters", "{\"roleName\":\"admin-break-glass\"}"}}},
     {{{"requestParameters", "{\"roleName\":\"reader\"}"}}}},
    {"kubernetes: JSON fields, arrays and codes",
     K8S,
     "    sel:\n        verb: create\n        objectRef.resource: pods\n"
     "        objectRef.subresource: exec\n        user.groups: system:masters\n"
     "        sourceIPs|cidr: 203.0.113.0/24\n        responseStatus.code|lt: 300\n"
     "    condition: sel\n",
     {{{"verb", "create", "objectRef", "{\"resource\":\"pods\",\"subresource\":\"exec\"}", "user",
        "{\"username\":\"eve\",\"groups\":[\"devs\",\"system:masters\"]}", "sourceIPs",
        "[\"10.0.0.5\",\"203.0.113.9\"]", "responseStatus", "{\"code\":101}"}}},
     {{{"verb", "create", "objectRef", "{\"resource\":\"pods\",\"subresource\":\"exec\"}", "user",
        "{\"username\":\"eve\",\"groups\":[\"devs\"]}", "sourceIPs", "[\"203.0.113.9\"]",
        "responseStatus", "{\"code\":101}"}},
      {{"verb", "create", "objectRef", "{\"resource\":\"pods\",\"subresource\":\"exec\"}", "user",
        "{\"username\":\"eve\",\"groups\":[\"system:masters\"]}", "sourceIPs", "[\"203.0.113.9\"]",
        "responseStatus", "{\"code\":403}"}},
      {{"verb", "create", "objectRef", "{\"resource\":\"pods\"}", "user",
        "{\"groups\":[\"system:masters\"]}", "sourceIPs", "[\"203.0.113.9\"]", "responseStatus",
        "{\"code\":201}"}}}},
    {"kubernetes: requestObject paths",
     K8S,
     "    sel:\n        objectRef.resource: pods\n"
     "        requestObject.spec.containers.securityContext.privileged: true\n"
     "    condition: sel\n",
     {{{"objectRef", "{\"resource\":\"pods\"}", "requestObject",
        "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\",\"securityContext\":"
        "{\"privileged\":true}}]}}"}}},
     {{{"objectRef", "{\"resource\":\"pods\"}", "requestObject",
        "{\"spec\":{\"containers\":[{\"securityContext\":{\"privileged\":false}}]}}"}}}},
};

static void run_mcase(const struct mcase *c)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml,
             "title: '%s'\nlogsource:\n    product: %s\n    service: %s\n"
             "detection:\n%s",
             c->name, c->src == AWS ? "aws" : "kubernetes", c->src == AWS ? "cloudtrail" : "audit",
             c->det);
    struct warns w = {0};
    struct rp_det_sigma_set *set = load(yaml, &w);
    if (w.n) fail_msg("case '%s': %s", c->name, w.line[0]);
    assert_int_equal(rp_det_sigma_count(set), 1);
    struct rp_det_event ev;
    struct hits h;
    for (size_t i = 0; i < RP_ARRAY_LEN(c->yes) && c->yes[i].kv[0]; i++) {
        build(&ev, c->src, &c->yes[i]);
        if (strcmp(hits(set, &ev, &h), "0"))
            fail_msg("case '%s': event %zu should match", c->name, i);
    }
    for (size_t i = 0; i < RP_ARRAY_LEN(c->no) && c->no[i].kv[0]; i++) {
        build(&ev, c->src, &c->no[i]);
        if (strcmp(hits(set, &ev, &h), ""))
            fail_msg("case '%s': event %zu should not match", c->name, i);
    }
    rp_det_sigma_set_free(set);
}

static void test_sigma_modifiers_and_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < RP_ARRAY_LEN(mcases); i++) run_mcase(&mcases[i]);
}

/* ---- conditions -------------------------------------------------------------------------- */

/* Selections a..d each test one eventName; events name some of them ("a b" sets fields so that
 * exactly a and b hold). */
static const struct {
    const char *cond;
    const char *yes[4];
    const char *no[4];
} ccases[] = {
    {"a and b", {"a b", "a b c"}, {"a", "b", ""}},
    {"a or b", {"a", "b", "a b"}, {"c", ""}},
    {"not a", {"", "b"}, {"a", "a b"}},
    {"a and not b", {"a", "a c"}, {"a b", "b"}},
    {"a or b and c", {"a", "b c"}, {"b", "c"}},
    {"(a or b) and c", {"a c", "b c"}, {"a", "b", "c"}},
    {"not (a or b)", {"", "c"}, {"a", "b"}},
    {"not not a", {"a"}, {""}},
    {"1 of sel_*", {"b", "c"}, {"a", "d"}},
    {"all of sel_*", {"b c"}, {"b", "c", "a d"}},
    {"1 of them", {"a", "c"}, {"", "d"}},
    {"all of them", {"a b c"}, {"a b", "b c"}},
    {"a and not 1 of sel_*", {"a"}, {"a b", "a c"}},
    {"1 of sel_* and not all of sel_*", {"b", "c"}, {"b c", ""}},
    {"A AND (B Or c) and NOT d", {"a b", "a c"}, {"a", "a b d"}},
    {"all of sel_b", {"b"}, {"c"}},
};

static const char *cond_rule(char *yaml, size_t n, const char *cond)
{
    snprintf(yaml, n,
             "title: conditions\nlogsource:\n    product: aws\n    service: cloudtrail\n"
             "detection:\n"
             "    a:\n        requestParameters.a: 1\n"
             "    sel_b:\n        requestParameters.b: 1\n"
             "    sel_c:\n        requestParameters.c: 1\n"
             "    _d:\n        requestParameters.d: 1\n"
             "    condition: '%s'\n",
             cond);
    return yaml;
}

static void cond_event(struct rp_det_event *ev, const char *which, char *json, size_t n)
{
    size_t k = snprintf(json, n, "{\"x\":0");
    for (const char *p = which; *p; p++)
        if (*p >= 'a' && *p <= 'd') k += snprintf(json + k, n - k, ",\"%c\":1", *p);
    snprintf(json + k, n - k, "}");
    struct evs e = {{"requestParameters", json}};
    build(ev, AWS, &e);
}

static void test_sigma_conditions(void **state)
{
    (void)state;
    char yaml[1024], json[128], cond[128];
    for (size_t i = 0; i < RP_ARRAY_LEN(ccases); i++) {
        /* 'a', 'b' .. in the table stand for the selections a, sel_b, sel_c, _d */
        size_t k = 0;
        for (const char *p = ccases[i].cond; *p && k + 8 < sizeof cond; p++) {
            bool word_start = p == ccases[i].cond || p[-1] == ' ' || p[-1] == '(';
            bool word_end = p[1] == 0 || p[1] == ' ' || p[1] == ')';
            char c = *p;
            if (word_start && word_end && (c == 'b' || c == 'c' || c == 'B'))
                k += snprintf(cond + k, sizeof cond - k, "sel_%c", c == 'B' ? 'b' : c);
            else if (word_start && word_end && c == 'd')
                k += snprintf(cond + k, sizeof cond - k, "_d");
            else if (word_start && word_end && c == 'A')
                k += snprintf(cond + k, sizeof cond - k, "a");
            else
                cond[k++] = c;
        }
        cond[k] = 0;
        struct warns w = {0};
        struct rp_det_sigma_set *set = load(cond_rule(yaml, sizeof yaml, cond), &w);
        if (w.n) fail_msg("condition '%s': %s", cond, w.line[0]);
        struct rp_det_event ev;
        struct hits h;
        for (size_t j = 0; j < 4 && ccases[i].yes[j]; j++) {
            cond_event(&ev, ccases[i].yes[j], json, sizeof json);
            if (strcmp(hits(set, &ev, &h), "0"))
                fail_msg("condition '%s': '%s' should match", cond, ccases[i].yes[j]);
        }
        for (size_t j = 0; j < 4 && ccases[i].no[j]; j++) {
            cond_event(&ev, ccases[i].no[j], json, sizeof json);
            if (strcmp(hits(set, &ev, &h), ""))
                fail_msg("condition '%s': '%s' should not match", cond, ccases[i].no[j]);
        }
        rp_det_sigma_set_free(set);
    }
}

/* A list of conditions: any of them. */
static void test_sigma_condition_list(void **state)
{
    (void)state;
    struct warns w = {0};
    struct rp_det_sigma_set *set =
        load("title: list\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n"
             "    a:\n        eventName: A\n    b:\n        eventName: B\n"
             "    condition:\n        - a\n        - b\n",
             &w);
    assert_int_equal(w.n, 0);
    struct rp_det_event ev;
    struct hits h;
    build(&ev, AWS, &(struct evs){{"eventName", "B"}});
    assert_string_equal(hits(set, &ev, &h), "0");
    build(&ev, AWS, &(struct evs){{"eventName", "C"}});
    assert_string_equal(hits(set, &ev, &h), "");
    rp_det_sigma_set_free(set);
}

/* ---- many rules, one parse per JSON column ----------------------------------------------- */

static void test_sigma_json_parsed_once_per_event(void **state)
{
    (void)state;
    char yaml[64 * 1024];
    size_t k = 0;
    for (int i = 0; i < 100; i++)
        k += snprintf(yaml + k, sizeof yaml - k,
                      "%stitle: rule %d\nlogsource:\n    product: aws\n    service: cloudtrail\n"
                      "detection:\n    sel:\n        requestParameters.n: %d\n"
                      "        responseElements.ok|exists: true\n    condition: sel\n",
                      i ? "---\n" : "", i, i % 10);
    struct warns w = {0};
    struct rp_det_sigma_set *set = load(yaml, &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(rp_det_sigma_count(set), 100);
    struct rp_det_event ev;
    struct hits h;
    build(&ev, AWS,
          &(struct evs){{"requestParameters", "{\"n\":3}", "responseElements", "{\"ok\":1}"}});
    uint64_t before = set->parses;
    assert_string_equal(hits(set, &ev, &h), "3,13,23,33,43,53,63,73,83,93");
    assert_int_equal(set->parses - before, 2);
    assert_string_equal(hits(set, &ev, &h), "3,13,23,33,43,53,63,73,83,93");
    assert_int_equal(set->parses - before, 2); /* same event: cached */
    build(&ev, AWS,
          &(struct evs){{"requestParameters", "{\"n\":3}", "responseElements", "{\"ok\":1}"}});
    assert_string_equal(hits(set, &ev, &h), "3,13,23,33,43,53,63,73,83,93");
    assert_int_equal(set->parses - before, 4); /* the next event */
    rp_det_sigma_set_free(set);
}

/* The exact-match index: rules requiring eventName (or another plain column) to be one of some
 * values are only tried on such events; the results are those of trying every rule. */
static void test_sigma_index(void **state)
{
    (void)state;
    static const char *const dets[] = {
        /* 0 */ "    s:\n        eventName: [CreateUser, DeleteUser]\n    condition: s\n",
        /* 1 */
        "    a:\n        eventName: CreateUser\n    b:\n        eventName: PutRolePolicy\n"
        "    condition: a or b\n",
        /* 2 */
        "    a:\n        eventName: CreateUser\n    c:\n        eventSource: sts.amazonaws.com\n"
        "    condition: a or c\n",
        /* 3 */ "    a:\n        eventName: CreateUser\n    condition: not a\n",
        /* 4 */ "    s:\n        eventName|cased: CreateUser\n    condition: s\n",
        /* 5 */
        "    s:\n        - eventName: CreateUser\n          userAgent|contains: cli\n"
        "        - eventName: GetCallerIdentity\n    f:\n        errorCode|exists: true\n"
        "    condition: s and not f\n",
        /* 6 */
        "    s:\n        eventSource: iam.amazonaws.com\n        eventName|startswith: Create\n"
        "    condition: s\n",
        /* 7 */ "    s:\n        eventName: 'Create*'\n    condition: s\n",
    };
    char yaml[8192];
    size_t k = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(dets); i++)
        k += (size_t)snprintf(
            yaml + k, sizeof yaml - k,
            "%stitle: r%zu\nlogsource:\n    product: aws\n    service: cloudtrail\n"
            "detection:\n%s",
            i ? "---\n" : "", i, dets[i]);
    struct warns w = {0};
    struct rp_det_sigma_set *set = load(yaml, &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(rp_det_sigma_count(set), RP_ARRAY_LEN(dets));
    /* covered: 0, 1 (both branches on eventName), 5 (both maps), 6 (eventSource) */
    static const unsigned char always[] = {0, 0, 1, 1, 1, 0, 0, 1};
    assert_memory_equal(set->always, always, sizeof always);
    static const struct {
        struct evs e;
        const char *hits;
    } evs[] = {
        {{{"eventName", "CreateUser", "eventSource", "iam.amazonaws.com", "userAgent",
           "aws-cli/2"}},
         "0,1,2,4,5,6,7"},
        {{{"eventName", "createuser", "eventSource", "iam.amazonaws.com"}}, "0,1,2,6,7"},
        {{{"eventName", "DELETEUSER"}}, "0,3"},
        {{{"eventName", "PutRolePolicy"}}, "1,3"},
        {{{"eventName", "GetCallerIdentity", "eventSource", "sts.amazonaws.com"}}, "2,3,5"},
        {{{"eventName", "GetCallerIdentity", "errorCode", "AccessDenied"}}, "3"},
        {{{"eventSource", "iam.amazonaws.com"}}, "3"},
        {{{"eventName", "CreateUserX", "eventSource", "IAM.amazonaws.com"}}, "3,6,7"},
    };
    struct rp_det_event ev;
    struct hits h;
    for (size_t i = 0; i < RP_ARRAY_LEN(evs); i++) {
        build(&ev, AWS, &evs[i].e);
        if (strcmp(hits(set, &ev, &h), evs[i].hits))
            fail_msg("event %zu: rules %s, want %s", i, h.buf, evs[i].hits);
    }
    rp_det_sigma_set_free(set);
}

/* ---- findings ---------------------------------------------------------------------------- */

static void test_sigma_cloudtrail_finding(void **state)
{
    (void)state;
    struct warns w = {0};
    struct rp_det_sigma_set *set = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_sigma_set_new(&set), RP_OK);
    assert_int_equal(
        rp_det_sigma_load_path(set, RP_FIXTURES_DIR "/sigma/rules/aws_root_console_login.yml",
                               on_warn, &w, &eb),
        RP_OK);
    assert_int_equal(w.n, 0);
    assert_int_equal(rp_det_sigma_count(set), 1);

    struct rp_det_sigma_rule r;
    assert_int_equal(rp_det_sigma_rule_at(set, 0, &r), RP_OK);
    assert_string_equal(r.id, "6a1f0f36-5c1d-4d3e-9b51-0c1f7e2b9a01");
    assert_string_equal(r.title, "Root Account Console Login");
    assert_string_equal(r.level, "high");
    assert_int_equal(r.ntags, 2);
    assert_string_equal(r.tags[1], "attack.t1078.004");
    assert_int_equal(r.source, RP_DET_SRC_CLOUDTRAIL);
    assert_string_equal(r.type->type, "Sigma:IAMUser/6a1f0f36-5c1d-4d3e-9b51-0c1f7e2b9a01");
    assert_true(r.type->severity == 8.0);
    assert_string_equal(r.type->title, "Root Account Console Login");
    assert_string_equal(r.type->description,
                        "A sign-in to the AWS console with the root user's credentials.");
    assert_ptr_equal(rp_det_sigma_type_find(set, r.type->type), r.type);
    assert_int_equal(rp_det_sigma_rule_at(set, 1, &r), RP_ENOENT);

    static const char *const root_uid =
        "{\"type\":\"Root\",\"principalId\":\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:"
        "root\",\"accountId\":\"111122223333\"}";
    struct rp_det_event ok, failed;
    build(&ok, AWS, &(struct evs){{"eventSource",        "signin.amazonaws.com",
                                   "eventName",          "ConsoleLogin",
                                   "userIdentity",       root_uid,
                                   "responseElements",   "{\"ConsoleLogin\":\"Success\"}",
                                   "sourceIPAddress",    "198.51.100.7",
                                   "rp_src_ip",          "198.51.100.7",
                                   "userAgent",          "Mozilla/5.0",
                                   "awsRegion",          "us-east-1",
                                   "recipientAccountId", "111122223333",
                                   "rp_principal",       "arn:aws:iam::111122223333:root"}});
    build(&failed, AWS,
          &(struct evs){{"eventSource", "signin.amazonaws.com", "eventName", "ConsoleLogin",
                         "userIdentity", root_uid, "responseElements",
                         "{\"ConsoleLogin\":\"Failure\"}", "awsRegion", "us-east-1",
                         "recipientAccountId", "111122223333", "rp_principal",
                         "arn:aws:iam::111122223333:root"}});

    struct rp_det_finding f;
    assert_int_equal(rp_det_sigma_finding(set, 0, &ok, &f, &eb), RP_OK);
    assert_string_equal(f.type, "Sigma:IAMUser/6a1f0f36-5c1d-4d3e-9b51-0c1f7e2b9a01");
    assert_true(f.severity == 8.0);
    assert_string_equal(f.account, "111122223333");
    assert_string_equal(f.region, "us-east-1");
    assert_int_equal(f.res, RP_DET_RES_ACCESS_KEY);
    assert_string_equal(f.resource_id, "arn:aws:iam::111122223333:root");
    assert_int_equal(f.action, RP_DET_ACT_AWS_API_CALL);
    assert_string_equal(f.api, "ConsoleLogin");
    assert_string_equal(f.service_name, "signin.amazonaws.com");
    assert_string_equal(f.remote_ip, "198.51.100.7");
    assert_string_equal(
        f.additional_json,
        "{\"sigma\":{\"id\":\"6a1f0f36-5c1d-4d3e-9b51-0c1f7e2b9a01\",\"title\":\"Root Account "
        "Console Login\",\"level\":\"high\",\"status\":\"test\",\"tags\":[\"attack.privilege_"
        "escalation\",\"attack.t1078.004\"],\"references\":[\"https://docs.aws.amazon.com/IAM/"
        "latest/UserGuide/id_root-user.html\"],\"author\":\"Rampart "
        "tests\",\"file\":\"" RP_FIXTURES_DIR "/sigma/rules/aws_root_console_login.yml\"}}");

    /* through the context: two matches fold into one finding, the failure raises nothing */
    struct rp_det_ctx *c = NULL;
    assert_int_equal(rp_det_ctx_new(NULL, NULL, NULL, &c, &eb), RP_OK);
    assert_int_equal(rp_det_sigma_event(c, set, &ok, &eb), RP_OK);
    assert_int_equal(rp_det_sigma_event(c, set, &failed, &eb), RP_OK);
    ok.time_ms = T0 + 60000;
    ok.seq = ++seq;
    assert_int_equal(rp_det_sigma_event(c, set, &ok, &eb), RP_OK);
    assert_int_equal(rp_det_ctx_nfindings(c), 1);
    const struct rp_det_folded *ff = rp_det_ctx_finding(c, 0);
    assert_string_equal(ff->f.type, "Sigma:IAMUser/6a1f0f36-5c1d-4d3e-9b51-0c1f7e2b9a01");
    assert_string_equal(ff->f.resource_id, "arn:aws:iam::111122223333:root");
    assert_int_equal(ff->f.count, 2);
    assert_int_equal(ff->f.first_ms, T0);
    assert_int_equal(ff->f.last_ms, T0 + 60000);
    assert_ptr_equal(ff->type, r.type);
    rp_det_ctx_free(c);
    rp_det_sigma_set_free(set);
}

static void test_sigma_kubernetes_finding(void **state)
{
    (void)state;
    struct warns w = {0};
    struct rp_det_sigma_set *set = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_sigma_set_new(&set), RP_OK);
    assert_int_equal(
        rp_det_sigma_load_path(set, RP_FIXTURES_DIR "/sigma/rules/k8s", on_warn, &w, &eb), RP_OK);
    assert_int_equal(w.n, 0);
    assert_int_equal(rp_det_sigma_count(set), 1);

    struct evs read = {
        {"verb",         "get",
         "objectRef",    "{\"resource\":\"secrets\",\"namespace\":\"payments\",\"name\":\"db\"}",
         "rp_resource",  "secrets",
         "rp_namespace", "payments",
         "rp_name",      "db",
         "user",         "{\"username\":\"eve\",\"groups\":[\"devs\"]}",
         "rp_user",      "eve",
         "rp_cluster",   "prod-eks",
         "rp_account",   "111122223333",
         "rp_region",    "eu-west-1",
         "rp_src_ip",    "10.0.3.7",
         "requestURI",   "/api/v1/namespaces/payments/secrets/db"}};
    struct evs system = {{"verb", "list", "objectRef",
                          "{\"resource\":\"secrets\",\"namespace\":\"payments\"}", "user",
                          "{\"username\":\"system:serviceaccount:payments:app\"}", "rp_cluster",
                          "prod-eks"}};
    struct evs kube = {{"verb", "get", "objectRef",
                        "{\"resource\":\"secrets\",\"namespace\":\"kube-system\"}", "user",
                        "{\"username\":\"eve\"}", "rp_cluster", "prod-eks"}};
    struct evs pods = {{"verb", "get", "objectRef",
                        "{\"resource\":\"pods\",\"namespace\":\"payments\"}", "user",
                        "{\"username\":\"eve\"}", "rp_cluster", "prod-eks"}};
    struct rp_det_event ev;
    struct hits h;
    build(&ev, K8S, &system);
    assert_string_equal(hits(set, &ev, &h), "");
    build(&ev, K8S, &kube);
    assert_string_equal(hits(set, &ev, &h), "");
    build(&ev, K8S, &pods);
    assert_string_equal(hits(set, &ev, &h), "");
    build(&ev, K8S, &read);
    assert_string_equal(hits(set, &ev, &h), "0");

    struct rp_det_finding f;
    assert_int_equal(rp_det_sigma_finding(set, 0, &ev, &f, &eb), RP_OK);
    assert_string_equal(f.type, "Sigma:Kubernetes/0d5c3c1e-7f4a-4b8e-8c2d-5e6f7a8b9c02");
    assert_true(f.severity == 5.0);
    assert_int_equal(f.res, RP_DET_RES_EKS_CLUSTER);
    assert_string_equal(f.resource_id, "prod-eks");
    assert_string_equal(f.account, "111122223333");
    assert_string_equal(f.region, "eu-west-1");
    assert_int_equal(f.action, RP_DET_ACT_KUBERNETES_API_CALL);
    assert_string_equal(f.verb, "get");
    assert_string_equal(f.k8s_user, "eve");
    assert_string_equal(f.k8s_groups, "[\"devs\"]");
    assert_string_equal(f.remote_ip, "10.0.3.7");
    assert_string_equal(f.request_uri, "/api/v1/namespaces/payments/secrets/db");
    assert_null(f.workload_type); /* a secret is no workload */
    assert_string_equal(f.additional_json,
                        "{\"sigma\":{\"id\":\"0d5c3c1e-7f4a-4b8e-8c2d-5e6f7a8b9c02\",\"title\":"
                        "\"Secrets Read Outside kube-system\",\"level\":\"medium\",\"status\":"
                        "\"experimental\",\"tags\":[],\"file\":\"" RP_FIXTURES_DIR
                        "/sigma/rules/k8s/k8s_secret_read.yaml\"}}");

    struct rp_det_ctx *c = NULL;
    assert_int_equal(rp_det_ctx_new(NULL, NULL, NULL, &c, &eb), RP_OK);
    assert_int_equal(rp_det_sigma_event(c, set, &ev, &eb), RP_OK);
    assert_int_equal(rp_det_ctx_nfindings(c), 1);
    assert_string_equal(rp_det_ctx_finding(c, 0)->f.type,
                        "Sigma:Kubernetes/0d5c3c1e-7f4a-4b8e-8c2d-5e6f7a8b9c02");
    rp_det_ctx_free(c);
    rp_det_sigma_set_free(set);
}

/* Severity from level; the type key from the title when there is no id. */
static void test_sigma_levels_and_keys(void **state)
{
    (void)state;
    static const struct {
        const char *level;
        double sev;
    } lv[] = {{"informational", 1}, {"low", 2},      {"medium", 5},
              {"high", 8},          {"critical", 9}, {NULL, 5}};
    for (size_t i = 0; i < RP_ARRAY_LEN(lv); i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "title: 'Odd: title / with 100%% spaces'\n%s%s%slogsource:\n    product: AWS\n"
                 "    service: CloudTrail\ndetection:\n    s:\n        eventName: x\n"
                 "    condition: s\n",
                 lv[i].level ? "level: " : "", lv[i].level ? lv[i].level : "",
                 lv[i].level ? "\n" : "");
        struct warns w = {0};
        struct rp_det_sigma_set *set = load(yaml, &w);
        assert_int_equal(w.n, 0);
        struct rp_det_sigma_rule r;
        assert_int_equal(rp_det_sigma_rule_at(set, 0, &r), RP_OK);
        assert_true(r.type->severity == lv[i].sev);
        assert_string_equal(r.type->type, "Sigma:IAMUser/Odd_title_with_100_spaces");
        rp_det_sigma_set_free(set);
    }
}

/* ---- loading ----------------------------------------------------------------------------- */

/* The fixture directory: two rules load, each unsupported one gives exactly its line. */
static void test_sigma_directory(void **state)
{
    (void)state;
    struct warns w = {0};
    struct rp_det_sigma_set *set = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_sigma_set_new(&set), RP_OK);
    assert_int_equal(rp_det_sigma_load_path(set, RP_FIXTURES_DIR "/sigma/rules", on_warn, &w, &eb),
                     RP_OK);
    static const char *const want[] = {
        "sigma: <fx>/sigma/rules/bad_yaml.yml: yaml error at line 8 column 14: did not find "
        "expected ',' or ']'; skipped",
        "sigma: <fx>/sigma/rules/correlation_bruteforce.yml: skipped rule 'Console Brute Force' "
        "(1b2c3d4e-0000-4000-8000-000000000007): correlation rules ('event_count') are not "
        "supported",
        "sigma: <fx>/sigma/rules/unknown_field.yml: skipped rule 'Old TLS Version' "
        "(1b2c3d4e-0000-4000-8000-000000000009): field 'tlsDetails.tlsVersion' is not in the "
        "CloudTrail events Rampart keeps",
        "sigma: <fx>/sigma/rules/unsupported_aggregation.yml: skipped rule 'Many Failed Console "
        "Logins' (1b2c3d4e-0000-4000-8000-000000000006): aggregation in the condition ('| count() "
        "by sourceIPAddress > 10') is not supported",
        "sigma: <fx>/sigma/rules/unsupported_keywords.yml: skipped rule 'Keyword Search For "
        "Mimikatz' (1b2c3d4e-0000-4000-8000-000000000004): keyword search (search identifier "
        "'keywords' is a list of values) is not supported",
        "sigma: <fx>/sigma/rules/unsupported_windash.yml: skipped rule 'User Agent With Dashed "
        "Flag': modifier 'windash' is not supported",
        "sigma: <fx>/sigma/rules/unsupported_windows.yml: skipped rule 'Whoami Execution' "
        "(1b2c3d4e-0000-4000-8000-000000000003): logsource 'category: process_creation, "
        "product: windows' is not supported",
        "sigma: <fx>/sigma/rules/correlation_bruteforce.yml: skipped rule 'Failed Console Login' "
        "(1b2c3d4e-0000-4000-8000-000000000008): part of correlation rule 'Console Brute Force', "
        "which is not supported",
        "sigma: <fx>/sigma/rules/bad_regex.yml: skipped rule 'Broken Regular Expression' "
        "(1b2c3d4e-0000-4000-8000-00000000000a): regular expression 'aws-cli/(1\\.[0-9' does not "
        "compile: missing terminating ] for character class at offset 16",
    };
    if (w.n != RP_ARRAY_LEN(want))
        for (size_t i = 0; i < w.n; i++) printf("  warning: %s\n", w.line[i]);
    assert_int_equal(w.n, RP_ARRAY_LEN(want));
    for (size_t i = 0; i < RP_ARRAY_LEN(want); i++) assert_string_equal(w.line[i], want[i]);
    assert_int_equal(rp_det_sigma_count(set), 2);
    assert_int_equal(rp_det_sigma_skipped(set), RP_ARRAY_LEN(want));
    struct rp_det_sigma_rule r;
    assert_int_equal(rp_det_sigma_rule_at(set, 0, &r), RP_OK);
    assert_string_equal(r.title, "Root Account Console Login");
    assert_int_equal(rp_det_sigma_rule_at(set, 1, &r), RP_OK);
    assert_string_equal(r.title, "Secrets Read Outside kube-system");

    /* a missing path is an error; loading the same rules again only says they are there */
    assert_int_equal(rp_det_sigma_load_path(set, RP_FIXTURES_DIR "/sigma/nope", on_warn, &w, &eb),
                     RP_ENOENT);
    w.n = 0;
    assert_int_equal(
        rp_det_sigma_load_path(set, RP_FIXTURES_DIR "/sigma/rules/k8s", on_warn, &w, &eb), RP_OK);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.line[0],
                        "sigma: <fx>/sigma/rules/k8s/k8s_secret_read.yaml: skipped rule 'Secrets "
                        "Read Outside kube-system' (0d5c3c1e-7f4a-4b8e-8c2d-5e6f7a8b9c02): id "
                        "'0d5c3c1e-7f4a-4b8e-8c2d-5e6f7a8b9c02' is already used by rule 'Secrets "
                        "Read Outside kube-system' of <fx>/sigma/rules/k8s/k8s_secret_read.yaml");
    assert_int_equal(rp_det_sigma_count(set), 2);
    rp_det_sigma_set_free(set);
}

/* YAML errors name the file, the line and the column (in the file, also in a later document);
 * the other documents load. */
static void test_sigma_yaml_errors(void **state)
{
    (void)state;
    struct warns w = {0};
    struct rp_det_sigma_set *set =
        load("title: first\nlogsource:\n    product: aws\n    service: cloudtrail\n"
             "detection:\n    s:\n        eventName: A\n    condition: s\n"
             "---\n"
             "title: second\nlogsource:\n  product: aws\n   service: cloudtrail\n"
             "---\n"
             "title: 'third\n"
             "---\n"
             "- a list\n"
             "---\n"
             "title: fifth\nlogsource:\n    product: aws\n    service: cloudtrail\n"
             "detection:\n    s:\n        eventName: E\n    condition: s\n",
             &w);
    assert_int_equal(w.n, 3);
    assert_string_equal(w.line[0], "sigma: test.yml: yaml error at line 13 column 11: mapping "
                                   "values are not allowed in this context; skipped");
    assert_string_equal(w.line[1], "sigma: test.yml: yaml error at line 16 column 1: found "
                                   "unexpected end of stream; skipped");
    assert_string_equal(w.line[2], "sigma: test.yml: skipped document at line 17: not a mapping, "
                                   "so not a Sigma rule");
    assert_int_equal(rp_det_sigma_count(set), 2);
    rp_det_sigma_set_free(set);
}

/* Unsupported and malformed rules: exactly one line each, naming the rule and the feature. */
static const struct {
    const char *rule; /* after "title: t\nid: r1\n" */
    const char *why;
} ucases[] = {
#define LS_AWS "logsource:\n    product: aws\n    service: cloudtrail\n"
#define DET    "detection:\n    s:\n        "
    {LS_AWS DET "eventName|utf16le: x\n    condition: s\n", "modifier 'utf16le' is not supported"},
    {LS_AWS DET "eventName|expand: '%admins%'\n    condition: s\n",
     "modifier 'expand' is not supported"},
    {LS_AWS DET "eventName|fieldref: eventSource\n    condition: s\n",
     "modifier 'fieldref' is not supported"},
    {LS_AWS DET "eventName|neq: x\n    condition: s\n", "modifier 'neq' is not supported"},
    {LS_AWS DET "eventTime|hour: 3\n    condition: s\n", "modifier 'hour' is not supported"},
    {LS_AWS DET "eventName|sortof: x\n    condition: s\n", "unknown modifier 'sortof'"},
    {LS_AWS DET "'|all':\n            - a\n            - b\n    condition: s\n",
     "keyword search ('|all' without a field name) is not supported"},
    {LS_AWS "detection:\n    s: evil\n    condition: s\n",
     "keyword search (search identifier 's' is a plain value) is not supported"},
    {LS_AWS DET "eventName: x\n    condition: s | count() > 5\n",
     "aggregation in the condition ('| count() > 5') is not supported"},
    {LS_AWS DET "eventName: x\n    t:\n        eventName: y\n    condition: s near t\n",
     "'near' in the condition is not supported"},
    {LS_AWS DET "eventName: x\n    condition: 2 of s*\n",
     "'2 of' in the condition is not supported (only '1 of' and 'all of')"},
    {LS_AWS DET "eventName: x\n    timeframe: 5m\n    condition: s\n",
     "'timeframe' (an aggregation window) is not supported"},
    {LS_AWS DET "eventName: x\n    condition: s and t\n",
     "condition: unknown search identifier 't'"},
    {LS_AWS DET "eventName: x\n    condition: 1 of x*\n",
     "condition: '1 of x*' matches no search identifier"},
    {LS_AWS DET "eventName: x\n    condition: (s\n", "condition: missing ')'"},
    {LS_AWS DET "eventName: x\n    condition: s s\n", "condition: unexpected 's'"},
    {LS_AWS DET "eventName: x\n    condition: ''\n", "empty condition"},
    {LS_AWS DET "eventName: x\n", "'detection' has no 'condition'"},
    {LS_AWS DET "eventName:\n            - x\n            - null\n    condition: s\n",
     "field 'eventName': null cannot be one of several values or take modifiers"},
    {LS_AWS DET "eventName|contains: null\n    condition: s\n",
     "field 'eventName': null takes no modifier"},
    {LS_AWS DET "eventName|exists: yes please\n    condition: s\n",
     "field 'eventName': 'exists' takes true or false"},
    {LS_AWS DET "sourceIPAddress|cidr: 10.0.0.300/8\n    condition: s\n",
     "field 'sourceIPAddress': '10.0.0.300/8' is not a CIDR range"},
    {LS_AWS DET "eventName|gt: many\n    condition: s\n",
     "field 'eventName': a comparison needs a number"},
    {LS_AWS DET "eventName|re|contains: x\n    condition: s\n",
     "field 'eventName': modifier 're' cannot be combined with 'contains'"},
    {LS_AWS DET "eventName|contains|startswith: x\n    condition: s\n",
     "field 'eventName': modifiers 'contains', 'startswith' and 'endswith' exclude each other"},
    {LS_AWS DET "eventName|i: x\n    condition: s\n",
     "field 'eventName': modifiers 'i', 'm' and 's' need 're'"},
    {LS_AWS DET "eventName|base64offset: x\n    condition: s\n",
     "field 'eventName': modifier 'base64offset' needs 'contains'"},
    {LS_AWS DET "eventName|base64|contains: 'a*b'\n    condition: s\n",
     "field 'eventName': wildcards in a base64 value are not supported"},
    {LS_AWS DET "eventName:\n            x: 1\n    condition: s\n",
     "field 'eventName': a value must be a string, a number or a boolean"},
    {LS_AWS "detection:\n    s: {}\n    condition: s\n", "search identifier 's' is empty"},
    {LS_AWS DET "eventCategory: Data\n    condition: s\n",
     "field 'eventCategory' is not in the CloudTrail events Rampart keeps"},
    {"logsource:\n    product: kubernetes\n    service: audit\n" DET "eventName: x\n"
     "    condition: s\n",
     "field 'eventName' is not in the Kubernetes audit events Rampart keeps"},
    {"logsource:\n    product: aws\n" DET "eventName: x\n    condition: s\n",
     "logsource 'product: aws' is not supported"},
    {"logsource:\n    product: gcp\n    service: gcp.audit\n" DET "x: y\n    condition: s\n",
     "logsource 'product: gcp, service: gcp.audit' is not supported"},
    {"logsource: aws\n" DET "x: y\n    condition: s\n", "no 'logsource' mapping"},
    {LS_AWS "condition: s\n", "no 'detection'"},
    {LS_AWS "detection: [s]\n", "'detection' must be a mapping"},
    {"level: severe\n" LS_AWS DET "eventName: x\n    condition: s\n",
     "level 'severe' is not one of informational, low, medium, high, critical"},
    {"status: unsupported\n" LS_AWS DET "eventName: x\n    condition: s\n", "status 'unsupported'"},
    {"taxonomy: ocsf\n" LS_AWS DET "eventName: x\n    condition: s\n",
     "taxonomy 'ocsf' is not supported"},
    {"filter:\n    rules: [x]\n    selection:\n        a: b\n    condition: selection\n" LS_AWS,
     "filter rules are not supported"},
#undef DET
#undef LS_AWS
};

static void test_sigma_unsupported(void **state)
{
    (void)state;
    for (size_t i = 0; i < RP_ARRAY_LEN(ucases); i++) {
        char yaml[1024], want[512];
        snprintf(yaml, sizeof yaml, "title: t\nid: r1\n%s", ucases[i].rule);
        struct warns w = {0};
        struct rp_det_sigma_set *set = load(yaml, &w);
        snprintf(want, sizeof want, "sigma: test.yml: skipped rule 't' (r1): %s", ucases[i].why);
        if (w.n != 1 || strcmp(w.line[0], want))
            fail_msg("case %zu: got %zu lines, first '%s', want '%s'", i, w.n, w.n ? w.line[0] : "",
                     want);
        assert_int_equal(rp_det_sigma_count(set), 0);
        rp_det_sigma_set_free(set);
    }
}

/* A rule collection is said once; documents without a title are named by their line. */
static void test_sigma_collections_and_untitled(void **state)
{
    (void)state;
    struct warns w = {0};
    struct rp_det_sigma_set *set =
        load("action: global\ntitle: coll\nlogsource:\n    product: aws\n"
             "---\nlogsource:\n    service: cloudtrail\ndetection:\n    s:\n        a: b\n"
             "    condition: s\n",
             &w);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.line[0], "sigma: test.yml: skipped rule 'coll': rule collections "
                                   "('action: global') are not supported");
    rp_det_sigma_set_free(set);
    w.n = 0;
    set = load("\n\n# comment\nid: x1\nlogsource:\n    product: aws\n", &w);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.line[0], "sigma: test.yml: skipped document at line 4: no 'title'");
    rp_det_sigma_set_free(set);
    /* generate: true keeps the referenced rule running */
    w.n = 0;
    set = load("title: c\ncorrelation:\n    type: temporal\n    rules: [base]\ngenerate: true\n"
               "---\ntitle: b\nname: base\nlogsource:\n    product: aws\n    service: cloudtrail\n"
               "detection:\n    s:\n        eventName: x\n    condition: s\n",
               &w);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.line[0], "sigma: test.yml: skipped rule 'c': correlation rules "
                                   "('temporal') are not supported");
    assert_int_equal(rp_det_sigma_count(set), 1);
    rp_det_sigma_set_free(set);
}

static int setup(void **state)
{
    (void)state;
    setenv("RAMPART_CACHE_DIR", "", 1); /* no Hyperscan cache files from tests */
    return rp_det_ctx_new(NULL, NULL, NULL, &dc, NULL) == RP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_det_ctx_free(dc);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigma_modifiers_and_values),
        cmocka_unit_test(test_sigma_conditions),
        cmocka_unit_test(test_sigma_condition_list),
        cmocka_unit_test(test_sigma_json_parsed_once_per_event),
        cmocka_unit_test(test_sigma_index),
        cmocka_unit_test(test_sigma_cloudtrail_finding),
        cmocka_unit_test(test_sigma_kubernetes_finding),
        cmocka_unit_test(test_sigma_levels_and_keys),
        cmocka_unit_test(test_sigma_directory),
        cmocka_unit_test(test_sigma_yaml_errors),
        cmocka_unit_test(test_sigma_unsupported),
        cmocka_unit_test(test_sigma_collections_and_untitled),
    };
    return cmocka_run_group_tests_name("detect_sigma", tests, setup, teardown);
}
