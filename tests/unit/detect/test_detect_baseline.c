/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the behavioural baseline detectors (src/detect/detect_bl_*.c): the engine
 * (value sets, spill filter, user-agent families, networks, the anomaly JSON, the blob codec
 * through a store round trip), and every finding type with a positive case (exact type,
 * resource, count, first/last, remote address, port, severity, role, anomaly) and negative
 * ones: the same call during the learning period, a habitual value, a call unusual in only one
 * way, a failed call, a trusted or threat-listed address, a volume just under its threshold,
 * the look-alikes of docs/simulate-scenarios.md (a nightly backup to the same S3 endpoint, a
 * port scan or sweep that other detectors report, a flood without answers).
 *
 * The acceptance test (issue 5, "Baselines"): a principal's first-seen API raises nothing
 * during learning; after learning an anomaly is raised, and what was learned survives a
 * restart (save to an on-disk store, free everything, open again, load, detect). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "detect/detect_bl_engine.h"
#include "detect/detect_internal.h"
#include "store/store.h"
#include "core/rp_banned.h"

extern const struct rp_detector rp_det_baseline_iam, rp_det_baseline_s3, rp_det_baseline_flow,
    rp_det_baseline_k8s;
const char *rp_bl_iam_tactic(const char *api);
bool rp_bl_iam_table_sorted(void);

#define T0   1767571200000LL /* 2026-01-05T00:00:00Z */
#define SEC  1000LL
#define MIN  (60 * SEC)
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)
#define ACCT "111122223333"

#define ARN_ALICE "arn:aws:iam::" ACCT ":user/alice"
#define KEY_ALICE "AKIAALICEEXAMPLE0001"
#define UID_ALICE                                                                                  \
    "{\"type\":\"IAMUser\",\"principalId\":\"AIDAALICEEXAMPLE0001\",\"arn\":\"" ARN_ALICE          \
    "\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_ALICE "\",\"userName\":\"alice\"}"
#define ARN_BOB "arn:aws:iam::" ACCT ":user/bob"
#define KEY_BOB "AKIABOBEXAMPLE000001"
#define UID_BOB                                                                                    \
    "{\"type\":\"IAMUser\",\"principalId\":\"AIDABOBEXAMPLE000001\",\"arn\":\"" ARN_BOB            \
    "\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_BOB "\",\"userName\":\"bob\"}"
#define ARN_CI "arn:aws:iam::" ACCT ":role/ci/deploy"
#define KEY_CI "ASIACISESSION0000001"
#define UID_CI                                                                                     \
    "{\"type\":\"AssumedRole\",\"principalId\":\"AROACIEXAMPLE0000001:GitHubActions\",\"arn\":"    \
    "\"arn:aws:sts::" ACCT ":assumed-role/deploy/GitHubActions\",\"accountId\":\"" ACCT            \
    "\",\"accessKeyId\":\"" KEY_CI "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","  \
    "\"principalId\":\"AROACIEXAMPLE0000001\",\"arn\":\"" ARN_CI "\",\"accountId\":\"" ACCT        \
    "\",\"userName\":\"deploy\"}}}"

#define UA_MAC "aws-cli/2.15.10 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off"
#define UA_LINUX                                                                                   \
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-26-generic exe/x86_64.ubuntu.22 prompt/off"
#define UA_BOTO                                                                                    \
    "Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/macos#23.2.0 md/arch#arm64 lang/python#3.11.7"

#define IP_HOME    "198.51.100.7"  /* alice's usual address */
#define IP_HOME2   "198.51.100.80" /* same /24 */
#define IP_NEW     "203.0.113.9"   /* a network alice never used */
#define IP_TRUSTED "192.0.2.44"    /* on the trusted list */
#define IP_TOR     "185.220.101.5" /* on a Tor list */

/* ---- fixture ------------------------------------------------------------------------------ */

struct evs {
    struct rp_det_event *v;
    size_t n, cap;
};

static struct rp_det_event *ev_new(struct evs *e, enum rp_det_source src, int64_t ms)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 256;
        e->v = realloc(e->v, e->cap * sizeof(*e->v));
        assert_non_null(e->v);
    }
    struct rp_det_event *ev = &e->v[e->n++];
    rp_det_event_init(ev, src, ms);
    ev->seq = (int64_t)e->n;
    return ev;
}

struct fx {
    struct rp_arena a; /* strings of the events */
    struct rp_det_ti *ti;
    struct rp_det_ctx *dc;
    struct evs e;
};

static void fx_open(struct fx *f, struct rp_store *st, int64_t learning_ms)
{
    struct rp_detect_opts o;
    rp_detect_opts_init(&o);
    o.now_ms = T0 + 30 * DAY;
    if (learning_ms) o.learning_ms = learning_ms;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(&o, st, f->ti, &f->dc, &eb), RP_OK);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    rp_arena_init(&f->a, 0);
    assert_int_equal(rp_det_ti_new(&f->ti), RP_OK);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_add(f->ti, RP_TI_TRUSTED, "office", rp_str_from(IP_TRUSTED), &eb),
                     RP_OK);
    assert_int_equal(rp_det_ti_add(f->ti, RP_TI_TOR, "tor-exit-nodes", rp_str_from(IP_TOR), &eb),
                     RP_OK);
    assert_int_equal(rp_det_ti_add(f->ti, RP_TI_TRUSTED, "office", rp_str_from("100.24.7.7"), &eb),
                     RP_OK);
    fx_open(f, NULL, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    rp_det_ctx_free(f->dc);
    rp_det_ti_free(f->ti);
    rp_arena_release(&f->a);
    free(f->e.v);
    free(f);
    return 0;
}

/* Run d over the events in time order, as a run delivers them (stable insertion sort). */
static void run(struct fx *f, const struct rp_detector *d)
{
    for (size_t i = 1; i < f->e.n; i++)
        for (size_t j = i; j > 0 && f->e.v[j - 1].time_ms > f->e.v[j].time_ms; j--) {
            struct rp_det_event x = f->e.v[j];
            f->e.v[j] = f->e.v[j - 1];
            f->e.v[j - 1] = x;
        }
    struct rp_errbuf eb = {0};
    rp_err e = rp_det_ctx_run1(f->dc, d, f->e.v, f->e.n, &eb);
    if (e) fprintf(stderr, "run: %s\n", eb.msg);
    assert_int_equal(e, RP_OK);
}

/* ---- CloudTrail events ------------------------------------------------------------------- */

struct ct {
    const char *uid, *key, *arn;
    const char *source, *name;
    const char *ip, *ua, *region;
    const char *err;
    bool data;
    const char *bucket;
    int64_t bytes;    /* bytesTransferredOut, -1 = none */
    const char *user; /* rp_user_name */
};

static struct ct alice(const char *source, const char *name, const char *ip, const char *ua)
{
    return (struct ct){UID_ALICE,   KEY_ALICE, ARN_ALICE, source, name, ip,     ua,
                       "us-east-1", NULL,      false,     NULL,   -1,   "alice"};
}

static void ct_add(struct fx *f, int64_t ms, const struct ct *c)
{
    struct rp_det_event *ev = ev_new(&f->e, RP_DET_SRC_CLOUDTRAIL, ms);
    rp_det_event_set(ev, RP_CT_USER_IDENTITY, c->uid);
    rp_det_event_set(ev, RP_CT_ACCESS_KEY_ID, c->key);
    rp_det_event_set(ev, RP_CT_PRINCIPAL, c->arn);
    if (c->user) rp_det_event_set(ev, RP_CT_USER_NAME, c->user);
    rp_det_event_set(ev, RP_CT_EVENT_SOURCE, c->source);
    rp_det_event_set(ev, RP_CT_EVENT_NAME, c->name);
    rp_det_event_set(ev, RP_CT_SOURCE_IP_ADDRESS, c->ip);
    rp_det_event_set(ev, RP_CT_SRC_IP, c->ip);
    rp_det_event_set(ev, RP_CT_USER_AGENT, c->ua);
    rp_det_event_set(ev, RP_CT_AWS_REGION, c->region);
    rp_det_event_set(ev, RP_CT_REGION, c->region);
    rp_det_event_set(ev, RP_CT_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_CT_RECIPIENT_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_CT_EVENT_TYPE, "AwsApiCall");
    rp_det_event_set(ev, RP_CT_CATEGORY, c->data ? "Data" : "Management");
    rp_det_event_set_int(ev, RP_CTI_MANAGEMENT, c->data ? 0 : 1);
    if (c->err) rp_det_event_set(ev, RP_CT_ERROR_CODE, c->err);
    if (c->bucket) {
        char *p = rp_arena_printf(&f->a, "{\"bucketName\":\"%s\",\"key\":\"k\"}", c->bucket);
        assert_non_null(p);
        rp_det_event_set(ev, RP_CT_REQUEST_PARAMETERS, p);
    }
    if (c->bytes >= 0) {
        char *p = rp_arena_printf(&f->a, "{\"bytesTransferredOut\":%lld}", (long long)c->bytes);
        assert_non_null(p);
        rp_det_event_set(ev, RP_CT_ADDITIONAL_DATA, p);
    }
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_event_derive(f->dc, ev, &eb), RP_OK);
}

/* Alice's habits on days [from, to): at 09:00..17:00 UTC every hour DescribeInstances and
 * ListBuckets from her home network with her Mac's aws-cli, in us-east-1. */
static void alice_habits(struct fx *f, int from, int to)
{
    for (int d = from; d < to; d++)
        for (int h = 9; h <= 17; h++) {
            int64_t t = T0 + d * DAY + h * HOUR;
            struct ct c = alice("ec2.amazonaws.com", "DescribeInstances", IP_HOME, UA_MAC);
            ct_add(f, t, &c);
            c = alice("s3.amazonaws.com", "ListBuckets", IP_HOME2, UA_MAC);
            ct_add(f, t + 5 * MIN, &c);
        }
}

static size_t count_type(struct fx *f, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < rp_det_ctx_nfindings(f->dc); i++)
        if (strcmp(rp_det_ctx_finding(f->dc, i)->f.type, type) == 0) n++;
    return n;
}

/* ---- engine ------------------------------------------------------------------------------- */

