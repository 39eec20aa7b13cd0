/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CloudTrail signature detectors (src/detect/detect_ct_*.c) and their helpers
 * (detect_ct_common.c: the bounded LRU map): each finding type with a positive case (exact
 * type, resource, count, first/last, remote address, evidence key, threat list, severity) and
 * negative ones: a failed call, a call an AWS service made, a trusted address, the benign
 * look-alikes of docs/simulate-scenarios.md (another office on the trusted list, a partner
 * account's bucket policy), near misses (a second sign-in outside the window or in the same
 * network, words inside other words, a policy that tightens). Events are built by hand, shaped
 * like what src/sim/sim_scn_cloudtrail.c and sim_scn_posture.c write, and run through
 * rp_det_ctx_run1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "detect/detect_ct_common.h"
#include "detect/detect_internal.h"
#include "store/store.h"
#include "core/rp_banned.h"

extern const struct rp_detector rp_det_ct_console, rp_det_ct_instance_cred, rp_det_ct_pentest,
    rp_det_ct_pwpolicy, rp_det_ct_root, rp_det_ct_s3_policy, rp_det_ct_threat_ip, rp_det_ct_trail;

#define T0    1772323200000LL /* 2026-03-01T00:00:00Z */
#define SEC   1000LL
#define MIN   (60 * SEC)
#define ACCT  "111122223333"
#define ACCT2 "444455556666"
#define MAXEV 64

#define KEY_ALICE "AKIAALICEEXAMPLE0001"
#define UID_ALICE                                                                                  \
    "{\"type\":\"IAMUser\",\"principalId\":\"AIDAALICEEXAMPLE0001\",\"arn\":\"arn:aws:iam::" ACCT  \
    ":user/alice\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_ALICE                        \
    "\",\"userName\":\"alice\"}"
#define ARN_ALICE "arn:aws:iam::" ACCT ":user/alice"
#define UID_ALICE_CONSOLE                                                                          \
    "{\"type\":\"IAMUser\",\"principalId\":\"AIDAALICEEXAMPLE0001\",\"arn\":\"arn:aws:iam::" ACCT  \
    ":user/alice\",\"accountId\":\"" ACCT "\",\"userName\":\"alice\"}"
#define KEY_ROOT "ASIAROOTEXAMPLE00001"
#define UID_ROOT_LOGIN                                                                             \
    "{\"type\":\"Root\",\"principalId\":\"" ACCT "\",\"arn\":\"arn:aws:iam::" ACCT                 \
    ":root\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"\"}"
#define UID_ROOT                                                                                   \
    "{\"type\":\"Root\",\"principalId\":\"" ACCT "\",\"arn\":\"arn:aws:iam::" ACCT                 \
    ":root\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_ROOT "\"}"
#define UID_ROOT_SVC                                                                               \
    "{\"type\":\"Root\",\"principalId\":\"" ACCT "\",\"arn\":\"arn:aws:iam::" ACCT                 \
    ":root\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_ROOT                               \
    "\",\"invokedBy\":\"cloudformation.amazonaws.com\"}"
#define INST     "i-0afb720f53153d7ae"
#define KEY_INST "ASIAH4LFD7SBGJFVRGXY"
#define UID_INST                                                                                   \
    "{\"type\":\"AssumedRole\",\"principalId\":\"AROAM6HLUDPIOEC3S6VNN:" INST                      \
    "\",\"arn\":\"arn:aws:sts::" ACCT ":assumed-role/prod-web-instance/" INST                      \
    "\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_INST                                    \
    "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":"                 \
    "\"AROAM6HLUDPIOEC3S6VNN\",\"arn\":\"arn:aws:iam::" ACCT                                       \
    ":role/app/prod-web-instance\",\"accountId\":\"" ACCT                                          \
    "\",\"userName\":\"prod-web-instance\"},"                                                      \
    "\"attributes\":{\"creationDate\":\"2026-03-01T00:00:00Z\",\"mfaAuthenticated\":\"false\"},"   \
    "\"ec2RoleDelivery\":\"2.0\"}}"
#define KEY_DEV "ASIADEVSESSION000001"
#define UID_DEV_SESSION                                                                            \
    "{\"type\":\"AssumedRole\",\"principalId\":\"AROADEVEXAMPLE000001:dev-laptop\",\"arn\":"       \
    "\"arn:aws:sts::" ACCT ":assumed-role/dev/dev-laptop\",\"accountId\":\"" ACCT                  \
    "\",\"accessKeyId\":\"" KEY_DEV "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":"          \
    "\"Role\",\"arn\":\"arn:aws:iam::" ACCT ":role/dev\",\"userName\":\"dev\"}}}"

#define UA_CLI                                                                                     \
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-26-generic exe/x86_64.ubuntu.22 prompt/off"
#define UA_KALI                                                                                    \
    "aws-cli/2.13.25 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off"
#define UA_PARROT "aws-cli/1.27.50 Python/3.11.2 Linux/6.5.0-13parrot1-amd64 botocore/1.29.50"
#define UA_PENTOO "Boto3/1.34.60 Python/3.12.1 Linux/6.6.13-pentoo Botocore/1.34.60"

/* Addresses: threat list, GuardDuty's malicious list, Tor, trusted, ordinary outside ones. */
#define IP_CUSTOM  "193.38.118.24"
#define IP_MAL     "45.28.53.106"
#define IP_TOR     "176.94.222.13"
#define IP_TOR2    "109.102.142.143"
#define IP_TRUSTED "108.47.31.243"
#define IP_BOTH    "176.110.63.18" /* Tor and trusted: trusted wins */
#define IP_HOME    "90.113.129.237"
#define IP_FAR     "114.251.56.178"
#define IP_OUT     "159.56.161.239"
#define IP_NAT     "52.193.5.74"

/* ---- fixture ----------------------------------------------------------------------------- */

struct fx {
    struct rp_det_ti *ti;
    struct rp_store *st;
    struct rp_det_ctx *dc;
    struct rp_det_event ev[MAXEV];
    size_t n;
};

/* One CloudTrail record, as the store's columns hold it. NULL = absent. */
struct spec {
    int64_t ms;
    const char *uid;  /* userIdentity JSON */
    const char *akid; /* rp_access_key_id */
    const char *user; /* rp_user_name */
    const char *source, *name;
    const char *ip; /* sourceIPAddress */
    const char *ua;
    const char *err, *errmsg;
    const char *req, *resp, *resources;
    const char *cat; /* rp_category, NULL = "Management" */
};

static void ti_add(struct rp_det_ti *ti, enum rp_det_ti_kind k, const char *list, const char *e)
{
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_add(ti, k, list, rp_str_from(e), &eb), RP_OK);
}

static struct fx *fx_new(struct rp_store *st)
{
    struct fx *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_new(&fx->ti), RP_OK);
    ti_add(fx->ti, RP_TI_THREAT, "malicious-ips", IP_CUSTOM);
    ti_add(fx->ti, RP_TI_MALICIOUS, "guardduty-malicious", "45.28.53.0/24");
    ti_add(fx->ti, RP_TI_TOR, "tor-exit-nodes", IP_TOR);
    ti_add(fx->ti, RP_TI_TOR, "tor-exit-nodes", IP_TOR2);
    ti_add(fx->ti, RP_TI_TOR, "tor-exit-nodes", IP_BOTH);
    ti_add(fx->ti, RP_TI_TRUSTED, "trusted-ips", IP_TRUSTED);
    ti_add(fx->ti, RP_TI_TRUSTED, "trusted-ips", IP_BOTH);
    struct rp_detect_opts o;
    rp_detect_opts_init(&o);
    fx->st = st;
    assert_int_equal(rp_det_ctx_new(&o, st, fx->ti, &fx->dc, &eb), RP_OK);
    return fx;
}

static void fx_free(struct fx *fx)
{
    rp_det_ctx_free(fx->dc);
    rp_det_ti_free(fx->ti);
    rp_store_free(fx->st);
    free(fx);
}

static bool is_addr(const char *s)
{
    return s && ((s[0] >= '0' && s[0] <= '9') || strchr(s, ':'));
}

static void add(struct fx *fx, const struct spec *sp)
{
    assert_true(fx->n < MAXEV);
    struct rp_det_event *ev = &fx->ev[fx->n++];
    rp_det_event_init(ev, RP_DET_SRC_CLOUDTRAIL, sp->ms);
    ev->seq = (int64_t)fx->n;
    rp_det_event_set(ev, RP_CT_EVENT_SOURCE, sp->source);
    rp_det_event_set(ev, RP_CT_EVENT_NAME, sp->name);
    rp_det_event_set(ev, RP_CT_AWS_REGION, "us-east-1");
    rp_det_event_set(ev, RP_CT_REGION, "us-east-1");
    rp_det_event_set(ev, RP_CT_RECIPIENT_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_CT_ACCOUNT, ACCT);
    rp_det_event_set(ev, RP_CT_SOURCE_IP_ADDRESS, sp->ip);
    if (is_addr(sp->ip)) rp_det_event_set(ev, RP_CT_SRC_IP, sp->ip);
    rp_det_event_set(ev, RP_CT_USER_AGENT, sp->ua ? sp->ua : UA_CLI);
    rp_det_event_set(ev, RP_CT_ERROR_CODE, sp->err);
    rp_det_event_set(ev, RP_CT_ERROR_MESSAGE, sp->errmsg);
    rp_det_event_set(ev, RP_CT_REQUEST_PARAMETERS, sp->req);
    rp_det_event_set(ev, RP_CT_RESPONSE_ELEMENTS, sp->resp);
    rp_det_event_set(ev, RP_CT_RESOURCES, sp->resources);
    rp_det_event_set(ev, RP_CT_USER_IDENTITY, sp->uid);
    rp_det_event_set(ev, RP_CT_CATEGORY, sp->cat ? sp->cat : "Management");
    rp_det_event_set(ev, RP_CT_ACCESS_KEY_ID, sp->akid);
    rp_det_event_set(ev, RP_CT_USER_NAME, sp->user);
    rp_det_event_set_int(ev, RP_CTI_MANAGEMENT, sp->cat && !strcmp(sp->cat, "Data") ? 0 : 1);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_event_derive(fx->dc, ev, &eb), RP_OK);
}

