/* SPDX-License-Identifier: Apache-2.0 */
/* sim_gen_k8s: ordinary EKS control-plane audit events (audit.k8s.io/v1, stage
 * ResponseComplete) of every cluster with audit logging.
 *
 * The cluster runs a fixed set of workloads (shop/orders-api, shop/web-frontend,
 * payments/payment-worker, monitoring/prometheus and the kube-system add-ons). Every hour:
 *   - each node's kubelet renews its lease, patches its node status, re-opens its watches,
 *     and requests service-account tokens for its pods;
 *   - the controller manager and the scheduler renew their leader leases, the controllers'
 *     service accounts re-list and watch, CoreDNS, kube-proxy, the VPC CNI, metrics-server and
 *     Prometheus watch what they serve, EKS's own users (eks:*) poll, eks:k8s-metrics reads
 *     /metrics;
 *   - at each CI deploy of the account (rp_sim_act_deploys, the same times as the CloudTrail
 *     pipeline) the CI role, mapped to "ci-deploy", reads and patches a deployment with a new
 *     image; the deployment controller rolls a new ReplicaSet, pods are created, bound and
 *     started, old ones deleted;
 *   - developers (IAM users mapped through aws-auth) list pods, read logs and events, and check
 *     deployments in business hours from their own addresses, now and then forbidden on
 *     cluster-scoped resources.
 * Never here (those are attacks): anonymous requests, exec into kube-system, privileged or
 * host-path pods, role bindings to default service accounts, reads of secrets by people. */
#define RP_LOG_MODULE "sim"
#include <stdio.h>
#include <string.h>

#include "sim/sim_activity.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define H_MS RP_TIME_MS_PER_HOUR
#define MIN  RP_TIME_MS_PER_MIN

struct kg {
    struct rp_sim_run *run;
    const struct rp_sim_world *w;
    struct rp_sim_rng *r;
    int64_t hour;
    uint32_t eks;
    char cp_ip[RP_SIM_IP_SZ]; /* control-plane source address */
    char ver[48];             /* "v1.29.0-eks-5e0fdde" */
    struct rp_errbuf *eb;
};

struct workload {
    const char *ns, *name, *sa;
    uint32_t replicas;
    const char *image; /* repository in the account's ECR, or a public image */
};

static const struct workload workloads[] = {
    {"shop", "orders-api", "orders-api", 3, "orders-api"},
    {"shop", "web-frontend", "web-frontend", 2, "web-frontend"},
    {"payments", "payment-worker", "payment-worker", 2, "payment-worker"},
    {"monitoring", "prometheus", "prometheus", 1, NULL},
    {"kube-system", "coredns", "coredns", 2, NULL},
    {"kube-system", "metrics-server", "metrics-server", 1, NULL},
};
#define NAPPS 3 /* the first NAPPS workloads are deployed by CI */
#define KS    "system:serviceaccounts:kube-system"

static int64_t at(struct kg *g)
{
    return g->hour + (int64_t)rp_sim_rng_below(g->r, 3600) * 1000 + rp_sim_rng_below(g->r, 1000);
}

static int64_t clamp(const struct kg *g, int64_t t)
{
    if (t < g->hour) return g->hour;
    if (t >= g->hour + H_MS) return g->hour + H_MS - 1;
    return t;
}

static rp_err ev(struct kg *g, struct rp_sim_k8s_event *e)
{
    e->ts_ms = clamp(g, e->ts_ms);
    return rp_sim_k8s_event_emit(g->run, e, g->r, g->eb);
}

/* Pod name of replica k of workload wl in ReplicaSet generation gen. */
static void pod_name(const struct kg *g, const struct workload *wl, uint64_t gen, uint32_t k,
                     char *out, size_t sz)
{
    char rs[11], sfx[6];
    uint64_t h = rp_sim_mix(rp_sim_mix(g->w->seed, rp_sim_hash_str(wl->name)), gen);
    rp_sim_suffix(h, "rs", "bcdfghjklmnpqrstvwxz2456789", 10, rs);
    char basis[32];
    snprintf(basis, sizeof(basis), "pod%u", k);
    rp_sim_suffix(h, basis, "bcdfghjklmnpqrstvwxz2456789", 5, sfx);
    snprintf(out, sz, "%s-%s-%s", wl->name, rs, sfx);
}

/* The ReplicaSet generation of workload wl at ms: the number of CI deploys of the account so
 * far this (UTC) day plus the day number, so pods get new names after each rollout. */