static void test_engine_ua_family(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {UA_MAC, "aws-cli (macOS)"},
        {UA_LINUX, "aws-cli (Linux)"},
        {UA_BOTO, "Boto3 (macOS)"},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0.0.0",
         "Browser (Windows)"},
        {"APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) aws-sdk-go-v2/1.24.0 "
         "os/linux",
         "Terraform (Linux)"},
        {"AWS Internal", "AWS Internal"},
        {"cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com"},
        {"[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]", "S3Console"},
        {"aws-sdk-go/1.44.260 (go1.20.11; linux; amd64) amazon-ssm-agent/3.2.2016.0",
         "aws-sdk-go (Linux)"},
        {"", ""},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        char buf[64];
        rp_bl_ua_family(rp_str_from(cases[i][0]), buf, sizeof(buf));
        assert_string_equal(buf, cases[i][1]);
    }
    /* the cached form gives the same, first and later times, and a slot reused by another
     * text is not confused with it */
    static struct rp_bl_common c; /* about 20 KiB: off the stack */
    memset(&c, 0, sizeof c);
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
            char buf[64];
            rp_bl_common_ua(&c, rp_str_from(cases[i][0]), buf, sizeof(buf));
            assert_string_equal(buf, cases[i][1]);
        }
    for (int k = 0; k < 200; k++) {
        char ua[64], buf[64], want[64];
        snprintf(ua, sizeof ua, "tool-%d/1.0 (%s)", k, k % 2 ? "linux" : "darwin");
        rp_bl_common_ua(&c, rp_str_from(ua), buf, sizeof(buf));
        rp_bl_ua_family(rp_str_from(ua), want, sizeof(want));
        assert_string_equal(buf, want);
    }
}

static void test_engine_network(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"203.0.113.9", "203.0.113.0/24"},
        {"::ffff:198.51.100.7", "198.51.100.0/24"},
        {"2001:db8:abcd:12::1", "2001:db8:abcd::/48"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        struct rp_ip ip;
        assert_int_equal(rp_ip_parse(rp_str_from(cases[i][0]), &ip, NULL), RP_OK);
        char buf[RP_CIDR_STRBUFSZ];
        assert_true(rp_bl_network(&ip, buf, sizeof(buf)));
        assert_string_equal(buf, cases[i][1]);
    }
}

static void test_engine_sets(void **state)
{
    (void)state;
    struct rp_bl_intern *in = NULL;
    assert_int_equal(rp_bl_intern_new(&in), RP_OK);
    struct rp_bl_val v[4];
    uint8_t spill[RP_BL_SPILL_BYTES];
    memset(v, 0, sizeof(v));
    memset(spill, 0, sizeof(spill));
    struct rp_bl_set s = {v, 4, spill, in, 0};
    uint32_t a = rp_bl_intern_id(in, RP_STR_LIT("a")), b = rp_bl_intern_id(in, RP_STR_LIT("b"));
    assert_int_equal(rp_bl_intern_id(in, RP_STR_LIT("a")), a);
    assert_int_equal(rp_bl_intern_id(in, RP_STR_LIT("")), 0);
    assert_string_equal(rp_bl_intern_str(in, b), "b");
    bool ins = false;
    /* learned: habitual at once; a value first used after learning: after 3 distinct days */
    rp_bl_set_note(&s, a, 100, true, &ins);
    assert_true(ins);
    assert_true(rp_bl_set_habitual(&s, a));
    rp_bl_set_note(&s, b, 100, false, &ins);
    assert_true(ins);
    assert_false(rp_bl_set_habitual(&s, b));
    rp_bl_set_note(&s, b, 100, false, &ins);
    assert_false(ins);
    rp_bl_set_note(&s, b, 101, false, NULL);
    assert_false(rp_bl_set_habitual(&s, b));
    rp_bl_set_note(&s, b, 102, false, NULL);
    assert_true(rp_bl_set_habitual(&s, b));
    assert_true(rp_bl_set_habitual(&s, 0)); /* untracked */
    /* a full set of learned values evicts the least used one into the spill filter */
    uint32_t c = rp_bl_intern_id(in, RP_STR_LIT("c")), d = rp_bl_intern_id(in, RP_STR_LIT("d"));
    uint32_t x = rp_bl_intern_id(in, RP_STR_LIT("x"));
    rp_bl_set_note(&s, a, 100, true, NULL);
    rp_bl_set_note(&s, c, 100, true, NULL);
    rp_bl_set_note(&s, c, 100, true, NULL);
    rp_bl_set_note(&s, d, 100, true, NULL); /* d: one use, the least used learned value */
    rp_bl_set_note(&s, b, 103, true, NULL);
    rp_bl_set_note(&s, x, 104, false, &ins);
    assert_true(ins);
    assert_null(rp_bl_set_find(&s, d));
    assert_true(rp_bl_set_habitual(&s, d)); /* remembered by the spill filter */
    rp_bl_set_note(&s, d, 105, false, &ins);
    assert_false(ins); /* not new: the filter knew it */
    assert_true(rp_bl_set_habitual(&s, d));
    uint32_t top[3];
    assert_int_equal(rp_bl_set_top(&s, top, 3), 3);
    assert_string_equal(rp_bl_intern_str(in, top[0]), "b"); /* 5 uses */
    assert_string_equal(rp_bl_intern_str(in, top[1]), "a"); /* 2 uses, "a" before "c" */
    assert_string_equal(rp_bl_intern_str(in, top[2]), "c");
    rp_bl_intern_free(in);
}

static void test_engine_anomaly_json(void **state)
{
    (void)state;
    struct rp_bl_dim d[3];
    memset(d, 0, sizeof(d));
    d[0].name = "ApiCalls";
    d[0].frequent[0] = "DescribeInstances";
    d[0].frequent[1] = "ListBuckets";
    d[0].nfrequent = 2;
    d[0].unusual[0] = "DeleteDetector";
    d[0].nunusual = 1;
    d[1].name = "NetworkLocations";
    d[1].frequent[0] = "198.51.100.0/24";
    d[1].nfrequent = 1;
    d[1].unusual[0] = "203.0.113.0/24";
    d[1].nunusual = 1;
    d[2].name = "Regions";
    d[2].frequent[0] = "us-east-1";
    d[2].nfrequent = 1;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_bl_anomaly_json(&b, "arn:aws:iam::1:user/a", d, 3), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&b),
        "{\"Profiles\":{\"arn:aws:iam::1:user/a\":{\"ApiCalls\":[{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"DescribeInstances\","
        "\"ListBuckets\"]}}],\"NetworkLocations\":[{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"198.51.100.0/24\"]}}],"
        "\"Regions\":[{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":\"FREQUENT\","
        "\"Observations\":{\"Text\":[\"us-east-1\"]}}]}},\"Unusual\":{\"Behavior\":{"
        "\"arn:aws:iam::1:user/a\":{\"ApiCalls\":{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"UNSEEN\",\"Observations\":{\"Text\":[\"DeleteDetector\"]}},"
        "\"NetworkLocations\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":\"UNSEEN\","
        "\"Observations\":{\"Text\":[\"203.0.113.0/24\"]}}}}}}");
    rp_buf_release(&b);
}

static void test_iam_table(void **state)
{
    (void)state;
    assert_true(rp_bl_iam_table_sorted());
    assert_string_equal(rp_bl_iam_tactic("GetSecretValue"), "CredentialAccess");
    assert_string_equal(rp_bl_iam_tactic("DeleteFlowLogs"), "DefenseEvasion");
    assert_string_equal(rp_bl_iam_tactic("DescribeInstances"), "Discovery");
    assert_string_equal(rp_bl_iam_tactic("GetCallerIdentity"), "Discovery");
    assert_string_equal(rp_bl_iam_tactic("ModifySnapshotAttribute"), "Exfiltration");
    assert_string_equal(rp_bl_iam_tactic("TerminateInstances"), "Impact");
    assert_string_equal(rp_bl_iam_tactic("GetFederationToken"), "InitialAccess");
    assert_string_equal(rp_bl_iam_tactic("CreateAccessKey"), "Persistence");
    assert_string_equal(rp_bl_iam_tactic("CreatePolicyVersion"), "PrivilegeEscalation");
    /* left to their signature types, and ordinary writes */
    assert_null(rp_bl_iam_tactic("StopLogging"));
    assert_null(rp_bl_iam_tactic("PutBucketPolicy"));
    assert_null(rp_bl_iam_tactic("UpdateAccountPasswordPolicy"));
    assert_null(rp_bl_iam_tactic("RunInstances"));
}

/* ---- acceptance: learning, anomaly, restart ------------------------------------------------ */