/* A call by alice's key from ip. */
static void alice(struct fx *fx, int64_t ms, const char *src, const char *name, const char *ip,
                  const char *ua)
{
    struct spec sp = {.ms = ms,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .user = "alice",
                      .source = src,
                      .name = name,
                      .ip = ip,
                      .ua = ua};
    add(fx, &sp);
}

/* An S3 data event of alice's key on bucket "data-bkt" from ip. */
static void alice_s3(struct fx *fx, int64_t ms, const char *name, const char *ip, const char *ua)
{
    struct spec sp = {.ms = ms,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .user = "alice",
                      .source = "s3.amazonaws.com",
                      .name = name,
                      .ip = ip,
                      .ua = ua,
                      .cat = "Data",
                      .req = "{\"bucketName\":\"data-bkt\",\"Host\":\"data-bkt.s3.us-east-1."
                             "amazonaws.com\",\"key\":\"exports/customers.csv.gz\"}",
                      .resources = "[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::data-bkt/"
                                   "exports/customers.csv.gz\"},{\"accountId\":\"" ACCT
                                   "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::data-"
                                   "bkt\"}]"};
    add(fx, &sp);
}

static void run(struct fx *fx, const struct rp_detector *d)
{
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_run1(fx->dc, d, fx->ev, fx->n, &eb), RP_OK);
}

static const struct rp_det_folded *get(struct fx *fx, const char *type, const char *rid)
{
    const struct rp_det_folded *ff = rp_det_ctx_find(fx->dc, type, rid);
    assert_non_null(ff);
    assert_string_equal(ff->f.type, type);
    return ff;
}

static double severity(const struct rp_det_folded *ff)
{
    return ff->f.severity > 0 ? ff->f.severity : ff->type->severity;
}

/* ---- the LRU map ------------------------------------------------------------------------- */

static void test_map_lru(void **state)
{
    (void)state;
    struct rp_det_ct_map *m = NULL;
    assert_int_equal(rp_det_ct_map_new(0, 8, &m), RP_EINVAL);
    assert_int_equal(rp_det_ct_map_new(3, sizeof(int64_t), &m), RP_OK);
    bool created = false;
    int64_t *a = rp_det_ct_map_put(m, RP_STR_LIT("a"), &created);
    assert_true(created);
    assert_int_equal(*a, 0);
    *a = 1;
    *(int64_t *)rp_det_ct_map_put(m, RP_STR_LIT("b"), NULL) = 2;
    *(int64_t *)rp_det_ct_map_put(m, RP_STR_LIT("c"), NULL) = 3;
    assert_non_null(rp_det_ct_map_get(m, RP_STR_LIT("a"))); /* a is now the most recent */
    *(int64_t *)rp_det_ct_map_put(m, RP_STR_LIT("d"), &created) = 4;
    assert_true(created);
    assert_int_equal(rp_det_ct_map_count(m), 3);
    assert_int_equal(rp_det_ct_map_evicted(m), 1);
    assert_null(rp_det_ct_map_get(m, RP_STR_LIT("b"))); /* the least recently used went */
    assert_int_equal(*(int64_t *)rp_det_ct_map_get(m, RP_STR_LIT("a")), 1);
    assert_int_equal(*(int64_t *)rp_det_ct_map_get(m, RP_STR_LIT("c")), 3);
    assert_int_equal(*(int64_t *)rp_det_ct_map_get(m, RP_STR_LIT("d")), 4);
    rp_det_ct_map_del(m, RP_STR_LIT("c"));
    assert_null(rp_det_ct_map_get(m, RP_STR_LIT("c")));
    assert_int_equal(rp_det_ct_map_count(m), 2);
    assert_int_equal(*(int64_t *)rp_det_ct_map_put(m, RP_STR_LIT("a"), &created), 1);
    assert_false(created);
    /* long keys: told apart past RP_DET_CT_KEY_MAX bytes by length and hash */
    char k1[200], k2[200];
    memset(k1, 'x', sizeof(k1));
    memset(k2, 'x', sizeof(k2));
    k2[199] = 'y';
    *(int64_t *)rp_det_ct_map_put(m, (struct rp_str){k1, 200}, NULL) = 11;
    *(int64_t *)rp_det_ct_map_put(m, (struct rp_str){k2, 200}, NULL) = 12;
    assert_int_equal(*(int64_t *)rp_det_ct_map_get(m, (struct rp_str){k1, 200}), 11);
    assert_int_equal(*(int64_t *)rp_det_ct_map_get(m, (struct rp_str){k2, 200}), 12);
    rp_det_ct_map_free(m);

    /* many keys through a small map: count stays at the cap, every key still findable is
     * one of the last ones put */
    assert_int_equal(rp_det_ct_map_new(100, sizeof(int64_t), &m), RP_OK);
    char k[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(k, sizeof(k), "key-%d", i);
        *(int64_t *)rp_det_ct_map_put(m, rp_str_from(k), NULL) = i;
    }
    assert_int_equal(rp_det_ct_map_count(m), 100);
    assert_int_equal(rp_det_ct_map_evicted(m), 900);
    for (int i = 0; i < 1000; i++) {
        snprintf(k, sizeof(k), "key-%d", i);
        int64_t *v = rp_det_ct_map_get(m, rp_str_from(k));
        if (i < 900)
            assert_null(v);
        else
            assert_int_equal(*v, i);
    }
    rp_det_ct_map_free(m);
}

/* ---- Policy:IAMUser/RootCredentialUsage --------------------------------------------------- */

static void test_root_positive(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    struct spec login = {.ms = T0,
                         .uid = UID_ROOT_LOGIN,
                         .user = "root",
                         .source = "signin.amazonaws.com",
                         .name = "ConsoleLogin",
                         .ip = IP_HOME,
                         .resp = "{\"ConsoleLogin\":\"Success\"}"};
    add(fx, &login);
    struct spec call = {.ms = T0 + 2 * MIN,
                        .uid = UID_ROOT,
                        .akid = KEY_ROOT,
                        .user = "root",
                        .source = "iam.amazonaws.com",
                        .name = "DeactivateMFADevice",
                        .ip = IP_HOME,
                        .ua = "AWS Internal"};
    add(fx, &call);
    call.ms = T0 + 3 * MIN;
    call.name = "ListUsers";
    call.err = "AccessDenied"; /* a denied call still used the credentials */
    add(fx, &call);
    run(fx, &rp_det_ct_root);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 2);
    const struct rp_det_folded *ff =
        get(fx, "Policy:IAMUser/RootCredentialUsage", "arn:aws:iam::" ACCT ":root");
    assert_int_equal(ff->f.count, 1);
    assert_int_equal(ff->f.first_ms, T0);
    assert_int_equal(ff->f.res, RP_DET_RES_ACCESS_KEY);
    assert_null(ff->f.access_key_id);
    assert_string_equal(ff->f.api, "ConsoleLogin");
    ff = get(fx, "Policy:IAMUser/RootCredentialUsage", KEY_ROOT);
    assert_int_equal(ff->f.count, 2);
    assert_int_equal(ff->f.first_ms, T0 + 2 * MIN);
    assert_int_equal(ff->f.last_ms, T0 + 3 * MIN);
    assert_string_equal(ff->f.access_key_id, KEY_ROOT);
    assert_string_equal(ff->f.principal_id, ACCT);
    assert_string_equal(ff->f.user_type, "Root");
    assert_string_equal(ff->f.user_name, "root");
    assert_string_equal(ff->f.account, ACCT);
    assert_string_equal(ff->f.region, "us-east-1");
    assert_int_equal(ff->f.action, RP_DET_ACT_AWS_API_CALL);
    assert_string_equal(ff->f.api, "DeactivateMFADevice");
    assert_string_equal(ff->f.service_name, "iam.amazonaws.com");
    assert_string_equal(ff->f.caller_type, "Remote IP");
    assert_string_equal(ff->f.remote_ip, IP_HOME);
    assert_string_equal(ff->f.user_agent, "AWS Internal");
    assert_null(ff->f.error_code);
    assert_true(severity(ff) == 2.0);
    fx_free(fx);
}

static void test_root_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* a failed root sign-in: the credentials did not work */
    struct spec login = {.ms = T0,
                         .uid = UID_ROOT_LOGIN,
                         .source = "signin.amazonaws.com",
                         .name = "ConsoleLogin",
                         .ip = IP_FAR,
                         .errmsg = "Failed authentication",
                         .resp = "{\"ConsoleLogin\":\"Failure\"}"};
    add(fx, &login);
    /* a call a service made on the root user's behalf */
    struct spec svc = {.ms = T0 + MIN,
                       .uid = UID_ROOT_SVC,
                       .akid = KEY_ROOT,
                       .source = "s3.amazonaws.com",
                       .name = "CreateBucket",
                       .ip = "cloudformation.amazonaws.com"};
    add(fx, &svc);
    /* the root user from a trusted address */
    struct spec trusted = {.ms = T0 + 2 * MIN,
                           .uid = UID_ROOT,
                           .akid = KEY_ROOT,
                           .source = "iam.amazonaws.com",
                           .name = "GetAccountSummary",
                           .ip = IP_TRUSTED};
    add(fx, &trusted);
    alice(fx, T0 + 3 * MIN, "iam.amazonaws.com", "ListUsers", IP_HOME, NULL);
    run(fx, &rp_det_ct_root);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- Stealth:IAMUser/CloudTrailLoggingDisabled -------------------------------------------- */

#define TRAIL_ARN "arn:aws:cloudtrail:us-east-1:" ACCT ":trail/prod-trail"

