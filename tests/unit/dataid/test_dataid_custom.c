/* SPDX-License-Identifier: Apache-2.0 */
/* Stored custom data identifiers and allow lists (src/dataid/dataid_custom.h): validation of
 * both file shapes (Rampart's identifier format, Macie's CreateCustomDataIdentifier JSON) into
 * the exact stored definition, every Macie limit at and just past its bound with the exact
 * message, the store round trip in an in-memory store (by id and name, duplicate names, soft
 * delete and the name free again), Macie's GetCustomDataIdentifier and GetAllowList JSON, allow
 * lists (regex and phrases) and the jobs that use them, and a scan of a set built from stored
 * resources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"
#include "dataid/dataid_custom.h"
#include "dataid/dataid_job.h"
#include "store/store.h"

static struct rp_store *g_st;

static int setup(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    return rp_store_new(":memory:", RP_STORE_RDWR, &g_st, &eb) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    rp_store_free(g_st);
    g_st = NULL;
    return 0;
}

static rp_err prep(const char *text, const char *name, const char *desc, struct rp_dataid_custom *c,
                   struct rp_errbuf *eb)
{
    return rp_dataid_custom_prepare("f.yaml", text, strlen(text), name, desc, c, eb);
}

/* The message of preparing text, which must fail with RP_EPARSE. */
static void expect_bad(const char *text, const char *msg)
{
    struct rp_dataid_custom c;
    struct rp_errbuf eb = {0};
    assert_int_equal(prep(text, NULL, NULL, &c, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, msg);
    assert_null(c.definition);
}

static void expect_ok(const char *text)
{
    struct rp_dataid_custom c;
    struct rp_errbuf eb = {0};
    rp_err e = prep(text, NULL, NULL, &c, &eb);
    if (e) fail_msg("%s", eb.msg);
    rp_dataid_custom_release(&c);
}

static void test_prepare_file_format(void **state)
{
    (void)state;
    struct rp_dataid_custom c;
    struct rp_errbuf eb = {0};
    assert_int_equal(prep("id: EMPLOYEE_ID\nname: Employee number\ncategory: CUSTOM_IDENTIFIER\n"
                          "description: staff numbers\nregex: 'EMP-[0-9]{4}'\nboundary: alnum\n"
                          "keywords: [employee, staff no]\nignore_words: [EMP-0000]\n"
                          "max_distance: 20\nseverity_levels:\n"
                          "  - {occurrences_threshold: 2, severity: LOW}\n"
                          "  - {occurrences_threshold: 50, severity: HIGH}\n"
                          "samples: {match: ['employee EMP-1234']}\n",
                          NULL, NULL, &c, &eb),
                     RP_OK);
    assert_string_equal(c.id, "");
    assert_string_equal(c.name, "EMPLOYEE_ID");
    assert_string_equal(c.description, "staff numbers");
    assert_string_equal(c.definition,
                        "{\"id\":\"EMPLOYEE_ID\",\"name\":\"EMPLOYEE_ID\",\"category\":"
                        "\"CUSTOM_IDENTIFIER\",\"regex\":\"EMP-[0-9]{4}\",\"boundary\":\"alnum\","
                        "\"keywords\":[\"employee\",\"staff no\"],\"keyword_mode\":\"required\","
                        "\"max_distance\":20,\"ignore_words\":[\"EMP-0000\"],\"severity_levels\":"
                        "[{\"occurrences_threshold\":2,\"severity\":\"LOW\"},"
                        "{\"occurrences_threshold\":50,\"severity\":\"HIGH\"}]}");
    rp_dataid_custom_release(&c);
    /* --name and --description override; no levels: Macie's default, 1 MEDIUM */
    assert_int_equal(
        prep("id: X\ncategory: CUSTOM_IDENTIFIER\nregex: 'X-[0-9]+'\n", "badge", "badges", &c, &eb),
        RP_OK);
    assert_string_equal(c.name, "badge");
    assert_string_equal(c.description, "badges");
    assert_string_equal(c.definition,
                        "{\"id\":\"badge\",\"name\":\"badge\",\"category\":\"CUSTOM_IDENTIFIER\","
                        "\"regex\":\"X-[0-9]+\",\"max_distance\":50,\"severity_levels\":"
                        "[{\"occurrences_threshold\":1,\"severity\":\"MEDIUM\"}]}");
    rp_dataid_custom_release(&c);
}

static void test_prepare_macie_shape(void **state)
{
    (void)state;
    struct rp_dataid_custom c;
    struct rp_errbuf eb = {0};
    /* CreateCustomDataIdentifier's request; GetCustomDataIdentifier's extra members ignored */
    assert_int_equal(prep("{\"name\": \"project-code\", \"description\": \"projects\", "
                          "\"regex\": \"PRJ-[A-Z]{3}-[0-9]{2}\", \"keywords\": [\"project\"], "
                          "\"ignoreWords\": [\"PRJ-AAA-00\"], \"maximumMatchDistance\": 20, "
                          "\"severityLevels\": [{\"occurrencesThreshold\": 1, \"severity\": "
                          "\"HIGH\"}], \"arn\": \"x\", \"id\": \"y\", \"deleted\": false}",
                          NULL, NULL, &c, &eb),
                     RP_OK);
    assert_string_equal(c.name, "project-code");
    assert_string_equal(c.description, "projects");
    assert_string_equal(
        c.definition,
        "{\"id\":\"project-code\",\"name\":\"project-code\",\"category\":\"CUSTOM_IDENTIFIER\","
        "\"regex\":\"PRJ-[A-Z]{3}-[0-9]{2}\",\"keywords\":[\"project\"],\"keyword_mode\":"
        "\"required\",\"max_distance\":20,\"ignore_words\":[\"PRJ-AAA-00\"],\"severity_levels\":"
        "[{\"occurrences_threshold\":1,\"severity\":\"HIGH\"}]}");
    rp_dataid_custom_release(&c);
    assert_int_equal(prep("regex: 'A+'\n", "given", NULL, &c, &eb), RP_OK);
    assert_string_equal(c.name, "given");
    rp_dataid_custom_release(&c);
    /* backslashes, quotes and UTF-8 survive the stored definition */
    assert_int_equal(
        prep("name: \"n\xc3\xbcm \\\"q\\\"\"\nregex: '\\bID\\d{3}\\b'\n", NULL, NULL, &c, &eb),
        RP_OK);
    struct rp_dataid_set *s = NULL;
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_custom_add_to_set(s, &c, &eb), RP_OK);
    assert_string_equal(rp_dataid_set_ident(s, 0)->id, "n\xc3\xbcm \"q\"");
    assert_string_equal(rp_dataid_set_ident(s, 0)->regex, "\\bID\\d{3}\\b");
    rp_dataid_set_free(s);
    rp_dataid_custom_release(&c);
}

