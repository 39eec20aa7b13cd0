/* SPDX-License-Identifier: Apache-2.0 */
/* The Kubernetes audit detectors (src/detect/detect_k8s_*.c): the API-category table, the
 * final-record and success rules, SuccessfulAnonymousAccess per tactic, the MaliciousIPCaller /
 * .Custom / TorIPCaller families, ExecInKubeSystemPod, PrivilegedContainer (first image only,
 * remembered across runs through the store), ContainerWithSensitiveMount, the two role-binding
 * policies and the two exposed dashboards. Each finding type has a positive case and a near
 * miss (a failed call, another namespace, a read-only mount, another service account, an
 * internal load balancer, a trusted address ..). Events are built by hand the way the store
 * gives them (audit fields plus rp_* columns) and derived with rp_det_event_derive. */
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
#include "detect/detect_k8s_common.h"
#include "store/store.h"

extern const struct rp_detector rp_det_k8s_anonymous, rp_det_k8s_ip_caller,
    rp_det_k8s_exec_kube_system, rp_det_k8s_privileged, rp_det_k8s_sensitive_mount,
    rp_det_k8s_binding, rp_det_k8s_dashboard;

#define CLUSTER "prod-eks"
#define ACCOUNT "111122223333"
#define T0      1767225600000LL /* 2026-01-01T00:00:00Z */

#define ALICE_USER                                                                                 \
    "{\"username\":\"alice\",\"uid\":\"aws-iam-authenticator:111122223333:AIDAALICE\","            \
    "\"groups\":[\"developers\",\"system:authenticated\"],\"extra\":{\"arn\":[\"arn:aws:iam::"     \
    "111122223333:user/alice\"]}}"
#define ANON_USER "{\"username\":\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]}"

/* ---- events ------------------------------------------------------------------------------ */

/* One audit event and the text its fields point to. */
struct kev {
    struct rp_det_event ev;
    char ref[512], uri[512], ips[128], ip[64];
    const char *body;
};

/* A completed request by alice (an IAM user mapped by the EKS authenticator) from 10.0.3.7.
 * resource NULL = a non-resource request (uri then says which). */
static void kev(struct kev *k, int64_t t, const char *verb, const char *resource, const char *sub,
                const char *ns, const char *name, int code)
{
    memset(k, 0, sizeof *k);
    struct rp_det_event *ev = &k->ev;
    rp_det_event_init(ev, RP_DET_SRC_K8S, t);
    rp_det_event_set(ev, RP_K8S_STAGE, "ResponseComplete");
    rp_det_event_set(ev, RP_K8S_VERB, verb);
    rp_det_event_set(ev, RP_K8S_USER, ALICE_USER);
    rp_det_event_set(ev, RP_K8S_USERNAME, "alice");
    rp_det_event_set(ev, RP_K8S_USER_AGENT, "kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9");
    rp_det_event_set(ev, RP_K8S_CLUSTER, CLUSTER);
    rp_det_event_set(ev, RP_K8S_ACCOUNT, ACCOUNT);
    rp_det_event_set(ev, RP_K8S_REGION, "us-east-1");
    rp_det_event_set_int(ev, RP_K8SI_CODE, code);
    snprintf(k->ip, sizeof k->ip, "10.0.3.7");
    snprintf(k->ips, sizeof k->ips, "[\"%s\"]", k->ip);
    rp_det_event_set(ev, RP_K8S_SRC_IP, k->ip);
    rp_det_event_set(ev, RP_K8S_SOURCE_IPS, k->ips);
    if (resource) {
        int n = snprintf(k->ref, sizeof k->ref, "{\"resource\":\"%s\"", resource);
        if (ns) n += snprintf(k->ref + n, sizeof k->ref - (size_t)n, ",\"namespace\":\"%s\"", ns);
        if (name) n += snprintf(k->ref + n, sizeof k->ref - (size_t)n, ",\"name\":\"%s\"", name);
        if (sub)
            n += snprintf(k->ref + n, sizeof k->ref - (size_t)n, ",\"subresource\":\"%s\"", sub);
        snprintf(k->ref + n, sizeof k->ref - (size_t)n, "}");
        rp_det_event_set(ev, RP_K8S_OBJECT_REF, k->ref);
        rp_det_event_set(ev, RP_K8S_RESOURCE, resource);
        rp_det_event_set(ev, RP_K8S_NAMESPACE, ns);
        rp_det_event_set(ev, RP_K8S_NAME, name);
        snprintf(k->uri, sizeof k->uri, "/api/v1%s%s/%s%s%s%s%s", ns ? "/namespaces/" : "",
                 ns ? ns : "", resource, name ? "/" : "", name ? name : "", sub ? "/" : "",
                 sub ? sub : "");
    } else {
        snprintf(k->uri, sizeof k->uri, "%s", name ? name : "/");
    }
    rp_det_event_set(ev, RP_K8S_REQUEST_URI, k->uri);
}

static void kev_anon(struct kev *k)
{
    rp_det_event_set(&k->ev, RP_K8S_USER, ANON_USER);
    rp_det_event_set(&k->ev, RP_K8S_USERNAME, "system:anonymous");
    rp_det_event_set(&k->ev, RP_K8S_USER_AGENT, "curl/7.88.1");
}

static void kev_ip(struct kev *k, const char *ip)
{
    snprintf(k->ip, sizeof k->ip, "%s", ip);
    snprintf(k->ips, sizeof k->ips, "[\"%s\"]", ip);
    rp_det_event_set(&k->ev, RP_K8S_SRC_IP, k->ip);
    rp_det_event_set(&k->ev, RP_K8S_SOURCE_IPS, k->ips);
}

static void kev_body(struct kev *k, const char *json)
{
    k->body = json;
    rp_det_event_set(&k->ev, RP_K8S_REQUEST_OBJECT, json);
}

/* Run d over k[0..n) (derived first) in a new context on st and ti; the caller frees it. */
static struct rp_det_ctx *run_on(const struct rp_detector *d, struct kev *k, size_t n,
                                 struct rp_store *st, struct rp_det_ti *ti)
{
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ctx_new(NULL, st, ti, &dc, &eb), RP_OK);
    struct rp_det_event *evs = calloc(n ? n : 1, sizeof *evs);
    assert_non_null(evs);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rp_det_event_derive(dc, &k[i].ev, &eb), RP_OK);
        evs[i] = k[i].ev;
    }
    rp_err e = rp_det_ctx_run1(dc, d, evs, n, &eb);
    if (e != RP_OK) fprintf(stderr, "run1: %s\n", eb.msg);
    assert_int_equal(e, RP_OK);
    free(evs);
    return dc;
}

static struct rp_det_ctx *run(const struct rp_detector *d, struct kev *k, size_t n)
{
    return run_on(d, k, n, NULL, NULL);
}

static const struct rp_det_folded *find(struct rp_det_ctx *dc, const char *type)
{
    const struct rp_det_folded *f = rp_det_ctx_find(dc, type, CLUSTER);
    if (!f) fprintf(stderr, "no finding %s\n", type);
    assert_non_null(f);
    return f;
}

/* The finding of type on the cluster: there, with that resource id and count. */
static const struct rp_det_folded *find_n(struct rp_det_ctx *dc, const char *type, int64_t count)
{
    const struct rp_det_folded *f = find(dc, type);
    assert_string_equal(f->f.type, type);
    assert_string_equal(f->f.resource_id, CLUSTER);
    assert_int_equal(f->f.count, count);
    return f;
}

/* No finding of type, on any resource. */
static void none(struct rp_det_ctx *dc, const char *type)
{
    const struct rp_det_folded *f = rp_det_ctx_find(dc, type, NULL);
    if (f) fprintf(stderr, "unexpected finding %s on %s\n", type, f->f.resource_id);
    assert_null(f);
}

/* No finding of any type detector d declares. */
static void none_of(struct rp_det_ctx *dc, const struct rp_detector *d)
{
    for (size_t t = 0; t < d->ntypes; t++) none(dc, d->types[t].type);
}

/* ---- the API-category table -------------------------------------------------------------- */