static void test_trail_positive(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    struct spec sp = {.ms = T0,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .user = "alice",
                      .source = "cloudtrail.amazonaws.com",
                      .name = "StopLogging",
                      .ip = "157.239.67.235",
                      .req = "{\"name\":\"" TRAIL_ARN "\"}"};
    add(fx, &sp);
    sp.ms = T0 + 5 * MIN;
    sp.name = "DeleteTrail";
    add(fx, &sp);
    sp.ms = T0 + 6 * MIN;
    sp.name = "UpdateTrail";
    sp.req = "{\"name\":\"audit-trail\",\"s3BucketName\":\"attacker-bucket\"}";
    add(fx, &sp);
    run(fx, &rp_det_ct_trail);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_finding(fx->dc, 0);
    assert_string_equal(ff->f.type, "Stealth:IAMUser/CloudTrailLoggingDisabled");
    assert_string_equal(ff->f.resource_id, KEY_ALICE);
    assert_string_equal(ff->f.evidence_key, "prod-trail");
    assert_int_equal(ff->f.count, 2); /* StopLogging and DeleteTrail of one trail */
    assert_int_equal(ff->f.first_ms, T0);
    assert_int_equal(ff->f.last_ms, T0 + 5 * MIN);
    assert_string_equal(ff->f.api, "StopLogging");
    assert_string_equal(ff->f.user_name, "alice");
    assert_string_equal(ff->f.user_type, "IAMUser");
    assert_string_equal(ff->f.principal_id, "AIDAALICEEXAMPLE0001");
    assert_string_equal(ff->f.remote_ip, "157.239.67.235");
    assert_true(severity(ff) == 2.0);
    ff = rp_det_ctx_finding(fx->dc, 1);
    assert_string_equal(ff->f.evidence_key, "audit-trail");
    assert_string_equal(ff->f.api, "UpdateTrail");
    fx_free(fx);
}

static void test_trail_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    struct spec sp = {.ms = T0,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .source = "cloudtrail.amazonaws.com",
                      .name = "StopLogging",
                      .ip = IP_OUT,
                      .err = "AccessDenied", /* failed: logging goes on */
                      .req = "{\"name\":\"" TRAIL_ARN "\"}"};
    add(fx, &sp);
    sp.err = NULL;
    sp.name = "StartLogging";
    add(fx, &sp);
    sp.name = "UpdateTrail"; /* turning validation on narrows nothing */
    sp.req = "{\"name\":\"prod-trail\",\"enableLogFileValidation\":true}";
    add(fx, &sp);
    sp.name = "DeleteTrail"; /* from a trusted address */
    sp.ip = IP_TRUSTED;
    add(fx, &sp);
    sp.name = "DescribeTrails";
    sp.ip = IP_OUT;
    add(fx, &sp);
    run(fx, &rp_det_ct_trail);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- Stealth:IAMUser/PasswordPolicyChange ------------------------------------------------- */

#define PW_SIM                                                                                     \
    "{\"minimumPasswordLength\":6,\"requireSymbols\":false,\"requireNumbers\":false,"              \
    "\"requireUppercaseCharacters\":false,\"requireLowercaseCharacters\":true,"                    \
    "\"allowUsersToChangePassword\":true,\"passwordReusePrevention\":0}"
#define PW_STRONG                                                                                  \
    "{\"minimumPasswordLength\":14,\"requireSymbols\":true,\"requireNumbers\":true,"               \
    "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"                     \
    "\"passwordReusePrevention\":24,\"maxPasswordAge\":90}"
#define PW_12                                                                                      \
    "{\"minimumPasswordLength\":12,\"requireSymbols\":true,\"requireNumbers\":true,"               \
    "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"                     \
    "\"passwordReusePrevention\":24,\"maxPasswordAge\":90}"
#define PW_MID                                                                                     \
    "{\"minimumPasswordLength\":10,\"requireSymbols\":false,\"requireNumbers\":true,"              \
    "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"                     \
    "\"passwordReusePrevention\":24,\"maxPasswordAge\":90}"

static void pw(struct fx *fx, int64_t ms, const char *name, const char *req, const char *err)
{
    struct spec sp = {.ms = ms,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .user = "alice",
                      .source = "iam.amazonaws.com",
                      .name = name,
                      .ip = "159.182.139.184",
                      .req = req,
                      .err = err};
    add(fx, &sp);
}

