/* SPDX-License-Identifier: Apache-2.0 */
/* Identifier sets (src/dataid/dataid_set.c) with hand-written identifiers, independent of the
 * managed ones: Macie's custom identifier semantics (keywords case-insensitive and before the
 * match within the distance, both sides of the edge; ignore words case-sensitive), boundaries,
 * the forbidden keyword mode, allow lists (phrases and a regex covering the whole
 * occurrence), and the exact errors for bad identifier files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"

static const char emp_yaml[] = "id: EMPLOYEE_ID\n"
                               "category: CUSTOM_IDENTIFIER\n"
                               "regex: 'EMP-[0-9]{4}'\n"
                               "boundary: alnum\n"
                               "keywords: [employee, Staff No]\n"
                               "max_distance: 20\n"
                               "ignore_words: [EMP-0000]\n";

static const char plain_yaml[] = "id: TICKET\n"
                                 "category: CUSTOM_IDENTIFIER\n"
                                 "regex: 'TCK[0-9]{3}'\n"
                                 "keywords: [ticket]\n"
                                 "keyword_mode: forbidden\n";

static struct rp_dataid_set *make(const char *allow_phrases, const char *allow_regex)
{
    struct rp_dataid_set *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "emp.yaml", emp_yaml, strlen(emp_yaml), &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "plain.yaml", plain_yaml, strlen(plain_yaml), &eb),
                     RP_OK);
    if (allow_phrases)
        assert_int_equal(rp_dataid_set_allow_phrases(s, allow_phrases, strlen(allow_phrases), &eb),
                         RP_OK);
    if (allow_regex) assert_int_equal(rp_dataid_set_allow_regex(s, allow_regex, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_compile(s, &eb), RP_OK);
    return s;
}

struct out {
    const char *text;
    struct rp_buf b;
};

static rp_err collect(const struct rp_dataid_match *m, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct out *o = ctx;
    return rp_buf_printf(&o->b, "%s=%.*s ", m->ident->id, (int)(m->end - m->start),
                         o->text + m->start);
}

static void expect(struct rp_dataid_set *s, const char *text, const char *want)
{
    struct rp_dataid_scratch *sc = NULL;
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    struct out o = {.text = text};
    rp_buf_init(&o.b, 0);
    assert_int_equal(rp_buf_append_str(&o.b, ""), RP_OK);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_scan(s, sc, text, strlen(text), collect, &o, &eb), RP_OK);
    assert_string_equal(o.b.data, want);
    rp_buf_release(&o.b);
    rp_dataid_scratch_free(sc);
}

static void test_set_keywords_and_distance(void **state)
{
    (void)state;
    struct rp_dataid_set *s = make(NULL, NULL);
    /* case-insensitive keyword before the match */
    expect(s, "EMPLOYEE: EMP-1234", "EMPLOYEE_ID=EMP-1234 ");
    expect(s, "staff no EMP-1234", "EMPLOYEE_ID=EMP-1234 ");
    /* no keyword; keyword after the match */
    expect(s, "EMP-1234", "");
    expect(s, "EMP-1234 employee", "");
    /* a keyword starts a word: "unemployee" holds no keyword */
    expect(s, "unemployee EMP-1234", "");
    /* distance: from the keyword's end to the match's end, at most 20 */
    expect(s, "employee           EMP-1234", "EMPLOYEE_ID=EMP-1234 ");  /* 11 + 8 = 19 */
    expect(s, "employee            EMP-1234", "EMPLOYEE_ID=EMP-1234 "); /* exactly 20 */
    expect(s, "employee             EMP-1234", "");                     /* 21 */
    rp_dataid_set_free(s);
}

static void test_set_boundary_ignore_forbidden(void **state)
{
    (void)state;
    struct rp_dataid_set *s = make(NULL, NULL);
    /* alnum boundary: part of a longer token does not count */
    expect(s, "employee XEMP-1234", "");
    expect(s, "employee EMP-12345", "");
    expect(s, "employee (EMP-1234)", "EMPLOYEE_ID=EMP-1234 ");
    /* ignore word: case-sensitive, a match containing it is dropped */
    expect(s, "employee EMP-0000", "");
    /* forbidden keyword mode: only without a keyword before it */
    expect(s, "TCK123", "TICKET=TCK123 ");
    expect(s, "ticket TCK123", "");
    expect(s, "TCK123 ticket", "TICKET=TCK123 ");
    rp_dataid_set_free(s);
}

