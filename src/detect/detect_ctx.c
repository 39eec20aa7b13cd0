/* SPDX-License-Identifier: Apache-2.0 */
/* The detection context: what detectors call during a run (rp_det_emit, the arena, the store,
 * the options), the folding of emissions into findings (one per finding Id, with Count and the
 * first/last activity), the test harness (rp_det_ctx_new/run1), and the event helpers: field
 * names per source (the store's column names, so Sigma rules and docs use the AWS names) and
 * the fields the run derives from JSON columns (userIdentity parts, objectRef.subresource). */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "detect/detect_ctx.h"
#include "hub/hub.h"
#include "core/rp_banned.h"

/* ---- field names ------------------------------------------------------------------------- */

static const char *const ct_names[RP_CT__COUNT] = {
    [RP_CT_EVENT_TIME] = "eventTime",
    [RP_CT_EVENT_SOURCE] = "eventSource",
    [RP_CT_EVENT_NAME] = "eventName",
    [RP_CT_AWS_REGION] = "awsRegion",
    [RP_CT_SOURCE_IP_ADDRESS] = "sourceIPAddress",
    [RP_CT_USER_AGENT] = "userAgent",
    [RP_CT_ERROR_CODE] = "errorCode",
    [RP_CT_ERROR_MESSAGE] = "errorMessage",
    [RP_CT_REQUEST_PARAMETERS] = "requestParameters",
    [RP_CT_RESPONSE_ELEMENTS] = "responseElements",
    [RP_CT_ADDITIONAL_DATA] = "additionalEventData",
    [RP_CT_USER_IDENTITY] = "userIdentity",
    [RP_CT_RESOURCES] = "resources",
    [RP_CT_EVENT_ID] = "eventID",
    [RP_CT_EVENT_TYPE] = "eventType",
    [RP_CT_RECIPIENT_ACCOUNT] = "recipientAccountId",
    [RP_CT_VPC_ENDPOINT_ID] = "vpcEndpointId",
    [RP_CT_CATEGORY] = "rp_category",
    [RP_CT_ACCOUNT] = "rp_account",
    [RP_CT_REGION] = "rp_region",
    [RP_CT_PRINCIPAL] = "rp_principal",
    [RP_CT_USER_NAME] = "rp_user_name",
    [RP_CT_ACCESS_KEY_ID] = "rp_access_key_id",
    [RP_CT_SRC_IP] = "rp_src_ip",
    [RP_CT_UID_TYPE] = "userIdentity.type",
    [RP_CT_UID_PRINCIPAL_ID] = "userIdentity.principalId",
    [RP_CT_UID_ARN] = "userIdentity.arn",
    [RP_CT_UID_ACCOUNT_ID] = "userIdentity.accountId",
    [RP_CT_UID_INVOKED_BY] = "userIdentity.invokedBy",
    [RP_CT_UID_ISSUER_TYPE] = "userIdentity.sessionContext.sessionIssuer.type",
    [RP_CT_UID_ISSUER_ARN] = "userIdentity.sessionContext.sessionIssuer.arn",
    [RP_CT_UID_ISSUER_NAME] = "userIdentity.sessionContext.sessionIssuer.userName",
    [RP_CT_UID_MFA] = "userIdentity.sessionContext.attributes.mfaAuthenticated",
    [RP_CT_UID_EC2_ROLE_DELIVERY] = "userIdentity.sessionContext.ec2RoleDelivery",
    [RP_CT_UID_SOURCE_INSTANCE] = "rp_source_instance",
};
static const char *const cti_names[RP_CTI__COUNT] = {"readOnly", "managementEvent"};

static const char *const fl_names[RP_FL__COUNT] = {
    [RP_FL_ACCOUNT_ID] = "account_id",
    [RP_FL_INTERFACE_ID] = "interface_id",
    [RP_FL_SRCADDR] = "srcaddr",
    [RP_FL_DSTADDR] = "dstaddr",
    [RP_FL_ACTION] = "action",
    [RP_FL_LOG_STATUS] = "log_status",
    [RP_FL_VPC_ID] = "vpc_id",
    [RP_FL_SUBNET_ID] = "subnet_id",
    [RP_FL_INSTANCE_ID] = "instance_id",
    [RP_FL_PKT_SRCADDR] = "pkt_srcaddr",
    [RP_FL_PKT_DSTADDR] = "pkt_dstaddr",
    [RP_FL_PKT_SRC_AWS_SERVICE] = "pkt_src_aws_service",
    [RP_FL_PKT_DST_AWS_SERVICE] = "pkt_dst_aws_service",
    [RP_FL_FLOW_DIRECTION] = "flow_direction",
    [RP_FL_ACCOUNT] = "rp_account",
    [RP_FL_REGION] = "rp_region",
    [RP_FL_SRC_IP] = "rp_src_ip",
    [RP_FL_DST_IP] = "rp_dst_ip",
};
static const char *const fli_names[RP_FLI__COUNT] = {
    "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp_flags", "version"};

