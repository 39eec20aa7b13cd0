/* SPDX-License-Identifier: Apache-2.0 */
/* detect_k8s_common: what the Kubernetes audit detectors share (detect_k8s_common.h): the
 * final-record and success rules, the anonymous caller, the API-category table that decides
 * the tactic of the SuccessfulAnonymousAccess / MaliciousIPCaller / TorIPCaller families, the
 * workload object readers (pod template, containers, owner references, image repository) and
 * the members every Kubernetes finding carries (EKSCluster, KubernetesUserDetails,
 * KUBERNETES_API_CALL).
 *
 * The category table paraphrases GuardDuty's grouping of Kubernetes APIs (aws-facts §4.7, "the
 * tactic is decided by which API/verb/resource was called"); rows are tried in order, the first
 * match wins. */
#define RP_LOG_MODULE "detect"
#include <string.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_banned.h"

/* Bytes of JSON a finding member built here may take (groups, volumes). */
#define K8S_MEMBER_MAX (64 * 1024)

/* ---- API categories -------------------------------------------------------------------- */

static const char *const tactic_names[RP_K8S_TACTIC__COUNT] = {
    [RP_K8S_TACTIC_NONE] = NULL,
    [RP_K8S_TACTIC_DISCOVERY] = "Discovery",
    [RP_K8S_TACTIC_CREDENTIAL_ACCESS] = "CredentialAccess",
    [RP_K8S_TACTIC_IMPACT] = "Impact",
    [RP_K8S_TACTIC_PERSISTENCE] = "Persistence",
    [RP_K8S_TACTIC_DEFENSE_EVASION] = "DefenseEvasion",
};

const char *rp_det_k8s_tactic_name(enum rp_det_k8s_tactic t)
{
    return (unsigned)t < RP_K8S_TACTIC__COUNT ? tactic_names[t] : NULL;
}

#define READ  "get list watch"
#define WRITE "create update patch delete deletecollection"

/* One row: verbs, resources and subresources are space-separated word lists; NULL = any;
 * subresources "" = the request has no subresource. Resource names are unique enough across
 * API groups for this purpose (events exist in core and events.k8s.io; both count). */
struct tactic_rule {
    const char *verbs, *resources, *subresources;
    enum rp_det_k8s_tactic tactic;
};

