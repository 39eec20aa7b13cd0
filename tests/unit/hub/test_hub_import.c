/* SPDX-License-Identifier: Apache-2.0 */
/* BatchImportFindings and BatchUpdateFindings semantics of the hub (src/hub/hub_import.c,
 * hub_merge.c, hub_store.c, hub_update.c): identity, newer/older/equal UpdatedAt, CreatedAt
 * kept, customer-owned fields surviving provider re-imports, FindingProviderFields, workflow
 * resets, per-finding errors with rejects, history records and deterministic Ids. Each test
 * uses a fresh in-memory store and reads results straight from the tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "hub/hub.h"
#include "store/store.h"

#define ARN "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default"
#define T1  "2026-01-01T00:00:00.000Z"
#define T2  "2026-01-02T00:00:00.000Z"
#define T3  "2026-01-03T00:00:00.000Z"
#define NOW 1767571200000LL /* 2026-01-05T00:00:00Z */

struct fx {
    struct rp_store *st;
    struct rp_json_parser *jp;
    char errors[8][256];
    size_t nerr;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &f->st, NULL), RP_OK);
    f->jp = rp_json_parser_new();
    assert_non_null(f->jp);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    rp_json_parser_free(f->jp);
    rp_store_free(f->st);
    free(f);
    return 0;
}

static rp_err on_error(void *ctx, const char *source, size_t item, const char *id, const char *code,
                       const char *msg)
{
    struct fx *f = ctx;
    if (f->nerr < 8)
        snprintf(f->errors[f->nerr++], sizeof f->errors[0], "%s|%zu|%s|%s|%s", source, item,
                 id ? id : "-", code, msg);
    return RP_OK;
}

/* Import the JSON text doc; returns the stats. */
static struct rp_hub_import_stats import(struct fx *f, const char *doc)
{
    struct rp_hub_import_opts o;
    struct rp_hub_importer *im = NULL;
    struct rp_hub_import_stats s;
    struct rp_errbuf eb = {RP_OK, ""};
    rp_hub_import_opts_init(&o);
    o.now_ms = NOW;
    o.on_error = on_error;
    o.ctx = f;
    assert_int_equal(rp_hub_importer_new(f->st, &o, &im, &eb), RP_OK);
    rp_err e = rp_hub_import_buf(im, doc, strlen(doc), "test.json", &eb);
    if (e) fail_msg("import: %s", eb.msg);
    rp_hub_importer_stats(im, &s);
    assert_int_equal(rp_hub_importer_finish(im, &eb), RP_OK);
    return s;
}

/* A finding with the given Id, UpdatedAt and extra members (a JSON fragment, "" for none). */
static char *finding(const char *id, const char *created, const char *updated, const char *extra)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(
        rp_buf_printf(&b,
                      "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"%s\",\"ProductArn\":\"" ARN
                      "\",\"GeneratorId\":\"gen-1\",\"AwsAccountId\":\"111122223333\","
                      "\"Types\":[\"TTPs/Discovery/Recon\"],\"CreatedAt\":\"%s\","
                      "\"UpdatedAt\":\"%s\",\"Severity\":{\"Label\":\"LOW\",\"Normalized\":1},"
                      "\"Title\":\"t-%s\",\"Description\":\"d\",\"Resources\":[{\"Type\":"
                      "\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:us-east-1:111122223333:instance/"
                      "i-1\"}]%s%s}",
                      id, created, updated, updated, *extra ? "," : "", extra),
        RP_OK);
    return rp_buf_take(&b, NULL);
}

/* The stored document of id, re-serialized; caller frees. NULL when absent. */
static char *stored(struct fx *f, const char *id)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(f->st,
                                           "SELECT d.doc FROM findings f JOIN finding_docs d ON "
                                           "d.rowid = f.rowid WHERE f.id = ?1",
                                           &s, NULL),
                     RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 1, id, NULL), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, NULL), RP_OK);
    if (!row) return NULL;
    char *r = strdup(rp_store_stmt_column_text(s, 0, NULL));
    rp_store_stmt_reset(s);
    return r;
}