static uint64_t generation(const struct kg *g, const struct workload *wl, int64_t ms)
{
    int64_t day = ms - ms % RP_TIME_MS_PER_DAY;
    int64_t t[16];
    uint32_t n = rp_sim_act_deploys(g->w, g->w->eks[g->eks].res.acct, day, t, 16);
    uint64_t gen = (uint64_t)(day / RP_TIME_MS_PER_DAY) * 32;
    for (uint32_t i = 0; i < n; i++)
        if (t[i] + 8 * MIN <= ms &&
            rp_sim_mix(g->w->seed, (uint64_t)t[i]) % NAPPS == (uint64_t)(wl - workloads))
            gen++;
    return gen;
}

/* ---- system users ------------------------------------------------------------------------ */

static void sys_user(struct rp_sim_k8s_event *e, const char *user, const char *ua, const char *ip)
{
    e->username = user;
    e->user_agent = ua;
    rp_sim_k8s_event_source_ip(e, ip);
}

/* The RBAC reason of a system identity's requests: controllers are bound to
 * "system:controller:<name>", add-ons and EKS users to a binding of their own name. */
static void authz_reason(const char *user, char *out, size_t sz)
{
    static const char sa_prefix[] = "system:serviceaccount:";
    if (strncmp(user, sa_prefix, sizeof(sa_prefix) - 1) == 0) {
        const char *ns = user + sizeof(sa_prefix) - 1;
        const char *colon = strchr(ns, ':');
        if (!colon) {
            out[0] = '\0';
            return;
        }
        const char *sa = colon + 1;
        bool ctrl = strncmp(ns, "kube-system:", 12) == 0 && strstr(sa, "-controller") != NULL;
        bool gc = strcmp(sa, "generic-garbage-collector") == 0;
        snprintf(out, sz,
                 "RBAC: allowed by ClusterRoleBinding \"%s%s\" of ClusterRole \"%s%s\" to "
                 "ServiceAccount \"%s/%.*s\"",
                 ctrl || gc ? "system:controller:" : "", sa, ctrl || gc ? "system:controller:" : "",
                 sa, sa, (int)(colon - ns), ns);
        return;
    }
    snprintf(out, sz,
             "RBAC: allowed by ClusterRoleBinding \"%s\" of ClusterRole \"%s\" to User \"%s\"",
             user, user, user);
}

/* A periodic list/watch by a system identity (sa_group: the service account's namespace group,
 * NULL for users that are not service accounts). */
static rp_err sys_watch(struct kg *g, const char *user, const char *ua, const char *ip,
                        const char *sa_group, const char *resource, const char *group,
                        uint32_t per_hour)
{
    rp_err e = RP_OK;
    char reason[384];
    authz_reason(user, reason, sizeof(reason));
    uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(g->w, per_hour));
    for (uint32_t i = 0; i < n && e == RP_OK; i++) {
        struct rp_sim_k8s_event k;
        bool list = rp_sim_rng_chance(g->r, 150);
        rp_sim_k8s_event_init(&k, g->eks, at(g), list ? "list" : "watch");
        sys_user(&k, user, ua, ip);
        if (sa_group) {
            rp_sim_k8s_event_group(&k, "system:serviceaccounts");
            rp_sim_k8s_event_group(&k, sa_group);
        }
        rp_sim_k8s_event_group(&k, "system:authenticated");
        k.resource = resource;
        k.api_group = group;
        k.authz_reason = reason;
        e = ev(g, &k);
    }
    return e;
}

static rp_err lease(struct kg *g, const char *user, const char *ua, const char *ip,
                    const char *group, const char *ns, const char *name, uint32_t every_s)
{
    rp_err e = RP_OK;
    char reason[384];
    authz_reason(user, reason, sizeof(reason));
    every_s /= rp_sim_act_mean(g->w, 1); /* renewed more often on busier control planes */
    int64_t off = (int64_t)(rp_sim_mix(g->w->seed, rp_sim_hash_str(name)) % every_s) * 1000;
    for (int64_t t = g->hour + off; t < g->hour + H_MS && e == RP_OK; t += every_s * 1000) {
        struct rp_sim_k8s_event k;
        rp_sim_k8s_event_init(&k, g->eks, t + rp_sim_rng_below(g->r, 900), "update");
        sys_user(&k, user, ua, ip);
        if (group) rp_sim_k8s_event_group(&k, group);
        rp_sim_k8s_event_group(&k, "system:authenticated");
        k.resource = "leases";
        k.api_group = "coordination.k8s.io";
        k.ns = ns;
        k.name = name;
        k.authz_reason = group ? "" : reason; /* nodes: the Node authorizer gives no reason */
        e = ev(g, &k);
    }
    return e;
}