static const struct tactic_rule tactic_rules[] = {
    /* credentials: reading secrets, minting service-account tokens or client certificates */
    {READ, "secrets", NULL, RP_K8S_TACTIC_CREDENTIAL_ACCESS},
    {"create", "serviceaccounts", "token", RP_K8S_TACTIC_CREDENTIAL_ACCESS},
    {"create", "certificatesigningrequests", "", RP_K8S_TACTIC_CREDENTIAL_ACCESS},
    /* running commands in a workload tampers with it (exec over WebSocket is a GET) */
    {"get create", "pods", "exec attach portforward", RP_K8S_TACTIC_IMPACT},
    /* covering tracks: deleting events, touching audit sinks, disabling validating admission */
    {"delete deletecollection", "events", NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
    {WRITE, "auditsinks", NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
    {"update patch delete deletecollection",
     "validatingwebhookconfigurations validatingadmissionpolicies "
     "validatingadmissionpolicybindings",
     NULL, RP_K8S_TACTIC_DEFENSE_EVASION},
    /* staying in: RBAC grants, new identities, mutating webhooks that rewrite every object */
    {"create update patch", "roles clusterroles rolebindings clusterrolebindings", NULL,
     RP_K8S_TACTIC_PERSISTENCE},
    {"create update patch", "serviceaccounts", "", RP_K8S_TACTIC_PERSISTENCE},
    {"create update patch", "mutatingwebhookconfigurations", NULL, RP_K8S_TACTIC_PERSISTENCE},
    /* permission checks are discovery, though they are creates */
    {"create",
     "selfsubjectaccessreviews selfsubjectrulesreviews subjectaccessreviews "
     "localsubjectaccessreviews",
     NULL, RP_K8S_TACTIC_DISCOVERY},
    /* the rest: reads discover, writes tamper */
    {READ, NULL, NULL, RP_K8S_TACTIC_DISCOVERY},
    {WRITE, NULL, NULL, RP_K8S_TACTIC_IMPACT},
};

/* Non-resource paths the API server serves to everyone by default (ClusterRole
 * system:public-info-viewer bound to system:unauthenticated): reading them is no finding. */
static const char *const public_paths[] = {"/version", "/healthz", "/livez", "/readyz"};

bool rp_det_k8s_word_in(const char *list, struct rp_str f)
{
    if (!list || !f.p || f.len == 0) return false;
    const char *p = list;
    while (*p) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if ((size_t)(e - p) == f.len && memcmp(p, f.p, f.len) == 0) return true;
        p = e;
    }
    return false;
}

static bool public_path(struct rp_str uri)
{
    size_t n = 0;
    while (n < uri.len && uri.p[n] != '?') n++;
    for (size_t i = 0; i < RP_ARRAY_LEN(public_paths); i++) {
        size_t k = strlen(public_paths[i]);
        if (n >= k && memcmp(uri.p, public_paths[i], k) == 0 && (n == k || uri.p[k] == '/'))
            return true;
    }
    return false;
}

enum rp_det_k8s_tactic rp_det_k8s_tactic_of(const struct rp_det_event *ev)
{
    struct rp_str verb = rp_det_str(ev, RP_K8S_VERB);
    struct rp_str res = rp_det_str(ev, RP_K8S_RESOURCE);
    struct rp_str sub = rp_det_str(ev, RP_K8S_SUBRESOURCE);
    if (!verb.p || verb.len == 0) return RP_K8S_TACTIC_NONE;
    if (!res.p || res.len == 0) {
        /* a non-resource request (/api, /openapi/v2, /metrics, ..): reads discover */
        struct rp_str uri = rp_det_str(ev, RP_K8S_REQUEST_URI);
        if (!uri.p || public_path(uri)) return RP_K8S_TACTIC_NONE;
        return rp_det_k8s_word_in("get head", verb) ? RP_K8S_TACTIC_DISCOVERY : RP_K8S_TACTIC_NONE;
    }
    bool has_sub = sub.p && sub.len > 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(tactic_rules); i++) {
        const struct tactic_rule *r = &tactic_rules[i];
        if (!rp_det_k8s_word_in(r->verbs, verb)) continue;
        if (r->resources && !rp_det_k8s_word_in(r->resources, res)) continue;
        if (r->subresources) {
            if (r->subresources[0] == '\0' ? has_sub : !rp_det_k8s_word_in(r->subresources, sub))
                continue;
        }
        return r->tactic;
    }
    return RP_K8S_TACTIC_NONE;
}

/* ---- scratch --------------------------------------------------------------------------- */

rp_err rp_det_k8s_work_init(struct rp_det_k8s_work *w, struct rp_errbuf *eb)
{
    memset(w, 0, sizeof(*w));
    rp_arena_init(&w->a, 16 * 1024);
    w->obj = rp_json_parser_new();
    w->small = rp_json_parser_new();
    if (!w->obj || !w->small) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    return RP_OK;
}

void rp_det_k8s_work_release(struct rp_det_k8s_work *w)
{
    rp_json_parser_free(w->obj);
    rp_json_parser_free(w->small);
    w->obj = w->small = NULL;
    rp_arena_release(&w->a);
}

void rp_det_k8s_work_reset(struct rp_det_k8s_work *w)
{
    rp_arena_reset(&w->a);
}

const char *rp_det_k8s_cstr(struct rp_det_k8s_work *w, struct rp_str s)
{
    if (!s.p) return NULL;
    return rp_arena_memdup(&w->a, s.p, s.len);
}

/* ---- what an event says ---------------------------------------------------------------- */