static void test_tactic_table(void **state)
{
    (void)state;
    static const struct {
        const char *verb, *resource, *sub, *uri;
        enum rp_det_k8s_tactic want;
    } cases[] = {
        {"list", "secrets", NULL, NULL, RP_K8S_TACTIC_CREDENTIAL_ACCESS},
        {"get", "secrets", NULL, NULL, RP_K8S_TACTIC_CREDENTIAL_ACCESS},
        {"create", "serviceaccounts", "token", NULL, RP_K8S_TACTIC_CREDENTIAL_ACCESS},
        {"create", "certificatesigningrequests", NULL, NULL, RP_K8S_TACTIC_CREDENTIAL_ACCESS},
        {"list", "pods", NULL, NULL, RP_K8S_TACTIC_DISCOVERY},
        {"watch", "namespaces", NULL, NULL, RP_K8S_TACTIC_DISCOVERY},
        {"list", "serviceaccounts", NULL, NULL, RP_K8S_TACTIC_DISCOVERY},
        {"create", "selfsubjectrulesreviews", NULL, NULL, RP_K8S_TACTIC_DISCOVERY},
        {"get", "pods", "log", NULL, RP_K8S_TACTIC_DISCOVERY},
        {"create", "deployments", NULL, NULL, RP_K8S_TACTIC_IMPACT},
        {"delete", "pods", NULL, NULL, RP_K8S_TACTIC_IMPACT},
        {"patch", "configmaps", NULL, NULL, RP_K8S_TACTIC_IMPACT},
        {"create", "pods", "exec", NULL, RP_K8S_TACTIC_IMPACT},
        {"get", "pods", "exec", NULL, RP_K8S_TACTIC_IMPACT},
        {"delete", "roles", NULL, NULL, RP_K8S_TACTIC_IMPACT},
        {"create", "clusterrolebindings", NULL, NULL, RP_K8S_TACTIC_PERSISTENCE},
        {"patch", "roles", NULL, NULL, RP_K8S_TACTIC_PERSISTENCE},
        {"create", "serviceaccounts", NULL, NULL, RP_K8S_TACTIC_PERSISTENCE},
        {"update", "mutatingwebhookconfigurations", NULL, NULL, RP_K8S_TACTIC_PERSISTENCE},
        {"delete", "events", NULL, NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
        {"deletecollection", "events", NULL, NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
        {"create", "auditsinks", NULL, NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
        {"delete", "validatingwebhookconfigurations", NULL, NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
        {"list", "events", NULL, NULL, RP_K8S_TACTIC_DISCOVERY},
        {"impersonate", "users", NULL, NULL, RP_K8S_TACTIC_NONE},
        {"get", NULL, NULL, "/version", RP_K8S_TACTIC_NONE},
        {"get", NULL, NULL, "/healthz/etcd", RP_K8S_TACTIC_NONE},
        {"get", NULL, NULL, "/readyz?verbose", RP_K8S_TACTIC_NONE},
        {"get", NULL, NULL, "/versions", RP_K8S_TACTIC_DISCOVERY},
        {"get", NULL, NULL, "/openapi/v2", RP_K8S_TACTIC_DISCOVERY},
        {"post", NULL, NULL, "/apis", RP_K8S_TACTIC_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kev k;
        kev(&k, T0, cases[i].verb, cases[i].resource, cases[i].sub, "shop",
            cases[i].uri ? cases[i].uri : "x", 200);
        rp_det_event_set(&k.ev, RP_K8S_SUBRESOURCE, cases[i].sub);
        enum rp_det_k8s_tactic got = rp_det_k8s_tactic_of(&k.ev);
        if (got != cases[i].want)
            fprintf(stderr, "case %zu: %s %s/%s %s\n", i, cases[i].verb,
                    cases[i].resource ? cases[i].resource : "-", cases[i].sub ? cases[i].sub : "-",
                    cases[i].uri ? cases[i].uri : "");
        assert_int_equal(got, cases[i].want);
    }
    assert_string_equal(rp_det_k8s_tactic_name(RP_K8S_TACTIC_CREDENTIAL_ACCESS),
                        "CredentialAccess");
    assert_null(rp_det_k8s_tactic_name(RP_K8S_TACTIC_NONE));
}

/* ---- SuccessfulAnonymousAccess ----------------------------------------------------------- */

/* What k8s-anonymous-access does: /version, namespaces, pods, secrets, configmaps, three
 * secrets read, service accounts; all allowed. */
static void test_anonymous_discovery_and_credentials(void **state)
{
    (void)state;
    struct kev k[8];
    kev(&k[0], T0, "get", NULL, NULL, NULL, "/version", 200);
    kev(&k[1], T0 + 5000, "list", "namespaces", NULL, NULL, NULL, 200);
    kev(&k[2], T0 + 9000, "list", "pods", NULL, NULL, NULL, 200);
    kev(&k[3], T0 + 20000, "list", "secrets", NULL, "payments", NULL, 200);
    kev(&k[4], T0 + 23000, "list", "configmaps", NULL, "payments", NULL, 200);
    kev(&k[5], T0 + 40000, "get", "secrets", NULL, "payments", "stripe-credentials", 200);
    kev(&k[6], T0 + 52000, "get", "secrets", NULL, "shop", "orders-db", 200);
    kev(&k[7], T0 + 70000, "list", "serviceaccounts", NULL, NULL, NULL, 200);
    for (size_t i = 0; i < 8; i++) {
        kev_anon(&k[i]);
        kev_ip(&k[i], "10.0.8.15");
    }
    struct rp_det_ctx *dc = run(&rp_det_k8s_anonymous, k, 8);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *d = find(dc, "Discovery:Kubernetes/SuccessfulAnonymousAccess");
    assert_int_equal(d->f.count, 4); /* namespaces, pods, configmaps, serviceaccounts */
    assert_int_equal(d->f.first_ms, T0 + 5000);
    assert_int_equal(d->f.last_ms, T0 + 70000);
    assert_true(d->type->severity == 5.0);
    assert_int_equal(d->f.res, RP_DET_RES_EKS_CLUSTER);
    assert_string_equal(d->f.cluster, CLUSTER);
    assert_string_equal(d->f.account, ACCOUNT);
    assert_string_equal(d->f.region, "us-east-1");
    assert_string_equal(d->f.k8s_user, "system:anonymous");
    assert_null(d->f.k8s_uid);
    assert_string_equal(d->f.k8s_groups, "[\"system:unauthenticated\"]");
    assert_int_equal(d->f.action, RP_DET_ACT_KUBERNETES_API_CALL);
    assert_string_equal(d->f.verb, "list");
    assert_string_equal(d->f.request_uri, "/api/v1/namespaces");
    assert_int_equal(d->f.status_code, 200);
    assert_string_equal(d->f.user_agent, "curl/7.88.1");
    assert_string_equal(d->f.remote_ip, "10.0.8.15");
    assert_string_equal(d->f.source_ips_json, "[\"10.0.8.15\"]");
    assert_string_equal(d->f.evidence_key, "10.0.8.15");
    assert_string_equal(d->f.resource_role, "TARGET");
    const struct rp_det_folded *c =
        find(dc, "CredentialAccess:Kubernetes/SuccessfulAnonymousAccess");
    assert_int_equal(c->f.count, 3);
    assert_int_equal(c->f.first_ms, T0 + 20000);
    assert_int_equal(c->f.last_ms, T0 + 52000);
    assert_true(c->type->severity == 8.0);
    assert_string_equal(c->f.request_uri, "/api/v1/namespaces/payments/secrets");
    rp_det_ctx_free(dc);
}

static void test_anonymous_other_tactics(void **state)
{
    (void)state;
    struct kev k[4];
    kev(&k[0], T0, "create", "deployments", NULL, "shop", NULL, 201);
    kev(&k[1], T0 + 1, "create", "clusterrolebindings", NULL, NULL, NULL, 201);
    kev(&k[2], T0 + 2, "deletecollection", "events", NULL, "shop", NULL, 200);
    /* a member of system:unauthenticated under another name counts too */
    kev(&k[3], T0 + 3, "get", "pods", "exec", "shop", "web-1", 101);
    rp_det_event_set(&k[3].ev, RP_K8S_USER,
                     "{\"username\":\"guest\",\"groups\":[\"system:unauthenticated\"]}");
    rp_det_event_set(&k[3].ev, RP_K8S_USERNAME, "guest");
    for (size_t i = 0; i < 3; i++) kev_anon(&k[i]);
    struct rp_det_ctx *dc = run(&rp_det_k8s_anonymous, k, 4);
    assert_int_equal(rp_det_ctx_nfindings(dc), 3);
    const struct rp_det_folded *f = find(dc, "Impact:Kubernetes/SuccessfulAnonymousAccess");
    assert_int_equal(f->f.count, 2);
    assert_int_equal(f->f.status_code, 201);
    assert_true(f->type->severity == 8.0);
    f = find(dc, "Persistence:Kubernetes/SuccessfulAnonymousAccess");
    assert_int_equal(f->f.count, 1);
    f = find(dc, "DefenseEvasion:Kubernetes/SuccessfulAnonymousAccess");
    assert_string_equal(f->f.verb, "deletecollection");
    rp_det_ctx_free(dc);
}

static void test_anonymous_near_misses(void **state)
{
    (void)state;
    struct kev k[6];
    kev(&k[0], T0, "list", "secrets", NULL, "shop", NULL, 403);     /* refused */
    kev(&k[1], T0 + 1, "get", NULL, NULL, NULL, "/healthz", 200);   /* public info */
    kev(&k[2], T0 + 2, "list", "secrets", NULL, "shop", NULL, 200); /* not yet answered */
    rp_det_event_set(&k[2].ev, RP_K8S_STAGE, "RequestReceived");
    kev(&k[3], T0 + 3, "list", "pods", NULL, "shop", NULL, 401);    /* refused */
    kev(&k[4], T0 + 4, "get", "secrets", NULL, "shop", "db", 200);  /* alice, authenticated */
    kev(&k[5], T0 + 5, "create", "pods", "exec", "shop", "w", 500); /* failed */
    for (size_t i = 0; i < 6; i++)
        if (i != 4) kev_anon(&k[i]);
    struct rp_det_ctx *dc = run(&rp_det_k8s_anonymous, k, 6);
    none_of(dc, &rp_det_k8s_anonymous);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

/* One request of each API category (the rows of the table in detect_k8s_common.c), indexed by
 * enum rp_det_k8s_tactic - 1; code is the success the API server answers it with. */
static const struct {
    const char *tactic, *verb, *resource, *sub, *ns, *name;
    int code;
    double anon_severity, ip_severity;
} tactic_reqs[] = {
    {"Discovery", "list", "pods", NULL, NULL, NULL, 200, 5.0, 5.0},
    {"CredentialAccess", "get", "secrets", NULL, "shop", "db", 200, 8.0, 8.0},
    {"Impact", "create", "deployments", NULL, "shop", NULL, 201, 8.0, 8.0},
    {"Persistence", "create", "clusterrolebindings", NULL, NULL, NULL, 201, 8.0, 5.0},
    {"DefenseEvasion", "delete", "events", NULL, "shop", "e1", 200, 8.0, 8.0},
};
_Static_assert(sizeof tactic_reqs / sizeof tactic_reqs[0] == RP_K8S_TACTIC__COUNT - 1,
               "one request per tactic");

/* The request of tactic row r at time t, answered with code. */
static void kev_tactic(struct kev *k, size_t r, int64_t t, int code)
{
    kev(k, t, tactic_reqs[r].verb, tactic_reqs[r].resource, tactic_reqs[r].sub, tactic_reqs[r].ns,
        tactic_reqs[r].name, code);
}

/* Every tactic of SuccessfulAnonymousAccess: two anonymous successful calls fold into one
 * finding of exactly that type; the same call by an authenticated user, or refused, raises
 * none. */
static void test_anonymous_each_tactic(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof tactic_reqs / sizeof tactic_reqs[0]; r++) {
        char type[128];
        snprintf(type, sizeof type, "%s:Kubernetes/SuccessfulAnonymousAccess",
                 tactic_reqs[r].tactic);
        struct kev k[2];
        kev_tactic(&k[0], r, T0, tactic_reqs[r].code);
        kev_tactic(&k[1], r, T0 + 1000, tactic_reqs[r].code);
        assert_int_equal(rp_det_k8s_tactic_of(&k[0].ev), (enum rp_det_k8s_tactic)(r + 1));
        for (size_t i = 0; i < 2; i++) {
            kev_anon(&k[i]);
            kev_ip(&k[i], "10.0.8.15");
        }
        struct rp_det_ctx *dc = run(&rp_det_k8s_anonymous, k, 2);
        assert_int_equal(rp_det_ctx_nfindings(dc), 1);
        const struct rp_det_folded *f = find_n(dc, type, 2);
        assert_int_equal(f->f.first_ms, T0);
        assert_int_equal(f->f.last_ms, T0 + 1000);
        assert_string_equal(f->f.verb, tactic_reqs[r].verb);
        assert_int_equal(f->f.status_code, tactic_reqs[r].code);
        assert_string_equal(f->f.k8s_user, "system:anonymous");
        assert_string_equal(f->f.evidence_key, "10.0.8.15");
        assert_true(f->type->severity == tactic_reqs[r].anon_severity);
        rp_det_ctx_free(dc);

        /* near miss: the same call by alice (authenticated) */
        kev_tactic(&k[0], r, T0, tactic_reqs[r].code);
        dc = run(&rp_det_k8s_anonymous, k, 1);
        none(dc, type);
        assert_int_equal(rp_det_ctx_nfindings(dc), 0);
        rp_det_ctx_free(dc);

        /* near miss: the same anonymous call, refused */
        kev_tactic(&k[0], r, T0, 403);
        kev_anon(&k[0]);
        dc = run(&rp_det_k8s_anonymous, k, 1);
        none(dc, type);
        assert_int_equal(rp_det_ctx_nfindings(dc), 0);
        rp_det_ctx_free(dc);
    }
}

/* The final record: ResponseComplete; a log keeping only ResponseStarted counts it; once a
 * ResponseComplete record was seen, ResponseStarted ones are the same requests again. */
static void test_stages(void **state)
{
    (void)state;
    struct kev k[3];
    kev(&k[0], T0, "list", "pods", NULL, NULL, NULL, 200);
    rp_det_event_set(&k[0].ev, RP_K8S_STAGE, "ResponseStarted");
    kev(&k[1], T0 + 1, "list", "pods", NULL, NULL, NULL, 200);
    kev(&k[2], T0 + 2, "list", "pods", NULL, NULL, NULL, 200);
    rp_det_event_set(&k[2].ev, RP_K8S_STAGE, "ResponseStarted");
    for (size_t i = 0; i < 3; i++) kev_anon(&k[i]);
    struct rp_det_ctx *dc = run(&rp_det_k8s_anonymous, k, 3);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    assert_int_equal(find(dc, "Discovery:Kubernetes/SuccessfulAnonymousAccess")->f.count, 2);
    rp_det_ctx_free(dc);
    /* no stage at all (a webhook backend without it), and the code only in responseStatus */
    kev(&k[0], T0, "list", "pods", NULL, NULL, NULL, 200);
    rp_det_event_set(&k[0].ev, RP_K8S_STAGE, NULL);
    k[0].ev.has = 0;
    rp_det_event_set(&k[0].ev, RP_K8S_RESPONSE_STATUS, "{\"metadata\":{},\"code\":200}");
    kev_anon(&k[0]);
    dc = run(&rp_det_k8s_anonymous, k, 1);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    rp_det_ctx_free(dc);
}

/* Account and cluster: from the caller's IAM identity when the event has no account, "unknown"
 * when nothing says. */
static void test_account_fallbacks(void **state)
{
    (void)state;
    struct kev k[2];
    kev(&k[0], T0, "list", "pods", NULL, NULL, NULL, 200);
    rp_det_event_set(&k[0].ev, RP_K8S_ACCOUNT, NULL);
    rp_det_event_set(&k[0].ev, RP_K8S_REGION, NULL);
    kev_ip(&k[0], "198.51.100.7");
    kev(&k[1], T0 + 1, "list", "pods", NULL, NULL, NULL, 200);
    rp_det_event_set(&k[1].ev, RP_K8S_ACCOUNT, NULL);
    rp_det_event_set(&k[1].ev, RP_K8S_CLUSTER, NULL);
    kev_anon(&k[1]);
    kev_ip(&k[1], "198.51.100.7");
    struct rp_det_ti *ti = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_THREAT, "my-list", RP_STR_LIT("198.51.100.7"), &eb),
                     RP_OK);
    struct rp_det_ctx *dc = run_on(&rp_det_k8s_ip_caller, k, 2, NULL, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.account, ACCOUNT); /* from the authenticator's uid */
    assert_string_equal(f->f.region, "unknown");
    assert_string_equal(f->f.k8s_uid, "aws-iam-authenticator:111122223333:AIDAALICE");
    assert_string_equal(f->f.k8s_groups, "[\"developers\",\"system:authenticated\"]");
    f = rp_det_ctx_finding(dc, 1);
    assert_string_equal(f->f.account, "unknown");
    assert_string_equal(f->f.resource_id, "unknown");
    assert_string_equal(f->f.cluster, "unknown");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

/* ---- MaliciousIPCaller, .Custom, TorIPCaller --------------------------------------------- */

static struct rp_det_ti *lists(void)
{
    struct rp_det_ti *ti = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_THREAT, "my-list", RP_STR_LIT("198.51.100.7"), &eb),
                     RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_TOR, "tor-exits", RP_STR_LIT("198.51.100.66"), &eb),
                     RP_OK);
    assert_int_equal(
        rp_det_ti_add(ti, RP_TI_MALICIOUS, "known-bad", RP_STR_LIT("198.51.100.99"), &eb), RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_C2, "c2-hosts", RP_STR_LIT("198.51.100.98"), &eb),
                     RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_THREAT, "my-list", RP_STR_LIT("203.0.113.0/24"), &eb),
                     RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_TRUSTED, "office", RP_STR_LIT("203.0.113.5"), &eb),
                     RP_OK);
    assert_int_equal(rp_det_ti_add(ti, RP_TI_MINING, "pools", RP_STR_LIT("198.51.100.50"), &eb),
                     RP_OK);
    return ti;
}

