/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the Kubernetes audit format (src/ingest/ingest_k8saudit.c): audit.k8s.io/v1
 * and v1beta1 Events, a webhook EventList, EKS events exported from CloudWatch Logs (the Event
 * as a JSON string in "message"), the cluster from a log group or a path, rejects with their
 * exact reasons, probe scores against every fixture of the three formats, and the table
 * against the migration's schema (UNIQUE(auditID, stage) drops repeats). Fixtures:
 * tests/fixtures/k8saudit/ (hand-written). Rows are compared whole: the expected row lists
 * every non-RAW column in table order, NULL where the test sets nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit/ingest/ingest_test_rows.h"
#include "unit/ingest/ingest_test_sink.h"
#include "unit/ingest/ingest_test_schema.h"

extern const struct rp_ingest_source rp_ingest_src_k8saudit;
#define SRC (&rp_ingest_src_k8saudit)

static const char k8s_table[] = "k8s_audit_logs";

/* The table's non-RAW columns in order, written out here rather than read from the
 * descriptor, so a change in the descriptor shows up as a failure. */
static const char *const k8s_cols[] = {
    "kind",
    "apiVersion",
    "level",
    "auditID",
    "stage",
    "requestURI",
    "verb",
    "user",
    "impersonatedUser",
    "sourceIPs",
    "userAgent",
    "objectRef",
    "responseStatus",
    "requestObject",
    "responseObject",
    "requestReceivedTimestamp",
    "stageTimestamp",
    "annotations",
    "rp_time_ms",
    "rp_user",
    "rp_src_ip",
    "rp_resource",
    "rp_namespace",
    "rp_name",
    "rp_response_code",
    "rp_cluster",
    NULL,
};

/* ---- events ------------------------------------------------------------------------------ */