/* Severity of the only finding after running the password detector over fx. */
static double pw_severity(struct fx *fx)
{
    run(fx, &rp_det_ct_pwpolicy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    const struct rp_det_folded *ff = get(fx, "Stealth:IAMUser/PasswordPolicyChange", KEY_ALICE);
    assert_int_equal(ff->f.count, 1);
    assert_string_equal(ff->f.account, ACCT);
    return severity(ff);
}

static void test_pwpolicy_positive(void **state)
{
    (void)state;
    /* the simulator's weakening, judged alone: 6 characters (+2), three classes off (+3) */
    struct fx *fx = fx_new(NULL);
    pw(fx, T0, "GetAccountPasswordPolicy", NULL, NULL);
    pw(fx, T0 + MIN, "UpdateAccountPasswordPolicy", PW_SIM, NULL);
    assert_true(pw_severity(fx) == 8.0);
    assert_int_equal(rp_det_ctx_finding(fx->dc, 0)->f.first_ms, T0 + MIN);
    assert_string_equal(rp_det_ctx_finding(fx->dc, 0)->f.api, "UpdateAccountPasswordPolicy");
    fx_free(fx);
    /* against the previous policy: 14 -> 12 characters only: Low */
    fx = fx_new(NULL);
    pw(fx, T0, "UpdateAccountPasswordPolicy", PW_STRONG, NULL);
    pw(fx, T0 + MIN, "UpdateAccountPasswordPolicy", PW_12, NULL);
    assert_true(pw_severity(fx) == 2.0);
    fx_free(fx);
    /* 14 -> 10 (+2), symbols dropped (+1): Medium */
    fx = fx_new(NULL);
    pw(fx, T0, "UpdateAccountPasswordPolicy", PW_STRONG, NULL);
    pw(fx, T0 + MIN, "UpdateAccountPasswordPolicy", PW_MID, NULL);
    assert_true(pw_severity(fx) == 5.0);
    fx_free(fx);
    /* deleted, no earlier policy seen: Medium */
    fx = fx_new(NULL);
    pw(fx, T0, "DeleteAccountPasswordPolicy", NULL, NULL);
    assert_true(pw_severity(fx) == 5.0);
    fx_free(fx);
    /* deleted after a strong policy: length 14 -> 8 (+2), four classes (+4), reuse (+1),
     * expiry (+1): High */
    fx = fx_new(NULL);
    pw(fx, T0, "UpdateAccountPasswordPolicy", PW_STRONG, NULL);
    pw(fx, T0 + MIN, "DeleteAccountPasswordPolicy", NULL, NULL);
    assert_true(pw_severity(fx) == 8.0);
    fx_free(fx);
}

static void test_pwpolicy_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    pw(fx, T0, "UpdateAccountPasswordPolicy", PW_STRONG, NULL);              /* strong alone */
    pw(fx, T0 + MIN, "UpdateAccountPasswordPolicy", PW_SIM, "AccessDenied"); /* failed */
    pw(fx, T0 + 2 * MIN, "DeleteAccountPasswordPolicy", NULL, "NoSuchEntity");
    pw(fx, T0 + 3 * MIN, "GetAccountPasswordPolicy", NULL, NULL);
    run(fx, &rp_det_ct_pwpolicy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
    /* the same strong policy again, then a stricter one: nothing weakened */
    fx = fx_new(NULL);
    pw(fx, T0, "UpdateAccountPasswordPolicy", PW_STRONG, NULL);
    pw(fx, T0 + MIN, "UpdateAccountPasswordPolicy", PW_STRONG, NULL);
    pw(fx, T0 + 2 * MIN, "UpdateAccountPasswordPolicy",
       "{\"minimumPasswordLength\":16,\"requireSymbols\":true,\"requireNumbers\":true,"
       "\"requireUppercaseCharacters\":true,\"requireLowercaseCharacters\":true,"
       "\"passwordReusePrevention\":24,\"maxPasswordAge\":60}",
       NULL);
    run(fx, &rp_det_ct_pwpolicy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
    /* the simulator's weakening from a trusted address */
    fx = fx_new(NULL);
    struct spec sp = {.ms = T0,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .source = "iam.amazonaws.com",
                      .name = "UpdateAccountPasswordPolicy",
                      .ip = IP_TRUSTED,
                      .req = PW_SIM};
    add(fx, &sp);
    run(fx, &rp_det_ct_pwpolicy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B ------------------------------------ */

static void login(struct fx *fx, int64_t ms, const char *ip, bool ok)
{
    struct spec sp = {.ms = ms,
                      .uid = UID_ALICE_CONSOLE,
                      .user = "alice",
                      .source = "signin.amazonaws.com",
                      .name = "ConsoleLogin",
                      .ip = ip,
                      .ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
                      .errmsg = ok ? NULL : "Failed authentication",
                      .resp =
                          ok ? "{\"ConsoleLogin\":\"Success\"}" : "{\"ConsoleLogin\":\"Failure\"}"};
    add(fx, &sp);
}

static void test_console_positive(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* ct-console-login-far-away: the usual address, then 8-25 minutes later a far one */
    login(fx, T0, IP_HOME, true);
    alice(fx, T0 + MIN, "ec2.amazonaws.com", "DescribeInstances", IP_HOME, NULL);
    login(fx, T0 + 22 * MIN, IP_FAR, true);
    login(fx, T0 + 30 * MIN, "114.251.9.9", true); /* the same far network again */
    login(fx, T0 + 40 * MIN, "2001:db9:1234::5", true);
    run(fx, &rp_det_ct_console);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 2);
    const struct rp_det_folded *ff = rp_det_ctx_finding(fx->dc, 0);
    assert_string_equal(ff->f.type, "UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B");
    assert_string_equal(ff->f.resource_id, ARN_ALICE);
    assert_string_equal(ff->f.evidence_key, "114.251.0.0/16");
    assert_string_equal(ff->f.remote_ip, IP_FAR);
    assert_int_equal(ff->f.count, 2);
    assert_int_equal(ff->f.first_ms, T0);
    assert_int_equal(ff->f.last_ms, T0 + 30 * MIN);
    assert_string_equal(ff->f.api, "ConsoleLogin");
    assert_string_equal(ff->f.service_name, "signin.amazonaws.com");
    assert_string_equal(ff->f.user_name, "alice");
    assert_null(ff->f.access_key_id);
    assert_true(severity(ff) == 5.0);
    ff = rp_det_ctx_finding(fx->dc, 1);
    assert_string_equal(ff->f.evidence_key, "2001:db9::/32");
    assert_string_equal(ff->f.remote_ip, "2001:db9:1234::5");
    fx_free(fx);
}

static void test_console_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    login(fx, T0, IP_HOME, true);
    /* benign-console-login-trusted-office: another office, on the trusted list */
    login(fx, T0 + 35 * MIN, IP_TRUSTED, true);
    /* the same /16 as the usual address */
    login(fx, T0 + 40 * MIN, "90.113.200.1", true);
    /* far away, but the sign-in failed */
    login(fx, T0 + 45 * MIN, IP_FAR, false);
    /* a private address (through the company network) */
    login(fx, T0 + 50 * MIN, "10.1.2.3", true);
    /* far away, but more than an hour after every remembered sign-in */
    login(fx, T0 + 40 * MIN + 61 * MIN, IP_FAR, true);
    run(fx, &rp_det_ct_console);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
    /* a trusted address is never the other half either */
    fx = fx_new(NULL);
    login(fx, T0, IP_TRUSTED, true);
    login(fx, T0 + 10 * MIN, IP_FAR, true);
    run(fx, &rp_det_ct_console);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- InstanceCredentialExfiltration ------------------------------------------------------- */

static void inst(struct fx *fx, int64_t ms, const char *src, const char *name, const char *ip,
                 const char *cat)
{
    struct spec sp = {.ms = ms,
                      .uid = UID_INST,
                      .akid = KEY_INST,
                      .user = INST,
                      .source = src,
                      .name = name,
                      .ip = ip,
                      .cat = cat};
    add(fx, &sp);
}

/* A store whose inventory has the instance's interface (10.0.1.5, public 54.10.0.5), a NAT
 * gateway interface of the same account (IP_NAT) and an interface of another account
 * (54.20.0.9). */
static struct rp_store *inv_store(void)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(
        rp_store_exec(
            st,
            "INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, "
            "resourceType, resourceId, configuration, rp_time_ms, rp_account, rp_region) VALUES "
            "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', 'eni-0inst', "
            "'{\"networkInterfaceId\":\"eni-0inst\",\"privateIpAddress\":\"10.0.1.5\","
            "\"attachment\":{\"instanceId\":\"" INST "\"},\"association\":{\"publicIp\":"
            "\"54.10.0.5\"}}', 0, '" ACCT "', 'us-east-1'), "
            "('2026-03-01T00:00:00Z', '" ACCT "', 'AWS::EC2::NetworkInterface', 'eni-0nat', "
            "'{\"networkInterfaceId\":\"eni-0nat\",\"privateIpAddress\":\"10.0.0.9\","
            "\"association\":{\"publicIp\":\"" IP_NAT "\"}}', 0, '" ACCT "', 'us-east-1'), "
            "('2026-03-01T00:00:00Z', '" ACCT2 "', 'AWS::EC2::NetworkInterface', 'eni-0other', "
            "'{\"networkInterfaceId\":\"eni-0other\",\"privateIpAddress\":\"10.9.0.9\","
            "\"attachment\":{\"instanceId\":\"i-0999999999999999a\"},\"association\":"
            "{\"publicIp\":\"54.20.0.9\"}}', 0, '" ACCT2 "', 'us-east-1')",
            &eb),
        RP_OK);
    return st;
}

static void test_instance_cred_outside(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* ct-instance-credential-exfiltration: three calls from the instance's egress, then a
     * dozen (management and S3 data) from outside */
    inst(fx, T0, "ssm.amazonaws.com", "GetParameters", IP_NAT, NULL);
    inst(fx, T0 + 40 * SEC, "kms.amazonaws.com", "Decrypt", IP_NAT, NULL);
    inst(fx, T0 + 2 * MIN, "sts.amazonaws.com", "GetCallerIdentity", IP_NAT, NULL);
    inst(fx, T0 + 15 * MIN, "sts.amazonaws.com", "GetCallerIdentity", IP_OUT, NULL);
    inst(fx, T0 + 16 * MIN, "s3.amazonaws.com", "GetObject", IP_OUT, "Data");
    inst(fx, T0 + 17 * MIN, "ec2.amazonaws.com", "DescribeInstances", IP_OUT, NULL);
    inst(fx, T0 + 18 * MIN, "ssm.amazonaws.com", "GetParameters", IP_NAT, NULL); /* home */
    run(fx, &rp_det_ct_instance_cred);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    const struct rp_det_folded *ff =
        get(fx, "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", KEY_INST);
    assert_int_equal(ff->f.count, 3);
    assert_int_equal(ff->f.first_ms, T0 + 15 * MIN);
    assert_int_equal(ff->f.last_ms, T0 + 17 * MIN);
    assert_string_equal(ff->f.remote_ip, IP_OUT);
    assert_string_equal(ff->f.evidence_key, IP_OUT);
    assert_string_equal(ff->f.access_key_id, KEY_INST);
    assert_string_equal(ff->f.principal_id, "AROAM6HLUDPIOEC3S6VNN:" INST);
    assert_string_equal(ff->f.user_name, "prod-web-instance");
    assert_string_equal(ff->f.user_type, "AssumedRole");
    assert_string_equal(ff->f.api, "GetCallerIdentity");
    assert_null(ff->f.remote_account);
    assert_true(severity(ff) == 8.0);
    fx_free(fx);
}

static void test_instance_cred_inside(void **state)
{
    (void)state;
    struct fx *fx = fx_new(inv_store());
    inst(fx, T0, "ssm.amazonaws.com", "GetParameters", "54.10.0.5", NULL); /* its own */
    inst(fx, T0 + 5 * MIN, "s3.amazonaws.com", "ListBuckets", "54.20.0.9", NULL);
    inst(fx, T0 + 6 * MIN, "s3.amazonaws.com", "ListBuckets", "54.20.0.9", NULL);
    run(fx, &rp_det_ct_instance_cred);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    const struct rp_det_folded *ff =
        get(fx, "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS", KEY_INST);
    assert_int_equal(ff->f.count, 2);
    assert_string_equal(ff->f.remote_ip, "54.20.0.9");
    assert_string_equal(ff->f.remote_account, ACCT2);
    assert_true(severity(ff) == 5.0); /* an affiliated account of the inventory */
    fx_free(fx);
    /* a central egress in another account used from the start is the key's home; an outside
     * address later is OutsideAWS */
    fx = fx_new(inv_store());
    inst(fx, T0, "ssm.amazonaws.com", "GetParameters", "54.20.0.9", NULL);
    inst(fx, T0 + MIN, "ssm.amazonaws.com", "GetParameters", "54.20.0.9", NULL);
    inst(fx, T0 + 2 * MIN, "sts.amazonaws.com", "GetCallerIdentity", IP_OUT, NULL);
    run(fx, &rp_det_ct_instance_cred);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    ff = get(fx, "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", KEY_INST);
    assert_string_equal(ff->f.remote_ip, IP_OUT);
    assert_int_equal(ff->f.count, 1);
    fx_free(fx);
}

static void test_instance_cred_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(inv_store());
    /* first use from the NAT gateway (same account), then the instance's own public address,
     * then a private address (VPC endpoint), a trusted address, then a service call */
    inst(fx, T0, "ssm.amazonaws.com", "GetParameters", IP_NAT, NULL);
    inst(fx, T0 + MIN, "ssm.amazonaws.com", "GetParameters", "54.10.0.5", NULL);
    inst(fx, T0 + 2 * MIN, "s3.amazonaws.com", "GetObject", "10.0.1.5", "Data");
    inst(fx, T0 + 3 * MIN, "s3.amazonaws.com", "GetObject", "10.200.1.5", "Data");
    inst(fx, T0 + 4 * MIN, "sts.amazonaws.com", "GetCallerIdentity", IP_TRUSTED, NULL);
    struct spec svc = {.ms = T0 + 5 * MIN,
                       .uid =
                           "{\"type\":\"AssumedRole\",\"principalId\":\"AROAM6HLUDPIOEC3S6VNN:" INST
                           "\",\"accountId\":\"" ACCT "\",\"accessKeyId\":\"" KEY_INST
                           "\",\"invokedBy\":\"ec2.amazonaws.com\"}",
                       .akid = KEY_INST,
                       .source = "kms.amazonaws.com",
                       .name = "Decrypt",
                       .ip = IP_OUT};
    add(fx, &svc);
    /* a role session that is not an instance's, used from two addresses */
    struct spec dev = {.ms = T0 + 6 * MIN,
                       .uid = UID_DEV_SESSION,
                       .akid = KEY_DEV,
                       .source = "s3.amazonaws.com",
                       .name = "ListBuckets",
                       .ip = IP_HOME};
    add(fx, &dev);
    dev.ms = T0 + 7 * MIN;
    dev.ip = IP_OUT;
    add(fx, &dev);
    run(fx, &rp_det_ct_instance_cred);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- MaliciousIPCaller / TorIPCaller ------------------------------------------------------ */

/* ct-malicious-ip-caller / ct-tor-ip-caller: discovery calls and a key-pair import. */
static void listed_caller(struct fx *fx, int64_t t, const char *ip)
{
    alice(fx, t, "sts.amazonaws.com", "GetCallerIdentity", ip, NULL);
    alice(fx, t + MIN, "ec2.amazonaws.com", "DescribeInstances", ip, NULL);
    alice(fx, t + 2 * MIN, "s3.amazonaws.com", "ListBuckets", ip, NULL);
    alice(fx, t + 3 * MIN, "ec2.amazonaws.com", "ImportKeyPair", ip, NULL);
}

static void test_threat_ip_iam(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    listed_caller(fx, T0, IP_CUSTOM);
    listed_caller(fx, T0 + 10 * MIN, "45.28.53.7");
    listed_caller(fx, T0 + 20 * MIN, IP_TOR);
    alice(fx, T0 + 30 * MIN, "iam.amazonaws.com", "ListUsers", IP_TOR2, NULL);
    run(fx, &rp_det_ct_threat_ip);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 7);

    const struct rp_det_folded *ff = get(fx, "Recon:IAMUser/MaliciousIPCaller.Custom", KEY_ALICE);
    assert_int_equal(ff->f.count, 3);
    assert_int_equal(ff->f.first_ms, T0);
    assert_int_equal(ff->f.last_ms, T0 + 2 * MIN);
    assert_string_equal(ff->f.remote_ip, IP_CUSTOM);
    assert_string_equal(ff->f.evidence_key, IP_CUSTOM);
    assert_string_equal(ff->f.threat_list, "malicious-ips");
    assert_string_equal(ff->f.threat_name, IP_CUSTOM);
    assert_true(severity(ff) == 5.0);
    ff = get(fx, "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom", KEY_ALICE);
    assert_int_equal(ff->f.count, 1);
    assert_string_equal(ff->f.api, "ImportKeyPair");
    assert_string_equal(ff->f.service_name, "ec2.amazonaws.com");
    assert_string_equal(ff->f.threat_list, "malicious-ips");

    ff = get(fx, "Recon:IAMUser/MaliciousIPCaller", KEY_ALICE);
    assert_int_equal(ff->f.count, 3);
    assert_string_equal(ff->f.remote_ip, "45.28.53.7");
    assert_string_equal(ff->f.threat_list, "guardduty-malicious");
    assert_string_equal(ff->f.threat_name, "45.28.53.0/24");
    ff = get(fx, "UnauthorizedAccess:IAMUser/MaliciousIPCaller", KEY_ALICE);
    assert_int_equal(ff->f.count, 1);

    /* Tor: one finding per Tor address */
    size_t tor = 0;
    for (size_t i = 0; i < rp_det_ctx_nfindings(fx->dc); i++) {
        const struct rp_det_folded *x = rp_det_ctx_finding(fx->dc, i);
        if (strcmp(x->f.type, "Recon:IAMUser/TorIPCaller")) continue;
        tor++;
        if (!strcmp(x->f.remote_ip, IP_TOR)) {
            assert_int_equal(x->f.count, 3);
            assert_string_equal(x->f.evidence_key, IP_TOR);
        } else {
            assert_string_equal(x->f.remote_ip, IP_TOR2);
            assert_int_equal(x->f.count, 1);
            assert_string_equal(x->f.api, "ListUsers");
        }
        assert_string_equal(x->f.threat_list, "tor-exit-nodes");
    }
    assert_int_equal(tor, 2);
    ff = get(fx, "UnauthorizedAccess:IAMUser/TorIPCaller", KEY_ALICE);
    assert_int_equal(ff->f.count, 1);
    assert_string_equal(ff->f.remote_ip, IP_TOR);
    assert_null(rp_det_ctx_find(fx->dc, "Discovery:S3/TorIPCaller", NULL)); /* ListBuckets is
                                                                               management */
    fx_free(fx);
}

static void test_threat_ip_s3(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    alice_s3(fx, T0, "ListObjects", IP_CUSTOM, NULL);
    alice_s3(fx, T0 + MIN, "GetObject", IP_CUSTOM, NULL);
    alice_s3(fx, T0 + 2 * MIN, "ListObjects", IP_MAL, NULL);
    alice_s3(fx, T0 + 3 * MIN, "GetObject", IP_MAL, NULL);
    alice_s3(fx, T0 + 4 * MIN, "CopyObject", IP_MAL, NULL);
    alice_s3(fx, T0 + 5 * MIN, "PutObject", IP_MAL, NULL);
    alice_s3(fx, T0 + 6 * MIN, "DeleteObject", IP_MAL, NULL);
    alice_s3(fx, T0 + 7 * MIN, "HeadObject", IP_TOR, NULL);
    alice_s3(fx, T0 + 8 * MIN, "DeleteObject", IP_TOR, NULL);
    run(fx, &rp_det_ct_threat_ip);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 7);
    const struct rp_det_folded *ff = get(fx, "Discovery:S3/MaliciousIPCaller.Custom", "data-bkt");
    assert_int_equal(ff->f.res, RP_DET_RES_S3_BUCKET);
    assert_string_equal(ff->f.bucket, "data-bkt");
    assert_string_equal(ff->f.access_key_id, KEY_ALICE);
    assert_string_equal(ff->f.evidence_key, IP_CUSTOM " " KEY_ALICE);
    assert_string_equal(ff->f.api, "ListObjects");
    assert_true(severity(ff) == 8.0);
    ff = get(fx, "UnauthorizedAccess:S3/MaliciousIPCaller.Custom", "data-bkt");
    assert_string_equal(ff->f.api, "GetObject");
    assert_true(severity(ff) == 8.0);
    ff = get(fx, "Discovery:S3/MaliciousIPCaller", "data-bkt");
    assert_int_equal(ff->f.count, 1);
    ff = get(fx, "Exfiltration:S3/MaliciousIPCaller", "data-bkt");
    assert_int_equal(ff->f.count, 2); /* GetObject and CopyObject */
    assert_int_equal(ff->f.first_ms, T0 + 3 * MIN);
    assert_int_equal(ff->f.last_ms, T0 + 4 * MIN);
    assert_string_equal(ff->f.threat_list, "guardduty-malicious");
    ff = get(fx, "Impact:S3/MaliciousIPCaller", "data-bkt");
    assert_int_equal(ff->f.count, 2);
    ff = get(fx, "Discovery:S3/TorIPCaller", "data-bkt");
    assert_string_equal(ff->f.api, "HeadObject");
    assert_true(severity(ff) == 5.0);
    ff = get(fx, "UnauthorizedAccess:S3/TorIPCaller", "data-bkt");
    assert_string_equal(ff->f.api, "DeleteObject");
    assert_true(severity(ff) == 8.0);
    assert_null(rp_det_ctx_find(fx->dc, "Recon:IAMUser/TorIPCaller", NULL));
    fx_free(fx);
}

