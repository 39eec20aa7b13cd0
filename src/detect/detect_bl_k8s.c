/* SPDX-License-Identifier: Apache-2.0 */
/* Behavioural baseline of Kubernetes users per cluster (DESIGN.md §6 kind 3): GuardDuty's
 * Kubernetes AnomalousBehavior types that an audit log shows by itself (aws-facts §4.7):
 * CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed,
 * Execution:Kubernetes/AnomalousBehavior.ExecInPod,
 * PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleBindingCreated and .RoleCreated,
 * Discovery:Kubernetes/AnomalousBehavior.PermissionChecked.
 *
 * Entity: a user of a cluster ("<cluster>/<username>": a person mapped from IAM, a service
 * account, a node). Profile (model "k8s", struct k8s_ent, 848 bytes plus the key): 32
 * actions ("<verb> <resource>[/<subresource>]"), 16 namespaces, 8 source networks, 4
 * user-agent families, a spill filter.
 *
 * After the user's learning period a successful request is anomalous when its action is one
 * of the kinds above, the user never made it (not habitual), and the request is unusual in one
 * more way: a source network, a user-agent family or a namespace the user never used.
 * Anonymous requests (the SuccessfulAnonymousAccess types), requests from threat-listed
 * addresses (the MaliciousIPCaller / TorIPCaller types) and from trusted ones raise nothing. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "detect/detect_bl_engine.h"
#include "detect/detect_k8s_common.h"
#include "core/rp_banned.h"

/* ---- finding types ------------------------------------------------------------------------- */

enum { T_SECRETS, T_EXEC, T_BINDING, T_ROLE, T_PERMS, T__N };

static const struct rp_det_type types[] = {
    [T_SECRETS] = {"CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed", 5.0,
                   "Anomalous access to Kubernetes secrets in EKS cluster %s",
                   "A user read secrets of the cluster in a way its baseline does not explain: it "
                   "never did, from a network, tool or namespace it does not use."},
    [T_EXEC] =
        {"Execution:Kubernetes/AnomalousBehavior.ExecInPod", 5.0,
         "Anomalous command execution inside a pod of EKS cluster %s",
         "A user ran a command in a pod (pods/exec) in a way its baseline does not explain."},
    [T_BINDING] = {"PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleBindingCreated", 5.0,
                   "Anomalous role binding created or changed in EKS cluster %s",
                   "A user created or changed a RoleBinding or ClusterRoleBinding in a way its "
                   "baseline does not explain, which may grant it more permissions."},
    [T_ROLE] = {"PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleCreated", 5.0,
                "Anomalous role created or changed in EKS cluster %s",
                "A user created or changed a Role or ClusterRole in a way its baseline does not "
                "explain."},
    [T_PERMS] = {"Discovery:Kubernetes/AnomalousBehavior.PermissionChecked", 2.0,
                 "Anomalous permission checks in EKS cluster %s",
                 "A user asked the API server what it may do (access or rules reviews) in a way "
                 "its baseline does not explain: probing its permissions."},
};

/* The kind of a request: verb and resource decide. */
static int kind_of(struct rp_str verb, struct rp_str res, struct rp_str sub)
{
    if (rp_str_eq_cstr(res, "secrets") && !sub.len)
        return rp_det_k8s_word_in("get list watch", verb) ? T_SECRETS : -1;
    if (rp_str_eq_cstr(res, "pods") && rp_str_eq_cstr(sub, "exec"))
        return rp_det_k8s_word_in("create get", verb) ? T_EXEC : -1;
    bool write = rp_det_k8s_word_in("create update patch", verb);
    if (rp_det_k8s_word_in("rolebindings clusterrolebindings", res) && !sub.len)
        return write ? T_BINDING : -1;
    if (rp_det_k8s_word_in("roles clusterroles", res) && !sub.len) return write ? T_ROLE : -1;
    if (rp_det_k8s_word_in("selfsubjectaccessreviews selfsubjectrulesreviews "
                           "subjectaccessreviews localsubjectaccessreviews",
                           res))
        return rp_str_eq_cstr(verb, "create") ? T_PERMS : -1;
    return -1;
}

/* ---- the profile --------------------------------------------------------------------------- */

#define NACT 32
#define NNS  16
#define NNET 8
#define NUA  4

enum dim { D_ACT, D_NS, D_NET, D_UA, D__N };