/* One node's kubelet. */
static rp_err kubelet_hour(struct kg *g, uint32_t inst)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_instance *in = &w->instances[inst];
    if (in->res.deleted_ms || strcmp(in->state, "running") != 0) return RP_OK;
    char user[RP_SIM_DNS_SZ + 16], ua[96], path[512];
    rp_sim_k8s_node_user(w, inst, user, sizeof(user));
    snprintf(ua, sizeof(ua), "kubelet/%s (linux/amd64) kubernetes/5e0fdde", g->ver);
    const char *node = in->private_dns;
    rp_err e = lease(g, user, ua, in->private_ip, "system:nodes", "kube-node-lease", node, 60);
    for (int m = 0; m < 12 && e == RP_OK; m++) {
        struct rp_sim_k8s_event k;
        rp_sim_k8s_event_init(&k, g->eks, g->hour + m * 5 * MIN + rp_sim_rng_below(g->r, 280000),
                              m % 2 ? "get" : "patch");
        sys_user(&k, user, ua, in->private_ip);
        rp_sim_k8s_event_group(&k, "system:nodes");
        rp_sim_k8s_event_group(&k, "system:authenticated");
        k.resource = "nodes";
        k.name = node;
        if (m % 2 == 0) k.subresource = "status";
        k.authz_reason = "";
        e = ev(g, &k);
    }
    static const char *const watched[][2] = {
        {"pods", NULL}, {"services", NULL}, {"nodes", NULL}, {"csidrivers", "storage.k8s.io"}};
    for (size_t i = 0; i < RP_ARRAY_LEN(watched) && e == RP_OK; i++) {
        uint32_t n = (6 + rp_sim_rng_below(g->r, 4)) * rp_sim_act_mean(g->w, 1);
        for (uint32_t j = 0; j < n && e == RP_OK; j++) {
            struct rp_sim_k8s_event k;
            rp_sim_k8s_event_init(&k, g->eks, at(g), "watch");
            sys_user(&k, user, ua, in->private_ip);
            rp_sim_k8s_event_group(&k, "system:nodes");
            rp_sim_k8s_event_group(&k, "system:authenticated");
            k.resource = watched[i][0];
            k.api_group = watched[i][1];
            if (strcmp(watched[i][0], "pods") == 0) {
                snprintf(path, sizeof(path),
                         "/api/v1/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%%3D%s"
                         "&resourceVersion=%u&timeout=7m36s&timeoutSeconds=456&watch=true",
                         node, 4000000 + rp_sim_rng_below(g->r, 900000));
                k.request_uri = path;
            }
            k.authz_reason = "";
            e = ev(g, &k);
        }
    }
    /* projected service-account tokens of the pods it runs (one workload per node slot) */
    for (size_t i = 0; i < RP_ARRAY_LEN(workloads) && e == RP_OK; i++) {
        if ((rp_sim_mix(w->seed, inst * 16 + i) % 3) != 0) continue;
        const struct workload *wl = &workloads[i];
        struct rp_sim_k8s_event k;
        rp_sim_k8s_event_init(&k, g->eks, at(g), "create");
        sys_user(&k, user, ua, in->private_ip);
        rp_sim_k8s_event_group(&k, "system:nodes");
        rp_sim_k8s_event_group(&k, "system:authenticated");
        k.resource = "serviceaccounts";
        k.subresource = "token";
        k.ns = wl->ns;
        k.name = wl->sa;
        k.authz_reason = "";
        e = ev(g, &k);
    }
    return e;
}