static void test_ip_caller_families(void **state)
{
    (void)state;
    struct kev k[7];
    kev(&k[0], T0, "get", "secrets", NULL, "shop", "db", 200);
    kev_ip(&k[0], "198.51.100.7");
    kev(&k[1], T0 + 1000, "list", "secrets", NULL, "shop", NULL, 200);
    kev_ip(&k[1], "198.51.100.7");
    kev(&k[2], T0 + 2000, "list", "pods", NULL, NULL, NULL, 200);
    kev_ip(&k[2], "198.51.100.66");
    kev(&k[3], T0 + 3000, "create", "rolebindings", NULL, "shop", NULL, 201);
    kev_ip(&k[3], "198.51.100.99");
    kev(&k[4], T0 + 4000, "delete", "events", NULL, "shop", "e1", 200);
    kev_ip(&k[4], "198.51.100.98");
    /* stolen credentials refused are still a call from a listed address */
    kev(&k[5], T0 + 5000, "patch", "deployments", NULL, "shop", "web", 403);
    kev_ip(&k[5], "203.0.113.77");
    kev(&k[6], T0 + 6000, "list", "pods", NULL, NULL, NULL, 200);
    kev_ip(&k[6], "203.0.113.77");
    struct rp_det_ti *ti = lists();
    struct rp_det_ctx *dc = run_on(&rp_det_k8s_ip_caller, k, 7, NULL, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 6);
    const struct rp_det_folded *f =
        find(dc, "CredentialAccess:Kubernetes/MaliciousIPCaller.Custom");
    assert_int_equal(f->f.count, 2);
    assert_int_equal(f->f.first_ms, T0);
    assert_int_equal(f->f.last_ms, T0 + 1000);
    assert_string_equal(f->f.threat_list, "my-list");
    assert_string_equal(f->f.threat_name, "198.51.100.7");
    assert_string_equal(f->f.remote_ip, "198.51.100.7");
    assert_string_equal(f->f.evidence_key, "198.51.100.7");
    assert_string_equal(f->f.k8s_user, "alice");
    assert_string_equal(f->f.verb, "get");
    assert_true(f->type->severity == 8.0);
    f = find(dc, "Discovery:Kubernetes/TorIPCaller");
    assert_string_equal(f->f.threat_list, "tor-exits");
    assert_true(f->type->severity == 5.0);
    f = find(dc, "Persistence:Kubernetes/MaliciousIPCaller");
    assert_string_equal(f->f.threat_list, "known-bad");
    assert_true(f->type->severity == 5.0);
    f = find(dc, "DefenseEvasion:Kubernetes/MaliciousIPCaller");
    assert_string_equal(f->f.threat_list, "c2-hosts");
    f = find(dc, "Impact:Kubernetes/MaliciousIPCaller.Custom");
    assert_int_equal(f->f.status_code, 403);
    assert_string_equal(f->f.threat_name, "203.0.113.0/24");
    f = find(dc, "Discovery:Kubernetes/MaliciousIPCaller.Custom");
    assert_string_equal(f->f.remote_ip, "203.0.113.77");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

static void test_ip_caller_near_misses(void **state)
{
    (void)state;
    struct kev k[6];
    kev(&k[0], T0, "get", "secrets", NULL, "shop", "db", 200);
    kev_ip(&k[0], "203.0.113.5"); /* on the threat list's /24, but trusted */
    kev(&k[1], T0 + 1, "list", "pods", NULL, NULL, NULL, 403);
    kev_ip(&k[1], "198.51.100.7"); /* an anonymous scanner refused */
    kev_anon(&k[1]);
    kev(&k[2], T0 + 2, "get", NULL, NULL, NULL, "/version", 200);
    kev_ip(&k[2], "198.51.100.7"); /* public info */
    kev(&k[3], T0 + 3, "list", "pods", NULL, NULL, NULL, 200);
    kev_ip(&k[3], "198.51.100.8"); /* on no list */
    kev(&k[4], T0 + 4, "list", "pods", NULL, NULL, NULL, 200);
    kev_ip(&k[4], "198.51.100.50"); /* a mining pool says nothing about a caller */
    kev(&k[5], T0 + 5, "list", "pods", NULL, NULL, NULL, 200);
    rp_det_event_set(&k[5].ev, RP_K8S_SRC_IP, NULL);
    struct rp_det_ti *ti = lists();
    struct rp_det_ctx *dc = run_on(&rp_det_k8s_ip_caller, k, 6, NULL, ti);
    none_of(dc, &rp_det_k8s_ip_caller);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

/* An address on a custom list and the Tor list raises both families. */
static void test_ip_caller_two_lists(void **state)
{
    (void)state;
    struct rp_det_ti *ti = lists();
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_add(ti, RP_TI_TOR, "tor-exits", RP_STR_LIT("198.51.100.7"), &eb),
                     RP_OK);
    struct kev k;
    kev(&k, T0, "create", "serviceaccounts", "token", "shop", "default", 201);
    kev_ip(&k, "198.51.100.7");
    struct rp_det_ctx *dc = run_on(&rp_det_k8s_ip_caller, &k, 1, NULL, ti);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    assert_string_equal(find(dc, "CredentialAccess:Kubernetes/TorIPCaller")->f.threat_list,
                        "tor-exits");
    assert_string_equal(
        find(dc, "CredentialAccess:Kubernetes/MaliciousIPCaller.Custom")->f.threat_list, "my-list");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

/* Every tactic x list kind: two calls from a listed address fold into one finding of exactly
 * <Tactic>:Kubernetes/<family> (and nothing else); the same call from an address that is also
 * on a trusted list, or from an address on no list, raises none. */
static void test_ip_caller_each_tactic_and_family(void **state)
{
    (void)state;
    static const struct {
        enum rp_det_ti_kind kind;
        const char *list, *family;
    } fams[] = {
        {RP_TI_MALICIOUS, "known-bad", "MaliciousIPCaller"},
        {RP_TI_C2, "c2-hosts", "MaliciousIPCaller"},
        {RP_TI_DROP_POINT, "drop-points", "MaliciousIPCaller"},
        {RP_TI_PHISHING, "phishing", "MaliciousIPCaller"},
        {RP_TI_DRIVE_BY, "drive-by", "MaliciousIPCaller"},
        {RP_TI_THREAT, "my-list", "MaliciousIPCaller.Custom"},
        {RP_TI_TOR, "tor-exits", "TorIPCaller"},
    };
    const char *listed = "192.0.2.10", *unlisted = "192.0.2.11";
    size_t seen = 0;
    for (size_t fi = 0; fi < sizeof fams / sizeof fams[0]; fi++) {
        for (size_t r = 0; r < sizeof tactic_reqs / sizeof tactic_reqs[0]; r++) {
            char type[128];
            snprintf(type, sizeof type, "%s:Kubernetes/%s", tactic_reqs[r].tactic, fams[fi].family);
            struct rp_det_ti *ti = NULL;
            struct rp_errbuf eb = {0};
            assert_int_equal(rp_det_ti_new(&ti), RP_OK);
            assert_int_equal(
                rp_det_ti_add(ti, fams[fi].kind, fams[fi].list, rp_str_from(listed), &eb), RP_OK);
            struct kev k[2];
            kev_tactic(&k[0], r, T0, tactic_reqs[r].code);
            kev_tactic(&k[1], r, T0 + 1000, tactic_reqs[r].code);
            kev_ip(&k[0], listed);
            kev_ip(&k[1], listed);
            struct rp_det_ctx *dc = run_on(&rp_det_k8s_ip_caller, k, 2, NULL, ti);
            assert_int_equal(rp_det_ctx_nfindings(dc), 1);
            const struct rp_det_folded *f = find_n(dc, type, 2);
            assert_int_equal(f->f.first_ms, T0);
            assert_int_equal(f->f.last_ms, T0 + 1000);
            assert_string_equal(f->f.remote_ip, listed);
            assert_string_equal(f->f.evidence_key, listed);
            assert_string_equal(f->f.threat_list, fams[fi].list);
            assert_string_equal(f->f.threat_name, listed);
            assert_string_equal(f->f.verb, tactic_reqs[r].verb);
            assert_string_equal(f->f.k8s_user, "alice");
            assert_true(f->type->severity == tactic_reqs[r].ip_severity);
            rp_det_ctx_free(dc);
            seen++;

            /* near miss: an address on no list */
            kev_tactic(&k[0], r, T0, tactic_reqs[r].code);
            kev_ip(&k[0], unlisted);
            dc = run_on(&rp_det_k8s_ip_caller, k, 1, NULL, ti);
            none(dc, type);
            assert_int_equal(rp_det_ctx_nfindings(dc), 0);
            rp_det_ctx_free(dc);

            /* near miss: the listed address is also trusted (trusted wins) */
            assert_int_equal(rp_det_ti_add(ti, RP_TI_TRUSTED, "office", rp_str_from(listed), &eb),
                             RP_OK);
            kev_tactic(&k[0], r, T0, tactic_reqs[r].code);
            kev_ip(&k[0], listed);
            dc = run_on(&rp_det_k8s_ip_caller, k, 1, NULL, ti);
            none(dc, type);
            assert_int_equal(rp_det_ctx_nfindings(dc), 0);
            rp_det_ctx_free(dc);
            rp_det_ti_free(ti);
        }
    }
    assert_int_equal(seen, 7 * 5);
}

/* ---- ExecInKubeSystemPod ----------------------------------------------------------------- */

static void test_exec_kube_system(void **state)
{
    (void)state;
    struct kev k[4];
    for (int i = 0; i < 3; i++)
        kev(&k[i], T0 + i * 30000, "create", "pods", "exec", "kube-system", "aws-node-7x2kq", 101);
    kev(&k[3], T0 + 100000, "get", "pods", "exec", "kube-system", "coredns-5d8f-abcde", 101);
    struct rp_det_ctx *dc = run(&rp_det_k8s_exec_kube_system, k, 4);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.type, "Execution:Kubernetes/ExecInKubeSystemPod");
    assert_ptr_equal(find_n(dc, "Execution:Kubernetes/ExecInKubeSystemPod", 3), f);
    assert_string_equal(f->f.resource_id, CLUSTER);
    assert_int_equal(f->f.count, 3);
    assert_int_equal(f->f.first_ms, T0);
    assert_int_equal(f->f.last_ms, T0 + 60000);
    assert_string_equal(f->f.workload_name, "aws-node-7x2kq");
    assert_string_equal(f->f.workload_ns, "kube-system");
    assert_string_equal(f->f.workload_type, "pods");
    assert_string_equal(f->f.evidence_key, "aws-node-7x2kq");
    assert_int_equal(f->f.status_code, 101);
    assert_string_equal(f->f.request_uri,
                        "/api/v1/namespaces/kube-system/pods/aws-node-7x2kq/exec");
    assert_true(f->type->severity == 5.0);
    assert_string_equal(rp_det_ctx_finding(dc, 1)->f.workload_name, "coredns-5d8f-abcde");
    rp_det_ctx_free(dc);
}

static void test_exec_kube_system_near_misses(void **state)
{
    (void)state;
    struct kev k[5];
    /* benign-kubectl-exec-app-pod: a developer's exec into an application pod */
    kev(&k[0], T0, "create", "pods", "exec", "shop", "orders-api-6f7c9-x2x7k", 101);
    kev(&k[1], T0 + 1, "create", "pods", "exec", "kube-system", "aws-node-7x2kq", 403);
    kev(&k[2], T0 + 2, "create", "pods", "attach", "kube-system", "aws-node-7x2kq", 101);
    kev(&k[3], T0 + 3, "get", "pods", NULL, "kube-system", "aws-node-7x2kq", 200);
    kev(&k[4], T0 + 4, "get", "pods", "log", "kube-system", "aws-node-7x2kq", 200);
    struct rp_det_ctx *dc = run(&rp_det_k8s_exec_kube_system, k, 5);
    none_of(dc, &rp_det_k8s_exec_kube_system);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

/* ---- PrivilegedContainer ----------------------------------------------------------------- */

#define PRIV_POD(name, image)                                                                      \
    "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" name "\","                 \
    "\"namespace\":\"shop\"},\"spec\":{\"hostPID\":true,\"containers\":[{\"name\":\"debug\","      \
    "\"image\":\"" image "\",\"securityContext\":{\"privileged\":true}}]}}"

static void test_privileged_first_image(void **state)
{
    (void)state;
    struct kev k[5];
    kev(&k[0], T0, "create", "pods", NULL, "shop", "debug-a", 201);
    kev_body(&k[0], PRIV_POD("debug-a", "docker.io/library/alpine:3.19"));
    /* the same repository under another tag and spelling: seen already */
    kev(&k[1], T0 + 1000, "create", "pods", NULL, "shop", "debug-b", 201);
    kev_body(&k[1], PRIV_POD("debug-b", "alpine:3.20"));
    /* a DaemonSet: the privileged container is the second one */
    kev(&k[2], T0 + 2000, "create", "daemonsets", NULL, "kube-system", NULL, 201);
    kev_body(&k[2], "{\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"node-agent\","
                    "\"namespace\":\"kube-system\"},\"spec\":{\"template\":{\"spec\":{"
                    "\"containers\":[{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\","
                    "\"image\":\"ghcr.io/acme/agent@sha256:0123abcd\",\"securityContext\":{"
                    "\"privileged\":true}}],\"volumes\":[{\"name\":\"proc\",\"hostPath\":{"
                    "\"path\":\"/proc\"}}]}}}}");
    /* its pods, made by the controller from the template: same image */
    kev(&k[3], T0 + 3000, "create", "pods", NULL, "kube-system", NULL, 201);
    kev_body(&k[3], "{\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"node-agent-\","
                    "\"ownerReferences\":[{\"kind\":\"DaemonSet\",\"name\":\"node-agent\","
                    "\"controller\":true}]},\"spec\":{\"containers\":[{\"name\":\"b\","
                    "\"image\":\"ghcr.io/acme/agent:1.2\",\"securityContext\":{\"privileged\":"
                    "true}}]}}");
    /* a cron job's pod template: an init container */
    kev(&k[4], T0 + 4000, "create", "cronjobs", NULL, "ops", "cleanup", 201);
    kev_body(&k[4], "{\"kind\":\"CronJob\",\"metadata\":{\"name\":\"cleanup\"},\"spec\":{"
                    "\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"initContainers\":[{"
                    "\"name\":\"i\",\"image\":\"registry.local:5000/tools/cleaner:2\","
                    "\"securityContext\":{\"privileged\":true}}],\"containers\":[{\"name\":\"c\","
                    "\"image\":\"busybox\"}]}}}}}}");
    struct rp_det_ctx *dc = run(&rp_det_k8s_privileged, k, 5);
    assert_int_equal(rp_det_ctx_nfindings(dc), 3);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.type, "PrivilegeEscalation:Kubernetes/PrivilegedContainer");
    assert_ptr_equal(find_n(dc, "PrivilegeEscalation:Kubernetes/PrivilegedContainer", 1), f);
    assert_int_equal(f->f.count, 1);
    assert_int_equal(f->f.first_ms, T0);
    assert_string_equal(f->f.evidence_key, "docker.io/library/alpine");
    assert_string_equal(f->f.workload_name, "debug-a");
    assert_string_equal(f->f.workload_ns, "shop");
    assert_string_equal(f->f.workload_type, "pods");
    assert_string_equal(f->f.workload_image, "docker.io/library/alpine:3.19");
    assert_true(f->f.workload_privileged);
    assert_null(f->f.workload_volumes_json);
    assert_string_equal(f->f.verb, "create");
    assert_int_equal(f->f.status_code, 201);
    assert_true(f->type->severity == 5.0);
    f = rp_det_ctx_finding(dc, 1);
    assert_string_equal(f->f.evidence_key, "ghcr.io/acme/agent");
    assert_string_equal(f->f.workload_name, "node-agent");
    assert_string_equal(f->f.workload_type, "daemonsets");
    assert_string_equal(f->f.workload_image, "ghcr.io/acme/agent@sha256:0123abcd");
    assert_string_equal(f->f.workload_volumes_json,
                        "[{\"Name\":\"proc\",\"HostPath\":{\"Path\":\"/proc\"}}]");
    f = rp_det_ctx_finding(dc, 2);
    assert_string_equal(f->f.evidence_key, "registry.local:5000/tools/cleaner");
    assert_string_equal(f->f.workload_name, "cleanup");
    assert_string_equal(f->f.workload_ns, "ops");
    rp_det_ctx_free(dc);
}

static void test_privileged_near_misses(void **state)
{
    (void)state;
    struct kev k[5];
    kev(&k[0], T0, "create", "pods", NULL, "shop", "web", 201);
    kev_body(&k[0], "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"w\",\"image\":"
                    "\"nginx\",\"securityContext\":{\"privileged\":false,"
                    "\"allowPrivilegeEscalation\":false}}]}}");
    kev(&k[1], T0 + 1, "create", "pods", NULL, "shop", "debug", 403); /* refused */
    kev_body(&k[1], PRIV_POD("debug", "alpine:3.19"));
    kev(&k[2], T0 + 2, "patch", "pods", "status", "shop", "debug", 200); /* not the spec */
    kev_body(&k[2], PRIV_POD("debug", "alpine:3.19"));
    kev(&k[3], T0 + 3, "create", "configmaps", NULL, "shop", "cfg", 201); /* no workload */
    kev_body(&k[3], PRIV_POD("cfg", "alpine:3.19"));
    kev(&k[4], T0 + 4, "create", "pods", NULL, "shop", "odd", 201); /* unreadable object */
    kev_body(&k[4], "{\"spec\":");
    struct rp_det_ctx *dc = run(&rp_det_k8s_privileged, k, 5);
    none_of(dc, &rp_det_k8s_privileged);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

/* With a store (migration 0016), an image run privileged on day 1 is known on day 2. */
static void test_privileged_remembered(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    struct kev k[2];
    kev(&k[0], T0, "create", "pods", NULL, "shop", "debug-a", 201);
    kev_body(&k[0], PRIV_POD("debug-a", "alpine:3.19"));
    struct rp_det_ctx *dc = run_on(&rp_det_k8s_privileged, k, 1, st, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    rp_det_ctx_free(dc);
    struct rp_store_stmt *q = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(st,
                                           "SELECT cluster || ' ' || image || ' ' || first_ms "
                                           "FROM detect_k8s_privileged_images",
                                           &q, &eb),
                     RP_OK);
    assert_int_equal(rp_store_stmt_step(q, &row, &eb), RP_OK);
    assert_true(row);
    assert_string_equal(rp_store_stmt_column_text(q, 0, NULL),
                        "prod-eks docker.io/library/alpine 1767225600000");
    rp_store_stmt_reset(q);
    /* the next day: the same image is known, another one is new */
    kev(&k[0], T0 + 86400000, "create", "pods", NULL, "shop", "debug-c", 201);
    kev_body(&k[0], PRIV_POD("debug-c", "docker.io/library/alpine:latest"));
    kev(&k[1], T0 + 86400000 + 5, "create", "pods", NULL, "shop", "debug-d", 201);
    kev_body(&k[1], PRIV_POD("debug-d", "ubuntu:24.04"));
    dc = run_on(&rp_det_k8s_privileged, k, 2, st, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    assert_string_equal(rp_det_ctx_finding(dc, 0)->f.evidence_key, "docker.io/library/ubuntu");
    rp_det_ctx_free(dc);
    /* the same image in another cluster is new there */
    kev(&k[0], T0 + 2 * 86400000LL, "create", "pods", NULL, "shop", "debug-e", 201);
    kev_body(&k[0], PRIV_POD("debug-e", "alpine"));
    rp_det_event_set(&k[0].ev, RP_K8S_CLUSTER, "staging-eks");
    dc = run_on(&rp_det_k8s_privileged, k, 1, st, NULL);
    assert_int_equal(rp_det_ctx_nfindings(dc), 1);
    assert_string_equal(rp_det_ctx_finding(dc, 0)->f.resource_id, "staging-eks");
    rp_det_ctx_free(dc);
    rp_store_free(st);
}

/* ---- ContainerWithSensitiveMount --------------------------------------------------------- */

static void test_sensitive_mount(void **state)
{
    (void)state;
    struct kev k[4];
    /* k8s-sensitive-hostpath-mount: / and /etc writable */
    kev(&k[0], T0, "create", "pods", NULL, "monitoring", "node-exporter-debug-x7k2q", 201);
    kev_body(&k[0], "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":"
                    "\"node-exporter-debug-x7k2q\",\"namespace\":\"monitoring\"},\"spec\":{"
                    "\"volumes\":[{\"name\":\"host-root\",\"hostPath\":{\"path\":\"/\",\"type\":"
                    "\"Directory\"}},{\"name\":\"host-etc\",\"hostPath\":{\"path\":\"/etc\"}}],"
                    "\"containers\":[{\"name\":\"shell\",\"image\":\"docker.io/library/"
                    "busybox:1.36\",\"command\":[\"sleep\",\"86400\"],\"volumeMounts\":[{\"name\":"
                    "\"host-root\",\"mountPath\":\"/host\"},{\"name\":\"host-etc\",\"mountPath\":"
                    "\"/host-etc\",\"readOnly\":false}]}],\"restartPolicy\":\"Always\"}}");
    /* a Deployment mounting the runtime socket, written oddly */
    kev(&k[1], T0 + 1000, "create", "deployments", NULL, "ci", NULL, 201);
    kev_body(&k[1], "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"builder\",\"namespace\":"
                    "\"ci\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\","
                    "\"image\":\"docker:24\",\"volumeMounts\":[{\"name\":\"sock\",\"mountPath\":"
                    "\"/var/run/docker.sock\"}]}],\"volumes\":[{\"name\":\"sock\",\"hostPath\":{"
                    "\"path\":\"//var/run/./docker.sock/\"}}]}}}}");
    /* a harmless directory plus a subPath that lands on /etc, and ".." that climbs to / */
    kev(&k[2], T0 + 2000, "create", "pods", NULL, "shop", "sub", 201);
    kev_body(&k[2], "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":"
                    "[{\"name\":\"root\",\"mountPath\":\"/h\",\"subPath\":\"etc\"}]}],\"volumes\":"
                    "[{\"name\":\"root\",\"hostPath\":{\"path\":\"/\"}}]}}");
    kev(&k[3], T0 + 3000, "create", "pods", NULL, "shop", "climb", 201);
    kev_body(&k[3], "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":"
                    "[{\"name\":\"v\",\"mountPath\":\"/h\"}]}],\"volumes\":[{\"name\":\"v\","
                    "\"hostPath\":{\"path\":\"/var/lib/../../\"}}]}}");
    struct rp_det_ctx *dc = run(&rp_det_k8s_sensitive_mount, k, 4);
    assert_int_equal(rp_det_ctx_nfindings(dc), 4);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.type, "Persistence:Kubernetes/ContainerWithSensitiveMount");
    assert_ptr_equal(find_n(dc, "Persistence:Kubernetes/ContainerWithSensitiveMount", 1), f);
    assert_string_equal(f->f.resource_id, CLUSTER);
    assert_int_equal(f->f.count, 1);
    assert_string_equal(f->f.evidence_key, "pods/monitoring/node-exporter-debug-x7k2q");
    assert_string_equal(f->f.workload_name, "node-exporter-debug-x7k2q");
    assert_string_equal(f->f.workload_ns, "monitoring");
    assert_string_equal(f->f.workload_image, "docker.io/library/busybox:1.36");
    assert_false(f->f.workload_privileged);
    assert_string_equal(f->f.workload_volumes_json,
                        "[{\"Name\":\"host-root\",\"HostPath\":{\"Path\":\"/\"}},{\"Name\":"
                        "\"host-etc\",\"HostPath\":{\"Path\":\"/etc\"}}]");
    assert_string_equal(f->f.k8s_user, "alice");
    assert_true(f->type->severity == 5.0);
    f = rp_det_ctx_finding(dc, 1);
    assert_string_equal(f->f.evidence_key, "deployments/ci/builder");
    assert_string_equal(f->f.workload_type, "deployments");
    assert_string_equal(rp_det_ctx_finding(dc, 2)->f.evidence_key, "pods/shop/sub");
    assert_string_equal(rp_det_ctx_finding(dc, 3)->f.evidence_key, "pods/shop/climb");
    rp_det_ctx_free(dc);
}

static void test_sensitive_mount_near_misses(void **state)
{
    (void)state;
    struct kev k[6];
    /* read-only mounts of / and /etc */
    kev(&k[0], T0, "create", "pods", NULL, "monitoring", "node-exporter", 201);
    kev_body(&k[0], "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":"
                    "[{\"name\":\"root\",\"mountPath\":\"/host\",\"readOnly\":true},{\"name\":"
                    "\"etc\",\"mountPath\":\"/e\",\"readOnly\":true}]}],\"volumes\":[{\"name\":"
                    "\"root\",\"hostPath\":{\"path\":\"/\"}},{\"name\":\"etc\",\"hostPath\":{"
                    "\"path\":\"/etc\"}}]}}");
    /* the VPC CNI's writable mounts: below /etc and /opt, not sensitive themselves */
    kev(&k[1], T0 + 1, "create", "daemonsets", NULL, "kube-system", "aws-node", 201);
    kev_body(&k[1], "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"aws-node\","
                    "\"image\":\"x\",\"volumeMounts\":[{\"name\":\"cni-net\",\"mountPath\":"
                    "\"/host/etc/cni/net.d\"},{\"name\":\"log\",\"mountPath\":\"/host/var/log\"}"
                    "]}],\"volumes\":[{\"name\":\"cni-net\",\"hostPath\":{\"path\":"
                    "\"/etc/cni/net.d\"}},{\"name\":\"log\",\"hostPath\":{\"path\":"
                    "\"/var/log/aws-routed-eni\"}}]}}}}");
    /* a pod its DaemonSet made */
    kev(&k[2], T0 + 2, "create", "pods", NULL, "kube-system", NULL, 201);
    kev_body(&k[2], "{\"metadata\":{\"generateName\":\"agent-\",\"ownerReferences\":[{\"kind\":"
                    "\"DaemonSet\",\"name\":\"agent\",\"controller\":true}]},\"spec\":{"
                    "\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":[{\"name\":"
                    "\"root\",\"mountPath\":\"/host\"}]}],\"volumes\":[{\"name\":\"root\","
                    "\"hostPath\":{\"path\":\"/\"}}]}}");
    /* a host-path volume declared but mounted by no container, and an emptyDir named alike */
    kev(&k[3], T0 + 3, "create", "pods", NULL, "shop", "decl", 201);
    kev_body(&k[3], "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":"
                    "[{\"name\":\"scratch\",\"mountPath\":\"/etc\"}]}],\"volumes\":[{\"name\":"
                    "\"root\",\"hostPath\":{\"path\":\"/\"}},{\"name\":\"scratch\",\"emptyDir\":"
                    "{}}]}}");
    /* refused */
    kev(&k[4], T0 + 4, "create", "pods", NULL, "monitoring", "node-exporter-debug", 403);
    kev_body(&k[4], "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":"
                    "[{\"name\":\"root\",\"mountPath\":\"/host\"}]}],\"volumes\":[{\"name\":"
                    "\"root\",\"hostPath\":{\"path\":\"/\"}}]}}");
    /* a subPath that leaves the sensitive directory */
    kev(&k[5], T0 + 5, "create", "pods", NULL, "shop", "tmp", 201);
    kev_body(&k[5], "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"volumeMounts\":"
                    "[{\"name\":\"root\",\"mountPath\":\"/h\",\"subPath\":\"tmp/cache\"}]}],"
                    "\"volumes\":[{\"name\":\"root\",\"hostPath\":{\"path\":\"/\"}}]}}");
    struct rp_det_ctx *dc = run(&rp_det_k8s_sensitive_mount, k, 6);
    none_of(dc, &rp_det_k8s_sensitive_mount);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

/* ---- AdminAccessToDefaultServiceAccount, AnonymousAccessGranted -------------------------- */

#define BINDING(kind, name, subjects, role)                                                        \
    "{\"kind\":\"" kind "\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"metadata\":{"        \
    "\"name\":\"" name "\"},\"subjects\":[" subjects "],\"roleRef\":{\"apiGroup\":\"rbac."         \
    "authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"" role "\"}}"

static void test_binding_admin_default_sa(void **state)
{
    (void)state;
    struct kev k[3];
    kev(&k[0], T0, "create", "clusterrolebindings", NULL, NULL, "shop-default-admin", 201);
    kev_body(&k[0], BINDING("ClusterRoleBinding", "shop-default-admin",
                            "{\"kind\":\"ServiceAccount\",\"name\":\"default\",\"namespace\":"
                            "\"shop\"}",
                            "cluster-admin"));
    /* a RoleBinding naming the account as a user, with the namespace from the binding */
    kev(&k[1], T0 + 1000, "create", "rolebindings", NULL, "payments", "pay-admin", 201);
    kev_body(&k[1], BINDING("RoleBinding", "pay-admin",
                            "{\"kind\":\"User\",\"name\":\"system:serviceaccount:payments:"
                            "default\"}",
                            "admin"));
    /* the same binding changed again: same finding */
    kev(&k[2], T0 + 5000, "update", "clusterrolebindings", NULL, NULL, "shop-default-admin", 200);
    kev_body(&k[2], BINDING("ClusterRoleBinding", "shop-default-admin",
                            "{\"kind\":\"ServiceAccount\",\"name\":\"default\",\"namespace\":"
                            "\"shop\"}",
                            "cluster-admin"));
    struct rp_det_ctx *dc = run(&rp_det_k8s_binding, k, 3);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.type, "Policy:Kubernetes/AdminAccessToDefaultServiceAccount");
    assert_ptr_equal(find_n(dc, "Policy:Kubernetes/AdminAccessToDefaultServiceAccount", 2), f);
    none(dc, "Policy:Kubernetes/AnonymousAccessGranted");
    assert_string_equal(f->f.resource_id, CLUSTER);
    assert_int_equal(f->f.count, 2);
    assert_int_equal(f->f.first_ms, T0);
    assert_int_equal(f->f.last_ms, T0 + 5000);
    assert_string_equal(f->f.evidence_key, "/shop-default-admin");
    assert_string_equal(f->f.additional_json,
                        "{\"RoleBindingKind\":\"ClusterRoleBinding\",\"RoleBindingName\":"
                        "\"shop-default-admin\",\"RoleRefKind\":\"ClusterRole\",\"RoleRefName\":"
                        "\"cluster-admin\",\"SubjectKind\":\"ServiceAccount\",\"SubjectName\":"
                        "\"default\",\"SubjectNamespace\":\"shop\"}");
    assert_string_equal(f->f.k8s_user, "alice");
    assert_true(f->type->severity == 8.0);
    f = rp_det_ctx_finding(dc, 1);
    assert_string_equal(f->f.evidence_key, "payments/pay-admin");
    assert_string_equal(f->f.additional_json,
                        "{\"RoleBindingKind\":\"RoleBinding\",\"RoleBindingName\":\"pay-admin\","
                        "\"RoleBindingNamespace\":\"payments\",\"RoleRefKind\":\"ClusterRole\","
                        "\"RoleRefName\":\"admin\",\"SubjectKind\":\"User\",\"SubjectName\":"
                        "\"system:serviceaccount:payments:default\"}");
    rp_det_ctx_free(dc);
}

static void test_binding_admin_near_misses(void **state)
{
    (void)state;
    struct kev k[5];
    kev(&k[0], T0, "create", "clusterrolebindings", NULL, NULL, "ci-admin", 201);
    kev_body(&k[0], BINDING("ClusterRoleBinding", "ci-admin",
                            "{\"kind\":\"ServiceAccount\",\"name\":\"ci-deployer\",\"namespace\":"
                            "\"shop\"}",
                            "cluster-admin"));
    kev(&k[1], T0 + 1, "create", "rolebindings", NULL, "shop", "default-view", 201);
    kev_body(&k[1], BINDING("RoleBinding", "default-view",
                            "{\"kind\":\"ServiceAccount\",\"name\":\"default\"}", "view"));
    kev(&k[2], T0 + 2, "create", "clusterrolebindings", NULL, NULL, "shop-default-admin", 403);
    kev_body(&k[2], BINDING("ClusterRoleBinding", "shop-default-admin",
                            "{\"kind\":\"ServiceAccount\",\"name\":\"default\",\"namespace\":"
                            "\"shop\"}",
                            "cluster-admin"));
    kev(&k[3], T0 + 3, "create", "clusterrolebindings", NULL, NULL, "x", 201);
    kev_body(&k[3], BINDING("ClusterRoleBinding", "x",
                            "{\"kind\":\"User\",\"name\":\"system:serviceaccount:shop:"
                            "default-builder\"}",
                            "cluster-admin"));
    /* a namespaced Role that happens to be called admin */
    kev(&k[4], T0 + 4, "create", "rolebindings", NULL, "shop", "y", 201);
    kev_body(&k[4], "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"y\"},\"subjects\":[{"
                    "\"kind\":\"ServiceAccount\",\"name\":\"default\"}],\"roleRef\":{\"kind\":"
                    "\"Role\",\"name\":\"admin\"}}");
    struct rp_det_ctx *dc = run(&rp_det_k8s_binding, k, 5);
    none_of(dc, &rp_det_k8s_binding);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

static void test_binding_anonymous(void **state)
{
    (void)state;
    struct kev k[2];
    /* k8s-anonymous-role-binding: view to User system:anonymous (logged at RequestResponse) */
    kev(&k[0], T0, "create", "clusterrolebindings", NULL, NULL, "anonymous-view", 201);
    kev_body(&k[0], BINDING("ClusterRoleBinding", "anonymous-view",
                            "{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\","
                            "\"name\":\"system:anonymous\"}",
                            "view"));
    rp_det_event_set(&k[0].ev, RP_K8S_RESPONSE_OBJECT, k[0].body);
    kev(&k[1], T0 + 1, "patch", "rolebindings", NULL, "shop", "open-edit", 200);
    kev_body(&k[1], BINDING("RoleBinding", "open-edit",
                            "{\"kind\":\"Group\",\"name\":\"developers\"},{\"kind\":\"Group\","
                            "\"name\":\"system:unauthenticated\"}",
                            "edit"));
    struct rp_det_ctx *dc = run(&rp_det_k8s_binding, k, 2);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *f = rp_det_ctx_finding(dc, 0);
    assert_string_equal(f->f.type, "Policy:Kubernetes/AnonymousAccessGranted");
    assert_ptr_equal(find_n(dc, "Policy:Kubernetes/AnonymousAccessGranted", 1), f);
    none(dc, "Policy:Kubernetes/AdminAccessToDefaultServiceAccount");
    assert_string_equal(f->f.evidence_key, "/anonymous-view");
    assert_string_equal(f->f.additional_json,
                        "{\"RoleBindingKind\":\"ClusterRoleBinding\",\"RoleBindingName\":"
                        "\"anonymous-view\",\"RoleRefKind\":\"ClusterRole\",\"RoleRefName\":"
                        "\"view\",\"SubjectKind\":\"User\",\"SubjectName\":\"system:anonymous\"}");
    assert_true(f->type->severity == 8.0);
    f = rp_det_ctx_finding(dc, 1);
    assert_string_equal(f->f.evidence_key, "shop/open-edit");
    assert_string_equal(f->f.verb, "patch");
    rp_det_ctx_free(dc);
}

static void test_binding_anonymous_near_misses(void **state)
{
    (void)state;
    struct kev k[3];
    /* the API server re-applying the public-info binding at start */
    kev(&k[0], T0, "update", "clusterrolebindings", NULL, NULL, "system:public-info-viewer", 200);
    kev_body(&k[0], BINDING("ClusterRoleBinding", "system:public-info-viewer",
                            "{\"kind\":\"Group\",\"name\":\"system:authenticated\"},{\"kind\":"
                            "\"Group\",\"name\":\"system:unauthenticated\"}",
                            "system:public-info-viewer"));
    kev(&k[1], T0 + 1, "create", "clusterrolebindings", NULL, NULL, "all-view", 201);
    kev_body(&k[1], BINDING("ClusterRoleBinding", "all-view",
                            "{\"kind\":\"Group\",\"name\":\"system:authenticated\"}", "view"));
    kev(&k[2], T0 + 2, "create", "clusterrolebindings", NULL, NULL, "anonymous-view", 409);
    kev_body(&k[2], BINDING("ClusterRoleBinding", "anonymous-view",
                            "{\"kind\":\"User\",\"name\":\"system:anonymous\"}", "view"));
    struct rp_det_ctx *dc = run(&rp_det_k8s_binding, k, 3);
    none_of(dc, &rp_det_k8s_binding);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

/* ---- ExposedDashboard, KubeflowDashboardExposed ------------------------------------------ */

static void test_dashboards(void **state)
{
    (void)state;
    struct kev k[3];
    kev(&k[0], T0, "create", "services", NULL, "kubernetes-dashboard", NULL, 201);
    kev_body(&k[0], "{\"kind\":\"Service\",\"metadata\":{\"name\":\"kubernetes-dashboard\","
                    "\"namespace\":\"kubernetes-dashboard\",\"labels\":{\"k8s-app\":"
                    "\"kubernetes-dashboard\"}},\"spec\":{\"type\":\"LoadBalancer\",\"ports\":[{"
                    "\"port\":443,\"targetPort\":8443}],\"selector\":{\"k8s-app\":"
                    "\"kubernetes-dashboard\"}}}");
    kev(&k[1], T0 + 1000, "create", "services", NULL, "kubeflow", NULL, 201);
    kev_body(&k[1], "{\"kind\":\"Service\",\"metadata\":{\"name\":\"centraldashboard\","
                    "\"namespace\":\"kubeflow\",\"annotations\":{\"service.beta.kubernetes.io/"
                    "aws-load-balancer-internal\":\"false\"}},\"spec\":{\"type\":\"LoadBalancer\","
                    "\"selector\":{\"app\":\"centraldashboard\"},\"loadBalancerSourceRanges\":["
                    "\"10.0.0.0/8\",\"0.0.0.0/0\"]}}");
    /* kubectl patch: the body says only the type; the request names the Service */
    kev(&k[2], T0 + 2000, "patch", "services", NULL, "kubernetes-dashboard", "kubernetes-dashboard",
        200);
    kev_body(&k[2], "{\"spec\":{\"type\":\"LoadBalancer\"}}");
    struct rp_det_ctx *dc = run(&rp_det_k8s_dashboard, k, 3);
    assert_int_equal(rp_det_ctx_nfindings(dc), 2);
    const struct rp_det_folded *f = find_n(dc, "Policy:Kubernetes/ExposedDashboard", 2);
    assert_int_equal(f->f.first_ms, T0);
    assert_int_equal(f->f.last_ms, T0 + 2000);
    assert_string_equal(f->f.evidence_key, "kubernetes-dashboard/kubernetes-dashboard");
    assert_string_equal(f->f.workload_name, "kubernetes-dashboard");
    assert_string_equal(f->f.workload_ns, "kubernetes-dashboard");
    assert_string_equal(f->f.workload_type, "services");
    assert_true(f->type->severity == 5.0);
    f = find_n(dc, "Policy:Kubernetes/KubeflowDashboardExposed", 1);
    assert_string_equal(f->f.evidence_key, "kubeflow/centraldashboard");
    assert_true(f->type->severity == 5.0);
    rp_det_ctx_free(dc);
}

static void test_dashboard_near_misses(void **state)
{
    (void)state;
    struct kev k[6];
    kev(&k[0], T0, "create", "services", NULL, "kubernetes-dashboard", NULL, 201);
    kev_body(&k[0], "{\"metadata\":{\"name\":\"kubernetes-dashboard\"},\"spec\":{\"type\":"
                    "\"ClusterIP\",\"selector\":{\"k8s-app\":\"kubernetes-dashboard\"}}}");
    kev(&k[1], T0 + 1, "create", "services", NULL, "kubernetes-dashboard", NULL, 201);
    kev_body(&k[1], "{\"metadata\":{\"name\":\"kubernetes-dashboard\",\"annotations\":{"
                    "\"service.beta.kubernetes.io/aws-load-balancer-internal\":\"true\"}},"
                    "\"spec\":{\"type\":\"LoadBalancer\"}}");
    kev(&k[2], T0 + 2, "create", "services", NULL, "kubeflow", NULL, 201);
    kev_body(&k[2], "{\"metadata\":{\"name\":\"centraldashboard\",\"annotations\":{"
                    "\"service.beta.kubernetes.io/aws-load-balancer-scheme\":\"internal\"}},"
                    "\"spec\":{\"type\":\"LoadBalancer\"}}");
    kev(&k[3], T0 + 3, "create", "services", NULL, "kubeflow", NULL, 201);
    kev_body(&k[3], "{\"metadata\":{\"name\":\"centraldashboard\"},\"spec\":{\"type\":"
                    "\"LoadBalancer\",\"loadBalancerSourceRanges\":[\"10.0.0.0/8\"]}}");
    kev(&k[4], T0 + 4, "create", "services", NULL, "shop", NULL, 201);
    kev_body(&k[4], "{\"metadata\":{\"name\":\"web-frontend\",\"labels\":{\"app\":"
                    "\"web-frontend\"}},\"spec\":{\"type\":\"LoadBalancer\",\"selector\":{"
                    "\"app\":\"web-frontend\"}}}");
    kev(&k[5], T0 + 5, "create", "services", NULL, "kubernetes-dashboard", NULL, 422);
    kev_body(&k[5], "{\"metadata\":{\"name\":\"kubernetes-dashboard\"},\"spec\":{\"type\":"
                    "\"LoadBalancer\"}}");
    struct rp_det_ctx *dc = run(&rp_det_k8s_dashboard, k, 6);
    none_of(dc, &rp_det_k8s_dashboard);
    assert_int_equal(rp_det_ctx_nfindings(dc), 0);
    rp_det_ctx_free(dc);
}

/* ---- registry ---------------------------------------------------------------------------- */

/* Every k8s detector is built in, with the Kubernetes source and GuardDuty's severities. */
static void test_registry(void **state)
{
    (void)state;
    size_t ndet = 0, ntypes = 0;
    for (size_t i = 0; rp_det_builtins[i]; i++) {
        const struct rp_detector *d = rp_det_builtins[i];
        if (strncmp(d->id, "k8s.", 4) != 0) continue;
        ndet++;
        assert_int_equal(d->source, RP_DET_SRC_K8S);
        assert_int_equal(d->kind, RP_DET_SIGNATURE);
        assert_non_null(d->summary);
        for (size_t t = 0; t < d->ntypes; t++) {
            ntypes++;
            assert_non_null(strstr(d->types[t].type, ":Kubernetes/"));
            assert_non_null(strstr(d->types[t].title, "%s"));
            assert_true(d->types[t].severity == 5.0 || d->types[t].severity == 8.0);
            assert_ptr_equal(rp_det_type_find(d->types[t].type), &d->types[t]);
        }
    }
    assert_int_equal(ndet, 7);
    assert_int_equal(ntypes, 5 + 15 + 1 + 1 + 1 + 2 + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tactic_table),
        cmocka_unit_test(test_anonymous_discovery_and_credentials),
        cmocka_unit_test(test_anonymous_other_tactics),
        cmocka_unit_test(test_anonymous_near_misses),
        cmocka_unit_test(test_anonymous_each_tactic),
        cmocka_unit_test(test_stages),
        cmocka_unit_test(test_account_fallbacks),
        cmocka_unit_test(test_ip_caller_families),
        cmocka_unit_test(test_ip_caller_near_misses),
        cmocka_unit_test(test_ip_caller_two_lists),
        cmocka_unit_test(test_ip_caller_each_tactic_and_family),
        cmocka_unit_test(test_exec_kube_system),
        cmocka_unit_test(test_exec_kube_system_near_misses),
        cmocka_unit_test(test_privileged_first_image),
        cmocka_unit_test(test_privileged_near_misses),
        cmocka_unit_test(test_privileged_remembered),
        cmocka_unit_test(test_sensitive_mount),
        cmocka_unit_test(test_sensitive_mount_near_misses),
        cmocka_unit_test(test_binding_admin_default_sa),
        cmocka_unit_test(test_binding_admin_near_misses),
        cmocka_unit_test(test_binding_anonymous),
        cmocka_unit_test(test_binding_anonymous_near_misses),
        cmocka_unit_test(test_dashboards),
        cmocka_unit_test(test_dashboard_near_misses),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests_name("detect_k8s", tests, NULL, NULL);
}
