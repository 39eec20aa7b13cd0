/* SPDX-License-Identifier: Apache-2.0 */
/* The detection framework (src/detect/detect_ctx.c, detect_run.c, detect_score.c):
 * folding of emissions into findings, the type check on emit, derived userIdentity fields,
 * a store run that is incremental (progress), accumulates Count across
 * runs and recounts on a window re-run, a stream run over a file that stores nothing, and the
 * recall/precision score against a truth file. A test detector stands in for the built-in
 * ones, so these tests do not move when detectors change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/rp_str.h"
#include "detect/detect_internal.h"
#include "hub/hub.h"
#include "store/store.h"

/* ---- a test detector: StopLogging per access key ----------------------------------------- */

static const struct rp_det_type t_types[] = {
    {"Stealth:IAMUser/CloudTrailLoggingDisabled", 2.0, "CloudTrail logging disabled by %s",
     "A trail was stopped."},
};

static rp_err t_event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                      struct rp_errbuf *eb)
{
    (void)state;
    if (!rp_str_eq_cstr(ev->s[RP_CT_EVENT_NAME], "StopLogging")) return RP_OK;
    char key[64], acct[16], region[32], ip[64];
    snprintf(key, sizeof key, "%.*s", (int)ev->s[RP_CT_ACCESS_KEY_ID].len,
             ev->s[RP_CT_ACCESS_KEY_ID].p);
    snprintf(acct, sizeof acct, "%.*s", (int)ev->s[RP_CT_ACCOUNT].len, ev->s[RP_CT_ACCOUNT].p);
    snprintf(region, sizeof region, "%.*s", (int)ev->s[RP_CT_REGION].len, ev->s[RP_CT_REGION].p);
    snprintf(ip, sizeof ip, "%.*s", (int)ev->s[RP_CT_SRC_IP].len, ev->s[RP_CT_SRC_IP].p);
    struct rp_det_finding f;
    rp_det_finding_init(&f);
    f.type = "Stealth:IAMUser/CloudTrailLoggingDisabled";
    f.account = acct;
    f.region = region;
    f.first_ms = ev->time_ms;
    f.res = RP_DET_RES_ACCESS_KEY;
    f.resource_id = key;
    f.access_key_id = key;
    f.action = RP_DET_ACT_AWS_API_CALL;
    f.api = "StopLogging";
    f.service_name = "cloudtrail.amazonaws.com";
    f.remote_ip = ip[0] ? ip : NULL;
    return rp_det_emit(dc, &f, eb);
}

static const struct rp_detector t_det = {
    .id = "test.stop-logging",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "test",
    .types = t_types,
    .ntypes = 1,
    .event = t_event,
};
static const struct rp_detector *const t_list[] = {&t_det, NULL};

static void ct_event(struct rp_det_event *ev, int64_t t, const char *name, const char *key)
{
    rp_det_event_init(ev, RP_DET_SRC_CLOUDTRAIL, t);
    rp_det_event_set(ev, RP_CT_EVENT_NAME, name);
    rp_det_event_set(ev, RP_CT_ACCESS_KEY_ID, key);
    rp_det_event_set(ev, RP_CT_ACCOUNT, "111122223333");
    rp_det_event_set(ev, RP_CT_REGION, "us-east-1");
    rp_det_event_set(ev, RP_CT_SRC_IP, "203.0.113.9");
}

static void test_emit_folds(void **state)
{
    (void)state;
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(NULL, NULL, NULL, &dc, &eb), RP_OK);
    struct rp_det_event ev[4];
    ct_event(&ev[0], 3000, "StopLogging", "AKIAA");
    ct_event(&ev[1], 1000, "StopLogging", "AKIAA");
    ct_event(&ev[2], 2000, "StopLogging", "AKIAB");
    ct_event(&ev[3], 5000, "StartLogging", "AKIAA");
    assert_int_equal(rp_det_ctx_run1(dc, &t_det, ev, 4, &eb), RP_OK);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *a = rp_det_ctx_find(dc, t_types[0].type, "AKIAA");
    assert_non_null(a);
    assert_int_equal(a->f.count, 2);
    assert_int_equal(a->f.first_ms, 1000);
    assert_int_equal(a->f.last_ms, 3000);
    assert_string_equal(a->f.api, "StopLogging");
    assert_string_equal(a->f.remote_ip, "203.0.113.9");
    assert_ptr_equal(a->type, &t_types[0]);
    assert_true(!strncmp(a->id, "detect/", 7) && strlen(a->id) == 39);
    const struct rp_det_folded *b = rp_det_ctx_find(dc, t_types[0].type, "AKIAB");
    assert_non_null(b);
    assert_int_equal(b->f.count, 1);
    assert_string_not_equal(a->id, b->id);
    rp_det_ctx_free(dc);
}

