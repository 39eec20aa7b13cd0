/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.binding: the two policy findings of role bindings (aws-facts §4.7), from a RoleBinding or
 * ClusterRoleBinding created or changed successfully:
 *   - Policy:Kubernetes/AdminAccessToDefaultServiceAccount: the binding gives the ClusterRole
 *     admin or cluster-admin to a namespace's "default" service account (subject ServiceAccount
 *     default, or User system:serviceaccount:<ns>:default). Every pod that names no service
 *     account runs as "default", so each of them becomes an administrator.
 *   - Policy:Kubernetes/AnonymousAccessGranted: a subject is User system:anonymous or Group
 *     system:unauthenticated, so anyone who reaches the API server gets the role. The binding
 *     every cluster has for the public-info paths (ClusterRole system:public-info-viewer), which
 *     the API server itself re-applies at start, is no finding.
 * The object is the request's (or, for an update/patch logged at RequestResponse, the stored
 * binding). One finding per cluster, type and binding; the binding, its role and the subject
 * go in Service.AdditionalInfo. Signature detector, no per-entity state. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_banned.h"

/* ClusterRoles that make their holder an administrator (Kubernetes' user-facing roles). */
static const char *const admin_roles = "cluster-admin admin";
/* Roles Kubernetes itself grants to unauthenticated callers by default. */
static const char *const default_anonymous_roles = "system:public-info-viewer";

#define SA_USER_PREFIX "system:serviceaccount:"

enum { T_ADMIN_DEFAULT_SA, T_ANONYMOUS_GRANTED };