static void test_threat_ip_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* Tor and trusted at once: trusted wins, for every family and tactic */
    listed_caller(fx, T0, IP_BOTH);
    alice_s3(fx, T0 + 10 * MIN, "ListObjects", IP_BOTH, NULL);
    alice_s3(fx, T0 + 11 * MIN, "GetObject", IP_BOTH, NULL);
    /* unlisted addresses, service names */
    listed_caller(fx, T0 + 20 * MIN, IP_OUT);
    alice_s3(fx, T0 + 30 * MIN, "GetObject", "45.28.54.1", NULL); /* next to the /24 */
    alice(fx, T0 + 31 * MIN, "kms.amazonaws.com", "Decrypt", "AWS Internal", NULL);
    run(fx, &rp_det_ct_threat_ip);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
    /* ImportKeyPair alone from the threat list: no Recon, only UnauthorizedAccess */
    fx = fx_new(NULL);
    alice(fx, T0, "ec2.amazonaws.com", "ImportKeyPair", IP_CUSTOM, NULL);
    run(fx, &rp_det_ct_threat_ip);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    assert_null(rp_det_ctx_find(fx->dc, "Recon:IAMUser/MaliciousIPCaller.Custom", NULL));
    fx_free(fx);
}

/* ---- PenTest ------------------------------------------------------------------------------- */

static void test_pentest_positive(void **state)
{
    (void)state;
    static const struct {
        const char *ua, *iam, *s3;
    } cases[] = {{UA_KALI, "PenTest:IAMUser/KaliLinux", "PenTest:S3/KaliLinux"},
                 {UA_PARROT, "PenTest:IAMUser/ParrotLinux", "PenTest:S3/ParrotLinux"},
                 {UA_PENTOO, "PenTest:IAMUser/PentooLinux", "PenTest:S3/PentooLinux"}};
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        struct fx *fx = fx_new(NULL);
        alice(fx, T0, "sts.amazonaws.com", "GetCallerIdentity", "188.247.58.126", cases[i].ua);
        alice(fx, T0 + MIN, "iam.amazonaws.com", "ListUsers", "188.247.58.126", cases[i].ua);
        alice(fx, T0 + 2 * MIN, "s3.amazonaws.com", "ListBuckets", "188.247.58.126", cases[i].ua);
        alice_s3(fx, T0 + 3 * MIN, "ListObjects", "188.247.58.126", cases[i].ua);
        alice_s3(fx, T0 + 4 * MIN, "GetObject", "188.247.58.126", cases[i].ua);
        run(fx, &rp_det_ct_pentest);
        assert_int_equal(rp_det_ctx_nfindings(fx->dc), 2);
        const struct rp_det_folded *ff = get(fx, cases[i].iam, KEY_ALICE);
        assert_int_equal(ff->f.count, 3);
        assert_int_equal(ff->f.first_ms, T0);
        assert_int_equal(ff->f.last_ms, T0 + 2 * MIN);
        assert_string_equal(ff->f.user_agent, cases[i].ua);
        assert_string_equal(ff->f.remote_ip, "188.247.58.126");
        assert_true(severity(ff) == 5.0);
        ff = get(fx, cases[i].s3, "data-bkt");
        assert_int_equal(ff->f.count, 2);
        assert_int_equal(ff->f.res, RP_DET_RES_S3_BUCKET);
        assert_string_equal(ff->f.access_key_id, KEY_ALICE);
        assert_string_equal(ff->f.evidence_key, KEY_ALICE);
        fx_free(fx);
    }
}