bool rp_det_k8s_final(struct rp_det_k8s_work *w, const struct rp_det_event *ev)
{
    struct rp_str st = rp_det_str(ev, RP_K8S_STAGE);
    if (!st.p || st.len == 0) return true;
    if (rp_str_eq_cstr(st, "ResponseComplete")) {
        w->seen_complete = true;
        return true;
    }
    if (rp_str_eq_cstr(st, "ResponseStarted")) return !w->seen_complete;
    return false; /* RequestReceived, Panic */
}

int rp_det_k8s_code(struct rp_det_k8s_work *w, const struct rp_det_event *ev)
{
    int64_t c = rp_det_int(ev, RP_K8SI_CODE, -1);
    if (c < 0) {
        struct rp_str rs = rp_det_str(ev, RP_K8S_RESPONSE_STATUS);
        struct rp_json_val root;
        if (!rs.p || rp_json_parse(w->small, rs.p, rs.len, &root, NULL) != RP_OK ||
            rp_json_obj_get_i64(root, "code", &c) != RP_OK)
            return -1;
    }
    return c >= 0 && c < 1000 ? (int)c : -1;
}

bool rp_det_k8s_ok(int code)
{
    return (code >= 200 && code < 300) || code == 101;
}

bool rp_det_k8s_unauthenticated(struct rp_det_k8s_work *w, const struct rp_det_event *ev)
{
    static const char grp[] = "system:unauthenticated";
    if (rp_str_eq_cstr(rp_det_str(ev, RP_K8S_USERNAME), "system:anonymous")) return true;
    struct rp_str u = rp_det_str(ev, RP_K8S_USER);
    if (!u.p || !memmem(u.p, u.len, grp, sizeof(grp) - 1)) return false;
    struct rp_json_val root, groups, g;
    struct rp_str name;
    if (rp_json_parse(w->small, u.p, u.len, &root, NULL) != RP_OK) return false;
    if (rp_json_obj_get_str(root, "username", &name) == RP_OK &&
        rp_str_eq_cstr(name, "system:anonymous"))
        return true;
    struct rp_json_iter it;
    if (rp_json_obj_get(root, "groups", &groups) != RP_OK || rp_json_arr_iter(groups, &it) != RP_OK)
        return false;
    while (rp_json_arr_next(&it, &g))
        if (rp_json_get_str(g, &name) == RP_OK && rp_str_eq_cstr(name, grp)) return true;
    return false;
}

/* ---- objects --------------------------------------------------------------------------- */

static rp_err parse_object(struct rp_det_k8s_work *w, struct rp_str text, struct rp_json_val *out)
{
    if (!text.p || text.len == 0) return RP_ENOENT;
    struct rp_errbuf eb;
    rp_err e = rp_json_parse(w->obj, text.p, text.len, out, &eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK || rp_json_type(*out) != RP_JSON_OBJECT) return RP_ENOENT;
    return RP_OK;
}

rp_err rp_det_k8s_object(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                         struct rp_json_val *out)
{
    /* the stored object when the log has it (defaults and admission mutations applied), unless
     * it is a Status (a failed or a delete response) */
    rp_err e = parse_object(w, rp_det_str(ev, RP_K8S_RESPONSE_OBJECT), out);
    if (e == RP_ENOMEM) return e;
    if (e == RP_OK) {
        struct rp_str kind;
        if (rp_json_obj_get_str(*out, "kind", &kind) != RP_OK || !rp_str_eq_cstr(kind, "Status"))
            return RP_OK;
    }
    return parse_object(w, rp_det_str(ev, RP_K8S_REQUEST_OBJECT), out);
}

/* Workload kinds and the path of their pod template's spec. */
static const struct {
    const char *resource;
    const char *path[5];
} workload_kinds[] = {
    {"pods", {"spec"}},
    {"deployments", {"spec", "template", "spec"}},
    {"replicasets", {"spec", "template", "spec"}},
    {"daemonsets", {"spec", "template", "spec"}},
    {"statefulsets", {"spec", "template", "spec"}},
    {"jobs", {"spec", "template", "spec"}},
    {"replicationcontrollers", {"spec", "template", "spec"}},
    {"cronjobs", {"spec", "jobTemplate", "spec", "template", "spec"}},
};

