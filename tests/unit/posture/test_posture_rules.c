/* SPDX-License-Identifier: Apache-2.0 */
/* Every managed Config rule against its fixture file (docs/rules-format.md): all rule files of
 * data/posture/rules load and compile; every rule has tests/fixtures/posture/rules/<ID>.json
 * with at least one COMPLIANT and one NON_COMPLIANT case; every case, run through the same
 * path as `rampart rules eval` (rp_posture_doc_from_ci, the lookup index over the item and its
 * "related" items, rp_posture_rule_eval at the case's time), gives exactly the expected
 * compliance, and exactly the expected annotation where the case names one. Every failing case
 * is printed before the test fails. RP_POSTURE_ONLY=ID1,PREFIX*,.. limits the run (for rule
 * writers); the coverage checks then cover those rules only. Also: the rule-file loader's own
 * errors and the rules of evaluation that are not the rules' (scope, deletion, requires,
 * parameters, lookups). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "posture/posture_internal.h"

#define FIXDIR      RP_FIXTURES_DIR "/posture/rules"
#define DEFAULT_NOW "2026-01-15T00:00:00Z"

static bool wanted(const char *id)
{
    const char *only = getenv("RP_POSTURE_ONLY");
    if (!only || !*only) return true;
    const char *p = only;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n && p[n - 1] == '*' ? strncmp(id, p, n - 1) == 0
                                 : (strlen(id) == n && strncmp(id, p, n) == 0))
            return true;
        p += n;
        if (*p == ',') p++;
    }
    return false;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct rp_buf b;
    rp_buf_init(&b, 64u << 20);
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (rp_buf_append(&b, tmp, k) != RP_OK) break;
    fclose(f);
    if (rp_buf_reserve(&b, RP_BUF_PADDING + 1) != RP_OK) {
        rp_buf_release(&b);
        return NULL;
    }
    memset(b.data + b.len, 0, RP_BUF_PADDING + 1);
    *n = b.len;
    return rp_buf_take(&b, n);
}

struct tally {
    int cases, failures;
    int compliant, noncompliant;
};

/* Run one case; print and count a mismatch. */
static void run_case(const struct rp_posture_rule *rule, const char *file, struct rp_json_val c,
                     struct rp_json_parser *jp, struct tally *t)
{
    struct rp_str name = {"?", 1}, expect = {0}, ann = {0}, now_s = {0};
    if (rp_json_obj_get_str(c, "name", &name) != RP_OK) name = (struct rp_str){"?", 1};
    bool has_ann = rp_json_obj_get_str(c, "annotation", &ann) == RP_OK;
    bool has_now = rp_json_obj_get_str(c, "now", &now_s) == RP_OK;
    t->cases++;
    enum rp_posture_compliance want = RP_PC_COMPLIANT;
    if (rp_json_obj_get_str(c, "expect", &expect) != RP_OK ||
        !rp_posture_compliance_parse(expect.p, &want)) {
        printf("%s: case '%s': bad or missing \"expect\"\n", file, name.p);
        t->failures++;
        return;
    }
    if (want == RP_PC_COMPLIANT) t->compliant++;
    if (want == RP_PC_NON_COMPLIANT) t->noncompliant++;
    int64_t now = 0;
    struct rp_errbuf eb = {0};
    if (rp_time_parse_iso(has_now ? now_s : rp_str_from(DEFAULT_NOW), &now, &eb) != RP_OK) {
        printf("%s: case '%s': bad \"now\": %s\n", file, name.p, eb.msg);
        t->failures++;
        return;
    }
    struct rp_arena a;
    rp_arena_init(&a, 64 * 1024);
    struct rp_posture_index *ix = rp_posture_index_new();
    assert_non_null(ix);
    struct rp_json_val item, rel, el, params, pv;
    struct rp_pv *doc = NULL;
    struct rp_posture_paramval pvals[32];
    size_t np = 0;
    rp_err e = rp_json_obj_get(c, "item", &item) == RP_OK
                   ? rp_posture_doc_from_ci(&a, jp, item, &doc, &eb)
                   : rp_fail(&eb, RP_EINVAL, "no \"item\"");
    if (e == RP_OK) e = rp_posture_index_add(ix, doc);
    if (e == RP_OK && rp_json_obj_get(c, "related", &rel) == RP_OK) {
        struct rp_json_iter it;
        if (rp_json_arr_iter(rel, &it) == RP_OK)
            while (e == RP_OK && rp_json_arr_next(&it, &el)) {
                struct rp_pv *d = NULL;
                e = rp_posture_doc_from_ci(&a, jp, el, &d, &eb);
                if (e == RP_OK) e = rp_posture_index_add(ix, d);
            }
    }
    if (e == RP_OK && rp_json_obj_get(c, "params", &params) == RP_OK) {
        struct rp_json_iter it;
        struct rp_str k;
        if (rp_json_obj_iter(params, &it) == RP_OK)
            while (rp_json_obj_next(&it, &k, &pv) && np < 32) {
                struct rp_str s;
                if (rp_json_get_str(pv, &s) != RP_OK) {
                    e = rp_fail(&eb, RP_EINVAL, "parameter '%s' must be text", k.p);
                    break;
                }
                pvals[np].name = rp_arena_memdup(&a, k.p, k.len + 1);
                pvals[np].value = rp_arena_memdup(&a, s.p, s.len + 1);
                np++;
            }
    }
    struct rp_posture_verdict v;
    memset(&v, 0, sizeof v);
    if (e == RP_OK) e = rp_posture_rule_eval(rule, doc, pvals, np, ix, now, &a, &v, &eb);
    if (e != RP_OK) {
        printf("%s: case '%s': error %s: %s\n", file, name.p, rp_strerror(e), eb.msg);
        t->failures++;
    } else if (v.compliance != want || (has_ann && strcmp(v.annotation, ann.p) != 0)) {
        printf("%s: case '%s': expected %s%s%s%s, got %s \"%s\"\n", file, name.p,
               rp_posture_compliance_name(want), has_ann ? " \"" : "", has_ann ? ann.p : "",
               has_ann ? "\"" : "", rp_posture_compliance_name(v.compliance), v.annotation);
        t->failures++;
    }
    rp_posture_index_free(ix);
    rp_arena_release(&a);
}