#define ANOMALY_ALICE                                                                              \
    "{\"Profiles\":{\"" ARN_ALICE "\":{\"ApiCalls\":[{\"ProfileType\":\"FREQUENCY\","              \
    "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"DescribeInstances\","           \
    "\"ListBuckets\",\"CreateAccessKey\"]}}],\"Services\":[{\"ProfileType\":\"FREQUENCY\","        \
    "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"ec2.amazonaws.com\","           \
    "\"s3.amazonaws.com\",\"iam.amazonaws.com\"]}}],\"NetworkLocations\":[{\"ProfileType\":"       \
    "\"FREQUENCY\",\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":["                   \
    "\"198.51.100.0/24\",\"192.0.2.0/24\"]}}],\"UserAgents\":[{\"ProfileType\":\"FREQUENCY\","     \
    "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"aws-cli (macOS)\"]}}],"         \
    "\"Regions\":[{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":\"FREQUENT\","                 \
    "\"Observations\":{\"Text\":[\"us-east-1\"]}}],\"HoursOfDay\":[{\"ProfileType\":"              \
    "\"FREQUENCY\",\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"10:00Z\","        \
    "\"09:00Z\",\"11:00Z\",\"12:00Z\"]}}]}},\"Unusual\":{\"Behavior\":{\"" ARN_ALICE "\":{"        \
    "\"ApiCalls\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":\"UNSEEN\",\"Observations\":"  \
    "{\"Text\":[\"DeleteDetector\"]}},\"Services\":{\"ProfileType\":\"FREQUENCY\","                \
    "\"ProfileSubtype\":\"UNSEEN\",\"Observations\":{\"Text\":[\"guardduty.amazonaws.com\"]}},"    \
    "\"NetworkLocations\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":\"UNSEEN\","           \
    "\"Observations\":{\"Text\":[\"203.0.113.0/24\"]}}}}}}"

static void test_iam_learning_restart(void **state)
{
    struct fx *f = *state;
    char dir[] = "/tmp/rp_bl_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof(path), "%s/r.db", dir);
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    assert_int_equal(rp_store_new(path, RP_STORE_RDWR, &st, &eb), RP_OK);

    /* run 1: seven days of habits (the default learning period); on days 2 and 3 alice creates
     * an access key from a network she never used: she is learning, nothing is raised */
    rp_det_ctx_free(f->dc);
    fx_open(f, st, 0);
    alice_habits(f, 0, 7);
    struct ct c = alice("iam.amazonaws.com", "CreateAccessKey", "192.0.2.10", UA_MAC);
    ct_add(f, T0 + 2 * DAY + 10 * HOUR + 30 * MIN, &c);
    ct_add(f, T0 + 3 * DAY + 10 * HOUR + 30 * MIN, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);

    /* restart: everything freed, the store opened again */
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    rp_store_free(st);
    f->e.n = 0;
    assert_int_equal(rp_store_new(path, RP_STORE_RDWR, &st, &eb), RP_OK);
    fx_open(f, st, 0);

    /* run 2, day 8: from a new network alice deletes the GuardDuty detector (never done:
     * DefenseEvasion) and creates an access key (learned on days 2 and 3: nothing) */
    c = alice("guardduty.amazonaws.com", "DeleteDetector", IP_NEW, UA_MAC);
    ct_add(f, T0 + 8 * DAY + 10 * HOUR, &c);
    c = alice("iam.amazonaws.com", "CreateAccessKey", IP_NEW, UA_MAC);
    ct_add(f, T0 + 8 * DAY + 10 * HOUR + 5 * MIN, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff = rp_det_ctx_finding(f->dc, 0);
    assert_string_equal(ff->f.type, "DefenseEvasion:IAMUser/AnomalousBehavior");
    assert_string_equal(ff->f.resource_id, KEY_ALICE);
    assert_string_equal(ff->f.access_key_id, KEY_ALICE);
    assert_string_equal(ff->f.user_name, "alice");
    assert_string_equal(ff->f.api, "DeleteDetector");
    assert_string_equal(ff->f.service_name, "guardduty.amazonaws.com");
    assert_string_equal(ff->f.remote_ip, IP_NEW);
    assert_string_equal(ff->f.account, ACCT);
    assert_string_equal(ff->f.region, "us-east-1");
    assert_int_equal(ff->f.count, 1);
    assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 10 * HOUR);
    assert_int_equal(ff->f.last_ms, T0 + 8 * DAY + 10 * HOUR);
    assert_true(ff->type->severity == 5.0);
    assert_string_equal(ff->f.anomaly_json, ANOMALY_ALICE);

    /* the same day-8 calls without the saved state: alice is new, so she is learning */
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    struct evs keep = f->e;
    f->e = (struct evs){0};
    fx_open(f, NULL, 0);
    c = alice("guardduty.amazonaws.com", "DeleteDetector", IP_NEW, UA_MAC);
    ct_add(f, T0 + 8 * DAY + 10 * HOUR, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
    free(f->e.v);
    f->e = keep;

    rp_store_free(st);
    char rm[160];
    snprintf(rm, sizeof(rm), "%s/r.db", dir);
    unlink(rm);
    snprintf(rm, sizeof(rm), "%s/r.db-wal", dir);
    unlink(rm);
    snprintf(rm, sizeof(rm), "%s/r.db-shm", dir);
    unlink(rm);
    rmdir(dir);
}

/* ---- CloudTrail tactics -------------------------------------------------------------------- */

static const struct {
    const char *source, *api, *type;
    double severity;
} tactics[] = {
    {"secretsmanager.amazonaws.com", "GetSecretValue", "CredentialAccess:IAMUser/AnomalousBehavior",
     5.0},
    {"ec2.amazonaws.com", "DeleteFlowLogs", "DefenseEvasion:IAMUser/AnomalousBehavior", 5.0},
    {"ec2.amazonaws.com", "ModifySnapshotAttribute", "Exfiltration:IAMUser/AnomalousBehavior", 8.0},
    {"ec2.amazonaws.com", "TerminateInstances", "Impact:IAMUser/AnomalousBehavior", 8.0},
    {"sts.amazonaws.com", "GetFederationToken", "InitialAccess:IAMUser/AnomalousBehavior", 5.0},
    {"iam.amazonaws.com", "CreateAccessKey", "Persistence:IAMUser/AnomalousBehavior", 5.0},
    {"iam.amazonaws.com", "AttachUserPolicy", "PrivilegeEscalation:IAMUser/AnomalousBehavior", 5.0},
};

/* Every tactic: a never-used API from a new network after learning raises its type. */
static void test_iam_tactics_positive(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    for (size_t i = 0; i < RP_ARRAY_LEN(tactics); i++) {
        struct ct c = alice(tactics[i].source, tactics[i].api, IP_NEW, UA_MAC);
        ct_add(f, T0 + 8 * DAY + 10 * HOUR + (int64_t)i * MIN, &c);
    }
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), RP_ARRAY_LEN(tactics));
    for (size_t i = 0; i < RP_ARRAY_LEN(tactics); i++) {
        const struct rp_det_folded *ff = rp_det_ctx_find(f->dc, tactics[i].type, KEY_ALICE);
        assert_non_null(ff);
        assert_string_equal(ff->f.api, tactics[i].api);
        assert_int_equal(ff->f.count, 1);
        assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 10 * HOUR + (int64_t)i * MIN);
        assert_true(ff->type->severity == tactics[i].severity);
        assert_non_null(strstr(ff->f.anomaly_json, "\"Unusual\":{\"Behavior\":{\"" ARN_ALICE));
    }
}

/* Negatives for every tactic: a principal that is learning (bob, first seen today: every call
 * from a new network, a new tool); for alice after learning: from the usual network, tool and
 * hour (a new API alone), failed, from a trusted address, from a Tor exit (left to the
 * TorIPCaller types); an API learned during the learning period (alice, day 2). */
static void test_iam_tactics_negative(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    for (size_t i = 0; i < RP_ARRAY_LEN(tactics); i++) {
        int64_t t = T0 + 8 * DAY + 11 * HOUR + (int64_t)i * 6 * MIN;
        struct ct c = {UID_BOB,        KEY_BOB, ARN_BOB,  tactics[i].source,
                       tactics[i].api, IP_NEW,  UA_LINUX, "us-east-1",
                       NULL,           false,   NULL,     -1,
                       "bob"};
        ct_add(f, T0 + 8 * DAY + 9 * HOUR + (int64_t)i * MIN, &c); /* bob is learning */
        c = alice(tactics[i].source, tactics[i].api, IP_HOME, UA_MAC);
        ct_add(f, t, &c); /* usual network, tool and hour */
        c = alice(tactics[i].source, tactics[i].api, IP_NEW, UA_MAC);
        c.err = "AccessDenied";
        ct_add(f, t + MIN, &c);
        c = alice(tactics[i].source, tactics[i].api, IP_TRUSTED, UA_LINUX);
        ct_add(f, t + 2 * MIN, &c);
        c = alice(tactics[i].source, tactics[i].api, IP_TOR, UA_LINUX);
        ct_add(f, t + 3 * MIN, &c);
    }
    /* learned on days 2 and 4 from a new network, used again on day 9 from another */
    struct ct c = alice("iam.amazonaws.com", "CreateLoginProfile", IP_NEW, UA_LINUX);
    ct_add(f, T0 + 2 * DAY + 20 * HOUR, &c);
    ct_add(f, T0 + 4 * DAY + 20 * HOUR, &c);
    c = alice("iam.amazonaws.com", "CreateLoginProfile", "192.0.2.200", UA_BOTO);
    ct_add(f, T0 + 9 * DAY + 3 * HOUR, &c);
    /* a call with its own signature type, from a new network */
    c = alice("cloudtrail.amazonaws.com", "StopLogging", "192.0.2.200", UA_BOTO);
    ct_add(f, T0 + 9 * DAY + 3 * HOUR + MIN, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

/* An API alice used once while learning is rare, not usual: from a new network it is
 * reported (the Unusual ApiCalls object says RARE); one she used on two days is not. */
static void test_iam_rare_api(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    struct ct c = alice("iam.amazonaws.com", "CreateAccessKey", IP_HOME, UA_MAC);
    ct_add(f, T0 + 1 * DAY + 11 * HOUR, &c);
    c = alice("iam.amazonaws.com", "AttachUserPolicy", IP_HOME, UA_MAC);
    ct_add(f, T0 + 1 * DAY + 11 * HOUR, &c);
    ct_add(f, T0 + 5 * DAY + 11 * HOUR, &c);
    c = alice("iam.amazonaws.com", "CreateAccessKey", IP_NEW, UA_MAC);
    ct_add(f, T0 + 8 * DAY + 14 * HOUR, &c);
    ct_add(f, T0 + 8 * DAY + 14 * HOUR + MIN, &c);
    c = alice("iam.amazonaws.com", "AttachUserPolicy", IP_NEW, UA_MAC);
    ct_add(f, T0 + 8 * DAY + 14 * HOUR + 2 * MIN, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Persistence:IAMUser/AnomalousBehavior", KEY_ALICE);
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 2);
    assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 14 * HOUR);
    assert_int_equal(ff->f.last_ms, T0 + 8 * DAY + 14 * HOUR + MIN);
    assert_non_null(strstr(ff->f.anomaly_json,
                           "\"ApiCalls\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
                           "\"RARE\",\"Observations\":{\"Text\":[\"CreateAccessKey\"]}}"));
}

/* The learning period counts whole days from the day of the first call (of any kind: S3 data
 * events too): a role first seen at 23:00 moving objects has learned by 00:00 seven days later. */
static void test_iam_learning_days(void **state)
{
    struct fx *f = *state;
    for (int d = 0; d < 7; d++) {
        struct ct c = {
            UID_CI,      KEY_CI, ARN_CI, "s3.amazonaws.com", "PutObject", IP_HOME, UA_BOTO,
            "us-east-1", NULL,   true,   "artifacts",        -1,          NULL};
        ct_add(f, T0 + d * DAY + 23 * HOUR, &c);
    }
    struct ct c = {UID_CI,
                   KEY_CI,
                   ARN_CI,
                   "sts.amazonaws.com",
                   "GetCallerIdentity",
                   IP_HOME,
                   UA_BOTO,
                   "us-east-1",
                   NULL,
                   false,
                   NULL,
                   -1,
                   NULL};
    ct_add(f, T0 + 6 * DAY + 23 * HOUR + 30 * MIN, &c);
    c.source = "iam.amazonaws.com";
    c.name = "CreatePolicyVersion";
    c.ip = IP_NEW;
    ct_add(f, T0 + 6 * DAY + 23 * HOUR + 50 * MIN, &c); /* still learning */
    c.ip = "192.0.2.77";
    ct_add(f, T0 + 7 * DAY + 10 * MIN, &c); /* learned (the API is rare now) */
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "PrivilegeEscalation:IAMUser/AnomalousBehavior", KEY_CI);
    assert_non_null(ff);
    assert_int_equal(ff->f.first_ms, T0 + 7 * DAY + 10 * MIN);
}

/* The other unusual dimensions: a new user-agent family, an hour never worked; the API alone,
 * or a new region alone, is not enough; a role is profiled across its sessions. */