/* The control plane's own components and the add-ons. */
static rp_err system_hour(struct kg *g)
{
    char ua_kcm[160], ua_sched[160], ua_proxy[128];
    snprintf(ua_kcm, sizeof(ua_kcm),
             "kube-controller-manager/%s (linux/amd64) kubernetes/5e0fdde/leader-election", g->ver);
    snprintf(ua_sched, sizeof(ua_sched),
             "kube-scheduler/%s (linux/amd64) kubernetes/5e0fdde/leader-election", g->ver);
    snprintf(ua_proxy, sizeof(ua_proxy), "kube-proxy/%s (linux/amd64) kubernetes/5e0fdde", g->ver);
    const char *ip = g->cp_ip;
    rp_err e = lease(g, "system:kube-controller-manager", ua_kcm, ip, NULL, "kube-system",
                     "kube-controller-manager", 30);
    if (e == RP_OK)
        e = lease(g, "system:kube-scheduler", ua_sched, ip, NULL, "kube-system", "kube-scheduler",
                  30);
    static const struct {
        const char *sa, *resource, *group;
    } ctrls[] = {
        {"replicaset-controller", "replicasets", "apps"},
        {"deployment-controller", "deployments", "apps"},
        {"endpointslice-controller", "endpointslices", "discovery.k8s.io"},
        {"namespace-controller", "namespaces", NULL},
        {"generic-garbage-collector", "pods", NULL},
        {"node-controller", "nodes", NULL},
        {"job-controller", "jobs", "batch"},
    };
    char user[128], ua[256];
    for (size_t i = 0; i < RP_ARRAY_LEN(ctrls) && e == RP_OK; i++) {
        snprintf(user, sizeof(user), "system:serviceaccount:kube-system:%s", ctrls[i].sa);
        snprintf(ua, sizeof(ua), "kube-controller-manager/%s (linux/amd64) kubernetes/5e0fdde/%s",
                 g->ver, user);
        e = sys_watch(g, user, ua, ip, KS, ctrls[i].resource, ctrls[i].group, 8);
    }
    /* add-ons on the nodes */
    const struct rp_sim_eks *k = &g->w->eks[g->eks];
    const char *node_ip =
        k->nnodes && k->nodes[0] < g->w->ninstances ? g->w->instances[k->nodes[0]].private_ip : ip;
    const char *node_ip2 = k->nnodes > 1 && k->nodes[1] < g->w->ninstances
                               ? g->w->instances[k->nodes[1]].private_ip
                               : node_ip;
    static const char *const coredns_res[][2] = {
        {"endpointslices", "discovery.k8s.io"}, {"services", NULL}, {"namespaces", NULL}};
    for (size_t i = 0; i < RP_ARRAY_LEN(coredns_res) && e == RP_OK; i++)
        e = sys_watch(g, "system:serviceaccount:kube-system:coredns",
                      "coredns/v0.0.0 (linux/amd64) kubernetes/$Format", node_ip, KS,
                      coredns_res[i][0], coredns_res[i][1], 8);
    for (uint32_t n = 0; n < k->nnodes && e == RP_OK; n++) {
        if (k->nodes[n] >= g->w->ninstances) continue;
        const char *nip = g->w->instances[k->nodes[n]].private_ip;
        e = sys_watch(g, "system:serviceaccount:kube-system:kube-proxy", ua_proxy, nip, KS,
                      "endpointslices", "discovery.k8s.io", 8);
        if (e == RP_OK)
            e = sys_watch(g, "system:serviceaccount:kube-system:kube-proxy", ua_proxy, nip, KS,
                          "services", NULL, 8);
        if (e == RP_OK)
            e = sys_watch(g, "system:serviceaccount:kube-system:aws-node",
                          "amazon-vpc-cni-k8s/v1.16.0 (linux/amd64)", nip, KS, "pods", NULL, 6);
    }
    if (e == RP_OK)
        e = sys_watch(g, "system:serviceaccount:kube-system:metrics-server",
                      "metrics-server/v0.6.4 (linux/amd64) kubernetes/$Format", node_ip2, KS,
                      "nodes", NULL, 8);
    static const char *const prom_res[] = {"pods", "services", "endpoints", "nodes"};
    for (size_t i = 0; i < RP_ARRAY_LEN(prom_res) && e == RP_OK; i++)
        e = sys_watch(g, "system:serviceaccount:monitoring:prometheus", "Prometheus/2.48.1",
                      node_ip2, "system:serviceaccounts:monitoring", prom_res[i], NULL, 7);
    /* the apps read their configuration */
    for (size_t i = 0; i < NAPPS && e == RP_OK; i++) {
        const struct workload *wl = &workloads[i];
        snprintf(user, sizeof(user), "system:serviceaccount:%s:%s", wl->ns, wl->sa);
        uint32_t n = rp_sim_rng_count(g->r, 3);
        for (uint32_t j = 0; j < n && e == RP_OK; j++) {
            struct rp_sim_k8s_event ke;
            rp_sim_k8s_event_init(&ke, g->eks, at(g), "get");
            sys_user(&ke, user, "Go-http-client/2.0", node_ip);
            rp_sim_k8s_event_group(&ke, "system:serviceaccounts");
            rp_sim_k8s_event_group(&ke, strcmp(wl->ns, "shop") == 0
                                            ? "system:serviceaccounts:shop"
                                            : "system:serviceaccounts:payments");
            rp_sim_k8s_event_group(&ke, "system:authenticated");
            ke.resource = "configmaps";
            ke.ns = wl->ns;
            ke.name = "app-config";
            char why[256];
            snprintf(why, sizeof(why),
                     "RBAC: allowed by RoleBinding \"app-config-reader\" of Role "
                     "\"app-config-reader\" to ServiceAccount \"%s/%s\"",
                     wl->sa, wl->ns);
            ke.authz_reason = why;
            e = ev(g, &ke);
        }
    }
    /* EKS's own identities */
    static const struct {
        const char *user, *resource, *group, *ua;
        uint32_t per_hour;
    } eks_users[] = {
        {"eks:certificate-controller", "certificatesigningrequests", "certificates.k8s.io",
         "eks-certificates-controller/v0.0.0 (linux/amd64) kubernetes/$Format", 6},
        {"eks:node-manager", "nodes", NULL, "eks-node-manager/v0.0.0 (linux/amd64)", 6},
        {"eks:cloud-controller-manager", "nodes", NULL,
         "aws-cloud-controller-manager/v0.0.0 (linux/amd64) kubernetes/$Format", 8},
        {"eks:addon-manager", "daemonsets", "apps", "eks-addon-manager/v1.29 (linux/amd64)", 4},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(eks_users) && e == RP_OK; i++)
        e = sys_watch(g, eks_users[i].user, eks_users[i].ua, ip, NULL, eks_users[i].resource,
                      eks_users[i].group, eks_users[i].per_hour);
    for (int m = 0; m < 12 && e == RP_OK; m++) {
        struct rp_sim_k8s_event ke;
        rp_sim_k8s_event_init(&ke, g->eks, g->hour + m * 5 * MIN + rp_sim_rng_below(g->r, 290000),
                              "get");
        sys_user(&ke, "eks:k8s-metrics", "eks-k8s-metrics/v0.0.0 (linux/amd64)", ip);
        rp_sim_k8s_event_group(&ke, "system:authenticated");
        ke.request_uri = "/metrics";
        ke.authz_reason = "RBAC: allowed by ClusterRoleBinding \"eks:k8s-metrics\" of ClusterRole "
                          "\"eks:k8s-metrics\" to User \"eks:k8s-metrics\"";
        e = ev(g, &ke);
    }
    return e;
}

