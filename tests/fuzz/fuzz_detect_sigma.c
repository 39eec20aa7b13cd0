/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the Sigma rule loader and matcher (src/detect/detect_sigma*.c): the
 * input is a rule file (any number of YAML documents). Whatever loads is evaluated against a
 * fixed CloudTrail event and a fixed Kubernetes audit event, twice each (the second pass goes
 * through the per-event JSON cache and must give the same rules), and every matching rule's
 * finding is built. Warnings are counted and dropped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_internal.h"
#include "detect/detect_sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg)
{
    (void)msg;
    (*(size_t *)ctx)++;
}

struct hits {
    uint64_t mask; /* matching rules, the first 64 */
    size_t n;
};

static int on_hit(void *ctx, size_t i)
{
    struct hits *h = ctx;
    if (i < 64) h->mask |= 1ull << i;
    h->n++;
    return 0;
}

static int64_t seq;

static void ct_event(struct rp_det_event *ev)
{
    rp_det_event_init(ev, RP_DET_SRC_CLOUDTRAIL, 1767225600000LL);
    ev->seq = ++seq;
    rp_det_event_set(ev, RP_CT_EVENT_SOURCE, "iam.amazonaws.com");
    rp_det_event_set(ev, RP_CT_EVENT_NAME, "CreateAccessKey");
    rp_det_event_set(ev, RP_CT_AWS_REGION, "us-east-1");
    rp_det_event_set(ev, RP_CT_REGION, "us-east-1");
    rp_det_event_set(ev, RP_CT_ACCOUNT, "111122223333");
    rp_det_event_set(ev, RP_CT_SOURCE_IP_ADDRESS, "198.51.100.7");
    rp_det_event_set(ev, RP_CT_SRC_IP, "198.51.100.7");
    rp_det_event_set(ev, RP_CT_USER_AGENT, "aws-cli/2.13.5 Python/3.11.4 Linux/6.1");
    rp_det_event_set(ev, RP_CT_PRINCIPAL, "arn:aws:iam::111122223333:user/alice");
    rp_det_event_set(ev, RP_CT_ACCESS_KEY_ID, "AKIAALICE0000001");
    rp_det_event_set(ev, RP_CT_UID_TYPE, "IAMUser");
    rp_det_event_set(ev, RP_CT_UID_ARN, "arn:aws:iam::111122223333:user/alice");
    rp_det_event_set(ev, RP_CT_USER_IDENTITY,
                     "{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
                     "\"accessKeyId\":\"AKIAALICE0000001\",\"userName\":\"alice\"}");
    rp_det_event_set(ev, RP_CT_REQUEST_PARAMETERS,
                     "{\"userName\":\"bob\",\"tags\":[{\"key\":\"a\",\"value\":1},null],"
                     "\"userData\":\"IyEvYmluL3NoCndnZXQgLXEgaHR0cDovLzIwMy4wLjExMy45L3gK\"}");
    rp_det_event_set(ev, RP_CT_RESOURCES, "[{\"ARN\":\"arn:aws:iam::111122223333:user/bob\"}]");
    rp_det_event_set(ev, RP_CT_RESPONSE_ELEMENTS, "not json");
    rp_det_event_set_int(ev, RP_CTI_READ_ONLY, 0);
}

static void k8s_event(struct rp_det_event *ev)
{
    rp_det_event_init(ev, RP_DET_SRC_K8S, 1767225600000LL);
    ev->seq = ++seq;
    rp_det_event_set(ev, RP_K8S_VERB, "create");
    rp_det_event_set(ev, RP_K8S_USER, "{\"username\":\"eve\",\"groups\":[\"system:masters\"]}");
    rp_det_event_set(ev, RP_K8S_USERNAME, "eve");
    rp_det_event_set(ev, RP_K8S_SOURCE_IPS, "[\"203.0.113.9\",\"10.0.0.1\"]");
    rp_det_event_set(
        ev, RP_K8S_OBJECT_REF,
        "{\"resource\":\"pods\",\"subresource\":\"exec\",\"namespace\":\"kube-system\"}");
    rp_det_event_set(ev, RP_K8S_RESOURCE, "pods");
    rp_det_event_set(ev, RP_K8S_SUBRESOURCE, "exec");
    rp_det_event_set(ev, RP_K8S_RESPONSE_STATUS, "{\"code\":101}");
    rp_det_event_set(ev, RP_K8S_CLUSTER, "prod-eks");
    rp_det_event_set_int(ev, RP_K8SI_CODE, 101);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        setenv("RAMPART_CACHE_DIR", "", 1); /* no Hyperscan cache files */
        init = 1;
    }
    struct rp_det_sigma_set *set = NULL;
    if (rp_det_sigma_set_new(&set)) return 0;
    size_t warnings = 0;
    struct rp_errbuf eb = {0};
    if (rp_det_sigma_load_buf(set, "fuzz.yml", (const char *)data, size, quiet, &warnings, &eb) ||
        !rp_det_sigma_count(set)) {
        rp_det_sigma_set_free(set);
        return 0;
    }
    struct rp_det_event evs[2];
    ct_event(&evs[0]);
    k8s_event(&evs[1]);
    for (size_t k = 0; k < 2; k++) {
        struct hits a = {0}, b = {0};
        if (rp_det_sigma_eval(set, &evs[k], on_hit, &a, &eb) ||
            rp_det_sigma_eval(set, &evs[k], on_hit, &b, &eb))
            break;
        if (a.mask != b.mask || a.n != b.n) abort();
        for (size_t i = 0; i < 64 && i < rp_det_sigma_count(set); i++) {
            if (!(a.mask >> i & 1)) continue;
            struct rp_det_finding f;
            rp_err e = rp_det_sigma_finding(set, i, &evs[k], &f, &eb);
            if (e == RP_OK && (!f.type || strncmp(f.type, "Sigma:", 6) || !f.additional_json))
                abort();
        }
    }
    rp_det_sigma_set_free(set);
    return 0;
}