static void test_every_rule_against_its_fixtures(void **state)
{
    (void)state;
    struct rp_posture_ruleset *set = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_ruleset_load_managed(&set, &eb);
    if (e != RP_OK) printf("loading the managed rules: %s\n", eb.msg);
    assert_int_equal(e, RP_OK);
    struct rp_json_parser *fp = rp_json_parser_new(), *jp = rp_json_parser_new();
    assert_non_null(fp);
    assert_non_null(jp);
    int failures = 0, rules = 0, cases = 0;
    for (size_t i = 0; i < rp_posture_ruleset_count(set); i++) {
        const struct rp_posture_rule *r = rp_posture_ruleset_at(set, i);
        if (!wanted(r->identifier)) continue;
        rules++;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.json", FIXDIR, r->identifier);
        size_t n = 0;
        char *text = slurp(path, &n);
        if (!text) {
            printf("%s: no fixture file %s\n", r->identifier, path);
            failures++;
            continue;
        }
        struct rp_json_val root, cs, c;
        struct rp_str id;
        if (rp_json_parse_padded(fp, text, n, &root, &eb) != RP_OK ||
            rp_json_obj_get_str(root, "identifier", &id) != RP_OK ||
            strcmp(id.p, r->identifier) != 0 || rp_json_obj_get(root, "cases", &cs) != RP_OK) {
            printf("%s: fixture is not {\"identifier\": \"%s\", \"cases\": [..]} (%s)\n", path,
                   r->identifier, eb.msg);
            failures++;
            free(text);
            continue;
        }
        struct tally t = {0};
        struct rp_json_iter it;
        if (rp_json_arr_iter(cs, &it) == RP_OK)
            while (rp_json_arr_next(&it, &c)) run_case(r, path, c, jp, &t);
        if (t.compliant == 0 || t.noncompliant == 0) {
            printf("%s: needs at least one COMPLIANT and one NON_COMPLIANT case (%d, %d)\n", path,
                   t.compliant, t.noncompliant);
            t.failures++;
        }
        failures += t.failures;
        cases += t.cases;
        free(text);
    }
    /* every fixture file belongs to a rule */
    DIR *d = opendir(FIXDIR);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0) continue;
        char id[256];
        snprintf(id, sizeof id, "%.*s", (int)(l - 5), de->d_name);
        if (wanted(id) && !rp_posture_ruleset_find(set, id)) {
            printf("%s/%s: no rule %s\n", FIXDIR, de->d_name, id);
            failures++;
        }
    }
    closedir(d);
    printf("%d rules, %d cases, %d failures\n", rules, cases, failures);
    rp_json_parser_free(fp);
    rp_json_parser_free(jp);
    rp_posture_ruleset_free(set);
    assert_int_equal(failures, 0);
}