/* The v1 events: the last sourceIPs entry is rp_src_ip, MicroTime truncates to ms. */
static void expect_v1(struct rp_buf *exp, const char *cluster)
{
    char c[128];
    snprintf(c, sizeof c, "rp_cluster=%s", cluster);
    rp_test_row_add(
        exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1",
        "level=RequestResponse", "auditID=6c2b0a4e-1d2f-4a5b-9c8d-000000000001",
        "stage=ResponseComplete", "requestURI=/api/v1/namespaces/shop/pods", "verb=create",
        "user={\"username\":\"kubernetes-admin\",\"uid\":\"aws-iam-authenticator:"
        "111122223333:AROAEXAMPLEID\",\"groups\":[\"system:masters\",\"system:"
        "authenticated\"],\"extra\":{\"arn\":[\"arn:aws:sts::111122223333:assumed-role/"
        "eks-admin/alice\"],\"sessionName\":[\"alice\"]}}",
        "sourceIPs=[\"198.51.100.23\",\"10.0.0.12\"]",
        "userAgent=kubectl/v1.28.2 (linux/amd64) kubernetes/89a4ea3",
        "objectRef={\"resource\":\"pods\",\"namespace\":\"shop\",\"name\":\"cart-7d9f\","
        "\"apiVersion\":\"v1\"}",
        "responseStatus={\"metadata\":{},\"code\":201}",
        "requestObject={\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
        "\"cart-7d9f\"}}",
        "responseObject={\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
        "\"cart-7d9f\",\"namespace\":\"shop\",\"uid\":\"0f0e0d0c-0000-4000-8000-"
        "000000000001\"}}",
        "requestReceivedTimestamp=2023-10-12T08:53:31.123456Z",
        "stageTimestamp=2023-10-12T08:53:31.187654Z",
        "annotations={\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/"
        "reason\":\"\"}",
        "rp_time_ms=1697100811187", "rp_user=kubernetes-admin", "rp_src_ip=10.0.0.12",
        "rp_resource=pods", "rp_namespace=shop", "rp_name=cart-7d9f", "rp_response_code=201", c,
        NULL);
    rp_test_row_add(
        exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1", "level=Metadata",
        "auditID=6c2b0a4e-1d2f-4a5b-9c8d-000000000002", "stage=ResponseComplete",
        "requestURI=/api/v1/namespaces/kube-system/secrets/aws-auth-token", "verb=get",
        "user={\"username\":\"system:serviceaccount:shop:cart\",\"uid\":\"11111111-2222-"
        "4333-8444-555555555555\",\"groups\":[\"system:serviceaccounts\",\"system:"
        "serviceaccounts:shop\",\"system:authenticated\"]}",
        "impersonatedUser={\"username\":\"system:admin\",\"groups\":[\"system:masters\"]}",
        "sourceIPs=[\"2001:DB8::0:7\"]", "userAgent=curl/8.4.0",
        "objectRef={\"resource\":\"secrets\",\"namespace\":\"kube-system\",\"name\":\"aws-"
        "auth-token\",\"apiVersion\":\"v1\"}",
        "responseStatus={\"metadata\":{},\"status\":\"Failure\",\"message\":\"secrets "
        "\\\"aws-auth-token\\\" is forbidden\",\"reason\":\"Forbidden\",\"code\":403}",
        "requestReceivedTimestamp=2023-10-12T08:54:00.000001Z",
        "stageTimestamp=2023-10-12T08:54:00.002999Z",
        "annotations={\"authorization.k8s.io/decision\":\"forbid\",\"authorization.k8s.io/"
        "reason\":\"\"}",
        "rp_time_ms=1697100840002", "rp_user=system:serviceaccount:shop:cart",
        "rp_src_ip=2001:db8::7", "rp_resource=secrets", "rp_namespace=kube-system",
        "rp_name=aws-auth-token", "rp_response_code=403", c, NULL);
    /* A source address that is not an address gives no rp_src_ip (the event is kept). */
    rp_test_row_add(
        exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1", "level=Metadata",
        "auditID=6c2b0a4e-1d2f-4a5b-9c8d-000000000003", "stage=RequestReceived",
        "requestURI=/version", "verb=get",
        "user={\"username\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]}",
        "sourceIPs=[\"not-an-ip\"]", "userAgent=Go-http-client/1.1",
        "requestReceivedTimestamp=2023-10-12T08:55:10.500000Z",
        "stageTimestamp=2023-10-12T08:55:10.500000Z", "rp_time_ms=1697100910500",
        "rp_user=system:anonymous", c, NULL);
}

static void test_k8saudit_v1(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    expect_v1(&exp, "NULL");
    rp_test_check_fixture(SRC, "k8saudit", "v1.jsonl", NULL, &exp);
    rp_buf_release(&exp);
}

/* v1beta1: metadata and timestamp are extra members (kept only in rp_raw); an event with
 * neither requestReceivedTimestamp nor stageTimestamp takes its time from timestamp. */
static void test_k8saudit_v1beta1(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(
        &exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1beta1", "level=Request",
        "auditID=0a9b8c7d-0000-4000-8000-00000000be01", "stage=ResponseComplete",
        "requestURI=/apis/apps/v1/namespaces/default/deployments/web", "verb=patch",
        "user={\"username\":\"ci-bot\",\"groups\":[\"system:authenticated\"]}",
        "sourceIPs=[\"10.2.0.5\"]",
        "objectRef={\"resource\":\"deployments\",\"namespace\":\"default\",\"name\":\"web\","
        "\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"}",
        "responseStatus={\"metadata\":{},\"code\":200}",
        "requestObject={\"spec\":{\"replicas\":3}}",
        "requestReceivedTimestamp=2019-03-05T10:11:12.345678Z",
        "stageTimestamp=2019-03-05T10:11:12.400000Z", "rp_time_ms=1551780672400", "rp_user=ci-bot",
        "rp_src_ip=10.2.0.5", "rp_resource=deployments", "rp_namespace=default", "rp_name=web",
        "rp_response_code=200", NULL);
    rp_test_row_add(
        &exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1beta1",
        "level=Metadata", "auditID=0a9b8c7d-0000-4000-8000-00000000be02", "stage=ResponseStarted",
        "requestURI=/api/v1/watch/pods", "verb=watch",
        "user={\"username\":\"system:kube-scheduler\",\"groups\":[\"system:authenticated\"]}",
        "sourceIPs=[\"127.0.0.1\"]", "objectRef={\"resource\":\"pods\",\"apiVersion\":\"v1\"}",
        "rp_time_ms=1504224001000", "rp_user=system:kube-scheduler", "rp_src_ip=127.0.0.1",
        "rp_resource=pods", NULL);
    rp_test_check_fixture(SRC, "k8saudit", "v1beta1.jsonl", NULL, &exp);
    rp_buf_release(&exp);
}