static int workload_kind(struct rp_str resource)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(workload_kinds); i++)
        if (rp_str_eq_cstr(resource, workload_kinds[i].resource)) return (int)i;
    return -1;
}

bool rp_det_k8s_is_workload(struct rp_str resource)
{
    return workload_kind(resource) >= 0;
}

bool rp_det_k8s_pod_spec(struct rp_str resource, struct rp_json_val obj, struct rp_json_val *spec)
{
    int k = workload_kind(resource);
    if (k < 0) return false;
    struct rp_json_val v = obj;
    for (size_t i = 0; i < RP_ARRAY_LEN(workload_kinds[k].path) && workload_kinds[k].path[i]; i++)
        if (rp_json_obj_get(v, workload_kinds[k].path[i], &v) != RP_OK) return false;
    if (rp_json_type(v) != RP_JSON_OBJECT) return false;
    *spec = v;
    return true;
}

bool rp_det_k8s_containers(struct rp_json_val spec, unsigned k, struct rp_json_val *arr)
{
    static const char *const lists[RP_K8S_CONTAINER_LISTS] = {"containers", "initContainers",
                                                              "ephemeralContainers"};
    if (k >= RP_K8S_CONTAINER_LISTS) return false;
    return rp_json_obj_get(spec, lists[k], arr) == RP_OK && rp_json_type(*arr) == RP_JSON_ARRAY;
}

bool rp_det_k8s_controlled(struct rp_json_val obj)
{
    struct rp_json_val md, refs, r;
    struct rp_json_iter it;
    if (rp_json_obj_get(obj, "metadata", &md) != RP_OK ||
        rp_json_obj_get(md, "ownerReferences", &refs) != RP_OK ||
        rp_json_arr_iter(refs, &it) != RP_OK)
        return false;
    while (rp_json_arr_next(&it, &r)) {
        bool ctl = false;
        if (rp_json_obj_get_bool(r, "controller", &ctl) == RP_OK && ctl) return true;
    }
    return false;
}

const char *rp_det_k8s_image_repo(struct rp_det_k8s_work *w, struct rp_str image)
{
    struct rp_str s = rp_str_trim(image);
    if (!s.p || s.len == 0) return NULL;
    const char *at = memchr(s.p, '@', s.len);
    if (at) s.len = (size_t)(at - s.p);
    size_t slash = s.len;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] == '/') slash = i;
    size_t from = slash == s.len ? 0 : slash + 1;
    for (size_t i = from; i < s.len; i++)
        if (s.p[i] == ':') {
            s.len = i;
            break;
        }
    if (s.len == 0) return NULL;
    /* Docker's rule: a first component with a dot, a port or "localhost" is a registry */
    const char *first_slash = memchr(s.p, '/', s.len);
    if (!first_slash) return rp_arena_printf(&w->a, "docker.io/library/%.*s", (int)s.len, s.p);
    struct rp_str head = {s.p, (size_t)(first_slash - s.p)};
    if (memchr(head.p, '.', head.len) || memchr(head.p, ':', head.len) ||
        rp_str_eq_cstr(head, "localhost"))
        return rp_arena_memdup(&w->a, s.p, s.len);
    return rp_arena_printf(&w->a, "docker.io/%.*s", (int)s.len, s.p);
}

void rp_det_k8s_obj_name(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                         struct rp_json_val obj, const char **name, const char **ns)
{
    struct rp_str n = rp_det_str(ev, RP_K8S_NAME), s = rp_det_str(ev, RP_K8S_NAMESPACE);
    struct rp_json_val md;
    bool has_md = rp_json_obj_get(obj, "metadata", &md) == RP_OK;
    if ((!n.p || n.len == 0) && has_md && rp_json_obj_get_str(md, "name", &n) != RP_OK)
        if (rp_json_obj_get_str(md, "generateName", &n) != RP_OK) n = (struct rp_str){NULL, 0};
    if ((!s.p || s.len == 0) && has_md && rp_json_obj_get_str(md, "namespace", &s) != RP_OK)
        s = (struct rp_str){NULL, 0};
    *name = n.p && n.len ? rp_det_k8s_cstr(w, n) : NULL;
    *ns = s.p && s.len ? rp_det_k8s_cstr(w, s) : NULL;
}