static const char *const dns_names[RP_DNS__COUNT] = {
    [RP_DNS_ACCOUNT_ID] = "account_id",
    [RP_DNS_REGION_FIELD] = "region",
    [RP_DNS_VPC_ID] = "vpc_id",
    [RP_DNS_QUERY_NAME] = "query_name",
    [RP_DNS_QUERY_TYPE] = "query_type",
    [RP_DNS_RCODE] = "rcode",
    [RP_DNS_ANSWERS] = "answers",
    [RP_DNS_SRCADDR] = "srcaddr",
    [RP_DNS_TRANSPORT] = "transport",
    [RP_DNS_SRCIDS] = "srcids",
    [RP_DNS_FIREWALL_ACTION] = "firewall_rule_action",
    [RP_DNS_ACCOUNT] = "rp_account",
    [RP_DNS_REGION] = "rp_region",
    [RP_DNS_SRC_IP] = "rp_src_ip",
    [RP_DNS_NAME] = "rp_query_name",
    [RP_DNS_INSTANCE_ID] = "rp_instance_id",
};
static const char *const dnsi_names[RP_DNSI__COUNT] = {"rp_src_port"};

static const char *const k8s_names[RP_K8S__COUNT] = {
    [RP_K8S_AUDIT_ID] = "auditID",
    [RP_K8S_STAGE] = "stage",
    [RP_K8S_LEVEL] = "level",
    [RP_K8S_REQUEST_URI] = "requestURI",
    [RP_K8S_VERB] = "verb",
    [RP_K8S_USER] = "user",
    [RP_K8S_IMPERSONATED] = "impersonatedUser",
    [RP_K8S_SOURCE_IPS] = "sourceIPs",
    [RP_K8S_USER_AGENT] = "userAgent",
    [RP_K8S_OBJECT_REF] = "objectRef",
    [RP_K8S_RESPONSE_STATUS] = "responseStatus",
    [RP_K8S_REQUEST_OBJECT] = "requestObject",
    [RP_K8S_RESPONSE_OBJECT] = "responseObject",
    [RP_K8S_ANNOTATIONS] = "annotations",
    [RP_K8S_USERNAME] = "rp_user",
    [RP_K8S_SRC_IP] = "rp_src_ip",
    [RP_K8S_RESOURCE] = "rp_resource",
    [RP_K8S_NAMESPACE] = "rp_namespace",
    [RP_K8S_NAME] = "rp_name",
    [RP_K8S_CLUSTER] = "rp_cluster",
    [RP_K8S_ACCOUNT] = "rp_account",
    [RP_K8S_REGION] = "rp_region",
    [RP_K8S_SUBRESOURCE] = "objectRef.subresource",
};
static const char *const k8si_names[RP_K8SI__COUNT] = {"rp_response_code"};

static void names_of(enum rp_det_source src, bool integer, const char *const **names, size_t *n)
{
    *names = NULL;
    *n = 0;
    switch (src) {
    case RP_DET_SRC_CLOUDTRAIL:
        *names = integer ? cti_names : ct_names;
        *n = integer ? RP_CTI__COUNT : RP_CT__COUNT;
        break;
    case RP_DET_SRC_FLOW:
        *names = integer ? fli_names : fl_names;
        *n = integer ? RP_FLI__COUNT : RP_FL__COUNT;
        break;
    case RP_DET_SRC_DNS:
        *names = integer ? dnsi_names : dns_names;
        *n = integer ? RP_DNSI__COUNT : RP_DNS__COUNT;
        break;
    case RP_DET_SRC_K8S:
        *names = integer ? k8si_names : k8s_names;
        *n = integer ? RP_K8SI__COUNT : RP_K8S__COUNT;
        break;
    case RP_DET_SRC__COUNT:
        break;
    }
}

const char *rp_det_field_name(enum rp_det_source src, bool integer, unsigned f)
{
    const char *const *names = NULL;
    size_t n = 0;
    names_of(src, integer, &names, &n);
    return f < n ? names[f] : NULL;
}