static const struct rp_det_type types[] = {
    [T_ADMIN_DEFAULT_SA] = {"Policy:Kubernetes/AdminAccessToDefaultServiceAccount", 8.0,
                            "Default service account granted admin access in EKS cluster %s",
                            "A role binding gave administrator rights (admin or cluster-admin) "
                            "to a namespace's default service account, which every pod of the "
                            "namespace that names no other account runs as."},
    [T_ANONYMOUS_GRANTED] = {"Policy:Kubernetes/AnonymousAccessGranted", 8.0,
                             "Anonymous access granted in EKS cluster %s",
                             "A role binding gave a role to system:anonymous or to the group "
                             "system:unauthenticated, so anyone who can reach the cluster's API "
                             "server gets its rights without credentials."},
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

/* What a binding grants to whom, for the finding. */
struct grant {
    struct rp_str role_kind, role_name;
    struct rp_str subject_kind, subject_name, subject_ns;
};

/* The subject is a namespace's default service account. */
static bool default_sa(struct rp_str kind, struct rp_str name)
{
    if (rp_str_eq_cstr(kind, "ServiceAccount")) return rp_str_eq_cstr(name, "default");
    if (!rp_str_eq_cstr(kind, "User") || !rp_str_has_prefix(name, SA_USER_PREFIX)) return false;
    struct rp_str rest = {name.p + sizeof(SA_USER_PREFIX) - 1,
                          name.len - (sizeof(SA_USER_PREFIX) - 1)};
    /* "<namespace>:default" */
    return rest.len > 8 && rp_str_has_suffix(rest, ":default") &&
           memchr(rest.p, ':', rest.len) == rest.p + rest.len - 8;
}

static bool anonymous_subject(struct rp_str kind, struct rp_str name)
{
    return (rp_str_eq_cstr(kind, "User") && rp_str_eq_cstr(name, "system:anonymous")) ||
           (rp_str_eq_cstr(kind, "Group") && rp_str_eq_cstr(name, "system:unauthenticated"));
}

static rp_err emit(struct rp_det_ctx *dc, struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                   struct rp_json_val obj, unsigned t, const struct grant *g, struct rp_errbuf *eb)
{
    struct rp_det_finding f;
    rp_err e = rp_det_k8s_finding_base(w, ev, types[t].type, &f, eb);
    if (e != RP_OK) return e;
    const char *name = NULL, *ns = NULL;
    rp_det_k8s_obj_name(w, ev, obj, &name, &ns);
    f.evidence_key = rp_arena_printf(&w->a, "%s/%s", ns ? ns : "", name ? name : "");
    struct rp_buf b;
    rp_buf_init(&b, 16 * 1024);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, &b);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "RoleBindingKind",
                          rp_str_eq_cstr(rp_det_str(ev, RP_K8S_RESOURCE), "clusterrolebindings")
                              ? "ClusterRoleBinding"
                              : "RoleBinding");
    rp_json_write_kv_cstr(&jw, "RoleBindingName", name ? name : "");
    if (ns) rp_json_write_kv_cstr(&jw, "RoleBindingNamespace", ns);
    rp_json_write_kv_str(&jw, "RoleRefKind", g->role_kind.p ? g->role_kind.p : "",
                         g->role_kind.len);
    rp_json_write_kv_str(&jw, "RoleRefName", g->role_name.p, g->role_name.len);
    rp_json_write_kv_str(&jw, "SubjectKind", g->subject_kind.p, g->subject_kind.len);
    rp_json_write_kv_str(&jw, "SubjectName", g->subject_name.p, g->subject_name.len);
    if (g->subject_ns.len || (ns && rp_str_eq_cstr(g->subject_kind, "ServiceAccount")))
        rp_json_write_kv_str(&jw, "SubjectNamespace", g->subject_ns.len ? g->subject_ns.p : ns,
                             g->subject_ns.len ? g->subject_ns.len : strlen(ns));
    rp_json_write_obj_end(&jw);
    e = rp_json_writer_finish(&jw);
    if (e == RP_OK) f.additional_json = rp_arena_memdup(&w->a, b.data, b.len);
    rp_buf_release(&b);
    if (e == RP_ENOMEM || !f.evidence_key || (e == RP_OK && !f.additional_json))
        return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    return rp_det_emit(dc, &f, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_det_k8s_work *w = state;
    if (!rp_det_k8s_final(w, ev)) return RP_OK;
    struct rp_str sub = rp_det_str(ev, RP_K8S_SUBRESOURCE);
    if (!rp_det_k8s_word_in("create update patch", rp_det_str(ev, RP_K8S_VERB)) ||
        !rp_det_k8s_word_in("rolebindings clusterrolebindings", rp_det_str(ev, RP_K8S_RESOURCE)) ||
        sub.len)
        return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_ok(rp_det_k8s_code(w, ev))) return RP_OK;
    struct rp_json_val obj, ref, subjects, s;
    rp_err e = rp_det_k8s_object(w, ev, &obj);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "detect: k8s: out of memory");
    if (e != RP_OK) return RP_OK;
    struct grant g = {0};
    struct rp_json_iter it;
    if (rp_json_obj_get(obj, "roleRef", &ref) != RP_OK ||
        rp_json_obj_get_str(ref, "name", &g.role_name) != RP_OK ||
        rp_json_obj_get(obj, "subjects", &subjects) != RP_OK ||
        rp_json_arr_iter(subjects, &it) != RP_OK)
        return RP_OK;
    if (rp_json_obj_get_str(ref, "kind", &g.role_kind) != RP_OK)
        g.role_kind = (struct rp_str){NULL, 0};
    bool admin = (!g.role_kind.p || rp_str_eq_cstr(g.role_kind, "ClusterRole")) &&
                 rp_det_k8s_word_in(admin_roles, g.role_name);
    bool benign_anon = rp_det_k8s_word_in(default_anonymous_roles, g.role_name);
    bool done[RP_ARRAY_LEN(types)] = {false};
    while (rp_json_arr_next(&it, &s)) {
        struct grant gs = g;
        if (rp_json_obj_get_str(s, "kind", &gs.subject_kind) != RP_OK ||
            rp_json_obj_get_str(s, "name", &gs.subject_name) != RP_OK)
            continue;
        if (rp_json_obj_get_str(s, "namespace", &gs.subject_ns) != RP_OK)
            gs.subject_ns = (struct rp_str){NULL, 0};
        unsigned t;
        if (admin && default_sa(gs.subject_kind, gs.subject_name))
            t = T_ADMIN_DEFAULT_SA;
        else if (!benign_anon && anonymous_subject(gs.subject_kind, gs.subject_name))
            t = T_ANONYMOUS_GRANTED;
        else
            continue;
        if (done[t]) continue;
        done[t] = true;
        e = emit(dc, w, ev, obj, t, &gs, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

const struct rp_detector rp_det_k8s_binding = {
    .id = "k8s.binding",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "role bindings granting admin to a default service account or access to anonymous",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
