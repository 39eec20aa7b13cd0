/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.anonymous: <Tactic>:Kubernetes/SuccessfulAnonymousAccess (aws-facts §4.7). An API call
 * by an unauthenticated caller (user system:anonymous, or a member of the group
 * system:unauthenticated) that the API server carried out (2xx, or 101 for an upgraded exec)
 * means a binding grants rights to anyone who can reach the endpoint. The tactic is the API's
 * category (detect_k8s_common.c): reading secrets is CredentialAccess, listing pods Discovery,
 * and so on. The public-info paths every cluster serves to anyone (/version, /healthz, /livez,
 * /readyz) are no finding.
 *
 * One finding per cluster, tactic and source address: repeats fold into its Count. Trusted-IP
 * lists do not apply: the finding is about the binding, not the address. Signature detector,
 * no per-entity state. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_banned.h"

#define DESC_TAIL                                                                                  \
    " by an unauthenticated caller (system:anonymous) and it succeeded: a role binding lets "      \
    "anyone who can reach the cluster's API server make such calls."

/* Indexed by enum rp_det_k8s_tactic (NONE excluded); severities from aws-facts §4.7. */
static const struct rp_det_type types[] = {
    {"Discovery:Kubernetes/SuccessfulAnonymousAccess", 5.0,
     "Anonymous caller discovered resources in EKS cluster %s",
     "An API commonly used to discover resources in a Kubernetes cluster was called" DESC_TAIL},
    {"CredentialAccess:Kubernetes/SuccessfulAnonymousAccess", 8.0,
     "Anonymous caller accessed credentials in EKS cluster %s",
     "An API commonly used to read secrets or obtain credentials in a Kubernetes cluster was "
     "called" DESC_TAIL},
    {"Impact:Kubernetes/SuccessfulAnonymousAccess", 8.0,
     "Anonymous caller changed resources in EKS cluster %s",
     "An API commonly used to create, change or delete resources in a Kubernetes cluster was "
     "called" DESC_TAIL},
    {"Persistence:Kubernetes/SuccessfulAnonymousAccess", 8.0,
     "Anonymous caller used a persistence API in EKS cluster %s",
     "An API commonly used to keep or widen access to a Kubernetes cluster (roles, bindings, "
     "service accounts, mutating webhooks) was called" DESC_TAIL},
    {"DefenseEvasion:Kubernetes/SuccessfulAnonymousAccess", 8.0,
     "Anonymous caller used a defense-evasion API in EKS cluster %s",
     "An API commonly used to hide activity in a Kubernetes cluster (deleting events, audit "
     "sinks, validating admission) was called" DESC_TAIL},
};

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    struct rp_det_k8s_work *w = calloc(1, sizeof(*w));
    if (!w) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    *state = w;
    return rp_det_k8s_work_init(w, eb);
}

static void release(void *state)
{
    struct rp_det_k8s_work *w = state;
    if (!w) return;
    rp_det_k8s_work_release(w);
    free(w);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_det_k8s_work *w = state;
    if (!rp_det_k8s_final(w, ev)) return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_unauthenticated(w, ev)) return RP_OK;
    enum rp_det_k8s_tactic t = rp_det_k8s_tactic_of(ev);
    if (t == RP_K8S_TACTIC_NONE || !rp_det_k8s_ok(rp_det_k8s_code(w, ev))) return RP_OK;
    struct rp_det_finding f;
    rp_err e = rp_det_k8s_finding_base(w, ev, types[t - 1].type, &f, eb);
    if (e != RP_OK) return e;
    f.evidence_key = f.remote_ip;
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_k8s_anonymous = {
    .id = "k8s.anonymous",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "successful Kubernetes API calls by system:anonymous, by API category",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