static void test_set_allow_lists(void **state)
{
    (void)state;
    struct rp_dataid_set *s = make("  emp-4242 \n\nTCK999\r\n", "TCK1[0-9]{2}");
    expect(s, "employee EMP-4242 employee EMP-1234", "EMPLOYEE_ID=EMP-1234 ");
    expect(s, "TCK999 TCK100 TCK200", "TICKET=TCK200 ");
    rp_dataid_set_free(s);
}

static void expect_bad(const char *yaml, const char *msg)
{
    struct rp_dataid_set *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "x.yaml", yaml, strlen(yaml), &eb), RP_EPARSE);
    assert_string_equal(eb.msg, msg);
    assert_int_equal(rp_dataid_set_count(s), 0);
    rp_dataid_set_free(s);
}

static void test_set_bad_files(void **state)
{
    (void)state;
    expect_bad("category: CUSTOM_IDENTIFIER\nregex: x\n", "dataid: x.yaml: missing 'id'");
    expect_bad("id: A\nregex: x\n", "dataid: x.yaml: missing 'category'");
    expect_bad("id: A\ncategory: SECRETS\nregex: x\n",
               "dataid: x.yaml: unknown category 'SECRETS'");
    expect_bad("id: A\ncategory: CREDENTIALS\n", "dataid: x.yaml: missing 'regex'");
    expect_bad("id: A\ncategory: CREDENTIALS\nregex: x\nvalidator: nope\n",
               "dataid: x.yaml: unknown validator 'nope'");
    expect_bad("id: A\ncategory: CREDENTIALS\nregex: x\nmax_distance: 301\nkeywords: [k]\n",
               "dataid: x.yaml: max_distance out of 1..300: 'max_distance'");
    expect_bad("id: A\ncategory: CREDENTIALS\nregex: x\nkeyword_mode: required\n",
               "dataid: x.yaml: keyword_mode needs 'keywords'");
    expect_bad("id: [A\n", "dataid: x.yaml: yaml: line 2 column 1: did not find expected ',' "
                           "or ']'");
    /* a regex PCRE2 refuses is named with its file when the set compiles */
    struct rp_dataid_set *s = NULL;
    struct rp_errbuf eb = {0};
    const char y[] = "id: A\ncategory: CREDENTIALS\nregex: '(x'\n";
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "x.yaml", y, strlen(y), &eb), RP_OK);
    assert_int_equal(rp_dataid_set_compile(s, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "dataid: x.yaml: regex: missing closing parenthesis at offset 2");
    rp_dataid_set_free(s);
}

/* Locators: lines (line, start column) in text, cells (row, column, header name) in CSV. */
/* Reveal: off, occurrences hold only the redacted sample; on, the first 10 of a type also
 * hold the value in clear, control characters as '?', the 11th onwards nothing. */
static void test_classify_reveal(void **state)
{
    (void)state;
    struct rp_dataid_set *s = NULL;
    struct rp_errbuf eb = {0};
    static const char tab_yaml[] = "id: TABBED\n"
                                   "category: CUSTOM_IDENTIFIER\n"
                                   "regex: 'TAB\\t[0-9]{2}'\n";
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "tab.yaml", tab_yaml, strlen(tab_yaml), &eb), RP_OK);
    assert_int_equal(rp_dataid_set_compile(s, &eb), RP_OK);
    struct rp_dataid_scratch *sc = NULL;
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    char text[256] = "";
    for (int i = 0; i < 12; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "x TAB\t%02d\n", i);
    struct rp_dataid_result r;
    assert_false(rp_dataid_set_reveals(s));
    assert_int_equal(rp_dataid_classify(s, sc, "a.txt", text, strlen(text), &r, &eb), RP_OK);
    assert_int_equal(r.ndet, 1);
    assert_int_equal(r.det[0].count, 12);
    assert_string_equal(r.det[0].occ[0].value, "");
    assert_string_equal(r.det[0].occ[0].redacted, "**B 00"); /* the last 4, controls blank */
    rp_dataid_result_release(&r);
    rp_dataid_set_reveal(s, true);
    assert_true(rp_dataid_set_reveals(s));
    assert_int_equal(rp_dataid_classify(s, sc, "a.txt", text, strlen(text), &r, &eb), RP_OK);
    assert_int_equal(r.det[0].nocc, 12);
    assert_string_equal(r.det[0].occ[0].value, "TAB?00");
    assert_string_equal(r.det[0].occ[9].value, "TAB?09");
    assert_string_equal(r.det[0].occ[10].value, "");
    rp_dataid_result_release(&r);
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
}