/* ---- the evaluation rules around the checks ----------------------------------------------- */

static const char *const RULE_YAML =
    "identifier: TEST_VOLUME_ENCRYPTED\n"
    "name: test-volume-encrypted\n"
    "description: Volumes must be encrypted, with the given key when one is named.\n"
    "resourceTypes: [AWS::EC2::Volume]\n"
    "trigger: change\n"
    "parameters:\n"
    "  kmsId: {type: string, optional: true}\n"
    "  minSize: {type: int, default: 1}\n"
    "requires: [configuration.encrypted]\n"
    "lookups:\n"
    "  attached: {resourceType: 'AWS::EC2::Instance', key: configuration.instanceId, match: "
    "configuration.attachments.0.instanceId}\n"
    "guard: |\n"
    "  rule encrypted {\n"
    "    configuration.encrypted == true <<the volume is not encrypted>>\n"
    "    configuration.size >= %minSize <<the volume is too small>>\n"
    "    when %kmsId !empty { configuration.kmsKeyId == %kmsId <<another key>> }\n"
    "    %attached !empty <<not attached>>\n"
    "  }\n";

static struct rp_pv *doc_of(struct rp_arena *a, struct rp_json_parser *jp, const char *json)
{
    struct rp_pv *d = NULL;
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_json_parse(p, json, strlen(json), &v, &eb), RP_OK);
    assert_int_equal(rp_posture_doc_from_ci(a, jp, v, &d, &eb), RP_OK);
    rp_json_parser_free(p);
    return d;
}

#define VOL(extra)                                                                                 \
    "{\"resourceType\":\"AWS::EC2::Volume\",\"resourceId\":\"vol-1\",\"awsAccountId\":"            \
    "\"111122223333\","                                                                            \
    "\"awsRegion\":\"us-east-1\",\"configurationItemStatus\":\"OK\",\"configuration\":{" extra     \
    "}}"