/* ---- CI rollouts --------------------------------------------------------------------------- */

static rp_err rollout(struct kg *g, int64_t t_deploy, uint32_t d)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_eks *k = &w->eks[g->eks];
    uint32_t acct = k->res.acct;
    uint32_t role = RP_SIM_NONE, ciu = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nroles; i++)
        if (w->roles[i].res.acct == acct && w->roles[i].kind == RP_SIM_ROLE_CICD &&
            !w->roles[i].res.deleted_ms) {
            role = i;
            break;
        }
    if (role == RP_SIM_NONE) return RP_OK;
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].kind == RP_SIM_USER_CI && !w->users[i].res.deleted_ms)
            for (uint32_t a = 0; a < w->users[i].habits.nassume; a++)
                if (w->users[i].habits.assume_roles[a] == role) ciu = i;
    const struct rp_sim_role *ro = &w->roles[role];
    const char *session = ciu != RP_SIM_NONE ? "terraform" : "GitHubActions";
    const char *ip = ciu != RP_SIM_NONE && w->users[ciu].habits.nips ? w->users[ciu].habits.ips[0]
                     : ro->habits.nips ? ro->habits.ips[d % ro->habits.nips]
                                       : "AWS Internal";
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_ROLE;
    who.idx = role;
    who.session_name = session;
    who.session_ms = t_deploy;
    who.mfa = -1;
    char key[32], arn[RP_SIM_ARN_SZ + 64], pid[RP_SIM_ID_SZ];
    if (rp_sim_ct_who_key(w, &who, t_deploy, key, sizeof(key)) != RP_OK) key[0] = '\0';
    snprintf(arn, sizeof(arn), "arn:aws:sts::%.12s:assumed-role/%.64s/%.64s",
             w->accounts[acct].res.id, ro->res.name, session);
    snprintf(pid, sizeof(pid), "%s", ro->res.id);
    const struct workload *wl = &workloads[rp_sim_mix(w->seed, (uint64_t)t_deploy) % NAPPS];
    int64_t t = t_deploy + 8 * MIN + rp_sim_rng_below(g->r, 60000);
    char image[256], body[768], tag[13];
    rp_sim_rng_hex(g->r, tag, 12);
    snprintf(image, sizeof(image), "%s.dkr.ecr.%s.amazonaws.com/%s:%s", w->accounts[acct].res.id,
             w->regions[k->res.region], wl->image, tag);
    snprintf(
        body, sizeof(body),
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/"
        "restartedAt\":\"\"}},\"spec\":{\"containers\":[{\"name\":\"%s\",\"image\":\"%s\"}]}}}}",
        wl->name, image);
    rp_err e = RP_OK;
    /* kubectl: get, patch, then watch the rollout */
    static const char *const verbs[] = {"get", "patch", "get", "list", "get"};
    for (size_t i = 0; i < RP_ARRAY_LEN(verbs) && e == RP_OK; i++) {
        struct rp_sim_k8s_event ke;
        rp_sim_k8s_event_init(&ke, g->eks, t + (int64_t)i * 4000 + rp_sim_rng_below(g->r, 2000),
                              verbs[i]);
        ke.username = "ci-deploy";
        rp_sim_k8s_event_group(&ke, "deployers");
        rp_sim_k8s_event_group(&ke, "system:authenticated");
        ke.extra_arn = arn;
        ke.extra_canonical = ro->res.arn;
        ke.extra_session = session;
        ke.extra_access_key = key;
        ke.extra_principal = pid;
        rp_sim_k8s_event_source_ip(&ke, ip);
        ke.user_agent = "kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9";
        ke.api_group = "apps";
        ke.ns = wl->ns;
        ke.resource = strcmp(verbs[i], "list") == 0 ? "replicasets" : "deployments";
        if (strcmp(verbs[i], "list") != 0) ke.name = wl->name;
        if (strcmp(verbs[i], "patch") == 0) {
            ke.request_object = body;
            ke.level = "Request";
        }
        ke.authz_reason = "RBAC: allowed by RoleBinding \"deployers\" of ClusterRole \"edit\" to "
                          "Group \"deployers\"";
        e = ev(g, &ke);
    }
    /* the controllers roll it out */
    char ua[256], pod[128], podbody[1024], rs_reason[384];
    authz_reason("system:serviceaccount:kube-system:replicaset-controller", rs_reason,
                 sizeof(rs_reason));
    uint64_t gen = generation(g, wl, t + 60000);
    for (uint32_t r = 0; r < wl->replicas && e == RP_OK; r++) {
        int64_t tp = t + 25000 + (int64_t)r * 9000;
        pod_name(g, wl, gen + 1, r, pod, sizeof(pod));
        struct rp_sim_k8s_event ke;
        rp_sim_k8s_event_init(&ke, g->eks, tp, "create");
        snprintf(
            ua, sizeof(ua),
            "kube-controller-manager/%s (linux/amd64) kubernetes/5e0fdde/system:serviceaccount:"
            "kube-system:replicaset-controller",
            g->ver);
        sys_user(&ke, "system:serviceaccount:kube-system:replicaset-controller", ua, g->cp_ip);
        rp_sim_k8s_event_group(&ke, "system:serviceaccounts");
        rp_sim_k8s_event_group(&ke, "system:serviceaccounts:kube-system");
        rp_sim_k8s_event_group(&ke, "system:authenticated");
        ke.resource = "pods";
        ke.ns = wl->ns;
        ke.name = pod;
        snprintf(podbody, sizeof(podbody),
                 "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"%s\","
                 "\"namespace\":\"%s\",\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":"
                 "[{\"name\":\"%s\",\"image\":\"%s\",\"ports\":[{\"containerPort\":8080,"
                 "\"protocol\":\"TCP\"}],\"securityContext\":{\"allowPrivilegeEscalation\":false,"
                 "\"runAsNonRoot\":true,\"readOnlyRootFilesystem\":true}}],\"serviceAccountName\":"
                 "\"%s\"}}",
                 pod, wl->ns, wl->name, wl->name, image, wl->sa);
        ke.request_object = podbody;
        ke.level = "Request";
        ke.pod_security = "restricted:latest";
        ke.authz_reason = rs_reason;
        e = ev(g, &ke);
        if (e != RP_OK) break;
        /* bound by the scheduler */
        rp_sim_k8s_event_init(&ke, g->eks, tp + 40 + rp_sim_rng_below(g->r, 300), "create");
        snprintf(ua, sizeof(ua), "kube-scheduler/%s (linux/amd64) kubernetes/5e0fdde/scheduler",
                 g->ver);
        sys_user(&ke, "system:kube-scheduler", ua, g->cp_ip);
        rp_sim_k8s_event_group(&ke, "system:authenticated");
        ke.resource = "pods";
        ke.subresource = "binding";
        ke.ns = wl->ns;
        ke.name = pod;
        ke.authz_reason = "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of "
                          "ClusterRole \"system:kube-scheduler\" to User \"system:kube-scheduler\"";
        e = ev(g, &ke);
        if (e != RP_OK || k->nnodes == 0) break;
        /* started by the kubelet of its node */
        uint32_t node = k->nodes[(r + (uint32_t)gen) % k->nnodes];
        if (node >= w->ninstances) continue;
        char nuser[RP_SIM_DNS_SZ + 16];
        rp_sim_k8s_node_user(w, node, nuser, sizeof(nuser));
        rp_sim_k8s_event_init(&ke, g->eks, tp + 4000 + rp_sim_rng_below(g->r, 3000), "patch");
        snprintf(ua, sizeof(ua), "kubelet/%s (linux/amd64) kubernetes/5e0fdde", g->ver);
        sys_user(&ke, nuser, ua, w->instances[node].private_ip);
        rp_sim_k8s_event_group(&ke, "system:nodes");
        rp_sim_k8s_event_group(&ke, "system:authenticated");
        ke.resource = "pods";
        ke.subresource = "status";
        ke.ns = wl->ns;
        ke.name = pod;
        ke.authz_reason = "";
        e = ev(g, &ke);
        if (e != RP_OK) break;
        /* and the old replica goes */
        pod_name(g, wl, gen, r, pod, sizeof(pod));
        rp_sim_k8s_event_init(&ke, g->eks, tp + 15000 + rp_sim_rng_below(g->r, 3000), "delete");
        snprintf(
            ua, sizeof(ua),
            "kube-controller-manager/%s (linux/amd64) kubernetes/5e0fdde/system:serviceaccount:"
            "kube-system:replicaset-controller",
            g->ver);
        sys_user(&ke, "system:serviceaccount:kube-system:replicaset-controller", ua, g->cp_ip);
        rp_sim_k8s_event_group(&ke, "system:serviceaccounts");
        rp_sim_k8s_event_group(&ke, "system:serviceaccounts:kube-system");
        rp_sim_k8s_event_group(&ke, "system:authenticated");
        ke.resource = "pods";
        ke.ns = wl->ns;
        ke.name = pod;
        ke.authz_reason = rs_reason;
        e = ev(g, &ke);
    }
    return e;
}

