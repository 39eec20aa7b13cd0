/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the Kubernetes audit detectors (src/detect/detect_k8s_*.c): what every one of them
 * needs to read an audit event the way GuardDuty's EKS Protection does (DESIGN.md §6,
 * aws-facts §4.7).
 *
 *   - which records count: the final record of a request (stage ResponseComplete, or the one
 *     stage a log keeps) and whether it succeeded (2xx, or 101 for an upgraded exec/attach);
 *   - who called: system:anonymous or the group system:unauthenticated;
 *   - the tactic an API call stands for (the API categories of the SuccessfulAnonymousAccess,
 *     MaliciousIPCaller and TorIPCaller families);
 *   - the object a write carries (requestObject / responseObject), the pod template inside a
 *     workload, its containers and host-path volumes;
 *   - the members every Kubernetes finding has (EKSCluster resource, KubernetesUserDetails,
 *     KUBERNETES_API_CALL action) and the workload members of pod findings.
 *
 * A detector keeps one struct rp_det_k8s_work in its state: two JSON parsers (objects, and the
 * small fields) and a scratch arena that holds the strings of one event's finding, reset before
 * each event. Single-threaded, as a run is. */
#ifndef RP_DETECT_K8S_COMMON_H
#define RP_DETECT_K8S_COMMON_H

#include "detect/detect_internal.h"

/* ---- API categories -------------------------------------------------------------------- */

enum rp_det_k8s_tactic {
    RP_K8S_TACTIC_NONE, /* not one of the categories (public info, impersonation, ..) */
    RP_K8S_TACTIC_DISCOVERY,
    RP_K8S_TACTIC_CREDENTIAL_ACCESS,
    RP_K8S_TACTIC_IMPACT,
    RP_K8S_TACTIC_PERSISTENCE,
    RP_K8S_TACTIC_DEFENSE_EVASION,
    RP_K8S_TACTIC__COUNT
};

/* GuardDuty's threat purpose of a tactic ("Discovery", "CredentialAccess", ..); NULL for NONE. */
const char *rp_det_k8s_tactic_name(enum rp_det_k8s_tactic t);

/* The category of the API call ev made (verb, objectRef resource and subresource, or the
 * request URI of a non-resource request); the table is in detect_k8s_common.c. */
enum rp_det_k8s_tactic rp_det_k8s_tactic_of(const struct rp_det_event *ev);

/* ---- per-detector scratch -------------------------------------------------------------- */

struct rp_det_k8s_work {
    struct rp_json_parser *obj;   /* requestObject / responseObject */
    struct rp_json_parser *small; /* user, responseStatus: a second parser, so that reading
                                     them keeps the values of obj valid */
    struct rp_arena a;            /* strings of the current event's findings */
    bool seen_complete;           /* a ResponseComplete record was seen in this run */
};

/* RP_OK or RP_ENOMEM. Release with rp_det_k8s_work_release (also after a failed init). */
rp_err rp_det_k8s_work_init(struct rp_det_k8s_work *w, struct rp_errbuf *eb) RP_WUR;
void rp_det_k8s_work_release(struct rp_det_k8s_work *w);
/* Forget the previous event's strings (call at the start of each event). */
void rp_det_k8s_work_reset(struct rp_det_k8s_work *w);

/* NUL-terminated copy of s in w's arena; NULL when s is absent or on allocation failure. */
const char *rp_det_k8s_cstr(struct rp_det_k8s_work *w, struct rp_str s);

/* ---- what an event says ---------------------------------------------------------------- */

/* True when ev is the record of a request that counts: stage ResponseComplete, no stage at all,
 * or, in a log that has shown no ResponseComplete record so far in this run, ResponseStarted
 * (logs whose policy keeps one stage only). RequestReceived (no response yet) never counts. */
bool rp_det_k8s_final(struct rp_det_k8s_work *w, const struct rp_det_event *ev);

/* The response code (the rp_response_code column, else responseStatus.code), -1 unknown. */
int rp_det_k8s_code(struct rp_det_k8s_work *w, const struct rp_det_event *ev);

/* A successful response: 2xx, or 101 Switching Protocols (exec, attach, port-forward). */
bool rp_det_k8s_ok(int code);