/* The value at a dotted path of the stored document of id, as compact JSON. */
static char *at(struct fx *f, const char *id, const char *path)
{
    char *doc = stored(f, id);
    struct rp_json_val v;
    struct rp_buf b;
    assert_non_null(doc);
    assert_int_equal(rp_json_parse(f->jp, doc, strlen(doc), &v, NULL), RP_OK);
    free(doc);
    char p[256];
    snprintf(p, sizeof p, "%s", path);
    for (char *save = NULL, *k = strtok_r(p, ".", &save); k; k = strtok_r(NULL, ".", &save))
        if (rp_json_obj_get(v, k, &v) != RP_OK) return strdup("<absent>");
    rp_buf_init(&b, 0);
    assert_int_equal(rp_json_serialize(v, &b), RP_OK);
    return rp_buf_take(&b, NULL);
}

#define assert_at(f, id, path, want)                                                               \
    do {                                                                                           \
        char *got_ = at((f), (id), (path));                                                        \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static int64_t scalar(struct fx *f, const char *sql)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(f->st, sql, &s, NULL), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, NULL), RP_OK);
    assert_true(row);
    int64_t v = rp_store_stmt_column_int64(s, 0);
    rp_store_stmt_reset(s);
    return v;
}

static void update(struct fx *f, const char *request, size_t want_processed)
{
    struct rp_json_val rq;
    size_t n = 0;
    struct rp_errbuf eb = {RP_OK, ""};
    assert_int_equal(rp_json_parse(f->jp, request, strlen(request), &rq, NULL), RP_OK);
    rp_err e = rp_hub_update(f->st, rq, "analyst", NOW + 1000, on_error, f, &n, &eb);
    if (e) fail_msg("update: %s", eb.msg);
    assert_int_equal(n, want_processed);
}

#define IDENT(id) "\"FindingIdentifiers\":[{\"Id\":\"" id "\",\"ProductArn\":\"" ARN "\"}]"

/* ---- tests ------------------------------------------------------------------------------- */

static void test_import_creates_and_fills_defaults(void **state)
{
    struct fx *f = *state;
    char *a = finding("f-1", T1, T1, "");
    struct rp_hub_import_stats s = import(f, a);
    free(a);
    assert_int_equal(s.created, 1);
    assert_int_equal(s.failed, 0);
    /* as Security Hub: Workflow NEW, RecordState ACTIVE, FindingProviderFields from the top */
    assert_at(f, "f-1", "Workflow", "{\"Status\":\"NEW\"}");
    assert_at(f, "f-1", "RecordState", "\"ACTIVE\"");
    assert_at(f, "f-1", "FindingProviderFields",
              "{\"Severity\":{\"Label\":\"LOW\",\"Normalized\":1},\"Types\":[\"TTPs/Discovery/"
              "Recon\"]}");
    assert_int_equal(scalar(f, "SELECT count(*) FROM finding_history"), 0);
    assert_int_equal(scalar(f, "SELECT first_imported_at FROM findings"), NOW);
}

static void test_import_round_trip_complete_document(void **state)
{
    struct fx *f = *state;
    char *a = finding("f-rt", T1, T2,
                      "\"Workflow\":{\"Status\":\"NOTIFIED\"},\"RecordState\":\"ACTIVE\","
                      "\"FindingProviderFields\":{\"Severity\":{\"Label\":\"LOW\",\"Normalized\":"
                      "1},\"Types\":[\"TTPs/Discovery/Recon\"]},\"Note\":{\"Text\":\"n\","
                      "\"UpdatedBy\":\"me\",\"UpdatedAt\":\"" T1 "\"},\"ProductFields\":{\"k\":"
                      "\"v\"}");
    import(f, a);
    char *doc = stored(f, "f-rt");
    assert_string_equal(doc, a); /* byte for byte: nothing added, nothing reordered */
    free(doc);
    free(a);
}