static void test_eval_scope_requires_params_lookups(void **state)
{
    (void)state;
    struct rp_posture_ruleset *set = rp_posture_ruleset_new();
    struct rp_errbuf eb = {0};
    assert_non_null(set);
    rp_err e = rp_posture_ruleset_add_yaml(set, "t.yaml", RULE_YAML, strlen(RULE_YAML), &eb);
    if (e != RP_OK) printf("%s\n", eb.msg);
    assert_int_equal(e, RP_OK);
    const struct rp_posture_rule *r = rp_posture_ruleset_find(set, "test-volume-encrypted");
    assert_non_null(r);
    assert_string_equal(r->identifier, "TEST_VOLUME_ENCRYPTED");
    assert_int_equal(r->nparams, 2);
    assert_string_equal(r->params[1].dflt, "1");
    struct rp_arena a;
    rp_arena_init(&a, 4096);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_posture_index *ix = rp_posture_index_new();
    struct rp_pv *inst = doc_of(&a, jp,
                                "{\"resourceType\":\"AWS::EC2::Instance\",\"resourceId\":\"i-1\","
                                "\"awsAccountId\":\"111122223333\",\"awsRegion\":\"us-east-1\","
                                "\"configuration\":{\"instanceId\":\"i-1\"}}");
    assert_int_equal(rp_posture_index_add(ix, inst), RP_OK);
    struct rp_posture_verdict v;
    /* another type: not applicable */
    assert_int_equal(rp_posture_rule_eval(r, inst, NULL, 0, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_NOT_APPLICABLE);
    assert_string_equal(v.annotation, "AWS::EC2::Instance is not in the rule's scope");
    /* missing required path */
    struct rp_pv *d = doc_of(&a, jp, VOL("\"size\":8"));
    assert_int_equal(rp_posture_rule_eval(r, d, NULL, 0, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_INSUFFICIENT_DATA);
    assert_string_equal(v.annotation, "needs configuration.encrypted");
    /* compliant, attached to a recorded instance */
    d = doc_of(&a, jp,
               VOL("\"encrypted\":true,\"size\":8,\"kmsKeyId\":\"k1\",\"attachments\":[{"
                   "\"instanceId\":\"i-1\"}]"));
    assert_int_equal(rp_posture_rule_eval(r, d, NULL, 0, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_COMPLIANT);
    /* parameters bound with their types */
    struct rp_posture_paramval p1[] = {{"kmsId", "k2"}};
    assert_int_equal(rp_posture_rule_eval(r, d, p1, 1, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_NON_COMPLIANT);
    assert_string_equal(v.annotation, "another key");
    struct rp_posture_paramval p2[] = {{"minSize", "16"}};
    assert_int_equal(rp_posture_rule_eval(r, d, p2, 1, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_NON_COMPLIANT);
    assert_string_equal(v.annotation, "the volume is too small");
    struct rp_posture_paramval p3[] = {{"minSize", "sixteen"}};
    assert_int_equal(rp_posture_rule_eval(r, d, p3, 1, ix, 0, &a, &v, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "parameter 'minSize': 'sixteen' is not an integer");
    struct rp_posture_paramval p4[] = {{"maxSize", "1"}};
    assert_int_equal(rp_posture_rule_eval(r, d, p4, 1, ix, 0, &a, &v, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "rule 'TEST_VOLUME_ENCRYPTED' has no parameter 'maxSize'");
    /* lookup finds nothing: attached to an instance not recorded */
    d = doc_of(&a, jp,
               VOL("\"encrypted\":true,\"size\":8,\"attachments\":[{\"instanceId\":\"i-2\"}]"));
    assert_int_equal(rp_posture_rule_eval(r, d, NULL, 0, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_NON_COMPLIANT);
    assert_string_equal(v.annotation, "not attached");
    /* deleted: not applicable */
    d = doc_of(&a, jp,
               "{\"resourceType\":\"AWS::EC2::Volume\",\"resourceId\":\"vol-1\","
               "\"configurationItemStatus\":\"ResourceDeleted\",\"configuration\":null}");
    assert_int_equal(rp_posture_rule_eval(r, d, NULL, 0, ix, 0, &a, &v, &eb), RP_OK);
    assert_int_equal(v.compliance, RP_PC_NOT_APPLICABLE);
    assert_string_equal(v.annotation, "the resource is deleted");
    rp_posture_index_free(ix);
    rp_json_parser_free(jp);
    rp_arena_release(&a);
    rp_posture_ruleset_free(set);
}

static void expect_load_error(const char *yaml, const char *msg)
{
    struct rp_posture_ruleset *set = rp_posture_ruleset_new();
    struct rp_errbuf eb = {0};
    assert_int_not_equal(rp_posture_ruleset_add_yaml(set, "bad.yaml", yaml, strlen(yaml), &eb),
                         RP_OK);
    assert_string_equal(eb.msg, msg);
    rp_posture_ruleset_free(set);
}

static void test_rule_file_errors(void **state)
{
    (void)state;
    expect_load_error("name: x\n", "bad.yaml: missing 'identifier'");
    expect_load_error("identifier: X\nguard: 'rule r { a == 1 }'\n",
                      "bad.yaml: missing 'resourceTypes'");
    expect_load_error("identifier: X\nresourceTypes: [A]\ntrigger: hourly\nguard: x\n",
                      "bad.yaml: trigger 'hourly' is not change, periodic or both");
    expect_load_error("identifier: X\nresourceTypes: [A]\n",
                      "bad.yaml: a rule has either 'guard' or 'check'");
    expect_load_error("identifier: X\nresourceTypes: [A]\ncheck: no_such_check\n",
                      "bad.yaml: no C check named 'no_such_check'");
    expect_load_error("identifier: X\nresourceTypes: [A]\nparameters:\n  p: {default: 1}\n"
                      "guard: 'rule r { a == 1 }'\n",
                      "bad.yaml: parameter 'p' needs a type (string, int, double, boolean, csv, "
                      "stringmap)");
    expect_load_error("identifier: X\nresourceTypes: [A]\nlookups:\n  l: {resourceType: B, key: "
                      "k}\nguard: 'rule r { a == 1 }'\n",
                      "bad.yaml: lookup 'l' needs both key and match, or neither");
    expect_load_error("[1, 2", "bad.yaml: yaml: line 2 column 1: did not find expected ',' or "
                               "']'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_rule_against_its_fixtures),
        cmocka_unit_test(test_eval_scope_requires_params_lookups),
        cmocka_unit_test(test_rule_file_errors),
    };
    return cmocka_run_group_tests_name("posture_rules", tests, NULL, NULL);
}