static void test_iam_dimensions(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    /* usual network, new tool (aws-cli on Linux): Persistence */
    struct ct c = alice("iam.amazonaws.com", "CreateAccessKey", IP_HOME, UA_LINUX);
    ct_add(f, T0 + 8 * DAY + 10 * HOUR, &c);
    /* usual network and tool at 03:00, she never works before 09:00: PrivilegeEscalation */
    c = alice("iam.amazonaws.com", "AttachUserPolicy", IP_HOME, UA_MAC);
    ct_add(f, T0 + 9 * DAY + 3 * HOUR, &c);
    /* at 07:00 (within an hour of 08:00? no: 08:00 is unused too, 09:00 is used): usual */
    c = alice("sts.amazonaws.com", "GetFederationToken", IP_HOME, UA_MAC);
    ct_add(f, T0 + 9 * DAY + 8 * HOUR, &c);
    /* a new region alone */
    c = alice("ec2.amazonaws.com", "TerminateInstances", IP_HOME, UA_MAC);
    c.region = "eu-west-1";
    ct_add(f, T0 + 9 * DAY + 12 * HOUR, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 2);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Persistence:IAMUser/AnomalousBehavior", KEY_ALICE);
    assert_non_null(ff);
    assert_non_null(strstr(ff->f.anomaly_json,
                           "\"UserAgents\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
                           "\"UNSEEN\",\"Observations\":{\"Text\":[\"aws-cli (Linux)\"]}}"));
    assert_null(strstr(ff->f.anomaly_json, "\"NetworkLocations\":{"));
    ff = rp_det_ctx_find(f->dc, "PrivilegeEscalation:IAMUser/AnomalousBehavior", KEY_ALICE);
    assert_non_null(ff);
    assert_non_null(strstr(ff->f.anomaly_json,
                           "\"HoursOfDay\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
                           "\"UNSEEN\",\"Observations\":{\"Text\":[\"03:00Z\"]}}"));
}

/* A role is one entity across its sessions; its findings name the session key and the role. */
static void test_iam_role_sessions(void **state)
{
    struct fx *f = *state;
    for (int d = 0; d < 7; d++) {
        struct ct c = {UID_CI,
                       KEY_CI,
                       ARN_CI,
                       "sts.amazonaws.com",
                       "GetCallerIdentity",
                       IP_HOME,
                       UA_BOTO,
                       "us-east-1",
                       NULL,
                       false,
                       NULL,
                       -1,
                       NULL};
        ct_add(f, T0 + d * DAY + 2 * HOUR, &c);
    }
    struct ct c = {UID_CI,
                   KEY_CI,
                   ARN_CI,
                   "iam.amazonaws.com",
                   "CreatePolicyVersion",
                   IP_NEW,
                   UA_LINUX,
                   "us-east-1",
                   NULL,
                   false,
                   NULL,
                   -1,
                   NULL};
    ct_add(f, T0 + 8 * DAY + 2 * HOUR, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "PrivilegeEscalation:IAMUser/AnomalousBehavior", KEY_CI);
    assert_non_null(ff);
    assert_string_equal(ff->f.user_name, "deploy");
    assert_non_null(strstr(ff->f.anomaly_json, "\"Profiles\":{\"" ARN_CI "\""));
}

/* Discovery: a burst of DISC_BURST_MIN (20) never-seen Get/Describe/List APIs in 15 minutes. */
static void disc_burst(struct fx *f, int64_t t, int n, int64_t step)
{
    for (int i = 0; i < n; i++) {
        char *api = rp_arena_printf(&f->a, "ListThings%02d", i);
        assert_non_null(api);
        struct ct c = alice("iam.amazonaws.com", api, IP_NEW, UA_LINUX);
        ct_add(f, t + i * step, &c);
    }
}

static void test_iam_discovery_burst(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    /* repeats of habitual calls do not count, new ones do */
    struct ct c = alice("ec2.amazonaws.com", "DescribeInstances", IP_NEW, UA_LINUX);
    ct_add(f, T0 + 8 * DAY + 10 * HOUR, &c);
    disc_burst(f, T0 + 8 * DAY + 10 * HOUR + SEC, 22, 5 * SEC);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Discovery:IAMUser/AnomalousBehavior", KEY_ALICE);
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 22);
    assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 10 * HOUR + SEC);
    assert_int_equal(ff->f.last_ms, T0 + 8 * DAY + 10 * HOUR + SEC + 21 * 5 * SEC);
    assert_true(ff->type->severity == 2.0);
    assert_non_null(strstr(ff->f.anomaly_json,
                           "\"ApiCalls\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
                           "\"UNSEEN\",\"Observations\":{\"Text\":[\"ListThings00\","
                           "\"ListThings01\",\"ListThings02\",\"ListThings03\",\"ListThings04\","
                           "\"ListThings05\",\"ListThings06\",\"ListThings07\"]}}"));
}

static void test_iam_discovery_negative(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    /* 19 in minutes: under the burst */
    disc_burst(f, T0 + 8 * DAY + 10 * HOUR, 19, 5 * SEC);
    /* 25 new ones spread over hours (one every 50 minutes) */
    for (int i = 0; i < 25; i++) {
        char *api = rp_arena_printf(&f->a, "DescribeSlow%02d", i);
        assert_non_null(api);
        struct ct c = alice("ec2.amazonaws.com", api, IP_NEW, UA_LINUX);
        ct_add(f, T0 + 9 * DAY + i * 50 * MIN, &c);
    }
    /* 25 new ones in minutes, during learning */
    for (int i = 0; i < 25; i++) {
        char *api = rp_arena_printf(&f->a, "GetEarly%02d", i);
        assert_non_null(api);
        struct ct c = alice("ec2.amazonaws.com", api, IP_NEW, UA_LINUX);
        ct_add(f, T0 + 5 * DAY + 7 * HOUR + i * 5 * SEC, &c);
    }
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

/* ---- S3 ------------------------------------------------------------------------------------ */

static struct ct s3call(const char *name, const char *bucket, const char *ip, int64_t bytes)
{
    struct ct c = alice("s3.amazonaws.com", name, ip, UA_MAC);
    c.data = true;
    c.bucket = bucket;
    c.bytes = bytes;
    return c;
}

/* Alice reads 10 objects of "reports" an hour at 10:00 for 7 days, and lists it. */
static void s3_habits(struct fx *f)
{
    for (int d = 0; d < 7; d++) {
        struct ct c = s3call("ListObjects", "reports", IP_HOME, -1);
        ct_add(f, T0 + d * DAY + 10 * HOUR, &c);
        for (int i = 0; i < 10; i++) {
            c = s3call("GetObject", "reports", IP_HOME, 1000000);
            ct_add(f, T0 + d * DAY + 10 * HOUR + (i + 1) * MIN, &c);
        }
    }
}

static void s3_many(struct fx *f, int64_t t, const char *name, const char *bucket, const char *ip,
                    int n, int64_t bytes)
{
    for (int i = 0; i < n; i++) {
        struct ct c = s3call(name, bucket, ip, bytes);
        ct_add(f, t + i * 2 * SEC, &c);
    }
}

static void test_s3_exfiltration(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    /* day 8: 150 reads in an hour from home (10/h learned: the floor of 100 applies) */
    s3_many(f, T0 + 8 * DAY + 14 * HOUR, "GetObject", "reports", IP_HOME, 150, 1000000);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Exfiltration:S3/AnomalousBehavior", "reports");
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 150);
    assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 14 * HOUR);
    assert_int_equal(ff->f.last_ms, T0 + 8 * DAY + 14 * HOUR + 149 * 2 * SEC);
    assert_string_equal(ff->f.bucket, "reports");
    assert_string_equal(ff->f.access_key_id, KEY_ALICE);
    assert_string_equal(ff->f.evidence_key, ARN_ALICE);
    assert_true(ff->type->severity == 8.0);
    assert_non_null(strstr(ff->f.anomaly_json,
                           "\"ObjectReads\":{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
                           "\"RARE\",\"Observations\":{\"Text\":[\"100 calls (100000000 bytes) "
                           "in one hour\"]}}"));
    assert_non_null(strstr(ff->f.anomaly_json, "\"Text\":[\"at most 10 calls (10000000 bytes) "
                                               "per hour\"]"));
}

static void test_s3_exfiltration_new_network(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    /* 25 reads from a new network: the lower floor (20) applies */
    s3_many(f, T0 + 8 * DAY + 14 * HOUR, "GetObject", "reports", IP_NEW, 25, 1000);
    run(f, &rp_det_baseline_s3);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Exfiltration:S3/AnomalousBehavior", "reports");
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 25);
    assert_string_equal(ff->f.remote_ip, IP_NEW);
    assert_non_null(strstr(ff->f.anomaly_json, "\"NetworkLocations\":{\"ProfileType\":"
                                               "\"FREQUENCY\",\"ProfileSubtype\":\"UNSEEN\","
                                               "\"Observations\":{\"Text\":[\"203.0.113.0/24\"]"));
}

static void test_s3_exfiltration_negative(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    /* 99 from home; 19 from a new network the next day; 300 from a Tor exit (left to the Tor
     * types); 150 from a trusted address; 200 by bob, who is learning */
    s3_many(f, T0 + 8 * DAY + 14 * HOUR, "GetObject", "reports", IP_HOME, 99, 1000);
    s3_many(f, T0 + 9 * DAY + 14 * HOUR, "GetObject", "reports", IP_NEW, 19, 1000);
    s3_many(f, T0 + 9 * DAY + 16 * HOUR, "GetObject", "reports", IP_TOR, 300, 1000);
    s3_many(f, T0 + 9 * DAY + 18 * HOUR, "GetObject", "reports", IP_TRUSTED, 150, 1000);
    for (int i = 0; i < 200; i++) {
        struct ct c = {
            UID_BOB,     KEY_BOB, ARN_BOB, "s3.amazonaws.com", "GetObject", IP_NEW, UA_LINUX,
            "us-east-1", NULL,    true,    "reports",          1000,        "bob"};
        ct_add(f, T0 + 9 * DAY + 20 * HOUR + i * SEC, &c);
    }
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

/* The learning period starts with the principal's first call of any kind: alice never read
 * S3 while she learned, then downloads 120 objects from a bucket (the mass-download shape). */
static void test_s3_first_use(void **state)
{
    struct fx *f = *state;
    alice_habits(f, 0, 7);
    s3_many(f, T0 + 8 * DAY + 14 * HOUR, "GetObject", "exports", IP_HOME, 120, 20000000);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Exfiltration:S3/AnomalousBehavior", "exports");
    assert_non_null(ff);
    /* 1 GiB is reached at the 54th object of 20 MB: it stands for them all */
    assert_int_equal(ff->f.count, 120);
    assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 14 * HOUR);
}