static void test_import_newer_replaces_older_and_equal_ignored(void **state)
{
    struct fx *f = *state;
    char *a = finding("f-2", T1, T2, "");
    char *newer = finding("f-2", T3, T3, ""); /* a different CreatedAt must not win */
    char *older = finding("f-2", T1, T1, "");
    char *equal = finding("f-2", T1, T3, "\"Description\":\"changed\"");
    struct rp_hub_import_stats s = import(f, a);
    assert_int_equal(s.created, 1);
    s = import(f, older);
    assert_int_equal(s.unchanged, 1);
    assert_at(f, "f-2", "Title", "\"t-" T2 "\"");
    s = import(f, newer);
    assert_int_equal(s.updated, 1);
    assert_at(f, "f-2", "Title", "\"t-" T3 "\"");
    assert_at(f, "f-2", "CreatedAt", "\"" T1 "\"");
    assert_at(f, "f-2", "UpdatedAt", "\"" T3 "\"");
    s = import(f, equal);
    assert_int_equal(s.unchanged, 1);
    assert_at(f, "f-2", "Description", "\"d\"");
    assert_int_equal(scalar(f, "SELECT count(*) FROM findings"), 1);
    free(a);
    free(newer);
    free(older);
    free(equal);
}

static void test_import_keeps_customer_fields(void **state)
{
    struct fx *f = *state;
    char *a = finding("f-3", T1, T1, "");
    import(f, a);
    update(f,
           "{" IDENT("f-3") ",\"Workflow\":{\"Status\":\"NOTIFIED\"},\"Note\":{\"Text\":\"on it\","
                            "\"UpdatedBy\":\"ana\"},\"UserDefinedFields\":{\"ticket\":\"SEC-1\"},"
                            "\"VerificationState\":\"TRUE_POSITIVE\",\"Severity\":{\"Label\":"
                            "\"CRITICAL\"},\"Confidence\":80}",
           1);
    /* the provider re-imports with its own values for all of these */
    char *b = finding("f-3", T1, T2,
                      "\"Workflow\":{\"Status\":\"NEW\"},\"Note\":{\"Text\":\"provider\","
                      "\"UpdatedBy\":\"p\",\"UpdatedAt\":\"" T2 "\"},\"UserDefinedFields\":{},"
                      "\"VerificationState\":\"UNKNOWN\",\"Confidence\":10,"
                      "\"FindingProviderFields\":{\"Severity\":{\"Label\":\"MEDIUM\"},\"Types\":["
                      "\"TTPs/Discovery/Recon\"],\"Confidence\":10}");
    struct rp_hub_import_stats s = import(f, b);
    assert_int_equal(s.updated, 1);
    assert_at(f, "f-3", "Workflow", "{\"Status\":\"NOTIFIED\"}");
    assert_at(
        f, "f-3", "Note",
        "{\"Text\":\"on it\",\"UpdatedBy\":\"ana\",\"UpdatedAt\":\"2026-01-05T00:00:01.000Z\"}");
    assert_at(f, "f-3", "UserDefinedFields", "{\"ticket\":\"SEC-1\"}");
    assert_at(f, "f-3", "VerificationState", "\"TRUE_POSITIVE\"");
    /* the customer changed Severity and Confidence: they stay; FindingProviderFields moves */
    assert_at(f, "f-3", "Severity", "{\"Label\":\"CRITICAL\",\"Normalized\":90}");
    assert_at(f, "f-3", "Confidence", "80");
    assert_at(f, "f-3", "FindingProviderFields.Severity", "{\"Label\":\"MEDIUM\"}");
    assert_at(f, "f-3", "Title", "\"t-" T2 "\"");
    free(a);
    free(b);
}

static void test_import_top_level_follows_provider_fields(void **state)
{
    struct fx *f = *state;
    char *a = finding("f-4", T1, T1,
                      "\"FindingProviderFields\":{\"Severity\":{\"Normalized\":75},\"Types\":["
                      "\"Effects/Data Exposure\"]}");
    import(f, a);
    /* FindingProviderFields wins over the provider's own top-level values; Label derived */
    assert_at(f, "f-4", "Severity", "{\"Normalized\":75,\"Label\":\"HIGH\"}");
    assert_at(f, "f-4", "Types", "[\"Effects/Data Exposure\"]");
    assert_int_equal(scalar(f, "SELECT severity_normalized FROM findings WHERE id = 'f-4'"), 75);
    free(a);
}