struct k8s_ent {
    struct rp_bl_ent h;
    struct rp_bl_val act[NACT], ns[NNS], net[NNET], ua[NUA];
    uint8_t spill[RP_BL_SPILL_BYTES];
};

struct k8s {
    struct rp_bl_common c; /* first: the engine allocates and frees the state */
    struct rp_det_k8s_work w;
};

static const struct rp_bl_slot dims[D__N] = {
    [D_ACT] = {offsetof(struct k8s_ent, act), NACT},
    [D_NS] = {offsetof(struct k8s_ent, ns), NNS},
    [D_NET] = {offsetof(struct k8s_ent, net), NNET},
    [D_UA] = {offsetof(struct k8s_ent, ua), NUA},
};

static struct rp_bl_set set_of(struct k8s *s, struct k8s_ent *e, enum dim d)
{
    return rp_bl_set_at(&s->c, dims, (unsigned)d, e, e->spill);
}

static rp_err encode(void *ctx, const struct rp_bl_ent *he, struct rp_buf *w)
{
    struct k8s *s = ctx;
    struct k8s_ent *e = (struct k8s_ent *)(void *)he;
    rp_err err = rp_bl_put_sets(w, &s->c, dims, D__N, e, e->spill);
    return err ? err : rp_buf_append(w, e->spill, sizeof(e->spill));
}

static bool decode(void *ctx, struct rp_bl_ent *he, const uint8_t *p, size_t n)
{
    struct k8s *s = ctx;
    struct k8s_ent *e = (struct k8s_ent *)(void *)he;
    struct rp_bl_rd r = {p, n, 0, false};
    rp_bl_get_sets(&r, &s->c, dims, D__N, e, e->spill);
    for (size_t i = 0; i < sizeof(e->spill); i++) e->spill[i] = rp_bl_get_u8(&r);
    return !r.bad && r.off == r.n;
}

static const struct rp_bl_model model = {
    .name = "k8s",
    .ent_size = sizeof(struct k8s_ent),
    .version = 1,
    .encode = encode,
    .decode = decode,
};

/* ---- detector ------------------------------------------------------------------------------ */

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    rp_err err = rp_bl_state_new(dc, sizeof(struct k8s), state, eb);
    if (err) return err;
    struct k8s *s = *state;
    err = rp_det_k8s_work_init(&s->w, eb);
    return err ? err : rp_bl_common_table(&s->c, &model, s, eb);
}