static void test_s3_delete(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    s3_many(f, T0 + 8 * DAY + 23 * HOUR, "DeleteObject", "backups", IP_HOME, 60, -1);
    /* a failed delete does not count */
    struct ct c = s3call("DeleteObject", "backups", IP_HOME, -1);
    c.err = "AccessDenied";
    ct_add(f, T0 + 8 * DAY + 23 * HOUR + 10 * MIN, &c);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Impact:S3/AnomalousBehavior.Delete", "backups");
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 60);
    assert_true(ff->type->severity == 8.0);
}

static void test_s3_delete_negative(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    /* 49 in an hour, then 40 in each of the next two hours */
    s3_many(f, T0 + 8 * DAY + 20 * HOUR, "DeleteObject", "backups", IP_HOME, 49, -1);
    s3_many(f, T0 + 8 * DAY + 21 * HOUR, "DeleteObject", "backups", IP_HOME, 40, -1);
    s3_many(f, T0 + 8 * DAY + 22 * HOUR, "DeleteObject", "backups", IP_HOME, 40, -1);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

static void test_s3_write(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    s3_many(f, T0 + 8 * DAY + 2 * HOUR, "PutObject", "reports", IP_HOME, 250, -1);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Impact:S3/AnomalousBehavior.Write", "reports");
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 250);
    assert_true(ff->type->severity == 5.0);
}

/* A nightly sync that writes 230 objects was learned: the same volume stays quiet. */
static void test_s3_write_negative(void **state)
{
    struct fx *f = *state;
    for (int d = 0; d < 9; d++)
        s3_many(f, T0 + d * DAY + 2 * HOUR, "PutObject", "artifacts", IP_HOME, 230, -1);
    s3_many(f, T0 + 9 * DAY + 2 * HOUR, "PutObject", "reports", IP_HOME, 199, -1);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

static void test_s3_permission(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    s3_many(f, T0 + 8 * DAY + 12 * HOUR, "PutObjectAcl", "reports", IP_HOME, 25, -1);
    s3_many(f, T0 + 9 * DAY + 12 * HOUR, "PutObjectAcl", "reports", IP_HOME, 19, -1);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Impact:S3/AnomalousBehavior.Permission", "reports");
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 25);
    assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 12 * HOUR);
}

static void test_s3_discovery(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    static const char *const b[] = {"b-one", "b-two", "b-three", "b-four", "b-five"};
    for (size_t i = 0; i < RP_ARRAY_LEN(b); i++) {
        struct ct c = s3call("ListObjects", b[i], IP_NEW, -1);
        ct_add(f, T0 + 8 * DAY + 15 * HOUR + (int64_t)i * MIN, &c);
    }
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Discovery:S3/AnomalousBehavior", "b-five");
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 1);
    assert_true(ff->type->severity == 2.0);
    assert_non_null(strstr(ff->f.anomaly_json, "\"Buckets\":[{\"ProfileType\":\"FREQUENCY\","
                                               "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":"
                                               "{\"Text\":[\"reports\"]}}]"));
}