/* ---- findings -------------------------------------------------------------------------- */

/* True when s is 12 digits (an AWS account id). */
static bool account_id(struct rp_str s)
{
    if (s.len != 12) return false;
    for (size_t i = 0; i < 12; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return false;
    return true;
}

/* Field k (0-based) of s split at ':'. */
static struct rp_str colon_field(struct rp_str s, unsigned k)
{
    struct rp_str rest = s, tok = {NULL, 0};
    for (unsigned i = 0; i <= k; i++)
        if (!rp_str_split_next(&rest, ':', &tok)) return (struct rp_str){NULL, 0};
    return tok;
}

/* Text of a JSON value as compact JSON in w's arena; NULL when it cannot be written. */
static const char *json_text(struct rp_det_k8s_work *w, struct rp_json_val v, rp_err *err)
{
    struct rp_buf b;
    rp_buf_init(&b, K8S_MEMBER_MAX);
    const char *out = NULL;
    rp_err e = rp_json_serialize(v, &b);
    if (e == RP_OK) {
        out = rp_arena_memdup(&w->a, b.data ? b.data : "", b.len);
        if (!out) e = RP_ENOMEM;
    }
    rp_buf_release(&b);
    if (e == RP_ENOMEM) *err = e;
    return out;
}

static const char *str_or(struct rp_det_k8s_work *w, struct rp_str s, const char *dflt)
{
    return s.p && s.len ? rp_det_k8s_cstr(w, s) : dflt;
}

rp_err rp_det_k8s_finding_base(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                               const char *type, struct rp_det_finding *f, struct rp_errbuf *eb)
{
    rp_det_finding_init(f);
    f->type = type;
    f->first_ms = f->last_ms = ev->time_ms;
    f->count = 1;
    f->res = RP_DET_RES_EKS_CLUSTER;
    f->cluster = str_or(w, rp_det_str(ev, RP_K8S_CLUSTER), "unknown");
    f->resource_id = f->cluster;
    f->resource_role = "TARGET";

    /* KubernetesUserDetails, and the account of an IAM-mapped caller */
    rp_err err = RP_OK;
    struct rp_str account = rp_det_str(ev, RP_K8S_ACCOUNT);
    struct rp_str u = rp_det_str(ev, RP_K8S_USER), v;
    struct rp_json_val root, x, groups;
    f->k8s_user = str_or(w, rp_det_str(ev, RP_K8S_USERNAME), NULL);
    if (u.p && rp_json_parse(w->small, u.p, u.len, &root, NULL) == RP_OK) {
        if (!f->k8s_user && rp_json_obj_get_str(root, "username", &v) == RP_OK)
            f->k8s_user = rp_det_k8s_cstr(w, v);
        if (rp_json_obj_get_str(root, "uid", &v) == RP_OK) {
            f->k8s_uid = rp_det_k8s_cstr(w, v);
            /* the EKS authenticator's uid: "aws-iam-authenticator:<account>:<principal id>" */
            if (!account_id(account) && account_id(colon_field(v, 1))) account = colon_field(v, 1);
        }
        if (rp_json_obj_get(root, "groups", &groups) == RP_OK &&
            rp_json_type(groups) == RP_JSON_ARRAY)
            f->k8s_groups = json_text(w, groups, &err);
        if (!account_id(account) && rp_json_obj_get(root, "extra", &x) == RP_OK &&
            rp_json_obj_get(x, "arn", &x) == RP_OK && rp_json_arr_at(x, 0, &x) == RP_OK &&
            rp_json_get_str(x, &v) == RP_OK && account_id(colon_field(v, 4)))
            account = colon_field(v, 4);
    }
    f->account = account.p && account.len ? rp_det_k8s_cstr(w, account) : "unknown";
    f->region = str_or(w, rp_det_str(ev, RP_K8S_REGION), "unknown");

    f->action = RP_DET_ACT_KUBERNETES_API_CALL;
    f->verb = str_or(w, rp_det_str(ev, RP_K8S_VERB), NULL);
    f->request_uri = str_or(w, rp_det_str(ev, RP_K8S_REQUEST_URI), NULL);
    int code = rp_det_k8s_code(w, ev);
    if (code >= 0) f->status_code = code;
    f->user_agent = str_or(w, rp_det_str(ev, RP_K8S_USER_AGENT), NULL);
    f->remote_ip = str_or(w, rp_det_str(ev, RP_K8S_SRC_IP), NULL);
    f->source_ips_json = str_or(w, rp_det_str(ev, RP_K8S_SOURCE_IPS), NULL);
    if (err != RP_OK || !f->cluster || !f->account || !f->region)
        return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    return RP_OK;
}

/* [{"Name":..,"HostPath":{"Path":..}}] of the spec's host-path volumes, or NULL for none. */
static const char *host_volumes(struct rp_det_k8s_work *w, struct rp_json_val spec, rp_err *err)
{
    struct rp_json_val vols, vol, hp;
    struct rp_json_iter it;
    struct rp_str name, path;
    if (rp_json_obj_get(spec, "volumes", &vols) != RP_OK || rp_json_arr_iter(vols, &it) != RP_OK)
        return NULL;
    struct rp_buf b;
    rp_buf_init(&b, K8S_MEMBER_MAX);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, &b);
    rp_json_write_arr_begin(&jw);
    size_t n = 0;
    while (n < RP_K8S_MAX_VOLUMES && rp_json_arr_next(&it, &vol)) {
        if (rp_json_obj_get(vol, "hostPath", &hp) != RP_OK ||
            rp_json_obj_get_str(hp, "path", &path) != RP_OK)
            continue;
        if (rp_json_obj_get_str(vol, "name", &name) != RP_OK) name = (struct rp_str){"", 0};
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_str(&jw, "Name", name.p, name.len);
        rp_json_write_key(&jw, "HostPath", 8);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_str(&jw, "Path", path.p, path.len);
        rp_json_write_obj_end(&jw);
        rp_json_write_obj_end(&jw);
        n++;
    }
    rp_json_write_arr_end(&jw);
    const char *out = NULL;
    rp_err e = rp_json_writer_finish(&jw);
    if (e == RP_OK && n > 0) {
        out = rp_arena_memdup(&w->a, b.data, b.len);
        if (!out) e = RP_ENOMEM;
    }
    rp_buf_release(&b);
    if (e == RP_ENOMEM) *err = e;
    return out;
}