static void release(void *state)
{
    struct k8s *s = state;
    if (s) rp_det_k8s_work_release(&s->w);
    rp_bl_state_free(s);
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    (void)dc;
    struct k8s *s = state;
    return rp_bl_common_finish(&s->c, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct k8s *s = state;
    rp_det_k8s_work_reset(&s->w);
    if (!rp_det_k8s_final(&s->w, ev) || rp_det_k8s_unauthenticated(&s->w, ev)) return RP_OK;
    struct rp_str user = rp_det_str(ev, RP_K8S_USERNAME), uj = rp_det_str(ev, RP_K8S_USER);
    struct rp_json_val root;
    if ((!user.p || !user.len) && uj.p &&
        rp_json_parse(s->w.small, uj.p, uj.len, &root, NULL) == RP_OK &&
        rp_json_obj_get_str(root, "username", &user) != RP_OK)
        user = (struct rp_str){NULL, 0};
    if (!user.p || !user.len) return RP_OK;
    struct rp_str verb = rp_det_str(ev, RP_K8S_VERB), res = rp_det_str(ev, RP_K8S_RESOURCE);
    struct rp_str sub = rp_det_str(ev, RP_K8S_SUBRESOURCE), ns = rp_det_str(ev, RP_K8S_NAMESPACE);
    if (!verb.p || !verb.len) return RP_OK;
    if (!sub.p) sub = (struct rp_str){"", 0};
    if (!res.p) res = (struct rp_str){"", 0};

    struct rp_ip ip;
    struct rp_str src = rp_det_str(ev, RP_K8S_SRC_IP);
    bool has_ip = src.p && rp_ip_parse(src, &ip, NULL) == RP_OK, trusted = false;
    char net[RP_CIDR_STRBUFSZ] = "", ua[64] = "";
    if (has_ip) {
        struct rp_det_ti_hit hit;
        if (rp_det_ti_ip(dc, &ip, &hit, 1)) return RP_OK; /* the threat-list types own it */
        trusted = rp_det_ti_trusted(dc, &ip);
        if (!rp_bl_network(&ip, net, sizeof(net))) has_ip = false;
    }
    rp_bl_common_ua(&s->c, rp_det_str(ev, RP_K8S_USER_AGENT), ua, sizeof(ua));

    struct rp_str cluster = rp_det_str(ev, RP_K8S_CLUSTER);
    char key[512];
    int kn = snprintf(key, sizeof(key), "%.*s/%.*s", (int)(cluster.len ? cluster.len : 7),
                      cluster.len ? cluster.p : "unknown", (int)user.len, user.p);
    if (kn < 0 || (size_t)kn >= sizeof(key)) return RP_OK;
    char action[160];
    kn = snprintf(action, sizeof(action), "%.*s %.*s%s%.*s", (int)verb.len, verb.p, (int)res.len,
                  res.p, sub.len ? "/" : "", (int)sub.len, sub.p);
    if (kn < 0 || (size_t)kn >= sizeof(action)) return RP_OK;

    rp_err err = RP_OK;
    struct k8s_ent *e =
        (struct k8s_ent *)(void *)rp_bl_common_use(&s->c, rp_str_from(key), ev->time_ms, &err, eb);
    if (!e) return err;
    bool learning = rp_bl_learning(dc, &e->h, ev->time_ms);
    uint32_t id[D__N];
    id[D_ACT] = rp_bl_intern_id(s->c.in, rp_str_from(action));
    id[D_NS] = ns.p && ns.len ? rp_bl_intern_id(s->c.in, ns) : 0;
    id[D_NET] = has_ip ? rp_bl_intern_id(s->c.in, rp_str_from(net)) : 0;
    id[D_UA] = rp_bl_intern_id(s->c.in, rp_str_from(ua));

    int kind = kind_of(verb, res, sub);
    int code = rp_det_k8s_code(&s->w, ev);
    uint32_t unusual[D__N] = {0};
    if (!learning && !trusted && kind >= 0 && rp_det_k8s_ok(code)) {
        for (int d = 0; d < D__N; d++) {
            struct rp_bl_set set = set_of(s, e, (enum dim)d);
            if (id[d] && !rp_bl_set_habitual(&set, id[d])) unusual[d] = id[d];
        }
    }
    if (unusual[D_ACT] && (unusual[D_NS] || unusual[D_NET] || unusual[D_UA])) {
        static const char *const names[D__N] = {"Actions", "Namespaces", "NetworkLocations",
                                                "UserAgents"};
        struct rp_bl_dim d[D__N];
        memset(d, 0, sizeof(d));
        for (int k = 0; k < D__N; k++) {
            struct rp_bl_set set = set_of(s, e, (enum dim)k);
            d[k].name = names[k];
            rp_bl_dim_top(&d[k], &set, 5);
            if (unusual[k]) d[k].unusual[d[k].nunusual++] = rp_bl_intern_str(s->c.in, unusual[k]);
        }
        err = rp_bl_common_anomaly(&s->c, e->h.key, d, D__N, eb);
        if (err) return err;
        struct rp_det_finding f;
        err = rp_det_k8s_finding_base(&s->w, ev, types[kind].type, &f, eb);
        if (err) return err;
        f.evidence_key = e->h.key; /* one finding per user of the cluster */
        if (kind == T_EXEC) {      /* the pod the command ran in */
            f.workload_ns = ns.p && ns.len ? rp_det_k8s_cstr(&s->w, ns) : NULL;
            f.workload_name = rp_det_k8s_cstr(&s->w, rp_det_str(ev, RP_K8S_NAME));
            f.workload_type = "pods";
        }
        err = rp_bl_common_emit(&s->c, &f, eb);
        if (err) return err;
    }
    for (int d = 0; d < D__N; d++) {
        struct rp_bl_set set = set_of(s, e, (enum dim)d);
        (void)rp_bl_set_note(&set, id[d], rp_bl_day(ev->time_ms), learning, NULL);
    }
    return RP_OK;
}

const struct rp_detector rp_det_baseline_k8s = {
    .id = "baseline.k8s",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_BASELINE,
    .summary = "cluster users reading secrets, exec-ing into pods, creating roles or bindings, or "
               "checking their permissions when they never did, from a new network, tool or "
               "namespace",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