/* True for a request by system:anonymous or by a member of system:unauthenticated (the user
 * JSON is parsed with w->small only when its text names that group). */
bool rp_det_k8s_unauthenticated(struct rp_det_k8s_work *w, const struct rp_det_event *ev);

/* True when f is one of the words of the space-separated list (exact, case-sensitive). */
bool rp_det_k8s_word_in(const char *list, struct rp_str f);

/* ---- objects --------------------------------------------------------------------------- */

/* The object a create/update/patch carries, parsed with w->obj: the responseObject (the object
 * as stored, defaults and admission changes applied) when the log has one that is not a
 * Status, else the requestObject (for a patch: the patch body, still shaped like the object for
 * merge patches). RP_OK with *out an object; RP_ENOENT when there is none or it is not a JSON
 * object (unreadable text counts as none); RP_ENOMEM. */
rp_err rp_det_k8s_object(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                         struct rp_json_val *out) RP_WUR;

/* The pod spec of a workload object of kind resource (pods, deployments, replicasets,
 * daemonsets, statefulsets, jobs, replicationcontrollers: spec.template.spec; cronjobs:
 * spec.jobTemplate.spec.template.spec; pods: spec). False when resource is no workload or the
 * object has no such member. */
bool rp_det_k8s_pod_spec(struct rp_str resource, struct rp_json_val obj, struct rp_json_val *spec);

/* True when resource names a workload kind rp_det_k8s_pod_spec knows. */
bool rp_det_k8s_is_workload(struct rp_str resource);

/* Container lists of a pod spec: k = 0 containers, 1 initContainers, 2 ephemeralContainers.
 * False when the spec has no such array. */
#define RP_K8S_CONTAINER_LISTS 3
bool rp_det_k8s_containers(struct rp_json_val spec, unsigned k, struct rp_json_val *arr);

/* True when the pod object names a controller among its metadata.ownerReferences (a pod a
 * ReplicaSet, DaemonSet, Job, .. made from its template). */
bool rp_det_k8s_controlled(struct rp_json_val obj);

/* Docker's normalised repository of an image reference, without tag or digest, in w's arena:
 * "alpine:3.19" -> "docker.io/library/alpine", "ghcr.io/x/y@sha256:.." -> "ghcr.io/x/y".
 * NULL on allocation failure or for an empty reference. */
const char *rp_det_k8s_image_repo(struct rp_det_k8s_work *w, struct rp_str image);

/* The object's name (objectRef.name, else metadata.name, else metadata.generateName) and
 * namespace (objectRef.namespace, else metadata.namespace), in w's arena; NULL when unknown. */
void rp_det_k8s_obj_name(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                         struct rp_json_val obj, const char **name, const char **ns);

/* ---- findings -------------------------------------------------------------------------- */

/* Initialise f for an occurrence of type raised by ev: account and region (the event's, else
 * the account in the caller's IAM identity, else "unknown"), the EKSCluster resource (cluster
 * name, else "unknown"), KubernetesUserDetails from the user JSON, the KUBERNETES_API_CALL
 * action (verb, request URI, status code, user agent, remote address, sourceIPs), first/last =
 * the event time, count 1, role TARGET. Strings live in w's arena. RP_OK or RP_ENOMEM. */
rp_err rp_det_k8s_finding_base(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                               const char *type, struct rp_det_finding *f,
                               struct rp_errbuf *eb) RP_WUR;

/* Workload members of f from a workload object: name (objectRef.name, else metadata.name, else
 * metadata.generateName), namespace, type (the objectRef resource: "pods", "deployments", ..),
 * image and privileged flag of container c (a container object; "no value" = the first
 * container of spec), and the spec's host-path volumes as [{"Name":..,"HostPath":{"Path":..}}]
 * (at most RP_K8S_MAX_VOLUMES). Strings live in w's arena. RP_OK or RP_ENOMEM. */
#define RP_K8S_MAX_VOLUMES 16
rp_err rp_det_k8s_workload(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                           struct rp_json_val obj, struct rp_json_val spec, struct rp_json_val c,
                           struct rp_det_finding *f, struct rp_errbuf *eb) RP_WUR;

#endif