/* A YAML list of n words of len characters each ("w" then letters), under key. */
static void words(char *out, size_t cap, const char *key, size_t n, size_t len)
{
    size_t o = (size_t)snprintf(out, cap, "%s: [", key);
    for (size_t i = 0; i < n; i++) {
        o += (size_t)snprintf(out + o, cap - o, "%s'w%03zu", i ? ", " : "", i);
        for (size_t k = 4; k < len; k++) out[o++] = 'x';
        o += (size_t)snprintf(out + o, cap - o, "'");
    }
    snprintf(out + o, cap - o, "]\n");
}

static void test_limits(void **state)
{
    (void)state;
    static char text[16384], list[8192];
    char re[600];
    /* regex: 512 characters, then 513 */
    memset(re, 'a', 512);
    re[512] = 0;
    snprintf(text, sizeof text, "name: r\nregex: '%s'\n", re);
    expect_ok(text);
    memcpy(re + 512, "a", 2);
    snprintf(text, sizeof text, "name: r\nregex: '%s'\n", re);
    expect_bad(text, "dataid: f.yaml: regex longer than 512 characters");
    /* keywords: 50, then 51; 3 and 90 characters, then 2 and 91 */
    words(list, sizeof list, "keywords", 50, 4);
    snprintf(text, sizeof text, "name: k\nregex: 'K[0-9]+'\n%s", list);
    expect_ok(text);
    words(list, sizeof list, "keywords", 51, 4);
    snprintf(text, sizeof text, "name: k\nregex: 'K[0-9]+'\n%s", list);
    expect_bad(text, "dataid: f.yaml: more than 50 keywords");
    expect_ok("name: k\nregex: 'K[0-9]+'\nkeywords: [abc]\n");
    expect_bad("name: k\nregex: 'K[0-9]+'\nkeywords: [ab]\n",
               "dataid: f.yaml: keyword not 3 to 90 characters long: 'ab'");
    words(list, sizeof list, "keywords", 1, 90);
    snprintf(text, sizeof text, "name: k\nregex: 'K[0-9]+'\n%s", list);
    expect_ok(text);
    words(list, sizeof list, "keywords", 1, 91);
    snprintf(text, sizeof text, "name: k\nregex: 'K[0-9]+'\n%s", list);
    char long91[100] = "w000", msg[256];
    memset(long91 + 4, 'x', 87);
    long91[91] = 0;
    snprintf(msg, sizeof msg, "dataid: f.yaml: keyword not 3 to 90 characters long: '%s'", long91);
    expect_bad(text, msg);
    /* a keyword of 3 characters of two bytes each is 3 characters */
    expect_ok("name: k\nregex: 'K[0-9]+'\nkeywords: [\"\xc3\xa9\xc3\xa9\xc3\xa9\"]\n");
    /* ignore words: 10, then 11; 4 and 90 characters, then 3 and 91 */
    words(list, sizeof list, "ignoreWords", 10, 4);
    snprintf(text, sizeof text, "name: i\nregex: 'I[0-9]+'\n%s", list);
    expect_ok(text);
    words(list, sizeof list, "ignoreWords", 11, 4);
    snprintf(text, sizeof text, "name: i\nregex: 'I[0-9]+'\n%s", list);
    expect_bad(text, "dataid: f.yaml: more than 10 ignore words");
    expect_bad("name: i\nregex: 'I[0-9]+'\nignoreWords: [abc]\n",
               "dataid: f.yaml: ignore word not 4 to 90 characters long: 'abc'");
    words(list, sizeof list, "ignoreWords", 1, 90);
    snprintf(text, sizeof text, "name: i\nregex: 'I[0-9]+'\n%s", list);
    expect_ok(text);
    words(list, sizeof list, "ignoreWords", 1, 91);
    snprintf(text, sizeof text, "name: i\nregex: 'I[0-9]+'\n%s", list);
    snprintf(msg, sizeof msg, "dataid: f.yaml: ignore word not 4 to 90 characters long: '%s'",
             long91);
    expect_bad(text, msg);
    /* maximumMatchDistance 1..300 (Macie's shape and the file format) */
    expect_ok("name: d\nregex: 'D[0-9]+'\nmaximumMatchDistance: 1\n");
    expect_ok("name: d\nregex: 'D[0-9]+'\nmaximumMatchDistance: 300\n");
    expect_bad("name: d\nregex: 'D[0-9]+'\nmaximumMatchDistance: 0\n",
               "dataid: f.yaml: maximumMatchDistance out of 1..300");
    expect_bad("name: d\nregex: 'D[0-9]+'\nmaximumMatchDistance: 301\n",
               "dataid: f.yaml: maximumMatchDistance out of 1..300");
    expect_bad("id: D\ncategory: CUSTOM_IDENTIFIER\nregex: 'D[0-9]+'\nmax_distance: 301\n",
               "dataid: f.yaml: max_distance out of 1..300: 'max_distance'");
    /* severity levels: at most 3, ascending */
    expect_bad("name: s\nregex: 'S[0-9]+'\nseverityLevels: [{occurrencesThreshold: 5, severity: "
               "LOW}, {occurrencesThreshold: 2, severity: HIGH}]\n",
               "dataid: f.yaml: severities are LOW, MEDIUM, HIGH with ascending thresholds in "
               "'severity_levels'");
    /* name 1..128 characters; description up to 512 */
    char name[200];
    memset(name, 'n', 128);
    name[128] = 0;
    snprintf(text, sizeof text, "name: %s\nregex: 'N[0-9]+'\n", name);
    expect_ok(text);
    memcpy(name + 128, "n", 2);
    snprintf(text, sizeof text, "name: %s\nregex: 'N[0-9]+'\n", name);
    expect_bad(text, "dataid: f.yaml: name not 1 to 128 characters long");
    static char desc[700];
    memset(desc, 'd', 513);
    desc[513] = 0;
    snprintf(text, sizeof text, "name: n\ndescription: %s\nregex: 'N[0-9]+'\n", desc);
    expect_bad(text, "dataid: f.yaml: description longer than 512 characters");
}