/* A webhook EventList: each item is a record, whether or not it repeats kind/apiVersion. */
static void test_k8saudit_eventlist(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, k8s_table, k8s_cols, "level=Metadata",
                    "auditID=5d4c3b2a-0000-4000-8000-0000000000e1", "stage=ResponseComplete",
                    "requestURI=/api/v1/namespaces/default/pods/web-1/exec?"
                    "command=sh",
                    "verb=create",
                    "user={\"username\":\"bob\",\"groups\":[\"dev\",\"system:authenticated\"]}",
                    "sourceIPs=[\"10.3.0.9\"]",
                    "objectRef={\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"web-1\","
                    "\"apiVersion\":\"v1\",\"subresource\":\"exec\"}",
                    "responseStatus={\"metadata\":{},\"code\":101}",
                    "requestReceivedTimestamp=2024-01-02T03:04:05.678901Z",
                    "stageTimestamp=2024-01-02T03:04:06.000000Z", "rp_time_ms=1704164646000",
                    "rp_user=bob", "rp_src_ip=10.3.0.9", "rp_resource=pods", "rp_namespace=default",
                    "rp_name=web-1", "rp_response_code=101", NULL);
    rp_test_row_add(
        &exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1", "level=Metadata",
        "auditID=5d4c3b2a-0000-4000-8000-0000000000e2", "stage=ResponseComplete",
        "requestURI=/api/v1/namespaces", "verb=list", "user={\"username\":\"bob\"}",
        "sourceIPs=[\"10.3.0.9\"]", "objectRef={\"resource\":\"namespaces\",\"apiVersion\":\"v1\"}",
        "responseStatus={\"metadata\":{},\"code\":200}",
        "requestReceivedTimestamp=2024-01-02T03:04:07.000000Z",
        "stageTimestamp=2024-01-02T03:04:07.010000Z", "rp_time_ms=1704164647010", "rp_user=bob",
        "rp_src_ip=10.3.0.9", "rp_resource=namespaces", "rp_response_code=200", NULL);
    rp_test_check_fixture(SRC, "k8saudit", "eventlist.json", NULL, &exp);
    rp_buf_release(&exp);
}

/* CloudWatch Logs lines: the Event is the JSON text of "message"; "logGroup" names the
 * cluster. */