static void test_s3_discovery_negative(void **state)
{
    struct fx *f = *state;
    s3_habits(f);
    /* four new buckets in an hour, a fifth the next hour; listing a known bucket */
    static const char *const b[] = {"b-one", "b-two", "b-three", "b-four"};
    for (size_t i = 0; i < RP_ARRAY_LEN(b); i++) {
        struct ct c = s3call("ListObjects", b[i], IP_NEW, -1);
        ct_add(f, T0 + 8 * DAY + 15 * HOUR + (int64_t)i * MIN, &c);
    }
    struct ct c = s3call("ListObjects", "b-five", IP_NEW, -1);
    ct_add(f, T0 + 8 * DAY + 16 * HOUR + 30 * MIN, &c);
    c = s3call("ListObjects", "reports", IP_NEW, -1);
    ct_add(f, T0 + 8 * DAY + 16 * HOUR + 31 * MIN, &c);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

/* The S3 profile survives a restart too (model "s3"). */
static void test_s3_restart(void **state)
{
    struct fx *f = *state;
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    rp_det_ctx_free(f->dc);
    fx_open(f, st, 0);
    s3_habits(f);
    run(f, &rp_det_baseline_s3);
    rp_det_ctx_free(f->dc);
    f->e.n = 0;
    fx_open(f, st, 0);
    s3_many(f, T0 + 8 * DAY + 14 * HOUR, "GetObject", "reports", IP_HOME, 99, 1000);
    s3_many(f, T0 + 9 * DAY + 14 * HOUR, "DeleteObject", "reports", IP_HOME, 55, -1);
    run(f, &rp_det_baseline_s3);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    assert_non_null(rp_det_ctx_find(f->dc, "Impact:S3/AnomalousBehavior.Delete", "reports"));
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    fx_open(f, NULL, 0);
    rp_store_free(st);
}

/* ---- flow ---------------------------------------------------------------------------------- */

#define INST    "i-0123456789abcdef0"
#define ENI     "eni-0123456789abcdef0"
#define LOCAL   "10.0.1.20"
#define WEB     "52.94.10.20"   /* the usual HTTPS peer */
#define S3IP    "52.216.51.181" /* the nightly backup's endpoint */
#define CALLBK  "178.29.113.39" /* an outside host */
#define CALLBK2 "178.29.114.40"

struct fl {
    const char *src, *dst;
    int sport, dport, proto;
    int64_t bytes, packets;
    const char *dir; /* egress | ingress */
    const char *svc; /* pkt-dst-aws-service, NULL = none */
    const char *action;
};

static void fl_add(struct fx *f, int64_t ms, const struct fl *x)
{
    struct rp_det_event *ev = ev_new(&f->e, RP_DET_SRC_FLOW, ms);
    rp_det_event_set(ev, RP_FL_ACCOUNT_ID, ACCT);
    rp_det_event_set(ev, RP_FL_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_FL_REGION, "us-east-1");
    rp_det_event_set(ev, RP_FL_INTERFACE_ID, ENI);
    rp_det_event_set(ev, RP_FL_INSTANCE_ID, INST);
    rp_det_event_set(ev, RP_FL_SRCADDR, x->src);
    rp_det_event_set(ev, RP_FL_DSTADDR, x->dst);
    rp_det_event_set(ev, RP_FL_SRC_IP, x->src);
    rp_det_event_set(ev, RP_FL_DST_IP, x->dst);
    rp_det_event_set(ev, RP_FL_ACTION, x->action ? x->action : "ACCEPT");
    rp_det_event_set(ev, RP_FL_LOG_STATUS, "OK");
    rp_det_event_set(ev, RP_FL_FLOW_DIRECTION, x->dir);
    if (x->svc) rp_det_event_set(ev, RP_FL_PKT_DST_AWS_SERVICE, x->svc);
    rp_det_event_set_int(ev, RP_FLI_SRCPORT, x->sport);
    rp_det_event_set_int(ev, RP_FLI_DSTPORT, x->dport);
    rp_det_event_set_int(ev, RP_FLI_PROTOCOL, x->proto);
    rp_det_event_set_int(ev, RP_FLI_BYTES, x->bytes);
    rp_det_event_set_int(ev, RP_FLI_PACKETS, x->packets);
    rp_det_event_set_int(ev, RP_FLI_START, ms / 1000);
    rp_det_event_set_int(ev, RP_FLI_END, ms / 1000 + 60);
    rp_det_event_set_int(ev, RP_FLI_VERSION, 5);
}

/* An outbound connection (request and answer) of the instance. */
static void conn(struct fx *f, int64_t ms, const char *remote, int sport, int dport, int proto,
                 int64_t out, int64_t in, const char *svc)
{
    struct fl r = {LOCAL, remote, sport, dport, proto, out, out / 1000 + 1, "egress", svc, NULL};
    fl_add(f, ms, &r);
    if (in > 0) {
        struct fl a = {remote, LOCAL,         dport,     sport, proto,
                       in,     in / 1000 + 1, "ingress", NULL,  NULL};
        fl_add(f, ms, &a);
    }
}

/* Seven days: HTTPS to WEB every hour, and the nightly 20 GB backup to S3 at 01:00. */
static void flow_habits(struct fx *f, bool backup_svc)
{
    for (int d = 0; d < 7; d++) {
        for (int h = 0; h < 24; h++)
            conn(f, T0 + d * DAY + h * HOUR + 10 * MIN, WEB, 40000 + h, 443, 6, 5000, 20000, NULL);
        for (int k = 0; k < 4; k++)
            conn(f, T0 + d * DAY + HOUR + 15 * MIN + k * 10 * MIN, S3IP, 41000 + k, 443, 6,
                 5000LL << 20, 1 << 20, backup_svc ? "S3" : NULL);
    }
}

static void test_flow_port_unusual(void **state)
{
    struct fx *f = *state;
    flow_habits(f, false);
    /* day 8: an LDAP callback on 389, then a class fetch on 8000 two seconds later */
    int64_t t = T0 + 8 * DAY + 13 * HOUR + 17 * MIN;
    conn(f, t, CALLBK, 51000, 389, 6, 612, 1184, NULL);
    conn(f, t + 2 * SEC, CALLBK, 51001, 8000, 6, 711, 6210, NULL);
    /* and the answer of an inbound connection to a new local port is not an outbound one */
    struct fl in = {CALLBK2, LOCAL, 55000, 9090, 6, 300, 3, "ingress", NULL, NULL};
    fl_add(f, t + 5 * SEC, &in);
    struct fl out = {LOCAL, CALLBK2, 9090, 55000, 6, 3000, 3, "egress", NULL, NULL};
    fl_add(f, t + 5 * SEC, &out);
    run(f, &rp_det_baseline_flow);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_finding(f->dc, 0);
    assert_string_equal(ff->f.type, "Behavior:EC2/NetworkPortUnusual");
    assert_string_equal(ff->f.resource_id, INST);
    assert_string_equal(ff->f.instance_id, INST);
    assert_string_equal(ff->f.eni, ENI);
    assert_int_equal(ff->f.remote_port, 389);
    assert_string_equal(ff->f.remote_ip, CALLBK);
    assert_string_equal(ff->f.local_ip, LOCAL);
    assert_string_equal(ff->f.direction, "OUTBOUND");
    assert_string_equal(ff->f.protocol, "TCP");
    assert_string_equal(ff->f.resource_role, "ACTOR");
    assert_string_equal(ff->f.evidence_key, "389");
    assert_true(ff->f.severity == 8.0);
    assert_int_equal(ff->f.count, 1);
    assert_int_equal(ff->f.first_ms, t);
    assert_string_equal(
        ff->f.anomaly_json,
        "{\"Profiles\":{\"" INST "\":{\"RemotePorts\":[{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"443\"]}}]}},\"Unusual\":{"
        "\"Behavior\":{\"" INST "\":{\"RemotePorts\":{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"UNSEEN\",\"Observations\":{\"Text\":[\"389\"]}}}}}}");
    ff = rp_det_ctx_finding(f->dc, 1);
    assert_string_equal(ff->f.type, "Behavior:EC2/NetworkPortUnusual");
    assert_int_equal(ff->f.remote_port, 8000);
    assert_true(ff->f.severity == 0.0); /* the type's Medium 5 */
    assert_true(ff->type->severity == 5.0);
}

/* Look-alikes other detectors report, and near misses. */
static void test_flow_port_negative(void **state)
{
    struct fx *f = *state;
    flow_habits(f, false);
    /* during learning */
    conn(f, T0 + 2 * DAY + 30 * MIN, CALLBK, 51000, 1389, 6, 612, 1184, NULL);
    /* habitual port to a new host */
    conn(f, T0 + 8 * DAY + 1 * HOUR, CALLBK, 51000, 443, 6, 612, 1184, NULL);
    /* a port scan: six new ports of one host in a minute */
    for (int i = 0; i < 6; i++)
        conn(f, T0 + 8 * DAY + 3 * HOUR + i * SEC, CALLBK, 52000, 20 + i, 6, 44, 40, NULL);
    /* a sweep: port 5900 on six hosts */
    for (int i = 0; i < 6; i++) {
        char *ip = rp_arena_printf(&f->a, "157.219.0.%d", 2 + i);
        assert_non_null(ip);
        conn(f, T0 + 8 * DAY + 5 * HOUR + i * SEC, ip, 52000 + i, 5900, 6, 44, 40, NULL);
    }
    /* a brute force: 25 connections to port 22 of one host */
    for (int i = 0; i < 25; i++)
        conn(f, T0 + 8 * DAY + 7 * HOUR + i * 10 * SEC, CALLBK2, 53000 + i, 22, 6, 3000, 3000,
             NULL);
    /* a trusted address and a Tor exit (left to the threat-list types) */
    conn(f, T0 + 8 * DAY + 9 * HOUR, "100.24.7.7", 51000, 8443, 6, 612, 1184, NULL);
    conn(f, T0 + 8 * DAY + 10 * HOUR, IP_TOR, 51000, 9001, 6, 612, 1184, NULL);
    /* a crypto-mining port (BitcoinTool.B) and a rejected attempt */
    conn(f, T0 + 8 * DAY + 11 * HOUR, CALLBK, 51000, 3333, 6, 612, 1184, NULL);
    struct fl rej = {LOCAL, CALLBK, 51000, 6667, 6, 60, 1, "egress", NULL, "REJECT"};
    fl_add(f, T0 + 8 * DAY + 12 * HOUR, &rej);
    run(f, &rp_det_baseline_flow);
    assert_int_equal(count_type(f, "Behavior:EC2/NetworkPortUnusual"), 0);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

static void test_flow_volume(void **state)
{
    struct fx *f = *state;
    flow_habits(f, false);
    /* day 8, 06:42: four 1.2 GB connections every 10 minutes to a host never contacted */
    int64_t t = T0 + 8 * DAY + 6 * HOUR + 42 * MIN;
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 4; k++)
            conn(f, t + i * 10 * MIN, CALLBK, 52069 + k, 443, 6, 1200LL << 20, 3 << 20, NULL);
    run(f, &rp_det_baseline_flow);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff = rp_det_ctx_finding(f->dc, 0);
    assert_string_equal(ff->f.type, "Behavior:EC2/TrafficVolumeUnusual");
    assert_string_equal(ff->f.resource_id, INST);
    assert_string_equal(ff->f.remote_ip, CALLBK);
    assert_string_equal(ff->f.evidence_key, CALLBK);
    assert_int_equal(ff->f.remote_port, 443);
    assert_string_equal(ff->f.direction, "OUTBOUND");
    assert_string_equal(ff->f.resource_role, "ACTOR");
    assert_int_equal(ff->f.count, 24); /* 8 records in the 06:00 hour, 16 in the 07:00 one */
    assert_int_equal(ff->f.first_ms, t);
    assert_int_equal(ff->f.last_ms, t + 50 * MIN);
    assert_true(ff->type->severity == 5.0);
    assert_non_null(strstr(ff->f.anomaly_json,
                           "\"HeavyPeers\":[{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
                           "\"FREQUENT\",\"Observations\":{\"Text\":[\"" S3IP "\"]}}]"));
    assert_non_null(
        strstr(ff->f.anomaly_json, "\"Text\":[\"at most 0 bytes per hour to " CALLBK "\"]"));
}

static void test_flow_volume_negative(void **state)
{
    struct fx *f = *state;
    flow_habits(f, false);
    /* the nightly backup goes on (habitual peer, within its volume) */
    for (int d = 7; d < 10; d++)
        for (int k = 0; k < 4; k++)
            conn(f, T0 + d * DAY + HOUR + 15 * MIN + k * 10 * MIN, S3IP, 41000 + k, 443, 6,
                 6000LL << 20, 1 << 20, NULL);
    /* 900 MiB to a new host in an hour: under the floor */
    conn(f, T0 + 8 * DAY + 5 * HOUR, CALLBK, 52000, 443, 6, 900LL << 20, 1 << 20, NULL);
    /* 3 GB of UDP without answers to a new host (a flood) */
    for (int i = 0; i < 3; i++)
        conn(f, T0 + 8 * DAY + 9 * HOUR + i * MIN, CALLBK2, 52000, 443, 17, 1LL << 30, 0, NULL);
    /* 3 GB of TCP nobody answers */
    for (int i = 0; i < 3; i++)
        conn(f, T0 + 8 * DAY + 11 * HOUR + i * MIN, CALLBK2, 52000 + i, 443, 6, 1LL << 30, 0, NULL);
    /* 30 GB to an AWS service endpoint (pkt-dst-aws-service) it never used */
    for (int i = 0; i < 3; i++)
        conn(f, T0 + 8 * DAY + 13 * HOUR + i * MIN, "52.216.9.9", 52000 + i, 443, 6, 10LL << 30,
             1 << 20, "S3");
    /* 30 GB during learning */
    for (int i = 0; i < 3; i++)
        conn(f, T0 + 3 * DAY + 13 * HOUR + i * MIN, CALLBK, 52000 + i, 443, 6, 10LL << 30, 1 << 20,
             NULL);
    run(f, &rp_det_baseline_flow);
    assert_int_equal(count_type(f, "Behavior:EC2/TrafficVolumeUnusual"), 0);
}

/* The backup labelled as S3 traffic is never profiled, and a spike to a new host is seen. */
static void test_flow_volume_after_aws_backup(void **state)
{
    struct fx *f = *state;
    flow_habits(f, true);
    for (int k = 0; k < 4; k++)
        conn(f, T0 + 8 * DAY + HOUR + 15 * MIN + k * 10 * MIN, S3IP, 41000 + k, 443, 6,
             8000LL << 20, 1 << 20, "S3");
    for (int k = 0; k < 2; k++)
        conn(f, T0 + 8 * DAY + 6 * HOUR + k * MIN, CALLBK, 52069 + k, 443, 6, 700LL << 20, 1 << 20,
             NULL);
    run(f, &rp_det_baseline_flow);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Behavior:EC2/TrafficVolumeUnusual", INST);
    assert_non_null(ff);
    assert_int_equal(ff->f.count, 2);
}

/* ---- Kubernetes ---------------------------------------------------------------------------- */

#define CLUSTER    "prod"
#define UA_KUBECTL "kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f"

struct k8 {
    const char *user, *verb, *res, *sub, *ns, *name;
    const char *ip, *ua;
    int code;
};

static void k8_add(struct fx *f, int64_t ms, const struct k8 *k)
{
    struct rp_det_event *ev = ev_new(&f->e, RP_DET_SRC_K8S, ms);
    char *user = rp_arena_printf(&f->a,
                                 "{\"username\":\"%s\",\"uid\":\"aws-iam-authenticator:" ACCT
                                 ":AIDAEXAMPLE\",\"groups\":[\"system:authenticated\"]}",
                                 k->user);
    char *ref = rp_arena_printf(
        &f->a, "{\"resource\":\"%s\"%s%s%s%s%s%s%s%s%s,\"apiVersion\":\"v1\"}", k->res,
        k->sub ? ",\"subresource\":\"" : "", k->sub ? k->sub : "", k->sub ? "\"" : "",
        k->ns ? ",\"namespace\":\"" : "", k->ns ? k->ns : "", k->ns ? "\"" : "",
        k->name ? ",\"name\":\"" : "", k->name ? k->name : "", k->name ? "\"" : "");
    char *ips = rp_arena_printf(&f->a, "[\"%s\"]", k->ip);
    char *status = rp_arena_printf(&f->a, "{\"metadata\":{},\"code\":%d}", k->code);
    char *uri = rp_arena_printf(&f->a, "/api/v1/%s%s%s/%s%s%s", k->ns ? "namespaces/" : "",
                                k->ns ? k->ns : "", k->ns ? "" : "", k->res, k->sub ? "/" : "",
                                k->sub ? k->sub : "");
    assert_non_null(user);
    assert_non_null(ref);
    assert_non_null(ips);
    assert_non_null(status);
    assert_non_null(uri);
    rp_det_event_set(ev, RP_K8S_STAGE, "ResponseComplete");
    rp_det_event_set(ev, RP_K8S_VERB, k->verb);
    rp_det_event_set(ev, RP_K8S_USER, user);
    rp_det_event_set(ev, RP_K8S_USERNAME, k->user);
    rp_det_event_set(ev, RP_K8S_SOURCE_IPS, ips);
    rp_det_event_set(ev, RP_K8S_SRC_IP, k->ip);
    rp_det_event_set(ev, RP_K8S_USER_AGENT, k->ua);
    rp_det_event_set(ev, RP_K8S_OBJECT_REF, ref);
    rp_det_event_set(ev, RP_K8S_RESPONSE_STATUS, status);
    rp_det_event_set(ev, RP_K8S_REQUEST_URI, uri);
    rp_det_event_set(ev, RP_K8S_RESOURCE, k->res);
    if (k->ns) rp_det_event_set(ev, RP_K8S_NAMESPACE, k->ns);
    if (k->name) rp_det_event_set(ev, RP_K8S_NAME, k->name);
    rp_det_event_set(ev, RP_K8S_CLUSTER, CLUSTER);
    rp_det_event_set(ev, RP_K8S_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_K8S_REGION, "us-east-1");
    rp_det_event_set_int(ev, RP_K8SI_CODE, k->code);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_event_derive(f->dc, ev, &eb), RP_OK);
}

