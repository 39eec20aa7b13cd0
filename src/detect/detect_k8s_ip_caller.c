/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.ip_caller: <Tactic>:Kubernetes/MaliciousIPCaller, .../MaliciousIPCaller.Custom and
 * .../TorIPCaller (aws-facts §4.7): a Kubernetes API of one of the five categories
 * (detect_k8s_common.c) called from an address on a threat list. The list decides the family:
 * a user's threat list (threatintel add) gives .Custom, Tor exit/relay nodes TorIPCaller, and
 * Rampart's own knowledge of malicious addresses (known-malicious, command-and-control, drop
 * point, phishing and drive-by hosts) the plain MaliciousIPCaller. An address on several kinds
 * of list raises one finding per family. Trusted-IP lists win (aws-facts §4.2): the lookup gives
 * nothing for a trusted address.
 *
 * The address is the API server's peer (rp_src_ip, the last of sourceIPs). A failed request by
 * an unauthenticated caller is not counted: it is the background of scanners probing every
 * public endpoint, and nothing was called; a failed call with credentials is (stolen
 * credentials used from a bad address). One finding per cluster, type and address. Signature
 * detector, no per-entity state. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_banned.h"

enum family { FAM_MALICIOUS, FAM_CUSTOM, FAM_TOR, FAM__COUNT };

/* [family * NTACTICS + tactic - 1]; severities from aws-facts §4.7. */
static const struct rp_det_type types[] = {
    /* MaliciousIPCaller */
    {"Discovery:Kubernetes/MaliciousIPCaller", 5.0,
     "Known malicious IP address discovered resources in EKS cluster %s",
     "An API commonly used to discover resources in a Kubernetes cluster was called from an "
     "address associated with known malicious activity."},
    {"CredentialAccess:Kubernetes/MaliciousIPCaller", 8.0,
     "Known malicious IP address accessed credentials in EKS cluster %s",
     "An API commonly used to read secrets or obtain credentials in a Kubernetes cluster was "
     "called from an address associated with known malicious activity."},
    {"Impact:Kubernetes/MaliciousIPCaller", 8.0,
     "Known malicious IP address changed resources in EKS cluster %s",
     "An API commonly used to create, change or delete resources in a Kubernetes cluster was "
     "called from an address associated with known malicious activity."},
    {"Persistence:Kubernetes/MaliciousIPCaller", 5.0,
     "Known malicious IP address used a persistence API in EKS cluster %s",
     "An API commonly used to keep or widen access to a Kubernetes cluster was called from an "
     "address associated with known malicious activity."},
    {"DefenseEvasion:Kubernetes/MaliciousIPCaller", 8.0,
     "Known malicious IP address used a defense-evasion API in EKS cluster %s",
     "An API commonly used to hide activity in a Kubernetes cluster was called from an address "
     "associated with known malicious activity."},
    /* MaliciousIPCaller.Custom */
    {"Discovery:Kubernetes/MaliciousIPCaller.Custom", 5.0,
     "Address on a custom threat list discovered resources in EKS cluster %s",
     "An API commonly used to discover resources in a Kubernetes cluster was called from an "
     "address on a threat list you uploaded."},
    {"CredentialAccess:Kubernetes/MaliciousIPCaller.Custom", 8.0,
     "Address on a custom threat list accessed credentials in EKS cluster %s",
     "An API commonly used to read secrets or obtain credentials in a Kubernetes cluster was "
     "called from an address on a threat list you uploaded."},
    {"Impact:Kubernetes/MaliciousIPCaller.Custom", 8.0,
     "Address on a custom threat list changed resources in EKS cluster %s",
     "An API commonly used to create, change or delete resources in a Kubernetes cluster was "
     "called from an address on a threat list you uploaded."},
    {"Persistence:Kubernetes/MaliciousIPCaller.Custom", 5.0,
     "Address on a custom threat list used a persistence API in EKS cluster %s",
     "An API commonly used to keep or widen access to a Kubernetes cluster was called from an "
     "address on a threat list you uploaded."},
    {"DefenseEvasion:Kubernetes/MaliciousIPCaller.Custom", 8.0,
     "Address on a custom threat list used a defense-evasion API in EKS cluster %s",
     "An API commonly used to hide activity in a Kubernetes cluster was called from an address "
     "on a threat list you uploaded."},
    /* TorIPCaller */
    {"Discovery:Kubernetes/TorIPCaller", 5.0,
     "Tor exit node discovered resources in EKS cluster %s",
     "An API commonly used to discover resources in a Kubernetes cluster was called from a Tor "
     "exit node, hiding the caller's real address."},
    {"CredentialAccess:Kubernetes/TorIPCaller", 8.0,
     "Tor exit node accessed credentials in EKS cluster %s",
     "An API commonly used to read secrets or obtain credentials in a Kubernetes cluster was "
     "called from a Tor exit node, hiding the caller's real address."},
    {"Impact:Kubernetes/TorIPCaller", 8.0, "Tor exit node changed resources in EKS cluster %s",
     "An API commonly used to create, change or delete resources in a Kubernetes cluster was "
     "called from a Tor exit node, hiding the caller's real address."},
    {"Persistence:Kubernetes/TorIPCaller", 5.0,
     "Tor exit node used a persistence API in EKS cluster %s",
     "An API commonly used to keep or widen access to a Kubernetes cluster was called from a Tor "
     "exit node, hiding the caller's real address."},
    {"DefenseEvasion:Kubernetes/TorIPCaller", 8.0,
     "Tor exit node used a defense-evasion API in EKS cluster %s",
     "An API commonly used to hide activity in a Kubernetes cluster was called from a Tor exit "
     "node, hiding the caller's real address."},
};