static void test_pentest_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    alice(fx, T0, "sts.amazonaws.com", "GetCallerIdentity", IP_OUT, "alkaline-sdk/1.0 kalil/2");
    alice(fx, T0, "iam.amazonaws.com", "ListUsers", IP_OUT, "parrots/2.1 Linux/6.1-generic");
    alice(fx, T0, "iam.amazonaws.com", "ListRoles", IP_OUT, "pentoolbox/1.0");
    alice_s3(fx, T0, "GetObject", IP_OUT, "Mozilla/5.0 (X11; Linux x86_64; kalimba) Firefox/115");
    alice(fx, T0, "iam.amazonaws.com", "ListUsers", IP_TRUSTED, UA_KALI); /* trusted testers */
    alice_s3(fx, T0, "GetObject", IP_TRUSTED, UA_PARROT);
    alice(fx, T0, "iam.amazonaws.com", "ListUsers", IP_OUT, UA_CLI);
    run(fx, &rp_det_ct_pentest);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- S3 policy types ---------------------------------------------------------------------- */

#define BKT      "wonka-dev-shared-docs-mrwbtz"
#define BKT_HOST "\"bucketName\":\"" BKT "\",\"Host\":\"" BKT ".s3.us-east-1.amazonaws.com\""
#define BPA_OFF                                                                                    \
    "\"PublicAccessBlockConfiguration\":{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\","   \
    "\"RestrictPublicBuckets\":false,\"BlockPublicPolicy\":false,\"BlockPublicAcls\":false,"       \
    "\"IgnorePublicAcls\":false}"
#define BPA_ON                                                                                     \
    "\"PublicAccessBlockConfiguration\":{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\","   \
    "\"RestrictPublicBuckets\":true,\"BlockPublicPolicy\":true,\"BlockPublicAcls\":true,"          \
    "\"IgnorePublicAcls\":true}"
#define POLICY_PUBLIC                                                                              \
    "{" BKT_HOST ",\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"          \
    "\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","         \
    "\"Resource\":\"arn:aws:s3:::" BKT "/*\"}]},\"policy\":\"\"}"
#define ACL_PUBLIC "{" BKT_HOST ",\"acl\":\"\",\"x-amz-acl\":[\"public-read\"]}"

static void s3call(struct fx *fx, int64_t ms, const char *name, const char *req, const char *err)
{
    struct spec sp = {.ms = ms,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .user = "alice",
                      .source = "s3.amazonaws.com",
                      .name = name,
                      .ip = "188.185.31.74",
                      .req = req,
                      .err = err};
    add(fx, &sp);
}

static void test_s3_bpa(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* posture-s3-account-bpa-disabled */
    s3call(fx, T0, "GetAccountPublicAccessBlock",
           "{\"Host\":\"" ACCT ".s3-control.us-east-1.amazonaws.com\"}", NULL);
    s3call(fx, T0 + MIN, "PutAccountPublicAccessBlock",
           "{" BPA_OFF ",\"Host\":\"" ACCT ".s3-control.us-east-1.amazonaws.com\"}", NULL);
    /* ct-s3-bucket-made-public, first step */
    s3call(fx, T0 + 2 * MIN, "PutBucketPublicAccessBlock",
           "{" BKT_HOST "," BPA_OFF ",\"publicAccessBlock\":\"\"}", NULL);
    s3call(fx, T0 + 3 * MIN, "DeleteBucketPublicAccessBlock",
           "{\"bucketName\":\"other-bkt\",\"publicAccessBlock\":\"\"}", NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 3);
    const struct rp_det_folded *ff = get(fx, "Policy:S3/AccountBlockPublicAccessDisabled", NULL);
    assert_string_equal(ff->f.resource_id, KEY_ALICE);
    assert_int_equal(ff->f.res, RP_DET_RES_ACCESS_KEY);
    assert_string_equal(ff->f.evidence_key, ACCT);
    assert_int_equal(ff->f.first_ms, T0 + MIN);
    assert_string_equal(ff->f.api, "PutAccountPublicAccessBlock");
    assert_true(severity(ff) == 2.0);
    ff = get(fx, "Policy:S3/BucketBlockPublicAccessDisabled", BKT);
    assert_int_equal(ff->f.res, RP_DET_RES_S3_BUCKET);
    assert_string_equal(ff->f.bucket, BKT);
    assert_string_equal(ff->f.access_key_id, KEY_ALICE);
    assert_int_equal(ff->f.first_ms, T0 + 2 * MIN);
    assert_true(severity(ff) == 2.0);
    ff = get(fx, "Policy:S3/BucketBlockPublicAccessDisabled", "other-bkt");
    assert_string_equal(ff->f.api, "DeleteBucketPublicAccessBlock");
    fx_free(fx);
}

