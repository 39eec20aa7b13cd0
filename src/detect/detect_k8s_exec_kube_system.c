/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.exec_kube_system: Execution:Kubernetes/ExecInKubeSystemPod (aws-facts §4.7). A command
 * run inside a pod of the kube-system namespace (the exec subresource of a pod, verb create,
 * or get for kubectl's WebSocket exec) that the API server upgraded (101) or accepted (2xx).
 * The add-ons there (CNI, kube-proxy, CoreDNS) run with the node's privileges, so a shell in
 * one is a foothold on the node. Exec into other namespaces (a developer debugging an
 * application pod) is no finding.
 *
 * One finding per cluster and pod: the sessions of one pod fold into its Count. Signature
 * detector, no per-entity state. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_banned.h"

/* The namespace GuardDuty watches (aws-facts §4.7). */
#define SYSTEM_NAMESPACE "kube-system"

static const struct rp_det_type types[] = {
    {"Execution:Kubernetes/ExecInKubeSystemPod", 5.0,
     "Command executed inside a kube-system pod in EKS cluster %s",
     "A command was run inside a pod of the kube-system namespace through the exec API. The "
     "system add-ons there run with the node's privileges; operators rarely need a shell in "
     "them."},
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
    if (!rp_str_eq_cstr(rp_det_str(ev, RP_K8S_SUBRESOURCE), "exec") ||
        !rp_str_eq_cstr(rp_det_str(ev, RP_K8S_RESOURCE), "pods") ||
        !rp_str_eq_cstr(rp_det_str(ev, RP_K8S_NAMESPACE), SYSTEM_NAMESPACE) ||
        !rp_det_k8s_word_in("create get", rp_det_str(ev, RP_K8S_VERB)))
        return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_ok(rp_det_k8s_code(w, ev))) return RP_OK;
    struct rp_det_finding f;
    rp_err e = rp_det_k8s_finding_base(w, ev, types[0].type, &f, eb);
    if (e != RP_OK) return e;
    f.workload_name = rp_det_k8s_cstr(w, rp_det_str(ev, RP_K8S_NAME));
    f.workload_ns = SYSTEM_NAMESPACE;
    f.workload_type = "pods";
    f.evidence_key = f.workload_name;
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_k8s_exec_kube_system = {
    .id = "k8s.exec_kube_system",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "exec into a pod of the kube-system namespace",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