static rp_err bad_event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                        struct rp_errbuf *eb)
{
    (void)state;
    (void)ev;
    struct rp_det_finding f;
    rp_det_finding_init(&f);
    f.type = "Recon:EC2/Portscan";
    f.account = "1";
    f.region = "r";
    f.resource_id = "i-1";
    return rp_det_emit(dc, &f, eb);
}

static void test_emit_checks_type(void **state)
{
    (void)state;
    struct rp_detector d = t_det;
    d.event = bad_event;
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(NULL, NULL, NULL, &dc, &eb), RP_OK);
    struct rp_det_event ev;
    ct_event(&ev, 1, "x", "k");
    assert_int_equal(rp_det_ctx_run1(dc, &d, &ev, 1, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "detect: finding type 'Recon:EC2/Portscan' is not one of "
                                "detector 'test.stop-logging'");
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

static void test_derive_identity(void **state)
{
    (void)state;
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(NULL, NULL, NULL, &dc, &eb), RP_OK);
    struct rp_det_event ev;
    rp_det_event_init(&ev, RP_DET_SRC_CLOUDTRAIL, 0);
    rp_det_event_set(
        &ev, RP_CT_USER_IDENTITY,
        "{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:i-0abc1234def567890\","
        "\"arn\":\"arn:aws:sts::111122223333:assumed-role/web/i-0abc1234def567890\","
        "\"accountId\":\"111122223333\",\"sessionContext\":{\"sessionIssuer\":{"
        "\"type\":\"Role\",\"arn\":\"arn:aws:iam::111122223333:role/web\","
        "\"userName\":\"web\"},\"attributes\":{\"mfaAuthenticated\":\"false\"},"
        "\"ec2RoleDelivery\":\"2.0\"}}");
    assert_int_equal(rp_det_event_derive(dc, &ev, &eb), RP_OK);
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_TYPE], "AssumedRole"));
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_ISSUER_NAME], "web"));
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_ISSUER_TYPE], "Role"));
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_MFA], "false"));
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_EC2_ROLE_DELIVERY], "2.0"));
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_SOURCE_INSTANCE], "i-0abc1234def567890"));
    /* a user session: no instance */
    rp_det_event_set(&ev, RP_CT_USER_IDENTITY,
                     "{\"type\":\"IAMUser\",\"principalId\":\"AIDAEXAMPLE\",\"userName\":\"bob\"}");
    assert_int_equal(rp_det_event_derive(dc, &ev, &eb), RP_OK);
    assert_true(rp_str_eq_cstr(ev.s[RP_CT_UID_TYPE], "IAMUser"));
    assert_null(ev.s[RP_CT_UID_SOURCE_INSTANCE].p);
    assert_null(ev.s[RP_CT_UID_ISSUER_NAME].p);
    /* not JSON: nothing derived, no error */
    rp_det_event_set(&ev, RP_CT_USER_IDENTITY, "{oops");
    assert_int_equal(rp_det_event_derive(dc, &ev, &eb), RP_OK);
    assert_null(ev.s[RP_CT_UID_TYPE].p);
    rp_det_ctx_free(dc);
}

/* ---- runs over a store ------------------------------------------------------------------- */