static void test_workflow_resets_on_reactivation(void **state)
{
    struct fx *f = *state;
    char *a = finding("r", T1, T1, "\"RecordState\":\"ARCHIVED\"");
    char *s1 = finding("s", T1, T1, "\"RecordState\":\"ARCHIVED\"");
    import(f, a);
    import(f, s1);
    update(f, "{" IDENT("r") ",\"Workflow\":{\"Status\":\"RESOLVED\"}}", 1);
    update(f, "{" IDENT("s") ",\"Workflow\":{\"Status\":\"SUPPRESSED\"}}", 1);
    char *b = finding("r", T1, T2, "\"RecordState\":\"ACTIVE\"");
    char *s2 = finding("s", T1, T2, "\"RecordState\":\"ACTIVE\"");
    import(f, b);
    import(f, s2);
    assert_at(f, "r", "Workflow", "{\"Status\":\"NEW\"}");
    assert_at(f, "s", "Workflow", "{\"Status\":\"SUPPRESSED\"}"); /* suppressed stays */
    free(a);
    free(b);
    free(s1);
    free(s2);
}

static void test_workflow_resets_when_compliance_fails_again(void **state)
{
    struct fx *f = *state;
    char *a = finding("c", T1, T1, "\"Compliance\":{\"Status\":\"PASSED\"}");
    char *b = finding("c", T1, T2, "\"Compliance\":{\"Status\":\"FAILED\"}");
    import(f, a);
    update(f, "{" IDENT("c") ",\"Workflow\":{\"Status\":\"NOTIFIED\"}}", 1);
    import(f, b);
    assert_at(f, "c", "Workflow", "{\"Status\":\"NEW\"}");
    assert_int_equal(scalar(f, "SELECT count(*) FROM findings WHERE workflow_status = 'NEW' AND "
                               "compliance_status = 'FAILED'"),
                     1);
    free(a);
    free(b);
}

static void test_control_finding_passed_is_resolved(void **state)
{
    struct fx *f = *state;
    char *a = finding("ctl", T1, T1, "\"Compliance\":{\"Status\":\"FAILED\"}");
    import(f, a);
    assert_at(f, "ctl", "Workflow", "{\"Status\":\"NEW\"}");
    /* a generator "security-control/.." marks a control finding */
    const char *b = "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"ctl2\",\"ProductArn\":\"" ARN
                    "\",\"GeneratorId\":\"security-control/S3.1\",\"AwsAccountId\":"
                    "\"111122223333\",\"Types\":[\"Software and Configuration Checks\"],"
                    "\"CreatedAt\":\"" T1 "\",\"UpdatedAt\":\"" T1 "\",\"Severity\":{\"Label\":"
                    "\"MEDIUM\"},\"Title\":\"S3.1\",\"Description\":\"d\",\"Resources\":[{"
                    "\"Type\":\"AwsAccount\",\"Id\":\"AWS::::Account:111122223333\"}],"
                    "\"Compliance\":{\"Status\":\"PASSED\"}}";
    import(f, b);
    assert_at(f, "ctl2", "Workflow", "{\"Status\":\"RESOLVED\"}");
    free(a);
}

#define PRODUCER_FMT                                                                               \
    "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"%s\",\"ProductArn\":\"%s\","                       \
    "\"GeneratorId\":\"Recon:EC2/Portscan\",\"AwsAccountId\":\"111122223333\","                    \
    "\"Types\":[\"TTPs/Discovery/Recon:EC2-Portscan\"],\"CreatedAt\":\"" T1                        \
    "\",\"UpdatedAt\":\"%s\",\"FirstObservedAt\":\"" T1                                            \
    "\",\"LastObservedAt\":\"%s\",\"Severity\":{\"Label\":\"MEDIUM\"},\"Title\":"                  \
    "\"Portscan\",\"Description\":\"d\",\"Resources\":[{\"Type\":"                                 \
    "\"AwsEc2Instance\",\"Id\":\"i-1\"}]}"