/* Carol, seven days: lists pods and reads logs in "shop" from home with kubectl. */
static void k8s_habits(struct fx *f)
{
    for (int d = 0; d < 7; d++) {
        struct k8 k = {"carol", "list", "pods", NULL, "shop", NULL, IP_HOME, UA_KUBECTL, 200};
        k8_add(f, T0 + d * DAY + 10 * HOUR, &k);
        k = (struct k8){"carol", "get", "pods", "log", "shop", "web-1", IP_HOME, UA_KUBECTL, 200};
        k8_add(f, T0 + d * DAY + 10 * HOUR + MIN, &k);
    }
}

static const struct {
    const char *verb, *res, *sub, *ns, *name, *type;
    double severity;
} k8s_kinds[] = {
    {"get", "secrets", NULL, "shop", "db-password",
     "CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed", 5.0},
    {"create", "pods", "exec", "shop", "web-1", "Execution:Kubernetes/AnomalousBehavior.ExecInPod",
     5.0},
    {"create", "rolebindings", NULL, "shop", "all-admin",
     "PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleBindingCreated", 5.0},
    {"create", "clusterroles", NULL, NULL, "everything",
     "PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleCreated", 5.0},
    {"create", "selfsubjectaccessreviews", NULL, NULL, NULL,
     "Discovery:Kubernetes/AnomalousBehavior.PermissionChecked", 2.0},
};

static void test_k8s_positive(void **state)
{
    struct fx *f = *state;
    k8s_habits(f);
    for (size_t i = 0; i < RP_ARRAY_LEN(k8s_kinds); i++) {
        struct k8 k = {"carol",          k8s_kinds[i].verb, k8s_kinds[i].res,
                       k8s_kinds[i].sub, k8s_kinds[i].ns,   k8s_kinds[i].name,
                       IP_NEW,           UA_KUBECTL,        k8s_kinds[i].sub ? 101 : 201};
        if (strcmp(k.verb, "get") == 0) k.code = 200;
        k8_add(f, T0 + 8 * DAY + 3 * HOUR + (int64_t)i * MIN, &k);
    }
    run(f, &rp_det_baseline_k8s);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), RP_ARRAY_LEN(k8s_kinds));
    for (size_t i = 0; i < RP_ARRAY_LEN(k8s_kinds); i++) {
        const struct rp_det_folded *ff = rp_det_ctx_find(f->dc, k8s_kinds[i].type, CLUSTER);
        assert_non_null(ff);
        assert_int_equal(ff->f.count, 1);
        assert_int_equal(ff->f.first_ms, T0 + 8 * DAY + 3 * HOUR + (int64_t)i * MIN);
        assert_string_equal(ff->f.k8s_user, "carol");
        assert_string_equal(ff->f.verb, k8s_kinds[i].verb);
        assert_string_equal(ff->f.remote_ip, IP_NEW);
        assert_string_equal(ff->f.evidence_key, CLUSTER "/carol");
        assert_true(ff->type->severity == k8s_kinds[i].severity);
    }
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Execution:Kubernetes/AnomalousBehavior.ExecInPod", CLUSTER);
    assert_string_equal(ff->f.workload_name, "web-1");
    assert_string_equal(ff->f.workload_ns, "shop");
    assert_string_equal(
        ff->f.anomaly_json,
        "{\"Profiles\":{\"prod/carol\":{\"Actions\":[{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"get pods/log\","
        "\"list pods\"]}}],\"Namespaces\":[{\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":"
        "\"FREQUENT\",\"Observations\":{\"Text\":[\"shop\"]}}],\"NetworkLocations\":[{"
        "\"ProfileType\":\"FREQUENCY\",\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{"
        "\"Text\":[\"198.51.100.0/24\"]}}],\"UserAgents\":[{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"FREQUENT\",\"Observations\":{\"Text\":[\"kubectl (Linux)\"]}}]}},"
        "\"Unusual\":{\"Behavior\":{\"prod/carol\":{\"Actions\":{\"ProfileType\":"
        "\"FREQUENCY\",\"ProfileSubtype\":\"UNSEEN\",\"Observations\":{\"Text\":["
        "\"create pods/exec\"]}},\"NetworkLocations\":{\"ProfileType\":\"FREQUENCY\","
        "\"ProfileSubtype\":\"UNSEEN\",\"Observations\":{\"Text\":[\"203.0.113.0/24\"]}}}}}}");
}

/* Negatives: from the usual network, tool and namespace; refused (403); anonymous; trusted;
 * a user who is learning; an action learned while learning. */
static void test_k8s_negative(void **state)
{
    struct fx *f = *state;
    k8s_habits(f);
    struct k8 k = {"carol", "create", "pods", "exec", "shop", "web-1", IP_HOME, UA_KUBECTL, 101};
    k8_add(f, T0 + 2 * DAY + 11 * HOUR, &k); /* exec learned */
    for (size_t i = 0; i < RP_ARRAY_LEN(k8s_kinds); i++) {
        int64_t t = T0 + 8 * DAY + 3 * HOUR + (int64_t)i * 10 * MIN;
        /* the namespace-less kinds have no namespace to be unusual in */
        k = (struct k8){"carol",          k8s_kinds[i].verb, k8s_kinds[i].res,
                        k8s_kinds[i].sub, k8s_kinds[i].ns,   k8s_kinds[i].name,
                        IP_HOME,          UA_KUBECTL,        200};
        k8_add(f, t, &k);
        k.ip = IP_NEW;
        k.code = 403;
        k8_add(f, t + MIN, &k);
        k.code = 200;
        k.ip = IP_TRUSTED;
        k.ua = "python-requests/2.31";
        k8_add(f, t + 2 * MIN, &k);
        k.ip = IP_NEW;
        k.user = "system:anonymous";
        k8_add(f, t + 3 * MIN, &k);
        k.user = "erin"; /* first seen today: learning */
        k8_add(f, t + 4 * MIN, &k);
    }
    k = (struct k8){"carol", "create", "pods", "exec", "shop", "web-2", IP_NEW, UA_KUBECTL, 101};
    k8_add(f, T0 + 9 * DAY, &k); /* learned exec, from a new network */
    run(f, &rp_det_baseline_k8s);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
}

/* ---- persistence of the other models, and rows that do not decode --------------------------- */

static void test_flow_k8s_restart(void **state)
{
    struct fx *f = *state;
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    rp_det_ctx_free(f->dc);
    fx_open(f, st, 0);
    flow_habits(f, false);
    run(f, &rp_det_baseline_flow);
    f->e.n = 0;
    k8s_habits(f);
    run(f, &rp_det_baseline_k8s);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
    rp_det_ctx_free(f->dc);
    f->e.n = 0;
    fx_open(f, st, 0);
    /* learned port and peer: quiet; a new port: reported */
    conn(f, T0 + 8 * DAY + 2 * HOUR, WEB, 40001, 443, 6, 5000, 20000, NULL);
    conn(f, T0 + 8 * DAY + 3 * HOUR, CALLBK, 51000, 1389, 6, 612, 1184, NULL);
    run(f, &rp_det_baseline_flow);
    f->e.n = 0;
    struct k8 k = {"carol", "list", "pods", NULL, "shop", NULL, IP_NEW, UA_KUBECTL, 200};
    k8_add(f, T0 + 8 * DAY + 4 * HOUR, &k);
    k = (struct k8){"carol", "get", "secrets", NULL, "shop", "db", IP_NEW, UA_KUBECTL, 200};
    k8_add(f, T0 + 8 * DAY + 4 * HOUR + MIN, &k);
    run(f, &rp_det_baseline_k8s);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 2);
    const struct rp_det_folded *ff =
        rp_det_ctx_find(f->dc, "Behavior:EC2/NetworkPortUnusual", INST);
    assert_non_null(ff);
    assert_int_equal(ff->f.remote_port, 1389);
    assert_true(ff->f.severity == 8.0);
    assert_non_null(rp_det_ctx_find(
        f->dc, "CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed", CLUSTER));
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    fx_open(f, NULL, 0);
    rp_store_free(st);
}

/* A row that does not decode (another version, damaged) is ignored: the entity starts learning
 * again; the row is replaced when the run saves. */
static void test_engine_bad_row(void **state)
{
    struct fx *f = *state;
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_store_exec(st,
                                   "INSERT INTO detect_baselines VALUES ('iam', '" ARN_ALICE
                                   "', 0, 0, 0, 1, x'0102030405'), ('s3', '" ARN_ALICE
                                   "', 0, 0, 0, 99, x'00')",
                                   &eb),
                     RP_OK);
    rp_det_ctx_free(f->dc);
    fx_open(f, st, 0);
    /* day 20: alice is first seen now (the bad row is ignored): learning, no finding */
    struct ct c = alice("ec2.amazonaws.com", "DeleteFlowLogs", IP_NEW, UA_LINUX);
    ct_add(f, T0 + 20 * DAY, &c);
    run(f, &rp_det_baseline_iam);
    assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
    struct rp_store_stmt *q = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(st,
                                           "SELECT first_ms, version, length(state) > 5 FROM "
                                           "detect_baselines WHERE model = 'iam'",
                                           &q, &eb),
                     RP_OK);
    assert_int_equal(rp_store_stmt_step(q, &row, &eb), RP_OK);
    assert_true(row);
    assert_int_equal(rp_store_stmt_column_int64(q, 0), T0 + 20 * DAY);
    assert_int_equal(rp_store_stmt_column_int64(q, 1), 1);
    assert_int_equal(rp_store_stmt_column_int64(q, 2), 1);
    rp_store_stmt_reset(q);
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    fx_open(f, NULL, 0);
    rp_store_free(st);
}