static void test_classify_locators(void **state)
{
    (void)state;
    struct rp_dataid_set *s = make(NULL, NULL);
    struct rp_dataid_scratch *sc = NULL;
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    struct rp_dataid_result r;
    struct rp_errbuf eb = {0};
    const char text[] = "first line\nemployee EMP-1234 and TCK001\n\n  TCK002\n";
    assert_int_equal(rp_dataid_classify(s, sc, "notes.txt", text, strlen(text), &r, &eb), RP_OK);
    assert_string_equal(r.mime_type, "text/plain");
    assert_int_equal(r.ndet, 2);
    assert_string_equal(r.det[0].ident->id, "EMPLOYEE_ID");
    assert_int_equal(r.det[0].count, 1);
    assert_int_equal(r.det[0].occ[0].start, 2);
    assert_int_equal(r.det[0].occ[0].end, 2);
    assert_int_equal(r.det[0].occ[0].start_column, 10);
    assert_string_equal(r.det[0].occ[0].redacted, "****1234");
    assert_string_equal(r.det[1].ident->id, "TICKET");
    assert_int_equal(r.det[1].count, 2);
    assert_int_equal(r.det[1].occ[1].start, 4);
    assert_int_equal(r.det[1].occ[1].start_column, 3);
    rp_dataid_result_release(&r);

    const char csv[] = "name,\"staff, no\",ref_number\nann,employee EMP-1234,TCK777\n";
    assert_int_equal(rp_dataid_classify(s, sc, "people.CSV", csv, strlen(csv), &r, &eb), RP_OK);
    assert_string_equal(r.mime_type, "text/csv");
    assert_int_equal(r.ndet, 2);
    assert_int_equal(r.det[0].occ[0].kind, RP_DATAID_LOC_CELLS);
    assert_int_equal(r.det[0].occ[0].row, 2);
    assert_int_equal(r.det[0].occ[0].column, 2);
    assert_string_equal(r.det[0].occ[0].column_name, "staff, no");
    assert_int_equal(r.det[1].occ[0].column, 3);
    assert_string_equal(r.det[1].occ[0].column_name, "ref_number");
    rp_dataid_result_release(&r);
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
}

/* Structured files: a CSV header and a JSON key are keywords of their values; JSON values
 * are located by record and path. */