/* ---- people --------------------------------------------------------------------------------- */

static bool uses_eks(const struct rp_sim_user *u)
{
    for (uint32_t i = 0; i < u->habits.napis; i++)
        if (strcmp(rp_sim_api_catalog[u->habits.apis[i]].event_source, "eks.amazonaws.com") == 0)
            return true;
    return false;
}

static rp_err people_hour(struct kg *g)
{
    const struct rp_sim_world *w = g->w;
    const struct rp_sim_eks *k = &w->eks[g->eks];
    rp_err e = RP_OK;
    for (uint32_t ui = 0; ui < w->nusers && e == RP_OK; ui++) {
        const struct rp_sim_user *u = &w->users[ui];
        if (u->res.acct != k->res.acct || u->res.deleted_ms || u->res.created_ms > g->hour ||
            u->kind == RP_SIM_USER_SERVICE || u->kind == RP_SIM_USER_CI || !uses_eks(u) ||
            !rp_sim_habits_active(&u->habits, g->hour))
            continue;
        if (!rp_sim_rng_chance(g->r, 300)) continue;
        struct rp_sim_ct_who who;
        memset(&who, 0, sizeof(who));
        who.kind = RP_SIM_CT_IAM_USER;
        who.idx = ui;
        who.mfa = -1;
        int64_t t = at(g);
        const char *ip = rp_sim_ct_who_ip(w, &who, t);
        char key[32] = "";
        uint32_t ak = 0;
        while (ak < u->nkeys && !u->keys[ak].active) ak++;
        if (ak < u->nkeys) snprintf(key, sizeof(key), "%s", u->keys[ak].id);
        const struct workload *wl = &workloads[rp_sim_rng_below(g->r, NAPPS)];
        uint64_t gen = generation(g, wl, t);
        uint32_t n = 3 + rp_sim_rng_below(g->r, 10);
        char pod[128];
        for (uint32_t i = 0; i < n && e == RP_OK; i++) {
            struct rp_sim_k8s_event ke;
            uint32_t what = rp_sim_rng_below(g->r, 100);
            rp_sim_k8s_event_init(&ke, g->eks,
                                  t + (int64_t)i * (2000 + rp_sim_rng_below(g->r, 40000)), "list");
            ke.username = u->res.name;
            rp_sim_k8s_event_group(&ke, "developers");
            rp_sim_k8s_event_group(&ke, "system:authenticated");
            ke.extra_arn = u->res.arn;
            ke.extra_principal = u->res.id;
            ke.extra_session = "";
            if (key[0]) ke.extra_access_key = key;
            rp_sim_k8s_event_source_ip(&ke, ip);
            ke.user_agent = "kubectl/v1.29.1 (darwin/arm64) kubernetes/bc401b9";
            ke.ns = wl->ns;
            ke.authz_reason = "RBAC: allowed by RoleBinding \"developers\" of ClusterRole \"view\" "
                              "to Group \"developers\"";
            pod_name(g, wl, gen, rp_sim_rng_below(g->r, wl->replicas), pod, sizeof(pod));
            if (what < 35) {
                ke.resource = "pods";
            } else if (what < 60) {
                ke.verb = "get";
                ke.resource = "pods";
                ke.subresource = "log";
                ke.name = pod;
            } else if (what < 72) {
                ke.verb = "get";
                ke.resource = "pods";
                ke.name = pod;
            } else if (what < 84) {
                ke.resource = "events";
            } else if (what < 95) {
                ke.resource = "deployments";
                ke.api_group = "apps";
            } else {
                /* cluster-scoped: not for developers */
                ke.resource = "nodes";
                ke.ns = NULL;
                ke.code = 403;
                ke.status_reason = "Forbidden";
                ke.status_message = "nodes is forbidden: User cannot list resource \"nodes\" in "
                                    "API group \"\" at the cluster scope";
                ke.authz_reason = NULL;
            }
            e = ev(g, &ke);
        }
    }
    return e;
}

