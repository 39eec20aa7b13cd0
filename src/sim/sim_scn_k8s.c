/* SPDX-License-Identifier: Apache-2.0 */
/* Attack scenarios whose evidence is the EKS audit log (sim_scenarios.def): anonymous requests
 * that succeed, exec into a kube-system pod, a privileged container, a pod mounting the host's
 * root file system, cluster-admin bound to a namespace's default service account, and a role
 * binding granting access to system:anonymous.
 *
 * Each scenario builds its audit events at plan time (struct rp_sim_k8s_event, strings in the
 * world's arena) and emits them at their times through a step series; identities follow the
 * activity generator's conventions (IAM users mapped by the EKS authenticator with user.extra,
 * "ci-deploy" for the CI role, kubectl user agents). */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL

#define KUBECTL "kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9"

#define LIST(t, field, arr)                                                                        \
    do {                                                                                           \
        (t).field = (arr);                                                                         \
        (t).n##field = RP_ARRAY_LEN(arr);                                                          \
    } while (0)

struct k8s_plan {
    struct rp_sim_rng r;
    struct rp_sim_k8s_event *ev;
    uint32_t n, cap;
    bool oom;
    struct rp_sim_k8s_event sink; /* handed out past cap, never emitted */
};

static rp_err k8s_step(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts,
                       struct rp_errbuf *eb)
{
    struct k8s_plan *p = ctx;
    struct rp_sim_k8s_event e = p->ev[i];
    e.ts_ms = ts;
    return rp_sim_k8s_event_emit(run, &e, &p->r, eb);
}

static struct k8s_plan *plan_new(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                 uint32_t cap)
{
    struct k8s_plan *p = rp_sim_scn_alloc(run, sizeof(*p));
    if (!p) return NULL;
    p->ev = rp_sim_scn_alloc(run, (size_t)cap * sizeof(*p->ev));
    if (!p->ev) return NULL;
    p->cap = cap;
    rp_sim_rng_initf(&p->r, run->seed, "scn/%s/k8s", self->id);
    return p;
}

/* A new event at ts (a copy of tpl when not NULL). */
static struct rp_sim_k8s_event *add(struct k8s_plan *p, const struct rp_sim_k8s_event *tpl,
                                    uint32_t eks, int64_t ts, const char *verb)
{
    if (p->n == p->cap) {
        p->oom = true;
        return &p->sink;
    }
    struct rp_sim_k8s_event *e = &p->ev[p->n++];
    if (tpl)
        *e = *tpl;
    else
        rp_sim_k8s_event_init(e, eks, ts, verb);
    e->eks = eks;
    e->ts_ms = ts;
    e->verb = verb;
    return e;
}

