/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.dashboard: Policy:Kubernetes/ExposedDashboard and Policy:Kubernetes/KubeflowDashboardExposed
 * (aws-facts §4.7): a Service of type LoadBalancer, created or changed successfully, in front of
 * the Kubernetes dashboard or Kubeflow's central dashboard. On EKS such a Service gets a load
 * balancer reachable from the internet, and both dashboards have a history of being left open
 * (the dashboard's own service account often holds wide rights).
 *
 * Which Service is a dashboard's: its name, its labels' values or its selector's values start
 * with one of the names the projects' manifests use (dashboard_names below), or, for the
 * Kubernetes dashboard, it lives in the namespace its manifests create. Not exposed: a Service
 * annotated as internal for the AWS load balancer controllers (aws-load-balancer-internal other
 * than "false", aws-load-balancer-scheme internal), or one whose loadBalancerSourceRanges admit
 * no address range open to all (0.0.0.0/0, ::/0). For a patch the stored object is read when the
 * log has it, else the patch body with the name and namespace of the request. One finding per
 * cluster, type and Service; signature detector, no per-entity state. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_banned.h"

enum { T_DASHBOARD, T_KUBEFLOW };

static const struct rp_det_type types[] = {
    [T_DASHBOARD] = {"Policy:Kubernetes/ExposedDashboard", 5.0,
                     "Kubernetes dashboard exposed to the internet in EKS cluster %s",
                     "The Kubernetes dashboard was put behind a Service of type LoadBalancer, "
                     "which makes it reachable from the internet."},
    [T_KUBEFLOW] = {"Policy:Kubernetes/KubeflowDashboardExposed", 5.0,
                    "Kubeflow dashboard exposed to the internet in EKS cluster %s",
                    "Kubeflow's central dashboard was put behind a Service of type LoadBalancer, "
                    "which makes it reachable from the internet."},
};

/* Name prefixes of the dashboards' Services, labels and selectors in their upstream manifests
 * and Helm charts (kubernetes-dashboard, kubernetes-dashboard-kong-proxy, -web, ..; Kubeflow's
 * centraldashboard); ns: the prefix also marks a namespace holding only that dashboard. */
static const struct {
    const char *prefix;
    unsigned type;
    bool ns;
} dashboard_names[] = {
    {"kubernetes-dashboard", T_DASHBOARD, true},
    {"centraldashboard", T_KUBEFLOW, false},
    {"central-dashboard", T_KUBEFLOW, false},
};

#define ANN_INTERNAL "service.beta.kubernetes.io/aws-load-balancer-internal"
#define ANN_SCHEME   "service.beta.kubernetes.io/aws-load-balancer-scheme"

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

/* Bit (1 << type) of every dashboard whose names v starts with; is_ns: v is a namespace. */
static unsigned match(struct rp_str v, bool is_ns)
{
    unsigned m = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(dashboard_names); i++)
        if ((!is_ns || dashboard_names[i].ns) && rp_str_has_prefix(v, dashboard_names[i].prefix))
            m |= 1u << dashboard_names[i].type;
    return m;
}

/* The match bits of the string values of map object o. */
static unsigned match_values(struct rp_json_val o)
{
    struct rp_json_iter it;
    struct rp_str k, v;
    struct rp_json_val x;
    unsigned m = 0;
    if (rp_json_obj_iter(o, &it) != RP_OK) return 0;
    while (rp_json_obj_next(&it, &k, &x))
        if (rp_json_get_str(x, &v) == RP_OK) m |= match(v, false);
    return m;
}

/* True when the Service's load balancer is meant for the internet. */
static bool internet_facing(struct rp_json_val md, struct rp_json_val spec)
{
    struct rp_json_val ann, ranges, r;
    struct rp_str v;
    if (rp_json_obj_get(md, "annotations", &ann) == RP_OK) {
        if (rp_json_obj_get_str(ann, ANN_INTERNAL, &v) == RP_OK && !rp_str_eq_cstr(v, "false"))
            return false;
        if (rp_json_obj_get_str(ann, ANN_SCHEME, &v) == RP_OK && rp_str_eq_cstr(v, "internal"))
            return false;
    }
    struct rp_json_iter it;
    if (rp_json_obj_get(spec, "loadBalancerSourceRanges", &ranges) != RP_OK ||
        rp_json_arr_iter(ranges, &it) != RP_OK || rp_json_len(ranges) == 0)
        return true;
    while (rp_json_arr_next(&it, &r))
        if (rp_json_get_str(r, &v) == RP_OK &&
            (rp_str_eq_cstr(v, "0.0.0.0/0") || rp_str_eq_cstr(v, "::/0")))
            return true;
    return false;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_det_k8s_work *w = state;
    if (!rp_det_k8s_final(w, ev)) return RP_OK;
    if (!rp_det_k8s_word_in("create update patch", rp_det_str(ev, RP_K8S_VERB)) ||
        !rp_str_eq_cstr(rp_det_str(ev, RP_K8S_RESOURCE), "services") ||
        rp_det_str(ev, RP_K8S_SUBRESOURCE).len)
        return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_ok(rp_det_k8s_code(w, ev))) return RP_OK;
    struct rp_json_val obj, spec, md = {0}, x;
    struct rp_str type;
    rp_err e = rp_det_k8s_object(w, ev, &obj);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "detect: k8s: out of memory");
    if (e != RP_OK || rp_json_obj_get(obj, "spec", &spec) != RP_OK ||
        rp_json_obj_get_str(spec, "type", &type) != RP_OK || !rp_str_eq_cstr(type, "LoadBalancer"))
        return RP_OK;
    if (rp_json_obj_get(obj, "metadata", &md) != RP_OK) md = (struct rp_json_val){0};
    if (!internet_facing(md, spec)) return RP_OK;
    const char *name = NULL, *ns = NULL;
    rp_det_k8s_obj_name(w, ev, obj, &name, &ns);
    unsigned m = 0;
    if (name) m |= match(rp_str_from(name), false);
    if (ns) m |= match(rp_str_from(ns), true);
    if (rp_json_obj_get(md, "labels", &x) == RP_OK) m |= match_values(x);
    if (rp_json_obj_get(spec, "selector", &x) == RP_OK) m |= match_values(x);
    for (unsigned t = 0; t < RP_ARRAY_LEN(types); t++) {
        if (!(m & (1u << t))) continue;
        struct rp_det_finding f;
        e = rp_det_k8s_finding_base(w, ev, types[t].type, &f, eb);
        if (e != RP_OK) return e;
        f.workload_name = name;
        f.workload_ns = ns;
        f.workload_type = "services";
        f.evidence_key = rp_arena_printf(&w->a, "%s/%s", ns ? ns : "", name ? name : "");
        if (!f.evidence_key) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
        e = rp_det_emit(dc, &f, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

const struct rp_detector rp_det_k8s_dashboard = {
    .id = "k8s.dashboard",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "Kubernetes or Kubeflow dashboard behind an internet-facing load balancer",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