static void expect_cloudwatch(struct rp_buf *exp, const char *second_cluster)
{
    char c[128];
    snprintf(c, sizeof c, "rp_cluster=%s", second_cluster);
    rp_test_row_add(
        exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1", "level=Metadata",
        "auditID=7e6d5c4b-0000-4000-8000-0000000000c1", "stage=ResponseComplete",
        "requestURI=/api/v1/namespaces/default/configmaps", "verb=list",
        "user={\"username\":\"eks:node-manager\"}", "sourceIPs=[\"10.4.0.2\"]",
        "objectRef={\"resource\":\"configmaps\",\"namespace\":\"default\",\"apiVersion\":"
        "\"v1\"}",
        "responseStatus={\"metadata\":{},\"code\":200}",
        "requestReceivedTimestamp=2023-10-12T08:53:31.100000Z",
        "stageTimestamp=2023-10-12T08:53:31.120000Z", "rp_time_ms=1697100811120",
        "rp_user=eks:node-manager", "rp_src_ip=10.4.0.2", "rp_resource=configmaps",
        "rp_namespace=default", "rp_response_code=200", "rp_cluster=prod-eks", NULL);
    rp_test_row_add(
        exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1", "level=Metadata",
        "auditID=7e6d5c4b-0000-4000-8000-0000000000c2", "stage=ResponseComplete",
        "requestURI=/healthz", "verb=get", "user={\"username\":\"system:anonymous\"}",
        "sourceIPs=[\"10.4.0.3\"]", "responseStatus={\"metadata\":{},\"code\":200}",
        "requestReceivedTimestamp=2023-10-12T08:53:32.000000Z",
        "stageTimestamp=2023-10-12T08:53:32.000500Z", "rp_time_ms=1697100812000",
        "rp_user=system:anonymous", "rp_src_ip=10.4.0.3", "rp_response_code=200", c, NULL);
}

static void test_k8saudit_cloudwatch(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    expect_cloudwatch(&exp, "NULL");
    rp_test_check_fixture(SRC, "k8saudit", "cloudwatch.jsonl", NULL, &exp);
    rp_buf_release(&exp);
}

/* `aws logs filter-log-events` output: "events" is a container of CloudWatch events. */
static void test_k8saudit_cloudwatch_events_container(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, k8s_table, k8s_cols, "kind=Event", "apiVersion=audit.k8s.io/v1",
                    "auditID=a1", "stage=Panic", "stageTimestamp=2023-10-12T08:53:31Z",
                    "rp_time_ms=1697100811000", NULL);
    rp_test_line_add(&exp, "REJECT ordinal=1 line=0 offset=0: k8saudit: missing field 'auditID'");
    static const char doc[] =
        "{\"events\":[{\"logStreamName\":\"kube-apiserver-audit-0a\",\"timestamp\":1,"
        "\"message\":\"{\\\"kind\\\":\\\"Event\\\",\\\"apiVersion\\\":\\\"audit.k8s.io/v1\\\","
        "\\\"auditID\\\":\\\"a1\\\",\\\"stage\\\":\\\"Panic\\\",\\\"stageTimestamp\\\":"
        "\\\"2023-10-12T08:53:31Z\\\"}\"},{\"timestamp\":2,\"eventId\":\"2\"}],"
        "\"searchedLogStreams\":[]}";
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    assert_int_equal(rp_test_feed(SRC, NULL, doc, sizeof doc - 1, &ts), RP_OK);
    assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(&exp));
    rp_test_sink_release(&ts);
    rp_buf_release(&exp);
}

/* record() with a given path (rp_test_feed always says "test-input"), JSON Lines. */
static void feed_with_path(const char *text, size_t len, const char *path, struct rp_test_sink *ts)
{
    struct rp_ingest_layout lay = {.day_ms = -1};
    struct rp_arena arena;
    struct rp_json_parser *jp = rp_json_parser_new();
    assert_non_null(jp);
    rp_arena_init(&arena, 0);
    struct rp_ingest_ctx cx = {.src = SRC,
                               .path = path,
                               .layout = &lay,
                               .arena = &arena,
                               .sink = rp_test_sink_row,
                               .sink_arg = ts};
    struct rp_json_lines jl;
    struct rp_json_val root;
    struct rp_errbuf eb = {0};
    rp_json_lines_init(&jl, text, len, false);
    while (rp_json_lines_next(&jl, jp, &root, &eb) == RP_OK) {
        struct rp_ingest_rec rec = {
            .p = text + jl.line_start, .n = jl.pos - jl.line_start, .json = root};
        cx.rec = &rec;
        assert_int_equal(SRC->record(&cx, NULL, &rec, &eb), RP_OK);
        rp_arena_reset(&arena);
    }
    rp_json_parser_free(cx.jp);
    rp_json_parser_free(jp);
    rp_arena_release(&arena);
}