static rp_err start(struct rp_sim_run *run, struct k8s_plan *p, struct rp_sim_scn_series **out,
                    struct rp_errbuf *eb)
{
    if (p->oom) return rp_fail(eb, RP_EINTERNAL, "simulate: too many audit events planned");
    struct rp_sim_scn_series *s = rp_sim_scn_series_new(run, p->n, k8s_step, p);
    if (!s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    for (uint32_t i = 0; i < p->n; i++) s->times[i] = p->ev[i].ts_ms;
    *out = s;
    return rp_sim_scn_series_start(run, s, eb);
}

static bool f_audited(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_eks *k = &w->eks[i];
    return k->audit_logging && k->nnodes > 0 &&
           rp_sim_scn_user_of(w, k->res.acct, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

/* An IAM user mapped into the cluster: identity fields of the template event. */
static void iam_identity(struct rp_sim_run *run, struct rp_sim_k8s_event *e, uint32_t user,
                         const char *ip, bool admin)
{
    const struct rp_sim_user *u = &run->world->users[user];
    e->username = rp_sim_scn_dup(run, u->res.name);
    rp_sim_k8s_event_group(e, admin ? "system:masters" : "developers");
    rp_sim_k8s_event_group(e, "system:authenticated");
    e->extra_arn = rp_sim_scn_dup(run, u->res.arn);
    e->extra_principal = rp_sim_scn_dup(run, u->res.id);
    e->extra_session = "";
    for (uint32_t k = 0; k < u->nkeys; k++)
        if (u->keys[k].active) {
            e->extra_access_key = rp_sim_scn_dup(run, u->keys[k].id);
            break;
        }
    rp_sim_k8s_event_source_ip(e, rp_sim_scn_dup(run, ip));
    e->user_agent = KUBECTL;
    e->authz_reason = admin ? "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of "
                              "ClusterRole \"cluster-admin\" to Group \"system:masters\""
                            : "RBAC: allowed by RoleBinding \"developers-edit\" of ClusterRole "
                              "\"edit\" to Group \"developers\"";
}

static const char *user_ip(const struct rp_sim_world *w, uint32_t user)
{
    const struct rp_sim_user *u = &w->users[user];
    return u->habits.nips > 1 ? u->habits.ips[1] : u->habits.nips ? u->habits.ips[0] : "10.0.0.10";
}

/* The name of a pod of a node-level kube-system DaemonSet ("aws-node-7x2kq"). */
static const char *ds_pod(struct rp_sim_run *run, struct rp_sim_rng *r, const char *ds)
{
    char sfx[6];
    rp_sim_rng_chars(r, sfx, 5, "bcdfghjklmnpqrstvwxz2456789");
    return rp_sim_scn_printf(run, "%s-%s", ds, sfx);
}

static void ent_cluster(struct rp_sim_scn_list *l, const struct rp_sim_world *w, uint32_t eks)
{
    rp_sim_scn_list_add(l, w->eks[eks].res.arn);
}

/* ---- k8s-anonymous-access ------------------------------------------------------------------- */

static bool f_vpc_instance_of(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    return in->vpc == *(const uint32_t *)arg && in->eks == RP_SIM_NONE &&
           in->workload == RP_SIM_WL_WEB;
}

static rp_err plan_anonymous(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                             struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "scn/%s", self->id);
    uint32_t eks = rp_sim_scn_pick(run, RP_SIM_K_EKS, &r, f_audited, NULL);
    int64_t t0 = 0;
    if (eks == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    uint32_t vpc = w->eks[eks].vpc;
    uint32_t src = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, &r, f_vpc_instance_of, &vpc);
    struct k8s_plan *p = plan_new(run, self, 32);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    /* from a compromised web host inside the VPC (the private endpoint) */
    const char *ip =
        rp_sim_scn_dup(run, src != RP_SIM_NONE ? w->instances[src].private_ip : "10.0.8.15");
    struct rp_sim_k8s_event tpl;
    rp_sim_k8s_event_init(&tpl, eks, t0, "get");
    tpl.username = "system:anonymous";
    rp_sim_k8s_event_group(&tpl, "system:unauthenticated");
    rp_sim_k8s_event_source_ip(&tpl, ip);
    tpl.user_agent = "curl/7.88.1";
    tpl.authz_reason = "RBAC: allowed by ClusterRoleBinding \"legacy-anonymous-read\" of "
                       "ClusterRole \"edit\" to User \"system:anonymous\"";
    int64_t t = t0;
    struct rp_sim_k8s_event *e = add(p, &tpl, eks, t, "get");
    e->request_uri = "/version";
    e->authz_reason = "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of "
                      "ClusterRole \"system:public-info-viewer\" to Group "
                      "\"system:unauthenticated\"";
    t += rp_sim_rng_range(&r, 2, 10) * SEC;
    e = add(p, &tpl, eks, t, "list");
    e->resource = "namespaces";
    t += rp_sim_rng_range(&r, 2, 10) * SEC;
    e = add(p, &tpl, eks, t, "list");
    e->resource = "pods";
    static const char *const nss[] = {"shop", "payments", "kube-system", "monitoring"};
    for (unsigned k = 0; k < RP_ARRAY_LEN(nss); k++) {
        t += rp_sim_rng_range(&r, 2, 15) * SEC;
        e = add(p, &tpl, eks, t, "list");
        e->resource = "secrets";
        e->ns = nss[k];
        t += rp_sim_rng_range(&r, 1, 5) * SEC;
        e = add(p, &tpl, eks, t, "list");
        e->resource = "configmaps";
        e->ns = nss[k];
    }
    static const char *const secrets[][2] = {{"payments", "stripe-credentials"},
                                             {"shop", "orders-db"},
                                             {"kube-system", "aws-load-balancer-tls"}};
    for (unsigned k = 0; k < RP_ARRAY_LEN(secrets); k++) {
        t += rp_sim_rng_range(&r, 2, 15) * SEC;
        e = add(p, &tpl, eks, t, "get");
        e->resource = "secrets";
        e->ns = secrets[k][0];
        e->name = secrets[k][1];
    }
    t += rp_sim_rng_range(&r, 2, 15) * SEC;
    e = add(p, &tpl, eks, t, "list");
    e->resource = "serviceaccounts";
    struct rp_sim_scn_series *s = NULL;
    rp_err er = start(run, p, &s, eb);
    if (er != RP_OK) return er;
    static const char *const gd[] = {"Discovery:Kubernetes/SuccessfulAnonymousAccess",
                                     "CredentialAccess:Kubernetes/SuccessfulAnonymousAccess"};
    struct rp_sim_scn_list ent = {0};
    ent_cluster(&ent, w, eks);
    rp_sim_scn_list_add(&ent, "system:anonymous");
    rp_sim_scn_list_add(&ent, ip);
    if (src != RP_SIM_NONE) rp_sim_scn_list_add(&ent, w->instances[src].res.id);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "unauthenticated requests (system:anonymous) list namespaces, pods, configmaps and "
              "secrets and read three secrets, all allowed by an old binding";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_k8s_anonymous_access = {
    .id = "k8s-anonymous-access",
    .summary = "system:anonymous lists pods and reads secrets successfully",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1613",
    .plan = plan_anonymous,
    .expects = RP_SIM_EXPECTS("GuardDuty:Discovery:Kubernetes/SuccessfulAnonymousAccess",
                              "GuardDuty:CredentialAccess:Kubernetes/SuccessfulAnonymousAccess"),
};

/* ---- k8s-exec-kube-system-pod --------------------------------------------------------------- */

static rp_err plan_exec(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "scn/%s", self->id);
    uint32_t eks = rp_sim_scn_pick(run, RP_SIM_K_EKS, &r, f_audited, NULL);
    int64_t t0 = 0;
    if (eks == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    uint32_t user = rp_sim_scn_user_of(w, w->eks[eks].res.acct, RP_SIM_USER_ADMIN);
    struct k8s_plan *p = plan_new(run, self, 16);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    const char *ip = user_ip(w, user);
    struct rp_sim_k8s_event tpl;
    rp_sim_k8s_event_init(&tpl, eks, t0, "get");
    iam_identity(run, &tpl, user, ip, true);
    const char *pod = ds_pod(run, &r, "aws-node");
    int64_t t = t0;
    struct rp_sim_k8s_event *e = add(p, &tpl, eks, t, "list");
    e->resource = "pods";
    e->ns = "kube-system";
    t += rp_sim_rng_range(&r, 5, 30) * SEC;
    e = add(p, &tpl, eks, t, "get");
    e->resource = "pods";
    e->ns = "kube-system";
    e->name = pod;
    static const char *const cmds[] = {
        "command=sh&command=-c&command=cat+%2Fhost%2Fetc%2Feks%2Fbootstrap.sh",
        ("command=sh&command=-c&command=curl+-s+http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-"
         "data%2Fiam%2Fsecurity-credentials%2F"),
        "command=sh"};
    for (unsigned k = 0; k < RP_ARRAY_LEN(cmds); k++) {
        t += rp_sim_rng_range(&r, 10, 60) * SEC;
        e = add(p, &tpl, eks, t, "create");
        e->resource = "pods";
        e->subresource = "exec";
        e->ns = "kube-system";
        e->name = pod;
        e->code = 101;
        e->request_uri = rp_sim_scn_printf(run,
                                           "/api/v1/namespaces/kube-system/pods/%s/exec?%s&"
                                           "container=aws-node&stdin=true&stdout=true&tty=%s",
                                           pod, cmds[k], k == 2 ? "true" : "false");
    }
    struct rp_sim_scn_series *s = NULL;
    rp_err er = start(run, p, &s, eb);
    if (er != RP_OK) return er;
    static const char *const gd[] = {"Execution:Kubernetes/ExecInKubeSystemPod"};
    struct rp_sim_scn_list ent = {0};
    ent_cluster(&ent, w, eks);
    rp_sim_scn_list_add(&ent, w->users[user].res.arn);
    rp_sim_scn_list_add(&ent, pod);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "three exec sessions into the VPC CNI pod in kube-system (reading the node's "
              "bootstrap script and the node role's credentials from the metadata service)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_k8s_exec_kube_system_pod = {
    .id = "k8s-exec-kube-system-pod",
    .summary = "exec into a kube-system pod",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1609",
    .plan = plan_exec,
    .expects = RP_SIM_EXPECTS("GuardDuty:Execution:Kubernetes/ExecInKubeSystemPod"),
};

/* ---- k8s-privileged-container / k8s-sensitive-hostpath-mount ------------------------------- */

static rp_err plan_pod(struct rp_sim_run *run, const struct rp_sim_scenario *self, bool hostpath,
                       struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "scn/%s", self->id);
    uint32_t eks = rp_sim_scn_pick(run, RP_SIM_K_EKS, &r, f_audited, NULL);
    int64_t t0 = 0;
    if (eks == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    const struct rp_sim_eks *k = &w->eks[eks];
    uint32_t acct = k->res.acct;
    uint32_t user = rp_sim_scn_user_of(w, acct, RP_SIM_USER_DEVELOPER);
    if (user == RP_SIM_NONE) user = rp_sim_scn_user_of(w, acct, RP_SIM_USER_ADMIN);
    struct k8s_plan *p = plan_new(run, self, 16);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    const char *ip = user_ip(w, user);
    struct rp_sim_k8s_event tpl;
    rp_sim_k8s_event_init(&tpl, eks, t0, "get");
    iam_identity(run, &tpl, user, ip, false);
    char sfx[6];
    rp_sim_rng_chars(&r, sfx, 5, "bcdfghjklmnpqrstvwxz2456789");
    const char *ns = hostpath ? "monitoring" : "shop";
    const char *name =
        rp_sim_scn_printf(run, hostpath ? "node-exporter-debug-%s" : "debug-%s", sfx);
    const char *image =
        hostpath ? "docker.io/library/busybox:1.36" : "docker.io/library/alpine:3.19";
    const char *body =
        hostpath
            ? rp_sim_scn_printf(
                  run,
                  "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\","
                  "\"namespace\":\"%s\"},\"spec\":{\"volumes\":[{\"name\":\"host-root\","
                  "\"hostPath\":{\"path\":\"/\",\"type\":\"Directory\"}},{\"name\":\"host-etc\","
                  "\"hostPath\":{\"path\":\"/etc\"}}],\"containers\":[{\"name\":\"shell\","
                  "\"image\":\"%s\",\"command\":[\"sleep\",\"86400\"],\"volumeMounts\":[{"
                  "\"name\":\"host-root\",\"mountPath\":\"/host\"},{\"name\":\"host-etc\","
                  "\"mountPath\":\"/host-etc\",\"readOnly\":false}]}],\"restartPolicy\":"
                  "\"Always\"}}",
                  name, ns, image)
            : rp_sim_scn_printf(
                  run,
                  "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\","
                  "\"namespace\":\"%s\"},\"spec\":{\"hostPID\":true,\"hostNetwork\":true,"
                  "\"containers\":[{\"name\":\"debug\",\"image\":\"%s\",\"command\":[\"nsenter\","
                  "\"--target\",\"1\",\"--mount\",\"--uts\",\"--ipc\",\"--net\",\"--pid\",\"--\","
                  "\"sh\"],\"stdin\":true,\"tty\":true,\"securityContext\":{\"privileged\":true}}"
                  "]}}",
                  name, ns, image);
    int64_t t = t0;
    struct rp_sim_k8s_event *e = add(p, &tpl, eks, t, "create");
    e->resource = "pods";
    e->ns = ns;
    e->name = name;
    e->request_object = body;
    e->level = "Request";
    e->pod_security = "privileged:latest";
    t += rp_sim_rng_range(&r, 2, 8) * SEC;
    e = add(p, &tpl, eks, t, "get");
    e->resource = "pods";
    e->ns = ns;
    e->name = name;
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    e = add(p, &tpl, eks, t, "create");
    e->resource = "pods";
    e->subresource = "attach";
    e->ns = ns;
    e->name = name;
    e->code = 101;
    e->request_uri = rp_sim_scn_printf(run,
                                       "/api/v1/namespaces/%s/pods/%s/attach?container=%s&stdin="
                                       "true&stdout=true&tty=true",
                                       ns, name, hostpath ? "shell" : "debug");
    struct rp_sim_scn_series *s = NULL;
    rp_err er = start(run, p, &s, eb);
    if (er != RP_OK) return er;
    static const char *const gd_priv[] = {"PrivilegeEscalation:Kubernetes/PrivilegedContainer"};
    static const char *const gd_host[] = {"Persistence:Kubernetes/ContainerWithSensitiveMount"};
    struct rp_sim_scn_list ent = {0};
    ent_cluster(&ent, w, eks);
    rp_sim_scn_list_add(&ent, w->users[user].res.arn);
    rp_sim_scn_list_add(&ent, rp_sim_scn_printf(run, "%s/%s", ns, name));
    rp_sim_scn_list_add(&ent, image);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    tr.guardduty = hostpath ? gd_host : gd_priv;
    tr.nguardduty = 1;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = hostpath
                  ? "a pod mounts the node's / and /etc writable (hostPath volumes); its creator "
                    "attaches to it"
                  : "a pod with privileged: true, hostPID and hostNetwork from an image never "
                    "run privileged in the cluster, entering the node's namespaces";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

static rp_err plan_privileged(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                              struct rp_errbuf *eb)
{
    return plan_pod(run, self, false, eb);
}

static rp_err plan_hostpath(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    return plan_pod(run, self, true, eb);
}

const struct rp_sim_scenario rp_sim_scn_k8s_privileged_container = {
    .id = "k8s-privileged-container",
    .summary = "a privileged container that enters the node's namespaces",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1611",
    .plan = plan_privileged,
    .expects = RP_SIM_EXPECTS("GuardDuty:PrivilegeEscalation:Kubernetes/PrivilegedContainer"),
};

const struct rp_sim_scenario rp_sim_scn_k8s_sensitive_hostpath_mount = {
    .id = "k8s-sensitive-hostpath-mount",
    .summary = "a pod mounting the node's root file system writable",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1611",
    .plan = plan_hostpath,
    .expects = RP_SIM_EXPECTS("GuardDuty:Persistence:Kubernetes/ContainerWithSensitiveMount"),
};

/* ---- k8s-default-sa-cluster-admin / k8s-anonymous-role-binding ------------------------------ */

static rp_err plan_binding(struct rp_sim_run *run, const struct rp_sim_scenario *self, bool anon,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "scn/%s", self->id);
    uint32_t eks = rp_sim_scn_pick(run, RP_SIM_K_EKS, &r, f_audited, NULL);
    int64_t t0 = 0;
    if (eks == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    uint32_t user = rp_sim_scn_user_of(w, w->eks[eks].res.acct, RP_SIM_USER_ADMIN);
    struct k8s_plan *p = plan_new(run, self, 8);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    const char *ip = user_ip(w, user);
    struct rp_sim_k8s_event tpl;
    rp_sim_k8s_event_init(&tpl, eks, t0, "get");
    iam_identity(run, &tpl, user, ip, true);
    const char *ns = anon ? NULL : (rp_sim_rng_chance(&r, 500) ? "shop" : "payments");
    const char *name = anon ? "anonymous-view" : rp_sim_scn_printf(run, "%s-default-admin", ns);
    const char *body =
        anon ? rp_sim_scn_printf(run,
                                 "{\"kind\":\"ClusterRoleBinding\",\"apiVersion\":\"rbac."
                                 "authorization.k8s.io/v1\",\"metadata\":{\"name\":\"%s\"},"
                                 "\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac."
                                 "authorization.k8s.io\",\"name\":\"system:anonymous\"}],"
                                 "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                                 "\"kind\":\"ClusterRole\",\"name\":\"view\"}}",
                                 name)
             : rp_sim_scn_printf(run,
                                 "{\"kind\":\"ClusterRoleBinding\",\"apiVersion\":\"rbac."
                                 "authorization.k8s.io/v1\",\"metadata\":{\"name\":\"%s\"},"
                                 "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"default\","
                                 "\"namespace\":\"%s\"}],\"roleRef\":{\"apiGroup\":\"rbac."
                                 "authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":"
                                 "\"cluster-admin\"}}",
                                 name, ns);
    int64_t t = t0;
    struct rp_sim_k8s_event *e = add(p, &tpl, eks, t, "list");
    e->resource = "clusterrolebindings";
    e->api_group = "rbac.authorization.k8s.io";
    t += rp_sim_rng_range(&r, 20, 90) * SEC;
    e = add(p, &tpl, eks, t, "create");
    e->resource = "clusterrolebindings";
    e->api_group = "rbac.authorization.k8s.io";
    e->name = name;
    e->request_object = body;
    e->level = "RequestResponse";
    e->response_object = body;
    t += rp_sim_rng_range(&r, 5, 20) * SEC;
    e = add(p, &tpl, eks, t, "get");
    e->resource = "clusterrolebindings";
    e->api_group = "rbac.authorization.k8s.io";
    e->name = name;
    struct rp_sim_scn_series *s = NULL;
    rp_err er = start(run, p, &s, eb);
    if (er != RP_OK) return er;
    static const char *const gd_anon[] = {"Policy:Kubernetes/AnonymousAccessGranted"};
    static const char *const gd_sa[] = {"Policy:Kubernetes/AdminAccessToDefaultServiceAccount"};
    struct rp_sim_scn_list ent = {0};
    ent_cluster(&ent, w, eks);
    rp_sim_scn_list_add(&ent, w->users[user].res.arn);
    rp_sim_scn_list_add(&ent, name);
    rp_sim_scn_list_add(&ent, anon
                                  ? "system:anonymous"
                                  : rp_sim_scn_printf(run, "system:serviceaccount:%s:default", ns));
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = rp_sim_scn_series_end(s);
    tr.guardduty = anon ? gd_anon : gd_sa;
    tr.nguardduty = 1;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = anon ? "a ClusterRoleBinding grants ClusterRole view to User system:anonymous"
                   : "a ClusterRoleBinding grants cluster-admin to a namespace's default "
                     "service account";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

static rp_err plan_default_sa(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                              struct rp_errbuf *eb)
{
    return plan_binding(run, self, false, eb);
}

static rp_err plan_anon_binding(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                struct rp_errbuf *eb)
{
    return plan_binding(run, self, true, eb);
}

const struct rp_sim_scenario rp_sim_scn_k8s_default_sa_cluster_admin = {
    .id = "k8s-default-sa-cluster-admin",
    .summary = "cluster-admin bound to a namespace's default service account",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1098.006",
    .plan = plan_default_sa,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:Kubernetes/AdminAccessToDefaultServiceAccount"),
};

const struct rp_sim_scenario rp_sim_scn_k8s_anonymous_role_binding = {
    .id = "k8s-anonymous-role-binding",
    .summary = "a role binding granting access to system:anonymous",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1098.006",
    .plan = plan_anon_binding,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:Kubernetes/AnonymousAccessGranted"),
};