static void test_bad_files(void **state)
{
    (void)state;
    expect_bad("- a\n- b\n", "dataid: f.yaml: not a mapping");
    expect_bad("regex: 'A+'\n", "dataid: f.yaml: missing 'name'");
    expect_bad("name: a\n", "dataid: f.yaml: missing 'regex'");
    expect_bad("name: a\nregex: 'EMP-[0-9'\n",
               "dataid: f.yaml: regex: missing terminating ] for character class at offset 8");
    expect_bad("id: A\ncategory: PERSONAL_INFORMATION\nregex: 'A+'\n",
               "dataid: f.yaml: category is not CUSTOM_IDENTIFIER: 'PERSONAL_INFORMATION'");
    expect_bad("name: EMAIL_ADDRESS\nregex: 'A+'\n",
               "dataid: f.yaml: name is a managed data identifier's id: 'EMAIL_ADDRESS'");
    expect_bad("name: a\nregex: 'A+'\nkeywords: {a: b}\n",
               "dataid: f.yaml: not a list of strings: 'keywords'");
}

static rp_err collect(void *ctx, const struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    (void)eb;
    struct rp_buf *b = ctx;
    return rp_buf_printf(b, "%s%s:%s:%d", b->len ? " " : "", c->name, c->id, c->deleted);
}