/* The cluster from a path holding an EKS log group (an export directory, say); a logGroup in
 * the line wins over the path. */
static void test_k8saudit_cluster_from_path(void **state)
{
    (void)state;
    struct rp_buf in, exp;
    struct rp_test_sink ts;
    rp_test_fixture_load(&in, "k8saudit", "v1.jsonl");
    rp_buf_init(&exp, 0);
    expect_v1(&exp, "staging");
    rp_test_sink_init(&ts);
    feed_with_path(in.data, in.len,
                   "/exports/aws/eks/staging/cluster/kube-apiserver-audit-0a/000000.gz", &ts);
    assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(&exp));
    rp_test_sink_release(&ts);
    rp_buf_release(&exp);
    rp_buf_release(&in);

    rp_test_fixture_load(&in, "k8saudit", "cloudwatch.jsonl");
    rp_buf_init(&exp, 0);
    expect_cloudwatch(&exp, "staging");
    rp_test_sink_init(&ts);
    feed_with_path(in.data, in.len, "aws/eks/staging/cluster", &ts);
    assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(&exp));
    rp_test_sink_release(&ts);
    rp_buf_release(&exp);

    /* Rampart's S3 layout for EKS exports names the cluster after the region */
    rp_buf_release(&in);
    rp_test_fixture_load(&in, "k8saudit", "v1.jsonl");
    rp_buf_init(&exp, 0);
    expect_v1(&exp, "prod-platform");
    rp_test_sink_init(&ts);
    feed_with_path(in.data, in.len,
                   "/m/AWSLogs/111122223333/EKS/us-east-1/prod-platform/2026/01/05/"
                   "111122223333_EKS_us-east-1_prod-platform_kube-apiserver-audit_x.log.gz",
                   &ts);
    assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(&exp));
    rp_test_sink_release(&ts);
    rp_buf_release(&exp);

    /* Not an EKS log group: "aws/eks/" inside a name, no "/cluster", an empty name; an EKS
     * key without a cluster part. */
    static const char *const none[] = {"/x/myaws/eks/a/cluster/f",  "/aws/eks/a/clusters/f",
                                       "/aws/eks//cluster/f",       "/aws/eks/a",
                                       "/AWSLogs/1/EKS/us-east-1/", "/AWSLogs/1/EKS/us-east-1"};
    for (size_t i = 0; i < RP_ARRAY_LEN(none); i++) {
        rp_buf_init(&exp, 0);
        expect_v1(&exp, "NULL");
        rp_test_sink_init(&ts);
        rp_buf_release(&in);
        rp_test_fixture_load(&in, "k8saudit", "v1.jsonl");
        feed_with_path(in.data, in.len, none[i], &ts);
        assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(&exp));
        rp_test_sink_release(&ts);
        rp_buf_release(&exp);
    }
    rp_buf_release(&in);
}

static void test_k8saudit_rejects(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_line_add(&exp, "REJECT ordinal=0 line=1 offset=0: k8saudit: kind 'Pod' is not 'Event'");
    rp_test_line_add(&exp, "REJECT ordinal=1 line=2 offset=57: k8saudit: apiVersion 'v1' is not "
                           "'audit.k8s.io/..'");
    rp_test_line_add(&exp, "REJECT ordinal=2 line=3 offset=137: k8saudit: missing field 'auditID'");
    rp_test_line_add(&exp, "REJECT ordinal=3 line=4 offset=273: k8saudit: missing field 'stage'");
    rp_test_line_add(
        &exp, "REJECT ordinal=4 line=5 offset=413: k8saudit: missing field 'stageTimestamp', "
              "'requestReceivedTimestamp' or 'timestamp'");
    rp_test_line_add(&exp,
                     "REJECT ordinal=5 line=6 offset=528: k8saudit: bad time '2023-10-12 08:53:31' "
                     "in field 'stageTimestamp'");
    rp_test_line_add(&exp,
                     "REJECT ordinal=6 line=7 offset=682: k8saudit: field 'verb' is an array, "
                     "expected a string");
    rp_test_line_add(&exp,
                     "REJECT ordinal=7 line=8 offset=852: k8saudit: 'message' is not JSON: json: "
                     "unexpected character 'E' at offset 0");
    rp_test_line_add(&exp,
                     "REJECT ordinal=8 line=9 offset=945: k8saudit: 'message' holds a JSON array, "
                     "expected an object");
    rp_test_line_add(&exp,
                     "REJECT ordinal=9 line=10 offset=991: k8saudit: record is a JSON string, "
                     "expected an object");
    rp_test_check_fixture(SRC, "k8saudit", "bad.jsonl", NULL, &exp);
    rp_buf_release(&exp);
}