static void test_rampart_producer_reopens_when_seen_again(void **state)
{
    struct fx *f = *state;
    char arn[256], id[RP_HUB_ID_MAX];
    assert_int_equal(rp_hub_product_arn("detect", "us-east-1", "111122223333", arn, sizeof arn),
                     RP_OK);
    assert_string_equal(arn, "arn:aws:securityhub:us-east-1:111122223333:product/rampart/detect");
    assert_int_equal(rp_hub_finding_id("detect", "Recon:EC2/Portscan", "i-1", "", id), RP_OK);
    char doc[2048], req[512];

    snprintf(doc, sizeof doc, PRODUCER_FMT, id, arn, T1, T1);
    import(f, doc);
    snprintf(req, sizeof req,
             "{\"FindingIdentifiers\":[{\"Id\":\"%s\",\"ProductArn\":\"%s\"}],\"Workflow\":{"
             "\"Status\":\"RESOLVED\"}}",
             id, arn);
    update(f, req, 1);
    /* the same run again (same LastObservedAt, newer UpdatedAt): stays resolved */
    snprintf(doc, sizeof doc, PRODUCER_FMT, id, arn, T2, T1);
    import(f, doc);
    assert_at(f, id, "Workflow", "{\"Status\":\"RESOLVED\"}");
    /* the activity happens again: re-opened */
    snprintf(doc, sizeof doc, PRODUCER_FMT, id, arn, T3, T3);
    import(f, doc);
    assert_at(f, id, "Workflow", "{\"Status\":\"NEW\"}");
}

/* A Rampart analysis re-run sends "first seen" as the time of the run; the stored, earlier
 * FirstObservedAt stays. Another provider's value is taken as sent. */
static void test_rampart_producer_keeps_first_observed(void **state)
{
    struct fx *f = *state;
    char arn[256], id[RP_HUB_ID_MAX], doc[2048];
    static const char fmt[] =
        "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"%s\",\"ProductArn\":\"%s\","
        "\"GeneratorId\":\"AWSInspector\",\"AwsAccountId\":\"111122223333\",\"Types\":["
        "\"Software and Configuration Checks/Vulnerabilities/CVE\"],\"CreatedAt\":\"%s\","
        "\"UpdatedAt\":\"%s\",\"FirstObservedAt\":\"%s\",\"LastObservedAt\":\"%s\","
        "\"Severity\":{\"Label\":\"HIGH\"},\"Title\":\"CVE\",\"Description\":\"d\","
        "\"Resources\":[{\"Type\":\"AwsEc2Instance\",\"Id\":\"i-1\"}]}";
    assert_int_equal(rp_hub_product_arn("inspector", "us-east-1", "111122223333", arn, sizeof arn),
                     RP_OK);
    assert_int_equal(rp_hub_finding_id("inspector", "PACKAGE_VULNERABILITY", "i-1", "CVE-1", id),
                     RP_OK);
    snprintf(doc, sizeof doc, fmt, id, arn, T1, T1, T1, T1);
    import(f, doc);
    snprintf(doc, sizeof doc, fmt, id, arn, T3, T3, T3, T3);
    import(f, doc);
    assert_at(f, id, "FirstObservedAt", "\"" T1 "\"");
    assert_at(f, id, "LastObservedAt", "\"" T3 "\"");
    assert_at(f, id, "CreatedAt", "\"" T1 "\"");
    /* not a Rampart producer: the provider's FirstObservedAt */
    const char *other = "arn:aws:securityhub:us-east-1::product/aws/inspector";
    snprintf(doc, sizeof doc, fmt, "f-other", other, T1, T1, T1, T1);
    import(f, doc);
    snprintf(doc, sizeof doc, fmt, "f-other", other, T1, T3, T2, T3);
    import(f, doc);
    assert_at(f, "f-other", "FirstObservedAt", "\"" T2 "\"");
}