static void test_store_round_trip(void **state)
{
    (void)state;
    struct rp_dataid_custom c, got;
    struct rp_errbuf eb = {0};
    assert_int_equal(
        prep("name: emp\nregex: 'EMP-[0-9]{4}'\nkeywords: [employee]\n", NULL, "staff", &c, &eb),
        RP_OK);
    rp_strlcpy(c.id, "11111111-2222-4333-8444-555555555555", sizeof c.id);
    c.created_ms = 1700000000123;
    assert_int_equal(rp_dataid_custom_put(g_st, &c, &eb), RP_OK);
    rp_dataid_custom_release(&c);
    /* a second one gets a fresh UUID (version 4) and now */
    assert_int_equal(prep("name: other\nregex: 'OTH-[0-9]{4}'\n", NULL, NULL, &c, &eb), RP_OK);
    assert_int_equal(rp_dataid_custom_put(g_st, &c, &eb), RP_OK);
    assert_int_equal(strlen(c.id), 36);
    assert_int_equal(c.id[14], '4');
    assert_true(c.created_ms > 1700000000123);
    char other[37];
    rp_strlcpy(other, c.id, sizeof other);
    rp_dataid_custom_release(&c);
    /* the same name again */
    assert_int_equal(prep("name: emp\nregex: 'E[0-9]'\n", NULL, NULL, &c, &eb), RP_OK);
    assert_int_equal(rp_dataid_custom_put(g_st, &c, &eb), RP_EEXIST);
    assert_string_equal(eb.msg, "dataid: a custom data identifier named 'emp' exists: "
                                "'11111111-2222-4333-8444-555555555555'");
    /* by name and by id */
    assert_int_equal(rp_dataid_custom_get(g_st, "emp", &got, &eb), RP_OK);
    assert_string_equal(got.id, "11111111-2222-4333-8444-555555555555");
    assert_string_equal(got.description, "staff");
    assert_int_equal(got.created_ms, 1700000000123);
    assert_false(got.deleted);
    rp_dataid_custom_release(&got);
    assert_int_equal(rp_dataid_custom_get(g_st, other, &got, &eb), RP_OK);
    assert_string_equal(got.name, "other");
    rp_dataid_custom_release(&got);
    assert_int_equal(rp_dataid_custom_get(g_st, "nope", &got, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "dataid: no custom data identifier 'nope'");
    /* GetCustomDataIdentifier */
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_dataid_custom_get(g_st, "emp", &got, &eb), RP_OK);
    assert_int_equal(rp_dataid_custom_json(&got, &b, &eb), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&b),
        "{\"arn\":\"arn:aws:macie2:us-east-1:000000000000:custom-data-identifier/"
        "11111111-2222-4333-8444-555555555555\",\"createdAt\":\"2023-11-14T22:13:20.123Z\","
        "\"deleted\":false,\"description\":\"staff\",\"id\":\"11111111-2222-4333-8444-"
        "555555555555\",\"ignoreWords\":[],\"keywords\":[\"employee\"],"
        "\"maximumMatchDistance\":50,\"name\":\"emp\",\"regex\":\"EMP-[0-9]{4}\","
        "\"severityLevels\":[{\"occurrencesThreshold\":1,\"severity\":\"MEDIUM\"}]}");
    rp_dataid_custom_release(&got);
    /* remove: soft; by id still there, deleted; the name is free again */
    assert_int_equal(rp_dataid_custom_remove(g_st, "emp", 1700000001000, &got, &eb), RP_OK);
    assert_true(got.deleted);
    rp_dataid_custom_release(&got);
    assert_int_equal(rp_dataid_custom_remove(g_st, "emp", 1700000002000, NULL, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "dataid: no custom data identifier 'emp'");
    assert_int_equal(rp_dataid_custom_remove(g_st, "11111111-2222-4333-8444-555555555555",
                                             1700000002000, NULL, &eb),
                     RP_ENOENT);
    assert_string_equal(eb.msg, "dataid: custom data identifier "
                                "'11111111-2222-4333-8444-555555555555' was deleted already");
    assert_int_equal(rp_dataid_custom_get(g_st, "11111111-2222-4333-8444-555555555555", &got, &eb),
                     RP_OK);
    assert_true(got.deleted);
    assert_int_equal(got.deleted_ms, 1700000001000);
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_custom_json(&got, &b, &eb), RP_OK);
    assert_non_null(strstr(rp_buf_cstr(&b), "\"deleted\":true,"));
    rp_dataid_custom_release(&got);
    rp_strlcpy(c.id, "22222222-2222-4333-8444-555555555555", sizeof c.id);
    assert_int_equal(rp_dataid_custom_put(g_st, &c, &eb), RP_OK);
    rp_dataid_custom_release(&c);
    /* each: by name, with or without the deleted */
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_custom_each(g_st, false, collect, &b, &eb), RP_OK);
    char want[256];
    snprintf(want, sizeof want, "emp:22222222-2222-4333-8444-555555555555:0 other:%s:0", other);
    assert_string_equal(rp_buf_cstr(&b), want);
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_custom_each(g_st, true, collect, &b, &eb), RP_OK);
    snprintf(want, sizeof want,
             "emp:11111111-2222-4333-8444-555555555555:1 emp:22222222-2222-4333-8444-"
             "555555555555:0 other:%s:0",
             other);
    assert_string_equal(rp_buf_cstr(&b), want);
    rp_buf_release(&b);
}