static void insert_ct(struct rp_store *st, const char *id, int64_t t, const char *name)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO cloudtrail_logs (eventID, eventName, eventSource, rp_time_ms, "
             "rp_category, rp_account, rp_region, rp_access_key_id, rp_src_ip, userIdentity, "
             "managementEvent, readOnly) VALUES ('%s', '%s', 'cloudtrail.amazonaws.com', %lld, "
             "'Management', '111122223333', 'us-east-1', 'AKIAEXAMPLE', '203.0.113.9', "
             "'{\"type\":\"IAMUser\"}', 1, 0)",
             id, name, (long long)t);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_exec(st, sql, &eb), RP_OK);
}

static int64_t q1(struct rp_store *st, const char *sql)
{
    struct rp_store_stmt *s = NULL;
    struct rp_errbuf eb = {0};
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(st, sql, &s, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, &eb), RP_OK);
    assert_true(row);
    int64_t v = rp_store_stmt_column_int64(s, 0);
    rp_store_stmt_reset(s);
    return v;
}

struct docs {
    char last[8192];
    int n;
};

static rp_err keep_doc(void *ctx, const char *json, size_t len)
{
    struct docs *d = ctx;
    snprintf(d->last, sizeof d->last, "%.*s", (int)len, json);
    d->n++;
    return RP_OK;
}

static void test_run_store_incremental(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    insert_ct(st, "e1", 1767600000000, "StopLogging");
    insert_ct(st, "e2", 1767600060000, "StopLogging");
    insert_ct(st, "e3", 1767600030000, "DescribeTrails");
    struct rp_detect_opts o;
    rp_detect_opts_init(&o);
    o.detectors = t_list;
    o.now_ms = 1767700000000;
    struct docs d = {0};
    o.on_finding = keep_doc;
    o.on_finding_ctx = &d;
    struct rp_detect_summary sum;
    assert_int_equal(rp_detect_run(st, &o, &sum, &eb), RP_OK);
    assert_int_equal(sum.events[RP_DET_SRC_CLOUDTRAIL], 3);
    assert_int_equal(sum.findings, 1);
    assert_int_equal(sum.created, 1);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.last, "\"Type\":\"Stealth:IAMUser/CloudTrailLoggingDisabled\""));
    assert_non_null(strstr(d.last, "\"Count\":2"));
    int64_t n = 0;
    assert_int_equal(rp_hub_findings_count(st, NULL, &n, &eb), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(q1(st, "SELECT count FROM detect_findings"), 2);

    /* nothing new: nothing read, nothing written */
    d.n = 0;
    assert_int_equal(rp_detect_run(st, &o, &sum, &eb), RP_OK);
    assert_int_equal(sum.events[RP_DET_SRC_CLOUDTRAIL], 0);
    assert_int_equal(sum.findings, 0);
    assert_int_equal(d.n, 0);

    /* one more occurrence: the same finding, Count 3, last seen moves */
    insert_ct(st, "e4", 1767603600000, "StopLogging");
    o.now_ms = 1767710000000;
    assert_int_equal(rp_detect_run(st, &o, &sum, &eb), RP_OK);
    assert_int_equal(sum.events[RP_DET_SRC_CLOUDTRAIL], 1);
    assert_int_equal(sum.findings, 1);
    assert_int_equal(sum.updated, 1);
    assert_non_null(strstr(d.last, "\"Count\":3"));
    assert_non_null(strstr(d.last, "\"EventFirstSeen\":\"2026-01-05T08:00:00.000Z\""));
    assert_non_null(strstr(d.last, "\"EventLastSeen\":\"2026-01-05T09:00:00.000Z\""));
    assert_int_equal(q1(st, "SELECT count FROM detect_findings"), 3);
    assert_int_equal(q1(st, "SELECT events FROM detect_progress WHERE source = 'cloudtrail'"), 4);
    assert_int_equal(rp_hub_findings_count(st, NULL, &n, &eb), RP_OK);
    assert_int_equal(n, 1);

    /* a window re-run reads its window again and recounts (no double counting) */
    o.since_ms = 1767600000000;
    o.until_ms = 1767603600001;
    o.now_ms = 1767720000000;
    assert_int_equal(rp_detect_run(st, &o, &sum, &eb), RP_OK);
    assert_int_equal(sum.events[RP_DET_SRC_CLOUDTRAIL], 4);
    assert_int_equal(q1(st, "SELECT count FROM detect_findings"), 3);
    assert_int_equal(q1(st, "SELECT events FROM detect_progress WHERE source = 'cloudtrail'"), 4);

    /* a dry run stores nothing */
    insert_ct(st, "e5", 1767607200000, "StopLogging");
    o.since_ms = INT64_MIN;
    o.until_ms = INT64_MAX;
    o.dry_run = true;
    assert_int_equal(rp_detect_run(st, &o, &sum, &eb), RP_OK);
    assert_int_equal(sum.events[RP_DET_SRC_CLOUDTRAIL], 1);
    assert_int_equal(q1(st, "SELECT count FROM detect_findings"), 3);
    assert_int_equal(q1(st, "SELECT events FROM detect_progress WHERE source = 'cloudtrail'"), 4);
    rp_store_free(st);
}