rp_err rp_det_k8s_workload(struct rp_det_k8s_work *w, const struct rp_det_event *ev,
                           struct rp_json_val obj, struct rp_json_val spec, struct rp_json_val c,
                           struct rp_det_finding *f, struct rp_errbuf *eb)
{
    rp_err err = RP_OK;
    rp_det_k8s_obj_name(w, ev, obj, &f->workload_name, &f->workload_ns);
    f->workload_type = str_or(w, rp_det_str(ev, RP_K8S_RESOURCE), NULL);
    struct rp_json_val arr, sc;
    if (rp_json_type(c) == RP_JSON_NONE && rp_det_k8s_containers(spec, 0, &arr) &&
        rp_json_arr_at(arr, 0, &c) != RP_OK)
        c = (struct rp_json_val){0};
    struct rp_str image;
    if (rp_json_obj_get_str(c, "image", &image) == RP_OK) {
        f->workload_image = rp_det_k8s_cstr(w, image);
        if (!f->workload_image) err = RP_ENOMEM;
    }
    bool priv = false;
    if (rp_json_obj_get(c, "securityContext", &sc) == RP_OK &&
        rp_json_obj_get_bool(sc, "privileged", &priv) == RP_OK)
        f->workload_privileged = priv;
    f->workload_volumes_json = host_volumes(w, spec, &err);
    if (err != RP_OK) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    return RP_OK;
}
