/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.sensitive_mount: Persistence:Kubernetes/ContainerWithSensitiveMount (aws-facts §4.7). A
 * pod, or a workload whose pod template holds one, created or changed successfully with a
 * container that mounts a sensitive path of the node (a hostPath volume: the root file system,
 * /etc, /root, the container runtime's socket, the kubelet's directory, ..) with write access.
 * Write access to those paths lets the container change the node: add a user or an SSH key,
 * drop a cron job, start containers through the runtime socket.
 *
 * A mount counts when its volumeMount is not readOnly and the volume's hostPath.path, joined
 * with the mount's subPath and normalised lexically ("//", ".", ".." and a trailing "/"), is
 * one of sensitive_paths below, exactly: a mount of /etc/cni/net.d (the VPC CNI) is not /etc.
 * Pods a controller made from its template (metadata.ownerReferences with controller: true) are
 * skipped: their workload was reported when it was created or changed. One finding per
 * cluster and workload; signature detector, no per-entity state. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_banned.h"

/* Host paths whose write access gives control of the node, in normalised form. GuardDuty does
 * not publish its list; these are the node's root, configuration, home and boot directories,
 * system binaries and libraries, kernel interfaces, container runtime sockets and state, and
 * the kubelet's credentials. /dev and /var/log are left out on purpose: storage, GPU and log
 * agents mount them writable as a matter of course. */
static const char *const sensitive_paths[] = {
    "/",
    "/bin",
    "/boot",
    "/etc",
    "/etc/kubernetes",
    "/etc/eks",
    "/home",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/root/.ssh",
    "/run",
    "/run/containerd",
    "/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/run/docker.sock",
    "/sbin",
    "/sys",
    "/usr",
    "/usr/bin",
    "/usr/local/bin",
    "/var",
    "/var/lib",
    "/var/lib/containerd",
    "/var/lib/docker",
    "/var/lib/kubelet",
    "/var/lib/kubelet/pki",
    "/var/run",
    "/var/run/containerd",
    "/var/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/var/run/docker.sock",
};

/* Longest host path (with its subPath) looked at; longer ones are no sensitive path. */
#define PATH_MAX_LEN 1024

static const struct rp_det_type types[] = {
    {"Persistence:Kubernetes/ContainerWithSensitiveMount", 5.0,
     "Container with a sensitive host path mounted writable in EKS cluster %s",
     "A container was launched with a sensitive path of its node (such as /, /etc or the "
     "container runtime's socket) mounted with write access, which lets it change the node."},
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

/* Append the segments of s to out[0..*n) (a normalised absolute path, "" = "/"), resolving
 * "." and "..". False when it does not fit. */
static bool push_path(char *out, size_t *n, struct rp_str s)
{
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && s.p[i] == '/') i++;
        size_t j = i;
        while (j < s.len && s.p[j] != '/') j++;
        size_t k = j - i;
        if (k == 0 || (k == 1 && s.p[i] == '.')) {
            /* nothing */
        } else if (k == 2 && s.p[i] == '.' && s.p[i + 1] == '.') {
            while (*n > 0 && out[*n - 1] != '/') (*n)--;
            if (*n > 0) (*n)--; /* the '/' before the dropped segment */
        } else {
            if (*n + 1 + k >= PATH_MAX_LEN) return false;
            out[(*n)++] = '/';
            memcpy(out + *n, s.p + i, k);
            *n += k;
        }
        i = j;
    }
    return true;
}

static bool sensitive_path(struct rp_str host, struct rp_str sub)
{
    char buf[PATH_MAX_LEN];
    size_t n = 0;
    if (!push_path(buf, &n, host) || !push_path(buf, &n, sub)) return false;
    if (n == 0) buf[n++] = '/';
    struct rp_str p = {buf, n};
    for (size_t i = 0; i < RP_ARRAY_LEN(sensitive_paths); i++)
        if (rp_str_eq_cstr(p, sensitive_paths[i])) return true;
    return false;
}