static void test_allow_lists(void **state)
{
    (void)state;
    struct rp_dataid_allow a, got;
    struct rp_errbuf eb = {0};
    char re[600];
    memset(re, 'a', 513);
    re[513] = 0;
    assert_int_equal(rp_dataid_allow_prepare_regex("r", NULL, re, &a, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "dataid: allow list: regex longer than 512 characters");
    assert_int_equal(rp_dataid_allow_prepare_regex("r", NULL, "a(b", &a, &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "dataid: allow list regex: missing closing parenthesis at offset 3");
    assert_int_equal(rp_dataid_allow_prepare_regex("", NULL, "a", &a, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "dataid: allow list: name not 1 to 128 characters long");
    assert_int_equal(rp_dataid_allow_prepare_phrases("w", NULL, "w.txt", " \n\t\n", 4, &a, &eb),
                     RP_EINVAL);
    assert_string_equal(eb.msg, "dataid: allow list: 'w.txt' has no phrases");
    /* a regex list and a phrases list */
    assert_int_equal(
        rp_dataid_allow_prepare_regex("test-cards", "test numbers", "4111[0-9 ]+", &a, &eb), RP_OK);
    rp_strlcpy(a.id, "aaaaaaaaaaaaaaaaaaaaaa", sizeof a.id);
    a.created_ms = a.updated_ms = 1700000000000;
    assert_int_equal(rp_dataid_allow_put(g_st, &a, &eb), RP_OK);
    rp_dataid_allow_release(&a);
    assert_int_equal(rp_dataid_allow_prepare_phrases("names", NULL, "/srv/w.txt",
                                                     "Ann Example\n\n bob example \n", 27, &a, &eb),
                     RP_OK);
    assert_int_equal(a.nphrases, 2);
    assert_int_equal(rp_dataid_allow_put(g_st, &a, &eb), RP_OK);
    assert_int_equal(strlen(a.id), 22);
    char names_id[23];
    rp_strlcpy(names_id, a.id, sizeof names_id);
    rp_dataid_allow_release(&a);
    assert_int_equal(rp_dataid_allow_prepare_regex("names", NULL, "x", &a, &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_put(g_st, &a, &eb), RP_EEXIST);
    char want[256];
    snprintf(want, sizeof want, "dataid: an allow list named 'names' exists: '%s'", names_id);
    assert_string_equal(eb.msg, want);
    rp_dataid_allow_release(&a);
    /* GetAllowList */
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_dataid_allow_get(g_st, "test-cards", &got, &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_json(&got, &b, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&b),
                        "{\"arn\":\"arn:aws:macie2:us-east-1:000000000000:allow-list/"
                        "aaaaaaaaaaaaaaaaaaaaaa\",\"createdAt\":\"2023-11-14T22:13:20.000Z\","
                        "\"criteria\":{\"regex\":\"4111[0-9 ]+\"},\"description\":\"test "
                        "numbers\",\"id\":\"aaaaaaaaaaaaaaaaaaaaaa\",\"name\":\"test-cards\","
                        "\"status\":{\"code\":\"OK\"},\"updatedAt\":\"2023-11-14T22:13:20.000Z\"}");
    rp_dataid_allow_release(&got);
    assert_int_equal(rp_dataid_allow_get(g_st, names_id, &got, &eb), RP_OK);
    assert_int_equal(got.kind, RP_DATAID_ALLOW_PHRASES);
    assert_int_equal(got.nphrases, 2);
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_allow_json(&got, &b, &eb), RP_OK);
    assert_non_null(strstr(rp_buf_cstr(&b), "\"criteria\":{\"s3WordsList\":{\"bucketName\":"
                                            "\"local\",\"objectKey\":\"/srv/w.txt\"}}"));
    rp_dataid_allow_release(&got);
    /* a job not complete that names it */
    struct rp_dataid_job *j = calloc(1, sizeof *j);
    assert_non_null(j);
    rp_strlcpy(j->id, "0123456789abcdef0123456789abcdef", sizeof j->id);
    rp_strlcpy(j->name, "j", sizeof j->name);
    rp_strlcpy(j->type, "ONE_TIME", sizeof j->type);
    rp_strlcpy(j->status, "IDLE", sizeof j->status);
    rp_strlcpy(j->sources, "/srv", sizeof j->sources);
    snprintf(j->allow_list_ids, sizeof j->allow_list_ids, "bbbbbbbbbbbbbbbbbbbbbb,%s", names_id);
    assert_int_equal(rp_dataid_job_put(g_st, j, &eb), RP_OK);
    int64_t n = 0;
    char job[33];
    assert_int_equal(rp_dataid_allow_jobs_using(g_st, names_id, &n, job, &eb), RP_OK);
    assert_int_equal(n, 1);
    assert_string_equal(job, "0123456789abcdef0123456789abcdef");
    assert_int_equal(rp_dataid_allow_jobs_using(g_st, "aaaaaaaaaaaaaaaaaaaaaa", &n, job, &eb),
                     RP_OK);
    assert_int_equal(n, 0);
    assert_string_equal(job, "");
    struct rp_dataid_job back;
    assert_int_equal(rp_dataid_job_get(g_st, j->id, &back, &eb), RP_OK);
    assert_string_equal(back.allow_list_ids, j->allow_list_ids);
    rp_strlcpy(j->status, "COMPLETE", sizeof j->status); /* a complete job does not count */
    assert_int_equal(rp_dataid_job_put(g_st, j, &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_jobs_using(g_st, names_id, &n, job, &eb), RP_OK);
    assert_int_equal(n, 0);
    free(j);
    /* delete */
    assert_int_equal(rp_dataid_allow_delete(g_st, "names", &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_get(g_st, "names", &got, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "dataid: no allow list 'names'");
    assert_int_equal(rp_dataid_allow_delete(g_st, "names", &eb), RP_ENOENT);
    rp_buf_release(&b);
}

static rp_err on_match(const struct rp_dataid_match *m, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct rp_buf *b = ctx;
    return rp_buf_printf(b, "%s%s@%zu", b->len ? " " : "", m->ident->id, m->start);
}

static rp_err add_all(void *ctx, const struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    return rp_dataid_custom_add_to_set(ctx, c, eb);
}

static rp_err add_allow(void *ctx, const struct rp_dataid_allow *a, struct rp_errbuf *eb)
{
    return rp_dataid_allow_add_to_set(ctx, a, eb);
}

/* What a scan finds with the stored identifiers and allow lists: ignore words, keywords and
 * both kinds of allow list at work. */
static void test_scan_with_stored(void **state)
{
    (void)state;
    struct rp_dataid_custom c;
    struct rp_dataid_allow a;
    struct rp_errbuf eb = {0};
    assert_int_equal(prep("name: emp\nregex: 'EMP-[0-9]{4}'\nkeywords: [employee]\n"
                          "ignoreWords: [EMP-0000]\n",
                          NULL, NULL, &c, &eb),
                     RP_OK);
    assert_int_equal(rp_dataid_custom_put(g_st, &c, &eb), RP_OK);
    char arn[128];
    rp_dataid_custom_arn(c.id, arn, sizeof arn);
    rp_dataid_custom_release(&c);
    assert_int_equal(rp_dataid_allow_prepare_regex("nines", NULL, "EMP-9[0-9]{3}", &a, &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_put(g_st, &a, &eb), RP_OK);
    rp_dataid_allow_release(&a);
    assert_int_equal(
        rp_dataid_allow_prepare_phrases("one", NULL, "one.txt", "emp-1111\n", 9, &a, &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_put(g_st, &a, &eb), RP_OK);
    rp_dataid_allow_release(&a);
    struct rp_dataid_set *s = NULL;
    struct rp_dataid_scratch *sc = NULL;
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_custom_each(g_st, false, add_all, s, &eb), RP_OK);
    assert_int_equal(rp_dataid_allow_each(g_st, add_allow, s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_compile(s, &eb), RP_OK);
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    const char *text = "employee EMP-1234 EMP-0000 EMP-9876 EMP-1111 EMP-2222; EMP-3333";
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_dataid_scan(s, sc, text, strlen(text), on_match, &b, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "emp@9 emp@45");
    rp_buf_release(&b);
    assert_int_equal(rp_dataid_set_count(s), 1);
    assert_string_equal(rp_dataid_set_ident(s, 0)->file, arn); /* named in messages */
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepare_file_format),
        cmocka_unit_test(test_prepare_macie_shape),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test_setup_teardown(test_store_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allow_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_with_stored, setup, teardown),
    };
    return cmocka_run_group_tests_name("dataid_custom", tests, NULL, NULL);
}