/* A dry run and a window re-run load what was learned but save nothing. */
static void test_engine_no_save(void **state)
{
    struct fx *f = *state;
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    for (int mode = 0; mode < 2; mode++) {
        struct rp_detect_opts o;
        rp_detect_opts_init(&o);
        o.now_ms = T0 + 30 * DAY;
        if (mode == 0)
            o.dry_run = true;
        else
            o.since_ms = T0;
        rp_det_ctx_free(f->dc);
        assert_int_equal(rp_det_ctx_new(&o, st, f->ti, &f->dc, &eb), RP_OK);
        f->e.n = 0;
        alice_habits(f, 0, 1);
        run(f, &rp_det_baseline_iam);
    }
    struct rp_store_stmt *q = NULL;
    bool row = true;
    assert_int_equal(rp_store_stmt_prepare(st, "SELECT 1 FROM detect_baselines", &q, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(q, &row, &eb), RP_OK);
    assert_false(row);
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    fx_open(f, NULL, 0);
    rp_store_free(st);
}

/* ---- every type: one positive and one near miss, table-driven ---------------------------- */

/* One row per finding type: a builder that writes the learned habits and then the anomaly
 * (pos) or its near miss (the same events with the one thing that decides changed), the
 * resource the finding must be about and its count. */
struct bl_case;
typedef void (*bl_build_fn)(struct fx *f, const struct bl_case *c, bool pos);
struct bl_case {
    const struct rp_detector *d;
    const char *type;
    bl_build_fn build;
    const char *a, *b; /* builder arguments */
    int npos, nneg;    /* builder sizes: positive, near miss */
    const char *rid;   /* expected resource id */
    uint64_t count;
};

/* Alice's habits, then the never-used API c->b of c->a at a usual hour with her usual tool,
 * from a new network (pos) or from her usual one (a new API alone). */
static void b_tactic(struct fx *f, const struct bl_case *c, bool pos)
{
    alice_habits(f, 0, 7);
    struct ct x = alice(c->a, c->b, pos ? IP_NEW : IP_HOME, UA_MAC);
    ct_add(f, T0 + 8 * DAY + 10 * HOUR, &x);
}

/* Alice's habits, then a burst of never-seen List APIs from a new network. */
static void b_disc_burst(struct fx *f, const struct bl_case *c, bool pos)
{
    alice_habits(f, 0, 7);
    disc_burst(f, T0 + 8 * DAY + 10 * HOUR, pos ? c->npos : c->nneg, 5 * SEC);
}

/* Alice's S3 habits, then c->a calls on bucket c->b from home within an hour. */
static void b_s3_volume(struct fx *f, const struct bl_case *c, bool pos)
{
    s3_habits(f);
    s3_many(f, T0 + 8 * DAY + 14 * HOUR, c->a, c->b, IP_HOME, pos ? c->npos : c->nneg,
            strcmp(c->a, "GetObject") == 0 ? 1000000 : -1);
}

/* Alice's S3 habits, then listing buckets she never touched within an hour. */
static void b_s3_disc(struct fx *f, const struct bl_case *c, bool pos)
{
    static const char *const b[] = {"b-one", "b-two", "b-three", "b-four", "b-five"};
    s3_habits(f);
    for (int i = 0; i < (pos ? c->npos : c->nneg); i++) {
        struct ct x = s3call("ListObjects", b[i], IP_NEW, -1);
        ct_add(f, T0 + 8 * DAY + 15 * HOUR + i * MIN, &x);
    }
}

/* The instance's habits (HTTPS), then a connection to an outside host on a new port (pos) or
 * on the habitual one. */
static void b_flow_port(struct fx *f, const struct bl_case *c, bool pos)
{
    (void)c;
    flow_habits(f, false);
    conn(f, T0 + 8 * DAY + 13 * HOUR, CALLBK, 51000, pos ? 389 : 443, 6, 612, 1184, NULL);
}

/* The instance's habits, then 700 MiB connections to a host never contacted within an hour:
 * two pass the volume floor, one does not. */
static void b_flow_volume(struct fx *f, const struct bl_case *c, bool pos)
{
    flow_habits(f, false);
    for (int k = 0; k < (pos ? c->npos : c->nneg); k++)
        conn(f, T0 + 8 * DAY + 6 * HOUR + k * MIN, CALLBK, 52069 + k, 443, 6, 700LL << 20, 1 << 20,
             NULL);
}

/* Carol's habits, then the k8s_kinds row of c->type from a new network (pos) or from her
 * usual one, with her usual tool. */
static void b_k8s(struct fx *f, const struct bl_case *c, bool pos)
{
    size_t i = 0;
    while (i < RP_ARRAY_LEN(k8s_kinds) && strcmp(k8s_kinds[i].type, c->type) != 0) i++;
    assert_true(i < RP_ARRAY_LEN(k8s_kinds));
    k8s_habits(f);
    struct k8 k = {"carol",
                   k8s_kinds[i].verb,
                   k8s_kinds[i].res,
                   k8s_kinds[i].sub,
                   k8s_kinds[i].ns,
                   k8s_kinds[i].name,
                   pos ? IP_NEW : IP_HOME,
                   UA_KUBECTL,
                   k8s_kinds[i].sub ? 101 : 201};
    if (strcmp(k.verb, "get") == 0) k.code = 200;
    k8_add(f, T0 + 8 * DAY + 3 * HOUR, &k);
}

static const struct bl_case bl_cases[] = {
    {&rp_det_baseline_flow, "Behavior:EC2/NetworkPortUnusual", b_flow_port, NULL, NULL, 0, 0, INST,
     1},
    {&rp_det_baseline_flow, "Behavior:EC2/TrafficVolumeUnusual", b_flow_volume, NULL, NULL, 2, 1,
     INST, 2},
    {&rp_det_baseline_iam, "CredentialAccess:IAMUser/AnomalousBehavior", b_tactic,
     "secretsmanager.amazonaws.com", "GetSecretValue", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_iam, "DefenseEvasion:IAMUser/AnomalousBehavior", b_tactic,
     "ec2.amazonaws.com", "DeleteFlowLogs", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_iam, "Discovery:IAMUser/AnomalousBehavior", b_disc_burst, NULL, NULL, 20, 19,
     KEY_ALICE, 20},
    {&rp_det_baseline_iam, "Exfiltration:IAMUser/AnomalousBehavior", b_tactic, "ec2.amazonaws.com",
     "ModifySnapshotAttribute", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_iam, "Impact:IAMUser/AnomalousBehavior", b_tactic, "ec2.amazonaws.com",
     "TerminateInstances", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_iam, "InitialAccess:IAMUser/AnomalousBehavior", b_tactic, "sts.amazonaws.com",
     "GetFederationToken", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_iam, "Persistence:IAMUser/AnomalousBehavior", b_tactic, "iam.amazonaws.com",
     "CreateAccessKey", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_iam, "PrivilegeEscalation:IAMUser/AnomalousBehavior", b_tactic,
     "iam.amazonaws.com", "AttachUserPolicy", 0, 0, KEY_ALICE, 1},
    {&rp_det_baseline_k8s, "CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed", b_k8s,
     NULL, NULL, 0, 0, CLUSTER, 1},
    {&rp_det_baseline_k8s, "Execution:Kubernetes/AnomalousBehavior.ExecInPod", b_k8s, NULL, NULL, 0,
     0, CLUSTER, 1},
    {&rp_det_baseline_k8s, "PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleBindingCreated",
     b_k8s, NULL, NULL, 0, 0, CLUSTER, 1},
    {&rp_det_baseline_k8s, "PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleCreated", b_k8s,
     NULL, NULL, 0, 0, CLUSTER, 1},
    {&rp_det_baseline_k8s, "Discovery:Kubernetes/AnomalousBehavior.PermissionChecked", b_k8s, NULL,
     NULL, 0, 0, CLUSTER, 1},
    {&rp_det_baseline_s3, "Discovery:S3/AnomalousBehavior", b_s3_disc, NULL, NULL, 5, 4, "b-five",
     1},
    {&rp_det_baseline_s3, "Exfiltration:S3/AnomalousBehavior", b_s3_volume, "GetObject", "reports",
     150, 99, "reports", 150},
    {&rp_det_baseline_s3, "Impact:S3/AnomalousBehavior.Delete", b_s3_volume, "DeleteObject",
     "backups", 60, 49, "backups", 60},
    {&rp_det_baseline_s3, "Impact:S3/AnomalousBehavior.Permission", b_s3_volume, "PutObjectAcl",
     "reports", 25, 19, "reports", 25},
    {&rp_det_baseline_s3, "Impact:S3/AnomalousBehavior.Write", b_s3_volume, "PutObject", "reports",
     250, 199, "reports", 250},
};

/* A fresh context and no events. */
static void bl_reset(struct fx *f)
{
    rp_det_ctx_free(f->dc);
    f->dc = NULL;
    f->e.n = 0;
    fx_open(f, NULL, 0);
}

/* Every row: the positive events raise exactly one finding, of that type, on that resource,
 * with that count; the near miss raises nothing. */
static void test_every_type(void **state)
{
    struct fx *f = *state;
    for (size_t i = 0; i < RP_ARRAY_LEN(bl_cases); i++) {
        const struct bl_case *c = &bl_cases[i];
        print_message("%s\n", c->type);
        bl_reset(f);
        c->build(f, c, true);
        run(f, c->d);
        assert_int_equal(rp_det_ctx_nfindings(f->dc), 1);
        const struct rp_det_folded *ff = rp_det_ctx_find(f->dc, c->type, c->rid);
        assert_non_null(ff);
        assert_string_equal(ff->f.type, c->type);
        assert_string_equal(ff->f.resource_id, c->rid);
        assert_int_equal(ff->f.count, c->count);
        assert_true(ff->type == rp_det_type_find(c->type));

        bl_reset(f);
        c->build(f, c, false);
        run(f, c->d);
        assert_null(rp_det_ctx_find(f->dc, c->type, NULL));
        assert_int_equal(rp_det_ctx_nfindings(f->dc), 0);
    }
}

/* The table covers every type the baseline detectors declare, once. */
static void test_every_type_covered(void **state)
{
    (void)state;
    static const struct rp_detector *const ds[] = {&rp_det_baseline_flow, &rp_det_baseline_iam,
                                                   &rp_det_baseline_k8s, &rp_det_baseline_s3};
    size_t ntypes = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(ds); i++)
        for (size_t t = 0; t < ds[i]->ntypes; t++) {
            ntypes++;
            size_t rows = 0;
            for (size_t k = 0; k < RP_ARRAY_LEN(bl_cases); k++)
                if (strcmp(bl_cases[k].type, ds[i]->types[t].type) == 0) {
                    rows++;
                    assert_ptr_equal(bl_cases[k].d, ds[i]);
                }
            if (rows != 1) print_error("%s: %zu rows\n", ds[i]->types[t].type, rows);
            assert_int_equal(rows, 1);
        }
    assert_int_equal(ntypes, RP_ARRAY_LEN(bl_cases));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_ua_family),
        cmocka_unit_test(test_engine_network),
        cmocka_unit_test(test_engine_sets),
        cmocka_unit_test(test_engine_anomaly_json),
        cmocka_unit_test(test_iam_table),
        cmocka_unit_test_setup_teardown(test_iam_learning_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_tactics_positive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_tactics_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_rare_api, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_learning_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_dimensions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_role_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_discovery_burst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iam_discovery_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_exfiltration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_exfiltration_new_network, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_exfiltration_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_first_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_delete_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_write_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_permission, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_discovery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_discovery_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s3_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_port_unusual, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_port_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_volume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_volume_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_volume_after_aws_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_k8s_positive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_k8s_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_k8s_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine_bad_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine_no_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_type, setup, teardown),
        cmocka_unit_test(test_every_type_covered),
    };
    return cmocka_run_group_tests_name("detect_baseline", tests, NULL, NULL);
}