/* The hostPath.path of the volume named name in spec, or false. */
static bool volume_host_path(struct rp_json_val spec, struct rp_str name, struct rp_str *path)
{
    struct rp_json_val vols, v, hp;
    struct rp_json_iter it;
    struct rp_str vn;
    if (rp_json_obj_get(spec, "volumes", &vols) != RP_OK || rp_json_arr_iter(vols, &it) != RP_OK)
        return false;
    while (rp_json_arr_next(&it, &v))
        if (rp_json_obj_get_str(v, "name", &vn) == RP_OK && rp_str_eq(vn, name))
            return rp_json_obj_get(v, "hostPath", &hp) == RP_OK &&
                   rp_json_obj_get_str(hp, "path", path) == RP_OK;
    return false;
}

/* True when container c mounts a sensitive host path of spec writable. */
static bool writes_sensitive(struct rp_json_val spec, struct rp_json_val c)
{
    struct rp_json_val mounts, m;
    struct rp_json_iter it;
    if (rp_json_obj_get(c, "volumeMounts", &mounts) != RP_OK ||
        rp_json_arr_iter(mounts, &it) != RP_OK)
        return false;
    while (rp_json_arr_next(&it, &m)) {
        bool ro = false;
        struct rp_str name, path, sub = {NULL, 0};
        if (rp_json_obj_get_bool(m, "readOnly", &ro) == RP_OK && ro) continue;
        if (rp_json_obj_get_str(m, "name", &name) != RP_OK || !volume_host_path(spec, name, &path))
            continue;
        if (rp_json_obj_get_str(m, "subPath", &sub) != RP_OK) sub = (struct rp_str){NULL, 0};
        if (sensitive_path(path, sub)) return true;
    }
    return false;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_det_k8s_work *w = state;
    if (!rp_det_k8s_final(w, ev)) return RP_OK;
    struct rp_str res = rp_det_str(ev, RP_K8S_RESOURCE), sub = rp_det_str(ev, RP_K8S_SUBRESOURCE);
    if (!rp_det_k8s_word_in("create update patch", rp_det_str(ev, RP_K8S_VERB)) ||
        !rp_det_k8s_is_workload(res))
        return RP_OK;
    if (sub.len && !(rp_str_eq_cstr(res, "pods") && rp_str_eq_cstr(sub, "ephemeralcontainers")))
        return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_ok(rp_det_k8s_code(w, ev))) return RP_OK;
    struct rp_json_val obj, spec, arr, c;
    rp_err e = rp_det_k8s_object(w, ev, &obj);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "detect: k8s: out of memory");
    if (e != RP_OK || !rp_det_k8s_pod_spec(res, obj, &spec)) return RP_OK;
    if (rp_str_eq_cstr(res, "pods") && rp_det_k8s_controlled(obj)) return RP_OK;
    for (unsigned k = 0; k < RP_K8S_CONTAINER_LISTS; k++) {
        struct rp_json_iter it;
        if (!rp_det_k8s_containers(spec, k, &arr) || rp_json_arr_iter(arr, &it) != RP_OK) continue;
        while (rp_json_arr_next(&it, &c)) {
            if (!writes_sensitive(spec, c)) continue;
            struct rp_det_finding f;
            e = rp_det_k8s_finding_base(w, ev, types[0].type, &f, eb);
            if (e == RP_OK) e = rp_det_k8s_workload(w, ev, obj, spec, c, &f, eb);
            if (e != RP_OK) return e;
            f.evidence_key = rp_arena_printf(
                &w->a, "%s/%s/%s", f.workload_type ? f.workload_type : "",
                f.workload_ns ? f.workload_ns : "", f.workload_name ? f.workload_name : "");
            if (!f.evidence_key) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
            return rp_det_emit(dc, &f, eb); /* one occurrence per object */
        }
    }
    return RP_OK;
}

const struct rp_detector rp_det_k8s_sensitive_mount = {
    .id = "k8s.sensitive_mount",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "container mounting a sensitive host path with write access",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