static void test_finding_id_is_deterministic(void **state)
{
    (void)state;
    char a[RP_HUB_ID_MAX], b[RP_HUB_ID_MAX], c[RP_HUB_ID_MAX], d[RP_HUB_ID_MAX];
    assert_int_equal(rp_hub_finding_id("detect", "Recon:EC2/Portscan", "i-1", "203.0.113.9", a),
                     RP_OK);
    assert_int_equal(rp_hub_finding_id("detect", "Recon:EC2/Portscan", "i-1", "203.0.113.9", b),
                     RP_OK);
    assert_int_equal(rp_hub_finding_id("detect", "Recon:EC2/Portscan", "i-1", "203.0.113.10", c),
                     RP_OK);
    assert_int_equal(rp_hub_finding_id("detect", "Recon:EC2/Portscan", "i-12", "03.0.113.9", d),
                     RP_OK);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d); /* fields are separated, not concatenated */
    assert_int_equal(strlen(a), strlen("detect/") + 32);
    assert_memory_equal(a, "detect/", 7);
}

static void test_import_reports_each_bad_finding(void **state)
{
    struct fx *f = *state;
    char *good1 = finding("g1", T1, T1, "");
    char *good2 = finding("g2", T1, T1, "");
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_printf(&b,
                                   "{\"Findings\":[%s,{\"SchemaVersion\":\"2018-10-08\",\"Id\":"
                                   "\"no-title\"},42,%s]}",
                                   good1, good2),
                     RP_OK);
    struct rp_hub_import_stats s = import(f, b.data);
    assert_int_equal(s.created, 2);
    assert_int_equal(s.failed, 2);
    assert_int_equal(f->nerr, 2);
    assert_string_equal(f->errors[0], "test.json|1|no-title|MissingRequiredField|item 1: missing "
                                      "required field 'ProductArn'");
    assert_string_equal(f->errors[1],
                        "test.json|2|-|InvalidInput|item 2: asff: a finding must be a "
                        "JSON object, not int");
    assert_int_equal(scalar(f, "SELECT count(*) FROM rejects"), 2);
    rp_buf_release(&b);
    free(good1);
    free(good2);
}

static void test_import_validation_messages(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *extra;
        const char *want;
    } cases[] = {
        {"\"Severity\":{\"Label\":\"SEVERE\"}",
         "InvalidInput|item 0: 'Severity.Label' is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, "
         "CRITICAL"},
        {"\"Confidence\":101",
         "InvalidInput|item 0: 'Confidence' must be an integer from 0 to 100"},
        {"\"Workflow\":{\"Status\":\"DONE\"}", "InvalidInput|item 0: 'Workflow.Status' has an "
                                               "invalid value"},
        {"\"LastObservedAt\":\"yesterday\"",
         "InvalidInput|item 0: 'LastObservedAt' is not an ISO 8601 timestamp"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* put the bad member first so it is the one read */
        char *good = finding("v", T1, T1, "");
        struct rp_buf b;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_buf_printf(&b, "{%s,%s", cases[i].extra, good + 1), RP_OK);
        f->nerr = 0;
        struct rp_hub_import_stats s = import(f, b.data);
        assert_int_equal(s.failed, 1);
        char want[512];
        snprintf(want, sizeof want, "test.json|0|v|%s", cases[i].want);
        assert_string_equal(f->errors[0], want);
        rp_buf_release(&b);
        free(good);
    }
}

static void test_import_json_lines_reports_line(void **state)
{
    struct fx *f = *state;
    char *a = finding("l1", T1, T1, "");
    char *c = finding("l3", T1, T1, "");
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_printf(&b, "%s\n{\"Id\": oops}\n%s\n", a, c), RP_OK);
    struct rp_hub_import_stats s = import(f, b.data);
    assert_int_equal(s.created, 2);
    assert_int_equal(s.failed, 1);
    assert_string_equal(f->errors[0], "test.json|1|-|InvalidInput|line 2: json: unexpected "
                                      "character 'o' at offset 7");
    assert_int_equal(scalar(f, "SELECT line FROM rejects"), 2);
    rp_buf_release(&b);
    free(a);
    free(c);
}