static void test_s3_bpa_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    s3call(fx, T0, "PutAccountPublicAccessBlock", "{" BPA_ON "}", NULL);
    s3call(fx, T0 + MIN, "PutBucketPublicAccessBlock", "{" BKT_HOST "," BPA_ON "}", NULL);
    s3call(fx, T0 + 2 * MIN, "PutBucketPublicAccessBlock", "{" BKT_HOST "," BPA_OFF "}",
           "AccessDenied");
    s3call(fx, T0 + 3 * MIN, "DeleteAccountPublicAccessBlock", "{}", "AccessDenied");
    s3call(fx, T0 + 4 * MIN, "GetBucketPublicAccessBlock", "{" BKT_HOST "}", NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

static void test_s3_anonymous(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* ct-s3-bucket-made-public */
    s3call(fx, T0, "GetBucketPolicy", "{" BKT_HOST ",\"policy\":\"\"}", NULL);
    s3call(fx, T0 + MIN, "PutBucketPolicy", POLICY_PUBLIC, NULL);
    /* posture-s3-public-read-acl */
    s3call(fx, T0 + 2 * MIN, "PutBucketAcl",
           "{\"bucketName\":\"artifacts-bkt\",\"Host\":\"artifacts-bkt.s3.us-east-1."
           "amazonaws.com\",\"acl\":\"\",\"x-amz-acl\":[\"public-read\"]}",
           NULL);
    /* a policy given as a string with {"AWS":["*"]} and only a transport condition */
    s3call(fx, T0 + 3 * MIN, "PutBucketPolicy",
           "{\"bucketName\":\"str-bkt\",\"bucketPolicy\":\"{\\\"Statement\\\":{\\\"Effect\\\":"
           "\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":[\\\"*\\\"]},\\\"Action\\\":\\\"s3:*\\\","
           "\\\"Condition\\\":{\\\"Bool\\\":{\\\"aws:SecureTransport\\\":\\\"true\\\"}}}}\"}",
           NULL);
    /* an explicit AllUsers grant in the request body */
    s3call(fx, T0 + 4 * MIN, "PutBucketAcl",
           "{\"bucketName\":\"grant-bkt\",\"AccessControlPolicy\":{\"AccessControlList\":{"
           "\"Grant\":{\"Grantee\":{\"xsi:type\":\"Group\",\"URI\":\"http://acs.amazonaws.com/"
           "groups/global/AllUsers\"},\"Permission\":\"READ\"}}}}",
           NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 4);
    const struct rp_det_folded *ff = get(fx, "Policy:S3/BucketAnonymousAccessGranted", BKT);
    assert_int_equal(ff->f.res, RP_DET_RES_S3_BUCKET);
    assert_string_equal(ff->f.bucket, BKT);
    assert_string_equal(ff->f.api, "PutBucketPolicy");
    assert_int_equal(ff->f.first_ms, T0 + MIN);
    assert_string_equal(ff->f.remote_ip, "188.185.31.74");
    assert_true(severity(ff) == 8.0);
    ff = get(fx, "Policy:S3/BucketAnonymousAccessGranted", "artifacts-bkt");
    assert_string_equal(ff->f.api, "PutBucketAcl");
    get(fx, "Policy:S3/BucketAnonymousAccessGranted", "str-bkt");
    get(fx, "Policy:S3/BucketAnonymousAccessGranted", "grant-bkt");
    fx_free(fx);
}

static void test_s3_anonymous_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* data-shared-docs-shared-externally: a partner account, and a Deny for everyone */
    s3call(fx, T0, "PutBucketPolicy",
           "{\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
           "\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
           "\"Resource\":[\"arn:aws:s3:::" BKT "\",\"arn:aws:s3:::" BKT "/*\"],\"Condition\":{"
           "\"Bool\":{\"aws:SecureTransport\":\"false\"}}},{\"Sid\":\"PartnerRead\",\"Effect\":"
           "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::691795642449:root\"},\"Action\":["
           "\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::" BKT
           "\",\"arn:aws:s3:::" BKT "/*\"]}]}," BKT_HOST ",\"policy\":\"\"}",
           NULL);
    /* everyone, but only through the company's VPC endpoint or organisation */
    s3call(fx, T0 + MIN, "PutBucketPolicy",
           "{" BKT_HOST ",\"bucketPolicy\":{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
           "\"*\",\"Action\":\"s3:GetObject\",\"Condition\":{\"StringEquals\":{"
           "\"aws:SourceVpce\":\"vpce-0abc\"}}},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
           "\"*\"},\"Action\":\"s3:GetObject\",\"Condition\":{\"StringEquals\":{"
           "\"aws:PrincipalOrgID\":\"o-abc123\"}}}]}}",
           NULL);
    /* a public policy that failed, and one from a trusted address */
    s3call(fx, T0 + 2 * MIN, "PutBucketPolicy", POLICY_PUBLIC, "AccessDenied");
    struct spec sp = {.ms = T0 + 3 * MIN,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .source = "s3.amazonaws.com",
                      .name = "PutBucketPolicy",
                      .ip = IP_TRUSTED,
                      .req = POLICY_PUBLIC};
    add(fx, &sp);
    /* the account ignores public ACLs (seen set earlier): a public-read ACL has no effect */
    s3call(fx, T0 + 4 * MIN, "PutAccountPublicAccessBlock", "{" BPA_ON "}", NULL);
    s3call(fx, T0 + 5 * MIN, "PutBucketAcl", ACL_PUBLIC, NULL);
    /* a private canned ACL */
    s3call(fx, T0 + 6 * MIN, "PutBucketAcl", "{" BKT_HOST ",\"x-amz-acl\":[\"private\"]}", NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
    /* AWS Config says the account ignores public ACLs (no CloudTrail change seen) */
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(
        rp_store_exec(st,
                      "INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, "
                      "resourceType, resourceId, configuration, rp_time_ms, rp_account, "
                      "rp_region) VALUES ('2026-03-01T00:00:00Z', '" ACCT
                      "', 'AWS::S3::AccountPublicAccessBlock', '" ACCT
                      "', '{\"blockPublicAcls\":true,\"ignorePublicAcls\":true,"
                      "\"blockPublicPolicy\":false,\"restrictPublicBuckets\":false}', 0, '" ACCT
                      "', 'global')",
                      &eb),
        RP_OK);
    fx = fx_new(st);
    s3call(fx, T0, "PutBucketAcl", ACL_PUBLIC, NULL);
    s3call(fx, T0 + MIN, "PutBucketPolicy", POLICY_PUBLIC, NULL); /* policies not blocked */
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    assert_string_equal(rp_det_ctx_finding(fx->dc, 0)->f.api, "PutBucketPolicy");
    fx_free(fx);
}

static void test_s3_public(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    s3call(fx, T0, "PutBucketAcl",
           "{" BKT_HOST ",\"acl\":\"\",\"x-amz-grant-read\":[\"uri=\\\"http://acs.amazonaws.com/"
           "groups/global/AuthenticatedUsers\\\"\"]}",
           NULL);
    s3call(fx, T0 + MIN, "CreateBucket",
           "{\"bucketName\":\"new-bkt\",\"x-amz-acl\":\"authenticated-read\"}", NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 2);
    const struct rp_det_folded *ff = get(fx, "Policy:S3/BucketPublicAccessGranted", BKT);
    assert_string_equal(ff->f.api, "PutBucketAcl");
    assert_string_equal(ff->f.bucket, BKT);
    assert_true(severity(ff) == 8.0);
    ff = get(fx, "Policy:S3/BucketPublicAccessGranted", "new-bkt");
    assert_string_equal(ff->f.api, "CreateBucket");
    assert_null(rp_det_ctx_find(fx->dc, "Policy:S3/BucketAnonymousAccessGranted", NULL));
    fx_free(fx);
}

static void test_s3_public_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    s3call(fx, T0, "PutBucketAcl",
           "{" BKT_HOST ",\"x-amz-grant-read\":[\"id=\\\"79a59df900b949e55d96a1e698fbacedfd6e09d98e"
           "acf8f8d5218e7cd47ef2be\\\"\"]}",
           NULL);
    s3call(fx, T0 + MIN, "PutBucketAcl", "{" BKT_HOST ",\"x-amz-acl\":[\"authenticated-read\"]}",
           "AccessDenied");
    s3call(fx, T0 + 2 * MIN, "CreateBucket", "{\"bucketName\":\"new-bkt\"}", NULL);
    s3call(fx, T0 + 3 * MIN, "GetBucketAcl", "{" BKT_HOST ",\"acl\":\"\"}", NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

static void test_s3_logging(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    /* ct-s3-access-logging-disabled */
    s3call(fx, T0, "GetBucketLogging", "{" BKT_HOST ",\"logging\":\"\"}", NULL);
    s3call(fx, T0 + MIN, "PutBucketLogging",
           "{" BKT_HOST ",\"BucketLoggingStatus\":{\"xmlns\":\"http://s3.amazonaws.com/doc/"
           "2006-03-01/\"},\"logging\":\"\"}",
           NULL);
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
    const struct rp_det_folded *ff = get(fx, "Stealth:S3/ServerAccessLoggingDisabled", BKT);
    assert_int_equal(ff->f.res, RP_DET_RES_S3_BUCKET);
    assert_string_equal(ff->f.bucket, BKT);
    assert_int_equal(ff->f.count, 1);
    assert_int_equal(ff->f.first_ms, T0 + MIN);
    assert_string_equal(ff->f.api, "PutBucketLogging");
    assert_string_equal(ff->f.user_name, "alice");
    assert_true(severity(ff) == 2.0);
    fx_free(fx);
}

static void test_s3_logging_negative(void **state)
{
    (void)state;
    struct fx *fx = fx_new(NULL);
    s3call(fx, T0, "PutBucketLogging",
           "{" BKT_HOST ",\"BucketLoggingStatus\":{\"xmlns\":\"http://s3.amazonaws.com/doc/"
           "2006-03-01/\",\"LoggingEnabled\":{\"TargetBucket\":\"logs-bkt\",\"TargetPrefix\":"
           "\"" BKT "/\"}},\"logging\":\"\"}",
           NULL);
    s3call(fx, T0 + MIN, "PutBucketLogging",
           "{" BKT_HOST ",\"BucketLoggingStatus\":{},\"logging\":\"\"}", "AccessDenied");
    run(fx, &rp_det_ct_s3_policy);
    assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
    fx_free(fx);
}

/* ---- every type: one positive and one near miss, table-driven ---------------------------- */

/* One row per finding type: a builder that writes the positive events (pos) or their near miss
 * (the same events with the one value that decides changed: c->pos vs c->neg), the resource
 * the finding must be about and its count. */
struct ct_case;
typedef void (*ct_build_fn)(struct fx *fx, const struct ct_case *c, const char *v);
struct ct_case {
    const struct rp_detector *d;
    const char *type;
    ct_build_fn build;
    const char *arg;       /* builder argument (an API name), or NULL */
    const char *pos, *neg; /* the deciding value: positive, near miss */
    const char *rid;       /* expected resource id */
    uint64_t count;
    bool inv; /* needs the inventory store */
};

/* A root call from address v. */
static void b_root(struct fx *fx, const struct ct_case *c, const char *v)
{
    (void)c;
    struct spec sp = {.ms = T0,
                      .uid = UID_ROOT,
                      .akid = KEY_ROOT,
                      .user = "root",
                      .source = "iam.amazonaws.com",
                      .name = "DeactivateMFADevice",
                      .ip = v};
    add(fx, &sp);
}

/* StopLogging with error code v. */
static void b_trail(struct fx *fx, const struct ct_case *c, const char *v)
{
    (void)c;
    struct spec sp = {.ms = T0,
                      .uid = UID_ALICE,
                      .akid = KEY_ALICE,
                      .user = "alice",
                      .source = "cloudtrail.amazonaws.com",
                      .name = "StopLogging",
                      .ip = IP_OUT,
                      .err = v,
                      .req = "{\"name\":\"" TRAIL_ARN "\"}"};
    add(fx, &sp);
}

/* UpdateAccountPasswordPolicy with request v. */
static void b_pw(struct fx *fx, const struct ct_case *c, const char *v)
{
    (void)c;
    pw(fx, T0, "UpdateAccountPasswordPolicy", v, NULL);
}

/* A sign-in from the usual address, then 20 minutes later from v. */
static void b_console(struct fx *fx, const struct ct_case *c, const char *v)
{
    (void)c;
    login(fx, T0, IP_HOME, true);
    login(fx, T0 + 20 * MIN, v, true);
}

/* The instance's credentials first used from the NAT gateway, then from v. */
static void b_inst_out(struct fx *fx, const struct ct_case *c, const char *v)
{
    (void)c;
    inst(fx, T0, "ssm.amazonaws.com", "GetParameters", IP_NAT, NULL);
    inst(fx, T0 + 15 * MIN, "sts.amazonaws.com", "GetCallerIdentity", v, NULL);
}

/* The instance's credentials first used from its own public address, then from v. */
static void b_inst_in(struct fx *fx, const struct ct_case *c, const char *v)
{
    (void)c;
    inst(fx, T0, "ssm.amazonaws.com", "GetParameters", "54.10.0.5", NULL);
    inst(fx, T0 + 5 * MIN, "s3.amazonaws.com", "ListBuckets", v, NULL);
}

static bool is_s3_type(const char *type)
{
    return strstr(type, ":S3/") != NULL;
}

/* ListUsers (IAMUser types) or a GetObject data event (S3 types) with user agent v. */
static void b_pentest(struct fx *fx, const struct ct_case *c, const char *v)
{
    if (is_s3_type(c->type))
        alice_s3(fx, T0, "GetObject", "188.247.58.126", v);
    else
        alice(fx, T0, "iam.amazonaws.com", "ListUsers", "188.247.58.126", v);
}

/* The S3 call c->arg with request v. */
static void b_s3pol(struct fx *fx, const struct ct_case *c, const char *v)
{
    s3call(fx, T0, c->arg, v, NULL);
}

/* The call c->arg (an S3 data event for the S3 types) from address v. */
static void b_threat(struct fx *fx, const struct ct_case *c, const char *v)
{
    if (is_s3_type(c->type))
        alice_s3(fx, T0, c->arg, v, NULL);
    else
        alice(fx, T0,
              strcmp(c->arg, "ImportKeyPair") == 0 ? "ec2.amazonaws.com" : "iam.amazonaws.com",
              c->arg, v, NULL);
}

#define IP_MAL_NEXT    "45.28.54.1"    /* next to GuardDuty's malicious /24 */
#define IP_CUSTOM_NEXT "193.38.118.25" /* next to the threat-list address */
#define PW_OK          PW_STRONG

static const struct ct_case ct_cases[] = {
    {&rp_det_ct_root, "Policy:IAMUser/RootCredentialUsage", b_root, NULL, IP_HOME, IP_TRUSTED,
     KEY_ROOT, 1, false},
    {&rp_det_ct_trail, "Stealth:IAMUser/CloudTrailLoggingDisabled", b_trail, NULL, NULL,
     "AccessDenied", KEY_ALICE, 1, false},
    {&rp_det_ct_pwpolicy, "Stealth:IAMUser/PasswordPolicyChange", b_pw, NULL, PW_SIM, PW_OK,
     KEY_ALICE, 1, false},
    {&rp_det_ct_console, "UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B", b_console, NULL,
     IP_FAR, "90.113.200.1", ARN_ALICE, 1, false},
    {&rp_det_ct_instance_cred,
     "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", b_inst_out, NULL,
     IP_OUT, "10.200.1.5", KEY_INST, 1, false},
    {&rp_det_ct_instance_cred,
     "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS", b_inst_in, NULL,
     "54.20.0.9", IP_NAT, KEY_INST, 1, true},
    {&rp_det_ct_pentest, "PenTest:IAMUser/KaliLinux", b_pentest, NULL, UA_KALI,
     "alkaline-sdk/1.0 kalil/2", KEY_ALICE, 1, false},
    {&rp_det_ct_pentest, "PenTest:IAMUser/ParrotLinux", b_pentest, NULL, UA_PARROT,
     "parrots/2.1 Linux/6.1-generic", KEY_ALICE, 1, false},
    {&rp_det_ct_pentest, "PenTest:IAMUser/PentooLinux", b_pentest, NULL, UA_PENTOO,
     "pentoolbox/1.0", KEY_ALICE, 1, false},
    {&rp_det_ct_pentest, "PenTest:S3/KaliLinux", b_pentest, NULL, UA_KALI,
     "Mozilla/5.0 (X11; Linux x86_64; kalimba) Firefox/115", "data-bkt", 1, false},
    {&rp_det_ct_pentest, "PenTest:S3/ParrotLinux", b_pentest, NULL, UA_PARROT,
     "parrots/2.1 Linux/6.1-generic", "data-bkt", 1, false},
    {&rp_det_ct_pentest, "PenTest:S3/PentooLinux", b_pentest, NULL, UA_PENTOO, "pentoolbox/1.0",
     "data-bkt", 1, false},
    {&rp_det_ct_s3_policy, "Policy:S3/AccountBlockPublicAccessDisabled", b_s3pol,
     "PutAccountPublicAccessBlock", "{" BPA_OFF "}", "{" BPA_ON "}", KEY_ALICE, 1, false},
    {&rp_det_ct_s3_policy, "Policy:S3/BucketAnonymousAccessGranted", b_s3pol, "PutBucketPolicy",
     POLICY_PUBLIC,
     "{" BKT_HOST ",\"bucketPolicy\":{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
     "\"Action\":\"s3:GetObject\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":"
     "\"vpce-0abc\"}}}]}}",
     BKT, 1, false},
    {&rp_det_ct_s3_policy, "Policy:S3/BucketBlockPublicAccessDisabled", b_s3pol,
     "PutBucketPublicAccessBlock", "{" BKT_HOST "," BPA_OFF "}", "{" BKT_HOST "," BPA_ON "}", BKT,
     1, false},
    {&rp_det_ct_s3_policy, "Policy:S3/BucketPublicAccessGranted", b_s3pol, "PutBucketAcl",
     "{" BKT_HOST ",\"x-amz-acl\":[\"authenticated-read\"]}",
     "{" BKT_HOST ",\"x-amz-acl\":[\"bucket-owner-read\"]}", BKT, 1, false},
    {&rp_det_ct_s3_policy, "Stealth:S3/ServerAccessLoggingDisabled", b_s3pol, "PutBucketLogging",
     "{" BKT_HOST ",\"BucketLoggingStatus\":{},\"logging\":\"\"}",
     "{" BKT_HOST ",\"BucketLoggingStatus\":{\"LoggingEnabled\":{\"TargetBucket\":\"logs-bkt\","
     "\"TargetPrefix\":\"" BKT "/\"}},\"logging\":\"\"}",
     BKT, 1, false},
    {&rp_det_ct_threat_ip, "Recon:IAMUser/MaliciousIPCaller", b_threat, "ListUsers", IP_MAL,
     IP_MAL_NEXT, KEY_ALICE, 1, false},
    {&rp_det_ct_threat_ip, "Recon:IAMUser/MaliciousIPCaller.Custom", b_threat, "ListUsers",
     IP_CUSTOM, IP_CUSTOM_NEXT, KEY_ALICE, 1, false},
    {&rp_det_ct_threat_ip, "Recon:IAMUser/TorIPCaller", b_threat, "ListUsers", IP_TOR, IP_BOTH,
     KEY_ALICE, 1, false},
    {&rp_det_ct_threat_ip, "UnauthorizedAccess:IAMUser/MaliciousIPCaller", b_threat,
     "ImportKeyPair", IP_MAL, IP_MAL_NEXT, KEY_ALICE, 1, false},
    {&rp_det_ct_threat_ip, "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom", b_threat,
     "ImportKeyPair", IP_CUSTOM, IP_CUSTOM_NEXT, KEY_ALICE, 1, false},
    {&rp_det_ct_threat_ip, "UnauthorizedAccess:IAMUser/TorIPCaller", b_threat, "ImportKeyPair",
     IP_TOR, IP_BOTH, KEY_ALICE, 1, false},
    {&rp_det_ct_threat_ip, "Discovery:S3/MaliciousIPCaller", b_threat, "ListObjects", IP_MAL,
     IP_MAL_NEXT, "data-bkt", 1, false},
    {&rp_det_ct_threat_ip, "Discovery:S3/MaliciousIPCaller.Custom", b_threat, "ListObjects",
     IP_CUSTOM, IP_CUSTOM_NEXT, "data-bkt", 1, false},
    {&rp_det_ct_threat_ip, "Discovery:S3/TorIPCaller", b_threat, "HeadObject", IP_TOR, IP_BOTH,
     "data-bkt", 1, false},
    {&rp_det_ct_threat_ip, "Exfiltration:S3/MaliciousIPCaller", b_threat, "GetObject", IP_MAL,
     IP_MAL_NEXT, "data-bkt", 1, false},
    {&rp_det_ct_threat_ip, "Impact:S3/MaliciousIPCaller", b_threat, "DeleteObject", IP_MAL,
     IP_MAL_NEXT, "data-bkt", 1, false},
    {&rp_det_ct_threat_ip, "UnauthorizedAccess:S3/MaliciousIPCaller.Custom", b_threat, "GetObject",
     IP_CUSTOM, IP_CUSTOM_NEXT, "data-bkt", 1, false},
    {&rp_det_ct_threat_ip, "UnauthorizedAccess:S3/TorIPCaller", b_threat, "PutObject", IP_TOR,
     IP_BOTH, "data-bkt", 1, false},
};

/* Every row: the positive events raise exactly one finding, of that type, on that resource,
 * with that count; the near miss raises nothing. */
static void test_every_type(void **state)
{
    (void)state;
    for (size_t i = 0; i < RP_ARRAY_LEN(ct_cases); i++) {
        const struct ct_case *c = &ct_cases[i];
        print_message("%s\n", c->type);
        struct fx *fx = fx_new(c->inv ? inv_store() : NULL);
        c->build(fx, c, c->pos);
        run(fx, c->d);
        assert_int_equal(rp_det_ctx_nfindings(fx->dc), 1);
        const struct rp_det_folded *ff = get(fx, c->type, c->rid);
        assert_string_equal(ff->f.resource_id, c->rid);
        assert_int_equal(ff->f.count, c->count);
        assert_true(ff->type == rp_det_type_find(c->type));
        fx_free(fx);

        fx = fx_new(c->inv ? inv_store() : NULL);
        c->build(fx, c, c->neg);
        run(fx, c->d);
        assert_null(rp_det_ctx_find(fx->dc, c->type, NULL));
        assert_int_equal(rp_det_ctx_nfindings(fx->dc), 0);
        fx_free(fx);
    }
}

/* The table covers every type the ct detectors declare, once. */
static void test_every_type_covered(void **state)
{
    (void)state;
    static const struct rp_detector *const ds[] = {
        &rp_det_ct_console, &rp_det_ct_instance_cred, &rp_det_ct_pentest,   &rp_det_ct_pwpolicy,
        &rp_det_ct_root,    &rp_det_ct_s3_policy,     &rp_det_ct_threat_ip, &rp_det_ct_trail};
    size_t ntypes = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(ds); i++)
        for (size_t t = 0; t < ds[i]->ntypes; t++) {
            ntypes++;
            size_t rows = 0;
            for (size_t k = 0; k < RP_ARRAY_LEN(ct_cases); k++)
                if (strcmp(ct_cases[k].type, ds[i]->types[t].type) == 0) {
                    rows++;
                    assert_ptr_equal(ct_cases[k].d, ds[i]);
                }
            if (rows != 1) print_error("%s: %zu rows\n", ds[i]->types[t].type, rows);
            assert_int_equal(rows, 1);
        }
    assert_int_equal(ntypes, RP_ARRAY_LEN(ct_cases));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_lru),
        cmocka_unit_test(test_root_positive),
        cmocka_unit_test(test_root_negative),
        cmocka_unit_test(test_trail_positive),
        cmocka_unit_test(test_trail_negative),
        cmocka_unit_test(test_pwpolicy_positive),
        cmocka_unit_test(test_pwpolicy_negative),
        cmocka_unit_test(test_console_positive),
        cmocka_unit_test(test_console_negative),
        cmocka_unit_test(test_instance_cred_outside),
        cmocka_unit_test(test_instance_cred_inside),
        cmocka_unit_test(test_instance_cred_negative),
        cmocka_unit_test(test_threat_ip_iam),
        cmocka_unit_test(test_threat_ip_s3),
        cmocka_unit_test(test_threat_ip_negative),
        cmocka_unit_test(test_pentest_positive),
        cmocka_unit_test(test_pentest_negative),
        cmocka_unit_test(test_s3_bpa),
        cmocka_unit_test(test_s3_bpa_negative),
        cmocka_unit_test(test_s3_anonymous),
        cmocka_unit_test(test_s3_anonymous_negative),
        cmocka_unit_test(test_s3_public),
        cmocka_unit_test(test_s3_public_negative),
        cmocka_unit_test(test_s3_logging),
        cmocka_unit_test(test_s3_logging_negative),
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_every_type_covered),
    };
    return cmocka_run_group_tests_name("detect_ct", tests, NULL, NULL);
}