static void test_run_stream(void **state)
{
    (void)state;
    char dir[] = "/tmp/rp_detect_run_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/trail.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"Records\":[{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
          "\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/bob\","
          "\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIASTREAM\",\"userName\":\"bob\"},"
          "\"eventTime\":\"2026-01-05T08:00:00Z\",\"eventSource\":\"cloudtrail.amazonaws.com\","
          "\"eventName\":\"StopLogging\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":"
          "\"198.51.100.4\",\"userAgent\":\"aws-cli/2\",\"requestParameters\":{\"name\":\"t\"},"
          "\"responseElements\":null,\"requestID\":\"r1\",\"eventID\":\"s1\",\"readOnly\":false,"
          "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":"
          "\"111122223333\",\"eventCategory\":\"Management\"}]}\n",
          f);
    fclose(f);
    struct rp_detect_opts o;
    rp_detect_opts_init(&o);
    o.detectors = t_list;
    o.now_ms = 1767700000000;
    const char *paths[] = {dir};
    o.stream_paths = paths;
    o.nstream_paths = 1;
    o.dry_run = true;
    struct docs d = {0};
    o.on_finding = keep_doc;
    o.on_finding_ctx = &d;
    struct rp_detect_summary sum;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_detect_run(NULL, &o, &sum, &eb), RP_OK);
    assert_int_equal(sum.events[RP_DET_SRC_CLOUDTRAIL], 1);
    assert_int_equal(sum.findings, 1);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.last, "\"AccessKeyId\":\"AKIASTREAM\""));
    assert_non_null(strstr(d.last, "\"IpAddressV4\":\"198.51.100.4\""));
    /* a store is needed unless the run streams and stores nothing */
    o.dry_run = false;
    assert_int_equal(rp_detect_run(NULL, &o, &sum, &eb), RP_EINVAL);
    unlink(path);
    rmdir(dir);
}

/* ---- scoring ----------------------------------------------------------------------------- */

static void on_score(void *ctx, enum rp_detect_score_what what, const char *type,
                     const char *detail)
{
    char *log = ctx;
    size_t n = strlen(log);
    snprintf(log + n, 1024 - n, "%s %s %.20s\n",
             what == RP_DETECT_SCORE_MISSED         ? "missed"
             : what == RP_DETECT_SCORE_BENIGN_ALARM ? "benign"
                                                    : "extra",
             type, detail);
}