int rp_det_field_find(enum rp_det_source src, struct rp_str name, bool *integer)
{
    for (int k = 0; k < 2; k++) {
        const char *const *names = NULL;
        size_t n = 0;
        names_of(src, k == 1, &names, &n);
        for (size_t i = 0; i < n; i++)
            if (names[i] && rp_str_eq_cstr(name, names[i])) {
                if (integer) *integer = k == 1;
                return (int)i;
            }
    }
    return -1;
}

/* ---- events ------------------------------------------------------------------------------ */

void rp_det_event_init(struct rp_det_event *ev, enum rp_det_source src, int64_t time_ms)
{
    memset(ev, 0, sizeof *ev);
    ev->src = src;
    ev->time_ms = time_ms;
}

void rp_det_event_set(struct rp_det_event *ev, unsigned f, const char *v)
{
    if (f < RP_DET_MAX_STR) ev->s[f] = v ? rp_str_from(v) : (struct rp_str){NULL, 0};
}

void rp_det_event_set_int(struct rp_det_event *ev, unsigned f, int64_t v)
{
    if (f >= RP_DET_MAX_INT) return;
    ev->i[f] = v;
    ev->has |= 1u << f;
}

static rp_err keep(struct rp_det_ctx *dc, struct rp_det_event *ev, unsigned f, struct rp_str v)
{
    if (!v.p) return RP_OK;
    char *c = rp_arena_memdup(&dc->ev_arena, v.p, v.len);
    if (!c) return RP_ENOMEM;
    ev->s[f] = (struct rp_str){c, v.len};
    return RP_OK;
}

static struct rp_str get_str(struct rp_json_val o, const char *k)
{
    struct rp_str s = {NULL, 0};
    if (rp_json_obj_get_str(o, k, &s)) return (struct rp_str){NULL, 0};
    return s;
}