static rp_err collect(void *ctx, const char *rec, size_t len)
{
    struct rp_buf *b = ctx;
    return rp_buf_append(b, rec, len) || rp_buf_putc(b, '\n') ? RP_ENOMEM : RP_OK;
}

static void test_update_errors_and_history(void **state)
{
    struct fx *f = *state;
    char *a = finding("h", T1, T1, "");
    char *b = finding("h", T1, T2, "");
    import(f, a);
    update(f,
           "{\"FindingIdentifiers\":[{\"Id\":\"h\",\"ProductArn\":\"" ARN
           "\"},{\"Id\":\"nope\",\"ProductArn\":\"" ARN "\"}],\"Workflow\":{\"Status\":"
           "\"NOTIFIED\"}}",
           1);
    assert_int_equal(f->nerr, 1);
    assert_string_equal(f->errors[0], "FindingIdentifiers|1|nope|FindingNotFound|no finding "
                                      "'nope' of product '" ARN "'");
    import(f, b);

    struct rp_json_val rq;
    struct rp_errbuf eb = {RP_OK, ""};
    const char *bad = "{" IDENT("h") ",\"Workflow\":{\"Status\":\"CLOSED\"}}";
    assert_int_equal(rp_json_parse(f->jp, bad, strlen(bad), &rq, NULL), RP_OK);
    assert_int_equal(rp_hub_update(f->st, rq, NULL, NOW, NULL, NULL, NULL, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "hub: 'Workflow.Status' must be one of NEW, NOTIFIED, RESOLVED, "
                                "SUPPRESSED");
    const char *none = "{" IDENT("h") "}";
    assert_int_equal(rp_json_parse(f->jp, none, strlen(none), &rq, NULL), RP_OK);
    assert_int_equal(rp_hub_update(f->st, rq, NULL, NOW, NULL, NULL, NULL, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "hub: the update request changes nothing");

    /* history: created, then the customer's workflow change, then the provider's update */
    struct rp_buf h;
    rp_buf_init(&h, 0);
    assert_int_equal(rp_hub_history(f->st, ARN, "h", collect, &h, &eb), RP_OK);
    assert_string_equal(
        h.data, "{\"FindingIdentifier\":{\"Id\":\"h\",\"ProductArn\":\"" ARN
                "\"},\"UpdateTime\":\"2026-01-05T00:00:00.000Z\",\"FindingCreated\":true,"
                "\"UpdateSource\":{\"Type\":\"BATCH_IMPORT_FINDINGS\",\"Identity\":\"" ARN
                "\"},\"Updates\":[]}\n"
                "{\"FindingIdentifier\":{\"Id\":\"h\",\"ProductArn\":\"" ARN
                "\"},\"UpdateTime\":\"2026-01-05T00:00:01.000Z\",\"FindingCreated\":false,"
                "\"UpdateSource\":{\"Type\":\"BATCH_UPDATE_FINDINGS\",\"Identity\":\"analyst\"},"
                "\"Updates\":[{\"UpdatedField\":\"Workflow\",\"OldValue\":\"{\\\"Status\\\":"
                "\\\"NEW\\\"}\",\"NewValue\":\"{\\\"Status\\\":\\\"NOTIFIED\\\"}\"}]}\n"
                "{\"FindingIdentifier\":{\"Id\":\"h\",\"ProductArn\":\"" ARN
                "\"},\"UpdateTime\":\"2026-01-05T00:00:00.000Z\",\"FindingCreated\":false,"
                "\"UpdateSource\":{\"Type\":\"BATCH_IMPORT_FINDINGS\",\"Identity\":\"" ARN
                "\"},\"Updates\":[{\"UpdatedField\":\"UpdatedAt\",\"OldValue\":\"\\\"" T1
                "\\\"\",\"NewValue\":\"\\\"" T2 "\\\"\"},{\"UpdatedField\":\"Title\",\"OldValue\":"
                "\"\\\"t-" T1 "\\\"\",\"NewValue\":\"\\\"t-" T2 "\\\"\"}]}\n");
    rp_buf_release(&h);
    free(a);
    free(b);
}

static void test_history_records_shape(void **state)
{
    struct fx *f = *state;
    char *a = finding("hs", T1, T1, "");
    import(f, a);
    struct rp_buf b;
    struct rp_errbuf eb = {RP_OK, ""};
    rp_buf_init(&b, 0);
    assert_int_equal(rp_hub_history(f->st, ARN, "hs", collect, &b, &eb), RP_OK);
    assert_string_equal(b.data,
                        "{\"FindingIdentifier\":{\"Id\":\"hs\",\"ProductArn\":\"" ARN
                        "\"},\"UpdateTime\":\"2026-01-05T00:00:00.000Z\",\"FindingCreated\":"
                        "true,\"UpdateSource\":{\"Type\":\"BATCH_IMPORT_FINDINGS\","
                        "\"Identity\":\"" ARN "\"},\"Updates\":[]}\n");
    assert_int_equal(rp_hub_history(f->st, ARN, "other", collect, &b, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "hub: no finding 'other' of product '" ARN "'");
    rp_buf_release(&b);
    free(a);
}

static void test_user_defined_fields_merge_and_delete(void **state)
{
    struct fx *f = *state;
    char *a = finding("u", T1, T1, "");
    import(f, a);
    update(f, "{" IDENT("u") ",\"UserDefinedFields\":{\"a\":\"1\",\"b\":\"2\"}}", 1);
    update(f, "{" IDENT("u") ",\"UserDefinedFields\":{\"a\":\"\",\"c\":\"3\"}}", 1);
    assert_at(f, "u", "UserDefinedFields", "{\"b\":\"2\",\"c\":\"3\"}");
    free(a);
}

static void test_multi_valued_attributes_go_to_values(void **state)
{
    struct fx *f = *state;
    const char *doc =
        "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"m\",\"ProductArn\":\"" ARN
        "\",\"GeneratorId\":\"g\",\"AwsAccountId\":\"111122223333\",\"Types\":[\"A\",\"B\","
        "\"C\"],\"CreatedAt\":\"" T1 "\",\"UpdatedAt\":\"" T1 "\",\"Severity\":{\"Label\":\"LOW\"},"
        "\"Title\":\"t\",\"Description\":\"d\",\"Resources\":[{\"Type\":\"AwsS3Bucket\",\"Id\":"
        "\"arn:aws:s3:::x\"},{\"Type\":\"AwsIamRole\",\"Id\":\"arn:aws:iam::1:role/r\"}]}";
    import(f, doc);
    assert_int_equal(scalar(f, "SELECT count(*) FROM findings WHERE type0 = 'A' AND resource_id = "
                               "'arn:aws:s3:::x' AND resource_type = 'AwsS3Bucket'"),
                     1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM finding_values"), 4);
    assert_int_equal(scalar(f, "SELECT count(*) FROM finding_values WHERE field = 'ResourceId' AND "
                               "value = 'arn:aws:iam::1:role/r'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_creates_and_fills_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_round_trip_complete_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_newer_replaces_older_and_equal_ignored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_keeps_customer_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_top_level_follows_provider_fields, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_workflow_resets_on_reactivation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workflow_resets_when_compliance_fails_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_control_finding_passed_is_resolved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rampart_producer_keeps_first_observed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rampart_producer_reopens_when_seen_again, setup,
                                        teardown),
        cmocka_unit_test(test_finding_id_is_deterministic),
        cmocka_unit_test_setup_teardown(test_import_reports_each_bad_finding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_validation_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_json_lines_reports_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_errors_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_records_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_defined_fields_merge_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_valued_attributes_go_to_values, setup, teardown),
    };
    return cmocka_run_group_tests_name("hub_import", tests, NULL, NULL);
}