static void test_classify_structured(void **state)
{
    (void)state;
    struct rp_dataid_set *s = make(NULL, NULL);
    struct rp_dataid_scratch *sc = NULL;
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    struct rp_dataid_result r;
    struct rp_errbuf eb = {0};
    const char csv[] = "name,staff_no,other\nann,EMP-1234,EMP-9999\n";
    assert_int_equal(rp_dataid_classify(s, sc, "hr.csv", csv, strlen(csv), &r, &eb), RP_OK);
    assert_int_equal(r.ndet, 1);
    assert_int_equal(r.det[0].count, 1); /* the other column has no keyword */
    assert_string_equal(r.det[0].occ[0].column_name, "staff_no");
    rp_dataid_result_release(&r);

    const char json[] = "{\"people\": [{\"id\": 1}, {\"Staff-No\": \"EMP-1234\"}, "
                        "{\"nickname\": \"EMP-5678 was here, long after any keyword\"}]}";
    assert_int_equal(rp_dataid_classify(s, sc, "p.json", json, strlen(json), &r, &eb), RP_OK);
    assert_string_equal(r.mime_type, "application/json");
    assert_int_equal(r.ndet, 1);
    assert_int_equal(r.det[0].count, 1);
    assert_int_equal(r.det[0].occ[0].kind, RP_DATAID_LOC_RECORDS);
    assert_int_equal(r.det[0].occ[0].record_index, 0);
    assert_string_equal(r.det[0].occ[0].json_path, "$.people[1].Staff-No");
    rp_dataid_result_release(&r);

    const char jsonl[] = "{\"a\": \"TCK001\"}\n{\"b\": {\"c\": [\"x\", \"TCK002\"]}}\n";
    assert_int_equal(rp_dataid_classify(s, sc, "t.jsonl", jsonl, strlen(jsonl), &r, &eb), RP_OK);
    assert_int_equal(r.ndet, 1);
    assert_int_equal(r.det[0].count, 2);
    assert_int_equal(r.det[0].occ[0].record_index, 0);
    assert_string_equal(r.det[0].occ[0].json_path, "$.a");
    assert_int_equal(r.det[0].occ[1].record_index, 1);
    assert_string_equal(r.det[0].occ[1].json_path, "$.b.c[1]");
    rp_dataid_result_release(&r);
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
}

/* Custom identifiers' severity levels (Macie's severityLevels): below the first threshold no
 * finding, then the level the count reaches; without levels, one occurrence is Medium. */
static void test_custom_severity_levels(void **state)
{
    (void)state;
    static const char y[] = "id: PROJECT_CODE\ncategory: CUSTOM_IDENTIFIER\n"
                            "regex: 'PRJ-[0-9]{3}'\nseverity_levels:\n"
                            "  - {occurrences_threshold: 2, severity: LOW}\n"
                            "  - {occurrencesThreshold: 3, severity: HIGH}\n";
    struct rp_dataid_set *s = NULL;
    struct rp_dataid_scratch *sc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_set_new(&s, &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "p.yaml", y, strlen(y), &eb), RP_OK);
    assert_int_equal(rp_dataid_set_add_yaml(s, "plain.yaml", plain_yaml, strlen(plain_yaml), &eb),
                     RP_OK);
    assert_int_equal(rp_dataid_set_compile(s, &eb), RP_OK);
    assert_int_equal(rp_dataid_scratch_new(s, &sc), RP_OK);
    static const struct {
        const char *text, *label;
        rp_err code;
    } cases[] = {{"PRJ-001", NULL, RP_ENOENT},
                 {"PRJ-001 PRJ-002", "Low", RP_OK},
                 {"PRJ-001 PRJ-002 PRJ-003", "High", RP_OK},
                 {"TCK001", "Medium", RP_OK}};
    for (size_t i = 0; i < 4; i++) {
        struct rp_dataid_result r;
        assert_int_equal(
            rp_dataid_classify(s, sc, "x.txt", cases[i].text, strlen(cases[i].text), &r, &eb),
            RP_OK);
        struct rp_buf out;
        rp_buf_init(&out, 0);
        struct rp_dataid_object_ref o = {.bucket = "b", .key = "x.txt", .now_ms = 1};
        assert_int_equal(rp_dataid_finding_asff(&r, &o, &out, &eb), cases[i].code);
        if (cases[i].label) {
            const char *label = NULL;
            int score = 0;
            rp_dataid_finding_severity(&r, &label, &score);
            assert_string_equal(label, cases[i].label);
            assert_non_null(strstr(out.data, "SensitiveData:S3Object-CustomIdentifier"));
        }
        rp_buf_release(&out);
        rp_dataid_result_release(&r);
    }
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_keywords_and_distance),
        cmocka_unit_test(test_set_boundary_ignore_forbidden),
        cmocka_unit_test(test_set_allow_lists),
        cmocka_unit_test(test_set_bad_files),
        cmocka_unit_test(test_classify_locators),
        cmocka_unit_test(test_classify_reveal),
        cmocka_unit_test(test_classify_structured),
        cmocka_unit_test(test_custom_severity_levels),
    };
    return cmocka_run_group_tests_name("dataid_set", tests, NULL, NULL);
}