#define NTACTICS (RP_K8S_TACTIC__COUNT - 1)
_Static_assert(RP_ARRAY_LEN(types) == FAM__COUNT * NTACTICS, "one type per family and tactic");

/* Hits looked at per address (the most specific first). */
#define MAX_HITS 8

/* The family a list entry's kind gives, or -1 (mining pools, sinkholes and DGA knowledge say
 * nothing about an API caller). */
static int family_of(enum rp_det_ti_kind k)
{
    switch (k) {
    case RP_TI_THREAT:
        return FAM_CUSTOM;
    case RP_TI_TOR:
        return FAM_TOR;
    case RP_TI_MALICIOUS:
    case RP_TI_C2:
    case RP_TI_DROP_POINT:
    case RP_TI_PHISHING:
    case RP_TI_DRIVE_BY:
        return FAM_MALICIOUS;
    default:
        return -1;
    }
}

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
    struct rp_str ip = rp_det_str(ev, RP_K8S_SRC_IP);
    if (!rp_det_k8s_final(w, ev) || !ip.p || ip.len == 0) return RP_OK;
    enum rp_det_k8s_tactic t = rp_det_k8s_tactic_of(ev);
    if (t == RP_K8S_TACTIC_NONE) return RP_OK;
    struct rp_det_ti_hit hits[MAX_HITS];
    size_t n = rp_det_ti_ip_str(dc, ip, hits, MAX_HITS);
    if (n == 0) return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_ok(rp_det_k8s_code(w, ev)) && rp_det_k8s_unauthenticated(w, ev)) return RP_OK;
    bool done[FAM__COUNT] = {false};
    for (size_t i = 0; i < n; i++) {
        int fam = family_of(hits[i].kind);
        if (fam < 0 || done[fam]) continue;
        done[fam] = true;
        struct rp_det_finding f;
        rp_err e = rp_det_k8s_finding_base(w, ev, types[fam * NTACTICS + (t - 1)].type, &f, eb);
        if (e != RP_OK) return e;
        f.evidence_key = f.remote_ip;
        f.threat_list = hits[i].list;
        f.threat_name = hits[i].name;
        e = rp_det_emit(dc, &f, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

const struct rp_detector rp_det_k8s_ip_caller = {
    .id = "k8s.ip_caller",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "Kubernetes API calls from threat-listed, custom-listed or Tor addresses",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