static void test_score(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(
        rp_store_exec(st,
                      "INSERT INTO detect_findings VALUES "
                      "('detect/1', 'Recon:EC2/Portscan', 1, 1767600000000, 1767600600000, 0, 0, "
                      "0, '{\"InstanceId\":\"i-0aa\"}'),"
                      "('detect/2', 'Policy:IAMUser/RootCredentialUsage', 1, 1767600000000, "
                      "1767600000000, 0, 0, 0, '{\"UserName\":\"root\",\"x\":\"y\"}'),"
                      "('detect/3', 'Recon:EC2/Portscan', 1, 1767000000000, 1767000000000, 0, 0, "
                      "0, '{\"InstanceId\":\"i-0aa\"}'),"
                      "('detect/4', 'Impact:EC2/PortSweep', 1, 1767610000000, 1767610000000, 0, "
                      "0, 0, '{\"InstanceId\":\"i-0bb\"}')",
                      &eb),
        RP_OK);
    char dir[] = "/tmp/rp_detect_score_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/truth.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"id\":\"scan#1\",\"guardduty\":[\"Recon:EC2/Portscan\"],\"entities\":[\"i-0aa\"],"
          "\"window\":{\"start\":\"2026-01-05T08:00:00Z\",\"end\":\"2026-01-05T08:10:00Z\"}}\n"
          "{\"id\":\"root#1\",\"guardduty\":[\"Policy:IAMUser/RootCredentialUsage\","
          "\"Stealth:IAMUser/CloudTrailLoggingDisabled\"],\"entities\":["
          "\"arn:aws:iam::111122223333:root\"],\"window\":{\"start\":\"2026-01-05T08:00:00Z\","
          "\"end\":\"2026-01-05T08:01:00Z\"}}\n"
          "{\"id\":\"benign#1\",\"expect\":\"none\",\"guardduty\":[],\"entities\":[\"i-0bb\"],"
          "\"window\":{\"start\":\"2026-01-05T00:00:00Z\",\"end\":\"2026-01-06T00:00:00Z\"}}\n",
          f);
    fclose(f);
    char log[1024] = "";
    struct rp_detect_score sc;
    assert_int_equal(rp_detect_score(st, path, on_score, log, &sc, &eb), RP_OK);
    assert_int_equal(sc.expected, 3);
    assert_int_equal(sc.found, 2);
    assert_int_equal(sc.findings, 4);
    assert_int_equal(sc.explained, 2); /* the scan a week early is explained by nothing */
    assert_int_equal(sc.benign, 1);
    assert_int_equal(sc.benign_alarmed, 1);
    assert_string_equal(log, "extra Recon:EC2/Portscan {\"InstanceId\":\"i-0aa\n"
                             "extra Impact:EC2/PortSweep {\"InstanceId\":\"i-0bb\n"
                             "benign Impact:EC2/PortSweep benign#1\n"
                             "missed Stealth:IAMUser/CloudTrailLoggingDisabled root#1\n");
    unlink(path);
    rmdir(dir);
    snprintf(path, sizeof path, "%s/none.jsonl", dir);
    assert_int_equal(rp_detect_score(st, path, NULL, NULL, &sc, &eb), RP_ENOENT);
    rp_store_free(st);
}

/* ---- registry ---------------------------------------------------------------------------- */

/* Every built-in detector has an id, a summary, functions and types; ids and finding types
 * are unique across detectors, every type has a title, a description and a GuardDuty
 * severity, and rp_detect_type_at lists each once (STYLE.md B7's registry test). */
static void test_registry(void **state)
{
    (void)state;
    size_t ntypes = 0;
    for (size_t i = 0; rp_det_builtins[i]; i++) {
        const struct rp_detector *d = rp_det_builtins[i];
        assert_non_null(d->id);
        assert_non_null(d->summary);
        assert_non_null(d->event);
        assert_true(d->ntypes > 0);
        assert_true((unsigned)d->source < RP_DET_SRC__COUNT);
        for (size_t j = 0; j < i; j++) assert_string_not_equal(rp_det_builtins[j]->id, d->id);
        for (size_t t = 0; t < d->ntypes; t++) {
            const struct rp_det_type *ty = &d->types[t];
            assert_non_null(ty->title);
            assert_non_null(ty->description);
            assert_true(ty->severity >= 1.0 && ty->severity < 9.0);
            assert_ptr_equal(rp_det_type_find(ty->type), ty); /* no other detector has it */
            ntypes++;
        }
    }
    const char *type = NULL;
    size_t n = 0;
    while (rp_detect_type_at(n, &type, NULL, NULL, NULL, NULL) == RP_OK) n++;
    assert_int_equal(n, ntypes);
    assert_true(ntypes >= 60); /* issue 5: at least 60 GuardDuty types */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit_folds),      cmocka_unit_test(test_emit_checks_type),
        cmocka_unit_test(test_derive_identity), cmocka_unit_test(test_run_store_incremental),
        cmocka_unit_test(test_run_stream),      cmocka_unit_test(test_score),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests_name("detect_run", tests, NULL, NULL);
}