/* ---- the generator -------------------------------------------------------------------------- */

static rp_err k8s_hour(struct rp_sim_run *run, void *state, int64_t hour, struct rp_errbuf *eb)
{
    (void)state;
    const struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rp_err e = RP_OK;
    long long hi = (long long)(hour / H_MS);
    for (uint32_t c = 0; c < w->neks && e == RP_OK; c++) {
        const struct rp_sim_eks *k = &w->eks[c];
        if (!k->audit_logging || k->res.deleted_ms || k->res.created_ms > hour) continue;
        struct kg g;
        memset(&g, 0, sizeof(g));
        g.run = run;
        g.w = w;
        g.r = &r;
        g.hour = hour;
        g.eks = c;
        g.eb = eb;
        uint64_t h = rp_sim_mix(w->seed, rp_sim_hash_str(k->res.arn));
        snprintf(g.cp_ip, sizeof(g.cp_ip), "172.%u.%u.%u", 16 + (unsigned)(h % 16),
                 (unsigned)((h >> 8) % 254) + 1, (unsigned)((h >> 16) % 253) + 1);
        snprintf(g.ver, sizeof(g.ver), "v%s.0-eks-5e0fdde", k->version);
        rp_sim_rng_initf(&r, w->seed, "act-k8s/c%u/h%lld", c, hi);
        e = system_hour(&g);
        for (uint32_t n = 0; n < k->nnodes && e == RP_OK; n++) {
            if (k->nodes[n] >= w->ninstances) continue;
            rp_sim_rng_initf(&r, w->seed, "act-k8s/c%u/n%u/h%lld", c, n, hi);
            e = kubelet_hour(&g, k->nodes[n]);
        }
        if (e != RP_OK) break;
        rp_sim_rng_initf(&r, w->seed, "act-k8s/c%u/ci/h%lld", c, hi);
        /* rollouts start 8 minutes after their pipeline (pipelines end by 20:00 UTC, so a
         * rollout never crosses into the next day) */
        int64_t day = hour - hour % RP_TIME_MS_PER_DAY;
        int64_t times[16];
        uint32_t nd = rp_sim_act_deploys(w, k->res.acct, day, times, 16);
        for (uint32_t d = 0; d < nd && e == RP_OK; d++) {
            int64_t start = times[d] + 8 * MIN;
            if (start >= hour && start < hour + H_MS) e = rollout(&g, times[d], d);
        }
        if (e != RP_OK) break;
        rp_sim_rng_initf(&r, w->seed, "act-k8s/c%u/people/h%lld", c, hi);
        e = people_hour(&g);
    }
    return e;
}

const struct rp_sim_gen rp_sim_gen_activity_k8s = {
    .name = "activity-k8s",
    .summary = "ordinary EKS audit events of every cluster with audit logging",
    .hour = k8s_hour,
};