/* "i-0abc.." when s is an instance id (i- and 8 or 17 hex digits). */
static bool is_instance_id(struct rp_str s)
{
    if (s.len != 10 && s.len != 19) return false;
    if (s.p[0] != 'i' || s.p[1] != '-') return false;
    for (size_t i = 2; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

static rp_err derive_ct(struct rp_det_ctx *dc, struct rp_det_event *ev, struct rp_errbuf *eb)
{
    struct rp_str uid = ev->s[RP_CT_USER_IDENTITY];
    for (unsigned f = RP_CT_UID_TYPE; f <= RP_CT_UID_SOURCE_INSTANCE; f++)
        ev->s[f] = (struct rp_str){NULL, 0};
    if (!uid.p || !uid.len) return RP_OK;
    struct rp_json_val root;
    if (rp_json_parse(dc->jp, uid.p, uid.len, &root, NULL)) return RP_OK; /* not an object */
    if (rp_json_type(root) != RP_JSON_OBJECT) return RP_OK;
    rp_err e = RP_OK;
    if (!e) e = keep(dc, ev, RP_CT_UID_TYPE, get_str(root, "type"));
    if (!e) e = keep(dc, ev, RP_CT_UID_PRINCIPAL_ID, get_str(root, "principalId"));
    if (!e) e = keep(dc, ev, RP_CT_UID_ARN, get_str(root, "arn"));
    if (!e) e = keep(dc, ev, RP_CT_UID_ACCOUNT_ID, get_str(root, "accountId"));
    if (!e) e = keep(dc, ev, RP_CT_UID_INVOKED_BY, get_str(root, "invokedBy"));
    struct rp_json_val sc, x;
    if (!e && !rp_json_obj_get(root, "sessionContext", &sc)) {
        if (!rp_json_obj_get(sc, "sessionIssuer", &x)) {
            e = keep(dc, ev, RP_CT_UID_ISSUER_TYPE, get_str(x, "type"));
            if (!e) e = keep(dc, ev, RP_CT_UID_ISSUER_ARN, get_str(x, "arn"));
            if (!e) e = keep(dc, ev, RP_CT_UID_ISSUER_NAME, get_str(x, "userName"));
        }
        if (!e && !rp_json_obj_get(sc, "attributes", &x))
            e = keep(dc, ev, RP_CT_UID_MFA, get_str(x, "mfaAuthenticated"));
        if (!e) e = keep(dc, ev, RP_CT_UID_EC2_ROLE_DELIVERY, get_str(sc, "ec2RoleDelivery"));
    }
    /* The instance an instance-profile session belongs to: inScopeOf names it
     * (credentialsIssuedTo / sourceArn .../instance/i-..), else the session name is the
     * instance id, as EC2 names its role sessions. */
    struct rp_str inst = {NULL, 0};
    if (!e && !rp_json_obj_get(root, "inScopeOf", &x)) {
        struct rp_str a = get_str(x, "credentialsIssuedTo");
        if (!a.p) a = get_str(x, "sourceArn");
        for (size_t i = a.len; a.p && i > 0; i--)
            if (a.p[i - 1] == '/') {
                struct rp_str t = {a.p + i, a.len - i};
                if (is_instance_id(t)) inst = t;
                break;
            }
    }
    if (!e && !inst.p && ev->s[RP_CT_UID_PRINCIPAL_ID].p) {
        struct rp_str p = ev->s[RP_CT_UID_PRINCIPAL_ID];
        for (size_t i = p.len; i > 0; i--)
            if (p.p[i - 1] == ':') {
                struct rp_str t = {p.p + i, p.len - i};
                if (is_instance_id(t)) inst = t;
                break;
            }
    }
    if (!e) e = keep(dc, ev, RP_CT_UID_SOURCE_INSTANCE, inst);
    if (e) return rp_fail(eb, e, "detect: out of memory deriving userIdentity fields");
    return RP_OK;
}

static rp_err derive_k8s(struct rp_det_ctx *dc, struct rp_det_event *ev, struct rp_errbuf *eb)
{
    struct rp_str ref = ev->s[RP_K8S_OBJECT_REF];
    ev->s[RP_K8S_SUBRESOURCE] = (struct rp_str){NULL, 0};
    if (!ref.p || !ref.len) return RP_OK;
    struct rp_json_val root;
    if (rp_json_parse(dc->jp, ref.p, ref.len, &root, NULL)) return RP_OK;
    if (rp_json_type(root) != RP_JSON_OBJECT) return RP_OK;
    if (keep(dc, ev, RP_K8S_SUBRESOURCE, get_str(root, "subresource")))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory deriving objectRef fields");
    return RP_OK;
}

rp_err rp_det_event_derive(struct rp_det_ctx *dc, struct rp_det_event *ev, struct rp_errbuf *eb)
{
    if (ev->src == RP_DET_SRC_CLOUDTRAIL) return derive_ct(dc, ev, eb);
    if (ev->src == RP_DET_SRC_K8S) return derive_k8s(dc, ev, eb);
    return RP_OK;
}

/* ---- context ----------------------------------------------------------------------------- */

void rp_detect_opts_init(struct rp_detect_opts *o)
{
    memset(o, 0, sizeof *o);
    o->since_ms = INT64_MIN;
    o->until_ms = INT64_MAX;
    o->learning_ms = 7 * 86400000LL;
}

rp_err rp_det_ctx_new(const struct rp_detect_opts *o, struct rp_store *st, struct rp_det_ti *ti,
                      struct rp_det_ctx **out, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_det_ctx *dc = calloc(1, sizeof *dc);
    if (!dc) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    if (o)
        dc->opts = *o;
    else
        rp_detect_opts_init(&dc->opts);
    if (dc->opts.learning_ms <= 0) dc->opts.learning_ms = 7 * 86400000LL;
    dc->st = st;
    rp_arena_init(&dc->arena, 0);
    rp_arena_init(&dc->ev_arena, 0);
    dc->jp = rp_json_parser_new();
    if (!dc->jp) {
        rp_det_ctx_free(dc);
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    }
    if (ti) {
        dc->ti = ti;
    } else {
        rp_err e = rp_det_ti_new(&dc->ti);
        if (e) {
            rp_det_ctx_free(dc);
            return rp_fail(eb, e, "detect: out of memory");
        }
        dc->ti_owned = true;
    }
    *out = dc;
    return RP_OK;
}

void rp_det_ctx_free(struct rp_det_ctx *dc)
{
    if (!dc) return;
    if (dc->ti_owned) rp_det_ti_free(dc->ti);
    rp_det_inv_free(dc->inv);
    rp_json_parser_free(dc->jp);
    free(dc->fold);
    free(dc->idx);
    rp_arena_release(&dc->ev_arena);
    rp_arena_release(&dc->arena);
    free(dc);
}

struct rp_arena *rp_det_arena(struct rp_det_ctx *dc)
{
    return &dc->arena;
}

struct rp_store *rp_det_store(struct rp_det_ctx *dc)
{
    return dc->st;
}

const struct rp_detect_opts *rp_det_opts(const struct rp_det_ctx *dc)
{
    return &dc->opts;
}

/* ---- findings ---------------------------------------------------------------------------- */

void rp_det_finding_init(struct rp_det_finding *f)
{
    memset(f, 0, sizeof *f);
    f->local_port = -1;
    f->remote_port = -1;
    f->status_code = -1;
}

static uint32_t hash_id(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static rp_err index_grow(struct rp_det_ctx *dc)
{
    size_t cap = dc->idxcap ? dc->idxcap * 2 : 1024;
    uint32_t *idx = calloc(cap, sizeof *idx);
    if (!idx) return RP_ENOMEM;
    for (size_t i = 0; i < dc->nfold; i++) {
        size_t h = hash_id(dc->fold[i]->id) & (cap - 1);
        while (idx[h]) h = (h + 1) & (cap - 1);
        idx[h] = (uint32_t)i + 1;
    }
    free(dc->idx);
    dc->idx = idx;
    dc->idxcap = cap;
    return RP_OK;
}

static struct rp_det_folded *index_find(const struct rp_det_ctx *dc, const char *id)
{
    if (!dc->idxcap) return NULL;
    size_t h = hash_id(id) & (dc->idxcap - 1);
    while (dc->idx[h]) {
        struct rp_det_folded *ff = dc->fold[dc->idx[h] - 1];
        if (!strcmp(ff->id, id)) return ff;
        h = (h + 1) & (dc->idxcap - 1);
    }
    return NULL;
}

#define DUP(m)                                                                                     \
    do {                                                                                           \
        if (c->m && !(c->m = rp_arena_strdup(a, c->m))) return RP_ENOMEM;                          \
    } while (0)

/* Copy every string of *c into a (in place). */
static rp_err deep_copy(struct rp_arena *a, struct rp_det_finding *c)
{
    DUP(type);
    DUP(account);
    DUP(region);
    DUP(resource_id);
    DUP(evidence_key);
    DUP(access_key_id);
    DUP(principal_id);
    DUP(user_name);
    DUP(user_type);
    DUP(instance_id);
    DUP(eni);
    DUP(bucket);
    DUP(cluster);
    DUP(k8s_user);
    DUP(k8s_uid);
    DUP(k8s_groups);
    DUP(workload_name);
    DUP(workload_ns);
    DUP(workload_type);
    DUP(workload_image);
    DUP(workload_volumes_json);
    DUP(api);
    DUP(service_name);
    DUP(caller_type);
    DUP(user_agent);
    DUP(error_code);
    DUP(remote_ip);
    DUP(remote_account);
    DUP(direction);
    DUP(protocol);
    DUP(local_ip);
    DUP(domain);
    DUP(verb);
    DUP(request_uri);
    DUP(source_ips_json);
    DUP(resource_role);
    DUP(threat_list);
    DUP(threat_name);
    DUP(anomaly_json);
    DUP(additional_json);
    DUP(description);
    for (size_t i = 0; i < c->nprobes && i < RP_DET_MAX_PROBES; i++)
        if (c->probes[i].remote_ip &&
            !(c->probes[i].remote_ip = rp_arena_strdup(a, c->probes[i].remote_ip)))
            return RP_ENOMEM;
    return RP_OK;
}
#undef DUP

/* Merge a later emission's port probes into the folded finding (distinct, capped). */
static void merge_probes(struct rp_arena *a, struct rp_det_finding *to,
                         const struct rp_det_finding *from)
{
    for (size_t i = 0; i < from->nprobes && i < RP_DET_MAX_PROBES; i++) {
        const struct rp_det_probe *p = &from->probes[i];
        bool have = false;
        for (size_t j = 0; j < to->nprobes; j++)
            if (to->probes[j].local_port == p->local_port && to->probes[j].remote_ip &&
                p->remote_ip && !strcmp(to->probes[j].remote_ip, p->remote_ip))
                have = true;
        if (have || to->nprobes >= RP_DET_MAX_PROBES) continue;
        const char *ip = p->remote_ip ? rp_arena_strdup(a, p->remote_ip) : NULL;
        if (p->remote_ip && !ip) return;
        to->probes[to->nprobes].local_port = p->local_port;
        to->probes[to->nprobes].remote_ip = ip;
        to->nprobes++;
    }
}

rp_err rp_det_emit_typed(struct rp_det_ctx *dc, const struct rp_det_type *t,
                         const struct rp_det_finding *f, struct rp_errbuf *eb)
{
    if (!t || !f->type || strcmp(t->type, f->type))
        return rp_fail(eb, RP_EINVAL, "detect: finding type '%s' is not the detector's",
                       f->type ? f->type : "(null)");
    if (!f->account || !f->region || !f->resource_id)
        return rp_fail(eb, RP_EINVAL, "detect: finding '%s' lacks account, region or resource",
                       f->type);
    char id[RP_HUB_ID_MAX];
    if (rp_hub_finding_id("detect", f->type, f->resource_id, f->evidence_key, id))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    int64_t first = f->first_ms, last = f->last_ms ? f->last_ms : f->first_ms;
    uint64_t count = f->count ? f->count : 1;
    dc->emitted++;
    struct rp_det_folded *ff = index_find(dc, id);
    if (ff) {
        if (first && (!ff->f.first_ms || first < ff->f.first_ms)) ff->f.first_ms = first;
        if (last > ff->f.last_ms) ff->f.last_ms = last;
        ff->f.count += count;
        if (f->nprobes) merge_probes(&dc->arena, &ff->f, f);
        return RP_OK;
    }
    ff = rp_arena_zalloc(&dc->arena, sizeof *ff);
    if (!ff) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    memcpy(ff->id, id, sizeof ff->id);
    ff->f = *f;
    ff->f.first_ms = first;
    ff->f.last_ms = last;
    ff->f.count = count;
    ff->type = t;
    ff->source = dc->cur                            ? dc->cur->source
                 : f->res == RP_DET_RES_EKS_CLUSTER ? RP_DET_SRC_K8S
                                                    : RP_DET_SRC_CLOUDTRAIL;
    if (ff->f.nprobes > RP_DET_MAX_PROBES) ff->f.nprobes = RP_DET_MAX_PROBES;
    if (deep_copy(&dc->arena, &ff->f)) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    if (dc->nfold == dc->capfold) {
        size_t cap = dc->capfold ? dc->capfold * 2 : 256;
        struct rp_det_folded **n = realloc(dc->fold, cap * sizeof *n);
        if (!n) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
        dc->fold = n;
        dc->capfold = cap;
    }
    if ((dc->nfold + 1) * 2 > dc->idxcap && index_grow(dc))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    dc->fold[dc->nfold] = ff;
    size_t h = hash_id(id) & (dc->idxcap - 1);
    while (dc->idx[h]) h = (h + 1) & (dc->idxcap - 1);
    dc->idx[h] = (uint32_t)dc->nfold + 1;
    dc->nfold++;
    return RP_OK;
}

rp_err rp_det_emit(struct rp_det_ctx *dc, const struct rp_det_finding *f, struct rp_errbuf *eb)
{
    const struct rp_det_type *t = NULL;
    if (dc->cur && f->type)
        for (size_t i = 0; i < dc->cur->ntypes; i++)
            if (!strcmp(dc->cur->types[i].type, f->type)) t = &dc->cur->types[i];
    if (!t)
        return rp_fail(eb, RP_EINVAL, "detect: finding type '%s' is not one of detector '%s'",
                       f->type ? f->type : "(null)", dc->cur ? dc->cur->id : "(none)");
    return rp_det_emit_typed(dc, t, f, eb);
}

/* ---- harness ----------------------------------------------------------------------------- */

rp_err rp_det_ctx_run1(struct rp_det_ctx *dc, const struct rp_detector *d,
                       const struct rp_det_event *evs, size_t n, struct rp_errbuf *eb)
{
    void *state = NULL;
    dc->cur = d;
    rp_err e = d->init ? d->init(dc, &state, eb) : RP_OK;
    for (size_t i = 0; !e && i < n; i++)
        if (evs[i].src == d->source) e = d->event(dc, state, &evs[i], eb);
    if (!e && d->finish) e = d->finish(dc, state, eb);
    if (d->release) d->release(state);
    dc->cur = NULL;
    return e;
}

size_t rp_det_ctx_nfindings(const struct rp_det_ctx *dc)
{
    return dc->nfold;
}

const struct rp_det_folded *rp_det_ctx_finding(const struct rp_det_ctx *dc, size_t i)
{
    return i < dc->nfold ? dc->fold[i] : NULL;
}

const struct rp_det_folded *rp_det_ctx_find(const struct rp_det_ctx *dc, const char *type,
                                            const char *resource_id)
{
    for (size_t i = 0; i < dc->nfold; i++) {
        const struct rp_det_folded *ff = dc->fold[i];
        if (strcmp(ff->f.type, type)) continue;
        if (resource_id && strcmp(ff->f.resource_id, resource_id)) continue;
        return ff;
    }
    return NULL;
}