/* ---- probe ------------------------------------------------------------------------------- */

static int probe_str(const char *s, const char *path)
{
    return SRC->probe(s, strlen(s), path);
}

static void test_k8saudit_probe(void **state)
{
    (void)state;
    assert_int_equal(rp_test_probe_fixture(SRC, "k8saudit", "v1.jsonl", "x"), 100);
    assert_int_equal(rp_test_probe_fixture(SRC, "k8saudit", "v1beta1.jsonl", "x"), 100);
    assert_int_equal(rp_test_probe_fixture(SRC, "k8saudit", "eventlist.json", "x"), 100);
    assert_int_equal(rp_test_probe_fixture(SRC, "k8saudit", "cloudwatch.jsonl", "x"), 90);
    assert_int_equal(
        rp_test_probe_fixture(SRC, "k8saudit", "cloudwatch.jsonl", "/aws/eks/p/cluster/f"), 95);
    assert_int_equal(rp_test_probe_fixture(SRC, "k8saudit", "bad.jsonl", "x"), 100);

    /* Whitespace around the colon (pretty-printed), a value that only starts like Event. */
    assert_int_equal(probe_str("{\n  \"kind\" : \"Event\",\n  \"apiVersion\":\t\"audit.k8s.io/"
                               "v1\"",
                               NULL),
                     100);
    assert_int_equal(probe_str("{\"kind\":\"Events\",\"apiVersion\":\"audit.k8s.io/v1\"}", NULL),
                     80);
    assert_int_equal(probe_str("{\"kind\":\"Event\",\"apiVersion\":\"v1\"}", NULL), 0);
    assert_int_equal(probe_str("{\"kind\":\"Event\",\"apiVersion\":\"v1\"}", "kube-apiserver-"
                                                                             "audit-1"),
                     30);
    assert_int_equal(probe_str("[{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}]", NULL),
                     0);
    assert_int_equal(probe_str("", NULL), 0);

    static const struct {
        const char *dir, *name;
    } other[] = {
        {"vpcflow", "v2_noheader.log"}, {"vpcflow", "v2_header.log"}, {"vpcflow", "v5.log"},
        {"vpcflow", "v7.log"},          {"vpcflow", "custom.log"},    {"vpcflow", "nodata.log"},
        {"vpcflow", "cloudwatch.log"},  {"vpcflow", "badcount.log"},  {"r53dns", "queries.jsonl"},
        {"r53dns", "bad.jsonl"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(other); i++)
        assert_int_equal(rp_test_probe_fixture(SRC, other[i].dir, other[i].name, "x"), 0);

    /* The other formats give 0 for the audit fixtures. */
    static const char *const own[] = {"v1.jsonl", "v1beta1.jsonl", "eventlist.json",
                                      "cloudwatch.jsonl", "bad.jsonl"};
    const struct rp_ingest_source *vpc = rp_ingest_source_find("vpcflow");
    const struct rp_ingest_source *r53 = rp_ingest_source_find("r53dns");
    assert_non_null(vpc);
    assert_non_null(r53);
    for (size_t i = 0; i < RP_ARRAY_LEN(own); i++) {
        assert_int_equal(rp_test_probe_fixture(vpc, "k8saudit", own[i], "x"), 0);
        assert_int_equal(rp_test_probe_fixture(r53, "k8saudit", own[i], "x"), 0);
    }
}

/* ---- descriptor and schema --------------------------------------------------------------- */

static void test_k8saudit_descriptor(void **state)
{
    (void)state;
    assert_ptr_equal(rp_ingest_source_find("k8saudit"), SRC);
    assert_int_equal(SRC->kind, RP_INGEST_K8SAUDIT);
    assert_int_equal(SRC->framing, RP_INGEST_FRAME_JSON);
    assert_non_null(SRC->containers);
    assert_string_equal(SRC->containers[0], "items");
    assert_string_equal(SRC->containers[1], "events");
    assert_string_equal(SRC->containers[2], "logEvents");
    assert_null(SRC->containers[3]);
    assert_int_equal(SRC->ntables, 1);
    const struct rp_ingest_table *t = &SRC->tables[0];
    rp_test_table_check(t, k8s_table, k8s_cols);
    assert_string_equal(t->cols[t->time_col].name, "rp_time_ms");
    assert_null(t->insert_sql);
}

static void test_k8saudit_schema(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_test_schema_check(st, SRC), 0);

    struct rp_test_schema_counts n = {0};
    static const char *const files[] = {"v1.jsonl", "v1beta1.jsonl", "cloudwatch.jsonl",
                                        "bad.jsonl", "v1.jsonl"};
    for (size_t i = 0; i < RP_ARRAY_LEN(files); i++) {
        struct rp_buf in;
        rp_test_fixture_load(&in, "k8saudit", files[i]);
        assert_int_equal(rp_test_schema_feed(st, SRC, NULL, in.data, in.len, &n), RP_OK);
        rp_buf_release(&in);
    }
    /* v1.jsonl a second time: same (auditID, stage), so ignored. */
    assert_int_equal(n.rows, 7);
    assert_int_equal(n.ignored, 3);
    assert_int_equal(n.rejected, 10);
    assert_int_equal(rp_test_query_int(st, "SELECT count(*) FROM k8s_audit_logs WHERE "
                                           "json_extract(user, '$.username') = rp_user"),
                     7);
    assert_int_equal(rp_test_query_int(st, "SELECT rp_response_code FROM k8s_audit_logs WHERE "
                                           "json_extract(annotations, '$.\"authorization.k8s.io/"
                                           "decision\"') = 'forbid'"),
                     403);
    /* The same auditID at another stage is another row. */
    static const char other_stage[] =
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"6c2b0a4e-1d2f-4a5b-"
        "9c8d-000000000001\",\"stage\":\"RequestReceived\",\"stageTimestamp\":\"2023-10-12T08:53:"
        "31.123456Z\"}\n";
    assert_int_equal(rp_test_schema_feed(st, SRC, NULL, other_stage, sizeof other_stage - 1, &n),
                     RP_OK);
    assert_int_equal(n.rows, 8);
    assert_int_equal(
        rp_test_query_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                              "tbl_name = 'k8s_audit_logs'"),
        3); /* the UNIQUE constraint's, time, user */
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k8saudit_v1),
        cmocka_unit_test(test_k8saudit_v1beta1),
        cmocka_unit_test(test_k8saudit_eventlist),
        cmocka_unit_test(test_k8saudit_cloudwatch),
        cmocka_unit_test(test_k8saudit_cloudwatch_events_container),
        cmocka_unit_test(test_k8saudit_cluster_from_path),
        cmocka_unit_test(test_k8saudit_rejects),
        cmocka_unit_test(test_k8saudit_probe),
        cmocka_unit_test(test_k8saudit_descriptor),
        cmocka_unit_test(test_k8saudit_schema),
    };
    return cmocka_run_group_tests_name("ingest_k8saudit", tests, NULL, NULL);
}
